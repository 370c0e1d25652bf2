"""The priorities page's view-model (smartmap.app.views.priorities), without streamlit, in both
languages."""

from __future__ import annotations

import pandas as pd
import pytest

from smartmap.analysis import alignment as al
from smartmap.app.views import priorities as view
from smartmap.core import vocab


@pytest.fixture(scope="module")
def p(territory):
    return view.priorities_of(territory)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_summary(p, lang):
    table = view.summary_table(p, lang)
    assert len(table) == 4 and table.columns[0] == vocab.text("pri_col_area", lang)
    life = table.iloc[0]
    assert life.iloc[2].startswith("4: Huddinge, Botkyrka, Stockholm, Solna")
    sentences = view.summary_sentences(p, lang)
    assert sentences[-1] == vocab.text("pri_s_all_anchored", lang)
    assert "Stockholm" in sentences[1]


@pytest.mark.parametrize("lang, word", [("sv", "aktörer"), ("en", "actors")])
def test_matrix_and_drill_down(p, lang, word):
    m = view.matrix_view(p, lang)
    assert m.table.shape == (6, 4) and list(m.table.columns) == list(p.territory.region.area_ids)
    assert m.table.index[0] == vocab.label(vocab.TerritorialLevel.EU, lang)
    assert word in m.table.loc[view.level_label("regional", lang), "life_science"]
    assert m.first_filled == ("regional", "life_science")
    cell = view.cell_detail(p, "sub_regional", "industrial_transition", lang)
    assert "1" in cell.heading
    assert cell.statements.iloc[0, 0] == "Södertörnssamarbetet"
    assert cell.statements.iloc[0, 4].startswith("https://sodertornskommunerna.se")
    assert "Södertörnssamarbetet" in set(cell.spaces.iloc[:, 0])
    # superseded statements are shown, after the counted ones, with their standing
    life = view.cell_detail(p, "sub_regional", "life_science", lang)
    assert life.statements.iloc[0, 3] == vocab.label(vocab.Standing.SUPERSEDED, lang)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_alignment_table_and_labels(p, lang):
    table = view.alignment_table(p, "municipal", view.ALL, lang)
    assert len(table) == 26 * 4
    assert vocab.text("pri_lq_support", lang) in table.columns
    assert vocab.text("pri_lq_employment", lang) in table.columns
    assert (table[vocab.text("pri_lq_employment", lang)] == "–").all()  # no employment shipped
    haninge = table[(table.iloc[:, 0] == "Haninge")
                    & (table.iloc[:, 2] == p.label("climate_urban", lang))]
    assert haninge.iloc[0, 3] == vocab.label(vocab.AlignmentStatus.STATED_UNSUPPORTED, lang)
    assert len(view.alignment_table(p, view.ALL, "ict", lang)) == len(p.table) // 4


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_sources_collaborations_business_base(p, lang):
    s = view.statements_table(p, lang)
    assert len(s) == 45 and s.iloc[:, 8].str.startswith("http").all()
    sentence = view.no_source_sentence(p, lang)
    assert sentence.startswith(f"{len(al.unstated_municipalities(p.territory))} ")
    assert "Botkyrka" in sentence and "Vaxholm" not in sentence
    c = view.collaborations_table(p, lang)
    assert len(c) == 8
    text, table = view.employment_view(p, lang)
    assert table is None and text == vocab.text("pri_no_employment", lang)


def test_downloads_equal_the_cli_tables(p):
    table, matrix = view.downloads(p, "en")
    assert table.file_name == "alignment.csv" and table.label == "Download the alignment (CSV)"
    from io import BytesIO

    back = pd.read_csv(BytesIO(table.data()), dtype=str, keep_default_na=False)
    assert list(back.columns) == list(al.ALIGNMENT_COLUMNS) and len(back) == len(p.table)
    grid = pd.read_csv(BytesIO(matrix.data()), dtype=str, keep_default_na=False)
    assert len(grid) == 24
