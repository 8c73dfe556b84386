"""Definitions that the document's own later rows contradict (SC111), a fix that adds
the term a sum over an index lost, and corrected copies mended in rounds.

Each document is written here; the expected corrections are the relations as they
should read, compared as parsed trees, never engine output copied into the test.
"""
from __future__ import annotations

from symcheck import irutil
from symcheck.latex.parser import parse_row
from symcheck.pipeline import CheckOptions, check_text
from symcheck.report import corrected
from symcheck.source import MappedText

OPTS = CheckOptions(timeout=10.0)

UNITS = "Let $a_0 = \\sigma(z_0)$ and $a_1 = \\sigma(z_1)$ be two logistic units.\n\n"
RIGHT_D = "\\begin{pmatrix} a_0(1-a_0) & 0 \\\\ 0 & a_1(1-a_1) \\end{pmatrix}"
SLIPPED_D = "\\begin{pmatrix} a_0(1-a_0) & 0 \\\\ 0 & a_0(1-a_0) \\end{pmatrix}"


def _doc(d: str, restated: str = RIGHT_D, sign: str = "-") -> str:
    return (UNITS
            + f"$$D = {d} \\qquad v = \\begin{{pmatrix}} v_0 \\\\ v_1 \\end{{pmatrix}} \\qquad "
              "u = \\begin{pmatrix} a_0(1-a_0) v_0 \\\\ a_1(1-a_1) v_1 \\end{pmatrix}$$\n\n"
            + f"Written out,\n\n$$D v = {restated} \\begin{{pmatrix}} v_0 \\\\ v_1 \\end{{pmatrix}}$$\n\n"
            + f"and so\n\n$$u = {sign}D v$$\n")


def _tree(latex: str) -> object:
    chain = parse_row(MappedText.from_original(latex))
    assert not hasattr(chain, "message"), latex
    return irutil.strip_spans(chain)


def test_a_slipped_definition_is_refuted_at_its_line_with_the_proved_edit() -> None:
    text = _doc(SLIPPED_D)
    res = check_text(text, "doc.md", OPTS)
    [d] = [d for d in res.diagnostics if d.code == "SC111"]
    assert d.span.start == text.index("D = ")
    assert _tree(d.fixes[0].latex) == _tree(f"D = {RIGHT_D}")
    # the row that wrote D out correctly inherits the slip: proved once D is corrected, no fix
    # bending it to the slip, and what it is as written is kept as evidence
    [restated] = [x for x in res.diagnostics if x.span.start == text.index("D v =")]
    assert restated.code == "SC001" and "once the definition of D" in restated.message
    assert restated.fixes == () and restated.counterexample == ()
    assert any(e.startswith("with the definition as written: refuted") for e in restated.evidence)
    # the row with a slip of its own is mended, given the corrected definition
    [own] = [x for x in res.diagnostics if x.code == "SC100" and x.span.start == text.index("u = -D")]
    assert _tree(own.fixes[0].latex) == _tree("u = D v") and "definition of D" in own.fixes[0].description


def test_a_right_definition_is_never_blamed() -> None:
    for text in (_doc(RIGHT_D), _doc(RIGHT_D, restated=SLIPPED_D), _doc(RIGHT_D, sign="")):
        res = check_text(text, "doc.md", OPTS)
        assert not [d for d in res.diagnostics if d.code == "SC111"]


def test_the_corrected_copy_of_a_slipped_definition_checks_clean() -> None:
    text = _doc(SLIPPED_D)
    res = check_text(text, "doc.md", OPTS)
    out, changes = corrected.correct(res, lambda t, frozen: check_text(t, "doc.md", CheckOptions(10.0, frozen=frozen)))
    again = check_text(out, "doc.md", OPTS)
    assert not [d for d in again.diagnostics if d.code in ("SC100", "SC101", "SC111")]
    assert all(c.applied for c in changes)


def test_a_sum_over_an_index_missing_a_term_gets_the_term_back() -> None:
    text = ("$$s = x_0 y_0 + x_1 y_1 + x_2 y_2$$\n\n"
            "$$s = x_0 y_0 + x_1 y_1$$\n")
    res = check_text(text, "doc.md", OPTS)
    [d] = [d for d in res.diagnostics if d.code == "SC100"]
    assert any(_tree(f.latex) == _tree("s = x_0 y_0 + x_1 y_1 + x_2 y_2") for f in d.fixes)
    assert any("add the missing term" in f.description for f in d.fixes)


def test_a_chain_whose_middle_was_corrected_is_mended_in_the_next_round() -> None:
    """σ(x) = 1/(1 - e^{-x}) = e^x/(1 - e^x): the middle is corrected to the logistic
    function first; the second relation, proved for the old middle, waits for it."""
    text = "The sigmoid is $\\sigma(x) = \\frac{1}{1 - e^{-x}} = \\frac{e^x}{1 - e^x}$.\n"
    res = check_text(text, "doc.md", OPTS)
    one_round, _ = corrected.correct(res)
    rounds, changes = corrected.correct(
        res, lambda t, frozen: check_text(t, "doc.md", CheckOptions(10.0, frozen=frozen)))
    assert [d for d in check_text(one_round, "doc.md", OPTS).diagnostics if d.code == "SC100"]
    assert not [d for d in check_text(rounds, "doc.md", OPTS).diagnostics if d.code in ("SC100", "SC103")]
    assert len([c for c in changes if c.applied]) == 2


def test_a_slip_in_the_one_term_written_and_the_missing_term_are_fixed_together() -> None:
    text = ("$$s = x_0 y_0 + x_1 y_1$$\n\n"
            "$$s = x_0 y_1$$\n")
    res = check_text(text, "doc.md", OPTS)
    [d] = [d for d in res.diagnostics if d.code == "SC100"]
    assert any(_tree(f.latex) == _tree("s = x_0 y_0 + x_1 y_1") for f in d.fixes)


def test_no_term_is_added_when_none_completes_the_sum() -> None:
    text = ("$$s = x_0 y_0 + x_1 y_1 + 5$$\n\n"
            "$$s = x_0 y_0$$\n")
    res = check_text(text, "doc.md", OPTS)
    [d] = [d for d in res.diagnostics if d.code == "SC100"]
    assert not any("add the missing term" in f.description for f in d.fixes)


SIGN_DOC = ("Let $x \\in \\mathbb{R}^3$, $a = \\sigma(w^T x)$ and $L = \\tfrac12 (a - y)^2$.\n\n"
            "$$\\delta = {sign}(a - y)\\, a (1 - a)$$\n\n"
            "$$\\frac{{\\partial L}}{{\\partial w}} = \\delta\\, x$$\n\n"
            "$$\\frac{{\\partial L}}{{\\partial x}} = \\delta\\, w$$\n")


def test_a_sign_slip_in_a_definition_that_two_rows_use_is_found_even_when_each_row_has_a_fix() -> None:
    text = SIGN_DOC.replace("{sign}", "-").replace("{{", "{").replace("}}", "}")
    res = check_text(text, "doc.md", OPTS)
    [d] = [d for d in res.diagnostics if d.code == "SC111"]
    assert d.span.start == text.index("\\delta = ")
    assert _tree(d.fixes[0].latex) == _tree("\\delta = (a - y)\\, a (1 - a)")
    right = SIGN_DOC.replace("{sign}", "").replace("{{", "{").replace("}}", "}")
    assert not [d for d in check_text(right, "doc.md", OPTS).diagnostics if d.code == "SC111"]
