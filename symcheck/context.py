"""What the document establishes before and around each relation.

A relation is a *definition* when its left side names something not yet known
(``u = W x``, ``d_i = -(z_i - \\hat z_i)``, ``X_0 = [x_{11} …]``, ``f(x) = …``),
*naming* when a grid of fresh symbols names the entries of a known quantity
(``Y_0 = X u = [y_{11} …]``), a *declaration* (``W \\in \\mathbb R^{m×n}``), and
otherwise a *claim* to be decided.  Only claims get proved or refuted; definitions
are still shape-checked and reported, so no relation passes silently.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from symcheck import irutil, names
from symcheck.latex import ir


@dataclass
class Quantity:
    key: str
    definition: object | None = None  # IR node (rhs) or None for a leaf
    grid: ir.Matrix | None = None  # explicit entries
    self_named: bool = False  # grid cells are entries of this very name (v = [v_0 v_1])
    transposed_def: bool = False  # defined through U^T = …
    declared: tuple[object, object] | None = None  # (rows, cols) IR nodes or ints
    span: ir.Span | None = None
    # ŵ = arg min F = E: the point the document states for an arg min (checked where it is stated)
    solution: object | None = None


@dataclass
class Family:
    """Indexed scalars sharing a name: x_{11}, x_{12}, … or d_i."""

    key: str
    params: tuple[str, ...] = ()  # d_i = … → ("i",)
    body: object | None = None
    names_entries_of: str | None = None  # key of a quantity whose entries it names
    grid: ir.Matrix | None = None  # the naming grid (index → position)


@dataclass
class FunctionDef:
    name: str
    params: tuple[str, ...]
    body: object
    span: ir.Span
    contradicts: str = ""  # set when the body disagrees with the known function of that name
    # S_τ(v) = sign(v) max(|v| - τ, 0): (S, τ) — S_1(3) is S_τ at τ = 1
    sub_param: tuple[str, str] | None = None
    squared: tuple[str, ...] = ()  # N(x | μ, σ²) = …: parameters written squared, σ is √ of the argument


@dataclass
class Statement:
    relation: ir.Relation
    role: str  # "definition", "naming", "declaration", "function", "update", "claim", "mention"
    index: int  # position of the relation in document order
    tag: str | None = None
    defines: str | None = None
    row_span: ir.Span | None = None
    chain_pos: int = 0
    fragment: int = 0
    chain: object | None = None  # the whole row, for reading index ranges
    group: int = 0  # rows that continue one another (= … on the next line) share a group
    symmetric: tuple[str, ...] = ()  # matrices the nearby prose assumes symmetric
    scalars: tuple[str, ...] = ()  # names the nearby prose says are scalars here ("for scalar z")
    # "If …, $X^T X = I$, then $\hat w = …$": (left, right) the claim may rewrite, left into right
    rewrites: tuple[tuple[object, object], ...] = ()
    # "for z > 0": (name, op, bound) the claim is stated under, from the same sentence
    regions: tuple[tuple[str, str, str], ...] = ()


_ITERATE_SUB = re.compile(r"([a-z])(?:[+-]\d)?$")


@dataclass
class Context:
    quantities: dict[str, Quantity] = field(default_factory=dict)
    families: dict[str, Family] = field(default_factory=dict)
    functions: dict[str, FunctionDef] = field(default_factory=dict)
    abstract: set[str] = field(default_factory=set)  # undefined costs such as ℓ
    statements: list[Statement] = field(default_factory=list)
    size_symbols: set[str] = field(default_factory=set)
    shapes: dict[str, tuple[object, object]] = field(default_factory=dict)  # filled by shapes.py
    doc_sizes: dict[str, int] = field(default_factory=dict)
    notes: list[tuple[str, str, ir.Span]] = field(default_factory=list)  # (code, message, span)
    mentioned: set[str] = field(default_factory=set)
    layout: str = "denominator"  # "numerator" when the document says its dC/dW is transposed
    # sizes of each occurrence of I, 1, 0 (by source offset), filled by shapes.py
    constant_dims: dict[int, tuple[object, object]] = field(default_factory=dict)
    # x_i used as vectors (x_i^T w): length, and the matrix whose rows they are (X), if any
    family_vectors: dict[str, tuple[object, str | None]] = field(default_factory=dict)
    columns_of: dict[str, str] = field(default_factory=dict)  # u_j → U: "U has columns u_j"
    rows_of: dict[str, str] = field(default_factory=dict)  # x_i → X: "X has rows x_i^T"
    collected: dict[str, object] = field(default_factory=dict)  # p: the vector of the p_i, its length
    simplex: set[str] = field(default_factory=set)  # vectors whose entries sum to one (one-hot y)
    orthogonal: set[str] = field(default_factory=set)  # matrices the text calls orthogonal (not modelled)
    # names the conditions determine ("Solving them, b = …"): key → those conditions
    solved: dict[str, tuple[Statement, ...]] = field(default_factory=dict)
    solving: set[int] = field(default_factory=set)  # the statements that restate them
    # x_{k+1} defined again in a later section: (where each definition starts, its right side)
    iterations: dict[str, list[tuple[int, object]]] = field(default_factory=dict)
    late_definitions: dict[str, int] = field(default_factory=dict)  # input → where its section defining it starts
    # x_1, …, x_N ∈ R^d: the members of a family declared as vectors, by family key → length (IR node)
    family_dims: dict[str, object] = field(default_factory=dict)
    claim_shaped: set[str] = field(default_factory=set)  # names only claims give a shape (shapes.py)
    abstract_fns: set[str] = field(default_factory=set)  # L in ∇L(w) with L never defined
    mention_keys: dict[int, set[str]] = field(default_factory=dict)  # fragment → the names its rows use
    finite: dict[str, tuple[object, ...]] = field(default_factory=dict)  # y_i ∈ {-1, +1}: the values a name takes

    def iteration_of(self, s: ir.Symbol) -> tuple[str, str] | None:
        """For ``x_3`` of a defined iteration ``x_{k+1} = F(x_k)``: (the key of x_{k+1}, k)."""
        if s.label is not None or not (s.sub_text or "").isdigit() or s.sub is None or len(s.sub) != 1:
            return None
        base = names.key(s)
        for k, q in sorted(self.quantities.items()):
            m = re.fullmatch(re.escape(base) + r"_([a-z])\+1", k)
            if m and q.definition is not None:
                return k, m.group(1)
        return None

    def is_iterate(self, s: ir.Symbol) -> bool:
        """``x_k`` or ``x_{k+1}`` of a defined iteration ``x_{k+1} = F(x_k)``."""
        m = _ITERATE_SUB.match(s.sub_text or "")
        if m is None or s.label is not None:
            return False
        q = self.quantities.get(f"{names.key(s)}_{m.group(1)}+1")
        return q is not None and q.definition is not None

    def is_matrix(self, key: str) -> bool:
        return key in self.shapes

    def constant(self, s: ir.Symbol) -> str | None:
        """``identity``/``ones``/``zeros`` when ``s`` is the conventional constant and
        the document does not use the name for a quantity of its own."""
        kind = names.constant_kind(s)
        if kind is None:
            return None
        k = names.key_with_sub(s) or names.key(s)
        for key in {k, names.key(s)}:
            q = self.quantities.get(key)
            if q is not None and (q.definition is not None or q.grid is not None):
                return None  # "1 ∈ R^d" only sizes the ones vector; a definition would rename it
            if key in self.families or key in self.functions:
                return None
        return kind


_BUILTIN_NAMES = frozenset({"tr", "trace", "Tr", "det", "exp", "log", "ln", "sin", "cos", "tan", "sqrt",
                            "abs", "max", "min", "softmax", "logsumexp", "LSE", "diag", "rank"})

# cos(u, v) = uᵀv/(‖u‖‖v‖): with two arguments a document's own function, not the cosine
_UNARY_BUILTINS = frozenset({"exp", "log", "ln", "sin", "cos", "tan", "sqrt", "abs"})

_CONDITION_CUES = ("condition", "solve", "satisf", "optimum", "optimal", "stationary", "minimum",
                   "minimi", "reduce to", "normal equation", "must hold", "take the form", "set to zero",
                   "equal to zero", "vanish", "setting the", "equating")


_NAMED_CONDITIONS = ("normal equation", "first-order condition", "first order condition",
                     "optimality condition", "stationarity condition", "the conditions")


def _named_after(after: str) -> bool:
    """"$$… = 0$$ These are the normal equations …": the sentence after the displays says
    that what they state are conditions."""
    head = after.lower()[:120]
    return head.startswith(("these are", "these three", "these two", "this is", "which are", "they are",
                            "those are", "these equations are", "these conditions")) \
        and any(cue in head for cue in _NAMED_CONDITIONS + ("condition",))


def _shared_value(chain: ir.Chain, rels: list[ir.Relation]) -> ir.Node | None:
    """The number at the end of a chain of plain symbols (``a = b = 1``), else None."""
    items = chain.items
    if len(items) < 3 or len(rels) != len(items) - 1 or any(r.op != "=" for r in rels):
        return None
    if not all(isinstance(unwrap(it), ir.Symbol) for it in items[:-1]) or not _numeric(items[-1]):
        return None
    return items[-1]


def _numeric(node: object) -> bool:
    """A plain number, or a matrix or tuple of plain numbers."""
    if isinstance(node, ir.Neg):
        return _numeric(node.arg)
    if isinstance(node, ir.Number):
        return True
    if isinstance(node, ir.Matrix):
        return all(_numeric(c) for row in node.rows for c in row)
    if isinstance(node, ir.Transpose):
        return _numeric(node.arg)
    if isinstance(node, ir.Paren):
        return all(_numeric(i) for i in node.items)
    if isinstance(node, ir.Frac):  # 1/3 written as a fraction of plain numbers
        return _numeric(node.num) and _numeric(node.den)
    if isinstance(node, ir.Mul) and sum(isinstance(unwrap(f), ir.Matrix) for f in node.factors) == 1:
        return all(_numeric(f) for f in node.factors)  # ⅕ [0.64 -0.48; -0.48 0.36]: a grid of numbers, scaled
    return False


def _without_headings(prose: str) -> str:
    """The words of the sentences only: a heading ("## Normal equations") names a section's
    topic; it does not say that the next equation is a condition."""
    lines = [ln for ln in prose.splitlines() if not re.match(r"\s*(#{1,6}\s|\\(sub)*section\*?\s*[{\[])", ln)]
    return "\n".join(lines)


def _is_zero(node: object) -> bool:
    return isinstance(node, ir.Number) and node.text in ("0", "0.0")


def unwrap(node: object) -> object:
    while isinstance(node, ir.Underbrace):
        node = node.body
    return node


def _squared_symbol(node: object) -> ir.Symbol | None:
    """σ in ``σ^2`` (a plain Greek or Latin letter squared), else None."""
    node = unwrap(node)
    if isinstance(node, ir.Pow) and isinstance(node.exp, ir.Number) and node.exp.text == "2" \
            and isinstance(node.base, ir.Symbol) and not node.base.sub and not node.base.prime:
        return node.base
    return None


def _lhs_symbol(node: object) -> tuple[ir.Symbol | None, bool]:
    node = unwrap(node)
    if isinstance(node, ir.Transpose):
        inner = unwrap(node.arg)
        return (inner, True) if isinstance(inner, ir.Symbol) else (None, False)
    return (node, False) if isinstance(node, ir.Symbol) else (None, False)


def _grid_family(m: object, known: set[str]) -> str | None:
    """The one family all cells of a grid belong to, if they are plain fresh symbols."""
    if not isinstance(m, ir.Matrix):
        return None
    fam: str | None = None
    for row in m.rows:
        for c in row:
            if isinstance(c, ir.Ellipsis):
                continue
            if not isinstance(c, ir.Symbol) or not c.sub:
                return None
            k = names.key(c)
            if fam is None:
                fam = k
            elif fam != k:
                return None
    return fam


def _free_index_letters(s: ir.Symbol) -> tuple[str, ...] | None:
    if not s.sub:
        return None
    out = []
    for it in s.sub:
        if isinstance(it, ir.Symbol) and not it.sub and len(it.base) == 1 and it.base.islower():
            out.append(it.base)
        else:
            return None  # L_{CE}, λ_{\max}, ℓ_δ: a label that is part of the name, not an index
    return tuple(out)


def _mentions(node: object, key: str) -> bool:
    return any(isinstance(n, ir.Symbol) and n.style != "label" and (names.key(n) == key or names.key_with_sub(n) == key)
               for n in irutil.walk(node))


def _function_heads(node: object) -> set[int]:
    """The names of applied functions (the tanh of tanh(1)): no quantities."""
    return {id(n.func) for n in irutil.walk(node) if isinstance(n, ir.Apply)}


def _earlier_only(node: object, key: str, letter: str) -> bool:
    """Every mention of the family in ``node`` is an earlier member (h_{t-1}, h_{t-2} in the
    definition of h_t), or every one a later member (δ_{t+1} in that of δ_t, backpropagation
    through time): a recurrence, not a circular definition."""
    signs = set()
    for n in irutil.walk(node):
        if not (isinstance(n, ir.Symbol) and n.style != "label" and names.key(n) == key):
            continue
        shift = irutil.shift_of(n.sub[0], letter) if n.sub and len(n.sub) == 1 else None
        if not shift:
            return False  # h_t itself, or an index that is no shift of the step
        signs.add(shift > 0)
    return len(signs) <= 1


class Builder:
    """Reads statements in document order and fills a Context."""

    def __init__(self) -> None:
        self.ctx = Context()
        self.count = 0
        self.section_starts: list[int] = []  # offsets where sections begin (set by the pipeline)
        self.softmax_doc = False  # the document speaks of the softmax (set by the pipeline)

    def _section(self, offset: int) -> int:
        return sum(1 for s in self.section_starts if s <= offset)

    def _softmax_output(self, sym: ir.Symbol) -> bool:
        """``p`` or ``p_j`` in a document about the softmax whose logits ``z`` are given
        (as numbers) and which never says what p is: the softmax of z.  Defines
        p so (once) and says whether ``sym`` is one of its outputs."""
        c = self.ctx
        if names.key(sym) != "p" or sym.label is not None or sym.accent or not self.softmax_doc:
            return False
        if sym.sub is not None and not (sym.sub_text or "").isdigit():
            return False
        q = c.quantities.get("p")
        if q is not None:
            return q.definition is not None and getattr(q, "implicit", False)
        z = c.quantities.get("z")
        given = None if z is None else (z.grid if z.grid is not None else z.definition)
        if "p" in c.families or "p" in c.functions or given is None or irutil.symbols(given):
            return False
        at = sym.span
        logits = ir.Symbol("z", at)
        q = c.quantities.setdefault("p", Quantity("p", definition=ir.Apply(ir.Symbol("softmax", at), (logits,), at),
                                                  span=at))
        q.implicit = True  # type: ignore[attr-defined]
        return True

    def _new_iteration(self, sym: ir.Symbol, rhs: object, k: str) -> bool:
        """``x_{k+1} = ½(x_k + 2/x_k)`` in a later section than the ``x_{k+1} = …`` defined
        before: the document has moved on to another iteration, which this defines (from
        here on; the earlier one still holds before it)."""
        q = self.ctx.quantities.get(k)
        m = _ITERATE_SUB.match(sym.sub_text or "")
        if q is None or q.definition is None or q.span is None or m is None or not (sym.sub_text or "").endswith("+1"):
            return False
        base = names.key(sym)
        letter = m.group(1)
        mentions_iterate = any(isinstance(n, ir.Symbol) and names.key(n) == base and n.sub_text == letter
                               for n in irutil.walk(rhs))
        return mentions_iterate and self._section(q.span.start) < self._section(sym.span.start)

    # -- names -------------------------------------------------------------
    def known(self, s: ir.Symbol) -> bool:
        k = names.key(s)
        ks = names.key_with_sub(s)
        c = self.ctx
        return (k in c.quantities or (ks is not None and ks in c.quantities)
                or k in c.families or k in c.functions)

    def quantity_key(self, s: ir.Symbol) -> str:
        """Key under which a defined symbol is stored: the subscript is part of the
        name unless it is an index (free letters on an indexed scalar)."""
        if s.sub_text is not None and _free_index_letters(s) is None:
            return names.key_with_sub(s) or names.key(s)
        return names.key(s)

    # -- statements --------------------------------------------------------
    def add_chain(self, chain: ir.Chain, tag: str | None, fragment: int, group: int = 0,
                  prose: str = "", after: str = "") -> list[Statement]:
        self.prose = prose
        self.after = after
        out = []
        rels = chain.relations()
        if not rels:
            for n in irutil.walk(chain):
                if isinstance(n, ir.Symbol):
                    self.ctx.mentioned.add(names.key(n))
            st = Statement(ir.Relation(chain.items[0], "", chain.items[0], chain.span) if chain.items
                           else ir.Relation(ir.Text("", chain.span), "", ir.Text("", chain.span), chain.span),
                           "mention", self.count, tag, row_span=chain.span, fragment=fragment)
            return [st]
        shared = _shared_value(chain, rels)
        for pos, rel in enumerate(rels):
            if shared is not None:
                # "m = p = 1", "π_1 = π_2 = 0.5": every symbol of the chain is given the value
                # (the value carries the span of what is written, so the row reads as written)
                valued = ir.Relation(rel.lhs, rel.op, dataclasses.replace(shared, span=rel.rhs.span), rel.span)
                st = self.classify(valued, 0)
            else:
                st = self.classify(rel, pos)
            st.index = self.count
            st.tag = tag if pos == len(rels) - 1 else None
            st.row_span = chain.span
            st.chain_pos = pos
            st.fragment = fragment
            st.chain = chain
            st.group = group
            self.count += 1
            self.ctx.statements.append(st)
            out.append(st)
        return out

    def classify(self, rel: ir.Relation, pos: int) -> Statement:
        c = self.ctx
        lhs, rhs = rel.lhs, rel.rhs
        if rel.op == "in" and isinstance(rhs, ir.SetExpr):
            sym, _ = _lhs_symbol(lhs)
            if sym is not None and len(rhs.dims) in (1, 2):
                dims = rhs.dims if len(rhs.dims) == 2 else (rhs.dims[0], 1)
                fk = self._member_of_family(sym)
                if fk is not None and len(rhs.dims) == 1:
                    # "samples x_1, …, x_N ∈ R^d": every x_i is a vector of length d
                    c.family_dims.setdefault(fk, rhs.dims[0])
                    return Statement(rel, "declaration", 0, defines=fk)
                k = self.quantity_key(sym)
                q = c.quantities.setdefault(k, Quantity(k, span=sym.span))
                q.declared = (dims[0], dims[1])
                return Statement(rel, "declaration", 0, defines=k)
        if rel.op in ("<", ">", "le", "ge", "ne", "in", "implies", "iff", "to", "propto"):
            # "with n ≥ 2", "for z > 0": stated assumptions and ranges, not equalities
            return Statement(rel, "assumption", 0)
        if rel.op not in ("=", ":="):
            return Statement(rel, "claim", 0)
        sym0, transposed0 = _lhs_symbol(lhs)
        if pos == 0 and isinstance(sym0, ir.Symbol) and sym0.prime and unwrap(lhs) is sym0:
            # w' = w - η g: the value after a step is a new quantity; w keeps its meaning
            return Statement(rel, "definition", 0, defines=names.key(sym0) + "'" * sym0.prime)
        if isinstance(rhs, ir.Matrix) and rhs.env == "values" and sym0 is not None:
            # "y_i = 2, 4, 7": data of a worked example, one value per index
            return Statement(rel, "example", 0, defines=names.key_with_sub(sym0) or names.key(sym0))
        if pos == 0 and sym0 is not None and not transposed0 and not irutil.symbols(rhs) and self._softmax_output(sym0):
            # "Softmax: a worked example", logits z given, then p_2 = 0.2474: p is softmax(z)
            return Statement(rel, "claim", 0)
        if pos == 0 and sym0 is not None and not transposed0 and c.iteration_of(sym0) is not None \
                and int(sym0.sub_text or "0") >= 1 and not irutil.symbols(rhs):
            # "x_3 = 1.4124" with x_{k+1} = F(x_k) defined: an iterate the example computes
            return Statement(rel, "claim", 0)
        if pos == 0 and sym0 is not None and _numeric(rhs) and self._used_before(sym0):
            # "for example, let x = 1": a worked example's value, not what x means everywhere
            return Statement(rel, "example", 0, defines=self.quantity_key(sym0))
        prose = getattr(self, "prose", "").lower()
        if _is_zero(rel.rhs) or _is_zero(rel.lhs):
            if any(cue in prose for cue in _CONDITION_CUES) or _named_after(getattr(self, "after", "")):
                # "reduce to the conditions Σ d_i = 0": an equation to be solved, not an identity
                return Statement(rel, "condition", 0)
        elif any(cue in _without_headings(prose)[-80:] for cue in _NAMED_CONDITIONS):
            # "which gives the normal equations n a + b Σ x_i = Σ y_i": equations that hold
            # at the optimum only, whatever their right side
            return Statement(rel, "condition", 0)
        self._underbrace_shapes(rel)
        self._underbrace_names(rel)
        squared = _squared_symbol(lhs)
        if pos == 0 and squared is not None and not _numeric(rhs):
            k = self.quantity_key(squared)
            q = c.quantities.get(k)
            if (q is None or (q.definition is None and q.grid is None)) and k not in c.functions \
                    and not _mentions(rhs, k):
                # "σ^2 = (1/m) Σ (x_i - μ)^2": the variance defines σ (≥ 0) as its square root
                q = c.quantities.setdefault(k, Quantity(k, span=squared.span))
                half = ir.Frac(ir.Number("1", rel.span), ir.Number("2", rel.span), rel.span)
                q.definition = ir.Pow(ir.Paren((rhs,), "(", rhs.span), half, rhs.span)  # type: ignore[attr-defined]
                return Statement(rel, "definition", 0, defines=k)
        if pos == 0 and squared is not None and isinstance(unwrap(rhs), ir.Number) and not squared.sub:
            k = self.quantity_key(squared)
            q = c.quantities.get(k)
            if (q is None or (q.definition is None and q.grid is None)) and k not in c.functions \
                    and not any(st.defines == k for st in c.statements):  # no value given before
                # "Take σ^2 = 1": a value the text gives (of σ, whose square it names), not a claim
                if self._used_before(squared):
                    return Statement(rel, "example", 0, defines=k)
                q = c.quantities.setdefault(k, Quantity(k, span=squared.span))
                half = ir.Frac(ir.Number("1", rel.span), ir.Number("2", rel.span), rel.span)
                q.definition = ir.Pow(ir.Paren((rhs,), "(", rhs.span), half, rhs.span)  # type: ignore[attr-defined]
                return Statement(rel, "definition", 0, defines=k)
        fam = _grid_family(rhs, set())
        sym, transposed = _lhs_symbol(lhs)
        if transposed and sym is not None and isinstance(unwrap(rhs), ir.Symbol) \
                and names.key(unwrap(rhs)) == names.key(sym):
            return Statement(rel, "claim", 0)  # J^T = J says J is symmetric; it defines nothing
        # f(x) = … : a function definition
        fdef = self._function_lhs(lhs)
        if fdef is not None and fdef[0] in ("lambda_max", "lambda_min", "lambda_\\max", "lambda_\\min"):
            fdef = None  # λ_max(A) = 3 states the largest eigenvalue; it defines nothing
        if fdef is not None and fdef[0] in _BUILTIN_NAMES and not (
                len(fdef[1]) >= 2 and fdef[0] in _UNARY_BUILTINS and fdef[0] not in c.functions):
            fdef = None  # tr(ABC) = tr(CAB) states a property of the trace, it does not define tr
        if pos == 0 and fdef is not None and fdef[0] not in c.quantities:
            name, params = fdef
            if name not in c.functions:
                c.functions[name] = FunctionDef(name, params, rhs, rel.span, sub_param=self._sub_param(lhs, rhs),
                                                squared=_squared_params(lhs))
                return Statement(rel, "function", 0, defines=name)
        layout = self._layout_grid(lhs, rhs) if pos == 0 else None
        if layout is not None:
            key, grid = layout
            q = c.quantities.setdefault(key, Quantity(key, span=rel.span))
            q.self_named = False
            if "transpose" in getattr(self, "prose", "").lower():
                # "the transposed change matrix dC/dW = […]": W is the transpose of the grid,
                # and dC/dW is written in numerator layout throughout the document
                q.definition = ir.Transpose(grid, grid.span)
                c.layout = "numerator"
            else:
                q.grid = grid
            return Statement(rel, "layout", 0, defines=key)
        if pos == 0 and sym is not None and self._applies_unknown_function(rhs):
            # "a = f(Σ w a)" with f never defined: a schematic formula, not the definition
            return Statement(rel, "claim", 0)
        if pos == 0 and sym is not None and sym.sub and not transposed \
                and all(isinstance(it, ir.Number) for it in sym.sub) and self.quantity_key(sym) not in c.quantities:
            owner = c.families.get(names.key(sym))
            if owner is not None and owner.body is not None and len(owner.params) == len(sym.sub) \
                    and not any(isinstance(n, ir.Symbol) and not self._named_constant(n)
                                and id(n) not in _function_heads(rhs) for n in irutil.walk(rhs)):
                # x̂_4 = (6 - 3)/3.5 with x̂_i = … defined: a value of that entry, to be checked
                # (s_2 = 1/(e + 1) too: Euler's e and π are numbers where the text never defines them)
                return Statement(rel, "claim", 0)
        if pos == 0 and sym is not None:
            k = self.quantity_key(sym)
            letters = _free_index_letters(sym)
            if sym.sub and letters is not None and k not in c.quantities:
                fk = names.key(sym)
                fam0 = c.families.get(fk)
                if (fam0 is None or (fam0.body is None and fam0.names_entries_of is None)) \
                        and (not _mentions(rhs, fk) or (len(letters) == 1 and _earlier_only(rhs, fk, letters[0]))):
                    f = c.families.setdefault(fk, Family(fk))
                    f.params, f.body = letters, rhs
                    return Statement(rel, "definition", 0, defines=fk)
            elif not sym.sub or k != names.key(sym):
                if isinstance(unwrap(rhs), ir.Add) and not transposed and any(
                        isinstance(unwrap(t), ir.Symbol) and not unwrap(t).sub and self.quantity_key(unwrap(t)) == k
                        for _, t in unwrap(rhs).terms):
                    # W = W - γ ∂C/∂W: a step of an algorithm, even when W is already defined
                    return Statement(rel, "update", 0, defines=k)
                if not transposed and self._new_iteration(sym, rhs, k):
                    c.iterations.setdefault(k, [(0, c.quantities[k].definition)]).append((sym.span.start, rhs))
                    return Statement(rel, "definition", 0, defines=k)
                if k not in c.quantities or (c.quantities[k].definition is None
                                             and c.quantities[k].grid is None):
                    if any(isinstance(n, ir.Symbol) and n.sub is None and self.quantity_key(n) == k
                           for n in irutil.walk(rhs)) and not transposed:
                        return Statement(rel, "update", 0, defines=k)
                    q = c.quantities.setdefault(k, Quantity(k, span=sym.span))
                    if isinstance(rhs, ir.Matrix) and not transposed:
                        q.grid = rhs
                        q.self_named = fam == names.key(sym) or (fam is not None and fam == k)
                        if fam is not None and fam != k and fam not in c.families:
                            c.families[fam] = Family(fam)
                    else:
                        q.definition = rhs
                        q.transposed_def = transposed
                    return Statement(rel, "definition", 0, defines=k)
        # a grid of fresh symbols naming the entries of what the left side is
        if fam is not None and fam not in c.families and fam not in c.quantities:
            target = self._naming_target(lhs)
            if target is not None:
                c.families[fam] = Family(fam, names_entries_of=target, grid=rhs)  # type: ignore[arg-type]
                return Statement(rel, "naming", 0, defines=fam)
        return Statement(rel, "claim", 0)

    @staticmethod
    def _sub_param(lhs: object, rhs: object) -> tuple[str, str] | None:
        """``S_τ(v) = … τ …``: the function's subscript is a parameter its body uses."""
        f = lhs.factors[0] if isinstance(lhs, ir.Mul) else getattr(lhs, "func", None)
        if not (isinstance(f, ir.Symbol) and f.sub and len(f.sub) == 1 and isinstance(f.sub[0], ir.Symbol)):
            return None
        p = f.sub[0]
        if p.sub or (len(p.base) == 1 and p.base.isupper()):
            return None
        k = names.key(p)
        if any(isinstance(n, ir.Symbol) and not n.sub and names.key(n) == k for n in irutil.walk(rhs)):
            return names.key(f), k
        return None

    def _named_constant(self, sym: ir.Symbol) -> bool:
        """Euler's e or π, read as numbers the way lowering reads them (never defined here)."""
        k = names.key(sym)
        return not sym.sub and k in ("e", "pi") and k not in self.ctx.quantities and k not in self.ctx.families

    def _member_of_family(self, sym: ir.Symbol) -> str | None:
        """The family ``x`` of ``x_1``, ``x_N`` or ``x_i`` (one plain subscript, a number or a
        single lower- or upper-case letter), when ``x`` is not a quantity of its own."""
        if not sym.sub or len(sym.sub) != 1 or sym.label is not None or sym.prime:
            return None
        it = sym.sub[0]
        plain = (isinstance(it, ir.Number) and it.text.isdigit()) or \
            (isinstance(it, ir.Symbol) and not it.sub and len(it.base) == 1 and it.base.isalpha())
        k = names.key(sym)
        if not plain or k in self.ctx.quantities:
            return None
        return k

    def _naming_target(self, lhs: object) -> str | None:
        sym, transposed = _lhs_symbol(lhs)
        if sym is not None and not transposed:
            k = self.quantity_key(sym)
            if k in self.ctx.quantities:
                return k
        # the left side is an expression: the previous definition in the chain names it
        for st in reversed(self.ctx.statements[-3:]):
            if st.role == "definition" and st.defines in self.ctx.quantities \
                    and irutil.strip_spans(st.relation.rhs) == irutil.strip_spans(lhs):
                return st.defines
        return None

    def _fresh_name(self, f: ir.Symbol) -> bool:
        r"""``\ell_2(y)``: a subscripted name that is not an entry of anything known."""
        c = self.ctx
        return names.key(f) not in c.quantities and names.key(f) not in c.families

    def _used_before(self, sym: ir.Symbol) -> bool:
        k = names.key(sym)
        own = names.key_with_sub(sym) if sym.sub and sym.sub_text and sym.sub_text.isdigit() else None
        base = self.ctx.quantities.get(k)
        if own is not None and base is not None and base.definition is not None and _numeric(base.definition):
            # β = 0.9 for momentum, then β_1 = 0.9 for Adam: β_1 is a name of its own, not an entry of β
            return any(isinstance(n, ir.Symbol) and (names.key_with_sub(n) or names.key(n)) == own
                       for st in self.ctx.statements for n in irutil.walk(st.relation))
        for st in self.ctx.statements:
            for n in irutil.walk(st.relation):
                if isinstance(n, ir.Symbol) and names.key(n) == k:
                    return True
        return False

    def _applies_unknown_function(self, rhs: object) -> bool:
        from symcheck import functions
        if isinstance(rhs, ir.Mul) and len(rhs.factors) == 2 and rhs.ops == ("juxt",):
            f, arg = rhs.factors
            if isinstance(f, ir.Symbol) and not f.sub and f.label is None and len(f.base) == 1 \
                    and f.base.islower() and isinstance(arg, ir.Paren):
                k = names.key(f)
                inside = any(isinstance(n, ir.Symbol) and names.key(n) == k for n in irutil.walk(arg))
                return not (inside or k in self.ctx.functions or k in self.ctx.quantities
                            or k in self.ctx.families or functions.lookup(f.base))
        return False

    def _layout_grid(self, lhs: object, rhs: object) -> tuple[str, ir.Matrix] | None:
        """``dC/dW = [dC/dw_{00} … ]`` for a W the document never wrote out: the grid
        tells how W's entries are arranged, so it defines W by them."""
        if not (isinstance(lhs, ir.Deriv) and isinstance(rhs, ir.Matrix) and len(lhs.wrt) == 1):
            return None
        var = lhs.wrt[0][0]
        if not isinstance(var, ir.Symbol) or var.sub is not None:
            return None
        key = names.key(var)
        q = self.ctx.quantities.get(key)
        if q is not None and (q.grid is not None or q.definition is not None):
            return None
        rows = []
        for row in rhs.rows:
            cells = []
            for cell in row:
                if not (isinstance(cell, ir.Deriv) and len(cell.wrt) == 1
                        and irutil.strip_spans(cell.num) == irutil.strip_spans(lhs.num)):
                    return None
                w = cell.wrt[0][0]
                if not (isinstance(w, ir.Symbol) and w.sub and w.label == var.label):
                    return None
                cells.append(w)
            rows.append(tuple(cells))
        return key, ir.Matrix(tuple(rows), "layout", rhs.span)

    def _function_lhs(self, lhs: object) -> tuple[str, tuple[str, ...]] | None:
        if isinstance(lhs, (ir.Apply, ir.Mul)):
            head = lhs.func if isinstance(lhs, ir.Apply) else lhs.factors[0]
            if isinstance(head, ir.Symbol) and head.prime:
                return None  # f'(x) = … states the derivative of f; it does not define a function
        if isinstance(lhs, ir.Mul) and len(lhs.factors) == 2 and lhs.ops == ("juxt",):
            f, arg = lhs.factors
            if isinstance(f, ir.Symbol) and (not f.sub or f.sub_text) and isinstance(arg, ir.Paren) \
                    and arg.delim == "(" and (not f.sub or self._fresh_name(f)):
                params = []
                for a in arg.items:
                    if isinstance(a, ir.Symbol):
                        params.append(names.key_with_sub(a) or names.key(a))
                    elif isinstance(a, ir.Pow) and isinstance(a.base, ir.Symbol) and not a.base.sub \
                            and isinstance(a.exp, ir.Number) and a.exp.text == "2":
                        params.append(names.key(a.base))  # N(x | μ, σ²): the variance, written as a square
                    else:
                        return None
                return (names.key_with_sub(f) or names.key(f)), tuple(params)
        if isinstance(lhs, ir.Apply):
            params = []
            for a in lhs.args:
                a = a.items[0] if isinstance(a, ir.Paren) and len(a.items) == 1 else a
                if isinstance(a, ir.Symbol) and not a.sub:
                    params.append(names.key(a))
                elif isinstance(a, ir.Symbol) and a.sub_text and isinstance(lhs.func, ir.Symbol) \
                        and len(lhs.func.base) > 1 and not lhs.func.sub:
                    params.append(names.key_with_sub(a) or names.key(a))  # FL(p_t) = …: the parameter p_t
                else:
                    return None
            return names.key(lhs.func), tuple(params)
        return None

    def _underbrace_names(self, rel: ir.Relation) -> None:
        """``\\underbrace{\\tfrac12 \\|Xw - y\\|^2}_{f(w)}``: the note names what is braced, so f
        is defined by it (a function of w); a bare name (``_{r}``) is a quantity."""
        c = self.ctx
        for n in irutil.walk(rel):
            if not isinstance(n, ir.Underbrace) or n.note is None or _dims_of_note(n.note) is not None:
                continue
            fdef = self._function_lhs(n.note)
            if fdef is not None and fdef[0] not in c.functions and fdef[0] not in c.quantities \
                    and fdef[0] not in _BUILTIN_NAMES:
                c.functions[fdef[0]] = FunctionDef(fdef[0], fdef[1], n.body, n.span)
            elif isinstance(n.note, ir.Symbol) and not n.note.sub and len(n.note.base) == 1:
                k = self.quantity_key(n.note)
                q = c.quantities.setdefault(k, Quantity(k, span=n.note.span))
                if q.definition is None and q.grid is None:
                    q.definition = n.body

    def _underbrace_shapes(self, rel: ir.Relation) -> None:
        for n in irutil.walk(rel):
            if isinstance(n, ir.Underbrace) and isinstance(n.body, ir.Symbol) and n.note is not None:
                dims = _dims_of_note(n.note)
                if dims is not None:
                    k = self.quantity_key(n.body)
                    q = self.ctx.quantities.setdefault(k, Quantity(k, span=n.body.span))
                    if q.declared is None:
                        q.declared = dims

    def declare(self, sym: ir.Symbol, rows: object, cols: object) -> None:
        k = self.quantity_key(sym)
        q = self.ctx.quantities.setdefault(k, Quantity(k, span=sym.span))
        if q.declared is None:
            q.declared = (rows, cols)

    def finish(self) -> Context:
        c = self.ctx
        from symcheck import functions
        # ∇L(w) with L never defined ("let L(w) be a differentiable loss"): an unknown function
        for st in c.statements:
            for n in irutil.walk(st.relation):
                if not isinstance(n, ir.Deriv) or n.num is None:
                    continue
                num = n.num
                while isinstance(num, ir.Paren) and len(num.items) == 1 and num.delim == "(":
                    num = num.items[0]
                f = num.factors[0] if isinstance(num, ir.Mul) and len(num.factors) == 2 and num.ops == ("juxt",) \
                    and isinstance(num.factors[1], ir.Paren) and len(num.factors[1].items) == 1 else None
                if isinstance(f, ir.Symbol) and not f.sub and not f.prime and f.label is None:
                    k = names.key(f)
                    if k not in c.quantities and k not in c.families and k not in c.functions \
                            and functions.lookup(f.base) is None:
                        c.abstract_fns.add(k)
        # undefined symbols differentiated as a whole: abstract costs (ℓ)
        for st in c.statements:
            for n in irutil.walk(st.relation):
                if isinstance(n, ir.Deriv) and isinstance(n.num, ir.Symbol) and not n.num.sub:
                    k = names.key(n.num)
                    if k not in c.quantities and k not in c.families and k not in c.functions:
                        c.abstract.add(k)
        _stated_solutions(c)
        _updates_that_close_a_cycle(c)
        _finite_sets(c)
        from symcheck import costs
        outs = set(costs.outputs(c)) if c.abstract else set()
        c.__dict__.pop("outputs_cache", None)
        for st in c.statements:
            g = gradient_given(c, st.relation)
            if st.role == "claim" and st.chain_pos == 0 and g is not None and g[1] in outs:
                # "Let ∂L/∂a = (0.3, 0.7, -0.2)^T" with L never defined: the upstream gradient of
                # a worked example, a value it gives (nothing could compute it)
                st.role, st.defines = "example", f"\\partial {names.display(g[0])}/\\partial {names.display(g[1])}"
        return c


