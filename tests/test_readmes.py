"""The Chinese README says what the English one says where it matters most: the same commands, in order."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FENCED = re.compile(r"^```[^\n]*\n(.*?)^```", re.S | re.M)


def _blocks(name: str) -> list[str]:
    return FENCED.findall((ROOT / name).read_text(encoding="utf-8"))


def test_the_chinese_readme_has_every_command_block_of_the_english_one_in_order():
    english, chinese = _blocks("README.md"), _blocks("README.zh-CN.md")
    assert english and chinese == english


def test_the_readmes_link_each_other():
    assert "(README.zh-CN.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert (ROOT / "README.zh-CN.md").read_text(encoding="utf-8").startswith("[English](README.md)")
