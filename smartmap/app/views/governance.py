"""The governance page: who supports what, where, at which level and through which programmes.

For a municipality (or the whole county, ``""``) and a priority area (or ``any``): the answer in
sentences, the matrix (area or service x level) and the actors behind a cell, the network, an
actor's territory, the programme chains, the gaps, the levels per municipality and the report.
Everything is computed by ``smartmap.analysis.governance``; here it is put in words and tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from smartmap.analysis import catalog, governance
from smartmap.analysis.frames import row_at
from smartmap.analysis.params import MetricParams, counted_environments
from smartmap.app.views.common import Download, term_options, translator
from smartmap.core import lists, vocab
from smartmap.data.layers import LAYERS, Territory
from smartmap.render import charts, netview, report

WHOLE_COUNTY = ""
"""The municipality option that stands for the whole county."""


@dataclass(frozen=True)
class Governance:
    """A territory's governance model and the names the page writes (one per run)."""

    territory: Territory
    params: MetricParams
    model: governance.GovernanceModel
    names: dict[str, str]
    """Municipality code -> name."""
    node_names: dict[str, str] = field(repr=False)
    node_levels: dict[str, str] = field(repr=False)

    def node(self, node_id: str) -> str:
        """An actor's or environment's short name."""
        return governance.short_name(self.node_names.get(node_id, node_id))

    def nodes(self, ids: list[str], lang: vocab.Lang) -> str:
        """Short names joined with commas ("none" for no id)."""
        return ", ".join(self.node(i) for i in ids) if ids else vocab.text("none", lang)

    def label(self, term: str, lang: vocab.Lang) -> str:
        """A term's label; the region's own terms (its areas) included."""
        return vocab.label(term, lang, self.territory.region)

    def municipality(self, code: str, lang: vocab.Lang) -> str:
        """A municipality's name, or "the whole county" for ``""``."""
        return self.names.get(code, vocab.text("gov_whole_county", lang))


def governance_of(territory: Territory) -> Governance:
    """The page's model of ``territory`` (counted environments: the default parameters)."""
    model = governance.governance_model(territory)
    names = dict(zip(territory.municipalities["kommun_kod"].astype("str"),
                     territory.municipalities["kommun"].astype("str"), strict=True))
    return Governance(territory, MetricParams(), model, names, model.names(), model.levels())


def municipality_options(g: Governance) -> list[str]:
    """The whole county, then every municipality by code."""
    return [WHOLE_COUNTY, *sorted(g.names)]


def area_options(g: Governance) -> list[str]:
    """The priority areas, then ``any``."""
    return term_options("area_or_any", g.territory)


def _area_filter(area: str) -> str:
    return "" if area == vocab.ANY_AREA else area


def question(g: Governance, kommun: str, area: str, lang: vocab.Lang) -> tuple[list[str], str | None]:
    """The answer in sentences for a municipality and area, and a hint for the county."""
    t = translator(lang)
    if kommun:
        return list(governance.support_sentences(g.territory, kommun, area, lang, g.params)), None
    row = row_at(governance.dimension_summary(g.territory, g.params, "area").set_index("key"), area)
    key = "gov_county_summary_any" if area == vocab.ANY_AREA else "gov_county_summary"
    sentence = t(key, area=g.label(area, lang), n=int(row["n_env"]),
                 levels=charts.levels_label(row["levels"], lang) or t("none"),
                 chains=t("count_chains_reach", n=int(row["n_chains"]),
                          programmes=g.nodes(lists.split(row["programmes"]), lang)))
    return [sentence], t("gov_pick_hint")


def dimension_label(dim: str, lang: vocab.Lang) -> str:
    """The matrix rows' name: priority areas or services."""
    return vocab.text("areas" if dim == "area" else "services", lang)


@dataclass(frozen=True)
class MatrixView:
    """The matrix of a dimension (area or service) by governance level."""

    caption: str
    keys: list[str]
    """Row ids (areas or services)."""
    levels: list[str]
    """Column ids (governance levels)."""
    table: pd.DataFrame
    """Counts; rows labelled in the language, columns the level ids."""
    column_labels: dict[str, str]
    first_filled: tuple[str, str]
    """The first cell with a count (row, level), else the first cell."""
    involved: pd.DataFrame = field(repr=False)
    shown: list[str] = field(default_factory=list)
    """The levels the page draws: those with someone involved (all when none is), so that the
    matrix fits the page; the others are named in :attr:`empty_note`."""
    short_labels: dict[str, str] = field(default_factory=dict)
    """Column headers without their parenthesis ("Mixed"); the full label is the column's help."""
    empty_note: str = ""


