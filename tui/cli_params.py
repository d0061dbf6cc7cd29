"""typer's coercion of a plain text or yes/no parameter without pydantic: a CLI read never imports it.

typer (0.29) coerces every parameter's value through a pydantic TypeAdapter that it builds on first use, so
the first `str` argument of any command imported pydantic and built a schema: some 60 ms of a CLI read's
100 ms of typer. A value that is already of the parameter's plain type (click hands a `str` argument a str,
a flag a bool) comes out of that adapter unchanged, so it is passed on as is here; any other value, and any
other kind of parameter (numbers, choices, paths, lists, parsers), goes to typer's own coercion as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import typer.core
from typer._coercion import RuntimeParam, TypeDescriptor

# The annotations whose adapter returns a value of exactly that type unchanged (typer._adapters: str after
# _parse_cli_str, which returns a str as it is; bool after _parse_cli_bool, which returns a non-str as it is).
_PLAIN = (str, bool)
_typers_own = typer.core.build_runtime_param


@dataclass(frozen=True)
class PlainRuntimeParam(RuntimeParam):
    """A str or bool parameter: a value of that type passes; anything else is typer's adapter's to coerce."""

    descriptor: TypeDescriptor

    def _coerce_value(self, value: Any, param, ctx) -> Any:
        if type(value) is self.annotation:
            return value
        # Rare (a default of another type, a value from a prompt): typer's coercion, pydantic and all.
        return _typers_own(self.descriptor)._coerce_value(value, param=param, ctx=ctx)


def runtime_param(descriptor: TypeDescriptor) -> RuntimeParam:
    """typer's runtime coercion for a parameter, with plain str and bool parameters left out of pydantic."""
    if (descriptor.annotation in _PLAIN and descriptor.file_annotation is None
            and descriptor.parameter_info.parser is None):
        return PlainRuntimeParam(parameter_info=descriptor.parameter_info, annotation=descriptor.annotation,
                                 descriptor=descriptor)
    return _typers_own(descriptor)


def install() -> None:
    """Have typer's parameters (typer.core._TyperParameter.get_runtime_param) build their coercion here."""
    typer.core.build_runtime_param = runtime_param
