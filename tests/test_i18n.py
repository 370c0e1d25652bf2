"""The translation catalogs: complete in both languages, consistent, and every key used exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from smartmap.analysis import catalog
from smartmap.core import i18n, vocab
from smartmap.data import layers

PACKAGE = Path(i18n.__file__).resolve().parent.parent

TEXT_CALL = re.compile(
    r"(?<![\w.])(?:t|t_|_t|text|vocab\.text|c\.t|self\.t|s\.t|self\.s\.t|state\.t)\(\s*\"([a-z][a-z0-9_]*)\"",
)
"""Calls that look up an interface text by a literal key (``t("key", ...)`` and its aliases)."""


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_catalogs_are_valid_po_without_fuzzy_or_empty_entries() -> None:
    for lang in i18n.LANGS:
        with i18n.catalog_path(lang).open("rb") as handle:
            cat = read_po(handle, locale=lang)
        assert str(cat.locale) == lang
        entries = [m for m in cat if m.id]
        assert entries, lang
        assert not [m.id for m in entries if m.fuzzy], lang
        assert not [m.id for m in entries if not m.string], lang
        assert not [m.id for m in entries if isinstance(m.string, tuple) and not all(m.string)]


def test_every_key_exists_in_both_languages() -> None:
    sv, en = i18n.messages("sv"), i18n.messages("en")
    assert set(sv) == set(en), set(sv) ^ set(en)
    assert len(sv) > 500


@pytest.mark.parametrize("key", sorted(i18n.messages("sv"), key=str))
def test_placeholders_agree_between_languages(key: i18n.MessageKey) -> None:
    sv, en = i18n.messages("sv")[key], i18n.messages("en")[key]
    assert _fields(sv) == _fields(en), (key, sv, en)


def test_every_text_key_used_in_code_exists() -> None:
    used: dict[str, str] = {}
    for path in PACKAGE.rglob("*.py"):
        for key in TEXT_CALL.findall(path.read_text(encoding="utf-8")):
            used.setdefault(key, str(path.relative_to(PACKAGE)))
    assert len(used) > 300  # the scan itself works
    keys = list(vocab.TEXTS)
    missing = {
        key: where
        for key, where in used.items()
        # ``t("col_" + name)`` builds a key from a prefix: some key must start with it
        if key not in vocab.TEXTS and not (key.endswith("_") and any(k.startswith(key) for k in keys))
    }
    assert not missing


def test_every_term_metric_and_layer_has_a_label_in_both_languages() -> None:
    for enum in vocab.TERM_ENUMS:
        for member in enum:
            label = vocab.LABELS[member]
            assert label.sv and label.en, member
    region = layers.load_territory().region
    for term in (*region.areas, *region.core_classes):
        assert term.label.sv and term.label.en and term.short_label("en"), term.id
    for spec in layers.LAYERS.values():
        assert spec.title.sv and spec.title.en
    for column in ("n_env", "cov_ict", "dist_km_any", "white_spot_life_science", "lq_ict"):
        info = catalog.metric_info(column, region)
        assert info.title("sv") != info.title("en") or info.title("sv").isupper(), column


def test_translator_comments_show_the_other_language() -> None:
    """Each entry's ``#.`` comment is the other catalog's text, so a translator sees the source."""
    with i18n.catalog_path("en").open("rb") as handle:
        en = read_po(handle, locale="en")
    sv, sv_plural = i18n.messages("sv"), i18n.plural_messages("sv")
    for message in en:
        if message.id:
            comment = " ".join(message.auto_comments)
            if isinstance(message.id, tuple):  # a plural text: the other language's forms
                forms = sv_plural[(message.context, message.id[0])]
                assert comment == "sv: " + " | ".join(forms), message.id
            else:
                assert comment == f"sv: {sv[(message.context, message.id)]}", message.id


def test_a_missing_key_names_the_catalog() -> None:
    with pytest.raises(i18n.CatalogError, match=r"smartmap\.po: no message 'no_such_key'"):
        i18n.message("no_such_key", "sv")
    with pytest.raises(KeyError):
        vocab.text("no_such_key")


def test_texts_read_the_same_in_both_languages_as_before() -> None:
    assert vocab.text("environments", "sv") == "Innovationsmiljöer"
    assert vocab.text("environments", "en") == "Innovation environments"
    assert vocab.label(vocab.Scope.NATIONAL, "en") == "All of Sweden"
    assert vocab.label(vocab.Level.NATIONAL, "en") == "National"
    assert vocab.label("any", "sv") == "Alla områden"


def test_plural_texts_have_a_form_for_one_and_for_many_in_both_languages() -> None:
    """Counts read as Swedish and English do: "1 ändring", "0 ändringar", "1 edit", "2 edits"."""
    sv, en = i18n.plural_messages("sv"), i18n.plural_messages("en")
    assert set(sv) == set(en) and len(sv) >= 5
    for key in sv:
        assert len(sv[key]) == len(en[key]) == 2, key
        # a form for one and one for many in at least one language ("fel" is both in Swedish,
        # "active" both in English); words that agree with a count ("aktiv"/"aktiva") carry none
        assert sv[key][0] != sv[key][1] or en[key][0] != en[key][1], key
        for forms in (sv[key], en[key]):
            assert all(_fields(f) == _fields(sv[key][0]) for f in forms), key
            assert not any("(s)" in f or "(ar)" in f for f in forms), key
    status = {n: (vocab.text("ws_status", "sv", name="S", n=n, params="R = 10 km"),
                  vocab.text("ws_status", "en", name="S", n=n, params="R = 10 km"))
              for n in (0, 1, 2)}
    assert status[1] == ("**S** · 1 ändring · R = 10 km", "**S** · 1 edit · R = 10 km")
    assert status[0] == ("**S** · 0 ändringar · R = 10 km", "**S** · 0 edits · R = 10 km")
    assert status[2][1] == "**S** · 2 edits · R = 10 km"
    assert vocab.text("rep_n_env_short", "sv", n=1) == "1 miljö"
    # counts inside longer sentences come as their own plural texts
    assert vocab.text("count_munis_no_chain", "en", n=1) == "1 municipality has no such chain"
    assert vocab.text("count_chains_reach", "sv", n=1, programmes="X") == \
        "1 programkedja räknas; den når X"
    assert vocab.text("count_actors", "sv", n=1) == "1 aktör"
    assert vocab.text("gov_status_active", "sv", n=1) == "aktiv"
    assert i18n.plural("environments", "sv", 1) is None  # not a plural text


def test_no_text_hedges_a_plural_with_brackets() -> None:
    """"edit(s)" and "ändring(ar)" are what plural forms replace: no text with a count ``{n}``
    hedges, in any context (pages, reports, data checks). Lists named without a count ("unknown
    value(s) {value}") may."""
    hedged = {(ctx, key) for lang in i18n.LANGS for (ctx, key), text in i18n.messages(lang).items()
              if "{n}" in text and re.search(r"\w(\((s|ar|er|or|n)\)|/rutor)", text)}
    assert not hedged, hedged
