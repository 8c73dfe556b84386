"""Cut one math fragment into rows: one relation (or chain of relations) each.

Authors put several relations in one display in many ways: ``\\\\`` rows of an
align, two ``&=`` column pairs side by side, ``\\quad``/``\\text{with}`` between
independent equations, a tag written as a trailing ``(3)``.  The engine decides
one row at a time, so this module normalises all of them into ``Row`` records
whose text still maps to the author's characters.
"""
from __future__ import annotations

import re
from dataclasses import replace

from symcheck import macros as macros_mod
from symcheck.fragments import Fragment, Note, Row
from symcheck.source import MappedText

# a relation written under a note: \overset{(a)}{=}, \stackrel{\text{def}}{=} (group 1 the note, 2 the relation)
ANNOTATED_RELATION = (r"\\(?:overset|stackrel)\s*\{((?:[^{}]|\{[^{}]*\})*)\}\s*"
                      r"\{\s*(=|\\le|\\leq|\\ge|\\geq|\\approx|<|>)\s*\}")
RELATION = re.compile(
    r"<=|>=|!=|:=|=|<|>|\\(?:leq?|geq?|neq?|approx|equiv|simeq|sim|cong|propto|leqslant|geqslant"
    r"|ll|gg|coloneqq|eqqcolon|doteq|triangleq)(?![A-Za-z])|" + ANNOTATED_RELATION
)
ROW_ENVS = {"align", "aligned", "split", "gather", "gathered", "alignat", "alignedat", "eqnarray",
            "multline", "equation", "flalign", "displaymath", "math", "dmath", "darray"}
_KIND_ENV = {"dollar": "inline", "paren": "inline", "rst-role": "inline", "ddollar": "display",
             "bracket": "display", "rst-math": "rst-math"}
_ENV_TOKEN = re.compile(r"\\(begin|end)\s*\{([A-Za-z]+)\*?\}")
_TAG = re.compile(r"\\(tag\*?|label)\s*(?=\{)")
_NONUMBER = re.compile(r"\\(?:nonumber|notag)(?![A-Za-z])")
# an implication arrow between two relations ("a = b \implies c = d") separates
# two claims, like \quad does; an arrow without a relation on both sides stays
_SEPARATOR = re.compile(
    r",?\s*\\q?quad(?![A-Za-z])|\\(?:text|mbox|textrm|mathrm)\s*\{\s*(?:with|where|and)\s*\}"
    r"|\\(?:implies|impliedby|iff|Longrightarrow|Rightarrow|Leftrightarrow|Longleftrightarrow)(?![A-Za-z])"
)
_LEADING_TEXT = re.compile(r"\s*\\(?:text|mbox|textrm)\s*\{([^{}]*)\}")
_TRAILING_TAG = re.compile(r"(?:\s|\\q?quad)\s*\((\d+[a-z]?)\)\s*$")
# a lone trailing "." is punctuation; "..." is an ellipsis and stays
_TRAILING_JUNK = re.compile(r"(?:\s|(?<!\.)\.(?!\.)|[,;~]|\\[,;:! ]|\\q?quad(?![A-Za-z]))+$")

# "\therefore\ a = b" leaves "\ a = b" once the sign is read away
_LEADING_SPACE = re.compile(r"(?:\s|\\[,;:! ]|\\q?quad(?![A-Za-z]))*")


def _depths(s: str) -> list[int]:
    """Nesting depth of each character: braces and non-row environments count."""
    out = [0] * len(s)
    d = 0
    i = 0
    while i < len(s):
        c = s[i]
        out[i] = d
        if c == "\\":
            m = _ENV_TOKEN.match(s, i)
            if m and m.group(2) not in ROW_ENVS:
                if m.group(1) == "end":
                    d = max(d - 1, 0)
                for k in range(i, m.end()):
                    out[k] = d
                if m.group(1) == "begin":
                    d += 1
                i = m.end()
                continue
            if i + 1 < len(s):
                out[i + 1] = d
            i += 2
            continue
        if c == "{":
            d += 1
        elif c == "}":
            d = max(d - 1, 0)
            out[i] = d
        i += 1
    return out


