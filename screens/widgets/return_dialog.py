"""Taking parts back at the counter (退料): the requisition's lines with what may still come back; scan or
key the quantities, confirm each part intact, and the mechanic signs with his PIN. A part found damaged is
refused (维修工退料，库房管理员要先确认备件完好无损…方可电脑退料): it stays consumed on the repair order, and
the dialog offers to report the damage on the order."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from core.counter_rules import default_mechanic
from core.decimals import fmt_qty
from core.errors import BadInput
from core.i18n import N_, _, pgettext
from core.services.repair_orders import report_damage
from core.services.requisitions import OutstandingLine, RequisitionView, get_requisition, outstanding
from core.services.returns import ReturnRequest, ReturnView, refused_damaged, take_back
from screens import keys
from screens.widgets.decision import DecisionDialog
from screens.widgets.dialogs import Dialog, QtyDialog, SignDialog, YesNoDialog
from screens.widgets.footer import Footer
from screens.widgets.scanning import BurstScanInput, LineTable, split_scan
from screens.widgets.tables import Column


@dataclass
class ReturnLineDraft:
    """A requisition line and what comes back of it now."""

    line: OutstandingLine
    qty: Decimal = Decimal(0)
    damaged: bool = False  # found damaged: refused, nothing of it comes back


class DamageLineTable(LineTable):
    """The return's lines; D says the part under the cursor is damaged (refused as a return)."""

    # A letter on the table itself: it holds the focus, so no field can take the key.
    BINDINGS = [Binding("d", "damaged", N_("Damaged"), id="line_damaged",
                        tooltip=N_("Damaged: refused as a return; the damage can be reported on the order"))]

    def action_damaged(self) -> None:
        """The part is damaged."""
        self._ask("damaged")


