"""End-to-end verdicts on small documents: one row per behaviour the engine promises.

Each document is tiny and written here; the expected verdicts are what a careful
reader would decide by hand.  A row fails if the engine proves something false,
refutes something true, or decides for the wrong reason.
"""
from __future__ import annotations

import pytest

from symcheck.pipeline import CheckOptions, check_text
from symcheck.results import verdict_of
from symcheck.source import LineIndex

FAST = CheckOptions(timeout=10.0, fixes=False)


def verdicts(text: str, options: CheckOptions = FAST) -> list[tuple[int, str, str]]:
    """(line, verdict, code) for every relation, in document order."""
    res = check_text(text, "doc.md", options)
    li = LineIndex(text)
    out = []
    for d in res.diagnostics:
        v = verdict_of(d.code)
        if v is not None:
            out.append((li.position(d.span.start)[0], v, d.code))
    return out


CASES = [
    # (name, document, expected [(line, verdict)])
    ("scalar identity and a slip",
     "$$f = (x + 1)^2$$\n$$f = x^2 + 2x + 1$$\n$$f = x^2 + x + 1$$\n",
     [(1, "definition"), (2, "proved"), (3, "refuted")]),
    ("chain: the slip is reported once, where it happens",
     "$$g = x (x + 2)$$\n$$g = x^2 + 2 x = x^2 + 3 x = x^2 + 2x$$\n",
     [(1, "definition"), (2, "proved"), (2, "refuted"), (2, "proved")]),
    ("matrix gradient of an abstract loss, symbolic sizes",
     "$W \\in \\mathbb{R}^{m \\times n}$ and $\\mathbf{x} \\in \\mathbb{R}^{n}$.\n\n"
     "$$\\mathbf{u} = W \\mathbf{x}$$\n"
     "$$\\frac{\\partial \\ell}{\\partial \\mathbf{x}} = W^T \\frac{\\partial \\ell}{\\partial \\mathbf{u}}$$\n"
     "$$\\frac{\\partial \\ell}{\\partial W} = \\frac{\\partial \\ell}{\\partial \\mathbf{u}} \\mathbf{x}^T$$\n"
     "$$\\frac{\\partial \\ell}{\\partial W} = \\mathbf{x} \\frac{\\partial \\ell}{\\partial \\mathbf{u}}^T$$\n",
     [(1, "definition"), (1, "definition"), (3, "definition"), (4, "proved"), (5, "proved"), (6, "refuted")]),
    ("a dropped transpose is a shape error",
     "$A \\in \\mathbb{R}^{m \\times n}$\n\n$$\\mathbf{r} = \\mathbf{y} - A \\mathbf{w}$$\n"
     "$$L = \\frac{1}{2} \\mathbf{r}^T \\mathbf{r}$$\n"
     "$$\\frac{\\partial L}{\\partial \\mathbf{w}} = -A^T (\\mathbf{y} - A \\mathbf{w})$$\n"
     "$$\\frac{\\partial L}{\\partial \\mathbf{w}} = -A (\\mathbf{y} - A \\mathbf{w})$$\n",
     [(1, "definition"), (3, "definition"), (4, "definition"), (5, "proved"), (6, "refuted")]),
    ("entries written with ellipses, symbolic sizes",
     "$$A = \\begin{bmatrix} a_{11} & \\dots & a_{1n} \\\\ \\vdots & \\ddots & \\vdots \\\\ a_{m1} & \\dots & a_{mn}"
     " \\end{bmatrix}$$\n"
     "$$\\mathbf{w} = \\begin{bmatrix} w_1 \\\\ \\vdots \\\\ w_n \\end{bmatrix}$$\n"
     "$$A \\mathbf{w} = \\begin{bmatrix} a_{11} w_1 + \\dots + a_{1n} w_n \\\\ \\vdots \\\\ a_{m1} w_1 + \\dots + a_{mn} w_n"
     " \\end{bmatrix}$$\n"
     "$$A \\mathbf{w} = \\begin{bmatrix} a_{11} w_1 + \\dots + a_{n1} w_n \\\\ \\vdots \\\\ a_{m1} w_1 + \\dots + a_{mn} w_n"
     " \\end{bmatrix}$$\n",
     # a swapped index breaks the pattern itself: undecided with that reason, never proved
     [(1, "definition"), (2, "definition"), (3, "proved"), (4, "undecided")]),
    ("sums with a free index, at every index value",
     "$$\\mathbf{v} = \\begin{bmatrix} v_1 \\\\ v_2 \\\\ v_3 \\end{bmatrix}$$\n"
     "$$S = \\sum_{i=1}^{3} v_i^2$$\n"
     "$$\\frac{\\partial S}{\\partial v_k} = 2 v_k$$\n"
     "$$\\frac{\\partial S}{\\partial v_k} = v_k$$\n",
     [(1, "definition"), (2, "definition"), (3, "proved"), (4, "refuted")]),
    ("a known name with a wrong definition, and a lost derivative mark",
     "$$\\sigma(x) = \\frac{1}{1 - e^{-x}}$$\n$$\\sigma(x) = \\sigma(x)(1 - \\sigma(x))$$\n",
     [(1, "refuted"), (2, "refuted")]),
    ("the right sigmoid and its derivative",
     "$$\\sigma(x) = \\frac{1}{1 + e^{-x}}$$\n$$\\sigma'(x) = \\sigma(x)(1 - \\sigma(x))$$\n",
     [(1, "definition"), (2, "proved")]),
    ("a function the document never defines: some f fits (f(t) = t - 1)",
     "$$y = f(x + 1)$$\n$$y = x$$\n",
     [(1, "proved"), (2, "definition")]),
    ("a function the document never defines: no f fits, y moves while the argument stays",
     "$$y = f(x + 1)$$\n$$y = x + z$$\n",
     [(1, "refuted"), (2, "definition")]),
    ("any coefficient w: claimed for every variable of the model",
     "$$z = a x + b$$\n$$C = \\frac{1}{2} (t - z)^2$$\n"
     "$$\\frac{\\partial C}{\\partial w} = -\\frac{\\partial z}{\\partial w} (t - z)$$\n",
     [(1, "definition"), (2, "definition"), (3, "proved")]),
    ("conditions are recorded, not refuted",
     "$$e = y - b x$$\nAt the minimum the gradient must vanish, so\n\n$$x e = 0$$\n",
     [(1, "definition"), (4, "definition")]),
    ("numbers are checked to the precision they are written",
     "$$\\sigma(x) = \\frac{1}{1 + e^{-x}}$$\n$$\\sigma(0.5) = 0.6225$$\n$$\\sigma(0.5) = 0.6252$$\n",
     [(1, "definition"), (2, "proved"), (3, "refuted")]),
    ("a step function that cannot be evaluated never makes a false gradient verified",
     "A $2 \\times 2$ weight matrix $W_1$ and $x \\in \\mathbb{R}^2$, $v \\in \\mathbb{R}^2$.\n\n"
     "$$z = W_1 x$$\n$$a = \\max(0, z)$$\n$$L = \\frac{1}{2}(v^T a - y)^2$$\n"
     "$$\\frac{\\partial L}{\\partial x} = W_1 \\frac{\\partial L}{\\partial z}$$\n"
     "$$\\frac{\\partial L}{\\partial x} = W_1^T \\frac{\\partial L}{\\partial z}$$\n",
     [(1, "definition"), (1, "definition"), (3, "definition"), (4, "definition"),
      (5, "definition"), (6, "refuted"), (7, "proved")]),
    ("a name a family's definition uses is a variable, not 'any coefficient'",
     "Residuals $r_i = y_i - c - m x_i$.\n\n$$L = \\sum_{i=1}^n r_i^2$$\n"
     "$$\\frac{\\partial L}{\\partial c} = -2\\sum_{i=1}^n r_i$$\n"
     "$$\\frac{\\partial L}{\\partial c} = 2\\sum_{i=1}^n r_i$$\n",
     [(1, "definition"), (3, "definition"), (4, "proved"), (5, "refuted")]),
    ("the identity takes its size from its place; inverses of symbolic matrices",
     "$X \\in \\mathbb{R}^{n \\times d}$, $y \\in \\mathbb{R}^{n}$.\n\n"
     "$$(X^T X + \\lambda I)^{-1} X^T = X^T (X X^T + \\lambda I)^{-1}$$\n"
     "$$(X^T X + \\lambda I)^{-1} X^T = (X X^T + \\lambda I)^{-1} X^T$$\n",
     # the shapes disagree as read and no transpose or regrouping mends them: undecided (SC206)
     [(1, "definition"), (1, "definition"), (3, "verified"), (4, "undecided")]),
    ("plain letters beside matrices are vectors; numbers add to vectors entry by entry",
     "$W \\in \\mathbb{R}^{m \\times n}$.\n\n$$z = W x + b$$\n$$h = \\tanh(z)$$\n"
     "$$h = 2\\sigma(2z) - 1$$\n$$h = 2\\sigma(2z) + 1$$\n",
     [(1, "definition"), (3, "definition"), (4, "definition"), (5, "verified"), (6, "refuted")]),
    ("a one-hot vector's entries sum to one",
     "A one-hot target $y \\in \\mathbb{R}^{K}$ and logits $z \\in \\mathbb{R}^{K}$.\n\n"
     "$$\\sum_{k=1}^{K} y_k = 1$$\n$$\\sum_{k=1}^{K} y_k = 0$$\n",
     [(1, "definition"), (1, "definition"), (3, "proved"), (4, "refuted")]),
    ("coefficients named for the first time: some choice, the same for every i, must exist",
     "$$x = \\begin{bmatrix} x_1 \\\\ x_2 \\\\ x_3 \\end{bmatrix}$$\n"
     "$$z = a_0 + a_1 (x_{i} + 1) + a_2 x_{i}$$\n$$z = w_0 + w_1 x_{i}$$\n$$z = c_0 + c_1 x_{i}^2$$\n",
     [(1, "definition"), (2, "definition"), (3, "proved"), (4, "refuted")]),
    ("a variance defines sigma; norms named by their subscript",
     "$$\\mu = \\frac{1}{m}\\sum_{i=1}^{m} x_i$$\n$$\\sigma^2 = \\frac{1}{m}\\sum_{i=1}^{m} (x_i - \\mu)^2$$\n"
     "$$\\sigma^2 = \\frac{1}{m}\\sum_{i=1}^{m} x_i^2 - \\mu^2$$\n$$\\sigma^2 = \\frac{1}{m}\\sum_{i=1}^{m} x_i^2 + \\mu^2$$\n",
     [(1, "definition"), (2, "definition"), (3, "proved"), (4, "refuted")]),
    ("a function of the document's vector, its gradient by the argument written, symmetry said once",
     "Let $A \\in \\mathbb{R}^{n \\times n}$ be symmetric and $b \\in \\mathbb{R}^{n}$.\n\n"
     "$$f(x) = \\frac{1}{2} x^T A x - b^T x$$\n\nSome text.\n\nMore text.\n\n$$\\nabla f(x) = A x - b$$\n"
     "$$\\nabla f(x) = A x + b$$\n$$\\|x\\|_2^2 = x^T x$$\n$$\\|x\\|_1 = x^T x$$\n",
     [(1, "definition"), (1, "definition"), (3, "definition"), (9, "proved"), (10, "refuted"),
      (11, "proved"), (12, "refuted")]),
    ("an operator applied to a function call written without parentheses: ln σ(z)",
     "$$\\ell = -y \\ln\\sigma(z) - (1 - y)\\ln(1 - \\sigma(z))$$\n"
     "$$\\frac{\\partial \\ell}{\\partial z} = \\sigma(z) - y$$\n$$\\frac{\\partial \\ell}{\\partial z} = y - \\sigma(z)$$\n",
     [(1, "definition"), (2, "proved"), (3, "refuted")]),
    ("a value given to names introduced on the spot is not refuted at random values; labels are names",
     "$$L_{CE} = -t \\ln a - (1 - t)\\ln(1 - a)$$\n$$\\lambda_{\\max}/\\lambda_{\\min} = \\frac{4}{2}$$\n"
     "$$\\frac{\\partial L_{CE}}{\\partial t} = \\ln(1 - a) - \\ln a$$\n",
     [(1, "definition"), (2, "undecided"), (3, "proved")]),
    ("a declared all-ones vector is still the ones vector, also inside a norm; no fix by x^1",
     "For $x \\in \\mathbb{R}^{d}$ let $\\mathbf{1} \\in \\mathbb{R}^{d}$ be the all-ones vector.\n\n"
     "$$\\mu = \\frac{1}{d}\\mathbf{1}^T x$$\n$$C = I - \\frac{1}{d}\\mathbf{1}\\mathbf{1}^T$$\n"
     "$$s = \\|x - \\mu\\mathbf{1}\\|^2$$\n$$s = x^T C x$$\n$$C\\mathbf{1} = \\mathbf{1}$$\n",
     [(1, "definition"), (1, "definition"), (3, "definition"), (4, "definition"), (5, "definition"),
      (6, "proved"), (7, "refuted")]),
    ("a matrix defined entry by entry is used whole; one-hot rows sum to one",
     "Data $X \\in \\mathbb{R}^{n \\times d}$, $W \\in \\mathbb{R}^{d \\times K}$, one-hot labels "
     "$Y \\in \\mathbb{R}^{n \\times K}$, $\\mathbf{1}_K \\in \\mathbb{R}^{K}$, $\\mathbf{1}_n \\in \\mathbb{R}^{n}$.\n\n"
     "$$Z = X W$$\n$$P_{ik} = \\frac{e^{Z_{ik}}}{\\sum_{j=1}^{K} e^{Z_{ij}}}$$\n"
     "$$P\\mathbf{1}_K = \\mathbf{1}_n$$\n$$(P - Y)\\mathbf{1}_K = 0$$\n$$(P - Y)\\mathbf{1}_K = \\mathbf{1}_n$$\n",
     [(1, "definition"), (1, "definition"), (1, "definition"), (1, "definition"), (1, "definition"),
      (3, "definition"), (4, "definition"), (5, "proved"), (6, "proved"), (7, "refuted")]),
    ("the Hessian written with nabla squared",
     "Let $A \\in \\mathbb{R}^{n \\times n}$ be symmetric and $b \\in \\mathbb{R}^{n}$.\n\n"
     "$$f(x) = \\frac{1}{2} x^T A x - b^T x$$\n$$\\nabla^2 f(x) = A$$\n$$\\nabla^2 f(x) = 2A$$\n",
     [(1, "definition"), (1, "definition"), (3, "definition"), (4, "proved"), (5, "refuted")]),
    ("a worked example's values hold in its subsections, not in the next section",
     "# Example\n\nThe loss is $f(w) = (a w - y)^2$ with\n\n$$a = 2$$\n$$y = 1$$\n$$w = 1$$\n\n## Value\n\n"
     "$$a w - y = 1$$\n$$a w - y = 3$$\n\n# Next\n\n$$a = 1$$\n$$a w - y = 1$$\n",
     [(3, "definition"), (5, "definition"), (6, "definition"), (7, "definition"), (11, "proved"), (12, "refuted"),
      (16, "definition"), (17, "undecided")]),
    ("a single-sample example gives x a vector where the model has rows x_i: no general verdict on x",
     "Inputs $X \\in \\mathbb{R}^{n \\times d}$ with rows $x_i^T$, labels $y \\in \\mathbb{R}^n$, "
     "$w \\in \\mathbb{R}^d$.\n\n$$p_i = \\sigma(x_i^T w)$$\n\n$$L = \\sum_{i=1}^{n} (p_i - y_i)^2$$\n\n"
     "For a single sample with $x = (1, 2)^T$, $w = (2, -1)^T$ and $y = 1$ we get $x^T w = 0$, $x^T w = 1$ and "
     "$(p - y)\\, x = (-0.5, -1)^T$.\n",
     [(1, "definition")] * 3 + [(3, "definition"), (5, "definition")] + [(7, "definition")] * 3
     + [(7, "proved"), (7, "refuted"), (7, "undecided")]),
    ("samples x_1, ..., x_N declared in R^d are vectors",
     "Samples $x_1, \\dots, x_N \\in \\mathbb{R}^{d}$ and $\\mu \\in \\mathbb{R}^{d}$.\n\n"
     "$$S = \\sum_{i=1}^{N} (x_i - \\mu)(x_i - \\mu)^T$$\n\n$$S^T = S$$\n",
     [(1, "definition"), (1, "definition"), (1, "definition"), (3, "definition"), (5, "proved")]),
    ("an adjective just before a declaration assumes it for the whole document",
     "A symmetric matrix $A \\in \\mathbb{R}^{n \\times n}$ and $x \\in \\mathbb{R}^{n}$.\n\n$$f = x^T A x$$\n\n"
     "## Gradient\n\nSome words here.\n\nMore words.\n\nAnd more.\n\n$$\\frac{\\partial f}{\\partial x} = 2 A x$$\n",
     [(1, "definition"), (1, "definition"), (3, "definition"), (13, "proved")]),
    ("sizes a definition sums to, and a bound written as an expression, get test values",
     "$$\\hat{y}_i = \\sum_{j=1}^{d} w_j x_{ij} + b$$\n\n$$L = \\sum_{i=1}^{n} (\\hat{y}_i - y_i)^2$$\n\n"
     "$$\\frac{\\partial^2 L}{\\partial b^2} = 2n$$\n\n"
     "$$\\frac{\\partial L}{\\partial b} = 2\\sum_{i=1}^{n-1} (\\hat{y}_i - y_i)$$\n",
     [(1, "definition"), (3, "definition"), (5, "proved"), (7, "refuted")]),
    ("values listed in prose for an indexed name (x_i = 1, 2) are the example's data",
     "$$\\hat{y}_i = w x_i$$\n\n$$L = \\sum_{i=1}^{n} (\\hat{y}_i - y_i)^2$$\n\n"
     "Take $n = 2$ and $w = 1$ with the data $x_i = 1, 2$ and $y_i = 1, 3$. "
     "Then $\\frac{\\partial L}{\\partial w} = -4$, not $\\frac{\\partial L}{\\partial w} = -2$.\n",
     [(1, "definition"), (3, "definition")] + [(5, "definition")] * 4 + [(5, "proved"), (5, "refuted")]),
    ("a number for what an example computes, without the data to compute it, is not refuted for all values",
     "$$\\hat{y}_i = w x_i$$\n\n$$L = \\sum_{i=1}^{n} (\\hat{y}_i - y_i)^2$$\n\n"
     "Take $n = 2$ and $w = 1$ with the data in the table. Then $\\frac{\\partial L}{\\partial w} = -4$.\n",
     [(1, "definition"), (3, "definition"), (5, "definition"), (5, "definition"), (5, "undecided")]),
    ("an example starting from a computed quantity differentiates with respect to it",
     "Logits $z \\in \\mathbb{R}^{K}$, target $y \\in \\mathbb{R}^{K}$.\n\n$$L = \\frac{1}{2} (z - y)^T (z - y)$$\n\n"
     "## Layer\n\nLet $z = W h$ with $W \\in \\mathbb{R}^{K \\times m}$.\n\n## Example\n\n"
     "With $K = 2$, $z = (1, 0)^T$ and $y = (0, 1)^T$ we get $\\nabla_z L = (1, -1)^T$ and $\\nabla_z L = (1, 1)^T$.\n",
     [(1, "definition"), (1, "definition"), (3, "definition"), (7, "definition"), (7, "definition")]
     + [(11, "definition")] * 3 + [(11, "proved"), (11, "refuted")]),
    ("a function with a subscripted name stands for its value at the document's variable",
     "For a target $y$ and prediction $\\hat{y}$ the residual is $r = y - \\hat{y}$.\n\n"
     "$$\\ell_2(r) = \\frac{1}{2} r^2$$\n\n$$\\frac{\\partial \\ell_2}{\\partial \\hat{y}} = -r$$\n\n"
     "$$\\frac{\\partial \\ell_2}{\\partial \\hat{y}} = r$$\n",
     [(1, "definition"), (3, "definition"), (5, "proved"), (7, "refuted")]),
    ("a number claimed in a section without values of its own is about the last example given",
     "# Net\n\n$$L = \\frac{1}{2}(w x - y)^2$$\n\n## Forward\n\n$$x = 2, \\quad w = 1, \\quad y = 1$$\n\n"
     "## Backward\n\n$$\\frac{\\partial L}{\\partial w} = (w x - y) x = 2$$\n\n$$\\frac{\\partial L}{\\partial w} = 1$$\n\n"
     "## Again\n\nFrom $x = 3$: $w x - y = 2$.\n",
     [(3, "definition"), (7, "definition"), (7, "definition"), (7, "definition"), (11, "proved"), (11, "proved"),
      (13, "refuted"), (17, "definition"), (17, "undecided")]),
    ("capital words spelled in several orders are products, even with a letter never written alone",
     "All matrices are $n \\times n$.\n\n$$\\mathrm{tr}(AB) = \\mathrm{tr}(BA)$$\n\n"
     "$$\\mathrm{tr}(ABC) = \\mathrm{tr}(CAB)$$\n\n$$\\mathrm{tr}(ABC) = \\mathrm{tr}(ACB)$$\n",
     [(3, "proved"), (5, "proved"), (7, "refuted")]),
    ("diag of a vector is the diagonal matrix",
     "Logits $z \\in \\mathbb{R}^{K}$, target $y \\in \\mathbb{R}^{K}$.\n\n"
     "$$p_k = \\frac{e^{z_k}}{\\sum_{j=1}^{K} e^{z_j}}$$\n\n$$r = p - y$$\n\n"
     "$$\\frac{\\partial p}{\\partial z} = \\mathrm{diag}(p) - p p^T$$\n\n"
     "$$\\frac{\\partial p}{\\partial z} = \\mathrm{diag}(p) + p p^T$$\n",
     [(1, "definition"), (1, "definition"), (3, "definition"), (5, "definition"), (7, "proved"), (9, "refuted")]),
    ("a defined entry (ŷ_i = w x_i + b) is a variable of its own when differentiated by; "
     "through an equal expression only, undecided",
     "$$\\hat{y}_i = w x_i + b$$\n\n$$L = \\sum_{i=1}^{n} (\\hat{y}_i - y_i)^2$$\n\n"
     "$$\\frac{\\partial L}{\\partial \\hat{y}_i} = 2(\\hat{y}_i - y_i)$$\n\n"
     "$$\\frac{\\partial L}{\\partial \\hat{y}_i} = \\hat{y}_i - y_i$$\n\n"
     "$$p_i = \\sigma(w x_i)$$\n\n$$z_i = w x_i$$\n\n$$\\frac{\\partial p_i}{\\partial z_i} = p_i (1 - p_i)$$\n",
     [(1, "definition"), (3, "definition"), (5, "proved"), (7, "refuted"), (9, "definition"), (11, "definition"),
      (13, "undecided")]),
    ("a function's subscript that its body uses is a parameter: S_1(3) is S_τ at τ = 1",
     "$S_\\tau(v) = \\mathrm{sign}(v)\\max(|v| - \\tau, 0)$, so $S_1(3) = 2$, $S_1(-0.5) = 0$ and $S_1(-4) = 3$.\n",
     [(1, "definition"), (1, "proved"), (1, "proved"), (1, "refuted")]),
    ("a function named with a subscript (R_{en}) has no index letters",
     "Weights $w \\in \\mathbb{R}^{d}$.\n\n$$R_{en}(w) = \\lambda_1 \\|w\\|_1 + \\frac{\\lambda_2}{2}\\|w\\|^2$$\n\n"
     "$$\\nabla R_{en}(w) = \\lambda_2 w$$\n",
     [(1, "definition"), (3, "definition"), (5, "refuted")]),
    ("the mask 𝟙[z > 0] is 1 where the condition holds, entry by entry",
     "A layer computes $z = W x + b$ and then $a = \\mathrm{ReLU}(z)$ elementwise, with "
     "$W \\in \\mathbb{R}^{m \\times n}$.\n\n"
     "$$\\frac{\\partial L}{\\partial z} = \\frac{\\partial L}{\\partial a} \\odot \\mathbb{1}[z > 0]$$\n\n"
     "$$\\frac{\\partial L}{\\partial z} = \\frac{\\partial L}{\\partial a} \\odot \\mathbb{1}[z < 0]$$\n",
     [(1, "definition"), (1, "definition"), (1, "definition"), (3, "verified"), (5, "refuted")]),
    ("a function's variable written before the document defines a quantity of that name is a plain variable",
     "$$\\mathrm{ReLU}(z) = \\max(0, z)$$\n\n"
     "$$\\mathrm{ReLU}'(z) = \\begin{cases} 1 & z > 0 \\\\ 0 & z < 0 \\end{cases}$$\n\n"
     "$$\\mathrm{ReLU}'(z) = \\begin{cases} 0 & z > 0 \\\\ 1 & z < 0 \\end{cases}$$\n\n"
     "A layer computes $z = W x + b$ with $W \\in \\mathbb{R}^{m \\times n}$.\n",
     [(1, "definition"), (3, "verified"), (5, "refuted"), (7, "definition"), (7, "definition")]),
    ("a derivative of a name given only as a value is no verdict; of a constant it is zero",
     "Logits $z = (1, 2, 3)^T$, values $p_1 = 0.0900$ and $p_3 = 0.6652$.\n\n$$L = -\\ln p_3$$\n\n"
     "$$\\frac{\\partial p_3}{\\partial z_3} = p_3(1 - p_3)$$\n\n$$\\frac{\\partial p_1}{\\partial z_3} = -p_1 p_3$$\n\n"
     "$$c = 2$$\n\n$$f = c x^2$$\n\n$$\\frac{\\partial c}{\\partial x} = 0$$\n\n$$\\frac{\\partial f}{\\partial x} = 2 c x$$\n",
     [(1, "definition")] * 3 + [(3, "definition"), (5, "undecided"), (7, "undecided"), (9, "definition"),
                                (11, "definition"), (13, "proved"), (15, "proved")]),
    ("∇f(0) and ∇²f: with respect to the function's own variable, at the point written",
     "Let $A \\in \\mathbb{R}^{n \\times n}$ be symmetric and $b \\in \\mathbb{R}^{n}$.\n\n"
     "$$f(x) = \\frac{1}{2} x^T A x - b^T x$$\n\n$$\\nabla f(0) = -b$$\n\n$$\\nabla f(0) = b$$\n\n$$\\nabla^2 f = A$$\n",
     [(1, "definition"), (1, "definition"), (3, "definition"), (5, "proved"), (7, "refuted"), (9, "proved")]),
    ("an entry that exists only at equal sizes (X_{ji} with X n×d) is judged there",
     "$X \\in \\mathbb{R}^{n \\times d}$, $w \\in \\mathbb{R}^{d}$, $y \\in \\mathbb{R}^{n}$.\n\n$$r = X w - y$$\n\n"
     "$$L = \\frac{1}{2} r^T r$$\n\n$$\\frac{\\partial L}{\\partial w_j} = \\sum_{i=1}^{n} X_{ij} r_i$$\n\n"
     "$$\\frac{\\partial L}{\\partial w_j} = \\sum_{i=1}^{n} X_{ji} r_i$$\n",
     [(1, "definition")] * 3 + [(3, "definition"), (5, "definition"), (7, "proved"), (9, "refuted")]),
    ("an entry of a defined family given a value (x̂_2 = 3 - 2) is a claim, not a definition",
     "$$\\mu = \\frac{1}{m}\\sum_{i=1}^{m} x_i$$\n\n$$\\hat{x}_i = x_i - \\mu$$\n\n## Example\n\n"
     "Take $m = 2$ and $x = (1, 3)$. Then $\\hat{x}_2 = 3 - 2$ and $\\hat{x}_2 = 3 - 1$.\n",
     [(1, "definition"), (3, "definition"), (7, "definition"), (7, "definition"), (7, "proved"), (7, "refuted")]),
    ("values an example posits (With λ = 0.1) are exact, not rounded",
     "$$f = \\frac{\\lambda}{2} w^2$$\n\nWith $\\lambda = 0.1$ and $w = 5$: $f = 1.25$ and not $f = 1.5$.\n",
     [(1, "definition"), (3, "definition"), (3, "definition"), (3, "proved"), (3, "refuted")]),
    ("diag(a_i^2) has one entry per value of i, over the range the document's sums give i",
     "Let $a \\in \\mathbb{R}^{n}$ and $s = \\sum_{i=1}^{n} a_i$.\n\n$$S = \\mathrm{diag}(a_i^2)$$\n\n"
     "$$\\mathrm{tr}(S) = \\sum_{i=1}^{n} a_i^2$$\n\n$$\\mathrm{tr}(S) = \\sum_{i=1}^{n} a_i$$\n",
     [(1, "definition"), (1, "definition"), (3, "definition"), (5, "proved"), (7, "refuted")]),
    ("a list of numbers is a column whose length sizes the ones vector beside it",
     "Logits $z = (1, 2, 3)^T$.\n\n$$z - 3\\mathbf{1} = (-2, -1, 0)^T$$\n\n$$z - 3\\mathbf{1} = (-2, -1, 1)^T$$\n",
     [(1, "definition"), (3, "proved"), (5, "refuted")]),
    ("a name only claims give a shape is no model: its zero derivative is no verdict",
     "Logits $z \\in \\mathbb{R}^{3}$ and target $y \\in \\mathbb{R}^{3}$.\n\n$$L = -\\ln p_3$$\n\n"
     "$$\\nabla_z L = p - y$$\n\n$$\\frac{\\partial p_3}{\\partial z_3} = p_3(1 - p_3)$$\n",
     [(1, "definition"), (1, "definition"), (3, "definition"), (5, "undecided"), (7, "undecided")]),
    ("∇L(w) of a loss the document never defines: any differentiable L, exactly through the rules",
     "Let $L(w)$ be a differentiable loss in $w \\in \\mathbb{R}^{d}$.\n\n"
     "$$J(w) = L(w) + \\frac{\\lambda}{2}\\|w\\|^2$$\n\n$$\\nabla J(w) = \\nabla L(w) + \\lambda w$$\n\n"
     "$$\\nabla J(w) = \\nabla L(w) + 2 \\lambda w$$\n\n$$\\nabla J(w) = \\lambda w$$\n",
     [(1, "definition"), (3, "definition"), (5, "proved"), (7, "refuted"), (9, "refuted")]),
    ("an undefined loss of a family of outputs y_i: gradients through the y_i by the chain rule",
     "$$y_i = \\gamma x_i + \\beta$$\n\nWith the upstream gradients $g_i = \\frac{\\partial L}{\\partial y_i}$:\n\n"
     "$$\\frac{\\partial L}{\\partial \\gamma} = \\sum_{i=1}^{m} g_i x_i$$\n\n"
     "$$\\frac{\\partial L}{\\partial \\beta} = \\sum_{i=1}^{m} g_i x_i$$\n\n"
     "$$\\frac{\\partial L}{\\partial \\beta} = \\sum_{i=1}^{m} g_i$$\n",
     [(1, "definition"), (3, "definition"), (5, "proved"), (7, "refuted"), (9, "proved")]),
    ("a heading naming the normal equations does not make the next equation a condition",
     "# Least squares\n\n$$f(w) = (a w - y)^2$$ with $a = 2$ and $y = 1$.\n\n## Normal equations\n\n"
     "$$a^2 = 4$$\n\n$$a^2 = 5$$\n\nwhich gives the normal equations $$a^2 w = a y$$\n",
     [(3, "definition"), (3, "definition"), (3, "definition"), (7, "proved"), (9, "refuted"), (11, "definition")]),
    ("an example may give the upstream gradient of an undefined loss",
     "A layer computes $z = W x + b$ and then $a = \\mathrm{ReLU}(z)$ elementwise, with "
     "$W \\in \\mathbb{R}^{m \\times n}$. Given $\\frac{\\partial L}{\\partial a}$:\n\n"
     "$$\\frac{\\partial L}{\\partial z} = \\frac{\\partial L}{\\partial a} \\odot \\mathbb{1}[z > 0]$$\n\n"
     "## Example\n\nLet $z = (2, -1, 0.5)^T$ and $\\frac{\\partial L}{\\partial a} = (0.3, 0.7, -0.2)^T$.\n"
     "Then $\\frac{\\partial L}{\\partial z} = (0.3, 0, -0.2)^T$, not $\\frac{\\partial L}{\\partial z} = (0.3, 0.7, -0.2)^T$.\n",
     [(1, "definition"), (1, "definition"), (1, "definition"), (3, "verified"), (7, "definition"), (7, "definition"),
      (8, "proved"), (8, "refuted")]),
    ("λ_max and λ_min are the extreme eigenvalues of the one matrix an example gives",
     "Let $A \\in \\mathbb{R}^{n \\times n}$ be symmetric.\n\n$$f(x) = \\frac{1}{2} x^T A x$$\n\n## Example\n\n"
     "$$A = \\begin{bmatrix} 2 & 0 \\\\ 0 & 4 \\end{bmatrix}$$\n\n"
     "so $\\lambda_{\\max}/\\lambda_{\\min} = 2$, $\\frac{2}{\\lambda_{\\min} + \\lambda_{\\max}} = \\frac{1}{3}$ and not "
     "$\\frac{2}{\\lambda_{\\min} + \\lambda_{\\max}} = \\frac{1}{2}$.\n",
     [(1, "definition"), (3, "definition"), (7, "definition"), (9, "proved"), (9, "proved"), (9, "refuted")]),
    ("If …, $X^T X = I$, then …: a condition the next relation is decided under",
     "$X \\in \\mathbb{R}^{n \\times d}$, $y \\in \\mathbb{R}^{n}$.\n\n"
     "$$\\hat{w} = (X^T X + \\lambda I)^{-1} X^T y$$\n\n"
     "If the design is orthonormal, $X^T X = I$, then $\\hat{w} = \\frac{1}{1 + \\lambda} X^T y$.\n\n"
     "If the design is orthonormal, $X^T X = I$, then $\\hat{w} = \\frac{1}{\\lambda} X^T y$.\n\n"
     "$$\\hat{w} = \\frac{1}{1 + \\lambda} X^T y$$\n",
     [(1, "definition"), (1, "definition"), (3, "definition"), (5, "definition"), (5, "proved"),
      (7, "definition"), (7, "refuted"), (9, "refuted")]),
    ("f'(x) = … states a derivative; it defines no function (tanh' used to recurse forever)",
     "$$\\tanh'(a) = 1 - \\tanh^2(a)$$\n\n$$\\tanh'(a) = 1 + \\tanh^2(a)$$\n",
     [(1, "proved"), (3, "refuted")]),
    ("a = b = 1 gives both names the value: m = p = 1 fixes the sizes of the example",
     "Hidden $h \\in \\mathbb{R}^{m}$, $W \\in \\mathbb{R}^{m \\times m}$, and $g = \\tanh(W h)$.\n\n"
     "With $m = 1$ and $W = w = 0.5$, $h = 2$:\n\n$$g = \\tanh(1)$$\n\n$$g = \\tanh(2)$$\n",
     [(1, "definition"), (1, "definition"), (1, "definition"), (3, "definition"), (3, "definition"),
      (3, "definition"), (3, "definition"), (5, "verified"), (7, "refuted")]),
    ("w' after a step is a new name: w keeps its value",
     "Take $w = 2$, $g = 3$ and $\\eta = 0.5$.\n\n$$w' = w - \\eta g = 0.5$$\n\n$$w^2 = 4$$\n",
     [(1, "definition"), (1, "definition"), (1, "definition"), (3, "definition"), (3, "proved"),
      (5, "proved")]),
    ("a case that is 0 beside a vector case is the zero vector",
     "Data $x_i \\in \\mathbb{R}^{d}$, weights $w \\in \\mathbb{R}^{d}$.\n\n"
     "$$g_i = \\begin{cases} -y_i x_i & y_i w^T x_i < 1 \\\\ 0 & \\text{otherwise} \\end{cases}$$\n\n"
     "$$G = \\sum_{i=1}^{n} g_i$$\n\n$$\\lambda w + \\sum_{i=1}^{n} g_i = \\lambda w + G$$\n\n"
     "$$\\lambda w + \\sum_{i=1}^{n} g_i = \\lambda w - G$$\n",
     [(1, "definition"), (1, "definition"), (3, "definition"), (5, "definition"), (7, "proved"),
      (9, "refuted")]),
    ("ℓ'(m) after ℓ(m) = …: m is ℓ's own scalar parameter, not the vector of a family m_i",
     "Margins $m_i = y_i w^T x_i$ with $w \\in \\mathbb{R}^{2}$.\n\n$$\\ell(m) = \\max(0, 1 - m)^2$$\n\n"
     "$$\\ell'(m) = -2 \\max(0, 1 - m)$$\n\n$$\\ell'(m) = 2 \\max(0, 1 - m)$$\n",
     [(1, "definition"), (1, "definition"), (3, "definition"), (5, "verified"), (7, "refuted")]),
    ("a claim that carries reported rounded values forward is not refuted by their rounding",
     "A unit computes $h = \\tanh(u x)$ and $a = w h + 0.5$.\n\n"
     "Take $w = 0.5$, $u = 1$ and $x = 1$. Then $h = 0.7616$ and\n\n"
     "$$a = 0.5 \\cdot 0.7616 + 0.5$$\n\n$$a = 0.5 \\cdot 0.7616 + 0.6$$\n",
     [(1, "definition"), (1, "definition"), (3, "definition"), (3, "definition"), (3, "definition"),
      (3, "proved"), (5, "undecided"), (7, "refuted")]),
    ("x_1, …, x_n ∈ R^d with no matrix of size d: d is still a size to test at",
     "Points $x_1, \\dots, x_n \\in \\mathbb{R}^{d}$ and centroids $\\mu_1, \\dots, \\mu_K \\in \\mathbb{R}^{d}$.\n\n"
     "$$J = \\sum_{i=1}^{n} \\sum_{k=1}^{K} \\|x_i - \\mu_k\\|^2$$\n\n"
     "$$\\|x_i - \\mu_k\\|^2 = x_i^T x_i - 2 x_i^T \\mu_k + \\mu_k^T \\mu_k$$\n\n"
     "$$\\|x_i - \\mu_k\\|^2 = x_i^T x_i - x_i^T \\mu_k + \\mu_k^T \\mu_k$$\n",
     [(1, "definition")] * 4 + [(3, "definition"), (5, "proved"), (7, "refuted")]),
    ("a number for what the example computes reaches μ_1 = 2 through the family μ_k: not refuted",
     "Points $x_i$, centroids $\\mu_k$ and assignments $r_{ik}$ give\n\n"
     "$$J = \\sum_{i=1}^{n} \\sum_{k=1}^{K} r_{ik} (x_i - \\mu_k)^2$$\n\n"
     "Start from $\\mu_1 = 2$ and $\\mu_2 = 7$; the points $1, 2, 4$ go to the first cluster and $7, 8$ "
     "to the second, so\n\n$$J = (1 - 2)^2 + (2 - 2)^2 + (4 - 2)^2 + (7 - 7)^2 + (8 - 7)^2$$\n",
     [(3, "definition"), (5, "definition"), (5, "definition"), (7, "undecided")]),
    ("Take σ^2 = 4: a value the text gives for σ, not a claim to refute",
     "A model $y = \\mu + \\sigma z$ with noise $z$.\n\nTake $\\sigma^2 = 4$ and $\\mu = 1$.\n\n"
     "$$\\sigma^2 + 1 = 5$$\n",
     [(1, "definition"), (3, "definition"), (3, "definition"), (5, "undecided")]),
    ("an evaluation bar substitutes the point into the expression before it",
     "$$f(z) = z^2 + 3z$$\n\n$$\\left.\\frac{d f}{d z}\\right|_{z=1} = 5$$\n\n"
     "$$\\left.\\frac{d f}{d z}\\right|_{z=0} = 5$$\n",
     [(1, "definition"), (3, "proved"), (5, "refuted")]),
    ("x_{k+1} - x^* is decided with the iteration substituted and x_k any vector of x's shape",
     "Let $A \\in \\mathbb{R}^{n \\times n}$, $b \\in \\mathbb{R}^{n}$ and $x^* = A^{-1} b$.\n\n"
     "$$x_{k+1} = x_k - \\alpha (A x_k - b)$$\n\n"
     "so $x_{k+1} - x^* = (I - \\alpha A)(x_k - x^*)$, not $x_{k+1} - x^* = (I + \\alpha A)(x_k - x^*)$.\n",
     [(1, "definition"), (1, "definition"), (1, "definition"), (3, "definition"), (5, "proved"),
      (5, "refuted")]),
    ("a step defined by a scalar formula is a scalar beside a matrix (the I takes the matrix's size)",
     "Let $A \\in \\mathbb{R}^{n \\times n}$, $b \\in \\mathbb{R}^{n}$, $x^* = A^{-1} b$ and "
     "$\\alpha = \\frac{2}{\\lambda_{\\min} + \\lambda_{\\max}}$.\n\n"
     "$$x_{k+1} = x_k - \\alpha (A x_k - b)$$\n\n"
     "so $x_{k+1} - x^* = (I - \\alpha A)(x_k - x^*)$, not $x_{k+1} - x^* = (I + \\alpha A)(x_k - x^*)$.\n",
     [(1, "definition"), (1, "definition"), (1, "definition"), (1, "definition"), (3, "definition"),
      (5, "verified"), (5, "refuted")]),
    ("an iteration stated in a later section is a new one, from there on",
     "# Iterations\n\n$$x_{k+1} = x_k - \\frac{x_k^2 - 3}{2 x_k}$$\n\n"
     "so $x_{k+1} = \\frac{1}{2}\\left(x_k + \\frac{3}{x_k}\\right)$.\n\n## Another\n\n"
     "$$x_{k+1} = \\frac{1}{2}\\left(x_k + \\frac{2}{x_k}\\right)$$\n\n"
     "and $x_{k+1} - x_k = \\frac{1}{x_k} - \\frac{x_k}{2}$, not $x_{k+1} - x_k = \\frac{1}{x_k} + \\frac{x_k}{2}$.\n",
     [(3, "definition"), (5, "proved"), (9, "definition"), (11, "proved"), (11, "refuted")]),
    ("the iterates a worked example lists are computed from its start by the iteration, exactly",
     "The iteration is\n\n$$x_{k+1} = \\frac{1}{2}\\left(x_k + \\frac{3}{x_k}\\right)$$\n\n"
     "From $x_0 = 1$: $x_1 = 2$, $x_2 = \\frac{7}{4}$ and $x_3 = 1.7321$, not $x_3 = 1.7312$ and not $x_2 = 1.6$.\n",
     [(3, "definition"), (5, "definition"), (5, "proved"), (5, "proved"), (5, "proved"), (5, "refuted"),
      (5, "refuted")]),
    ("in a softmax example that never defines p, p is the softmax of the logits given",
     "# Softmax example\n\nLogits $z = (1, 2, 3)^T$.\n\n- $p_1 = 0.0900$\n- $p_2 = 0.2474$\n\n"
     "and $p_1 + p_2 + p_3 = 1$.\n",
     [(3, "definition"), (5, "proved"), (6, "refuted"), (8, "proved")]),
    ("a matrix of decimals holds entry by entry to the decimals each shows",
     "$$z = (1, 2, 3)^T$$\n\n"
     "$$\\mathrm{softmax}(z) = \\begin{bmatrix} 0.0900 \\\\ 0.2447 \\\\ 0.6652 \\end{bmatrix}$$\n\n"
     "$$\\mathrm{softmax}(z) = \\begin{bmatrix} 0.0900 \\\\ 0.2474 \\\\ 0.6652 \\end{bmatrix}$$\n\n"
     "$$z - z = \\begin{bmatrix} 0 \\\\ 0.0000 \\\\ 0 \\end{bmatrix}$$\n\n"
     "$$z - z = \\begin{bmatrix} 0 \\\\ 0.0000 \\\\ 1 \\end{bmatrix}$$\n",
     [(1, "definition"), (3, "proved"), (5, "refuted"), (7, "proved"), (9, "refuted")]),
    ("a value restated after the conditions that determine it is decided by solving them",
     '$$E(a, b) = \\sum_{i=1}^{n} (y_i - a - b x_i)^2$$\n\nAt the minimiser both derivatives vanish, which gives the normal equations\n\n$$n a + b \\sum_{i=1}^{n} x_i = \\sum_{i=1}^{n} y_i$$\n\n$$a \\sum_{i=1}^{n} x_i + b \\sum_{i=1}^{n} x_i^2 = \\sum_{i=1}^{n} x_i y_i$$\n\nWith $\\bar{x} = \\frac{1}{n}\\sum_{i=1}^{n} x_i$ and $\\bar{y} = \\frac{1}{n}\\sum_{i=1}^{n} y_i$, solving them gives $a = \\bar{y} - b \\bar{x}$.\n\n$$a = \\bar{y} + b \\bar{x}$$\n',
     [(1, "definition"), (5, "definition"), (7, "definition"), (9, "definition"), (9, "definition"), (9, "verified"),
      (11, "refuted")]),
    ("an iteration a_{i+1} = … leaves the entries x_i of another name entries, indexed as usual",
     'Let $x \\in \\mathbb{R}^{n}$ and $a \\in \\mathbb{R}$.\n\n$$a_{i+1} = a_i + 1$$\n\n$$s = \\sum_{i=1}^{n} x_i$$\n\n$$\\frac{\\partial s}{\\partial x_i} = 1$$\n',
     [(1, "definition"), (1, "definition"), (3, "definition"), (5, "definition"), (7, "proved")]),
    ("a function's parameter is bound: the example's x = 1 does not reach f'(1)",
     "Let $f(x) = (3x + 1)^2$.\n\nAt $x = 1$, $f'(1) = 18$ and $f'(1) = 24$.\n",
     [(1, "definition"), (3, "definition"), (3, "refuted"), (3, "proved")]),
    ("a value the text posits anew starts a new example instead of contradicting the old one",
     "With $\\sigma(z) = \\frac{1}{1 + e^{-z}}$ and $p = \\sigma(z)$.\n\nTake $z = 0$: then $p = 0.5$.\n\n"
     "Take $z = 2$: then $p = 0.8808$.\n",
     [(1, "definition"), (1, "definition"), (3, "definition"), (3, "proved"), (5, "definition"), (5, "proved")]),
    ("a display opened by \\therefore states a consequence, not a condition the prose announced",
     "For $g(w) = (w - 3)^2 + 1$ the minimiser satisfies\n\n$$\\therefore\\ g(3) = 0$$\n",
     [(1, "definition"), (3, "refuted")]),
    ("an entry of a defined family given in Euler's e is a value to check, not a new definition",
     "Logits $z \\in \\mathbb{R}^3$ and $s_k = \\frac{e^{z_k}}{\\sum_{j=1}^{3} e^{z_j}}$.\n\n"
     "With $z = (1, 0, 0)^T$: $s_2 = \\frac{1}{e + 1}$ and $s_1 = \\frac{e}{e + 2}$.\n",
     [(1, "definition"), (1, "definition"), (3, "definition"), (3, "refuted"), (3, "verified")]),
    ("an unreadable row is undecided at its line",
     "$$a = b$$\n$$c = \\frac{1}{$$\n$$a = b$$\n",
     [(1, "definition"), (2, "undecided"), (3, "proved")]),
    ("the range an index runs over is stated, not decided; a list of values is not a range",
     "$x \\in \\mathbb{R}^n$ and $p_i = x_i^2$ for $i = 1, \\dots, n$, $j = 1,2,3$.\n\n"
     "$$\\frac{\\partial p_i}{\\partial x_i} = 2 x_i \\quad \\text{for } i = 1, \\ldots, n$$\n"
     "$$k = 1, 3, 4$$\n",
     [(1, "definition"), (1, "definition"), (1, "definition"), (1, "definition"), (3, "proved"),
      (3, "definition"), (4, "undecided")]),
    ("'with $y$ one-hot' is an assumption; a sum's bounds size the vectors it picks entries from",
     "Let $z \\in \\mathbb{R}^K$, $p_i = \\frac{e^{z_i}}{\\sum_{k=1}^{K} e^{z_k}}$ and "
     "$\\ell = -\\sum_{i=1}^{K} y_i \\log p_i$ with $y$ one-hot.\n\n"
     "$$\\frac{\\partial \\ell}{\\partial z_j} = p_j - y_j$$\n"
     "$$\\nabla_{z} \\ell = p - y$$\n$$\\nabla_{z} \\ell = y - p$$\n",
     [(1, "definition"), (1, "definition"), (1, "definition"), (3, "verified"), (4, "verified"),
      (5, "refuted")]),
    ("a gradient by the vector of a family defined entry by entry; entrywise division",
     "Let $z \\in \\mathbb{R}^K$, $p_i = \\frac{e^{z_i}}{\\sum_{k=1}^{K} e^{z_k}}$ and "
     "$\\ell = -\\sum_{i=1}^{K} y_i \\log p_i$.\n\n"
     "$$\\nabla_{p} \\ell = -y \\oslash p$$\n$$\\nabla_{p} \\ell = y \\oslash p$$\n",
     [(1, "definition"), (1, "definition"), (1, "definition"), (3, "proved"), (4, "refuted")]),
    ("functions named with \\operatorname read like \\tanh: sech, artanh, erf",
     "$$\\frac{d}{dx}\\tanh x = \\operatorname{sech}^2 x$$\n$$\\frac{d}{dx}\\tanh x = \\operatorname{sech} x$$\n"
     "$$\\frac{d}{dx}\\operatorname{erf}(x) = \\frac{2}{\\sqrt{\\pi}} e^{-x^2}$$\n",
     [(1, "verified"), (2, "refuted"), (3, "proved")]),
    ("w^\\star and w^{+} are names; 'symmetric' right after the declaration is an assumption",
     "Let $Q \\in \\mathbb{R}^{2\\times 2}$ symmetric and $f(w) = \\tfrac12 w^T Q w - b^T w$.\n\n"
     "$$w^{+} = w - Q^{-1} \\nabla f(w) = Q^{-1} b$$\n$$w^\\star = Q^{-1} b$$\n"
     "$$\\nabla f(w^\\star) = 0$$\n$$\\nabla f(w^{+}) = b$$\n",
     [(1, "definition"), (1, "definition"), (3, "definition"), (3, "proved"), (4, "definition"),
      (5, "proved"), (6, "refuted")]),
    ("a recurrence h_t = F(h_{t-1}) read at a generic step; w_z beside a defined z_t is z's weight",
     "$$z_t = \\sigma(w_z x_t + u_z h_{t-1})$$\n$$h_t = (1 - z_t) h_{t-1} + z_t \\tanh(x_t)$$\n"
     "$$\\frac{\\partial z_t}{\\partial h_{t-1}} = z_t (1 - z_t) u_z$$\n"
     "$$\\frac{\\partial h_t}{\\partial h_{t-1}} = (1 - z_t) + (\\tanh(x_t) - h_{t-1}) z_t (1 - z_t) u_z$$\n"
     "$$\\frac{\\partial h_t}{\\partial h_{t-1}} = (\\tanh(x_t) - h_{t-1}) z_t (1 - z_t) u_z$$\n",
     [(1, "definition"), (2, "definition"), (3, "proved"), (4, "proved"), (5, "refuted")]),
    ("operator words: tr without parentheses, a word function, vmatrix is a determinant, W^{(2)\\top}",
     "Let $A, B \\in \\mathbb{R}^{3 \\times 3}$, $H = A B$ and $\\mathrm{FL}(p) = -(1-p)^2 \\log p$.\n\n"
     "$$\\operatorname{tr} H = \\operatorname{tr}(B A)$$\n$$\\operatorname{tr} H = \\operatorname{tr}(A^T B)$$\n"
     "$$\\mathrm{FL}(0.5) = \\tfrac14 \\log 2$$\n"
     "$$\\begin{vmatrix} 2 & 1 \\\\ 4 & 3 \\end{vmatrix} = 2$$\n$$\\begin{vmatrix} 2 & 1 \\\\ 4 & 3 \\end{vmatrix} = 3$$\n"
     "$$\\operatorname{tr}(A^{(2)\\top} B) = \\operatorname{tr}(B^\\top A^{(2)})$$\n",
     [(1, "definition"), (1, "definition"), (1, "definition"), (1, "definition"), (3, "proved"), (4, "refuted"),
      (5, "proved"), (6, "proved"), (7, "refuted"), (8, "proved")]),
    ("diag of a list with an ellipsis; a number minus a matrix is entrywise; J^T = J is a claim",
     "Let $d \\in \\mathbb{R}^n$, $x \\in \\mathbb{R}^n$, $D = \\operatorname{diag}(d_1, \\dots, d_n)$ and "
     "$A \\in \\mathbb{R}^{n \\times m}$.\n\n"
     "$$x^\\top D x = \\sum_{i=1}^{n} d_i x_i^2$$\n$$x^\\top D x = \\sum_{i=1}^{n} d_i x_i$$\n"
     "$$A \\odot (1 - A) = A - A \\odot A$$\n$$D^\\top = D$$\n",
     [(1, "definition"), (1, "definition"), (1, "definition"), (1, "definition"), (3, "proved"), (4, "refuted"),
      (5, "proved"), (6, "proved")]),
    ("a matrix the text calls orthogonal is drawn orthogonal: true only for orthogonal U is verified, "
     "and a counterexample is a genuine one",
     "Let $X = U D V^T$ where $U \\in \\mathbb{R}^{3 \\times 3}$ is orthogonal and "
     "$D, V \\in \\mathbb{R}^{3 \\times 3}$.\n\n"
     "$$X^T X = V D^T D V^T$$\n$$X^T X = V D V^T$$\n$$X = U D V^T$$\n",
     [(1, "definition"), (1, "definition"), (1, "definition"), (1, "definition"), (3, "verified"),
      (4, "refuted"), (5, "proved")]),
    ("orthonormal columns: a tall U with UᵀU = I (but not U Uᵀ = I)",
     "Let $U \\in \\mathbb{R}^{4 \\times 2}$ have orthonormal columns.\n\n"
     "$$U^T U = I$$\n$$U U^T = I$$\n$$(U^T U)^2 = U^T U$$\n",
     [(1, "definition"), (3, "verified"), (4, "refuted"), (5, "verified")]),
    ("an arg min is decided by its gradient and Hessian at the point stated",
     "Let $X \\in \\mathbb{R}^{4 \\times 2}$, $\\mathbf{y} \\in \\mathbb{R}^{4}$ and $\\lambda > 0$.\n\n"
     "$$\\arg\\min_{\\mathbf{w}} \\|\\mathbf{y} - X\\mathbf{w}\\|_2^2 + \\lambda \\|\\mathbf{w}\\|_2^2 "
     "= (X^T X + \\lambda I)^{-1} X^T \\mathbf{y}$$\n"
     "$$\\arg\\min_{\\mathbf{w}} \\|\\mathbf{y} - X\\mathbf{w}\\|_2^2 + \\lambda \\|\\mathbf{w}\\|_2^2 "
     "= (X^T X + 2 \\lambda I)^{-1} X^T \\mathbf{y}$$\n"
     "$$\\operatorname*{arg\\,max}_{t} \\; 6 t - t^2 = 3$$\n$$\\arg\\min_{t} \\; t^4 - 2 t^2 = 1$$\n"
     "$$\\arg\\min_{t} \\; |t - 3| = 3$$\n",
     [(1, "definition"), (1, "definition"), (1, "definition"), (3, "verified"), (4, "refuted"),
      (5, "verified"), (6, "undecided"), (7, "undecided")]),
    ("a Greek subscript on a defined name is a label: argmin over w still reads w",
     "Let $X \\in \\mathbb{R}^{4 \\times 2}$, $y \\in \\mathbb{R}^4$ and "
     "$\\hat w_\\lambda = (X^T X + \\lambda I)^{-1} X^T y$.\n\n"
     "$$(X^T X + \\lambda I) \\hat w_\\lambda = X^T y$$\n$$(X^T X + \\lambda I) \\hat w_\\lambda = X y$$\n",
     [(1, "definition"), (1, "definition"), (1, "definition"), (3, "proved"), (4, "refuted")]),
    ("an underbrace note f(w) defines f; the gradient of a function named nowhere is not refuted",
     "Let $X \\in \\mathbb{R}^{n \\times d}$, $y \\in \\mathbb{R}^n$, $w \\in \\mathbb{R}^d$.\n\n"
     "$$F(w) = \\underbrace{\\tfrac{1}{2} \\|X w - y\\|^2}_{f(w)} + \\lambda \\|w\\|_1$$\n"
     "$$\\nabla f(w) = X^\\top (X w - y)$$\n$$\\nabla f(w) = X^\\top (X w + y)$$\n"
     "$$\\nabla g(w) = X^\\top (X w + y)$$\n",
     [(1, "definition"), (1, "definition"), (1, "definition"), (3, "definition"), (4, "proved"), (5, "refuted"),
      (6, "undecided")]),
    ("λ_max and λ_min of a matrix of numbers are its extreme eigenvalues, exactly; a step 1/L uses them",
     "Let $A = \\begin{pmatrix} 2 & 1 \\\\ 1 & 2 \\end{pmatrix}$ and $L = \\lambda_{\\max}(A)$.\n\n"
     "$$\\lambda_{\\max}(A) = 3$$\n$$\\lambda_{\\min}(A) = 1$$\n$$\\lambda_{\\max}(A) = 2$$\n$$1/L = \\tfrac13$$\n",
     [(1, "definition"), (1, "definition"), (3, "proved"), (4, "proved"), (5, "refuted"), (6, "proved")]),
    ("a piecewise function written \\left\\{ \\begin{array} … \\right. and rows split by \\intertext",
     "$$\\ell(r) = \\left\\{ \\begin{array}{ll} \\frac{1}{2} r^2 & \\text{if } |r| \\le 1, \\\\ "
     "|r| - \\frac{1}{2} & \\text{otherwise} \\end{array} \\right.$$\n"
     "\\begin{align*}\n\\ell(3) &= 2.5 \\intertext{and at the edge} \\ell(1) &= 0.5 \\\\\n"
     "\\ell(2) &= 2\n\\end{align*}\n",
     [(1, "definition"), (3, "proved"), (3, "proved"), (4, "refuted")]),
    ("annotated equalities (\\overset{(a)}{=}, \\stackrel{(b)}{=}) are equalities; \\triangleq defines; "
     "\\stackrel{!}{=} is an equation to solve; \\right\\rvert is an evaluation bar",
     "Define $f(x) \\triangleq x^2 + 2x$.\n\n"
     "$$\\begin{aligned} (x+1)^2 &\\overset{(a)}{=} x^2 + 2x + 1 \\\\ &\\stackrel{(b)}{=} f(x) + 1 \\\\ "
     "&\\overset{(c)}{=} f(x) + 2 \\end{aligned}$$\n"
     "$$f'(x) \\stackrel{!}{=} 0$$\n$$\\left. \\frac{d f}{d x} \\right\\rvert_{x=1} = 4$$\n",
     [(1, "definition"), (3, "proved"), (3, "proved"), (3, "refuted"), (4, "definition"), (5, "proved")]),
    ("a value stated for the claim of its sentence ('for $\\epsilon = 0$') holds for that claim only; Greek too",
     "Let $x \\in \\mathbb{R}^d$, $\\mu = \\frac{1}{d}\\sum_{i=1}^{d} x_i$, "
     "$\\sigma^2 = \\frac{1}{d}\\sum_{i=1}^{d} (x_i - \\mu)^2$ and "
     "$\\hat x_i = \\frac{x_i - \\mu}{\\sqrt{\\sigma^2 + \\epsilon}}$.\n\n"
     "For $\\epsilon = 0$, $\\frac{1}{d}\\sum_{i=1}^{d} \\hat x_i^2 = 1$.\n\n"
     "For $\\epsilon = 0$, $\\frac{1}{d}\\sum_{i=1}^{d} \\hat x_i^2 = 2$.\n\n"
     "For $\\lambda > 0$: $\\max(0, \\lambda) = \\lambda$.\n",
     [(1, "definition"), (1, "definition"), (1, "definition"), (1, "definition"), (3, "definition"),
      (3, "proved"), (5, "definition"), (5, "refuted"), (7, "definition"), (7, "proved")]),
    ("a backward recurrence δ_t = F(δ_{t+1}) is a definition, read at a generic step with δ_{t+1} free",
     "A scalar RNN $h_t = \\tanh(w h_{t-1} + u x_t)$ and "
     "$\\delta_t = g_t + w (1 - h_{t+1}^2) \\delta_{t+1}$.\n\n"
     "$$\\delta_t - w (1 - h_{t+1}^2) \\delta_{t+1} = g_t$$\n"
     "$$\\delta_t - w (1 - h_{t+1}^2) \\delta_{t+1} = g_t + \\delta_{t+1}$$\n"
     "$$\\frac{\\partial h_{t+1}}{\\partial h_t} = w (1 - h_{t+1}^2)$$\n",
     [(1, "definition"), (1, "definition"), (3, "proved"), (4, "refuted"), (5, "proved")]),
    ("the determinant of a matrix that is not square here is undecided with its reason, never an internal error",
     "Let $V \\in \\mathbb{R}^{3 \\times 2}$.\n\n$$\\det V = 1$$\n$$\\operatorname{tr}(V) = 0$$\n",
     [(1, "definition"), (3, "undecided"), (4, "undecided")]),
    ("a function named by a word may take a subscripted parameter: FL(p_t) = …",
     "$$\\mathrm{FL}(p_t) = -(1 - p_t)^{2} \\log p_t$$\n$$\\mathrm{FL}(0.5) = \\tfrac{1}{4}\\log 2$$\n"
     "$$\\mathrm{FL}(0.5) = \\tfrac{1}{2}\\log 2$$\n",
     [(1, "definition"), (2, "proved"), (3, "refuted")]),
    ("an identity beside a scalar (a dropped transpose in x^T x) is never a 1x1 identity: undecided, not proved",
     "Let $x \\in \\mathbb{R}^d$.\n\n$$\\|x\\|_2^2 \\, I - x^\\top x = 0$$\n"
     "$$(\\|x\\|_2^2 \\, I - x x^\\top) x = 0$$\n",
     [(1, "definition"), (3, "undecided"), (4, "proved")]),
    # matrix differentials: \mathrm{d}X of an input is a perturbation shaped like X, \mathrm{d}E of
    # anything else its first-order change when the inputs whose d the row writes move
    ("matrix differentials: the trace of a quadratic form, a dropped term, a symmetric-only form",
     "Let $A \\in \\mathbb{R}^{m \\times m}$ and $X \\in \\mathbb{R}^{m \\times n}$, and "
     "$g(X) = \\operatorname{tr}(X^\\top A X)$.\n\n"
     "$$\\mathrm{d}g = \\operatorname{tr}(\\mathrm{d}X^\\top A X) + \\operatorname{tr}(X^\\top A\\, \\mathrm{d}X)$$\n"
     "$$\\mathrm{d}g = \\operatorname{tr}\\bigl( ((A + A^\\top) X)^\\top \\mathrm{d}X \\bigr)$$\n"
     "$$\\mathrm{d}g = \\operatorname{tr}(X^\\top A\\, \\mathrm{d}X)$$\n"
     "$$\\mathrm{d}g = 2 \\operatorname{tr}(X^\\top A\\, \\mathrm{d}X)$$\n"
     # no input is perturbed: the row does not say what changes
     "$$\\mathrm{d}g = \\operatorname{tr}(A)$$\n",
     [(1, "definition"), (1, "definition"), (1, "definition"), (3, "proved"), (4, "proved"), (5, "refuted"),
      (6, "refuted"), (7, "undecided")]),
    ("matrix differentials: Jacobi's formula and the inverse, a lost factor and a wrong transpose",
     "Let $X \\in \\mathbb{R}^{3 \\times 3}$ be invertible.\n\n"
     "$$\\mathrm{d}\\det X = \\det(X) \\operatorname{tr}(X^{-1} \\mathrm{d}X)$$\n"
     "$$\\mathrm{d}X \\, X^{-1} + X\\, \\mathrm{d}(X^{-1}) = 0$$\n"
     "$$\\mathrm{d}(X^{-1}) = -X^{-1} \\, \\mathrm{d}X \\, X^{-1}$$\n"
     "$$\\mathrm{d}(X^{-1}) = -X^{-1} \\mathrm{d}X$$\n"
     "$$\\mathrm{d}\\det X = \\det(X) \\operatorname{tr}(X^{-\\top} \\mathrm{d}X)$$\n",
     [(1, "definition"), (3, "proved"), (4, "proved"), (5, "proved"), (6, "refuted"), (7, "refuted")]),
    ("matrix differentials: a Frobenius residual through a defined R",
     "Let $A \\in \\mathbb{R}^{p \\times m}$, $X \\in \\mathbb{R}^{m \\times n}$ and "
     "$B \\in \\mathbb{R}^{p \\times n}$.\n\n"
     "$$R = AX - B$$\n$$h(X) = \\|AX - B\\|_F^2$$\n"
     "$$\\mathrm{d}R = A\\, \\mathrm{d}X$$\n"
     "$$\\mathrm{d}h = 2 \\operatorname{tr}(R^\\top A\\, \\mathrm{d}X)$$\n"
     "$$\\mathrm{d}h = \\operatorname{tr}(R^\\top A\\, \\mathrm{d}X)$$\n"
     "$$\\mathrm{d}h = 2 \\operatorname{tr}(R A\\, \\mathrm{d}X)$$\n",
     [(1, "definition"), (1, "definition"), (1, "definition"), (3, "definition"), (4, "definition"),
      (5, "proved"), (6, "proved"), (7, "refuted"), (8, "refuted")]),
    ("matrix differentials: tied weights, both occurrences of W vary (d is also a size here)",
     "Inputs $\\mathbf{x} \\in \\mathbb{R}^{d}$ and weights $\\mathbf{W} \\in \\mathbb{R}^{k \\times d}$.\n\n"
     "- code: $\\mathbf{h} = \\mathbf{W}\\mathbf{x}$\n"
     "- reconstruction: $\\hat{\\mathbf{x}} = \\mathbf{W}^\\top \\mathbf{h}$\n"
     "- residual: $\\mathbf{r} = \\hat{\\mathbf{x}} - \\mathbf{x}$\n"
     "- loss: $\\ell(\\mathbf{W}) = \\frac{1}{2}\\|\\mathbf{r}\\|^2$\n\n"
     "$$\\mathrm{d}\\ell = \\mathbf{r}^\\top \\mathrm{d}\\mathbf{W}^\\top \\mathbf{W}\\mathbf{x} + "
     "\\mathbf{r}^\\top \\mathbf{W}^\\top \\mathrm{d}\\mathbf{W}\\, \\mathbf{x}$$\n"
     "$$\\mathrm{d}\\ell = \\mathbf{r}^\\top \\mathbf{W}^\\top \\mathrm{d}\\mathbf{W}\\, \\mathbf{x}$$\n"
     "$$\\mathbf{r}^\\top \\mathrm{d}\\mathbf{W}^\\top \\mathbf{W}\\mathbf{x} = "
     "\\mathbf{h}^\\top \\mathrm{d}\\mathbf{W}\\, \\mathbf{r}$$\n"
     "$$\\mathbf{r}^\\top \\mathrm{d}\\mathbf{W}^\\top \\mathbf{W}\\mathbf{x} = "
     "\\mathbf{r}^\\top \\mathrm{d}\\mathbf{W}\\, \\mathbf{h}$$\n",
     [(1, "definition"), (1, "definition"), (3, "definition"), (4, "definition"), (5, "definition"),
      (6, "definition"), (8, "verified"), (9, "refuted"), (10, "proved"), (11, "refuted")]),
    ("matrix differentials written with an italic d, in a document that works with differentials",
     "We work with differentials. Let $X \\in \\mathbb{R}^{2 \\times 2}$ be invertible.\n\n"
     "$$dX\\,X^{-1} + X\\,d(X^{-1}) = 0$$\n$$d(X^{-1}) = -X^{-1}\\,dX\\,X^{-1}$$\n"
     "$$d(X^{-1}) = -X^{-1}\\,dX$$\n",
     [(1, "definition"), (3, "proved"), (4, "proved"), (5, "refuted")]),
    # an italic d that is a size, an entry d_j or an exponent stays a symbol: read as a
    # differential, d‖x‖² and d x^{d-1} would perturb nothing and come out undecided
    ("an italic d that is a size stays a plain factor",
     "No differentials here: inputs $\\mathbf{x} \\in \\mathbb{R}^{d}$.\n\n"
     "$$f = d\\,\\mathbf{x}^\\top \\mathbf{x}$$\n$$f = d \\|\\mathbf{x}\\|^2$$\n"
     "$$f = \\mathbf{x}^\\top \\mathbf{x}$$\n",
     [(1, "definition"), (3, "definition"), (4, "proved"), (5, "refuted")]),
    ("entries d_j and a power x^d keep d a plain symbol; Leibniz fractions stay derivatives",
     "No differentials here: weights $d_1, d_2$ and a power $x^d$.\n\n"
     "$$s = d_1 x_1 + d_2 x_2$$\n$$\\frac{\\partial s}{\\partial x_2} = d_2$$\n"
     "$$\\frac{\\partial s}{\\partial x_2} = d_1$$\n"
     "$$q = x^d$$\n$$\\frac{dq}{dx} = d\\,x^{d-1}$$\n$$\\frac{dq}{dx} = x^{d-1}$$\n",
     [(3, "definition"), (4, "proved"), (5, "refuted"), (6, "definition"), (7, "verified"), (8, "refuted")]),
    ("a cubic's coefficient d before x^3 stays a factor: the text never speaks of differentials",
     "A cubic and its derivative.\n\n$$f(x) = a + b x + c x^2 + d x^3$$\n"
     "$$f'(x) = b + 2 c x + 3 d x^2$$\n$$f'(x) = b + 2 c x + 2 d x^2$$\n",
     [(3, "definition"), (4, "proved"), (5, "refuted")]),
    ("a later section that says 'now' re-declares X: each section is read with its own X",
     "# Bilinear\n\nLet $X \\in \\mathbb{R}^{2 \\times 3}$, $\\mathbf{a} \\in \\mathbb{R}^{2}$ and "
     "$\\mathbf{b} \\in \\mathbb{R}^{3}$.\n\n"
     "$$f = \\mathbf{a}^\\top X \\mathbf{b}$$\n$$\\frac{\\partial f}{\\partial X} = \\mathbf{a} \\mathbf{b}^\\top$$\n"
     "\n# Inverse\n\nNow let $X \\in \\mathbb{R}^{3 \\times 3}$ be invertible.\n\n"
     "$$X X^{-1} = I$$\n$$X^{-1} X = I$$\n$$X^{-1} X^{-1} = I$$\n",
     [(3, "definition"), (3, "definition"), (3, "definition"), (5, "definition"), (6, "proved"),
      (10, "definition"), (12, "proved"), (13, "proved"), (14, "refuted")]),
    ("a function's argument that is also defined (v = σ²): its partials are read at the same v",
     "The variance is $v = \\sigma^2$.\n\n$$\\ell(\\mu, v) = -\\log v - \\frac{(x - \\mu)^2}{v}$$\n"
     "$$\\frac{\\partial \\ell}{\\partial \\mu} = \\frac{2 (x - \\mu)}{v}$$\n"
     "$$\\frac{\\partial^2 \\ell}{\\partial \\mu \\, \\partial v} = -\\frac{2 (x - \\mu)}{v^2}$$\n"
     "$$\\frac{\\partial^2 \\ell}{\\partial \\mu \\, \\partial v} = -\\frac{2 (x - \\mu)}{v}$$\n",
     [(1, "definition"), (3, "definition"), (4, "proved"), (5, "proved"), (6, "refuted")]),
    ("'U has columns u_j': u_j is column j of U",
     "Let $U \\in \\mathbb{R}^{3 \\times 2}$ have columns $\\mathbf{u}_j$, and $\\mathbf{a} \\in \\mathbb{R}^{2}$.\n\n"
     "$$U \\mathbf{a} = \\sum_{j=1}^{2} a_j \\mathbf{u}_j$$\n$$U \\mathbf{a} = \\sum_{j=1}^{2} a_j \\mathbf{u}_1$$\n",
     [(1, "definition"), (1, "definition"), (3, "proved"), (4, "refuted")]),
    ("diag of listed entries is a diagonal matrix of that size",
     "$$\\operatorname{diag}(3, 1)^2 = \\operatorname{diag}(9, 1)$$\n"
     "$$\\operatorname{diag}(3, 1)^2 = \\operatorname{diag}(9, 2)$$\n",
     [(1, "proved"), (2, "refuted")]),
    ("a size the worked example gives ('Let n = 1') holds for the claims in it",
     "Let $\\mathbf{a} \\in \\mathbb{R}^{n}$.\n\n$$\\mathbf{a} \\mathbf{a}^T = \\mathbf{a}^T \\mathbf{a}$$\n\n"
     "## Example\n\nLet $n = 1$.\n\n$$\\mathbf{a} \\mathbf{a}^T = \\mathbf{a}^T \\mathbf{a}$$\n"
     "$$\\mathbf{a} \\mathbf{a}^T = 2 \\mathbf{a}^T \\mathbf{a}$$\n",
     # line 3: a aᵀ (n×n) beside aᵀa (scalar), and no transpose mends it: undecided (SC206)
     [(1, "definition"), (3, "undecided"), (7, "definition"), (9, "proved"), (10, "refuted")]),
    ("β = 0.9 in one section and β_1 = 0.9 in the next: β_1 is a name of its own, not an entry of β",
     "Momentum uses $\\beta = 0.9$.\n\n$$v = \\beta u$$\n\nAdam uses $\\beta_1 = 0.9$ and $\\beta_2 = 0.999$.\n\n"
     "$$\\frac{(1 - \\beta_1) g}{1 - \\beta_1} = g$$\n$$\\frac{(1 - \\beta_2) g}{1 - \\beta_1} = g$$\n",
     [(1, "definition"), (3, "definition"), (5, "definition"), (5, "definition"), (7, "proved"), (8, "refuted")]),
    ("an update that closes a cycle (EM's M-step after its E-step) is a new value, not a definition",
     "$$g_k = \\frac{\\pi_k e^{-(x - \\mu_k)^2}}{\\sum_{j=1}^{2} \\pi_j e^{-(x - \\mu_j)^2}}$$\n"
     "$$\\mu_k = \\frac{g_k x}{g_k}$$\n$$g_1 + g_2 = 1$$\n$$g_1 + g_2 = 2$$\n",
     [(1, "definition"), (2, "definition"), (3, "proved"), (4, "refuted")]),
    ("N(x | μ, σ²): a calligraphic N is not the N of the text, and a parameter written squared is the variance",
     "Let $N = 5$ and $$\\mathcal{N}(x \\mid \\mu, \\sigma^2) = \\frac{1}{\\sqrt{2 \\pi \\sigma^2}} "
     "\\exp\\Bigl(-\\frac{(x - \\mu)^2}{2 \\sigma^2}\\Bigr)$$\n"
     "$$\\mathcal{N}(0 \\mid 0, 4) = \\frac{1}{2 \\sqrt{2 \\pi}}$$\n$$\\mathcal{N}(0 \\mid 0, 4) = \\frac{1}{4 \\sqrt{2 \\pi}}$$\n"
     "$$N \\, \\mathcal{N}(1 \\mid 1, 1) = \\frac{5}{\\sqrt{2 \\pi}}$$\n",
     [(1, "definition"), (1, "definition"), (2, "proved"), (3, "refuted"), (4, "proved")]),
    ("diag(g) of a vector is square: a product with it does not make the size 1 (which once certified a slip)",
     "Let $\\mathbf{x}, \\mathbf{g} \\in \\mathbb{R}^{d}$, $H = \\Delta \\operatorname{diag}(\\mathbf{g})$ and "
     "$\\mathbf{c} = (H \\odot \\Delta) \\mathbf{1}_d$.\n\n$$r = \\sqrt{\\frac{1}{d} \\sum_{j=1}^{d} x_j^2}$$\n"
     "$$\\frac{\\partial r}{\\partial x_j} = \\frac{x_j}{d\\, r}$$\n$$\\frac{\\partial r}{\\partial x_j} = \\frac{x_j}{r}$$\n",
     [(1, "definition"), (1, "definition"), (1, "definition"), (1, "definition"), (3, "definition"),
      (4, "proved"), (5, "refuted")]),
    ("a sum that leaves one index value out (j ≠ i), with bounds, without, and with the upper one only",
     "Let $\\mathbf{x} \\in \\mathbb{R}^{n}$ and $s = \\sum_{j=1}^{n} x_j$.\n\n"
     "$$\\sum_{j \\neq i} x_j = s - x_i$$\n$$\\sum_{j=1, j \\neq i}^{n} x_j = s - x_i$$\n"
     "$$\\sum_{j \\ne i}^{n} x_j = s + x_i$$\n",
     [(1, "definition"), (1, "definition"), (3, "proved"), (4, "proved"), (5, "refuted")]),
    ("a definition whose shapes clash is refuted only when a transpose makes it make sense",
     "Let $A \\in \\mathbb{R}^{3 \\times 2}$, $B \\in \\mathbb{R}^{3 \\times 2}$ and $v \\in \\mathbb{R}^{3}$.\n\n"
     "$$C = A + B^T$$\n$$E = A + v v^T$$\n",
     [(1, "definition"), (1, "definition"), (1, "definition"), (3, "refuted"), (4, "undecided")]),
    ("'X has rows x_i^T' in prose: the x_i are vectors, as many as X has rows",
     "Let $X \\in \\mathbb{R}^{n \\times d}$ have rows $\\mathbf{x}_i^\\top$.\n\n"
     "$$\\sum_i \\mathbf{x}_i \\mathbf{x}_i^\\top = X^\\top X$$\n"
     "$$\\sum_{i=1}^{n} \\mathbf{x}_i \\mathbf{x}_i^\\top = X X^\\top$$\n"
     "$$\\sum_{i=1}^{n} \\mathbf{x}_i^\\top \\mathbf{x}_i = \\operatorname{tr}(X^\\top X)$$\n",
     [(1, "definition"), (3, "proved"), (4, "refuted"), (5, "proved")]),
    ("δ_{ij} with two indices is Kronecker's delta, also beside a vector δ",
     "Let $\\boldsymbol{\\delta}, \\mathbf{x} \\in \\mathbb{R}^{3}$ and $\\mathbf{y} = 2 \\mathbf{x} + \\boldsymbol{\\delta}$.\n\n"
     "$$\\frac{\\partial y_i}{\\partial x_j} = 2 \\delta_{ij}$$\n$$\\frac{\\partial y_i}{\\partial x_j} = \\delta_{ij}$$\n",
     [(1, "definition"), (1, "definition"), (1, "definition"), (3, "proved"), (4, "refuted")]),
    ("arithmetic on rounded numbers holds within their rounding; a tuple of decimals is checked entry by entry",
     "$$\\log(1 + e^{-2}) + \\log 2 = 0.1269 + 0.6931$$\n$$\\frac{1400}{9} - 100 = 155.5556 - 100$$\n"
     "$$\\frac{1400}{9} - 100 = 155.5656 - 100$$\n$$(\\log 2, \\log 3)^\\top = (0.6931, 1.0986)^\\top$$\n"
     "$$(\\log 2, \\log 3)^\\top = (0.6931, 1.0996)^\\top$$\n$$2 \\cdot 0.5 = 1.05$$\n",
     [(1, "proved"), (2, "proved"), (3, "refuted"), (4, "proved"), (5, "refuted"), (6, "refuted")]),
    ("an expectation E[…] is not the matrix E of the text: undecided with its reason",
     "Let $E \\in \\mathbb{R}^{2 \\times 2}$ and $\\mathbf{w} \\in \\mathbb{R}^{2}$.\n\n"
     "$$\\mathbb{E}[\\delta_t \\mathbf{w}] = \\mathbf{w} - E\\mathbf{w}$$\n$$(E \\mathbf{w})^\\top = \\mathbf{w}^\\top E^\\top$$\n",
     [(1, "definition"), (1, "definition"), (3, "undecided"), (4, "proved")]),
    ("a bare tuple beside a row is that row; with a transpose it is a column",
     "Let $\\mathbf{a} \\in \\mathbb{R}^{2}$ be $\\mathbf{a} = (1, 2)^\\top$.\n\n"
     "$$2 \\mathbf{a}^\\top = (2, 4)$$\n$$2 \\mathbf{a}^\\top = (2, 5)$$\n$$2 \\mathbf{a}^\\top = (2, 4)^\\top$$\n",
     [(1, "definition"), (1, "definition"), (3, "proved"), (4, "refuted"), (5, "refuted")]),
    ("labels in a finite set (y_i ∈ {-1, +1}) are drawn from it",
     "Labels are $y_i \\in \\{-1, +1\\}$.\n\n$$y_i^2 = 1$$\n$$y_i^3 = y_i$$\n$$y_i^2 = y_i$$\n",
     [(1, "definition"), (3, "verified"), (4, "verified"), (5, "refuted")]),
]


