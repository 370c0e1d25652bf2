"""Reading users' environments files: every valid variant, every bad input, purity, ids, CLI."""

from __future__ import annotations

import contextlib
import random
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from smartmap.cli import app
from smartmap.core import vocab
from smartmap.core.errors import DataValidationError, SmartmapError
from smartmap.core.settings import Settings
from smartmap.data.layers import nearest_rule
from smartmap.data.userfiles import (
    RULE_CONTAINING,
    RULE_DECLARED,
    decode_text,
    generate_id,
    read_environments,
)
from tests.io_helpers import environment_tables, geojson, write_variant

IO = Path(__file__).resolve().parent / "data" / "io"
BAD = IO / "bad"
NEAREST = nearest_rule(5000)
VASBY_ID = generate_id("Väsby Labs (Fyrklövern)")
EXPECTED_RULES = {
    "sodertalje-science-park": RULE_DECLARED,
    "rise-sodertalje": RULE_DECLARED,
    "ki-innovations": RULE_DECLARED,
    "hammarby-sjostadsverk": RULE_CONTAINING,
    "campus-nynashamn": NEAREST,
    VASBY_ID: RULE_DECLARED,
}
runner = CliRunner()


def read(path_or_bytes, territory, **kw):
    return read_environments(path_or_bytes, territory, **kw)


def problems_of(path_or_bytes, territory, **kw) -> list:
    with pytest.raises(DataValidationError) as info:
        read(path_or_bytes, territory, **kw)
    return info.value.problems


def gpkg_fixture(tmp_path: Path, territory, crs: int = 3006, layer: str = "user_points",
                 extra_layers: bool = False) -> Path:
    """The GeoJSON fixture written as a GeoPackage point layer with pyogrio."""
    source = gpd.read_file(IO / "envs.geojson")
    source["priority_areas"] = [
        ";".join(v) if isinstance(v, list | tuple | np.ndarray) else v
        for v in source["priority_areas"]
    ]
    path = tmp_path / "envs.gpkg"
    pyogrio.write_dataframe(source.to_crs(crs), path, layer=layer, driver="GPKG")
    if extra_layers:
        pyogrio.write_dataframe(territory.municipalities, path, layer="kommuner", driver="GPKG")
    return path


# ---------------------------------------------------------------------------------------------
# valid variants


VARIANTS = {
    "envs_utf8.csv": {"encoding": "UTF-8", "separator": "separator ','"},
    "envs_utf8_bom_semicolon.csv": {"encoding": "UTF-8 with BOM", "separator": "separator ';'",
                                    "decimal": "decimal comma"},
    "envs_excel_sv.csv": {"encoding": "Windows-1252", "separator": "separator ';'",
                          "decimal": "decimal comma"},
    "envs_sweref.csv": {"coordinates": "easting/northing (SWEREF 99 TM)"},
    "envs.geojson": {"format": "GeoJSON"},
}


@pytest.fixture(scope="module")
def reference(territory):
    return read(IO / "envs_utf8.csv", territory)


def assert_same_records(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame, degrees: float = 1e-6) -> None:
    attrs = [c for c in a.columns if c not in ("lat", "lon", "geometry")]
    pd.testing.assert_frame_equal(pd.DataFrame(a[attrs]).reset_index(drop=True),
                                  pd.DataFrame(b[attrs]).reset_index(drop=True))
    assert np.allclose(a["lat"], b["lat"], atol=degrees, rtol=0, equal_nan=True)
    assert np.allclose(a["lon"], b["lon"], atol=degrees, rtol=0, equal_nan=True)
    assert (a.geometry.isna() == b.geometry.isna()).all()


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_every_variant_reads_to_the_same_records(name, territory, reference):
    result = read(IO / name, territory)
    for key, value in VARIANTS[name].items():
        assert result.detected[key] == value
    assert_same_records(result.environments, reference.environments)
    assert dict(zip(result.assignments["id"], result.assignments["rule"], strict=True)) == \
        EXPECTED_RULES


