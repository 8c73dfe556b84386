"""Which equations a wrong reference should have pointed at, numbered or not.

When no run of numbered equations says what a sentence needs, the reason is often
that the right equations carry no number (a transcription numbers only some rows,
or the source's numbers were lost).  This module looks through every relation of
the document for the ones the engine proves to fit, so the diagnostic can say where
they are.  Two kinds of sentence are read:

* "(8) can be rewritten as <expression>": a relation with a side, or a difference
  of sides, that the engine proves equal to the expression;
* "(1) to (6) reduce to the conditions <displays>": a run of gradient equations,
  one per cited number, each a constant factor (a nonzero number times powers of
  symbols, such as v_1) times one of the displayed conditions, the run covering
  every condition.  The factor is found by exact division at the document's sizes
  and the identity ``gradient = factor × condition`` checked by expansion at each
  instance.

A claim counts only when it was itself proved or verified; nothing here is a verdict,
only where the engine found the equations the sentence needs.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sympy as sp

from symcheck import numeric
from symcheck.context import Statement
from symcheck.latex import ir
from symcheck.lower import LowerError, Lowerer, as_scalar, is_matrix
from symcheck.source import LineIndex

if TYPE_CHECKING:
    from symcheck.xrefs import Checker, Reference, Target

MAX_CANDIDATES = 24  # relations tried per expression, nearest to the reference first
MAX_TREE = 4000  # a side larger than this is not divided
REDUCE_AFTER = re.compile(r"\W*(?:(?:can|may|could)\s+be\s+)?(?:reduces?|reduced)\s+to"
                          r"(?:\s+(?:the\s+)?(?:conditions?|equations?)|\W*$)")


@dataclass(frozen=True)
class Found:
    statements: tuple[Statement, ...]
    how: str  # what was proved about them, for the message


def _proved(chk: "Checker", st: Statement) -> bool:
    return st.role == "claim" and chk.verdicts.get(st.index) in ("SC001", "SC002")


def _deriv_side(st: Statement) -> tuple[object, object] | None:
    """(the gradient, the formula) of ``∂C/∂θ = formula`` either way round."""
    rel = st.relation
    if rel.op != "=":
        return None
    if isinstance(rel.lhs, ir.Deriv) and not isinstance(rel.rhs, ir.Deriv):
        return rel.lhs, rel.rhs
    if isinstance(rel.rhs, ir.Deriv) and not isinstance(rel.lhs, ir.Deriv):
        return rel.rhs, rel.lhs
    return None


def rewritten_as(chk: "Checker", ref: "Reference", keys: list[str], form: "Target") -> Found | None:
    """The nearest proved relation, outside the cited ones and the display, that
    can be rewritten as the expression ``form``."""
    from symcheck.xrefs import Target
    cited = {id(s) for k in keys for s in chk.targets[k].statements}
    cands = [s for s in chk.ctx.statements if _proved(chk, s) and id(s) not in cited
             and s.fragment not in ref.displays and s.relation.op == "="]
    cands.sort(key=lambda s: (abs(s.relation.span.start - ref.span.start), s.index))
    for st in cands[:MAX_CANDIDATES]:
        t = Target("", st.fragment, (st,))
        if chk.same_condition(t, form, False)[0] == "proved":
            return Found((st,), "proved equal to it")
    return None


def reducing_run(chk: "Checker", ref: "Reference", keys: list[str],
                 conditions: list["Target"]) -> Found | None:
    """A run of ``len(keys)`` consecutive gradient equations, each a constant factor
    times one of ``conditions``, covering them all: in one display if possible, else
    the nearest."""
    from symcheck.xrefs import _zero_form
    forms = [(t, _zero_form(t, False)) for t in conditions]
    if not forms or any(b is None for _, b in forms):
        return None
    sts = chk.ctx.statements
    reduces: dict[int, tuple[str, sp.Expr]] = {}
    for st in sts:
        pair = _deriv_side(st)
        if pair is None or not _proved(chk, st):
            continue
        for t, b in forms:
            factor = _factor(chk, st, pair[1], b)
            if factor is not None:
                reduces[st.index] = (t.tag, factor)
                break
    n = len(keys)
    runs = []
    for k in range(len(sts) - n + 1):
        window = sts[k:k + n]
        if not all(s.index in reduces for s in window):
            continue
        if {reduces[s.index][0] for s in window} != {t.tag for t, _ in forms}:
            continue
        one_display = len({s.fragment for s in window}) == 1
        runs.append((not one_display, abs(window[0].relation.span.start - ref.span.start), k, window))
    if not runs:
        return None
    window = min(runs, key=lambda r: r[:3])[3]
    factors = sorted({sp.sstr(reduces[s.index][1]) for s in window})
    return Found(tuple(window), f"each is {' or '.join(factors)} times one of them")


def _factor(chk: "Checker", st: Statement, a: object, b: object) -> sp.Expr | None:
    """c with a = c·b at every instance, c a nonzero number times powers of symbols."""
    probe = dataclasses.replace(st, relation=ir.Relation(a, "=", b, st.relation.span), role="claim", tag=None)
    try:
        insts, _ = chk.decider.instances(probe)
        insts = [i for i in insts if i.sizes == insts[0].sizes][:16]
        found: sp.Expr | None = None
        for inst in insts:
            low = Lowerer(chk.ctx, inst.sizes, indices=inst.indices, cost_args=chk.decider.cost_args(st),
                          locals_=chk.decider.locals(st))
            x, y = as_scalar(low.lower(a)), as_scalar(low.lower(b))
            if is_matrix(x) or is_matrix(y):
                return None
            x, y = sp.expand(x), sp.expand(y)
            if y == 0 or numeric.tree_size(x, MAX_TREE) > MAX_TREE or numeric.tree_size(y, MAX_TREE) > MAX_TREE:
                return None
            c = _monomial_ratio(x, y)
            if c is None:
                c = sp.factor(sp.cancel(x / y))
            if c == 0 or not all(f.is_Rational or f.is_Symbol or (f.is_Pow and f.base.is_Symbol and f.exp.is_Integer)
                                 for f in sp.Mul.make_args(c)):
                return None
            if found is not None and c != found:
                return None
            if sp.expand(x - c * y) != 0:
                return None
            found = c
        return found
    except (LowerError, ValueError, TypeError, KeyError, IndexError, AttributeError, ZeroDivisionError,
            NotImplementedError, RecursionError, sp.PolynomialError):
        return None


def _monomial_ratio(x: sp.Expr, y: sp.Expr) -> sp.Expr | None:
    """For polynomials, the only candidate c with x = c·y, c a monomial: the ratio of
    their leading terms (checked by the caller); no polynomial division needed."""
    gens = sorted(x.free_symbols | y.free_symbols, key=lambda s: s.name)
    if not gens:
        return None
    try:
        px, py = sp.Poly(x, *gens), sp.Poly(y, *gens)
    except (sp.PolynomialError, sp.GeneratorsNeeded):
        return None
    if not (px.domain.is_QQ or px.domain.is_ZZ) or not (py.domain.is_QQ or py.domain.is_ZZ) or py.is_zero:
        return None
    (mx, cx), (my, cy) = px.terms()[0], py.terms()[0]
    c = sp.Rational(cx) / sp.Rational(cy)
    for g, a, b in zip(gens, mx, my):
        c *= g ** (a - b)
    return c


def by_name(chk: "Checker", found: Found) -> str | None:
    """Prose that names unnumbered equations by their left sides ("the equations for
    ∂C/∂u_{01} to ∂C/∂u_{22}"), in the document's own inline-math idiom."""
    text = chk.doc.text
    sts = found.statements

    def src(node: object) -> str | None:
        span = getattr(node, "span", None)
        return " ".join(text[span.start:span.end].split()) if span is not None else None

    first, last = src(sts[0].relation.lhs), src(sts[-1].relation.lhs)
    if not first or not last or "`" in first + last or "$" in first + last:
        return None

    def math(s: str) -> str:
        return f":math:`{s}`" if chk.doc.format == "rst" else f"${s}$"
    if len(sts) == 1:
        return f"the equation for {math(first)}"
    return f"the equations for {math(first)} to {math(last)}"


def describe(chk: "Checker", found: Found, what: str) -> str:
    """"… are the gradients at lines 66–68 (∂C/∂u_{01} to ∂C/∂u_{22}: …), which carry no number"."""
    text = chk.doc.text
    li = LineIndex(text)
    sts = found.statements
    lines = sorted({li.position(s.relation.span.start)[0] for s in sts})
    where = f"line {lines[0]}" if len(lines) == 1 else f"lines {lines[0]}–{lines[-1]}"

    def src(node: object) -> str:
        span = getattr(node, "span", None)
        return " ".join(text[span.start:span.end].split()) if span is not None else ""

    first, last = sts[0].relation, sts[-1].relation
    shown = src(first) if len(sts) == 1 else f"{src(first.lhs)} to {src(last.lhs)}"
    tags = [s.tag for s in sts]
    if all(t is None for t in tags):
        numbered = "which carr" + ("ies" if len(sts) == 1 else "y") + " no number"
    else:
        numbered = "which are not numbered as a run"
    return f"{what} at {where} ({shown}: {found.how}), {numbered}"
