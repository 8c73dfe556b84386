"""The algebra behind ``symcheck.proof``: rewriting, normal forms, exact concrete evaluation.

Two ways to decide that a matrix expression is zero, kept apart because they prove
different things:

* ``symbolic_zero`` works on SymPy matrix expressions with symbolic sizes: it
  substitutes definitions, applies proved equalities as rewrite rules (also inside
  products and transposed), collapses block matrices and expands.  Zero here is a
  proof for all sizes.  Not-zero here means nothing: the normal form is incomplete.
* ``explicit`` evaluates at concrete sizes with a symbol per matrix entry, so an
  identity that expands to zero there is proved at those sizes, and a random exact
  rational point where it does not is a counterexample.
"""
from __future__ import annotations

import random
from typing import Callable, Mapping

import sympy as sp
from sympy.matrices.expressions import (BlockMatrix, Identity, Inverse, MatAdd, MatMul, MatrixExpr,
                                        MatrixSymbol, OneMatrix, Transpose, ZeroMatrix)
from sympy.matrices.expressions.blockmatrix import block_collapse
from sympy.matrices.expressions.matexpr import MatrixElement

Rule = tuple[sp.Basic, sp.Basic]


class Grad(MatrixExpr):
    """∂f/∂W for a 1×1 expression f, shaped like W (the layout the notes use)."""

    def __new__(cls, f: sp.Basic, wrt: sp.Basic) -> "Grad":
        return sp.Basic.__new__(cls, f, wrt)

    @property
    def shape(self) -> tuple:
        return self.args[1].shape

    def _latex(self, printer: sp.printing.latex.LatexPrinter) -> str:
        return r"\frac{\partial %s}{\partial %s}" % (printer._print(self.args[0]), printer._print(self.args[1]))

    def doit(self, **hints: object) -> "Grad":  # evaluated only by ``symbolic_grad``/``explicit``
        return self


def _rewrite(e: sp.Basic, lhs: sp.Basic, rhs: sp.Basic) -> sp.Basic:
    """Replace ``lhs`` by ``rhs`` in ``e``, including as a run of factors inside a product."""
    if e == lhs:
        return rhs
    if isinstance(e, (MatrixSymbol, sp.Symbol, sp.Number)) or not e.args:
        return e
    if isinstance(e, BlockMatrix):
        return BlockMatrix([[_rewrite(b, lhs, rhs) for b in row] for row in e.blocks.tolist()])
    if isinstance(e, MatMul) and isinstance(lhs, MatMul):
        args, pat = list(e.args), list(lhs.args)
        for i in range(len(args) - len(pat) + 1):
            if args[i:i + len(pat)] == pat:
                return _rewrite(MatMul(*args[:i], rhs, *args[i + len(pat):]), lhs, rhs)
    new = [_rewrite(a, lhs, rhs) for a in e.args]
    return e.func(*new) if new != list(e.args) else e


def is_definition(lhs: sp.Basic, rhs: sp.Basic) -> bool:
    return isinstance(lhs, (MatrixSymbol, sp.Symbol)) and lhs not in rhs.free_symbols


def _collapse(e: sp.Basic) -> sp.Basic:
    if not isinstance(e, MatrixExpr):
        return sp.expand(e)
    e = block_collapse(e)
    if isinstance(e, BlockMatrix):
        return BlockMatrix([[_collapse(b) for b in row] for row in e.blocks.tolist()])
    return e.doit().expand()


def symbolic_grad(g: Grad) -> sp.Basic:
    """SymPy's matrix calculus where it yields a matrix; block variables split into blocks."""
    f, wrt = _collapse(g.args[0]), g.args[1]
    if isinstance(wrt, BlockMatrix) and wrt.blockshape[1] == 1:
        return BlockMatrix([[symbolic_grad(Grad(f, row[0]))] for row in wrt.blocks.tolist()])
    try:
        out = f.diff(wrt)
    except Exception:  # SymPy raises several types for unsupported derivatives
        return Grad(f, wrt)
    if isinstance(out, MatrixExpr) and out.shape == wrt.shape:
        return out
    return directional_grad(f, wrt) if isinstance(wrt, MatrixSymbol) else Grad(f, wrt)


def directional_grad(f: sp.Basic, wrt: MatrixSymbol) -> sp.Basic:
    """∂f/∂W from the directional derivative, where SymPy's calculus gives only a tensor.

    d/dt f(W + tΔ) at t = 0 is a sum of 1×1 terms c·A Δ B or c·P Δᵀ Q.  Since a 1×1
    matrix is its trace and traces are cyclic, A Δ B = ⟨Aᵀ Bᵀ, Δ⟩ and P Δᵀ Q = ⟨Q P, Δ⟩,
    so the gradient is the sum of those coefficients.  Any other term shape: give up.
    """
    t = sp.Dummy("t")
    delta = MatrixSymbol("Delta_" + str(abs(hash(wrt)) % 10**6), *wrt.shape)
    g = _collapse(f.xreplace({wrt: wrt + t * delta}))
    try:
        dd = _collapse(g.diff(t).subs(t, 0))
    except Exception:  # unsupported derivative: leave the gradient unevaluated
        return Grad(f, wrt)
    terms = dd.args if isinstance(dd, MatAdd) else (dd,)
    out = []
    for term in terms:
        coeff, mats = term.as_coeff_matrices() if isinstance(term, MatMul) else (sp.Integer(1), [term])
        hits = [k for k, m in enumerate(mats) if m == delta or m == Transpose(delta)]
        if len(hits) != 1 or any(delta in m.free_symbols for k, m in enumerate(mats) if k != hits[0]):
            return Grad(f, wrt)
        k = hits[0]
        a = MatMul(*mats[:k]).doit() if k else Identity(1 if mats[k] == delta else wrt.shape[1])
        b = MatMul(*mats[k + 1:]).doit() if k + 1 < len(mats) else \
            Identity(1 if mats[k] == delta else wrt.shape[0])
        out.append(coeff * (a.T * b.T if mats[k] == delta else b * a))
    return _collapse(MatAdd(*out)) if out else ZeroMatrix(*wrt.shape)


