"""A language switch in a real browser keeps the user's choices, shown in the new language, and
they keep working on the next interaction (the browser sends a select's value by its label)."""

import pytest

from smartmap.render import maps
from tests.browser_harness import (
    ENV_MARKERS,
    choose_radio,
    environment_count,
    open_session,
    pick_multiselect,
    pick_selectbox,
    wait_for_map,
    wait_until_idle,
)

pytestmark = pytest.mark.browser


def _chosen(page, label: str) -> str:
    """The chosen values the multiselect labelled ``label`` shows (its chips)."""
    multi = page.locator('[data-testid="stMultiSelect"]')
    return multi.filter(has=page.get_by_label(label, exact=True)).first.inner_text()


def _selected(page, label: str) -> str:
    """The option the selectbox labelled ``label`` shows."""
    return page.get_by_label(label, exact=True).input_value()


def test_choices_survive_a_language_switch_and_the_next_click(app_server, chromium, artifacts,
                                                                territory):
    s = open_session(chromium)
    page = s.page
    page.goto(app_server.url)
    wait_for_map(s, ENV_MARKERS)
    wait_until_idle(page)
    env = maps.drawable(territory.environments)  # rows without coordinates are not drawn
    life = (env["status"].isin(["active", "planned"])
            & env["priority_areas"].str.contains("life_science")).sum()
    pick_multiselect(page, "Prioriterade områden", "Life science, vård och hälsa")
    pick_selectbox(page, "Färglägg kommuner efter", "Antal innovationsmiljöer [st]")
    page.wait_for_timeout(800)
    assert environment_count(s) == life

    choose_radio(page, "English")
    page.get_by_role("heading", name="Innovation support in Stockholm County").wait_for()
    assert "Life science, health and care" in _chosen(page, "Priority areas")
    assert "Number of innovation environments [count]" in _selected(page, "Colour municipalities by")

    # another interaction sends every widget's value again: the choices still hold
    choose_radio(page, "priority area")
    page.wait_for_timeout(800)
    wait_until_idle(page)
    assert "Life science, health and care" in _chosen(page, "Priority areas")
    assert "Number of innovation environments [count]" in _selected(page, "Colour municipalities by")
    assert environment_count(s) == life
    assert "Number of innovation environments" in s.map_frame().locator("body").inner_text()
    page.screenshot(path=str(artifacts / "language_switch.png"))
    s.assert_clean()
    page.context.close()


def _after(page, selector: str) -> list[str]:
    """The ``::after`` content of every element matching ``selector`` (what CSS writes there)."""
    return page.eval_on_selector_all(
        selector, "els => els.map(e => getComputedStyle(e, '::after').content)")


def test_the_file_uploaders_speak_swedish(app_server, chromium):
    """Streamlit's uploader says "Upload" and "20MB per file" in its own English; the data page
    says both in Swedish, and in English as Streamlit does."""
    s = open_session(chromium)
    page = s.page
    page.goto(app_server.url.rstrip("/") + "/data")
    page.get_by_role("heading", name="Egna data").wait_for()
    page.locator('[data-testid="stFileUploaderDropzone"]').nth(1).wait_for()
    wait_until_idle(page)
    page.wait_for_function(  # the style arrives with the page's elements
        """() => [...document.querySelectorAll(
                 '[data-testid="stFileUploaderDropzoneInstructions"] span')]
                 .filter(e => getComputedStyle(e, '::after').content !== 'none').length === 2""",
        timeout=20_000)
    buttons = _after(page, '[data-testid="stFileUploaderDropzone"] '
                           '[data-testid="stBaseButton-secondary"] p')
    limits = _after(page, '[data-testid="stFileUploaderDropzoneInstructions"] span')
    assert buttons == ['"Ladda upp"'] * 2, buttons
    assert limits[0].startswith('"Högst ') and "MB per fil • CSV" in limits[0], limits
    hidden = page.eval_on_selector_all('[data-testid="stFileUploaderDropzoneInstructions"] span',
                                       "els => els.map(e => getComputedStyle(e).fontSize)")
    assert hidden == ["0px"] * 2
    choose_radio(page, "English")
    page.get_by_role("heading", name="Your data").wait_for()
    page.locator('[data-testid="stFileUploaderDropzone"]').nth(1).wait_for()
    wait_until_idle(page)
    assert _after(page, '[data-testid="stFileUploaderDropzoneInstructions"] span') == ["none"] * 2
    s.assert_clean()
    page.context.close()
