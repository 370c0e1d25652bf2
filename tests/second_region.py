"""A second region end to end: a TEST package for Uppsala County (03) made by ``smartmap init``.

:func:`make_test_region` runs ``smartmap init --county 03`` and fills the package with a few rows
of made-up TEST DATA: its own three priority areas (none of Stockholm's), two core classes,
populations, environments, places, settlements, population points, actors and links. Every
row says it is test data; nothing here describes the real county. Points are the municipalities'
``representative_point()`` (inside their polygons by construction), shifted a few hundred metres.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from smartmap.cli import app
from smartmap.data.layers import LAYERS, municipality_polygons

COUNTY = "03"
TEST_NOTE = "TEST DATA: made up for smartmap's tests, not a real figure"
AREAS = {
    "agrifood": ("Livsmedel och gröna näringar (testområde)", "Food and green industries (test area)"),
    "materials": ("Hållbara material (testområde)", "Sustainable materials (test area)"),
    "water": ("Vatten och klimatanpassning (testområde)", "Water and climate adaptation (test area)"),
}
STOCKHOLM_AREAS = ("life_science", "ict", "industrial_transition", "climate_urban")
STOCKHOLM_LABELS = ("Life science, vård och hälsa", "IKT, tech och digitalisering",
                    "Industriell omställning", "Klimat- och miljösatsningar")
MANIFEST = f"""\
# TEST DATA: a made-up region package for smartmap's tests (made by smartmap init --county 03).
[region]
county = "{COUNTY}"
name_sv = "Testregion Uppsala"
name_en = "Test region Uppsala"
data_year = 2025
test_data = true

[[areas]]
id = "agrifood"
sv = "{AREAS['agrifood'][0]}"
en = "{AREAS['agrifood'][1]}"
short_sv = "livsmedel"
short_en = "food"

[[areas]]
id = "materials"
sv = "{AREAS['materials'][0]}"
en = "{AREAS['materials'][1]}"

[[areas]]
id = "water"
sv = "{AREAS['water'][0]}"
en = "{AREAS['water'][1]}"
colour = "#88CCEE"

[[core_classes]]
id = "hub"
sv = "Regionalt nav (test)"
en = "Regional hub (test)"
nearest = true

[[core_classes]]
id = "node"
sv = "Lokal nod (test)"
en = "Local node (test)"

[population]
kind = "points"
"""


def _points(shift_m: float = 0.0) -> pd.DataFrame:
    """Each municipality's representative point (WGS 84), moved ``shift_m`` metres east."""
    polys = municipality_polygons(COUNTY)
    pts = polys.geometry.representative_point().translate(xoff=shift_m)
    wgs = pts.to_crs(4326)
    return pd.DataFrame({"kommun_kod": polys["kommun_kod"], "kommun": polys["kommun"],
                         "lat": [f"{p.y:.6f}" for p in wgs], "lon": [f"{p.x:.6f}" for p in wgs]})


def _write(folder: Path, layer: str, rows: list[dict[str, object]]) -> None:
    spec = LAYERS[layer]
    columns = [f.name for f in spec.fields]
    frame = pd.DataFrame([{c: "" if r.get(c) is None else str(r.get(c)) for c in columns}
                          for r in rows], columns=columns, dtype="str")
    frame.to_csv(folder / spec.file, index=False)


def make_test_region(folder: Path) -> Path:
    """``smartmap init`` a package for county 03 into ``folder`` and fill it with test data."""
    result = CliRunner().invoke(app, ["init", "--county", COUNTY, "--out", str(folder),
                                      "--test-data"])
    assert result.exit_code == 0, result.output
    (folder / "region.toml").write_text(MANIFEST, encoding="utf-8")
    at = _points().set_index("kommun_kod")
    near = _points(300.0).set_index("kommun_kod")
    codes = list(at.index)
    municipalities = pd.read_csv(folder / LAYERS["municipalities"].file, dtype=str,
                                 keep_default_na=False)
    assert list(municipalities["kommun_kod"]) == codes  # init filled codes and names
    municipalities["population"] = [str(10_000 + 5_000 * i) for i in range(len(codes))]
    municipalities["population_year"] = "2025"
    municipalities["notes"] = TEST_NOTE
    municipalities.to_csv(folder / LAYERS["municipalities"].file, index=False)

    def env(n: int, code: str, env_type: str, areas: str, services: str, level: str,
            status: str = "active") -> dict[str, object]:
        p = at.loc[code]
        return {"id": f"test-env-{n}", "name": f"Testmiljö {n} (testdata)", "env_type": env_type,
                "kommun_kod": code, "kommun": p["kommun"], "lat": p["lat"], "lon": p["lon"],
                "priority_areas": areas, "host_organisation": "Testvärd AB (testdata)",
                "governance_level": level, "services": services, "status": status,
                "notes": TEST_NOTE}

    _write(folder, "environments", [
        env(1, "0380", "science_park", "agrifood;materials", "incubation;lab_access", "mixed"),
        env(2, "0380", "incubator", "water", "incubation;advisory", "academic"),
        env(3, "0381", "testbed", "materials", "testbed_access", "private"),
        env(4, "0360", "business_support", "", "advisory;financing", "municipal"),
        env(5, "0305", "cluster", "agrifood;water", "matchmaking", "regional"),
        env(6, "0382", "coworking_hub", "water", "coworking", "municipal", status="planned"),
    ])
    _write(folder, "urban_cores", [
        {"core_id": "test-hub", "name": "Testnav (testdata)", "core_class": "hub",
         "kommun_koder": "0380", "lat": at.loc["0380", "lat"], "lon": at.loc["0380", "lon"],
         "description": TEST_NOTE},
        {"core_id": "test-node", "name": "Testnod (testdata)", "core_class": "node",
         "kommun_koder": "0381;0305", "lat": at.loc["0381", "lat"], "lon": at.loc["0381", "lon"],
         "description": TEST_NOTE},
    ])
    _write(folder, "settlements", [
        {"settlement_id": f"test-ort-{c}", "name": f"Testort {c} (testdata)", "kommun_kod": c,
         "population": 2_000 + i * 100, "population_year": 2025, "lat": near.loc[c, "lat"],
         "lon": near.loc[c, "lon"], "notes": TEST_NOTE}
        for i, c in enumerate(codes)
    ])
    _write(folder, "population_points", [
        {"point_id": f"test-punkt-{c}", "name": f"Testpunkt {c} (testdata)", "kommun_kod": c,
         "kind": "locality", "population": 3_000, "population_year": 2025,
         "lat": at.loc[c, "lat"], "lon": at.loc[c, "lon"], "notes": TEST_NOTE}
        for c in ("0380", "0381", "0360")
    ])
    _write(folder, "actors", [
        {"actor_id": "test-region", "name": "Testregionen (testdata)", "level": "regional",
         "actor_type": "authority", "role": TEST_NOTE, "territory": "county", "country": "SE"},
        {"actor_id": "test-kommun", "name": "Testkommunen (testdata)", "level": "municipal",
         "actor_type": "authority", "role": TEST_NOTE, "territory": "0380", "country": "SE"},
    ])
    _write(folder, "links", [
        {"from_actor_id": "test-region", "to_actor_id": "test-env-1", "relation": "funds"},
        {"from_actor_id": "test-kommun", "to_actor_id": "test-env-2", "relation": "hosts"},
        {"from_actor_id": "test-region", "to_actor_id": "test-kommun", "relation": "coordinates"},
    ])
    return folder
