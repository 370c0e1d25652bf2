"""Scenarios: named, versioned lists of edits to the baseline, saved as JSON and shared as links.

A :class:`Scenario` holds its metadata, the analysis parameters and an ordered tuple of edits
(add, move, close, re-open, re-tag an environment). :func:`apply` plays the edits on an immutable
baseline and returns a new :class:`~smartmap.layers.Territory`; the baseline is never touched. An
edit that names an unknown id, carries an invalid value or puts a point outside the county is
refused with a :class:`ScenarioError` naming the edit. :func:`dumps`/:func:`loads` round-trip
exactly (``loads(dumps(s)) == s``); :func:`to_share_token`/:func:`from_share_token` pack a small
scenario into a URL-safe string.
"""

from __future__ import annotations

import base64
import json
import re
import zlib
from dataclasses import MISSING, asdict, dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import Any, ClassVar

import geopandas as gpd
import numpy as np
import pandas as pd

from smartmap import vocab
from smartmap.environments import fold
from smartmap.errors import SmartmapError
from smartmap.layers import ASSIGN_OUTSIDE, Territory, assign_municipalities, points_from_latlon
from smartmap.metrics import MetricParams, ParameterError
from smartmap.settings import ANALYSIS_CRS, get_settings

SCHEMA_VERSION = 1
FORMAT = "smartmap-scenario"
MAX_SHARE_CHARS = 6000
"""Longest share token accepted in a URL (a few dozen edits fit)."""


class ScenarioError(SmartmapError):
    """A scenario or one of its edits was refused; the message names the edit."""

    def __init__(self, message: str, edit_index: int | None = None):
        self.edit_index = edit_index
        super().__init__(message)


def now_iso() -> str:
    """The current UTC time as an ISO 8601 string to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# ---------------------------------------------------------------------------------------------
# parameters and edits


Parameters = MetricParams
"""A scenario's analysis parameters are the metrics' parameters (radius, planned, types, cores)."""


@dataclass(frozen=True)
class Edit:
    """Base class of the edits; ``kind`` names the edit in files."""

    kind: ClassVar[str] = ""

    def describe(self) -> str:
        ident = getattr(self, "id", None) or getattr(self, "name", "")
        return f"{self.kind} '{ident}'"


@dataclass(frozen=True)
class AddEnvironment(Edit):
    """A new environment at a WGS 84 location (its municipality from the geometry unless given)."""

    kind: ClassVar[str] = "add"
    name: str
    env_type: str
    lat: float
    lon: float
    priority_areas: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    host_organisation: str = ""
    governance_level: str = "mixed"
    status: str = "active"
    id: str | None = None
    kommun_kod: str | None = None


@dataclass(frozen=True)
class MoveEnvironment(Edit):
    """Move an environment; its municipality follows the geometry unless the edit names one."""

    kind: ClassVar[str] = "move"
    id: str
    lat: float
    lon: float
    kommun_kod: str | None = None


@dataclass(frozen=True)
class CloseEnvironment(Edit):
    """Set an environment's status to closed (it stops counting)."""

    kind: ClassVar[str] = "close"
    id: str


@dataclass(frozen=True)
class ReopenEnvironment(Edit):
    """Set a closed or planned environment's status to active."""

    kind: ClassVar[str] = "reopen"
    id: str


@dataclass(frozen=True)
class RetagEnvironment(Edit):
    """Replace an environment's priority areas and/or services (None = leave as is)."""

    kind: ClassVar[str] = "retag"
    id: str
    priority_areas: tuple[str, ...] | None = None
    services: tuple[str, ...] | None = None


EDIT_TYPES: dict[str, type[Edit]] = {
    cls.kind: cls
    for cls in (AddEnvironment, MoveEnvironment, CloseEnvironment, ReopenEnvironment,
                RetagEnvironment)
}


@dataclass(frozen=True)
class Scenario:
    """A named, versioned what-if: parameters plus an ordered list of edits to the baseline."""

    name: str
    edits: tuple[Edit, ...] = ()
    parameters: MetricParams = field(default_factory=MetricParams)
    author: str = ""
    description: str = ""
    created: str = field(default_factory=now_iso)
    modified: str = ""
    schema_version: int = SCHEMA_VERSION

    def with_edit(self, edit: Edit) -> Scenario:
        """A copy with one more edit at the end (and a new modified time)."""
        return replace(self, edits=(*self.edits, edit), modified=now_iso())

    def with_parameters(self, parameters: MetricParams) -> Scenario:
        """A copy with other parameters."""
        return replace(self, parameters=parameters, modified=now_iso())


