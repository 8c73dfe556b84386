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
            steps = builder().result()
        except Exception as exc:  # a bug in our proof code must not hide the document's verdicts
            out.append(Diagnostic("SC900", f"internal error: proof {value.strip()!r} failed: {exc!r}", span, path))
            continue
        for step in steps:
            out.append(Diagnostic(step.code, f"proof step {step.name}: {step.message}", span, path,
                                  lhs=step.statement, evidence=step.evidence, label=step.name))
    return out
