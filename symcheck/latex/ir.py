"""Typed expression tree produced by the LaTeX reader.

The tree is *syntactic with lecture-note meaning already read in*: labels are not
powers, ``^T`` is a transpose, ``\\frac{\\partial C}{\\partial w}`` is a derivative,
``x_{i1}`` carries its index list.  Questions that need the whole document (is ``v_1(…)``
a product or a call? is ``X_0`` a matrix or an entry? is ``z^r`` a label or a power?)
are left to ``symcheck.context`` and kept answerable here: a call-or-product is a
``Mul`` whose factor is a ``Paren``; a subscript keeps its raw text beside its items.

Every node has ``span``: offsets into the *original* document.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from symcheck.source import Span


@dataclass(frozen=True)
class Number:
    text: str  # as written: "2", "0.5", "0.593269992"
    span: Span


@dataclass(frozen=True)
class Symbol:
    """A name, possibly decorated, labelled and subscripted.

    ``base``: "x", "W", "sigma", "ell", "delta", "loss" (multi-letter identifiers
    of three or more letters are one name).  ``style``: "bold" for \\mathbf /
    \\boldsymbol / \\bm / \\v, "" otherwise (\\vec is an accent).  ``accent``: "hat",
    "vec", "bar", "tilde", "dot" or "".  ``label``: text of a superscript that is a
    label, not a power: "(2)", "pred", "reality", "r" only when braced text; None.
    ``sub``: subscript items (digits and letters split one per item unless
    separated by commas: ``x_{i1}`` → (i, 1); ``x_{i,10}`` → (i, 10)), None if
    no subscript.  ``sub_text``: the subscript exactly as written, without braces
    ("i1", "out", "0"), so that context can read ``s_{out}`` or ``X_0`` as a name.
    """

    base: str
    span: Span
    style: str = ""
    accent: str = ""
    label: str | None = None
    sub: tuple["Node", ...] | None = None
    sub_text: str | None = None
    prime: int = 0  # f' → 1


@dataclass(frozen=True)
class Add:
    """terms with signs: a - b + c → ((+1, a), (-1, b), (+1, c)).  A single term
    written with a leading plus (``+ (y - a)^2`` on a continued row) is a one-term Add,
    so that a column whose rows start with + can be read as a sum written downwards."""

    terms: tuple[tuple[int, "Node"], ...]
    span: Span


@dataclass(frozen=True)
class Neg:
    arg: "Node"
    span: Span


@dataclass(frozen=True)
class Mul:
    """Product.  ``ops[k]`` joins factors[k] and factors[k+1]:
    "juxt" (nothing written), "cdot" (\\cdot), "dot" ("." used as a product),
    "times" (\\times), "odot" (\\odot or \\circ: Hadamard), "oslash" (\\oslash: entrywise division), "ast" (*), "bullet"."""

    factors: tuple["Node", ...]
    ops: tuple[str, ...]
    span: Span


@dataclass(frozen=True)
class Frac:
    num: "Node"
    den: "Node"
    span: Span
    slash: bool = False  # written a/b rather than \frac


@dataclass(frozen=True)
class Pow:
    base: "Node"
    exp: "Node"
    span: Span


@dataclass(frozen=True)
class Transpose:
    arg: "Node"
    span: Span


@dataclass(frozen=True)
class Paren:
    """A parenthesised or bracketed group, kept so that f(x) can be told from v(x+1).
    ``items`` has one element except for tuples/argument lists (a, b).
    ``delim`` is "(", "[", "{", "|" (absolute value / determinant), "||" (norm)."""

    items: tuple["Node", ...]
    delim: str
    span: Span


@dataclass(frozen=True)
class Entry:
    """An entry of a matrix expression: ``(W^T)_{ij}``.  ``sub`` as in Symbol."""

    arg: "Node"
    sub: tuple["Node", ...]
    span: Span
    sub_text: str = ""


@dataclass(frozen=True)
class Apply:
    """Function application that the syntax already makes certain:
    \\exp x, \\log(x), \\sin, \\tanh, \\max, \\operatorname{ReLU}(x), \\mathrm{softmax}(z),
    \\sigma'(x) (then ``func`` has prime=1), \\det, \\tr, \\operatorname{tr}."""

    func: Symbol
    args: tuple["Node", ...]
    span: Span


@dataclass(frozen=True)
class Ellipsis:
    """\\dots, \\cdots, \\ldots (kind "h"), \\vdots ("v"), \\ddots ("d"): inside a
    matrix as a cell, inside an Add as a term, inside a Mul as a factor."""

    kind: str
    span: Span


@dataclass(frozen=True)
class Matrix:
    """rows of cells; env is "bmatrix", "pmatrix", "matrix", "array", "binom"
    (\\binom{a}{b} / {a \\choose b} read as a column), "vmatrix" (determinant)."""

    rows: tuple[tuple["Node", ...], ...]
    env: str
    span: Span


