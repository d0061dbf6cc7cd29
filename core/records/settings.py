"""Station settings: the planning cycle, the manufacturer, the forecast's knobs; each validated, each with a default."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection, bindparam, select

from core import tables as t
from core.decimals import parse_count, parse_number
from core.direct import Direct
from core.errors import BadInput
from core.i18n import LANGUAGES, N_, _, normalise_language, system_language

COMMAND_LIMIT = 1000
# A forecast's knobs need no more places than this; a setting typed with more is refused.
SETTING_PLACES = 4


def _allowing(check, allowed: Callable[[], str]):
    """The check, with what it allows said in the reader's language (the admin screen shows it beside the value)."""
    check.allowed = allowed
    return check


def _choice(*options: str):
    def check(value: str) -> str:
        if value not in options:
            raise BadInput(_("must be one of {options}").format(options=", ".join(options)))
        return value
    return _allowing(check, lambda: " | ".join(options))


def _decimal(low: Decimal, high: Decimal, *, low_open: bool = False):
    def check(value: str) -> str:
        # The one reader of typed numbers (core.decimals): "0,5" and "1e-1" are refused, "０.５" read.
        number = parse_number(value, _("the value"), SETTING_PLACES)
        if number > high or number < low or (low_open and number == low):
            raise BadInput(_("must be a number from {low} to {high}").format(low=low, high=high))
        return format(number, "f")
    return _allowing(check, lambda: _("more than {low}, to {high}").format(low=low, high=high) if low_open
                     else _("{low} to {high}").format(low=low, high=high))


def _integer(low: int, high: int):
    def check(value: str) -> str:
        number = parse_count(value, _("the value"))  # the one reader: "８０" is 80, "1.5" and "-3" refused
        if not low <= number <= high:
            raise BadInput(_("must be a whole number from {low} to {high}").format(low=low, high=high))
        return str(number)
    return _allowing(check, lambda: _("whole number {low} to {high}").format(low=low, high=high))


def _command(value: str) -> str:
    # Split as the printing code splits it (no shell), so a value that cannot run is refused here.
    try:
        shlex.split(value)
    except ValueError as exc:
        raise BadInput(_("is not a command line: {reason}").format(reason=exc)) from None
    # Long enough for a wrapper script at a deep path (a station's, or a test's in a deep clone), short
    # enough that a setting stays a command line.
    if len(value) > COMMAND_LIMIT:
        raise BadInput(_("must be at most {limit} characters").format(limit=COMMAND_LIMIT))
    return value


_command.allowed = lambda: _("a command line, at most {limit} characters; empty: none").format(limit=COMMAND_LIMIT)


def _folder(value: str) -> str:
    # Empty: off. Else an absolute folder, so that the CLI and the TUI, started anywhere, mean the same one.
    if value and (not value.startswith("/") or len(value) > COMMAND_LIMIT):
        raise BadInput(_("must be empty (off) or an absolute folder such as /var/backups/partsdesk"))
    return value


_folder.allowed = lambda: _("empty (off), or an absolute folder")


def _font_file(value: str) -> str:
    # Empty: look for one (core.printing.fonts). Else an absolute font file, "#N" choosing a font of a collection.
    if value and (not value.startswith("/") or len(value) > COMMAND_LIMIT):
        raise BadInput(_("must be empty (find one) or an absolute font file such as "
                         "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"))
    return value


_font_file.allowed = lambda: _("empty (find one), or an absolute font file")


def _code(value: str) -> str:
    code = value.strip().upper()
    if not code or len(code) > 20:
        raise BadInput(_("must be a code of 1 to 20 characters"))
    return code


_code.allowed = lambda: _("a code of 1 to 20 characters")


def _language(value: str) -> str:
    # "zh", "zh-CN" and "zh_CN.UTF-8" are all zh_CN: people type the locale names they know.
    language = normalise_language(value)
    if language is None:
        raise BadInput(_("must be one of {options}").format(options=", ".join(LANGUAGES)))
    return language


_language.allowed = lambda: " | ".join(LANGUAGES)


@dataclass(frozen=True, slots=True)
class SettingSpec:
    """A setting: its default (a value, or a function of the machine it runs on), what it means, and how a new
    value is checked."""

    default: str | Callable[[], str]
    meaning: str
    check: object

    def default_value(self) -> str:
        """The value the setting has until one is stored."""
        return self.default() if callable(self.default) else self.default

    def allowed(self) -> str:
        """What values the setting takes (a range, the choices, a kind of path), in the reader's language."""
        return self.check.allowed()


