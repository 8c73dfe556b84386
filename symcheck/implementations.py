"""Reference implementations: the author's numpy code held to the document's mathematics.

A document names its implementation in the front matter (Markdown)::

    ---
    implementation: two-layer-linear-gradients.py
    ---

The path is relative to the document and must stay inside the document's
directory (no ``..``, no absolute path, no symlink out).  The module declares, in a
module-level dict literal named ``SYMCHECK``, which document quantity each of its
functions computes and which document expression each argument receives::

    SYMCHECK = {
        "grad_u": {
            "computes": r"\\frac{\\partial C}{\\partial \\mathbf{u}}",
            "args": {"X": r"\\mathbf{X}", "u": r"\\mathbf{u}", "v": r"\\mathbf{v}", "z": r"..."},
        },
    }

``computes`` and every argument are LaTeX in the document's own symbols.  The
engine rebuilds each of them from the document's definitions at the document's
sizes (``symcheck.lower``; derivatives by ``symcheck.derivative``, exactly as a
claim ``computes = ...`` would be decided).  Every argument must be made of the
document's variables (or constants such as the 1 of a bias column); the random
points assign those variables, and the quantity's exact value is compared with what
the function returns (``RTOL`` relative, at ``POINTS`` seeded points).

Safety: the ``SYMCHECK`` dict is read with ``ast.literal_eval`` (no execution).  The
implementation itself is code the author attached, not document text: it runs only
in a child process (``sys.executable``, no shell, a time limit, in the
implementation's directory), and only when the caller asks for it (``symcheck
report``, or ``symcheck check --run-implementations``).  Document text never
reaches eval/exec.

Verdicts are diagnostics at the front matter's ``implementation:`` value: SC107
(verified at every point), SC106 (refuted: a point where they differ, with both
values) and SC205 (undecided, with the reason: the path, the declaration, the
document, or the implementation crashed or ran out of time).  ``lhs`` is the
quantity as declared, ``rhs`` the function typeset by latexify, ``label``
``file:function``.
"""
from __future__ import annotations

import ast
import hashlib
import json
import math
import os
import random
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import sympy as sp

from symcheck.diagnostics import Diagnostic
from symcheck.source import Span

KEY = "implementation"
POINTS = 5
RTOL = 1e-9
TIME_LIMIT = 60.0  # seconds for one implementation file: importing numpy and latexify, every call
SPEC_NAME = "SYMCHECK"
MAX_SHOWN = 12  # variables shown in a counterexample


class SpecError(Exception):
    """The path or the ``SYMCHECK`` declaration is unusable; the message says why."""


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    computes: str
    args: tuple[tuple[str, str], ...]
    line: int


def resolve(document: str, value: str) -> Path:
    """The implementation file named by ``value``, inside the document's directory."""
    value = value.strip()
    if not value:
        raise SpecError("the implementation path is empty")
    pure = PurePosixPath(value.replace("\\", "/"))
    if pure.is_absolute() or (len(value) > 1 and value[1] == ":"):
        raise SpecError(f"the implementation path {value!r} is absolute; give it relative to the document")
    if ".." in pure.parts:
        raise SpecError(f"the implementation path {value!r} leaves the document's directory")
    if pure.suffix != ".py":
        raise SpecError(f"the implementation {value!r} is not a .py file")
    base = Path(document).resolve().parent
    target = (base / Path(*pure.parts)).resolve()
    if base not in target.parents:
        raise SpecError(f"the implementation path {value!r} resolves outside the document's directory")
    if not target.is_file():
        raise SpecError(f"the implementation {value!r} does not exist next to the document")
    return target


