"""Shared test fixtures: golden files, a hand-built result set, a stand-in engine.

The output tests must not depend on the engine (it is written in parallel and its
verdicts will change), so ``sample_results`` builds ``FileResult``s by hand with
every field a renderer can show, and ``fake_engine`` replaces
``symcheck.pipeline.check_file`` with a tiny rule-of-thumb reader so CLI tests pin
exit codes and file order without SymPy.
"""
from __future__ import annotations

import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from symcheck.diagnostics import Diagnostic, Fix
from symcheck.results import FileResult
from symcheck.source import Span

GOLDEN_DIR = Path(__file__).parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files from the current output (review the diff before committing)",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """``golden(relpath, actual)``: compare with tests/golden/<relpath>, or rewrite it."""
    update = request.config.getoption("--update-golden")

    def check(relpath: str, actual: str) -> None:
        path = GOLDEN_DIR / relpath
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(actual.encode("utf-8"))
            return
        assert path.exists(), f"missing golden file {path}; run: python -m pytest --update-golden"
        expected = path.read_bytes().decode("utf-8")
        assert actual == expected, f"{relpath} differs; if intended, run: python -m pytest --update-golden"

    return check


def _span(text: str, needle: str, nth: int = 0) -> Span:
    """Span of the nth occurrence of ``needle``; fails loudly if the fixture text changed."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Span(start, start + len(needle))


CALCULUS = (
    "# Derivatives\n"
    "\n"
    "Let $f(x) = x^2$ be given.\n"
    "$$\\frac{d}{dx} x^2 = 2x \\tag{1}$$\n"
    "$$\\sin^2 x + \\cos^2 x = 1$$\n"
    "and for the product, with α ≠ 0,\n"
    "$$\\frac{d}{dx}(x e^x) = e^x$$\n"
    "$$\\int_0^1 \\Gamma(t)\\,dt = c$$\n"
    "$$\\sum_i a_i b_j$$\n"
)

MATRIX = (
    "\\begin{align}\n"
    "  (AB)^T &= A^T B^T \\label{eq:t}\\\\\n"
    "  Y - AW &= 0\n"
    "\\end{align}\n"
    "Here \\R denotes the reals.\n"
)


def build_sample_results() -> list[FileResult]:
    """Three files: one with every kind of verdict, one matrix file with a fix, one unreadable."""
    t = CALCULUS
    calc = (
        Diagnostic("SC000", "definition of f", _span(t, "f(x) = x^2"), "notes/calculus.md",
                   lhs="f(x)", rhs="x^2", evidence=("scalar = scalar",)),
        Diagnostic("SC001", "proved", _span(t, "\\frac{d}{dx} x^2 = 2x"), "notes/calculus.md",
                   lhs="\\frac{d}{dx} x^2", rhs="2x", evidence=("sympy.simplify(lhs - rhs) == 0",), label="1"),
        Diagnostic("SC002", "verified at 20 random rational points", _span(t, "\\sin^2 x + \\cos^2 x = 1"),
                   "notes/calculus.md", lhs="\\sin^2 x + \\cos^2 x", rhs="1",
                   evidence=("exact evaluation at 20 points", "no symbolic proof within the time limit")),
        Diagnostic("SC100", "the sides differ: d/dx (x e^x) = (x + 1) e^x", _span(t, "\\frac{d}{dx}(x e^x) = e^x"),
                   "notes/calculus.md", lhs="\\frac{d}{dx}(x e^x)", rhs="e^x",
                   evidence=("lhs - rhs = x e^x",), counterexample=(("x", "1"), ("lhs", "2e"), ("rhs", "e")),
                   fixes=(Fix("\\frac{d}{dx}(x e^x) = (x + 1) e^x", "add the missing term",
                              _span(t, "\\frac{d}{dx}(x e^x) = e^x")),)),
        Diagnostic("SC201", "symbol c is never introduced", _span(t, "\\int_0^1 \\Gamma(t)\\,dt = c"),
                   "notes/calculus.md", lhs="\\int_0^1 \\Gamma(t)\\,dt", rhs="c"),
        Diagnostic("SC306", "index j is used outside the sum over i", _span(t, "b_j"), "notes/calculus.md"),
        Diagnostic("SC304", "read α as a scalar constant", _span(t, "α"), "notes/calculus.md"),
    )
    m = MATRIX
    row = "(AB)^T &= A^T B^T \\label{eq:t}\\\\\n"
    matrix = (
        # deliberately out of order: renderers must sort
        Diagnostic("SC301", "\\R read as \\mathbb{R}", _span(m, "\\R"), "notes/week 2/matrix.tex"),
        Diagnostic("SC101", "(AB)^T is 3×2 but A^T B^T is undefined for A: 2×4, B: 4×3",
                   _span(m, row), "notes/week 2/matrix.tex", lhs="(AB)^T", rhs="A^T B^T",
                   evidence=("A: 2×4", "B: 4×3"), counterexample=(("A", "2×4"), ("B", "4×3")),
                   fixes=(Fix("(AB)^T = B^T A^T", "transpose in reverse order", _span(m, "(AB)^T &= A^T B^T")),),
                   label="eq:t"),
        Diagnostic("SC203", "deciding took longer than 5 s", _span(m, "Y - AW &= 0"), "notes/week 2/matrix.tex",
                   lhs="Y - AW", rhs="0"),
    )
    return [
        FileResult("notes/calculus.md", CALCULUS, calc),
        FileResult("notes/week 2/matrix.tex", MATRIX, matrix),
        FileResult("notes/broken.rst", "", (), error="not valid UTF-8 (byte 0xff at offset 3)"),
    ]


@pytest.fixture
def sample_results() -> list[FileResult]:
    return build_sample_results()


@dataclass(frozen=True)
class _StandInOptions:
    timeout: float = 5.0
    strict: bool = False


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, object]]:
    """Replace ``check_file`` by a reader of marker words; returns the calls it saw.

    Each line containing ``REFUTED`` gives SC100, ``UNDECIDED`` gives SC200, ``PROVED``
    gives SC001, ``CRASH`` raises.  Works whether or not the real pipeline exists.
    """
    try:
        import symcheck.pipeline as pipeline  # noqa: PLC0415
    except Exception:  # the engine may be missing or mid-rewrite
        pipeline = types.ModuleType("symcheck.pipeline")
        monkeypatch.setitem(sys.modules, "symcheck.pipeline", pipeline)
    if not hasattr(pipeline, "CheckOptions"):
        monkeypatch.setattr(pipeline, "CheckOptions", _StandInOptions, raising=False)
    calls: list[tuple[str, object]] = []
    from symcheck import cli  # noqa: PLC0415
    monkeypatch.setattr(cli, "DEFAULT_JOBS", 1, raising=False)  # the calls are recorded in this process
    codes = {"REFUTED": "SC100", "UNDECIDED": "SC200", "PROVED": "SC001"}

    def check_file(path: str, options: object) -> FileResult:
        calls.append((path, options))
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        if "CRASH" in text:
            raise RuntimeError("engine exploded")
        diags, offset = [], 0
        for line in text.splitlines(keepends=True):
            for word, code in codes.items():
                if word in line:
                    start = offset + line.index(word)
                    diags.append(Diagnostic(code, word.lower(), Span(start, start + len(word)), path))
            offset += len(line)
        return FileResult(path, text, tuple(sorted(diags, key=lambda d: (d.span.start, d.code))))

    monkeypatch.setattr(pipeline, "check_file", check_file, raising=False)
    return calls
