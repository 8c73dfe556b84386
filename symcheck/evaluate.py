"""A document's quantities evaluated at given values.

The model is the one ``symcheck check`` builds (context.py), lowered at concrete
sizes (lower.py) with derivatives computed from the definitions (derivative.py).
Values are bound to the *leaves* of that model — the entries nobody defines: data,
weights, targets — by reading each given name with the LaTeX grammar and lowering
it as the document would (``W^{(1)}`` is the matrix of its entries ``w_{ij}^{(1)}``,
``x_1`` an entry of a declared ``x``).  Then every expression is evaluated exactly
where it is rational and in 50-digit arithmetic where exp/log appear.

Used by ``symcheck eval`` (evalreport.py) and by the decider for worked examples in a
document (examples.py): one module decides what "the value at these inputs" means.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from fractions import Fraction

import mpmath
import sympy as sp

from symcheck import irutil, names, numeric
from symcheck.context import Context, Statement, unwrap
from symcheck.latex import ir
from symcheck.lower import LowerError, Lowerer, as_scalar, is_matrix, shape_text
from symcheck.source import Span

DIGITS = 50  # working precision where a value is not rational
AGREE = mpmath.mpf(10) ** -30  # two 50-digit values this close (relative) are equal
FD_STEP = Fraction(1, 10 ** 20)  # central differences at 60 digits: error about 1e-40
FD_DIGITS = 60
FD_TOLERANCE = mpmath.mpf(10) ** -8  # the agreement a finite-difference check asks for
SECONDS = 60.0  # per expression; a guard against runaway lowering, not a verdict


class BindError(Exception):
    """A value that cannot be bound: unknown name, a computed quantity, a wrong shape."""

    def __init__(self, message: str, span: Span | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.span = span


class Missing(Exception):
    """An expression needs inputs that have no value."""

    def __init__(self, leaves: list[sp.Symbol]) -> None:
        super().__init__(", ".join(s.name for s in leaves))
        self.leaves = leaves


@dataclass(frozen=True)
class Num:
    """One value: exact when rational, always with a 50-digit approximation."""

    exact: Fraction | None
    approx: object  # mpmath.mpf

    def decimal(self, digits: int = 12) -> str:
        return _nstr(self.approx, digits)

    def text(self) -> str:
        if self.exact is not None:
            return str(self.exact)
        return self.decimal()


@dataclass(frozen=True)
class Val:
    """A scalar (one row of one entry, ``scalar`` True) or a matrix of values."""

    rows: tuple[tuple[Num, ...], ...]
    scalar: bool

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.rows), len(self.rows[0]) if self.rows else 0

    def entries(self) -> list[Num]:
        return [x for r in self.rows for x in r]

    def exact_text(self) -> str | None:
        if any(x.exact is None for x in self.entries()):
            return None
        return _show(self, lambda x: str(x.exact))

    def decimal_text(self, digits: int = 12) -> str:
        return _show(self, lambda x: x.decimal(digits))


def _show(v: Val, fmt: object) -> str:
    if v.scalar:
        return fmt(v.rows[0][0])  # type: ignore[operator]
    return "[" + ", ".join("[" + ", ".join(fmt(x) for x in r) + "]" for r in v.rows) + "]"  # type: ignore[operator]


def _nstr(x: object, digits: int) -> str:
    with mpmath.workdps(DIGITS):
        if x == 0:
            return "0"
        return mpmath.nstr(x, digits, strip_zeros=True, min_fixed=-5, max_fixed=12)


@dataclass(frozen=True)
class Point:
    """Sizes and the value of every bound leaf."""

    sizes: tuple[tuple[str, int], ...]
    values: tuple[tuple[sp.Symbol, sp.Rational], ...]

    def size_map(self) -> dict[str, int]:
        return dict(self.sizes)

    def value_map(self) -> dict[sp.Symbol, sp.Rational]:
        return dict(self.values)


# -- reading names ----------------------------------------------------------------
def read_name(text: str) -> ir.Symbol:
    """A name as the document writes it (``W^{(1)}``, ``x_1``, ``\\hat y``), read by the grammar."""
    from symcheck.latex import parser
    from symcheck.source import MappedText

    node = parser.parse_expr(MappedText.from_original(text))
    while isinstance(node, ir.Paren) and len(node.items) == 1:
        node = node.items[0]
    if not isinstance(node, ir.Symbol) or node.prime:
        raise BindError(f"{text!r} is not a name (write it as the document does, e.g. x_1 or W^{{(1)}})")
    return node


def size_key(ctx: Context, sym: ir.Symbol) -> str | None:
    for k in (names.key_with_sub(sym), names.key(sym)):
        if k and (k in ctx.size_symbols or k in ctx.doc_sizes):
            return k
    return None


def quantity_key(ctx: Context, sym: ir.Symbol) -> str:
    ks = names.key_with_sub(sym)
    return ks if ks is not None and ks in ctx.quantities else names.key(sym)


def leaves_of(value: object) -> list[sp.Symbol] | None:
    """The leaves a lowered name stands for, entry by entry; None when it is computed."""
    flat = list(value) if is_matrix(value) else [value]  # type: ignore[call-overload]
    if all(isinstance(x, sp.Symbol) for x in flat) and len(set(flat)) == len(flat):
        return flat  # type: ignore[return-value]
    return None


def as_sympy(v: object) -> object:
    """A Fraction or rows of Fractions as a SymPy Rational or Matrix (no text is read)."""
    if isinstance(v, Fraction):
        return sp.Rational(v.numerator, v.denominator)
    return sp.Matrix([[sp.Rational(x.numerator, x.denominator) for x in row] for row in v])  # type: ignore[union-attr]


def sizes_from(ctx: Context, given: list[tuple[ir.Symbol, object, bool]]) -> dict[str, int]:
    """The document's sizes, the sizes given by name, and those a matrix value implies."""
    sizes = dict(ctx.doc_sizes)
    for sym, v, _ in given:
        k = size_key(ctx, sym)
        if k is None or k in ctx.doc_sizes:
            continue
        if is_matrix(v) or not (isinstance(v, sp.Integer) and int(v) > 0):
            raise BindError(f"{names.display(k)} is a size of the document; it needs a positive whole number")
        sizes[k] = int(v)
    for sym, v, flat in given:
        k = quantity_key(ctx, sym)
        shp = ctx.shapes.get(k)
        if shp is None or size_key(ctx, sym) is not None:
            continue
        got = v.shape if is_matrix(v) else (1, 1)  # type: ignore[union-attr]
        if flat and shp[0] == 1:
            got = (got[1], got[0])  # a flat list for a row vector
        for d, n in zip(shp, got):
            if not isinstance(d, str) or "+" in d:
                continue
            if d in sizes and sizes[d] != n:
                raise BindError(f"{names.display(k)} is {_dims(shp)}; the value given has {n} along "
                                f"{names.display(d)}, which is {sizes[d]} elsewhere")
            sizes.setdefault(d, n)
    return sizes


