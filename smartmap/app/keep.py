"""What a browser session keeps across a reload: its workshop, its language and its typed values.

Streamlit starts a new session on every reload (F5), so ``st.session_state`` alone loses the
facilitator's work. Each session therefore gets a random token, carried in the address
(``?ws=<token>``) on every page, and its state is kept under that token in a bounded in-process
store (:class:`SessionStore`): at most ``max_sessions`` sessions, each dropped ``ttl_s`` seconds
after its last change (the oldest first when the store is full). A reload with the token finds
the session's scenarios (with their undo and redo histories), its language and the values of
its bound widgets again; a token the store no longer has (expired, or the server restarted)
starts a fresh session and says so.

Why the server and not the browser's storage: reading ``localStorage`` needs a bidirectional
custom component (JavaScript built and served with the app) and one more round trip before the
first draw; the server already holds the session, the kept values are small (a workshop is a
tuple of immutable scenarios sharing their edits), and nothing leaves the machine. The price:
the work is kept in the server's memory, not across a server restart (save files for that), and
whoever has the address has the session (share the scenario link instead, which carries a copy).

Nothing here imports Streamlit, so the store is tested with plain pytest.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeGuard

QUERY = "ws"
"""The query parameter that carries the session token."""
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")
MAX_SESSIONS = 500
TTL_S = 12 * 3600.0


def new_token() -> str:
    """A fresh, unguessable session token (128 bits, URL-safe)."""
    return secrets.token_urlsafe(16)


def valid_token(token: object) -> TypeGuard[str]:
    """Whether ``token`` looks like a token this module makes (anything else is ignored)."""
    return isinstance(token, str) and TOKEN_RE.fullmatch(token) is not None


@dataclass(frozen=True)
class Kept:
    """One session's kept state: its session keys (the workshop, histories, choices) by name."""

    values: dict[str, object] = field(default_factory=dict)
    saved_at: float = 0.0


class SessionStore:
    """A bounded map token -> :class:`Kept`, least recently written first out, with expiry.

    Thread-safe: Streamlit runs each session's script in its own thread.
    """

    def __init__(self, max_sessions: int = MAX_SESSIONS, ttl_s: float = TTL_S,
                 clock: Callable[[], float] = time.monotonic):
        self.max_sessions = max_sessions
        self.ttl_s = ttl_s
        self.clock = clock
        self._data: OrderedDict[str, Kept] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            self._expire()
            return len(self._data)

    def _expire(self) -> None:
        now = self.clock()
        while self._data:
            token, kept = next(iter(self._data.items()))
            if now - kept.saved_at <= self.ttl_s:
                break
            del self._data[token]

    def get(self, token: str) -> Kept | None:
        """The state kept under ``token`` (None when unknown or expired)."""
        with self._lock:
            self._expire()
            return self._data.get(token)

    def put(self, token: str, values: dict[str, object]) -> None:
        """Keep ``values`` (a copy of the dict) under ``token``; drops the oldest beyond the bound."""
        with self._lock:
            self._data[token] = Kept(dict(values), self.clock())
            self._data.move_to_end(token)
            self._expire()
            while len(self._data) > self.max_sessions:
                self._data.popitem(last=False)

    def drop(self, token: str) -> None:
        """Forget a session."""
        with self._lock:
            self._data.pop(token, None)
