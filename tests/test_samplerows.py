"""Matrix gradients of sums over samples, proved for every number of samples n.

The model is the two-layer one of the seeds, at four samples: X = [1, X_0] and the
residuals d one row per sample.  The route (``Decider.sample_rows``) is run on each
claim directly, bypassing the concrete checks, so a wrong claim that the evaluation
at the document's size refutes first still has to be turned down here.  End to end,
the verdict says "for every number of samples" only when the route proved it.
"""
from __future__ import annotations

import time

import pytest

from symcheck import document
from symcheck.decide import Decider
from symcheck.pipeline import CheckOptions, build_context, check_text

N = 4  # samples: X is N × 3, never square


def _grid(rows: list[str]) -> str:
    return "\\begin{bmatrix} " + " \\\\ ".join(rows) + " \\end{bmatrix}"


MODEL = (
    f"$$\\mathbf{{X}}_0 = {_grid([f'x_{{{i}1}} & x_{{{i}2}}' for i in range(1, N + 1)])}"
    f" \\quad \\mathbf{{X}} = {_grid([f'1 & x_{{{i}1}} & x_{{{i}2}}' for i in range(1, N + 1)])}"
    f" \\quad \\mathbf{{u}} = {_grid(['u_{01} & u_{02}', 'u_{11} & u_{12}', 'u_{21} & u_{22}'])}$$\n\n"
    f"$$\\mathbf{{Y}}_0 = \\mathbf{{X}}\\mathbf{{u}} = {_grid([f'y_{{{i}1}} & y_{{{i}2}}' for i in range(1, N + 1)])}"
    f" \\quad \\mathbf{{Y}} = {_grid([f'1 & y_{{{i}1}} & y_{{{i}2}}' for i in range(1, N + 1)])}"
    f" \\quad \\mathbf{{v}} = {_grid(['v_0', 'v_1', 'v_2'])}$$\n\n"
    f"$$\\mathbf{{z}}^{{pred}} = \\mathbf{{Y}}\\mathbf{{v}} = {_grid([f'z_{i}' for i in range(1, N + 1)])}$$\n\n"
    "$$C = \\frac{1}{2} \\sum_{i=1}^n (z_i^{reality} - z_i^{pred})^2$$\n\n"
    "$$d_i = -(z_i^{reality} - z_i^{pred})$$\n\n"
    f"$$\\mathbf{{d}} = {_grid([f'd_{i}' for i in range(1, N + 1)])}$$\n\n"
    # an entry-wise gradient first, as in the seeds: its sum tells the engine n = N
    "$$\\frac{\\partial C}{\\partial v_0} = \\sum_{i=1}^n d_i$$\n\n"
)
# the number of samples, hidden in a quantity the claim uses: S_{11} = 1^T 1 is N here, n in general
ONES = "$$\\mathbf{S} = \\mathbf{X}^T \\mathbf{X}$$\n\n"
# a residual centred on the mean of the samples: every row uses every sample
MEAN = f"$$\\mathbf{{e}} = {_grid([f'd_{i} - d_{i % N + 1}' for i in range(1, N + 1)])}$$\n\n"

DU = "\\frac{\\partial C}{\\partial \\mathbf{u}}"
DV = "\\frac{\\partial C}{\\partial \\mathbf{v}}"
V12 = "\\begin{bmatrix} v_1 & v_2 \\end{bmatrix}"

