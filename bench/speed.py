"""Speed benchmark for symcheck; prints one Markdown report on stdout and writes nothing else.

Run from the repository root::

    python bench/speed.py                 # everything (the derivations part takes minutes today)
    python bench/speed.py --runs 1        # one cold run of derivations/ instead of three
    python bench/speed.py --skip-derivations --sizes 4,16,64

Why it is built this way:

* Every measurement runs in its own child process so that (1) a cold start really is
  cold, (2) ``ru_maxrss`` from ``os.wait4`` is the peak memory of *that* measurement and
  not of everything the parent did before, and (3) a run that hangs can be killed
  without taking the report down with it.
* The matrix-gradient part compares three ways of deciding the same claim as the row
  count N grows: symcheck with a size *symbol* (the document does not mention N at all,
  so the column shows whether the engine has a per-size cost it should not have),
  symcheck with N written as a number, and a naive SymPy baseline that builds the
  explicit N×3 matrices and differentiates entry by entry.  The baseline is what one
  would write without symcheck; it is capped (default 60 s) and killed when it runs over.
* Inside a child, the engine is warmed up on a tiny scalar document first, so the
  ``check_text`` figure is the decision time and not the one-off cost of importing SymPy
  (the cold-start figure in part (a) covers that).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DERIVATIONS = "derivations"
DEFAULT_SIZES = (4, 16, 64, 256, 1000)

# Targets stated in the brief, reported next to the measurements.
TARGET_DERIVATIONS_S = 2.0
TARGET_CONCRETE_S = 0.5


@dataclass
class ChildRun:
    """What one child process did: wall time, peak memory, exit status, output."""

    wall_s: float
    maxrss_kb: int
    returncode: int | None  # None when killed for running over its cap
    stdout: str
    stderr: str
    killed: bool = False


def run_child(argv: list[str], cap_s: float | None = None) -> ChildRun:
    """Run ``argv`` in a new process group; return its wall time and its own peak RSS.

    ``os.wait4`` is used instead of ``Popen.wait`` because it hands back the rusage of
    exactly this child (``RUSAGE_CHILDREN`` would be the maximum over all children so
    far).  Pipes are drained by threads so a chatty child cannot block on a full pipe.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    chunks: dict[str, list[bytes]] = {"out": [], "err": []}

    def drain(stream, key: str) -> None:  # type: ignore[no-untyped-def]
        for block in iter(lambda: stream.read(65536), b""):
            chunks[key].append(block)

    readers = [threading.Thread(target=drain, args=(proc.stdout, "out"), daemon=True),
               threading.Thread(target=drain, args=(proc.stderr, "err"), daemon=True)]
    for t in readers:
        t.start()
    killed = False
    timer: threading.Timer | None = None
    if cap_s is not None:
        def kill() -> None:
            nonlocal killed
            killed = True
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # the group we created: only our child
            except ProcessLookupError:
                pass
        timer = threading.Timer(cap_s, kill)
        timer.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if timer is not None:
        timer.cancel()
    for t in readers:
        t.join()
    proc.returncode = os.waitstatus_to_exitcode(status)  # keep Popen from waiting again
    return ChildRun(wall_s=wall, maxrss_kb=int(usage.ru_maxrss), returncode=None if killed else proc.returncode,
                    stdout=b"".join(chunks["out"]).decode("utf-8", "replace"),
                    stderr=b"".join(chunks["err"]).decode("utf-8", "replace"), killed=killed)


# ---------------------------------------------------------------------------------------
# documents


def gradient_document(size: str) -> str:
    """The matrix-form MSE gradient note with the row count written as ``size``.

    ``size`` is either a symbol (``n``) or a decimal number; nothing else differs, so
    the two engine columns compare exactly the same claim.
    """
    return (
        "# Gradient of the mean squared error\n\n"
        f"Let $A \\in \\mathbb{{R}}^{{{size} \\times 3}}$, $y \\in \\mathbb{{R}}^{{{size}}}$ and "
        "$w \\in \\mathbb{R}^{3}$.\n\n"
        f"$$L = \\frac{{1}}{{{size}}} \\sum (y - A w)^2$$\n\n"
        f"$$\\frac{{\\partial L}}{{\\partial w}} = -\\frac{{2}}{{{size}}} A^T (y - A w)$$\n"
    )


