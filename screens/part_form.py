"""The part form (零件主数据): add a part, or change one's master data, with every field of the master: number, names,
model series, part group (for the price rules), unit, list price, pack quantity, supplier, default bin, fragile and
general; the supersession through its own dialog (ctrl+o). One core service saves it all or nothing
(core.services.part_master)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Checkbox

from core.decimals import fmt_money, fmt_qty
from core.i18n import N_, _
from core.services.catalog import PartInfo
from core.services.part_master import PartMaster, save_part
from screens.admin_form import FormDialog, FormField

# Supersede from the form: a control key (the fields take letters), free in Textual's Input.
SUPERSEDE = "ctrl+o"


class PartFormDialog(FormDialog):
    """A new part (`master` None: its number typed, or given by receiving) or an existing one's master data; the
    result is the part as saved."""

    BINDINGS = [Binding(SUPERSEDE, "supersede", N_("Supersede"), id="part_form_supersede",
                        tooltip=N_("Supersede this number by a new one (or a kit) from a date"))]

    def __init__(self, actor, master: PartMaster | None = None, *, part_no: str = "", name: str = "",
                 location: str = "", price: str = "0") -> None:
        """Edit `master`, or add a part (number, name, bin and price prefilled where known)."""
        info = master.info if master is not None else None
        new = info is None
        fields = (
            FormField("part_no", _("Part number"), info.part_no if info else part_no, fixed=not new, max_length=40),
            FormField("name", _("Name"), info.name if info else name),
            FormField("name_zh", _("Chinese name"), (info.name_zh or "") if info else ""),
            FormField("model_series", _("Model series"), (info.model_series or "") if info else "",
                      placeholder=_("e.g. EXCELLE; empty: none"), max_length=40),
            FormField("group", _("Part group"), (info.part_group or "") if info else "",
                      placeholder=_("e.g. brakes, for the price rules; empty: none"), max_length=40),
            FormField("unit", _("Unit"), info.unit if info else "pc", max_length=10),
            FormField("price", _("List price"), fmt_money(info.list_price) if info else price, max_length=20),
            FormField("pack_qty", _("Pack qty"), fmt_qty(info.pack_qty) if info else "1", max_length=20),
            FormField("supplier", _("Supplier"), (master.supplier or "") if master else "",
                      placeholder=_("empty: the manufacturer"), max_length=20),
            FormField("location", _("Default location"), (info.location or "") if info else location,
                      placeholder="EXC-01-02-03", max_length=20),
        )
        title = _("New part 新增零件") if new else _("Part {part_no} 零件主数据").format(part_no=info.part_no)
        super().__init__(title, fields, self._save)
        self.actor, self.master = actor, master
        self.FIELDS = {**self.FIELDS, "qty": "#form-pack_qty"}  # a fraction of a whole unit is about the pack

    def more(self) -> ComposeResult:
        """Fragile and general, side by side (space ticks)."""
        info = self.master.info if self.master is not None else None
        with Horizontal(classes="form-line form-checks"):
            yield Checkbox(_("Fragile (易损件)"), bool(info and info.fragile), id="form-fragile", compact=True)
            yield Checkbox(_("General (通用件)"), bool(info and info.general), id="form-general", compact=True)

    def values(self) -> dict[str, object]:
        """The fields and the two check boxes (read here, on the UI thread)."""
        values: dict[str, object] = dict(super().values())
        values["fragile"] = self.query_one("#form-fragile", Checkbox).value
        values["general"] = self.query_one("#form-general", Checkbox).value
        return values

    def _save(self, values: dict[str, object], uow) -> PartInfo:
        fields = {key: value for key, value in values.items() if key != "part_no"}
        return save_part(str(values["part_no"]), fields, new=self.master is None, actor=self.actor, uow=uow)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Supersede an existing part only, for whoever edits the master (the core says so again)."""
        if action == "supersede":
            from core.roles import Permission

            return self.master is not None and self.actor.can(Permission.EDIT_PARTS)
        return True

    def action_supersede(self) -> None:
        """The supersession dialog over the form; what it set is said here."""
        from screens.supersede_dialog import SupersedeDialog

        def done(result) -> None:
            if result is not None:
                self.say(_("{old} superseded by {new}").format(old=result.old, new=" + ".join(result.new)), "notice")

        if self.master is not None:
            self.app.push_screen(SupersedeDialog(self.master.info.part_no), done)
