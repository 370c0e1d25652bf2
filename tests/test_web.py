"""The app's front door (smartmap.app.web): page addresses, the shell's script, compression,
caching, under a base URL too. Driven as ASGI with a stand-in for Streamlit's server."""

from __future__ import annotations

import asyncio
import concurrent.futures
import gzip

import pytest

from smartmap.app import web

SHELL = (b'<!DOCTYPE html>\n<html lang="en">\n  <head>\n    <title>Streamlit</title>\n'
         b'  </head><body><div id="root"></div></body></html>')
BUNDLE = b"console.log('a front-end bundle');\n" * 200


class Streamlit:
    """Answers like Streamlit's static files: the shell for pages, bundles, others as given."""

    def __init__(self) -> None:
        self.seen: list[dict] = []

    async def __call__(self, scope, receive, send):
        self.seen.append(scope)
        path = scope["path"]
        if "/static/js/" in path:
            status, kind, body = 200, b"application/javascript", BUNDLE
        elif path.endswith("/_stcore/health"):
            status, kind, body = 200, b"text/plain", b"ok"
        elif "." in path.rsplit("/", 1)[-1]:
            status, kind, body = 200, b"text/css", b"x{}"
        else:
            status, kind, body = 200, b"text/html; charset=utf-8", SHELL
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", kind), (b"etag", b'"e1"'),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def call(app, path: str, query: str = "", headers: dict | None = None, method: str = "GET"):
    scope = {"type": "http", "method": method, "path": path,
             "query_string": query.encode(), "headers": [
                 (k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]}
    messages: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        messages.append(message)

    # in a thread of its own: the browser tests' Playwright keeps an event loop in this one
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    start = messages[0]
    body = b"".join(m.get("body", b"") for m in messages[1:])
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body


@pytest.fixture
def door():
    inner = Streamlit()
    return web.FrontDoor(inner, preload={"map": ["/app/static/vendor/leaflet/leaflet.js?v=1",
                                                  "/app/static/vendor/leaflet/leaflet.css?v=2"]})


def test_the_root_opens_the_map_at_its_own_address_keeping_the_link(door):
    status, headers, _ = call(door, "/", "lang=en&r=15")
    assert status == 302 and headers["location"] == "/map?lang=en&r=15"
    status, headers, _ = call(door, "/", "scenario=abc")  # a shared scenario: the workshop
    assert headers["location"] == "/workshop?scenario=abc"


def test_a_page_shell_names_the_root_keeps_the_language_and_is_compressed(door):
    status, headers, body = call(door, "/governance", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    html = gzip.decompress(body).decode()
    assert "BACKEND_BASE_URL" in html and 'location.origin + "/"' in html
    assert "document.documentElement.lang" in html and "<title>smartmap</title>" in html
    assert 'rel="preload"' not in html  # only the map's shell fetches the map's files early
    _, _, body = call(door, "/map", headers={"Accept-Encoding": "gzip"})
    map_html = gzip.decompress(body).decode()
    assert map_html.count('rel="preload"') == 2 and 'as="style"' in map_html
    # a browser that has the shell gets a 304
    status, _, _ = call(door, "/governance", headers={"If-None-Match": headers["etag"]})
    assert status == 304


def test_bundles_are_compressed_once_and_health_probes_pass_untouched(door):
    inner = door.app
    first = call(door, "/static/js/index.abc.js", headers={"Accept-Encoding": "gzip, br"})
    second = call(door, "/static/js/index.abc.js", headers={"Accept-Encoding": "gzip"})
    assert first[0] == second[0] == 200 and first[1]["content-encoding"] == "gzip"
    assert gzip.decompress(first[2]) == BUNDLE and first[2] == second[2]
    assert len(first[2]) < len(BUNDLE) / 10
    assert sum("/static/js/" in s["path"] for s in inner.seen) == 1  # compressed once
    plain = call(door, "/static/js/index.abc.js")  # a client without gzip gets the file itself
    assert plain[2] == BUNDLE and "content-encoding" not in plain[1]
    status, _, body = call(door, "/_stcore/health")
    assert status == 200 and body == b"ok"


def test_versioned_map_files_may_be_kept_for_good(door):
    _, headers, _ = call(door, "/app/static/vendor/leaflet/leaflet.js", "v=abc")
    assert "immutable" in headers["cache-control"]
    _, headers, _ = call(door, "/app/static/vendor/leaflet/leaflet.js")
    assert "cache-control" not in headers
    _, headers, _ = call(door, "/component/streamlit_folium.st_folium/static/js/main.1.js")
    assert "immutable" in headers["cache-control"]


def test_under_a_base_url():
    door = web.FrontDoor(Streamlit(), base_url="/tools/smartmap/")
    status, headers, _ = call(door, "/tools/smartmap", "lang=en")
    assert status == 302 and headers["location"] == "/tools/smartmap/map?lang=en"
    _, _, body = call(door, "/tools/smartmap/about")
    assert b'location.origin + "/tools/smartmap/"' in body
    status, _, body = call(door, "/elsewhere")  # outside the app: untouched
    assert body == SHELL
