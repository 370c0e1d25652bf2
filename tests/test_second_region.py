"""A second region end to end (issue 12.5): a TEST package for Uppsala County made by
``smartmap init`` and filled by tests/second_region.py, with its own three priority areas, goes
through validate, layers, metrics, export, report and the app. None of Stockholm's area ids or
labels may appear in its outputs; its own labels and the words "test data" must."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from smartmap.cli import app
from tests.second_region import AREAS, STOCKHOLM_AREAS, STOCKHOLM_LABELS, make_test_region
from tests.test_app import APP, drawn, folium_args

runner = CliRunner()
OWN_IDS = tuple(AREAS)
_DATA_URI = re.compile(r"data:[a-z/+]+;base64,[A-Za-z0-9+/=]+")
_LONG = "|".join(a for a in STOCKHOLM_AREAS if len(a) > 3)
_SHORT = "|".join(a for a in STOCKHOLM_AREAS if len(a) <= 3)  # "ict": only as an id, not in words
_STOCKHOLM = re.compile(rf"(?<![A-Za-z0-9])(?:{_LONG})(?![A-Za-z0-9])"
                        rf"|[_\"'>=](?:{_SHORT})(?![A-Za-z0-9])")


def stockholm_terms(text: str) -> list[str]:
    """Stockholm's area ids and labels found in a text (embedded images left out)."""
    text = _DATA_URI.sub("", text)
    return _STOCKHOLM.findall(text) + [label for label in STOCKHOLM_LABELS if label in text]


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> Path:
    return make_test_region(tmp_path_factory.mktemp("second") / "uppsala")


def run(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result


def test_validate_and_layers(region):
    out = run("validate", str(region)).output
    assert "county 03 (Test region Uppsala)" in out and "TEST DATA" in out
    assert "priority areas: agrifood, materials, water" in out and "OK: 0 error(s)" in out
    out = run("layers", "--data-dir", str(region)).output
    assert "County 03: 8 municipalities" in out and "No problems found." in out
    line = next(ln for ln in out.splitlines() if ln.strip().startswith("environments "))
    assert " 6 " in line
    assert not stockholm_terms(out)


def test_metrics_have_its_own_areas_only(region, tmp_path):
    out = run("metrics", "--data-dir", str(region), "--out", str(tmp_path / "m.csv"),
              "--tables", str(tmp_path / "tables")).output
    assert not stockholm_terms(out)
    table = pd.read_csv(tmp_path / "m.csv", dtype={"kommun_kod": str})
    assert len(table) == 8 and table["kommun_kod"].str.startswith("03").all()
    for area in (*OWN_IDS, "any"):
        assert f"cov_{area}" in table.columns and f"dist_km_{area}" in table.columns
    county = pd.read_csv(tmp_path / "tables" / "county.csv")
    assert list(county["area"]) == [*OWN_IDS, "any"]
    for path in [tmp_path / "m.csv", *sorted((tmp_path / "tables").iterdir())]:
        assert not stockholm_terms(path.read_text(encoding="utf-8")), path.name
    # Uppsala municipality hosts an agrifood and a water environment: it is no white spot
    uppsala = table.set_index("kommun_kod").loc["0380"]
    assert uppsala["n_env_agrifood"] == 1 and uppsala["n_env_water"] == 1
    assert not uppsala["white_spot_agrifood"]


def test_export_has_its_own_areas_only(region, tmp_path):
    run("export", "--data-dir", str(region), "--out", str(tmp_path), "--format", "all")
    texts = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()
             if p.suffix in (".geojson", ".csv", ".json")}
    assert len(texts) >= 8
    for name, text in texts.items():
        assert not stockholm_terms(text), name
    features = json.loads(texts["municipalities.geojson"])["features"]
    assert len(features) == 8 and "cov_agrifood" in features[0]["properties"]


@pytest.mark.parametrize("lang, test_words, index", [("sv", "Testdata", 0), ("en", "Test data", 1)])
def test_the_report_says_test_data_and_names_its_areas(region, tmp_path, lang, test_words, index):
    path = tmp_path / f"report_{lang}.html"
    run("report", "--data-dir", str(region), "--out", str(path), "--lang", lang)
    html = path.read_text(encoding="utf-8")
    assert test_words in html and "test-data-note" in html
    assert ("Testregion Uppsala" if lang == "sv" else "Test region Uppsala") in html
    for labels in AREAS.values():
        assert labels[index] in html
    for area in OWN_IDS:
        assert f'data-area="{area}"' in html
    assert not stockholm_terms(html)


