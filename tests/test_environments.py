import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from smartmap.analysis.environments import (
    EnvFilter,
    filter_environments,
    fold,
    location_precision,
    matches,
)
from smartmap.core import vocab
from tests.synthetic import AREAS


def test_filter_by_area_is_any_of(territory):
    env = territory.environments
    got = filter_environments(env, EnvFilter(areas=["life_science"]))
    assert len(got) == env["priority_areas"].str.contains("life_science").sum()
    both = filter_environments(env, EnvFilter(areas=["life_science", "ict"]))
    assert len(both) >= len(got)


def test_filters_combine_with_and(territory):
    env = territory.environments
    flt = EnvFilter(types=["testbed"], statuses=["active"], services=["testbed_access"])
    got = filter_environments(env, flt)
    assert (got["env_type"] == "testbed").all() and (got["status"] == "active").all()
    assert got["services"].str.contains("testbed_access").all()


def test_search_is_accent_and_case_insensitive(territory):
    env = territory.environments
    a = filter_environments(env, EnvFilter(query="sodertalje"))
    b = filter_environments(env, EnvFilter(query="SÖDERTÄLJE"))
    assert len(a) == len(b) > 0
    host = filter_environments(env, EnvFilter(query="Karolinska Institutet"))
    assert (host["name"].map(fold).str.contains("karolinska institutet")
            | host["host_organisation"].map(fold).str.contains("karolinska institutet")).all()


def test_empty_filter_keeps_everything(territory):
    env = territory.environments
    assert EnvFilter().is_empty()
    assert matches(env, EnvFilter()).all()


@given(st.lists(st.sampled_from(AREAS), unique=True),
       st.lists(st.sampled_from(vocab.values(vocab.Status)), unique=True))
def test_filter_never_adds_rows(areas, statuses):
    env = pd.DataFrame({
        "priority_areas": ["ict", "life_science;ict", "", "climate_urban"],
        "services": ["", "", "", ""], "env_type": ["testbed"] * 4,
        "governance_level": ["eu"] * 4, "status": ["active", "closed", "planned", "active"],
        "name": ["a", "b", "c", "d"], "host_organisation": ["", "", "", ""],
    })
    mask = matches(env, EnvFilter(areas=areas, statuses=statuses))
    narrower = matches(env, EnvFilter(areas=areas, statuses=statuses, query="a"))
    assert (narrower <= mask).all()


def test_location_precision(territory):
    p = location_precision(territory.environments).value_counts()
    assert set(p.index) == {"address", "area", "placeholder"}
    assert p["placeholder"] == 13  # the rows whose notes say "placeholder" (PROVENANCE.md)
