"""One idiom for every page: the language, widget values that survive, and plain session state.

A page starts with ``lang = ui.lang()`` and ``t = ui.translator(lang)``, and gives each widget a
literal key. A widget whose value the user must not lose (a filter, a choice, a parameter) is
drawn with ``**ui.bind(name, default)``; its key is ``name`` in every language.

Why the binding is needed: Streamlit drops a widget's state when its page is not shown, and it
keeps a select's value by its displayed label, so after a language switch the label the browser
sends back no longer matches any option. ``bind`` therefore keeps each value under a plain
session key (not tied to the widget) and copies it into the widget when the widget is new on this
run (a page switch) or was last drawn in another language. Option values are always ids (codes,
term ids, metric ids), shown through ``format_func``, so the kept value means the same thing in
both languages.

Everything else a session keeps (its workshop, its upload, a message to show once) lives in a
:class:`Slot`: a typed name for one ``st.session_state`` key.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, Required, TypedDict, TypeVar, overload

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from smartmap.app.views.common import translator, uploader_css
from smartmap.core import vocab

T = TypeVar("T")

__all__ = ["LANG", "Slot", "bind", "lang", "set_widget", "translator", "value"]

LANG = "sm_lang"
"""The language switch's widget key (drawn on every page by ``main``)."""


@dataclass(frozen=True)
class Slot(Generic[T]):
    """A ``st.session_state`` key not tied to a widget: it survives page and language switches."""

    key: str

    def get(self, default: T | None = None) -> T | None:
        """The value, or ``default`` when the session has none."""
        value: T | None = st.session_state.get(self.key, default)  # only set() stores it
        return value

    def set(self, value: T) -> T:
        """Store ``value`` (and return it)."""
        st.session_state[self.key] = value
        return value

    def pop(self) -> T | None:
        """Remove and return the value (``None`` when there was none)."""
        value: T | None = st.session_state.pop(self.key, None)
        return value

    def get_or(self, make: Callable[[], T]) -> T:
        """The value, made and stored by ``make()`` the first time."""
        if self.key not in st.session_state:
            st.session_state[self.key] = make()
        value: T = st.session_state[self.key]
        return value


_KEPT: Slot[dict[str, object]] = Slot("sm_widget_values")
"""The last value of every bound widget, by name."""
_DRAWN: Slot[dict[str, str]] = Slot("sm_widget_langs")
"""The language each bound widget was last drawn in, by name."""


def lang() -> vocab.Lang:
    """The session's language (``sv`` until the user switches)."""
    language: vocab.Lang = st.session_state.get(LANG, "sv")  # the switch offers vocab.LANGS
    return language


def _allowed(value: object, options: Sequence[object] | None, default: object) -> object:
    """``value`` if it is (or, for a list, each item is) among ``options``; else ``default``."""
    if options is None:
        return value
    if isinstance(value, list | tuple):
        return [v for v in value if v in options]
    return value if value in options or value == default else default


class Binding(TypedDict, total=False):
    """What :func:`bind` gives a widget: its key and, outside a form, its callback."""

    key: Required[str]
    on_change: Callable[[], None]


def bind(name: str, default: object, *, options: Sequence[object] | None = None,
         on_change: Callable[[], None] | None = None, in_form: bool = False) -> Binding:
    """``key`` (and ``on_change``) for a widget whose value survives page and language switches.

    Call it just before drawing the widget. ``options``: the widget's current option ids; a kept
    value that is no longer one of them falls back to ``default`` (for a multiselect, the missing
    items are dropped). ``on_change`` runs after the value is kept. Widgets in a form cannot
    have callbacks: pass ``in_form=True`` (their value is kept on the next run).
    """
    state, kept, drawn, language = st.session_state, _KEPT.get_or(dict), _DRAWN.get_or(dict), lang()
    fresh = name not in state or drawn.get(name) != language
    value = kept.get(name, default) if fresh else state[name]
    value = _allowed(value, options, default)
    if fresh or state[name] != value:
        state[name] = value
    kept[name] = value
    drawn[name] = language
    if in_form:
        return {"key": name}

    def keep() -> None:
        kept[name] = st.session_state[name]
        if on_change is not None:
            on_change()

    return {"key": name, "on_change": keep}


def set_widget(name: str, value: object) -> None:
    """Set a bound widget's value from elsewhere (a map click, a callback, the active scenario).

    Call it in a callback or before the widget is drawn on this run.
    """
    _KEPT.get_or(dict)[name] = value
    st.session_state[name] = value


def value(name: str, default: object = None) -> Any:
    """A bound widget's current value (its kept value when the widget is not on the page): as
    Streamlit's session state has it, typed by the widget that set it."""
    if name in st.session_state:
        return st.session_state[name]
    return _KEPT.get_or(dict).get(name, default)


# ---------------------------------------------------------------------------------------------
# links: a page's choices in the address (views.link says which and how)

_LINK_SEEN: Slot[set[str]] = Slot("sm_link_seen")
"""The pages (and ``*lang``) whose address this session has already read."""
_LINK_WRITTEN: Slot[dict[str, dict[str, str]]] = Slot("sm_link_written")
"""The query parameters each page last wrote, by page."""


def query(keys: Sequence[str]) -> dict[str, str]:
    """The address's query parameters among ``keys``."""
    params = st.query_params
    return {k: str(params[k]) for k in keys if k in params}


def link_arrived(page: str, keys: Sequence[str]) -> dict[str, str] | None:
    """The address's parameters among ``keys`` when they came from outside this page: on the
    page's first run in the session (a link, a bookmark, a reload) and after the browser's back
    or forward to another view of it; ``None`` when the address is the page's own last write or
    says nothing (a switch from another page, which keeps the session's choices)."""
    current = query(keys)
    seen = _LINK_SEEN.get_or(set)
    if page not in seen:
        seen.add(page)
        return current
    if current and current != _LINK_WRITTEN.get_or(dict).get(page):
        return current
    return None


def write_link(page: str, params: dict[str, str], keys: Sequence[str]) -> None:
    """Make the address hold ``params`` for ``keys`` (others are left as they are)."""
    current = st.query_params
    for key in keys:
        if key in params:
            if current.get(key) != params[key]:
                current[key] = params[key]
        elif key in current:
            del current[key]
    _LINK_WRITTEN.get_or(dict)[page] = {k: params[k] for k in keys if k in params}


@overload
def file_uploader(label: str, types: Sequence[str], key: str, max_mb: float,
                  multiple: Literal[False] = False) -> UploadedFile | None: ...


@overload
def file_uploader(label: str, types: Sequence[str], key: str, max_mb: float,
                  multiple: Literal[True]) -> list[UploadedFile]: ...


def file_uploader(label: str, types: Sequence[str], key: str, max_mb: float,
                  multiple: bool = False) -> UploadedFile | list[UploadedFile] | None:
    """``st.file_uploader`` whose own words (button, size limit) are in the page's language
    (``views.common.uploader_css``); returns what Streamlit returns."""
    css = uploader_css(label, max_mb, types, lang())
    if css is not None:
        st.html(css)
    return st.file_uploader(label, type=list(types), key=key, accept_multiple_files=multiple,
                            max_upload_size=max(1, int(max_mb)))
