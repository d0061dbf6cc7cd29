"""The one table of what a person reads for a code: every state, role, kind, reason, checklist item and unit.

Screens, slips, PDFs, the CLI's text output and error messages show `label(KIND, code)`; JSON keeps the code.
The table holds the English words marked for the catalogue (N_); `label` translates them into the active
language where they are shown. A leaf of the domain (it imports no model), so that any module of core may use
it: the enums' values are its keys, and a test holds every enum's values against it.
"""

from __future__ import annotations

from enum import Enum

from core.i18n import ENGLISH, N_, NC_, language, pgettext

# The kinds of code, as `label`'s first argument.
REPAIR_STATE = "repair_state"
SHORTAGE_STATE = "shortage_state"
SOLUTION = "solution"
SOLUTION_SHORT = "solution_short"  # a solution in a word or two, for narrow columns
REQUEST_STATE = "request_state"
REQUEST_STEP = "request_step"  # what a draft in a state waits for
REQUEST_ACTION = "request_action"  # an entry of a draft's history
ORDER_STATE = "order_state"
RECEIPT_STATE = "receipt_state"
RECEIPT_STEP = "receipt_step"
CLAIM_STATE = "claim_state"
CLAIM_KIND = "claim_kind"
CLAIM_OUTCOME = "claim_outcome"
RECEIPT_TIMING = "receipt_timing"
DIFFERENCE = "difference"
PARTY = "party"
MOVE_KIND = "move_kind"
ROLE = "role"
PERMISSION = "permission"
AUDIT_ACTION = "audit_action"
TODO_SECTION = "todo_section"
CHECKLIST = "checklist"
UNIT = "unit"
UNIT_PLURAL = "unit_plural"  # a unit in "counted in ...": pieces, litres
CYCLE = "cycle"
WARRANTY = "warranty"  # a repair order's warranty decision
REQUISITION_STATE = "requisition_state"  # a written requisition: written, issued, cancelled
TRANSFER_STATE = "transfer_state"  # a transfer note (调拨单): entered, checked, refused, cancelled, received
TRANSFER_DIRECTION = "transfer_direction"  # a transfer note: within this station, to another (调出), from one (调入)
ADJUSTMENT_STATE = "adjustment_state"  # an adjustment above the value limit: pending, posted, refused
ADJUST_REASON = "adjust_reason"  # why stock was adjusted: the list `stock reasons` shows
DECISION_KIND = "decision_kind"  # a row of the review screen: what waits for the person's decision
STOCKTAKE_STATE = "stocktake_state"  # a stocktake (盘点单): open, closed, approved by the parts manager, approved
SALE_STATE = "sale_state"  # a sales order (销售订单): entered, checked, settled, cancelled
STOCKTAKE_SCOPE = "stocktake_scope"  # what a stocktake covers: zone, locations, cycle, days
PAYER = "payer"  # who pays for a part on a repair order: customer, warranty (the maker), internal
PRICE_SCOPE = "price_scope"  # what a price rule covers: a model series, a part group, the station

