"""Differentials: ``\\mathrm{d}X``, ``\\mathrm{d}(X^{-1})``, ``\\mathrm{d}\\det X`` as one node.

The grammar reads ``\\mathrm{d}X`` as the product of a symbol d and X; this pass turns
a d written *directly before an operand* in a product into ``ir.Differential(operand)``
and records, in every differential of the row, which symbols the row perturbs
(``over``: the operands of ``\\mathrm{d}X``, ``\\mathrm{d}\\mathbf{W}^\\top``).

Which d is a differential:

* an upright d (``\\mathrm{d}``, ``\\operatorname{d}``, ``\\text{d}``; the reader gives it
  style "rm") always is: nobody names a dimension \\mathrm{d};
* an italic d only when the caller says so (``italic=True``): the pipeline allows it for
  a document that talks about differentials and uses d for nothing else (``italic_allowed``),
  so a document whose sizes are d, or which has entries d_j, reads exactly as before.

Leibniz fractions (``\\frac{\\mathrm{d}f}{\\mathrm{d}x}``, ``dy/dx``) were already read as
derivatives when the fraction was read, so no d of theirs is left here.
"""
from __future__ import annotations

import dataclasses
import re

from symcheck import irutil
from symcheck.latex import ir
from symcheck.latex.marks import union

# Operands a differential can act on; a number, words, a set or a relation cannot
# follow a d that means "change of": there it stays a product.
_NOT_OPERAND = (ir.Number, ir.Text, ir.Ellipsis, ir.SetExpr, ir.Relation, ir.Cases)


def is_d(node: object, italic: bool = False) -> bool:
    """A bare d (no scripts, accent or prime): upright always, italic when allowed."""
    return isinstance(node, ir.Symbol) and node.base == "d" and node.sub is None \
        and node.label is None and not node.prime and not node.accent \
        and (node.style == "rm" or (italic and node.style == ""))


def _operand(node: object) -> bool:
    if isinstance(node, _NOT_OPERAND) or is_d(node, italic=True):
        return False
    if isinstance(node, ir.Paren) and len(node.items) != 1:
        return False  # d(x, y): a function of two arguments (a distance), not a change
    return True


def _fold(mul: ir.Mul, italic: bool) -> object | None:
    """The product with every ``d operand`` pair replaced by a Differential, or None."""
    factors, ops = list(mul.factors), list(mul.ops)
    changed = False
    k = len(factors) - 2
    while k >= 0:
        if is_d(factors[k], italic) and ops[k] == "juxt" and _operand(factors[k + 1]):
            arg = factors[k + 1]
            factors[k:k + 2] = [ir.Differential(arg, union(factors[k].span, arg.span))]
            del ops[k]
            changed = True
        k -= 1
    if not changed:
        return None
    if len(factors) == 1:
        return factors[0]
    return ir.Mul(tuple(factors), tuple(ops), mul.span)


def perturbed(node: object) -> tuple[ir.Symbol, ...]:
    """The symbols whose differential is written: X for \\mathrm{d}X and \\mathrm{d}X^\\top."""
    out: list[ir.Symbol] = []
    seen: set[object] = set()
    for n in irutil.walk(node):
        if not isinstance(n, ir.Differential):
            continue
        arg = n.arg
        while isinstance(arg, ir.Transpose) or (isinstance(arg, ir.Paren) and arg.delim == "("
                                                and len(arg.items) == 1):
            arg = arg.arg if isinstance(arg, ir.Transpose) else arg.items[0]
        if isinstance(arg, ir.Symbol):
            bare = irutil.strip_spans(arg)
            if bare not in seen:
                seen.add(bare)
                out.append(arg)
    return tuple(out)


def annotate(chain: ir.Chain) -> ir.Chain:
    """Give every differential of the row the symbols the row perturbs."""
    over = perturbed(chain)

    def fill(n: object) -> object | None:
        if isinstance(n, ir.Differential) and n.over != over:
            return dataclasses.replace(n, over=over)
        return None
    return irutil.rebuild(chain, fill)  # type: ignore[return-value]


def read(chain: ir.Chain, italic: bool = False) -> ir.Chain:
    """``chain`` with its differentials read (see the module docstring)."""
    def fold(n: object) -> object | None:
        return _fold(n, italic) if isinstance(n, ir.Mul) else None
    out = irutil.rebuild(chain, fold)
    if out is chain and not any(isinstance(n, ir.Differential) for n in irutil.walk(chain)):
        return chain
    return annotate(out)  # type: ignore[arg-type]


_TALKS_OF_DIFFERENTIALS = re.compile(r"\bdifferentials?\b", re.IGNORECASE)


def italic_allowed(chains: list[ir.Chain], text: str) -> bool:
    """May an italic d before an operand be read as a differential in this document?

    Only when the prose speaks of differentials and every bare italic d of the
    document stands directly before an operand: a d that is a size (R^d), a scalar
    (x^d, 1/d) or the name of entries (d_j) anywhere keeps every d a plain symbol."""
    if not _TALKS_OF_DIFFERENTIALS.search(text):
        return False
    before_operand: set[int] = set()
    found = False
    for chain in chains:
        for n in irutil.walk(chain):
            if isinstance(n, ir.Mul):
                for k, f in enumerate(n.factors[:-1]):
                    if is_d(f, italic=True) and n.ops[k] == "juxt" and _operand(n.factors[k + 1]):
                        before_operand.add(id(f))
        for n in irutil.walk(chain):
            if isinstance(n, ir.Symbol) and n.base == "d" and n.style in ("", "bold"):
                if id(n) not in before_operand:
                    return False
                found = True
    return found
