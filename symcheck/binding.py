"""``s_in`` is s_i times n to TeX; the author meant s_{in}.

An unbraced subscript takes one character.  When the one-character reading leaves
a stray word (``s_i n``) and the braced reading (``s_{in}``) is a name the document
uses elsewhere, the braced reading is taken and a warning says so.
"""
from __future__ import annotations

import dataclasses

from symcheck import irutil, names
from symcheck.latex import ir
from symcheck.source import Span


def known_names(chains: list[ir.Chain]) -> set[str]:
    out: set[str] = set()
    for ch in chains:
        for s in irutil.symbols(ch):
            ks = names.key_with_sub(s)
            if ks is not None and s.sub_text and len(s.sub_text) > 1:
                out.add(ks)
    return out


def rebind(chain: ir.Chain, known: set[str]) -> tuple[ir.Chain, list[tuple[str, Span]]]:
    notes: list[tuple[str, Span]] = []

    def fn(n: object) -> object | None:
        if not isinstance(n, ir.Mul):
            return None
        fs, ops = list(n.factors), list(n.ops)
        k = 0
        changed = False
        while k < len(fs) - 1:
            a, b = fs[k], fs[k + 1]
            if isinstance(a, ir.Symbol) and isinstance(b, ir.Symbol) and ops[k] == "juxt" \
                    and a.sub_text is not None and len(a.sub_text) == 1 and a.label is None \
                    and not b.sub and b.label is None and b.base.isalpha() \
                    and a.span.end == b.span.start:
                text = a.sub_text + b.base
                merged = dataclasses.replace(a, sub=(ir.Text(text, a.span.union(b.span)),), sub_text=text,
                                             span=a.span.union(b.span))
                if names.key_with_sub(merged) in known:
                    notes.append((f"{a.base}_{text} reads as {a.base}_{{{a.sub_text}}}{b.base}; "
                                  f"read as {a.base}_{{{text}}}, the name used elsewhere — write the braces",
                                  merged.span))
                    fs[k:k + 2] = [merged]
                    del ops[k]
                    changed = True
                    continue
            k += 1
        if not changed:
            return None
        if len(fs) == 1:
            return fs[0]
        return ir.Mul(tuple(fs), tuple(ops), n.span)

    new = irutil.rebuild(chain, fn)
    return new, notes  # type: ignore[return-value]
