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

from smartmap.core.vocab import AlignmentStatus, Standing

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
    lq_ = np.nan_to_num(np.asarray(lq, dtype=np.float64), nan=0.0)
    return (lq_ >= NICHE_MIN_LQ) & (np.asarray(n_area) >= NICHE_MIN_ENVIRONMENTS)


def is_gap(population: npt.ArrayLike, white_spot: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Gap: a white spot (no resident within R) in a municipality of > 30,000 residents."""
    pop = np.nan_to_num(np.asarray(population, dtype=np.float64), nan=0.0)
    return (pop > GAP_MIN_POPULATION) & np.asarray(white_spot, dtype=np.bool_)


def is_weak_lq(n_area: int) -> bool:
    """True when an LQ rests on too few environments to be read on its own."""
    return n_area <= WEAK_LQ_MAX_ENVIRONMENTS


def is_coarse_population(located_share: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Coarse: fewer than 95 % of the residents on located points (NA is never flagged: a
    municipality without a population has no coverage figure to qualify)."""
    share = np.asarray(located_share, dtype=np.float64)
    return ~np.isnan(share) & (share < LOCATED_SHARE_MIN)


# ---------------------------------------------------------------------------------------------
# smart priorities across territorial levels (docs/alignment.md states every rule)

COUNTED_STANDINGS: frozenset[str] = frozenset({Standing.ADOPTED.value, Standing.SIGNAL.value})
"""A statement counts as *stated* when it is adopted or the territory's own weak signal;
superseded ones and what others say about a territory are shown, never counted."""
SUPPORT_MIN_COVERAGE = 0.5
"""A territory is *supported* in an area when it has a counted environment of the area, or when at
least this share of its residents lives within R km of one."""
DUPLICATION_MIN_LEVELS = 2
"""A cell is *duplicated* when the programmes that fund its environments of the area (the first
programme of each counting chain) belong to at least this many governance levels."""


def counts_as_stated(standing: object) -> bool:
    """Whether a priority statement of this standing counts as stated.

    >>> counts_as_stated("adopted"), counts_as_stated("signal"), counts_as_stated("superseded")
    (True, True, False)
    """
    return str(standing) in COUNTED_STANDINGS


def is_supported(n_env: npt.ArrayLike, cov: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Supported: at least one counted environment of the area in the territory, or at least
    half of its residents within R km of one (NA coverage counts as no coverage).

    >>> is_supported(np.array([1, 0, 0, 0]), np.array([0.0, 0.5, 0.49, np.nan])).tolist()
    [True, True, False, False]
    """
    cov_ = np.nan_to_num(np.asarray(cov, dtype=np.float64), nan=0.0)
    return (np.asarray(n_env) >= 1) | (cov_ >= SUPPORT_MIN_COVERAGE)


def alignment_status(stated: npt.ArrayLike, supported: npt.ArrayLike) -> npt.NDArray[np.object_]:
    """The alignment of each cell from whether the territory states the area itself and whether
    it is supported: aligned, stated but unsupported, supported but not stated, or neither.

    >>> alignment_status([True, True, False, False], [True, False, True, False]).tolist()
    ['aligned', 'stated_unsupported', 'supported_not_stated', 'neither']
    """
    st = np.asarray(stated, dtype=bool)
    sp = np.asarray(supported, dtype=bool)
    out = np.where(st & sp, AlignmentStatus.ALIGNED.value,
                   np.where(st, AlignmentStatus.STATED_UNSUPPORTED.value,
                            np.where(sp, AlignmentStatus.SUPPORTED_NOT_STATED.value,
                                     AlignmentStatus.NEITHER.value)))
    return out.astype(object)


def is_duplicated(funding_levels: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Duplicated: the area's environments in the territory are funded through programmes of at
    least two governance levels (separate chains entering programmes of different levels).

    >>> is_duplicated([0, 1, 2]).tolist()
    [False, False, True]
    """
    return np.asarray(funding_levels) >= DUPLICATION_MIN_LEVELS
