"""read → fragments → rows → chains → context → verdicts → diagnostics, top to bottom."""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Callable, Iterator

from symcheck import context, costs, irutil, namecheck, names, shapes, solutions
from symcheck.decide import Decider, Outcome, test_sizes
from symcheck.examples import WorkedExamples, section_starts
from symcheck.diagnostics import Diagnostic, Fix
from symcheck.fragments import Document
from symcheck.latex import ir
from symcheck.results import FileResult
from symcheck.source import MappedText, Span
from symcheck.segment import ANNOTATED_RELATION

MAX_BYTES = 2_000_000
REPAIR_BUDGET = 24  # refuted relations per document that get a fix search (a count: output never depends on speed)


@dataclass(frozen=True)
class CheckOptions:
    timeout: float = 5.0  # seconds per relation
    strict: bool = False
    fixes: bool = True
    # regions (start, end) a previous round of correction wrote: fixes do not edit them again
    frozen: tuple[tuple[int, int], ...] = ()


_ANNOTATED = re.compile(ANNOTATED_RELATION)
_LEADING_OP = re.compile(r"^\s*(=|\\approx|\\leq?|\\geq?|\\neq?|<|>|:=|\\equiv|" + ANNOTATED_RELATION + r")\s*")
_OPS = {"=": "=", "\\approx": "approx", "\\le": "le", "\\leq": "le", "\\ge": "ge", "\\geq": "ge",
        "\\ne": "ne", "\\neq": "ne", "<": "<", ">": ">", ":=": ":=", "\\equiv": "equiv"}


def read_chains(doc: Document, diags: list[Diagnostic], path: str) -> context.Builder:
    """Parse every row; a row that cannot be read is reported and skipped."""
    from symcheck.latex import differentials, parser

    from symcheck import binding, examples, readings

    builder = context.Builder()
    builder.section_starts = examples.section_starts(doc)
    builder.softmax_doc = "softmax" in doc.text.lower()
    prev_last: object | None = None
    parsed: list[tuple[int, object, object, int]] = []
    group = 0
    for fi, frag in enumerate(doc.fragments):
        seen_rows: dict[str, int] = {}
        prev_lhs: str | None = None
        for row in frag.rows:
            text = row.text
            squashed = "".join(text.text.split())
            lhs = squashed.split("=", 1)[0] if "=" in squashed and not row.continues else None
            if squashed in seen_rows and len(squashed) > 8:
                # a row written twice in one block: usually a copy the source duplicated
                diags.append(Diagnostic("SC303", "this row repeats a row above it in the same block word for "
                                        "word (duplicated in the source?); checked again", text.span(), path))
            elif lhs is not None and lhs == prev_lhs and len(lhs) > 4:
                diags.append(Diagnostic("SC303", "this row has the same left side as the row above it but a "
                                        "different right side (a garbled or mislabelled row?)", text.span(), path))
            seen_rows.setdefault(squashed, 1)
            prev_lhs = lhs if lhs is not None else prev_lhs if row.continues else None
            op = None
            if row.continues:
                m = _LEADING_OP.match(text.text)
                if m:
                    # &\overset{(a)}{=}: the relation under the note
                    op = _OPS.get(m.group(1)) or _OPS.get(m.group(3), "=")
                    text = text.slice(m.end())
            res = parser.parse_row(text)
            if isinstance(res, ir.ParseFailure) and not frag.display and not _has_relation(text.text):
                res = _mention_list(text, parser)
            if isinstance(res, ir.ParseFailure):
                ranged = _index_range(text)
                if ranged is not None:
                    name, lo, hi, listed_values = ranged
                    diags.append(Diagnostic(
                        "SC000", f"definition: states the range of the index {name} ({lo} to {hi})",
                        text.span(), path, lhs=name, rhs=listed_values))
                    prev_last = None
                    continue
                listed = _value_list(text, parser)
                if listed is not None:
                    res = listed
            if isinstance(res, ir.ParseFailure):
                many = _declaration_list(text, parser)
                if many:
                    for chain in many:
                        group += 1
                        parsed.append((fi, row, chain, group))
                    continue
            if isinstance(res, ir.ParseFailure) and not frag.display and not _has_relation(text.text):
                # inline math that states no relation ("the product $\odot$"): nothing to decide
                diags.append(Diagnostic("SC304", f"inline math not read ({res.message}); it states no relation",
                                        res.span, path))
                prev_last = None
                continue
            if isinstance(res, ir.ParseFailure):
                diags.append(Diagnostic("SC200", f"undecided: could not read this row: {res.message}",
                                        res.span, path, evidence=_hint(res)))
                prev_last = None
                continue
            chain = res
            if op is not None:
                if prev_last is None or not chain.items:
                    diags.append(Diagnostic("SC200", "undecided: this row continues a relation that could not be read",
                                            text.span(), path))
                    continue
                chain = ir.Chain((prev_last,) + chain.items, (op,) + chain.ops, chain.span)
            if chain.items:
                prev_last = chain.items[-1]
            if op is None:
                group += 1
            parsed.append((fi, row, chain, group))
    chains = [c for _, _, c, _ in parsed]
    # an italic d before an operand is a differential only where nothing else can be meant
    italic_d = differentials.italic_allowed(chains, doc.text)  # type: ignore[arg-type]
    parsed = [(fi, row, differentials.read(c, italic_d), grp) for fi, row, c, grp in parsed]  # type: ignore[arg-type]
    chains = [c for _, _, c, _ in parsed]
    known = binding.known_names(chains)  # type: ignore[arg-type]
    cost = readings.document_cost(chains)  # type: ignore[arg-type]
    matrices = readings.matrix_names(chains)  # type: ignore[arg-type]
    damaged = any(n.code == "SC300" for n in doc.notes)
    singles, defined = readings.single_capitals(chains)  # type: ignore[arg-type]
    gates = readings.gate_letters(chains)  # type: ignore[arg-type]
    pending: list[tuple[object, object]] = []
    pending_for = [-1]
    for fi, row, chain, grp in parsed:
        builder.ctx.mention_keys.setdefault(fi, set()).update(  # type: ignore[attr-defined]
            names.key(n) for n in irutil.walk(chain) if isinstance(n, ir.Symbol))
        chain = readings.relabel_subscripts(chain, gates)  # type: ignore[arg-type]
        chain, notes = binding.rebind(chain, known)  # type: ignore[arg-type]
        for msg, span in notes:
            diags.append(Diagnostic("SC305", msg, span, path))
        chain, notes = readings.reread(chain, cost, matrices, damaged, singles, defined)
        for msg, span in notes:
            diags.append(Diagnostic("SC304", msg, span, path))
        prose = "" if _CONCLUSION.match(doc.fragments[fi].text.text) else _nearest_prose(doc, fi)  # type: ignore[arg-type]
        sts = builder.add_chain(chain, row.tag, fi, grp, prose, _prose_after(doc, fi))  # type: ignore[attr-defined]
        sym = _assumed_nearby(doc, fi, parser, _SYMMETRIC)  # type: ignore[arg-type]
        scal = _assumed_nearby(doc, fi, parser, ("scalar",))  # type: ignore[arg-type]
        for st in sts:
            st.symmetric = sym
            st.scalars = scal
        if any(m.group(1).strip() == "!" and m.group(2) == "=" for m in _ANNOTATED.finditer(row.text.text)):
            # f'(x) \stackrel{!}{=} 0: an equation to solve
            for st in sts:
                if st.relation.op == "=" and st.role == "claim":
                    st.role = "condition"
        if _if_then(doc, fi):  # "If …, $X^T X = I$, then $…$": a condition for the next relation
            for st in sts:
                if st.relation.op == "=":
                    st.role = "condition"
                    pending.append((st.relation.lhs, st.relation.rhs))
        elif pending and fi == pending_for[0]:
            for st in sts:
                st.rewrites = tuple(pending)
            pending.clear()
        pending_for[0] = fi + 1
    return builder


