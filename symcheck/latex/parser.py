"""Entry points of the LaTeX reader: ``parse_row`` and ``parse_expr``.

The grammar (grammar.lark) is loaded at import time into one LALR(1) parser with
lark's contextual lexer; a small postlexer fixes the few things a context-free
lexer cannot know (which ``|`` opens, what ``\\left`` applies to, where a
one-character script argument ends).  The transformer in transform.py then reads
the tree into ``symcheck.latex.ir`` nodes.

Document text is untrusted: nothing here evaluates it, nesting is capped so that
no later recursive walk can overflow, and every failure -- lark's, ours, or an
unexpected bug -- comes back as ``ParseFailure`` with the offending span.
"""
from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Iterator

from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken, VisitError

from symcheck.latex import ir
from symcheck.latex.marks import ReadError
from symcheck.latex.transform import Reader
from symcheck.source import MappedText, Span
from symcheck.segment import ANNOTATED_RELATION

MAX_DEPTH = 100  # nested groups/brackets/environments; far beyond any real note
MAX_TREE_DEPTH = 400  # IR depth after reading (sums nest through their bodies)

# Tokens after which a bar closes an open |...| (they end an operand).
_VALUE_END = {
    "NUMBER", "LETTERS", "GREEK", "TEXT", "TOP", "PRIMECMD", "PARTIAL", "ELLIPSIS",
    "RBRACE", "RPAR", "RBRACK", "RBRACED", "RBAR", "RDBAR", "END_ENV", "PRIME", "SUPCHAR",
}
_OPENERS = {"LBRACE": "}", "LPAR": ")", "LBRACK": "]", "LBRACED": "\\}", "BEGIN_ENV": "end",
            "LBAR": "|", "LDBAR": "||"}
_CLOSERS = {"RBRACE", "RPAR", "RBRACK", "RBRACED", "END_ENV", "RBAR", "RDBAR"}
# How many arguments a command takes (a one-character argument may be glued: \frac12).
_ARGS = {"SUB": 1, "SUP": 1, "FRAC": 2, "BINOM": 2, "STYLE": 1, "ACCENT": 1, "SQRT": 1,
         "UNDERBRACE": 1}


class DepthError(Exception):
    """Raised by the postlexer when nesting exceeds MAX_DEPTH."""

    def __init__(self, token: Token) -> None:
        super().__init__("nesting too deep")
        self.token = token


def _split(tok: Token, n: int) -> tuple[Token, Token]:
    """Split a token after n characters (x_ij: the script takes only the i)."""
    a = Token.new_borrow_pos(tok.type, tok.value[:n], tok)
    a.end_pos = tok.start_pos + n
    a.end_column = (tok.column or 0) + n
    b = Token.new_borrow_pos(tok.type, tok.value[n:], tok)
    b.start_pos = tok.start_pos + n
    b.column = (tok.column or 0) + n
    return a, b


class PostLexer:
    """Token-stream fixes that need a little left context (see module docstring)."""

    always_accept = ("BAR", "DBAR", "LEFT", "RIGHT", "EVALOPEN", "EVALCLOSE")

    def __init__(self) -> None:
        self.evaluation_opens: frozenset[int] = frozenset()  # set per row by _run
        self.evaluation_closes: frozenset[int] = frozenset()

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        return self._process(self._evaluation_bars(stream))

    def _evaluation_bars(self, stream: Iterator[Token]) -> Iterator[Token]:
        """Keep EVALOPEN / EVALCLOSE only where they pair up as an evaluation bar: a stray
        \\left. is a null delimiter (dropped), a stray \\right|_ a \\right and a bar."""
        for tok in stream:
            if tok.type == "EVALOPEN" and tok.start_pos not in self.evaluation_opens:
                continue
            if tok.type == "EVALCLOSE" and tok.start_pos not in self.evaluation_closes:
                bar = tok.value.index("|")
                right, rest = _split(tok, bar)
                yield Token.new_borrow_pos("RIGHT", right.value.rstrip(), right)
                yield Token.new_borrow_pos("BAR", rest.value, rest)
                continue
            yield tok

    def _process(self, stream: Iterator[Token]) -> Iterator[Token]:
        stack: list[str] = []  # open group kinds
        need: list[list[int]] = []  # [remaining args, depth] for pending commands
        prev: str | None = None
        force: str | None = None  # "open"/"close" after \left / \right
        for tok in stream:
            if tok.type in ("LEFT", "RIGHT"):
                force = "open" if tok.type == "LEFT" else "close"
                continue
            if tok.type in ("BAR", "DBAR"):
                kind = "|" if tok.type == "BAR" else "||"
                v = tok.value
                if force == "open" or v in ("\\lvert", "\\lVert"):
                    opening = True
                elif force == "close" or v in ("\\rvert", "\\rVert"):
                    opening = False
                else:
                    opening = not (stack and stack[-1] == ("LBAR" if kind == "|" else "LDBAR")
                                    and prev in _VALUE_END)
                name = ("L" if opening else "R") + ("BAR" if kind == "|" else "DBAR")
                tok = Token.new_borrow_pos(name, tok.value, tok)
            force = None
            pending = [tok]
            while pending:
                t = pending.pop()
                while need and need[-1][1] > len(stack):
                    need.pop()  # stale: the group holding the command closed
                if need and need[-1][1] == len(stack) and t.type not in _CLOSERS:
                    if t.type in ("LETTERS", "NUMBER") and len(t.value) > 1 and t.value[0] != ".":
                        t, rest = _split(t, 1)
                        pending.append(rest)
                    need[-1][0] -= 1
                    if need[-1][0] == 0:
                        need.pop()
                if t.type in _OPENERS:
                    stack.append(t.type)
                    if len(stack) > MAX_DEPTH:
                        raise DepthError(t)
                elif t.type in _CLOSERS and stack:
                    stack.pop()
                if t.type in _ARGS:
                    need.append([_ARGS[t.type], len(stack)])
                prev = t.type
                yield t


