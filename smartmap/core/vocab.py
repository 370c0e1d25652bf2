"""The one vocabulary of smartmap: every controlled term, with Swedish and English labels.

Nothing else in the code base spells these values out; data files, schemas, metrics, maps and the
UI all refer to the enums below. Ids are the lower-case strings used in the data files. A region's
own terms (its priority areas and urban-core classes) are data: they come from its manifest as
:class:`smartmap.core.region.Terms`, which every function here accepts in place of an enum.

>>> Status.ACTIVE.value
'active'
>>> label(Service.LAB_ACCESS, "en")
'Lab access'
>>> parse_list("testbed;incubator", EnvType)
(<EnvType.INCUBATOR: 'incubator'>, <EnvType.TESTBED: 'testbed'>)
>>> join_list(["testbed", "incubator"], EnvType)
'incubator;testbed'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import TypeVar

from smartmap.core import lists
from smartmap.core.i18n import LANGS, Label, Lang, Texts
from smartmap.core.region import ANY_AREA, Region, Terms

__all__ = ["ANY_AREA", "LANGS", "Label", "Lang"]  # re-exported: callers spell them ``vocab.Label``
LIST_SEPARATOR = lists.SEPARATOR


class EnvType(StrEnum):
    """Kind of innovation environment."""

    SCIENCE_PARK = "science_park"
    INCUBATOR = "incubator"
    ACCELERATOR = "accelerator"
    TESTBED = "testbed"
    CLUSTER = "cluster"
    COLLABORATION_PLATFORM = "collaboration_platform"
    INNOVATION_OFFICE = "innovation_office"
    RESEARCH_INSTITUTE = "research_institute"
    BUSINESS_SUPPORT = "business_support"
    COWORKING_HUB = "coworking_hub"


class Level(StrEnum):
    """Governance level of an actor or environment (``mixed`` only for environments)."""

    EU = "eu"
    NATIONAL = "national"
    REGIONAL = "regional"
    SUB_REGIONAL = "sub_regional"
    MUNICIPAL = "municipal"
    ACADEMIC = "academic"
    PRIVATE = "private"
    CIVIL_SOCIETY = "civil_society"
    MIXED = "mixed"


class Service(StrEnum):
    """Support service an environment offers."""

    INCUBATION = "incubation"
    ACCELERATION = "acceleration"
    TESTBED_ACCESS = "testbed_access"
    LAB_ACCESS = "lab_access"
    FINANCING = "financing"
    ADVISORY = "advisory"
    MATCHMAKING = "matchmaking"
    COWORKING = "coworking"
    EDUCATION = "education"
    INTERNATIONALISATION = "internationalisation"


class Status(StrEnum):
    """Operating status of an environment."""

    ACTIVE = "active"
    PLANNED = "planned"
    CLOSED = "closed"


class ActorType(StrEnum):
    """Kind of governance actor (``governance_actors.csv``)."""

    AUTHORITY = "authority"
    AGENCY = "agency"
    FUNDER = "funder"
    PROGRAMME = "programme"
    PROJECT = "project"
    UNIVERSITY = "university"
    COMPANY = "company"
    ASSOCIATION = "association"
    NETWORK = "network"


class Relation(StrEnum):
    """Relation of a governance link, read ``from -> to``."""

    FUNDS = "funds"
    COORDINATES = "coordinates"
    OWNS = "owns"
    HOSTS = "hosts"
    MEMBER_OF = "member_of"
    PARTNER_OF = "partner_of"
    REPORTS_TO = "reports_to"


class Scope(StrEnum):
    """Non-municipal territory of an actor; otherwise it lists municipality codes."""

    EU = "eu"
    NATIONAL = "national"
    COUNTY = "county"


class PopulationKind(StrEnum):
    """Kind of population point (``population_points.csv``)."""

    DISTRICT = "district"
    TATORT = "tatort"
    LOCALITY = "locality"


class Precision(StrEnum):
    """How precise an environment's point is (derived from address and notes, see PROVENANCE.md)."""

    ADDRESS = "address"
    AREA = "area"
    PLACEHOLDER = "placeholder"


class PopulationRule(StrEnum):
    """How the population model weighted a point (see :mod:`smartmap.data.population`)."""

    AS_GIVEN = "as_given"
    SCALED_DOWN = "scaled_down"
    SCALED_UP = "scaled_up"
    REMAINDER_SHARED = "remainder_shared"
    REST_POINT = "rest_point"
    NO_USABLE_POINT = "no_usable_point"
    NO_POPULATION = "no_population"