# --- the app ---------------------------------------------------------------------------------


def _map(at: AppTest) -> str:
    at.switch_page("smartmap/app/pages/map_page.py").run()
    assert not at.exception, at.exception
    (args,) = folium_args(at)
    return drawn(args)


def test_the_app_analyses_it_from_smartmap_data_dir(region, monkeypatch):
    monkeypatch.setenv("SMARTMAP_DATA_DIR", str(region))
    monkeypatch.delenv("SMARTMAP_COUNTY", raising=False)
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Innovationsstöd i Testregion Uppsala"
    assert any("Testdata: Testregion Uppsala" in i.value for i in at.info)
    js = _map(at)
    assert js.count('"kommun_kod"') == 8 and js.count("sm-env sm-env-") == 6
    assert not stockholm_terms(js)
    options = at.multiselect(key="f_areas").options
    assert options == [labels[0] for labels in AREAS.values()]
    for page in ("workshop_page", "governance_page", "about_page", "data_page"):
        at.switch_page(f"smartmap/app/pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        assert any("Testdata" in i.value for i in at.info), page
    at.radio(key="sm_lang").set_value("en").run()
    assert any("Test data: Test region Uppsala" in i.value for i in at.info)


def package_zip(folder: Path) -> bytes:
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w") as z:
        for path in sorted(folder.iterdir()):
            z.write(path, f"uppsala/{path.name}")
    return raw.getvalue()


def _upload(at: AppTest, files) -> AppTest:
    at.switch_page("smartmap/app/pages/data_page.py").run()
    at.file_uploader(key="sm_package_upload").set_value(files)
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_session_brings_the_package_and_other_sessions_keep_the_shipped_data(region):
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert _map(at).count('"kommun_kod"') == 26
    _upload(at, ("uppsala.zip", package_zip(region), "application/zip"))
    assert any("Testregion Uppsala (län 03)" in s.value for s in at.success)
    js = _map(at)
    assert js.count('"kommun_kod"') == 8 and not stockholm_terms(js)
    assert at.title[0].value == "Innovationsstöd i Testregion Uppsala"
    assert any("Testdata" in i.value for i in at.info)
    for page in ("workshop_page", "governance_page", "about_page"):
        at.switch_page(f"smartmap/app/pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
    other = AppTest.from_file(APP, default_timeout=90)
    other.run()
    assert _map(other).count('"kommun_kod"') == 26
    at.switch_page("smartmap/app/pages/data_page.py").run()
    at.button(key="data_restore").click().run()
    assert _map(at).count('"kommun_kod"') == 26


def test_the_package_files_uploaded_together_work_too(region):
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    files = [(p.name, p.read_bytes(), "text/plain") for p in sorted(region.iterdir())]
    _upload(at, files)
    assert _map(at).count('"kommun_kod"') == 8


def test_a_refused_package_changes_nothing(region, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    for path in region.iterdir():
        (broken / path.name).write_bytes(path.read_bytes())
    env = broken / "innovation_environments.csv"
    env.write_text(env.read_text(encoding="utf-8").replace(",agrifood;materials,",
                                                           ",life_science,"), encoding="utf-8")
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["sm_lang"] = "en"
    at.run()
    _upload(at, ("broken.zip", package_zip(broken), "application/zip"))
    assert any("The package broken.zip was refused: 1 error" in e.value for e in at.error)
    table = at.dataframe[-1].value
    assert list(table.columns) == ["Severity", "File", "Row", "Id", "Field", "Problem",
                                   "Expected"]
    row = table.iloc[0]
    assert (row["File"], row["Row"], row["Field"]) == ("innovation_environments.csv", 2,
                                                       "priority_areas")
    assert _map(at).count('"kommun_kod"') == 26


def test_the_check_for_stockholms_terms_can_fail(tmp_path):
    """The same outputs of the shipped package do hold Stockholm's ids and labels."""
    out = run("metrics", "--out", str(tmp_path / "m.csv")).output
    assert set(stockholm_terms((tmp_path / "m.csv").read_text(encoding="utf-8"))) >= {
        "life_science", "_ict", "climate_urban", "industrial_transition"}
    assert stockholm_terms(out)