_DELIMS = re.compile(r"\\left\s*\.|\\right\s*\|(?=\s*_)|\\(left|right)(?![A-Za-z])")


def _evaluation_bars(text: str) -> tuple[frozenset[int], frozenset[int]]:
    """Offsets of each ``\\left.`` and of the ``\\right|_`` that closes it (\\left and
    \\right nest), the only pairs read as evaluation bars."""
    stack: list[tuple[int, bool]] = []
    found: set[int] = set()
    closes: set[int] = set()
    for m in _DELIMS.finditer(text):
        word = m.group()
        if word.startswith("\\left"):
            stack.append((m.start(), word.rstrip().endswith(".")))
        elif stack:
            at, dot = stack.pop()
            if dot and "|" in word:
                found.add(at)
                closes.add(m.start())
    return frozenset(found), frozenset(closes)


_GRAMMAR = (Path(__file__).with_name("grammar.lark")).read_text(encoding="utf-8")
# The transformer runs inline (at each LALR reduction), so no parse tree is built:
# 3-4x faster than tree + Transformer, and no recursion at all.  Positions are
# propagated by the Reader itself (transform._positioned); propagate_positions
# would only apply to Tree results, of which there are none.  The single Reader is
# bound to one row at a time, hence the lock.
_READER = Reader()
_POSTLEX = PostLexer()
_LARK = Lark(_GRAMMAR, parser="lalr", lexer="contextual", postlex=_POSTLEX,
             transformer=_READER, propagate_positions=False, maybe_placeholders=False,
             cache=True)
_LOCK = threading.Lock()

_TRAILING = re.compile(r"(?<![.\\])[.,;]\s*$")


def _failure(row: MappedText, message: str, i: int, j: int, hint: str = "") -> ir.ParseFailure:
    n = len(row.text)
    i = max(0, min(i, n))
    j = max(i, min(j, n))
    if j == i and i < n:
        j = i + 1
    return ir.ParseFailure(message, row.span(i, j), hint)


def _unclosed(text: str) -> tuple[int, str] | None:
    """Position and kind of the first opener left unclosed (for 'row ends early')."""
    stack: list[tuple[int, str]] = []
    pairs = {"{": "}", "(": ")", "[": "]"}
    k = 0
    while k < len(text):
        c = text[k]
        if c == "\\":
            k += 2
            continue
        if c in pairs:
            stack.append((k, c))
        elif c in pairs.values() and stack and pairs[stack[-1][1]] == c:
            stack.pop()
        k += 1
    return stack[-1] if stack else None


def _describe(tok: Token) -> str:
    if tok.type == "$END":
        return "end of row"
    return f"{tok.value!r}"


_LABEL_T = re.compile(r"\^\{(\s*\([^(){}]*\)\s*)(\\top|\\intercal|\\mathsf\{T\}|\\mathrm\{T\}|T|\\prime)\s*\}")


_QUANTIFIER = re.compile(r"\\(forall|exists)(?![A-Za-z])")


