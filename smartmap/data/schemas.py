"""Column contracts of every tabular layer, their checks, and typed conversion.

Each layer is described once by a list of :class:`Field`. :func:`validate_text` runs each field's
vectorised checks on the raw text table (every cell a string, empty = missing, so ``0114`` stays
``0114``) and turns each failure into a :class:`~smartmap.core.errors.Problem` naming the file, the row
as a spreadsheet counts it (header = row 1) and the field. :func:`to_typed` then converts the
checked text into proper dtypes. (The checks are plain numpy/pandas masks: a schema library such as
pandera added about a second to every cold start for the same result.)

>>> import pandas as pd
>>> table = pd.DataFrame({"kommun_kod": ["0180", "180"], "kommun": ["Stockholm", ""]}, dtype=str)
>>> [str(p) for p in validate_text(table, MUNICIPALITY_FIELDS[:2], "m.csv")]
["m.csv, row 3, field 'kommun': empty value in a required field (expected text)", "m.csv, row 3, field 'kommun_kod': invalid value '180' (expected a four-digit municipality code such as 0180)"]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Literal, TypeAlias, TypedDict, Unpack

import numpy as np
import pandas as pd

from smartmap.core import lists, vocab
from smartmap.core.errors import Problem
from smartmap.core.problemtext import keyed
from smartmap.core.region import Region, Terms

RegionVocabulary = Literal["areas", "core_classes"]
"""A vocabulary each region defines in its manifest (an attribute of :class:`Region`)."""

Kind = Literal[
    "id", "text", "code", "code_list", "enum", "enum_list", "float", "int", "year", "bool"
]

CODE_PATTERN = r"^\d{4}$"
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"


@dataclass(frozen=True)
class Field:
    """One column: its kind, whether it must exist and be filled, and its allowed values."""

    name: str
    kind: Kind
    required: bool = True
    nullable: bool = True
    enum: type[StrEnum] | Terms | RegionVocabulary | None = None
    """Allowed values: a code-defined enum, or a region's own vocabulary (bound by :func:`bind`)."""
    low: float | None = None
    high: float | None = None
    extra_values: tuple[str, ...] = ()
    """Values allowed besides the enum's (e.g. ``eu``/``national``/``county`` in a code list)."""


class FieldOptions(TypedDict, total=False):
    """The keyword arguments of :class:`Field` (so that ranges like :data:`LAT` can be shared)."""

    required: bool
    nullable: bool
    enum: type[StrEnum] | Terms | RegionVocabulary | None
    low: float | None
    high: float | None
    extra_values: tuple[str, ...]


def _f(name: str, kind: Kind, **kw: Unpack[FieldOptions]) -> Field:
    return Field(name, kind, **kw)


LAT = FieldOptions(low=-90.0, high=90.0)
LON = FieldOptions(low=-180.0, high=180.0)

ENVIRONMENT_FIELDS: tuple[Field, ...] = (
    _f("id", "id", nullable=False),
    _f("name", "text", nullable=False),
    _f("env_type", "enum", nullable=False, enum=vocab.EnvType),
    _f("kommun_kod", "code", nullable=False),
    _f("kommun", "text"),
    _f("lat", "float", **LAT),
    _f("lon", "float", **LON),
    _f("address", "text", required=False),
    _f("priority_areas", "enum_list", enum="areas"),
    _f("host_organisation", "text"),
    _f("governance_level", "enum", nullable=False, enum=vocab.Level),
    _f("services", "enum_list", enum=vocab.Service),
    _f("founded", "year", required=False),
    _f("website", "text", required=False),
    _f("source_url", "text", required=False),
    _f("status", "enum", nullable=False, enum=vocab.Status),
    _f("notes", "text", required=False),
)

MUNICIPALITY_FIELDS: tuple[Field, ...] = (
    _f("kommun_kod", "code", nullable=False),
    _f("kommun", "text", nullable=False),
    _f("population", "int", low=0),
    _f("population_year", "year"),
    _f("land_area_km2", "float", low=0),
    _f("skr_group_code", "text", required=False),
    _f("skr_group_name", "text", required=False),
    _f("rural_archipelago", "bool", required=False),
    _f("source_url", "text", required=False),
    _f("notes", "text", required=False),
)

