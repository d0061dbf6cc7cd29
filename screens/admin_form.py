"""A small form over the administration screen (an operator, a setting, a supplier, a backup file): one labelled
line per field, or a list to tick choices in (an operator's roles, by their labels); Enter moves on and F9 (or Enter
on the last field) saves through one core service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, SelectionList, Static

from core.i18n import N_, _
from screens import keys
from screens.widgets.dialogs import Dialog
from screens.widgets.footer import Footer


@dataclass(frozen=True, slots=True)
class FormField:
    """One line of a form: the name the core's refusal names it by (BadInput.field), its label and first value."""

    name: str
    label: str
    value: str = ""
    password: bool = False
    placeholder: str = ""
    max_length: int = 200
    fixed: bool = False  # shown, not changed (a part's number once it exists)
    # A list of choices to tick instead of a line to type: (value, label) each; `chosen` the values ticked first.
    # Its value is the tuple of the values ticked, in the choices' order.
    choices: tuple[tuple[str, str], ...] = ()
    chosen: tuple[str, ...] = ()
    single: bool = False  # at most one choice ticked (a language): ticking one unticks the others


class ChoiceList(SelectionList[str]):
    """A form's choices by their labels: space ticks or unticks the highlighted one, Enter moves on as in a line."""

    BINDINGS = [
        Binding("space", "select", N_("Tick"), id="choice_tick", tooltip=N_("Tick or untick the highlighted choice")),
        Binding(keys.OPEN, "submit", N_("Next field"), id="choice_next",
                tooltip=N_("Keep the choices ticked and go to the next field")),
    ]

    class Done(Message):
        """Enter in the list: the form goes to its next field."""

        def __init__(self, choices: ChoiceList) -> None:
            """Enter pressed in `choices`."""
            super().__init__()
            self.choices = choices

        @property
        def control(self) -> ChoiceList:
            """The list (so a handler can be chosen by its id)."""
            return self.choices

    def __init__(self, *selections, single: bool = False, **kwargs) -> None:
        """Choices as SelectionList takes them; with `single`, ticking one unticks the one ticked before."""
        super().__init__(*selections, **kwargs)
        self.single = single

    @on(SelectionList.SelectionToggled)
    def _one_only(self, event: SelectionList.SelectionToggled) -> None:
        if not self.single:
            return
        value = event.selection.value
        if value in self.selected:
            for other in list(self.selected):
                if other != value:
                    self.deselect(other)

    def action_submit(self) -> None:
        """On to the next field."""
        self.post_message(self.Done(self))

    def ticked(self) -> tuple[str, ...]:
        """The values ticked, in the choices' order."""
        chosen = set(self.selected)
        return tuple(self.get_option_at_index(index).value for index in range(self.option_count)
                     if self.get_option_at_index(index).value in chosen)


class FormDialog(Dialog[Any]):
    """Fields in a column; the result is what `work(values, uow)` returned, the form stays on a refusal."""

    DEFAULT_CLASSES = "form-dialog admin-form"
    BINDINGS = [Binding(keys.COMMIT, "save", N_("Save"), id="form_save", tooltip=N_("Save what the form says"))]

    def __init__(self, title: str, fields: tuple[FormField, ...], work: Callable[[dict[str, Any], Any], Any], *,
                 summary: str = "") -> None:
        """A form titled `title`; `summary` says what saving does."""
        super().__init__()
        self.title_text, self.fields, self.work, self.summary = title, fields, work, summary
        # A refusal about one field puts the cursor on it.
        self.FIELDS = {field.name: f"#form-{field.name}" for field in fields}

    def compose(self) -> ComposeResult:
        """Title, what saving does, a labelled line per field and the message line."""
        with Vertical(id="form"):
            yield Static(Text(self.title_text), classes="form-title")
            if self.summary:
                yield Static(Text(self.summary), classes="form-hint")
            for field in self.fields:
                if field.choices:
                    with Horizontal(classes="form-line form-choices"):
                        yield Label(field.label, classes="form-label")
                        yield ChoiceList(*((label, value, value in field.chosen) for value, label in field.choices),
                                         id=f"form-{field.name}", compact=True, single=field.single)
                    continue
                with Horizontal(classes="form-line"):
                    yield Label(field.label, classes="form-label")
                    yield Input(value=field.value, id=f"form-{field.name}", password=field.password,
                                placeholder=field.placeholder, max_length=field.max_length, compact=True,
                                select_on_focus=True, disabled=field.fixed)
            yield from self.more()
            yield self.message_line(_("Enter moves on; F9 or Enter on the last line saves · Escape cancels"))
        yield Footer()

    def more(self) -> ComposeResult:
        """What a form adds under its lines (check boxes)."""
        yield from ()

    def on_mount(self) -> None:
        """The cursor in the first field that can change."""
        first = next(field for field in self.fields if not field.fixed)
        self.set_focus(self.query_one(f"#form-{first.name}"))

    @on(Input.Submitted)
    @on(ChoiceList.Done)
    def _next(self, event: Input.Submitted | ChoiceList.Done) -> None:
        names = [field.name for field in self.fields]
        index = names.index((event.control.id or "")[len("form-"):])
        if index + 1 < len(names):
            self.set_focus(self.query_one(f"#form-{names[index + 1]}"))
        else:
            self.action_save()

    def values(self) -> dict[str, Any]:
        """What each field holds now, by its name: a line's text, a list's values ticked (a tuple)."""
        return {field.name: self.query_one(f"#form-{field.name}", ChoiceList).ticked() if field.choices
                else self.query_one(f"#form-{field.name}", Input).value for field in self.fields}

    def action_save(self) -> None:
        """Save through the core service; a refusal is said here and the cursor goes to its field."""
        values, work = self.values(), self.work
        self.confirm(lambda uow: work(values, uow))
