"""Accuracy of symcheck on the hand-labelled corpus in ``tests/corpus/``.

Run from the repository root::

    python bench/accuracy.py                # Markdown table on stdout
    python bench/accuracy.py --json         # the same figures as JSON
    python bench/accuracy.py -j 2 tests/corpus/01-linreg-mse-gradient.md

Matching (why it is done this way): the ground truth (``name.truth.json``, format in
``tests/corpus/README.md``) gives each relation only a line number and its text, while
symcheck gives each relation one *verdict* diagnostic with a character span.  Both sides
list relations in document order, so on each line the k-th ground-truth relation is
paired with the k-th verdict diagnostic whose span starts on that line (column order).
A relation with no partner is reported as *unmatched*, a verdict without a partner as
*extra*: either means the engine split the text into relations differently from the
ground truth, and the figures below silently exclude those relations, so the counts are
printed next to the rates.

The figures:

* recall on injected errors: false relations that were refuted / all false relations;
* false alarms: true relations that were refuted (count, and share of true relations);
* errors certified: false relations that were *proved or verified*, the worst outcome;
* undecided share: claims (true + false) that came out undecided;
* definitions recognised: ground-truth definitions reported as definitions.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script from anywhere: import the tree's symcheck
    sys.path.insert(0, str(REPO))

from symcheck.pipeline import CheckOptions, check_text  # noqa: E402
from symcheck.results import verdict_of  # noqa: E402
from symcheck.source import LineIndex  # noqa: E402

CORPUS = REPO / "tests" / "corpus"
DOC_SUFFIXES = (".md", ".tex", ".rst")


@dataclass(frozen=True)
class Verdict:
    """One verdict diagnostic, reduced to what the matcher needs."""

    line: int
    column: int
    verdict: str  # definition / proved / verified / refuted / undecided
    code: str
    message: str
    fixes: int = 0  # proved repairs offered with a refutation


@dataclass(frozen=True)
class Pair:
    """A ground-truth relation and the verdict paired with it (None when unmatched)."""

    line: int
    text: str
    truth: str  # "true" / "false" / "definition"
    error: str | None
    verdict: Verdict | None


@dataclass
class DocReport:
    """Everything measured on one document."""

    name: str
    seconds: float
    pairs: list[Pair] = field(default_factory=list)
    extra: list[Verdict] = field(default_factory=list)  # verdicts no ground-truth relation claimed
    timed_out: bool = False  # the whole document ran over the benchmark's cap

    # counts -----------------------------------------------------------------------------
    def _n(self, truth: str, verdicts: tuple[str, ...] | None = None) -> int:
        return sum(1 for p in self.pairs if p.truth == truth and p.verdict is not None
                   and (verdicts is None or p.verdict.verdict in verdicts))

    def counts(self) -> dict[str, int]:
        return {
            "timed_out": int(self.timed_out),
            "relations": len(self.pairs),
            "unmatched": sum(1 for p in self.pairs if p.verdict is None),
            "extra": len(self.extra),
            "false": sum(1 for p in self.pairs if p.truth == "false"),
            "false_refuted": self._n("false", ("refuted",)),
            "false_certified": self._n("false", ("proved", "verified")),
            "true": sum(1 for p in self.pairs if p.truth == "true"),
            "true_refuted": self._n("true", ("refuted",)),
            "true_confirmed": self._n("true", ("proved", "verified")),
            "claims_undecided": self._n("true", ("undecided",)) + self._n("false", ("undecided",)),
            "claims": sum(1 for p in self.pairs if p.truth in ("true", "false")),
            "definitions": sum(1 for p in self.pairs if p.truth == "definition"),
            "definitions_recognised": self._n("definition", ("definition",)),
        }


def truth_path(doc: Path) -> Path:
    return doc.with_name(doc.stem + ".truth.json")


def corpus_documents(root: Path = CORPUS) -> list[Path]:
    """Every document in the corpus that has a ground-truth file, in name order."""
    return sorted(p for p in root.iterdir() if p.suffix in DOC_SUFFIXES and truth_path(p).exists())


_OTHER_RELATION = re.compile(r"\\in\b|\\[gl]eq?\b|\\neq?\b|\\approx\b|\\sim\b|\\propto\b|[<>]")


def is_non_equation(span_text: str) -> bool:
    """Whether a verdict is about ``\\in``/``\\le``/… rather than ``=``.

    The ground truth lists only ``=`` relations, but symcheck also gives a verdict to
    declarations such as ``X \\in \\mathbb{R}^{n \\times d}``; on a line that has both,
    pairing by column would be off by one.  A span with no ``=`` and such an operator is
    set aside.  (Spans of chain links and ``&=`` rows cover only the right side, so the
    absence of ``=`` alone proves nothing.)
    """
    return "=" not in span_text and bool(_OTHER_RELATION.search(span_text))


def verdicts_by_line(text: str, diagnostics) -> dict[int, list[Verdict]]:  # type: ignore[no-untyped-def]
    """Verdict diagnostics about ``=`` relations, grouped by the line their span starts on, in column order."""
    index = LineIndex(text)
    out: dict[int, list[Verdict]] = defaultdict(list)
    for d in diagnostics:
        v = verdict_of(d.code)
        if v is None or is_non_equation(text[d.span.start:d.span.end]):
            continue
        line, col = index.position(d.span.start)
        out[line].append(Verdict(line, col, v, d.code, d.message, len(d.fixes)))
    for vs in out.values():
        vs.sort(key=lambda v: v.column)
    return out


def match(text: str, diagnostics, relations: list[dict]) -> tuple[list[Pair], list[Verdict]]:  # type: ignore[no-untyped-def]
    """Pair ground-truth relations with verdicts line by line, in column order.

    Returns the pairs (one per ground-truth relation, in ground-truth order) and the
    verdicts left over.
    """
    by_line = verdicts_by_line(text, diagnostics)
    taken: dict[int, int] = defaultdict(int)
    pairs: list[Pair] = []
    for rel in relations:
        line = int(rel["line"])
        k = taken[line]
        candidates = by_line.get(line, [])
        verdict = candidates[k] if k < len(candidates) else None
        taken[line] = k + 1
        pairs.append(Pair(line, rel["text"], rel["truth"], rel.get("error"), verdict))
    extra = [v for line, vs in sorted(by_line.items()) for v in vs[taken.get(line, 0):]]
    return pairs, extra


def evaluate(doc: Path, timeout: float = 5.0, fixes: bool = False) -> DocReport:
    """Check one document and match its verdicts against its ground truth.  With ``fixes``
    the check is the one ``symcheck check`` runs (repairs searched, a contradicted
    definition reported where it is); without, verdicts only, which is faster."""
    text = doc.read_text(encoding="utf-8")
    relations = json.loads(truth_path(doc).read_text(encoding="utf-8"))["relations"]
    t0 = time.perf_counter()
    result = check_text(text, str(doc), CheckOptions(timeout=timeout, fixes=fixes))
    seconds = time.perf_counter() - t0
    pairs, extra = match(text, result.diagnostics, relations)
    return DocReport(doc.name, seconds, pairs, extra)


def report_to_dict(r: DocReport) -> dict:
    return {"name": r.name, "seconds": round(r.seconds, 3), "timed_out": r.timed_out, "counts": r.counts(),
            "pairs": [asdict(p) for p in r.pairs], "extra": [asdict(v) for v in r.extra]}


def report_from_dict(d: dict) -> DocReport:
    def verdict(v: dict | None) -> Verdict | None:
        return None if v is None else Verdict(**v)

    pairs = [Pair(p["line"], p["text"], p["truth"], p["error"], verdict(p["verdict"])) for p in d["pairs"]]
    return DocReport(d["name"], d["seconds"], pairs, [Verdict(**v) for v in d["extra"]], d.get("timed_out", False))


def evaluate_capped(doc: Path, timeout: float, cap_s: float, fixes: bool = False) -> DocReport:
    """``evaluate`` in a child interpreter, killed after ``cap_s`` seconds.

    Why a child: the engine's per-relation time limit is not always honoured (some corpus
    documents run for many minutes), and one such document must not stall the whole
    benchmark.  A document that runs over is reported with every relation unmatched and
    ``timed_out`` set, so the totals show it instead of silently dropping it.
    """
    argv = [sys.executable, str(Path(__file__).resolve()), "--child", str(doc), "--timeout", str(timeout)] \
        + (["--fixes"] if fixes else [])
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=cap_s, check=False, cwd=REPO)
    except subprocess.TimeoutExpired:  # subprocess.run has killed the child it started
        relations = json.loads(truth_path(doc).read_text(encoding="utf-8"))["relations"]
        pairs = [Pair(int(r["line"]), r["text"], r["truth"], r.get("error"), None) for r in relations]
        return DocReport(doc.name, time.perf_counter() - t0, pairs, [], timed_out=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{doc}: checking crashed:\n{proc.stderr}")
    return report_from_dict(json.loads(proc.stdout))


def _rate(num: int, den: int) -> str:
    return f"{num}/{den} ({100 * num / den:.0f}%)" if den else "-"


def total_counts(reports: list[DocReport]) -> dict[str, int]:
    tot: dict[str, int] = defaultdict(int)
    for r in reports:
        for k, v in r.counts().items():
            tot[k] += v
    return dict(tot)


def markdown(reports: list[DocReport]) -> str:
    head = ("| document | recall on injected errors | false alarms | errors certified | undecided share | "
            "definitions recognised | unmatched / extra | time |")
    rows = [head, "|---|---:|---:|---:|---:|---:|---:|---:|"]

    def row(name: str, c: dict[str, int], seconds: float) -> str:
        return (f"| {name} | {_rate(c['false_refuted'], c['false'])} | {_rate(c['true_refuted'], c['true'])} | "
                f"{_rate(c['false_certified'], c['false'])} | {_rate(c['claims_undecided'], c['claims'])} | "
                f"{_rate(c['definitions_recognised'], c['definitions'])} | {c['unmatched']} / {c['extra']} | "
                f"{seconds:.1f} s{' (killed: over the cap)' if c['timed_out'] == 1 and name != '**total**' else ''} |")

    for r in reports:
        rows.append(row(r.name, r.counts(), r.seconds))
    rows.append(row("**total**", total_counts(reports), sum(r.seconds for r in reports)))
    tot = total_counts(reports)
    notes = ["", f"{len(reports)} documents, {tot.get('relations', 0)} ground-truth relations; "
             f"{tot.get('timed_out', 0)} document(s) killed at the per-document cap (all their relations unmatched); "
             f"{tot.get('unmatched', 0)} relations unmatched in total. Every rate has all ground-truth relations of "
             "its kind as denominator; an unmatched relation is in no numerator (it lowers recall and definitions "
             "recognised, and is neither a false alarm nor undecided).",
             "", "False alarms (true relations refuted):", ""]
    alarms = [(r.name, p) for r in reports for p in r.pairs
              if p.truth == "true" and p.verdict and p.verdict.verdict == "refuted"]
    notes += [f"- {name}:{p.line} `{p.text}` — {p.verdict.message}" for name, p in alarms] or ["- none"]  # type: ignore[union-attr]
    notes += ["", "Injected errors proved or verified:", ""]
    cert = [(r.name, p) for r in reports for p in r.pairs
            if p.truth == "false" and p.verdict and p.verdict.verdict in ("proved", "verified")]
    notes += [f"- {name}:{p.line} `{p.text}` ({p.error}) — {p.verdict.message}" for name, p in cert] or ["- none"]  # type: ignore[union-attr]
    return "\n".join(rows + notes) + "\n"


def as_json(reports: list[DocReport]) -> str:
    data = {"documents": [report_to_dict(r) for r in reports], "total": total_counts(reports)}
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="symcheck accuracy on the labelled corpus")
    ap.add_argument("documents", nargs="*", help="corpus documents (default: all of tests/corpus/)")
    ap.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    ap.add_argument("--timeout", type=float, default=5.0, help="per-relation timeout (default 5 s)")
    ap.add_argument("--doc-cap", type=float, default=300.0,
                    help="kill the check of one document after this many seconds (default 300)")
    ap.add_argument("-j", "--jobs", type=int, default=1, help="documents checked in parallel")
    ap.add_argument("--fixes", action="store_true",
                    help="check as `symcheck check` does, with repairs (a row that inherits a slip in a "
                         "definition is then decided with the definition corrected); slower")
    ap.add_argument("--child", metavar="DOC", help=argparse.SUPPRESS)  # internal: one document, JSON
    args = ap.parse_args(argv)
    if args.child:
        sys.stdout.write(json.dumps(report_to_dict(evaluate(Path(args.child), args.timeout, args.fixes))))
        return 0
    docs = [Path(d) for d in args.documents] or corpus_documents()
    with ThreadPoolExecutor(max(1, args.jobs)) as pool:  # threads only wait on child processes
        reports = list(pool.map(lambda d: evaluate_capped(d, args.timeout, args.doc_cap, args.fixes), docs))
    sys.stdout.write(as_json(reports) if args.json else markdown(reports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