# ---------------------------------------------------------------------------------------------
# applying


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return s[:40] or "env"


def _check_terms(index: int, edit: Edit, column: str, items: tuple[str, ...] | None,
                 enum: type) -> str | None:
    if items is None:
        return None
    bad = [i for i in items if i not in vocab.values(enum)]
    if bad:
        raise ScenarioError(
            f"edit {index + 1} ({edit.describe()}): unknown {column} value(s) {', '.join(bad)}; "
            f"expected some of {', '.join(vocab.values(enum))}", index)
    return vocab.join_list(items, enum)


def _locate(index: int, edit: Edit, lat: float, lon: float, kommun_kod: str | None,
            territory: Territory) -> tuple[object, str]:
    try:
        lat_f, lon_f = float(lat), float(lon)
    except (TypeError, ValueError):
        raise ScenarioError(f"edit {index + 1} ({edit.describe()}): coordinates must be numbers, "
                            f"got lat={lat!r}, lon={lon!r}", index) from None
    if not (np.isfinite(lat_f) and np.isfinite(lon_f) and -90 <= lat_f <= 90
            and -180 <= lon_f <= 180):
        raise ScenarioError(f"edit {index + 1} ({edit.describe()}): invalid WGS 84 coordinates "
                            f"lat={lat!r}, lon={lon!r}", index)
    geom = points_from_latlon(pd.DataFrame({"lat": [lat_f], "lon": [lon_f]}))
    tolerance = get_settings().assign_tolerance_m
    assigned = assign_municipalities(geom, territory.municipalities, tolerance).iloc[0]
    if assigned["rule"] == ASSIGN_OUTSIDE:
        raise ScenarioError(
            f"edit {index + 1} ({edit.describe()}): location {lat_f:.5f}, {lon_f:.5f} is outside "
            f"the county (more than {tolerance / 1000:g} km from every municipality)", index)
    code = assigned["kommun_kod"]
    if kommun_kod is not None:
        if kommun_kod not in set(territory.municipalities["kommun_kod"]):
            raise ScenarioError(f"edit {index + 1} ({edit.describe()}): municipality code "
                                f"{kommun_kod!r} is not in the county", index)
        code = kommun_kod
    return geom.iloc[0], str(code)


def apply(baseline: Territory, scenario: Scenario) -> Territory:
    """The territory after the scenario's edits; the baseline itself is never changed."""
    env = baseline.environments.copy()
    names = baseline.municipalities.set_index("kommun_kod")["kommun"]
    for index, edit in enumerate(scenario.edits):
        env = _apply_one(env, index, edit, baseline, names)
    env = gpd.GeoDataFrame(env, geometry="geometry", crs=ANALYSIS_CRS)
    return baseline.replace(environments=env)


def _row_of(env: pd.DataFrame, index: int, edit: Edit) -> object:
    ident = getattr(edit, "id", None)
    hits = env.index[env["id"] == ident]
    if len(hits) == 0:
        raise ScenarioError(f"edit {index + 1} ({edit.describe()}): no environment has the id "
                            f"{ident!r}", index)
    return hits[0]


