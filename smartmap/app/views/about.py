"""The "about the data" page: each layer's source, rows and CRS, and every data-check finding."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from smartmap import __version__
from smartmap.app.views.common import readable, translator
from smartmap.core import vocab
from smartmap.core.settings import PROJECT_DIR
from smartmap.data.layers import LAYERS, Territory
from smartmap.data.summary import layer_table

SEVERITIES = ("error", "warning", "info")
PROBLEM_COLUMNS = ("severity", "source", "row", "record_id", "field", "message", "expected")


@dataclass(frozen=True)
class AboutView:
    """What the page shows."""

    title: str
    intro: str
    layers_heading: str
    layers: pd.DataFrame
    """One row per layer, headers translated."""
    problems_heading: str
    problems_note: str
    problems: pd.DataFrame
    """Every finding of the data checks (their messages are in English), headers translated."""
    provenance_heading: str
    provenance: str | None
    """geodata/PROVENANCE.md (Markdown), when the data folder has one."""
    version: str


def about_view(territory: Territory, lang: vocab.Lang) -> AboutView:
    """The page for ``territory`` in ``lang``."""
    t = translator(lang)
    layers = layer_table(territory)
    layers["layer"] = [LAYERS[name].title(lang) if name in LAYERS else name
                       for name in layers["layer"]]
    layers = readable(layers, missing=t("no_geometry"))
    layers.columns = [t("col_" + c) for c in layers.columns]
    problems = territory.problems[list(PROBLEM_COLUMNS)].copy()
    problems["severity"] = problems["severity"].map(
        lambda s: t("severity_" + s) if s in SEVERITIES else s)
    problems = readable(problems)
    problems.columns = [t("col_" + c) for c in problems.columns]
    provenance = PROJECT_DIR / "geodata" / "PROVENANCE.md"
    return AboutView(
        title=t("page_about"), intro=t("about_intro"),
        layers_heading=t("about_layers"), layers=layers,
        problems_heading=t("about_problems"), problems_note=t("about_problems_note"),
        problems=problems, provenance_heading=t("about_provenance"),
        provenance=provenance.read_text(encoding="utf-8") if provenance.exists() else None,
        version=f"smartmap {__version__}",
    )
