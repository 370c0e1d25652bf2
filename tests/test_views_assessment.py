"""The assessment editor's view-model (smartmap.app.views.assessment), without streamlit."""

from __future__ import annotations

import pandas as pd
import pytest

from smartmap.analysis import assessment as A
from smartmap.analysis import scenario as S
from smartmap.analysis.workshop import Evaluator
from smartmap.app.views import assessment as AV


@pytest.fixture(scope="module")
def ev(territory):
    return Evaluator(territory)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_round_trip_through_the_editors(ev, territory, lang):
    sc = S.Scenario("x")
    computed = ev.assessment_computed(sc, lang)
    frame = AV.computed_frame(computed, sc.assessment, territory, lang)
    cols = AV.columns(lang)
    assert frame[cols["keep"]].all() and len(frame) == len(computed)
    notes = AV.notes_frame(sc.assessment, territory, lang)
    assert notes.empty and list(notes.columns) == [cols[k] for k in ("area", "level", "kind",
                                                                     "text")]
    opts = AV.options(territory, lang)
    state = {"edited_rows": {2: {cols["keep"]: False}}}
    added = {"added_rows": [{cols["area"]: opts["area"][1], cols["level"]: opts["level"][4],
                             cols["kind"]: opts["kind"][1], cols["text"]: " Kista "},
                            {cols["area"]: opts["area"][0], cols["level"]: opts["level"][2],
                             cols["kind"]: opts["kind"][0], cols["text"]: ""}]}
    value = AV.assessment_from(AV.edited(frame, state), AV.edited(notes, added), territory, lang)
    assert value.hidden == (computed[2].key,)
    assert value.notes == (A.Note("life_science", "municipal", "improvement", "Kista"),)
    shown = AV.lines_table(A.lines(computed, value), territory, lang)
    assert len(shown) == len(computed) and shown.iloc[-1, 3] == "Kista"
    back = AV.notes_frame(value, territory, lang)
    assert back.iloc[0, 0] == opts["area"][1]


def test_a_bad_note_is_refused_with_its_row(territory):
    cols = AV.columns("en")
    notes = pd.DataFrame({cols["area"]: ["The whole map"], cols["level"]: ["Municipal"],
                          cols["kind"]: ["Strength"], cols["text"]: ["x" * 1001]})
    computed = AV.computed_frame([], A.Assessment(), territory, "en")
    with pytest.raises(A.AssessmentError, match="note 1: the text has 1001 characters"):
        AV.assessment_from(computed, notes, territory, "en")


def test_version_changes_with_the_scenario():
    a = S.Scenario("x", created="t")
    b = a.with_edit(S.CloseEnvironment(id="kth-innovation"))
    c = a.with_assessment(A.Assessment(hidden=("k",)))
    assert len({AV.version(a), AV.version(b), AV.version(c)}) == 3
    assert AV.version(a) == AV.version(S.Scenario("y", created="u"))


def test_report_download_carries_the_assessment(ev):
    note = A.Note("", "regional", "strength", "A shared road map exists")
    sc = S.Scenario("Ass").with_assessment(A.Assessment((note,)))
    d = AV.report_download(ev, sc, "en")
    assert d.file_name == "smartmap_report_ass_en.html"
    assert "A shared road map exists" in d.data().decode("utf-8")


def test_a_refused_assessment_is_said_in_the_readers_language():
    """A scenario file's bad note is named in Swedish on a Swedish page, in English on the CLI."""
    from smartmap.analysis import assessment as A
    from smartmap.core.problemtext import error_text

    with pytest.raises(A.AssessmentError) as bad:
        A.from_dict({"notes": [{"area": "", "level": "county", "kind": "strength", "text": "x"}]})
    assert str(bad.value).startswith("note 1: unknown level 'county'; expected one of")
    assert error_text(bad.value, "sv").startswith("anteckning 1: okänd nivå 'county'")
    with pytest.raises(A.AssessmentError) as empty:
        A.note("", "regional", "strength", "   ")
    assert error_text(empty.value, "sv") == "anteckning: texten är tom"
