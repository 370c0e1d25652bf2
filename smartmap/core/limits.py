"""The stated bounds on everything a user brings: files, scenarios, share links, typed text.

One home for the numbers, so the readers (``smartmap.data.safety``, ``data.userfiles``,
``analysis.scenario``), the parameters (``analysis.params``), the CLI's options and the app's
widgets all refuse at the same place. The byte limits of uploads and scenario files are settings
(``Settings.max_upload_bytes``, ``Settings.max_scenario_bytes``); everything else is here. Each
bound is written down, with its reason, in ``docs/data-io.md`` ("Limits").

Kept free of heavy imports: the CLI reads it to declare its options.
"""

from __future__ import annotations

# --- the catchment radius --------------------------------------------------------------------

RADIUS_KM_MIN = 0.1
"""Smallest catchment radius R in km (100 m: below that straight-line catchments say nothing)."""
RADIUS_KM_MAX = 100.0
"""Largest catchment radius R in km (a county is at most a few hundred km across)."""

# --- user files (environments uploads, ``smartmap validate``) --------------------------------

MAX_ROWS = 50_000
"""Data rows (CSV) or features (GeoJSON, GeoPackage) in one environments file."""
MAX_COLUMNS = 100
"""Columns (CSV header cells, GeoJSON property names, GeoPackage fields) in one file."""
MAX_JSON_DEPTH = 32
"""Nesting of JSON arrays and objects (a GeoJSON point needs 5, a scenario 4)."""
MAX_INT_DIGITS = 20
"""Digits of a JSON integer; longer ones are no usable number (and too large for a float)."""
SQLITE_SECONDS = 10.0
"""Wall-clock time the GeoPackage checks (sqlite3) may take before the file is refused."""

# --- text (names and free text, in files, scenarios and the app's fields) ---------------------

MAX_NAME_CHARS = 200
"""One-line texts: names, host organisations, addresses, authors, ids."""
MAX_TEXT_CHARS = 4_000
"""Longer texts: notes, descriptions, URLs and any other cell of an environments file."""

# --- scenarios and share links ----------------------------------------------------------------

MAX_EDITS = 500
"""Edits in one scenario (file, link or workshop)."""
MAX_LIST_ITEMS = 50
"""Items in one list of a scenario (priority areas, services, types, core classes)."""
MAX_SHARE_CHARS = 6_000
"""Longest share token accepted in a URL (a few dozen edits fit)."""
MAX_SHARE_JSON_BYTES = 256 * 1024
"""What a share token may unpack to (a token of MAX_SHARE_CHARS holds far less honest JSON)."""

# --- the assessment of a scenario (analysis.assessment) -----------------------------------------
MAX_ASSESSMENT_NOTES = 200
"""Notes one assessment may hold."""
MAX_NOTE_CHARS = 1_000
"""Characters one assessment note may hold."""

# --- a region package brought as a zip or as files (data.bundle) --------------------------------
MAX_PACKAGE_FILES = 64
"""Files in a package (zip entries, folders not counted)."""
MAX_PACKAGE_UNPACKED_BYTES = 200 * 1024 * 1024
"""What a package zip may unpack to (a population grid of a county fits easily)."""
MAX_PACKAGE_DEPTH = 4
"""Folder levels of a zip entry (``pkg/data/grid.gpkg`` is 2)."""
