"""The priorities page: smart priorities across territorial levels (the smart territorial map).

What each level states, where the support is, how they line up, the matrix of levels x areas with
the actors, governance spaces and stated priorities in each cell, and the sources. Everything is
computed by :mod:`smartmap.analysis.alignment`; here it is put in words and tables in the page's
language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from smartmap.analysis import alignment as al
from smartmap.analysis import governance
from smartmap.analysis.frames import row_at
from smartmap.analysis.params import MetricParams
from smartmap.app.views.common import Download, translator
from smartmap.core import lists, vocab
from smartmap.core.fmt import format_value, is_missing
from smartmap.core.vocab import AlignmentStatus, Standing, TerritorialLevel
from smartmap.data.layers import Territory

ALL = ""
"""The option that stands for every level (or every area)."""


@dataclass(frozen=True)
class Priorities:
    """The alignment of one territory and parameter set, and the names the page writes."""

    territory: Territory
    params: MetricParams
    table: pd.DataFrame = field(repr=False)
    summary: pd.DataFrame = field(repr=False)
    matrix: pd.DataFrame = field(repr=False)
    said: pd.DataFrame = field(repr=False)
    node_names: dict[str, str] = field(repr=False)
    node_levels: dict[str, str] = field(repr=False)
    names: dict[str, str] = field(repr=False)
    """Territory id (county, collaboration, municipality, core) -> name."""

    def label(self, term: str, lang: vocab.Lang) -> str:
        """A term's label (the region's areas included)."""
        return vocab.label(term, lang, self.territory.region)

    def name(self, territory_id: str, lang: vocab.Lang) -> str:
        """A territory's short name; the region by its name in ``lang``."""
        if territory_id == self.territory.county:
            return self.territory.region.name(lang)
        return governance.short_name(self.names.get(territory_id, territory_id))

    def names_of(self, ids: list[str], lang: vocab.Lang) -> str:
        """Short names joined with commas ("none" for no id)."""
        return ", ".join(self.name(i, lang) for i in ids) if ids else vocab.text("none", lang)

    def node(self, node_id: str) -> str:
        """An actor's or environment's short name."""
        return governance.short_name(self.node_names.get(node_id, node_id))


def priorities_of(territory: Territory, params: MetricParams | None = None) -> Priorities:
    """The page's model of ``territory`` (default parameters unless given)."""
    params = params or MetricParams()
    table = al.alignment(territory, params)
    model = governance.governance_model(territory)
    names = dict(zip(table["territory_id"], table["name"], strict=True))
    return Priorities(territory, params, table, al.county_summary(territory, table),
                      al.territorial_matrix(territory, params), al.statements(territory),
                      model.names(), model.levels(), names)


def level_options() -> list[str]:
    """Every territorial level, then (first) the option for all."""
    return [ALL, *al.LEVEL_ORDER]


def area_options(p: Priorities) -> list[str]:
    """All areas, then each of the region's areas."""
    return [ALL, *p.territory.region.area_ids]


def level_label(level: str, lang: vocab.Lang) -> str:
    """A territorial level's label, or "all levels" for :data:`ALL`."""
    if level == ALL:
        return vocab.text("pri_all_levels", lang)
    return vocab.label(TerritorialLevel(level), lang)


def area_label(p: Priorities, area: str, lang: vocab.Lang) -> str:
    """An area's label, or "all areas" for :data:`ALL`."""
    return vocab.text("pri_all_areas", lang) if area == ALL else p.label(area, lang)


def _yes(value: object, lang: vocab.Lang) -> str:
    return format_value(bool(value), "bool", lang)


# ---------------------------------------------------------------------------------------------
# the county summary


