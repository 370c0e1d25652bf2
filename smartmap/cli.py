"""The ``smartmap`` command line: the analysts' and the checks' contract (see docs/cli.md)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from smartmap import __version__
from smartmap.core.errors import SmartmapError

app = typer.Typer(
    name="smartmap",
    help="Territorial smart-specialisation mapping of a Swedish county (Cohes3ion).",
    add_completion=False,
    pretty_exceptions_enable=False,
)

County = Annotated[str | None, typer.Option(
    "--county", help="Two-digit county code (default: SMARTMAP_COUNTY, else the data package's own county).")]
DataDir = Annotated[
    Path | None, typer.Option("--data-dir", help="Folder with the geodata CSVs (default: geodata/).")
]


ScenarioOpt = Annotated[
    Path | None,
    typer.Option("--scenario", help="A scenario JSON file: its edits are applied and its "
                                    "parameters used (explicit options still win)."),
]


def _fail(exc: Exception) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(code=1)


def _read_scenario(path: Path):  # -> Scenario
    """Load a scenario file, refusing oversized, corrupt or invalid ones with a clear message."""
    from smartmap.analysis.scenario import ScenarioError, loads
    from smartmap.core.settings import get_settings

    limit = get_settings().max_scenario_bytes
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read the scenario file ({exc.strerror})") from None
    if size > limit:
        raise ScenarioError(f"{path.name}: {size / 1e6:.1f} MB is larger than the "
                            f"{limit / 1e6:g} MB a scenario file may have")
    return loads(path.read_bytes(), source=path.name)


def _territory_and_params(county: str | None, data_dir: Path | None, scenario_path: Path | None,
                          overrides: dict[str, object]):
    """The (scenario-applied) territory and the metric parameters for a command."""
    from dataclasses import replace

    from smartmap.analysis.params import MetricParams
    from smartmap.analysis.scenario import ScenarioError, apply
    from smartmap.data.layers import load_territory

    territory = load_territory(county, data_dir)
    scenario = None
    params = MetricParams()
    if scenario_path is not None:
        scenario = _read_scenario(scenario_path)
        try:
            territory = apply(territory, scenario)
        except ScenarioError as exc:
            raise ScenarioError(f"{scenario_path.name}: {exc}", exc.edit_index) from None
        params = scenario.parameters
    given = {k: v for k, v in overrides.items() if v is not None}
    if given:
        params = replace(params, **given)
    return territory, params, scenario


def _scenario_metadata(params, scenario) -> dict[str, object]:
    from smartmap.analysis.scenario import to_dict

    meta: dict[str, object] = {"metric_parameters": params.describe()}
    if scenario is not None:
        meta["scenario"] = to_dict(scenario)
    return meta


@app.callback(invoke_without_command=True)
def _main(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        typer.echo(f"smartmap {__version__}")
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit()


@app.command()
def layers(
    county: County = None,
    data_dir: DataDir = None,
    all_problems: Annotated[
        bool, typer.Option("--all", help="Also list info-level findings (empty values).")
    ] = False,
) -> None:
    """Each layer with its row count, CRS and the problems found."""
    from smartmap.data.summary import layer_summary

    try:
        from smartmap.data.layers import load_territory

        territory = load_territory(county, data_dir)
    except SmartmapError as exc:
        _fail(exc)
        return
    typer.echo(layer_summary(territory, include_info=all_problems))


@app.command()
def validate(
    file: Annotated[
        Path, typer.Argument(help="An environments file: CSV, GeoJSON or GeoPackage.")
    ],
    county: County = None,
    data_dir: DataDir = None,
) -> None:
    """Check a user's environments file against the schema and the county (see docs/data-io.md).

    Exit 0 and print a summary (rows, how each row got its municipality, warnings), or exit 1 and
    print one line per problem (file, row, field, what is wrong, what was expected) on stdout.
    """
    from smartmap.core.errors import DataValidationError

    try:
        from smartmap.data.layers import load_territory
        from smartmap.data.userfiles import read_environments

        territory = load_territory(county, data_dir)
        result = read_environments(file, territory)
    except DataValidationError as exc:
        for problem in exc.problems:
            typer.echo(str(problem))
        typer.echo(f"error: {file.name} refused: {len(exc.problems)} problem(s)", err=True)
        raise typer.Exit(code=1) from None
    except SmartmapError as exc:
        _fail(exc)
        return
    typer.echo(result.summary())


class ExportFormat(StrEnum):
    """Values of ``smartmap export --format`` (``all`` = every format)."""

    GEOJSON = "geojson"
    GPKG = "gpkg"
    CSV = "csv"
    ALL = "all"


@app.command()
def export(
    out: Annotated[Path, typer.Option("--out", help="Folder to write into (created if missing).")],
    fmt: Annotated[
        ExportFormat, typer.Option("--format", help="Which format to write (default: all).")
    ] = ExportFormat.ALL,
    excel: Annotated[
        bool,
        typer.Option("--excel", help="CSV for Swedish Excel: UTF-8 with BOM, ';', decimal comma."),
    ] = False,
    scenario: ScenarioOpt = None,
    radius_km: Annotated[
        float | None, typer.Option("--radius-km", help="Radius R in km for the joined metrics.")
    ] = None,
    county: County = None,
    data_dir: DataDir = None,
) -> None:
    """Export every layer: GeoJSON (RFC 7946), one GeoPackage (EPSG:3006), CSV, metadata.json.

    The municipalities layer carries the per-municipality metrics (docs/metrics.md), and the
    ``territory_cells`` layer holds every territory (region, sub-regional collaborations,
    municipalities, urban cores) with its alignment cells per area (docs/alignment.md); with
    ``--scenario`` every layer and metric is the scenario's.
    """
    try:
        from smartmap.analysis.alignment import alignment, territory_cells
        from smartmap.analysis.metrics import municipality_metrics
        from smartmap.data.export import export_territory

        territory, params, scen = _territory_and_params(
            county, data_dir, scenario, {"radius_km": radius_km})
        table = municipality_metrics(territory, params)
        cells = territory_cells(territory, alignment(territory, params))
        result = export_territory(territory, out, fmt.value, excel=excel,
                                  municipality_table=table,
                                  extra_metadata=_scenario_metadata(params, scen),
                                  extra_layers={"territory_cells": cells})
    except SmartmapError as exc:
        _fail(exc)
        return
    typer.echo(f"Wrote {len(result.files)} files to {result.out_dir}:")
    for path in result.files:
        typer.echo(f"  {path.name}  ({path.stat().st_size:,} bytes)")
    rows = ", ".join(f"{layer['name']} {layer['rows']}" for layer in result.metadata["layers"])
    typer.echo(f"Rows: {rows}")


def _split_terms(values: list[str] | None) -> list[str] | None:
    """Repeated options whose values may also be comma- or ';'-separated lists."""
    if not values:
        return None
    return [p.strip() for v in values for p in v.replace(";", ",").split(",") if p.strip()]


@app.command()
def metrics(
    out: Annotated[Path, typer.Option("--out", help="CSV file for the per-municipality table.")],
    radius_km: Annotated[
        float | None, typer.Option("--radius-km", help="Catchment radius R in km (default 10).")
    ] = None,
    include_planned: Annotated[
        bool, typer.Option("--include-planned", help="Also count planned environments.")
    ] = False,
    types: Annotated[
        list[str] | None,
        typer.Option("--types", help="Counted environment types (repeat or comma-separate; "
                                      "default: all)."),
    ] = None,
    core_classes: Annotated[
        list[str] | None,
        typer.Option("--core-classes", help="Candidate urban-core classes for nearest_core and "
                                            "catchments (default: central_core,outer_core)."),
    ] = None,
    tables: Annotated[
        Path | None,
        typer.Option("--tables", help="Folder for the further tables (county, radius_curve, "
                                      "services, service_levels, cores, priorities, population)."),
    ] = None,
    scenario: ScenarioOpt = None,
    county: County = None,
    data_dir: DataDir = None,
) -> None:
    """Compute the smart-mapping metrics and write them as CSV (see docs/metrics.md)."""
    from smartmap.analysis.metrics import compute_metrics, write_csv

    try:
        overrides: dict[str, object] = {
            "radius_km": radius_km,
            "include_planned": True if include_planned else None,
            "env_types": _split_terms(types),
            "core_classes": _split_terms(core_classes),
        }
        territory, params, _ = _territory_and_params(county, data_dir, scenario, overrides)
        result = compute_metrics(territory, params)
        written = [write_csv(result.municipalities, out)]
        if tables is not None:
            written += [write_csv(frame, tables / f"{stem}.csv")
                        for stem, frame in result.tables().items()]
    except (SmartmapError, OSError) as exc:
        _fail(exc)
        return
    for problem in result.problems:
        typer.echo(f"warning: {problem}", err=True)
    typer.echo(f"{params.describe()}")
    typer.echo(f"{len(result.municipalities)} municipalities, "
               f"{int(result.county['n_env'].iloc[-1])} counted environments")
    for row in result.county.itertuples(index=False):
        cov = "NA" if row.cov != row.cov else f"{100 * row.cov:.1f} %"
        dist = "NA" if row.dist_km != row.dist_km else f"{row.dist_km:.1f} km"
        typer.echo(f"  {row.area:<22} coverage {cov:>8}, mean distance {dist:>8}, "
                   f"white spots {row.n_white_spots}")
    for path in written:
        typer.echo(f"wrote {path}")


class ReportLang(StrEnum):
    """Values of ``smartmap report --lang``."""

    SV = "sv"
    EN = "en"


@app.command()
def report(
    out: Annotated[Path, typer.Option("--out", help="The HTML file to write.")],
    scenario: ScenarioOpt = None,
    lang: Annotated[
        ReportLang, typer.Option("--lang", help="Language of the report (default Swedish).")
    ] = ReportLang.SV,
    county: County = None,
    data_dir: DataDir = None,
) -> None:
    """Write the action-plan report: one self-contained HTML file (see docs/governance.md).

    County KPIs and the radius curve, each priority area, services, urban cores, the
    municipalities, the governance matrix, chains and gaps, sources and caveats; with
    ``--scenario`` the numbers are the scenario's and a section shows its deltas. The numbers
    equal ``smartmap metrics`` with the same options.
    """
    from smartmap.data.layers import load_territory
    from smartmap.render.report import build_report, write_report

    try:
        territory, params, scen = _territory_and_params(county, data_dir, scenario, {})
        baseline = load_territory(county, data_dir) if scen is not None else None
        html = build_report(territory, params, lang.value, scenario=scen, baseline=baseline)
        path = write_report(html, out)
    except (SmartmapError, OSError) as exc:
        _fail(exc)
        return
    typer.echo(f"{params.describe()}")
    if scen is not None:
        typer.echo(f"Scenario: {scen.name} ({len(scen.edits)} edit(s))")
    typer.echo(f"wrote {path} ({path.stat().st_size:,} bytes, {lang.value})")


@app.command()
def priorities(
    out: Annotated[
        Path | None, typer.Option("--out", help="CSV file for the whole alignment table.")
    ] = None,
    matrix: Annotated[
        Path | None, typer.Option("--matrix", help="CSV file for the smart territorial map "
                                                   "matrix (levels x areas).")
    ] = None,
    radius_km: Annotated[
        float | None, typer.Option("--radius-km", help="Catchment radius R in km (default 10).")
    ] = None,
    include_planned: Annotated[
        bool, typer.Option("--include-planned", help="Also count planned environments.")
    ] = False,
    scenario: ScenarioOpt = None,
    county: County = None,
    data_dir: DataDir = None,
) -> None:
    """Smart priorities across territorial levels: the alignment of stated priorities and
    support per territory and area, and the county summary (see docs/alignment.md)."""
    from smartmap.analysis.alignment import (
        alignment,
        county_summary,
        statements,
        territorial_matrix,
    )
    from smartmap.analysis.metrics import write_csv

    try:
        overrides: dict[str, object] = {"radius_km": radius_km,
                                        "include_planned": True if include_planned else None}
        territory, params, _ = _territory_and_params(county, data_dir, scenario, overrides)
        table = alignment(territory, params)
        summary = county_summary(territory, table)
        written = []
        if out is not None:
            written.append(write_csv(table, out))
        if matrix is not None:
            written.append(write_csv(territorial_matrix(territory, params), matrix))
    except (SmartmapError, OSError) as exc:
        _fail(exc)
        return
    said = statements(territory)
    typer.echo(params.describe())
    typer.echo(f"{len(said)} priority statements, {int(said['counts'].sum())} counted "
               "(adopted or the territory's own signal); "
               f"{table['territory_id'].nunique()} territories x "
               f"{len(territory.region.area_ids)} areas")
    shown = table[["level", "territory_id", "name", "area", "stated", "strength", "n_env",
                   "cov", "supported", "duplicated", "status"]].copy()
    shown["name"] = shown["name"].str.slice(0, 32)
    shown["cov"] = shown["cov"].map(lambda v: "" if v != v else f"{100 * v:.0f} %")
    typer.echo(shown.to_string(index=False))
    typer.echo("")
    typer.echo("County summary (regional areas and their local anchoring):")
    for row in summary.itertuples(index=False):
        anchor = row.anchoring.replace(";", ", ") or "none"
        typer.echo(f"  {row.area:<22} regional {'yes' if row.regional else 'no '}; anchored "
                   f"by {row.n_anchoring} municipalities ({anchor}); stated by "
                   f"{row.n_subregional} collaborations; supported in {row.n_supported}"
                   + ("; NO LOCAL ANCHORING" if row.unanchored else ""))
    for path in written:
        typer.echo(f"wrote {path}")


scenario_app = typer.Typer(help="Scenarios: what-if edits of the baseline (docs/scenarios.md).",
                            no_args_is_help=True)
app.add_typer(scenario_app, name="scenario")


@scenario_app.command("diff")
def scenario_diff(
    file: Annotated[Path, typer.Argument(help="A scenario JSON file.")],
    out: Annotated[
        Path | None, typer.Option("--out", help="CSV with every metric's before/after/delta.")
    ] = None,
    county_out: Annotated[
        Path | None, typer.Option("--county-out", help="CSV with the county KPIs' deltas.")
    ] = None,
    top: Annotated[int, typer.Option("--top", help="Changed municipalities to print.")] = 10,
    county: County = None,
    data_dir: DataDir = None,
) -> None:
    """Compare a scenario with the baseline: per-municipality and county deltas of every metric."""
    from smartmap.analysis.metrics import write_csv
    from smartmap.analysis.scenario import ScenarioError, diff
    from smartmap.data.layers import load_territory

    try:
        scen = _read_scenario(file)
        try:
            result = diff(load_territory(county, data_dir), scen)
        except ScenarioError as exc:
            raise ScenarioError(f"{file.name}: {exc}", exc.edit_index) from None
        written = []
        if out is not None:
            written.append(write_csv(result.municipalities, out))
        if county_out is not None:
            written.append(write_csv(result.county, county_out))
    except (SmartmapError, OSError) as exc:
        _fail(exc)
        return
    typer.echo(f"Scenario: {scen.name} ({len(scen.edits)} edit(s)); "
               f"{scen.parameters.describe()}")
    changed = result.county[result.county["changed"]]
    typer.echo("County KPIs that changed:" if len(changed) else "No county KPI changed.")
    for row in changed.itertuples(index=False):
        typer.echo(f"  {row.area:<22} {row.metric:<14} {row.before:>12.4g} -> "
                   f"{row.after:<12.4g} ({row.delta:+.4g})")
    codes = result.changed_municipalities
    typer.echo(f"Municipalities with a changed metric: {len(codes)}")
    for area in ("any", "life_science", "ict", "industrial_transition", "climate_urban"):
        moved = result.most_changed(f"cov_{area}", top)
        for row in moved.itertuples(index=False):
            typer.echo(f"  cov_{area:<22} {row.kommun:<16} {100 * float(row.before):6.1f} % -> "
                       f"{100 * float(row.after):6.1f} %")
    for path in written:
        typer.echo(f"wrote {path}")


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except SmartmapError as exc:  # pragma: no cover - each command handles its own
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
