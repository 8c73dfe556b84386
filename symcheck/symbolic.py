"""Proofs for all sizes: the relation as a SymPy matrix expression.

When the document leaves sizes symbolic (``W`` is s_out × s_in), a check at a few
sizes is evidence, not proof.  Here every matrix is a ``MatrixSymbol`` with
symbolic dimensions, products never commute, transposes reverse them, and
gradients come from SymPy's matrix calculus on the document's cost written as a
trace (never ``diff`` of an entry of a product, which SymPy gets wrong).  Equal
normal forms of the two sides prove the relation for every size.
"""
from __future__ import annotations

import sympy as sp
from sympy import MatrixExpr, MatrixSymbol

from symcheck import irutil, names
from symcheck.context import Context, unwrap
from symcheck.latex import ir


class NotSymbolic(Exception):
    """This relation has no all-sizes reading (entries, ellipses, explicit numbers)."""


def _dim(d: object) -> sp.Expr:
    if isinstance(d, int):
        return sp.Integer(d)
    if isinstance(d, str):
        if "+" in d:
            return sp.Add(*[_dim(int(p) if p.isdigit() else p) for p in d.split("+")])
        return sp.Symbol(names.display(d), integer=True, positive=True)
    raise NotSymbolic(f"size {d}")


def is_mat(v: object) -> bool:
    return isinstance(v, MatrixExpr)


