"""typer's coercion of a plain text or yes/no parameter without pydantic: a CLI read never imports it.

typer (0.29) coerces every parameter's value through a pydantic TypeAdapter that it builds on first use, so
the first `str` argument of any command imported pydantic and built a schema: some 60 ms of a CLI read's
100 ms of typer. A value that is already of the parameter's plain type (click hands a `str` argument a str,
a flag a bool) comes out of that adapter unchanged, so it is passed on as is here, and so does a whole number
written plainly (or an int default) within the option's range; any other value, and any other kind of parameter
(choices, paths, lists, parsers, decimals), goes to typer's own coercion, with its checks and words, as before.
"""

from __future__ import annotations

import re
from typing import Any

import typer.core
from typer._coercion import RuntimeParam, TypeDescriptor

# The annotations whose adapter returns a value of exactly that type unchanged (typer._adapters: str after
# _parse_cli_str, which returns a str as it is; bool after _parse_cli_bool, which returns a non-str as it is; an
# int within the range the option allows).
_PLAIN = (str, bool, int)
# A whole number as pydantic reads it too, beyond doubt: no sign, spaces, underscores or leading zeros.
_WHOLE = re.compile(r"(0|[1-9][0-9]{0,17})")
_typers_own = typer.core.build_runtime_param


class PlainRuntimeParam(RuntimeParam):
    """A str, bool or int parameter: a value of that type (a plain whole number within the range) passes;
    anything else is typer's adapter's to coerce. (A plain subclass of typer's frozen dataclass: making one more
    dataclass would cost a CLI read a millisecond or two.)"""

    def _coerce_value(self, value: Any, param, ctx) -> Any:
        if self.annotation is int:
            number = value if type(value) is int else int(value) if type(value) is str and _WHOLE.fullmatch(value) \
                else None
            info = self.parameter_info
            if number is not None and (info.min is None or number >= info.min) and (
                    info.max is None or number <= info.max):
                return number
        elif type(value) is self.annotation:
            return value
        # Rare (a default of another type, a value from a prompt): typer's coercion, pydantic and all.
        descriptor = TypeDescriptor(self.annotation, self.parameter_info, file_annotation=None)
        return _typers_own(descriptor)._coerce_value(value, param=param, ctx=ctx)


def runtime_param(descriptor: TypeDescriptor) -> RuntimeParam:
    """typer's runtime coercion for a parameter, with plain str, bool and int parameters left out of pydantic."""
    if (descriptor.annotation in _PLAIN and descriptor.file_annotation is None
            and descriptor.parameter_info.parser is None):
        return PlainRuntimeParam(parameter_info=descriptor.parameter_info, annotation=descriptor.annotation)
    return _typers_own(descriptor)


def install() -> None:
    """Have typer's parameters (typer.core._TyperParameter.get_runtime_param) build their coercion here."""
    typer.core.build_runtime_param = runtime_param
