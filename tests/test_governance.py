"""The governance model: nodes, links, host actors, chains, levels, involvement and gaps.

The synthetic network below is small enough to check by hand; every expected value in these tests
was worked out on paper from the rows in ``network()`` (docs/governance.md states the rules).
"""

from __future__ import annotations

import pandas as pd
import pytest

from smartmap.analysis import governance as g
from smartmap.analysis.metrics import municipality_metrics
from smartmap.analysis.params import MetricParams
from smartmap.core import lists, vocab
from smartmap.data import schemas
from smartmap.data.layers import LAYERS, load_territory
from tests import synthetic as syn

A, B, C = "0101", "0102", "0103"


def _env(id, kommun, x, y, *, areas="", level="private", host="", status="active",
         services="advisory"):
    row = syn.environment(id, kommun, x, y, areas=areas, level=level, status=status,
                          services=services)
    row["host_organisation"] = host
    return row


def _actor(id, name, level, actor_type, territory, country="SE"):
    return {"actor_id": id, "name": name, "level": level, "actor_type": actor_type,
            "territory": territory, "country": country}


def _links(rows):
    spec = LAYERS["links"]
    text = pd.DataFrame([dict(zip(("from_actor_id", "to_actor_id", "relation", "source_url"),
                                  (*r, "")[:4], strict=True))
                         for r in rows], dtype="str")
    return schemas.to_typed(text, spec.fields)


def network():
    """Three municipalities Aby (A), Bby (B), Cby (C); a fund, a programme, a project and hosts.

    Chains (read upwards) follow a relation of the environment itself: park is a partner in
    project-x (funded by reg-prog, funded by eu-fund); proj (a closed project) is funded by
    reg-prog. lab is hosted by uni, which is partner in project-x and in proj: the host's own
    partnerships are no chain of lab. hub is hosted by the municipality of Cby, whose partnership
    in a network (net) is no programme either; lone is hosted by reg (a hosts link), which is no
    programme and funded by nobody.
    """
    munis = [
        {"kommun_kod": A, "kommun": "Aby", "population": 1000, "population_year": 2024,
         "geometry": syn.square(0, 0, 20)},
        {"kommun_kod": B, "kommun": "Bby", "population": 1000, "population_year": 2024,
         "geometry": syn.square(20, 0, 20)},
        {"kommun_kod": C, "kommun": "Cby", "population": 1000, "population_year": 2024,
         "geometry": syn.square(40, 0, 20)},
    ]
    envs = [
        _env("lab", A, 5, 5, areas="life_science;ict", level="private", host="Uni Alpha"),
        _env("proj", A, 6, 6, areas="life_science", level="mixed", host="Reg with Uni Alpha",
             status="closed"),
        _env("twin-env", A, 7, 7, level="private", host="Twins", status="closed"),
        _env("park", B, 25, 5, areas="ict", level="mixed", host="Park Company AB (Bby kommun)"),
        _env("later", B, 26, 6, areas="ict", level="national", host="Agency", status="planned"),
        _env("hub", C, 45, 5, areas="", level="municipal", host="Cby kommun"),
        _env("lone", C, 46, 6, areas="climate_urban", level="private", host="Someone"),
    ]
    actors = [
        _actor("eu-comm", "Commission", "eu", "authority", "eu", "EU"),
        _actor("eu-fund", "EU Fund (EUF)", "eu", "funder", "eu", "EU"),
        _actor("interreg", "Interreg", "eu", "programme", "eu", "EU"),
        _actor("net", "Net project", "eu", "network", "eu", "EU"),
        _actor("partner-es", "Partner abroad", "sub_regional", "company", "eu", "ES"),
        _actor("agency", "Agency", "national", "agency", "national"),
        _actor("reg", "Reg", "regional", "authority", "county"),
        _actor("reg-prog", "Regional programme", "regional", "programme", "county"),
        _actor("project-x", "Project X", "regional", "project", "county"),
        _actor("proj", "Closed project", "regional", "programme", "county"),
        _actor("uni", "Uni Alpha (UA)", "academic", "university", A),
        _actor("kommun-0103", "Cby kommun", "municipal", "authority", C),
        _actor("twin-1", "Twin one (Twins)", "private", "company", A),
        _actor("twin-2", "Twin two (Twins)", "private", "company", A),
    ]
    links = _links([
        ("eu-comm", "eu-fund", "coordinates"),
        ("eu-fund", "reg-prog", "funds", "https://example.org/eu-funds-reg-prog"),
        ("agency", "reg-prog", "coordinates"),
        ("reg-prog", "project-x", "funds", "https://example.org/reg-prog-funds-x"),
        ("reg", "project-x", "coordinates"),
        ("park", "project-x", "partner_of", "https://example.org/park-in-x"),
        ("uni", "project-x", "partner_of"),
        ("reg-prog", "proj", "funds"),
        ("uni", "proj", "partner_of"),
        ("eu-fund", "interreg", "funds"),
        ("interreg", "net", "funds"),
        ("partner-es", "net", "partner_of"),
        ("partner-es", "net", "coordinates"),
        ("kommun-0103", "net", "partner_of"),
        ("reg", "lone", "hosts"),
        # bad ones
        ("reg", "ghost", "funds"),
        ("uni", "uni", "partner_of"),
        ("park", "project-x", "partner_of"),
        ("reg", "uni", "sponsors"),
    ])
    t = syn.make_territory(munis, envs, actors=actors)
    return t.replace(links=links)