def test_geopackage_variant_reads_to_the_same_records(tmp_path, territory, reference):
    for crs in (3006, 4326):
        result = read(gpkg_fixture(tmp_path, territory, crs), territory)
        assert result.detected["format"] == "GeoPackage layer 'user_points'"
        assert_same_records(result.environments, reference.environments)


def test_geopackage_with_several_layers_takes_its_one_point_layer(tmp_path, territory, reference):
    result = read(gpkg_fixture(tmp_path, territory, extra_layers=True), territory)
    assert_same_records(result.environments, reference.environments)


def test_reading_gives_exactly_the_shipped_schema(territory, reference):
    env = reference.environments
    shipped = territory.environments
    assert list(env.columns) == list(shipped.columns)
    assert env.dtypes.equals(shipped.dtypes)
    assert env.crs.to_epsg() == 3006
    assert env.geometry.name == shipped.geometry.name
    assert isinstance(env.index, pd.RangeIndex)


def test_records_equal_the_shipped_rows_they_come_from(territory, reference):
    """The fixtures are real rows: read back, they equal the shipped layer (codes assigned)."""
    env = reference.environments.set_index("id")
    shipped = territory.environments.set_index("id")
    common = [i for i in env.index if i in shipped.index]
    assert len(common) == 5
    pd.testing.assert_frame_equal(
        pd.DataFrame(env.loc[common].drop(columns="geometry")),
        pd.DataFrame(shipped.loc[common].drop(columns="geometry")),
    )
    distance = env.loc[common].geometry.distance(shipped.loc[common].geometry)
    assert (distance < 1e-6).all()
    assert set(reference.shared_ids) == set(common)


def test_assignment_report(reference):
    report = reference.assignments.set_index("id")
    assert list(reference.assignments.columns) == ["row", "id", "name", "kommun_kod", "kommun",
                                                   "rule", "distance_m"]
    assert list(reference.assignments["row"]) == [2, 3, 4, 5, 6, 7]
    # no code in the file: Hammarby Sjöstadsverk lies in Stockholm's polygon
    assert report.loc["hammarby-sjostadsverk", ["kommun_kod", "kommun"]].tolist() == \
        ["0180", "Stockholm"]
    # Campus Nynäshamn lies in the sea, ~870 m from the generalised Nynäshamn polygon
    nyn = report.loc["campus-nynashamn"]
    assert (nyn["kommun_kod"], nyn["rule"]) == ("0192", "nearest within 5 km")
    assert 500 < nyn["distance_m"] < 1500
    # the declared code wins over the polygon (KI sits in Stockholm's generalised polygon)
    ki = report.loc["ki-innovations"]
    assert (ki["kommun_kod"], ki["rule"], ki["kommun"]) == ("0184", "declared", "Solna")
    assert reference.rule_counts() == {"declared": 4, "containing polygon": 1,
                                       "nearest within 5 km": 1}
    assert reference.generated_ids == (VASBY_ID,)


def test_declared_point_in_another_polygon_is_a_warning(reference):
    (warning,) = [w for w in reference.warnings if w.record_id == "ki-innovations"]
    assert warning.severity == "warning"
    assert warning.row == 4 and warning.field == "lat/lon"
    assert "lies in Stockholm (0180), not in its declared municipality 0184" in warning.message


def test_vaxholm_town_gets_the_nearest_polygon(territory):
    """Vaxholm town lies ~3 km outside its generalised polygon: the 5 km tolerance exists for it."""
    data = (b"name,env_type,lat,lon,priority_areas,host_organisation,governance_level,services,"
            b"status\nVaxholm point,testbed,59.4025,18.3515,,,municipal,,active\n")
    result = read(data, territory, name="vaxholm.csv")
    row = result.assignments.iloc[0]
    assert (row["kommun_kod"], row["kommun"], row["rule"]) == ("0187", "Vaxholm", NEAREST)
    assert 1000 < row["distance_m"] < 5000


