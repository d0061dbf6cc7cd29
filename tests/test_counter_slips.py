"""The printable requisition and return slips (the structured documents as fixed-width text): what they carry,
and columns that stay aligned whatever mix of Chinese (two columns a character) and Latin the names hold."""

from __future__ import annotations

import re

import pytest

from core.printing.documents import build_document, document_text
from core.printing.text import column_widths
from core.roles import Role
from core.services import catalog, repair_orders, requisitions, returns
from core.textwidth import cell_width
from tests.helpers import add_parts, make_staff, receive
from tests.helpers.columns import field
from tests.helpers.counter import VIN, drive, issue, order_in, take_back

PADS = "96536697"
# Odd and even widths of Chinese and Latin, long enough to be cut, so a wide character falls on the edge.
ODD = "A1B2"
AMOUNT = re.compile(r"^ *-?\d+\.\d\d$")
LONG_NAME = "左前大灯总成 Headlamp assembly LH with LED 日间行车灯 daytime running light"


@pytest.fixture
def slips(db, staff, clock):
    """A requisition over two lots and two parts, a return before settlement and one after; the views."""
    add_parts(db, staff)
    with db.writing() as uow:
        catalog.add_part(ODD, LONG_NAME, name_zh="大灯总成左", price="1580", location="CRZ-03-01-02",
                         actor=staff[Role.PLANNER], uow=uow)
        catalog.add_part("CN-ONLY", "机油", name_zh="机油", unit="升", price="80", location="GEN-01-01-01",
                         actor=staff[Role.PLANNER], uow=uow)
    receive(db, staff, PADS, 3, cost="250.00")
    clock.advance(days=1)
    receive(db, staff, PADS, 5, cost="270.00")
    receive(db, staff, ODD, 2, cost="1234.50", location="CRZ-03-01-02")
    receive(db, staff, "CN-ONLY", 10, cost="45.00", location="GEN-01-01-01")
    ro = order_in(db, staff, "ready")
    req = issue(db, staff, ro, (PADS, "4"), (ODD, "1"), ("CN-ONLY", "2.5"))
    first = take_back(db, staff, req.number, (PADS, "1"), (ODD, "1"), reason="not fitted 未安装")
    for state, extra in (("delivered", {"customer_confirmed": True}), ("settled", {})):
        with db.writing() as uow:
            repair_orders.change_state(ro, state, actor=staff[Role.ADVISOR], uow=uow, **extra)
    second = take_back(db, staff, req.number, (PADS, "1"), reason="left over 剩余")
    with db.reading() as uow:
        return (requisitions.get_requisition(req.number, uow=uow),
                returns.get_return(first.number, uow=uow), returns.get_return(second.number, uow=uow))


def text_of(db, kind: str, number: str, width: int = 80) -> str:
    """A requisition's or a return's slip as it prints, `width` columns wide."""
    with db.reading() as uow:
        return document_text(kind, number, uow=uow, width=width)


def table_widths(db, number: str, width: int) -> list[int]:
    """The widths of the slip table's columns (the requisition's and the return's are the same)."""
    with db.reading() as uow:
        return column_widths(build_document("requisition", number, uow=uow).columns, width)


def table_rows(slip: str) -> list[str]:
    """The lines of the parts table: between the rule under the headings and the rule above the totals."""
    lines = slip.splitlines()
    rules = [i for i, line in enumerate(lines) if line and set(line) == {"-"}]
    return lines[rules[0] + 1:rules[1]]


def column_starts(widths: list[int]) -> list[int]:
    starts, col = [], 0
    for w in widths:
        starts.append(col)
        col += w + 1
    return starts


@pytest.mark.parametrize("width", [80, 100, 64])
def test_slip_columns_stay_aligned_with_mixed_chinese_and_latin(db, slips, width):
    requisition, first, second = slips
    widths = table_widths(db, requisition.number, width)
    starts = column_starts(widths)
    for slip in (text_of(db, "requisition", requisition.number, width), text_of(db, "return", first.number, width),
                 text_of(db, "return", second.number, width)):
        for line in slip.splitlines():
            assert cell_width(line) <= width, line
        # The rows with an amount; the note rows under a line run free.
        rows = [row for row in table_rows(slip) if AMOUNT.match(field(row, starts[6], widths[6]))]
        assert rows
        for row in rows:
            # Every separator cell is a space, so no value spills into its neighbour.
            for start in starts[1:]:
                assert field(row, start - 1, 1) == " ", (row, start)
            location = field(row, starts[3], widths[3]).strip()
            assert location in {"EXC-01-02-03", "CRZ-03-01-02", "GEN-01-01-01", "QRN-01-01-01", "line 小计"}, row
            # Quantities and amounts end at the same column on every row.
            assert field(row, starts[4], widths[4]) == field(row, starts[4], widths[4]).rjust(widths[4])
            assert cell_width(row) == starts[6] + widths[6], row


def test_the_requisition_slip_carries_order_vehicle_parts_and_both_signatures(db, slips):
    requisition, first, second = slips
    slip = text_of(db, "requisition", requisition.number)
    assert "领料单  REQUISITION" in slip
    assert requisition.number in slip and requisition.ro.ro_no in slip
    assert VIN in slip and "沪A12345" in slip and "EXCELLE" in slip and "45000 km" in slip
    rows = table_rows(slip)
    pads = [row for row in rows if "EXC-01-02-03" in row and not row.lstrip().startswith("R")]
    assert [row.split()[-3:] for row in pads] == [["3", "250.00", "750.00"], ["1", "270.00", "270.00"]]
    assert any(row.lstrip().startswith("1 96536697") and "前刹车片" in row for row in rows)
    assert any("2.5" in row and "机油" in row for row in rows)  # a decimal quantity prints plainly
    # The return before settlement is a negative line, back into the bin it came from.
    negative = [row for row in rows if row.lstrip().startswith("R")]
    assert len(negative) == 2 and all(first.number in row for row in negative)
    assert any("-1" in row and "CRZ-03-01-02" in row for row in negative)
    # The return after settlement is not on it: it is named as a slip of its own.
    assert second.number not in "\n".join(rows) and second.number in slip
    assert "Issued by 发料人: STORE1" in slip and "Received by 领料人: MECH1" in slip
    assert slip.count("_" * 16) == 2
    net = requisition.cost - requisition.net_cost
    assert f"-{net}" in slip and f"{requisition.net_cost}" in slip


def test_the_return_slip_names_lot_condition_and_signatures(db, slips):
    _requisition, first, second = slips
    slip = text_of(db, "return", second.number)
    assert "退料单  RETURN SLIP" in slip and second.number in slip and second.requisition in slip
    assert "left over 剩余" in slip and "intact 完好" in slip
    assert "Returned by 退料人: MECH1" in slip and "Taken back by 收料人: STORE1" in slip
    assert slip.count("_" * 16) == 2
    intact = text_of(db, "return", first.number)
    assert "damaged 损坏" not in intact and "not fitted 未安装" in intact and "CRZ-03-01-02" in intact


def test_views_are_the_same_on_both_databases(any_db, clock):
    staff = make_staff(any_db)
    add_parts(any_db, staff)
    receive(any_db, staff, PADS, 2, cost="250.00")
    ro = order_in(any_db, staff, "intake")
    drive(any_db, staff, ro, "intake")
    req = issue(any_db, staff, ro, (PADS, "2"))
    take_back(any_db, staff, req.number, (PADS, "1"))
    slip = text_of(any_db, "requisition", req.number)
    assert "-250.00" in slip and "500.00" in slip and "Net 净额: 250.00" in slip
