"""Population sources (smartmap.data.popsources): grid files (SCB, GEOSTAT), areas with a table,
the spec, reconciliation with the municipal populations, and the metrics on every source against
the nested-loop reference. The files are written by tests/popsource_fixtures.py in the exact
formats; their numbers are made up."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Transformer

from smartmap.analysis import metrics as mx
from smartmap.analysis.metrics import MetricParams, compute_metrics, municipality_metrics
from smartmap.core.errors import DataValidationError
from smartmap.core.settings import ANALYSIS_CRS
from smartmap.data import gridcells
from smartmap.data import popsources as ps
from smartmap.data.popsources import (
    AreasSource,
    GridSource,
    PointsSource,
    PopulationSpec,
    population_source_from_spec,
    read_grid,
)
from smartmap.data.population import REPORT_COLUMNS, population_model
from tests import popsource_fixtures as fx
from tests.metrics_reference import reference_distance_metrics
from tests.synthetic import AREAS_AND_ANY, environment, point_layer

GRID_SCB = {"kind": "grid", "file": "scb.csv", "format": "scb"}


def grid(directory: Path, name: str = "scb.csv", **spec: object) -> GridSource:
    src = population_source_from_spec({**GRID_SCB, "file": name, **spec}, directory)
    assert isinstance(src, GridSource)
    return src


def problems_of(exc: pytest.ExceptionInfo[DataValidationError]) -> set[tuple]:
    return {(p.source, p.row, p.field) for p in exc.value.problems}


def reference_for(t, source, params: MetricParams) -> dict:
    """dist/cov by brute force on the weighted points the population model gives for a source."""
    pts = population_model(t, source).points
    env = mx.counted_environments(t, params)
    points = [(k, g.x, g.y, w) for k, g, w in zip(pts["kommun_kod"], pts.geometry,
                                                   pts["weight"], strict=True)]
    envs = [(g.x, g.y, frozenset(a.split(";")) - {""})
            for g, a in zip(env.geometry, env["priority_areas"], strict=True)]
    muni = t.municipalities.sort_values("kommun_kod")
    pops = [None if pd.isna(p) else float(p) for p in muni["population"]]
    return reference_distance_metrics(list(muni["kommun_kod"]), pops, points, envs,
                                      params.radius_km)


def assert_matches_reference(t, source, params: MetricParams) -> None:
    fast = municipality_metrics(t, params, population=source).set_index("kommun_kod")
    ref = reference_for(t, source, params)
    checked = 0
    for code, row in ref.items():
        for column, value in row.items():
            got = fast.loc[code, column]
            if value is None:
                assert np.isnan(got), (code, column)
            else:
                assert abs(got - value) <= 1e-9, (code, column, got, value)
                checked += 1
    assert checked > 100


def assert_reconciled(t, model) -> None:
    """Every municipality's weights sum to its P; the county total is the sum of P."""
    pop = t.municipalities.set_index("kommun_kod")["population"].astype(float)
    got = model.points.groupby("kommun_kod")["weight"].sum().reindex(pop.index, fill_value=0)
    assert (abs(got - pop) <= 0.5).all()
    assert abs(model.points["weight"].sum() - pop.sum()) <= 0.5
    assert (model.points["weight"] >= 0).all()


# ---------------------------------------------------------------------------------------------
# ids


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 999), st.integers(0, 9999), st.sampled_from([250, 1000]))
def test_scb_id_round_trip(e_km, n_km, size):
    """corner code -> square -> code, for any corner of the grid."""
    e, n = np.array([e_km * size]), np.array([n_km * size])
    if e[0] > 999_999 or n[0] > 9_999_999:
        return
    code = gridcells.scb_ids(e, n)
    pe, pn, ok = gridcells.parse_scb_ids(pd.Series(code))
    assert ok[0] and (pe[0], pn[0]) == (e[0], n[0])
    square = gridcells.cell_squares(pe, pn, size)
    back_e, back_n, back_size, square_ok = gridcells.corners_of_squares(square)
    assert square_ok[0] and back_size[0] == size
    assert gridcells.scb_ids(back_e, back_n).tolist() == code.tolist()
    assert len(code[0]) == 13


@settings(max_examples=200, deadline=None)
@given(st.integers(900, 7400), st.integers(900, 5500), st.sampled_from([100, 1000, 10000]),
       st.sampled_from(["", "SE_", "FI-SE_"]))
