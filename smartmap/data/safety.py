"""Bounded reading of what users bring: JSON, text from people, SQLite (GeoPackage) files.

The one home of the checks that keep a hostile or broken input from hanging, crashing or
spoofing smartmap; the numbers they enforce live in :mod:`smartmap.core.limits` and are written
down in ``docs/data-io.md`` ("Limits"). Callers turn :class:`InputRefused` into their own
message (file, row and field for uploads; edit and field for scenarios).

- JSON: :func:`load_json` checks the nesting depth *before* parsing (Python's parser recurses and
  would raise ``RecursionError``) and parses numbers with hooks, so an integer too large for a
  float, ``NaN`` or ``Infinity`` become :class:`UnusableNumber` values that the readers refuse
  field by field instead of an ``OverflowError`` or a silent ``inf``.
- Text: :func:`text_problem` finds control characters, Unicode bidirectional controls (the
  ``Bidi_Control`` class: U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), unpaired
  surrogates and over-long texts; :func:`strip_bidi`, :func:`clean_line` and :func:`clean_block`
  remove what can be removed. Which field strips and which refuses is decided by the readers and
  listed in ``docs/data-io.md``.
- GeoPackage: :func:`inspect_geopackage` opens the bytes with sqlite3 (in memory, query-only,
  under a deadline) and refuses views, virtual tables, computed columns and too many rows or
  columns before GDAL ever sees the file.

>>> load_json('{"r": 1' + '0' * 30 + '}')["r"]
a 31-digit integer
>>> text_problem("Lab\\u202e", limit=200)
'holds the bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE) at character 4'
>>> clean_line(" Lab\\u202e one\\ntwo\\x1b ")
'Lab one two'
>>> preview("x" * 100, 12)
"'xxxxxxxxxx…"
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
import time
import unicodedata
from dataclasses import dataclass
from typing import Any

import numpy as np

from smartmap.core.errors import Phrase, SmartmapError
from smartmap.core.limits import (
    MAX_COLUMNS,
    MAX_INT_DIGITS,
    MAX_JSON_DEPTH,
    MAX_ROWS,
    SQLITE_SECONDS,
)
from smartmap.core.problemtext import fill, keyed, phrase


class InputRefused(SmartmapError):
    """An input breaks a bound or cannot be read safely; ``expected`` says what would do.

    Built from catalog keys (``msgctxt "problem"``) and their values: ``problem`` is the finding
    (named ``""``: the caller names the file), ``message``/``expected`` its English texts.
    """

    def __init__(self, code: str, expected: str | None = None, /, **args: object):
        self.problem = keyed("", None, None, code, expected, **args)
        self.message, self.expected = self.problem.message, self.problem.expected
        super().__init__(self.message)


# ---------------------------------------------------------------------------------------------
# text


CONTROL_CLASS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
"""C0 controls except tab, line feed and carriage return; DEL; the C1 controls."""
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Unicode's ``Bidi_Control`` characters: the Arabic letter mark, the left-to-right and
right-to-left marks, embeddings, overrides and their pop (U+202A-U+202E), isolates (U+2066-U+2069)."""
SURROGATE_CLASS = "\ud800-\udfff"
"""Unpaired UTF-16 surrogates (JSON ``\\ud800`` escapes): not encodable as UTF-8."""
BREAK_CLASS = "\t\n\r\u2028\u2029"
"""Tabs and line breaks: fine in a description, not in a one-line name."""

CONTROL = re.compile(f"[{CONTROL_CLASS}]")
BIDI = re.compile(f"[{BIDI_CONTROLS}]")
SURROGATE = re.compile(f"[{SURROGATE_CLASS}]")
BREAK = re.compile(f"[{BREAK_CLASS}]")
_UNSAFE_LINE = re.compile(f"[{CONTROL_CLASS}{BIDI_CONTROLS}{SURROGATE_CLASS}{BREAK_CLASS}]")
_UNSAFE_BLOCK = re.compile(f"[{CONTROL_CLASS}{BIDI_CONTROLS}{SURROGATE_CLASS}]")


