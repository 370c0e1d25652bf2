"""Scenarios: named, versioned lists of edits to the baseline, saved as JSON and shared as links.

A :class:`Scenario` holds its metadata, the analysis parameters and an ordered tuple of edits
(add, move, close, re-open, re-tag an environment). :func:`apply` plays the edits on an immutable
baseline and returns a new :class:`~smartmap.data.layers.Territory`; the baseline is never touched. An
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
from collections.abc import Sequence
from dataclasses import MISSING, asdict, dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd

from smartmap.analysis import assessment as assessment_mod
from smartmap.analysis.assessment import Assessment, AssessmentError
from smartmap.analysis.catalog import COUNTY_KPI_CATALOGUE
from smartmap.analysis.environments import fold
from smartmap.analysis.params import MetricParams, ParameterError
from smartmap.core import vocab
from smartmap.core.errors import Arg, Phrase
from smartmap.core.limits import (
    MAX_EDITS,
    MAX_LIST_ITEMS,
    MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
    MAX_SHARE_CHARS,
    MAX_SHARE_JSON_BYTES,
    MAX_TEXT_CHARS,
)
from smartmap.core.problemtext import KeyedError, phrase
from smartmap.core.region import Terms
from smartmap.core.settings import ANALYSIS_CRS, get_settings
from smartmap.data import safety
from smartmap.data.layers import (
    ASSIGN_OUTSIDE,
    Territory,
    assign_municipalities,
    points_from_latlon,
)

if TYPE_CHECKING:  # metrics is imported when a scenario is measured (scenario_metrics)
    from smartmap.analysis.metrics import MetricsResult

SCHEMA_VERSION = 1
FORMAT = "smartmap-scenario"


class ScenarioError(KeyedError):
    """A scenario or one of its edits was refused; the message names the edit.

    Built from a catalog text (:func:`~smartmap.core.problemtext.phrase`, ``msgctxt "problem"``,
    keys ``sc_*``): ``str()`` is English (CLI, logs), a page shows
    :func:`~smartmap.core.problemtext.error_text` in the user's language.
    """

    def __init__(self, message: str | Phrase, edit_index: int | None = None):
        self.edit_index = edit_index
        super().__init__(message)


def _edit(index: int, edit: Edit) -> Phrase:
    """``edit 3 (move 'env-1')``: which edit a message is about."""
    if edit.kind not in EDIT_TYPES:
        return phrase("sc_edit", n=index + 1, edit=edit.describe())
    ident = getattr(edit, "id", None) or getattr(edit, "name", "")
    return phrase("sc_edit", n=index + 1, edit=phrase(
        "sc_edit_named", kind=phrase(f"sc_kind_{edit.kind}"), who=safety.shown(ident, 60)))


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
        """``add 'name'`` or ``close 'id'``: the edit in a message (the text made safe to show)."""
        ident = getattr(self, "id", None) or getattr(self, "name", "")
        return f"{self.kind} '{safety.shown(ident, 60)}'"


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
    assessment: Assessment = field(default_factory=Assessment)
    """The facilitator's assessment (notes, computed lines taken out): saved with the scenario."""

    def with_edit(self, edit: Edit) -> Scenario:
        """A copy with one more edit at the end (and a new modified time)."""
        return replace(self, edits=(*self.edits, edit), modified=now_iso())

    def with_parameters(self, parameters: MetricParams) -> Scenario:
        """A copy with other parameters."""
        return replace(self, parameters=parameters, modified=now_iso())

    def with_assessment(self, assessment: Assessment) -> Scenario:
        """A copy with another assessment."""
        return replace(self, assessment=assessment, modified=now_iso())


# ---------------------------------------------------------------------------------------------
# applying


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return s[:40] or "env"


def file_name(scenario: Scenario) -> str:
    """A safe file name for saving the scenario, from its name (e.g. ``testbadd-i-norrtalje.json``).

    >>> file_name(Scenario("Testbädd i Norrtälje / v2"))
    'testbadd-i-norrtalje-v2.json'
    """
    return f"{_slug(scenario.name)}.json"


def _check_terms(index: int, edit: Edit, column: str, items: tuple[str, ...] | None,
                 enum: vocab.Vocabulary) -> str | None:
    if items is None:
        return None
    bad = [i for i in items if i not in vocab.values(enum)]
    if bad:
        raise ScenarioError(phrase(
            "sc_unknown_values", where=_edit(index, edit), column=column,
            values=safety.shown(", ".join(map(str, bad)), 80),
            allowed=", ".join(vocab.values(enum))), index)
    return vocab.join_list(items, enum)


def apply(baseline: Territory, scenario: Scenario) -> Territory:
    """The territory after the scenario's edits; the baseline itself is never changed."""
    return apply_edits(baseline, scenario.edits)


