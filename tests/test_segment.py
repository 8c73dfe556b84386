"""Rows: one relation each, with tags, continuation and offsets into the source."""
from __future__ import annotations

import pytest

from symcheck import segment
from symcheck.fragments import Fragment, Row
from symcheck.source import MappedText

PREFIX = "Some prose $$"  # rows must map back through a non-zero start


def _rows(text: str, kind: str = "ddollar", display: bool = True, macros=()) -> tuple[list[Row], list, str]:
    src = PREFIX + text + "$$"
    frag = Fragment(MappedText.from_original(text, len(PREFIX)), display, kind, MappedText.from_original(""))
    rows, notes = segment.split_rows(frag, 7, macros)
    assert all(r.fragment == 7 for r in rows)
    return rows, notes, src


def _summary(rows: list[Row]) -> list[tuple[str, str | None, bool, str]]:
    return [(r.text.text, r.tag, r.continues, r.env) for r in rows]


@pytest.mark.parametrize(
    "kind, text, expected",
    [
        # align-like environments split at top-level \\ ; & removed; empty rows dropped
        ("env:align", r"\begin{align} a &= b \\ &= c \\ \end{align}",
         [("a = b", None, False, "align"), ("= c", None, True, "align")]),
        ("env:align*", r"\begin{align*} a &= b \\[2pt] c &= d \end{align*}",
         [("a = b", None, False, "align"), ("c = d", None, False, "align")]),
        ("ddollar", r"\begin{aligned} x &= 1 \\ y &= 2 \end{aligned}",
         [("x = 1", None, False, "aligned"), ("y = 2", None, False, "aligned")]),
        ("env:equation", r"\begin{equation} \begin{split} a &= b \\ &= c \end{split} \end{equation}",
         [("a = b", None, False, "split"), ("= c", None, True, "split")]),
        ("env:gather", r"\begin{gather} a = b \\ c = d \end{gather}",
         [("a = b", None, False, "gather"), ("c = d", None, False, "gather")]),
        ("env:alignat", r"\begin{alignat}{2} a &= b \\ c &= d \end{alignat}",
         [("a = b", None, False, "alignat"), ("c = d", None, False, "alignat")]),
        ("env:eqnarray", r"\begin{eqnarray} a &=& b \\ c &=& d \end{eqnarray}",
         [("a = b", None, False, "eqnarray"), ("c = d", None, False, "eqnarray")]),
        # matrices, cases and braces keep their \\ and &
        ("ddollar", r"A = \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}",
         [(r"A = \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}", None, False, "display")]),
        ("ddollar", r"f = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}",
         [(r"f = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}", None, False, "display")]),
        ("ddollar", r"\begin{aligned} M &= \begin{pmatrix} a \\ b \end{pmatrix} \\ N &= 0 \end{aligned}",
         [(r"M = \begin{pmatrix} a \\ b \end{pmatrix}", None, False, "aligned"), ("N = 0", None, False, "aligned")]),
        # multi-column align: split at every second &
        ("ddollar", r"\begin{aligned} a &= b & c &= d \\ e &= f & g &= h \end{aligned}",
         [("a = b", None, False, "aligned"), ("c = d", None, False, "aligned"),
          ("e = f", None, False, "aligned"), ("g = h", None, False, "aligned")]),
        ("env:align", r"\begin{align} a &= b & c &= d & e &= f \end{align}",
         [("a = b", None, False, "align"), ("c = d", None, False, "align"), ("e = f", None, False, "align")]),
        # rst-math behaves like an align; blank lines separate equations
        ("rst-math", "a &= b\\\\ &= c", [("a = b", None, False, "rst-math"), ("= c", None, True, "rst-math")]),
        ("rst-math", "a = b\n\n   c = d", [("a = b", None, False, "rst-math"), ("c = d", None, False, "rst-math")]),
        ("paren", r"x = 1", [("x = 1", None, False, "inline")]),
        ("bracket", r"x = 1", [("x = 1", None, False, "display")]),
    ],
)
def test_environments(kind: str, text: str, expected: list) -> None:
    rows, notes, _ = _rows(text, kind)
    assert _summary(rows) == expected
    assert notes == []


