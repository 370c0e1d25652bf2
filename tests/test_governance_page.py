"""AppTest of the governance page: the question answered in sentences, the matrix and its cells,
the network and territory images, chains, gaps and the report download."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from smartmap.analysis import governance
from smartmap.core import vocab

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGE = "smartmap/app/pages/governance_page.py"


@pytest.fixture
def page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    return at


def _markdown(at: AppTest) -> str:
    """The markdown as a reader sees it: backslash escapes (markup made inert) removed."""
    return re.sub(r"\\(.)", r"\1", "\n".join(m.value for m in at.markdown))


def test_page_runs_for_the_county(page, territory):
    assert page.title[0].value == vocab.text("gov_title", "sv")
    text = _markdown(page)
    n = len(governance._counted(territory, None))
    assert f"I hela länet finns {n} räknade miljöer" in text
    # matrix: five rows (four areas and any) by the nine levels
    assert page.dataframe[0].value.shape == (5, 8)  # civil society: no one involved
    assert any("Civilsamhälle" in c.value for c in page.caption)
    kinds = [type(e).__name__ for e in page.main]
    assert kinds.count("Image") == 1  # the actor's territory
    (frame,) = page.get("iframe")  # the network: an interactive document, nothing external
    html = frame.proto.srcdoc
    assert '<script id="data" type="application/json">' in html
    assert "src=" not in html and "<link" not in html and "https://" not in html
    assert "Region Stockholm" in html and "Flemingsberg Science" in html
    assert "DownloadButton" in kinds
    text = _markdown(page)
    assert ".csv" not in text and "docs/" not in text  # no developer text for stakeholders


def test_who_supports_life_science_in_sodertalje(page):
    page.selectbox(key="gov_kommun").set_value("0181")
    page.selectbox(key="gov_area").set_value("life_science")
    page.run()
    assert not page.exception, page.exception
    text = _markdown(page)
    assert "I Södertälje finns 2 aktiva innovationsmiljöer inom Life science, vård och hälsa" in text
    assert "Acturum Biovation Park (privat)" in text
    assert "RISE Research Institutes of Sweden" in text and "(nationell)" in text
    assert "Ingen av miljöerna är i data kopplad" in text
    assert "Södertälje kommun (kommunal)" in text


def test_programmes_for_industrial_transition_in_english(page):
    page.sidebar.radio(key="sm_lang").set_value("en").run()
    page.selectbox(key="gov_kommun").set_value("0181")
    page.selectbox(key="gov_area").set_value("industrial_transition")
    page.run()
    assert not page.exception, page.exception
    text = _markdown(page)
    assert "Programme chains (2):" in text  # its own relations only
    assert "European Regional Development Fund (EU) → ERDF regional programme for Stockholm " \
           "(regional) → Södertälje Science Park" in text
    assert "Steered by:" in text and "Tillväxtverket (national)" in text
    chains = page.table[0].value
    assert "Sources per step" in chains.columns
    assert any("https://" in c for c in chains["Sources per step"])
    (frame,) = page.get("iframe")
    assert '"initial": {"area": "industrial_transition", "muni": "0181"}' in frame.proto.srcdoc


def test_norrtalje_names_the_municipality_beside_the_host(page):
    page.selectbox(key="gov_kommun").set_value("0188").run()
    text = _markdown(page)
    assert "För Campus Roslagen nämner data Norrtälje kommun (kommunal) vid huvudmannen " \
           "Campus Roslagen AB" in text
    assert "Huvudmannen finns inte bland aktörerna" not in text


def test_matrix_cell_lists_who_is_behind_it(page, territory):
    page.selectbox(key="gov_cell_row_area").set_value("life_science")
    page.selectbox(key="gov_cell_level_area").set_value("eu")
    page.run()
    assert not page.exception, page.exception
    inv = governance.involvement(territory, None, "area")
    expected = governance.cell_nodes(inv, "life_science", "eu")
    assert f"{len(expected)} i cellen" in _markdown(page)
    cell_table = next(d.value for d in page.dataframe if d.value.shape[0] == len(expected)
                      and d.value.shape[1] == 4)
    assert "European Regional Development Fund" in set(cell_table.iloc[:, 0])


def test_service_matrix_and_municipality_filter(page):
    page.radio(key="gov_dim").set_value("service").run()
    assert not page.exception
    assert page.dataframe[0].value.shape[0] == len(vocab.values(vocab.Service))
    page.selectbox(key="gov_kommun").set_value("0187").run()  # Vaxholm: no environment
    assert int(page.dataframe[0].value.to_numpy().sum()) == 0
    assert "Vaxholm har inga aktiva innovationsmiljöer." in _markdown(page)


def test_actor_territory(page):
    page.selectbox(key="gov_actor").set_value("kth").run()
    assert not page.exception
    assert "omfattar 2 av länets 26 kommuner" in _markdown(page)
    page.selectbox(key="gov_actor").set_value("beaz").run()
    assert "partner utomlands (ES)" in _markdown(page)
