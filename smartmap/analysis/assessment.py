"""The assessment of the smart territorial map: strengths and areas for improvement per priority
area and territorial level (docs/alignment.md, "The assessment").

Two kinds of lines:

- **computed lines**, pre-filled from the alignment rules (:mod:`smartmap.analysis.alignment`,
  :mod:`smartmap.analysis.rules`) and the governance gaps, e.g. "Life science: stated by Region
  Stockholm, Stockholm and Solna; supported in 12 of 26 municipalities". They are recomputed for
  whatever territory is shown (the baseline or a scenario), so a scenario edit updates them. Each
  has a stable ``key`` (rule, area, level);
- the facilitator's **notes**: lines written or rewritten in the workshop.

An :class:`Assessment` is what a facilitator changes: the notes, and the keys of the computed lines
they took out. It travels inside the scenario file (``"assessment"``), so it is saved, opened
and shared with the workshop's files, and it is a plain value (immutable, hashable).

>>> a = Assessment(notes=(Note("ict", "municipal", "strength", "Kista"),), hidden=("x:ict:regional",))
>>> from_dict(to_dict(a)) == a
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from smartmap.analysis import alignment as al
from smartmap.analysis import governance
from smartmap.analysis.frames import row_at
from smartmap.analysis.params import MetricParams
from smartmap.core import lists, vocab
from smartmap.core.errors import Phrase
from smartmap.core.limits import MAX_ASSESSMENT_NOTES, MAX_NOTE_CHARS
from smartmap.core.problemtext import KeyedError, phrase
from smartmap.core.region import Region
from smartmap.core.vocab import AlignmentStatus, AssessmentKind, TerritorialLevel
from smartmap.data import safety
from smartmap.data.layers import Territory

MAX_NOTES = MAX_ASSESSMENT_NOTES
"""Notes one assessment may hold (``core.limits``)."""
MAX_TEXT = MAX_NOTE_CHARS
"""Characters one note may hold (``core.limits``)."""
GENERAL = ""
"""The area of a note about no single area (the whole map)."""
LINE_COLUMNS: tuple[str, ...] = ("key", "area", "level", "kind", "text", "computed")


class AssessmentError(KeyedError, ValueError):
    """An assessment (or one of its notes) was refused; the message names the note (a catalog
    text, keys ``as_*``: ``str()`` English, ``problemtext.error_text`` in a language)."""


@dataclass(frozen=True)
class Note:
    """A facilitator's line: an area (``""`` for the whole map), a level, a kind, the text."""

    area: str
    level: str
    kind: str
    text: str


@dataclass(frozen=True)
class Line:
    """A line as shown: computed (with its rule's key) or a facilitator's note (key ``""``)."""

    key: str
    area: str
    level: str
    kind: str
    text: str
    computed: bool


@dataclass(frozen=True)
class Assessment:
    """What a facilitator made of the assessment: notes, and the computed lines taken out."""

    notes: tuple[Note, ...] = ()
    hidden: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """No notes and nothing taken out."""
        return not self.notes and not self.hidden


# ---------------------------------------------------------------------------------------------
# files


def to_dict(assessment: Assessment) -> dict[str, Any]:
    """The JSON-ready form (the ``"assessment"`` member of a scenario file)."""
    return {"notes": [{"area": n.area, "level": n.level, "kind": n.kind, "text": n.text}
                      for n in assessment.notes],
            "hidden": list(assessment.hidden)}


