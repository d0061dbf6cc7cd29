"""PINs are kept only as salted scrypt hashes."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from core.errors import BadInput
from core.i18n import _

# scrypt cost: about 40 ms a check here; a PIN is short, so the cost is what protects it.
_N, _R, _P = 2**14, 8, 1
_PIN = re.compile(r"^\d{4,12}$")

# After this many wrong PINs in a row an operator is locked; each lockout in a row locks for longer:
# a script that tried 33 PINs a second now tries 5 in the first minute and 5 every 15 minutes after.
WRONG_PINS_BEFORE_LOCK = 5
_LOCK_MINUTES = (1, 5, 15)


def lockout_delay(lockouts: int) -> timedelta:
    """How long the n-th lockout in a row (counted from 1) lasts: 1 minute, then 5, then 15 each time after."""
    return timedelta(minutes=_LOCK_MINUTES[min(max(lockouts, 1), len(_LOCK_MINUTES)) - 1])


def validate_pin(pin: str) -> str:
    """A PIN is 4 to 12 digits."""
    if not _PIN.match(pin or ""):
        raise BadInput(_("a PIN is 4 to 12 digits"))
    return pin


def validate_new_pin(pin: str, again: str) -> str:
    """A new PIN typed twice: the same both times, and a valid PIN."""
    if (pin or "") != (again or ""):
        raise BadInput(_("the two PINs differ: type the same PIN twice"), field="again")
    return validate_pin(pin)


def hash_pin(pin: str) -> str:
    """A self-describing salted scrypt hash of the PIN."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def check_pin(pin: str, stored: str) -> bool:
    """Whether the PIN matches the stored hash, compared in constant time."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(
        (pin or "").encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=len(digest) // 2
    )
    return hmac.compare_digest(candidate.hex(), digest)