def read_spec(source: str, filename: str) -> list[FunctionSpec]:
    """The ``SYMCHECK`` declaration, read without executing anything."""
    try:
        tree = ast.parse(source, filename)
    except SyntaxError as exc:
        raise SpecError(f"{filename} line {exc.lineno}: not valid Python ({exc.msg})") from None
    decl = None
    defs: dict[str, ast.FunctionDef] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == SPEC_NAME for t in node.targets):
            decl = node
        elif isinstance(node, ast.FunctionDef):
            defs[node.name] = node
    if decl is None:
        raise SpecError(f"{filename} has no module-level {SPEC_NAME} = {{...}} declaration")
    try:
        spec = ast.literal_eval(decl.value)
    except ValueError:
        raise SpecError(f"{filename} line {decl.lineno}: {SPEC_NAME} must be a literal dict") from None
    if not isinstance(spec, dict) or not spec:
        raise SpecError(f"{filename} line {decl.lineno}: {SPEC_NAME} must be a non-empty dict")
    out = []
    for name, entry in spec.items():
        where = f"{filename} line {decl.lineno}: {SPEC_NAME}[{name!r}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("computes"), str) \
                or not isinstance(entry.get("args"), dict) \
                or not all(isinstance(k, str) and isinstance(v, str) for k, v in entry["args"].items()):
            raise SpecError(f"{where} needs 'computes' (LaTeX) and 'args' (name -> LaTeX)")
        fn = defs.get(name)
        if fn is None:
            raise SpecError(f"{where}: {filename} defines no top-level function {name}")
        params = [a.arg for a in fn.args.args]
        if sorted(params) != sorted(entry["args"]):
            raise SpecError(f"{where}: the arguments {sorted(entry['args'])} are not the parameters "
                            f"{params} of {name}")
        out.append(FunctionSpec(name, entry["computes"], tuple((p, entry["args"][p]) for p in params), fn.lineno))
    return out


# ---- the document's side -------------------------------------------------------------
def _model(text: str, path: str):
    """The document's context with the name checks applied, and its sizes (sums bounded)."""
    from symcheck import document, namecheck, pipeline
    from symcheck.decide import Decider, test_sizes
    from symcheck.indices import RangeFinder
    from symcheck.lower import Lowerer

    doc = document.read_document(path, text)
    ctx = pipeline.build_context(doc, [], path)
    for st in ctx.statements:
        if st.role == "function":
            namecheck.check(ctx, st, text)  # a misnamed σ keeps its standard meaning, as in the check
    sizes = dict(test_sizes(ctx)[0])
    decider = Decider(ctx, 5.0)
    for st in ctx.statements:
        decider._sum_bounds(st.relation, sizes, RangeFinder(ctx, Lowerer(ctx, sizes)))
    return ctx, sizes


def _lower(ctx, sizes, latex: str, what: str):
    from symcheck.latex import ir, parser
    from symcheck.lower import LowerError, Lowerer, as_scalar
    from symcheck.source import MappedText

    node = parser.parse_expr(MappedText.from_original(latex))
    if isinstance(node, ir.ParseFailure):
        raise SpecError(f"{what} {latex!r} cannot be read: {node.message}")
    try:
        return as_scalar(Lowerer(ctx, dict(sizes)).lower(node))
    except LowerError as exc:
        raise SpecError(f"{what} {latex!r} cannot be obtained from the document: {exc.message}") from None
    except (RecursionError, ValueError, TypeError, KeyError, IndexError, AttributeError, ZeroDivisionError) as exc:
        raise SpecError(f"{what} {latex!r} cannot be obtained from the document ({type(exc).__name__})") from None


def _entries(v: object) -> list[object]:
    return list(v) if isinstance(v, sp.MatrixBase) else [v]


def _shape(v: object) -> tuple[int, ...]:
    return tuple(v.shape) if isinstance(v, sp.MatrixBase) else ()


def _value(expr: object, point: dict) -> float:
    from symcheck import numeric

    try:
        f = numeric.evaluate_exact(expr, point)
        return f.numerator / f.denominator
    except numeric.Unsupported:
        x = numeric.evaluate(expr, point, 30)
        return float(x)


@dataclass
class _Prepared:
    spec: FunctionSpec
    expected: object = None
    args: dict | None = None
    variables: tuple[sp.Symbol, ...] = ()
    points: tuple[dict, ...] = ()
    reason: str = ""


