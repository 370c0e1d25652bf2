"""The "about the data" page's view-model (smartmap.app.views.about), without streamlit."""

from __future__ import annotations

import pytest

from smartmap import __version__
from smartmap.app.views.about import about_view
from smartmap.data.layers import LAYERS
from tests.conftest import ROOT


@pytest.mark.parametrize("lang, title, first", [("sv", "Om data och källor", "Lager"),
                                                ("en", "About the data", "Layer")])
def test_about_view_in_both_languages(territory, lang, title, first):
    v = about_view(territory, lang)
    assert v.title == title
    assert v.layers.columns[0] == first and len(v.layers) == len(LAYERS)
    assert len(v.problems) == len(territory.problems) and v.problems.shape[1] == 7
    assert v.provenance == (ROOT / "geodata" / "PROVENANCE.md").read_text(encoding="utf-8")
    assert v.provenance_heading.endswith("(PROVENANCE.md)")
    assert v.version == f"smartmap {__version__}"


def test_headers_are_translated_and_data_untouched(territory):
    sv, en = about_view(territory, "sv"), about_view(territory, "en")
    assert list(sv.problems.columns) != list(en.problems.columns)
    # the findings themselves are the same in both languages; only the severity is translated
    same = sv.problems.columns[1:]
    assert sv.problems[same].reset_index(drop=True).equals(
        en.problems.iloc[:, 1:].reset_index(drop=True).set_axis(same, axis=1))
    assert list(territory.problems.columns)[:2] == ["source", "row"]  # the territory's own table
    rows = dict(zip(en.layers["Layer"], en.layers["Rows"], strict=True))
    assert rows[LAYERS["environments"].title("en")] == len(territory.environments)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_no_raw_none_and_layers_and_severities_in_the_page_language(territory, lang):
    """A layer without geometry says so instead of "None"; severities and layer names are
    translated; no cell of either table reads None, nan or <NA>."""
    from smartmap.core import vocab

    v = about_view(territory, lang)
    for table in (v.layers, v.problems):
        text = table.astype(str)
        assert not text.isin(["None", "nan", "<NA>", "NaN"]).any().any()
    located = v.layers.set_index(v.layers.columns[0]).iloc[:, 2]
    actors = vocab.text("no_geometry", lang)
    assert (located == actors).sum() == 2  # actors and links have no geometry
    severities = set(v.problems.iloc[:, 0])
    assert severities <= {vocab.text(f"severity_{s}", lang) for s in ("error", "warning", "info")}
    if lang == "sv":
        assert "Innovationsmiljöer" in set(v.layers.iloc[:, 0]) and "varning" in severities
