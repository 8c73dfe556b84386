"""CLI behaviour: exit codes, file discovery order, error lines, determinism.

All but the last tests run against ``fake_engine`` (see conftest) so they pin the
CLI's contract, not the engine's current verdicts.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from symcheck import cli
from symcheck.diagnostics import RULES

REPO = Path(__file__).resolve().parent.parent


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def notes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "ok.md", "$$a = a$$ PROVED\n")
    write(tmp_path / "bad.md", "line one\n$$a = b$$ REFUTED\n")
    write(tmp_path / "open.md", "$$x = ?$$ UNDECIDED\n")
    return tmp_path


def test_exit_0_when_nothing_refuted(notes, fake_engine, capsys):
    code, out, err = run(capsys, "check", "ok.md", "open.md")
    assert code == 0 and err == ""
    assert "ok.md:1:11: SC001 proved" in out
    assert out.splitlines()[-1].startswith("total: 2 files, 2 relations:")


def test_exit_1_when_refuted(notes, fake_engine, capsys):
    code, out, _ = run(capsys, "check", "ok.md", "bad.md")
    assert code == 1
    assert "bad.md:2:11: SC100 refuted" in out


def test_strict_fails_on_undecided_and_reaches_engine(notes, fake_engine, capsys):
    assert run(capsys, "check", "open.md")[0] == 0
    assert run(capsys, "check", "--strict", "--timeout", "2.5", "open.md")[0] == 1
    path, options = fake_engine[-1]
    assert path == "open.md" and options.strict is True and options.timeout == 2.5


def test_missing_file_is_exit_2_but_others_still_reported(notes, fake_engine, capsys):
    code, out, err = run(capsys, "check", "nope.md", "bad.md")
    assert code == 2
    assert err == "nope.md: error: no such file or directory\n"
    assert "bad.md:2:11: SC100" in out


def test_not_utf8_is_exit_2_and_not_sent_to_engine(notes, fake_engine, capsys):
    write(notes / "latin1.tex", "caf\xe9 = caf\xe9\n".encode("latin-1"))
    code, out, err = run(capsys, "check", "latin1.tex", "ok.md")
    assert code == 2
    assert err == "latin1.tex: error: not valid UTF-8 (byte 0xe9 at offset 3)\n"
    assert [p for p, _ in fake_engine] == ["ok.md"]
    assert "(1 unreadable)" in out


def test_unreadable_reason(tmp_path):
    assert cli.read_error(str(tmp_path)) == "Is a directory"
    assert cli.read_error(str(write(tmp_path / "f.md", "x"))) == ""


def test_engine_crash_becomes_sc900_and_exit_1(notes, fake_engine, capsys):
    write(notes / "crash.md", "CRASH\n")
    code, out, _ = run(capsys, "check", "crash.md")
    assert code == 1
    assert "crash.md:1:1: SC900 internal error: RuntimeError: engine exploded" in out


def test_directories_walked_recursively_in_sorted_order(tmp_path, monkeypatch, fake_engine, capsys):
    monkeypatch.chdir(tmp_path)
    for name in ["d/z.md", "d/b/2.tex", "d/a.rst", "d/b/1.TXT", "d/c.markdown", "d/B.md",
                 "d/.hidden/x.md", "d/skip.py", "d/a/inner.md", "d/.dot.md"]:
        write(tmp_path / name, "PROVED\n")
    code, _, _ = run(capsys, "check", "d")
    assert code == 0
    assert [p for p, _ in fake_engine] == [
        os.path.join("d", p) for p in
        ["B.md", os.path.join("a", "inner.md"), "a.rst", os.path.join("b", "1.TXT"),
         os.path.join("b", "2.tex"), "c.markdown", "z.md"]
    ]


def test_paths_printed_as_given_and_deduplicated(notes, fake_engine, capsys):
    code, out, _ = run(capsys, "check", "./ok.md", "ok.md", str(notes / "ok.md"))
    assert code == 0
    assert [p for p, _ in fake_engine] == ["./ok.md"]
    assert out.startswith("./ok.md:1:11: SC001")


def test_empty_directory_is_an_error(tmp_path, monkeypatch, fake_engine, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    code, out, err = run(capsys, "check", "empty")
    assert code == 2 and out == "" and "no *.md" in err


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_output_byte_identical_across_runs(notes, fake_engine, capsys, fmt):
    first = run(capsys, "check", "--format", fmt, ".")
    second = run(capsys, "check", "--format", fmt, ".")
    assert first == second and first[0] == 1
    assert str(notes) not in first[1]  # no absolute paths unless given
    if fmt != "text":
        json.loads(first[1])


def test_output_file(notes, fake_engine, capsys):
    code, out, _ = run(capsys, "check", "--format", "sarif", "--output", "r.sarif", "bad.md")
    assert code == 1 and out == ""
    log = json.loads((notes / "r.sarif").read_text(encoding="utf-8"))
    assert log["runs"][0]["results"][0]["ruleId"] == "SC100"
    code, _, err = run(capsys, "check", "-o", "missing-dir/r.txt", "bad.md")
    assert code == 2 and err.startswith("missing-dir/r.txt: error: ")


def test_quiet(notes, fake_engine, capsys):
    _, out, _ = run(capsys, "check", "--quiet", "ok.md", "bad.md")
    assert "SC001" not in out and "SC100" in out


@pytest.mark.parametrize(
    "argv",
    [[], ["check"], ["check", "--format", "xml", "ok.md"], ["check", "--timeout", "0", "ok.md"],
     ["check", "--timeout", "soon", "ok.md"], ["frobnicate"]],
)
def test_usage_errors_exit_2(notes, fake_engine, capsys, argv):
    assert run(capsys, *argv)[0] == 2


def test_version(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and re.fullmatch(r"symcheck \S+\n", out)


def test_rules_lists_every_code(capsys):
    code, out, _ = run(capsys, "rules")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == sorted(RULES)
    code, md, _ = run(capsys, "rules", "--markdown")
    rows = [line for line in md.splitlines() if line.startswith("| SC")]
    assert [r.split("|")[1].strip() for r in rows] == sorted(RULES)


@pytest.mark.golden
def test_readme_rules_table_in_sync(request):
    """The README's table is generated by ``symcheck rules --markdown``; --update-golden rewrites it."""
    readme = REPO / "README.md"
    text = readme.read_text(encoding="utf-8")
    begin, end = "<!-- rules:begin -->\n", "<!-- rules:end -->"
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    wanted = head + begin + cli.rules_text(markdown=True) + end + tail
    if request.config.getoption("--update-golden"):
        readme.write_bytes(wanted.encode("utf-8"))
        return
    assert text == wanted, "README rules table is stale: run python -m pytest --update-golden"


