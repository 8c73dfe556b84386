"""Values given on the command line or in a JSON file, read strictly.

``symcheck eval`` takes ``NAME=VALUE`` pairs and a JSON object of values.  A value is
a number (``2``, ``-0.5``, ``1/3``, ``2.5e-3``) or a matrix written as JSON nested
lists of numbers.  Numbers are read digit by digit into exact fractions; nothing a
user types ever reaches ``eval``, ``exec``, ``sympify`` or ``parse_expr``, and the
JSON reader refuses ``NaN``, ``Infinity`` and anything that is not a number or a list.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from fractions import Fraction

MAX_ENTRIES = 10000
MAX_DIGITS = 400  # a number longer than this is refused, not read slowly
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,4})?\Z")
_FRACTION = re.compile(r"([+-]?\d+)/(\d+)\Z")

Scalar = Fraction
Grid = tuple[tuple[Fraction, ...], ...]


class ValueSyntaxError(ValueError):
    """A value that is not a number or a rectangular matrix of numbers."""


@dataclass(frozen=True)
class Given:
    """One value as the user gave it: ``value`` is a Fraction, or rows of Fractions;
    ``flat`` says the matrix was written as one flat list (a vector of either kind)."""

    name: str  # the name as written, e.g. "W^{(1)}"
    value: Fraction | Grid
    source: str  # "--at" or the JSON file's path
    flat: bool = False

    @property
    def shape(self) -> tuple[int, int] | None:
        if isinstance(self.value, Fraction):
            return None
        return len(self.value), len(self.value[0])


def number(text: str) -> Fraction:
    """An exact fraction from a decimal, integer, ``p/q`` or scientific literal."""
    s = text.strip()
    if len(s) > MAX_DIGITS:
        raise ValueSyntaxError(f"the number {s[:20]}… is longer than {MAX_DIGITS} characters")
    m = _FRACTION.match(s)
    if m:
        if int(m.group(2)) == 0:
            raise ValueSyntaxError(f"{s!r}: division by zero")
        return Fraction(int(m.group(1)), int(m.group(2)))
    if not _NUMBER.match(s):
        raise ValueSyntaxError(f"{s!r} is not a number (write e.g. 2, -0.5, 1/3 or 2.5e-3, "
                               "or a matrix as JSON nested lists)")
    return Fraction(s)  # Fraction reads the decimal text exactly: 0.1 is 1/10


def _from_json(obj: object, where: str) -> Fraction | Grid | tuple[Fraction, ...]:
    if isinstance(obj, bool) or obj is None:
        raise ValueSyntaxError(f"{where}: {json.dumps(obj)} is not a number")
    if isinstance(obj, (int, str)):
        return number(str(obj)) if isinstance(obj, int) else number(obj)
    if isinstance(obj, _Decimal):
        return number(obj.text)
    if isinstance(obj, list):
        if not obj:
            raise ValueSyntaxError(f"{where}: an empty list is not a matrix")
        if all(not isinstance(x, list) for x in obj):
            return tuple(_scalar(x, where) for x in obj)
        if not all(isinstance(x, list) for x in obj):
            raise ValueSyntaxError(f"{where}: a matrix mixes numbers and rows")
        rows = tuple(tuple(_scalar(x, where) for x in row) for row in obj)
        if any(len(r) != len(rows[0]) for r in rows) or not rows[0]:
            raise ValueSyntaxError(f"{where}: the rows of the matrix have different lengths")
        return rows
    raise ValueSyntaxError(f"{where}: expected a number or a list, found {type(obj).__name__}")


def _scalar(x: object, where: str) -> Fraction:
    v = _from_json(x, where)
    if not isinstance(v, Fraction):
        raise ValueSyntaxError(f"{where}: a matrix nested more than two levels deep")
    return v


class _Decimal:
    """A JSON number kept as its text, so 0.1 stays exactly one tenth."""

    def __init__(self, text: str) -> None:
        self.text = text


def _refuse_constant(name: str) -> object:
    raise ValueSyntaxError(f"{name} is not a number symcheck accepts")


def loads(text: str, where: str) -> object:
    """JSON with every number kept as text; NaN and Infinity refused."""
    try:
        return json.loads(text, parse_float=_Decimal, parse_int=_Decimal, parse_constant=_refuse_constant)
    except ValueSyntaxError as e:
        raise ValueSyntaxError(f"{where}: {e}") from None
    except (json.JSONDecodeError, RecursionError) as e:
        msg = e.msg if isinstance(e, json.JSONDecodeError) else "nested too deeply"
        pos = f" at line {e.lineno}, column {e.colno}" if isinstance(e, json.JSONDecodeError) else ""
        raise ValueSyntaxError(f"{where}: not valid JSON ({msg}{pos})") from None


def value(obj: object, where: str) -> tuple[Fraction | Grid, bool]:
    """A parsed JSON value as a Fraction or rows of Fractions; True when written flat."""
    v = _from_json(obj, where)
    if isinstance(v, tuple) and v and isinstance(v[0], Fraction):
        return (tuple((x,) for x in v), True)  # type: ignore[misc]
    if isinstance(v, tuple) and sum(len(r) for r in v) > MAX_ENTRIES:  # type: ignore[arg-type]
        raise ValueSyntaxError(f"{where}: more than {MAX_ENTRIES} entries")
    return v, False  # type: ignore[return-value]


def parse_at(item: str) -> Given:
    """``NAME=VALUE`` from ``--at``: VALUE a number or a JSON matrix."""
    name, sep, text = item.partition("=")
    if not sep or not name.strip():
        raise ValueSyntaxError(f"--at {item!r}: expected NAME=VALUE, e.g. --at x_1=0.5 or "
                               "--at 'W^{(1)}=[[1,2],[3,4]]'")
    text = text.strip()
    where = f"--at {name.strip()}"
    if text.startswith("["):
        v, flat = value(loads(text, where), where)
    else:
        try:
            v, flat = number(text), False
        except ValueSyntaxError as e:
            raise ValueSyntaxError(f"{where}: {e}") from None
    return Given(name.strip(), v, "--at", flat)


def parse_file(text: str, path: str) -> list[Given]:
    """A JSON object ``{"NAME": VALUE, …}``, in the order written."""
    obj = loads(text, path)
    if not isinstance(obj, dict):
        raise ValueSyntaxError(f"{path}: expected a JSON object mapping names to values")
    out = []
    for name, raw in obj.items():
        if not isinstance(name, str) or not name.strip():
            raise ValueSyntaxError(f"{path}: an empty name")
        v, flat = value(raw, f"{path}: {name}")
        out.append(Given(name.strip(), v, path, flat))
    return out
