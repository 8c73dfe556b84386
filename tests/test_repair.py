"""Fixes found by the search over small edits (symcheck.repair).

Each document below is written here with one slip injected (two in the last case);
the fix the engine offers must be exactly the relation as it should have been
written, compared as parsed trees, never as engine output copied into the test.
A relation with no small fix gets none, and every fix offered checks as true when
it is put back into its document.
"""
from __future__ import annotations

import pytest

from symcheck import irutil
from symcheck.latex.parser import parse_row
from symcheck.pipeline import CheckOptions, check_text
from symcheck.report import corrected
from symcheck.results import verdict_of
from symcheck.source import MappedText

OPTS = CheckOptions(timeout=10.0)

# (name, lines before the slip, the slipped relation, the relation as it should read)
CASES = [
    ("wrong index",
     "$$y_1 = 2 x_1 + x_2$$\n$$y_2 = x_1 + 3 x_2$$\n",
     "y_1 + y_2 = 3 x_1 + 4 x_1", "y_1 + y_2 = 3 x_1 + 4 x_2"),
    ("swapped indices",
     "$$W = \\begin{pmatrix} w_{11} & w_{12} \\\\ w_{21} & w_{22} \\end{pmatrix}$$\n"
     "$$\\mathbf{v} = \\begin{pmatrix} v_1 \\\\ v_2 \\end{pmatrix}$$\n",
     "W \\mathbf{v} = \\begin{pmatrix} w_{11} v_1 + w_{21} v_2 \\\\ w_{21} v_1 + w_{22} v_2 \\end{pmatrix}",
     "W \\mathbf{v} = \\begin{pmatrix} w_{11} v_1 + w_{12} v_2 \\\\ w_{21} v_1 + w_{22} v_2 \\end{pmatrix}"),
    ("wrong layer label",
     "$$\\delta^{(1)} = 2 z$$\n$$\\delta^{(2)} = 3 z^2$$\n$$g = \\delta^{(1)} z$$\n",
     "g = \\delta^{(2)} z", "g = \\delta^{(1)} z"),
    ("missing transpose",
     "$A \\in \\mathbb{R}^{m \\times n}$ and $\\mathbf{x} \\in \\mathbb{R}^{m}$.\n\n"
     "$$\\mathbf{u} = A^T \\mathbf{x}$$\n",
     "\\mathbf{u} = A \\mathbf{x}", "\\mathbf{u} = A^T \\mathbf{x}"),
    ("sign",
     "$$f = (x + 1)^2$$\n",
     "f = x^2 - 2 x + 1", "f = x^2 + 2 x + 1"),
    ("one entry of an entry-wise block",
     "$$C = w_1 x_1 + w_2 x_2$$\n$$\\frac{\\partial C}{\\partial w_1} = x_1$$\n",
     "\\frac{\\partial C}{\\partial w_2} = x_1", "\\frac{\\partial C}{\\partial w_2} = x_2"),
    ("a repeated factor",
     "$$h = a b$$\n",
     "h = a b b", "h = a b"),
    ("the left side carries the slip",
     "$$C = x_1 w_1^2 + x_2 w_2$$\n",
     "\\frac{\\partial C}{\\partial w_2} = 2 x_1 w_1", "\\frac{\\partial C}{\\partial w_1} = 2 x_1 w_1"),
    ("one index changed through a term",
     "$$s = u_1 (1 - u_1) + 2 u_2 (1 - u_2)$$\n",
     "s = u_1 (1 - u_1) + 2 u_1 (1 - u_1)", "s = u_1 (1 - u_1) + 2 u_2 (1 - u_2)"),
    ("two slips in one row",
     "$$y = 2 a_1 + 3 b_2$$\n",
     "y = 2 a_2 + 3 b_1", "y = 2 a_1 + 3 b_2"),
    ("two digits of a result swapped",
     "",
     "13 \\times 30 - 6 \\times 6 = 345", "13 \\times 30 - 6 \\times 6 = 354"),
    ("a worked example's number",
     "Let $x = 2$ and $y = 3$.\n\n",
     "x y + 1 = 8", "x y + 1 = 7"),
    ("a factor of the chain rule lost",
     "$$f = x e^{\\beta x}$$\n",
     "\\frac{\\partial f}{\\partial x} = e^{\\beta x} + x e^{\\beta x}",
     "\\frac{\\partial f}{\\partial x} = e^{\\beta x} + \\beta x e^{\\beta x}"),
    ("an index off by one",
     "$$F_k = \\sigma(\\theta_k - \\eta)$$\n",
     "F_k - F_{k-1} = \\sigma(\\theta_k - \\eta) - \\sigma(\\theta_{k+1} - \\eta)",
     "F_k - F_{k-1} = \\sigma(\\theta_k - \\eta) - \\sigma(\\theta_{k - 1} - \\eta)"),
    ("the 1/d of a mean dropped",
     "$\\mathbf{x} \\in \\mathbb{R}^{d}$.\n\n$$r = \\sqrt{\\frac{1}{d}\\sum_{j=1}^{d} x_j^2}$$\n",
     "\\frac{\\partial r}{\\partial x_j} = \\frac{x_j}{r}",
     "\\frac{\\partial r}{\\partial x_j} = \\frac{1}{d} \\frac{x_j}{r}"),
    ("a power of the size forgotten",
     "$\\Sigma \\in \\mathbb{R}^{d \\times d}$.\n\n",
     "\\det(2\\Sigma) = 2\\det\\Sigma", "\\det(2\\Sigma) = 2^{d}\\det\\Sigma"),
    ("a wrong letter",
     "$$z = w x + b$$\n",
     "\\frac{\\partial z}{\\partial w} = w", "\\frac{\\partial z}{\\partial w} = x"),
    ("the transpose of a product dropped",
     "$A \\in \\mathbb{R}^{m \\times n}$, $B \\in \\mathbb{R}^{m \\times p}$, "
     "$\\mathbf{v} \\in \\mathbb{R}^{p}$.\n\n$$\\mathbf{u} = A^T B \\mathbf{v}$$\n",
     "\\mathbf{u} = B^T A \\mathbf{v}", "\\mathbf{u} = (B^T A)^T \\mathbf{v}"),
]


