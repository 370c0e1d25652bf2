"""The "your data" page: a user's environments, or a whole region package, for this session only.

``read_upload`` turns an uploaded environments file into an outcome (accepted with its
assignments and warnings, or refused with one line per problem) and never raises for bad input;
``read_package_upload`` does the same for a region package (a zip of the folder, or its files):
accepted, it becomes the session's :class:`SessionPackage`, whose territory replaces the shipped
baseline for this session only. ``data_header``, ``outcome_view`` and ``package_view`` are what
the page shows.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from smartmap.app.views.common import readable, translator
from smartmap.core import vocab
from smartmap.core.errors import DataValidationError, Problem, SmartmapError
from smartmap.core.problemtext import localized_frame
from smartmap.core.settings import EXCHANGE_CRS, Settings
from smartmap.data import package, schemas, userfiles
from smartmap.data.bundle import BundleLimits, OpenedPackage, open_bundle
from smartmap.data.layers import Territory
from smartmap.data.safety import file_label
from smartmap.data.schemas import ENVIRONMENT_FIELDS

MODES = ("add", "replace")
FILE_TYPES = ("csv", "txt", "geojson", "json", "gpkg")
PACKAGE_TYPES = ("zip", "toml", "csv", "md", "txt", "gpkg", "geojson", "json")
"""What the package uploader offers: a zip, or the files of a package."""
PACKAGE_PROBLEM_COLUMNS = ("severity", "source", "row", "record_id", "field", "message",
                           "expected")


@dataclass(frozen=True)
class EnvOverride:
    """The session's own environments: ``add``-ed to the shipped ones or in their place."""

    mode: str
    frame: gpd.GeoDataFrame
    name: str


@dataclass(frozen=True)
class UploadOutcome:
    """What became of the last file: ``ok`` (with its assignments) or ``refused``."""

    kind: str
    name: str
    problems: tuple[Problem, ...] = ()
    assignments: pd.DataFrame | None = None
    warnings: tuple[Problem, ...] = field(default_factory=tuple)


def combine_environments(
    base: gpd.GeoDataFrame, uploaded: gpd.GeoDataFrame, mode: str
) -> gpd.GeoDataFrame:
    """The environments after an upload: ``replace`` uses only the file; ``add`` appends it,
    and a row whose id is already shipped replaces that shipped row (same id = same entity)."""
    if mode == "replace":
        return uploaded.copy(deep=False)
    kept = base.loc[~base["id"].isin(set(uploaded["id"]))]
    combined = pd.concat([kept, uploaded], ignore_index=True)
    return gpd.GeoDataFrame(combined, geometry="geometry", crs=base.crs)


def session_territory(baseline: Territory, override: EnvOverride | None) -> Territory:
    """The territory a session works on: the baseline, or with the user's environments."""
    if override is None:
        return baseline
    return baseline.replace(environments=combine_environments(
        baseline.environments, override.frame, override.mode))


def upload_digest(content: bytes, name: str) -> str:
    """Identifies a file (content and name), so that a rerun does not read it again."""
    return hashlib.sha256(content + name.encode()).hexdigest()


def read_upload(content: bytes, name: str, baseline: Territory, settings: Settings,
                mode: str) -> tuple[UploadOutcome, EnvOverride | None]:
    """Read an uploaded environments file: the outcome, and the override when it was accepted.

    Any refusal becomes a list of problems (row, field, what is wrong), never an exception. The
    file name is shown as messages show it (invisible characters escaped, long names shortened).
    """
    label = file_label(name)
    try:
        result = userfiles.read_environments(content, baseline, name=name, settings=settings)
    except DataValidationError as exc:
        return UploadOutcome("refused", label, problems=tuple(exc.problems)), None
    except SmartmapError as exc:  # any other refusal: one line, never a traceback
        return UploadOutcome("refused", label,
                             problems=(Problem(label, None, None, str(exc)),)), None
    outcome = UploadOutcome("ok", label, assignments=result.assignments,
                            warnings=tuple(result.warnings))
    return outcome, EnvOverride(mode, result.environments, label)


@dataclass(frozen=True)
class DataHeader:
    """The top of the page: title, what a file may be, whose environments are in use."""

    title: str
    intro: str
    status: tuple[str, str]
    """(``success`` or ``info``, sentence)."""