class SymLowerer:
    def __init__(self, ctx: Context, cost_args: dict[str, tuple[str, ...]],
                 frozen: dict[str, object] | None = None) -> None:
        self.ctx = ctx
        self.cost_args = cost_args
        self.frozen = frozen or {}
        self.depth = 0

    def shape(self, key: str) -> tuple[sp.Expr, sp.Expr]:
        s = self.ctx.shapes.get(key)
        if s is None:
            raise NotSymbolic(f"{key} has no shape")
        return _dim(s[0]), _dim(s[1])

    def qval(self, key: str) -> object:
        if key in self.frozen:
            return self.frozen[key]
        q = self.ctx.quantities[key]
        self.depth += 1
        if self.depth > 50:
            raise NotSymbolic("cycle")
        try:
            if q.definition is not None:
                v = self.lower(q.definition)
                return v.T if q.transposed_def and is_mat(v) else v  # type: ignore[union-attr]
            if q.grid is not None and not self._canonical_grid(q.grid):
                raise NotSymbolic("explicit grid")
            if key in self.ctx.shapes:
                r, c = self.shape(key)
                return MatrixSymbol(names.display(key), r, c)
            return sp.Symbol(names.display(key), real=True)
        finally:
            self.depth -= 1

    def _canonical_grid(self, g: ir.Matrix) -> bool:
        """A grid written with ellipses that lists a whole matrix of leaves."""
        return any(isinstance(n, ir.Ellipsis) for n in irutil.walk(g)) and all(
            isinstance(c, (ir.Symbol, ir.Ellipsis)) for row in g.rows for c in row)

    def _grid_quantity(self, m: ir.Matrix) -> str | None:
        """An inline grid that repeats a quantity's own grid stands for that quantity."""
        target = irutil.strip_spans(m.rows)
        for q in self.ctx.quantities.values():
            if q.grid is not None and irutil.strip_spans(q.grid.rows) == target:
                return q.key
        return None

    def lower(self, node: object) -> object:
        node = unwrap(node)
        m = getattr(self, "_" + type(node).__name__, None)
        if m is None:
            raise NotSymbolic(type(node).__name__)
        return m(node)

    def _Number(self, n: ir.Number) -> object:
        from fractions import Fraction
        f = Fraction(n.text)
        return sp.Rational(f.numerator, f.denominator)

    def _Symbol(self, s: ir.Symbol) -> object:
        c = self.ctx
        if s.sub is not None and names.key_with_sub(s) not in c.quantities:
            raise NotSymbolic("an entry")
        k = names.key_with_sub(s) if s.sub is not None else names.key(s)
        if k in self.frozen or k in c.quantities:
            return self.qval(k)  # type: ignore[arg-type]
        if k in c.abstract:
            return self.surrogate(k)  # type: ignore[arg-type]
        if k in c.size_symbols:
            return _dim(k)
        if k in c.families or k in c.functions:
            raise NotSymbolic("a family")
        return sp.Symbol(names.display(k), real=True)  # type: ignore[arg-type]

    def surrogate(self, key: str) -> object:
        total: object = sp.Integer(0)
        args = self.cost_args.get(key)
        if not args:
            raise NotSymbolic("abstract cost with no arguments")
        for a in args:
            v = self.qval(a)
            g = self.given(key, a, v)
            total = total + (sp.Trace(g.T * v) if is_mat(v) else g * v)  # type: ignore[union-attr,operator]
        return total

    def given(self, cost: str, wrt: str, v: object) -> object:
        name = f"\\partial {names.display(cost)}/\\partial {names.display(wrt)}"
        if is_mat(v):
            return MatrixSymbol(name, *v.shape)  # type: ignore[union-attr]
        return sp.Symbol(name, real=True)

    def _Neg(self, n: ir.Neg) -> object:
        return -self.lower(n.arg)  # type: ignore[operator]

    def _Add(self, n: ir.Add) -> object:
        vals = []
        for sg, t in n.terms:
            if isinstance(t, ir.Ellipsis):
                raise NotSymbolic("ellipsis")
            v = self.lower(t)
            vals.append(v if sg > 0 else -v)  # type: ignore[operator]
        mats = [v for v in vals if is_mat(v)]
        if mats and len(mats) != len(vals):
            raise NotSymbolic("scalar plus matrix")
        if mats:
            shp = mats[0].shape  # type: ignore[union-attr]
            for v in mats[1:]:
                if sp.simplify(v.shape[0] - shp[0]) != 0 or sp.simplify(v.shape[1] - shp[1]) != 0:  # type: ignore[union-attr]
                    raise NotSymbolic("shapes differ")
            return sp.MatAdd(*vals)
        return sp.Add(*vals)

    def _Mul(self, n: ir.Mul) -> object:
        cur = self.lower(n.factors[0])
        for op, f in zip(n.ops, n.factors[1:]):
            if isinstance(f, ir.Paren) and op == "juxt" and isinstance(n.factors[0], ir.Symbol) \
                    and names.key(n.factors[0]) in self.ctx.functions:
                raise NotSymbolic("function call")
            v = self.lower(f)
            if op == "oslash":
                raise NotSymbolic("entrywise division")
            if op == "odot":
                if is_mat(cur) and is_mat(v):
                    cur = sp.HadamardProduct(cur, v)
                    continue
            if is_mat(cur) and is_mat(v):
                if sp.simplify(cur.shape[1] - v.shape[0]) != 0:  # type: ignore[union-attr]
                    raise NotSymbolic("shapes do not conform")
                cur = sp.MatMul(cur, v)
            else:
                cur = cur * v  # type: ignore[operator]
        return cur

    def _Frac(self, n: ir.Frac) -> object:
        num, den = self.lower(n.num), self.lower(n.den)
        if is_mat(den):
            raise NotSymbolic("matrix denominator")
        return num / den if not is_mat(num) else sp.MatMul(1 / den, num)  # type: ignore[operator]

    def _Transpose(self, n: ir.Transpose) -> object:
        v = self.lower(n.arg)
        return v.T if is_mat(v) else v  # type: ignore[union-attr]

    def _Paren(self, n: ir.Paren) -> object:
        if len(n.items) != 1 or n.delim not in ("(", "["):
            raise NotSymbolic("paren")
        return self.lower(n.items[0])

    def _Pow(self, n: ir.Pow) -> object:
        b = self.lower(n.base)
        e = self.lower(n.exp)
        if is_mat(b):
            if e == -1:
                return sp.Inverse(b)
            raise NotSymbolic("matrix power")
        return b ** e  # type: ignore[operator]

    def _Matrix(self, m: ir.Matrix) -> object:
        k = self._grid_quantity(m)
        if k is None:
            raise NotSymbolic("explicit matrix")
        return self.qval(k)

    def _Sum(self, n: ir.Sum) -> object:
        if n.index is not None:
            raise NotSymbolic("indexed sum")
        body = unwrap(n.body)
        if isinstance(body, ir.Pow) and isinstance(body.exp, ir.Number) and body.exp.text == "2":
            v = self.lower(body.base)
            if is_mat(v):
                return sp.Trace(v.T * v)  # type: ignore[union-attr]
        raise NotSymbolic("sum")

    def _Deriv(self, d: ir.Deriv) -> object:
        if d.num is None or len(d.wrt) != 1 or d.wrt[0][1] != 1:
            raise NotSymbolic("derivative form")
        var = unwrap(d.wrt[0][0])
        while isinstance(var, ir.Paren) and len(var.items) == 1:
            var = unwrap(var.items[0])
        transposed = False
        if isinstance(var, ir.Transpose):
            transposed, var = True, unwrap(var.arg)
        if not isinstance(var, ir.Symbol) or var.sub is not None:
            raise NotSymbolic("derivative by an entry")
        k = names.key(var)
        q = self.ctx.quantities.get(k)
        if q is not None and q.definition is not None:
            real = self.qval(k)
            ph = MatrixSymbol(f"⟨{names.display(k)}⟩", *real.shape) if is_mat(real) else sp.Symbol(f"⟨{k}⟩")  # type: ignore[union-attr]
            frozen = dict(self.frozen)
            frozen[k] = ph
            inner = SymLowerer(self.ctx, self.cost_args, frozen)
            res = _diff(inner.lower(d.num), ph)
            res = res.xreplace({ph: real}) if hasattr(res, "xreplace") else res  # type: ignore[union-attr]
        else:
            v = self.lower(var)
            if not isinstance(v, (MatrixSymbol, sp.Symbol)):
                raise NotSymbolic("derivative by an expression")
            res = _diff(self.lower(d.num), v)
        return res.T if transposed and is_mat(res) else res  # type: ignore[union-attr]


