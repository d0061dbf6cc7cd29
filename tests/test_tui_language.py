"""The desk's language in the TUI: no message frozen at import, the sign-in in the station's language with a key
to switch, the operator's language from sign-in to sign-out, and the palette finding Chinese titles by pinyin."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from rich.text import Text
from textual.binding import Binding
from textual.command import CommandInput
from textual.widgets import Input, OptionList, Static

import screens
import tui
from core.i18n import CHINESE, ENGLISH, N_, language, use_language
from core.roles import Role
from screens import keys
from screens.commands import BindingCommands, initials
from screens.home import HomeScreen
from screens.login import LoginScreen
from screens.widgets.calls import ServiceCalls
from screens.widgets.footer import Footer
from screens.widgets.tables import Column
from screens.workflows import workflow
from tests.helpers.languages import give_operator_language, give_station_language, use_catalogue, write_catalogue
from tests.helpers.tui import SIZE, make_app, screen_text, settle, sign_in, until

REPO = Path(__file__).resolve().parent.parent


def _module_level_translations(path: Path) -> list[int]:
    """The lines where `_()` runs when the module is imported: outside any function body (class bodies,
    constants, default arguments and decorators included)."""
    found: list[int] = []

    def visit(node: ast.AST, deferred: bool) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            arguments = node.args
            for evaluated in [*getattr(node, "decorator_list", ()), *arguments.defaults,
                              *(d for d in arguments.kw_defaults if d is not None)]:
                visit(evaluated, deferred)
            for statement in node.body if isinstance(node.body, list) else [node.body]:
                visit(statement, True)
            return
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_"
                and not deferred):
            found.append(node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child, deferred)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def test_no_screen_translates_a_message_when_it_is_imported():
    # A message translated at import is frozen in the language active then: mark it with N_ and translate it
    # where it is shown (core.i18n).
    modules = [*sorted((REPO / "screens").rglob("*.py")), REPO / "tui" / "app.py"]
    frozen = {str(path.relative_to(REPO)): lines for path in modules if (lines := _module_level_translations(path))}
    assert frozen == {}


def test_the_scan_finds_translations_at_import(tmp_path):
    module = tmp_path / "module.py"
    module.write_text('A = _("a")\nclass B:\n    C = [_("c")]\n    def d(self, e=_("e")):\n        return _("f")\n'
                      'g = lambda: _("g")\n')
    assert _module_level_translations(module) == [1, 3, 4]


def test_the_language_key_is_the_sign_ins_alone():
    # Free everywhere else, so that it never means two things to a hand that learnt it at the sign-in.
    for package in (screens, tui):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            importlib.import_module(module.name)
    binding = sorted({cls.__name__ for name, module in list(sys.modules.items())
                      if name.startswith(("screens.", "tui.")) for cls in vars(module).values()
                      if isinstance(cls, type) and cls.__module__ == name
                      and any(b.key == keys.LANGUAGE for b in Binding.make_bindings(cls.__dict__.get("BINDINGS", [])))})
    assert binding == ["LoginScreen"]


def test_a_column_title_is_translated_when_shown(zh_catalogue):
    plain, right = Column("name", N_("Part lookup"), 10), Column("qty", Text(N_("Receiving"), justify="right"), 8)
    assert plain.shown_title() == "Part lookup"
    use_language(CHINESE)
    assert plain.shown_title() == "零件查询"
    assert right.shown_title().plain == "入库" and right.shown_title().justify == "right"


def test_a_screens_fault_is_worded_in_the_language_of_the_moment(tmp_path, monkeypatch):
    use_catalogue(monkeypatch, write_catalogue(tmp_path, {"the database refused: {error}": "数据库拒绝：{error}"}))

    class Probe(ServiceCalls):
        FAULT = N_("the database refused: {error}")
        log = SimpleNamespace(error=lambda *_args: None)

        def __init__(self) -> None:
            self.said: list[str] = []

        def say(self, message: str, kind: str = "") -> None:
            self.said.append(message)

    probe = Probe()
    probe.show_error(OSError("disk full"))
    use_language(CHINESE)
    probe.show_error(OSError("disk full"))
    assert probe.said == ["the database refused: disk full", "数据库拒绝：disk full"]


def test_pinyin_initials():
    assert initials("缺件登记") == "qjdj"
    assert initials("入库 RCV") == "rk rcv"


async def test_the_notice_of_a_station_without_operators_is_in_the_stations_language(db, zh_catalogue,
                                                                                     monkeypatch):
    import tui.app

    monkeypatch.setattr(tui.app, "station_language", lambda uow: CHINESE)  # no admin yet to set the setting
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await until(pilot, lambda: "本服务站还没有操作员" in screen_text(app), "the notice in Chinese")


def _footer(app) -> str:
    return " ".join(str(key.description) for key in app.screen.query_one(Footer).children)


async def test_the_sign_in_speaks_the_stations_language_and_its_key_switches(db, staff, zh_catalogue):
    give_station_language(db, staff, CHINESE)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await until(pilot, lambda: language() == CHINESE, "the station's language")
        assert "登录备件前台" in screen_text(app) and "操作员代码" in screen_text(app)
        assert "中文 / English" in _footer(app) and "退出" in _footer(app)
        await pilot.press(*"STORE1")
        await pilot.press(keys.LANGUAGE)
        await until(pilot, lambda: "Sign in to the parts desk" in screen_text(app), "the sign-in in English")
        assert language() == ENGLISH
        assert "Quit" in _footer(app) and "退出" not in _footer(app)
        assert app.screen.query_one("#code", Input).value == "STORE1"  # what was typed stays
        await pilot.press(keys.LANGUAGE)
        await until(pilot, lambda: "登录备件前台" in screen_text(app), "the sign-in in Chinese again")


async def test_signing_in_speaks_the_operators_language_and_signing_out_the_stations(db, staff, zh_catalogue):
    give_station_language(db, staff, ENGLISH)
    give_operator_language(db, staff, Role.PARTS_MANAGER, CHINESE)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Sign in to the parts desk" in screen_text(app)
        await sign_in(pilot, Role.PARTS_MANAGER)
        assert isinstance(app.screen, HomeScreen)
        assert language() == CHINESE
        assert app.screen.query_one("#home-signed-in", Static).content == "已登录"
        workflows = app.screen.query_one("#workflows", OptionList)
        titles = [str(workflows.get_option_at_index(i).prompt) for i in range(workflows.option_count)]
        assert titles[0].startswith("零件查询") and any(title.startswith("缺件登记") for title in titles)
        footer = _footer(app)
        assert "退出登录" in footer and "按键" in footer and "Sign out" not in footer
        await pilot.press(keys.SIGN_OUT)
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen) and language() == ENGLISH
        assert "Sign in to the parts desk" in screen_text(app) and "Quit" in _footer(app)
        # Another operator, with no language of Chinese: the desk stays in the station's English.
        await sign_in(pilot, Role.STOREKEEPER)
        assert language() == ENGLISH and "Sign out" in _footer(app)


@pytest.mark.parametrize("catalogue", ["test", "real"])
async def test_the_palette_finds_a_chinese_title_by_its_pinyin_initials_and_its_english(db, staff, request,
                                                                                       catalogue):
    if catalogue == "test":
        request.getfixturevalue("zh_catalogue")
    give_operator_language(db, staff, Role.PARTS_MANAGER, CHINESE)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.PARTS_MANAGER)
        provider = BindingCommands(app.screen)
        shortages = workflow("shortages").shown_title()  # 缺件登记 in the test catalogue, 缺件 in the real one
        assert shortages.startswith("缺件")

        async def found(query: str) -> list[str]:
            return [str(hit.text) async for hit in provider.search(query)]

        for query in ("qj", "缺件", "shortages"):
            assert shortages in await found(query), query
        assert shortages not in await found("rk")  # 入库 is found by rk, not the shortages
        # The palette itself: "qj" typed, the shortages on top, Enter opens them.
        await pilot.press(keys.PALETTE)
        await pilot.pause()
        assert app.screen.query_one(CommandInput).placeholder == "搜索命令…"
        await pilot.press(*"qj")
        await until(pilot, lambda: _palette_offers(app, shortages), "the palette's search")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ShortagesScreen"


def _palette_offers(app, words: str) -> bool:
    """Whether the command palette's highlighted result is the command named by `words` (its search is done)."""
    from textual.command import CommandList

    found = app.screen.query(CommandList)
    if not found or found.first().highlighted is None:
        return False
    commands = found.first()
    return words in str(commands.get_option_at_index(commands.highlighted).prompt)
