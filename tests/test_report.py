"""The action-plan report on the real data: valid, complete, offline, and the same numbers as
``smartmap metrics``; with a scenario, its deltas; in Swedish and in English; escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from smartmap.analysis import catalog, governance
from smartmap.cli import app
from smartmap.core import vocab
from smartmap.core.fmt import format_value
from smartmap.data.layers import load_territory
from smartmap.render.report import SECTION_IDS, build_report, municipality_report_columns

REGION = load_territory().region
AREAS, AREAS_AND_ANY = REGION.area_ids, REGION.areas_and_any
MUNICIPALITY_REPORT_COLUMNS = municipality_report_columns(REGION)

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "geodata" / "scenarios" / "close_sodertalje_science_park.json"
HOSTILE = ROOT / "tests" / "data" / "hostile"
runner = CliRunner()

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
# where a document could make the browser fetch something
FETCHING = {("img", "src"), ("img", "srcset"), ("script", "src"), ("link", "href"),
            ("iframe", "src"), ("frame", "src"), ("embed", "src"), ("object", "data"),
            ("source", "src"), ("source", "srcset"), ("video", "src"), ("video", "poster"),
            ("audio", "src"), ("track", "src"), ("input", "src"), ("image", "href"),
            ("use", "href"), ("form", "action")}


class Report(HTMLParser):
    """Parses the report and records what the checks need; ``errors`` lists structural faults."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.html = text
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []
        self.tags: list[tuple[str, dict[str, str], tuple[str, ...]]] = []
        self.style_text = ""
        self.scripts = 0
        self.sections: dict[str, str] = {}
        self.cells: list[dict[str, str]] = []
        self.doctype = False
        self._row: dict[str, str] = {}
        self._table = ""
        self._cell: dict[str, str] | None = None
        self._h2: str | None = None
        self.feed(text)
        self.close()
        if self.stack:
            self.errors.append(f"unclosed: {self.stack}")

    def handle_decl(self, decl):
        self.doctype = decl.lower() == "doctype html"

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        self.tags.append((tag, a, tuple(self.stack)))
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "script":
            self.scripts += 1
        if tag == "section":
            self._section = a.get("id", "")
        if tag == "h2" and "section" in self.stack:
            self._h2 = ""
        if tag == "table":
            self._table = a.get("id", "")
        if tag == "tr":
            self._row = a
        if tag == "td":
            self._cell = {"table": self._table, **{f"row:{k}": v for k, v in self._row.items()},
                          **a, "text": ""}
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> does not close {self.stack[-1:] or 'anything'}")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()
        if tag == "h2" and self._h2 is not None:
            self.sections[self._section] = self._h2.strip()
            self._h2 = None
        if tag == "td" and self._cell is not None:
            self.cells.append(self._cell)
            self._cell = None

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "style":
            self.style_text += data
        if self._h2 is not None:
            self._h2 += data
        if self._cell is not None:
            self._cell["text"] += data

    def table(self, table_id: str) -> list[dict[str, str]]:
        return [c for c in self.cells if c["table"] == table_id]


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("report")
    for args in (["report", "--out", str(d / "sv.html")],
                 ["report", "--out", str(d / "en.html"), "--lang", "en"],
                 ["report", "--out", str(d / "scenario.html"), "--scenario", str(SCENARIO)],
                 ["metrics", "--out", str(d / "metrics.csv"), "--tables", str(d / "tables")],
                 ["metrics", "--out", str(d / "metrics_s.csv"), "--scenario", str(SCENARIO),
                  "--tables", str(d / "tables_s")]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    return d


@pytest.fixture(scope="module")
def sv(out) -> Report:
    return Report((out / "sv.html").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def en(out) -> Report:
    return Report((out / "en.html").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def scen(out) -> Report:
    return Report((out / "scenario.html").read_text(encoding="utf-8"))


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _same(a: str, b: str) -> bool:
    if a == "" or b == "":
        return a == b
    if a in ("True", "False") or b in ("True", "False"):
        return a == b
    return float(a) == float(b)


# ---------------------------------------------------------------------------------------------
# structure


@pytest.mark.parametrize("name", ["sv", "en", "scen"])
def test_valid_html(name, request):
    doc: Report = request.getfixturevalue(name)
    assert doc.doctype
    assert not doc.errors, doc.errors[:5]
    assert len(doc.ids) == len(set(doc.ids)), "duplicate ids"
    html = [a for t, a, _ in doc.tags if t == "html"]
    assert html and html[0].get("lang") in ("sv", "en")
    assert sum(t == "title" for t, _, _ in doc.tags) == 1
    assert any(t == "meta" and a.get("charset") == "utf-8" for t, a, _ in doc.tags)
    for t, a, _ in doc.tags:
        if t == "img":
            assert a.get("alt"), "every image needs a text alternative"
            assert a["src"].startswith("data:image/png;base64,")
    anchors = {a["href"][1:] for t, a, _ in doc.tags if t == "a" and a.get("href", "").startswith("#")}
    assert anchors <= set(doc.ids), anchors - set(doc.ids)


def test_every_section_present(sv, scen):
    expected = [s for s in SECTION_IDS if s != "scenario"]
    assert list(sv.sections) == expected
    assert list(scen.sections) == list(SECTION_IDS)
    for sid in expected:
        assert sv.sections[sid] == vocab.text(f"rep_s_{sid}", "sv")
    areas = {a["data-area"] for t, a, _ in sv.tags if t == "article"}
    assert areas == set(AREAS)
    tables = {a.get("id") for t, a, _ in sv.tags if t == "table"}
    for needed in ("county-kpis", "radius-curve", "service-coverage", "service-levels",
                   "core-catchments", "municipality-metrics", "matrix-area", "matrix-service",
                   "area-summary", "governance-by-municipality", "chains", "gaps", "layers",
                   "attribution",
                   *(f"envs-{a}" for a in AREAS)):
        assert needed in tables, needed
    figures = [a for t, a, _ in sv.tags if t == "img"]
    assert len(figures) == 1 + 4 + 1  # radius curve, one map per area, the network


@pytest.mark.parametrize("name", ["sv", "en", "scen"])
def test_nothing_is_fetched(name, request, out):
    doc: Report = request.getfixturevalue(name)
    assert doc.scripts == 0
    assert "http" not in doc.style_text and "@import" not in doc.style_text
    assert "url(" not in doc.style_text
    for tag, attrs, stack in doc.tags:
        for key, value in attrs.items():
            low = value.strip().lower()
            if low.startswith("data:"):
                continue  # an embedded image: nothing is requested
            if (tag, key) in FETCHING or key in ("style", "src", "srcset", "poster", "data",
                                                  "background", "xlink:href"):
                assert not low.startswith(("http:", "https:", "//")), (tag, key, value)
                assert "url(" not in low or "http" not in low, (tag, key, value)
            if tag == "a" and key == "href" and low.startswith("http"):
                assert "section" in stack
                assert attrs.get("rel") == "noopener noreferrer"
            elif "http" in low:
                pytest.fail(f"http in <{tag} {key}={value!r}>")
    text = (out / "sv.html").read_text(encoding="utf-8")
    assert "<link" not in text and "<iframe" not in text


def test_web_links_only_in_the_sources_section(sv):
    links = [a for t, a, _ in sv.tags if t == "a" and a.get("href", "").startswith("http")]
    assert links, "the sources of the chains' links are listed"
    sources_start = next(i for i, (t, a, _) in enumerate(sv.tags)
                         if t == "section" and a.get("id") == "sources")
    for i, (t, a, _) in enumerate(sv.tags):
        if t == "a" and a.get("href", "").startswith("http"):
            assert i > sources_start


# ---------------------------------------------------------------------------------------------
# numbers


def _check_cells(cells, table: pd.DataFrame, key_attr: str, key_column: str, lang: str,
                 kinds: dict[str, str] | None = None) -> int:
    by_key = table.set_index(key_column)
    checked = 0
    for cell in cells:
        col = cell.get("data-col")
        key = cell.get(f"row:{key_attr}")
        if col is None or key is None or col not in by_key.columns:
            continue
        expected = by_key.at[key, col]
        assert _same(cell["data-value"], expected), (key, col, cell["data-value"], expected)
        kind = (kinds or {}).get(col) or catalog.metric_info(col, REGION).kind
        value = None if expected == "" else (
            int(float(expected)) if kind == "count" else float(expected))
        assert cell["text"] == format_value(value, kind, lang), (key, col, cell["text"])
        checked += 1
    return checked


def test_municipality_numbers_equal_the_metrics_table(sv, out, territory):
    metrics = _csv(out / "metrics.csv")
    cells = sv.table("municipality-metrics")
    n = _check_cells(cells, metrics, "data-kommun", "kommun_kod", "sv")
    assert n == 26 * len(MUNICIPALITY_REPORT_COLUMNS)
    pop = territory.municipalities.set_index("kommun_kod")["population"]
    for cell in cells:
        if cell.get("data-col") == "population":
            assert int(cell["data-value"]) == int(pop[cell["row:data-kommun"]])
    levels = metrics.set_index("kommun_kod")["levels_local"]
    shown = {c["row:data-kommun"]: c["text"] for c in cells if "data-col" not in c}
    assert shown  # the levels columns are there, as labels
    assert levels["0187"] == "sub_regional;municipal"  # Stockholm Nordost!, Stockholm Archipelago


def test_county_radius_services_cores_equal_the_metrics_tables(sv, out):
    kinds = {"n_env": "count", "cov": "share", "dist_km": "km", "herfindahl": "ratio",
             "n_white_spots": "count"}
    assert _check_cells(sv.table("county-kpis"), _csv(out / "tables" / "county.csv"),
                        "data-area", "area", "sv", kinds) == 5 * 5
    curve = _csv(out / "tables" / "radius_curve.csv")
    curve["radius_key"] = [repr(float(r)) for r in curve["radius_km"]]
    radius_cells = [c for c in sv.table("radius-curve") if c.get("data-col") != "radius_km"]
    assert _check_cells(radius_cells, curve, "data-radius", "radius_key", "sv",
                        {f"cov_{a}": "share" for a in AREAS_AND_ANY}) >= 5 * 7
    assert _check_cells(sv.table("service-coverage"), _csv(out / "tables" / "services.csv"),
                        "data-kommun", "kommun_kod", "sv",
                        {f"cov_{s}": "share" for s in vocab.values(vocab.Service)}) == 26 * 10
    lv = {c: "count" for c in (*vocab.values(vocab.Level), "n_env")} | {"cov_county": "share"}
    assert _check_cells(sv.table("service-levels"), _csv(out / "tables" / "service_levels.csv"),
                        "data-service", "service", "sv", lv) == 10 * 11
    cores = {"catchment_population": "count", "catchment_share": "share", "n_env": "count",
             **{f"n_env_{a}": "count" for a in AREAS}}
    core_table = _csv(out / "tables" / "cores.csv")
    assert _check_cells(sv.table("core-catchments"), core_table, "data-core", "core_id", "sv",
                        cores) == len(core_table) * 7


def test_governance_tables_match_the_model(sv, territory):
    gaps = governance.gaps(territory)
    rows = {(c["row:data-scope"], c["row:data-gap"]) for c in sv.table("gaps")}
    assert len([c for c in sv.table("gaps") if c.get("data-col") == "n_env"]) == len(gaps)
    assert rows == set(zip(gaps["scope"], gaps["gap"], strict=True))
    chains = sv.table("chains")
    texts = [c["text"] for c in chains]
    assert any("→ ERDF regional programme for Stockholm (regional) → Södertälje Science Park" in x
               for x in texts)
    counting = governance.counting_chains(territory)
    assert len({(c["row:data-env"]) for c in chains if c["row:data-status"] == "counts"}) == \
        counting["env_id"].nunique()
    matrix = governance.level_matrix(governance.involvement(territory), "area",
                                     region=territory.region)
    for c in sv.table("matrix-area"):
        if c.get("data-col") in matrix.columns:
            assert int(c["data-value"]) == matrix.at[c["row:data-key"], c["data-col"]]


# ---------------------------------------------------------------------------------------------
# scenario, languages, escaping


def test_scenario_report_has_the_scenarios_numbers_and_deltas(scen, out):
    metrics = _csv(out / "metrics_s.csv")
    assert _check_cells(scen.table("municipality-metrics"), metrics, "data-kommun", "kommun_kod",
                        "sv") == 26 * len(MUNICIPALITY_REPORT_COLUMNS)
    county = scen.table("scenario-county")
    assert county, "county deltas"
    ict = {c["data-col"]: c["data-value"] for c in county
           if c["row:data-area"] == "ict" and c["row:data-metric"] == "n_env" and "data-col" in c}
    assert float(ict["before_n_env"]) == 37 and float(ict["after_n_env"]) == 36
    assert float(ict["delta_n_env"]) == -1
    assert all(c["row:data-changed"] == "true" for c in county)
    assert scen.table("scenario-municipalities")
    edits = [a for t, a, _ in scen.tags if t == "ol" and a.get("class") == "edits"]
    assert edits


def test_scenario_share_changes_read_in_the_languages_percentage_points(scen, tmp_path):
    """A share's change is in percentage points as the catalogs write them (fmt_pp): 'p.e.' in
    Swedish, 'pp' in English, as everywhere else; not a fixed 'p.p.' in both."""
    result = runner.invoke(app, ["report", "--out", str(tmp_path / "en.html"), "--lang", "en",
                                 "--scenario", str(SCENARIO)])
    assert result.exit_code == 0, result.output
    en = Report((tmp_path / "en.html").read_text(encoding="utf-8"))
    for doc, unit in ((scen, vocab.text("fmt_pp", "sv")), (en, vocab.text("fmt_pp", "en"))):
        shares = [c["text"] for table in ("scenario-county", "scenario-municipalities")
                  for c in doc.table(table) if c.get("data-col", "").startswith("delta_cov")]
        assert shares and all(t.endswith(unit) for t in shares), (unit, shares[:3])
        assert "p.p." not in doc.html
    assert vocab.text("fmt_pp", "sv") == " p.e." and vocab.text("fmt_pp", "en") == " pp"


def test_both_languages(sv, en, out):
    assert [a["lang"] for t, a, _ in en.tags if t == "html"] == ["en"]
    for sid, title in en.sections.items():
        assert title == vocab.text(f"rep_s_{sid}", "en")
        assert title != vocab.text(f"rep_s_{sid}", "sv")
    en_text = (out / "en.html").read_text(encoding="utf-8")
    sv_text = (out / "sv.html").read_text(encoding="utf-8")
    assert vocab.text("rep_caveat_1", "en") in en_text
    assert vocab.text("rep_caveat_1", "sv") in sv_text
    # same numbers, formatted for each language
    sv_cov = {c["row:data-kommun"]: c for c in sv.table("municipality-metrics")
              if c.get("data-col") == "cov_any"}
    en_cov = {c["row:data-kommun"]: c for c in en.table("municipality-metrics")
              if c.get("data-col") == "cov_any"}
    assert {k: c["data-value"] for k, c in sv_cov.items()} == \
        {k: c["data-value"] for k, c in en_cov.items()}
    assert all("," in c["text"] and "." not in c["text"] for c in sv_cov.values())
    assert all("." in c["text"] for c in en_cov.values())


def test_every_text_comes_from_the_vocabulary():
    for key in vocab.TEXTS:
        if key.startswith("rep_"):
            label = vocab.TEXTS[key]
            assert label.sv and label.en, key
            assert sorted(re.findall(r"{(\w+)}", label.sv)) == \
                sorted(re.findall(r"{(\w+)}", label.en)), key


def test_hostile_data_is_escaped():
    hostile = load_territory("01", data_dir=HOSTILE)
    html = build_report(hostile, lang="en")
    doc = Report(html)
    assert not doc.errors, doc.errors[:5]
    assert doc.scripts == 0
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "onerror=alert" not in html.replace("&lt;img src=x onerror=alert(4)&gt;", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Lab" in html
    assert "javascript:" not in html


def test_tiny_territory_report_builds(tiny):
    doc = Report(build_report(tiny))
    assert not doc.errors
    assert list(doc.sections) == [s for s in SECTION_IDS if s != "scenario"]


def test_cli_refuses_a_bad_scenario(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "smartmap-scenario", "schema_version": 1, "name": "x", '
                   '"edits": [{"kind": "close", "id": "no-such-env"}]}', encoding="utf-8")
    result = runner.invoke(app, ["report", "--out", str(tmp_path / "r.html"), "--scenario",
                                 str(bad)])
    assert result.exit_code == 1
    assert "error:" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "r.html").exists()


# ---------------------------------------------------------------------------------------------
# the coarse-population caveat (one rule: analysis.rules.is_coarse_population)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_coarse_population_is_said_next_to_coverage(out, territory, lang):
    from smartmap.analysis import rules
    from smartmap.data.population import located_population, population_model

    doc = Report((out / f"{lang}.html").read_text(encoding="utf-8"))
    html = (out / f"{lang}.html").read_text(encoding="utf-8")
    located = located_population(population_model(territory).report).set_index("kommun_kod")
    coarse = set(located.index[rules.is_coarse_population(located["located_share"])])
    assert len(coarse) == 16 and "0180" in coarse and "0127" not in coarse
    mark = vocab.text("rep_coarse_mark", lang)
    for table_id in ("municipality-metrics", "service-coverage"):
        names: dict[str, str] = {}
        for cell in doc.table(table_id):  # the first cell of each row is the name
            names.setdefault(cell["row:data-kommun"], cell["text"])
        assert len(names) == 26
        assert {k for k, v in names.items() if v.endswith(f" {mark}")} == coarse, table_id
    cells = {c["row:data-kommun"]: c for c in doc.table("municipality-metrics")
             if c.get("data-col") == "located_share"}
    assert len(cells) == 26
    for code, cell in cells.items():
        assert float(cell["data-value"]) == located.at[code, "located_share"]
        assert cell["text"] == format_value(located.at[code, "located_share"], "share", lang)
    stockholm = format_value(located.at["0180", "located_share"], "share", lang)
    assert stockholm == ("86,8 %" if lang == "sv" else "86.8 %")
    note = vocab.text("rep_coarse_note", lang, pct=format_value(0.95, "share", lang),
                      names="")
    assert html.count(f'data-note="coarse-population">{note[:40]}') == 2
    assert f"Stockholm ({stockholm})" in html and "Botkyrka (" not in html


def test_scenario_deltas_carry_the_mark_and_the_note(out, scen):
    html = (out / "scenario.html").read_text(encoding="utf-8")
    assert html.count('data-note="coarse-population"') == 3
    names = [c["text"] for c in scen.table("scenario-municipalities") if "data-col" not in c
             and c["text"].startswith("Södertälje")]
    assert names and all(n == "Södertälje †" for n in names)  # 80.1 % located


# ---------------------------------------------------------------------------------------------
# smart priorities across territorial levels


def test_priorities_section_has_the_summary_matrix_alignment_and_assessment(en, territory):
    from smartmap.analysis import alignment as al

    assert "priorities" in en.sections
    summary = en.table("priority-summary")
    assert len({c["row:data-area"] for c in summary}) == len(territory.region.area_ids)
    matrix = en.table("territorial-matrix")
    levels = {c["row:data-level"] for c in matrix}
    assert levels == set(al.LEVEL_ORDER)
    sub = [c["text"] for c in matrix if c["row:data-level"] == "sub_regional"]
    assert any("Stated by: Södertörnssamarbetet" in x for x in sub)
    cells = en.table("alignment")
    table = al.alignment(territory)
    assert len({c["row:data-territory"] for c in cells}) == table["territory_id"].nunique()
    got = {(c["row:data-territory"], c["data-area"]): c["data-status"] for c in cells
           if "data-status" in c}
    assert got == dict(zip(zip(table["territory_id"], table["area"], strict=True),
                           table["status"], strict=True))
    html = en.html
    assert "Climate and environment for sustainable urban development: stated by Haninge but " \
           "most residents have no support within 10 km." in html
    assert "Sources of the stated priorities" in html
    assert "docplayer.se (a third-party copy" in html


def test_the_assessment_of_a_scenario_appears_in_the_report(territory):
    from smartmap.analysis import assessment as ass
    from smartmap.analysis import scenario as S

    note = ass.Note("ict", "municipal", "improvement", "Kista & <partners> need a road map")
    sc = S.Scenario("with notes").with_assessment(
        ass.Assessment((note,), ("stated:ict:regional",)))
    html = build_report(territory, lang="en", scenario=sc, baseline=territory)
    assert "Kista &amp; &lt;partners&gt; need a road map" in html
    assert "ICT, tech and digitalisation: stated by Region Stockholm" not in html
    plain = build_report(territory, lang="en")
    assert "ICT, tech and digitalisation: stated by Region Stockholm" in plain


def test_nearest_core_is_named_with_its_class(sv, en):
    """Places are named by their class: Norrtälje's nearest core is an outer regional urban core."""
    for doc, cls in ((sv, "yttre regional stadskärna"), (en, "outer regional urban core")):
        cells = [c["text"].strip() for c in doc.table("municipality-metrics")]
        assert f"Arlanda-Märsta ({cls})" in cells, cells[:40]
