"""CLI commands for prices and who pays: `price rule list | set | remove` (the station's price rules) and
`ro payer RO PART_NO --payer customer|warranty|internal` (who pays for a part on a repair order)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from core.decimals import fmt_money, fmt_qty
from core.i18n import _
from tui.cli_support import emit_json, iso, local, say, state, table

price_app = typer.Typer(help=_("Prices: the station's price rules for the selling price."), rich_markup_mode=None)
rule_app = typer.Typer(help=_("The station's price rules: cost plus a markup by model series or part group, never "
                              "below a floor; the list price where no rule covers a part."), rich_markup_mode=None)
price_app.add_typer(rule_app, name="rule")
JsonOption = Annotated[bool, typer.Option("--json", help=_("Print one JSON document."))]
SeriesOption = Annotated[Optional[str], typer.Option("--series", help=_("The rule is for this model series."))]
GroupOption = Annotated[Optional[str], typer.Option("--group", help=_("The rule is for this part group."))]
StationOption = Annotated[bool, typer.Option(
    "--station", help=_("The station-wide rule: its floor is every part's minimum margin, its markup the default."))]


def register(app: typer.Typer, ro_app: typer.Typer) -> None:
    """Add `price` to the top-level app and `payer` to the repair-order group."""
    app.add_typer(price_app, name="price")
    ro_app.command("payer")(ro_payer)


def _scope(series: str | None, group: str | None, station: bool) -> tuple[str, str | None]:
    from core.errors import BadInput

    given = [(scope, key) for scope, key, on in (("series", series, series is not None),
                                                   ("group", group, group is not None),
                                                   ("station", None, station)) if on]
    if len(given) != 1:
        raise BadInput(_("name one of --series, --group or --station"))
    return given[0]


def rule_document(rule) -> dict:
    """A price rule as `price rule list --json` prints it."""
    return {"scope": rule.scope, "key": rule.key,
            "markup": None if rule.markup is None else fmt_money(rule.markup),
            "floor": None if rule.floor is None else fmt_money(rule.floor),
            "set_at": iso(rule.set_at), "set_by": rule.set_by}


def rule_line(rule) -> str:
    """A price rule in a sentence, as `price rule set` confirms it."""
    from core.labels import PRICE_SCOPE, label

    what = label(PRICE_SCOPE, rule.scope) + (f" {rule.key}" if rule.key else "")
    markup = "-" if rule.markup is None else f"{fmt_money(rule.markup)}%"
    floor = "-" if rule.floor is None else f"{fmt_money(rule.floor)}%"
    return _("{what}: markup {markup}, floor {floor}").format(what=what, markup=markup, floor=floor)


@rule_app.command("list")
def rule_list(ctx: typer.Context, json: JsonOption = False) -> None:
    """The station's price rules: the station-wide one, then by series, then by group."""
    from core.labels import PRICE_SCOPE, label
    from core.services.pricing import list_rules

    with state(ctx).database().reading() as uow:
        rules = list_rules(uow=uow)
    if json:
        emit_json([rule_document(r) for r in rules])
        return
    if not rules:
        say(_("no price rules: every part sells at its list price"))
        return
    table(None, [_("scope"), _("for"), _("markup %"), _("floor %"), _("set"), _("by")],
          [[label(PRICE_SCOPE, r.scope), r.key or "-", "-" if r.markup is None else fmt_money(r.markup),
            "-" if r.floor is None else fmt_money(r.floor), local(r.set_at), r.set_by] for r in rules],
          right={2, 3})


@rule_app.command("set")
def rule_set(
    ctx: typer.Context,
    series: SeriesOption = None,
    group: GroupOption = None,
    station: StationOption = False,
    markup: Annotated[Optional[str], typer.Option("--markup", help=_("Percent on cost, e.g. 35."))] = None,
    floor: Annotated[Optional[str], typer.Option(
        "--floor", help=_("The least margin, percent on cost: the price is never below it."))] = None,
    json: JsonOption = False,
) -> None:
    """Set or replace a price rule (parts manager, station manager): one of --series, --group or --station, with
    --markup, --floor or both."""
    from core.services.pricing import set_rule

    scope, key = _scope(series, group, station)
    cli = state(ctx)
    with cli.database().writing() as uow:
        rule = set_rule(scope, key, markup=markup, floor=floor, actor=cli.actor(uow), uow=uow)
    if json:
        emit_json(rule_document(rule))
    else:
        say(rule_line(rule))


@rule_app.command("remove")
def rule_remove(ctx: typer.Context, series: SeriesOption = None, group: GroupOption = None,
                station: StationOption = False) -> None:
    """Remove a price rule: its parts fall back to the series' rule, the station's, or the list price."""
    from core.services.pricing import remove_rule, rule_key

    scope, key = _scope(series, group, station)
    cli = state(ctx)
    with cli.database().writing() as uow:
        remove_rule(scope, key, actor=cli.actor(uow), uow=uow)
    say(_("price rule for {key} removed").format(key=rule_key(scope, key)[1] or _("the station")))


def ro_payer(
    ctx: typer.Context,
    ro: str,
    part_no: str,
    payer: Annotated[str, typer.Option("--payer", metavar="customer|warranty|internal", help=_(
        "Who pays: the customer (selling price), warranty (the maker, at list price) or internal (at cost)."))],
    json: JsonOption = False,
) -> None:
    """Say who pays for a part issued on a repair order (advisor, accountant), until it is settled."""
    from core.services.pricing import set_payer

    cli = state(ctx)
    with cli.database().writing() as uow:
        charges = set_payer(ro, part_no, payer, actor=cli.actor(uow), uow=uow)
    if json:
        emit_json(charges_document(charges))
    else:
        say(charges_line(charges))


def charges_document(charges) -> dict:
    """A repair order's charges as the JSON of `ro show` and `ro payer` hold them."""
    return {"charges": [{"payer": payer, "amount": fmt_money(amount)} for payer, amount in charges.by_payer],
            "cost": fmt_money(charges.cost),
            "charge_lines": [{"part_no": x.part_no, "qty": fmt_qty(x.qty),
                              "payer": x.payer, "unit_price": fmt_money(x.unit_price), "amount": fmt_money(x.amount),
                              "cost": fmt_money(x.cost)} for x in charges.lines]}


def charges_line(charges) -> str:
    """The parts total by payer beside the cost, in one line."""
    from core.labels import PAYER, label

    parts = ", ".join(f"{label(PAYER, payer)} {fmt_money(amount)}" for payer, amount in charges.by_payer)
    return _("parts charged: {parts}; cost {cost}").format(parts=parts, cost=fmt_money(charges.cost))
