"""The governance page and the action-plan report in a real browser, with the network cut off."""

from __future__ import annotations

import pytest

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
    _images_loaded(page)
    box = page.get_by_label(label, exact=True)
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option, exact=True).click()
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
