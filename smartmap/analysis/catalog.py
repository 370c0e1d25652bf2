"""The metric catalogue: one entry per metric of the metrics table and per county KPI.

Each entry says how to name a metric in Swedish and English, its unit, its kind (which decides
how :mod:`smartmap.core.fmt` formats it), its direction ("higher is better", used to orient
colour scales and change maps) and, for a family of columns, what it runs over (the environment
types, the region's areas, its areas and ``any``). :data:`MUNICIPALITY_METRICS` is the metrics
table in column order. Adding a metric is one entry here (its texts in the ``.po`` catalogs) plus
its computation, a function registered with :func:`smartmap.analysis.metrics.computes` (see
``docs/architecture.md``).

>>> metric_info("cov_any").kind, metric_info("dist_km_any").higher_is_better
('share', False)
>>> [k.metric for k in COUNTY_KPIS]
['cov', 'dist_km', 'n_env', 'n_white_spots']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from smartmap.core.region import Region
from smartmap.core.vocab import ANY_AREA, LABELS, EnvType, Label, Lang, Service

MetricKind = Literal["count", "rate", "km", "share", "bool", "ratio", "text", "year", "area"]
Over = Literal["types", "areas", "areas_any"]
"""What a family of columns ``<prefix><key>`` runs over."""


@dataclass(frozen=True)
class MetricInfo:
    """How to name, format and colour one metric column."""

    column: str
    label: Label
    unit: Label | None
    kind: MetricKind
    higher_is_better: bool | None = None
    over: Over | None = None
    """For a family: ``column`` is the prefix and the keys are the types, areas or areas + any."""

    @property
    def key(self) -> str:
        """The entry's id: the column, or ``<prefix>{<over>}`` for a family."""
        return self.column if self.over is None else f"{self.column}{{{self.over}}}"

    def keys(self, region: Region) -> tuple[str, ...] | None:
        """The suffixes of a family's columns (``None`` for a single column)."""
        if self.over is None:
            return None
        if self.over == "types":
            return tuple(t.value for t in EnvType)
        return region.area_ids if self.over == "areas" else region.areas_and_any

    def columns(self, region: Region) -> tuple[str, ...]:
        """The entry's column names for a region."""
        keys = self.keys(region)
        return (self.column,) if keys is None else tuple(self.column + k for k in keys)

    def title(self, lang: Lang = "sv", radius_km: float | None = None) -> str:
        """Label with unit (and radius for coverage), e.g. ``Share within 10 km (ICT) [%]``."""
        text_ = self.label(lang).replace("{R}", "R" if radius_km is None else f"{radius_km:g}")
        if self.unit is not None:
            text_ += f" [{self.unit(lang)}]"
        return text_


_ANY_SUFFIX = Label.of(ANY_AREA, "metric_area")


def _metric(column: str, kind: MetricKind, higher_is_better: bool | None,
            unit: bool = True, over: Over | None = None) -> MetricInfo:
    """A catalogue entry whose label (and unit) are the catalogs' ``metric`` messages."""
    return MetricInfo(column, Label.of(column, "metric"),
                      Label.of(column, "metric_unit") if unit else None, kind, higher_is_better,
                      over)


MUNICIPALITY_METRICS: tuple[MetricInfo, ...] = (
    _metric("population", "count", None),
    _metric("n_env", "count", True),
    _metric("n_env_", "count", True, over="types"),
    _metric("n_env_", "count", True, over="areas"),
    _metric("env_per_100k", "rate", True),
    _metric("dist_km_", "km", False, over="areas_any"),
    _metric("cov_", "share", True, over="areas_any"),
    _metric("white_spot_", "bool", False, unit=False, over="areas_any"),
    _metric("has_env_", "bool", True, unit=False, over="areas_any"),
    _metric("lq_", "ratio", None, unit=False, over="areas"),
    _metric("nearest_core", "text", None, unit=False),
    _metric("dist_core_km", "km", False),
    _metric("member_cores", "text", None, unit=False),
    _metric("levels_local", "text", None, unit=False),
    _metric("levels_all", "text", None, unit=False),
)
"""The per-municipality metrics table (after ``kommun_kod``, ``kommun``), in column order; a
family's ``{x}`` in the label is the suffix's name (an area, a type, a service)."""

_FIXED_METRICS: dict[str, MetricInfo] = {
    m.column: m for m in MUNICIPALITY_METRICS if m.over is None
}

_PREFIX_METRICS: tuple[MetricInfo, ...] = tuple(
    {m.column: m for m in MUNICIPALITY_METRICS if m.over is not None}.values()
)
"""Families of columns ``<prefix><area|env type|service>`` (one label per prefix)."""


def metric_info(column: str, region: Region | None = None) -> MetricInfo:
    """Label, unit and kind of a metric column, e.g. ``cov_ict`` or ``n_env_testbed``.

    Columns of a region's own areas (``cov_<area>``) need the ``region`` for their labels.

    >>> metric_info("cov_any").title("en", radius_km=10)
    'Share of residents within 10 km (any area) [%]'
    """
    if column in _FIXED_METRICS:
        return _FIXED_METRICS[column]
    for family in _PREFIX_METRICS:
        prefix, lab = family.column, family.label
        if column.startswith(prefix):
            suffix = column[len(prefix):]
            if suffix == ANY_AREA:
                name = _ANY_SUFFIX
            elif region is not None and suffix in region.areas:
                name = region.areas.get(suffix).label
            elif suffix in EnvType._value2member_map_:
                name = LABELS[EnvType(suffix)]
            elif suffix in Service._value2member_map_:
                name = LABELS[Service(suffix)]
            else:
                break
            return MetricInfo(
                column,
                Label(lab.sv.replace("{x}", name.sv), lab.en.replace("{x}", name.en)),
                family.unit, family.kind, family.higher_is_better,
            )
    raise KeyError(f"unknown metric column {column!r}")


def metric_kind(column: str) -> MetricKind:
    """How a metric column is formatted (its kind), for any region: a family's kind does not
    depend on which area or type its suffix names.

    >>> metric_kind("cov_some_area"), metric_kind("n_env")
    ('share', 'count')
    """
    if column in _FIXED_METRICS:
        return _FIXED_METRICS[column].kind
    for family in sorted(_PREFIX_METRICS, key=lambda f: -len(f.column)):
        if column.startswith(family.column) and len(column) > len(family.column):
            return family.kind
    raise KeyError(f"unknown metric column {column!r}")


def metric_label(column: str, lang: Lang = "sv", radius_km: float | None = None,
                 region: Region | None = None) -> str:
    """The display title of a metric column with its unit."""
    return metric_info(column, region).title(lang, radius_km)


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
