"""The ``smartmap`` command line: the analysts' and the checks' contract (see docs/cli.md)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from smartmap import __version__
from smartmap.core.errors import SmartmapError
from smartmap.core.limits import RADIUS_KM_MAX, RADIUS_KM_MIN

if TYPE_CHECKING:  # the commands import what they use when they run (a fast --help)
    import pandas as pd

    from smartmap.analysis.params import MetricParams
    from smartmap.analysis.scenario import Scenario
    from smartmap.core.region import Region
    from smartmap.data.layers import Territory

app = typer.Typer(
    name="smartmap",
    help="Territorial smart-specialisation mapping of a Swedish county (Cohes3ion).",
    add_completion=False,
    pretty_exceptions_enable=False,
)

County = Annotated[str | None, typer.Option(
    "--county", help="Two-digit county code (default: SMARTMAP_COUNTY, else the data package's own county).")]
DataDir = Annotated[
    Path | None, typer.Option("--data-dir", help="The region package folder (default: "
                                                 "SMARTMAP_DATA_DIR, else the shipped geodata/).")
]


RADIUS_RANGE = f"{RADIUS_KM_MIN:g} to {RADIUS_KM_MAX:g} km"
"""The radius range of core.limits, for the options' help; MetricParams refuses values outside it
(exit 1 with the message, like every other refused value)."""

RadiusKm = Annotated[
    float | None,
    typer.Option("--radius-km", help=f"Catchment radius R ({RADIUS_RANGE}; default 10, or the "
                                     "scenario's)."),
]

ScenarioOpt = Annotated[
    Path | None,
    typer.Option("--scenario", help="A scenario JSON file: its edits are applied and its "
                                    "parameters used (explicit options still win)."),
]


def _fail(exc: Exception | str) -> NoReturn:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(code=1)


def _read_scenario(path: Path) -> Scenario:
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


def _territory_and_params(
    county: str | None, data_dir: Path | None, scenario_path: Path | None, *,
    radius_km: float | None = None, include_planned: bool | None = None,
    env_types: list[str] | None = None, core_classes: list[str] | None = None,
) -> tuple[Territory, MetricParams, Scenario | None]:
    """The (scenario-applied) territory and the metric parameters for a command: the
    scenario's parameters (else the defaults) with the options that were given (not ``None``)."""
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
    if any(v is not None for v in (radius_km, include_planned, env_types, core_classes)):
        params = MetricParams(
            params.radius_km if radius_km is None else radius_km,
            params.include_planned if include_planned is None else include_planned,
            params.env_types if env_types is None else env_types,
            params.core_classes if core_classes is None else core_classes,
        )
    return territory, params, scenario


def _scenario_metadata(params: MetricParams, scenario: Scenario | None,
                       region: Region) -> dict[str, object]:
    from smartmap.analysis.scenario import to_dict

    meta: dict[str, object] = {"metric_parameters": params.describe(region)}
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
    from smartmap.core.settings import get_settings

    try:  # a malformed SMARTMAP_* variable is refused here, by name, never as a traceback
        get_settings()
    except ValueError as exc:
        _fail(exc)


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
    typer.echo(layer_summary(territory, include_info=all_problems))


@app.command()
def init(
    county: Annotated[str, typer.Option("--county", help="Two-digit county code, e.g. 03.")],
    out: Annotated[Path, typer.Option("--out", help="The package folder to write (new or empty).")],
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite the package files of a non-empty folder.")
    ] = False,
    test_data: Annotated[
        bool, typer.Option("--test-data", help="Mark the package as test data (test_data = true).")
    ] = False,
) -> None:
    """Write a region package to fill in for a county (see docs/region-packages.md).

    municipalities.csv with the county's codes and names, an empty template for every other
    layer, region.toml with commented examples, and a README.md (Swedish and English) that says
    what each column means. Then fill it in and check it with ``smartmap validate DIR``.
    """
    from smartmap.data.package import init_package

    try:
        made = init_package(county, out, force=force, test_data=test_data)
    except (SmartmapError, OSError) as exc:
        _fail(exc)
    typer.echo(f"Wrote a region package for {made.name} (county {made.county}) to {made.folder}:")
    for path in made.files:
        typer.echo(f"  {path.name}")
    typer.echo(f"Next: fill in region.toml and the CSV files (README.md says what each column "
               f"means), then check the package with: smartmap validate {made.folder}")


def _validate_package(path: Path, county: str | None, all_problems: bool) -> None:
    """``validate`` for a package folder or a zip of one: every problem, then the summary."""
    from smartmap.data.package import check_package

    if path.is_dir():
        check = check_package(path, county)
    else:
        from smartmap.data.bundle import open_bundle

        try:
            data = path.read_bytes()
        except OSError as exc:
            _fail(f"{path}: cannot read ({exc.strerror})")
        opened = open_bundle([(path.name, data)], county=county)
        check = opened.check
        opened.close()
    for problem in check.shown(include_info=all_problems):
        prefix = "" if problem.severity == "error" else f"{problem.severity}: "
        typer.echo(f"{prefix}{problem}")
    typer.echo(check.summary())
    hidden = check.count("info") if not all_problems else 0
    if hidden:
        typer.echo(f"({hidden} info-level findings about empty values hidden; use --all)")
    if not check.ok:
        typer.echo(f"error: {path.name} refused: {check.count('error')} error(s)", err=True)
        raise typer.Exit(code=1)