def _if_then(doc: Document, fi: int) -> bool:
    """Inline math between "if …" and "then": a condition, not a claim."""
    frags = doc.fragments
    if frags[fi].display or fi + 1 >= len(frags):
        return False
    before = re.split(r"[.;:]\s", frags[fi].prose_before.text.lower())[-1]
    after = frags[fi + 1].prose_before.text.lower().strip(" ,\n")
    return bool(re.search(r"\b(if|suppose|assuming)\b", before)) and after.startswith("then")


_REL = re.compile(r"=|\\approx|\\le|\\ge|\\ne|<|>|\\in\b|\\equiv")


def _has_relation(text: str) -> bool:
    return bool(_REL.search(text))


def _mention_list(text: MappedText, parser: object) -> object:
    """Inline math such as ``x_{i1}, x_{i2}``: a list of mentions, no relation."""
    items: list[object] = []
    depth, start = 0, 0
    s = text.text
    for k, ch in enumerate(s + ","):
        if ch in "{([":
            depth += 1
        elif ch in "})]":
            depth -= 1
        elif ch == "," and depth == 0:
            piece = text.slice(start, k)
            start = k + 1
            if not piece.text.strip() or piece.text.strip() in ("...", "\\dots", "\\ldots"):
                continue
            res = parser.parse_expr(piece)  # type: ignore[attr-defined]
            if isinstance(res, ir.ParseFailure):
                return res
            items.append(res)
    if not items:
        return ir.ParseFailure("nothing to read", text.span())
    return ir.Chain((items[0],), (), text.span())


# "\\therefore g(w^*) = 0": the display states a consequence, so the words that
# introduced the displays before it ("the minimiser satisfies") do not describe it
_CONCLUSION = re.compile(r"\s*\\(?:therefore|implies|Longrightarrow|Rightarrow)(?![A-Za-z])")


def _nearest_prose(doc: Document, fi: int) -> str:
    """The words before a run of displays: "… reduce to the conditions $$…$$ $$…$$"."""
    for k in range(fi, max(fi - 4, -1), -1):
        words = doc.fragments[k].prose_before.text.strip()
        if len(words) > 3:
            return words[-300:]
    return ""


_NUMBER_ONLY = re.compile(r"^\s*(\(\d+[a-z]?\)\s*)+")


def _prose_after(doc: Document, fi: int) -> str:
    """The words after a run of displays ("$$…$$ (11) $$…$$ (12) These are the normal
    equations"): equation numbers written as text between the displays are skipped."""
    for k in range(fi + 1, min(fi + 5, len(doc.fragments) + 1)):
        text = doc.fragments[k].prose_before.text if k < len(doc.fragments) else \
            (doc.prose_after.text if doc.prose_after is not None else "")
        words = _NUMBER_ONLY.sub("", text).strip()
        if len(words) > 3:
            return words[:300]
    return ""


_SYMMETRIC = ("symmetric", "positive definite", "positive semidefinite", "positive semi-definite")


def _assumed_nearby(doc: Document, fi: int, parser: object, words: tuple[str, ...]) -> tuple[str, ...]:
    """"For symmetric $A$ this becomes …", "$Q$ is positive definite", "identities for
    scalar $z$": an assumption the text makes for what follows (the next few pieces of
    math)."""
    out: list[str] = []
    for k in range(fi):
        if k < fi - 3 and not _stated_for_all(doc, k, words):
            continue  # a local assumption ("for symmetric A this becomes") reaches a few rows
        frag = doc.fragments[k]
        if frag.display:
            continue
        if any(_CANCEL in doc.fragments[j].prose_before.text.lower() for j in range(k + 1, fi + 1)):
            continue  # "and for a general A …": the assumption no longer holds here
        if _assumes(doc, k, words):
            sym = parser.parse_expr(frag.text)  # type: ignore[attr-defined]
            if isinstance(sym, (ir.Chain, ir.Relation)) and _stated_for_all(doc, k, words):
                rel = sym.relations[0] if isinstance(sym, ir.Chain) and sym.relations else sym
                sym = getattr(rel, "lhs", None)
            if isinstance(sym, ir.Symbol):
                out.append(names.key_with_sub(sym) or names.key(sym))
    return tuple(sorted(set(out)))


_CANCEL = "general"


