"""Typer's own words ("Usage:", "Options", "Show this message and exit.", its usage errors) in the active
language. typer 0.29 vendors click: typer.core translates with gettext's `_` (its headings, "required", "No such
command"), which is pointed at ours; the vendored click writes English f-strings, so its usage line and help
option are given our words, and its usage errors are read back against the patterns below (each a message of
our catalogue whose {fields} match anything) and translated. A message no pattern matches stays as click wrote
it."""

from __future__ import annotations

import inspect
import re
from functools import cache

from core.i18n import N_, _
from core.textwidth import cell_width, wrap

# Through typer.core's own `_` (spelled exactly as typer spells them).
TYPER_MESSAGES = (
    N_("Options"), N_("Arguments"), N_("Commands"), N_("required"), N_("default: {default}"),
    N_("env var: {var}"), N_("(dynamic)"), N_("Missing command."), N_("No such command {name!r}."), N_("Aborted!"),
)

# Written by the vendored click in English: its usage line's prefix and its help option's help.
USAGE = N_("Usage:")
HELP_OPTION = N_("Show this message and exit.")

# The vendored click's usage errors, as it words them; a field matches any text. Longest first where one
# pattern's text begins another's.
USAGE_ERRORS = (
    N_("No such option: {name} (Possible options: {options})"),
    N_("No such option: {name}"),
    N_("Missing argument {name}."),
    N_("Missing option {name}."),
    N_("Missing parameter {name}."),
    N_("Missing parameter: {name}"),
    N_("Invalid value for {name}: {reason}"),
    N_("Invalid value: {reason}"),
    N_("Got unexpected extra argument(s) ({args})"),
    N_("Option {name} requires an argument."),
    N_("Option {name} requires {count} arguments."),
    N_("Option {name} does not take a value."),
    N_("Argument {name} takes {count} values."),
    N_("{message}. Did you mean {suggestions}?"),
    # The reasons inside "Invalid value for ...": typer's own types, and pydantic's words for numbers.
    N_("Input should be a valid integer, unable to parse string as an integer"),
    N_("Input should be a valid number, unable to parse string as a number"),
    N_("Input should be greater than or equal to {limit}"),
    N_("Input should be less than or equal to {limit}"),
    N_("Value {value} is not a valid {kind}."),
    N_("{value} is not one of {choices}."),
    N_("{value} is not in the range {range}."),
    N_("{value} is not a valid boolean."),
    N_("{label} {path} does not exist."),
    N_("{label} {path} is a file."),
    N_("{label} {path} is a directory."),
    N_("{label} {path} is not readable."),
    N_("{label} {path} is not writable."),
)
_FIELD = re.compile(r"\{(\w+)(?:![rsa])?\}")


@cache
def _pattern(message: str) -> re.Pattern[str]:
    parts = _FIELD.split(message)  # literal, field, literal, field, ..., literal
    regex = "".join(re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)" for index, part in enumerate(parts))
    return re.compile(regex, re.DOTALL)


def docstring_help(docstring: str) -> str:
    """A command's help as the catalogue holds it: its docstring's first paragraph, its lines joined."""
    return " ".join(inspect.cleandoc(docstring).split("\n\n")[0].split())


def translate_usage_error(text: str) -> str:
    """A usage error of the vendored click in the active language (a reason inside it too), else as it is."""
    for message in USAGE_ERRORS:
        found = _pattern(message).fullmatch(text)
        if found:
            values = found.groupdict()
            for field in ("reason", "message"):
                if field in values:
                    values[field] = translate_usage_error(values[field])
            return _(message).format(**values)
    return text


def _wrapped(text: str, width: int, indent: str = "") -> list[str]:
    # Paragraphs (blank-line separated) re-flowed to `width` columns, a Chinese character counting two.
    lines: list[str] = []
    for paragraph in text.split("\n\n"):
        if lines:
            lines.append("")
        flowed = " ".join(line.strip() for line in paragraph.strip("\n").splitlines())
        lines.extend(indent + line for line in wrap(flowed, max(width - len(indent), 10)))
    return lines


def speak_our_language() -> None:
    """Make typer and its click write their own words through our catalogue, in the active language."""
    import typer.core
    from typer._click import core as click_core
    from typer._click.formatting import HelpFormatter

    typer.core._ = _  # it imported gettext's

    class _Formatter(HelpFormatter):
        # click measures text by its length: Chinese help would run to twice the terminal's width.
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            super().write_usage(prog, args, prefix if prefix is not None else _(USAGE) + " ")

        def write_text(self, text: str) -> None:
            self.write("\n".join(_wrapped(text, self.width, " " * self.current_indent)) + "\n")

        def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
            rows = list(rows)
            first_col = min(max((cell_width(first) for first, _second in rows), default=0), col_max) + col_spacing
            margin = " " * (first_col + self.current_indent)
            for first, second in rows:
                self.write(" " * self.current_indent + first)
                if not second:
                    self.write("\n")
                    continue
                if cell_width(first) <= first_col - col_spacing:
                    self.write(" " * (first_col - cell_width(first)))
                else:
                    self.write("\n" + margin)
                lines = _wrapped(second, max(self.width - first_col - 2, 10)) or [""]
                self.write(lines[0] + "\n" + "".join(f"{margin}{line}\n" for line in lines[1:]))

    click_core.Context.formatter_class = _Formatter
    english = getattr(click_core.Command.get_help_option, "__wrapped__", click_core.Command.get_help_option)

    def get_help_option(self, ctx):
        option = english(self, ctx)
        if option is not None:
            option.help = _(HELP_OPTION)  # each time: the option is cached on the command
        return option

    get_help_option.__wrapped__ = english
    click_core.Command.get_help_option = get_help_option
