"""The workshop's assessment editor: strengths and areas for improvement per area and level.

The computed lines (pre-filled from the alignment rules for the scenario's territory) are shown
with a "keep" box; the facilitator's notes are an editable table (area, level, kind, text). Both
tables are plain DataFrames here; :func:`assessment_from` turns what the two editors hold back
into an :class:`~smartmap.analysis.assessment.Assessment` (refusing a bad note with its row), so
the page only draws widgets.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import TypeAlias, TypedDict

import pandas as pd

from smartmap.analysis import assessment as A
from smartmap.analysis import scenario as S
from smartmap.analysis.workshop import Evaluator
from smartmap.app.views.common import Download, translator
from smartmap.core import vocab
from smartmap.core.problemtext import phrase
from smartmap.core.vocab import AssessmentKind, TerritorialLevel
from smartmap.data.layers import Territory
from smartmap.render import report

KEY = "_key"
"""The hidden column holding a computed line's key."""

Cell: TypeAlias = str | int | float | bool | None
"""A cell's value in the assessment's editors (a text, a box or a choice: no list columns)."""


class EditorState(TypedDict, total=False):
    """What a data editor holds (Streamlit's ``DataEditorState``: a view does not import
    Streamlit): the edited cells by row position and column, the added rows, the deleted rows."""

    edited_rows: Mapping[int | str, Mapping[str, Cell]]
    added_rows: Sequence[Mapping[str, Cell]]
    deleted_rows: Sequence[int]


def _area_labels(territory: Territory, lang: vocab.Lang) -> dict[str, str]:
    return {A.GENERAL: vocab.text("ws_ass_whole_map", lang),
            **{a: territory.region.areas.label(a, lang) for a in territory.region.area_ids}}


def _level_labels(lang: vocab.Lang) -> dict[str, str]:
    return {lv.value: vocab.label(lv, lang) for lv in TerritorialLevel}


def _kind_labels(lang: vocab.Lang) -> dict[str, str]:
    return {k.value: vocab.label(k, lang) for k in AssessmentKind}


def columns(lang: vocab.Lang) -> dict[str, str]:
    """Column ids -> headers of the two editors."""
    t = translator(lang)
    return {"keep": t("ws_ass_keep"), "area": t("pri_col_area"), "level": t("pri_col_level"),
            "kind": t("ws_ass_kind"), "text": t("ws_ass_text")}


def options(territory: Territory, lang: vocab.Lang) -> dict[str, list[str]]:
    """The labels a note's area, level and kind may take (the editor's select boxes)."""
    return {"area": list(_area_labels(territory, lang).values()),
            "level": list(_level_labels(lang).values()),
            "kind": list(_kind_labels(lang).values())}


def computed_frame(computed: list[A.Line], assessment: A.Assessment, territory: Territory,
                   lang: vocab.Lang) -> pd.DataFrame:
    """The computed lines with a keep box (false for the lines taken out)."""
    c = columns(lang)
    hidden = set(assessment.hidden)
    areas, levels, kinds = _area_labels(territory, lang), _level_labels(lang), _kind_labels(lang)
    return pd.DataFrame({
        c["keep"]: [ln.key not in hidden for ln in computed],
        c["area"]: [areas.get(ln.area, ln.area) for ln in computed],
        c["level"]: [levels[ln.level] for ln in computed],
        c["kind"]: [kinds[ln.kind] for ln in computed],
        c["text"]: [ln.text for ln in computed],
        KEY: [ln.key for ln in computed],
    })


def notes_frame(assessment: A.Assessment, territory: Territory, lang: vocab.Lang) -> pd.DataFrame:
    """The facilitator's notes as an editable table."""
    c = columns(lang)
    areas, levels, kinds = _area_labels(territory, lang), _level_labels(lang), _kind_labels(lang)
    notes = assessment.notes
    return pd.DataFrame({
        c["area"]: pd.Series([areas.get(n.area, n.area) for n in notes], dtype="object"),
        c["level"]: pd.Series([levels[n.level] for n in notes], dtype="object"),
        c["kind"]: pd.Series([kinds[n.kind] for n in notes], dtype="object"),
        c["text"]: pd.Series([n.text for n in notes], dtype="object"),
    })


