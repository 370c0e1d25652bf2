"""The ``smartmap`` command line: the analysts' and the checks' contract (see docs/cli.md)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from smartmap import __version__
from smartmap.errors import SmartmapError

app = typer.Typer(
    name="smartmap",
    help="Territorial smart-specialisation mapping for Stockholm County (Cohes3ion).",
    add_completion=False,
    pretty_exceptions_enable=False,
)

County = Annotated[str, typer.Option("--county", help="Two-digit county code (01 = Stockholm).")]
DataDir = Annotated[
    Path | None, typer.Option("--data-dir", help="Folder with the geodata CSVs (default: geodata/).")
]


def _fail(exc: Exception) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(code=1)


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
    county: County = "01",
    data_dir: DataDir = None,
    all_problems: Annotated[
        bool, typer.Option("--all", help="Also list info-level findings (empty values).")
    ] = False,
) -> None:
    """Each layer with its row count, CRS and the problems found."""
    from smartmap.reports import layer_summary

    try:
        from smartmap.layers import load_territory

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
    county: County = "01",
    data_dir: DataDir = None,
) -> None:
    """Check a user's environments file against the schema and the county (see docs/data-io.md).

    Exit 0 and print a summary (rows, how each row got its municipality, warnings), or exit 1 and
    print one line per problem (file, row, field, what is wrong, what was expected) on stdout.
    """
    from smartmap.errors import DataValidationError

    try:
        from smartmap.io import read_environments
        from smartmap.layers import load_territory

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
    county: County = "01",
    data_dir: DataDir = None,
) -> None:
    """Export every layer: GeoJSON (RFC 7946), one GeoPackage (EPSG:3006), CSV, metadata.json."""
    try:
        from smartmap.export import export_territory
        from smartmap.layers import load_territory

        territory = load_territory(county, data_dir)
        result = export_territory(territory, out, fmt.value, excel=excel)
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
    county: County = "01",
    data_dir: DataDir = None,
) -> None:
    """Compute the smart-mapping metrics and write them as CSV (see docs/metrics.md)."""
    from smartmap.layers import load_territory
    from smartmap.metrics import MetricParams, compute_metrics, write_csv
    from smartmap.settings import get_settings

    try:
        kwargs: dict[str, object] = {
            "radius_km": get_settings().radius_km if radius_km is None else radius_km,
            "include_planned": include_planned,
            "env_types": _split_terms(types),
        }
        if (classes := _split_terms(core_classes)) is not None:
            kwargs["core_classes"] = classes
        params = MetricParams(**kwargs)  # type: ignore[arg-type]
        territory = load_territory(county, data_dir)
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


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except SmartmapError as exc:  # pragma: no cover - each command handles its own
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
