"""Parse tree → IR (symcheck.latex.ir), one callback per grammar rule.

The callbacks stay local: tokens become symbols/marks, scripts attach in
scripts.py, product terms are read in terms.py.  Spans are original-document
spans computed from lark positions through the row's MappedText.  The transformer
is lark's non-recursive one, so deep input cannot overflow the Python stack here.

Sign convention: ``-a`` alone is ``Neg(a)``; as soon as there are two terms the
signs live in ``Add.terms`` (``-a + b`` → Add(((-1, a), (1, b)))).
"""
from __future__ import annotations

import re
from dataclasses import replace

from lark import Token

from symcheck.latex import differentials, ir
from symcheck.latex.marks import (IR_TYPES, MARK_NAMES, Cell, ChainParts, DerivHead, EmptyGroup, FuncHead,
                                  NablaHead, PartialMark, PrimeMark, ReadError, SeqItems, StarMark,
                                  SumHead, TopMark, Word, union)
from symcheck.latex.scripts import Script, accented, apply_scripts, styled
from symcheck.latex.terms import finish_term, read_ratio
from typing import Callable

from symcheck.source import MappedText, Span

__all__ = ["Reader", "ReadError"]

GREEK_UNICODE = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon",
    "ζ": "zeta", "η": "eta", "θ": "theta", "ϑ": "vartheta", "ι": "iota", "κ": "kappa",
    "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi", "π": "pi", "ρ": "rho", "σ": "sigma",
    "ς": "varsigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "ϕ": "phi", "χ": "chi",
    "ψ": "psi", "ω": "omega", "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda",
    "Ξ": "Xi", "Π": "Pi", "Σ": "Sigma", "Υ": "Upsilon", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
    "ℓ": "ell", "∞": "infty",
}
REL_OPS = {
    "=": "=", ":=": ":=", "\\coloneqq": ":=", "\\equiv": "equiv", "≡": "equiv",
    "\\neq": "ne", "\\ne": "ne", "≠": "ne", "\\approx": "approx", "≈": "approx",
    "\\le": "le", "\\leq": "le", "\\leqslant": "le", "≤": "le", "\\ge": "ge", "\\geq": "ge",
    "\\geqslant": "ge", "≥": "ge", "<": "<", ">": ">", "\\propto": "propto", "∝": "propto",
    "\\in": "in", "∈": "in", "\\Rightarrow": "implies", "\\implies": "implies",
    "\\Longrightarrow": "implies", "⇒": "implies", "⟹": "implies", "\\iff": "iff",
    "\\Leftrightarrow": "iff", "\\Longleftrightarrow": "iff", "⇔": "iff", "⟺": "iff",
    "\\to": "to", "\\rightarrow": "to", "\\longrightarrow": "to", "\\mapsto": "to", "→": "to",
}
MUL_OPS = {"\\cdot": "cdot", "·": "cdot", "⋅": "cdot", "\\times": "times", "×": "times",
           "\\odot": "odot", "⊙": "odot", "\\oslash": "oslash", "⊘": "oslash", "\\circ": "odot", "∘": "odot", "\\bullet": "bullet",
           "∙": "bullet", ".": "dot", "/": "/", "*": "ast", "\\ast": "ast", "\\star": "ast"}
# functions of one argument written with \operatorname or a declared operator; read like \tanh
OPERATOR_FUNCTIONS = frozenset({"sech", "csch", "coth", "sec", "csc", "cot", "arcsin", "arccos", "arctan",
                                "arsinh", "arcosh", "artanh", "arcsinh", "arccosh", "arctanh", "erf", "erfc",
                                "sinh", "cosh", "tanh", "sin", "cos", "tan", "exp", "log", "ln"})
ELLIPSIS_KIND = {"\\vdots": "v", "⋮": "v", "\\ddots": "d", "⋱": "d"}
DELIMS = {"LPAR": "(", "LBRACK": "[", "LBRACED": "{", "LBAR": "|", "LDBAR": "||"}
_TEXT_CMD = re.compile(r"^\\([A-Za-z]+\*?)\s*\{([^{}]*)\}$")
_ENV_NAME = re.compile(r"\{([A-Za-z]+)\*?\}")


