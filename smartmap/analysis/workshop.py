"""A scenario workshop session: several named scenarios, undo/redo, and fast comparisons.

:class:`Workshop` is an immutable value: every action (an edit, new parameters, undo, a new
scenario ...) returns a new ``Workshop``, so a page can keep one in its session state and replace
it, and tests can compare states. Each scenario keeps its own undo and redo stacks (undo in
scenario B never reverts scenario A). :class:`Evaluator` computes what the workshop shows -
applied territories, metrics and comparisons of any two scenarios or of a scenario with the
baseline - and remembers recent results, so an edit only replays the one new edit and recomputes
one side. Nothing here touches the baseline; nothing here imports Streamlit.

>>> from smartmap.analysis.scenario import CloseEnvironment
>>> ws = Workshop.start("A")
>>> ws = ws.add_edit(CloseEnvironment(id="kth-innovation"))
>>> ws.scenario.edits
(CloseEnvironment(id='kth-innovation'),)
>>> ws.undo().scenario.edits, ws.undo().redo().scenario.edits == ws.scenario.edits
((), True)
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

import pandas as pd

from smartmap.analysis import alignment, assessment, catalog
from smartmap.analysis.live import LiveMetrics
from smartmap.analysis.metrics import MetricsResult, Population, compute_metrics
from smartmap.analysis.params import MetricParams
from smartmap.analysis.scenario import (
    AddEnvironment,
    Edit,
    MoveEnvironment,
    RetagEnvironment,
    Scenario,
    ScenarioDiff,
    ScenarioError,
    apply_edits,
    changed_ids,
    check_limits,
    compare_results,
    now_iso,
    scenario_metrics,
    sides,
)
from smartmap.core import vocab
from smartmap.core.fmt import format_delta, format_value
from smartmap.core.limits import MAX_NAME_CHARS
from smartmap.core.problemtext import phrase
from smartmap.core.region import Region
from smartmap.data import safety
from smartmap.data.layers import Territory

__all__ = ["Draft", "Evaluator", "Workshop", "WorkshopError"]

MAX_HISTORY = 200
"""Undo steps kept per scenario (the oldest are dropped beyond this)."""


class WorkshopError(ScenarioError):
    """A workshop action was refused (unknown scenario name, duplicate name ...)."""


@dataclass(frozen=True)
class Draft:
    """One scenario of the session with its own undo and redo stacks (most recent last)."""

    scenario: Scenario
    undo: tuple[Scenario, ...] = ()
    redo: tuple[Scenario, ...] = ()


def _numbered(name: str) -> tuple[str, int]:
    m = re.fullmatch(r"(.*?) \((\d+)\)", name)
    return (m.group(1), int(m.group(2))) if m else (name, 2)


@dataclass(frozen=True)
class Workshop:
    """The scenarios of one session, which one is active, and their histories."""

    drafts: tuple[Draft, ...]
    active: int = 0

    def __post_init__(self) -> None:
        if not self.drafts:
            raise WorkshopError(phrase("wk_no_scenarios"))
        if not 0 <= self.active < len(self.drafts):
            raise WorkshopError(phrase("wk_no_number", n=self.active + 1))
        names = [d.scenario.name for d in self.drafts]
        if len(set(names)) != len(names):
            raise WorkshopError(phrase("wk_names_unique"))

    @classmethod
    def start(cls, name: str, parameters: MetricParams | None = None) -> Workshop:
        """A workshop with one empty scenario."""
        return cls((Draft(Scenario(_clean_name(name), parameters=parameters or MetricParams())),))

    # --- reading ------------------------------------------------------------------------------

    @property
    def scenario(self) -> Scenario:
        """The active scenario."""
        return self.drafts[self.active].scenario

    @property
    def names(self) -> tuple[str, ...]:
        """Names of the scenarios, in the order they were made."""
        return tuple(d.scenario.name for d in self.drafts)

    @property
    def scenarios(self) -> tuple[Scenario, ...]:
        """Every scenario of the session."""
        return tuple(d.scenario for d in self.drafts)

    def index(self, name: str) -> int:
        """Position of the scenario called ``name``."""
        try:
            return self.names.index(name)
        except ValueError:
            raise WorkshopError(phrase("wk_no_such", name=repr(name))) from None

    def get(self, name: str) -> Scenario:
        """The scenario called ``name``."""
        return self.drafts[self.index(name)].scenario

    @property
    def can_undo(self) -> bool:
        """Whether the active scenario has a change to undo."""
        return bool(self.drafts[self.active].undo)

    @property
    def can_redo(self) -> bool:
        """Whether the active scenario has an undone change to redo."""
        return bool(self.drafts[self.active].redo)

    def unique_name(self, name: str) -> str:
        """``name``, or ``name (2)``, ``name (3)`` ... if the session already has it."""
        name = _clean_name(name)
        if name not in self.names:
            return name
        stem, k = _numbered(name)
        while f"{stem} ({k})" in self.names:
            k += 1
        suffix = f" ({k})"
        return stem[: MAX_NAME_CHARS - len(suffix)].rstrip() + suffix

    # --- changing the active scenario (undoable) ------------------------------------------------

    def change(self, scenario: Scenario) -> Workshop:
        """Replace the active scenario (its old state goes on the undo stack, redo is cleared).

        The name must stay unique and the scenario within the bounds a file or link may hold
        (:func:`~smartmap.analysis.scenario.check_limits`: edits, text lengths, characters); a
        change that changes nothing is not recorded.
        """
        draft = self.drafts[self.active]
        if scenario == draft.scenario:
            return self
        check_limits(scenario)
        if scenario.name != draft.scenario.name and scenario.name in self.names:
            raise WorkshopError(phrase("wk_name_taken", name=repr(scenario.name)))
        undo = (*draft.undo, draft.scenario)[-MAX_HISTORY:]
        return self._with(self.active, Draft(scenario, undo, ()))

    def add_edit(self, edit: Edit) -> Workshop:
        """The active scenario with one more edit."""
        return self.change(self.scenario.with_edit(edit))

    def remove_edit(self, index: int) -> Workshop:
        """The active scenario without its edit number ``index`` (0-based)."""
        edits = self.scenario.edits
        if not 0 <= index < len(edits):
            raise WorkshopError(phrase("wk_no_edit", n=index + 1))
        return self.change(replace(self.scenario, edits=edits[:index] + edits[index + 1:],
                                   modified=now_iso()))

    def set_assessment(self, value: assessment.Assessment) -> Workshop:
        """The active scenario with another assessment (undoable)."""
        return self.change(self.scenario.with_assessment(value))

    def set_parameters(self, parameters: MetricParams) -> Workshop:
        """The active scenario with other parameters (no change recorded if they are equal)."""
        if parameters == self.scenario.parameters:
            return self
        return self.change(self.scenario.with_parameters(parameters))

    def rename(self, name: str) -> Workshop:
        """The active scenario under another (unique) name."""
        name = _clean_name(name)
        if name == self.scenario.name:
            return self
        return self.change(replace(self.scenario, name=name, modified=now_iso()))

    def describe(self, author: str | None = None, description: str | None = None) -> Workshop:
        """The active scenario with another author and/or description (typed text: control and
        bidirectional characters are removed, :func:`~smartmap.data.safety.clean_line`)."""
        sc = self.scenario
        new = replace(sc, author=sc.author if author is None else safety.clean_line(author),
                      description=sc.description if description is None
                      else safety.clean_block(description))
        return self if new == sc else self.change(replace(new, modified=now_iso()))

    def undo(self) -> Workshop:
        """The active scenario as it was before its last change (no-op when there is none)."""
        draft = self.drafts[self.active]
        if not draft.undo:
            return self
        previous = draft.undo[-1]
        if previous.name != draft.scenario.name and previous.name in self.names:
            raise WorkshopError(phrase("wk_undo_rename_taken", name=repr(previous.name)))
        return self._with(self.active, Draft(previous, draft.undo[:-1],
                                             (*draft.redo, draft.scenario)))

    def redo(self) -> Workshop:
        """The last undone change of the active scenario again (no-op when there is none)."""
        draft = self.drafts[self.active]
        if not draft.redo:
            return self
        following = draft.redo[-1]
        if following.name != draft.scenario.name and following.name in self.names:
            raise WorkshopError(phrase("wk_redo_rename_taken", name=repr(following.name)))
        return self._with(self.active, Draft(following, (*draft.undo, draft.scenario),
                                             draft.redo[:-1]))

    # --- the set of scenarios ------------------------------------------------------------------

    def select(self, name: str) -> Workshop:
        """Make the scenario called ``name`` the active one."""
        return replace(self, active=self.index(name))

    def new(self, name: str, parameters: MetricParams | None = None) -> Workshop:
        """Add an empty scenario (name made unique) and make it active."""
        sc = Scenario(self.unique_name(name), parameters=parameters or MetricParams())
        return replace(self, drafts=(*self.drafts, Draft(sc)), active=len(self.drafts))

    def duplicate(self, name: str | None = None) -> Workshop:
        """Add a copy of the active scenario (same edits and parameters) and make it active."""
        now = now_iso()
        copy = replace(self.scenario, name=self.unique_name(name or self.scenario.name),
                       created=now, modified=now)
        return replace(self, drafts=(*self.drafts, Draft(copy)), active=len(self.drafts))

    @property
    def pristine(self) -> bool:
        """True for a fresh workshop: one scenario, no edits, standard parameters, no history."""
        (first, *rest) = self.drafts
        return (not rest and not first.scenario.edits and not first.undo and not first.redo
                and first.scenario.parameters == MetricParams())

    def add(self, scenario: Scenario) -> Workshop:
        """Add a scenario (a loaded file, a shared link) under a unique name; it becomes active.

        In a :attr:`pristine` workshop it takes the place of the untouched empty scenario.
        """
        if self.pristine:
            return Workshop((Draft(scenario),))
        sc = replace(scenario, name=self.unique_name(scenario.name)) \
            if scenario.name in self.names else scenario
        return replace(self, drafts=(*self.drafts, Draft(sc)), active=len(self.drafts))

    def delete(self, name: str, fallback_name: str) -> Workshop:
        """Remove a scenario. Removing the last one leaves an empty one called ``fallback_name``."""
        i = self.index(name)
        drafts = self.drafts[:i] + self.drafts[i + 1:]
        if not drafts:
            return Workshop.start(fallback_name)
        active = self.active - 1 if self.active > i else min(self.active, len(drafts) - 1)
        return Workshop(drafts, active)

    def _with(self, i: int, draft: Draft) -> Workshop:
        return replace(self, drafts=self.drafts[:i] + (draft,) + self.drafts[i + 1:])


def _clean_name(name: str) -> str:
    """A typed scenario name: one line without control or bidi characters, at most
    ``MAX_NAME_CHARS`` characters (longer names are cut)."""
    cleaned = safety.clean_line(str(name))[:MAX_NAME_CHARS].rstrip()
    if not cleaned:
        raise WorkshopError(phrase("wk_needs_name"))
    return cleaned


# ---------------------------------------------------------------------------------------------
# computing what the workshop shows


_V = TypeVar("_V")


class _Lru(Generic[_V]):
    """A small least-recently-used map."""

    def __init__(self, size: int):
        self.size = size
        self.data: OrderedDict[Hashable, _V] = OrderedDict()

    def get(self, key: Hashable) -> _V | None:
        if key in self.data:
            self.data.move_to_end(key)
            return self.data[key]
        return None

    def put(self, key: Hashable, value: _V) -> _V:
        self.data[key] = value
        self.data.move_to_end(key)
        while len(self.data) > self.size:
            self.data.popitem(last=False)
        return value

    def __contains__(self, key: Hashable) -> bool:
        return key in self.data


class Evaluator:
    """Applied territories, metrics and comparisons for one session, with a small memory.

    A scenario's territory is built from the longest edit prefix already applied
    (:func:`~smartmap.analysis.scenario.apply_edits`). Its metrics come from the session's
    :class:`~smartmap.analysis.live.LiveMetrics`, which moves from the last scenario measured to
    the next by what changed (an edit, an undo, another scenario: a few cells, not the county)
    and equals a full recompute exactly; they are kept per (edits, parameters). The live results
    hold the tables the workshop shows (``MetricsResult.complete`` False); :meth:`full` computes
    every table (the radius curve, services ...) when a page shows them. ``radius_curve`` True
    measures everything the full way. ``population`` as in ``compute_metrics`` (default: the
    region's source). Keep one per session; it never changes the baseline.
    """

    def __init__(self, baseline: Territory, base_params: MetricParams | None = None,
                 size: int = 12, radius_curve: bool = False, population: Population = None):
        self.baseline = baseline
        self.base_params = base_params or MetricParams()
        self.radius_curve = radius_curve
        self.population = population
        self._territories: _Lru[Territory] = _Lru(size)
        self._metrics: _Lru[MetricsResult] = _Lru(size)
        self._diffs: _Lru[ScenarioDiff] = _Lru(size)
        self._changed: _Lru[list[str]] = _Lru(size)
        self._assessed: _Lru[tuple[assessment.Line, ...]] = _Lru(size)
        self._live: _Lru[LiveMetrics] = _Lru(2)

    def territory(self, scenario: Scenario | None) -> Territory:
        """The territory after the scenario's edits (the baseline for None or no edits).

        Raises :class:`~smartmap.analysis.scenario.ScenarioError` naming the first bad edit.
        """
        return self.applied(() if scenario is None else scenario.edits)

    def applied(self, edits: tuple[Edit, ...]) -> Territory:
        """The territory after ``edits``, built from the longest prefix already applied."""
        if not edits:
            return self.baseline
        found = self._territories.get(edits)
        if found is not None:
            return found
        start, k = self.baseline, 0
        for j in range(len(edits) - 1, 0, -1):
            prefix = self._territories.get(edits[:j])
            if prefix is not None:
                start, k = prefix, j
                break
        out = apply_edits(self.baseline, edits[k:], start=start, offset=k)
        return self._territories.put(edits, out)

    def check(self, scenario: Scenario) -> Scenario:
        """The scenario, if its edits apply to the baseline and its assessment's areas are the
        region's (else ScenarioError naming the edit or the note)."""
        self.territory(scenario)
        try:
            assessment.check(scenario.assessment, self.baseline.region)
        except assessment.AssessmentError as exc:
            raise ScenarioError(phrase("wk_assessment", issue=exc.phrase or str(exc))) from None
        return scenario

    def alignment(self, scenario: Scenario | None) -> pd.DataFrame:
        """The alignment table (:func:`smartmap.analysis.alignment.alignment`) of a scenario's
        territory with its parameters (the baseline for None): its cells follow the edits."""
        params = self.base_params if scenario is None else scenario.parameters
        return alignment.alignment(self.territory(scenario), params, self.metrics(scenario))

    def assessment_computed(self, scenario: Scenario | None,
                            lang: vocab.Lang = "sv") -> list[assessment.Line]:
        """The assessment's computed lines for a scenario's territory (the baseline for None),
        remembered per (edits, parameters, language)."""
        params = self.base_params if scenario is None else scenario.parameters
        key = (None if scenario is None else scenario.edits, params, lang)
        found = self._assessed.get(key)
        if found is None:
            found = self._assessed.put(key, tuple(assessment.computed_lines(
                self.territory(scenario), params, self.alignment(scenario), lang)))
        return list(found)

    def assessment_lines(self, scenario: Scenario | None,
                         lang: vocab.Lang = "sv") -> list[assessment.Line]:
        """The assessment as shown for a scenario: its computed lines (recomputed for the
        scenario's territory) without those taken out, then the facilitator's notes."""
        return assessment.lines(self.assessment_computed(scenario, lang),
                                assessment.Assessment() if scenario is None
                                else scenario.assessment)
    def measure(self, edits: tuple[Edit, ...], params: MetricParams) -> MetricsResult:
        """The metrics of the baseline after ``edits`` with ``params`` (kept per both)."""
        key = (edits, params)
        found = self._metrics.get(key)
        if found is None:
            if not edits and self.population is None:  # computed once, shared by all sessions
                found = scenario_metrics(self.baseline, None, params)
            elif self.radius_curve:
                found = compute_metrics(self.applied(edits), params, self.population)
            else:
                live_key = (params.statuses, params.types)
                live = self._live.get(live_key)
                if live is None:
                    live = self._live.put(live_key, LiveMetrics(self.baseline, params,
                                                                self.population))
                live.move_to(edits, self.applied(edits))
                found = live.result(params)
            self._metrics.put(key, found)
        return found

    def full(self, scenario: Scenario | None) -> MetricsResult:
        """Every metrics table of a scenario (or the baseline), computed now (not kept)."""
        sc = scenario or Scenario("baseline", parameters=self.base_params, created="")
        return compute_metrics(self.applied(sc.edits), sc.parameters, self.population)

    def metrics(self, scenario: Scenario | None) -> MetricsResult:
        """The metrics of a scenario (its own parameters), or of the baseline for None."""
        if scenario is None:
            return self.measure((), self.base_params)
        return self.measure(scenario.edits, scenario.parameters)

    def compare(self, reference: Scenario | None, scenario: Scenario,
                effect: str = "both", metrics: tuple[str, ...] | None = None) -> ScenarioDiff:
        """``scenario`` against ``reference`` (another scenario, or the baseline for None);
        ``effect`` says what the delta isolates (:data:`~smartmap.analysis.scenario.EFFECTS`),
        ``metrics`` limits the municipality table to those columns (default: all)."""
        before_side, after_side = sides(reference, scenario, effect, self.base_params)
        key = (before_side, after_side, metrics)
        found = self._diffs.get(key)
        if found is None:
            found = self._diffs.put(key, compare_results(
                self.measure(*before_side), self.measure(*after_side), scenario, reference,
                metrics))
        # names and times may differ between equal scenarios: report the ones asked about
        if found.scenario is not scenario or found.reference is not reference:
            found = replace(found, scenario=scenario, reference=reference)
        return found

    def changed_ids(self, reference: Scenario | None, scenario: Scenario,
                    effect: str = "both") -> list[str]:
        """Ids of the environments that differ between the two sides (to ring them on the map)."""
        (before, _), (after, _) = sides(reference, scenario, effect, self.base_params)
        return self.changed_between(before, after)

    def changed_between(self, before: tuple[Edit, ...], after: tuple[Edit, ...]) -> list[str]:
        """Ids of the environments that differ between the territories after two edit lists."""
        key = (before, after)
        found = self._changed.get(key)
        if found is None:
            found = self._changed.put(key, changed_ids(
                self.applied(before).environments, self.applied(after).environments))
        return list(found)


# ---------------------------------------------------------------------------------------------
# tables the workshop shows (formatted text, in the session's language)


def _fmt(value: object, kind: str, lang: vocab.Lang) -> str:
    return format_value(value, kind, lang)


def _fmt_delta(value: object, kind: str, lang: vocab.Lang) -> str:
    return format_delta(value, kind, lang)


def change_table(diff: ScenarioDiff, metric: str, lang: vocab.Lang = "sv",
                 n: int | None = None) -> pd.DataFrame:
    """One metric by municipality, largest absolute change first (unchanged ones last, in code
    order), as display text: municipality, before, after, change. ``n`` keeps the first n
    changed municipalities only."""
    kind = catalog.metric_info(metric, diff.after.region).kind
    wide = diff.wide(metric)
    size = wide["delta"].abs().astype("float64").fillna(0).where(wide["changed"], -1.0)
    order = size.sort_values(ascending=False, kind="stable").index
    wide = wide.loc[order]
    if n is not None:
        wide = wide[wide["changed"]].head(n)
    return pd.DataFrame({
        vocab.text("municipality", lang): [f"{k} ({c})" for k, c in
                                          zip(wide["kommun"], wide["kommun_kod"], strict=True)],
        vocab.text("ws_col_before", lang): [_fmt(v, kind, lang) for v in wide["before"]],
        vocab.text("ws_col_after", lang): [_fmt(v, kind, lang) for v in wide["after"]],
        vocab.text("ws_col_change", lang): [_fmt_delta(d, kind, lang) if c else "–"
                                            for d, c in zip(wide["delta"], wide["changed"],
                                                            strict=True)],
    })


def comparable_metrics(region: Region) -> tuple[str, ...]:
    """The numeric metrics a workshop can map as a change: coverage first, then distances, counts."""
    from smartmap.analysis.metrics import metric_columns

    numeric = [c for c in metric_columns(region)
               if catalog.metric_info(c, region).kind in ("count", "rate", "km", "share", "ratio")]
    first = ("cov_", "dist_km_", "n_env")
    return tuple(sorted(numeric, key=lambda c: (
        next((i for i, p in enumerate(first) if c.startswith(p)), len(first)),
        numeric.index(c))))


def metric_area(metric: str, region: Region) -> str:
    """The priority area a metric is about (``any`` for the others), for the county KPIs."""
    return next((a for a in region.areas_and_any if metric.endswith("_" + a)), vocab.ANY_AREA)


def county_table(diff: ScenarioDiff, lang: vocab.Lang = "sv") -> pd.DataFrame:
    """County KPIs per area (the region's areas and any) before, after and the change, as text."""
    radius = diff.after.params.radius_km
    heads = {"cov": vocab.text("ws_kpi_cov", lang, r=f"{radius:g}"),
             "dist_km": vocab.text("ws_kpi_dist", lang),
             "n_env": vocab.text("ws_kpi_n_env", lang),
             "n_white_spots": vocab.text("ws_kpi_white", lang, r=f"{radius:g}")}
    c = diff.county
    found = {(a, m): (b, x, d) for a, m, b, x, d in zip(
        c["area"], c["metric"], c["before"], c["after"], c["delta"], strict=True)}
    region = diff.after.region
    assert region is not None  # measured results name their region (compute_metrics, live)
    rows = []
    for area in region.areas_and_any:
        row = {vocab.text("ws_col_area", lang): vocab.label(area, lang, region)}
        for kpi in catalog.COUNTY_KPIS:
            metric, kind = kpi.metric, kpi.kind
            before, after, delta = found[(area, metric)]
            row[heads[metric]] = (f"{_fmt(before, kind, lang)} → {_fmt(after, kind, lang)} "
                                  f"({_fmt_delta(delta, kind, lang)})")
        rows.append(row)
    return pd.DataFrame(rows)


def describe_edit(edit: Edit, names: dict[str, str], lang: vocab.Lang,
                  region: Region) -> tuple[str, str, str]:
    """(kind, environment, details) of an edit in words, for the list of a scenario's edits."""
    kind = vocab.text(f"ws_kind_{edit.kind}", lang)
    if isinstance(edit, AddEnvironment):
        details = (f"{vocab.label(edit.env_type, lang)} · {edit.lat:.5f}, {edit.lon:.5f}"
                   + (f" · {', '.join(vocab.label(a, lang, region) for a in edit.priority_areas)}"
                      if edit.priority_areas else ""))
        return kind, edit.name, details
    ident = getattr(edit, "id", "")
    who = f"{names[ident]} ({ident})" if ident in names else ident
    if isinstance(edit, MoveEnvironment):
        return kind, who, f"{edit.lat:.5f}, {edit.lon:.5f}"
    if isinstance(edit, RetagEnvironment):
        parts = []
        if edit.priority_areas is not None:
            parts.append(vocab.text("areas", lang) + ": " + (
                ", ".join(vocab.label(a, lang, region) for a in edit.priority_areas)
                or vocab.text("none", lang)))
        if edit.services is not None:
            parts.append(vocab.text("services", lang) + ": " + (
                ", ".join(vocab.label(x, lang) for x in edit.services)
                or vocab.text("none", lang)))
        return kind, who, " · ".join(parts)
    return kind, who, ""


def edits_table(scenario: Scenario, names: dict[str, str], lang: vocab.Lang,
                region: Region) -> pd.DataFrame:
    """The scenario's edits in order, in words (number, kind, environment, details)."""
    rows = [(i + 1, *describe_edit(e, names, lang, region)) for i, e in enumerate(scenario.edits)]
    return pd.DataFrame(rows, columns=["#", vocab.text("ws_col_kind", lang),
                                       vocab.text("ws_col_environment", lang),
                                       vocab.text("ws_col_details", lang)])
