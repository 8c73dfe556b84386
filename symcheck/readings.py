"""Notations whose meaning depends on the rest of the document.

* ``\\delta W`` (or ``\\nabla_W``-free gradient shorthand) next to a document whose
  cost is differentiated elsewhere means ∂cost/∂W — not δ times W.
* In text damaged by OCR, ``A,W`` between two matrices is a lost ``.`` product.
Each re-reading is reported (SC304) so the author sees how the text was taken.
"""
from __future__ import annotations

import dataclasses

from symcheck import irutil, names
from symcheck.latex import ir
from symcheck.source import Span


def _row_vector(node: object) -> bool:
    """``(a_0 a_1 1)``: entries side by side with a bare number after the first.
    Nobody multiplies by a trailing 1; notes write row vectors this way."""
    if not isinstance(node, ir.Mul) or len(node.factors) < 2 or any(op != "juxt" for op in node.ops):
        return False
    atoms = all(isinstance(f, (ir.Symbol, ir.Number)) for f in node.factors)
    return atoms and any(isinstance(f, ir.Number) for f in node.factors[1:])


def document_cost(chains: list[ir.Chain]) -> str | None:
    """The one defined scalar the document differentiates, if there is exactly one."""
    defined = set()
    for ch in chains:
        if ch.ops and ch.ops[0] == "=" and isinstance(ch.items[0], ir.Symbol) and not ch.items[0].sub:
            defined.add(names.key(ch.items[0]))
    differentiated = set()
    for ch in chains:
        for n in irutil.walk(ch):
            if isinstance(n, ir.Deriv) and n.num is not None:
                num = n.num
                while isinstance(num, ir.Paren) and len(num.items) == 1:
                    num = num.items[0]
                if isinstance(num, ir.Symbol) and not num.sub:
                    differentiated.add(names.key(num))
    costs = sorted(defined & differentiated)
    return costs[0] if len(costs) == 1 else None


def single_capitals(chains: list[ir.Chain]) -> tuple[frozenset[str], frozenset[str]]:
    """Capital letters written on their own, and names defined by a relation."""
    singles, defined = set(), set()
    words: dict[str, set[str]] = {}  # capital words by their sorted letters: ABC, CAB, ACB
    for ch in chains:
        if ch.ops and isinstance(ch.items[0], ir.Symbol):
            defined.add(ch.items[0].base)
        for s in irutil.symbols(ch):
            if len(s.base) == 1 and s.base.isupper():
                singles.add(s.base)
            elif 2 <= len(s.base) <= 4 and s.base.isalpha() and s.base.isupper() and len(set(s.base)) == len(s.base):
                words.setdefault("".join(sorted(s.base)), set()).add(s.base)
    for letters, spelled in sorted(words.items()):
        # tr(ABC) = tr(CAB): the same letters in several orders are products of matrices,
        # even when one of them (C) is never written on its own
        if len(spelled) >= 2 and any(c in singles for c in letters):
            singles.update(letters)
    return frozenset(singles), frozenset(defined)


def gate_letters(chains: list[ir.Chain]) -> frozenset[str]:
    """Letters that name quantities of their own and so label the weights that feed them:
    with z_t = σ(w_z x_t + u_z h_{t-1}) defined, the z of w_z says which gate w belongs to;
    it is no index.  A letter that is ever an index (a sum's, or the subscript of a name
    being defined) is not one."""
    named, indices = set(), set()
    for ch in chains:
        lhs = ch.items[0] if ch.ops and ch.ops[0] == "=" else None
        if isinstance(lhs, ir.Symbol) and lhs.sub and len(lhs.base) == 1 and lhs.base.islower() \
                and not lhs.accent and all(isinstance(it, ir.Symbol) and len(it.base) == 1 and it.base.islower()
                                           for it in lhs.sub):
            named.add(lhs.base)  # z_t, r_t: a quantity indexed by a letter (not ŵ_λ, a label)
        if isinstance(lhs, ir.Symbol) and lhs.sub:
            indices |= {s.base for it in lhs.sub for s in irutil.symbols(it)}
        for n in irutil.walk(ch):
            if isinstance(n, ir.Sum) and n.index is not None:
                indices.add(n.index.base)
    return frozenset(named - indices)


