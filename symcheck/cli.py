"""Command line: ``symcheck check``, ``symcheck eval``, ``symcheck rules``, ``symcheck --version``.

This is the only module that prints.  Everything it shows comes from a renderer in
``symcheck.output``, so a bug in wording is fixed in one place for every format.

Exit codes (documented in the README and pinned by tests):
  0  nothing refuted;
  1  something refuted, a wrong cross-reference (SC104), an internal error (SC900), or with
     --strict something undecided;
  2  usage error, or a file that is missing, unreadable or not UTF-8.
``symcheck report`` exits 0 when every report was written (verdicts do not count:
the report is the product), 1 when a PDF build failed, 2 on usage or I/O errors.
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import IO, Sequence

from symcheck.diagnostics import RULES, Diagnostic
from symcheck.output import FORMAT_NAMES, renderer, tool_version
from symcheck.results import FAILING_FINDINGS, FileResult, verdict_of
from symcheck.source import Span

EXTENSIONS = (".md", ".markdown", ".tex", ".rst", ".txt")
EXIT_OK, EXIT_FAIL, EXIT_ERROR = 0, 1, 2


def _emit(stream: IO[str], text: str) -> None:
    """Write UTF-8 bytes whatever the locale: the report must be byte-identical everywhere."""
    buf = getattr(stream, "buffer", None)
    if buf is None:
        stream.write(text)
        return
    stream.flush()
    buf.write(text.encode("utf-8"))
    buf.flush()


def _error(path: str, message: str) -> None:
    _emit(sys.stderr, f"{path}: error: {message}\n")


def _walk(directory: str) -> list[str]:
    """Note files under ``directory``, in sorted tree order, hidden directories skipped.

    Sorting by path components (not by the joined string) keeps a directory's files
    together with the directory, and does not depend on the file system's order.
    """
    found: list[tuple[tuple[str, ...], str]] = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        rel_root = os.path.relpath(root, directory)
        for name in files:
            if name.lower().endswith(EXTENSIONS) and not name.startswith("."):
                rel = name if rel_root == "." else os.path.join(rel_root, name)
                found.append((tuple(rel.split(os.sep)), os.path.join(directory, rel)))
    return [p for _, p in sorted(found)]


def discover(paths: Sequence[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Files to check, in argument order with directories expanded; and (path, error) pairs.

    A file named explicitly is checked whatever its extension: the user asked for it.
    """
    files: list[str] = []
    errors: list[tuple[str, str]] = []
    seen: set[str] = set()
    for given in paths:
        if os.path.isdir(given):
            candidates = _walk(given)
        elif os.path.exists(given):
            candidates = [given]
        else:
            errors.append((given, "no such file or directory"))
            continue
        for path in candidates:
            key = os.path.normcase(os.path.abspath(path))
            if key not in seen:
                seen.add(key)
                files.append(path)
    return files, errors


def read_error(path: str) -> str:
    """Why ``path`` cannot be checked, or "" when it is readable UTF-8."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return exc.strerror or str(exc)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
    return ""


def check_one(path: str, timeout: float, strict: bool, run_implementations: bool = False) -> FileResult:
    """Run the engine on one file; an engine crash becomes an SC900 diagnostic.

    One bad file must not hide the verdicts on the others, and a crash must not look
    like a pass: SC900 makes the run exit 1.
    """
    from symcheck.pipeline import CheckOptions, check_file

    options = CheckOptions(timeout=timeout, strict=strict)
    try:
        result = check_file(path, options)
        if run_implementations:
            from symcheck.implementations import with_implementations  # runs author code, in a child process

            result = with_implementations(result)
        return result
    except (OSError, UnicodeDecodeError) as exc:
        return FileResult(path=path, text="", error=str(exc))
    except Exception as exc:  # noqa: BLE001 - reported, not swallowed
        try:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
        except (OSError, UnicodeDecodeError):
            text = ""
        diag = Diagnostic("SC900", f"internal error: {type(exc).__name__}: {exc}", Span(0, 0), path=path)
        return FileResult(path=path, text=text, diagnostics=(diag,))


DEFAULT_JOBS: int | None = None  # None: one worker per core


def _check_path(job: tuple[str, float, bool, bool]) -> FileResult:
    path, timeout, strict, run_implementations = job
    msg = read_error(path)
    return FileResult(path=path, text="", error=msg) if msg else check_one(path, timeout, strict, run_implementations)


def check_all(files: list[str], timeout: float, strict: bool, run_implementations: bool,
              jobs: int | None) -> list[FileResult]:
    """Check every file, in worker processes when there are several files and cores.
    Each file is checked on its own, so the results (in the order given) are the same
    bytes whatever the number of workers."""
    work = [(p, timeout, strict, run_implementations) for p in files]
    n = min(len(files), jobs if jobs is not None else (DEFAULT_JOBS or os.cpu_count() or 1), 8)
    if n <= 1:
        return [_check_path(w) for w in work]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    try:
        with ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context(method)) as pool:
            return list(pool.map(_check_path, work))
    except (OSError, RuntimeError):  # no processes here (a sandbox): one after the other
        return [_check_path(w) for w in work]


def exit_code(results: Sequence[FileResult], strict: bool, io_error: bool) -> int:
    """2 beats 1 beats 0, so a partial run is never reported as a clean one."""
    if io_error or any(r.error for r in results):
        return EXIT_ERROR
    for r in results:
        for d in r.diagnostics:
            v = verdict_of(d.code)
            if v == "refuted" or d.code in FAILING_FINDINGS or (strict and v == "undecided"):
                return EXIT_FAIL
    return EXIT_OK


def _discover_reported(paths: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Files to check, with every discovery problem already printed on stderr."""
    files, errors = discover(paths)
    for path, msg in errors:
        _error(path, msg)
    if not files and not errors:
        _error("symcheck", "no " + ", ".join("*" + e for e in EXTENSIONS) + " files found")
    return files, errors


