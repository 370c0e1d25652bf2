import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartmap.core import vocab


def test_every_term_has_both_labels():
    for enum in (*vocab.VOCABULARIES.values(), vocab.Scope):
        for member in enum:
            lab = vocab.LABELS[member]
            assert lab.sv and lab.en, member


def test_design_vocabulary_is_complete():
    assert len(vocab.values(vocab.EnvType)) == 10
    assert len(vocab.values(vocab.Service)) == 10
    assert vocab.values(vocab.Status) == ("active", "planned", "closed")
    assert "mixed" not in vocab.ACTOR_LEVELS


def test_label_by_string_and_any():
    assert vocab.label("testbed", "sv") == "Testbädd"
    assert vocab.label("any", "en") == "Any area"
    with pytest.raises(KeyError):
        vocab.label("nonsense")


def test_parse_list_refuses_unknown():
    with pytest.raises(ValueError, match="foo"):
        vocab.parse_list("testbed;foo", vocab.EnvType)
    assert vocab.parse_list("", vocab.EnvType) == ()
    assert vocab.parse_list(None, vocab.EnvType) == ()


@given(st.lists(st.sampled_from(vocab.values(vocab.Service))))
def test_join_parse_round_trip_is_canonical(items):
    joined = vocab.join_list(items, vocab.Service)
    parsed = vocab.parse_list(joined, vocab.Service)
    assert set(parsed) == set(items)
    assert vocab.join_list([p.value for p in parsed], vocab.Service) == joined
    assert list(parsed) == sorted(parsed, key=list(vocab.Service).index)


def test_same_value_in_two_enums_keeps_both_labels():
    # StrEnum members hash like their value: Level.NATIONAL and Scope.NATIONAL once shared a
    # dict key and the level was labelled "Hela Sverige".
    assert vocab.label(vocab.Level.NATIONAL, "sv") == "Nationell"
    assert vocab.label("national", "en") == "National"
    assert vocab.label(vocab.Scope.NATIONAL, "en") == "All of Sweden"
    assert vocab.label(vocab.Role.ENVIRONMENT, "sv") == vocab.label(vocab.NodeKind.ENVIRONMENT, "sv")
    assert vocab.Scope.EU in vocab.LABELS and vocab.Level.EU in vocab.LABELS
