"""Matrix gradients of a sum over samples, proved for every number of samples n.

``∂C/∂u = X^T d [v_1 v_2]`` with ``C = ½ Σ_{i=1}^{n} (z_i^{reality} - z_i^{pred})^2`` is
written for all n, while the document spells X and d out with one row per sample at
one size (four rows).  The argument for every n reads the claim as a matrix
expression over two kinds of value:

* a matrix *of samples*: n rows (or, transposed, n columns), row i one formula in
  sample i's own entries and the entries every sample shares.  X (rows
  [1, x_{i1}, x_{i2}]) and d (rows d_i) are such matrices when every row the document
  writes out, its own entries renamed to the generic sample's, is the same formula;
* a matrix *of fixed size* (the weights, [v_1 v_2]), each entry ``P + Σ_{i=1}^{n} G_i``
  with P free of samples and G one formula in a generic sample i.

A product that runs over the samples (``X^T d``) is the sum over i of the product of
the rows, so it is of fixed size with G = x_i^T d_i; a matrix of samples times a
fixed matrix is a matrix of samples; a product of two sums over the samples, or an
n × n matrix, is not read.  The cost's derivative is ``Σ_i ∂F/∂θ`` with F the cost's
term for a generic sample (persample.py).  Equal P and G entry by entry prove the
relation for every n and every data.  As a check that the reading is the engine's,
both sides rebuilt at the document's samples from P and G must equal the engine's
own values there.

Nothing is claimed when a step does not go through: a quantity whose definition uses
a size, a transpose or another sum (persample's test), a fixed matrix holding a
sample's entry, a matrix of samples whose rows are not one formula, one as wide as it
is tall, a derivative that is not of the cost.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy as sp

from symcheck import names, persample
from symcheck.context import Context, unwrap
from symcheck.latex import ir
from symcheck.lower import LowerError, Lowerer, as_scalar, is_matrix


class NotRows(Exception):
    """The relation has no reading as matrices of samples."""


@dataclass(frozen=True)
class Rows:
    """An n × c matrix whose row i is ``row`` for the generic sample (c × n if transposed)."""
    row: sp.Matrix
    transposed: bool


@dataclass(frozen=True)
class Fixed:
    """A matrix whose size does not depend on n: entry = plain + Σ_{i=1}^{n} per."""
    plain: sp.Matrix
    per: sp.Matrix


Value = Rows | Fixed


@dataclass(frozen=True)
class Proof:
    size: str
    samples: int


def prove(ctx: Context, rel: ir.Relation, sizes: dict[str, int], lowerer_for: persample.LowererFor,
          zero: Callable[[object], bool]) -> Proof | None:
    """A proof for every n of ``∂C/∂θ = (matrix expression)``, θ a matrix, or None."""
    try:
        return _prove(ctx, rel, sizes, lowerer_for, zero)
    except (NotRows, persample.NotPerSample, LowerError, RecursionError, ZeroDivisionError, TypeError,
            ValueError, AttributeError, KeyError, IndexError, NotImplementedError, sp.PolynomialError,
            sp.ShapeError):
        return None


def _prove(ctx: Context, rel: ir.Relation, sizes: dict[str, int], lowerer_for: persample.LowererFor,
           zero: Callable[[object], bool]) -> Proof | None:
    found = persample.cost_claim(ctx, rel, lowerer_for)
    if found is None:
        return None
    deriv_side, claim, cost_key, cost_def, var, base = found
    theta = base.lower(var)
    if not is_matrix(theta) or not all(isinstance(t, sp.Symbol) for t in theta):  # type: ignore[union-attr]
        return None  # a scalar weight is persample's; a derivative by an expression is not read
    rng = persample._common_range(base, [cost_def])
    if rng is None or rng.size not in sizes:
        return None
    if persample._mentions_size(ctx, [cost_def], rng, cost_key, sizes[rng.size]):
        return None
    top = sizes[rng.size]
    numbers = list(range(rng.lower, top + 1))
    if rng.lower != 1 or len(numbers) < 2 or len(numbers) > persample.MAX_SAMPLES:
        return None  # the rows of a matrix of samples are numbered from 1
    costs = [persample._term(lowerer_for, base, cost_def, rng, k) for k in numbers]
    thetas = set(theta)  # type: ignore[arg-type]
    smp = persample.samples_of([set(getattr(f, "free_symbols", set())) for f in costs], numbers, thetas)
    if smp is None or not thetas <= smp.shared:
        return None
    fs = [sp.expand(f.xreplace(ren)) for f, ren in zip(costs, smp.renames)]  # type: ignore[union-attr]
    if any(sp.expand(f - fs[0]) != 0 for f in fs[1:]):
        return None  # the samples' terms are not one formula
    lhs = Fixed(sp.zeros(*theta.shape), theta.applyfunc(lambda t: sp.diff(fs[0], t)))  # type: ignore[union-attr]
    reader = _Reader(ctx, base, smp, rng, top, cost_key)
    rhs = reader.read(claim)
    if not isinstance(rhs, Fixed) or rhs.plain.shape != lhs.plain.shape:
        return None
    # the reading must be the engine's: rebuilt at the document's samples, both sides
    # equal the values the concrete checks compared
    for side, node in ((lhs, deriv_side), (rhs, claim)):
        value = as_scalar(base.lower(node))
        mat = value if is_matrix(value) else sp.Matrix([[value]])
        if mat.shape != side.plain.shape or not _same(reader.at_samples(side), mat):  # type: ignore[union-attr]
            return None
    if any(sp.expand(a - b) != 0 for a, b in zip(lhs.plain, rhs.plain)):
        return None
    if not all(zero(a - b) for a, b in zip(lhs.per, rhs.per)):
        return None
    return Proof(rng.size, len(numbers))


def _same(a: sp.Matrix, b: sp.Matrix) -> bool:
    return all(sp.expand(x - y) == 0 for x, y in zip(a, b))


class _Reader:
    """The claim as Rows and Fixed values, leaves from the engine's own values."""

    def __init__(self, ctx: Context, base: Lowerer, smp: persample.Samples, rng: persample.Range,
                 top: int, cost_key: str) -> None:
        self.ctx, self.base, self.smp, self.rng, self.top, self.cost_key = ctx, base, smp, rng, top, cost_key
        self.back = [{g: s for s, g in ren.items()} for ren in smp.renames]

    def at_samples(self, v: Fixed) -> sp.Matrix:
        total = v.plain
        for back in self.back:
            total = total + v.per.xreplace(back)
        return total

    def read(self, node: object) -> Value:
        node = unwrap(node)
        if isinstance(node, ir.Paren) and len(node.items) == 1 and node.delim in ("(", "["):
            return self.read(node.items[0])
        if isinstance(node, ir.Neg):
            return _scale(self.read(node.arg), sp.Integer(-1))
        if isinstance(node, ir.Add):
            vals = [(sg, self.read(t)) for sg, t in node.terms]
            out = vals[0][1] if vals[0][0] > 0 else _scale(vals[0][1], sp.Integer(-1))
            for sg, v in vals[1:]:
                out = _add(out, v if sg > 0 else _scale(v, sp.Integer(-1)))
            return out
        if isinstance(node, ir.Mul):
            if any(op not in ("juxt", "cdot", "times") for op in node.ops):
                raise NotRows("an entrywise product")
            out = self.read(node.factors[0])
            for f in node.factors[1:]:
                out = _mul(out, self.read(f))
            return out
        if isinstance(node, ir.Frac):
            den = self.read(node.den)
            if not _is_number(den):
                raise NotRows("a denominator that is not a plain scalar")
            return _scale(self.read(node.num), 1 / den.plain[0, 0])  # type: ignore[union-attr]
        if isinstance(node, ir.Transpose):
            v = self.read(node.arg)
            if isinstance(v, Rows):
                return Rows(v.row, not v.transposed)
            return Fixed(v.plain.T, v.per.T)
        if isinstance(node, (ir.Symbol, ir.Matrix, ir.Number)):
            return self.leaf(node)
        raise NotRows(type(node).__name__)

    def leaf(self, node: object) -> Value:
        if isinstance(node, ir.Symbol) and names.key(node) in (set(self.ctx.size_symbols) | set(self.ctx.doc_sizes)):
            raise NotRows("a size")
        if not isinstance(node, ir.Number) and persample._mentions_size(
                self.ctx, [node], self.rng, self.cost_key, self.top):
            raise NotRows("a quantity whose definition may depend on the number of samples")
        v = as_scalar(self.base.lower(node))
        mat = v if is_matrix(v) else sp.Matrix([[v]])
        r, c = mat.shape  # type: ignore[union-attr]
        if r == self.top and c == self.top:
            raise NotRows("as many rows as columns as samples")
        if r == self.top:
            return self.rows(mat, False)  # type: ignore[arg-type]
        if c == self.top:
            return self.rows(mat.T, True)  # type: ignore[union-attr]
        for x in mat.free_symbols:  # type: ignore[union-attr]
            if self.smp.kind(x) in self.smp.kinds:
                raise NotRows("a sample's entry in a matrix of fixed size")
        return Fixed(mat, sp.zeros(r, c))  # type: ignore[arg-type]

    def rows(self, mat: sp.Matrix, transposed: bool) -> Rows:
        """One row per sample, the same formula in each sample's own entries."""
        generic: list[sp.Matrix] = []
        for k, (own, ren) in enumerate(zip(self.smp.own, self.smp.renames)):
            row = mat[k, :]
            syms = row.free_symbols
            mine = {x for x in syms if self.smp.kind(x) in self.smp.kinds}
            if not mine or not mine <= own:
                raise NotRows("a row without its sample's entries, or with another sample's")
            generic.append(row.xreplace(ren).applyfunc(sp.expand))
        if any(not _same(g, generic[0]) for g in generic[1:]):
            raise NotRows("rows that are not one formula")
        return Rows(generic[0], transposed)


