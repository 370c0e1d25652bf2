"""Every page of the app in a real browser, opened at its own address in both languages: it
renders, loads nothing from outside, logs no error, has no serious or critical accessibility
violation (axe-core), and is photographed at three window sizes."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser_harness import MAP_IFRAME, open_session, wait_until_idle

pytestmark = pytest.mark.browser

PAGES = ("map", "data", "workshop", "governance", "priorities", "about")
SIZES = ((1366, 768), (1920, 1080), (390, 844))
BLOCKING = ("serious", "critical")


def _settle(page) -> None:
    """Let the page finish what it started before the test leaves it: Streamlit's reruns and
    the load of every iframe (a map's component can mount once more after its first value), so
    that leaving the page aborts no request of its own (ERR_ABORTED would count as failed)."""
    wait_until_idle(page)
    for frame in page.frames:
        frame.wait_for_load_state("load")
    wait_until_idle(page)


def _blocking(results) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]} {v['help']}"
            for v in results.response["violations"] if v["impact"] in BLOCKING]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_page_opens_at_its_address_accessible_at_three_sizes(app_server, chromium,
                                                                    artifacts, lang):
    s = open_session(chromium, viewport=SIZES[0])
    page = s.page
    axe = Axe()
    found: dict[str, list[str]] = {}
    for name in PAGES:
        page.goto(f"{app_server.url}{name}?lang={lang}")
        page.locator("h1").first.wait_for(timeout=60_000)
        if page.locator(MAP_IFRAME).count():
            s.map_frame().locator("path.sm-municipality").first.wait_for(timeout=60_000)
        page.wait_for_timeout(500)
        _settle(page)
        assert page.locator('[data-testid="stException"]').count() == 0, name
        assert page.get_by_text("Page not found").count() == 0, name
        assert re.search(rf"/{name}(\?|$)", page.url), page.url
        assert page.evaluate("document.documentElement.lang") == lang
        found[name] = _blocking(axe.run(page))
        for frame in page.frames[1:]:  # the map itself: legends, controls, labels
            if "streamlit_folium" in frame.url and frame.locator(".leaflet-container").count():
                found[f"{name} map"] = _blocking(axe.run(frame))
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(700)
            page.screenshot(path=str(artifacts / f"page_{name}_{lang}_{width}x{height}.png"))
        page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})
        _settle(page)
    assert not any(found.values()), found
    s.assert_clean()
    page.context.close()
