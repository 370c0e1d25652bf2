"""The scenario workshop: what the page shows for the session's scenarios and the user's choices.

The scenarios, their histories and the cached results are ``smartmap.analysis.workshop``; here
they are put in words, KPI cards, tables, map layers and share links. The widgets and the actions
are in ``smartmap.app.workshop``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from smartmap.analysis import catalog
from smartmap.analysis import scenario as S
from smartmap.analysis import workshop as W
from smartmap.analysis.params import MetricParams
from smartmap.app.views.common import MapLayer, term_list, term_options, translator
from smartmap.core import fmt, vocab
from smartmap.core.region import Region
from smartmap.data.layers import Territory, assign_municipalities, points_from_latlon
from smartmap.data.safety import clean_line
from smartmap.render import maps, qr
from smartmap.render.htmltext import markdown_text as md

BASELINE_OPTION = "\x00baseline"
"""The compare-with option that stands for the baseline (no scenario can have this name)."""
QUERY = "scenario"
"""The query parameter of a shared scenario."""
PAGE_PATH = "workshop"
ADD_STATUSES = ("active", "planned")
ADD_DEFAULTS = {"ws_add_type": "testbed", "ws_add_level": "mixed", "ws_add_status": "active"}


def share_url(page_url: str | None, token: str, public_url: str | None = None) -> str:
    """The link to send: the public address when one is set (``Settings.public_url``), else the
    app's address as this browser sees it (not the page's: a deep link makes Streamlit probe for
    its server under the page path first), with the scenario in the query.

    >>> share_url("http://host:8501/workshop?scenario=old", "abc")
    'http://host:8501/?scenario=abc'
    >>> share_url("http://localhost:8501/workshop?ws=x", "abc", "http://10.0.0.5:8501/")
    'http://10.0.0.5:8501/?scenario=abc'
    """
    root = public_url or (page_url or "").split("?")[0].split("#")[0]
    if root.rstrip("/").endswith("/" + PAGE_PATH):
        root = root.rstrip("/")[: -len(PAGE_PATH)]
    if root and not root.endswith("/"):
        root += "/"
    return f"{root}?{QUERY}={token}"


LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]", "0.0.0.0")


def link_is_local(link: str) -> bool:
    """Whether a link names this machine only (participants' phones cannot open it).

    >>> link_is_local("http://localhost:8501/?scenario=a"), link_is_local("http://10.0.0.5/?s")
    (True, False)
    """
    host = link.split("//", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0] if "//" in link else ""
    return host in LOCAL_HOSTS or host.startswith("127.")


@dataclass(frozen=True)
class Share:
    """The share panel: the link, its QR code (SVG), and what to say about it."""

    link: str
    qr_svg: str
    note: str
    local_warning: str | None


def share(page_url: str | None, token: str, public_url: str | None, lang: vocab.Lang) -> Share:
    """The link participants open (and its QR code) for a share token."""
    t = translator(lang)
    link = share_url(page_url, token, public_url)
    return Share(link=link, qr_svg=qr.qr_svg(link, label=t("ws_qr_label")),
                 note=t("ws_share_note", n=len(token)),
                 local_warning=t("ws_share_local") if link_is_local(link) else None)


def metric_options(territory: Territory) -> list[str]:
    """The metrics a workshop can map as a change (coverage first)."""
    return list(W.comparable_metrics(territory.region))


def describe_params(p: MetricParams, lang: vocab.Lang, region: Region) -> str:
    """The parameters in one line: radius, statuses counted, types counted, core classes."""
    t = translator(lang)
    types = (t("ws_params_all_types") if p.env_types is None
             else ", ".join(vocab.label(x, lang) for x in p.env_types))
    cores = ", ".join(vocab.label(c, lang, region) for c in p.cores_for(region))
    planned = t("ws_params_planned") if p.include_planned else t("ws_params_active")
    return " · ".join([t("ws_params_radius", r=f"{p.radius_km:g}"), planned, types, cores])


def status_line(scenario: S.Scenario, lang: vocab.Lang, region: Region) -> str:
    """The bar above the map: the active scenario, its number of edits and its parameters
    (Markdown, data escaped)."""
    return vocab.text("ws_status", lang, name=md(scenario.name), n=len(scenario.edits),
                      params=md(describe_params(scenario.parameters, lang, region)))


def place(point: tuple[float, float], baseline: Territory, tolerance_m: float,
          lang: vocab.Lang) -> str:
    """The municipality a clicked point falls in (the same rule as the edits), or "outside"."""
    where = assign_municipalities(points_from_latlon(pd.DataFrame({"lat": [point[0]],
                                                                    "lon": [point[1]]})),
                                  baseline.municipalities, tolerance_m).iloc[0]
    code = where["kommun_kod"]
    muni = baseline.municipalities.set_index("kommun_kod")["kommun"]
    if not isinstance(code, str) or code not in muni.index:
        return vocab.text("ws_outside", lang)
    return f"{muni[code]} ({code})"


def env_names(territory: Territory) -> dict[str, str]:
    """Environment id -> name."""
    env = territory.environments
    return dict(zip(env["id"].astype(str), env["name"].astype(str), strict=True))


def compare_options(ws: W.Workshop) -> list[str]:
    """What the active scenario can be compared with: the baseline, then the other scenarios."""
    return [BASELINE_OPTION, *(n for n in ws.names if n != ws.scenario.name)]


def compare_label(option: str, lang: vocab.Lang) -> str:
    return vocab.text("ws_baseline", lang) if option == BASELINE_OPTION else option


PARAM_FIELDS = ("ws_radius", "ws_planned", "ws_types", "ws_cores")
"""The parameter widgets."""


def param_values(p: MetricParams, region: Region) -> dict[str, float | bool | list[str]]:
    """The parameter widgets' values for a scenario's parameters (ids, not labels)."""
    return {"ws_radius": float(p.radius_km), "ws_planned": p.include_planned,
            "ws_types": [] if p.env_types is None else [x.value for x in p.env_types],
            "ws_cores": list(p.cores_for(region))}


def params_from(values: Mapping[str, Any], region: Region) -> MetricParams:
    """The parameters the widgets describe (raises ``ParameterError`` for impossible ones);
    ``values`` as Streamlit's session state holds them (each what its widget returns).

    The region's default core classes stay "the region's default" (``None``), so a scenario
    whose parameters were not touched equals the default parameters.
    """
    cores = tuple(values["ws_cores"])
    return MetricParams(radius_km=float(values["ws_radius"]),
                        include_planned=bool(values["ws_planned"]),
                        env_types=tuple(values["ws_types"]) or None,
                        core_classes=None if cores == region.nearest_core_classes else cores)


def add_edit(values: Mapping[str, Any]) -> S.AddEnvironment | str:
    """The edit the add form describes (``values`` as Streamlit's session state holds them),
    or the key of the text saying what is missing."""
    name = clean_line(values.get("ws_add_name"))
    lat, lon = values.get("ws_add_lat"), values.get("ws_add_lon")
    if not name:
        return "ws_need_name"
    if lat is None or lon is None:
        return "ws_need_location"
    return S.AddEnvironment(
        name=name, env_type=values["ws_add_type"], lat=round(float(lat), 6),
        lon=round(float(lon), 6), priority_areas=tuple(values.get("ws_add_areas") or []),
        services=tuple(values.get("ws_add_services") or []),
        host_organisation=clean_line(values.get("ws_add_host")),
        governance_level=values["ws_add_level"], status=values["ws_add_status"],
    )


@dataclass(frozen=True)
class Kpi:
    """One county KPI card: the value after, the change against the reference."""

    label: str
    value: str
    delta: str | None
    delta_color: Literal["normal", "inverse", "off"]
    delta_arrow: Literal["auto", "off"]
    help: str


KPI_TEXTS = {"cov": "ws_kpi_cov", "dist_km": "ws_kpi_dist", "n_env": "ws_kpi_n_env",
             "n_white_spots": "ws_kpi_white"}
"""The card title of each headline county KPI (``catalog.COUNTY_KPIS``)."""


def kpis(diff: S.ScenarioDiff, area: str, ref_label: str, radius: float,
         lang: vocab.Lang) -> list[Kpi]:
    """The headline county KPIs of ``area`` (the catalogue's); a change of zero is shown grey
    and without an arrow."""
    t = translator(lang)
    cards = []
    for kpi in catalog.COUNTY_KPIS:
        metric, kind = kpi.metric, kpi.kind
        label = t(KPI_TEXTS[metric], r=f"{radius:g}")
        better: Literal["normal", "inverse"] = ("normal" if kpi.higher_is_better is not False
                                                else "inverse")
        before, after, delta = diff.county_value(area, metric)
        places = 2 if kind in ("share", "km") else None
        text = None if delta != delta else fmt.format_delta(delta, kind, lang, places)
        still = text is None or text.startswith("±")
        cards.append(Kpi(label, fmt.format_value(after, kind, lang),
                         None if text is None else text.replace("−", "-"),
                         "off" if still else better, "off" if still else "auto",
                         t("ws_kpi_help", ref=md(ref_label),
                           before=md(fmt.format_value(before, kind, lang)))))
    return cards


@dataclass
class Comparison:
    """The active scenario against its reference: KPIs, map layers and tables."""

    scenario: S.Scenario
    ref_label: str
    kpi_caption: str
    kpis: list[Kpi]
    layers: Callable[[], Sequence[MapLayer]]
    """Builds the map's layers (``groups``), after the page has drawn the figures."""
    changed_caption: str
    top: pd.DataFrame
    """The municipalities that changed most (empty when none did)."""
    all: pd.DataFrame
    county_caption: str
    county: pd.DataFrame
    territory: Territory
    """The scenario applied to the baseline."""
    elapsed_ms: float
    effect_note: str = ""
    """What the delta is the effect of, in a few words."""
    effect_help: str = ""
    """The same with both sides' parameters in full."""
    _groups: Sequence[MapLayer] | None = None

    @property
    def groups(self) -> Sequence[MapLayer]:
        """The map's layers (``render.maps``): the change or one side's values, the
        environments of the side shown and a pending click (built on first use)."""
        if self._groups is None:
            started = time.perf_counter()
            self._groups = self.layers()
            self.elapsed_ms += 1000 * (time.perf_counter() - started)
        return self._groups


EFFECTS = S.EFFECTS
"""What a comparison isolates: the edits (default), the parameters, or both."""


def short_params(p: MetricParams, lang: vocab.Lang, region: Region) -> str:
    """The parameters in a few words: the radius, and what differs from the defaults.

    >>> from smartmap.data.layers import load_territory
    >>> short_params(MetricParams(radius_km=15, include_planned=True), "en", load_territory().region)
    'R = 15 km, + planned'
    """
    t = translator(lang)
    parts = [t("ws_params_radius", r=f"{p.radius_km:g}")]
    if p.include_planned:
        parts.append(t("ws_params_short_planned"))
    if p.env_types is not None:
        parts.append(vocab.text("ws_params_short_types", lang, n=len(p.env_types)))
    if p.cores_for(region) != region.nearest_core_classes:
        parts.append(", ".join(vocab.label(c, lang, region) for c in p.cores_for(region)))
    return ", ".join(parts)


@dataclass(frozen=True)
class EffectWords:
    """How a comparison is labelled: its two sides, a short note and the full explanation."""

    before: str
    after: str
    note: str
    explanation: str


def effect_sides(scenario: S.Scenario, reference: S.Scenario | None, effect: str,
                 lang: vocab.Lang, region: Region,
                 base_params: MetricParams | None = None) -> EffectWords:
    """The two sides of a comparison named so a room can follow, a short note of what the delta
    is the effect of (with the parameters in a few words) and the same with every parameter."""
    t = translator(lang)
    ref = t("ws_baseline") if reference is None else reference.name
    (_, ref_params), (_, params) = S.sides(reference, scenario, effect, base_params)
    own, own_short = describe_params(params, lang, region), short_params(params, lang, region)
    theirs = describe_params(ref_params, lang, region)
    theirs_short = short_params(ref_params, lang, region)
    if effect == "edits":
        return EffectWords(ref, scenario.name, t("ws_effect_edits_short", params=md(own_short)),
                           t("ws_effect_edits_note", ref=md(ref), name=md(scenario.name),
                             params=md(own)))
    if effect == "parameters":
        return EffectWords(
            t("ws_side_own_params", side=ref),
            t("ws_side_scenario_params", side=ref, name=scenario.name),
            t("ws_effect_parameters_short", ref_params=md(theirs_short), params=md(own_short)),
            t("ws_effect_parameters_note", ref=md(ref), name=md(scenario.name),
              ref_params=md(theirs), params=md(own)))
    return EffectWords(ref, scenario.name,
                       t("ws_effect_both_short", ref_params=md(theirs_short),
                         params=md(own_short)),
                       t("ws_effect_both_note", ref=md(ref), name=md(scenario.name),
                         ref_params=md(theirs), params=md(own)))


def comparison(ev: W.Evaluator, scenario: S.Scenario, reference: S.Scenario | None, metric: str,
               view: str, lang: vocab.Lang, pending: tuple[float, float] | None = None,
               effect: str = "edits") -> Comparison:
    """Compare ``scenario`` with ``reference`` (None: the baseline) on ``metric``, isolating
    ``effect`` (:data:`EFFECTS`); the map shows ``view`` (``maps.COMPARE_VIEWS``) and a pending
    click as a marker."""
    t = translator(lang)
    started = time.perf_counter()
    region = ev.baseline.region
    diff = ev.compare(reference, scenario, effect, (metric,))  # only what the page shows
    (before_edits, _), (after_edits, _) = S.sides(reference, scenario, effect, ev.base_params)
    after_territory = ev.applied(after_edits)
    words = effect_sides(scenario, reference, effect, lang, region, ev.base_params)
    ref_label, name = words.before, words.after
    radius = scenario.parameters.radius_km
    wide = diff.wide(metric).set_index("kommun_kod")

    def layers() -> Sequence[MapLayer]:
        shown = (ev.applied(before_edits) if view == "reference" else after_territory)
        groups = maps.comparison_groups(ev.baseline.municipalities, wide["before"],
                                        wide["after"], metric, shown.environments, lang, view,
                                        radius, ev.changed_between(before_edits, after_edits),
                                        region=region)
        if pending:
            groups.append(maps.marker_layer(pending[0], pending[1], t("ws_new_here"),
                                            t("ws_pending_layer")))
        return groups

    elapsed_ms = 1000 * (time.perf_counter() - started)
    area = W.metric_area(metric, region)
    return Comparison(
        scenario=scenario, ref_label=ref_label,
        kpi_caption=t("ws_kpi_caption", area=md(vocab.label(area, lang, region)), ref=md(ref_label),
                      name=md(name)),
        kpis=kpis(diff, area, ref_label, radius, lang), layers=layers,
        changed_caption=t("ws_most_changed_note", ref=md(ref_label), name=md(name),
                          metric=md(catalog.metric_label(metric, lang, radius, region))),
        top=W.change_table(diff, metric, lang, n=10), all=W.change_table(diff, metric, lang),
        county_caption=t("ws_county_note", ref=md(ref_label), name=md(name)),
        county=W.county_table(diff, lang), territory=ev.territory(scenario),
        elapsed_ms=elapsed_ms, effect_note=words.note, effect_help=words.explanation,
    )


def pick_options(territory: Territory, lang: vocab.Lang,
                 baseline: Territory | None = None) -> dict[str, str]:
    """The environments a user can change, by name: id -> "name · municipality".

    The label never changes with an edit (the browser keeps a choice by its label, so a label
    that changed on closing would drop the choice): the municipality is the baseline's, an
    environment the scenario added says so; the status is in the caption below the choice.
    """
    env = territory.environments.sort_values("name", key=lambda s: s.str.lower())
    base = baseline if baseline is not None else territory
    where = dict(zip(base.environments["id"].astype(str), base.environments["kommun"],
                     strict=True))
    added = vocab.text("ws_pick_added", lang)

    def label(ident: str, name: str) -> str:
        if ident not in where:
            return f"{name} · {added}"
        muni = where[ident]
        return f"{name} · {muni if isinstance(muni, str) else '–'}"

    return {str(i): label(str(i), str(n)) for i, n in zip(env["id"], env["name"], strict=True)}


@dataclass(frozen=True)
class Picked:
    """The environment picked for a change: what the change tab shows and fills in."""

    id: str
    name: str
    status: str
    caption: str
    lat: float | None
    lon: float | None
    areas: list[str]
    services: list[str]


def picked(territory: Territory, ident: str, lang: vocab.Lang) -> Picked:
    """The environment ``ident`` of the scenario's territory."""
    row = territory.environments.set_index("id").loc[ident]
    where = row["kommun"] if isinstance(row["kommun"], str) else "–"
    status = str(row["status"])
    return Picked(
        id=ident, name=str(row["name"]), status=status,
        caption=vocab.text("ws_pick_status", lang, type=md(vocab.label(row["env_type"], lang)),
                           status=md(vocab.label(status, lang)), place=md(where)),
        lat=None if row["lat"] != row["lat"] else float(row["lat"]),
        lon=None if row["lon"] != row["lon"] else float(row["lon"]),
        areas=term_list(row["priority_areas"], "area", territory),
        services=term_list(row["services"], "service", territory),
    )


def area_options(territory: Territory) -> list[str]:
    """The priority areas an environment can carry."""
    return term_options("area", territory)


def core_options(territory: Territory) -> list[str]:
    """The urban-core classes the nearest-core metric can use."""
    return term_options("core_class", territory)
