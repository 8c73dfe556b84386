"""Reference implementations: verified, refuted with the differing point, rejected paths,
crashes and loops reported as diagnostics, latexify typesetting, and the report sections."""
from __future__ import annotations

import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from symcheck.implementations import SpecError, check_file_implementations, read_spec, resolve
from symcheck.report import build, latex

ROOT = Path(__file__).resolve().parent.parent

DOC = textwrap.dedent(r"""
    ---
    implementation: impl.py
    ---
    # A linear model

    $$\mathbf{A} = \begin{bmatrix} a_{11} & a_{12} \\ a_{21} & a_{22} \\ a_{31} & a_{32} \end{bmatrix}$$

    $$\mathbf{x} = \begin{bmatrix} x_1 \\ x_2 \end{bmatrix} \quad \mathbf{y} = \begin{bmatrix} y_1 \\ y_2 \\ y_3 \end{bmatrix}$$

    $$\mathbf{r} = \mathbf{A}\mathbf{x} - \mathbf{y}$$

    $$C = \frac{1}{2} \mathbf{r}^T \mathbf{r}$$

    $$\frac{\partial C}{\partial \mathbf{x}} = \mathbf{A}^T \mathbf{r}$$
    """).lstrip()

SPEC = r'''
import numpy as np

SYMCHECK = {
    "grad_x": {
        "computes": r"\frac{\partial C}{\partial \mathbf{x}}",
        "args": {"A": r"\mathbf{A}", "x": r"\mathbf{x}", "y": r"\mathbf{y}"},
    },
}

'''

CORRECT = SPEC + "def grad_x(A, x, y):\n    return np.transpose(A) @ (A @ x - y)\n"


def _write(tmp_path: Path, impl: str, doc: str = DOC, name: str = "impl.py") -> Path:
    (tmp_path / name).write_text(impl, "utf-8")
    path = tmp_path / "notes.md"
    path.write_text(doc, "utf-8")
    return path


def _run(path: Path, time_limit: float = 60.0):
    return check_file_implementations(str(path), path.read_text("utf-8"), time_limit)


def test_correct_implementation_is_verified(tmp_path):
    diags = _run(_write(tmp_path, CORRECT))
    assert [d.code for d in diags] == ["SC107"], [d.message for d in diags]
    d = diags[0]
    assert "verified at 5 random points" in d.message
    assert d.lhs == r"\frac{\partial C}{\partial \mathbf{x}}"
    assert d.label == "impl.py:grad_x"
    # located at the front matter's value
    text = path_text = (tmp_path / "notes.md").read_text("utf-8")
    assert path_text[d.span.start:d.span.end] == "impl.py"
    assert text.count("\n", 0, d.span.start) == 1
    assert not list(tmp_path.glob("__pycache__")), "the child must not write bytecode next to the notes"


@pytest.mark.parametrize("slip, expect", [
    ("np.transpose(A) @ (y - A @ x)", "differs from the document"),      # a sign
    ("np.transpose(A @ x - y) @ A", "returns a 1×2 array"),               # a missing transpose: a row
    ("2 * np.transpose(A) @ (A @ x - y)", "differs from the document"),  # a factor
])
def test_slip_is_refuted_with_point_and_both_values(tmp_path, slip, expect):
    diags = _run(_write(tmp_path, SPEC + f"def grad_x(A, x, y):\n    return {slip}\n"))
    assert [d.code for d in diags] == ["SC106"], [d.message for d in diags]
    d = diags[0]
    assert expect in d.message
    assert "impl.py:11 grad_x" in d.message  # the function's line in the implementation
    names = [k for k, _ in d.counterexample]
    assert "a_{11}" in names and "x_{1}" in names
    if "differs" in expect:
        assert names[-2:] == ["implementation", "document"]
        impl, docv = float(d.counterexample[-2][1]), float(d.counterexample[-1][1])
        assert abs(impl - docv) > 1e-6