def note(area: object, level: object, kind: object, text: object,
         where: str | Phrase | None = None) -> Note:
    """A checked note: known level and kind, text of at most :data:`MAX_TEXT` characters.

    >>> note("ict", "municipal", "strength", "  Kista  ").text
    'Kista'
    >>> note("ict", "county", "strength", "x")
    Traceback (most recent call last):
    ...
    smartmap.analysis.assessment.AssessmentError: note: unknown level 'county'; expected one of eu, national, regional, sub_regional, municipal, urban_core
    """
    where = phrase("as_note_plain") if where is None else where
    for name, value in (("area", area), ("level", level), ("kind", kind), ("text", text)):
        if not isinstance(value, str):
            raise AssessmentError(phrase("as_not_text", where=where, name=name,
                                         value=safety.preview(value)))
    assert isinstance(area, str) and isinstance(level, str) and isinstance(kind, str)
    assert isinstance(text, str)
    if level not in vocab.values(TerritorialLevel):
        raise AssessmentError(phrase("as_unknown_level", where=where, level=repr(level),
                                     allowed=", ".join(vocab.values(TerritorialLevel))))
    if kind not in vocab.values(AssessmentKind):
        raise AssessmentError(phrase("as_unknown_kind", where=where, kind=repr(kind),
                                     allowed=", ".join(vocab.values(AssessmentKind))))
    clean = text.strip()
    if not clean:
        raise AssessmentError(phrase("as_text_empty", where=where))
    if len(clean) > MAX_TEXT:
        raise AssessmentError(phrase("as_text_too_long", where=where, n=len(clean),
                                     max=MAX_TEXT))
    return Note(area.strip(), level, kind, clean)


def from_dict(data: object) -> Assessment:
    """An assessment from its JSON form; refuses anything malformed, naming the note."""
    if data is None:
        return Assessment()
    if not isinstance(data, dict):
        raise AssessmentError(phrase("as_not_object"))
    extra = set(data) - {"notes", "hidden"}
    if extra:
        raise AssessmentError(phrase("as_unknown_fields", fields=", ".join(sorted(extra))))
    notes = data.get("notes", [])
    hidden = data.get("hidden", [])
    if not isinstance(notes, list) or not isinstance(hidden, list):
        raise AssessmentError(phrase("as_not_lists"))
    if len(notes) > MAX_NOTES:
        raise AssessmentError(phrase("as_too_many_notes", n=len(notes), max=MAX_NOTES))
    out = []
    for i, n in enumerate(notes, start=1):
        if not isinstance(n, dict):
            raise AssessmentError(phrase("as_note_not_object", where=phrase("as_note", n=i)))
        unknown = set(n) - {"area", "level", "kind", "text"}
        if unknown:
            raise AssessmentError(phrase("as_note_unknown_fields", where=phrase("as_note", n=i),
                                         fields=", ".join(sorted(unknown))))
        out.append(note(n.get("area", ""), n.get("level"), n.get("kind"), n.get("text"),
                        phrase("as_note", n=i)))
    if not all(isinstance(h, str) and len(h) <= 200 for h in hidden) or len(hidden) > 1000:
        raise AssessmentError(phrase("as_hidden_not_keys"))
    return Assessment(tuple(out), tuple(dict.fromkeys(hidden)))


def check(assessment: Assessment, region: Region) -> Assessment:
    """The assessment, if every note's area is one of the region's (or the whole map)."""
    for i, n in enumerate(assessment.notes, start=1):
        if n.area != GENERAL and n.area not in region.areas:
            raise AssessmentError(phrase("as_unknown_area", where=phrase("as_note", n=i),
                                         area=repr(n.area), allowed=", ".join(region.area_ids)))
    return assessment


# ---------------------------------------------------------------------------------------------
# computed lines


def _names(ids: list[str], names: dict[str, str]) -> str:
    return ", ".join(governance.short_name(names.get(i, i)) for i in ids)


