"""Fixes: a search over small edits, each proved before it is offered.

The edits are the slips notes actually contain: a dropped or extra transpose, a
swapped or wrong index, a wrong layer label, a sign, a factor of two, a wrong
letter, a product in the wrong order, parentheses closed too early.  Candidates are
screened cheaply (one size, few random points), then the survivors are decided in
full; only those *proved* are offered, smallest edit first.
"""
from __future__ import annotations

import dataclasses
import time
from typing import Iterator

from symcheck import irutil, names
from symcheck.context import Context, Statement
from symcheck.diagnostics import Fix
from symcheck.latex import ir

Edit = tuple[object, str]  # (new side, description)

MAX_SCREEN = 150  # candidates screened per relation: a count, so output never depends on speed
SAFETY_S = 60.0  # a runaway guard only


def _replace(root: object, target: object, new: object) -> object:
    return irutil.replace_node(root, target, new)


class _Lazy:
    """An edit not yet applied: replace ``target`` by ``new`` when screened."""

    __slots__ = ("target", "new")

    def __init__(self, target: object, new: object) -> None:
        self.target, self.new = target, new


_SHOWN: dict[int, tuple[object, str]] = {}


def _show(node: object) -> str:
    """LaTeX for an edit's description (cached: the same nodes recur in every edit)."""
    from symcheck.latex import printer
    hit = _SHOWN.get(id(node))
    if hit is not None and hit[0] is node:
        return hit[1]
    try:
        text = printer.to_latex(node)
    except Exception:  # printing is cosmetic; the edit itself was decided
        text = "?"
    if len(text) > 60:
        text = text[:57] + "..."
    if len(_SHOWN) > 20000:
        _SHOWN.clear()
    _SHOWN[id(node)] = (node, text)
    return text


def single_edits(side: object, ctx: Context, rel: ir.Relation, structural: bool = False) -> Iterator[Edit]:
    """All single edits, the likeliest slips first: transposes and parentheses,
    then signs, then names and indices, then numbers and terms."""
    buckets: dict[int, list[Edit]] = {0: [], 1: [], 2: [], 3: []}
    for edit in _all_edits(side, ctx, rel):
        d = edit[1]
        rank = 0 if ("transpose" in d or d.startswith(("parenthesise", "swap the order"))) else \
            1 if ("sign" in d or d.startswith("negate")) else \
            3 if (d.startswith("drop the term") or d.startswith("swap the order") or d[:1].isdigit()) else 2
        buckets[rank].append(edit)
    for rank in sorted(buckets):
        if structural and rank > 0:
            break  # a shape error is mended by transposes and parentheses only
        for edit, desc in buckets[rank]:
            if isinstance(edit, _Lazy):
                yield _replace(side, edit.target, edit.new), desc
            else:
                yield edit, desc


