"""The municipality profile: its numbers are the metrics table's, its sentences plain."""

import pytest

from smartmap.analysis import catalog
from smartmap.analysis.metrics import compute_metrics
from smartmap.analysis.params import MetricParams
from smartmap.analysis.profile import municipality_profile
from smartmap.core.fmt import format_value


@pytest.fixture(scope="module")
def result(territory):
    return compute_metrics(territory, MetricParams())


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_profile_numbers_equal_metrics_table(territory, result, lang):
    p = municipality_profile(territory, result, "0181", lang)
    row = result.municipalities.set_index("kommun_kod").loc["0181"]
    values = dict(zip(p.comparison.iloc[:, 0], p.comparison.iloc[:, 1], strict=True))
    for column in ("n_env", "cov_any", "cov_climate_urban", "dist_km_ict"):
        info = catalog.metric_info(column, territory.region)
        assert values[info.title(lang, 10)] == format_value(row[column], info.kind, lang)
    assert p.kommun == "Södertälje"
    assert len(p.environments) == row["n_env"]


def test_norrtalje_white_spot_sentence(territory, result):
    p = municipality_profile(territory, result, "0188", "en")
    assert "Norrtälje: no life-science support within 10 km for 100.0 % of residents" in " ".join(p.sentences)
    sv = municipality_profile(territory, result, "0188", "sv")
    assert "Norrtälje: inget stöd för life science inom 10 km för 100,0 % av invånarna" in " ".join(sv.sentences)


def test_niche_flagged_with_its_basis(territory, result):
    p = municipality_profile(territory, result, "0181", "en")
    niche = [s for s in p.sentences if s.startswith("Niche:")]
    assert niche and "Industrial transition" in niche[0] and "on 4 environments" in niche[0]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_profile_niche_sentences_equal_the_priorities_table(territory, result, lang):
    """One niche rule: the profile names exactly the pairs the priorities table flags."""

    prefix = "Nisch:" if lang == "sv" else "Niche:"
    said: set[tuple[str, str]] = set()
    for code in result.municipalities["kommun_kod"]:
        sentences = municipality_profile(territory, result, code, lang).sentences
        for area in territory.region.area_ids:
            name = territory.region.areas.label(area, lang)
            if any(s.startswith(prefix) and name in s for s in sentences):
                said.add((code, area))
    pr = result.priorities
    flagged = set(zip(pr.loc[pr["niche"], "kommun_kod"], pr.loc[pr["niche"], "area"], strict=True))
    assert flagged and said == flagged
    # the drift that was: Upplands Väsby, climate, LQ 2.63 on one environment is not a niche
    row = pr[(pr["kommun_kod"] == "0114") & (pr["area"] == "climate_urban")].iloc[0]
    assert row["n_env_area"] == 1 and row["lq"] > 1.5 and not row["niche"]
    assert ("0114", "climate_urban") not in said


def test_unknown_code_is_refused(territory, result):
    with pytest.raises(KeyError):
        municipality_profile(territory, result, "0999")


@pytest.mark.parametrize("lang, share, rest, county", [("sv", "86,8 %", "131 250", "85,3 %"),
                                                       ("en", "86.8 %", "131,250", "85.3 %")])
def test_coarse_population_caveat_next_to_coverage(territory, result, lang, share, rest, county):
    """Stockholm: 131,250 of 995,574 residents on one rest point, so its coverage is coarse."""
    p = municipality_profile(territory, result, "0180", lang)
    caveat = [i for i, s in enumerate(p.sentences) if s.startswith(("Förbehåll:", "Caveat:"))]
    assert len(caveat) == 1
    sentence = p.sentences[caveat[0]]
    threshold = "95,0 %" if lang == "sv" else "95.0 %"
    assert share in sentence and rest in sentence and threshold in sentence
    # right after the coverage sentences (one per area and any)
    assert caveat[0] == 1 + len(territory.region.areas_and_any)
    rows = p.comparison.set_index(p.comparison.columns[0])
    label = "Invånare på lokaliserade punkter" if lang == "sv" else "Residents on located points"
    assert rows.loc[label].tolist() == [share, county]
    titles = list(rows.index)
    cov_any = catalog.metric_info("cov_any", territory.region).title(lang, 10)
    assert titles.index(label) == titles.index(cov_any) + 1


@pytest.mark.parametrize("code", ["0127", "0123", "0114"])  # 98.5 %, 100 %, 96.3 %
def test_no_caveat_at_or_above_the_threshold(territory, result, code):
    p = municipality_profile(territory, result, code, "en")
    assert not any(s.startswith("Caveat:") for s in p.sentences)


def test_no_caveat_without_a_population_model(territory):
    """Metrics on a caller-given point layer carry no model report: nothing to qualify."""
    from smartmap.data.population import population_model

    given = compute_metrics(territory, MetricParams(),
                            population=population_model(territory).points)
    p = municipality_profile(territory, given, "0180", "en")
    assert not any(s.startswith("Caveat:") for s in p.sentences)
    assert "Residents on located points" not in set(p.comparison.iloc[:, 0])


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_norrtalje_places_are_named_by_their_class(territory, result, lang):
    """Norrtälje hosts a strategic location and rural nodes, not regional urban cores; its nearest
    regional urban core (Arlanda-Märsta) is named with its own class."""
    sentences = municipality_profile(territory, result, "0188", lang).sentences
    cores = territory.urban_cores.set_index("core_id")
    classes = territory.region.core_classes
    in_norrtalje = cores[cores["kommun_koder"].str.split(";").map(lambda c: "0188" in c)]
    for cls, group in in_norrtalje.groupby("core_class"):
        line = [s for s in sentences if s.startswith(f"{classes.label(cls, lang)} ")]
        assert len(line) == 1, (cls, sentences)
        for place in group["name"]:
            assert place in line[0]
    assert set(in_norrtalje["core_class"]) == {"strategic_location", "rural_node"}
    # no sentence calls Norrtälje's places regional urban cores
    core_word = {"sv": "Regionala stadskärnor i", "en": "Regional urban cores in"}[lang]
    assert not any(s.startswith(core_word) for s in sentences)
    nearest = [s for s in sentences if "Arlanda-Märsta" in s]
    outer = classes.label("outer_core", lang).lower()
    assert len(nearest) == 1 and f"Arlanda-Märsta ({outer}, " in nearest[0]
    expected = {"sv": "Landsbygdsnod i Norrtälje: ", "en": "Rural node in Norrtälje: "}[lang]
    assert any(s.startswith(expected) and "Rimbo" in s and "Hallstavik" in s for s in sentences)
