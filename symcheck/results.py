"""What checking one file produces: the relations with their verdicts, plus notes.

``FileResult.diagnostics`` is the single list every output renders.  Each relation
the document states contributes exactly one *verdict* diagnostic (codes SC001,
SC002, SC1xx, SC2xx); reader notes (SC3xx) ride along.  Sorting is by position then
code, so the same input always renders the same bytes.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from symcheck.diagnostics import Diagnostic

VERDICT_CODES = {"SC000": "definition", "SC001": "proved", "SC002": "verified", "SC107": "verified"}
REFUTED_PREFIX = "SC1"
UNDECIDED_PREFIX = "SC2"
# findings that are not verdicts on a relation but still fail a run: an internal error,
# a wrong cross-reference (a reference is not a relation, so it is not counted as one)
FAILING_FINDINGS = ("SC900", "SC104")


def verdict_of(code: str) -> str | None:
    """"definition", "proved", "verified", "refuted", "undecided", or None for a note."""
    if code in VERDICT_CODES:
        return VERDICT_CODES[code]
    if code.startswith(REFUTED_PREFIX) and code not in ("SC104", "SC105"):
        return "refuted"
    if code.startswith(UNDECIDED_PREFIX):
        return "undecided"
    return None


@dataclass(frozen=True)
class FileResult:
    path: str
    text: str  # original contents, for line/column and excerpts
    diagnostics: tuple[Diagnostic, ...] = field(default_factory=tuple)
    error: str = ""  # I/O or decoding problem: the file could not be read at all

    def counts(self) -> dict[str, int]:
        out = {"definition": 0, "proved": 0, "verified": 0, "refuted": 0, "undecided": 0}
        for d in self.diagnostics:
            v = verdict_of(d.code)
            if v:
                out[v] += 1
        return out