@pytest.mark.parametrize("name, text, expected", CASES, ids=[c[0] for c in CASES])
def test_verdicts(name: str, text: str, expected: list[tuple[int, str]]) -> None:
    got = [(line, v) for line, v, _ in verdicts(text)]
    assert got == expected


def test_refutation_has_counterexample_and_proved_fix() -> None:
    text = "$$f = (x + 1)^2$$\n$$f = x^2 - 2x + 1$$\n"
    res = check_text(text, "doc.md", CheckOptions(timeout=10.0))
    [d] = [d for d in res.diagnostics if d.code == "SC100"]
    assert d.counterexample and d.counterexample[0][0] == "x"
    assert d.fixes, "a sign slip has a one-edit fix"
    fix = d.fixes[0]
    assert "2 x" in fix.latex and "- 2" not in fix.latex and fix.description.endswith("proved")
    # the fix replaces exactly the right-hand side the author wrote
    assert text[fix.span.start:fix.span.end] == "x^2 - 2x + 1"


def test_shape_fix_for_dropped_transpose_and_parentheses() -> None:
    text = ("$A \\in \\mathbb{R}^{m \\times n}$\n\n$$L = \\frac{1}{2} (\\mathbf{y} - A \\mathbf{w})^T "
            "(\\mathbf{y} - A \\mathbf{w})$$\n"
            "$$\\frac{\\partial L}{\\partial \\mathbf{w}} = - A \\mathbf{y} - A \\mathbf{w}$$\n")
    res = check_text(text, "doc.md", CheckOptions(timeout=10.0))
    [d] = [d for d in res.diagnostics if d.code == "SC101"]
    assert d.fixes
    assert "transpose" in d.fixes[0].description and "parenthesise" in d.fixes[0].description


