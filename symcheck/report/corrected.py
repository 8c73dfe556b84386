"""The corrected document: the input with each refuted relation replaced by its fix
(and each wrong cross-reference by the reference the engine proved, SC104).

Only what symcheck proved is changed: relations refuted (SC100/SC101/SC103/SC110) that
carry a fix, first fix only, and only the right-hand side the fix's span covers.
Everything else stays byte for byte, so a ``diff`` against the original shows
exactly the corrections.  A list of the changes is appended in the document's own
idiom (a Markdown section, LaTeX ``%`` comments, an rst section) and placed where
the checker's reader does not look for math (code blocks, comments, inline
literals), so the corrected document checks clean and the log does not count as
new relations.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Callable

from symcheck.diagnostics import Diagnostic, Fix
from symcheck.document import detect_format
from symcheck.results import FileResult
from symcheck.source import LineIndex, Span

FIXABLE = ("SC100", "SC101", "SC102", "SC103", "SC110", "SC111")
HEADING = "Changes made by symcheck"
ROUNDS = 3  # check the corrected text again and apply what is found then, this many times in all


@dataclass(frozen=True)
class Change:
    """One replacement (``applied``) or one fix that was not applied and why."""

    line: int
    old: str
    new: str
    description: str
    applied: bool = True
    reason: str = ""


def split_relation(latex: str) -> tuple[str, str] | None:
    """(lhs, rhs) around the first `` = `` at brace/environment depth 0, or None.

    ``\\sum_{i = 1}`` or an ``=`` inside ``\\begin{cases}`` must not split; a fix
    written without a top-level `` = `` cannot be applied to a right-hand side.
    """
    depth = 0
    i = 0
    while i < len(latex):
        c = latex[i]
        if c == "\\":
            for word, step in (("\\begin", 1), ("\\end", -1), ("\\left", 1), ("\\right", -1)):
                if latex.startswith(word, i) and not latex[i + len(word):i + len(word) + 1].isalpha():
                    depth += step
            i += 2
            continue
        if c in "{":
            depth += 1
        elif c in "}":
            depth -= 1
        elif depth == 0 and latex.startswith(" = ", i - 1) and i > 0:
            lhs, rhs = latex[:i].strip(), latex[i + 1:].strip()
            return (lhs, rhs) if lhs and rhs else None
        i += 1
    return None


def _narrow(text: str, span: Span, rhs: str) -> Span:
    """The right-hand side inside ``span`` when the span covers the whole relation.

    The engine's fix spans are the right-hand side; a span over ``lhs &= rhs``
    (older results, hand-built ones) is narrowed to its ``rhs`` tail, which is
    what the fix's right-hand side replaces.
    """
    if not rhs.strip() or not 0 <= span.start < span.end <= len(text):
        return span
    body = text[span.start:span.end].rstrip()
    tail = rhs.strip()
    if body != tail and body.endswith(tail):
        return Span(span.start + len(body) - len(tail), span.start + len(body))
    return span


def _plan(result: FileResult) -> list[tuple[Span, str, Change]]:
    """Replacements to make, checked: fix rhs present, span in range, no overlaps."""
    index = LineIndex(result.text)
    text = result.text
    plans: list[tuple[Span, str, Change]] = []
    for d in sorted(result.diagnostics, key=lambda d: (d.span.start, d.code)):
        if d.code == "SC104" and d.fixes:
            # a wrong cross-reference: the prose is replaced by the reference the engine proved
            ref: Fix = d.fixes[0]
            ok = 0 <= ref.span.start < ref.span.end <= len(text) and not any(
                not (ref.span.end <= s.start or s.end <= ref.span.start) for s, _, c in plans if c.applied)
            plans.append((ref.span, ref.latex, Change(index.position(ref.span.start)[0],
                                                      text[ref.span.start:ref.span.end], ref.latex,
                                                      ref.description, ok,
                                                      "" if ok else "overlaps another fix")))
            continue
        if d.code not in FIXABLE or not d.fixes:
            continue
        fix: Fix = d.fixes[0]
        span = _narrow(text, fix.span, d.rhs)
        line = index.position(span.start)[0]
        old = text[span.start:span.end]
        parts = split_relation(fix.latex)
        reason = ""
        if not 0 <= span.start < span.end <= len(text):
            reason = "the fix points outside the document"
        elif parts is None:
            reason = "the fix has no top-level ' = '"
        elif d.rhs and " ".join(old.split()) != " ".join(d.rhs.split()):
            reason = "the fix's span is not the right-hand side as written"
        elif any(not (span.end <= s.start or s.end <= span.start) for s, _, c in plans if c.applied):
            reason = "overlaps another fix"
        elif any(_premise(text, d, fix.span) <= s.start < span.start for s, _, c in plans if c.applied):
            # the fix was proved for the left side as written, which another fix just changed
            reason = "its left side was changed by the fix before it; decided again after that change"
        left = None
        if not reason and parts is not None and d.lhs and _squash(parts[0]) != _squash(d.lhs):
            # the fix changes the left side too: replace it where it is written
            end = _written_end(text, fix.span.start, d.lhs)
            if end is None or end > span.start:
                reason = "the fix changes the left-hand side, which is not where the fix points"
            else:
                left = Span(fix.span.start, end)
                if any(not (left.end <= s.start or s.end <= left.start) for s, _, c in plans if c.applied):
                    reason = "overlaps another fix"
        new = parts[1] if parts else fix.latex
        change = Change(line, old, new, fix.description, not reason, reason)
        if left is not None and not reason:
            lhs_old = text[left.start:left.end]
            change = Change(line, f"{lhs_old} … {old}", f"{parts[0]} … {new}", fix.description)  # type: ignore[index]
            plans.append((left, parts[0], dataclasses.replace(change, description="")))  # type: ignore[index]
        plans.append((span, new, change))
    return plans


def _premise(text: str, d: Diagnostic, span: Span) -> int:
    """Where the relation a fix was proved for starts: the fix replaces the right side,
    but it holds only with the left side as written (the item before ``=`` in a chain)."""
    start = min(d.span.start, span.start)
    i = span.start
    while i > 0 and (text[i - 1].isspace() or text[i - 1] in "=&"):
        i -= 1
    want = _squash(d.lhs)
    k = len(want)
    while k > 0 and i > 0:
        if text[i - 1].isspace():
            i -= 1
            continue
        if text[i - 1] != want[k - 1]:
            return start
        i -= 1
        k -= 1
    return min(start, i) if k == 0 else start


def _squash(s: str) -> str:
    return "".join(s.split())


def _written_end(text: str, start: int, written: str) -> int | None:
    """Where ``written`` (whitespace collapsed) ends when it starts at ``start``."""
    want = _squash(written)
    k = 0
    i = start
    while k < len(want) and i < len(text):
        if text[i].isspace():
            i += 1
            continue
        if text[i] != want[k]:
            return None
        i += 1
        k += 1
    return i if k == len(want) else None


Region = tuple[int, int]


def _apply(result: FileResult, frozen: tuple[Region, ...] = ()) -> tuple[str, list[Change], tuple[Region, ...]]:
    """The text with this round's fixes made, its changes, and the regions written so
    far (``frozen`` moved to the new offsets, plus this round's replacements)."""
    plans = _plan(result)
    text = result.text
    made = sorted(((span, new) for span, new, change in plans if change.applied), key=lambda p: p[0].start)
    for span, new in reversed(made):
        text = text[:span.start] + new + text[span.end:]

    def moved(p: int) -> int:
        return p + sum(len(new) - (span.end - span.start) for span, new in made if span.end <= p)

    regions = [(moved(a), moved(b)) for a, b in frozen]
    regions += [(moved(span.start), moved(span.start) + len(new)) for span, new in made]
    return text, [c for _, _, c in plans if c.description or not c.applied], tuple(sorted(set(regions)))


def correct(result: FileResult, recheck: Callable[[str, tuple[Region, ...]], FileResult] | None = None,
            rounds: int = ROUNDS) -> tuple[str, list[Change]]:
    """The corrected text (without the change log) and the changes, in source order.

    Replacements are applied from the end of the file backwards, so every span
    still refers to the original offsets when it is used.  With ``recheck`` (the
    checker), the corrected text is checked again and the fixes found then are
    applied too, up to ``rounds`` rounds: a fix proved for a left side that another
    fix changed waits for the next round, and a row that only the change above it
    made wrong (``a = b`` after ``b`` was corrected) is mended there.  Text written
    by an earlier round is not edited again: the slip is looked for elsewhere.
    """
    text, changes, frozen = _apply(result)
    done = [c for c in changes if c.applied]
    for _ in range(rounds - 1):
        if recheck is None or not done or text == result.text:
            break
        result = recheck(text, frozen)
        again, changes, frozen = _apply(result, frozen)
        if again == text:
            break
        text = again
        done += [c for c in changes if c.applied]
    return text, done + [c for c in changes if not c.applied]


def _one_line(s: str) -> str:
    return " ".join(s.split())


def _fence(s: str) -> str:
    """A backtick fence longer than any run of backticks in ``s``."""
    longest, run = 0, 0
    for ch in s:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


def _log_markdown(changes: list[Change]) -> str:
    out = ["", "", f"## {HEADING}", ""]
    for c in changes:
        status = c.description if c.applied else f"not applied: {c.reason}"
        body = f"fix: {_one_line(status)}\nold: {_one_line(c.old)}\nnew: {_one_line(c.new)}"
        fence = _fence(body)
        out += [f"- line {c.line}:", "", f"  {fence}text", *("  " + b for b in body.split("\n")),
                f"  {fence}", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _log_latex(changes: list[Change]) -> str:
    out = [f"% {HEADING}:"]
    for c in changes:
        status = c.description if c.applied else f"not applied: {c.reason}"
        out += [f"% line {c.line} ({_one_line(status)})", f"%   old: {_one_line(c.old)}", f"%   new: {_one_line(c.new)}"]
    return "\n".join(out) + "\n"


def _literal(s: str) -> str:
    """An rst inline literal; ``\\`\\``` inside would end it early, so it is split."""
    return "``" + _one_line(s).replace("``", "` `") + "``"


def _log_rst(changes: list[Change]) -> str:
    out = ["", "", HEADING, "=" * len(HEADING), ""]
    for c in changes:
        status = c.description if c.applied else f"not applied: {c.reason}"
        out += [f"- line {c.line} ({_literal(status)}):", "", f"  - old: {_literal(c.old)}",
                f"  - new: {_literal(c.new)}", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _append_latex(text: str, log: str) -> str:
    """Comments go just before ``\\end{document}`` when there is one, else at the end."""
    at = text.rfind("\\end{document}")
    if at < 0:
        return text + ("" if text.endswith("\n") or not text else "\n") + log
    line_start = text.rfind("\n", 0, at) + 1
    return text[:line_start] + log + text[line_start:]


def render(result: FileResult, fmt: str | None = None,
           recheck: Callable[[str, tuple[Region, ...]], FileResult] | None = None) -> str:
    """The corrected document with its change log; unchanged (no log) when nothing applies."""
    fmt = fmt or detect_format(result.path, result.text)
    text, changes = correct(result, recheck)
    if not changes:
        return text
    if fmt == "latex":
        return _append_latex(text, _log_latex(changes))
    body = text.rstrip("\n")
    return body + (_log_rst(changes) if fmt == "rst" else _log_markdown(changes))


def refuted_fixable(d: Diagnostic) -> bool:
    """Whether ``d`` is a relation this module would correct."""
    return d.code in FIXABLE and bool(d.fixes)