def data_header(baseline: Territory, override: EnvOverride | None, settings: Settings,
                lang: vocab.Lang, package: SessionPackage | None = None) -> DataHeader:
    """The header for the session's upload (``override``; none: the shipped data) and its
    region package (``package``; ``baseline`` is then the package's territory)."""
    t = translator(lang)
    if override is None and package is not None:
        status = ("success", package_in_use(package, lang))
    elif override is not None:
        status = ("success", t("data_in_use", name=override.name, n=len(override.frame),
                               mode=t("data_mode_" + override.mode)))
    else:
        status = ("info", t("data_shipped", n=len(baseline.environments)))
    return DataHeader(t("page_data"), t("data_intro", mb=settings.max_upload_bytes // (1024 * 1024)),
                      status)


@dataclass(frozen=True)
class OutcomeView:
    """What became of the last file: the problems of a refused one, or the assignments and
    warnings of an accepted one."""

    refused: str | None = None
    problems: pd.DataFrame | None = None
    """One row per problem (row, field, problem, expected), headers translated."""
    assignments_heading: str | None = None
    assignments: pd.DataFrame | None = None
    warnings_note: str | None = None
    warnings: pd.DataFrame | None = None


def outcome_view(outcome: UploadOutcome | None, lang: vocab.Lang) -> OutcomeView:
    """The report on the last file (nothing before the first)."""
    t = translator(lang)
    if outcome is None:
        return OutcomeView()
    if outcome.kind == "refused":
        problems = readable(localized_frame(outcome.problems, lang)[["row", "field", "message",
                                                                     "expected"]])
        problems.columns = [t("col_row"), t("col_field"), t("col_problem"), t("col_expected")]
        return OutcomeView(refused=t("data_refused", name=outcome.name, n=len(outcome.problems)),
                           problems=problems)
    if not outcome.warnings:
        return OutcomeView(assignments_heading=t("data_assignments"),
                           assignments=outcome.assignments)
    return OutcomeView(assignments_heading=t("data_assignments"), assignments=outcome.assignments,
                       warnings_note=t("data_warnings", n=len(outcome.warnings)),
                       warnings=readable(localized_frame(outcome.warnings, lang)[["row", "field",
                                                                                  "message"]]))


def template_csv(lang: vocab.Lang) -> bytes:
    """An empty environments file for Swedish Excel: the headers in ``lang`` (semicolons, UTF-8
    with BOM), ready to fill in and upload.

    >>> template_csv("sv").decode("utf-8-sig").splitlines()[0].split(";")[:3]
    ['id', 'namn', 'typ']
    """
    headers = [userfiles.header(f.name, lang) for f in ENVIRONMENT_FIELDS]
    return ("\ufeff" + ";".join(headers) + "\r\n").encode("utf-8")


def column_guide(territory: Territory, lang: vocab.Lang) -> pd.DataFrame:
    """The columns of an environments file, in the page: both languages' names, whether it is
    required in an upload, the values it accepts (the region's own areas) and what it means."""
    t = translator(lang)
    fields = schemas.bind(userfiles.USER_FIELDS, territory.region)
    order = [f.name for f in ENVIRONMENT_FIELDS]
    by_name = {f.name: f for f in fields}
    rows = []
    for name in order:
        if name in ("lat", "lon"):
            f = next(f for f in ENVIRONMENT_FIELDS if f.name == name)
        else:
            f = by_name[name]
        rows.append({
            t("data_guide_col_sv"): userfiles.header(name, "sv"),
            t("data_guide_col_en"): userfiles.header(name, "en"),
            t("data_guide_col_required"): package.required_text(f, lang),
            t("data_guide_col_allowed"): package.allowed_values(f, lang).replace("`", ""),
            t("data_guide_col_meaning"): package.column_description("environments", name, lang),
        })
    return pd.DataFrame(rows)


def example_table(territory: Territory) -> pd.DataFrame:
    """One row of a valid environments file for the territory's region, shown in the format
    help: its own priority areas and a point inside its first municipality."""
    first = territory.municipalities.geometry.iloc[[0]].representative_point()
    point = first.to_crs(EXCHANGE_CRS).iloc[0]
    lon, lat = point.x, point.y
    return pd.DataFrame([{
        "name": "Exempel Lab", "env_type": "testbed", "lat": round(lat, 4), "lon": round(lon, 4),
        "priority_areas": ";".join(territory.region.area_ids[:2]),
        "host_organisation": "Exempel AB", "governance_level": "private",
        "services": "testbed_access", "status": "active",
    }])


# ---------------------------------------------------------------------------------------------
# a whole region package


@dataclass
class SessionPackage:
    """A region package this session brought: its territory is the session's baseline."""

    name: str
    token: str
    """Identifies the upload (its files' digest): the workshop starts afresh when it changes."""
    territory: Territory
    opened: OpenedPackage
    """Keeps the unpacked files (a population grid is read from them) while the session uses it."""


@dataclass(frozen=True)
class PackageOutcome:
    """What became of the last package: ``ok`` or ``refused``, with every problem."""

    kind: str
    name: str
    problems: tuple[Problem, ...] = ()
    region: str | None = None
    county: str | None = None
    test_data: bool = False


def package_digest(files: list[tuple[str, bytes]]) -> str:
    """Identifies a set of uploaded files (names and contents)."""
    h = hashlib.sha256()
    for name, content in sorted(files):
        h.update(name.encode() + b"\0" + hashlib.sha256(content).digest())
    return h.hexdigest()


def read_package_upload(files: list[tuple[str, bytes]], settings: Settings, lang: vocab.Lang
                        ) -> tuple[PackageOutcome, SessionPackage | None]:
    """Unpack and check an uploaded package: the outcome, and the session's package when it was
    accepted. Never raises for bad input (``lang``: the language of the region's name; the
    problems are shown in the user's language by :func:`package_problems_table`)."""
    opened = open_bundle(files, BundleLimits.from_settings(settings))
    check = opened.check
    region = check.region
    outcome = PackageOutcome(
        "ok" if opened.accepted else "refused", opened.name, tuple(check.shown()),
        None if region is None else region.name(lang), None if region is None else region.county,
        bool(region is not None and region.test_data))
    if not opened.accepted or check.territory is None:
        opened.close()
        return outcome, None
    return outcome, SessionPackage(opened.name, package_digest(files), check.territory, opened)


def package_in_use(package: SessionPackage, lang: vocab.Lang) -> str:
    """The sentence that says which package the session analyses."""
    region = package.territory.region
    return translator(lang)("data_package_in_use", region=region.name(lang), county=region.county,
                            name=package.name, n_mun=len(package.territory.municipalities),
                            n_env=len(package.territory.environments))


@dataclass(frozen=True)
class PackageView:
    """What became of the last package: a headline (kind, text) and its problems."""

    headline: tuple[str, str] | None = None
    problems: pd.DataFrame | None = None
    """One row per problem (severity, file, row, id, field, problem, expected), headers
    translated; errors first."""
    warnings_note: str | None = None
    test_note: str | None = None


def package_problems_table(problems: tuple[Problem, ...], lang: vocab.Lang) -> pd.DataFrame:
    """Problems as a table in ``lang``: translated headers, messages and severities (file, row
    and field of each)."""
    t = translator(lang)
    table = localized_frame(problems, lang)[list(PACKAGE_PROBLEM_COLUMNS)]
    names = {"source": "col_file", "message": "col_problem"}
    table.columns = [t(names.get(c, "col_" + c)) for c in table.columns]
    return table


def package_view(outcome: PackageOutcome | None, lang: vocab.Lang) -> PackageView:
    """The report on the last package (nothing before the first)."""
    t = translator(lang)
    if outcome is None:
        return PackageView()
    table = package_problems_table(outcome.problems, lang) if outcome.problems else None
    if outcome.kind == "refused":
        errors = sum(p.severity == "error" for p in outcome.problems)
        return PackageView(("error", t("data_package_refused", name=outcome.name, n=errors)),
                           table)
    warnings = [p for p in outcome.problems if p.severity == "warning"]
    return PackageView(
        ("success", t("data_package_accepted", name=outcome.name, region=outcome.region,
                      county=outcome.county)), table,
        t("data_package_warnings", n=len(warnings)) if warnings else None,
        t("data_package_test") if outcome.test_data else None)
