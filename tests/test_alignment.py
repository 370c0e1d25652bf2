"""Smart priorities across territorial levels: the alignment rules on a hand-made territory.

Every expected value below was worked out on paper from the rows in ``fixture()`` with the rules
of docs/alignment.md (R = 10 km):

- A (0101), B (0102), C (0103): 20 km squares side by side, 1,000 residents each on one point in
  the middle (10,10), (30,10), (50,10) km.
- e1 life science at (10,12) in A, 2 km from A's residents; e2 ICT at (12,10) in A, funded by a
  national and a regional programme; e3 life science at (58,10) in C, 8 km from C's residents.
  So life science covers A and C, ICT covers A only; nothing covers B.
- the collaboration ab (A and B); the urban cores core-a at (10,10) in A and core-b at (30,10) in B.
- statements: the region states life science, ICT and climate; ab states life science (and ICT
  in a superseded programme); A states ICT; B states life science as a weak signal; someone else
  says C is about life science (context); core-a states life science; A also names a niche.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from smartmap.analysis import alignment as al
from smartmap.analysis import assessment as ass
from smartmap.analysis import rules
from smartmap.analysis import scenario as S
from smartmap.analysis.params import MetricParams
from smartmap.analysis.workshop import Evaluator
from smartmap.core import lists
from smartmap.data import schemas
from smartmap.data.layers import LAYERS, load_territory
from tests import synthetic as syn

A, B, C = "0101", "0102", "0103"
COUNTY = syn.TEST_REGION.county
SRC = "https://example.org/doc"


def _table(name: str, rows: list[dict]) -> pd.DataFrame:
    fields = LAYERS[name].fields_for(syn.TEST_REGION)
    text = pd.DataFrame([{f.name: str(r.get(f.name, "")) for f in fields} for r in rows],
                        columns=[f.name for f in fields], dtype="str")
    return schemas.to_typed(text, fields)


def _said(pid, level, tid, codes, area, standing, niche=""):
    return {"priority_id": pid, "level": level, "territory_id": tid, "territory_name": tid,
            "kommun_koder": codes, "area": area, "niche": niche, "wording": f"{pid} says so",
            "document_title": "doc", "publisher": "pub", "source_url": SRC,
            "accessed": "2026-12-07", "standing": standing}


def fixture():
    munis = [{"kommun_kod": k, "kommun": n, "population": 1000, "population_year": 2024,
              "geometry": syn.square(x, 0, 20)}
             for k, n, x in ((A, "Aby", 0), (B, "Bby", 20), (C, "Cby", 40))]
    envs = [syn.environment("e1", A, 10, 12, areas="life_science"),
            syn.environment("e2", A, 12, 10, areas="ict", level="regional"),
            syn.environment("e3", C, 58, 10, areas="life_science")]
    points = [syn.population_point("a1", A, 10, 10, 1000),
              syn.population_point("b1", B, 30, 10, 1000),
              syn.population_point("c1", C, 50, 10, 1000)]
    cores = [syn.core("core-a", "outer_core", A, 10, 10), syn.core("core-b", "outer_core", B, 30, 10)]
    actors = [syn.actor("nat-prog", "national", "national", "programme"),
              syn.actor("reg-prog", "regional", "county", "programme"),
              syn.actor("kommun-0101", "municipal", A)]
    t = syn.make_territory(munis, envs, points, (), cores, actors)
    links = _table("links", [
        {"from_actor_id": "nat-prog", "to_actor_id": "e2", "relation": "funds", "source_url": SRC},
        {"from_actor_id": "reg-prog", "to_actor_id": "e2", "relation": "funds", "source_url": SRC},
    ])
    collab = _table("collaborations", [{"collab_id": "ab", "name": "AB (the pair)",
                                        "kind": "development", "kommun_koder": f"{A};{B}",
                                        "source_url": SRC}])
    said = _table("priorities", [
        _said("r-ls", "regional", COUNTY, f"{A};{B};{C}", "life_science", "adopted"),
        _said("r-ict", "regional", COUNTY, f"{A};{B};{C}", "ict", "adopted"),
        _said("ab-ls", "sub_regional", "ab", f"{A};{B}", "life_science", "adopted"),
        _said("ab-ict-old", "sub_regional", "ab", f"{A};{B}", "ict", "superseded"),
        _said("m-a-ict", "municipal", A, A, "ict", "adopted"),
        _said("m-b-ls", "municipal", B, B, "life_science", "signal"),
        _said("m-c-x", "municipal", C, C, "life_science", "context"),
        _said("core-a-ls", "urban_core", "core-a", A, "life_science", "adopted"),
        _said("m-a-niche", "municipal", A, A, "", "adopted", niche="tourism"),
        _said("r-clim", "regional", COUNTY, f"{A};{B};{C}", "climate_urban", "adopted"),
    ])
    emp = _table("employment", [
        {"kommun_kod": A, "year": 2023, "industry_code": "21.1", "employed": 100, "source_url": SRC},
        {"kommun_kod": A, "year": 2023, "industry_code": "47", "employed": 300, "source_url": SRC},
        {"kommun_kod": B, "year": 2023, "industry_code": "21", "employed": 50, "source_url": SRC},
        {"kommun_kod": B, "year": 2023, "industry_code": "47", "employed": 50, "source_url": SRC},
        {"kommun_kod": C, "year": 2023, "industry_code": "47", "employed": 500, "source_url": SRC},
        {"kommun_kod": C, "year": 2019, "industry_code": "21", "employed": 999, "source_url": SRC},
    ])
    walk = _table("industry_areas", [{"industry_code": "21", "area": "life_science",
                                      "source_url": SRC}])
    return t.replace(links=links, collaborations=collab, priorities=said, employment=emp,
                     industry_areas=walk)


N = math.nan
LS, ICT, IND, CLIM = "life_science", "ict", "industrial_transition", "climate_urban"
ALL_LS = "regional;sub_regional;municipal;urban_core"
# territory, area: stated, strength, stated_by, statements, n_env, cov, lq_support,
#                  funding_levels, duplicated, status
EXPECTED = {
    (COUNTY, LS): (True, "adopted", ALL_LS, "r-ls;ab-ls;m-b-ls;core-a-ls", 2, 2 / 3, N, 0, False,
                   "aligned"),
    (COUNTY, ICT): (True, "adopted", "regional;municipal", "r-ict;m-a-ict", 1, 1 / 3, N, 2, True,
                    "aligned"),
    (COUNTY, IND): (False, "", "", "", 0, 0.0, N, 0, False, "neither"),
    (COUNTY, CLIM): (True, "adopted", "regional", "r-clim", 0, 0.0, N, 0, False,
                     "stated_unsupported"),
    ("ab", LS): (True, "adopted", ALL_LS, "r-ls;ab-ls;m-b-ls;core-a-ls", 1, 0.5, 0.75, 0, False,
                 "aligned"),
    ("ab", ICT): (False, "", "regional;municipal", "r-ict;m-a-ict", 1, 0.5, 1.5, 2, True,
                  "supported_not_stated"),
    ("ab", IND): (False, "", "", "", 0, 0.0, N, 0, False, "neither"),
    ("ab", CLIM): (False, "", "regional", "r-clim", 0, 0.0, N, 0, False, "neither"),
    (A, LS): (False, "", "regional;sub_regional;urban_core", "r-ls;ab-ls;core-a-ls", 1, 1.0, 0.75,
              0, False, "supported_not_stated"),
    (A, ICT): (True, "adopted", "regional;municipal", "r-ict;m-a-ict", 1, 1.0, 1.5, 2, True,
               "aligned"),
    (A, IND): (False, "", "", "", 0, 0.0, N, 0, False, "neither"),
    (A, CLIM): (False, "", "regional", "r-clim", 0, 0.0, N, 0, False, "neither"),
    (B, LS): (True, "signal", "regional;sub_regional;municipal", "r-ls;ab-ls;m-b-ls", 0, 0.0, N, 0,
              False, "stated_unsupported"),
    (B, ICT): (False, "", "regional", "r-ict", 0, 0.0, N, 0, False, "neither"),
    (B, IND): (False, "", "", "", 0, 0.0, N, 0, False, "neither"),
    (B, CLIM): (False, "", "regional", "r-clim", 0, 0.0, N, 0, False, "neither"),
    (C, LS): (False, "", "regional", "r-ls", 1, 1.0, 1.5, 0, False, "supported_not_stated"),
    (C, ICT): (False, "", "regional", "r-ict", 0, 0.0, 0.0, 0, False, "neither"),
    (C, IND): (False, "", "", "", 0, 0.0, N, 0, False, "neither"),
    (C, CLIM): (False, "", "regional", "r-clim", 0, 0.0, N, 0, False, "neither"),
    ("core-a", LS): (True, "adopted", "regional;sub_regional;urban_core", "r-ls;ab-ls;core-a-ls",
                     1, N, N, 0, False, "aligned"),
    ("core-a", ICT): (False, "", "regional;municipal", "r-ict;m-a-ict", 1, N, N, 2, True,
                      "supported_not_stated"),
    ("core-a", IND): (False, "", "", "", 0, N, N, 0, False, "neither"),
    ("core-a", CLIM): (False, "", "regional", "r-clim", 0, N, N, 0, False, "neither"),
    ("core-b", LS): (False, "", "regional;sub_regional;municipal", "r-ls;ab-ls;m-b-ls", 0, N, N, 0,
                     False, "neither"),
    ("core-b", ICT): (False, "", "regional", "r-ict", 0, N, N, 0, False, "neither"),
    ("core-b", IND): (False, "", "", "", 0, N, N, 0, False, "neither"),
    ("core-b", CLIM): (False, "", "regional", "r-clim", 0, N, N, 0, False, "neither"),
}
COLUMNS = ("stated", "strength", "stated_by", "statements", "n_env", "cov", "lq_support",
           "funding_levels", "duplicated", "status")


@pytest.fixture(scope="module")
def t():
    return fixture()


@pytest.fixture(scope="module")
def table(t):
    return al.alignment(t)


def _same(a, b) -> bool:
    if isinstance(b, float) and math.isnan(b):
        return isinstance(a, float) and math.isnan(a)
    if isinstance(b, float):
        return a == pytest.approx(b, abs=1e-12)
    return a == b


def test_the_alignment_table_equals_the_hand_made_one(table):
    assert list(table.columns) == list(al.ALIGNMENT_COLUMNS)
    order = list(dict.fromkeys(table["territory_id"]))
    assert order == [COUNTY, "ab", A, B, C, "core-a", "core-b"]
    assert list(table["level"].drop_duplicates()) == ["regional", "sub_regional", "municipal",
                                                      "urban_core"]
    got = table.set_index(["territory_id", "area"])
    assert set(got.index) == set(EXPECTED)
    for key, values in EXPECTED.items():
        for column, want in zip(COLUMNS, values, strict=True):
            value = got.at[key, column]
            value = value.item() if hasattr(value, "item") else value
            assert _same(value, want), (key, column, value, want)
    assert (got["supported"] == got["status"].isin(["aligned", "supported_not_stated"])).all()


def test_the_rules_live_in_one_place(table):
    assert table["status"].tolist() == rules.alignment_status(
        table["stated"], rules.is_supported(table["n_env"], table["cov"])).tolist()
    assert rules.counts_as_stated("signal") and not rules.counts_as_stated("context")
    assert rules.SUPPORT_MIN_COVERAGE == 0.5  # "ab" is supported at exactly half its residents


def test_employment_based_lq_beside_the_support_based_one(t, table):
    emp = al.employment_lq(t).set_index(["kommun_kod", "area"])
    assert emp.at[(A, LS), "year"] == 2023  # the latest year only (C's 2019 row is left out)
    assert emp.at[(A, LS), "employed_area"] == 100  # 21.1 starts with the crosswalk's 21
    assert emp.at[(A, LS), "lq_employment"] == pytest.approx((100 / 400) / (150 / 1000))
    assert emp.at[(B, LS), "lq_employment"] == pytest.approx((50 / 100) / (150 / 1000))
    assert emp.at[(C, LS), "lq_employment"] == 0.0
    assert math.isnan(emp.at[(A, ICT), "lq_employment"])  # no crosswalk code for ICT
    got = table.set_index(["territory_id", "area"])["lq_employment"]
    assert got[(A, LS)] == pytest.approx(emp.at[(A, LS), "lq_employment"])
    assert got[("ab", LS)] == pytest.approx((150 / 500) / (150 / 1000))
    assert math.isnan(got[("core-a", LS)]) and math.isnan(got[(COUNTY, LS)])


def test_without_employment_data_the_employment_lq_is_empty(t):
    bare = t.replace(employment=t.employment.iloc[0:0])
    assert al.employment_lq(bare).empty
    assert al.alignment(bare)["lq_employment"].isna().all()


def test_county_summary_by_hand(t, table):
    s = al.county_summary(t, table).set_index("area")
    assert s.loc[LS, ["regional", "n_anchoring", "anchoring", "n_subregional", "subregional",
                      "n_supported", "supported_not_stated", "stated_unsupported",
                      "no_statement_collaborations", "unanchored"]].tolist() == [
        True, 2, f"{A};{B}", 1, "ab", 2, f"{A};{C}", B, "", False]
    assert s.loc[ICT, ["n_anchoring", "anchoring", "n_subregional", "no_statement_collaborations",
                       "unanchored"]].tolist() == [1, A, 0, "ab", False]
    assert bool(s.at[CLIM, "unanchored"])  # the region states it, nobody locally
    assert s.at[CLIM, "stated_unsupported"] == COUNTY
    assert not bool(s.at[IND, "regional"]) and not bool(s.at[IND, "unanchored"])
    assert al.unstated_municipalities(t) == [C]  # C: only someone else's statement


def test_the_matrix_by_hand(t):
    m = al.territorial_matrix(t).set_index(["level", "area"])
    assert list(m.index.get_level_values(0).unique()) == list(al.LEVEL_ORDER)
    assert m.at[("regional", LS), "statements"] == "r-ls"
    assert m.at[("sub_regional", LS), "territories"] == "ab"
    assert m.at[("sub_regional", ICT), "statements"] == ""
    assert m.at[("sub_regional", ICT), "shown_statements"] == "ab-ict-old"
    assert m.at[("municipal", LS), "shown_statements"] == "m-b-ls;m-c-x"
    assert m.at[("municipal", LS), "statements"] == "m-b-ls"
    # e2 is a regional environment funded by a national and a regional programme
    assert set(lists.split(m.at[("national", ICT), "spaces"])) == {"nat-prog"}
    assert set(lists.split(m.at[("regional", ICT), "spaces"])) == {"reg-prog"}
    assert set(lists.split(m.at[("regional", ICT), "actors"])) == {"e2"}
    assert set(lists.split(m.at[("municipal", LS), "actors"])) == {"e1", "e3"}
    assert set(lists.split(m.at[("municipal", ICT), "actors"])) == {"kommun-0101"}  # states it
    assert m.at[("urban_core", LS), "actors"] == "e1"  # near core-a, which states it
    assert m.at[("eu", LS), "actors"] == "" and m.at[("eu", LS), "statements"] == ""


def test_territory_cells_for_the_export(t, table):
    cells = al.territory_cells(t, table)
    assert len(cells) == 7 and cells.crs == t.municipalities.crs
    row = cells.set_index("territory_id")
    assert row.at["ab", "life_science_status"] == "aligned"
    assert row.at["ab", "geometry"].area == pytest.approx(2 * 20_000 ** 2)
    assert row.at["core-a", "geometry"].geom_type == "Point"
    assert row.at[COUNTY, "geometry"].area == pytest.approx(3 * 20_000 ** 2)


def test_computed_assessment_lines(t, table):
    lines = {ln.key: ln for ln in ass.computed_lines(t, MetricParams(), table, "en")}
    assert lines["stated:life_science:regional"].text == (
        "Life science, health and care: stated by Stockholm County, AB, Bby, core-a; supported in "
        "2 of 3 municipalities.")
    assert lines["stated_unsupported:life_science:municipal"].text == (
        "Life science, health and care: stated by Bby but most residents have no support "
        "within 10 km.")
    assert lines["unanchored:climate_urban:municipal"].kind == "improvement"
    assert lines["no_statement:ict:sub_regional"].text.endswith("no stated priority in AB.")
    assert "duplicated:ict:municipal" in lines
    assert all(ln.computed for ln in lines.values())
    sv = ass.computed_lines(t, MetricParams(), table, "sv")
    assert [ln.key for ln in sv] == list(lines) and sv[0].text != lines[sv[0].key].text


def test_a_scenario_edit_updates_cells_and_lines():
    base = fixture()
    ev = Evaluator(base)
    sc = S.Scenario("close e1").with_edit(S.CloseEnvironment(id="e1"))
    before = ev.alignment(None).set_index(["territory_id", "area"])
    after = ev.alignment(sc).set_index(["territory_id", "area"])
    assert before.at[(A, LS), "status"] == "supported_not_stated"
    assert after.at[(A, LS), "status"] == "neither"
    assert after.at[("core-a", LS), "status"] == "stated_unsupported"
    keys = {ln.key for ln in ev.assessment_lines(sc, "en")}
    assert "stated_unsupported:life_science:urban_core" in keys
    assert "stated_unsupported:life_science:urban_core" not in {
        ln.key for ln in ev.assessment_lines(None, "en")}
    retag = S.Scenario("retag").with_edit(S.RetagEnvironment(id="e3", priority_areas=("ict",)))
    assert ev.alignment(retag).set_index(["territory_id", "area"]).at[(C, ICT), "status"] == \
        "supported_not_stated"


def test_the_assessment_travels_with_the_scenario_file():
    notes = (ass.Note("ict", "municipal", "strength", "Kista keeps growing"),
             ass.Note("", "regional", "improvement", "Coordinate the road maps"))
    sc = S.Scenario("ws").with_assessment(ass.Assessment(notes, ("stated:ict:regional",)))
    back = S.loads(S.dumps(sc))
    assert back == sc and back.assessment.notes == notes
    plain = S.Scenario("plain")
    assert "assessment" not in S.to_dict(plain)  # files without one stay as they were
    shown = ass.lines([ass.Line("stated:ict:regional", "ict", "regional", "strength", "x", True),
                       ass.Line("chains:ict:regional", "ict", "regional", "strength", "y", True)],
                      sc.assessment)
    assert [ln.text for ln in shown] == ["y", "Kista keeps growing", "Coordinate the road maps"]


@pytest.mark.parametrize("bad, message", [
    ({"notes": [{"area": "ict", "level": "county", "kind": "strength", "text": "x"}]},
     "note 1: unknown level 'county'"),
    ({"notes": [{"area": "ict", "level": "municipal", "kind": "strength", "text": " "}]},
     "note 1: the text is empty"),
    ({"notes": [{"area": "ict", "level": "municipal", "kind": "good", "text": "x"}]},
     "note 1: unknown kind 'good'"),
    ({"notes": [{"area": "ict", "level": "municipal", "kind": "strength", "text": "x" * 1001}]},
     "at most 1000"),
    ({"notes": [], "extra": 1}, "unknown field"),
])
def test_a_bad_assessment_is_refused_naming_the_note(bad, message):
    data = S.to_dict(S.Scenario("x"))
    data["assessment"] = bad
    with pytest.raises(S.ScenarioError, match=message):
        S.from_dict(data)


def test_an_unknown_area_in_a_note_is_refused_by_the_workshop():
    ev = Evaluator(fixture())
    sc = S.Scenario("x").with_assessment(ass.Assessment((ass.Note("food", "municipal", "strength",
                                                                  "x"),)))
    with pytest.raises(S.ScenarioError, match="unknown area 'food'"):
        ev.check(sc)


# ---------------------------------------------------------------------------------------------
# the shipped package


def test_every_shipped_priority_row_has_a_citation(territory):
    p = territory.priorities
    assert len(p) == 45
    for row in p.itertuples(index=False):
        urls = [u.strip() for u in str(row.source_url).split("|")]
        assert urls and all(u.startswith(("http://", "https://")) for u in urls), row.priority_id
        assert str(row.wording).strip() and str(row.document_title).strip(), row.priority_id
        assert str(row.publisher).strip() and str(row.accessed) == "2026-12-07", row.priority_id
        assert (pd.notna(row.area) and row.area) or str(row.niche).strip(), row.priority_id
        if "docplayer" in str(row.source_url):
            assert "third-party" in str(row.read_via), row.priority_id
    assert not any(p.source == "priorities.csv" for p in territory.problem_list)
    areas = set(p["area"].dropna()) - {""}
    assert areas <= set(territory.region.area_ids)  # niches outside the areas stay niches


def test_shipped_collaborations_are_a_level_with_members(territory):
    c = territory.collaborations.set_index("collab_id")
    assert c.at["sodertorn", "kommun_koder"] == "0126;0127;0128;0136;0138;0140;0181;0192"
    assert c.at["nordvast", "kind"] == "social_services_rd"
    assert (c["source_url"].str.startswith("http")).all()


def test_the_governance_matrix_sub_regional_column_where_the_data_says_so(territory):
    from smartmap.analysis import governance as g

    mx = g.level_matrix(g.involvement(territory), region=territory.region)
    assert mx.at["industrial_transition", "sub_regional"] >= 1  # Södertörn states it
    assert mx.at["climate_urban", "sub_regional"] >= 1
    assert mx.at["life_science", "sub_regional"] == 0  # Södertörn's 2013 statement is superseded
    cell = g.cell_nodes(g.involvement(territory), "climate_urban", "sub_regional")
    assert cell["node_id"].tolist() == ["sodertorn"] and cell["roles"].tolist() == ["priority"]
    huddinge = g.level_matrix(g.involvement(territory), kommun_kod="0126",
                              region=territory.region)
    assert huddinge.at["industrial_transition", "sub_regional"] == 1


def test_shipped_alignment_reads_true(territory):
    table = al.alignment(territory).set_index(["territory_id", "area"])
    assert table.at[("sodertorn", "industrial_transition"), "status"] == "aligned"
    assert table.at[("0136", "climate_urban"), "status"] == "stated_unsupported"
    assert table.at[("0180", "ict"), "strength"] == "signal"
    assert not table.at[("sodertorn", "life_science"), "stated"]  # superseded in 2021
    assert table["lq_employment"].isna().all()  # the package ships no employment table
    summary = al.county_summary(territory, al.alignment(territory)).set_index("area")
    assert summary.at["ict", "anchoring"] == "0180"  # the Kista plan covers Kista (Stockholm) only
    assert not summary["unanchored"].any()


def test_a_package_without_the_optional_layers_loads_and_says_so(tmp_path):
    import shutil

    folder = tmp_path / "pkg"
    shutil.copytree("tests/data/tiny", folder)
    for name in ("priorities", "collaborations", "employment", "industry_areas"):
        (folder / LAYERS[name].file).unlink()
    t = load_territory(data_dir=folder)
    assert t.priorities.empty and t.collaborations.empty
    infos = {p.source for p in t.problem_list if p.severity == "info" and p.row is None}
    assert {"priorities.csv", "subregional_collaborations.csv", "employment.csv",
            "industry_areas.csv"} <= infos
    table = al.alignment(t)
    assert not table["stated"].any() and set(table["level"]) == {"regional", "municipal",
                                                                 "urban_core"}
