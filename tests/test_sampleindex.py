"""Per-sample claims with a free index i, proved for every number of samples n.

The model is the two-layer one of the seeds, at four samples (test_samplerows.py's).
The route (``Decider.per_index``) is run on each claim directly, bypassing the
concrete checks, so a wrong claim that the evaluation at the document's size refutes
first still has to be turned down here.  End to end, the verdict says "for every
number of samples" only when the route proved it: a claim true at the document's four
samples only is proved there, and no more.
"""
from __future__ import annotations

import time

import pytest

from symcheck import document
from symcheck.decide import Decider
from symcheck.pipeline import CheckOptions, build_context, check_text
from tests.test_samplerows import MODEL, N, _grid

ZI = "z_i^{pred}"
EXPANSION = "v_0 + v_1 y_{i1} + v_2 y_{i2}"
INPUTS = "v_0 + v_1 (u_{01} + u_{11} x_{i1} + u_{21} x_{i2}) + v_2 (u_{02} + u_{12} x_{i1} + u_{22} x_{i2})"
DZU = "\\frac{\\partial z_i^{pred}}{\\partial \\mathbf{u}}"
DZV = "\\frac{\\partial z_i^{pred}}{\\partial \\mathbf{v}}"
GRAD_U = _grid(["v_1 & v_2", "v_1 x_{i1} & v_2 x_{i1}", "v_1 x_{i2} & v_2 x_{i2}"])
# zero at each of the document's samples i = 1..4, not at a fifth
VANISHING = "".join(f"(x_{{i1}} - x_{{{k}1}})" for k in range(1, N + 1))
# sums over the samples, hidden in a definition: with the size, and written out
SUMMED = "$$s = \\sum_{j=1}^{n} d_j$$\n\n"
# numbers for each sample, no entry of its own: nothing says what a fifth sample's is
FLAGS = f"$$\\mathbf{{c}} = {_grid(['1'] * N)}$$\n\n"
WRITTEN = "$$m = " + " + ".join(f"d_{k}" for k in range(1, N + 1)) + "$$\n\n"

ROUTE = [
    # (name, model, claim, proved for every n by the route)
    ("the prediction through the hidden units", MODEL, f"{ZI} = {EXPANSION}", True),
    ("the prediction in the inputs", MODEL, f"{ZI} = {INPUTS}", True),
    ("the chain's next step", MODEL, f"{EXPANSION} = {INPUTS}", True),
    ("the claim on the left", MODEL, f"{INPUTS} = {ZI}", True),
    ("the residual", MODEL, f"d_i = {ZI} - z_i^{{reality}}", True),
    ("one derivative", MODEL, "\\frac{\\partial z_i^{pred}}{\\partial u_{21}} = v_1 x_{i2}", True),
    ("the derivative by a matrix", MODEL, f"{DZU} = {GRAD_U}", True),
    ("the derivative by a vector", MODEL, f"{DZV} = {_grid(['1', 'y_{i1}', 'y_{i2}'])}", True),
    ("wrong index", MODEL, f"{ZI} = v_0 + v_1 y_{{i2}} + v_2 y_{{i1}}", False),
    ("wrong index in a derivative", MODEL, "\\frac{\\partial z_i^{pred}}{\\partial u_{21}} = v_1 x_{i1}", False),
    ("wrong entry in the matrix", MODEL,
     f"{DZU} = {_grid(['v_1 & v_2', 'v_1 x_{i1} & v_2 x_{i2}', 'v_1 x_{i2} & v_2 x_{i2}'])}", False),
    ("another sample's entry", MODEL, f"{ZI} = v_0 + v_1 y_{{11}} + v_2 y_{{i2}}", False),
    ("another sample's entries, vanishing at the document's samples", MODEL,
     f"{ZI} + {VANISHING} = {EXPANSION}", False),
    ("the index as a number", MODEL, f"{ZI} + (i - 1)(i - 2)(i - 3)(i - 4) = {EXPANSION}", False),
    ("a size in the formula", MODEL, f"{ZI} + (n - 4) v_1 = {EXPANSION}", False),
    ("the document's number of samples", MODEL, f"{ZI} = v_0 + v_1 y_{{i1}} + \\frac{{4}}{{n}} v_2 y_{{i2}}", False),
    ("a sum over the samples hidden in a definition", MODEL + SUMMED, f"d_i + s = {ZI} - z_i^{{reality}} + s", False),
    ("a written-out sum over the samples hidden in a definition", MODEL + WRITTEN,
     f"d_i + m = {ZI} - z_i^{{reality}} + m", False),
    ("a sum inside the claim", MODEL,
     f"{ZI} + \\sum_{{j=1}}^{{4}} (x_{{i1}} - x_{{j1}}) = {EXPANSION} + 4 x_{{i1}} - \\sum_{{j=1}}^{{4}} x_{{j1}}", False),
    ("numbers without entries of the sample's own", MODEL + FLAGS, "c_i^2 = c_i", False),
    ("by one sample's own entry", MODEL,
     "\\frac{\\partial z_i^{pred}}{\\partial x_{11}} = v_1 u_{11} + v_2 u_{12}", False),
]