def _dims(shp: tuple[object, object]) -> str:
    return f"{names.display(str(shp[0]))}×{names.display(str(shp[1]))}"


def missing_sizes(ctx: Context, sizes: dict[str, int]) -> list[str]:
    return sorted(s for s in ctx.size_symbols if "+" not in s and s not in sizes
                  and not s.startswith(("rows(", "cols(")))


def bind(ctx: Context, sizes: dict[str, int], given: list[tuple[ir.Symbol, object, bool]],
         known: set[sp.Symbol] | None = None) -> dict[sp.Symbol, sp.Rational]:
    """Leaf → value for every given name.  ``known``: the leaves the document uses; a
    name outside them is unknown.  Later values replace earlier ones."""
    out: dict[sp.Symbol, sp.Rational] = {}
    low = Lowerer(ctx, dict(sizes))
    low.use_simplex = False  # given values are given entry by entry
    for sym, v, flat in given:
        if size_key(ctx, sym) is not None:
            continue
        shown = names.display(names.key_with_sub(sym) or names.key(sym)) if sym.sub_text else \
            names.display(names.key(sym))
        try:
            target = low.lower(sym)
        except LowerError as e:
            raise BindError(f"{shown}: {e.message}", sym.span) from None
        leaves = leaves_of(target)
        if leaves is None:
            raise BindError(f"{shown} is computed by the document; give values for what it "
                            "depends on instead", _defining(ctx, sym))
        if known is not None and not set(leaves) <= known:
            raise BindError(f"{shown} is not a quantity of this document")
        if is_matrix(target):
            r, c = target.shape  # type: ignore[union-attr]
            if not is_matrix(v):
                if r * c != 1:
                    raise BindError(f"{shown} is {r}×{c} in the document; the value given is a number")
                v = sp.Matrix([[v]])
            if flat and r == 1:
                v = v.T  # type: ignore[union-attr]
            if v.shape != (r, c):  # type: ignore[union-attr]
                raise BindError(f"{shown} is {r}×{c} in the document; the value given is "
                                f"{v.shape[0]}×{v.shape[1]}")  # type: ignore[union-attr]
            out.update(zip(leaves, list(v)))  # type: ignore[call-overload]
        else:
            if is_matrix(v):
                if v.shape != (1, 1):  # type: ignore[union-attr]
                    raise BindError(f"{shown} is a scalar in the document; the value given is "
                                    f"{shape_text(v)}")
                v = v[0, 0]  # type: ignore[index]
            out[leaves[0]] = v  # type: ignore[assignment]
    return out


