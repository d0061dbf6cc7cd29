"""Nothing raw: every state, role, kind, reason, checklist item and unit has a label in core.labels, and the
CLI's text, the errors and the printed slips show the label where JSON keeps the code."""

from __future__ import annotations

import ast
import enum
import importlib
import inspect
import pkgutil

import pytest

import core
from core import labels
from core.access import TodoSection
from core.counter_rules import RequisitionState
from core.errors import PermissionDenied
from core.i18n import CHINESE, ENGLISH, use_language
from core.intake import CHECKLIST_ITEMS
from core.measures import MEASURES
from core.models import (
    AdjustmentState,
    ClaimOutcome,
    ClaimState,
    MoveKind,
    OrderState,
    Party,
    ReceiptState,
    RequestState,
    SaleState,
    ShortageState,
    Solution,
    StocktakeScope,
    StocktakeState,
    TransferDirection,
    TransferState,
)
from core.printing.model import Column, Document, both_names
from core.printing.text import render_text
from core.receiving_rules import ClaimKind, Difference, ReceiptStep, ReceiptTiming
from core.records.audit import AuditAction
from core.repair_states import RepairState, parse_state
from core.roles import Actor, Permission, Role, require
from tests.helpers.counter_cli import OPEN, counter_station, in_repair

# Every enum of core whose values reach a person, and the kind of label each value has.
ENUM_KINDS = {
    RepairState: labels.REPAIR_STATE,
    ShortageState: labels.SHORTAGE_STATE,
    Solution: labels.SOLUTION,
    RequestState: labels.REQUEST_STATE,
    OrderState: labels.ORDER_STATE,
    ReceiptState: labels.RECEIPT_STATE,
    ReceiptStep: labels.RECEIPT_STEP,
    ClaimState: labels.CLAIM_STATE,
    ClaimKind: labels.CLAIM_KIND,
    ClaimOutcome: labels.CLAIM_OUTCOME,
    ReceiptTiming: labels.RECEIPT_TIMING,
    Difference: labels.DIFFERENCE,
    Party: labels.PARTY,
    MoveKind: labels.MOVE_KIND,
    Role: labels.ROLE,
    Permission: labels.PERMISSION,
    AuditAction: labels.AUDIT_ACTION,
    TodoSection: labels.TODO_SECTION,
    RequisitionState: labels.REQUISITION_STATE,
    TransferState: labels.TRANSFER_STATE,
    TransferDirection: labels.TRANSFER_DIRECTION,
    SaleState: labels.SALE_STATE,
    AdjustmentState: labels.ADJUSTMENT_STATE,
    StocktakeState: labels.STOCKTAKE_STATE,
    StocktakeScope: labels.STOCKTAKE_SCOPE,
}
# Kinds whose codes are the same as another's, in narrower words or for another column.
SAME_CODES = {labels.SOLUTION_SHORT: Solution, labels.REQUEST_STEP: RequestState}


@pytest.mark.parametrize(("kind", "code"), [(kind, member.value) for enum_type, kind in ENUM_KINDS.items()
                                            for member in enum_type]
                         + [(kind, member.value) for kind, enum_type in SAME_CODES.items() for member in enum_type]
                         + [(labels.CHECKLIST, item) for item in CHECKLIST_ITEMS]
                         + [(kind, m.code) for kind in (labels.UNIT, labels.UNIT_PLURAL) for m in MEASURES])
def test_every_code_has_a_label(kind, code):
    assert code in labels.codes(kind)
    assert labels.label(kind, code).strip()


def _enums_of_core() -> set[type]:
    found = set()
    for module in pkgutil.walk_packages(core.__path__, "core."):
        loaded = importlib.import_module(module.name)
        for value in vars(loaded).values():
            if (isinstance(value, type) and issubclass(value, enum.Enum) and value.__module__ == module.name
                    and value.__module__.startswith("core.")):
                found.add(value)
    return found


def test_every_enum_of_core_has_a_kind_of_label():
    # A new enum of states or kinds fails here until the label table (and ENUM_KINDS) know it.
    assert _enums_of_core() <= set(ENUM_KINDS)