def _route(doc_text: str, claim: str) -> str | None:
    text = doc_text + f"$${claim}$$\n"
    doc = document.read_document("doc.md", text)
    ctx = build_context(doc, [], "doc.md")
    claims = [s for s in ctx.statements if s.role == "claim"]
    assert claims[-1].relation.span.start >= len(doc_text)  # the claim under test, read as a claim
    decider = Decider(ctx, 20.0)
    for earlier in claims:  # in the document's order: the entry-wise gradient's sum binds n
        insts, _ = decider.instances(earlier)
    return decider.per_index(claims[-1], insts, time.monotonic() + 20.0)


@pytest.mark.parametrize("name, doc_text, claim, expected", ROUTE, ids=[r[0] for r in ROUTE])
def test_the_route_proves_only_true_per_sample_claims(name: str, doc_text: str, claim: str,
                                                      expected: bool) -> None:
    assert (_route(doc_text, claim) is not None) is expected


def _last_verdict(text: str, start: int) -> tuple[str, str]:
    res = check_text(text, "doc.md", CheckOptions(timeout=20.0, fixes=False))
    d = max((d for d in res.diagnostics if d.code in ("SC001", "SC002", "SC100", "SC101", "SC202")),
            key=lambda d: d.span.start)
    assert d.span.start >= start  # the verdict on the claim under test
    return d.code, d.message


END_TO_END = [
    # (model, claim, code, says "for every number of samples")
    (MODEL, f"{ZI} = {EXPANSION}", "SC001", True),
    (MODEL, f"{DZU} = {GRAD_U}", "SC001", True),
    (MODEL, f"{ZI} = v_0 + v_1 y_{{i2}} + v_2 y_{{i1}}", "SC100", False),
    # true at the document's four samples only: proved there, and no more
    (MODEL, f"{ZI} + {VANISHING} = {EXPANSION}", "SC001", False),
    (MODEL, f"{ZI} + (i - 1)(i - 2)(i - 3)(i - 4) = {EXPANSION}", "SC001", False),
    (MODEL, f"{ZI} + (n - 4) v_1 = {EXPANSION}", "SC001", False),
    (MODEL + FLAGS, "c_i^2 = c_i", "SC001", False),
]


@pytest.mark.parametrize("model, claim, code, every_n", END_TO_END)
def test_the_verdict_says_for_every_n_only_when_proved(model: str, claim: str, code: str, every_n: bool) -> None:
    got, message = _last_verdict(model + f"$${claim}$$\n", len(model))
    assert got == code
    assert ("for every number of samples" in message) is every_n
    if code == "SC001":
        assert "at the document's sizes (n = 4) at every index value (i in 1..4)" in message


def test_same_input_same_output() -> None:
    text = MODEL + f"$${DZU} = {GRAD_U}$$\n"
    runs = {repr(check_text(text, "doc.md", CheckOptions(timeout=20.0, fixes=False)).diagnostics) for _ in range(2)}
    assert len(runs) == 1
