"""Data passed from the document reader to the LaTeX reader.

document.py turns a file into a ``Document`` of ``Fragment``s; segment.py cuts each
fragment into ``Row``s, one per relation row an author wrote.  Both only produce
these records; nothing downstream looks at the file again.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from symcheck.source import MappedText, Span


@dataclass(frozen=True)
class Note:
    """Something the reader did or noticed, with the place it concerns.
    ``code`` is a diagnostics code (SC300 OCR repair, SC301 assumed macro, SC303 garbled...)."""

    code: str
    message: str
    span: Span


@dataclass(frozen=True)
class Row:
    """One row of math: an equation, one line of an align, one column pair of a
    multi-column align, one of several relations separated by \\quad or \\text{with}.

    ``text``: LaTeX with alignment marks, tags, \\label, \\nonumber removed and macros
    expanded, offsets still pointing into the original file.
    ``continues``: the row starts with a relation operator (``&= …``, or a separate
    ``$$= …$$`` block): its first item is the previous row's last item.
    """

    text: MappedText
    fragment: int  # index into Document.fragments
    tag: str | None = None  # "3" for \\tag{3} or a trailing (3); "eq:dc" for \\label
    continues: bool = False
    env: str = ""  # "align", "split", "equation", "gather", "inline", "display", "rst-math", ...


@dataclass(frozen=True)
class Fragment:
    """A piece of math as it appears in the document.
    ``text``: after OCR repair, before macro expansion.  ``display``: $$…$$, \\[…\\],
    environments and ``.. math::`` blocks; False for $…$, \\(…\\), :math:`…`.
    ``prose_before``: the prose between the previous fragment and this one (used
    for shape declarations "W is an m×n matrix", assumptions, "grad:" hints)."""

    text: MappedText
    display: bool
    kind: str  # "dollar", "ddollar", "bracket", "paren", "env:align", "rst-math", "rst-role"
    prose_before: MappedText
    rows: tuple[Row, ...] = ()


@dataclass(frozen=True)
class Document:
    path: str
    text: str  # the original file contents, untouched
    format: str  # "markdown", "latex", "rst"
    fragments: tuple[Fragment, ...]
    notes: tuple[Note, ...] = field(default_factory=tuple)
    macros: tuple[tuple[str, int, str], ...] = ()  # (name, n_args, body) from \\newcommand
    front_matter: tuple[tuple[str, str], ...] = ()  # key/value pairs of an optional front-matter block
    prose_after: MappedText | None = None  # prose after the last fragment