def has_relation(s: str) -> bool:
    """A relation operator at top level (not inside braces or a matrix)."""
    dep = _depths(s)
    return any(dep[m.start()] == 0 for m in RELATION.finditer(s))


def _remove(mt: MappedText, ranges: list[tuple[int, int]]) -> MappedText:
    return macros_mod.splice(mt, [(a, b, "") for a, b in ranges]) if ranges else mt


def _drop_unmatched_ends(mt: MappedText) -> tuple[MappedText, list[Note]]:
    stack: list[str] = []
    bad: list[tuple[int, int]] = []
    notes = []
    for m in _ENV_TOKEN.finditer(mt.text):
        name = m.group(2)
        if m.group(1) == "begin":
            stack.append(name)
        elif name in stack:
            while stack.pop() != name:
                pass
        else:
            bad.append((m.start(), m.end()))
            notes.append(Note("SC303", f"unmatched \\end{{{name}}} ignored", mt.span(m.start(), m.end())))
    return _remove(mt, bad), notes


_INTERTEXT = re.compile(r"\\(?:short)?intertext\s*\{")


def _group_end(s: str, i: int) -> int:
    """The offset just after the brace group whose content starts at ``i``."""
    depth = 1
    while i < len(s) and depth:
        depth += {"{": 1, "}": -1}.get(s[i], 0) if s[i - 1] != "\\" else 0
        i += 1
    return i


def _cut_rows(mt: MappedText, default_env: str, blank_lines: bool) -> list[tuple[MappedText, str]]:
    """Split at top-level ``\\\\`` (and blank lines in rst); row environments vanish."""
    s = mt.text
    dep = _depths(s)
    rows: list[tuple[MappedText, str]] = []
    stack: list[str] = []
    drop: list[tuple[int, int]] = []
    start, env = 0, None
    i = 0

    def close(end: int) -> None:
        piece = _remove(mt.slice(start, end), [(a - start, b - start) for a, b in drop if a >= start])
        rows.append((piece, env or (stack[-1] if stack else default_env)))

    while i < len(s):
        if dep[i] == 0 and s[i] == "\\":
            m = _ENV_TOKEN.match(s, i)
            if m and m.group(2) in ROW_ENVS:
                end = m.end()
                # \begin{alignat}{2}, \begin{darray}{rcl}: the column argument is not math
                spec = r"\s*\{[lcr| ]+\}" if m.group(2) == "darray" else r"\s*\{\d+\}"
                arg = re.match(spec, s[end:]) if m.group(1) == "begin" else None
                end += arg.end() if arg else 0
                drop.append((i, end))
                if m.group(1) == "begin":
                    stack.append(m.group(2))
                elif stack:
                    stack.pop()
                i = end
                continue
            inter = _INTERTEXT.match(s, i)
            if inter:
                # \intertext{so that …}: prose between two rows of an align, itself a row break
                close(i)
                i = _group_end(s, inter.end())
                start, env = i, None
                continue
            if s.startswith("\\\\", i):
                close(i)
                opt = re.match(r"\\\\\*?(?:\s*\[[^\]]*\])?", s[i:])
                i += opt.end() if opt else 2
                start, env = i, None
                continue
            i += 2
            continue
        if blank_lines and s[i] == "\n" and dep[i] == 0:
            m = re.match(r"\n[ \t]*\n", s[i:])
            if m:
                close(i)
                i += m.end()
                start, env = i, None
                continue
        if env is None and not s[i].isspace():
            env = stack[-1] if stack else default_env
        i += 1
    close(len(s))
    return rows


def _take_tags(mt: MappedText) -> tuple[MappedText, str | None]:
    """Remove \\tag, \\label, \\nonumber; \\tag wins over \\label."""
    s = mt.text
    drop = [(m.start(), m.end()) for m in _NONUMBER.finditer(s)]
    tag = label = None
    for m in _TAG.finditer(s):
        end = macros_mod.brace_end(s, m.end())
        if end < 0:
            continue
        value = s[m.end() + 1:end - 1].strip()
        if m.group(1) == "label":
            label = label or value
        else:
            tag = tag or value
        drop.append((m.start(), end))
    return _remove(mt, drop), tag or label