def _tree(latex: str) -> object:
    chain = parse_row(MappedText.from_original(latex))
    assert not hasattr(chain, "message"), latex
    return irutil.strip_spans(chain)


def _refuted(text: str) -> list:
    res = check_text(text, "doc.md", OPTS)
    return [d for d in res.diagnostics if d.code in ("SC100", "SC101")]


@pytest.mark.parametrize("name, before, wrong, right", CASES, ids=[c[0] for c in CASES])
def test_the_fix_is_the_relation_as_it_should_read(name: str, before: str, wrong: str, right: str) -> None:
    text = before + f"$${wrong}$$\n"
    [d] = _refuted(text)
    assert d.fixes, f"{name}: no fix offered"
    fix = d.fixes[0]
    assert _tree(fix.latex) == _tree(right), fix.latex
    assert fix.description.endswith(("; proved", "; verified numerically"))


@pytest.mark.parametrize("name, before, wrong, right", CASES, ids=[c[0] for c in CASES])
def test_every_fix_offered_checks_true_in_its_document(name: str, before: str, wrong: str, right: str) -> None:
    text = before + f"$${wrong}$$\n"
    [d] = _refuted(text)
    for fix in d.fixes:
        again = check_text(before + f"$${fix.latex}$$\n", "doc.md", CheckOptions(timeout=10.0, fixes=False))
        last = [x for x in again.diagnostics if verdict_of(x.code) is not None][-1]
        assert verdict_of(last.code) in ("proved", "verified"), (fix.latex, last.message)


@pytest.mark.parametrize("before, wrong", [
    ("$$f = (x + 1)^2$$\n", "f = x^3 + 7"),
    ("$$y_1 = 2 x_1 + x_2$$\n", "y_1 = \\frac{x_1}{x_2}"),
])
def test_no_small_fix_no_fix(before: str, wrong: str) -> None:
    [d] = _refuted(before + f"$${wrong}$$\n")
    assert d.fixes == ()


