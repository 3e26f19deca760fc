"""The generator's one error type, and its warnings."""

from __future__ import annotations

from dataclasses import dataclass


def one_line(text: str) -> str:
    """Text for a one-line message: line breaks (``\\n``, ``\\u2028``, ...) and other
    characters that do not print are shown as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class SpecError(Exception):
    """A spec or config that cannot be turned into an SDK.

    Names the file, the line and column where known, and the JSON pointer of
    the offending node, and says what is wrong.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        pointer: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.pointer = pointer
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.pointer is not None:
            where += f" (at {self.pointer or '/'})"
        return one_line(f"{where}: {self.message}")


@dataclass(frozen=True)
class Diagnostic:
    """A warning: something the generator guessed or left out, and where."""

    file: str
    pointer: str
    message: str

    def __str__(self) -> str:
        return one_line(f"{self.file} (at {self.pointer or '/'}): warning: {self.message}")