def summary_table(p: Priorities, lang: vocab.Lang) -> pd.DataFrame:
    """Per area: the regional priority, its local anchoring, the collaborations stating it, where
    it is supported, and the gaps between statements and support."""
    t = translator(lang)
    s = p.summary
    m = len(p.territory.municipalities)
    return pd.DataFrame({
        t("pri_col_area"): [p.label(a, lang) for a in s["area"]],
        t("pri_col_regional"): [_yes(v, lang) for v in s["regional"]],
        t("pri_col_anchoring"): [f"{n}: {p.names_of(lists.split(x), lang)}" if n else "0"
                                 for n, x in zip(s["n_anchoring"], s["anchoring"], strict=True)],
        t("pri_col_subregional"): [p.names_of(lists.split(x), lang) for x in s["subregional"]],
        t("pri_col_supported"): [t("pri_n_of_m", n=int(n), m=m) for n in s["n_supported"]],
        t("pri_col_unstated"): [t("pri_n_of_m", n=len(lists.split(x)), m=m)
                                for x in s["supported_not_stated"]],
        t("pri_col_unsupported"): [p.names_of(lists.split(x), lang)
                                   for x in s["stated_unsupported"]],
        t("pri_col_quiet"): [p.names_of(lists.split(x), lang)
                             for x in s["no_statement_collaborations"]],
        t("pri_col_unanchored"): [_yes(v, lang) for v in s["unanchored"]],
    })


def summary_sentences(p: Priorities, lang: vocab.Lang) -> list[str]:
    """The county summary in sentences: anchoring of each regional area, and the areas without."""
    t = translator(lang)
    out = []
    s = p.summary
    for area, regional, n, anchoring in zip(s["area"], s["regional"], s["n_anchoring"],
                                            s["anchoring"], strict=True):
        if not regional:
            continue
        out.append(t("pri_s_anchored", area=p.label(area, lang), n=int(n),
                     who=p.names_of(lists.split(anchoring), lang)))
    loose = [p.label(a, lang) for a, u in zip(p.summary["area"], p.summary["unanchored"],
                                               strict=True) if u]
    out.append(t("pri_s_unanchored", areas=", ".join(loose)) if loose else t("pri_s_all_anchored"))
    return out


# ---------------------------------------------------------------------------------------------
# the matrix


@dataclass(frozen=True)
class MatrixView:
    """The smart territorial map matrix as text cells (levels x areas)."""

    levels: list[str]
    areas: list[str]
    table: pd.DataFrame
    """Rows labelled by level, columns the area ids, cells "n statements · n actors · n spaces"."""
    column_labels: dict[str, str]
    first_filled: tuple[str, str]
    """The cell shown first: the first (by area, then level) with a stated priority."""


def matrix_view(p: Priorities, lang: vocab.Lang) -> MatrixView:
    """The matrix with a short text in each cell."""
    t = translator(lang)
    m = p.matrix.set_index(["level", "area"])
    levels, areas = list(al.LEVEL_ORDER), list(p.territory.region.area_ids)
    cells = {}
    filled: list[tuple[str, str]] = []
    stated: list[tuple[str, str]] = []
    for area in areas:
        column = []
        for level in levels:
            row = row_at(m, (level, area))
            n_s, n_a, n_g = (len(lists.split(row[c])) for c in ("statements", "actors", "spaces"))
            column.append(t("pri_cell", s=n_s, actors=t("count_actors", n=n_a),
                            spaces=t("count_spaces", n=n_g)) if n_s + n_a + n_g else "–")
            if n_s + n_a + n_g:
                filled.append((level, area))
            if n_s:
                stated.append((level, area))
        cells[area] = column
    table = pd.DataFrame(cells, index=[level_label(lv, lang) for lv in levels])
    first = stated or filled or [(levels[0], areas[0])]
    return MatrixView(levels, areas, table, {a: p.label(a, lang) for a in areas},
                      sorted(first, key=lambda c: (areas.index(c[1]), levels.index(c[0])))[0])


@dataclass(frozen=True)
class CellDetail:
    """Who and what is behind one cell of the matrix."""

    heading: str
    statements: pd.DataFrame
    actors: pd.DataFrame
    spaces: pd.DataFrame


