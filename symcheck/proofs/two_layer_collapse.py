"""The two-layer linear network collapses to one-layer least squares (derivations/two-layer-linear-*.md).

Model, for n samples, p inputs and h hidden units (the notes: p = h = 2, n = 4):
X = [1, X₀] (n×(p+1)), Y = [1, X u] (n×(h+1)), v = [v₀; ṽ] with ṽ = (v₁, …, v_h)ᵀ,
z = Y v, d = z − z^{reality}, C = ½ (z^{reality} − z)ᵀ(z^{reality} − z).
The composed weights are w = u ṽ + e₀ v₀.  The argument of the notes ("hold v₁, v₂
fixed … only the normal equations remain") silently needs ṽ ≠ 0; the
counterexample step exhibits a stationary point with ṽ = 0 that is not least squares.
"""
from __future__ import annotations

import sympy as sp
from sympy import Q
from sympy.matrices.expressions import BlockMatrix, Identity, Inverse, MatrixSymbol, OneMatrix, ZeroMatrix

from symcheck.proof import Grad, Proof
from symcheck.proofs.descent import gradient_descent_demo

n, p, h = sp.symbols("n p h", integer=True, positive=True)
X0 = MatrixSymbol("X_0", n, p)
X = MatrixSymbol("X", n, p + 1)
u = MatrixSymbol("u", p + 1, h)
e0 = MatrixSymbol("e_0", p + 1, 1)
Y = MatrixSymbol("Y", n, h + 1)
v0 = MatrixSymbol("v_0", 1, 1)
vt = MatrixSymbol(r"\tilde{v}", h, 1)  # (v₁, …, v_h)ᵀ
v = MatrixSymbol("v", h + 1, 1)
z = MatrixSymbol("z", n, 1)
zr = MatrixSymbol("z^{reality}", n, 1)
d = MatrixSymbol("d", n, 1)
w = MatrixSymbol("w", p + 1, 1)
C = MatrixSymbol("C", 1, 1)
Bt = BlockMatrix([[e0.T], [u.T]])  # ∂C/∂v = Bᵀ Xᵀ d with B = [e₀, u]

SIZES = ({n: 2, p: 1, h: 1}, {n: 4, p: 2, h: 2}, {n: 5, p: 2, h: 3})


def _inner_product_check(sizes: dict) -> tuple[bool, str]:
    """ṽ ≠ 0 (some entry nonzero), entries real ⟹ ṽᵀṽ > 0: one case per nonzero entry."""
    k = int(sizes[h])
    for j in range(k):
        s = [sp.Symbol(f"s{i}", real=True, nonzero=(i == j) or None) for i in range(k)]
        if sp.Add(*[x**2 for x in s]).is_positive is not True:
            return False, f"cannot show the sum of squares positive when entry {j + 1} is nonzero"
    return True, f"{k} cases (one per nonzero entry), each a sum of real squares with a positive term"


def counterexample_witness() -> tuple[dict, dict]:
    """ṽ = 0, u = 0, v₀ = mean(z^{reality}): stationary, yet Xᵀd ≠ 0 (w is not least squares).

    With ṽ = 0, ∂C/∂u = Xᵀd ṽᵀ = 0 whatever d is; u = 0 makes (Xu)ᵀd = 0; the mean
    makes 1ᵀd = 0.  Any z^{reality} not fitted by a constant then has Xᵀd ≠ 0.
    """
    zr_val = sp.Matrix([0, 1, 2, 5])
    witness = {
        X0: sp.Matrix([[0, 0], [1, 0], [0, 1], [1, 1]]),
        zr: zr_val,
        u: sp.zeros(3, 2),
        vt: sp.zeros(2, 1),
        v0: sp.Matrix([[sum(zr_val) / sp.Integer(4)]]),
    }
    return {n: 4, p: 2, h: 2}, witness


def _counterexample(pf: Proof) -> None:
    sz, witness = counterexample_witness()
    pf.counterexample(
        "vtilde-nonzero-needed", ["vtilde-nonzero"], witness, sz,
        holds=[(Grad(C, u), ZeroMatrix(p + 1, h)), (Grad(C, v), ZeroMatrix(h + 1, 1))],
        fails=(X.T * X * w, X.T * zr),
    )


