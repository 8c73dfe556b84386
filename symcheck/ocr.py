"""Repair text whose backslashes were eaten by a Python-string-escape step.

Some notes went through a pipeline that read ``\\b``, ``\\f``, ``\\r``, ``\\v``, ``\\t``,
``\\n``, ``\\a`` as escapes: the backslash and letter became a control character or
vanished (``\\begin`` → ``egin``, ``\\frac`` → ``rac``, ``\\vdots`` → ``dots``), and
``\\\\`` collapsed to ``\\``.  The residues are distinctive enough to undo, but only
in a document that shows strong evidence of the damage: ordinary prose with the
words "right" or "fraction" must never be touched.

Residues are restored from a table built from LaTeX commands whose names start
with an escape letter.  Each residue carries the context it needs before it is
trusted: a bare word, a following ``{``, a following delimiter, or a preceding ``^``.
"""
from __future__ import annotations

import bisect
import re

from symcheck.fragments import Note
from symcheck.macros import splice
from symcheck.source import MappedText, Span

_ESCAPE_LETTERS = "abfnrtv"
# A line feed is left alone: it is far more often a real line break than a lost \n.
_CONTROL = {"\x07": "a", "\x08": "b", "\x0c": "f", "\x0b": "v", "\t": "t", "\r": "r"}

# LaTeX commands starting with an escape letter.  Context of the residue (name
# without its first letter): "word" = a bare word is enough; "brace" = must be
# followed by "{"; "delim" = followed by a delimiter; "sup" = after ^.  Residues
# that are English words or other commands (angle, space, leq, vert…) are left out.
_COMMANDS = {
    "word": """alpha approx arccos arcsin arctan asymp begin beta bullet boldsymbol backslash binom boxed
        bigl bigr bigg biggl biggr bigcup bigcap bigoplus bigotimes bigwedge bigvee frac forall nabla newline
        nonumber notag notin nolimits newcommand renewcommand rightarrow rightleftharpoons tanh theta
        times tilde triangle textbf textit textrm textstyle tfrac varepsilon varphi vartheta varrho varpi
        varsigma vdots vec vert""",
    "brace": "text tag bar frak fbox",
    "delim": "right",
    "sup": "top",
}
_RESIDUES: dict[str, tuple[str, str]] = {}  # residue -> (command, context)
for _ctx, _names in _COMMANDS.items():
    for _name in _names.split():
        assert _name[0] in _ESCAPE_LETTERS
        _RESIDUES.setdefault(_name[1:], (_name, "brace" if _name == "vec" else _ctx))
_ALL_COMMANDS = {n for names in _COMMANDS.values() for n in names.split()} | {
    "tau", "to", "top", "tan", "rho", "nu", "neq", "ne", "not", "ni", "neg", "ast", "arg", "bot", "bmod",
    "rangle", "rbrace", "rfloor", "rceil", "rvert", "rVert", "vee", "vphantom", "vspace", "angle", "vline",
}

_MATRIX_ENVS = {"bmatrix", "pmatrix", "matrix", "array", "vmatrix", "Vmatrix", "Bmatrix", "smallmatrix", "cases"}
_DELIM_AFTER = re.compile(r"\s*(?:[)\]|./<>]|\\[}|]|\\r(?:angle|brace|vert|Vert|floor|ceil)\b)")
_MATHY_BEFORE = set("&\\{$(,")
_MATHY_AFTER = set("&\\}$),")
_STRONG = re.compile(
    r"(?<![\\A-Za-z])(?:egin\{|rac\{|ight\s*(?:[)\]|.]|\\[}|]))|[\x07\x08\x0b\x0c]"
    r"|\r(?:ight|ho|angle|brace|floor|ceil|vert|Vert)(?![A-Za-z])"  # a lone CR line ending is not damage
)
_DOTS = re.compile(r"(?<![\\A-Za-z])dots(?![A-Za-z])")
_WORD = re.compile(r"[A-Za-z]+")
_ENV = re.compile(r"\\(begin|end)\s*\{([A-Za-z]+\*?)\}")
_LONE_SEP = re.compile(r"(?<!\\)(?:\\\\)*\\(?=[ \t\n])")


def _mathy_neighbours(s: str, a: int, b: int) -> bool:
    """Whether a bare word sits between math punctuation (``& dots \\``), not in prose."""
    i = a - 1
    while i >= 0 and s[i] in " \t":
        i -= 1
    j = b
    while j < len(s) and s[j] in " \t":
        j += 1
    return (i >= 0 and s[i] in _MATHY_BEFORE) or (j < len(s) and s[j] in _MATHY_AFTER)


