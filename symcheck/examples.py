"""Worked examples: numbers a document computes from values it gives.

"Take n = 2, X = [1; 2], y = [1; 3] and w = 1.  Then L = ¼(0² + (-1)²) = 0.25."
The values (context role ``example``) hold from where they are given to the end of
their section, a later value of the same name replacing an earlier one.  A claim in
that scope with a number on one side (``L = ¼(…)``, ``r = [0; -1]``, ``L = 0.3775``)
is a statement about the example, so it is decided at the example's values — with the
same evaluation as ``symcheck eval`` (evaluate.py) — instead of for all values, where
it would be false.  Claims with symbols on both sides keep their general verdict.
"""
from __future__ import annotations

import dataclasses
import re

import sympy as sp

from symcheck import evaluate as ev
from symcheck import derivative, irutil, names, valuefix
from symcheck.context import Context, Statement, gradient_given, unwrap
from symcheck.decide import Outcome, _check_number, tuple_as_written
from symcheck.fragments import Document
from symcheck.latex import ir
from symcheck.lower import LowerError, Lowerer, as_scalar
from symcheck.source import LineIndex

_HEADINGS = {
    "markdown": re.compile(r"^#{1,6}[ \t]|^(?:=+|-{3,})[ \t]*$", re.M),
    "latex": re.compile(r"\\(?:part|chapter|section|subsection|subsubsection|paragraph)\*?\s*[{\[]"
                        r"|\\(?:begin|end)\{(?:example|examples|exercise|solution)\}"),
    "rst": re.compile(r"^([=\-~^\"'`#*+])\1{2,}[ \t]*$", re.M),
}


def section_starts(doc: Document) -> list[int]:
    """Offsets where a new section (or an example environment) begins or ends."""
    return [at for at, _ in headings(doc)]


_LATEX_LEVELS = {"part": 0, "chapter": 1, "section": 2, "subsection": 3, "subsubsection": 4, "paragraph": 5}


def _level(fmt: str, heading: str) -> int:
    """How deep a heading is: 1 for ``#``/``\\chapter``, more for its subsections; 0 for
    the boundary of an example environment, which ends every scope."""
    if fmt == "latex":
        m = re.match(r"\\([a-z]+)", heading)
        return _LATEX_LEVELS.get(m.group(1), 0) if m else 0
    if fmt == "rst":
        return 1  # rst levels follow the order adornments first appear in: each heading is a boundary
    if heading.startswith("#"):
        return len(heading) - len(heading.lstrip("#"))
    return 1 if heading.startswith("=") else 2  # setext underlines


def headings(doc: Document) -> list[tuple[int, int]]:
    """(offset, level) of every heading and example-environment boundary, in order."""
    pat = _HEADINGS.get(doc.format, _HEADINGS["markdown"])
    return sorted((m.start(), _level(doc.format, m.group(0))) for m in pat.finditer(doc.text))


def _mentions_key(ctx: Context, node: object, key: str) -> bool:
    return any(isinstance(n, ir.Symbol) and not n.sub and ev.quantity_key(ctx, n) == key for n in irutil.walk(node))


def _at_index(sym: ir.Symbol, k: int) -> ir.Symbol:
    """``x_{i1}`` with its one free index letter set to ``k``: ``x_{k1}``."""
    sub = tuple(ir.Number(str(k), it.span) if isinstance(it, ir.Symbol) and len(it.base) == 1
                and it.base.islower() and not it.sub else it for it in sym.sub or ())
    text = "".join(it.text if isinstance(it, ir.Number) else getattr(it, "base", "") for it in sub)
    return dataclasses.replace(sym, sub=sub, sub_text=text)


def _entries(v: object) -> list[object]:
    return list(v) if isinstance(v, sp.MatrixBase) else [v]


def _constant(node: object, ctx: Context | None = None) -> bool:
    """No names at all: a number, or arithmetic on numbers (a known function of numbers
    counts, ``\\operatorname{diag}(3, 1)``, and so do the identity and the ones and zeros
    of the document, ``\\tfrac{1}{4} I``)."""
    from symcheck import functions
    heads = {id(n.func) for n in irutil.walk(node) if isinstance(n, ir.Apply) and not n.func.sub
             and (functions.lookup(n.func.base) is not None or n.func.base in functions.VECTOR_FUNCTIONS)}
    return not any(isinstance(n, ir.Symbol) and id(n) not in heads
                   and (ctx is None or (ctx.constant(n) is None and not _euler(ctx, n))) for n in irutil.walk(node))