@dataclass(frozen=True)
class Sum:
    """\\sum_{index=lower}^{upper} body.  ``index`` None for a bare \\sum (sum over
    all entries of body).  ``lower``/``upper`` None when not written; for
    \\sum_{i \\in S} the set goes in ``over``, and for \\sum_{j \\neq i} the value left out in
    ``exclude``.  Body is the following product term."""

    index: Symbol | None
    lower: "Node | None"
    upper: "Node | None"
    body: "Node"
    span: Span
    over: "Node | None" = None
    op: str = "sum"  # "sum" or "prod"
    exclude: "Node | None" = None  # \sum_{j \neq i}: the one value of the index left out


@dataclass(frozen=True)
class Deriv:
    """A derivative.  kind "partial" (∂), "total" (d), "nabla" (∇_x f), "delta" (δ).
    ``num`` is None for the operator form \\frac{\\partial}{\\partial w} when nothing
    follows; otherwise the operator form absorbs the rest of the product as ``num``.
    ``wrt``: the variables, with orders: ∂²f/∂x∂y → ((x,1),(y,1)); ∂²f/∂x² → ((x,2),)."""

    kind: str
    num: "Node | None"
    wrt: tuple[tuple["Node", int], ...]
    span: Span
    operator_form: bool = False
    order: int = 1  # ∇² f(x) with the variable left implicit: the Hessian


@dataclass(frozen=True)
class Differential:
    """A differential \\mathrm{d}X, \\mathrm{d}(X^{-1}), \\mathrm{d}\\det X: the first-order
    change of ``arg`` when the variables of ``over`` change by independent perturbations.
    ``over`` holds the operands of the differentials of single symbols written in the same
    row (\\mathrm{d}X, \\mathrm{d}\\mathbf{W}^T → X, W): whether each is a variable or a defined
    quantity is for the document to say (symcheck.lower).  Read in latex/differentials.py."""

    arg: "Node"
    span: Span
    over: tuple["Symbol", ...] = ()


@dataclass(frozen=True)
class Cases:
    """\\begin{cases} v1 & cond1 \\\\ v2 & cond2 \\end{cases}; a cond is a Relation,
    a Text ("otherwise") or None."""

    rows: tuple[tuple["Node", "Node | None"], ...]
    span: Span


@dataclass(frozen=True)
class Text:
    """\\text{...}, \\mathrm{...} words that are not a function name."""

    text: str
    span: Span


@dataclass(frozen=True)
class SetExpr:
    """\\mathbb{R}^{m\\times n} and friends, for declarations W \\in \\mathbb R^{m×n}.
    ``field`` "R", "N", "Z", "C"; ``dims`` the exponent factors (m, n), () for a scalar."""

    field: str
    dims: tuple["Node", ...]
    span: Span


@dataclass(frozen=True)
class At:
    """\\left. body \\right|_{var = value}: body evaluated at var = value."""

    body: "Node"
    var: "Node"
    value: "Node"
    span: Span


@dataclass(frozen=True)
class Underbrace:
    """\\underbrace{body}_{note}: the note is often a shape, (s_out × 1)."""

    body: "Node"
    note: "Node | None"
    span: Span


@dataclass(frozen=True)
class Optimum:
    """\\arg\\min_{w} F: the point where F is least (``kind`` "min") or greatest ("max").
    ``var``: what is chosen (the subscript), None when not written.  ``body``: the
    rest of the side, as notes write it (\\arg\\min_w \\|y - Xw\\|^2 + λ\\|w\\|^2)."""

    kind: str
    var: "Node | None"
    body: "Node"
    span: Span


@dataclass(frozen=True)
class Relation:
    """One relation lhs op rhs.  op: "=", "approx", "ne", "<", ">", "le", "ge",
    ":=", "equiv", "propto", "in", "implies", "iff", "to"."""

    lhs: "Node"
    op: str
    rhs: "Node"
    span: Span


@dataclass(frozen=True)
class Chain:
    """What one row says: items joined by relation operators.  ``a = b = c`` is
    Chain((a, b, c), ("=", "=")); a lone expression is Chain((e,), ())."""

    items: tuple["Node", ...]
    ops: tuple[str, ...]
    span: Span

    def relations(self) -> list[Relation]:
        return [
            Relation(self.items[k], self.ops[k], self.items[k + 1],
                     self.items[k].span.union(self.items[k + 1].span))
            for k in range(len(self.ops))
        ]


Node = Union[Number, Symbol, Add, Neg, Mul, Frac, Pow, Transpose, Paren, Entry, Apply,
             Ellipsis, Matrix, Sum, Deriv, Differential, Cases, Text, SetExpr, Underbrace, At, Relation]


@dataclass(frozen=True)
class ParseFailure:
    """The reader could not read a row: where and why (no exception escapes)."""

    message: str
    span: Span
    hint: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
