"""Derivatives, computed from the document's definitions.

The variable decides the method.  A leaf (data, weight) is differentiated against
directly.  A defined intermediate (``u = W x``, ``z^{pred}``) is *frozen*: the
numerator is rebuilt with that quantity as fresh symbols, differentiated, and the
definition substituted back — the meaning of a partial derivative in a
computational graph.  Layout is the denominator (gradient) layout: ∂(scalar)/∂W has
W's shape and (∂u/∂x)_{ij} = ∂u_j/∂x_i.
"""
from __future__ import annotations

import sympy as sp

from symcheck import names
from symcheck.context import unwrap
from symcheck.latex import ir
from symcheck.lower import LowerError, Lowerer, as_scalar, is_matrix, leaf, shape_text


def _strip(node: object) -> object:
    node = unwrap(node)
    while isinstance(node, ir.Paren) and len(node.items) == 1 and node.delim in ("(", "["):
        node = unwrap(node.items[0])
    return node


def _applied_argument(num: object) -> ir.Symbol | None:
    """x in f(x) (read as f applied to one plain symbol), else None."""
    num = _strip(num)
    if isinstance(num, ir.Apply) and len(num.args) == 1 and isinstance(_strip(num.args[0]), ir.Symbol):
        return _strip(num.args[0])  # type: ignore[return-value]
    if isinstance(num, ir.Mul) and len(num.factors) == 2 and isinstance(num.factors[0], ir.Symbol) \
            and isinstance(num.factors[1], ir.Paren) and len(num.factors[1].items) == 1 \
            and isinstance(_strip(num.factors[1].items[0]), ir.Symbol):
        return _strip(num.factors[1].items[0])  # type: ignore[return-value]
    return None


def _function_at(low: Lowerer, num: object) -> tuple[ir.Symbol, str, object | None] | None:
    """(f, its variable, the point) for ``f`` or ``f(0)`` with f a function of one plain variable."""
    num = _strip(num)
    point: object | None = None
    f = num
    if isinstance(num, ir.Mul) and len(num.factors) == 2 and isinstance(num.factors[1], ir.Paren) \
            and len(num.factors[1].items) == 1 and num.ops == ("juxt",):
        f, point = num.factors[0], num.factors[1].items[0]
    elif isinstance(num, ir.Apply) and len(num.args) == 1:
        f, point = num.func, num.args[0]
    if not isinstance(f, ir.Symbol) or f.prime:
        return None
    fd = low.ctx.functions.get(names.key_with_sub(f) or names.key(f))
    if fd is None or len(fd.params) != 1 or not fd.params[0].isalpha():
        return None
    return f, fd.params[0], point


def lower_derivative(low: Lowerer, n: ir.Deriv) -> object:
    if n.num is None:
        raise LowerError("unsupported", "a derivative operator applied to nothing", n.span)
    if n.kind not in ("partial", "total", "nabla"):
        raise LowerError("unsupported", f"a {n.kind} derivative", n.span)
    result: object | None = None
    num: object = n.num
    wrt = n.wrt
    if n.kind == "nabla" and not wrt:
        arg = _applied_argument(num)
        if arg is None:
            at = _function_at(low, num)
            if at is None:
                raise LowerError("unsupported", "a gradient ∇ that does not say with respect to what", n.span)
            # ∇f(0), ∇²f: with respect to the function's own variable, then at the point written
            fsym, param, point = at
            pvar = ir.Symbol(param, n.span)
            body = ir.Mul((fsym, ir.Paren((pvar,), "(", n.span)), ("juxt",), n.span)
            for _ in range(n.order):
                result = differentiate(low, body if result is None else None, pvar, n.span, result)
            if point is None:
                return result
            leaves, val = low.lower(pvar), as_scalar(low.lower(point))
            flat_leaves = _flat(leaves)
            vals = _flat(val) if is_matrix(val) else [val] * len(flat_leaves)
            if len(vals) != len(flat_leaves) or not all(isinstance(x, sp.Symbol) for x in flat_leaves):
                raise LowerError("shape", "the point does not fit the function's variable", n.span)
            sub = dict(zip(flat_leaves, vals))
            return result.xreplace(sub) if hasattr(result, "xreplace") else result  # type: ignore[union-attr]
        wrt = ((arg, n.order),)  # ∇f(x), ∇²f(x): with respect to the argument written
    partials = _function_partials(low, _strip(num), [(_strip(v), k) for v, k in wrt])
    if partials is not None:
        return partials
    for var, order in wrt:
        for _ in range(order):
            result = differentiate(low, num if result is None else None, var, n.span, result)
    return result


