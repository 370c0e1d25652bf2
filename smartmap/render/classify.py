"""Class breaks for choropleths: natural breaks (Fisher-Jenks, exact) and quantiles.

Both return the upper bounds of the classes, ascending, each one a value of the data (the
largest of its class), the last equal to the maximum; missing values get no class. Class 0 holds
the values from the minimum up to its bound, class i those above bound i-1 up to bound i. With
fewer distinct values than classes, each distinct value is its own class. :func:`class_labels`
writes the legend's labels.

>>> natural_breaks([1, 2, 3, 10, 11, 12, 50], k=3)
[3.0, 12.0, 50.0]
>>> quantile_breaks([1, 2, 3, 4], k=2)
[2.0, 4.0]
>>> assign_classes([1, 3, 11, None], [3.0, 12.0, 50.0]).tolist()
[0, 0, 1, -1]
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Sequence
from typing import Literal, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd

from smartmap.core.fmt import decimals_for, format_number, localise
from smartmap.core.vocab import Lang

Method = Literal["natural_breaks", "quantiles"]
METHODS: tuple[Method, ...] = ("natural_breaks", "quantiles")
Classes: TypeAlias = npt.NDArray[np.int_]
"""A class index per value (:func:`assign_classes`, :func:`delta_classes`)."""


def _numbers(values: Iterable[object]) -> npt.NDArray[np.float64]:
    """The values as floats, NaN for anything that is not a number."""
    return pd.to_numeric(pd.Series(list(values), dtype="object"), errors="coerce").to_numpy(
        dtype=np.float64
    )


def _clean(values: Iterable[object]) -> npt.NDArray[np.float64]:
    arr = _numbers(values)
    return np.sort(arr[np.isfinite(arr)])


def _prepared(values: Iterable[object],
              k: int) -> tuple[npt.NDArray[np.float64], list[float] | None]:
    """Sorted finite values, and the breaks themselves when there is nothing to class
    (no values, or at most ``k`` distinct ones: each is its own class)."""
    x = _clean(values)
    distinct = np.unique(x)
    if distinct.size <= k:
        return x, [float(v) for v in distinct]
    return x, None


def natural_breaks(values: Iterable[object], k: int = 5) -> list[float]:
    """Fisher-Jenks optimal breaks: minimise the within-class sum of squared deviations."""
    x, trivial = _prepared(values, k)
    if trivial is not None:
        return trivial
    n = x.size
    csum = np.concatenate([[0.0], np.cumsum(x)])
    csum2 = np.concatenate([[0.0], np.cumsum(x * x)])

    def ssd(i: int, j: int) -> float:  # cost of x[i:j]
        s = csum[j] - csum[i]
        return float((csum2[j] - csum2[i]) - s * s / (j - i))

    cost = np.full((k + 1, n + 1), np.inf)
    split = np.zeros((k + 1, n + 1), dtype=int)
    cost[0, 0] = 0.0
    for c in range(1, k + 1):
        for j in range(c, n + 1):
            best, arg = np.inf, c - 1
            for i in range(c - 1, j):
                v = cost[c - 1, i] + ssd(i, j)
                if v < best:
                    best, arg = v, i
            cost[c, j], split[c, j] = best, arg
    bounds: list[float] = []
    j = n
    for c in range(k, 0, -1):
        bounds.append(float(x[j - 1]))
        j = split[c, j]
    return sorted(set(bounds))


def quantile_breaks(values: Iterable[object], k: int = 5) -> list[float]:
    """Upper bounds of k classes with (about) equal counts; each bound is a data value (the
    empirical quantile, not an interpolation), so a class of zeros ends at 0."""
    x, trivial = _prepared(values, k)
    if trivial is not None:
        return trivial
    qs = np.quantile(x, np.linspace(0, 1, k + 1)[1:], method="inverted_cdf")
    return sorted({float(q) for q in qs})


def breaks(values: Iterable[object], method: Method = "natural_breaks", k: int = 5) -> list[float]:
    """Class upper bounds by the chosen method."""
    if method == "natural_breaks":
        return natural_breaks(values, k)
    if method == "quantiles":
        return quantile_breaks(values, k)
    raise ValueError(f"unknown classification method {method!r}; expected one of {METHODS}")


def assign_classes(values: Iterable[object], bounds: Sequence[float]) -> Classes:
    """Class index of each value (0 = lowest class); -1 for missing values."""
    x = _numbers(values)
    out = np.full(x.shape, -1, dtype=np.int_)
    if not len(bounds):
        return out
    ok = np.isfinite(x)
    idx = np.searchsorted(np.asarray(bounds, dtype=np.float64), x[ok], side="left")
    out[ok] = np.minimum(idx, len(bounds) - 1)
    return out


_INTEGER_KINDS = ("count", "year")


def class_labels(bounds: Sequence[float], minimum: float | None, kind: str = "rate",
                 lang: Lang = "sv") -> list[str]:
    """The legend's label of each class (:func:`breaks`), in the metric kind's style.

    - A class holding one value reads as that value, and exactly zero always reads ``0``
      (never ``0,0``), so a zero-inflated metric's first class is ``0``.
    - Counts (whole numbers) read as the whole numbers a class can hold: ``0``, ``1 – 2``.
    - Other classes touch (``a – b``, above a up to b); the class right after a one-value class
      reads ``> a – b``, since a itself is not in it.
    - No two classes share a label, and no range reads as one number: where the kind's usual
      decimals cannot tell the bounds apart, more decimals are shown (then significant digits).

    ``bounds`` and ``minimum`` are in displayed units (shares in %).

    >>> class_labels([0.0, 42.7, 71.9, 100.0], 0.0, "share", "sv")
    ['0', '> 0 – 42,7', '42,7 – 71,9', '71,9 – 100,0']
    >>> class_labels([0.0, 2.0, 5.0, 12.0], 0.0, "count", "en")
    ['0', '1 – 2', '3 – 5', '6 – 12']
    >>> class_labels([0.5, 1.0, 1.04], 0.2, "ratio", "en")
    ['0.20 – 0.50', '0.50 – 1.00', '1.00 – 1.04']
    >>> class_labels([10.04, 10.06], 10.01, "km", "en")
    ['10.01 – 10.04', '10.04 – 10.06']
    """
    b = [float(v) for v in bounds]
    if not b:
        return []
    low = None if minimum is None else float(minimum)
    if kind in _INTEGER_KINDS:
        labels = _integer_labels(b, low, lang)
        if labels is not None:
            return labels
    first = decimals_for(kind)
    for decimals in range(first, first + 7):
        labels = _range_labels(b, low, functools.partial(_fixed, decimals=decimals, lang=lang))
        if labels is not None:
            return labels
    for digits in range(3, 18):  # bounds closer than any sensible number of decimals
        labels = _range_labels(b, low, functools.partial(_significant, digits=digits, lang=lang))
        if labels is not None:
            return labels
    return [_significant(v, 17, lang) for v in b]  # pragma: no cover - 17 digits tell floats apart


def _fixed(value: float, decimals: int, lang: Lang) -> str:
    return "0" if value == 0 else format_number(value, decimals, lang)


def _significant(value: float, digits: int, lang: Lang) -> str:
    return "0" if value == 0 else localise(f"{value:,.{digits}g}", lang)


def _integer_labels(b: list[float], low: float | None, lang: Lang) -> list[str] | None:
    """Whole-number ranges (``1 – 2``) for counts; None when a class can hold no whole number."""
    labels = []
    for i, hi in enumerate(b):
        top = math.floor(hi)
        if i == 0:
            start = math.ceil(low) if low is not None else None
        else:
            start = math.floor(b[i - 1]) + 1
        if start is not None and start > top:
            return None
        text = _fixed(top, 0, lang)
        if start is None:
            labels.append(f"≤ {text}")
        else:
            labels.append(text if start == top else f"{_fixed(start, 0, lang)} – {text}")
    return labels


def _range_labels(b: list[float], low: float | None,
                  fmt: Callable[[float], str]) -> list[str] | None:
    """Touching ranges written with ``fmt``; None when these digits make two labels equal, a
    range read as one number, or a value other than zero read as ``0``."""
    def shown(value: float) -> str | None:
        text = fmt(value)
        reads_zero = text.strip("0,. -−") == ""
        return None if value != 0 and reads_zero else text

    single_first = low is not None and low == b[0]
    labels = []
    for i, hi in enumerate(b):
        hi_text = shown(hi)
        if hi_text is None:
            return None
        lo = low if i == 0 else b[i - 1]
        if lo is None or (i == 0 and single_first):
            labels.append(hi_text if single_first else f"≤ {hi_text}")
            continue
        lo_text = shown(lo)
        if lo_text is None or lo_text == hi_text:
            return None
        above = "> " if i == 1 and single_first else ""
        labels.append(f"{above}{lo_text} – {hi_text}")
    return labels if len(set(labels)) == len(labels) else None


def nice_step(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k that is >= ``value`` (> 0).

    >>> nice_step(0.7), nice_step(3.1), nice_step(23), nice_step(1)
    (1.0, 5.0, 25.0, 1.0)
    """
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"nice_step needs a positive number, got {value!r}")
    exponent = np.floor(np.log10(value))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        step = float(m * 10.0 ** exponent)
        if step >= value * (1 - 1e-12):
            return step
    return float(10.0 ** (exponent + 1))  # pragma: no cover - 10 x 10^k always qualifies


