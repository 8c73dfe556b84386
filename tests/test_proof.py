"""The structured-proof API and the two-layer collapse proof (issue 3, item 2).

The collapse proof is built once per module (about 2–3 s).  Nothing here reads
/work/shared or depends on the engine's verdicts on other derivations.
"""
from __future__ import annotations

import pytest
import sympy as sp
from sympy import Q
from sympy.matrices.expressions import Inverse, MatrixSymbol

from symcheck import pipeline
from symcheck.proof import Grad, Proof, StepResult
from symcheck.proofs import REGISTRY
from symcheck.proofs import two_layer_collapse as tl
from symcheck.proofs.descent import gradient_descent_demo

m = sp.Symbol("m", integer=True, positive=True)
A, B = MatrixSymbol("A", m, m), MatrixSymbol("B", m, m)


@pytest.fixture(scope="module")
def collapse() -> Proof:
    return tl.build()


@pytest.fixture(scope="module")
def steps(collapse: Proof) -> dict[str, StepResult]:
    return {r.name: r for r in collapse.result()}


ALL_SIZES = ["ones", "composed", "grad-u", "grad-v", "residual", "grad-v-factored", "xtd-zero",
             "normal-equations", "ls-stationary-u", "ls-stationary-v", "unique"]


@pytest.mark.parametrize("name", ALL_SIZES)
def test_collapse_step_proved_for_all_sizes(steps: dict[str, StepResult], name: str) -> None:
    assert steps[name].code == "SC001", steps[name].message
    assert "for all sizes" in steps[name].message


def test_collapse_other_verdicts(steps: dict[str, StepResult]) -> None:
    assert steps["inner-product"].code == "SC001" and "h=4" in steps["inner-product"].message
    assert steps["vtilde-nonzero-needed"].code == "SC105"
    assert steps["gradient-descent"].code == "SC002"
    assert steps["collapse"].code == "SC001"
    assert all(r.code == "SC000" for r in steps.values() if r.kind == "assume")
    assert all(isinstance(r.statement, str) and r.statement for r in steps.values())


def test_false_derive_is_refuted() -> None:
    pf = Proof("transpose slip", sizes=[{m: 2}, {m: 3}])
    r = pf.derive("bad", (A * B).T, A.T * B.T)
    assert r.code == "SC100"
    assert any("A[" in e for e in r.evidence)  # the exact counterexample entries
    assert pf.derive("good", (A * B).T, B.T * A.T).code == "SC001"


def test_derive_missing_hypothesis_not_proved() -> None:
    pf = Proof("missing lemma", sizes=tl.SIZES)
    pf.assume("def-X", (tl.X, sp.BlockMatrix([[sp.OneMatrix(tl.n, 1), tl.X0]])))
    pf.assume("def-e0", (tl.e0, sp.BlockMatrix([[sp.Identity(1)], [sp.ZeroMatrix(tl.p, 1)]])))
    pf.assume("def-Y", (tl.Y, sp.BlockMatrix([[sp.OneMatrix(tl.n, 1), tl.X * tl.u]])))
    pf.assume("def-v", (tl.v, sp.BlockMatrix([[tl.v0], [tl.vt]])))
    pf.assume("def-z", (tl.z, tl.Y * tl.v))
    pf.assume("def-w", (tl.w, tl.u * tl.vt + tl.e0 * tl.v0))
    without = pf.derive("no-ones", tl.z, tl.X * tl.w, using=["def-z", "def-Y", "def-v", "def-w"])
    assert without.code != "SC001"
    pf.derive("ones", tl.X * tl.e0, sp.OneMatrix(tl.n, 1), using=["def-X", "def-e0"])
    assert pf.derive("with-ones", tl.z, tl.X * tl.w, using=["def-z", "def-Y", "def-v", "def-w", "ones"]).code \
        == "SC001"


def test_implication_needs_invertibility_premise() -> None:
    pf = Proof("inverse", sizes=[{m: 2}])
    x, y = MatrixSymbol("x", m, 1), MatrixSymbol("y", m, 1)
    pf.assume("eq", (A * x, y))
    r = pf.implies("solve", ["eq"], (x, Inverse(A) * y), certificate=[(Inverse(A), "eq", None)])
    assert r.code == "SC202" and "invertible" in r.message
    pf.assume("inv", Q.invertible(A))
    r = pf.implies("solve2", ["eq", "inv"], (x, Inverse(A) * y), certificate=[(Inverse(A), "eq", None)])
    assert r.code == "SC001"


def test_wrong_gradient_not_proved() -> None:
    pf = Proof("gradient", sizes=[{m: 2}])
    x, c = MatrixSymbol("x", m, 1), MatrixSymbol("c", 1, 1)
    pf.assume("def-c", (c, x.T * A * x))
    assert pf.derive("right", Grad(c, x), (A + A.T) * x, using=["def-c"]).code == "SC001"
    assert pf.derive("wrong", Grad(c, x), 2 * A * x, using=["def-c"]).code == "SC100"


def test_counterexample_is_exact_stationary_and_not_least_squares() -> None:
    sizes, wit = tl.counterexample_witness()
    assert all(isinstance(x, sp.Rational) for val in wit.values() for x in sp.Matrix(val))
    n = sizes[tl.n]
    X = sp.Matrix.hstack(sp.ones(n, 1), wit[tl.X0])
    u, vt, v0, zr = wit[tl.u], wit[tl.vt], wit[tl.v0], wit[tl.zr]
    Y = sp.Matrix.hstack(sp.ones(n, 1), X * u)
    z = Y * sp.Matrix.vstack(v0, vt)
    d = z - zr
    assert X.T * d * vt.T == sp.zeros(3, 2)  # ∂C/∂u = 0
    assert Y.T * d == sp.zeros(3, 1)  # ∂C/∂v = 0
    assert X.T * d != sp.zeros(3, 1)  # not a least-squares solution
    assert vt == sp.zeros(2, 1)


def test_numeric_step_error() -> None:
    ok, _, figures = gradient_descent_demo()
    assert ok
    bound = str(figures["max |w - w_lstsq| over starts"])
    assert bound.startswith("< ") and float(bound[2:]) <= 1e-8


def test_pipeline_hook(collapse: Proof, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(REGISTRY, "two-layer-collapse", lambda: collapse)
    text = "---\nproof: two-layer-collapse\n---\n# Notes\n\nNo mathematics here.\n"
    res = pipeline.check_text(text, "notes.md")
    steps = [d for d in res.diagnostics if d.message.startswith("proof step ")]
    assert len(steps) == len(collapse.result())
    for d in steps:
        assert text[d.span.start:d.span.end] == "two-layer-collapse"
    by = {d.message.split(":")[0]: d for d in steps}
    assert by["proof step collapse"].code == "SC001"
    assert by["proof step vtilde-nonzero-needed"].code == "SC105"
    assert by["proof step vtilde-nonzero-needed"].evidence


def test_pipeline_unknown_proof() -> None:
    text = "---\nproof: no-such-proof\n---\n# Notes\n\nNo mathematics here.\n"
    res = pipeline.check_text(text, "notes.md")
    bad = [d for d in res.diagnostics if d.code == "SC202" and "no-such-proof" in d.message]
    assert len(bad) == 1
    assert text[bad[0].span.start:bad[0].span.end] == "no-such-proof"
