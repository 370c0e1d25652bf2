"""The one vocabulary of smartmap: every controlled term, with Swedish and English labels.

Nothing else in the code base spells these values out; data files, schemas, metrics, maps and the
UI all refer to the enums below. Ids are the lower-case strings used in the data files.

>>> Area.LIFE_SCIENCE.value
'life_science'
>>> label(Area.ICT, "en")
'ICT, tech and digitalisation'
>>> parse_list("ict;life_science", Area)
(<Area.LIFE_SCIENCE: 'life_science'>, <Area.ICT: 'ict'>)
>>> join_list(["ict", "life_science"], Area)
'life_science;ict'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, TypeVar

Lang = Literal["sv", "en"]
LANGS: tuple[Lang, ...] = ("sv", "en")
LIST_SEPARATOR = ";"


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


class Area(StrEnum):
    """The four S3 priority areas of Region Stockholm."""

    LIFE_SCIENCE = "life_science"
    ICT = "ict"
    INDUSTRIAL_TRANSITION = "industrial_transition"
    CLIMATE_URBAN = "climate_urban"


ANY_AREA = "any"
"""Pseudo-area used in metric names (``dist_km_any``): every counted environment."""


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


class CoreClass(StrEnum):
    """RUFS 2050 class of a regional urban core."""

    CENTRAL_CORE = "central_core"
    OUTER_CORE = "outer_core"
    STRATEGIC_LOCATION = "strategic_location"
    OTHER = "other"


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


class PopulationRule(StrEnum):
    """How the population model weighted a point (see :mod:`smartmap.population`)."""

    AS_GIVEN = "as_given"
    SCALED_DOWN = "scaled_down"
    REMAINDER_SHARED = "remainder_shared"
    REST_POINT = "rest_point"
    NO_USABLE_POINT = "no_usable_point"
    NO_POPULATION = "no_population"


@dataclass(frozen=True)
class Label:
    """A term's display name in both languages."""

    sv: str
    en: str

    def __call__(self, lang: Lang = "sv") -> str:
        return self.sv if lang == "sv" else self.en


LABELS: dict[StrEnum, Label] = {
    EnvType.SCIENCE_PARK: Label("Science park", "Science park"),
    EnvType.INCUBATOR: Label("Inkubator", "Incubator"),
    EnvType.ACCELERATOR: Label("Accelerator", "Accelerator"),
    EnvType.TESTBED: Label("Testbädd", "Test bed"),
    EnvType.CLUSTER: Label("Kluster", "Cluster"),
    EnvType.COLLABORATION_PLATFORM: Label("Samverkansplattform", "Collaboration platform"),
    EnvType.INNOVATION_OFFICE: Label("Innovationskontor", "Innovation office"),
    EnvType.RESEARCH_INSTITUTE: Label("Forskningsinstitut", "Research institute"),
    EnvType.BUSINESS_SUPPORT: Label("Företagsstöd", "Business support"),
    EnvType.COWORKING_HUB: Label("Coworking-hubb", "Coworking hub"),
    Area.LIFE_SCIENCE: Label("Life science, vård och hälsa", "Life science, health and care"),
    Area.ICT: Label("IKT, tech och digitalisering", "ICT, tech and digitalisation"),
    Area.INDUSTRIAL_TRANSITION: Label(
        "Industriell omställning genom hållbar produktion",
        "Industrial transition through sustainable production",
    ),
    Area.CLIMATE_URBAN: Label(
        "Klimat- och miljösatsningar för hållbar stadsutveckling",
        "Climate and environment for sustainable urban development",
    ),
    Level.EU: Label("EU", "EU"),
    Level.NATIONAL: Label("Nationell", "National"),
    Level.REGIONAL: Label("Regional", "Regional"),
    Level.SUB_REGIONAL: Label("Delregional", "Sub-regional"),
    Level.MUNICIPAL: Label("Kommunal", "Municipal"),
    Level.ACADEMIC: Label("Akademisk", "Academic"),
    Level.PRIVATE: Label("Privat", "Private"),
    Level.CIVIL_SOCIETY: Label("Civilsamhälle", "Civil society"),
    Level.MIXED: Label("Blandad (flera nivåer)", "Mixed (several levels)"),
    Service.INCUBATION: Label("Inkubation", "Incubation"),
    Service.ACCELERATION: Label("Acceleration", "Acceleration"),
    Service.TESTBED_ACCESS: Label("Tillgång till testbädd", "Test-bed access"),
    Service.LAB_ACCESS: Label("Tillgång till labb", "Lab access"),
    Service.FINANCING: Label("Finansiering", "Financing"),
    Service.ADVISORY: Label("Rådgivning", "Advisory"),
    Service.MATCHMAKING: Label("Matchmaking", "Matchmaking"),
    Service.COWORKING: Label("Coworking", "Coworking"),
    Service.EDUCATION: Label("Utbildning", "Education"),
    Service.INTERNATIONALISATION: Label("Internationalisering", "Internationalisation"),
    Status.ACTIVE: Label("Aktiv", "Active"),
    Status.PLANNED: Label("Planerad", "Planned"),
    Status.CLOSED: Label("Nedlagd", "Closed"),
    CoreClass.CENTRAL_CORE: Label("Centrala regionkärnan", "Central regional core"),
    CoreClass.OUTER_CORE: Label("Yttre regional stadskärna", "Outer regional urban core"),
    CoreClass.STRATEGIC_LOCATION: Label("Strategiskt läge", "Strategic location"),
    CoreClass.OTHER: Label("Övrig nod", "Other node"),
    ActorType.AUTHORITY: Label("Myndighet/förvaltning", "Authority"),
    ActorType.AGENCY: Label("Myndighet/organ", "Agency"),
    ActorType.FUNDER: Label("Finansiär", "Funder"),
    ActorType.PROGRAMME: Label("Program", "Programme"),
    ActorType.PROJECT: Label("Projekt", "Project"),
    ActorType.UNIVERSITY: Label("Lärosäte", "University"),
    ActorType.COMPANY: Label("Bolag", "Company"),
    ActorType.ASSOCIATION: Label("Förening", "Association"),
    ActorType.NETWORK: Label("Nätverk", "Network"),
    Relation.FUNDS: Label("finansierar", "funds"),
    Relation.COORDINATES: Label("samordnar", "coordinates"),
    Relation.OWNS: Label("äger", "owns"),
    Relation.HOSTS: Label("är värd för", "hosts"),
    Relation.MEMBER_OF: Label("är medlem i", "is member of"),
    Relation.PARTNER_OF: Label("är partner i", "is partner of"),
    Relation.REPORTS_TO: Label("rapporterar till", "reports to"),
    Scope.EU: Label("EU", "EU"),
    Scope.NATIONAL: Label("Hela Sverige", "All of Sweden"),
    Scope.COUNTY: Label("Hela länet", "The whole county"),
    PopulationKind.DISTRICT: Label("Stadsdel/kommundel", "District"),
    PopulationKind.TATORT: Label("Tätort", "Urban area (tätort)"),
    PopulationKind.LOCALITY: Label("Ort/restområde", "Locality"),
    PopulationRule.AS_GIVEN: Label("Befolkning enligt källan", "Population as given"),
    PopulationRule.SCALED_DOWN: Label(
        "Nedskalad (punkterna summerade till mer än kommunen)",
        "Scaled down (the points summed to more than the municipality)",
    ),
    PopulationRule.REMAINDER_SHARED: Label(
        "Andel av resten (punkt utan befolkningstal)",
        "Share of the remainder (point without a population figure)",
    ),
    PopulationRule.REST_POINT: Label("Övriga kommunen", "Rest of the municipality"),
    PopulationRule.NO_USABLE_POINT: Label(
        "Hela kommunen (ingen användbar punkt)", "Whole municipality (no usable point)"
    ),
    PopulationRule.NO_POPULATION: Label(
        "Kommunens befolkning saknas (vikt 0)", "Municipal population missing (weight 0)"
    ),
}

