"""The desk's fixed costs: a new screen's footer composes its keys once for the changes of bindings the screen
goes through (mount, focus, first read), then only when the keys it shows change; the start-up's objects are
frozen out of the garbage collector's full collections."""

from __future__ import annotations

from core.roles import Role
from screens import keys
from screens.receiving import ReceivingScreen
from screens.widgets.footer import Footer
from tests.helpers.tui import make_app, settle, sign_in


async def test_a_new_screens_footer_composes_once_per_change_of_its_keys(db, staff, monkeypatch):
    composed: list[tuple] = []
    compose = Footer.compose

    def counted(self):
        if self._bindings_ready:  # before, it composes nothing
            composed.append(self._signature(self._choose(self.size.width or self.app.size.width)))
        return compose(self)

    monkeypatch.setattr(Footer, "compose", counted)
    app = make_app(db)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, Role.STOREKEEPER)
        composed.clear()
        # Receiving, a screen built on its key (the lookup is built while home shows: screens.lookup).
        await pilot.press(keys.RECEIVING)
        await settle(pilot)
        assert isinstance(app.screen, ReceivingScreen)
        shown = list(composed)
        # Each composition shows other keys than the one before: none composed the same keys again.
        assert shown and all(before != after for before, after in zip(shown, shown[1:], strict=False)), shown
        assert app.screen.query_one(Footer)._shown == shown[-1]


async def test_a_footer_whose_screen_closed_before_it_composed_again_is_left_alone(db, staff):
    app = make_app(db)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, Role.STOREKEEPER)
        await pilot.press(keys.LOOKUP, keys.BACK, keys.SIGN_OUT)  # the lookup closed before its footer recomposed
        await settle(pilot)
        assert app.screen.__class__.__name__ == "LoginScreen"
    assert app.return_code in (None, 0)  # no error stopped the app


async def test_the_start_ups_objects_are_frozen_out_of_the_collectors_way_once_the_database_is_open(db):
    import gc

    app = make_app(db)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.database_ready
        assert gc.get_freeze_count() > 0
