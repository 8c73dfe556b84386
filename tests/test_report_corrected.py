"""Corrected documents: exact output per format from hand-built results, then re-checks.

The format tests pin bytes with no engine involved; the re-check tests run the real
engine (``check_text``, about a second each) on a small document with a wrong
step, correct it with the engine's own fix, and require that it checks clean.
"""
from __future__ import annotations

import pytest

from symcheck.diagnostics import Diagnostic, Fix
from symcheck.report import corrected
from symcheck.results import FileResult
from symcheck.source import Span

WRONG = r"\frac{d}{dx}(x^2 + 3x) = 2x + 2"
RIGHT_RHS = "2 x + 3"

DOCS = {
    "md": "# Rule\n\nFor real $x$,\n\n$$" + WRONG + "$$\n\nand that is all.\n",
    "tex": "\\documentclass{article}\n\\begin{document}\nFor real $x$:\n\\begin{equation}\n" + WRONG
           + "\n\\end{equation}\n\\end{document}\n",
    "rst": "Rule\n====\n\n.. math::\n\n   " + WRONG + "\n\nDone.\n",
}

EXPECTED = {
    "md": "# Rule\n\nFor real $x$,\n\n$$\\frac{d}{dx}(x^2 + 3x) = 2 x + 3$$\n\nand that is all.\n"
          "\n## Changes made by symcheck\n\n- line 5:\n\n  ```text\n  fix: 2 → 3; proved\n"
          "  old: 2x + 2\n  new: 2 x + 3\n  ```\n",
    "tex": "\\documentclass{article}\n\\begin{document}\nFor real $x$:\n\\begin{equation}\n"
           "\\frac{d}{dx}(x^2 + 3x) = 2 x + 3\n\\end{equation}\n% Changes made by symcheck:\n"
           "% line 5 (2 → 3; proved)\n%   old: 2x + 2\n%   new: 2 x + 3\n\\end{document}\n",
    "rst": "Rule\n====\n\n.. math::\n\n   \\frac{d}{dx}(x^2 + 3x) = 2 x + 3\n\nDone.\n\n"
           "Changes made by symcheck\n========================\n\n- line 6 (``2 → 3; proved``):\n\n"
           "  - old: ``2x + 2``\n  - new: ``2 x + 3``\n",
}


def _result(ext: str, code: str = "SC100", fix_latex: str = WRONG.split(" = ")[0] + " = " + RIGHT_RHS) -> FileResult:
    text = DOCS[ext]
    start = text.index(WRONG)
    rhs_start = start + WRONG.index("2x + 2")
    rhs = Span(rhs_start, rhs_start + len("2x + 2"))
    d = Diagnostic(code, "refuted", Span(start, start + len(WRONG)), f"a.{ext}", lhs=WRONG.split(" = ")[0],
                   rhs="2x + 2", fixes=(Fix(fix_latex, "2 → 3; proved", rhs),))
    return FileResult(f"notes/a.{ext}", text, (d,))


@pytest.mark.parametrize("ext", ["md", "tex", "rst"])
def test_corrected_document_per_format(ext):
    assert corrected.render(_result(ext)) == EXPECTED[ext]


@pytest.mark.parametrize("case, applied, reason", [
    ("no-top-level-equals", False, "the fix has no top-level ' = '"),
    ("undecided-code", None, ""),
    ("shape-mismatch", True, ""),
])
def test_which_fixes_apply(case, applied, reason):
    if case == "no-top-level-equals":
        r = _result("md", fix_latex=r"\sum_{i = 1} x_i")
    elif case == "undecided-code":
        r = _result("md", code="SC202")
    else:
        r = _result("md", code="SC101")
    text, changes = corrected.correct(r)
    if applied is None:
        assert changes == [] and corrected.render(r) == r.text
        return
    assert [c.applied for c in changes] == [applied]
    assert changes[0].reason == reason
    assert (RIGHT_RHS in text) == applied


def test_fixes_apply_from_the_end_and_whole_relation_spans_narrow(sample_results):
    """The shared fixture's SC101 fix span covers ``lhs &= rhs``; only the rhs is replaced."""
    text, changes = corrected.correct(sample_results[1])
    assert [(c.line, c.old, c.new, c.applied) for c in changes] == [(2, "A^T B^T", "B^T A^T", True)]
    assert text.startswith("\\begin{align}\n  (AB)^T &= B^T A^T \\label{eq:t}\\\\\n")
    text, changes = corrected.correct(sample_results[0])
    assert "$$\\frac{d}{dx}(x e^x) = (x + 1) e^x$$\n" in text and len(changes) == 1


@pytest.mark.parametrize("latex, parts", [
    ("a = b", ("a", "b")),
    (r"\sum_{i = 1}^n x_i = y = z", (r"\sum_{i = 1}^n x_i", "y = z")),
    (r"\begin{cases} a = b \end{cases} = c", (r"\begin{cases} a = b \end{cases}", "c")),
    (r"\left( a = b \right) = c", (r"\left( a = b \right)", "c")),
    ("a=b", None),
    ("a = ", None),
])
def test_split_relation(latex, parts):
    assert corrected.split_relation(latex) == parts


@pytest.mark.parametrize("ext", ["md", "tex", "rst"])
def test_corrected_document_checks_clean(ext):
    """The engine refutes the wrong step and proves a fix; after correction nothing is refuted."""
    from symcheck.pipeline import CheckOptions, check_text

    before = check_text(DOCS[ext], f"a.{ext}", CheckOptions())
    assert [d.code for d in before.diagnostics if d.code in corrected.FIXABLE] == ["SC100"]
    fixed = corrected.render(before)
    assert "Changes made by symcheck" in fixed
    after = check_text(fixed, f"a.{ext}", CheckOptions())
    assert [d for d in after.diagnostics if d.code in corrected.FIXABLE] == []
    assert after.counts()["proved"] + after.counts()["verified"] == 1
