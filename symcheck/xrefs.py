"""Cross-references: "equations (1) to (6)", "(8)", "\\eqref{eq:grad}" (rule SC104).

A reference is checked against what its sentence needs, and only what the engine
decides is reported:

* it must point at an equation that exists (tags, ``\\label``, rst ``:label:``);
* "setting (n) to zero", "(n) are satisfied", "remain to be solved" need
  *conditions*: an equation with a zero side, a gradient set to zero, or an
  expression.  A definition, or a relation the engine proved to hold identically,
  states no condition;
* "(n) take the form / can be rewritten as / become" the display(s) that end the
  sentence need each referenced equation to be the same condition as its display,
  with the document's definitions substituted.  Equivalence is proved by the
  Decider (the conditions differ by at most a sign); non-equivalence needs an exact
  point where one condition holds and the other fails.

A wrong reference gets a fix only when another run of tagged equations of the same
length is proved to say what the sentence needs, nearest first.  Anything the engine
cannot decide is left silent; a correct reference is silent too.
"""
from __future__ import annotations

import dataclasses
import random
import re
import time
from dataclasses import dataclass

import sympy as sp

from symcheck import limits, names, unnumbered
from symcheck.context import Context, Statement
from symcheck.decide import Decider, Outcome
from symcheck.diagnostics import Diagnostic, Fix
from symcheck.fragments import Document, Row
from symcheck.latex import ir
from symcheck.lower import LowerError, Lowerer, is_matrix
from symcheck.source import MappedText, Span

MAX_RANGE = 40  # "(1) to (40)" at most; a longer range is read as two references
MAX_WINDOWS = 12  # candidate fixes tried per reference: a count, so output never depends on speed
SAFETY_S = 120.0  # a runaway guard for the whole stage only
_NUMBERED_ENVS = ("equation", "align", "gather", "multline", "eqnarray", "alignat", "flalign")
_DEFINING = ("definition", "naming", "layout", "function", "declaration", "update", "example")

_ITEM = re.compile(
    r"\\eqref\s*\{([^{}]+)\}|\\ref\s*\{([^{}]+)\}|:eq:`([^`]+)`"
    r"|\b(?:[Ee]q(?:uation)?s?\.?)[ \t\n]*(?:\(\s*(\d{1,3}[a-z]?)\s*\)|(\d{1,3}[a-z]?)\b)"
    r"|\(\s*(\d{1,3}[a-z]?)\s*\)")
_CODE = re.compile(r"```.*?```|:eq:`[^`]*`|`[^`\n]*`", re.S)
_RANGE_GAP = re.compile(r"\s*(?:-{1,3}|–|—|to|through|until)\s*")
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and|or)?|and|or)\s*")
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z#*])|\n[ \t]*\n")
_ZERO_AFTER = re.compile(r"\W*(?:(?:is|are|be|were)\s+)?(?:(?:set|equated)\s+)?(?:equal\s+)?(?:to\s+(?:zero|0)\b"
                         r"|=\s*0|zero\b|vanish|(?:reduces?|reduced)\s+to\s+the\s+conditions?)")
_HOLD_AFTER = re.compile(r"\W*(?:(?:is|are|be|were)\s+)?(?:satisfied|solved|(?:remains?|left)\s+to\s+be\s+solved)")
_ZERO_BEFORE = re.compile(r"\b(?:setting|set|equating)(?:\s+the)?(?:\s+equations?|\s+eqs?\.)?\s*$")
# not "x satisfies (5)": that is also true when (5) defines x
_HOLD_BEFORE = re.compile(r"\b(?:solving|solve|solutions?\s+of)"
                          r"(?:\s+the)?(?:\s+equations?|\s+eqs?\.)?\s*$")
