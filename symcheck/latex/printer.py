"""IR → LaTeX, used to typeset fixes.

Deterministic and faithful: ``parse_expr(to_latex(n))`` gives back ``n`` up to
spans for every tree the reader can produce.  Grouping that is not a Paren node is
written with invisible braces ``{…}`` (the reader treats ``{a+b}`` as a plain
group), so the printer never invents a Paren the tree did not have.
"""
from __future__ import annotations

import re

from symcheck.latex import ir

GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta",
    "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "varpi", "rho", "varrho", "sigma",
    "varsigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta",
    "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega", "ell", "infty",
}
FUNCS = {"exp", "log", "ln", "lg", "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos",
         "arctan", "sinh", "cosh", "tanh", "coth", "max", "min", "sup", "inf", "det", "tr", "Tr",
         "arg", "argmax", "argmin", "sgn", "diag", "rank"}
STYLES = {"bold": "\\mathbf", "cal": "\\mathcal", "bb": "\\mathbb", "frak": "\\mathfrak",
          "rm": "\\mathrm"}  # "rm": only the upright d of a differential
ACCENTS = {"hat": "\\hat", "vec": "\\vec", "bar": "\\bar", "tilde": "\\tilde", "dot": "\\dot",
           "ddot": "\\ddot"}
MUL_OPS = {"juxt": " ", "cdot": " \\cdot ", "dot": " . ", "times": " \\times ", "odot": " \\odot ", "oslash": " \\oslash ",
           "ast": " * ", "bullet": " \\bullet "}
REL_OPS = {"=": "=", "approx": "\\approx", "ne": "\\neq", "<": "<", ">": ">", "le": "\\le",
           "ge": "\\ge", ":=": ":=", "equiv": "\\equiv", "propto": "\\propto", "in": "\\in",
           "implies": "\\implies", "iff": "\\iff", "to": "\\to"}
DOTS = {"h": "\\cdots", "v": "\\vdots", "d": "\\ddots"}
OPEN = {"(": "(", "[": "[", "{": "\\{", "|": "\\left|", "||": "\\left\\|"}
CLOSE = {"(": ")", "[": "]", "{": "\\}", "|": "\\right|", "||": "\\right\\|"}

# Nodes that print as one indivisible unit (safe as a factor, base or argument).
_ATOMIC = (ir.Number, ir.Symbol, ir.Paren, ir.Apply, ir.Ellipsis, ir.Matrix, ir.Frac, ir.Cases,
           ir.Text, ir.SetExpr, ir.Underbrace, ir.At)


def _name(base: str) -> str:
    if base in GREEK:
        return "\\" + base
    if re.fullmatch(r"[A-Za-z]|[A-Za-z]{3,}|\d+", base):
        return base
    return f"\\operatorname{{{base}}}"


def _braced(node: object) -> str:
    return "{" + to_latex(node) + "}"


def _sub(items: tuple, ) -> str:
    simple = all((isinstance(x, ir.Symbol) and len(x.base) == 1 and not x.sub and not x.style
                  and not x.accent and x.label is None and not x.prime)
                 or (isinstance(x, ir.Number) and len(x.text) == 1) for x in items)
    if simple:
        return "".join(x.base if isinstance(x, ir.Symbol) else x.text for x in items)
    if len(items) == 1:
        return to_latex(items[0])
    return ",".join(to_latex(x) for x in items)


def sub_latex(items: tuple) -> str:
    """The subscript text the printer writes (also the canonical sub_text of a re-read)."""
    return _sub(items)


def _label(label: str) -> str:
    if re.fullmatch(r"[A-Za-z]{2,}|\(.*\)|\*", label):
        return label
    return f"\\text{{{label}}}"


def _symbol(s: ir.Symbol) -> str:
    out = _name(s.base)
    if s.style:
        out = f"{STYLES.get(s.style, '')}{{{out}}}" if s.style in STYLES else out
    if s.accent:
        acc = ACCENTS.get(s.accent, "\\hat")
        out = acc + "{" + out + "}"
    out += "'" * s.prime
    if s.sub is not None:
        out += "_{" + _sub(s.sub) + "}"
    if s.label is not None:
        out += "^{" + _label(s.label) + "}"
    return out