def _assumes(doc: Document, k: int, words: tuple[str, ...]) -> bool:
    before = doc.fragments[k].prose_before.text.lower()[-40:]
    after = doc.fragments[k + 1].prose_before.text.lower()[:40] if k + 1 < len(doc.fragments) else ""
    return any(w in before for w in words) or any(after.strip().startswith(p + " " + w) or after.strip().startswith(w)
                                                  for w in words for p in ("is", "be"))


def _stated_for_all(doc: Document, k: int, words: tuple[str, ...]) -> bool:
    r""""Let $A \in \mathbb{R}^{n\times n}$ be symmetric": said where A is introduced,
    the assumption holds for the whole document."""
    frag = doc.fragments[k]
    if frag.display or "\\in" not in frag.text.text and "\\in " not in frag.text.text:
        return False
    after = doc.fragments[k + 1].prose_before.text.lower().strip()[:40] if k + 1 < len(doc.fragments) else ""
    if any(after.startswith(p + " " + w) for w in words for p in ("is", "be")):
        return True
    # "$Q \in \mathbb{R}^{2\times 2}$ symmetric positive definite", "… is a symmetric matrix"
    if any(after.startswith(w) for w in words) or (
            after.startswith(("is a ", "is an ", "be a ", "be an ")) and any(w in after[:30] for w in words)):
        return True
    # "symmetric positive definite covariance $\Sigma \in \mathbb{R}^{d\times d}$": the
    # adjective in the words just before the declaration (a noun or two between them)
    before = frag.prose_before.text.lower().strip()
    for w in words:
        at = before.rfind(w)
        if at >= 0 and (at == 0 or not before[at - 1].isalpha()):
            tail = before[at + len(w):]
            if len(tail.split()) <= 3 and not re.search(r"[.,;:()]", tail):
                return True
    return False


def _declaration_list(text: MappedText, parser: object) -> list[ir.Chain]:
    """``x, a, b \\in \\mathbb{R}^n``: one declaration per name."""
    m = re.search(r"\\in\b", text.text)
    if m is None or "," not in text.text[:m.start()]:
        return []
    rhs = parser.parse_expr(text.slice(m.end()))  # type: ignore[attr-defined]
    if not isinstance(rhs, ir.SetExpr):
        return []
    out = []
    start = 0
    head = text.text[:m.start()]
    for k, ch in enumerate(head + ","):
        if ch == ",":
            piece = text.slice(start, k)
            start = k + 1
            if piece.text.strip() in ("\\dots", "\\ldots", "\\cdots", "..."):
                continue  # x_1, \dots, x_N ∈ R^d
            sym = parser.parse_expr(piece)  # type: ignore[attr-defined]
            if not isinstance(sym, ir.Symbol):
                return []
            out.append(ir.Chain((sym, rhs), ("in",), piece.span().union(rhs.span)))
    return out


_DOTS = ("\\dots", "\\ldots", "\\cdots", "...", "\\dotsc")
_INDEX_ITEM = re.compile(r"^(?:-?\d+|[A-Za-z](?:_\{?\w+\}?)?|[A-Za-z]\s*[-+]\s*\d+)$")


def _index_range(text: MappedText) -> tuple[str, str, str, str] | None:
    """``i = 1, \\dots, n``, ``j = 1, 2, \\ldots, K``, ``t = 0, 1, 2``: the range an index runs
    over (a statement about the index, not a relation to decide).  Returns the index, the
    first and the last value and the list as written, or None when the row is not of this form."""
    s = text.text.strip().rstrip(".,;")
    m = re.match(r"^(?:\s|\\[,;:! ]|\\q?quad\b|\\forall\b|\\(?:text|mathrm)\{[^{}]*\})*([a-z])\s*=\s*(.+)$", s)
    if m is None or "," not in m.group(2):
        return None
    items = [" ".join(it.split()) for it in m.group(2).split(",")]
    dots = [it in _DOTS for it in items]
    values = [it for it, d in zip(items, dots) if not d]
    if len(values) < 2 or not all(_INDEX_ITEM.match(v) for v in values) or dots[0] or dots[-1] \
            or any(a and b for a, b in zip(dots, dots[1:])):
        return None
    if not any(dots):
        # no dots: only a run of consecutive integers (``j = 1, 2, 3``) names a range
        if not all(re.fullmatch(r"-?\d+", v) for v in values) or \
                [int(v) for v in values] != list(range(int(values[0]), int(values[0]) + len(values))):
            return None
    return m.group(1), values[0], values[-1], ", ".join(items)


def _value_list(text: MappedText, parser: object) -> ir.Chain | None:
    """``y_i = 2, 4, 7``: the values of an indexed name, listed in order of its free index
    (read as one relation whose right side is the column of values, env ``values``)."""
    s = text.text
    eq = s.find("=")
    if eq < 0 or "," not in s[eq:]:
        return None
    lhs = parser.parse_expr(text.slice(0, eq))  # type: ignore[attr-defined]
    if not (isinstance(lhs, ir.Symbol) and lhs.sub and lhs.label is None
            and sum(1 for it in lhs.sub if isinstance(it, ir.Symbol) and len(it.base) == 1
                    and it.base.islower() and not it.sub) == 1):
        return None
    cells: list[tuple[object, ...]] = []
    start = eq + 1
    for k in range(eq + 1, len(s) + 1):
        if k == len(s) or s[k] == ",":
            item = parser.parse_expr(text.slice(start, k))  # type: ignore[attr-defined]
            start = k + 1
            num = item.arg if isinstance(item, ir.Neg) else item
            if not isinstance(num, ir.Number):
                return None
            cells.append((item,))
    if len(cells) < 2:
        return None
    rhs = ir.Matrix(tuple(cells), "values", cells[0][0].span.union(cells[-1][0].span))  # type: ignore[attr-defined]
    return ir.Chain((lhs, rhs), ("=",), lhs.span.union(rhs.span))


def _hint(f: ir.ParseFailure) -> tuple[str, ...]:
    return (f"hint: {f.hint}",) if f.hint else ()


_SIMPLEX = ("one-hot", "one hot", "probability vector", "sums to one", "sum to one")
_ORTHOGONAL = ("orthogonal", "orthonormal", "unitary", "rotation")


