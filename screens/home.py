"""Home: who is signed in, with which roles, and the workflows the desk offers today."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from core.i18n import _
from core.roles import ROLE_TITLES, Role

# (app action, title, what it is for): only workflows that work now; receiving, the counter and
# planning join this list when they exist.
WORKFLOWS = (
    ("lookup", lambda: _("Part lookup"), lambda: _("find a part by number or name, or scan it; see its lots")),
)


class HomeScreen(Screen[None]):
    """The signed-in operator and the workflows to choose from."""

    AUTO_FOCUS = "#workflows"

    def compose(self) -> ComposeResult:
        """Operator, roles and the workflow list."""
        actor = self.app.actor
        yield Header()
        with Vertical(id="home-body"):
            yield Static(_("Signed in"), classes="heading")
            yield Static(f"{actor.code}  {actor.name}", id="home-operator")
            yield Static("\n".join(role_line(role) for role in Role if role in actor.roles), id="home-roles")
            yield Static(_("Workflows"), classes="heading")
            yield OptionList(id="workflows")
        yield Footer()

    def on_mount(self) -> None:
        """Fill the workflow list, each with the key that opens it from anywhere."""
        keys = self._keys()
        options = []
        for action, title, purpose in WORKFLOWS:
            line = Text.assemble((title(), "bold"), "  ", (keys.get(action, ""), "bold"), "  ", (purpose(), "dim"))
            options.append(Option(line, id=action))
        self.query_one("#workflows", OptionList).add_options(options)

    def _keys(self) -> dict[str, str]:
        """The key each action is bound to, as the footer shows it (keymaps included)."""
        keys: dict[str, str] = {}
        for _node, binding, _enabled, _tooltip in self.active_bindings.values():
            keys.setdefault(binding.action, self.app.get_key_display(binding))
        return keys

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a workflow runs the app action it names."""
        if event.option.id:
            await self.app.run_action(event.option.id)


def role_line(role: Role) -> str:
    """A role as the desk shows it: English title, then the Chinese title staff use."""
    english, chinese = ROLE_TITLES[role]
    return f"{_(english)}  {chinese}"
