"""Reference implementation of the two-layer linear network of two-layer-linear-gradients.md.

Plain numpy, written so that latexify-py can typeset it.  ``symcheck report`` runs
it in a child process and compares every function with the quantity named in
``SYMCHECK``, rebuilt from the document's definitions (see symcheck/implementations.py).
Arrays are 2-D: X is n×3 (a column of ones, then the inputs), u is 3×2, v and z are
columns.
"""
import numpy as np

SYMCHECK = {
    "prediction": {
        "computes": r"\mathbf{z}^{pred}",
        "args": {"X": r"\mathbf{X}", "u": r"\mathbf{u}", "v": r"\mathbf{v}"},
    },
    "grad_u": {
        "computes": r"\frac{\partial C}{\partial \mathbf{u}}",
        "args": {"X": r"\mathbf{X}", "u": r"\mathbf{u}", "v": r"\mathbf{v}", "z": r"\begin{bmatrix} z_1^{reality} \\ z_2^{reality} \\ z_3^{reality} \\ z_4^{reality} \end{bmatrix}"},
    },
    "grad_v": {
        "computes": r"\frac{\partial C}{\partial \mathbf{v}}",
        "args": {"X": r"\mathbf{X}", "u": r"\mathbf{u}", "v": r"\mathbf{v}", "z": r"\begin{bmatrix} z_1^{reality} \\ z_2^{reality} \\ z_3^{reality} \\ z_4^{reality} \end{bmatrix}"},
    },
}


def with_ones(A):
    """A column of ones in front of A: X = [1, X_0], Y = [1, X u]."""
    return np.hstack([np.ones((A.shape[0], 1)), A])


def prediction(X, u, v):
    Y = with_ones(X @ u)
    return Y @ v


def grad_u(X, u, v, z):
    d = prediction(X, u, v) - z
    v_hidden = np.array([[v[1, 0], v[2, 0]]])
    return np.transpose(X) @ d @ v_hidden


def grad_v(X, u, v, z):
    Y = with_ones(X @ u)
    d = prediction(X, u, v) - z
    return np.transpose(Y) @ d