URBAN_CORE_FIELDS: tuple[Field, ...] = (
    _f("core_id", "id", nullable=False),
    _f("name", "text", nullable=False),
    _f("core_class", "enum", nullable=False, enum="core_classes"),
    _f("kommun_koder", "code_list", nullable=False),
    _f("lat", "float", **LAT),
    _f("lon", "float", **LON),
    _f("approx_radius_km", "float", required=False, low=0),
    _f("description", "text", required=False),
    _f("source_url", "text", required=False),
)

SETTLEMENT_FIELDS: tuple[Field, ...] = (
    _f("settlement_id", "id", nullable=False),
    _f("name", "text", nullable=False),
    _f("kommun_kod", "code", nullable=False),
    _f("population", "int", low=0),
    _f("population_year", "year"),
    _f("lat", "float", **LAT),
    _f("lon", "float", **LON),
    _f("source_url", "text", required=False),
    _f("notes", "text", required=False),
)

POPULATION_POINT_FIELDS: tuple[Field, ...] = (
    _f("point_id", "id", nullable=False),
    _f("name", "text", nullable=False),
    _f("kommun_kod", "code", nullable=False),
    _f("kind", "enum", enum=vocab.PopulationKind),
    _f("population", "int", low=0),
    _f("population_year", "year"),
    _f("lat", "float", **LAT),
    _f("lon", "float", **LON),
    _f("source_url", "text", required=False),
    _f("coord_source_url", "text", required=False),
    _f("notes", "text", required=False),
)

ACTOR_FIELDS: tuple[Field, ...] = (
    _f("actor_id", "id", nullable=False),
    _f("name", "text", nullable=False),
    _f("level", "enum", nullable=False, enum=vocab.Level),
    _f("actor_type", "enum", nullable=False, enum=vocab.ActorType),
    _f("role", "text", required=False),
    _f(
        "territory",
        "code_list",
        nullable=False,
        extra_values=tuple(vocab.values(vocab.Scope)),
    ),
    _f("country", "text", required=False),
    _f("source_url", "text", required=False),
)

LINK_FIELDS: tuple[Field, ...] = (
    _f("from_actor_id", "id", nullable=False),
    _f("to_actor_id", "id", nullable=False),
    _f("relation", "enum", nullable=False, enum=vocab.Relation),
    _f("source_url", "text", required=False),
)


PRIORITY_FIELDS: tuple[Field, ...] = (
    _f("priority_id", "id", nullable=False),
    _f("level", "enum", nullable=False, enum=vocab.TerritorialLevel),
    _f("territory_id", "id", nullable=False),
    _f("territory_name", "text"),
    _f("kommun_koder", "code_list", nullable=False),
    _f("area", "enum", enum="areas"),
    _f("niche", "text"),
    _f("wording", "text", nullable=False),
    _f("document_title", "text", nullable=False),
    _f("document_year", "year"),
    _f("publisher", "text", nullable=False),
    _f("source_url", "text", nullable=False),
    _f("accessed", "text"),
    _f("read_via", "text", required=False),
    _f("standing", "enum", nullable=False, enum=vocab.Standing),
    _f("review", "text", required=False),
    _f("notes", "text", required=False),
)
"""What each territorial level states as its priorities, with the document that states it
(docs/alignment.md, "The priorities layer")."""

COLLABORATION_FIELDS: tuple[Field, ...] = (
    _f("collab_id", "id", nullable=False),
    _f("name", "text", nullable=False),
    _f("kind", "enum", nullable=False, enum=vocab.CollaborationKind),
    _f("kommun_koder", "code_list", nullable=False),
    _f("host_or_secretariat", "text", required=False),
    _f("founded", "text", required=False),
    _f("year", "year", required=False),
    _f("source_url", "text", nullable=False),
    _f("read_via", "text", required=False),
    _f("notes", "text", required=False),
)
"""Sub-regional collaborations of municipalities and their members."""

EMPLOYMENT_FIELDS: tuple[Field, ...] = (
    _f("kommun_kod", "code", nullable=False),
    _f("year", "year", nullable=False),
    _f("industry_code", "text", nullable=False),
    _f("industry_label", "text", required=False),
    _f("employed", "int", nullable=False, low=0),
    _f("measure", "text", required=False),
    _f("source_url", "text", nullable=False),
    _f("notes", "text", required=False),
)
"""Employment (or workplaces) by industry code per municipality: the business base."""