def _statement_rows(p: Priorities, ids: list[str], lang: vocab.Lang) -> pd.DataFrame:
    t = translator(lang)
    said = p.said.set_index("priority_id").reindex(ids)
    return pd.DataFrame({
        t("pri_col_territory"): [p.name(str(x), lang) for x in said["territory_id"]],
        t("pri_col_wording"): said["wording"].to_numpy(),
        t("pri_col_document"): [f"{d} ({int(y)})" if pd.notna(y) else str(d)
                                for d, y in zip(said["document_title"], said["document_year"],
                                                strict=True)],
        t("pri_col_standing"): [p.label(Standing(s), lang) for s in said["standing"]],
        t("pri_col_source"): [first_url(u) for u in said["source_url"]],
    })


def first_url(text: object) -> str:
    """The first address of a ``source_url`` field (several are separated by ``|``)."""
    parts = [u.strip() for u in str(text or "").split("|") if u.strip()]
    return parts[0] if parts else ""


def _node_rows(p: Priorities, ids: list[str], lang: vocab.Lang) -> pd.DataFrame:
    t = translator(lang)
    return pd.DataFrame({
        t("name"): [p.node(n) for n in ids],
        t("pri_col_gov_level"): [p.label(p.node_levels.get(n, ""), lang)
                                 if p.node_levels.get(n) else "" for n in ids],
        t("pri_col_roles"): [", ".join(p.label(vocab.Role(r), lang)
                                       for r in al.involved_as(p.territory, p.params, n))
                             for n in ids],
    })


def cell_detail(p: Priorities, level: str, area: str, lang: vocab.Lang) -> CellDetail:
    """The statements (counted ones first, then superseded or said by others), the innovation
    actors and the governance spaces of one cell."""
    t = translator(lang)
    row = row_at(p.matrix.set_index(["level", "area"]), (level, area))
    counted = lists.split(row["statements"])
    shown = counted + [s for s in lists.split(row["shown_statements"]) if s not in counted]
    actors, spaces = lists.split(row["actors"]), lists.split(row["spaces"])
    heading = t("pri_cell_heading", level=level_label(level, lang), area=p.label(area, lang),
                stated=t("count_stated_priorities", n=len(counted)),
                actors=t("count_actors_envs", n=len(actors)),
                spaces=t("count_governance_spaces", n=len(spaces)))
    return CellDetail(heading, _statement_rows(p, shown, lang), _node_rows(p, actors, lang),
                      _node_rows(p, spaces, lang))


# ---------------------------------------------------------------------------------------------
# the alignment table and the statements


def _share(value: object, lang: vocab.Lang) -> str:
    return format_value(value, "share", lang)


def _lq(value: object, lang: vocab.Lang) -> str:
    return "–" if is_missing(value) else format_value(value, "rate", lang)


def alignment_table(p: Priorities, level: str, area: str, lang: vocab.Lang) -> pd.DataFrame:
    """The cells of one level (or all) and one area (or all), in words."""
    t = translator(lang)
    tab = p.table
    if level:
        tab = tab[tab["level"] == level]
    if area:
        tab = tab[tab["area"] == area]
    r = radius_text(p, lang)
    return pd.DataFrame({
        t("pri_col_territory"): [p.name(i, lang) for i in tab["territory_id"]],
        t("pri_col_level"): [level_label(lv, lang) for lv in tab["level"]],
        t("pri_col_area"): [p.label(a, lang) for a in tab["area"]],
        t("pri_col_status"): [p.label(AlignmentStatus(s), lang) for s in tab["status"]],
        t("pri_col_stated"): [p.label(Standing(s), lang) if s else "–" for s in tab["strength"]],
        t("pri_col_stated_by"): [", ".join(level_label(lv, lang) for lv in lists.split(x)) or "–"
                                 for x in tab["stated_by"]],
        t("pri_col_n_env"): tab["n_env"].to_numpy(),
        t("pri_col_cov", r=r): [_share(v, lang) if pd.notna(v) else "–" for v in tab["cov"]],
        t("pri_lq_support"): [_lq(v, lang) for v in tab["lq_support"]],
        t("pri_lq_employment"): [_lq(v, lang) for v in tab["lq_employment"]],
        t("pri_col_duplicated"): [_yes(v, lang) for v in tab["duplicated"]],
    })


