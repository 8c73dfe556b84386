"""``symcheck eval``: every defined quantity, claim and stated gradient at given values.

The document is read into its model exactly as ``symcheck check`` reads it; nothing is
decided.  Then, at the values given (``--at``, ``--values``):

* each definition, in source order, is evaluated (exact where rational, else to 50
  digits and shown to 12);
* each claim is evaluated on both sides and the two compared (a number written with
  decimals to the precision it is written);
* each stated gradient is evaluated as the document writes it *and* as the engine
  computes it from the definitions, and the engine's gradient is compared with
  central finite differences of the cost (60 digits, h = 1e-20; agreement to 1e-8);
* an update rule (``W = W - γ ∂C/∂W``) gives the weights after one step; without one,
  ``--rate`` takes the step with the engine's gradient.

Disagreements are SC401 diagnostics, relations that cannot be evaluated SC402, and
unusable values SC400 (exit 2).  Output depends only on the input: no timing, no
randomness.
"""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from fractions import Fraction

import mpmath
import sympy as sp

from symcheck import evaluate as ev
from symcheck import names, namecheck
from symcheck.context import Context, Statement
from symcheck.diagnostics import Diagnostic
from symcheck.latex import ir
from symcheck.lower import LowerError, is_matrix
from symcheck.source import LineIndex, Span
from symcheck.values import Given


@dataclass(frozen=True)
class Entry:
    kind: str  # "definition", "claim", "gradient", "update", "step"
    span: Span
    name: str  # what is evaluated: the quantity, or the derivative as written
    stated: str  # the relation as the author wrote it
    left: ev.Val | None = None  # definition: its value; claim: left side; gradient: the engine's
    right: ev.Val | None = None  # claim: right side; gradient: as written; update: after the step
    fd: ev.Val | None = None  # gradient: central finite differences of the cost
    agree: bool | None = None  # None: nothing to compare
    fd_gap: str = ""  # largest relative gap between engine and finite differences
    detail: str = ""


@dataclass(frozen=True)
class Input:
    name: str  # as given
    leaves: str  # the document's entries it sets
    value: ev.Val


