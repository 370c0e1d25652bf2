"""AppTest of the priorities page: the summary, the matrix with its drill-down, the alignment
table, the sources and the downloads, in both languages."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from smartmap.core import vocab

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGE = "smartmap/app/pages/priorities_page.py"


@pytest.fixture
def page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    return at


def _markdown(at: AppTest) -> str:
    return re.sub(r"\\(.)", r"\1", "\n".join(m.value for m in at.markdown))


def test_page_shows_summary_matrix_and_sources(page):
    assert page.title[0].value == vocab.text("pri_title", "sv")
    text = _markdown(page)
    assert "Life science, vård och hälsa: förankrat lokalt i 4 kommuner" in text
    assert "Regional · Life science, vård och hälsa: 2 angivna prioriteringar" in text
    assert len(page.dataframe[0].value) == 4  # the summary, one row per area
    assert page.dataframe[1].value.shape == (6, 4)  # the matrix: levels x areas
    kinds = [type(e).__name__ for e in page.main]
    assert kinds.count("DownloadButton") == 2
    assert "anger ingen prioritering i data" in text
    assert ".csv" not in text and "docs/" not in text


def test_drill_down_and_english(page):
    page.sidebar.radio(key="sm_lang").set_value("en").run()
    page.selectbox(key="pri_cell_level").set_value("sub_regional")
    page.selectbox(key="pri_cell_area").set_value("climate_urban")
    page.run()
    assert not page.exception, page.exception
    text = _markdown(page)
    assert "Sub-regional · Climate and environment for sustainable urban development: 1 stated " \
           "priority, " in text  # one priority, in the singular
    statements = next(d.value for d in page.dataframe if "Wording in the source" in d.value.columns)
    assert "Södertörnssamarbetet" in set(statements["Territory"])
    assert "Superseded or ended".lower() in {s.lower() for s in statements["Standing"]}
    page.selectbox(key="pri_level").set_value("sub_regional")
    page.selectbox(key="pri_area").set_value("industrial_transition").run()
    table = next(d.value for d in page.dataframe if "LQ (employment)" in d.value.columns)
    row = table[table["Territory"] == "Södertörnssamarbetet"].iloc[0]
    assert row["Alignment"] == "aligned" and row["LQ (support environments)"] != "–"
