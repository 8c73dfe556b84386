"""Cross-references (SC104): small documents, each with what must and must not be said."""
from __future__ import annotations

import pytest

from symcheck import cli, xrefs
from symcheck.pipeline import CheckOptions, check_text
from symcheck.source import LineIndex

# Two conditions on a line fit, written out once with the residual substituted.
FIT = r"""The residual is

$$r_i = y_i - c - m x_i$$

and the loss is

$$L = \sum_{i=1}^{n} r_i^2 \tag{1}$$

At the minimum the residuals satisfy

$$\sum_{i=1}^{n} r_i = 0 \tag{2}$$

$$\sum_{i=1}^{n} x_i r_i = 0 \tag{3}$$

With the residual written out, equations REF take the form

$$\sum_{i=1}^{n} (y_i - c - m x_i) = 0 \tag{4}$$

$$\sum_{i=1}^{n} x_i (y_i - c - m x_i) = 0 \tag{5}$$
"""

# A definition and its derivative; the sentence sets one of them to zero.
MIN = r"""The cost is

$$f = (x - 3)^2 \tag{1}$$

and its derivative is

$$\frac{d f}{d x} = 2 (x - 3) \tag{2}$$

Setting REF to zero gives the minimum $x = 3$.
"""


def sc104(text: str, path: str = "notes.md") -> list[tuple[int, str, tuple[str, ...]]]:
    """(line, message, fixes) of every SC104; also: no internal errors."""
    result = check_text(text, path, CheckOptions(timeout=5.0))
    assert not [d for d in result.diagnostics if d.code == "SC900"]
    index = LineIndex(text)
    return [(index.position(d.span.start)[0], d.message, tuple(f.latex for f in d.fixes))
            for d in result.diagnostics if d.code == "SC104"]


@pytest.mark.parametrize("doc, ref", [
    (FIT, "(2) to (3)"),  # the conditions, written out: right
    (FIT, "(2) and (3)"),
    (MIN, "(2)"),  # the derivative set to zero: right
])
def test_correct_references_are_silent(doc: str, ref: str) -> None:
    assert sc104(doc.replace("REF", ref)) == []


def test_take_the_form_pointing_at_the_wrong_equations_gets_the_proved_fix() -> None:
    found = sc104(FIT.replace("REF", "(1) to (2)"))
    assert len(found) == 1
    line, message, fixes = found[0]
    assert line == 15
    assert "(1) is not the same condition as (4)" in message
    assert fixes == ("equations (2) to (3)",)


def test_set_to_zero_pointing_at_a_definition_gets_the_shifted_fix() -> None:
    found = sc104(MIN.replace("REF", "(1)"))
    assert [(line, fixes) for line, _, fixes in found] == [(9, ("(2)",))]
    assert "(1) defines f" in found[0][1]


def test_reference_to_an_identity_set_to_zero_is_refuted() -> None:
    doc = r"""Expanding,

$$(x + 1)^2 = x^2 + 2 x + 1 \tag{1}$$

and setting equation (1) to zero is meaningless.
"""
    found = sc104(doc)
    assert len(found) == 1 and "(1) holds identically (proved above)" in found[0][1]
    assert found[0][2] == ()  # no other equation to point at: no fix


def test_rewritten_as_an_expression_that_is_no_side_of_the_equation() -> None:
    doc = r"""Let

$$g = a b + a c \tag{1}$$

$$h = a c - a b \tag{2}$$

so that (1) can be rewritten as

$$a (b - c)$$
"""
    found = sc104(doc)
    assert len(found) == 1 and "neither side of (1) nor their difference" in found[0][1]
    assert sc104(doc.replace("(b - c)", "(b + c)")) == []


def test_dangling_references() -> None:
    doc = MIN.replace("REF", "(2)") + "\nAs (7) shows, and by \\eqref{eq:none}, this is the minimum.\n"
    found = sc104(doc)
    assert [line for line, _, _ in found] == [11, 11]
    assert "(7) is not the label of any equation" in found[0][1]
    assert "'eq:none'" in found[1][1]


def test_a_wrong_reference_fails_the_run() -> None:
    result = check_text(MIN.replace("REF", "(1)"), "notes.md", CheckOptions(timeout=5.0))
    assert cli.exit_code([result], strict=False, io_error=False) == 1
    assert result.counts()["refuted"] == 0  # a reference is not a relation
    assert cli.exit_code([check_text(MIN.replace("REF", "(2)"), "notes.md", CheckOptions(timeout=5.0))],
                         strict=False, io_error=False) == 0


