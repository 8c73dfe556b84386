"""Macro definitions are collected from anywhere and expanded with offsets kept."""
from __future__ import annotations

import time

import pytest

from symcheck import macros
from symcheck.source import MappedText


def _collect(src: str) -> list[macros.Macro]:
    found, notes = macros.collect(MappedText.from_original(src))
    assert notes == []
    return found


@pytest.mark.parametrize(
    "src, expected",
    [
        (r"\newcommand{\in}{\text{in}}", [("in", 0, r"\text{in}")]),
        (r"\newcommand\x{y}", [("x", 0, "y")]),
        (r"\newcommand{\f}[2]{#2+#1}", [("f", 2, "#2+#1")]),
        (r"\newcommand{\g}[2][a]{#1^#2}", [("g", 2, "#1^#2")]),
        (r"\renewcommand{\vec}[1]{\mathbf{#1}}", [("vec", 1, r"\mathbf{#1}")]),
        (r"\providecommand{\one}{1}", [("one", 0, "1")]),
        (r"\def\h#1#2{#1 #2}", [("h", 2, "#1 #2")]),
        (r"\def\k{\{k\}}", [("k", 0, r"\{k\}")]),
        (r"\DeclareMathOperator{\tr}{tr}", [("tr", 0, r"\operatorname{tr}")]),
        (r"\DeclareMathOperator*{\argmax}{arg\,max}", [("argmax", 0, r"\operatorname{arg\,max}")]),
        (r"text $\newcommand{\out}{\text{out}}$ more $\newcommand{\prt}{\partial}$",
         [("out", 0, r"\text{out}"), ("prt", 0, r"\partial")]),
        (r"\\newcommand is not a definition", []),
    ],
)
def test_collect(src: str, expected: list[tuple[str, int, str]]) -> None:
    assert [(m.name, m.nargs, m.body) for m in _collect(src)] == expected


@pytest.mark.parametrize("src", [r"\newcommand{\x}", r"\newcommand{\x}{unclosed", r"\def\y", r"\newcommand{}{a}"])
def test_unreadable_definition_is_a_note(src: str) -> None:
    found, notes = macros.collect(MappedText.from_original(src))
    assert found == []
    assert [n.code for n in notes] == ["SC303"]


@pytest.mark.parametrize(
    "defs, src, expected, assumed",
    [
        ("", r"\v x", r"\mathbf{x}", ["v"]),
        ("", r"\v{x} + \v y", r"\mathbf{x} + \mathbf{y}", ["v"]),
        ("", r"W\T", r"W^{T}", ["T"]),
        ("", r"\pfrac{\ell}{W}", r"\frac{\partial \ell}{\partial W}", ["pfrac"]),
        ("", r"\pfrac{\ell}{\v u} \v x\T", r"\frac{\partial \ell}{\partial \mathbf{u}} \mathbf{x}^{T}",
         ["pfrac", "v", "T"]),
        ("", r"\prt\ell", r"\partial\ell", ["prt"]),
        ("", r"x \in \R", r"x \in \mathbb{R}", ["R"]),
        ("", r"\norm{x}", r"\left\| x \right\|", ["norm"]),
        ("", r"\abs{x - y}", r"\left| x - y \right|", ["abs"]),
        ("", r"\bm{x}", r"\boldsymbol{x}", ["bm"]),
        # a document definition wins over the convention and over LaTeX itself
        (r"\newcommand{\in}{\text{in}}", r"s_\in \int x", r"s_\text{in} \int x", []),
        (r"\newcommand{\v}[1]{\vec{#1}}", r"\v x", r"\vec{x}", []),
        (r"\newcommand{\prt}{\partial}", r"\prt", r"\partial", []),
        # arguments, nesting, \def, \DeclareMathOperator
        (r"\newcommand{\f}[2]{#2+#1}", r"\f{a}{b} \f xy", r"b+a y+x", []),
        (r"\newcommand{\a}{\b}\newcommand{\b}{c}", r"\a", "c", []),
        (r"\def\h#1{(#1)}", r"\h{\h{x}}", "((x))", []),
        (r"\DeclareMathOperator{\tr}{tr}", r"\tr A", r"\operatorname{tr} A", []),
        # not macro uses: \\ followed by a letter, commands that merely start with a macro name
        ("", r"a \\v x", r"a \\v x", []),
        ("", r"\Tr \vec{x} \prtx", r"\Tr \vec{x} \prtx", []),
        # missing argument: left alone
        ("", r"\pfrac{a}", r"\pfrac{a}", []),
    ],
)
def test_expand(defs: str, src: str, expected: str, assumed: list[str]) -> None:
    table = _collect(defs)
    out, notes = macros.expand(MappedText.from_original(src), table)
    assert out.text == expected
    assert [n.message.split()[0] for n in notes] == ["\\" + a for a in assumed]
    assert all(n.code == "SC301" for n in notes)