def test_tolerance_comes_from_settings(territory):
    data = (b"name,env_type,lat,lon,priority_areas,host_organisation,governance_level,services,"
            b"status\nVaxholm point,testbed,59.4025,18.3515,,,municipal,,active\n")
    problems = problems_of(data, territory, name="v.csv",
                           settings=Settings(assign_tolerance_m=500.0))
    assert [(p.row, p.field) for p in problems] == [(2, "lat/lon")]
    assert "outside Stockholms län" in problems[0].message
    assert "0.5 km" in problems[0].expected


def test_summary_names_rows_and_rules(reference):
    text = reference.summary()
    assert "envs_utf8.csv: OK, 6 environment(s)" in text
    assert "4 declared, 1 containing polygon, 1 nearest within 5 km" in text
    assert "campus-nynashamn" in text and "Ids generated from the name: 1" in text


# ---------------------------------------------------------------------------------------------
# bad input: one test per case, with the message it must give

BAD_CASES = {
    "missing_column.csv": [(None, "env_type", "missing required column")],
    "empty.csv": [(None, None, "empty file (0 bytes)")],
    "header_only.csv": [(None, None, "no rows")],
    "unknown_area.csv": [(3, "priority_areas", "unknown value(s) 'space'")],
    "unknown_type.csv": [(2, "env_type", "unknown value 'makerspace'")],
    "unknown_level.csv": [(3, "governance_level", "unknown value 'county'")],
    "unknown_service.csv": [(2, "services", "unknown value(s) 'catering'")],
    "unknown_status.csv": [(3, "status", "unknown value 'paused'")],
    "duplicate_id.csv": [(3, "id", "duplicate id 'sodertalje-science-park' (first used in row 2)")],
    "nonnumeric_coordinates.csv": [(2, "lat", "not a number: '59.20.05'"),
                                   (3, "lon", "not a number: 'NaN'")],
    "swapped_latlon.csv": [(2, "lat/lon", "lat 17.6288 and lon 59.2005 look swapped")],
    "sweref_in_latlon.csv": [(2, "lat", "6565337 looks like SWEREF 99 TM metres"),
                             (2, "lon", "650127 looks like SWEREF 99 TM metres")],
    "sweref_degrees.csv": [(2, "easting/northing", "look like WGS 84 degrees, not SWEREF")],
    "outside_county.csv": [(3, "lat/lon", "point lies 18.2 km outside Stockholms län")],
    "no_place.csv": [(3, "lat/lon", "no coordinates and no kommun_kod")],
    "not_feature_collection.geojson": [(None, "type", "a GeoJSON Feature, not a FeatureCollection")],
    "polygon_feature.geojson": [(2, "geometry", "a Polygon, not a Point")],
    "crs_sweref.geojson": [(None, "crs", "names urn:ogc:def:crs:EPSG::3006, not WGS 84")],
    "truncated.geojson": [(None, None, "the text ends too early (truncated?)")],
    "invalid.json": [(None, None, "invalid JSON at line 3, column 18")],
    "broken_excel_export.csv": [
        (3, "env_type", "unknown value 'Forskningsinstitutet'"),
        (4, "lat", "not a number: '59,348,65'"),
        (5, "priority_areas", "unknown value(s) 'biotech'"),
        (6, "status", "unknown value 'Stängd'"),
        (7, "id", "duplicate id 'rise-sodertalje' (first used in row 3)"),
    ],
}


@pytest.mark.parametrize("name", sorted(BAD_CASES))
def test_bad_file_is_refused_with_row_field_and_reason(name, territory):
    problems = problems_of(BAD / name, territory)
    expected = BAD_CASES[name]
    assert [(p.row, p.field) for p in problems] == [(row, f) for row, f, _ in expected]
    for problem, (_, _, text) in zip(problems, expected, strict=True):
        assert text in problem.message
        assert problem.source == name and problem.severity == "error"
        assert problem.expected, "every problem says what was expected"
        line = str(problem)
        assert line.startswith(name)
        if problem.row is not None:
            assert f"row {problem.row}" in line
        if problem.field is not None:
            assert f"field '{problem.field}'" in line