_POINTS_AT = re.compile(r"\b(?:as|in|from|by|see|using|into|inserting|substituting|combining|cf\.)\s*$")
# "we can rewrite equations (8) as $$…$$": the verb before the reference, "as" after it
_FORM_BEFORE = re.compile(r"\b(?:rewrite|re-write|write|express|recast|cast)\s*(?:the\s+)?(?:equations?\s+|eqs?\.\s*)?$")
_AS_AFTER = re.compile(r"\W*as\W*$")
_FORM_AFTER = re.compile(r"\W*(?:then\s+)?(?:(?:can|may|could)\s+(?:then\s+)?be\s+|is\s+|are\s+)?"
                         r"(?:(?:re)?written\s+as|takes?\s+the\s+form|becomes?\b|(?:is|are)\s+equivalent\s+to)")


@dataclass(frozen=True)
class Target:
    """A labelled row: its statements (relations) or, for a row that states none, its expression."""

    tag: str
    fragment: int
    statements: tuple[Statement, ...]
    expr: object | None = None

    @property
    def main(self) -> Statement | None:
        tagged = [s for s in self.statements if s.tag == self.tag]
        return (tagged or list(self.statements) or [None])[-1]


@dataclass(frozen=True)
class Reference:
    """One reference as written: its keys in order, with how each joins the next."""

    span: Span
    text: str  # as written, for the message and the fix
    keys: tuple[str, ...]
    numbers: tuple[tuple[int, int], ...]  # where each key stands in ``text``
    joins: tuple[str, ...]  # "range" or "list" between key k and k + 1
    before: str  # the sentence before the reference, lower case
    after: str  # the sentence after it
    displays: tuple[int, ...]  # display fragments the sentence runs into
    bare: bool = False  # only "(n)": no "equation", "Eq.", \\eqref before it

    def targets(self) -> list[str]:
        out = [self.keys[0]]
        for k, join in enumerate(self.joins):
            a, b = self.keys[k], self.keys[k + 1]
            if join == "range" and a.isdigit() and b.isdigit() and 0 < int(b) - int(a) <= MAX_RANGE:
                out += [str(n) for n in range(int(a) + 1, int(b) + 1)]
            else:
                out.append(b)
        return out


# -- reading the document ----------------------------------------------------
def _target(ctx: Context, fi: int, row: Row, tag: str) -> Target:
    """The statements read from ``row``, or its expression when it states no relation."""
    from symcheck.latex import parser

    span = row.text.span()
    sts = tuple(s for s in ctx.statements if s.fragment == fi and s.row_span is not None
                and span.start <= s.row_span.start < max(span.end, span.start + 1))
    res = parser.parse_row(row.text) if not sts else None
    expr = res.items[0] if isinstance(res, ir.Chain) and len(res.items) == 1 and not res.ops else None
    return Target(tag, fi, sts, expr)


def _row_targets(doc: Document, ctx: Context) -> dict[str, Target]:
    out: dict[str, Target] = {}
    for fi, frag in enumerate(doc.fragments):
        for row in frag.rows:
            if row.tag and row.tag not in out:
                out[row.tag] = _target(ctx, fi, row, row.tag)
    return out


def _numbering_unknown(doc: Document) -> bool:
    """Environments LaTeX numbers by itself: their numbers are not in the text."""
    return any(f.kind.startswith("env:") and not f.kind.endswith("*") and f.kind[4:] in _NUMBERED_ENVS
               for f in doc.fragments)


def _runs(doc: Document) -> list[tuple[MappedText, list[tuple[int, int]], int | None]]:
    """Prose between displays, inline math kept for reading sentences: (text, prose ranges, next display)."""
    out = []
    cur: MappedText | None = None
    prose: list[tuple[int, int]] = []
    for fi, frag in enumerate(doc.fragments):
        base = len(cur) if cur is not None else 0
        cur = frag.prose_before if cur is None else cur + frag.prose_before
        prose.append((base, len(cur)))
        if frag.display:
            out.append((cur, prose, fi))
            cur, prose = None, []
        else:
            cur = cur + frag.text
    tail = doc.prose_after
    if tail is not None:
        base = len(cur) if cur is not None else 0
        cur = tail if cur is None else cur + tail
        prose.append((base, len(cur)))
    if cur is not None:
        out.append((cur, prose, None))
    return out


