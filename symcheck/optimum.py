"""Claims about an arg min: ``\\hat w = \\arg\\min_w F(w) = (XᵀX + λI)^{-1} Xᵀ y``.

An arg min is a point, not a formula, so it is not lowered.  A claim that names the
point (``\\arg\\min_w F = E``, or ``ŵ = E`` with ``ŵ := \\arg\\min_w F``) is decided by
what characterises it:

- At a minimiser of a differentiable F, the gradient vanishes.  If ∂F/∂w at w = E is
  not zero at some trial point, E is not the arg min: **refuted**, with that point.
- If the gradient vanishes at every trial (or is proved zero) and F's Hessian in w
  does not depend on w (F is quadratic in w) and is positive definite at every trial,
  E is the one point where F is least: **verified** at those trials.  (Negative
  definite for an arg max.)
- Otherwise (F not differentiable, as with ‖w‖₁; a Hessian that depends on w; one
  that is not definite at some trial) no verdict: E may be a stationary point that is
  not the least one, and the reason is given.
"""
from __future__ import annotations

import random
import time
from typing import Callable

import sympy as sp

from symcheck import names, numeric, orthogonal
from symcheck.context import Context, Statement, unwrap
from symcheck.latex import ir
from symcheck.lower import Lowerer, as_scalar, is_matrix

# a function whose derivative is not defined everywhere: the first-order test does not apply
_NONSMOOTH = (sp.Abs, sp.Max, sp.Min, sp.Piecewise, sp.Heaviside, sp.sign)


def target(ctx: Context, node: object) -> ir.Optimum | None:
    """The arg min a side is, written out or through the name it defines."""
    node = unwrap(node)
    if isinstance(node, ir.Optimum):
        return node
    if isinstance(node, ir.Symbol):
        q = ctx.quantities.get(names.key_with_sub(node) or names.key(node))
        if q is not None and isinstance(unwrap(q.definition), ir.Optimum):
            return unwrap(q.definition)  # type: ignore[return-value]
    return None


def involved(ctx: Context, rel: ir.Relation) -> bool:
    return target(ctx, rel.lhs) is not None or target(ctx, rel.rhs) is not None


def _variable(opt: ir.Optimum) -> object | None:
    var = opt.var
    if isinstance(var, ir.Relation) and var.op == "in":  # \arg\min_{w \in R^d}
        var = var.lhs
    return var if isinstance(var, ir.Symbol) else None


def _flat(v: object) -> list[object]:
    return list(v) if is_matrix(v) else [v]  # type: ignore[call-overload]


def _positive(ctx: Context) -> set[str]:
    """Names the text states are positive (λ > 0): drawn positive in the curvature check."""
    out = set()
    for st in ctx.statements:
        rel = st.relation
        if st.role == "assumption" and rel.op in (">", "ge") and isinstance(rel.lhs, ir.Symbol) \
                and isinstance(rel.rhs, ir.Number) and rel.rhs.text == "0":
            out.add(names.display(names.key(rel.lhs)))
    return out


