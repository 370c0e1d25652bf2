"""Region packages: read a package's manifest (``region.toml``) into a :class:`Region`.

A region package is a folder: the manifest plus the layer files (``docs/region-packages.md``).
The manifest says which county the package describes, the region's names, its own priority areas
and urban-core classes (ids with Swedish and English labels), which core classes are candidates
for ``nearest_core``, the population source and the year of the data. :func:`resolve_region`
decides which region a run analyses from the county asked for and the data folder:

- the folder's manifest names the county asked for (or no county was asked for): that package;
- a data folder that was *asked for* (``--data-dir`` / ``SMARTMAP_DATA_DIR``) whose manifest names
  another county is refused with a :class:`RegionError`: never silently mixed;
- the *default* folder (the shipped package) describes another county: a bare region of the asked
  county (its municipality polygons, no layers), which every face reports plainly.

>>> from smartmap.core.settings import get_settings
>>> region = load_region(get_settings().data_dir)
>>> region.county, len(region.areas) > 0
('01', True)
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from smartmap.core.errors import DataValidationError, Problem
from smartmap.core.i18n import Label
from smartmap.core.popspec import PopulationSpec
from smartmap.core.problemtext import keyed
from smartmap.core.region import GREYS, PALETTE, Region, Term, Terms

MANIFEST = "region.toml"
"""The manifest's file name inside a package."""

_HEX = set("0123456789abcdefABCDEF")


class RegionError(DataValidationError):
    """A region package cannot be used: no manifest, a broken one, or the wrong county."""


def _problem(path: Path, field: str, code: str, expected: str | None = None,
             **args: object) -> Problem:
    """A manifest problem from catalog keys (``msgctxt "problem"``) and their values."""
    return keyed(path.name, None, field, code, expected, "error", None, **args)