def gradient_given(c: Context, rel: ir.Relation) -> tuple[str, str] | None:
    """(cost, variable) when ``rel`` gives numbers for ∂cost/∂variable of an undefined cost."""
    lhs = unwrap(rel.lhs)
    if rel.op != "=" or not isinstance(lhs, ir.Deriv) or lhs.order != 1 or len(lhs.wrt) != 1 \
            or not isinstance(lhs.num, ir.Symbol) or lhs.num.sub or not _numeric(rel.rhs):
        return None
    var = lhs.wrt[0][0]
    if not isinstance(var, ir.Symbol) or var.sub or names.key(lhs.num) not in c.abstract:
        return None
    return names.key(lhs.num), names.key(var)


def _dims_of_note(note: object) -> tuple[object, object] | None:
    while isinstance(note, ir.Paren) and len(note.items) == 1:
        note = note.items[0]
    if isinstance(note, ir.Mul) and len(note.factors) == 2 and note.ops == ("times",):
        return note.factors[0], note.factors[1]
    return None


def _stated_solutions(c: Context) -> None:
    """ŵ := arg min_w F: where the document states the point (the next link of the row,
    or a later ``ŵ = E``), other rows read ŵ as that E; the claim itself is decided where
    it stands."""
    for k, q in sorted(c.quantities.items()):
        opt = unwrap(q.definition) if q.definition is not None else None
        if not isinstance(opt, ir.Optimum):
            continue
        for st in c.statements:
            rel = st.relation
            if st.role != "claim" or rel.op != "=" or isinstance(unwrap(rel.rhs), ir.Optimum):
                continue
            lhs = unwrap(rel.lhs)
            if lhs is opt or (isinstance(lhs, ir.Symbol) and (names.key_with_sub(lhs) or names.key(lhs)) == k):
                q.solution = rel.rhs
                break


