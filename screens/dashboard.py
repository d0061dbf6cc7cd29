"""The home screen's dashboard (待办): what waits for the signed-in operator, the most urgent first.

Open shortages with their countdown (overdue in red), counter sales waiting for a second person's check, receipts
not posted (today's, late and overdue apart), orders late in transit and drafts waiting for the operator's decision;
Enter opens each in its screen. Each operator sees the sections their roles work on (the core's to-do,
core.services.todo, decides what is on it; this widget shows it); it is read in a thread worker again every 30
seconds (the countdowns move) and whenever home shows again. It shows the counts of everything waiting and the first
WINDOW items only; home's key (screens.todo) opens the full list, which pages.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from core.access import todo_sections
from core.decimals import fmt_money, fmt_qty
from core.i18n import N_, _, ngettext
from core.labels import ORDER_STATE, label, part_name
from screens import keys
from screens.widgets.calls import ServiceCalls
from screens.widgets.planning_text import (
    CHANGED_STYLE,
    OVERDUE_STYLE,
    SOON_STYLE,
    duration,
    short_time,
    shortage_countdown,
    solution_label,
)
from screens.widgets.tables import Column, FittingColumns, KeepsSubject
from screens.workflows import open_once, open_workflow, workflow

if TYPE_CHECKING:
    from core.services.todo import Todo

REFRESH_SECONDS = 30.0
ALL_KEY = "a"  # home's key to the full to-do list (screens.todo): a letter, home has no text field


class DashboardTable(FittingColumns, KeepsSubject, DataTable):
    """The waiting items, one a row; Enter opens the item under the cursor. Its columns fit its width."""

    BINDINGS = [Binding(keys.OPEN, "select_cursor", N_("Open"), id="open_item",
                        tooltip=N_("Open the item under the cursor in its screen"))]


class OpensItems(ServiceCalls):
    """Enter on a to-do item opens it in its screen: the dashboard's and the full list's (screens.todo)."""

    def open_item(self, key: str) -> None:
        """Open the item of row `key` ("kind:number") in its screen."""
        kind, _sep, number = key.partition(":")
        if kind == "shortage":
            open_workflow(self.app, "shortages", number)
        elif kind == "draft":
            open_workflow(self.app, "review", number)
        elif kind == "sale":
            open_workflow(self.app, "sales", number)
        elif kind == "order":
            from screens.transit import TransitScreen

            open_once(self.app, TransitScreen, number)
        elif kind == "receipt":
            self._open_receipt(number)

    def _open_receipt(self, number: str) -> None:
        # The receiving screen is the storekeeper's and the planner's (F6); others see the deadline only.
        if not workflow("receiving").allows(self.app.actor):
            self.say(Text(_("{number}: the receiving screen (F6) is the storekeeper's and the planner's").format(
                number=number), style=SOON_STYLE))
            return
        from core.services.receiving import get_receipt

        # Posted and gone meanwhile, or a fault: said on the summary line.
        self.run_read(lambda uow: get_receipt(number, uow=uow), self._show_receipt, group="dashboard-open")

    def _show_receipt(self, receipt: Any) -> None:
        if not self.screen.is_current:  # the operator moved on while it was read
            return
        receiving = open_workflow(self.app, "receiving")
        show = getattr(receiving, "show_receipt", None)
        if show is not None:
            # Queued on the receiving screen: it runs once the screen has composed its widgets.
            receiving.call_later(show, receipt)


class Dashboard(OpensItems, Vertical):
    """Heading, a one-line summary and the items; the whole of it hides for an operator with no section."""

    BINDINGS = [
        Binding(keys.REFRESH, "reload", N_("Refresh"), id="reload_dashboard",
                tooltip=N_("Read what waits for you again")),
        Binding(keys.BACK, "leave", N_("Workflows"), id="leave_dashboard", tooltip=N_("Back to the workflows")),
    ]

    def __init__(self, **kwargs: Any) -> None:
        """An empty dashboard; it reads itself once mounted."""
        super().__init__(**kwargs)
        self.data: Todo | None = None

    def compose(self) -> ComposeResult:
        """Heading, summary and the items table."""
        yield Static(_("Waiting for you 待办"), classes="heading")
        yield Static(_("reading…"), id="dashboard-summary", classes="waiting")
        # The cells' own colours win over the cursor's: an overdue item stays red under the cursor.
        yield DashboardTable(id="dashboard-items", cursor_type="row", zebra_stripes=True,
                             cursor_foreground_priority="renderable")

    def on_mount(self) -> None:
        """Columns, the first read, the 30-second timer and a read whenever home shows again."""
        actor = self.app.actor
        if actor is None or not todo_sections(actor):
            self.display = False
            return
        # On a narrow terminal the details are cut short first: what is due stays.
        self.query_one(DashboardTable).set_columns(*todo_columns())
        self.set_interval(REFRESH_SECONDS, self._tick)
        self.app.screen_change_signal.subscribe(self, self._screen_changed)
        self.reload()

    def _tick(self) -> None:
        if self.screen.is_current:  # no reads for a home hidden under other screens
            self.reload()

    def _screen_changed(self, screen: Screen) -> None:
        if screen is self.screen:
            self.reload()
        elif not screen.is_modal:  # a dialog leaves home in sight: its read is still shown
            # Home left for another screen (F2, say): a read still on its way is dropped, not shown on the hidden
            # home while that screen paints; home reads again when it shows.
            self.workers.cancel_group(self, "dashboard")

    def focus_items(self) -> None:
        """Put the cursor in the items (from home's key)."""
        table = self.query_one(DashboardTable)
        if self.display and table.row_count:
            table.focus()

    def action_leave(self) -> None:
        """Back to the workflow list above."""
        self.screen.focus_previous()

    def action_reload(self) -> None:
        """Read the dashboard again (F5)."""
        self.reload()

    def reload(self) -> None:
        """Read every section again, off the UI thread."""
        from core.services import todo

        actor = self.app.actor
        if actor is not None and self.display:
            # The first items only (the full list is home's key); a database fault is said on the summary line.
            self.run_read(lambda uow: todo.read_todo(actor, uow=uow, limit=todo.WINDOW), self._fill,
                          group="dashboard")

    def say(self, message: str | Text, kind: str = "") -> None:
        """The summary line; an error in the overdue colour (errors of the service calls come here too)."""
        if kind == "error":
            message = Text(str(message), style=OVERDUE_STYLE)
        summary = self.query_one("#dashboard-summary", Static)
        summary.update(message)
        summary.set_classes("")

    def _fill(self, data: Todo) -> None:
        self.data = data
        table = self.query_one(DashboardTable)
        rows = list(_rows(data))
        table.reload(rows)  # the cursor stays on the item it was on
        table.display = bool(rows)
        summary = _summary(data)
        if data.counts.total > len(rows):  # the first items only: the full list is a key away
            summary.append(" · " + _("the first {shown} of {total}: {key} lists them all").format(
                shown=len(rows), total=data.counts.total, key=ALL_KEY))
        self.say(summary)

    @on(DataTable.RowSelected, "#dashboard-items")
    def _open(self, event: DataTable.RowSelected) -> None:
        self.open_item(event.row_key.value or "")


def todo_columns() -> tuple[Column, ...]:
    """The columns of the to-do items (the dashboard's and the full list's)."""
    return (
        Column("kind", _("What"), 15, min_width=12),
        Column("number", _("Number"), 15),
        Column("details", _("Details"), 50, min_width=10, gives_way=1),
        Column("due", _("Due"), 28, min_width=22),
    )


def _rows(data: Todo):
    """(key, cells) for every item, sections in the order of urgency of their work."""
    for a in data.arrivals or ():  # 缺件到货: kept for the order on a written requisition, to be issued
        yield f"arrival:{a.requisition}", [
            Text(_("Arrived 到货"), style="bold green"), Text(a.shortage),
            Text(f"{a.part_no} {a.name_zh or a.name} × {fmt_qty(a.qty)} · {a.ro_no}"),
            Text(_("reserved on {req}").format(req=a.requisition))]
    for s in data.shortages or ():
        if s.state == "open":
            due = shortage_countdown(s.overdue, s.minutes_left, s.respond_by, data.now)
        else:
            due = Text(_("{solution} → {eta}").format(solution=solution_label(s.solution, short=True),
                                                      eta=short_time(s.eta)))
        late = s.state == "open" and s.overdue
        yield f"shortage:{s.number}", [
            Text(_("Shortage 缺件"), style=OVERDUE_STYLE if late else "bold"), Text(s.number),
            Text(f"{s.part_no} {part_name(s.part_name, s.part_name_zh)} × {fmt_qty(s.qty)} · {s.ro}"), due]
    for sale in data.sales or ():  # 二审: the customer waits at the counter until a second person checks
        waited = _minutes(data.now - sale.entered_at)
        yield f"sale:{sale.number}", [
            Text(_("Sale to check 二审"), style="bold"), Text(sale.number),
            Text(ngettext("{customer} · {lines} line · {total} · entered by {who}",
                          "{customer} · {lines} lines · {total} · entered by {who}", len(sale.lines)).format(
                customer=sale.customer, lines=len(sale.lines), total=fmt_money(sale.total), who=sale.entered_by.code)),
            Text(_("waiting {time}").format(time=duration(waited)), style=SOON_STYLE if waited >= 15 else "")]
    for r in data.receipts or ():
        # 当日报财务: today's, late (after the day it arrived: posting needs the special reason) and overdue apart.
        if r.timing == "overdue":
            due = Text(_("OVERDUE by {time}").format(time=duration(_minutes(data.now - r.deadline))),
                       style=OVERDUE_STYLE)
        elif r.timing == "late":
            due = Text(_("late: {time} left, a special reason to post").format(
                time=duration(_minutes(r.deadline - data.now))), style=SOON_STYLE)
        else:
            due = Text(_("today's: post it today"))
        yield f"receipt:{r.number}", [
            Text(_("Receipt 入库"), style=OVERDUE_STYLE if r.overdue else "bold"), Text(r.number),
            Text(ngettext(
                "{supplier} · {shipment} · {lines} line · arrived {day}",
                "{supplier} · {shipment} · {lines} lines · arrived {day}", r.lines).format(
                supplier=r.supplier or "—", shipment=r.shipment_no or "—", lines=r.lines,
                day=r.arrived_at.astimezone().strftime("%m-%d"))), due]
    for o in data.orders or ():
        yield f"order:{o.number}", [
            Text(_("Order late 催货"), style=OVERDUE_STYLE), Text(o.number),
            Text(ngettext(
                "{supplier} · {lines} open line · last chased {at}",
                "{supplier} · {lines} open lines · last chased {at}", o.outstanding_lines).format(
                supplier=o.supplier, lines=o.outstanding_lines, at=short_time(o.last_chased))),
            Text(_("{time} late · ETA {day}").format(time=duration(_minutes(data.now - o.eta)),
                                                    day=o.eta.astimezone().strftime("%m-%d")), style=OVERDUE_STYLE)]
    for o in data.to_decide or ():
        what = _("Order to approve 审批") if o.state == "draft" else _("Order to send 发出")
        details = _("{supplier} · urgent for {documents}").format(supplier=o.supplier, documents=o.serves) \
            if o.urgent else o.supplier
        yield f"order:{o.number}", [Text(what, style="bold"), Text(o.number), Text(details),
                                    Text(label(ORDER_STATE, o.state))]
    for d in data.drafts or ():
        details = Text(ngettext(
            "{lines} line by {author}",
            "{lines} lines by {author}", d.lines).format(lines=d.lines, author=d.author))
        if d.changed:
            details.append(" · " + _("{count} changed").format(count=d.changed), style=CHANGED_STYLE)
        yield f"draft:{d.number}", [
            Text(_("Draft 审批"), style="bold"), Text(d.number), details,
            Text(_("{step} since {at}").format(step=_short_step(d.state), at=short_time(d.since)))]


def _short_step(state: str) -> str:
    """The step of a draft in a few words (the review screen says it in full)."""
    return {
        "draft": _("review"),
        "pm_reviewed": _("order meeting"),
        "meeting_reviewed": _("review"),
        "accountant_reviewed": _("approval"),
    }.get(state, state)


def _minutes(delta: timedelta) -> int:
    return max(0, int(delta.total_seconds() // 60))


def _summary(data: Todo) -> Text:
    """One line with the count of each section (of everything waiting, not only the items shown), the urgent
    parts in red."""
    counts = data.counts
    parts: list[Text] = []
    if data.shortages is not None:
        if data.answers_shortages:
            text = Text(_("shortages to answer: {count}").format(count=counts.shortages_open))
        else:
            text = Text(_("your shortages: {count}, {answered} answered").format(
                count=counts.shortages, answered=counts.shortages - counts.shortages_open))
        if counts.shortages_overdue:
            text.append(" " + _("({late} overdue)").format(late=counts.shortages_overdue), style=OVERDUE_STYLE)
        parts.append(text)
    if counts.sales:  # said only when a customer waits: most hours none does
        parts.append(Text(_("sales to check: {count}").format(count=counts.sales)))
    if data.receipts is not None:
        text = Text(_("receipts: {today} today's, {late} late").format(today=counts.receipts_today,
                                                                        late=counts.receipts_late))
        if counts.receipts_overdue:
            text.append(" " + _("({late} overdue)").format(late=counts.receipts_overdue), style=OVERDUE_STYLE)
        parts.append(text)
    if data.orders is not None:
        parts.append(Text(_("orders late: {count}").format(count=counts.orders_late),
                          style=OVERDUE_STYLE if counts.orders_late else ""))
    if counts.to_decide:
        parts.append(Text(_("orders to approve or send: {count}").format(count=counts.to_decide)))
    if data.drafts is not None:
        parts.append(Text(_("drafts waiting for you: {count}").format(count=counts.drafts)))
    if counts.arrivals:
        parts.insert(0, Text(_("parts arrived for your orders: {count}").format(count=counts.arrivals),
                             style="bold green"))
    if not (counts.shortages or counts.sales or counts.receipts or counts.orders_late or counts.drafts
            or counts.arrivals):
        return Text(_("Nothing waiting for you."))
    return Text(" · ").join(parts)
