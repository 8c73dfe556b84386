"""What an undefined cost depends on.

Notes often leave the loss ℓ abstract: "assuming ∂ℓ/∂u is known".  Then ℓ is a
function of the block's outputs, and which outputs is read from the relation
itself (the ∂ℓ/∂u it mentions) or, failing that, from the most recent definition
of an output before it.
"""
from __future__ import annotations

from symcheck import irutil, names
from symcheck.context import Context, Statement
from symcheck.latex import ir


FAMILY = "family:"  # an output that is a family of scalars y_i = γ x̂_i + β, not one quantity


def _var_quantity(ctx: Context, var: object) -> str | None:
    while isinstance(var, (ir.Transpose, ir.Paren)):
        var = var.arg if isinstance(var, ir.Transpose) else var.items[0]
    if not isinstance(var, ir.Symbol):
        return None
    for k in (names.key_with_sub(var), names.key(var)):
        if k is not None and k in ctx.quantities and ctx.quantities[k].definition is not None:
            return k
    f = ctx.families.get(names.key(var))
    if f is not None and f.names_entries_of is not None:
        return f.names_entries_of
    if f is not None and f.body is not None and len(f.params) == 1 and var.sub and len(var.sub) == 1:
        return FAMILY + names.key(var)  # ∂L/∂y_i with y_i = γ x̂_i + β
    return None


def outputs(ctx: Context) -> list[str]:
    """Defined quantities no other definition uses, in order of definition."""
    cached = ctx.__dict__.get("outputs_cache")
    if cached is None:
        cached = ctx.__dict__["outputs_cache"] = _outputs(ctx)
    return cached


def _depends(ctx: Context, a: str, b: str) -> bool:
    """Does the definition of a use b, directly or through other definitions?"""
    a, b = (x[len(FAMILY):] if x.startswith(FAMILY) else x for x in (a, b))
    seen: set[str] = set()
    todo = [a]
    while todo:
        k = todo.pop()
        f = ctx.families.get(k)
        if k in ctx.quantities and ctx.quantities[k].definition is not None:
            body = ctx.quantities[k].definition
        elif k not in ctx.quantities and f is not None and f.body is not None:
            body = f.body  # y_i = γ x̂_i + β
        else:
            continue
        if k in seen:
            continue
        seen.add(k)
        for sym in irutil.symbols(body):
            for kk in (names.key(sym), names.key_with_sub(sym)):
                if kk == b:
                    return True
                if kk:
                    todo.append(kk)
    return False


def _names_a_gradient(ctx: Context, k: str) -> bool:
    """``g = ∂L/∂h`` with L undefined: g names the upstream gradient; it is neither
    a model output nor a use of h."""
    d = ctx.quantities[k].definition
    while isinstance(d, ir.Paren) and len(d.items) == 1:
        d = d.items[0]
    return isinstance(d, ir.Deriv) and isinstance(d.num, ir.Symbol) and names.key(d.num) in ctx.abstract


def _outputs(ctx: Context) -> list[str]:
    defined = [st.defines for st in ctx.statements if st.role == "definition"
               and st.defines in ctx.quantities and ctx.quantities[st.defines].definition is not None
               and not _names_a_gradient(ctx, st.defines)]
    families = [st.defines for st in ctx.statements if st.role == "definition" and st.defines in ctx.families
                and ctx.families[st.defines].body is not None and len(ctx.families[st.defines].params) == 1
                and st.defines not in ctx.quantities
                and not _names_a_gradient_body(ctx, ctx.families[st.defines].body)]
    out = [k for k in dict.fromkeys(defined) if not _used_by_others(ctx, k, defined)]  # type: ignore[arg-type]
    out += [FAMILY + k for k in dict.fromkeys(families) if not _used_by_others(ctx, k, defined)]  # type: ignore[operator,arg-type]
    return out


def _names_a_gradient_body(ctx: Context, d: object) -> bool:
    while isinstance(d, ir.Paren) and len(d.items) == 1:
        d = d.items[0]
    return isinstance(d, ir.Deriv) and isinstance(d.num, ir.Symbol) and names.key(d.num) in ctx.abstract


def _used_by_others(ctx: Context, k: str, defined: list[str]) -> bool:
    """Does another definition (of a quantity or of a family) use k?"""
    for other in defined:
        if other != k:
            for s in irutil.symbols(ctx.quantities[other].definition):
                if k in (names.key(s), names.key_with_sub(s)):
                    return True
    for other, f in ctx.families.items():
        if other != k and f.body is not None and not _names_a_gradient_body(ctx, f.body):
            for s in irutil.symbols(f.body):
                if k in (names.key(s), names.key_with_sub(s)):
                    return True
    return False


def arguments(ctx: Context, st: Statement) -> dict[str, tuple[str, ...]]:
    cache = ctx.__dict__.setdefault("arguments_cache", {})
    key = (st.index, id(st.relation))
    hit = cache.get(key)
    if hit is not None and hit[0] is st.relation:
        return hit[1]
    out = _arguments(ctx, st)
    cache[key] = (st.relation, out)
    return out


def _arguments(ctx: Context, st: Statement) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    if not ctx.abstract:
        return out
    for cost in sorted(ctx.abstract):
        found: list[str] = []
        for n in irutil.walk(st.relation):
            if isinstance(n, ir.Deriv) and isinstance(n.num, ir.Symbol) and names.key(n.num) == cost:
                for var, _ in n.wrt:
                    k = _var_quantity(ctx, var)
                    if k is not None and k not in found:
                        found.append(k)
        if found:
            outs = outputs(ctx)
            # ∂L/∂z with z inside the model: L is a function of the outputs downstream of z
            keep = [k for k in found if k in outs] or \
                [o for o in outs if any(_depends(ctx, o, k) for k in found)] or found
            out[cost] = tuple(keep)
            continue
        outs_set = set(outputs(ctx))
        prior = [s.defines if s.defines in outs_set else FAMILY + s.defines for s in ctx.statements  # type: ignore[operator]
                 if s.index < st.index and s.role == "definition"
                 and (s.defines in outs_set or FAMILY + (s.defines or "") in outs_set)]
        if prior:
            out[cost] = (prior[-1],)  # type: ignore[assignment]
        else:
            outs = outputs(ctx)
            if outs:
                out[cost] = (outs[0],)
    return out
