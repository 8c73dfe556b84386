"""The README's sample output is what symcheck prints today."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from symcheck.output import text as text_out
from symcheck.pipeline import CheckOptions, check_file

ROOT = Path(__file__).resolve().parent.parent


def test_readme_sample_output_is_real(monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- sample-output -->\n```\n\$ symcheck check --quiet (\S+)\n(.*?)```", readme, re.S)
    assert block, "README lost its sample-output block"
    path, shown = block.group(1), block.group(2)
    monkeypatch.chdir(ROOT)
    actual = text_out.render([check_file(path, CheckOptions())], quiet=True)
    assert shown == actual


def test_readme_eval_sample_is_real(monkeypatch: pytest.MonkeyPatch) -> None:
    from symcheck import evalreport, values

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- eval-sample -->\n```\n\$ symcheck eval (\S+) --values (\S+) --fd --rate (\S+)\n(.*?)```",
                      readme, re.S)
    assert block, "README lost its eval-sample block"
    path, vals, rate, shown = block.groups()
    monkeypatch.chdir(ROOT)
    given = values.parse_file((ROOT / vals).read_text(encoding="utf-8"), vals)
    result = evalreport.evaluate_text((ROOT / path).read_text(encoding="utf-8"), path, given, values.number(rate))
    assert shown == evalreport.render_text(result)