def relabel_subscripts(chain: ir.Chain, letters: frozenset[str]) -> ir.Chain:
    """w_z → w with the label z (see ``gate_letters``)."""
    if not letters:
        return chain

    def fn(n: object) -> object | None:
        if isinstance(n, ir.Symbol) and len(n.base) == 1 and n.sub and len(n.sub) == 1 \
                and isinstance(n.sub[0], ir.Symbol) \
                and n.sub[0].base in letters and not n.sub[0].sub and n.sub[0].style != "label":
            return dataclasses.replace(n, sub=(dataclasses.replace(n.sub[0], style="label"),))
        return None
    return irutil.rebuild(chain, fn)  # type: ignore[return-value]


def matrix_names(chains: list[ir.Chain]) -> set[str]:
    out = set()
    for ch in chains:
        if ch.ops and isinstance(ch.items[0], ir.Symbol) and isinstance(ch.items[1], ir.Matrix):
            out.add(names.key(ch.items[0]))
    return out


def reread(chain: ir.Chain, cost: str | None, matrices: set[str], damaged: bool,
           singles: frozenset[str] = frozenset(), defined: frozenset[str] = frozenset()
           ) -> tuple[ir.Chain, list[tuple[str, Span]]]:
    notes: list[tuple[str, Span]] = []

    def fn(n: object) -> object | None:
        if isinstance(n, ir.Symbol) and len(n.base) >= 2 and n.base.isalpha() and n.base.isupper() \
                and n.sub is None and n.label is None and not n.style and n.base not in defined \
                and all(c in singles for c in n.base):
            # "ABC" is the product A B C when each letter is a matrix of the document
            parts = tuple(ir.Symbol(c, n.span) for c in n.base)
            notes.append((f"read {n.base} as the product {' '.join(n.base)}", n.span))
            return ir.Mul(parts, ("juxt",) * (len(parts) - 1), n.span)
        if isinstance(n, ir.Paren) and n.delim == "(" and len(n.items) == 1 and _row_vector(n.items[0]):
            items = n.items[0].factors  # type: ignore[attr-defined]
            notes.append(("read the parenthesised list of entries as a row vector", n.span))
            return ir.Matrix((tuple(items),), "row", n.span)
        if isinstance(n, ir.Mul) and cost is not None:
            fs, ops = list(n.factors), list(n.ops)
            for k in range(len(fs) - 1):
                a, b = fs[k], fs[k + 1]
                if isinstance(a, ir.Symbol) and a.base == "delta" and not a.sub and a.label is None \
                        and ops[k] == "juxt" and isinstance(b, ir.Symbol) and names.key(b) in matrices:
                    span = a.span.union(b.span)
                    d = ir.Deriv("partial", ir.Symbol(cost, a.span), ((b, 1),), span)
                    notes.append((f"read \\delta {names.display(names.key(b))} as the gradient "
                                  f"\\partial {names.display(cost)}/\\partial {names.display(names.key(b))}", span))
                    fs[k:k + 2] = [d]
                    del ops[k]
                    return fs[0] if len(fs) == 1 else ir.Mul(tuple(fs), tuple(ops), n.span)
        if isinstance(n, ir.Mul) and not damaged:
            # after an explicit product sign, "(Y - A,W)" cannot be a pair: read the comma too
            for k in range(1, len(n.factors)):
                f = n.factors[k]
                if n.ops[k - 1] in ("dot", "cdot") and isinstance(f, ir.Paren) and len(f.items) == 2:
                    new = _comma_product(f)
                    if new is not None:
                        fs = list(n.factors)
                        fs[k] = new
                        return ir.Mul(tuple(fs), n.ops, n.span)
        if damaged and isinstance(n, ir.Paren) and len(n.items) == 2 and n.delim == "(":
            return _comma_product(n)
        return None

    def _comma_product(n: ir.Paren) -> object | None:
        if n.delim == "(":
            left, right = n.items
            if isinstance(right, ir.Symbol) and names.key(right) in matrices:
                last = left
                if isinstance(left, ir.Add):
                    sg, last = left.terms[-1]
                if isinstance(last, ir.Symbol) and names.key(last) in matrices \
                        and last.span.end + 1 == right.span.start:
                    prod = ir.Mul((last, right), ("dot",), last.span.union(right.span))
                    if isinstance(left, ir.Add):
                        inner: object = ir.Add(left.terms[:-1] + ((sg, prod),), left.span.union(right.span))
                    else:
                        inner = prod
                    notes.append(("read the comma between two matrices as a product (a `.` misread as `,`)"
                                  , Span(last.span.end, right.span.start)))
                    return dataclasses.replace(n, items=(inner,))
        return None

    new = irutil.rebuild(chain, fn)
    return new, notes  # type: ignore[return-value]
