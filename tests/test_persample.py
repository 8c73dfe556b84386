"""Gradients of sums over samples, proved for every number of samples n.

Two layers of rows.  The route itself (``Decider.per_sample``) is run on each claim
directly, bypassing the concrete checks, so a wrong claim that the evaluation at the
document's size would refute first still has to be turned down here.  End to end,
the verdict says "for every number of samples" only when the route proved it.
"""
from __future__ import annotations

import time

import pytest

from symcheck import document
from symcheck.decide import Decider
from symcheck.pipeline import CheckOptions, build_context, check_text
from symcheck.source import LineIndex

MODEL = (
    "$$\\mathbf{X} = \\begin{bmatrix} x_{11} & x_{12} \\\\ x_{21} & x_{22} \\\\ x_{31} & x_{32} \\end{bmatrix}"
    " \\quad \\mathbf{w} = \\begin{bmatrix} w_1 \\\\ w_2 \\end{bmatrix}$$\n\n"
    "$$\\mathbf{z} = \\mathbf{X}\\mathbf{w}$$\n\n"
    "$$\\mathbf{c} = \\begin{bmatrix} 1 \\\\ -1 \\\\ 0 \\end{bmatrix}$$\n\n"
)
HALF = "$$C = \\frac{1}{2} \\sum_{i=1}^{n} (t_i - z_i)^2$$\n\n"
MEAN = "$$C = \\frac{1}{2n} \\sum_{i=1}^{n} (t_i - z_i)^2$$\n\n"
INSIDE = "$$C = \\frac{1}{2} \\sum_{i=1}^{n} \\frac{(t_i - z_i)^2}{n}$$\n\n"
LOOSE = "$$C = \\frac{1}{2} \\sum_{i=1}^{n} (y_i - a x_i - b)^2$$\n\n"

# S_{11} = 1^T 1 is the number of samples: 3 here, n in general
ONES = (
    "$$\\mathbf{X} = \\begin{bmatrix} 1 & x_{11} \\\\ 1 & x_{21} \\\\ 1 & x_{31} \\end{bmatrix}$$\n\n"
    "$$\\mathbf{S} = \\mathbf{X}^T \\mathbf{X}$$\n\n"
    "$$C = \\frac{1}{2} \\sum_{i=1}^{n} \\frac{(t_i - w x_{i1})^2}{S_{11}}$$\n\n"
)
ONES_CLAIM = "\\frac{\\partial C}{\\partial w} = -\\frac{1}{3} \\sum_{i=1}^{n} x_{i1} (t_i - w x_{i1})"

