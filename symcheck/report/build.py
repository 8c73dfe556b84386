"""Write the report files for checked documents: the only part that touches disk.

``outputs(result)`` is the pure part (file name -> contents) shared by the CLI and
the staleness test, so both agree on names and bytes by construction.
``write(...)`` adds the results cache and the optional PDF.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from symcheck.report import corrected, figures, latex, pdf, store
from symcheck.results import FileResult


def stem_of(path: str) -> str:
    """``notes/week1.md`` -> ``week1``: report files are named after the document."""
    return Path(path).stem


def _checker(path: str) -> Callable[[str, tuple[tuple[int, int], ...]], FileResult]:
    """Checks a corrected text as if it were the document at ``path`` (same format, same
    front matter), leaving the regions earlier corrections wrote as they are."""
    from symcheck.pipeline import CheckOptions, check_text
    return lambda text, frozen: check_text(text, path, CheckOptions(frozen=frozen))


def outputs(result: FileResult) -> dict[str, str]:
    """Every text file of one document's report, by file name; deterministic."""
    stem = stem_of(result.path)
    files = {f"{stem}.results.json": store.dumps(result), f"{stem}.tex": latex.render(result)}
    if not result.error:
        ext = Path(result.path).suffix or ".txt"
        files[f"{stem}.corrected{ext}"] = corrected.render(result, recheck=_checker(result.path))
    return files


@dataclass
class Summary:
    """What ``write`` did, for the CLI to print and turn into an exit code."""

    written: list[str] = field(default_factory=list)
    pdf_failed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _write_text(path: Path, text: str) -> None:
    """UTF-8, ``\\n`` line ends whatever the platform: the bytes are what tests compare."""
    _write_bytes(path, text.encode("utf-8"))


def _write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def write(results: list[FileResult], out_dir: Path, *, make_pdf: bool = True,
          progress: Callable[[str], None] = lambda _: None) -> Summary:
    """Write each result's report into ``out_dir``.

    Two documents with the same stem would overwrite each other's reports; the
    second is refused with an error rather than silently winning.
    """
    summary = Summary()
    out_dir.mkdir(parents=True, exist_ok=True)
    engine = pdf.find_engine() if make_pdf else None
    if make_pdf and engine is None:
        summary.notes.append("note: no TeX engine found (latexmk or pdflatex); PDFs skipped")
    seen: dict[str, str] = {}
    for result in results:
        stem = stem_of(result.path)
        if stem in seen:
            summary.errors.append(f"{result.path}: report name {stem!r} already used by {seen[stem]}; skipped")
            continue
        seen[stem] = result.path
        files = outputs(result)
        for name, text in files.items():
            _write_text(out_dir / name, text)
            summary.written.append(str(out_dir / name))
        pictures, notes = figures.figures(result, stem)
        summary.notes += notes
        for name, data in pictures.items():
            _write_bytes(out_dir / name, data)
            summary.written.append(str(out_dir / name))
        if engine is None:
            continue
        progress(f"{result.path}: building PDF")
        built = pdf.build(files[f"{stem}.tex"], out_dir / f"{stem}.pdf", engine, assets=pictures)
        if built.status == "built":
            summary.written.append(built.detail)
        else:
            summary.pdf_failed.append(f"{result.path}: PDF {built.status}: {built.detail}")
    return summary


def rerender(out_dir: Path, *, make_pdf: bool = True) -> Summary:
    """Re-render every report in ``out_dir`` from its cached results, without the engine.

    For renderer changes: minutes of engine time are not needed to re-typeset.
    Document paths in the cache are relative to the working directory they were
    checked from (the repository root for ``reports/``).  A document that changed
    since it was checked raises ``ValueError``: its verdicts are no longer known.
    """
    results = []
    for cache in sorted(out_dir.glob("*.results.json")):
        data = cache.read_text("utf-8")
        path = json.loads(data)["path"]
        results.append(store.loads(data, Path(path).read_text("utf-8")))
    return write(results, out_dir, make_pdf=make_pdf)
