#!/usr/bin/env python3
"""Add (or replace) interface texts in both translation catalogs at once.

Usage: ``python scripts/i18n_add.py KEY "svensk text" "English text" [--context CTX]`` (repeat the
triple for several keys). Each entry is written to ``smartmap/locale/{sv,en}/LC_MESSAGES/
smartmap.po`` with the other language's text as a translator comment, the house format that
``tests/test_i18n.py`` checks. An existing key is replaced in place; a new key is appended.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "smartmap" / "locale" / "{lang}" / "LC_MESSAGES" / "smartmap.po"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _entry(key: str, text: str, other_lang: str, other: str, context: str | None) -> str:
    lines = [f"#. {other_lang}: {other}".replace("\n", " ")]
    if context:
        lines.append(f"msgctxt {_quote(context)}")
    lines += [f"msgid {_quote(key)}", f"msgstr {_quote(text)}"]
    return "\n".join(lines)


def add(key: str, sv: str, en: str, context: str | None = None) -> None:
    """Write one key to both catalogs."""
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
    parser.add_argument("items", nargs="+", help="KEY SV EN, repeated")
    parser.add_argument("--context", default=None)
    args = parser.parse_args()
    if len(args.items) % 3:
        parser.error("give KEY SV EN triples")
    for i in range(0, len(args.items), 3):
        add(*args.items[i:i + 3], context=args.context)


if __name__ == "__main__":
    main()