def _defining(ctx: Context, sym: ir.Symbol) -> Span | None:
    k = quantity_key(ctx, sym)
    for st in ctx.statements:
        if st.defines in (k, names.key(sym)) and st.role in ("definition", "layout", "naming", "function"):
            return st.relation.span
    return None


# -- evaluating ----------------------------------------------------------------------
def lowerer(ctx: Context, sizes: dict[str, int], st: Statement | None) -> Lowerer:
    """A lowerer set up as the decider sets it up for this statement."""
    from symcheck import costs
    from symcheck.decide import Decider

    if st is None:
        low = Lowerer(ctx, dict(sizes))
    else:
        low = Lowerer(ctx, dict(sizes), cost_args=costs.arguments(ctx, st),
                      locals_=Decider(ctx, SECONDS).locals(st))
        low.position = st.relation.span.start
        low.stmt_position = st.relation.span.start
        low.symmetric = frozenset(st.symmetric)
    low.deadline = time.monotonic() + SECONDS
    low.use_simplex = False  # at given values every entry has its own value
    return low


def number(expr: object, point: dict[sp.Symbol, sp.Rational]) -> Num:
    """The value of a scalar expression at ``point`` (Missing when a leaf has no value)."""
    free = getattr(expr, "free_symbols", set())
    lacking = sorted((s for s in free if s not in point), key=lambda s: s.name)
    if lacking:
        raise Missing(lacking)
    try:
        f = numeric.evaluate_exact(expr, point)
        with mpmath.workdps(DIGITS):
            return Num(f, mpmath.mpf(f.numerator) / f.denominator)
    except numeric.Unsupported:
        pass
    try:
        with mpmath.workdps(DIGITS):  # the point itself is read at this precision too
            x = numeric.evaluate(expr, point, DIGITS)
    except numeric.Unsupported:
        x = _by_sympy(expr, point, DIGITS)
    if isinstance(x, mpmath.mpc):
        if x.imag != 0:
            raise ArithmeticError("the value is not real")
        x = x.real
    return Num(None, x)


def value(v: object, point: dict[sp.Symbol, sp.Rational]) -> Val:
    v = as_scalar(v)
    if is_matrix(v):
        r, c = v.shape  # type: ignore[union-attr]
        return Val(tuple(tuple(number(v[i, j], point) for j in range(c)) for i in range(r)), False)  # type: ignore[index]
    return Val(((number(v, point),),), True)


def same(a: Val, b: Val) -> tuple[bool, str]:
    """Equal at these values?  Exactly where both are rational, else to 30 digits."""
    if a.shape != b.shape:
        return False, f"the left side is {_shape(a)}, the right side is {_shape(b)}"
    for k, (x, y) in enumerate(zip(a.entries(), b.entries())):
        if x.exact is not None and y.exact is not None:
            ok = x.exact == y.exact
        else:
            with mpmath.workdps(DIGITS):
                ok = abs(x.approx - y.approx) <= AGREE * (1 + abs(x.approx) + abs(y.approx))  # type: ignore[operator]
        if not ok:
            entry = "" if len(a.entries()) == 1 else f" in entry {_entry(a, k)}"
            return False, f"the sides differ{entry}: {x.text()} vs {y.text()}"
    return True, ""


def _shape(v: Val) -> str:
    return "scalar" if v.scalar else f"{v.shape[0]}×{v.shape[1]}"


def _entry(v: Val, k: int) -> str:
    r, c = v.shape
    return f"({k // c + 1}, {k % c + 1})"


def stated_decimal(node: object) -> str | None:
    from symcheck.decide import _stated_decimal
    return _stated_decimal(node)


