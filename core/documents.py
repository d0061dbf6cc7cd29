"""The desk's kinds of document, named once (number prefix, titles, who prints it, where its number lives),
document references, and their human numbers (ADJ-2026-000001), handed out inside the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from core.errors import BadInput, NotFound
from core.i18n import CHINESE, N_, _, language
from core.roles import Actor, Role

if TYPE_CHECKING:
    from sqlalchemy import Connection

# SQLAlchemy and the tables are imported where a number is looked up or handed out: the CLI reads the
# registry (its help lists the kinds) without loading the database stack.

# Every operator signed in may print any paper of the desk: the scanner shows a paper's preview to
# whoever's roles do not reach its own screen (finance checks the receipt papers, the storekeeper files
# the order, the mechanic signs the requisition). A kind printed by fewer roles names them here.
ANYONE = frozenset(Role)


@dataclass(frozen=True, slots=True)
class DocumentKind:
    """A kind of document: its name, its numbers' prefix, its paper's titles, what a message calls one,
    the roles that may print its paper (none: a number without paper), and the indexed column holding
    its numbers, so that telling a number exists is one SELECT.

    English words are kept untranslated here and translated where they are shown.
    """

    name: str  # as the CLI, the print preview and the print keys name it
    prefix: str | None  # None: it carries another document's number (the putaway list its receipt's)
    title_zh: str
    title_en: str  # lower case: "receipt list"; upper case on the paper
    noun: str  # what its number is called in a sentence: "unknown receipt RCV-…"
    table: str  # SQL table and indexed column where its numbers are
    column: str
    printed_by: frozenset[Role] = frozenset()
    scanned: bool = False  # a scan of its number opens it (its own screen, or its paper's preview)

    @property
    def printable(self) -> bool:
        """Whether it has a paper of its own."""
        return bool(self.printed_by)

    def title(self) -> str:
        """Its title as the screens name it: the procedure's own word in Chinese ("入库清单"), and in English with
        that word beside it ("receipt list 入库清单"), never the Chinese twice."""
        if language() == CHINESE:
            return self.title_zh
        return f"{_(self.title_en)} {self.title_zh}"

    def paper_title(self) -> str:
        """Its English title as the paper and its label print it: "RECEIPT LIST"."""
        return _(self.title_en).upper()


REQUISITION = DocumentKind("requisition", "REQ", "领料单", "requisition", "requisition", "requisition", "req_no",
                           ANYONE, scanned=True)
RETURN = DocumentKind("return", "RET", "退料单", "return slip", "return", "return_slip", "ret_no", ANYONE, scanned=True)
RECEIPT = DocumentKind("receipt", "RCV", "入库清单", "receipt list", "receipt", "receipt", "number", ANYONE,
                       scanned=True)
PUTAWAY = DocumentKind("putaway", None, "上架清单", "putaway list", "receipt", "receipt", "number", ANYONE)
DISCREPANCY = DocumentKind("discrepancy", "DSC", "验货异常现象记录表", "receiving discrepancy record",
                           "discrepancy record", "receipt", "discrepancy_no", ANYONE, scanned=True)
CLAIM = DocumentKind("claim", "CLM", "索赔单", "claim", "claim", "claim", "number", ANYONE, scanned=True)
ORDER = DocumentKind("po", "PO", "采购订单", "purchase order", "purchase order", "purchase_order", "number", ANYONE,
                     scanned=True)
REPAIR_ORDER = DocumentKind("ro", "RO", "维修服务单", "repair order", "repair order", "repair_order", "ro_no", ANYONE,
                            scanned=True)
# Numbered, without paper: a request opens its review; the others stand on the ledger or their own screen.
REQUEST = DocumentKind("request", "PRQ", "采购申请单", "purchase request", "purchase request", "purchase_request",
                       "number", scanned=True)
SHORTAGE = DocumentKind("shortage", "SHT", "缺件登记", "shortage registration", "shortage", "shortage", "number")
ADJUSTMENT = DocumentKind("adjustment", "ADJ", "库存调整", "stock adjustment", "adjustment", "stock_move", "doc_no")
TRANSFER = DocumentKind("transfer", "TRF", "调拨单", "transfer note", "transfer", "stock_transfer", "number")
SURPLUS = DocumentKind("surplus", "SUR", "盈利入库", "surplus receipt", "surplus receipt", "receipt", "surplus_no")
STOCKTAKE = DocumentKind("stocktake", "STK", "盘点单", "stocktake", "stocktake", "stocktake", "number", ANYONE,
                      scanned=True)

# Parts taken off a new vehicle (拆新车) are received against its VIN; putting them back is a negative receipt.
VEHICLE_TAKE = DocumentKind("vehicle-take", "VTK", "拆车入库单", N_("vehicle take"), N_("vehicle take"),
                            "vehicle_take", "doc_no", ANYONE)
VEHICLE_RESTORE = DocumentKind("vehicle-restore", "VRS", "恢复新车负入库单", N_("vehicle restore"),
                               N_("vehicle restore"), "vehicle_take", "doc_no", ANYONE)

# The papers first, the counter's first: the order `partsdesk print` lists them in.
KINDS: tuple[DocumentKind, ...] = (REQUISITION, RETURN, RECEIPT, PUTAWAY, DISCREPANCY, CLAIM, ORDER, REPAIR_ORDER,
                                   REQUEST, SHORTAGE, ADJUSTMENT, SURPLUS, STOCKTAKE, VEHICLE_TAKE,
                                   VEHICLE_RESTORE, TRANSFER)


def papers() -> tuple[DocumentKind, ...]:
    """The kinds that have a paper, in the order the desk lists them."""
    return tuple(kind for kind in KINDS if kind.printable)


def paper_kind(name: str) -> DocumentKind:
    """The kind of paper named on the command line or by a screen, or BadInput listing the papers."""
    wanted = (name or "").strip().lower()
    for kind in papers():
        if kind.name == wanted:
            return kind
    raise BadInput(_("unknown document kind {kind!r}; the kinds are {kinds}").format(
        kind=name, kinds=", ".join(kind.name for kind in papers())))


def normalise_number(text: str) -> str:
    """A document number as typed or scanned: no spaces, upper case."""
    return "".join((text or "").split()).upper()


def kind_of(number: str) -> DocumentKind | None:
    """The kind a number belongs to by its prefix (RCV-2026-000001 is a receipt), or None."""
    prefix, dash, _rest = normalise_number(number).partition("-")
    if not dash:
        return None
    return next((kind for kind in KINDS if kind.prefix == prefix), None)


def paper_of(number: str) -> DocumentKind:
    """The kind of paper a number belongs to, or NotFound when no paper has its prefix."""
    kind = kind_of(number)
    if kind is None or not kind.printable:
        raise NotFound(_("{number!r} is not the number of a document that prints").format(number=number))
    return kind


def number_exists(conn: Connection, kind: DocumentKind, number: str) -> bool:
    """Whether a document of this kind has this number: one SELECT on the indexed column holding its numbers."""
    from sqlalchemy import select

    from core import tables as t

    table = getattr(t, kind.table)
    column = table.c[kind.column]
    where = [column == normalise_number(number)]
    if "doc_type" in table.c:  # the ledger holds every kind's numbers: only this kind's count
        where.append(table.c.doc_type == kind.prefix)
    return conn.execute(select(column).where(*where).limit(1)).first() is not None


def require_number(conn: Connection, kind: DocumentKind, number: str) -> str:
    """The normalised number, or NotFound when no document of this kind has it."""
    normalised = normalise_number(number)
    if not number_exists(conn, kind, normalised):
        raise NotFound(_("unknown {what} {number}").format(what=_(kind.noun), number=normalised))
    return normalised


def may_print(actor: Actor, kind: DocumentKind) -> bool:
    """Whether the operator may print this kind's paper."""
    return bool(actor.roles & kind.printed_by)