def _euler(ctx: Context, s: ir.Symbol) -> bool:
    """e and π where the document gives them no meaning of their own: numbers."""
    return s.base in ("e", "pi") and not s.sub and not s.accent and s.label is None \
        and s.base not in ctx.quantities and s.base not in ctx.families


def _reaches(ctx: Context, node: object, keys: set[str]) -> bool:
    """Whether ``node`` mentions one of ``keys``, directly or through definitions.

    A function's parameters are bound in its body: f(x) = (3x + 1)^2 makes f'(1) depend
    on nothing, even where the example gives x = 1."""
    seen: set[str] = set()
    todo: list[tuple[object, frozenset[str]]] = [(node, frozenset())]
    while todo:
        item, bound = todo.pop()
        for n in irutil.walk(item):
            if not isinstance(n, ir.Symbol):
                continue
            for k in {names.key(n), names.key_with_sub(n) or names.key(n)}:
                if k in bound:
                    continue
                if k in keys:
                    return True
                link = ctx.family_vectors.get(k, (None, None))[1] or ctx.columns_of.get(k)
                if link is not None and link in keys:
                    return True  # x_i, the rows of the X the example gives
                if k in seen:
                    continue
                seen.add(k)
                q, f = ctx.quantities.get(k), ctx.families.get(k)
                if q is not None and q.definition is not None:
                    todo.append((q.definition, frozenset()))
                if f is not None and f.body is not None:
                    todo.append((f.body, frozenset()))
                if k in ctx.functions:
                    fn = ctx.functions[k]
                    todo.append((fn.body, frozenset(fn.params)))
    return False