def test_no_label_without_a_code():
    # A label left behind when a state is renamed or removed: each kind's codes are exactly its enum's.
    for enum_type, kind in ENUM_KINDS.items():
        assert set(labels.codes(kind)) == {m.value for m in enum_type}, kind
    assert set(labels.codes(labels.CHECKLIST)) == set(CHECKLIST_ITEMS)
    assert set(labels.codes(labels.UNIT)) == {m.code for m in MEASURES}


def test_a_label_is_translated_when_shown(monkeypatch):
    # Not when the table is built: the language chosen at sign-in must reach labels made before it.
    monkeypatch.setattr(labels, "pgettext", lambda context, text: f"<{text}>")
    assert labels.label(labels.REPAIR_STATE, RepairState.IN_REPAIR) == "<in repair>"
    assert labels.labels(labels.ROLE, ["parts_manager", "planner"]) == "<parts manager>, <parts planner>"


def test_none_and_unknown_codes():
    assert labels.label(labels.SOLUTION, None) == "—"
    assert labels.label(labels.DIFFERENCE, "", "-") == "-"
    assert labels.label(labels.REPAIR_STATE, "towed_away") == "towed_away"  # never hidden


def test_a_state_is_typed_as_its_code_its_words_or_the_staff_s_word():
    assert parse_state("in repair") == parse_state("IN_REPAIR") == parse_state("维修中") == RepairState.IN_REPAIR
    assert parse_state("re-inspection") == RepairState.REINSPECTION


def test_a_refusal_names_roles_by_their_titles():
    clerk = Actor(1, "MECH1", "周强", frozenset({Role.MECHANIC}))
    with pytest.raises(PermissionDenied) as refused:
        require(clerk, Permission.ADJUST_STOCK)
    assert refused.value.message == "MECH1 may not adjust stock: it needs the role parts manager"
    with pytest.raises(PermissionDenied) as refused:
        require(clerk, Permission.EDIT_LOCATIONS)
    assert "parts manager, parts planner, storekeeper" in refused.value.message
    assert "parts_manager" not in refused.value.message


@pytest.fixture
def station(tmp_path):
    """A counter station driven through the CLI (tests.helpers.counter_cli)."""
    return counter_station(tmp_path / "station.sqlite")


# -- the CLI's text and the printed slip --------------------------------------------------------


def test_cli_text_shows_labels_and_json_keeps_codes(station):
    ro = in_repair(station)
    moved = station.run("ro", "state", ro, "sent_out", "--repairer", "外协厂", as_="MECH1")
    assert moved.exit_code == 0, moved.stderr
    assert moved.stdout.strip() == f"{ro}: sent out"
    listed = station.run("ro", "list")
    assert "sent out" in listed.stdout and "sent_out" not in listed.stdout
    shown = station.run("ro", "show", ro)
    assert "diagnosing → in repair" in shown.stdout and "in_repair" not in shown.stdout
    assert station.json("ro", "show", ro)["state"] == "sent_out"
    assert station.json("ro", "list")[0]["state"] == "sent_out"


def test_cli_roles_refusal_and_operator_list_show_titles(station):
    refused = station.run("stock", "adjust", "96536697", "--location", "EXC-01-02-03", "--qty", "1",
                          "--reason", "found", as_="STORE1")
    assert refused.exit_code != 0
    assert "it needs the role parts manager" in refused.stderr and "parts_manager" not in refused.stderr
    people = station.run("operator", "list", as_="ADMIN")
    assert "materials accountant" in people.stdout and "parts_manager" not in people.stdout


def test_the_printed_repair_order_shows_the_checklist_in_words(station):
    station.run(*OPEN, "--present", "spare_wheel", "--absent", "tool_kit", as_="ADV1")
    slip = station.run("print", "ro", "RO-2026-000001")
    assert slip.exit_code == 0, slip.stderr
    assert "[x] Spare wheel" in slip.stdout and "[ ] Tool kit" in slip.stdout
    assert "spare_wheel" not in slip.stdout and "tool_kit" not in slip.stdout
    assert "intake" in slip.stdout


# -- part names on paper -------------------------------------------------------------------------


@pytest.fixture
def chinese_desk():
    """The desk speaking Chinese for one test, English again after it."""
    use_language(CHINESE)
    yield
    use_language(ENGLISH)