def test_every_bad_fixture_has_a_case():
    assert {p.name for p in BAD.iterdir()} == set(BAD_CASES)


def test_expected_text_of_the_main_cases(territory):
    (area,) = problems_of(BAD / "unknown_area.csv", territory)
    assert area.expected.endswith(", ".join(territory.region.area_ids))
    (outside,) = problems_of(BAD / "outside_county.csv", territory)
    assert outside.expected == "a point in the county or at most 5 km outside it"
    (missing,) = problems_of(BAD / "missing_column.csv", territory)
    assert missing.expected.startswith("a column 'env_type' holding one of: science_park")


def test_binary_garbage(territory):
    garbage = random.Random(3).randbytes(4000)
    (problem,) = problems_of(garbage, territory, name="envs.csv")
    assert problem.source == "envs.csv"
    assert "not text" in problem.message or "binary data" in problem.message


def test_binary_with_nul_bytes_is_not_text(territory):
    (problem,) = problems_of(b"id,name\x00\x00\x01\x02", territory, name="x.csv")
    assert "binary data, not text" in problem.message


def test_excel_workbook_is_refused_with_advice(territory):
    (problem,) = problems_of(b"PK\x03\x04" + bytes(200), territory, name="miljoer.xlsx")
    assert "Excel workbook" in problem.message and "CSV UTF-8" in problem.expected


def test_file_over_the_size_limit(tmp_path, territory):
    big = tmp_path / "big.csv"
    with open(big, "wb") as handle:  # sparse: 21 MiB without writing them
        handle.truncate(21 * 1024 * 1024)
    (problem,) = problems_of(big, territory)
    assert "larger than the upload limit" in problem.message
    assert "20 MiB" in problem.expected
    small = Settings(max_upload_bytes=100)
    (problem,) = problems_of((IO / "envs_utf8.csv").read_bytes(), territory, name="u.csv",
                             settings=small)
    assert "larger than the upload limit" in problem.message


def test_whitespace_only_and_missing_file(tmp_path, territory):
    (problem,) = problems_of(b" \r\n\t\n", territory, name="blank.csv")
    assert "empty file" in problem.message
    (problem,) = problems_of(tmp_path / "nowhere.csv", territory)
    assert problem.message == "file not found"
    (problem,) = problems_of(tmp_path, territory)
    assert "not a file" in problem.message


def test_not_a_geopackage(territory):
    (problem,) = problems_of(b"SQLite format 3\x00" + bytes(100), territory, name="x.gpkg")
    assert "not a readable GeoPackage" in problem.message
    (problem,) = problems_of(b"hello", territory, name="x.gpkg")
    assert "not a GeoPackage" in problem.message


def test_geopackage_polygons_and_ambiguous_layers(tmp_path, territory):
    path = tmp_path / "kommuner.gpkg"
    pyogrio.write_dataframe(territory.municipalities, path, layer="kommuner", driver="GPKG")
    problems = problems_of(path, territory)
    geometry = [p for p in problems if p.field == "geometry"]
    assert len(geometry) == 26 and "a MultiPolygon, not a Point" in geometry[0].message
    assert [p.row for p in geometry] == list(range(1, 27))
    pyogrio.write_dataframe(territory.urban_cores, path, layer="a", driver="GPKG")
    pyogrio.write_dataframe(territory.settlements, path, layer="b", driver="GPKG")
    (problem,) = problems_of(path, territory)
    assert "exactly one point layer" in problem.expected


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_geopackage_without_crs(tmp_path, territory):
    frame = gpd.read_file(IO / "envs.geojson").set_crs(None, allow_override=True)
    frame["priority_areas"] = frame["priority_areas"].map(";".join)
    path = tmp_path / "nocrs.gpkg"
    pyogrio.write_dataframe(frame, path, layer="envs", driver="GPKG")
    (problem,) = problems_of(path, territory)
    assert "no coordinate reference system" in problem.message


