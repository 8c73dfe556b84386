"""``sexpr(node)``: a compact, span-free rendering of IR trees for table-driven tests.

Examples: ``(sym x sub=i1)``, ``(mul juxt (sym a) (sym b))``, ``(add + (sym a) - (sym b))``,
``(frac (num 1) (num 2))``, ``(deriv partial (sym C) / (sym w))``, ``(diff (sym X) over (sym X))``.
Symbol attributes are printed only when set: ``bold``/``cal``/``bb`` style, accent,
``sub=<sub_text>`` and ``[items]`` when the items differ from the plain split,
``lab=<label>``, ``'`` per prime.
"""
from __future__ import annotations

from symcheck.latex import ir
from symcheck.source import MappedText


def _sub_default(node: ir.Symbol) -> bool:
    """True when the sub items are exactly the characters of sub_text (the common case)."""
    chars = []
    for x in node.sub or ():
        if isinstance(x, ir.Symbol) and not x.sub and not x.style and not x.accent and x.label is None:
            chars.append(x.base)
        elif isinstance(x, ir.Number):
            chars.append(x.text)
        else:
            return False
    return "".join(chars) == (node.sub_text or "").replace(" ", "") and all(len(c) == 1 for c in chars) \
        or (len(chars) == 1 and chars[0] == node.sub_text)


def sexpr(node: object) -> str:  # noqa: C901 -- one branch per node type is the point
    n = node
    if isinstance(n, ir.Number):
        return f"(num {n.text})"
    if isinstance(n, ir.Symbol):
        parts = ["sym", n.base]
        if n.style:
            parts.append(n.style)
        if n.accent:
            parts.append(n.accent)
        if n.prime:
            parts.append("'" * n.prime)
        if n.sub is not None:
            parts.append(f"sub={n.sub_text}")
            if not _sub_default(n):
                parts.append("[" + " ".join(sexpr(x) for x in n.sub) + "]")
        if n.label is not None:
            parts.append(f"lab={n.label}")
        return "(" + " ".join(parts) + ")"
    if isinstance(n, ir.Add):
        return "(add " + " ".join(("+ " if s > 0 else "- ") + sexpr(t) for s, t in n.terms) + ")"
    if isinstance(n, ir.Neg):
        return f"(neg {sexpr(n.arg)})"
    if isinstance(n, ir.Mul):
        ops = set(n.ops)
        head = ops.pop() if len(ops) == 1 else None
        if head is not None:
            return f"(mul {head} " + " ".join(sexpr(f) for f in n.factors) + ")"
        out = [sexpr(n.factors[0])]
        for op, f in zip(n.ops, n.factors[1:]):
            out += [op, sexpr(f)]
        return "(mul " + " ".join(out) + ")"
    if isinstance(n, ir.Frac):
        return f"({'slash' if n.slash else 'frac'} {sexpr(n.num)} {sexpr(n.den)})"
    if isinstance(n, ir.Pow):
        return f"(pow {sexpr(n.base)} {sexpr(n.exp)})"
    if isinstance(n, ir.Transpose):
        return f"(T {sexpr(n.arg)})"
    if isinstance(n, ir.Paren):
        return f"(paren {n.delim} " + " ".join(sexpr(x) for x in n.items) + ")"
    if isinstance(n, ir.Entry):
        return f"(entry {sexpr(n.arg)} " + " ".join(sexpr(x) for x in n.sub) + ")"
    if isinstance(n, ir.Apply):
        return f"(apply {sexpr(n.func)} " + " ".join(sexpr(x) for x in n.args) + ")"
    if isinstance(n, ir.Ellipsis):
        return f"(dots {n.kind})"
    if isinstance(n, ir.Matrix):
        rows = " ".join("[" + " ".join(sexpr(c) for c in r) + "]" for r in n.rows)
        return f"(matrix {n.env} {rows})"
    if isinstance(n, ir.Sum):
        parts = [n.op, sexpr(n.index) if n.index is not None else "_"]
        if n.lower is not None:
            parts.append("from " + sexpr(n.lower))
        if n.upper is not None:
            parts.append("to " + sexpr(n.upper))
        if n.over is not None:
            parts.append("over " + sexpr(n.over))
        return "(" + " ".join(parts) + " " + sexpr(n.body) + ")"
    if isinstance(n, ir.Deriv):
        wrt = " ".join(sexpr(v) + (f"^{o}" if o != 1 else "") for v, o in n.wrt)
        num = sexpr(n.num) if n.num is not None else "_"
        op = " op" if n.operator_form else ""
        return f"(deriv {n.kind}{op} {num} / {wrt})"
    if isinstance(n, ir.Differential):
        over = " ".join(sexpr(v) for v in n.over)
        return f"(diff {sexpr(n.arg)}" + (f" over {over})" if over else ")")
    if isinstance(n, ir.Cases):
        rows = " ".join("[" + sexpr(v) + " if " + (sexpr(c) if c is not None else "_") + "]"
                        for v, c in n.rows)
        return f"(cases {rows})"
    if isinstance(n, ir.Text):
        return f"(text {n.text!r})"
    if isinstance(n, ir.SetExpr):
        return f"(set {n.field} " + " ".join(sexpr(d) for d in n.dims) + ")"
    if isinstance(n, ir.Optimum):
        return f"(arg{n.kind} {sexpr(n.var) if n.var is not None else '_'} {sexpr(n.body)})"
    if isinstance(n, ir.Underbrace):
        return f"(brace {sexpr(n.body)} {sexpr(n.note) if n.note is not None else '_'})"
    if isinstance(n, ir.At):
        return f"(at {sexpr(n.body)} {sexpr(n.var)} {sexpr(n.value)})"
    if isinstance(n, ir.Relation):
        return f"(rel {n.op} {sexpr(n.lhs)} {sexpr(n.rhs)})"
    if isinstance(n, ir.Chain):
        out = [sexpr(n.items[0])]
        for op, x in zip(n.ops, n.items[1:]):
            out += [op, sexpr(x)]
        return "(chain " + " ".join(out) + ")"
    if isinstance(n, ir.ParseFailure):
        return f"(fail {n.message!r})"
    raise TypeError(type(n))


def row_sexpr(src: str) -> str:
    """Parse one row; a single-item chain prints as its item."""
    from symcheck.latex.parser import parse_row
    res = parse_row(MappedText.from_original(src))
    if isinstance(res, ir.Chain) and not res.ops:
        return sexpr(res.items[0])
    return sexpr(res)


def test_sexpr_symbol() -> None:
    assert row_sexpr("x_{i1}") == "(sym x sub=i1)"
