"""Golden files: the full text output of ``symcheck check`` on every shipped derivation.

The derivations are the project's own transcriptions (in ``derivations/``), so the
tests run on a fresh clone.  Regenerate with ``python -m pytest --update-golden``
and read the diff: every changed verdict must be explained in the commit.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from symcheck.output import text as text_out
from symcheck.pipeline import CheckOptions, check_file

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted((ROOT / "derivations").glob("*.md"))


@pytest.mark.golden
@pytest.mark.parametrize("doc", DOCS, ids=[d.stem for d in DOCS])
def test_derivation_output(doc: Path, golden: Callable[[str, str], None],
                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = check_file(str(doc.relative_to(ROOT)), CheckOptions())
    golden(f"derivations/{doc.stem}.txt", text_out.render([result]))