def _described(doc: Document, said: Callable[[str, str], bool]) -> Iterator[str]:
    """Names written alone in inline math (or as the left side of a declaration) that the
    words just before or just after describe: ``said(before, after)``, both lower-case."""
    from symcheck.latex import parser

    frags = doc.fragments
    for k, frag in enumerate(frags):
        if frag.display:
            continue
        before = frag.prose_before.text.lower()[-32:]
        after = (frags[k + 1].prose_before.text if k + 1 < len(frags) else
                 (doc.prose_after.text if doc.prose_after else "")).lower().strip()[:40]
        if not said(before, after):
            continue
        node = parser.parse_expr(frag.text)
        if isinstance(node, ir.Chain) and node.items:
            node = node.items[0]
        elif isinstance(node, ir.Relation):
            node = node.lhs
        if isinstance(node, ir.Symbol) and not node.sub:
            yield names.key(node)


def simplex_vectors(doc: Document, ctx: context.Context) -> None:
    """"a one-hot target $y$", "$y$ is one-hot", "with $y$ one-hot", "$q$ is a probability
    vector": its entries sum to one, and the engine samples it that way (soft labels
    included, so what holds for them holds for every one-hot vector)."""
    def said(before: str, after: str) -> bool:
        return any(w in before for w in _SIMPLEX) or after.startswith(_SIMPLEX) or (
            after.startswith(("is ", "are ", "be ")) and any(w in after[:28] for w in _SIMPLEX))
    ctx.simplex.update(_described(doc, said))


def orthogonal_matrices(doc: Document, ctx: context.Context) -> None:
    """"$U \\in \\mathbb{R}^{n\\times d}$ has orthonormal columns", "$V$ is orthogonal",
    "the orthogonal matrix $Q$": recorded, so that no counterexample built from a general
    U is ever reported (symcheck does not sample orthogonal matrices)."""
    def said(before: str, after: str) -> bool:
        if re.search(r"(orthogonal|orthonormal|perpendicular)\s+to\s*$", before):
            return False  # "the result is orthogonal to $x$": two vectors at a right angle
        return any(w in before[-24:] for w in _ORTHOGONAL) or (
            after.startswith(("is ", "are ", "has ", "have ", "be ")) and any(w in after[:32] for w in _ORTHOGONAL)
            and not re.search(r"orthogonal\s+to\b", after[:40]))
    ctx.orthogonal.update(_described(doc, said))


def _orthogonal_review(ctx: context.Context, st: object, out: Outcome) -> Outcome:
    """A counterexample that uses a general matrix where the text says it is orthogonal
    refutes nothing: undecided, with the reason."""
    from symcheck.examples import _reaches

    if out.code not in ("SC100", "SC101") or not ctx.orthogonal:
        return out
    rel = st.relation  # type: ignore[attr-defined]
    # a matrix is drawn orthogonal (decide.py); what is left is a vector "orthogonal to" another
    modelled = {k for k in ctx.orthogonal if k in ctx.shapes and all(d != 1 for d in ctx.shapes[k])}
    hit = sorted(k for k in ctx.orthogonal - modelled if _reaches(ctx, rel, {k}))
    if not hit:
        return out
    which = ", ".join(names.display(k) for k in hit)
    return Outcome("SC202", f"undecided: the text says {which} is orthogonal (or has orthonormal columns); "
                            "symcheck does not model that, and the counterexample found uses a general matrix",
                   ("orthogonality not modelled",))


def _free_number_review(ctx: context.Context, st: object, out: Outcome) -> Outcome:
    """``v_1 = 0.9 · 0 + 2`` where v_1 depends on a v_0 the text sets only in words
    ("starting from zero"): a number for an expression of values the document does not
    give.  It is no identity, so a counterexample at random values says nothing."""
    from symcheck.examples import _constant

    if out.code != "SC100" or not out.counterexample:
        return out
    rel = st.relation  # type: ignore[attr-defined]
    if _constant(rel.lhs, ctx) == _constant(rel.rhs, ctx):
        return out
    # only when what was drawn at random is something the document computes (v_1 of a recurrence
    # whose start it gives in words); ℓ(0, y) = 0 with y any label is a claim for every y
    computed = {names.display(k) for k, f in ctx.families.items() if f.body is not None} | \
        {names.display(k) for k, q in ctx.quantities.items() if q.definition is not None}
    drawn = [name for name, _ in out.counterexample if name.split("_{", 1)[0] in computed]
    if not drawn:
        return out
    which = ", ".join(drawn[:4])
    return Outcome("SC202", "undecided: the claim gives a number for an expression that depends on values the "
                            f"document computes but does not give here ({which}{', …' if len(drawn) > 4 else ''})",
                   ("the sides differ at random values, which says nothing about the values meant",),
                   notes=out.notes)


def _mentions_key(node: object, key: str) -> bool:
    return any(isinstance(n, ir.Symbol) and names.key(n) == key for n in irutil.walk(node))


def _abstract_review(ctx: context.Context, st: object, out: Outcome) -> Outcome:
    """∇f(w) = Xᵀ(Xw − y) where f is never defined: the relation says what the gradient of f
    is; a counterexample built from a stand-in for f refutes nothing."""
    from symcheck.examples import _reaches

    if out.code != "SC100" or not (ctx.abstract or ctx.abstract_fns):
        return out
    unknown = ctx.__dict__.get("unused_unknowns")
    if unknown is None:
        # an unknown the model is built on ("J(w) = L(w) + …" with L any differentiable loss)
        # is quantified over: a claim that fails for some L is false; one never used is not
        used = {k for d in ctx.statements if d.role in ("definition", "function")
                for k in ctx.abstract | ctx.abstract_fns if _mentions_key(d.relation.rhs, k)}
        unknown = ctx.__dict__["unused_unknowns"] = (ctx.abstract | ctx.abstract_fns) - used
    if not unknown:
        return out
    rel = st.relation  # type: ignore[attr-defined]
    sides = [sorted(k for k in unknown if _reaches(ctx, side, {k})) for side in (rel.lhs, rel.rhs)]
    if bool(sides[0]) == bool(sides[1]):
        return out  # both sides use the unknown (a chain rule), or neither does
    which = ", ".join(names.display(k) for k in sides[0] or sides[1])
    return Outcome("SC202", f"undecided: {which} is never defined, and only one side uses it; the relation "
                            "says what it is rather than something that could be checked",
                   ("undefined function",))