def test_document_slip_is_found_by_a_correct_implementation(tmp_path):
    """The truth is the document's definitions: a quantity the document gets wrong
    elsewhere does not matter, only C as defined."""
    doc = DOC.replace(r"C = \frac{1}{2}", r"C = \frac{1}{4}")
    diags = _run(_write(tmp_path, CORRECT, doc))
    assert [d.code for d in diags] == ["SC106"]


@pytest.mark.parametrize("value", ["../impl.py", "/etc/passwd.py", "sub/../../impl.py", "impl.txt", "missing.py"])
def test_paths_outside_the_directory_are_rejected(tmp_path, value):
    sub = tmp_path / "notes"
    sub.mkdir()
    (tmp_path / "impl.py").write_text(CORRECT, "utf-8")
    path = _write(sub, CORRECT, DOC.replace("implementation: impl.py", f"implementation: {value}"), name="ok.py")
    diags = _run(path)
    assert [d.code for d in diags] == ["SC205"]
    assert "not checked" in diags[0].message
    assert path.read_text("utf-8")[diags[0].span.start:diags[0].span.end] == value
    with pytest.raises(SpecError):
        resolve(str(path), value)


def test_symlink_out_of_the_directory_is_rejected(tmp_path):
    sub = tmp_path / "notes"
    sub.mkdir()
    (tmp_path / "outside.py").write_text(CORRECT, "utf-8")
    (sub / "impl.py").symlink_to(tmp_path / "outside.py")
    path = sub / "notes.md"
    path.write_text(DOC, "utf-8")
    diags = _run(path)
    assert [d.code for d in diags] == ["SC205"] and "outside" in diags[0].message


def test_spec_is_read_without_executing(tmp_path):
    src = "import sys\nsys.exit(3)\nSYMCHECK = {'f': {'computes': 'C', 'args': {'x': 'x'}}}\ndef f(x):\n    return x\n"
    specs = read_spec(src, "impl.py")
    assert [(s.name, s.computes, s.args, s.line) for s in specs] == [("f", "C", (("x", "x"),), 4)]
    with pytest.raises(SpecError, match="literal dict"):
        read_spec("SYMCHECK = dict(f=1)\n", "impl.py")
    with pytest.raises(SpecError, match="parameters"):
        read_spec("SYMCHECK = {'f': {'computes': 'C', 'args': {'y': 'x'}}}\ndef f(x):\n    return x\n", "i.py")


def test_crashing_implementation_is_a_diagnostic(tmp_path):
    diags = _run(_write(tmp_path, SPEC + "def grad_x(A, x, y):\n    return A @ y\n"))
    assert [d.code for d in diags] == ["SC205"]
    assert "raised ValueError" in diags[0].message


def test_import_error_and_exit_are_diagnostics(tmp_path):
    diags = _run(_write(tmp_path, "import os\nos._exit(0)\n" + CORRECT))
    assert [d.code for d in diags] == ["SC205"] and "without an answer" in diags[0].message


def test_looping_implementation_stops_at_its_time_limit(tmp_path):
    import time

    start = time.monotonic()
    diags = _run(_write(tmp_path, SPEC + "def grad_x(A, x, y):\n    while True:\n        pass\n"), time_limit=5)
    assert time.monotonic() - start < 30
    assert [d.code for d in diags] == ["SC205"] and "time limit of 5 s" in diags[0].message


def test_quantity_the_arguments_do_not_determine_is_undecided(tmp_path):
    impl = CORRECT.replace('"y": r"\\mathbf{y}"', '"y": r"\\mathbf{x}"')
    diags = _run(_write(tmp_path, impl))
    assert [d.code for d in diags] == ["SC205"] and "y_{1}" in diags[0].message and "no argument" in diags[0].message


def test_latexify_typesets_the_operator(tmp_path):
    diags = _run(_write(tmp_path, CORRECT))
    assert r"\mathbf{A}^\intercal" in diags[0].rhs and r"\mathrm{grad\_x}(A, x, y)" in diags[0].rhs
    sig = SPEC.replace("grad_x", "f") + "def f(A, x, y):\n    return 1 / (1 + np.exp(-x))\n"
    d = _run(_write(tmp_path, sig))[0]
    assert r"\frac{1}{1 + \exp" in d.rhs


