"""The document reader: fragments, prose, tags outside math, merges, limits."""
from __future__ import annotations

import time

import pytest

from symcheck import document
from symcheck.fragments import Document
from symcheck.source import LineIndex


def _frags(doc: Document) -> list[tuple[str, bool, str, tuple[int, int]]]:
    index = LineIndex(doc.text)
    return [(f.kind, f.display, f.text.text, index.position(f.text.span().start)) for f in doc.fragments]


def _rows(doc: Document) -> list[tuple[str, str | None, bool]]:
    return [(r.text.text, r.tag, r.continues) for f in doc.fragments for r in f.rows]


def _codes(doc: Document) -> list[str]:
    return [n.code for n in doc.notes]


@pytest.mark.parametrize(
    "path, text, fmt",
    [
        ("a.md", ".. math::", "markdown"),
        ("a.markdown", "", "markdown"),
        ("notes/A.TEX", "", "latex"),
        ("x.rst", "", "rst"),
        ("x.txt", "intro\n\n.. math::\n\n   a = b\n", "rst"),
        ("x.txt", "\\documentclass{article}", "latex"),
        ("x.txt", "\\begin{document} $x$", "latex"),
        ("x.txt", "# Title\n$x$", "markdown"),
    ],
)
def test_format_detection(path: str, text: str, fmt: str) -> None:
    assert document.read_document(path, text).format == fmt


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Let $x = 1$ and $$y = 2$$.", [("dollar", False, "x = 1", (1, 6)), ("ddollar", True, "y = 2", (1, 19))]),
        ("A\n$$\na = b\n+ c\n$$\n", [("ddollar", True, "a = b\n+ c", (3, 1))]),
        (r"see \[ a = b \] and \( c \)", [("bracket", True, "a = b", (1, 8)), ("paren", False, "c", (1, 24))]),
        ("x\n\\begin{align}\na &= b\n\\end{align}\n",
         [("env:align", True, "\\begin{align}\na &= b\n\\end{align}", (2, 1))]),
        ("```\n$not = math$\n```\n$y$", [("dollar", False, "y", (4, 2))]),
        ("~~~~python\n$no$\n~~~~\n$y$", [("dollar", False, "y", (4, 2))]),
        ("use `$x$` or ``a ` $b$`` then $c$", [("dollar", False, "c", (1, 32))]),
        (r"costs \$5 and \$6, but $z$", [("dollar", False, "z", (1, 25))]),
        ("a $ lone dollar\n\nnew $p$ para", [("dollar", False, "p", (3, 6))]),
        ("unclosed $$ display", []),
    ],
)
def test_markdown_fragments(text: str, expected: list) -> None:
    assert _frags(document.read_document("n.md", text)) == expected


def test_markdown_front_matter_and_prose() -> None:
    text = "---\ntitle: Backprop\nauthor: 'A. B.'\nnot a pair\n---\nIntro $x$ middle $$y = 1$$ tail\n"
    doc = document.read_document("n.md", text)
    assert doc.front_matter == (("title", "Backprop"), ("author", "A. B."))
    assert [f.prose_before.text for f in doc.fragments] == ["Intro ", " middle "]
    assert doc.prose_after is not None and doc.prose_after.text == " tail\n"
    p = doc.fragments[1].prose_before.span()
    assert text[p.start:p.end] == " middle "


