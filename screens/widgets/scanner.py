"""Telling a barcode scanner from a person typing: a scanner sends its code and Enter in one fast burst."""

from __future__ import annotations

from time import monotonic
from typing import Generic, TypeVar

# Shorter than any code the desk prints: two keys and Enter are a person, not a label.
MIN_CODE_LENGTH = 3
DEFAULT_GAP = 0.060  # seconds; the scan_gap_ms setting replaces it at sign-in

KeyType = TypeVar("KeyType")


class ScanReader(Generic[KeyType]):
    """Holds the printable keys no field took while they may still be a scan: keys closer together than `gap`
    seconds are one burst, and an Enter right behind a burst of at least MIN_CODE_LENGTH characters ends a scan.

    Nothing is used up on a guess: keys that turn out not to be a scan (a slow key, another key, no Enter in
    time) are given back, in order, to run as the keystrokes they were; only a whole scan is used up.

    The times are the keys' own (when the terminal delivered them), not when the app got round to them:
    a person typing into a busy app is still slow, a scanner still fast.
    """

    def __init__(self, gap: float = DEFAULT_GAP) -> None:
        """A reader holding nothing."""
        self.gap = gap
        self._held: list[tuple[str, float, KeyType]] = []
        self.held_since = 0.0  # when (this process's clock) the last key was held, for giving keys back in time

    @property
    def holding(self) -> bool:
        """Whether keys are held."""
        return bool(self._held)

    def continues(self, at: float) -> bool:
        """Whether a key typed at time `at` continues the keys held (or there are none to continue)."""
        return not self._held or 0 <= at - self._held[-1][1] <= self.gap

    def key(self, character: str, at: float, key: KeyType) -> None:
        """Hold a printable key typed at time `at` (give the keys it does not continue back first)."""
        self._held.append((character, at, key))
        self.held_since = monotonic()

    def enter(self, at: float) -> str | None:
        """Enter at time `at`: the code if it ends a scan (the keys are used up), else None (the keys stay held, to
        be given back before the Enter)."""
        if len(self._held) >= MIN_CODE_LENGTH and self.continues(at):
            code = "".join(character for character, _at, _key in self._held)
            self._held = []
            return code
        return None

    def give_back(self) -> list[KeyType]:
        """The keys held, oldest first; the reader holds nothing after."""
        keys = [key for _character, _at, key in self._held]
        self._held = []
        return keys