_CONTROL_NAMES = {"\x00": "NULL", "\t": "TAB", "\n": "LINE FEED", "\r": "CARRIAGE RETURN",
                  "\x1b": "ESCAPE", "\x7f": "DELETE"}


def describe_char(ch: str) -> str:
    """``U+202E (RIGHT-TO-LEFT OVERRIDE)``: a character named for a message."""
    try:
        name = unicodedata.name(ch)
    except ValueError:
        name = _CONTROL_NAMES.get(ch, "")
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")


def char_kind_phrase(ch: str) -> Phrase:
    """What kind of unsafe character ``ch`` is, as a catalog text for a message."""
    if BIDI.match(ch):
        return phrase("char_bidi")
    if SURROGATE.match(ch):
        return phrase("char_surrogate")
    if BREAK.match(ch):
        return phrase("char_break")
    return phrase("char_control")


def char_kind(ch: str) -> str:
    """What kind of unsafe character ``ch`` is, for a message (English)."""
    return fill(char_kind_phrase(ch).key, (), "en")


def text_issue(text: str, *, limit: int, one_line: bool = True) -> Phrase | None:
    """Why ``text`` cannot be taken as it is, as a catalog text (None when it can).

    Refused: more than ``limit`` characters, control characters, bidirectional controls,
    unpaired surrogates and, when ``one_line``, tabs and line breaks.
    """
    if len(text) > limit:
        return phrase("too_long_limit", n=len(text), limit=limit)
    found = (_UNSAFE_LINE if one_line else _UNSAFE_BLOCK).search(text)
    if found is None:
        return None
    ch = found.group()
    return phrase("holds_char", kind=char_kind_phrase(ch), char=describe_char(ch),
                  pos=found.start() + 1)


def text_problem(text: str, *, limit: int, one_line: bool = True) -> str | None:
    """Why ``text`` cannot be taken as it is, in English (None when it can; :func:`text_issue`)."""
    issue = text_issue(text, limit=limit, one_line=one_line)
    return None if issue is None else fill(issue.key, issue.args, "en")


def strip_bidi(text: str) -> str:
    """``text`` without bidirectional controls (they only change how the text is displayed)."""
    return BIDI.sub("", text)


def clean_line(text: object) -> str:
    """Typed one-line text made safe: controls, bidi controls and surrogates removed, every run
    of white space (tabs and line breaks too) one space, trimmed."""
    if not isinstance(text, str):
        return ""
    kept = _UNSAFE_BLOCK.sub("", text)
    return " ".join(BREAK.sub(" ", kept).split())


def clean_block(text: object) -> str:
    """Typed multi-line text made safe: controls, bidi controls and surrogates removed, line
    ends as ``\\n``, tabs kept, trimmed."""
    if not isinstance(text, str):
        return ""
    kept = _UNSAFE_BLOCK.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return kept.strip()


