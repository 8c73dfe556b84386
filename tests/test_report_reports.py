"""reports/ is current: committed files equal a fresh render of the cached results.

Running the engine on every derivation takes minutes, so staleness is checked in
two parts: (a) the renderer, a pure function, reproduces every committed .tex and
corrected file byte for byte from ``reports/<stem>.results.json`` and the document
(whose SHA-256 the cache pins); (b) for the two fast documents, the cached results
equal a fresh engine run.  (b) depends on the engine's current verdicts; set
SYMCHECK_SKIP_ENGINE_TESTS=1 to skip it.  Regenerate with scripts/regenerate-reports.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from symcheck.report import build, pdf, store

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "reports"
DERIVATIONS = sorted((ROOT / "derivations").glob("*.md"))
FAST = ["linear-block-backward.md", "matrix-mse-gradient.md"]
REGENERATE = "run: python -m symcheck report derivations/ --out reports/"


def _cached(stem: str):
    data = (REPORTS / f"{stem}.results.json").read_text("utf-8")
    rel = json.loads(data)["path"]
    text = (ROOT / rel).read_text("utf-8")
    return store.loads(data, text)


@pytest.mark.parametrize("doc", DERIVATIONS, ids=lambda p: p.name)
def test_committed_reports_match_render_of_cached_results(doc):
    stem = doc.stem
    assert (REPORTS / f"{stem}.results.json").exists(), f"no report for {doc.name}; {REGENERATE}"
    try:
        result = _cached(stem)
    except ValueError as exc:
        pytest.fail(f"{exc}; {REGENERATE}")
    for name, text in build.outputs(result).items():
        committed = REPORTS / name
        assert committed.exists(), f"missing {committed}; {REGENERATE}"
        assert committed.read_bytes() == text.encode("utf-8"), f"{name} is stale; {REGENERATE}"


def test_no_orphan_reports():
    stems = {d.stem for d in DERIVATIONS}
    orphans = [p.name for p in REPORTS.iterdir() if p.name.split(".")[0] not in stems]
    assert orphans == []


@pytest.mark.skipif(os.environ.get("SYMCHECK_SKIP_ENGINE_TESTS") == "1", reason="SYMCHECK_SKIP_ENGINE_TESTS=1")
@pytest.mark.parametrize("name", FAST)
def test_cached_results_match_fresh_engine_run(name, monkeypatch):
    from symcheck.pipeline import CheckOptions, check_file

    monkeypatch.chdir(ROOT)
    fresh = check_file(f"derivations/{name}", CheckOptions())
    cached = (REPORTS / f"{Path(name).stem}.results.json").read_text("utf-8")
    assert store.dumps(fresh) == cached, f"engine verdicts changed for {name}; {REGENERATE}"


def test_results_round_trip():
    result = _cached("matrix-mse-gradient")
    assert store.loads(store.dumps(result), result.text) == result
    with pytest.raises(ValueError, match="changed"):
        store.loads(store.dumps(result), result.text + " ")


@pytest.mark.skipif(pdf.find_engine() is None, reason="no TeX engine (latexmk/pdflatex); .ci/run installs texlive")
@pytest.mark.parametrize("doc", DERIVATIONS, ids=lambda p: p.name)
def test_every_derivation_report_compiles(doc, tmp_path):
    tex = (REPORTS / f"{doc.stem}.tex").read_text("utf-8")
    res = pdf.build(tex, tmp_path / "r.pdf")
    assert res.status == "built", res.detail