def _all_edits(side: object, ctx: Context, rel: ir.Relation) -> Iterator[Edit]:
    letters, numbers = _index_vocabulary(rel)
    labels = _labels(ctx)
    for node in irutil.walk(side):
        if isinstance(node, ir.Transpose):
            yield _Lazy(node, node.arg), f"remove the transpose of {_show(node.arg)}"
        if isinstance(node, (ir.Symbol, ir.Matrix, ir.Paren)) and _is_matrix(node, ctx):
            yield _Lazy(node, ir.Transpose(node, node.span)), f"transpose {_show(node)}"
        if isinstance(node, ir.Symbol) and node.sub:
            yield from _index_edits(side, node, letters, numbers)
            for lab in labels.get(node.base, ()):
                if lab != node.label:
                    new = dataclasses.replace(node, label=lab)
                    yield _Lazy(node, new), f"{_show(node)} → {_show(new)}"
            for other in _other_bases(ctx, node):
                new = dataclasses.replace(node, base=other)
                yield _Lazy(node, new), f"{_show(node)} → {_show(new)}"
        if isinstance(node, ir.Add):
            for k, (sg, t) in enumerate(node.terms):
                terms = list(node.terms)
                terms[k] = (-sg, t)
                yield _Lazy(node, ir.Add(tuple(terms), node.span)), f"flip the sign of {_show(t)}"
            if len(node.terms) > 1:
                for k, (sg, t) in enumerate(node.terms):
                    rest = node.terms[:k] + node.terms[k + 1:]
                    yield _Lazy(node, ir.Add(rest, node.span)), f"drop the term {_show(t)}"
            yield from _regroup(side, node)
        if isinstance(node, ir.Neg):
            yield _Lazy(node, node.arg), f"drop the minus sign before {_show(node.arg)}"
        if isinstance(node, ir.Number) and node.text.isdigit():
            v = int(node.text)
            for w in {v * 2, v // 2 if v % 2 == 0 else None, v + 1, v - 1} - {None, v, 0}:
                yield _Lazy(node, ir.Number(str(w), node.span)), f"{v} → {w}"
        if isinstance(node, ir.Mul):
            for k in range(len(node.factors) - 1):
                fs = list(node.factors)
                fs[k], fs[k + 1] = fs[k + 1], fs[k]
                yield (_Lazy(node, ir.Mul(tuple(fs), node.ops, node.span)),
                       f"swap the order of {_show(node.factors[k])} and {_show(node.factors[k + 1])}")
    yield ir.Neg(side, getattr(side, "span", ir.Span(0, 0))), "negate the right side"


def _regroup(side: object, add: ir.Add) -> Iterator[Edit]:
    """x·y − z → x·(y − z): a parenthesis closed too early, or never opened."""
    if len(add.terms) < 2:
        return
    sg, first = add.terms[0]
    neg = False
    if isinstance(first, ir.Neg):
        first, neg = first.arg, True
    if not isinstance(first, ir.Mul) or len(first.factors) < 2:
        return
    for k in range(1, len(first.factors)):
        head = first.factors[:k]
        tail = first.factors[k:]
        tail_node = tail[0] if len(tail) == 1 else ir.Mul(tail, first.ops[k:], first.span)
        inner = ir.Add(((1, tail_node),) + add.terms[1:], add.span)
        group = ir.Paren((inner,), "(", add.span)
        prod: object = ir.Mul(head + (group,), first.ops[:k], first.span)
        if neg:
            prod = ir.Neg(prod, add.span)
        new = ir.Add(((sg, prod),), add.span) if sg < 0 else prod
        yield _Lazy(add, new), f"parenthesise {_show(group)}"


def _index_edits(side: object, node: ir.Symbol, letters: list[str], numbers: list[str]) -> Iterator[Edit]:
    sub = node.sub or ()
    if len(sub) == 2 and irutil.strip_spans(sub[0]) != irutil.strip_spans(sub[1]):
        new = dataclasses.replace(node, sub=(sub[1], sub[0]), sub_text=None)
        yield _Lazy(node, new), f"swap the indices: {_show(node)} → {_show(new)}"
    for p, it in enumerate(sub):
        cur = it.text if isinstance(it, ir.Number) else (it.base if isinstance(it, ir.Symbol) else None)
        if cur is None:
            continue
        for alt in numbers + letters:
            if alt == cur:
                continue
            item: object = ir.Number(alt, it.span) if alt.isdigit() else ir.Symbol(alt, it.span)
            new_sub = sub[:p] + (item,) + sub[p + 1:]
            new = dataclasses.replace(node, sub=new_sub, sub_text=None)
            yield _Lazy(node, new), f"{_show(node)} → {_show(new)}"


def _index_vocabulary(rel: ir.Relation) -> tuple[list[str], list[str]]:
    letters: list[str] = []
    numbers: list[str] = []
    for s in irutil.symbols(rel):
        for it in s.sub or ():
            if isinstance(it, ir.Number) and it.text not in numbers:
                numbers.append(it.text)
            elif isinstance(it, ir.Symbol) and not it.sub and it.base not in letters:
                letters.append(it.base)
    return letters[:6], sorted(numbers)[:6]


def _labels(ctx: Context) -> dict[str, tuple[str, ...]]:
    out: dict[str, set[str]] = {}
    for k in list(ctx.quantities) + list(ctx.families):
        if "^" in k:
            base, lab = k.split("^", 1)
            out.setdefault(base, set()).add(lab)
    return {b: tuple(sorted(v)) for b, v in out.items()}


def _other_bases(ctx: Context, node: ir.Symbol) -> list[str]:
    """Other families whose members carry the same label (u_0 for v_0)."""
    mine = names.key(node)
    out = []
    for k in sorted(set(ctx.families) | set(ctx.quantities)):
        lab = k.split("^", 1)[1] if "^" in k else None
        base = k.split("^", 1)[0]
        if k != mine and lab == node.label and base.isalpha() and len(base) <= 2 and base != node.base:
            out.append(base)
    return out[:8]


def _is_matrix(node: object, ctx: Context) -> bool:
    if isinstance(node, ir.Matrix):
        return True
    if isinstance(node, ir.Symbol) and not node.sub:
        return names.key(node) in ctx.shapes
    return False


def find_fixes(ctx: Context, st: Statement, decider: object, text: str,
               shape_error: bool = False) -> tuple[Fix, ...]:
    from symcheck.decide import Decider

    assert isinstance(decider, Decider)
    rel = st.relation
    start = time.monotonic()
    quick = Decider(ctx, timeout=1.0, quick=True)
    found: list[tuple[int, str, ir.Relation]] = []
    screened = 0
    frontier: list[tuple[object, list[str]]] = [(rel.rhs, [])]
    for depth in (1, 2):
        nxt: list[tuple[object, list[str]]] = []
        for side, path in frontier:
            for new, desc in single_edits(side, ctx, rel, structural=shape_error):
                if time.monotonic() - start > SAFETY_S or screened >= MAX_SCREEN:
                    break
                screened += 1
                cand = ir.Relation(rel.lhs, rel.op, new, rel.span)  # type: ignore[arg-type]
                out = quick.decide(dataclasses.replace(st, relation=cand))
                if out.code in ("SC001", "SC002"):
                    full = Decider(ctx, timeout=min(decider.timeout, 2.0)).decide(
                        dataclasses.replace(st, relation=cand))
                    if full.code == "SC001":
                        found.append((depth, "; ".join(path + [desc]), cand))
                elif depth == 1 and out.code in ("SC100", "SC101") and len(nxt) < 30:
                    nxt.append((new, path + [desc]))
        if found:
            break
        frontier = nxt
    fixes = []
    seen = set()
    for depth, desc, cand in sorted(found, key=lambda f: (f[0], len(f[1]))):
        from symcheck.latex import printer
        rhs = printer.to_latex(cand.rhs)
        if rhs in seen:
            continue
        seen.add(rhs)
        latex = " ".join(text[rel.lhs.span.start:rel.lhs.span.end].split()) + " = " + rhs
        fixes.append(Fix(latex, desc + "; proved", rel.rhs.span))
        if len(fixes) >= 3:
            break
    return tuple(fixes)
