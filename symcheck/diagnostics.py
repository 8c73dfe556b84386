"""Diagnostics: one frozen dataclass, one registry of stable codes.

Every output format (text, JSON, SARIF, LaTeX report) is a rendering of a list of
``Diagnostic``.  Codes never change meaning once released; add new ones instead.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from symcheck.source import Span


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    level: str  # SARIF level: "error", "warning", "note"
    doc: str


_RULES = [
    # verdicts
    Rule("SC000", "definition", "note", "The relation defines a quantity (or states a condition or hypothesis); not decided, but its shapes were checked."),
    Rule("SC001", "proved", "note", "The relation was proved symbolically."),
    Rule("SC002", "verified", "note", "The relation held at every random point tried (exact rational arithmetic, or 50- and 90-digit arithmetic where exp/log appear); evidence, not a proof."),
    Rule("SC100", "refuted", "error", "The relation is false: the sides differ at a counterexample."),
    Rule("SC101", "shape-mismatch", "error", "The sides have different shapes, or an operation joins incompatible shapes."),
    Rule("SC102", "number-mismatch", "error", "A number written in the document is wrong to the precision it is stated."),
    Rule("SC103", "misnamed-function", "error", "A definition contradicts the known function its name denotes."),
    Rule("SC104", "bad-reference", "error", "A cross-reference points at equations that do not exist or do not say what the text needs."),
    Rule("SC105", "missing-hypothesis", "warning", "An argument needs a hypothesis the document does not state."),
    Rule("SC106", "implementation-mismatch", "error", "A reference implementation named in the front matter differs from the document's quantity at a random point."),
    Rule("SC107", "implementation-verified", "note", "A reference implementation agreed with the document's quantity at every random point tried (floating point, 1e-9 relative); evidence, not a proof."),
    Rule("SC110", "lost-prime", "error", "A derivative claim is written without its derivative mark."),
    Rule("SC111", "contradicted-definition", "error", "A definition that later rows of the document contradict; one small edit of it makes them hold."),
    Rule("SC200", "undecided-parse", "warning", "The relation could not be read; nothing was decided."),
    Rule("SC201", "undecided-symbol", "warning", "The relation uses a symbol the document never introduces."),
    Rule("SC202", "undecided-unsupported", "warning", "The relation uses a construct the engine cannot decide."),
    Rule("SC203", "undecided-timeout", "warning", "Deciding the relation exceeded its time limit."),
    Rule("SC204", "undecided-ambiguous", "warning", "The relation can be read in more than one way and the readings disagree."),
    Rule("SC205", "implementation-undecided", "warning", "A reference implementation could not be compared with the document (path, declaration, the document's quantity, or the implementation failed or ran out of time)."),
    Rule("SC206", "undecided-shapes", "warning", "As read, the sides have different shapes, but no transpose or regrouping reconciles them: the shape symcheck gave a name may be wrong, so nothing is concluded; declare the shapes to decide."),
    Rule("SC300", "ocr-repair", "note", "Text damaged by lost backslashes was repaired before reading."),
    Rule("SC301", "assumed-macro", "note", "A macro not defined in the document was read with its usual meaning."),
    Rule("SC302", "unknown-symbol", "warning", "A mathematical mention names a symbol the document never defines."),
    Rule("SC303", "garbled-row", "warning", "A row is duplicated, truncated or inconsistent with its neighbours."),
    Rule("SC304", "reading-note", "note", "How symcheck read a notation that has more than one meaning."),
    Rule("SC305", "subscript-binding", "warning", "An unbraced subscript binds one character only."),
    Rule("SC306", "free-index", "warning", "An index is used outside the sum that binds it."),
    # symcheck eval: values given on the command line
    Rule("SC400", "value-error", "error", "symcheck eval: a value given cannot be used (malformed, an unknown name, a computed quantity, a wrong shape) or inputs have no value."),
    Rule("SC401", "value-disagrees", "error", "symcheck eval: at the given values the two sides of a relation, or a stated gradient and the engine's, or the engine's gradient and finite differences, differ."),
    Rule("SC402", "not-evaluated", "warning", "symcheck eval: a relation could not be evaluated at the given values; the reason is given."),
    Rule("SC900", "internal-error", "error", "symcheck failed on this input; this is a bug in symcheck, not a verdict."),
]

RULES: dict[str, Rule] = {r.code: r for r in _RULES}


@dataclass(frozen=True)
class Fix:
    """A replacement that has been proved to make the relation true."""

    latex: str  # the corrected relation, LaTeX
    description: str  # "transpose A", "parenthesise Y - AW"
    span: Span  # what it replaces in the original document


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    span: Span
    path: str = ""
    lhs: str = ""  # as the author wrote it
    rhs: str = ""
    evidence: tuple[str, ...] = field(default_factory=tuple)  # how it was decided
    counterexample: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    fixes: tuple[Fix, ...] = field(default_factory=tuple)
    label: str = ""  # equation tag, when the author gave one
    op: str = "="  # the relation between lhs and rhs, as LaTeX ("=", ">", "\\le", …)

    @property
    def rule(self) -> Rule:
        return RULES[self.code]

    @property
    def level(self) -> str:
        return self.rule.level
