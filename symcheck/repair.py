"""Fixes: a search over small edits, each proved before it is offered.

The edits are the slips notes actually contain: a dropped or extra transpose, a
swapped or wrong index, a wrong layer label, an index changed consistently through
one term, a sign, a factor of two, a wrong letter, a product in the wrong order, a
factor written twice, parentheses closed too early.  Either side may carry the slip
(``dC/dw_{12}`` heading the row that belongs to ``w_{11}``).

Candidates are ranked (fewest edits, then the likeliest kind, then the right side
before the left, then position) and screened in floating point at two points: the
screen reuses the value of every subtree the edit did not touch, so a candidate
costs only the path from the edit to the root.  Pairs of edits are tried only when
no single edit works.  Survivors are decided in full by the engine; only those it
proves (or verifies, and then the fix says so) are offered.  Every budget is a count,
so the output never depends on the speed of the machine.
"""
from __future__ import annotations

import dataclasses
import hashlib
import math
import random
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterator

import sympy as sp

from symcheck import functions, irutil, names, optimum
from symcheck.context import Context, Statement
from symcheck.diagnostics import Fix
from symcheck.latex import ir
from symcheck.lower import LowerError, Lowerer, is_matrix

MAX_SCREEN = 1000  # single edits screened per relation
MAX_PAIRS = 6000  # pairs of edits screened per relation, when no single edit works
MAX_DECIDE = 8  # candidates decided in full per relation
POINTS = 2  # screening points
MAX_FIXES = 3
ALONE = 4  # the rank of edits tried on their own only, never in pairs: a term rescaled, a
# plain letter renamed or a matrix inverted, two digits swapped (pairs of them are many and unlikely)


class _Unscreenable(Exception):
    pass


@dataclass(frozen=True)
class _Edit:
    """Replace ``target`` (a node of one side, by identity) by ``new``."""

    side: str  # "rhs" or "lhs"
    target: object
    new: object
    desc: str
    rank: int  # 0 transposes and grouping, 1 signs, 2 names and indices, 3 numbers and terms, ALONE


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


# -- edits ------------------------------------------------------------------------

def edits(side_name: str, side: object, ctx: Context, rel: ir.Relation,
          is_matrix_node: "callable[[object], bool]") -> list[_Edit]:  # type: ignore[valid-type]
    """Every single edit of one side, deduplicated, likeliest kinds first."""
    out: list[_Edit] = []
    seen: set[tuple[int, str]] = set()
    for target, new, desc, rank in _all_edits(side_name, side, ctx, rel, is_matrix_node):
        key = (id(target), repr(irutil.strip_spans(new)))
        if key in seen:
            continue
        seen.add(key)
        out.append(_Edit(side_name, target, new, desc, rank))
    out.sort(key=lambda e: e.rank)  # stable: document order within a kind
    return out


