"""Gradients of a sum over samples, proved for every number of samples n.

A document that writes ``C = ½ Σ_{i=1}^{n} (z_i^{reality} - z_i^{pred})^2`` and
``∂C/∂u_{11} = v_1 Σ_{i=1}^{n} x_{i1} d_i`` usually spells its data out at one size
(four rows of X).  Checking at that size proves the relation there, not for every n.
The argument for every n is the linearity of differentiation:

* both sides are sums over the same range i = lo..n of one term per sample (constant
  factors outside a sum are moved inside);
* each sample's term is the *same formula* in that sample's own entries (x_{i1},
  x_{i2}, z_i^{reality}) and in entries every sample shares (the weights): checked
  by renaming each sample's own entries to generic ones and comparing, sample by
  sample, at every sample the document writes out;
* for that generic sample, the derivative of the cost's term equals the claim's
  term, as a symbolic identity.

Then ∂/∂θ Σ_{i=lo}^{n} F(θ, r_i) = Σ_{i=lo}^{n} G(θ, r_i) for every n and every data:
proved.  Nothing is claimed when any step does not go through — a size written
anywhere in either side (``1/n``, a sum up to n inside a term), a term outside the
sums, a derivative by one sample's own entry, samples that are not alike — and the
verdict stays what the concrete checks decided.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import sympy as sp

from symcheck import derivative, irutil, names
from symcheck.context import Context, unwrap
from symcheck.latex import ir
from symcheck.lower import LowerError, Lowerer, as_scalar, is_matrix

MAX_SAMPLES = 12  # the samples the document writes out that are compared with each other


class NotPerSample(Exception):
    """The relation is not a gradient of a per-sample sum in a form this route reads."""


@dataclass(frozen=True)
class Range:
    lower: int
    size: str  # key of the size symbol bounding the sums (n)


@dataclass(frozen=True)
class Proof:
    size: str
    samples: int  # how many of the document's samples were compared


LowererFor = Callable[[dict[str, int]], Lowerer]


def prove(ctx: Context, rel: ir.Relation, sizes: dict[str, int], lowerer_for: LowererFor,
          zero: Callable[[object], bool]) -> Proof | None:
    """A proof for every n of ``∂C/∂θ = Σ_i g_i`` (either way round), or None."""
    try:
        return _prove(ctx, rel, sizes, lowerer_for, zero)
    except (NotPerSample, LowerError, RecursionError, ZeroDivisionError, TypeError, ValueError,
            AttributeError, KeyError, IndexError, NotImplementedError, sp.PolynomialError):
        return None


def cost_claim(ctx: Context, rel: ir.Relation, lowerer_for: LowererFor) \
        -> tuple[object, object, str, object, object, Lowerer] | None:
    """``∂C/∂θ = claim`` (either way round) with C a defined cost: (the derivative side,
    the claim, C's key, C's definition, θ, a lowerer at no particular size), or None."""
    if rel.op != "=":
        return None
    for deriv_side, claim in ((rel.lhs, rel.rhs), (rel.rhs, rel.lhs)):
        parts = _cost_derivative(ctx, deriv_side)
        if parts is not None:
            break
    else:
        return None
    cost_key, cost_def, var = parts
    base = lowerer_for({})
    if derivative.intermediate(base, var)[0] is not None:
        return None  # ∂C/∂z_i^{pred}: a defined quantity held fixed, not a weight
    return deriv_side, claim, cost_key, cost_def, var, base


def _prove(ctx: Context, rel: ir.Relation, sizes: dict[str, int], lowerer_for: LowererFor,
           zero: Callable[[object], bool]) -> Proof | None:
    found = cost_claim(ctx, rel, lowerer_for)
    if found is None:
        return None
    deriv_side, claim, cost_key, cost_def, var, base = found
    theta = as_scalar(base.lower(var))
    if not isinstance(theta, sp.Symbol):
        return None  # a derivative by a defined quantity or a vector: not this route
    rng = _common_range(base, [cost_def, claim])
    if rng is None or rng.size not in sizes:
        return None
    if _mentions_size(ctx, [cost_def, claim], rng, cost_key, sizes[rng.size]):
        return None
    top = sizes[rng.size]
    samples = list(range(rng.lower, top + 1))
    if len(samples) < 2 or len(samples) > MAX_SAMPLES:
        return None  # one sample shows no pattern; many make the comparison slow
    costs, claims = [], []
    for k in samples:
        costs.append(_term(lowerer_for, base, cost_def, rng, k))
        claims.append(_term(lowerer_for, base, claim, rng, k))
    if _own_entry(costs, theta):
        return _prove_own_entry(costs, claims, samples, theta, zero, rng)
    renamed = _generic_rows(costs, claims, samples, theta)
    if renamed is None:
        return None
    fs, gs = renamed
    for f, g in zip(fs[1:], gs[1:]):
        if sp.expand(f - fs[0]) != 0 or sp.expand(g - gs[0]) != 0:  # type: ignore[operator]
            return None  # the samples' terms are not one formula
    if not zero(sp.diff(fs[0], theta) - gs[0]):  # type: ignore[operator]
        return None
    return Proof(rng.size, len(samples))


def _own_entry(costs: list[object], theta: sp.Symbol) -> bool:
    """θ is used by some samples' cost terms and not by others: one sample's own entry."""
    uses = [theta in getattr(f, "free_symbols", set()) for f in costs]
    return any(uses) and not all(uses)


def _prove_own_entry(costs: list[object], claims: list[object], samples: list[int], theta: sp.Symbol,
                     zero: Callable[[object], bool], rng: Range) -> Proof | None:
    """∂C/∂x_{k1} = Σ_i g_i with x_{k1} sample k's own entry ("for every variable w").

    Only sample k's cost term depends on x_{k1}, so the left side is that term's
    derivative.  The claim holds for every n when every other sample's claimed term
    is 0 (checked at every sample the document writes out, so the same for every pair
    of samples) and, for a generic sample, the derivative of the cost's term by its
    own entry is its claimed term.  Each of the document's samples is proved in its
    own call (one per variable), each against the same generic cost term."""
    smp = samples_of([set(getattr(f, "free_symbols", set())) for f in costs], samples, set())
    if smp is None:
        return None
    owner = [k for k, own in enumerate(smp.own) if theta in own]
    if len(owner) != 1:
        return None
    k0 = owner[0]
    fs = [sp.expand(f.xreplace(ren)) for f, ren in zip(costs, smp.renames)]  # type: ignore[union-attr]
    if any(sp.expand(f - fs[0]) != 0 for f in fs[1:]):  # type: ignore[operator]
        return None  # the samples' cost terms are not one formula
    for k, g in enumerate(claims):
        if k != k0 and sp.expand(g) != 0:  # type: ignore[arg-type]
            return None  # another sample's term moves with this entry
    ren = smp.renames[k0]
    g0 = claims[k0]
    if set(getattr(g0, "free_symbols", set())) - smp.shared - smp.own[k0]:
        return None  # the claimed term uses another sample's data
    if not zero(sp.diff(fs[0], ren[theta]) - sp.expand(g0.xreplace(ren))):  # type: ignore[union-attr,operator]
        return None
    return Proof(rng.size, len(samples))


def _cost_derivative(ctx: Context, node: object) -> tuple[str, object, object] | None:
    """``∂C/∂θ`` with C a quantity defined in the document: (C's key, its definition, θ)."""
    node = unwrap(node)
    if not isinstance(node, ir.Deriv) or node.num is None or len(node.wrt) != 1 or node.wrt[0][1] != 1 \
            or node.kind not in ("partial", "total"):
        return None
    num = unwrap(node.num)
    if not isinstance(num, ir.Symbol) or num.sub is not None:
        return None
    k = names.key(num)
    q = ctx.quantities.get(k)
    if q is None or q.definition is None or q.grid is not None or q.transposed_def:
        return None
    var = unwrap(node.wrt[0][0])
    if not isinstance(var, ir.Symbol):
        return None
    return k, q.definition, var


def _sums(node: object) -> list[ir.Sum]:
    """The sums a linear form is made of (through +, -, constant factors, parentheses)."""
    node = unwrap(node)
    if isinstance(node, ir.Sum):
        return [node]
    if isinstance(node, ir.Paren) and len(node.items) == 1 and node.delim in ("(", "["):
        return _sums(node.items[0])
    if isinstance(node, ir.Neg):
        return _sums(node.arg)
    if isinstance(node, ir.Add):
        return [s for _, t in node.terms for s in _sums(t)]
    if isinstance(node, ir.Mul):
        return [s for f in node.factors for s in _sums(f)]
    if isinstance(node, ir.Frac):
        return _sums(node.num)
    return []


def _common_range(low: Lowerer, nodes: list[object]) -> Range | None:
    found: set[tuple[int, str]] = set()
    for node in nodes:
        sums = _sums(node)
        if not sums:
            return None
        for s in sums:
            if s.op != "sum" or s.index is None or s.lower is None or s.over is not None:
                return None
            up = unwrap(s.upper)
            if not isinstance(up, ir.Symbol) or up.sub or up.label is not None:
                return None
            found.add((low.index_value(s.lower), names.key(up)))
    if len(found) != 1:
        return None
    lo, size = next(iter(found))
    return Range(lo, size)


def _term(lowerer_for: LowererFor, base: Lowerer, node: object, rng: Range, k: int) -> object:
    """Sample k's term of a linear form of sums over ``rng``."""
    node = unwrap(node)
    if isinstance(node, ir.Sum):
        v = as_scalar(lowerer_for({node.index.base: k}).lower(node.body))  # type: ignore[union-attr]
        if is_matrix(v):
            raise NotPerSample("a sum of matrices")
        return v
    if isinstance(node, ir.Paren) and len(node.items) == 1 and node.delim in ("(", "["):
        return _term(lowerer_for, base, node.items[0], rng, k)
    if isinstance(node, ir.Neg):
        return -_term(lowerer_for, base, node.arg, rng, k)  # type: ignore[operator]
    if isinstance(node, ir.Add):
        out: object = sp.Integer(0)
        for sg, t in node.terms:
            if not _sums(t):
                raise NotPerSample("a term outside the sums")
            v = _term(lowerer_for, base, t, rng, k)
            out = out + v if sg > 0 else out - v  # type: ignore[operator]
        return out
    if isinstance(node, ir.Mul):
        with_sum = [f for f in node.factors if _sums(f)]
        if len(with_sum) != 1 or any(op not in ("juxt", "cdot", "times") for op in node.ops):
            raise NotPerSample("a product of sums")
        out = sp.Integer(1)
        for f in node.factors:
            v = _term(lowerer_for, base, f, rng, k) if f is with_sum[0] else _constant(base, f)
            out = out * v  # type: ignore[operator]
        return out
    if isinstance(node, ir.Frac) and _sums(node.num) and not _sums(node.den):
        return _term(lowerer_for, base, node.num, rng, k) / _constant(base, node.den)  # type: ignore[operator]
    raise NotPerSample(type(node).__name__)


def _constant(base: Lowerer, node: object) -> object:
    """A factor outside the sums: the same for every sample (no free index)."""
    v = as_scalar(base.lower(node))
    if is_matrix(v):
        raise NotPerSample("a matrix factor")
    return v


def _mentions_size(ctx: Context, nodes: list[object], rng: Range, cost_key: str, top: int) -> bool:
    """Does any size (n, or another size the document names) enter a term, directly or
    through the definitions it uses?  Then each term changes with n and a check at the
    document's n says nothing about the others.  The bounds of the sums split here are
    the one place n may stand."""
    sizes = set(ctx.size_symbols) | set(ctx.doc_sizes)
    seen: set[int] = set()
    stack: list[object] = []
    for node in nodes:
        for s in _sums(node):
            stack.append(s.body)
        stack.extend(_outside(node))
    visited_keys: set[str] = {cost_key}
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        for x in irutil.walk(n):
            if isinstance(x, (ir.Ellipsis, ir.Transpose, ir.Entry)):
                # x_1, …, x_n: the pattern's length is a size; X^T d, ‖z‖: a sum over the
                # samples hidden in a product, whose value (1^T 1 = n) changes with n
                return True
            if isinstance(x, ir.Apply) and x.func.base in _MATRIX_FUNCTIONS:
                return True
            if not isinstance(x, ir.Symbol):
                continue
            if ctx.constant(x) is not None:
                return True  # I, 1, 0: sized by the document, maybe by n
            for k in (names.key(x), names.key_with_sub(x)):
                if k is None:
                    continue
                if k in sizes or k == rng.size:
                    return True
                if k in visited_keys:
                    continue
                visited_keys.add(k)
                shape = ctx.shapes.get(k)
                if shape is not None and shape[1] in (rng.size, top):
                    return True  # as many columns as samples: a product may sum over them
                q = ctx.quantities.get(k)
                if q is not None:
                    stack.extend(b for b in (q.definition, q.grid) if b is not None)
                f = ctx.families.get(k)
                if f is not None:
                    stack.extend(b for b in (f.body, f.grid) if b is not None)
                fd = ctx.functions.get(k)
                if fd is not None:
                    stack.append(fd.body)
                if k in ctx.abstract:
                    return True  # an undefined cost: nothing says what its terms are
    return False


_MATRIX_FUNCTIONS = frozenset({"tr", "trace", "Tr", "det", "rank", "diag", "operatorname"})


def _outside(node: object) -> list[object]:
    """The factors of a linear form of sums that stand outside every sum."""
    node = unwrap(node)
    if isinstance(node, ir.Sum):
        return []
    if isinstance(node, ir.Paren) and len(node.items) == 1:
        return _outside(node.items[0])
    if isinstance(node, ir.Neg):
        return _outside(node.arg)
    if isinstance(node, ir.Add):
        return [o for _, t in node.terms for o in _outside(t)]
    if isinstance(node, ir.Mul):
        return [o for f in node.factors for o in (_outside(f) if _sums(f) else [f])]
    if isinstance(node, ir.Frac):
        return _outside(node.num) + [node.den]
    return [node]


_ENTRY = re.compile(r"^(?P<pre>.+?)_\{(?P<idx>[0-9]+(?:,[0-9]+)*)\}(?P<suf>(?:\^\{.*\})?)$")


def _parse(name: str) -> tuple[str, tuple[int, ...], str] | None:
    """``x_{21}`` → ('x', (2, 1), ''); ``z_{3}^{reality}`` → ('z', (3,), '^{reality}')."""
    m = _ENTRY.match(name)
    if m is None:
        return None
    idx = m.group("idx")
    parts = tuple(int(p) for p in idx.split(",")) if "," in idx else tuple(int(c) for c in idx)
    return m.group("pre"), parts, m.group("suf")


@dataclass(frozen=True)
class Samples:
    """Which symbols belong to which sample, and their generic names.

    ``own[k]`` are the symbols only sample k's expressions use, ``kinds`` the kinds of
    entry they are (x_{k1}: ('x', 2, '')), ``renames[k]`` maps them to the generic
    sample's symbols (row index i)."""
    numbers: tuple[int, ...]
    shared: frozenset[sp.Symbol]
    own: tuple[frozenset[sp.Symbol], ...]
    kinds: frozenset[tuple[str, int, str]]
    renames: tuple[dict[sp.Symbol, sp.Symbol], ...]

    def kind(self, s: sp.Symbol) -> tuple[str, int, str] | None:
        p = _parse(s.name)
        return None if p is None else (p[0], len(p[1]), p[2])


def samples_of(used: list[set[sp.Symbol]], samples: list[int], thetas: set[sp.Symbol]) -> Samples | None:
    """Split the symbols each sample's expressions use into shared and own ones.

    A sample's own entries are the symbols its terms use that not every sample uses;
    they must belong to that sample alone, carry its number in one fixed index position
    of their name, and never include a variable of differentiation.  The renaming is a
    guess checked afterwards: the caller compares the renamed terms, so a wrong guess
    only loses the proof."""
    shared = set.intersection(*used)
    own = [u - shared for u in used]
    kinds = {(p[0], len(p[1]), p[2]) for syms in own for x in syms if (p := _parse(x.name)) is not None}
    if any((p := _parse(x.name)) is not None and (p[0], len(p[1]), p[2]) in kinds for x in shared):
        return None  # every sample's term uses another sample's data: a sum over samples inside
    for a in range(len(own)):
        if thetas & own[a]:
            return None
        for b in range(a + 1, len(own)):
            if own[a] & own[b]:
                return None
    # the index position that carries the sample's number, per kind of entry
    positions: dict[tuple[str, int, str], set[int]] = {}
    for k, syms in zip(samples, own):
        for s in syms:
            p = _parse(s.name)
            if p is None:
                return None
            pre, idx, suf = p
            at = {j for j, v in enumerate(idx) if v == k}
            kind = (pre, len(idx), suf)
            positions[kind] = positions.get(kind, at) & at
    if any(not v for v in positions.values()):
        return None
    renames = []
    for syms in own:
        ren: dict[sp.Symbol, sp.Symbol] = {}
        for s in sorted(syms, key=lambda x: x.name):
            pre, idx, suf = _parse(s.name)  # type: ignore[misc]
            j = min(positions[(pre, len(idx), suf)])
            shown = ",".join("i" if q == j else str(v) for q, v in enumerate(idx))
            ren[s] = sp.Symbol(f"⟨sample⟩{pre}_{{{shown}}}{suf}", real=True)
        if len(set(ren.values())) != len(ren):
            return None
        renames.append(ren)
    return Samples(tuple(samples), frozenset(shared), tuple(frozenset(o) for o in own), frozenset(kinds),
                   tuple(renames))


def _generic_rows(costs: list[object], claims: list[object], samples: list[int],
                  theta: sp.Symbol) -> tuple[list[object], list[object]] | None:
    """Each sample's terms with its own entries renamed to generic ones (row index i)."""
    used = [set(getattr(f, "free_symbols", set())) | set(getattr(g, "free_symbols", set()))
            for f, g in zip(costs, claims)]
    smp = samples_of(used, samples, {theta})
    if smp is None:
        return None
    fs = [sp.expand(f.xreplace(ren)) for f, ren in zip(costs, smp.renames)]  # type: ignore[union-attr]
    gs = [sp.expand(g.xreplace(ren)) for g, ren in zip(claims, smp.renames)]  # type: ignore[union-attr]
    return fs, gs