ROUTE = [
    ("the number of samples hidden in a product", ONES, ONES_CLAIM, False),
    # (name, model + cost, claim, proved for every n by the route)
    ("first weight", MODEL + HALF, "\\frac{\\partial C}{\\partial w_1} = -\\sum_{i=1}^{n} x_{i1} (t_i - z_i)", True),
    ("second weight, other sign inside", MODEL + HALF,
     "\\frac{\\partial C}{\\partial w_2} = \\sum_{i=1}^{n} x_{i2} (z_i - t_i)", True),
    ("a constant factor outside the sum", MODEL + HALF,
     "\\frac{\\partial C}{\\partial w_1} = -\\frac{1}{2} \\sum_{i=1}^{n} 2 x_{i1} (t_i - z_i)", True),
    ("the claim on the left", MODEL + HALF,
     "\\sum_{k=1}^{n} x_{k1} (z_k - t_k) = \\frac{\\partial C}{\\partial w_1}", True),
    ("two sums", MODEL + HALF,
     "\\frac{\\partial C}{\\partial w_1} = \\sum_{i=1}^{n} x_{i1} z_i - \\sum_{i=1}^{n} x_{i1} t_i", True),
    ("free samples, symbolic n", LOOSE,
     "\\frac{\\partial C}{\\partial a} = -\\sum_{i=1}^{n} x_i (y_i - a x_i - b)", True),
    ("wrong index", MODEL + HALF, "\\frac{\\partial C}{\\partial w_1} = -\\sum_{i=1}^{n} x_{i2} (t_i - z_i)", False),
    ("missing factor", MODEL + HALF,
     "\\frac{\\partial C}{\\partial w_1} = -2 \\sum_{i=1}^{n} x_{i1} (t_i - z_i)", False),
    ("wrong lower bound", MODEL + HALF,
     "\\frac{\\partial C}{\\partial w_1} = -\\sum_{i=2}^{n} x_{i1} (t_i - z_i)", False),
    ("wrong upper bound", MODEL + HALF,
     "\\frac{\\partial C}{\\partial w_1} = -\\sum_{i=1}^{m} x_{i1} (t_i - z_i)", False),
    ("one sample's entry for every sample", MODEL + HALF,
     "\\frac{\\partial C}{\\partial w_1} = -\\sum_{i=1}^{n} x_{11} (t_i - z_i)", False),
    ("terms that cancel only over the document's samples", MODEL + HALF,
     "\\frac{\\partial C}{\\partial w_1} = \\sum_{i=1}^{n} (x_{i1} (z_i - t_i) + c_i)", False),
    ("the size in a factor outside the sum", MODEL + MEAN,
     "\\frac{\\partial C}{\\partial w_1} = -\\frac{1}{3} \\sum_{i=1}^{n} x_{i1} (t_i - z_i)", False),
    ("the size inside the term", MODEL + INSIDE,
     "\\frac{\\partial C}{\\partial w_1} = -\\sum_{i=1}^{n} \\frac{x_{i1} (t_i - z_i)}{3}", False),
    ("by one sample's own entry", MODEL + HALF,
     "\\frac{\\partial C}{\\partial x_{11}} = -\\sum_{i=1}^{n} w_1 (t_i - z_i)", False),
    ("a term outside the sums", MODEL + HALF,
     "\\frac{\\partial C}{\\partial w_1} = x_{11} w_1 - \\sum_{i=1}^{n} x_{i1} t_i", False),
    # "for any variable a": the weights and every sample's own entries x_{k1}, x_{k2}
    ("every variable", MODEL + HALF,
     "\\frac{\\partial C}{\\partial a} = -\\sum_{i=1}^{n} \\frac{\\partial z_i}{\\partial a} (t_i - z_i)", True),
    ("every variable, wrong sign", MODEL + HALF,
     "\\frac{\\partial C}{\\partial a} = \\sum_{i=1}^{n} \\frac{\\partial z_i}{\\partial a} (t_i - z_i)", False),
]


def _route(doc_text: str, claim: str) -> str | None:
    text = doc_text + f"$${claim}$$\n"
    doc = document.read_document("doc.md", text)
    ctx = build_context(doc, [], "doc.md")
    st = [s for s in ctx.statements if s.role == "claim"][-1]
    decider = Decider(ctx, 10.0)
    insts, _ = decider.instances(st)
    return decider.per_sample(st, insts, time.monotonic() + 10.0)


@pytest.mark.parametrize("name, doc_text, claim, expected", ROUTE, ids=[r[0] for r in ROUTE])
def test_the_route_proves_only_true_per_sample_gradients(name: str, doc_text: str, claim: str,
                                                         expected: bool) -> None:
    assert (_route(doc_text, claim) is not None) is expected


OWN_ENTRIES = [
    # (claim, proved at every sample's own entry x_{k1}, x_{k2} alone, the weights left out)
    ("\\frac{\\partial C}{\\partial a} = -\\sum_{i=1}^{n} \\frac{\\partial z_i}{\\partial a} (t_i - z_i)", True),
    ("\\frac{\\partial C}{\\partial a} = \\sum_{i=1}^{n} \\frac{\\partial z_i}{\\partial a} (t_i - z_i)", False),
    ("\\frac{\\partial C}{\\partial a} = -2 \\sum_{i=1}^{n} \\frac{\\partial z_i}{\\partial a} (t_i - z_i)", False),
    ("\\frac{\\partial C}{\\partial a} = -\\sum_{i=1}^{n} \\frac{\\partial z_i}{\\partial a} t_i", False),
]


