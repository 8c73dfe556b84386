"""Where a later section gives a name a new shape, the document is read in scopes."""
from __future__ import annotations

import pytest

from symcheck import document, pipeline, scopes
from symcheck.examples import section_starts


def _boundaries(text: str) -> list[tuple[int, list[str]]]:
    doc = document.read_document("doc.md", text)
    ctx = pipeline.build_context(doc, [], "doc.md")
    found = scopes.boundaries(doc, ctx, section_starts(doc), lambda d: pipeline.build_context(d, [], "doc.md"))
    return [(text.count("\n", 0, b.start) + 1, sorted(b.keys)) for b in found]


MODEL = "# Model\n\n$$\\hat y = \\mathbf{w}^\\top \\mathbf{x}$$\n\n# Shapes\n\n"


@pytest.mark.parametrize("text, expected", [
    # declared m×n, then n×n: a new meaning from the section that says so
    ("# A\n\n$X \\in \\mathbb{R}^{m \\times n}$ and $$f = \\operatorname{tr}(X^\\top X)$$\n\n"
     "# B\n\nLet $X \\in \\mathbb{R}^{n \\times n}$.\n\n$$g = \\det X$$\n", [(5, ["X"])]),
    # the same shape again is no boundary
    ("# A\n\n$X \\in \\mathbb{R}^{m \\times n}$ and $$f = \\operatorname{tr}(X^\\top X)$$\n\n"
     "# B\n\nLet $X \\in \\mathbb{R}^{m \\times n}$.\n", []),
    # used as a scalar, then declared a vector: only a sentence that says "now" re-declares
    ("# A\n\n$$p = (x - \\mu)^2$$\n\n# B\n\nNow $x \\in \\mathbb{R}^{d}$.\n\n$$q = x^\\top x$$\n", [(5, ["x"])]),
    ("# A\n\n$$p = (x - \\mu)^2$$\n\n# B\n\nHere $x \\in \\mathbb{R}^{d}$.\n\n$$q = x^\\top x$$\n", []),
    # a shape the earlier sections leave open is a first declaration
    (MODEL + "Now $\\mathbf{x} \\in \\mathbb{R}^{d}$ and $\\mathbf{w} \\in \\mathbb{R}^{d}$.\n", []),
    # the sentence that says so may start before the math that declares
    ("# A\n\n$$r = \\sqrt{x^2 + 1}$$\n\n# B\n\nFrom here on $X \\in \\mathbb{R}^{N \\times d}$ holds the inputs, "
     "$\\mathbf{r} \\in \\mathbb{R}^{N}$ their norms.\n\n$$\\mathbf{s} = 2 \\mathbf{r}$$\n", [(5, ["r"])]),
    # a declaration in the first section has nothing before it
    ("$X \\in \\mathbb{R}^{m \\times n}$\n\n$X \\in \\mathbb{R}^{n \\times n}$\n", []),
])
def test_boundaries(text: str, expected: list[tuple[int, list[str]]]) -> None:
    assert _boundaries(text) == expected


def _scopes(text: str) -> tuple[list[scopes.Scope], ...]:
    """The scopes of a document, then the text of the fragments each one reads."""
    doc = document.read_document("doc.md", text)
    ctx = pipeline.build_context(doc, [], "doc.md")
    parts = scopes.split(doc, ctx, section_starts(doc), lambda d: pipeline.build_context(d, [], "doc.md"))
    return (parts, *([doc.fragments[fi].text.text for fi in p.fragments] for p in parts))


def test_a_scope_leaves_out_what_the_far_side_says_about_a_re_declared_name() -> None:
    text = ("# A\n\n$X \\in \\mathbb{R}^{m \\times n}$ and $$f = \\operatorname{tr}(X^\\top X)$$\n\n"
            "$$\\sigma(z) = \\frac{1}{1 + e^{-z}}$$\n\n"
            "# B\n\nNow let $X \\in \\mathbb{R}^{n \\times n}$.\n\n$$g = \\det X$$\n")
    parts, first, second = _scopes(text)
    assert len(parts) == 2
    assert "g = \\det X" not in first and "X \\in \\mathbb{R}^{n \\times n}" not in first
    assert "X \\in \\mathbb{R}^{m \\times n}" not in second
    assert any("\\sigma(z)" in t for t in second)  # what does not speak of X is shared
    assert parts[0].end == parts[1].start


@pytest.mark.parametrize("text, orthogonal", [
    ("Let $V \\in \\mathbb{R}^{3 \\times 3}$ be orthogonal.\n", {"V"}),
    ("The matrix $U$ has orthonormal columns.\n", {"U"}),
    ("As a check, the result is orthogonal to $\\mathbf{x}$.\n", set()),  # a right angle, not an orthogonal matrix
    ("The gradient $g$ is orthogonal to the input.\n", set()),
])
def test_what_the_text_calls_orthogonal(text: str, orthogonal: set[str]) -> None:
    doc = document.read_document("doc.md", text)
    ctx = pipeline.build_context(doc, [], "doc.md")
    assert ctx.orthogonal == orthogonal


def test_a_meaning_for_the_rest_of_a_section_ends_with_it() -> None:
    """"For the rest of this section $z$ and $y$ are plain numbers": a scope from that
    sentence to the next heading; after it the vectors are vectors again."""
    text = ("# Batch\n\nLet $\\mathbf{z}, \\mathbf{y} \\in \\mathbb{R}^{n}$.\n\n"
            "$$L = \\|\\mathbf{z} - \\mathbf{y}\\|^2$$\n\n"
            "# One number\n\nFor the rest of this section I drop the indices: $z$ and $y$ are plain numbers.\n\n"
            "$$\\ell = (z - y)^2$$\n\n# Back to the batch\n\n$$M = \\mathbf{z}^\\top \\mathbf{y}$$\n")
    parts, *seen = _scopes(text)
    assert len(parts) == 3
    assert not any("mathbb{R}" in t for t in seen[1])  # the plain numbers do not see the declaration
    assert any("mathbb{R}" in t for t in seen[2]) and not any(t.startswith("\\ell") for t in seen[2])
    res = pipeline.check_text(text + "\n$$M = \\sum_{i=1}^{n} z_i y_i$$\n", "doc.md", pipeline.CheckOptions(10.0, fixes=False))
    assert [d.code for d in res.diagnostics][-1] == "SC001"  # the added row, with the vectors of the batch
    assert not [d for d in res.diagnostics if d.code in ("SC100", "SC101", "SC202")]