INDUSTRY_AREA_FIELDS: tuple[Field, ...] = (
    _f("industry_code", "text", nullable=False),
    _f("area", "enum", nullable=False, enum="areas"),
    _f("industry_label", "text", required=False),
    _f("source_url", "text", nullable=False),
    _f("notes", "text", required=False),
)
"""The crosswalk from industry codes to the region's priority areas."""


def bind(fields: Sequence[Field], region: Region) -> tuple[Field, ...]:
    """The fields with the region's own vocabularies (areas, core classes) filled in.

    >>> from smartmap.core.region import Region, Term, Terms
    >>> from smartmap.core.i18n import Label
    >>> r = Region("99", Label("T", "T"), areas=Terms("area", (Term("x", Label("X", "X")),)))
    >>> [f.enum.ids for f in bind(ENVIRONMENT_FIELDS, r) if f.name == "priority_areas"]
    [('x',)]
    """
    return tuple(
        replace(f, enum=getattr(region, f.enum)) if isinstance(f.enum, str) else f for f in fields
    )


def field_vocabulary(field: Field) -> type[StrEnum] | Terms:
    """The field's vocabulary; a region vocabulary must have been bound (:func:`bind`)."""
    if field.enum is None or isinstance(field.enum, str):
        raise TypeError(f"field {field.name!r}: its vocabulary {field.enum!r} is not bound to a "
                        "region (schemas.bind)")
    return field.enum


def _blank(s: pd.Series) -> pd.Series[bool]:
    return s.isna() | (s.astype("str").str.strip() == "")


def _as_float(s: pd.Series) -> pd.Series[float]:
    return pd.to_numeric(s.astype("str").str.strip().replace("", None), errors="coerce")


def _expected(field: Field) -> tuple[str, dict[str, str]]:
    """The catalog key (``msgctxt "problem"``) of what a field accepts, and its values."""
    if field.kind in ("enum", "enum_list"):
        allowed = ", ".join(vocab.values(field_vocabulary(field)))
        if not allowed:  # a region without priority areas (a bare county, a new package)
            return "exp_empty_no_terms", {}
        return ("exp_one_of" if field.kind == "enum" else "exp_list_of"), {"allowed": allowed}
    if field.kind == "code_list" and field.extra_values:
        return "exp_code_list_or", {"extra": ", ".join(field.extra_values)}
    if field.kind == "float":
        bounds = {name: f"{value:g}" for name, value in (("low", field.low), ("high", field.high))
                  if value is not None}
        key = {("low", "high"): "exp_decimal_from_to", ("low",): "exp_decimal_from",
               ("high",): "exp_decimal_to"}.get(tuple(bounds), "exp_decimal")
        return key, bounds
    if field.kind == "int":
        return ("exp_whole_nonneg" if field.low == 0 else "exp_whole"), {}
    return {
        "id": "exp_id",
        "text": "exp_text",
        "code": "exp_code",
        "code_list": "exp_code_list",
        "year": "exp_year",
        "bool": "exp_bool",
    }[field.kind], {}


def _value_check(field: Field) -> Callable[[pd.Series], pd.Series]:
    """Vectorised validity of the non-blank values of one column (blank handled separately)."""
    kind = field.kind

    def check(s: pd.Series) -> pd.Series:
        blank = _blank(s)
        text = s.astype("str").str.strip()
        if kind == "id":
            ok = text.str.fullmatch(ID_PATTERN)
        elif kind == "code":
            ok = text.str.fullmatch(CODE_PATTERN)
        elif kind == "code_list":
            allowed = set(field.extra_values)
            verdict = {
                v: all(p.strip() in allowed or re.fullmatch(CODE_PATTERN, p.strip()) is not None
                       for p in lists.split(v))
                for v in text.unique()
            }
            ok = text.map(verdict)
        elif kind == "enum":
            ok = text.isin(vocab.values(field_vocabulary(field)))
        elif kind == "enum_list":
            enum = field_vocabulary(field)
            verdict = {v: not vocab.unknown_in_list(v, enum) for v in text.unique()}
            ok = text.map(verdict)
        elif kind in ("float", "int"):
            num = _as_float(text)
            ok = num.notna() & np.isfinite(num.fillna(0))
            if kind == "int":
                ok &= (num.fillna(0) % 1) == 0
            if field.low is not None:
                ok &= num.fillna(field.low) >= field.low
            if field.high is not None:
                ok &= num.fillna(field.high) <= field.high
        elif kind == "year":
            num = _as_float(text)
            ok = text.str.fullmatch(r"\d{4}") & num.between(1800, 2100)
        elif kind == "bool":
            ok = text.str.lower().isin(["true", "false"])
        else:
            ok = pd.Series(True, index=s.index)
        return ok.fillna(False).astype(bool) | blank

    return check