def feature(coordinates, **props) -> dict:
    base = {"name": "Södertälje Science Park", "env_type": "science_park",
            "priority_areas": "ict", "host_organisation": "SSP", "governance_level": "mixed",
            "services": "advisory", "status": "active"}
    geometry = None if coordinates is None else {"type": "Point", "coordinates": coordinates}
    return {"type": "Feature", "properties": {**base, **props}, "geometry": geometry}


def test_geojson_coordinate_faults(territory):
    data = geojson([
        feature([17.6288, 59.2005]),
        feature([59.2005, 17.6288]),           # swapped
        feature([650126.6, 6565337.2]),        # SWEREF metres
        feature(["17.6", "59.2"]),             # strings
        feature([17.6288]),                    # one number
        feature(None),                         # no geometry and no code
        feature([17.6288, 59.2005], kommun_kod="0999"),
    ])
    problems = problems_of(data, territory, name="f.geojson")
    got = {(p.row, p.field): p.message for p in problems}
    assert "look swapped: GeoJSON wants [longitude, latitude]" in got[(2, "geometry")]
    assert "look like SWEREF 99 TM metres" in got[(3, "geometry")]
    assert "are not two numbers" in got[(4, "geometry")]
    assert "are not two numbers" in got[(5, "geometry")]
    assert "no coordinates and no kommun_kod" in got[(6, "geometry")]
    assert "0999 is not a municipality of Stockholms län" in got[(7, "kommun_kod")]
    assert len(problems) == 6


def test_geojson_nan_token_is_not_a_number(territory):
    data = geojson([feature([17.6288, 59.2005])]).replace(b"59.2005", b"NaN")
    (problem,) = problems_of(data, territory, name="nan.geojson")
    assert (problem.row, problem.field) == (1, "geometry")
    assert "not finite numbers" in problem.message


def test_geojson_wgs84_crs_member_is_accepted(territory):
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    result = read(geojson([feature([17.6288, 59.2005])], crs=crs), territory, name="a.geojson")
    assert result.rows == 1


def test_geojson_other_documents(territory):
    for data, text in [
        (b"[1, 2]", "JSON holds a list"),
        (b'{"type": "Polygon", "coordinates": []}', "a GeoJSON Polygon, not a FeatureCollection"),
        (b'{"features": []}', "not GeoJSON (no 'type')"),
        (geojson([]), "no features"),
        (b'{"type": "FeatureCollection", "features": {}}', "'features' is missing or not a list"),
    ]:
        (problem,) = problems_of(data, territory, name="d.geojson")
        assert text in problem.message, (data, problem)


def test_geojson_feature_id_member_and_arrays(territory):
    f = feature([17.6288, 59.2005], priority_areas=["ict", "life_science"], founded=2018)
    f["id"] = "ssp"
    result = read(geojson([f]), territory, name="a.geojson")
    env = result.environments.iloc[0]
    assert env["id"] == "ssp" and env["priority_areas"] == "life_science;ict"
    assert env["founded"] == 2018


