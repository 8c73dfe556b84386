"""Arithmetic on rounded numbers: ``L = 0.1269 + 0.3133 + 0.693``, ``\\det I = 155.5556 - 100``.

Notes add and multiply numbers they have already rounded.  Each decimal of three or more
places stands for any value within half a unit of its last digit (a shorter one, 0.5, is
taken as written), so the side is an interval: it is evaluated
in interval arithmetic (mpmath.iv) with every decimal widened to its rounding interval.
The claim holds to the precision written when the other side's exact value lies in that
interval, and is refuted (SC102) when it does not.  Only a side built from numbers alone,
at least one of them a decimal and not a single number (that case is ``_check_number``),
is read this way, and only against a side with no unknowns.
"""
from __future__ import annotations

import mpmath
import sympy as sp

from symcheck import irutil
from symcheck.latex import ir
from symcheck.lower import LowerError, Lowerer, is_matrix

_FUNCTIONS = {"exp": mpmath.iv.exp, "log": mpmath.iv.log, "sqrt": mpmath.iv.sqrt}


def _decimals(node: object) -> list[ir.Number] | None:
    """The decimal literals of a side made of numbers only, or None."""
    out = []
    for n in irutil.walk(node):
        if isinstance(n, ir.Symbol) and not (n.base == "e" and not n.sub) \
                and n.base not in ("exp", "log", "ln", "sqrt"):
            return None  # a name: not arithmetic on numbers
        if isinstance(n, ir.Number) and "." in n.text:
            out.append(n)
    return out or None


def check(low: Lowerer, side: object, other: object) -> object | None:
    """An Outcome when ``side`` is arithmetic on rounded numbers, else None."""
    from symcheck.decide import Outcome

    if isinstance(side, (ir.Number, ir.Neg)) or is_matrix(other) or getattr(other, "free_symbols", None):
        return None
    found = _decimals(side)
    # a short decimal (0.5, 0.25) is a value as written; one of three or more places (0.1269)
    # is one the author rounded
    if not found or not any(len(n.text.split(".", 1)[1]) >= 3 for n in found):
        return None
    marks = {id(n): ir.Symbol("rounded" + "abcdefghijklmnopqrstuvwxyz"[k], n.span)
             for k, n in enumerate(found[:26])}
    if len(marks) < len(found):
        return None
    stand_in = irutil.rebuild(side, lambda n: marks.get(id(n)))
    try:
        leaves = {low.lower(marks[id(n)]): n.text for n in found}  # each stand-in's variable
        expr = low.lower(stand_in)
        target = sp.N(other, 40)
    except (LowerError, TypeError, ValueError):
        return None
    if is_matrix(expr) or not getattr(target, "is_real", False) or not expr.free_symbols <= set(leaves):
        return None
    syms = sorted(expr.free_symbols, key=lambda x: x.name)

    exact = expr.xreplace({x: sp.Rational(t) for x, t in leaves.items()})
    if sp.N(exact - target, 40) == 0:
        return None  # equal as written: the ordinary check proves it

    def interval(text: str) -> object:
        places = len(text.split(".", 1)[1])
        half = sp.Rational(1, 2 * 10 ** places) if places >= 3 else sp.Integer(0)
        return mpmath.iv.mpf([str(sp.Rational(text) - half), str(sp.Rational(text) + half)])
    saved = mpmath.iv.prec
    try:
        mpmath.iv.prec = 170
        f = sp.lambdify(syms, expr, modules=[_FUNCTIONS, "mpmath"])
        box = f(*[interval(leaves[x]) for x in syms])
        ends = box._mpi_  # the exact binary end points of the interval
        lo, hi = (sp.Float(mpmath.mpf(e), 48) for e in ends)
    except Exception:  # an interval the functions cannot take (log of a negative): no reading
        return None
    finally:
        mpmath.iv.prec = saved
    value = sp.N(target, 12)
    if lo <= target <= hi:
        return Outcome("SC001", f"proved: the value {value} lies within the rounding of the numbers written "
                                f"({sp.N(lo, 8)} to {sp.N(hi, 8)})", ("interval arithmetic on the rounded numbers",))
    return Outcome("SC102", f"refuted: the value is {value}, outside what the numbers written give with their "
                            f"rounding ({sp.N(lo, 8)} to {sp.N(hi, 8)})", ("interval arithmetic on the rounded numbers",),
                   (("value", str(value)),))
