"""The "your data" page's view-model (smartmap.app.views.data), without streamlit."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmap.app.views import data as view
from smartmap.core.settings import get_settings

IO = Path(__file__).resolve().parent / "data" / "io"


@pytest.fixture(scope="module")
def settings():
    return get_settings()


def test_a_good_file_is_accepted_with_its_assignments(territory, settings):
    content = (IO / "envs_excel_sv.csv").read_bytes()
    outcome, override = view.read_upload(content, "envs_excel_sv.csv", territory, settings, "add")
    assert outcome.kind == "ok" and outcome.name == "envs_excel_sv.csv" and not outcome.problems
    assert override is not None and override.mode == "add"
    assert len(outcome.assignments) == len(override.frame) > 0
    assert territory.environments is not override.frame  # the baseline is untouched


@pytest.mark.parametrize("name", ["broken_excel_export.csv", "invalid.json", "empty.csv"])
def test_a_bad_file_is_refused_with_its_problems_never_raised(territory, settings, name):
    content = (IO / "bad" / name).read_bytes()
    outcome, override = view.read_upload(content, name, territory, settings, "add")
    assert outcome.kind == "refused" and override is None and outcome.problems
    assert all(p.source == name for p in outcome.problems)


def test_refused_report_names_rows_in_both_languages(territory, settings):
    content = (IO / "bad" / "broken_excel_export.csv").read_bytes()
    outcome, _ = view.read_upload(content, "broken_excel_export.csv", territory, settings, "add")
    sv, en = view.outcome_view(outcome, "sv"), view.outcome_view(outcome, "en")
    assert list(sv.problems.columns) == ["Rad", "Fält", "Problem", "Förväntat"]
    assert list(en.problems.columns) == ["Row", "Field", "Problem", "Expected"]
    assert len(sv.problems) == len(outcome.problems) >= 3 and sv.problems.iloc[:, 0].notna().any()
    assert "broken_excel_export.csv" in sv.refused and "togs inte emot" in sv.refused
    assert "broken_excel_export.csv" in en.refused and sv.assignments is None


def test_nothing_to_report_before_the_first_file():
    empty = view.outcome_view(None, "en")
    assert empty.refused is None and empty.assignments is None and empty.warnings is None


def test_add_and_replace(territory, settings):
    content = (IO / "envs_excel_sv.csv").read_bytes()
    _, add = view.read_upload(content, "f.csv", territory, settings, "add")
    replace = view.EnvOverride("replace", add.frame, add.name)
    added = view.session_territory(territory, add).environments
    replaced = view.session_territory(territory, replace).environments
    assert len(replaced) == len(add.frame)
    same_id = set(add.frame["id"]) & set(territory.environments["id"])
    assert len(added) == len(territory.environments) + len(add.frame) - len(same_id)
    assert view.session_territory(territory, None) is territory


def test_a_shipped_id_is_replaced_not_doubled(territory):
    base = territory.environments
    mine = base.head(2).assign(name=["A", "B"])
    combined = view.combine_environments(base, mine, "add")
    assert len(combined) == len(base)
    assert set(combined.set_index("id").loc[list(mine["id"]), "name"]) == {"A", "B"}


@pytest.mark.parametrize("lang, shipped", [("sv", "De levererade data används"),
                                           ("en", "The shipped data are in use")])
def test_header_says_whose_data_are_in_use(territory, settings, lang, shipped):
    header = view.data_header(territory, None, settings, lang)
    assert header.status[0] == "info"
    assert header.status[1].startswith(shipped)
    assert str(len(territory.environments)) in header.status[1]
    mb = settings.max_upload_bytes // (1024 * 1024)
    assert str(mb) in header.intro
    override = view.EnvOverride("replace", territory.environments.head(3), "mine.csv")
    mine = view.data_header(territory, override, settings, lang)
    assert mine.status[0] == "success" and "mine.csv" in mine.status[1] and "3" in mine.status[1]
    assert view.data_header(territory, None, settings, "sv").title != \
        view.data_header(territory, None, settings, "en").title


def test_upload_digest_tells_files_apart():
    assert view.upload_digest(b"a", "x.csv") == view.upload_digest(b"a", "x.csv")
    assert view.upload_digest(b"a", "x.csv") != view.upload_digest(b"a", "y.csv")
    assert view.upload_digest(b"a", "x.csv") != view.upload_digest(b"b", "x.csv")
