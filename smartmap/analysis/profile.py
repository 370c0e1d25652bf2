"""A municipality's profile: its metrics against the county, in tables and plain sentences.

Answers the stakeholder's question "what does my municipality have, for which priority area, run by
whom, and where are the white spots?" from a :class:`~smartmap.analysis.metrics.MetricsResult`, so the
numbers are exactly those of the metrics table. Pure: nothing here draws or stores anything.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from smartmap.analysis import catalog, rules
from smartmap.analysis.frames import row_at
from smartmap.analysis.metrics import MetricsResult
from smartmap.analysis.params import counted_environments
from smartmap.core import lists, vocab
from smartmap.core.fmt import format_value
from smartmap.core.region import Region
from smartmap.data.layers import Territory
from smartmap.data.population import located_population

"""A location quotient built on this many environments of the area or fewer is weak."""


@dataclass(frozen=True)
class Profile:
    """Everything the profile panel shows for one municipality."""

    kommun_kod: str
    kommun: str
    sentences: tuple[str, ...]
    comparison: pd.DataFrame
    """metric label, municipality value, county value (formatted text)."""
    environments: pd.DataFrame
    """The counted environments located in the municipality."""
    services: pd.DataFrame
    """service label, share of residents within R km (formatted)."""


def _pct(value: object, lang: vocab.Lang) -> str:
    return format_value(value, "share", lang)


def _num(value: object, kind: str, lang: vocab.Lang) -> str:
    return format_value(value, kind, lang)


def county_env_per_100k(result: MetricsResult) -> float:
    """Counted environments per 100,000 residents in the whole county."""
    county = result.county.set_index("area")
    row = row_at(county, vocab.ANY_AREA)
    pop = float(row["population"])
    return float("nan") if pop <= 0 else 1e5 * float(row["n_env"]) / pop


def core_class_label(core_class: str, region: Region, lang: vocab.Lang) -> str:
    """The region's label of an urban-core class (the id itself for a class it does not list)."""
    classes = region.core_classes
    return classes.label(core_class, lang) if core_class in classes else str(core_class)


def _place_sentences(territory: Territory, row: pd.Series, name: str,
                     lang: vocab.Lang) -> list[str]:
    """The places of the regional structure in the municipality, one sentence per class (a rural
    node is never called a regional urban core), then the nearest candidate core with its class."""
    region = territory.region
    cores = territory.urban_cores.set_index("core_id")
    members = [c for c in lists.split(row["member_cores"]) if c in cores.index]
    out = []
    by_class: dict[str, list[str]] = {}
    for core_id in members:
        by_class.setdefault(str(cores.at[core_id, "core_class"]), []).append(
            str(cores.at[core_id, "name"]))
    order = {c: i for i, c in enumerate(region.core_classes.ids)}
    for cls in sorted(by_class, key=lambda c: (order.get(c, len(order)), c)):
        out.append(vocab.text("prof_members", lang, name=name,
                              cls=core_class_label(cls, region, lang),
                              cores=", ".join(by_class[cls])))
    nearest = row["nearest_core"]
    if pd.notna(nearest):
        known = nearest in cores.index
        out.append(vocab.text(
            "prof_nearest_core", lang,
            core=str(cores.at[nearest, "name"]) if known else str(nearest),
            cls=core_class_label(str(cores.at[nearest, "core_class"]), region, lang).lower()
            if known else "–",
            dist=_num(row["dist_core_km"], "km", lang)))
    return out


