"""Benchmark of the server's memory with workshop sessions: 10 sessions, then none.

Run with ``.venv/bin/python benchmarks/bench_memory.py`` (``--sessions N``, ``--wait S``). It
starts the app (``smartmap.app.serve``, the way ``scripts/run-app.sh`` does) on a free port and
reads the server's resident memory (``VmRSS`` in ``/proc/<pid>/status``):

1. **start**: after one visitor opened the workshop and left (the imports, the baseline and its
   metrics are loaded by then: what any server holds once it has served a page) and the
   server had time to forget that visitor (the figure right after boot is printed too);
2. **with N sessions**: N browser contexts of Debian's Chromium, each opening the workshop,
   closing an environment (an edit) and waiting for the map;
3. **after**: all N closed, then ``--wait`` seconds (default 60).

It prints the three figures beside the targets (N = 10 sessions under 300 MB; a minute after
they close, within 10 % of the start level). Nothing is asserted; every request outside
127.0.0.1 is blocked.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser_harness import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    open_session,
    start_app,
    stop_app,
    wait_for_map,
    wait_until_idle,
)

ENV = "Sting (Stockholm Innovation & Growth) · Stockholm"


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def one_edit(session, url: str) -> None:
    """Open the workshop, close an environment, wait until the map shows it."""
    page = session.page
    page.goto(url + "workshop")
    wait_for_map(session, "path.sm-delta")
    wait_until_idle(page)
    page.get_by_role("tab", name="Ändra en miljö").click()
    box = page.get_by_label("Miljö", exact=True)
    box.click()
    box.fill(ENV[:20])
    page.get_by_role("option", name=ENV, exact=True).click()
    wait_until_idle(page)
    page.get_by_role("button", name="Stäng miljön").click()
    wait_until_idle(page)
    session.map_frame().locator("path.sm-edited").first.wait_for(timeout=60_000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--wait", type=float, default=60.0, help="seconds after closing")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    (ROOT / "tests" / "artifacts").mkdir(exist_ok=True)
    server = start_app()
    pid = server.process.pid
    time.sleep(10)  # the warm-up thread loads the baseline while the server boots
    boot = rss_mb(pid)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            first = open_session(browser)
            one_edit(first, server.url)
            first.page.context.close()
            time.sleep(args.wait)
            start = rss_mb(pid)
            sessions = []
            for _ in range(args.sessions):
                s = open_session(browser)
                one_edit(s, server.url)
                sessions.append(s)
            time.sleep(2)
            loaded = rss_mb(pid)
            external = sum(len(s.external) for s in sessions)
            for s in sessions:
                s.page.context.close()
            closed_at = time.time()
            samples = []
            while time.time() - closed_at < args.wait:
                time.sleep(5)
                samples.append((time.time() - closed_at, rss_mb(pid)))
            after = rss_mb(pid)
            browser.close()
    finally:
        stop_app(server)
    n = args.sessions
    print(f"smartmap server memory (VmRSS of the server process), {n} workshop sessions with "
          "an edit each")
    print(f"  booted, no visitor yet{'':<22} {boot:7.1f} MB")
    print(f"  start (after one visitor, {args.wait:.0f} s later)   {start:7.1f} MB   (the first "
          "visit imports the pages' modules, once)")
    print(f"  with {n} sessions open{'':<22} {loaded:7.1f} MB   target < 300 MB: "
          f"{'yes' if loaded < 300 else 'NO'}  (+{(loaded - start) / n:.1f} MB a session)")
    print(f"  {args.wait:.0f} s after they closed{'':<21} {after:7.1f} MB   within 10 % of the "
          f"start: {'yes' if after <= 1.1 * start else 'NO'} ({100 * (after / start - 1):+.1f} %)")
    print("  after closing, every 5 s: " + ", ".join(f"{m:.0f}" for _, m in samples))
    print(f"  requests outside 127.0.0.1: {external}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