def _apply_one(env: pd.DataFrame, index: int, edit: Edit, territory: Territory,
               names: pd.Series) -> pd.DataFrame:
    if isinstance(edit, AddEnvironment):
        if not str(edit.name).strip():
            raise ScenarioError(f"edit {index + 1} (add): the new environment needs a name", index)
        for column, value, enum in (("env_type", edit.env_type, vocab.EnvType),
                                    ("governance_level", edit.governance_level, vocab.Level),
                                    ("status", edit.status, vocab.Status)):
            if value not in vocab.values(enum):
                raise ScenarioError(
                    f"edit {index + 1} ({edit.describe()}): unknown {column} {value!r}; expected "
                    f"one of {', '.join(vocab.values(enum))}", index)
        areas = _check_terms(index, edit, "priority_areas", edit.priority_areas, vocab.Area)
        services = _check_terms(index, edit, "services", edit.services, vocab.Service)
        geom, code = _locate(index, edit, edit.lat, edit.lon, edit.kommun_kod, territory)
        new_id = edit.id or f"scenario-{index + 1}-{_slug(edit.name)}"
        if (env["id"] == new_id).any():
            raise ScenarioError(f"edit {index + 1} ({edit.describe()}): the id {new_id!r} is "
                                "already used", index)
        row = {column: pd.NA for column in env.columns}
        row.update({
            "id": new_id, "name": edit.name, "env_type": edit.env_type, "kommun_kod": code,
            "kommun": names.get(code, pd.NA), "lat": float(edit.lat), "lon": float(edit.lon),
            "priority_areas": areas or "", "services": services or "",
            "host_organisation": edit.host_organisation or pd.NA,
            "governance_level": edit.governance_level, "status": edit.status,
            "notes": "added in a scenario", "geometry": geom,
        })
        dtypes = {c: t for c, t in env.dtypes.items() if c != "geometry"}
        addition = gpd.GeoDataFrame(
            pd.DataFrame([row], columns=env.columns).astype(dtypes),
            geometry="geometry", crs=ANALYSIS_CRS,
        )
        return pd.concat([env, addition], ignore_index=True)
    at = _row_of(env, index, edit)
    env = env.copy()
    if isinstance(edit, MoveEnvironment):
        geom, code = _locate(index, edit, edit.lat, edit.lon, edit.kommun_kod, territory)
        env.loc[at, ["lat", "lon"]] = [float(edit.lat), float(edit.lon)]
        env.loc[at, "kommun_kod"] = code
        env.loc[at, "kommun"] = names.get(code, pd.NA)
        env.loc[at, "geometry"] = geom
    elif isinstance(edit, CloseEnvironment):
        env.loc[at, "status"] = vocab.Status.CLOSED.value
    elif isinstance(edit, ReopenEnvironment):
        env.loc[at, "status"] = vocab.Status.ACTIVE.value
    elif isinstance(edit, RetagEnvironment):
        areas = _check_terms(index, edit, "priority_areas", edit.priority_areas, vocab.Area)
        services = _check_terms(index, edit, "services", edit.services, vocab.Service)
        if areas is not None:
            env.loc[at, "priority_areas"] = areas
        if services is not None:
            env.loc[at, "services"] = services
    else:  # pragma: no cover - EDIT_TYPES is closed
        raise ScenarioError(f"edit {index + 1}: unknown edit kind {edit.kind!r}", index)
    return env


# ---------------------------------------------------------------------------------------------
# files and links


def to_dict(scenario: Scenario) -> dict[str, Any]:
    """The JSON-ready form of a scenario (lists for tuples, ``kind`` on each edit)."""
    def plain(value: object) -> object:
        if isinstance(value, tuple):
            return [str(v) for v in value]
        return value

    return {
        "format": FORMAT,
        "schema_version": scenario.schema_version,
        "name": scenario.name,
        "author": scenario.author,
        "description": scenario.description,
        "created": scenario.created,
        "modified": scenario.modified,
        "parameters": {k: plain(v) for k, v in asdict(scenario.parameters).items()},
        "edits": [
            {"kind": e.kind, **{k: plain(v) for k, v in asdict(e).items()}}
            for e in scenario.edits
        ],
    }


def dumps(scenario: Scenario, indent: int | None = 2) -> str:
    """Scenario as JSON text."""
    return json.dumps(to_dict(scenario), ensure_ascii=False, indent=indent, allow_nan=False)


