"""The package's evidence in words and tables: population source and located shares, the white-spot
search, the environments' status check. One builder for the About page and PROVENANCE.md.

The records come from :mod:`smartmap.data.provenance`; this module puts them into tables with
translated headers (the About page shows them as they are) and into the Markdown blocks that
``geodata/PROVENANCE.md`` carries between ``<!-- smartmap:NAME -->`` and ``<!-- /smartmap:NAME -->``
markers (:func:`provenance_blocks`, written by ``scripts/provenance_tables.py``; a test checks
that the file's blocks equal what this module builds from the data).

>>> from smartmap.data.layers import load_territory
>>> table = population_table(load_territory(), "en")
>>> table.set_index("Municipality").loc["Stockholm", ["On a rest-of-municipality point", "Share on located points"]].tolist()
['131,250', '86.8 %']
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from smartmap.analysis.rules import LOCATED_SHARE_MIN, is_coarse_population
from smartmap.core import lists, vocab
from smartmap.core.fmt import format_value
from smartmap.data.layers import Territory
from smartmap.data.provenance import (
    VERIFICATION_STATES,
    environment_verification,
    population_provenance,
    unsearched_white_spots,
    white_spot_search,
)

BLOCKS: tuple[str, ...] = ("population", "white-spots", "verification")
"""The generated blocks of PROVENANCE.md, in the order they appear."""
PROVENANCE_LANG: vocab.Lang = "en"
"""PROVENANCE.md is written in English."""


def _t(key: str, lang: vocab.Lang, **values: object) -> str:
    return vocab.text(key, lang, **values)


def threshold_text(lang: vocab.Lang) -> str:
    """The located-share threshold as people read it (``95.0 %``)."""
    return format_value(LOCATED_SHARE_MIN, "share", lang)


def _span(lo: float, hi: float) -> str:
    """Years as a span (``2021–2024``, ``2024``); NaN: none."""
    if pd.isna(lo):
        return "–"
    first, last = int(lo), int(hi)
    return str(first) if first == last else f"{first}–{last}"


def _years(lo: float, hi: float, undated: int, lang: vocab.Lang) -> str:
    span = _span(lo, hi)
    if undated:
        extra = _t("prov_undated", lang, n=undated)
        return extra if span == "–" else f"{span}; {extra}"
    return span


def population_table(territory: Territory, lang: vocab.Lang) -> pd.DataFrame:
    """Per municipality (text cells, translated headers): population and its year, the points with
    a stated population and their years, the residents on them, shared by points without a figure
    and on a rest point, the located share and whether it is below the threshold."""
    table = population_provenance(territory)
    coarse = is_coarse_population(table["located_share"].to_numpy(dtype=np.float64))
    yes = format_value(True, "bool", lang)
    return pd.DataFrame({
        _t("municipality", lang): table["kommun"].to_numpy(),
        _t("population", lang): [format_value(v, "count", lang) for v in table["population"]],
        _t("prov_col_year", lang): [_span(y, y) for y in table["population_year"]],
        _t("prov_col_n_stated", lang): [format_value(v, "count", lang) for v in table["n_stated"]],
        _t("prov_col_stated_years", lang): [
            _years(lo, hi, int(u), lang)
            for lo, hi, u in zip(table["year_min"], table["year_max"], table["n_undated"], strict=True)],
        _t("prov_col_on_stated", lang): [format_value(v, "count", lang) for v in table["on_stated"]],
        _t("prov_col_on_unstated", lang): [format_value(v, "count", lang)
                                           for v in table["on_unstated"]],
        _t("prov_col_on_rest", lang): [format_value(v, "count", lang) for v in table["on_rest"]],
        _t("prov_col_located_share", lang): [format_value(v, "share", lang)
                                             for v in table["located_share"]],
        _t("prov_col_coarse", lang, pct=threshold_text(lang)): [yes if c else "" for c in coarse],
    })


def population_summary(territory: Territory, lang: vocab.Lang) -> tuple[str, ...]:
    """Which source and years; then (when any municipality has a population) how many
    municipalities are at or above the threshold and how many residents sit on rest points."""
    table = population_provenance(territory)
    spec = territory.region.population
    description = spec.description(lang) if spec.description is not None else spec.kind
    year = spec.year or territory.region.data_year
    muni_years = table["population_year"].dropna()
    point_years = _years(table["year_min"].min(), table["year_max"].max(),
                         int(table["n_undated"].sum()), lang)
    source = _t("prov_source_line", lang, description=description, kind=spec.kind,
                year="–" if year is None else year,
                years=_span(muni_years.min(), muni_years.max()) if len(muni_years) else "–",
                point_years=point_years)
    share = table["located_share"].to_numpy(dtype=np.float64)
    known = ~np.isnan(share)
    if not known.any():  # no municipal population (a bare region): nothing is located
        return (source,)
    pop = pd.to_numeric(table["population"], errors="coerce").fillna(0).to_numpy(dtype=np.float64)
    rest = float(table["on_rest"].sum())
    located = _t("prov_located_summary", lang,
                 k=int((known & ~is_coarse_population(share)).sum()), m=int(known.sum()),
                 pct=threshold_text(lang), rest=format_value(rest, "count", lang),
                 share=format_value(rest / pop.sum() if pop.sum() > 0 else np.nan, "share",
                                    lang))
    return source, located


def _search_rows(territory: Territory, lang: vocab.Lang) -> pd.DataFrame:
    """The searched municipalities, then those without an active environment that were not
    searched: code, name, date, the finding in words, detail, sources, queries."""
    record = white_spot_search(territory).frame
    env = territory.environments.set_index("id")
    results = []
    for row in record.itertuples(index=False):
        found = [i for i in lists.split(row.found_ids) if i in env.index]
        if found:
            names = ", ".join(
                f"{env.at[i, 'name']} ({vocab.label(str(env.at[i, 'status']), lang).lower()})"
                for i in found)
            results.append(_t("prov_searched_found", lang, date=row.searched_on, found=names))
        else:
            results.append(_t("prov_searched_none", lang, date=row.searched_on))
    searched = record.assign(finding=results)
    missing = unsearched_white_spots(territory)
    unsearched = pd.DataFrame({
        "kommun_kod": missing["kommun_kod"], "kommun": missing["kommun"], "searched_on": "",
        "finding": [_t("prov_not_searched", lang, ids=", ".join(lists.split(i))) if i
                    else _t("prov_not_searched_none", lang) for i in missing["ids"]],
        "result": "", "sources": "", "queries": ""})
    columns = ["kommun_kod", "kommun", "searched_on", "finding", "result", "sources", "queries"]
    return pd.concat([searched[columns], unsearched[columns]], ignore_index=True)


def white_spot_table(territory: Territory, lang: vocab.Lang) -> pd.DataFrame:
    """One row per searched municipality (when, the finding in words, the detail, the sources and
    the queries; data text as recorded, in its own language), then one per municipality without
    an active environment that was not searched."""
    rows = _search_rows(territory, lang)
    return pd.DataFrame({
        _t("municipality", lang): rows["kommun"].to_numpy(),
        _t("prov_col_searched_on", lang): rows["searched_on"].to_numpy(),
        _t("prov_col_result", lang): rows["finding"].to_numpy(),
        _t("prov_col_detail", lang): rows["result"].to_numpy(),
        _t("prov_col_sources", lang): rows["sources"].to_numpy(),
        _t("prov_col_queries", lang): rows["queries"].to_numpy(),
    })


def verification_table(territory: Territory, lang: vocab.Lang) -> pd.DataFrame:
    """The environments per check state, with the dates of the check and the ids (not listed for
    the rows the check did not cover), plus a total row."""
    ver = environment_verification(territory.environments)
    rows = []
    for state in VERIFICATION_STATES:
        mine = ver[ver["verification"] == state]
        dates = sorted({d for d in mine["checked_on"] if d})
        rows.append({
            _t("prov_col_check", lang): _t(f"prov_ver_{state}", lang),
            _t("prov_col_environments", lang): len(mine),
            _t("prov_col_checked_on", lang): ", ".join(dates),
            _t("prov_col_ids", lang): ("" if state == "not_checked"
                                       else ", ".join(mine["id"])),
        })
    rows.append({_t("prov_col_check", lang): _t("prov_ver_total", lang),
                 _t("prov_col_environments", lang): len(ver),
                 _t("prov_col_checked_on", lang): "", _t("prov_col_ids", lang): ""})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# PROVENANCE.md


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def markdown_table(frame: pd.DataFrame, numeric: tuple[int, ...] = ()) -> str:
    """A pipe table of text cells (pipes escaped), numeric columns right-aligned."""
    head = "| " + " | ".join(_cell(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---:" if i in numeric else "---" for i in range(frame.shape[1])) + "|"
    body = ["| " + " | ".join(_cell(v) for v in row) + " |"
            for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *body])


def _population_block(territory: Territory) -> str:
    lang = PROVENANCE_LANG
    table = population_table(territory, lang)
    lines = [*population_summary(territory, lang), "",
             markdown_table(table, numeric=(1, 2, 3, 5, 6, 7, 8))]
    return "\n".join(lines)


def _white_spot_block(territory: Territory) -> str:
    lang = PROVENANCE_LANG
    lines = []
    rows = _search_rows(territory, lang)
    for kommun, code, finding, result, sources, queries in zip(
            rows["kommun"], rows["kommun_kod"], rows["finding"], rows["result"], rows["sources"],
            rows["queries"], strict=True):
        text = f"- **{kommun} ({code})**: {finding}."
        if result:
            text += f" {result}"
        urls = [u.strip() for u in sources.split(" | ") if u.strip()]
        if urls:
            text += f" {_t('prov_col_sources', lang)}: {', '.join(f'<{u}>' for u in urls)}."
        if queries:
            text += f" {_t('prov_col_queries', lang)}: {queries}."
        lines.append(text.replace("\n", " "))
    return "\n".join(lines) if lines else "–"


def _verification_block(territory: Territory) -> str:
    return markdown_table(verification_table(territory, PROVENANCE_LANG), numeric=(1,))


def provenance_blocks(territory: Territory) -> dict[str, str]:
    """The generated blocks of PROVENANCE.md (English Markdown), by name (:data:`BLOCKS`)."""
    return {"population": _population_block(territory),
            "white-spots": _white_spot_block(territory),
            "verification": _verification_block(territory)}


def _marker(name: str) -> re.Pattern[str]:
    n = re.escape(name)
    return re.compile(rf"<!-- smartmap:{n} -->\n(.*?)\n?<!-- /smartmap:{n} -->", re.S)


def read_blocks(text: str) -> dict[str, str]:
    """The blocks a PROVENANCE.md text carries (missing ones are absent)."""
    out = {}
    for name in BLOCKS:
        found = _marker(name).search(text)
        if found:
            out[name] = found.group(1)
    return out


def with_blocks(text: str, blocks: Mapping[str, str]) -> str:
    """``text`` with each named block's content replaced; a block without its markers is an
    error naming the markers to add."""
    for name, content in blocks.items():
        pattern = _marker(name)
        if not pattern.search(text):
            raise ValueError(f"PROVENANCE.md has no block {name!r}: add the lines "
                             f"'<!-- smartmap:{name} -->' and '<!-- /smartmap:{name} -->'")
        block = f"<!-- smartmap:{name} -->\n{content}\n<!-- /smartmap:{name} -->"

        def as_is(_match: re.Match[str], block: str = block) -> str:  # no group references
            return block

        text = pattern.sub(as_is, text, count=1)
    return text