CONCRETE_ROWS = 1000


def concrete_documents() -> list[tuple[str, str]]:
    """1000-row elementwise claims with concrete sizes: (label, document)."""
    head = (f"Let $y \\in \\mathbb{{R}}^{{{CONCRETE_ROWS}}}$ and $z \\in \\mathbb{{R}}^{{{CONCRETE_ROWS}}}$.\n\n"
            "$$r = y - z$$\n\n")
    return [
        ("`r \\odot r = y \\odot y - 2 y \\odot z + z \\odot z`",
         head + "$$r \\odot r = y \\odot y - 2 y \\odot z + z \\odot z$$\n"),
        ("`2 r = 2 y - 2 z`", head + "$$2 r = 2 y - 2 z$$\n"),
        ("`r_i = y_i - z_i` (indexed)", head + "$$r_i = y_i - z_i$$\n"),
    ]


# ---------------------------------------------------------------------------------------
# children: code strings run with ``python -c`` so the benchmark writes no files

ENGINE_CHILD = r"""
import json, sys, time
from symcheck.pipeline import CheckOptions, check_text
from symcheck.results import verdict_of
doc, timeout = sys.argv[1], float(sys.argv[2])
check_text("$$ f = x^2 $$\n\n$$ \\frac{d f}{d x} = 2 x $$\n", "warmup.md", CheckOptions(timeout=timeout))
t0 = time.perf_counter()
res = check_text(doc, "bench.md", CheckOptions(timeout=timeout, fixes=False))
dt = time.perf_counter() - t0
verdicts = [verdict_of(d.code) for d in res.diagnostics if verdict_of(d.code)]
print(json.dumps({"seconds": dt, "verdicts": verdicts,
                  "last": [d.message for d in res.diagnostics if verdict_of(d.code)][-1:]}))
"""

NAIVE_CHILD = r"""
import json, sys, time
import sympy as sp
n = int(sys.argv[1])
t0 = time.perf_counter()
A = sp.Matrix(n, 3, lambda i, j: sp.Symbol(f"a_{i}_{j}"))
y = sp.Matrix(n, 1, lambda i, j: sp.Symbol(f"y_{i}"))
w = sp.Matrix(3, 1, lambda i, j: sp.Symbol(f"w_{i}"))
r = y - A * w
loss = sp.expand(sum((r[i] ** 2 for i in range(n)), sp.Integer(0)) / n)
grad = sp.Matrix([sp.diff(loss, w[j]) for j in range(3)])
claim = -sp.Rational(2, n) * A.T * r
ok = all(sp.expand(grad[j] - claim[j]) == 0 for j in range(3))
print(json.dumps({"seconds": time.perf_counter() - t0, "equal": ok}))
"""


def engine_child(doc: str, timeout: float, cap_s: float) -> tuple[ChildRun, dict | None]:
    """Time ``check_text`` on ``doc`` in a fresh interpreter; parse the child's JSON line."""
    run = run_child([sys.executable, "-c", ENGINE_CHILD, doc, str(timeout)], cap_s=cap_s)
    if run.killed or run.returncode != 0:
        return run, None
    return run, json.loads(run.stdout.strip().splitlines()[-1])


