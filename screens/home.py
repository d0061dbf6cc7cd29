"""Home: who is signed in, with which roles, and the workflows the desk offers today."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from core.access import todo_sections
from core.i18n import N_, _
from core.labels import ROLE, label
from core.roles import Role
from screens.dashboard import ALL_KEY, Dashboard
from screens.widgets.footer import Footer
from screens.workflows import WORKFLOWS, open_workflow


class HomeScreen(Screen[None]):
    """The signed-in operator and the workflows to choose from."""

    AUTO_FOCUS = "#workflows"
    # The footer's first keys on a narrow terminal (screens.widgets.footer): part lookup, the counter's most used key,
    # before home's own; the other workflows are listed on home itself.
    FOOTER_FIRST = ("lookup",)
    # A letter: home has no text field.
    BINDINGS = [Binding("d", "dashboard", N_("To do"), id="dashboard",
                        tooltip=N_("Move to what waits for you: shortages, receipts, late orders, drafts")),
                # The dashboard shows the first items; this is everything, a page at a time.
                Binding(ALL_KEY, "all_todo", N_("All to do"), id="all_todo",
                        tooltip=N_("Everything that waits for you, in one list read a page at a time"))]

    def compose(self) -> ComposeResult:
        """Operator, roles and the workflow list."""
        actor = self.app.actor
        yield Header()
        with Vertical(id="home-body"):
            yield Static(_("Signed in"), classes="heading", id="home-signed-in")
            yield Static(f"{actor.code}  {actor.name}", id="home-operator")
            yield Static("\n".join(role_line(role) for role in Role if role in actor.roles), id="home-roles")
            yield Static(_("Workflows"), classes="heading")
            yield OptionList(id="workflows")
            yield Dashboard(id="dashboard")
        yield Footer()

    def on_mount(self) -> None:
        """Fill the workflow list (screens.workflows), each with the key that opens it from anywhere."""
        actor, keys = self.app.actor, self._keys()
        options = []
        for workflow in WORKFLOWS:
            if not workflow.allows(actor):  # a workflow the operator's roles do not allow
                continue
            line = Text.assemble((workflow.shown_title(), "bold"), "  ", (keys.get(workflow.action, ""), "bold"), "  ",
                                 (workflow.shown_purpose(), "dim"))
            options.append(Option(line, id=workflow.action))
        self.query_one("#workflows", OptionList).add_options(options)
        # The lookup (F2, the most used key) built while the operator reads home, not when the key is pressed.
        self.call_after_refresh(self._prepare_lookup)

    def _prepare_lookup(self) -> None:
        from screens.lookup import prepare_lookup  # here: home paints before the lookup's modules load

        prepare_lookup(self.app)

    def _keys(self) -> dict[str, str]:
        """The key of each binding id, as the footer shows it (keymaps included)."""
        keys: dict[str, str] = {}
        for _node, binding, _enabled, _tooltip in self.active_bindings.values():
            if binding.id:
                keys.setdefault(binding.id, self.app.get_key_display(binding))
        return keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The dashboard's key only for an operator whose roles have a dashboard."""
        if action in ("dashboard", "all_todo"):
            return self.app.actor is not None and bool(todo_sections(self.app.actor))
        return True

    def action_dashboard(self) -> None:
        """Move into the dashboard's items (Escape there goes back to the workflows)."""
        self.query_one(Dashboard).focus_items()

    def action_all_todo(self) -> None:
        """Everything waiting, in the full list (screens.todo)."""
        from screens.todo import TodoScreen

        self.app.push_screen(TodoScreen())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a workflow opens it."""
        if event.option.id:
            open_workflow(self.app, event.option.id)


def role_line(role: Role) -> str:
    """A role as the desk shows it, in the active language."""
    return label(ROLE, role)
