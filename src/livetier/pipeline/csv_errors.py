"""Where a CSV file breaks its own format (error path only): a quote that is never closed,
or a row whose field count differs from the header's, named by file, line and column.

The engines' readers stop at such a file with their own words (DuckDB's sniffer, a line
number at best); this reads the file once more, with Python's csv module, to say where.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable

from livetier.pipeline.storage import DataPath


class _Lines:
    """A text file's lines for the csv reader, remembering how many it gave, and the first
    line and the number of quotes of the record being read (error path only)."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)
        self.number = 0
        self.first = ""
        self.quotes = 0
        self._marked = False

    def mark(self) -> int:
        """Note that a record starts with the next line; returns that line's number."""
        self._marked, self.quotes = True, 0
        return self.number + 1

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.number += 1
        self.quotes += line.count('"')
        if self._marked:
            self.first, self._marked = line, False
        return line


def _open_quote(line: str) -> int | None:
    """The 1-based column of a quote that opens a field and is not closed on ``line``."""
    quoted, opened, at_start, i = False, 0, True, 0
    while i < len(line):
        char = line[i]
        if quoted:
            if char == '"' and line[i + 1 : i + 2] == '"':
                i += 1  # an escaped quote inside the field
            elif char == '"':
                quoted = False
        elif char == '"' and at_start:
            quoted, opened = True, i + 1
        at_start = not quoted and char == ","
        i += 1
    return opened if quoted else None


def csv_problem(path: DataPath) -> str | None:
    """The first structural problem of a CSV file (error path only): a quote that is never
    closed, or a row whose field count differs from the header's; named by line and column."""
    if path.suffix != ".csv":
        return None
    with path.open(newline="", encoding="utf-8", errors="replace") as f:
        lines = _Lines(f)
        reader = csv.reader(lines)
        header = next(reader, [])
        row = 0
        while True:
            start = lines.mark()
            try:
                record = next(reader, None)
            except csv.Error:  # a runaway quoted field, longer than the csv module allows
                return _unclosed(path, start, lines.first, f"past line {lines.number}")
            if record is None:
                return None
            row += 1
            # An odd number of quotes: the file ended inside a quoted field. A record over
            # several lines with the wrong field count: a quote swallowed the line ends.
            spans = lines.number > start or lines.quotes % 2 == 1
            if spans and _open_quote(lines.first) is not None:
                if lines.quotes % 2 == 1:
                    return _unclosed(path, start, lines.first, "to the end of the file")
                if len(record) != len(header):
                    return _unclosed(path, start, lines.first, f"to line {lines.number}")
            if len(record) != len(header):
                return (
                    f"{path}: row {row} (line {start}) has {len(record)} field(s), "
                    f"the header has {len(header)}"
                )


def _unclosed(path: DataPath, line: int, text: str, reach: str) -> str:
    column = _open_quote(text) or 1
    return (
        f"{path}: line {line}, column {column}: a quote opens a field that is not closed "
        f"(the field runs {reach}); close the quote or remove it"
    )