def _rel_op(tok: Token) -> str:
    v = re.sub(r"\s+", "", tok.value)
    return "ne" if v == "\\not=" else REL_OPS[v]


def _positioned(fn: Callable) -> Callable:
    """Give a callback the row positions (i, j) its children cover, and record the
    result's positions.  This is propagate_positions without building a tree: the
    LALR parser calls these at each reduction, children are tokens or earlier results."""

    def wrapper(self: "Reader", ch: list) -> object:
        i = j = None
        pos = self.pos
        for c in ch:
            if isinstance(c, Token):
                a, b = c.start_pos, c.end_pos
            else:
                pp = pos.get(id(c))
                if pp is None:
                    continue
                a, b = pp
            if i is None:
                i = a
            j = b
        p = (i, j) if i is not None else None
        res = fn(self, p, ch)
        if p is not None:
            pos[id(res)] = p
            self.keep.append(res)  # keep ids unique while the table is in use
        return res

    wrapper.__name__ = fn.__name__
    return wrapper


class _Auto(type):
    """Wrap every public callback with _positioned."""

    def __new__(mcs, name, bases, ns):
        for k, v in list(ns.items()):
            if callable(v) and not k.startswith("_") and k not in ("reset", "tspan", "pspan"):
                ns[k] = _positioned(v)
        return super().__new__(mcs, name, bases, ns)


