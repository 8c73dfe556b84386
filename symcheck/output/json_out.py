"""Machine-readable report: every field of every diagnostic, positions resolved.

Consumers should not need symcheck's offset model, so spans are given both as
1-based line/column (end column exclusive, like SARIF) and as raw character
offsets.  Keys are sorted and the shape is fixed — every key is present even when
empty — so a diff between two runs shows only what changed in the verdicts.
"""
from __future__ import annotations

import json
from typing import Any

from symcheck.diagnostics import Diagnostic, Fix
from symcheck.output import region_of, rule_for, sorted_diagnostics, tool_version, total_counts
from symcheck.results import FileResult, verdict_of
from symcheck.source import LineIndex, Span

#: Bumped when a key is removed or changes meaning; adding keys does not bump it.
FORMAT_VERSION = 1


def _position(index: LineIndex, span: Span) -> dict[str, int]:
    reg = region_of(index, span)
    return {
        "line": reg.line,
        "column": reg.column,
        "end_line": reg.end_line,
        "end_column": reg.end_column,
        "start": span.start,
        "end": span.end,
    }


def _fix(index: LineIndex, fix: Fix) -> dict[str, Any]:
    return {"latex": fix.latex, "description": fix.description, **_position(index, fix.span)}


def diagnostic_dict(index: LineIndex, d: Diagnostic) -> dict[str, Any]:
    """One diagnostic as plain JSON data."""
    rule = rule_for(d.code)
    return {
        "code": d.code,
        "name": rule.name,
        "level": rule.level,
        "verdict": verdict_of(d.code),
        "message": d.message,
        **_position(index, d.span),
        "lhs": d.lhs,
        "rhs": d.rhs,
        "evidence": list(d.evidence),
        "counterexample": {k: v for k, v in d.counterexample},
        "fixes": [_fix(index, f) for f in d.fixes],
        "label": d.label,
        **({"op": d.op} if d.op != "=" else {}),
    }


def file_dict(r: FileResult) -> dict[str, Any]:
    """One file: its path as given, counts, and diagnostics (empty when unreadable)."""
    index = LineIndex(r.text)
    return {
        "path": r.path,
        "error": r.error,
        "counts": dict(r.counts()),
        "diagnostics": [] if r.error else [diagnostic_dict(index, d) for d in sorted_diagnostics(r)],
    }


def document(results: list[FileResult], *, version: str | None = None) -> dict[str, Any]:
    """The report as a dict, for callers that want data rather than text."""
    return {
        "version": version if version is not None else tool_version(),
        "format_version": FORMAT_VERSION,
        "files": [file_dict(r) for r in results],
        "totals": total_counts(results),
    }


def render(results: list[FileResult], *, quiet: bool = False, version: str | None = None) -> str:
    """JSON text; ``quiet`` does not thin machine output (it only affects text)."""
    return json.dumps(document(results, version=version), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
