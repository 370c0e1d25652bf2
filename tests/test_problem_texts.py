"""Every problem a user can meet reads in Swedish and in English (smartmap.core.problemtext).

The checks build their findings from catalog keys (``msgctxt "problem"``); the record keeps the
English text (CLI, logs, ``str(problem)``). Here every problem that the shipped data, the tiny and
hostile fixtures, the bad-input files in ``tests/data/io/``, the hostile inputs, a broken region
package and bad population sources produce must carry a key whose texts exist in both catalogs
and format with its values, and its English rendering must be exactly the stored message, so
nothing reaches a Swedish page in English and the English does not drift.
"""

from __future__ import annotations

import ast
import io
import re
import string
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from smartmap.analysis.metrics import compute_metrics
from smartmap.analysis.params import MetricParams, ParameterError
from smartmap.analysis.scenario import (
    AddEnvironment,
    MoveEnvironment,
    RetagEnvironment,
    Scenario,
    ScenarioError,
    apply,
    from_share_token,
    loads,
)
from smartmap.core import i18n
from smartmap.core.errors import DataValidationError, Phrase, Problem
from smartmap.core.popspec import PopulationSpec
from smartmap.core.problemtext import (
    CONTEXT,
    error_text,
    fill,
    keyed,
    localized,
    localized_frame,
    render,
)
from smartmap.data.bundle import open_bundle
from smartmap.data.layers import LAYERS, load_territory
from smartmap.data.package import check_package
from smartmap.data.popsources import read_grid
from smartmap.data.provenance import white_spot_search
from smartmap.data.userfiles import read_environments
from tests.second_region import make_test_region

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


def _keys(value: Phrase | str) -> list[str]:
    if isinstance(value, str):
        return []
    return [value.key, *(k for _, v in value.args for k in _keys(v))]


def assert_readable(problems: list[Problem] | tuple[Problem, ...]) -> None:
    """Each problem is keyed, both languages render with its values, English is the record's."""
    assert problems, "the case produced no problem: it checks nothing"
    for p in problems:
        assert p.code is not None, f"no message key: {p}"
        assert (p.expected is None) == (p.expected_code is None), p
        for key in [p.code, *([p.expected_code] if p.expected_code else []),
                    *(k for _, v in p.args for k in _keys(v))]:
            for lang in i18n.LANGS:
                assert (CONTEXT, key) in i18n.messages(lang), (lang, key, str(p))
        names = {name for name, _ in p.args}
        for key in filter(None, (p.code, p.expected_code)):
            for lang in i18n.LANGS:
                template = i18n.message(key, lang, CONTEXT)
                used = {f for _, f, _, _ in string.Formatter().parse(template) if f}
                assert used <= names, (lang, key, used - names, str(p))
        assert render(p, "en") == (p.message, p.expected), p
        sv_message, sv_expected = render(p, "sv")
        assert sv_message and (sv_expected is None) == (p.expected is None)


def refused(source: Path | bytes, territory, name: str | None = None) -> list[Problem]:
    try:
        result = read_environments(source, territory, name=name)
    except DataValidationError as exc:
        return exc.problems
    return list(result.warnings)


# ---------------------------------------------------------------------------------------------
# the shipped data and the fixtures


def test_the_shipped_data_and_its_metrics(territory):
    metrics = compute_metrics(territory)
    found = [*territory.problem_list, *metrics.problems, *white_spot_search(territory).problems]
    assert_readable(found)


@pytest.mark.parametrize("folder", ["tiny", "hostile"])
def test_the_fixture_packages(folder):
    loaded = load_territory("01", data_dir=DATA / folder)
    assert_readable([*loaded.problem_list, *compute_metrics(loaded).problems])


def test_a_county_without_package(territory):
    bare = load_territory("03")
    assert_readable(bare.problem_list)


@pytest.mark.parametrize("path", sorted((DATA / "io" / "bad").iterdir()), ids=lambda p: p.name)
def test_every_bad_input_file(path, territory):
    assert_readable(refused(path, territory))


