"""The governance page's view-model (smartmap.app.views.governance), without streamlit."""

from __future__ import annotations

import json

import pytest

from smartmap.analysis import governance
from smartmap.app.views import governance as view
from smartmap.core import vocab


@pytest.fixture(scope="module")
def g(territory):
    return view.governance_of(territory)


def test_options(g, territory):
    codes = view.municipality_options(g)
    assert codes[0] == view.WHOLE_COUNTY and len(codes) == len(territory.municipalities) + 1
    assert g.municipality("", "en") == vocab.text("gov_whole_county", "en")
    assert g.municipality("0181", "en") == "Södertälje"
    assert view.area_options(g) == [*g.territory.region.area_ids, vocab.ANY_AREA]
    assert view.dimension_label("area", "en") == "Priority areas"
    assert view.dimension_label("service", "sv") == vocab.text("services", "sv")


@pytest.mark.parametrize("lang, start", [("sv", "I hela länet finns"),
                                         ("en", "The whole county has")])
def test_county_question_in_both_languages(g, territory, lang, start):
    sentences, hint = view.question(g, "", vocab.ANY_AREA, lang)
    n = len(governance._counted(territory, None))
    assert sentences == [sentences[0]] and sentences[0].startswith(f"{start} {n} ")
    assert hint == vocab.text("gov_pick_hint", lang)


def test_municipality_question(g):
    sentences, hint = view.question(g, "0181", "life_science", "sv")
    text = "\n".join(sentences)
    assert hint is None
    assert "I Södertälje finns 2 aktiva innovationsmiljöer inom Life science, vård och hälsa" in text
    assert "Acturum Biovation Park (privat)" in text


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_matrix_and_cell(g, territory, lang):
    m = view.matrix_view(g, "area", "", lang)
    assert m.table.shape == (5, 9) and m.keys == view.area_options(g)
    assert list(m.table.index) == [g.label(k, lang) for k in m.keys]
    assert m.column_labels["eu"] == vocab.label("eu", lang)
    row, level = m.first_filled
    assert m.table.loc[g.label(row, lang), level] > 0
    sentence, cell = view.cell_view(g, m, "life_science", "eu", "area", "", lang)
    expected = governance.cell_nodes(governance.involvement(territory, None, "area"),
                                     "life_science", "eu")
    assert sentence.startswith(f"{len(expected)} ") and cell.shape == (len(expected), 4)
    assert "European Regional Development Fund" in set(cell.iloc[:, 0])
    assert cell.columns[0] == vocab.text("name", lang)


def test_an_empty_municipality_has_an_empty_matrix(g):
    m = view.matrix_view(g, "service", "0187", "sv")  # Vaxholm: no environment
    assert m.table.shape == (len(vocab.values(vocab.Service)), 9)
    assert int(m.table.to_numpy().sum()) == 0 and m.first_filled == (m.keys[0], m.levels[0])
    _, cell = view.cell_view(g, m, m.keys[0], m.levels[0], "service", "0187", "sv")
    assert cell is None


def test_network(g, territory):
    heading, links = view.network_table(g, "0181", "industrial_transition", "en")
    _, edges = governance.network(territory, g.params, "0181", "industrial_transition")
    assert heading == vocab.text("gov_network_table", "en", n=len(edges))
    assert list(links.columns) == ["From", "Relation", "To"] and len(links) == len(edges)
    assert view.network_png(territory, "0181", "any", "en").startswith(b"\x89PNG")


@pytest.mark.parametrize("lang, word", [("sv", "Markera en kedja"), ("en", "Highlight a chain")])
def test_interactive_network(g, territory, lang, word):
    html = view.network_html(territory, "0181", "industrial_transition", lang)
    data = json.loads(html.split('type="application/json">', 1)[1].split("</script>", 1)[0])
    assert data["labels"]["chain"] == word and data["initial"] == {
        "area": "industrial_transition", "muni": "0181"}
    ids = {n["id"] for n in data["nodes"]}
    assert {"erdf", "erdf-programme-stockholm", "sodertalje-science-park", "sodertorn"} <= ids
    full = {n["id"]: n["name"] for n in data["nodes"]}
    assert full["erdf"] == "European Regional Development Fund (ERDF)"  # full name, not cut
    ssp = next(n for n in data["nodes"] if n["id"] == "sodertalje-science-park")
    assert "industrial_transition|0181" in ssp["pairs"]
    chain = next(c for c in data["chains"] if c["nodes"][0] == "sodertalje-science-park")
    assert chain["nodes"][-1] == "erdf"
    assert {e["rel"] for e in data["edges"]} >= {"funds", "owns"}
    assert "https://" not in html and "<link" not in html  # nothing fetched


def test_problems_table_names_layers_not_files(g):
    table = view.problems_table(g, "en")
    assert len(table) == len(g.model.problems)
    assert not table.iloc[:, 0].str.endswith(".csv").any()
    assert "Innovation environments" in set(table.iloc[:, 0])


def test_actor_territory(g, territory):
    actors, default = view.actor_options(g, "")
    assert default == "region-stockholm" and set(actors) == set(g.model.actors["node_id"])
    levels = [g.node_levels[a] for a in actors]
    order = vocab.values(vocab.Level)
    assert levels == sorted(levels, key=lambda lv: order.index(lv) if lv in order else 99)
    kth = view.actor_view(g, "kth", "sv")
    assert "omfattar 2 av länets 26 kommuner" in kth.text and len(kth.municipalities) == 2
    assert "partner utomlands (ES)" in view.actor_view(g, "beaz", "sv").text
    assert view.actor_label(g, "kth", "en").endswith("(Academic)")
    assert view.actor_png(territory, "kth", "sv").startswith(b"\x89PNG")
    _, chosen = view.actor_options(g, "0181")  # an actor whose own territory lists Södertälje
    cov = governance.actor_coverage(territory)
    assert ((cov["actor_id"] == chosen) & (cov["kommun_kod"] == "0181")
            & (cov["scope"] == "explicit")).any()


def test_chains_gaps_levels(g, territory):
    chains = view.chains_table(g, "0181", "industrial_transition", "en")
    assert chains.index.name == "Municipality" and set(chains.index) == {"Södertälje"}
    assert any("European Regional Development Fund (EU) → ERDF regional programme" in c
               for c in chains[vocab.text("col_chain", "en")])
    everything = view.chains_table(g, "", vocab.ANY_AREA, "sv")
    assert len(everything) > len(chains)
    gaps = view.gaps_table(g, "", vocab.ANY_AREA, "sv")
    assert len(gaps) == len(governance.gaps(territory, g.params))
    assert all(s[:1].isupper() for s in gaps.iloc[:, 1])
    levels = view.levels_table(g, "en")
    assert len(levels) == len(territory.municipalities) and levels.columns[0] == "Municipality"


def test_report_download_in_the_language(g):
    d = view.report_download(g, "en")
    assert d.file_name == "smartmap_report_en.html" and d.mime == "text/html"
    assert d.label == vocab.text("gov_report_button", "en")