@app.command()
def validate(
    file: Annotated[
        Path, typer.Argument(help="A region package (a folder or a zip of one), or an "
                                  "environments file: CSV, GeoJSON or GeoPackage.")
    ],
    county: Annotated[str | None, typer.Option(
        "--county", help="A package: the county it must describe (only when given). A file: the "
                         "county it is checked against (default: SMARTMAP_COUNTY, else the data "
                         "package's own county).")] = None,
    data_dir: Annotated[Path | None, typer.Option(
        "--data-dir", help="A file: the region package it is checked against (default: "
                           "SMARTMAP_DATA_DIR, else the shipped geodata/). Not with a package: "
                           "a package is checked on its own.")] = None,
    all_problems: Annotated[
        bool, typer.Option("--all", help="A package: also list info-level findings.")
    ] = False,
) -> None:
    """Check a region package, or a user's environments file (see docs/data-io.md).

    A package folder (or a .zip of one): the manifest and every file, every problem on its own
    line (file, row, field), then a summary; exit 1 when it has an error. An environments file:
    checked against the schema and the county; exit 0 and print a summary (rows, how each row
    got its municipality, warnings), or exit 1 and print one line per problem.
    """
    from smartmap.core.errors import DataValidationError

    if file.is_dir() or file.suffix.lower() == ".zip":
        if data_dir is not None:
            _fail("--data-dir is for checking an environments file against a package; a package "
                  "is checked on its own")
        _validate_package(file, county, all_problems)
        return
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
        ExportFormat, typer.Option("--format", help="Which format to write.")
    ] = ExportFormat.ALL,
    excel: Annotated[
        bool,
        typer.Option("--excel", help="CSV for Swedish Excel: UTF-8 with BOM, ';', decimal comma."),
    ] = False,
    scenario: ScenarioOpt = None,
    radius_km: RadiusKm = None,
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

        territory, params, scen = _territory_and_params(county, data_dir, scenario,
                                                        radius_km=radius_km)
        table = municipality_metrics(territory, params)
        cells = territory_cells(territory, alignment(territory, params))
        result = export_territory(territory, out, fmt.value, excel=excel,
                                  municipality_table=table,
                                  extra_metadata=_scenario_metadata(params, scen, territory.region),
                                  extra_layers={"territory_cells": cells})
    except SmartmapError as exc:
        _fail(exc)
    typer.echo(f"Wrote {len(result.files)} files to {result.out_dir}:")
    for path in result.files:
        typer.echo(f"  {path.name}  ({path.stat().st_size:,} bytes)")
    layers = result.metadata["layers"]  # JSON-shaped: a list with a mapping per layer
    rows = ", ".join(f"{layer['name']} {layer['rows']}"
                     for layer in (layers if isinstance(layers, list) else []))
    typer.echo(f"Rows: {rows}")


def _split_terms(values: list[str] | None) -> list[str] | None:
    """Repeated options whose values may also be comma- or ';'-separated lists."""
    if not values:
        return None
    return [p.strip() for v in values for p in v.replace(";", ",").split(",") if p.strip()]


@app.command()
def metrics(
    out: Annotated[
        Path | None,
        typer.Option("--out", help="CSV file for the per-municipality table; without it, or "
                                   "with '-', the table goes to standard output (and the "
                                   "summary to standard error)."),
    ] = None,
    radius_km: RadiusKm = None,
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
                                            "catchments (repeat or comma-separate; default: the "
                                            "classes region.toml marks nearest)."),
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
    """Compute the smart-mapping metrics and write them as CSV (see docs/metrics.md).

    Without ``--out`` (or with ``--out -``) the CSV goes to standard output, so it can be piped;
    the summary then goes to standard error.
    """
    from smartmap.analysis.metrics import compute_metrics, csv_text, write_csv
    from smartmap.core.fmt import as_float, is_missing

    to_stdout = out is None or str(out) == "-"
    try:
        territory, params, _ = _territory_and_params(
            county, data_dir, scenario, radius_km=radius_km,
            include_planned=True if include_planned else None,
            env_types=_split_terms(types), core_classes=_split_terms(core_classes))
        result = compute_metrics(territory, params)
        written = [] if out is None or to_stdout else [write_csv(result.municipalities, out)]
        if tables is not None:
            written += [write_csv(frame, tables / f"{stem}.csv")
                        for stem, frame in result.tables().items()]
    except (SmartmapError, OSError) as exc:
        _fail(exc)
    for problem in result.problems:
        typer.echo(f"warning: {problem}", err=True)
    summary = [params.describe(territory.region), f"{len(result.municipalities)} municipalities, "
               f"{int(result.county['n_env'].iloc[-1])} counted environments"]
    for row in result.county.itertuples(index=False):
        cov = "NA" if is_missing(row.cov) else f"{100 * as_float(row.cov):.1f} %"
        dist = "NA" if is_missing(row.dist_km) else f"{as_float(row.dist_km):.1f} km"
        summary.append(f"  {str(row.area):<22} coverage {cov:>8}, mean distance {dist:>8}, "
                       f"white spots {row.n_white_spots}")
    summary += [f"wrote {path}" for path in written]
    for line in summary:  # beside a CSV on standard output, the summary goes to standard error
        typer.echo(line, err=to_stdout)
    if to_stdout:
        typer.echo(csv_text(result.municipalities), nl=False)


