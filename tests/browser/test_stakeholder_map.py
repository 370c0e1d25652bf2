"""The stakeholder map in a real browser: popups, filters, view persistence, hostile text."""

import pytest

from smartmap.render import maps
from tests.browser_harness import (
    ENV_MARKERS,
    clear_multiselect,
    environment_count,
    map_zoom,
    open_popup,
    open_session,
    pick_multiselect,
    wait_for_map,
    wait_until_idle,
)

pytestmark = pytest.mark.browser


def test_popup_opens_and_filter_changes_markers_and_zoom_survives(app_server, chromium, artifacts, territory):
    s = open_session(chromium)
    page = s.page
    page.goto(app_server.url)
    frame = wait_for_map(s, ENV_MARKERS)
    wait_until_idle(page)
    before = environment_count(s)
    # a marker popup opens with the environment's name
    marker = frame.locator("path.sm-env").first
    marker.dispatch_event("click")
    popup = frame.locator(".leaflet-popup-content").last
    popup.wait_for(timeout=10_000)
    assert popup.inner_text().strip()
    page.screenshot(path=str(artifacts / "map_popup.png"))
    frame.locator(".leaflet-container").first.evaluate("() => window.map.closePopup()")
    wait_until_idle(page)
    # zoom in, then filter: the marker count changes, the zoom does not
    frame.locator("a.leaflet-control-zoom-in").click()
    page.wait_for_timeout(600)
    zoom = map_zoom(s)
    pick_multiselect(page, "Prioriterade områden", "Life science, vård och hälsa")
    s.map_frame().locator(ENV_MARKERS).first.wait_for()
    page.wait_for_timeout(800)
    after = environment_count(s)
    env = maps.drawable(territory.environments)  # rows without coordinates are not drawn
    expected = (env["status"].isin(["active", "planned"]) & env["priority_areas"].str.contains("life_science")).sum()
    assert after == expected < before
    assert map_zoom(s) == zoom
    page.screenshot(path=str(artifacts / "map_filtered.png"))
    clear_multiselect(page, "Prioriterade områden")
    s.assert_clean()
    page.context.close()


def test_hostile_names_show_as_text_and_run_nothing(hostile_server, chromium, artifacts):
    s = open_session(chromium)
    page = s.page
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(hostile_server.url)
    frame = wait_for_map(s, ENV_MARKERS)
    wait_until_idle(page)
    assert environment_count(s) == 3
    for i in range(3):
        text = open_popup(s, "path.sm-env", i)
        assert any(s_ in text for s_ in ("<script>alert(1)</script> Lab", "Back`tick` ${alert(3)} 'single'",
                                         '<img src=x onerror=alert(4)> "Quote"')), text
    # no element was injected from the data
    assert frame.locator('img[src="x"]').count() == 0
    assert page.locator('img[src="x"]').count() == 0
    page.screenshot(path=str(artifacts / "map_hostile.png"))
    assert dialogs == []
    s.assert_clean()
    page.context.close()
