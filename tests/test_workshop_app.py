"""AppTest of the workshop page: edits update the deltas, undo/redo, separate sessions, save and
load, refused files, share links; the baseline never changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from smartmap.analysis import scenario as S
from smartmap.data.layers import load_territory
from tests.test_app import APP, folium_args

PAGE = "smartmap/app/pages/workshop_page.py"
SCENARIOS = Path(__file__).resolve().parents[1] / "geodata" / "scenarios"


def open_workshop(lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(PAGE)
    at.session_state["sm_lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


CHANGE_COLUMNS = ["Municipality", "Before", "After", "Change"]


def top_table(at: AppTest):
    """The table of the municipalities that changed most (None when nothing changed)."""
    if any("No municipality changed" in i.value for i in at.info):
        return None
    return next(d.value for d in at.table if list(d.value.columns) == CHANGE_COLUMNS)


def edits_table(at: AppTest):
    return next(d.value for d in at.dataframe if "#" in d.value.columns)


def numbers(at: AppTest) -> dict[str, object]:
    """What a facilitator reads: the county KPIs and every table (changes, county by area)."""
    kpis = {m.label: (m.value, m.delta) for m in at.metric}
    tables = [d.value.to_dict("list") for d in [*at.table, *at.dataframe]]
    return {"kpis": kpis, "tables": tables}


def kpi(at: AppTest, start: str) -> tuple[str, str]:
    (m,) = [m for m in at.metric if m.label.startswith(start)]
    return m.value, m.delta


def button(at: AppTest, label: str):
    (b,) = [b for b in at.button if b.label == label]
    return b


def add_testbed(at: AppTest, name: str = "Test bed Norrtälje", lat: float = 59.80,
                lon: float = 18.60) -> AppTest:
    at.text_input(key="ws_add_name").input(name)
    at.number_input(key="ws_add_lat").set_value(lat)
    at.number_input(key="ws_add_lon").set_value(lon)
    at.multiselect(key="ws_add_areas").set_value(["industrial_transition"])
    at.multiselect(key="ws_add_services").set_value(["testbed_access"])
    button(at, "Add to the scenario").click()
    return run(at)


def workshop(at: AppTest):
    return at.session_state["sm_ws"]


@pytest.fixture(scope="module")
def baseline_digest() -> str:
    return load_territory().digest()


def test_page_runs_with_local_assets_and_a_change_map():
    at = open_workshop()
    assert at.title[0].value == "Scenario workshop"
    (args,) = folium_args(at)
    assert all(u.startswith("/app/static/vendor/") for u in args["js_links"] + args["css_links"])
    fg = args["feature_group"]
    assert fg.count('"kommun_kod"') == 26 and "sm-delta" in fg
    assert args["returned_objects"] == ["last_clicked"]
    assert kpi(at, "Environments counted") == ("78", "±0")
    sv = open_workshop("sv")
    assert sv.title[0].value == "Scenarioverkstad" and kpi(sv, "Miljöer som räknas")[1] == "±0"


def test_an_edit_updates_the_deltas_and_the_map(baseline_digest):
    at = open_workshop()
    at.selectbox(key="ws_metric").set_value("cov_industrial_transition")
    run(at)
    assert any("No municipality changed" in i.value for i in at.info)
    add_testbed(at)
    assert any("was added" in s.value for s in at.success)
    # the county figures follow the metric's area: industrial transition
    assert any(c.value.startswith("The county, Industrial transition") for c in at.caption)
    assert kpi(at, "Environments counted")[1] == "+1"
    assert kpi(at, "Residents within 10 km")[1].startswith("+")
    top = top_table(at)
    assert top.iloc[0]["Municipality"] == "Norrtälje (0188)"
    assert top.iloc[0]["Before"] == "0.0 %" and top.iloc[0]["Change"].startswith("+")
    (args,) = folium_args(at)
    assert args["feature_group"].count("sm-edited") == 1  # the new marker, ringed
    assert load_territory().digest() == baseline_digest


def test_undo_and_redo(baseline_digest):
    at = open_workshop()
    assert button(at, "Undo").disabled and button(at, "Redo").disabled
    add_testbed(at)
    at.number_input(key="ws_radius").set_value(15.0)
    run(at)
    assert workshop(at).scenario.parameters.radius_km == 15
    assert kpi(at, "Residents within 15 km")[1].startswith("+")
    button(at, "Undo").click()
    run(at)
    assert at.number_input(key="ws_radius").value == 10.0  # the widget follows the undo
    assert kpi(at, "Environments counted") == ("79", "+1")
    button(at, "Undo").click()
    run(at)
    assert kpi(at, "Environments counted") == ("78", "±0") and button(at, "Undo").disabled
    button(at, "Redo").click()
    run(at)
    assert kpi(at, "Environments counted") == ("79", "+1")
    button(at, "Redo").click()
    run(at)
    assert at.number_input(key="ws_radius").value == 15.0 and button(at, "Redo").disabled
    assert load_territory().digest() == baseline_digest


def test_close_reopen_move_retag_from_the_list():
    at = open_workshop()
    at.selectbox(key="ws_pick").set_value("kth-innovation")
    run(at)
    button(at, "Close it").click()
    run(at)
    assert workshop(at).scenario.edits == (S.CloseEnvironment(id="kth-innovation"),)
    assert kpi(at, "Environments counted") == ("77", "-1")
    button(at, "Open (active)").click()
    run(at)
    at.selectbox(key="ws_pick").set_value("openlab")
    run(at)
    at.number_input(key="ws_move_lat").set_value(59.2)
    at.number_input(key="ws_move_lon").set_value(17.6)
    button(at, "Move here").click()
    run(at)
    at.multiselect(key="ws_retag_areas").set_value(["ict"])
    button(at, "Save areas and services").click()
    run(at)
    kinds = [e.kind for e in workshop(at).scenario.edits]
    assert kinds == ["close", "reopen", "move", "retag"]
    table = edits_table(at)
    assert list(table["#"]) == [1, 2, 3, 4] and table.iloc[2]["Environment"] == "Openlab (openlab)"
    # a move outside the county is refused and changes nothing
    at.number_input(key="ws_move_lat").set_value(57.7)
    at.number_input(key="ws_move_lon").set_value(11.97)
    button(at, "Move here").click()
    run(at)
    assert any("outside the county" in e.value for e in at.error)
    assert len(workshop(at).scenario.edits) == 4


def test_two_sessions_do_not_see_each_others_scenarios(baseline_digest):
    one, two = open_workshop(), open_workshop()
    add_testbed(one)
    button(one, "New").click()
    run(one)
    assert workshop(one).names == ("Scenario 1", "Scenario 2")
    run(two)
    assert workshop(two).names == ("Scenario 1",) and workshop(two).scenario.edits == ()
    assert kpi(two, "Environments counted") == ("78", "±0")
    assert load_territory().digest() == baseline_digest


def test_save_then_load_gives_the_same_numbers(tmp_path):
    at = open_workshop()
    at.selectbox(key="ws_metric").set_value("cov_industrial_transition")
    add_testbed(at)
    at.selectbox(key="ws_pick").set_value("sodertalje-science-park")
    run(at)
    button(at, "Close it").click()
    run(at)
    saved = S.dumps(workshop(at).scenario)  # what the download button hands out
    before = numbers(at)
    other = open_workshop()
    other.selectbox(key="ws_metric").set_value("cov_industrial_transition")
    run(other)
    other.file_uploader(key="ws_upload").set_value(("mine.json", saved.encode(), "application/json"))
    run(other)
    assert any("was opened as the scenario" in s.value for s in other.success)
    assert workshop(other).scenario == S.loads(saved)
    assert numbers(other) == before


def test_compare_two_scenarios():
    at = open_workshop()
    add_testbed(at)
    button(at, "New").click()
    run(at)
    at.number_input(key="ws_radius").set_value(20.0)
    run(at)
    at.selectbox(key="ws_compare").set_value("Scenario 1")
    run(at)
    assert "Scenario 1 → Scenario 2" in " ".join(c.value for c in at.caption)
    value, delta = kpi(at, "Residents within 20 km")
    assert delta.startswith("-")  # by default both at 20 km: Scenario 2 lacks the test bed
    at.selectbox(key="ws_effect").set_value("both")
    run(at)
    value, delta = kpi(at, "Residents within 20 km")
    assert delta.startswith("+")  # with the radius too: 20 km against Scenario 1's 10 km
    assert any("edits and parameters together (R = 10 km → R = 20 km)" in c.value
               for c in at.caption)
    # the other one is still there, unchanged
    assert len(workshop(at).get("Scenario 1").edits) == 1


BAD_FILES = [
    ("broken.json", b'{"schema_version": 1, "name": "x", "edits": [', "truncated JSON"),
    ("v9.json", b'{"schema_version": 9, "name": "x"}', "schema version 9 is newer"),
    ("kind.json", b'{"schema_version": 1, "name": "x", "edits": [{"kind": "teleport"}]}',
     "unknown edit kind"),
    ("missing.json", b'{"schema_version": 1, "name": "x", "edits": [{"kind": "close", "id": "nope"}]}',
     "edit 1 (close 'nope'): no environment has the id"),
    ("outside.json", json.dumps({"schema_version": 1, "name": "x", "edits": [
        {"kind": "add", "name": "Gbg", "env_type": "testbed", "lat": 57.7, "lon": 11.97}]}).encode(),
     "outside the county"),
    ("big.json", json.dumps({"schema_version": 1, "name": "x",
                             "description": "a" * (5 * 1024 * 1024)}).encode(), "larger than"),
    ("hostile.json", b'{"schema_version": 1, "name": "x", "edits": [{"kind": "close", '
                     b'"id": "![i](http://example.org/x.png) <b>"}]}', "no environment has the id"),
]


@pytest.mark.parametrize("name, content, message", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_refused_file_changes_nothing_and_says_why(name, content, message, baseline_digest):
    at = open_workshop()
    add_testbed(at)
    state_before, numbers_before = workshop(at), numbers(at)
    at.file_uploader(key="ws_upload").set_value((name, content, "application/json"))
    run(at)
    errors = [e.value for e in at.error]
    plain = [e.replace("\\", "") for e in errors]  # data text is markdown-escaped on the page
    assert any(message in e and name in e for e in plain), errors
    assert workshop(at) is state_before and numbers(at) == numbers_before
    if name == "hostile.json":  # the data text reaches the page as text, not markup
        assert any("\\!\\[i\\]" in e for e in errors)
    assert load_territory().digest() == baseline_digest


def test_a_share_link_opens_the_scenario_with_the_same_numbers():
    at = open_workshop()
    at.selectbox(key="ws_metric").set_value("cov_industrial_transition")
    add_testbed(at)
    at.number_input(key="ws_radius").set_value(12.5)
    run(at)
    assert not [c for c in at.code if "?scenario=" in c.value]  # made only when shown
    at.session_state["ws_tabs"] = "Save, open, share"
    run(at)
    code = [c.value for c in at.code if "?scenario=" in c.value]
    token = code[0].rsplit("?scenario=", 1)[1]
    assert S.from_share_token(token) == workshop(at).scenario
    assert len(at.image) == 1  # its QR code
    fresh = AppTest.from_file(APP, default_timeout=60)
    fresh.session_state["sm_lang"] = "en"
    fresh.query_params["scenario"] = token
    run(fresh)  # opened at the app's root: the link leads to the workshop
    assert any("opened from the link" in s.value for s in fresh.success)
    fresh.selectbox(key="ws_metric").set_value("cov_industrial_transition")
    run(fresh)
    assert workshop(fresh).scenario == workshop(at).scenario
    assert numbers(fresh) == numbers(at)
    assert "scenario" not in fresh.query_params  # taken in once: a reload does not add it again


def test_a_reload_keeps_every_scenario_the_language_and_typed_text():
    at = open_workshop()
    add_testbed(at)
    button(at, "New").click()
    run(at)
    at.number_input(key="ws_radius").set_value(15.0)
    run(at)
    at.text_input(key="ws_author").input("Anna Facilitator")  # typed, not yet saved
    run(at)
    token = at.query_params["ws"]
    kept = workshop(at)
    reloaded = AppTest.from_file(APP, default_timeout=60)  # a new session: what F5 starts
    reloaded.query_params["ws"] = token
    run(reloaded)
    reloaded.switch_page(PAGE)
    run(reloaded)
    assert workshop(reloaded) == kept and len(kept.names) == 2
    assert reloaded.session_state["sm_lang"] == "en" and reloaded.title[0].value == "Scenario workshop"
    assert reloaded.number_input(key="ws_radius").value == 15.0
    assert reloaded.text_input(key="ws_author").value == "Anna Facilitator"
    assert reloaded.query_params["ws"] == token
    gone = AppTest.from_file(APP, default_timeout=60)
    gone.query_params["ws"] = "x" * 22  # a token the server does not keep
    run(gone)
    assert any("no longer kept" in i.value or "finns inte längre" in i.value for i in gone.info)
    assert gone.query_params["ws"] != "x" * 22


def test_a_damaged_share_link_is_refused_and_nothing_changes():
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["sm_lang"] = "en"
    at.query_params["scenario"] = "not*a*token"
    run(at)
    assert any("could not be opened" in e.value for e in at.error)
    assert workshop(at).pristine


def test_shipped_example_opens_like_a_file():
    at = open_workshop()
    content = (SCENARIOS / "norrtalje_testbed.json").read_bytes()
    at.file_uploader(key="ws_upload").set_value(("norrtalje_testbed.json", content,
                                                 "application/json"))
    run(at)
    assert workshop(at).names == ("Testbädd i Norrtälje",)  # took the empty scenario's place
    assert kpi(at, "Environments counted") == ("79", "+1")


def test_switching_language_keeps_the_choices_and_the_parameters():
    at = open_workshop("sv")
    at.selectbox(key="ws_metric").set_value("cov_ict")
    at.multiselect(key="ws_cores").set_value(["central_core"])
    run(at)
    params = workshop(at).scenario.parameters
    at.radio(key="sm_lang").set_value("en")
    run(at)
    assert not at.error, [e.value for e in at.error]
    assert workshop(at).scenario.parameters == params  # nothing re-read from Swedish labels
    assert at.selectbox(key="ws_metric").value == "cov_ict"
    assert at.multiselect(key="ws_cores").value == ["central_core"]
    assert at.title[0].value == "Scenario workshop"


def test_the_workshop_starts_from_the_shipped_data_even_after_an_upload():
    at = AppTest.from_file(APP, default_timeout=60)
    run(at)
    at.switch_page("smartmap/app/pages/data_page.py")
    run(at)
    good = (Path(__file__).resolve().parent / "data" / "io" / "envs_excel_sv.csv").read_bytes()
    at.file_uploader(key="sm_upload").set_value(("envs_excel_sv.csv", good, "text/csv"))
    run(at)
    at.radio(key="data_mode").set_value("replace")
    run(at)
    at.switch_page(PAGE)
    at.session_state["sm_lang"] = "en"
    run(at)
    assert any("always starts from the shipped data" in i.value for i in at.info)
    assert kpi(at, "Environments counted") == ("78", "±0")


HOSTILE = Path(__file__).resolve().parent / "data" / "hostile" / "inputs"


def hostile_token(name: str) -> str:
    """A share token carrying a hostile scenario file as its JSON (what a crafted link holds)."""
    import base64
    import zlib

    raw = (HOSTILE / name).read_bytes() if name else b'{"name": "' + b" " * 600_000 + b'"}'
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode("ascii").rstrip("=")


HOSTILE_LINKS = [  # (file, reason in English, reason in Swedish)
    ("scenario_deep.json", "JSON nested 10001 levels deep",       # was a RecursionError
     "JSON nästlad 10001 nivåer djupt"),
    ("scenario_huge_lat.json", "lat must be a number a float can hold",  # was an OverflowError
     "lat måste vara ett tal som ryms i ett flyttal"),
    ("scenario_huge_radius.json", "radius_km must be a finite number from 0.1 to 100 km",
     "radius_km måste vara ett ändligt tal från 0.1 till 100 km"),
    ("scenario_bidi_name.json", "bidirectional control U+202E",
     "styrtecknet för textriktning U+202E"),
    ("", "unpacks to more than 256 KiB", "packas upp till mer än 256 KiB"),  # a huge JSON
]


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("name, reason_en, reason_sv", HOSTILE_LINKS,
                         ids=[n or "bomb" for n, _, _ in HOSTILE_LINKS])
def test_a_hostile_share_link_gives_a_short_message_and_the_default_workshop(name, reason_en,
                                                                            reason_sv, lang):
    from smartmap.core import vocab

    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["sm_lang"] = lang
    at.query_params["scenario"] = hostile_token(name)
    run(at)  # no exception: no traceback reaches the page
    (error,) = [e.value for e in at.error]
    prefix = vocab.text("ws_link_refused", lang, msg="")  # the catalog's sentence, sv or en
    reason = reason_sv if lang == "sv" else reason_en  # the reason too is in the user's language
    assert error.startswith(prefix) and reason in error.replace("\\", ""), error
    assert len(error) < 300 and "\u202e" not in error
    assert workshop(at).pristine and workshop(at).names == (vocab.text("ws_default_name", lang, n=1),)
    assert "scenario" not in at.query_params  # the refused link is not kept in the address


def test_radius_widget_takes_its_range_from_the_limits():
    from smartmap.core.limits import RADIUS_KM_MAX, RADIUS_KM_MIN

    at = open_workshop()
    widget = at.number_input(key="ws_radius")
    assert (widget.proto.min, widget.proto.max) == (RADIUS_KM_MIN, RADIUS_KM_MAX)
    widget.set_value(RADIUS_KM_MIN)
    run(at)
    assert workshop(at).scenario.parameters.radius_km == RADIUS_KM_MIN
    # the stakeholder map's slider moves in whole km inside the same range
    first = run(AppTest.from_file(APP, default_timeout=60))  # the map is the first page
    (slider,) = first.slider
    assert slider.proto.min >= RADIUS_KM_MIN and slider.proto.max <= RADIUS_KM_MAX


    assert kpi(at, "Environments counted") == ("78", "±0")


def _assessment_lines(at: AppTest):
    return next(d.value for d in at.table if "Origin" in d.value.columns)


def test_the_assessment_follows_the_edits_and_is_saved_with_the_scenario():
    at = open_workshop()
    assert not any("Origin" in d.value.columns for d in at.table)  # computed only when shown
    at.session_state["ws_tabs"] = "Assessment"
    run(at)
    text = " | ".join(_assessment_lines(at)["Text"])
    unsupported = ("Climate and environment for sustainable urban development: stated by Haninge "
                   "but most residents have no support within 10 km.")
    assert unsupported in text
    # a climate test bed in Handen (Haninge) makes Haninge's stated priority supported
    at.text_input(key="ws_add_name").input("Climate lab Handen")
    at.number_input(key="ws_add_lat").set_value(59.168)
    at.number_input(key="ws_add_lon").set_value(18.138)
    at.multiselect(key="ws_add_areas").set_value(["climate_urban"])
    at.multiselect(key="ws_add_services").set_value(["testbed_access"])
    button(at, "Add to the scenario").click()
    run(at)
    after = " | ".join(_assessment_lines(at)["Text"])
    assert unsupported not in after
    assert "Climate and environment for sustainable urban development: stated and supported in " \
           "Haninge, Stockholm." in after
    # the facilitator takes a computed line out and writes a note, then saves
    sc = workshop(at).scenario
    from smartmap.app.views import assessment as AV

    key = AV.version(sc)
    at.session_state[f"ws_ass_computed_{key}"] = {"edited_rows": {0: {"Keep": False}},
                                                  "added_rows": [], "deleted_rows": []}
    at.session_state[f"ws_ass_notes_{key}"] = {
        "edited_rows": {}, "deleted_rows": [],
        "added_rows": [{"Area": "ICT, tech and digitalisation", "Level": "Municipal",
                        "Kind": "Strength", "Text": "Kista keeps its tech focus"}]}
    button(at, "Save the assessment").click()
    run(at)
    assert any("The assessment was saved" in s.value for s in at.success)
    saved = workshop(at).scenario.assessment
    assert saved.notes == (S.assessment_mod.Note("ict", "municipal", "strength",
                                                 "Kista keeps its tech focus"),)
    assert len(saved.hidden) == 1
    shown = _assessment_lines(at)
    assert "Kista keeps its tech focus" in set(shown["Text"])
    assert list(shown["Origin"]).count("own") == 1
    # the file the download button hands out carries it; undo takes the save back
    assert json.loads(S.dumps(workshop(at).scenario))["assessment"]["notes"][0]["area"] == "ict"
    button(at, "Undo").click()
    run(at)
    assert workshop(at).scenario.assessment.is_empty