@pytest.fixture(scope="module")
def net():
    return network()


@pytest.fixture(scope="module")
def model(net):
    return g.governance_model(net)


# ---------------------------------------------------------------------------------------------
# nodes and links


def test_one_node_per_id_and_level_conflict_warned(model):
    nodes = model.nodes.set_index("node_id")
    assert nodes.index.is_unique
    assert len(nodes) == 7 + 14 - 1  # proj is an actor and an environment
    assert nodes.at["proj", "kind"] == "both"
    assert nodes.at["proj", "actor_level"] == "regional"
    assert nodes.at["proj", "env_level"] == "mixed"
    assert bool(nodes.at["proj", "level_conflict"])
    warn = [p for p in model.problems if p.record_id == "proj" and p.field == "level"]
    assert len(warn) == 1 and warn[0].severity == "warning"


def test_foreign_partner_is_eu_level_and_covers_nothing(net, model):
    nodes = model.nodes.set_index("node_id")
    assert bool(nodes.at["partner-es", "foreign"])
    assert nodes.at["partner-es", "level"] == "eu"
    assert nodes.at["partner-es", "actor_level"] == "sub_regional"
    assert g.covered_municipalities(net, "partner-es") == []
    assert g.covered_municipalities(net, "eu-fund") == [A, B, C]
    assert g.covered_municipalities(net, "uni") == [A]


def test_bad_links_are_reported_and_dropped(model):
    links = model.links
    assert len(links) == 15
    assert not ((links["to_id"] == "ghost") | (links["relation"] == "sponsors")).any()
    by_record = {(p.record_id, p.field, p.severity) for p in model.problems
                 if p.source == "governance_links.csv"}
    assert ("reg->ghost", "to_actor_id", "error") in by_record
    assert ("reg->uni", "relation", "error") in by_record
    assert ("uni->uni", "to_actor_id", "warning") in by_record
    assert ("park->project-x", None, "info") in by_record
    rows = {p.row for p in model.problems if p.source == "governance_links.csv"}
    assert rows == {17, 18, 19, 20}  # header is row 1, first link row 2


# ---------------------------------------------------------------------------------------------
# host actors


def test_host_actors_by_rule(model):
    nodes = model.nodes.set_index("node_id")
    expected = {
        "lab": ("uni", "name"),            # "Uni Alpha" = "Uni Alpha (UA)" without parenthesis
        "hub": ("kommun-0103", "name"),    # exact name
        "lone": ("reg", "hosts_link"),     # reg hosts lone
        "park": ("", ""),                  # "Park Company AB": no actor; "(Bby kommun)" not used
        "later": ("agency", "name"),
        "proj": ("reg", "lead_name"),      # "Reg with Uni Alpha": the lead host
        "twin-env": ("", ""),              # "Twins" names two actors: ambiguous
    }
    for env_id, (host, rule) in expected.items():
        assert (nodes.at[env_id, "host_actor_id"], nodes.at[env_id, "host_rule"]) == (host, rule), env_id
    ambiguous = [p for p in model.problems if p.record_id == "twin-env"]
    assert len(ambiguous) == 1 and ambiguous[0].severity == "warning"
    assert "twin-1" in ambiguous[0].message and "twin-2" in ambiguous[0].message
    unmatched = [p for p in model.problems if p.record_id == "park"]
    assert len(unmatched) == 1 and unmatched[0].severity == "info"


