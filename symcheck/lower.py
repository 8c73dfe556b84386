"""IR → SymPy at concrete sizes.

Every quantity is rebuilt from what the document defined, down to leaf symbols
(the entries nobody defined: data, weights, targets).  Matrices become explicit
SymPy matrices, sums are unrolled, ellipses spelled out, derivatives computed —
never read off the left-hand side.  Shape errors and unsupported constructs raise
``LowerError`` with the span of the node at fault; nothing is guessed silently.
"""
from __future__ import annotations

import dataclasses
import time
from fractions import Fraction

import sympy as sp

from symcheck import functions, irutil, names, numeric, patterns
from symcheck.context import Context, unwrap
from symcheck.latex import ir
from symcheck.source import Span

Value = object  # sp.Expr | sp.MatrixBase

MAX_ITEMS = 20000
MAX_POWER = 64


class LowerError(Exception):
    def __init__(self, kind: str, message: str, span: Span | None = None) -> None:
        super().__init__(message)
        self.kind = kind  # "shape", "unsupported", "pattern", "index", "recursion", "function" (unknown f(…))
        self.message = message
        self.span = span


_LEAVES: dict[str, sp.Symbol] = {}
_GRIDS: dict[tuple[int, tuple[tuple[str, int], ...]], tuple[object, list[list[object]], tuple[str, ...]]] = {}


def recurrence_direction(f: object) -> int:
    """+1 for h_t = F(h_{t-1}), -1 for δ_t = F(δ_{t+1}), 0 when the family is no recurrence."""
    letter = f.params[0] if len(f.params) == 1 else None  # type: ignore[attr-defined]
    for n in irutil.walk(f.body):  # type: ignore[attr-defined]
        if isinstance(n, ir.Symbol) and n.style != "label" and names.key(n) == f.key and n.sub:  # type: ignore[attr-defined]
            shift = irutil.shift_of(n.sub[0], letter) if letter else None
            if shift:
                return 1 if shift < 0 else -1
    return 0


def _mentions_itself(f: object) -> bool:
    return any(isinstance(n, ir.Symbol) and n.style != "label" and names.key(n) == f.key  # type: ignore[attr-defined]
               for n in irutil.walk(f.body))  # type: ignore[attr-defined]


def leaf(name: str) -> sp.Symbol:
    s = _LEAVES.get(name)
    if s is None:
        s = _LEAVES[name] = sp.Symbol(name, real=True)
    return s


def _value_usage(ctx: Context) -> set[str]:
    """Names used somewhere other than right before a parenthesis."""
    cached = ctx.__dict__.get("value_usage")
    if cached is not None:
        return cached
    from symcheck import irutil
    out: set[str] = set()
    for st in ctx.statements:
        called: set[int] = set()
        for n in irutil.walk(st.relation):
            if isinstance(n, ir.Mul):
                for a, b in zip(n.factors, n.factors[1:]):
                    if isinstance(b, ir.Paren):
                        called.add(id(a))
        for n in irutil.walk(st.relation):
            if isinstance(n, ir.Symbol) and id(n) not in called:
                out.add(names.key(n))
    ctx.__dict__["value_usage"] = out
    return out


def is_matrix(v: object) -> bool:
    return isinstance(v, sp.MatrixBase)


def as_scalar(v: object) -> object:
    if is_matrix(v) and v.shape == (1, 1):  # type: ignore[union-attr]
        return v[0, 0]  # type: ignore[index]
    return v


def shape_text(v: object) -> str:
    return f"{v.shape[0]}×{v.shape[1]}" if is_matrix(v) else "scalar"  # type: ignore[union-attr]


def _applied(ctx: Context, base: str) -> bool:
    """Does the document apply ``base`` to an argument anywhere (σ(z), σ(x_i^T w))?"""
    memo = ctx.__dict__.setdefault("applied_names", {})
    if base not in memo:
        from symcheck import irutil
        found = False
        for st in ctx.statements:
            for n in irutil.walk(st.relation):
                if isinstance(n, ir.Apply) and n.func.base == base:
                    found = True
                elif isinstance(n, ir.Mul):
                    found = found or any(isinstance(f, ir.Symbol) and f.base == base and isinstance(g, ir.Paren)
                                         and op == "juxt" for f, g, op in zip(n.factors, n.factors[1:], n.ops))
            if found:
                break
        memo[base] = found
    return memo[base]


def _walk_symbols(node: object) -> list[ir.Symbol]:
    from symcheck import irutil
    return [x for x in irutil.walk(node) if isinstance(x, ir.Symbol)]


def _plain_number(v: object) -> bool:
    v = as_scalar(v)
    return not is_matrix(v) and isinstance(v, sp.Basic) and v.is_number is True


def _symbolic(m: sp.Matrix) -> bool:
    return bool(numeric.free_symbols(list(m)))


def _det(m: sp.Matrix, span: object = None) -> object:
    if not _symbolic(m):
        return m.det()
    if m.rows > 4:
        raise LowerError("unsupported", f"the determinant of a symbolic {m.rows}×{m.cols} matrix is too large "
                                        "to expand", span)  # type: ignore[arg-type]
    return functions.cofactor_det(m)


def _inverse(m: sp.Matrix, span: object) -> sp.Matrix:
    """Inverse as adjugate over determinant (symbolic entries) or exactly (numbers)."""
    if not _symbolic(m):
        if m.det() == 0:
            raise LowerError("unsupported", "the inverse of a singular matrix", span)  # type: ignore[arg-type]
        return m.inv()
    d = _det(m, span)
    if d == 0:
        raise LowerError("unsupported", "the inverse of a singular matrix", span)  # type: ignore[arg-type]
    n = m.rows
    if n == 1:
        return sp.Matrix([[1 / d]])
    adj = sp.Matrix(n, n, lambda i, j: (-1) ** (i + j) * functions.cofactor_det(m.minor_submatrix(j, i)))
    return adj / d


def _directional(v: Value, pairs: list[tuple[sp.Symbol, sp.Symbol]]) -> Value:
    """Σ ∂v/∂x · dx over the perturbed entries x, entry by entry for a matrix."""
    def change(e: object) -> object:
        free = getattr(e, "free_symbols", set())
        return sp.Add(*[sp.diff(e, x) * dx for x, dx in pairs if x in free])
    return v.applyfunc(change) if is_matrix(v) else change(v)  # type: ignore[union-attr]