def test_subprocess_entry_point_is_deterministic(tmp_path):
    """Through ``python -m symcheck`` with whatever engine is installed: same bytes twice."""
    write(tmp_path / "n" / "a.md", "# A\n\n$$1 + 1 = 2$$\n")
    write(tmp_path / "n" / "b.tex", "\\[ x = x \\]\n")
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    runs = [
        subprocess.run([sys.executable, "-m", "symcheck", "check", "--format", "sarif", "n"],
                       cwd=tmp_path, env=env, capture_output=True, timeout=300, stdin=subprocess.DEVNULL)
        for _ in range(2)
    ]
    assert runs[0].returncode in (0, 1), runs[0].stderr.decode()
    assert runs[0].stdout == runs[1].stdout and runs[0].returncode == runs[1].returncode
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in json.loads(runs[0].stdout)["runs"][0]["results"]}
    assert uris <= {"n/a.md", "n/b.tex"}


def test_worker_processes_give_the_same_bytes_as_one_process(tmp_path, monkeypatch, capsys):
    """--jobs changes how long a run takes, never what it says (real engine, small notes)."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.md", "$$f = (x + 1)^2$$\n$$f = x^2 + 2x + 1$$\n$$f = x^2 + x + 1$$\n")
    write(tmp_path / "b.md", "$$g = x (x + 2)$$\n$$g = x^2 + 3 x$$\n")
    write(tmp_path / "c.md", "$$h = 2 x$$\n$$h = x + x$$\n")
    one = run(capsys, "check", "--jobs", "1", ".")
    many = run(capsys, "check", "--jobs", "3", ".")
    assert one == many
    assert one[0] == 1 and "a.md:3:3: SC100" in one[1] and "b.md:2:3: SC100" in one[1]
    code, _, err = run(capsys, "check", "--jobs", "0", ".")
    assert code == 2 and "at least 1" in err