def build() -> Proof:
    """The whole proof; every step decided when added (about a second)."""
    pf = Proof("two-layer linear network collapses to least squares", sizes=SIZES)
    for sym in (X0, u, v0, vt, zr):
        pf.assume(f"shape-{sym.name}", sym)
    pf.assume("def-X", (X, BlockMatrix([[OneMatrix(n, 1), X0]])), "a column of ones before the inputs")
    pf.assume("def-e0", (e0, BlockMatrix([[Identity(1)], [ZeroMatrix(p, 1)]])), "first unit vector")
    pf.assume("def-Y", (Y, BlockMatrix([[OneMatrix(n, 1), X * u]])), "Y = [1, X u]")
    pf.assume("def-v", (v, BlockMatrix([[v0], [vt]])), "v = (v_0, v_1, ..., v_h)")
    pf.assume("def-z", (z, Y * v), "z = Y v")
    pf.assume("def-d", (d, z - zr), "d = z - z^reality (the notes' sign in section 2)")
    pf.assume("def-C", (C, (zr - z).T * (zr - z) / 2), "C = 1/2 sum (z^reality - z)^2")
    pf.assume("def-w", (w, u * vt + e0 * v0), "composed one-layer weights")
    pf.assume("stationary-u", (Grad(C, u), ZeroMatrix(p + 1, h)), "dC/du = 0")
    pf.assume("vtilde-nonzero", sp.Ne(vt, ZeroMatrix(h, 1)), "(v_1, ..., v_h) != 0")
    pf.assume("real", Q.real_elements(vt), "weights are real")
    pf.assume("least-squares", (X.T * X * w, X.T * zr), "w solves the normal equations")
    pf.assume("full-rank", Q.invertible(X.T * X), "X has full column rank, so X^T X is invertible")

    pf.derive("ones", X * e0, OneMatrix(n, 1), using=["def-X", "def-e0"])
    pf.derive("composed", z, X * w, using=["def-z", "def-Y", "def-v", "def-w", "ones"])
    pf.derive("grad-u", Grad(C, u), X.T * d * vt.T, using=["def-C", "def-z", "def-Y", "def-v", "def-d"])
    pf.derive("grad-v", Grad(C, v), Y.T * d, using=["def-C", "def-z", "def-Y", "def-v", "def-d"])
    pf.derive("residual", X.T * d, X.T * X * w - X.T * zr, using=["def-d", "composed"])
    pf.derive("grad-v-factored", Y.T * d, Bt * X.T * d, using=["def-Y", "ones"])

    pf.implies("inner-product", ["vtilde-nonzero", "real"], Q.invertible(vt.T * vt),
               check=_inner_product_check, check_sizes=[{h: k} for k in (1, 2, 3, 4)],
               argument="a sum of real squares with one nonzero term is positive")
    pf.implies("xtd-zero", ["stationary-u", "inner-product"], (X.T * d, ZeroMatrix(p + 1, 1)),
               certificate=[(None, "stationary-u", vt * Inverse(vt.T * vt))], using=["grad-u"],
               argument="(X^T d ṽ^T) ṽ (ṽ^T ṽ)^{-1} = X^T d: a rank-one product with ṽ ≠ 0 vanishes "
                        "only if its column factor does")
    pf.implies("normal-equations", ["xtd-zero"], (X.T * X * w, X.T * zr),
               certificate=[(None, "xtd-zero", None)], using=["residual"])
    pf.implies("ls-stationary-u", ["least-squares"], (Grad(C, u), ZeroMatrix(p + 1, h)),
               certificate=[(None, "least-squares", vt.T)], using=["grad-u", "residual"])
    pf.implies("ls-stationary-v", ["least-squares"], (Grad(C, v), ZeroMatrix(h + 1, 1)),
               certificate=[(Bt, "least-squares", None)], using=["grad-v", "grad-v-factored", "residual"])
    pf.implies("unique", ["normal-equations", "full-rank"], (w, Inverse(X.T * X) * X.T * zr),
               certificate=[(Inverse(X.T * X), "normal-equations", None)])
    _counterexample(pf)
    pf.numeric("gradient-descent", gradient_descent_demo)
    pf.conclude("collapse", r"\text{with } \tilde v \ne 0\text{, the stationary points are exactly the "
                r"least-squares } w = (X^T X)^{-1} X^T z^{reality}",
                ["composed", "xtd-zero", "normal-equations", "ls-stationary-u", "ls-stationary-v", "unique"])
    return pf
