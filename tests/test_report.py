"""Report: escaping, defensive typesetting, corrected documents, golden .tex, PDFs.

Everything except the re-check tests and the PDF tests runs on hand-built
``FileResult``s, so a change in the engine's verdicts cannot break them; the PDF
tests skip (with the reason) only when no TeX engine is installed — CI installs it.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from symcheck.diagnostics import Diagnostic, Fix
from symcheck.report import corrected, latex, pdf, store
from symcheck.report.mathsafe import try_sanitize
from symcheck.report.texescape import escape_text, verbatim
from symcheck.results import FileResult
from symcheck.source import Span

HAVE_TEX = pdf.find_engine() is not None
needs_tex = pytest.mark.skipif(not HAVE_TEX, reason="no TeX engine (latexmk/pdflatex); .ci/run installs texlive")
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")


@pytest.mark.parametrize("raw, expected", [
    ("a_b", r"a\_b"),
    ("50% & #1", r"50\% \& \#1"),
    ("$x$", r"\$x\$"),
    ("{a}", r"\{a\}"),
    ("~^", r"\textasciitilde{}\textasciicircum{}"),
    ("\\frac", r"\textbackslash{}frac"),
    ("a<b>c|d", r"a\textless{}b\textgreater{}c\textbar{}d"),
    ("2×4 σ", r"2\ensuremath{\times}4 \ensuremath{\sigma}"),
    ("line\n  two", "line two"),
    ("é — ✓", r"\'{e} --- [U+2713]"),
])
def test_escape_text(raw, expected):
    assert escape_text(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("a_b", r"\texttt{a{\char95}b}"),
    ("\\x%", r"\texttt{{\char92}\allowbreak{}x{\char37}}"),
])
def test_verbatim_uses_char_codes(raw, expected):
    assert verbatim(raw) == expected


@pytest.mark.parametrize("src, expected", [
    (r"\frac{\partial \ell}{\partial W} = W^T x", r"\frac{\partial \ell}{\partial W} = W^T x"),
    (r"x_\text{in} = y^\frac12", r"x_{\text{in}} = y^{\frac12}"),
    (r"a &= b \label{eq:1}\\", "a = b"),
    (r"\begin{cases} x & i = k \\ 0 & i \ne k \end{cases}", r"\begin{cases} x & i = k \\ 0 & i \ne k \end{cases}"),
    (r"\left( \sum_{i=1}^n a_i \right)^2", r"\left( \sum_{i=1}^n a_i \right)^2"),
    ("σ(x)", r"\sigma(x)"),
    (r"\sqrt[3]{x'}", r"\sqrt[3]{x'}"),
])
def test_safe_formulas_are_typeset(src, expected):
    assert try_sanitize(src) == expected


HOSTILE = [
    r"x^2^3", r"x^2'", r"a_b_c", r"(\frac{a}{b}\right)", r"\left( x", r"\begin{bmatrix} a \\ b",
    r"\begin{bmatrix} a \end{pmatrix}", r"\end{document}", r"#1", r"50%", r"\input{/etc/passwd}",
    r"\write18{rm -rf /}", r"\def\x{y}", r"{", r"}", r"\frac{a}", r"$x$", r"\text{a_b}",
    "😀", r"\csname relax\endcsname", r"\catcode`\^=12", r"\verb|x|", r"x_", r"^", r"\pfrac{a}{b}",
    r"\begin{array}{c} a & b \end{array}", r"\begin{cases} a & b & c \end{cases}", r"{a & b}", "\\",
    r"\left\foo x \right)", r"\newcommand{\x}{y}", r"\makeatletter", "x" * 7000,
]


@pytest.mark.parametrize("src", HOSTILE)
def test_hostile_formulas_fall_back_to_verbatim(src):
    assert try_sanitize(src) is None


def _hostile_result() -> FileResult:
    """Every hostile string in every field a report prints, plus specials in the path."""
    text = "\n".join(f"$${s} = 1$$" for s in HOSTILE) + "\n"
    diags = []
    pos = 0
    for k, s in enumerate(HOSTILE):
        span = Span(pos + 2, pos + 2 + len(s) + 4)
        pos += len(s) + 7
        diags.append(Diagnostic("SC100", f"refuted: {s} % & # $ _ ^ ~", span, "x", lhs=s, rhs="1",
                                evidence=(s,), counterexample=((s, s),),
                                fixes=(Fix(f"{s} = 2", s, span),) if k % 2 else ()))
    diags.append(Diagnostic("SC301", "note with \\R and ^", Span(0, 1), "x"))
    return FileResult("notes/we#ird_%$name~.md", text, tuple(diags))


def _pdf_text(tmp_path: Path, tex: str) -> tuple[str, int]:
    out = tmp_path / "r.pdf"
    res = pdf.build(tex, out)
    assert res.status == "built", res.detail
    pages = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=False).stdout \
        if shutil.which("pdfinfo") else ""
    m = re.search(r"^Pages:\s+(\d+)", pages, re.M)
    n = int(m.group(1)) if m else len(re.findall(rb"/Type\s*/Page\b", out.read_bytes()))
    txt = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    return txt, n


@needs_tex
def test_hostile_report_still_compiles(tmp_path):
    pdf_path = tmp_path / "h.pdf"
    res = pdf.build(latex.render(_hostile_result()), pdf_path)
    assert res.status == "built", res.detail
    assert pdf_path.stat().st_size > 1000


@needs_tex
@needs_pdftotext
def test_pdf_shows_finding_and_fix(tmp_path, sample_results):
    txt, pages = _pdf_text(tmp_path, latex.render(sample_results[0]))
    assert pages >= 1
    flat = " ".join(txt.replace("\u02c6", "^").split())  # OT1 prints ^ in text as a modifier circumflex
    assert "the sides differ: d/dx (x e^x) = (x + 1) e^x" in flat
    assert "Proved fix (add the missing term)" in flat
    assert flat.index("Findings") < flat.index("Every relation in source order")


def test_render_is_deterministic_and_findings_come_first(sample_results):
    a, b = latex.render(sample_results[0]), latex.render(sample_results[0])
    assert a == b
    assert a.index("Refuted relations") < a.index("Undecided relations") < a.index("Warnings") \
        < a.index("Every relation in source order")
    assert r"\fixbox{green!20}{\fitmath{\frac{d}{dx}(x e^x) = (x + 1) e^x}}" in a


def test_unreadable_file_gets_a_short_report(sample_results):
    out = latex.render(sample_results[2])
    assert "could not be read" in out and "0xff" in out


@pytest.mark.golden
@pytest.mark.parametrize("index, name", [(0, "calculus"), (1, "matrix")])
def test_golden_tex(sample_results, golden, index, name):
    golden(f"report/{name}.tex", latex.render(sample_results[index]))


@pytest.mark.parametrize("no_pdf, engine_present, expect_pdf", [
    (True, True, False),
    (False, False, False),
    (False, True, HAVE_TEX),
])
def test_cli_report_writes_files(tmp_path, fake_engine, monkeypatch, capsys, no_pdf, engine_present, expect_pdf):
    from symcheck.cli import main

    doc = tmp_path / "notes" / "week1.md"
    doc.parent.mkdir()
    doc.write_text("# W\n\n$$a = b$$ PROVED\n\n$$c = d$$ REFUTED\n", encoding="utf-8")
    if not engine_present:
        monkeypatch.setattr(pdf, "find_engine", lambda: None)
    out = tmp_path / "out"
    argv = ["report", str(doc.parent), "--out", str(out)] + (["--no-pdf"] if no_pdf else [])
    assert main(argv) == 0
    names = sorted(p.name for p in out.iterdir())
    expected = ["week1.corrected.md", "week1.results.json", "week1.tex"] + (["week1.pdf"] if expect_pdf else [])
    assert names == sorted(expected)
    err = capsys.readouterr().err
    assert ("no TeX engine found" in err) == (not engine_present and not no_pdf)


def test_cli_report_refuses_clashing_names(tmp_path, fake_engine, capsys):
    from symcheck.cli import main

    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "same.md").write_text("$$x = y$$\n", encoding="utf-8")
    assert main(["report", str(tmp_path / "a"), str(tmp_path / "b"), "--out", str(tmp_path / "o"), "--no-pdf"]) == 2
    assert "already used by" in capsys.readouterr().err
