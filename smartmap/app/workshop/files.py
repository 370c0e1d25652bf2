"""Saving, opening and sharing the active scenario, and the address bar that follows it."""

from __future__ import annotations

import streamlit as st

from smartmap.analysis import scenario as S
from smartmap.app import ui
from smartmap.app.views import data as data_view
from smartmap.app.views import workshop as V
from smartmap.app.workshop.actions import Actions
from smartmap.app.workshop.session import Session
from smartmap.core.limits import MAX_NAME_CHARS, MAX_TEXT_CHARS
from smartmap.core.problemtext import error_text
from smartmap.data.safety import file_label
from smartmap.render.htmltext import markdown_text as md

UPLOAD_SEEN: ui.Slot[str] = ui.Slot("sm_ws_upload_seen")
LOAD_ERROR: ui.Slot[str] = ui.Slot("sm_ws_load_error")


def _open(s: Session) -> None:
    """Open an uploaded scenario file once; a refused file says why and changes nothing."""
    limit_mb = s.settings.max_scenario_bytes / (1024 * 1024)
    upload = ui.file_uploader(s.t("ws_upload", mb=f"{limit_mb:g}"), ["json"], "ws_upload",
                              limit_mb)
    if upload is not None:
        content = upload.getvalue()
        digest = data_view.upload_digest(content, upload.name)
        if UPLOAD_SEEN.get() != digest:
            UPLOAD_SEEN.set(digest)
            LOAD_ERROR.pop()
            try:
                label = file_label(upload.name)
                opened = s.ev.check(S.loads(content, source=upload.name))
            except S.ScenarioError as exc:
                said = error_text(exc, s.lang)
                text = said if str(exc).startswith(label) else f"{label}: {said}"
                LOAD_ERROR.set(s.t("ws_load_refused", msg=md(text)))
            else:
                s.commit(s.ws.add(opened))
                s.flash("success", s.t("ws_loaded", file=md(label),
                                       name=md(s.ws.scenario.name)))
                st.rerun()
    if LOAD_ERROR.get():
        st.error(LOAD_ERROR.get())


def files_tab(s: Session, act: Actions, share: bool = True) -> None:
    """Author and description, download, open a file, and with ``share`` the share link and its
    QR code (a scenario too large for a link is told to save a file instead)."""
    t, sc = s.t, s.ws.scenario
    st.text_input(t("ws_author"), max_chars=MAX_NAME_CHARS, **ui.bind("ws_author", sc.author))
    st.text_area(t("ws_description"), max_chars=MAX_TEXT_CHARS, height=80,
                 **ui.bind("ws_description", sc.description))
    st.button(t("ws_save_details"), key="ws_save_details", on_click=act.save_details)
    typed = (ui.value("ws_author", sc.author), ui.value("ws_description", sc.description))
    if typed != (sc.author, sc.description):  # the download holds the saved details only
        st.caption(t("ws_details_unsaved"))
    st.download_button(t("ws_download"), data=S.dumps(sc).encode("utf-8"),
                       file_name=S.file_name(sc), mime="application/json", key="ws_download",
                       on_click="ignore", icon=":material/download:")
    _open(s)
    if not share:
        return
    st.markdown(f"**{t('ws_share')}**")
    try:
        token = S.to_share_token(sc)
    except S.ScenarioError:
        st.warning(t("ws_share_too_large"))
        return
    sh = V.share(st.context.url, token, s.settings.public_url, s.lang)
    st.code(sh.link, language=None, wrap_lines=True)
    st.caption(sh.note)
    if sh.local_warning:
        st.warning(sh.local_warning)
    st.image(sh.qr_svg, width=280)
