"""Results on disk: ``FileResult`` to JSON and back, exactly.

The committed reports are checked for staleness without running the engine (it
takes minutes on the derivations): the results are cached next to the reports and
the renderer, a pure function, is run again on them.  ``symcheck.output.json_out``
is a presentation format (it resolves lines, merges counterexample pairs into a
dict, drops each diagnostic's path), so it cannot rebuild a ``FileResult``; this
format keeps every field as it is.  The original text is not stored (it is the
document itself); its SHA-256 is, so a changed document is detected.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

from symcheck.diagnostics import Diagnostic, Fix
from symcheck.results import FileResult
from symcheck.source import Span

FORMAT = "symcheck-results/1"


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _span(s: Span) -> list[int]:
    return [s.start, s.end]


def _diag(d: Diagnostic) -> dict[str, Any]:
    return {
        "code": d.code, "message": d.message, "span": _span(d.span), "path": d.path,
        "lhs": d.lhs, "rhs": d.rhs, "evidence": list(d.evidence),
        "counterexample": [list(p) for p in d.counterexample],
        "fixes": [{"latex": f.latex, "description": f.description, "span": _span(f.span)} for f in d.fixes],
        "label": d.label,
        **({"op": d.op} if d.op != "=" else {}),
    }


def dumps(result: FileResult) -> str:
    """Stable JSON (sorted keys, diagnostics in stored order, trailing newline)."""
    data = {"format": FORMAT, "path": result.path, "error": result.error,
            "text_sha256": text_digest(result.text), "diagnostics": [_diag(d) for d in result.diagnostics]}
    return json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def loads(data: str, text: str) -> FileResult:
    """Rebuild the ``FileResult`` for ``text``; ValueError if ``text`` is not the checked one."""
    obj = json.loads(data)
    if obj.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} file")
    if obj["text_sha256"] != text_digest(text):
        raise ValueError(f"{obj['path']}: the document changed since these results were stored")
    diags = tuple(
        Diagnostic(
            code=d["code"], message=d["message"], span=Span(*d["span"]), path=d["path"],
            lhs=d["lhs"], rhs=d["rhs"], evidence=tuple(d["evidence"]),
            counterexample=tuple((k, v) for k, v in d["counterexample"]),
            fixes=tuple(Fix(f["latex"], f["description"], Span(*f["span"])) for f in d["fixes"]),
            label=d["label"], op=d.get("op", "="),
        )
        for d in obj["diagnostics"]
    )
    return FileResult(obj["path"], text, diags, obj["error"])
