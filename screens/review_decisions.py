"""The review screen's second list: what else waits for the person's decision (transfers to check, adjustments to
approve, urgent orders, claims to send), read from core.services.decisions, and the decision each row's key takes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text

from core.i18n import _
from core.labels import DECISION_KIND, label
from core.services.decisions import ADJUSTMENT, APPROVE, CHECK, CLAIM, ORDER, SEND, STOCKTAKE, TRANSFER, Decision
from screens.widgets.planning_text import short_time
from screens.widgets.tables import Column, SubjectTable


class DecisionsTable(SubjectTable):
    """Transfers, adjustments, urgent orders and claims waiting for the operator, one row each."""

    def set_up(self) -> None:
        """Its columns."""
        self.set_columns(
            Column("kind", _("Waiting for"), 24, min_width=10, gives_way=1),
            Column("number", _("Document"), 15),
            Column("summary", _("What"), 44, min_width=16),
            Column("who", _("Who"), 7, gives_way=3),
            Column("since", _("Since"), 11, gives_way=2),
        )


def rows(decisions: list[Decision]) -> list:
    """The table's rows: key (the document) and cells."""
    return [(d.number, (Text(label(DECISION_KIND, d.kind)), Text(d.number, style="bold"), Text(d.summary),
                        Text(d.entered_by), Text(short_time(d.since)))) for d in decisions]


def action_word(decision: Decision) -> str:
    """What the row's key does, in a word for the dialog's title."""
    return {CHECK: _("Check"), APPROVE: _("Approve"), SEND: _("Send")}[decision.action]


def consequence(decision: Decision) -> str:
    """What Enter does, said before it is pressed."""
    if decision.kind == TRANSFER:
        return _("Enter checks it (二审): the stock moves now, each lot keeping its received date and cost. "
                 "Escape leaves it waiting.")
    if decision.kind == ADJUSTMENT:
        return _("Enter gives your approval; once the parts manager and the accountant have both approved, the "
                 "adjustment posts. Escape leaves it waiting.")
    if decision.kind == STOCKTAKE:
        return _("Enter approves the variances: the parts manager's approval posts them to the ledger, unless their "
                 "value is above the station's limit, when the accountant's approval does. Escape leaves it waiting.")
    return _("Enter: yes · Escape leaves it waiting.")


def refusable(decision: Decision | None) -> bool:
    """Whether the row can be refused here (a transfer or an adjustment); orders and claims have their own screens."""
    return decision is not None and decision.kind in (TRANSFER, ADJUSTMENT)


def decide_call(decision: Decision, actor: Any) -> Callable[[str, Any], Any]:
    """The service call the row's key makes once asked: check the transfer (二审), approve the adjustment, approve
    or send the urgent order, send the claim; the comment goes where the service keeps one."""
    number = decision.number
    if decision.kind == TRANSFER:
        from core.services.transfers import check_transfer

        return lambda comment, uow: check_transfer(number, actor=actor, uow=uow)
    if decision.kind == ADJUSTMENT:
        from core.services.adjustments import approve_adjustment

        return lambda comment, uow: approve_adjustment(number, actor=actor, uow=uow)
    if decision.kind == ORDER:
        from core.services.purchasing import approve_order, send_order

        service = approve_order if decision.action == APPROVE else send_order
        return lambda comment, uow: service(number, actor=actor, uow=uow)
    if decision.kind == CLAIM:
        from core.models.enums import ClaimState
        from core.services.claims import move_claim

        return lambda comment, uow: move_claim(number, ClaimState.SENT, actor=actor, uow=uow, note=comment or None)
    if decision.kind == STOCKTAKE:
        from core.services.stocktake import approve

        return lambda comment, uow: approve(number, actor=actor, uow=uow)
    raise ValueError(decision.kind)


def refuse_call(decision: Decision, actor: Any) -> Callable[[str, Any], Any]:
    """The refusal of a transfer (the comment is its note) or of an adjustment waiting for approval."""
    number = decision.number
    if decision.kind == TRANSFER:
        from core.services.transfers import refuse_transfer

        return lambda comment, uow: refuse_transfer(number, actor=actor, uow=uow, note=comment or None)
    from core.services.adjustments import refuse_adjustment

    return lambda comment, uow: refuse_adjustment(number, actor=actor, uow=uow)


def decides(decision: Decision | None) -> bool:
    """Whether the row's key acts here (every kind it lists)."""
    return decision is not None and decision.kind in (TRANSFER, ADJUSTMENT, STOCKTAKE, ORDER, CLAIM)