def naive_child(n: int, cap_s: float) -> tuple[ChildRun, dict | None]:
    """The explicit-matrix SymPy baseline for ``n`` rows, killed after ``cap_s`` seconds."""
    run = run_child([sys.executable, "-c", NAIVE_CHILD, str(n)], cap_s=cap_s)
    if run.killed or run.returncode != 0:
        return run, None
    return run, json.loads(run.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------
# report helpers


def fmt_s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"


def fmt_mb(kb: int) -> str:
    return f"{kb / 1024:.0f} MB"


def verdict_summary(verdicts: list[str]) -> str:
    """The verdict of the last relation (the claim), which is what the row is about."""
    return verdicts[-1] if verdicts else "(none)"


def machine_info() -> list[str]:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            model = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), "?")
    except OSError:
        model = platform.processor() or "?"
    import sympy  # noqa: PLC0415 - only for its version in the header

    try:  # the tree is shared with engine work in progress: say which code was measured
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                              text=True, check=False).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "symcheck"], cwd=REPO,
                               capture_output=True, text=True, check=False).stdout.strip()
        rev = f"{head}{' + uncommitted changes under symcheck/' if dirty else ''}"
    except OSError:
        rev = "?"
    return [
        f"- symcheck tree: {rev}",
        f"- nproc: {os.cpu_count()} (usable: {len(os.sched_getaffinity(0))})",
        f"- CPU: {model}",
        f"- Python: {platform.python_version()} ({sys.executable})",
        f"- SymPy: {sympy.__version__}",
        f"- platform: {platform.platform()}",
        "- load average at start (1/5/15 min): " + " / ".join(f"{v:.2f}" for v in os.getloadavg())
        + " (other work on the machine inflates every figure below)",
    ]


@dataclass
class DerivationsReport:
    runs: list[ChildRun] = field(default_factory=list)
    per_doc: list[tuple[str, ChildRun, dict]] = field(default_factory=list)


