"""The stakeholder map as a person uses it, in a real browser: every page has an address that
opens directly and on reload; a view sent as a link opens the same view elsewhere; a tampered
link gives a notice; environments are reachable from the keyboard; overlapping markers stack
and fan out; legends never hide a tooltip; the map fills the window at any size."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from smartmap.render import maps
from tests.browser_harness import (
    ENV_MARKERS,
    MAP_IFRAME,
    environment_count,
    open_session,
    pick_multiselect,
    pick_selectbox,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

PAGES = {"map": "Innovationsstöd i Stockholms län", "data": "Egna data",
         "workshop": "Scenarioverkstad", "governance": "Flernivåstyrning",
         "about": "Om data och källor"}


def _map_state(s) -> dict:
    """What the map shows: its centre, zoom and number of environments."""
    container = s.map_frame().locator(".leaflet-container").first
    centre, zoom = container.evaluate(
        "() => [[window.map.getCenter().lat, window.map.getCenter().lng], window.map.getZoom()]")
    return {"centre": [round(c, 3) for c in centre], "zoom": zoom,
            "environments": environment_count(s)}


def _radius(page) -> str:
    """The radius slider's value as shown."""
    return page.get_by_test_id("stSliderThumbValue").first.inner_text().strip()


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query, keep_blank_values=True)


def _wait_for_query(page, key: str, value: str | None = None, timeout: int = 20_000) -> None:
    """Wait until the address holds ``key`` (with ``value``)."""
    page.wait_for_function(
        "([k, v]) => { const p = new URLSearchParams(location.search);"
        " return p.has(k) && (v === null || p.get(k) === v); }", arg=[key, value],
        timeout=timeout)


def _open_map(s, url: str):
    s.page.goto(url)
    # attached, not visible: a link's view may leave the first markers off the screen
    frame = s.map_frame()
    frame.locator(ENV_MARKERS).first.wait_for(state="attached", timeout=60_000)
    wait_until_idle(s.page)
    s.page.wait_for_timeout(800)
    wait_until_idle(s.page)
    return frame


def test_every_page_opens_at_its_own_address_and_on_reload(app_server, chromium):
    s = open_session(chromium)
    page = s.page
    page.goto(app_server.url)  # the root opens the map at its own address
    page.get_by_role("heading", name=PAGES["map"]).wait_for(timeout=60_000)
    assert urlparse(page.url).path == "/map"
    for name, heading in PAGES.items():
        for _ in range(2):  # open, then reload
            if _ == 0:
                page.goto(f"{app_server.url}{name}")
            else:
                page.reload()
            page.locator("h1").first.wait_for(timeout=60_000)
            wait_until_idle(page)
            assert page.locator("h1").first.inner_text().startswith(heading), name
            assert urlparse(page.url).path == f"/{name}"
            assert page.get_by_text("Page not found").count() == 0
            if page.locator(MAP_IFRAME).count():
                s.map_frame().locator("path.sm-municipality").first.wait_for(timeout=60_000)
            wait_until_idle(page)
    s.assert_clean()  # no 404 (no <page>/_stcore probe), nothing external, no console error
    page.context.close()


