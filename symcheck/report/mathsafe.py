"""Decide whether a formula from a document can be typeset without risk.

The report typesets each relation as the author wrote it, but that LaTeX is
untrusted: it may use private macros, be damaged by OCR, or simply be wrong
(``x^2^3``, an unmatched ``\\right)``, a ``\\begin{bmatrix}`` that never ends).
Under ``-halt-on-error`` any of these would stop the whole PDF.  So a formula is
typeset only if it passes a small whitelist parser that knows exactly which
commands, environments and structures are safe; otherwise the caller shows it
verbatim.  The parser also normalises two harmless idioms TeX accepts only
sometimes: a command with arguments as a script (``x_\\text{in}`` becomes
``x_{\\text{in}}``) and top-level alignment marks (``&=`` becomes ``=``).
"""
from __future__ import annotations

import re

from symcheck.report.texescape import MATH_UNICODE


class Unsafe(Exception):
    """The formula uses something outside the whitelist; the message says what."""


_GREEK = ("alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi "
          "pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega "
          "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega").split()
_SYMBOLS = set(_GREEK) | set((
    "partial nabla ell imath jmath hbar infty prime emptyset cdot cdots ldots dots dotsb dotsc vdots ddots "
    "times div pm mp ast star circ bullet odot otimes oplus cap cup wedge vee setminus "
    "le leq ge geq ne neq approx equiv sim simeq cong propto in notin ni subset subseteq supset supseteq "
    "to rightarrow leftarrow Rightarrow Leftarrow iff implies mapsto leftrightarrow longrightarrow "
    "mid parallel perp top bot forall exists neg lnot colon "
    "sum prod int iint oint max min sup inf lim limsup liminf arg det exp log ln sin cos tan tanh sinh cosh "
    "arcsin arccos arctan sec csc cot dim ker deg gcd Pr "
    "quad qquad displaystyle textstyle limits nolimits langle rangle lVert rVert lvert rvert "
    "lfloor rfloor lceil rceil vert Vert backslash surd intercal triangleq coloneqq"
).split()) - {"coloneqq"}
_ONE_ARG = set((
    "mathbf mathrm mathit mathcal mathbb mathsf mathtt mathfrak boldsymbol operatorname "
    "hat tilde bar vec dot ddot check breve acute grave widehat widetilde overline underline "
    "underbrace overbrace sqrt"
).split())
_TWO_ARGS = {"frac", "dfrac", "tfrac", "binom", "overset", "underset", "stackrel"}
_TEXT_CMDS = {"text", "textrm", "textit", "textbf", "mbox"}
_TEXT_OK = re.compile(r"[A-Za-z0-9 ,.;:()'/\-]*")
_SIZED = {"big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "Biggl", "Biggr"}
_DELIM_CHARS = set("()[]|./")
_DELIM_CMDS = {"{", "}", "|", "langle", "rangle", "lvert", "rvert", "lVert", "rVert", "lfloor", "rfloor",
               "lceil", "rceil", "vert", "Vert", "backslash", "uparrow", "downarrow"}
_DROP = {"label": 1, "tag": 1, "nonumber": 0, "notag": 0}
#: environment -> most ``&`` per row (``array`` takes it from its column spec)
_ENVS = {"matrix": 9, "pmatrix": 9, "bmatrix": 9, "Bmatrix": 9, "vmatrix": 9, "Vmatrix": 9,
         "smallmatrix": 9, "cases": 1, "aligned": 20, "gathered": 0, "array": 0}
_PLAIN = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-*/=()[]<>|,.;:!?@\"")
_CONTROL_SYMBOLS = set(",;:! {}|%#$&_")
MAX_CHARS = 6000
MAX_DEPTH = 40

_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\s+|.", re.S)


