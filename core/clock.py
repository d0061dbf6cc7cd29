"""The one source of "now": services ask this module, tests and demos set it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


class SystemClock:
    """Wall-clock time in UTC."""

    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        return datetime.now(timezone.utc)


class FixedClock:
    """A clock that stands still until told to move: for tests, snapshots and the demo seed."""

    def __init__(self, at: datetime) -> None:
        self.at = _aware(at)

    def now(self) -> datetime:
        """The instant the clock is set to."""
        return self.at

    def set(self, at: datetime) -> None:
        """Move the clock to an instant."""
        self.at = _aware(at)

    def advance(self, **delta: float) -> None:
        """Move the clock forward, e.g. advance(minutes=5)."""
        self.at = self.at + timedelta(**delta)


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


_clock: SystemClock | FixedClock = SystemClock()


def now() -> datetime:
    """The current instant from the active clock (timezone-aware UTC)."""
    return _clock.now()


def set_clock(clock: SystemClock | FixedClock) -> SystemClock | FixedClock:
    """Install a clock and return the one it replaces."""
    global _clock
    previous, _clock = _clock, clock
    return previous