class Reader(metaclass=_Auto):
    """Inline LALR callbacks named after grammar rules/aliases; see grammar.lark.
    One instance serves the module-level parser; ``reset`` binds it to a row."""

    def __init__(self) -> None:
        self.row = MappedText.from_original("")
        self.pos: dict[int, tuple[int, int]] = {}  # id(result) -> row positions
        self.keep: list = []
        self.numpos: dict[int, tuple[int, int]] = {}  # id(Number) -> its token's positions

    def reset(self, row: MappedText) -> None:
        self.row = row
        self.pos = {}
        self.numpos = {}
        self.keep = []

    # ------------------------------------------------------------ helpers
    def tspan(self, tok: Token) -> Span:
        return self.row.span(tok.start_pos, tok.end_pos)

    def pspan(self, p: tuple[int, int] | None) -> Span:
        return self.row.span(*p) if p is not None else self.row.span(0, 0)

    # ------------------------------------------------------------ leaves
    def number(self, p, ch):
        n = ir.Number(ch[0].value, self.tspan(ch[0]))
        self.numpos[id(n)] = (ch[0].start_pos, ch[0].end_pos)
        return n

    def letters(self, p, ch):
        tok = ch[0]
        v = tok.value
        if len(v) >= 3:
            return [ir.Symbol(v, self.tspan(tok))]
        return [ir.Symbol(c, self.row.span(tok.start_pos + k, tok.start_pos + k + 1))
                for k, c in enumerate(v)]

    def greek(self, p, ch):
        v = ch[0].value
        return ir.Symbol(GREEK_UNICODE.get(v, v.lstrip("\\")), self.tspan(ch[0]))

    def text(self, p, ch):
        m = _TEXT_CMD.match(ch[0].value)
        cmd, content = m.group(1), m.group(2)
        span = self.tspan(ch[0])
        if content.strip() == "d" and cmd in ("mathrm", "textrm", "text", "operatorname", "operatorname*"):
            # an upright d is the differential operator (latex/differentials.py); style "rm"
            # keeps it apart from an italic d, which may be a size
            return ir.Symbol("d", span, style="rm")
        if cmd in ("mathrm", "textrm") and re.fullmatch(r"\s*[A-Za-z]\s*", content):
            return ir.Symbol(content.strip(), span)
        if cmd in ("operatorname", "operatorname*", "mathrm") and content.strip() in OPERATOR_FUNCTIONS:
            # \DeclareMathOperator{\sech}{sech}, \operatorname{arctanh}: read like \tanh
            return FuncHead(ir.Symbol(content.strip(), span), span)
        return Word(content, cmd, span)

    def top(self, p, ch):
        return TopMark(self.tspan(ch[0]))

    def primecmd(self, p, ch):
        return PrimeMark(self.tspan(ch[0]))

    def star(self, p, ch):
        return StarMark(self.tspan(ch[0]))

    def star_group(self, p, ch):
        return StarMark(self.pspan(p))

    def sign_group(self, p, ch):  # w^{+}, x^{-}: a label, as in w^+ for the next iterate
        tok = next(c for c in ch if isinstance(c, Token) and c.value in ("+", "-", "−"))
        return Word(tok.value.replace("−", "-"), "mark", self.pspan(p))

    def partial(self, p, ch):
        return PartialMark(1, self.tspan(ch[0]))

    def nabla(self, p, ch):
        return NablaHead((), self.tspan(ch[0]))

    def sumop(self, p, ch):
        v = ch[0].value
        return SumHead("prod" if v in ("\\prod", "∏") else "sum", self.tspan(ch[0]))

    def func(self, p, ch):
        span = self.tspan(ch[0])
        return FuncHead(ir.Symbol(ch[0].value.lstrip("\\"), span), span)

    def ellipsis(self, p, ch):
        return ir.Ellipsis(ELLIPSIS_KIND.get(ch[0].value, "h"), self.tspan(ch[0]))

    # ------------------------------------------------------------ commands
    def styled(self, p, ch):
        return styled(ch[0].value, ch[1], self.pspan(p))

    def accent(self, p, ch):
        return accented(ch[0].value, ch[1], self.pspan(p))

    def frac(self, p, ch):
        return read_ratio(self._arg(ch[1]), self._arg(ch[2]), self.pspan(p))

    def binom(self, p, ch):
        return ir.Matrix(((self._arg(ch[1]),), (self._arg(ch[2]),)), "binom", self.pspan(p))

    def sqrt(self, p, ch):
        span = self.pspan(p)
        return ir.Apply(ir.Symbol("sqrt", self.tspan(ch[0])), (self._arg(ch[1]),), span)

    def underbrace(self, p, ch):
        return ir.Underbrace(self._arg(ch[1]), None, self.pspan(p))

    def evalat(self, p, ch):
        body, at = [c for c in ch if not isinstance(c, Token)]
        at = self._arg(at)
        if not isinstance(at, ir.Relation) or at.op != "=":
            raise ReadError("an evaluation bar needs a point such as |_{z=0}", self.pspan(p))
        return ir.At(_fin(body), at.lhs, at.rhs, self.pspan(p))

    def _arg(self, x: object) -> object:
        """A command argument as one node (a one-letter argument arrives as [Symbol])."""
        x = _fin(x)
        if isinstance(x, (EmptyGroup, SeqItems)):
            raise ReadError("empty or comma-separated argument", x.span)
        return x

    # ------------------------------------------------------------ groups
    def group(self, p, ch):
        inner = [c for c in ch if not isinstance(c, Token)]
        if not inner:
            return EmptyGroup(self.pspan(p))
        return _item(inner[0])

    def choose(self, p, ch):
        a, b = [_item(c) for c in ch if not isinstance(c, Token)]
        return ir.Matrix(((a,), (b,)), "binom", self.pspan(p))

    def paren(self, p, ch):
        delim = DELIMS[ch[0].type]
        inner = [c for c in ch if not isinstance(c, Token)]
        if not inner:
            items: tuple = ()
        else:
            x = _item(inner[0])
            items = x.items if isinstance(x, SeqItems) else (x,)
        return ir.Paren(tuple(items), delim, self.pspan(p))

    def seq(self, p, ch):
        nodes = [_item(c) for c in ch if not isinstance(c, Token)]
        if len(nodes) == 1:
            return nodes[0]
        return SeqItems(tuple(nodes), self.pspan(p))

    # ------------------------------------------------------------ structure
    def factor(self, p, ch):
        atom, scripts = ch[0], ch[1:]
        pieces = list(atom) if isinstance(atom, list) else [atom]
        if scripts:
            pieces[-1] = apply_scripts(pieces[-1], list(scripts), self.numpos, self.row)
        return pieces

    def sub(self, p, ch):
        return Script("sub", self._script_arg(ch[1]), self.row.text[ch[0].end_pos:p[1]],
                      self.pspan(p))

    def sup(self, p, ch):
        return Script("sup", self._script_arg(ch[1]), self.row.text[ch[0].end_pos:p[1]],
                      self.pspan(p))

    def _script_arg(self, x: object) -> object:
        return _fin(x)

    def prime(self, p, ch):
        return Script("prime", None, ch[0].value, self.tspan(ch[0]), count=len(ch[0].value))

    def supchar(self, p, ch):
        tok = ch[0]
        span = self.tspan(tok)
        if tok.value == "ᵀ":
            return Script("sup", TopMark(span), "T", span)
        return Script("sup", ir.Number({"²": "2", "³": "3"}[tok.value], span), tok.value, span)

    def term(self, p, ch):
        items: list = []
        op: str | None = None
        for c in ch:
            if isinstance(c, Token):
                op = MUL_OPS[c.value]
                continue
            for k, node in enumerate(c if isinstance(c, list) else [c]):
                items.append((None if not items else (op or "juxt") if k == 0 else "juxt", node))
            op = None
        return finish_term(items)

    def expr(self, p, ch):
        terms: list[tuple[int, object]] = []
        sign = 1
        lead = False
        lead_plus = False
        for c in ch:
            if isinstance(c, Token):
                sign = -1 if c.type == "MINUS" else 1
                lead_plus = lead_plus or (not terms and sign > 0)
                lead = lead or not terms
                continue
            if isinstance(c, ir.Text) and c.text == "":
                raise ReadError("empty term", c.span)
            terms.append((sign, _fin(c)))
            sign = 1
        span = self.pspan(p)
        if len(terms) == 1:
            s, t = terms[0]
            if lead_plus:
                return ir.Add(((1, t),), span)  # "+ x": kept, see ir.Add
            return ir.Neg(t, span) if s < 0 else t
        return ir.Add(tuple(terms), span)

    def argopt(self, p, ch):
        tok, scripts, body = ch[0], ch[1:-1], ch[-1]
        var = None
        for sc in scripts:
            if not isinstance(sc, Script) or sc.kind != "sub" or var is not None:
                raise ReadError("an arg min or arg max takes one subscript, the variable", self.pspan(p))
            var = sc.node
        kind = "max" if "max" in tok.value else "min"
        return ir.Optimum(kind, var, _fin(body), self.pspan(p))

    def chain(self, p, ch):
        items: list = []
        ops: list[str] = []
        for c in ch:
            if isinstance(c, Token):
                if not items:
                    items.append(ir.Text("", self.row.span(c.start_pos, c.start_pos)))
                ops.append(_rel_op(c))
            else:
                items.append(_fin(c))
        if len(items) == len(ops):
            end = p[1]
            items.append(ir.Text("", self.row.span(end, end)))
        return ChainParts(tuple(items), tuple(ops), self.pspan(p))

    def start(self, p, ch):
        c = ch[0]
        if not isinstance(c, ChainParts):
            x = _fin(c)
            c = ChainParts((x,), (), x.span)
        items = list(c.items)
        items[0] = _strip_text(items[0], first=True)
        items[-1] = _strip_text(items[-1], first=False)
        chain = differentials.read(ir.Chain(tuple(items), c.ops, c.span))
        _validate(chain)
        return chain

    # ------------------------------------------------------------ environments
    def cell(self, p, ch):
        colon = any(isinstance(c, Token) for c in ch)
        inner = [c for c in ch if not isinstance(c, Token)]
        if p is None:
            return Cell(None, colon, Span(0, 0), "")
        raw = self.row.text[p[0]:p[1]]
        return Cell(_item(inner[0]) if inner else None, colon, self.pspan(p), raw)

    def mrow(self, p, ch):
        return [c for c in ch if isinstance(c, Cell)]

    def env(self, p, ch):
        begin, end = ch[0], ch[-1]
        name = _ENV_NAME.search(begin.value).group(1)
        end_name = _ENV_NAME.search(end.value).group(1)
        span = self.pspan(p)
        if name != end_name:
            raise ReadError(f"\\begin{{{name}}} closed by \\end{{{end_name}}}", self.tspan(end))
        rows = [r for r in ch[1:-1] if isinstance(r, list)]
        rows = [r for r in rows if any(c.node is not None for c in r)]
        if name in ("cases", "dcases"):
            return ir.Cases(tuple(_case_row(r, span) for r in rows), span)
        out = []
        for r in rows:
            for c in r:
                if c.node is None:
                    raise ReadError("empty matrix cell", span)
                if isinstance(c.node, SeqItems):
                    raise ReadError("comma-separated list in a matrix cell", c.span)
            out.append(tuple(c.node for c in r))
        return ir.Matrix(tuple(out), name, span)


