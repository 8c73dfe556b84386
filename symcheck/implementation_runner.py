"""Child-process side of checking a reference implementation; never imported by symcheck.

``symcheck.implementations`` runs this file's source with ``python -B -c`` in a
separate process, in the implementation's directory, with a time limit.  It reads
one JSON request on stdin::

    {"path": "/abs/impl.py", "calls": [{"function": "grad_u", "points": [{"u": [[..]], ...}, ...]}]}

imports the implementation, typesets each named function with latexify (when
latexify is installed), calls it at every point with numpy arrays, and writes one
JSON answer on stdout::

    {"functions": {"grad_u": {"latex": "...", "latex_error": "", "line": 12,
                              "results": [{"value": [[..]], "error": ""}, ...]}}}

Anything the implementation prints goes to stderr, so it cannot corrupt the answer.
Only the standard library, numpy and latexify are used here: the child must not
depend on symcheck, and symcheck never executes the implementation itself.
"""
import importlib.util
import json
import sys
import traceback


def _error(exc: BaseException) -> str:
    line = traceback.extract_tb(exc.__traceback__)[-1].lineno if exc.__traceback__ else 0
    return f"{type(exc).__name__} at line {line}: {exc}"[:500]


def _plain(value):
    import numpy as np

    arr = np.asarray(value, dtype=float)
    return {"shape": list(arr.shape), "data": [float(x) for x in arr.ravel()]}


def main() -> None:
    request = json.loads(sys.stdin.read())
    out = sys.stdout
    sys.stdout = sys.stderr  # the implementation's prints must not reach the answer
    answer = {"functions": {}, "error": ""}
    try:
        import numpy as np

        spec = importlib.util.spec_from_file_location("symcheck_reference_implementation", request["path"])
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which makes a diagnostic
        answer["error"] = "importing the implementation failed: " + _error(exc)
        out.write(json.dumps(answer))
        return
    try:
        import latexify
    except ImportError:
        latexify = None
    for call in request["calls"]:
        name = call["function"]
        entry = {"latex": "", "latex_error": "", "line": 0, "results": []}
        answer["functions"][name] = entry
        fn = getattr(module, name, None)
        if not callable(fn):
            entry["latex_error"] = f"the module has no function {name}"
            continue
        entry["line"] = getattr(getattr(fn, "__code__", None), "co_firstlineno", 0)
        if latexify is None:
            entry["latex_error"] = "latexify-py is not installed"
        else:
            try:
                entry["latex"] = str(latexify.get_latex(fn))
            except Exception as exc:  # noqa: BLE001 - latexify rejects what it does not support
                entry["latex_error"] = f"latexify: {type(exc).__name__}: {exc}"[:300]
        for point in call["points"]:
            try:
                args = {k: np.array(v, dtype=float) for k, v in point.items()}
                entry["results"].append({"value": _plain(fn(**args)), "error": ""})
            except BaseException as exc:  # noqa: BLE001
                entry["results"].append({"value": None, "error": _error(exc)})
    out.write(json.dumps(answer))


if __name__ == "__main__":
    main()