def _function_partials(low: Lowerer, num: object, wrt: list[tuple[object, int]]) -> object | None:
    """∂²ℓ/∂μ∂v of the document's ℓ(μ, v) whose argument v is also defined (v = σ²):
    differentiated by the arguments, then taken where the relation's own v is."""
    if not isinstance(num, ir.Symbol) or num.sub:
        return None
    k = names.key(num)
    fd = low.ctx.functions.get(k)
    if fd is None or fd.contradicts or k in low.locals or any(p in low.ctx.shapes for p in fd.params):
        return None
    at = {p for p in fd.params if p in low.ctx.quantities and low.ctx.quantities[p].definition is not None
          and not low._defined_later(p)}
    vks = [names.key_with_sub(v) or names.key(v) if isinstance(v, ir.Symbol) else None for v, _ in wrt]
    if not at or not all(vk in fd.params for vk in vks):
        return None
    leaves = [leaf(names.display(p)) for p in fd.params]
    d = low._apply_def(fd, leaves)
    for vk, (_, order) in zip(vks, wrt):
        for _ in range(order):
            d = sp.diff(d, leaves[fd.params.index(vk)])
    vals = {x: low.qval(p) for x, p in zip(leaves, fd.params) if p in at}
    return d.subs({x: v for x, v in vals.items() if not is_matrix(v)})


def _function_derivative(low: Lowerer, num: object, var: object, span: ir.Span) -> object | None:
    """df/dx with f a function: f' taken with respect to the argument it names."""
    from symcheck import functions
    if not (isinstance(num, ir.Symbol) and not num.sub and isinstance(var, ir.Symbol)):
        return None
    k, vk = names.key(num), names.key_with_sub(var) or names.key(var)
    fd = low.ctx.functions.get(k)
    if vk in low.ctx.functions and vk not in low.locals:
        raise LowerError("unsupported", f"a derivative with respect to the function {names.display(vk)} "
                         "(a chain rule written with function names)", span)
    if fd is not None and k not in low.locals and not fd.contradicts \
            and not any(p in low.ctx.shapes for p in fd.params):  # J(w) of a vector w: the general path
        if vk not in fd.params and len(fd.params) == 1:
            x = leaf(names.display(vk))  # df/dv for a function of one variable: f'(v)
            return sp.diff(low._apply_def(fd, [x]), x)
        if vk not in fd.params:
            raise LowerError("unsupported", f"{names.display(vk)} is not an argument of {names.display(k)}", span)
        leaves = [leaf(names.display(p)) for p in fd.params]
        body = low._apply_def(fd, leaves)
        return sp.diff(body, leaves[fd.params.index(vk)])
    kn = functions.lookup(num.base)
    if kn is not None and k not in low.ctx.quantities and k not in low.locals and not num.sub:
        x = leaf(names.display(vk)) if vk in low.locals else low.lower(var)
        if not isinstance(x, sp.Symbol):
            raise LowerError("unsupported", "a derivative of a function by an expression", span)
        return sp.diff(functions.apply(kn, x), x)
    return None


