"""Multilevel governance: which governance levels are present for each municipality.

A municipality's *local* levels are the governance levels of the (counted) environments located in
it plus those of the actors whose ``territory`` lists its code explicitly; *all* levels add the
actors whose territory is county-wide, national or EU (``county``, ``national``, ``eu``). Levels are
written in :class:`~smartmap.vocab.Level` order joined with ``;``.

An id found both as an environment and as an actor is one entity; when their levels differ both are
kept here (the load reports the conflict).

>>> from smartmap.layers import load_territory
>>> t = load_territory()
>>> lv = municipality_levels(t, t.environments[t.environments["status"] == "active"])
>>> lv.set_index("kommun_kod").loc["0187", "levels_local"]
'municipal'
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from smartmap import vocab
from smartmap.layers import Territory
from smartmap.vocab import Level, Scope

LEVEL_COLUMNS: tuple[str, ...] = ("kommun_kod", "levels_local", "levels_all")
WIDE_SCOPES: frozenset[str] = frozenset(vocab.values(Scope))
"""Actor territories that reach every municipality (``eu``, ``national``, ``county``)."""


def _presence(codes: pd.Index, kommun: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """A municipality x level boolean matrix from parallel arrays of codes and level ids."""
    out = np.zeros((len(codes), len(Level)), dtype=bool)
    mi = codes.get_indexer(kommun)
    li = pd.Index(vocab.values(Level)).get_indexer(levels)
    ok = (mi >= 0) & (li >= 0)
    out[mi[ok], li[ok]] = True
    return out


def _actor_rows(actors: pd.DataFrame) -> tuple[list[str], list[str], set[str]]:
    """Actor territories as (code, level) pairs, plus the levels of wide-scope actors.

    A plain loop over the (few) actors: cheaper than any pandas reshaping at this size.
    """
    codes: list[str] = []
    levels: list[str] = []
    wide: set[str] = set()
    for territory, level in zip(actors["territory"].to_numpy(dtype=object),
                                actors["level"].to_numpy(dtype=object), strict=True):
        if not isinstance(territory, str):
            continue
        for part in territory.split(vocab.LIST_SEPARATOR):
            part = part.strip()
            if part in WIDE_SCOPES:
                wide.add(str(level))
            elif part:
                codes.append(part)
                levels.append(str(level))
    return codes, levels, wide


def _join(matrix: np.ndarray) -> list[str]:
    names = np.array(vocab.values(Level), dtype=object)
    return [vocab.LIST_SEPARATOR.join(names[row]) for row in matrix]


def municipality_levels(territory: Territory, environments: pd.DataFrame) -> pd.DataFrame:
    """``levels_local`` and ``levels_all`` of every municipality, in municipality-code order.

    ``environments`` are the counted environments (the caller decides: active, planned, types);
    their ``kommun_kod`` places them.
    """
    codes = pd.Index(np.sort(territory.layer("municipalities")["kommun_kod"].to_numpy(dtype=object)))
    local = _presence(
        codes,
        environments["kommun_kod"].to_numpy(dtype=object),
        environments["governance_level"].to_numpy(dtype=object),
    )
    act_codes, act_levels, wide_levels = _actor_rows(territory.actors)
    local |= _presence(codes, np.array(act_codes, dtype=object), np.array(act_levels, dtype=object))
    wide = np.array([lv in wide_levels for lv in vocab.values(Level)], dtype=bool)
    everything = local | wide[None, :]
    return pd.DataFrame(
        {"kommun_kod": codes.to_numpy(), "levels_local": _join(local),
         "levels_all": _join(everything)}
    )
