"""The reports (报表): choose one of the eight on the left, its chart (textual-plotext) and its table on the right;
set its date or period (d), the stock card's part (p, typed or scanned), export it to XLSX or PDF (x, asks for
the file name). A table shows its first rows only; the export holds every row."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option
from textual_plotext import PlotextPlot

from core.errors import PartsdeskError
from core.i18n import N_, _
from core.services.reports import (
    CARD,
    PERIOD_REPORTS,
    REPORTS,
    Report,
    check_name,
    period,
    read_report,
    report_title,
    total_title,
)
from screens import keys
from screens.widgets.calls import ServiceCalls
from screens.widgets.dialogs import TextDialog
from screens.widgets.footer import Footer
from screens.widgets.tables import Column, SubjectTable

SHOWN_ROWS = 500  # rows read for the table: a page to look at, never 200,000 (the export has them all)


class ReportsScreen(ServiceCalls, Screen[None]):
    """One report at a time: the list of reports, the chart, the table, the totals and a status line."""

    AUTO_FOCUS = "#report-list"
    DEFAULT_CSS = """
    ReportsScreen #report-list { width: 28; height: 1fr; }
    ReportsScreen #report-body { width: 1fr; padding: 0 1; }
    ReportsScreen #report-plot { height: 12; }
    ReportsScreen #report-table { height: 1fr; }
    ReportsScreen #report-totals, ReportsScreen #report-status { height: auto; }
    ReportsScreen .error { color: $error; }
    """
    BINDINGS = [
        Binding("d", "dates", N_("Dates"), id="report_dates",
                tooltip=N_("Set the report's date, or its period (from and to)")),
        Binding("p", "part", N_("Part"), id="report_part", tooltip=N_("The stock card's part: type or scan it")),
        Binding("x", "export", N_("Export"), id="report_export",
                tooltip=N_("Export the report to an XLSX or PDF file (asks for the name)")),
        Binding(keys.REFRESH, "reload", N_("Refresh"), id="reload_report", tooltip=N_("Read the report again")),
        Binding(keys.BACK, "back", N_("Back"), id="back", tooltip=N_("Back to home")),
    ]

    def __init__(self) -> None:
        """The first report, at today's date."""
        super().__init__()
        self.name_shown = REPORTS[0]
        self.at: str | None = None
        self.start: str | None = None
        self.end: str | None = None
        self.part_no: str | None = None
        self.report: Report | None = None

    def compose(self) -> ComposeResult:
        """The list of reports beside the report's chart, table, totals and status line."""
        yield Header()
        with Horizontal():
            yield OptionList(*(Option(report_title(name), id=name) for name in REPORTS), id="report-list")
            with Vertical(id="report-body"):
                yield Static("", id="report-title")
                yield PlotextPlot(id="report-plot")
                yield SubjectTable(id="report-table")
                yield Static("", id="report-totals")
                yield Static("", id="report-status")
        yield Footer()

    def on_mount(self) -> None:
        """The first report read."""
        self.action_reload()

    def returned_to(self, number: str | None) -> None:
        """Opened again from its key or the palette: read again."""
        if self.is_mounted:
            self.action_reload()

    @on(OptionList.OptionHighlighted, "#report-list")
    def _chosen(self, event: OptionList.OptionHighlighted) -> None:
        """The highlighted report is the one shown."""
        name = event.option.id or REPORTS[0]
        if name != self.name_shown:
            self.name_shown = name
            self.action_reload()

    def options(self) -> dict[str, str | None]:
        """The report's dates (the ones that apply to it) and part."""
        if self.name_shown in PERIOD_REPORTS:
            return {"start": self.start, "end": self.end, "part_no": self.part_no if self.name_shown == CARD else None}
        return {"at": self.at}

    def action_reload(self) -> None:
        """Read the shown report (its first SHOWN_ROWS rows a table)."""
        name, options = self.name_shown, self.options()
        if name == CARD and not self.part_no:
            self.report = None
            self._show_title()
            self.query_one("#report-plot", PlotextPlot).plt.clear_data()
            self.query_one("#report-table", SubjectTable).clear(columns=True)
            self.query_one("#report-totals", Static).update("")
            self.say(_("press p and type or scan the part of the stock card"))
            return
        self.say(_("reading…"), "waiting")
        self.run_read(lambda uow: read_report(name, uow=uow, limit=SHOWN_ROWS, **options), self._fill,
                      group="report", failed=self._refused)

    def _refused(self, exc: Exception) -> None:
        self.show_error(exc)

    def _show_title(self) -> None:
        when = self.report.params if self.report else {}
        heading = f"{report_title(self.name_shown)}  " + "  ".join(f"{k}: {v}" for k, v in when.items())
        self.query_one("#report-title", Static).update(Text(heading, style="bold"))

    def _fill(self, report: Report) -> None:
        self.report = report
        self._show_title()
        self._plot(report)
        main = report.main_section()
        table = self.query_one("#report-table", SubjectTable)
        table.clear(columns=True)
        table.set_columns(*(Column(column.key, column.title, _width(column.title)) for column in main.columns))
        table.reload((str(index), [Text(column.shown(cell), justify="right" if column.numeric else "left")
                                   for column, cell in zip(main.columns, row, strict=True)])
                     for index, row in enumerate(main.rows))
        lines = [f"{section.title}: " + "; ".join(
            f"{column.title} {column.shown(cell)}" for column, cell in zip(section.columns, row, strict=True)
            if cell is not None) for section in report.sections if section is not main for row in section.rows]
        lines.append("  ".join(f"{total_title(key)}: {value}" for key, value in report.totals.items()))
        self.query_one("#report-totals", Static).update(Text("\n".join(line for line in lines if line)))
        shown = len(main.rows) if isinstance(main.rows, list) else 0
        if shown >= SHOWN_ROWS:
            self.say(_("the first {count} rows; export (x) for all of them").format(count=SHOWN_ROWS))
        else:
            self.say("")

    def _plot(self, report: Report) -> None:
        widget = self.query_one("#report-plot", PlotextPlot)
        plt = widget.plt
        plt.clear_data()
        plt.clear_figure()
        chart = report.chart
        if chart is None or not chart.labels:
            widget.display = False
            return
        widget.display = True
        # Floats only to draw the bars: every figure shown or exported stays a Decimal string.
        values = [[float(value) for value in values] for _name, values in chart.series]
        if len(values) == 1:
            plt.bar(list(chart.labels), values[0])
        else:
            plt.multiple_bar(list(chart.labels), values, labels=[name for name, _values in chart.series])
        # The axis labels chosen here, every k-th as the width allows: plotext's own choice varies from one draw
        # to the next, and a screen must look the same each time it shows the same report.
        labels = list(chart.labels)
        room = max(widget.size.width - 8, 20)
        step = max(1, -(-len(labels) * (max(map(len, labels)) + 2) // room))
        plt.xticks(list(range(1, len(labels) + 1))[::step], labels[::step])
        plt.title(chart.title)
        widget.refresh()

    def action_dates(self) -> None:
        """Ask for the report's date, or its period as two dates."""
        name = self.name_shown
        if name in PERIOD_REPORTS:
            label, value = _("from and to (YYYY-MM-DD YYYY-MM-DD)"), " ".join(filter(None, (self.start, self.end)))
        else:
            label, value = _("at (YYYY-MM-DD; empty: today)"), self.at or ""

        def chosen(text: str | None) -> None:
            if text is None:
                return
            words = text.split()
            try:
                if name in PERIOD_REPORTS:
                    if len(words) not in (0, 2):
                        raise PartsdeskError(_("give two dates: from and to"))
                    start, end = (words or [None, None])
                    period(name, start=start, end=end)
                    self.start, self.end = start, end
                else:
                    at = words[0] if words else None
                    period(name, at=at)
                    self.at = at
            except PartsdeskError as exc:
                self.say(exc.message, "error")
                return
            self.action_reload()

        self.app.push_screen(TextDialog(_("Report dates"), label, required=False, value=value), chosen)

    def action_part(self) -> None:
        """Ask for the stock card's part (a scanner types it and presses Enter)."""
        def chosen(text: str | None) -> None:
            if text:
                self.part_no = text
                self.name_shown = CARD
                self.query_one("#report-list", OptionList).highlighted = REPORTS.index(CARD)
                self.action_reload()

        self.app.push_screen(TextDialog(_("Stock card 进销存"), _("part number"), value=self.part_no or ""), chosen)

    def action_export(self) -> None:
        """Ask for a file name (.xlsx or .pdf) and write the whole report there."""
        name, options = check_name(self.name_shown), self.options()
        when = period(name, **{k: v for k, v in options.items() if k != "part_no"})
        suggested = f"{name}-{when.end.isoformat() if name in PERIOD_REPORTS else when.at.isoformat()}.xlsx"

        def chosen(path: str | None) -> None:
            if path:
                self._export(name, path, options)

        self.app.push_screen(TextDialog(_("Export the report"), _("file (.xlsx or .pdf)"), value=suggested), chosen)

    def _export(self, name: str, path: str, options: dict, force: bool = False) -> None:
        """Write the report to `path`; a file already there is replaced only once the person says yes."""
        from core.files import FileExists
        from core.printing.report_files import export_report
        from screens.widgets.replace import ask_to_replace

        def failed(exc: Exception) -> object:
            if isinstance(exc, FileExists):
                self.say(_("{path} exists").format(path=exc.path), "waiting")
                return ask_to_replace(self, exc, lambda: self._export(name, path, options, force=True),
                                      lambda _line: self.say(_("{name} is kept as it was: nothing exported").format(
                                          name=exc.path.name), "notice"))
            return self._refused(exc)

        self.say(_("writing {path}…").format(path=path), "waiting")
        self.run_read(lambda uow: export_report(name, path, uow=uow, force=force, **options),
                      lambda written: self.say(_("written to {path}").format(path=written), "success"),
                      group="report-export", failed=failed)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Export only once a report is shown."""
        if action == "export":
            return self.report is not None
        return True

    def action_back(self) -> None:
        """Back to home."""
        self.dismiss()

    def say(self, message: str, kind: str = "") -> None:
        """The status line (kind: error, notice, waiting, success)."""
        if not self.is_attached:
            return
        status = self.query_one("#report-status", Static)
        status.update(Text(message))
        status.set_classes(kind)
        self.refresh_bindings()


def _width(title: str) -> int:
    return max(8, min(16, len(title) + 2))