def differentiate(low: Lowerer, num: object | None, var: object, span: ir.Span,
                  num_value: object | None = None) -> object:
    var = _strip(var)
    if num_value is None:
        fd = _function_derivative(low, _strip(num), var, span)
        if fd is not None:
            return fd
    if isinstance(var, ir.Transpose):
        v = differentiate(low, num, var.arg, span, num_value)
        return v.T if is_matrix(v) else v  # type: ignore[union-attr]
    held = _family_entry(low, var)
    if held is not None:
        # ∂L/∂ŷ_i with ŷ_i = Σ_j w_j x_{ij} + b: that entry is a variable of its own
        fkey, real = held
        ph = leaf(f"⟨{fkey[1:]}⟩")
        inner = low.child(frozen=dict(low.frozen, **{fkey: ph}))
        nv = inner.lower(num) if num_value is None else num_value
        free = set().union(*(getattr(x, "free_symbols", set()) for x in _flat(nv)))
        if ph not in free and free & getattr(real, "free_symbols", set()):
            # the numerator uses what the entry stands for, never the entry itself (p_i = σ(x_i^T w)
            # beside z_i = x_i^T w): how it depends on the entry alone is not written down
            raise LowerError("unsupported", f"differentiating with respect to {fkey[1:]}, which "
                             "the expression depends on only through what it stands for", span)
        d = _d(nv, ph, span, low.ctx.layout)
        return d.xreplace({ph: real}) if hasattr(d, "xreplace") else d  # type: ignore[union-attr]
    frozen_key, entry = intermediate(low, var)
    if frozen_key is not None:
        real = low.lower(var) if frozen_key in low.ctx.collected and frozen_key not in low.ctx.quantities \
            else low.qval(frozen_key)
        ph = _placeholder(frozen_key, real)
        frozen = dict(low.frozen)
        frozen[frozen_key] = ph
        inner = low.child(frozen=frozen)
        nv = inner.lower(num) if num_value is None else num_value
        vv = inner.lower(var)
        d = _d(nv, vv, span, low.ctx.layout)
        _check_zero(inner, num, d, span)
        subs = dict(zip(_flat(ph), _flat(real)))
        return d.xreplace(subs) if hasattr(d, "xreplace") else d  # type: ignore[union-attr]
    nv = low.lower(num) if num_value is None else num_value
    vv = low.lower(var)
    d = _d(nv, vv, span, low.ctx.layout)
    _check_zero(low, num, d, span)
    return d


def _check_zero(low: Lowerer, num: object | None, d: object, span: ir.Span) -> None:
    """∂p_3/∂z_3 with p_3 given only as a number: that it does not depend on z_3 is not
    something the document says, so a zero derivative is no verdict."""
    if num is not None and all(x == 0 for x in _flat(d)):
        unknown = _unmodelled(low, num)
        if unknown:
            raise LowerError("unsupported", f"{unknown} is given no formula, so how it depends on "
                             "the variable is not known", span)


def _unmodelled(low: Lowerer, num: object) -> str | None:
    """A name the numerator reaches (through definitions) that the document neither
    defines, declares nor gives a shape: data, or a quantity it never modelled."""
    from symcheck import irutil
    c = low.ctx
    seen: set[str] = set()
    todo = [num]
    while todo:
        node = todo.pop()
        skip: set[int] = set()  # subscripts, a sum's index and bounds: no quantities
        for x in irutil.walk(node):
            if isinstance(x, ir.Symbol) and x.sub:
                skip |= {id(i) for it in x.sub for i in irutil.walk(it)}
            if isinstance(x, ir.Sum):
                skip |= {id(i) for part in (x.index, x.lower, x.upper) if part is not None for i in irutil.walk(part)}
        for n in irutil.walk(node):
            if not isinstance(n, ir.Symbol) or id(n) in skip or n.base in ("e", "pi") or n.base.isdigit():
                continue
            k, ks = names.key(n), names.key_with_sub(n)
            key = ks if ks is not None and (ks in c.quantities or ks in c.functions) else k
            if key in seen:
                continue
            seen.add(key)
            q, f = c.quantities.get(key), c.families.get(k)
            if q is not None and _reported_value(q.definition):
                return names.display(key)  # p_1 = 0.0900: a value reported to 4 decimals, not a model
            if q is not None and q.definition is not None:
                todo.append(q.definition)
                continue
            if f is not None and f.body is not None:
                todo.append(f.body)
                continue
            if key in c.functions:
                todo.append(c.functions[key].body)
                continue
            if (q is not None and (q.grid is not None or q.declared is not None)) \
                    or (key in c.shapes and key not in c.claim_shaped) \
                    or (f is not None and f.names_entries_of is not None) or k in c.family_vectors \
                    or k in c.collected or key in c.abstract or key in c.size_symbols or key in low.locals \
                    or key in low.frozen or n.base in low.indices or functions_known(n):
                continue
            if n.sub and all(isinstance(i, ir.Symbol) for i in n.sub) is False and ks is None:
                continue
            return names.display(ks or k) if n.sub else names.display(k)
    return None


def _reported_value(node: object) -> bool:
    """A decimal number (0.0900), possibly negated: a computed value written down, not a constant."""
    while isinstance(node, (ir.Neg, ir.Paren)):
        node = node.arg if isinstance(node, ir.Neg) else (node.items[0] if len(node.items) == 1 else None)
    return isinstance(node, ir.Number) and "." in node.text