def radius_text(p: Priorities, lang: vocab.Lang) -> str:
    """The radius as written in the page's language (``10``, ``2,5``)."""
    text = f"{p.params.radius_km:g}"
    return text.replace(".", ",") if lang == "sv" else text


def statements_table(p: Priorities, lang: vocab.Lang) -> pd.DataFrame:
    """Every statement of the priorities layer with its source, counted or not."""
    t = translator(lang)
    s = p.said
    return pd.DataFrame({
        t("pri_col_level"): [level_label(lv, lang) for lv in s["level"]],
        t("pri_col_territory"): [p.name(str(x), lang) for x in s["territory_id"]],
        t("pri_col_area_or_niche"): [p.label(a, lang) if a else str(n)
                                     for a, n in zip(s["area"], s["niche"], strict=True)],
        t("pri_col_wording"): s["wording"].to_numpy(),
        t("pri_col_document"): s["document_title"].to_numpy(),
        t("pri_col_year"): [str(int(y)) if pd.notna(y) else "–" for y in s["document_year"]],
        t("pri_col_publisher"): s["publisher"].to_numpy(),
        t("pri_col_standing"): [p.label(Standing(x), lang) for x in s["standing"]],
        t("pri_col_source"): [first_url(u) for u in s["source_url"]],
        t("pri_col_read_via"): s["read_via"].fillna("").to_numpy(),
        t("pri_col_review"): s["review"].fillna("").to_numpy(),
    })


def no_source_sentence(p: Priorities, lang: vocab.Lang) -> str:
    """The municipalities that state no priority in the data (no source found)."""
    codes = al.unstated_municipalities(p.territory)
    return vocab.text("pri_no_source", lang, n=len(codes), m=len(p.territory.municipalities),
                      who=p.names_of(codes, lang))


def collaborations_table(p: Priorities, lang: vocab.Lang) -> pd.DataFrame:
    """The sub-regional collaborations, their kind and members (every kind in the layer)."""
    t = translator(lang)
    c = p.territory.collaborations
    muni = dict(zip(p.territory.municipalities["kommun_kod"], p.territory.municipalities["kommun"],
                    strict=True))
    return pd.DataFrame({
        t("name"): [governance.short_name(n) for n in c["name"]],
        t("pri_col_kind"): [p.label(vocab.CollaborationKind(k), lang) for k in c["kind"]],
        t("pri_col_members"): [", ".join(muni.get(k, k) for k in lists.split(x))
                               for x in c["kommun_koder"]],
        t("pri_col_source"): [first_url(u) for u in c["source_url"]],
    })


def employment_view(p: Priorities, lang: vocab.Lang) -> tuple[str, pd.DataFrame | None]:
    """The business base: a sentence, and the employment-based LQs beside the support-based ones
    (None when the package gives no employment table)."""
    t = translator(lang)
    emp = al.employment_lq(p.territory)
    if emp.empty:
        return t("pri_no_employment"), None
    support = p.table.set_index(["territory_id", "area"])["lq_support"]
    return t("pri_employment", year=int(emp["year"].iloc[0])), pd.DataFrame({
        t("municipality"): emp["kommun"].to_numpy(),
        t("pri_col_area"): [p.label(a, lang) for a in emp["area"]],
        t("pri_lq_employment"): [_lq(v, lang) for v in emp["lq_employment"]],
        t("pri_lq_support"): [_lq(support.get((k, a)), lang)
                              for k, a in zip(emp["kommun_kod"], emp["area"], strict=True)],
    })


def downloads(p: Priorities, lang: vocab.Lang) -> list[Download]:
    """The alignment table and the matrix as CSV (ids, as ``smartmap priorities`` writes them)."""
    return [
        Download("pri_download_table", vocab.text("pri_download_table", lang),
                 lambda: p.table.to_csv(index=False, lineterminator="\n").encode("utf-8"),
                 "alignment.csv", "text/csv"),
        Download("pri_download_matrix", vocab.text("pri_download_matrix", lang),
                 lambda: p.matrix.to_csv(index=False, lineterminator="\n").encode("utf-8"),
                 "territorial_matrix.csv", "text/csv"),
    ]