def test_ocr_damage_is_repaired_and_reported() -> None:
    text = "$$A = egin{bmatrix} a & b \\ c & d \\end{bmatrix}$$\n$$B = rac{1}{2} A$$\n$$2 B = A$$\n"
    res = check_text(text, "doc.md", FAST)
    codes = [d.code for d in res.diagnostics]
    assert "SC300" in codes
    assert verdict_of(codes[-1]) == "proved" or "SC001" in codes


def test_unknown_symbol_in_prose_is_flagged() -> None:
    text = ("Given $\\frac{\\partial \\ell}{\\partial \\mathbf{y}}$ we get\n\n"
            "$$\\mathbf{u} = W \\mathbf{x}$$\n"
            "$$\\frac{\\partial \\ell}{\\partial \\mathbf{x}} = W^T \\frac{\\partial \\ell}{\\partial \\mathbf{u}}$$\n")
    res = check_text(text, "doc.md", FAST)
    [d] = [d for d in res.diagnostics if d.code == "SC302"]
    assert "y" in d.message and "u" in d.message
    assert text[d.span.start:d.span.end] == "\\mathbf{y}"


def test_same_input_same_output() -> None:
    text = CASES[3][1]
    a = check_text(text, "doc.md", CheckOptions(timeout=10.0))
    b = check_text(text, "doc.md", CheckOptions(timeout=10.0))
    assert a.diagnostics == b.diagnostics


