"""What several pages share: the county's name, the term lists they offer, a download payload."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from smartmap.core import lists, vocab
from smartmap.data.layers import Territory, county_names

TermKind = Literal["area", "area_or_any", "core_class", "env_type", "service", "level", "status"]


def translator(language: vocab.Lang) -> Callable[..., str]:
    """``t(key, **values)``: an interface text in ``language``.

    Bound to one language, so a ``format_func`` called after the run (as AppTest does) still
    speaks the language the widget was drawn in.
    """

    def t(key: str, **values: object) -> str:
        return vocab.text(key, language, **values)

    return t


def term_options(kind: TermKind, territory: Territory) -> list[str]:
    """The term ids a page offers for ``kind``, in their canonical order.

    Every list of priority areas or urban-core classes on a page comes from here: they are the
    region's terms, so when the region defines its own (the region manifest), this is the one
    place that reads them from ``territory``. Today every region has the vocabulary's terms.
    """
    enums: dict[str, type] = {"area": vocab.Area, "core_class": vocab.CoreClass,
                              "env_type": vocab.EnvType, "service": vocab.Service,
                              "level": vocab.Level, "status": vocab.Status}
    if kind == "area_or_any":
        return [*term_options("area", territory), vocab.ANY_AREA]
    return list(vocab.values(enums[kind]))


def term_list(text: object, kind: TermKind, territory: Territory) -> list[str]:
    """The terms of ``kind`` in a ``;``-list (e.g. an environment's priority areas), in order."""
    present = set(lists.split(text)) if isinstance(text, str) else set()
    return [term for term in term_options(kind, territory) if term in present]


def county_name(county: str, lang: vocab.Lang) -> str:
    """The county by name in ``lang`` ("Stockholms län" / "Stockholm County")."""
    if county == "01" and lang == "en":
        return "Stockholm County"
    return county_names().get(county, county)


@dataclass(frozen=True)
class Download:
    """A download button's payload: built only when the button is clicked."""

    key: str
    label: str
    data: Callable[[], bytes]
    file_name: str
    mime: str