def test_check_runs_no_code_by_default(tmp_path):
    from symcheck.pipeline import check_file

    path = _write(tmp_path, "raise SystemExit('must not run')\n" + CORRECT)
    codes = {d.code for d in check_file(str(path)).diagnostics}
    assert not codes & {"SC106", "SC107", "SC205"}


def _report(tmp_path: Path, impl: str, make_pdf: bool):
    from symcheck.cli import check_one

    path = _write(tmp_path, impl)
    result = check_one(str(path), 5.0, False, run_implementations=True)
    out = tmp_path / "out"
    summary = build.write([result], out, make_pdf=make_pdf)
    return result, out, summary


def test_report_has_implementation_section_beside_document_formula(tmp_path):
    result, out, _ = _report(tmp_path, CORRECT, make_pdf=False)
    tex = (out / "notes.tex").read_text("utf-8")
    section = tex[tex.index(r"\section*{Reference implementation}"):]
    assert r"\mathbf{A}^\intercal" in section
    assert r"\mathbf{A}^T \mathbf{r}" in section  # the document's own formula for the quantity
    assert "implementation-verified" in section
    assert tex == latex.render(result)


def test_report_shows_the_refuted_implementation_as_a_finding(tmp_path):
    _, out, _ = _report(tmp_path, SPEC + "def grad_x(A, x, y):\n    return np.transpose(A) @ (y - A @ x)\n",
                        make_pdf=False)
    tex = (out / "notes.tex").read_text("utf-8")
    findings = tex[tex.index(r"\section*{Findings}"):tex.index(r"\section*{Every relation")]
    assert "implementation-mismatch" in findings


@pytest.mark.skipif(not (shutil.which("pdflatex") and shutil.which("pdftotext")), reason="TeX not installed")
def test_pdf_contains_the_implementation_section(tmp_path):
    _, out, summary = _report(tmp_path, CORRECT, make_pdf=True)
    assert not summary.pdf_failed, summary.pdf_failed
    text = subprocess.run(["pdftotext", str(out / "notes.pdf"), "-"], capture_output=True, check=True,
                          text=True).stdout
    assert "Reference implementation" in text and "Implementation (latexify)" in text
    assert "grad_x" in text.replace("\\_", "_") or "grad x" in text


def test_collapse_report_includes_figure_and_proof_steps(tmp_path):
    from symcheck.report import figures
    from symcheck.results import FileResult
    from symcheck.diagnostics import Diagnostic
    from symcheck.source import Span

    text = "---\nproof: two-layer-collapse\n---\n# x\n"
    steps = [Diagnostic("SC001", "proof step grad-u: proved", Span(4, 22), lhs="a = a", label="step 02 derive grad-u"),
             Diagnostic("SC002", "proof step gradient-descent: numeric", Span(4, 22),
                        label="step 01 numeric gradient-descent")]
    result = FileResult("notes/collapse.md", text, tuple(steps))
    tex = latex.render(result)
    proof = tex[tex.index(r"\section*{Structured proof, step by step}"):]
    assert proof.index("Step 1") < proof.index("Step 2")  # the proof's order, not the sorted one
    assert r"\includegraphics[width=\linewidth]{collapse.descent.pdf}" in proof
    assert r"\IfFileExists{collapse.descent.pdf}" in proof
    pictures, notes = figures.figures(result, "collapse")
    assert list(pictures) == ["collapse.descent.pdf"] and pictures["collapse.descent.pdf"].startswith(b"%PDF")
    assert pictures == figures.figures(result, "collapse")[0], "the figure's bytes must be stable"
    plain = FileResult("notes/other.md", "# x\n", ())
    assert figures.figures(plain, "other") == ({}, []) and "includegraphics" not in latex.render(plain)


def test_derivation_implementations_verify():
    """The implementations committed beside the derivations agree with their documents."""
    for name in ("two-layer-linear-gradients.md", "sigmoid-backprop.md"):
        path = ROOT / "derivations" / name
        diags = check_file_implementations(str(path), path.read_text("utf-8"))
        assert diags and all(d.code == "SC107" for d in diags), [(d.code, d.message) for d in diags]