def test_hostile_inputs_end_with_diagnostics() -> None:
    bombs = ["$$" + "{" * 5000 + "x" + "}" * 5000 + "$$",
             "$$y = (a + b)^{100000}$$\n$$y = 1$$",
             "$$" + "x + " * 3000 + "x = y$$",
             "$$\\newcommand{\\a}{\\a\\a}\\a = 1$$"]
    for text in bombs:
        res = check_text(text, "doc.md", CheckOptions(timeout=3.0, fixes=False))
        assert all(d.code != "SC900" for d in res.diagnostics)


def test_a_point_that_cannot_be_evaluated_is_no_evidence_of_equality() -> None:
    """A trial where the sides cannot be evaluated (a step at its jump, an unknown
    function) must not count as 'equal': that is how a false gradient could come out
    verified."""
    import sympy as sp

    from symcheck.decide import _differs

    x = sp.Symbol("x")
    f = sp.Function("f")(x)
    assert _differs(f, x, f - x, {x: sp.Integer(2)}) is None
    assert _differs(sp.Heaviside(x), sp.Integer(1), sp.Heaviside(x) - 1, {x: sp.Integer(0)}) is None
    assert _differs(sp.Heaviside(x), sp.Integer(1), sp.Heaviside(x) - 1, {x: sp.Integer(-1)}) is True
    assert _differs(sp.Max(0, x), x, sp.Max(0, x) - x, {x: sp.Integer(3)}) is False


