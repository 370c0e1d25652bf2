"""Interface text in gettext catalogs: ``smartmap/locale/<lang>/LC_MESSAGES/smartmap.po``.

Every word the app, maps, reports and exports show lives in one ``.po`` catalog per language,
the format translators' tools (Poedit, Weblate, Lokalize) open. Messages are keyed: the
``msgid`` is a stable key (``"environments"``), the ``msgstr`` the text, and a ``msgctxt``
separates families of keys: ``None`` for interface texts, an enum's snake-case name for the
labels of controlled terms (``"level"``, ``"service"``, ...; a region's own areas and core
classes are labelled in its manifest, not here), ``"metric"``/``"metric_unit"`` for the
metric catalogue and ``"layer"`` for layer titles. Each entry carries the other language's text as
a translator comment. Catalogs are parsed with Babel once per process (``docs/translations.md``).

>>> Label.of("environments")("en")
'Innovation environments'
>>> Label.of("lab_access", context="service").sv
'Tillgång till labb'
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from babel.messages.pofile import read_po

from smartmap.core.errors import SmartmapError

Lang = Literal["sv", "en"]
LANGS: tuple[Lang, ...] = ("sv", "en")
DOMAIN = "smartmap"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

MessageKey = tuple[str | None, str]
"""``(context, msgid)`` of one catalog entry."""


class CatalogError(SmartmapError):
    """A translation catalog is missing, unreadable or lacks a message."""


def catalog_path(lang: Lang) -> Path:
    """Where the catalog of ``lang`` lives."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@dataclass(frozen=True)
class _Parsed:
    """One catalog: its plain messages, the forms of its plural messages, its plural rule."""

    texts: dict[MessageKey, str]
    plurals: dict[MessageKey, tuple[str, ...]]
    plural_index: Callable[[int], int]


@cache
def _parsed(lang: Lang) -> _Parsed:
    path = catalog_path(lang)
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang, domain=DOMAIN)
        rule = gettext.c2py(catalog.plural_expr)
    except (OSError, ValueError) as exc:
        raise CatalogError(f"{path}: cannot read the translation catalog ({exc})") from exc
    texts: dict[MessageKey, str] = {}
    plurals: dict[MessageKey, tuple[str, ...]] = {}
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, str) and isinstance(message.string, str):
            texts[(message.context, message.id)] = message.string
        elif isinstance(message.id, tuple | list) and isinstance(message.string, tuple | list):
            key = (message.context, str(message.id[0]))
            plurals[key] = tuple(str(form) for form in message.string)
            texts[key] = plurals[key][-1]  # the general (plural) form, for plain lookups
    return _Parsed(texts, plurals, rule)


def messages(lang: Lang) -> dict[MessageKey, str]:
    """Every message of one language's catalog, keyed by ``(context, msgid)`` (parsed once).

    A plural message (``msgid_plural``) appears with its last form; :func:`plural` picks the
    form for a number.
    """
    return _parsed(lang).texts


def plural_messages(lang: Lang) -> dict[MessageKey, tuple[str, ...]]:
    """The forms of every plural message of one language (``msgstr[0]``, ``msgstr[1]``, ...)."""
    return _parsed(lang).plurals


def plural(key: str, lang: Lang, n: int, context: str | None = None) -> str | None:
    """The form of plural message ``key`` for the number ``n`` by the catalog's ``Plural-Forms``
    rule ("1 ändring", "2 ändringar"); ``None`` when ``key`` is no plural message.

    >>> plural("ws_status", "sv", 1), plural("ws_status", "en", 0)
    ('**{name}** · {n} ändring · {params}', '**{name}** · {n} edits · {params}')
    """
    parsed = _parsed(lang)
    forms = parsed.plurals.get((context, key))
    if forms is None:
        return None
    return forms[min(parsed.plural_index(abs(int(n))), len(forms) - 1)]


def message(key: str, lang: Lang, context: str | None = None) -> str:
    """One message; a key missing from the catalog raises :class:`CatalogError` naming it."""
    try:
        return messages(lang)[(context, key)]
    except KeyError:
        where = f" (msgctxt {context!r})" if context else ""
        raise CatalogError(f"{catalog_path(lang)}: no message {key!r}{where}") from None


@dataclass(frozen=True)
class Label:
    """A term's display name in both languages."""

    sv: str
    en: str

    def __call__(self, lang: Lang = "sv") -> str:
        return self.sv if lang == "sv" else self.en

    @classmethod
    def of(cls, key: str, context: str | None = None) -> Label:
        """The label of a catalog key in both languages."""
        return cls(message(key, "sv", context), message(key, "en", context))


class Texts(Mapping[str, Label]):
    """The catalog entries of one context as a read-only mapping key → :class:`Label`."""

    def __init__(self, context: str | None = None) -> None:
        self.context = context

    def _keys(self) -> list[str]:
        return [key for ctx, key in messages("sv") if ctx == self.context]

    def __getitem__(self, key: str) -> Label:
        try:
            return Label.of(key, self.context)
        except CatalogError:
            raise KeyError(key) from None

    def __contains__(self, key: object) -> bool:
        return (self.context, key) in messages("sv")

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys())

    def __len__(self) -> int:
        return len(self._keys())
