"""The errors a service raises; each carries one clear line and the CLI exit code it maps to."""

from __future__ import annotations


class PartsdeskError(Exception):
    """Base of every error a user may see: one line, no traceback."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class BadInput(PartsdeskError):
    """The input itself is wrong: a malformed value, an unknown code, a bad file. `field` names the input it is
    about where a form has several (eta, note, solution): a dialog puts the cursor back on that field."""

    exit_code = 2

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFound(BadInput):
    """A part, location, operator or document named by the user does not exist."""


class RuleViolation(PartsdeskError):
    """A business rule refuses the command (not enough stock, wrong state, ...)."""

    exit_code = 1


class PermissionDenied(PartsdeskError):
    """The operator lacks the role the command needs."""

    exit_code = 1


class AuthenticationFailed(PartsdeskError):
    """Unknown operator, inactive operator or wrong PIN."""

    exit_code = 1


class OperatorLocked(AuthenticationFailed):
    """An operator locked after too many wrong PINs: even the right PIN is refused until `until` (UTC)."""

    exit_code = 1

    def __init__(self, message: str, *, code: str, until) -> None:
        super().__init__(message)
        self.code = code
        self.until = until


class SchemaOutOfDate(PartsdeskError):
    """The database is missing or at another schema revision; the message names the command to run."""

    exit_code = 1


class ImportRejected(BadInput):
    """A whole file refused; `problems` lists every bad cell with its row and column."""

    def __init__(self, message: str, problems: list[ImportProblem]) -> None:
        super().__init__(message)
        self.problems = problems


class ImportProblem:
    """One bad cell of an imported file: the file row (header is row 1), the column and what is wrong."""

    __slots__ = ("row", "column", "message")

    def __init__(self, row: int, column: str, message: str) -> None:
        self.row = row
        self.column = column
        self.message = message

    def __str__(self) -> str:
        return f"row {self.row}, {self.column}: {self.message}"

    def __repr__(self) -> str:
        return f"ImportProblem({self.row!r}, {self.column!r}, {self.message!r})"