def apply_edits(
    baseline: Territory,
    edits: Sequence[Edit],
    start: Territory | None = None,
    offset: int = 0,
) -> Territory:
    """Play ``edits`` on ``start`` (default: the baseline), numbering them from ``offset``.

    ``apply_edits(b, s.edits[k:], apply_edits(b, s.edits[:k]), k)`` equals ``apply(b, s)``: the
    workshop extends the territory it already has by the one new edit instead of replaying all of
    them. Municipalities are looked up in the baseline. All locations are placed in one vectorised
    step; edits are then played in order, so the first bad edit is the one named.
    """
    start = baseline if start is None else start
    if not edits:
        return start.replace()
    names = baseline.municipalities.set_index("kommun_kod")["kommun"]
    located = _locate_all(edits, offset, baseline)
    index = _row_index(start)
    work = _Working(start.environments, index)
    for pos, edit in enumerate(edits):
        _apply_one(work, offset + pos, edit, located, names, start.region.areas)
    out = start.replace(environments=work.frame())
    n = len(start.environments)
    grown = _RowIndex(index.base, {**index.extra, **{str(r["id"]): n + j
                                                     for j, r in enumerate(work.added)}})
    out.cached(_ROW_INDEX, ("environments",), lambda _t: grown)  # the next edit starts here
    return out


_ROW_INDEX = ("scenario_row_index",)


class _RowIndex:
    """Row of each environment id (the first row with it): the start layer's ids in ``base``
    (shared along a chain of edits), the rows the chain added in ``extra``. Finding a row costs
    no pass over a large layer, so an edit of a 100,000-row layer stays cheap."""

    __slots__ = ("base", "extra")

    def __init__(self, base: dict[str, int], extra: dict[str, int]):
        self.base = base
        self.extra = extra

    def get(self, ident: str) -> int | None:
        found = self.extra.get(ident)
        return self.base.get(ident) if found is None else found

    def __contains__(self, ident: object) -> bool:
        return ident in self.extra or ident in self.base


def _row_index(territory: Territory) -> _RowIndex:
    def build(t: Territory) -> _RowIndex:
        base: dict[str, int] = {}
        for i, ident in enumerate(t.environments["id"].to_numpy(dtype=object)):
            base.setdefault(ident, i)
        return _RowIndex(base, {})

    return territory.cached(_ROW_INDEX, ("environments",), build)


class _Working:
    """The environments while edits are played: the start frame plus changed and added rows."""

    def __init__(self, env: gpd.GeoDataFrame, index: _RowIndex):
        self.env = env
        self.changes: dict[int, dict[str, object]] = {}
        self.added: list[dict[str, object]] = []
        self.index = index
        self.new: dict[str, int] = {}

    def __contains__(self, ident: object) -> bool:
        return ident in self.new or ident in self.index

    def _find(self, ident: str) -> tuple[bool, int] | None:
        if ident in self.new:
            return True, self.new[ident]
        found = self.index.get(ident)
        return None if found is None else (False, found)

    def row(self, index: int, edit: Edit) -> dict[str, object]:
        """The changes dict of the row the edit names (refused when no row has the id)."""
        ident = getattr(edit, "id", None)
        hit = self._find(ident) if isinstance(ident, str) else None
        if hit is None:
            raise ScenarioError(phrase("sc_no_such_env", where=_edit(index, edit),
                                       id=safety.preview(ident)), index)
        new, i = hit
        return self.added[i] if new else self.changes.setdefault(i, {})

    def add(self, row: dict[str, object]) -> None:
        self.new[str(row["id"])] = len(self.added)
        self.added.append(row)

    def frame(self) -> gpd.GeoDataFrame:
        env = self.env
        if self.changes:
            env = env.copy()
            position = {c: i for i, c in enumerate(env.columns)}
            for i, change in self.changes.items():
                for column, value in change.items():
                    env.iat[i, position[column]] = value
        if self.added:
            dtypes = {c: t for c, t in env.dtypes.items() if c != "geometry"}
            rows = [{c: row.get(c, pd.NA) for c in env.columns} for row in self.added]
            addition = gpd.GeoDataFrame(
                pd.DataFrame(rows, columns=env.columns).astype(dtypes),
                geometry="geometry", crs=ANALYSIS_CRS,
            )
            env = pd.concat([env, addition], ignore_index=True)
        return gpd.GeoDataFrame(env, geometry="geometry", crs=ANALYSIS_CRS)


