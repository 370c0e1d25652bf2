"""The workshop in front of a room, in Chromium: nothing the facilitator typed or saved is lost
when they leave for another page and come back, or reload; a save after returning writes what
the page showed (checked field by field in the downloaded JSON); the map and the figures fit a
1280 x 720 projector, and the presentation mode hides the sidebar."""

from __future__ import annotations

import json
import re

import pytest

from tests.browser_harness import BrowserSession, open_session, wait_for_map, wait_until_idle

pytestmark = pytest.mark.browser

STING = "Sting (Stockholm Innovation & Growth) · Stockholm"


def go(s: BrowserSession, name: str, selector: str = "path.sm-municipality") -> None:
    """Open a page through the navigation, as a user does, and wait for its map."""
    s.page.locator('[data-testid="stSidebarNav"] a').filter(has_text=name).first.click()
    wait_until_idle(s.page)
    if s.page.locator('iframe[title="streamlit_folium.st_folium"]').count():
        wait_for_map(s, selector)
    wait_until_idle(s.page)


def open_workshop(s: BrowserSession, url: str, viewport_name: str = "Scenarioverkstad") -> None:
    s.page.goto(url)
    wait_for_map(s)
    wait_until_idle(s.page)
    go(s, viewport_name, "path.sm-delta")


def sidebar(s: BrowserSession):
    return s.page.locator('[data-testid="stSidebar"]')


def field(s: BrowserSession, label: str):
    return s.page.get_by_label(label, exact=True).first


def close_sting(s: BrowserSession, tab: str = "Ändra en miljö", env: str = STING,
                button: str = "Stäng miljön") -> None:
    page = s.page
    page.get_by_role("tab", name=tab).click()
    box = page.get_by_label("Miljö" if tab == "Ändra en miljö" else "Environment", exact=True)
    box.click()
    box.fill(env[:20])
    page.get_by_role("option", name=env, exact=True).click()
    wait_until_idle(page)
    page.get_by_role("button", name=button).click()
    wait_until_idle(page)
    s.map_frame().locator("path.sm-edited").first.wait_for()


def what_the_page_shows(s: BrowserSession) -> dict[str, object]:
    """Every field of the workshop a facilitator fills in (sidebar and the files tab)."""
    page = s.page
    page.get_by_role("tab", name="Spara, öppna, dela").click()
    cores = sidebar(s).locator('[data-testid="stMultiSelect"]').filter(
        has=page.get_by_label("Stadskärnor som räknas", exact=True))
    return {
        "name": field(s, "Scenariots namn").input_value(),
        "radius": field(s, "Radie (km, fågelväg)").input_value(),
        "cores": re.findall(r"Centrala regionkärnan|Yttre regional stadskärna",
                            cores.first.inner_text()),
        "author": field(s, "Författare").input_value(),
        "description": field(s, "Beskrivning").input_value(),
    }


def test_leave_and_return_keeps_every_field_and_a_save_writes_what_was_shown(
        app_server, chromium, artifacts, tmp_path):
    s = open_session(chromium, viewport=(1400, 1000))
    page = s.page
    open_workshop(s, app_server.url)
    # the facilitator sets the scenario up
    field(s, "Scenariots namn").fill("Workshop R15")
    page.get_by_role("button", name="Byt namn").click()
    wait_until_idle(page)
    radius = field(s, "Radie (km, fågelväg)")
    radius.fill("15")
    radius.press("Enter")
    wait_until_idle(page)
    cores = sidebar(s).locator('[data-testid="stMultiSelect"]').filter(
        has=page.get_by_label("Stadskärnor som räknas", exact=True)).first
    cores.get_by_role("button", name=re.compile("Yttre regional stadskärna")).first.click()
    wait_until_idle(page)
    close_sting(s)
    page.get_by_role("tab", name="Spara, öppna, dela").click()
    for label, text in (("Författare", "Anna Facilitator"), ("Beskrivning", "Workshop 12 dec")):
        field(s, label).fill(text)
        field(s, label).press("Tab")  # typed and left: the field's value reaches the server
        wait_until_idle(page)
    page.get_by_text("inte sparade").wait_for(timeout=10_000)  # typed, not saved: it says so
    page.get_by_role("button", name="Spara författare och beskrivning").click()
    page.get_by_text("inte sparade").wait_for(state="detached", timeout=10_000)
    wait_until_idle(page)
    before = what_the_page_shows(s)
    assert before == {"name": "Workshop R15", "radius": "15.0", "cores": ["Centrala regionkärnan"],
                      "author": "Anna Facilitator", "description": "Workshop 12 dec"}
    # leave for two other pages and come back
    go(s, "Karta")
    go(s, "Styrning")
    go(s, "Scenarioverkstad", "path.sm-edited")
    assert what_the_page_shows(s) == before
    # saving the details again and renaming to the same name change nothing and refuse nothing
    page.get_by_role("button", name="Spara författare och beskrivning").click()
    wait_until_idle(page)
    page.get_by_role("button", name="Byt namn").click()
    wait_until_idle(page)
    assert page.locator('[data-testid="stAlert"]').filter(has_text="Inte gjort").count() == 0
    assert what_the_page_shows(s) == before
    # the saved file holds exactly what the page showed
    with page.expect_download() as download:
        page.get_by_role("button", name="Ladda ner scenariot (JSON)").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert path.name == "workshop-r15.json"
    assert saved["format"] == "smartmap-scenario" and saved["schema_version"] == 1
    assert saved["name"] == "Workshop R15"
    assert saved["author"] == "Anna Facilitator"
    assert saved["description"] == "Workshop 12 dec"
    assert saved["parameters"] == {"radius_km": 15.0, "include_planned": False,
                                   "env_types": None, "core_classes": ["central_core"]}
    assert saved["edits"] == [{"kind": "close", "id": "sting"}]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", saved["created"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", saved["modified"])
    page.screenshot(path=str(artifacts / "workshop_after_return.png"))
    s.assert_clean()
    page.context.close()