def test_duplicated_and_mislabelled_rows_are_reported() -> None:
    text = ("$$\\begin{aligned}\nf &= (x + 1)^2 \\\\\ng_{1} &= x^2 + 2x + 1 \\\\\n"
            "g_{1} &= x^2 + 2x + 1 \\\\\ng_{1} &= x^2 + 2x + 2\n\\end{aligned}$$\n")
    res = check_text(text, "doc.md", FAST)
    li = LineIndex(text)
    notes = [(li.position(d.span.start)[0], d.message.split(";")[0]) for d in res.diagnostics if d.code == "SC303"]
    assert [line for line, _ in notes] == [4, 5]
    assert "word for word" in notes[0][1] and "same left side" in notes[1][1]


def test_worked_example_with_rounded_values_is_judged_within_their_rounding() -> None:
    text = ("$$s = a + b$$\n\nTake $a = 0.3333$ and $b = 0.6666$. Then $s = 1$.\n\n"
            "## Again\n\nTake $a = 0.3333$ and $b = 0.6666$. Then $s = 1.1$.\n")
    got = [(line, v) for line, v, _ in verdicts(text)]
    assert (3, "undecided") in got and (7, "refuted") in got
    assert not any(v == "refuted" for line, v in got if line == 3)


def test_update_rules_are_checked_for_shape_and_mended_by_a_transpose() -> None:
    text = ("$W \\in \\mathbb{R}^{m \\times n}$ and $x \\in \\mathbb{R}^{n}$.\n\n"
            "$$L = \\frac{1}{2} x^T W^T W x$$\n"
            "$$W = W - \\eta \\frac{\\partial L}{\\partial W}$$\n"
            "$$W = W - \\eta \\left(\\frac{\\partial L}{\\partial W}\\right)^T$$\n")
    res = check_text(text, "doc.md", CheckOptions(timeout=10.0))
    li = LineIndex(text)
    by_line = {li.position(d.span.start)[0]: d for d in res.diagnostics if d.code in ("SC000", "SC101")}
    assert by_line[4].code == "SC000" and "updates W" in by_line[4].message
    assert by_line[5].code == "SC101" and by_line[5].fixes
    assert "shapes now agree" in by_line[5].fixes[0].description


