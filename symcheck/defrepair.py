"""A definition the document's own later rows contradict (SC111).

A slip in a definition (``D^{(1)} = diag(a_0(1-a_0), a_0(1-a_0))`` where the second
entry belongs to ``a_1``) shows up downstream: rows that use the definition come out
refuted, and a row that writes the same quantity out again (with ``a_1``) looks wrong
when it is the definition that is.  This stage asks, for each definition used by a
refuted relation, whether one small edit of the definition *explains* the refuted
rows:

* with the edit, at least one refuted row that uses the definition is proved (or
  verified), and every row using it that was proved stays proved;
* the edit accounts for at least two rows: rows it makes true, plus rows that had no
  fix of their own and that one edit now mends (their fixes are found again, with the
  definition corrected).

The definition is then reported at its own line as refuted by the document's own
statements, with the edit as its fix; the rows it makes true say so and lose fixes
that would have bent them to the slip.  Everything is decided by the engine; every
budget is a count.
"""
from __future__ import annotations

import copy
import dataclasses

from symcheck import irutil, names, repair
from symcheck.context import Context, Statement
from symcheck.decide import Decider
from symcheck.diagnostics import Diagnostic, Fix
from symcheck.latex import ir, printer
from symcheck.source import LineIndex

MAX_EDITS = 150  # edits of one definition tried
MAX_SHARED_EDITS = 30  # … of a definition suspected only because two refuted rows share it
MAX_SHARED = 2  # such definitions examined per document
MAX_DEFINITIONS = 8  # definitions examined per document
MAX_USERS = 6  # refuted rows re-decided per edit
TRUE = ("SC001", "SC002")
WRONG = ("SC100", "SC101")


def _keys(node: object) -> set[str]:
    out = set()
    for s in irutil.symbols(node):
        out.add(names.key(s))
        ks = names.key_with_sub(s)
        if ks is not None:
            out.add(ks)
    return out


def _reaching(ctx: Context, key: str) -> set[str]:
    """``key`` and every quantity or family whose definition reaches it."""
    reach = {key}
    changed = True
    while changed:
        changed = False
        for k, q in ctx.quantities.items():
            body = q.definition if q.definition is not None else q.grid
            if k not in reach and body is not None and _keys(body) & reach:
                reach.add(k)
                changed = True
        for k, f in ctx.families.items():
            if k not in reach and f.body is not None and _keys(f.body) & reach:
                reach.add(k)
                changed = True
    return reach


def _with_definition(ctx: Context, key: str, field: str, new: object) -> Context:
    c = copy.copy(ctx)
    c.__dict__.pop("value_cache", None)
    c.quantities = dict(ctx.quantities)
    c.quantities[key] = dataclasses.replace(ctx.quantities[key], **{field: new})
    return c


@dataclasses.dataclass
class _Found:
    edit: object
    rhs: object
    fixed: list[Statement]
    mended: dict[int, tuple[Fix, ...]]
    ctx: Context
    held: dict[int, object] = dataclasses.field(default_factory=dict)  # each fixed row's verdict with the edit

    @property
    def score(self) -> int:
        return len(self.fixed) + len(self.mended)


def repair_definitions(ctx: Context, text: str, diags: list[Diagnostic], placed: dict[int, int],
                       verdicts: dict[int, str], timeout: float) -> None:
    """Report definitions that later rows contradict (SC111), in place in ``diags``."""
    refuted = [st for st in ctx.statements if st.role == "claim" and verdicts.get(st.index) in WRONG]
    if not refuted:
        return
    lines = LineIndex(text)
    # a definition is suspected only when a row using it has no fix of its own:
    # a row that one edit of its own mends needs no other explanation
    garbled = {d.span for d in diags if d.code == "SC303"}  # rows the source garbled explain themselves
    unfixed = [r for r in refuted if r.index in placed and not diags[placed[r.index]].fixes
               and diags[placed[r.index]].span not in garbled]
    order: list[Statement] = []  # for each unexplained row, the definitions it uses, nearest first
    for r in unfixed:
        used = _keys(r.relation)
        near = [st for st in ctx.statements if st.index < r.index and st.role == "definition"
                and st.chain_pos == 0 and st.defines in used]
        for st in sorted(near, key=lambda st: -st.index):
            if st not in order:
                order.append(st)
    # a definition that two or more refuted rows use is suspected too, even when each row
    # has a fix of its own: one slip upstream (a sign in Δ₂) explains them all at once
    for st in ctx.statements:
        if st.role == "definition" and st.chain_pos == 0 and st not in order and sum(
                1 for r in refuted if r.index > st.index and st.defines in _keys(r.relation)) >= 2:
            order.append(st)
    unexplained = {r.index for r in unfixed}
    examined = 0
    shared_left = MAX_SHARED
    for st in order:
        if st.defines not in ctx.quantities or st.index not in placed:
            continue
        q = ctx.quantities[st.defines]
        field = "grid" if q.grid is st.relation.rhs else "definition" if q.definition is st.relation.rhs else None
        if field is None:
            continue
        users = [r for r in refuted if r.index > st.index and st.defines in _keys(r.relation)]
        explains = any(r.index in unexplained for r in users)
        if not explains and (len(users) < 2 or shared_left <= 0):
            continue
        if not explains:
            shared_left -= 1
        examined += 1
        if examined > MAX_DEFINITIONS:
            return
        reach = _reaching(ctx, st.defines)
        found = _search(ctx, st, field, users[:MAX_USERS], reach, verdicts, diags, placed, text, timeout,
                        MAX_EDITS if explains else MAX_SHARED_EDITS)
        if found is not None and not explains and len(found.fixed) < 2:
            found = None  # rows that each have a fix: the definition must make two of them hold
        if found is not None:
            _report(st, found, text, lines, diags, placed)
            verdicts[st.index] = "SC111"
            unexplained -= {r.index for r in found.fixed} | set(found.mended)


