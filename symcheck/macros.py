"""Document macros: collect their definitions, expand their uses.

Lecture notes lean on private shorthands (``\\v x`` for a bold vector, ``\\pfrac``
for a partial derivative).  The parser only knows standard LaTeX, so every use is
expanded here first.  Expanded characters keep offsets into the invocation, so a
diagnostic about ``\\pfrac{\\ell}{W}`` still points at what the author typed.

Definitions come from anywhere in the document (preamble, prose, even inside
``$…$``).  Names the document does not define but that have one conventional
meaning are expanded too, with an SC301 note so the reader knows it was assumed.
A document definition always wins over a convention.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence, Union

from symcheck.fragments import Note
from symcheck.source import MappedText, Span

MAX_DEPTH = 32  # nesting of expansions inside expansions
MAX_OUTPUT = 200_000  # characters produced by one expand() call
MAX_EXPANSIONS = 20_000

# name -> (number of arguments, body with #1..#9)
CONVENTIONS: dict[str, tuple[int, str]] = {
    "v": (1, r"\mathbf{#1}"),
    "T": (0, r"^{T}"),
    "pfrac": (2, r"\frac{\partial #1}{\partial #2}"),
    "prt": (0, r"\partial"),
    "R": (0, r"\mathbb{R}"),
    "norm": (1, r"\left\| #1 \right\|"),
    "abs": (1, r"\left| #1 \right|"),
    "bm": (0, r"\boldsymbol"),
}

# Standard commands (amsmath, amssymb, xcolor, beamer) that only decorate what they
# hold: a boxed answer, a coloured term, a "therefore" sign, a slide pause.  They are
# read as their content without a note, since their meaning is not a guess; a
# document definition still wins.
PRESENTATION: dict[str, tuple[int, str]] = {
    "boxed": (1, "#1"),
    "fbox": (1, "#1"),
    "textcolor": (2, "#2"),
    "colorbox": (2, "#2"),
    "color": (1, " "),
    "therefore": (0, " "),
    "because": (0, " "),
    "pause": (0, " "),
}

_DEF_RE = re.compile(r"\\(newcommand|renewcommand|providecommand|DeclareMathOperator|def)(?![A-Za-z])\*?")


@dataclass(frozen=True)
class Macro:
    """One definition as written; ``name`` without the backslash."""

    name: str
    nargs: int
    body: str
    start: int  # index of the definition in the scanned string
    end: int


MacroTable = Union[dict[str, tuple[int, str]], Iterable[Macro], Iterable[tuple[str, int, str]]]


def _spread(off: Sequence[int], i: int, j: int, k: int) -> list[int]:
    """Offsets for ``k`` new characters replacing ``[i, j)``: spread over the old range."""
    if j <= i:
        return [off[i]] * k
    a, b = off[i], off[j - 1]
    return [a + (b - a) * t // max(k - 1, 1) for t in range(k)]


def splice(text: MappedText, edits: Iterable[tuple[int, int, "str | MappedText"]]) -> MappedText:
    """Apply many non-overlapping edits in one linear pass.

    ``MappedText.replace`` copies the whole string per call; OCR repair and macro
    expansion can make thousands of edits, so they go through here.  A ``str``
    replacement maps onto the replaced range; a ``MappedText`` keeps its own offsets.
    Overlapping edits (start before the end of the previous one) are dropped.
    """
    off = text.offsets
    chars: list[str] = []
    offs: list[int] = []
    pos = 0
    for i, j, new in sorted(edits, key=lambda e: (e[0], e[1])):
        if i < pos:
            continue
        chars.append(text.text[pos:i])
        offs.extend(off[pos:i])
        if isinstance(new, MappedText):
            chars.append(new.text)
            offs.extend(new.offsets[:-1])
        else:
            chars.append(new)
            offs.extend(_spread(off, i, j, len(new)))
        pos = max(i, j)
    chars.append(text.text[pos:])
    offs.extend(off[pos:])
    return MappedText("".join(chars), tuple(offs))


def brace_end(s: str, i: int) -> int:
    """Index just past the ``}`` matching the ``{`` at ``s[i]``, or -1 if unbalanced."""
    depth = 0
    n = len(s)
    while i < n:
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def _skip_ws(s: str, i: int) -> int:
    while i < len(s) and s[i] in " \t\r\n":
        i += 1
    return i


def _read_name(s: str, i: int) -> tuple[str, int] | None:
    """``\\name`` or ``{\\name}`` at ``s[i]`` → (name, end)."""
    i = _skip_ws(s, i)
    braced = i < len(s) and s[i] == "{"
    j = _skip_ws(s, i + 1) if braced else i
    if j >= len(s) or s[j] != "\\":
        return None
    k = j + 1
    while k < len(s) and s[k].isalpha():
        k += 1
    if k == j + 1 and k < len(s):
        k += 1  # one-character name such as \,
    name = s[j + 1:k]
    if not name:
        return None
    if braced:
        k = _skip_ws(s, k)
        if k >= len(s) or s[k] != "}":
            return None
        k += 1
    return name, k


def _parse_definition(s: str, m: re.Match[str]) -> Macro | None:
    kind = m.group(1)
    got = _read_name(s, m.end())
    if got is None:
        return None
    name, i = got
    nargs = 0
    if kind == "def":
        params = re.match(r"(?:#[1-9])*", s[i:])
        nargs = params.group(0).count("#") if params else 0
        i += params.end() if params else 0
    elif kind != "DeclareMathOperator":
        i = _skip_ws(s, i)
        opt = re.match(r"\[\s*([1-9])\s*\]", s[i:])
        if opt:
            nargs = int(opt.group(1))
            i = _skip_ws(s, i + opt.end())
            if i < len(s) and s[i] == "[":  # default for the first argument
                close = s.find("]", i)
                if close < 0:
                    return None
                i = close + 1
    i = _skip_ws(s, i)
    if i >= len(s) or s[i] != "{":
        return None
    end = brace_end(s, i)
    if end < 0:
        return None
    body = s[i + 1:end - 1]
    if kind == "DeclareMathOperator":
        body = r"\operatorname{" + body + "}"
    return Macro(name, nargs, body, m.start(), end)


def find_definitions(s: str) -> tuple[list[Macro], list[tuple[int, int]]]:
    """All readable definitions in ``s``, plus the ranges of unreadable ones."""
    found: list[Macro] = []
    bad: list[tuple[int, int]] = []
    pos = 0
    for m in _DEF_RE.finditer(s):
        if m.start() < pos or (m.start() > 0 and s[m.start() - 1] == "\\"):
            continue
        mac = _parse_definition(s, m)
        if mac is None:
            bad.append((m.start(), m.end()))
            continue
        found.append(mac)
        pos = mac.end
    return found, bad


def collect(text: MappedText) -> tuple[list[Macro], list[Note]]:
    """Definitions of the whole document; a later definition replaces an earlier one."""
    found, bad = find_definitions(text.text)
    notes = [Note("SC303", "could not read this macro definition; it is ignored", text.span(a, b)) for a, b in bad]
    return found, notes


def _table(macros: MacroTable) -> dict[str, tuple[int, str]]:
    if isinstance(macros, dict):
        return {k.lstrip("\\"): v for k, v in macros.items()}
    out: dict[str, tuple[int, str]] = {}
    for m in macros:
        if isinstance(m, Macro):
            out[m.name] = (m.nargs, m.body)
        else:
            out[m[0].lstrip("\\")] = (m[1], m[2])
    return out


def _read_arg(mt: MappedText, i: int) -> tuple[MappedText, int] | None:
    """One undelimited argument: a brace group (braces dropped), a command, or a character."""
    s = mt.text
    i = _skip_ws(s, i)
    if i >= len(s) or s[i] in "}&#$":
        return None
    if s[i] == "{":
        end = brace_end(s, i)
        return (mt.slice(i + 1, end - 1), end) if end > 0 else None
    if s[i] == "\\":
        k = i + 1
        while k < len(s) and s[k].isalpha():
            k += 1
        k = max(k, min(i + 2, len(s)))
        return mt.slice(i, k), k
    return mt.slice(i, i + 1), i + 1


@dataclass
class _State:
    table: dict[str, tuple[int, str]]
    produced: int = 0
    count: int = 0
    stopped: bool = False
    used: dict[str, Span] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)


def _instantiate(body: str, args: list[MappedText], span_off: list[int], end_off: int) -> MappedText:
    """Body with #n replaced by the arguments (which keep their own offsets); the body's
    own characters are spread over the invocation, so the expansion covers it end to end."""
    chars: list[str] = []
    offs: list[int] = []
    k = len(body)
    i = 0
    while i < k:
        c = body[i]
        if c == "#" and i + 1 < k and body[i + 1].isdigit() and 0 < int(body[i + 1]) <= len(args):
            a = args[int(body[i + 1]) - 1]
            chars.append(a.text)
            offs.extend(a.offsets[:-1])
            i += 2
            continue
        if c == "#" and i + 1 < k and body[i + 1] == "#":
            i += 1
        chars.append(body[i])
        offs.append(span_off[min(i * len(span_off) // max(k - 1, 1), len(span_off) - 1)])
        i += 1
    return MappedText("".join(chars), tuple(offs) + (end_off,))


def _expand(mt: MappedText, st: _State, depth: int) -> MappedText:
    s = mt.text
    edits: list[tuple[int, int, str | MappedText]] = []
    skip = {d.start: d.end for d in find_definitions(s)[0]} if "\\" in s else {}
    i = 0
    while not st.stopped:
        k = s.find("\\", i)
        if k < 0 or k + 1 >= len(s):
            break
        if k in skip:  # a definition is not a use
            i = skip[k]
            continue
        m = k + 1
        while m < len(s) and s[m].isalpha():
            m += 1
        if m == k + 1:
            i = k + 2  # \\ or \{ : never the start of a macro name
            continue
        name = s[k + 1:m]
        spec = st.table.get(name)
        conventional = spec is None and name in CONVENTIONS
        if conventional:
            spec = CONVENTIONS[name]
        elif spec is None:
            spec = PRESENTATION.get(name)
        if spec is None:
            i = m
            continue
        nargs, body = spec
        args: list[MappedText] = []
        end = m
        for _ in range(nargs):
            got = _read_arg(mt, end)
            if got is None:
                break
            args.append(got[0])
            end = got[1]
        if len(args) < nargs:
            i = m
            continue
        size = len(body) + sum(len(a) * body.count(f"#{d}") for d, a in enumerate(args, 1))
        if depth >= MAX_DEPTH or st.produced + size > MAX_OUTPUT or st.count > MAX_EXPANSIONS:
            st.stopped = True
            st.notes.append(Note(
                "SC303",
                f"macro expansion stopped at \\{name}: nesting deeper than {MAX_DEPTH} or output too large "
                "(recursive definition?)",
                mt.span(k, end)))
            break
        st.count += 1
        if conventional and name not in st.used:
            st.used[name] = mt.span(k, end)
        inst = _instantiate(body, args, list(mt.offsets[k:end]), mt.offsets[end])
        st.produced += len(inst)  # counted before recursing: arguments can double per level
        out = _expand(inst, st, depth + 1)
        edits.append((k, end, out))
        i = end
    return splice(mt, edits) if edits else mt


def expand(text: MappedText, macros: MacroTable) -> tuple[MappedText, list[Note]]:
    """Expand document macros and conventional shorthands in ``text``.

    Returns SC301 notes (one per conventional name used here; callers dedupe across
    a document) and an SC303 note if a recursive definition hit the size limits.
    """
    st = _State(_table(macros))
    out = _expand(text, st, 0)
    for name, span in st.used.items():
        n, body = CONVENTIONS[name]
        meaning = body.replace("#1", "a").replace("#2", "b")
        use = "\\" + name + "".join("{" + x + "}" for x in "ab"[:n])
        st.notes.append(Note("SC301", f"\\{name} is not defined in the document; read {use} as {meaning}", span))
    return out, st.notes
