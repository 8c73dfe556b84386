"""Escaping of untrusted text for the LaTeX report.

Everything a report prints comes from a document we did not write (messages quote
the author's LaTeX, paths can hold ``_`` or ``#``), and a single stray ``%`` or
``σ`` would stop pdflatex.  The report uses only the default OT1 fonts of
texlive-latex-base (no fontenc, no Unicode fonts), so every non-ASCII character is
mapped here to a command those fonts can draw, or shown as its code point.
"""
from __future__ import annotations

import unicodedata

#: Plain-text specials.  ``<``, ``>`` and ``|`` are included because OT1 text fonts
#: put other glyphs (¡, ¿, —) in those slots.
_TEXT_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "_": r"\_",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "$": r"\$",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    '"': "''",
}

_GREEK = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi "
    "omicron pi rho varsigma sigma tau upsilon phi chi psi omega"
).split()

#: Unicode symbols that occur in messages and in author LaTeX -> math-mode commands.
MATH_UNICODE: dict[str, str] = {
    **{chr(0x3B1 + i): "\\" + name for i, name in enumerate(_GREEK) if name != "omicron"},
    **{chr(0x391 + i): "\\" + name.capitalize() for i, name in enumerate(_GREEK)
       if name.capitalize() in ("Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon",
                                "Phi", "Psi", "Omega")},
    "ε": r"\varepsilon", "ϕ": r"\phi", "ℓ": r"\ell", "∂": r"\partial", "∇": r"\nabla",
    "×": r"\times", "·": r"\cdot", "⋅": r"\cdot", "−": "-", "±": r"\pm", "∓": r"\mp",
    "≤": r"\le", "≥": r"\ge", "≠": r"\ne", "≈": r"\approx", "≡": r"\equiv", "∼": r"\sim",
    "∈": r"\in", "∉": r"\notin", "⊂": r"\subset", "⊆": r"\subseteq", "∞": r"\infty",
    "→": r"\to", "←": r"\leftarrow", "⇒": r"\Rightarrow", "↦": r"\mapsto",
    "∑": r"\sum", "∏": r"\prod", "∫": r"\int", "√": r"\surd", "∘": r"\circ", "⊙": r"\odot",
    "⊗": r"\otimes", "⊕": r"\oplus", "ᵀ": r"^{T}", "′": "'", "″": "''",
    "²": "^{2}", "³": "^{3}", "¹": "^{1}", "⁰": "^{0}", "₀": "_{0}", "₁": "_{1}", "₂": "_{2}",
    "…": r"\ldots", "⋯": r"\cdots", "⋮": r"\vdots", "⋱": r"\ddots", "ℝ": r"\mathbb{R}",
}

#: Text-mode punctuation the OT1 fonts have under another name.
_TEXT_UNICODE = {
    "—": "---", "–": "--", "‘": "`", "’": "'", "“": "``", "”": "''", "…": r"\ldots{}",
    "\u00a0": "~", "•": r"\textbullet{}", "°": r"\ensuremath{^\circ}",
}

_ACCENTS = {"\u0301": "'", "\u0300": "`", "\u0302": "^", "\u0308": '"', "\u0303": "~", "\u0327": "c"}


def _unicode_text(ch: str) -> str:
    """One non-ASCII character in text mode: a command, an accent, or ``[U+XXXX]``."""
    if ch in _TEXT_UNICODE:
        return _TEXT_UNICODE[ch]
    if ch in MATH_UNICODE:
        return r"\ensuremath{" + MATH_UNICODE[ch] + "}"
    nfd = unicodedata.normalize("NFD", ch)
    if len(nfd) == 2 and nfd[0].isascii() and nfd[0].isalpha() and nfd[1] in _ACCENTS:
        return "\\" + _ACCENTS[nfd[1]] + "{" + nfd[0] + "}"
    return f"[U+{ord(ch):04X}]"


def escape_text(s: str) -> str:
    """``s`` as LaTeX text that prints exactly these characters (control chars dropped).

    Whitespace runs collapse to one space: messages may hold newlines from an
    ``align`` row, and a blank line inside a table cell would end the paragraph.
    """
    out: list[str] = []
    for ch in " ".join(s.split()):
        if ch in _TEXT_SPECIALS:
            out.append(_TEXT_SPECIALS[ch])
        elif ch.isascii():
            out.append(ch if ch.isprintable() else "")
        else:
            out.append(_unicode_text(ch))
    return "".join(out)


#: After these characters a long verbatim formula may break to the next line.
_BREAK_AFTER = set(" ,;+-=&})")


def verbatim(s: str, limit: int = 2000) -> str:
    """``s`` character for character in typewriter type, safe whatever it contains.

    Every ASCII character that TeX treats specially is written as ``\\char<code>``:
    unlike ``\\detokenize`` this needs no balanced braces and survives ``%`` and
    ``#``, so a damaged formula from the document can never break the build.
    Over ``limit`` characters the middle is elided: a report is not an archive.
    """
    s = " ".join(s.split())
    if len(s) > limit:
        s = s[: limit // 2] + " [...] " + s[-limit // 2:]
    out: list[str] = []
    for ch in s:
        if ch.isascii() and (ch.isalnum() or ch in " .,;:()[]+-*/=!?'@"):
            out.append(ch)
        elif ch.isascii() and ch.isprintable():
            out.append(f"{{\\char{ord(ch)}}}")
        elif ch.isascii():
            continue
        else:
            out.append(_unicode_text(ch))
        if ch in _BREAK_AFTER or ch == "\\":
            out.append(r"\allowbreak{}")
    return r"\texttt{" + "".join(out) + "}"