def _following_displays(doc: Document, first: int | None) -> tuple[int, ...]:
    if first is None:
        return ()
    out = [first]
    k = first + 1
    while k < len(doc.fragments) and doc.fragments[k].display \
            and len(doc.fragments[k].prose_before.text.strip(" \t\n,;")) == 0:
        out.append(k)
        k += 1
    return tuple(out)


def references(doc: Document) -> list[Reference]:
    out = []
    for run, prose, nxt in _runs(doc):
        s = run.text
        code = [c.span() for c in _CODE.finditer(s) if not c.group(0).startswith(":eq:")]
        items = []
        for m in _ITEM.finditer(s):
            if not any(a <= m.start() and m.end() <= b for a, b in prose) or \
                    any(a <= m.start() < b for a, b in code):
                continue  # "(1)" inside math or code
            g = next(k for k in range(1, 7) if m.group(k) is not None)
            if g == 6 and m.start() and (s[m.start() - 1].isalnum() or s[m.start() - 1] in "_^)"):
                continue  # f(1)
            items.append((m.start(), m.end(), m.group(g), m.start(g)))
        groups: list[list[tuple[int, int, str, int]]] = []
        joins: list[list[str]] = []
        for it in items:
            if groups:
                gap = s[groups[-1][-1][1]:it[0]]
                kind = "range" if _RANGE_GAP.fullmatch(gap) else "list" if _LIST_GAP.fullmatch(gap) else ""
                if kind:
                    groups[-1].append(it)
                    joins[-1].append(kind)
                    continue
            if s[it[0]] == "(" and not s[s.rfind("\n", 0, it[0]) + 1:it[0]].strip():
                continue  # an enumeration "(1) First, …" at the start of a line
            groups.append([it])
            joins.append([])
        end_text = len(s.rstrip())
        for grp, jn in zip(groups, joins):
            a, b = grp[0][0], grp[-1][1]
            starts = [m.end() for m in _SENTENCE_END.finditer(s, 0, a)]
            s0 = starts[-1] if starts else 0
            stop = _SENTENCE_END.search(s, b, end_text)
            s1 = stop.start() if stop else end_text
            displays = _following_displays(doc, nxt) if stop is None and not s[b:end_text].endswith(".") else ()
            out.append(Reference(run.span(a, b), s[a:b], tuple(k for _, _, k, _ in grp),
                                 tuple((p - a, p - a + len(k)) for _, _, k, p in grp), tuple(jn),
                                 " ".join(s[s0:a].lower().split()), " ".join(s[b:s1].lower().split()),
                                 displays, s[a] == "("))
    return out


# -- what the sentence needs ---------------------------------------------------
def _is_zero(node: object) -> bool:
    return isinstance(node, ir.Number) and node.text in ("0", "0.0")


def _sides(st: Statement) -> tuple[object, object] | None:
    rel = st.relation
    return (rel.lhs, rel.rhs) if rel.op in ("=", ":=") else None


def _states_condition(t: Target) -> bool:
    """An expression, a condition, an equation with a zero side, or a gradient (to be set to zero)."""
    return t.expr is not None or any(
        st.role == "condition" or any(_is_zero(x) or isinstance(x, ir.Deriv) for x in (_sides(st) or ()))
        for st in t.statements)


def _condition_reason(t: Target, verdicts: dict[int, str]) -> str | None:
    """Why ``t`` states no condition, or None when it does (or when that cannot be told)."""
    if not t.statements or _states_condition(t):
        return None
    reasons = []
    for st in t.statements:
        if st.role in _DEFINING and st.defines:
            reasons.append(f"{_shown(t.tag)} defines {names.display(st.defines)}")
        elif st.role == "claim" and verdicts.get(st.index) in ("SC001", "SC002"):
            how = "proved" if verdicts[st.index] == "SC001" else "verified"
            reasons.append(f"{_shown(t.tag)} holds identically ({how} above)")
        else:
            return None
    return reasons[0]


def _zero_form(t: Target, sets_zero: bool) -> object | None:
    """The expression whose vanishing the labelled equation states."""
    if t.expr is not None:
        return t.expr if sets_zero else None
    st = t.main
    sides = _sides(st) if st is not None else None
    if sides is None:
        return None
    lhs, rhs = sides
    if _is_zero(rhs) or _is_zero(lhs):
        return lhs if _is_zero(rhs) else rhs
    if sets_zero:
        return rhs if isinstance(lhs, ir.Deriv) else lhs if isinstance(rhs, ir.Deriv) else None
    return ir.Add(((1, lhs), (-1, rhs)), st.relation.span)