def cmd_check(args: argparse.Namespace) -> int:
    files, errors = _discover_reported(args.paths)
    if not files:
        return EXIT_ERROR
    results = check_all(files, args.timeout, args.strict, args.run_implementations, args.jobs)
    for result in results:
        if result.error:
            _error(result.path, result.error)
    report = renderer(args.format)(results, quiet=args.quiet)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(report)
        except OSError as exc:
            _error(args.output, exc.strerror or str(exc))
            return EXIT_ERROR
    else:
        _emit(sys.stdout, report)
    return exit_code(results, args.strict, bool(errors))


def cmd_report(args: argparse.Namespace) -> int:
    """Check each document and write its LaTeX report, corrected copy and PDF."""
    from pathlib import Path

    from symcheck.report import build

    files, errors = _discover_reported(args.paths)
    if not files:
        return EXIT_ERROR
    results: list[FileResult] = []
    for path in files:
        msg = read_error(path)
        if msg:
            _error(path, msg)
            errors.append((path, msg))
            continue
        _emit(sys.stderr, f"{path}: checking\n")
        results.append(check_one(path, args.timeout, False, run_implementations=True))
    try:
        summary = build.write(results, Path(args.out), make_pdf=not args.no_pdf,
                              progress=lambda m: _emit(sys.stderr, m + "\n"))
    except OSError as exc:
        _error(args.out, exc.strerror or str(exc))
        return EXIT_ERROR
    for line in summary.notes + summary.pdf_failed + summary.errors:
        _emit(sys.stderr, line + "\n")
    for name in summary.written:
        _emit(sys.stdout, f"wrote {name}\n")
    if errors or summary.errors:
        return EXIT_ERROR
    return EXIT_FAIL if summary.pdf_failed else EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    """Evaluate one document's quantities, claims and gradients at the given values."""
    from fractions import Fraction

    from symcheck import evalreport, values

    given: list[values.Given] = []
    try:
        if args.values:
            try:
                with open(args.values, encoding="utf-8") as fh:
                    raw = fh.read()
            except (OSError, UnicodeDecodeError) as exc:
                _error(args.values, getattr(exc, "strerror", None) or str(exc))
                return EXIT_ERROR
            given += values.parse_file(raw, args.values)
        given += [values.parse_at(item) for item in args.at or []]
        rate: Fraction | None = values.number(args.rate) if args.rate is not None else None
    except values.ValueSyntaxError as exc:
        _error("symcheck eval", str(exc))
        return EXIT_ERROR
    if rate is not None and rate <= 0:
        _error("symcheck eval", f"--rate must be positive: {args.rate!r}")
        return EXIT_ERROR
    msg = read_error(args.path) if os.path.isfile(args.path) else "no such file"
    if msg:
        _error(args.path, msg)
        return EXIT_ERROR
    with open(args.path, encoding="utf-8") as fh:
        text = fh.read()
    try:
        result = evalreport.evaluate_text(text, args.path, given, rate, fd=args.fd)
    except RecursionError:
        _error(args.path, "the document is nested too deeply to evaluate")
        return EXIT_ERROR
    for d in result.diagnostics:
        if d.code == "SC400":
            _error(d.path, d.message)
    if result.usage_error and not result.entries:
        return EXIT_ERROR
    render = evalreport.render_json if args.format == "json" else evalreport.render_text
    _emit(sys.stdout, render(result))
    return result.exit_code()