def test_a_shared_view_link_opens_the_same_view(app_server, chromium, artifacts, territory):
    a = open_session(chromium)
    page = a.page
    _open_map(a, f"{app_server.url}map?lang=en")
    slider = page.get_by_role("slider").first
    slider.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    wait_until_idle(page)
    _wait_for_query(page, "r", "15")
    pick_multiselect(page, "Priority areas", "ICT, tech and digitalisation")
    _wait_for_query(page, "area", "ict")
    pick_selectbox(page, "Colour municipalities by", "Number of innovation environments [count]")
    _wait_for_query(page, "metric", "n_env")
    pick_selectbox(page, "Choose a municipality (or click the map)", "Södertälje (0181)")
    _wait_for_query(page, "kommun", "0181")
    # the map zooms to Södertälje and puts its view in the address
    _wait_for_query(page, "view", timeout=40_000)
    wait_until_idle(page)
    shared = page.url
    q = _query(shared)
    assert q["lang"] == ["en"] and q["r"] == ["15"] and q["area"] == ["ict"]
    assert q["metric"] == ["n_env"] and q["kommun"] == ["0181"]
    before = _map_state(a)
    page.screenshot(path=str(artifacts / "link_sender.png"))

    b = open_session(chromium, viewport=(1400, 1000))  # someone else, in another browser
    _open_map(b, shared)
    other = b.page
    assert other.get_by_role("heading", name="Innovation support in Stockholm County").count()
    assert other.get_by_label("Choose a municipality (or click the map)",
                              exact=True).input_value() == "Södertälje (0181)"
    assert other.get_by_label("Colour municipalities by", exact=True).input_value() == \
        "Number of innovation environments [count]"
    assert "ICT, tech and digitalisation" in other.locator('[data-testid="stMultiSelect"]').filter(
        has=other.get_by_label("Priority areas", exact=True)).first.inner_text()
    assert _radius(other) == "15"
    assert other.get_by_text("Innovation environments in Södertälje").count()
    after = _map_state(b)
    assert after == before
    assert _query(other.url) == q  # the address stays the link
    other.screenshot(path=str(artifacts / "link_receiver.png"))
    for session in (a, b):
        session.assert_clean()
        session.page.context.close()


def test_a_tampered_link_gives_a_notice_and_the_default_view(app_server, chromium, territory):
    s = open_session(chromium)
    _open_map(s, f"{app_server.url}map?r=9999&metric=%3Cscript%3E&area=ict,evil&view=a,b,c")
    page = s.page
    notice = page.locator('[data-testid="stAlert"]').filter(has_text="link").or_(
        page.locator('[data-testid="stAlert"]').filter(has_text="Länken")).first
    notice.wait_for()
    text = notice.inner_text()
    assert all(p in text for p in ("r", "metric", "area", "view"))
    assert page.locator('[data-testid="stException"]').count() == 0
    env = territory.environments
    assert environment_count(s) == len(maps.drawable(env[env["status"].isin(["active",
                                                                              "planned"])]))
    assert _radius(page) == "10"
    s.assert_clean()
    page.context.close()


def test_environments_are_reachable_from_the_keyboard(app_server, chromium, artifacts):
    s = open_session(chromium)
    page = s.page
    _open_map(s, f"{app_server.url}map")
    box = page.get_by_label("Visa en miljö på kartan", exact=True)
    box.focus()
    page.keyboard.type("KTH Innovation")
    page.keyboard.press("Enter")
    wait_until_idle(page)
    frame = s.map_frame()
    frame.locator("path.sm-selected").wait_for(timeout=20_000)
    popup = frame.locator(".leaflet-popup-content").last
    popup.wait_for(timeout=20_000)
    assert "KTH Innovation" in popup.inner_text()
    _wait_for_query(page, "env", "kth-innovation")
    assert frame.locator(".leaflet-container").first.evaluate("() => window.map.getZoom()") >= 13
    page.screenshot(path=str(artifacts / "keyboard_environment.png"))
    # a stack is a keyboard stop too: Enter fans it out
    stack = frame.locator(".sm-stack").first
    stack.focus()
    page.keyboard.press("Enter")
    n = int(stack.locator("[data-count]").get_attribute("data-count"))
    assert frame.locator("path.sm-leg").count() == n
    s.assert_clean()
    page.context.close()


