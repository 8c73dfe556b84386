"""SARIF 2.1.0 log, so code-scanning dashboards and editors can show verdicts in place.

Choices fixed by the standard (OASIS SARIF 2.1.0, errata 01):

* ``result.level`` must be ``"none"`` whenever ``kind`` is not ``"fail"`` (§3.27.10),
  so proved/verified/definition verdicts are ``kind: "pass"`` and reader notes are
  ``kind: "informational"``, both with level ``"none"``; refutations, undecided
  relations and warnings are ``kind: "fail"`` with their rule's level.
* ``region.endColumn`` is the column *after* the last character (§3.30.8), and
  columns count Unicode code points, which we declare with ``run.columnKind``
  because Python offsets are code points, not UTF-16 units.
* Paths stay relative, resolved against the ``SRCROOT`` base id; absolute paths the
  user gave become ``file:`` URIs.

Everything is built from plain dicts in a fixed order and dumped with sorted keys.
"""
from __future__ import annotations

import json
import posixpath
from pathlib import PurePath, PurePosixPath
from typing import Any
from urllib.parse import quote

from symcheck.diagnostics import RULES, Diagnostic, Fix
from symcheck.output import (
    INFORMATION_URI,
    is_pass,
    region_of,
    rule_for,
    rule_index,
    sorted_diagnostics,
    tool_version,
)
from symcheck.results import FileResult, verdict_of
from symcheck.source import LineIndex, Span

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "SRCROOT"


def artifact_location(path: str) -> dict[str, str]:
    """A relative path as a URI reference against SRCROOT; an absolute one as file: URI."""
    p = PurePath(path)
    if p.is_absolute():
        return {"uri": p.as_uri()}
    posix = posixpath.normpath(PurePosixPath(*p.parts).as_posix()) if p.parts else "."
    return {"uri": quote(posix, safe="/"), "uriBaseId": SRCROOT}


def region(index: LineIndex, text: str, span: Span) -> dict[str, Any]:
    reg = region_of(index, span)
    out: dict[str, Any] = {
        "startLine": reg.line,
        "startColumn": reg.column,
        "endLine": reg.end_line,
        "endColumn": reg.end_column,
        "charOffset": span.start,
        "charLength": max(span.end - span.start, 0),
    }
    snippet = text[span.start:span.end]
    if snippet:
        out["snippet"] = {"text": snippet}
    return out


def kind_and_level(code: str) -> tuple[str, str]:
    """SARIF (kind, level) for a diagnostic code; see the module docstring."""
    if is_pass(code):
        return "pass", "none"
    level = rule_for(code).level
    if level == "note" and verdict_of(code) is None:
        return "informational", "none"
    return "fail", level


def reporting_descriptors() -> list[dict[str, Any]]:
    """Every registered rule, in code order, so ``ruleIndex`` is stable across runs."""
    out = []
    for code in sorted(RULES):
        rule = RULES[code]
        out.append({
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.doc},
            "fullDescription": {"text": f"{rule.code} {rule.name}: {rule.doc}"},
            "defaultConfiguration": {"level": rule.level},
            "properties": {"verdict": verdict_of(rule.code) or "note"},
        })
    return out


def _fix(r: FileResult, index: LineIndex, fix: Fix) -> dict[str, Any]:
    deleted = region(index, r.text, fix.span)
    deleted.pop("snippet", None)
    return {
        "description": {"text": fix.description or "replace the relation"},
        "artifactChanges": [{
            "artifactLocation": artifact_location(r.path),
            "replacements": [{"deletedRegion": deleted, "insertedContent": {"text": fix.latex}}],
        }],
    }


def result(r: FileResult, index: LineIndex, d: Diagnostic) -> dict[str, Any]:
    kind, level = kind_and_level(d.code)
    out: dict[str, Any] = {
        "ruleId": d.code,
        "kind": kind,
        "level": level,
        "message": {"text": d.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": artifact_location(r.path),
            "region": region(index, r.text, d.span),
        }}],
    }
    idx = rule_index(d.code)
    if idx is not None:
        out["ruleIndex"] = idx
    if d.fixes:
        out["fixes"] = [_fix(r, index, f) for f in d.fixes]
    props: dict[str, Any] = {"verdict": verdict_of(d.code) or "note"}
    if d.lhs or d.rhs:
        props["lhs"], props["rhs"] = d.lhs, d.rhs
    if d.evidence:
        props["evidence"] = list(d.evidence)
    if d.counterexample:
        props["values" if d.code in ("SC001", "SC002") else "counterexample"] = {k: v for k, v in d.counterexample}
    if d.label:
        props["label"] = d.label
    out["properties"] = props
    return out


def log(results: list[FileResult], *, version: str | None = None) -> dict[str, Any]:
    """The SARIF log as a dict. Unreadable files become tool execution notifications."""
    notes = [
        {"level": "error", "message": {"text": r.error},
         "locations": [{"physicalLocation": {"artifactLocation": artifact_location(r.path)}}]}
        for r in results if r.error
    ]
    res = []
    for r in results:
        if r.error:
            continue
        index = LineIndex(r.text)
        res.extend(result(r, index, d) for d in sorted_diagnostics(r))
    invocation: dict[str, Any] = {"executionSuccessful": not notes}
    if notes:
        invocation["toolExecutionNotifications"] = notes
    ver = version if version is not None else tool_version()
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "symcheck",
                "version": ver,
                "informationUri": INFORMATION_URI,
                "rules": reporting_descriptors(),
            }},
            "columnKind": "unicodeCodePoints",
            "invocations": [invocation],
            "results": res,
        }],
    }


def render(results: list[FileResult], *, quiet: bool = False, version: str | None = None) -> str:
    """SARIF JSON text; ``quiet`` does not thin machine output."""
    return json.dumps(log(results, version=version), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