ANY_LABEL = Label("Alla områden", "Any area")

E = TypeVar("E", bound=StrEnum)


def label(term: StrEnum | str, lang: Lang = "sv") -> str:
    """Display name of a controlled term (or ``"any"``) in the given language."""
    if isinstance(term, str) and not isinstance(term, StrEnum):
        if term == ANY_AREA:
            return ANY_LABEL(lang)
        for enum in VOCABULARIES.values():
            if term in enum._value2member_map_:
                return LABELS[enum(term)](lang)
        raise KeyError(f"unknown term {term!r}")
    return LABELS[term](lang)


def values(enum: type[StrEnum]) -> tuple[str, ...]:
    """The ids of an enum, in their defined (canonical) order."""
    return tuple(member.value for member in enum)


def parse_list(text: str | None, enum: type[E]) -> tuple[E, ...]:
    """Parse a ``;``-separated list of ids into enum members in canonical order.

    Raises ``ValueError`` naming the unknown ids; empty or missing text gives ``()``.
    """
    if text is None or (isinstance(text, float) and text != text):
        return ()
    parts = [p.strip() for p in str(text).split(LIST_SEPARATOR)]
    parts = [p for p in parts if p]
    unknown = [p for p in parts if p not in enum._value2member_map_]
    if unknown:
        raise ValueError(f"unknown {enum.__name__} value(s): {', '.join(unknown)}")
    present = set(parts)
    return tuple(member for member in enum if member.value in present)


def join_list(items: Iterable[str], enum: type[StrEnum]) -> str:
    """Join ids with ``;`` in canonical enum order (dropping duplicates)."""
    present = {str(i) for i in items}
    return LIST_SEPARATOR.join(m.value for m in enum if m.value in present)


def unknown_in_list(text: str | None, enum: type[StrEnum]) -> list[str]:
    """The entries of a ``;``-list that are not ids of ``enum`` (for validation messages)."""
    if text is None or (isinstance(text, float) and text != text):
        return []
    return [
        p.strip()
        for p in str(text).split(LIST_SEPARATOR)
        if p.strip() and p.strip() not in enum._value2member_map_
    ]


VOCABULARIES: dict[str, type[StrEnum]] = {
    "env_type": EnvType,
    "priority_areas": Area,
    "governance_level": Level,
    "services": Service,
    "status": Status,
    "core_class": CoreClass,
    "actor_type": ActorType,
    "relation": Relation,
    "kind": PopulationKind,
}
"""Which column of the data files holds terms of which enum."""

ACTOR_LEVELS: tuple[Level, ...] = tuple(lv for lv in Level if lv is not Level.MIXED)
"""Levels an actor may carry (``mixed`` is for jointly steered environments only)."""

AREAS_AND_ANY: tuple[str, ...] = (*values(Area), ANY_AREA)
"""Area ids plus ``any``: the suffixes of the distance and coverage metrics."""