def test_inspire_id_round_trip(e_km, n_km, size, prefix):
    e, n = np.array([e_km * 1000]), np.array([n_km * 1000])
    code = gridcells.inspire_ids(3035, np.array([size]), e, n)
    cells = gridcells.parse_inspire_ids(pd.Series([prefix + code[0]]))
    assert cells.ok[0] and (cells.epsg[0], cells.size[0], cells.e[0], cells.n[0]) == (
        3035, size, e[0], n[0])
    square = gridcells.cell_squares(cells.e, cells.n, cells.size)
    be, bn, bs, ok = gridcells.corners_of_squares(square)
    assert ok[0] and gridcells.inspire_ids(3035, bs, be, bn).tolist() == code.tolist()


def test_id_conventions_as_documented():
    # SCB's live layer pairs these two ids (corner E 394000, N 6133000): easting first
    e, n, ok = gridcells.parse_scb_ids(pd.Series(["3940006133000"]))
    cells = gridcells.parse_inspire_ids(pd.Series(["SE_CRS3006RES1000mN6133000E394000"]))
    assert ok[0] and (e[0], n[0]) == (cells.e[0], cells.n[0]) == (394000, 6133000)
    assert cells.epsg[0] == 3006 and cells.size[0] == 1000
    # GEOSTAT 2011 short spelling = 2021 long spelling (km)
    a = gridcells.parse_inspire_ids(pd.Series(["1kmN2696E4341", "CRS3035RES1000mN2696000E4341000",
                                               "CRS3035RES1kmN2696000E4341000", "nonsense", ""]))
    assert a.ok.tolist() == [True, True, True, False, False]
    assert set(a.e[:3]) == {4341000} and set(a.n[:3]) == {2696000} and set(a.size[:3]) == {1000}
    # the centre of a 1 km SCB cell is its corner + 500 m
    x, y, cell = gridcells.cell_points(e, n, np.array([1000]))
    assert (x[0], y[0], cell[0]) == (394500.0, 6133500.0, 0)
    x, y, cell = gridcells.cell_points(e, n, np.array([1000]), 2)
    assert sorted(zip(x, y, strict=True)) == [(394250, 6133250), (394250, 6133750), (394750, 6133250),
                                 (394750, 6133750)]
    bad = gridcells.parse_scb_ids(pd.Series(["394000613300", "39400061330000", "39400O6133000"]))
    assert not bad[2].any()


# ---------------------------------------------------------------------------------------------
# grids: reading


def test_scb_csv_read(tmp_path):
    cells = fx.block_cells()
    path = fx.write_scb_csv(tmp_path / "scb.csv", cells)
    got = read_grid(path, PopulationSpec.from_mapping(GRID_SCB))
    keep = cells.people > 0
    assert len(got) == int(keep.sum())
    assert got.population.sum() == cells.people.sum()
    assert (got.size == 1000).all() and got.epsg == 3006
    ids = gridcells.scb_ids(cells.e[keep], cells.n[keep])
    order = np.argsort(ids)  # cells come in id order, each with its file row (header = row 1)
    assert got.ids.tolist() == ids[order].tolist()
    assert got.rows.tolist() == (np.flatnonzero(keep) + 2)[order].tolist()
    assert (got.year == -1).all()
    zero = [p for p in got.problems if "0 people" in p.message]
    assert zero and zero[0].field == "Beftotalt"


def test_scb_gpkg_mixed_sizes_and_year(tmp_path):
    cells = fx.mixed_cells()
    path = fx.write_scb_gpkg(tmp_path / "befolkning.gpkg", cells, year=2024)
    got = read_grid(path, PopulationSpec.from_mapping({**GRID_SCB, "file": "befolkning.gpkg"}))
    keep = cells.people > 0
    assert sorted(set(got.size.tolist())) == [250, 1000]
    order = np.argsort(gridcells.scb_ids(cells.e[keep], cells.n[keep]))
    assert (got.size == cells.size[keep][order]).all()
    assert (got.year == 2024).all()
    assert got.population.sum() == cells.people.sum()


def test_grid_from_square_polygons_without_ids(tmp_path):
    """A vector grid without an id column: the squares themselves are the cells."""
    cells = fx.block_cells(far=False)
    frame = gpd.GeoDataFrame({"beftotalt": cells.people},
                             geometry=gridcells.cell_squares(cells.e, cells.n, cells.size),
                             crs=ANALYSIS_CRS)
    frame.to_file(tmp_path / "squares.gpkg", driver="GPKG")
    got = read_grid(tmp_path / "squares.gpkg",
                    PopulationSpec.from_mapping({**GRID_SCB, "file": "squares.gpkg"}))
    keep = cells.people > 0
    assert got.ids.tolist() == sorted(gridcells.scb_ids(cells.e[keep], cells.n[keep]).tolist())