def bench_derivations(runs: int, per_doc: bool) -> list[str]:
    """(a) ``python -m symcheck check derivations/ --format json`` from a cold start."""
    cmd = [sys.executable, "-m", "symcheck", "check", DERIVATIONS, "--format", "json"]
    out = ["## (a) `symcheck check derivations/` from a cold start", "",
           f"Command: `{' '.join(['python'] + cmd[1:])}` (a fresh interpreter per run).", ""]
    rep = DerivationsReport()
    for _ in range(runs):
        rep.runs.append(run_child(cmd))
    walls = [r.wall_s for r in rep.runs]
    first = rep.runs[0]
    totals = {}
    try:
        totals = json.loads(first.stdout).get("totals", {})
    except json.JSONDecodeError:
        pass
    out += ["| runs | min | median | max | peak RSS (max over runs) | exit code | target |",
            "|---:|---:|---:|---:|---:|---:|---|",
            f"| {runs} | {fmt_s(min(walls))} | {fmt_s(statistics.median(walls))} | {fmt_s(max(walls))} | "
            f"{fmt_mb(max(r.maxrss_kb for r in rep.runs))} | {first.returncode} | "
            f"≤ {TARGET_DERIVATIONS_S:g} s cold on 2 cores: "
            f"{'met' if min(walls) <= TARGET_DERIVATIONS_S else 'NOT met'} |", ""]
    if totals:
        out += ["Verdicts (run 1): " + ", ".join(f"{k} {v}" for k, v in sorted(totals.items())), ""]
    if per_doc:
        out += ["Per document (one cold run each: `python -m symcheck check <file> --format json`):", "",
                "| document | wall | peak RSS | definition | proved | verified | refuted | undecided |",
                "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for path in sorted((REPO / DERIVATIONS).glob("*.md")):
            rel = path.relative_to(REPO).as_posix()
            run = run_child([sys.executable, "-m", "symcheck", "check", rel, "--format", "json"])
            try:
                counts = json.loads(run.stdout)["files"][0]["counts"]
            except (json.JSONDecodeError, KeyError, IndexError):
                counts = {}
            cells = " | ".join(str(counts.get(k, "?")) for k in
                               ("definition", "proved", "verified", "refuted", "undecided"))
            out.append(f"| {rel} | {fmt_s(run.wall_s)} | {fmt_mb(run.maxrss_kb)} | {cells} |")
        out.append("")
    return out


def bench_gradient(sizes: list[int], timeout: float, engine_cap: float, naive_cap: float) -> list[str]:
    """(b) the matrix-form gradient claim as N grows: symbolic size, numeric size, naive SymPy."""
    out = ["## (b) Matrix-form MSE gradient as the row count N grows", "",
           "Document (with `<N>` replaced by the size symbol `n` or by the number):", "", "```markdown",
           gradient_document("<N>").rstrip(), "```", "",
           f"symcheck columns: `check_text` time in a fresh interpreter after a warm-up "
           f"(CheckOptions(timeout={timeout:g}, fixes=False)), verdict of the gradient claim, peak RSS of that "
           f"process. The symbolic document is the same for every N (it never mentions N), "
           f"so its column is measured again per row only to show the spread. "
           f"Naive SymPy: explicit N×3 symbol matrices, expanded loss, `diff` per weight, "
           f"`expand(grad - claim) == 0`; killed after {naive_cap:g} s.", "",
           "| N | symbolic `n`: time | verdict | RSS | numeric N: time | verdict | RSS | naive SymPy: time | equal | RSS |",
           "|---:|---:|---|---:|---:|---|---:|---:|---|---:|"]
    sym_doc = gradient_document("n")
    for n in sizes:
        cells: list[str] = [str(n)]
        for doc in (sym_doc, gradient_document(str(n))):
            run, data = engine_child(doc, timeout, engine_cap)
            if data is None:
                what = f"> {engine_cap:g} s (killed)" if run.killed else f"crashed (exit {run.returncode})"
                cells += [what, "-", fmt_mb(run.maxrss_kb)]
            else:
                cells += [fmt_s(data["seconds"]), verdict_summary(data["verdicts"]), fmt_mb(run.maxrss_kb)]
        run, data = naive_child(n, naive_cap)
        if data is None:
            what = f"> {naive_cap:g} s" if run.killed else f"crashed (exit {run.returncode})"
            cells += [what, "-", fmt_mb(run.maxrss_kb)]
        else:
            cells += [fmt_s(data["seconds"]), "yes" if data["equal"] else "NO", fmt_mb(run.maxrss_kb)]
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    return out


def bench_concrete(timeout: float, engine_cap: float) -> list[str]:
    """(c) elementwise claims over concrete 1000-row vectors (target ≤ 0.5 s)."""
    out = [f"## (c) Concrete {CONCRETE_ROWS}-row elementwise claim", "",
           f"Setup: `y, z ∈ ℝ^{CONCRETE_ROWS}`, `r = y - z`, then the claim. Timed as in (b). "
           f"Target ≤ {TARGET_CONCRETE_S:g} s.", "",
           "| claim | check_text time | verdict | peak RSS | target |", "|---|---:|---|---:|---|"]
    for label, doc in concrete_documents():
        run, data = engine_child(doc, timeout, engine_cap)
        if data is None:
            what = f"> {engine_cap:g} s (killed)" if run.killed else f"crashed (exit {run.returncode})"
            out.append(f"| {label} | {what} | - | {fmt_mb(run.maxrss_kb)} | NOT met |")
            continue
        met = "met" if data["seconds"] <= TARGET_CONCRETE_S and data["verdicts"][-1] in ("proved", "verified") \
            else "NOT met"
        out.append(f"| {label} | {fmt_s(data['seconds'])} | {verdict_summary(data['verdicts'])} | "
                   f"{fmt_mb(run.maxrss_kb)} | {met} |")
    out += ["", "(A row counts as meeting the target only if the true claim is also proved or verified.)", ""]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="cold runs of derivations/ (default 3)")
    ap.add_argument("--skip-derivations", action="store_true", help="skip part (a)")
    ap.add_argument("--no-per-doc", action="store_true", help="skip the per-document runs of part (a)")
    ap.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="row counts for part (b)")
    ap.add_argument("--timeout", type=float, default=5.0, help="symcheck per-relation timeout (default 5)")
    ap.add_argument("--naive-cap", type=float, default=60.0, help="kill the naive baseline after this (s)")
    ap.add_argument("--engine-cap", type=float, default=300.0, help="kill an engine child after this (s)")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    lines = ["# symcheck speed benchmark", "", *machine_info(), ""]
    if not args.skip_derivations:
        lines += bench_derivations(args.runs, per_doc=not args.no_per_doc)
    lines += bench_gradient(sizes, args.timeout, args.engine_cap, args.naive_cap)
    lines += bench_concrete(args.timeout, args.engine_cap)
    lines += ["Load average at end (1/5/15 min): " + " / ".join(f"{v:.2f}" for v in os.getloadavg()), ""]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
