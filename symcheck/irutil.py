"""Generic walks over the IR: children, traversal, rebuilding with new children."""
from __future__ import annotations

import dataclasses
from typing import Callable, Iterator

from symcheck.latex import ir
from symcheck.source import Span


_NAMES: dict[type, "tuple[str, ...] | None"] = {}  # a class's field names but the span; None: no dataclass
_PLAIN: dict[type, bool] = {}  # every field set by __init__: a copy is the class called with all fields


def _names(cls: type) -> "tuple[str, ...] | None":
    """The fields of a dataclass, the span left out (dataclasses.fields is slow when asked
    for every node of every tree)."""
    try:
        return _NAMES[cls]
    except KeyError:
        pass
    got = None
    if dataclasses.is_dataclass(cls):
        fs = dataclasses.fields(cls)
        got = tuple(f.name for f in fs if f.name != "span")
        _PLAIN[cls] = all(f.init for f in fs)
    _NAMES[cls] = got
    return got


def _replace(node: object, changes: dict[str, object]) -> object:
    """dataclasses.replace, without its per-call checks for the classes that need none."""
    cls = type(node)
    if _PLAIN.get(cls):
        kw = {f: getattr(node, f) for f in cls.__dataclass_fields__}  # type: ignore[attr-defined]
        kw.update(changes)
        return cls(**kw)
    return dataclasses.replace(node, **changes)  # type: ignore[type-var]


def children(node: object) -> list[object]:
    out: list[object] = []
    if isinstance(node, type):
        if not dataclasses.is_dataclass(node):
            return out
        for f in dataclasses.fields(node):  # type: ignore[arg-type]
            if f.name == "span":
                continue
            _collect(getattr(node, f.name), out)
        return out
    names = _names(type(node))
    if names is None:
        return out
    for name in names:
        v = getattr(node, name)
        if isinstance(v, tuple):
            _collect(v, out)
        elif v is not None and _names(type(v)) is not None:
            out.append(v)
    return out


def _collect(v: object, out: list[object]) -> None:
    if isinstance(v, tuple):
        for x in v:
            _collect(x, out)
    elif _names(type(v)) is not None:  # a dataclass instance (a dataclass itself is no node)
        out.append(v)


_WALKED: dict[int, tuple[object, tuple[object, ...]]] = {}
_STRIPPED: dict[int, tuple[object, object]] = {}
_MEMO_MAX = 50000


def _memo_ok(node: object) -> bool:
    """Trees of the reader's nodes are immutable, so what is computed from one can be kept
    (by identity, the node held so that its id is not reused)."""
    return type(node).__module__ == ir.__name__


def walk(node: object) -> Iterator[object]:
    if _memo_ok(node):
        hit = _WALKED.get(id(node))
        if hit is None or hit[0] is not node:
            if len(_WALKED) > _MEMO_MAX:
                _WALKED.clear()
            hit = (node, tuple(_walk(node)))
            _WALKED[id(node)] = hit
        return iter(hit[1])
    return _walk(node)


def _walk(node: object) -> Iterator[object]:
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
    if isinstance(node, type):
        return node
    names = _names(type(node))
    if names is None:
        return node
    new = _map_children(node, names, rebuild, fn)
    r = fn(new)
    return new if r is None else r


def _map_children(node: object, names: tuple[str, ...], recurse: Callable[[object, object], object],
                  arg: object) -> object:
    """``node`` with ``recurse(child, arg)`` put in place of every child node (in fields and
    nested tuples); the same object when no child changed."""
    changes = {}
    for name in names:
        v = getattr(node, name)
        nv = _map_value(v, recurse, arg)
        if nv is not v:
            changes[name] = nv
    return _replace(node, changes) if changes else node


def _map_value(v: object, recurse: Callable[[object, object], object], arg: object) -> object:
    if isinstance(v, tuple):
        items = tuple(_map_value(x, recurse, arg) for x in v)
        return v if all(a is b for a, b in zip(items, v)) else items
    if _names(type(v)) is not None:  # a dataclass instance
        return recurse(v, arg)
    return v


_ZERO = Span(0, 0)


def strip_spans(node: object) -> object:
    """Structural identity: the same tree with every span zeroed (what ``rebuild`` with
    every span replaced gives; kept for the reader's nodes, which never change)."""
    if isinstance(node, type):
        return node
    memo = _memo_ok(node)
    if memo:
        hit = _STRIPPED.get(id(node))
        if hit is not None and hit[0] is node:
            return hit[1]
    names = _names(type(node))
    if names is None:
        return node
    new = _map_children(node, names, _strip_child, None)
    if hasattr(new, "span"):
        new = _replace(new, {"span": _ZERO})
    if memo:
        if len(_STRIPPED) > _MEMO_MAX:
            _STRIPPED.clear()
        _STRIPPED[id(node)] = (node, new)
    return new


def _strip_child(v: object, _: object) -> object:
    return strip_spans(v)


def int_value(node: object) -> int | None:
    if isinstance(node, ir.Number) and node.text.isdigit():
        return int(node.text)
    return None


def path_to(root: object, target: object) -> list[tuple[object, str, int | None]] | None:
    """Steps (parent, field, tuple position) from ``root`` down to ``target``."""
    if root is target:
        return []
    if isinstance(root, type):
        return None
    names = _names(type(root))
    if names is None:
        return None
    for name in names:
        v = getattr(root, name)
        if v is target:
            return [(root, name, None)]
        if isinstance(v, tuple):
            for k, x in enumerate(v):
                if x is target:
                    return [(root, name, k)]
                if isinstance(x, tuple):
                    for kk, y in enumerate(x):
                        if y is target:
                            return [(root, name, k), (x, "", kk)]
                        sub = path_to(y, target) if dataclasses.is_dataclass(y) else None
                        if sub is not None:
                            return [(root, name, k), (x, "", kk)] + sub
                elif dataclasses.is_dataclass(x):
                    sub = path_to(x, target)
                    if sub is not None:
                        return [(root, name, k)] + sub
        elif dataclasses.is_dataclass(v):
            sub = path_to(v, target)
            if sub is not None:
                return [(root, name, None)] + sub
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
            cur = _replace(parent, {name: cur})
        else:
            items = list(v)
            items[pos] = cur
            cur = _replace(parent, {name: tuple(items)})
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