@pytest.mark.parametrize("claim, expected", OWN_ENTRIES)
def test_one_samples_own_entry_is_proved_on_its_own(claim: str, expected: bool) -> None:
    text = MODEL + HALF + f"$${claim}$$\n"
    doc = document.read_document("doc.md", text)
    ctx = build_context(doc, [], "doc.md")
    st = [s for s in ctx.statements if s.role == "claim"][-1]
    decider = Decider(ctx, 10.0)
    insts, _ = decider.instances(st)
    own = [i for i in insts if any(v.name.startswith("x_") for v in i.generic.values())]
    assert len(own) == 6  # x_{k1}, x_{k2} for the three samples
    assert (decider.per_sample(st, own, time.monotonic() + 10.0) is not None) is expected


def _last_verdict(text: str) -> tuple[str, str]:
    res = check_text(text, "doc.md", CheckOptions(timeout=10.0, fixes=False))
    d = max((d for d in res.diagnostics if d.code in ("SC001", "SC002", "SC100", "SC101", "SC202")),
            key=lambda d: d.span.start)
    return d.code, d.message


END_TO_END = [
    # (document, code, says "for every number of samples")
    (MODEL + HALF + "$$\\frac{\\partial C}{\\partial w_1} = -\\sum_{i=1}^{n} x_{i1} (t_i - z_i)$$\n", "SC001", True),
    # true at the document's three samples only: proved there, and no more
    (MODEL + HALF + "$$\\frac{\\partial C}{\\partial w_1} = \\sum_{i=1}^{n} (x_{i1} (z_i - t_i) + c_i)$$\n",
     "SC001", False),
    (MODEL + MEAN + "$$\\frac{\\partial C}{\\partial w_1} = -\\frac{1}{3} \\sum_{i=1}^{n} x_{i1} (t_i - z_i)$$\n",
     "SC001", False),
    (MODEL + HALF + "$$\\frac{\\partial C}{\\partial w_1} = -\\sum_{i=1}^{n} x_{i2} (t_i - z_i)$$\n", "SC100", False),
    (ONES + f"$${ONES_CLAIM}$$\n", "SC001", False),
    (MODEL + HALF + "$$\\frac{\\partial C}{\\partial a} = -\\sum_{i=1}^{n} \\frac{\\partial z_i}{\\partial a} (t_i - z_i)$$\n",
     "SC001", True),
]


@pytest.mark.parametrize("text, code, every_n", END_TO_END)
def test_the_verdict_says_for_every_n_only_when_proved(text: str, code: str, every_n: bool) -> None:
    got, message = _last_verdict(text)
    assert got == code
    assert ("for every number of samples" in message) is every_n
    if code == "SC001" and not every_n:
        assert "at the document's sizes (n = 3)" in message


def test_same_input_same_output() -> None:
    text = MODEL + HALF + "$$\\frac{\\partial C}{\\partial w_2} = \\sum_{i=1}^{n} x_{i2} (z_i - t_i)$$\n"
    runs = {repr(check_text(text, "doc.md", CheckOptions(timeout=10.0, fixes=False)).diagnostics) for _ in range(2)}
    assert len(runs) == 1


def test_lines_are_reported_where_written() -> None:
    text = MODEL + HALF + "$$\\frac{\\partial C}{\\partial w_1} = -\\sum_{i=1}^{n} x_{i1} (t_i - z_i)$$\n"
    res = check_text(text, "doc.md", CheckOptions(timeout=10.0, fixes=False))
    li = LineIndex(text)
    lines = [li.position(d.span.start)[0] for d in res.diagnostics if "every number of samples" in d.message]
    assert lines == [text.count("\n")]