def _search(ctx: Context, st: Statement, field: str, users: list[Statement], reach: set[str],
            verdicts: dict[int, str], diags: list[Diagnostic], placed: dict[int, int],
            text: str, timeout: float, budget: int = MAX_EDITS) -> _Found | None:
    rel = st.relation
    keep = [r for r in ctx.statements if r.role == "claim" and r.index > st.index
            and verdicts.get(r.index) in TRUE and _keys(r.relation) & reach]
    cands = [e for e in repair.edits("rhs", rel.rhs, ctx, rel, lambda n: False) if e.rank >= 1][:budget]
    where = {"rhs": repair._addresses(rel.rhs), "lhs": repair._addresses(rel.lhs)}
    found: list[_Found] = []
    for e in cands:
        cand = repair._apply(rel, (e,), where)
        if cand is None:
            continue
        ctx2 = _with_definition(ctx, st.defines, field, cand.rhs)  # type: ignore[arg-type]
        screen = Decider(ctx2, min(timeout, 2.0), quick=True)
        if not any(screen.decide(r).code in TRUE for r in users):
            continue
        judge = Decider(ctx2, min(timeout, 2.0))
        held = {r.index: judge.decide(r) for r in users}
        fixed = [r for r in users if held[r.index].code in TRUE]  # type: ignore[attr-defined]
        if not fixed:
            continue
        if any(screen.decide(r).code not in TRUE for r in keep):
            continue  # the edit would break a row that holds with the definition as written
        mended: dict[int, tuple[Fix, ...]] = {}
        for r in users:
            if r in fixed or diags[placed[r.index]].fixes:
                continue
            fixes = repair.find_fixes(ctx2, r, judge, text, shape_error=verdicts.get(r.index) == "SC101")
            if fixes:
                mended[r.index] = fixes
        f = _Found(e, cand.rhs, fixed, mended, ctx2, {i: o for i, o in held.items() if o.code in TRUE})
        if f.score >= 2:
            found.append(f)
    for f in sorted(found, key=lambda f: -f.score):  # stable: the likeliest edit among equals
        judge = Decider(f.ctx, min(timeout, 2.0))
        if all(judge.decide(r).code in TRUE for r in keep):  # confirmed in full, not only screened
            return f
    return None


def _report(st: Statement, found: _Found, text: str, lines: LineIndex,
            diags: list[Diagnostic], placed: dict[int, int]) -> None:
    rel = st.relation
    name = names.display(st.defines)
    at = lines.position(rel.span.start)[0]

    def where(rs: list[int]) -> str:
        ls = sorted({lines.position(r)[0] for r in rs})
        return ("line " if len(ls) == 1 else "lines ") + ", ".join(str(x) for x in ls)

    fixed_at = where([diags[placed[r.index]].span.start for r in found.fixed])
    parts = [f"{fixed_at} {'is' if len(found.fixed) == 1 else 'are'} false with it and proved with the fix"]
    if found.mended:
        parts.append(f"{where([diags[placed[i]].span.start for i in found.mended])} then "
                     + ("needs only the fix given there" if len(found.mended) == 1 else "need only the fixes given there"))
    old = diags[placed[st.index]]
    lhs = " ".join(text[rel.lhs.span.start:rel.lhs.span.end].split())
    latex = f"{lhs} = {printer.to_latex(found.rhs)}"
    desc = f"{found.edit.desc}; proved against the rows it explains"  # type: ignore[attr-defined]
    message = (f"refuted: this definition of {name} contradicts what the document states later: "
               + "; ".join(parts))
    diags[placed[st.index]] = dataclasses.replace(
        old, code="SC111", message=message,
        evidence=("the rows that use the definition, decided again with the edit",),
        fixes=(Fix(latex, desc, rel.rhs.span),))
    for r in found.fixed:
        # the row is right about what the definition was meant to be: the slip is reported
        # once, where it is, and the row says it inherits it
        d = diags[placed[r.index]]
        out = found.held[r.index]
        how = "proved" if out.code == "SC001" else "verified numerically"  # type: ignore[attr-defined]
        diags[placed[r.index]] = dataclasses.replace(
            d, code=out.code, fixes=(), counterexample=(),  # type: ignore[attr-defined]
            message=f"{how} once the definition of {name} at line {at} is corrected as SC111 proposes; as "
                    "written it inherits that slip",
            evidence=(f"with the definition as written: {d.message}",) + out.evidence)  # type: ignore[attr-defined]
    for i, fixes in found.mended.items():
        d = diags[placed[i]]
        diags[placed[i]] = dataclasses.replace(
            d, fixes=tuple(dataclasses.replace(f, description=f"{f.description}, with the definition of {name} "
                                               f"at line {at} corrected") for f in fixes))