def test_geostat_csv_read_and_reprojection(tmp_path, territory):
    cells = fx.geostat_cells()
    path = fx.write_geostat_csv(tmp_path / "ESTAT_Census_2021_V3.csv", cells)
    spec = {"kind": "grid", "file": path.name, "format": "geostat"}
    got = read_grid(path, PopulationSpec.from_mapping(spec))
    assert got.epsg == 3035 and (got.year == 2021).all()
    assert got.population.sum() == cells.people.sum()
    src = population_source_from_spec(spec, tmp_path)
    result = src(territory)
    pts = result.points
    # every point is its cell's centre, reprojected: inside the cell's square reprojected
    parsed = gridcells.parse_inspire_ids(pts["name"])
    squares = gridcells.cell_squares(parsed.e, parsed.n, parsed.size)
    sq3006 = gpd.GeoSeries(shapely.segmentize(squares, 50), crs=3035).to_crs(3006)
    assert sq3006.contains(pts.geometry.reset_index(drop=True)).all()
    to3035 = Transformer.from_crs(3006, 3035, always_xy=True)
    bx, by = to3035.transform(pts.geometry.x.to_numpy(), pts.geometry.y.to_numpy())
    assert np.allclose(bx, parsed.e + 500, atol=1e-4) and np.allclose(by, parsed.n + 500,
                                                                        atol=1e-4)
    assert result.reconcile == "scale"
    assert (pts["source"] == "geostat_grid").all()


def test_geostat_population_column_spellings(tmp_path):
    for column in ("T", "OBS_VALUE_T", "TOT_P_2021", "tot_p"):
        path = fx.write_lines(tmp_path / f"g_{column}.csv",
                              [f"GRD_ID,{column}", "CRS3035RES1000mN3900000E4700000,12"])
        got = read_grid(path, PopulationSpec.from_mapping(
            {"kind": "grid", "file": path.name, "format": "geostat"}))
        assert got.population.tolist() == [12.0]


# ---------------------------------------------------------------------------------------------
# grids: the model and the metrics


def test_scb_grid_metrics_equal_reference(tmp_path, territory):
    fx.write_scb_csv(tmp_path / "scb.csv")
    src = grid(tmp_path)
    for params in (MetricParams(), MetricParams(radius_km=3, include_planned=True)):
        assert_matches_reference(territory, src, params)


@pytest.mark.parametrize("spread", [1, 3])
def test_geostat_and_gpkg_metrics_equal_reference(tmp_path, territory, spread):
    fx.write_geostat_csv(tmp_path / "g.csv")
    fx.write_scb_gpkg(tmp_path / "s.gpkg")
    g = population_source_from_spec({"kind": "grid", "file": "g.csv", "format": "geostat",
                                     "spread": spread}, tmp_path)
    s = grid(tmp_path, "s.gpkg", spread=spread)
    for src in (g, s):
        assert_matches_reference(territory, src, MetricParams(radius_km=5))
        assert_reconciled(territory, population_model(territory, src))


def test_reconciliation_and_report(tmp_path, territory):
    cells = fx.block_cells()
    fx.write_scb_csv(tmp_path / "scb.csv", cells)
    model = population_model(territory, grid(tmp_path))
    assert_reconciled(territory, model)
    rep = model.report.set_index("kommun_kod")
    assert list(model.report.columns) == list(REPORT_COLUMNS)
    reached = rep["n_used"] > 0
    assert 3 <= reached.sum() < 26
    # K is the grid's people in the municipality, the factor P / K, either way
    far_people = cells.people[-len(fx.FAR_CELLS):].sum()
    assert rep["given_sum"].sum() == cells.people.sum() - far_people
    factor = rep.loc[reached, "population"].astype(float) / rep.loc[reached, "given_sum"]
    assert np.allclose(rep.loc[reached, "scale_factor"], factor)
    assert set(rep.loc[reached, "rules"]) <= {"scaled_up", "scaled_down", "as_given"}
    assert (rep.loc[reached & (factor > 1), "rules"] == "scaled_up").all()
    assert "scaled up by" in rep.loc[reached & (factor > 1), "note"].iloc[0]
    assert (rep.loc[~reached, "rules"] == "no_usable_point").all()
    assert (rep.loc[reached, "remainder"] == 0).all() and rep["rest_weight"].isna().all()
    assert (rep["source_layer"].where(reached, "scb_grid") == "scb_grid").all()
    pts = model.points[model.points["source"] == "scb_grid"]
    w = pts["weight"] / pts["population_given"]
    assert np.allclose(w, rep.loc[pts["kommun_kod"], "scale_factor"].to_numpy())


