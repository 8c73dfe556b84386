"""Subscripts, superscripts and primes: where lecture-note meaning is decided.

``^{(2)}``, ``^{pred}`` and ``^{\\text{..}}`` on a symbol are labels (layer or role
names), ``^T``/``^\\top``/``^{\\mathsf T}`` a transpose, ``^{-T}`` the transposed
inverse, anything else a power.  A subscript keeps both its items (``x_{i1}`` →
(i, 1), ``x_{i,10}`` → (i, 10)) and its text, because only the document can say
whether ``s_{out}`` is a name or ``X_0`` an entry.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from symcheck import irutil
from symcheck.latex import ir
from symcheck.latex.marks import (EmptyGroup, FuncHead, NablaHead, PartialMark, PrimeMark, ReadError,
                                  SeqItems, StarMark, SumHead, TopMark, Word, union)
from symcheck.source import Span

_WRAPPED_TEXT = re.compile(r"^\\(text|mathrm|textrm|operatorname|mbox|textnormal)\s*\{([^{}]*)\}$")
_LETTERS2 = re.compile(r"^[A-Za-z]{2,}$")
_FIELDS = {"R", "N", "Z", "C", "Q"}


@dataclass(frozen=True)
class Script:
    kind: str  # "sub", "sup", "prime"
    node: object
    raw: str  # argument as written, braces stripped
    span: Span  # the script including its ^ or _
    count: int = 0  # primes


def inner_raw(raw: str) -> str:
    raw = raw.strip()
    if raw.startswith("{") and raw.endswith("}"):
        raw = raw[1:-1]
    return raw.strip()


def sub_text(raw: str) -> str:
    """The subscript as written, normalised: \\text{out} → out, spaces collapsed."""
    t = inner_raw(raw)
    m = _WRAPPED_TEXT.match(t)
    if m:
        t = m.group(2).strip()
    return re.sub(r"\s+", " ", t)


def _t_symbol(node: object) -> bool:
    return (isinstance(node, ir.Symbol) and node.base == "T" and node.sub is None
            and node.label is None and not node.accent and not node.prime) \
        or isinstance(node, TopMark) or (isinstance(node, ir.Text) and node.text.strip() == "T")


def _has_ellipsis(node: object) -> bool:
    if isinstance(node, ir.Ellipsis):
        return True
    if isinstance(node, ir.Mul):
        return any(isinstance(f, ir.Ellipsis) for f in node.factors)
    return False


def _label_paren(node: object) -> bool:
    """(2), (l), (l+1): a parenthesised layer index."""
    if not (isinstance(node, ir.Paren) and node.delim == "(" and len(node.items) == 1):
        return False
    x = node.items[0]
    simple = (ir.Number, ir.Symbol)
    if isinstance(x, ir.Add):
        return all(isinstance(t, simple) for _, t in x.terms)
    return isinstance(x, simple) or (isinstance(x, ir.Neg) and isinstance(x.arg, simple))


def _iterate_label(base: object, exp: object) -> bool:
    """A bold lower-case vector raised to k, t, k+1 or t-1: vectors have no powers, so the
    superscript counts iterations (``\\mathbf{w}^{k+1} = \\mathbf{w}^{k} - t \\nabla f``)."""
    if not (isinstance(base, ir.Symbol) and base.style == "bold" and base.label is None
            and base.base[:1].islower()):
        return False
    if isinstance(exp, ir.Symbol):
        return len(exp.base) == 1 and exp.base in "kt" and not exp.sub
    if isinstance(exp, ir.Number):
        return exp.text in ("0", "1")  # w^0, w^1: the first iterates (w^1 = w needs no writing)
    return isinstance(exp, ir.Add) and len(exp.terms) == 2 and isinstance(exp.terms[0][1], ir.Symbol) \
        and exp.terms[0][1].base in ("k", "t") and isinstance(exp.terms[1][1], ir.Number)


def classify_sup(s: Script) -> tuple[str, object]:
    node, raw = s.node, inner_raw(s.raw)
    if _has_ellipsis(node):
        raise ReadError(f"garbled superscript ^{{{raw}}}: an ellipsis cannot be an exponent or label",
                        s.span, "the row was probably abbreviated by hand")
    if _t_symbol(node):
        return ("transpose", None)
    if isinstance(node, ir.Neg) and _t_symbol(node.arg):
        return ("inv_transpose", None)
    if isinstance(node, PrimeMark):
        return ("prime", 1)
    if isinstance(node, ir.Mul) and all(isinstance(f, PrimeMark) for f in node.factors):
        return ("prime", len(node.factors))
    if isinstance(node, StarMark):
        return ("label", "*")
    if isinstance(node, (Word, ir.Text)):
        return ("label", node.text.strip())
    if isinstance(node, ir.Symbol) and len(node.base) > 1 and _WRAPPED_TEXT.match(raw):
        return ("label", node.base)  # x^{\mathrm{new}}: read as a name since \mathrm words are names
    if _label_paren(node):
        return ("label", re.sub(r"\s+", "", raw))
    if _LETTERS2.match(raw):
        return ("label", raw)
    return ("pow", node)


def _digits(node: ir.Number, pos: dict, row) -> list[object]:
    where = pos.get(id(node))
    if where is None or len(node.text) < 2 or not node.text.isdigit():
        return [node]
    i = where[0]
    return [ir.Number(c, row.span(i + k, i + k + 1)) for k, c in enumerate(node.text)]


def sub_items(s: Script, pos: dict, row) -> tuple[object, ...]:
    """Items of a subscript: commas separate; otherwise one item per letter/digit."""
    node = s.node
    if isinstance(node, SeqItems):
        return tuple(node.items)
    if isinstance(node, EmptyGroup):
        raise ReadError("empty subscript", s.span)
    if isinstance(node, (Word, ir.Text)):
        word = node.text.strip()
        if re.fullmatch(r"[A-Za-z][A-Za-z0-9]+", word):
            return (ir.Symbol(word, node.span),)  # W_{\text{out}}: a name, like W_{out}
        return (ir.Text(node.text, node.span),)
    parts = list(node.factors) if isinstance(node, ir.Mul) and set(node.ops) == {"juxt"} \
        and all(isinstance(f, (ir.Symbol, ir.Number)) for f in node.factors) else [node]
    out: list[object] = []
    for p in parts:
        out.extend(_digits(p, pos, row) if isinstance(p, ir.Number) else [p])
    return tuple(out)


def _sum_indices(node: object, span: Span) -> dict:
    def syms(x: object) -> tuple[ir.Symbol, ...] | None:
        if isinstance(x, ir.Symbol):
            return (x,)
        if isinstance(x, SeqItems) and all(isinstance(y, ir.Symbol) for y in x.items):
            return tuple(x.items)
        if isinstance(x, ir.Mul) and all(isinstance(y, ir.Symbol) for y in x.factors):
            return tuple(x.factors)
        return None

    if isinstance(node, ir.Relation) and node.op in ("=", "in", "ne"):
        ix = syms(node.lhs)
        if ix is not None:
            if node.op == "=":
                return {"indices": ix, "lower": node.rhs}
            if node.op == "ne":  # \sum_{j \neq i}
                return {"indices": ix, "exclude": node.rhs}
            return {"indices": ix, "over": node.rhs}
    if isinstance(node, SeqItems) and len(node.items) == 2 and all(isinstance(x, ir.Relation) for x in node.items):
        first, second = node.items  # \sum_{j=1, j \neq i}^{n}
        if first.op == "=" and second.op == "ne" and syms(first.lhs) is not None \
                and irutil.strip_spans(first.lhs) == irutil.strip_spans(second.lhs):
            return {"indices": syms(first.lhs), "lower": first.rhs, "exclude": second.rhs}
    ix = syms(node)
    if ix is not None:
        return {"indices": ix}
    raise ReadError("cannot read the summation index", span,
                    "write \\sum_{i=1}^{n}, \\sum_i or \\sum_{i \\in S}")


def apply_scripts(base: object, scripts: list[Script], pos: dict, row) -> object:
    """Attach scripts to one base (the last letter of a run)."""
    subs = [s for s in scripts if s.kind == "sub"]
    sups = [s for s in scripts if s.kind == "sup"]
    primes = sum(s.count for s in scripts if s.kind == "prime")
    if len(subs) > 1:
        raise ReadError("double subscript", subs[1].span, "use braces: x_{ij}")
    sub = subs[0] if subs else None
    span = union(base.span, *(s.span for s in scripts))

    if isinstance(base, SumHead):
        if primes:
            raise ReadError("prime on \\sum", span)
        kw: dict = {}
        if sub is not None:
            kw.update(_sum_indices(sub.node, sub.span))
        if len(sups) > 1:
            raise ReadError("two upper limits", sups[1].span)
        if sups:
            kw["upper"] = sups[0].node
        return replace(base, span=span, **kw)
    if isinstance(base, (NablaHead, PartialMark)):
        if primes or (isinstance(base, NablaHead) and sups and not (
                len(sups) == 1 and isinstance(sups[0].node, ir.Number) and sups[0].node.text in ("1", "2"))):
            raise ReadError("unexpected script on an operator", span)
        wrt = base.wrt
        if sub is not None:
            items = sub.node.items if isinstance(sub.node, SeqItems) else (sub.node,)
            wrt = tuple((x, 1) for x in items)
        if isinstance(base, PartialMark):
            order = base.order
            for s in sups:
                if not (isinstance(s.node, ir.Number) and s.node.text.isdigit()):
                    raise ReadError("the order of \\partial must be a number", s.span)
                order = int(s.node.text)
            return PartialMark(order, span, wrt)
        order = int(sups[0].node.text) if isinstance(base, NablaHead) and sups else \
            getattr(base, "order", 1)
        if order > 1 and wrt:
            wrt = tuple((x, order) for x, _ in wrt)  # ∇_w^2 L: twice by w
        return NablaHead(wrt, span, order)
    if isinstance(base, FuncHead):
        func, power = base.func, base.power
        if sub is not None:
            func = replace(func, sub=sub_items(sub, pos, row), sub_text=sub_text(sub.raw))
        func = replace(func, prime=func.prime + primes)
        for s in sups:
            kind, val = classify_sup(s)
            if kind == "prime":
                func = replace(func, prime=func.prime + val)
            elif kind == "pow" and power is None:
                power = val
            else:
                raise ReadError("unsupported superscript on a function name", s.span)
        return FuncHead(func, span, power)
    if isinstance(base, ir.Underbrace):
        note = (sub or sups[0]).node if (sub or sups) else None
        return ir.Underbrace(base.body, note, span)
    if isinstance(base, ir.SetExpr):
        if sub is not None or len(sups) != 1:
            raise ReadError("unexpected script on a number set", span)
        e = sups[0].node
        dims = tuple(e.factors) if isinstance(e, ir.Mul) else (e,)
        return ir.SetExpr(base.field, dims, span)
    if isinstance(base, Word):
        if not re.match(r"^[A-Za-z][A-Za-z0-9]*$", base.text.strip()):
            raise ReadError("script on prose text", span)
        base = ir.Symbol(base.text.strip(), base.span)

    node: object = base
    if isinstance(base, ir.Symbol):
        if sub is not None:
            if base.sub is not None:
                raise ReadError("double subscript", sub.span, "use braces: x_{ij}")
            node = replace(base, sub=sub_items(sub, pos, row), sub_text=sub_text(sub.raw),
                           span=union(base.span, sub.span))
        if primes:
            node = replace(node, prime=node.prime + primes)
    else:
        if sub is not None and isinstance(base, ir.Paren) and len(base.items) == 1:
            # (W^T)_{ij} is an entry; ‖A‖_F, ‖x‖_1 keep their bars: a norm named by its subscript
            inner = base if base.delim in ("|", "||") else base.items[0]
            node = ir.Entry(inner, sub_items(sub, pos, row), union(base.span, sub.span),
                            sub_text(sub.raw))
            base = node
        elif sub is not None:
            raise ReadError(f"subscript on {type(base).__name__} is not supported", sub.span)
        if primes:
            raise ReadError("prime on a compound expression", span)
        if not isinstance(base, (ir.Number, ir.Paren, ir.Entry, ir.Matrix, ir.Frac, ir.Apply, ir.Deriv,
                                 ir.Pow, ir.Transpose, ir.Symbol, ir.Cases, ir.Sum, ir.Mul,
                                 ir.Add, ir.Neg)):
            raise ReadError(f"superscript on {type(base).__name__}", span)
    for s in sups:
        kind, val = classify_sup(s)
        if kind == "pow" and _iterate_label(node, val):
            kind, val = "label", re.sub(r"\s+", "", inner_raw(s.raw))  # \mathbf{w}^{k+1}: the next iterate
        sp = union(node.span, s.span)
        if kind == "label" and isinstance(node, ir.Symbol) and node.label is None:
            node = replace(node, label=val, span=sp)
        elif kind == "label":
            node = ir.Pow(node, s.node, sp)
        elif kind == "transpose":
            node = ir.Transpose(node, sp)
        elif kind == "inv_transpose":
            one = ir.Number("1", s.span)
            node = ir.Transpose(ir.Pow(node, ir.Neg(one, s.span), sp), sp)
        elif kind == "prime":
            if not isinstance(node, ir.Symbol):
                raise ReadError("prime on a compound expression", s.span)
            node = replace(node, prime=node.prime + val)
        else:
            node = ir.Pow(node, val, sp)
    if isinstance(node, ir.Symbol):
        node = replace(node, span=span)
    return node


def styled(style_cmd: str, node: object, span: Span) -> object:
    """\\mathbf{x} and friends; \\mathbb{R} is a number set."""
    name = style_cmd.lstrip("\\")
    style = {"mathbf": "bold", "boldsymbol": "bold", "bm": "bold", "pmb": "bold", "mathbfit": "bold",
             "mathcal": "cal", "mathscr": "cal", "mathbb": "bb", "mathfrak": "frak"}.get(name, "")
    if isinstance(node, list) and len(node) == 1:
        node = node[0]
    if style == "bb" and isinstance(node, ir.Symbol) and node.base in _FIELDS:
        return ir.SetExpr(node.base, (), span)
    if isinstance(node, ir.Symbol):
        return replace(node, style=style or node.style, span=span)
    if isinstance(node, ir.Number) and node.text.isdigit():
        return ir.Symbol(node.text, span, style=style) if style else node
    if isinstance(node, ir.Mul) and all(isinstance(f, ir.Symbol) for f in node.factors):
        fs = tuple(replace(f, style=style or f.style) for f in node.factors)
        return ir.Mul(fs, node.ops, span)
    if not style:
        return node
    raise ReadError(f"{style_cmd} on a compound expression", span)


def accented(accent_cmd: str, node: object, span: Span) -> object:
    name = accent_cmd.lstrip("\\")
    accent = {"widehat": "hat", "overline": "bar", "widetilde": "tilde",
              "overrightarrow": "vec"}.get(name, name)
    if isinstance(node, list) and len(node) == 1:
        node = node[0]
    if isinstance(node, ir.Symbol) and not node.accent:
        return replace(node, accent=accent, span=span)
    raise ReadError(f"{accent_cmd} on something other than a single symbol", span)