def matrix_view(g: Governance, dim: str, kommun: str, lang: vocab.Lang) -> MatrixView:
    """The matrix for the whole county or one municipality."""
    involved = governance.involvement(g.territory, g.params, dim)
    matrix = governance.level_matrix(involved, dim, kommun or None, g.territory.region)
    keys, levels = list(matrix.index), list(matrix.columns)
    table = matrix.copy()
    table.index = [g.label(k, lang) for k in keys]
    filled = [(k, lv) for k in keys for lv in levels if matrix.loc[k, lv] > 0]
    return MatrixView(
        caption=vocab.text("gov_matrix", lang, dim=dimension_label(dim, lang)),
        keys=keys, levels=levels, table=table,
        column_labels={lv: g.label(lv, lang) for lv in levels},
        first_filled=filled[0] if filled else (keys[0], levels[0]), involved=involved,
        shown=[lv for lv in levels if matrix[lv].sum() > 0] or levels,
        short_labels={lv: governance.short_name(g.label(lv, lang)) for lv in levels},
        empty_note=vocab.text("gov_matrix_empty_levels", lang, levels=", ".join(
            g.label(lv, lang) for lv in levels if matrix[lv].sum() == 0))
        if 0 < sum(matrix[lv].sum() == 0 for lv in levels) < len(levels) else "",
    )


def cell_view(g: Governance, m: MatrixView, row: str, level: str, dim: str, kommun: str,
              lang: vocab.Lang) -> tuple[str, pd.DataFrame | None]:
    """Who is behind one cell: a sentence, and the actors and environments (None when empty)."""
    t = translator(lang)
    cell = governance.cell_nodes(m.involved, row, level, dim, kommun or None)
    sentence = t("gov_cell_list", n=len(cell), row=g.label(row, lang),
                 level=g.label(level, lang))
    if cell.empty:
        return sentence, None
    kinds = g.model.nodes.set_index("node_id")["kind"]
    return sentence, pd.DataFrame({
        t("name"): [g.node(n) for n in cell["node_id"]],
        t("type"): [g.label(kinds.get(n, "actor"), lang) for n in cell["node_id"]],
        t("col_role"): [", ".join(g.label(r, lang) for r in lists.split(x))
                        for x in cell["roles"]],
        t("col_through"): [g.nodes(lists.split(x), lang) for x in cell["env_ids"]],
    })


def network_png(territory: Territory, kommun: str, area: str, lang: vocab.Lang) -> bytes:
    """The network drawing (PNG) for a municipality (or the county) and an area."""
    g = governance_of(territory)
    area_filter = _area_filter(area)
    drawn, edges = governance.network(territory, g.params, kommun or None, area_filter or None)
    title = " · ".join(p for p in (g.municipality(kommun, lang),
                                   g.label(area_filter, lang) if area_filter else "") if p)
    return charts.network_chart(drawn, edges, lang, title=title, fmt="png", dpi=110)


def node_pairs(g: Governance) -> dict[str, list[str]]:
    """Per node, the ``area|kommun_kod`` pairs it is involved in (``any|code`` for every area
    and for an actor whose territory names the municipality): the network's filters."""
    inv = governance.involvement(g.territory, g.params, "area")
    pairs: dict[str, set[str]] = {}
    for node, key, code in zip(inv["node_id"], inv["key"], inv["kommun_kod"], strict=True):
        pairs.setdefault(node, set()).add(f"{key}|{code}")
    cov = governance.actor_coverage(g.territory)
    for node, code in zip(cov.loc[cov["scope"] == "explicit", "actor_id"],
                          cov.loc[cov["scope"] == "explicit", "kommun_kod"], strict=True):
        pairs.setdefault(node, set()).add(f"{vocab.ANY_AREA}|{code}")
    return {k: sorted(v) for k, v in pairs.items()}


def network_chains(g: Governance, lang: vocab.Lang) -> list[netview.NetworkChain]:
    """The chains of the counted environments to highlight: their text (top down) and status,
    and their nodes from the environment upwards."""
    t = translator(lang)
    counted = set(counted_environments(g.territory, g.params)["id"])
    chains = g.model.chains[g.model.chains["env_id"].isin(counted)]
    status = governance.chain_status(chains)
    return [netview.NetworkChain(
        label=f"{governance.chain_text(p, g.node_names, g.node_levels, lang)} "
              f"({t(f'rep_chain_{st}')})",
        nodes=lists.split(p)) for p, st in zip(chains["path"], status, strict=True)]