class Checker:
    def __init__(self, doc: Document, ctx: Context, verdicts: dict[int, str], timeout: float,
                 search_fixes: bool = True) -> None:
        self.doc, self.ctx, self.verdicts = doc, ctx, verdicts
        self.search_fixes = search_fixes
        self.targets = _row_targets(doc, ctx)
        self.decider = Decider(ctx, timeout)
        self.quick = Decider(ctx, min(timeout, 1.0), quick=True)
        self.timeout = timeout

    # -- the engine's answers ----------------------------------------------
    def _decide(self, st: Statement, lhs: object, rhs: object) -> Outcome:
        """SC001/SC002: the two are equal; SC100/SC101: they differ; anything else: undecided."""
        probe = dataclasses.replace(st, relation=ir.Relation(lhs, "=", rhs, st.relation.span), role="claim", tag=None)
        out = self.quick.decide(probe)
        return self.decider.decide(probe) if out.code == "SC002" else out

    def same_condition(self, t: Target, f: Target, sets_zero: bool) -> tuple[str, tuple[tuple[str, str], ...]]:
        """("proved", ()), ("differs", counterexample), or ("", ()) when the engine cannot tell."""
        st = t.main or f.main
        if st is None:
            return "", ()
        if f.expr is not None and t.expr is None and not sets_zero:
            # "(8) can be rewritten as <expression>": the expression is a side of (8), or their difference
            sides = _sides(st)
            if sides is None:
                return "", ()
            lhs, rhs = sides
            span = st.relation.span
            outs = [self._decide(st, side, f.expr) for side in
                    (lhs, rhs, ir.Add(((1, lhs), (-1, rhs)), span), ir.Add(((1, rhs), (-1, lhs)), span))]
            if any(o.code == "SC001" for o in outs):
                return "proved", ()
            if all(o.code in ("SC100", "SC101") for o in outs):
                return "differs", outs[1].counterexample
            return "", ()
        a, b = _zero_form(t, sets_zero), _zero_form(f, False)
        if a is None or b is None:
            return "", ()
        span = st.relation.span
        if any(self._decide(st, a, side).code == "SC001" for side in (b, ir.Neg(b, span))):
            return "proved", ()
        point = self.witness(st, a, b)
        return ("differs", point) if point else ("", ())

    def witness(self, st: Statement, a: object, b: object) -> tuple[tuple[str, str], ...] | None:
        """An exact point where one condition holds and the other fails, if one is found."""
        probe = dataclasses.replace(st, relation=ir.Relation(a, "=", b, st.relation.span), role="claim")
        try:
            insts, _ = self.decider.instances(probe)
            insts = [i for i in insts if i.sizes == insts[0].sizes][:16]
            ea: list[sp.Expr] = []
            eb: list[sp.Expr] = []
            for inst in insts:
                low = Lowerer(self.ctx, inst.sizes, indices=inst.indices, cost_args=self.decider.cost_args(st),
                              locals_=self.decider.locals(st))
                low.deadline = time.monotonic() + self.timeout
                ea += _entries(low.lower(a))
                eb += _entries(low.lower(b))
        except (LowerError, ValueError, TypeError, KeyError, IndexError, AttributeError, ZeroDivisionError,
                NotImplementedError, RecursionError):
            return None
        seed = sum(ord(c) for c in repr(sorted(str(e) for e in ea + eb)))
        return limits.call(_separate, (ea, eb, seed), self.timeout, None)

    # -- one reference ------------------------------------------------------
    def check(self, ref: Reference, path: str) -> list[Diagnostic]:
        keys = ref.targets()
        missing = [k for k in keys if k not in self.targets]
        if missing:
            if ref.bare and not _POINTS_AT.search(ref.before):
                return []  # "(0) is the input layer": a number in parentheses, not said to be an equation
            return self.dangling(ref, missing, path)
        conditions = self._reduced_to(ref)  # "(1) to (6) reduce to $$…=0$$": they must be conditions too
        sets_zero = bool(_ZERO_AFTER.match(ref.after) or _ZERO_BEFORE.search(ref.before) or conditions)
        wants_condition = sets_zero or bool(_HOLD_AFTER.match(ref.after) or _HOLD_BEFORE.search(ref.before))
        rewrites = _FORM_AFTER.match(ref.after) or (_FORM_BEFORE.search(ref.before) and _AS_AFTER.match(ref.after))
        forms = [self.targets[k] for k in self._display_tags(ref)] if rewrites else []
        if forms and len(forms) != len(keys):
            forms = []  # "(1) to (6) become" two displays: which becomes which is not said
        targets = [self.targets[k] for k in keys]
        problems: list[str] = []
        evidence: list[str] = []
        counterexample: tuple[tuple[str, str], ...] = ()
        if wants_condition:
            problems += [r for r in (_condition_reason(t, self.verdicts) for t in targets) if r]
            if problems:
                evidence.append("a definition, or a relation proved to hold for every value, states no condition")
        for t, f in zip(targets, forms):
            verdict, point = self.same_condition(t, f, sets_zero)
            if verdict != "differs":
                continue
            if f.expr is not None:
                problems.append(f"neither side of {_shown(t.tag)} nor their difference is the expression {_name(f)}")
                evidence.append("each side, and their difference, refuted against the expression by the engine")
            else:
                problems.append(f"{_shown(t.tag)} is not the same condition as {_name(f)}")
                evidence.append(f"with the document's definitions substituted, {_shown(t.tag)} holds and {_name(f)} "
                                "fails at the counterexample (exact arithmetic), or the other way round")
            counterexample = counterexample or point
        if conditions:
            # "(1) to (6) reduce to the conditions (4)-(6)": an equation does not reduce to itself
            shown = [t.tag for t in conditions]
            itself = [k for k in keys if k in shown]
            if itself:
                problems.append(f"{_list(itself)} {'is' if len(itself) == 1 else 'are'} the condition"
                                f"{'' if len(itself) == 1 else 's'} the sentence reduces to")
        if not problems:
            return []
        need = "conditions (equations that can fail, or gradients set to zero)" if not forms else \
            "the equations that take the form of the display" + ("s" if len(forms) > 1 else "") + " after it"
        if conditions:
            need = f"equations that, set to zero, reduce to the conditions {_list([t.tag for t in conditions])}"
        fixes: tuple[Fix, ...] = ()
        if self.search_fixes:
            found = self._elsewhere(ref, keys, forms, conditions)
            if found is not None and _run_of_numbers(found):
                fixes = (self._fix(ref, [s.tag for s in found.statements],  # type: ignore[misc]
                                   f"{found.how}; proved"),)
            elif found is not None:
                what = f"the equation that can be rewritten as {_name(forms[0])} is" if forms else \
                    "the equations that reduce to them are"
                problems.append(unnumbered.describe(self, found, what))
                evidence.append("found among all the document's relations, numbered or not, and proved by the engine")
                named = unnumbered.by_name(self, found)
                if named is not None:
                    how = found.how if "proved" in found.how else f"{found.how}; proved"
                    fixes = (Fix(named, f"the equations carry no number, so they are named; {how}", ref.span),)
            elif not conditions:
                fixes = self.fixes(ref, keys, wants_condition, forms, sets_zero)
        return [Diagnostic("SC104", f"bad reference: {_one_line(ref.text)} should point at {need}, but "
                                    + "; ".join(problems), ref.span, path, evidence=tuple(dict.fromkeys(evidence)),
                           counterexample=counterexample, fixes=fixes)]

    def _reduced_to(self, ref: Reference) -> list[Target]:
        """The displayed conditions a sentence "… reduce to the conditions" runs into."""
        if not unnumbered.REDUCE_AFTER.match(ref.after) or not ref.displays:
            return []
        out = [self.targets[k] for k in self._display_tags(ref)]
        return out if out and all(_states_condition(t) and t.tag for t in out) else []

    def _elsewhere(self, ref: Reference, keys: list[str], forms: list[Target],
                   conditions: list[Target]) -> "unnumbered.Found | None":
        """The relations the sentence needs, wherever they are in the document."""
        if conditions:
            return unnumbered.reducing_run(self, ref, keys, conditions)
        if len(forms) == 1 == len(keys) and forms[0].expr is not None:
            return unnumbered.rewritten_as(self, ref, keys, forms[0])
        return None

    def _fix(self, ref: Reference, window: list[str], why: str) -> Fix:
        text = ref.text
        for (a, b), k in sorted(zip(ref.numbers, _endpoints(ref, window)), reverse=True):
            text = text[:a] + k + text[b:]
        return Fix(text, why, ref.span)

    def _display_tags(self, ref: Reference) -> list[str]:
        """The labelled rows of the displays the sentence runs into, in order (untagged: '#k')."""
        out = []
        for fi in ref.displays:
            rows: list[Row] = list(self.doc.fragments[fi].rows)
            for n, row in enumerate(rows):
                key = row.tag or f"#{fi}.{n}"
                if key not in self.targets:
                    self.targets[key] = _target(self.ctx, fi, row, "")
                out.append(key)
        return out

    def dangling(self, ref: Reference, missing: list[str], path: str) -> list[Diagnostic]:
        numeric = sorted((k for k in self.targets if k.isdigit()), key=int)
        have = f"; the document's equations are numbered ({numeric[0]}) to ({numeric[-1]})" if numeric else ""
        shown = ", ".join(_shown(k) for k in missing)
        return [Diagnostic("SC104", f"bad reference: {shown} {'is' if len(missing) == 1 else 'are'} not "
                                    f"the label of any equation{have}", ref.span, path)]

    def fixes(self, ref: Reference, keys: list[str], wants_condition: bool, forms: list[Target],
              sets_zero: bool) -> tuple[Fix, ...]:
        if not all(k.isdigit() for k in keys) or \
                [int(k) for k in keys] != list(range(int(keys[0]), int(keys[0]) + len(keys))):
            return ()  # only a run of consecutive numbers is shifted
        banned = {f.tag for f in forms} | {k for fi in ref.displays for k in
                                            (r.tag for r in self.doc.fragments[fi].rows) if k}
        first = int(keys[0])
        shifts = sorted((n - first for n in range(1, 1000) if str(n) in self.targets), key=lambda d: (abs(d), d))
        tried = 0
        for d in shifts:
            window = [str(int(k) + d) for k in keys]
            if d == 0 or any(k not in self.targets or k in banned for k in window):
                continue
            tried += 1
            if tried > MAX_WINDOWS:
                break
            cand = [self.targets[k] for k in window]
            if wants_condition and not all(_states_condition(t) for t in cand):
                continue
            if all(self.same_condition(t, f, sets_zero)[0] == "proved" for t, f in zip(cand, forms)):
                text = ref.text
                for (a, b), k in sorted(zip(ref.numbers, _endpoints(ref, window)), reverse=True):
                    text = text[:a] + k + text[b:]
                why = "proved to be the same conditions as the displays that follow" if forms else \
                    "each states a condition"
                return (Fix(text, f"{why}; the nearest run of equations that does", ref.span),)
        return ()