def _drop_quantifier(src: str) -> str:
    """``\\forall v \\in \\mathbb{R}^d`` on its own: the membership it quantifies; ``… \\ge 0
    \\quad \\forall v``: the relation before it (the quantifier and what follows are blanked,
    keeping every offset)."""
    m = _QUANTIFIER.search(src)
    if m is None:
        return src
    if not src[:m.start()].strip():
        return src[:m.start()] + " " * (m.end() - m.start()) + _drop_quantifier(src[m.end():])
    return src[:m.start()] + " " * (len(src) - m.start())


_UNDERSET_ARG = re.compile(r"\\underset\s*\{((?:[^{}]|\{[^{}]*\})*)\}\s*\{\s*(\\arg\s*\\(?:min|max)|\\(?:operatorname\*?|mathrm)"
                           r"\s*\{\s*arg\s*(?:\\[,;:!]\s*)?(?:min|max)\s*\})\s*\}")


def _underset_optimum(src: str) -> str:
    """``\\underset{w}{\\arg\\min}``: the arg min with its variable written below, rewritten
    as ``\\arg\\min_{w}`` padded with spaces to the same length."""
    def fn(m: re.Match) -> str:
        out = m.group(2) + "_{" + m.group(1) + "}"
        return out + " " * (len(m.group(0)) - len(out))
    return _UNDERSET_ARG.sub(fn, src)


def _split_label_transpose(src: str) -> str:
    """``w^{(2)\\top}``: a layer label and a transpose in one superscript, rewritten as
    ``w^{(2)}^T`` padded with spaces, so every offset into the row stays where it was."""
    def fn(m: re.Match) -> str:
        mark = "'" if m.group(2) == "\\prime" else "^T"
        out = "^{" + m.group(1) + "}" + mark
        return out + " " * (len(m.group(0)) - len(out))
    return _LABEL_T.sub(fn, src)


_BRACE_ARRAY = re.compile(r"\\left\s*\\\{\s*\\begin\s*\{array\}\s*\{[lcr| ]*\}")
_ARRAY_DOT = re.compile(r"\\end\s*\{array\}\s*\\right\s*\.")


def _brace_array_as_cases(row: MappedText) -> MappedText:
    """``\\left\\{ \\begin{array}{ll} … \\end{array} \\right.``: a piecewise definition
    written the pre-amsmath way, read as ``cases``."""
    while True:
        m = _BRACE_ARRAY.search(row.text)
        e = _ARRAY_DOT.search(row.text, m.end()) if m else None
        if m is None or e is None:
            return row
        row = row.replace(e.start(), e.end(), "\\end{cases}")
        row = row.replace(m.start(), m.end(), "\\begin{cases}")


_ANNOTATED = re.compile(ANNOTATED_RELATION)
_DEFINED_AS = re.compile(r"\\(?:triangleq|eqqcolon|equiv_{?def}?|doteq)(?![A-Za-z])")
_RIGHT_BAR = re.compile(r"\\right\s*\\(?:rvert|vert|Vert|rVert)")


def _annotations(row: MappedText) -> MappedText:
    """``\\overset{(a)}{=}``, ``\\stackrel{\\text{def}}{=}``: the relation under the note (an
    equality marked "def" defines); ``\\triangleq``: defined as; ``\\right\\rvert_{x=1}``: the
    evaluation bar ``\\right|``."""
    while (m := _ANNOTATED.search(row.text)) is not None:
        note = re.sub(r"\\(?:text|mathrm|mathrm)\s*\{([^{}]*)\}", r"\1", m.group(1)).strip().lower()
        op = ":=" if m.group(2) == "=" and note in ("def", "d", "defn", "definition", "\\triangle") else m.group(2)
        row = row.replace(m.start(), m.end(), op)
    while (m := _DEFINED_AS.search(row.text)) is not None:
        row = row.replace(m.start(), m.end(), ":=")
    while (m := _RIGHT_BAR.search(row.text)) is not None:
        row = row.replace(m.start(), m.end(), "\\right|")
    return row


