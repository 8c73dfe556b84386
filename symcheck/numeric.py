"""Fast high-precision evaluation of SymPy expressions at a point.

SymPy's ``evalf`` re-walks shared subtrees and grows its working precision on
nested exponentials, which makes a backprop formula (sigmoids inside sigmoids)
take seconds per point.  This evaluator walks the tree once, caching every
subexpression, in mpmath at a fixed precision; the caller compares at two
precisions so that rounding cannot pass for a difference.
"""
from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

import mpmath
import sympy as sp

if TYPE_CHECKING:
    import random

_UNARY = {
    sp.exp: mpmath.exp, sp.log: mpmath.log, sp.sin: mpmath.sin, sp.cos: mpmath.cos,
    sp.tan: mpmath.tan, sp.tanh: mpmath.tanh, sp.sinh: mpmath.sinh, sp.cosh: mpmath.cosh,
    sp.Abs: abs, sp.sqrt: mpmath.sqrt,
}


class Unsupported(Exception):
    pass


def free_symbols(exprs: Any) -> set[sp.Symbol]:
    """The symbols of several expressions, visiting each shared subexpression once.
    ``expr.free_symbols`` walks the expression as a tree, and an inverse written as
    adjugate over determinant shares its entries so often that the tree is huge."""
    seen: set[int] = set()
    out: set[sp.Symbol] = set()
    stack = [e for e in exprs if isinstance(e, sp.Basic)]
    while stack:
        e = stack.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, sp.Symbol):
            out.add(e)
        else:
            stack.extend(e.args)
    return out


def tree_size(expr: Any, cap: int) -> int:
    """Number of nodes of ``expr`` read as a tree (what expanding it would face),
    computed over the shared graph; stops counting once it passes ``cap``."""
    sizes: dict[int, int] = {}
    order: list[Any] = []
    stack = [expr] if isinstance(expr, sp.Basic) else []
    while stack:  # post-order without recursion
        e = stack.pop()
        if id(e) in sizes:
            continue
        if all(id(a) in sizes for a in e.args):
            sizes[id(e)] = min(cap + 1, 1 + sum(sizes[id(a)] for a in e.args))
            order.append(e)
        else:
            stack.append(e)
            stack.extend(a for a in e.args if id(a) not in sizes)
    return sizes.get(id(expr), 1)


_AT: list[Any] = [None, None, {}]  # the last point, a copy of what it held, its caches


def _caches(point: dict[sp.Symbol, sp.Rational], key: Any, make: Any) -> tuple[Any, dict[int, Any]]:
    """The values of the point's variables and the cache of subexpression values for one
    kind of evaluation, shared by every evaluation at the same point while it holds the
    same values: the entries of a matrix and both sides of a claim share most of their
    subexpressions.  Each value is the one a fresh evaluation computes (the same
    operations at the same precision), so sharing changes no result."""
    last, held, caches = _AT
    if last is not point or len(point) != len(held) or any(point.get(k) is not v for k, v in held.items()):
        caches = {}
        _AT[:] = [point, dict(point), caches]
    got = caches.get(key)
    if got is None:
        got = caches[key] = (make(), {})
    return got


