"""Telling a barcode scanner from a person typing: a scanner sends its code and Enter in one fast burst."""

from __future__ import annotations

# Shorter than any code the desk prints: two keys and Enter are a person, not a label.
MIN_CODE_LENGTH = 3
DEFAULT_GAP = 0.060  # seconds; the scan_gap_ms setting replaces it at sign-in


class ScanReader:
    """Collects the printable keys no field took; keys closer together than `gap` seconds are one burst, and
    an Enter right behind a burst of at least MIN_CODE_LENGTH characters ends a scan.

    The times are the keys' own (when the terminal delivered them), not when the app got round to them:
    a person typing into a busy app is still slow, a scanner still fast.
    """

    def __init__(self, gap: float = DEFAULT_GAP) -> None:
        """A reader with nothing collected."""
        self.gap = gap
        self._chars: list[str] = []
        self._last: float | None = None

    def key(self, character: str, at: float) -> bool:
        """A printable key at time `at`; True when it continues a burst (so it is the scanner's, not a command)."""
        burst = bool(self._chars) and self._last is not None and 0 <= at - self._last <= self.gap
        if not burst:
            self._chars = []
        self._chars.append(character)
        self._last = at
        return burst

    def enter(self, at: float) -> str | None:
        """Enter at time `at`: the code if it ends a scan, else None (a person's Enter, for whatever has focus)."""
        chars, last = self._chars, self._last
        self.reset()
        if len(chars) >= MIN_CODE_LENGTH and last is not None and 0 <= at - last <= self.gap:
            return "".join(chars)
        return None

    def reset(self) -> None:
        """Forget what was collected (any other key breaks a burst)."""
        self._chars = []
        self._last = None
