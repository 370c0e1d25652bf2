"""The server's housekeeping reaches Streamlit's own session storage (``serve``)."""

from __future__ import annotations

from types import SimpleNamespace
from unittest import mock

from streamlit.runtime import Runtime
from streamlit.runtime.caching.ttl_cache import TTLCache
from streamlit.runtime.memory_session_storage import MemorySessionStorage
from streamlit.runtime.websocket_session_manager import WebsocketSessionManager

from smartmap.app import serve


def test_left_sessions_are_dropped_from_streamlits_storage(monkeypatch):
    """``forget_left_sessions`` finds the storage of this Streamlit version (its types are
    checked, so a version whose insides differ would make it do nothing: this test says so)."""
    now = [0.0]
    storage = MemorySessionStorage(ttl_seconds=60)
    storage._cache = TTLCache(maxsize=10, ttl=60, timer=lambda: now[0])
    manager = WebsocketSessionManager(storage, mock.Mock(), mock.Mock(), None)
    monkeypatch.setattr(Runtime, "instance", staticmethod(lambda: SimpleNamespace(
        _session_mgr=manager)))
    storage._cache["left"] = mock.Mock()
    now[0] = 30.0
    storage._cache["recent"] = mock.Mock()
    now[0] = 61.0  # "left" is past its time, "recent" is not
    assert set(storage._cache._data) == {"left", "recent"}
    serve.forget_left_sessions()
    assert set(storage._cache._data) == {"recent"}
