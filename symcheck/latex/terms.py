"""Product terms: what a flat list of factors means.

A term is read in three steps because lecture notes rely on all of them:
1. absorbing heads (\\sum, \\prod, \\nabla_x, ∂_x, operator-form derivatives) take
   *the rest of the term* as operand -- ``\\sum_i a_i b_i + c`` sums ``a_i b_i``;
2. syntactic functions take the next factor (\\exp x) or the following bracket,
   a primed symbol or a \\operatorname word before a bracket becomes Apply;
3. ``/`` divides what precedes it in the term by the next factor (or by
   ``∂ W``/``d x`` when the numerator starts with a differential).
Fractions whose numerator and denominator both start with ∂ or a bare d are
derivatives (read_ratio).
"""
from __future__ import annotations

import re

from symcheck.latex import ir
from symcheck.latex.marks import (HEADS, DerivHead, FuncHead, NablaHead, PartialMark, ReadError,
                                  SumHead, Word, union)

Item = tuple  # (op: str | None, node)

# operators written as words that apply to the next factor without parentheses (\operatorname{tr} H)
OPERATOR_WORDS = frozenset({"tr", "Tr", "trace", "det", "diag", "Diag", "rank", "sign", "sgn", "vec", "softmax",
                            "exp", "log", "ln"})
_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")


def make_mul(items: list[Item]) -> object:
    if len(items) == 1:
        return items[0][1]
    factors = tuple(n for _, n in items)
    ops = tuple(op or "juxt" for op, _ in items[1:])
    return ir.Mul(factors, ops, union(*(f.span for f in factors)))


def _is_absorbing(node: object) -> bool:
    return isinstance(node, HEADS) or (isinstance(node, PartialMark) and bool(node.wrt))


def finish_term(items: list[Item]) -> object:
    """Read one product term (see module docstring); items[0] has op None."""
    segs: list[list[Item]] = [[]]
    heads: list[Item] = [(None, None)]
    for op, node in items:
        if _is_absorbing(node):
            heads.append((op, node))
            segs.append([])
        else:
            segs[-1].append((op, node))
    inner: Item | None = None
    for k in range(len(segs) - 1, 0, -1):
        op_h, head = heads[k]
        body_items = list(segs[k])
        if inner is not None:
            body_items.append(inner)
        if body_items:
            body_items[0] = (None, body_items[0][1])
        body = _bind(body_items) if body_items else None
        inner = (op_h, _apply_head(head, body))
    final = list(segs[0])
    if inner is not None:
        final.append(inner)
    final[0] = (None, final[0][1])
    return _bind(final)


def _apply_head(head: object, body: object | None) -> object:
    if isinstance(head, SumHead):
        if body is None:
            raise ReadError(f"\\{head.op} without a summand", head.span,
                            "write the summand after the limits")
        span = union(head.span, body.span)
        if not head.indices:
            return ir.Sum(None, head.lower, head.upper, body, span, head.over, head.op)
        node = body
        for k in range(len(head.indices) - 1, -1, -1):
            last = k == len(head.indices) - 1
            node = ir.Sum(head.indices[k], head.lower if last else None,
                          head.upper if last else None, node, span,
                          head.over if last else None, head.op, head.exclude if last else None)
        return node
    if isinstance(head, DerivHead):
        span = head.span if body is None else union(head.span, body.span)
        return ir.Deriv(head.kind, body, head.wrt, span, operator_form=True)
    if isinstance(head, NablaHead):
        span = head.span if body is None else union(head.span, body.span)
        return ir.Deriv("nabla", body, head.wrt, span, order=head.order)
    assert isinstance(head, PartialMark)
    span = head.span if body is None else union(head.span, body.span)
    return ir.Deriv("partial", body, head.wrt, span, operator_form=body is None)