@dataclass(frozen=True, slots=True)
class DocumentRef:
    """The document a stock movement stands on: its type code (ADJ, RCV, REQ, ...) and number."""

    doc_type: str
    doc_no: str


# The numbering upsert per dialect, built on first use (an issue hands out a number each time; building the
# statement per call cost more than sending it).
_NEXT_NUMBER: dict[str, object] = {}


def _next_number_statement(dialect: str):
    statement = _NEXT_NUMBER.get(dialect)
    if statement is None:
        from sqlalchemy import bindparam

        from core import tables as t

        table = t.document_sequence
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        statement = insert(table).values(doc_type=bindparam("doc_type"), year=bindparam("year"), last_no=1)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.doc_type, table.c.year], set_={"last_no": table.c.last_no + 1}
        ).returning(table.c.last_no)
        from core.direct import Direct

        # Sent straight to the driver (core.direct): an issue hands out a number each time.
        statement = _NEXT_NUMBER[dialect] = Direct(statement)
    return statement


def next_number(conn: Connection, doc_type: str, at: datetime) -> str:
    """The next number of a document type for the year of `at`, e.g. ADJ-2026-000042.

    Runs inside the caller's transaction, so a refused command does not burn a number; on
    SQLite the write lock is already held, on PostgreSQL the upsert locks the counter row.
    """
    year = at.year
    dialect = "postgresql" if conn.dialect.name == "postgresql" else "sqlite"
    number = _next_number_statement(dialect).execute(conn, {"doc_type": doc_type, "year": year}).scalar_one()
    return f"{doc_type}-{year}-{number:06d}"
