"""The desk's fixed memory: pypinyin (about 55 MB) is not loaded until a palette search needs a word the
generated initials table (screens/pinyin_initials.py) does not hold; the table never drifts from pypinyin.

Regenerate the table after changing a key's words or their Chinese: `.venv/bin/python tests/test_tui_memory.py`.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "screens" / "pinyin_initials.py"


def palette_words() -> list[str]:
    """Every Chinese word the palette searches by on a desk in Chinese: each described key of our screens and
    the app, translated as the palette shows it, and the workflows' titles."""
    from textual.binding import Binding

    import screens
    import tui
    from core.i18n import language, use_language
    from screens.key_words import binding_words
    from screens.workflows import WORKFLOWS

    for package in (screens, tui):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)
    ours = [module for name, module in sorted(sys.modules.items()) if name.startswith(("screens.", "tui."))]
    classes = [value for module in ours for value in vars(module).values()
               if isinstance(value, type) and value.__module__ == module.__name__]
    before = language()
    use_language("zh_CN")
    try:
        words: set[str] = set()
        for cls in classes:
            for binding in cls.__dict__.get("BINDINGS", ()):
                binding = binding if isinstance(binding, Binding) else Binding(*binding)
                if binding.description:
                    words.add(binding_words(binding))
        for workflow in WORKFLOWS:
            words.update(workflow.searched_titles())
    finally:
        use_language(before)
    return sorted(word for word in words if any("\u4e00" <= character <= "\u9fff" for character in word))


def expected_table() -> dict[str, str]:
    """The initials pypinyin gives each palette word (the table's reference)."""
    from pypinyin import Style, lazy_pinyin

    return {word: "".join(lazy_pinyin(word, style=Style.FIRST_LETTER)).lower() for word in palette_words()}


def write_table() -> None:
    """Write screens/pinyin_initials.py from pypinyin."""
    lines = "".join(f"    {json.dumps(word, ensure_ascii=False)}: {json.dumps(found)},\n"
                    for word, found in expected_table().items())
    TABLE.write_text(textwrap.dedent('''\
        """The pinyin initials of the palette's Chinese words (its keys' titles and the workflows'), generated from
        pypinyin by `python tests/test_tui_memory.py` (tests/test_tui_memory.py checks it), so the palette need not
        load pypinyin's dictionaries (about 55 MB) for its own words."""

        INITIALS: dict[str, str] = {
        ''') + lines + "}\n", encoding="utf-8")


def test_the_initials_table_is_pypinyins_for_every_palette_word():
    from screens.pinyin_initials import INITIALS

    assert INITIALS == expected_table(), "stale: run `.venv/bin/python tests/test_tui_memory.py`"


def test_initials_come_from_the_table_and_from_pypinyin_for_other_words():
    from screens.commands import initials

    assert initials("缺件登记") == "qjdj"
    assert initials("重新读取订单 RCV") == "cxdqdd rcv"  # not in the table: pypinyin, its phrase reading of 重新


def test_pypinyin_is_loaded_only_for_a_word_the_palette_table_lacks(tmp_path):
    """In a fresh process (pytest's has pypinyin loaded by other tests): not at home, not for the palette's
    search by pinyin initials, only for a word outside the table."""
    probe = subprocess.run([sys.executable, __file__, "--probe", str(tmp_path)], cwd=ROOT, capture_output=True,
                           text=True, timeout=300)
    assert probe.returncode == 0, probe.stderr[-2000:]
    loaded = dict(json.loads(line) for line in probe.stdout.splitlines() if line.startswith("["))
    assert loaded == {"home painted": False, "palette searched by qj": False, "a word the table lacks": True}


async def run_desk(folder: Path) -> None:
    """Sign a parts manager who speaks Chinese in on a small demo station and print, one JSON line per stage,
    whether pypinyin is loaded: home painted, the palette searched by "qj" (缺件 on top), then a word the table
    lacks given to the palette's initials (the subprocess of the test above)."""
    from textual.command import CommandList

    from core.services.operators import authenticate, set_language
    from data.db import Database
    from data.demo import DEMO_PIN, seed_demo
    from data.migrations import upgrade
    from screens.commands import initials
    from screens.home import HomeScreen
    from screens.workflows import WORKFLOWS
    from tui.app import PartsdeskApp

    database = Database(f"sqlite:///{folder / 'demo.sqlite'}")
    upgrade(database.engine)
    seed_demo(database, parts=20)
    with database.reading() as uow:
        manager = authenticate("PM1", DEMO_PIN, uow=uow)
    with database.writing() as uow:
        set_language("PM1", "zh_CN", actor=manager, uow=uow)

    def stage(name: str) -> None:
        print(json.dumps([name, "pypinyin" in sys.modules]), flush=True)

    app = PartsdeskApp(database=database, print_folder=folder / "prints")
    async with app.run_test(size=(120, 36)) as pilot:
        async def until(shown) -> None:
            for _ in range(3000):
                if shown():
                    return
                await pilot.pause(0.01)
            raise AssertionError("never shown")

        def settled() -> bool:
            return not any(worker.is_running for worker in app.workers)

        await until(lambda: app.database_ready and settled())
        await pilot.press(*"PM1", "enter", *DEMO_PIN, "enter")
        await until(lambda: isinstance(app.screen, HomeScreen) and settled())
        await pilot.pause()
        stage("home painted")
        shortages = next(workflow for workflow in WORKFLOWS if workflow.action == "shortages").shown_title()
        await pilot.press("ctrl+p")
        await pilot.press(*"qj")

        def offered() -> bool:
            found = app.screen.query(CommandList)
            if not found or found.first().highlighted is None:
                return False
            listed = found.first()
            return shortages in str(listed.get_option_at_index(listed.highlighted).prompt)

        await until(offered)
        stage("palette searched by qj")
        initials("重新读取订单")
        stage("a word the table lacks")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if sys.argv[1:2] == ["--probe"]:
        import asyncio

        asyncio.run(run_desk(Path(sys.argv[2])))
    else:
        write_table()