SETTINGS: dict[str, SettingSpec] = {
    "cycle": SettingSpec("month", N_("planning cycle: week or month"), _choice("week", "month")),
    "manufacturer": SettingSpec("SGM", N_("supplier code parts are ordered from unless they name another"), _code),
    "jump_ratio": SettingSpec(
        "2",
        N_("a forecast beyond this ratio of the recent median is flagged"),
        _decimal(Decimal(1), Decimal(100), low_open=True),
    ),
    "safety_ratio": SettingSpec(
        "0.5", N_("safety stock as a share of the forecast"), _decimal(Decimal(0), Decimal(10))
    ),
    "alpha": SettingSpec(
        "0.5", N_("forecast smoothing of the level (0-1]"), _decimal(Decimal(0), Decimal(1), low_open=True)
    ),
    "beta": SettingSpec("0.3", N_("forecast smoothing of the trend [0-1]"), _decimal(Decimal(0), Decimal(1))),
    "print_width": SettingSpec(
        "80", N_("columns of a printed text slip (dot-matrix: 80, receipt printer: 40-48)"), _integer(40, 200)
    ),
    "pdf_font": SettingSpec(
        "", N_("Chinese TrueType font the PDFs embed (empty: the one the machine has, else PARTSDESK_PDF_FONT)"),
        _font_file,
    ),
    "label_columns": SettingSpec("3", N_("labels across an A4 label sheet"), _integer(1, 6)),
    "label_rows": SettingSpec("8", N_("labels down an A4 label sheet"), _integer(1, 15)),
    "scan_gap_ms": SettingSpec(
        "60", N_("a scanner's keys come at most this many milliseconds apart; slower is typing"), _integer(5, 1000)
    ),
    "printer_command": SettingSpec(
        "", N_("command a printed file is piped to, e.g. lp -d counter (empty: none)"), _command
    ),
    "backup_folder": SettingSpec(
        "", N_("folder of the daily automatic backup, made at the first start of the day (empty: off)"), _folder
    ),
    "backup_keep": SettingSpec(
        "7", N_("how many daily backups the backup folder keeps, newest first"), _integer(1, 366)
    ),
    # 出入分离: by default the one who writes a requisition does not issue it, and there is no one-step issue.
    "separate_issue": SettingSpec(
        "on", N_("on: requisitions are written by the parts clerk, then issued by another person (先单后料, "
                 "出入分离); off: the storekeeper may also issue in one step"), _choice("on", "off"),
    ),
    # 报废 and other corrections past this value wait for the parts manager's and the accountant's approval.
    "adjust_value_limit": SettingSpec(
        "10000", N_("a stock adjustment worth more than this waits for the parts manager's and the accountant's "
                    "approval (stock approve)"), _decimal(Decimal(0), Decimal(999999999)),
    ),
    # 盘点: variances worth more than this in all (absolute, at cost) wait for the accountant after the parts manager.
    "stocktake_value_limit": SettingSpec(
        "1000", N_("a stocktake whose variances are worth more than this (at cost) needs the accountant's approval "
                   "too"), _decimal(Decimal(0), Decimal(100000000)),
    ),
    # 销售退货: a counter sale's parts come back within this many days of its check (0: no returns).
    "sale_return_days": SettingSpec(
        "7", N_("days after a counter sale's check within which its parts may come back (0: never)"),
        _integer(0, 365),
    ),
    # Read from the machine until stored: a station set up on a Chinese system speaks Chinese from the start.
    "language": SettingSpec(
        system_language, N_("language of the sign-in screen and of new operators: zh_CN or en"), _language
    ),
}


def read_settings(conn: Connection) -> dict[str, str]:
    """Every setting's value (stored or default), inside the caller's transaction."""
    stored = dict(conn.execute(select(t.setting.c.key, t.setting.c.value).where(
        t.setting.c.key.in_(list(SETTINGS)))).all())
    return {key: stored[key] if key in stored else spec.default_value() for key, spec in SETTINGS.items()}


def station_language(conn: Connection) -> str:
    """The station's language (setting `language`), inside the caller's transaction."""
    stored = conn.execute(select(t.setting.c.value).where(t.setting.c.key == "language")).scalar_one_or_none()
    return normalise_language(stored) or SETTINGS["language"].default_value()


# One setting's stored value, sent straight to the driver (core.direct): every issue reads one.
_SETTING_VALUE = Direct(select(t.setting.c.value).where(t.setting.c.key == bindparam("key")))


def separate_issue(conn: Connection) -> bool:
    """Whether requisitions are written, then issued by another person (setting `separate_issue`), inside the
    caller's transaction."""
    stored = _SETTING_VALUE.execute(conn, {"key": "separate_issue"}).scalar_one_or_none()
    return (stored or SETTINGS["separate_issue"].default_value()) == "on"