def municipality_profile(
    territory: Territory, result: MetricsResult, kommun_kod: str, lang: vocab.Lang = "sv"
) -> Profile:
    """The profile of ``kommun_kod`` from the metrics ``result`` of ``territory``."""
    table = result.municipalities.set_index("kommun_kod")
    if kommun_kod not in table.index:
        raise KeyError(f"unknown municipality code {kommun_kod!r}")
    row = row_at(table, kommun_kod)
    county = result.county.set_index("area")
    name = str(row["kommun"])
    region = territory.region
    radius = result.params.radius_km
    text = vocab.text
    sentences: list[str] = []

    pop_row = row_at(territory.municipalities.set_index("kommun_kod"), kommun_kod)
    population = pop_row["population"]
    sentences.append(text(
        "prof_env", lang, name=name, n=int(row["n_env"]),
        rate=_num(row["env_per_100k"], "rate", lang),
        county_rate=_num(county_env_per_100k(result), "rate", lang),
        population=_num(population, "count", lang),
        year=("" if pd.isna(pop_row["population_year"]) else int(pop_row["population_year"])),
    ))
    for key in region.areas_and_any:
        cov = row[f"cov_{key}"]
        area_name = (region.areas.short(key, lang) if key != vocab.ANY_AREA
                     else text("prof_any", lang))
        if pd.isna(cov):
            sentences.append(text("prof_cov_na", lang, name=name, area=area_name))
            continue
        uncovered = 1.0 - float(cov)
        if float(row_at(county, key)["n_env"]) == 0:
            sentences.append(text("prof_none_anywhere", lang, area=area_name))
        elif uncovered > 0:
            sentences.append(text(
                "prof_white_any" if key == vocab.ANY_AREA else "prof_white", lang, name=name, area=area_name, r=f"{radius:g}",
                pct=_pct(uncovered, lang), dist=_num(row[f"dist_km_{key}"], "km", lang),
                county=_pct(county.loc[key, "cov"], lang),
            ))
        else:
            sentences.append(text(
                "prof_all_covered_any" if key == vocab.ANY_AREA else "prof_all_covered", lang, name=name, area=area_name, r=f"{radius:g}",
                dist=_num(row[f"dist_km_{key}"], "km", lang),
            ))
    located = located_population(result.population).set_index("kommun_kod")
    mine = row_at(located, kommun_kod) if kommun_kod in located.index else None
    if mine is not None and bool(rules.is_coarse_population(mine["located_share"])):
        sentences.append(text(
            "prof_coarse_population", lang, name=name, share=_pct(mine["located_share"], lang),
            rest=_num(float(mine["on_unstated"]) + float(mine["on_rest"]), "count", lang),
            pct=_pct(rules.LOCATED_SHARE_MIN, lang)))
    niches = result.priorities[(result.priorities["kommun_kod"] == kommun_kod)
                               & result.priorities["niche"]]
    for area in niches["area"]:
        lq, n_a = row[f"lq_{area}"], int(row[f"n_env_{area}"])
        weak = text("prof_weak", lang) if rules.is_weak_lq(n_a) else ""
        sentences.append(text("prof_niche", lang, area=region.areas.label(area, lang),
                              lq=_num(lq, "ratio", lang), n=n_a, weak=weak))
    sentences.extend(_place_sentences(territory, row, name, lang))
    local = [vocab.label(v, lang) for v in lists.split(row["levels_local"])]
    everyone = [vocab.label(v, lang) for v in lists.split(row["levels_all"])]
    sentences.append(text("prof_levels", lang, local=", ".join(local) or text("none", lang),
                          all=", ".join(everyone) or text("none", lang)))

    services = row_at(result.services.set_index("kommun_kod"), kommun_kod)
    reached = []
    for service in vocab.Service:
        share = services.get(f"cov_{service}")
        reached.append({
            "service": vocab.label(service, lang),
            "share": _pct(share, lang),
            "_share": float(share) if pd.notna(share) else float("nan"),
        })
    service_table = pd.DataFrame(reached)
    none_reach = service_table.loc[service_table["_share"] == 0, "service"].tolist()
    if none_reach:
        sentences.append(text("prof_services_missing", lang, name=name, r=f"{radius:g}",
                              services=", ".join(none_reach)))
    service_table = service_table.drop(columns="_share")
    service_table.columns = [text("services", lang), text("prof_share_within", lang,
                                                          r=f"{radius:g}")]

    comparison_rows = []
    columns = ["n_env", "env_per_100k", *[f"cov_{a}" for a in region.areas_and_any],
               *[f"dist_km_{a}" for a in region.areas_and_any]]
    for column in columns:
        info = catalog.metric_info(column, region)
        if column == "n_env":
            county_value: object = county.loc[vocab.ANY_AREA, "n_env"]
        elif column == "env_per_100k":
            county_value = county_env_per_100k(result)
        elif column.startswith("cov_"):
            county_value = county.loc[column[4:], "cov"]
        else:
            county_value = county.loc[column[8:], "dist_km"]
        comparison_rows.append({
            text("prof_metric", lang): info.title(lang, radius),
            name: format_value(row[column], info.kind, lang),
            text("prof_county", lang): format_value(county_value, info.kind, lang),
        })
        if column == f"cov_{vocab.ANY_AREA}" and mine is not None:
            # next to the coverage figures: how many of the residents they rest on are located
            known = located["located_share"].notna()
            pop = located.loc[known, "population"].astype("float64").sum()
            county_share = located.loc[known, "on_stated"].sum() / pop if pop > 0 else None
            comparison_rows.append({
                text("prof_metric", lang): text("prof_located_share", lang),
                name: _pct(mine["located_share"], lang),
                text("prof_county", lang): _pct(county_share, lang),
            })
    env = counted_environments(territory, result.params)
    env = env.loc[env["kommun_kod"] == kommun_kod]
    env_table = pd.DataFrame({
        text("name", lang): env["name"].to_numpy(),
        text("type", lang): [vocab.label(v, lang) for v in env["env_type"]],
        text("host", lang): env["host_organisation"].fillna("").to_numpy(),
        text("level", lang): [vocab.label(v, lang) for v in env["governance_level"]],
        text("areas", lang): [
            ", ".join(region.areas.label(a, lang) for a in region.areas.parse(v))
            for v in env["priority_areas"]
        ],
    })
    return Profile(kommun_kod, name, tuple(sentences), pd.DataFrame(comparison_rows), env_table,
                   service_table)
