"""The LaTeX report for one checked document: a pure function of its ``FileResult``.

``render(result)`` uses nothing but the result (diagnostics plus the original
text it carries): no clock, no environment, no file system.  That is what lets
``reports/`` be regenerated from cached results and compared byte for byte.

Layout, chosen so that what needs action is on the first page: a summary table,
then the findings (internal errors, refuted relations, undecided ones, warnings),
then every relation in source order, then the reader's notes.  Every string from
the document goes through ``texescape`` or ``typeset``, and only packages from
texlive-latex-base/recommended are used, so any document yields a buildable file.
"""
from __future__ import annotations

from symcheck.diagnostics import Diagnostic
from symcheck.proofs import parse_step_label
from symcheck.output import ordered_counts, region_of, rule_for, sorted_diagnostics
from symcheck.report.corrected import split_relation
from symcheck.report.figures import figure_name, wants_descent_figure
from symcheck.report.texescape import escape_text, verbatim
from symcheck.report.typeset import Typesetter, relation_operator
from symcheck.results import FileResult, verdict_of
from symcheck.source import LineIndex

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[margin=2cm]{geometry}
\usepackage{amsmath,amssymb}
\usepackage{graphicx}
\usepackage[table]{xcolor}
\usepackage{array}
\setlength{\parindent}{0pt}
\setlength{\parskip}{3pt}
\emergencystretch=3em
\definecolor{refuted}{rgb}{0.75,0.05,0.05}
\definecolor{undecided}{rgb}{0.80,0.45,0.00}
\definecolor{warning}{rgb}{0.60,0.40,0.00}
\definecolor{proved}{rgb}{0.05,0.50,0.10}
\definecolor{verified}{rgb}{0.05,0.40,0.40}
\definecolor{definition}{rgb}{0.35,0.35,0.35}
\definecolor{note}{rgb}{0.35,0.35,0.35}
\definecolor{internal}{rgb}{0.75,0.05,0.05}
\newcommand{\fitmath}[1]{\resizebox{\ifdim\width>\linewidth\linewidth\else\width\fi}{!}{$\displaystyle #1$}}
\newcommand{\verbatimformula}[1]{{\raggedright\small #1\par}}
\newcommand{\verdict}[2]{\textcolor{#1}{\textbf{#2}}}
\newcommand{\fixbox}[2]{\colorbox{#1}{\parbox{\dimexpr\linewidth-2\fboxsep\relax}{#2}}}
"""

#: Codes of the reference-implementation verdicts (``symcheck.implementations``).
IMPLEMENTATION_CODES = ("SC106", "SC107", "SC205")

_GROUPS = (
    ("internal", "Internal errors"),
    ("refuted", "Refuted relations"),
    ("undecided", "Undecided relations"),
    ("warning", "Warnings"),
)


def kind_of(d: Diagnostic) -> str:
    """The report group of a diagnostic: a verdict, or "internal", "warning", "note"."""
    if d.code == "SC900":
        return "internal"
    v = verdict_of(d.code)
    if v:
        return v
    return "note" if rule_for(d.code).level == "note" else "warning"


class _Renderer:
    def __init__(self, result: FileResult) -> None:
        self.r = result
        self.index = LineIndex(result.text)
        self.ts = Typesetter(result.text)

    def where(self, d: Diagnostic) -> str:
        reg = region_of(self.index, d.span)
        return f"Line {reg.line}, column {reg.column}"

    def operator(self, d: Diagnostic) -> str:
        return relation_operator(self.r.text[d.span.start:d.span.end], d.lhs, d.rhs)

    def stated(self, d: Diagnostic) -> str:
        """The relation as written; ``lhs op rhs`` from the diagnostic's sides."""
        return f"{d.lhs} {self.operator(d)} {d.rhs}"

    def entry(self, d: Diagnostic, finding: int | None) -> list[str]:
        """Everything about one diagnostic, in reading order."""
        kind = kind_of(d)
        rule = rule_for(d.code)
        op = self.operator(d)
        label = f" \\quad (tag {escape_text(d.label)})" if d.label else ""
        ref = f"F{finding}: " if finding else ""
        out = [r"\par\medskip\goodbreak",
               f"\\textbf{{{ref}{self.where(d)}}} \\quad \\verdict{{{kind}}}{{{escape_text(kind)}}} "
               f"({escape_text(d.code)} {escape_text(rule.name)}){label}\\par",
               escape_text(d.message) + r"\par"]
        if d.lhs or d.rhs:
            out.append(self.ts.display(self.stated(d)) + r"\par")
        out += self.how(d)
        for fix in d.fixes:
            fixed = fix.latex if split_relation(fix.latex) else f"{d.lhs} {op} {fix.latex}"
            desc = f" ({escape_text(fix.description)})" if fix.description else ""
            out += [r"\smallskip",
                    r"\begin{tabular}{@{}p{0.485\linewidth}@{\hspace{0.03\linewidth}}p{0.485\linewidth}@{}}",
                    r"\textit{As stated:} & \textit{Proved fix}" + desc + r":\\",
                    r"\fixbox{red!8}{" + self.ts.display(self.stated(d)) + "} & "
                    r"\fixbox{green!20}{" + self.ts.display(fixed) + r"}\\",
                    r"\end{tabular}\par"]
        return [line for line in out if line]

    def summary(self) -> list[str]:
        counts = self.r.counts()
        kinds = [kind_of(d) for d in self.r.diagnostics]
        rows = [(k, v) for k, v in ordered_counts(counts)]
        rows += [("warning", kinds.count("warning")), ("note", kinds.count("note"))]
        if kinds.count("internal"):
            rows.insert(0, ("internal", kinds.count("internal")))
        out = [r"\begin{tabular}{lr}", r"\textbf{Verdict} & \textbf{Count}\\ \hline"]
        out += [f"\\verdict{{{k if k in _COLOURS else 'note'}}}{{{escape_text(k)}}} & {v}\\\\" for k, v in rows]
        out += [r"\hline", f"relations & {sum(counts.values())}\\\\", r"\end{tabular}", ""]
        return out

    def how(self, d: Diagnostic) -> list[str]:
        """Evidence and counterexample lines of ``d``."""
        out = []
        if d.evidence:
            out.append(r"\textit{Decided by:} " + "; ".join(escape_text(e) for e in d.evidence) + r"\par")
        if d.counterexample:
            parts = [self.ts.inline(f"{k} = {v}") for k, v in d.counterexample]
            head = r"\textit{At:} " if d.code in ("SC001", "SC002") else r"\textit{Counterexample:} "
            out.append(head + "; \\quad ".join(parts) + r"\par")
        return out

    def proof_section(self, diags: list[Diagnostic]) -> list[str]:
        """The structured proof step by step, in the proof's order: each step's kind, what it
        cites, its statement, its verdict and how it was decided."""
        steps = sorted(((parse_step_label(d.label), d) for d in diags
                        if parse_step_label(d.label) and d.message.startswith("proof step ")), key=lambda t: t[0])
        if not steps:
            return []
        out = [r"\section*{Structured proof, step by step}",
               "Each step is decided from the statements it cites, and only from those; hypotheses are "
               "assumed.  A step that needs a hypothesis it does not cite is not proved, which is how a "
               "missing hypothesis shows up."]
        for (number, step_kind, name), d in steps:
            kind = kind_of(d)
            message = d.message.split(": ", 1)[1] if ": " in d.message else d.message
            out += [r"\par\medskip\goodbreak",
                    f"\\textbf{{Step {number}}} \\quad {escape_text(step_kind)} \\texttt{{{escape_text(name)}}} "
                    f"\\quad \\verdict{{{kind}}}{{{escape_text(kind)}}} ({escape_text(d.code)})\\par"]
            if d.lhs:
                out.append(self.ts.display(d.lhs) + r"\par")
            out.append(escape_text(message) + r"\par")
            if step_kind == "counterexample" and d.evidence:
                # the witness: exact values, typeset as math where they are safe to
                out += [r"\textit{Witness and what it shows:}", r"\begin{itemize}"]
                out += [r"\item " + self.ts.inline(e) for e in d.evidence]
                out.append(r"\end{itemize}")
            else:
                out += self.how(d)
            if name == "gradient-descent" and wants_descent_figure(self.r):
                out += self.descent_figure()
        return out

    def descent_figure(self) -> list[str]:
        from symcheck.report.build import stem_of

        name = figure_name(stem_of(self.r.path))
        return [r"\par\smallskip",
                f"\\IfFileExists{{{name}}}{{\\includegraphics[width=\\linewidth]{{{name}}}\\par",
                r"\textit{Left: the loss $C$ of gradient descent per iteration from each start, against the "
                r"least-squares optimum (dashed), log scale.  Right: the excess over the optimum.}\par}",
                r"{\textit{(The gradient-descent figure is not available: matplotlib was not installed when "
                r"the report was written.)}\par}"]

    def document_formula(self, quantity: str) -> str:
        """The document's own relation for ``quantity`` (its left side as declared), or ''."""
        want = "".join(quantity.split())
        for d in sorted_diagnostics(self.r):
            if verdict_of(d.code) and d.code not in IMPLEMENTATION_CODES and not d.message.startswith("proof step") \
                    and "".join(d.lhs.split()) == want and d.rhs:
                return self.stated(d)
        return ""

    def implementation_section(self, diags: list[Diagnostic]) -> list[str]:
        """Each function of a reference implementation beside the document's formula for it."""
        found = [d for d in diags if d.code in IMPLEMENTATION_CODES]
        if not found:
            return []
        out = [r"\section*{Reference implementation}",
               "Each function is typeset from its source by latexify-py, beside the document's formula for the "
               "quantity it computes.  symcheck ran the implementation in a separate process and compared it "
               "with that quantity, rebuilt by the engine from the document's definitions, at random points."]
        for d in found:
            kind = kind_of(d)
            title = d.label or "implementation"
            out += [r"\par\medskip\goodbreak",
                    f"\\textbf{{{escape_text(title)}}} \\quad \\verdict{{{kind}}}{{{escape_text(kind)}}} "
                    f"({escape_text(d.code)} {escape_text(rule_for(d.code).name)})\\par"]
            if d.lhs:
                doc = self.document_formula(d.lhs) or d.lhs
                impl = self.ts.display(d.rhs) if d.rhs else r"\textit{not typeset (see below)}"
                out += [r"\smallskip",
                        r"\begin{tabular}{@{}p{0.485\linewidth}@{\hspace{0.03\linewidth}}p{0.485\linewidth}@{}}",
                        r"\textit{Document:} & \textit{Implementation (latexify):}\\",
                        self.ts.display(doc) + " & " + impl + r"\\",
                        r"\end{tabular}\par"]
            out.append(escape_text(d.message) + r"\par")
            out += self.how(d)
        return out

    def render(self) -> str:
        r = self.r
        out = [PREAMBLE, r"\begin{document}", r"\begin{center}",
               r"{\Large symcheck report}\\[4pt]", verbatim(r.path), r"\end{center}", ""]
        if r.error:
            out += [r"\section*{The document could not be read}", escape_text(r.error), "", r"\end{document}", ""]
            return "\n".join(out)
        diags = sorted_diagnostics(r)
        out += [r"\section*{Summary}"] + self.summary()
        numbers: dict[int, int] = {}
        out.append(r"\section*{Findings}")
        for kind, title in _GROUPS:
            group = [d for d in diags if kind_of(d) == kind]
            if not group:
                continue
            out.append(f"\\subsection*{{{title} ({len(group)})}}")
            for d in group:
                numbers[id(d)] = len(numbers) + 1
                out += self.entry(d, numbers[id(d)])
        if not numbers:
            out.append(r"Nothing refuted, nothing undecided, no warnings.")
        out.append(r"\section*{Every relation in source order}")
        relations = [d for d in diags if verdict_of(d.code)]
        for d in relations:
            out += self.entry(d, numbers.get(id(d)))
        if not relations:
            out.append("The document states no relation symcheck could find.")
        out += self.proof_section(diags)
        out += self.implementation_section(diags)
        notes = [d for d in diags if kind_of(d) == "note"]
        if notes:
            out += [r"\section*{Reader notes}", r"\begin{itemize}"]
            out += [f"\\item {self.where(d)} ({escape_text(d.code)}): {escape_text(d.message)}" for d in notes]
            out.append(r"\end{itemize}")
        out += ["", r"\end{document}", ""]
        return "\n".join(out)


_COLOURS = {"refuted", "undecided", "warning", "proved", "verified", "definition", "note", "internal"}


def render(result: FileResult) -> str:
    """The standalone LaTeX report for ``result``; same result, same bytes."""
    return _Renderer(result).render()
