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


def lower_derivative(low: Lowerer, n: ir.Deriv) -> object:
    if n.num is None:
        raise LowerError("unsupported", "a derivative operator applied to nothing", n.span)
    if n.kind not in ("partial", "total", "nabla"):
        raise LowerError("unsupported", f"a {n.kind} derivative", n.span)
    result: object | None = None
    num: object = n.num
    for var, order in n.wrt:
        for _ in range(order):
            result = differentiate(low, num if result is None else None, var, n.span, result)
    return result


def differentiate(low: Lowerer, num: object | None, var: object, span: ir.Span,
                  num_value: object | None = None) -> object:
    var = _strip(var)
    if isinstance(var, ir.Transpose):
        v = differentiate(low, num, var.arg, span, num_value)
        return v.T if is_matrix(v) else v  # type: ignore[union-attr]
    frozen_key, entry = _intermediate(low, var)
    if frozen_key is not None:
        real = low.qval(frozen_key)
        ph = _placeholder(frozen_key, real)
        frozen = dict(low.frozen)
        frozen[frozen_key] = ph
        inner = low.child(frozen=frozen)
        nv = inner.lower(num) if num_value is None else num_value
        vv = inner.lower(var)
        d = _d(nv, vv, span)
        subs = dict(zip(_flat(ph), _flat(real)))
        return d.xreplace(subs) if hasattr(d, "xreplace") else d  # type: ignore[union-attr]
    nv = low.lower(num) if num_value is None else num_value
    vv = low.lower(var)
    return _d(nv, vv, span)


def _intermediate(low: Lowerer, var: object) -> tuple[str | None, bool]:
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
        if q is not None and q.definition is not None:
            return key, key == k and var.sub is not None
        if q is not None and q.grid is not None and not q.self_named and _grid_is_defined(low, key):
            return key, key == k and var.sub is not None
    if var.sub and k in c.families:
        f = c.families[k]
        if f.names_entries_of is not None and f.names_entries_of not in low.frozen:
            return f.names_entries_of, True
    return None, False


def _grid_is_defined(low: Lowerer, key: str) -> bool:
    v = low.qval(key)
    return is_matrix(v) and not all(isinstance(x, sp.Symbol) for x in v)  # type: ignore[union-attr]


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


def _d(nv: object, vv: object, span: ir.Span) -> object:
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
        return sp.Matrix(r, c, lambda i, j: sp.diff(nv, vv[i, j]))  # type: ignore[index]
    nr, nc = nv.shape  # type: ignore[union-attr]
    if nc == 1 and c == 1:
        return sp.Matrix(r, nr, lambda i, j: sp.diff(nv[j, 0], vv[i, 0]))  # type: ignore[index]
    raise LowerError("unsupported", f"the derivative of a {shape_text(nv)} matrix by a {shape_text(vv)} matrix", span)
