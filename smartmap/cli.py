"""The ``smartmap`` command line: the analysts' and the checks' contract (see docs/cli.md)."""

from __future__ import annotations

import sys
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


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except SmartmapError as exc:  # pragma: no cover - each command handles its own
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
