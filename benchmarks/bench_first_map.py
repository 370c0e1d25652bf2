"""Benchmark of the first map: server start to map visible, and a warm visit, in Chromium.

Run with ``.venv/bin/python benchmarks/bench_first_map.py`` (``--runs N``, default 5; ``--quick``
for 2). Issue 14 asks for the map visible < 3 s after the server starts (cold) and < 1.5 s on a
visit to a running server (warm), and for the default view's payload to be as small as it can.

Three measurements, each the median of the runs, with Debian's Chromium driven by Playwright:

- **cold**: start the server (``python -m smartmap.app.serve``, the README's way), open ``/map``
  in a new browser as soon as the server answers, stop the clock when the map's municipalities
  are drawn. The clock starts when the server process is started.
- **warm, new visitor**: the server runs; a new browser (empty cache) opens ``/map``.
- **warm, returning visitor**: the same browser opens ``/map`` again (its cache is warm).

For each, where the time goes (from the browser's own clock, ms after navigation): the page
shell, the front end's bundles, the first content (the title), the map's frame and its scripts,
and the map drawn. And the payload: requests, bytes over the wire, bytes in the websocket.

Next to it, the reference: the same app served by plain ``streamlit run app.py`` (no front door:
bundles and the shell uncompressed, the websocket uncompressed, and for ``/map`` the probes of
``/map/_stcore/*`` first); the ratios are printed side by side. No test asserts a time.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser_harness import CHROMIUM, CHROMIUM_ARGS, MAP_IFRAME  # noqa: E402

DRAWN = "path.sm-municipality"

TIMELINE_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  const end = (f) => Math.max(0, ...res.filter(f).map(r => r.responseEnd));
  return {
    shell: nav ? nav.responseEnd : 0,
    bundles: end(r => r.name.includes('/static/js/') || r.name.includes('/static/css/')),
    frame: end(r => r.name.includes('/component/')),
  };
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(plain: bool, port: int, log) -> subprocess.Popen:
    """The app as the README starts it, or (``plain``) as bare ``streamlit run app.py``."""
    runner = (["-m", "streamlit", "run", "app.py"] if plain else ["-m", "smartmap.app.serve"])
    cmd = [sys.executable, *runner, "--server.headless", "true", "--server.address", "127.0.0.1",
           "--server.port", str(port)]
    if plain:
        cmd += ["--server.enableWebsocketCompression", "false"]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})


def wait_healthy(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the server exited")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1):
                return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError("the server did not answer")


def visit(context, url: str, started: float | None = None) -> dict:
    """Open ``url`` in ``context``; the time to the drawn map and where it went, the payload."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    wire = {"bytes": 0, "requests": 0, "ws": 0}

    def finished(e: dict) -> None:
        wire["bytes"] += e.get("encodedDataLength", 0)
        wire["requests"] += 1

    frames: list[bytes] = []

    def frame(e: dict) -> None:
        data = e["response"]["payloadData"]
        # binary frames (Streamlit's protobuf messages) come base64-encoded
        frames.append(base64.b64decode(data) if e["response"].get("opcode") == 2
                      else data.encode())

    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.webSocketFrameReceived", frame)
    begin = time.perf_counter() if started is None else started
    page.goto(url)
    page.locator("h1").first.wait_for(timeout=60_000)
    title = (time.perf_counter() - begin) * 1000
    page.frame_locator(MAP_IFRAME).last.locator(DRAWN).first.wait_for(timeout=60_000)
    drawn = (time.perf_counter() - begin) * 1000
    page.wait_for_timeout(1500)  # let the rest of the first view arrive (for the payload)
    timeline = page.evaluate(TIMELINE_JS)
    inner = page.frame_locator(MAP_IFRAME).last.locator("body").evaluate(
        "() => Math.max(0, ...performance.getEntriesByType('resource')"
        ".filter(r => r.name.includes('/app/static/vendor/')).map(r => r.responseEnd))"
        " + performance.timeOrigin")
    origin = page.evaluate("() => performance.timeOrigin")
    page.close()
    payload = b"".join(frames)
    # the browser reports frames after decompression: what permessage-deflate (one compression
    # context per connection) puts on the wire is about the payload deflated as one stream
    wire["ws"] = len(payload)
    wire["ws_deflated"] = len(zlib.compress(payload, 6))
    return {"map_ms": drawn, "title_ms": title, **{f"{k}_ms": v for k, v in timeline.items()},
            "map_scripts_ms": inner - origin, **wire}


