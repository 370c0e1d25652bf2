"""What the package says about its own evidence: located shares, the white-spot search record,
the environments' status check, and PROVENANCE.md's generated blocks (one builder with the About
page)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from smartmap.analysis import rules
from smartmap.core import lists
from smartmap.data import provenance as dp
from smartmap.data.layers import load_territory
from smartmap.data.popsources import population_source_from_spec
from smartmap.data.population import LOCATED_COLUMNS, located_population, population_model
from smartmap.render import provenance as rp
from tests import popsource_fixtures as fx
from tests.conftest import ROOT
from tests.synthetic import make_territory, population_point, settlement, square

STATED = {"as_given", "scaled_down", "scaled_up"}


def _from_points(model) -> pd.DataFrame:
    """The same split computed independently, from the weighted points and their rules."""
    pts = model.points
    rep = model.report.set_index("kommun_kod")
    out = {}
    for code in rep.index:
        mine = pts[pts["kommun_kod"] == code]
        stated = mine.loc[mine["rule"].isin(STATED), "weight"].sum()
        shared = mine.loc[mine["rule"] == "remainder_shared", "weight"].sum()
        rest = mine.loc[mine["rule"].isin({"rest_point", "no_usable_point"}), "weight"].sum()
        p = rep.loc[code, "population"]
        share = float("nan") if pd.isna(p) or p == 0 else stated / float(p)
        out[code] = (stated, shared, rest, share)
    return pd.DataFrame.from_dict(out, orient="index",
                                  columns=["on_stated", "on_unstated", "on_rest", "located_share"])


def _assert_split_equals_points(model) -> pd.DataFrame:
    table = located_population(model.report).set_index("kommun_kod")
    expected = _from_points(model)
    for column in expected.columns:
        np.testing.assert_allclose(table[column].to_numpy(dtype=float),
                                   expected[column].to_numpy(dtype=float), atol=1e-6,
                                   err_msg=column)
    return table


# ---------------------------------------------------------------------------------------------
# located shares


def test_shipped_located_shares(territory):
    """The figures issue 12 quotes: Stockholm's 131,250 on one rest point, 10 of 26 >= 95 %."""
    model = population_model(territory)
    table = _assert_split_equals_points(model)
    assert list(located_population(model.report).columns) == list(LOCATED_COLUMNS)
    sthlm = table.loc["0180"]
    assert sthlm["on_rest"] == 131_250 and sthlm["n_stated"] == 14
    assert sthlm["located_share"] == pytest.approx(864_324 / 995_574)
    assert (table["located_share"] >= rules.LOCATED_SHARE_MIN).sum() == 10
    assert table.loc["0123", "located_share"] == 1.0  # Järfälla: one whole-municipality point
    rest = table["on_rest"].sum()
    assert rest / table["population"].astype(float).sum() == pytest.approx(0.147, abs=5e-4)
    coarse = set(table.index[rules.is_coarse_population(table["located_share"])])
    assert len(coarse) == 16 and "0180" in coarse and "0127" not in coarse


def test_every_rule_splits_as_the_points_say():
    """Shared remainders, rest points, whole-municipality points, scaling and missing P."""
    munis = [{"kommun_kod": c, "kommun": f"M{c}", "population": p, "population_year": 2024,
              "geometry": square(x, 0, 20)}
             for c, x, p in (("0201", 0, 1000), ("0202", 20, 900), ("0203", 40, 500),
                             ("0204", 60, None), ("0205", 80, 300), ("0206", 100, 100))]
    points = [population_point("p1", "0201", 2, 2, 400), population_point("p2", "0201", 4, 4, None),
              population_point("p5", "0204", 62, 5, 100),
              population_point("p6", "0206", 102, 5, 400)]  # K > P: scaled down to 100
    settlements = [settlement("s1", "0202", 22, 5, 300), settlement("s3", "0203", 42, 5, 200)]
    model = population_model(make_territory(munis, population_points=points,
                                            settlements=settlements))
    table = _assert_split_equals_points(model)
    assert table.loc["0201", ["on_stated", "on_unstated", "on_rest"]].tolist() == [400, 600, 0]
    assert table.loc["0203", ["on_stated", "on_rest"]].tolist() == [200, 300]
    assert table.loc["0205", ["on_stated", "on_rest", "located_share"]].tolist() == [0, 300, 0]
    assert table.loc["0206", "located_share"] == 1.0
    assert np.isnan(table.loc["0204", "located_share"])
    assert not rules.is_coarse_population(table.loc["0204", "located_share"])


