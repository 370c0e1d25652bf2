"""The app's front door: page addresses that open directly, and compressed answers.

An ASGI middleware put in front of Streamlit's own web server by :mod:`smartmap.app.serve`:

- **Page addresses.** ``/`` (the app's root) redirects to the home page's own address
  (``/map``), keeping the query string, so every page, the first one included, has an address
  that a bookmark, a reload or an e-mail opens as it is.
- **No probes that fail.** Streamlit's front end does not know where the app's root is when it
  is opened at a page's address, so it first asks ``<page>/_stcore/health`` and
  ``<page>/_stcore/host-config`` (two 404s, Streamlit issue #7074) and only then the root. The
  page shell here names the root (``window.__streamlit.BACKEND_BASE_URL``, read by the front
  end at start), so it asks the root straight away.
- **The page's language.** The shell keeps ``<html lang>`` equal to the app's language (the
  ``lang`` query parameter, Swedish by default), so screen readers speak Swedish as Swedish.
- **Compressed answers.** Streamlit serves its front-end bundles (``/static/``, about 5 MB) and
  the page shell uncompressed; here they are gzip-compressed, each bundle once per server
  (their names carry a content hash and never change).
- **The map's files early and once.** The home page's shell asks the browser to fetch the map's
  scripts and styles (Leaflet, jQuery, smartmap's own) while Streamlit's front end starts, and
  files whose address carries their version (``?v=`` from ``smartmap.render.assets``, the map
  component's hashed bundle) may be kept by the browser for good, so the map's frame finds them
  in the cache instead of asking again.

Everything else passes through untouched; the middleware never reaches the network.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import html
import json
from collections.abc import Awaitable, Callable, Mapping, MutableMapping, Sequence
from typing import Any
from urllib.parse import quote

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

HOME = "map"
"""The home page's address (``url_path`` of the map page in ``smartmap.app.main``)."""
SCENARIO_PAGE = "workshop"
"""Where a shared scenario link (``/?scenario=...``) goes."""

COMPRESSIBLE = (".js", ".css", ".html", ".json", ".svg", ".map", ".txt", ".ttf", ".otf")
"""Files worth compressing (woff2, png and the like are compressed already)."""
IMMUTABLE = b"public, max-age=31536000, immutable"
MIN_SIZE = 1024
LEVEL = 6
NOT_PAGES = ("/_stcore/", "/static/", "/app/static/", "/component/", "/media/",
             "/_stcore", "/favicon.png", "/manifest.json")
"""Paths (under the base URL) that are not pages of the app."""


def shell_script(base_url: str) -> str:
    """The ``<script>`` put first in the page shell's ``<head>`` (see the module docstring)."""
    base = "/" + base_url.strip("/") if base_url.strip("/") else ""
    return (
        "<script>(function () {"
        # the app's root, so the front end does not probe <page>/_stcore/* first (#7074)
        f"var root = location.origin + {json.dumps(quote(base) + '/')};"
        "window.__streamlit = Object.assign({}, window.__streamlit, {BACKEND_BASE_URL: root});"
        # <html lang> follows the app's language, which the app keeps in ?lang=
        "function sync() {"
        " var l = new URLSearchParams(location.search).get('lang');"
        " document.documentElement.lang = l === 'en' ? 'en' : 'sv'; }"
        "['pushState', 'replaceState'].forEach(function (m) {"
        " var f = history[m]; history[m] = function () {"
        " var r = f.apply(this, arguments); sync(); return r; }; });"
        "window.addEventListener('popstate', sync); sync();"
        "})();</script>"
    )


def preload_links(urls: Sequence[str]) -> str:
    """``<link rel="preload">`` for each URL (scripts and styles, by their ending)."""
    links = []
    for url in urls:
        kind = "style" if url.split("?", 1)[0].endswith(".css") else "script"
        links.append(f'<link rel="preload" href="{html.escape(url, quote=True)}" as="{kind}">')
    return "".join(links)


def inject(page: bytes, script: str, title: str = "smartmap") -> bytes:
    """The page shell with ``script`` first in its head and the app's name as its first title."""
    text = page.decode("utf-8")
    text = text.replace("<head>", "<head>" + script, 1)
    text = text.replace("<title>Streamlit</title>", f"<title>{title}</title>", 1)
    return text.encode("utf-8")


def _header(scope: Scope, name: bytes) -> str:
    headers: list[tuple[bytes, bytes]] = scope.get("headers", [])  # ASGI: (name, value) pairs
    for key, value in headers:
        if key.lower() == name:
            return value.decode("latin-1")
    return ""


def _without_headers(scope: Scope, names: set[bytes]) -> Scope:
    out = dict(scope)
    out["headers"] = [(k, v) for k, v in scope.get("headers", []) if k.lower() not in names]
    return out


def _accepts_gzip(scope: Scope) -> bool:
    return "gzip" in _header(scope, b"accept-encoding").lower()