def _endpoints(ref: Reference, window: list[str]) -> list[str]:
    """The new number for each key as written: a range keeps its two ends."""
    out, pos = [], 0
    for k, key in enumerate(ref.keys):
        if k and ref.joins[k - 1] == "range" and key.isdigit() and ref.keys[k - 1].isdigit():
            pos += int(key) - int(ref.keys[k - 1]) - 1
        out.append(window[pos])
        pos += 1
    return out


def _run_of_numbers(found: "unnumbered.Found") -> bool:
    tags = [s.tag for s in found.statements]
    return all(t is not None and t.isdigit() for t in tags) and \
        [int(t) for t in tags] == list(range(int(tags[0]), int(tags[0]) + len(tags)))  # type: ignore[arg-type]


def _list(keys: list[str]) -> str:
    """(4), (5) and (6); a run of three or more numbers as (4) to (6)."""
    if len(keys) >= 3 and all(k.isdigit() for k in keys) and \
            [int(k) for k in keys] == list(range(int(keys[0]), int(keys[0]) + len(keys))):
        return f"{_shown(keys[0])} to {_shown(keys[-1])}"
    shown = [_shown(k) for k in keys]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _shown(key: str) -> str:
    """(3) for a number, 'eq:grad' for a label."""
    return f"({key})" if key[:1].isdigit() else f"'{key}'"


