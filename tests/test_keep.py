"""The store that keeps a session's workshop across a reload: bounded, expiring, by token."""

from __future__ import annotations

from smartmap.analysis.workshop import Workshop
from smartmap.app import keep


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_tokens_are_fresh_and_checked():
    a, b = keep.new_token(), keep.new_token()
    assert a != b and keep.valid_token(a) and keep.valid_token(b)
    for bad in (None, "", "short", "x" * 65, "a b" * 10, "<script>alert(1)</script>", 42):
        assert not keep.valid_token(bad)


def test_a_kept_session_comes_back_as_a_copy():
    store = keep.SessionStore()
    ws = Workshop.start("A").new("B")
    values = {"sm_ws": ws, "sm_lang": "en", "sm_widget_values": {"ws_author": "Anna"}}
    store.put("t" * 22, values)
    values["sm_lang"] = "sv"  # the session goes on; the kept copy does not change with it
    kept = store.get("t" * 22)
    assert kept.values["sm_ws"] is ws and kept.values["sm_lang"] == "en"
    assert store.get("u" * 22) is None


def test_the_store_is_bounded_and_expires():
    clock = Clock()
    store = keep.SessionStore(max_sessions=3, ttl_s=60, clock=clock)
    for i in range(5):
        clock.now = i
        store.put(f"{i}" * 22, {"n": i})
    assert len(store) == 3 and store.get("0" * 22) is None and store.get("4" * 22) is not None
    clock.now = 63.5  # 2 and 3 were last written more than 60 s ago
    assert store.get("2" * 22) is None and store.get("3" * 22) is None
    assert store.get("4" * 22).values == {"n": 4}
    clock.now = 200
    assert len(store) == 0
    store.put("a" * 22, {})
    store.drop("a" * 22)
    assert store.get("a" * 22) is None
