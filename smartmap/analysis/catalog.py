"""The metric catalogue: one entry per metric of the metrics table and per county KPI.

Each entry says how to name a metric in Swedish and English, its unit, its kind (which decides
how :mod:`smartmap.core.fmt` formats it) and its direction ("higher is better", used to orient
colour scales and change maps). Adding a metric is one entry here plus its computation in
:mod:`smartmap.analysis.metrics` (see ``docs/architecture.md``).

>>> metric_info("cov_ict").kind, metric_info("dist_km_any").higher_is_better
('share', False)
>>> [k.metric for k in COUNTY_KPIS]
['cov', 'dist_km', 'n_env', 'n_white_spots']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from smartmap.core.vocab import ANY_AREA, LABELS, Area, EnvType, Label, Lang, Service

MetricKind = Literal["count", "rate", "km", "share", "bool", "ratio", "text", "year", "area"]


@dataclass(frozen=True)
class MetricInfo:
    """How to name, format and colour one metric column."""

    column: str
    label: Label
    unit: Label | None
    kind: MetricKind
    higher_is_better: bool | None = None

    def title(self, lang: Lang = "sv", radius_km: float | None = None) -> str:
        """Label with unit (and radius for coverage), e.g. ``Share within 10 km (ICT) [%]``."""
        text_ = self.label(lang).replace("{R}", "R" if radius_km is None else f"{radius_km:g}")
        if self.unit is not None:
            text_ += f" [{self.unit(lang)}]"
        return text_


_AREA_SUFFIXES: dict[str, Label] = {
    **{a.value: LABELS[a] for a in Area},
    ANY_AREA: Label("alla områden", "any area"),
}

_FIXED_METRICS: dict[str, MetricInfo] = {
    m.column: m
    for m in (
        MetricInfo("n_env", Label("Antal innovationsmiljöer", "Number of innovation environments"),
                   Label("st", "count"), "count", True),
        MetricInfo("env_per_100k", Label("Miljöer per 100 000 invånare",
                                         "Environments per 100,000 residents"),
                   Label("per 100 000", "per 100,000"), "rate", True),
        MetricInfo("population", Label("Folkmängd", "Population"), Label("invånare", "residents"),
                   "count", None),
        MetricInfo("land_area_km2", Label("Landareal", "Land area"), Label("km²", "km²"), "area",
                   None),
        MetricInfo("nearest_core", Label("Närmaste regionala stadskärna", "Nearest regional urban core"),
                   None, "text"),
        MetricInfo("dist_core_km", Label("Avstånd till närmaste stadskärna",
                                         "Distance to the nearest urban core"),
                   Label("km", "km"), "km", False),
        MetricInfo("member_cores", Label("Stadskärnor i kommunen", "Urban cores in the municipality"),
                   None, "text"),
        MetricInfo("levels_local", Label("Styrningsnivåer på plats", "Governance levels on site"),
                   None, "text"),
        MetricInfo("levels_all", Label("Styrningsnivåer inkl. läns-, nationella och EU-aktörer",
                                       "Governance levels incl. county, national and EU actors"),
                   None, "text"),
    )
}

_PREFIX_METRICS: tuple[tuple[str, Label, Label | None, MetricKind, bool | None], ...] = (
    ("n_env_", Label("Antal miljöer: {x}", "Environments: {x}"), Label("st", "count"), "count", True),
    ("dist_km_", Label("Befolkningsviktat avstånd till närmaste miljö ({x})",
                       "Population-weighted distance to the nearest environment ({x})"),
     Label("km, fågelväg", "km, straight line"), "km", False),
    ("cov_", Label("Andel invånare inom {R} km ({x})", "Share of residents within {R} km ({x})"),
     Label("%", "%"), "share", True),
    ("white_spot_", Label("Vit fläck: ingen invånare inom {R} km ({x})",
                          "White spot: no resident within {R} km ({x})"), None, "bool", False),
    ("has_env_", Label("Har miljö i kommunen ({x})", "Has an environment in the municipality ({x})"),
     None, "bool", True),
    ("lq_", Label("Lokaliseringskvot ({x})", "Location quotient ({x})"), None, "ratio", None),
)


def metric_info(column: str) -> MetricInfo:
    """Label, unit and kind of a metric column, e.g. ``cov_ict`` or ``n_env_testbed``.

    >>> metric_info("cov_life_science").title("en", radius_km=10)
    'Share of residents within 10 km (Life science, health and care) [%]'
    """
    if column in _FIXED_METRICS:
        return _FIXED_METRICS[column]
    for prefix, lab, unit, kind, better in _PREFIX_METRICS:
        if column.startswith(prefix):
            suffix = column[len(prefix):]
            if suffix in _AREA_SUFFIXES:
                name = _AREA_SUFFIXES[suffix]
            elif suffix in EnvType._value2member_map_:
                name = LABELS[EnvType(suffix)]
            elif suffix in Service._value2member_map_:
                name = LABELS[Service(suffix)]
            else:
                break
            return MetricInfo(
                column,
                Label(lab.sv.replace("{x}", name.sv), lab.en.replace("{x}", name.en)),
                unit, kind, better,
            )
    raise KeyError(f"unknown metric column {column!r}")


def metric_label(column: str, lang: Lang = "sv", radius_km: float | None = None) -> str:
    """The display title of a metric column with its unit."""
    return metric_info(column).title(lang, radius_km)


# ---------------------------------------------------------------------------------------------
# County KPIs (smartmap.analysis.metrics.county_kpis): the figures shown per area in the workshop,
# the report and the scenario diff.

@dataclass(frozen=True)
class CountyKpi:
    """One county KPI column of :func:`smartmap.analysis.metrics.county_kpis`."""

    metric: str
    kind: MetricKind
    higher_is_better: bool | None
    headline: bool = True
    """Shown as a headline figure (workshop KPIs); the others appear in tables only."""


COUNTY_KPI_CATALOGUE: tuple[CountyKpi, ...] = (
    CountyKpi("cov", "share", True),
    CountyKpi("dist_km", "km", False),
    CountyKpi("n_env", "count", True),
    CountyKpi("n_white_spots", "count", False),
    CountyKpi("largest_share", "share", None, headline=False),
    CountyKpi("herfindahl", "ratio", None, headline=False),
)
"""Every county KPI a scenario diff compares, with its kind and direction."""

COUNTY_KPIS: tuple[CountyKpi, ...] = tuple(k for k in COUNTY_KPI_CATALOGUE if k.headline)
"""The headline county KPIs (workshop figures, report summaries), in display order."""


def county_kpi(metric: str) -> CountyKpi:
    """The catalogue entry of a county KPI column.

    >>> county_kpi("herfindahl").kind
    'ratio'
    """
    for k in COUNTY_KPI_CATALOGUE:
        if k.metric == metric:
            return k
    raise KeyError(f"unknown county KPI {metric!r}")
