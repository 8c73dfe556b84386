"""Free indices of a relation and the values they range over.

``z_i^{pred} = v_0 + v_1 y_{i1} + v_2 y_{i2}`` holds *for every i*; the range of i
is read from where it is used: the rows of z^{pred}, the rows of the grid that names
y.  A relation is decided at every index value when there are few, never at a
sample passed off as all.
"""
from __future__ import annotations

from symcheck import irutil, names
from symcheck.context import Context
from symcheck.latex import ir
from symcheck.lower import LowerError, Lowerer


def free_letters(node: object, bound: frozenset[str] = frozenset(), out: list[str] | None = None,
                 sizes: set[str] | None = None, labels: frozenset[str] = frozenset()) -> list[str]:
    """Single-letter indices used in subscripts (and case conditions) outside any
    sum that binds them, in order of first use.  ``labels``: subscripted names that are
    names of their own (a function R_{en}), whose subscript letters index nothing."""
    out = [] if out is None else out
    sizes = sizes or set()
    if isinstance(node, ir.Sum):
        for b in (node.lower, node.upper):
            if b is not None:
                free_letters(b, bound, out, sizes, labels)
        inner = bound | ({node.index.base} if node.index is not None else set())
        free_letters(node.body, frozenset(inner), out, sizes, labels)
        return out
    if isinstance(node, ir.Symbol) and node.sub and labels and names.key_with_sub(node) in labels:
        return out
    if isinstance(node, ir.Symbol) and node.sub:
        letters = [s for it in node.sub for s in irutil.symbols(it)]
        if letters and all(len(s.base) > 1 or (s.base.isupper() and s.base not in sizes) for s in letters):
            return out  # L_{CE}, λ_{max}: a label, not an index
        for it in node.sub:
            for s in irutil.symbols(it):
                if not s.sub and len(s.base) == 1 and s.base not in bound and s.base not in sizes \
                        and s.base not in out and s.style != "label":
                    out.append(s.base)
        return out
    if isinstance(node, ir.Cases):
        # a letter in a condition is an index only where it also indexes something
        # (δ_{ij}: 1 if i = j); in "1 if z > 0" z is a variable
        subscripted = {t.base for n in irutil.walk(node) if isinstance(n, ir.Symbol) and n.sub
                       for it in n.sub for t in irutil.symbols(it)}
        for value, cond in node.rows:
            free_letters(value, bound, out, sizes, labels)
            if isinstance(cond, ir.Relation):
                for s in irutil.symbols(cond):
                    if not s.sub and len(s.base) == 1 and s.base not in bound and s.base not in out \
                            and s.base not in sizes and s.base in subscripted:
                        out.append(s.base)
        return out
    for ch in irutil.children(node):
        free_letters(ch, bound, out, sizes, labels)
    return out


class RangeFinder:
    def __init__(self, ctx: Context, low: Lowerer) -> None:
        self.ctx = ctx
        self.low = low
        self._fam_cache: dict[str, list[tuple[int, ...]]] = {}

    def family_indices(self, key: str) -> list[tuple[int, ...]]:
        """Index tuples of a family's members that appear in the document's grids."""
        if key in self._fam_cache:
            return self._fam_cache[key]
        out: list[tuple[int, ...]] = []
        grids = [q.grid for q in self.ctx.quantities.values() if q.grid is not None]
        grids += [f.grid for f in self.ctx.families.values() if f.grid is not None]
        for g in grids:
            try:
                rows = self.low.expand_grid(g)  # type: ignore[arg-type]
            except LowerError:
                continue
            for row in rows:
                for cell in row:
                    for s in irutil.symbols(cell):
                        if s.sub and names.key(s) == key:
                            try:
                                out.append(tuple(self.low.index_value(x) for x in s.sub))
                            except LowerError:
                                pass
        self._fam_cache[key] = out
        return out

    def range_of(self, letter: str, node: object, depth: int = 0) -> set[int] | None:
        """Values ``letter`` can take wherever it indexes something in ``node``."""
        found: set[int] | None = None
        for s in irutil.symbols(node):
            if not s.sub:
                continue
            for pos, it in enumerate(s.sub):
                if not (isinstance(it, ir.Symbol) and it.base == letter and not it.sub):
                    continue
                r = self._position_range(s, pos, depth)
                if r is not None:
                    found = r if found is None else found & r
        return found

    def _position_range(self, s: ir.Symbol, pos: int, depth: int) -> set[int] | None:
        c = self.ctx
        k = names.key(s)
        if k in c.quantities and k in c.shapes:
            q = c.quantities[k]
            if q.grid is not None and q.self_named:
                vals = {t[pos] for t in self.family_indices(k) if len(t) == len(s.sub or ())}
                return vals or None
            try:
                r, cc = (self.low.dim(d) for d in c.shapes[k])
            except LowerError:
                return None
            n = len(s.sub or ())
            if n == 1:
                return set(range(1, max(r, cc) + 1))
            return set(range(1, (r if pos == 0 else cc) + 1))
        if k in c.families:
            f = c.families[k]
            if f.body is not None and depth < 4 and pos < len(f.params):
                return self.range_of(f.params[pos], f.body, depth + 1)
        vals = {t[pos] for t in self.family_indices(k) if len(t) == len(s.sub or ())}
        return vals or self._summed_range(k, pos, len(s.sub or ()))

    def _summed_range(self, k: str, pos: int, arity: int) -> set[int] | None:
        """x_j with j free, where the document sums x_i for i = 1..m: j ranges there too."""
        for st in self.ctx.statements:
            for n in irutil.walk(st.relation):
                if not (isinstance(n, ir.Sum) and n.index is not None and n.lower is not None
                        and n.upper is not None):
                    continue
                letter = n.index.base
                used = any(isinstance(x, ir.Symbol) and names.key(x) == k and x.sub and len(x.sub) == arity
                           and isinstance(x.sub[pos], ir.Symbol) and x.sub[pos].base == letter
                           for x in irutil.walk(n.body))
                if not used:
                    continue
                try:
                    lo, hi = self.low.index_value(n.lower), self.low.index_value(n.upper)
                except LowerError:
                    continue
                if 0 <= hi - lo < 64:
                    return set(range(lo, hi + 1))
        return None