def measure_once(pw, plain: bool, out: dict[str, list[dict]]) -> None:
    """One cold start and two warm visits of one variant."""
    port = free_port()
    with tempfile.TemporaryFile("w+") as log:
        started = time.perf_counter()
        proc = start(plain, port, log)
        try:
            wait_healthy(port, proc)
            url = f"http://127.0.0.1:{port}/map"
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1366, "height": 768})
            out["cold"].append(visit(context, url, started))
            context.close()
            context = browser.new_context(viewport={"width": 1366, "height": 768})
            out["warm_new"].append(visit(context, url))
            out["warm_returning"].append(visit(context, url))
            context.close()
            browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def run_both(pw, runs: int) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    """The two variants in turn (ours, plain, ours, ...), so both meet the same machine load."""
    ours: dict[str, list[dict]] = {"cold": [], "warm_new": [], "warm_returning": []}
    plain: dict[str, list[dict]] = {"cold": [], "warm_new": [], "warm_returning": []}
    for _ in range(runs):
        measure_once(pw, False, ours)
        measure_once(pw, True, plain)
    return ours, plain


def median(rows: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rows)


def report(ours: dict, plain: dict) -> str:
    lines = [f"{'':28}{'smartmap':>12}{'plain streamlit':>17}{'ratio':>8}"]
    for case, label in (("cold", "server start → map (ms)"), ("warm_new", "warm, new visitor (ms)"),
                        ("warm_returning", "warm, returning (ms)")):
        a, b = median(ours[case], "map_ms"), median(plain[case], "map_ms")
        fastest = min(r["map_ms"] for r in ours[case]), min(r["map_ms"] for r in plain[case])
        lines.append(f"{label:28}{a:12.0f}{b:17.0f}{b / a:8.2f}   (fastest {fastest[0]:.0f} /"
                     f" {fastest[1]:.0f})")
    for key, label in (("bytes", "bytes over the wire"), ("requests", "requests"),
                       ("ws", "websocket payload")):
        a, b = median(ours["warm_new"], key), median(plain["warm_new"], key)
        lines.append(f"{label + ' (new visitor)':28}{a:12.0f}{b:17.0f}{b / max(a, 1):8.2f}")
    a, b = median(ours["warm_new"], "ws_deflated"), median(plain["warm_new"], "ws")
    lines.append(f"{'websocket on the wire (est.)':28}{a:12.0f}{b:17.0f}{b / max(a, 1):8.2f}"
                 "   (ours deflated, plain sends it as is)")
    a, b = median(ours["warm_returning"], "bytes"), median(plain["warm_returning"], "bytes")
    lines.append(f"{'bytes (returning visitor)':28}{a:12.0f}{b:17.0f}{b / max(a, 1):8.2f}")
    lines.append("")
    lines.append("where the time goes (median ms after navigation; cold also counts the server's"
                 " start before it):")
    keys = ("shell_ms", "bundles_ms", "title_ms", "frame_ms", "map_scripts_ms", "map_ms")
    names = ("page shell", "front-end bundles", "first content", "map frame",
             "map scripts", "map drawn")
    lines.append(f"{'':28}" + "".join(f"{n:>18}" for n in names))
    for variant, data in (("smartmap", ours), ("plain streamlit", plain)):
        for case in ("cold", "warm_new", "warm_returning"):
            values = [median(data[case], k) for k in keys]
            lines.append(f"{variant + ' ' + case:28}" + "".join(f"{v:18.0f}" for v in values))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="2 runs")
    parser.add_argument("--json", type=Path, help="also write every measurement here")
    args = parser.parse_args()
    runs = 2 if args.quick else args.runs
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        ours, plain = run_both(pw, runs)
    load = os.getloadavg()[0]
    print(f"First map, median of {runs} runs (Chromium, 1366 x 768, the default view of /map; "
          f"load average {load:.1f} on {os.cpu_count()} cores)")
    print(report(ours, plain))
    if args.json:
        args.json.write_text(json.dumps({"smartmap": ours, "plain": plain}, indent=1))


if __name__ == "__main__":
    main()
