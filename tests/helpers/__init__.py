"""What the tests share, one module per subject (staff, station, counter, cli, tui, ...); the names most tests
use are here too, so `from tests.helpers import add_parts, receive, assert_books_agree` reads as before.

Tests import helpers from here and fixtures come from conftest.py: no test module imports another.
"""

from tests.helpers.counter import VIN, drive, issue, open_order, order_in, tables_now, take_back
from tests.helpers.staff import CODES, FROZEN, PIN, make_staff
from tests.helpers.station import PARTS, SAMPLES, add_parts, assert_books_agree, receive

__all__ = [
    "CODES", "FROZEN", "PARTS", "PIN", "SAMPLES", "VIN", "add_parts", "assert_books_agree", "drive", "issue",
    "make_staff", "open_order", "order_in", "receive", "tables_now", "take_back",
]
