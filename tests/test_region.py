"""The region: a package's manifest (region.toml), which region a run analyses, and a region with
its own priority areas going through the metrics."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from smartmap.analysis.metrics import compute_metrics, metric_columns
from smartmap.cli import app
from smartmap.core.region import Region, Term, Terms
from smartmap.core.settings import Settings
from smartmap.core.vocab import Label
from smartmap.data.layers import LAYERS, load_territory
from smartmap.data.region import MANIFEST, RegionError, load_region, resolve_region

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "geodata"
TINY = ROOT / "tests" / "data" / "tiny"
runner = CliRunner()


def test_the_shipped_package_is_stockholms_region():
    region = load_region(SHIPPED)
    assert region.county == "01" and region.name("sv") == "Stockholms län"
    assert region.area_ids == ("life_science", "ict", "industrial_transition", "climate_urban")
    assert region.areas.label("ict", "sv") == "IKT, tech och digitalisering"
    assert region.core_classes.ids == ("central_core", "outer_core", "strategic_location",
                                       "rural_node")
    assert region.nearest_core_classes == ("central_core", "outer_core")
    assert region.population.kind == "points" and region.population.year == 2024
    assert region.population.description is not None and not region.test_data
    assert region.has_package and region.data_dir == SHIPPED.resolve()


def test_every_place_of_the_shipped_cores_has_a_class_of_the_manifest():
    t = load_territory()
    assert set(t.urban_cores["core_class"]) <= set(t.region.core_classes.ids)
    assert set(t.urban_cores.loc[t.urban_cores["name"].isin(["Rimbo", "Hallstavik", "Älmsta"]),
                                 "core_class"]) == {"rural_node"}


def _manifest(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "pkg"
    folder.mkdir(exist_ok=True)
    (folder / MANIFEST).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("text, field, message", [
    ('[region]\nname_sv = "X"\nname_en = "X"\n', "region.county", "missing"),
    ('[region]\ncounty = "1"\n', "region.county", "invalid county code"),
    ('[region]\ncounty = "03"\n[[areas]]\nid = "a b"\nsv = "A"\nen = "A"\n', "areas[1].id",
     "invalid id"),
    ('[region]\ncounty = "03"\n[[areas]]\nid = "any"\nsv = "A"\nen = "A"\n', "areas[1].id",
     "reserved"),
    ('[region]\ncounty = "03"\n[[areas]]\nid = "a"\nsv = "A"\nen = "A"\n'
     '[[areas]]\nid = "a"\nsv = "B"\nen = "B"\n', "areas[2].id", "duplicate id"),
    ('[region]\ncounty = "03"\n[[areas]]\nid = "a"\nsv = "A"\n', "areas[1].en", "missing"),
    ('[region]\ncounty = "03"\n[[areas]]\nid = "a"\nsv = "A"\nen = "A"\ncolour = "red"\n',
     "areas[1].colour", "invalid colour"),
    ('[region]\ncounty = "03"\n[population]\nkind = "census"\n', "population.kind",
     "unknown kind"),
    ('[region]\ncounty = "03"\n[population]\nkind = "grid"\nformat = "scb"\n', "population.file",
     "missing"),
    ('[region]\ncounty = "03"\ndata_year = "2025"\n', "region.data_year", "invalid year"),
])
def test_a_broken_manifest_is_refused_naming_the_field(tmp_path, text, field, message):
    folder = _manifest(tmp_path, text)
    with pytest.raises(RegionError) as err:
        load_region(folder)
    fields = {p.field: p.message for p in err.value.problems}
    assert field in fields and message in fields[field], fields
    assert all(p.source == MANIFEST for p in err.value.problems)


def test_not_toml_and_no_manifest(tmp_path):
    folder = _manifest(tmp_path, "[region\ncounty = 03")
    with pytest.raises(RegionError, match="not valid TOML"):
        load_region(folder)
    with pytest.raises(RegionError, match="no region manifest"):
        load_region(tmp_path / "nothing-here")


def test_which_region_a_run_analyses(tmp_path):
    # the default package describes 01: another county is a bare region, said plainly
    bare = resolve_region("12", SHIPPED, explicit_dir=False, county_name="Skåne län")
    assert bare.county == "12" and not bare.has_package and bare.area_ids == ()
    assert bare.name("en") == "Skåne län"
    # no county asked for: the package's own
    assert resolve_region(None, SHIPPED, explicit_dir=False).county == "01"
    # a folder the user named for another county is refused, never mixed
    with pytest.raises(RegionError, match="refusing to mix"):
        resolve_region("12", SHIPPED, explicit_dir=True)
    # a named folder without a manifest is not a package
    with pytest.raises(RegionError, match="no region manifest"):
        resolve_region("01", tmp_path, explicit_dir=True)


def test_a_county_without_a_package_says_so(monkeypatch):
    monkeypatch.setenv("SMARTMAP_COUNTY", "12")
    monkeypatch.delenv("SMARTMAP_DATA_DIR", raising=False)
    result = runner.invoke(app, ["layers"])
    assert result.exit_code == 0, result.output
    assert "33 municipalities" in result.output
    assert "no data package for county 12" in result.output
    t = load_territory()
    assert not t.region.has_package
    assert any(p.source == "region" and "no data package" in p.message for p in t.problem_list)


def test_a_named_folder_for_another_county_is_refused_by_the_cli():
    result = runner.invoke(app, ["layers", "--county", "12", "--data-dir", str(SHIPPED)])
    assert result.exit_code == 1
    assert "county 01" in result.output and "county 12" in result.output
    assert "Traceback" not in result.output


def _two_area_package(tmp_path: Path) -> Path:
    """The tiny package re-labelled as a region with two areas of its own (no Stockholm area)."""
    folder = tmp_path / "tworegion"
    shutil.copytree(TINY, folder)
    (folder / MANIFEST).write_text(
        '[region]\ncounty = "01"\nname_sv = "Testregion"\nname_en = "Test region"\n'
        'test_data = true\n'
        '[[areas]]\nid = "bio"\nsv = "Bioekonomi"\nen = "Bioeconomy"\n'
        '[[areas]]\nid = "food"\nsv = "Livsmedel"\nen = "Food"\ncolour = "#882255"\n'
        '[[core_classes]]\nid = "central_core"\nsv = "Kärna"\nen = "Core"\nnearest = true\n'
        '[[core_classes]]\nid = "outer_core"\nsv = "Yttre"\nen = "Outer"\n'
        '[[core_classes]]\nid = "strategic_location"\nsv = "Läge"\nen = "Location"\n'
        '[[core_classes]]\nid = "other"\nsv = "Övrig"\nen = "Other"\n',
        encoding="utf-8")
    env = pd.read_csv(folder / LAYERS["environments"].file, dtype=str, keep_default_na=False)
    mapping = {"life_science": "bio", "ict": "food", "industrial_transition": "bio",
               "climate_urban": "food"}
    env["priority_areas"] = [";".join(dict.fromkeys(mapping[a] for a in v.split(";") if a))
                             for v in env["priority_areas"]]
    env.to_csv(folder / LAYERS["environments"].file, index=False)
    for name in ("priorities", "industry_areas"):  # their areas are relabelled the same way
        path = folder / LAYERS[name].file
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        table["area"] = [mapping.get(a, a) for a in table["area"]]
        table.to_csv(path, index=False)
    return folder


def test_a_region_with_its_own_areas_runs_the_metrics(tmp_path):
    folder = _two_area_package(tmp_path)
    t = load_territory(data_dir=folder)
    assert t.region.area_ids == ("bio", "food") and t.region.test_data
    result = compute_metrics(t)
    columns = metric_columns(t.region)
    assert list(result.municipalities.columns[2:]) == list(columns)
    assert {"cov_bio", "cov_food", "lq_bio", "n_env_food"} <= set(columns)
    assert not any("life_science" in c or c.endswith("_ict") for c in columns)
    assert list(result.county["area"]) == ["bio", "food", "any"]
    assert set(result.priorities["area"]) == {"bio", "food"}
    assert t.region.areas.colour("food") == "#882255"


def test_a_region_refuses_another_regions_area_ids(tmp_path):
    folder = _two_area_package(tmp_path)
    path = folder / LAYERS["environments"].file
    text = path.read_text(encoding="utf-8").replace(",bio,", ",life_science,", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(Exception, match="life_science"):
        load_territory(data_dir=folder)


def test_terms_behave_like_a_controlled_vocabulary():
    terms = Terms("area", (Term("b", Label("B", "B")), Term("a", Label("A", "A"))))
    assert terms.parse(" a;b ;") == ("b", "a")  # canonical = the manifest's order
    assert terms.join(["a", "b", "zz"]) == "b;a"
    with pytest.raises(ValueError, match="zz"):
        terms.parse("a;zz")
    assert terms.colour("b") != terms.colour("a")
    with pytest.raises(ValueError, match="duplicate"):
        Terms("area", (Term("a", Label("A", "A")), Term("a", Label("B", "B"))))
    with pytest.raises(ValueError, match="reserved"):
        Region("01", Label("x", "x"), areas=Terms("area", (Term("any", Label("A", "A")),)))


def test_settings_read_the_county_once(monkeypatch):
    from smartmap.core.settings import get_settings

    monkeypatch.delenv("SMARTMAP_COUNTY", raising=False)
    monkeypatch.delenv("SMARTMAP_DATA_DIR", raising=False)
    assert get_settings().county is None and not get_settings().data_dir_explicit
    monkeypatch.setenv("SMARTMAP_DATA_DIR", str(TINY))
    assert get_settings().data_dir_explicit
    assert Settings().data_dir == SHIPPED
