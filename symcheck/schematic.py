"""Relations written with a function the document leaves unnamed: ``a = f(Σ w a + b)``.

Such a row claims that *some* function f fits: that the other side depends on its
variables only through f's argument.  That is decidable without knowing f.  Take a
variable v the argument u is linear in (u = c·v + rest, c a nonzero number), write v
through a fresh t (v = v + (t − u)/c, so the argument becomes t) and put that into the
other side.  If what results no longer depends on any other variable, the side is a
function of u alone: proved, and that function is f.  If it still does, two points
with the same argument and different values of the side are a counterexample: no f
fits.  Everything is exact (rationals; 50-digit evaluation for exp and log).
"""
from __future__ import annotations

import random

import sympy as sp

from symcheck import names
from symcheck.latex import ir
from symcheck.lower import LowerError, Lowerer, as_scalar, is_matrix

TRIALS = 6


def applied_side(rel: ir.Relation) -> tuple[object, ir.Symbol, ir.Paren] | None:
    """(other side, f, f's argument) when one side is exactly f(…) with f a plain
    lowercase letter and the other side does not use f."""
    for side, other in ((rel.rhs, rel.lhs), (rel.lhs, rel.rhs)):
        if isinstance(side, ir.Mul) and len(side.factors) == 2 and side.ops == ("juxt",):
            f, arg = side.factors
            if isinstance(f, ir.Symbol) and not f.sub and f.label is None and not f.prime and len(f.base) == 1 \
                    and f.base.islower() and isinstance(arg, ir.Paren) and len(arg.items) == 1:
                k = names.key(f)
                from symcheck import irutil
                if not any(isinstance(n, ir.Symbol) and names.key(n) == k for n in irutil.walk(other)):
                    return other, f, arg
    return None


def decide(decider: object, st: object, low: Lowerer) -> object | None:
    """An Outcome for ``other = f(arg)``, or None when this reading does not apply."""
    from symcheck.decide import Outcome
    found = applied_side(st.relation)  # type: ignore[attr-defined]
    if found is None:
        return None
    other, f, arg = found
    try:
        side = as_scalar(low.lower(other))
        u = as_scalar(low.lower(arg.items[0]))
    except LowerError:
        return None
    if is_matrix(side) or is_matrix(u) or not isinstance(u, sp.Expr) or not isinstance(side, sp.Expr):
        return None
    pivot = None  # a variable u is linear in; a number as its coefficient if there is one
    for v in sorted(u.free_symbols, key=lambda s: s.name):
        c = sp.diff(u, v)
        if c != 0 and not c.has(v) and (pivot is None or (c.is_number and not pivot[1].is_number)):
            pivot = (v, c)
    if pivot is None:
        return None
    v, c = pivot
    t = sp.Dummy("t")
    moved = v + (t - u) / c
    through = side.xreplace({v: moved})
    rest = sorted((u.free_symbols | side.free_symbols) - {v}, key=lambda s: s.name)
    fname = names.display(names.key(f))
    rng = random.Random(sum(map(ord, repr(sorted(s.name for s in rest)))))
    for x in rest:
        d = sp.diff(through, x)
        if d == 0 or decider.zero(d, float("inf")):  # type: ignore[attr-defined]
            continue
        # two points with the same argument: x moved, v moved with it
        for _ in range(TRIALS):
            p = {s: sp.Rational(rng.randint(-4, 4), rng.choice((1, 2, 3))) for s in rest}
            q = dict(p)
            q[x] = p[x] + sp.Rational(rng.randint(1, 5), rng.choice((1, 2)))
            tv = sp.Rational(rng.randint(-4, 4), rng.choice((1, 2)))
            if c.xreplace(p) == 0 or c.xreplace(q) == 0:
                continue  # v does not move the argument there
            a, b = _value(through, p, t, tv), _value(through, q, t, tv)
            if a is None or b is None or abs(a - b) <= sp.Float(10) ** -30 * (1 + abs(a) + abs(b)):
                continue
            vp, vq = _value(moved, p, t, tv), _value(moved, q, t, tv)
            shown = ", ".join(f"{s} = {p[s]}" for s in rest[:8])
            return Outcome("SC100", f"refuted: no function {fname} fits: at two points where the argument of "
                                    f"{fname} has the same value ({tv}), the other side differs ({_short(a)} and "
                                    f"{_short(b)}: {x} = {p[x]} then {q[x]}, with {v} = {_short(vp)} then "
                                    f"{_short(vq)})", ("exact evaluation of the side along a level set of the "
                                                       "argument",), ((str(x), f"{p[x]} or {q[x]}"),),
                           notes=(f"at {shown}",))
        return Outcome("SC203", f"undecided: {fname} is never defined, and whether the other side depends "
                                f"on its variables only through {fname}'s argument was not settled")
    shown = sp.simplify(through)
    return Outcome("SC001", f"proved: a function {fname} fits (the other side depends on its variables only "
                            f"through {fname}'s argument): {fname}(t) = {sp.sstr(shown)}",
                   ("symbolic: the side written through the argument depends on no other variable",))


def _value(e: sp.Expr, point: dict[sp.Symbol, sp.Rational], t: sp.Dummy, tv: sp.Rational) -> sp.Float | None:
    try:
        r = e.xreplace({**point, t: tv}).evalf(50)
    except (ZeroDivisionError, TypeError, ValueError):
        return None
    if not r.is_number or r.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or not r.is_real:
        return None
    return sp.Float(r, 50)


def _short(x: object) -> str:
    try:
        return f"{float(x):.10g}"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(x)