def test_test_sizes_honour_a_stated_order_of_sizes() -> None:
    """X with d < n has full column rank only when the sizes keep that order; with d > n
    every random point makes X^T X singular and nothing could be decided."""
    text = ("$X \\in \\mathbb{R}^{n \\times d}$ has full column rank $d < n$, $y \\in \\mathbb{R}^{n}$.\n\n"
            "$$H = X (X^T X)^{-1} X^T$$\n$$H X = X$$\n$$\\mathrm{tr}(H) = n$$\n")
    got = {line: v for line, v, _ in verdicts(text)}
    assert got[4] in ("proved", "verified") and got[5] == "refuted"


def test_a_free_index_takes_its_range_from_a_sum_in_a_definition() -> None:
    """∂μ/∂x_j: the j ranges over the i of μ = (1/m) Σ_{i=1}^{m} x_i."""
    text = ("$$\\mu = \\frac{1}{m}\\sum_{i=1}^{m} x_i$$\n$$\\frac{\\partial \\mu}{\\partial x_j} = \\frac{1}{m}$$\n"
            "$$\\frac{\\partial \\mu}{\\partial x_j} = \\frac{2}{m}$$\n")
    got = [(line, v) for line, v, _ in verdicts(text)]
    assert got == [(1, "definition"), (2, "proved"), (3, "refuted")]