def _updates_that_close_a_cycle(c: Context) -> None:
    """EM's M-step μ_k = (1/N_k) Σ_i γ_ik x_i after the E-step γ_ik = … μ_k …: a definition
    whose right side reaches its own name through the definitions before it is an update
    (the new value), not what the name means; the name keeps its earlier meaning."""
    def body(k: str, known: set[str]) -> object | None:
        if k not in known:
            return None
        q, f = c.quantities.get(k), c.families.get(k)
        if q is not None and q.definition is not None:
            return q.definition
        return f.body if f is not None else None

    def reaches(node: object, target: str, known: set[str]) -> bool:
        """Whether ``node`` reaches ``target`` through another definition (a recurrence
        v_t = β v_{t-1} + g_t names itself directly, and that is no cycle)."""
        seen: set[str] = {target}
        todo = [b for n in irutil.walk(node) if isinstance(n, ir.Symbol)
                for k in {names.key(n), names.key_with_sub(n) or names.key(n)} if k not in seen
                for b in [body(k, known)] if b is not None]
        while todo:
            for n in irutil.walk(todo.pop()):
                if not isinstance(n, ir.Symbol):
                    continue
                for k in {names.key(n), names.key_with_sub(n) or names.key(n)}:
                    if k == target and not re.search(r"[-+]", n.sub_text or ""):
                        return True  # (through h_{t-1} it is the step before: a recurrence, no cycle)
                    if k not in seen:
                        seen.add(k)
                        b = body(k, known)
                        if b is not None:
                            todo.append(b)
        return False

    known: set[str] = set()
    for st in c.statements:
        if st.role != "definition" or not st.defines or st.chain_pos:
            continue
        k = st.defines
        b = body(k, known | {k})
        if b is not None and b is st.relation.rhs and reaches(b, k, known):
            st.role = "update"
            q, f = c.quantities.get(k), c.families.get(k)
            if q is not None and q.definition is b:
                q.definition = None
            if f is not None and f.body is b:
                f.body = None
            continue
        known.add(k)


