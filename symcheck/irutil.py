"""Generic walks over the IR: children, traversal, rebuilding with new children."""
from __future__ import annotations

import dataclasses
from typing import Callable, Iterator

from symcheck.latex import ir
from symcheck.source import Span


def children(node: object) -> list[object]:
    out: list[object] = []
    if not dataclasses.is_dataclass(node):
        return out
    for f in dataclasses.fields(node):  # type: ignore[arg-type]
        if f.name == "span":
            continue
        _collect(getattr(node, f.name), out)
    return out


def _collect(v: object, out: list[object]) -> None:
    if isinstance(v, tuple):
        for x in v:
            _collect(x, out)
    elif dataclasses.is_dataclass(v) and not isinstance(v, type):
        out.append(v)


def walk(node: object) -> Iterator[object]:
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(children(n)))


def symbols(node: object) -> list[ir.Symbol]:
    return [n for n in walk(node) if isinstance(n, ir.Symbol)]


def rebuild(node: object, fn: Callable[[object], object | None]) -> object:
    """Bottom-up map: ``fn(n)`` returns a replacement or None to keep ``n``
    (with rebuilt children)."""
    if not dataclasses.is_dataclass(node) or isinstance(node, type):
        return node
    changes = {}
    for f in dataclasses.fields(node):
        if f.name == "span":
            continue
        v = getattr(node, f.name)
        nv = _rebuild_value(v, fn)
        if nv is not v:
            changes[f.name] = nv
    new = dataclasses.replace(node, **changes) if changes else node  # type: ignore[type-var]
    r = fn(new)
    return new if r is None else r


def _rebuild_value(v: object, fn: Callable[[object], object | None]) -> object:
    if isinstance(v, tuple):
        items = tuple(_rebuild_value(x, fn) for x in v)
        return v if all(a is b for a, b in zip(items, v)) else items
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return rebuild(v, fn)
    return v


def strip_spans(node: object) -> object:
    """Structural identity: the same tree with every span zeroed."""
    def fn(n: object) -> object | None:
        if dataclasses.is_dataclass(n) and hasattr(n, "span"):
            return dataclasses.replace(n, span=Span(0, 0))  # type: ignore[type-var]
        return None

    return rebuild(node, fn)


def int_value(node: object) -> int | None:
    if isinstance(node, ir.Number) and node.text.isdigit():
        return int(node.text)
    return None


def path_to(root: object, target: object) -> list[tuple[object, str, int | None]] | None:
    """Steps (parent, field, tuple position) from ``root`` down to ``target``."""
    if root is target:
        return []
    if not dataclasses.is_dataclass(root) or isinstance(root, type):
        return None
    for f in dataclasses.fields(root):
        if f.name == "span":
            continue
        v = getattr(root, f.name)
        if v is target:
            return [(root, f.name, None)]
        if isinstance(v, tuple):
            for k, x in enumerate(v):
                if x is target:
                    return [(root, f.name, k)]
                if isinstance(x, tuple):
                    for kk, y in enumerate(x):
                        if y is target:
                            return [(root, f.name, k), (x, "", kk)]
                        sub = path_to(y, target) if dataclasses.is_dataclass(y) else None
                        if sub is not None:
                            return [(root, f.name, k), (x, "", kk)] + sub
                elif dataclasses.is_dataclass(x):
                    sub = path_to(x, target)
                    if sub is not None:
                        return [(root, f.name, k)] + sub
        elif dataclasses.is_dataclass(v):
            sub = path_to(v, target)
            if sub is not None:
                return [(root, f.name, None)] + sub
    return None


def replace_node(root: object, target: object, new: object) -> object:
    """``root`` with the one node ``target`` (by identity) replaced; only the
    ancestors of ``target`` are rebuilt."""
    path = path_to(root, target)
    if path is None:
        return root
    cur = new
    for parent, name, pos in reversed(path):
        if name == "":  # a position inside a nested tuple (matrix rows, signed terms)
            items = list(parent)  # type: ignore[call-overload]
            items[pos] = cur  # type: ignore[index]
            cur = tuple(items)
            continue
        v = getattr(parent, name)
        if pos is None:
            cur = dataclasses.replace(parent, **{name: cur})  # type: ignore[type-var]
        else:
            items = list(v)
            items[pos] = cur
            cur = dataclasses.replace(parent, **{name: tuple(items)})  # type: ignore[type-var]
    return cur


def shift_of(item: object, letter: str) -> int | None:
    """The whole-number shift of an index written ``t``, ``t-1`` or ``t+2`` (0, -1, 2);
    None for anything else."""
    if isinstance(item, ir.Symbol):
        return 0 if item.base == letter and not item.sub else None
    if isinstance(item, ir.Add) and len(item.terms) == 2:
        (s0, a), (s1, b) = item.terms
        if s0 == 1 and isinstance(a, ir.Symbol) and a.base == letter and not a.sub \
                and isinstance(b, ir.Number) and b.text.isdigit():
            return s1 * int(b.text)
    return None
