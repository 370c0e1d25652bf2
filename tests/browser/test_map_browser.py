"""What a person sees: the map rendered by Debian's Chromium with the network cut off."""

import time

import pytest

from smartmap.render import maps
from tests.browser_harness import ENV_MARKERS, environment_count

pytestmark = pytest.mark.browser


def test_map_renders_county_offline(app_server, browser_session, territory, artifacts):
    page = browser_session.page
    started = time.time()
    page.goto(app_server.url)
    frame = browser_session.map_frame()
    frame.locator(ENV_MARKERS).first.wait_for(timeout=60_000)
    frame.locator(".leaflet-container").wait_for()
    elapsed = time.time() - started
    assert frame.locator(f"path.{maps.MUNICIPALITY_CLASS}").count() == 26
    env = territory.environments
    default_shown = maps.drawable(env[env["status"].isin(["active", "planned"])])
    assert environment_count(browser_session) == len(default_shown)  # stacked ones included
    assert frame.locator(".sm-legend").count() >= 1
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts / "map_page.png"))
    browser_session.assert_clean()
    print(f"map visible {elapsed:.1f} s after navigation")