def _fin(x: object) -> object:
    """Finish a result that skipped the term rule (single-child rules pass through)."""
    if isinstance(x, list):
        return finish_term([(None if k == 0 else "juxt", n) for k, n in enumerate(x)])
    if isinstance(x, (SumHead, FuncHead, NablaHead, DerivHead, Word)) or \
            (isinstance(x, PartialMark) and x.wrt):
        return finish_term([(None, x)])
    return x


def _item(c: object) -> object:
    """A chain inside brackets: an expression or a single relation."""
    if isinstance(c, SeqItems):
        return c
    if not isinstance(c, ChainParts):
        return _fin(c)
    if not c.ops:
        return c.items[0]
    if len(c.ops) == 1 and not any(isinstance(x, ir.Text) and x.text == "" for x in c.items):
        return ir.Relation(c.items[0], c.ops[0], c.items[1], c.span)
    raise ReadError("several relations (or a dangling one) inside brackets", c.span)


def _case_row(r: list[Cell], span: Span) -> tuple:
    if len(r) > 2 or r[0].node is None:
        raise ReadError("a cases row needs a value and at most one condition", span)
    if len(r) == 1 or r[1].node is None:
        return (r[0].node, None)
    cond = r[1].node
    if isinstance(cond, ir.Relation):
        cond = replace(cond, lhs=_strip_text(cond.lhs, first=True))
    elif isinstance(cond, ir.Text):
        pass
    else:
        cond = ir.Text(r[1].raw.strip().lstrip(":").strip(), r[1].span)
    return (r[0].node, cond)