def test_cells_outside_the_county_dropped_and_reported(tmp_path, territory):
    cells = fx.block_cells()
    fx.write_scb_csv(tmp_path / "scb.csv", cells)
    model = population_model(territory, grid(tmp_path))
    far = gridcells.scb_ids(np.array([c[0] for c in fx.FAR_CELLS]),
                            np.array([c[1] for c in fx.FAR_CELLS]))
    assert not model.points["name"].isin(far).any()
    outside = [p for p in model.problems if "outside the county" in p.message]
    assert len(outside) == 1 and outside[0].source == "scb.csv"
    people = cells.people[-len(fx.FAR_CELLS):]
    n_far = int((people > 0).sum())
    assert outside[0].message.startswith(f"{n_far} {'cell' if n_far == 1 else 'cells'} with "
                                         f"{people.sum():,.0f} people")
    assert outside[0].severity == "warning"


def test_250m_equals_1km_spread_4(tmp_path, territory):
    """A 1 km cell spread over 4 x 4 points is exactly its sixteen 250 m cells."""
    km = fx.block_cells(1000, far=False, multiple_of=16)
    fine = fx.split_cells(km, 4)
    fx.write_scb_csv(tmp_path / "km.csv", km)
    fx.write_scb_csv(tmp_path / "fine.csv", fine)
    a = population_model(territory, grid(tmp_path, "km.csv", spread=4)).points
    b = population_model(territory, grid(tmp_path, "fine.csv", cell_size_m=250)).points

    def key(frame):
        xy = shapely.get_coordinates(frame.geometry.values)
        return frame.assign(x=xy[:, 0], y=xy[:, 1]).sort_values(["x", "y", "kommun_kod"])

    ka, kb = key(a), key(b)
    assert len(ka) == len(kb)
    assert np.array_equal(ka[["x", "y"]].to_numpy(), kb[["x", "y"]].to_numpy())
    assert (ka["kommun_kod"].to_numpy() == kb["kommun_kod"].to_numpy()).all()
    assert np.allclose(ka["weight"].to_numpy(), kb["weight"].to_numpy(), rtol=0, atol=1e-6)
    ta = municipality_metrics(territory, population=grid(tmp_path, "km.csv", spread=4))
    tb = municipality_metrics(territory, population=grid(tmp_path, "fine.csv", cell_size_m=250))
    for a_ in AREAS_AND_ANY:
        assert np.allclose(ta[f"cov_{a_}"], tb[f"cov_{a_}"], atol=1e-9, equal_nan=True)
        assert np.allclose(ta[f"dist_km_{a_}"], tb[f"dist_km_{a_}"], atol=1e-9, equal_nan=True)
    # and a 1 km cell at its centre differs from the same people spread over it
    one = population_model(territory, grid(tmp_path, "km.csv")).points
    assert len(one) < len(a)


