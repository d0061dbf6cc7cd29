"""Counts read singular or plural in English (one form in Chinese), and the words with two meanings read as the
translators asked in Chinese: a column's or a field's meaning by its context, a key's as the plain word."""

from __future__ import annotations

import pytest

from core.i18n import CHINESE, ENGLISH, _, ngettext, pgettext, use_language
from core.tabular import BadInput, map_columns

COLUMNS = {"part_no": ("part_no",), "qty": ("qty",), "unit": ("unit",)}


def _lacking(headers: list[str]) -> str:
    with pytest.raises(BadInput) as caught:
        map_columns(headers, COLUMNS, ("part_no", "qty", "unit"), "stock.csv")
    return str(caught.value)


def test_a_file_lacking_one_column_says_column_and_two_say_columns():
    assert _lacking(["part_no", "qty"]).startswith("stock.csv lacks the column unit;")
    assert _lacking(["part_no"]).startswith("stock.csv lacks the columns qty, unit;")


def test_english_counts_read_one_line_and_two_lines():
    assert ngettext("{lines} line", "{lines} lines", 1).format(lines=1) == "1 line"
    assert ngettext("{lines} line", "{lines} lines", 2).format(lines=2) == "2 lines"
    assert ngettext("{days} day", "{days} days", 0).format(days=0) == "0 days"


@pytest.fixture
def chinese():
    """The real zh_CN catalogue active for one test, English again after it."""
    use_language(CHINESE)
    try:
        yield
    finally:
        use_language(ENGLISH)


def test_chinese_has_one_form_for_every_count(chinese):
    one = ngettext("{count} order in transit", "{count} orders in transit", 1).format(count=1)
    many = ngettext("{count} order in transit", "{count} orders in transit", 3).format(count=3)
    assert (one, many) == ("1 张订单在途", "3 张订单在途")


@pytest.mark.parametrize(("context", "word", "key", "column"), [
    ("column", "New", "新建", "新值"),  # the repair-order board's key; the audit's new value
    ("return_column", "Back", "返回", "已退"),  # the footer's go back; the return dialog's quantity returned
    ("column", "Open", "打开", "未到"),  # the footer's open; the order slip's not yet received
    ("field", "Record", "记录", "记录单号"),  # the box check's key; the discrepancy record's number
    ("date", "Received", "已到", "到货日期"),  # the order slip's received quantity; a lot's date
    ("slip_title", "Return", "退料", "退料单"),  # the counter's key; the return slip's title
    ("column", "Tech", "指派", "维修工"),  # the board's assign key; the technician column
])
def test_a_word_with_two_meanings_reads_by_its_context_in_chinese(chinese, context, word, key, column):
    assert (_(word), pgettext(context, word)) == (key, column)


def test_the_return_dialogs_open_quantity_is_not_the_order_slips(chinese):
    assert pgettext("return_column", "Open") == "未退"
