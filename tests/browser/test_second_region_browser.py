"""A second region in a real browser: the app started on the Uppsala TEST package
(SMARTMAP_DATA_DIR) draws its 8 municipalities and says "test data"; a session of the shipped
app uploads the same package as a zip and sees that region, with the network cut off."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from smartmap.render import maps
from tests.browser_harness import (
    environment_count,
    open_session,
    start_app,
    stop_app,
    wait_for_map,
    wait_until_idle,
)
from tests.second_region import AREAS, make_test_region

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> Path:
    return make_test_region(tmp_path_factory.mktemp("browser") / "uppsala")


def test_the_map_of_a_second_region_from_smartmap_data_dir(region, chromium, artifacts):
    server = start_app(env={"SMARTMAP_DATA_DIR": str(region)})
    try:
        s = open_session(chromium)
        page = s.page
        page.goto(server.url)
        frame = wait_for_map(s, f"path.{maps.ENVIRONMENT_CLASS}")
        assert frame.locator(f"path.{maps.MUNICIPALITY_CLASS}").count() == 8
        assert environment_count(s) == 6  # markers on one spot are stacked
        page.get_by_role("heading", name="Innovationsstöd i Testregion Uppsala").wait_for()
        page.get_by_text("Testdata: Testregion Uppsala är ett testpaket").first.wait_for()
        areas = page.get_by_label("Prioriterade områden", exact=True)
        areas.click()
        for sv, _ in AREAS.values():
            page.get_by_role("option", name=sv, exact=True).wait_for()
        assert page.get_by_role("option", name="IKT, tech och digitalisering").count() == 0
        page.keyboard.press("Escape")
        wait_until_idle(page)
        page.screenshot(path=str(artifacts / "second_region_map.png"))
        s.assert_clean()
        page.context.close()
    finally:
        stop_app(server)


def test_a_session_uploads_the_package_as_a_zip(region, app_server, chromium, artifacts, tmp_path):
    path = tmp_path / "uppsala.zip"
    with zipfile.ZipFile(path, "w") as z:
        for f in sorted(region.iterdir()):
            z.write(f, f"uppsala/{f.name}")
    s = open_session(chromium)
    page = s.page
    page.goto(app_server.url)
    wait_for_map(s)
    page.get_by_role("link", name="Egna data").click()
    wait_until_idle(page)
    page.locator('[data-testid="stFileUploader"]').last.locator('input[type="file"]') \
        .set_input_files(str(path))
    page.get_by_text("Din session analyserar Testregion Uppsala (län 03)").wait_for(timeout=30_000)
    page.screenshot(path=str(artifacts / "second_region_upload.png"))
    page.get_by_role("link", name="Karta").click()
    frame = wait_for_map(s, f"path.{maps.ENVIRONMENT_CLASS}")
    page.get_by_role("heading", name="Innovationsstöd i Testregion Uppsala").wait_for()
    assert frame.locator(f"path.{maps.MUNICIPALITY_CLASS}").count() == 8
    s.assert_clean()
    page.context.close()
    # another browser session still sees the shipped data
    other = open_session(chromium)
    other.page.goto(app_server.url)
    frame = wait_for_map(other)
    assert frame.locator(f"path.{maps.MUNICIPALITY_CLASS}").count() == 26
    other.assert_clean()
    other.page.context.close()
