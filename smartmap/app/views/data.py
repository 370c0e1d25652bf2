"""The "your data" page: a user's environments for this session only, or the shipped ones.

``read_upload`` turns an uploaded file into an outcome (accepted with its assignments and
warnings, or refused with one line per problem) and never raises for bad input;
``data_header`` and ``outcome_view`` are what the page shows for the session's upload and the
last file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from smartmap.app.views.common import readable, translator
from smartmap.core import vocab
from smartmap.core.errors import DataValidationError, Problem, SmartmapError, problems_frame
from smartmap.core.settings import Settings
from smartmap.data import userfiles
from smartmap.data.layers import Territory
from smartmap.data.safety import file_label

MODES = ("add", "replace")
FILE_TYPES = ("csv", "txt", "geojson", "json", "gpkg")


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
                lang: vocab.Lang) -> DataHeader:
    """The header for the session's upload (``override``; none: the shipped data)."""
    t = translator(lang)
    if override is not None:
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
        problems = readable(problems_frame(outcome.problems)[["row", "field", "message",
                                                             "expected"]])
        problems.columns = [t("col_row"), t("col_field"), t("col_problem"), t("col_expected")]
        return OutcomeView(refused=t("data_refused", name=outcome.name, n=len(outcome.problems)),
                           problems=problems)
    if not outcome.warnings:
        return OutcomeView(assignments_heading=t("data_assignments"),
                           assignments=outcome.assignments)
    return OutcomeView(assignments_heading=t("data_assignments"), assignments=outcome.assignments,
                       warnings_note=t("data_warnings", n=len(outcome.warnings)),
                       warnings=readable(problems_frame(outcome.warnings)[["row", "field",
                                                                           "message"]]))


def example_table() -> pd.DataFrame:
    """One row of a valid environments file, shown in the format help."""
    return pd.DataFrame([{
        "name": "Exempel Lab", "env_type": "testbed", "lat": 59.3293, "lon": 18.0686,
        "priority_areas": "ict;climate_urban", "host_organisation": "Exempel AB",
        "governance_level": "private", "services": "testbed_access", "status": "active",
    }])