def prose_declarations(doc: Document, builder: context.Builder) -> None:
    """"$W$ is an $m\\times n$ matrix", "an $s$-dimensional vector $\\mathbf x$"."""
    from symcheck.latex import parser

    frags = doc.fragments
    for k in range(len(frags) - 1):
        a, b = frags[k], frags[k + 1]
        if a.display or b.display:
            continue
        between = b.prose_before.text.strip().lower()
        after = frags[k + 2].prose_before.text.strip().lower() if k + 2 < len(frags) else \
            (doc.prose_after.text.strip().lower() if doc.prose_after else "")
        if between in ("is an", "is a", "be an", "be a", "is the") and after.startswith(("matrix", "vector")):
            sym = parser.parse_expr(a.text)
            dims = parser.parse_expr(b.text)
            if isinstance(sym, ir.Symbol) and isinstance(dims, ir.Mul) and dims.ops == ("times",) \
                    and len(dims.factors) == 2:
                builder.declare(sym, dims.factors[0], dims.factors[1])
        if len(between) <= 32 and between.endswith(("matrix", "matrices")):
            # "a $2 \times 2$ weight matrix $W_1$", "an $m\times n$ matrix $A$"
            dims = parser.parse_expr(a.text)
            sym = parser.parse_expr(b.text)
            if isinstance(sym, ir.Symbol) and isinstance(dims, ir.Mul) and dims.ops == ("times",) \
                    and len(dims.factors) == 2:
                builder.declare(sym, dims.factors[0], dims.factors[1])
        if between.startswith("-dimensional") and ("vector" in between):
            dim = parser.parse_expr(a.text)
            sym = parser.parse_expr(b.text)
            if isinstance(sym, ir.Symbol) and isinstance(dim, (ir.Symbol, ir.Number)):
                builder.declare(sym, dim, ir.Number("1", sym.span))


_SENTENCE_END = re.compile(r"[.;!?]\s|\n\s*\n|[.;!?]$")
_COLUMNS = re.compile(r"\b(columns|rows)\s*$")


def column_families(doc: Document, ctx: context.Context) -> None:
    """"$U \\in \\mathbb{R}^{n\\times d}$ has orthonormal columns $\\mathbf{u}_j$", "$V$ … with
    columns $\\mathbf v_j$": the u_j are the columns of U (an index letter, in the same
    sentence as the matrix the text names just before); "$X$ with rows $x_i^T$": the x_i
    are the rows of X, transposed."""
    from symcheck.latex import parser

    frags = doc.fragments
    for k, frag in enumerate(frags):
        said = _COLUMNS.search(frag.prose_before.text.lower())
        if frag.display or not said:
            continue
        member = parser.parse_expr(frag.text)
        if said.group(1) == "rows" and isinstance(member, ir.Transpose):
            member = member.arg  # "X has rows $x_i^T$": the x_i are the rows, transposed
        if not (isinstance(member, ir.Symbol) and member.sub and len(member.sub) == 1
                and isinstance(member.sub[0], ir.Symbol) and len(member.sub[0].base) == 1):
            continue
        for j in range(k - 1, max(-1, k - 4), -1):
            if _SENTENCE_END.search(frags[j + 1].prose_before.text):
                break
            node = parser.parse_expr(frags[j].text)
            if isinstance(node, ir.Chain) and node.items:
                node = node.items[0]
            if isinstance(node, ir.Relation):
                node = node.lhs
            if isinstance(node, ir.Symbol) and not node.sub and names.key(node) in ctx.quantities:
                found = ctx.columns_of if said.group(1) == "columns" else ctx.rows_of
                found.setdefault(names.key(member), names.key(node))
                break


def regions(doc: Document, ctx: context.Context) -> None:
    """"For $z > 0$: $\\max(0, z) = z$", "$… = 0$ when $z < 0$": a bound on a plain
    variable stated in the same sentence as a claim holds for that claim."""
    bounds: list[tuple[int, tuple[str, str, str]]] = []
    for st in ctx.statements:
        rel = st.relation
        if rel.op == "=" and isinstance(rel.lhs, ir.Symbol) and not rel.lhs.sub and isinstance(
                rel.rhs.arg if isinstance(rel.rhs, ir.Neg) else rel.rhs, ir.Number) \
                and not doc.fragments[st.fragment].display \
                and re.search(r"\b(for|when|if)\s*$", doc.fragments[st.fragment].prose_before.text.lower()):
            # "for $\epsilon = 0$, $… = 1$": a value that holds for the claim of that sentence
            num = rel.rhs.arg if isinstance(rel.rhs, ir.Neg) else rel.rhs
            bounds.append((st.fragment, (names.key(rel.lhs), "=",
                                         ("-" if isinstance(rel.rhs, ir.Neg) else "") + num.text)))
            continue
        if st.role != "assumption" or rel.op not in ("<", ">", "le", "ge"):
            continue
        lhs, rhs, op = rel.lhs, rel.rhs, rel.op
        if isinstance(rhs, ir.Symbol) and not isinstance(lhs, ir.Symbol):  # 0 < z
            lhs, rhs, op = rhs, lhs, {"<": ">", ">": "<", "le": "ge", "ge": "le"}[op]
        num = rhs.arg if isinstance(rhs, ir.Neg) else rhs
        if isinstance(lhs, ir.Symbol) and not lhs.sub and not lhs.prime and isinstance(num, ir.Number):
            text = ("-" if isinstance(rhs, ir.Neg) else "") + num.text
            bounds.append((st.fragment, (names.key(lhs), op, text)))
    if not bounds:
        return
    frags = doc.fragments

    def joined(a: int, b: int) -> bool:  # fragments a < b in one sentence
        return all(not _SENTENCE_END.search(frags[k].prose_before.text) for k in range(a + 1, b + 1))
    for st in ctx.statements:
        if st.role not in ("claim", "function"):
            continue
        mine = tuple(dict.fromkeys(b for fi, b in bounds if fi == st.fragment or (
            abs(fi - st.fragment) == 1 and joined(min(fi, st.fragment), max(fi, st.fragment)))))
        if mine:
            st.regions = mine
            if st.role == "function" and st.defines in ctx.functions:
                # "for z > 0, ReLU(z) = z": what the function is there, not its definition
                fd = ctx.functions[st.defines]
                if fd.span == st.relation.span and set(fd.params) & {k for k, _, _ in mine}:
                    del ctx.functions[st.defines]
                    st.role = "claim"


