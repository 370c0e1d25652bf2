"""The analysis rules that several places apply: the one home of "niche", "gap", "weak LQ" and
"coarse population".

The metrics table, the smart-priorities table, the municipality profile, the report and the app all
call these functions; none restates a threshold (docs/metrics.md "Smart priorities").

>>> is_niche(np.array([2.63, 1.6, np.nan]), np.array([1, 2, 0])).tolist()
[False, True, False]
>>> is_gap(np.array([100_895.0, 10_000.0]), np.array([True, True])).tolist()
[True, False]
>>> is_coarse_population(np.array([0.8682, 0.95, np.nan])).tolist()
[True, False, False]
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

NICHE_MIN_LQ = 1.5
"""A niche needs a support-based location quotient of at least this ..."""
NICHE_MIN_ENVIRONMENTS = 2
"""... on at least this many environments of the area in the municipality."""
GAP_MIN_POPULATION = 30_000
"""A gap is a white spot in a municipality of more than this many residents."""
WEAK_LQ_MAX_ENVIRONMENTS = 3
"""An LQ built on this many environments or fewer is flagged as weak wherever it is shown."""
LOCATED_SHARE_MIN = 0.95
"""A municipality with less than this share of its residents on points with a stated population
(:func:`smartmap.data.population.located_population`) has its coverage figures flagged: they
rest partly on one "rest of municipality" point."""


def is_niche(lq: npt.ArrayLike, n_area: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Niche: LQ >= 1.5 on >= 2 environments of the area (NA LQ is never a niche)."""
    lq_ = np.nan_to_num(np.asarray(lq, dtype="float64"), nan=0.0)
    return (lq_ >= NICHE_MIN_LQ) & (np.asarray(n_area) >= NICHE_MIN_ENVIRONMENTS)


def is_gap(population: npt.ArrayLike, white_spot: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Gap: a white spot (no resident within R) in a municipality of > 30,000 residents."""
    pop = np.nan_to_num(np.asarray(population, dtype="float64"), nan=0.0)
    return (pop > GAP_MIN_POPULATION) & np.asarray(white_spot, dtype=bool)


def is_weak_lq(n_area: int) -> bool:
    """True when an LQ rests on too few environments to be read on its own."""
    return n_area <= WEAK_LQ_MAX_ENVIRONMENTS


def is_coarse_population(located_share: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Coarse: fewer than 95 % of the residents on located points (NA is never flagged: a
    municipality without a population has no coverage figure to qualify)."""
    share = np.asarray(located_share, dtype="float64")
    return ~np.isnan(share) & (share < LOCATED_SHARE_MIN)