def _locate_all(edits: Sequence[Edit], offset: int,
                territory: Territory) -> dict[int, tuple[object, str] | ScenarioError]:
    """Geometry and municipality of every edit with a location (or the error to raise for it)."""
    out: dict[int, tuple[object, str] | ScenarioError] = {}
    todo: list[tuple[int, AddEnvironment | MoveEnvironment, float, float]] = []
    for pos, edit in enumerate(edits):
        if not isinstance(edit, AddEnvironment | MoveEnvironment):
            continue
        index = offset + pos
        lat, lon = edit.lat, edit.lon
        try:
            lat_f, lon_f = float(lat), float(lon)
        except (TypeError, ValueError, OverflowError):
            out[index] = ScenarioError(phrase("sc_coords_not_numbers", where=_edit(index, edit),
                                              lat=safety.preview(lat, 30),
                                              lon=safety.preview(lon, 30)), index)
            continue
        if not (np.isfinite(lat_f) and np.isfinite(lon_f) and -90 <= lat_f <= 90
                and -180 <= lon_f <= 180):
            out[index] = ScenarioError(phrase("sc_invalid_coords", where=_edit(index, edit),
                                              lat=repr(lat), lon=repr(lon)), index)
            continue
        todo.append((index, edit, lat_f, lon_f))
    if not todo:
        return out
    geoms = points_from_latlon(pd.DataFrame({"lat": [t[2] for t in todo],
                                             "lon": [t[3] for t in todo]}))
    tolerance = get_settings().assign_tolerance_m
    assigned = assign_municipalities(geoms, territory.municipalities, tolerance)
    known = set(territory.municipalities["kommun_kod"])
    for (index, edit, lat_f, lon_f), geom, code, rule in zip(
            todo, geoms.to_numpy(), assigned["kommun_kod"], assigned["rule"], strict=True):
        if rule == ASSIGN_OUTSIDE:
            out[index] = ScenarioError(phrase(
                "sc_outside_county", where=_edit(index, edit), lat=f"{lat_f:.5f}",
                lon=f"{lon_f:.5f}", km=f"{tolerance / 1000:g}"), index)
        elif edit.kommun_kod is not None and edit.kommun_kod not in known:
            out[index] = ScenarioError(phrase("sc_code_not_in_county", where=_edit(index, edit),
                                              code=safety.preview(edit.kommun_kod)), index)
        else:
            out[index] = (geom, str(edit.kommun_kod if edit.kommun_kod is not None else code))
    return out


def _located(located: dict[int, tuple[object, str] | ScenarioError],
             index: int) -> tuple[object, str]:
    found = located[index]
    if isinstance(found, ScenarioError):
        raise found
    return found


def _apply_one(work: _Working, index: int, edit: Edit,
               located: dict[int, tuple[object, str] | ScenarioError], names: pd.Series,
               areas: Terms) -> None:
    if isinstance(edit, AddEnvironment):
        if not str(edit.name).strip():
            raise ScenarioError(phrase("sc_add_needs_name", n=index + 1), index)
        for column, value, enum in (("env_type", edit.env_type, vocab.EnvType),
                                    ("governance_level", edit.governance_level, vocab.Level),
                                    ("status", edit.status, vocab.Status)):
            if value not in vocab.values(enum):
                raise ScenarioError(phrase(
                    "sc_unknown_value", where=_edit(index, edit), column=column,
                    value=safety.preview(value), allowed=", ".join(vocab.values(enum))), index)
        area_list = _check_terms(index, edit, "priority_areas", edit.priority_areas, areas)
        services = _check_terms(index, edit, "services", edit.services, vocab.Service)
        geom, code = _located(located, index)
        new_id = edit.id or f"scenario-{index + 1}-{_slug(edit.name)}"
        if new_id in work:
            raise ScenarioError(phrase("sc_id_used", where=_edit(index, edit),
                                       id=safety.preview(new_id)), index)
        work.add({
            "id": new_id, "name": edit.name, "env_type": edit.env_type, "kommun_kod": code,
            "kommun": names.get(code, pd.NA), "lat": float(edit.lat), "lon": float(edit.lon),
            "priority_areas": area_list or "", "services": services or "",
            "host_organisation": edit.host_organisation or pd.NA,
            "governance_level": edit.governance_level, "status": edit.status,
            "notes": "added in a scenario", "geometry": geom,
        })
        return
    row = work.row(index, edit)
    if isinstance(edit, MoveEnvironment):
        geom, code = _located(located, index)
        row.update({"lat": float(edit.lat), "lon": float(edit.lon), "kommun_kod": code,
                    "kommun": names.get(code, pd.NA), "geometry": geom})
    elif isinstance(edit, CloseEnvironment):
        row["status"] = vocab.Status.CLOSED.value
    elif isinstance(edit, ReopenEnvironment):
        row["status"] = vocab.Status.ACTIVE.value
    elif isinstance(edit, RetagEnvironment):
        area_list = _check_terms(index, edit, "priority_areas", edit.priority_areas, areas)
        services = _check_terms(index, edit, "services", edit.services, vocab.Service)
        if area_list is not None:
            row["priority_areas"] = area_list
        if services is not None:
            row["services"] = services
    else:  # pragma: no cover - EDIT_TYPES is closed
        raise ScenarioError(phrase("sc_unknown_edit_kind", n=index + 1, kind=repr(edit.kind)),
                            index)


CHANGE_COLUMNS: tuple[str, ...] = ("name", "env_type", "kommun_kod", "lat", "lon",
                                   "priority_areas", "services", "host_organisation",
                                   "governance_level", "status")
"""Columns an edit can change; :func:`changed_ids` compares them."""


