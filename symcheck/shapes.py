"""Shapes of the document's quantities, inferred from everything it says.

Grids fix shapes outright; declarations (``W \\in \\mathbb R^{m\\times n}``,
underbraces, prose) name them; products and sums propagate them (``U^T = W X^T``
tells that X has as many columns as W).  Dimensions are integers, size names the
document uses (``s_out``, ``n``), or fresh names (``rows(X)``) for sizes it leaves
unnamed.  Unification is a small union-find; a clash is not fatal here — the
relation that causes it is refuted later, with its own location.
"""
from __future__ import annotations

import copy

from symcheck import irutil, names
from symcheck.context import Context, _numeric, unwrap
from symcheck.latex import ir

Dim = object  # int | str
Shape = object  # tuple[Dim, Dim] | None (scalar) | PENDING


class _Pending:
    """A shape that depends on a quantity not yet shaped (try again next pass)."""

    def __repr__(self) -> str:
        return "PENDING"


PENDING = _Pending()


class _UF:
    def __init__(self) -> None:
        self.parent: dict[object, object] = {}

    def find(self, x: object) -> object:
        if isinstance(x, int):
            return x
        p = self.parent.get(x, x)
        if p == x:
            return x
        r = self.find(p)
        self.parent[x] = r
        return r

    def union(self, a: object, b: object) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if isinstance(ra, int) and isinstance(rb, int):
            return  # a clash: reported when the relation is decided
        if isinstance(ra, int):
            ra, rb = rb, ra
        # keep a readable name as the representative: ints, then document names
        if isinstance(rb, str) and isinstance(ra, str) and ra[:5] in ("rows(", "cols(") \
                and rb[:5] not in ("rows(", "cols("):
            self.parent[ra] = rb
        elif isinstance(rb, str) and isinstance(ra, str) and rb[:5] in ("rows(", "cols(") \
                and ra[:5] not in ("rows(", "cols("):
            self.parent[rb] = ra
        else:
            self.parent[ra] = rb


# Greek letters notes use for scalars (rates, penalties, variances) and for vectors
_SCALAR_GREEK = frozenset({"lambda", "eta", "alpha", "gamma", "epsilon", "varepsilon", "sigma", "tau", "rho",
                           "kappa", "nu", "pi", "omega", "phi", "psi", "chi", "zeta", "iota", "ell"})
_VECTOR_GREEK = frozenset({"beta", "theta", "mu", "xi", "delta"})


def _number_list(node: object) -> int | None:
    """The length of ``(0.3, 0, -0.2)``: a parenthesised list of two or more plain numbers."""
    if not (isinstance(node, ir.Paren) and node.delim in ("(", "[") and len(node.items) > 1):
        return None
    for it in node.items:
        while isinstance(it, ir.Neg):
            it = it.arg
        if not isinstance(it, (ir.Number, ir.Frac)) or (isinstance(it, ir.Frac) and not (
                isinstance(it.num, ir.Number) and isinstance(it.den, ir.Number))):
            return None
    return len(node.items)


def dim_of(node: object) -> Dim | None:
    node = unwrap(node)
    if isinstance(node, int):
        return node
    if isinstance(node, ir.Number) and node.text.isdigit():
        return int(node.text)
    if isinstance(node, ir.Symbol):
        k = names.key_with_sub(node) or names.key(node)
        return k
    return None


def _scalar_usage(ctx: Context) -> set[str]:
    out: set[str] = set()
    for st in ctx.statements:
        for n in irutil.walk(st.relation):
            if isinstance(n, ir.Frac) and isinstance(n.den, ir.Symbol):
                out.add(names.key(n.den))
            if isinstance(n, ir.Sum):
                for b in (n.lower, n.upper):
                    for s in irutil.symbols(b) if b is not None else []:
                        out.add(names.key_with_sub(s) or names.key(s))
            if isinstance(n, ir.Symbol) and n.sub:
                for s in n.sub:
                    for t in irutil.symbols(s):
                        out.add(names.key(t))
    return out


