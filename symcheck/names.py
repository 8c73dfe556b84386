"""Canonical names: which written symbols denote the same quantity.

``\\mathbf z^{pred}`` and ``z_i^{pred}`` belong together (bold is typography, the
label is part of the name); ``\\hat Y`` and ``Y`` do not (an accent makes a new
name).  A subscript is either part of the name (``X_0``, ``s_{out}``) or an index
(``x_{i1}``); the context decides which, so both keys are offered here.
"""
from __future__ import annotations

from symcheck.latex import ir

GREEK_LATEX = {
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
    "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon",
    "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi",
    "Pi", "Sigma", "Phi", "Psi", "Omega", "ell",
}


def base_latex(base: str) -> str:
    return "\\" + base if base in GREEK_LATEX else base


def key(s: ir.Symbol) -> str:
    """Name of the quantity a symbol denotes when its subscript is an index."""
    k = s.base
    if s.style == "cal":  # \mathcal{N} (a density, a set) is not the N of the text
        k = f"mathcal({k})"
    elif s.style == "bb" and k in ("E", "P", "V"):  # \mathbb{E}[…]: an expectation, not the matrix E
        k = f"mathbb({k})"
    if s.accent and s.accent != "vec":  # an arrow, like bold, only says "vector"
        k = f"{s.accent}({k})"
    if s.label is not None:
        k += "^" + s.label
    return k


def constant_kind(s: ir.Symbol) -> str | None:
    """The conventional constant matrices: ``I``/``I_n`` (identity), ``\\mathbf{1}``
    (a vector of ones), ``\\mathbf{0}`` (zeros).  Whether the document uses the name
    for something of its own is for the caller to check (``context.constant``)."""
    if s.label is not None or s.prime or (s.accent and s.accent != "vec"):
        return None
    if s.sub is not None and (len(s.sub) != 1 or not isinstance(s.sub[0], (ir.Symbol, ir.Number))):
        return None
    if s.base == "I" and s.style in ("", "bold", "bb", "rm"):
        return "identity"
    if s.base == "1" and (s.style == "bold" or s.accent == "vec"):
        return "ones"
    if s.base == "0" and (s.style == "bold" or s.accent == "vec"):
        return "zeros"
    return None


def key_with_sub(s: ir.Symbol) -> str | None:
    """Name when the subscript is part of the name: X_0, s_out."""
    if s.sub_text is None:
        return None
    k = s.base
    if s.accent and s.accent != "vec":
        k = f"{s.accent}({k})"
    k += "_" + s.sub_text
    if s.label is not None:
        k += "^" + s.label
    return k


def display(k: str) -> str:
    """LaTeX for a key, e.g. 'hat(Y)' → '\\hat{Y}', 'z^pred' → 'z^{pred}'."""
    if k.startswith(("rows(", "cols(")):
        return k  # a size the document never names: "rows(X)"
    label = ""
    if "^" in k:
        k, label = k.split("^", 1)
    sub = ""
    if "_" in k and "(" not in k.split("_", 1)[1]:
        k, sub = k.split("_", 1)
    if k.endswith(")") and "(" in k:
        acc, inner = k[:-1].split("(", 1)
        out = f"\\{acc}{{{base_latex(inner)}}}"
    else:
        out = base_latex(k)
    if sub:
        out += f"_{{{sub}}}"
    if label:
        out += f"^{{{label}}}"
    return out


def entry_name(k: str, idx: tuple[int, ...]) -> str:
    """Display name of an entry: ('x', (1, 2)) → 'x_{12}', ('w^(2)', (0, 1)) → 'w_{01}^{(2)}'."""
    label = ""
    if "^" in k:
        k, label = k.split("^", 1)
    parts = [str(i) for i in idx]
    joined = "".join(parts) if all(0 <= i < 10 for i in idx) else ",".join(parts)
    base = display(k)
    out = f"{base}_{{{joined}}}"
    if label:
        out += f"^{{{label}}}"
    return out


def is_extreme_eigenvalue(s: object) -> bool:
    """λ_max, λ_{\\max}, λ_min: the name of an extreme eigenvalue (applied as λ_max(A))."""
    return isinstance(s, ir.Symbol) and s.base == "lambda" and (s.sub_text or "").strip("\\ ") in ("max", "min")