def changed_ids(before: pd.DataFrame, after: pd.DataFrame) -> list[str]:
    """Ids of the environments that differ between two environment layers (added, removed, or
    with another location, status, tags ...), sorted.

    >>> a = pd.DataFrame({"id": ["x", "y"], "status": ["active", "active"]})
    >>> changed_ids(a, a.assign(status=["active", "closed"])), changed_ids(a, a.head(1))
    (['y'], ['y'])
    """
    cols = [c for c in CHANGE_COLUMNS if c in before.columns and c in after.columns]

    def rows(frame: pd.DataFrame) -> dict[object, tuple[object, ...]]:
        values = frame[cols].to_numpy(dtype=object, copy=True)
        missing = pd.isna(values)
        values[missing] = None  # NaN != NaN: compare missing as equal
        return dict(zip(frame["id"].to_numpy(dtype=object)[::-1], map(tuple, values[::-1]),
                        strict=True))  # reversed: the first row of a duplicated id wins

    b, a = rows(before), rows(after)
    differ = {i for i in b.keys() & a.keys() if b[i] != a[i]}
    return sorted(str(i) for i in (b.keys() ^ a.keys()) | differ)


# ---------------------------------------------------------------------------------------------
# files and links


def to_dict(scenario: Scenario) -> dict[str, Any]:
    """The JSON-ready form of a scenario (lists for tuples, ``kind`` on each edit)."""
    def plain(value: object) -> object:
        if isinstance(value, tuple):
            return [str(v) for v in value]
        return value

    out: dict[str, Any] = {
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
    if not scenario.assessment.is_empty:  # optional member: files without it stay as they were
        out["assessment"] = assessment_mod.to_dict(scenario.assessment)
    return out


def dumps(scenario: Scenario, indent: int | None = 2) -> str:
    """Scenario as JSON text."""
    return json.dumps(to_dict(scenario), ensure_ascii=False, indent=indent, allow_nan=False)


SCENARIO_TEXTS: tuple[tuple[str, bool, int], ...] = (
    ("name", True, MAX_NAME_CHARS),
    ("author", True, MAX_NAME_CHARS),
    ("description", False, MAX_TEXT_CHARS),
    ("created", True, MAX_NAME_CHARS),
    ("modified", True, MAX_NAME_CHARS),
)
"""A scenario's own texts: (field, one line?, most characters). Every text of an edit is one line
of at most ``MAX_NAME_CHARS``."""


def _check_text(value: str, where: Arg, one_line: bool, limit: int,
                index: int | None = None) -> None:
    issue = safety.text_issue(value, limit=limit, one_line=one_line)
    if issue is not None:
        raise ScenarioError(phrase("sc_text_issue", where=where, issue=issue), index)


def check_limits(scenario: Scenario) -> Scenario:
    """The scenario, if it keeps the bounds of ``core.limits`` (else a ScenarioError naming the
    edit and field): at most ``MAX_EDITS`` edits, texts of bounded length without control
    characters, bidirectional controls or unpaired surrogates (and without line breaks except in
    the description), lists of at most ``MAX_LIST_ITEMS`` items.

    The reader (:func:`from_dict`) and the workshop (:meth:`Workshop.change`) both call it, so a
    scenario made in the app always loads back from its file or link.
    """
    if len(scenario.edits) > MAX_EDITS:
        raise ScenarioError(phrase("sc_too_many_edits", n=len(scenario.edits), max=MAX_EDITS))
    for name, one_line, limit in SCENARIO_TEXTS:
        value = getattr(scenario, name)
        if isinstance(value, str):
            _check_text(value, name, one_line, limit)
    for index, edit in enumerate(scenario.edits):
        for f in fields(edit):
            value = getattr(edit, f.name)
            where = phrase("sc_edit_field", edit=_edit(index, edit), field=f.name)
            if isinstance(value, str):
                _check_text(value, where, True, MAX_NAME_CHARS, index)
            elif isinstance(value, tuple):
                if len(value) > MAX_LIST_ITEMS:
                    raise ScenarioError(phrase("sc_list_has_items", where=where, n=len(value),
                                               max=MAX_LIST_ITEMS), index)
                for item in value:
                    if isinstance(item, str):
                        _check_text(item, phrase("sc_item", where=where), True, MAX_NAME_CHARS,
                                    index)
    for number, note in enumerate(scenario.assessment.notes, start=1):
        _check_text(note.text, phrase("sc_note_text", n=number), False, MAX_NOTE_CHARS)
    return scenario


def _tuple(value: object, where: Arg, index: int | None = None) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ScenarioError(phrase("sc_expected_text_list", where=where,
                                   value=safety.preview(value)), index)
    if len(value) > MAX_LIST_ITEMS:
        raise ScenarioError(phrase("sc_list_items", where=where, n=len(value),
                                   max=MAX_LIST_ITEMS), index)
    return tuple(value)


def _number(value: object, where: Arg, index: int) -> float:
    """A coordinate from a file: a finite number a float can hold (not a bool, not text)."""
    message = phrase("sc_not_a_float", where=where, value=safety.preview(value, 40))
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(message, index)
    try:
        number = float(value)
    except OverflowError:
        raise ScenarioError(message, index) from None
    if not np.isfinite(number):
        raise ScenarioError(message, index)
    return number


def _edit_from(index: int, data: object) -> Edit:
    where = phrase("sc_edit_n", n=index + 1)
    if not isinstance(data, dict):
        raise ScenarioError(phrase("sc_expected_object", where=where, type=type(data).__name__),
                            index)
    kind = data.get("kind")
    if kind not in EDIT_TYPES:
        raise ScenarioError(phrase("sc_unknown_kind", where=where, kind=safety.preview(kind, 40),
                                   allowed=", ".join(EDIT_TYPES)), index)
    cls = EDIT_TYPES[kind]
    allowed = {f.name: f for f in fields(cls)}
    extra = set(data) - set(allowed) - {"kind"}
    if extra:
        raise ScenarioError(phrase("sc_unknown_fields", where=where, kind=kind,
                                   fields=safety.shown(", ".join(sorted(extra)), 80)), index)
    kwargs: dict[str, Any] = {}
    for name, value in data.items():
        if name == "kind":
            continue
        if name in ("priority_areas", "services"):
            kwargs[name] = (None if value is None
                            else _tuple(value, phrase("sc_kind_field", where=where, kind=kind,
                                                      field=name), index))
        elif name in ("lat", "lon"):
            kwargs[name] = _number(value, phrase("sc_kind_colon_field", where=where, kind=kind,
                                                 field=name), index)
        elif value is not None and not isinstance(value, str):
            raise ScenarioError(phrase("sc_field_not_text", where=where, kind=kind, field=name,
                                       value=safety.preview(value, 40)), index)
        else:
            kwargs[name] = value
    missing = [f.name for f in fields(cls) if f.name not in kwargs
               and f.default is MISSING and f.default_factory is MISSING]
    if missing:
        raise ScenarioError(phrase("sc_missing_fields", where=where, kind=kind,
                                   fields=", ".join(missing)), index)
    return cls(**kwargs)


def from_dict(data: object) -> Scenario:
    """A scenario from its JSON form; refuses anything malformed or out of bounds (``core.limits``)
    with a clear message naming the edit and field."""
    if not isinstance(data, dict):
        raise ScenarioError(phrase("sc_not_object"))
    if data.get("format", FORMAT) != FORMAT:
        raise ScenarioError(phrase("sc_not_scenario", format=safety.preview(data.get("format"),
                                                                             40)))
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ScenarioError(phrase("sc_no_version"))
    if version > SCHEMA_VERSION:
        raise ScenarioError(phrase("sc_newer", version=safety.preview(version, 30),
                                   supported=SCHEMA_VERSION))
    if version < SCHEMA_VERSION:
        raise ScenarioError(phrase("sc_older", version=safety.preview(version, 30),
                                   supported=SCHEMA_VERSION))
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ScenarioError(phrase("sc_needs_name"))
    for key in ("author", "description", "created", "modified"):
        if not isinstance(data.get(key, ""), str):
            raise ScenarioError(phrase("sc_key_not_text", key=key))
    params = data.get("parameters", {})
    if not isinstance(params, dict):
        raise ScenarioError(phrase("sc_params_not_object"))
    unknown = set(params) - {f.name for f in fields(Parameters)}
    if unknown:
        raise ScenarioError(phrase("sc_params_unknown",
                                   fields=safety.shown(", ".join(sorted(unknown)), 80)))
    try:
        parameters = MetricParams(
            radius_km=params.get("radius_km", 10.0),
            include_planned=params.get("include_planned", False),
            env_types=None if params.get("env_types") is None
            else _tuple(params["env_types"], phrase("sc_parameter", field="env_types")),
            core_classes=None if params.get("core_classes") is None
            else _tuple(params["core_classes"], phrase("sc_parameter", field="core_classes")),
        )
    except (TypeError, ParameterError) as exc:
        said = exc.phrase if isinstance(exc, ParameterError) and exc.phrase else str(exc)
        raise ScenarioError(phrase("sc_params_error", error=said)) from None
    edits = data.get("edits", [])
    if not isinstance(edits, list):
        raise ScenarioError(phrase("sc_edits_not_list"))
    if len(edits) > MAX_EDITS:
        raise ScenarioError(phrase("sc_too_many_edits", n=len(edits), max=MAX_EDITS))
    try:
        assessment = assessment_mod.from_dict(data.get("assessment"))
    except AssessmentError as exc:
        raise ScenarioError(phrase("sc_assessment_error", error=exc.phrase or str(exc))) from None
    return check_limits(Scenario(
        name=name,
        edits=tuple(_edit_from(i, e) for i, e in enumerate(edits)),
        parameters=parameters,
        author=data.get("author", ""),
        description=data.get("description", ""),
        created=data.get("created", ""),
        modified=data.get("modified", ""),
        schema_version=version,
        assessment=assessment,
    ))


def loads(text: str | bytes, source: str | Phrase = "scenario",
          max_bytes: int | None = None) -> Scenario:
    """Parse a scenario file's content; refuses corrupt, truncated, oversized, too deeply nested
    or otherwise unbounded input with a clear message (never a traceback). ``source`` names the
    input in messages: a file name, or a catalog text (the shared link)."""
    limit = max_bytes if max_bytes is not None else get_settings().max_scenario_bytes
    source = safety.file_label(source) if isinstance(source, str) else source
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if len(raw) > limit:
        raise ScenarioError(phrase("sc_file_too_big", source=source, mb=f"{len(raw) / 1e6:.1f}",
                                   limit=f"{limit / 1e6:g}"))
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScenarioError(phrase("sc_not_utf8", source=source)) from None
    if not decoded.strip():
        raise ScenarioError(phrase("sc_file_empty", source=source))
    try:
        data = safety.load_json(decoded)
    except safety.InputRefused as exc:
        p = exc.problem
        assert p.code is not None and p.expected_code is not None  # InputRefused is keyed
        raise ScenarioError(phrase("sc_input_refused", source=source,
                                   message=Phrase(p.code, p.args),
                                   expected=Phrase(p.expected_code, p.args))) from None
    except json.JSONDecodeError as exc:
        raise ScenarioError(phrase("sc_invalid_json", source=source, line=exc.lineno,
                                   column=exc.colno, reason=exc.msg)) from None
    try:
        return from_dict(data)
    except ScenarioError as exc:
        raise ScenarioError(phrase("sc_in_source", source=source, error=exc.phrase or str(exc)),
                            exc.edit_index) from None


def to_share_token(scenario: Scenario) -> str:
    """A URL-safe token holding the scenario (compressed JSON), for a share link's query."""
    packed = zlib.compress(dumps(scenario, indent=None).encode("utf-8"), 9)
    token = base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")
    if len(token) > MAX_SHARE_CHARS:
        raise ScenarioError(phrase("sc_link_too_long", n=len(token)))
    return token


def from_share_token(token: str) -> Scenario:
    """The scenario in a share token, read by the same bounded reader as files (:func:`loads`);
    refuses damaged, oversized or hostile tokens with a ScenarioError."""
    if not isinstance(token, str) or not token or len(token) > MAX_SHARE_CHARS:
        raise ScenarioError(phrase("sc_link_invalid"))
    try:
        packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        d = zlib.decompressobj()
        raw = d.decompress(packed, MAX_SHARE_JSON_BYTES)
    except (ValueError, zlib.error):
        raise ScenarioError(phrase("sc_link_damaged")) from None
    if d.unconsumed_tail:
        raise ScenarioError(phrase("sc_link_too_big", kib=MAX_SHARE_JSON_BYTES // 1024))
    return loads(raw, source=phrase("sc_shared_link"), max_bytes=MAX_SHARE_JSON_BYTES)


# ---------------------------------------------------------------------------------------------
# comparing with the baseline

KEY_COLUMNS = ("kommun_kod", "kommun")
DIFF_COLUMNS = ["kommun_kod", "kommun", "metric", "before", "after", "delta", "changed"]
COUNTY_DIFF_COLUMNS = ["area", "metric", "before", "after", "delta", "changed"]
COUNTY_METRICS = tuple(k.metric for k in COUNTY_KPI_CATALOGUE)
"""The county KPIs a diff compares (the catalogue's, in its order)."""
CHANGE_TOLERANCE = 1e-9
"""Float noise: two numbers differ ("changed") when ``|after - before|`` exceeds this times
``max(1, |before|, |after|)``; far below anything a table or a map shows (docs/scenarios.md)."""


def numbers_changed(before: npt.ArrayLike, after: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """The one definition of a changed number: beyond float noise (:data:`CHANGE_TOLERANCE`), or
    missing on exactly one side. Two missing values are equal.

    >>> numbers_changed(np.array([1.0, 0.1 + 0.2, np.nan, np.nan, 0.0]),
    ...                 np.array([2.0, 0.3, np.nan, 0.0, 1e-12])).tolist()
    [True, False, False, True, False]
    """
    b = np.asarray(before, dtype=np.float64)
    a = np.asarray(after, dtype=np.float64)
    scale = np.fmax(1.0, np.fmax(np.abs(b), np.abs(a)))
    with np.errstate(invalid="ignore"):
        differ = np.abs(a - b) > CHANGE_TOLERANCE * scale
    return np.where(np.isnan(a) | np.isnan(b), np.isnan(a) != np.isnan(b), differ)


@dataclass(frozen=True)
class ScenarioDiff:
    """Per-municipality and county deltas of every metric between a reference and a scenario.

    The reference is the baseline (``reference`` None, measured with ``base_params``) or another
    scenario. ``municipalities`` is long: one row per municipality and metric with ``before``
    (reference), ``after`` (scenario), ``delta`` (after - before for numbers, NA otherwise) and
    ``changed``. ``county`` is the same for the county KPIs per area. ``before``/``after`` are the
    full metric results.
    """

    scenario: Scenario
    base_params: MetricParams
    before: MetricsResult
    after: MetricsResult
    municipalities: pd.DataFrame
    county: pd.DataFrame
    reference: Scenario | None = None

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

    def county_value(self, area: str, metric: str) -> tuple[object, object, float]:
        """(before, after, delta) of one county KPI, e.g. ``("any", "cov")``."""
        c = self.county
        row = c[(c["area"] == area) & (c["metric"] == metric)]
        if row.empty:
            raise KeyError(f"unknown county KPI {area!r}/{metric!r}")
        first = row.iloc[0]
        return first["before"], first["after"], float(first["delta"])

    def changes(self) -> pd.DataFrame:
        """Every changed (municipality, metric) row of ``municipalities``, in metric-then-code
        order: the list behind :attr:`changed_municipalities`, so a count and a listing agree."""
        m = self.municipalities
        return m[m["changed"]].reset_index(drop=True)

    @property
    def changed_municipalities(self) -> list[str]:
        """Codes of the municipalities with at least one changed metric (:meth:`changes`)."""
        return sorted(set(self.changes()["kommun_kod"]))


def _long(before: pd.DataFrame, after: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Before/after/delta/changed per key row and metric column, in column-then-row order.

    Built from whole-table numpy conversions and assembled once (the workshop calls this after
    every edit). ``delta`` is after - before for numbers (not yes/no), NA otherwise; ``changed``
    is :func:`numbers_changed` for numbers, inequality for yes/no and text, two missing values
    being equal. Rows of ``after`` are matched to ``before`` by the keys.
    """
    columns = [c for c in before.columns if c not in keys]
    b = before.reset_index(drop=True)
    rows = pd.MultiIndex.from_frame(after[keys]).get_indexer(pd.MultiIndex.from_frame(b[keys]))
    a = after.reset_index(drop=True).take(np.where(rows >= 0, rows, 0))
    a = a.reset_index(drop=True)
    n, k = len(b), len(columns)
    dtypes = before.dtypes
    numeric = np.array([pd.api.types.is_numeric_dtype(dtypes[c])
                        and not pd.api.types.is_bool_dtype(dtypes[c]) for c in columns], dtype=bool)
    bo = b[columns].to_numpy(dtype=object)
    ao = a[columns].to_numpy(dtype=object, copy=True)
    missing = rows < 0
    if missing.any():
        ao[missing] = None
    delta = np.full((n, k), np.nan)
    changed = np.zeros((n, k), dtype=bool)
    if numeric.any():
        cols = [c for c, is_num in zip(columns, numeric, strict=True) if is_num]
        bf = b[cols].to_numpy(dtype="float64", na_value=np.nan)
        af = a[cols].to_numpy(dtype="float64", na_value=np.nan, copy=True)
        af[missing] = np.nan
        delta[:, numeric] = af - bf
        changed[:, numeric] = numbers_changed(bf, af)
    for j in np.flatnonzero(~numeric):
        bm, am = pd.isna(bo[:, j]), pd.isna(ao[:, j])
        equal = np.fromiter((not (x or y) and bool(p == q)
                             for x, y, p, q in zip(bm, am, bo[:, j], ao[:, j], strict=True)),
                            dtype=bool, count=n)
        changed[:, j] = ~(equal | (bm & am))
    frame = pd.DataFrame({
        **{key: np.tile(b[key].to_numpy(dtype=object), k) for key in keys},
        "metric": np.repeat(np.array(columns, dtype=object), n),
        "before": bo.ravel(order="F"),
        "after": ao.ravel(order="F"),
        "delta": delta.ravel(order="F"),
        "changed": changed.ravel(order="F"),
    })
    return frame.astype({key: dtypes[key] for key in keys} | {"metric": "str"})


def scenario_metrics(
    baseline: Territory,
    scenario: Scenario | None,
    base_params: MetricParams | None = None,
    radius_curve: bool = True,
    territory: Territory | None = None,
) -> MetricsResult:
    """The metrics of a scenario (its edits applied, its parameters), or of the baseline.

    ``scenario`` None means the baseline with ``base_params`` (default: the standard
    parameters), cached per parameter set (:func:`smartmap.analysis.metrics.cached_metrics`).
    ``radius_curve`` False skips the 50-radius sensitivity curve (an empty table), which the
    workshop does not show after every edit. ``territory`` is the scenario already applied, when
    the caller has it.
    """
    from smartmap.analysis.metrics import RADII_KM, cached_metrics, compute_metrics

    if scenario is None:
        return cached_metrics(baseline, base_params or MetricParams())
    applied = territory if territory is not None else apply(baseline, scenario)
    return compute_metrics(applied, scenario.parameters, radii=RADII_KM if radius_curve else ())


def compare_results(before: MetricsResult, after: MetricsResult, scenario: Scenario,
                    reference: Scenario | None = None,
                    metrics: Sequence[str] | None = None) -> ScenarioDiff:
    """The deltas between two computed :class:`~smartmap.analysis.metrics.MetricsResult` (before =
    reference, after = scenario); ``metrics`` limits the municipality table to those columns
    (the workshop shows one at a time; default: every column)."""
    keys = list(KEY_COLUMNS)
    b, a = before.municipalities, after.municipalities
    if metrics is not None:
        b, a = b[[*keys, *metrics]], a[[*keys, *metrics]]
    mun = _long(b, a, keys)[DIFF_COLUMNS]
    county_cols = ["area", *[c for c in COUNTY_METRICS if c in before.county.columns]]
    county = _long(before.county[county_cols], after.county[county_cols], ["area"])
    return ScenarioDiff(scenario, before.params, before, after, mun,
                        county[COUNTY_DIFF_COLUMNS], reference)


EFFECTS: tuple[str, ...] = ("edits", "parameters", "both")
"""What a comparison isolates (docs/scenarios.md "Comparing"):

- ``edits``: the reference and the scenario both measured with the scenario's parameters, so the
  delta is the effect of the edits alone (the workshop's default);
- ``parameters``: the reference's own edits measured with its parameters and with the scenario's,
  so the delta is the effect of the parameters alone;
- ``both``: each side with its own edits and parameters (the effect of both together)."""


def sides(reference: Scenario | None, scenario: Scenario, effect: str = "both",
          base_params: MetricParams | None = None
          ) -> tuple[tuple[tuple[Edit, ...], MetricParams], tuple[tuple[Edit, ...], MetricParams]]:
    """The (edits, parameters) measured on each side of a comparison with ``effect``.

    The reference is another scenario or, for None, the baseline: no edits, ``base_params``
    (default: the standard parameters).

    >>> sc = Scenario("R15", edits=(CloseEnvironment(id="x"),), parameters=MetricParams(radius_km=15))
    >>> [(len(e), p.radius_km) for e, p in sides(None, sc, "edits")]
    [(0, 15.0), (1, 15.0)]
    >>> [(len(e), p.radius_km) for e, p in sides(None, sc, "parameters")]
    [(0, 10.0), (0, 15.0)]
    >>> [(len(e), p.radius_km) for e, p in sides(None, sc, "both")]
    [(0, 10.0), (1, 15.0)]
    """
    if effect not in EFFECTS:
        raise ValueError(f"effect must be one of {', '.join(EFFECTS)}, got {effect!r}")
    ref_edits = () if reference is None else reference.edits
    ref_params = (base_params or MetricParams()) if reference is None else reference.parameters
    if effect == "edits":
        return (ref_edits, scenario.parameters), (scenario.edits, scenario.parameters)
    if effect == "parameters":
        return (ref_edits, ref_params), (ref_edits, scenario.parameters)
    return (ref_edits, ref_params), (scenario.edits, scenario.parameters)


def measure(baseline: Territory, edits: tuple[Edit, ...], params: MetricParams,
            radius_curve: bool = True) -> MetricsResult:
    """The metrics of the baseline after ``edits``, with ``params`` (no edits: cached)."""
    if not edits:
        return scenario_metrics(baseline, None, params)
    return scenario_metrics(baseline, Scenario("measured", edits=edits, parameters=params),
                            radius_curve=radius_curve)


def compare(
    baseline: Territory,
    reference: Scenario | None,
    scenario: Scenario,
    base_params: MetricParams | None = None,
    radius_curve: bool = False,
    effect: str = "both",
) -> ScenarioDiff:
    """Compare ``scenario`` with ``reference``: another scenario, or the baseline when None.

    ``effect`` chooses what the delta isolates (:data:`EFFECTS`, :func:`sides`); with the default
    ``both`` each scenario is measured with its own parameters and the baseline with
    ``base_params`` (default: the standard parameters). ``radius_curve`` as in
    :func:`scenario_metrics`.
    """
    (ref_edits, ref_params), (edits, params) = sides(reference, scenario, effect, base_params)
    before = measure(baseline, ref_edits, ref_params, radius_curve)
    after = measure(baseline, edits, params, radius_curve)
    return compare_results(before, after, scenario, reference)


def diff(
    baseline: Territory,
    scenario: Scenario,
    base_params: MetricParams | None = None,
    radius_curve: bool = True,
    effect: str = "both",
) -> ScenarioDiff:
    """Compare the scenario with the baseline (``effect`` as in :func:`compare`).

    With the default ``both`` the baseline is measured with ``base_params`` (default: the
    standard parameters), the scenario with its own, so a scenario that only changes the radius
    shows what that changes; ``effect="edits"`` measures the baseline with the scenario's
    parameters, so only the edits show. ``radius_curve`` False leaves the scenario's
    radius-sensitivity curve empty (faster).
    """
    return compare(baseline, None, scenario, base_params, radius_curve, effect)
