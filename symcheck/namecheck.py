"""A definition must agree with the name it gives.

``\\sigma(x) = \\frac{1}{1 - e^{-x}}`` calls itself the sigmoid, and the sigmoid is
the logistic 1/(1 + e^{-x}).  Differentiating cannot catch the slip (σ' = σ(1 - σ)
holds for both), so definitions of known names are compared with the library.
A disagreement is refuted once, at the definition, with the standard formula as
the fix; everywhere else the name keeps its standard meaning.
"""
from __future__ import annotations

import sympy as sp

from symcheck import functions, names
from symcheck.context import Context, Statement
from symcheck.decide import Outcome
from symcheck.diagnostics import Fix
from symcheck.lower import LowerError, Lowerer

POINTS = (sp.Rational(1, 2), sp.Integer(1), sp.Integer(2), sp.Rational(-3, 2))


def check(ctx: Context, st: Statement, text: str = "") -> tuple[Outcome, tuple[Fix, ...]] | None:
    name = st.defines or ""
    fd = ctx.functions.get(name)
    if fd is None or len(fd.params) != 1:
        return None
    base = name.split("^")[0]
    known = functions.lookup(base)
    if known is None:
        return None
    x = sp.Symbol("x", real=True)
    try:
        body = Lowerer(ctx, {}, frozen={fd.params[0]: x}).lower(fd.body)
    except LowerError:
        return None
    for p in POINTS:
        try:
            mine = sp.N(sp.sympify(body).xreplace({x: p}), 30)
            std = sp.N(functions.apply(known, p), 30)
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if not (mine.is_number and std.is_number):
            continue
        if abs(mine - std) > sp.Float(10) ** -20 * (1 + abs(std)):
            fd.contradicts = known.name
            msg = (f"refuted: {names.display(name)} is the {known.name} function "
                   f"{_at(known.latex, names.display(fd.params[0]))}, but this definition differs "
                   f"from it (at {names.display(fd.params[0])} = {p}: {sp.N(mine, 6)} instead of {sp.N(std, 6)}); "
                   f"{names.display(name)} keeps its standard meaning in the rest of the document")
            rhs = st.relation.rhs.span
            lhs_text = " ".join(text[st.relation.lhs.span.start:st.relation.lhs.span.end].split())
            fix = Fix(f"{lhs_text} = " + _at(known.latex, names.display(fd.params[0])),
                      f"the standard definition of the {known.name} function; proved by definition", rhs)
            return Outcome("SC103", msg, ("comparison with the library of known functions",),
                           ((names.display(fd.params[0]), str(p)),)), (fix,)
    return None


def _at(latex: str, var: str) -> str:
    """The library's formula in x, written in the document's variable: only the letter x
    standing alone is replaced (``\\max(0, x)`` keeps its ``\\max``)."""
    import re
    return re.sub(r"(?<![\\A-Za-z])x(?![A-Za-z])", lambda _: var, latex)
