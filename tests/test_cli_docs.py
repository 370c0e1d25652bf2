"""The command line's own documentation: every ``--help`` text states what the code does."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer.main
from typer.core import TyperOption

from smartmap.cli import RADIUS_RANGE, app


def walk(command: Any = None, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command and sub-command of the app (typer's click commands; typer 0.29 carries its
    own click, so groups are recognised by their ``commands``), with its path of names
    (``("scenario", "diff")``); the root itself is the empty path."""
    command = command or typer.main.get_command(app)
    yield path, command
    for name, sub in (getattr(command, "commands", None) or {}).items():
        yield from walk(sub, (*path, name))


def options(command: Any) -> list[TyperOption]:
    """The command's options (its arguments left out)."""
    return [p for p in command.params if isinstance(p, TyperOption)]


def test_walk_sees_every_command():
    paths = {" ".join(path) for path, _ in walk()}
    assert {"layers", "init", "validate", "export", "metrics", "report", "priorities",
            "scenario", "scenario diff"} <= paths


def test_shared_options_state_their_environment_defaults():
    """--county and --data-dir default to SMARTMAP_COUNTY / SMARTMAP_DATA_DIR (core.settings),
    and every --radius-km states the range MetricParams accepts."""
    seen = set()
    for path, command in walk():
        for option in options(command):
            name = option.opts[0]
            expected = {"--county": "SMARTMAP_COUNTY", "--data-dir": "SMARTMAP_DATA_DIR",
                        "--radius-km": RADIUS_RANGE}.get(name)
            if expected is None or (name == "--county" and path == ("init",)):
                continue  # init's --county is required: the county to write a package for
            seen.add(name)
            assert expected in (option.help or ""), (path, name, option.help)
    assert seen == {"--county", "--data-dir", "--radius-km"}


def test_help_texts_name_no_region_s_own_terms(territory):
    """Areas and core classes are data (region.toml): a help text naming the shipped region's
    ids would be wrong for every other package."""
    region = territory.region
    own = set(region.area_ids) | set(region.core_classes.ids)
    for path, command in walk():
        texts = [command.help or ""] + [p.help or "" for p in options(command)]
        for text in texts:
            assert not [term for term in own if term in text], (path, text)
