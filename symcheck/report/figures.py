"""Figures for the report, drawn with matplotlib where a picture says it better.

One figure so far: for a document whose front matter runs the two-layer collapse
proof, the loss of gradient descent per iteration from each start of the proof's
numeric demonstration, against the least-squares optimum (log scale).

The report's ``.tex`` only *names* a figure (``figure_name``) and includes it when
the file exists, so the ``.tex`` stays a pure function of the results and a machine
without matplotlib still builds the PDF, with a note instead of the picture.
Figures are PDFs from matplotlib's PDF backend, with fixed seeds and no
creation date or producer, so the same results give the same bytes on one machine
(floating-point details may differ between BLAS builds; the ``.tex`` never does).
"""
from __future__ import annotations

import io

from symcheck.proofs import parse_step_label
from symcheck.results import FileResult

DESCENT_STEP = "gradient-descent"


def figure_name(stem: str) -> str:
    return f"{stem}.descent.pdf"


def wants_descent_figure(result: FileResult) -> bool:
    """The document ran the collapse proof, whose numeric step is the descent demonstration."""
    for d in result.diagnostics:
        parsed = parse_step_label(d.label)
        if parsed and parsed[2] == DESCENT_STEP and d.message.startswith("proof step "):
            return True
    return False


def descent_figure() -> bytes:
    """The loss curves as PDF bytes; ImportError when matplotlib is missing."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    from symcheck.proofs.descent import descent_curves

    curves, optimum = descent_curves()
    fig = Figure(figsize=(7.5, 3.0))
    left, right = fig.subplots(1, 2)
    for k, losses in enumerate(curves, 1):
        steps = range(1, len(losses) + 1)
        left.plot(steps, losses, linewidth=1.0, label=f"start {k}")
        right.plot(steps, [max(c - optimum, 1e-17) for c in losses], linewidth=1.0)
    left.axhline(optimum, color="black", linestyle="--", linewidth=1.0, label="least squares")
    left.set_yscale("log")
    left.set_xlabel("iteration")
    left.set_ylabel("loss $C$")
    left.set_title("loss of gradient descent", fontsize=10)
    left.legend(fontsize=7)
    right.set_yscale("log")
    right.set_xlabel("iteration")
    right.set_ylabel("$C - C_{\\mathrm{lstsq}}$")
    right.set_title("excess over the least-squares optimum", fontsize=10)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="pdf", metadata={"CreationDate": None, "ModDate": None, "Producer": None,
                                            "Creator": None})
    return buf.getvalue()


def figures(result: FileResult, stem: str) -> tuple[dict[str, bytes], list[str]]:
    """(file name -> PDF bytes, notes) for one document's report."""
    if result.error or not wants_descent_figure(result):
        return {}, []
    try:
        return {figure_name(stem): descent_figure()}, []
    except ImportError:
        return {}, [f"note: {result.path}: matplotlib is not installed; the report says so instead of "
                    "showing the gradient-descent figure"]
