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

from collections.abc import Iterator, Mapping
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


@cache
def messages(lang: Lang) -> dict[MessageKey, str]:
    """Every message of one language's catalog, keyed by ``(context, msgid)`` (parsed once)."""
    path = catalog_path(lang)
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang, domain=DOMAIN)
    except (OSError, ValueError) as exc:
        raise CatalogError(f"{path}: cannot read the translation catalog ({exc})") from exc
    out: dict[MessageKey, str] = {}
    for message in catalog:
        if not message.id or not isinstance(message.id, str) or not isinstance(message.string, str):
            continue
        out[(message.context, message.id)] = message.string
    return out


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