@dataclass(frozen=True)
class Evaluation:
    path: str
    text: str
    inputs: tuple[Input, ...] = ()
    sizes: tuple[tuple[str, int], ...] = ()
    entries: tuple[Entry, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()  # SC400 usage errors, SC401 disagreements, SC402 not evaluated

    @property
    def usage_error(self) -> bool:
        return any(d.code == "SC400" for d in self.diagnostics)

    def exit_code(self) -> int:
        if self.usage_error:
            return 2
        return 1 if any(d.code == "SC401" for d in self.diagnostics) else 0


class _Usage(Exception):
    def __init__(self, diag: Diagnostic) -> None:
        super().__init__(diag.message)
        self.diag = diag


def _src(text: str, node: object) -> str:
    span = getattr(node, "span", None)
    return "" if span is None else " ".join(text[span.start:span.end].split())


def evaluate_text(text: str, path: str, given: list[Given], rate: Fraction | None = None,
                  fd: bool = True) -> Evaluation:
    """Read the document and evaluate it at the given values (``fd``: with finite differences)."""
    from symcheck import document
    from symcheck.pipeline import build_context

    doc = document.read_document(path, text)
    ctx = build_context(doc, [], path)
    notes = []
    for st in ctx.statements:
        if st.role == "function":  # σ defined wrongly keeps its standard meaning, as in check
            named = namecheck.check(ctx, st, text)
            if named is not None and named[0].code == "SC103":
                notes.append(Diagnostic("SC103", named[0].message, st.relation.span, path))
    try:
        result = _Run(ctx, text, path, given, rate, fd).run()
    except _Usage as u:
        return Evaluation(path, text, diagnostics=(u.diag,))
    return dataclasses.replace(result, diagnostics=tuple(notes) + result.diagnostics)


class _Run:
    def __init__(self, ctx: Context, text: str, path: str, given: list[Given], rate: Fraction | None,
                 fd: bool = True) -> None:
        self.ctx, self.text, self.path, self.given, self.rate = ctx, text, path, given, rate
        self.with_fd = fd
        self.diags: list[Diagnostic] = []

    def usage(self, message: str, span: Span | None = None, source: str = "") -> _Usage:
        where = f" (see {self.path}:{LineIndex(self.text).position(span.start)[0]})" if span else ""
        return _Usage(Diagnostic("SC400", message + where, Span(0, 0), source or self.path))

    # -- binding -----------------------------------------------------------------
    def bind(self) -> tuple[dict[str, int], list[tuple[ir.Symbol, object, bool]]]:
        triples = []
        for g in self.given:
            try:
                sym = ev.read_name(g.name)
            except ev.BindError as e:
                raise self.usage(e.message, source=g.source) from None
            triples.append((sym, ev.as_sympy(g.value), g.flat))
        try:
            sizes = ev.sizes_from(self.ctx, triples)
        except ev.BindError as e:
            raise self.usage(e.message) from None
        lacking = ev.missing_sizes(self.ctx, sizes)
        if lacking:
            raise self.usage("no value for the size" + ("s " if len(lacking) > 1 else " ") +
                             ", ".join(names.display(s) for s in lacking) +
                             "; give it with --at or give a matrix whose shape fixes it")
        return sizes, triples

    def run(self) -> Evaluation:
        sizes, triples = self.bind()
        ctx = self.ctx
        plan: list[tuple[Statement, str]] = []
        for st in ctx.statements:
            target = ev.update_target(ctx, st)
            if target is not None:
                plan.append((st, "update"))
            elif st.role == "definition":
                plan.append((st, "definition"))
            elif st.role == "claim":
                plan.append((st, "gradient" if ev.subject(st) is not None else "claim"))
        lowered = {id(st): self.lower(st, kind, sizes) for st, kind in plan}
        known: set[sp.Symbol] = set()
        for low in lowered.values():
            if not isinstance(low, str):
                for v in low:
                    known |= getattr(v, "free_symbols", set())
        try:
            point = ev.bind(ctx, sizes, triples, known)
        except ev.BindError as e:
            raise self.usage(e.message, e.span) from None
        self.point = point
        self.sizes = sizes
        inputs = self.inputs(triples, sizes)
        if self.rate is not None:
            self.bind_rate(plan, lowered, known)
        entries: list[Entry] = []
        lacking: dict[sp.Symbol, None] = {}
        fd_cache: dict[str, ev.Val | None] = {}
        for st, kind in plan:
            low = lowered[id(st)]
            entry = self.entry(st, kind, low, fd_cache, lacking)
            entries.append(entry)
        if self.rate is not None and not any(e.kind == "update" and e.right is not None for e in entries):
            entries += self.steps(plan, lowered)
        if lacking:
            given = "; the document's inputs without a value: " + ", ".join(s.name for s in lacking)
            self.diags.insert(0, Diagnostic("SC400", "no value for some inputs of the definitions" + given,
                                            Span(0, 0), self.path))
        return Evaluation(self.path, self.text, inputs, tuple(sorted(sizes.items())), tuple(entries),
                          tuple(self.diags))

    def inputs(self, triples: list[tuple[ir.Symbol, object, bool]], sizes: dict[str, int]) -> tuple[Input, ...]:
        out = []
        low = ev.lowerer(self.ctx, sizes, None)
        for g, (sym, v, _) in zip(self.given, triples):
            if ev.size_key(self.ctx, sym) is not None:
                continue
            target = low.lower(sym)
            leaves = ev.leaves_of(target) or []
            shown = ", ".join(s.name for s in leaves)
            out.append(Input(g.name, shown, ev.value(target, self.point)))
        return tuple(out)

    def bind_rate(self, plan: list[tuple[Statement, str]], lowered: dict, known: set[sp.Symbol]) -> None:
        """--rate: the value of the one unbound symbol of each update rule (γ, η)."""
        r = sp.Rational(self.rate.numerator, self.rate.denominator)  # type: ignore[union-attr]
        for st, kind in plan:
            low = lowered[id(st)]
            if kind != "update" or isinstance(low, str):
                continue
            free = set().union(*[getattr(v, "free_symbols", set()) for v in low])
            loose = [s for s in free if s not in self.point]
            if len(loose) == 1:
                self.point[loose[0]] = r

    # -- lowering ---------------------------------------------------------------
    def lower(self, st: Statement, kind: str, sizes: dict[str, int]) -> list[object] | str:
        """The SymPy values an entry needs, or the reason they cannot be built."""
        low = ev.lowerer(self.ctx, sizes, st)
        rel = st.relation
        try:
            if kind == "definition":
                from symcheck.indices import free_letters
                if free_letters(rel.rhs, sizes=set(sizes)) or free_letters(rel.lhs, sizes=set(sizes)):
                    return "defined for every value of an index; evaluate its entries by name"
                return [low.lower(rel.rhs)]
            if kind == "update":
                return [low.lower(rel.lhs), low.lower(rel.rhs)]
            if kind == "gradient":
                d = ev.subject(st)
                out = [low.lower(d), low.lower(rel.rhs)]
                num, var = self.fd_parts(d, low)
                return out + ([num, var] if num is not None else [])
            return [low.lower(rel.lhs), low.lower(rel.rhs)]
        except LowerError as e:
            return e.message
        except (ZeroDivisionError, ValueError, TypeError, AttributeError, IndexError, KeyError,
                NotImplementedError, RecursionError, sp.SympifyError, sp.PolynomialError) as e:
            return f"the engine could not build this relation ({type(e).__name__})"

    def fd_parts(self, d: ir.Deriv, low: object) -> tuple[object | None, object | None]:
        """The cost and the variable's leaves, when the derivative is ∂(scalar)/∂(inputs)."""
        if d.num is None or len(d.wrt) != 1 or d.wrt[0][1] != 1:
            return None, None
        try:
            num = low.lower(d.num)  # type: ignore[attr-defined]
            var = low.lower(d.wrt[0][0])  # type: ignore[attr-defined]
        except LowerError:
            return None, None
        if is_matrix(num) and num.shape != (1, 1) or ev.leaves_of(var) is None:  # type: ignore[union-attr]
            return None, None
        return num, var

    # -- evaluating -----------------------------------------------------------------
    def entry(self, st: Statement, kind: str, low: list[object] | str, fd_cache: dict,
              lacking: dict[sp.Symbol, None]) -> Entry:
        rel = st.relation
        span = rel.span if st.chain_pos == 0 else rel.rhs.span
        stated = f"{_src(self.text, rel.lhs)} = {_src(self.text, rel.rhs)}"
        name = self.name_of(st, kind)
        base = dict(kind=kind, span=span, name=name, stated=stated)
        if isinstance(low, str):
            return self.not_evaluated(Entry(**base), low)  # type: ignore[arg-type]
        try:
            vals = [ev.value(v, self.point) for v in low[:2]]
        except ev.Missing as m:
            if kind == "definition":
                lacking.update(dict.fromkeys(m.leaves))
            return self.not_evaluated(Entry(**base), "no value for " + ", ".join(s.name for s in m.leaves))  # type: ignore[arg-type]
        except (ArithmeticError, ValueError, TypeError) as e:
            return self.not_evaluated(Entry(**base), f"the value cannot be computed ({e})")  # type: ignore[arg-type]
        if kind == "definition":
            return Entry(left=vals[0], **base)  # type: ignore[arg-type]
        left, right = vals
        if kind == "update":
            return Entry(left=left, right=right, detail="before and after one step", **base)  # type: ignore[arg-type]
        number = ev.stated_decimal(rel.rhs) or ev.stated_decimal(rel.lhs)
        if number is not None and not (ev.stated_decimal(rel.rhs) and ev.stated_decimal(rel.lhs)):
            other = left if ev.stated_decimal(rel.rhs) else right
            agree, why = ev.to_stated_precision(other, number)
        else:
            agree, why = ev.same(left, right)
        fd, gap = (None, "")
        if kind == "gradient" and len(low) == 4 and self.with_fd:
            fd = self.fd(low[2], low[3], fd_cache)
        if fd is not None:
            ok, worst = ev.fd_agree(left, fd)
            gap = "the shapes differ" if worst is None else f"largest relative gap {mpmath.nstr(worst, 2)}"
            if not ok:
                self.diags.append(Diagnostic("SC401", "the engine's gradient differs from finite differences "
                                             f"of the cost ({gap})", span, self.path))
        e = Entry(left=left, right=right, fd=fd, agree=agree, fd_gap=gap, detail=why, **base)  # type: ignore[arg-type]
        if not agree:
            what = "the stated gradient differs from the engine's" if kind == "gradient" else why
            self.diags.append(Diagnostic("SC401", f"at the given values {what}" +
                                         (f" ({why})" if kind == "gradient" else ""), span, self.path,
                                         _src(self.text, rel.lhs), _src(self.text, rel.rhs)))
        return e

    def fd(self, num: object, var: object, cache: dict) -> ev.Val | None:
        key = repr((num, var))
        if key not in cache:
            leaves = ev.leaves_of(var) or []
            shape = var.shape if is_matrix(var) else (1, 1)  # type: ignore[union-attr]
            f = num[0, 0] if is_matrix(num) else num  # type: ignore[index]
            try:
                cache[key] = ev.finite_differences(f, leaves, shape, self.ctx.layout, self.point)
            except (ev.Missing, ArithmeticError, ValueError, TypeError):
                cache[key] = None
        return cache[key]

    def not_evaluated(self, e: Entry, why: str) -> Entry:
        self.diags.append(Diagnostic("SC402", f"not evaluated: {why}", e.span, self.path))
        return Entry(e.kind, e.span, e.name, e.stated, detail=why)

    def name_of(self, st: Statement, kind: str) -> str:
        if kind == "definition" and st.defines:
            return names.display(st.defines)
        if kind == "gradient":
            return _src(self.text, ev.subject(st))
        if kind == "update":
            return names.display(ev.update_target(self.ctx, st) or "")
        return ""

    def steps(self, plan: list[tuple[Statement, str]], lowered: dict) -> list[Entry]:
        """No update rule stated (or none that can be evaluated): one step of gradient
        descent with --rate, for each variable a stated gradient of a defined cost
        differentiates by; matrices first, then entries no matrix covers."""
        found: list[tuple[int, Statement, object, object]] = []
        for st, kind in plan:
            low = lowered[id(st)]
            d = ev.subject(st)
            if kind != "gradient" or isinstance(low, str) or len(low) != 4 or not self.is_cost(d):
                continue
            found.append((0 if is_matrix(low[3]) else 1, st, low[3], low[0]))
        out: list[Entry] = []
        seen: set[sp.Symbol] = set()
        r = sp.Rational(self.rate.numerator, self.rate.denominator)  # type: ignore[union-attr]
        for _, st, var, grad in sorted(found, key=lambda t: t[0]):
            leaves = ev.leaves_of(var) or []
            if not leaves or set(leaves) <= seen:
                continue
            seen |= set(leaves)
            if is_matrix(grad) and self.ctx.layout == "numerator" and var.shape[1] > 1:  # type: ignore[union-attr]
                grad = grad.T  # type: ignore[union-attr]  # back to the variable's own arrangement
            try:
                before = ev.value(var, self.point)
                after = ev.value(var - r * grad, self.point)  # type: ignore[operator]
            except (ev.Missing, ArithmeticError, ValueError, TypeError):
                continue
            d = ev.subject(st)
            name = _src(self.text, d.wrt[0][0])  # type: ignore[union-attr]
            out.append(Entry("step", st.relation.span, name, f"{name} - {self.rate} \\cdot {_src(self.text, d)}",
                             left=before, right=after, detail=f"one step with rate {self.rate}"))
        return out

    def is_cost(self, d: ir.Deriv | None) -> bool:
        """∂C/∂w with C a quantity the document defines (not a helper function f, h)."""
        num = d.num if d is not None else None
        if not isinstance(num, ir.Symbol):
            return False
        q = self.ctx.quantities.get(ev.quantity_key(self.ctx, num))
        return (q is not None and q.definition is not None) or names.key(num) in self.ctx.abstract


# -- rendering ------------------------------------------------------------------------
def _both(v: ev.Val) -> str:
    exact = v.exact_text()
    dec = v.decimal_text()
    if exact is None:
        return f"≈ {dec}"
    return exact if exact == dec else f"{exact} ≈ {dec}"


_LABELS = {"claim": ("left", "right"), "gradient": ("engine (from the definitions)", "as written"),
           "update": ("before", "after the stated update"), "step": ("before", "after one step")}


def render_text(e: Evaluation) -> str:
    idx = LineIndex(e.text)
    lines: list[str] = []
    if e.usage_error and not e.entries:
        return ""
    if e.inputs or e.sizes:
        lines.append(f"{e.path}: evaluated at")
        for k, n in e.sizes:
            lines.append(f"  {names.display(k)} = {n}  (size)")
        for i in e.inputs:
            lines.append(f"  {i.name} = {_both(i.value)}" + (f"  ({i.leaves})" if i.leaves != i.name else ""))
    for d in e.diagnostics:
        if d.code == "SC103":
            line, col = idx.position(d.span.start)
            lines.append(f"{e.path}:{line}:{col}: note: {d.message}; the standard function is used")
    for en in e.entries:
        line, col = idx.position(en.span.start)
        head = f"{e.path}:{line}:{col}: {en.kind}"
        if en.kind == "definition":
            shown = "" if en.left is None else _both(en.left)
            lines.append(f"{head} {en.name}" + (f" {shown}" if shown.startswith("≈") else f" = {shown}" if shown else ""))
        else:
            verdict = "" if en.agree is None else (" agrees" if en.agree else " DISAGREES")
            what = en.name if en.kind in ("update", "step") else en.stated
            lines.append(f"{head}{verdict}: {what}")
            if en.left is not None and en.right is not None:
                a, b = _LABELS[en.kind]
                lines.append(f"  {a}: {_both(en.left)}")
                lines.append(f"  {b}: {_both(en.right)}")
            if en.agree is False and en.detail:
                lines.append(f"  why: {en.detail}")
        if en.fd is not None:
            ok = en.left is not None and ev.fd_agree(en.left, en.fd)[0]
            lines.append(f"  finite differences: {_both(en.fd)}")
            lines.append(f"  engine vs finite differences: {'agree to 1e-8' if ok else 'DISAGREE'}; {en.fd_gap}")
        if en.left is None and en.detail:
            lines.append(f"  not evaluated: {en.detail}")
    lines.append(summary(e))
    return "\n".join(lines) + "\n"


def summary(e: Evaluation) -> str:
    n = {k: sum(1 for x in e.entries if x.kind == k) for k in ("definition", "claim", "gradient", "update", "step")}
    agree = sum(1 for x in e.entries if x.agree is True)
    differ = sum(1 for x in e.entries if x.agree is False)
    fd_ok = sum(1 for x in e.entries if x.fd is not None and x.left is not None and ev.fd_agree(x.left, x.fd)[0])
    fd_all = sum(1 for x in e.entries if x.fd is not None)
    skipped = sum(1 for x in e.entries if x.left is None)
    return (f"total: {n['definition']} definitions, {n['claim']} claims, {n['gradient']} stated gradients, "
            f"{n['update'] + n['step']} update{'' if n['update'] + n['step'] == 1 else 's'}; {agree} agree, {differ} disagree, {skipped} not evaluated; "
            f"finite differences agree with the engine for {fd_ok} of {fd_all} gradients")


def _val_json(v: ev.Val | None) -> object:
    if v is None:
        return None
    exact = None if v.exact_text() is None else (
        str(v.rows[0][0].exact) if v.scalar else [[str(x.exact) for x in r] for r in v.rows])
    dec = v.rows[0][0].decimal(17) if v.scalar else [[x.decimal(17) for x in r] for r in v.rows]
    return {"exact": exact, "decimal": dec, "shape": None if v.scalar else list(v.shape)}


def render_json(e: Evaluation) -> str:
    idx = LineIndex(e.text)

    def where(span: Span) -> dict:
        line, col = idx.position(span.start)
        return {"line": line, "column": col}

    out = {
        "path": e.path,
        "sizes": {k: n for k, n in e.sizes},
        "inputs": [{"name": i.name, "entries": i.leaves, "value": _val_json(i.value)} for i in e.inputs],
        "entries": [dict(where(x.span), kind=x.kind, name=x.name, stated=x.stated, left=_val_json(x.left),
                         right=_val_json(x.right), finite_differences=_val_json(x.fd), agree=x.agree,
                         finite_differences_agree=None if x.fd is None or x.left is None
                         else ev.fd_agree(x.left, x.fd)[0], detail=x.detail) for x in e.entries],
        "diagnostics": [dict(where(d.span) if d.path == e.path else {"line": None, "column": None},
                             code=d.code, message=d.message, source=d.path) for d in e.diagnostics],
        "exit_code": e.exit_code(),
    }
    return json.dumps(out, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
