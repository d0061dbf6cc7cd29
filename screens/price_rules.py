"""The station's price rules (价格规则), from the review screen: the rules in a list, and a rule set or replaced
from three fields (what it is for, markup, floor); x removes the highlighted rule, asking first. The parts
manager's and the station manager's (core.services.pricing)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from core.decimals import fmt_money
from core.i18n import N_, _
from core.labels import PRICE_SCOPE, label
from core.services.pricing import PriceRule, list_rules, parse_rule_for, remove_rule, set_rule
from screens.widgets.dialogs import Dialog, YesNoDialog
from screens.widgets.footer import Footer
from screens.widgets.tables import Column, SubjectTable


def _percent(value) -> str:
    return "-" if value is None else f"{fmt_money(value)}%"


class PriceRulesDialog(Dialog[bool]):
    """The rules above; below, Enter moves from field to field and Enter in the floor sets the rule."""

    AUTO_FOCUS = "#pr-for"
    BINDINGS = [Binding("x", "remove", N_("Remove"), id="remove_rule",
                        tooltip=N_("Remove the highlighted price rule (asks first)"))]

    def __init__(self, actor) -> None:
        """The rules, changed as `actor`."""
        super().__init__()
        self.actor = actor
        self.rules: list[PriceRule] = []

    def compose(self) -> ComposeResult:
        """Title, how prices are made, the rules, the three fields and the message line."""
        with Vertical(classes="dialog-box"):
            yield Static(Text(_("Price rules 价格规则")), classes="dialog-title")
            yield Static(Text(_("Selling price: cost plus the markup of the part's group, else of its series, else "
                                "the station's; never below cost plus the floor; the list price where no rule "
                                "covers a part.")), classes="dialog-summary")
            yield SubjectTable(id="pr-rules")
            yield Label(_("For: series NAME, group NAME or station"))
            yield Input(id="pr-for", compact=True)
            yield Label(_("Markup, percent on cost"))
            yield Input(id="pr-markup", compact=True)
            yield Label(_("Floor, percent on cost (the least margin)"))
            yield Input(id="pr-floor", compact=True)
            yield self.message_line(_("Enter moves on; Enter in the floor sets the rule · Escape closes"))
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then the rules."""
        self.query_one("#pr-rules", SubjectTable).set_columns(
            Column("scope", _("Scope"), 12), Column("key", _("For"), 0, min_width=8),
            Column("markup", _("Markup"), 9), Column("floor", _("Floor"), 9), Column("by", _("By"), 7, gives_way=1))
        self._read()

    def _read(self, message: str | None = None) -> None:
        def shown(rules: list[PriceRule]) -> None:
            self.rules = rules
            self.query_one("#pr-rules", SubjectTable).reload(
                [(f"{r.scope}:{r.key}", (Text(label(PRICE_SCOPE, r.scope)), Text(r.key or "-"),
                                         Text(_percent(r.markup), justify="right"),
                                         Text(_percent(r.floor), justify="right"), Text(r.set_by)))
                 for r in rules])
            if message:
                self.say(message, "success")
            elif not rules:
                self.say(_("no price rules: every part sells at its list price"))

        self.run_read(lambda uow: list_rules(uow=uow), shown, group="price-rules")

    @on(Input.Submitted, "#pr-for")
    def _for_done(self) -> None:
        self.set_focus(self.query_one("#pr-markup", Input))

    @on(Input.Submitted, "#pr-markup")
    def _markup_done(self) -> None:
        self.set_focus(self.query_one("#pr-floor", Input))

    @on(Input.Submitted, "#pr-floor")
    def _floor_done(self) -> None:
        text = self.query_one("#pr-for", Input).value
        markup = self.query_one("#pr-markup", Input).value
        floor = self.query_one("#pr-floor", Input).value
        actor = self.actor

        def work(uow) -> PriceRule:
            scope, key = parse_rule_for(text)
            return set_rule(scope, key, markup=markup, floor=floor, actor=actor, uow=uow)

        def done(rule: PriceRule) -> None:
            for field in ("#pr-for", "#pr-markup", "#pr-floor"):
                self.query_one(field, Input).value = ""
            self.set_focus(self.query_one("#pr-for", Input))
            self._read(_("price rule set: {what} {key}").format(what=label(PRICE_SCOPE, rule.scope), key=rule.key))

        self.run_write(work, done, group="price-rule-set")

    def action_remove(self) -> None:
        """Ask, then remove the highlighted rule."""
        key = self.query_one("#pr-rules", SubjectTable).subject_key
        rule = next((r for r in self.rules if f"{r.scope}:{r.key}" == key), None)
        if rule is None:
            return
        what = f"{label(PRICE_SCOPE, rule.scope)} {rule.key}".strip()
        actor = self.actor

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_write(lambda uow: remove_rule(rule.scope, rule.key, actor=actor, uow=uow),
                               lambda _done: self._read(_("price rule removed: {what}").format(what=what)),
                               group="price-rule-remove")

        self.app.push_screen(YesNoDialog(_("Remove the price rule"), _(
            "Remove the rule for {what}? Its parts fall back to the next rule or the list price.").format(what=what)),
            answered)