def build_context(doc: Document, diags: list[Diagnostic], path: str) -> context.Context:
    """The document's model: every row read, prose declarations added, shapes inferred."""
    builder = read_chains(doc, diags, path)
    prose_declarations(doc, builder)
    ctx = builder.finish()
    _late_definitions(ctx, doc)
    simplex_vectors(doc, ctx)
    orthogonal_matrices(doc, ctx)
    column_families(doc, ctx)
    regions(doc, ctx)
    shapes.infer(ctx)
    solutions.mark_solved(ctx)
    return ctx


def _late_definitions(ctx: context.Context, doc: Document) -> None:
    """An input declared in one section (``z ∈ R^K``) and defined in a later one
    (``z = W h + b``): the definition holds from its section on, not before."""
    from symcheck.examples import section_starts
    starts = section_starts(doc)

    def section(off: int) -> int:
        return sum(1 for s in starts if s <= off)

    first: dict[tuple[str, str], int] = {}
    for st in ctx.statements:
        if st.role in ("declaration", "definition") and st.defines:
            first.setdefault((st.role, st.defines), st.relation.span.start)
    for (role, k), at in sorted(first.items()):
        declared = first.get(("declaration", k))
        if role == "definition" and declared is not None and section(declared) < section(at):
            ctx.late_definitions[k] = starts[section(at) - 1]


def check_text(text: str, path: str, options: CheckOptions = CheckOptions()) -> FileResult:
    from symcheck import document

    diags: list[Diagnostic] = []
    if len(text) > MAX_BYTES:
        diags.append(Diagnostic("SC202", f"undecided: the document is larger than {MAX_BYTES} characters; not read",
                                Span(0, 0), path))
        return FileResult(path, text, tuple(diags))
    try:
        doc = document.read_document(path, text)
        for n in doc.notes:
            diags.append(Diagnostic(n.code, n.message, n.span, path))
        diags.extend(_check_scopes(doc, path, options))
        from symcheck.proofs import proof_diagnostics  # front matter `proof: <name>`, registered proofs only

        diags.extend(proof_diagnostics(doc, path))
    except RecursionError:
        diags.append(Diagnostic("SC900", "internal error: input nested too deeply", Span(0, 0), path))
    diags.sort(key=lambda d: (d.span.start, d.span.end, d.code, d.message))
    return FileResult(path, text, tuple(_dedupe(diags)))


def _check_scopes(doc: Document, path: str, options: CheckOptions) -> list[Diagnostic]:
    """Build the document's model and decide it; where a later section gives a name a new
    shape, each stretch between such sections is modelled and decided on its own."""
    from symcheck import scopes

    diags: list[Diagnostic] = []
    ctx = build_context(doc, diags, path)
    parts = scopes.split(doc, ctx, section_starts(doc), lambda d: build_context(d, [], path))
    if len(parts) == 1:
        verdicts = decide_all(ctx, doc, diags, path, options)
        diags.extend(cross_references(doc, ctx, verdicts, path, options))
        return diags
    out: list[Diagnostic] = []
    for part in parts:
        sub = dataclasses.replace(doc, fragments=tuple(doc.fragments[fi] for fi in part.fragments))
        mine: list[Diagnostic] = []
        ctx = build_context(sub, mine, path)
        verdicts = decide_all(ctx, sub, mine, path, options, within=(part.start, part.end))
        mine.extend(cross_references(sub, ctx, verdicts, path, options))
        out.extend(d for d in mine if part.start <= d.span.start < part.end)
    return out


def _dedupe(diags: list[Diagnostic]) -> list[Diagnostic]:
    seen = set()
    out = []
    for d in diags:
        k = (d.code, d.span, d.message)
        if k not in seen:
            seen.add(k)
            out.append(d)
    return out


def _op_latex(op: str) -> str:
    from symcheck.latex import printer
    return "=" if op in ("=", "") else printer.REL_OPS.get(op, op)


def _src(text: str, node: object) -> str:
    span = getattr(node, "span", None)
    if span is None:
        return ""
    return " ".join(text[span.start:span.end].split())


def cross_references(doc: Document, ctx: context.Context, verdicts: dict[int, str], path: str,
                     options: CheckOptions) -> list[Diagnostic]:
    """"equations (1) to (6)" must point at equations that say what the sentence needs (SC104)."""
    from symcheck import xrefs

    try:
        return xrefs.check(doc, ctx, verdicts, path, options.timeout, options.fixes)
    except Exception as e:  # the stage is extra: its failure is reported, the verdicts stand
        return [Diagnostic("SC900", f"internal error in cross-reference checking: {type(e).__name__}",
                           Span(0, 0), path)]


