"""Browser-test harness: a running app on a free port and Debian's Chromium via Playwright.

Every request to a host other than 127.0.0.1 is blocked and recorded; failed requests, console
errors and page errors are recorded too. Tests call ``session.assert_clean()``. Chromium is never
downloaded: it must be Debian's, at ``/usr/bin/chromium`` (or ``SMARTMAP_CHROMIUM``); if it is
missing the tests fail rather than skip.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("SMARTMAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
ENV_MARKERS = "path.sm-env, .sm-stack"
"""An environment on the map: a marker, or a stack of markers that overlap on screen."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class AppServer:
    """A Streamlit server running app.py in a subprocess."""

    port: int
    process: subprocess.Popen
    base_path: str = ""

    @property
    def url(self) -> str:
        base = f"/{self.base_path.strip('/')}" if self.base_path.strip("/") else ""
        return f"http://127.0.0.1:{self.port}{base}/"


def start_app(base_path: str = "", env: dict[str, str] | None = None) -> AppServer:
    """Start ``streamlit run app.py`` on a free port and wait until it is healthy."""
    port = free_port()
    cmd = [
        sys.executable, "-m", "smartmap.app.serve",
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
    ]
    if base_path:
        cmd += ["--server.baseUrlPath", base_path]
    log = open(ROOT / "tests" / "artifacts" / f"server-{port}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, **(env or {})},
    )
    server = AppServer(port, proc, base_path)
    health = server.url + "_stcore/health"
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited with code {proc.returncode}; see {log.name}")
        try:
            with urllib.request.urlopen(health, timeout=1) as resp:
                if resp.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError(f"the app did not become healthy within 60 s; see {log.name}")


def stop_app(server: AppServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@dataclass
class BrowserSession:
    """A page plus what it tried to load from elsewhere, what failed and what it logged."""

    page: object
    external: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert not self.external, f"requests to external hosts: {self.external}"
        assert not self.failed, f"failed requests: {self.failed}"
        assert not self.console_errors, f"console errors: {self.console_errors}"

    def map_frame(self):
        """The last st_folium iframe (two exist for a moment while the map changes)."""
        return self.page.frame_locator(MAP_IFRAME).last


def _allowed(url: str) -> bool:
    return url.startswith(("http://127.0.0.1:", "ws://127.0.0.1:", "data:", "blob:", "about:"))


@pytest.fixture(scope="session")
def app_server(artifacts) -> Iterator[AppServer]:
    server = start_app()
    yield server
    stop_app(server)


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Debian's Chromium is required at {CHROMIUM} for the browser tests: "
            "sudo apt-get install -y --no-install-recommends chromium"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_session(browser, viewport=(1400, 1000)) -> BrowserSession:
    """A fresh browser context whose requests are filtered and recorded."""
    context = browser.new_context(
        viewport={"width": viewport[0], "height": viewport[1]}, accept_downloads=True
    )
    page = context.new_page()
    session = BrowserSession(page)

    def route(route):
        url = route.request.url
        if _allowed(url):
            route.continue_()
        else:
            session.external.append(url)
            route.abort()

    context.route("**/*", route)
    # a request the browser itself cancelled (net::ERR_ABORTED: the page or the map iframe was
    # replaced while it loaded) is not a failure of the app; a refused or missing file is, and an
    # HTTP error status is recorded too (a missing asset answers 404, which is no requestfailed)
    page.on("requestfailed", lambda r: session.failed.append(f"{r.url} ({r.failure})")
            if _allowed(r.url) and "ERR_ABORTED" not in (r.failure or "") else None)
    page.on("response", lambda r: session.failed.append(f"{r.url} (HTTP {r.status})")
            if _allowed(r.url) and r.status >= 400 else None)
    page.on("console", lambda m: session.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: session.console_errors.append(f"page error: {e}"))
    return session


@pytest.fixture
def browser_session(chromium) -> Iterator[BrowserSession]:
    session = open_session(chromium)
    yield session
    session.page.context.close()


def wait_for_map(session: BrowserSession, selector: str = "path.sm-municipality", timeout: int = 60_000):
    """Wait until the map iframe shows ``selector``; return the frame locator."""
    frame = session.map_frame()
    frame.locator(selector).first.wait_for(timeout=timeout)
    return frame


def environment_count(session: BrowserSession) -> int:
    """How many environments the (last) map shows, those in stacks included."""
    return session.map_frame().locator(".leaflet-container").first.evaluate(
        "() => smartmap.count(window.map)")


def map_zoom(session: BrowserSession) -> float:
    """The Leaflet zoom level of the (last) map iframe."""
    return session.map_frame().locator(".leaflet-container").first.evaluate(
        "() => window.map.getZoom()"
    )


def wait_until_idle(page, timeout: int = 30_000) -> None:
    """Wait until Streamlit has finished the current script run."""
    page.wait_for_timeout(300)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=timeout)


def pick_multiselect(page, label: str, option: str) -> None:
    """Choose ``option`` in the Streamlit multiselect labelled ``label``."""
    box = page.get_by_label(label, exact=True)
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    wait_until_idle(page)


def clear_multiselect(page, label: str) -> None:
    """Remove every chosen value of the Streamlit multiselect labelled ``label``."""
    container = page.locator('[data-testid="stMultiSelect"]').filter(has=page.get_by_label(label, exact=True))
    clear = container.locator('[aria-label="Clear all"], [title="Clear all"]')
    if clear.count():
        clear.first.click()
        wait_until_idle(page)


@pytest.fixture(scope="session")
def hostile_server(artifacts) -> Iterator[AppServer]:
    """An app serving tests/data/hostile: names with <script>, quotes, backticks and ${...}."""
    server = start_app(env={"SMARTMAP_DATA_DIR": str(ROOT / "tests" / "data" / "hostile")})
    yield server
    stop_app(server)


def open_popup(session: BrowserSession, selector: str, index: int = 0) -> str:
    """Click the ``index``-th marker matching ``selector`` and return its popup's text."""
    frame = session.map_frame()
    marker = frame.locator(selector).nth(index)
    marker.dispatch_event("click")
    popup = frame.locator(".leaflet-popup-content")
    popup.last.wait_for(timeout=10_000)
    text = popup.last.inner_text()
    frame.locator(".leaflet-container").first.evaluate("() => window.map.closePopup()")
    return text


def click_map_at(session: BrowserSession, lat: float, lon: float) -> None:
    """A real mouse click on the map at a WGS 84 location."""
    frame_el = session.page.locator(MAP_IFRAME).last
    frame_el.scroll_into_view_if_needed()
    point = session.map_frame().locator(".leaflet-container").first.evaluate(
        "(el, [lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
        " return [p.x, p.y]; }", [lat, lon])
    inner = session.map_frame().locator(".leaflet-container").first.bounding_box()
    session.page.mouse.click(inner["x"] + point[0], inner["y"] + point[1])


def pick_selectbox(page, label: str, option: str) -> None:
    """Choose ``option`` in the Streamlit selectbox labelled ``label`` (a virtualised combobox)."""
    box = page.get_by_label(label, exact=True)
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option, exact=True).first.click()
    wait_until_idle(page)


def choose_radio(page, option: str) -> None:
    """Click the radio option with this visible text."""
    page.get_by_text(option, exact=True).first.click()
    wait_until_idle(page)
