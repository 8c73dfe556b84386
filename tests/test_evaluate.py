"""``symcheck eval``: values of a document's quantities at given inputs, checked
against an independent NumPy computation and against finite differences; stated
gradients with a slip are flagged; bad values give a clean error and run nothing."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from symcheck import cli, values

NET = r"""# One sigmoid layer

The input is $x \in \mathbb{R}^{2}$, the weights $W \in \mathbb{R}^{2 \times 2}$ and the
target $t \in \mathbb{R}^{2}$.

$$z = W x$$

$$a = \sigma(z)$$

$$C = \frac{1}{2} (a - t)^T (a - t)$$

With $\delta = (a - t) \odot a - (a - t) \odot a \odot a$ the gradients are

$$\frac{\partial C}{\partial W} = \delta x^T$$

$$\frac{\partial C}{\partial x} = W^T \delta$$
"""

W = [[0.5, -0.25], [0.75, 1.0]]
X = [1.0, 2.0]
T = [0.2, 0.9]
AT = ["--fd", "--at", f"W={json.dumps(W)}", "--at", f"x={json.dumps(X)}", "--at", f"t={json.dumps(T)}"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def net(tmp_path: Path) -> Path:
    p = tmp_path / "net.md"
    p.write_text(NET, encoding="utf-8")
    return p


def as_array(v: dict) -> np.ndarray:
    d = v["decimal"]
    return np.array([[float(d)]] if isinstance(d, str) else [[float(x) for x in r] for r in d])


def by_name(report: dict, kind: str) -> dict[str, dict]:
    return {e["name"]: e for e in report["entries"] if e["kind"] == kind}


def numpy_model() -> dict[str, np.ndarray]:
    """The same network, written out in NumPy: nothing here comes from symcheck."""
    w, x, t = np.array(W), np.array(X).reshape(2, 1), np.array(T).reshape(2, 1)
    z = w @ x
    a = 1 / (1 + np.exp(-z))
    c = 0.5 * float(((a - t) ** 2).sum())
    delta = (a - t) * a * (1 - a)
    return {"z": z, "a": a, "C": np.array([[c]]), "delta": delta, "dW": delta @ x.T, "dx": w.T @ delta}


def test_values_match_an_independent_numpy_computation(capsys, net: Path) -> None:
    code, out, err = run(capsys, "eval", str(net), *AT, "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    defs = by_name(report, "definition")
    ref = numpy_model()
    for name, key in (("z", "z"), ("a", "a"), ("C", "C"), ("\\delta", "delta")):
        np.testing.assert_allclose(as_array(defs[name]["left"]), ref[key], rtol=1e-11, atol=1e-14)
    assert defs["z"]["left"]["exact"] == [["0"], ["11/4"]]  # rational inputs give exact values
    grads = by_name(report, "gradient")
    np.testing.assert_allclose(as_array(grads[r"\frac{\partial C}{\partial W}"]["left"]), ref["dW"], rtol=1e-11)
    np.testing.assert_allclose(as_array(grads[r"\frac{\partial C}{\partial x}"]["left"]), ref["dx"], rtol=1e-11)


def test_finite_differences_agree_with_the_engine_to_1e_8(capsys, net: Path) -> None:
    code, out, _ = run(capsys, "eval", str(net), *AT, "--format", "json")
    report = json.loads(out)
    grads = [e for e in report["entries"] if e["kind"] == "gradient"]
    assert len(grads) == 2
    for g in grads:
        assert g["agree"] is True and g["finite_differences_agree"] is True
        engine, fd = as_array(g["left"]), as_array(g["finite_differences"])
        assert np.max(np.abs(engine - fd)) < 1e-8


def test_one_step_of_gradient_descent(capsys, net: Path) -> None:
    code, out, _ = run(capsys, "eval", str(net), *AT, "--rate", "0.1", "--format", "json")
    assert code == 0
    steps = by_name(json.loads(out), "step")
    ref = numpy_model()
    np.testing.assert_allclose(as_array(steps["W"]["right"]), np.array(W) - 0.1 * ref["dW"], rtol=1e-11)


@pytest.mark.parametrize("slip,which", [
    (("\\delta x^T", "x \\delta^T"), r"\frac{\partial C}{\partial W}"),  # factors swapped
    (("= W^T \\delta", "= W \\delta"), r"\frac{\partial C}{\partial x}"),  # transpose dropped
])
def test_a_slip_in_a_stated_gradient_is_flagged(capsys, tmp_path: Path, slip, which) -> None:
    p = tmp_path / "bad.md"
    p.write_text(NET.replace(*slip), encoding="utf-8")
    code, out, _ = run(capsys, "eval", str(p), *AT, "--format", "json")
    assert code == 1
    grads = by_name(json.loads(out), "gradient")
    assert grads[which]["agree"] is False
    assert grads[which]["finite_differences_agree"] is True  # the engine's gradient is still right
    assert [g["agree"] for n, g in grads.items() if n != which] == [True]
    code, text, _ = run(capsys, "eval", str(p), *AT)
    assert "gradient DISAGREES" in text and "as written:" in text


def test_output_is_deterministic(capsys, net: Path) -> None:
    first = run(capsys, "eval", str(net), *AT, "--rate", "1/10")
    second = run(capsys, "eval", str(net), *AT, "--rate", "1/10")
    assert first == second and first[0] == 0


@pytest.mark.parametrize("argv,needle", [
    (["--at", "x=__import__('os').system('touch PWNED')"], "is not a number"),
    (["--at", "W=[[1, 2], [3"], "not valid JSON"),
    (["--at", "W=[[1, 2], [3]]"], "different lengths"),
    (["--at", "W=[[NaN, 1], [1, 1]]"], "NaN"),
    (["--at", "W=[[1, 2, 3]]"], "W is 2×2 in the document"),
    (["--at", "q=1"], "q is not a quantity of this document"),
    (["--at", "C=1"], "C is computed by the document"),
    (["--at", "W"], "expected NAME=VALUE"),
    (["--at", "1+=2"], "is not a name"),
    (["--rate", "fast"], "is not a number"),
])
def test_bad_values_give_a_clean_error(capsys, net: Path, tmp_path: Path, monkeypatch, argv, needle) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "eval", str(net), *AT, *argv)
    assert code == 2
    assert needle in err and "Traceback" not in err + out
    assert not (tmp_path / "PWNED").exists()


def test_missing_values_are_listed(capsys, net: Path) -> None:
    code, out, err = run(capsys, "eval", str(net), "--at", "x=[1, 2]")
    assert code == 2
    assert "W_{11}" in err and "t_{1}" in err
    assert "not evaluated: no value for" in out


def test_values_file(capsys, net: Path, tmp_path: Path) -> None:
    f = tmp_path / "v.json"
    f.write_text(json.dumps({"W": W, "x": X, "t": T}), encoding="utf-8")
    assert run(capsys, "eval", str(net), "--fd", "--values", str(f)) == run(capsys, "eval", str(net), *AT)
    code, out, _ = run(capsys, "eval", str(net), "--values", str(f))  # without --fd: no finite differences
    assert code == 0 and "finite differences:" not in out
    f.write_text('{"W": [[1, 2], [3, 4]], "x": Infinity}', encoding="utf-8")
    code, _, err = run(capsys, "eval", str(net), "--values", str(f))
    assert code == 2 and "Infinity" in err


def test_numbers_are_read_exactly() -> None:
    assert values.number("0.1") == values.Fraction(1, 10)
    assert values.number("-2.5e-3") == values.Fraction(-1, 400)
    assert values.number("1/3") == values.Fraction(1, 3)
    for bad in ("1e99999", "0x10", "1_000", "inf", "nan", "(1)", "1/0", "2**3"):
        with pytest.raises(values.ValueSyntaxError):
            values.number(bad)