def test_a_fix_of_the_left_side_is_applied_to_the_left_side() -> None:
    name, before, wrong, right = CASES[[c[0] for c in CASES].index("the left side carries the slip")]
    text = before + f"$${wrong}$$\n"
    res = check_text(text, "doc.md", OPTS)
    out, changes = corrected.correct(res)
    assert [c.applied for c in changes] == [True]
    assert _tree(out.splitlines()[-1].strip("$")) == _tree(right)


def test_no_fix_that_is_true_by_its_form_alone() -> None:
    """C^2 = C for a C that is not idempotent: "C^1 = C" holds whatever C is, so it
    is no correction of the author's claim."""
    text = "$$C = \\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}$$\n$$C^2 = C$$\n"
    res = check_text(text, "doc.md", OPTS)
    [d] = [d for d in res.diagnostics if d.code in ("SC100", "SC101")]
    assert not any("C^{1}" in f.latex for f in d.fixes)


def test_a_wrong_arg_min_gets_a_proved_fix() -> None:
    """The screen solves H w = -∇F(0) for a quadratic objective, so the search can try
    edits of the stated point; the fix it offers is decided like any arg min claim."""
    from symcheck.pipeline import CheckOptions, check_text
    text = ("Let $X \\in \\mathbb{R}^{4 \\times 2}$, $\\mathbf{y} \\in \\mathbb{R}^{4}$ and $\\lambda > 0$.\n\n"
            "$$\\arg\\min_{\\mathbf{w}} \\|\\mathbf{y} - X\\mathbf{w}\\|^2 + \\lambda \\|\\mathbf{w}\\|^2 "
            "= (X^T X + \\lambda I)^{-1} X \\mathbf{y}$$\n")
    res = check_text(text, "doc.md", CheckOptions(10.0))
    [wrong] = [d for d in res.diagnostics if d.code in ("SC100", "SC101")]
    assert wrong.fixes and "X^{T} \\mathbf{y}" in wrong.fixes[0].latex.replace("^T", "^{T}")


def test_a_wrong_entry_of_a_stated_tuple_is_corrected_to_the_places_shown() -> None:
    """(7, 4, 2)/13 stated as (0.5835, 0.3077, 0.1538): the fix writes every entry to the
    places shown, so only the mistyped one changes."""
    res = check_text("$$(7, 4, 2)/13 = (0.5835, 0.3077, 0.1538)$$\n", "doc.md", OPTS)
    [d] = [d for d in res.diagnostics if d.code == "SC102"]
    assert [_tree(f.latex) for f in d.fixes] == [_tree("(7, 4, 2)/13 = (0.5385, 0.3077, 0.1538)")]


def test_a_shape_mismatch_no_transpose_mends_is_undecided() -> None:
    """a aᵀ (n×n) beside aᵀa (a scalar): no transpose or regrouping makes the sides agree
    without rewriting one into the other, so the shapes as read are in doubt (SC206)."""
    text = "Let $\\mathbf{a} \\in \\mathbb{R}^{n}$.\n\n$$\\mathbf{a} \\mathbf{a}^T = \\mathbf{a}^T \\mathbf{a}$$\n"
    res = check_text(text, "doc.md", OPTS)
    [d] = [d for d in res.diagnostics if verdict_of(d.code) not in (None, "definition")]
    assert d.code == "SC206" and d.fixes == ()
    assert "the left side is" in d.message and "no transpose or regrouping" in d.message


@pytest.mark.parametrize("latex, same", [
    ("a a^T = ((a^T)^T) a^T", True),
    ("x = (((x^T)^T)^T)^T", True),
    ("x = ((x^T)^T)^T", False),
    ("A I^T = A I", True),
    ("x^1 = x", True),
    ("(a + b) c = a + b c", False),
])
def test_a_side_rewritten_into_the_other_is_no_fix(latex: str, same: bool) -> None:
    """A candidate whose sides agree once x¹, (xᵀ)ᵀ, Iᵀ and grouping parentheses are read
    plainly holds by its form, whatever the document says: it is never offered as a fix."""
    from symcheck import repair
    chain = parse_row(MappedText.from_original(latex))
    assert repair._same_sides(chain.relations()[0]) is same