def normal_form(e: sp.Basic, defs: Mapping[sp.Basic, sp.Basic], rules: list[Rule]) -> sp.Basic:
    """Definitions substituted, rules applied, gradients taken, blocks collapsed, expanded."""
    for _ in range(30):
        new = e.xreplace(dict(defs))
        if new == e:
            break
        e = new
    for _ in range(3):
        for lhs, rhs in rules:
            e = _rewrite(e, lhs, rhs)
        e = e.replace(lambda x: isinstance(x, Grad), symbolic_grad)
        e = _collapse(e)
    return e


def transposed_rules(rules: list[Rule]) -> list[Rule]:
    out = list(rules)
    for lhs, rhs in rules:
        if isinstance(lhs, MatrixExpr):
            t = (Transpose(lhs).doit(), Transpose(rhs).doit())
            if t[0] != lhs:
                out.append(t)
    return out


def is_zero(e: sp.Basic) -> bool:
    if isinstance(e, BlockMatrix):
        return all(is_zero(b) for b in e.blocks)
    if isinstance(e, ZeroMatrix) or e == 0:
        return True
    return isinstance(e, sp.MatrixBase) and all(sp.cancel(x) == 0 for x in e)


def symbolic_zero(e: sp.Basic, defs: Mapping[sp.Basic, sp.Basic], rules: list[Rule]) -> tuple[bool, sp.Basic]:
    nf = normal_form(e, defs, transposed_rules(rules))
    return is_zero(nf), nf


# ---- concrete sizes ---------------------------------------------------------------

def _dims(e: sp.Basic, sizes: Mapping[sp.Symbol, int]) -> tuple[int, int]:
    return tuple(int(sp.sympify(d).subs(sizes)) for d in e.shape)  # type: ignore[return-value]


def explicit(e: sp.Basic, sizes: Mapping[sp.Symbol, int], defs: Mapping[sp.Basic, sp.Basic],
             cache: dict | None = None) -> sp.Basic:
    """``e`` as an explicit matrix at ``sizes``: defined symbols by their definitions,
    every other matrix symbol by a matrix of entry symbols (so derivatives are exact)."""
    cache = {} if cache is None else cache
    ev: Callable[[sp.Basic], sp.Basic] = lambda x: explicit(x, sizes, defs, cache)  # noqa: E731
    if isinstance(e, MatrixSymbol):
        if e not in cache:
            cache[e] = ev(defs[e]) if e in defs else sp.ImmutableMatrix(*_dims(e, sizes),
                                                                          lambda i, j: e[i, j])
        return cache[e]
    if isinstance(e, Grad):
        f, wrt = ev(e.args[0]), ev(e.args[1])
        return sp.ImmutableMatrix(*wrt.shape, lambda i, j: sp.diff(f[0, 0], wrt[i, j]))
    if isinstance(e, (Identity, ZeroMatrix, OneMatrix)):
        return sp.ImmutableMatrix(e.subs(sizes).as_explicit())
    if isinstance(e, BlockMatrix):
        rows = [sp.Matrix.hstack(*[ev(b) for b in row]) for row in e.blocks.tolist()]
        return sp.ImmutableMatrix(sp.Matrix.vstack(*rows))
    if isinstance(e, MatAdd):
        parts = [ev(a) for a in e.args]
        out = parts[0]
        for q in parts[1:]:
            out = out + q
        return sp.ImmutableMatrix(out)
    if isinstance(e, MatMul):
        out = sp.Integer(1)
        for a in e.args:
            out = out * ev(a)
        return sp.ImmutableMatrix(out) if isinstance(out, sp.MatrixBase) else out
    if isinstance(e, Transpose):
        return ev(e.args[0]).T
    if isinstance(e, Inverse):
        m = ev(e.args[0])
        return sp.ImmutableMatrix(m.shape[0], m.shape[1], [1 / m[0, 0]]) if m.shape == (1, 1) \
            else sp.ImmutableMatrix(m.inv(method="LU"))
    if isinstance(e, sp.MatPow):
        return ev(e.args[0]) ** int(e.args[1])
    if isinstance(e, MatrixExpr):
        raise NotImplementedError(f"cannot evaluate {type(e).__name__} at concrete sizes")
    return e.subs(sizes) if e.free_symbols else e


def entry_symbols(m: sp.Basic) -> set[sp.Basic]:
    return {a for a in sp.preorder_traversal(m) if isinstance(a, MatrixElement)}


def random_point(symbols: set[sp.Basic], rng: random.Random) -> dict[sp.Basic, sp.Rational]:
    """Exact small rationals, never zero, so that divisions stay defined."""
    return {s: sp.Rational(rng.choice([-1, 1]) * rng.randint(1, 9), rng.randint(1, 4))
            for s in sorted(symbols, key=str)}


def entry_key(s: sp.Basic) -> str:
    """``u[0, 1]`` style: zero-based entry of a matrix symbol, as in the counterexample."""
    return f"{s.args[0]}[{s.args[1]}, {s.args[2]}]"
