import csv
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from smartmap.cli import app
from smartmap.data.layers import load_territory

runner = CliRunner()


def test_layers_lists_every_layer_with_rows_crs_and_problems():
    result = runner.invoke(app, ["layers"])
    assert result.exit_code == 0, result.output
    out = result.output
    for name, rows in [("municipalities", 26), ("environments", 90), ("urban_cores", 14),
                       ("settlements", 33), ("population_points", 79), ("actors", 67),
                       ("links", 79), ("collaborations", 8), ("priorities", 45)]:
        line = next(ln for ln in out.splitlines() if ln.strip().startswith(name + " "))
        assert f" {rows} " in line, line
    assert "EPSG:3006" in out
    assert "almsta" in out and "no coordinates" in out


def test_layers_other_county():
    result = runner.invoke(app, ["layers", "--county", "03"])
    assert result.exit_code == 0
    assert "8 municipalities" in result.output


def test_every_command_honours_smartmap_county(monkeypatch, tmp_path):
    """SMARTMAP_COUNTY is read once, in the settings, and every command's default follows it."""
    monkeypatch.setenv("SMARTMAP_COUNTY", "12")
    result = runner.invoke(app, ["layers"])
    assert result.exit_code == 0, result.output
    assert "33 municipalities" in result.output
    out = tmp_path / "m.csv"
    result = runner.invoke(app, ["metrics", "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, dtype=str)
    assert len(table) == 33 and table["kommun_kod"].str.startswith("12").all()


def test_layers_unknown_county_exits_1_without_traceback():
    result = runner.invoke(app, ["layers", "--county", "99"])
    assert result.exit_code == 1
    assert "unknown county code" in result.output
    assert "Traceback" not in result.output


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and "smartmap" in result.output


SCENARIOS = Path(__file__).resolve().parents[1] / "geodata" / "scenarios"
IO_DATA = Path(__file__).resolve().parent / "data" / "io"


def test_metrics_without_out_prints_the_csv_to_stdout(tmp_path, monkeypatch):
    """No --out, or --out -, prints the same CSV --out writes; the summary goes to stderr."""
    import io

    from smartmap.analysis.metrics import read_metrics_csv

    monkeypatch.chdir(tmp_path)
    filed = runner.invoke(app, ["metrics", "--out", "m.csv", "--radius-km", "12"])
    assert filed.exit_code == 0, filed.output
    assert "wrote m.csv" in filed.stdout  # unchanged with a file: the summary on stdout
    assert all(line.startswith("warning: ") for line in filed.stderr.splitlines())  # only skips
    for args in (["metrics"], ["metrics", "--out", "-"]):
        result = runner.invoke(app, [*args, "--radius-km", "12"])
        assert result.exit_code == 0, result.output
        assert result.stdout == Path("m.csv").read_text(encoding="utf-8")
        assert result.stdout.startswith("kommun_kod,kommun,")
        region = load_territory().region
        pd.testing.assert_frame_equal(read_metrics_csv(io.StringIO(result.stdout), region),
                                      read_metrics_csv("m.csv", region))
        assert "R = 12 km" in result.stderr and "26 municipalities" in result.stderr
        assert "wrote" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.csv"]  # no file named "-"


def test_metrics_to_stdout_still_writes_tables(tmp_path):
    result = runner.invoke(app, ["metrics", "--tables", str(tmp_path / "t")])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("kommun_kod,") and len(result.stdout.splitlines()) == 27
    assert (tmp_path / "t" / "county.csv").exists()
    assert f"wrote {tmp_path / 't' / 'county.csv'}" in result.stderr


def test_metrics_with_scenario_equals_library(tmp_path, territory):
    from smartmap.analysis import scenario as S
    from smartmap.analysis.metrics import municipality_metrics, read_metrics_csv

    path = SCENARIOS / "norrtalje_testbed.json"
    out = tmp_path / "m.csv"
    result = runner.invoke(app, ["metrics", "--scenario", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    scen = S.loads(path.read_bytes())
    expected = municipality_metrics(S.apply(territory, scen), scen.parameters)
    got = read_metrics_csv(out, territory.region)
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)
    assert got.set_index("kommun_kod").loc["0188", "n_env_testbed"] == 1


def test_export_joins_metrics_and_records_scenario(tmp_path):
    import json

    path = SCENARIOS / "close_sodertalje_science_park.json"
    result = runner.invoke(app, ["export", "--out", str(tmp_path), "--format", "csv",
                                 "--scenario", str(path)])
    assert result.exit_code == 0, result.output
    mun = pd.read_csv(tmp_path / "municipalities.csv", dtype={"kommun_kod": str})
    assert {"cov_any", "lq_ict", "levels_all"} <= set(mun.columns) and len(mun) == 26
    meta = json.loads((tmp_path / "metadata.json").read_text())
    assert meta["scenario"]["name"].startswith("Södertälje Science Park")
    env = pd.read_csv(tmp_path / "environments.csv")
    assert env.set_index("id").loc["sodertalje-science-park", "status"] == "closed"


def test_scenario_diff_writes_deltas(tmp_path):
    out = tmp_path / "diff.csv"
    result = runner.invoke(app, ["scenario", "diff", str(SCENARIOS / "norrtalje_testbed.json"),
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Norrtälje" in result.output
    table = pd.read_csv(out, dtype={"kommun_kod": str})
    row = table[(table["kommun_kod"] == "0188") & (table["metric"] == "n_env_testbed")].iloc[0]
    assert row["delta"] == 1


def _listed(output: str) -> list[str]:
    """The municipality codes of ``scenario diff``'s list: lines '  Name (code): N changed ...'."""
    import re

    return re.findall(r"^  \S.* \((\d{4})\): \d+ changed metrics?$", output, re.MULTILINE)


@pytest.mark.parametrize("name", ["norrtalje_testbed.json", "close_sodertalje_science_park.json"])
def test_scenario_diff_count_equals_list(tmp_path, name):
    """The count of changed municipalities and the list agree, and with the --out table."""
    import re

    out = tmp_path / "diff.csv"
    result = runner.invoke(app, ["scenario", "diff", str(SCENARIOS / name), "--out", str(out)])
    assert result.exit_code == 0, result.output
    count = int(re.search(r"Municipalities with a changed metric: (\d+)", result.output)[1])
    listed = _listed(result.output)
    table = pd.read_csv(out, dtype={"kommun_kod": str})
    changed = table[table["changed"]]
    assert count == len(listed) == len(set(listed)) > 2
    assert set(listed) == set(changed["kommun_kod"])
    for code, rows in changed.groupby("kommun_kod"):  # every changed metric is printed
        block = re.split(r"\n(?=  \S)", result.output.split(f"({code}): ", 1)[1], maxsplit=1)[0]
        assert block.startswith(f"{len(rows)} changed metric")
        assert all(f"    {metric} " in block for metric in rows["metric"]), block
    top = runner.invoke(app, ["scenario", "diff", str(SCENARIOS / name), "--top", "2"])
    assert _listed(top.output) == listed[:2]
    assert f"... and {count - 2} more" in top.output


def test_bad_scenario_exits_1_naming_file_and_edit(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 1, "name": "x", "edits": [{"kind": "close", "id": "nope"}]}')
    result = runner.invoke(app, ["metrics", "--scenario", str(bad), "--out", str(tmp_path / "m.csv")])
    assert result.exit_code == 1
    assert "bad.json: edit 1 (close 'nope')" in result.output
    assert "Traceback" not in result.output
    truncated = tmp_path / "t.json"
    truncated.write_text('{"schema_version": 1, "name": "x", "edits": [')
    result = runner.invoke(app, ["scenario", "diff", str(truncated)])
    assert result.exit_code == 1 and "truncated JSON" in result.output


def test_priorities_prints_the_alignment_and_writes_csv(tmp_path):
    out, matrix = tmp_path / "alignment.csv", tmp_path / "matrix.csv"
    result = runner.invoke(app, ["priorities", "--out", str(out), "--matrix", str(matrix)])
    assert result.exit_code == 0, result.output
    assert "45 priority statements, 37 counted" in result.stdout
    assert "sodertorn" in result.stdout and "stated_unsupported" in result.stdout
    assert "County summary" in result.stdout and "life_science" in result.stdout
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(table) == 47 * 4 and {"status", "stated_by", "lq_employment"} <= set(table.columns)
    grid = pd.read_csv(matrix, dtype=str, keep_default_na=False)
    assert len(grid) == 6 * 4 and list(grid["level"].unique())[:2] == ["eu", "national"]
    bare = runner.invoke(app, ["priorities"])
    assert bare.exit_code == 0 and "wrote" not in bare.stdout


def test_priorities_names_the_core_classes_it_used(territory):
    """The parameters line names the region's classes, as every other command's does."""
    from smartmap.analysis.params import MetricParams

    result = runner.invoke(app, ["priorities", "--radius-km", "12"])
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first == MetricParams(radius_km=12).describe(territory.region)
    assert first.endswith("core classes: central_core, outer_core")


@pytest.mark.parametrize(("variable", "value"), [("SMARTMAP_BASEMAP", "satellite"),
                                                 ("SMARTMAP_PUBLIC_URL", "smartmap.example.se")])
def test_a_malformed_setting_exits_1_naming_it_without_traceback(monkeypatch, variable, value):
    """Every command reads the settings; a bad SMARTMAP_* variable is named, not a traceback."""
    monkeypatch.setenv(variable, value)
    for args in (["layers"], ["scenario", "diff", str(SCENARIOS / "norrtalje_testbed.json")]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith(f"error: {variable}='{value}'"), result.stderr
        assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert runner.invoke(app, ["--version"]).exit_code == 0


def test_validate_package_checks_the_county_only_when_given(monkeypatch, tmp_path):
    """A package is checked against --county, never against SMARTMAP_COUNTY (a setting for the
    app and the other commands); a file is checked against the settings' county."""
    package = tmp_path / "uppsala"
    assert runner.invoke(app, ["init", "--county", "03", "--out", str(package)]).exit_code == 0
    monkeypatch.setenv("SMARTMAP_COUNTY", "01")
    result = runner.invoke(app, ["validate", str(package)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["validate", str(package), "--county", "01"])
    assert result.exit_code == 1 and "describes county 03, not county 01" in result.stdout
    result = runner.invoke(app, ["validate", str(package), "--data-dir", str(package)])
    assert result.exit_code == 1 and "a package is checked on its own" in result.stderr
    envs = Path(__file__).parent / "data" / "io" / "envs_utf8.csv"
    assert runner.invoke(app, ["validate", str(envs)]).exit_code == 0
    monkeypatch.setenv("SMARTMAP_COUNTY", "03")
    result = runner.invoke(app, ["validate", str(envs)])
    assert result.exit_code == 1 and "is not a municipality of Uppsala län" in result.stdout


def test_a_file_checked_against_a_county_without_areas_says_what_fits(tmp_path):
    """A county without a package has no priority areas: a file naming one is told that the
    field must be empty there, not "a list of: " with nothing after it."""
    src = (IO_DATA / "envs_utf8.csv").read_text(encoding="utf-8").splitlines()
    header = src[0].split(",")
    assert "priority_areas" in header
    path = tmp_path / "uppsala_envs.csv"
    row = dict(zip(header, next(csv.reader([src[1]])), strict=True))
    row.update(kommun_kod="0380", kommun="Uppsala", lat="59.858", lon="17.639")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerow(row)
    result = runner.invoke(app, ["validate", str(path), "--county", "03"])
    assert result.exit_code == 1, result.output
    said = [ln for ln in result.output.splitlines() if "priority_areas" in ln]
    assert said and all("region.toml" in ln and "list of: )" not in ln for ln in said), said
