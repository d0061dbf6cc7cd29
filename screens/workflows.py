"""The workflow registry: one row per workflow of the desk, from which the app's keys, the home list, the command
palette and "open it, or return to the one already open" are all made.

A row names its screen and the core rule that guards it by import path ("module:name"): both are imported on
first use, so that the app (and the login it paints first) loads neither the database stack nor the rules.
The registry decides no permission itself: the row says which core predicate over the Actor does.

Adding a workflow is one row here and one screen module that implements `returned_to(number)`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from textual.binding import Binding

from core.i18n import N_, NC_, _, pgettext
from screens import keys
from screens.key_words import WORKFLOW

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    from core.roles import Actor


class ReturnsTo(Protocol):
    """What every workflow screen (and any screen opened once) implements."""

    def returned_to(self, number: str | None) -> None:
        """The operator came (back) to this screen: its key, the to-do or a scan; `number` is a document to show
        (None: just be ready for the next scan). Called before the screen is mounted when it is new."""


@dataclass(frozen=True, slots=True)
class Workflow:
    """One workflow: its action, key, screen, guarding rule, titles, home line and palette tooltip."""

    action: str  # its name: the binding's id, the home list's option id, the app's `workflow` action's argument
    key: str  # from screens.keys
    screen: str  # "module:Class", imported on first use
    permission: str  # "module:predicate", a core predicate over the Actor, imported on first use
    # The words below are English messages marked with N_: the registry is built at import, before anyone signs
    # in, so they are translated where they are shown (shown_title, shown_purpose, the footer, the palette).
    title: str  # English, as the footer shows it
    title_zh: str  # the word the staff use: the palette finds it in either language
    purpose: str  # the line home shows beside it
    tooltip: str  # the footer's tooltip and the palette's help
    documents: tuple[str, ...] = ()  # kinds of document (core.documents) whose scanned number opens this screen
    # The CLI write commands ("stock adjust", "sale check") this workflow's screen or its dialogs do with the same
    # core service: the README's parity table is made from them, and a test fails on a write command with none.
    commands: tuple[str, ...] = ()

    def shown_title(self) -> str:
        """The workflow's title in the active language, as home, the footer and the palette show it: the staff's
        own word (title_zh) in Chinese, through the catalogue's "workflow" context."""
        return pgettext(WORKFLOW, self.title)

    def shown_purpose(self) -> str:
        """The line home shows beside the title, in the active language."""
        return _(self.purpose)

    def searched_titles(self) -> tuple[str, ...]:
        """Every title the palette finds the workflow by: the shown one, the English and the staff's word."""
        return tuple(dict.fromkeys((self.shown_title(), self.title, self.title_zh)))

    def screen_class(self) -> type[Screen]:
        """The workflow's screen class (imported now)."""
        return _load(self.screen)

    def allows(self, actor: Actor | None) -> bool:
        """Whether the operator may use the workflow (nobody before sign-in): the core rule the row names decides."""
        return actor is not None and bool(_load(self.permission)(actor))

    def binding(self) -> Binding:
        """The app's key for the workflow."""
        return Binding(self.key, f"workflow({self.action!r})", self.title, id=self.action, tooltip=self.tooltip,
                       key_display=keys.shifted_display(self.key))


