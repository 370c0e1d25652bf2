"""The "about the data" page: each layer's source, rows and CRS, every data-check finding, and what
the package says about its own evidence (population source and located shares, the white-spot
search, the environments' status check)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from smartmap import __version__
from smartmap.app.views.common import readable, translator
from smartmap.core import vocab
from smartmap.core.problemtext import localized_frame
from smartmap.data.layers import LAYERS, Territory
from smartmap.data.provenance import white_spot_search
from smartmap.data.summary import layer_table
from smartmap.render import provenance as prov

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
    """Every finding of the data checks, in the page's language (headers, messages, severity)."""
    population_heading: str
    population_sentences: tuple[str, ...]
    """Which population source the analysis uses and its years; how many residents are located."""
    population: pd.DataFrame
    """Per municipality: population, year, stated points and their years, located share."""
    population_note: str
    white_spots_heading: str
    white_spots_intro: str
    white_spots: pd.DataFrame
    """The white-spot search record (one row per municipality), headers translated."""
    white_spots_missing: str | None
    """Said when the package records no search."""
    verification_heading: str
    verification_intro: str
    verification: pd.DataFrame
    """Environments per state of the status check."""
    provenance_heading: str
    provenance: str | None
    """The region package's PROVENANCE.md (Markdown), when it has one."""
    version: str


def about_view(territory: Territory, lang: vocab.Lang) -> AboutView:
    """The page for ``territory`` in ``lang``.

    The population, white-spot and verification tables are built by
    :mod:`smartmap.render.provenance`, the same code that writes them into PROVENANCE.md.
    """
    t = translator(lang)
    layers = layer_table(territory)
    layers["layer"] = [LAYERS[name].title(lang) if name in LAYERS else name
                       for name in layers["layer"]]
    layers = readable(layers, missing=t("no_geometry"))
    layers.columns = [t("col_" + c) for c in layers.columns]
    search = white_spot_search(territory)
    problems = readable(localized_frame((*territory.problem_list, *search.problems),
                                        lang)[list(PROBLEM_COLUMNS)])
    problems.columns = [t("col_" + c) for c in problems.columns]
    folder = territory.data_dir
    provenance = None if folder is None else Path(folder) / "PROVENANCE.md"
    return AboutView(
        title=t("page_about"), intro=t("about_intro"),
        layers_heading=t("about_layers"), layers=layers,
        problems_heading=t("about_problems"), problems_note=t("about_problems_note"),
        problems=problems,
        population_heading=t("about_population"),
        population_sentences=prov.population_summary(territory, lang),
        population=prov.population_table(territory, lang),
        population_note=t("about_population_note", pct=prov.threshold_text(lang)),
        white_spots_heading=t("about_white_spots"), white_spots_intro=t("about_white_spots_intro"),
        white_spots=prov.white_spot_table(territory, lang),
        white_spots_missing=None if search.present else t("about_no_white_spot_record"),
        verification_heading=t("about_verification"),
        verification_intro=t("about_verification_intro"),
        verification=prov.verification_table(territory, lang),
        provenance_heading=t("about_provenance"),
        provenance=(provenance.read_text(encoding="utf-8", errors="replace")
                    if provenance is not None and provenance.is_file() else None),
        version=f"smartmap {__version__}",
    )