def _bind(items: list[Item]) -> object:
    """Functions (right to left, so \\log \\exp x nests), then '/' (left to right)."""
    items = list(items)
    k = len(items) - 1
    while k >= 0:
        op, node = items[k]
        nxt = items[k + 1] if k + 1 < len(items) else None
        juxt_next = nxt is not None and nxt[0] in (None, "juxt")
        if isinstance(node, FuncHead):
            if juxt_next:
                arg = nxt[1]
                outer = None  # \exp(z)^2, \max(0, z)^2: the power is of the value, (e^z)^2
                if isinstance(arg, ir.Pow) and isinstance(arg.base, ir.Paren) and arg.base.delim == "(":
                    outer, arg = arg, arg.base
                args = arg.items if isinstance(arg, ir.Paren) and arg.delim == "(" else (arg,)
                app: object = ir.Apply(node.func, tuple(args), union(node.span, arg.span))
                if outer is not None:
                    app = ir.Pow(app, outer.exp, union(node.span, outer.span))
                del items[k + 1]
            else:
                app = node.func
            if node.power is not None:
                app = ir.Pow(app, node.power, union(app.span, node.power.span))
            items[k] = (op, app)
        elif isinstance(node, Word):
            paren = juxt_next and isinstance(nxt[1], ir.Paren) and nxt[1].delim == "("
            word = node.text.strip()
            named = node.cmd.startswith(("operatorname", "mathrm", "mathit", "mathsf")) and _IDENT.match(word)
            if paren and (_IDENT.match(node.text) or node.cmd.startswith("operatorname")):
                func = ir.Symbol(word, node.span)
                items[k] = (op, ir.Apply(func, nxt[1].items, union(node.span, nxt[1].span)))
                del items[k + 1]
            elif named and juxt_next and word in OPERATOR_WORDS:
                # \operatorname{tr} H, \mathrm{diag}\, v: the operator applied to what follows
                func = ir.Symbol(word, node.span)
                items[k] = (op, ir.Apply(func, (nxt[1],), union(node.span, nxt[1].span)))
                del items[k + 1]
            elif named:
                items[k] = (op, ir.Symbol(word, node.span))  # \mathrm{FL}, \operatorname{df}: a name
            else:
                items[k] = (op, ir.Text(node.text, node.span))
        elif isinstance(node, ir.Symbol) and node.prime and juxt_next \
                and isinstance(nxt[1], ir.Paren) and nxt[1].delim == "(":
            items[k] = (op, ir.Apply(node, nxt[1].items, union(node.span, nxt[1].span)))
            del items[k + 1]
        k -= 1
    out: list[Item] = []
    k = 0
    while k < len(items):
        op, node = items[k]
        if op == "/":
            if not out:
                raise ReadError("'/' without a numerator", node.span)
            den = [(None, node)]
            k += 1
            if _marker(out[0][1]) is not None and _marker(node) is not None:
                # ∂ℓ/∂W, dy/dx, ∂²f/∂x∂y: the denominator is differential + variable pairs
                while k < len(items) and items[k][0] in (None, "juxt") and \
                        (len(den) % 2 == 1 or _marker(items[k][1]) is not None):
                    den.append(items[k])
                    k += 1
            num_node = make_mul([(None, out[0][1])] + out[1:])
            den_node = make_mul(den)
            res = read_ratio(num_node, den_node, union(num_node.span, den_node.span), slash=True)
            out = [(out[0][0], res)]
            continue
        out.append((op, node))
        k += 1
    return make_mul(out)


def _marker(node: object) -> tuple[str, int] | None:
    """('partial', n) for ∂ / ∂^n, ('total', n) for a bare d / d^n, else None."""
    if isinstance(node, PartialMark) and not node.wrt:
        return ("partial", node.order)
    if isinstance(node, ir.Symbol) and node.base == "d" and not node.accent and node.sub is None \
            and node.label is None and not node.prime and node.style in ("", "rm"):
        return ("total", 1)
    if isinstance(node, ir.Pow) and isinstance(node.exp, ir.Number) and node.exp.text.isdigit():
        m = _marker(node.base)
        if m is not None and m[0] == "total":
            return ("total", int(node.exp.text))
    return None


def _factors(node: object) -> list[object]:
    return list(node.factors) if isinstance(node, ir.Mul) else [node]


def unparen(node: object) -> object:
    if isinstance(node, ir.Paren) and node.delim == "(" and len(node.items) == 1:
        return node.items[0]
    return node


def read_ratio(num: object, den: object, span, slash: bool = False) -> object:
    """\\frac{num}{den} or num/den: a derivative, an operator-form derivative or a Frac."""
    numf, denf = _factors(num), _factors(den)
    m = _marker(numf[0])
    if m is not None:
        d = _read_deriv(m, num, numf, denf, span)
        if d is not None:
            return d
        if m[0] == "partial":
            raise ReadError("cannot read this derivative: the denominator must be ∂ followed by "
                            "a variable", den.span if hasattr(den, "span") else span)
    for f in numf + denf:
        if isinstance(f, PartialMark):
            raise ReadError("\\partial outside a derivative", f.span)
    return ir.Frac(num, den, span, slash=slash)


def _read_deriv(m: tuple[str, int], num_node: object, numf: list, denf: list, span) -> object | None:
    kind, n = m
    wrt: list[list] = []
    k = 0
    while k < len(denf):
        mk = _marker(denf[k])
        if mk is None or mk[0] != kind or k + 1 >= len(denf) or _marker(denf[k + 1]) is not None:
            return None
        wrt.append([unparen(denf[k + 1]), mk[1]])
        k += 2
    if not wrt:
        return None
    if n > 1 and sum(o for _, o in wrt) != n:
        cand = []
        for v, o in wrt:
            if isinstance(v, ir.Pow) and isinstance(v.exp, ir.Number) and v.exp.text.isdigit():
                cand.append([v.base, o * int(v.exp.text)])
            else:
                cand.append([v, o])
        if sum(o for _, o in cand) == n:
            wrt = cand
    wrt_t = tuple((v, o) for v, o in wrt)
    rest = numf[1:]
    if not rest:
        return DerivHead(kind, wrt_t, span)
    if len(rest) > 1 and isinstance(num_node, ir.Mul):
        num = ir.Mul(num_node.factors[1:], num_node.ops[1:], union(*(f.span for f in rest)))
    else:
        num = unparen(make_mul([(None, f) for f in rest]))
    return ir.Deriv(kind, num, wrt_t, span)