@pytest.mark.parametrize("doc", [
    # a condition written with a factor: equivalent, but not proved by the engine, so not refuted
    FIT.replace("REF", "(2) to (3)").replace(r"\sum_{i=1}^{n} (y_i", r"2 \sum_{i=1}^{n} (y_i"),
    # a display the engine cannot read
    FIT.replace("REF", "(2) to (3)").replace(r"\sum_{i=1}^{n} (y_i - c - m x_i) = 0", r"\int_0^1 q(t) \, dt = 0"),
    # a sentence whose need is not understood
    MIN.replace("Setting REF to zero", "As in (1), one finds"),
    # numbers in parentheses in a document without any tags
    "Two cases (1) and (2) follow, and the item (a):\n\n$$y = 2 x$$\n\nas in (3).\n",
    # numbers in parentheses that name something else, in a document with tags
    MIN.replace("REF", "(2)") + "\nLayers carry an index in parentheses: (0) is the input layer, (4) the output.\n",
    # references inside code
    MIN.replace("REF", "(2)") + "\nSee `g(x) = 0 by (9)` and\n\n```\nsee (9)\n```\n",
    # "(1)" inside math, an enumeration at the start of a line
    MIN.replace("Setting REF to zero", "With $g(1) = 0$,\n(3) first, setting (2) to zero").replace("(x - 3)^2 \\tag{1}",
                                                                                              "(x - 3)^2 \\tag{1}"),
])
def test_what_cannot_be_decided_is_not_refuted(doc: str) -> None:
    assert sc104(doc) == []


def test_latex_auto_numbering_is_not_guessed() -> None:
    doc = r"""\documentclass{article}
\begin{document}
\begin{equation}
f = (x - 3)^2 \label{eq:f}
\end{equation}
\begin{equation}
\frac{d f}{d x} = 2 (x - 3) \label{eq:df}
\end{equation}
Setting (1) to zero, or \eqref{eq:df} to zero, gives the minimum; see also (5).
\end{document}
"""
    assert sc104(doc, "notes.tex") == []
    found = sc104(doc.replace(r"\eqref{eq:df}", r"\eqref{eq:f}"), "notes.tex")
    assert len(found) == 1 and "defines f" in found[0][1]


def test_rst_labels_and_eq_roles() -> None:
    doc = """The cost is

.. math::
   :label: cost

   f = (x - 3)^2

and its derivative is

.. math::
   :label: grad

   \\frac{d f}{d x} = 2 (x - 3)

Setting :eq:`REF` to zero gives the minimum.
"""
    assert sc104(doc.replace("REF", "grad"), "notes.rst") == []
    found = sc104(doc.replace("REF", "cost"), "notes.rst")
    assert len(found) == 1 and "'cost' defines f" in found[0][1]
    found = sc104(doc.replace("REF", "gard"), "notes.rst")
    assert len(found) == 1 and "'gard' is not the label of any equation" in found[0][1]


def test_references_are_read_with_their_ranges_and_lists() -> None:
    from symcheck import document

    text = ("$$a = 1 \\tag{1}$$\n\nBy equations (1) to (3) and by Eq. 4; eqs. (5)-(6) and (7), (8) and\n(9), "
            "and f(2) or (see below) or (a).\n")
    refs = xrefs.references(document.read_document("x.md", text))
    assert [(r.text.replace("\n", " "), r.targets()) for r in refs] == [
        ("equations (1) to (3)", ["1", "2", "3"]), ("Eq. 4", ["4"]), ("eqs. (5)-(6) and (7), (8) and (9)",
                                                                      ["5", "6", "7", "8", "9"])]
    for r in refs:
        assert text[r.span.start:r.span.end] == r.text  # located in the original file


def test_a_failure_inside_the_stage_is_located_and_the_rest_still_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(self: object, ref: object, path: str) -> list:
        raise ValueError("bug")

    monkeypatch.setattr(xrefs.Checker, "check", boom)
    text = MIN.replace("REF", "(1)")
    result = check_text(text, "notes.md", CheckOptions(timeout=5.0))
    errors = [d for d in result.diagnostics if d.code == "SC900"]
    assert len(errors) == 1 and LineIndex(text).position(errors[0].span.start)[0] == 9
    assert any(d.code == "SC000" for d in result.diagnostics)  # the verdicts stand


def test_same_input_same_output() -> None:
    text = FIT.replace("REF", "(1) to (2)")
    a = check_text(text, "n.md", CheckOptions(timeout=5.0))
    b = check_text(text, "n.md", CheckOptions(timeout=5.0))
    assert [d for d in a.diagnostics if d.code == "SC104"] == [d for d in b.diagnostics if d.code == "SC104"] != []


def test_corrected_document_carries_the_proved_reference() -> None:
    from symcheck.report import corrected

    text = MIN.replace("REF", "(1)")
    fixed = corrected.render(check_text(text, "notes.md", CheckOptions(timeout=5.0)))
    assert "Setting (2) to zero" in fixed and "Setting (1) to zero" not in fixed
    assert sc104(fixed.split("## Changes made by symcheck")[0]) == []