def test_spread_splits_a_border_cell(tmp_path, territory):
    """A cell across a municipal border gives each municipality the points on its side."""
    muni = territory.municipalities.set_index("kommun_kod")
    border = shapely.intersection(muni.geometry["0180"].boundary, muni.geometry["0182"].boundary)
    x, y = shapely.get_coordinates(border)[len(shapely.get_coordinates(border)) // 2]
    e, n = int(x // 1000 * 1000), int(y // 1000 * 1000)
    cells = fx.Cells(np.array([e]), np.array([n]), np.array([1000]), np.array([1600]))
    fx.write_scb_csv(tmp_path / "one.csv", cells)
    pts = population_model(territory, grid(tmp_path, "one.csv", spread=4)).points
    cell_pts = pts[pts["source"] == "scb_grid"]
    assert len(cell_pts) == 16
    assert cell_pts["point_id"].str.startswith(gridcells.scb_ids(cells.e, cells.n)[0] + "/").all()
    assert cell_pts["population_given"].eq(100).all()
    assert {"0180", "0182"} <= set(cell_pts["kommun_kod"])


# ---------------------------------------------------------------------------------------------
# grids: bad files


def test_bad_rows_refused_with_file_row_field(tmp_path, territory):
    path = fx.write_lines(tmp_path / "scb.csv", [
        "Ruta;Beftotalt",
        "6600006580000;10",     # row 2: fine
        "66000065800;5",        # row 3: 11 digits
        "6600006581000;abc",    # row 4: not a number
        "6600006582000;-3",     # row 5: negative
        "6600006580000;7",      # row 6: the same cell as row 2
        "6605106583000;4",      # row 7: not on the 1 km grid
        "6602506584000;4",      # row 8: on the 250 m grid only
        "6600006585000;",       # row 9: no figure: skipped, not an error
        "",
        "6610006585000;8",      # row 11: fine (the blank line keeps its number)
    ])
    with pytest.raises(DataValidationError) as exc:
        grid(tmp_path)(territory)
    assert problems_of(exc) == {("scb.csv", 3, "Ruta"), ("scb.csv", 4, "Beftotalt"),
                                ("scb.csv", 5, "Beftotalt"), ("scb.csv", 6, "Ruta"),
                                ("scb.csv", 7, "Ruta"), ("scb.csv", 8, "Ruta")}
    text = {p.row: str(p) for p in exc.value.problems}
    assert "same cell as row 2" in text[6]
    assert "cell_size_m = 250" in text[8] and "cell_size_m" not in text[7]
    assert "not a number: 'abc'" in text[4]
    assert text[3].startswith("scb.csv, row 3, field 'Ruta': not a cell id: '66000065800'")
    # fixed, the file reads; the blank figure is skipped and counted
    lines = path.read_text().splitlines()
    good = [ln for i, ln in enumerate(lines, start=1) if i not in (3, 4, 5, 6, 7, 8)]
    fx.write_lines(path, good)
    got = read_grid(path, PopulationSpec.from_mapping(GRID_SCB))
    assert got.rows.tolist() == [2, 5]
    assert any("without a published figure" in p.message for p in got.problems)


def test_bad_files_refused(tmp_path, territory):
    cases = {
        "nopop.csv": (["Ruta;Antal", "6600006580000;1"], "population_column"),
        "noid.csv": (["cell;Beftotalt", "6600006580000;1"], "id_column"),
        "empty.csv": ([""], None),
        "header.csv": (["Ruta;Beftotalt"], None),
    }
    for name, (lines, field) in cases.items():
        fx.write_lines(tmp_path / name, lines)
        with pytest.raises(DataValidationError) as exc:
            grid(tmp_path, name)(territory)
        (problem,) = exc.value.problems
        assert problem.source == name and problem.field == field, (name, problem)
    (tmp_path / "grid.xlsx").write_bytes(b"PK\x03\x04rest")
    with pytest.raises(DataValidationError, match="unknown file type"):
        grid(tmp_path, "grid.xlsx")(territory)
    fx.write_lines(tmp_path / "named.csv", ["Ruta;Folk", "6600006580000;1"])
    with pytest.raises(DataValidationError, match="no column 'Befolkning'"):
        grid(tmp_path, "named.csv", population_column="Befolkning")(territory)
    assert len(grid(tmp_path, "named.csv", population_column="folk").read()) == 1
    # a GeoPackage with two layers needs the spec to say which
    fx.write_scb_gpkg(tmp_path / "two.gpkg", layer="a")
    fx.write_scb_gpkg(tmp_path / "two.gpkg", layer="b")
    with pytest.raises(DataValidationError) as exc:
        grid(tmp_path, "two.gpkg")(territory)
    assert exc.value.problems[0].field == "layer"
    assert len(grid(tmp_path, "two.gpkg", layer="b").read()) > 100
    # rutstorl and the spec disagree
    fx.write_scb_gpkg(tmp_path / "mixed.gpkg")
    with pytest.raises(DataValidationError) as exc:
        grid(tmp_path, "mixed.gpkg", cell_size_m=1000)(territory)
    assert {p.field for p in exc.value.problems} == {"rutstorl"}
    # GEOSTAT codes in an unknown CRS or of the wrong size
    fx.write_lines(tmp_path / "crs.csv", ["GRD_ID,T", "CRS4326RES1000mN1000E1000,1",
                                          "CRS3035RES100mN3900000E4700000,1"])
    with pytest.raises(DataValidationError) as exc:
        population_source_from_spec({"kind": "grid", "file": "crs.csv", "format": "geostat",
                                     "cell_size_m": 1000}, tmp_path)(territory)
    assert problems_of(exc) == {("crs.csv", 2, "GRD_ID"), ("crs.csv", 3, "GRD_ID")}


# ---------------------------------------------------------------------------------------------
# areas


def test_areas_metrics_equal_reference(tmp_path, territory):
    _, _, frame = fx.write_areas(tmp_path, territory)
    for spread in (1, 3):
        src = population_source_from_spec({"kind": "areas", "file": "areas.gpkg",
                                           "table": "areas_population.csv", "spread": spread},
                                          tmp_path)
        assert isinstance(src, AreasSource)
        result = src(territory)
        assert result.problems == () and result.reconcile == "scale"
        pts = result.points
        assert np.allclose(pts.groupby("name")["population"].sum().sort_index(),
                           frame.set_index("desokod")["befolkning"].sort_index(), rtol=1e-12)
        # the declared kommunkod is used; every point lies in (or on) its own area
        assert (pts["kommun_kod"] == pts["name"].str[:4]).all()
        polys = frame.set_index("desokod").geometry
        assert polys.reindex(pts["name"]).buffer(1e-6).contains(
            pts.geometry, align=False).all()
        if spread == 1:
            assert pts["point_id"].tolist() == pts["name"].tolist()
        assert_matches_reference(territory, src, MetricParams(radius_km=4))
        assert_reconciled(territory, population_model(territory, src))


def test_areas_unmatched_codes_reported(tmp_path, territory):
    poly_path, table_path, frame = fx.write_areas(tmp_path, territory)
    table = pd.read_csv(table_path, dtype=str)
    dropped = table.iloc[3]["desokod"]
    table = pd.concat([table.drop(index=3), pd.DataFrame(
        {"desokod": ["0180C9999", "2480C0001"], "befolkning": ["55", "66"]})], ignore_index=True)
    table.to_csv(table_path, index=False, lineterminator="\n")
    src = population_source_from_spec({"kind": "areas", "file": "areas.gpkg",
                                       "table": "areas_population.csv"}, tmp_path)
    result = src(territory)
    found = {(p.source, p.row, p.field, p.record_id) for p in result.problems
             if p.severity == "warning"}
    assert ("areas.gpkg", 4, "desokod", dropped) in found  # feature 4 of the layer
    row = len(table)  # 0180C9999 is the second-last data row
    assert ("areas_population.csv", row, "desokod", "0180C9999") in found
    assert not any(r == "2480C0001" for *_, r in found)
    assert any("other counties" in p.message for p in result.problems)
    assert dropped not in set(result.points["name"])


def test_areas_bad_rows_refused(tmp_path, territory):
    _, table_path, _ = fx.write_areas(tmp_path, territory)
    table = pd.read_csv(table_path, dtype=str)
    table.loc[1, "befolkning"] = "-5"
    table.loc[2, "desokod"] = table.loc[0, "desokod"]
    table.to_csv(table_path, index=False, lineterminator="\n")
    src = population_source_from_spec({"kind": "areas", "file": "areas.gpkg",
                                       "table": "areas_population.csv"}, tmp_path)
    with pytest.raises(DataValidationError) as exc:
        src(territory)
    assert problems_of(exc) == {("areas_population.csv", 3, "befolkning"),
                                ("areas_population.csv", 4, "desokod")}


def test_areas_without_declared_municipality_use_the_house_rule(tmp_path, territory):
    frame = fx.area_frame(territory)
    frame.drop(columns=["kommunkod", "befolkning"]).rename(columns={"desokod": "omrade"}).to_file(
        tmp_path / "a.geojson", driver="GeoJSON")
    pd.DataFrame({"omrade": frame["desokod"], "pop": frame["befolkning"]}).to_csv(
        tmp_path / "t.csv", index=False, sep=";")
    src = population_source_from_spec({"kind": "areas", "file": "a.geojson", "table": "t.csv",
                                       "code_column": "omrade"}, tmp_path)
    pts = src(territory).points
    # representative points of pieces cut by the municipality polygons land in their own
    assert (pts["kommun_kod"] == pts["name"].str[:4]).mean() > 0.95


# ---------------------------------------------------------------------------------------------
# the spec


def test_spec_validation():
    bad = {
        "kind": ({"kind": "raster"}, "kind"),
        "unknown key": ({"kind": "grid", "file": "a.csv", "format": "scb", "colour": 1}, "colour"),
        "format": ({"kind": "grid", "file": "a.csv", "format": "ssb"}, "format"),
        "missing format": ({"kind": "grid", "file": "a.csv"}, "format"),
        "absolute": ({"kind": "grid", "file": "/data/a.csv", "format": "scb"}, "file"),
        "spread": ({"kind": "grid", "file": "a.csv", "format": "scb", "spread": 0}, "spread"),
        "spread type": ({"kind": "grid", "file": "a.csv", "format": "scb", "spread": "2"},
                        "spread"),
        "bool": ({"kind": "grid", "file": "a.csv", "format": "scb", "cell_size_m": True},
                 "cell_size_m"),
        "size": ({"kind": "grid", "file": "a.csv", "format": "scb", "cell_size_m": -250},
                 "cell_size_m"),
        "points extra": ({"kind": "points", "file": "a.csv"}, "file"),
        "grid table": ({"kind": "grid", "file": "a.csv", "format": "scb", "table": "t.csv"},
                       "table"),
        "areas table": ({"kind": "areas", "file": "a.gpkg"}, "table"),
        "areas format": ({"kind": "areas", "file": "a.gpkg", "table": "t.csv",
                          "format": "scb"}, "format"),
        "empty text": ({"kind": "grid", "file": " ", "format": "scb"}, "file"),
    }
    for name, (table, field) in bad.items():
        with pytest.raises(DataValidationError) as exc:
            PopulationSpec.from_mapping(table, origin="geodata/region.toml [population]")
        fields = {p.field for p in exc.value.problems}
        assert field in fields, (name, exc.value.problems)
        assert all(p.source == "geodata/region.toml [population]" for p in exc.value.problems)
        assert "geodata/region.toml [population]" in str(exc.value)
    with pytest.raises(DataValidationError, match="not a table"):
        PopulationSpec.from_mapping(["grid"])  # type: ignore[arg-type]
    good = {"kind": "areas", "file": "deso/DeSO_2025.gpkg", "table": "deso/befolkning.csv",
            "spread": 2, "code_column": "desokod", "year": 2024}
    spec = PopulationSpec.from_mapping(good)
    assert spec.to_mapping() == good
    assert PopulationSpec.from_mapping(spec.to_mapping()) == spec
    assert PopulationSpec() == PopulationSpec.from_mapping({})
    assert PopulationSpec().kind == "points"


def test_source_from_spec(tmp_path):
    assert isinstance(population_source_from_spec({"kind": "points"}, tmp_path), PointsSource)
    with pytest.raises(DataValidationError) as exc:
        population_source_from_spec({"kind": "areas", "file": "a.gpkg", "table": "t.csv"},
                                    tmp_path)
    assert {p.field for p in exc.value.problems} == {"file", "table"}
    assert "not found" in str(exc.value)
    fx.write_scb_csv(tmp_path / "sub" / "scb.csv")
    src = grid(tmp_path, "sub/scb.csv")
    assert src.path == tmp_path / "sub" / "scb.csv" and src.tolerance_m == 5000.0
    assert src.label == "sub/scb.csv"


def test_points_source_is_the_shipped_model(territory):
    a = population_model(territory)
    b = population_model(territory, PointsSource())
    pd.testing.assert_frame_equal(pd.DataFrame(a.points), pd.DataFrame(b.points))
    pd.testing.assert_frame_equal(a.report, b.report)
    m1 = compute_metrics(territory)
    m2 = compute_metrics(territory, population=PointsSource())
    for name, table in m1.tables().items():
        pd.testing.assert_frame_equal(table, m2.tables()[name], obj=name)


# ---------------------------------------------------------------------------------------------
# caching, scenarios, all tables


def test_source_model_cached_and_kept_by_environment_edits(tmp_path, territory, monkeypatch):
    fx.write_scb_csv(tmp_path / "scb.csv")
    src = grid(tmp_path)
    calls = []
    real = ps.read_grid

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(ps, "read_grid", counting)
    first = population_model(territory, src)
    population_model(territory, src)
    edited = territory.replace(environments=territory.environments.head(40))
    result = compute_metrics(edited, population=src)
    assert len(calls) == 1
    pd.testing.assert_frame_equal(result.population, first.report)
    # the same spec read from a fresh source object hits the same cache entry
    population_model(territory, grid(tmp_path))
    assert len(calls) == 1
    # a changed file is read again
    fx.write_scb_csv(tmp_path / "scb.csv", fx.block_cells(seed=1))
    population_model(territory, grid(tmp_path))
    assert len(calls) == 2
    got = population_model(territory, src).points
    got.loc[0, "weight"] = -1
    assert population_model(territory, src).points.loc[0, "weight"] >= 0


def test_every_table_on_a_grid(tmp_path, territory):
    fx.write_scb_gpkg(tmp_path / "s.gpkg")
    src = grid(tmp_path, "s.gpkg", spread=2)
    params = MetricParams(radius_km=7)
    r = compute_metrics(territory, params, population=src)
    total = float(territory.municipalities["population"].sum())
    assert r.county["population"].iloc[0] == pytest.approx(total, abs=0.5)
    assert len(r.radius_curve) == 50 and r.radius_curve["cov_any"].is_monotonic_increasing
    assert r.cores["catchment_population"].sum() == pytest.approx(total, abs=0.5)
    assert len(r.services) == 26 and len(r.priorities) == 26 * 4
    assert r.population["source_layer"].str.contains("scb_grid").any()
    grid_points = mx.catchment_points(territory, params, population=src)
    assert (grid_points["source"] == "scb_grid").sum() > 500
    # the same numbers as the weighted layer passed in directly
    layer = population_model(territory, src).points
    direct = compute_metrics(territory, params, population=layer)
    pd.testing.assert_frame_equal(r.municipalities, direct.municipalities)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1), st.floats(0.5, 30))
