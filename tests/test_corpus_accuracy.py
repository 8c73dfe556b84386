"""Structural checks of symcheck against the labelled corpus (``tests/corpus/``).

Accuracy *rates* belong in ``bench/accuracy.py`` (they move as the engine improves);
this test pins only what must hold whatever the rates are:

* every ground-truth relation gets exactly one verdict diagnostic on its line (the
  engine splits documents into relations the way the ground truth does), and
* no relation the ground truth marks true is refuted (a false alarm is the one error a
  checker for lecture notes must not make).

It reuses the matcher from ``bench/accuracy.py`` so the benchmark and the test cannot
drift apart, and runs three small documents in-process to stay well under 30 s.
"""
from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "corpus"


def _load_accuracy() -> ModuleType:
    """Import bench/accuracy.py by path: ``bench`` is a folder of scripts, not a package."""
    spec = importlib.util.spec_from_file_location("symcheck_bench_accuracy", REPO / "bench" / "accuracy.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


accuracy = _load_accuracy()

# Small documents (each checks in well under a second) covering Markdown and LaTeX,
# chains, aligned continuation rows, several relations on one line, numbers and matrices.
DOCUMENTS = ["01-linreg-mse-gradient.md", "11-sigmoid-values.md", "08-matrix-identities.tex"]


@pytest.fixture(scope="module")
def reports() -> dict[str, "accuracy.DocReport"]:
    return {name: accuracy.evaluate(CORPUS / name, timeout=5.0) for name in DOCUMENTS}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_relation_has_exactly_one_verdict_on_its_line(reports: dict, name: str) -> None:
    report = reports[name]
    text = (CORPUS / name).read_text(encoding="utf-8")
    relations = json.loads(accuracy.truth_path(CORPUS / name).read_text(encoding="utf-8"))["relations"]
    expected = Counter(int(r["line"]) for r in relations)
    # recompute the per-line verdicts from the raw diagnostics, independently of the pairing
    from symcheck.pipeline import CheckOptions, check_text  # noqa: PLC0415

    result = check_text(text, name, CheckOptions(timeout=5.0, fixes=False))
    by_line = accuracy.verdicts_by_line(text, result.diagnostics)
    wrong = {line: (n, len(by_line.get(line, []))) for line, n in expected.items() if len(by_line.get(line, [])) != n}
    assert not wrong, f"{name}: line -> (relations in ground truth, verdicts on that line): {wrong}"
    assert all(p.verdict is not None for p in report.pairs)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_true_relation_is_refuted(reports: dict, name: str) -> None:
    alarms = [(p.line, p.text, p.verdict.message) for p in reports[name].pairs
              if p.truth == "true" and p.verdict is not None and p.verdict.verdict == "refuted"]
    assert not alarms, f"{name}: true relations refuted: {alarms}"


def test_matcher_pairs_in_column_order() -> None:
    """Two relations on one line pair with the two verdicts on it, left to right."""
    from symcheck.diagnostics import Diagnostic  # noqa: PLC0415
    from symcheck.source import Span  # noqa: PLC0415

    text = "intro\n$a = 1$ and $b = 2$ and $c \\in R$\n"
    first = text.index("a = 1")
    second = text.index("b = 2")
    decl = text.index("c \\in R")
    diags = [Diagnostic("SC100", "refuted", Span(second, second + 5)),
             Diagnostic("SC001", "proved", Span(first, first + 5)),
             Diagnostic("SC000", "definition", Span(decl, decl + 7))]
    rels = [{"line": 2, "text": "a = 1", "truth": "true"}, {"line": 2, "text": "b = 2", "truth": "false"}]
    pairs, extra = accuracy.match(text, diags, rels)
    assert [p.verdict.verdict for p in pairs] == ["proved", "refuted"]
    assert extra == []  # the \in declaration is not an = relation