def _columns(mt: MappedText, env: str) -> list[MappedText]:
    """Split a multi-column align row at every second ``&``; drop the remaining ``&``."""
    s = mt.text
    dep = _depths(s)
    amps = [i for i, c in enumerate(s) if c == "&" and dep[i] == 0 and (i == 0 or s[i - 1] != "\\")]
    pieces = []
    if len(amps) >= 3 and env != "eqnarray":
        bounds = [0] + [a for n, a in enumerate(amps) if n % 2 == 1] + [len(s)]
        for a, b in zip(bounds, bounds[1:]):
            pieces.append((a if a == 0 else a + 1, b))
    else:
        pieces.append((0, len(s)))
    out = []
    for a, b in pieces:
        out.append(_remove(mt.slice(a, b), [(x - a, x - a + 1) for x in amps if a <= x < b]))
    return out


def _split_relations(mt: MappedText) -> list[MappedText]:
    """Split at top-level \\quad / \\text{with} when both sides hold a relation."""
    s = mt.text
    lead = _LEADING_TEXT.match(s)
    if lead and " " in lead.group(1).strip() + lead.group(1)[-1:] and has_relation(s[lead.end():]):
        return _split_relations(mt.slice(lead.end()))
    dep = _depths(s)
    seps = [m for m in _SEPARATOR.finditer(s) if dep[m.start()] == 0 and dep[m.end() - 1] == 0]
    if not seps:
        return [mt]
    out = []
    acc_start = 0
    for n, sep in enumerate(seps):
        nxt_end = seps[n + 1].start() if n + 1 < len(seps) else len(s)
        if has_relation(s[acc_start:sep.start()]) and has_relation(s[sep.end():nxt_end]):
            out.append(mt.slice(acc_start, sep.start()))
            acc_start = sep.end()
    out.append(mt.slice(acc_start))
    return out


def _trim(mt: MappedText) -> MappedText:
    """Strip leading spacing, trailing punctuation and spacing commands, but keep ``\\right.``."""
    lead = _LEADING_SPACE.match(mt.text)
    if lead and lead.end():
        mt = mt.slice(lead.end())
    s = mt.text
    m = _TRAILING_JUNK.search(s)
    if not m:
        return mt.strip()
    end = m.start()
    if s[end:].lstrip().startswith(".") and re.search(r"\\(?:right|big[lr]?|Big[lr]?|middle)\s*$", s[:end]):
        end += s[end:].index(".") + 1
    return mt.slice(0, end).strip()


def split_rows(fragment: Fragment, index: int, macros: macros_mod.MacroTable) -> tuple[list[Row], list[Note]]:
    """Rows of ``fragment`` (which is ``Document.fragments[index]``), with notes."""
    notes: list[Note] = []
    text = fragment.text
    defs, _ = macros_mod.find_definitions(text.text)
    text = _remove(text, [(d.start, d.end) for d in defs])
    if not text.text.strip():
        return [], notes
    text, found = _drop_unmatched_ends(text)
    notes += found
    text, found = macros_mod.expand(text, macros)
    notes += found
    kind = fragment.kind
    default_env = kind[4:].rstrip("*") if kind.startswith("env:") else _KIND_ENV.get(kind, "display")
    rows: list[Row] = []
    for piece, env in _cut_rows(text, default_env, blank_lines=kind == "rst-math"):
        piece, tag = _take_tags(piece)
        parts = [p for col in _columns(piece, env) for p in _split_relations(col)]
        made: list[Row] = []
        for part in parts:
            part = _trim(part)
            row_tag = None
            m = _TRAILING_TAG.search(part.text) if fragment.display else None
            if m and has_relation(part.text[:m.start()]):
                row_tag = m.group(1)
                part = _trim(part.slice(0, m.start()))
            if not part.text:
                continue
            continues = bool(RELATION.match(part.text))
            made.append(Row(part, index, row_tag, continues, env))
        if made and tag and made[-1].tag is None:
            made[-1] = replace(made[-1], tag=tag)
        rows += made
    return rows, notes