def delta_bounds(deltas: Iterable[object], per_side: int = 3, integer: bool = False) -> list[float]:
    """Upper bounds of the classes on each side of zero for a change map, symmetric and round.

    The largest absolute change falls in the last class; counts (``integer``) use whole steps.
    Empty when nothing changed.

    >>> delta_bounds([0.0, 1.2, -4.0, 2.0])
    [2.0, 4.0, 6.0]
    >>> delta_bounds([1, -1, 0], integer=True), delta_bounds([0, 0])
    ([1.0, 2.0, 3.0], [])
    """
    x = np.abs(_clean(deltas))
    largest = float(x.max()) if x.size else 0.0
    if largest <= 0:
        return []
    step = nice_step(largest / per_side)
    if integer:
        step = float(max(1.0, np.ceil(step)))
    return [step * (i + 1) for i in range(per_side)]


def delta_classes(deltas: Iterable[object], bounds: Sequence[float]) -> Classes:
    """Signed class of each change: 0 = no change, 1..k = up, -1..-k = down; missing -> a value
    below -k (``-(k + 1)``), so callers can tell it apart.

    >>> delta_classes([0.0, 1.5, -5.0, None, 6.0], [2.0, 4.0, 6.0]).tolist()
    [0, 1, -3, -4, 3]
    """
    k = len(bounds)
    x = _numbers(deltas)
    out = np.full(x.shape, -(k + 1), dtype=np.int_)
    ok = np.isfinite(x)
    out[ok] = 0
    if k:
        nonzero = ok & (np.abs(x) > 1e-12)
        idx = np.searchsorted(np.asarray(bounds, dtype=np.float64), np.abs(x[nonzero]), side="left")
        out[nonzero] = np.sign(x[nonzero]).astype(int) * (np.minimum(idx, k - 1) + 1)
    return out
