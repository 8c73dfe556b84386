"""Verdicts, from cheap to expensive.

1. Rebuild both sides at concrete sizes (the document's, or test sizes for sizes it
   leaves symbolic) and at every value of each free index.
2. Exact randomized evaluation: rational points, exact arithmetic where the
   expression is rational, 60-digit arithmetic otherwise.  One nonzero difference
   refutes, and the point is the counterexample.
3. Symbolic zero test of the difference (expand, then cancel/simplify under a size
   cap): proved at those sizes.
4. For sizes the document leaves symbolic, a matrix-expression proof valid for all
   sizes (symbolic.py).
An internal failure is never a verdict: it becomes an *undecided* with its reason.
"""
from __future__ import annotations

import dataclasses

import hashlib
import itertools
import random
import time
from dataclasses import dataclass, field
from typing import Iterator

import sympy as sp

from symcheck import irutil, names, numeric, optimum, orthogonal, persample, rounded, valuefix
from symcheck.context import Context, Statement
from symcheck.indices import RangeFinder, free_letters
from symcheck.latex import ir
from symcheck.lower import LowerError, Lowerer, as_scalar, is_matrix, shape_text

TRIALS = 6
MAX_INSTANCES = 64
PROOF_OPS_LIMIT = 4000
SMALL_OPS = 300
TREE_LIMIT = 20000  # nodes, counted as a tree: beyond this no symbolic zero test is tried
TRANSCENDENTAL_OPS = 600


class Timeout(Exception):
    pass


@dataclass(frozen=True)
class Outcome:
    code: str
    message: str
    evidence: tuple[str, ...] = ()
    counterexample: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    fix_rhs: str = ""  # a replacement right side the decision itself proved (a rounded number)


@dataclass
class Instance:
    sizes: dict[str, int]
    indices: dict[str, int]
    generic: dict[str, sp.Symbol] = field(default_factory=dict)
    floors: dict[str, tuple[int, int]] = field(default_factory=dict)  # recurrences at a generic step


def _seed(st: Statement) -> int:
    from symcheck import irutil
    text = repr(irutil.strip_spans(st.relation))
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


# what building an expression can raise besides LowerError: no verdict, never a traceback
_ENGINE_ERRORS = (ZeroDivisionError, ValueError, TypeError, AttributeError, IndexError, KeyError,
                  RecursionError, NotImplementedError)


