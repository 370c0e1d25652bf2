from typer.testing import CliRunner

from smartmap.cli import app

runner = CliRunner()


def test_layers_lists_every_layer_with_rows_crs_and_problems():
    result = runner.invoke(app, ["layers"])
    assert result.exit_code == 0, result.output
    out = result.output
    for name, rows in [("municipalities", 26), ("environments", 90), ("urban_cores", 14),
                       ("settlements", 33), ("population_points", 79), ("actors", 67),
                       ("links", 74)]:
        line = next(ln for ln in out.splitlines() if ln.strip().startswith(name + " "))
        assert f" {rows} " in line, line
    assert "EPSG:3006" in out
    assert "almsta" in out and "no coordinates" in out


def test_layers_other_county():
    result = runner.invoke(app, ["layers", "--county", "03"])
    assert result.exit_code == 0
    assert "8 municipalities" in result.output


def test_layers_unknown_county_exits_1_without_traceback():
    result = runner.invoke(app, ["layers", "--county", "99"])
    assert result.exit_code == 1
    assert "unknown county code" in result.output
    assert "Traceback" not in result.output


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and "smartmap" in result.output