@pytest.mark.parametrize(
    "text, expected",
    [
        (r"a = b \tag{3}", [("a = b", "3")]),
        (r"a = b \tag*{A.1}", [("a = b", "A.1")]),
        (r"a = b \label{eq:x}", [("a = b", "eq:x")]),
        (r"a = b \label{eq:x} \tag{4}", [("a = b", "4")]),
        (r"\begin{align} a &= b \nonumber \\ c &= d \notag \\ e &= f \label{e} \end{align}",
         [("a = b", None), ("c = d", None), ("e = f", "e")]),
        (r"\sum_i x_i d_i = 0 (5)", [(r"\sum_i x_i d_i = 0", "5")]),
        (r"z = v_0 + v_1 \quad (1)", [("z = v_0 + v_1", "1")]),
        (r"z = v_0 \qquad (12b)", [("z = v_0", "12b")]),
        (r"y = f(3)", [("y = f(3)", None)]),  # no space: an argument, not a tag
        (r"(3)", [("(3)", None)]),  # no relation before it
        (r"d_i = (z - w) (8).", [("d_i = (z - w)", "8")]),
    ],
)
def test_tags(text: str, expected: list) -> None:
    rows, _, _ = _rows(text)
    assert [(r.text.text, r.tag) for r in rows] == expected


def test_trailing_number_is_not_a_tag_inline() -> None:
    rows, _, _ = _rows(r"a = b (3)", kind="dollar", display=False)
    assert _summary(rows) == [("a = b (3)", None, False, "inline")]


@pytest.mark.parametrize(
    "text, expected",
    [
        (r"X_0 = M \quad X = [1 X_0] = N \quad u = P", ["X_0 = M", "X = [1 X_0] = N", "u = P"]),
        (r"f = a \qquad \frac{df}{dx} = b", ["f = a", r"\frac{df}{dx} = b"]),
        (r"a = 1,\quad b = 2", ["a = 1", "b = 2"]),
        (r"a = 1 \text{with } b = 2", ["a = 1", "b = 2"]),
        (r"a = b c \text{where} c = 2", ["a = b c", "c = 2"]),
        (r"a = 1 \text{ and } b = 2", ["a = 1", "b = 2"]),
        (r"a = b \quad \forall x", [r"a = b \quad \forall x"]),  # right side has no relation
        (r"\{ x \quad y = 1 \}", [r"\{ x \quad y = 1 \}"]),
        (r"f = \frac{a \quad b = c}{d}", [r"f = \frac{a \quad b = c}{d}"]),  # not at top level
        (r"\text{we can write } \delta = D c = E", [r"\delta = D c = E"]),
        (r"\text{loss} = x", [r"\text{loss} = x"]),  # a name, not prose
        (r"A = B \qquad \text{with } d = C", ["A = B", "d = C"]),
        # an implication chain states each relation on its own
        (r"g'(w) = 0 \implies w - 3 = 0 \implies w = 3", ["g'(w) = 0", "w - 3 = 0", "w = 3"]),
        (r"a = b \iff c = d", ["a = b", "c = d"]),
        (r"a = b \Rightarrow x > 0", ["a = b", "x > 0"]),
        (r"x \Rightarrow a = b", [r"x \Rightarrow a = b"]),  # left side has no relation
    ],
)
def test_relation_splitting(text: str, expected: list[str]) -> None:
    rows, _, _ = _rows(text)
    assert [r.text.text for r in rows] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a = b.", "a = b"),
        ("a = b ,", "a = b"),
        (r"a = b\;.", "a = b"),
        (r"a = b \quad", "a = b"),
        (r"a = b \, ;", "a = b"),
        (r"f = \left\{ x \right.", r"f = \left\{ x \right."),
        (r"T_0, T_1, \ldots", r"T_0, T_1, \ldots"),
        ("T_0, T_1, ...", "T_0, T_1, ..."),
        ("y = A.W", "y = A.W"),
    ],
)
def test_trailing_punctuation(text: str, expected: str) -> None:
    rows, _, _ = _rows(text)
    assert [r.text.text for r in rows] == [expected]