# -- the equations a wrong reference should point at, numbered or not ----------
TWO_LAYER = r"""The model and its residual are

$$z_i = u_0 v + u_1 v x_i \tag{1}$$

$$d_i = z_i - y_i \tag{2}$$

with the cost

$$C = \frac{1}{2} \sum_{i=1}^{n} (z_i - y_i)^2$$

and its gradients

$$\frac{\partial C}{\partial u_0} = v \sum_{i=1}^{n} d_i TAG_A$$

$$\frac{\partial C}{\partial u_1} = v \sum_{i=1}^{n} x_i d_i TAG_B$$

Holding $v$ fixed, equations REF reduce to the conditions

$$\sum_{i=1}^{n} d_i = 0 \tag{5}$$

$$\sum_{i=1}^{n} x_i d_i = 0 \tag{6}$$

Then REW can be rewritten as

$$EXPR \tag{7}$$

and so on.

$$\frac{\partial C}{\partial v} = \sum_{i=1}^{n} (u_0 + u_1 x_i) d_i TAG_C$$
"""
GOOD_EXPR = r"u_0 \sum_{i=1}^{n} d_i + u_1 \sum_{i=1}^{n} x_i d_i"


def _two_layer(ref: str = "(1) to (2)", rew: str = "(2)", expr: str = GOOD_EXPR, tags: str = "") -> str:
    text = TWO_LAYER.replace("REF", ref).replace("REW", rew).replace("EXPR", expr)
    for name, tag in zip(("TAG_A", "TAG_B", "TAG_C"), tags.split() if tags else ("", "", "")):
        text = text.replace(name, f"\\tag{{{tag}}}" if tag != "-" else "")
    return text


def test_equations_that_reduce_to_the_conditions_are_found_where_they_carry_no_number() -> None:
    found = sc104(_two_layer())
    line, message, fixes = found[0]
    # unnumbered equations are named by their left sides
    assert line == 17 and fixes == (r"the equations for $\frac{\partial C}{\partial u_0}$ to "
                                    r"$\frac{\partial C}{\partial u_1}$",)
    assert "should point at equations that, set to zero, reduce to the conditions (5) and (6)" in message
    assert "(1) defines z; (2) defines d" in message
    assert "the equations that reduce to them are at lines 13–15" in message
    assert "each is v times one of them" in message and "which carry no number" in message


def test_equations_that_reduce_to_the_conditions_are_offered_when_numbered() -> None:
    found = sc104(_two_layer(tags="3 4 -"))
    assert found[0][2] == ("equations (3) to (4)",)
    assert not [f for f in sc104(_two_layer(ref="(3) to (4)", tags="3 4 -")) if f[0] == 17]


def test_a_reference_does_not_reduce_to_itself() -> None:
    found = sc104(_two_layer(ref="(5) to (6)"))
    assert "(5) and (6) are the conditions the sentence reduces to" in found[0][1]


def test_a_factor_that_may_vanish_is_no_reduction() -> None:
    text = _two_layer().replace("u_0 v + u_1 v x_i", "u_0 (v + 1) + u_1 v x_i").replace(
        r"\frac{\partial C}{\partial u_0} = v \sum", r"\frac{\partial C}{\partial u_0} = (v + 1) \sum")
    message = sc104(text)[0][1]
    assert "(1) defines z" in message and "reduce to them are" not in message


def test_the_equation_that_can_be_rewritten_as_the_expression_is_found() -> None:
    found = [f for f in sc104(_two_layer(ref="(3) to (4)", tags="3 4 -")) if f[0] == 23]
    assert len(found) == 1
    _, message, fixes = found[0]
    assert "neither side of (2) nor their difference is the expression (7)" in message
    assert "the equation that can be rewritten as (7) is at line 29" in message
    assert fixes == (r"the equation for $\frac{\partial C}{\partial v}$",)
    numbered = [f for f in sc104(_two_layer(ref="(3) to (4)", tags="3 4 8")) if f[0] == 23]
    assert numbered[0][2] == ("(8)",)
    # an expression no relation of the document equals: nothing is pointed at
    wrong = [f for f in sc104(_two_layer(ref="(3) to (4)", tags="3 4 -", expr=GOOD_EXPR.replace("u_0", "2 u_0")))
             if f[0] == 23]
    assert "can be rewritten as" not in wrong[0][1]


def test_reduce_to_a_display_and_rewrite_before_the_reference_are_read() -> None:
    """"equations (1) to (2) reduce to $$…$$" and "we can rewrite (2) as $$…$$": the same
    needs as "reduce to the conditions" and "(2) can be rewritten as"."""
    text = _two_layer().replace("reduce to the conditions", "reduce to").replace(
        "Then (2) can be rewritten as", "Then we can rewrite (2) as")
    found = sc104(text)
    assert [f[2] for f in found if f[0] == 17] == [(r"the equations for $\frac{\partial C}{\partial u_0}$ to "
                                                    r"$\frac{\partial C}{\partial u_1}$",)]
    assert [f[2] for f in found if f[0] == 23] == [(r"the equation for $\frac{\partial C}{\partial v}$",)]
    # the right references raise nothing
    good = _two_layer(ref="(3) to (4)", rew="(8)", tags="3 4 8").replace("reduce to the conditions", "reduce to")
    assert not [f for f in sc104(good.replace("Then (8) can be rewritten as", "Then we can rewrite (8) as"))
                if f[0] in (17, 23)]