def _finite_sets(c: Context) -> None:
    """``y_i \\in \\{-1, +1\\}``: the labels take those values only (random trials draw them
    there); a claim such as y_i² = 1 then holds."""
    for st in c.statements:
        rel = st.relation
        if st.role != "assumption" or rel.op != "in" or not isinstance(rel.lhs, ir.Symbol):
            continue
        rhs = unwrap(rel.rhs)
        if not (isinstance(rhs, ir.Paren) and rhs.delim == "{" and len(rhs.items) >= 2):
            continue
        values = []
        for item in rhs.items:
            while isinstance(item, ir.Add) and len(item.terms) == 1 and item.terms[0][0] == 1:
                item = item.terms[0][1]
            sign = -1 if isinstance(item, ir.Neg) else 1
            bare = item.arg if isinstance(item, ir.Neg) else item
            if not isinstance(bare, ir.Number) or not re.fullmatch(r"\d+", bare.text):
                break
            values.append(sign * int(bare.text))
        else:
            c.finite.setdefault(names.key(rel.lhs), tuple(values))


def _squared_params(lhs: object) -> tuple[str, ...]:
    """The parameters ``N(x | μ, σ²)`` writes squared: σ is the root of the argument given."""
    if not (isinstance(lhs, ir.Mul) and len(lhs.factors) == 2 and isinstance(lhs.factors[1], ir.Paren)):
        return ()
    return tuple(names.key(a.base) for a in lhs.factors[1].items
                 if isinstance(a, ir.Pow) and isinstance(a.base, ir.Symbol) and not a.base.sub
                 and isinstance(a.exp, ir.Number) and a.exp.text == "2")
