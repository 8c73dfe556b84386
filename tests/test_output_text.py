"""Text report: golden file plus the properties the golden file cannot explain."""
from __future__ import annotations

import pytest

from symcheck.diagnostics import Diagnostic
from symcheck.output import region_of, text
from symcheck.results import FileResult
from symcheck.source import LineIndex, Span


@pytest.mark.golden
def test_golden(sample_results, golden):
    golden("output/report.txt", text.render(sample_results))


@pytest.mark.golden
def test_golden_quiet(sample_results, golden):
    golden("output/report-quiet.txt", text.render(sample_results, quiet=True))


def test_head_line_points_at_source(sample_results):
    out = text.render(sample_results)
    # "\frac{d}{dx}(x e^x) = e^x" sits on line 7, after "$$"
    assert "notes/calculus.md:7:3: SC100 the sides differ" in out
    assert "  counterexample: x = 1, lhs = 2e, rhs = e" in out
    assert "  fix: \\frac{d}{dx}(x e^x) = (x + 1) e^x  (add the missing term)" in out
    assert "  stated: (AB)^T = A^T B^T" in out


def test_summaries_and_total(sample_results):
    lines = text.render(sample_results).splitlines()
    assert ("notes/calculus.md: 5 relations: 1 definition, 1 proved, 1 verified, "
            "1 refuted, 1 undecided") in lines
    assert lines[-1] == ("total: 2 files (1 unreadable), 7 relations: 1 definition, 1 proved, "
                         "1 verified, 2 refuted, 2 undecided")
    assert not any("broken.rst" in line for line in lines)


def test_quiet_keeps_only_problems(sample_results):
    out = text.render(sample_results, quiet=True)
    assert "SC001" not in out and "SC002" not in out and "SC304" not in out and "SC301" not in out
    assert "SC100" in out and "SC203" in out and "SC306" in out
    assert "notes/calculus.md: " not in out  # no per-file summary
    assert out.splitlines()[-1].startswith("total: ")


def test_diagnostics_resorted_by_position():
    body = "a = b\nc = d\n"
    diags = (Diagnostic("SC100", "second", Span(6, 11)), Diagnostic("SC001", "first", Span(0, 5)))
    out = text.render([FileResult("x.md", body, diags)]).splitlines()
    assert out[0].startswith("x.md:1:1: SC001") and out[1].startswith("x.md:2:1: SC100")


def test_multiline_fields_stay_on_one_line():
    d = Diagnostic("SC100", "bad\nnews", Span(0, 1), lhs="a +\n  b", rhs="c")
    out = text.render([FileResult("x.md", "a\n", (d,))])
    assert "x.md:1:1: SC100 bad news\n  stated: a + b = c\n" in out


def test_empty_input_still_has_total():
    assert text.render([]) == ("total: 0 files, 0 relations: 0 definitions, 0 proved, 0 verified, "
                               "0 refuted, 0 undecided\n")


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        (Span(0, 3), (1, 1, 1, 4)),  # "abc": end column is exclusive
        (Span(0, 4), (1, 1, 1, 5)),  # includes the newline: stays on line 1
        (Span(4, 6), (2, 1, 2, 3)),
        (Span(5, 5), (2, 2, 2, 2)),  # empty span: an insertion point
        (Span(2, 6), (1, 3, 2, 3)),
    ],
)
def test_region_of(span, expected):
    reg = region_of(LineIndex("abc\ndef\n"), span)
    assert (reg.line, reg.column, reg.end_line, reg.end_column) == expected


def test_values_of_a_proved_number_are_not_called_a_counterexample():
    text_in = "x = 1\n"
    proved = Diagnostic("SC001", "proved: the value is 0.5 at the worked example's values", Span(0, 5), "a.md",
                        lhs="y", rhs="0.5", counterexample=(("x", "1"),))
    refuted = Diagnostic("SC100", "refuted", Span(0, 5), "a.md", lhs="y", rhs="0.6", counterexample=(("x", "1"),))
    out = text.render([FileResult("a.md", text_in, (proved,)), FileResult("b.md", text_in, (refuted,))])
    assert "  at: x = 1" in out and out.count("counterexample:") == 1
