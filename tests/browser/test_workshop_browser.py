"""The scenario workshop in a real browser: place a test bed by clicking the map, close an
incubator, then reproduce the scenario from the downloaded file and from the share link, each in
a new browser context, with the same numbers. Nothing is loaded from outside 127.0.0.1."""

from __future__ import annotations

import re

import pytest

from tests.browser_harness import (
    BrowserSession,
    open_session,
    wait_for_map,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

METRIC = "Andel invånare inom 10 km (Industriell omställning genom hållbar produktion) [%]"
AREA = "Industriell omställning genom hållbar produktion"
NORRTALJE = (59.80, 18.60)  # in Norrtälje municipality, away from any marker


def open_workshop(s: BrowserSession, url: str):
    """The app's start page, then the workshop through the navigation (as a user does)."""
    s.page.goto(url)
    wait_for_map(s)
    wait_until_idle(s.page)
    s.page.get_by_role("link", name="Scenarioverkstad").click()
    wait_until_idle(s.page)
    return wait_for_map(s, "path.sm-delta")


def choose(page, label: str, option: str) -> None:
    """Pick an option of the Streamlit selectbox labelled ``label`` (type, then click)."""
    box = page.get_by_label(label, exact=True)
    box.click()
    box.fill(option[:40])
    page.get_by_role("option", name=option, exact=True).click()
    wait_until_idle(page)


def click_map(s: BrowserSession, lat: float, lon: float) -> None:
    """A real mouse click on the map at a WGS 84 point."""
    page = s.page
    iframe = page.locator('iframe[title="streamlit_folium.st_folium"]').last
    iframe.scroll_into_view_if_needed()
    page.wait_for_timeout(400)
    box = iframe.bounding_box()
    x, y = s.map_frame().locator(".leaflet-container").first.evaluate(
        "(el, [lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
        " return [p.x, p.y]; }", [lat, lon])
    page.mouse.click(box["x"] + x, box["y"] + y)
    wait_until_idle(page)


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    page.wait_for_timeout(300)


def numbers(page) -> dict[str, object]:
    """What the room sees: the county figures and the table of municipalities that changed."""
    kpis = [re.sub(r"\s+", " ", t).strip()
            for t in page.locator('[data-testid="stMetric"]').all_inner_texts()]
    table = page.locator('[data-testid="stTable"]').first.inner_text()
    return {"kpis": kpis, "table": re.sub(r"\s+", " ", table).strip()}


def settled_numbers(page, expected: dict[str, object], timeout_ms: int = 30_000) -> dict[str, object]:
    """The numbers once they equal ``expected``, or the last ones read after ``timeout_ms``: a
    rerun that a choice started may still be drawing when the idle indicator has not yet shown."""
    waited = 0
    got = numbers(page)
    while got != expected and waited < timeout_ms:
        page.wait_for_timeout(250)
        waited += 250
        got = numbers(page)
    return got


def test_click_to_add_then_file_and_link_reproduce_the_scenario(app_server, chromium, artifacts,
                                                                tmp_path):
    s = open_session(chromium)
    page = s.page
    frame = open_workshop(s, app_server.url)
    choose(page, "Mått", METRIC)
    assert "Ingen kommun ändrades" in page.locator('[data-testid="stAlert"]').first.inner_text()

    # 1. click the map: the point is shown and named before anything is added
    click_map(s, *NORRTALJE)
    info = page.get_by_text(re.compile("Du klickade på")).inner_text()
    lat, lon = (float(v) for v in re.findall(r"\d+\.\d+", info)[:2])
    assert abs(lat - NORRTALJE[0]) < 0.02 and abs(lon - NORRTALJE[1]) < 0.02
    assert "Norrtälje (0188)" in info
    s.map_frame().locator("path.sm-pending").wait_for()
    assert frame.locator("path.sm-edited").count() == 0

    # 2. fill the form: the marker appears and the delta table updates
    page.get_by_label("Namn", exact=True).fill("Testbädd Norrtälje")
    areas = page.get_by_label("Prioriterade områden", exact=True).first
    areas.click()
    areas.fill(AREA[:20])
    page.get_by_role("option", name=AREA, exact=True).click()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Lägg till i scenariot").click()
    wait_until_idle(page)
    s.map_frame().locator("path.sm-edited").wait_for()
    assert s.map_frame().locator("path.sm-edited").count() == 1
    assert s.map_frame().locator("path.sm-pending").count() == 0
    table = page.locator('[data-testid="stTable"]').first.inner_text()
    assert "Norrtälje (0188)" in table and "0,0 %" in table and "+" in table
    page.locator('[data-testid="stTable"]').first.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "workshop_added.png"))

    # 3. close an incubator from the list
    open_tab(page, "Ändra en miljö")
    choose(page, "Miljö", "Sting (Stockholm Innovation & Growth) · Stockholm")
    page.get_by_role("button", name="Stäng miljön").click()
    page.get_by_text("stängdes").first.wait_for(timeout=30_000)
    wait_until_idle(page)
    page.wait_for_timeout(500)
    expected = numbers(page)
    assert any("Miljöer som räknas" in k and "±0" in k for k in expected["kpis"])  # +1 - 1
    page.screenshot(path=str(artifacts / "workshop_scenario.png"))

    # 4. save the file and read the share link
    open_tab(page, "Spara, öppna, dela")
    with page.expect_download() as info_dl:
        page.get_by_role("button", name="Ladda ner scenariot (JSON)").click()
    saved = tmp_path / info_dl.value.suggested_filename
    info_dl.value.save_as(saved)
    assert saved.suffix == ".json" and '"kind": "close"' in saved.read_text(encoding="utf-8")
    link = page.locator('[data-testid="stCode"]').inner_text().strip()
    assert link.startswith(app_server.url + "?scenario=")
    page.screenshot(path=str(artifacts / "workshop_share.png"))
    s.assert_clean()

    # 5. a colleague opens the file in a new browser: same numbers
    b = open_session(chromium)
    open_workshop(b, app_server.url)
    choose(b.page, "Mått", METRIC)
    open_tab(b.page, "Spara, öppna, dela")
    b.page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(saved))
    b.page.get_by_text("öppnades som scenariot").wait_for(timeout=30_000)
    wait_until_idle(b.page)
    b.map_frame().locator("path.sm-edited").first.wait_for()
    assert settled_numbers(b.page, expected) == expected
    assert b.map_frame().locator("path.sm-edited").count() == 2  # the test bed and Sting
    b.page.screenshot(path=str(artifacts / "workshop_from_file.png"))
    b.assert_clean()

    # 6. another opens the link in a new browser: same numbers
    c = open_session(chromium)
    c.page.goto(link)
    wait_for_map(c, "path.sm-edited")
    wait_until_idle(c.page)
    assert c.page.get_by_text("öppnades från länken").count() == 1
    choose(c.page, "Mått", METRIC)
    c.map_frame().locator("path.sm-edited").first.wait_for()
    assert settled_numbers(c.page, expected) == expected
    c.page.screenshot(path=str(artifacts / "workshop_from_link.png"))
    c.assert_clean()
    for session in (s, b, c):
        session.page.context.close()