def test_latex_fragments_comments_and_body() -> None:
    text = (
        "\\documentclass{article}\n\\newcommand{\\R}{\\mathbb{R}}\n\\begin{document}\n"
        "Let $x \\in \\R$. % $ignored$\n"
        "\\begin{equation}\n a = b % comment\n \\label{eq:ab}\n\\end{equation}\n"
        "\\begin{align*} c &= d \\\\ e &= f \\end{align*}\n"
        "\\[ g = h \\] \\(k\\) $$m = n$$\n\\end{document}\n$after = end$\n"
    )
    doc = document.read_document("n.tex", text)
    assert _frags(doc) == [
        ("dollar", False, r"x \in \R", (4, 6)),
        ("env:equation", True, "\\begin{equation}\n a = b \n \\label{eq:ab}\n\\end{equation}", (5, 1)),
        ("env:align*", True, r"\begin{align*} c &= d \\ e &= f \end{align*}", (9, 1)),
        ("bracket", True, "g = h", (10, 4)),
        ("paren", False, "k", (10, 15)),
        ("ddollar", True, "m = n", (10, 21)),
    ]
    assert _rows(doc) == [(r"x \in \mathbb{R}", None, False), ("a = b", "eq:ab", False), ("c = d", None, False),
                          ("e = f", None, False), ("g = h", None, False), ("k", None, False),
                          ("m = n", None, False)]
    assert doc.macros == (("\\R", 0, r"\mathbb{R}"),)
    assert "SC301" not in _codes(doc)  # \R is defined by the document
    assert doc.fragments[0].prose_before.text == "\nLet "
    assert doc.fragments[1].prose_before.text == ". % $ignored$\n"


def test_rst_directive_role_and_dollar() -> None:
    text = (
        "Title\n=====\n\nInline :math:`a^2` and $b$.\n\n"
        ".. math::\n   :label: eq-one\n\n   x &= y \\\\\n     &= z\n\n   p = q\n\nAfter.\n"
        "  .. math:: e = f\n"
    )
    doc = document.read_document("n.rst", text)
    assert _frags(doc) == [
        ("rst-role", False, "a^2", (4, 15)),
        ("dollar", False, "b", (4, 25)),
        ("rst-math", True, "x &= y \\\\\n     &= z\n\n   p = q", (9, 4)),
        ("rst-math", True, "e = f", (15, 13)),
    ]
    assert _rows(doc) == [("a^2", None, False), ("b", None, False), ("x = y", None, False),
                          ("= z", None, True), ("p = q", "eq-one", False), ("e = f", None, False)]
    assert doc.fragments[3].prose_before.text == "\n\nAfter.\n  "


def test_flattened_rst() -> None:
    text = (
        r"$\newcommand{\in}{\text{in}}$ Intro .. figure:: /f.png :align: center **Block.** "
        r"The input $\v x$ has size $s_\in$. We have: .. math:: \pfrac{\ell}{W} = \pfrac{\ell}{\v u} \v x\T "
        r"Let $X$ be data .. math:: \frac{\prt\ell}{\prt x} &= a\\ &= b where $W$ is "
        r".. math:: f = \begin{cases}x_j &: i=k\\0 &: i\not=k\end{cases} = x_j \delta_{ik} substituting "
        r".. math:: \underbrace{u}_{(s_\in\times 1)} = W_{ij} x :doc:`/x` end "
        r".. math:: U = X W\T or"
    )
    doc = document.read_document("flat.txt", text)
    maths = [f.text.text for f in doc.fragments if f.kind == "rst-math"]
    assert maths == [
        r"\pfrac{\ell}{W} = \pfrac{\ell}{\v u} \v x\T",
        r"\frac{\prt\ell}{\prt x} &= a\\ &= b",
        r"f = \begin{cases}x_j &: i=k\\0 &: i\not=k\end{cases} = x_j \delta_{ik}",
        r"\underbrace{u}_{(s_\in\times 1)} = W_{ij} x",
        r"U = X W\T",
    ]
    assert doc.fragments[0].rows == ()  # only a macro definition
    assert doc.macros == (("\\in", 0, r"\text{in}"),)
    rows = _rows(doc)
    assert (r"s_\text{in}", None, False) in rows
    assert (r"\frac{\partial \ell}{\partial W} = \frac{\partial \ell}{\partial \mathbf{u}} \mathbf{x}^{T}",
            None, False) in rows
    assert ("= b", None, True) in rows
    assert (r"\underbrace{u}_{(s_\text{in}\times 1)} = W_{ij} x", None, False) in rows
    # one SC301 note per assumed macro in the whole document
    assert sorted(n.message.split()[0] for n in doc.notes if n.code == "SC301") == [r"\T", r"\pfrac", r"\prt", r"\v"]


