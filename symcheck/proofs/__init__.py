"""Registered structured proofs, and the front-matter hook that runs them for a document.

A document opts in with ``proof: <name>`` in its front matter.  The name is only
ever looked up in ``REGISTRY``, a fixed dict of our own builders: nothing the
document names is imported or executed.  Builders import lazily so that
``symcheck.proof`` (which uses ``symcheck.proofs.algebra``) loads without cycles.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable

from symcheck.diagnostics import Diagnostic
from symcheck.source import Span

if TYPE_CHECKING:
    from symcheck.fragments import Document
    from symcheck.proof import Proof


def _two_layer_collapse() -> "Proof":
    from symcheck.proofs.two_layer_collapse import build

    return build()


REGISTRY: dict[str, Callable[[], "Proof"]] = {
    "two-layer-collapse": _two_layer_collapse,
}

_FENCE = re.compile(r"---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)", re.S)


def _value_span(text: str, key: str) -> Span:
    """Where ``key: value`` sits in the document's leading front-matter block."""
    m = _FENCE.match(text)
    if m:
        kv = re.search(rf"^[ \t]*{re.escape(key)}[ \t]*:[ \t]*(\S.*?)[ \t]*$", m.group(1), re.M)
        if kv:
            return Span(m.start(1) + kv.start(1), m.start(1) + kv.end(1))
    return Span(0, 0)


def proof_diagnostics(doc: "Document", path: str) -> list[Diagnostic]:
    """One diagnostic per step of each proof the front matter names, at the name's position."""
    out: list[Diagnostic] = []
    for key, value in doc.front_matter:
        if key != "proof":
            continue
        span = _value_span(doc.text, key)
        builder = REGISTRY.get(value.strip())
        if builder is None:
            known = ", ".join(sorted(REGISTRY))
            out.append(Diagnostic("SC202", f"undecided: no registered proof named {value.strip()!r} "
                                           f"(known: {known})", span, path))
            continue
        try:
            entries = list(builder().entries.values())
        except Exception as exc:  # a bug in our proof code must not hide the document's verdicts
            out.append(Diagnostic("SC900", f"internal error: proof {value.strip()!r} failed: {exc!r}", span, path))
            continue
        for k, e in enumerate(entries, 1):
            step = e.result
            cites = (f"cites: {', '.join(e.uses)}",) if e.uses else ()
            out.append(Diagnostic(step.code, f"proof step {step.name}: {step.message}", span, path,
                                  lhs=step.statement, evidence=cites + step.evidence,
                                  label=step_label(k, step.kind, step.name)))
    return out


def step_label(number: int, kind: str, name: str) -> str:
    """``step 07 derive grad-u``: the label of a proof step's diagnostic, which keeps the
    proof's order (diagnostics are sorted by position, and every step shares one)."""
    return f"step {number:02d} {kind} {name}"


def parse_step_label(label: str) -> tuple[int, str, str] | None:
    """(number, kind, name) from ``step_label``'s output, or None for any other label."""
    m = re.fullmatch(r"step (\d+) (\w+) (\S+)", label)
    return (int(m.group(1)), m.group(2), m.group(3)) if m else None
