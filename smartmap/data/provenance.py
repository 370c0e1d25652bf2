"""What a region package says about its own evidence: where people are located, which white spots
were searched for, and which environments' status was checked.

Three records that ``geodata/PROVENANCE.md`` and the app's About page both show, each computed here
once (the Markdown of PROVENANCE.md comes from :mod:`smartmap.render.provenance`):

- :func:`population_provenance`: per municipality, the population of the source the region's
  analysis uses, its year, the points with a stated population and their years, and the share of
  residents on those located points (:func:`smartmap.data.population.located_population`).
- :func:`white_spot_search`: the package's ``white_spot_search.csv``, one row per municipality that
  has no environment, saying when it was searched, what was found and which sources were looked
  at, so that a white spot is a finding and not an omission.
- :func:`environment_verification`: the status check recorded in each environment's ``notes``
  (``Status verified <date> per <source>`` / ``Status not verified (searched <date>)``).

>>> from smartmap.data.layers import load_territory
>>> t = load_territory()
>>> search = white_spot_search(t)
>>> search.problems, len(search.frame), search.frame["searched_on"].unique().tolist()
((), 8, ['2026-12-07'])
>>> environment_verification(t.environments)["verification"].value_counts()["verified"]
np.int64(7)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from smartmap.core import lists
from smartmap.core.errors import Problem
from smartmap.core.problemtext import keyed
from smartmap.core.vocab import PopulationRule
from smartmap.data.layers import Territory
from smartmap.data.popsources import region_source
from smartmap.data.population import located_population, population_model

WHITE_SPOT_FILE = "white_spot_search.csv"
"""The package file that records the search for environments in each white-spot municipality."""
WHITE_SPOT_COLUMNS: tuple[str, ...] = (
    "kommun_kod", "kommun", "searched_on", "found_ids", "result", "sources", "queries",
)
"""Its columns: ``found_ids`` is a ``;``-list of environment ids (empty: none found);
``sources`` the URLs looked at, separated by `` | ``; ``queries`` what was searched for."""
_REQUIRED = ("kommun_kod", "searched_on", "found_ids", "sources")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

STATED_RULES: frozenset[str] = frozenset({
    PopulationRule.AS_GIVEN.value, PopulationRule.SCALED_DOWN.value,
    PopulationRule.SCALED_UP.value,
})
"""Rules of the population model for points whose population is stated by the source."""

VERIFIED = re.compile(r"Status verified (\d{4}-\d{2}-\d{2}) per ")
NOT_VERIFIED = re.compile(r"Status not verified \(searched (\d{4}-\d{2}-\d{2})\)")
VERIFICATION_STATES: tuple[str, ...] = ("verified", "not_verified", "not_checked", "planned",
                                        "closed")
"""An environment's check: ``verified`` (an active row whose notes say ``Status verified <date>
per <source>``), ``not_verified`` (``Status not verified (searched <date>)``), ``not_checked``
(an active row the check did not cover: its latest source describes it as operating),
``planned`` and ``closed`` (their status)."""


def population_provenance(territory: Territory) -> pd.DataFrame:
    """Per municipality: population and year, stated points and their years, located share.

    The population model is the one of the region's own source (its manifest's
    ``[population]``), so the table describes what the shipped analysis weighs. Columns:
    :data:`~smartmap.data.population.LOCATED_COLUMNS` plus ``population_year`` (of the
    municipal total), ``year_min``/``year_max`` of the stated points and ``n_undated`` (stated
    points without a year).
    """
    model = population_model(territory, region_source(territory))
    table = located_population(model.report)
    points = model.points
    stated = points.loc[points["rule"].isin(STATED_RULES), ["kommun_kod", "population_year"]]
    years = stated.groupby("kommun_kod")["population_year"]
    muni = territory.municipalities.set_index("kommun_kod")["population_year"].astype("Int64")
    codes = table["kommun_kod"]
    table.insert(3, "population_year", muni.reindex(codes).to_numpy())
    table["year_min"] = years.min().astype("Int64").reindex(codes).to_numpy()
    table["year_max"] = years.max().astype("Int64").reindex(codes).to_numpy()
    undated = years.apply(lambda s: int(s.isna().sum()))
    table["n_undated"] = undated.reindex(codes).fillna(0).astype("int64").to_numpy()
    return table


@dataclass(frozen=True)
class WhiteSpotSearch:
    """The white-spot search record of a package and what is wrong with it."""

    frame: pd.DataFrame
    """:data:`WHITE_SPOT_COLUMNS`, one row per searched municipality, in code order."""
    problems: tuple[Problem, ...]
    present: bool
    """False when the package has no such file (a bare region, or never searched)."""


def white_spot_search(territory: Territory) -> WhiteSpotSearch:
    """The package's ``white_spot_search.csv``, checked against the territory.

    A missing file gives an empty record; a malformed one gives its problems (file, row, field)
    and only the rows that passed, never a traceback.
    """
    empty = pd.DataFrame({c: pd.Series(dtype="str") for c in WHITE_SPOT_COLUMNS})
    path = None if territory.data_dir is None else Path(territory.data_dir) / WHITE_SPOT_FILE
    if path is None or not path.is_file():
        return WhiteSpotSearch(empty, (), False)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        problem = keyed(WHITE_SPOT_FILE, None, None, "cannot_be_read", "exp_utf8_csv",
                        reason=exc)
        return WhiteSpotSearch(empty, (problem,), True)
    missing = [c for c in _REQUIRED if c not in frame.columns]
    if missing:
        problem = keyed(WHITE_SPOT_FILE, 1, ", ".join(missing), "missing_columns",
                        "exp_the_columns", columns=", ".join(WHITE_SPOT_COLUMNS))
        return WhiteSpotSearch(empty, (problem,), True)
    for column in WHITE_SPOT_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    frame = frame[list(WHITE_SPOT_COLUMNS)].apply(lambda s: s.str.strip())
    names = territory.municipalities.set_index("kommun_kod")["kommun"].astype("str")
    env_ids = set(territory.environments["id"].astype("str"))
    problems: list[Problem] = []
    keep = np.ones(len(frame), dtype=bool)
    for i, row in enumerate(frame.itertuples(index=False)):
        line = i + 2
        if row.kommun_kod not in names.index:
            problems.append(keyed(WHITE_SPOT_FILE, line, "kommun_kod", "unknown_municipality",
                                  "exp_county_municipality_code", code=repr(row.kommun_kod)))
            keep[i] = False
            continue
        if not _DATE.match(row.searched_on):
            problems.append(keyed(WHITE_SPOT_FILE, line, "searched_on", "not_a_date",
                                  "exp_iso_date", "error", row.kommun_kod,
                                  value=repr(row.searched_on)))
            keep[i] = False
        for ident in lists.split(row.found_ids):
            if ident not in env_ids:
                problems.append(keyed(WHITE_SPOT_FILE, line, "found_ids", "no_environment_id",
                                      "exp_environment_ids", "warning", row.kommun_kod,
                                      id=repr(ident)))
    frame = frame.loc[keep].copy()
    frame["kommun"] = [names[c] for c in frame["kommun_kod"]]
    frame = frame.sort_values("kommun_kod", kind="stable").reset_index(drop=True)
    return WhiteSpotSearch(frame, tuple(problems), True)


def unsearched_white_spots(territory: Territory) -> pd.DataFrame:
    """Municipalities without an active environment that the search record does not cover.

    Columns ``kommun_kod``, ``kommun`` and ``ids`` (their closed or planned rows, ``;``-list):
    a white spot that was not searched is said to be one, never left out silently.
    """
    env = territory.environments
    muni = territory.municipalities[["kommun_kod", "kommun"]].astype("str")
    active = set(env.loc[env["status"] == "active", "kommun_kod"].astype("str"))
    searched = set(white_spot_search(territory).frame["kommun_kod"])
    out = muni[~muni["kommun_kod"].isin(active | searched)].sort_values("kommun_kod")
    ids = env.groupby(env["kommun_kod"].astype("str"))["id"].agg(lists.join)
    return pd.DataFrame({"kommun_kod": out["kommun_kod"].to_numpy(),
                         "kommun": out["kommun"].to_numpy(),
                         "ids": [ids.get(c, "") for c in out["kommun_kod"]]})


def environment_verification(environments: gpd.GeoDataFrame | pd.DataFrame) -> pd.DataFrame:
    """Each environment's status check (:data:`VERIFICATION_STATES`) and its date, from ``notes``.

    Columns ``id``, ``name``, ``kommun_kod``, ``status``, ``verification``, ``checked_on`` (the
    date of the check, empty when none is recorded), in the layer's order.
    """
    notes = environments["notes"].fillna("").astype("str")
    status = environments["status"].astype("str")
    verified = notes.str.extract(VERIFIED, expand=False)
    unverified = notes.str.extract(NOT_VERIFIED, expand=False)
    state = np.select(
        [status == "closed", status == "planned", verified.notna(), unverified.notna()],
        ["closed", "planned", "verified", "not_verified"], default="not_checked")
    checked = verified.fillna(unverified).fillna("")
    return pd.DataFrame({
        "id": environments["id"].astype("str").to_numpy(),
        "name": environments["name"].astype("str").to_numpy(),
        "kommun_kod": environments["kommun_kod"].astype("str").to_numpy(),
        "status": status.to_numpy(),
        "verification": state,
        "checked_on": checked.to_numpy(),
    })
