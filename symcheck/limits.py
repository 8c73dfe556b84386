"""Hard time limits for the one step that has none: symbolic simplification.

SymPy's ``simplify`` can run for minutes and never looks at a clock, and
``signal.alarm`` is process-wide and main-thread only.  So the call runs in a forked
child that is killed at the deadline; the parent only ever waits.  Where fork is
unavailable the call runs inline (the cooperative deadline still bounds the rest).
"""
from __future__ import annotations

import multiprocessing as mp
import pickle
from typing import Any, Callable


def call(fn: Callable[..., Any], args: tuple[Any, ...], seconds: float, default: Any) -> Any:
    """``fn(*args)`` if it finishes within ``seconds``, else ``default``."""
    if seconds <= 0:
        return default
    try:
        ctx = mp.get_context("fork")
    except ValueError:
        return fn(*args)
    parent, child = ctx.Pipe(duplex=False)

    def run() -> None:
        try:
            child.send_bytes(pickle.dumps(fn(*args)))
        except BaseException:  # the child reports nothing; the parent uses the default
            pass
        finally:
            child.close()

    proc = ctx.Process(target=run, daemon=True)
    proc.start()
    child.close()
    try:
        if parent.poll(seconds):
            return pickle.loads(parent.recv_bytes())
        return default
    except (EOFError, OSError, pickle.UnpicklingError):
        return default
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(1)
        parent.close()
