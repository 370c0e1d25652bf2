"""Start the app like ``streamlit run app.py``, warming the data while the server starts.

Streamlit runs ``app.py`` only when the first browser connects, so the first visitor would wait
for the imports, the data load and the first metrics. Here a background thread does that work
while the server boots: the first visitor finds the (immutable, lru-cached) baseline ready.
Usage: ``python -m smartmap.app.serve [streamlit options]``.

Nothing leaves the server: ``.streamlit/config.toml`` turns off usage statistics and names the
browser address (so the start-up banner does not look up the machine's addresses), and
:func:`keep_address_lookups_offline` covers the one lookup the configuration cannot reach.

Every page has an address that opens directly, and the front end's bundles go out compressed:
:func:`use_front_door` puts :class:`smartmap.app.web.FrontDoor` in front of Streamlit's server.
"""

from __future__ import annotations

import sys
import threading

from smartmap.core.settings import PROJECT_DIR

APP = PROJECT_DIR / "app.py"


def warm() -> None:
    """Import the page modules' dependencies and compute the baseline's data and metrics."""
    try:
        # not streamlit_folium: it registers its component at import, which must happen in the
        # server's runtime (the first script run), not in this thread
        from smartmap.analysis import profile  # noqa: F401
        from smartmap.analysis.metrics import cached_metrics
        from smartmap.core.settings import get_settings
        from smartmap.data.layers import load_territory
        from smartmap.render import assets, maps  # noqa: F401

        assets.install()
        baseline = load_territory(get_settings().county)
        cached_metrics(baseline)
        from smartmap.analysis.live import LiveMetrics

        LiveMetrics(baseline)  # the trees and distances every workshop session shares
    except Exception:  # the app reports any problem itself on its first run
        pass


TRIM_EVERY_S = 20.0


def forget_left_sessions() -> None:
    """Make Streamlit drop the sessions whose browser left more than
    ``server.disconnectedSessionTTL`` seconds ago.

    Streamlit keeps a left session for a reconnect in a TTL cache that expires entries only when
    another session is stored: on a server that has gone quiet (the room has left) they would
    stay, with everything they hold. This reaches into Streamlit's runtime (no public call
    exists) and does nothing if its insides differ.
    """
    try:
        from streamlit.runtime import Runtime
        from streamlit.runtime.caching.ttl_cache import TTLCache
        from streamlit.runtime.memory_session_storage import MemorySessionStorage
        from streamlit.runtime.websocket_session_manager import WebsocketSessionManager

        manager = Runtime.instance()._session_mgr
        if not isinstance(manager, WebsocketSessionManager):
            return
        storage = manager._session_storage
        if not (isinstance(storage, MemorySessionStorage) and isinstance(storage._cache, TTLCache)):
            return
        with manager._storage_lock:
            storage._cache.expire()
    except Exception:  # another Streamlit version: the memory comes back later
        return


def give_memory_back(every_s: float = TRIM_EVERY_S) -> None:
    """Every ``every_s`` seconds, hand the memory that finished sessions freed back to the
    system (glibc's ``malloc_trim``: Python frees into the C heap, which otherwise keeps the
    pages). A no-op where the C library has no ``malloc_trim``."""
    import ctypes
    import ctypes.util
    import gc
    import time

    try:
        trim = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return
    while True:
        time.sleep(every_s)
        forget_left_sessions()
        gc.collect()  # an idle server allocates nothing, so the cycles of closed sessions wait
        trim(0)


def _unknown_address() -> None:
    return None


def keep_address_lookups_offline() -> None:
    """Make Streamlit's own-address lookups answer "unknown" instead of going to the network.

    Streamlit checks the Origin of a cross-origin websocket (e.g. behind a proxy that rewrites
    the Host header) against the machine's internal address, found by a UDP connect to 8.8.8.8,
    and its external address, found by an HTTP request to checkip.amazonaws.com, after every
    origin the configuration names. No setting turns these lookups off short of disabling CORS
    protection, so they are answered here: such origins are then judged by ``localhost``,
    ``browser.serverAddress`` and ``server.corsAllowedOrigins`` alone.
    """
    from streamlit import net_util

    net_util.get_internal_ip = _unknown_address
    net_util.get_external_ip = _unknown_address


def map_files(base_url: str = "") -> list[str]:
    """The files the map's frame loads, to be fetched while the page starts (the map's assets).

    Not the map component's own bundle: Streamlit serves a component only once a script run has
    imported it, which the very first visitor's page has not done yet when its shell arrives.
    """
    from smartmap.render import assets

    urls = assets.urls(base_url)
    return [*urls.css, *urls.js]


def use_front_door() -> None:
    """Put :class:`~smartmap.app.web.FrontDoor` first in Streamlit's middleware stack.

    Streamlit (1.67, Starlette) builds its web app from ``create_streamlit_middleware()``; the
    front door is added as the outermost layer, so it sees each request first and each answer
    last. It honours ``server.baseUrlPath``.
    """
    from starlette.middleware import Middleware
    from streamlit import config
    from streamlit.web.server.starlette import starlette_app

    from smartmap.app import web
    from smartmap.app.web import FrontDoor

    streamlit_middleware = starlette_app.create_streamlit_middleware
    if getattr(streamlit_middleware, "smartmap_front_door", False):
        return

    def with_front_door() -> list[Middleware]:
        base = config.get_option("server.baseUrlPath") or ""
        files = map_files(base)  # both pages open on a map (a shared link on the workshop)
        return [Middleware(FrontDoor, base_url=base,
                           preload={web.HOME: files, web.SCENARIO_PAGE: files}),
                *streamlit_middleware()]

    # a mark on the function (read back above, so it is installed once); functions take any
    # attribute, but their type does not say so
    with_front_door.smartmap_front_door = True  # type: ignore[attr-defined]
    starlette_app.create_streamlit_middleware = with_front_door


def main(argv: list[str] | None = None) -> int:
    """Run ``streamlit run app.py <argv>`` in this process after starting the warm-up."""
    keep_address_lookups_offline()
    use_front_door()
    threading.Thread(target=warm, name="smartmap-warm-up", daemon=True).start()
    threading.Thread(target=give_memory_back, name="smartmap-trim", daemon=True).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    code: int = cli.main()  # click's command: what the run exits with
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
