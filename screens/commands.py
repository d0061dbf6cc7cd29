"""The command palette's desk commands: every described action of the screen, the footer's and those it has no
room for (or hides), so the palette reaches every key; a workflow once, by its titles in the workflow registry,
with its key.

A command is listed by its title in the active language and found by it, by its English words and, where the
title is Chinese, by the pinyin initials of it (缺件登记: "qjdj", "qj"), so a storekeeper finds "issue" or "缺件"
or "qj" alike. Textual's own system commands are listed in the active language too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, partial

from textual.app import SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from core.i18n import N_, _
from screens.key_words import binding_words, key_words
from screens.workflows import WORKFLOWS

_OURS = ("screens.", "tui.")

# Textual's own words where the desk shows them (the palette's key in the footer, its system commands), marked
# here for the catalogue: Textual does not translate them.
TEXTUAL_WORDS = {
    "palette": N_("palette"),
    "Open the command palette": N_("Open the command palette"),
    "Theme": N_("Theme"),
    "Change the current theme": N_("Change the current theme"),
    "Minimize": N_("Minimize"),
    "Minimize the widget and restore to normal size": N_("Minimize the widget and restore to normal size"),
    "Maximize": N_("Maximize"),
    "Maximize the focused widget": N_("Maximize the focused widget"),
    "Screenshot": N_("Screenshot"),
    "Save an SVG 'screenshot' of the current screen": N_("Save an SVG 'screenshot' of the current screen"),
}


def desk_key(node: object, binding: Binding) -> bool:
    """Whether a binding is one of the desk's keys worth listing: described, not Textual's system keys, and
    shown or declared by one of our classes (Textual's widgets bring hidden keys of their own: cursor moves,
    field editing, which neither the palette nor the help lists)."""
    if binding.system or not binding.description:
        return False
    if binding.show:
        return True
    for cls in type(node).__mro__:
        if cls.__module__.startswith(_OURS):
            for declared in cls.__dict__.get("BINDINGS", ()):
                if isinstance(declared, Binding) and declared.action == binding.action:
                    return True
    return False


@cache
def initials(text: str) -> str:
    """The pinyin initials of the Chinese in `text` (缺件登记 → "qjdj"), other characters as they are, lower case.

    The palette's own words come from a table generated from pypinyin (screens.pinyin_initials): pypinyin's
    dictionaries hold about 55 MB and a fifth of a second, so they are loaded only for a word the table lacks."""
    from screens.pinyin_initials import INITIALS  # on the palette's first use, like the palette itself

    if (known := INITIALS.get(text)) is not None:
        return known
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).lower()


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= character <= "\u9fff" for character in text)


def search_words(words: Iterable[str]) -> tuple[str, ...]:
    """What a command is found by: each of its words, and the pinyin initials of those in Chinese."""
    found = [word for word in words if word]
    found += [initials(word) for word in found if _has_chinese(word)]
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True, slots=True)
class DeskCommand:
    """One palette command: its title as listed, the help line, what it runs, and the words it is found by."""

    title: str
    help: str
    run: partial
    words: tuple[str, ...]

    def __iter__(self) -> Iterator:
        """(title, help, run), as a tuple of three."""
        return iter((self.title, self.help, self.run))

    def score(self, matcher) -> float:
        """How well what is typed matches: the best of its words (0: none)."""
        return max((matcher.match(word) for word in self.words), default=0)


class BindingCommands(Provider):
    """Offers each described, enabled key binding of the calling screen (and the app) as a palette command."""

    def _commands(self) -> Iterator[DeskCommand]:
        workflows = {workflow.action: workflow for workflow in WORKFLOWS}
        seen: set[tuple[int, str]] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not (active.enabled and desk_key(active.node, binding)):
                continue
            if (id(active.node), binding.action) in seen:  # one action bound to two keys
                continue
            seen.add((id(active.node), binding.action))
            key = self.app.get_key_display(binding)
            tooltip = key_words(binding.tooltip)
            help_text = f"{tooltip} · {key}" if tooltip else key
            title = binding_words(binding)
            words: tuple[str, ...] = (title, binding.description)
            if active.node is self.app and binding.id in workflows:
                chosen = workflows[binding.id]
                title, words = chosen.shown_title(), chosen.searched_titles()
            yield DeskCommand(title, help_text, partial(self.app.run_action, binding.action, active.node),
                              search_words(words))

    async def discover(self) -> Hits:
        """The commands shown before anything is typed."""
        for command in self._commands():
            yield DiscoveryHit(command.title, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        """The commands whose title, English words or pinyin initials fuzzy-match what is typed."""
        matcher = self.matcher(query)
        for command in self._commands():
            if (score := command.score(matcher)) > 0:
                shown = matcher.highlight(command.title) if matcher.match(command.title) else command.title
                yield Hit(score, shown, command.run, help=command.help)


def translated_system_commands(commands: Iterable[SystemCommand], keys_help) -> Iterator[SystemCommand]:
    """Textual's system commands in the active language; its Keys panel (which shows the keys' words as declared)
    is replaced by the desk's keys dialog (`keys_help`), and its Quit left out (the desk's comes from its
    bindings)."""
    for command in commands:
        if command.title == "Quit":
            continue
        if command.title == "Keys":
            yield SystemCommand(_("Keys"), _("Every key of this screen, with what it does"), keys_help)
            continue
        yield SystemCommand(key_words(TEXTUAL_WORDS.get(command.title, command.title)),
                            key_words(TEXTUAL_WORDS.get(command.help, command.help)), command.callback,
                            command.discover)

