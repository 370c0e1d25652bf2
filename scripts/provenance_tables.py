#!/usr/bin/env python3
"""Rewrite the generated blocks of a package's PROVENANCE.md from its data.

Usage: ``python scripts/provenance_tables.py [DATA_DIR] [--check]``. The blocks between
``<!-- smartmap:NAME -->`` and ``<!-- /smartmap:NAME -->`` (population source and located shares,
the white-spot search, the environments' status check) are rebuilt by
:func:`smartmap.render.provenance.provenance_blocks`, the same builder as the app's About page;
the rest of the file is left as written. ``--check`` only reports stale blocks (exit 1).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from smartmap.core.atomic import atomic_write_text  # noqa: E402
from smartmap.data.layers import load_territory  # noqa: E402
from smartmap.render.provenance import provenance_blocks, read_blocks, with_blocks  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", type=Path, default=ROOT / "geodata")
    parser.add_argument("--check", action="store_true", help="report stale blocks, write nothing")
    args = parser.parse_args()
    path = args.data_dir / "PROVENANCE.md"
    text = path.read_text(encoding="utf-8")
    blocks = provenance_blocks(load_territory(data_dir=args.data_dir))
    stale = [n for n, c in blocks.items() if read_blocks(text).get(n) != c]
    if args.check:
        for name in stale:
            print(f"{path}: block {name!r} is stale; run scripts/provenance_tables.py")
        return 1 if stale else 0
    try:
        new = with_blocks(text, blocks)
    except ValueError as exc:
        print(f"{path}: {exc}", file=sys.stderr)
        return 1
    if new != text:
        atomic_write_text(path, new)
    print(f"{path}: {len(stale)} block(s) rewritten" if stale else f"{path}: up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
