"""Typed access to the rows of smartmap's tables.

pandas-stubs type ``frame.loc[label]`` as a row (Series) or a table (DataFrame): pandas returns
every row with that label, and only the data knows whether the index is unique. The tables
smartmap looks a row up in are indexed by an id (a municipality code, an area, a core id), so
:func:`row_at` is the one place that says so.
"""

from __future__ import annotations

import pandas as pd


def row_at(frame: pd.DataFrame, label: str | tuple[str, ...]) -> pd.Series:
    """The row of ``frame`` labelled ``label`` (``frame.loc[label]``), in a table whose index is
    unique; several rows with that label is a bug, not bad data. A missing label raises
    ``KeyError`` as ``.loc`` does. In a table indexed by several columns the label is a tuple
    (the stubs read ``.loc[(a, b)]`` as row ``a``, column ``b``; ``xs`` is the same lookup).

    >>> frame = pd.DataFrame({"n": [1, 2]}, index=["a", "b"])
    >>> int(row_at(frame, "b")["n"])
    2
    >>> row_at(pd.DataFrame({"n": [1, 2]}, index=["a", "a"]), "a")
    Traceback (most recent call last):
    ValueError: 2 rows are labelled 'a', expected one
    >>> cells = pd.DataFrame({"level": ["eu", "eu"], "area": ["x", "y"], "n": [1, 2]})
    >>> int(row_at(cells.set_index(["level", "area"]), ("eu", "y"))["n"])
    2
    """
    row = frame.xs(label) if isinstance(label, tuple) else frame.loc[label]
    if isinstance(row, pd.DataFrame):
        raise ValueError(f"{len(row)} rows are labelled {label!r}, expected one")
    return row
