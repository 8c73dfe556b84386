"""Reading ``a_1, a_2, \\dots, a_n``: sequences written with an ellipsis.

Notes write matrices and sums of symbolic size by listing a first item or two,
an ellipsis, and a last item.  The pattern is read from the subscripts: positions
that step by one between consecutive items run up to the value they have in the
last item (a number, or a size symbol such as ``j``).  Anything else — a repeated
item after the ellipsis, positions that disagree on the length — is *garbled* and
reported, never guessed.
"""
from __future__ import annotations

import dataclasses

from symcheck import irutil
from symcheck.latex import ir


class PatternError(Exception):
    """The items around an ellipsis do not form a pattern."""


def _leaves(node: object) -> list[object]:
    out: list[object] = []

    def fn(n: object) -> None:
        if isinstance(n, ir.Symbol) and n.sub:
            out.extend(n.sub)
        return None

    irutil.rebuild(node, fn)
    return out


def _with_leaves(node: object, values: list[object]) -> object:
    it = iter(values)

    def fn(n: object) -> object | None:
        if isinstance(n, ir.Symbol) and n.sub:
            sub = tuple(next(it) for _ in n.sub)
            text = "".join(_leaf_text(x) for x in sub)
            return dataclasses.replace(n, sub=sub, sub_text=text)  # type: ignore[arg-type]
        return None

    return irutil.rebuild(node, fn)


def _leaf_text(x: object) -> str:
    if isinstance(x, ir.Number):
        return x.text
    if isinstance(x, ir.Symbol) and not x.sub:
        return x.base
    return "?"


def _value(x: object, sizes: dict[str, int]) -> int | str:
    if isinstance(x, ir.Number) and x.text.lstrip("-").isdigit():
        return int(x.text)
    if isinstance(x, ir.Symbol) and not x.sub and x.label is None:
        return sizes.get(x.base, x.base)
    raise PatternError(f"cannot read {_leaf_text(x)!r} as a position in a pattern")


def _shape_key(node: object) -> object:
    return irutil.strip_spans(_with_leaves(node, [ir.Number("#", ir.Span(0, 0))] * len(_leaves(node))))


def expand(items: list[object], sizes: dict[str, int], limit: int = 5000,
           notes: list[str] | None = None) -> list[object]:
    """Replace each ellipsis in ``items`` by the items it stands for.

    ``sizes`` gives concrete values of size symbols; a size symbol without a value
    is an error (the caller picks test sizes first)."""
    out: list[object] = []
    k = 0
    while k < len(items):
        it = items[k]
        if not isinstance(it, ir.Ellipsis):
            out.append(it)
            k += 1
            continue
        if not out or k + 1 >= len(items) or isinstance(items[k + 1], ir.Ellipsis):
            raise PatternError("an ellipsis needs items on both sides")
        last = items[k + 1]
        before = out[-2] if len(out) >= 2 else None
        out.pop()
        first = items[k - 1]
        out.extend(_run(before, first, last, sizes, limit, notes))
        k += 2
    return out


def _run(before: object | None, first: object, last: object,
         sizes: dict[str, int], limit: int, notes: list[str] | None = None) -> list[object]:
    """Items from ``first`` to ``last`` inclusive; ``before`` (if given) fixes the step."""
    if _shape_key(first) != _shape_key(last):
        raise PatternError("the items around the ellipsis differ in form")
    lf, ll = _leaves(first), _leaves(last)
    vf = [_value(x, sizes) for x in lf]
    vl = [_value(x, sizes) for x in ll]
    varying: list[int] = []
    if before is not None and _shape_key(before) == _shape_key(first):
        vb = [_value(x, sizes) for x in _leaves(before)]
        for p, (b, f) in enumerate(zip(vb, vf)):
            if isinstance(b, int) and isinstance(f, int) and f == b + 1:
                varying.append(p)
            elif b != f:
                raise PatternError("consecutive items do not step by one")
    else:
        varying = [p for p, (f, e) in enumerate(zip(vf, vl)) if f != e]
    for p, (f, e) in enumerate(zip(vf, vl)):
        if p not in varying and f != e:
            raise PatternError("the last item changes a position the others keep fixed")
    if not varying:
        raise PatternError("nothing varies along the ellipsis")
    counts = set()
    for p in varying:
        f, e = vf[p], vl[p]
        if not isinstance(e, int) or not isinstance(f, int):
            raise PatternError(f"size {e!r} has no value here")
        counts.add(e - f)
    if len(counts) != 1:
        raise PatternError("the varying positions disagree on the length")
    n = counts.pop()
    if n == 0 and before is not None and notes is not None:
        notes.append("garbled: an item written after an ellipsis repeats the item before it; read once")
    if n < 0 or n > limit:
        raise PatternError(f"the pattern would have {n + 1} items")
    res = []
    for t in range(n + 1):
        vals = [ir.Number(str(int(v) + t), lf[p].span) if p in varying else lf[p]  # type: ignore[attr-defined]
                for p, v in enumerate(vf)]
        res.append(_with_leaves(first, vals))
    return res


def expand_matrix(m: ir.Matrix, sizes: dict[str, int], notes: list[str] | None = None) -> list[list[object]]:
    """Rows of cells with every \\dots, \\vdots and \\ddots spelled out."""
    rows: list[object] = []
    for row in m.rows:
        if all(isinstance(c, ir.Ellipsis) for c in row):
            rows.append(ir.Ellipsis("v", row[0].span))  # type: ignore[attr-defined]
            continue
        cells = expand(list(row), sizes, notes=notes) if any(isinstance(c, ir.Ellipsis) for c in row) else list(row)
        rows.append(ir.Paren(tuple(cells), "row", m.span))  # type: ignore[arg-type]
    expanded = expand(rows, sizes, notes=notes) if any(isinstance(r, ir.Ellipsis) for r in rows) else rows
    out = [list(r.items) for r in expanded]  # type: ignore[attr-defined]
    widths = {len(r) for r in out}
    if len(widths) > 1:
        raise PatternError("rows of the matrix have different lengths")
    return out


def has_ellipsis(node: object) -> bool:
    return any(isinstance(n, ir.Ellipsis) for n in irutil.walk(node))