def test_expand_accepts_document_tuples() -> None:
    out, _ = macros.expand(MappedText.from_original(r"s_\in"), (("\\in", 0, r"\text{in}"),))
    assert out.text == r"s_\text{in}"


def test_definitions_are_not_expanded_as_uses() -> None:
    src = r"\newcommand{\in}{\text{in}} s_\in"
    out, _ = macros.expand(MappedText.from_original(src), _collect(src))
    assert out.text == r"\newcommand{\in}{\text{in}} s_\text{in}"


def test_assumed_note_message_and_span() -> None:
    src = r"a = \pfrac{\ell}{W} + \pfrac{b}{c}"
    _, notes = macros.expand(MappedText.from_original(src), ())
    (note,) = notes
    assert note.message == (r"\pfrac is not defined in the document; read \pfrac{a}{b} as "
                            r"\frac{\partial a}{\partial b}")
    assert src[note.span.start:note.span.end] == r"\pfrac{\ell}{W}"


def test_expansion_keeps_offsets() -> None:
    src = r"y = \pfrac{\ell}{\v u}"
    out, _ = macros.expand(MappedText.from_original(src), ())
    i = out.text.index(r"\ell")
    assert src[out.offsets[i]:out.offsets[i] + 4] == r"\ell"  # arguments keep their own place
    j = out.text.index("u}")
    assert src[out.offsets[j]] == "u"
    whole = out.span(out.text.index(r"\frac"), len(out.text))
    assert src[whole.start:whole.end] == r"\pfrac{\ell}{\v u}"  # body maps onto the invocation
    k = out.text.index(r"\mathbf")
    assert src[out.offsets[k]:out.offsets[k] + 2] == r"\v"


@pytest.mark.parametrize(
    "defs",
    [r"\newcommand{\a}{\a\a}", r"\def\x{\x}", r"\newcommand{\p}[1]{\p{#1#1}}",
     r"\newcommand{\a}{\b\b\b\b}\newcommand{\b}{\a\a\a\a}"],
)
def test_hostile_recursion_ends_with_a_note(defs: str) -> None:
    table = _collect(defs)
    start = time.monotonic()
    out, notes = macros.expand(MappedText.from_original(r"x = \a + \x + \p{y}"), table)
    assert time.monotonic() - start < 5
    assert [n.code for n in notes] == ["SC303"]
    assert "recursive definition" in notes[0].message
    assert len(out.offsets) == len(out.text) + 1


@pytest.mark.parametrize(
    "edits, expected",
    [
        ([(0, 1, "X")], "Xbcdef"),
        ([(1, 1, "\\"), (3, 4, "")], "a\\bcef"),
        ([(0, 6, "")], ""),
        ([(2, 4, "1"), (3, 5, "overlap dropped")], "ab1ef"),
    ],
)
def test_splice(edits: list[tuple[int, int, str]], expected: str) -> None:
    out = macros.splice(MappedText.from_original("abcdef", 10), edits)
    assert out.text == expected
    assert len(out.offsets) == len(out.text) + 1
    assert out.offsets[-1] == 16