def functions_known(n: ir.Symbol) -> bool:
    from symcheck import functions
    return not n.sub and functions.lookup(n.base) is not None


def _family_entry(low: Lowerer, var: object) -> tuple[str, object] | None:
    """(frozen key, value) of a defined scalar entry ``ŷ_i`` (family with a body), if ``var`` is one."""
    if not isinstance(var, ir.Symbol) or not var.sub or var.prime:
        return None
    c = low.ctx
    k = names.key(var)
    f = c.families.get(k)
    if f is None or f.body is None or len(f.params) != len(var.sub) or k in c.quantities \
            or (names.key_with_sub(var) or "") in c.quantities:
        return None
    idx = tuple(low.index_value(x) for x in var.sub)
    fkey = names.entry_name(k, idx)
    if fkey in low.frozen:
        return None
    real = as_scalar(low.family(k, idx, var.span))
    if is_matrix(real) or isinstance(real, sp.Symbol):
        return None
    return "@" + fkey, real


def intermediate(low: Lowerer, var: object) -> tuple[str | None, bool]:
    """The defined quantity a variable refers to (u, u_j, z_i^{pred}), if any."""
    if not isinstance(var, ir.Symbol):
        return None, False
    c = low.ctx
    ks = names.key_with_sub(var)
    k = names.key(var)
    for key in (ks, k):
        if key is None or key in low.frozen:
            continue
        q = c.quantities.get(key)
        if q is not None and (q.definition is not None or (q.grid is not None and not q.self_named)) \
                and _grid_is_defined(low, key):
            return key, key == k and var.sub is not None
    if var.sub and k in c.families:
        f = c.families[k]
        if f.names_entries_of is not None and f.names_entries_of not in low.frozen:
            return f.names_entries_of, True
    if not var.sub and k in c.collected and k not in low.frozen and k not in c.quantities \
            and k in c.families and c.families[k].body is not None:
        return k, False  # ∇_p ℓ with p_i = e^{z_i}/Σ_k e^{z_k}: the vector of the p_i, held fixed
    return None, False


def _grid_is_defined(low: Lowerer, key: str) -> bool:
    """True unless the quantity is just an arrangement of variables (then it is one)."""
    v = low.qval(key)
    if is_matrix(v):
        return not all(isinstance(x, sp.Symbol) for x in v)  # type: ignore[union-attr]
    return not isinstance(v, sp.Symbol)


def _placeholder(key: str, real: object) -> object:
    name = names.display(key)
    if is_matrix(real):
        r, c = real.shape  # type: ignore[union-attr]
        if c == 1:
            return sp.Matrix(r, 1, lambda i, j: leaf(f"⟨{name}⟩_{{{i + 1}}}"))
        return sp.Matrix(r, c, lambda i, j: leaf(f"⟨{name}⟩_{{{i + 1}{j + 1}}}"))
    return leaf(f"⟨{name}⟩")


def _flat(v: object) -> list[object]:
    return list(v) if is_matrix(v) else [v]  # type: ignore[call-overload]


def _d(nv: object, vv: object, span: ir.Span, layout: str = "denominator") -> object:
    vv = as_scalar(vv)
    if not is_matrix(vv):
        if not isinstance(vv, sp.Symbol):
            raise LowerError("unsupported", f"differentiating with respect to an expression ({vv})", span)
        return nv.diff(vv) if is_matrix(nv) else sp.diff(nv, vv)  # type: ignore[union-attr]
    if not all(isinstance(x, sp.Symbol) for x in vv):  # type: ignore[union-attr]
        raise LowerError("unsupported", "differentiating with respect to a matrix that is not made of variables", span)
    r, c = vv.shape  # type: ignore[union-attr]
    nv = as_scalar(nv)
    if not is_matrix(nv):
        g = sp.Matrix(r, c, lambda i, j: sp.diff(nv, vv[i, j]))  # type: ignore[index]
        return g.T if layout == "numerator" and c > 1 else g
    nr, nc = nv.shape  # type: ignore[union-attr]
    if nc == 1 and c == 1:
        return sp.Matrix(r, nr, lambda i, j: sp.diff(nv[j, 0], vv[i, 0]))  # type: ignore[index]
    raise LowerError("unsupported", f"the derivative of a {shape_text(nv)} matrix by a {shape_text(vv)} matrix", span)