def test_csv_structure_faults(territory):
    header = ("id,name,env_type,lat,lon,priority_areas,host_organisation,governance_level,"
              "services,status\n")
    too_many = header + "a,A,testbed,59.2,17.6,ict,h,mixed,advisory,active,extra\n"
    (problem,) = problems_of(too_many.encode(), territory, name="c.csv")
    assert (problem.row, problem.field) == (2, None)
    assert "11 cells but the header has 10 columns" in problem.message
    twice = header.replace("status", "Status,status") + "a,A,testbed,59.2,17.6,,h,mixed,,x,y\n"
    problems = problems_of(twice.encode(), territory, name="c.csv")
    assert any("column appears twice" in p.message for p in problems)
    unclosed = header + 'a,"A,testbed,59.2,17.6,ict,h,mixed,advisory,active\n'
    (problem,) = problems_of(unclosed.encode(), territory, name="c.csv")
    assert "not a well-formed CSV" in problem.message
    no_coords = "name,env_type,priority_areas,host_organisation,governance_level,services,status\n"
    problems = problems_of((no_coords + "A,testbed,,,mixed,,active\n").encode(), territory,
                           name="c.csv")
    assert [(p.field, p.message) for p in problems] == [("lat/lon", "no coordinate columns")]
    both = header.replace("lat,lon", "lat,lon,easting,northing")
    problems = problems_of((both + "a,A,testbed,59.2,17.6,1,2,ict,h,mixed,advisory,active\n")
                           .encode(), territory, name="c.csv")
    assert "both lat/lon and easting/northing" in problems[0].message
    half = header + "a,A,testbed,59.2,,ict,h,mixed,advisory,active\n"
    (problem,) = problems_of(half.encode(), territory, name="c.csv")
    assert (problem.row, problem.field, problem.message) == (2, "lon", "empty, but lat is filled")


def test_unknown_municipality_code_and_garbled_code(territory):
    data = (b"name,env_type,kommun_kod,lat,lon,priority_areas,host_organisation,"
            b"governance_level,services,status\n"
            b"A,testbed,0380,59.2005,17.6288,,,mixed,,active\n"
            b"B,testbed,Solna,59.2005,17.6288,,,mixed,,active\n")
    problems = problems_of(data, territory, name="k.csv")
    assert [(p.row, p.field) for p in problems] == [(2, "kommun_kod"), (3, "kommun_kod")]
    assert "0380 is not a municipality of Stockholms län" in problems[0].message
    assert "invalid value 'Solna'" in problems[1].message


def test_all_problems_at_once_and_nothing_changes(territory):
    before = territory.digest()
    problems = problems_of(BAD / "broken_excel_export.csv", territory)
    assert len(problems) == 5
    read(IO / "envs_excel_sv.csv", territory)
    assert territory.digest() == before


def test_never_a_traceback_on_random_input(territory):
    rng = random.Random(11)
    samples = [rng.randbytes(n) for n in (1, 2, 10, 100, 1000)]
    samples += [b"{", b"[", b'{"type":', b"sep=;", b"sep=;\n", b"\xef\xbb\xbf", b"\xff\xfe",
                b"\xff\xfea\x00", b";;;\n;;;\n", b"lat,lon\n1,2\n", b'"', b"\r\r\r", b"a\n\x1a"]
    for data in samples:
        for name in ("x.csv", "x.geojson", "x.gpkg", "upload"):
            with contextlib.suppress(SmartmapError):
                read(data, territory, name=name)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_property_any_bytes_give_a_result_or_a_data_validation_error(territory, data):
    try:
        result = read(data, territory, name="fuzz")
    except DataValidationError as exc:
        assert exc.problems and all(p.source == "fuzz" for p in exc.problems)
    else:
        assert result.rows == len(result.environments) > 0


# ---------------------------------------------------------------------------------------------
# encodings, numbers, vocabulary, ids


def test_decode_text_variants():
    text = "Täby;Österåker;Södertälje – Ängby"
    assert decode_text(text.encode("cp1252")) == (text, "Windows-1252")
    assert decode_text(text.encode("utf-8")) == (text, "UTF-8")
    assert decode_text(text.encode("utf-8-sig")) == (text, "UTF-8 with BOM")
    assert decode_text(text.encode("utf-16")) == (text, "UTF-16")


def test_utf16_tab_separated_excel_unicode_text(territory, reference):
    """Excel's "Unicode text" export: UTF-16 with BOM, tab separated."""
    table = pd.read_csv(IO / "envs_utf8.csv", dtype=str, keep_default_na=False)
    data = table.to_csv(index=False, sep="\t").encode("utf-16")
    result = read(data, territory, name="envs.txt")
    assert result.detected["encoding"] == "UTF-16" and result.detected["separator"] == \
        "separator tab"
    assert_same_records(result.environments, reference.environments)