class FrontDoor:
    """The middleware (see the module docstring). ``base_url``: ``server.baseUrlPath``."""

    def __init__(self, app: ASGIApp, base_url: str = "",
                 preload: Mapping[str, Sequence[str]] | None = None) -> None:
        """``preload``: for a page's address (``"map"``), the URLs its shell asks for early."""
        self.app = app
        self.base = "/" + base_url.strip("/") if base_url.strip("/") else ""
        self.script = shell_script(base_url)
        self.preload = {page.strip("/"): preload_links(urls)
                        for page, urls in (preload or {}).items()}
        self._static: dict[str, tuple[list[tuple[bytes, bytes]], bytes]] = {}
        """Compressed front-end bundles by path: response headers and gzip body."""

    def _relative(self, path: str) -> str | None:
        if not self.base:
            return path
        if path == self.base:
            return "/"
        return path[len(self.base):] if path.startswith(self.base + "/") else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        rel = self._relative(scope.get("path", ""))
        if rel is None:
            await self.app(scope, receive, send)
        elif rel in ("", "/"):
            await self._home(scope, send)
        elif rel.startswith("/static/"):
            await self._bundle(scope, receive, send, rel)
        elif not rel.startswith(NOT_PAGES) and "." not in rel.rsplit("/", 1)[-1]:
            await self._shell(scope, receive, send, rel.strip("/"))
        elif self._immutable(scope, rel):
            await self.app(scope, receive, self._caching(send))
        else:
            await self.app(scope, receive, send)

    @staticmethod
    def _immutable(scope: Scope, rel: str) -> bool:
        """A file whose address changes with its content: the map's versioned assets, a
        component's hashed bundle."""
        query = scope.get("query_string", b"").decode("latin-1")
        if rel.startswith("/app/static/") and any(p.startswith("v=") for p in query.split("&")):
            return True
        return rel.startswith("/component/") and "/static/" in rel

    def _caching(self, send: Send) -> Send:
        async def caching(message: Message) -> None:
            if message["type"] == "http.response.start" and message.get("status") == 200:
                message["headers"] = self._replace(list(message.get("headers", [])),
                                                   cache_control=IMMUTABLE)
            await send(message)

        return caching

    async def _home(self, scope: Scope, send: Send) -> None:
        query = scope.get("query_string", b"").decode("latin-1")
        page = SCENARIO_PAGE if any(p.split("=", 1)[0] == "scenario"
                                    for p in query.split("&")) else HOME
        location = f"{self.base}/{page}" + (f"?{query}" if query else "")
        await send({"type": "http.response.start", "status": 302,
                    "headers": [(b"location", location.encode("latin-1")),
                                (b"cache-control", b"no-cache"), (b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})

    async def _capture(self, scope: Scope, receive: Receive
                       ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        """Run the app and collect its whole (small, or once-per-server) answer."""
        start: Message = {}
        body = bytearray()

        async def collect(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                body.extend(message.get("body", b""))

        await self.app(scope, receive, collect)
        return int(start.get("status", 500)), list(start.get("headers", [])), bytes(body)

    @staticmethod
    async def _answer(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes,
                      head: bool) -> None:
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if head else body})

    @staticmethod
    def _replace(headers: list[tuple[bytes, bytes]], **new: bytes) -> list[tuple[bytes, bytes]]:
        names = {k.replace("_", "-").encode() for k in new}
        kept = [(k, v) for k, v in headers if k.lower() not in names]
        return kept + [(k.replace("_", "-").encode(), v) for k, v in new.items()]

    async def _bundle(self, scope: Scope, receive: Receive, send: Send, rel: str) -> None:
        """A front-end bundle: compressed once, then answered from memory."""
        if not (rel.endswith(COMPRESSIBLE) and _accepts_gzip(scope)):
            await self.app(scope, receive, send)
            return
        head = scope.get("method") == "HEAD"
        cached = self._static.get(rel)
        if cached is None:
            status, headers, body = await self._capture(
                _without_headers(scope, {b"accept-encoding", b"if-none-match", b"range",
                                         b"if-modified-since"}), receive)
            if status != 200 or len(body) < MIN_SIZE or any(
                    k.lower() == b"content-encoding" for k, _ in headers):
                await self._answer(send, status, headers, body, head)
                return
            # off the event loop: the largest bundles take tens of milliseconds
            packed = await asyncio.to_thread(gzip.compress, body, LEVEL, mtime=0)
            headers = self._replace(headers, content_encoding=b"gzip",
                                    content_length=str(len(packed)).encode(),
                                    vary=b"Accept-Encoding")
            cached = self._static[rel] = (headers, packed)
        headers, packed = cached
        etag = next((v for k, v in headers if k.lower() == b"etag"), None)
        if etag is not None and _header(scope, b"if-none-match").encode("latin-1") == etag:
            await self._answer(send, 304, [(b"etag", etag)], b"", True)
            return
        await self._answer(send, 200, headers, packed, head)

    async def _shell(self, scope: Scope, receive: Receive, send: Send, page: str) -> None:
        """A page's address: Streamlit's page shell with the script, compressed."""
        head = scope.get("method") == "HEAD"
        status, headers, body = await self._capture(
            _without_headers(scope, {b"accept-encoding", b"if-none-match",
                                     b"if-modified-since"}), receive)
        content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
        if status != 200 or not content_type.startswith(b"text/html"):
            await self._answer(send, status, headers, body, head)
            return
        body = inject(body, self.script + self.preload.get(page, ""))
        etag = ('"' + hashlib.sha256(body).hexdigest()[:32] + '"').encode()
        if _header(scope, b"if-none-match").encode("latin-1") == etag:
            await self._answer(send, 304, [(b"etag", etag), (b"cache-control", b"no-cache")],
                               b"", True)
            return
        extra: dict[str, bytes] = {"etag": etag, "vary": b"Accept-Encoding"}
        if _accepts_gzip(scope):
            body = gzip.compress(body, compresslevel=LEVEL, mtime=0)
            extra["content_encoding"] = b"gzip"
        extra["content_length"] = str(len(body)).encode()
        await self._answer(send, 200, self._replace(headers, **extra), body, head)