def _one_line(s: str) -> str:
    return " ".join(s.split())


def _name(t: Target) -> str:
    return _shown(t.tag) if t.tag else "that follows"


def _entries(v: object) -> list[sp.Expr]:
    return [sp.S(0) + x for x in (list(v) if is_matrix(v) else [v])]  # type: ignore[call-overload]


def _separate(ea: list[sp.Expr], eb: list[sp.Expr], seed: int) -> tuple[tuple[str, str], ...] | None:
    """A point (exact rationals) where every ``ea`` vanishes and some ``eb`` does not, or the
    other way round.  Solved only for variables that enter linearly with constant
    coefficients, so no factor is ever set to zero to make a condition hold."""
    rng = random.Random(seed)
    for holds, fails in ((ea, eb), (eb, ea)):
        syms = sorted(set().union(*(e.free_symbols for e in holds + fails)), key=lambda s: s.name)
        inside = set().union(*(e.free_symbols for e in holds)) if holds else set()
        unknowns = [s for s in syms if s in inside and all(sp.diff(e, s).is_number for e in holds)]
        for _ in range(3):
            point = {s: sp.Rational(rng.choice([-3, -2, -1, 1, 2, 3, 5]), rng.choice([1, 2, 3]))
                     for s in syms if s not in unknowns}
            eqs = [sp.expand(e.xreplace(point)) for e in holds]
            if unknowns:
                sols = sp.linsolve(eqs, unknowns)
                if not sols:
                    continue
                sol = next(iter(sols))
                free = sorted(set().union(*(x.free_symbols for x in sol)), key=lambda s: s.name)
                chosen = {p: sp.Rational(rng.choice([-2, -1, 1, 2, 3]), 1) for p in free}
                point.update({s: x.xreplace(chosen) for s, x in zip(unknowns, sol)})
            if any(sp.expand(e.xreplace(point)) != 0 for e in holds):
                continue
            bad = [e for e in fails if (v := sp.expand(e.xreplace(point))).is_Rational and v != 0]
            if bad:
                used = sorted(set().union(*(e.free_symbols for e in holds + bad[:1])), key=lambda s: s.name)
                return tuple((s.name, str(point[s])) for s in used[:12])
    return None