_TABLE: dict[str, dict[str, str]] = {
    REPAIR_STATE: {
        "intake": N_("intake"),
        "diagnosing": N_("diagnosing"),
        "in_repair": N_("in repair"),
        "sent_out": N_("sent out"),
        "reinspection": N_("re-inspection"),
        "ready": N_("ready"),
        "delivered": N_("delivered"),
        "settled": N_("settled"),
        "cancelled": N_("cancelled"),
    },
    SHORTAGE_STATE: {
        "open": N_("open"),
        "answered": N_("answered"),
        "fulfilled": N_("fulfilled"),
    },
    SOLUTION: {
        "transfer": N_("transfer from another store"),
        "order": N_("order from the manufacturer"),
        "urgent_purchase": N_("urgent purchase"),
        "substitute": N_("substitute part"),
    },
    SOLUTION_SHORT: {
        "transfer": N_("transfer"),
        "order": NC_("solution_short", "order"),
        "urgent_purchase": N_("urgent purchase"),
        "substitute": N_("substitute"),
    },
    REQUEST_STATE: {
        "draft": N_("draft"),
        "returned": N_("returned"),
        "pm_reviewed": N_("reviewed by the parts manager"),
        "meeting_reviewed": N_("reviewed by the order meeting"),
        "accountant_reviewed": N_("reviewed by the materials accountant"),
        "approved": N_("approved"),
        "ordered": N_("ordered"),
    },
    REQUEST_STEP: {
        "draft": N_("parts manager's review"),
        "returned": N_("returned to the planner"),
        "pm_reviewed": N_("order meeting (station manager)"),
        "meeting_reviewed": N_("materials accountant's review"),
        "accountant_reviewed": N_("approval (station manager, service director)"),
        "approved": N_("approved: ready to order"),
        "ordered": N_("ordered"),
    },
    REQUEST_ACTION: {
        "created": N_("drafted"),
        "edited": N_("edited"),
        "reviewed": N_("reviewed"),
        "approved": N_("approved"),
        "rejected": N_("rejected"),
        "resubmitted": N_("resubmitted"),
        "ordered": N_("ordered"),
    },
    ORDER_STATE: {
        "draft": NC_("order_state", "draft"),
        "approved": N_("approved"),
        "sent": N_("sent"),
        "partly_received": N_("partly received"),
        "received": NC_("order_state", "received"),
        "closed": N_("closed"),
    },
    RECEIPT_STATE: {
        "arrived": N_("arrived"),
        "boxes_checked": N_("boxes checked"),
        "counted": NC_("receipt_state", "counted"),
        "posted": N_("posted"),
    },
    RECEIPT_STEP: {
        "check_boxes": N_("box check"),
        "count": N_("count"),
        "reopen_count": N_("reopen the count"),
        "refuse_line": N_("refuse a line"),
        "post": N_("post"),
        "putaway": N_("putaway"),
    },
    CLAIM_OUTCOME: {
        "credit": N_("credited"),
        "replacement": N_("replaced"),
        "repaired": N_("repaired"),
        "accepted": NC_("claim_outcome", "accepted as is"),
    },
    RECEIPT_TIMING: {
        "today": NC_("receipt_timing", "today"),
        "late": NC_("receipt_timing", "late"),
        "overdue": NC_("receipt_timing", "overdue"),
        "posted": NC_("receipt_timing", "posted"),
    },
    CLAIM_STATE: {
        "open": NC_("claim_state", "open"),
        "sent": N_("sent"),
        "settled": N_("settled"),
        "rejected": NC_("claim_state", "rejected"),
    },
    # What a claim line is for: the procedure's words (多发, 少发, 错发, 漏发, 破损), and boxes for the carrier.
    CLAIM_KIND: {
        "over": N_("over shipment"),
        "short": N_("short shipment"),
        "missing": N_("missing shipment"),
        "wrong_part": N_("wrong shipment"),
        "damaged": N_("damaged"),
        "boxes": N_("boxes"),
    },
    # Short enough for the count's column (12): 少发, 漏发, 多发, 错发, 破损.
    DIFFERENCE: {
        "ok": N_("ok"),
        "short": N_("short"),
        "missing": N_("missing"),
        "over": N_("extra"),
        "wrong_part": N_("wrong part"),
        "damaged": N_("damaged"),
    },
    PARTY: {
        "supplier": N_("supplier"),
        "carrier": N_("carrier"),
    },
    MOVE_KIND: {
        "receipt": NC_("move_kind", "receipt"),
        "issue": N_("issue"),
        "return": NC_("move_kind", "return"),
        "adjust": N_("adjustment"),
        "transfer": N_("transfer"),
    },
    ROLE: {
        "storekeeper": N_("storekeeper"),
        "parts_clerk": N_("parts clerk"),
        "planner": N_("parts planner"),
        "advisor": N_("service advisor"),
        "parts_manager": N_("parts manager"),
        "accountant": N_("materials accountant"),
        "station_manager": N_("station manager"),
        "service_director": N_("service director"),
        "mechanic": N_("mechanic"),
        "admin": N_("administrator"),
        "checker": N_("dispatch checker"),
    },
    PERMISSION: {
        "manage_operators": N_("manage operators"),
        "edit_parts": N_("edit the parts master"),
        "edit_locations": N_("edit locations"),
        "issue_stock": N_("issue stock"),
        "return_stock": N_("take stock back"),
        "adjust_stock": N_("adjust stock"),
        "manage_orders": N_("manage purchase orders"),
        "approve_orders": N_("approve purchase orders"),
        "send_orders": N_("send purchase orders to the maker"),
        "receive_shipment": N_("receive shipments"),
        "count_shipment": N_("count shipments"),
        "post_receipt": N_("post receipts"),
        "manage_claims": N_("manage claims"),
        "check_invoice": N_("check a receipt against its invoice"),
        "open_repair_order": N_("open or hand back repair orders"),
        "record_repair": N_("record repair work"),
        "settle_repair_order": N_("settle repair orders"),
        "sign_for_parts": N_("sign for parts at the counter"),
        "write_requisition": N_("write requisitions"),
        "cancel_requisition": N_("cancel requisitions not issued"),
        "log_shortage": N_("log shortages"),
        "answer_shortage": N_("answer shortages"),
        "plan_orders": N_("draft purchase requests and orders"),
        "manage_settings": N_("change station settings"),
        "restore_database": N_("restore the database from a backup"),
        "read_audit": N_("read the audit trail"),
        "transfer_stock": N_("enter transfers"),
        "check_transfer": N_("check transfers"),
        "release_quarantine": N_("release quarantined stock to a bin"),
        "approve_adjustment": N_("approve stock adjustments"),
        "open_stocktake": N_("open stocktakes"),
        "count_stock": N_("count stock on a stocktake"),
        "approve_stocktake": N_("approve stocktake variances"),
        "approve_stocktake_value": N_("approve stocktake variances above the limit"),
        "read_reports": N_("read the reports"),
        "take_from_vehicle": N_("take parts off a new vehicle and put them back"),
        "set_prices": N_("set the station's price rules"),
        "enter_sale": N_("enter counter sales"),
        "check_sale": N_("check counter sales"),
        "settle_sale": N_("settle counter sales"),
        "return_sale": N_("take back parts of a counter sale"),
    },
    AUDIT_ACTION: {
        "first_admin": N_("first admin"),
        "add_operator": N_("added"),
        "set_roles": N_("roles set"),
        "deactivate": N_("deactivated"),
        "reset_pin": N_("PIN reset"),
        "set_setting": N_("setting set"),
        "set_language": N_("language set"),
        "lockout": N_("locked out"),
        "unlock": N_("unlocked"),
        "restore": N_("restored"),
        "edit_part": N_("part edited"),
    },
    TODO_SECTION: {
        "shortages": N_("shortages"),
        "sales": N_("sales to check"),
        "receipts": N_("receipts"),
        "orders": N_("orders"),
        "drafts": N_("purchase-request drafts"),
    },
    # The configuration checklist of the intake inspection, as on the paper 维修服务单.
    CHECKLIST: {
        "spare_wheel": N_("Spare wheel"),
        "jack": N_("Jack"),
        "tool_kit": N_("Tool kit"),
        "warning_triangle": N_("Warning triangle"),
        "fire_extinguisher": N_("Fire extinguisher"),
        "head_unit": N_("Radio / head unit"),
        "floor_mats": N_("Floor mats"),
        "cigarette_lighter": N_("Cigarette lighter"),
        "service_booklet": N_("Service booklet"),
        "valuables": N_("Valuables in car"),
    },
    # Units after a quantity ("3 pc", "1.5 L"), keyed by the measure's code (core/measures.py).
    UNIT: {
        "pc": N_("pc"), "set": N_("set"), "pair": N_("pair"), "box": N_("box"), "bottle": N_("bottle"),
        "can": N_("can"), "roll": N_("roll"), "kit": N_("kit"), "L": N_("L"), "mL": N_("mL"), "m": N_("m"),
        "kg": N_("kg"), "g": N_("g"),
    },
    UNIT_PLURAL: {
        "pc": N_("pieces"), "set": N_("sets"), "pair": N_("pairs"), "box": N_("boxes"), "bottle": N_("bottles"),
        "can": N_("cans"), "roll": N_("rolls"), "kit": N_("kits"), "L": N_("litres"), "mL": N_("millilitres"),
        "m": N_("metres"), "kg": N_("kilograms"), "g": N_("grams"),
    },
    REQUISITION_STATE: {
        "written": NC_("requisition_state", "written"),
        "issued": NC_("requisition_state", "issued"),
        "cancelled": NC_("requisition_state", "cancelled"),
    },
    TRANSFER_STATE: {
        "entered": NC_("transfer_state", "entered"),
        "checked": NC_("transfer_state", "checked"),
        "refused": NC_("transfer_state", "refused"),
        "cancelled": NC_("transfer_state", "cancelled"),
        "received": NC_("transfer_state", "received"),
    },
    TRANSFER_DIRECTION: {
        "within": NC_("transfer_direction", "within the station"),
        "outgoing": NC_("transfer_direction", "to another station"),
        "incoming": NC_("transfer_direction", "from another station"),
    },
    SALE_STATE: {
        "entered": NC_("sale_state", "entered"),
        "checked": NC_("sale_state", "checked"),
        "settled": NC_("sale_state", "settled"),
        "cancelled": NC_("sale_state", "cancelled"),
    },
    ADJUSTMENT_STATE: {
        "pending": NC_("adjustment_state", "pending"),
        "posted": NC_("adjustment_state", "posted"),
        "refused": NC_("adjustment_state", "refused"),
    },
    # The procedure's words for why the books change (盘点, 报废 ...): `stock adjust --reason CODE`.
    ADJUST_REASON: {
        "damaged": N_("damaged in store"),
        "expired": N_("expired"),
        "found": N_("found"),
        "lost": N_("lost"),
        "claim_settled": N_("claim settled"),
        "stocktake": N_("stocktake"),
        "opening": N_("opening balance"),
    },
    PAYER: {
        "customer": NC_("payer", "customer"),
        "warranty": NC_("payer", "warranty"),
        "internal": NC_("payer", "internal"),
    },
    PRICE_SCOPE: {
        "series": NC_("price_scope", "model series"),
        "group": NC_("price_scope", "part group"),
        "station": NC_("price_scope", "station"),
    },
    DECISION_KIND: {
        "transfer": NC_("decision_kind", "transfer to check"),
        "adjustment": NC_("decision_kind", "adjustment to approve"),
        "order": NC_("decision_kind", "urgent order to send"),
        "claim": NC_("decision_kind", "claim to send"),
        "stocktake": NC_("decision_kind", "stocktake variances to approve"),
    },
    STOCKTAKE_STATE: {
        "open": NC_("stocktake_state", "open"),
        "closed": NC_("stocktake_state", "closed"),
        "pm_approved": N_("approved by the parts manager"),
        "approved": NC_("stocktake_state", "approved"),
    },
    STOCKTAKE_SCOPE: {
        "zone": N_("zone"),
        "locations": N_("locations"),
        "cycle": N_("cycle count"),
        "days": N_("not counted for days"),
    },
    WARRANTY: {
        "in": N_("in warranty"),
        "out": N_("out of warranty"),
    },
    CYCLE: {
        "week": N_("week"),
        "month": N_("month"),
    },
}

