"""The "your data" page's view-model (smartmap.app.views.data), without streamlit."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmap.app.views import data as view
from smartmap.core import vocab
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


# --- a whole region package ------------------------------------------------------------------


@pytest.fixture(scope="module")
def package_files(tmp_path_factory) -> list[tuple[str, bytes]]:
    from tests.second_region import make_test_region

    folder = make_test_region(tmp_path_factory.mktemp("views") / "uppsala")
    return [(p.name, p.read_bytes()) for p in sorted(folder.iterdir())]


@pytest.mark.parametrize("lang, words", [
    ("sv", ("togs emot", "Din session analyserar Testregion Uppsala (län 03)", "testdata")),
    ("en", ("was accepted", "Your session analyses Test region Uppsala (county 03)", "test data")),
])
def test_an_accepted_package_becomes_the_sessions_baseline(package_files, settings, territory,
                                                          lang, words):
    outcome, package = view.read_package_upload(package_files, settings, lang)
    assert outcome.kind == "ok" and package is not None
    assert package.territory.region.county == "03" and len(package.territory.municipalities) == 8
    assert package.token == view.package_digest(package_files)
    shown = view.package_view(outcome, lang)
    assert shown.headline[0] == "success" and words[0] in shown.headline[1]
    assert words[2] in shown.test_note and shown.problems is None
    header = view.data_header(package.territory, None, settings, lang, package)
    assert header.status == ("success", view.package_in_use(package, lang))
    assert header.status[1].startswith(words[1]) and "8" in header.status[1]
    example = view.example_table(package.territory)
    assert example.loc[0, "priority_areas"] == "agrifood;materials"
    assert (59 < example.loc[0, "lat"] < 61) and (16 < example.loc[0, "lon"] < 19)
    assert view.example_table(territory).loc[0, "priority_areas"] == "life_science;ict"
    package.opened.close()


@pytest.mark.parametrize("lang, headers, refused", [
    ("sv", ["Allvar", "Fil", "Rad", "Id", "Fält", "Problem", "Förväntat"], "togs inte emot"),
    ("en", ["Severity", "File", "Row", "Id", "Field", "Problem", "Expected"], "was refused"),
])
def test_a_refused_package_is_listed_by_file_row_and_field(package_files, settings, lang,
                                                           headers, refused):
    files = [(n, d.replace(b",science_park,", b",spaceport,") if n.startswith("innovation")
              else d) for n, d in package_files]
    outcome, package = view.read_package_upload(files, settings, lang)
    assert outcome.kind == "refused" and package is None
    shown = view.package_view(outcome, lang)
    assert shown.headline[0] == "error" and refused in shown.headline[1]
    assert list(shown.problems.columns) == headers
    assert shown.problems.iloc[0].tolist()[1:5] == ["innovation_environments.csv", 2,
                                                    "test-env-1", "env_type"]


def test_a_zip_refusal_is_in_the_users_language(settings):
    outcome, _ = view.read_package_upload([("x.zip", b"PK\x03\x04nonsense")], settings, "sv")
    assert "not a readable zip file" in outcome.problems[0].message  # the record stays English
    swedish = view.package_view(outcome, "sv").problems
    assert "inte en läsbar zip-fil" in swedish["Problem"].iloc[0]
    assert swedish.iloc[0, 0] == "fel"
    english = view.package_view(outcome, "en").problems
    assert "not a readable zip file" in english["Problem"].iloc[0]
    assert view.package_view(None, "sv").headline is None


# ---------------------------------------------------------------------------------------------
# a file in Swedish: the template, the column guide, Swedish headers


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_filled_template_is_accepted_in_either_language(territory, lang):
    from smartmap.core.settings import get_settings

    template = view.template_csv(lang).decode("utf-8-sig")
    headers = template.strip().split(";")
    row = {"name": "Testbädd Hallstavik", "env_type": "Testbädd" if lang == "sv" else "Test bed",
           "lat": "60,05", "lon": "18,6", "priority_areas": "ict", "status": "active",
           "governance_level": "municipal", "host_organisation": "Norrtälje kommun"}
    from smartmap.data import userfiles

    cells = [row.get(next(f.name for f in userfiles.ENVIRONMENT_FIELDS
                          if userfiles.header(f.name, lang) == h), "") for h in headers]
    content = ("\ufeff" + template + ";".join(cells) + "\r\n").encode("utf-8")
    outcome, accepted = view.read_upload(content, f"mall_{lang}.csv", territory, get_settings(),
                                         "add")
    assert outcome.kind == "ok", outcome.problems
    env = accepted.frame.iloc[0]
    assert (env["name"], env["env_type"], env["kommun_kod"]) == (
        "Testbädd Hallstavik", "testbed", "0188")


def test_swedish_column_names_are_read(territory):
    from smartmap.core.settings import get_settings

    content = ("namn;typ;kommun;lat;lon;prioriterade områden;huvudman;styrningsnivå;tjänster;status\n"
               "Testbädd X;testbed;Norrtälje;59,76;18,70;ict;Norrtälje kommun;municipal;"
               "testbed_access;active\n").encode()
    outcome, accepted = view.read_upload(content, "sv.csv", territory, get_settings(), "add")
    assert outcome.kind == "ok", outcome.problems
    assert not [w for w in outcome.warnings if "not part of the environments schema" in str(w)]
    env = accepted.frame.iloc[0]
    assert env["priority_areas"] == "ict" and env["services"] == "testbed_access"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_column_guide_names_every_column_in_both_languages(territory, lang):
    from smartmap.data.schemas import ENVIRONMENT_FIELDS

    guide = view.column_guide(territory, lang)
    assert len(guide) == len(ENVIRONMENT_FIELDS)
    sv, en, required, allowed, meaning = guide.columns
    assert list(guide[en]) == [f.name for f in ENVIRONMENT_FIELDS]
    assert "namn" in set(guide[sv]) and "prioriterade områden" in set(guide[sv])
    areas = guide.set_index(en).loc["priority_areas", allowed]
    assert all(a in areas for a in territory.region.area_ids)
    assert guide[meaning].str.len().gt(0).all()
    assert "docs/" not in " ".join(guide[meaning]) and "docs/" not in vocab.text("data_format_text", lang)