def _factor(node: object, last: bool) -> str:
    """A factor of a product: heads that absorb the rest must be last or braced."""
    absorbing = isinstance(node, ir.Sum) or (isinstance(node, ir.Deriv) and (
        node.operator_form or node.kind == "nabla" or node.num is None))
    if isinstance(node, (ir.Add, ir.Neg, ir.Mul, ir.Relation)) or \
            (isinstance(node, ir.Frac) and node.slash) or (absorbing and not last):
        return _braced(node)
    return to_latex(node)


def _base(node: object) -> str:
    return to_latex(node) if isinstance(node, _ATOMIC) and not (
        isinstance(node, ir.Symbol) and node.label is not None) and not (
        isinstance(node, (ir.Frac, ir.Apply))) else _braced(node)


def _operand(node: object) -> str:
    """Operand of ∂, d, ∇ or a sum body: braces unless a plain product or atom."""
    if isinstance(node, (ir.Add, ir.Neg, ir.Relation)):
        return _braced(node)
    return to_latex(node)


def _deriv(d: ir.Deriv) -> str:
    if d.kind == "nabla":
        wrt = ",".join(to_latex(v) for v, _ in d.wrt)
        n = max([o for _, o in d.wrt] + [d.order])
        head = "\\nabla" + (f"_{{{wrt}}}" if d.wrt else "") + (f"^{{{n}}}" if n > 1 else "")
        return head if d.num is None else f"{head} {_operand(d.num)}"
    mark = "\\partial" if d.kind == "partial" else "d"
    n = sum(o for _, o in d.wrt)
    top = mark + (f"^{{{n}}}" if n > 1 else "")
    def var(v: object, o: int) -> str:
        plain = isinstance(v, ir.Symbol) and (o == 1 or v.label is None)
        return f"{mark} {to_latex(v) if plain else _base(v)}" + (f"^{{{o}}}" if o > 1 else "")
    bottom = " ".join(var(v, o) for v, o in d.wrt)
    if d.operator_form or d.num is None:
        frac = f"\\frac{{{top}}}{{{bottom}}}"
        return frac if d.num is None else f"{frac} {_operand(d.num)}"
    return f"\\frac{{{top} {_operand(d.num)}}}{{{bottom}}}"


def _sum(s: ir.Sum) -> str:
    op = "\\" + s.op
    if s.index is not None:
        low = to_latex(s.index)
        if s.lower is not None:
            low += "=" + to_latex(s.lower)
        elif s.over is not None:
            low += " \\in " + to_latex(s.over)
        if s.exclude is not None:
            low += (", " + to_latex(s.index) if s.lower is not None else "") + " \\neq " + to_latex(s.exclude)
        op += "_{" + low + "}"
    if s.upper is not None:
        op += "^{" + to_latex(s.upper) + "}"
    return f"{op} {_operand(s.body)}"


def _matrix(m: ir.Matrix) -> str:
    if m.env == "binom" and len(m.rows) == 2 and all(len(r) == 1 for r in m.rows):
        return f"\\binom{{{to_latex(m.rows[0][0])}}}{{{to_latex(m.rows[1][0])}}}"
    cols = max((len(r) for r in m.rows), default=1)
    env = m.env if m.env not in ("binom", "row") else "pmatrix"  # "row": a list (a b c) read as a row vector
    begin = f"\\begin{{{env}}}" + ("{" + "c" * cols + "}" if env == "array" else "")
    body = " \\\\ ".join(" & ".join(to_latex(c) for c in r) for r in m.rows)
    return f"{begin} {body} \\end{{{env}}}"