def test_equations_the_next_sentence_calls_conditions_are_conditions() -> None:
    """"$$Σ (y_i - w x_i) = 0$$ (4) These are the normal equations": recorded as a
    condition, not refuted as an identity; without that sentence it is a claim."""
    from symcheck.pipeline import CheckOptions, check_text
    body = "Let the data be $x_i$ and $y_i$.\n\n$$\\sum_{i=1}^{n} x_i (y_i - w x_i) = 0$$\n (4)\n\n"
    named = check_text(body + "These are the normal equations of the regression.\n", "doc.md", CheckOptions(5.0))
    plain = check_text(body + "We continue.\n", "doc.md", CheckOptions(5.0))
    assert [d.code for d in named.diagnostics if d.code.startswith("SC")][-1:] == ["SC000"]
    assert any("condition" in d.message for d in named.diagnostics)
    assert not any("condition" in d.message for d in plain.diagnostics)


@pytest.mark.parametrize("text, verdicts", [
    ("For $z > 0$: $\\max(0, z) = z$.\n", ["proved"]),
    ("For $z > 0$: $\\max(0, z) = 0$.\n", ["refuted"]),
    ("When $z < 0$, $\\max(0, z) = 0$.\n", ["proved"]),
    ("When $z \\le 0$, $\\max(0, z) = z$.\n", ["refuted"]),
    ("For $z > 0$ we have $\\mathrm{ReLU}(z) = z$.\n", ["proved"]),
    ("$$\\max(0, z) = z \\quad \\text{for } z > 0$$\n", ["proved"]),
    # a bound holds in its own sentence only
    ("For $z > 0$ the unit is linear. Here $\\max(0, z) = z$.\n", ["refuted"]),
])
def test_a_bound_stated_in_the_sentence_holds_for_its_claims(text: str, verdicts: list[str]) -> None:
    from symcheck.pipeline import CheckOptions, check_text
    from symcheck.results import verdict_of
    res = check_text(text, "doc.md", CheckOptions(5.0))
    got = [verdict_of(d.code) for d in res.diagnostics if verdict_of(d.code) in ("proved", "verified", "refuted",
                                                                                 "undecided")]
    assert got == verdicts