def test_municipal_aliases_and_no_prefix_matching():
    actors = pd.DataFrame({"actor_id": ["kommun-0180", "ki"],
                           "name": ["Stockholms stad", "Karolinska Institutet (KI)"],
                           "territory": ["0180", "0184"]})
    munis = pd.DataFrame({"kommun_kod": ["0180"], "kommun": ["Stockholm"]})
    aliases = g.actor_aliases(actors, munis)
    assert aliases["city of stockholm"] == {"kommun-0180"}
    assert aliases["ki"] == {"ki"}
    env = pd.DataFrame({"id": ["a", "b", "c"],
                        "host_organisation": ["City of Stockholm", "Karolinska Institutet Holding AB",
                                              "KTH, KI and City of Stockholm"]})
    links = pd.DataFrame(columns=["from_id", "to_id", "relation"])
    hosts, problems = g.match_hosts(env, actors, links, munis)
    assert hosts["host_actor_id"].tolist() == ["kommun-0180", "", ""]
    assert {p.record_id for p in problems} == {"b", "c"}


# ---------------------------------------------------------------------------------------------
# chains


def test_chains_by_hand(model):
    ch = model.chains.set_index("path")
    assert set(ch.index) == {"park;project-x;reg-prog;eu-fund", "proj;reg-prog;eu-fund"}
    park = ch.loc["park;project-x;reg-prog;eu-fund"]
    assert (park["kind"], park["entry"], park["host_id"]) == ("direct", "part_of", "")
    assert park["relations"] == "partner_of;funds;funds"
    assert park["evidence"].split(g.EVIDENCE_SEPARATOR) == [
        "https://example.org/park-in-x", "https://example.org/reg-prog-funds-x",
        "https://example.org/eu-funds-reg-prog"]
    assert park["programmes"] == "project-x;reg-prog;eu-fund"
    assert park["reach"] == "eu"
    assert park["steering"] == "reg;agency;eu-comm"
    assert park["levels"] == "eu;national;regional"
    assert park["areas"] == "ict"
    assert bool(park["counts"]) and not bool(park["closed"])
    proj = ch.loc["proj;reg-prog;eu-fund"]
    assert (proj["kind"], proj["entry"], proj["areas"]) == ("direct", "funded_by", "life_science")
    assert bool(proj["closed"]) and not bool(proj["counts"])  # a finished project
    # lab's host uni takes part in project-x and proj: the host's partnerships elsewhere are no
    # relation of lab, so lab has no chain; hub's host is in a network; lone's host funds nothing
    assert not model.chains["env_id"].isin(["lab", "hub", "lone"]).any()


def test_a_host_that_is_a_programme_starts_a_chain_with_its_evidence():
    t = network()
    envs = pd.concat([t.environments, syn.point_layer(
        [{**_env("inc", A, 8, 8, areas="ict", host="someone"), "x": syn.X0 + 8000,
          "y": syn.Y0 + 8000}], "environments")], ignore_index=True)
    links = pd.concat([t.links, _links([("project-x", "inc", "hosts",
                                         "https://example.org/x-hosts-inc")])], ignore_index=True)
    chains = g.governance_model(t.replace(environments=envs, links=links)).chains
    inc = chains[chains["env_id"] == "inc"].iloc[0]
    assert (inc["path"], inc["kind"], inc["entry"], inc["host_id"]) == (
        "inc;project-x;reg-prog;eu-fund", "via_host", "hosted_by", "project-x")
    assert inc["evidence"].split(g.EVIDENCE_SEPARATOR)[0] == "https://example.org/x-hosts-inc"
    assert bool(inc["counts"])