def decide_all(ctx: context.Context, doc: Document, diags: list[Diagnostic], path: str,
               options: CheckOptions, within: tuple[int, int] | None = None) -> dict[int, str]:
    """Decide every statement (those starting in ``within`` only, when given: a scope
    of the document); returns each statement's verdict code by its index."""
    verdicts: dict[int, str] = {}
    placed: dict[int, int] = {}  # statement index → its verdict's position in diags
    decider = Decider(ctx, options.timeout)
    text = doc.text
    # definitions of known names first: the rest of the document reads them by their name
    named_results = {st.index: namecheck.check(ctx, st, text) for st in ctx.statements if st.role == "function"}
    ctx.__dict__.pop("value_cache", None)
    examples = WorkedExamples(ctx, doc)
    anchor: dict[int, object] = {}  # group → the last item known to be right
    repair_clock = [0]
    for st in ctx.statements:
        rel = st.relation
        if within is not None and not within[0] <= (st.row_span or rel.span).start < within[1]:
            continue
        held = anchor.get(st.group)
        span = rel.span if st.chain_pos == 0 else rel.rhs.span
        if rel.lhs.span.end <= rel.rhs.span.start and text.count("\n", rel.lhs.span.start, rel.rhs.span.start):
            span = rel.rhs.span  # a continued row: report it at its own line
        base = dict(path=path, lhs=_src(text, rel.lhs), rhs=_src(text, rel.rhs), label=st.tag or "",
                    op=_op_latex(rel.op))
        named = named_results.get(st.index)
        if named is not None:
            out, named_fixes = named
            diags.append(Diagnostic(out.code, out.message, span, evidence=out.evidence,
                                    counterexample=out.counterexample, fixes=named_fixes, **base))
            verdicts[st.index] = out.code
            continue
        worked = examples.decide(st)  # a number computed in a worked example, at the example's values
        if worked is not None:
            out = worked
        elif st.role != "claim":
            out = describe_definition(ctx, st, decider)
        elif solutions.restates(ctx, st):
            # its own definition would make it hold trivially: only the conditions decide it
            out = solutions.decide(ctx, st) or Outcome(
                "SC202", "undecided: it restates a value the conditions above determine, and solving them "
                         "at random data did not settle it")
        else:
            fixed = examples.sizes_in_force(st)
            if fixed:
                # "Let n = 1", then L = ½(A₂ - y)²: the claim is about that size
                decider.sizes_override = [dict(s, **fixed) for s in test_sizes(ctx)]
            try:
                out = decider.decide(st)
            finally:
                decider.sizes_override = None
            if fixed and out.code in ("SC001", "SC002", "SC100", "SC101"):
                out = dataclasses.replace(out, notes=out.notes + (
                    "at " + ", ".join(f"{names.display(k)} = {v}" for k, v in sorted(fixed.items()))
                    + ", as the worked example says",))
            if out.code in ("SC100", "SC101") and held is not None and held is not rel.lhs:
                # the step before was refuted: this one may still agree with the last
                # correct step, and then the slip is reported once, where it happens
                again = decider.decide(dataclasses.replace(st, relation=ir.Relation(held, rel.op, rel.rhs, rel.span)))
                if again.code in ("SC001", "SC002"):
                    out = dataclasses.replace(again, message=again.message + "; it agrees with the last "
                                              "correct step (the step before it was refuted)")
            if out.code == "SC100":
                out = lost_prime(decider, st, out)
            if not any(op == "=" for _, op, _ in getattr(st, "regions", ())):
                # a number the worked example computes is not refuted for all values (unless the
                # sentence itself fixes the value it depends on: "for ε = 0, … = 1")
                out = examples.review(st, out)
            out = _orthogonal_review(ctx, st, out)
            out = _abstract_review(ctx, st, out)
            out = _free_number_review(ctx, st, out)
        fixes: tuple[Fix, ...] = ()
        if out.code == "SC101" and worked is None and st.role in ("claim", "update", "definition") \
                and repair_clock[0] < REPAIR_BUDGET:
            out, fixes = _shapes_mended(ctx, st, decider, text, out, options)
            repair_clock[0] += 1
        if st.role == "claim" and out.code in ("SC100", "SC101") and st.group not in anchor:
            anchor[st.group] = rel.lhs
        elif st.role == "claim" and out.code in ("SC001", "SC002"):
            anchor.pop(st.group, None)
        if out.code == "SC110":
            from symcheck.latex import printer
            f = rel.lhs.factors[0]  # type: ignore[attr-defined]
            primed = printer.to_latex(dataclasses.replace(rel.lhs, factors=(dataclasses.replace(f, prime=1),)
                                                          + rel.lhs.factors[1:]))  # type: ignore[attr-defined]
            fixes = (Fix(f"{primed} = {_src(text, rel.rhs)}", "add the derivative mark; proved", rel.span),)
        if out.fix_rhs:
            fixes = _value_fix(st, out, decider if worked is None else examples, text)
        if options.fixes and out.code == "SC100" and worked is None:
            from symcheck import repair
            if repair_clock[0] < REPAIR_BUDGET:
                repair_clock[0] += 1
                found = repair.find_fixes(ctx, st, decider, text, frozen=options.frozen)
                fixes = (fixes + tuple(f for f in found if f.latex not in {g.latex for g in fixes}))[:repair.MAX_FIXES]
            else:
                out = dataclasses.replace(out, evidence=out.evidence + (
                    f"no fix searched: fixes are searched for the first {REPAIR_BUDGET} refuted relations",))
        placed[st.index] = len(diags)
        diags.append(Diagnostic(out.code, out.message, span, evidence=out.evidence + tuple(
            f"note: {n}" for n in out.notes if not n.startswith("garbled:")),
            counterexample=out.counterexample, fixes=fixes, **base))
        verdicts[st.index] = out.code
        for n in out.notes:
            if n.startswith("garbled:"):
                diags.append(Diagnostic("SC303", n.split(":", 1)[1].strip(), span, path))
    if options.fixes:
        from symcheck import defrepair
        defrepair.repair_definitions(ctx, text, diags, placed, verdicts, options.timeout)
    mentions(ctx, doc, diags, path)
    return verdicts


def _shapes_mended(ctx: context.Context, st: context.Statement, decider: Decider, text: str, out: Outcome,
                   options: CheckOptions) -> tuple[Outcome, tuple[Fix, ...]]:
    """A shape mismatch stands only when a transpose or a regrouping mends it (that fix is
    proved and offered with it).  When none does, the slip is more likely in how symcheck
    read a shape than in the text, and the relation is undecided (SC206), with the shapes
    as read kept as evidence."""
    from symcheck import repair
    if st.role == "definition":  # nothing to prove: a transpose that makes it make sense will do
        if repair.definition_mendable(ctx, st, decider):
            return out, ()
        fixes: tuple[Fix, ...] = ()
    else:
        fixes = repair.find_fixes(ctx, st, decider, text, shape_error=True, frozen=options.frozen)
    if fixes:
        return out, fixes if options.fixes else ()
    why = out.message.removeprefix("refuted: ")
    return Outcome("SC206", f"undecided: as read, {why}; no transpose or regrouping reconciles the sides, "
                            "so the shape symcheck gave a name may be wrong (declare the shapes to decide)",
                   out.evidence + ("no transpose or regrouping makes the shapes agree",),
                   out.counterexample, out.notes), ()


