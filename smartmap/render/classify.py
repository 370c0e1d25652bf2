"""Class breaks for choropleths: natural breaks (Fisher-Jenks, exact) and quantiles.

Both return the upper bounds of the classes, ascending, the last equal to the maximum; missing
values get no class. With fewer distinct values than classes, each distinct value is its own class.

>>> natural_breaks([1, 2, 3, 10, 11, 12, 50], k=3)
[3.0, 12.0, 50.0]
>>> quantile_breaks([1, 2, 3, 4], k=2)
[2.5, 4.0]
>>> assign_classes([1, 3, 11, None], [3.0, 12.0, 50.0]).tolist()
[0, 0, 1, -1]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd

Method = Literal["natural_breaks", "quantiles"]
METHODS: tuple[Method, ...] = ("natural_breaks", "quantiles")


def _clean(values: Iterable[object]) -> np.ndarray:
    arr = pd.to_numeric(pd.Series(list(values), dtype="object"), errors="coerce").to_numpy(
        dtype="float64"
    )
    return np.sort(arr[np.isfinite(arr)])


def _prepared(values: Iterable[object], k: int) -> tuple[np.ndarray, list[float] | None]:
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
        return (csum2[j] - csum2[i]) - s * s / (j - i)

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
    bounds = []
    j = n
    for c in range(k, 0, -1):
        bounds.append(float(x[j - 1]))
        j = split[c, j]
    return sorted(set(bounds))


def quantile_breaks(values: Iterable[object], k: int = 5) -> list[float]:
    """Upper bounds of k classes with (about) equal counts."""
    x, trivial = _prepared(values, k)
    if trivial is not None:
        return trivial
    qs = np.quantile(x, np.linspace(0, 1, k + 1)[1:])
    return sorted({float(q) for q in qs})


def breaks(values: Iterable[object], method: Method = "natural_breaks", k: int = 5) -> list[float]:
    """Class upper bounds by the chosen method."""
    if method == "natural_breaks":
        return natural_breaks(values, k)
    if method == "quantiles":
        return quantile_breaks(values, k)
    raise ValueError(f"unknown classification method {method!r}; expected one of {METHODS}")


def assign_classes(values: Sequence[object], bounds: Sequence[float]) -> np.ndarray:
    """Class index of each value (0 = lowest class); -1 for missing values."""
    x = pd.to_numeric(pd.Series(list(values), dtype="object"), errors="coerce").to_numpy(
        dtype="float64"
    )
    out = np.full(x.shape, -1, dtype=int)
    if not len(bounds):
        return out
    ok = np.isfinite(x)
    idx = np.searchsorted(np.asarray(bounds, dtype="float64"), x[ok], side="left")
    out[ok] = np.minimum(idx, len(bounds) - 1)
    return out


def class_labels(bounds: Sequence[float], minimum: float | None, fmt: str = "{:,.0f}") -> list[str]:
    """Readable ranges ``a – b`` for each class, starting from the data minimum."""
    labels = []
    low = minimum
    for b in bounds:
        lo = fmt.format(low) if low is not None else ""
        hi = fmt.format(b)
        labels.append(hi if lo == hi else f"{lo} – {hi}")
        low = b
    return labels


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


def delta_classes(deltas: Sequence[object], bounds: Sequence[float]) -> np.ndarray:
    """Signed class of each change: 0 = no change, 1..k = up, -1..-k = down; missing -> a value
    below -k (``-(k + 1)``), so callers can tell it apart.

    >>> delta_classes([0.0, 1.5, -5.0, None, 6.0], [2.0, 4.0, 6.0]).tolist()
    [0, 1, -3, -4, 3]
    """
    k = len(bounds)
    x = pd.to_numeric(pd.Series(list(deltas), dtype="object"), errors="coerce").to_numpy(
        dtype="float64")
    out = np.full(x.shape, -(k + 1), dtype=int)
    ok = np.isfinite(x)
    out[ok] = 0
    if k:
        nonzero = ok & (np.abs(x) > 1e-12)
        idx = np.searchsorted(np.asarray(bounds, dtype="float64"), np.abs(x[nonzero]), side="left")
        out[nonzero] = np.sign(x[nonzero]).astype(int) * (np.minimum(idx, k - 1) + 1)
    return out
