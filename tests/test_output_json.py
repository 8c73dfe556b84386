"""JSON report: golden file, fixed shape, and agreement with the text report's positions."""
from __future__ import annotations

import json

import pytest

from symcheck.diagnostics import RULES
from symcheck.output import json_out
from symcheck.results import verdict_of

DIAG_KEYS = {
    "code", "name", "level", "verdict", "message", "line", "column", "end_line", "end_column",
    "start", "end", "lhs", "rhs", "evidence", "counterexample", "fixes", "label",
}


@pytest.mark.golden
def test_golden(sample_results, golden):
    golden("output/report.json", json_out.render(sample_results, version="0.0.0-test"))


def test_shape(sample_results):
    doc = json.loads(json_out.render(sample_results, version="v"))
    assert set(doc) == {"version", "format_version", "files", "totals"}
    assert doc["version"] == "v"
    assert [f["path"] for f in doc["files"]] == ["notes/calculus.md", "notes/week 2/matrix.tex", "notes/broken.rst"]
    for f in doc["files"]:
        assert set(f) == {"path", "error", "counts", "diagnostics"}
        for d in f["diagnostics"]:
            assert set(d) == DIAG_KEYS
            assert d["name"] == RULES[d["code"]].name and d["level"] == RULES[d["code"]].level
            assert d["verdict"] == verdict_of(d["code"])
    broken = doc["files"][2]
    assert broken["error"].startswith("not valid UTF-8") and broken["diagnostics"] == []
    assert doc["totals"] == {"definition": 1, "proved": 1, "verified": 1, "refuted": 2, "undecided": 2}


def test_fields_of_a_refutation(sample_results):
    doc = json.loads(json_out.render(sample_results, version="v"))
    d = next(d for d in doc["files"][0]["diagnostics"] if d["code"] == "SC100")
    assert (d["line"], d["column"]) == (7, 3)
    assert d["counterexample"] == {"x": "1", "lhs": "2e", "rhs": "e"}
    assert d["fixes"][0]["latex"] == "\\frac{d}{dx}(x e^x) = (x + 1) e^x"
    assert d["fixes"][0]["line"] == 7
    text = sample_results[0].text
    assert text[d["start"]:d["end"]] == "\\frac{d}{dx}(x e^x) = e^x"


def test_sorted_keys_and_non_ascii_kept(sample_results):
    out = json_out.render(sample_results, version="v")
    assert out == json.dumps(json.loads(out), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert "α" in out and "3×2" in out


def test_diagnostics_sorted_even_if_given_out_of_order(sample_results):
    doc = json.loads(json_out.render(sample_results, version="v"))
    codes = [d["code"] for d in doc["files"][1]["diagnostics"]]
    assert codes == ["SC101", "SC203", "SC301"]