ROUTE = [
    # (name, model, claim, proved for every n by the route)
    ("first layer", MODEL, f"{DU} = \\mathbf{{X}}^T \\mathbf{{d}} {V12}", True),
    ("second layer", MODEL, f"{DV} = \\mathbf{{Y}}^T \\mathbf{{d}}", True),
    ("the claim on the left", MODEL, f"\\mathbf{{Y}}^T \\mathbf{{d}} = {DV}", True),
    ("transpose of the product", MODEL, f"{DV} = (\\mathbf{{d}}^T \\mathbf{{Y}})^T", True),
    ("a constant factor", MODEL, f"{DV} = \\frac{{1}}{{2}} \\mathbf{{Y}}^T (2 \\mathbf{{d}})", True),
    ("the residual written out", MODEL,
     f"{DV} = \\mathbf{{Y}}^T (\\mathbf{{Y}} \\mathbf{{v}} - \\mathbf{{z}}^{{pred}}) + \\mathbf{{Y}}^T \\mathbf{{d}}", True),
    ("an inline grid of the samples", MODEL,
     f"{DV} = \\mathbf{{Y}}^T {_grid([f'd_{i}' for i in range(1, N + 1)])}", True),
    ("dropped transpose", MODEL, f"{DV} = \\mathbf{{Y}} \\mathbf{{d}}", False),
    ("wrong factor order", MODEL, f"{DU} = {V12} \\mathbf{{X}}^T \\mathbf{{d}}", False),
    ("factors swapped inside", MODEL, f"{DU} = \\mathbf{{d}}^T \\mathbf{{X}} {V12}", False),
    ("wrong factor", MODEL, f"{DU} = \\mathbf{{Y}}^T \\mathbf{{d}} {V12}", False),
    ("wrong weights", MODEL, f"{DU} = \\mathbf{{X}}^T \\mathbf{{d}} \\begin{{bmatrix}} v_0 & v_1 \\end{{bmatrix}}", False),
    ("wrong sign", MODEL, f"{DV} = -\\mathbf{{Y}}^T \\mathbf{{d}}", False),
    ("a missing factor", MODEL, f"{DV} = 2 \\mathbf{{Y}}^T \\mathbf{{d}}", False),
    ("the size in a factor", MODEL, f"{DV} = \\frac{{4}}{{n}} \\mathbf{{Y}}^T \\mathbf{{d}}", False),
    ("the size as the document's number", MODEL + ONES,
     f"{DV} = \\frac{{S_{{11}}}}{{4}} \\mathbf{{Y}}^T \\mathbf{{d}}", False),
    ("every row uses every sample", MODEL + MEAN,
     f"{DV} = \\mathbf{{Y}}^T \\mathbf{{d}} + \\mathbf{{Y}}^T \\mathbf{{e}} - \\mathbf{{Y}}^T \\mathbf{{e}}", False),
    ("a product of two sums over the samples", MODEL,
     f"{DV} = \\mathbf{{Y}}^T \\mathbf{{d}} (\\mathbf{{d}}^T \\mathbf{{d}})", False),
    ("a matrix of samples by itself", MODEL, f"{DV} = \\mathbf{{d}}", False),
]


def _route(doc_text: str, claim: str) -> str | None:
    text = doc_text + f"$${claim}$$\n"
    doc = document.read_document("doc.md", text)
    ctx = build_context(doc, [], "doc.md")
    claims = [s for s in ctx.statements if s.role == "claim"]
    decider = Decider(ctx, 20.0)
    for earlier in claims:  # in the document's order: the entry-wise gradient's sum binds n
        insts, _ = decider.instances(earlier)
    st = claims[-1]
    return decider.sample_rows(st, insts, time.monotonic() + 20.0)


@pytest.mark.parametrize("name, doc_text, claim, expected", ROUTE, ids=[r[0] for r in ROUTE])
def test_the_route_proves_only_true_matrix_gradients(name: str, doc_text: str, claim: str,
                                                     expected: bool) -> None:
    assert (_route(doc_text, claim) is not None) is expected


def _last_verdict(text: str) -> tuple[str, str]:
    res = check_text(text, "doc.md", CheckOptions(timeout=20.0, fixes=False))
    d = max((d for d in res.diagnostics if d.code in ("SC001", "SC002", "SC100", "SC101", "SC202", "SC206")),
            key=lambda d: d.span.start)
    return d.code, d.message


END_TO_END = [
    # (model, claim, code, says "for every number of samples")
    (MODEL, f"{DU} = \\mathbf{{X}}^T \\mathbf{{d}} {V12}", "SC001", True),
    (MODEL, f"{DV} = \\mathbf{{Y}}^T \\mathbf{{d}}", "SC001", True),
    (MODEL, f"{DV} = \\mathbf{{Y}} \\mathbf{{d}}", "SC101", False),
    (MODEL, f"{DU} = \\mathbf{{d}}^T \\mathbf{{X}} {V12}", "SC101", False),
    (MODEL, f"{DU} = \\mathbf{{Y}}^T \\mathbf{{d}} {V12}", "SC100", False),
    # true at the document's four samples only: proved there, and no more
    (MODEL + ONES, f"{DV} = \\frac{{S_{{11}}}}{{4}} \\mathbf{{Y}}^T \\mathbf{{d}}", "SC001", False),
    (MODEL + MEAN, f"{DV} = \\mathbf{{Y}}^T \\mathbf{{d}} + \\mathbf{{Y}}^T \\mathbf{{e}} - \\mathbf{{Y}}^T \\mathbf{{e}}",
     "SC001", False),
]


@pytest.mark.parametrize("model, claim, code, every_n", END_TO_END)
def test_the_verdict_says_for_every_n_only_when_proved(model: str, claim: str, code: str, every_n: bool) -> None:
    got, message = _last_verdict(model + f"$${claim}$$\n")
    assert got == code
    assert ("for every number of samples" in message) is every_n
    if code == "SC001":
        assert "at the document's sizes (n = 4)" in message


def test_same_input_same_output() -> None:
    text = MODEL + f"$${DV} = \\mathbf{{Y}}^T \\mathbf{{d}}$$\n"
    runs = {repr(check_text(text, "doc.md", CheckOptions(timeout=20.0, fixes=False)).diagnostics) for _ in range(2)}
    assert len(runs) == 1