def _strip_text(node: object, first: bool) -> object:
    """Drop prose glued to the math: \\text{we can write } δ = … keeps δ."""
    if isinstance(node, ir.Mul):
        k = 0 if first else len(node.factors) - 1
        if isinstance(node.factors[k], ir.Text) and node.factors[k].text:
            fs = node.factors[1:] if first else node.factors[:-1]
            ops = node.ops[1:] if first else node.ops[:-1]
            if len(fs) == 1:
                return fs[0]
            return ir.Mul(fs, ops, union(*(f.span for f in fs)))
    if isinstance(node, ir.Add):
        k = 0 if first else len(node.terms) - 1
        s, t = node.terms[k]
        t2 = _strip_text(t, first)
        if t2 is not t:
            terms = list(node.terms)
            terms[k] = (s, t2)
            return ir.Add(tuple(terms), union(*(x.span for _, x in terms)))
    return node


def _validate(node: object) -> None:
    """No reader mark may leak into the IR; iterative so any depth is safe."""
    todo = [node]
    while todo:
        n = todo.pop()
        if not isinstance(n, IR_TYPES):
            msg = MARK_NAMES.get(type(n), f"unexpected {type(n).__name__}")
            raise ReadError(f"{msg} is not allowed here", n.span)
        for v in n.__dict__.values():
            if isinstance(v, tuple):
                for x in v:
                    if isinstance(x, tuple):
                        todo.extend(y for y in x if hasattr(y, "span"))
                    elif hasattr(x, "span"):
                        todo.append(x)
            elif hasattr(v, "span") and not isinstance(v, Span):
                todo.append(v)