def network_html(territory: Territory, kommun: str, area: str, lang: vocab.Lang) -> str:
    """The interactive network (one HTML document, no external asset) of the county, with the
    page's municipality and area as its first filters."""
    g = governance_of(territory)
    t = translator(lang)
    drawn, edges = governance.network(territory, g.params)
    labels = {
        "lang": lang, "title": t("gov_network"), "area": t("gov_pick_area"),
        "level": t("gov_net_level"), "municipality": t("gov_pick_municipality"),
        "chain": t("gov_net_chain"), "no_chain": t("gov_net_no_chain"), "all": t("gov_net_all"),
        "zoom_in": t("gov_net_zoom_in"), "zoom_out": t("gov_net_zoom_out"),
        "reset": t("gov_net_reset"), "shown": t("gov_net_shown"), "empty": t("gov_net_empty"),
        "environments": t("environments"),
        "areas": [[a, g.label(a, lang)] for a in territory.region.area_ids],
        "municipalities": [[c, g.names[c]] for c in sorted(g.names)],
        "levels": {lv: g.label(lv, lang) for lv in vocab.values(vocab.Level)},
        "kinds": {k: g.label(vocab.NodeKind(k), lang) for k in vocab.values(vocab.NodeKind)},
        "relations": {**{r: g.label(vocab.Relation(r), lang) for r in vocab.values(vocab.Relation)},
                      "derived": t("gov_derived_host")},
    }
    initial = {"area": _area_filter(area), "muni": kommun}
    return netview.network_html(drawn, edges, node_pairs(g), network_chains(g, lang), labels,
                                initial)


def problems_table(g: Governance, lang: vocab.Lang) -> pd.DataFrame:
    """The checks of actors, links and hosts, with the layer's name (not its file name)."""
    t = translator(lang)
    frame = g.model.problems_frame()
    layer = {spec.file: spec.title(lang) for spec in LAYERS.values()}
    return pd.DataFrame({
        t("gov_col_layer"): [layer.get(str(s), str(s)) for s in frame["source"]],
        t("gov_col_row"): frame["row"].astype("Int64"),
        t("gov_col_record"): frame["record_id"],
        t("gov_col_field"): frame["field"],
        t("gov_col_finding"): frame["message"],
        t("gov_col_severity"): frame["severity"],
    })


def network_table(g: Governance, kommun: str, area: str, lang: vocab.Lang) -> tuple[str, pd.DataFrame]:
    """The network's links as a table, with its heading."""
    t = translator(lang)
    area_filter = _area_filter(area)
    _, edges = governance.network(g.territory, g.params, kommun or None, area_filter or None)
    return t("gov_network_table", n=len(edges)), pd.DataFrame({
        t("col_from"): [g.node(a) for a in edges["from_id"]],
        t("col_relation"): [t("gov_derived_host") if bool(d) else g.label(vocab.Relation(r), lang)
                            for r, d in zip(edges["relation"], edges["derived"], strict=True)],
        t("col_to"): [g.node(b) for b in edges["to_id"]],
    })


def actor_options(g: Governance, kommun: str) -> tuple[list[str], str]:
    """Every actor, by level then name, and the one to show first (one with the municipality
    on its explicit territory, else the region's own organisation)."""
    order = vocab.values(vocab.Level)
    actors = g.model.actors.assign(
        _rank=lambda d: d["level"].map(lambda lv: order.index(lv) if lv in order else 99),
        _name=lambda d: d["name"].str.casefold(),
    ).sort_values(["_rank", "_name"])
    ids = list(actors["node_id"])
    local = governance.actor_coverage(g.territory)
    local_ids = list(local.loc[(local["kommun_kod"] == kommun) & (local["scope"] == "explicit"),
                               "actor_id"]) if kommun else []
    default = local_ids[0] if local_ids else (_region_actor(g, ids) or ids[0])
    return ids, default


def _region_actor(g: Governance, ids: list[str]) -> str | None:
    """The region's own organisation, as its manifest names it (``[region] actor``)."""
    actor = g.territory.region.actor
    return actor if actor in ids else None


def actor_label(g: Governance, actor: str, lang: vocab.Lang) -> str:
    """An actor as the select shows it: its short name and level."""
    level = g.node_levels.get(actor)
    return f"{g.node(actor)} ({g.label(level, lang)})" if level else g.node(actor)


@dataclass(frozen=True)
class ActorView:
    """An actor's territory: a sentence and the municipalities it covers."""

    text: str
    municipalities: pd.DataFrame
    height: int
    """Height of the list in pixels (all rows, at most 420)."""


def actor_view(g: Governance, actor: str, lang: vocab.Lang) -> ActorView:
    """What the page says beside the map of ``actor``'s territory."""
    t = translator(lang)
    info = row_at(g.model.nodes.set_index("node_id"), actor)
    covered = governance.covered_municipalities(g.territory, actor)
    if bool(info["foreign"]):
        text = t("gov_foreign_note", actor=g.node(actor), country=info["country"])
    else:
        text = t("gov_territory_text", actor=g.node(actor),
                 level=g.label(info["level"], lang).lower(),
                 type=g.label(info["actor_type"], lang).lower(), n=len(covered),
                 m=len(g.names))
    return ActorView(text, pd.DataFrame({t("municipality"): [g.names.get(c, c) for c in covered]}),
                     min(36 * (len(covered) + 1), 420))


