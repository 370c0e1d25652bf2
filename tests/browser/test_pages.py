"""Every page of the app in a real browser: it renders, loads nothing from outside, logs no error."""

import re

import pytest

from tests.browser_harness import open_session, wait_until_idle

pytestmark = pytest.mark.browser


def _settle(page) -> None:
    """Let the page finish what it started before the test leaves it: Streamlit's reruns and
    the load of every iframe (a map's component can mount once more after its first value), so
    that leaving the page aborts no request of its own (ERR_ABORTED would count as failed)."""
    wait_until_idle(page)
    for frame in page.frames:
        frame.wait_for_load_state("load")
    wait_until_idle(page)


def test_every_page_renders_cleanly(app_server, chromium, artifacts):
    s = open_session(chromium, viewport=(1500, 1200))
    page = s.page
    page.goto(app_server.url)
    wait_until_idle(page)
    nav = page.locator('[data-testid="stSidebarNav"] a')
    nav.first.wait_for()
    names = [nav.nth(i).inner_text().strip().splitlines()[-1] for i in range(nav.count())]
    assert len(names) >= 3
    for name in names:
        page.locator('[data-testid="stSidebarNav"] a').filter(has_text=name).first.click()
        wait_until_idle(page)
        page.locator("h1").first.wait_for()
        if page.locator('iframe[title="streamlit_folium.st_folium"]').count():
            s.map_frame().locator("path.sm-municipality").first.wait_for(timeout=60_000)
        page.wait_for_timeout(500)
        _settle(page)
        assert page.locator('[data-testid="stException"]').count() == 0, name
        slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
        page.screenshot(path=str(artifacts / f"page_{slug}.png"))
    s.assert_clean()
    page.context.close()
