"""Text that remembers where every character came from.

Every stage between the file on disk and the parser rewrites text: OCR repair puts
lost backslashes back, macros expand, environments are cut into rows.  Diagnostics
must still point at the author's file, so each string travels with a parallel
tuple of offsets into the original document (pylatexenc's idea: carry offsets,
compute line and column only when printing).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """Half-open range [start, end) of character offsets in the original document."""

    start: int
    end: int

    def union(self, other: "Span") -> "Span":
        return Span(min(self.start, other.start), max(self.end, other.end))


@dataclass(frozen=True)
class MappedText:
    """A string plus, for each character, its offset in the original document.

    ``offsets`` has ``len(text) + 1`` entries; the last one is the end sentinel,
    so the span of ``text[i:j]`` is ``Span(offsets[i], offsets[j])`` for j > i.
    """

    text: str
    offsets: tuple[int, ...]

    @staticmethod
    def from_original(text: str, start: int = 0) -> "MappedText":
        return MappedText(text, tuple(range(start, start + len(text) + 1)))

    def __len__(self) -> int:
        return len(self.text)

    def span(self, i: int = 0, j: int | None = None) -> Span:
        """Original span of ``text[i:j]``."""
        j = len(self.text) if j is None else j
        if j <= i:
            return Span(self.offsets[i], self.offsets[i])
        last = self.offsets[j - 1] + 1
        return Span(self.offsets[i], max(last, self.offsets[i] + 1))

    def slice(self, i: int, j: int | None = None) -> "MappedText":
        j = len(self.text) if j is None else j
        end = self.offsets[j - 1] + 1 if j > i else self.offsets[i]
        return MappedText(self.text[i:j], self.offsets[i:j] + (end,))

    def replace(self, i: int, j: int, new: str) -> "MappedText":
        """Replace ``text[i:j]`` by ``new``; the new characters map to the old range."""
        if j > i:
            a, b = self.offsets[i], self.offsets[j - 1]
            k = len(new)
            mapped = tuple(a + (b - a) * t // max(k - 1, 1) for t in range(k)) if k else ()
        else:
            mapped = (self.offsets[i],) * len(new)
        return MappedText(
            self.text[:i] + new + self.text[j:],
            self.offsets[:i] + mapped + self.offsets[j:],
        )

    def strip(self) -> "MappedText":
        s = self.text
        i, j = 0, len(s)
        while i < j and s[i].isspace():
            i += 1
        while j > i and s[j - 1].isspace():
            j -= 1
        return self.slice(i, j)

    def __add__(self, other: "MappedText") -> "MappedText":
        return MappedText(self.text + other.text, self.offsets[:-1] + other.offsets)


class LineIndex:
    """Offsets to 1-based (line, column) in the original document."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1