def test_empty_report_gives_an_empty_table():
    table = located_population(pd.DataFrame(columns=["kommun_kod"]))
    assert table.empty and list(table.columns) == list(LOCATED_COLUMNS)
    with pytest.raises(ValueError, match="remainder"):
        located_population(pd.DataFrame({"kommun_kod": ["0101"], "kommun": ["A"],
                                         "population": [1]}))


def test_threshold_is_one_rule():
    share = np.array([0.9499, 0.95, 0.96, np.nan])
    assert rules.is_coarse_population(share).tolist() == [True, False, False, False]
    assert rules.LOCATED_SHARE_MIN == 0.95


def test_a_grid_region_is_located_where_its_cells_are(tmp_path):
    """population_provenance measures the manifest's source: on a grid every person in a cell is
    located, and a municipality without a cell sits whole on its representative point."""
    package = tmp_path / "pkg"
    shutil.copytree(ROOT / "geodata", package)
    fx.write_scb_csv(package / "befolkning_1km.csv", fx.block_cells())
    manifest = package / "region.toml"
    head, _, _ = manifest.read_text(encoding="utf-8").partition("[population]")
    manifest.write_text(head + '[population]\nkind = "grid"\nfile = "befolkning_1km.csv"\n'
                        'format = "scb"\nyear = 2024\n', encoding="utf-8")
    t = load_territory(data_dir=package)
    table = dp.population_provenance(t).set_index("kommun_kod")
    src = population_source_from_spec(t.region.population, package)
    expected = located_population(population_model(t, src).report).set_index("kommun_kod")
    pd.testing.assert_series_equal(table["located_share"], expected["located_share"])
    reached = table["n_stated"] > 0
    assert 3 <= reached.sum() < 26
    np.testing.assert_allclose(table.loc[reached, "located_share"], 1.0, rtol=1e-12)
    assert (table.loc[~reached, "located_share"] == 0.0).all()


def test_population_provenance_years(territory):
    table = dp.population_provenance(territory).set_index("kommun_kod")
    assert table.loc["0180", ["population_year", "year_min", "year_max", "n_undated"]].tolist() \
        == [2024, 2011, 2011, 0]
    assert table.loc["0126", "n_undated"] == 7 and pd.isna(table.loc["0126", "year_min"])
    assert table.loc["0115", "population_year"] == 2022
    assert table.loc["0136", ["year_min", "year_max"]].tolist() == [2015, 2024]


# ---------------------------------------------------------------------------------------------
# the white-spot search record


def test_every_municipality_without_an_active_environment_is_accounted_for(territory):
    """The 8 without any row were searched (what the search found is their only row); the 3 with
    only closed or planned rows are named as not searched; nothing is left out."""
    search = dp.white_spot_search(territory)
    assert search.present and search.problems == ()
    env = territory.environments
    without = (set(territory.municipalities["kommun_kod"])
               - set(env.loc[env["status"] == "active", "kommun_kod"]))
    searched = set(search.frame["kommun_kod"])
    unsearched = dp.unsearched_white_spots(territory)
    assert searched | set(unsearched["kommun_kod"]) == without
    assert searched.isdisjoint(unsearched["kommun_kod"])
    assert len(searched) == 8
    assert dict(zip(unsearched["kommun_kod"], unsearched["ids"], strict=True)) == {
        "0136": "kth-haninge", "0139": "nfc-upplands-bro", "0160": "taby-science-park"}
    for code in searched:  # every row the table has there is one the search found
        found = lists.split(search.frame.set_index("kommun_kod").at[code, "found_ids"])
        assert set(env.loc[env["kommun_kod"] == code, "id"]) == set(found)
    for row in search.frame.itertuples(index=False):
        assert row.searched_on == "2026-12-07"
        urls = [u.strip() for u in row.sources.split(" | ")]
        assert urls and all(u.startswith(("http://", "https://")) for u in urls), row.kommun
        assert row.result and row.queries
    ekero = search.frame.set_index("kommun_kod").loc["0125"]
    found = lists.split(ekero["found_ids"])
    assert found == ["faringso-autonomous-transit-pilot"]
    assert env.set_index("id").loc[found[0], "status"] == "planned"
    assert (search.frame.loc[search.frame["kommun_kod"] != "0125", "found_ids"] == "").all()


