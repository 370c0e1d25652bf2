"""Region packages: ``smartmap init`` makes one for any county, ``smartmap validate DIR`` checks
a whole one at once (every file, every problem), and ``load_territory`` refuses with the same
problems."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from smartmap.analysis.metrics import compute_metrics
from smartmap.cli import app
from smartmap.core.errors import DataValidationError
from smartmap.core.i18n import LANGS
from smartmap.data import layers as layers_module
from smartmap.data import package as package_module
from smartmap.data import schemas
from smartmap.data.layers import LAYERS, LayerSpec, load_territory, municipality_polygons
from smartmap.data.package import (
    README,
    PackageError,
    check_package,
    column_description,
    init_package,
    layer_description,
)
from smartmap.data.region import MANIFEST
from tests.second_region import make_test_region

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    """The Uppsala TEST package of tests/second_region.py (clean: validate exits 0)."""
    return make_test_region(tmp_path_factory.mktemp("region") / "uppsala")


def _copy(filled: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "pkg"
    shutil.copytree(filled, folder)
    return folder


# --- init ------------------------------------------------------------------------------------


def test_init_writes_a_package_for_any_county(tmp_path):
    out = tmp_path / "skane"
    result = runner.invoke(app, ["init", "--county", "12", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"smartmap validate {out}" in result.output
    polys = municipality_polygons("12")
    muni = _csv(out / "municipalities.csv")
    assert list(muni.columns) == schemas.field_names(LAYERS["municipalities"].fields)
    assert list(muni["kommun_kod"]) == list(polys["kommun_kod"])  # codes stay text: 1214 ...
    assert list(muni["kommun"]) == list(polys["kommun"]) and len(muni) == 33
    others = muni.drop(columns=["kommun_kod", "kommun"])
    assert (others == "").all().all()  # a population is never invented
    for name, spec in LAYERS.items():
        header = (out / spec.file).read_text(encoding="utf-8").splitlines()[0]
        assert header.split(",") == schemas.field_names(spec.fields), name
        if name != "municipalities":
            assert len((out / spec.file).read_text(encoding="utf-8").splitlines()) == 1
    manifest = tomllib.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["region"] == {"county": "12", "name_sv": "Skåne län",
                                  "name_en": "Skåne County", "test_data": False}
    assert manifest["population"] == {"kind": "points"}
    text = (out / MANIFEST).read_text(encoding="utf-8")
    for example in ("# [[areas]]", "# [[core_classes]]", "# kind = \"grid\"", "# data_year"):
        assert example in text


def test_a_new_package_validates_and_loads_with_metrics_for_any_only(tmp_path):
    out = tmp_path / "new"
    init_package("03", out)
    result = runner.invoke(app, ["validate", str(out)])
    assert result.exit_code == 0, result.output
    assert "no priority areas" in result.output and "OK: 0 error(s)" in result.output
    t = load_territory(data_dir=out)
    assert t.region.county == "03" and t.region.area_ids == () and len(t.municipalities) == 8
    table = compute_metrics(t).municipalities
    area_columns = [c for c in table.columns if c.startswith(("cov_", "dist_km_", "white_spot_"))]
    assert area_columns == ["dist_km_any", "cov_any", "white_spot_any"]
    assert table["population"].isna().all()


def test_the_readme_says_what_every_column_means_in_both_languages(tmp_path):
    out = tmp_path / "readme"
    init_package("03", out)
    text = (out / README).read_text(encoding="utf-8")
    sv, en = text.split("\n# ")[0], text.split("\n# ")[1]
    assert "(Svenska)" in sv and "(English)" in en
    for lang, part in (("sv", sv), ("en", en)):
        for name, spec in LAYERS.items():
            assert f"`{spec.file}`" in part, (lang, name)
            for f in spec.fields:
                desc = column_description(name, f.name, lang)
                row = next(ln for ln in part.splitlines() if ln.startswith(f"| `{f.name}` |")
                           and desc.replace("|", "\\|") in ln)
                assert row.count(" | ") == 4, row
    assert "`science_park` (Science park)" in en and "`incubator` (Inkubator)" in sv
    assert "id:n i region.toml:s [[areas]] (inga ännu: lämna tomt)" in sv
    assert "the ids of region.toml's [[core_classes]] (none yet: leave empty)" in en
    assert "ja, ifylld i varje rad" in sv and "the column; cells may be empty" in en
    assert "-90 to 90" in en and "minst 0" in sv
    assert f"smartmap validate {out}" in text


def test_every_column_and_layer_is_described_in_both_catalogs():
    for name, spec in LAYERS.items():
        for lang in LANGS:
            assert layer_description(name, lang), (name, lang)
            for f in spec.fields:
                assert column_description(name, f.name, lang), (name, f.name, lang)


def test_a_layer_added_later_is_in_the_package_without_touching_init(tmp_path, monkeypatch):
    extra = LayerSpec("observations", "observations.csv",
                      (schemas.Field("obs_id", "id", nullable=False),
                       schemas.Field("name", "text"), schemas.Field("source_url", "text")),
                      "obs_id", LAYERS["links"].title, has_points=False)
    monkeypatch.setattr(package_module, "LAYERS", {**LAYERS, "observations": extra})
    out = tmp_path / "later"
    made = init_package("03", out)
    assert out / "observations.csv" in made.files
    assert (out / "observations.csv").read_text(encoding="utf-8") == "obs_id,name,source_url\n"
    readme = (out / README).read_text(encoding="utf-8")
    assert "### `observations.csv`" in readme and "| `obs_id` |" in readme


def test_init_refuses_a_non_empty_folder_unless_forced(tmp_path):
    out = tmp_path / "busy"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["init", "--county", "03", "--out", str(out)])
    assert result.exit_code == 1 and "not empty" in result.output and "--force" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    (out / MANIFEST).write_text("old", encoding="utf-8")
    result = runner.invoke(app, ["init", "--county", "03", "--out", str(out), "--force",
                                 "--test-data"])
    assert result.exit_code == 0, result.output
    assert (out / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert "test_data = true" in (out / MANIFEST).read_text(encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert runner.invoke(app, ["init", "--county", "03", "--out", str(empty)]).exit_code == 0
    assert (empty / MANIFEST).is_file()


def test_init_refuses_an_unknown_county_and_a_file(tmp_path):
    result = runner.invoke(app, ["init", "--county", "99", "--out", str(tmp_path / "x")])
    assert result.exit_code == 1 and "unknown county code '99'" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "x").exists()
    (tmp_path / "f").write_text("", encoding="utf-8")
    with pytest.raises(PackageError, match="not a folder"):
        init_package("03", tmp_path / "f")


def test_init_writes_all_or_nothing(tmp_path, monkeypatch):
    out = tmp_path / "half"
    written: list[str] = []
    real = Path.write_text

    def failing(self: Path, text: str, **kw):
        if len(written) == 3:
            raise OSError(28, "No space left on device")
        written.append(self.name)
        return real(self, text, **kw)

    monkeypatch.setattr(Path, "write_text", failing)
    with pytest.raises(OSError):
        init_package("03", out)
    monkeypatch.undo()
    assert not out.exists()
    assert not list(tmp_path.iterdir())  # no temporary folder left behind


# --- check a whole package -------------------------------------------------------------------


def test_the_filled_test_package_is_clean(filled):
    check = check_package(filled)
    assert check.ok and check.problems == () and check.region.test_data
    assert check.rows["innovation_environments.csv"] == 6
    assert "TEST DATA" in check.summary()


def _edit(folder: Path, layer: str, row: int, column: str, value: str) -> None:
    path = folder / LAYERS[layer].file
    table = _csv(path)
    table.loc[row, column] = value
    table.to_csv(path, index=False)


def test_every_problem_of_every_file_is_listed_at_once(filled, tmp_path):
    folder = _copy(filled, tmp_path)
    _edit(folder, "municipalities", 2, "population", "many")
    _edit(folder, "environments", 0, "priority_areas", "life_science")  # Stockholm's area
    _edit(folder, "environments", 1, "kommun_kod", "0180")  # not in county 03
    _edit(folder, "environments", 2, "id", "test-env-2")  # duplicate of a valid row
    _edit(folder, "urban_cores", 1, "core_class", "outer_core")  # not in the manifest
    _edit(folder, "links", 0, "to_actor_id", "nobody")  # unknown id
    _edit(folder, "settlements", 0, "lat", "north")
    check = check_package(folder)
    assert not check.ok and check.territory is None
    found = {(p.source, p.row, p.field) for p in check.problems if p.severity == "error"}
    assert {("municipalities.csv", 4, "population"),
            ("innovation_environments.csv", 2, "priority_areas"),
            ("innovation_environments.csv", 3, "kommun_kod"),
            ("innovation_environments.csv", 4, "id"),
            ("regional_urban_cores.csv", 3, "core_class"),
            ("settlements.csv", 2, "lat")} <= found, found
    message = {str(p) for p in check.problems}
    assert any("unknown value(s) 'life_science'" in m and "agrifood" in m for m in message)
    assert any("0180 not in the county" in m for m in message)
    # four files break their schema: load_territory refuses with the problems of all four
    with pytest.raises(DataValidationError) as err:
        load_territory(data_dir=folder)
    refused = {p.source for p in err.value.problems}
    assert refused == {"municipalities.csv", "regional_urban_cores.csv", "settlements.csv",
                       "innovation_environments.csv"}
    assert "break their schema" in str(err.value)
    # the CLI lists them, one line each, and exits 1
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(ln.startswith("municipalities.csv, row 4, id '0330', field 'population': not a "
                             "number: 'many'") for ln in lines), lines
    assert "REFUSED" in result.output and "Traceback" not in result.output


def test_links_and_codes_are_cross_checked_when_the_files_are_valid(filled, tmp_path):
    folder = _copy(filled, tmp_path)
    _edit(folder, "links", 0, "to_actor_id", "nobody")
    _edit(folder, "environments", 1, "kommun_kod", "0180")
    check = check_package(folder)
    assert check.territory is not None and not check.ok  # loads, but validate says no
    errors = {(p.source, p.row, p.field) for p in check.problems if p.severity == "error"}
    assert errors == {("governance_links.csv", 2, "to_actor_id"),
                      ("innovation_environments.csv", 3, "kommun_kod")}
    assert runner.invoke(app, ["validate", str(folder)]).exit_code == 1


def test_a_broken_manifest_and_broken_files_are_reported_together(filled, tmp_path):
    folder = _copy(filled, tmp_path)
    text = (folder / MANIFEST).read_text(encoding="utf-8")
    (folder / MANIFEST).write_text(text.replace('colour = "#88CCEE"', 'colour = "blue"'),
                                   encoding="utf-8")
    _edit(folder, "actors", 0, "level", "galactic")
    check = check_package(folder)
    fields = {(p.source, p.field) for p in check.problems}
    assert (MANIFEST, "areas[3].colour") in fields
    assert ("governance_actors.csv", "level") in fields
    assert check.territory is None


@pytest.mark.parametrize("text, field", [
    ("", "region"),
    ('[region]\ncounty = "3"\n', "region.county"),
    ("[region\n", ""),
])
def test_a_manifest_without_a_county_stops_the_check(filled, tmp_path, text, field):
    folder = _copy(filled, tmp_path)
    (folder / MANIFEST).write_text(text, encoding="utf-8")
    check = check_package(folder)
    assert check.region is None and not check.ok
    assert all(p.source == MANIFEST for p in check.problems)
    assert field in {p.field for p in check.problems}


def test_missing_unreadable_and_semicolon_files(filled, tmp_path):
    folder = _copy(filled, tmp_path)
    (folder / LAYERS["links"].file).unlink()
    (folder / LAYERS["settlements"].file).write_bytes("settlement_id,name\nö,Å\n".encode("cp1252"))
    path = folder / LAYERS["population_points"].file
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    (folder / LAYERS["actors"].file).write_text("", encoding="utf-8")
    check = check_package(folder)
    by_file = {p.source: p.message for p in check.problems if p.severity == "error"}
    assert "file not found" in by_file["governance_links.csv"]
    assert "not UTF-8" in by_file["settlements.csv"]
    assert "separated by ';'" in by_file["population_points.csv"]
    assert "empty file" in by_file["governance_actors.csv"]


def test_the_county_asked_for_must_be_the_packages(filled):
    result = runner.invoke(app, ["validate", str(filled), "--county", "01"])
    assert result.exit_code == 1
    assert "describes county 03, not county 01" in result.output
    result = runner.invoke(app, ["validate", str(filled), "--data-dir", str(filled)])
    assert result.exit_code == 1 and "--data-dir" in result.output


def test_a_population_file_outside_the_package_is_refused(filled, tmp_path):
    folder = _copy(filled, tmp_path)
    text = (folder / MANIFEST).read_text(encoding="utf-8")
    (folder / MANIFEST).write_text(text.replace(
        'kind = "points"', 'kind = "grid"\nformat = "scb"\nfile = "../grid.csv"'),
        encoding="utf-8")
    (tmp_path / "grid.csv").write_text("rutid_scb,beftotalt\n", encoding="utf-8")
    check = check_package(folder)
    assert not check.ok
    assert any(p.field == "population.file" and "outside the package" in p.message
               for p in check.problems)


def test_a_population_grid_in_the_package_is_checked(filled, tmp_path):
    folder = _copy(filled, tmp_path)
    text = (folder / MANIFEST).read_text(encoding="utf-8")
    (folder / MANIFEST).write_text(text.replace(
        'kind = "points"', 'kind = "grid"\nformat = "scb"\nfile = "grid.csv"'), encoding="utf-8")
    (folder / "grid.csv").write_text("rutid_scb,beftotalt\nnot-an-id,12\n", encoding="utf-8")
    check = check_package(folder)
    assert not check.ok
    assert any(p.source == "grid.csv" and p.row == 2 for p in check.problems), check.problems


def test_validate_a_single_environments_file_is_unchanged():
    good = ROOT / "tests" / "data" / "io" / "envs_utf8.csv"
    result = runner.invoke(app, ["validate", str(good)])
    assert result.exit_code == 0, result.output
    bad = ROOT / "tests" / "data" / "io" / "bad" / "broken_excel_export.csv"
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    assert all(re.match(r"broken_excel_export\.csv(, row \d+)?", ln)
               for ln in result.stdout.splitlines() if ln)


def test_the_shipped_package_validates():
    result = runner.invoke(app, ["validate", str(ROOT / "geodata")])
    assert result.exit_code == 0, result.output
    assert "OK: 0 error(s)" in result.output and "county 01" in result.output


def test_read_layers_skips_cross_checks_that_need_a_refused_layer(filled, tmp_path):
    folder = _copy(filled, tmp_path)
    _edit(folder, "environments", 0, "status", "dreaming")
    region = check_package(folder).region
    read = layers_module.read_layers(region)
    assert read.refused == ("innovation_environments.csv",)
    assert not any(p.source == "governance_links.csv" for p in read.problems)  # no false alarms
    assert len(read.frames["environments"]) == 0 and len(read.frames["actors"]) == 2
