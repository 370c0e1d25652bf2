"""The newcomer's journey of issue 5, offline: map, filter, profile, English, upload, downloads."""

import time
from pathlib import Path

import pytest

from smartmap.data.layers import load_territory
from tests.browser_harness import (
    ENV_MARKERS,
    choose_radio,
    click_map_at,
    environment_count,
    map_zoom,
    open_session,
    pick_multiselect,
    pick_selectbox,
    start_app,
    stop_app,
    wait_for_map,
    wait_until_idle,
)

pytestmark = pytest.mark.browser
UPLOAD = Path(__file__).resolve().parents[1] / "data" / "io" / "envs_excel_sv.csv"


def _sodertalje_point():
    m = load_territory().municipalities.set_index("kommun_kod").to_crs(4326)
    p = m.loc["0181"].geometry.representative_point()
    return p.y, p.x


def test_newcomer_journey(app_server, chromium, artifacts, tmp_path):
    s = open_session(chromium, viewport=(1500, 1300))
    page = s.page
    started = time.time()
    page.goto(app_server.url)
    frame = wait_for_map(s, ENV_MARKERS)
    print(f"county with environments visible after {time.time() - started:.1f} s")
    wait_until_idle(page)
    assert frame.locator("path.sm-municipality").count() == 26
    page.screenshot(path=str(artifacts / "newcomer_1_map.png"))

    # filter by life science
    all_markers = environment_count(s)
    pick_multiselect(page, "Prioriterade områden", "Life science, vård och hälsa")
    page.wait_for_timeout(800)
    assert 0 < environment_count(s) < all_markers

    # zoom in, change the metric: the zoom stays
    s.map_frame().locator("a.leaflet-control-zoom-in").click()
    page.wait_for_timeout(600)
    zoom = map_zoom(s)
    pick_selectbox(page, "Färglägg kommuner efter", "Antal innovationsmiljöer [st]")
    page.wait_for_timeout(800)
    assert map_zoom(s) == zoom
    s.map_frame().locator("a.leaflet-control-zoom-out").click()
    page.wait_for_timeout(600)

    # click Södertälje: its profile
    lat, lon = _sodertalje_point()
    choose_radio(page, "prioriterat område")  # markers by area; then hide markers under the click
    pick_multiselect(page, "Status", "Nedlagd")  # keep the page busy-safe: a harmless change
    click_map_at(s, lat, lon)
    page.wait_for_timeout(1200)
    wait_until_idle(page)
    page.get_by_text("Innovationsmiljöer i Södertälje").first.wait_for(timeout=15_000)
    page.screenshot(path=str(artifacts / "newcomer_2_profile.png"))

    # switch to English
    choose_radio(page, "English")
    page.get_by_role("heading", name="Innovation support in Stockholm County").wait_for()
    page.get_by_text("Innovation environments in Södertälje").first.wait_for(timeout=15_000)
    page.screenshot(path=str(artifacts / "newcomer_3_english.png"))

    # download GeoJSON and PNG
    wait_until_idle(page)
    with page.expect_download() as dl:
        page.get_by_role("button", name="Environments shown as GeoJSON", exact=False).click()
    geojson = tmp_path / "env.geojson"
    dl.value.save_as(geojson)
    assert b'"FeatureCollection"' in geojson.read_bytes()
    with page.expect_download() as dl:
        page.get_by_role("button", name="The map as an image (PNG)").click()
    png = tmp_path / "map.png"
    dl.value.save_as(png)
    assert png.read_bytes().startswith(b"\x89PNG")

    # upload a CSV of one's own
    page.get_by_role("link", name="Your data").click()
    wait_until_idle(page)
    page.locator('input[type="file"]').first.set_input_files(str(UPLOAD))  # environments
    page.get_by_text("Your data are in use").wait_for(timeout=20_000)
    page.screenshot(path=str(artifacts / "newcomer_4_upload.png"))
    page.get_by_role("link", name="Map").click()
    wait_for_map(s, ENV_MARKERS)
    page.get_by_text("The map shows your uploaded data").wait_for()
    s.assert_clean()
    page.context.close()


def test_base_url_path_serves_local_assets(chromium, artifacts):
    server = start_app(base_path="/smartmap")
    try:
        s = open_session(chromium)
        s.page.goto(server.url)
        frame = wait_for_map(s, ENV_MARKERS)
        assert frame.locator("path.sm-municipality").count() == 26
        s.page.screenshot(path=str(artifacts / "base_path.png"))
        s.assert_clean()
        s.page.context.close()
    finally:
        stop_app(server)