def _all_edits(side_name: str, side: object, ctx: Context, rel: ir.Relation,
               is_matrix_node: "callable[[object], bool]") -> Iterator[tuple[object, object, str, int]]:  # type: ignore[valid-type]
    letters, numbers = _index_vocabulary(rel, ctx)
    labels = _labels(ctx)
    applied = _applied(rel)
    scalars, names_nearby = _scalar_names(rel, ctx, is_matrix_node, applied)
    sizes = sorted(k for k in ctx.size_symbols if len(k) == 1)[:3]
    for node in _walk_outside_names(side):
        if isinstance(node, ir.Transpose):
            yield node, node.arg, f"remove the transpose of {_show(node.arg)}", 0
        elif isinstance(node, (ir.Symbol, ir.Matrix, ir.Paren, ir.Mul, ir.Apply)) and is_matrix_node(node):
            arg = node if isinstance(node, (ir.Symbol, ir.Matrix, ir.Paren, ir.Apply)) else \
                ir.Paren((node,), "(", node.span)
            yield node, ir.Transpose(arg, node.span), f"transpose {_show(node)}", 0
        if isinstance(node, ir.Symbol):
            for new in _symbol_variants(node, ctx, letters, numbers, labels):
                yield node, new, f"{_show(node)} → {_show(new)}", 2
        if isinstance(node, ir.Add):
            for k, (sg, t) in enumerate(node.terms):
                terms = list(node.terms)
                terms[k] = (-sg, t)
                yield node, ir.Add(tuple(terms), node.span), f"flip the sign of {_show(t)}", 1
            if len(node.terms) > 1:
                for k, (sg, t) in enumerate(node.terms):
                    rest = node.terms[:k] + node.terms[k + 1:]
                    yield node, ir.Add(rest, node.span), f"drop the term {_show(t)}", 3
            for k, (sg, t) in enumerate(node.terms):
                yield from _renames(t, ctx, letters, numbers, labels)
            yield from _regroup(node)
        if isinstance(node, ir.Matrix):  # an entry copied from its neighbour, index not updated
            for row in node.rows:
                for cell in row:
                    if not isinstance(cell, ir.Add):
                        yield from _renames(cell, ctx, letters, numbers, labels)
        if isinstance(node, ir.Neg):
            yield node, node.arg, f"drop the minus sign before {_show(node.arg)}", 1
        if isinstance(node, ir.Number) and node.text.isdigit():
            v = int(node.text)
            for w in sorted({v * 2, v // 2 if v % 2 == 0 else -1, v + 1, v - 1} - {-1, v, 0}):
                yield node, ir.Number(str(w), node.span), f"{v} → {w}", 3
        if isinstance(node, ir.Number):
            yield from _swapped_digits(node)
        if isinstance(node, ir.Mul) and side_name == "rhs":  # det(cA) = c^n det A: the power forgotten
            for k, f in enumerate(node.factors):
                if isinstance(f, ir.Number) or (isinstance(f, ir.Symbol) and f.base in scalars and not f.sub):
                    for n in sizes:
                        fs = node.factors[:k] + (ir.Pow(f, ir.Symbol(n, f.span), f.span),) + node.factors[k + 1:]
                        yield node, ir.Mul(fs, node.ops, node.span), f"{_show(f)} → {_show(f)}^{n}", ALONE
        if isinstance(node, ir.Sum) and isinstance(node.upper, ir.Symbol) and node.upper.base in ctx.size_symbols:
            for n in sorted(ctx.size_symbols):  # Σ_{n=1}^{M} for Σ_{n=1}^{N}
                if n != node.upper.base:
                    bound = dataclasses.replace(node.upper, base=n)
                    yield node, dataclasses.replace(node, upper=bound), \
                        f"the sum's upper bound {_show(node.upper)} → {_show(bound)}", ALONE
        if isinstance(node, ir.Add) and side_name == "rhs":  # the left side is the question asked
            for k, (sg, t) in enumerate(node.terms):
                for new, what in _rescaled(t, scalars, sizes):
                    terms = list(node.terms)
                    terms[k] = (sg, new)
                    yield node, ir.Add(tuple(terms), node.span), f"{what} in the term {_show(t)}", ALONE
        if isinstance(node, ir.Symbol) and not node.sub and side_name == "rhs" and node.base not in applied:
            size = node.base in ctx.size_symbols  # a size for a size (n for d), a name for a name
            others = sorted(ctx.size_symbols) if size else scalars + names_nearby
            for other in others:
                renamed = dataclasses.replace(node, base=other, label=None, prime=0)
                if other != node.base and (other in ctx.size_symbols) == size \
                        and is_matrix_node(renamed) == is_matrix_node(node):  # a scalar for a scalar
                    yield node, renamed, f"{_show(node)} → {_show(renamed)}", ALONE
            if is_matrix_node(node):
                yield node, ir.Pow(node, ir.Neg(ir.Number("1", node.span), node.span), node.span), \
                    f"invert {_show(node)}", ALONE
        if isinstance(node, ir.Mul) and len(node.factors) > 2:  # dᵀX v for (dᵀX)ᵀ v: a product's transpose dropped
            for a in range(len(node.factors) - 1):
                for b in range(a + 2, min(len(node.factors), a + 4) + 1):
                    if b - a == len(node.factors):
                        continue
                    run = ir.Mul(node.factors[a:b], node.ops[a:b - 1], node.span)
                    if is_matrix_node(run):
                        fs = node.factors[:a] + (ir.Transpose(ir.Paren((run,), "(", node.span), node.span),) \
                            + node.factors[b:]
                        ops = node.ops[:a] + node.ops[b - 1:]
                        yield node, ir.Mul(fs, ops, node.span), f"transpose {_show(run)}", 0
        if isinstance(node, ir.Mul):
            for k in range(len(node.factors) - 1):
                fs = list(node.factors)
                fs[k], fs[k + 1] = fs[k + 1], fs[k]
                yield (node, ir.Mul(tuple(fs), node.ops, node.span),
                       f"swap the order of {_show(node.factors[k])} and {_show(node.factors[k + 1])}", 0)
            yield from _drop_repeated_factor(node)
    if not isinstance(side, ir.Add):
        yield from _renames(side, ctx, letters, numbers, labels)
    if side_name == "rhs":
        for new, what in _rescaled(side, scalars, sizes):
            yield side, new, f"{what} (the whole side)" if isinstance(side, ir.Add) else what, ALONE
    yield from _complete_sum(side, numbers)
    if not isinstance(side, ir.Neg):  # -x is mended by dropping its sign, not by -(-x)
        yield side, ir.Neg(side, getattr(side, "span", ir.Span(0, 0))), "negate the side", 1


def _reindexed(term: object, old: str, new: str) -> object:
    """``term`` with every numeric index ``old`` written ``new``."""
    from symcheck.latex import printer

    def swap(n: object) -> object | None:
        if isinstance(n, ir.Symbol) and n.sub and any(isinstance(i, ir.Number) and i.text == old for i in n.sub):
            sub = tuple(ir.Number(new, i.span) if isinstance(i, ir.Number) and i.text == old else i for i in n.sub)
            return dataclasses.replace(n, sub=sub, sub_text=printer.sub_latex(sub))
        return None
    return irutil.rebuild(term, swap)


def _complete_sum(side: object, numbers: list[str]) -> Iterator[tuple[object, object, str, int]]:
    """A sum over an index written with a term missing: the side plus one of its terms
    with an index value changed throughout (``δ_0 w_{01}`` → ``+ δ_1 w_{11}``)."""
    terms = side.terms if isinstance(side, ir.Add) else ((1, side),)
    if len(terms) > 4:
        return
    have = {repr(irutil.strip_spans(t)) for _, t in terms}
    for sg, t in terms:
        for old in numbers:
            for new in numbers:
                if new == old:
                    continue
                t2 = _reindexed(t, old, new)
                key = repr(irutil.strip_spans(t2))
                if key in have:
                    continue
                have.add(key)
                yield side, ir.Add(tuple(terms) + ((sg, t2),), getattr(side, "span", ir.Span(0, 0))), \
                    f"add the missing term {_show(t2)}", 3


def _swapped_digits(node: ir.Number) -> Iterator[tuple[object, object, str, int]]:
    """Two neighbouring digits typed in the wrong order (345 → 354, 0.5835 → 0.5385)."""
    t = node.text
    for k in range(len(t) - 1):
        a, b = t[k], t[k + 1]
        if a != b and a.isdigit() and b.isdigit() and not (k == 0 and b == "0" and len(t) > 2 and t[2] != "."):
            new = t[:k] + b + a + t[k + 2:]
            yield node, ir.Number(new, node.span), f"{t} → {new}", ALONE


def _scalar_names(rel: ir.Relation, ctx: Context, is_matrix_node: "callable[[object], bool]",  # type: ignore[valid-type]
                  applied: set[str]) -> tuple[list[str], list[str]]:
    """The plain scalar letters of the relation (β, x, n: a factor a term may have lost), and
    the plain letters the document names nearby (a wrong letter: ∂z/∂w = w for x)."""
    scalars: list[str] = []
    seen = _index_letters(rel) | applied
    for s in irutil.symbols(rel):
        if s.sub or s.label is not None or s.base in seen or len(s.base.strip("\\")) > 8:
            continue
        seen.add(s.base)
        if not is_matrix_node(s) and names.key(s) not in ctx.functions:
            scalars.append(s.base)
    nearby = [k for k in _document_letters(ctx) if k not in seen]
    return scalars[:6], nearby[:10]


def _document_letters(ctx: Context) -> list[str]:
    """The one-letter names the document uses, sorted (computed once per document)."""
    got = ctx.__dict__.get("plain_letters")
    if got is None:
        used = {x.base for other in ctx.statements for x in irutil.symbols(other.relation)
                if not x.sub and x.label is None and not x.accent}
        got = ctx.__dict__["plain_letters"] = sorted(
            {k for k in list(ctx.quantities) + list(ctx.shapes) + sorted(ctx.mentioned) + sorted(used)
             if k.isalpha() and len(k) == 1})
    return got


def _index_letters(rel: ir.Relation) -> set[str]:
    """Letters used as indices: in subscripts (one Latin letter) and as a sum's index."""
    out = {it.base for s in irutil.symbols(rel) for it in s.sub or ()
           if isinstance(it, ir.Symbol) and len(it.base) == 1 and it.base.isascii()}
    return out | {b.index.base for b in irutil.walk(rel) if isinstance(b, ir.Sum) and b.index is not None}


def _applied(rel: ir.Relation) -> set[str]:
    """Names written before a parenthesis: functions (σ(βx)), never renamed or multiplied in."""
    out = set()
    for m in irutil.walk(rel):
        if isinstance(m, ir.Mul):
            for f, nxt, op in zip(m.factors, m.factors[1:], m.ops):
                if isinstance(f, ir.Symbol) and isinstance(nxt, ir.Paren) and op == "juxt":
                    out.add(f.base)
    return out


def _rescaled(term: object, scalars: list[str], sizes: list[str]) -> Iterator[tuple[object, str]]:
    """A term with a factor of two, a half, one of the relation's scalars or the 1/n of a
    mean over one of the document's sizes gained or lost."""
    span = getattr(term, "span", ir.Span(0, 0))
    half = ir.Frac(ir.Number("1", span), ir.Number("2", span), span)
    for f, what in ((ir.Number("2", span), "times 2"), (half, "times 1/2")):
        yield _times(f, term), what
    if isinstance(term, ir.Mul):
        for k, f in enumerate(term.factors):
            if _plain_factor(f, scalars):
                fs = term.factors[:k] + term.factors[k + 1:]
                ops = term.ops[:max(k - 1, 0)] + term.ops[k:] if k else term.ops[1:]
                yield (fs[0] if len(fs) == 1 else ir.Mul(fs, ops, span)), f"drop the factor {_show(f)}"
    elif isinstance(term, ir.Frac) and _plain_factor(ir.Frac(ir.Number("1", span), term.den, span), scalars):
        yield term.num, f"drop the division by {_show(term.den)}"
    factors = term.factors if isinstance(term, ir.Mul) else (term,)
    have = {f.base for f in factors if isinstance(f, ir.Symbol) and not f.sub} | \
        {f.den.base for f in factors if isinstance(f, ir.Frac) and isinstance(f.den, ir.Symbol)}
    for name in scalars:
        if name not in have:
            yield _times(ir.Symbol(name, span), term), f"multiply by {_show(ir.Symbol(name, span))}"
    for name in sizes:  # the 1/n of a mean, dropped
        if name not in have:
            inv = ir.Frac(ir.Number("1", span), ir.Symbol(name, span), span)
            yield _times(inv, term), f"divide by {name}"


def _times(f: object, term: object) -> ir.Mul:
    """``f`` times ``term``, one product when the term is one."""
    span = getattr(term, "span", ir.Span(0, 0))
    if isinstance(term, ir.Mul):
        return ir.Mul((f,) + term.factors, ("juxt",) + term.ops, span)
    return ir.Mul((f, _grouped(term)), ("juxt",), span)


def _plain_factor(f: object, scalars: list[str]) -> bool:
    """A factor a slip adds or drops: a number, 1/2, 1/n, or one of the scalar letters."""
    if isinstance(f, ir.Number):
        return True
    if isinstance(f, ir.Frac):
        return isinstance(f.num, ir.Number) and (isinstance(f.den, ir.Number) or
                                                   (isinstance(f.den, ir.Symbol) and not f.den.sub))
    return isinstance(f, ir.Symbol) and (f.base in scalars or bool(f.sub))


def _grouped(term: object) -> object:
    return ir.Paren((term,), "(", getattr(term, "span", ir.Span(0, 0))) if isinstance(term, (ir.Add, ir.Neg)) else term


def _walk_outside_names(root: object) -> Iterator[object]:
    """Every node in document order, but not the items of a subscript: an index is
    edited through its symbol, which keeps the subscript's text in step."""
    stack = [root]
    while stack:
        n = stack.pop()
        yield n
        if not isinstance(n, ir.Symbol):
            stack.extend(reversed(irutil.children(n)))


def _symbol_variants(node: ir.Symbol, ctx: Context, letters: list[str], numbers: list[str],
                     labels: dict[str, tuple[str, ...]]) -> Iterator[ir.Symbol]:
    """The symbol with one index, its index order, its layer label or its letter changed."""
    from symcheck.latex import printer
    sub = node.sub or ()
    if len(sub) == 2 and irutil.strip_spans(sub[0]) != irutil.strip_spans(sub[1]):
        swapped = (sub[1], sub[0])
        yield dataclasses.replace(node, sub=swapped, sub_text=printer.sub_latex(swapped))
    for p, it in enumerate(sub):
        for alt_item in _shifted(it):  # θ_{k+1} for θ_{k-1}: an index off by one
            new_sub = sub[:p] + (alt_item,) + sub[p + 1:]
            yield dataclasses.replace(node, sub=new_sub, sub_text=printer.sub_latex(new_sub))
        cur = it.text if isinstance(it, ir.Number) else (it.base if isinstance(it, ir.Symbol) else None)
        if cur is None:
            continue
        for alt in numbers + letters:
            if alt == cur:
                continue
            item: object = ir.Number(alt, it.span) if alt.isdigit() else ir.Symbol(alt, it.span)
            new_sub = sub[:p] + (item,) + sub[p + 1:]
            yield dataclasses.replace(node, sub=new_sub, sub_text=printer.sub_latex(new_sub))
    for lab in labels.get(node.base, ()):
        if lab != node.label and node.label is not None:
            yield dataclasses.replace(node, label=lab)
    if node.sub:
        for other in _other_bases(ctx, node):
            yield dataclasses.replace(node, base=other)


def _shifted(item: object) -> list[object]:
    """An index letter moved by one: k → k - 1, k + 1; k + 1 → k - 1, k; k - 1 → k + 1, k."""
    span = getattr(item, "span", ir.Span(0, 0))
    one = ir.Number("1", span)
    if isinstance(item, ir.Symbol) and not item.sub and len(item.base) == 1:
        return [ir.Add(((1, item), (-1, one)), span), ir.Add(((1, item), (1, one)), span)]
    if isinstance(item, ir.Add) and len(item.terms) == 2 and isinstance(item.terms[0][1], ir.Symbol) \
            and item.terms[1][1] == one or (isinstance(item, ir.Add) and len(item.terms) == 2
                                             and irutil.strip_spans(item.terms[1][1]) == irutil.strip_spans(one)):
        (s0, k), (s1, _) = item.terms
        return [ir.Add(((s0, k), (-s1, one)), span), k]
    return []


def _renames(term: object, ctx: Context, letters: list[str], numbers: list[str],
             labels: dict[str, tuple[str, ...]]) -> Iterator[tuple[object, object, str, int]]:
    """A symbol written more than once in one term, changed the same way everywhere in it:
    a term copied from the line above whose index was not updated."""
    groups: dict[object, list[ir.Symbol]] = {}
    for s in irutil.symbols(term):
        if s.sub or s.label is not None:
            groups.setdefault(irutil.strip_spans(s), []).append(s)
    for key, occ in groups.items():
        if len(occ) < 2:
            continue
        for new in _symbol_variants(occ[0], ctx, letters, numbers, labels):
            def swap(n: object, key: object = key, new: object = new) -> object | None:
                if isinstance(n, ir.Symbol) and irutil.strip_spans(n) == key:
                    return dataclasses.replace(new, span=n.span)  # type: ignore[type-var]
                return None
            yield (term, irutil.rebuild(term, swap),
                   f"{_show(occ[0])} → {_show(new)} ({'both' if len(occ) == 2 else f'all {len(occ)}'} "
                   "places in one term)", 2)


def _drop_repeated_factor(mul: ir.Mul) -> Iterator[tuple[object, object, str, int]]:
    """x y y → x y: a factor written twice in a row."""
    for k in range(1, len(mul.factors)):
        if irutil.strip_spans(mul.factors[k]) == irutil.strip_spans(mul.factors[k - 1]):
            fs = mul.factors[:k] + mul.factors[k + 1:]
            ops = mul.ops[:k - 1] + mul.ops[k:]
            new: object = fs[0] if len(fs) == 1 else ir.Mul(fs, ops, mul.span)
            yield mul, new, f"drop the repeated factor {_show(mul.factors[k])}", 3


def _regroup(add: ir.Add) -> Iterator[tuple[object, object, str, int]]:
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
        yield add, new, f"parenthesise {_show(group)}", 0


def _index_vocabulary(rel: ir.Relation, ctx: Context) -> tuple[list[str], list[str]]:
    """Index values used nearby: in the relation, then with the same letters elsewhere
    in the document (u_2 is a value for the index of u_1 when another row writes u_2)."""
    letters: list[str] = []
    numbers: list[str] = []
    for s in irutil.symbols(rel):
        for it in s.sub or ():
            if isinstance(it, ir.Number) and it.text not in numbers:
                numbers.append(it.text)
            elif isinstance(it, ir.Symbol) and not it.sub and it.base not in letters:
                letters.append(it.base)
    bases = {s.base for s in irutil.symbols(rel) if s.sub}
    for other in ctx.statements:
        for s in irutil.symbols(other.relation):
            if s.base in bases:
                numbers.extend(it.text for it in s.sub or () if isinstance(it, ir.Number)
                               and len(it.text) <= 2 and it.text not in numbers)
    return letters[:6], sorted(numbers)[:6]


def _labels(ctx: Context) -> dict[str, tuple[str, ...]]:
    out: dict[str, set[str]] = {}
    for k in list(ctx.quantities) + list(ctx.families) + list(ctx.shapes):
        if "^" in k and "_" not in k.split("^", 1)[0]:
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
        if k != mine and lab == node.label and base.isalpha() and len(base) <= 2 and base != node.base \
                and base not in out:
            out.append(base)
    return out[:8]


# -- screening ----------------------------------------------------------------------

class _MemoLowerer(Lowerer):
    """A lowerer that remembers the value of every node it lowered, by identity: an
    edited side shares every untouched subtree with the original."""

    def lower(self, node: object) -> object:
        memo = self.__dict__.setdefault("_memo", {})
        hit = memo.get(id(node))
        if hit is not None and hit[0] is node:
            return hit[1]
        v = super().lower(node)
        memo[id(node)] = (node, v)
        return v


class _Screen:
    """Both sides in floating point at ``POINTS`` points, for screening only.

    Sums, products and signs of scalars are computed here from the values of their
    children; every other node, and every node whose children are matrices, is
    rebuilt by the engine's own lowerer and then evaluated.  A slip the screen
    misjudges costs a fix, never a wrong one: survivors are decided in full."""

    def __init__(self, ctx: Context, st: Statement, decider: object) -> None:
        insts, _ = decider.instances(st)  # type: ignore[attr-defined]
        if not insts:
            raise _Unscreenable
        inst = insts[0]
        low = _MemoLowerer(ctx, dict(inst.sizes), indices=inst.indices, notes=set(),
                           cost_args=decider.cost_args(st), generic=inst.generic,  # type: ignore[attr-defined]
                           locals_=decider.locals(st), floors=inst.floors)  # type: ignore[attr-defined]
        low.position = st.relation.span.start
        low.symmetric = frozenset(getattr(st, "symmetric", ()))
        self.low = low
        self.seed = hashlib.sha256(repr(irutil.strip_spans(st.relation)).encode()).hexdigest()[:16]
        self.regions = dict(getattr(decider, "regions", {}))  # "for z > 0"
        self.positive = False
        self._fresh()
        try:  # the relation as written must have values; where it has none (log of a
            # negative draw), every leaf is drawn positive instead
            self.value(st.relation.lhs), self.value(st.relation.rhs)
        except (_Unscreenable, RecursionError):
            self.positive = True
            self._fresh()

    def _fresh(self) -> None:
        """Empty caches and leaves; the matrices the text calls orthogonal drawn orthogonal."""
        from symcheck import orthogonal
        self.leaves: list[dict[sp.Symbol, float]] = [{} for _ in range(POINTS)]
        self.scache: list[dict[object, float]] = [{} for _ in range(POINTS)]
        self.memo: dict[int, tuple[object, object]] = {}
        self.calls: dict[int, tuple[object, object]] = {}
        for p in range(POINTS):
            rng = random.Random(f"{self.seed}:orthogonal:{p}")
            point: dict[sp.Symbol, object] = {}
            orthogonal.draw_into(point, orthogonal.leaves(self.low.ctx, self.low, None), rng, 2)
            self.leaves[p].update({x: float(v) for x, v in point.items()})  # type: ignore[arg-type]

    def is_matrix(self, node: object) -> bool:
        """Whether ``node`` has a matrix value here (False when it cannot be screened)."""
        try:
            return not _scalar(self.value(node))
        except (_Unscreenable, RecursionError):
            return False

    # values: a tuple over points; each item a float (scalar) or a tuple of rows (matrix)
    def value(self, node: object) -> tuple[object, ...]:
        hit = self.memo.get(id(node))
        if hit is not None and hit[0] is node:
            if hit[1] is None:
                raise _Unscreenable
            return hit[1]  # type: ignore[return-value]
        try:
            v = self._value(node)
        except _Unscreenable:
            self.memo[id(node)] = (node, None)
            raise
        self.memo[id(node)] = (node, v)
        return v

    def _value(self, node: object) -> tuple[object, ...]:
        opt = optimum.target(self.low.ctx, node) if isinstance(node, (ir.Optimum, ir.Symbol)) else None
        if opt is not None:
            return self._optimum(opt)
        if isinstance(node, ir.Number):
            try:
                x = float(Fraction(node.text))
            except (ValueError, ZeroDivisionError):
                raise _Unscreenable
            return (x,) * POINTS
        if isinstance(node, ir.Neg):
            v = self.value(node.arg)
            if _scalar(v):
                return tuple(-x for x in v)  # type: ignore[operator]
        elif isinstance(node, ir.Paren) and len(node.items) == 1 and node.delim in "([{":
            return self.value(node.items[0])
        elif isinstance(node, ir.Add) and not any(isinstance(t, ir.Ellipsis) for _, t in node.terms):
            vals = [(sg, self.value(t)) for sg, t in node.terms]
            if all(_scalar(v) for _, v in vals):
                return tuple(sum(sg * v[p] for sg, v in vals) for p in range(POINTS))  # type: ignore[misc]
        elif isinstance(node, ir.Pow):
            b, x = self.value(node.base), self.value(node.exp)
            if _scalar(b) and _scalar(x):
                return tuple(_power(b[p], x[p]) for p in range(POINTS))  # type: ignore[arg-type]
        elif isinstance(node, ir.Frac):
            a, b = self.value(node.num), self.value(node.den)
            if _scalar(a) and _scalar(b):
                if any(y == 0 for y in b):
                    raise _Unscreenable
                return tuple(a[p] / b[p] for p in range(POINTS))  # type: ignore[operator]
        elif isinstance(node, ir.Mul):
            vals = self._factors(node)
            if vals is not None:
                return tuple(math.prod(v[p] for v in vals) for p in range(POINTS))  # type: ignore[misc]
        return self._lowered(node)

    def _optimum(self, opt: ir.Optimum) -> tuple[object, ...]:
        """The arg min of an objective quadratic in its variable, at each screening point:
        the solution of H w = -∇F(0)."""
        var = optimum._variable(opt)
        try:
            f = self.low.lower(opt.body)
            w = self.low.lower(var) if var is not None else None
        except (LowerError, ZeroDivisionError, ValueError, TypeError):
            raise _Unscreenable
        leaves = list(w) if is_matrix(w) else [w]  # type: ignore[call-overload]
        if w is None or is_matrix(f) or not all(isinstance(x, sp.Symbol) for x in leaves):
            raise _Unscreenable
        zero = {x: 0 for x in leaves}
        grad = [sp.diff(f, x).xreplace(zero) for x in leaves]
        hess = [[sp.diff(f, a, b) for b in leaves] for a in leaves]
        if any(h.has(*leaves) for row in hess for h in row):
            raise _Unscreenable  # not quadratic: no closed form to screen with
        out = []
        for p in range(POINTS):
            h = sp.Matrix([[self._float(x, p) for x in row] for row in hess])
            g = sp.Matrix([self._float(x, p) for x in grad])
            try:
                sol = h.LUsolve(-g)
            except (ValueError, ZeroDivisionError):
                raise _Unscreenable
            vals = [float(x) for x in sol]
            out.append(vals[0] if not is_matrix(w) else tuple((x,) for x in vals))
        return tuple(out)

    def _factors(self, mul: ir.Mul) -> list[tuple[float, ...]] | None:
        """The values of a product's factors, a known function applied to the
        parenthesis after it counted as one factor; None unless all are scalars."""
        fs, ops = mul.factors, ("juxt",) + mul.ops
        vals = []
        k = 0
        while k < len(fs):
            f = fs[k]
            nxt = fs[k + 1] if k + 1 < len(fs) else None
            if isinstance(f, ir.Ellipsis):
                return None
            if isinstance(nxt, ir.Paren) and ops[k + 1] == "juxt" and isinstance(f, ir.Symbol):
                fn, unknown = self._callable(f)
                if unknown:
                    raise _Unscreenable
                if fn is not None:
                    if f.prime or not isinstance(fn, functions.Known) or len(nxt.items) != 1:
                        return None
                    arg = self.value(nxt.items[0])
                    if not _scalar(arg):
                        return None
                    formula = _compiled(fn.formula, functions.X)
                    vals.append(tuple(formula(x) for x in arg))  # type: ignore[arg-type]
                    k += 2
                    continue
            v = self.value(f)
            if not _scalar(v):
                return None
            vals.append(v)  # type: ignore[arg-type]
            k += 1
        return vals  # type: ignore[return-value]

    def _callable(self, f: ir.Symbol) -> tuple[object, bool]:
        """The function a symbol written before a parenthesis names, and whether it is an
        unknown one (by identity: the same symbols recur in every candidate)."""
        hit = self.calls.get(id(f))
        if hit is None or hit[0] is not f:
            try:
                fn = self.low._callable(dataclasses.replace(f, prime=0))
                got: object = (fn, fn is None and self.low._unknown_function(f))
            except LowerError:
                got = None
            hit = (f, got)
            self.calls[id(f)] = hit
        if hit[1] is None:
            raise _Unscreenable
        return hit[1]  # type: ignore[return-value]

    def _lowered(self, node: object) -> tuple[object, ...]:
        try:
            v = self.low.lower(node)
        except (LowerError, ZeroDivisionError, ValueError, TypeError, AttributeError, IndexError,
                KeyError, NotImplementedError, RecursionError, sp.SympifyError):
            raise _Unscreenable
        if is_matrix(v):
            rows = [[v[i, j] for j in range(v.shape[1])] for i in range(v.shape[0])]  # type: ignore[union-attr]
            if len(rows) == 1 and len(rows[0]) == 1:
                return tuple(self._float(rows[0][0], p) for p in range(POINTS))
            return tuple(tuple(tuple(self._float(x, p) for x in r) for r in rows) for p in range(POINTS))
        return tuple(self._float(v, p) for p in range(POINTS))

    def _leaf(self, s: sp.Symbol, p: int) -> float:
        vals = self.leaves[p]
        if s not in vals:
            from symcheck.decide import _finite_of
            r = random.Random(f"{self.seed}:{s.name}:{p}")
            x = r.uniform(0.3, 1.4)
            labels = _finite_of(self.low.ctx, s)
            if labels is not None:  # y_i ∈ {-1, +1}
                x = float(r.choice(labels[1]))  # type: ignore[arg-type]
            elif s.name in self.regions:  # "for z > 0": a value in that region
                op, b = self.regions[s.name]
                x = float(b) if op == "=" else float(b) + (x if op in (">", "ge") else -x)
            elif not self.positive:
                x *= r.choice((-1, 1))
            vals[s] = x
        return vals[s]

    def _float(self, e: object, p: int) -> float:
        cache = self.scache[p]
        hit = cache.get(e)
        if hit is not None:
            return hit
        try:
            v = self._sfloat(e, p)
        except (OverflowError, ZeroDivisionError, ValueError, TypeError):
            raise _Unscreenable
        cache[e] = v
        return v

    def _sfloat(self, e: object, p: int) -> float:
        if isinstance(e, sp.Symbol):
            return self._leaf(e, p)
        if isinstance(e, (sp.Rational, sp.Float)) or e is sp.E or e is sp.pi:
            return float(e)  # type: ignore[arg-type]
        if isinstance(e, sp.Add):
            return math.fsum(self._float(a, p) for a in e.args)
        if isinstance(e, sp.Mul):
            return math.prod(self._float(a, p) for a in e.args)
        if isinstance(e, sp.Pow):
            b, x = self._float(e.base, p), e.exp
            r = b ** int(x) if isinstance(x, sp.Integer) else b ** self._float(x, p)
            if isinstance(r, complex):
                raise ValueError
            return r
        f = _MATH.get(type(e))  # type: ignore[arg-type]
        if f is not None and len(e.args) == 1:  # type: ignore[attr-defined]
            return f(self._float(e.args[0], p))  # type: ignore[attr-defined]
        if isinstance(e, (sp.Max, sp.Min)):
            return (max if isinstance(e, sp.Max) else min)(self._float(a, p) for a in e.args)
        if isinstance(e, sp.Heaviside):
            x = self._float(e.args[0], p)
            if x == 0:
                raise _Unscreenable  # H(0) is a convention
            return 1.0 if x > 0 else 0.0
        if isinstance(e, sp.Piecewise):
            for value, cond in e.args:
                if self._holds(cond, p):
                    return self._float(value, p)
            raise _Unscreenable
        raise _Unscreenable

    def _holds(self, cond: object, p: int) -> bool:
        """A piece's condition at screening point ``p`` (strict comparisons at a tie are unscreenable)."""
        if cond is sp.true or cond is True:
            return True
        if cond is sp.false or cond is False:
            return False
        if isinstance(cond, sp.And):
            return all(self._holds(c, p) for c in cond.args)
        if isinstance(cond, sp.Or):
            return any(self._holds(c, p) for c in cond.args)
        if isinstance(cond, (sp.StrictGreaterThan, sp.GreaterThan, sp.StrictLessThan, sp.LessThan)):
            a, b = self._float(cond.lhs, p), self._float(cond.rhs, p)
            if a == b:
                raise _Unscreenable
            return (a > b) if isinstance(cond, (sp.StrictGreaterThan, sp.GreaterThan)) else (a < b)
        raise _Unscreenable

    def passes(self, rel: ir.Relation) -> bool:
        try:
            a, b = self.value(rel.lhs), self.value(rel.rhs)
        except (_Unscreenable, RecursionError):
            return False
        return _close(a, b)


def _sign(x: float) -> float:
    return 0.0 if x == 0 else math.copysign(1.0, x)


_MATH = {sp.exp: math.exp, sp.log: math.log, sp.sin: math.sin, sp.cos: math.cos, sp.tan: math.tan,
         sp.tanh: math.tanh, sp.sinh: math.sinh, sp.cosh: math.cosh, sp.Abs: abs, sp.sqrt: math.sqrt,
         sp.sign: _sign}


def _power(b: float, x: float) -> float:
    try:
        r = b ** (int(x) if x == int(x) and abs(x) < 64 else x)
    except (OverflowError, ZeroDivisionError):
        raise _Unscreenable
    if isinstance(r, complex):
        raise _Unscreenable
    return float(r)


_COMPILED: dict[tuple[object, object], "callable[[float], float]"] = {}  # type: ignore[valid-type]


def _compiled(e: object, var: sp.Symbol) -> "callable[[float], float]":  # type: ignore[valid-type]
    """``_formula`` for one formula as a Python function: the same operations in the same
    order (so the same floats), without walking the SymPy tree at every point."""
    key = (e, var)
    got = _COMPILED.get(key)
    if got is None:
        inner = _compile(e, var)

        def got(x: float, inner: "callable[[float], float]" = inner) -> float:  # type: ignore[valid-type]
            try:
                return inner(x)  # type: ignore[misc]
            except (OverflowError, ValueError, ZeroDivisionError):
                raise _Unscreenable
        _COMPILED[key] = got
    return got  # type: ignore[return-value]


def _fail(*_: object) -> float:
    raise _Unscreenable


def _compile(e: object, var: sp.Symbol) -> "callable[[float], float]":  # type: ignore[valid-type]
    if e == var:
        return lambda x: x
    if isinstance(e, (sp.Rational, sp.Float)) or e is sp.E or e is sp.pi:
        try:
            c = float(e)  # type: ignore[arg-type]
        except (OverflowError, ValueError, ZeroDivisionError):
            return _fail
        return lambda x: c
    parts = [_compile(a, var) for a in e.args]  # type: ignore[attr-defined]

    def args(x: float) -> list[float]:
        return [p(x) for p in parts]  # type: ignore[misc]
    if isinstance(e, sp.Add):
        return lambda x: math.fsum(args(x))
    if isinstance(e, sp.Mul):
        return lambda x: math.prod(args(x))
    if isinstance(e, sp.Pow):
        def power(x: float) -> float:
            a = args(x)
            return _power(a[0], a[1])
        return power
    if isinstance(e, sp.Max):
        return lambda x: max(args(x))
    if isinstance(e, sp.Min):
        return lambda x: min(args(x))
    f = _MATH.get(type(e))  # type: ignore[arg-type]
    if f is not None and len(parts) == 1:
        return lambda x: float(f(args(x)[0]))  # type: ignore[misc]

    def other(x: float) -> float:
        args(x)
        raise _Unscreenable
    return other


def _scalar(v: tuple[object, ...]) -> bool:
    return isinstance(v[0], float)


def _flatten(v: object) -> list[float]:
    if isinstance(v, float):
        return [v]
    return [x for row in v for x in row]  # type: ignore[union-attr]


def _close(a: tuple[object, ...], b: tuple[object, ...]) -> bool:
    for x, y in zip(a, b):
        if _scalar((x,)) != _scalar((y,)) or (not _scalar((x,)) and (len(x), len(x[0])) != (len(y), len(y[0]))):  # type: ignore[arg-type]
            return False
        for u, w in zip(_flatten(x), _flatten(y)):
            if not (math.isfinite(u) and math.isfinite(w)) or abs(u - w) > 1e-9 * max(abs(u), abs(w)):
                return False
    return True


# -- the search ---------------------------------------------------------------------

Address = tuple[tuple[str, "int | None", "int | None"], ...]


def _addresses(root: object) -> dict[int, tuple[object, Address]]:
    """Every node of a side with its address (field, position, position in a nested
    tuple) from the root: an edit is then made without searching the tree."""
    out: dict[int, tuple[object, Address]] = {}
    stack: list[tuple[object, Address]] = [(root, ())]
    while stack:
        node, addr = stack.pop()
        out[id(node)] = (node, addr)
        if not dataclasses.is_dataclass(node) or isinstance(node, type):
            continue
        for f in dataclasses.fields(node):
            if f.name == "span":
                continue
            v = getattr(node, f.name)
            if isinstance(v, tuple):
                for k, x in enumerate(v):
                    if isinstance(x, tuple):
                        for kk, y in enumerate(x):
                            if dataclasses.is_dataclass(y):
                                stack.append((y, addr + ((f.name, k, kk),)))
                    elif dataclasses.is_dataclass(x):
                        stack.append((x, addr + ((f.name, k, None),)))
            elif dataclasses.is_dataclass(v):
                stack.append((v, addr + ((f.name, None, None),)))
    return out


def _get(root: object, addr: Address) -> object:
    node = root
    for name, k, kk in addr:
        node = getattr(node, name)
        if k is not None:
            node = node[k]  # type: ignore[index]
        if kk is not None:
            node = node[kk]  # type: ignore[index]
    return node


def _put(root: object, addr: Address, new: object) -> object:
    if not addr:
        return new
    (name, k, kk), rest = addr[0], addr[1:]
    v = getattr(root, name)
    if k is None:
        return dataclasses.replace(root, **{name: _put(v, rest, new)})  # type: ignore[type-var]
    items = list(v)
    if kk is None:
        items[k] = _put(items[k], rest, new)
    else:
        inner = list(items[k])
        inner[kk] = _put(inner[kk], rest, new)
        items[k] = tuple(inner)
    return dataclasses.replace(root, **{name: tuple(items)})  # type: ignore[type-var]


def _apply(rel: ir.Relation, chosen: tuple[_Edit, ...],
           where: dict[str, dict[int, tuple[object, Address]]],
           start: ir.Relation | None = None) -> ir.Relation | None:
    """The relation with the edits made, in order; None when an edit's place is gone
    (an earlier edit rewrote it).  ``start``: ``rel`` with earlier edits already made
    (addresses are always those of ``rel``)."""
    base = rel if start is None else start
    sides = {"lhs": base.lhs, "rhs": base.rhs}
    for e in chosen:
        addr = where[e.side][id(e.target)][1]
        try:
            here = _get(sides[e.side], addr)
        except (AttributeError, IndexError, TypeError):
            here = None
        if here is e.target:
            sides[e.side] = _put(sides[e.side], addr, e.new)
        elif irutil.path_to(sides[e.side], e.target) is not None:  # moved by an earlier edit
            sides[e.side] = irutil.replace_node(sides[e.side], e.target, e.new)
        else:
            return None
    return ir.Relation(sides["lhs"], rel.op, sides["rhs"], rel.span)


def _subtree_ids(node: object) -> frozenset[int]:
    return frozenset(id(n) for n in irutil.walk(node))


def _vector(v: tuple[object, ...]) -> list[float]:
    return [x for item in v for x in _flatten(item)]


def _candidates(singles: list[_Edit], pool: dict[int, list[float]],
                goal: dict[str, list[float]]) -> Iterator[tuple[_Edit, ...]]:
    """Pairs of edits on the same side, likeliest first: those whose changes, added,
    come closest to the gap between the sides (exact for edits in different terms of
    a sum, near for two in one product), then the likeliest kinds.  When one edit's
    place holds the other's, the outer edit is made first (a term renamed, then one
    symbol in it)."""
    within = {k: _subtree_ids(singles[k].target) for k in pool}
    order = sorted(pool)
    pairs = []
    for x, i in enumerate(order):
        a, da = singles[i], pool[i]
        g = goal[a.side]
        scale = sum(abs(y) for y in g) or 1.0
        for j in order[x + 1:]:
            b = singles[j]
            if a.side != b.side or a.target is b.target:
                continue
            miss = sum(abs(u + w - y) for u, w, y in zip(da, pool[j], g)) / scale
            first, second = (j, i) if id(a.target) in within[j] else (i, j)
            pairs.append((round(miss, 9), a.rank + b.rank, a.side != "rhs", i, j, first, second))
    pairs.sort()
    for *_, first, second in pairs:
        yield singles[first], singles[second]


def _touches(e: _Edit, frozen: tuple[tuple[int, int], ...]) -> bool:
    span = getattr(e.target, "span", None)
    return span is not None and any(span.start < b and a < span.end for a, b in frozen)


def find_fixes(ctx: Context, st: Statement, decider: object, text: str,
               shape_error: bool = False, frozen: tuple[tuple[int, int], ...] = ()) -> tuple[Fix, ...]:
    from symcheck.decide import Decider

    assert isinstance(decider, Decider)
    rel = st.relation
    try:
        screen = _Screen(ctx, st, decider)
    except (_Unscreenable, LowerError):
        return ()
    matrix_node = screen.is_matrix

    singles = edits("rhs", rel.rhs, ctx, rel, matrix_node) + edits("lhs", rel.lhs, ctx, rel, matrix_node)
    if shape_error:  # a shape error is mended by transposes and regrouping
        singles = [e for e in singles if e.rank == 0]
    if frozen:  # text an earlier correction wrote is taken as right: the slip is elsewhere
        singles = [e for e in singles if not _touches(e, frozen)]
    singles.sort(key=lambda e: (e.rank, e.side != "rhs"))
    where = {"lhs": _addresses(rel.lhs), "rhs": _addresses(rel.rhs)}
    found: list[tuple[tuple[_Edit, ...], ir.Relation, str]] = []
    decided = [0]

    def consider(chosen: tuple[_Edit, ...], cand: ir.Relation) -> None:
        if decided[0] >= MAX_DECIDE or _same_sides(cand):  # x = x holds by its form: no fix
            return
        decided[0] += 1
        if st.role == "update":
            # W = W - γ dC/dW is no identity; what it claims is that the shapes fit
            if decider.check_update(st, cand, every_size=True) is True and not found:  # the best-ranked one
                found.append((chosen, cand, "the shapes now agree"))
            return
        full = Decider(ctx, timeout=min(decider.timeout, 2.0)).decide(dataclasses.replace(st, relation=cand))
        if full.code in ("SC001", "SC002"):
            found.append((chosen, cand, "proved" if full.code == "SC001" else "verified numerically"))

    try:
        base = {"rhs": _vector(screen.value(rel.rhs)), "lhs": _vector(screen.value(rel.lhs))}
    except (_Unscreenable, RecursionError):
        base = None
    pool: dict[int, list[float]] = {}  # edits that change the value and still make sense
    applied: dict[int, ir.Relation] = {}  # by the edit's id: a pair starts from its first edit made
    trivial: set[int] = set()  # single edits that rewrite one side into the other
    for k, e in enumerate(singles[:MAX_SCREEN]):
        cand = _apply(rel, (e,), where)
        assert cand is not None
        applied[id(e)] = cand
        if _same_sides(cand):
            trivial.add(id(e))
        if st.role == "update" and e.side == "rhs":
            consider((e,), cand)  # an update is judged by its shapes, not by equal values
        elif screen.passes(cand):
            consider((e,), cand)
        elif base is not None and not shape_error:
            try:
                moved = _vector(screen.value(cand.rhs if e.side == "rhs" else cand.lhs))
            except (_Unscreenable, RecursionError):
                continue
            if len(moved) == len(base[e.side]) and moved != base[e.side] and e.rank < ALONE:
                pool[k] = [u - w for u, w in zip(moved, base[e.side])]
    goal: dict[str, list[float]] | None = None
    if shape_error:  # sizes do not match, so there is no gap to close: structural pairs by kind
        pool = {k: [] for k in range(min(len(singles), MAX_SCREEN))}
        goal = {"rhs": [], "lhs": []}
    elif base is not None and len(base["lhs"]) == len(base["rhs"]):
        goal = {"rhs": [u - w for u, w in zip(base["lhs"], base["rhs"])],
                "lhs": [u - w for u, w in zip(base["rhs"], base["lhs"])]}
    if not found and goal is not None:
        for n, chosen in enumerate(_candidates(singles, pool, goal)):
            if n >= MAX_PAIRS or decided[0] >= MAX_DECIDE:
                break
            if any(id(e) in trivial for e in chosen):
                continue
            first = applied.get(id(chosen[0]))
            # the same relation as _apply(rel, chosen, where), sharing the first edit's nodes
            # (and so their screened values) with the single edit's candidate
            cand = _apply(rel, chosen[1:], where, first) if first is not None else _apply(rel, chosen, where)
            if cand is not None and screen.passes(cand):
                consider(chosen, cand)
    if not found and base is None and not shape_error:
        def unscreened(chosen: tuple[_Edit, ...], cand: ir.Relation) -> None:
            full = Decider(ctx, timeout=min(decider.timeout, 2.0)).decide(dataclasses.replace(st, relation=cand))
            if full.code in ("SC001", "SC002"):
                found.append((chosen, cand, "proved" if full.code == "SC001" else "verified numerically"))
        _schematic_edits(rel, singles, where, unscreened, found)
    if not found and not shape_error and st.role != "update":
        _edit_then_complete(rel, singles, pool, where, screen, consider, found, _index_vocabulary(rel, ctx)[1])
    return _offer(found, rel, text)


def definition_mendable(ctx: Context, st: Statement, decider: object) -> bool:
    """Whether one transpose or regrouping makes a definition's right side make sense."""
    rel = st.relation
    try:
        screen = _Screen(ctx, st, decider)
    except (_Unscreenable, LowerError):
        return False
    matrix_node = screen.is_matrix

    where = {"lhs": _addresses(rel.lhs), "rhs": _addresses(rel.rhs)}
    for e in [e for e in edits("rhs", rel.rhs, ctx, rel, matrix_node) if e.rank == 0][:MAX_SCREEN]:
        cand = _apply(rel, (e,), where)
        try:
            if cand is not None:
                screen.value(cand.rhs)
                return True
        except (_Unscreenable, RecursionError):
            continue
    return False


MAX_SCHEMATIC = 60  # edits of f's argument decided in full when a = f(…) cannot be screened


def _schematic_edits(rel: ir.Relation, singles: list[_Edit], where: dict[str, dict[int, tuple[object, Address]]],
                     consider: "callable[[tuple[_Edit, ...], ir.Relation], None]",  # type: ignore[valid-type]
                     found: list[object]) -> None:
    """``a = f(…)`` with f unnamed has no values to screen: the edits of f's argument
    (a wrong index, a wrong bias) are decided in full, likeliest first."""
    from symcheck import schematic
    applied = schematic.applied_side(rel)
    if applied is None:
        return
    inside = _subtree_ids(applied[2])
    tried = 0
    for e in singles:
        if id(e.target) not in inside or not 1 <= e.rank < ALONE:
            continue
        tried += 1
        if tried > MAX_SCHEMATIC:
            return
        cand = _apply(rel, (e,), where)
        if cand is not None:
            consider((e,), cand)
            if found:
                return


MAX_COMPLETE = 40  # single edits tried before completing a sum with them


def _edit_then_complete(rel: ir.Relation, singles: list[_Edit], pool: dict[int, list[float]],
                        where: dict[str, dict[int, tuple[object, Address]]], screen: "_Screen",
                        consider: "callable[[tuple[_Edit, ...], ir.Relation], None]",  # type: ignore[valid-type]
                        found: list[object], numbers: list[str]) -> None:
    """A slip in the one term written, and the term for the other index value left out:
    the edit is made first, then the sum is completed from the edited term."""
    tried = 0
    for k in sorted(pool):
        e = singles[k]
        if e.side != "rhs" or e.rank < 1:
            continue
        tried += 1
        if tried > MAX_COMPLETE:
            return
        cand = _apply(rel, (e,), where)
        if cand is None:
            continue
        for target, new, desc, rank in _complete_sum(cand.rhs, numbers):
            full = ir.Relation(cand.lhs, rel.op, new, rel.span)
            if screen.passes(full):
                consider((e, _Edit("rhs", target, new, desc, rank)), full)
                if found:
                    return


def _same_sides(rel: ir.Relation) -> bool:
    """Both sides the same expression once x^1 is read as x, (xᵀ)ᵀ as x and Iᵀ as I: a
    "fix" that only rewrites one side into the other proves nothing about the text."""
    def one(n: object) -> object | None:
        if isinstance(n, ir.Pow) and isinstance(n.exp, ir.Number) and n.exp.text == "1":
            return n.base
        if isinstance(n, ir.Paren) and n.delim == "(" and len(n.items) == 1 \
                and isinstance(n.items[0], (ir.Symbol, ir.Transpose, ir.Paren)):
            return n.items[0]  # (xᵀ): grouping only
        if isinstance(n, ir.Transpose):
            inner = n.arg.items[0] if isinstance(n.arg, ir.Paren) and len(n.arg.items) == 1 else n.arg
            if isinstance(inner, ir.Transpose):
                return inner.arg
            if isinstance(inner, ir.Symbol) and inner.base == "I" and not inner.sub:
                return inner
        return None

    def normal(side: object) -> object:
        hit = _NORMAL.get(id(side))  # the side an edit left alone is the same object each time
        if hit is not None and hit[0] is side:
            return hit[1]
        # bottom-up, so one pass undoes any tower of transposes: ((xᵀ)ᵀ)ᵀ → xᵀ
        out = irutil.strip_spans(irutil.rebuild(side, one))
        if len(_NORMAL) > 20000:
            _NORMAL.clear()
        _NORMAL[id(side)] = (side, out)
        return out
    return normal(rel.lhs) == normal(rel.rhs)


_NORMAL: dict[int, tuple[object, object]] = {}


def _offer(found: list[tuple[tuple[_Edit, ...], ir.Relation, str]], rel: ir.Relation, text: str) -> tuple[Fix, ...]:
    from symcheck.latex import printer
    fixes = []
    seen = set()
    right_only = any(all(e.side == "rhs" for e in f[0]) for f in found)
    order = sorted(range(len(found)), key=lambda k: (len(found[k][0]), found[k][2] != "proved", k))
    for k in order:
        chosen, cand, how = found[k]
        if _same_sides(cand):
            continue  # C^1 = C: true by its form, whatever the document says; no fix
        lhs_changed = any(e.side == "lhs" for e in chosen)
        if lhs_changed and right_only:
            continue  # the left side is changed only when no change of the right side works
        lhs = printer.to_latex(cand.lhs) if lhs_changed else " ".join(text[rel.lhs.span.start:rel.lhs.span.end].split())
        latex = f"{lhs} {printer.REL_OPS.get(rel.op, rel.op)} {printer.to_latex(cand.rhs)}"
        if latex in seen:
            continue
        seen.add(latex)
        desc = "; ".join(e.desc.replace("negate the side", f"negate the {'left' if e.side == 'lhs' else 'right'} side")
                         for e in chosen)
        span = rel.span if lhs_changed else rel.rhs.span
        fixes.append(Fix(latex, f"{desc}; {how}", span))
        if len(fixes) >= MAX_FIXES:
            break
    return tuple(fixes)
