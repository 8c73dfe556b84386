"""Known functions, by name and by usual symbol.

A document that writes ``\\sigma`` and calls it the sigmoid means the logistic
function 1/(1 + e^{-x}); one that writes ``\\operatorname{ReLU}`` means max(0, x).
The library gives each its meaning as a SymPy expression in one variable, the names
and symbols it goes by, and how it acts on a matrix (elementwise or as a whole).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy as sp

X = sp.Symbol("x", real=True)


@dataclass(frozen=True)
class Known:
    name: str  # canonical name
    aliases: tuple[str, ...]  # symbols and words it is written as
    formula: sp.Expr  # meaning in the variable X
    latex: str  # the standard definition, for fixes and reports
    elementwise: bool = True


LIBRARY: tuple[Known, ...] = (
    Known("logistic", ("sigma", "sigmoid", "logistic", "sig"), 1 / (1 + sp.exp(-X)),
          r"\frac{1}{1 + e^{-x}}"),
    Known("tanh", ("tanh",), sp.tanh(X), r"\frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}"),
    Known("relu", ("relu", "ReLU"), sp.Max(0, X), r"\max(0, x)"),
    Known("softplus", ("softplus",), sp.log(1 + sp.exp(X)), r"\log(1 + e^{x})"),
    Known("exp", ("exp",), sp.exp(X), r"e^{x}"),
    Known("log", ("log", "ln"), sp.log(X), r"\log x"),
    Known("sin", ("sin",), sp.sin(X), r"\sin x"),
    Known("cos", ("cos",), sp.cos(X), r"\cos x"),
    Known("tan", ("tan",), sp.tan(X), r"\tan x"),
    Known("sinh", ("sinh",), sp.sinh(X), r"\sinh x"),
    Known("cosh", ("cosh",), sp.cosh(X), r"\cosh x"),
    Known("sech", ("sech",), 1 / sp.cosh(X), r"\frac{1}{\cosh x}"),
    Known("csch", ("csch",), 1 / sp.sinh(X), r"\frac{1}{\sinh x}"),
    Known("coth", ("coth",), sp.cosh(X) / sp.sinh(X), r"\frac{\cosh x}{\sinh x}"),
    Known("sec", ("sec",), 1 / sp.cos(X), r"\frac{1}{\cos x}"),
    Known("csc", ("csc",), 1 / sp.sin(X), r"\frac{1}{\sin x}"),
    Known("cot", ("cot",), sp.cos(X) / sp.sin(X), r"\frac{\cos x}{\sin x}"),
    Known("arctan", ("arctan",), sp.atan(X), r"\arctan x"),
    Known("arcsin", ("arcsin",), sp.asin(X), r"\arcsin x"),
    Known("arccos", ("arccos",), sp.acos(X), r"\arccos x"),
    Known("artanh", ("artanh", "arctanh"), sp.atanh(X), r"\operatorname{artanh} x"),
    Known("arsinh", ("arsinh", "arcsinh"), sp.asinh(X), r"\operatorname{arsinh} x"),
    Known("erf", ("erf",), sp.erf(X), r"\operatorname{erf} x"),
    Known("sqrt", ("sqrt",), sp.sqrt(X), r"\sqrt{x}"),
    Known("abs", ("abs",), sp.Abs(X), r"|x|"),
    Known("sign", ("sign", "sgn"), sp.sign(X), r"\operatorname{sign} x"),
)

_BY_ALIAS = {a.lower(): k for k in LIBRARY for a in k.aliases}


def lookup(name: str) -> Known | None:
    return _BY_ALIAS.get(name.lower())


def apply(k: Known, arg: sp.Expr) -> sp.Expr:
    return k.formula.xreplace({X: arg})


class ExtremeEigenvalue(sp.Function):
    """λ_max (first argument 1) or λ_min (-1) of the n×n matrix whose entries follow, row by
    row.  Unevaluated while an entry is symbolic or not rational; with rational entries,
    the exact real root of the characteristic polynomial.  Complex eigenvalues leave it
    unevaluated."""

    @classmethod
    def eval(cls, which: sp.Expr, n: sp.Expr, *entries: sp.Expr) -> sp.Expr | None:
        if not all(e.is_number for e in entries) or not n.is_Integer or int(n) ** 2 != len(entries):
            return None
        m = sp.Matrix(int(n), int(n), list(entries))
        if not all(e.is_Rational for e in entries):
            return None
        poly = m.charpoly()
        eig = poly.real_roots()  # exact: rationals, or CRootOf for the others
        if not eig or len(eig) != poly.degree():
            return None  # complex eigenvalues: no largest one
        return max(eig) if which == 1 else min(eig)


def cofactor_det(m: sp.MatrixBase) -> sp.Expr:
    """Laplace expansion along the first row, built as an unevaluated sum of products.
    SymPy's own determinant routines test pivots or simplify as they go, which
    explodes on large symbolic entries; this stays linear in the size of the entries
    (callers keep it to 4×4 and below)."""
    n = m.rows
    if n == 1:
        return m[0, 0]
    if n == 2:
        return m[0, 0] * m[1, 1] - m[0, 1] * m[1, 0]
    return sp.Add(*[(-1) ** j * m[0, j] * cofactor_det(m.minor_submatrix(0, j))
                    for j in range(n) if m[0, j] != 0])


def _det(m: sp.MatrixBase) -> sp.Expr:
    if m.rows <= 4 and any(not e.is_number for e in m):
        return cofactor_det(m)
    return m.det()


MATRIX_FUNCTIONS: dict[str, Callable[[sp.MatrixBase], sp.Expr]] = {
    "det": _det,
    "tr": lambda m: m.trace(),
    "trace": lambda m: m.trace(),
    "Tr": lambda m: m.trace(),
}


def softmax(v: sp.MatrixBase) -> sp.MatrixBase:
    exps = v.applyfunc(sp.exp)
    total = sum(exps)
    return exps.applyfunc(lambda e: e / total)


def logsumexp(v: sp.MatrixBase) -> sp.Expr:
    return sp.log(sum(v.applyfunc(sp.exp)))


def diag(m: sp.MatrixBase) -> sp.MatrixBase:
    """diag(p): the diagonal matrix of a vector; diag(A): the column of A's diagonal."""
    r, c = m.shape
    if c == 1 or r == 1:
        return sp.diag(*list(m))
    if r == c:
        return sp.Matrix(r, 1, [m[i, i] for i in range(r)])
    raise ValueError("diag of a non-square matrix")


VECTOR_FUNCTIONS: dict[str, Callable[[sp.MatrixBase], object]] = {
    "diag": diag,
    "softmax": softmax,
    "logsumexp": logsumexp,
    "LSE": logsumexp,
}
