"""The desk's one key map: the keys that work on every screen, and the conventions every screen's own keys follow.

Every binding in screens/ and tui/ takes its key from here where the key has a meaning beyond one screen;
tests/test_key_map.py checks that no screen, dialog or widget binds an app-wide key, that no class binds one
key to two actions, that the conventions hold, and that the app-wide keys reach every screen unshadowed. The
README's key map is this module (and each screen's own keys) in a table.
"""

from __future__ import annotations

# -- app-wide: the app's own bindings, never bound by a screen, a dialog or a widget ---------------------------

# The workflows' keys: each row of the workflow registry (screens.workflows) names its own, and the registry's
# APP_WIDE adds them to the keys below; a new workflow takes a free key in its row.
LOOKUP = "f2"
COUNTER = "f3"
REPAIR_ORDERS = "f4"
RECEIVING = "f6"
REVIEW = "f7"
SHORTAGES = "f8"
AUDIT = "f11"
STOCKTAKE = "f13"  # shift+F1 on a terminal
REPORTS = "f15"  # shift+F3 as terminals send it
SALES = "f14"  # shift+F2: counter sales to walk-in customers and other workshops
PLANNING = "f16"  # shift+F4: the planner's draft, orders and goods in transit
CLAIMS = "f17"  # shift+F5: claims to suppliers and carriers, sent, settled or rejected
ADMIN = "f18"  # shift+F6: operators, settings, the printer, backup
# Print what the screen shows (its document, its list, its label): one app binding that runs the screen's
# `action_print`, hidden where the screen has nothing to print.
PRINT = "f10"
GO_TO_CODE = "ctrl+g"
SIGN_OUT = "f12"
QUIT = "ctrl+q"
PALETTE = "ctrl+p"  # Textual's command palette (App.COMMAND_PALETTE_BINDING)
# Every key of the screen, listed (screens.help): the footer shows only those that fit. "?" too where no text
# field has the focus (a field takes it as a character).
HELP = "f1"
HELP_MARK = "question_mark"
# And the workflows' keys (screens.workflows.APP_WIDE).
APP_KEYS = frozenset({PRINT, GO_TO_CODE, SIGN_OUT, QUIT, PALETTE, HELP, HELP_MARK})

# -- conventions for a screen's own keys ----------------------------------------------------------------------

BACK = "escape"  # back to the screen before; cancel or close a dialog
REFRESH = "f5"  # read the list again
COMMIT = "f9"  # the screen's main commit: issue, take back, open the new order, register the shortage, post
NEW = "ctrl+n"  # a new document: a repair order, a shipment
OPEN = "enter"  # open the row under the cursor; submit the field
# The sign-in's switch between Chinese and English: bound by the login only, and free on every screen and in every
# Textual widget the desk uses (the F-keys and the mnemonic ctrl+l are taken).
LANGUAGE = "ctrl+y"
# Parts from a new vehicle (拆新车), from the lookup and from receiving: over a field's ctrl+t (transpose), which is
# no text editing the desk uses.
VEHICLE = "ctrl+t"
# The transfer notes, from receiving: a letter would go into its receipt-number field.
TRANSFERS = "ctrl+o"
# Single letters only where no text field can have the focus, or on the table widget that has it: a field
# takes printable keys, and a scan's keys never run a letter key (the app reads them as a scan).


def label(key: str) -> str:
    """A key as the desk's messages and the footer name it: F9, ctrl+r, and ⇧F1 for F13 (what a terminal sends
    for shift+F1: the keys a person presses, not the name the terminal gives them)."""
    if key[:1] == "f" and key[1:].isdigit():
        number = int(key[1:])
        return f"⇧F{number - 12}" if 13 <= number <= 24 else key.upper()
    return key


def shifted_display(key: str) -> str | None:
    """How the footer, home and the palette show a shifted F-key (⇧F1 for F13); None for any other key, which
    Textual shows well by itself."""
    shown = label(key)
    return shown if shown.startswith("⇧") else None
