"""Per-sample claims with a free index i, proved for every number of samples n.

``z_i^{pred} = v_0 + v_1 y_{i1} + v_2 y_{i2}`` and ``∂z_i^{pred}/∂u = [v_1, v_2; …]``
are claims about every sample i of a document that spells its data out at one size
(four rows).  Deciding them at i = 1..4 proves them there, not for every n.  The
argument for every n reuses persample's renaming of each sample's own entries to a
generic sample's:

* the index i ranges over exactly the samples 1..N, N the value of one size (n), and
  the claim uses i only as a whole subscript of an entry (x_{i1}, z_i^{pred}): never
  as a number, in index arithmetic or in a sum;
* neither side names a size, directly or through a definition it uses, nor a
  transpose, an entry of a product or an ellipsis (persample's test): such a formula
  can change with n;
* at every sample k the document writes out, both sides and every symbol the claim
  names (lowered one by one, so that a factor vanishing at the document's samples only
  cannot hide another sample's entry) use sample k's own entries and entries every
  sample shares; sample k's own entries, renamed to the generic sample's, turn each
  side into one and the same formula for every k;
* every derivative in the claim is of a scalar the claim indexes by i, by entries
  every sample shares, and equals the derivative of the generic sample's quantity;
* the generic left side equals the generic right side, as a symbolic identity.

Then the claim holds at every sample of every n, each sample being the generic one
under a renaming.  When any step does not go through nothing is claimed and the
verdict stays what the concrete checks decided.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy as sp

from symcheck import irutil, persample
from symcheck.context import Context, unwrap
from symcheck.indices import free_letters
from symcheck.latex import ir
from symcheck.lower import LowerError, as_scalar, is_matrix


class NotIndexed(Exception):
    """The claim is not one formula in a generic sample i in a form this route reads."""


@dataclass(frozen=True)
class Proof:
    size: str
    samples: int  # how many of the document's samples were compared


def prove(ctx: Context, rel: ir.Relation, sizes: dict[str, int], letter: str, values: list[int],
          lowerer_for: persample.LowererFor, zero: Callable[[object], bool]) -> Proof | None:
    """A proof for every n of a claim whose free index ``letter`` took ``values``, or None."""
    try:
        return _prove(ctx, rel, sizes, letter, values, lowerer_for, zero)
    except (NotIndexed, LowerError, RecursionError, ZeroDivisionError, TypeError, ValueError,
            AttributeError, KeyError, IndexError, NotImplementedError, sp.PolynomialError, sp.ShapeError):
        return None


def _prove(ctx: Context, rel: ir.Relation, sizes: dict[str, int], letter: str, values: list[int],
           lowerer_for: persample.LowererFor, zero: Callable[[object], bool]) -> Proof | None:
    if rel.op != "=" or free_letters(rel, sizes=set(sizes)) != [letter]:
        return None
    size = _sample_size(sizes, values)
    if size is None:
        return None
    top = sizes[size]
    if top < 2 or top > persample.MAX_SAMPLES:
        return None  # one sample shows no pattern; many make the comparison slow
    for side in (rel.lhs, rel.rhs):
        _only_as_subscript(side, letter)
    if persample._mentions_size(ctx, [rel.lhs, rel.rhs], persample.Range(1, size), "", top):
        return None
    leaves: list[object] = []
    derivs: list[ir.Deriv] = []
    for side in (rel.lhs, rel.rhs):
        _leaves(side, leaves, derivs)
    numbers = list(range(1, top + 1))
    lhs, rhs, used, parts, thetas = [], [], [], [], set()
    for k in numbers:
        low = lowerer_for({letter: k})
        a, b = _matrix(low.lower(rel.lhs)), _matrix(low.lower(rel.rhs))
        if a.shape != b.shape:
            return None
        syms = set(a.free_symbols) | set(b.free_symbols)
        for leaf in leaves:
            syms |= set(getattr(as_scalar(low.lower(leaf)), "free_symbols", set()))
        here = []
        for d in derivs:
            num, var, value = as_scalar(low.lower(d.num)), _matrix(low.lower(d.wrt[0][0])), \
                _matrix(low.lower(d))
            if is_matrix(num) or not all(isinstance(t, sp.Symbol) for t in var):
                return None  # a Jacobian, or a derivative by an expression: not read
            thetas |= set(var)
            syms |= set(getattr(num, "free_symbols", set())) | set(var) | set(value.free_symbols)
            here.append((num, var, value))
        lhs.append(a)
        rhs.append(b)
        used.append(syms)
        parts.append(here)
    smp = persample.samples_of(used, numbers, thetas)
    if smp is None or not all(smp.own):
        return None  # a sample without entries of its own: the claim does not follow i
    gl = [a.xreplace(ren).applyfunc(sp.expand) for a, ren in zip(lhs, smp.renames)]
    gr = [b.xreplace(ren).applyfunc(sp.expand) for b, ren in zip(rhs, smp.renames)]
    if any(not _same(g, gl[0]) for g in gl[1:]) or any(not _same(g, gr[0]) for g in gr[1:]):
        return None  # the samples' claims are not one formula
    for here, ren in zip(parts, smp.renames):
        for num, var, value in here:
            generic = sp.expand(num.xreplace(ren))
            want = var.applyfunc(lambda t: sp.diff(generic, t))
            if want.shape != value.shape or not _same(value.xreplace(ren), want):
                return None  # not the derivative of the generic sample's quantity
    if not all(zero(x - y) for x, y in zip(gl[0], gr[0])):
        return None
    return Proof(size, top)


def _sample_size(sizes: dict[str, int], values: list[int]) -> str | None:
    """The one size whose samples 1..N the index took, or None (none, or ambiguous)."""
    if not values or sorted(values) != list(range(1, max(values) + 1)):
        return None
    found = [k for k, v in sizes.items() if v == max(values) and not k.startswith(("rows(", "cols("))]
    return found[0] if len(found) == 1 else None


def _only_as_subscript(node: object, letter: str) -> None:
    """The index stands only as a whole subscript item: x_{i1}, z_i^{pred}.  As a
    number ((i - 1)(i - 2)…), in index arithmetic (x_{i+1}) or bound by a sum it
    could follow a pattern of the document's samples that the next sample breaks."""
    node = unwrap(node)
    if isinstance(node, ir.Sum):
        raise NotIndexed("a sum or product inside the claim")
    if isinstance(node, ir.Entry):
        raise NotIndexed("an entry of a matrix expression")
    if isinstance(node, ir.Symbol):
        if node.sub is None:
            if node.base == letter:
                raise NotIndexed("the index as a number")
            return
        for item in node.sub:
            item = unwrap(item)
            if isinstance(item, ir.Symbol) and item.base == letter and item.sub is None:
                continue
            if any(isinstance(s, ir.Symbol) and s.base == letter for s in irutil.walk(item)):
                raise NotIndexed("index arithmetic")
        return
    for ch in irutil.children(node):
        _only_as_subscript(ch, letter)


def _leaves(node: object, out: list[object], derivs: list[ir.Deriv]) -> None:
    """The symbols and derivatives the claim names, each to be lowered on its own."""
    node = unwrap(node)
    if isinstance(node, ir.Symbol):
        out.append(node)
        return
    if isinstance(node, ir.Deriv):
        if node.num is None or len(node.wrt) != 1 or node.wrt[0][1] != 1 or node.order != 1 \
                or node.kind not in ("partial", "total"):
            raise NotIndexed("a derivative this route does not read")
        derivs.append(node)
        _leaves(node.num, out, derivs)
        return
    if isinstance(node, ir.Apply):
        for a in node.args:
            _leaves(a, out, derivs)
        return
    for ch in irutil.children(node):
        _leaves(ch, out, derivs)


def _matrix(v: object) -> sp.Matrix:
    v = as_scalar(v)
    return v if is_matrix(v) else sp.Matrix([[v]])  # type: ignore[return-value]


def _same(a: sp.Matrix, b: sp.Matrix) -> bool:
    return a.shape == b.shape and all(sp.expand(x - y) == 0 for x, y in zip(a, b))
