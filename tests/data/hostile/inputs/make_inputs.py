"""Regenerate the hostile input files in this folder: files a user could bring that must be
refused quickly with a clear message (or read with a warning), never hang or crash smartmap.

Run from the project root: ``.venv/bin/python tests/data/hostile/inputs/make_inputs.py``. The
GeoPackages are built with pyogrio (a real point layer of one shipped record) and then altered with
sqlite3; the text files are written directly. ``tests/test_safety.py`` reads every file here and
says what each must give; the bounds are those of ``smartmap/core/limits.py``. (The folder above
holds a hostile *territory*, used as a data folder by the browser tests; these are inputs.)
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import geopandas as gpd
import pyogrio

from smartmap.core.limits import MAX_COLUMNS, MAX_EDITS, MAX_NAME_CHARS

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]
RLO, LRM, ESC = "\u202e", "\u200e", "\x1b"


def base_layer() -> gpd.GeoDataFrame:
    """One real environment (the first of tests/data/io/envs.geojson) in EPSG:3006."""
    frame = gpd.read_file(ROOT / "tests" / "data" / "io" / "envs.geojson").head(1)
    frame["priority_areas"] = frame["priority_areas"].map(";".join)
    return frame.to_crs(3006)


def gpkg(out: Path, name: str, sql: str, layer: str = "base") -> None:
    """A GeoPackage with the base point layer, then ``sql`` run on it with sqlite3."""
    path = out / name
    path.unlink(missing_ok=True)
    pyogrio.write_dataframe(base_layer(), path, layer=layer, driver="GPKG")
    with sqlite3.connect(path) as connection:
        connection.executescript(sql)
    connection.close()


ENDLESS = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r)"


def geopackages(out: Path) -> None:
    # the reviewer's case: the layer to read ('environments') is a view that never ends
    gpkg(out, "recursive_view.gpkg", f"""
        CREATE VIEW environments AS {ENDLESS}
            SELECT base.*, r.n AS n FROM base, r;
        INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id)
            VALUES ('environments', 'features', 'environments', 3006);
        INSERT INTO gpkg_geometry_columns VALUES ('environments', 'geom', 'POINT', 3006, 0, 0);
    """)
    # a view nobody registered: GDAL still lists it as a layer
    gpkg(out, "unregistered_view.gpkg", f"CREATE VIEW slow AS {ENDLESS} SELECT n FROM r;")
    # a virtual table that is no GeoPackage R-tree index
    gpkg(out, "virtual_table.gpkg", "CREATE VIRTUAL TABLE sneaky USING rtree(id, x0, x1);")
    # a computed column: its expression runs on every read (here 2 MB of text per row)
    gpkg(out, "generated_column.gpkg", "ALTER TABLE base ADD COLUMN blowup TEXT "
                                  "GENERATED ALWAYS AS (hex(zeroblob(1000000))) VIRTUAL;")
    # a plain SQLite database, no GeoPackage
    path = out / "plain.sqlite"
    path.unlink(missing_ok=True)
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (name TEXT)")
    connection.close()
    # a GeoPackage whose pages were overwritten in the middle
    gpkg(out, "damaged.gpkg", "")
    data = bytearray((out / "damaged.gpkg").read_bytes())
    middle = len(data) // 2
    data[middle: middle + 4096] = b"\xff" * 4096
    (out / "damaged.gpkg").write_bytes(bytes(data))


def scenario(**changes: object) -> dict[str, object]:
    """The shipped example scenario (closing Södertälje Science Park) with some fields changed."""
    doc = json.loads((ROOT / "geodata" / "scenarios" / "close_sodertalje_science_park.json")
                     .read_text(encoding="utf-8"))
    return {**doc, **changes}


def add_edit(**changes: object) -> dict[str, object]:
    return {"kind": "add", "name": "Testbädd Norrtälje", "env_type": "testbed", "lat": 59.758,
            "lon": 18.705, **changes}


def write_json(out: Path, name: str, doc: object) -> None:
    (out / name).write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")


def scenarios(out: Path) -> None:
    big = "1" + "0" * 400  # 1e400 written out: too large for a float
    text = json.dumps(scenario(edits=[add_edit(lat=0)]), ensure_ascii=False, indent=1)
    (out / "scenario_huge_lat.json").write_text(text.replace('"lat": 0', f'"lat": {big}'),
                                                 encoding="utf-8")
    text = json.dumps(scenario(), ensure_ascii=False, indent=1)
    (out / "scenario_huge_radius.json").write_text(
        text.replace('"radius_km": 10.0', f'"radius_km": {big}'), encoding="utf-8")
    (out / "scenario_nan_lon.json").write_text(
        json.dumps(scenario(edits=[add_edit(lon=0)]), indent=1).replace('"lon": 0', '"lon": NaN'),
        encoding="utf-8")
    deep = "[" * 10_000 + "]" * 10_000  # Python's JSON parser recurses: RecursionError
    (out / "scenario_deep.json").write_text(
        json.dumps(scenario(description="x"), indent=1).replace('"x"', deep), encoding="utf-8")
    write_json(out, "scenario_radius_out_of_range.json",
               scenario(parameters={**scenario()["parameters"], "radius_km": 150}))
    write_json(out, "scenario_too_many_edits.json", scenario(
        edits=[{"kind": "close", "id": "sodertalje-science-park"}] * (MAX_EDITS + 1)))
    write_json(out, "scenario_long_name.json", scenario(name="S" * (MAX_NAME_CHARS + 1)))
    write_json(out, "scenario_bidi_name.json", scenario(edits=[add_edit(name=f"Lab {RLO}gpj.exe")]))
    write_json(out, "scenario_escape_description.json",
               scenario(description=f"Workshop {ESC}[2J{ESC}[31mred"))


def feature(**props: object) -> dict[str, object]:
    """The first real record of tests/data/io/envs.geojson with some properties changed."""
    doc = json.loads((ROOT / "tests" / "data" / "io" / "envs.geojson").read_text(encoding="utf-8"))
    first = doc["features"][0]
    return {**first, "properties": {**first["properties"], **props}}


def collection(*features: dict[str, object]) -> dict[str, object]:
    return {"type": "FeatureCollection", "features": list(features)}


def user_files(out: Path) -> None:
    big = "1" + "0" * 400
    text = json.dumps(collection(feature()), ensure_ascii=False, indent=1)
    lon = json.dumps(feature()["geometry"]["coordinates"][0])
    (out / "huge_coordinate.geojson").write_text(text.replace(lon, big, 1), encoding="utf-8")
    write_json(out, "deep_property.geojson", collection(feature(notes="x")))
    path = out / "deep_property.geojson"
    path.write_text(path.read_text(encoding="utf-8").replace('"x"', "[" * 5000 + "]" * 5000),
                    encoding="utf-8")
    # invisible characters: stripped with a warning in names, refused in ids and as controls
    write_json(out, "bidi_name.geojson", collection(feature(name=f"Science Park {RLO}gpj.exe{LRM}")))
    write_json(out, "bidi_id.geojson", collection(feature(id=f"ssp{RLO}")))
    write_json(out, "escape_host.geojson", collection(feature(host_organisation=f"Host {ESC}[2J")))
    path = out / "surrogate_name.geojson"
    write_json(out, path.name, collection(feature(name="SURROGATE")))
    path.write_text(path.read_text(encoding="utf-8").replace("SURROGATE", "Lab \\ud800"),
                    encoding="utf-8")
    # CSV: more columns than allowed, a name longer than allowed
    header = ",".join(f"c{i}" for i in range(MAX_COLUMNS + 1))
    (out / "wide.csv").write_text(header + "\n" + "," * MAX_COLUMNS + "\n", encoding="utf-8")
    source = (ROOT / "tests" / "data" / "io" / "envs_utf8.csv").read_text(encoding="utf-8")
    lines = source.splitlines()
    first = lines[1].split(",")
    first[1] = "N" * (MAX_NAME_CHARS + 1)
    (out / "long_name.csv").write_text("\n".join([lines[0], ",".join(first)]) + "\n",
                                        encoding="utf-8")


def main(out: Path = HERE) -> None:
    """Write every hostile input into ``out`` (this folder by default)."""
    geopackages(out)
    scenarios(out)
    user_files(out)


if __name__ == "__main__":
    main()
