"""Which population source a region's analysis uses: the ``[population]`` table of its manifest.

A spec is a validated record (no files are read here): ``kind`` is ``points`` (the shipped points
model), ``grid`` (SCB "statistik på rutor", GEOSTAT) or ``areas`` (DeSO/RegSO polygons with a
population table). :func:`smartmap.data.popsources.population_source_from_spec` turns it into a
source; ``docs/population.md`` describes every key.

>>> spec = PopulationSpec.from_mapping({"kind": "grid", "file": "befolkning_1km.csv",
...                                     "format": "scb", "spread": 2})
>>> spec.kind, spec.format, spec.spread, spec.cell_size_m
('grid', 'scb', 2, None)
>>> PopulationSpec.from_mapping({"kind": "grid", "format": "scb"})
Traceback (most recent call last):
...
smartmap.core.errors.DataValidationError: population source: 1 problem(s)
- population source, field 'file': missing: a grid needs its file (expected a path relative to the data folder, e.g. 'befolkning_1km_2024.gpkg')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import PurePath
from typing import Any, Literal

from smartmap.core.errors import DataValidationError, Problem
from smartmap.core.i18n import Label
from smartmap.core.problemtext import keyed

SpecKind = Literal["points", "grid", "areas"]
GridFormat = Literal["scb", "geostat"]
SPEC_KINDS: tuple[str, ...] = ("points", "grid", "areas")
GRID_FORMATS: tuple[str, ...] = ("scb", "geostat")
MAX_SPREAD = 10
"""Largest k of a k x k spread (100 points per cell)."""
SPEC_ORIGIN = "population source"
_EXPECT_FILE = "exp_relative_path"
"""A catalog key (``msgctxt "problem"``), as every expectation here."""


@dataclass(frozen=True)
class PopulationSpec:
    """Which population source a region uses: the ``[population]`` table of its manifest.

    ``kind`` is ``points`` (the shipped model, no other key), ``grid`` (``file``, ``format`` =
    ``scb`` | ``geostat``, optional ``cell_size_m``, ``layer``, ``id_column``,
    ``population_column``, ``year``) or ``areas`` (``file`` with the polygons, ``table`` with the
    populations, optional ``layer``, ``code_column``, ``table_code_column``, ``kommun_column``,
    ``population_column``, ``year``). ``spread`` (1-10, grids and areas) shares each cell's or
    area's people over k x k points. Paths are relative to the data folder. Invalid specs raise a
    :class:`DataValidationError` naming each bad field.
    """

    kind: SpecKind = "points"
    file: str | None = None
    format: GridFormat | None = None
    cell_size_m: int | None = None
    spread: int = 1
    layer: str | None = None
    id_column: str | None = None
    population_column: str | None = None
    year: int | None = None
    table: str | None = None
    code_column: str | None = None
    table_code_column: str | None = None
    kommun_column: str | None = None
    origin: str = field(default=SPEC_ORIGIN, compare=False, repr=False)
    """Where the spec came from (e.g. ``geodata/region.toml [population]``), for messages."""
    description: Label | None = field(default=None, compare=False, repr=False)
    """What the source is, in words (the manifest's ``description_sv``/``description_en``)."""

    def __post_init__(self) -> None:
        problems = _spec_problems(self)
        if problems:
            raise DataValidationError(problems, f"{self.origin}: {len(problems)} problem(s)")

    @classmethod
    def from_mapping(cls, table: Mapping[str, object],
                     origin: str = SPEC_ORIGIN) -> PopulationSpec:
        """A spec from a parsed TOML/JSON table; unknown keys and wrong types are refused."""
        if not isinstance(table, Mapping):
            raise DataValidationError([keyed(origin, None, None, "not_a_table",
                                             "exp_population_table",
                                             type=type(table).__name__)],
                                      f"{origin}: not a table")
        names = {f.name for f in fields(cls)} - {"origin", "description"}
        problems = [keyed(origin, None, str(key), "unknown_key", "exp_one_of_plain",
                          allowed=", ".join(sorted(names)))
                    for key in table if key not in names]
        if problems:
            raise DataValidationError(problems, f"{origin}: {len(problems)} problem(s)")
        kwargs: dict[str, Any] = {str(k): v for k, v in table.items()}
        return cls(**kwargs, origin=origin)

    def to_mapping(self) -> dict[str, object]:
        """The non-default keys, as a manifest would hold them (``from_mapping`` reads it back)."""
        out: dict[str, object] = {"kind": self.kind}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name not in ("kind", "origin", "description") and value != f.default:
                out[f.name] = value
        return out


_SPEC_KEYS: dict[str, frozenset[str]] = {
    "points": frozenset({"kind", "year"}),
    "grid": frozenset({"kind", "file", "format", "cell_size_m", "spread", "layer", "id_column",
                       "population_column", "year"}),
    "areas": frozenset({"kind", "file", "table", "spread", "layer", "code_column",
                        "table_code_column", "kommun_column", "population_column", "year"}),
}


def _spec_problems(spec: PopulationSpec) -> list[Problem]:
    origin = spec.origin
    out: list[Problem] = []

    def bad(field_name: str, code: str, expected: str, **args: object) -> None:
        out.append(keyed(origin, None, field_name, code, expected, **args))

    if spec.kind not in SPEC_KINDS:
        bad("kind", "unknown_kind", "exp_one_of_plain", kind=repr(spec.kind),
            allowed=", ".join(SPEC_KINDS))
        return out
    for f in fields(spec):
        value = getattr(spec, f.name)
        if f.name in ("kind", "origin", "description") or value == f.default:
            continue
        if f.name not in _SPEC_KEYS[spec.kind]:
            bad(f.name, "key_not_used_by_kind", "exp_only", kind=repr(spec.kind),
                allowed=", ".join(sorted(_SPEC_KEYS[spec.kind])))
        elif f.name in ("cell_size_m", "spread", "year"):
            if not isinstance(value, int) or isinstance(value, bool):
                bad(f.name, "not_whole_number", "exp_integer", value=repr(value))
        elif not isinstance(value, str) or not value.strip():
            bad(f.name, "not_nonempty_text", "exp_a_text", value=repr(value))
    if out:
        return out
    if spec.kind == "points":
        return out
    needed = ("file", "format") if spec.kind == "grid" else ("file", "table")
    for name in needed:
        if getattr(spec, name) is None:
            expect = {"file": _EXPECT_FILE, "format": "exp_one_of_plain",
                      "table": "exp_relative_csv"}[name]
            bad(name, f"{spec.kind}_needs_{name}", expect, allowed=", ".join(GRID_FORMATS))
    for name in ("file", "table"):
        value = getattr(spec, name)
        if value is not None and (PurePath(value).is_absolute() or re.match(r"^[A-Za-z]:", value)):
            bad(name, "absolute_path", _EXPECT_FILE, value=repr(value))
    if spec.format is not None and spec.format not in GRID_FORMATS:
        bad("format", "unknown_grid_format", "exp_one_of_plain", value=repr(spec.format),
            allowed=", ".join(GRID_FORMATS))
    if spec.cell_size_m is not None and not 1 <= spec.cell_size_m <= 100_000:
        bad("cell_size_m", "not_a_cell_size", "exp_cell_size_range", value=spec.cell_size_m)
    if not 1 <= spec.spread <= MAX_SPREAD:
        bad("spread", "spread_out_of_range", "exp_spread_range", value=spec.spread,
            max=MAX_SPREAD)
    if spec.year is not None and not 1900 <= spec.year <= 2100:
        bad("year", "implausible_year", "exp_year_such_as", value=spec.year)
    return out