class Lowerer:
    def __init__(self, ctx: Context, sizes: dict[str, int], *,
                 indices: dict[str, int] | None = None,
                 frozen: dict[str, object] | None = None,
                 generic: dict[str, sp.Symbol] | None = None,
                 cost_args: dict[str, tuple[str, ...]] | None = None,
                 notes: set[str] | None = None,
                 locals_: frozenset[str] = frozenset(),
                 depth: int = 0,
                 floors: dict[str, tuple[int, int]] | None = None) -> None:
        self.ctx = ctx
        # h_t = F(h_{t-1}) read at a generic step: entries of a recurrent family at or below
        # its floor are free (any earlier state), the ones above are built from them; for
        # δ_t = F(δ_{t+1}) (direction -1) the entries at or above it are free instead
        self.floors = floors or {}
        self.sizes = sizes
        self.indices = indices or {}
        self.frozen = frozen or {}
        self.generic = generic or {}
        self.cost_args = cost_args or {}
        self.notes = notes if notes is not None else set()
        self.depth = depth
        self.locals = locals_  # function parameters used as plain variables in this relation
        self.position = 1 << 62  # where the relation stands: functions count from their definition on
        self.deadline: float | None = None  # monotonic time after which lowering gives up
        self.symmetric: frozenset[str] = frozenset()  # matrices the text assumes symmetric here
        self.scalars: frozenset[str] = frozenset()  # names the text says are scalars here
        self.stmt_position = 1 << 62  # where the relation being decided stands
        self.use_simplex = True  # one-hot vectors sampled with entries summing to one (off: values given)
        self.family_only: str | None = None
        self.rewrites: tuple[tuple[object, object], ...] = ()  # (pattern without spans, replacement)

    def child(self, **kw: object) -> "Lowerer":
        args = dict(indices=self.indices, frozen=self.frozen, generic=self.generic,
                    cost_args=self.cost_args, notes=self.notes, locals_=self.locals, depth=self.depth + 1,
                    floors=self.floors)
        position = kw.pop("position", self.position)
        args.update(kw)  # type: ignore[arg-type]
        if self.depth > 60:
            raise LowerError("recursion", "definitions refer to each other in a cycle")
        low = Lowerer(self.ctx, self.sizes, **args)  # type: ignore[arg-type]
        # a definition's body is read where the definition stands, not where it is used
        low.position = (1 << 62) if position is None else position  # type: ignore[assignment]
        low.deadline = self.deadline
        low.symmetric = self.symmetric
        low.scalars = self.scalars
        low.stmt_position = self.stmt_position
        low.use_simplex = self.use_simplex
        low.rewrites = self.rewrites
        return low

    def index_letters(self, key: str) -> frozenset[str]:
        """Index letters a quantity's definition leaves free, through the quantities it
        uses (``z = v_0 + u_{11} v_1 x_{i1}`` depends on i): its value depends on them."""
        memo = self.ctx.__dict__.setdefault("index_letters", {})
        if key in memo:
            return memo[key]
        from symcheck.indices import free_letters
        memo[key] = frozenset()  # a cycle contributes nothing
        q = self.ctx.quantities.get(key)
        out: set[str] = set()
        if q is not None and q.definition is not None:
            out |= set(free_letters(q.definition))
            for sym in (x for x in _walk_symbols(q.definition)):
                k = names.key(sym)
                if k != key and k in self.ctx.quantities:
                    out |= self.index_letters(k)
        memo[key] = frozenset(out)
        return memo[key]

    def late_inputs(self) -> tuple[str, ...]:
        """Inputs a later section goes on to define (z ∈ R^K first, z = W h + b in the
        next section): before that section they are still inputs."""
        late = self.ctx.late_definitions
        return tuple(sorted(k for k, start in late.items() if self.stmt_position < start)) if late else ()

    # -- sizes and indices -------------------------------------------------
    def dim(self, d: object) -> int:
        if isinstance(d, int):
            return d
        if isinstance(d, str):
            if "+" in d:
                return sum(self.dim(p if not p.isdigit() else int(p)) for p in d.split("+"))
            if d in self.sizes:
                return self.sizes[d]
        raise LowerError("unsupported", f"the size {d} has no value")

    def index_value(self, node: object) -> int:
        if isinstance(node, ir.Number) and node.text.isdigit():
            return int(node.text)
        if isinstance(node, ir.Symbol) and not node.sub and node.label is None:
            if node.base in self.indices:
                return self.indices[node.base]
            k = names.key(node)
            if k in self.sizes:
                return self.sizes[k]
            raise LowerError("index", f"index {node.base} is not bound here", node.span)
        v = self.lower(node)
        v = sp.simplify(v) if not is_matrix(v) else v
        if isinstance(v, sp.Integer):
            return int(v)
        raise LowerError("index", "an index must be a whole number", getattr(node, "span", None))

    # -- quantities ----------------------------------------------------------
    def shape_of(self, key: str) -> tuple[int, int] | None:
        s = self.ctx.shapes.get(key)
        return None if s is None else (self.dim(s[0]), self.dim(s[1]))

    def nth_iterate(self, s: ir.Symbol, key: str, letter: str) -> Value:
        """x_3 of an iteration x_{k+1} = F(x_k): F applied to x_2 (and so on down to the
        first iterate the document gives a value of), exactly, never to a rounded x_2."""
        c = self.ctx
        steps = c.iterations.get(key) or [(0, c.quantities[key].definition)]
        rhs = [r for at, r in steps if at <= self.stmt_position][-1]
        j = int(s.sub_text or "0") - 1
        base = names.key(s)

        def earlier(n: object) -> object | None:
            if isinstance(n, ir.Symbol) and names.key(n) == base and n.sub_text == letter and n.label is None:
                return dataclasses.replace(n, sub=(ir.Number(str(j), n.span),), sub_text=str(j))
            return None
        low = self.child(position=None, indices={**self.indices, letter: j})
        return low.lower(irutil.rebuild(rhs, earlier))

    def iterate(self, key: str, base: str) -> Value:
        """x_k of an iteration x_{k+1} = F(x_k): any value of x's shape."""
        shp = self.ctx.shapes.get(key) or self.ctx.shapes.get(key + "+1") or self.ctx.shapes.get(base)
        if shp is None:
            return leaf(names.display(key))
        r, cc = self.dim(shp[0]), self.dim(shp[1])
        if r * cc > MAX_ITEMS:
            raise LowerError("unsupported", f"{names.display(key)} would have {r * cc} entries")
        sub = key.split("_", 1)[1]  # x_k → entries x_{k,1}, x_{k,2}, …

        def name(i: int, j: int) -> str:
            at = f"{i + 1}" if cc == 1 else f"{i + 1},{j + 1}"
            return f"{names.display(base)}_{{{sub},{at}}}"
        return sp.Matrix(r, cc, lambda i, j: leaf(name(i, j)))

    def qval(self, key: str) -> Value:
        if key in self.frozen:
            return self.frozen[key]
        cacheable = not self.frozen and not self.generic and not self.rewrites
        letters = self.index_letters(key)
        ck = (key, tuple(sorted(self.sizes.items())), tuple(sorted(self.cost_args.items())), self.symmetric,
              self.late_inputs(), self.use_simplex,
              tuple(sorted((k, v) for k, v in self.indices.items() if k in letters)))
        cache = self.ctx.__dict__.setdefault("value_cache", {})
        if cacheable and ck in cache:
            return cache[ck]
        v = self._qval(key)
        if cacheable:
            cache[ck] = v
        return v

    def _qval(self, key: str) -> Value:
        q = self.ctx.quantities.get(key)
        if q is not None and q.grid is not None:
            low = self.child(position=None)
            low.family_only = key if q.self_named else None
            v = low.grid(q.grid)
        elif q is not None and q.solution is not None and isinstance(unwrap(q.definition), ir.Optimum):
            self.notes.add(f"{names.display(key)} read as the point the document states for its arg "
                           f"{unwrap(q.definition).kind}, which is checked where it is stated")  # type: ignore[attr-defined]
            v = self.child(position=None).lower(q.solution)
        elif q is not None and q.definition is not None and key not in self.late_inputs():
            v = self.child(position=None).lower(q.definition)
            if q.transposed_def:
                v = v.T if is_matrix(v) else v  # type: ignore[union-attr]
        else:
            shp = self.shape_of(key)
            if shp is None:
                return leaf(names.display(key))
            r, c = shp
            if r * c > MAX_ITEMS:
                raise LowerError("unsupported", f"{names.display(key)} would have {r * c} entries")
            if key in self.symmetric and r == c:
                # "for symmetric A": one variable per unordered pair of indices
                return sp.Matrix(r, c, lambda i, j: leaf(names.entry_name(key, (min(i, j) + 1, max(i, j) + 1))))
            if c > 1 and r > 1 and key in self.ctx.simplex and self.use_simplex:
                # one-hot labels Y ∈ R^{n×K}: each row sums to one
                self.notes.add(f"each row of {names.display(key)} sums to one, as the text says")
                rows = []
                for i in range(r):
                    head = [leaf(names.entry_name(key, (i + 1, j + 1))) for j in range(c - 1)]
                    rows.append(head + [1 - sp.Add(*head)])
                return sp.Matrix(rows)
            if c == 1 and key in self.ctx.simplex and r > 1 and self.use_simplex:
                # one-hot / probability vector: the last entry is one minus the others
                head = [leaf(names.entry_name(key, (i + 1,))) for i in range(r - 1)]
                self.notes.add(f"entries of {names.display(key)} sum to one, as the text says")
                v = sp.Matrix(r, 1, head + [1 - sp.Add(*head)])
            elif c == 1:
                v = sp.Matrix(r, 1, lambda i, j: leaf(names.entry_name(key, (i + 1,))))
            elif r == 1:
                v = sp.Matrix(1, c, lambda i, j: leaf(names.entry_name(key, (j + 1,))))
            else:
                v = sp.Matrix(r, c, lambda i, j: leaf(names.entry_name(key, (i + 1, j + 1))))
        return v

    def entry(self, key: str, idx: tuple[int, ...], span: Span) -> Value:
        q = self.ctx.quantities.get(key)
        v = self.qval(key)
        if not is_matrix(v):
            raise LowerError("index", f"{names.display(key)} is a scalar and has no entries", span)
        if q is not None and q.grid is not None and q.self_named:
            pos = self._grid_positions(q.grid, key).get(idx)
            if pos is None:
                # not one of the entries the document wrote: an undefined name of its own
                self.notes.add(f"{names.entry_name(key, idx)} is not an entry of {names.display(key)} "
                               "and is defined nowhere; read as a free variable")
                return leaf(names.entry_name(key, idx))
            return v[pos]  # type: ignore[index]
        r, c = v.shape  # type: ignore[union-attr]
        if len(idx) == 1 and (c == 1 or r == 1):
            i = idx[0] - 1
            if not 0 <= i < max(r, c):
                raise LowerError("index", f"index {idx[0]} is outside 1..{max(r, c)}", span)
            return v[i, 0] if c == 1 else v[0, i]  # type: ignore[index]
        if len(idx) == 2:
            i, j = idx[0] - 1, idx[1] - 1
            if not (0 <= i < r and 0 <= j < c):
                raise LowerError("index", f"entry ({idx[0]}, {idx[1]}) is outside {r}×{c}", span)
            return v[i, j]  # type: ignore[index]
        raise LowerError("index", f"{len(idx)} indices for a {r}×{c} matrix", span)

    def _grid_positions(self, grid: ir.Matrix, key: str) -> dict[tuple[int, ...], tuple[int, int]]:
        rows = self.expand_grid(grid)
        out: dict[tuple[int, ...], tuple[int, int]] = {}
        for i, row in enumerate(rows):
            for j, cell in enumerate(row):
                if isinstance(cell, ir.Symbol) and cell.sub:
                    try:
                        idx = tuple(self.index_value(s) for s in cell.sub)
                    except LowerError:
                        continue
                    out.setdefault(idx, (i, j))
        return out

    def family(self, key: str, idx: tuple[int, ...], span: Span) -> Value:
        held = "@" + names.entry_name(key, idx)
        if held in self.frozen:
            return self.frozen[held]  # an entry held as a variable of its own while differentiating
        f = self.ctx.families.get(key)
        if key in self.floors and len(idx) == 1:
            edge, direction = self.floors[key]
            if (idx[0] - edge) * direction <= 0:
                return leaf(names.entry_name(key, idx))
        if f is not None and f.body is not None and len(idx) == 1 and _mentions_itself(f):
            # a recurrence h_t = F(h_{t-1}): its start is given (h_0 = 0) or free
            start = f"{key}_{idx[0]}"
            if start in self.ctx.quantities:
                return self.qval(start)
            if idx[0] <= 0:
                return leaf(names.entry_name(key, idx))
        if f is not None and f.body is not None and len(f.params) == len(idx):
            bound = dict(self.indices)
            bound.update(zip(f.params, idx))
            return self.child(indices=bound, position=None).lower(f.body)
        if f is not None and f.names_entries_of is not None and f.grid is not None:
            pos = self._grid_positions(f.grid, key).get(idx)
            if pos is None:
                raise LowerError("index", f"{names.entry_name(key, idx)} is not named in the document", span)
            return self.qval(f.names_entries_of)[pos]  # type: ignore[index]
        if key in self.ctx.family_vectors and len(idx) == 1:
            return self.family_vector(key, idx[0], span)
        return leaf(names.entry_name(key, idx))

    def family_vector(self, key: str, i: int, span: Span) -> Value:
        """x_i as a vector: row i of X (transposed) when X has rows x_i^T, else its own."""
        dim, link = self.ctx.family_vectors[key]
        of = self.ctx.columns_of.get(key)
        if of is not None:
            m = self.qval(of)
            if is_matrix(m) and 1 <= i <= m.shape[1]:  # type: ignore[union-attr]
                self.notes.add(f"read {names.display(key)}_j as column j of {names.display(of)}, as the text says")
                return m[:, i - 1]  # type: ignore[index,union-attr]
        if link is not None:
            m = self.qval(link)
            if is_matrix(m) and 1 <= i <= m.shape[0]:  # type: ignore[union-attr]
                if (key, link) not in self.ctx.__dict__.setdefault("family_notes", set()):
                    self.ctx.__dict__["family_notes"].add((key, link))
                self.notes.add(f"read {names.display(key)}_i as row i of {names.display(link)}, transposed")
                return m[i - 1, :].T  # type: ignore[index,union-attr]
        n = self.dim(dim)
        return sp.Matrix(n, 1, lambda r, c: leaf(names.entry_name(key, (i, r + 1))))

    # -- expressions --------------------------------------------------------
    def lower(self, node: object) -> Value:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise LowerError("timeout", "the time limit was reached while rebuilding the expression",
                             getattr(node, "span", None))
        if self.rewrites and isinstance(node, (ir.Mul, ir.Add, ir.Pow, ir.Transpose, ir.Paren)):
            bare = irutil.strip_spans(node)
            for pattern, replacement in self.rewrites:
                if bare == pattern:
                    node = replacement  # X^T X read as I, as the condition before the claim says
                    break
        m = getattr(self, "_" + type(node).__name__, None)
        if m is None:
            raise LowerError("unsupported", f"cannot evaluate {type(node).__name__}", getattr(node, "span", None))
        return m(node)

    def _Number(self, n: ir.Number) -> Value:
        try:
            f = Fraction(n.text)
        except (ValueError, ZeroDivisionError):
            raise LowerError("unsupported", f"cannot read the number {n.text!r}", n.span)
        return sp.Rational(f.numerator, f.denominator)

    def _Symbol(self, s: ir.Symbol) -> Value:
        c = self.ctx
        k, ks = names.key(s), names.key_with_sub(s)
        if k in ("mathbb(E)", "mathbb(P)", "mathbb(V)") and k not in c.quantities and k not in c.functions:
            raise LowerError("unsupported", f"an expectation or probability ({names.display(k)}[…]) is not "
                             "evaluated", s.span)
        if s.prime:
            raise LowerError("unsupported", f"{names.display(k)}' used without an argument", s.span)
        kind = c.constant(s)
        if kind is not None:
            return self.constant(s, kind)
        if s.sub is None and s.label is None and not s.accent and s.base in self.indices:
            return sp.Integer(self.indices[s.base])
        if k in self.scalars and not s.sub and k not in self.frozen:  # a bound parameter is its argument
            return leaf(names.display(k))
        if ks is not None and ks not in c.quantities and isinstance(s.sub[0], ir.Symbol) \
                and s.sub[0].base not in self.indices and c.is_iterate(s):
            return self.iterate(ks, k)
        if k in self.generic and not s.sub:
            return self.generic[k]
        if not s.sub and k in self.locals and k not in self.frozen and self._defined_later(k):
            return leaf(names.display(k))  # ReLU'(z) = … before the document's own z = W x + b
        if ks is not None and ks not in self.frozen and ks not in c.quantities:
            it = c.iteration_of(s)
            if it is not None and int(s.sub_text or "0") >= 1:
                return self.nth_iterate(s, *it)
        if ks is not None and ks in c.iterations and ks not in self.frozen:
            # the iteration x_{k+1} = … that holds where the statement stands
            rhs = [r for at, r in c.iterations[ks] if at <= self.stmt_position][-1]
            return self.child(position=None).lower(rhs)
        if ks is not None and (ks in c.quantities or ks in self.frozen):
            return self.qval(ks)
        if ks is not None and ks in self.sizes:
            return sp.Integer(self.sizes[ks])
        if not s.sub:
            if k in self.frozen or k in c.quantities or k in c.shapes:
                return self.qval(k)
            if k in self.locals:
                return leaf(names.display(k))
            if k in c.functions:
                return self._function_as_value(k, s)
            if k in c.collected and isinstance(c.collected[k], tuple):
                r, cc = (self.dim(d) for d in c.collected[k])  # type: ignore[union-attr]
                self.notes.add(f"read {names.display(k)} as the matrix of the {names.display(k)}_{{ij}}")
                return sp.Matrix(r, cc, lambda i, j: as_scalar(self.family(k, (i + 1, j + 1), s.span)))
            if k in c.collected:
                n = self.dim(c.collected[k])
                self.notes.add(f"read {names.display(k)} as the vector of the {names.display(k)}_i")
                return sp.Matrix(n, 1, [as_scalar(self.family(k, (i + 1,), s.span)) for i in range(n)])
            if k in c.families and c.families[k].body is None:
                target = self._family_matrix(k)
                if target is not None:
                    self.notes.add(f"{names.display(k)} is never defined as a matrix; read as "
                                   f"{names.display(target)}, whose entries are the {names.display(k)}_{{ij}}")
                    return self.qval(target)
            if s.base == "sigma" and k not in c.functions and not s.accent and not _applied(c, "sigma"):
                return leaf(names.display(k))  # σ, σ²: a standard deviation where σ(·) is never used
            if functions.lookup(s.base) is not None and s.base not in ("exp", "log") and k not in c.families:
                raise LowerError("unsupported", f"{names.display(k)} is a function; here it stands "
                                 "without its argument", s.span)
            if k in self.sizes:
                return sp.Integer(self.sizes[k])
            if k in c.abstract:
                return self.surrogate(k, s.span)
            if k == "e" and "e" not in c.families:
                return sp.E
            if k == "pi":
                return sp.pi
            return leaf(names.display(k))
        if ks is not None and ks in c.functions and not s.prime:
            return self._function_as_value(ks, s)  # ℓ_2 for ℓ_2(r)
        if s.base == "delta" and len(s.sub) == 2 and s.label is None and k not in c.families \
                and (k not in c.quantities or 1 in c.shapes.get(k, ())) and not s.style:
            # δ_{ij}: Kronecker's delta (also beside a vector δ, whose entries take one index)
            a, b = (self.index_value(x) for x in s.sub)
            return sp.Integer(1 if a == b else 0)
        if ks is not None and self._label_subscript(s):
            return leaf(names.display(ks))  # λ_{\max}, L_{CE}: a name of its own, nothing to index
        idx = tuple(self.index_value(x) for x in s.sub)
        # x_i where x_i is a vector of its own (a row of X) is no entry of a given x
        own_vector = k in c.family_vectors and len(idx) == 1 and (
            k in c.family_dims or (k not in c.quantities and k not in c.shapes))
        named = f"{k}_{idx[0]}" if len(idx) == 1 else None
        if named is not None and named in c.quantities and k in c.quantities and k not in c.shapes \
                and k not in self.frozen:
            return self.qval(named)  # g_t at t = 1 where g is a scalar and g_1 is given: that g_1
        if self.family_only != k and (k in c.quantities or k in self.frozen or k in c.shapes) and not own_vector:
            if k in self.frozen:
                return self._frozen_entry(k, idx, s.span)
            return self.entry(k, idx, s.span)
        return self.family(k, idx, s.span)

    def _defined_later(self, key: str) -> bool:
        first = next((o for o in self.ctx.statements if o.defines == key
                      and o.role in ("definition", "declaration")), None)
        return first is not None and first.relation.span.start > self.stmt_position

    def _function_as_value(self, k: str, s: ir.Symbol) -> Value:
        c = self.ctx
        fd = c.functions[k]
        # h used as a value means h(params) as the document wrote it — when those
        # parameters are the document's own variables (h(w_00, w_01, w_02))
        if all(p not in c.quantities and "_" in p for p in fd.params) or \
                any(p in c.quantities for p in fd.params):
            return self.child().lower(fd.body)
        raise LowerError("unsupported", f"{names.display(k)} is a function; here it stands "
                         "without its argument", s.span)

    def constant(self, s: ir.Symbol, kind: str) -> Value:
        """The identity, a vector of ones or a zero matrix, at the size its place in
        the relation gives it (worked out by shapes.py, occurrence by occurrence)."""
        dims = self.ctx.constant_dims.get(s.span.start) if s.span is not None else None
        try:
            r, c = (self.dim(d) for d in dims) if dims is not None else (None, None)
        except LowerError:
            r = c = None
        if r is None or c is None:
            raise LowerError("unsupported", f"cannot tell the size of {names.display(names.key(s))} here", s.span)
        if r * c > MAX_ITEMS:
            raise LowerError("unsupported", f"{names.display(names.key(s))} would have {r * c} entries", s.span)
        if kind == "identity" and dims is not None and tuple(dims) == (1, 1):
            # ‖x‖² I - xᵀx: beside a scalar the identity would be 1×1, which no note means.  Either a
            # transpose is missing beside it or symcheck misread a shape: not proved, not refuted
            raise LowerError("unsupported", f"{names.display(names.key(s))} stands beside a scalar here, so it "
                             "would be the 1×1 identity (a transpose missing from the term beside it, or a shape "
                             "symcheck could not read)", s.span)
        if kind == "identity":
            return sp.eye(r)
        return sp.ones(r, c) if kind == "ones" else sp.zeros(r, c)

    def _label_subscript(self, s: ir.Symbol) -> bool:
        """A subscript that names rather than indexes: a word (max, CE, OLS), a Greek
        letter, or a capital that is no size of the document."""
        for it in s.sub or ():
            if not isinstance(it, ir.Symbol) or it.sub:
                return False
            b = it.base
            if it.style == "label":
                continue  # w_z beside a defined z_t: the weight of z
            if b in self.indices or names.key(it) in self.sizes:
                return False
            if len(b) > 1 or (b.isalpha() and b.isupper()):
                continue
            return False
        k = names.key(s)
        return k not in self.ctx.quantities and k not in self.ctx.shapes and k not in self.frozen

    def _frozen_entry(self, key: str, idx: tuple[int, ...], span: Span) -> Value:
        v = self.frozen[key]
        if not is_matrix(v):
            raise LowerError("index", f"{names.display(key)} has no entries", span)
        r, c = v.shape  # type: ignore[union-attr]
        flat = idx[0] - 1 if len(idx) == 1 else (idx[0] - 1) * c + idx[1] - 1
        if not 0 <= flat < r * c:
            raise LowerError("index", "index out of range", span)
        return v[flat]  # type: ignore[index]

    def surrogate(self, key: str, span: Span) -> Value:
        """An undefined cost ℓ of the outputs u: its first-order stand-in Σ g_k u_k,
        with g = ∂ℓ/∂u left free.  Every gradient through u then follows the chain
        rule exactly, which is all a derivation may assume of an unknown ℓ."""
        args = self.cost_args.get(key)
        if not args:
            raise LowerError("unsupported", f"{names.display(key)} is never defined and depends on nothing known", span)
        total: object = sp.Integer(0)
        for a in args:
            v = self._family_output(a) if a.startswith("family:") else self.qval(a)
            g = self.given_gradient(key, a, v)
            if is_matrix(v):
                total += sum(g[i] * v[i] for i in range(len(v)))  # type: ignore[index,arg-type]
            else:
                total += g * v  # type: ignore[operator]
        return total

    def _family_output(self, a: str) -> Value:
        """The column of y_1 … y_m for an output family y_i = … (m from the sums over i)."""
        k = a.split(":", 1)[1]
        f = self.ctx.families[k]
        written = next((n for st in self.ctx.statements for n in irutil.walk(st.relation)
                        if isinstance(n, ir.Symbol) and n.sub and len(n.sub) == 1 and names.key(n) == k), None)
        if written is None:
            raise LowerError("unsupported", f"cannot find how {names.display(k)}_i is written", None)
        param = ir.Symbol(f.params[0], written.span)
        node = dataclasses.replace(written, sub=(param,), sub_text=f.params[0])
        v = self.child(indices={})._over_free_index(node)  # every entry, whatever index the claim binds
        if v is None:
            raise LowerError("unsupported", f"cannot tell how many {names.display(k)}_i there are", None)
        return v

    def given_gradient(self, cost: str, wrt: str, v: object) -> Value:
        wrt = wrt.split(":", 1)[1] if wrt.startswith("family:") else wrt
        base = f"\\partial {names.display(cost)}/\\partial {names.display(wrt)}"
        if is_matrix(v):
            r, c = v.shape  # type: ignore[union-attr]
            if c == 1:
                return sp.Matrix(r, 1, lambda i, j: leaf(f"({base})_{{{i + 1}}}"))
            return sp.Matrix(r, c, lambda i, j: leaf(f"({base})_{{{i + 1}{j + 1}}}"))
        return leaf(base)

    def _Neg(self, n: ir.Neg) -> Value:
        return -self.lower(n.arg)  # type: ignore[operator]

    def _Add(self, n: ir.Add) -> Value:
        terms = [t for _, t in n.terms]
        if any(isinstance(t, ir.Ellipsis) for t in terms):
            signed = [ir.Neg(t, t.span) if sg < 0 and not isinstance(t, ir.Ellipsis) else t
                      for sg, t in n.terms]
            try:
                found: list[str] = []
                terms_x = patterns.expand(signed, self.sizes, notes=found)
                self.notes.update(found)
            except patterns.PatternError as e:
                raise LowerError("pattern", f"the sum's ellipsis: {e}", n.span)
            vals = [self.lower(t) for t in terms_x]
        else:
            vals = [self.lower(t) if sg > 0 else -self.lower(t) for sg, t in n.terms]  # type: ignore[operator]
        return self.add_values(vals, n.span)

    def add_values(self, vals: list[Value], span: Span) -> Value:
        mats = [v for v in vals if is_matrix(v) and v.shape != (1, 1)]  # type: ignore[union-attr]
        if not mats:
            return sp.Add(*[as_scalar(v) for v in vals])
        shp = mats[0].shape  # type: ignore[union-attr]
        if all(is_matrix(v) and v.shape == shp or _plain_number(v) for v in vals):
            # 1 - h ⊙ h, 2σ(2z) - 1, A ⊙ (1 - A): a number added to a vector or a matrix, entry by
            # entry (notes write I for the identity)
            if any(_plain_number(v) for v in vals):
                self.notes.add("read a number added to a vector or matrix entry by entry")
            vals = [sp.ones(*shp) * as_scalar(v) if _plain_number(v) else v for v in vals]
        for v in vals:
            if not is_matrix(v) or v.shape != shp:  # type: ignore[union-attr]
                raise LowerError("shape", f"adding a {shape_text(v)} and a {shape_text(mats[0])} matrix", span)
        total = vals[0]
        for v in vals[1:]:
            total = total + v  # type: ignore[operator]
        return total

    def _Mul(self, n: ir.Mul) -> Value:
        factors = list(n.factors)
        ops = ["juxt"] + list(n.ops)
        k = 0
        while k + 1 < len(factors):
            # \ln\sigma(z): the operator's argument is the function applied to what follows
            f, nxt = factors[k], factors[k + 1]
            if isinstance(f, ir.Apply) and len(f.args) == 1 and isinstance(f.args[0], ir.Symbol) \
                    and isinstance(nxt, ir.Paren) and ops[k + 1] == "juxt" and nxt.delim == "(" \
                    and self._callable(f.args[0]) is not None:
                inner = ir.Mul((f.args[0], nxt), ("juxt",), f.args[0].span)
                factors[k] = dataclasses.replace(f, args=(inner,))
                del factors[k + 1]
                del ops[k + 1]
                continue
            k += 1
        if len(factors) == 1:
            return self.lower(factors[0])
        vals: list[tuple[str, Value, Span]] = []
        k = 0
        while k < len(factors):
            f = factors[k]
            if isinstance(f, ir.Ellipsis):
                raise LowerError("unsupported", "a product written with an ellipsis", f.span)
            nxt = factors[k + 1] if k + 1 < len(factors) else None
            if names.is_extreme_eigenvalue(f) and isinstance(nxt, ir.Paren) and nxt.delim == "(" and len(nxt.items) == 1 \
                    and ops[k + 1] == "juxt":
                vals.append((ops[k], self.eigen_extreme(f, nxt.items[0]), f.span.union(nxt.span)))
                k += 2
                continue
            if isinstance(f, ir.Symbol) and f.base == "1" and f.style == "bb" and not f.sub \
                    and isinstance(nxt, ir.Paren) and nxt.delim == "[" and len(nxt.items) == 1 \
                    and isinstance(nxt.items[0], ir.Relation) and ops[k + 1] == "juxt":
                # 𝟙[z > 0]: 1 where the condition holds, else 0 (entry by entry for a vector z)
                vals.append((ops[k], self.indicator(nxt.items[0]), f.span.union(nxt.span)))
                k += 2
                continue
            if isinstance(f, ir.Symbol) and not f.sub and not f.prime and names.key(f) in self.ctx.abstract_fns \
                    and isinstance(nxt, ir.Paren) and len(nxt.items) == 1 and ops[k + 1] == "juxt":
                vals.append((ops[k], self.unknown_function(names.key(f), nxt.items[0]), f.span.union(nxt.span)))
                k += 2
                continue
            fn = self._callable(dataclasses.replace(f, prime=0) if isinstance(f, ir.Symbol) else f) \
                if isinstance(nxt, ir.Paren) and ops[k + 1] == "juxt" else None
            if fn is not None:
                vals.append((ops[k], self.call(fn, f, nxt), f.span.union(nxt.span)))  # type: ignore[union-attr]
                k += 2
                continue
            if isinstance(nxt, ir.Paren) and ops[k + 1] == "juxt" and self._unknown_function(f):
                raise LowerError("function", f"{names.display(names.key(f))}(…) uses "  # type: ignore[arg-type]
                                 f"{names.display(names.key(f))}, which the document never defines", f.span)
            vals.append((ops[k], self.lower(f), f.span))
            k += 1
        cur = vals[0][1]
        for op, v, sp_ in vals[1:]:
            cur = self.multiply(cur, v, op, n.span)
        return cur

    def eigen_extreme(self, f: ir.Symbol, arg: object) -> Value:
        """λ_max(A), λ_min(A): the extreme eigenvalue, computed once A's entries are numbers
        (a worked example, or a random trial); symbolically it stays unevaluated."""
        m = as_scalar(self.lower(arg))
        if not is_matrix(m) or m.shape[0] != m.shape[1]:  # type: ignore[union-attr]
            raise LowerError("shape", f"{names.display(names.key_with_sub(f) or 'lambda')} of a non-square value",
                             f.span)
        which = sp.Integer(1 if "max" in (f.sub_text or "") else -1)
        return functions.ExtremeEigenvalue(which, sp.Integer(m.shape[0]), *list(m))  # type: ignore[union-attr]

    def multiply(self, a: Value, b: Value, op: str, span: Span) -> Value:
        if op == "odot":
            if is_matrix(a) and is_matrix(b):
                if a.shape != b.shape:  # type: ignore[union-attr]
                    raise LowerError("shape", f"Hadamard product of {shape_text(a)} and {shape_text(b)}", span)
                return a.multiply_elementwise(b)  # type: ignore[union-attr]
            return a * b  # type: ignore[operator]
        if op == "oslash":
            if is_matrix(a) and is_matrix(b):
                if a.shape != b.shape:  # type: ignore[union-attr]
                    raise LowerError("shape", f"entrywise division of {shape_text(a)} by {shape_text(b)}", span)
                return a.multiply_elementwise(b.applyfunc(lambda t: 1 / t))  # type: ignore[union-attr]
            return a / b  # type: ignore[operator]
        if not is_matrix(a) or not is_matrix(b):
            return a * b  # type: ignore[operator]
        if a.shape[1] == b.shape[0]:  # type: ignore[union-attr]
            return a * b  # type: ignore[operator]
        if a.shape == (1, 1):  # type: ignore[union-attr]
            return a[0, 0] * b  # type: ignore[index]
        if b.shape == (1, 1):  # type: ignore[union-attr]
            return a * b[0, 0]  # type: ignore[index]
        raise LowerError("shape", f"cannot multiply a {shape_text(a)} by a {shape_text(b)} matrix", span)

    def _family_matrix(self, fam: str) -> str | None:
        """The one matrix written out with the entries of family ``fam`` (w_2 for w^{(2)})."""
        found = []
        for q in self.ctx.quantities.values():
            if q.grid is not None and q.grid.env != "layout":
                cells = [c for row in q.grid.rows for c in row if isinstance(c, ir.Symbol)]
                if cells and all(names.key(c) == fam and c.sub for c in cells):
                    found.append(q.key)
        return found[0] if len(found) == 1 else None

    def _unknown_function(self, f: object) -> bool:
        """A lone lowercase letter written only ever right before a parenthesis."""
        if not (isinstance(f, ir.Symbol) and not f.sub and f.label is None and len(f.base) == 1
                and f.base.islower()):
            return False
        k = names.key(f)
        c = self.ctx
        if k in c.quantities or k in c.families or k in c.shapes or k in self.frozen or k in self.locals:
            return False
        return k not in _value_usage(c)

    def _callable(self, f: object) -> object | None:
        if isinstance(f, ir.Symbol) and f.sub and names.key_with_sub(f) in self.ctx.functions:
            return self.ctx.functions[names.key_with_sub(f)]  # type: ignore[index]
        if isinstance(f, ir.Symbol) and f.sub and len(f.sub) == 1 and not f.prime:
            for fd in self.ctx.functions.values():
                if fd.sub_param is not None and fd.sub_param[0] == names.key(f) and fd.span.start <= self.position:
                    # S_1(3) with S_τ(v) defined: the body at τ = 1
                    p = fd.sub_param[1]
                    val = f.sub[0]
                    body = irutil.rebuild(fd.body, lambda n: val if isinstance(n, ir.Symbol) and not n.sub
                                          and names.key(n) == p else None)
                    return dataclasses.replace(fd, body=body, sub_param=None)
        if isinstance(f, ir.Symbol) and not f.sub:
            k = names.key(f)
            if k in self.ctx.functions and self.ctx.functions[k].span.start > self.position:
                raise LowerError("function", f"{names.display(k)}(…) is used before the document "
                                 f"defines {names.display(k)}", f.span)
            if k in self.ctx.functions:
                fd = self.ctx.functions[k]
                if fd.contradicts and functions.lookup(f.base) is not None:
                    return functions.lookup(f.base)  # the name's meaning, reported once at the definition
                return fd
            if k in self.ctx.quantities or k in self.ctx.families or k in self.frozen:
                return None
            kn = functions.lookup(f.base)
            if kn is not None:
                return kn
        return None

    def call(self, fn: object, fnode: object, arg: ir.Paren) -> Value:
        args = [self.lower(a) for a in arg.items]
        prime = getattr(fnode, "prime", 0)
        if prime:
            return self.derivative_call(fn, args, prime, arg.span)
        if isinstance(fn, functions.Known):
            if len(args) != 1:
                raise LowerError("unsupported", f"{fn.name} takes one argument", arg.span)
            a = args[0]
            if is_matrix(a):
                return a.applyfunc(lambda x: functions.apply(fn, x))  # type: ignore[union-attr]
            return functions.apply(fn, a)  # type: ignore[arg-type]
        fd = fn
        if len(fd.params) != len(args):  # type: ignore[attr-defined]
            raise LowerError("unsupported", "wrong number of arguments", arg.span)
        if any(is_matrix(a) for a in args):
            whole = all(p in self.ctx.shapes for p in fd.params)  # type: ignore[attr-defined]
            if whole:
                # J(w) = ‖y - Xw‖² with w the document's vector: a function of the whole vector
                return self._apply_def(fd, args)
            if len(args) == 1:
                return args[0].applyfunc(lambda x: self._apply_def(fd, [x]))  # type: ignore[union-attr]
            raise LowerError("unsupported", "a function of several matrices", arg.span)
        return self._apply_def(fd, args)

    def derivative_call(self, fn: object, args: list[object], order: int, span: Span) -> Value:
        """f'(x): the derivative of a known or defined function of one variable
        (entry by entry when x is a matrix, as for σ'(z) with a vector z)."""
        if len(args) != 1:
            raise LowerError("unsupported", "a derivative of a function of several arguments", span)
        if is_matrix(args[0]):
            return args[0].applyfunc(lambda x: self.derivative_call(fn, [x], order, span))  # type: ignore[union-attr]
        if isinstance(fn, functions.Known):
            expr = fn.formula
            for _ in range(order):
                expr = sp.diff(expr, functions.X)
            return expr.xreplace({functions.X: args[0]})
        t = leaf("⟨t⟩")
        body = self._apply_def(fn, [t])
        for _ in range(order):
            body = sp.diff(body, t)
        return body.xreplace({t: args[0]})  # type: ignore[union-attr]

    def _apply_def(self, fd: object, args: list[object]) -> Value:
        frozen = dict(self.frozen)
        squared = getattr(fd, "squared", ())
        frozen.update((p, sp.sqrt(a) if p in squared and not is_matrix(a) else a)  # N(x | μ_k, σ_k²): σ = |σ_k|
                      for p, a in zip(fd.params, args))  # type: ignore[attr-defined]
        return self.child(frozen=frozen).lower(fd.body)  # type: ignore[attr-defined]

    def _Apply(self, n: ir.Apply) -> Value:
        name = n.func.base
        if name == "diag" and len(n.args) == 1 and not n.func.prime:
            listed = self._over_free_index(n.args[0])
            if listed is not None:
                return functions.diag(listed)  # S = diag(p_i (1 - p_i)): one entry per i
        if name == "diag" and len(n.args) > 1 and not n.func.prime and not any(isinstance(a, ir.Ellipsis)
                                                                                for a in n.args):
            # diag(3, 1), diag(a, b, c): the diagonal matrix of the entries listed
            return functions.diag(sp.Matrix([as_scalar(self.lower(a)) for a in n.args]))
        if name == "diag" and len(n.args) > 2 and any(isinstance(a, ir.Ellipsis) for a in n.args):
            # diag(d_1, \dots, d_d): the column d_1 … d_d, as a matrix with \vdots would write it
            col = ir.Matrix(tuple((dataclasses.replace(a, kind="v") if isinstance(a, ir.Ellipsis) else a,)
                                  for a in n.args), "bmatrix", n.span)
            v = self.grid(col)
            return functions.diag(sp.Matrix(list(v)))  # type: ignore[arg-type]
        args = [self.lower(a) for a in n.args]
        if n.func.prime:
            fn = self._callable(dataclasses.replace(n.func, prime=0)) or functions.lookup(name)
            if fn is None:
                raise LowerError("unsupported", f"the derivative {name}' of an unknown function", n.span)
            return self.derivative_call(fn, args, n.func.prime, n.span)
        if name in functions.MATRIX_FUNCTIONS and len(args) == 1 and is_matrix(args[0]):
            if name in ("det", "tr", "trace", "Tr") and args[0].shape[0] != args[0].shape[1]:  # type: ignore[union-attr]
                # the document may use the name for a square matrix elsewhere (one shape per name)
                raise LowerError("unsupported", f"{name} of a {shape_text(args[0])} matrix, which is not square",
                                 n.span)
            return functions.MATRIX_FUNCTIONS[name](args[0])  # type: ignore[arg-type]
        if name in functions.VECTOR_FUNCTIONS and len(args) == 1 and is_matrix(args[0]):
            return functions.VECTOR_FUNCTIONS[name](args[0])  # type: ignore[arg-type,return-value]
        if name in ("max", "min") and len(args) >= 1:
            fn = sp.Max if name == "max" else sp.Min
            mats = [as_scalar(a) for a in args if is_matrix(as_scalar(a))]
            if mats:  # max(0, z) with a vector z: entry by entry
                shp = mats[0].shape  # type: ignore[union-attr]
                if any(m.shape != shp for m in mats):  # type: ignore[union-attr]
                    raise LowerError("shape", "max or min of matrices of different shapes", n.span)
                cols = [as_scalar(a) for a in args]
                return sp.Matrix(shp[0], shp[1], lambda i, j: fn(*[a[i, j] if is_matrix(a) else a for a in cols]))
            return fn(*args)
        kn = functions.lookup(name)
        if names.key(n.func) in self.ctx.functions and (kn is None or len(n.args) != 1):
            return self.call(self.ctx.functions[names.key(n.func)], n.func, ir.Paren(n.args, "(", n.span))
        if kn is None or len(args) != 1:
            raise LowerError("unsupported", f"unknown function {name}", n.span)
        a = args[0]
        if is_matrix(a):
            return a.applyfunc(lambda x: functions.apply(kn, x))  # type: ignore[union-attr]
        return functions.apply(kn, a)  # type: ignore[arg-type]

    def _Frac(self, n: ir.Frac) -> Value:
        num, den = self.lower(n.num), as_scalar(self.lower(n.den))
        if is_matrix(den):
            num = as_scalar(num)
            if 1 in den.shape and (not is_matrix(num) or num.shape == den.shape):  # type: ignore[union-attr]
                # 1/(1 + e^{-z}) with a vector z: entry by entry, the only reading there is
                self.notes.add("read a division by a vector entry by entry")
                if any(x == 0 for x in den):  # type: ignore[union-attr]
                    raise LowerError("unsupported", "division by zero", n.span)
                return sp.Matrix(den.shape[0], den.shape[1],  # type: ignore[union-attr]
                                 lambda i, j: (num[i, j] if is_matrix(num) else num) / den[i, j])  # type: ignore[index]
            raise LowerError("shape", f"dividing by a {shape_text(den)} matrix", n.span)
        if den == 0:
            raise LowerError("unsupported", "division by zero", n.span)
        return num / den  # type: ignore[operator]

    def _Pow(self, n: ir.Pow) -> Value:
        b = self.lower(n.base)
        e = as_scalar(self.lower(n.exp))
        if is_matrix(e):
            if not is_matrix(b) and as_scalar(b) == sp.E and 1 in e.shape:  # type: ignore[union-attr]
                self.notes.add("read e to the power of a vector entry by entry")
                return e.applyfunc(sp.exp)  # type: ignore[union-attr]
            raise LowerError("shape", "a matrix exponent", n.span)
        if isinstance(e, sp.Integer) and abs(int(e)) > MAX_POWER:
            raise LowerError("unsupported", f"the power {e} is too large to expand", n.span)
        b = as_scalar(b)
        if not is_matrix(b):
            return b ** e  # type: ignore[operator]
        r, c = b.shape  # type: ignore[union-attr]
        if isinstance(e, sp.Integer) and int(e) < 0 and r == c:
            inv = _inverse(b, n.span)  # type: ignore[arg-type]
            out = inv
            for _ in range(-int(e) - 1):
                out = out * inv
            return out
        if isinstance(e, sp.Integer) and int(e) >= 0 and r == c:
            # plain products: Matrix.__pow__ looks for a Jordan form on symbolic entries
            out = sp.eye(r)
            for _ in range(int(e)):
                out = out * b
            return out
        if e == 2:
            self.notes.add("read the square of a non-square matrix entry by entry")
            return b.applyfunc(lambda x: x ** 2)  # type: ignore[union-attr]
        raise LowerError("shape", f"the power {e} of a {shape_text(b)} matrix", n.span)

    def _Transpose(self, n: ir.Transpose) -> Value:
        if isinstance(n.arg, ir.Paren) and len(n.arg.items) > 1 and n.arg.delim in ("(", "["):
            return self.lower(n.arg)  # (a, b)^T: the column the list already is
        v = self.lower(n.arg)
        return v.T if is_matrix(v) else v  # type: ignore[union-attr]

    def _Paren(self, n: ir.Paren) -> Value:
        if len(n.items) != 1:
            if n.delim in ("(", "[") and len(n.items) <= MAX_ITEMS:
                # (0.3, 0, -0.2) and (0.3, 0, -0.2)^T: notes mean a column vector either way
                vals = [as_scalar(self.lower(x)) for x in n.items]
                if not any(is_matrix(v) for v in vals):
                    self.notes.add("read a parenthesised list of numbers as a column vector")
                    return sp.Matrix(len(vals), 1, vals)
            raise LowerError("unsupported", "a list of several values where one value is expected", n.span)
        v = self.lower(n.items[0])
        if n.delim == "|":
            return _det(v) if is_matrix(v) else sp.Abs(v)
        if n.delim == "||":
            if is_matrix(v):
                return sp.sqrt(sum(x ** 2 for x in v))  # type: ignore[union-attr]
            return sp.Abs(v)
        return v

    def _At(self, n: ir.At) -> Value:
        """The body with the variable replaced by the point: the variable must lower to a
        free scalar symbol, else what is replaced would be unclear."""
        var = self.lower(n.var)
        if not isinstance(var, sp.Symbol):
            raise LowerError("unsupported", "an evaluation bar at something other than a free scalar variable",
                             n.span)
        body = self.lower(n.body)
        value = as_scalar(self.lower(n.value))
        return body.subs(var, value)  # type: ignore[union-attr]

    def _Optimum(self, n: ir.Optimum) -> Value:
        raise LowerError("unsupported", f"an arg {n.kind} is a point, not a formula; only an equality that "
                         "states it is decided", n.span)

    def _Underbrace(self, n: ir.Underbrace) -> Value:
        return self.lower(n.body)

    def expand_grid(self, m: ir.Matrix) -> list[list[object]]:
        key = (id(m), tuple(sorted(self.sizes.items())))
        hit = _GRIDS.get(key)
        if hit is not None and hit[0] is m:
            self.notes.update(hit[2])
            return hit[1]
        try:
            found: list[str] = []
            rows = patterns.expand_matrix(m, self.sizes, notes=found)
            self.notes.update(found)
            if len(_GRIDS) > 5000:
                _GRIDS.clear()
            _GRIDS[key] = (m, rows, tuple(found))  # holding m keeps its id unique
            return rows
        except patterns.PatternError as e:
            raise LowerError("pattern", f"matrix pattern: {e}", m.span)

    def _Entry(self, n: ir.Entry) -> Value:
        if isinstance(n.arg, ir.Paren) and n.arg.delim in ("|", "||"):
            return self.norm(n)
        v = self.lower(n.arg)
        idx = tuple(self.index_value(x) for x in n.sub)
        if not is_matrix(v):
            raise LowerError("index", "an entry of a scalar", n.span)
        r, c = v.shape  # type: ignore[union-attr]
        if len(idx) == 1 and (r == 1 or c == 1) and 1 <= idx[0] <= max(r, c):
            return v[idx[0] - 1]  # type: ignore[index]
        if len(idx) == 2 and 1 <= idx[0] <= r and 1 <= idx[1] <= c:
            return v[idx[0] - 1, idx[1] - 1]  # type: ignore[index]
        raise LowerError("index", f"entry {idx} of a {shape_text(v)} matrix", n.span)

    def norm(self, n: ir.Entry) -> Value:
        """‖x‖_1, ‖x‖_2, ‖A‖_F, ‖x‖_∞: the norm its subscript names."""
        v = as_scalar(self.lower(n.arg.items[0]))  # type: ignore[attr-defined]
        entries = list(v) if is_matrix(v) else [v]  # type: ignore[call-overload]
        kind = n.sub_text.strip().strip("{}").replace("\\", "")
        if kind in ("1",):
            return sp.Add(*[sp.Abs(x) for x in entries])
        if kind in ("2", "F", "Fro", "fro") and (kind != "2" or not is_matrix(v) or 1 in v.shape):  # type: ignore[union-attr]
            return sp.sqrt(sp.Add(*[x ** 2 for x in entries]))
        if kind in ("infty", "inf", "max"):
            return sp.Max(*[sp.Abs(x) for x in entries])
        raise LowerError("unsupported", f"the norm with subscript {n.sub_text}", n.span)

    @staticmethod
    def vertical_sum(m: ir.Matrix) -> bool:
        """A one-column "matrix" whose later rows start with + or -: a long sum
        written downwards inside big parentheses, as notes do."""
        if len(m.rows) < 2 or any(len(r) != 1 for r in m.rows):
            return False
        later = [r[0] for r in m.rows[1:] if not isinstance(r[0], ir.Ellipsis)]
        if all(isinstance(c, ir.Neg) and isinstance(c.arg, ir.Number) for c in later):
            return False  # (0 \\ -1): a vector of numbers, not a sum
        return bool(later) and all(isinstance(c, ir.Neg) or (isinstance(c, ir.Add) and len(c.terms) == 1)
                                   or (isinstance(c, ir.Add) and c.terms[0][0] < 0) for c in later)

    def grid(self, m: ir.Matrix) -> Value:
        if self.vertical_sum(m):
            self.notes.add("read a column whose rows start with + as one sum written downwards")
            rows = self.expand_grid(m)
            return self.add_values([self.lower(r[0]) for r in rows], m.span)
        rows = self.expand_grid(m)
        vals = [[self.lower(c) for c in row] for row in rows]
        if all(not is_matrix(v) or v.shape == (1, 1) for row in vals for v in row):
            if m.env == "binom" and len(rows[0]) == 1:
                pass
            return sp.Matrix([[as_scalar(v) for v in row] for row in vals])
        blocks = []
        for row in vals:
            heights = {v.shape[0] for v in row if is_matrix(v)}  # type: ignore[union-attr]
            if len(heights) != 1:
                raise LowerError("shape", "blocks in one row of a block matrix have different heights", m.span)
            h = heights.pop()
            parts = []
            for v in row:
                if not is_matrix(v):
                    self.notes.add(f"read the scalar {v} in a block matrix as a column of {v}s")
                    v = sp.Matrix(h, 1, lambda i, j, v=v: v)
                parts.append(v)
            blocks.append(sp.Matrix.hstack(*parts))
        widths = {b.shape[1] for b in blocks}
        if len(widths) != 1:
            raise LowerError("shape", "block rows have different widths", m.span)
        return sp.Matrix.vstack(*blocks)

    def _Matrix(self, m: ir.Matrix) -> Value:
        v = self.grid(m)
        if m.env in ("vmatrix", "Vmatrix") and is_matrix(v):
            # |a b; c d| written with vmatrix: the determinant, a number
            if v.shape[0] != v.shape[1]:  # type: ignore[union-attr]
                raise LowerError("shape", f"the determinant of a {shape_text(v)} matrix", m.span)
            return functions.cofactor_det(v) if v.shape[0] <= 4 else v.det()  # type: ignore[union-attr]
        return v

    def _Sum(self, n: ir.Sum) -> Value:
        if n.index is None:
            v = self.lower(n.body)
            if is_matrix(v):
                self.notes.add("read a sum without an index as the sum of all entries")
                return sum(v)  # type: ignore[arg-type]
            raise LowerError("unsupported", "a sum without an index over a scalar", n.span)
        if n.exclude is not None and n.lower is None and n.upper is not None:
            lo, hi = 1, self.index_value(n.upper)  # \sum_{j \neq i}^{n}: j from 1
        elif n.lower is None or n.upper is None:
            if n.lower is not None or n.upper is not None or n.over is not None:
                raise LowerError("unsupported", "a sum without both bounds", n.span)
            # Σ_i x_i r_iᵀ: i runs over every entry the body picks (the rows of X, …)
            from symcheck.indices import RangeFinder
            picked = [s for s in irutil.symbols(n.body) if s.sub and any(
                isinstance(t, ir.Symbol) and t.base == n.index.base for it in s.sub for t in irutil.symbols(it))]
            counted = self._family_count(picked)
            if counted is None and any(s.style == "bold" for s in picked):
                # Σ_i x_i r_iᵀ with bold x_i: the i-th vector of a set, whose count nothing states
                raise LowerError("unsupported", "a sum without both bounds", n.span)
            found = set(range(1, counted + 1)) if counted else RangeFinder(self.ctx, self).range_of(n.index.base, n.body)
            if not found or sorted(found) != list(range(min(found), max(found) + 1)):
                raise LowerError("unsupported", "a sum without both bounds", n.span)
            self.notes.add(f"read \\sum_{{{n.index.base}}} over every {n.index.base} its terms have "
                           f"({min(found)} to {max(found)} here)")
            lo, hi = min(found), max(found)
        else:
            lo = self.index_value(n.lower)
            hi = self.index_value(n.upper)
        if hi - lo + 1 > MAX_ITEMS:
            raise LowerError("unsupported", f"a sum of {hi - lo + 1} terms", n.span)
        skip = self.index_value(n.exclude) if n.exclude is not None else None  # Σ_{j≠i}
        vals = []
        for i in range(lo, hi + 1):
            if i == skip:
                continue
            bound = dict(self.indices)
            bound[n.index.base] = i
            vals.append(self.child(indices=bound).lower(n.body))
        if not vals:
            return sp.Integer(0)
        if n.op == "prod":
            out: object = sp.Integer(1)
            for v in vals:
                out = out * v  # type: ignore[operator]
            return out
        return self.add_values(vals, n.span)

    def _family_count(self, picked: list[ir.Symbol]) -> int | None:
        """How many vectors x_i there are when the text says they are the rows (or columns)
        of a matrix: its number of rows (or columns) here; None when it does not say."""
        counts = set()
        for s in picked:
            key = names.key(s)
            of_rows = self.ctx.rows_of.get(key) or self.ctx.family_vectors.get(key, (None, None))[1]
            of_cols = self.ctx.columns_of.get(key)
            if of_rows is None and of_cols is None:
                return None
            shp = self.shape_of(of_rows or of_cols)  # type: ignore[arg-type]
            if shp is None:
                return None
            counts.add(shp[0] if of_rows else shp[1])
        return counts.pop() if len(counts) == 1 else None

    def _Cases(self, n: ir.Cases) -> Value:
        pieces: list[tuple[object, object]] = []
        shapes = []  # of every case that is a matrix, taken or not: a 0 case is the zero matrix
        for value, cond in n.rows:
            if cond is None or isinstance(cond, ir.Text):
                pieces.append((self.lower(value), True))
                break
            if not isinstance(cond, ir.Relation):
                raise LowerError("unsupported", "a case condition that is not a relation", n.span)
            truth = self.condition(cond)
            if truth is False:
                try:
                    skipped = self.lower(value)
                except LowerError:
                    continue
                if is_matrix(skipped):
                    shapes.append(skipped.shape)  # type: ignore[union-attr]
                continue
            pieces.append((self.lower(value), True if truth is True else truth))
            if truth is True:
                break
        if not pieces:
            raise LowerError("unsupported", "no case applies", n.span)
        shapes += [v.shape for v, _ in pieces if is_matrix(v)]  # type: ignore[union-attr]
        if not shapes:
            return pieces[0][0] if pieces[0][1] is True else sp.Piecewise(*pieces)  # type: ignore[return-value]
        if len(set(shapes)) != 1:
            raise LowerError("shape", "cases of different shapes", n.span)
        r, c = shapes[0]
        cells = []
        for v, cond in pieces:
            if not is_matrix(v):
                if v != 0:
                    raise LowerError("shape", "a case that is a number where another is a matrix", n.span)
                v = sp.zeros(r, c)  # "0 otherwise": the zero vector
            cells.append((v, cond))
        if cells[0][1] is True:
            return cells[0][0]  # type: ignore[return-value]
        return sp.Matrix(r, c, lambda i, j: sp.Piecewise(*[(v[i, j], cond) for v, cond in cells]))  # type: ignore[index]

    def _over_free_index(self, node: object) -> sp.Matrix | None:
        """The column of ``node``'s values over its one free index, when the document's sums
        over that index all run from 1 to the same size (Σ_{i=1}^{n}); else None."""
        from symcheck.indices import free_letters
        letters = [L for L in free_letters(node, frozenset(self.indices), sizes=set(self.sizes))]
        if len(letters) != 1:
            return None
        uppers = set()
        for st in self.ctx.statements:
            for x in irutil.walk(st.relation):
                if isinstance(x, ir.Sum) and x.index is not None and x.index.base == letters[0] \
                        and isinstance(x.lower, ir.Number) and x.lower.text == "1" \
                        and isinstance(x.upper, ir.Symbol) and not x.upper.sub:
                    uppers.add(names.key(x.upper))
        if len(uppers) != 1 or next(iter(uppers)) not in self.sizes:
            return None
        n = self.sizes[next(iter(uppers))]
        vals = [as_scalar(self.child(indices=dict(self.indices, **{letters[0]: i})).lower(node))
                for i in range(1, n + 1)]
        if any(is_matrix(v) for v in vals):
            return None
        return sp.Matrix(n, 1, vals)

    def unknown_function(self, key: str, arg: object) -> Value:
        """L(a) for an L the document never defines: a quadratic g·a + ½ aᵀH a with g and a
        symmetric H left free.  Gradients and Hessians of L at any point then follow the
        rules exactly, and a claim that holds only for special L fails for most g, H."""
        a = as_scalar(self.lower(arg))
        xs = list(a) if is_matrix(a) else [a]  # type: ignore[call-overload]
        name = names.display(key)
        g = [leaf(f"(\\nabla {name})_{{{i + 1}}}") for i in range(len(xs))]
        total = sum((gi * xi for gi, xi in zip(g, xs)), sp.Integer(0))
        for i in range(len(xs)):
            for j in range(len(xs)):
                h = leaf(f"(\\nabla^2 {name})_{{{min(i, j) + 1}{max(i, j) + 1}}}")
                total += sp.Rational(1, 2) * h * xs[i] * xs[j]
        return total

    def indicator(self, rel: ir.Relation) -> Value:
        a, b = as_scalar(self.lower(rel.lhs)), as_scalar(self.lower(rel.rhs))
        ops = {"<": sp.Lt, ">": sp.Gt, "le": sp.Le, "ge": sp.Ge, "ne": sp.Ne, "=": sp.Eq}
        if rel.op not in ops:
            raise LowerError("unsupported", f"an indicator of a relation {rel.op}", rel.span)
        mats = [v for v in (a, b) if is_matrix(v)]
        if not mats:
            return sp.Piecewise((1, ops[rel.op](a, b)), (0, True))
        shp = mats[0].shape  # type: ignore[union-attr]
        if any(m.shape != shp for m in mats):  # type: ignore[union-attr]
            raise LowerError("shape", "an indicator comparing matrices of different shapes", rel.span)
        return sp.Matrix(shp[0], shp[1], lambda i, j: sp.Piecewise(
            (1, ops[rel.op](a[i, j] if is_matrix(a) else a, b[i, j] if is_matrix(b) else b)), (0, True)))

    def condition(self, rel: ir.Relation) -> object:
        a, b = as_scalar(self.lower(rel.lhs)), as_scalar(self.lower(rel.rhs))
        ops = {"=": sp.Eq, "ne": sp.Ne, "<": sp.Lt, ">": sp.Gt, "le": sp.Le, "ge": sp.Ge}
        if rel.op not in ops:
            raise LowerError("unsupported", f"a condition with {rel.op}", rel.span)
        r = ops[rel.op](a, b)
        if r in (sp.true, sp.false):
            return bool(r)
        return r

    def _Deriv(self, n: ir.Deriv) -> Value:
        """Derivatives are the costly part of lowering and recur at every index value
        and in every repair candidate: cached per node, sizes and bound indices."""
        from symcheck import derivative
        if self.frozen or self.rewrites:
            return derivative.lower_derivative(self, n)
        key = (id(n), tuple(sorted(self.sizes.items())), tuple(sorted(self.indices.items())),
               tuple(sorted((k, str(v)) for k, v in self.generic.items())), self.locals,
               tuple(sorted(self.cost_args.items())), self.position >= n.span.start, self.late_inputs())
        cache = self.ctx.__dict__.setdefault("deriv_cache", {})
        hit = cache.get(key)
        if hit is not None and hit[0] is n:
            return hit[1]
        v = derivative.lower_derivative(self, n)
        cache[key] = (n, v)
        return v

    def _Differential(self, n: ir.Differential) -> Value:
        """d(E): the first-order change of E when the inputs whose differential the row
        writes move by perturbations of their own (dX: fresh entries shaped like X), that
        is Σ_v ∂E/∂v dv over their entries.  The other inputs stay fixed, as the row says."""
        pairs = self.perturbations(n)
        if not pairs:
            raise LowerError("unsupported", "a differential in a row that perturbs no input (no dX of an "
                                            "undefined X): it does not say what changes", n.span)
        return _directional(self.lower(n.arg), pairs)

    def perturbations(self, n: ir.Differential) -> list[tuple[sp.Symbol, sp.Symbol]]:
        """(entry, its perturbation dentry) for each entry of the row's perturbed inputs.
        A symbol of ``over`` is an input when it lowers to entries of its own (X, W, x):
        dg of a defined g is what the row computes, not a perturbation."""
        out: dict[sp.Symbol, sp.Symbol] = {}
        for s in n.over:
            try:
                v = self.lower(s)
            except LowerError as e:
                if e.kind == "timeout":
                    raise
                continue  # not a value here (a function name): perturbs nothing
            entries = list(v) if is_matrix(v) else [v]  # type: ignore[call-overload]
            if entries and all(isinstance(x, sp.Symbol) for x in entries):
                for x in entries:
                    out.setdefault(x, leaf(f"\\mathrm{{d}}{x.name}"))
        return list(out.items())

    def _Text(self, n: ir.Text) -> Value:
        raise LowerError("unsupported", f"words inside math ({n.text!r})", n.span)