def test_adding_an_environment_never_hurts_on_a_grid(territory, seed, radius):
    rng = np.random.default_rng(seed)
    x, y = 655 + 20 * rng.random(), 6570 + 15 * rng.random()
    area = str(rng.choice(["life_science", "ict", "industrial_transition", "climate_urban", ""]))
    new = environment("new-env", "0180", 0, 0, areas=area)
    new["x"], new["y"] = 1000 * x, 1000 * y
    params = MetricParams(radius_km=radius)
    with tempfile.TemporaryDirectory() as tmp:
        fx.write_scb_csv(Path(tmp) / "scb.csv")
        src = grid(Path(tmp))
        before = municipality_metrics(territory, params, population=src)
        env = pd.concat([territory.environments, point_layer([new], "environments")],
                        ignore_index=True)
        after = municipality_metrics(territory.replace(environments=env), params, population=src)
    for a in AREAS_AND_ANY:
        b, c = before[f"cov_{a}"].to_numpy(), after[f"cov_{a}"].to_numpy()
        ok = ~np.isnan(b)
        assert (c[ok] >= b[ok] - 1e-12).all(), a
        db = np.nan_to_num(before[f"dist_km_{a}"].to_numpy(), nan=np.inf)
        da = np.nan_to_num(after[f"dist_km_{a}"].to_numpy(), nan=np.inf)
        assert (da <= db + 1e-12).all(), a


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False), st.integers(1, 3), st.booleans())
def test_row_order_never_changes_results(territory, rnd, spread, geostat):
    """Permuting a grid file's rows changes nothing; the total weight is the sum of P."""
    if geostat:
        lines = fx.geostat_lines(fx.geostat_cells())
        spec = {"kind": "grid", "format": "geostat", "spread": spread}
    else:
        lines = fx.scb_lines(fx.block_cells())
        spec = {"kind": "grid", "format": "scb", "spread": spread}
    body = lines[1:]
    shuffled = body.copy()
    rnd.shuffle(shuffled)
    params = MetricParams(radius_km=6)
    with tempfile.TemporaryDirectory() as tmp:
        fx.write_lines(Path(tmp) / "a.csv", lines)
        fx.write_lines(Path(tmp) / "b.csv", [lines[0], *shuffled])
        a = population_source_from_spec({**spec, "file": "a.csv"}, tmp)
        b = population_source_from_spec({**spec, "file": "b.csv"}, tmp)
        ma, mb = population_model(territory, a), population_model(territory, b)
        ra, rb = compute_metrics(territory, params, population=a), compute_metrics(
            territory, params, population=b)
    cols = ["point_id", "kommun_kod", "population_given", "weight", "rule"]
    pd.testing.assert_frame_equal(pd.DataFrame(ma.points)[cols], pd.DataFrame(mb.points)[cols],
                                  check_exact=True)
    assert shapely.equals(ma.points.geometry.values, mb.points.geometry.values).all()
    for name, table in ra.tables().items():
        pd.testing.assert_frame_equal(table, rb.tables()[name], check_exact=True, obj=name)
    pd.testing.assert_frame_equal(ra.municipalities, rb.municipalities, check_exact=True)
    total = float(territory.municipalities["population"].sum())
    assert math.isclose(ma.points["weight"].sum(), total, abs_tol=0.5)


def test_a_package_whose_manifest_names_a_grid_is_measured_on_it(tmp_path, territory):
    """region.toml [population] kind = "grid": every metric of that package uses the grid."""
    import shutil

    from smartmap.data.layers import load_territory

    package = tmp_path / "pkg"
    shutil.copytree(Path(__file__).parent.parent / "geodata", package)
    fx.write_scb_csv(package / "befolkning_1km.csv")
    manifest = package / "region.toml"
    text = manifest.read_text(encoding="utf-8")
    head, _, _ = text.partition("[population]")
    manifest.write_text(head + '[population]\nkind = "grid"\nfile = "befolkning_1km.csv"\n'
                        'format = "scb"\nyear = 2024\n', encoding="utf-8")
    t = load_territory(data_dir=package)
    assert t.region.population.kind == "grid"
    result = compute_metrics(t)
    expected = compute_metrics(t, population=grid(package, "befolkning_1km.csv"))
    pd.testing.assert_frame_equal(result.municipalities, expected.municipalities)
    pd.testing.assert_frame_equal(result.population, expected.population)
    shipped = compute_metrics(territory)
    assert not result.municipalities["cov_any"].equals(shipped.municipalities["cov_any"])
