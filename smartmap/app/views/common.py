"""What several pages share: the county's name, the term lists they offer, a download payload."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, Protocol, TypeAlias

import pandas as pd

from smartmap.core import lists, vocab
from smartmap.data.layers import Territory

TermKind = Literal["area", "area_or_any", "core_class", "env_type", "service", "level", "status"]

MapLayer: TypeAlias = object
"""A base map or map layer built by ``smartmap.render.maps`` (a folium object): the app only
hands it to ``st_folium`` and never names folium (contract 3), so to the app it is opaque."""


class Translator(Protocol):
    """``t(key, **values)``: an interface text in one language (what :func:`translator` gives)."""

    def __call__(self, key: str, /, **values: object) -> str: ...


def translator(language: vocab.Lang) -> Translator:
    """``t(key, **values)``: an interface text in ``language``.

    Bound to one language, so a ``format_func`` called after the run (as AppTest does) still
    speaks the language the widget was drawn in.
    """

    def t(key: str, /, **values: object) -> str:
        return vocab.text(key, language, **values)

    return t


def term_options(kind: TermKind, territory: Territory) -> list[str]:
    """The term ids a page offers for ``kind``, in their canonical order.

    Every list of priority areas or urban-core classes on a page comes from here: they are the
    region's own terms, read from its manifest (``territory.region``).
    """
    region = territory.region
    if kind == "area":
        return list(region.area_ids)
    if kind == "area_or_any":
        return list(region.areas_and_any)
    if kind == "core_class":
        return list(region.core_classes.ids)
    enums: dict[str, type[StrEnum]] = {"env_type": vocab.EnvType, "service": vocab.Service,
                                        "level": vocab.Level, "status": vocab.Status}
    return list(vocab.values(enums[kind]))


def term_list(text: object, kind: TermKind, territory: Territory) -> list[str]:
    """The terms of ``kind`` in a ``;``-list (e.g. an environment's priority areas), in order."""
    present = set(lists.split(text)) if isinstance(text, str) else set()
    return [term for term in term_options(kind, territory) if term in present]


def term_label(term: str, lang: vocab.Lang, territory: Territory) -> str:
    """A term's display label; the region's own terms (areas, core classes) included."""
    return vocab.label(term, lang, territory.region)


def county_name(territory: Territory, lang: vocab.Lang) -> str:
    """The region by name in ``lang``, from its manifest ("Stockholms län" / "Stockholm County")."""
    return territory.region.name(lang)


@dataclass(frozen=True)
class Download:
    """A download button's payload: built only when the button is clicked."""

    key: str
    label: str
    data: Callable[[], bytes]
    file_name: str
    mime: str


def readable(table: pd.DataFrame, missing: str = "–") -> pd.DataFrame:
    """``table`` for reading on a page: a missing value shows as ``missing`` (never "None",
    "nan" or "<NA>"), and whole numbers stored as floats (because of a gap) show without ",0".
    Columns without gaps keep their type, so they still sort as numbers."""
    out = table.copy()
    for column in out.columns:
        values = out[column]
        gaps = values.isna()
        if not gaps.any():
            continue
        if pd.api.types.is_float_dtype(values) and values[~gaps].map(float.is_integer).all():
            values = values.astype("Int64")
        out[column] = values.astype("object").where(~gaps, missing)
        out.loc[~gaps, column] = values[~gaps].map(str)
    return out


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal (quotes, backslashes and line breaks escaped)."""
    return '"' + "".join(f"\\{ord(c):x} " if c in '"\\\n\r<>' else c for c in text) + '"'


def uploader_css(label: str, max_mb: float, types: Sequence[str], lang: vocab.Lang) -> str | None:
    """A style that puts the words of Streamlit's file uploader in ``lang``: its button ("Upload")
    and its limit line ("20MB per file • CSV") are fixed English text in Streamlit's own script,
    so they are hidden and said again from the catalogs, for the uploader labelled ``label``
    only. ``None`` in English (Streamlit's own words are English).

    >>> css = uploader_css('Fil "A"', 20, ["csv", "gpkg"], "sv")
    >>> '"Ladda upp"' in css and '"Högst 20 MB per fil • CSV, GPKG"' in css
    True
    >>> uploader_css("File", 20, ["csv"], "en") is None
    True
    """
    if lang == "en":
        return None
    where = f'section[data-testid="stFileUploaderDropzone"][aria-label={_css_string(label)}]'
    button = f'{where} [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p'
    limit = f'{where} [data-testid="stFileUploaderDropzoneInstructions"] span'
    said = vocab.text("upload_limit", lang, mb=f"{max_mb:g}",
                      types=", ".join(t.upper() for t in types))
    return (f"<style>{button}, {limit} {{font-size: 0;}}\n"
            f"{button}::after {{content: {_css_string(vocab.text('upload_button', lang))}; "
            "font-size: 1rem;}\n"
            f"{limit}::after {{content: {_css_string(said)}; font-size: 0.875rem;}}</style>")
