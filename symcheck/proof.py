"""Structured proofs whose every step is decided by SymPy, reported like a document.

A ``Proof`` is a list of named statements.  ``assume`` records hypotheses (not
checked, except that both sides of an equality must have the same shape);
``derive`` / ``implies`` / ``counterexample`` / ``numeric`` / ``conclude`` add steps
that are decided when they are added, each citing by name the statements it may use.
A step's verdict is relative to what it cites: citing too little is not proved,
which is how a hidden hypothesis shows up.  Verdict codes are the engine's
(``symcheck.diagnostics.RULES``) so that the pipeline can report steps as findings.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import sympy as sp
from sympy.matrices.expressions import Inverse

from symcheck.proofs import algebra
from symcheck.proofs.algebra import Grad

__all__ = ["Grad", "Proof", "StepResult"]

Sizes = Mapping[sp.Symbol, int]
Check = Callable[[Sizes], tuple[bool, str]]


@dataclass(frozen=True)
class StepResult:
    name: str
    kind: str  # assume, derive, implies, counterexample, numeric, conclude
    statement: str  # LaTeX
    code: str  # SC000 hypothesis, SC001 proved, SC002 numeric, SC1xx refuted/finding, SC202 undecided
    message: str
    evidence: tuple[str, ...] = ()


@dataclass
class _Entry:
    result: StepResult
    lhs: sp.Basic | None = None  # equalities; conditions keep ``cond``
    rhs: sp.Basic | None = None
    cond: sp.Basic | None = None
    uses: tuple[str, ...] = ()
    assumed: bool = False


def _tex(lhs: sp.Basic, rhs: sp.Basic) -> str:
    return f"{sp.latex(lhs)} = {sp.latex(rhs)}"


def _sub(a: sp.Basic, b: sp.Basic) -> sp.Basic:
    return a - b


@dataclass
class Proof:
    """``sizes`` are the concrete size assignments the fallback check uses."""

    title: str
    sizes: Sequence[Sizes] = ()
    seed: int = 0
    entries: dict[str, _Entry] = field(default_factory=dict)

    # ---- hypotheses -------------------------------------------------------------
    def assume(self, name: str, statement: object, text: str = "") -> StepResult:
        """Equality ``(lhs, rhs)`` / ``Eq``, a ``MatrixSymbol`` shape, or a condition."""
        lhs = rhs = cond = None
        if isinstance(statement, tuple):
            lhs, rhs = statement
        elif isinstance(statement, sp.Eq):
            lhs, rhs = statement.lhs, statement.rhs
        else:
            cond = statement
        if lhs is not None:
            tex = _tex(lhs, rhs)
            try:
                _sub(lhs, rhs)
                code, msg = "SC000", "hypothesis (assumed, not checked; the sides have the same shape)"
            except (sp.ShapeError, TypeError) as exc:
                code, msg = "SC101", f"the sides of the hypothesis have different shapes: {exc}"
        elif isinstance(cond, sp.MatrixSymbol):
            tex, code, msg = rf"{sp.latex(cond)} \in \mathbb{{R}}^{{{sp.latex(cond.rows)} \times {sp.latex(cond.cols)}}}", \
                "SC000", "shape declaration"
        else:
            tex, code, msg = sp.latex(cond) if isinstance(cond, sp.Basic) else str(cond), "SC000", \
                "hypothesis (assumed, not checked)"
        if text:
            msg += f": {text}"
        return self._add(_Entry(StepResult(name, "assume", tex, code, msg), lhs, rhs, cond, assumed=True))

    def _add(self, e: _Entry) -> StepResult:
        if e.result.name in self.entries:
            raise ValueError(f"duplicate step name {e.result.name!r}")
        self.entries[e.result.name] = e
        return e.result

    # ---- what a step may use ---------------------------------------------------------
    def _context(self, using: Sequence[str]) -> tuple[dict, list, str]:
        """Definitions and rewrite rules the cited names give, or a reason they cannot."""
        defs: dict = {}
        rules: list = []
        for u in using:
            e = self.entries.get(u)
            if e is None:
                return {}, [], f"cites {u!r}, which is not a statement of this proof"
            if e.lhs is None:
                continue  # conditions are for side conditions, not rewriting
            if not e.assumed and e.result.code != "SC001":
                return {}, [], f"cites step {u!r}, which is not proved ({e.result.message})"
            if e.assumed and algebra.is_definition(e.lhs, e.rhs) and e.lhs not in defs:
                defs[e.lhs] = e.rhs
            else:
                rules.append((e.lhs, e.rhs))
        return defs, rules, ""

    def _closure(self, using: Sequence[str]) -> tuple[dict, str]:
        """Every definition the cited statements rest on: what a concrete instance realises."""
        defs: dict = {}
        seen: set[str] = set()
        todo = list(using)
        while todo:
            u = todo.pop()
            if u in seen or u not in self.entries:
                continue
            seen.add(u)
            e = self.entries[u]
            if e.assumed and e.lhs is not None:
                if not algebra.is_definition(e.lhs, e.rhs):
                    return {}, f"hypothesis {u!r} is not a definition, so no concrete instance realises it"
                defs.setdefault(e.lhs, e.rhs)
            todo += e.uses
        return defs, ""

    def _decide_zero(self, expr: sp.Basic, using: Sequence[str], sizes: Sequence[Sizes] | None
                     ) -> tuple[str, str, tuple[str, ...]]:
        """``expr`` = 0 from the cited statements: symbolic sizes first, then concrete sizes."""
        defs, rules, why = self._context(using)
        if why:
            return "SC202", f"undecided: {why}", ()
        ok, nf = algebra.symbolic_zero(expr, defs, rules)
        if ok:
            return "SC001", "proved for all sizes: substitution and matrix normal form give 0", \
                (f"cited: {', '.join(using) or 'nothing'}",)
        ev = [f"symbolic normal form of the difference: {sp.latex(nf)}"[:400]]
        cdefs, why = self._closure(using)
        if why:
            return "SC202", f"undecided: the symbolic normal form is not 0 and {why}", tuple(ev)
        rng = random.Random(self.seed)
        proved_at = []
        for sz in (sizes if sizes is not None else self.sizes):
            label = ", ".join(f"{k}={v}" for k, v in sz.items())
            try:
                m = algebra.explicit(expr, sz, cdefs)
            except (NotImplementedError, sp.ShapeError, ValueError) as exc:
                return "SC202", f"undecided: cannot evaluate at {label}: {exc}", tuple(ev)
            if algebra.is_zero(sp.ImmutableMatrix(m) if isinstance(m, sp.MatrixBase) else sp.Matrix([[m]])):
                proved_at.append(label)
                continue
            point = algebra.random_point(algebra.entry_symbols(m), rng)
            val = m.xreplace(point)
            if any(sp.simplify(x) != 0 for x in (val if isinstance(val, sp.MatrixBase) else [val])):
                shown = tuple(f"{algebra.entry_key(s)} = {q}" for s, q in list(point.items())[:12])
                return "SC100", f"refuted at {label}: the sides differ at an exact rational point " \
                    f"(difference {sp.latex(val)})", tuple(ev) + shown
            return "SC202", f"undecided at {label}: not identically 0, yet 0 at a random point", tuple(ev)
        if not proved_at:
            return "SC202", "undecided: the symbolic normal form is not 0 and no concrete sizes were given", \
                tuple(ev)
        return "SC001", "proved at sizes " + "; ".join(f"({s})" for s in proved_at) + \
            " with a symbol per matrix entry (the symbolic normal form did not reach 0)", tuple(ev)

    # ---- steps -------------------------------------------------------------------
    def derive(self, name: str, lhs: sp.Basic, rhs: sp.Basic, using: Sequence[str] = (),
               method: str = "auto", sizes: Sequence[Sizes] | None = None) -> StepResult:
        """lhs = rhs from the cited statements only; ``method`` "symbolic" skips concrete sizes."""
        try:
            diff = _sub(lhs, rhs)
        except (sp.ShapeError, TypeError) as exc:
            res = StepResult(name, "derive", _tex(lhs, rhs), "SC101", f"the sides have different shapes: {exc}")
            return self._add(_Entry(res, lhs, rhs, uses=tuple(using)))
        code, msg, ev = self._decide_zero(diff, using, [] if method == "symbolic" else sizes)
        return self._add(_Entry(StepResult(name, "derive", _tex(lhs, rhs), code, msg, ev), lhs, rhs,
                                uses=tuple(using)))

    def implies(self, name: str, premises: Sequence[str], conclusion: object,
                certificate: Sequence[tuple[sp.Basic | None, str, sp.Basic | None]] | None = None,
                using: Sequence[str] = (), check: Check | None = None, check_sizes: Sequence[Sizes] = (),
                argument: str = "") -> StepResult:
        """premises ⟹ conclusion.

        With a ``certificate`` [(L, premise, R), ...] the step is proved by the identity
        lhs − rhs = Σ L·(premise lhs − premise rhs)·R, so the premises being 0 forces the
        conclusion; every inverse it uses must be declared invertible by a premise.
        Without one, ``check(sizes)`` decides the implication at ``check_sizes`` only.
        """
        lhs, rhs, cond = (conclusion[0], conclusion[1], None) if isinstance(conclusion, tuple) \
            else (None, None, conclusion)
        prem_tex = r" \wedge ".join(self._statement_tex(p) for p in premises)
        tex = rf"{prem_tex} \implies {_tex(lhs, rhs) if lhs is not None else sp.latex(cond)}"
        missing = [p for p in premises if p not in self.entries]
        ev: tuple[str, ...] = (f"premises: {', '.join(premises)}",) + ((f"argument: {argument}",) if argument else ())
        if missing:
            code, msg = "SC202", f"undecided: premises {missing} are not statements of this proof"
        elif certificate is not None and lhs is not None:
            code, msg, more = self._certificate(premises, lhs, rhs, certificate, using)
            ev += more
        elif check is not None and check_sizes:
            fails = [(sz, why) for sz in check_sizes for ok, why in [check(sz)] if not ok]
            labels = "; ".join(", ".join(f"{k}={v}" for k, v in sz.items()) for sz in check_sizes)
            if fails:
                code, msg = "SC100", f"refuted at {dict(fails[0][0])}: {fails[0][1]}"
            else:
                code, msg = "SC001", f"proved at sizes ({labels}) by explicit case analysis; " \
                                     "no symbolic argument for general sizes"
        else:
            code, msg = "SC202", "undecided: no certificate and no concrete check was given"
        return self._add(_Entry(StepResult(name, "implies", tex, code, msg, ev), lhs, rhs, cond,
                                uses=tuple(premises) + tuple(using)))

    def _certificate(self, premises: Sequence[str], lhs: sp.Basic, rhs: sp.Basic,
                     cert: Sequence[tuple[sp.Basic | None, str, sp.Basic | None]], using: Sequence[str]
                     ) -> tuple[str, str, tuple[str, ...]]:
        total = _sub(lhs, rhs)
        for left, pname, right in cert:
            p = self.entries.get(pname)
            if pname not in premises or p is None or p.lhs is None:
                return "SC202", f"undecided: certificate term cites {pname!r}, not an equality premise", ()
            term = _sub(p.lhs, p.rhs)
            term = term if left is None else left * term
            term = term if right is None else term * right
            total = _sub(total, term)
        inverses = {i.args[0].doit() for part in [lhs, rhs] + [x for c in cert for x in (c[0], c[2])]
                    if part is not None for i in sp.preorder_traversal(part) if isinstance(i, Inverse)}
        declared = {self.entries[p].cond.arguments[0].doit() for p in premises
                    if isinstance(self.entries[p].cond, sp.AppliedPredicate)
                    and self.entries[p].cond.function == sp.Q.invertible}
        lacking = [m for m in inverses if m not in declared]
        if lacking:
            return "SC202", "undecided: the argument inverts " + ", ".join(sp.latex(m) for m in lacking) + \
                " but no premise says it is invertible", ()
        code, msg, ev = self._decide_zero(total, using, None)
        if code == "SC001":
            return code, msg.replace("give 0", "give 0 for the certificate identity"), \
                ("certificate: conclusion − " + " − ".join(f"({'·' if c[0] is None else sp.latex(c[0]) + '·'}"
                 f"[{c[1]}]{'' if c[2] is None else '·' + sp.latex(c[2])})" for c in cert) + " ≡ 0",) + ev
        return "SC202", f"undecided: the certificate is not an identity ({msg})", ev

    def _statement_tex(self, name: str) -> str:
        e = self.entries.get(name)
        if e is None:
            return name
        return _tex(e.lhs, e.rhs) if e.lhs is not None else (sp.latex(e.cond) if e.cond is not None else name)

    def counterexample(self, name: str, hypotheses_dropped: Sequence[str], witness: Mapping[sp.Basic, sp.Matrix],
                       sizes: Sizes, holds: Sequence[tuple[sp.Basic, sp.Basic]],
                       fails: tuple[sp.Basic, sp.Basic]) -> StepResult:
        """An exact rational witness: every ``holds`` equality is true, ``fails`` is false."""
        from symcheck.proofs.witness import check_witness

        defs = {e.lhs: e.rhs for e in self.entries.values()
                if e.assumed and e.lhs is not None and algebra.is_definition(e.lhs, e.rhs)}
        ok, why, ev = check_witness(defs, witness, sizes, holds, fails)
        dropped = ", ".join(hypotheses_dropped)
        tex = rf"\neg({dropped}) \not\implies {_tex(*fails)}"
        if ok:
            code, msg = "SC105", f"missing hypothesis: without {dropped} the conclusion fails: {why}"
        else:
            code, msg = "SC100", f"refuted: the witness does not show that {dropped} is needed: {why}"
        return self._add(_Entry(StepResult(name, "counterexample", tex, code, msg, ev)))

    def numeric(self, name: str, fn: Callable[[], tuple[bool, str, Mapping[str, object]]]) -> StepResult:
        """A floating-point demonstration; ``fn`` returns (passed, summary, measured figures)."""
        ok, summary, figures = fn()
        ev = tuple(f"{k} = {v}" for k, v in figures.items())
        code = "SC002" if ok else "SC100"
        msg = f"numeric demonstration (floating point, not a proof): {summary}"
        return self._add(_Entry(StepResult(name, "numeric", summary, code, msg, ev)))

    def conclude(self, name: str, statement: str, from_steps: Sequence[str]) -> StepResult:
        """Proved when every cited step is proved; otherwise says which one is not."""
        bad = [s for s in from_steps if s not in self.entries or self.entries[s].result.code not in
               ("SC001", "SC000")]
        if bad:
            code, msg = "SC202", "undecided: rests on steps that are not proved: " + ", ".join(bad)
        else:
            code, msg = "SC001", "proved: follows from " + ", ".join(from_steps)
        return self._add(_Entry(StepResult(name, "conclude", statement, code, msg), uses=tuple(from_steps)))

    def result(self) -> list[StepResult]:
        return [e.result for e in self.entries.values()]
