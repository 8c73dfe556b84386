"""OCR repair: lost backslashes come back only in documents that show the damage."""
from __future__ import annotations

import pytest

from symcheck import ocr
from symcheck.source import MappedText

BS, FF, VT, BEL, TAB, CR = "\x08", "\x0c", "\x0b", "\x07", "\t", "\r"


@pytest.mark.parametrize(
    "text, damaged",
    [
        (r"$A = egin{bmatrix} a \end{bmatrix}$", True),
        (r"$loss = rac{1}{N}$", True),
        ("\\left( x \night)", True),
        ("x ight)", True),
        (r"a & dots & b", True),
        (r"\ dots \ ", True),
        ("$" + FF + "rac{1}{2}$", True),
        ("a" + BEL + "lpha", True),
        ("x" + CR + "ight)", True),
        # undamaged
        ("We turn right) here, the fraction begins; connect the dots.", False),
        (r"$\begin{bmatrix} a \\ b \end{bmatrix} \frac{1}{2} \right)$", False),
        (r"$\vdots \dots \ddots \cdots$", False),
        ("line one\r\nline two\r\n", False),
        ("old Mac\rline endings\rhere", False),
        ("indented\twith a tab", False),
    ],
)
def test_looks_damaged(text: str, damaged: bool) -> None:
    assert ocr.looks_damaged(text) is damaged


@pytest.mark.parametrize(
    "text, repaired, messages",
    [
        (
            r"$A = egin{bmatrix} a & b \ c & d \end{bmatrix}$",
            r"$A = \begin{bmatrix} a & b \\ c & d \end{bmatrix}$",
            [r"repaired lost backslashes: \begin ×1, row separator \\ ×1"],
        ),
        (
            "$$rac{1}{N} \\left( x \night)$$",
            "$$\\frac{1}{N} \\left( x \n\\right)$$",
            [r"repaired lost backslashes: \frac ×1, \right ×1"],
        ),
        (
            "ullet W - Weight\n\n$$W = egin{bmatrix} w_1 \\ dots \\ w_j \\end{bmatrix}$$",
            "\\bullet W - Weight\n\n$$W = \\begin{bmatrix} w_1 \\\\ \\vdots \\\\ w_j \\end{bmatrix}$$",
            [r"repaired lost backslashes: \bullet ×1",
             r"repaired lost backslashes: \begin ×1, \vdots ×1, row separator \\ ×2"],
        ),
        (
            "$" + FF + "rac{a}{b} + " + BEL + "lpha + " + BS + "eta " + VT + "ec{x}$",
            r"$\frac{a}{b} + \alpha + \beta \vec{x}$",
            [r"repaired lost backslashes: \frac ×1, \alpha ×1, \beta ×1, \vec ×1"],
        ),
        (
            "$egin{array}{c} " + TAB + "heta \\ x" + CR + "ightarrow y \\end{array}$",
            r"$\begin{array}{c} \theta \\ x\rightarrow y \end{array}$",
            [r"repaired lost backslashes: \begin ×1, \theta ×1, \rightarrow ×1, row separator \\ ×1"],
        ),
        # \dots, \ddots, \cdots keep their backslash; \\ already doubled stays
        (
            r"$egin{pmatrix} \dots & \ddots \\ \cdots & dots \end{pmatrix}$",
            r"$\begin{pmatrix} \dots & \ddots \\ \cdots & \vdots \end{pmatrix}$",
            [r"repaired lost backslashes: \begin ×1, \vdots ×1"],
        ),
        # prose words in a damaged document are not commands: right, dots., an ext, top
        (
            "the right answer; connect the dots. an ext top\n\n$egin{bmatrix} a \\end{bmatrix}^op ext{in}$",
            "the right answer; connect the dots. an ext top\n\n$\\begin{bmatrix} a \\end{bmatrix}^\\top \\text{in}$",
            [r"repaired lost backslashes: \begin ×1, \top ×1, \text ×1"],
        ),
        # a control space outside a matrix is not a row separator
        (
            r"$egin{aligned} a &= b \ c \end{aligned}$",
            r"$\begin{aligned} a &= b \ c \end{aligned}$",
            [r"repaired lost backslashes: \begin ×1"],
        ),
    ],
)
def test_repair(text: str, repaired: str, messages: list[str]) -> None:
    out, notes = ocr.repair(MappedText.from_original(text))
    assert out.text == repaired
    assert [n.message for n in notes] == messages
    assert all(n.code == "SC300" for n in notes)
    assert len(out.offsets) == len(out.text) + 1


@pytest.mark.parametrize(
    "text",
    [
        "We turn right here; the fraction begins to text the dots.",
        r"$\begin{bmatrix} a \ b \end{bmatrix} = \frac{1}{2} \left( x \right) \ \text{and} \vdots$",
        "plain prose with a\ttab and a Windows ending\r\n",
        "old Mac\rline endings\rright here",
        "",
    ],
)
def test_undamaged_text_is_untouched(text: str) -> None:
    mt = MappedText.from_original(text)
    out, notes = ocr.repair(mt)
    assert out == mt
    assert notes == []


def test_restored_command_maps_to_residue() -> None:
    """A diagnostic on the restored ``\\begin`` must point at ``egin`` in the file."""
    src = "xx $A = egin{bmatrix} a \\ b \\end{bmatrix}$"
    out, notes = ocr.repair(MappedText.from_original(src))
    i = out.text.index("\\begin")
    span = out.span(i, i + len("\\begin"))
    assert src[span.start:span.end] == "egin"
    j = out.text.index("\\\\")
    sep = out.span(j, j + 2)
    assert src[sep.start:sep.end] == "\\"
    assert src[notes[0].span.start:notes[0].span.end] == "e"
    # untouched characters keep their own offsets
    k = out.text.index("bmatrix")
    assert out.offsets[k] == src.index("bmatrix")


def test_note_span_points_at_first_repair_of_paragraph() -> None:
    src = "intro\n\n$$rac{1}{2} = egin{pmatrix} 1 \\end{pmatrix}$$"
    _, notes = ocr.repair(MappedText.from_original(src))
    (note,) = notes
    assert src[note.span.start:note.span.start + 3] == "rac"