def test_owner_of_a_host_counts_and_a_name_in_parentheses_is_only_mentioned():
    t = network()
    bby = _actor("kommun-0102", "Bby kommun", "municipal", "authority", B)
    parkco = _actor("parkco", "Park Company AB", "private", "company", B)
    # only the municipality is known: it is named beside the host, nothing more
    named = t.replace(actors=pd.concat([t.actors, pd.DataFrame([bby])], ignore_index=True))
    model = g.governance_model(named)
    park = model.nodes.set_index("node_id").loc["park"]
    assert (park["host_actor_ids"], park["owner_ids"], park["named_actor_ids"]) == (
        "", "", "kommun-0102")
    info = [p for p in model.problems if p.record_id == "park"]
    assert len(info) == 1 and "Bby kommun" in info[0].message
    text = " ".join(g.support_sentences(named, B, "ict", "en"))
    assert "the data name Bby kommun (municipal) beside the host Park Company AB" in text
    assert "not among the known actors" not in text
    # the company is an actor and the municipality owns it (a sourced owns link): the owner counts
    owned = named.replace(
        actors=pd.concat([named.actors, pd.DataFrame([parkco])], ignore_index=True),
        links=pd.concat([named.links, _links([("kommun-0102", "parkco", "owns",
                                               "https://example.org/owns")])],
                        ignore_index=True))
    park = g.governance_model(owned).nodes.set_index("node_id").loc["park"]
    assert (park["host_actor_ids"], park["host_rule"], park["owner_ids"],
            park["named_actor_ids"]) == ("parkco", "name", "kommun-0102", "")
    inv = g.involvement(owned)
    owner = inv[(inv["node_id"] == "kommun-0102") & (inv["key"] == "ict")]
    assert owner[["role", "level", "kommun_kod"]].values.tolist() == [["owner", "municipal", B]]
    assert bool(owner["local"].iloc[0])
    text = " ".join(g.support_sentences(owned, B, "ict", "en"))
    assert "The hosts are owned by: Bby kommun (municipal)." in text


def test_direct_entry_through_a_network_counts():
    t = network()
    links = pd.concat([t.links, _links([("lone", "net", "partner_of")])], ignore_index=True)
    chains = g.governance_model(t.replace(links=links)).chains
    lone = chains[chains["env_id"] == "lone"]
    assert lone["path"].tolist() == ["lone;net;interreg;eu-fund"]
    assert lone["steering"].tolist() == ["partner-es;eu-comm"]
    assert lone["levels"].tolist() == ["eu"]  # the foreign partner steers at the EU level


def test_chain_text_reads_top_down(model):
    text = g.chain_text("park;project-x;reg-prog;eu-fund", model.names(), model.levels(), "en")
    assert text == "EU Fund (EU) → Regional programme (regional) → Project X (regional) → park"


# ---------------------------------------------------------------------------------------------
# levels, municipalities, involvement, gaps


def test_levels_local_and_all_by_hand(net):
    table = municipality_metrics(net).set_index("kommun_kod")
    assert table.loc[A, "levels_local"] == "academic;private"
    assert table.loc[B, "levels_local"] == "mixed"
    assert table.loc[C, "levels_local"] == "municipal;private"
    # the foreign partner (sub_regional, territory eu) adds nothing
    assert table.loc[A, "levels_all"] == "eu;national;regional;academic;private"
    assert table.loc[B, "levels_all"] == "eu;national;regional;mixed"
    assert table.loc[C, "levels_all"] == "eu;national;regional;municipal;private"
    planned = municipality_metrics(net, MetricParams(include_planned=True)).set_index("kommun_kod")
    assert planned.loc[B, "levels_local"] == "national;mixed"


def test_municipality_governance_by_hand(net):
    m = g.municipality_governance(net).set_index("kommun_kod")
    metrics = municipality_metrics(net).set_index("kommun_kod")
    assert (m["levels_local"] == metrics["levels_local"]).all()
    assert (m["levels_all"] == metrics["levels_all"]).all()
    assert m.loc[A, "actors_local"] == "uni;twin-1;twin-2"
    assert m.loc[C, "actors_local"] == "kommun-0103"
    assert "partner-es" not in m.loc[A, "actors_wide"]
    assert set(m.loc[A, "actors_wide"].split(";")) == {
        "eu-comm", "eu-fund", "interreg", "net", "agency", "reg", "reg-prog", "project-x", "proj"}
    assert m["n_chains"].to_dict() == {A: 0, B: 1, C: 0}  # A: only the closed project's chain
    assert m["n_chains_direct"].to_dict() == {A: 0, B: 1, C: 0}
    assert m.loc[A, "programmes"] == ""
    assert m.loc[B, "programmes"] == "project-x;reg-prog;eu-fund"
    assert m["gap_single_level"].to_dict() == {A: False, B: True, C: False}
    assert m["gap_no_chain"].to_dict() == {A: True, B: False, C: True}


