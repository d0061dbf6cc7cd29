"""The command palette's desk commands: every described action of the screen, the footer's and those it has no
room for (or hides), so the palette reaches every key; a workflow once, by its titles in the workflow registry,
with its key."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from screens.workflows import WORKFLOWS

_OURS = ("screens.", "tui.")
_WORKFLOW_TITLES = {workflow.action: workflow.palette_title for workflow in WORKFLOWS}


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


class BindingCommands(Provider):
    """Offers each described, enabled key binding of the calling screen (and the app) as a palette command."""

    def _commands(self) -> Iterator[tuple[str, str, partial]]:
        seen: set[tuple[int, str]] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not (active.enabled and desk_key(active.node, binding)):
                continue
            if (id(active.node), binding.action) in seen:  # one action bound to two keys
                continue
            seen.add((id(active.node), binding.action))
            key = self.app.get_key_display(binding)
            help_text = f"{binding.tooltip} · {key}" if binding.tooltip else key
            title = binding.description
            if active.node is self.app and binding.id in _WORKFLOW_TITLES:
                title = _WORKFLOW_TITLES[binding.id]
            yield title, help_text, partial(self.app.run_action, binding.action, active.node)

    async def discover(self) -> Hits:
        """The commands shown before anything is typed."""
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        """The commands whose title fuzzy-matches what is typed."""
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            if (score := matcher.match(title)) > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