def _run(row: MappedText) -> object:
    """Parse and read; every failure becomes a ParseFailure."""
    row = _annotations(_brace_array_as_cases(row))
    split = _drop_quantifier(_split_label_transpose(_underset_optimum(row.text)))
    if split != row.text:
        row = MappedText(split, row.offsets)  # same length: every offset stays
    text = row.text
    m = _TRAILING.search(text)
    end = m.start() if m else len(text)
    src = text[:end]
    if not src.strip():
        return _failure(row, "empty row", 0, len(text))
    try:
        with _LOCK:
            _READER.reset(row)
            _POSTLEX.evaluation_opens, _POSTLEX.evaluation_closes = _evaluation_bars(src)
            try:
                result = _LARK.parse(src)
            finally:
                _READER.reset(MappedText.from_original(""))
    except DepthError as e:
        return _failure(row, f"nesting deeper than {MAX_DEPTH} levels", e.token.start_pos,
                        e.token.end_pos, "the row is probably garbled")
    except UnexpectedCharacters as e:
        k = e.pos_in_stream
        cmd = re.match(r"\\[A-Za-z]+", src[k:])
        if cmd:
            return _failure(row, f"unknown command {cmd.group()}", k, k + len(cmd.group()),
                            "define it with \\newcommand or use a standard command")
        return _failure(row, f"unexpected character {src[k]!r}", k, k + 1)
    except (UnexpectedToken, UnexpectedEOF) as e:
        tok = getattr(e, "token", None)
        if tok is None or tok.type == "$END":
            open_ = _unclosed(src)
            if open_ is not None:
                k, c = open_
                return _failure(row, f"row ends before {c!r} is closed", k, k + 1,
                                "a closing brace or bracket is missing")
            return _failure(row, "row ends early", max(0, len(src.rstrip()) - 1), len(src.rstrip()))
        msg = f"unexpected {_describe(tok)}"
        if tok.type in _CLOSERS:
            msg = f"unmatched {tok.value!r}"
        return _failure(row, msg, tok.start_pos, tok.end_pos)
    except VisitError as e:
        inner = e.orig_exc
        if isinstance(inner, ReadError):
            return ir.ParseFailure(inner.message, inner.span, inner.hint)
        return _failure(row, f"internal error while reading: {inner!r}", 0, len(text))
    except ReadError as e:
        return ir.ParseFailure(e.message, e.span, e.hint)
    except RecursionError:
        return _failure(row, "expression nested too deeply", 0, len(text))
    except Exception as e:  # noqa: BLE001 -- the reader must never raise
        return _failure(row, f"internal error while reading: {e!r}", 0, len(text))
    if _too_deep(result):
        return _failure(row, f"expression nested deeper than {MAX_TREE_DEPTH} levels", 0, len(text))
    return result


def _too_deep(node: object) -> bool:
    """Iterative depth check so printers and engines may recurse safely."""
    todo: list[tuple[object, int]] = [(node, 0)]
    while todo:
        n, d = todo.pop()
        if d > MAX_TREE_DEPTH:
            return True
        for v in getattr(n, "__dict__", {}).values():
            if isinstance(v, tuple):
                for x in v:
                    if isinstance(x, tuple):
                        todo.extend((y, d + 1) for y in x if hasattr(y, "span"))
                    elif hasattr(x, "span"):
                        todo.append((x, d + 1))
            elif hasattr(v, "span"):
                todo.append((v, d + 1))
    return False


def parse_row(row: MappedText, lead: ir.Node | None = None) -> ir.Chain | ir.ParseFailure:
    """Read one row (no ``&``, tags or ``\\\\``; macros expanded) into a Chain.

    A row that starts with a relation (``= b + c``, Row.continues) gets ``lead`` as
    its first item, or, without ``lead``, a placeholder ``Text("")`` of zero width;
    a row that ends with a relation (``M =`` before a new display) gets the same
    placeholder as its last item, so that ``len(items) == len(ops) + 1`` always holds.
    """
    result = _run(row)
    if isinstance(result, ir.ParseFailure):
        return result
    assert isinstance(result, ir.Chain)
    if lead is not None and result.items and isinstance(result.items[0], ir.Text) \
            and result.items[0].text == "" and result.ops:
        result = ir.Chain((lead,) + result.items[1:], result.ops, result.span)
    return result


def parse_expr(text: MappedText) -> ir.Node | ir.ParseFailure:
    """Read one expression; a single relation ``a = b`` comes back as a Relation."""
    result = _run(text)
    if isinstance(result, ir.ParseFailure):
        return result
    assert isinstance(result, ir.Chain)
    if not result.ops:
        return result.items[0]
    if len(result.ops) == 1 and not any(isinstance(x, ir.Text) and x.text == "" for x in result.items):
        return result.relations()[0]
    return _failure(text, "expected one expression, found a chain of relations", 0, len(text.text))