class _Reader:
    """Collects every problem of a manifest before refusing it (one message per field)."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[Problem] = []

    def fail(self, field: str, code: str, expected: str | None = None, **args: object) -> None:
        self.problems.append(_problem(self.path, field, code, expected, **args))

    def text(self, table: Mapping[str, Any], key: str, where: str, required: bool = True) -> str:
        value = table.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(f"{where}.{key}", "missing", "exp_text")
            return ""
        if not isinstance(value, str):
            self.fail(f"{where}.{key}", "not_text", "exp_text", value=repr(value))
            return ""
        return value.strip()

    def label(self, table: Mapping[str, Any], prefix: str, where: str,
              required: bool = True) -> Label | None:
        sv = self.text(table, f"{prefix}sv", where, required)
        en = self.text(table, f"{prefix}en", where, required)
        if not sv and not en:
            return None
        return Label(sv or en, en or sv)

    def colour(self, table: Mapping[str, Any], where: str) -> str | None:
        value = self.text(table, "colour", where, required=False)
        if value and not (len(value) == 7 and value[0] == "#" and set(value[1:]) <= _HEX):
            self.fail(f"{where}.colour", "invalid_colour", "exp_colour", value=repr(value))
            return None
        return value or None

    def terms(self, data: Mapping[str, Any], key: str, kind: str,
              palette: tuple[str, ...]) -> tuple[Terms, list[Mapping[str, Any]]]:
        raw = data.get(key, [])
        if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
            self.fail(key, "list_of_tables", None, key=key)
            return Terms(kind, default_palette=palette), []
        items: list[Term] = []
        seen: set[str] = set()
        for n, table in enumerate(raw, start=1):
            where = f"{key}[{n}]"
            term_id = self.text(table, "id", where)
            if term_id and not term_id.replace("_", "").isalnum():
                self.fail(f"{where}.id", "invalid_id", "exp_term_id", value=repr(term_id))
                continue
            if term_id == "any":
                self.fail(f"{where}.id", "any_reserved")
                continue
            if term_id in seen:
                self.fail(f"{where}.id", "duplicate_id", "exp_unique_ids_plain",
                          value=repr(term_id))
                continue
            seen.add(term_id)
            lab = self.label(table, "", where)
            if not term_id or lab is None:
                continue
            items.append(Term(term_id, lab, self.label(table, "short_", where, required=False),
                              self.colour(table, where),
                              self.label(table, "description_", where, required=False)))
        return Terms(kind, tuple(items), palette), raw


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise RegionError([_problem(path, "", "cannot_read_manifest", reason=exc.strerror)],
                          f"{path}: cannot read the region manifest") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RegionError([_problem(path, "", "not_toml", reason=exc)],
                          f"{path}: the region manifest is not valid TOML") from None


def load_region(data_dir: Path | str) -> Region:
    """The region a package folder describes, from its manifest; :class:`RegionError` otherwise."""
    region, problems = read_manifest(data_dir)
    if problems or region is None:
        path = Path(data_dir) / MANIFEST
        if not path.is_file():
            raise RegionError(problems, f"{Path(data_dir)}: no region manifest ({MANIFEST})")
        raise RegionError(problems, f"{path} is not a valid region manifest")
    return region


def read_manifest(data_dir: Path | str) -> tuple[Region | None, list[Problem]]:
    """The region a package folder describes and every problem of its manifest, without raising.

    The region is built from what could be read (a term with a bad colour keeps its id; a term
    with a bad id is left out), so a package's files can still be checked against it; it is
    ``None`` when there is no usable county (no manifest, not TOML, no or a bad county code).
    :func:`load_region` refuses a manifest with any problem.
    """
    folder = Path(data_dir)
    path = folder / MANIFEST
    if not path.is_file():
        return None, [_problem(path, "", "no_manifest", "exp_region_package_init",
                               manifest=MANIFEST, folder=folder)]
    try:
        data = _read_toml(path)
    except RegionError as exc:
        return None, exc.problems
    r = _Reader(path)
    head = data.get("region")
    if not isinstance(head, dict):
        r.fail("region", "missing_region_table")
        head = {}
    county = r.text(head, "county", "region")
    county_ok = len(county) == 2 and county.isdigit()
    if county and not county_ok:
        r.fail("region.county", "invalid_county", "exp_two_digits", value=repr(county))
    name = r.label(head, "name_", "region") or Label(county, county)
    year = head.get("data_year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)
                             or not 1900 <= year <= 2100):
        r.fail("region.data_year", "invalid_year", "exp_year_2025", value=repr(year))
        year = None
    test_data = head.get("test_data", False)
    if not isinstance(test_data, bool):
        r.fail("region.test_data", "not_true_false", "exp_bool", value=repr(test_data))
        test_data = False
    actor = r.text(head, "actor", "region", required=False) or None
    sources = head.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        r.fail("region.sources", "list_of_texts")
        sources = []
    areas, _ = r.terms(data, "areas", "area", PALETTE)
    classes, raw_classes = r.terms(data, "core_classes", "core class", GREYS)
    nearest = tuple(str(t.get("id", "")) for t in raw_classes
                    if t.get("nearest") is True and str(t.get("id", "")) in classes)
    population = _population(r, data.get("population", {}))
    if not county_ok:
        return None, r.problems
    region = Region(
        county=county, name=name, areas=areas, core_classes=classes,
        nearest_core_classes=nearest, population=population, data_year=year,
        data_dir=folder.resolve(), manifest=path.resolve(), test_data=test_data,
        sources=tuple(sources), actor=actor,
    )
    return region, r.problems


def _population(r: _Reader, table: object) -> PopulationSpec:
    """The ``[population]`` table as a validated spec (its problems named ``population.<key>``)."""
    if not isinstance(table, dict):
        r.fail("population", "population_table")
        return PopulationSpec()
    description = r.label(table, "description_", "population", required=False)
    keys = {k: v for k, v in table.items() if not str(k).startswith("description_")}
    try:
        spec = PopulationSpec.from_mapping(keys, origin=f"{MANIFEST} [population]")
    except DataValidationError as exc:
        for p in exc.problems:
            r.problems.append(replace(p, source=r.path.name, severity="error",
                                      field=f"population.{p.field}" if p.field else "population"))
        return PopulationSpec()
    return replace(spec, description=description)


def bare_region(county: str, name: str | None = None) -> Region:
    """A county without a data package: its municipality polygons only, no areas, no classes."""
    label = Label(name or county, name or county)
    return Region(county=county, name=label)


def resolve_region(county: str | None, data_dir: Path, explicit_dir: bool,
                   county_name: str | None = None) -> Region:
    """Which region a run analyses (see the module docstring for the rules).

    ``explicit_dir`` is true when the user named the data folder (flag or environment): a manifest
    for another county is then refused rather than replaced by a bare region.
    """
    folder = Path(data_dir)
    has_manifest = (folder / MANIFEST).is_file()
    if not has_manifest:
        if explicit_dir or county is None:
            load_region(folder)  # raises the "no manifest" error
        assert county is not None
        return bare_region(county, county_name)
    region = load_region(folder)
    if county is None or county == region.county:
        return region
    if explicit_dir:
        path = folder / MANIFEST
        raise RegionError(
            [_problem(path, "region.county", "package_other_county", "exp_package_for_county_or",
                      county=region.county, asked=county)],
            f"{folder}: the data package is for county {region.county}, but county {county} was "
            "asked for; refusing to mix them",
        )
    return bare_region(county, county_name)