@pytest.mark.parametrize(
    "text, expected_rows, tag_only",
    [
        ("$$a = b$$\n (2)\n\nnext", [("a = b", "2", False)], []),
        ("$$a = b$$\n(3a)\n", [("a = b", "3a", False)], []),
        ("$$a = b$$\n\n$$\\tag{1}$$\n\n$$c = d$$", [("a = b", "1", False), ("c = d", None, False)], [1]),
        ("$$a = b$$\n\n$$\n (5)\n$$", [("a = b", "5", False)], [1]),
        ("$$a = b \\tag{7}$$\n(8)\n", [("a = b", "7", False)], []),
        ("$$a = b$$\n(2) says more\n", [("a = b", None, False)], []),
        ("$x = 1$\n(2)\n", [("x = 1", None, False)], []),  # inline math: no outside tag
        ("$$a = b$$\n\n$$= c$$\n\n$$\\approx d$$",
         [("a = b", None, False), ("= c", None, True), (r"\approx d", None, True)], []),
    ],
)
def test_tags_and_continuation_outside_math(text: str, expected_rows: list, tag_only: list[int]) -> None:
    doc = document.read_document("n.md", text)
    assert _rows(doc) == expected_rows
    assert [k for k, f in enumerate(doc.fragments) if not f.rows] == tag_only


@pytest.mark.parametrize("op", [".", r"\cdot", "·"])
def test_product_operator_merges_display_and_inline(op: str) -> None:
    text = f"grad:\n$$\\delta W = -\\frac{{2}}{{N}}A^T$$\n{op} $(Y-A,W)$\nend"
    doc = document.read_document("n.md", text)
    assert len(doc.fragments) == 1
    (row,) = doc.fragments[0].rows
    assert row.text.text == f"\\delta W = -\\frac{{2}}{{N}}A^T {op} (Y-A,W)"
    assert [n.code for n in doc.notes] == ["SC304"]
    assert "as one expression" in doc.notes[0].message
    assert doc.prose_after is not None and doc.prose_after.text == "\nend"
    i = row.text.text.index("(Y")
    assert text[row.text.offsets[i]:row.text.offsets[i] + 2] == "(Y"


def test_no_merge_when_prose_between() -> None:
    doc = document.read_document("n.md", "$$a = b$$\nand $c = d$")
    assert len(doc.fragments) == 2


def test_dollar_closed_by_double_dollar_at_line_end() -> None:
    doc = document.read_document("n.md", "$$a = b$$\n $= c$$\nnext")
    assert _frags(doc) == [("ddollar", True, "a = b", (1, 3)), ("ddollar", True, "= c", (2, 3))]
    assert _codes(doc) == ["SC304"]


def test_damaged_document_is_repaired_before_reading() -> None:
    text = ("ullet W - Weights\n\n$$W = egin{bmatrix} w_1 \\ dots \\ w_j \\end{bmatrix}$$\n\n"
            "$$loss = rac{1}{N} \\left( a \night)$$\n")
    doc = document.read_document("n.md", text)
    assert _rows(doc) == [
        (r"W = \begin{bmatrix} w_1 \\ \vdots \\ w_j \end{bmatrix}", None, False),
        ("loss = \\frac{1}{N} \\left( a \n\\right)", None, False),
    ]
    assert _codes(doc) == ["SC300", "SC300", "SC300"]
    assert doc.fragments[0].prose_before.text.startswith("\\bullet W")
    row = doc.fragments[1].rows[0]
    i = row.text.text.index("\\frac")
    span = row.text.span(i, i + 5)
    assert text[span.start:span.end] == "rac"
    assert LineIndex(text).position(span.start) == (5, 10)