def _describe_failure(field: Field, value: object) -> tuple[str, str]:
    """The catalog key of what is wrong with a value, and the value as messages show it."""
    text = "" if value is None else str(value)
    if field.kind == "enum_list" and field.enum is not None:
        unknown = vocab.unknown_in_list(text, field_vocabulary(field))
        return "unknown_values", ", ".join(repr(u) for u in unknown)
    if field.kind == "enum":
        return "unknown_value", repr(text)
    if field.kind in ("float", "int"):
        num = _as_float(pd.Series([text]))[0]
        if pd.isna(num) or not np.isfinite(num):
            return "not_a_number", repr(text)
        return "out_of_range", repr(text)
    return "invalid_value", repr(text)


def validate_text(
    table: pd.DataFrame,
    fields: Sequence[Field],
    source: str,
    row_offset: int = 2,
    id_column: str | None = None,
) -> list[Problem]:
    """Check a raw text table against its fields; one Problem per bad row and field.

    ``row_offset`` turns the 0-based position into the row number a person sees (2 for a CSV with
    a header line; 1 for GeoJSON features). A missing required column is one problem without a
    row; its values are not checked further.
    """
    problems: list[Problem] = []
    ids = None
    if id_column and id_column in table.columns:
        raw_ids = table[id_column]
        ids = raw_ids.astype("str").to_numpy(dtype=object, copy=True)
        ids[_blank(raw_ids).to_numpy()] = None
    for field in fields:
        expected, expected_args = _expected(field)
        if field.name not in table.columns:
            if field.required:
                problems.append(keyed(source, None, field.name, "missing_column", expected,
                                      **expected_args))
            continue
        column = table[field.name]
        blank = _blank(column).to_numpy()
        bad_value = ~_value_check(field)(column).to_numpy()
        bad_blank = blank & (not field.nullable)
        for pos in np.flatnonzero(bad_blank | bad_value):
            record_id = None if ids is None else ids[pos]
            code, value = (("empty_required", "") if bad_blank[pos]
                           else _describe_failure(field, column.iloc[pos]))
            problems.append(keyed(source, int(pos) + row_offset, field.name, code, expected,
                                  "error", record_id, value=value, **expected_args))
    problems.sort(key=lambda p: (p.row if p.row is not None else -1, p.field or ""))
    return problems


TypedColumn: TypeAlias = "pd.Series[float] | pd.Series[int] | pd.Series[bool] | pd.Series[str]"
"""A column of :func:`to_typed`: float64, Int64, boolean (nullable), or str."""


def to_typed(table: pd.DataFrame, fields: Sequence[Field]) -> pd.DataFrame:
    """Convert a checked text table into typed columns, in field order (missing optional -> NA)."""
    out: dict[str, TypedColumn] = {}
    for field in fields:
        if field.name in table.columns:
            raw = table[field.name]
        else:
            raw = pd.Series([""] * len(table), index=table.index, dtype="str")
        text = raw.astype("str").str.strip()
        blank = _blank(raw)
        col: TypedColumn
        if field.kind in ("float",):
            col = _as_float(text).astype("float64")
        elif field.kind in ("int", "year"):
            col = _as_float(text).round().astype("Int64")
        elif field.kind == "bool":
            col = text.str.lower().map({"true": True, "false": False}).astype("boolean")
        elif field.kind == "enum_list":
            enum = field_vocabulary(field)
            canonical = {v: vocab.join_list(lists.split(v), enum) for v in text.unique()}
            col = text.map(canonical).astype("str")
        elif field.kind == "code_list":
            col = text.map(lists.normalise).astype("str")
        else:
            col = text.where(~blank, None).astype("str")
        out[field.name] = col
    return pd.DataFrame(out, index=table.index)


def field_names(fields: Sequence[Field]) -> list[str]:
    """Column names of a layer, in order."""
    return [f.name for f in fields]