def edited(base: pd.DataFrame, state: EditorState | None) -> pd.DataFrame:
    """A table as a data editor holds it: ``base`` with the editor's state applied (its edited,
    added and deleted rows), so a callback sees edits not yet drawn.

    >>> base = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    >>> edited(base, {"edited_rows": {"1": {"b": "z"}}, "added_rows": [{"a": 3}],
    ...               "deleted_rows": [0]}).values.tolist()
    [[2, 'z'], [3, None]]
    """
    if not state:
        return base.reset_index(drop=True)
    out = base.reset_index(drop=True).astype("object").copy()
    for row, change in (state.get("edited_rows") or {}).items():
        for column, value in change.items():
            if column in out.columns:
                out.at[int(row), column] = value
    added = [{c: r.get(c) for c in out.columns} for r in (state.get("added_rows") or [])]
    deleted = {int(r) for r in (state.get("deleted_rows") or [])}
    out = out.drop(index=[r for r in deleted if r in out.index])
    if added:
        out = pd.concat([out, pd.DataFrame(added, columns=out.columns, dtype="object")],
                        ignore_index=True)
    return out.reset_index(drop=True)


def assessment_from(computed: pd.DataFrame, notes: pd.DataFrame, territory: Territory,
                    lang: vocab.Lang) -> A.Assessment:
    """The assessment the two editors hold: the keys of the unticked computed lines, and every
    note with some text (an empty row is dropped). A note with an unknown label or an overlong
    text is refused (:class:`~smartmap.analysis.assessment.AssessmentError` naming its row)."""
    c = columns(lang)
    back = {label: key for key, label in _area_labels(territory, lang).items()}
    levels = {label: key for key, label in _level_labels(lang).items()}
    kinds = {label: key for key, label in _kind_labels(lang).items()}
    hidden = tuple(str(k) for k, keep in zip(computed[KEY], computed[c["keep"]], strict=True)
                   if not bool(keep))
    out = []
    rows = notes[[c["area"], c["level"], c["kind"], c["text"]]].to_numpy(dtype=object)
    for i, (area, level, kind, text) in enumerate(rows, start=1):
        if text is None or (isinstance(text, float) and text != text) or not str(text).strip():
            continue
        level_id = levels.get(str(level), "" if level is None else str(level))
        kind_id = kinds.get(str(kind), "" if kind is None else str(kind))
        area_id = back.get(str(area), A.GENERAL if area is None else str(area))
        out.append(A.note(area_id, level_id or TerritorialLevel.REGIONAL.value,
                          kind_id or AssessmentKind.STRENGTH.value, str(text),
                          phrase("as_note", n=i)))
    if len(out) > A.MAX_NOTES:
        raise A.AssessmentError(phrase("as_view_too_many", max=A.MAX_NOTES))
    return A.check(A.Assessment(tuple(out), hidden), territory.region)


def lines_table(lines: list[A.Line], territory: Territory, lang: vocab.Lang) -> pd.DataFrame:
    """The assessment as shown (and reported): area, level, kind, text, origin."""
    t = translator(lang)
    c = columns(lang)
    areas, levels, kinds = _area_labels(territory, lang), _level_labels(lang), _kind_labels(lang)
    return pd.DataFrame({
        c["area"]: [areas.get(ln.area, ln.area) for ln in lines],
        c["level"]: [levels[ln.level] for ln in lines],
        c["kind"]: [kinds[ln.kind] for ln in lines],
        c["text"]: [ln.text for ln in lines],
        t("ws_ass_origin"): [t("ws_ass_computed") if ln.computed else t("ws_ass_note")
                             for ln in lines],
    })


def version(scenario: S.Scenario) -> str:
    """A short key that changes whenever what the editors start from changes (the scenario's
    edits, parameters or assessment), so an editor never applies old edits to new rows."""
    text = repr((scenario.edits, scenario.parameters, scenario.assessment))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def report_download(ev: Evaluator, scenario: S.Scenario, lang: vocab.Lang) -> Download:
    """The action-plan report of the scenario, with its assessment, built on click."""
    return Download(
        "ws_ass_report", vocab.text("ws_ass_report", lang),
        lambda: report.build_report(ev.territory(scenario), scenario.parameters, lang,
                                    scenario=scenario, baseline=ev.baseline).encode("utf-8"),
        f"smartmap_report_{S.file_name(scenario)[:-5]}_{lang}.html", "text/html")