def test_a_number_fix_rounds_halves_away_from_zero_as_notes_do() -> None:
    """0.25 to one decimal is written 0.3 in notes (and 0.2 is accepted too: both are
    within half a unit); the fix offered is the conventional 0.3."""
    from symcheck.pipeline import CheckOptions, check_text
    res = check_text("$$\\frac{1}{4} = 0.4$$\n\n$$\\frac{1}{4} = 0.3$$\n\n$$\\frac{1}{4} = 0.2$$\n", "doc.md",
                     CheckOptions(5.0))
    codes = [d.code for d in res.diagnostics if d.code in ("SC001", "SC102")]
    assert codes == ["SC102", "SC001", "SC001"]
    [wrong] = [d for d in res.diagnostics if d.code == "SC102"]
    assert wrong.fixes[0].latex.endswith("= 0.3")


def test_a_side_that_evaluates_to_an_infinity_or_nan_is_no_evidence_of_equality() -> None:
    """log 0 and ∞ - ∞ have no value: such a point neither refutes nor confirms (a NaN
    compared with anything was once read as 'no gap', that is, equal)."""
    import sympy as sp

    from symcheck.decide import _differs
    x = sp.Symbol("x", real=True)
    assert _differs(sp.log(x), sp.Integer(1), sp.log(x) - 1, {x: sp.Integer(0)}) is None
    assert _differs(sp.log(x), sp.Integer(1), sp.log(x) - 1, {x: sp.Integer(2)}) is True
    assert _differs(sp.log(x), sp.log(x), sp.Integer(0), {x: sp.Integer(2)}) is False


def test_sizes_where_no_trial_can_be_evaluated_leave_the_verdict_to_the_others() -> None:
    """(XᵀX)⁻¹ is singular whenever d > n: those test sizes say nothing, and the claim is
    decided at the others, with a note saying so."""
    text = ("Let $X \\in \\mathbb{R}^{n \\times d}$.\n\n"
            "$$(X^T X)^{-1} X^T X X^T = X^T$$\n$$(X^T X)^{-1} X^T X X^T = 2 X^T$$\n")
    res = check_text(text, "doc.md", FAST)
    got = [(verdict_of(d.code), d) for d in res.diagnostics if verdict_of(d.code) in
           ("proved", "verified", "refuted", "undecided")]
    assert [v for v, _ in got] in (["verified", "refuted"], ["proved", "refuted"])
    assert any("d = 4, n = 3 no trial could be evaluated" in e for e in got[0][1].evidence)
    assert "d = 4" not in got[0][1].message  # the verdict names the sizes it was decided at


@pytest.mark.parametrize("src, numeric", [
    (r"\frac{1}{5} \begin{bmatrix} 3.2 & -2.4 \\ -2.4 & 1.8 \end{bmatrix}", True),  # a grid of numbers, scaled
    (r"\begin{pmatrix} 1 \\ 2 \end{pmatrix}", True),
    (r"\tfrac{1}{2} \cdot 0.25", False),  # arithmetic on numbers is a computation to check, not a value
    (r"\frac{1}{5} \begin{bmatrix} a & 1 \end{bmatrix}", False),
])
def test_a_value_given_as_numbers(src: str, numeric: bool) -> None:
    """What a worked example may give as a value (rather than compute): plain numbers."""
    from symcheck.context import _numeric
    from symcheck.latex.parser import parse_expr
    from symcheck.source import MappedText
    assert _numeric(parse_expr(MappedText.from_original(src))) is numeric