def evaluate(expr: Any, point: dict[sp.Symbol, sp.Rational], digits: int) -> Any:
    """The value of ``expr`` at ``point`` with ``digits`` significant digits (an mpf or mpc)."""
    # the variables' values are rounded at the precision in force when called (as always)
    values, cache = _caches(point, ("mp", digits, mpmath.mp.prec), lambda: {
        s: mpmath.mpf(int(v.p)) / int(v.q) for s, v in point.items()})

    def ev(e: Any) -> Any:
        key = id(e)
        hit = cache.get(key)
        if hit is not None:
            return hit[1]
        r = _ev(e)
        cache[key] = (e, r)
        return r

    def _ev(e: Any) -> Any:
        if isinstance(e, sp.Symbol):
            if e not in values:
                raise Unsupported(str(e))
            return values[e]
        if isinstance(e, sp.Integer):
            return mpmath.mpf(int(e))
        if isinstance(e, sp.Rational):
            return mpmath.mpf(int(e.p)) / int(e.q)
        if e is sp.E:
            return mpmath.e
        if e is sp.pi:
            return mpmath.pi
        if isinstance(e, sp.Float):
            return mpmath.mpf(e)
        if isinstance(e, sp.Add):
            total = mpmath.mpf(0)
            for a in e.args:
                total += ev(a)
            return total
        if isinstance(e, sp.Mul):
            prod = mpmath.mpf(1)
            for a in e.args:
                prod *= ev(a)
            return prod
        if isinstance(e, sp.Pow):
            b, x = ev(e.base), e.exp
            if isinstance(x, sp.Integer):
                return b ** int(x)
            return mpmath.power(b, ev(x))
        f = _UNARY.get(type(e))  # type: ignore[call-overload]
        if f is not None and len(e.args) == 1:
            return f(ev(e.args[0]))
        if isinstance(e, (sp.Max, sp.Min)):
            vals = [ev(a) for a in e.args]
            return max(vals) if isinstance(e, sp.Max) else min(vals)
        if isinstance(e, (sp.Heaviside, sp.sign)):
            return mpmath.mpf(step(e, ev(e.args[0])))
        if isinstance(e, sp.Piecewise):
            for val, cond in e.args:
                if truth(cond, ev):
                    return ev(val)
            raise Unsupported("piecewise")
        if type(e).__name__ == "ExtremeEigenvalue":
            n = int(e.args[1])
            m = mpmath.matrix([[ev(e.args[2 + i * n + j]) for j in range(n)] for i in range(n)])
            vals = mpmath.eig(m, left=False, right=False)
            if any(abs(mpmath.im(v)) > mpmath.mpf(10) ** (-digits // 2) for v in vals):
                raise Unsupported("complex eigenvalues")
            reals = [mpmath.re(v) for v in vals]
            return max(reals) if int(e.args[0]) == 1 else min(reals)
        raise Unsupported(type(e).__name__)

    with mpmath.workdps(digits):
        return ev(expr)


def evaluate_exact(expr: Any, point: dict[sp.Symbol, sp.Rational]) -> Fraction:
    """The exact rational value of a rational expression (Unsupported otherwise),
    with Python fractions: far cheaper than SymPy substitution, and exact."""
    values, cache = _caches(point, "exact", lambda: {s: Fraction(int(v.p), int(v.q)) for s, v in point.items()})

    def ev(e: Any) -> Fraction:
        hit = cache.get(id(e))
        if hit is not None:
            return hit[1]
        r = _ev(e)
        cache[id(e)] = (e, r)
        return r

    def _ev(e: Any) -> Fraction:
        if isinstance(e, sp.Symbol):
            if e not in values:
                raise Unsupported(str(e))
            return values[e]
        if isinstance(e, sp.Rational):
            return Fraction(int(e.p), int(e.q))
        if isinstance(e, sp.Add):
            total = Fraction(0)
            for a in e.args:
                total += ev(a)
            return total
        if isinstance(e, sp.Mul):
            prod = Fraction(1)
            for a in e.args:
                prod *= ev(a)
            return prod
        if isinstance(e, sp.Pow) and isinstance(e.exp, sp.Integer) and abs(int(e.exp)) <= 256:
            b = ev(e.base)
            k = int(e.exp)
            if b == 0 and k < 0:
                raise ZeroDivisionError
            return b ** k
        if isinstance(e, (sp.Max, sp.Min)):
            vals = [ev(a) for a in e.args]
            return max(vals) if isinstance(e, sp.Max) else min(vals)
        if isinstance(e, sp.Abs):
            return abs(ev(e.args[0]))
        if isinstance(e, (sp.Heaviside, sp.sign)):
            return Fraction(step(e, ev(e.args[0])))
        if isinstance(e, sp.Piecewise):
            for val, cond in e.args:
                if truth(cond, ev):
                    return ev(val)
            raise Unsupported("piecewise")
        if type(e).__name__ == "ExtremeEigenvalue":
            entries = [ev(a) for a in e.args[2:]]  # an exact value only when the eigenvalue is rational
            got = type(e)(*e.args[:2], *[sp.Rational(x.numerator, x.denominator) for x in entries])
            if isinstance(got, sp.Rational):
                return Fraction(int(got.p), int(got.q))
            raise Unsupported("an irrational eigenvalue")
        raise Unsupported(type(e).__name__)

    return ev(expr)


def step(e: Any, x: Any) -> int:
    """Heaviside or sign at a value off the jump (conventions differ at the jump itself)."""
    if x == 0:
        raise Unsupported("a step at its jump")
    return 1 if x > 0 else (0 if isinstance(e, sp.Heaviside) else -1)


def truth(cond: Any, ev: Any) -> bool:
    """A piecewise condition decided with exact values (Unsupported when it cannot be)."""
    if cond is sp.true or cond == sp.true:
        return True
    if cond is sp.false or cond == sp.false:
        return False
    ops = {sp.StrictGreaterThan: lambda a, b: a > b, sp.GreaterThan: lambda a, b: a >= b,
           sp.StrictLessThan: lambda a, b: a < b, sp.LessThan: lambda a, b: a <= b,
           sp.Eq: lambda a, b: a == b, sp.Ne: lambda a, b: a != b}
    for kind, f in ops.items():
        if isinstance(cond, kind):
            return bool(f(ev(cond.lhs), ev(cond.rhs)))
    if isinstance(cond, sp.And):
        return all(truth(c, ev) for c in cond.args)
    if isinstance(cond, sp.Or):
        return any(truth(c, ev) for c in cond.args)
    raise Unsupported("condition")


def random_point(free: list[sp.Symbol], rng: "random.Random", t: int, attempt: int = 0) -> dict[sp.Symbol, sp.Rational]:
    """A random point for the trials: small whole numbers for the first two (a counterexample
    a reader can check by hand), then rationals with |x| <= 20 (exponentials stay cheap;
    about 32,000 values per variable), ten times smaller on each draw again after a point
    that could not be evaluated (exp overflowing in 50 digits)."""
    if t < 2 and attempt == 0:
        return {s: sp.Integer(rng.choice([-3, -2, -1, 1, 2, 3, 4])) for s in free}
    return {s: sp.Rational(rng.randint(-400, 400), rng.randint(20, 60) * 10 ** attempt) for s in free}