# In the order of their keys: the footer, the palette and home list them so.
WORKFLOWS: tuple[Workflow, ...] = (
    Workflow(action="lookup", key=keys.LOOKUP, screen="screens.lookup:LookupScreen",
             permission="core.access:may_look_up_parts", title=NC_("workflow", "Part lookup"), title_zh="零件查询",
             purpose=N_("find a part by number or name, or scan it; see its lots"),
             tooltip=N_("Find a part by number or name, or scan it"),
             # The part screen: t transfer, w withdraw one's own, j adjust, s supersede, e the part form, r release
             # and x write off quarantine, F10 its label, Enter on a lot its bin (F10 there the bin's label); ctrl+t
             # the vehicle dialog, ctrl+n a new part in the part form.
             commands=("transfer create", "transfer cancel", "stock adjust", "stock release", "part supersede",
                       "part add", "part edit", "part set-general", "part set-supplier", "part set-location",
                       "label part", "label location", "vehicle take", "vehicle restore", "print vehicle-take",
                       "print vehicle-restore")),
    Workflow(action="counter", key=keys.COUNTER, screen="screens.counter:CounterScreen",
             permission="core.access:may_work_counter", title=NC_("workflow", "Counter"), title_zh="备件柜台",
             purpose=N_("issue parts against a repair order oldest first, the mechanic signs; take parts back"),
             tooltip=N_("Issue parts against repair orders and take them back"),
             documents=("requisition", "return"),
             # One-step issue, or write then issue; the shortage and return dialogs; the preview: slips, labels (l).
             commands=("issue", "requisition write", "requisition issue", "requisition cancel", "shortage log",
                       "return take", "ro damage-report", "print requisition", "print return",
                       "label document")),
    Workflow(action="intake", key=keys.REPAIR_ORDERS, screen="screens.intake:IntakeScreen",
             permission="core.access:may_follow_repair_orders", title=NC_("workflow", "Repair orders"),
             title_zh="维修服务单",
             purpose=N_("take a car in, assign the technician, follow the order to delivery and settlement"),
             tooltip=N_("Take cars in and follow their repair orders to delivery"),
             documents=("ro",),
             # The intake form opens; a n w and the state keys (s settles); F10 the order in the preview (l its label);
             # p the parts' payers; settling offers the settlement slip in the preview; l registers a shortage for the
             # order (screens.intake_shortage).
             commands=("ro open", "ro assign", "ro note", "ro warranty", "ro state", "ro settle", "print ro",
                       "label document", "ro payer", "print settlement", "shortage log")),
    Workflow(action="receiving", key=keys.RECEIVING, screen="screens.receiving:ReceivingScreen",
             permission="core.receiving_rules:may_receive", title=NC_("workflow", "Receiving"), title_zh="入库",
             purpose=N_("open a shipment from its packing list, check the boxes, count by scanner, post, put away"),
             tooltip=N_("Receive shipments against the packing list: box check, count, post, putaway"),
             documents=("receipt",),
             # The receipt screen and its dialogs; a new part gets its name and location at putaway; the
             # preview prints the papers, their labels (l) and checks the invoice (i); ctrl+t parts off a vehicle;
             # the putaway list prints the receipt's sheet of part labels (s).
             commands=("receive open", "receive boxes", "receive scan", "receive count", "receive reopen",
                       "receive refuse", "receive name", "receive post", "receive invoice", "part add",
                       "part set-location", "print receipt", "print putaway", "print discrepancy",
                       "print claim", "label document", "label sheet", "vehicle take", "vehicle restore",
                       "print vehicle-take", "print vehicle-restore")),
    Workflow(action="review", key=keys.REVIEW, screen="screens.review:ReviewScreen",
             permission="core.approvals:may_decide", title=NC_("workflow", "Review"), title_zh="审批",
             purpose=N_("drafts waiting for your decision: review, approve, reject, change at the order meeting"),
             tooltip=N_("Purchase-request drafts waiting for your decision: review, approve or reject"),
             documents=("request",),
             # Drafts: v a r and e (a line at the meeting); the decisions list: transfers, adjustments, urgent
             # orders, claims to send, stocktakes; m the station's price rules.
             commands=("request review", "request approve", "request reject", "request line", "transfer check",
                       "transfer refuse", "stock approve", "stock refuse", "po approve", "po send", "claim send",
                       "stocktake approve", "price rule set", "price rule remove")),
    Workflow(action="shortages", key=keys.SHORTAGES, screen="screens.shortages:ShortagesScreen",
             permission="core.shortage_rules:may_follow_shortages", title=NC_("workflow", "Shortages"),
             title_zh="缺件登记",
             purpose=N_("shortage registrations with their 30-minute countdown; the parts department answers them"),
             tooltip=N_("Shortage registrations and their 30-minute answers"),
             commands=("shortage answer",)),
    Workflow(action="audit", key=keys.AUDIT, screen="screens.audit:AuditScreen",
             permission="core.access:may_read_audit", title=NC_("workflow", "Audit"), title_zh="操作日志",
             purpose=N_("who changed operators, roles, PINs and settings; lockouts, and unlocking them"),
             tooltip=N_("The audit trail and the operators locked after wrong PINs"),
             commands=("operator unlock",)),
    Workflow(action="stocktake", key=keys.STOCKTAKE, screen="screens.stocktake:StocktakeScreen",
             permission="core.roles:may_take_stock", title=NC_("workflow", "Stocktake"), title_zh="盘点",
             purpose=N_("count a zone, bins or the parts due blind by scanner; close, recount, approve the variances"),
             tooltip=N_("Stocktakes: blind counts by scanner, variances approved and posted"),
             documents=("stocktake",),
             # The scanner counts (the second counter signs at the close); close, recount, approve; F10 its paper.
             commands=("stocktake open", "stocktake count", "stocktake close", "stocktake recount",
                       "stocktake approve", "print stocktake")),
    Workflow(action="sales", key=keys.SALES, screen="screens.sales:SalesScreen",
             permission="core.roles:may_sell", title=NC_("workflow", "Counter sales"), title_zh="销售订单",
             purpose=N_("sell parts over the counter: one enters the sale, a second checks it; delivery note, settle"),
             tooltip=N_("Counter sales to walk-in customers and other workshops, checked by a second person"),
             documents=("sale",),
             commands=("sale create", "sale check", "sale settle", "sale return", "sale cancel", "print sale")),
    Workflow(action="reports", key=keys.REPORTS, screen="screens.reports:ReportsScreen",
             permission="core.access:may_read_reports", title=NC_("workflow", "Reports"), title_zh="报表",
             purpose=N_("stock value, aging, slow movers, stock card, consumption, A/B/C, service level, claims"),
             tooltip=N_("Reports with plots, exported to XLSX or PDF")),
    Workflow(action="planning", key=keys.PLANNING, screen="screens.planning:PlanningScreen",
             permission="core.order_rules:may_plan_orders", title=NC_("workflow", "Planning"), title_zh="计划",
             purpose=N_("the cycle's draft with forecast and history, its orders, export, send, chase, in transit"),
             tooltip=N_("The planner's draft, orders and goods in transit"),
             # The draft: ctrl+n, e, Delete, F9, m, x, i; its orders: ctrl+n urgent, a, x, s, c, k, F10 the order in
             # the preview.
             commands=("request draft", "request line", "request remove", "request resubmit", "request export",
                       "request import", "po from-request", "po create", "po approve", "po export", "po send",
                       "po chase", "po close", "print po")),
    Workflow(action="claims", key=keys.CLAIMS, screen="screens.claims:ClaimsScreen",
             permission="core.receiving_rules:may_manage_claims", title=NC_("workflow", "Claims"), title_zh="索赔",
             purpose=N_("claims to suppliers and carriers by party and age, the receivable; send, settle, reject"),
             tooltip=N_("Claims: send, settle or reject them, with the amount receivable per party"),
             documents=("claim",),
             # s, e (screens.claims_settle) and x; F10 the claim slip in the preview; w the warranty view, where F10
             # prints the highlighted repair order's settlement slip (its parts for the maker's claim).
             commands=("claim send", "claim settle", "claim reject", "print claim", "print settlement")),
    Workflow(action="admin", key=keys.ADMIN, screen="screens.admin:AdminScreen",
             permission="core.access:may_administer", title=NC_("workflow", "Administration"), title_zh="系统管理",
             purpose=N_("operators and their roles, PINs and lockouts; settings and the printer; backup; suppliers"),
             tooltip=N_("Operators, settings, the printer, the audit trail, backup, suppliers and locations"),
             commands=("operator add", "operator roles", "operator language", "operator reset-pin",
                       "operator unlock", "operator deactivate", "setting set", "backup", "supplier add",
                       "supplier rename", "carrier add", "location add")),
)
_BY_ACTION = {workflow.action: workflow for workflow in WORKFLOWS}
# Every app-wide key: never bound by a screen, a dialog or a widget (tests/test_key_map.py).
APP_WIDE = keys.APP_KEYS | frozenset(workflow.key for workflow in WORKFLOWS)


