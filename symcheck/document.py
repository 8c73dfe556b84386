"""Read a Markdown, LaTeX or reStructuredText file into math fragments.

The reader never interprets the document: it finds where the math is, repairs
text damaged by lost backslashes, collects macro definitions, and hands each
fragment to segment.py for rows.  All positions are offsets into the original
file, so every later diagnostic points at what the author wrote.  Document text
is untrusted: nothing here raises on bad input or runs in more than near-linear
time; oddities become ``Note``s.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from symcheck import macros, ocr, segment
from symcheck.fragments import Document, Fragment, Note
from symcheck.source import MappedText

MAX_DOCUMENT = 2_000_000
MAX_FRAGMENT = 20_000
MATH_ENVS = {"equation", "align", "gather", "multline", "eqnarray", "alignat", "flalign", "displaymath",
             "math", "dmath", "darray"}  # math: LaTeX's inline environment; dmath, darray: breqn
_ENV_BEGIN = re.compile(r"\\begin\s*\{([A-Za-z]+)(\*?)\}")
_ENV_TOKEN = re.compile(r"\\(begin|end)\s*\{([A-Za-z]+\*?)\}")
_BLANK = re.compile(r"\n[ \t]*\n")
_FENCE = re.compile(r"[ \t]{0,3}(`{3,}|~{3,})")
_TAG_ONLY = re.compile(r"\s*(?:\\tag\*?\s*\{\s*([^{}]*?)\s*\}|\(\s*(\d+[a-z]?)\s*\))\s*")
_TAG_LINE = re.compile(r"[ \t]*(?:\n[ \t]*)*\((\d+[a-z]?)\)[ \t]*(?:\n|$)")
_PRODUCT_GAP = re.compile(r"\s*(\.|\\cdot|·)\s*")
_RST_OPTION = re.compile(r"[ \t]*:(label|name|nowrap|class):[ \t]*([^\n]*)")
_RST_TOKEN = re.compile(r"\.\. math::|:math:`|\$|``")
_FLAT_RST = re.compile(r"\S[ \t]+\.\. [A-Za-z][\w-]*::")


@dataclass
class _Raw:
    """A fragment found by a scanner: indices into the repaired text."""

    start: int  # outer start (delimiters included)
    end: int
    body: tuple[int, int]
    display: bool
    kind: str
    tag: str | None = None


class _Scanner:
    """Shared machinery for finding closing delimiters without quadratic rescans."""

    def __init__(self, s: str) -> None:
        self.s = s
        self.blanks = [m.start() for m in _BLANK.finditer(s)]
        self._failed: dict[str, int] = {}
        self.notes: list[tuple[str, int, int]] = []
        self._env_pairs: dict[int, int] | None = None

    def find(self, closer: str, pos: int) -> int:
        """Next unescaped ``closer`` at or after ``pos``, or -1 (remembered)."""
        if pos >= self._failed.get(closer, len(self.s) + 1):
            return -1
        j = pos
        while True:
            j = self.s.find(closer, j)
            if j < 0:
                self._failed[closer] = pos
                return -1
            k = j
            while k > 0 and self.s[k - 1] == "\\":
                k -= 1
            if (j - k) % 2 == 0 or closer.startswith("\\"):
                return j
            j += 1

    def crosses_blank(self, a: int, b: int) -> bool:
        k = bisect.bisect_left(self.blanks, a)
        return k < len(self.blanks) and self.blanks[k] < b

    def env_end(self, begin: int) -> int:
        """Index just past the ``\\end`` matching the ``\\begin`` at ``begin``, or -1.
        All pairs are matched in one pass, so many unclosed environments stay linear."""
        if self._env_pairs is None:
            self._env_pairs = {}
            stacks: dict[str, list[int]] = {}
            for m in _ENV_TOKEN.finditer(self.s):
                stack = stacks.setdefault(m.group(2), [])
                if m.group(1) == "begin":
                    stack.append(m.start())
                elif stack:
                    self._env_pairs[stack.pop()] = m.end()
        return self._env_pairs.get(begin, -1)

    def dollar(self, i: int, out: list[_Raw]) -> int:
        """Handle ``$`` or ``$$`` at ``i``; return where scanning resumes."""
        s = self.s
        if s.startswith("$$", i):
            j = self.find("$$", i + 2)
            if j < 0:
                return i + 2
            out.append(_Raw(i, j + 2, (i + 2, j), True, "ddollar"))
            return j + 2
        j = self.find("$", i + 1)
        if j < 0 or self.crosses_blank(i, j):
            return i + 1
        if s.startswith("$", j + 1) and not s[j + 2:s.find("\n", j + 2) % (len(s) + 1)].strip():
            self.notes.append(("read `$…$$` as one display formula", i, j + 2))
            out.append(_Raw(i, j + 2, (i + 1, j), True, "ddollar"))
            return j + 2
        out.append(_Raw(i, j + 1, (i + 1, j), False, "dollar"))
        return j + 1

    def backslash(self, i: int, out: list[_Raw]) -> int:
        s = self.s
        nxt = s[i + 1:i + 2]
        if nxt in ("[", "("):
            closer = "\\]" if nxt == "[" else "\\)"
            j = self.find(closer, i + 2)
            if j < 0:
                return i + 2
            out.append(_Raw(i, j + 2, (i + 2, j), nxt == "[", "bracket" if nxt == "[" else "paren"))
            return j + 2
        m = _ENV_BEGIN.match(s, i)
        if m and m.group(1) in MATH_ENVS:
            end = self.env_end(i)
            if end > 0:
                out.append(_Raw(i, end, (i, end), True, "env:" + m.group(1) + m.group(2)))
                return end
        return i + 2


def _scan_tex(sc: _Scanner, start: int, stop: int, markdown: bool) -> list[_Raw]:
    """Markdown (fences and code spans skipped) or LaTeX (comments skipped)."""
    s, out, i = sc.s, [], start
    while i < stop:
        c = s[i]
        if markdown and (i == 0 or s[i - 1] == "\n"):
            f = _FENCE.match(s, i)
            if f:
                close = re.compile(r"^[ \t]{0,3}" + re.escape(f.group(1)[0]) + "{" + str(len(f.group(1))) + r",}[ \t]*$",
                                   re.M).search(s, f.end())
                info = s[f.end():s.find("\n", f.end()) if s.find("\n", f.end()) >= 0 else stop].strip()
                if info == "math" and close:  # GitHub's ```math block: display math
                    body = s.find("\n", f.end()) + 1
                    out.append(_Raw(i, close.end(), (body, close.start()), True, "ddollar"))
                i = close.end() if close else stop
                continue
        if markdown and c == "`":
            k = i
            while k < stop and s[k] == "`":
                k += 1
            j = sc.find(s[i:k], k)
            i = j + (k - i) if j >= 0 and not sc.crosses_blank(i, j) else k
            continue
        if not markdown and c == "%":
            nl = s.find("\n", i)
            i = stop if nl < 0 else nl
            continue
        if c == "\\":
            i = sc.backslash(i, out)
        elif c == "$":
            i = sc.dollar(i, out)
        else:
            i += 1
    return out


def _flat_end(s: str, i: int) -> int:
    """End of a ``.. math::`` block whose document was flattened onto one line."""
    depth = env = 0
    j, n = i, len(s)
    while j < n:
        c = s[j]
        if c == "\\":
            m = re.compile(r"\\(begin|end)\s*\{[^{}]*\}").match(s, j)
            if m:
                env = max(env + (1 if m.group(1) == "begin" else -1), 0)
                j = m.end()
                continue
            k = j + 1
            while k < n and s[k].isalpha():
                k += 1
            j = max(k, j + 2)
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(depth - 1, 0)
        elif depth == 0 and env == 0:
            if c == "$" or s.startswith("**", j) or s.startswith(".. ", j) or re.match(r":[A-Za-z][\w-]*:`", s[j:j + 40]):
                return j
            if c.isascii() and c.isalpha():
                k = j
                while k < n and s[k].isascii() and s[k].isalpha():
                    k += 1
                prev = s[j - 1] if j else " "
                if k - j >= 2 and prev not in "_^" and not prev.isalnum():
                    return j
                j = k
                continue
        j += 1
    return n


def _rst_options(s: str, i: int, stop: int) -> tuple[int, str | None]:
    """Skip ``:label: x`` style options at ``i``; return (content start, label)."""
    label = None
    while True:
        m = _RST_OPTION.match(s, i, stop)
        if not m:
            return i, label
        value = m.group(2).strip()
        if m.group(1) in ("label", "name") and value:
            label = value.split()[0]
            i = m.start(2) + m.group(2).index(label) + len(label)
        else:
            i = m.end()
        nl = re.match(r"[ \t]*\n?", s[i:stop])
        i += nl.end() if nl else 0


def _rst_directive(s: str, i: int, flat: bool, out: list[_Raw]) -> int:
    arg = i + len(".. math::")
    if flat:
        body, label = _rst_options(s, arg, len(s))
        end = _flat_end(s, body)
        out.append(_Raw(i, end, (body, end), True, "rst-math", label))
        return end
    line_start = s.rfind("\n", 0, i) + 1
    indent = i - line_start
    eol = s.find("\n", arg)
    eol = len(s) if eol < 0 else eol
    if s[arg:eol].strip():
        out.append(_Raw(i, eol, (arg, eol), True, "rst-math"))
    j, last = eol, eol
    while j < len(s):
        nl = s.find("\n", j + 1)
        nl = len(s) if nl < 0 else nl
        line = s[j + 1:nl]
        if line.strip():
            if len(line) - len(line.lstrip()) <= indent:
                break
            last = nl
        j = nl
    if last > eol:
        body, label = _rst_options(s, eol + 1, last)
        if s[body:last].strip():
            out.append(_Raw(i, last, (body, last), True, "rst-math", label))
    return max(last, eol)


def _scan_rst(sc: _Scanner) -> list[_Raw]:
    s, out, i = sc.s, [], 0
    flat = bool(_FLAT_RST.search(s))
    while True:
        m = _RST_TOKEN.search(s, i)
        if not m:
            return out
        tok, i = m.group(0), m.start()
        if tok == ".. math::":
            i = _rst_directive(s, i, flat, out)
        elif tok == ":math:`":
            j = s.find("`", m.end())
            if j < 0:
                return out
            out.append(_Raw(i, j + 1, (m.end(), j), False, "rst-role"))
            i = j + 1
        elif tok == "``":
            j = s.find("``", i + 2)
            i = i + 2 if j < 0 else j + 2
        else:
            i = sc.dollar(i, out)


def detect_format(path: str, text: str) -> str:
    low = path.lower()
    for ext, fmt in ((".md", "markdown"), (".markdown", "markdown"), (".tex", "latex"), (".rst", "rst")):
        if low.endswith(ext):
            return fmt
    if ".. math::" in text:
        return "rst"
    if "\\documentclass" in text or "\\begin{document}" in text:
        return "latex"
    return "markdown"


def _front_matter(s: str) -> tuple[tuple[tuple[str, str], ...], int]:
    """Simple ``key: value`` lines between ``---`` fences at the very top; no YAML evaluation."""
    m = re.match(r"---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)", s, re.S)
    if not m:
        return (), 0
    pairs = []
    for line in m.group(1).splitlines():
        kv = re.match(r"\s*([A-Za-z0-9_.-]+)\s*:\s*(.*?)\s*$", line)
        if kv:
            value = kv.group(2)
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            pairs.append((kv.group(1), value))
    return tuple(pairs), m.end()


def _strip_comments(text: MappedText) -> MappedText:
    cuts = [(m.start(), m.end()) for m in re.finditer(r"(?<!\\)%[^\n]*", text.text)]
    return macros.splice(text, [(a, b, "") for a, b in cuts]) if cuts else text


def _outside_tags(s: str, raws: list[_Raw], stop: int) -> tuple[list[bool], dict[int, str]]:
    """Tags written outside the math: a ``$$\\tag{1}$$`` block or a ``(2)`` line after a display."""
    tag_only = [False] * len(raws)
    tags: dict[int, str] = {}
    for k, r in enumerate(raws):
        if not r.display:
            continue
        m = _TAG_ONLY.fullmatch(s, r.body[0], r.body[1])
        if m:
            tag_only[k] = True
            prev = k - 1
            while prev >= 0 and tag_only[prev]:
                prev -= 1
            if prev >= 0:
                tags.setdefault(prev, m.group(1) or m.group(2))
            continue
        nxt = raws[k + 1].start if k + 1 < len(raws) else stop
        line = _TAG_LINE.match(s, r.end, nxt)
        if line:
            tags[k] = line.group(1)
    return tag_only, tags


def _assemble(mt: MappedText, raws: list[_Raw], defs: list[macros.Macro], latex: bool, start: int, stop: int,
              notes: list[Note]) -> tuple[list[Fragment], MappedText]:
    """Turn raw finds into Fragments: size limits, outside tags, merged pieces, prose, rows."""
    s = mt.text
    ok = []
    for r in raws:
        if r.body[1] - r.body[0] > MAX_FRAGMENT:
            notes.append(Note("SC303", f"math fragment too long ({r.body[1] - r.body[0]} characters, "
                                       f"limit {MAX_FRAGMENT}); skipped", mt.span(r.start, r.start + 1)))
        else:
            ok.append(r)
    tag_only, tags = _outside_tags(s, ok, stop)
    fragments: list[Fragment] = []
    prev_end = start
    k = 0
    while k < len(ok):
        r, is_tag = ok[k], tag_only[k]
        text = mt.slice(*r.body)
        end, tag = r.end, tags.get(k)
        if latex:
            text = _strip_comments(text)
        text = text.strip()
        nxt = ok[k + 1] if k + 1 < len(ok) else None
        gap = _PRODUCT_GAP.fullmatch(s, r.end, nxt.start) if nxt else None
        if r.display and nxt and gap and nxt.kind == "dollar" and not is_tag and k not in tags:
            op = macros.splice(mt.slice(r.end, nxt.start), [(m.start(), m.end(), " ")
                               for m in re.finditer(r"\s+", s[r.end:nxt.start])])
            text = text + op + mt.slice(*nxt.body)
            notes.append(Note("SC304", f"read the display and the inline math after `{gap.group(1)}` as one "
                                       "expression", mt.span(r.start, nxt.end)))
            end, tag = nxt.end, tags.get(k + 1)
            k += 1
        index = len(fragments)
        frag = Fragment(text, r.display, r.kind, mt.slice(prev_end, max(prev_end, r.start)))
        rows: list = []
        if not is_tag:
            rows, more = segment.split_rows(frag, index, defs)
            notes += more
            tag = tag or r.tag
            if rows and tag and rows[-1].tag is None:
                rows[-1] = replace(rows[-1], tag=tag)
        fragments.append(replace(frag, rows=tuple(rows)))
        prev_end = end
        k += 1
    return fragments, mt.slice(prev_end, max(prev_end, stop))


def read_document(path: str, text: str, fmt: str | None = None) -> Document:
    """Parse ``text`` (the contents of ``path``) into fragments with rows; no I/O."""
    fmt = fmt or detect_format(path, text)
    original = MappedText.from_original(text)
    if len(text) > MAX_DOCUMENT:
        note = Note("SC303", f"document too long ({len(text)} characters, limit {MAX_DOCUMENT}); not read",
                    original.span(0, 1) if text else original.span())
        return Document(path, text, fmt, (), (note,), prose_after=original)
    mt, notes = ocr.repair(original)
    s = mt.text
    front, body_start = _front_matter(s) if fmt == "markdown" else ((), 0)
    defs, found = macros.collect(mt)
    notes += found
    sc = _Scanner(s)
    stop = len(s)
    if fmt == "latex":
        b = re.search(r"\\begin\s*\{document\}", s)
        e = re.search(r"\\end\s*\{document\}", s)
        body_start = b.end() if b else 0
        stop = e.start() if e and e.start() >= body_start else len(s)
    raws = _scan_rst(sc) if fmt == "rst" else _scan_tex(sc, body_start, stop, fmt == "markdown")
    notes += [Note("SC304", msg, mt.span(a, b)) for msg, a, b in sc.notes]
    fragments, prose_after = _assemble(mt, raws, defs, fmt == "latex", body_start, stop, notes)
    seen: set[tuple[str, str]] = set()
    kept = []
    for n in notes:
        key = (n.code, n.message)
        if n.code == "SC301" and key in seen:
            continue
        seen.add(key)
        kept.append(n)
    table = tuple(("\\" + d.name, d.nargs, d.body) for d in defs)
    return Document(path, text, fmt, tuple(fragments), tuple(kept), table, front, prose_after)