def _prepare(ctx, sizes, spec: FunctionSpec, file_label: str) -> _Prepared:
    prep = _Prepared(spec)
    try:
        prep.expected = _lower(ctx, sizes, spec.computes, "the quantity")
        prep.args = {name: _lower(ctx, sizes, src, f"the argument {name} =") for name, src in spec.args}
    except SpecError as exc:
        prep.reason = str(exc)
        return prep
    variables: set[sp.Symbol] = set()
    for name, value in prep.args.items():
        for x in _entries(value):
            if isinstance(x, sp.Symbol):
                variables.add(x)
            elif not (isinstance(x, sp.Expr) and x.is_number):
                prep.reason = f"the argument {name} is not made of the document's variables (an entry is {x})"
                return prep
    free = set().union(*(getattr(x, "free_symbols", set()) for x in _entries(prep.expected)))
    missing = sorted(str(s) for s in free - variables)
    if missing:
        prep.reason = ("the document's value depends on " + ", ".join(missing[:6]) +
                       (" and more" if len(missing) > 6 else "") + ", which no argument supplies")
        return prep
    prep.variables = tuple(sorted(variables, key=str))
    seed = int.from_bytes(hashlib.sha256(f"{file_label}:{spec.name}".encode()).digest()[:8], "big")
    rng = random.Random(seed)
    # eighths are exact in binary floating point: the function receives exactly the point
    prep.points = tuple({s: sp.Rational(rng.randint(-16, 16), 8) for s in prep.variables} for _ in range(POINTS))
    return prep


def _call_args(prep: _Prepared, point: dict) -> dict:
    out = {}
    for name, value in prep.args.items():
        if isinstance(value, sp.MatrixBase):
            out[name] = [[_value(value[i, j], point) for j in range(value.cols)] for i in range(value.rows)]
        else:
            out[name] = _value(value, point)
    return out


# ---- the implementation's side (a child process) -----------------------------------------
def run_child(impl: Path, calls: list[dict], time_limit: float) -> dict:
    """Run the implementation in a child process; ``{"error": reason}`` when it gives no answer."""
    runner = Path(__file__).with_name("implementation_runner.py").read_text("utf-8")
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", MPLBACKEND="Agg")
    request = json.dumps({"path": str(impl), "calls": calls})
    try:
        proc = subprocess.run([sys.executable, "-B", "-c", runner], input=request.encode("utf-8"),
                              capture_output=True, cwd=str(impl.parent), env=env, timeout=time_limit, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"the implementation did not finish within its time limit of {time_limit:g} s"}
    except OSError as exc:
        return {"error": f"could not start Python for the implementation: {exc}"}
    try:
        answer = json.loads(proc.stdout.decode("utf-8", "replace") or "null")
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        return {"error": f"the implementation's process exited {proc.returncode} without an answer ({tail[0][:200]})"}
    return answer


def _clean_latex(s: str) -> str:
    """latexify's spacing hints (``\\mathopen{}``) are not in the report's whitelist; they change nothing."""
    return " ".join(s.replace(r"\mathopen{}", "").replace(r"\mathclose{}", "").split())


def _fmt(x: float) -> str:
    return f"{x:.12g}"


def _compare(prep: _Prepared, results: list[dict]) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """(code, message, counterexample) for one function's answers at its points."""
    want_shape = _shape(prep.expected)
    for point, res in zip(prep.points, results):
        if res.get("error") or res.get("value") is None:
            return "SC205", f"undecided: the implementation raised {res.get('error') or 'no value'}", ()
        got_shape = tuple(res["value"]["shape"])
        data = res["value"]["data"]
        n_want = math.prod(want_shape) if want_shape else 1
        ok_shape = got_shape == want_shape or (not want_shape and len(data) == 1) or \
            (len(got_shape) == 1 and len(want_shape) == 2 and 1 in want_shape and len(data) == n_want)
        shown = tuple((str(s), str(point[s])) for s in prep.variables[:MAX_SHOWN])
        if not ok_shape:
            want = "×".join(map(str, want_shape)) or "scalar"
            got = "×".join(map(str, got_shape)) or "scalar"
            return "SC106", f"refuted: the implementation returns a {got} array where the document's " \
                            f"quantity is {want}", shown
        want_vals = [_value(e, point) for e in _entries(prep.expected)]
        for k, (a, b) in enumerate(zip(data, want_vals)):
            if not (math.isfinite(a) and abs(a - b) <= RTOL * max(1.0, abs(b))):
                cols = want_shape[1] if len(want_shape) == 2 else 1
                entry = f" in entry ({k // cols + 1}, {k % cols + 1})" if len(want_vals) > 1 else ""
                return "SC106", f"refuted: the implementation differs from the document{entry}: " \
                                f"implementation = {_fmt(a)}, document = {_fmt(b)}", \
                    shown + (("implementation", _fmt(a)), ("document", _fmt(b)))
    return "SC107", f"verified at {len(prep.points)} random points: the implementation agrees with the " \
                    f"document to {RTOL:g} relative", ()