def _tuple(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ScenarioError(f"{where}: expected a list of text values, got {value!r}")
    return tuple(value)


def _edit_from(index: int, data: object) -> Edit:
    where = f"edit {index + 1}"
    if not isinstance(data, dict):
        raise ScenarioError(f"{where}: expected an object, got {type(data).__name__}", index)
    kind = data.get("kind")
    if kind not in EDIT_TYPES:
        raise ScenarioError(f"{where}: unknown edit kind {kind!r}; expected one of "
                            f"{', '.join(EDIT_TYPES)}", index)
    cls = EDIT_TYPES[kind]
    allowed = {f.name: f for f in fields(cls)}
    extra = set(data) - set(allowed) - {"kind"}
    if extra:
        raise ScenarioError(f"{where} ({kind}): unknown field(s) {', '.join(sorted(extra))}", index)
    kwargs: dict[str, Any] = {}
    for name, value in data.items():
        if name == "kind":
            continue
        if name in ("priority_areas", "services"):
            kwargs[name] = None if value is None else _tuple(value, f"{where} ({kind}) {name}")
        elif name in ("lat", "lon"):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ScenarioError(f"{where} ({kind}): {name} must be a number, got {value!r}",
                                    index)
            kwargs[name] = float(value)
        elif value is not None and not isinstance(value, str):
            raise ScenarioError(f"{where} ({kind}): {name} must be text, got {value!r}", index)
        else:
            kwargs[name] = value
    missing = [f.name for f in fields(cls) if f.name not in kwargs
               and f.default is MISSING and f.default_factory is MISSING]
    if missing:
        raise ScenarioError(f"{where} ({kind}): missing field(s) {', '.join(missing)}", index)
    return cls(**kwargs)


def from_dict(data: object) -> Scenario:
    """A scenario from its JSON form; refuses anything malformed with a clear message."""
    if not isinstance(data, dict):
        raise ScenarioError("a scenario file must hold a JSON object")
    if data.get("format", FORMAT) != FORMAT:
        raise ScenarioError(f"not a smartmap scenario (format {data.get('format')!r})")
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ScenarioError("the scenario has no schema_version")
    if version > SCHEMA_VERSION:
        raise ScenarioError(f"schema version {version} is newer than this smartmap supports "
                            f"({SCHEMA_VERSION}); update smartmap to open it")
    if version < SCHEMA_VERSION:
        raise ScenarioError(f"schema version {version} is older than any this smartmap can read "
                            f"(it reads version {SCHEMA_VERSION}); no migration exists")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ScenarioError("the scenario needs a name")
    params = data.get("parameters", {})
    if not isinstance(params, dict):
        raise ScenarioError("parameters must be an object")
    unknown = set(params) - {f.name for f in fields(Parameters)}
    if unknown:
        raise ScenarioError(f"parameters: unknown field(s) {', '.join(sorted(unknown))}")
    try:
        parameters = MetricParams(
            radius_km=params.get("radius_km", 10.0),
            include_planned=params.get("include_planned", False),
            env_types=None if params.get("env_types") is None
            else _tuple(params["env_types"], "parameters env_types"),
            core_classes=_tuple(params.get("core_classes", ["central_core", "outer_core"]),
                                "parameters core_classes"),
        )
    except (TypeError, ParameterError) as exc:
        raise ScenarioError(f"parameters: {exc}") from None
    edits = data.get("edits", [])
    if not isinstance(edits, list):
        raise ScenarioError("edits must be a list")
    for key in ("author", "description", "created", "modified"):
        if not isinstance(data.get(key, ""), str):
            raise ScenarioError(f"{key} must be text")
    return Scenario(
        name=name,
        edits=tuple(_edit_from(i, e) for i, e in enumerate(edits)),
        parameters=parameters,
        author=data.get("author", ""),
        description=data.get("description", ""),
        created=data.get("created", ""),
        modified=data.get("modified", ""),
        schema_version=version,
    )


def loads(text: str | bytes, source: str = "scenario", max_bytes: int | None = None) -> Scenario:
    """Parse a scenario file's content; refuses corrupt, truncated or oversized input clearly."""
    limit = max_bytes if max_bytes is not None else get_settings().max_scenario_bytes
    raw = text.encode("utf-8") if isinstance(text, str) else text
    if len(raw) > limit:
        raise ScenarioError(f"{source}: {len(raw) / 1e6:.1f} MB is larger than the "
                            f"{limit / 1e6:g} MB a scenario file may have")
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScenarioError(f"{source}: not a text file (not UTF-8); expected scenario JSON") from None
    if not decoded.strip():
        raise ScenarioError(f"{source}: the file is empty")
    try:
        data = json.loads(decoded)
    except json.JSONDecodeError as exc:
        raise ScenarioError(f"{source}: invalid or truncated JSON at line {exc.lineno}, column "
                            f"{exc.colno}: {exc.msg}") from None
    try:
        return from_dict(data)
    except ScenarioError as exc:
        raise ScenarioError(f"{source}: {exc}", exc.edit_index) from None


def to_share_token(scenario: Scenario) -> str:
    """A URL-safe token holding the scenario (compressed JSON), for a share link's query."""
    packed = zlib.compress(dumps(scenario, indent=None).encode("utf-8"), 9)
    token = base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")
    if len(token) > MAX_SHARE_CHARS:
        raise ScenarioError(f"the scenario is too large for a link ({len(token)} characters); "
                            "save it as a file instead")
    return token


def from_share_token(token: str) -> Scenario:
    """The scenario in a share token; refuses damaged or oversized tokens."""
    if not isinstance(token, str) or not token or len(token) > MAX_SHARE_CHARS:
        raise ScenarioError("the shared link holds no valid scenario (empty or too long)")
    try:
        packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        d = zlib.decompressobj()
        raw = d.decompress(packed, get_settings().max_scenario_bytes)
        if d.unconsumed_tail:
            raise ScenarioError("the shared link's scenario is too large")
    except (ValueError, zlib.error):
        raise ScenarioError("the shared link is damaged (cannot be decoded)") from None
    return loads(raw, source="shared link")


# ---------------------------------------------------------------------------------------------
# comparing with the baseline

KEY_COLUMNS = ("kommun_kod", "kommun")
DIFF_COLUMNS = ["kommun_kod", "kommun", "metric", "before", "after", "delta", "changed"]
COUNTY_DIFF_COLUMNS = ["area", "metric", "before", "after", "delta", "changed"]
COUNTY_METRICS = ("n_env", "cov", "dist_km", "largest_share", "herfindahl", "n_white_spots")


@dataclass(frozen=True)
class ScenarioDiff:
    """Per-municipality and county deltas of every metric between baseline and scenario.

    ``municipalities`` is long: one row per municipality and metric with ``before``, ``after``,
    ``delta`` (after - before for numbers, NA otherwise) and ``changed``. ``county`` is the same
    for the county KPIs per area. ``before``/``after`` are the full metric results.
    """

    scenario: Scenario
    base_params: MetricParams
    before: Any
    after: Any
    municipalities: pd.DataFrame
    county: pd.DataFrame

    def wide(self, metric: str) -> pd.DataFrame:
        """One metric as a table: kommun_kod, kommun, before, after, delta (code order)."""
        sel = self.municipalities[self.municipalities["metric"] == metric]
        if sel.empty:
            raise KeyError(f"unknown metric {metric!r}")
        return sel[["kommun_kod", "kommun", "before", "after", "delta", "changed"]].reset_index(
            drop=True)

    def most_changed(self, metric: str, n: int = 10) -> pd.DataFrame:
        """The municipalities whose ``metric`` changed most (largest absolute delta first)."""
        table = self.wide(metric)
        table = table[table["changed"]]
        order = table["delta"].abs().astype("float64").fillna(0).sort_values(
            ascending=False, kind="stable").index
        return table.loc[order].head(n).reset_index(drop=True)

    @property
    def changed_municipalities(self) -> list[str]:
        """Codes of the municipalities with at least one changed metric."""
        m = self.municipalities
        return sorted(set(m.loc[m["changed"], "kommun_kod"]))


def _long(before: pd.DataFrame, after: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    b = before.set_index(keys)
    a = after.set_index(keys).reindex(b.index)
    rows = []
    for column in b.columns:
        bv, av = b[column], a[column]
        numeric = (pd.api.types.is_numeric_dtype(bv) and not pd.api.types.is_bool_dtype(bv))
        if numeric:
            bf = bv.astype("float64")
            af = av.astype("float64")
            delta = af - bf
            changed = ~((bf == af) | (bf.isna() & af.isna()))
        else:
            delta = pd.Series(np.nan, index=b.index)
            bo, ao = bv.astype("object"), av.astype("object")
            changed = ~((bo == ao).fillna(False).astype(bool) | (bo.isna() & ao.isna()))
        part = pd.DataFrame({"metric": column, "before": bv.astype("object"),
                             "after": av.astype("object"), "delta": delta.astype("float64"),
                             "changed": changed.astype(bool)}, index=b.index)
        rows.append(part.reset_index())
    return pd.concat(rows, ignore_index=True)


def diff(
    baseline: Territory,
    scenario: Scenario,
    base_params: MetricParams | None = None,
) -> ScenarioDiff:
    """Compare the scenario (its edits and its parameters) with the baseline.

    The baseline is measured with ``base_params`` (default: the standard parameters), the
    scenario with its own, so a scenario that only changes the radius shows what that changes.
    """
    from smartmap.metrics import compute_metrics

    base_params = base_params or MetricParams()
    before = compute_metrics(baseline, base_params)
    after = compute_metrics(apply(baseline, scenario), scenario.parameters)
    mun = _long(before.municipalities, after.municipalities, list(KEY_COLUMNS))
    mun = mun[DIFF_COLUMNS]
    county_cols = ["area", *[c for c in COUNTY_METRICS if c in before.county.columns]]
    county = _long(before.county[county_cols], after.county[county_cols], ["area"])
    return ScenarioDiff(scenario, base_params, before, after, mun,
                        county[COUNTY_DIFF_COLUMNS])