def _name_cell(width: int) -> str:
    document = Document("po", "PO-1", "采购订单", "PURCHASE ORDER", (), (Column("Name", 10, grow=True),),
                        ((both_names("Front brake pad set", "前刹车片"),),))
    line = render_text(document, width).splitlines()[-2]
    return line.strip()


def test_english_desk_prints_english_first_with_the_chinese_name_beside_it():
    assert both_names("Front brake pad set", "前刹车片") == "Front brake pad set 前刹车片"
    assert _name_cell(40) == "Front brake pad set 前刹车片"
    assert both_names("Wiper", None) == both_names("Wiper", "Wiper") == "Wiper"


def test_chinese_desk_prints_the_chinese_name_first(chinese_desk):
    assert _name_cell(40) == "前刹车片 Front brake pad set"


@pytest.mark.parametrize("language", [CHINESE, ENGLISH])
def test_a_narrow_column_keeps_the_chinese_name_whole(language):
    use_language(language)
    try:
        assert _name_cell(12) == "前刹车片"
    finally:
        use_language(ENGLISH)


def test_a_document_kind_is_named_once_in_chinese(chinese_desk):
    from core.documents import RECEIPT

    assert RECEIPT.title() == "入库清单"


def test_a_document_kind_keeps_the_procedure_s_word_in_english():
    from core.documents import RECEIPT

    assert RECEIPT.title() == "receipt list 入库清单"


def test_a_word_with_several_meanings_reads_right_in_each_kind_in_chinese():
    # One English word, one msgid: the kind is the catalogue's context, so each reads as the procedure says.
    use_language(CHINESE)
    label = labels.label
    assert label(labels.SHORTAGE_STATE, "open") == "待答复"
    assert label(labels.ORDER_STATE, "draft") == "草稿" and label(labels.REQUEST_STATE, "draft") == "底稿"
    assert label(labels.CLAIM_STATE, "open") == "未发出"
    assert label(labels.MOVE_KIND, "receipt") == "入库"
    assert label(labels.RECEIPT_STATE, "counted") == "已清点"
    assert labels.parse(labels.ORDER_STATE, "草稿") == "draft"


def test_each_context_in_the_label_table_is_its_kind():
    # label() looks a word up in the context of its kind: an NC_ under another kind's name would never be found.
    tree = ast.parse(inspect.getsource(labels))
    table = next(node.value for node in ast.walk(tree)
                 if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "_TABLE")
    for kind_name, entries in zip(table.keys, table.values, strict=True):
        kind = getattr(labels, kind_name.id)
        for call in ast.walk(entries):
            if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "NC_":
                assert call.args[0].value == kind, (kind, call.args[1].value)


def test_a_paper_in_chinese_says_each_word_once_and_in_english_beside_the_form_s_chinese(station):
    # The forms are bilingual by design in English ("Customer 客户"); in Chinese "客户 客户" was printed.
    station.run(*OPEN, "--present", "spare_wheel", as_="ADV1")
    chinese = station.run("--lang", "zh_CN", "print", "ro", "RO-2026-000001").stdout
    lines = chinese.splitlines()
    assert lines[0].strip() == "维修服务单"
    assert any(line.startswith("任务委托书: RO-2026-000001") for line in lines)
    assert "客户: 张三" in chinese and "客户 客户" not in chinese and "Customer" not in chinese
    assert "[x] 备胎" in chinese
    english = station.run("--lang", "en", "print", "ro", "RO-2026-000001").stdout.splitlines()
    assert english[0].strip() == "维修服务单  REPAIR ORDER"
    assert any(line.startswith("Repair order 任务委托书: RO-2026-000001") for line in english)


def test_a_table_s_headings_are_one_row_in_chinese_two_in_english():
    document = Document("po", "PO-1", "采购订单", "PURCHASE ORDER", (),
                        (Column("Unit cost", 10, title_zh="单价"), Column("Name", 10, grow=True)), (("1", "x"),))
    use_language(CHINESE)
    try:
        chinese = render_text(document, 40).splitlines()
    finally:
        use_language(ENGLISH)
    english = render_text(document, 40).splitlines()
    assert chinese[0].strip() == "采购订单" and chinese[3].split() == ["单价", "Name"] and chinese[4].startswith("---")
    assert english[3].split() == ["Unit", "cost", "Name"] and english[4].split() == ["单价"]