def shorten(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters (the last one "…" when cut)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(value: object, limit: int = 60) -> str:
    """A user's text as it may appear unquoted in a message: unsafe characters escaped
    (``\\u202e``), cut to ``limit`` characters; other values as their (cut) ``repr``."""
    if not isinstance(value, str):
        return preview(value, limit)
    escaped = _UNSAFE_LINE.sub(lambda m: f"\\u{ord(m.group()):04x}", value)
    return shorten(escaped, limit)


def file_label(name: str, limit: int = 80) -> str:
    """A file name as messages show it: unsafe characters escaped, a long name cut in the middle
    (so its extension stays)."""
    escaped = _UNSAFE_LINE.sub(lambda m: f"\\u{ord(m.group()):04x}", str(name))
    if len(escaped) <= limit:
        return escaped
    tail = limit // 3
    return escaped[: limit - tail - 1] + "…" + escaped[-tail:]


def preview(value: object, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters, for echoing users' values in messages (the
    repr shows control and bidi characters as escapes; a huge integer is described, since its
    repr would be slow or refused)."""
    if isinstance(value, int) and value.bit_length() > 64:
        return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    return shorten(repr(value), limit)


# ---------------------------------------------------------------------------------------------
# JSON


@dataclass(frozen=True)
class UnusableNumber:
    """A JSON number that is no usable value: a huge integer, ``NaN``, ``Infinity``, ``1e400``.

    Not an ``int`` or ``float``, so every ``isinstance(v, int | float)`` check refuses it, and
    its ``repr`` says what it was ("a 400-digit integer"); ``phrase`` says it in a catalog text
    (``None``: the JSON's own word, ``NaN``, reads the same in every language).
    """

    what: str
    phrase: Phrase | None = None

    def __repr__(self) -> str:
        return self.what

    __str__ = __repr__


def _parse_int(text: str) -> int | UnusableNumber:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        return _unusable("n_digit_integer", digits=digits)
    return int(text)


def _parse_float(text: str) -> float | UnusableNumber:
    value = float(text)
    if not math.isfinite(value):
        return _unusable("too_large_float", text=f"{text[:24]}{'…' if len(text) > 24 else ''}")
    return value


def _unusable(key: str, **args: object) -> UnusableNumber:
    said = phrase(key, **args)
    return UnusableNumber(fill(said.key, said.args, "en"), said)


def _parse_constant(text: str) -> UnusableNumber:
    return UnusableNumber(text)


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\Z)', re.S)


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in JSON text, counted without parsing it.

    Strings are blanked out first (brackets inside them do not count); linear in the text.

    >>> json_depth('{"a": [1, {"b": "[[["}]}')
    3
    """
    skeleton = _JSON_STRING.sub('""', text).encode("utf-8", "surrogatepass")
    codes = np.frombuffer(skeleton, dtype=np.uint8)
    brackets = codes[np.isin(codes, np.frombuffer(b"[{]}", dtype=np.uint8))]
    steps = np.where((brackets == ord("[")) | (brackets == ord("{")), 1, -1).astype(np.int32)
    return int(np.cumsum(steps, dtype=np.int32).max(initial=0))


def load_json(text: str, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``json.loads`` with bounds: nesting at most ``max_depth`` (checked first), integers of at
    most ``MAX_INT_DIGITS`` digits, and :class:`UnusableNumber` for huge, NaN and infinite numbers.

    Raises :class:`InputRefused` for too deep nesting and ``json.JSONDecodeError`` for invalid
    JSON (the callers say where in their own words).
    """
    depth = json_depth(text)
    if depth > max_depth:
        raise InputRefused("json_too_deep", "exp_json_depth", depth=depth, max=max_depth)
    return json.loads(text, parse_int=_parse_int, parse_float=_parse_float,
                      parse_constant=_parse_constant)


# ---------------------------------------------------------------------------------------------
# GeoPackage (SQLite)


@dataclass(frozen=True)
class GeoPackageLayer:
    """A table registered in ``gpkg_contents``: name, data type, geometry type (or None)."""

    name: str
    data_type: str
    geometry_type: str | None


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


class _Deadline:
    """A sqlite3 progress handler that stops any statement after ``seconds`` of wall time."""

    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds
        self.hit = False

    def __call__(self) -> int:
        if time.monotonic() > self.end:
            self.hit = True
            return 1  # non-zero interrupts the running statement
        return 0


def inspect_geopackage(data: bytes, *, seconds: float = SQLITE_SECONDS) -> list[GeoPackageLayer]:
    """Check a GeoPackage with sqlite3 before GDAL reads it; returns its registered layers.

    The bytes are opened in memory (``deserialize``, ``query_only``, ``trusted_schema`` off) under
    a deadline of ``seconds``. Refused (:class:`InputRefused`): a file SQLite cannot read or that
    fails ``quick_check``; no ``gpkg_contents``; any view (reading one runs its query, which can
    be endless); any virtual table other than a GeoPackage R-tree index; a registered layer that
    is not a plain table, has computed (generated) columns, more than ``MAX_COLUMNS`` columns or
    more than ``MAX_ROWS`` rows.
    """
    image = bytearray(data)
    if len(image) > 19 and image[18:20] == b"\x02\x02":
        image[18:20] = b"\x01\x01"  # a WAL-mode file reads like any other once in memory
    connection = sqlite3.connect(":memory:")
    deadline = _Deadline(seconds)
    try:
        connection.deserialize(bytes(image))
        connection.set_progress_handler(deadline, 1000)
        connection.execute("PRAGMA query_only = ON")
        connection.execute("PRAGMA trusted_schema = OFF")
        connection.execute("PRAGMA cell_size_check = ON")
        return _inspect(connection)
    except (sqlite3.Error, ValueError) as exc:  # ValueError: a NUL in a table name
        if deadline.hit:
            raise InputRefused("gpkg_too_slow", "exp_gpkg_plain_features",
                               seconds=f"{seconds:g}") from None
        raise InputRefused("gpkg_unreadable", "exp_gpkg", reason=exc) from None
    finally:
        connection.close()


def _inspect(connection: sqlite3.Connection) -> list[GeoPackageLayer]:
    expected = "exp_gpkg_plain"
    check = connection.execute("PRAGMA quick_check").fetchone()
    if check is None or check[0] != "ok":
        raise InputRefused("gpkg_damaged", "exp_gpkg", why=check[0] if check else "?")
    schema = connection.execute(
        "SELECT type, name, coalesce(sql, '') FROM sqlite_master").fetchall()
    kinds = {name: (kind, sql) for kind, name, sql in schema}
    if "gpkg_contents" not in kinds:
        raise InputRefused("gpkg_no_contents", "exp_gpkg")
    for kind, name, sql in schema:
        if kind == "view":
            raise InputRefused("gpkg_view", expected, name=preview(name))
        virtual = re.match(r"\s*create\s+virtual\s+table\s", sql, re.I)
        rtree = re.search(r"\busing\s+rtree\s*\(", sql, re.I) and name.startswith("rtree_")
        if kind == "table" and virtual and not rtree:
            raise InputRefused("gpkg_virtual", expected, name=preview(name))
    rows = connection.execute(
        "SELECT c.table_name, c.data_type, g.geometry_type_name FROM gpkg_contents c "
        "LEFT JOIN gpkg_geometry_columns g ON g.table_name = c.table_name "
        "ORDER BY c.table_name").fetchall()
    layers = [GeoPackageLayer(str(n), str(d), None if g is None else str(g)) for n, d, g in rows]
    for layer in layers:
        kind, sql = kinds.get(layer.name, ("missing", ""))
        if kind != "table" or re.match(r"\s*create\s+virtual\s", sql, re.I):
            raise InputRefused("gpkg_not_plain", expected, layer=preview(layer.name), kind=kind)
        columns = connection.execute(f"PRAGMA table_xinfo({_quote(layer.name)})").fetchall()
        computed = [str(c[1]) for c in columns if c[6] in (2, 3)]  # column "hidden"
        if computed:
            raise InputRefused("gpkg_computed", expected, layer=preview(layer.name),
                               columns=shown(", ".join(computed)))
        if len(columns) > MAX_COLUMNS + 2:  # the feature id and the geometry come on top
            raise InputRefused("gpkg_wide", "exp_at_most_attr_columns", layer=preview(layer.name),
                               n=len(columns), max=MAX_COLUMNS)
        (count,) = connection.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {_quote(layer.name)} LIMIT {MAX_ROWS + 1})"
        ).fetchone()
        if count > MAX_ROWS:
            raise InputRefused("gpkg_long", "exp_at_most_features", layer=preview(layer.name),
                               max=MAX_ROWS)
    return layers