def _value_fix(st: context.Statement, out: Outcome, judge: "Decider | WorkedExamples", text: str) -> tuple[Fix, ...]:
    """The right side replaced by the value the decision computed (``out.fix_rhs``), offered
    only when the corrected relation is itself decided true, the way it was decided wrong
    (in general, or at the worked example's values)."""
    from symcheck.latex.parser import parse_row
    rel = st.relation
    row = parse_row(MappedText.from_original(out.fix_rhs, start=rel.rhs.span.start))
    if not isinstance(row, ir.Chain) or len(row.items) != 1:
        return ()
    cand = dataclasses.replace(st, relation=ir.Relation(rel.lhs, rel.op, row.items[0], rel.span))
    again = judge.decide(cand)
    if again is None or again.code not in ("SC001", "SC002"):
        return ()
    how = "proved" if again.code == "SC001" else "verified numerically"
    return (Fix(f"{_src(text, rel.lhs)} = {out.fix_rhs}", f"the value to the precision stated; {how}", rel.rhs.span),)


def lost_prime(decider: Decider, st: context.Statement, out: Outcome) -> Outcome:
    """σ(x) = σ(x)(1 - σ(x)) is false; σ'(x) = σ(x)(1 - σ(x)) is what was meant."""
    lhs = st.relation.lhs
    if not (isinstance(lhs, ir.Mul) and len(lhs.factors) == 2 and isinstance(lhs.factors[0], ir.Symbol)
            and isinstance(lhs.factors[1], ir.Paren) and lhs.factors[0].prime == 0):
        return out
    f = lhs.factors[0]
    primed = ir.Mul((dataclasses.replace(f, prime=1), lhs.factors[1]), lhs.ops, lhs.span)
    trial = decider.decide(dataclasses.replace(st, relation=ir.Relation(primed, st.relation.op,
                                                                        st.relation.rhs, st.relation.span)))
    if trial.code != "SC001":
        return out
    name = names.display(names.key(f))
    return Outcome("SC110", f"refuted: {out.message.removeprefix('refuted: ')}; but {name}'(…) = … holds — "
                            f"the derivative mark is missing", out.evidence + ("derivative claim proved",),
                   out.counterexample, out.notes)


def describe_definition(ctx: context.Context, st: context.Statement, decider: Decider) -> Outcome:
    what = {"definition": "defines", "naming": "names the entries of", "declaration": "declares",
            "function": "defines the function", "update": "updates",
            "example": "gives an example value of", "assumption": "",
            "layout": "fixes the arrangement of the entries of", "condition": ""}[st.role]
    if st.role == "assumption":
        return Outcome("SC000", "assumption: an inequality or membership the text states; recorded, "
                                "not decided")
    if st.role == "condition":
        return Outcome("SC000", "condition: an equation the text says must hold or be solved, "
                                "not an identity; recorded, not decided")
    k = st.defines or ""
    target = k
    if st.role == "naming":
        f = ctx.families.get(k)
        target = f.names_entries_of if f and f.names_entries_of else k
        msg = f"definition: {names.display(k)} {what} {names.display(target)}"
    else:
        msg = f"definition: {what} {names.display(k)}"
    shp = ctx.shapes.get(target)
    if shp is not None:
        msg += f" ({names.display(str(shp[0]))}×{names.display(str(shp[1]))})"
    if st.role in ("definition", "naming"):
        check = decider.check_defined(st)
        if check is not None:
            return check
    if st.role == "update":
        upd = decider.check_update(st)
        if isinstance(upd, Outcome):
            return upd
    return Outcome("SC000", msg)


def mentions(ctx: context.Context, doc: Document, diags: list[Diagnostic], path: str) -> None:
    """Math in prose that is not a relation still names things; unknown names are flagged."""
    known: set[str] = set(ctx.quantities) | set(ctx.families) | set(ctx.functions) | ctx.abstract \
        | ctx.size_symbols | set(ctx.doc_sizes)
    for st in ctx.statements:
        for s in irutil.symbols(st.relation):
            known.add(names.key(s))
            if names.key_with_sub(s):
                known.add(names.key_with_sub(s))  # type: ignore[arg-type]
    from symcheck.latex import parser

    for frag in doc.fragments:
        if frag.display:
            continue
        for row in frag.rows:
            res = parser.parse_row(row.text)
            if isinstance(res, ir.ParseFailure) or res.ops:
                continue
            for node in irutil.walk(res):
                if isinstance(node, ir.Deriv):
                    for var, _ in node.wrt:
                        _check_mention(var, node, ctx, known, diags, path)

def _check_mention(var: object, d: ir.Deriv, ctx: context.Context, known: set[str],
                   diags: list[Diagnostic], path: str) -> None:
    while isinstance(var, (ir.Paren, ir.Transpose)):
        var = var.items[0] if isinstance(var, ir.Paren) else var.arg
    if not isinstance(var, ir.Symbol):
        return
    k = names.key(var)
    if k in known or (names.key_with_sub(var) or "") in known:
        return
    hint = ""
    if isinstance(d.num, ir.Symbol) and names.key(d.num) in ctx.abstract:
        outs = costs.outputs(ctx)
        if outs:
            hint = f"; the document's {names.display(names.key(d.num))} depends on " + \
                   ", ".join(names.display(o) for o in outs) + f" — did you mean {names.display(outs[0])}?"
    diags.append(Diagnostic("SC302", f"{names.display(k)} is not defined anywhere in the document{hint}",
                            var.span, path))


__all__ = ["CheckOptions", "check_text", "check_file", "MappedText"]


def check_file(path: str, options: CheckOptions = CheckOptions()) -> FileResult:
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    return check_text(text, path, options)
