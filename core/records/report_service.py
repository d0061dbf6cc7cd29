"""The service reports' SQL: how shortages were answered and fulfilled, claims still outstanding by party and
age, and the receipts posted in a period with their arrival (the late ones are told by core.receiving_rules)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, case, func, literal, select

from core import tables as t
from core.models.enums import ClaimState, ReceiptState
from core.records.report_stock import raw
from core.shortage_rules import ANSWER_WITHIN

# Claims' age buckets in days since raised: (key, last day or None).
CLAIM_AGES = (("0_30", 30), ("31_60", 60), ("61_90", 90), ("over_90", None))


def seconds_between(conn: Connection, later, earlier):
    """The seconds from `earlier` to `later`, in each database's own date arithmetic."""
    if conn.dialect.name == "postgresql":
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400


def shortage_summary(conn: Connection, start: datetime, end: datetime):
    """(logged, answered, answered within 30 minutes, fulfilled, mean seconds to answer, mean seconds to fulfil)
    of the shortages logged in [start, end)."""
    s = t.shortage
    answer = seconds_between(conn, s.c.answered_at, s.c.logged_at)
    fulfil = seconds_between(conn, s.c.fulfilled_at, s.c.logged_at)
    in_time = case((answer <= ANSWER_WITHIN.total_seconds(), 1), else_=0)
    return conn.execute(
        select(func.count(), func.count(s.c.answered_at), func.coalesce(func.sum(in_time), 0),
               func.count(s.c.fulfilled_at), func.avg(answer), func.avg(fulfil))
        .where(s.c.logged_at >= start, s.c.logged_at < end)).one()


def claim_age(created_at, at: datetime):
    """The age bucket's key of a claim raised at `created_at`, seen at `at`."""
    whens = [(created_at > at - timedelta(days=last + 1), literal(key)) for key, last in CLAIM_AGES if last]
    return case(*whens, else_=literal(CLAIM_AGES[-1][0]))


def claim_rows(conn: Connection, at: datetime):
    """(party, age bucket, claims, amount in cents) of the claims raised by `at` and still open or sent."""
    claim, line = t.claim, t.claim_line
    amounts = (select(line.c.claim_id, func.sum(raw(line.c.amount)).label("amount"))
               .group_by(line.c.claim_id).subquery("amounts"))
    age = claim_age(claim.c.created_at, at)
    return conn.execute(
        select(claim.c.party, age.label("age"), func.count(), func.coalesce(func.sum(amounts.c.amount), 0))
        .select_from(claim.outerjoin(amounts, amounts.c.claim_id == claim.c.id))
        .where(claim.c.state.in_([ClaimState.OPEN.value, ClaimState.SENT.value]), claim.c.created_at <= at)
        .group_by(claim.c.party, age).order_by(claim.c.party, age))


def posted_receipts(conn: Connection, start: datetime, end: datetime):
    """(number, arrived, posted, late reason) of the receipts posted in [start, end), in posting order; posted
    at least a day after arriving, as a cheap first cut before the station's calendar rule."""
    r = t.receipt
    return conn.execute(
        select(r.c.number, r.c.arrived_at, r.c.posted_at, r.c.late_reason)
        .where(r.c.state == ReceiptState.POSTED.value, r.c.posted_at >= start, r.c.posted_at < end,
               r.c.posted_at > r.c.arrived_at)
        .order_by(r.c.posted_at, r.c.id), execution_options={"yield_per": 2000})
