"""Build a PDF from a report's LaTeX, when a TeX engine is installed.

TeX is optional: symcheck must work on a machine with only Python, so a missing
engine is reported as "skipped", never as an error.  The build runs in a private
temporary directory (auxiliary files never land next to the reports, and two
builds cannot collide), without shell escape, with ``-halt-on-error`` so a broken
file fails fast instead of waiting for input, and with ``SOURCE_DATE_EPOCH=0`` /
``FORCE_SOURCE_DATE=1`` so the PDF does not carry the build time.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

TIMEOUT_SECONDS = 180


@dataclass(frozen=True)
class PdfResult:
    """``status`` is "built", "skipped" (no engine) or "failed"; ``detail`` says why."""

    status: str
    detail: str = ""


def find_engine() -> list[str] | None:
    """The command to build a PDF: latexmk if present (it reruns as needed), else pdflatex."""
    common = ["-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape"]
    if shutil.which("latexmk") and shutil.which("pdflatex"):
        return ["latexmk", "-pdf", "-quiet", "-norc", *common]
    if shutil.which("pdflatex"):
        return ["pdflatex", *common]
    return None


def _first_error(log: str) -> str:
    """The first TeX error line and the line after it, for a one-line diagnosis."""
    lines = log.splitlines()
    for k, line in enumerate(lines):
        if line.startswith("!"):
            return " ".join(x.strip() for x in lines[k:k + 2])
    return lines[-1].strip() if lines else "no log"


def build(tex_source: str, out_pdf: Path, engine: list[str] | None = None,
          assets: dict[str, bytes] | None = None) -> PdfResult:
    """Compile ``tex_source`` and copy the PDF to ``out_pdf``.

    ``assets`` (file name -> bytes, e.g. figures) are placed beside the source, where
    ``\\includegraphics`` finds them by name.

    The report has no cross-references, so one pdflatex pass is enough; latexmk
    decides for itself.
    """
    engine = engine if engine is not None else find_engine()
    if engine is None:
        return PdfResult("skipped", "no TeX engine found (install latexmk or pdflatex)")
    env = dict(os.environ, SOURCE_DATE_EPOCH="0", FORCE_SOURCE_DATE="1")
    with tempfile.TemporaryDirectory(prefix="symcheck-tex-") as tmp:
        src = Path(tmp) / "report.tex"
        src.write_bytes(tex_source.encode("utf-8"))
        for name, data in (assets or {}).items():
            (Path(tmp) / Path(name).name).write_bytes(data)
        try:
            proc = subprocess.run([*engine, "report.tex"], cwd=tmp, env=env, stdin=subprocess.DEVNULL,
                                  capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            return PdfResult("failed", f"{engine[0]} did not finish in {TIMEOUT_SECONDS} s")
        except OSError as exc:
            return PdfResult("failed", f"{engine[0]}: {exc}")
        pdf = Path(tmp) / "report.pdf"
        if proc.returncode != 0 or not pdf.exists():
            log_path = Path(tmp) / "report.log"
            log = log_path.read_text("utf-8", "replace") if log_path.exists() else proc.stdout.decode("utf-8", "replace")
            return PdfResult("failed", f"{engine[0]} exited {proc.returncode}: {_first_error(log)}")
        out_pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, out_pdf)
    return PdfResult("built", str(out_pdf))