@pytest.mark.parametrize(
    "path", sorted(p for p in (DATA / "hostile" / "inputs").iterdir()
                   if p.suffix in (".csv", ".geojson", ".gpkg", ".sqlite")),
    ids=lambda p: p.name)
def test_every_hostile_input_file(path, territory):
    assert_readable(refused(path, territory))


@pytest.mark.parametrize("content, name", [
    (b"", "empty.csv"),
    (b"PK\x03\x04 an excel workbook", "book.xlsx"),
    (b"name;lat\n" + b"x;1\n" * 5, "no_lon.csv"),
    (b"name,env_type,lat,lon,kommun_kod\nA,lab,59.3,18.0,9999\nB,testbed,18.06,59.33,\n"
     b"C,testbed,62.0,15.0,\n", "mixed.csv"),
    (b'{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": '
     b'{"type": "LineString", "coordinates": []}, "properties": {}}]}', "line.geojson"),
    (b'{"type": "FeatureCollection", "crs": {"properties": {"name": "EPSG:3006"}}, '
     b'"features": []}', "crs.geojson"),
    ("\ufeffid;namn;typ;lat;lon\nx;Å\u202e;testbed;59,3;18,0\nx;B;testbed;59.3;\n".encode(),
     "svenska.csv"),
], ids=["empty", "excel", "no_lon", "mixed", "line", "crs", "swedish"])
def test_more_bad_uploads(content, name, territory):
    assert_readable(refused(content, territory, name))


# ---------------------------------------------------------------------------------------------
# a broken region package, a refused zip, bad population sources


@pytest.fixture(scope="module")
def broken_package(tmp_path_factory) -> Path:
    folder = make_test_region(tmp_path_factory.mktemp("broken") / "pkg")
    env = folder / LAYERS["environments"].file
    env.write_text(env.read_text(encoding="utf-8").replace(",science_park,", ",spaceport,", 1),
                   encoding="utf-8")
    cores = folder / LAYERS["urban_cores"].file
    lines = cores.read_text(encoding="utf-8").splitlines()
    cores.write_text("\n".join([lines[0].replace("core_class", "klass"), *lines[1:]]) + "\n",
                     encoding="utf-8")
    (folder / LAYERS["links"].file).write_text("from_actor_id;to_actor_id;relation\n",
                                               encoding="utf-8")
    for name in ("priorities", "employment"):
        (folder / LAYERS[name].file).unlink(missing_ok=True)
    manifest = folder / "region.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "[region]", '[region]\ndata_year = "soon"\ntest_data = "yes"', 1), encoding="utf-8")
    return folder


def test_a_broken_package(broken_package):
    check = check_package(broken_package, county="04")
    assert not check.ok
    assert_readable(check.problems)


def test_a_broken_manifest_and_population_spec(tmp_path):
    folder = tmp_path / "pkg"
    folder.mkdir()
    (folder / "region.toml").write_text(
        '[region]\ncounty = "1"\nname_sv = 3\n[[areas]]\nid = "any"\n[[areas]]\nid = "a b"\n'
        '[[core_classes]]\nid = "x"\nname_sv = "X"\nname_en = "X"\ncolour = "red"\n'
        '[population]\nkind = "grid"\nspread = 99\nsize = 1\n', encoding="utf-8")
    assert_readable(check_package(folder).problems)
    (folder / "region.toml").write_text("[region\n", encoding="utf-8")
    assert_readable(check_package(folder).problems)
    assert_readable(check_package(tmp_path / "nothing").problems)
    with pytest.raises(DataValidationError) as exc:
        PopulationSpec.from_mapping({"kind": "areas", "file": "/abs.gpkg", "format": "x"})
    assert_readable(exc.value.problems)


def test_refused_zips_and_files():
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w") as z:
        z.writestr("pkg/region.toml", "[region]\n")
        z.writestr("../evil.csv", "x")
        z.writestr("pkg/inner.zip", "x")
        z.writestr("pkg/run.exe", "x")
    cases = [[("p.zip", raw.getvalue())], [("x.zip", b"PK\x03\x04nonsense")], [],
             [("a.zip", raw.getvalue()), ("region.toml", b"")], [("municipalities.csv", b"")]]
    for files in cases:
        opened = open_bundle(files)
        assert not opened.accepted
        assert_readable(opened.check.problems)


