"""Exact checking of a counterexample witness (rational arithmetic only).

A counterexample is a claim about one concrete instance, so it must be decided
exactly: floats could make a stationary point look stationary.  The witness gives
rational matrices for the base symbols; every defined quantity is computed from its
definition, gradients are taken entry by entry, and each equality is compared to 0.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import sympy as sp

from symcheck.proofs import algebra


def _point(witness: Mapping[sp.Basic, sp.Matrix]) -> tuple[dict, str]:
    point: dict = {}
    for sym, val in witness.items():
        m = sp.Matrix(val)
        if any(not isinstance(x, sp.Rational) for x in m):
            return {}, f"witness value of {sym} is not exact rational"
        for i in range(m.rows):
            for j in range(m.cols):
                point[sym[i, j]] = m[i, j]
    return point, ""


def _value(expr: sp.Basic, defs: Mapping, sizes: Mapping, point: Mapping) -> sp.Matrix:
    m = algebra.explicit(expr, sizes, defs)
    m = m if isinstance(m, sp.MatrixBase) else sp.Matrix([[m]])
    free = algebra.entry_symbols(m) - set(point)
    if free:
        raise ValueError("the witness leaves " + ", ".join(sorted(algebra.entry_key(s) for s in free)[:6]) +
                         " unspecified")
    return sp.Matrix(m.xreplace(dict(point))).applyfunc(sp.nsimplify)


def check_witness(defs: Mapping, witness: Mapping[sp.Basic, sp.Matrix], sizes: Mapping,
                  holds: Sequence[tuple[sp.Basic, sp.Basic]], fails: tuple[sp.Basic, sp.Basic]
                  ) -> tuple[bool, str, tuple[str, ...]]:
    """(witness valid, explanation, evidence lines with the exact values)."""
    point, why = _point(witness)
    if why:
        return False, why, ()
    ev = [f"{sp.latex(k)} = {sp.latex(sp.Matrix(v))}" for k, v in witness.items()]
    try:
        for lhs, rhs in holds:
            val = _value(lhs - rhs, defs, sizes, point)
            if any(x != 0 for x in val):
                return False, f"{sp.latex(lhs)} = {sp.latex(rhs)} does not hold: difference {sp.latex(val)}", \
                    tuple(ev)
            ev.append(f"holds exactly: {sp.latex(lhs)} = {sp.latex(rhs)}")
        val = _value(fails[0] - fails[1], defs, sizes, point)
    except (ValueError, NotImplementedError, sp.ShapeError) as exc:
        return False, str(exc), tuple(ev)
    if all(x == 0 for x in val):
        return False, f"{sp.latex(fails[0])} = {sp.latex(fails[1])} holds at the witness", tuple(ev)
    ev.append(f"fails exactly: {sp.latex(fails[0])} - ({sp.latex(fails[1])}) = {sp.latex(val)}")
    return True, (f"at the witness ({', '.join(f'{k}={v}' for k, v in sizes.items())}) "
                  + ", ".join(f"{sp.latex(a)} = {sp.latex(b)}" for a, b in holds)
                  + f" hold exactly, but {sp.latex(fails[0])} - ({sp.latex(fails[1])}) = {sp.latex(val.T)}^T "
                  "is not 0"), tuple(ev)