def to_latex(node: object) -> str:  # noqa: C901 -- one branch per node type
    """Clean LaTeX for any IR node (and Chain)."""
    n = node
    if isinstance(n, ir.Number):
        return n.text
    if isinstance(n, ir.Symbol):
        return _symbol(n)
    if isinstance(n, ir.Add):
        out = []
        for k, (sign, t) in enumerate(n.terms):
            s = _braced(t) if isinstance(t, (ir.Add, ir.Neg, ir.Relation)) else to_latex(t)
            if k == 0:
                lead = "-" if sign < 0 else ("+ " if len(n.terms) == 1 else "")
                out.append(lead + s)
            else:
                out.append(("- " if sign < 0 else "+ ") + s)
        return " ".join(out)
    if isinstance(n, ir.Neg):
        a = n.arg
        return "-" + (_braced(a) if isinstance(a, (ir.Add, ir.Neg, ir.Relation)) else to_latex(a))
    if isinstance(n, ir.Mul):
        parts = [_factor(n.factors[0], len(n.factors) == 1)]
        for k, (op, f) in enumerate(zip(n.ops, n.factors[1:])):
            parts.append(MUL_OPS.get(op, " "))
            parts.append(_factor(f, k == len(n.ops) - 1))
        return "".join(parts)
    if isinstance(n, ir.Frac):
        if n.slash:
            num = to_latex(n.num) if isinstance(n.num, (ir.Mul,) + _ATOMIC) and not \
                isinstance(n.num, ir.Frac) else _braced(n.num)
            return f"{num} / {_base(n.den)}"
        return f"\\frac{{{to_latex(n.num)}}}{{{to_latex(n.den)}}}"
    if isinstance(n, ir.Pow):
        return f"{_base(n.base)}^{{{to_latex(n.exp)}}}"
    if isinstance(n, ir.Transpose):
        return f"{_base(n.arg)}^{{T}}"
    if isinstance(n, ir.Entry):
        if isinstance(n.arg, ir.Paren) and n.arg.delim in ("|", "||"):
            return f"{to_latex(n.arg)}_{{{_sub(n.sub)}}}"  # ‖A‖_F: the bars already group
        return f"\\left({to_latex(n.arg)}\\right)_{{{_sub(n.sub)}}}"
    if isinstance(n, ir.Paren):
        inner = ", ".join(to_latex(x) for x in n.items)
        return f"{OPEN[n.delim]}{inner}{CLOSE[n.delim]}"
    if isinstance(n, ir.Apply):
        f = n.func
        if f.base == "sqrt" and len(n.args) == 1 and not f.sub and not f.prime:
            return f"\\sqrt{{{to_latex(n.args[0])}}}"
        if f.base in FUNCS and not f.style and not f.accent:
            head = "\\" + f.base + "'" * f.prime + (f"_{{{_sub(f.sub)}}}" if f.sub else "")
        elif f.prime or f.label is not None or f.accent or f.style:
            head = _symbol(f)
        else:
            head = f"\\operatorname{{{f.base}}}" + (f"_{{{_sub(f.sub)}}}" if f.sub else "")
        return head + "(" + ", ".join(to_latex(a) for a in n.args) + ")"
    if isinstance(n, ir.Ellipsis):
        return DOTS.get(n.kind, "\\cdots")
    if isinstance(n, ir.Matrix):
        return _matrix(n)
    if isinstance(n, ir.Sum):
        return _sum(n)
    if isinstance(n, ir.Deriv):
        return _deriv(n)
    if isinstance(n, ir.Differential):
        # \mathrm{d} binds the next factor with its scripts; anything larger is braced
        return "\\mathrm{d}" + _base(n.arg)
    if isinstance(n, ir.Cases):
        rows = []
        for v, c in n.rows:
            rows.append(to_latex(v) + ("" if c is None else " & " + to_latex(c)))
        return "\\begin{cases} " + " \\\\ ".join(rows) + " \\end{cases}"
    if isinstance(n, ir.Text):
        return f"\\text{{{n.text}}}"
    if isinstance(n, ir.SetExpr):
        out = f"\\mathbb{{{n.field}}}"
        if n.dims:
            out += "^{" + " \\times ".join(to_latex(d) for d in n.dims) + "}"
        return out
    if isinstance(n, ir.Underbrace):
        out = f"\\underbrace{{{to_latex(n.body)}}}"
        return out + (f"_{{{to_latex(n.note)}}}" if n.note is not None else "")
    if isinstance(n, ir.At):
        return f"\\left. {to_latex(n.body)} \\right|_{{{to_latex(n.var)} = {to_latex(n.value)}}}"
    if isinstance(n, ir.Optimum):
        var = f"_{{{to_latex(n.var)}}}" if n.var is not None else ""
        return f"\\arg\\{n.kind}{var} {to_latex(n.body)}"
    if isinstance(n, ir.Relation):
        return f"{to_latex(n.lhs)} {REL_OPS.get(n.op, n.op)} {to_latex(n.rhs)}"
    if isinstance(n, ir.Chain):
        def item(x: object) -> str:  # the zero-width placeholder of a dangling relation
            return "" if isinstance(x, ir.Text) and x.text == "" else to_latex(x)
        out = [item(n.items[0])]
        for op, x in zip(n.ops, n.items[1:]):
            out += [REL_OPS.get(op, op), item(x)]
        return " ".join(o for o in out if o)
    raise TypeError(f"not an IR node: {type(n).__name__}")
