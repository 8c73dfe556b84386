"""Intermediate objects the reader uses between the parse tree and the IR.

Some things can only be decided once a whole product term is visible: a ``\\sum``
takes the rest of its term as body, ``\\frac{\\partial}{\\partial w}`` applies to
what follows, ``\\exp`` takes the next factor, ``\\partial`` and ``d`` only mean
something inside a fraction.  The tree callbacks therefore return these marks,
and terms.py turns them into IR nodes.  None of them may survive into the result
(Reader.start checks), so the IR contract stays clean.
"""
from __future__ import annotations

from dataclasses import dataclass

from symcheck.latex import ir
from symcheck.source import Span


class ReadError(Exception):
    """A row that parses but cannot be read; carries the original-document span."""

    def __init__(self, message: str, span: Span, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.span = span
        self.hint = hint


@dataclass(frozen=True)
class PartialMark:
    """``\\partial`` (order from ``\\partial^2``); with a subscript it is ∂_x f."""

    order: int
    span: Span
    wrt: tuple[tuple[ir.Node, int], ...] = ()


@dataclass(frozen=True)
class SumHead:
    """``\\sum``/``\\prod`` with its scripts, waiting for a body."""

    op: str
    span: Span
    indices: tuple[ir.Symbol, ...] = ()
    lower: ir.Node | None = None
    upper: ir.Node | None = None
    over: ir.Node | None = None
    exclude: ir.Node | None = None


@dataclass(frozen=True)
class NablaHead:
    wrt: tuple[tuple[ir.Node, int], ...]
    span: Span
    order: int = 1  # ∇²: the Hessian


@dataclass(frozen=True)
class DerivHead:
    """Operator-form derivative (\\frac{\\partial}{\\partial w}) waiting for its operand."""

    kind: str
    wrt: tuple[tuple[ir.Node, int], ...]
    span: Span


@dataclass(frozen=True)
class FuncHead:
    """\\exp, \\log, \\max ... (a syntactic function) waiting for its argument."""

    func: ir.Symbol
    span: Span
    power: ir.Node | None = None


@dataclass(frozen=True)
class Word:
    """\\text{...}/\\operatorname{...}: prose, a label, or a function name before (…)."""

    text: str
    cmd: str
    span: Span


@dataclass(frozen=True)
class TopMark:  # \top, \intercal, \mathsf{T}
    span: Span


@dataclass(frozen=True)
class PrimeMark:  # \prime
    span: Span


@dataclass(frozen=True)
class StarMark:  # * as a superscript
    span: Span


@dataclass(frozen=True)
class EmptyGroup:  # {}
    span: Span


@dataclass(frozen=True)
class SeqItems:
    """Comma-separated items inside braces: x_{i,10}, \\sum_{i,j}."""

    items: tuple[ir.Node, ...]
    span: Span


@dataclass(frozen=True)
class ChainParts:
    items: tuple[ir.Node, ...]
    ops: tuple[str, ...]
    span: Span


@dataclass(frozen=True)
class Cell:
    node: object | None
    colon: bool
    span: Span
    raw: str


HEADS = (SumHead, NablaHead, DerivHead)

IR_TYPES = (ir.Number, ir.Symbol, ir.Add, ir.Neg, ir.Mul, ir.Frac, ir.Pow, ir.Transpose,
            ir.Paren, ir.Entry, ir.Apply, ir.Ellipsis, ir.Matrix, ir.Sum, ir.Deriv, ir.Differential, ir.Cases, ir.Text,
            ir.SetExpr, ir.Underbrace, ir.At, ir.Optimum, ir.Relation, ir.Chain)

MARK_NAMES = {
    PartialMark: "\\partial outside a derivative",
    SumHead: "\\sum without a summand",
    NablaHead: "\\nabla without an operand",
    DerivHead: "derivative operator without an operand",
    FuncHead: "function without an argument",
    Word: "text",
    TopMark: "\\top outside a superscript",
    PrimeMark: "\\prime outside a superscript",
    StarMark: "'*' outside a superscript",
    EmptyGroup: "empty group {}",
    SeqItems: "comma-separated list outside brackets",
    ChainParts: "relation",
    Cell: "matrix cell",
}


def union(*spans: Span) -> Span:
    return Span(min(s.start for s in spans), max(s.end for s in spans))
