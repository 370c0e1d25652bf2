"""smartmap's own exceptions and the Problem record every check reports in.

A ``Problem`` names where something is wrong (file or layer, row as a person counts it, field) and
what was expected, so the CLI and the app can print it as one plain line.

>>> str(Problem("envs.csv", 3, "lat", "not a number: 'abc'", "a decimal latitude"))
"envs.csv, row 3, field 'lat': not a number: 'abc' (expected a decimal latitude)"
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, TypeAlias

import numpy as np
import pandas as pd

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Phrase:
    """A catalog text with its values, used as a value of a problem's message (``{how}``)."""

    key: str
    args: Args = ()


Arg: TypeAlias = "str | Phrase"
"""A value of a message: text that reads the same in every language, or a catalog text."""
Args: TypeAlias = "tuple[tuple[str, Arg], ...]"
"""The named values of a message, in order (a tuple, so that a problem stays hashable)."""


@dataclass(frozen=True)
class Problem:
    """One finding of a check: where, what is wrong, what was expected.

    ``message`` and ``expected`` are English. A problem built by
    :func:`smartmap.core.problemtext.keyed` also carries the catalog keys of both (``code``,
    ``expected_code``, ``msgctxt "problem"``) and their values (``args``), so that a page can
    show it in the user's language (:func:`smartmap.core.problemtext.localized`).
    """

    source: str
    row: int | None
    field: str | None
    message: str
    expected: str | None = None
    severity: Severity = "error"
    record_id: str | None = None
    code: str | None = None
    args: Args = ()
    expected_code: str | None = None

    def __str__(self) -> str:
        where = [self.source]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.record_id:
            where.append(f"id '{self.record_id}'")
        if self.field:
            where.append(f"field '{self.field}'")
        text = f"{', '.join(where)}: {self.message}"
        if self.expected:
            text += f" (expected {self.expected})"
        return text


PROBLEM_COLUMNS = ["source", "row", "field", "message", "expected", "severity", "record_id"]
"""The columns of a problems table: what a person reads (the message keys stay on the record)."""


def file_row(label: Hashable) -> int:
    """The row a person sees of a table row read from a CSV: its index label + 2 (header = row 1).

    Tables are read with a 0-based integer index that is kept through filtering, so the label
    says where the row is in the file. pandas types labels as ``Hashable``; a label that is not
    an integer is a bug, not bad data.

    >>> file_row(0), file_row(np.int64(5))
    (2, 7)
    >>> file_row("3")
    Traceback (most recent call last):
    TypeError: a table row label must be an integer, got '3'
    """
    if not isinstance(label, int | np.integer):
        raise TypeError(f"a table row label must be an integer, got {label!r}")
    return int(label) + 2


def problems_frame(problems: Iterable[Problem]) -> pd.DataFrame:
    """Problems as a table with a fixed set of columns (empty table when there are none)."""
    rows = [{c: getattr(p, c) for c in PROBLEM_COLUMNS} for p in problems]
    frame = pd.DataFrame(rows, columns=PROBLEM_COLUMNS)
    return frame.astype({"row": "Int64"})


class SmartmapError(Exception):
    """Base class of every error smartmap raises on purpose."""


class DataValidationError(SmartmapError):
    """Input data was refused; ``problems`` lists every reason, one per row and field."""

    def __init__(self, problems: Sequence[Problem], summary: str | None = None):
        self.problems = list(problems)
        head = summary or f"{len(self.problems)} problem(s) found"
        lines = "\n".join(f"- {p}" for p in self.problems[:50])
        more = len(self.problems) - 50
        tail = f"\n- ... and {more} more" if more > 0 else ""
        super().__init__(f"{head}\n{lines}{tail}")


class AssetError(SmartmapError):
    """A file the map needs in the browser (Leaflet, jQuery) is missing."""


class CountyError(SmartmapError):
    """An unknown county code was asked for."""