class WorkedExamples:
    """Decides the numeric claims of a document's worked examples."""

    def __init__(self, ctx: Context, doc: Document) -> None:
        self.ctx = ctx
        self.text = doc.text
        self.headings = headings(doc)
        self.examples = [st for st in ctx.statements if st.role == "example"]

    def in_scope(self, given: int, here: int) -> bool:
        """A value given at ``given`` holds at ``here`` until a heading of its own section's
        level or higher: its subsections work with it, the next section does not.  A value
        given before any heading ends at the first one."""
        level = 99  # before any heading: the first heading ends it
        for at, lev in self.headings:
            if at <= given:
                level = lev if lev > 0 else level
            elif at <= here and (lev == 0 or lev <= level):
                return False
        return given <= here

    def active(self, st: Statement) -> list[Statement]:
        """The example values in force where ``st`` stands, later ones replacing earlier.

        A claim that states a number ("ŷ - y = -3.5") in a section that gives no values
        of its own ("## Backward" after "## Forward") is about the last example given:
        it takes the values in force where the last of them was given."""
        chosen = self._in_force(st.index, st.relation.span.start)
        rel = st.relation
        if chosen or st.role != "claim" or _constant(rel.lhs) == _constant(rel.rhs):
            return chosen  # "From x_0 = 1": a value given anew is not judged by an earlier example
        last = [e for e in self.examples if e.index < st.index and e.defines]
        return self._in_force(st.index, last[-1].relation.span.start) if last else []

    def _in_force(self, before: int, here: int) -> list[Statement]:
        chosen: dict[str, Statement] = {}
        for e in self.examples:
            if e.index < before and self.in_scope(e.relation.span.start, here) and e.defines:
                chosen.pop(e.defines, None)
                chosen[e.defines] = e
        return list(chosen.values())

    def decide(self, st: Statement) -> Outcome | None:
        """A verdict at the example's values, or None when the claim is not about them."""
        if not self.examples or st.role not in ("claim", "example"):
            return None
        given = self.active(st)
        if st.role == "example" and st.defines and self.given(st):
            # "Take z = 2" after "Take z = 0": a new example starts, its value replaces the old
            given = [e for e in given if e.defines != st.defines]
        if not given:
            return None
        self.conflicts: dict[str, str] = {}  # given names whose value has another shape than the model's
        self.conflict_at: dict[str, int] = {}
        try:
            out = self._decide(st, given)
        except (LowerError, ev.BindError, ev.Missing, ArithmeticError, ValueError, TypeError,
                AttributeError, IndexError, KeyError, NotImplementedError, RecursionError):
            out = None  # the example does not determine this relation: decide it as usual
        if out is None and st.role == "claim":
            clash = sorted(k for k in self.conflicts if _mentions_key(self.ctx, st.relation, k))
            if clash:
                # "x = (1, 2)^T" where the document's x is a scalar: here x is the example's,
                # which the document's model does not describe, so no general verdict applies
                return Outcome("SC202", f"undecided: {self.conflicts[clash[0]]} (given at line "
                               f"{LineIndex(self.text).position(self.conflict_at[clash[0]])[0]}); the worked "
                               "example uses the name for something else than the document's model does",
                               ("worked example",))
        return out

    def _decide(self, st: Statement, given: list[Statement]) -> Outcome | None:
        triples, origin = [], []
        gradients = []  # ∂L/∂a given as numbers: the free gradient of the undefined L, bound below
        for e in given:
            sym = unwrap(e.relation.lhs)
            g = gradient_given(self.ctx, e.relation)
            if g is not None and e.index < st.index:
                gradients.append((g, as_scalar(Lowerer(self.ctx, dict(self.ctx.doc_sizes)).lower(e.relation.rhs)), e))
                continue
            if not isinstance(sym, ir.Symbol):
                continue
            listed = e.relation.rhs
            if isinstance(listed, ir.Matrix) and listed.env == "values":
                # y_i = 2, 4, 7: y_1 = 2, y_2 = 4, y_3 = 7
                low0 = Lowerer(self.ctx, dict(self.ctx.doc_sizes))
                for k, row in enumerate(listed.rows, start=1):
                    triples.append((_at_index(sym, k), as_scalar(low0.lower(row[0])), False))
                    origin.append(e)
                continue
            triples.append((sym, as_scalar(Lowerer(self.ctx, dict(self.ctx.doc_sizes)).lower(e.relation.rhs)),
                            False))
            origin.append(e)
        # sizes come from the values of inputs; a computed quantity's value is a claim,
        # unless the example starts from it ("Let z = (2, -1)^T")
        starts = {id(e) for e in origin if self.given(e)}
        sizes = ev.sizes_from(self.ctx, [t for t, e in zip(triples, origin)
                                         if not self.computed(t[0]) or id(e) in starts])
        bounds = self.sum_bounds()
        for sym, v, _ in triples:
            k = names.key(sym)
            if not sym.sub and k in bounds and k not in sizes and isinstance(v, sp.Integer) and int(v) > 0:
                sizes[k] = int(v)  # "n = 3" where the document sums to n: a size, though no shape uses it
        for k in ev.missing_sizes(self.ctx, sizes):
            # a size the example leaves open: anything that depends on it has no value
            # at the example's point (Missing), so no verdict can come from it
            sizes[k] = 3
        inputs, used = [], []
        frozen: dict[str, object] = {}
        for t, e in zip(triples, origin):
            try:
                ev.bind(self.ctx, sizes, [t])
                inputs.append(t)
                used.append(e)
            except ev.BindError as err:
                if "in the document;" in err.message:
                    self.conflicts[ev.quantity_key(self.ctx, t[0])] = err.message
                    self.conflict_at[ev.quantity_key(self.ctx, t[0])] = e.relation.span.start
                if id(e) in starts and e.index < st.index:
                    frozen[ev.quantity_key(self.ctx, t[0])] = t[1]
                    used.append(e)
                continue  # a computed quantity (r = [0; -1]): a claim of the example, not a value
        point = ev.bind(self.ctx, sizes, inputs)
        low = ev.lowerer(self.ctx, sizes, st)
        for (cost, var), val, e in gradients:
            leaves = low.given_gradient(cost, var, val)
            flat_leaves, flat_vals = _entries(leaves), _entries(val)
            if len(flat_leaves) == len(flat_vals) and all(isinstance(x, sp.Symbol) for x in flat_leaves):
                point.update(zip(flat_leaves, flat_vals))  # type: ignore[arg-type]
                used.append(e)
        if frozen:
            # a computed quantity the example starts from ("Let z = (0, 0, 0)^T" with z = W h + b):
            # a variable of its own at the given value, so derivatives with respect to it still exist
            low.frozen = {}
            for k, v in sorted(frozen.items()):
                ph = derivative._placeholder(k, v)
                low.frozen[k] = ph
                for leaf_, val in zip(_entries(ph), _entries(v)):
                    point[leaf_] = val
        rel = st.relation
        lhs, rhs = tuple_as_written(rel, low.lower(rel.lhs), low.lower(rel.rhs))
        self.extreme_eigenvalues(low, point, [lhs, rhs])
        numeric = [not getattr(v, "free_symbols", set()) for v in (lhs, rhs)]
        if not any(numeric) or all(numeric):
            return None  # symbols on both sides (a general claim), or plain arithmetic
        a, b = ev.value(lhs, point), ev.value(rhs, point)
        where = self.where(used)
        stated = ev.stated_decimal(rel.rhs) if numeric[1] else ev.stated_decimal(rel.lhs)
        if stated is not None and a.scalar and b.scalar:
            other = a if numeric[1] else b
            x = other.rows[0][0]
            val = sp.Rational(x.exact.numerator, x.exact.denominator) if x.exact is not None else \
                sp.Float(ev._nstr(x.approx, ev.DIGITS), ev.DIGITS)
            out = _check_number(val, stated)
            if out is not None and out.code != "SC001" and self.within_rounding(used, [val], [stated]):
                return self.rounding_outcome(where)
            if out is not None:
                return Outcome(out.code, f"{out.message} at the worked example's values ({where})",
                               out.evidence + ("evaluated at the worked example's values",),
                               self.pairs(point), fix_rhs=out.fix_rhs if numeric[1] else "")
        ok, why = ev.same(a, b)
        exact = all(x.exact is not None for x in a.entries() + b.entries())
        how = ("exact evaluation at the worked example's values" if exact else
               "50-digit evaluation at the worked example's values")
        if ok:
            shown = a.exact_text() or a.decimal_text()
            return Outcome("SC001" if exact else "SC002",
                           f"{'proved' if exact else 'verified'} at the worked example's values ({where}): "
                           f"both sides are {shown}", (how,))
        if a.shape != b.shape:
            return Outcome("SC101", f"refuted at the worked example's values ({where}): {why}", ("shape check",))
        if self.within_rounding(used, [x.approx for x in a.entries()], [y.approx for y in b.entries()], st):
            return self.rounding_outcome(where)
        fix = valuefix.corrected(rel.rhs, [_exact_or_digits(x) for x in a.entries()]) if numeric[1] else None
        return Outcome("SC100", f"refuted at the worked example's values ({where}): {why}", (how,),
                       self.pairs(point), fix_rhs=fix or "")

    def extreme_eigenvalues(self, low: Lowerer, point: dict, sides: list[object]) -> None:  # type: ignore[type-arg]
        """λ_max and λ_min, never defined, are the extreme eigenvalues of the matrix the example
        gives ("The eigenvalues of A are 2 and 4, so λ_max/λ_min = 2"): bound when exactly one
        square matrix has all its entries given and its eigenvalues are real."""
        free = {x for v in sides for e in _entries(v) for x in getattr(e, "free_symbols", set())}
        wanted = {x for x in free if x.name in ("\\lambda_{\\max}", "\\lambda_{\\min}", "\\lambda_{max}",
                                                 "\\lambda_{min}") and x not in point}
        if not wanted:
            return
        found = []
        for k, (r, c) in sorted(self.ctx.shapes.items()):
            if r != c or k in self.ctx.claim_shaped:
                continue
            try:
                m = low.qval(k)
            except LowerError:
                continue
            if isinstance(m, sp.MatrixBase) and m.shape[0] > 1 and all(
                    getattr(x, "free_symbols", set()) <= set(point) for x in m):
                found.append(m.xreplace(point))
        if len(found) != 1:
            return
        eig = list(found[0].eigenvals(multiple=True))
        if not eig or not all(e.is_real for e in eig):
            return
        for x in wanted:
            point[x] = max(eig) if "max" in x.name else min(eig)

    def sizes_in_force(self, st: Statement) -> dict[str, int]:
        """Sizes the worked example in force gives ("Let $n = 1$"): a claim in it with no
        number of its own is still a claim about that size."""
        out: dict[str, int] = {}
        if st.role != "claim":
            return out
        for e in self.active(st):
            k = e.defines
            v = unwrap(e.relation.rhs)
            if k and k in self.ctx.size_symbols and isinstance(v, ir.Number) and v.text.isdigit() \
                    and int(v.text) > 0 and e.index < st.index:
                out[k] = int(v.text)
        return out

    def sum_bounds(self) -> set[str]:
        """Names the document's sums run to (Σ_{i=1}^{n})."""
        out = set()
        for st in self.ctx.statements:
            for n in irutil.walk(st.relation):
                if isinstance(n, ir.Sum) and isinstance(n.upper, ir.Symbol) and not n.upper.sub:
                    out.add(names.key(n.upper))
        return out

    def review(self, st: Statement, out: Outcome) -> Outcome:
        """A refutation "for all values" of a claim that states a number for what the worked
        example computes (∂L/∂w_1 = -2 with the data given in prose) says nothing about the
        example: the claim is about the example's values, which could not be used here."""
        if out.code not in ("SC100", "SC101") or st.role != "claim":
            return out
        given = self.active(st)
        if not given:
            return out
        rel = st.relation
        if _constant(rel.lhs, self.ctx) == _constant(rel.rhs, self.ctx):
            return out  # symbols on both sides (a general claim), or plain arithmetic
        keys = {e.defines for e in given if e.defines}
        # μ_1 = 2 given: a claim about J = Σ_k … μ_k … reaches it through the family μ
        keys |= {names.key(s) for e in given for s in [unwrap(e.relation.lhs)]
                 if isinstance(s, ir.Symbol) and s.sub and e.defines}
        if not _reaches(self.ctx, rel.rhs if _constant(rel.lhs, self.ctx) else rel.lhs, keys):
            return out
        return Outcome("SC202", "undecided: the claim gives a number for what the worked example computes, "
                                f"but the example's values ({self.where(given)}) do not determine it here",
                       ("worked example",))

    def within_rounding(self, used: list[Statement], xs: list[object], ys: list[object],
                        claim: Statement | None = None) -> bool:
        """The example's values are themselves rounded ("p_1 = 0.0900"): a result computed
        from them may miss by about that rounding, which says nothing about the claim.  So
        may a claim that carries reported values forward ("a_2 = 0.5 · 0.7616 + 0.5")."""
        # a short value the example posits ("With λ = 0.1") is exact; values it reports, and
        # long ones it posits ("Take a = 0.3333", a third), are rounded
        places = [n for e in used
                  for t in re.findall(r"\d+\.\d+", self.text[e.relation.span.start:e.relation.span.end])
                  for n in [len(t.split(".", 1)[1])] if n >= 3 or not self.given(e)]
        if claim is not None:
            places += [n for t in re.findall(r"\d+\.\d+", self.text[claim.relation.span.start:
                                                                     claim.relation.span.end])
                       for n in [len(t.split(".", 1)[1])] if n >= 3]
        if not places:
            return False
        tol = 10.0 ** (-min(places)) * max(1, len(used))
        try:
            for x, y in zip(xs, ys):
                x, y = float(x), float(y)  # type: ignore[arg-type]
                if abs(x - y) > tol * (1 + abs(x) + abs(y)):
                    return False
        except (TypeError, ValueError):
            return False
        return True

    @staticmethod
    def rounding_outcome(where: str) -> Outcome:
        return Outcome("SC202", f"undecided: at the worked example's values ({where}) the sides differ by no more "
                                "than the rounding of those values; the claim may be right for the unrounded ones",
                       ("evaluated at the worked example's values",))

    def given(self, e: Statement) -> bool:
        """A value the sentence posits ("Let z = …", "With z = …", "Take …") rather than
        one it reports ("we get z = …", "then z = …")."""
        before = self.text[max(0, e.relation.span.start - 48):e.relation.span.start].lower()
        clause = re.split(r"[.:;]\s|\bthen\b|\bget\b|\bgives\b|\bhence\b|\bso\b", before)[-1]
        return bool(re.search(r"\b(let|with|take|given|suppose|assume|set|for)\b", clause))

    def computed(self, sym: ir.Symbol) -> bool:
        q = self.ctx.quantities.get(ev.quantity_key(self.ctx, sym))
        return q is not None and q.definition is not None

    def where(self, given: list[Statement]) -> str:
        idx = LineIndex(self.text)
        lines = sorted({idx.position(e.relation.span.start)[0] for e in given})
        at = f"line {lines[0]}" if len(lines) == 1 else f"lines {lines[0]}–{lines[-1]}"
        return f"given at {at}"

    @staticmethod
    def pairs(point: dict[sp.Symbol, sp.Rational]) -> tuple[tuple[str, str], ...]:
        shown = {s: s.name.replace("⟨", "").replace("⟩", "") for s in point}  # z_1 for the given z's entry
        return tuple((shown[s], str(v)) for s, v in sorted(point.items(), key=lambda kv: shown[kv[0]]))[:12]


def _exact_or_digits(x: "ev.Num") -> object:
    """An evaluated entry as a SymPy number: exact when it is, else to the engine's digits."""
    if x.exact is not None:
        return sp.Rational(x.exact.numerator, x.exact.denominator)
    return sp.Float(ev._nstr(x.approx, ev.DIGITS), ev.DIGITS)