def to_stated_precision(v: Val, stated: str) -> tuple[bool, str]:
    """A value compared with a decimal written in the document, to the digits it shows."""
    from symcheck.decide import _check_number

    if not v.scalar:
        return False, f"a {_shape(v)} value compared with the number {stated}"
    x = v.rows[0][0]
    exact = sp.Rational(x.exact.numerator, x.exact.denominator) if x.exact is not None else \
        sp.Float(mpmath.nstr(x.approx, DIGITS), DIGITS)
    out = _check_number(exact, stated)
    if out is None:
        return False, "the value could not be compared"
    return out.code == "SC001", out.message.split(": ", 1)[-1]


def finite_differences(f: object, var_leaves: list[sp.Symbol], shape: tuple[int, int], layout: str,
                       point: dict[sp.Symbol, sp.Rational]) -> Val:
    """Central differences of a scalar ``f`` in each leaf, arranged like the engine's
    gradient (the variable's shape; transposed in numerator layout)."""
    h = sp.Rational(FD_STEP.numerator, FD_STEP.denominator)
    lacking = sorted((s for s in getattr(f, "free_symbols", set()) if s not in point), key=lambda s: s.name)
    if lacking:
        raise Missing(lacking)
    grads = []
    for s in var_leaves:
        up, down = dict(point), dict(point)
        up[s] = point[s] + h
        down[s] = point[s] - h
        with mpmath.workdps(FD_DIGITS):
            hi = _real(numeric_at(f, up))
            lo = _real(numeric_at(f, down))
            grads.append((hi - lo) / (2 * mpmath.mpf(FD_STEP.numerator) / FD_STEP.denominator))
    r, c = shape
    rows = [[Num(None, grads[i * c + j]) for j in range(c)] for i in range(r)]
    if layout == "numerator" and c > 1:
        rows = [list(col) for col in zip(*rows)]
    return Val(tuple(tuple(row) for row in rows), r * c == 1)


def numeric_at(f: object, point: dict[sp.Symbol, sp.Rational]) -> object:
    try:
        with mpmath.workdps(FD_DIGITS):  # the point itself is read at this precision too
            return numeric.evaluate(f, point, FD_DIGITS)
    except numeric.Unsupported:
        return _by_sympy(f, point, FD_DIGITS)


def _by_sympy(e: object, point: dict[sp.Symbol, sp.Rational], digits: int) -> object:
    """SymPy's own evaluation, for functions the fast evaluator does not know."""
    x = sp.N(e.xreplace(point), digits)  # type: ignore[union-attr]
    if not x.is_number:
        raise ArithmeticError("the value is not a number")
    re_, im = x.as_real_imag()
    if im != 0:
        raise ArithmeticError("the value is not real")
    return mpmath.mpf(sp.Float(re_, digits))


def _real(x: object) -> object:
    if isinstance(x, mpmath.mpc):
        if x.imag != 0:
            raise ArithmeticError("the value is not real")
        return x.real
    return x


def fd_agree(engine: Val, fd: Val) -> tuple[bool, object]:
    """Engine gradient vs finite differences: agreement to 1e-8 and the largest gap."""
    if engine.shape != fd.shape:
        return False, None
    worst = mpmath.mpf(0)
    with mpmath.workdps(DIGITS):
        for x, y in zip(engine.entries(), fd.entries()):
            gap = abs(x.approx - y.approx) / max(1, abs(x.approx))  # type: ignore[operator]
            worst = max(worst, gap)
    return bool(worst <= FD_TOLERANCE), worst


# -- what a relation is about ------------------------------------------------------
def subject(st: Statement) -> ir.Deriv | None:
    """The derivative a claim states a value of: the first item of its row."""
    first = st.chain.items[0] if st.chain is not None and getattr(st.chain, "items", None) else st.relation.lhs
    first = unwrap(first)
    return first if isinstance(first, ir.Deriv) else None


def update_target(ctx: Context, st: Statement) -> str | None:
    """``W = W - γ ∂C/∂W``: the quantity an update rule changes, or None."""
    if st.role not in ("update", "claim"):
        return None
    lhs = unwrap(st.relation.lhs)
    if not isinstance(lhs, ir.Symbol):
        return None
    k = quantity_key(ctx, lhs)
    derivs = [n for n in irutil.walk(st.relation.rhs) if isinstance(n, ir.Deriv)]
    for d in derivs:
        for var, _ in d.wrt:
            var = unwrap(var)
            if isinstance(var, ir.Symbol) and quantity_key(ctx, var) == k:
                return k
    return k if st.role == "update" else None
