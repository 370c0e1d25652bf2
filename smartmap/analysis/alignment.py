"""Smart priorities across territorial levels: what each level states, what support is present,
and how they line up (docs/alignment.md states every rule).

The first axis of the Cohes3ion smart territorial mapping. For every **territory** (the region,
each sub-regional collaboration, each municipality, each regional urban core) and every priority
area of the region, one **cell**:

- what the territory states itself (a counted statement of the priorities layer: adopted, or the
  territory's own weak signal; superseded statements and what others say about it are shown,
  never counted), and which levels state the area for it (``stated_by``);
- the **support** present: counted environments of the area in the territory (for an urban core:
  within R km of its point) and the share of its residents within R km of one, from the metrics;
- the **business base** when the package gives employment by industry and a crosswalk:
  employment-based location quotients beside the support-based ones;
- the classification (:func:`smartmap.analysis.rules.alignment_status`, the one home of the rules):
  *aligned*, *stated but unsupported*, *supported but not stated* or *neither*, and the flag
  *duplicated* (several governance levels fund the area in the same place).

Everything is a pure function of a :class:`~smartmap.data.layers.Territory` and
:class:`~smartmap.analysis.params.MetricParams` (plus, optionally, the metrics already computed):
DataFrames out, nothing drawn or stored.

>>> from smartmap.data.layers import load_territory
>>> table = alignment(load_territory())
>>> table.set_index(["territory_id", "area"]).loc[("sodertorn", "industrial_transition"), "status"]
'aligned'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from smartmap.analysis import governance, rules
from smartmap.analysis.frames import row_at
from smartmap.analysis.metrics import MetricsResult, cached_metrics
from smartmap.analysis.params import MetricParams, counted_environments
from smartmap.core import lists, vocab
from smartmap.core.fmt import as_float, is_missing
from smartmap.core.vocab import ActorType, Level, Role, Standing, TerritorialLevel
from smartmap.data.layers import LAYERS, Territory

LEVEL_ORDER: tuple[str, ...] = vocab.values(TerritorialLevel)
"""The territorial levels, from the EU down to the urban cores (the matrix's rows)."""
TERRITORY_COLUMNS: tuple[str, ...] = ("territory_id", "level", "name", "kommun_koder", "kind")
STATEMENT_COLUMNS: tuple[str, ...] = (
    "priority_id", "level", "territory_id", "territory_name", "kommun_koder", "area", "niche",
    "wording", "document_title", "document_year", "publisher", "source_url", "read_via",
    "standing", "review", "counts", "known_territory",
)
ALIGNMENT_COLUMNS: tuple[str, ...] = (
    "territory_id", "level", "name", "kommun_koder", "area", "stated", "strength", "stated_by",
    "statements", "n_env", "cov", "supported", "lq_support", "lq_employment", "funding_levels",
    "duplicated", "status",
)
SUMMARY_COLUMNS: tuple[str, ...] = (
    "area", "regional", "n_anchoring", "anchoring", "n_subregional", "subregional",
    "n_supported", "supported_not_stated", "stated_unsupported", "no_statement_collaborations",
    "unanchored",
)
MATRIX_COLUMNS: tuple[str, ...] = (
    "level", "area", "statements", "territories", "actors", "spaces", "shown_statements",
)
EMPLOYMENT_COLUMNS: tuple[str, ...] = (
    "kommun_kod", "kommun", "area", "year", "employed_area", "employed", "lq_employment",
)

GOVERNANCE_LEVELS: frozenset[str] = frozenset(
    {Level.EU.value, Level.NATIONAL.value, Level.REGIONAL.value, Level.SUB_REGIONAL.value,
     Level.MUNICIPAL.value})
"""Governance levels that are territorial levels as they are."""
SPACE_TYPES: frozenset[str] = frozenset(
    {ActorType.PROGRAMME.value, ActorType.PROJECT.value, ActorType.FUNDER.value,
     ActorType.NETWORK.value})
"""Actor types that are governance spaces (programmes, projects, funds, networks and
collaboration bodies) rather than innovation actors."""
STRENGTH_ORDER: tuple[str, ...] = (Standing.ADOPTED.value, Standing.SIGNAL.value)
DEPENDS_ON: tuple[str, ...] = tuple(LAYERS)


# ---------------------------------------------------------------------------------------------
# territories and statements


def territory_table(territory: Territory) -> pd.DataFrame:
    """Every territory of the alignment (:data:`TERRITORY_COLUMNS`), in level order: the region
    (id = the county code), the sub-regional collaborations of regional development, urban-core
    programmes and the visitor economy (social-services R&D units are not among them), the municipalities (code order) and the
    urban cores (class order, then id). ``kind`` is a collaboration's kind or a core's class."""
    codes = sorted(territory.municipalities["kommun_kod"].astype("str"))
    names = dict(zip(territory.municipalities["kommun_kod"].astype("str"),
                     territory.municipalities["kommun"].astype("str"), strict=True))
    region = territory.region
    rows = [(region.county, TerritorialLevel.REGIONAL.value, region.name("sv"), lists.join(codes),
             "")]
    collab = territory.collaborations
    collab = collab[collab["kind"].isin(governance.PRIORITY_COLLABORATION_KINDS)]
    for cid, name, members, kind in zip(collab["collab_id"], collab["name"],
                                        collab["kommun_koder"], collab["kind"], strict=True):
        inside = [c for c in lists.split(members) if c in names]
        rows.append((str(cid), TerritorialLevel.SUB_REGIONAL.value, str(name), lists.join(inside),
                     str(kind)))
    rows += [(c, TerritorialLevel.MUNICIPAL.value, names[c], c, "") for c in codes]
    cores = territory.urban_cores
    rank = {k: i for i, k in enumerate(region.core_classes.ids)}
    order = sorted(zip(cores["core_id"], cores["name"], cores["kommun_koder"], cores["core_class"],
                       strict=True), key=lambda r: (rank.get(r[3], 99), str(r[0])))
    for cid, name, members, cls in order:
        inside = [c for c in lists.split(members) if c in names]
        rows.append((str(cid), TerritorialLevel.URBAN_CORE.value, str(name), lists.join(inside),
                     str(cls)))
    return pd.DataFrame(rows, columns=list(TERRITORY_COLUMNS)).astype("str")


def statements(territory: Territory) -> pd.DataFrame:
    """The priorities layer with two verdicts (:data:`STATEMENT_COLUMNS`): ``counts`` (its
    standing counts as stated, :func:`smartmap.analysis.rules.counts_as_stated`) and
    ``known_territory`` (its territory exists at its level; the loader reports the others)."""
    p = territory.priorities
    known = {
        TerritorialLevel.REGIONAL.value: {territory.county},
        TerritorialLevel.SUB_REGIONAL.value: set(territory.collaborations["collab_id"]),
        TerritorialLevel.MUNICIPAL.value: set(territory.municipalities["kommun_kod"]),
        TerritorialLevel.URBAN_CORE.value: set(territory.urban_cores["core_id"]),
    }
    out = pd.DataFrame({c: p[c] if c in p.columns else "" for c in STATEMENT_COLUMNS[:-2]})
    out["counts"] = p["standing"].map(rules.counts_as_stated).astype(bool)
    out["known_territory"] = [str(t) in known.get(str(lv), set())
                              for lv, t in zip(p["level"], p["territory_id"], strict=True)]
    out["area"] = out["area"].fillna("").astype("str")
    return out.reset_index(drop=True)


def _counted_statements(territory: Territory) -> pd.DataFrame:
    s = statements(territory)
    return s[s["counts"] & s["known_territory"] & (s["area"] != "")
             & s["area"].isin(territory.region.area_ids)]


# ---------------------------------------------------------------------------------------------
# the business base


def _digits(code: object) -> str:
    return re.sub(r"\D", "", str(code))


def employment_lq(territory: Territory) -> pd.DataFrame:
    """Employment-based location quotients, municipality x area (:data:`EMPLOYMENT_COLUMNS`).

    Empty when the package has no employment table or no crosswalk. Uses the latest year of the
    table. An employment row belongs to an area when its industry code starts with a crosswalk
    code of that area (digits only: crosswalk ``21`` takes ``21``, ``21.1``, ``21.10``); a row
    counts once per area. ``lq_employment`` = (E_m,a / E_m) / (E_a / E) over the county's
    municipalities in the table; NA when E_m or E_a is 0.
    """
    emp, walk = territory.employment, territory.industry_areas
    if emp.empty or walk.empty:
        return pd.DataFrame(columns=list(EMPLOYMENT_COLUMNS))
    codes = set(territory.municipalities["kommun_kod"])
    emp = emp[emp["kommun_kod"].isin(codes)]
    year = int(emp["year"].max())
    emp = emp[emp["year"] == year]
    digits = emp["industry_code"].map(_digits).to_numpy(dtype=object)
    employed = emp["employed"].to_numpy(dtype="float64")
    by_muni = emp["kommun_kod"].to_numpy(dtype=object)
    names = dict(zip(territory.municipalities["kommun_kod"], territory.municipalities["kommun"],
                     strict=True))
    totals = pd.Series(employed).groupby(by_muni).sum()
    county_total = float(employed.sum())
    rows = []
    for area in territory.region.area_ids:
        prefixes = tuple(_digits(c) for c in walk.loc[walk["area"] == area, "industry_code"])
        mask = np.array([bool(prefixes) and d.startswith(prefixes) for d in digits], dtype=bool)
        area_by = pd.Series(np.where(mask, employed, 0.0)).groupby(by_muni).sum()
        county_area = float(employed[mask].sum())
        for code in sorted(codes):
            e_ma = float(area_by.get(code, 0.0))
            e_m = float(totals.get(code, 0.0))
            lq = (e_ma / e_m) / (county_area / county_total) if e_m > 0 and county_area > 0 \
                else np.nan
            rows.append((code, names.get(code, code), area, year, e_ma, e_m, lq))
    return pd.DataFrame(rows, columns=list(EMPLOYMENT_COLUMNS)).astype(
        {"kommun_kod": "str", "kommun": "str", "area": "str", "year": "int64"})


# ---------------------------------------------------------------------------------------------
# the alignment table


@dataclass(frozen=True)
class _Near:
    """Counted environments near each urban core (within R km of its point), by area."""

    counts: dict[str, npt.NDArray[np.int64]]
    """core id -> counts per area (the region's order)."""
    ids: dict[tuple[str, str], set[str]]
    """(core id, area) -> the environment ids."""


def _near(territory: Territory, params: MetricParams) -> _Near:
    env = counted_environments(territory, params)
    cores = territory.urban_cores
    areas = territory.region.area_ids
    counts: dict[str, npt.NDArray[np.int64]] = {}
    ids: dict[tuple[str, str], set[str]] = {}
    points = np.asarray(cores.geometry.values, dtype=object)
    ok = ~(shapely.is_missing(points) | shapely.is_empty(points))
    if env.empty or not ok.any():
        return _Near(counts, ids)
    member = lists.membership(env["priority_areas"], areas)
    env_ids = env["id"].to_numpy(dtype=object)
    dist = shapely.distance(points[ok][:, None],
                            np.asarray(env.geometry.values, dtype=object)[None, :])
    near = dist <= params.radius_m
    for row, cid in zip(near, cores["core_id"].to_numpy(dtype=object)[ok], strict=True):
        counts[str(cid)] = member[row].sum(axis=0).astype(np.int64)
        for j, area in enumerate(areas):
            ids[(str(cid), area)] = set(env_ids[row & member[:, j]])
    return _Near(counts, ids)


def _near_ids(territory: Territory, params: MetricParams, core_ids: Iterable[str],
              area: str) -> set[str]:
    near = _near(territory, params)
    out: set[str] = set()
    for cid in core_ids:
        out |= near.ids.get((str(cid), area), set())
    return out


def _funding_levels(territory: Territory, params: MetricParams) -> dict[tuple[str, str], set[str]]:
    """(environment id, area) -> governance levels of the first programme of each counting chain
    of the environment for the area."""
    model = governance.governance_model(territory)
    atype = dict(zip(model.nodes["node_id"], model.nodes["actor_type"], strict=True))
    level = model.levels()
    out: dict[tuple[str, str], set[str]] = {}
    chains = governance.counting_chains(territory, params)
    for env_id, path, areas in zip(chains["env_id"], chains["path"], chains["areas"], strict=True):
        first = next((n for n in lists.split(path)[1:]
                      if atype.get(n, "") in governance.PROGRAMME_TYPES), None)
        if first is None:
            continue
        for area in lists.split(areas):
            out.setdefault((env_id, area), set()).add(level.get(first, ""))
    return out


def _nan(value: object) -> float:
    return np.nan if is_missing(value) else as_float(value)


def _alignment(territory: Territory, params: MetricParams, result: MetricsResult) -> pd.DataFrame:
    region = territory.region
    areas = region.area_ids
    terr = territory_table(territory)
    stated = _counted_statements(territory)
    by_area: dict[str, list[tuple[str, str, str, set[str], str]]] = {a: [] for a in areas}
    for pid, lv, tid, area, codes, standing in zip(
            stated["priority_id"], stated["level"], stated["territory_id"], stated["area"],
            stated["kommun_koder"], stated["standing"], strict=True):
        by_area[area].append((str(pid), str(lv), str(tid), set(lists.split(codes)),
                              str(standing)))
    muni = result.municipalities
    codes = muni["kommun_kod"].astype("str").tolist()
    pop = dict(zip(codes, muni["population"].astype("float64"), strict=True))
    n_all = dict(zip(codes, muni["n_env"].astype("float64"), strict=True))
    col = {a: {kind: dict(zip(codes, muni[f"{kind}_{a}"].astype("float64"), strict=True))
               for kind in ("n_env", "cov", "lq")} for a in areas}
    county = result.county.set_index("area")
    emp = employment_lq(territory)
    emp_of: dict[tuple[str, str], tuple[float, float]] = {
        (k, a): (ea, e) for k, a, ea, e in zip(emp["kommun_kod"], emp["area"],
                                               emp["employed_area"], emp["employed"],
                                               strict=True)}
    emp_county = {a: (emp.loc[emp["area"] == a, "employed_area"].sum(),
                      emp.loc[emp["area"] == a, "employed"].sum()) for a in areas}
    near = _near(territory, params)
    funding = _funding_levels(territory, params)
    env = counted_environments(territory, params)
    env_by: dict[tuple[str, str], list[str]] = {}
    for e, k, tags in zip(env["id"], env["kommun_kod"], env["priority_areas"], strict=True):
        for a in lists.split(tags):
            env_by.setdefault((str(k), a), []).append(str(e))
    regional = TerritorialLevel.REGIONAL.value
    rows = []
    for t in terr.itertuples(index=False):
        members = lists.split(t.kommun_koder)
        mset = set(members)
        is_region = t.level == regional
        is_core = t.level == TerritorialLevel.URBAN_CORE.value
        for j, area in enumerate(areas):
            own = [x for x in by_area[area] if x[1] == t.level and x[2] == t.territory_id]
            covering = by_area[area] if is_region else [
                x for x in by_area[area] if x[1] == regional or x[3] & mset]
            strength = next((s for s in STRENGTH_ORDER if any(x[4] == s for x in own)), "")
            if is_region:
                county_row = row_at(county, area)
                n_env = int(county_row["n_env"])
                cov, lq = _nan(county_row["cov"]), np.nan
                env_ids = set(env["id"].loc[lists.contains(env["priority_areas"], area)])
            elif is_core:
                found = near.counts.get(str(t.territory_id))
                n_env = int(found[j]) if found is not None else 0
                cov, lq = np.nan, np.nan
                env_ids = near.ids.get((str(t.territory_id), area), set())
            else:
                n_env = int(sum(col[area]["n_env"].get(c, 0.0) for c in members))
                weights = [(col[area]["cov"].get(c, np.nan), pop.get(c, np.nan)) for c in members]
                weights = [(v, w) for v, w in weights if not (np.isnan(v) or np.isnan(w))]
                total = sum(w for _, w in weights)
                cov = sum(v * w for v, w in weights) / total if total > 0 else np.nan
                if len(members) == 1:
                    lq = col[area]["lq"].get(members[0], np.nan)
                else:
                    n_m = sum(n_all.get(c, 0.0) for c in members)
                    big_a = float(row_at(county, area)["n_env"])
                    big = float(row_at(county, "any")["n_env"])
                    lq = (n_env / n_m) / (big_a / big) if n_m > 0 and big_a > 0 else np.nan
                env_ids = {e for c in members for e in env_by.get((c, area), [])}
            lq_emp = np.nan
            if emp_of and not is_core and not is_region:
                e_a = sum(emp_of.get((c, area), (0.0, 0.0))[0] for c in members)
                e = sum(emp_of.get((c, area), (0.0, 0.0))[1] for c in members)
                county_a, county_e = emp_county[area]
                if e > 0 and county_a > 0:
                    lq_emp = float((e_a / e) / (county_a / county_e))
            levels = set().union(*(funding.get((e, area), set()) for e in env_ids)) - {""}
            rows.append((t.territory_id, t.level, t.name, t.kommun_koder, area, bool(own),
                         strength, vocab.join_list([x[1] for x in covering], TerritorialLevel),
                         lists.join(x[0] for x in covering), n_env, cov, False, lq, lq_emp,
                         len(levels), False, ""))
    out = pd.DataFrame(rows, columns=list(ALIGNMENT_COLUMNS))
    if out.empty:
        return out
    out["supported"] = rules.is_supported(out["n_env"].to_numpy(), out["cov"].to_numpy())
    out["duplicated"] = rules.is_duplicated(out["funding_levels"].to_numpy())
    out["status"] = rules.alignment_status(out["stated"].to_numpy(), out["supported"].to_numpy())
    return out.astype({"n_env": "int64", "funding_levels": "int64", "stated": "bool",
                       "supported": "bool", "duplicated": "bool", "cov": "float64",
                       "lq_support": "float64", "lq_employment": "float64"})


def alignment(territory: Territory, params: MetricParams | None = None,
              result: MetricsResult | None = None) -> pd.DataFrame:
    """The alignment table: one row per territory and area (:data:`ALIGNMENT_COLUMNS`).

    ``stated``: the territory states the area itself (a counted statement); ``strength``:
    ``adopted`` or ``signal``; ``stated_by``: the territorial levels whose counted statements of
    the area cover the territory (the region's cover all); ``statements``: their ids. ``n_env``:
    counted environments of the area in the territory (an urban core: within R km of its point);
    ``cov``: the share of its residents within R km of one (NA for a core); ``supported``,
    ``duplicated`` and ``status`` by :mod:`smartmap.analysis.rules`; ``lq_support``: the
    support-based location quotient (environments); ``lq_employment``: the employment-based one
    (NA without employment data); ``funding_levels``: governance levels of the first programmes
    of the counting chains of those environments. ``result`` (the metrics of ``territory`` with
    ``params``) is computed when not given. Cached on the territory per parameters.
    """
    params = params or MetricParams()
    if result is None:
        result = cached_metrics(territory, params)
    return territory.cached(("alignment", params), DEPENDS_ON,
                            lambda t: _alignment(t, params, result)).copy()


# ---------------------------------------------------------------------------------------------
# county summaries


def county_summary(territory: Territory, table: pd.DataFrame) -> pd.DataFrame:
    """Per area (:data:`SUMMARY_COLUMNS`): whether the region states it (``regional``), the
    municipalities that anchor it locally (they, or an urban core in them, state it), the
    collaborations that state it, the municipalities where it is supported, the municipalities
    supported but not stating it, those stating it without support, the development
    collaborations that state nothing of it, and ``unanchored`` (a regional priority that no
    municipality or urban core states)."""
    rows = []
    mun = table[table["level"] == TerritorialLevel.MUNICIPAL.value]
    sub = table[table["level"] == TerritorialLevel.SUB_REGIONAL.value]
    reg = table[table["level"] == TerritorialLevel.REGIONAL.value].set_index("area")
    counted = _counted_statements(territory)
    core_stated = counted[counted["level"] == TerritorialLevel.URBAN_CORE.value]
    for area in territory.region.area_ids:
        m = mun[mun["area"] == area]
        anchoring = set(m.loc[m["stated"], "territory_id"])
        for codes in core_stated.loc[core_stated["area"] == area, "kommun_koder"]:
            anchoring |= set(lists.split(codes))  # the statement's own municipalities
        s = sub[sub["area"] == area]
        regional = bool(reg.at[area, "stated"]) if area in reg.index else False
        rows.append({
            "area": area, "regional": regional,
            "n_anchoring": len(anchoring), "anchoring": lists.join(sorted(anchoring)),
            "n_subregional": int(s["stated"].sum()),
            "subregional": lists.join(s.loc[s["stated"], "territory_id"]),
            "n_supported": int(m["supported"].sum()),
            "supported_not_stated": lists.join(
                m.loc[m["status"] == vocab.AlignmentStatus.SUPPORTED_NOT_STATED.value,
                      "territory_id"]),
            "stated_unsupported": lists.join(
                table.loc[(table["area"] == area)
                          & (table["status"] == vocab.AlignmentStatus.STATED_UNSUPPORTED.value),
                          "territory_id"]),
            "no_statement_collaborations": lists.join(
                s.loc[~s["stated"] & (territory_kinds(territory, s["territory_id"])
                                      == vocab.CollaborationKind.DEVELOPMENT.value),
                      "territory_id"]),
            "unanchored": regional and not anchoring,
        })
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def territory_kinds(territory: Territory, ids: pd.Series) -> pd.Series[str]:
    """The kind of each collaboration id (``""`` for other ids), aligned with ``ids``."""
    kinds = dict(zip(territory.collaborations["collab_id"], territory.collaborations["kind"],
                     strict=True))
    return pd.Series([str(kinds.get(i, "")) for i in ids], index=ids.index)


def unstated_municipalities(territory: Territory) -> list[str]:
    """Codes of the municipalities that state no priority at all in the layer (no counted
    statement, area or niche): "no source found" in the data (code order)."""
    s = statements(territory)
    stated = set(s.loc[s["counts"] & (s["level"] == TerritorialLevel.MUNICIPAL.value),
                       "territory_id"])
    return [c for c in sorted(territory.municipalities["kommun_kod"]) if c not in stated]


# ---------------------------------------------------------------------------------------------
# the smart territorial map matrix


def node_territorial_level(nodes: pd.DataFrame) -> dict[str, str]:
    """The territorial level of each governance node (docs/alignment.md "The matrix"): its
    governance level when that is territorial (EU ... municipal); an academic, private,
    civil-society or mixed one by the territory it is tied to: an environment is located in a
    municipality (``municipal``); an actor's territory ``eu``/``national``/``county`` gives
    ``eu``/``national``/``regional``, one municipality ``municipal``, several ``sub_regional``."""
    out = {}
    wide = {"eu": TerritorialLevel.EU.value, "national": TerritorialLevel.NATIONAL.value,
            "county": TerritorialLevel.REGIONAL.value}
    for node, level, kind, terr in zip(nodes["node_id"], nodes["level"], nodes["kind"],
                                       nodes["territory"], strict=True):
        if level in GOVERNANCE_LEVELS:
            out[node] = level
            continue
        parts = lists.split(terr)
        scope = next((wide[p] for p in ("eu", "national", "county") if p in parts), None)
        if kind == vocab.NodeKind.ENVIRONMENT.value or not parts:
            out[node] = TerritorialLevel.MUNICIPAL.value
        elif scope is not None:
            out[node] = scope
        else:
            out[node] = (TerritorialLevel.MUNICIPAL.value if len(parts) == 1
                         else TerritorialLevel.SUB_REGIONAL.value)
    return out


def _matrix(territory: Territory, params: MetricParams) -> pd.DataFrame:
    model = governance.governance_model(territory)
    involved = governance.involvement(territory, params, "area")
    tl = node_territorial_level(model.nodes)
    atype = dict(zip(model.nodes["node_id"], model.nodes["actor_type"], strict=True))
    node_level = involved["node_id"].map(tl)
    every = statements(territory)
    every = every[every["known_territory"] & (every["area"] != "")]
    counted = every[every["counts"]]
    rows = []
    for level in LEVEL_ORDER:
        for area in territory.region.area_ids:
            s = counted[(counted["level"] == level) & (counted["area"] == area)]
            shown = every[(every["level"] == level) & (every["area"] == area)]
            if level == TerritorialLevel.URBAN_CORE.value:
                nodes = sorted(_near_ids(territory, params, list(dict.fromkeys(s["territory_id"])),
                                         area))
            else:
                inv = involved[(involved["key"] == area) & (node_level == level)]
                nodes = list(dict.fromkeys(inv["node_id"]))
            actors = [n for n in nodes if atype.get(n, "") not in SPACE_TYPES]
            spaces = [n for n in nodes if atype.get(n, "") in SPACE_TYPES]
            rows.append({
                "level": level, "area": area, "statements": lists.join(s["priority_id"]),
                "territories": lists.join(dict.fromkeys(s["territory_id"])),
                "actors": lists.join(actors), "spaces": lists.join(spaces),
                "shown_statements": lists.join(shown["priority_id"]),
            })
    return pd.DataFrame(rows, columns=list(MATRIX_COLUMNS)).astype("str")


def territorial_matrix(territory: Territory, params: MetricParams | None = None) -> pd.DataFrame:
    """The smart territorial map matrix, long form: one row per territorial level and area
    (:data:`MATRIX_COLUMNS`, ``;``-lists of ids).

    ``statements``: the counted statements of the area at the level (``territories``: who states
    them); ``actors``: the innovation actors and environments involved in the area
    (:func:`smartmap.analysis.governance.involvement`) whose territorial level
    (:func:`node_territorial_level`) is the level; ``spaces``: the governance spaces among them
    (programmes, projects, funds, networks and collaborations); for the urban-core level, the
    counted environments of the area within R km of the cores that state it.
    ``shown_statements`` adds the superseded statements and those said by others (drill-down).
    """
    params = params or MetricParams()
    return territory.cached(("territorial_matrix", params), DEPENDS_ON,
                            lambda t: _matrix(t, params)).copy()


# ---------------------------------------------------------------------------------------------
# territories with their cells (the export)


def territory_cells(territory: Territory, table: pd.DataFrame) -> gpd.GeoDataFrame:
    """One feature per territory with its cells as columns (``<area>_status``,
    ``<area>_stated``, ``<area>_stated_by``, ``<area>_n_env``, ``<area>_cov``,
    ``<area>_duplicated``): for the GeoPackage and GeoJSON export. The geometry is the union of
    the member municipalities (the region: the county), an urban core's point."""
    muni = territory.municipalities.set_index("kommun_kod")
    cores = territory.urban_cores.set_index("core_id")
    terr = territory_table(territory)
    geoms = []
    for t in terr.itertuples(index=False):
        if t.level == TerritorialLevel.URBAN_CORE.value and t.territory_id in cores.index:
            point = cores.at[t.territory_id, "geometry"]
            if point is not None and not shapely.is_empty(point):
                geoms.append(point)
                continue
        members = [c for c in lists.split(t.kommun_koder) if c in muni.index]
        geoms.append(shapely.union_all(muni.loc[members].geometry.values) if members else None)
    out = pd.DataFrame({c: terr[c] for c in TERRITORY_COLUMNS})
    wide = table.set_index(["territory_id", "area"])
    for area in territory.region.area_ids:
        for column in ("status", "stated", "stated_by", "n_env", "cov", "duplicated"):
            # .at gives any scalar (numpy datetime64 too); the stubs' __setitem__ does not list it
            out[f"{area}_{column}"] = [  # type: ignore[assignment]
                wide.at[(tid, area), column] for tid in terr["territory_id"]]
    return gpd.GeoDataFrame(out, geometry=geoms, crs=territory.municipalities.crs)


def involved_as(territory: Territory, params: MetricParams | None, node_id: str) -> list[str]:
    """The roles (in :class:`~smartmap.core.vocab.Role` order) through which a node is involved
    in any area (for drill-down texts)."""
    inv = governance.involvement(territory, params, "area")
    roles = set(inv.loc[inv["node_id"] == node_id, "role"])
    return [r for r in vocab.values(Role) if r in roles]