def test_sizes(ctx: Context) -> list[dict[str, int]]:
    # the document's own size names get the smallest values; unnamed sizes follow
    syms = sorted((s for s in ctx.size_symbols if "+" not in s and s not in ctx.doc_sizes),
                  key=lambda s: (s.startswith(("rows(", "cols(")), s))
    if not syms:
        return [dict(ctx.doc_sizes)]
    # at least 3: a pattern "x_1, x_2, …, x_n" written with two items needs n ≥ 3 to
    # mean what it shows; distinct values so a swapped dimension cannot pass
    first = [3, 4, 5, 6, 7, 8, 9, 10]
    second = [4, 3, 6, 5, 8, 7, 10, 9]
    out = []
    order = _size_order(ctx, syms)
    for pattern in (first, second):
        a = dict(ctx.doc_sizes)
        for i, s in enumerate(syms):
            a[s] = pattern[i % len(pattern)] + 8 * (i // len(pattern))
        for _ in range(len(order) + 1):  # "d < n": swap values until the stated order holds
            bad = [(lo, hi) for lo, hi in order if a[lo] >= a[hi]]
            if not bad:
                break
            lo, hi = bad[0]
            a[lo], a[hi] = a[hi], a[lo]
        if any(a[lo] >= a[hi] for lo, hi in order):
            continue
        if a not in out:
            out.append(a)
    return out or [dict(ctx.doc_sizes, **{s: 3 + i for i, s in enumerate(syms)})]


def _size_order(ctx: Context, syms: list[str]) -> list[tuple[str, str]]:
    """Strict orders between sizes the text states ("d < n", "n > d", "d \\le n"): test
    sizes honour them (X with d < n has full column rank only then)."""
    out = []
    for st in ctx.statements:
        rel = st.relation
        if st.role != "assumption" or rel.op not in ("<", ">", "le", "ge"):
            continue
        a, b = rel.lhs, rel.rhs
        if not (isinstance(a, ir.Symbol) and isinstance(b, ir.Symbol)):
            continue
        ka, kb = names.key(a), names.key(b)
        if ka in syms and kb in syms and ka != kb:
            out.append((ka, kb) if rel.op in ("<", "le") else (kb, ka))
    return out


class Decider:
    def __init__(self, ctx: Context, timeout: float, quick: bool = False) -> None:
        self.sampled = False
        self.unevaluated = 0
        self.orthogonal_grids: list[tuple[str, list[list[sp.Symbol]]]] = []  # drawn orthogonal in trials
        self.ctx = ctx
        self.timeout = timeout
        self.quick = quick  # screening for repairs: one instance, few trials, no proof
        self.sizes_override: list[dict[str, int]] | None = None

    def decide(self, st: Statement) -> Outcome:
        out = self._decide_once(st)
        if out.code == "SC202" and " is outside " in out.message and not self.quick:
            out = self._at_equal_sizes(st, out)
        return out

    def _at_equal_sizes(self, st: Statement, out: Outcome) -> Outcome:
        """X_{ji} with X ∈ R^{n×d}: at the test sizes the entry does not exist.  Where every
        size is the same it does; a counterexample there refutes the claim for all sizes."""
        syms = sorted(s for s in self.ctx.size_symbols if "+" not in s and s not in self.ctx.doc_sizes
                      and not s.startswith(("rows(", "cols(")))
        if len(syms) < 2 or _size_order(self.ctx, syms):
            return out
        same = dict(self.ctx.doc_sizes, **{s: 3 for s in syms})
        self.sizes_override = [same]
        try:
            again = self._decide_once(st)
        finally:
            self.sizes_override = None
        if again.code in ("SC100", "SC101"):
            where = ", ".join(f"{names.display(s)} = 3" for s in syms)
            return dataclasses.replace(again, message=again.message + f" (at equal sizes {where}, where every "
                                       "entry it names exists; at unequal sizes " + out.message.split(": ", 1)[-1]
                                       + ")")
        return out

    def _decide_once(self, st: Statement) -> Outcome:
        deadline = time.monotonic() + self.timeout
        notes: set[str] = set()
        try:
            return self._decide(st, deadline, notes)
        except Timeout:
            return Outcome("SC203", f"undecided: no decision within the time limit of {self.timeout:g} s",
                           notes=tuple(sorted(notes)))
        except LowerError as e:
            if e.kind == "timeout":
                return Outcome("SC203", f"undecided: no decision within the time limit of {self.timeout:g} s "
                                        "(rebuilding the expression)", notes=tuple(sorted(notes)))
            code = "SC101" if e.kind == "shape" else "SC202"
            if code == "SC101":
                return Outcome(code, f"refuted: {e.message}", ("shape check",), notes=tuple(sorted(notes)))
            return Outcome(code, f"undecided: {e.message}", notes=tuple(sorted(notes)))
        except RecursionError:
            return Outcome("SC202", "undecided: the expression is nested too deeply")
        except (ZeroDivisionError, ValueError, TypeError, AttributeError, IndexError,
                KeyError, NotImplementedError, sp.SympifyError, sp.PolynomialError) as e:
            return Outcome("SC202", f"undecided: the engine could not evaluate this relation ({type(e).__name__})",
                           notes=tuple(sorted(notes)))

    def check_defined(self, st: Statement) -> Outcome | None:
        """A definition is not decided, but its right side must make sense."""
        try:
            for sizes in test_sizes(self.ctx)[:1]:
                low = Lowerer(self.ctx, dict(sizes), cost_args=self.cost_args(st))
                rel = st.relation
                if free_letters(rel.rhs, sizes=set(sizes)):
                    return None
                low.lower(rel.rhs)
        except LowerError as e:
            if e.kind == "shape":
                return Outcome("SC101", f"refuted: the definition does not make sense: {e.message}", ("shape check",))
        except _ENGINE_ERRORS:
            return None
        return None

    def check_update(self, st: Statement, rel: ir.Relation | None = None,
                     every_size: bool = False) -> Outcome | bool | None:
        """W = W - γ ∂C/∂W: the step must give W a value of W's own shape.  A refutation
        when it does not, True when both sides were built and fit, None when unknown."""
        rel = rel or st.relation
        try:
            for sizes in test_sizes(self.ctx)[:None if every_size else 1]:
                low = Lowerer(self.ctx, dict(sizes), cost_args=self.cost_args(st))
                low.position = low.stmt_position = st.relation.span.start
                a, b = as_scalar(low.lower(rel.lhs)), as_scalar(low.lower(rel.rhs))
                if is_matrix(a) != is_matrix(b) or (is_matrix(a) and a.shape != b.shape):  # type: ignore[union-attr]
                    return Outcome("SC101", f"refuted: the update gives a {shape_text(b)} value to a "
                                            f"{shape_text(a)} quantity", ("shape check",))
        except LowerError as e:
            if e.kind == "shape":
                return Outcome("SC101", f"refuted: the update does not make sense: {e.message}", ("shape check",))
            return None
        except _ENGINE_ERRORS:
            return None
        return True

    # ------------------------------------------------------------------------
    def instances(self, st: Statement) -> tuple[list[Instance], list[str]]:
        rel = st.relation
        out: list[Instance] = []
        desc: list[str] = []
        for sizes in self.sizes_override or test_sizes(self.ctx):
            sizes = dict(sizes)
            low = Lowerer(self.ctx, sizes)
            rf = RangeFinder(self.ctx, low)
            self._sum_bounds(rel, sizes, rf)
            labels = frozenset(self.ctx.functions)
            if free_letters(rel, sizes=set(sizes), labels=labels) or self._unsized_bounds(sizes):
                # ∂μ/∂x_j with μ = (1/m) Σ_{i=1}^{m} x_i: the definition's m sizes the range of j;
                # ∂L/∂b with ŷ_i = Σ_{j=1}^{d} w_j x_{ij}: the definition's d needs a value
                for other in self.ctx.statements:
                    if other.role == "definition" and other is not st:
                        self._sum_bounds(other.relation, sizes, rf)
            letters = free_letters(rel, sizes=set(sizes), labels=labels)
            # x_{k+1} - x^* = M (x_k - x^*) with x_{k+1} = F(x_k) defined: k is the step
            # counter of that iteration, and x_k stands for any iterate; no range is needed
            letters = [L for L in letters if not _only_iterates(self.ctx, rel, L)]
            ranges = []
            floors: dict[str, tuple[int, int]] = {}
            steps: list[str] = []
            for L in letters:
                r = rf.range_of(L, rel)
                if r is None and st.chain is not None:
                    r = rf.range_of(L, st.chain)
                if r is None and _step_letter(self.ctx, rel, L):
                    # z_t = σ(w x_t + u h_{t-1}): t is any step; a recurrent h is free below it
                    r = {GENERIC_STEP}
                    floors.update(_step_floors(self.ctx, rel, L, low))
                    steps.append(L)
                if r is None:
                    raise LowerError("index", f"cannot tell which values the index {L} takes", rel.span)
                ranges.append(sorted(r))
            combos = list(itertools.product(*ranges)) if ranges else [()]
            generics = self.generic_choices(rel, sizes)
            if generics:
                name, leaves = generics
                desc.append(f"every variable {names.display(name)} of the model ({len(leaves)} of them)")
            chosen = combos
            if len(combos) > MAX_INSTANCES:
                # an evenly spaced sample that keeps both ends; the verdict then says
                # "verified", never "proved", since not every value was decided
                step = (len(combos) - 1) / (MAX_INSTANCES - 1)
                chosen = [combos[round(k * step)] for k in range(MAX_INSTANCES)]
                self.sampled = True
            for combo in chosen:
                for g in (generics[1] if generics else [None]):
                    out.append(Instance(dict(sizes), dict(zip(letters, combo)),
                                        {generics[0]: g} if generics and g is not None else {}, dict(floors)))
            for L in steps:
                shown_free = _shown_floors(self.ctx, rel, L, floors)
                free = ", ".join(names.entry_name(k, (f,)) for k, f in sorted(shown_free.items()))
                desc.append(f"a generic step {L} (read as {L} = {GENERIC_STEP}"
                            + (f", with {free} free: any other state" if free else "") + ")")
            shown = [(L, r) for L, r in zip(letters, ranges) if L not in steps]
            if shown:
                what = ", ".join(f"{L} in {_span_text(r)}" for L, r in shown)
                desc.append(f"{len(chosen)} of the {len(combos)} index values ({what})" if len(chosen) < len(combos)
                            else f"every index value ({what})")
            if not self._has_symbolic_sizes():
                break
        return out, desc

    def generic_choices(self, rel: ir.Relation, sizes: dict[str, int]) -> tuple[str, list[sp.Symbol]] | None:
        """"The derivative of C with respect to any coefficient w": w names no quantity
        of the document, so the relation is claimed for every variable C depends on."""
        from symcheck import irutil
        c = self.ctx
        name: str | None = None
        common: set[sp.Symbol] | None = None
        low = Lowerer(c, dict(sizes))
        rf = RangeFinder(c, low)
        for n in irutil.walk(rel):
            if not isinstance(n, ir.Deriv) or n.num is None or len(n.wrt) != 1:
                continue
            var = n.wrt[0][0]
            if not isinstance(var, ir.Symbol) or var.sub is not None or var.label is not None:
                continue
            k = names.key(var)
            if k in c.quantities or k in c.families or k in c.shapes or k in c.functions \
                    or k in c.abstract or k in c.size_symbols or _defined_anywhere(c, k):
                continue
            if name is not None and k != name:
                return None
            if not _only_in_denominators(rel, k) or not _mentions_model(c, n.num):
                return None  # d/dx (x y): an ordinary variable, not "any coefficient"
            name = k
            # the variables this numerator depends on, at every value of its indices
            letters = free_letters(n.num, sizes=set(sizes))
            ranges = [sorted(rf.range_of(L, rel) or []) for L in letters]
            free: set[sp.Symbol] = set()
            try:
                for combo in itertools.product(*ranges) if ranges else [()]:
                    val = Lowerer(c, dict(sizes), indices=dict(zip(letters, combo))).lower(n.num)
                    free |= getattr(val, "free_symbols", set())
            except LowerError:
                return None
            common = free if common is None else common & free
        if name is None or not common:
            return None
        return name, sorted(common, key=lambda x: x.name)[:MAX_INSTANCES]

    def _has_symbolic_sizes(self) -> bool:
        return any(s not in self.ctx.doc_sizes for s in self.ctx.size_symbols)

    def _unsized_bounds(self, sizes: dict[str, int]) -> bool:
        """A sum in a definition runs to a size that has no value yet."""
        from symcheck import irutil
        for other in self.ctx.statements:
            if other.role != "definition":
                continue
            for n in irutil.walk(other.relation):
                if isinstance(n, ir.Sum) and isinstance(n.upper, ir.Symbol) and not n.upper.sub \
                        and n.index is not None:
                    k = names.key(n.upper)
                    if k not in sizes and k not in self.ctx.quantities:
                        return True
        return False

    def _sum_bounds(self, rel: ir.Relation, sizes: dict[str, int], rf: RangeFinder) -> None:
        from symcheck import irutil
        for n in irutil.walk(rel):
            if isinstance(n, ir.Sum) and isinstance(n.upper, ir.Symbol) and not n.upper.sub \
                    and n.index is not None:
                k = names.key(n.upper)
                if k in sizes or k in self.ctx.quantities:
                    continue
                r = rf.range_of(n.index.base, n.body)
                if r:
                    sizes[k] = max(r)
                    self.ctx.doc_sizes.setdefault(k, max(r))
                else:
                    sizes[k] = 3
            elif isinstance(n, ir.Sum) and n.upper is not None and n.index is not None:
                # Σ_{i=1}^{n-1}: the size in a bound written as an expression gets a test value
                for u in irutil.walk(n.upper):
                    if isinstance(u, ir.Symbol) and not u.sub and u.label is None and len(u.base) == 1:
                        k = names.key(u)
                        c = self.ctx
                        if k not in sizes and k not in c.quantities and k not in c.families \
                                and k not in c.functions and k != n.index.base:
                            sizes[k] = 3

    def _decide(self, st: Statement, deadline: float, notes: set[str]) -> Outcome:
        rel = st.relation
        self.sampled = False
        self.unevaluated = 0
        self.orthogonal_grids: list[tuple[str, list[list[sp.Symbol]]]] = []
        # by the leaf's name (\\epsilon for the key epsilon), as the sampled symbols are named
        self.regions = {names.display(k): (op, sp.Rational(b)) for k, op, b in getattr(st, "regions", ())}
        if self.regions:
            notes.add("for " + ", ".join(f"{k} {_OP_TEXT[op]} {b}" for k, (op, b)
                                         in sorted(self.regions.items())) + ", as the text says")
        insts, desc = self.instances(st)
        rng = random.Random(_seed(st))
        unproved: list[list[object]] = []  # each instance's differences, to be proved zero
        dead: list[Instance] = []  # instances where no trial could be evaluated
        trials = 0
        if self.quick:
            insts = insts[:1]
        if optimum.involved(self.ctx, rel):
            code, msg, pairs = optimum.decide(self, st, insts, lambda inst: self.instance_lowerer(
                st, inst, notes, deadline), deadline)
            return Outcome(code, msg, ("gradient and Hessian at the point stated",) if code != "SC202" else (),
                           pairs, tuple(sorted(notes)))
        for inst in insts:
            if time.monotonic() > deadline:
                raise Timeout
            low = self.instance_lowerer(st, inst, notes, deadline)
            if st.rewrites:
                low.rewrites = tuple((irutil.strip_spans(a), b) for a, b in st.rewrites)
                notes.add("under the condition the text states just before it (read as holding here)")
            if st.scalars:
                notes.add("read as a scalar here, as the text says: " + ", ".join(
                    names.display(k) for k in sorted(st.scalars)))
            if low.symmetric:
                notes.add("assumed symmetric, as the text says: " + ", ".join(
                    names.display(k) for k in sorted(low.symmetric)))
            try:
                lhs, rhs = low.lower(rel.lhs), low.lower(rel.rhs)
            except LowerError as e:
                if e.kind == "shape":
                    e.message += self.size_text(inst)
                if e.kind == "function":  # a = f(Σ w a): does some f fit?
                    from symcheck import schematic
                    out = schematic.decide(self, st, low)
                    if out is not None:
                        return out  # type: ignore[return-value]
                raise
            lhs, rhs = as_scalar(lhs), as_scalar(rhs)
            lhs, rhs = tuple_as_written(rel, lhs, rhs)
            # "X^T e = 0": a plain 0 beside a matrix is the zero matrix of its shape
            if is_matrix(lhs) and not is_matrix(rhs) and rhs == 0:
                rhs = sp.zeros(*lhs.shape)  # type: ignore[union-attr]
            elif is_matrix(rhs) and not is_matrix(lhs) and lhs == 0:
                lhs = sp.zeros(*rhs.shape)  # type: ignore[union-attr]
            if is_matrix(lhs) != is_matrix(rhs) or (is_matrix(lhs) and lhs.shape != rhs.shape):  # type: ignore[union-attr]
                where = _where(inst)
                return Outcome("SC101", f"refuted: the left side is {shape_text(lhs)}, the right side is "
                                        f"{shape_text(rhs)}{where}", ("shape check",), notes=tuple(sorted(notes)))
            stated = _stated_decimal(rel.rhs) or _stated_decimal(rel.lhs)
            if stated is not None and not is_matrix(lhs):
                other = lhs if _stated_decimal(rel.rhs) else rhs
                verdict = _check_number(other, stated)
                if verdict is not None:
                    # the fix rewrites the right side: a decimal stated on the left gets none
                    return verdict if _stated_decimal(rel.rhs) else dataclasses.replace(verdict, fix_rhs="")
            on_right = _stated_cells(rel.rhs)
            cells = on_right or _stated_cells(rel.lhs)
            if cells is not None and is_matrix(lhs):
                other = lhs if on_right else rhs
                verdict = _check_numbers(_flat(other), cells)
                if verdict is not None:
                    if verdict.code != "SC001" and on_right:
                        verdict = dataclasses.replace(verdict, fix_rhs=valuefix.corrected(rel.rhs, _flat(lhs)) or "")
                    return verdict
            for side, other in ((rel.rhs, lhs), (rel.lhs, rhs)):
                verdict = rounded.check(low, side, other)  # 0.1269 + 0.3133 + 0.693: each term rounded
                if verdict is not None:
                    return verdict
            diffs = [a - b for a, b in zip(_flat(lhs), _flat(rhs))]
            self.orthogonal_grids = orthogonal.leaves(self.ctx, low, _flat(lhs) + _flat(rhs))
            labelled = {hit for x in numeric.free_symbols(_flat(lhs) + _flat(rhs))
                        for hit in [_finite_of(self.ctx, x)] if hit is not None}
            for k, values in sorted(labelled):
                notes.add(f"{names.display(k)} takes only the values {', '.join(map(str, values))}, as the text says")
            if self.orthogonal_grids:
                notes.add("sampled as orthogonal, as the text says: " + ", ".join(
                    names.display(k) for k, _ in self.orthogonal_grids))
            before = self.unevaluated
            cx = self.counterexample(diffs, lhs, rhs, rng, deadline)
            if cx is None and not self.quick and self.unevaluated - before >= len(diffs) * TRIALS:
                # not one trial could be evaluated at these sizes (XᵀSX singular when d > n): they
                # say nothing either way, and the other sizes decide
                dead.append(inst)
                self.unevaluated = before
            if cx is not None:
                named = self.new_names(st, insts, deadline, notes)
                if named is not None:
                    return named
                given = _first_named_values(self.ctx, st, lhs, rhs)
                if given:
                    # "λ_max/λ_min = 4/2": the relation gives values to names it introduces;
                    # at a random value of those names it is false, which proves nothing
                    return Outcome("SC202", "undecided: this relation gives a value to "
                                            f"{', '.join(given)}, which the document names here for the first "
                                            "time and defines nowhere", notes=tuple(sorted(notes)))
                pairs, msg = cx
                # plain arithmetic (13·30 − 6·6 = 345): the value is the fix (offered once the
                # corrected relation is decided true at every size, see pipeline._value_fix)
                constant = not numeric.free_symbols(_flat(lhs) + _flat(rhs))
                return Outcome("SC100", f"refuted: the sides differ{_where(inst)}{msg}", ("exact evaluation",),
                               tuple(pairs), tuple(sorted(notes)),
                               fix_rhs=(constant and valuefix.corrected(rel.rhs, _flat(lhs))) or "")
            trials += TRIALS
            if not self.quick:
                unproved.append(diffs)
        # The symbolic zero tests come after every instance passed its random trials: a
        # slow proof at the first size (entries of an inverse, its differential) must not
        # use up the time the next size needs to be checked at all.  A proof that runs out
        # of time is "not proved", so the verdict is then "verified", not a time-out.
        all_proved = all(self.zero(d, deadline) for diffs in unproved for d in diffs)
        if dead and len(dead) == len(insts):
            self.unevaluated += 1  # nowhere evaluated: no evidence at all
        elif dead:
            notes.add("at " + "; ".join(_sizes_text(i) for i in dead) + " no trial could be evaluated (a "
                      "singular matrix or a value outside a function's domain); the other sizes decide")
            insts = [i for i in insts if i not in dead]
        scope = self.scope_text(insts, desc)
        if self.quick:
            return Outcome("SC002", "screened")
        if self._has_symbolic_sizes():
            from symcheck import symbolic
            if symbolic.prove_all_sizes(self.ctx, rel, self.cost_args(st)):
                return Outcome("SC001", f"proved for all sizes (matrix calculus with symbolic sizes); "
                                        f"also checked {scope}", ("matrix-expression normal form", "symbolic simplification"),
                               notes=tuple(sorted(notes)))
        every_n = self.per_sample(st, insts, deadline)
        if every_n is not None:
            return Outcome("SC001", f"proved for every number of samples {every_n} (term by term: each "
                                    "sample's term is one formula in its own entries, and its derivative is the "
                                    f"claimed term); also checked {scope}", ("per-sample sum, generic sample", "symbolic simplification"),
                           notes=tuple(sorted(notes)))
        rows_n = self.sample_rows(st, insts, deadline)
        if rows_n is not None:
            return Outcome("SC001", f"proved for every number of samples {rows_n} (row by row: each matrix "
                                    "built from the samples has one row per sample, one formula in that "
                                    "sample's own entries; a product over the samples is the sum of the "
                                    "rows' products, and the generic sample's terms agree); also checked "
                                    f"{scope}", ("matrices of samples, generic sample", "symbolic simplification"),
                           notes=tuple(sorted(notes)))
        if all_proved and not self.sampled:
            index_n = self.per_index(st, insts, deadline)
            if index_n is not None:
                return Outcome("SC001", f"proved for every number of samples {index_n} (sample by sample: at "
                                        "every sample the document writes out, the claim with that sample's own "
                                        "entries renamed to a generic sample's is one formula, and that formula "
                                        f"is an identity); also checked {scope}",
                               ("per-sample claim, generic sample", "symbolic simplification"),
                               notes=tuple(sorted(notes)))
            return Outcome("SC001", f"proved {scope}", ("symbolic simplification",), notes=tuple(sorted(notes)))
        if self.unevaluated:
            # a trial that could not be evaluated (a step at its jump, a complex value) is
            # no evidence of equality: without a proof there is no verdict
            return Outcome("SC202", f"undecided: {self.unevaluated} random trial(s) could not be evaluated "
                                    "(a value at a jump, outside a function's domain or complex) and no "
                                    "symbolic proof was found", ("exact evaluation",), notes=tuple(sorted(notes)))
        bound = (f"{TRIALS} random trials at each of {len(insts)} instance(s), all equal (exact rational "
                 "arithmetic; 50- and 90-digit arithmetic where exp or log appear)")
        return Outcome("SC002", f"verified numerically {scope}: {bound}", (bound,), notes=tuple(sorted(notes)))

    def instance_lowerer(self, st: Statement, inst: Instance, notes: set[str], deadline: float) -> Lowerer:
        """The lowerer that reads a claim at one instance (sizes, indices, generic step)."""
        low = Lowerer(self.ctx, inst.sizes, indices=inst.indices, notes=notes,
                      cost_args=self.cost_args(st), generic=inst.generic, locals_=self.locals(st),
                      floors=inst.floors)
        low.position = st.relation.span.start
        low.stmt_position = st.relation.span.start
        low.deadline = deadline
        low.symmetric = frozenset(getattr(st, "symmetric", ()))
        low.scalars = frozenset(st.scalars) | _own_parameters(self.ctx, st.relation.lhs)
        return low

    def per_sample(self, st: Statement, insts: list[Instance], deadline: float) -> str | None:
        """``∂C/∂θ = Σ_{i=1}^{n} g_i`` with C a sum over the same samples: proved for every
        n when it holds for a generic sample (persample.py).  The size's name, or None."""
        if any(inst.indices for inst in insts):
            return None  # a free index: the relation is a family of claims, not one sum
        return self._every_n(st, insts, deadline, persample.prove)

    def sample_rows(self, st: Statement, insts: list[Instance], deadline: float) -> str | None:
        """``∂C/∂u = X^T d [v_1 v_2]`` with X and d one row per sample: proved for every n
        when the generic sample's terms agree (samplerows.py).  The size's name, or None."""
        from symcheck import samplerows
        if any(inst.indices or inst.generic for inst in insts):
            return None
        return self._every_n(st, insts, deadline, samplerows.prove)

    def _every_n(self, st: Statement, insts: list[Instance], deadline: float, prove: object) -> str | None:
        """The size every instance's proof for every n is about, when all of them have one."""
        if not insts:
            return None
        found: set[str] = set()
        for inst in insts:
            proof = prove(self.ctx, st.relation, inst.sizes, self._lowerer_for(st, inst, deadline),  # type: ignore[operator]
                          lambda d: self.zero(d, deadline))
            if proof is None:
                return None
            found.add(proof.size)
        return names.display(sorted(found)[0]) if len(found) == 1 else None

    def per_index(self, st: Statement, insts: list[Instance], deadline: float) -> str | None:
        """``z_i^{pred} = v_0 + v_1 y_{i1} + v_2 y_{i2}`` at every sample i: proved for every
        n when each sample's claim is the generic sample's, an identity (sampleindex.py).
        Called only once every index value was proved.  The size's name, or None."""
        from symcheck import sampleindex
        if not insts or any(inst.generic or len(inst.indices) != 1 for inst in insts):
            return None
        groups: dict[tuple[tuple[str, int], ...], list[Instance]] = {}
        for inst in insts:
            groups.setdefault(tuple(sorted(inst.sizes.items())), []).append(inst)
        found: set[str] = set()
        for group in groups.values():
            letters = {L for inst in group for L in inst.indices}
            if len(letters) != 1:
                return None
            letter = next(iter(letters))
            proof = sampleindex.prove(self.ctx, st.relation, group[0].sizes, letter,
                                      [inst.indices[letter] for inst in group],
                                      self._lowerer_for(st, group[0], deadline), lambda d: self.zero(d, deadline))
            if proof is None:
                return None
            found.add(proof.size)
        return names.display(sorted(found)[0]) if len(found) == 1 else None

    def _lowerer_for(self, st: Statement, inst: Instance, deadline: float) -> "persample.LowererFor":
        def lowerer_for(indices: dict[str, int]) -> Lowerer:
            low = Lowerer(self.ctx, inst.sizes, indices=indices, cost_args=self.cost_args(st),
                          generic=inst.generic, locals_=self.locals(st),
                          floors=inst.floors)
            low.position = low.stmt_position = st.relation.span.start
            low.deadline = deadline
            low.symmetric = frozenset(getattr(st, "symmetric", ()))
            low.scalars = frozenset(st.scalars)
            return low
        return lowerer_for

    def new_names(self, st: Statement, insts: list["Instance"], deadline: float,
                  notes: set[str]) -> Outcome | None:
        """``z = w_0 + w_1 x_{i1} + w_2 x_{i2}`` with w named here for the first time:
        the author introduces coefficients, and the relation claims that some w, the
        same for every i, makes it hold.  Solved exactly (the w enter linearly) and the
        solution substituted back at every instance; proved only when every
        difference then vanishes symbolically."""
        fresh = _fresh_names(self.ctx, st)
        if not fresh:
            return None
        rel = st.relation
        eqs: list[object] = []
        unknowns: set[sp.Symbol] = set()
        for inst in insts:
            low = Lowerer(self.ctx, inst.sizes, indices=inst.indices, cost_args=self.cost_args(st),
                          generic=inst.generic, locals_=self.locals(st),
                          floors=inst.floors)
            low.position = low.stmt_position = rel.span.start
            low.deadline = deadline
            a, b = as_scalar(low.lower(rel.lhs)), as_scalar(low.lower(rel.rhs))
            for x, y in zip(_flat(a), _flat(b)):
                d = sp.expand(x - y)  # type: ignore[operator]
                eqs.append(d)
                unknowns |= {v for v in numeric.free_symbols([d]) if _leaf_key(v.name) in fresh}
        if not unknowns or len(eqs) > 64 or any(numeric.tree_size(e, 4000) > 4000 for e in eqs):
            return None
        xs = sorted(unknowns, key=lambda v: v.name)
        if any(sp.Poly(e, *xs).total_degree() > 1 for e in eqs):
            return None
        sol = sp.linsolve(eqs, xs)
        if not sol or len(sol) != 1:
            return None
        values = dict(zip(xs, next(iter(sol))))
        if any(set(v.free_symbols) & unknowns for v in values.values()):
            return None  # not determined: some w stays free
        if time.monotonic() > deadline or any(sp.expand(e.xreplace(values)) != 0 for e in eqs):
            return None
        shown = ", ".join(f"{v.name} = {sp.sstr(values[v])}" for v in xs)
        notes.add("new names introduced by this relation: " + ", ".join(sorted(fresh)))
        return Outcome("SC001", f"proved, reading {', '.join(v.name for v in xs)} as coefficients the relation "
                                f"introduces: it holds at every instance with {shown}",
                       ("exact linear solve", "symbolic simplification"), notes=tuple(sorted(notes)))

    def size_text(self, inst: Instance) -> str:
        shown = [f"{names.display(k)} = {v}" for k, v in sorted(inst.sizes.items())
                 if k not in self.ctx.doc_sizes and not k.startswith(("rows(", "cols("))]
        return f" (at test sizes {', '.join(shown)})" if shown else ""

    def scope_text(self, insts: list[Instance], desc: list[str]) -> str:
        sizes = insts[0].sizes if insts else {}
        shown = {k: v for k, v in sorted(sizes.items()) if not k.startswith(("rows(", "cols("))}
        parts = []
        symbolic = [k for k in shown if k not in self.ctx.doc_sizes]
        fixed = [k for k in shown if k in self.ctx.doc_sizes]
        if fixed:
            parts.append("at the document's sizes (" + ", ".join(f"{names.display(k)} = {shown[k]}" for k in fixed) + ")")
        if symbolic:
            sets = sorted({tuple((k, i.sizes[k]) for k in symbolic) for i in insts})
            parts.append("at test sizes " + " and ".join(
                "(" + ", ".join(f"{names.display(k)} = {v}" for k, v in s) + ")" for s in sets))
        if desc:
            parts.append("at " + "; ".join(dict.fromkeys(desc)))
        return " ".join(parts) if parts else "at the document's sizes"

    def locals(self, st: Statement) -> frozenset[str]:
        """Names a relation uses as plain variables although a function of that name
        exists: parameters of the functions its row mentions (f(σ) = … makes σ a
        variable in df/dσ = σ - T)."""
        from symcheck import irutil
        out: set[str] = set()
        for n in irutil.walk(st.chain if st.chain is not None else st.relation):
            if isinstance(n, ir.Symbol) and not n.sub and names.key(n) in self.ctx.functions:
                fd = self.ctx.functions[names.key(n)]
                if fd.span.start <= st.relation.span.start:
                    # J(w) with w the document's own vector: w keeps its meaning and shape
                    out.update(p for p in fd.params if "_" not in p
                               and (p not in self.ctx.shapes or self._introduced_later(p, st)))
        return frozenset(out)

    def _introduced_later(self, key: str, st: Statement) -> bool:
        """ReLU'(z) = … written before the document introduces its own z (z = W x + b)."""
        first = next((o for o in self.ctx.statements if o.defines == key
                      and o.role in ("definition", "declaration")), None)
        return first is not None and first.index > st.index

    def cost_args(self, st: Statement) -> dict[str, tuple[str, ...]]:
        from symcheck import costs
        return costs.arguments(self.ctx, st)

    def counterexample(self, diffs: list[object], lhs: object, rhs: object, rng: random.Random,
                       deadline: float) -> tuple[list[tuple[str, str]], str] | None:
        sides = _flat(lhs) + _flat(rhs) + diffs
        free = sorted(numeric.free_symbols(sides), key=lambda s: s.name)
        labels = {x: hit[1] for x in free for hit in [_finite_of(self.ctx, x)] if hit is not None}
        for t in range(2 if self.quick else TRIALS):
            if time.monotonic() > deadline:
                raise Timeout
            for attempt in range(3):  # a point where a side is undefined (a singular matrix): draw again
                point = numeric.random_point(free, rng, t, attempt)
                for s_, (op, b) in getattr(self, "regions", {}).items():
                    for x in free:
                        if x.name == s_:  # "for z > 0": a value in that region
                            point[x] = _in_region(point[x], op, b)
                for x, values in labels.items():  # y_i ∈ {-1, +1}: labels drawn from their set
                    point[x] = sp.Integer(rng.choice(values))
                orthogonal.draw_into(point, self.orthogonal_grids, rng, t)
                verdicts = [_differs(_flat(lhs)[k], _flat(rhs)[k], d, point) for k, d in enumerate(diffs)]
                if None not in verdicts or any(verdicts):
                    break
            for k, d in enumerate(diffs):
                verdict = verdicts[k]
                if verdict is None:
                    self.unevaluated += 1  # no verdict at this point: it cannot count as equal
                if not verdict:
                    continue
                if True:
                    used = sorted(numeric.free_symbols([d]), key=lambda s: s.name)
                    pairs = [(s.name, str(point[s])) for s in used[:12]]
                    lv, rv = _evaluate(_flat(lhs)[k], point), _evaluate(_flat(rhs)[k], point)
                    entry = "" if len(diffs) == 1 else f" in entry {k + 1}"
                    msg = f"{entry}: left = {_short(lv)}, right = {_short(rv)}" if lv is not None and rv is not None else ""
                    return pairs, msg
        return None

    def zero(self, d: object, deadline: float) -> bool:
        """Is the difference identically zero?  Small expressions are expanded here;
        anything larger runs in a child process that is killed at the deadline.  Out of
        time means "not proved": the random trials already passed, so the verdict falls
        back to verified rather than to a time-out."""
        regions = getattr(self, "regions", {})
        if regions and isinstance(d, sp.Basic):
            # "for z > 0": z = 0 + p with p > 0, so the test holds on that region only
            subs = {}
            for x in d.free_symbols:
                if x.name in regions:
                    op, b = regions[x.name]
                    if op == "=":
                        subs[x] = b
                        continue
                    p = sp.Symbol(f"{x.name}_region", **({"positive": True} if op in (">", "<")
                                                         else {"nonnegative": True}))
                    subs[x] = b + p if op in (">", "ge") else b - p
            d = d.xreplace(subs)
        if time.monotonic() > deadline - 0.05:
            return False
        d = sp.sympify(d) if not isinstance(d, sp.Basic) else d
        if d == 0:
            return True
        quick = _quick_zero(d)
        if quick is not None:
            return quick
        from symcheck import limits
        return bool(limits.call(_proves_zero, (d,), min(deadline - time.monotonic(), 2.0), False))


_QUICK: dict[sp.Basic, "bool | None"] = {}  # the same differences recur (a fix, a definition repair)


def _quick_zero(d: sp.Basic) -> bool | None:
    """The zero tests that need no time limit (None: the difference needs the slow one).
    Pure, so remembered by the expression."""
    hit = _QUICK.get(d, _QUICK)
    if hit is not _QUICK:
        return hit  # type: ignore[return-value]
    if len(_QUICK) > 5000:
        _QUICK.clear()
    got = _QUICK[d] = _quick_zero_uncached(d)
    return got


def _quick_zero_uncached(d: sp.Basic) -> bool | None:
    if numeric.tree_size(d, TREE_LIMIT) > TREE_LIMIT:
        return False  # too large to expand: the numeric verdict stands
    ops = sp.count_ops(d)
    if ops > PROOF_OPS_LIMIT:
        return False
    transcendental = bool(d.atoms(sp.Function)) or any(not p.exp.is_Integer for p in d.atoms(sp.Pow))
    if transcendental:
        # exp/log identities: only the cheap, sound test (functions as opaque symbols);
        # anything more is left to the numeric verdict rather than to a slow simplify
        return ops <= TRANSCENDENTAL_OPS and _zero_with_opaque_functions(d)
    if ops <= SMALL_OPS:
        # a quotient (an inverse's entries over the determinant) needs its canonical form
        return sp.expand(d) == 0 or (_has_quotient(d) and sp.cancel(d) == 0)
    return None


def _own_parameters(ctx: Context, lhs: object) -> frozenset[str]:
    """``ℓ'(m) = …`` after ``ℓ(m) = max(0, 1 - m)^2``: the m is ℓ's own parameter, a scalar
    whatever a family m_i of the document collects into a vector (a parameter the document
    declares, like the w of F(w) with w ∈ R^d, keeps its shape)."""
    if not isinstance(lhs, ir.Apply) or not isinstance(lhs.func, ir.Symbol):
        return frozenset()
    fd = ctx.functions.get(names.key(dataclasses.replace(lhs.func, prime=0)))
    args = [a.items[0] if isinstance(a, ir.Paren) and len(a.items) == 1 else a for a in lhs.args]
    if fd is None or len(args) != len(fd.params) or not all(
            isinstance(a, ir.Symbol) and not a.sub and names.key(a) == p for a, p in zip(args, fd.params)):
        return frozenset()
    return frozenset(p for p in fd.params if p not in ctx.shapes and p not in ctx.quantities)


_OP_TEXT = {"<": "<", ">": ">", "le": "≤", "ge": "≥", "=": "="}


def _in_region(v: sp.Rational, op: str, b: sp.Rational) -> sp.Rational:
    """A value on the side of ``b`` that ``op`` asks for, from a random value ``v`` (``b``
    itself for "for ε = 0")."""
    if op == "=":
        return b
    off = abs(v) + (sp.Rational(1, 7) if op in ("<", ">") else 0)
    return b + off if op in (">", "ge") else b - off


def _stated_decimal(node: object) -> str | None:
    """A number written with decimals ("0.3775"): it claims only as many digits as it shows."""
    if isinstance(node, ir.Neg) and isinstance(node.arg, ir.Number):
        t = _stated_decimal(node.arg)
        return None if t is None else "-" + t
    if isinstance(node, ir.Number) and "." in node.text:
        return node.text
    return None


GENERIC_STEP = 5  # the value a step index with no stated range is read at (room for t-1, …, t-4)


def _step_letter(ctx: Context, rel: object, letter: str) -> bool:
    """A letter no range is given for that only ever subscripts names nothing gives a
    shape (h_t, x_t, z_{t-1}): any step or sample.  Read at one generic value, the relation
    is about every value alike, since no definition depends on the value itself."""
    if letter in ctx.size_symbols or letter in ctx.doc_sizes:
        return False
    seen = False
    inside: set[int] = set()
    for n in irutil.walk(rel):
        if isinstance(n, ir.Sum) and n.index is not None and n.index.base == letter:
            return False
        if isinstance(n, ir.Symbol) and n.sub:
            mine = [it for it in n.sub if any(isinstance(x, ir.Symbol) and x.base == letter and not x.sub
                                              for x in irutil.walk(it))]
            if not mine:
                continue
            if len(n.sub) != 1 or irutil.shift_of(mine[0], letter) is None:
                return False
            k = names.key(n)
            if k in ctx.shapes or k in ctx.quantities or k in ctx.functions:
                return False
            seen = True
            inside |= {id(x) for x in irutil.walk(n.sub[0])}
    # the letter is never a value of its own (t e^{-t}, a_t t)
    return seen and all(id(n) in inside for n in irutil.walk(rel)
                        if isinstance(n, ir.Symbol) and n.base == letter and not n.sub)


def _recurrent_families(ctx: Context) -> frozenset[str]:
    """Families whose definition reaches themselves (h_t = F(h_{t-1}), or through gates
    z_t = σ(… h_{t-1})): their earlier entries are earlier states."""
    got = ctx.__dict__.get("recurrent_families")
    if got is not None:
        return got
    uses: dict[str, set[str]] = {}
    for k, f in ctx.families.items():
        if f.body is not None and len(f.params) == 1:
            uses[k] = {names.key(s) for s in irutil.symbols(f.body) if s.sub and len(s.sub) == 1}
    out = set()
    for k in uses:
        todo, seen = list(uses[k]), set()
        while todo:
            j = todo.pop()
            if j == k:
                out.add(k)
                break
            if j in seen:
                continue
            seen.add(j)
            todo.extend(uses.get(j, ()))
    got = ctx.__dict__["recurrent_families"] = frozenset(out)
    return got


def _step_floors(ctx: Context, rel: object, letter: str, low: Lowerer) -> dict[str, tuple[int, int]]:
    """Where each recurrent family becomes free at the generic step, and on which side: at
    or below the earliest entry the relation names (∂h_t/∂h_{t-1}: h_{t-1}), or the one just
    before the step; for a backward recurrence δ_t = F(δ_{t+1}), at or above the latest one
    named, or the one just after."""
    from symcheck.lower import recurrence_direction
    out: dict[str, tuple[int, int]] = {}
    at = low.child(indices={**low.indices, letter: GENERIC_STEP})
    for k in sorted(_recurrent_families(ctx)):
        direction = recurrence_direction(ctx.families[k]) or 1
        named = [GENERIC_STEP - direction]
        for n in irutil.symbols(rel):
            if n.sub and len(n.sub) == 1 and names.key(n) == k and irutil.shift_of(n.sub[0], letter) is not None:
                try:
                    named.append(at.index_value(n.sub[0]))
                except LowerError:
                    pass
        out[k] = (min(named) if direction > 0 else max(named), direction)
    return out


def _shown_floors(ctx: Context, rel: object, letter: str,
                  floors: dict[str, tuple[int, int]]) -> dict[str, int]:
    """The free earlier states worth naming: those of a family defined through its own
    earlier members, and those the relation itself names."""
    from symcheck.lower import _mentions_itself
    named = {names.key(n) for n in irutil.symbols(rel) if n.sub and len(n.sub) == 1
             and irutil.shift_of(n.sub[0], letter) is not None and not isinstance(n.sub[0], ir.Symbol)}
    return {k: f for k, (f, _) in floors.items() if k in named or _mentions_itself(ctx.families[k])}


def _only_iterates(ctx: Context, rel: object, letter: str) -> bool:
    """Every name the letter subscripts is an iterate x_k, x_{k+1} of a defined iteration."""
    subs = [n for n in irutil.walk(rel) if isinstance(n, ir.Symbol) and n.sub_text is not None
            and any(isinstance(x, ir.Symbol) and x.base == letter for s in n.sub for x in irutil.walk(s))]
    return bool(subs) and all(ctx.is_iterate(n) for n in subs)


def _stated_cells(node: object) -> list[tuple[str, bool]] | None:
    """A matrix of numbers, some written with decimals: (text, has decimals) per entry;
    a decimal claims only as many digits as it shows.  A tuple (0.6931, 1.0986)ᵀ is the
    column of its items."""
    cells = valuefix.entries(node)
    if cells is None or any(isinstance(c.arg if isinstance(c, ir.Neg) else c, ir.Frac) for c in cells):
        return None
    out = [(t, "." in t) for t in map(valuefix.text, cells)]
    return out if any(d for _, d in out) else None


def _check_numbers(values: list[object], stated: list[tuple[str, bool]]) -> Outcome | None:
    """Each entry against its stated decimal, exact entries exactly: proved when every
    one holds, refuted at the first that does not, None when an entry has no value."""
    if len(values) != len(stated):
        return None
    for k, (v, (text, decimal)) in enumerate(zip(values, stated), start=1):
        if getattr(v, "free_symbols", None):
            return None
        if decimal:
            out = _check_number(v, text)
            if out is None:
                return None
            if out.code != "SC001":
                return Outcome(out.code, f"refuted in entry {k}: {out.message.removeprefix('refuted: ')}",
                               out.evidence, out.counterexample)
        elif sp.simplify(v - sp.Rational(text)) != 0:  # type: ignore[operator]
            return Outcome("SC100", f"refuted in entry {k}: the value is {v}, not {text}", ("exact evaluation",),
                           (("value", str(v)),))
    return Outcome("SC001", f"proved: each of the {len(values)} entries is the value stated (to its decimals)",
                   ("numeric evaluation to 30 digits",))


def _check_number(value: object, stated: str) -> Outcome | None:
    """Compare a closed-form value with a decimal to the precision it is written."""
    if getattr(value, "free_symbols", None):
        return None
    try:
        v = sp.N(value, 30)
    except (TypeError, ValueError):
        return None
    if not v.is_number or v.is_real is False:
        return None
    digits = len(stated.split(".", 1)[1])
    half = sp.Rational(1, 2) * sp.Rational(1, 10 ** digits)
    if getattr(value, "is_Rational", False):
        err = abs(value - sp.Rational(stated))  # exact: 1/4 is both 0.2 and 0.3 to one decimal
    else:
        err = abs(v - sp.Rational(stated)) - sp.Rational(1, 10 ** 25)  # 30 digits carry no exact tie
    shown = sp.N(v, digits + 4)
    if err <= half:
        return Outcome("SC001", f"proved: the value is {shown}, which rounds to {stated} "
                                f"({digits} decimals, as stated)", ("numeric evaluation to 30 digits",))
    correct = valuefix.rounded(v, digits)
    return Outcome("SC102", f"refuted: the value is {shown}; to the {digits} decimals stated it is {correct}, "
                            f"not {stated}", ("numeric evaluation to 30 digits",), (("value", str(shown)),),
                   fix_rhs=correct)


def _zero_with_opaque_functions(e: sp.Expr) -> bool:
    """Sound, cheap: with each exp(·), log(·), … replaced by its own symbol, the
    difference cancels to 0 (so it is 0 whatever those functions are)."""
    try:
        funcs = sorted(e.atoms(sp.Function, sp.Pow), key=sp.default_sort_key)
        opaque = {f: sp.Dummy(f"f{k}") for k, f in enumerate(funcs)
                  if not (isinstance(f, sp.Pow) and f.exp.is_Integer)}
        r = sp.cancel(sp.together(e.xreplace(opaque)))
        return r == 0
    except (sp.PolynomialError, TypeError, ValueError):
        return False


def _has_quotient(d: sp.Expr) -> bool:
    return any(p.exp.is_negative for p in d.atoms(sp.Pow))


def _proves_zero(d: sp.Expr) -> bool:
    """Run in a child with a hard limit: cancel, expand, then functions-as-symbols, then simplify."""
    try:
        # d is a rational function here (zero() keeps exp/log away): its canonical form p/q
        # decides at once, where expanding first multiplies out quotients of determinants
        # (entries of an inverse and of its differential) into millions of terms
        if _has_quotient(d) and sp.cancel(d) == 0:
            return True
        e = sp.expand(d)
        if e == 0 or _zero_with_opaque_functions(e):
            return True
        return sp.simplify(sp.cancel(e)) == 0
    except (sp.PolynomialError, TypeError, ValueError, RecursionError):
        return False


def _only_in_denominators(rel: ir.Relation, key: str) -> bool:
    """Every occurrence of ``key`` is a variable of differentiation."""
    from symcheck import irutil
    wrt_ids = {id(v) for n in irutil.walk(rel) if isinstance(n, ir.Deriv) for v, _ in n.wrt}
    return all(id(s) in wrt_ids for s in irutil.walk(rel)
               if isinstance(s, ir.Symbol) and names.key(s) == key and not s.sub)


def _mentions_model(ctx: Context, node: object) -> bool:
    """The numerator is built from what the document defines (C, z_i), not from loose letters."""
    from symcheck import irutil
    for s in irutil.symbols(node):
        k = names.key(s)
        q = ctx.quantities.get(k) or ctx.quantities.get(names.key_with_sub(s) or "")
        if q is not None and (q.definition is not None or q.grid is not None):
            return True
        f = ctx.families.get(k)
        if f is not None and (f.body is not None or f.names_entries_of is not None):
            return True
    return False


def _symbols_before(ctx: Context, st: Statement, claims: bool = True) -> Iterator[ir.Symbol]:
    """The symbols of the statements before ``st`` (without the claims, if asked)."""
    from symcheck import irutil
    cache: dict[int, tuple[object, list[ir.Symbol]]] = ctx.__dict__.setdefault("_symbols_of", {})
    for other in ctx.statements:
        if other.index < st.index and (claims or other.role != "claim"):
            hit = cache.get(id(other))
            if hit is None or hit[0] is not other.relation:
                hit = (other.relation, [x for x in irutil.walk(other.relation) if isinstance(x, ir.Symbol)])
                cache[id(other)] = hit
            yield from hit[1]


def _first_named_values(ctx: Context, st: Statement, lhs: object, rhs: object) -> list[str]:
    """Names (shown as written) that this relation uses for the first time, never
    defined, when the other side is a plain number."""
    from symcheck import irutil
    if not any(not numeric.free_symbols(_flat(v)) for v in (lhs, rhs)):
        return []
    if not any(other is st for other in ctx.statements):
        return []  # a relation built by another stage (cross-references, repairs): no "first time"
    earlier: set[str] = set()
    for x in _symbols_before(ctx, st, claims=False):
        earlier.add(names.key_with_sub(x) or names.key(x))
        if x.sub and all(isinstance(i, ir.Symbol) and len(i.base) == 1 and i.base.islower() for i in x.sub):
            earlier.add(names.key(x))  # x_i: the family x is in use
    out = []
    inside = {id(i) for x in irutil.walk(st.relation) if isinstance(x, ir.Symbol) and x.sub
              for i in irutil.walk(ir.Chain(tuple(x.sub), (), x.span))}
    for sm in irutil.walk(st.relation):  # a sum's index and bounds, a function's name: no value
        if isinstance(sm, ir.Apply):
            inside.add(id(sm.func))
        if isinstance(sm, ir.Mul):  # λ_max(A): an eigenvalue the engine computes
            inside |= {id(f) for f, g in zip(sm.factors, sm.factors[1:])
                       if names.is_extreme_eigenvalue(f) and isinstance(g, ir.Paren)}
        if isinstance(sm, ir.Sum):
            for part in (sm.index, sm.lower, sm.upper):
                if part is not None:
                    inside |= {id(i) for i in irutil.walk(part)}
    for x in irutil.walk(st.relation):
        if not isinstance(x, ir.Symbol) or id(x) in inside or x.base.isdigit() or ctx.constant(x) is not None:
            continue  # 𝟏, I: constants, not names given a value
        k = names.key_with_sub(x) or names.key(x)
        q = ctx.quantities.get(k)
        from symcheck import functions
        if functions.lookup(x.base) is not None or k in earlier or (q is not None and (q.definition is not None or q.grid is not None)) \
                or k in ctx.functions or names.key(x) in ctx.families or k in ctx.size_symbols:
            continue
        if x.sub and any(fd.sub_param is not None and fd.sub_param[0] == names.key(x) for fd in ctx.functions.values()):
            continue  # S_1 of a function S_τ the document defines
        if x.sub and names.key(x) in earlier:
            continue  # x_3 of a family used before
        if names.display(k) not in out:
            out.append(names.display(k))
    return out


def _leaf_key(name: str) -> str:
    """``w_{0}`` → ``w``: the family a leaf belongs to."""
    return name.split("_", 1)[0]


def _fresh_names(ctx: Context, st: Statement) -> set[str]:
    """Names this relation uses for the first time and the document never defines:
    bases of subscripted symbols (w in w_0, w_1) that no earlier statement mentions."""
    from symcheck import irutil
    # a bare w in "∂C/∂w, for any coefficient w" is no use of the coefficients w_k
    earlier = {names.key(x) for x in _symbols_before(ctx, st) if x.sub or names.key(x) in ctx.quantities}
    here = {names.key(x) for x in irutil.walk(st.relation) if isinstance(x, ir.Symbol) and x.sub}
    out = set()
    for k in here - earlier:
        q = ctx.quantities.get(k)
        f = ctx.families.get(k)
        if (q is not None and (q.definition is not None or q.grid is not None)) or \
                (f is not None and (f.body is not None or f.names_entries_of is not None)) or k in ctx.functions:
            continue
        if len(k) == 1 and k.isalpha():
            out.add(k)
    return out


def _defined_anywhere(ctx: Context, key: str) -> bool:
    from symcheck import irutil
    bodies = [d for q in ctx.quantities.values() for d in (q.definition, q.grid)]
    bodies += [f.body for f in ctx.families.values()]  # r_i = y_i - c - m x_i uses c
    bodies += [fd.body for fd in ctx.functions.values()]
    for d in bodies:
        if d is not None and any(isinstance(x, ir.Symbol) and names.key(x) == key for x in irutil.walk(d)):
            return True
    return False


def _flat(v: object) -> list[object]:
    return list(v) if is_matrix(v) else [v]  # type: ignore[call-overload]


def _differs(a: object, b: object, d: object, point: dict[sp.Symbol, sp.Rational]) -> bool | None:
    """True when the sides certainly differ at ``point``: exactly, for rational values;
    otherwise by a relative gap above 1e-25 at both 60 and 100 digits.  False when they
    agree there; None when they could not be evaluated (no evidence either way)."""
    from symcheck import numeric
    try:
        try:
            return numeric.evaluate_exact(d, point) != 0
        except numeric.Unsupported:
            pass
        import mpmath
        seen = []
        for digits in (50, 90):
            x = numeric.evaluate(a, point, digits)
            y = numeric.evaluate(b, point, digits)
            if isinstance(x, mpmath.mpc) or isinstance(y, mpmath.mpc):
                return None
            if not (mpmath.isfinite(x) and mpmath.isfinite(y)):
                return None  # an overflow or 0·∞ (NaN): no evidence, least of all of equality
            seen.append((x, y))
            with mpmath.workdps(digits):
                gap = abs(x - y) / (1 + abs(x) + abs(y))
            if not gap > mpmath.mpf(10) ** -25:
                return False
        with mpmath.workdps(90):
            drift = max(abs(p - q) / (1 + abs(p) + abs(q)) for p, q in zip(seen[0], seen[1]))
        if drift > mpmath.mpf(10) ** -30:
            return None  # 50 and 90 digits disagree on a side: the gap may be rounding, not a difference
        return True
    except (ZeroDivisionError, TypeError, ValueError, OverflowError):
        return None
    except Exception as e:  # numeric.Unsupported and mpmath domain errors: no verdict from this point
        if type(e).__name__ in ("Unsupported", "ComplexResult"):
            return None
        raise


def _evaluate(d: object, point: dict[sp.Symbol, sp.Rational]) -> object | None:
    """For display: the exact value when rational, else 15 significant digits."""
    from symcheck import numeric
    try:
        try:
            f = numeric.evaluate_exact(d, point)
            return sp.Rational(f.numerator, f.denominator)
        except numeric.Unsupported:
            pass
        x = numeric.evaluate(d, point, 30)
        return sp.Float(str(x), 15)
    except Exception:  # display only: a value that cannot be shown is left out
        return None


def _short(v: object) -> str:
    if isinstance(v, sp.Float):
        return str(sp.N(v, 10))
    s = str(v)
    return s if len(s) <= 40 else s[:37] + "..."


def _finite_of(ctx: Context, x: sp.Symbol) -> tuple[str, tuple[object, ...]] | None:
    """The name and the values the text allows a variable (``y_i \\in \\{-1, +1\\}``: y and its
    entries y_1, …), or None."""
    for k, values in ctx.finite.items():
        shown = names.display(k)
        if x.name == shown or x.name.startswith(shown + "_{"):
            return k, values
    return None


def _bare_tuple(node: object) -> bool:
    """``(2, -2)`` written without a transpose: notes use it for a row as often as a column."""
    while isinstance(node, ir.Neg):
        node = node.arg
    return isinstance(node, ir.Paren) and node.delim == "(" and len(node.items) > 1


def tuple_as_written(rel: ir.Relation, lhs: object, rhs: object) -> tuple[object, object]:
    """A bare tuple beside a row is that row: ``W x rᵀ = (2, -2)`` is not a shape error."""
    if is_matrix(lhs) and is_matrix(rhs) and lhs.shape != rhs.shape \
            and lhs.shape == rhs.shape[::-1]:  # type: ignore[union-attr]
        if _bare_tuple(rel.rhs) and rhs.shape[1] == 1:  # type: ignore[union-attr]
            return lhs, rhs.T  # type: ignore[union-attr]
        if _bare_tuple(rel.lhs) and lhs.shape[1] == 1:  # type: ignore[union-attr]
            return lhs.T, rhs  # type: ignore[union-attr]
    return lhs, rhs


def _sizes_text(inst: Instance) -> str:
    return ", ".join(f"{names.display(k)} = {v}" for k, v in sorted(inst.sizes.items())
                     if "(" not in k) or "the document's sizes"


def _where(inst: Instance) -> str:
    parts = [f"{k} = {v}" for k, v in inst.indices.items()]
    return f" (at {', '.join(parts)})" if parts else ""


def _span_text(r: list[int]) -> str:
    if r and r == list(range(r[0], r[-1] + 1)):
        return f"{r[0]}..{r[-1]}"
    return "{" + ", ".join(map(str, r)) + "}"