class ShapeInference:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.uf = _UF()
        self.shape: dict[str, tuple[Dim, Dim]] = {}
        self.scalars = _scalar_usage(ctx)
        self.constants: dict[int, tuple[Dim, Dim]] = {}  # each I, 1, 0 by source offset
        self.family_vec: dict[str, Dim] = {}  # x_i that are vectors: their length
        self.collected: dict[str, Dim] = {}  # p used bare beside vectors, where p_i = … is defined
        self._visiting: set[str] = set()  # definitions being sized, against a cycle

    def run(self) -> None:
        c = self.ctx
        for q in c.quantities.values():
            if q.declared is not None:
                r, k = (dim_of(d) for d in q.declared)
                self._set(q.key, (r if r is not None else f"rows({q.key})",
                                  k if k is not None else f"cols({q.key})"))
        for fk, mk in sorted(c.columns_of.items()):
            if mk in self.shape and fk not in self.shape:
                self.family_vec[fk] = self.shape[mk][0]  # the columns u_j of U ∈ R^{n×d}: n entries each
        for fk, mk in sorted(c.rows_of.items()):
            if mk in self.shape and fk not in self.shape:
                self.family_vec[fk] = self.shape[mk][1]  # the rows x_i^T of X ∈ R^{n×d}: d entries each
        for fk, d in sorted(c.family_dims.items()):
            n = dim_of(d)
            if n is not None and n != 1 and fk not in self.shape:
                self.family_vec[fk] = n
        for _ in range(3):
            for q in c.quantities.values():
                if q.grid is not None and q.key not in self.shape:
                    g = self.grid_shape(q.grid)
                    if g is not None:
                        self._set(q.key, g)
            for q in c.quantities.values():
                if q.definition is not None:
                    s = self.of(q.definition)
                    if s is not None and s is not PENDING:
                        if q.transposed_def:
                            s = (s[1], s[0])
                        self._set(q.key, s)
            for fd in c.functions.values():
                self.of(fd.body)  # f(x) = ½ x^T A x - b^T x: x is a vector
            for st in c.statements:
                rel = st.relation
                # claims are checked against shapes, never used to infer them: a
                # wrong claim must not bend the shapes it is judged by
                if st.role == "definition" and rel.op == "=":
                    a, b = self.of(rel.lhs), self.of(rel.rhs)
                    if isinstance(a, tuple) and isinstance(b, tuple):
                        self.uf.union(a[0], b[0])
                        self.uf.union(a[1], b[1])
        self._index_ranges()
        self._leaves_from_claims()
        self._index_ranges()  # the vectors claims have sized (p - y) too
        for start, (r, cc) in sorted(self.constants.items()):
            c.constant_dims.setdefault(start, (self.uf.find(r), self.uf.find(cc)))
        for k, n in sorted(self.collected.items()):
            c.collected[k] = (self.uf.find(n[0]), self.uf.find(n[1])) if isinstance(n, tuple) else self.uf.find(n)
        for k, n in sorted(self.family_vec.items()):
            # the samples x_i of a data matrix X are its rows (X has rows x_i^T)
            cap = c.rows_of.get(k, k[:1].upper() + k[1:])
            link = cap if cap in self.shape and self.uf.find(self.shape[cap][1]) == self.uf.find(n) else None
            c.family_vectors[k] = (self.uf.find(n), link)
        for k, (r, cc) in self.shape.items():
            c.shapes[k] = (self.uf.find(r), self.uf.find(cc))
        for r, cc in c.shapes.values():
            for d in (r, cc):
                if isinstance(d, str):
                    c.size_symbols.add(d)
        for n, _ in c.family_vectors.values():
            if isinstance(n, str):  # "x_1, …, x_n ∈ R^d" and no matrix of size d: d is still a size
                c.size_symbols.add(n)

    def _leaves_from_claims(self) -> None:
        """Matrices that appear only in claims (``(AB)^{-1} = B^{-1}A^{-1}``) still are
        matrices: they get shapes from how the claims use them.  This runs on a copy
        of the unification, so a wrong claim can shape only what nothing else shapes,
        never bend a shape the document fixed."""
        known = set(self.shape)
        saved = copy.deepcopy(self.uf.parent)
        for st in self.ctx.statements:
            if st.role != "claim" or st.relation.op not in ("=", "approx") or _numeric(st.relation.rhs):
                continue  # worked examples with numbers say nothing about the general shapes
            self._join_sides(self.of(st.relation.lhs), self.of(st.relation.rhs))
        fresh = {k: (self.uf.find(r), self.uf.find(c)) for k, (r, c) in self.shape.items() if k not in known}
        self.uf.parent = saved
        for k, shp in fresh.items():
            self.shape[k] = shp
        self.ctx.claim_shaped.update(fresh)
        self._constants_per_statement()

    def _join_sides(self, a: Shape, b: Shape) -> None:
        """The two sides of a claim have one shape: a size neither side fixes (the rows
        of an I, of a matrix only claims use) is joined to the other side's.  Two sizes
        the document fixed (d and 1, n and d) stay apart: a claim, right or wrong, does
        not equate them."""
        if isinstance(a, tuple) and isinstance(b, tuple):
            for x, y in zip(a, b):
                if self._fresh(x) or self._fresh(y):
                    self.uf.union(x, y)

    def _plain_arithmetic(self, node: object) -> bool:
        """Numbers and names joined by + - × / and powers, no function, family or constant:
        what such a definition gives is a scalar when every name in it is one."""
        c = self.ctx
        for n in irutil.walk(node):
            if isinstance(n, ir.Symbol):
                k = names.key(n)
                if k in c.functions or k in c.families or c.constant(n) is not None:
                    return False
            elif not isinstance(n, (ir.Number, ir.Add, ir.Neg, ir.Mul, ir.Frac, ir.Pow)) and \
                    not (isinstance(n, ir.Paren) and n.delim == "(" and len(n.items) == 1):
                return False
        return True

    def _constants_per_statement(self) -> None:
        """An I or a 1 outside a definition takes its size from its own relation alone,
        each on a fresh copy of the unification (another claim, right or wrong, has
        no say in it)."""
        for st in self.ctx.statements:
            if st.role == "definition" or st.relation.op not in ("=", "approx"):
                continue
            consts = [n.span.start for n in irutil.walk(st.relation)
                      if isinstance(n, ir.Symbol) and n.span is not None and self.ctx.constant(n) is not None]
            if not consts:
                continue
            saved = copy.deepcopy(self.uf.parent)
            self._join_sides(self.of(st.relation.lhs), self.of(st.relation.rhs))
            for start in consts:
                if start in self.constants:
                    r, c = self.constants[start]
                    self.ctx.constant_dims[start] = (self.uf.find(r), self.uf.find(c))
            self.uf.parent = saved

    def _candidate(self, node: object) -> str | None:
        """A plain lower-case letter nothing has shaped or called a scalar: notes write
        vectors that way (``W x``, ``x^T w``); the product it stands in can tell."""
        node = unwrap(node)
        if not isinstance(node, ir.Symbol) or node.sub or node.prime or node.accent or node.style:
            return None
        if not (node.base.isalpha() and node.base.islower()) or node.base in _SCALAR_GREEK \
                or (len(node.base) > 1 and node.base not in _VECTOR_GREEK):
            return None
        k = names.key(node)
        c = self.ctx
        if k in self.shape or k in self.scalars or k in c.families or k in c.functions or k in c.abstract \
                or k in c.size_symbols or k in c.doc_sizes or k in ("e", "i", "j", "k", "d", "t"):
            return None
        q = c.quantities.get(k)
        if q is not None and (q.definition is not None or q.grid is not None or q.declared is not None):
            return None
        return k

    def _fresh(self, d: object) -> bool:
        r = self.uf.find(d)
        return isinstance(r, str) and r[:5] in ("rows(", "cols(")

    def _vector_len(self, key: str) -> object | None:
        if key in self.shape:
            r, cc = self.shape[key]
            return r if self.uf.find(cc) == 1 else cc if self.uf.find(r) == 1 else None
        got = self.collected.get(key)
        return None if got is None or isinstance(got, tuple) else got

    def _index_ranges(self) -> None:
        """What an index runs over sizes the vectors it picks entries from.  In a definition,
        ``\\sum_{i=1}^{K} y_i`` gives y K entries, and ``p_i = e^{z_i}/…`` gives the vector of the
        p_i as many entries as z.  Only sizes the document never named are joined this way
        (two named sizes stay apart, and claims never bend shapes)."""
        def join(key: str, n: object) -> None:
            have = self._vector_len(key)
            if have is not None and n is not None and (self._fresh(have) or self._fresh(n)):
                self.uf.union(have, n)

        def picks(body: object, index: str) -> list[str]:
            return [names.key(t) for t in irutil.walk(body) if isinstance(t, ir.Symbol) and t.sub and len(t.sub) == 1
                    and isinstance(t.sub[0], ir.Symbol) and names.key(t.sub[0]) == index]

        c = self.ctx
        for st in c.statements:
            if st.role != "definition":
                continue
            for n in irutil.walk(st.relation):
                if isinstance(n, ir.Sum) and n.index is not None and n.upper is not None and n.over is None \
                        and isinstance(n.lower, ir.Number) and n.lower.text == "1":
                    size = dim_of(n.upper)
                    for k in picks(n.body, names.key(n.index)):
                        join(k, size)
        for fk, fam in sorted(c.families.items()):
            if len(fam.params) != 1 or fam.body is None:
                continue
            if self._vector_len(fk) is None and fk not in self.shape and fk not in c.quantities:
                # p_i = e^{z_i}/Σ_k e^{z_k} with z ∈ R^K: a bare p is the vector of the K entries p_i
                lengths = [self._vector_len(k) for k in picks(fam.body, fam.params[0]) if k != fk]
                if any(n is not None for n in lengths):
                    self.collected[fk] = next(n for n in lengths if n is not None)
                continue
            for k in picks(fam.body, fam.params[0]):
                if k != fk:
                    join(k, self._vector_len(fk))

    def _collected(self, node: object, arity: int = 1) -> bool:
        """A bare p where the document defines p_i = … (or P_{ik} = …, arity 2): the
        vector (matrix) of its entries."""
        node = unwrap(node)
        if not isinstance(node, ir.Symbol) or node.sub or node.prime:
            return False
        k = names.key(node)
        f = self.ctx.families.get(k)
        return f is not None and f.body is not None and len(f.params) == arity and k not in self.shape \
            and k not in self.ctx.quantities and k not in self.collected

    def _entrywise(self, facs: list[object]) -> None:
        """y ⊘ p, a ⊙ b: every factor has the shape of the vector among them; a bare name
        whose entries y_i the document uses, or a plain letter, takes it."""
        shapes = [self.of(f) for f in facs]
        vec = next((s for s in shapes if isinstance(s, tuple)), None)
        if vec is None:
            return
        for f, s in zip(facs, shapes):
            node = unwrap(f)
            while isinstance(node, ir.Neg):
                node = unwrap(node.arg)
            if s is not None or not isinstance(node, ir.Symbol) or node.sub or node.prime:
                continue
            k = names.key(node)
            fam = self.ctx.families.get(k)
            if self._candidate(node) is not None or (
                    fam is not None and fam.body is None and fam.names_entries_of is None
                    and k not in self.shape and k not in self.ctx.quantities and k not in self.scalars):
                self.shape[k] = vec

    def _family_candidate(self, node: object) -> str | None:
        """x_i (one index letter) whose name nothing shapes or defines entry by entry."""
        node = unwrap(node)
        if not isinstance(node, ir.Symbol) or not node.sub or len(node.sub) != 1 or node.prime \
                or node.accent or node.label is not None:
            return None
        i = node.sub[0]
        if not (isinstance(i, ir.Symbol) and not i.sub and len(i.base) == 1 and i.base.islower()):
            return None
        if not (node.base.isalpha() and node.base.islower() and len(node.base) == 1):
            return None
        k = names.key(node)
        f = self.ctx.families.get(k)
        if k in self.shape or k in self.ctx.quantities or k in self.ctx.functions or \
                (f is not None and (f.body is not None or f.names_entries_of is not None)):
            return None
        return k

    def _vector_from_product(self, f: object, cur: Shape, nxt: object) -> Shape:
        """``W x`` (x right of a matrix) and ``x^T A`` (x^T left of one) make x a column."""
        transposed = isinstance(unwrap(f), ir.Transpose)
        inner = unwrap(f).arg if transposed else f  # type: ignore[union-attr]
        fk = self._family_candidate(inner)
        if fk is not None:  # x_i^T w: the x_i are vectors as long as w
            other = self.of(nxt) if transposed and cur is None and nxt is not None else cur
            if isinstance(other, tuple):
                n = other[0] if transposed else other[1]
                if self.uf.find(n) != 1:
                    self.family_vec[fk] = n
                    return (1, n) if transposed else (n, 1)
            return None
        k = self._candidate(inner)
        if k is None:
            return None
        if not transposed and isinstance(cur, tuple) and self.uf.find(cur[1]) != 1:
            self.shape[k] = (cur[1], 1)
            return self.shape[k]
        if transposed and cur is None and nxt is not None:
            s = self.of(nxt)
            if isinstance(s, tuple) and self.uf.find(s[0]) != 1:
                self.shape[k] = (s[0], 1)
                return (1, s[0])
        return None

    def _constant(self, node: ir.Symbol, kind: str) -> tuple[Dim, Dim]:
        """I, 1 and 0 have one size per occurrence: ``λI`` beside ``XᵀX`` is d×d, and
        the next ``I`` may be n×n.  A subscript (``I_n``, ``\\mathbf 1_K``) fixes it."""
        start = node.span.start if node.span is not None else -1
        if start in self.constants:
            return self.constants[start]
        given = dim_of(node.sub[0]) if node.sub else None
        k = names.key_with_sub(node) or names.key(node)
        if k in self.shape and not node.sub:  # "1 ∈ R^d": every 1 has that size
            self.constants[start] = self.shape[k]
            return self.shape[k]
        if kind == "identity":
            d = given if given is not None else f"rows(I@{start})"
            shp: tuple[Dim, Dim] = (d, d)
        elif kind == "ones" or given is not None:
            shp = (given if given is not None else f"rows(1@{start})", 1)
        else:
            shp = (f"rows(0@{start})", f"cols(0@{start})")
        self.constants[start] = shp
        return shp

    def _set(self, key: str, s: tuple[Dim, Dim]) -> None:
        if key in self.shape:
            old = self.shape[key]
            self.uf.union(old[0], s[0])
            self.uf.union(old[1], s[1])
        else:
            self.shape[key] = s

    def grid_shape(self, m: ir.Matrix) -> tuple[Dim, Dim] | None:
        rows = [r for r in m.rows]
        if m.env == "binom":
            return (len(rows), 1)
        nrows: Dim = len(rows)
        vd = [i for i, r in enumerate(rows) if all(isinstance(c, ir.Ellipsis) for c in r)]
        if vd:
            nrows = _count_between(rows[0][0], rows[-1][0], axis=0)
        first = [c for c in rows[0]]
        if any(isinstance(c, ir.Ellipsis) for c in first):
            ncols: Dim = _count_between(first[0], first[-1], axis=1)
        else:
            widths: list[Dim] = []
            for cell in first:
                if self._pending(cell):
                    return None  # a block whose shape is not known yet
                s = self.of(cell)
                if s is PENDING:
                    return None
                widths.append(1 if s is None else s[1])  # type: ignore[index]
            ncols = _dim_sum(widths)
            heights = [self.of(cell) for cell in first]
            mats = [h for h in heights if isinstance(h, tuple)]
            if mats and not vd:
                if len(rows) == 1:
                    nrows = mats[0][0]
        return (nrows, ncols)

    def _pending(self, cell: object) -> bool:
        if isinstance(cell, ir.Symbol):
            k = names.key_with_sub(cell) if names.key_with_sub(cell) in self.ctx.quantities else names.key(cell)
            return k in self.ctx.quantities and k not in self.shape and cell.sub is None \
                or (k != names.key(cell) and k not in self.shape)
        return False

    def of(self, node: object) -> Shape:
        """Shape of an expression, or None for a scalar or an unknown."""
        node = unwrap(node)
        c = self.ctx
        if isinstance(node, ir.Symbol) and c.constant(node) is not None:
            return self._constant(node, c.constant(node))
        if isinstance(node, ir.Symbol) and not node.sub and names.key(node) in self.collected:
            got = self.collected[names.key(node)]
            return got if isinstance(got, tuple) else (got, 1)  # type: ignore[return-value]
        if isinstance(node, ir.Symbol) and node.sub and len(node.sub) == 1 and names.key(node) in self.family_vec:
            return (self.family_vec[names.key(node)], 1)
        if isinstance(node, ir.Symbol) and names.key(node) in self.shape and c.is_iterate(node):
            return self.shape[names.key(node)]  # x_k, x_{k+1} of an iteration x_{k+1} = F(x_k): an x
        if isinstance(node, ir.Symbol):
            if node.sub and names.key(node) in self.shape and \
                    (names.key_with_sub(node) not in self.shape):
                return None
            k = names.key_with_sub(node) if names.key_with_sub(node) in self.shape else names.key(node)
            if k in self.shape:
                return self.shape[k]
            if node.sub:
                return None
            if k in self.scalars or k in c.families or k in c.functions or k in c.abstract:
                return None
            if k in c.quantities and (c.quantities[k].definition is not None
                                      or c.quantities[k].grid is not None):
                if c.quantities[k].grid is None and k not in self._visiting \
                        and self._plain_arithmetic(c.quantities[k].definition):
                    # α = 2/(λ_min + λ_max): a quantity defined by a scalar is a scalar
                    self._visiting.add(k)
                    try:
                        if self.of(c.quantities[k].definition) is None:
                            return None
                    finally:
                        self._visiting.discard(k)
                return PENDING  # resolved on a later pass
            if node.style == "bold" or node.accent == "vec" or (len(node.base) == 1 and node.base.isupper()):
                # a bold or arrowed lower-case letter is a column vector; a capital, a matrix
                column = node.base[:1].islower() or node.accent == "vec"
                s = (f"rows({k})", 1 if column else f"cols({k})")
                self.shape[k] = s
                return s
            return None
        if isinstance(node, ir.Differential):
            return self.of(node.arg)  # dX is shaped like X
        if isinstance(node, ir.Entry):
            self.of(node.arg)  # ‖y - X w‖_2, (AB)_{ij}: a scalar, but what is inside still gets its shapes
            return None
        if isinstance(node, ir.Apply) and node.func.base == "diag" and len(node.args) == 1 and not node.func.prime:
            a = self.of(node.args[0])
            if isinstance(a, tuple):  # diag(g) of a vector: square; diag(A) of a square matrix: its diagonal
                if self.uf.find(a[1]) == 1:
                    return (a[0], a[0])
                if self.uf.find(a[0]) == 1:
                    return (a[1], a[1])
                return (a[0], 1)
            return a
        if isinstance(node, ir.Apply) and node.func.base == "diag" and len(node.args) > 1 and not node.func.prime:
            # diag(d_1, …, d_d) and diag(3, 1): square, one row per entry listed
            if any(isinstance(a, ir.Ellipsis) for a in node.args):
                # diag(p_1(1 - p_1), …, p_n(1 - p_n)): counted by the subscripts that run
                first, last = (next((x for x in irutil.walk(a) if isinstance(x, ir.Symbol) and x.sub), a)
                               for a in (node.args[0], node.args[-1]))
                n: Dim = _count_between(first, last, axis=0)
                if isinstance(n, str) and n.startswith("len"):
                    n = f"rows(diag@{node.span.start})"  # not read off: left for the rest to fix
            else:
                n = len(node.args)
            return (n, n)
        if isinstance(node, ir.Optimum):
            self.of(node.body)  # ‖y - X w‖²: what it minimises sizes the variable
            var = node.var.lhs if isinstance(node.var, ir.Relation) else node.var
            return None if var is None else self.of(var)  # the point has the variable's shape
        if isinstance(node, ir.Transpose) and _number_list(node.arg) is not None:
            return (_number_list(node.arg), 1)
        if isinstance(node, ir.Transpose):
            s = self.of(node.arg)
            return s if s is None or s is PENDING else (s[1], s[0])  # type: ignore[index]
        if isinstance(node, ir.Paren) and node.delim in ("|", "||"):
            for item in node.items:
                self.of(item)  # what is inside still sizes its vectors and its 1s
            return None  # a norm, an absolute value or a determinant is a scalar
        if isinstance(node, ir.Paren) and len(node.items) == 1:
            return self.of(node.items[0])
        column = _number_list(node)
        if column is not None:
            return (column, 1)  # (1, 2, 3) and (1, 2, 3)^T: a column of numbers, as lowering reads them
        if isinstance(node, (ir.Neg,)):
            return self.of(node.arg)
        if isinstance(node, ir.Add):
            terms = [t for _, t in node.terms if not isinstance(t, ir.Ellipsis)]
            shapes = [self.of(t) for t in terms]
            if any(s is PENDING for s in shapes):
                return PENDING
            vec = next((sh for sh in shapes if sh is not None and 1 in (self.uf.find(sh[0]), self.uf.find(sh[1]))
                        and sh != (1, 1)), None)
            if vec is not None:  # W x + b: the b added to a vector is a vector like it
                for t in terms:
                    k = self._candidate(t)
                    if k is not None:
                        self.shape[k] = vec
                    elif self._collected(t) and self.uf.find(vec[1]) == 1:
                        self.collected[names.key(unwrap(t))] = vec[0]  # p - y: the p_i collected in p
                shapes = [self.of(t) for t in terms]
            mat = next((sh for sh in shapes if isinstance(sh, tuple)), None)
            if mat is not None:  # P - Y with P_{ik} = … defined entry by entry: the matrix of the P_{ik}
                for t in terms:
                    if self._collected(t, 2):
                        self.collected[names.key(unwrap(t))] = mat  # type: ignore[assignment]
                shapes = [self.of(t) for t in terms]
            mats = [s for s in shapes if s is not None]
            for s in mats[1:]:
                self.uf.union(mats[0][0], s[0])
                self.uf.union(mats[0][1], s[1])
            return mats[0] if mats else None
        if isinstance(node, ir.Mul):
            # λ_max(XᵀX): an eigenvalue, a scalar; what is inside still gets its shapes
            pairs = list(zip(node.factors, node.factors[1:]))
            applied = {k for k, (f, g) in enumerate(pairs) if names.is_extreme_eigenvalue(f) and isinstance(g, ir.Paren)}
            if applied:
                rest = [f for k, f in enumerate(node.factors) if k not in applied and k - 1 not in applied]
                for k in applied:
                    self.of(node.factors[k + 1])
                if len(rest) > 1:
                    return self.of(ir.Mul(tuple(rest), ("juxt",) * (len(rest) - 1), node.span))
                return self.of(rest[0]) if rest else None
        if isinstance(node, ir.Mul):
            if node.ops and all(op in ("odot", "oslash") for op in node.ops):
                self._entrywise(list(node.factors))
            cur: Shape = None
            facs = list(node.factors)
            for i, (op, f) in enumerate(zip(("juxt",) + node.ops, facs)):
                s = self.of(f)
                if s is PENDING:
                    return PENDING
                if s is None and op in ("juxt", "cdot"):
                    s = self._vector_from_product(f, cur, facs[i + 1] if i + 1 < len(facs) else None)
                if s is None:
                    continue
                if cur is None:
                    cur = s
                elif op in ("odot", "oslash"):
                    self.uf.union(cur[0], s[0])
                    self.uf.union(cur[1], s[1])
                else:
                    if self.uf.find(cur[1]) == 1 and self.uf.find(cur[0]) == 1:
                        cur = s
                        continue
                    if self.uf.find(s[0]) == 1 and self.uf.find(s[1]) == 1:
                        continue
                    self.uf.union(cur[1], s[0])
                    cur = (cur[0], s[1])
            return cur
        if isinstance(node, ir.Frac):
            return self.of(node.num)
        if isinstance(node, ir.Pow):
            b = self.of(node.base)
            if isinstance(b, tuple) and 1 not in (self.uf.find(b[0]), self.uf.find(b[1])):
                # a power or an inverse of a matrix: square (a vector's "power", w^0 or
                # (u - v)^2 written loosely, says nothing about its length)
                self.uf.union(b[0], b[1])
            return b
        if isinstance(node, ir.Matrix) and node.env in ("vmatrix", "Vmatrix"):
            return None  # a determinant written with bars
        if isinstance(node, ir.Matrix):
            g = self.grid_shape(node)
            return PENDING if g is None else g
        if isinstance(node, ir.Apply):
            if node.func.base in ("det", "tr", "trace", "Tr"):
                a = self.of(node.args[0]) if node.args else None
                if isinstance(a, tuple):
                    self.uf.union(a[0], a[1])
                return None if a is not PENDING else PENDING
            if node.func.base in ("max", "min"):
                return None
            fd = c.functions.get(names.key(node.func))
            if fd is not None:  # the document's own function: the shape of its body
                return self.of(fd.body)
            return self.of(node.args[0]) if node.args else None
        if isinstance(node, ir.Deriv):
            num = unwrap(node.num) if node.num is not None else None
            if node.kind == "nabla" and not node.wrt and node.order == 1 and isinstance(num, ir.Mul) \
                    and len(num.factors) == 2 and isinstance(num.factors[0], ir.Symbol) \
                    and names.key(num.factors[0]) in c.functions and isinstance(num.factors[1], ir.Paren) \
                    and len(num.factors[1].items) == 1:
                arg = num.factors[1].items[0]
                got = self.of(arg)  # ∇f(w) of a scalar f: shaped like w
                return PENDING if got is None and self._candidate(arg) is not None else got
            if node.num is None or len(node.wrt) != 1:
                return None
            var = node.wrt[0][0]
            ns, vs = self.of(node.num), self.of(var)
            if ns is PENDING or vs is PENDING:
                return PENDING
            if vs is None:
                return ns
            if ns is None:
                return vs
            if self.uf.find(ns[1]) == 1 and self.uf.find(vs[1]) == 1:
                return (vs[0], ns[0])
            return None
        if isinstance(node, ir.Sum):
            return None if node.index is None else self.of(node.body)
        return None


def _count_between(first: object, last: object, axis: int) -> Dim:
    """Length of a run from ``first`` to ``last`` read off the subscript that changes."""
    if isinstance(first, ir.Symbol) and isinstance(last, ir.Symbol) and first.sub and last.sub \
            and len(first.sub) == len(last.sub):
        for a, b in zip(first.sub, last.sub):
            da, db = dim_of(a), dim_of(b)
            if da == db:
                continue
            if isinstance(da, int) and isinstance(db, int):
                return db - da + 1
            if isinstance(db, str) and da == 1:
                return db
            if isinstance(db, str) and da == 0:
                return f"{db}+1"
    return f"len{axis}"


def _dim_sum(ds: list[Dim]) -> Dim:
    if all(isinstance(d, int) for d in ds):
        return sum(ds)  # type: ignore[arg-type]
    return "+".join(str(d) for d in ds)


def infer(ctx: Context) -> None:
    ShapeInference(ctx).run()
