"""Regenerate the user-file fixtures in this folder from the shipped environments table.

Run from the project root: ``.venv/bin/python tests/data/io/make_fixtures.py``. Every variant holds
the same six real records of ``geodata/innovation_environments.csv`` (nothing invented), written the
way users bring them: Excel's Swedish CSV (Windows-1252, ';', decimal comma, Swedish labels), UTF-8
with and without BOM, SWEREF 99 TM easting/northing, and GeoJSON. The expected reading of all of
them is the same table (see tests/test_io.py). The broken files in ``bad/`` are small hand-written
variants with one known fault each; ``bad/broken_excel_export.csv`` has several.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
IDS = ["sodertalje-science-park", "rise-sodertalje", "ki-innovations", "hammarby-sjostadsverk",
       "campus-nynashamn", "vasby-labs"]
NO_CODE = {"hammarby-sjostadsverk", "campus-nynashamn"}   # assigned from geometry
NO_ID = {"vasby-labs"}                                     # id generated from the name


def records() -> pd.DataFrame:
    table = pd.read_csv(ROOT / "geodata" / "innovation_environments.csv", dtype=str,
                        keep_default_na=False)
    table = table.set_index("id").loc[IDS].reset_index()
    table.loc[table["id"].isin(NO_CODE), ["kommun_kod", "kommun"]] = ""
    table.loc[table["id"].isin(NO_ID), "id"] = ""
    return table


def write_csv(table: pd.DataFrame, path: Path, *, sep: str, encoding: str, crlf: bool) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(table.columns)
    writer.writerows(table.itertuples(index=False))
    path.write_bytes(buffer.getvalue().encode(encoding))


def comma(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = table.copy()
    for c in columns:
        out[c] = out[c].str.replace(".", ",", regex=False)
    return out


def main() -> None:
    table = records()
    write_csv(table, HERE / "envs_utf8.csv", sep=",", encoding="utf-8", crlf=False)
    write_csv(comma(table, ["lat", "lon"]), HERE / "envs_utf8_bom_semicolon.csv", sep=";",
              encoding="utf-8-sig", crlf=True)

    excel = comma(table, ["lat", "lon"]).rename(columns={"lat": "Latitud", "lon": "Longitud",
                                                         "name": "Name"})
    excel.loc[excel["status"] == "active", "status"] = "Aktiv"            # Swedish label
    excel.loc[excel["env_type"] == "research_institute", "env_type"] = "Forskningsinstitut"
    write_csv(excel, HERE / "envs_excel_sv.csv", sep=";", encoding="cp1252", crlf=True)

    broken = excel.copy()                                 # several faults, one per row
    broken.loc[1, "env_type"] = "Forskningsinstitutet"    # row 3: not a type or label
    broken.loc[2, "Latitud"] = "59,348,65"                # row 4: not a number
    broken.loc[3, "priority_areas"] = "climate_urban;biotech"  # row 5: unknown area
    broken.loc[4, "status"] = "Stängd"                    # row 6: not a status or label
    broken.loc[5, "id"] = "rise-sodertalje"               # row 7: duplicate id
    write_csv(broken, HERE / "bad" / "broken_excel_export.csv", sep=";", encoding="cp1252",
              crlf=True)

    points = gpd.GeoSeries.from_xy(table["lon"].astype(float), table["lat"].astype(float),
                                   crs=4326).to_crs(3006)
    sweref = table.drop(columns=["lat", "lon"]).copy()
    sweref.insert(5, "easting", [f"{x:.3f}" for x in points.x])
    sweref.insert(6, "northing", [f"{y:.3f}" for y in points.y])
    write_csv(sweref, HERE / "envs_sweref.csv", sep=",", encoding="utf-8", crlf=False)

    features = []
    for row in table.to_dict("records"):
        lon, lat = float(row.pop("lon")), float(row.pop("lat"))
        props = {k: v for k, v in row.items() if v != ""}
        if "founded" in props:
            props["founded"] = int(props["founded"])
        props["priority_areas"] = props.get("priority_areas", "").split(";")  # as a JSON array
        features.append({"type": "Feature", "properties": props,
                         "geometry": {"type": "Point", "coordinates": [lon, lat]}})
    doc = {"type": "FeatureCollection", "features": features}
    (HERE / "envs.geojson").write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")


if __name__ == "__main__":
    main()
