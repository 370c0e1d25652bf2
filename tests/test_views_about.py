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


def test_headers_and_messages_are_translated_and_places_untouched(territory):
    sv, en = about_view(territory, "sv"), about_view(territory, "en")
    assert list(sv.problems.columns) != list(en.problems.columns)
    where = [1, 2, 3, 4]  # source, row, record_id, field: the same in both languages
    assert sv.problems.iloc[:, where].equals(en.problems.iloc[:, where].set_axis(
        sv.problems.columns[where], axis=1))
    own = territory.problems  # the territory's own table stays English
    assert list(own.columns)[:2] == ["source", "row"]
    assert en.problems.iloc[:len(own), 5].tolist() == own["message"].tolist()
    assert sv.problems.iloc[:, 5].tolist() != en.problems.iloc[:, 5].tolist()
    assert set(sv.problems.iloc[:, 0]) <= {"fel", "varning", "information"}
    rows = dict(zip(en.layers["Layer"], en.layers["Rows"], strict=True))
    assert rows[LAYERS["environments"].title("en")] == len(territory.environments)


@pytest.mark.parametrize("lang, share, summary, none_found, planned", [
    ("sv", "86,8 %", "10 av 26 kommuner", "sökt 2026-12-07, inget hittat", "(planerad)"),
    ("en", "86.8 %", "10 of 26 municipalities", "searched on 2026-12-07, none found",
     "(planned)")])
def test_population_and_white_spots_in_both_languages(territory, lang, share, summary,
                                                      none_found, planned):
    v = about_view(territory, lang)
    assert len(v.population) == 26 and v.population.shape[1] == 10
    stockholm = v.population.set_index(v.population.columns[0]).loc["Stockholm"]
    assert stockholm.iloc[6] == ("131 250" if lang == "sv" else "131,250")
    assert stockholm.iloc[7] == share and stockholm.iloc[8] == ("ja" if lang == "sv" else "yes")
    assert summary in v.population_sentences[1]
    assert "2010–2024" in v.population_sentences[0] and "95,0 %" in about_view(
        territory, "sv").population_note
    result = v.white_spots.iloc[:, 2]
    assert len(v.white_spots) == 11 and (result == none_found).sum() == 7
    assert result.str.contains(planned, regex=False).sum() == 1  # Ekerö's planned test bed
    assert v.white_spots_missing is None
    counts = dict(zip(v.verification.iloc[:, 0], v.verification.iloc[:, 1], strict=True))
    assert sorted(counts.values()) == [4, 7, 9, 24, 48, 92]


def test_the_page_and_provenance_md_are_one_computation(territory):
    """The English tables of the page are the ones PROVENANCE.md carries."""
    from smartmap.render.provenance import markdown_table, read_blocks

    v = about_view(territory, "en")
    blocks = read_blocks((ROOT / "geodata" / "PROVENANCE.md").read_text(encoding="utf-8"))
    assert markdown_table(v.population, numeric=(1, 2, 3, 5, 6, 7, 8)) in blocks["population"]
    assert all(s in blocks["population"] for s in v.population_sentences)
    assert markdown_table(v.verification, numeric=(1,)) == blocks["verification"]
    for name, result in zip(v.white_spots.iloc[:, 0], v.white_spots.iloc[:, 2], strict=True):
        assert f"**{name} (" in blocks["white-spots"] and result in blocks["white-spots"]


def test_a_bare_region_says_it_has_no_record_and_no_provenance():
    from smartmap.data.layers import load_territory

    v = about_view(load_territory("12"), "en")
    assert v.provenance is None
    assert v.white_spots_missing == ("The data package records no search for white spots "
                                     "(white_spot_search.csv).")
    assert len(v.population_sentences) == 1  # no population: nothing located to speak of


def test_a_bad_white_spot_record_shows_among_the_findings(tmp_path):
    import shutil

    from smartmap.data.layers import load_territory

    package = tmp_path / "pkg"
    shutil.copytree(ROOT / "geodata", package)
    (package / "white_spot_search.csv").write_text(
        "kommun_kod,searched_on,found_ids,sources\n0999,2026-12-07,,https://example.org\n",
        encoding="utf-8")
    t = load_territory(data_dir=package)
    v = about_view(t, "en")
    assert len(v.problems) == len(t.problems) + 1
    last = v.problems.iloc[-1]
    assert (last["Source"], last["Field"]) == ("white_spot_search.csv", "kommun_kod")




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
    without = [n for n, spec in LAYERS.items() if not spec.has_points and n != "municipalities"]
    assert (located == actors).sum() == len(without) == 6  # actors, links, priorities ...
    severities = set(v.problems.iloc[:, 0])
    from smartmap.core.problemtext import severity_text

    assert severities <= {severity_text(s, lang) for s in ("error", "warning", "info")}
    if lang == "sv":
        assert "Innovationsmiljöer" in set(v.layers.iloc[:, 0]) and "varning" in severities
