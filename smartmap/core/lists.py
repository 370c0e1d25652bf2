"""List fields: the ``;``-separated lists of the data files (``priority_areas``, ``services``,
``territory``, ``kommun_koder``, ...) and of the tables smartmap writes.

The one home for splitting and joining them; the enum-aware forms (canonical order, unknown ids)
are :func:`smartmap.core.vocab.parse_list` / ``join_list`` / ``unknown_in_list``, built on these.

>>> split(" ict; ;life_science ")
['ict', 'life_science']
>>> split(None), split(float("nan"))
([], [])
>>> join(["0114", "", "0180"])
'0114;0180'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

SEPARATOR = ";"


def split(text: object) -> list[str]:
    """The items of a ``;``-list, stripped, empty items dropped (``[]`` for empty or missing)."""
    if not isinstance(text, str):
        return []
    return [p.strip() for p in text.split(SEPARATOR) if p.strip()]


def join(items: Iterable[object]) -> str:
    """A ``;``-list of the items in the given order (missing and empty items dropped)."""
    return SEPARATOR.join(
        s for s in (str(i).strip() for i in items if isinstance(i, str) or _present(i)) if s
    )


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and value != value)


def normalise(text: object) -> str:
    """The same list with its items stripped and empty items dropped.

    >>> normalise(" a ;; b ;")
    'a;b'
    """
    return join(split(text))


def membership(lists: pd.Series, ids: Sequence[str]) -> np.ndarray:
    """An n x len(ids) boolean matrix: does each ``;``-list contain each id (exact tokens).

    The few distinct lists are parsed once (``factorize``), then broadcast to the rows.

    >>> membership(pd.Series(["ict;life_science", "", None]), ["life_science", "ict"]).tolist()
    [[True, True], [False, False], [False, False]]
    """
    codes, uniques = pd.factorize(lists, use_na_sentinel=True)
    table = np.zeros((len(uniques) + 1, len(ids)), dtype=bool)  # last row: missing
    for k, text in enumerate(uniques):
        parts = set(split(str(text)))
        table[k] = [i in parts for i in ids]
    return table[codes]


def contains(lists: pd.Series, item: str) -> pd.Series:
    """A boolean mask: does each ``;``-list contain ``item`` (exact token)? Safe on empty input.

    >>> contains(pd.Series(["ict;life_science", "", None]), "ict").tolist()
    [True, False, False]
    """
    return pd.Series(membership(lists, [item])[:, 0], index=lists.index, dtype=bool)