KINDS = tuple(_TABLE)


def label(kind: str, code: str | Enum | None, default: str = "—") -> str:
    """What a person reads for a code of a kind, in the active language; `default` for none, the code itself
    for one the table does not know (a row written by a newer version), so nothing is hidden."""
    if code is None or code == "":
        return default
    value = code.value if isinstance(code, Enum) else str(code)
    english = _TABLE[kind].get(value)
    # The kind is the catalogue's context: a word with several meanings (NC_ below) reads right in each.
    return pgettext(kind, english) if english is not None else value


def labels(kind: str, codes) -> str:
    """Several codes of a kind, labelled and joined with commas (a list of roles)."""
    return ", ".join(label(kind, code) for code in codes)


def codes(kind: str) -> tuple[str, ...]:
    """Every code a kind has a label for, in the table's order."""
    return tuple(_TABLE[kind])


def parse(kind: str, text: str) -> str | None:
    """The code whose label (English or in the active language) or code is `text`, ignoring case, spaces and
    dashes; None when none is."""
    wanted = _squash(text)
    for code, english in _TABLE[kind].items():
        if wanted in (_squash(code), _squash(english), _squash(pgettext(kind, english))):
            return code
    return None


def part_name(name: str | None, name_zh: str | None) -> str:
    """A part's one name as a narrow screen column shows it: the Chinese name where the desk speaks Chinese and
    the part has one (the staff pick parts by it), else the master's English name."""
    if name_zh and language() != ENGLISH:
        return name_zh
    return name or name_zh or ""


def part_names(name: str | None, name_zh: str | None) -> str:
    """A part's two names where a line has room for both: the reader's language first, the other beside it."""
    if not name_zh or name_zh == name:
        return name or ""
    if not name:
        return name_zh
    return f"{name}  {name_zh}" if language() == ENGLISH else f"{name_zh}  {name}"


def _squash(text: str) -> str:
    return "".join(ch for ch in (text or "").casefold() if ch not in " _-")
