"""Where a name changes its meaning part-way through a document.

Notes reuse letters: §1 works with ``X ∈ R^{m×n}``, §3 says "Now let
``X ∈ R^{n×n}`` be invertible", §4 goes back to ``X ∈ R^{m×n}``.  One shape per
name for the whole document makes the §3 claims about a non-square X (or the §1
claims about a square one) fail for a reason the author never wrote.

A *boundary* is the start of a section whose declaration gives a name a shape
that differs from the one the sections before it give that name (read from those
sections alone).  Each stretch between boundaries is a *scope*, read as a
document of its own: it sees the fragments before its end, except those before a
boundary that mention a name the boundary re-declares (what comes after the next
boundary is the next scope's).  A scope decides only its own relations.  A document without boundaries is one scope, and
reading it is unchanged.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Callable

from symcheck import context, irutil, names, shapes
from symcheck.fragments import Document
from symcheck.latex import ir


@dataclass(frozen=True)
class Boundary:
    start: int  # offset of the section that re-declares
    keys: frozenset[str]  # the names it gives a new shape
    until: int | None = None  # where the new meaning ends ("for the rest of this section"); None: never

    def holds(self, at: int) -> bool:
        """Whether the new meaning is the one in force at offset ``at``."""
        return self.start <= at and (self.until is None or at < self.until)


@dataclass(frozen=True)
class Scope:
    start: int  # offsets in the document text: the scope decides relations in [start, end)
    end: int
    fragments: tuple[int, ...]  # the fragments read for it (indices into doc.fragments)


def _position(doc: Document, fi: int) -> int:
    return doc.fragments[fi].text.span().start


def _fragment_keys(ctx: context.Context) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for st in ctx.statements:
        keys = out.setdefault(st.fragment, set())
        for n in irutil.walk(st.relation):
            if isinstance(n, ir.Symbol):
                keys.add(names.key(n))
    for fi, keys in ctx.mention_keys.items():
        out.setdefault(fi, set()).update(keys)
    return out


def _shape_text(dims: tuple[object, object] | None) -> tuple[str, str]:
    if dims is None:
        return ("1", "1")  # a name the shapes leave out is read as a scalar
    return (str(dims[0]), str(dims[1]))


def _unknown(dims: tuple[str, str]) -> bool:
    return any("(" in d for d in dims)  # rows(X): the sections before never fix it


# "Now let X ∈ …", "From here on x ∈ R^d": the sentence gives the name a new meaning
_ANEW = re.compile(r"\b(?:now|instead|from here on|henceforth|this time|in this section)\b", re.I)


_SENTENCE_END = re.compile(r"[.!?:]\s|\n\s*\n")


def _says_anew(doc: Document, fi: int) -> bool:
    """The sentence the fragment stands in, from its start (across the math before it in
    the same sentence), says "now", "from here on", …."""
    words = ""
    for k in range(fi, max(-1, fi - 8), -1):
        before = doc.fragments[k].prose_before.text
        parts = _SENTENCE_END.split(before)
        words = parts[-1] + " " + words
        if len(parts) > 1:
            break
    return bool(_ANEW.search(words))


def boundaries(doc: Document, ctx: context.Context, section_starts: list[int],
               build: Callable[[Document], context.Context]) -> list[Boundary]:
    """Section starts where a declaration gives a name a shape the earlier sections
    do not give it."""
    keys_of = _fragment_keys(ctx)
    found: dict[int, set[str]] = {}
    prefix: dict[int, context.Context] = {}
    for st in ctx.statements:
        if st.role != "declaration" or not st.defines or st.defines not in ctx.quantities:
            continue
        at = st.relation.span.start
        starts = [s for s in section_starts if s <= at]
        if not starts:
            continue
        b = starts[-1]
        if not any(st.defines in keys for fi, keys in keys_of.items() if _position(doc, fi) < b):
            continue
        rhs = st.relation.rhs
        dims = getattr(rhs, "dims", ())
        declared = (dims[0], dims[1]) if len(dims) == 2 else (dims[0], 1) if len(dims) == 1 else None
        if declared is None:
            continue
        new = _shape_text(tuple(shapes.dim_of(d) for d in declared))  # type: ignore[arg-type]
        if b not in prefix:
            prefix[b] = build(dataclasses.replace(
                doc, fragments=tuple(f for f in doc.fragments if f.text.span().start < b)))
        before = prefix[b].shapes.get(st.defines)
        old = _shape_text(before)
        if _unknown(old) or _unknown(new) or old == new:
            continue
        if before is None and not _says_anew(doc, st.fragment):
            continue  # used before without a shape: this may be its first declaration
        found.setdefault(b, set()).add(st.defines)
    return [Boundary(b, frozenset(k)) for b, k in sorted(found.items())] + _section_locals(doc, section_starts)


# "For the rest of this section I'll drop the indices: $z$, $y$ and $p$ are plain numbers"
_PLAIN = re.compile(r"\s*(?:are|is)\s+(?:(?:a|all)\s+)?(?:plain|real|ordinary)?\s*(?:numbers?|scalars?)\b")
_LOCAL = re.compile(r"\b(?:for|in) the rest of this (?:section|part)\b|\bin this (?:section|part)\b", re.I)


def _section_locals(doc: Document, section_starts: list[int]) -> list[Boundary]:
    """Names a sentence makes plain numbers for the rest of its section: a meaning that holds
    from that sentence to the next heading, and the earlier one again after it."""
    from symcheck import names as nm
    from symcheck.latex import parser

    out = []
    frags = doc.fragments
    for j in range(len(frags) - 1):
        if frags[j].display or not _PLAIN.match(frags[j + 1].prose_before.text.lower()):
            continue
        keys: list[str] = []
        k = j
        while k >= 0 and not frags[k].display:
            node = parser.parse_expr(frags[k].text)
            if not isinstance(node, ir.Symbol):
                break
            keys.append(nm.key(node))
            if frags[k].prose_before.text.strip().lower() not in (",", "and", ", and"):
                break
            k -= 1
        first = frags[max(k, 0)]
        # the cue may stand before a colon: "For the rest of this section I'll drop the indices: $z$, …"
        sentence = re.split(r"[.!?]\s|\n\s*\n", first.prose_before.text)[-1]
        if not keys or not _LOCAL.search(sentence):
            continue
        at = first.text.span().start
        end = min([b for b in section_starts if b > at] or [len(doc.text) + 1])
        out.append(Boundary(at, frozenset(keys), end))
    return out


def split(doc: Document, ctx: context.Context, section_starts: list[int],
          build: Callable[[Document], context.Context]) -> list[Scope]:
    """The document's scopes, in order; one scope when no name changes meaning."""
    cuts = boundaries(doc, ctx, section_starts, build)
    everything = tuple(range(len(doc.fragments)))
    if not cuts:
        return [Scope(0, len(doc.text) + 1, everything)]
    keys_of = _fragment_keys(ctx)
    end = len(doc.text) + 1
    edges = sorted({0, end} | {c.start for c in cuts} | {c.until for c in cuts if c.until is not None})
    out = []
    for lo, hi in zip(edges, edges[1:]):
        kept = []
        for fi in everything:
            at = _position(doc, fi)
            if at >= hi:
                continue  # what comes after the next boundary is read in its own scope
            if any(keys_of.get(fi, set()) & c.keys and c.holds(at) != c.holds(lo) for c in cuts):
                continue  # it speaks of a name in a meaning that does not hold here
            kept.append(fi)
        out.append(Scope(lo, hi, tuple(kept)))
    return out
