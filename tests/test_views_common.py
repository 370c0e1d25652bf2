"""What the pages share (smartmap.app.views.common) and the one idiom for widget values
(smartmap.app.ui), whose binding is checked here in a headless Streamlit run."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from smartmap.app.views.common import county_name, term_list, term_options, translator
from smartmap.core import vocab


def test_term_options_in_canonical_order(territory):
    region = territory.region
    assert term_options("area", territory) == list(region.area_ids)
    assert term_options("area_or_any", territory) == [*region.area_ids, vocab.ANY_AREA]
    assert term_options("core_class", territory) == list(region.core_classes.ids)
    assert term_options("status", territory) == ["active", "planned", "closed"]


def test_term_list_reads_a_list_in_canonical_order(territory):
    assert term_list("climate_urban;ict", "area", territory) == ["ict", "climate_urban"]
    assert term_list(None, "area", territory) == [] == term_list(float("nan"), "service", territory)


@pytest.mark.parametrize("code, lang, name", [("01", "sv", "Stockholms län"),
                                              ("01", "en", "Stockholm County"),
                                              ("03", "en", "Uppsala län")])
def test_county_name(code, lang, name):
    from smartmap.data.layers import load_territory

    assert county_name(load_territory(code), lang) == name


def test_translator_is_bound_to_its_language():
    sv, en = translator("sv"), translator("en")
    assert sv("page_about") == vocab.text("page_about", "sv") != en("page_about")
    assert en("table_environments", n=3) == vocab.text("table_environments", "en", n=3)


def _bound_widgets() -> None:
    import streamlit as st

    from smartmap.app import ui

    options = st.session_state.get("opts", ["a", "b", "c"])
    t = ui.translator(ui.lang())
    st.selectbox("one", options=options, format_func=lambda o: f"{t('all')} {o}",
                 **ui.bind("one", "a", options=options))
    st.multiselect("many", options=options, format_func=lambda o: f"{t('all')} {o}",
                   **ui.bind("many", ["a"], options=options))


def test_bound_widgets_keep_ids_across_a_language_switch_and_drop_lost_options():
    # AppTest sends each value under its current label, so the browser's stale label after a
    # language switch is exercised by tests/browser/test_language_browser.py
    at = AppTest.from_function(_bound_widgets)
    at.run()
    assert at.selectbox(key="one").value == "a" and at.multiselect(key="many").value == ["a"]
    at.selectbox(key="one").set_value("c")
    at.multiselect(key="many").set_value(["b", "c"])
    at.run()
    at.session_state["sm_lang"] = "en"  # every option's label changes
    at.run()
    assert not at.exception
    assert at.selectbox(key="one").value == "c" and at.multiselect(key="many").value == ["b", "c"]
    assert at.selectbox(key="one").options[2] == f"{vocab.text('all', 'en')} c"
    at.session_state["opts"] = ["a", "b"]  # "c" is no longer an option
    at.run()
    assert at.selectbox(key="one").value == "a" and at.multiselect(key="many").value == ["b"]