class TermLabels(dict):
    """Labels keyed by enum member, kept apart per enum.

    StrEnum members compare and hash like their value, so in a plain dict ``Level.NATIONAL`` and
    ``Scope.NATIONAL`` are the same key and the later label silently replaces the earlier one.
    Keys here are ``(enum class, value)``.

    >>> labels = TermLabels({Level.NATIONAL: Label("Nationell", "National")})
    >>> labels[Scope.NATIONAL] = Label("Hela Sverige", "All of Sweden")
    >>> labels[Level.NATIONAL].en, labels[Scope.NATIONAL].en
    ('National', 'All of Sweden')
    """

    def __init__(self, items: dict[StrEnum, Label] | None = None):
        super().__init__()
        self.update(items or {})

    @staticmethod
    def _key(term: object) -> tuple[type, str]:
        return (type(term), str(term))

    def __getitem__(self, term: object) -> Label:
        return super().__getitem__(self._key(term))

    def __setitem__(self, term: object, value: Label) -> None:
        super().__setitem__(self._key(term), value)

    def __contains__(self, term: object) -> bool:
        return super().__contains__(self._key(term))

    def get(self, term: object, default: Label | None = None) -> Label | None:  # type: ignore[override]
        return super().get(self._key(term), default)

    def update(self, items: object = (), **_: object) -> None:  # type: ignore[override]
        pairs = items.items() if hasattr(items, "items") else items
        for term, value in pairs:
            self[term] = value



E = TypeVar("E", bound=StrEnum)


Vocabulary = type[StrEnum] | Terms
"""A controlled vocabulary: a code-defined enum or a region-defined term set."""


def label(term: StrEnum | str, lang: Lang = "sv", region: Region | None = None) -> str:
    """Display name of a controlled term (or ``"any"``) in the given language.

    A region's own terms (areas, core classes) are looked up in ``region`` first.
    """
    if isinstance(term, str) and not isinstance(term, StrEnum):
        if region is not None:
            own = region.term_label(term, lang)
            if own is not None:
                return own
        if term == ANY_AREA:
            return ANY_LABEL(lang)
        for enum in VOCABULARIES.values():
            if term in enum._value2member_map_:
                return LABELS[enum(term)](lang)
        raise KeyError(f"unknown term {term!r}")
    return LABELS[term](lang)


def values(enum: Vocabulary) -> tuple[str, ...]:
    """The ids of a vocabulary, in their defined (canonical) order."""
    if isinstance(enum, Terms):
        return enum.ids
    return tuple(member.value for member in enum)


def _items(text: object) -> list[str]:
    if text is None or (isinstance(text, float) and text != text):
        return []
    return lists.split(str(text))


def parse_list(text: object, enum: type[E]) -> tuple[E, ...]:
    """Parse a ``;``-separated list of ids into enum members in canonical order.

    Raises ``ValueError`` naming the unknown ids; empty or missing text gives ``()``. For a
    region's :class:`Terms` use ``terms.parse`` (it gives ids).
    """
    parts = _items(text)
    unknown = [p for p in parts if p not in enum._value2member_map_]
    if unknown:
        raise ValueError(f"unknown {enum.__name__} value(s): {', '.join(unknown)}")
    present = set(parts)
    return tuple(member for member in enum if member.value in present)


def join_list(items: Iterable[str], enum: Vocabulary) -> str:
    """Join ids with ``;`` in canonical order (dropping duplicates)."""
    if isinstance(enum, Terms):
        return enum.join(items)
    present = {str(i) for i in items}
    return lists.join(m.value for m in enum if m.value in present)


def unknown_in_list(text: object, enum: Vocabulary) -> list[str]:
    """The entries of a ``;``-list that are not ids of ``enum`` (for validation messages)."""
    if isinstance(enum, Terms):
        return enum.unknown(text)
    return [p for p in _items(text) if p not in enum._value2member_map_]


VOCABULARIES: dict[str, type[StrEnum]] = {
    "env_type": EnvType,
    "governance_level": Level,
    "services": Service,
    "status": Status,
    "actor_type": ActorType,
    "relation": Relation,
    "kind": PopulationKind,
    "location_precision": Precision,
}
"""Which column of the data files holds terms of which enum."""

