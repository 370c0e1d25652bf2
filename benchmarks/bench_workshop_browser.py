"""Benchmark of the workshop as the room sees it: edit -> KPIs and edit -> map in Chromium.

Run with ``.venv/bin/python benchmarks/bench_workshop_browser.py`` (``--quick`` for 6 edits).
It starts the app (``smartmap.app.serve``) on a free port, opens the workshop in Debian's
Chromium (Playwright, ``/usr/bin/chromium``, nothing downloaded; every request outside
127.0.0.1 is blocked), and times, from the click to what the browser shows:

- **edit -> KPIs**: an environment closed or re-opened ("Stäng miljön" / "Öppna (aktiv)"), until
  the county KPI "Miljöer som räknas" shows the new count;
- **edit -> map**: the same click until the map's markers show the change (the edited
  environment ringed, or the ring gone), measured inside the map's iframe;
- the same two for **undo** and **redo**, and for **adding** an environment with the form;
- **a shared link**: a new browser context opening the share link, until the map and the KPIs of
  the shared scenario are drawn; beside it, a fresh browser opening the app's first page (the
  title and the navigation), which is what Streamlit's own start-up costs any visitor.

Each time is taken in the browser with ``performance.timeOrigin + performance.now()`` (one clock
for the page and the iframe) by MutationObservers installed before the click. It prints median
and 95th percentile of each, beside the server-side library figure of ``bench_scenario.py``
(apply + metrics + diff + map layers after an edit), so the difference is what the browser,
Streamlit and the network add. The map must keep its extent: the benchmark pans the map before
the edits and checks the centre afterwards. No test asserts a time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from tests.browser_harness import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    MAP_IFRAME,
    open_session,
    start_app,
    stop_app,
    wait_for_map,
    wait_until_idle,
)

ENV = "Sting (Stockholm Innovation & Growth) · Stockholm"
KPI = "Miljöer som räknas"
TARGET_MEDIAN_MS, TARGET_P95_MS = 300.0, 600.0

OBSERVE_KPI = """([label, want]) => {
  window.__kpiAt = null;
  const check = () => {
    for (const m of document.querySelectorAll('[data-testid="stMetric"]')) {
      const t = m.innerText;
      if (t.includes(label) && t.split('\\n').some(l => l.trim() === want)) {
        window.__kpiAt = performance.timeOrigin + performance.now(); obs.disconnect(); return;
      }
    }
  };
  const obs = new MutationObserver(check);
  obs.observe(document.body, {subtree: true, childList: true, characterData: true});
}"""

OBSERVE_MAP = """(want) => {
  window.__mapAt = null;
  const check = () => {
    if (document.querySelectorAll('path.sm-edited').length === want
        && document.querySelectorAll('path.sm-delta').length > 0) {
      window.__mapAt = performance.timeOrigin + performance.now(); obs.disconnect();
    }
  };
  const obs = new MutationObserver(check);
  obs.observe(document.body, {subtree: true, childList: true, attributes: true});
}"""


def map_frame(page):
    return page.locator(MAP_IFRAME).last.element_handle().content_frame()


def kpi_value(page) -> str:
    for text in page.locator('[data-testid="stMetric"]').all_inner_texts():
        if KPI in text:
            lines = [x.strip() for x in text.splitlines() if x.strip()]
            return lines[lines.index(KPI) + 1] if KPI in lines else lines[1]
    raise AssertionError("no KPI card")


def timed_click(page, click, want_kpi: str, want_rings: int) -> tuple[float, float]:
    """Milliseconds from the click to the KPI and to the map showing the change."""
    frame = map_frame(page)
    page.evaluate(OBSERVE_KPI, [KPI, want_kpi])
    frame.evaluate(OBSERVE_MAP, want_rings)
    start = page.evaluate("() => performance.timeOrigin + performance.now()")
    click()
    try:
        page.wait_for_function("() => window.__kpiAt !== null", timeout=30_000, polling=5)
    except Exception:
        page.screenshot(path=str(ROOT / "tests" / "artifacts" / "bench_failed.png"))
        print("kpiAt", page.evaluate("() => window.__kpiAt"), "want", want_kpi)
        print("KPI cards:", page.locator('[data-testid="stMetric"]').all_inner_texts())
        raise
    kpi_at = page.evaluate("() => window.__kpiAt")
    frame = map_frame(page)  # the same iframe when the map is updated in place
    frame.wait_for_function("() => window.__mapAt !== null", timeout=30_000, polling=5)
    map_at = frame.evaluate("() => window.__mapAt")
    wait_until_idle(page)
    return kpi_at - start, map_at - start


def p95(values: list[float]) -> float:
    return float(np.percentile(values, 95))


def library_ms(n: int) -> float:
    """The server-side figure of bench_scenario (median over n edits)."""
    import bench_scenario as bs

    from smartmap.analysis import scenario as S
    from smartmap.analysis.metrics import cached_metrics
    from smartmap.analysis.params import MetricParams
    from smartmap.analysis.workshop import Evaluator
    from smartmap.data.layers import load_territory

    baseline = load_territory()
    cached_metrics(baseline, MetricParams())
    edits = bs.session_edits(baseline, n + 1)
    ev = Evaluator(baseline)
    sc = S.Scenario("b", edits=(edits[0],))
    bs.workshop_step(ev, sc)
    out = []
    for e in edits[1:]:
        sc = sc.with_edit(e)
        out.append(bs.workshop_step(ev, sc)["total"])
    return statistics.median(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="6 edits instead of 20")
    args = parser.parse_args()
    n = 6 if args.quick else 20
    from playwright.sync_api import sync_playwright

    (ROOT / "tests" / "artifacts").mkdir(exist_ok=True)
    server = start_app()
    results: dict[str, list[float]] = {k: [] for k in (
        "edit_kpi", "edit_map", "undo_kpi", "undo_map", "redo_kpi", "redo_map", "add_kpi",
        "add_map")}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            s = open_session(browser, viewport=(1280, 720))
            page = s.page
            page.goto(server.url + "workshop")
            wait_for_map(s, "path.sm-delta")
            wait_until_idle(page)
            page.get_by_role("tab", name="Ändra en miljö").click()
            box = page.get_by_label("Miljö", exact=True)
            box.click()
            box.fill(ENV[:20])
            page.get_by_role("option", name=ENV, exact=True).click()
            wait_until_idle(page)
            # pan the map: the extent must survive the edits
            frame = map_frame(page)
            frame.evaluate("() => window.map.setView([59.40, 18.05], 10, {animate: false})")
            centre = frame.evaluate("() => [window.map.getCenter().lat, window.map.getZoom()]")
            start_kpi = int(kpi_value(page))
            for i in range(n):
                closing = i % 2 == 0
                name = "Stäng miljön" if closing else "Öppna (aktiv)"
                button = page.get_by_role("button", name=name)
                want = str(start_kpi - 1 if closing else start_kpi)
                k, m = timed_click(page, button.click, want, 1 if closing else 0)
                results["edit_kpi"].append(k)
                results["edit_map"].append(m)
            # n edits made (an even number: the ring is off); undo and redo alternate
            for _ in range(n // 2):
                k, m = timed_click(page, page.get_by_role("button", name="Ångra").click,
                                   str(start_kpi - 1), 1)
                results["undo_kpi"].append(k)
                results["undo_map"].append(m)
                k, m = timed_click(page, page.get_by_role("button", name="Gör om").click,
                                   str(start_kpi), 0)
                results["redo_kpi"].append(k)
                results["redo_map"].append(m)
            # add test beds with the form (each a new ringed marker)
            page.get_by_role("tab", name="Lägg till miljö").click()
            for i in range(max(3, n // 4)):
                page.get_by_label("Namn", exact=True).fill(f"Testbädd {i + 1}")
                page.get_by_label("Latitud (WGS 84)", exact=True).first.fill(f"{59.75 - 0.05 * i:.4f}")
                page.get_by_label("Longitud (WGS 84)", exact=True).first.fill(f"{18.55 + 0.02 * i:.4f}")
                k, m = timed_click(page, page.get_by_role("button",
                                                          name="Lägg till i scenariot").click,
                                   str(start_kpi + i + 1), i + 1)
                results["add_kpi"].append(k)
                results["add_map"].append(m)
            frame = map_frame(page)
            after = frame.evaluate("() => [window.map.getCenter().lat, window.map.getZoom()]")
            kept = abs(after[0] - centre[0]) < 1e-6 and after[1] == centre[1]
            page.screenshot(path=str(ROOT / "tests" / "artifacts" / "bench_workshop.png"))
            # the share link, opened in a new browser context
            page.get_by_role("tab", name="Spara, öppna, dela").click()
            link = page.locator('[data-testid="stCode"]').first.inner_text().strip()
            shared = []
            for _ in range(3):
                other = open_session(browser, viewport=(1280, 720))
                t0 = time.perf_counter()
                other.page.goto(link)
                wait_for_map(other, "path.sm-edited")
                other.page.locator('[data-testid="stMetric"]').first.wait_for()
                shared.append((time.perf_counter() - t0) * 1000)
                other.page.context.close()
            plain = []  # for comparison: Streamlit's own start-up, a page without a map
            for _ in range(3):
                other = open_session(browser, viewport=(1280, 720))
                t0 = time.perf_counter()
                other.page.goto(server.url)
                other.page.locator('[data-testid="stSidebarNav"] a').first.wait_for()
                other.page.locator("h1").first.wait_for()
                plain.append((time.perf_counter() - t0) * 1000)
                other.page.context.close()
            external = s.external
            s.page.context.close()
            browser.close()
    finally:
        stop_app(server)
    lib = library_ms(n)
    print(f"smartmap workshop in Chromium (1280 x 720): median and 95th percentile, ms; "
          f"{n} edits (close / re-open), {n // 2} undos and redos, "
          f"{len(results['add_kpi'])} adds with the form")
    print(f"{'from the click to':<34} {'median':>8} {'p95':>8}   target: median < "
          f"{TARGET_MEDIAN_MS:.0f}, p95 < {TARGET_P95_MS:.0f}")
    ok = True
    for key, label in (("edit_kpi", "edit -> KPIs"), ("edit_map", "edit -> map"),
                       ("undo_kpi", "undo -> KPIs"), ("undo_map", "undo -> map"),
                       ("redo_kpi", "redo -> KPIs"), ("redo_map", "redo -> map"),
                       ("add_kpi", "add (form) -> KPIs"), ("add_map", "add (form) -> map")):
        v = results[key]
        good = statistics.median(v) < TARGET_MEDIAN_MS and p95(v) < TARGET_P95_MS
        ok &= good
        print(f"  {label:<32} {statistics.median(v):>8.0f} {p95(v):>8.0f}   "
              f"{'yes' if good else 'NO'}")
    print(f"  {'shared link -> map and KPIs':<32} {statistics.median(shared):>8.0f} "
          f"{max(shared):>8.0f}   target < 3000 (max of 3): "
          f"{'yes' if max(shared) < 3000 else 'NO'}")
    print(f"  {'(first page of the app, any visit)':<32} {statistics.median(plain):>8.0f} "
          f"{max(plain):>8.0f}   Streamlit's own start-up in a fresh browser, for comparison")
    print(f"library only (bench_scenario: apply + metrics + diff + map layers): {lib:.0f} ms "
          "median; the rest is Streamlit's rerun, the transfer and the browser's drawing")
    print(f"map extent kept across the edits: {'yes' if kept else 'NO'}; requests outside "
          f"127.0.0.1: {len(external)}")
    return 0 if kept and not external else 1


if __name__ == "__main__":
    raise SystemExit(main())
