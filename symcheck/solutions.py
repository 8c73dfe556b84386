"""Values the document solves for: "the normal equations … Solving them, b = …, a = …".

The conditions (context role ``condition``) constrain names the document has not yet
given a value; a later ``a = …`` for such a name restates the quantity the conditions
determine, so it is a claim: at random data the conditions are solved for their
unknowns, exactly, and the claim's right side (its unknowns replaced by that solution
too) must equal the solution.  Linear systems with one solution only; anything else
leaves the relation to the usual decision.
"""
from __future__ import annotations

import random

import sympy as sp

from symcheck import irutil, names
from symcheck.context import Context, Statement
from symcheck.decide import Outcome, test_sizes
from symcheck.latex import ir
from symcheck.lower import LowerError, Lowerer, as_scalar, is_matrix, leaf

TRIALS = 3


def _bare(node: object) -> ir.Symbol | None:
    return node if isinstance(node, ir.Symbol) and node.sub is None and node.label is None else None


def mark_solved(ctx: Context) -> None:
    """Definitions of names that earlier conditions mention become claims (see module doc)."""
    conds = [st for st in ctx.statements if st.role == "condition" and st.relation.op == "="]
    if not conds:
        return
    found: list[Statement] = []
    for st in ctx.statements:
        sym = _bare(st.relation.lhs)
        if st.role != "definition" or sym is None or st.chain_pos != 0:
            continue
        k = names.key(sym)
        q = ctx.quantities.get(k)
        if q is not None and q.declared is not None:
            continue  # X ∈ R^{n×d} and later X = U Σ V^T: an input of the conditions, not what they solve for
        if any(c.index < st.index and _mentions(c.relation, k) for c in conds) and not _mentions(st.relation.rhs, k):
            found.append(st)
    keys = {names.key(st.relation.lhs) for st in found}  # type: ignore[arg-type]
    used = [c for c in conds if any(_mentions(c.relation, k) for k in keys)]
    if not found or len(used) < len(keys):
        return
    for st in found:
        st.role = "claim"
    ctx.solved = {k: tuple(used) for k in keys}
    ctx.solving = {st.index for st in found}


def restates(ctx: Context, st: Statement) -> bool:
    """A claim this module decides: a flipped definition, or a later formula for the same
    name (a number alone is a worked example's value, not a formula of the conditions)."""
    sym = _bare(st.relation.lhs)
    if sym is None or names.key(sym) not in ctx.solved:
        return False
    return st.index in ctx.solving or bool(irutil.symbols(st.relation.rhs))


def _mentions(node: object, key: str) -> bool:
    return any(isinstance(n, ir.Symbol) and n.sub is None and names.key(n) == key for n in irutil.walk(node))


def _with_sum_bounds(all_sizes: list[dict[str, int]], sts: list[Statement]) -> list[dict[str, int]]:
    """Σ_{i=1}^{n} with n no shape fixes: n takes the values 3 and 4 as well."""
    bounds = sorted({names.key(n.upper) for st in sts for n in irutil.walk(st.relation)
                     if isinstance(n, ir.Sum) and _bare(n.upper) is not None})
    out = []
    for sizes in all_sizes:
        free = [b for b in bounds if b not in sizes]
        if not free:
            out.append(sizes)
            continue
        out.extend({**sizes, **{b: v for b in free}} for v in (3, 4))
    return out


def _unknowns(ctx: Context, conds: tuple[Statement, ...], sizes: dict[str, int]) -> set[str]:
    """The names the conditions are solved for: those the document restates after them, and
    every other plain name in them that nothing defines (b beside a in n a + b Σ x_i = Σ y_i)."""
    out = set(ctx.solved)
    for c in conds:
        bound = {names.key(n.index) for n in irutil.walk(c.relation) if isinstance(n, ir.Sum) and n.index is not None}
        for n in irutil.walk(c.relation):
            sym = _bare(n)
            if sym is None or ctx.constant(sym) is not None:
                continue
            k = names.key(sym)
            q = ctx.quantities.get(k)
            if k in bound or k in sizes or k in ctx.functions or k in ctx.families or (
                    q is not None and (q.definition is not None or q.grid is not None)):
                continue
            out.add(k)
    return out


def decide(ctx: Context, st: Statement) -> Outcome | None:
    sym = _bare(st.relation.lhs)
    solved = getattr(ctx, "solved", {})
    if sym is None or names.key(sym) not in solved:
        return None
    conds = solved[names.key(sym)]
    rng = random.Random(1)  # the same trials on every run
    trials = 0
    try:
        for sizes in _with_sum_bounds(test_sizes(ctx), list(conds) + [st]):
            unknowns = {k: leaf(names.display(k)) for k in sorted(_unknowns(ctx, conds, sizes))}
            low = Lowerer(ctx, dict(sizes))
            low.frozen = dict(unknowns)
            low.stmt_position = st.relation.span.start
            eqs = []
            for c in conds:
                d = as_scalar(low.lower(c.relation.lhs)) - as_scalar(low.lower(c.relation.rhs))  # type: ignore[operator]
                eqs.extend(list(d) if is_matrix(d) else [d])  # type: ignore[call-overload]
            claim = as_scalar(low.lower(st.relation.rhs))
            if is_matrix(claim):
                return None
            us = list(unknowns.values())
            data = sorted(set().union(*(sp.sympify(e).free_symbols for e in eqs + [claim])) - set(us),
                          key=lambda s: s.name)
            for _ in range(TRIALS):
                point = {s: sp.Rational(rng.randint(-9, 9), rng.randint(1, 5)) for s in data}
                system = [sp.sympify(e).xreplace(point) for e in eqs]
                sol = sp.solve(system, us, dict=True)
                if len(sol) != 1 or set(sol[0]) != set(us) or any(v.free_symbols for v in sol[0].values()):
                    return None  # no unique solution: the conditions do not determine the names
                want = sol[0][unknowns[names.key(sym)]]
                got = sp.sympify(claim).xreplace(point).xreplace(sol[0])
                if got.free_symbols:
                    return None
                trials += 1
                if sp.simplify(got - want) != 0:
                    return Outcome("SC100", f"refuted: the conditions give {names.display(names.key(sym))} = {want}, "
                                            f"the right side is {got}",
                                   ("solved the conditions exactly at random data",),
                                   tuple((s.name, str(v)) for s, v in point.items()))
    except (LowerError, TypeError, ValueError, NotImplementedError, ZeroDivisionError, AttributeError):
        return None
    if not trials:
        return None
    return Outcome("SC002", f"verified: it solves the conditions it restates ({trials} random data points, "
                            "solved exactly)", ("solved the conditions exactly at random data",))
