"""The fix for a wrong number: the stated literal with each entry replaced by its value.

When one side of a refuted relation is a literal (a number, a tuple ``(0.64, 0.884)ᵀ`` or a
matrix of numbers) and the other side has a known value (plain arithmetic, or a worked
example evaluated at the values it gives), the correction is that value, written the way
the document writes the literal: a decimal to the places it shows, a whole number exactly,
a fraction when the value is a fraction.  The fix holds by construction: each entry is the
exact value, or the value rounded to the places stated, which is what the check of a
stated decimal accepts.  No fix is offered when an entry has no exact or finite value, or
when a whole number stands where the value is irrational.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import sympy as sp

from symcheck import irutil
from symcheck.latex import ir


def entries(node: object) -> list[object] | None:
    """The entries of a tuple ``(0.6931, 1.0986)ᵀ`` (a column) or of a matrix written out in
    numbers, in reading order: each a number, a fraction of whole numbers, or one negated;
    None for anything else."""
    if isinstance(node, ir.Transpose) and isinstance(node.arg, ir.Paren) and node.arg.delim == "(":
        node = node.arg
    if isinstance(node, ir.Paren) and node.delim == "(" and len(node.items) > 1:
        items: list[object] = list(node.items)
    elif isinstance(node, ir.Matrix) and node.rows:
        items = [c for row in node.rows for c in row]
    else:
        return None
    return items if all(_number(c) for c in items) else None


def cells(node: object) -> list[object] | None:
    """The entries of a literal side: those of a tuple or a matrix of numbers, or the one
    number it is; None when the side is not a literal."""
    got = entries(node)
    return [node] if got is None and _number(node) else got


def _number(cell: object) -> bool:
    bare = cell.arg if isinstance(cell, ir.Neg) else cell
    return isinstance(bare, ir.Number) or _fraction(bare)


def _fraction(node: object) -> bool:
    """``\\frac{2}{3}`` or ``2/3``: a fraction of whole numbers."""
    return isinstance(node, ir.Frac) and all(isinstance(x, ir.Number) and x.text.isdigit()
                                             for x in (node.num, node.den))


def corrected(node: object, values: list[object]) -> str | None:
    """LaTeX of the literal ``node`` with every entry replaced by its value in ``values``
    (SymPy numbers, one per entry); None when that cannot be written faithfully."""
    from symcheck.latex import printer
    entries = cells(node)
    if entries is None or len(entries) != len(values):
        return None
    places = max((len(text(c).split(".", 1)[1]) for c in entries if "." in text(c)), default=0)
    new: dict[int, object] = {}
    for cell, value in zip(entries, values):
        written = _written(value, text(cell), places, cell.span)  # type: ignore[attr-defined]
        if written is None:
            return None
        new[id(cell)] = written
    fixed = irutil.rebuild(node, lambda n: new.get(id(n)))
    return printer.to_latex(fixed)


def text(cell: object) -> str:
    """A cell as written: "0.25", "-3", "2/3"."""
    bare = cell.arg if isinstance(cell, ir.Neg) else cell
    sign = "-" if isinstance(cell, ir.Neg) else ""
    if isinstance(bare, ir.Frac):
        return f"{sign}{bare.num.text}/{bare.den.text}"  # type: ignore[attr-defined]
    return sign + bare.text  # type: ignore[attr-defined]


def rounded(v: object, places: int) -> str:
    """``v`` to ``places`` decimals, halves away from zero as notes round (0.25 → 0.3)."""
    return str(Decimal(str(sp.N(v, 30))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _written(value: object, stated: str, places: int, span: ir.Span) -> object | None:
    """``value`` as a node in the style of the stated entry: exactly when it has a short
    exact form (a whole number, or a decimal with no more places than the literal uses),
    else a decimal rounded to the places the entry shows, else a fraction."""
    if isinstance(value, Fraction):
        v: object = sp.Rational(value.numerator, value.denominator)
    elif isinstance(value, int):
        v = sp.Integer(value)
    elif isinstance(value, sp.Basic):
        v = value
    else:
        return None
    if not getattr(v, "is_number", False) or v.is_real is not True or v.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        return None
    if v.is_Rational and (v * 10 ** places).is_Integer:
        exact = str(Decimal(v.p) / Decimal(v.q)) if not v.is_Integer else str(int(v))
        return _signed(exact.lstrip("-"), v < 0, span)
    if "." in stated:
        places = len(stated.split(".", 1)[1])
        shown = rounded(v, places)
        return _signed(shown.lstrip("-"), shown.startswith("-") and Decimal(shown) != 0, span)
    if not v.is_Rational:
        return None
    if v.is_Integer:
        return _signed(str(abs(int(v))), v < 0, span)
    frac = ir.Frac(ir.Number(str(abs(v.p)), span), ir.Number(str(v.q), span), span)
    return ir.Neg(frac, span) if v < 0 else frac


def _signed(digits: str, negative: bool, span: ir.Span) -> object:
    num = ir.Number(digits, span)
    return ir.Neg(num, span) if negative else num
