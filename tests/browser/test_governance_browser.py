"""The governance page and the action-plan report in a real browser, with the network cut off."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from smartmap.render.report import build_report, write_report
from tests.browser_harness import open_session, wait_until_idle

pytestmark = pytest.mark.browser


def test_report_opens_offline_with_every_image(chromium, territory, tmp_path, artifacts):
    path = write_report(build_report(territory), tmp_path / "report.html")
    context = chromium.new_context(viewport={"width": 1280, "height": 1000})
    requested: list[str] = []

    def route(route):
        url = route.request.url
        if url.startswith(("file:", "data:", "about:")):
            route.continue_()
        else:
            requested.append(url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "about:"))
            else requested.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        images = page.locator("img")
        assert images.count() == 6
        widths = images.evaluate_all("imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)")
        assert all(w > 300 for w in widths), widths
        assert page.locator("section#governance table#chains tbody tr").count() > 0
        page.screenshot(path=str(artifacts / "report_top.png"))
        page.locator("#governance").scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "report_governance.png"))
        assert not requested, requested
        assert not errors, errors
    finally:
        context.close()


def _images_loaded(page) -> None:
    """Wait until the page's images have arrived: a new choice replaces them, and Streamlit
    drops the previous run's images, so one still on its way would answer 404."""
    page.wait_for_function("() => [...document.images].every(i => i.complete)",
                           timeout=30_000)


def _pick(page, label: str, option: str) -> None:
    """Choose ``option`` in the selectbox ``label``. A grid that finishes drawing above it can
    close the list a moment after it opened (Streamlit re-lays out the page); a person opens it
    again, and so does this, once."""
    _images_loaded(page)
    box = page.get_by_label(label, exact=True)
    for attempt in range(2):
        box.click()
        box.fill(option)
        choice = page.get_by_role("option", name=option, exact=True)
        try:
            choice.wait_for(timeout=10_000 if attempt == 0 else 30_000)
        except PlaywrightTimeout:
            if attempt:
                raise
            page.keyboard.press("Escape")
            wait_until_idle(page)
            continue
        choice.click()
        break
    wait_until_idle(page)
    _images_loaded(page)


def test_governance_page_answers_the_question(app_server, chromium, artifacts):
    s = open_session(chromium)
    page = s.page
    page.goto(f"{app_server.url}governance")  # the page's own address opens it (issue 14)
    page.get_by_text("Flernivåstyrning av innovationsstödet").wait_for(timeout=60_000)
    wait_until_idle(page)
    _pick(page, "Kommun", "Södertälje")
    _pick(page, "Prioriterat område", "Life science, vård och hälsa")
    page.get_by_text("I Södertälje finns 2 aktiva innovationsmiljöer").wait_for(timeout=30_000)
    page.get_by_text("Ingen av miljöerna är i data kopplad").wait_for(timeout=30_000)
    wait_until_idle(page)
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts / "governance_page.png"), full_page=False)
    page.get_by_role("img").first.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "governance_network.png"))
    s.assert_clean()
    page.context.close()


def test_the_network_is_interactive_and_readable(app_server, chromium, artifacts):
    s = open_session(chromium, viewport=(1500, 1100))
    page = s.page
    page.goto(app_server.url)
    wait_until_idle(page)
    page.get_by_role("link", name="Styrning").click()
    page.get_by_text("Flernivåstyrning av innovationsstödet").wait_for(timeout=60_000)
    wait_until_idle(page)
    frame_el = page.locator("iframe[srcdoc]").first
    frame_el.scroll_into_view_if_needed()
    net = page.frame_locator("iframe[srcdoc]").first
    net.locator("g.node").first.wait_for(timeout=30_000)
    total = net.locator("g.node").count()
    assert total > 40
    # full names on hover, not cut labels
    node = net.locator("g.node", has_text="European Regional Development").first
    node.hover()
    tip = net.locator("#tip")
    tip.wait_for(state="visible")
    assert "European Regional Development Fund (ERDF)" in tip.inner_text()
    # filter by municipality and area: fewer nodes, Södertälje Science Park among them
    net.locator("#f-muni").select_option("0181")
    net.locator("#f-area").select_option("industrial_transition")
    shown = net.locator("g.node").count()
    assert 0 < shown < total
    assert net.locator("g.node", has_text="Södertälje Science Park").count() == 1
    # highlight a chain: its links turn red, the rest is dimmed
    chains = net.locator("#f-chain option")
    labels = [chains.nth(i).inner_text() for i in range(chains.count())]
    pick = next(i for i, text in enumerate(labels) if "Fordonsdalen" in text
                and "Södertälje Science Park" in text)
    net.locator("#f-chain").select_option(index=pick)
    assert net.locator("path.edge.hl").count() == 3
    assert net.locator("g.node.hl").count() == 4
    before = net.locator("#view").get_attribute("transform")
    net.locator("#zoom-in").click()
    assert net.locator("#view").get_attribute("transform") != before
    page.screenshot(path=str(artifacts / "governance_network_interactive.png"))
    # the matrix is not cut: its table fits the page width
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1500
    page.screenshot(path=str(artifacts / "governance_matrix.png"))
    s.assert_clean()
    page.context.close()


def test_priorities_page_in_both_languages(app_server, chromium, artifacts):
    s = open_session(chromium, viewport=(1500, 1100))
    page = s.page
    page.goto(app_server.url)
    wait_until_idle(page)
    page.get_by_role("link", name="Prioriteringar").click()
    page.get_by_text("Smarta prioriteringar på alla territoriella nivåer").wait_for(timeout=60_000)
    wait_until_idle(page)
    page.get_by_text("förankrat lokalt i 4 kommuner").wait_for()
    _pick(page, "Cellens nivå", "Delregional")
    page.get_by_text("Delregional · Life science, vård och hälsa").wait_for(timeout=30_000)
    page.screenshot(path=str(artifacts / "priorities_sv.png"), full_page=False)
    page.get_by_text("English", exact=True).click()
    wait_until_idle(page)
    page.get_by_text("Smart priorities across territorial levels").first.wait_for(timeout=30_000)
    page.get_by_text("anchored locally in 4 municipalities").wait_for()
    page.get_by_text("The smart territorial map").first.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "priorities_en.png"), full_page=False)
    s.assert_clean()
    page.context.close()