def test_undamaged_document_keeps_words() -> None:
    text = "Turn right, begin the fraction: $a = b$\n"
    doc = document.read_document("n.md", text)
    assert doc.fragments[0].prose_before.text == "Turn right, begin the fraction: "
    assert doc.notes == ()


def test_macro_defined_in_math_and_used_elsewhere() -> None:
    text = r"$\newcommand{\out}{\text{out}}$ size $s_\out$ and $$\v a = \v b \quad \v c = 1$$"
    doc = document.read_document("n.md", text)
    assert doc.fragments[0].rows == ()
    assert _rows(doc) == [(r"s_\text{out}", None, False), (r"\mathbf{a} = \mathbf{b}", None, False),
                          (r"\mathbf{c} = 1", None, False)]
    assert [n.code for n in doc.notes] == ["SC301"]


def test_row_offsets_in_document() -> None:
    text = "Intro\n\n$$z = v_0 + v_1 \\quad (1)$$\n\n$$\\begin{aligned} a &= b & c &= d \\end{aligned}$$\n"
    doc = document.read_document("n.md", text)
    rows = [r for f in doc.fragments for r in f.rows]
    got = [(text[r.text.span().start:r.text.span().end], r.tag) for r in rows]
    assert got == [("z = v_0 + v_1", "1"), ("a &= b", None), ("c &= d", None)]
    assert LineIndex(text).position(rows[1].text.span().start) == (5, 19)


def test_huge_document_returns_a_note() -> None:
    text = "$a$ " * 600_000
    start = time.monotonic()
    doc = document.read_document("big.md", text)
    assert time.monotonic() - start < 2
    assert doc.fragments == ()
    assert _codes(doc) == ["SC303"] and "too long" in doc.notes[0].message


def test_huge_fragment_is_skipped_with_a_note() -> None:
    text = "$$" + "x + " * 6000 + "1 = 1$$ and $y = 2$"
    doc = document.read_document("n.md", text)
    assert _rows(doc) == [("y = 2", None, False)]
    assert _codes(doc) == ["SC303"] and "too long" in doc.notes[0].message


@pytest.mark.parametrize(
    "text",
    [
        "$" * 100_000,
        "\\[" * 100_000,
        "\\begin{align}" * 50_000,
        "`" * 100_000 + "x",
        ("$a" + "\n\n") * 50_000,
        ".. math:: " + "{" * 100_000,
        "```\n" + "x\n" * 100_000,
    ],
    ids=["dollars", "brackets", "envs", "backticks", "unclosed-dollars", "braces", "fence"],
)
def test_hostile_input_returns_quickly(text: str) -> None:
    start = time.monotonic()
    for fmt in ("markdown", "latex", "rst"):
        document.read_document("h", text, fmt)
    assert time.monotonic() - start < 6


def test_breqn_and_the_math_environment_are_read() -> None:
    """dmath, dmath*, darray (its column argument is no math) and LaTeX's math: no
    relation in them may go unreported."""
    from symcheck.pipeline import CheckOptions, check_text
    text = ("\\documentclass{article}\n\\begin{document}\n\\begin{dmath} i = 10 \\end{dmath}\n"
            "\\begin{dmath*} o = 2 + 3 \\end{dmath*}\nText \\begin{math} p = 1 \\end{math} and\n"
            "\\begin{darray}{rcl} a &=& b \\\\ c &=& d \\end{darray}\n\\end{document}\n")
    res = check_text(text, "doc.tex", CheckOptions(5.0))
    assert sorted(d.lhs for d in res.diagnostics if d.code == "SC000") == ["a", "c", "i", "o", "p"]


def test_a_github_math_fence_is_display_math_and_other_fences_are_code() -> None:
    from symcheck.pipeline import CheckOptions, check_text
    text = "Text.\n\n```math\nw = 4\n```\n\n```python\nv = 5\n```\n\n```text\nu = 6\n```\n"
    res = check_text(text, "doc.md", CheckOptions(5.0))
    assert [d.lhs for d in res.diagnostics if d.code == "SC000"] == ["w"]
