"""read → fragments → rows → chains → context → verdicts → diagnostics, top to bottom."""
from __future__ import annotations

from dataclasses import dataclass

from symcheck.results import FileResult


@dataclass(frozen=True)
class CheckOptions:
    timeout: float = 5.0  # seconds per relation
    strict: bool = False


def check_text(text: str, path: str, options: CheckOptions = CheckOptions()) -> FileResult:
    return FileResult(path=path, text=text)


def check_file(path: str, options: CheckOptions = CheckOptions()) -> FileResult:
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    return check_text(text, path, options)