def test_bad_population_grids(tmp_path, territory):
    (tmp_path / "scb.csv").write_text(
        "Ruta;Beftotalt\n6600006580000;10\n66000065800;5\n6600006581000;abc\n6600006582000;-3\n"
        "6600006580000;7\n6605106583000;4\n6602506584000;4\n", encoding="utf-8")
    spec = PopulationSpec.from_mapping({"kind": "grid", "file": "scb.csv", "format": "scb"})
    with pytest.raises(DataValidationError) as exc:
        read_grid(tmp_path / "scb.csv", spec)
    assert_readable(exc.value.problems)
    (tmp_path / "nopop.csv").write_text("Ruta;Antal\n6600006580000;1\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as exc:
        read_grid(tmp_path / "nopop.csv", spec)
    assert_readable(exc.value.problems)


# ---------------------------------------------------------------------------------------------
# the rendering itself


def test_a_problem_reads_in_both_languages_and_str_stays_english():
    p = keyed("envs.csv", 3, "lat", "not_a_number", "exp_latlon", value="'abc'")
    assert str(p) == ("envs.csv, row 3, field 'lat': not a number: 'abc' (expected WGS 84 "
                      "decimal degrees such as lat 59.3293, lon 18.0686; a decimal comma is fine)")
    sv = localized(p, "sv")
    assert sv.message == "inte ett tal: 'abc'" and sv.expected.startswith("WGS 84 i decimalgrader")
    assert (sv.source, sv.row, sv.field) == (p.source, p.row, p.field)
    assert hash(p) == hash(keyed("envs.csv", 3, "lat", "not_a_number", "exp_latlon",
                                 value="'abc'"))


def test_a_nested_phrase_is_rendered_in_the_same_language():
    p = keyed("f.csv", 2, "lat", "value_out_of_range_for", "exp_what_from_to", value="91",
              what=Phrase("latitude"), limit=90)
    assert p.message == "91 is out of range for a latitude"
    assert localized(p, "sv").message == "91 ligger utanför giltiga värden för en latitud"
    assert localized(p, "sv").expected == "en latitud från -90 till 90"


def test_a_problem_without_key_is_shown_as_it_is():
    plain = Problem("x.csv", None, None, "some error text")
    assert render(plain, "sv") == ("some error text", None)
    frame = localized_frame([plain], "sv")
    assert frame["message"].tolist() == ["some error text"]
    assert frame["severity"].tolist() == ["fel"]


def test_a_missing_key_or_value_is_an_error_not_an_empty_text():
    with pytest.raises(i18n.CatalogError):
        keyed("x.csv", None, None, "no_such_problem_key")
    with pytest.raises(KeyError):
        fill("not_a_number", (), "sv")


# where each function takes its catalog keys: (positional indexes, keyword names)
KEY_ARGS = {
    "keyed": ((3, 4), ()), "phrase": ((0,), ()), "rekeyed": ((), ("to_code", "to_expected")),
    "_refused": ((1,), ()), "_FileRefused": ((0, 1), ()), "_Refused": ((0, 1), ()),
    "InputRefused": ((0, 1), ()), "fail": ((1, 2), ()), "bad": ((1, 2), ()),
    "_problem": ((2, 3), ()), "_layer_problem": ((3, 4), ()),
}
KEY_SHAPE = re.compile(r"^(exp|effect|noun|severity|bundle)_[a-z0-9_]+$")


def test_every_problem_key_named_in_the_code_exists_in_both_catalogs():
    named: dict[str, str] = {}
    for path in (ROOT / "smartmap").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        keyed_here = "problemtext import" in source  # modules that build keyed problems
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and KEY_SHAPE.match(node.value):
                named.setdefault(node.value, path.name)
            if not keyed_here or not isinstance(node, ast.Call):
                continue
            func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
                node.func, "id", None)
            if func not in KEY_ARGS:
                continue
            positions, keywords = KEY_ARGS[func]
            values = [node.args[i] for i in positions if i < len(node.args)]
            values += [k.value for k in node.keywords if k.arg in keywords]
            for value in values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    named.setdefault(value.value, path.name)
    assert len(named) > 250  # the scan itself works
    missing = {key: where for key, where in named.items()
               if any((CONTEXT, key) not in i18n.messages(lang) for lang in i18n.LANGS)}
    assert not missing