def rules_text(markdown: bool = False) -> str:
    """The rule registry as an aligned list, or as the Markdown table the README embeds."""
    rules = [RULES[c] for c in sorted(RULES)]
    if markdown:
        lines = ["| Code | Name | Level | Verdict | Meaning |", "| --- | --- | --- | --- | --- |"]
        lines += [f"| {r.code} | {r.name} | {r.level} | {verdict_of(r.code) or '—'} | {r.doc} |" for r in rules]
    else:
        width = max(len(r.name) for r in rules)
        lines = [f"{r.code}  {r.level:<7}  {r.name:<{width}}  {r.doc}" for r in rules]
    return "\n".join(lines) + "\n"


def cmd_rules(args: argparse.Namespace) -> int:
    _emit(sys.stdout, rules_text(args.markdown))
    return EXIT_OK


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1: {value!r}")
    return int(value)


def _positive(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not seconds > 0 or seconds == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds: {value!r}")
    return seconds


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="symcheck",
        description="Check the relations stated in lecture notes symbolically.",
        epilog="exit codes: 0 nothing refuted; 1 something refuted or a wrong cross-reference "
        "(or undecided with --strict); 2 usage or I/O error",
    )
    parser.add_argument("--version", action="version", version=f"symcheck {tool_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    check = sub.add_parser("check", help="check files and directories of notes")
    check.add_argument("paths", nargs="+", metavar="PATH", help="file or directory (walked recursively)")
    check.add_argument("--format", choices=FORMAT_NAMES, default="text", help="report format (default: text)")
    check.add_argument("--strict", action="store_true", help="also fail (exit 1) when a relation is undecided")
    check.add_argument("--timeout", type=_positive, default=5.0, metavar="SECONDS",
                       help="time limit per relation (default: 5)")
    check.add_argument("--run-implementations", action="store_true",
                       help="also run the reference implementations the front matter names (in a child "
                            "process) and compare them with the document; off by default: check runs no code")
    check.add_argument("--jobs", "-j", type=_jobs, default=None, metavar="N",
                       help="check up to N files at once in worker processes (default: one per core)")
    check.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    check.add_argument("--quiet", "-q", action="store_true",
                       help="text format: show only warnings and errors, and the total")
    check.set_defaults(func=cmd_check)
    report = sub.add_parser("report", help="write a LaTeX/PDF report and a corrected copy of each document")
    report.add_argument("paths", nargs="+", metavar="PATH", help="file or directory (walked recursively)")
    report.add_argument("--out", required=True, metavar="DIR", help="directory for the report files")
    report.add_argument("--no-pdf", action="store_true", help="write the .tex but do not run TeX")
    report.add_argument("--timeout", type=_positive, default=5.0, metavar="SECONDS",
                        help="time limit per relation (default: 5)")
    report.set_defaults(func=cmd_report)
    evaluate = sub.add_parser("eval", help="evaluate a document's quantities and gradients at given values")
    evaluate.add_argument("path", metavar="PATH", help="one document")
    evaluate.add_argument("--at", action="append", metavar="NAME=VALUE",
                          help="a value for a name as the document writes it: a number (2, -0.5, 1/3) "
                          "or a matrix as JSON nested lists; repeat for several")
    evaluate.add_argument("--values", metavar="FILE", help="a JSON object of NAME: VALUE pairs")
    evaluate.add_argument("--rate", metavar="NUMBER",
                          help="learning rate for one step of gradient descent")
    evaluate.add_argument("--fd", action="store_true",
                          help="check each stated gradient's engine value against central finite "
                          "differences of the cost (60 digits, agreement to 1e-8)")
    evaluate.add_argument("--format", choices=("text", "json"), default="text",
                          help="report format (default: text)")
    evaluate.set_defaults(func=cmd_eval)
    rules = sub.add_parser("rules", help="list every diagnostic code")
    rules.add_argument("--markdown", action="store_true", help="print a Markdown table")
    rules.set_defaults(func=cmd_rules)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code (argparse's own exits are turned into returns)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    if not getattr(args, "func", None):
        parser.print_usage(sys.stderr)
        return EXIT_ERROR
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