def _diff(expr: object, var: object) -> object:
    if is_mat(expr) and isinstance(var, MatrixSymbol):
        if var.shape[1] != 1 or expr.shape[1] != 1:  # type: ignore[union-attr]
            raise NotSymbolic("matrix by matrix derivative")
    try:
        return sp.diff(expr, var)
    except (NotImplementedError, TypeError, ValueError, AttributeError) as e:
        raise NotSymbolic(f"derivative: {e}")


def _zero(d: object) -> bool:
    if d == 0 or isinstance(d, sp.ZeroMatrix):
        return True
    try:
        e = d.doit() if hasattr(d, "doit") else d  # type: ignore[union-attr]
        e = sp.expand(e)
        return e == 0 or isinstance(e, sp.ZeroMatrix)
        # no simplify here: it has no time limit in-process, and a normal form that
        # does not cancel leaves the verdict to the concrete checks
    except (NotImplementedError, TypeError, ValueError, AttributeError):
        return False


def prove_all_sizes(ctx: Context, rel: ir.Relation, cost_args: dict[str, tuple[str, ...]]) -> bool | None:
    """True: proved for every size.  None: no all-sizes reading or no proof found."""
    low = SymLowerer(ctx, cost_args)
    try:
        a, b = low.lower(rel.lhs), low.lower(rel.rhs)
    except (NotSymbolic, RecursionError, NotImplementedError, TypeError, ValueError, AttributeError,
            sp.ShapeError):
        return None
    if not (is_mat(a) or is_mat(b)):
        return None
    if is_mat(a) != is_mat(b):
        return None
    if any(sp.simplify(x - y) != 0 for x, y in zip(a.shape, b.shape)):  # type: ignore[union-attr]
        return None
    try:
        return True if _zero(sp.MatAdd(a, -b)) else None  # type: ignore[operator]
    except (sp.ShapeError, TypeError, ValueError, NotImplementedError, AttributeError):
        return None