def computed_lines(territory: Territory, params: MetricParams | None = None,
                   table: pd.DataFrame | None = None, lang: vocab.Lang = "sv") -> list[Line]:
    """The lines the rules pre-fill, per area in the region's order (docs/alignment.md lists
    every rule): who states the area and where it is supported; where it is stated and
    supported; stated without support; a regional priority without local anchoring; the
    development collaborations that state nothing of it; supported but not stated; duplicated
    funding; whether its environments reach regional, national or EU programmes."""
    params = params or MetricParams()
    if table is None:
        table = al.alignment(territory, params)
    t = vocab.text
    region = territory.region
    model = governance.governance_model(territory)
    node_names = model.names()
    names = dict(zip(table["territory_id"], table["name"], strict=True))
    names[region.county] = (node_names[region.actor] if region.actor in node_names
                            else region.name(lang))
    summary = al.county_summary(territory, table).set_index("area")
    chains = governance.counting_chains(territory, params)
    n_muni = len(territory.municipalities)
    radius = f"{params.radius_km:g}".replace(".", "," if lang == "sv" else ".")
    out: list[Line] = []
    order = list(al.LEVEL_ORDER)

    def add(rule: str, area: str, level: str, kind: AssessmentKind, text: str) -> None:
        out.append(Line(f"{rule}:{area}:{level}", area, level, kind.value, text, True))

    for area in region.area_ids:
        label = region.areas.label(area, lang)
        cells = table[table["area"] == area]
        row = row_at(summary, area)
        stating = cells[cells["stated"]]
        stating = stating.iloc[sorted(range(len(stating)),
                                      key=lambda i: order.index(stating["level"].iloc[i]))]
        who = _names(list(stating["territory_id"]), names)
        if who:
            add("stated", area, TerritorialLevel.REGIONAL.value, AssessmentKind.STRENGTH,
                t("ass_stated", lang, area=label, who=who, n=int(row["n_supported"]), m=n_muni))
        for level in order:
            here = cells[cells["level"] == level]
            aligned = list(here.loc[here["status"] == AlignmentStatus.ALIGNED.value,
                                    "territory_id"])
            if aligned and level != TerritorialLevel.REGIONAL.value:
                add("aligned", area, level, AssessmentKind.STRENGTH,
                    t("ass_aligned", lang, area=label, where=_names(aligned, names)))
            lonely = list(here.loc[here["status"] == AlignmentStatus.STATED_UNSUPPORTED.value,
                                   "territory_id"])
            if lonely:
                add("stated_unsupported", area, level, AssessmentKind.IMPROVEMENT,
                    t("ass_stated_unsupported", lang, area=label, where=_names(lonely, names),
                      r=radius))
        if bool(row["unanchored"]):
            add("unanchored", area, TerritorialLevel.MUNICIPAL.value, AssessmentKind.IMPROVEMENT,
                t("ass_unanchored", lang, area=label))
        quiet = lists.split(row["no_statement_collaborations"])
        if quiet:
            add("no_statement", area, TerritorialLevel.SUB_REGIONAL.value,
                AssessmentKind.IMPROVEMENT,
                t("ass_no_statement", lang, area=label, where=_names(quiet, names)))
        unstated = lists.split(row["supported_not_stated"])
        if unstated:
            add("supported_not_stated", area, TerritorialLevel.MUNICIPAL.value,
                AssessmentKind.IMPROVEMENT,
                t("ass_supported_not_stated", lang, area=label, n=len(unstated),
                  where=_names(unstated, names)))
        dup = cells[cells["duplicated"]]
        for level in order:
            ids = list(dup.loc[dup["level"] == level, "territory_id"])
            if ids:
                add("duplicated", area, level, AssessmentKind.IMPROVEMENT,
                    t("ass_duplicated", lang, area=label, where=_names(ids, names)))
        mine = chains.loc[lists.contains(chains["areas"], area)]
        if len(mine):
            programmes: list[str] = []
            for text in mine["programmes"]:
                programmes += [p for p in lists.split(text) if p not in programmes]
            add("chains", area, TerritorialLevel.REGIONAL.value, AssessmentKind.STRENGTH,
                t("ass_chains", lang, area=label, n=mine["env_id"].nunique(),
                  programmes=_names(programmes, node_names)))
        elif int(cells.loc[cells["level"] == TerritorialLevel.REGIONAL.value, "n_env"].sum()):
            add("no_chain", area, TerritorialLevel.REGIONAL.value, AssessmentKind.IMPROVEMENT,
                t("ass_no_chain", lang, area=label))
    return out


def lines(computed: list[Line], assessment: Assessment) -> list[Line]:
    """What the assessment shows: the computed lines not taken out, then the notes."""
    hidden = set(assessment.hidden)
    return [ln for ln in computed if ln.key not in hidden] + [
        Line("", n.area, n.level, n.kind, n.text, False) for n in assessment.notes]


def lines_frame(items: list[Line]) -> pd.DataFrame:
    """Lines as a table (:data:`LINE_COLUMNS`)."""
    return pd.DataFrame([(ln.key, ln.area, ln.level, ln.kind, ln.text, ln.computed)
                         for ln in items], columns=list(LINE_COLUMNS))