def test_sep_line_thousand_spaces_and_minus(territory):
    data = ("sep=;\nname;env_type;easting;northing;priority_areas;host_organisation;"
            "governance_level;services;status\n"
            "A;testbed;650\u00a0126,6;6\u00a0565\u00a0337,2;;;mixed;;active\n").encode("utf-8")
    result = read(data, territory, name="s.csv")
    assert result.assignments.iloc[0]["kommun_kod"] == "0181"
    assert result.assignments.iloc[0]["row"] == 2
    assert result.environments.iloc[0]["lat"] == pytest.approx(59.2005, abs=1e-5)


def test_vocabulary_labels_case_and_code_padding(territory):
    data = ("Name;Env type;kommun_kod;lat;lon;Priority areas;host_organisation;"
            "governance_level;services;status\n"
            "A;Inkubator;181;59,2005;17,6288;IKT, tech och digitalisering;x;Kommunal;"
            "Rådgivning;Nedlagd\n").encode("cp1252")
    result = read(data, territory, name="labels.csv")
    env = result.environments.iloc[0]
    assert (env["env_type"], env["priority_areas"], env["governance_level"], env["services"],
            env["status"]) == ("incubator", "ict", "municipal", "advisory", "closed")
    assert env["kommun_kod"] == "0181"
    padded = [w for w in result.warnings if w.field == "kommun_kod"]
    assert padded and "'181' read as '0181'" in padded[0].message


def test_unknown_columns_and_names_warn(territory):
    data = (b"name,env_type,kommun,lat,lon,priority_areas,host_organisation,governance_level,"
            b"services,status,colour\n"
            b"A,testbed,Solna,59.3419,18.1220,,,mixed,,active,red\n")
    result = read(data, territory, name="w.csv")
    fields = {w.field: w.message for w in result.warnings}
    assert "not part of the environments schema" in fields["colour"]
    assert "'Solna' given, but the row belongs to Stockholm (0180)" in fields["kommun"]
    assert result.environments.iloc[0]["kommun"] == "Stockholm"


def test_declared_code_without_coordinates_is_kept_with_a_warning(territory):
    data = (b"name,env_type,kommun_kod,lat,lon,priority_areas,host_organisation,"
            b"governance_level,services,status\nA,testbed,0180,,,,,mixed,,active\n")
    result = read(data, territory, name="n.csv")
    env = result.environments.iloc[0]
    assert env.geometry is None and pd.isna(env["lat"])
    assert result.assignments.iloc[0]["rule"] == RULE_DECLARED
    (warning,) = result.warnings
    assert "no coordinates" in warning.message


def test_mojibake_is_flagged(territory):
    text = (IO / "envs_utf8.csv").read_text(encoding="utf-8")
    double = text.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
    result = read(double, territory, name="double.csv")
    assert any("encoded twice" in w.message for w in result.warnings)


def test_generated_ids_are_stable_and_unique(territory):
    header = ("name,env_type,kommun_kod,lat,lon,priority_areas,host_organisation,"
              "governance_level,services,status\n")
    rows = ["Kista Hub,testbed,0180,59.40,17.94,,,mixed,,active",
            "Täby Lab,testbed,0160,59.44,18.06,,,mixed,,active",
            "Kista  Hub ,testbed,0180,59.41,17.95,,,mixed,,active"]
    first = read((header + "\n".join(rows) + "\n").encode(), territory, name="a.csv")
    again = read((header + "\n".join([rows[1], rows[0]]) + "\n").encode(), territory,
                 name="b.csv")
    ids = list(first.environments["id"])
    assert ids[0] == generate_id("Kista Hub") and ids[2] == ids[0] + "-2"
    assert dict(zip(again.environments["name"], again.environments["id"], strict=True)) == {
        "Kista Hub": ids[0], "Täby Lab": ids[1]}
    assert any("numbered in file order" in w.message for w in first.warnings)
    explicit = header.replace("name,", "id,name,") + f"{ids[0]},Other,testbed,0180,59.4,17.94" \
        ",,,mixed,,active\n,Kista Hub,testbed,0180,59.4,17.94,,,mixed,,active\n"
    clash = read(explicit.encode(), territory, name="c.csv")
    assert list(clash.environments["id"]) == [ids[0], ids[0] + "-2"]