def check(doc: Document, ctx: Context, verdicts: dict[int, str], path: str, timeout: float,
          fixes: bool = True) -> list[Diagnostic]:
    """SC104 for every reference whose target is missing or, as the engine decides, wrong."""
    refs = references(doc)
    if not refs:
        return []
    chk = Checker(doc, ctx, verdicts, timeout, fixes)
    # numbers are checked only where the document writes them all (no auto-numbered environments)
    numbers_known = any(k[:1].isdigit() for k in chk.targets) and not _numbering_unknown(doc)
    labels = set(re.findall(r"\\label\s*\{\s*([^{}]*?)\s*\}", doc.text)) | set(chk.targets)
    start = time.monotonic()
    out: list[Diagnostic] = []
    for ref in refs:
        if time.monotonic() - start > SAFETY_S:
            break
        numeric = [k for k in ref.keys if k[:1].isdigit()]
        if numeric and not numbers_known:
            continue
        if any(k in labels and k not in chk.targets for k in ref.keys):
            continue  # a label on a section or a figure, or on a row whose \tag wins: nothing to check
        try:
            out += chk.check(ref, path)
        except Exception as e:  # a bug here must not stop the other diagnostics
            out.append(Diagnostic("SC900", f"internal error while checking this reference: {type(e).__name__}",
                                  ref.span, path))
    return out