class ReturnDialog(Dialog[ReturnView]):
    """The return on one requisition; dismissed with the ReturnView once the mechanic has signed."""

    AUTO_FOCUS = "#return-part"
    BINDINGS = [
        Binding(keys.COMMIT, "post", N_("Take back"), id="post_return",
                tooltip=N_("The mechanic signs with his PIN and the parts go back")),
        Binding(keys.BACK, "cancel", N_("Cancel"), id="cancel"),
    ]

    def __init__(self, requisition: str) -> None:
        """A return on requisition `requisition`."""
        super().__init__()
        self.requisition = requisition
        self.mechanic = ""
        self.ro = ""
        self.lines: dict[str, ReturnLineDraft] = {}

    def compose(self) -> ComposeResult:
        """Title, scan field, the lines, reason and damage note, and the message line."""
        with Vertical(classes="dialog-box wide"):
            yield Static(Text(_("Return on {req} 退料").format(req=self.requisition)), classes="dialog-title",
                         id="return-title")
            yield Label(_("Scan or type the part coming back (PART*QTY for several)"), classes="field-label")
            yield BurstScanInput(id="return-part", placeholder=_("part number"))
            yield DamageLineTable(id="return-lines")
            yield Label(_("Reason (optional)"), classes="field-label")
            yield Input(id="return-reason", placeholder=_("e.g. not needed, wrong part ordered"))
            yield self.message_line(_("Only a part confirmed intact (完好无损) comes back"))
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then read the requisition."""
        # In a narrow dialog the name is cut short first, then what came back before gives way.
        self.query_one("#return-lines", DamageLineTable).set_columns(
            Column("part_no", _("Part no"), 12),
            Column("name", _("Name"), 26, min_width=10),
            Column("issued", Text(_("Issued"), justify="right"), 7, gives_way=2),
            Column("returned", Text(pgettext("return_column", "Back"), justify="right"), 6, gives_way=1),
            Column("open", Text(pgettext("return_column", "Open"), justify="right"), 6),
            Column("qty", Text(_("Now"), justify="right"), 6),
            Column("condition", _("Condition"), 14, min_width=9),
        )
        number = self.requisition
        # A database fault is said in the message line: nothing can be taken back.
        self.run_read(lambda uow: (get_requisition(number, uow=uow), outstanding(number, uow=uow)), self._loaded,
                      group="load")

    def _loaded(self, read: tuple[RequisitionView, list[OutstandingLine]]) -> None:
        view, lines = read
        self.mechanic = view.mechanic.code
        self.ro = view.ro.ro_no
        self.query_one("#return-title", Static).update(Text(
            _("Return on {req} 退料 · {ro} · issued to {mechanic}").format(
                req=view.number, ro=view.ro.ro_no, mechanic=f"{view.mechanic.code} {view.mechanic.name}")))
        self.lines = {line.part_no: ReturnLineDraft(line) for line in lines}
        self._fill()
        if not any(line.outstanding > 0 for line in lines):
            self.say(_("everything on {req} has come back already").format(req=view.number), "notice")

    def _fill(self, select: str | None = None) -> None:
        table = self.query_one("#return-lines", DamageLineTable)
        keep = table.current_key
        table.clear()
        for part_no, draft in self.lines.items():
            line = draft.line
            names = f"{line.name_zh}  {line.name}" if line.name_zh else line.name
            condition = (Text(_("damaged: refused"), style="bold red") if draft.damaged
                         else Text(_("intact?")) if draft.qty else Text(""))
            table.add_row(Text(part_no), Text(names), Text(fmt_qty(line.issued), justify="right"),
                          Text(fmt_qty(line.returned), justify="right"),
                          Text(fmt_qty(line.outstanding), justify="right"),
                          Text(fmt_qty(draft.qty) if draft.qty else "", justify="right", style="bold"),
                          condition, key=part_no)
        target = select or keep
        if target in self.lines:
            table.move_cursor(row=list(self.lines).index(target))
        self.refresh_bindings()

    @on(Input.Submitted, "#return-part")
    def _scanned(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            return
        try:
            part_no, qty = split_scan(text)
        except BadInput as exc:
            self.say(exc.message, "error")
            return
        draft = self.lines.get(part_no)
        if draft is None:
            self.say(_("{part_no} was not issued on {req}").format(part_no=part_no, req=self.requisition), "error")
            return
        draft.qty += qty
        draft.damaged = False
        self._fill(select=part_no)
        self._check(draft)

    def _check(self, draft: ReturnLineDraft) -> None:
        if draft.qty > draft.line.outstanding:
            self.say(_("{part_no}: {qty} coming back but only {open} issued and not returned").format(
                part_no=draft.line.part_no, qty=fmt_qty(draft.qty), open=fmt_qty(draft.line.outstanding)), "error")
        else:
            self.say(_("{part_no}: {qty} coming back").format(part_no=draft.line.part_no, qty=fmt_qty(draft.qty)))

    def line_changed(self, part_no: str, change: str) -> None:
        """A key on a line: more, less, set (ask), remove (nothing back), damaged (toggle)."""
        draft = self.lines.get(part_no)
        if draft is None:
            return
        if change == "more":
            draft.qty, draft.damaged = draft.qty + 1, False
        elif change == "less":
            draft.qty = max(Decimal(0), draft.qty - 1)
        elif change == "remove":
            draft.qty, draft.damaged = Decimal(0), False
        elif change == "damaged":
            self._refuse(draft)
            return
        elif change == "set":
            def done(qty: Decimal | None) -> None:
                if qty is not None:
                    draft.qty, draft.damaged = qty, False
                    self._fill(select=part_no)
                    self._check(draft)

            self.app.push_screen(QtyDialog(_("Quantity of {part_no} coming back").format(part_no=part_no),
                                           draft.qty or Decimal(1)), done)
            return
        self._fill(select=part_no)
        self._check(draft)

    def _refuse(self, draft: ReturnLineDraft) -> None:
        """A part found damaged: refused (nothing of it comes back), said on the message line, and the damage
        report on the order offered."""
        draft.qty, draft.damaged = Decimal(0), True
        part_no = draft.line.part_no
        self._fill(select=part_no)
        self.say(refused_damaged(part_no, self.ro or None), "error")
        if not self.ro:
            return
        actor, ro = self.app.actor, self.ro

        def decide(note: str, uow):
            return report_damage(ro, part_no, note, actor=actor, uow=uow)

        def reported(view) -> None:
            if view is not None:
                self.say(_("{part_no}: damage reported on {ro}; it stays consumed on the order").format(
                    part_no=part_no, ro=ro), "notice")

        summary = _("{part_no} {name} stays consumed on {ro}. Report the damage on the order for the workshop's "
                    "follow-up (no stock moves), or Escape for no report.").format(
            part_no=part_no, name=draft.line.name_zh or draft.line.name, ro=ro)
        self.app.push_screen(DecisionDialog(_("Damage report on {ro}").format(ro=ro), summary,
                                            _("What is wrong with it"), decide, kind="reject"), reported)

    def action_post(self) -> None:
        """Check the lines, confirm each part intact, then the mechanic signs and the core takes them all back or
        none."""
        chosen = [d for d in self.lines.values() if d.qty > 0]
        if not chosen:
            self.say(_("nothing to take back: scan the parts or key their quantities"), "error")
            return
        self._ask_intact(chosen, 0)

    def _ask_intact(self, chosen: list[ReturnLineDraft], index: int) -> None:
        """The storekeeper confirms each line intact in turn (Enter); a no refuses that part."""
        if index == len(chosen):
            self._sign(chosen)
            return
        draft = chosen[index]

        def answered(intact: bool | None) -> None:
            if intact:
                self._ask_intact(chosen, index + 1)
            else:
                self._refuse(draft)

        question = _("Is {part_no} {name} × {qty} intact (完好无损)? Enter: intact · Escape: damaged, refused").format(
            part_no=draft.line.part_no, name=draft.line.name_zh or draft.line.name, qty=fmt_qty(draft.qty))
        self.app.push_screen(YesNoDialog(_("Intact? 完好无损?"), question), answered)

    def _sign(self, chosen: list[ReturnLineDraft]) -> None:
        reason = self.query_one("#return-reason", Input).value.strip()
        requests = [ReturnRequest(d.line.part_no, d.qty) for d in chosen]
        summary = "\n".join(
            f"{d.line.part_no}  {d.line.name_zh or d.line.name}  × {fmt_qty(d.qty)}  {_('intact 完好')}"
            for d in chosen)
        actor, requisition = self.app.actor, self.requisition

        def sign(code: str, pin: str, uow) -> ReturnView:
            return take_back(requisition, requests, mechanic=code, mechanic_pin=pin, reason=reason or None,
                             actor=actor, uow=uow)

        title = _("{req}: the mechanic returns the parts and signs").format(req=requisition)
        code = default_mechanic(actor, self.mechanic)
        self.app.push_screen(SignDialog(title, summary, sign, code=code), self._signed)

    def _signed(self, result) -> None:
        if result is not None:
            self.dismiss(result)