# ---------------------------------------------------------------------------------------------
# the workshop's refusals: scenario files, share links, edits, parameters


def assert_error_readable(error: BaseException) -> None:
    """A refusal is a catalog text in both languages whose English is ``str(error)``."""
    said = getattr(error, "phrase", None)
    assert isinstance(said, Phrase), f"no message key: {error}"
    for key in _keys(said):
        for lang in i18n.LANGS:
            assert (CONTEXT, key) in i18n.messages(lang), (lang, key, str(error))
    assert error_text(error, "en") == str(error)
    assert error_text(error, "sv") != str(error) or said.key in ("sc_in_source",), str(error)


@pytest.mark.parametrize("path", sorted((DATA / "hostile" / "inputs").glob("scenario_*.json")),
                         ids=lambda p: p.name)
def test_every_hostile_scenario_file(path):
    with pytest.raises((ScenarioError, ParameterError)) as exc:
        loads(path.read_bytes(), source=path.name)
    assert_error_readable(exc.value)


@pytest.mark.parametrize("raw", [
    b"", b"\xff\xfe\x00", b"[1, 2]", b'{"format": "other"}', b'{"schema_version": 99}',
    b'{"schema_version": 0}', b'{"schema_version": 1}', b'{"schema_version": 1, "name": "x", '
    b'"parameters": {"radius_km": 0}}', b'{"schema_version": 1, "name": "x", "edits": '
    b'[{"kind": "teleport"}]}', b'{"schema_version": 1, "name": "x", "edits": [{"kind": '
    b'"move", "id": "a", "lat": "north", "lon": 18}]}', b'{"schema_version": 1, "name": "x", '
    b'"parameters": {"env_types": ["lab"]}}', b'{"name": "x", "schema_version": 1, "edits": 3}',
])
def test_bad_scenario_files(raw):
    with pytest.raises(ScenarioError) as exc:
        loads(raw, source="s.json")
    assert_error_readable(exc.value)


def test_bad_share_links():
    for token in ("", "!!!!", "x" * 10):
        with pytest.raises(ScenarioError) as exc:
            from_share_token(token)
        assert_error_readable(exc.value)


@pytest.mark.parametrize("edit", [
    MoveEnvironment("no-such-env", 59.3, 18.0),
    MoveEnvironment("{first}", 40.0, 10.0),
    AddEnvironment("Lab", "spaceport", 59.3, 18.0, governance_level="private", status="active"),
    AddEnvironment(" ", "testbed", 59.3, 18.0),
    AddEnvironment("Lab", "testbed", "north", 18.0),
    AddEnvironment("Lab", "testbed", 59.3, 18.0, kommun_kod="9999"),
    RetagEnvironment("{first}", priority_areas=("space",)),
], ids=["unknown_id", "outside", "bad_type", "no_name", "bad_lat", "bad_code", "bad_area"])
def test_refused_edits(edit, territory):
    first = str(territory.environments["id"].iloc[0])
    if getattr(edit, "id", None) == "{first}":
        edit = replace(edit, id=first)
    with pytest.raises(ScenarioError) as exc:
        apply(territory, Scenario("s", (edit,)))
    assert_error_readable(exc.value)
    assert "ändring 1" in error_text(exc.value, "sv")


@pytest.mark.parametrize("kwargs", [{"radius_km": 0}, {"include_planned": "yes"},
                                    {"env_types": ["lab"]}, {"env_types": []},
                                    {"core_classes": []}])
def test_bad_parameters(kwargs):
    with pytest.raises(ParameterError) as exc:
        MetricParams(**kwargs)
    assert_error_readable(exc.value)
