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
    assert sv.problems.reset_index(drop=True).equals(en.problems.reset_index(drop=True)
                                                     .set_axis(sv.problems.columns, axis=1))
    assert list(territory.problems.columns)[:2] == ["source", "row"]  # the territory's own table
    rows = dict(zip(en.layers["Layer"], en.layers["Rows"], strict=True))
    assert rows["environments"] == len(territory.environments)