def _is_number(v: Value) -> bool:
    return isinstance(v, Fixed) and v.plain.shape == (1, 1) and v.per[0, 0] == 0 \
        and not v.plain[0, 0].free_symbols and v.plain[0, 0] != 0


def _scalar(v: Value) -> bool:
    return isinstance(v, Fixed) and v.plain.shape == (1, 1)


def _scale(v: Value, c: object) -> Value:
    if isinstance(v, Rows):
        return Rows(v.row * c, v.transposed)
    return Fixed(v.plain * c, v.per * c)


def _add(a: Value, b: Value) -> Value:
    if isinstance(a, Rows) and isinstance(b, Rows) and a.transposed == b.transposed \
            and a.row.shape == b.row.shape:
        return Rows(a.row + b.row, a.transposed)
    if isinstance(a, Fixed) and isinstance(b, Fixed) and a.plain.shape == b.plain.shape:
        return Fixed(a.plain + b.plain, a.per + b.per)
    raise NotRows("a sum of unlike matrices")


def _mul(a: Value, b: Value) -> Value:
    if _scalar(a) or _scalar(b):
        s, m = (a, b) if _scalar(a) else (b, a)
        assert isinstance(s, Fixed)
        if isinstance(m, Rows):
            if s.per[0, 0] != 0:
                raise NotRows("a sum over the samples times a matrix of samples")
            return _scale(m, s.plain[0, 0])
        if s.per[0, 0] != 0 and any(x != 0 for x in m.per):
            raise NotRows("a product of two sums over the samples")
        return Fixed(m.plain * s.plain[0, 0], m.plain * s.per[0, 0] + m.per * s.plain[0, 0])
    if isinstance(a, Fixed) and isinstance(b, Fixed):
        if any(x != 0 for x in a.per) and any(x != 0 for x in b.per):
            raise NotRows("a product of two sums over the samples")
        return Fixed(a.plain * b.plain, a.plain * b.per + a.per * b.plain)
    if isinstance(a, Rows) and isinstance(b, Rows):
        if a.transposed and not b.transposed:
            # (c × n)(n × k): the product runs over the samples, Σ_i (row_i)^T row'_i
            return Fixed(sp.zeros(a.row.shape[1], b.row.shape[1]), a.row.T * b.row)
        raise NotRows("an n × n matrix, or shapes that do not conform")
    if isinstance(a, Rows) and isinstance(b, Fixed) and not a.transposed:
        if any(x != 0 for x in b.per):
            raise NotRows("a sum over the samples inside every row")
        return Rows(a.row * b.plain, False)
    if isinstance(a, Fixed) and isinstance(b, Rows) and b.transposed:
        if any(x != 0 for x in a.per):
            raise NotRows("a sum over the samples inside every column")
        return Rows((a.plain * b.row.T).T, True)
    raise NotRows("shapes that do not conform")
