#!/usr/bin/env python3
"""Add (or replace) interface texts in both translation catalogs at once.

Usage: ``python scripts/i18n_add.py KEY "svensk text" "English text" [--context CTX]`` (repeat the
triple for several keys). Each entry is written to ``smartmap/locale/{sv,en}/LC_MESSAGES/
smartmap.po`` with the other language's text as a translator comment, the house format that
``tests/test_i18n.py`` checks. An existing key is replaced in place; a new key is appended.

A text with a count takes plural forms: ``python scripts/i18n_add.py --plural KEY "{n} ändring"
"{n} ändringar" "{n} edit" "{n} edits"`` writes a ``msgid_plural`` entry (one form for n = 1,
one for every other n, by the catalogs' ``Plural-Forms``); ``vocab.text(KEY, lang, n=...)``
picks the form.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "smartmap" / "locale" / "{lang}" / "LC_MESSAGES" / "smartmap.po"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


PLURAL_SEPARATOR = " | "
"""Between the forms of a plural text in the translator comment."""


def _entry(key: str, text: str | tuple[str, ...], other_lang: str, other: str | tuple[str, ...],
           context: str | None) -> str:
    shown = PLURAL_SEPARATOR.join(other) if isinstance(other, tuple) else other
    lines = [f"#. {other_lang}: {shown}".replace("\n", " ")]
    if context:
        lines.append(f"msgctxt {_quote(context)}")
    lines.append(f"msgid {_quote(key)}")
    if isinstance(text, tuple):
        lines.append(f"msgid_plural {_quote(key)}")
        lines += [f"msgstr[{i}] {_quote(form)}" for i, form in enumerate(text)]
    else:
        lines.append(f"msgstr {_quote(text)}")
    return "\n".join(lines)


def add(key: str, sv: str | tuple[str, ...], en: str | tuple[str, ...],
        context: str | None = None) -> None:
    """Write one key to both catalogs (a tuple of forms makes it a plural message)."""
    for lang, text, other_lang, other in (("sv", sv, "en", en), ("en", en, "sv", sv)):
        path = Path(str(CATALOG).format(lang=lang))
        blocks = path.read_text(encoding="utf-8").rstrip("\n").split("\n\n")
        new = _entry(key, text, other_lang, other, context)
        ctx = re.escape(f"msgctxt {_quote(context)}\n") if context else ""
        pattern = re.compile(rf"(^|\n){ctx}msgid {re.escape(_quote(key))}\n")
        for i, block in enumerate(blocks):
            has_ctx = "\nmsgctxt " in "\n" + block
            if pattern.search("\n" + block) and (bool(context) == has_ctx):
                blocks[i] = new
                break
        else:
            blocks.append(new)
        path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("items", nargs="+", help="KEY SV EN, repeated (with --plural: KEY SV_ONE "
                        "SV_OTHER EN_ONE EN_OTHER)")
    parser.add_argument("--context", default=None)
    parser.add_argument("--plural", action="store_true", help="texts with a count {n}: two "
                        "forms per language, for n = 1 and for every other n")
    args = parser.parse_args()
    size = 5 if args.plural else 3
    if len(args.items) % size:
        parser.error("give KEY SV_ONE SV_OTHER EN_ONE EN_OTHER groups" if args.plural
                     else "give KEY SV EN triples")
    for i in range(0, len(args.items), size):
        key, *texts = args.items[i:i + size]
        if args.plural:
            add(key, (texts[0], texts[1]), (texts[2], texts[3]), context=args.context)
        else:
            add(key, texts[0], texts[1], context=args.context)


if __name__ == "__main__":
    main()