def workflow(action: str) -> Workflow:
    """The workflow of that name (KeyError for none)."""
    return _BY_ACTION[action]


def for_document(kind: str) -> Workflow | None:
    """The workflow whose screen opens a document of this kind by its number, if any."""
    return next((w for w in WORKFLOWS if kind in w.documents), None)


def workflow_bindings() -> list[Binding]:
    """The app's workflow keys, in the registry's order."""
    return [w.binding() for w in WORKFLOWS]


def open_workflow(app: App, action: str, number: str | None = None) -> Screen | None:
    """Open the workflow's screen, or return to the one already open, at document `number`; None (nothing
    opened) when the operator may not use it."""
    chosen = workflow(action)
    if not chosen.allows(getattr(app, "actor", None)):
        return None
    return open_once(app, chosen.screen_class(), number)


def open_once(app: App, screen_class: type[Screen], number: str | None = None) -> Screen:
    """Push a new `screen_class()`, or go back to the one in the stack (closing what lies above it); either way
    tell it `returned_to(number)` (a new screen only when there is a number to show)."""
    for index, screen in enumerate(app.screen_stack):
        if isinstance(screen, screen_class):
            for _above in app.screen_stack[index + 1:]:
                app.pop_screen()
            screen.returned_to(number)
            return screen
    # A screen class may keep one screen per sign-in (`kept(app)`, screens.lookup): shown again, not built again.
    kept = getattr(screen_class, "kept", None)
    screen = kept(app) if kept is not None else screen_class()
    app.push_screen(screen)
    if number is not None:
        screen.returned_to(number)
    return screen


def _load(path: str) -> Any:
    """The object a "module:name" path names."""
    module, _sep, name = path.partition(":")
    return getattr(importlib.import_module(module), name)

