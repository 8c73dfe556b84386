"""Matrices the text calls orthogonal ("$V$ is orthogonal", "$U$ has orthonormal columns").

The engine reads them as general matrices when it lowers and proves: a proof for every
matrix holds for orthogonal ones.  Random trials draw them orthogonal, exactly, so a
counterexample is a genuine one and agreement at every trial is evidence about
orthogonal matrices.
"""
from __future__ import annotations

import itertools
import random

import sympy as sp

from symcheck import names, numeric
from symcheck.context import Context
from symcheck.lower import LowerError, Lowerer, leaf


def leaves(ctx: Context, low: Lowerer, sides: list[object] | None) -> list[tuple[str, list[list[sp.Symbol]]]]:
    """The matrices the text calls orthogonal (or with orthonormal columns) whose entries the
    relation is built from (all of them when ``sides`` is None): (name, the grid of its entry
    variables).  A proof treats them as general matrices, which is sound; the random trials
    draw them orthogonal, so a counterexample is a genuine one and agreement is evidence
    about orthogonal matrices."""
    free = numeric.free_symbols(sides or [])
    out = []
    for k in sorted(ctx.orthogonal):
        try:
            shp = low.shape_of(k)
        except LowerError:
            continue
        if shp is None or min(shp) < 2:
            continue
        grid = [[leaf(names.entry_name(k, (i + 1, j + 1))) for j in range(shp[1])] for i in range(shp[0])]
        if sides is None or any(x in free for row in grid for x in row):
            out.append((k, grid))
    return out


def draw(r: int, c: int, rng: random.Random, t: int) -> list[list[sp.Rational]]:
    """An exactly orthogonal rational r×c matrix (orthonormal columns when r > c, rows when
    r < c): a product of reflections I - 2 v vᵀ/(vᵀv) with small integer v.  Their number
    alternates between n and n - 1, so both determinants are drawn."""
    n = max(r, c)
    q = sp.eye(n)
    for _ in range(n - t % 2):
        v = sp.Matrix([rng.choice([-3, -2, -1, 0, 1, 2, 3]) for _ in range(n)])
        if not any(v):
            v[rng.randrange(n)] = 1
        q = q * (sp.eye(n) - 2 * v * v.T / (v.T * v)[0, 0])
    m = q[:r, :c] if r >= c else q[:c, :r].T
    return [[m[i, j] for j in range(c)] for i in range(r)]


def draw_into(point: dict, grids: list[tuple[str, list[list[sp.Symbol]]]], rng: random.Random,  # type: ignore[type-arg]
              t: int) -> None:
    """Each matrix the text calls orthogonal, drawn as one: its entry variables set in ``point``."""
    for _, grid in grids:
        point.update(zip(itertools.chain(*grid), itertools.chain(*draw(len(grid), len(grid[0]), rng, t))))
