"""The region: which county is analysed, and the vocabulary its own data package defines.

A region is data, not code. Its record says which county it is, its name in Swedish and English,
the region's own **priority areas** and **urban-core classes** (ids with sv/en labels), which core
classes are candidates for ``nearest_core``, which population source the analysis uses, and where
its data package lives. :func:`smartmap.data.region.load_region` reads it from the package's
manifest (``region.toml``); a county without a package is a *bare* region: its municipalities
load, it has no layers, no areas and no core classes, and everything that shows it says so.

Nothing in the code names a region's areas or classes: every list of areas, every area label and
every colour comes from here.

>>> areas = Terms("area", (Term("health", Label("Hälsa", "Health")),
...                        Term("digital", Label("Digitalt", "Digital"))))
>>> areas.ids
('health', 'digital')
>>> areas.parse("digital; health")
('health', 'digital')
>>> areas.label("digital", "en")
'Digital'
>>> areas.unknown("health;food")
['food']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from smartmap.core import lists
from smartmap.core.i18n import Label, Lang
from smartmap.core.popspec import PopulationSpec

ANY_AREA = "any"
"""Pseudo-area of the metric names (``dist_km_any``): every counted environment."""

PALETTE = (
    "#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933",
    "#AA4499",
)
"""Paul Tol's "muted" scheme (colour-blind safe): the default colours of areas, in order."""

GREYS = ("#000000", "#444444", "#777777", "#999999", "#AAAAAA", "#BBBBBB")
"""Default colours of urban-core classes, darkest for the first (most central) class."""


@dataclass(frozen=True)
class Term:
    """One term a region defines: an id, its labels, a short form for sentences, a colour."""

    id: str
    label: Label
    short: Label | None = None
    """Short form that fits in a sentence ("no life-science support"); defaults to the label."""
    colour: str | None = None
    description: Label | None = None

    def short_label(self, lang: Lang = "sv") -> str:
        """The short form (or the label) in a language."""
        return (self.short or self.label)(lang)


@dataclass(frozen=True)
class Terms:
    """An ordered vocabulary defined by data (a region's areas, its core classes).

    Works like a controlled-term enum: ``ids`` in canonical order, ``parse`` / ``join`` of
    ``;``-lists in that order, labels in both languages. ``kind`` names it in messages.
    """

    kind: str
    items: tuple[Term, ...] = ()
    default_palette: tuple[str, ...] = PALETTE

    def __post_init__(self) -> None:
        ids = [t.id for t in self.items]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"duplicate {self.kind} id(s): {', '.join(dup)}")

    @property
    def ids(self) -> tuple[str, ...]:
        """The ids in canonical order."""
        return tuple(t.id for t in self.items)

    def __iter__(self) -> Iterator[Term]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __contains__(self, term_id: object) -> bool:
        return any(t.id == term_id for t in self.items)

    def get(self, term_id: str) -> Term:
        """The term of an id; ``KeyError`` naming the kind when unknown."""
        for t in self.items:
            if t.id == term_id:
                return t
        raise KeyError(f"unknown {self.kind} {term_id!r}")

    def label(self, term_id: str, lang: Lang = "sv") -> str:
        """The display label of an id."""
        return self.get(term_id).label(lang)

    def short(self, term_id: str, lang: Lang = "sv") -> str:
        """The short (in-sentence) label of an id."""
        return self.get(term_id).short_label(lang)

    def colour(self, term_id: str) -> str:
        """The term's colour: its own, else the palette colour of its position."""
        term = self.get(term_id)
        if term.colour:
            return term.colour
        return self.default_palette[self.ids.index(term_id) % len(self.default_palette)]

    def colours(self) -> dict[str, str]:
        """Every id's colour, in canonical order."""
        return {i: self.colour(i) for i in self.ids}

    def unknown(self, text: object) -> list[str]:
        """Entries of a ``;``-list that are not ids of this vocabulary."""
        known = set(self.ids)
        return [p for p in lists.split(text) if p not in known]

    def parse(self, text: object) -> tuple[str, ...]:
        """The ids of a ``;``-list in canonical order; ``ValueError`` naming unknown ids."""
        bad = self.unknown(text)
        if bad:
            raise ValueError(f"unknown {self.kind} value(s): {', '.join(bad)}")
        present = set(lists.split(text))
        return tuple(i for i in self.ids if i in present)

    def join(self, items: Iterable[object]) -> str:
        """Ids joined with ``;`` in canonical order (duplicates and unknown ids dropped)."""
        present = {str(i) for i in items}
        return lists.join(i for i in self.ids if i in present)


@dataclass(frozen=True)
class Region:
    """One region: its county, names, vocabulary, population source and data package."""

    county: str
    name: Label
    areas: Terms = field(default_factory=lambda: Terms("area"))
    core_classes: Terms = field(default_factory=lambda: Terms("core class", default_palette=GREYS))
    nearest_core_classes: tuple[str, ...] = ()
    """Core classes that are candidates for ``nearest_core`` and catchments by default."""
    population: PopulationSpec = field(default_factory=PopulationSpec)
    data_year: int | None = None
    data_dir: Path | None = None
    """The package folder; ``None`` for a bare region (municipality polygons only)."""
    manifest: Path | None = None
    test_data: bool = False
    """True for packages made for tests: the UI and reports say "test data"."""
    sources: tuple[str, ...] = ()
    """Where the region's areas and classes are stated (URLs or citations)."""
    actor: str | None = None
    """The actor id of the region's own organisation (``governance_actors.csv``), if any."""

    def __post_init__(self) -> None:
        bad = [c for c in self.nearest_core_classes if c not in self.core_classes]
        if bad:
            raise ValueError(f"nearest core class(es) {', '.join(bad)} are not core classes")
        clash = set(self.areas.ids) & {ANY_AREA}
        if clash:
            raise ValueError(f"{ANY_AREA!r} is reserved and cannot be an area id")

    @property
    def has_package(self) -> bool:
        """Whether the region has a data package (layers beyond the municipality polygons)."""
        return self.data_dir is not None

    @property
    def area_ids(self) -> tuple[str, ...]:
        """The region's priority-area ids in canonical order."""
        return self.areas.ids

    @property
    def areas_and_any(self) -> tuple[str, ...]:
        """Area ids plus ``any``: the suffixes of the distance and coverage metrics."""
        return (*self.areas.ids, ANY_AREA)

    def term_label(self, term: str, lang: Lang = "sv") -> str | None:
        """The label of one of the region's own terms (an area or a core class), else ``None``."""
        for terms in (self.areas, self.core_classes):
            if term in terms:
                return terms.label(term, lang)
        return None

    def area_short(self, area: str, lang: Lang = "sv") -> str:
        """The in-sentence name of an area (``any`` included)."""
        if area == ANY_AREA:
            return Label.of(ANY_AREA, "metric_area")(lang)
        return self.areas.short(area, lang)