def test_involvement_matrix_by_hand(net):
    inv = g.involvement(net)
    mx = g.level_matrix(inv, region=net.region)
    assert list(mx.index) == list(net.region.areas_and_any)
    assert list(mx.columns) == list(vocab.values(vocab.Level))
    ls = mx.loc["life_science"]  # lab and its host uni; no chain (the host's are not lab's)
    assert ls.to_dict() == {"eu": 0, "national": 0, "regional": 0, "sub_regional": 0,
                            "municipal": 0, "academic": 1, "private": 1, "civil_society": 0,
                            "mixed": 0}
    assert mx.loc["ict", "regional"] == 3 and mx.loc["ict", "mixed"] == 1
    assert mx.loc["climate_urban"].to_dict()["private"] == 1
    assert mx.loc["climate_urban"].to_dict()["regional"] == 1  # reg hosts lone
    assert mx.loc["industrial_transition"].sum() == 0
    in_c = g.level_matrix(inv, kommun_kod=C, region=net.region)
    assert in_c.loc["life_science"].sum() == 0
    assert in_c.loc["any", "municipal"] == 2  # hub and its host, the municipality of Cby
    cell = g.cell_nodes(inv, "ict", "regional").set_index("node_id")
    assert cell["roles"].to_dict() == {"project-x": "programme", "reg": "steering",
                                       "reg-prog": "programme"}
    assert cell["env_ids"].to_dict() == {"project-x": "park", "reg": "park", "reg-prog": "park"}
    services = g.level_matrix(g.involvement(net, dimension="service"), "service")
    assert services.loc["advisory"].sum() == mx.loc["any"].sum()


def test_gaps_by_hand(net):
    gaps = g.gaps(net)
    got = set(zip(gaps["scope"], gaps["gap"], gaps["kommun_kod"], gaps["area"], strict=True))
    assert got == {
        ("municipality", "no_programme_chain", A, ""),  # lab has none, proj's is closed
        ("municipality", "single_local_level", B, ""),
        ("municipality", "no_programme_chain", C, ""),
        ("area", "no_programme_chain", "", "life_science"),
        ("area", "single_local_level", "", "industrial_transition"),
        ("area", "no_programme_chain", "", "industrial_transition"),
        ("area", "no_programme_chain", "", "climate_urban"),  # lone + its host reg: 2 levels
        ("municipality_area", "no_programme_chain", A, "life_science"),
        ("municipality_area", "no_programme_chain", A, "ict"),
        ("municipality_area", "single_local_level", B, "ict"),
        ("municipality_area", "single_local_level", C, "climate_urban"),
        ("municipality_area", "no_programme_chain", C, "climate_urban"),
    }
    assert list(gaps.columns) == list(g.GAP_COLUMNS)


def test_network_filters(net):
    nodes, edges = g.network(net, kommun_kod=C)
    assert set(nodes["node_id"]) == {"hub", "lone", "kommun-0103", "reg"}
    assert set(zip(edges["from_id"], edges["to_id"], strict=True)) == {
        ("reg", "lone"), ("kommun-0103", "hub")}
    all_nodes, all_edges = g.network(net)
    assert "partner-es" in set(all_nodes["node_id"])
    assert "twin-env" not in set(all_nodes["node_id"])  # closed, not counted


def test_sentences_answer_the_question(net):
    sv = g.support_sentences(net, B, "ict", "sv")
    en = g.support_sentences(net, B, "ict", "en")
    assert len(sv) == len(en) >= 4
    joined = " ".join(en)
    assert "park (mixed" in joined
    assert "EU Fund (EU) → Regional programme (regional) → Project X (regional) → park" in joined
    assert "Steered by: Reg (regional), Agency (national), Commission (EU)." in joined
    none = g.support_sentences(net, C, "life_science", "en")
    assert none[0] == "Cby has no active innovation environment in Life science, health and care."


# ---------------------------------------------------------------------------------------------
# the shipped data


def test_real_data_reports_every_conflict_and_dangling_link(territory):
    model = g.governance_model(territory)
    env = territory.environments.set_index("id")["governance_level"]
    act = territory.actors.set_index("actor_id")["level"]
    both = env.index.intersection(act.index)
    conflicts = {i for i in both if env[i] != act[i]}
    assert conflicts == {"almi-stockholm-sormland", "flemingsberg-science", "stockholm-science-city"}
    reported = {p.record_id for p in model.problems if p.field == "level"}
    assert reported == conflicts
    ids = set(env.index) | set(act.index)
    dangling = territory.links[~territory.links["from_actor_id"].isin(ids)
                               | ~territory.links["to_actor_id"].isin(ids)]
    assert dangling.empty
    assert len(model.links) == len(territory.links)


def test_fixture_dangling_link_reported(tiny):
    model = g.governance_model(tiny)
    assert any(p.severity == "error" and "ghost-programme" in p.message for p in model.problems)
    assert "ghost-programme" not in set(model.links["to_id"])