def check_implementations(text: str, path: str, front_matter: tuple[tuple[str, str], ...],
                          time_limit: float = TIME_LIMIT) -> list[Diagnostic]:
    """Diagnostics for every ``implementation:`` the front matter names.  Runs code (in a child)."""
    from symcheck.proofs import _value_span

    out: list[Diagnostic] = []
    values = [v for k, v in front_matter if k == KEY]
    if not values:
        return out
    span = _value_span(text, KEY)
    ctx = None
    for value in values:
        try:
            impl = resolve(path, value)
            specs = read_spec(impl.read_text("utf-8"), value.strip())
        except (SpecError, OSError, UnicodeDecodeError) as exc:
            out.append(Diagnostic("SC205", f"undecided: implementation not checked: {exc}", span, path))
            continue
        if ctx is None:
            ctx, sizes = _model(text, path)
        label = value.strip()
        preps = [_prepare(ctx, sizes, s, label) for s in specs]
        calls = [{"function": p.spec.name, "points": [_call_args(p, pt) for pt in p.points]} for p in preps]
        answer = run_child(impl, calls, time_limit)
        for prep in preps:
            fn = answer.get("functions", {}).get(prep.spec.name, {})
            where = f"{label}:{prep.spec.line} {prep.spec.name}"
            evidence = [f"{where} computes {prep.spec.computes}"]
            if fn.get("latex_error"):
                evidence.append(f"not typeset: {fn['latex_error']}")
            if prep.reason:
                code, msg, cx = "SC205", f"undecided: {prep.reason}", ()
            elif answer.get("error"):
                code, msg, cx = "SC205", f"undecided: {answer['error']}", ()
            else:
                code, msg, cx = _compare(prep, fn.get("results", []))
                evidence.append(f"the document's value rebuilt by the engine from its definitions at "
                                f"{len(prep.points)} seeded random points (multiples of 1/8), "
                                f"{len(prep.variables)} variables")
            out.append(Diagnostic(code, f"reference implementation {where}: {msg}", span, path,
                                  lhs=prep.spec.computes, rhs=_clean_latex(fn.get("latex", "")),
                                  evidence=tuple(evidence), counterexample=cx, label=f"{label}:{prep.spec.name}"))
    return out


def check_file_implementations(path: str, text: str, time_limit: float = TIME_LIMIT) -> list[Diagnostic]:
    """Read the document's front matter and check its implementations."""
    from symcheck import document

    try:
        doc = document.read_document(path, text)
    except Exception:  # noqa: BLE001 - the check already reported what cannot be read
        return []
    return check_implementations(text, path, doc.front_matter, time_limit)


def with_implementations(result, time_limit: float = TIME_LIMIT):
    """``result`` (a ``FileResult``) plus its implementations' diagnostics, in the pipeline's order."""
    from dataclasses import replace

    if result.error:
        return result
    extra = check_file_implementations(result.path, result.text, time_limit)
    if not extra:
        return result
    diags = sorted(list(result.diagnostics) + extra, key=lambda d: (d.span.start, d.span.end, d.code, d.message))
    return replace(result, diagnostics=tuple(diags))
