"""Counter sales on the command line (销售订单): `sale create --customer NAME [--phone P] --line PART_NO:QTY …`, then
`sale check SAL` by a second person (the parts leave oldest lot first), `sale settle`, `sale return SAL --line …`,
`sale cancel`, `sale show` and `sale list`. The delivery note prints with `partsdesk print sale SAL`.

The names and JSON keys are issue 16's contract: `sale create --json` gives {"sale": "SAL-…"}.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from core import labels
from core.decimals import fmt_money, fmt_qty
from core.i18n import _
from tui.cli_support import emit_json, iso, local, say, state, table

JsonOption = Annotated[bool, typer.Option("--json", help=_("Print one JSON document."))]
LinesOption = Annotated[list[str], typer.Option("--line", help=_("A line PART_NO:QTY; repeat for more lines."))]
sale_app = typer.Typer(help=_("Counter sales (销售订单): entered, checked by a second person, settled."),
                       rich_markup_mode=None)


def _document(view) -> dict:
    return {
        "sale": view.number, "customer": view.customer, "phone": view.phone, "state": view.state,
        "entered_by": view.entered_by.code, "entered_at": iso(view.entered_at),
        "checked_by": view.checked_by.code if view.checked_by else None,
        "checked_at": iso(view.checked_at) if view.checked_at else None,
        "settled_by": view.settled_by.code if view.settled_by else None,
        "settled_at": iso(view.settled_at) if view.settled_at else None,
        "amount": fmt_money(view.settled_amount) if view.settled_amount is not None else None,
        "total": fmt_money(view.total), "returned": fmt_money(view.returned_value), "net": fmt_money(view.net),
        "refund": fmt_money(view.refund),
        "lines": [{"line_no": str(line.line_no), "part_no": line.part_no, "name": line.name, "qty": fmt_qty(line.qty),
                   "unit_price": fmt_money(line.unit_price), "amount": fmt_money(line.amount),
                   "returned": fmt_qty(line.returned),
                   "lots": [{"lot": str(take.lot), "location": take.location, "qty": fmt_qty(take.qty)}
                            for take in line.takes]}
                  for line in view.lines],
    }


def _say(view) -> None:
    say(_("{number}: {customer}, {total}: {state}").format(
        number=view.number, customer=view.customer, total=fmt_money(view.total),
        state=labels.label(labels.SALE_STATE, view.state)))


def _done(view, json: bool) -> None:
    if json:
        emit_json(_document(view))
    else:
        _say(view)


@sale_app.command("create")
def sale_create(
    ctx: typer.Context,
    customer: Annotated[str, typer.Option("--customer", help=_("The customer's name."))],
    line: LinesOption,
    phone: Annotated[Optional[str], typer.Option("--phone", help=_("The customer's phone."))] = None,
    json: JsonOption = False,
) -> None:
    """Enter a sales order (storekeeper or parts manager, 一审): nothing leaves until a second person checks it."""
    from core.services.sales import create_sale

    cli = state(ctx)
    with cli.database().writing() as uow:
        view = create_sale(customer, line, phone=phone, actor=cli.actor(uow), uow=uow)
    if json:
        emit_json({"sale": view.number})
    else:
        _say(view)


def _write(ctx: typer.Context, service, number: str, json: bool, *args) -> None:
    cli = state(ctx)
    with cli.database().writing() as uow:
        view = service(number, *args, actor=cli.actor(uow), uow=uow)
    _done(view, json)


@sale_app.command("check")
def sale_check(ctx: typer.Context, number: str, json: JsonOption = False) -> None:
    """Check a sale (二审: dispatch checker or parts manager, not the one who entered it): the parts leave, oldest
    lot first."""
    from core.services.sales import check_sale

    _write(ctx, check_sale, number, json)


@sale_app.command("settle")
def sale_settle(ctx: typer.Context, number: str, json: JsonOption = False) -> None:
    """Settle a checked sale: record what the customer owes."""
    from core.services.sales import settle_sale

    _write(ctx, settle_sale, number, json)


@sale_app.command("return")
def sale_return(ctx: typer.Context, number: str, line: LinesOption, json: JsonOption = False) -> None:
    """Take parts of a sale back into stock, within the station's sale_return_days of its check."""
    from core.services.sales import return_sale

    _write(ctx, return_sale, number, json, line)


@sale_app.command("cancel")
def sale_cancel(ctx: typer.Context, number: str, json: JsonOption = False) -> None:
    """Cancel a sale not yet checked: nothing moves."""
    from core.services.sales import cancel_sale

    _write(ctx, cancel_sale, number, json)


@sale_app.command("show")
def sale_show(ctx: typer.Context, number: str, json: JsonOption = False) -> None:
    """A sale with its lines, the lots they left from and what came back."""
    from core.services.sales import show_sale

    with state(ctx).database().reading() as uow:
        view = show_sale(number, uow=uow)
    if json:
        emit_json(_document(view))
        return
    _say(view)
    if view.phone:
        say(_("phone: {phone}").format(phone=view.phone))
    say(_("entered by {who} {at}").format(who=view.entered_by.code, at=local(view.entered_at)))
    if view.checked_by:
        say(_("checked by {who} {at}").format(who=view.checked_by.code, at=local(view.checked_at)))
    if view.settled_by:
        say(_("settled by {who} {at}: {amount}").format(who=view.settled_by.code, at=local(view.settled_at),
                                                          amount=fmt_money(view.settled_amount)))
    table(None, [_("#"), _("part no"), _("name"), _("qty"), _("unit price"), _("amount"), _("returned")],
          [[str(x.line_no), x.part_no, x.name, fmt_qty(x.qty), fmt_money(x.unit_price), fmt_money(x.amount),
            fmt_qty(x.returned)] for x in view.lines], right={0, 3, 4, 5, 6})


@sale_app.command("list")
def sale_list(
    ctx: typer.Context,
    state_: Annotated[Optional[str], typer.Option("--state", help=_("Only sales in this state."))] = None,
    json: JsonOption = False,
) -> None:
    """Sales orders, newest first."""
    from core.services.sales import list_sales

    with state(ctx).database().reading() as uow:
        rows = list_sales(uow=uow, state=state_)
    if json:
        emit_json([_document(view) for view in rows])
    else:
        table(None, [_("sale"), _("customer"), _("total"), _("state"), _("entered by")],
              [[v.number, v.customer, fmt_money(v.total), labels.label(labels.SALE_STATE, v.state),
                v.entered_by.code] for v in rows], right={2})


def register(app: typer.Typer) -> None:
    """Add the `sale` group to the app."""
    app.add_typer(sale_app, name="sale")