def test_overlapping_markers_stack_fan_out_and_approximate_points_say_so(app_server, chromium,
                                                                        artifacts, territory):
    from smartmap.analysis.environments import location_precision

    s = open_session(chromium)
    page = s.page
    frame = _open_map(s, f"{app_server.url}map")
    env = territory.environments
    shown = maps.drawable(env[env["status"].isin(["active", "planned"])])
    assert environment_count(s) == len(shown)
    stacks = frame.locator(".sm-stack")
    assert stacks.count() >= 1
    # the biggest stack fans out: every member drawn, each with a leg to its true place
    counts = [int(stacks.nth(i).locator("[data-count]").get_attribute("data-count"))
              for i in range(stacks.count())]
    biggest = stacks.nth(counts.index(max(counts)))
    singles = frame.locator("path.sm-env").count()
    biggest.click()
    frame.locator("path.sm-leg").first.wait_for()
    assert frame.locator("path.sm-leg").count() == max(counts)
    assert frame.locator("path.sm-env").count() == singles + max(counts)
    page.screenshot(path=str(artifacts / "stack_fanned_out.png"))
    # placeholder points: a distinct symbol and a legend entry; their popup says "approximate"
    approx = shown[location_precision(shown) == "placeholder"]
    assert len(approx) >= 9
    assert frame.locator("path.sm-approx").count() >= 1
    assert "Ungefärligt läge" in frame.locator(".sm-legend").all_inner_texts().__str__()
    frame.locator("path.sm-approx").first.dispatch_event("click")
    popup = frame.locator(".leaflet-popup-content").last
    popup.wait_for()
    assert popup.inner_text().splitlines()[1].startswith("Ungefärligt läge:")
    # the eight Norrmalm placeholders share one point: zoomed all the way in they still stack
    container = frame.locator(".leaflet-container").first
    container.evaluate("() => window.map.setView([59.3365, 18.06], 18)")
    page.wait_for_timeout(600)
    together = [int(t) for t in frame.locator(".sm-stack-approx [data-count]").evaluate_all(
        "els => els.map(e => e.getAttribute('data-count'))")]
    at_point = shown[(shown["lat"].astype(float) == 59.3365)
                     & (shown["lon"].astype(float) == 18.06)]
    assert len(at_point) == 8 and max(together) == 8
    s.assert_clean()
    page.context.close()


def test_a_legend_never_hides_a_tooltip(app_server, chromium, artifacts):
    s = open_session(chromium)
    page = s.page
    frame = _open_map(s, f"{app_server.url}map")
    legend = frame.locator(".sm-legend").first
    box = legend.bounding_box()
    container = frame.locator(".leaflet-container").first
    # a tooltip opened right under the legend: the legend fades out of its way
    container.evaluate(
        "(el, [x, y]) => { const ll = window.map.containerPointToLatLng([x, y]);"
        " window.smTip = L.tooltip({permanent: true}).setLatLng(ll).setContent('Norrtälje')"
        ".addTo(window.map); }",
        [box["x"] + box["width"] / 2 - container.bounding_box()["x"],
         box["y"] + box["height"] / 2 - container.bounding_box()["y"]])
    page.wait_for_timeout(300)
    container.evaluate("() => window.map.fire('tooltipopen')")
    page.wait_for_timeout(300)
    assert "sm-under-tooltip" in legend.get_attribute("class")
    assert float(legend.evaluate("e => getComputedStyle(e).opacity")) < 0.2
    page.screenshot(path=str(artifacts / "legend_under_tooltip.png"))
    container.evaluate("() => { window.smTip.remove(); window.map.fire('tooltipclose'); }")
    page.wait_for_timeout(300)
    assert "sm-under-tooltip" not in legend.get_attribute("class")
    # legends fold: a click (or Enter) on the title
    summary = legend.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert legend.evaluate("e => e.open") is False
    s.assert_clean()
    page.context.close()


@pytest.mark.parametrize("width, height", [(1920, 1080), (1366, 768), (390, 844)])
def test_the_map_fills_the_window(app_server, chromium, artifacts, width, height):
    s = open_session(chromium, viewport=(width, height))
    page = s.page
    _open_map(s, f"{app_server.url}map")
    frame = page.locator(MAP_IFRAME).last.bounding_box()
    inner = s.map_frame().locator(".leaflet-container").first.bounding_box()
    if width > 640:  # beside the side panel, most of the window's height
        assert frame["height"] >= height - 160 and frame["width"] >= 0.5 * (width - 320)
    else:  # on a phone, most of the screen, the panel below
        assert frame["height"] >= 0.6 * height and frame["width"] >= width - 40
    assert abs(inner["height"] - frame["height"]) < 4  # the map fills its frame
    # it follows the window
    page.set_viewport_size({"width": width, "height": height + 200})
    page.wait_for_timeout(800)
    taller = page.locator(MAP_IFRAME).last.bounding_box()["height"]
    assert taller > frame["height"] + 100
    assert abs(s.map_frame().locator(".leaflet-container").first.bounding_box()["height"]
               - taller) < 4
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts / f"map_fills_{width}x{height}.png"))
    assert re.search(r"/map", page.url)
    s.assert_clean()
    page.context.close()
