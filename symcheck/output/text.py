"""Human-readable report: one ``path:line:col: CODE message`` line per diagnostic.

The first line of each entry follows the compiler convention so editors and CI log
viewers turn it into a link; the indented lines under it carry what a reader needs
to act on a verdict without opening the JSON: what was stated, how it was decided,
where it fails and what would fix it.
"""
from __future__ import annotations

from symcheck.diagnostics import Diagnostic
from symcheck.output import ordered_counts, region_of, rule_for, sorted_diagnostics, total_counts
from symcheck.results import FileResult
from symcheck.source import LineIndex


def _one_line(s: str) -> str:
    """Collapse whitespace: a multi-line align row must not break the line format."""
    return " ".join(s.split())


def _plural(n: int, word: str) -> str:
    """Verdicts are participles ("3 proved") except the noun "definition"."""
    return f"{n} {word}s" if word == "definition" and n != 1 else f"{n} {word}"


def summarize(counts: dict[str, int]) -> str:
    """``N relations: P proved, ...`` — the shared tail of per-file and total lines."""
    items = ordered_counts(counts)
    n = sum(v for _, v in items)
    parts = [_plural(v, k) for k, v in items]
    return f"{n} relation{'' if n == 1 else 's'}: " + ", ".join(parts)


def diagnostic_lines(d: Diagnostic, index: LineIndex, path: str) -> list[str]:
    """The head line and the indented detail lines of one diagnostic."""
    reg = region_of(index, d.span)
    out = [f"{path}:{reg.line}:{reg.column}: {d.code} {_one_line(d.message)}"]
    if d.lhs or d.rhs:
        out.append(f"  stated: {_one_line(d.lhs)} {d.op} {_one_line(d.rhs)}")
    for e in d.evidence:
        out.append(f"  evidence: {_one_line(e)}")
    if d.counterexample:
        cx = ", ".join(f"{_one_line(k)} = {_one_line(v)}" for k, v in d.counterexample)
        # a number proved at a worked example's values carries those values, no counterexample
        out.append(f"  {'at' if d.code in ('SC001', 'SC002') else 'counterexample'}: {cx}")
    for fix in d.fixes:
        desc = f"  ({_one_line(fix.description)})" if fix.description else ""
        out.append(f"  fix: {_one_line(fix.latex)}{desc}")
    return out


def render(results: list[FileResult], *, quiet: bool = False, version: str | None = None) -> str:
    """The whole report.

    ``quiet`` keeps only warnings and errors and the final total, for CI logs where
    a thousand "proved" lines would hide the one refutation.  Files that could not
    be read are left out here (the CLI reports them on stderr) but counted in the
    total so a partial run is visible.  ``version`` is accepted for a uniform
    renderer signature; the text report does not print it.
    """
    lines: list[str] = []
    unreadable = 0
    for r in results:
        if r.error:
            unreadable += 1
            continue
        index = LineIndex(r.text)
        for d in sorted_diagnostics(r):
            if quiet and rule_for(d.code).level == "note":
                continue
            lines.extend(diagnostic_lines(d, index, r.path))
        if not quiet:
            lines.append(f"{r.path}: {summarize(r.counts())}")
    read = len(results) - unreadable
    total = f"total: {read} file{'' if read == 1 else 's'}"
    if unreadable:
        total += f" ({unreadable} unreadable)"
    lines.append(f"{total}, {summarize(total_counts(results))}")
    return "\n".join(lines) + "\n"