def actor_png(territory: Territory, actor: str, lang: vocab.Lang) -> bytes:
    """The county with ``actor``'s territory filled in (PNG)."""
    g = governance_of(territory)
    codes = governance.covered_municipalities(territory, actor)
    return charts.territory_chart(territory.municipalities, codes, g.node_levels.get(actor, ""),
                                  lang, title=g.node(actor), fmt="png", dpi=110)


def chains_table(g: Governance, kommun: str, area: str, lang: vocab.Lang) -> pd.DataFrame:
    """The programme chains of the counted environments, indexed by municipality."""
    t = translator(lang)
    counted_ids = set(counted_environments(g.territory, g.params)["id"])
    chains = g.model.chains[g.model.chains["env_id"].isin(counted_ids)]
    if kommun:
        chains = chains[chains["kommun_kod"] == kommun]
    if _area_filter(area):
        chains = chains.loc[lists.contains(chains["areas"], area)]
    return pd.DataFrame({
        t("municipality"): [g.names.get(k, k) for k in chains["kommun_kod"]],
        t("col_through"): [g.node(e) for e in chains["env_id"]],
        t("col_chain"): [governance.chain_text(p, g.node_names, g.node_levels, lang)
                         for p in chains["path"]],
        t("gov_col_entry"): [g.label(vocab.ChainStep(e), lang) for e in chains["entry"]],
        t("col_steering"): [g.nodes(lists.split(s), lang) for s in chains["steering"]],
        t("col_counts"): [t(f"rep_chain_{s}") for s in governance.chain_status(chains)],
        t("gov_col_evidence"): [evidence_text(e, lang) for e in chains["evidence"]],
    }).set_index(t("municipality"))


def evidence_text(evidence: str, lang: vocab.Lang) -> str:
    """A chain's sources, one per step, in words ("1: https://... · 2: ...")."""
    t = translator(lang)
    steps = evidence.split(governance.EVIDENCE_SEPARATOR) if evidence else []
    return " · ".join(
        f"{i}: {t('gov_evidence_host_text') if s == governance.HOST_TEXT_EVIDENCE else (s or t('gov_evidence_none'))}"
        for i, s in enumerate(steps, start=1))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def gaps_table(g: Governance, kommun: str, area: str, lang: vocab.Lang) -> pd.DataFrame:
    """The gaps (white spots, missing levels) for a municipality or the county and an area."""
    t = translator(lang)
    gaps = governance.gaps(g.territory, g.params)
    if kommun:
        gaps = gaps[gaps["kommun_kod"] == kommun]
    if _area_filter(area):
        gaps = gaps[gaps["area"].isin(["", area])]
    return pd.DataFrame({
        t("col_scope"): [g.label(vocab.GapScope(s), lang) for s in gaps["scope"]],
        t("col_gap"): [_capital(g.label(vocab.GapKind(k), lang)) for k in gaps["gap"]],
        t("municipality"): [g.names.get(k, "–") for k in gaps["kommun_kod"]],
        t("gov_pick_area"): [g.label(a, lang) if a else "–" for a in gaps["area"]],
        catalog.metric_label("levels_local", lang): [charts.levels_label(x, lang) for x in
                                                     gaps["levels_local"]],
        t("col_n_env"): gaps["n_env"].to_numpy(),
    })


def levels_table(g: Governance, lang: vocab.Lang) -> pd.DataFrame:
    """Governance levels, local actors, chains and programmes per municipality."""
    t = translator(lang)
    gov = governance.municipality_governance(g.territory, g.params)
    return pd.DataFrame({
        t("municipality"): gov["kommun"],
        catalog.metric_label("levels_local", lang): [charts.levels_label(x, lang)
                                                     for x in gov["levels_local"]],
        catalog.metric_label("levels_all", lang): [charts.levels_label(x, lang)
                                                   for x in gov["levels_all"]],
        t("col_local_actors"): [g.nodes(lists.split(x), lang) for x in gov["actors_local"]],
        t("col_n_chains"): gov["n_chains"],
        t("col_programmes"): [g.nodes(lists.split(x), lang) for x in gov["programmes"]],
    })


def report_download(g: Governance, lang: vocab.Lang) -> Download:
    """The action-plan report (HTML) in ``lang`` for the session's data, built on click."""
    return Download("gov_report_download", vocab.text("gov_report_button", lang),
                    lambda: report.build_report(g.territory, g.params, lang).encode("utf-8"),
                    f"smartmap_report_{lang}.html", "text/html")
