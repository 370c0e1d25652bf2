"""What the workshop's buttons and inputs do. They run as widget callbacks, before the page is
drawn again, so the page that follows already shows their result; a refusal shows its message
and changes nothing."""

from __future__ import annotations

from collections.abc import Callable

from smartmap.analysis import assessment as A
from smartmap.analysis import scenario as S
from smartmap.analysis import workshop as W
from smartmap.analysis.params import ParameterError
from smartmap.app import ui
from smartmap.app.views import assessment as AV
from smartmap.app.views import workshop as V
from smartmap.app.workshop.session import DETAILS_SHOWN, PENDING, SHOWN, Session
from smartmap.core.problemtext import error_text
from smartmap.render.htmltext import markdown_text as md

PICK_SHOWN: ui.Slot[tuple[str, tuple[S.Edit, ...]]] = ui.Slot("sm_ws_pick_shown")
"""The picked environment (and edits) the change form was last filled from."""
PICK_LABEL: ui.Slot[str] = ui.Slot("ws_pick_label")
"""The picked environment's name, for the messages."""
ADD_FIELDS = ("ws_add_name", "ws_add_type", "ws_add_areas", "ws_add_services", "ws_add_host",
              "ws_add_level", "ws_add_lat", "ws_add_lon", "ws_add_status")


class Actions:
    """The callbacks of one run, in that run's language."""

    def __init__(self, s: Session):
        self.s = s

    def _try(self, action: Callable[[], W.Workshop]) -> bool:
        try:
            self.s.commit(action())
        except (S.ScenarioError, ParameterError) as exc:
            self.s.flash("error", self.s.t("ws_refused", msg=md(error_text(exc, self.s.lang))))
            return False
        return True

    # --- scenarios --------------------------------------------------------------------------

    def undo(self) -> None:
        self._try(lambda: self.s.ws.undo())

    def redo(self) -> None:
        self._try(lambda: self.s.ws.redo())

    def select(self) -> None:
        self._try(lambda: self.s.ws.select(ui.value("ws_active")))

    def new(self) -> None:
        ws = self.s.ws
        self.s.commit(ws.new(self.s.t("ws_default_name", n=len(ws.drafts) + 1)))

    def duplicate(self) -> None:
        ws = self.s.ws
        self.s.commit(ws.duplicate(self.s.t("ws_copy_name", name=ws.scenario.name)))

    def delete(self) -> None:
        ws = self.s.ws
        name = ws.scenario.name
        self.s.commit(ws.delete(name, self.s.t("ws_default_name", n=1)))
        self.s.flash("info", self.s.t("ws_deleted", name=md(name)))

    def rename(self) -> None:
        if not self._try(lambda: self.s.ws.rename(ui.value("ws_rename", ""))):
            DETAILS_SHOWN.pop()  # show the current name again

    def set_params(self) -> None:
        try:
            params = V.params_from({n: ui.value(n) for n in V.PARAM_FIELDS},
                                   self.s.baseline.region)
        except ParameterError as exc:
            self.s.flash("error", self.s.t("ws_refused", msg=md(error_text(exc, self.s.lang))))
            SHOWN.pop()  # put the widgets back to the scenario's values
            return
        self.s.commit(self.s.ws.set_parameters(params))

    def save_details(self) -> None:
        """Save the author and the description exactly as the fields show them; the fields
        are not written back from the scenario afterwards (they already show it)."""
        if self._try(lambda: self.s.ws.describe(ui.value("ws_author", ""),
                                                ui.value("ws_description", ""))):
            sc, ws = self.s.ws.scenario, self.s.ws
            DETAILS_SHOWN.set((ws.active, sc.name, sc.author, sc.description))

    # --- edits ------------------------------------------------------------------------------

    def _record(self, edit: S.Edit, done: str) -> bool:
        """Validate the edit against the baseline and the bounds, then record it (undoable)."""
        ws = self.s.ws
        candidate = ws.scenario.with_edit(edit)
        try:
            changed = ws.change(self.s.ev.check(candidate))
        except S.ScenarioError as exc:
            self.s.flash("error", self.s.t("ws_refused", msg=md(error_text(exc, self.s.lang))))
            return False
        self.s.commit(changed)
        self.s.flash("success", done)
        return True

    def add_environment(self) -> None:
        edit = V.add_edit({n: ui.value(n) for n in ADD_FIELDS})
        if isinstance(edit, str):
            self.s.flash("error", self.s.t(edit))
            return
        if self._record(edit, self.s.t("ws_added", name=md(edit.name))):
            PENDING.set(None)
            for name, empty in (("ws_add_name", ""), ("ws_add_host", ""), ("ws_add_lat", None),
                                ("ws_add_lon", None)):
                ui.set_widget(name, empty)

    def change_environment(self, kind: str) -> None:
        """Close, reopen, move (typed or clicked position) or re-tag the picked environment."""
        ident = ui.value("ws_pick")
        if not ident:
            return
        t, label = self.s.t, md(PICK_LABEL.get(ident))
        if kind == "close":
            self._record(S.CloseEnvironment(id=ident), t("ws_closed", name=label))
        elif kind == "reopen":
            self._record(S.ReopenEnvironment(id=ident), t("ws_reopened", name=label))
        elif kind in ("move", "move_click"):
            pending = PENDING.get()
            lat, lon = (pending if kind == "move_click" and pending
                        else (ui.value("ws_move_lat"), ui.value("ws_move_lon")))
            if lat is None or lon is None:
                self.s.flash("error", t("ws_need_location"))
                return
            if self._record(S.MoveEnvironment(id=ident, lat=round(float(lat), 6),
                                              lon=round(float(lon), 6)), t("ws_moved", name=label)):
                PENDING.set(None)
        elif kind == "retag":
            self._record(S.RetagEnvironment(id=ident,
                                            priority_areas=tuple(ui.value("ws_retag_areas") or []),
                                            services=tuple(ui.value("ws_retag_services") or [])),
                         t("ws_retagged", name=label))
        PICK_SHOWN.pop()

    def save_assessment(self, computed_key: str, notes_key: str) -> None:
        """Save what the two assessment editors hold into the active scenario (undoable)."""
        s, ws = self.s, self.s.ws
        sc = ws.scenario
        computed = AV.edited(AV.computed_frame(s.ev.assessment_computed(sc, s.lang),
                                               sc.assessment, s.baseline, s.lang),
                             ui.value(computed_key))
        notes = AV.edited(AV.notes_frame(sc.assessment, s.baseline, s.lang), ui.value(notes_key))
        try:
            value = AV.assessment_from(computed, notes, s.baseline, s.lang)
        except A.AssessmentError as exc:
            s.flash("error", s.t("ws_refused", msg=md(error_text(exc, s.lang))))
            return
        if self._try(lambda: s.ws.set_assessment(value)):
            s.flash("success", s.t("ws_ass_saved", n=len(value.notes), h=len(value.hidden)))

    def remove_edit(self) -> None:
        number = ui.value("ws_remove")
        if number:
            self._try(lambda: self.s.ws.remove_edit(int(number) - 1))

    def forget_click(self) -> None:
        PENDING.set(None)