def looks_damaged(text: str) -> bool:
    """Strong residues only: ``egin{``, ``rac{``, ``ight)``, control characters, or a
    bare ``dots`` standing between matrix punctuation."""
    if _STRONG.search(text):
        return True
    return any(_mathy_neighbours(text, m.start(), m.end()) for m in _DOTS.finditer(text))


def _context_ok(s: str, a: int, b: int, ctx: str) -> bool:
    if ctx == "word":
        return True
    if ctx == "brace":
        return b < len(s) and s[b] == "{"
    if ctx == "delim":
        return bool(_DELIM_AFTER.match(s, b))
    return a > 0 and (s[a - 1] == "^" or s[a - 2:a] == "^{")


def _command_edits(s: str) -> list[tuple[int, int, str, str]]:
    """(start, end, replacement, label) for lost command backslashes and control characters."""
    edits: list[tuple[int, int, str, str]] = []
    handled: set[int] = set()
    for m in _WORD.finditer(s):
        a, b = m.start(), m.end()
        w = m.group(0)
        prev = s[a - 1] if a else ""
        if prev == "\\":
            continue
        letter = _CONTROL.get(prev)
        if letter and (letter + w) in _ALL_COMMANDS and (prev != "\t" or len(w) > 1):
            edits.append((a - 1, a, "\\" + letter, "\\" + letter + w))
            handled.add(a - 1)
            continue
        if w == "dots":
            if _mathy_neighbours(s, a, b):
                edits.append((a, a, "\\v", "\\vdots"))
            continue
        entry = _RESIDUES.get(w)
        if entry and _context_ok(s, a, b, entry[1]):
            edits.append((a, a, "\\" + entry[0][0], "\\" + entry[0]))
    for m in re.finditer(r"[\x07\x08\x0b\x0c]", s):
        if m.start() not in handled:
            letter = _CONTROL[m.group(0)]
            edits.append((m.start(), m.end(), "\\" + letter, "\\" + letter))
    return edits


def _separator_edits(s: str) -> list[tuple[int, int, str, str]]:
    """Inside matrix-like environments a lone ``\\ `` is a ``\\\\`` that lost a backslash."""
    ranges: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for m in _ENV.finditer(s):
        if m.group(1) == "begin":
            stack.append((m.group(2), m.end()))
        elif stack and stack[-1][0] == m.group(2):
            name, start = stack.pop()
            if name.rstrip("*") in _MATRIX_ENVS:
                ranges.append((start, m.start()))
    ranges.sort()
    starts = [r[0] for r in ranges]
    edits = []
    for m in _LONE_SEP.finditer(s):
        k = m.end() - 1  # the lone backslash
        r = bisect.bisect_right(starts, k) - 1
        inside = any(ranges[x][0] <= k < ranges[x][1] for x in range(max(r - 8, 0), r + 1))
        if inside:
            edits.append((k, k, "\\", "row separator \\\\"))
    return edits


def _summarise(original: MappedText, repairs: list[tuple[int, int, str]]) -> list[Note]:
    """One SC300 note per paragraph (text between blank lines), counting repairs by kind.
    ``repairs`` holds (start, end, label) in document offsets."""
    doc_breaks = [original.offsets[m.end()] for m in re.finditer(r"\n[ \t]*\n", original.text)]
    groups: dict[int, list[tuple[int, int, str]]] = {}
    for rep in repairs:
        groups.setdefault(bisect.bisect_right(doc_breaks, rep[0]), []).append(rep)
    notes = []
    for _, reps in sorted(groups.items()):
        counts: dict[str, int] = {}
        for _, _, label in reps:
            counts[label] = counts.get(label, 0) + 1
        summary = ", ".join(f"{k} ×{v}" for k, v in counts.items())
        first = min(reps)
        notes.append(Note("SC300", f"repaired lost backslashes: {summary}", Span(first[0], first[1])))
    return notes


def repair(text: MappedText) -> tuple[MappedText, list[Note]]:
    """Restore lost backslashes if the text looks damaged; otherwise return it unchanged."""
    if not looks_damaged(text.text):
        return text, []
    first = _command_edits(text.text)
    stage1 = splice(text, [(a, b, r) for a, b, r, _ in first])
    repairs = []  # document offsets, for the notes
    for a, b, _, label in first:
        span = text.span(a, max(b, a + 1))
        repairs.append((span.start, span.end, label))
    seps = _separator_edits(stage1.text)
    stage2 = splice(stage1, [(a, b, r) for a, b, r, _ in seps])
    for a, _, _, label in seps:
        repairs.append((stage1.offsets[a], stage1.offsets[a] + 1, label))
    return stage2, _summarise(text, repairs)