def test_real_data_chains_and_gaps(territory):
    model = g.governance_model(territory)
    ssp = model.chains[model.chains["env_id"] == "sodertalje-science-park"]
    assert set(ssp["path"]) == {
        "sodertalje-science-park;erdf-programme-stockholm;erdf",
        "sodertalje-science-park;fordonsdalen-stockholm;erdf-programme-stockholm;erdf",
    }
    assert ssp["counts"].all()
    # Stockholm LifeTech ended (closed): chains through it are shown but do not count
    slt = model.chains[model.chains["path"].str.contains("stockholm-life-tech")]
    assert len(slt) and slt["closed"].all() and not slt["counts"].any()
    # the Cohes3ion partners abroad never reach levels_all
    table = municipality_metrics(territory)
    assert not table["levels_all"].str.contains("sub_regional").any() or (
        table.loc[table["levels_all"].str.contains("sub_regional"), "levels_local"]
        .str.contains("sub_regional").all())
    gaps = g.gaps(territory)
    sod = gaps[(gaps["kommun_kod"] == "0181") & (gaps["area"] == "life_science")]
    assert sod["gap"].tolist() == ["no_programme_chain"]
    assert ((gaps["scope"] == "area") & (gaps["area"] == "climate_urban")
            & (gaps["gap"] == "no_programme_chain")).any()


def test_real_data_every_env_host_is_an_actor_or_reported(territory):
    model = g.governance_model(territory)
    env = model.environments
    actors = set(model.actors["node_id"])
    for hosts in env["host_actor_ids"]:
        assert set(lists.split(hosts)) <= actors
    unmatched = set(env.loc[env["host_actor_ids"] == "", "node_id"])
    reported = {p.record_id for p in model.problems if p.field == "host_organisation"}
    assert unmatched == reported


def test_sodertalje_life_science_sentences(territory):
    sv = g.support_sentences(territory, "0181", "life_science", "sv")
    text = " ".join(sv)
    assert "Södertälje" in text and "Acturum Biovation Park" in text
    assert "RISE" in text and "nationell" in text
    assert "Ingen av miljöerna" in text  # no programme chain for life science there
    it = " ".join(g.support_sentences(territory, "0181", "industrial_transition", "en"))
    assert "ERDF regional programme for Stockholm (regional) → Södertälje Science Park" in it


def test_model_is_cached_and_follows_edits(territory):
    assert g.governance_model(territory) is g.governance_model(territory)
    env = territory.environments
    edited = territory.replace(environments=env[env["id"] != "sodertalje-science-park"])
    assert "sodertalje-science-park" not in set(g.governance_model(edited).chains["env_id"])


def test_load_of_real_data_is_stable(territory):
    again = load_territory("01")
    assert g.governance_model(again).chains.equals(g.governance_model(territory).chains)


def test_real_data_chains_follow_the_environments_own_relations(territory):
    model = g.governance_model(territory)
    chains = model.chains
    # Stockholm environments hosted by Region Stockholm are not under the Flemingsberg programme
    for env in ("almi-stockholm-sormland", "centrum-for-halsodata", "kompetensarena-stockholm"):
        mine = chains[chains["env_id"] == env]
        assert not mine["path"].str.contains("flemingsberg-core-programme").any(), env
    # every chain's first step is a link that has the environment at its lower end
    links = set(zip(model.links["from_id"], model.links["to_id"], model.links["relation"],
                    strict=True))
    for path, relations, evidence in zip(chains["path"], chains["relations"], chains["evidence"],
                                         strict=True):
        env, upper = lists.split(path)[:2]
        rel = lists.split(relations)[0]
        lower_first = rel in ("partner_of", "member_of", "reports_to")
        assert ((env, upper, rel) if lower_first else (upper, env, rel)) in links, path
        assert all(e.startswith("http") for e in evidence.split(g.EVIDENCE_SEPARATOR)), path
    nodes = model.nodes.set_index("node_id")
    assert nodes.at["invest-stockholm", "owner_ids"] == "kommun-0180"
    assert nodes.at["sodertalje-science-park", "host_actor_ids"] == "kommun-0181;kth"
    assert nodes.at["campus-roslagen", "host_actor_ids"] == ""
    assert nodes.at["campus-roslagen", "named_actor_ids"] == "kommun-0188"
    text = " ".join(g.support_sentences(territory, "0188", None, "en"))
    assert "the data name Norrtälje kommun (municipal) beside the host Campus Roslagen AB" in text
    assert "not among the known actors" not in text