class ReportLang(StrEnum):
    """Values of ``smartmap report --lang``."""

    SV = "sv"
    EN = "en"


@app.command()
def report(
    out: Annotated[Path, typer.Option("--out", help="The HTML file to write.")],
    scenario: ScenarioOpt = None,
    lang: Annotated[
        ReportLang, typer.Option("--lang", help="Language of the report: sv (Swedish) or en.")
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
        territory, params, scen = _territory_and_params(county, data_dir, scenario)
        baseline = load_territory(county, data_dir) if scen is not None else None
        html = build_report(territory, params, lang.value, scenario=scen, baseline=baseline)
        path = write_report(html, out)
    except (SmartmapError, OSError) as exc:
        _fail(exc)
    typer.echo(f"{params.describe(territory.region)}")
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
    radius_km: RadiusKm = None,
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
    from smartmap.core.lists import split

    try:
        territory, params, _ = _territory_and_params(
            county, data_dir, scenario, radius_km=radius_km,
            include_planned=True if include_planned else None)
        table = alignment(territory, params)
        summary = county_summary(territory, table)
        written = []
        if out is not None:
            written.append(write_csv(table, out))
        if matrix is not None:
            written.append(write_csv(territorial_matrix(territory, params), matrix))
    except (SmartmapError, OSError) as exc:
        _fail(exc)
    said = statements(territory)
    typer.echo(params.describe(territory.region))
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
        anchor = ", ".join(split(row.anchoring)) or "none"
        typer.echo(f"  {str(row.area):<22} regional {'yes' if row.regional else 'no '}; anchored "
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
    top: Annotated[
        int | None,
        typer.Option("--top", min=1, help="Print only the N municipalities whose coverage changed "
                                          "most (default: every changed municipality)."),
    ] = None,
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
    typer.echo(f"Scenario: {scen.name} ({len(scen.edits)} edit(s)); "
               f"{scen.parameters.describe(result.after.region)}")
    changed = result.county[result.county["changed"]]
    typer.echo("County KPIs that changed:" if len(changed) else "No county KPI changed.")
    for row in changed.itertuples(index=False):
        typer.echo(f"  {row.area:<22} {row.metric:<14} {row.before:>12.4g} -> "
                   f"{row.after:<12.4g} ({row.delta:+.4g})")
    _print_changed_municipalities(result.changes(), top)
    for path in written:
        typer.echo(f"wrote {path}")


def _visible_delta(delta: float, kind: str) -> str:
    """A change as ``format_delta`` writes it, with more decimals while it would read ±0 (a
    change too small for the usual precision is still a change)."""
    from smartmap.core.fmt import decimals_for, format_delta

    text = format_delta(delta, kind, "en")
    decimals = decimals_for(kind)
    while text.startswith("±") and decimals < 6:
        decimals += 1
        text = format_delta(delta, kind, "en", decimals=decimals)
    return text


def _print_changed_municipalities(changes: pd.DataFrame, top: int | None) -> None:
    """Every changed municipality (``ScenarioDiff.changes``) with each of its changed metrics,
    largest coverage change first; ``top`` cuts the list and says how many are left out."""
    from smartmap.analysis import catalog
    from smartmap.core.fmt import as_float, format_value

    groups = {str(code): rows for code, rows in changes.groupby("kommun_kod", sort=True)}

    def order(code: str) -> tuple[float, int, str]:
        rows = groups[code]
        cov = rows[rows["metric"].str.startswith("cov_")]["delta"].abs().astype("float64")
        return (-float(cov.max()) if len(cov) and cov.notna().any() else 0.0, -len(rows), code)

    codes = sorted(groups, key=order)
    typer.echo(f"Municipalities with a changed metric: {len(codes)}")
    shown = codes if top is None else codes[:top]
    for code in shown:
        rows = groups[code]
        typer.echo(f"  {rows['kommun'].iloc[0]} ({code}): {len(rows)} changed "
                   f"metric{'s' if len(rows) != 1 else ''}")
        for row in rows.itertuples(index=False):
            kind = catalog.metric_kind(str(row.metric))
            change = ("" if kind in ("text", "bool")
                      else f" ({_visible_delta(as_float(row.delta), kind)})")
            typer.echo(f"    {str(row.metric):<33} {format_value(row.before, kind, 'en')} -> "
                       f"{format_value(row.after, kind, 'en')}{change}")
    if len(shown) < len(codes):
        typer.echo(f"  ... and {len(codes) - len(shown)} more (without --top, or --out, for all)")


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except SmartmapError as exc:  # pragma: no cover - each command handles its own
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
