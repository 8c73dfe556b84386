"""Reference implementation of the 2-2-2 sigmoid network of sigmoid-backprop.md.

Plain numpy, written so that latexify-py can typeset it.  ``symcheck report`` runs
it in a child process and compares every function with the quantity named in
``SYMCHECK``, rebuilt from the document's definitions (see symcheck/implementations.py).
Conventions are the document's: A0 = (a_0^(0), a_1^(0), 1) is a row that carries
the bias value 1, W1 and W2 are 3×2 (the last row holds the biases), a^(l) =
sigma(A^(l-1) W^(l)), and dC/dW^(l) is the document's *transposed* change matrix
(2×3), delta^(l) A^(l-1).
"""
import numpy as np

SYMCHECK = {
    "forward": {
        "computes": r"\vec{a}^{(2)}",
        "args": {"A0": r"\vec{A}^{(0)}", "W1": r"W^{(1)}", "W2": r"W^{(2)}"},
    },
    "grad_W2": {
        "computes": r"\frac{dC}{dW^{(2)}}",
        "args": {"A0": r"\vec{A}^{(0)}", "W1": r"W^{(1)}", "W2": r"W^{(2)}",
                 "T": r"\begin{pmatrix} T_0 & T_1 \end{pmatrix}"},
    },
    "grad_W1": {
        "computes": r"\frac{dC}{dW^{(1)}}",
        "args": {"A0": r"\vec{A}^{(0)}", "W1": r"W^{(1)}", "W2": r"W^{(2)}",
                 "T": r"\begin{pmatrix} T_0 & T_1 \end{pmatrix}"},
    },
}


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def with_bias(a):
    """The row a followed by the bias value 1: A = (a_0, a_1, 1)."""
    return np.hstack([a, np.ones((1, 1))])


def without_bias(W):
    """W without its last row (the biases): the weights between neurons."""
    return np.delete(W, -1, axis=0)


def forward(A0, W1, W2):
    a1 = sigmoid(A0 @ W1)
    return sigmoid(with_bias(a1) @ W2)


def grad_W2(A0, W1, W2, T):
    a1 = sigmoid(A0 @ W1)
    a2 = sigmoid(with_bias(a1) @ W2)
    delta2 = np.transpose((a2 - T) * a2 * (1 - a2))
    return delta2 @ with_bias(a1)


def grad_W1(A0, W1, W2, T):
    a1 = sigmoid(A0 @ W1)
    a2 = sigmoid(with_bias(a1) @ W2)
    delta2 = np.transpose((a2 - T) * a2 * (1 - a2))
    delta1 = np.transpose(a1 * (1 - a1)) * (without_bias(W2) @ delta2)
    return delta1 @ A0