def _tokens(src: str) -> list[str]:
    """Characters, ``\\commands`` and single spaces; Unicode symbols become commands."""
    out: list[str] = []
    for ch in src:
        if not ch.isascii():
            if ch not in MATH_UNICODE:
                raise Unsafe(f"character U+{ord(ch):04X}")
            out.extend(_TOKEN.findall(MATH_UNICODE[ch]))
        elif ch.isprintable() or ch.isspace():
            out.append(ch)
    return [" " if t.isspace() else t for t in _TOKEN.findall("".join(out))]


class _Parser:
    """Recursive descent over tokens, copying what it accepts to ``out``."""

    def __init__(self, toks: list[str]) -> None:
        self.t = toks
        self.out: list[str] = []

    def emit(self, tok: str) -> None:
        if self.out and re.match(r"\\[A-Za-z]+$", self.out[-1]) and tok[:1].isalpha():
            self.out.append(" ")
        self.out.append(tok)

    def peek(self, i: int) -> int:
        while i < len(self.t) and self.t[i] == " ":
            i += 1
        return i

    def at(self, i: int) -> str:
        return self.t[i] if i < len(self.t) else ""

    def braced_word(self, i: int) -> tuple[str, int]:
        """``{name}`` at ``i`` as a plain string (environment names, array specs)."""
        i = self.peek(i)
        if self.at(i) != "{":
            raise Unsafe("expected {")
        j = i + 1
        while j < len(self.t) and self.t[j] != "}":
            j += 1
        if j >= len(self.t):
            raise Unsafe("unclosed {")
        return "".join(self.t[i + 1:j]), j + 1

    def argument(self, i: int, depth: int, script: bool = False) -> int:
        """One macro or script argument: a group, a plain character or a symbol."""
        i = self.peek(i)
        tok = self.at(i)
        if tok == "{":
            self.emit("{")
            i = self.seq(i + 1, "}", depth + 1)
            self.emit("}")
            return i + 1
        if tok in _PLAIN or (tok.startswith("\\") and tok[1:] in _SYMBOLS - {"limits", "nolimits", "displaystyle",
                                                                           "textstyle"}):
            self.emit(tok)
            return i + 1
        name = tok[1:]
        if script and (name in _ONE_ARG or name in _TWO_ARGS or name in _TEXT_CMDS):
            self.emit("{")
            i = self.command(i, depth + 1)
            self.emit("}")
            return i
        raise Unsafe(f"argument {tok!r}")

    def delimiter(self, i: int) -> int:
        i = self.peek(i)
        tok = self.at(i)
        if tok in _DELIM_CHARS or (tok.startswith("\\") and tok[1:] in _DELIM_CMDS):
            self.emit(tok)
            return i + 1
        raise Unsafe(f"delimiter {tok!r}")

    def command(self, i: int, depth: int) -> int:
        """A command with arguments at ``i``; returns the index after its arguments."""
        name = self.t[i][1:]
        self.emit(self.t[i])
        i += 1
        if name in _TEXT_CMDS:
            word, i = self.braced_word(i)
            if not _TEXT_OK.fullmatch(word):
                raise Unsafe(f"text {word!r}")
            self.emit("{" + word + "}")
            return i
        if name == "operatorname" and self.at(i) == "*":
            self.emit("*")
            i += 1
        if name == "sqrt" and self.at(self.peek(i)) == "[":
            self.emit("[")
            i = self.seq(self.peek(i) + 1, "]", depth + 1)
            self.emit("]")
            i += 1
        for _ in range(2 if name in _TWO_ARGS else 1):
            i = self.argument(i, depth)
        return i

    def environment(self, i: int, depth: int) -> int:
        name, i = self.braced_word(i + 1)
        if name not in _ENVS:
            raise Unsafe(f"environment {name!r}")
        self.emit("\\begin{" + name + "}")
        limit = _ENVS[name]
        if name == "array":
            spec, i = self.braced_word(i)
            if not re.fullmatch(r"[lcr|]+", spec):
                raise Unsafe(f"array spec {spec!r}")
            self.emit("{" + spec + "}")
            limit = sum(spec.count(c) for c in "lcr") - 1
        i = self.seq(i, "env", depth + 1, limit)
        end, i = self.braced_word(i + 1)
        if end != name:
            raise Unsafe(f"\\begin{{{name}}} ended by \\end{{{end}}}")
        self.emit("\\end{" + name + "}")
        return i

    def seq(self, i: int, closer: str, depth: int, tabs: int = -1) -> int:
        """Tokens up to ``closer`` ("}", "]", "env", "right" or "" for the end)."""
        if depth > MAX_DEPTH:
            raise Unsafe("nested too deeply")
        sup = sub = False
        row_tabs = 0
        while i < len(self.t):
            tok = self.t[i]
            name = tok[1:] if tok.startswith("\\") else ""
            if tok == " ":
                self.emit(" ")
                i += 1
                continue
            if (tok == "}" and closer == "}") or (tok == "]" and closer == "]") \
                    or (name == "end" and closer == "env") or (name == "right" and closer == "right"):
                return i
            if tok in ("}", "#", "$", "%") or name in ("end", "right"):
                raise Unsafe(f"unexpected {tok!r}")
            if tok in ("^", "_"):
                if (sup if tok == "^" else sub):
                    raise Unsafe("double script")
                sup, sub = sup or tok == "^", sub or tok == "_"
                self.emit(tok)
                i = self.argument(i + 1, depth, script=True)
                continue
            if tok == "'":
                if sup:
                    raise Unsafe("prime after a superscript")
                self.emit(tok)
                i += 1
                continue
            sup = sub = False
            if tok == "&" or tok == "\\\\":
                if closer != "env":
                    if closer == "":
                        i += 1  # alignment mark or row end of the author's align: meaningless here
                        continue
                    raise Unsafe(f"{tok!r} outside an environment")
                row_tabs = row_tabs + 1 if tok == "&" else 0
                if row_tabs > tabs:
                    raise Unsafe("too many columns")
                self.emit(tok)
                i += 1
            elif tok == "{":
                self.emit("{")
                i = self.seq(i + 1, "}", depth + 1) + 1
                self.emit("}")
            elif name in _DROP:
                i += 1
                if _DROP[name]:
                    i = self.peek(i)
                    i = self.braced_word(i + (self.at(i) == "*"))[1]
            elif name == "begin":
                i = self.environment(i, depth)
            elif name == "left":
                self.emit(tok)
                i = self.delimiter(i + 1)
                i = self.seq(i, "right", depth + 1)
                self.emit("\\right")
                i = self.delimiter(i + 1)
            elif name == "middle" and closer == "right" or name in _SIZED:
                self.emit(tok)
                i = self.delimiter(i + 1)
            elif name == "not":
                self.emit(tok)
                i = self.argument(i + 1, depth)
            elif name in _ONE_ARG or name in _TWO_ARGS or name in _TEXT_CMDS:
                i = self.command(i, depth)
            elif name in _SYMBOLS or (len(tok) == 2 and tok[1] in _CONTROL_SYMBOLS) or tok in _PLAIN or tok == "~":
                self.emit(tok)
                i += 1
            else:
                raise Unsafe(f"{tok!r} is not on the whitelist")
        if closer:
            raise Unsafe(f"missing closing {closer}")
        return i


def sanitize(src: str) -> str:
    """``src`` normalised for math mode; raises ``Unsafe`` if it cannot be typeset safely."""
    if len(src) > MAX_CHARS:
        raise Unsafe("too long")
    p = _Parser(_tokens(src))
    p.seq(0, "", 0)
    out = "".join(p.out).strip()
    if not out:
        raise Unsafe("empty")
    return out


def try_sanitize(src: str) -> str | None:
    """``sanitize`` or None: for callers that only need to choose math or verbatim."""
    try:
        return sanitize(src)
    except Unsafe:
        return None