def test_a_reload_keeps_every_scenario_and_the_language(app_server, chromium):
    s = open_session(chromium, viewport=(1400, 1000))
    page = s.page
    open_workshop(s, app_server.url)
    page.get_by_text("English", exact=True).click()
    wait_until_idle(page)
    close_sting(s, tab="Change an environment", button="Close it")
    page.get_by_role("button", name="New").click()
    wait_until_idle(page)
    radius = page.get_by_label("Radius (km, straight line)", exact=True).first
    radius.fill("12.5")
    radius.press("Enter")
    wait_until_idle(page)
    assert "ws=" in page.url
    page.reload()
    wait_for_map(s, "path.sm-delta")
    wait_until_idle(page)
    assert page.locator("h1").first.inner_text() == "Scenario workshop"  # still English
    assert page.get_by_label("Radius (km, straight line)", exact=True).first.input_value() == "12.5"
    status = page.locator('[data-testid="stMarkdown"]').filter(has_text="Scenario 2").first
    assert "0 edits" in status.inner_text() and "R = 12.5 km" in status.inner_text()
    active = page.get_by_label("Active scenario", exact=True)
    active.click()
    assert page.get_by_role("option", name="Scenario 2", exact=True).count() == 1
    page.get_by_role("option", name="Scenario 1", exact=True).click()
    wait_until_idle(page)
    s.map_frame().locator("path.sm-edited").first.wait_for()  # its closed environment, ringed
    status = page.locator('[data-testid="stMarkdown"]').filter(has_text="Scenario 1").first
    assert "1 edit ·" in status.inner_text()
    # reloading a page's own address makes Streamlit's client look for its server under that
    # path first (two 404s, then it finds it at the root); nothing else may fail
    probes = re.compile(r"/workshop/_stcore/(health|host-config) \(HTTP 404\)$")
    s.failed = [f for f in s.failed if not probes.search(f)]
    s.console_errors = [e for e in s.console_errors if "status of 404" not in e]
    s.assert_clean()
    page.context.close()


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_the_projector_layout_shows_the_map_and_the_figures(app_server, chromium, artifacts,
                                                            size):
    s = open_session(chromium, viewport=size)
    page = s.page
    open_workshop(s, app_server.url)
    width, height = size
    page.locator('[data-testid="stMetric"]').nth(3).wait_for()
    frame = page.locator('iframe[title="streamlit_folium.st_folium"]').last.bounding_box()
    cards = [m.bounding_box() for m in page.locator('[data-testid="stMetric"]').all()]
    assert len(cards) == 4
    for box in [frame, *cards]:  # the whole map and every figure, without scrolling
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, box
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    page.screenshot(path=str(artifacts / f"workshop_{width}x{height}.png"))
    page.get_by_text("Presentationsläge", exact=True).click()
    wait_until_idle(page)
    page.wait_for_timeout(300)
    assert not sidebar(s).is_visible()
    frame = page.locator('iframe[title="streamlit_folium.st_folium"]').last.bounding_box()
    assert frame["y"] + frame["height"] <= height
    page.screenshot(path=str(artifacts / f"workshop_{width}x{height}_presentation.png"))
    page.get_by_text("Presentationsläge", exact=True).click()  # and back
    wait_until_idle(page)
    assert sidebar(s).is_visible()
    s.assert_clean()
    page.context.close()