ACTOR_LEVELS: tuple[Level, ...] = tuple(lv for lv in Level if lv is not Level.MIXED)
"""Levels an actor may carry (``mixed`` is for jointly steered environments only)."""

# ---------------------------------------------------------------------------------------------
# Interface texts: every label, legend title and sentence the app, maps and reports show.

TEXTS: Mapping[str, Label] = Texts()
"""Every interface text (the catalogs' messages without a context), key → label."""


def text(key: str, lang: Lang = "sv", **values: object) -> str:
    """An interface text in the given language, with ``{placeholders}`` filled in.

    >>> text("environments", "en")
    'Innovation environments'
    """
    template = TEXTS[key](lang)
    return template.format(**values) if values else template


def ntext(key: str, n: int, lang: Lang = "sv", **values: object) -> str:
    """A text about ``n`` things in its singular (``<key>_one``, when the catalogs have it and
    n is 1) or plural form (``key``); both languages have just these two forms.

    >>> ntext("ws_edits_n", 1, "en"), ntext("ws_edits_n", 2, "sv"), ntext("ws_edits_n", 0, "en")
    ('1 edit', '2 ändringar', '0 edits')
    """
    one = f"{key}_one"
    chosen = one if n == 1 and one in TEXTS else key
    return text(chosen, lang, n=n, **values)


# ---------------------------------------------------------------------------------------------
# Governance model terms (smartmap.analysis.governance, docs/governance.md): appended here, registered in
# LABELS and VOCABULARIES below so that ``label()`` knows them.


class NodeKind(StrEnum):
    """What a node of the governance network is: an actor, an environment, or both (same id)."""

    ACTOR = "actor"
    ENVIRONMENT = "environment"
    BOTH = "both"


class HostRule(StrEnum):
    """How an environment's host actor was found (docs/governance.md, "Host actors")."""

    HOSTS_LINK = "hosts_link"
    OWNS_LINK = "owns_link"
    NAME = "name"
    LEAD_NAME = "lead_name"


class ChainKind(StrEnum):
    """Whether a programme chain starts at the environment itself or at its host actor."""

    DIRECT = "direct"
    VIA_HOST = "via_host"


class Role(StrEnum):
    """Why a node is involved in a priority area or service (the governance matrix)."""

    ENVIRONMENT = "environment"
    HOST = "host"
    PROGRAMME = "programme"
    STEERING = "steering"


class GapKind(StrEnum):
    """A governance gap (docs/governance.md, "Gaps")."""

    SINGLE_LOCAL_LEVEL = "single_local_level"
    NO_PROGRAMME_CHAIN = "no_programme_chain"


class GapScope(StrEnum):
    """What a gap is about: a municipality, a priority area county-wide, or both."""

    MUNICIPALITY = "municipality"
    AREA = "area"
    MUNICIPALITY_AREA = "municipality_area"



VOCABULARIES.update({
    "node_kind": NodeKind,
    "host_rule": HostRule,
    "chain_kind": ChainKind,
    "role": Role,
    "gap": GapKind,
    "scope": GapScope,
})


# ---------------------------------------------------------------------------------------------
# Labels of the controlled terms, read from the translation catalogs (smartmap.core.i18n): the
# catalog context of an enum's terms is the enum's name in snake case (``Area`` -> ``area``).

TERM_ENUMS: tuple[type[StrEnum], ...] = (
    EnvType, Level, Service, Status, ActorType, Relation, Scope, PopulationKind,
    Precision, PopulationRule, NodeKind, HostRule, ChainKind, Role, GapKind, GapScope,
)
"""Every enum whose terms have a display label."""


def term_context(enum: type[StrEnum]) -> str:
    """The catalog context of an enum's labels.

    >>> term_context(PopulationRule)
    'population_rule'
    """
    return re.sub(r"(?<!^)(?=[A-Z])", "_", enum.__name__).lower()


LABELS = TermLabels()
LABELS.update([  # pairs, not a dict literal: Role.ENVIRONMENT == NodeKind.ENVIRONMENT as keys
    (member, Label.of(member.value, term_context(enum))) for enum in TERM_ENUMS for member in enum
])

ANY_LABEL = Label.of(ANY_AREA, "area")
