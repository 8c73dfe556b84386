"""Renderers from ``FileResult`` lists to text, JSON and SARIF.

Each format is a pure function ``render(results) -> str``: no printing, no clock,
no environment, so the same results always give the same bytes and golden files
can pin them.  This module holds what the three formats share — where a span is
in line/column terms, the canonical diagnostic order, the rule lookup — so they
cannot drift apart on those facts.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from symcheck.diagnostics import RULES, Diagnostic, Rule
from symcheck.results import FileResult, verdict_of
from symcheck.source import LineIndex, Span

#: SARIF ``tool.driver.informationUri``. PLACEHOLDER: the project has no public home
#: yet; replace it (and regenerate the golden SARIF) once it does.
INFORMATION_URI = "https://github.com/symcheck/symcheck"

#: Order in which verdict counts are reported; unknown future verdicts follow, sorted.
VERDICT_ORDER = ("definition", "proved", "verified", "refuted", "undecided")


def tool_version() -> str:
    """The installed distribution's version, so output names the code that made it.

    Read from package metadata rather than a constant in the package, so it cannot
    disagree with what pip installed; a source tree that was never installed says so.
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("symcheck")
    except PackageNotFoundError:
        return "0+unknown"


def rule_for(code: str) -> Rule:
    """The registry rule, or a stand-in so an unknown code is still rendered, not lost."""
    rule = RULES.get(code)
    if rule is None:
        return Rule(code, "unknown", "warning", "Code not in this version's registry.")
    return rule


def rule_index(code: str) -> int | None:
    """Position of ``code`` in ``sorted(RULES)``: SARIF's ``ruleIndex``."""
    codes = sorted(RULES)
    return codes.index(code) if code in RULES else None


@dataclass(frozen=True)
class Region:
    """1-based line/column bounds; ``end_column`` is exclusive, as SARIF wants."""

    line: int
    column: int
    end_line: int
    end_column: int


def region_of(index: LineIndex, span: Span) -> Region:
    """Line/column of a half-open span.

    The end is placed just after the span's last character rather than at the
    position of ``span.end``: a span that ends with a newline then stays on its
    own line instead of pointing at column 1 of the next one.
    """
    line, col = index.position(span.start)
    if span.end <= span.start:
        return Region(line, col, line, col)
    end_line, end_col = index.position(span.end - 1)
    return Region(line, col, end_line, end_col + 1)


def sorted_diagnostics(result: FileResult) -> list[Diagnostic]:
    """Diagnostics by position then code; the pipeline already does this, we re-check
    because byte-identical output must not depend on another module's promise."""
    return sorted(
        result.diagnostics,
        key=lambda d: (d.span.start, d.code, d.span.end, d.message, d.lhs, d.rhs),
    )


def ordered_counts(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Counts in the fixed reporting order, including verdict kinds added later."""
    known = [(k, counts.get(k, 0)) for k in VERDICT_ORDER]
    extra = sorted((k, v) for k, v in counts.items() if k not in VERDICT_ORDER)
    return known + extra


def total_counts(results: list[FileResult]) -> dict[str, int]:
    """Verdict counts summed over files."""
    total: dict[str, int] = {k: 0 for k in VERDICT_ORDER}
    for r in results:
        for k, v in r.counts().items():
            total[k] = total.get(k, 0) + v
    return total


def is_pass(code: str) -> bool:
    """Verdicts that say the relation holds (or, for definitions, is well formed)."""
    return verdict_of(code) in ("definition", "proved", "verified")


def _formats() -> dict[str, Callable[..., str]]:
    from symcheck.output import json_out, sarif, text

    return {"text": text.render, "json": json_out.render, "sarif": sarif.render}


def renderer(fmt: str) -> Callable[..., str]:
    """The ``render`` function for a format name (``text``, ``json``, ``sarif``)."""
    return _formats()[fmt]


FORMAT_NAMES = ("text", "json", "sarif")
