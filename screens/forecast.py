"""A part's demand (预测): the last 12 cycles' consumption as a chart and a table, the forecast for the next
cycle and how the suggested order follows from it (forecast + safety − on hand − in transit + shortages)."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Sparkline, Static

from core.decimals import fmt_qty
from core.i18n import N_, _, ngettext
from core.services.forecasting import PartDemand, part_demand
from core.services.settings import get_settings
from core.textwidth import fit
from screens import keys
from screens.widgets.calls import ServiceCalls
from screens.widgets.footer import Footer
from screens.widgets.planning_text import FLAGGED_STYLE

# Columns per cycle in the chart: wide enough to tell the bars apart at a glance.
BAR_WIDTH = 4
GAP_WIDTH = 2


def chart_columns(demand: PartDemand) -> list[float]:
    """One value per column of the chart: each cycle BAR_WIDTH wide, a gap of zero, then the forecast.

    Sparkline scales from the smallest value up; the zero gap pins that to zero, so a low month is
    short rather than empty, and it sets the forecast apart. Floats for drawing only.
    """
    if not demand.history:
        return []
    columns = [float(consumed) for _start, consumed in demand.history for _column in range(BAR_WIDTH)]
    return columns + [0.0] * GAP_WIDTH + [float(demand.forecast)] * BAR_WIDTH


def cycle_label(start: date, cycle: str) -> str:
    """A cycle by its start: the month, or the week's Monday."""
    return f"{start:%Y-%m}" if cycle == "month" else f"{start:%Y-%m-%d}"


class ForecastScreen(ServiceCalls, Screen[None]):
    """One part's consumption history, forecast and suggestion."""

    AUTO_FOCUS = "#forecast-history"
    BINDINGS = [
        Binding(keys.REFRESH, "reload", N_("Refresh"), id="reload_forecast",
                tooltip=N_("Compute the part's demand again")),
        Binding(keys.BACK, "back", N_("Back"), id="back", tooltip=N_("Back to where the forecast was opened")),
    ]

    def __init__(self, part_no: str) -> None:
        """The demand view of `part_no` (read once mounted)."""
        super().__init__()
        self.part_no = part_no
        self.demand: PartDemand | None = None

    def compose(self) -> ComposeResult:
        """Title, the chart with its axis, the figures, and the history table beside them."""
        yield Header()
        with Vertical(id="forecast-body"):
            yield Static(self.part_no, id="forecast-title")
            with Horizontal(id="forecast-main"):
                with Vertical(id="forecast-left"):
                    yield Static(_("Consumption per cycle, oldest to newest, then the forecast"), classes="heading")
                    yield Sparkline([], id="forecast-chart")
                    yield Static("", id="forecast-axis")
                    with Grid(id="forecast-facts"):
                        for key, label in _fact_labels():
                            yield Label(label, classes="fact-label")
                            yield Static("", id=f"forecast-{key}", classes="fact-value")
                yield DataTable(id="forecast-history", cursor_type="row", zebra_stripes=True)
            yield Static(_("reading…"), id="forecast-status", classes="waiting")
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then the part's demand."""
        table = self.query_one("#forecast-history", DataTable)
        table.add_column(_("Cycle"), key="cycle", width=16)
        table.add_column(Text(_("Consumed"), justify="right"), key="qty", width=10)
        self.action_reload()

    def action_reload(self) -> None:
        """Compute the demand again (a receipt or an issue may have changed it)."""
        part_no = self.part_no
        # An unknown part or a database fault is said on the status line.
        self.run_read(lambda uow: (part_demand(part_no, uow=uow), get_settings(uow=uow)["cycle"]), self._show,
                      group="forecast")

    def _show(self, read: tuple[PartDemand, str]) -> None:
        demand, cycle = read
        self.demand = demand
        self.query_one("#forecast-title", Static).update(Text.assemble(
            (demand.part_no, "bold"), "  ", demand.name, "  ",
            (_("forecast for the next {cycle}").format(cycle=_("month") if cycle == "month" else _("week")), "dim")))
        columns = chart_columns(demand)
        chart = self.query_one("#forecast-chart", Sparkline)
        chart.styles.width = max(1, len(columns))
        chart.data = columns
        axis = self.query_one("#forecast-axis", Static)
        if demand.history:
            first = cycle_label(demand.history[0][0], cycle)
            width = len(columns) - BAR_WIDTH
            axis.update(Text(fit(first, width)) + Text(_("next"), style="bold"))  # fit: a wide label counts two
        else:
            axis.update(Text(_("no consumption in the cycles before this one"), style="dim"))
        facts = {
            "forecast": Text(fmt_qty(demand.forecast), style="bold"),
            "season": Text(f"{demand.seasonal_index:.2f}" if demand.seasonal_index is not None
                           else _("— (under a year of history)")),
            "jump": (Text(_("yes: a reason is needed on the draft"), style=FLAGGED_STYLE) if demand.flagged
                     else Text(_("no"))),
            "safety": Text(fmt_qty(demand.safety)),
            "on_hand": Text(fmt_qty(demand.on_hand)),
            "transit": Text(fmt_qty(demand.in_transit)),
            "shortages": Text(fmt_qty(demand.open_shortages)),
            "suggested": Text(_("{qty} (packs of {pack})").format(qty=fmt_qty(demand.suggested),
                                                                 pack=fmt_qty(demand.pack_qty)), style="bold"),
        }
        for key, value in facts.items():
            self.query_one(f"#forecast-{key}", Static).update(value)
        table = self.query_one("#forecast-history", DataTable)
        table.clear()
        for start, consumed in demand.history:
            table.add_row(Text(cycle_label(start, cycle)), Text(fmt_qty(consumed), justify="right"))
        table.add_row(Text(_("next (forecast)"), style="bold"),
                      Text(fmt_qty(demand.forecast), justify="right", style="bold"), key="forecast")
        table.move_cursor(row=table.row_count - 1)  # on the forecast: what the view is about
        self.say(ngettext(
            "{cycles} cycle of history",
            "{cycles} cycles of history", len(demand.history)).format(cycles=len(demand.history)))

    def say(self, message: str, kind: str = "") -> None:
        """The status line (kind: error or nothing); errors of the service calls come here too."""
        if not self.is_attached:
            return
        status = self.query_one("#forecast-status", Static)
        status.update(Text(message))
        status.set_classes(kind)

    def action_back(self) -> None:
        """Back to the part or the draft."""
        self.dismiss()


def _fact_labels() -> list[tuple[str, str]]:
    return [
        ("forecast", _("Forecast, next cycle")),
        ("season", _("Seasonal index")),
        ("jump", _("Jumps against history")),
        ("safety", _("Safety stock")),
        ("on_hand", _("On hand")),
        ("transit", _("In transit")),
        ("shortages", _("Open shortages")),
        ("suggested", _("Suggested order")),
    ]
