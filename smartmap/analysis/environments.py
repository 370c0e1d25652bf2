"""Selecting and describing innovation environments: filters, search, location precision.

Pure functions on the environments GeoDataFrame; nothing here changes its input.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from smartmap.core import lists, vocab


@dataclass(frozen=True)
class EnvFilter:
    """What a user asked to see. Empty collections mean "no restriction"."""

    areas: Collection[str] = field(default_factory=tuple)
    types: Collection[str] = field(default_factory=tuple)
    services: Collection[str] = field(default_factory=tuple)
    levels: Collection[str] = field(default_factory=tuple)
    statuses: Collection[str] = field(default_factory=tuple)
    query: str = ""

    def is_empty(self) -> bool:
        return not (self.areas or self.types or self.services or self.levels or self.statuses
                    or self.query.strip())


def _has_any(column: pd.Series, wanted: Collection[str]) -> pd.Series[bool]:
    """Rows whose ``;``-list column holds at least one of ``wanted``."""
    ids = sorted(set(wanted))
    if not ids:
        return pd.Series(False, index=column.index, dtype=bool)
    return pd.Series(lists.membership(column, ids).any(axis=1), index=column.index, dtype=bool)


def matches(environments: pd.DataFrame, flt: EnvFilter) -> pd.Series[bool]:
    """Boolean mask of the environments that pass the filter.

    Within one criterion any selected value passes (OR); across criteria all must hold (AND).
    The search matches name or host, case- and accent-insensitively on whole substrings.
    """
    mask = pd.Series(True, index=environments.index)
    if flt.areas:
        mask &= _has_any(environments["priority_areas"], flt.areas)
    if flt.services:
        mask &= _has_any(environments["services"], flt.services)
    if flt.types:
        mask &= environments["env_type"].isin(list(flt.types))
    if flt.levels:
        mask &= environments["governance_level"].isin(list(flt.levels))
    if flt.statuses:
        mask &= environments["status"].isin(list(flt.statuses))
    q = flt.query.strip()
    if q:
        needle = fold(q)
        hay = (
            environments["name"].fillna("").astype("str")
            + " \u0000 "
            + environments["host_organisation"].fillna("").astype("str")
        ).map(fold)
        mask &= hay.str.contains(needle, regex=False)
    return mask.astype(bool)


def filter_environments(environments: gpd.GeoDataFrame, flt: EnvFilter) -> gpd.GeoDataFrame:
    """The environments that pass the filter, in their original order."""
    return environments.loc[matches(environments, flt)]


_FOLD = str.maketrans("åäöéèüÅÄÖÉÈÜ", "aaoeeuaaoeeu")


def fold(text: str) -> str:
    """Lower-case and strip Swedish accents, for forgiving search (``Södertälje`` ~ ``sodertalje``).

    >>> fold("Södertälje Science Park")
    'sodertalje science park'
    """
    return text.translate(_FOLD).casefold()


def location_precision(environments: pd.DataFrame) -> pd.Series[str]:
    """How precise each point is, by the rule of the sources' method file (PROVENANCE.md).

    ``placeholder`` where the notes say the point is a placeholder (only the municipality is
    meaningful); ``address`` where a street address is known (about 50-300 m); otherwise ``area``
    (district or campus estimate, up to about 1 km).
    """
    notes = environments.get("notes", pd.Series("", index=environments.index))
    address = environments.get("address", pd.Series("", index=environments.index))
    notes_text = notes.fillna("").astype("str").str.casefold()
    address_text = address.fillna("").astype("str").str.strip()
    placeholder = notes_text.str.contains("placeholder", regex=False)
    # an address is a street address when it carries a house number
    street = address_text.str.contains(r"\d", regex=True)
    out = np.where(placeholder, vocab.Precision.PLACEHOLDER.value,
                   np.where(street, vocab.Precision.ADDRESS.value, vocab.Precision.AREA.value))
    return pd.Series(out, index=environments.index, dtype="str")