def _package_with(tmp_path: Path, text: str | None) -> Path:
    package = tmp_path / "pkg"
    shutil.copytree(ROOT / "geodata", package)
    target = package / dp.WHITE_SPOT_FILE
    if text is None:
        target.unlink()
    else:
        target.write_text(text, encoding="utf-8")
    return package


def test_a_package_without_a_record_says_so(tmp_path):
    t = load_territory(data_dir=_package_with(tmp_path, None))
    search = dp.white_spot_search(t)
    assert not search.present and search.frame.empty and search.problems == ()
    table = rp.white_spot_table(t, "en")  # every white spot is then named as not searched
    assert len(table) == 11 and (table["Searched on"] == "").all()
    assert (table["Result"] == "no environment at all; no search recorded").sum() == 7
    assert table["Result"].str.endswith("not part of the search").sum() == 4  # Ekerö: planned


def test_a_bad_record_is_reported_by_file_row_and_field(tmp_path):
    text = ("kommun_kod,searched_on,found_ids,sources\n"
            "0115,2026-12-07,,https://example.org/a\n"
            "0999,2026-12-07,,https://example.org/b\n"
            "0117,7 Dec 2026,,https://example.org/c\n"
            "0120,2026-12-07,no-such-env,https://example.org/d\n")
    t = load_territory(data_dir=_package_with(tmp_path, text))
    search = dp.white_spot_search(t)
    found = {(p.source, p.row, p.field, p.severity) for p in search.problems}
    assert found == {(dp.WHITE_SPOT_FILE, 3, "kommun_kod", "error"),
                     (dp.WHITE_SPOT_FILE, 4, "searched_on", "error"),
                     (dp.WHITE_SPOT_FILE, 5, "found_ids", "warning")}
    assert search.frame["kommun_kod"].tolist() == ["0115", "0120"]
    assert search.frame["kommun"].tolist() == ["Vallentuna", "Värmdö"]
    missing = load_territory(data_dir=_package_with(tmp_path / "x", "kommun_kod,result\n"))
    (problem,) = dp.white_spot_search(missing).problems
    assert problem.field == "searched_on, found_ids, sources" and problem.row == 1
    binary = _package_with(tmp_path / "y", "")
    (binary / dp.WHITE_SPOT_FILE).write_bytes(b"\xff\xfe\x00bad")
    (problem,) = dp.white_spot_search(load_territory(data_dir=binary)).problems
    assert "cannot be read" in problem.message


# ---------------------------------------------------------------------------------------------
# the environments' status check


def test_verification_counts(territory):
    ver = dp.environment_verification(territory.environments)
    counts = ver["verification"].value_counts().to_dict()
    assert counts == {"verified": 7, "not_verified": 24, "not_checked": 48, "planned": 4,
                      "closed": 9}
    by_id = ver.set_index("id")
    assert by_id.loc["tullinge-work-hub", "verification"] == "closed"
    assert by_id.loc["cluster-engine-flemingsberg", "verification"] == "not_verified"
    assert set(by_id.loc[by_id["verification"].isin(["verified", "not_verified"]),
                         "checked_on"]) == {"2026-12-07"}
    notes = territory.environments.set_index("id")["notes"]
    for ident in by_id.index[by_id["verification"] == "verified"]:
        source = notes[ident].split("Status verified 2026-12-07 per ", 1)[1]
        assert source.startswith("http"), ident
    tullinge = notes["tullinge-work-hub"]
    assert "closed at the end of 2022" in tullinge and "sams.kth.se" in tullinge