def decide(decider: object, st: Statement, insts: list[object], low_for: Callable[[object], Lowerer],
           deadline: float) -> tuple[str, str, tuple]:
    """(code, message, counterexample pairs) for a claim about an arg min.
    ``low_for(instance)`` builds the lowerer that reads the claim at one instance."""
    ctx: Context = decider.ctx  # type: ignore[attr-defined]
    rel = st.relation
    a, b = target(ctx, rel.lhs), target(ctx, rel.rhs)
    if a is not None and b is not None:
        return "SC202", "undecided: both sides are arg mins", ()
    opt, point = (a, rel.rhs) if a is not None else (b, rel.lhs)
    assert opt is not None
    var = _variable(opt)
    if var is None:
        return "SC202", "undecided: the arg min does not say which variable is chosen", ()
    if rel.op != "=":
        return "SC202", "undecided: only an equality with an arg min is decided", ()
    rng = random.Random(7)
    positive = _positive(ctx)
    verdicts = []
    from symcheck.decide import Timeout
    for inst in insts:
        if time.monotonic() > deadline:
            raise Timeout
        low = low_for(inst)
        f = as_scalar(low.lower(opt.body))
        if is_matrix(f):
            return "SC202", f"undecided: what the arg {opt.kind} {opt.kind}imises is not a number", ()
        w, e = low.lower(var), as_scalar(low.lower(point))
        leaves = _flat(w)
        if not all(isinstance(x, sp.Symbol) for x in leaves):
            return "SC202", f"undecided: {names.display(names.key(var))} is not a free variable here", ()
        if (is_matrix(w) != is_matrix(e)) or (is_matrix(w) and w.shape != e.shape):  # type: ignore[union-attr]
            return "SC101", (f"refuted: the arg min is a point of {names.display(names.key(var))}'s shape, "
                             "the other side has another shape"), ()
        if f.has(*_NONSMOOTH):  # type: ignore[union-attr]
            return "SC202", (f"undecided: what the arg {opt.kind} {opt.kind}imises is not differentiable everywhere "
                             "(an absolute value, max or cases), so the gradient test does not apply"), ()
        at = dict(zip(leaves, _flat(e)))
        grad = [sp.diff(f, x).xreplace(at) for x in leaves]
        hess = sp.Matrix(len(leaves), len(leaves), lambda i, j: sp.diff(f, leaves[i], leaves[j]))
        depends = any(h.has(*leaves) for h in hess)
        hess = hess.xreplace(at)
        grids = orthogonal.leaves(ctx, low, [f] + _flat(e))
        verdicts.append(_trials(grad, hess, opt.kind, positive, grids, rng) + (depends,))
    for kind, pairs, msg, _ in verdicts:
        if kind == "moves":
            return "SC100", (f"refuted: the gradient of what the arg {opt.kind} {opt.kind}imises is not zero at the "
                             f"point stated{msg}, so that point is not the arg {opt.kind}"), pairs
    if any(kind == "flat" for kind, _, _, _ in verdicts):
        which = "positive" if opt.kind == "min" else "negative"
        return "SC202", ("undecided: the gradient vanishes at the point stated, but the Hessian there is "
                         f"not {which} definite at every trial, so it need not be the arg {opt.kind}"), ()
    if any(depends for *_, depends in verdicts):
        return "SC202", ("undecided: the gradient vanishes at the point stated, but what the arg "
                         f"{opt.kind} {opt.kind}imises is not quadratic in the variable, so a stationary point need "
                         f"not be the arg {opt.kind}"), ()
    return "SC002", (f"verified numerically: the gradient of what the arg {opt.kind} {opt.kind}imises vanishes "
                     "at the point stated and its constant Hessian is "
                     f"{'positive' if opt.kind == 'min' else 'negative'} definite, at every trial "
                     "(exact rational arithmetic)"), ()


def _short(v: object) -> str:
    from symcheck.decide import _short as short
    return short(sp.N(v, 10) if isinstance(v, sp.Rational) and len(str(v)) > 40 else v)


def _trials(grad: list[object], hess: sp.Matrix, kind: str, positive: set[str], grids: list[tuple[str, list]],
            rng: random.Random) -> tuple[str, tuple, str]:
    free = sorted(set().union(*(getattr(g, "free_symbols", set()) for g in grad), hess.free_symbols),
                  key=lambda s: s.name)
    for t in range(6):
        point = numeric.random_point(free, rng, t)
        for s in free:
            if s.name in positive:
                point[s] = abs(point[s]) + sp.Rational(1, 10)
        orthogonal.draw_into(point, grids, rng, t)
        try:
            values = [sp.simplify(g.xreplace(point)) if hasattr(g, "xreplace") else g for g in grad]
        except (ZeroDivisionError, TypeError, ValueError):
            continue
        nonzero = [k for k, v in enumerate(values) if v != 0 and getattr(v, "is_zero", None) is False]
        if nonzero:
            used = sorted(set().union(*(getattr(grad[k], "free_symbols", set()) for k in nonzero)),
                          key=lambda s: s.name)
            return "moves", tuple((s.name, str(point[s])) for s in used[:12]), \
                f": entry {nonzero[0] + 1} is {_short(values[nonzero[0]])}"
        h = hess.xreplace(point)
        try:
            definite = (h if kind == "min" else -h).is_positive_definite
        except (TypeError, ValueError):
            definite = None
        if not definite:
            return "flat", (), ""
    return "least", (), ""
