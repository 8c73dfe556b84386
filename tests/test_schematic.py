"""Rows written with a function the document never names: ``a = f(Σ w a + b)`` claims
that some f fits, which is decided without knowing f (symcheck.schematic)."""
from __future__ import annotations

import pytest

from symcheck.pipeline import CheckOptions, check_text

OPTS = CheckOptions(timeout=10.0)
MODEL = "$$h = \\sigma(w_1 x_1 + w_2 x_2 + b)$$\n\n"


def _verdict(row: str, before: bool) -> object:
    text = (f"Each unit applies a function to its weighted input: $$h = {row}$$\n\n" + MODEL) if before \
        else (MODEL + f"so that $$h = {row}$$\n")
    res = check_text(text, "doc.md", OPTS)
    at = text.index(f"h = {row}")
    [d] = [d for d in res.diagnostics if d.span.start == at and d.code.startswith(("SC0", "SC1", "SC2"))]
    return d


@pytest.mark.parametrize("before", [True, False])
@pytest.mark.parametrize("row, code", [
    ("g(w_1 x_1 + w_2 x_2 + b)", "SC001"),      # g = σ fits
    ("g(w_2 x_2 + w_1 x_1 + b)", "SC001"),      # the same argument, reordered
    ("g(2 w_1 x_1 + 2 w_2 x_2 + 2 b)", "SC001"),  # g(t) = σ(t/2) fits too
    ("g(w_1 x_1 + w_2 x_1 + b)", "SC100"),      # a wrong index: h moves while the argument stays
    ("g(w_1 x_1 + b)", "SC100"),                # a dropped term
    ("g(w_1 x_1 + w_2 x_2)", "SC100"),          # the bias left out
])
def test_some_function_fits_or_none_does(row: str, code: str, before: bool) -> None:
    assert _verdict(row, before).code == code


def test_the_wrong_index_gets_a_proved_fix() -> None:
    d = _verdict("g(w_1 x_1 + w_2 x_1 + b)", True)
    assert any("w_1 x_1 + w_2 x_{2} + b" in f.latex.replace("w_{1}", "w_1").replace("x_{1}", "x_1")
               .replace("w_{2}", "w_2") and "proved" in f.description for f in d.fixes)