def test_verification_states_from_notes():
    frame = pd.DataFrame({
        "id": ["a", "b", "c", "d", "e"], "name": list("ABCDE"), "kommun_kod": ["0101"] * 5,
        "status": ["active", "active", "active", "closed", "planned"],
        "notes": ["x. Status verified 2026-01-02 per https://e.org/1.", "Status not verified "
                  "(searched 2026-01-03): old.", "address not verified", None,
                  "Status not verified (searched 2026-01-04)"],
    })
    ver = dp.environment_verification(frame)
    assert ver["verification"].tolist() == ["verified", "not_verified", "not_checked", "closed",
                                            "planned"]
    assert ver["checked_on"].tolist() == ["2026-01-02", "2026-01-03", "", "", "2026-01-04"]


# ---------------------------------------------------------------------------------------------
# PROVENANCE.md


def test_provenance_blocks_equal_what_the_data_gives(territory):
    """PROVENANCE.md's tables are the function's output (run scripts/provenance_tables.py)."""
    text = (ROOT / "geodata" / "PROVENANCE.md").read_text(encoding="utf-8")
    blocks = rp.provenance_blocks(territory)
    assert set(blocks) == set(rp.BLOCKS)
    assert rp.read_blocks(text) == blocks
    assert rp.with_blocks(text, blocks) == text


def test_provenance_population_block_is_the_located_table(territory):
    """The Markdown table holds exactly the numbers of located_population, row by row."""
    block = rp.provenance_blocks(territory)["population"]
    rows = [ln for ln in block.splitlines() if ln.startswith("| ") and "---" not in ln][1:]
    table = located_population(population_model(territory).report)
    assert len(rows) == len(table) == 26
    for line, r in zip(rows, table.itertuples(index=False), strict=True):
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert cells[0] == r.kommun
        assert cells[5] == f"{r.on_stated:,.0f}" and cells[7] == f"{r.on_rest:,.0f}"
        assert cells[8] == f"{100 * r.located_share:.1f} %"
        assert (cells[9] == "yes") == (r.located_share < 0.95)
    assert "10 of 26 municipalities" in block and "131,250" in block


def test_white_spot_block_names_every_search(territory):
    block = rp.provenance_blocks(territory)["white-spots"]
    lines = block.splitlines()
    assert len(lines) == 11
    for line in lines[:8]:
        assert "searched on 2026-12-07, " in line and "Sources looked at: <http" in line
    assert sum("none found" in ln for ln in lines) == 7
    assert all("not part of the search" in ln for ln in lines[8:])
    assert "found: Färingsö" in block


def test_with_blocks_needs_markers_and_is_idempotent():
    text = "# P\n\n<!-- smartmap:population -->\n<!-- /smartmap:population -->\n\nend\n"
    once = rp.with_blocks(text, {"population": "| a |"})
    assert once == "# P\n\n<!-- smartmap:population -->\n| a |\n<!-- /smartmap:population -->\n\nend\n"
    assert rp.with_blocks(once, {"population": "| a |"}) == once
    assert rp.read_blocks(once) == {"population": "| a |"}
    with pytest.raises(ValueError, match="smartmap:verification"):
        rp.with_blocks(text, {"verification": "x"})


def test_the_script_checks_and_rewrites(tmp_path):
    script = ROOT / "scripts" / "provenance_tables.py"
    ok = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    package = tmp_path / "pkg"
    shutil.copytree(ROOT / "geodata", package)
    path = package / "PROVENANCE.md"
    path.write_text(rp.with_blocks(path.read_text(encoding="utf-8"), {"population": "stale"}),
                    encoding="utf-8")
    stale = subprocess.run([sys.executable, str(script), str(package), "--check"],
                           capture_output=True, text=True)
    assert stale.returncode == 1 and "'population' is stale" in stale.stdout
    fixed = subprocess.run([sys.executable, str(script), str(package)], capture_output=True,
                           text=True)
    assert fixed.returncode == 0 and "1 block(s) rewritten" in fixed.stdout
    assert path.read_text(encoding="utf-8") == (ROOT / "geodata" / "PROVENANCE.md").read_text(
        encoding="utf-8")