@pytest.mark.parametrize(
    "text, first, continues",
    [
        ("= c + d", "= c + d", True),
        (r"\approx 3", r"\approx 3", True),
        (r"\le x", r"\le x", True),
        (r"\left( a \right) = b", r"\left( a \right) = b", False),
        (r"&= c", "= c", True),
    ],
)
def test_continuation(text: str, first: str, continues: bool) -> None:
    rows, _, _ = _rows(text)
    assert (rows[0].text.text, rows[0].continues) == (first, continues)


def test_unmatched_end_is_dropped_with_a_note() -> None:
    text = r"\begin{split} A &= B \\ C &= D \end{split} \qquad \text{with } d = x \end{split}"
    rows, notes, src = _rows(text)
    assert [r.text.text for r in rows] == ["A = B", "C = D", "d = x"]
    assert [(n.code, n.message) for n in notes] == [("SC303", r"unmatched \end{split} ignored")]
    assert src[notes[0].span.start:notes[0].span.end] == r"\end{split}"


def test_unbalanced_braces_left_for_the_parser() -> None:
    rows, notes, _ = _rows(r"a = \frac{1}{2")
    assert [r.text.text for r in rows] == [r"a = \frac{1}{2"]
    assert notes == []


def test_macro_only_fragment_has_no_rows() -> None:
    rows, notes, _ = _rows(r"\newcommand{\in}{\text{in}}", kind="dollar", display=False)
    assert rows == [] and notes == []


def test_macros_expanded_in_rows() -> None:
    rows, notes, _ = _rows(r"\pfrac{\ell}{W} = \pfrac{\ell}{\v u} \v x\T", kind="rst-math",
                           macros=(("\\in", 0, r"\text{in}"),))
    assert [r.text.text for r in rows] == [
        r"\frac{\partial \ell}{\partial W} = \frac{\partial \ell}{\partial \mathbf{u}} \mathbf{x}^{T}"]
    assert sorted(n.message.split()[0] for n in notes) == [r"\T", r"\pfrac", r"\v"]


@pytest.mark.parametrize(
    "text, expected",
    [
        # decoration from amsmath / amssymb / xcolor / beamer is read as its content, no note
        (r"\therefore\ \boxed{f'(1) = 24}", "f'(1) = 24"),
        (r"\boxed{A^{-1} = B}", "A^{-1} = B"),
        (r"a = \textcolor{red}{p + y}", "a = p + y"),
        (r"a = {\color{blue} b}", "a = {  b}"),
        (r"\because a = b", "a = b"),
    ],
)
def test_decoration_is_transparent(text: str, expected: str) -> None:
    rows, notes, _ = _rows(text)
    assert [r.text.text.strip() for r in rows] == [expected] and notes == []


def test_document_definition_beats_decoration() -> None:
    rows, _, _ = _rows(r"\boxed{x} = 1", macros=(("boxed", 1, r"\hat{#1}"),))
    assert [r.text.text for r in rows] == [r"\hat{x} = 1"]


@pytest.mark.parametrize(
    "text, pieces",
    [
        (r"\begin{align} a &= b \\ c &= d \tag{2} \end{align}", ["a &= b", "c &= d"]),
        (r"X_0 = M \quad u = P (4)", ["X_0 = M", "u = P"]),
        (r"\begin{aligned} p &= q & r &= s \end{aligned}", ["p &= q", "r &= s"]),
        (r"\text{we can write } \delta = c", [r"\delta = c"]),
    ],
)
def test_row_offsets_point_into_the_source(text: str, pieces: list[str]) -> None:
    rows, _, src = _rows(text)
    assert [src[r.text.span().start:r.text.span().end] for r in rows] == pieces
    for r in rows:  # every character maps inside the fragment
        assert all(len(PREFIX) <= o < len(PREFIX) + len(text) for o in r.text.offsets[:-1])


def test_tag_removed_from_text_but_offsets_keep_the_rest() -> None:
    rows, _, src = _rows(r"a = b \tag{3}")
    row = rows[0]
    assert row.text.text == "a = b"
    assert src[row.text.offsets[4]] == "b"
