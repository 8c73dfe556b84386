"""Typeset one formula from a document: as math when safe, verbatim otherwise.

The relation is shown the way the author meant it, so the document's own macros
(``\\v x``, ``\\pfrac{a}{b}``) are expanded first with the engine's macro reader
(read-only use of ``symcheck.macros``), then the result must pass the whitelist in
``mathsafe``.  Anything that fails is printed verbatim *as written*, which is also
what a reader needs to find it in the source.
"""
from __future__ import annotations

import re

from symcheck import macros
from symcheck.report.mathsafe import try_sanitize
from symcheck.report.texescape import verbatim
from symcheck.source import MappedText

#: Relation operators recognised between the stated sides, to print ``\\approx``
#: rather than ``=`` when that is what the author wrote.
_OPERATORS = {"=": "=", ":=": ":=", r"\approx": r"\approx", r"\le": r"\le", r"\leq": r"\le", r"\ge": r"\ge",
              r"\geq": r"\ge", r"\ne": r"\ne", r"\neq": r"\ne", "<": "<", ">": ">", r"\equiv": r"\equiv"}


class Typesetter:
    """Formula rendering bound to one document's macro definitions."""

    def __init__(self, document_text: str) -> None:
        found, _bad = macros.find_definitions(document_text)
        self._macros = found

    def expand(self, src: str) -> str:
        """``src`` with document macros and conventional shorthands expanded."""
        try:
            out, _notes = macros.expand(MappedText.from_original(src), self._macros)
        except Exception:  # noqa: BLE001 - a reader bug must not cost the report; show it as written
            return src
        return out.text

    def formula(self, src: str) -> tuple[str, bool]:
        """(LaTeX for math mode, True) when safe, else (verbatim text, False)."""
        safe = try_sanitize(self.expand(src))
        if safe is None:
            return verbatim(src), False
        return safe, True

    def display(self, src: str) -> str:
        """A formula on its own line, shrunk to the line width if it is wider."""
        body, ok = self.formula(src)
        return r"\fitmath{" + body + "}" if ok else r"\verbatimformula{" + body + "}"

    def inline(self, src: str) -> str:
        """A short formula in running text (counterexample values)."""
        body, ok = self.formula(src)
        return "$" + body + "$" if ok else body


def relation_operator(original: str, lhs: str, rhs: str) -> str:
    """The operator between ``lhs`` and ``rhs`` in the original text, or ``=``.

    Diagnostics carry the two sides but not the operator; the span's text does.
    Only a known operator is taken, so a span that does not look like
    ``lhs op rhs`` (a continuation row, a chain) falls back to ``=``.
    """
    a, b = original.strip(), rhs.strip()
    lhs = lhs.strip()
    if not lhs or not b or not a.startswith(lhs) or not a.endswith(b) or len(lhs) + len(b) > len(a):
        return "="
    middle = re.sub(r"[&\s]", "", a[len(lhs):len(a) - len(b)])
    return _OPERATORS.get(middle, "=")
