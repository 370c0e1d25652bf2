"""The command line's own documentation: every ``--help`` text states what the code does."""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Any

import typer.main
from typer.core import TyperArgument, TyperOption

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


# --- docs/cli.md: the command-line contract, checked against the typer app --------------------

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "cli.md"
HEADING = re.compile(r"^(#+) (.*)$")
COMMAND_SPAN = re.compile(r"`smartmap((?: [a-z][a-z-]*)*)((?: [A-Z][A-Z_.]*)*)`")


def sections(text: str) -> dict[str, tuple[list[str], str]]:
    """The headings that name a command (a code span ```smartmap PATH ARGS```, e.g.
    ```smartmap scenario diff FILE```), by path (``"scenario diff"``; the root is ``""``): the
    heading's argument names and the section's text, up to the next heading of the same or a
    higher level."""
    lines = text.splitlines()
    found: dict[str, tuple[list[str], str]] = {}
    for i, line in enumerate(lines):
        heading = HEADING.match(line)
        span = COMMAND_SPAN.search(heading[2]) if heading else None
        if not span:
            continue
        level = len(heading[1])
        end = next((j for j in range(i + 1, len(lines))
                    if (h := HEADING.match(lines[j])) and len(h[1]) <= level), len(lines))
        path = span[1].strip()
        assert path not in found, f"docs/cli.md: two headings for `smartmap {path}`"
        found[path] = (span[2].split(), "\n".join(lines[i:end]))
    return found


def mentions(section: str, option: str) -> bool:
    """``--out`` written as code (```--out``` or ```--out FILE```), not as part of ``--out-x``."""
    return re.search(rf"`{re.escape(option)}(?![\w-])", section) is not None


def long_names(option: TyperOption) -> list[str]:
    return [name for name in (*option.opts, *option.secondary_opts) if name.startswith("--")]


def documented() -> dict[str, tuple[list[str], str]]:
    return sections(DOC.read_text(encoding="utf-8"))


def section_of(headings: dict[str, tuple[list[str], str]],
               path: tuple[str, ...]) -> tuple[list[str], str]:
    """The heading's arguments and the section of a command, or a failure naming it."""
    name = " ".join(path)
    assert name in headings, f"docs/cli.md has no heading `smartmap {name}`"
    return headings[name]


def test_every_command_has_a_heading_and_every_heading_a_command():
    paths = {" ".join(path) for path, _ in walk()}
    headings = documented()
    assert not paths - set(headings), f"docs/cli.md has no heading for {sorted(paths - set(headings))}"
    assert not set(headings) - paths, f"docs/cli.md documents no longer existing {sorted(set(headings) - paths)}"


def test_headings_name_the_arguments():
    headings = documented()
    for path, command in walk():
        arguments = [p.name.upper() for p in command.params if isinstance(p, TyperArgument)]
        assert section_of(headings, path)[0] == arguments, (path, arguments)


def test_every_long_option_is_in_its_command_s_section():
    headings = documented()
    for path, command in walk():
        section = section_of(headings, path)[1]
        for option in options(command):
            for name in long_names(option):
                assert mentions(section, name), (
                    f"docs/cli.md: the section of `smartmap {' '.join(path)}` does not mention "
                    f"{name}")
    assert mentions(section_of(headings, ())[1], "--help")  # typer adds it to every command


def test_every_choice_is_in_its_command_s_section():
    headings = documented()
    seen = 0
    for path, command in walk():
        section = section_of(headings, path)[1]
        for option in options(command):
            kind = option.type_descriptor.annotation
            if isinstance(kind, type) and issubclass(kind, Enum):
                seen += 1
                for value in kind:
                    assert f"`{value.value}`" in section, (path, option.opts, value.value)
    assert seen == 2  # export --format, report --lang


def test_every_setting_a_help_text_names_is_documented():
    text = DOC.read_text(encoding="utf-8")
    named = {var for _, command in walk()
             for text_ in [command.help or "", *(o.help or "" for o in options(command))]
             for var in re.findall(r"SMARTMAP_[A-Z_]+", text_)}
    assert named == {"SMARTMAP_COUNTY", "SMARTMAP_DATA_DIR"}
    assert all(f"`{var}`" in text for var in named)


def test_links_resolve_and_the_readme_links_this_page():
    text = DOC.read_text(encoding="utf-8")
    for name in set(re.findall(r"docs/([\w.-]+\.md)", text)):
        assert (ROOT / "docs" / name).is_file(), name
    for name in ("metrics", "data-io", "scenarios", "alignment", "region-packages", "population"):
        assert f"docs/{name}.md" in text.split("## More detail", 1)[1], name
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command_line = readme.split("## Command line", 1)[1].split("\n## ", 1)[0]
    assert "docs/cli.md" in command_line