def test_generate_id_examples():
    assert generate_id("Väsby Labs (Fyrklövern)").startswith("vasby-labs-fyrklovern-")
    assert generate_id("Café X") != generate_id("Cafe X")
    assert generate_id("  Café   X ") == generate_id("Café X")
    assert generate_id("!!!").startswith("env-")


# ---------------------------------------------------------------------------------------------
# property: generated valid tables read back exactly


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=environment_tables(), variant=st.sampled_from(["plain", "excel", "bom", "geojson"]))
def test_property_valid_tables_read_exactly(territory, table, variant):
    data, name = write_variant(table, variant)
    result = read(data, territory, name=name)
    env = result.environments
    assert len(env) == len(table)
    explicit = table["id"] != ""
    assert list(env.loc[explicit.to_numpy(), "id"]) == list(table.loc[explicit, "id"])
    assert env["id"].is_unique
    for column in ("name", "host_organisation", "notes"):
        expected = table[column].str.strip().replace("", None)
        assert list(env[column].fillna("")) == list(expected.fillna(""))
    for column in ("env_type", "governance_level", "status"):
        assert list(env[column]) == list(table[column])
    for column, enum in (("priority_areas", territory.region.areas), ("services", vocab.Service)):
        assert list(env[column]) == [vocab.join_list(v.split(";"), enum) for v in table[column]]
    assert list(env["founded"].astype("string").fillna("")) == list(table["founded"])
    assert np.allclose(env["lat"], table["lat"], atol=1e-12, rtol=0)
    assert np.allclose(env["lon"], table["lon"], atol=1e-12, rtol=0)
    declared = table["kommun_kod"] != ""
    assert list(env.loc[declared.to_numpy(), "kommun_kod"]) == list(table.loc[declared,
                                                                               "kommun_kod"])
    assert env["kommun_kod"].isin(territory.municipalities["kommun_kod"]).all()


# ---------------------------------------------------------------------------------------------
# CLI


def test_cli_validate_valid_file_exits_0_with_summary():
    result = runner.invoke(app, ["validate", str(IO / "envs_excel_sv.csv")])
    assert result.exit_code == 0, result.output
    assert "envs_excel_sv.csv: OK, 6 environment(s)" in result.stdout
    assert "Windows-1252" in result.stdout and "decimal comma" in result.stdout
    assert "nearest within 5 km" in result.stdout and "campus-nynashamn" in result.stdout


def test_cli_validate_broken_excel_export_exits_1_with_one_line_per_problem():
    result = runner.invoke(app, ["validate", str(BAD / "broken_excel_export.csv")])
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 5
    assert lines[0].startswith("broken_excel_export.csv, row 3, id 'rise-sodertalje', "
                               "field 'env_type': unknown value 'Forskningsinstitutet'")
    assert all(line.startswith("broken_excel_export.csv, row ") for line in lines)
    assert "error: broken_excel_export.csv refused: 5 problem(s)" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", ["empty.csv", "truncated.geojson", "crs_sweref.geojson"])
def test_cli_validate_file_level_faults_exit_1(name):
    result = runner.invoke(app, ["validate", str(BAD / name)])
    assert result.exit_code == 1
    assert result.stdout.startswith(name)
    assert "Traceback" not in result.output


def test_cli_validate_missing_file_and_garbage(tmp_path):
    result = runner.invoke(app, ["validate", str(tmp_path / "missing.csv")])
    assert result.exit_code == 1 and "file not found" in result.stdout
    junk = tmp_path / "junk.csv"
    junk.write_bytes(random.Random(5).randbytes(2000))
    result = runner.invoke(app, ["validate", str(junk)])
    assert result.exit_code == 1 and "Traceback" not in result.output
