"""Multilevel governance: who governs, funds, hosts and delivers innovation support, at which level.

The model (docs/governance.md states every rule and decision):

- **Nodes**: one table of actors (``governance_actors.csv``) and environments
  (``innovation_environments.csv``). Ids are one namespace: an id in both tables is ONE node of
  kind ``both``; when its two levels differ the conflict is reported as a warning and both levels
  are kept (``actor_level``, ``env_level``).
- **Foreign partners**: an actor whose ``country`` is given and is neither ``SE`` nor ``EU`` (the
  Cohes3ion partners abroad) takes part at the EU level of the system (effective ``level`` =
  ``eu``), and covers no municipality of the county: it adds nothing to ``levels_all``.
- **Links** are validated: both ends must be nodes, the relation a :class:`~smartmap.core.vocab.Relation`;
  self-links and repeated links are reported and dropped.
- **Host actors**: ``host_actor_id`` of an environment comes from ``hosts``/``owns`` links pointing
  at it, else from its ``host_organisation`` text matching exactly one actor's name (or alias);
  never from a guess. Unmatched and ambiguous hosts are reported.
- **Chains**: from an environment (``direct``) or its host actor (``via_host``) one entry link
  (``partner_of``, ``member_of``, ``reports_to`` or being funded), then ``funds`` links upwards to
  the funders: e.g. ERDF -> ERDF programme Stockholm -> Fordonsdalen -> Södertälje Science Park.
  ``coordinates`` links name who steers each step.

A municipality's *local* levels are the governance levels of the (counted) environments located in
it plus those of the actors whose ``territory`` lists its code explicitly; *all* levels add the
actors whose territory is county-wide, national or EU (``county``, ``national``, ``eu``), except
foreign partners. Levels are written in :class:`~smartmap.core.vocab.Level` order joined with ``;``.

>>> from smartmap.data.layers import load_territory
>>> t = load_territory()
>>> lv = municipality_levels(t, t.environments[t.environments["status"] == "active"])
>>> lv.set_index("kommun_kod").loc["0187", "levels_local"]  # Stockholm Nordost! is sub-regional
'sub_regional;municipal'
>>> lv.set_index("kommun_kod").loc["0187", "levels_all"]
'eu;national;regional;sub_regional;municipal;academic'
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from smartmap.analysis import rules
from smartmap.analysis.params import MetricParams, counted_environments
from smartmap.core import lists, vocab
from smartmap.core.errors import Problem, Severity, file_row
from smartmap.core.problemtext import keyed, phrase
from smartmap.core.region import Region
from smartmap.core.vocab import (
    ActorType,
    ChainKind,
    ChainStep,
    CollaborationKind,
    GapKind,
    GapScope,
    HostRule,
    Level,
    NodeKind,
    Relation,
    Role,
    Scope,
    Service,
    Status,
    TerritorialLevel,
)
from smartmap.data.layers import LAYERS, Territory

LEVEL_COLUMNS: tuple[str, ...] = ("kommun_kod", "levels_local", "levels_all")
WIDE_SCOPES: frozenset[str] = frozenset(vocab.values(Scope))
"""Actor territories that reach every municipality (``eu``, ``national``, ``county``)."""
LEVEL_IDS: tuple[str, ...] = vocab.values(Level)

HOME_COUNTRY = "SE"
EU_COUNTRY = "EU"
"""``country`` of the EU's own bodies (Commission, ERDF, Interreg Europe, Cohes3ion)."""

PROGRAMME_TYPES: frozenset[str] = frozenset(
    {ActorType.FUNDER.value, ActorType.PROGRAMME.value, ActorType.PROJECT.value})
"""Actor types that make a node a programme on a chain (funds, programmes, projects)."""
CHAIN_LEVELS: tuple[str, ...] = (Level.EU.value, Level.NATIONAL.value, Level.REGIONAL.value)
"""A chain counts when it reaches a programme of one of these levels."""

_FROM_IS_BELOW: frozenset[str] = frozenset(
    {Relation.MEMBER_OF.value, Relation.PARTNER_OF.value, Relation.REPORTS_TO.value})
"""Relations whose ``from`` end is the lower one (member, partner, agency); for the others
(funds, coordinates, owns, hosts) the ``to`` end is the lower one."""
ENTRY_STEPS: dict[str, ChainStep] = {
    Relation.FUNDS.value: ChainStep.FUNDED_BY,
    Relation.HOSTS.value: ChainStep.HOSTED_BY,
    Relation.OWNS.value: ChainStep.OWNED_BY,
    Relation.COORDINATES.value: ChainStep.STEERED_BY,
    Relation.PARTNER_OF.value: ChainStep.PART_OF,
    Relation.MEMBER_OF.value: ChainStep.PART_OF,
    Relation.REPORTS_TO.value: ChainStep.PART_OF,
}
"""The environment's own relation a chain's first step follows, by link relation: a chain starts
only with a link that has the environment itself at its lower end (docs/governance.md)."""
HOST_STEPS: frozenset[ChainStep] = frozenset({ChainStep.HOSTED_BY, ChainStep.OWNED_BY})
"""First steps that make a chain ``via_host``."""
CHAIN_RELATIONS: frozenset[str] = frozenset({Relation.FUNDS.value})
"""Relations a chain follows after its first step: from the funded to the funder."""
HOST_RELATIONS: tuple[str, ...] = (Relation.HOSTS.value, Relation.OWNS.value)
MAX_CHAIN_STEPS = 12
MAX_OWNER_DEPTH = 4
"""How many ``owns`` links upwards an owner of a host is looked for (owner of an owner ...)."""
HOST_TEXT_EVIDENCE = "host_organisation"
"""The evidence of a host found from the environment's own ``host_organisation`` field."""
EVIDENCE_SEPARATOR = " || "
"""Separates the evidence of the steps of a chain (one source per step, read upwards)."""
GOVERNANCE_COLLABORATION_KINDS: frozenset[str] = frozenset(
    {CollaborationKind.DEVELOPMENT.value, CollaborationKind.CORE_PROGRAMME.value})
"""Collaborations that take part in the governance of innovation and growth as sub-regional actors
(regional development, urban-core programmes). Destination (visitor-economy) collaborations state
priorities but deliver no innovation support; social-services R&D units are neither."""
PRIORITY_COLLABORATION_KINDS: frozenset[str] = GOVERNANCE_COLLABORATION_KINDS | {
    CollaborationKind.DESTINATION.value}
"""Collaborations that are territories of the smart-priorities alignment."""

NODE_COLUMNS: tuple[str, ...] = (
    "node_id", "name", "kind", "level", "actor_level", "env_level", "level_conflict", "foreign",
    "country", "actor_type", "env_type", "territory", "kommun_kod", "status", "priority_areas",
    "services", "host_organisation", "host_actor_id", "host_actor_ids", "host_rule",
    "owner_ids", "named_actor_ids",
)
LINK_COLUMNS: tuple[str, ...] = ("from_id", "to_id", "relation", "source_url", "row")
CHAIN_COLUMNS: tuple[str, ...] = (
    "env_id", "kommun_kod", "kind", "host_id", "entry", "path", "relations", "evidence",
    "programmes", "reach", "levels", "steering", "areas", "closed", "counts",
)
COVERAGE_COLUMNS: tuple[str, ...] = ("actor_id", "kommun_kod", "scope")
MUNICIPALITY_COLUMNS: tuple[str, ...] = (
    "kommun_kod", "kommun", "n_env", "levels_local", "levels_all", "n_levels_local",
    "actors_local", "actors_wide", "n_chains", "n_chains_direct", "programmes", "chain_levels",
    "gap_single_level", "gap_no_chain",
)
INVOLVEMENT_COLUMNS: tuple[str, ...] = (
    "dimension", "key", "kommun_kod", "env_id", "node_id", "role", "level", "local",
)
SUMMARY_COLUMNS: tuple[str, ...] = (
    "key", "n_env", "levels_env", "levels", "n_actors", "actors", "n_chains", "programmes",
)
GAP_COLUMNS: tuple[str, ...] = ("scope", "gap", "kommun_kod", "kommun", "area", "levels_local",
                                "n_env")
DIMENSIONS: tuple[str, ...] = ("area", "service")
_InvolvementRow = tuple[str, str, str, str, str, str, str, bool]
"""A row of :func:`involvement`, in :data:`INVOLVEMENT_COLUMNS` order."""
_GapRow = tuple[str, str, str, str, str, str, int]
"""A row of :func:`gaps`, in :data:`GAP_COLUMNS` order."""


# ---------------------------------------------------------------------------------------------
# levels per municipality (used by the metrics table on every recompute: kept small and fast)


def is_foreign(country: object) -> bool:
    """True for an actor based abroad: ``country`` given and neither ``SE`` nor ``EU``.

    >>> is_foreign("ES"), is_foreign("SE"), is_foreign("EU"), is_foreign(""), is_foreign(None)
    (True, False, False, False, False)
    """
    if not isinstance(country, str):
        return False
    code = country.strip().upper()
    return bool(code) and code not in (HOME_COUNTRY, EU_COUNTRY)


def _presence(codes: pd.Index, kommun: npt.NDArray[np.object_],
              levels: npt.NDArray[np.object_]) -> npt.NDArray[np.bool_]:
    """A municipality x level boolean matrix from parallel arrays of codes and level ids."""
    out = np.zeros((len(codes), len(Level)), dtype=bool)
    mi = codes.get_indexer(pd.Index(kommun))  # what get_indexer makes of an array anyway
    li = pd.Index(LEVEL_IDS).get_indexer(pd.Index(levels))
    ok = (mi >= 0) & (li >= 0)
    out[mi[ok], li[ok]] = True
    return out


def _actor_rows(actors: pd.DataFrame) -> tuple[list[str], list[str], set[str]]:
    """Actor territories as (code, level) pairs, plus the levels of wide-scope actors.

    Foreign partners (:func:`is_foreign`) add no wide-scope level: ``eu`` in their territory means
    "outside the county", not "the whole EU including Stockholm". A plain loop over the (few)
    actors: cheaper than any pandas reshaping at this size.
    """
    codes: list[str] = []
    levels: list[str] = []
    wide: set[str] = set()
    country = (actors["country"] if "country" in actors.columns
               else pd.Series("", index=actors.index))
    for territory, level, ctry in zip(actors["territory"].to_numpy(dtype=object),
                                      actors["level"].to_numpy(dtype=object),
                                      country.to_numpy(dtype=object), strict=True):
        foreign = is_foreign(ctry)
        for part in lists.split(territory):
            if part in WIDE_SCOPES:
                if not foreign:
                    wide.add(str(level))
            else:
                codes.append(part)
                levels.append(str(level))
    return codes, levels, wide


def _join(matrix: npt.NDArray[np.bool_]) -> list[str]:
    names = np.array(LEVEL_IDS, dtype=object)
    return [lists.join(names[row]) for row in matrix]


def _governance_actors(t: Territory) -> pd.DataFrame:
    actors = t.actors
    collab = t.collaborations
    collab = collab[collab["kind"].isin(GOVERNANCE_COLLABORATION_KINDS)
                    & ~collab["collab_id"].isin(set(actors["actor_id"]))]
    if collab.empty:
        return actors
    rows = pd.DataFrame({
        "actor_id": collab["collab_id"].astype("str"),
        "name": collab["name"].astype("str"),
        "level": Level.SUB_REGIONAL.value,
        "actor_type": ActorType.NETWORK.value,
        "role": [f"sub-regional collaboration ({k})" for k in collab["kind"]],
        "territory": collab["kommun_koder"].astype("str"),
        "country": HOME_COUNTRY,
        "source_url": collab["source_url"].astype("str"),
    })
    out = pd.concat([actors, rows[[c for c in actors.columns if c in rows.columns]]],
                    ignore_index=True)
    return out.astype({c: actors[c].dtype for c in actors.columns if c in out.columns})


def governance_actors(territory: Territory) -> pd.DataFrame:
    """The actors of the governance model: ``governance_actors.csv`` plus the sub-regional
    collaborations (``subregional_collaborations.csv``) of the kinds that govern growth and
    innovation (:data:`GOVERNANCE_COLLABORATION_KINDS`), each as a ``sub_regional`` actor of type
    ``network`` whose territory is its member list. A collaboration whose id is already an actor
    is that actor (one id namespace): the actor's row is used. Cached on the territory."""
    return territory.cached(("governance_actors",), ("actors", "collaborations"),
                            _governance_actors).copy(deep=False)


def municipality_levels(territory: Territory, environments: pd.DataFrame) -> pd.DataFrame:
    """``levels_local`` and ``levels_all`` of every municipality, in municipality-code order.

    ``environments`` are the counted environments (the caller decides: active, planned, types);
    their ``kommun_kod`` places them.
    """
    codes = pd.Index(np.sort(territory.layer("municipalities")["kommun_kod"].to_numpy(dtype=object)))
    local = _presence(
        codes,
        environments["kommun_kod"].to_numpy(dtype=object),
        environments["governance_level"].to_numpy(dtype=object),
    )
    act_codes, act_levels, wide_levels = _actor_rows(governance_actors(territory))
    local |= _presence(codes, np.array(act_codes, dtype=object), np.array(act_levels, dtype=object))
    wide = np.array([lv in wide_levels for lv in LEVEL_IDS], dtype=bool)
    everything = local | wide[None, :]
    return pd.DataFrame(
        {"kommun_kod": codes.to_numpy(), "levels_local": _join(local),
         "levels_all": _join(everything)}
    )


# ---------------------------------------------------------------------------------------------
# helpers


def join_levels(levels: Iterable[object]) -> str:
    """Level ids in enum order, ``;``-joined, duplicates and unknown values dropped.

    >>> join_levels(["private", "eu", "private", None])
    'eu;private'
    """
    return vocab.join_list([str(v) for v in levels if isinstance(v, str)], Level)




def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _layer_problem(layer: str, row: object, field: str | None, code: str, expected: str | None,
             severity: Severity, record_id: str | None, /, **args: object) -> Problem:
    """A keyed problem (``msgctxt "problem"``, :func:`~smartmap.core.problemtext.keyed`) about a
    row of one of the region's layers."""
    spec = LAYERS[layer]
    row_no = file_row(row) if isinstance(row, int | np.integer) else None
    return keyed(spec.file, row_no, field, code, expected, severity, record_id, **args)


# ---------------------------------------------------------------------------------------------
# host actors


_LEGAL_FORMS: tuple[str, ...] = ("ab", "gmbh", "s.a.u.", "ltd", "plc")
_SPACES = re.compile(r"\s+")
_TRAILING_PARENS = re.compile(r"\s*\(([^()]*)\)\s*$")


def normalise_name(text: object) -> str:
    """A name for exact comparison: case-folded, single spaces, no trailing legal form.

    >>> normalise_name("  Stockholm Business Region AB ")
    'stockholm business region'
    >>> normalise_name("RISE Research Institutes of Sweden AB")
    'rise research institutes of sweden'
    """
    out = _SPACES.sub(" ", _text(text).casefold()).strip(" ,.;:-")
    for form in _LEGAL_FORMS:
        if out.endswith(" " + form):
            out = out[: -len(form) - 1].strip(" ,.;:-")
    return out


def actor_aliases(actors: pd.DataFrame, municipalities: pd.DataFrame | None = None) -> dict[str, set[str]]:
    """Normalised name -> the actor ids it names (docs/governance.md, "Host actors").

    Each actor is known by its ``name``, its name without a trailing parenthesis and the text of
    that parenthesis when it is a plain alternative name (``Karolinska Institutet (KI)``). A
    municipal actor ``kommun-<code>`` is also known as "<name> kommun/stad", "<name>s kommun/stad",
    "<name> municipality", "City of <name>" and "Municipality of <name>" with the municipality's
    official name. An alias that names several actors is ambiguous: callers must not use it.
    """
    names = {}
    if municipalities is not None and len(municipalities):
        names = dict(zip(municipalities["kommun_kod"].astype("str"),
                         municipalities["kommun"].astype("str"), strict=True))
    out: dict[str, set[str]] = defaultdict(set)
    for actor_id, name, territory in zip(actors["actor_id"], actors["name"], actors["territory"],
                                         strict=True):
        aliases = {name}
        match = _TRAILING_PARENS.search(_text(name))
        if match:
            aliases.add(_text(name)[: match.start()])
            inner = match.group(1).strip()
            if inner and '"' not in inner and "'" not in inner:
                aliases.add(inner)
        code = _text(territory)
        if actor_id == f"kommun-{code}" and code in names:
            m = names[code]
            aliases |= {f"{m} kommun", f"{m} stad", f"{m}s kommun", f"{m}s stad",
                        f"{m} municipality", f"City of {m}", f"Municipality of {m}"}
        for alias in aliases:
            key = normalise_name(alias)
            if key:
                out[key].add(str(actor_id))
    return dict(out)


def host_candidates(host: object) -> list[tuple[str, HostRule]]:
    """The parts of a ``host_organisation`` text that may name one actor, most specific first.

    The whole text; the text before a parenthesis (``Karolinska University Hospital (Region
    Stockholm)``); and the lead host of ``X with Y`` (X). Lists of equals (``A, B and C``) are
    never split: no single host can be read from them.

    >>> [c for c, _ in host_candidates("Region Stockholm with KI Innovations AB")]
    ['region stockholm with ki innovations', 'region stockholm']
    """
    text = _text(host)
    out: list[tuple[str, HostRule]] = []
    head = _text(text.split("(", 1)[0])
    for candidate, rule in ((text, HostRule.NAME), (head, HostRule.NAME)):
        key = normalise_name(candidate)
        if key and key not in [c for c, _ in out]:
            out.append((key, rule))
    if " with " in head:
        key = normalise_name(head.split(" with ", 1)[0])
        if key and key not in [c for c, _ in out]:
            out.append((key, HostRule.LEAD_NAME))
    return out


def named_in_parenthesis(host: object, aliases: dict[str, set[str]]) -> str:
    """The one actor a host text names in its trailing parenthesis (``Campus Roslagen AB
    (Norrtälje kommun)`` -> the municipality), else ``""``. Such a name says who the data mention
    beside the host, not how they are related: it is never taken as host or owner.

    >>> named_in_parenthesis("Campus Roslagen AB (Norrtälje kommun)",
    ...                      {"norrtälje kommun": {"kommun-0188"}})
    'kommun-0188'
    """
    match = _TRAILING_PARENS.search(_text(host))
    if not match:
        return ""
    ids = aliases.get(normalise_name(match.group(1)), set())
    return next(iter(ids)) if len(ids) == 1 else ""


def owners_of(hosts: Iterable[str], owners: dict[str, list[str]],
              depth: int = MAX_OWNER_DEPTH) -> list[str]:
    """Who owns the given hosts, following ``owns`` links upwards (an owner of an owner counts),
    nearest first, without repeats.

    >>> owners_of(["sbr"], {"sbr": ["city"], "city": []})
    ['city']
    """
    out: list[str] = []
    frontier = list(hosts)
    seen = set(frontier)
    for _ in range(depth):
        nxt = []
        for node in frontier:
            for owner in owners.get(node, []):
                if owner not in seen:
                    seen.add(owner)
                    out.append(owner)
                    nxt.append(owner)
        frontier = nxt
    return out


def match_hosts(environments: pd.DataFrame, actors: pd.DataFrame, links: pd.DataFrame,
                municipalities: pd.DataFrame | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """The host actors of each environment, their owners, the rule that found the first host,
    and what stayed unmatched.

    Returns a frame indexed like ``environments`` with ``host_actor_id`` (the first host, or
    ``""``), ``host_actor_ids`` (every host, ``;``-joined: ``hosts`` links, ``owns`` links, then
    the name match), ``host_rule``, ``owner_ids`` (the owners of those hosts by ``owns`` links,
    docs/governance.md "Owners of hosts") and ``named_actor_ids`` (an actor the host text names
    in a parenthesis that is neither host nor owner: mentioned, relation not sourced). An
    environment is never its own host. ``links`` are validated links (``from_id``, ``to_id``,
    ``relation``).
    """
    aliases = actor_aliases(actors, municipalities)
    by_target: dict[str, list[tuple[str, HostRule]]] = defaultdict(list)
    for rel, rule in ((Relation.HOSTS.value, HostRule.HOSTS_LINK),
                      (Relation.OWNS.value, HostRule.OWNS_LINK)):
        sel = links[links["relation"] == rel]
        for src, dst in zip(sel["from_id"], sel["to_id"], strict=True):
            by_target[str(dst)].append((str(src), rule))
    owns = links[links["relation"] == Relation.OWNS.value]
    owners: dict[str, list[str]] = defaultdict(list)
    for src, dst in zip(owns["from_id"], owns["to_id"], strict=True):
        owners[str(dst)].append(str(src))
    actor_ids = set(actors["actor_id"].astype("str"))
    names = dict(zip(actors["actor_id"].astype("str"), actors["name"].astype("str"), strict=True))
    rows = []
    problems: list[Problem] = []
    for idx, env_id, host in zip(environments.index, environments["id"],
                                 environments["host_organisation"], strict=True):
        found: list[tuple[str, HostRule]] = [
            (a, r) for a, r in by_target.get(str(env_id), []) if a in actor_ids and a != env_id]
        ambiguous: set[str] = set()
        named = None
        for key, rule in host_candidates(host):
            ids = aliases.get(key, set()) - {str(env_id)}
            if len(ids) == 1:
                named = (next(iter(ids)), rule)
                break
            if len(ids) > 1:
                ambiguous = ids
                break
        if named is not None:
            found.append(named)
        unique: list[tuple[str, HostRule]] = []
        for a, r in found:
            if a not in [u for u, _ in unique]:
                unique.append((a, r))
        host_ids = [a for a, _ in unique]
        owner_ids = [o for o in owners_of(host_ids, owners)
                     if o in actor_ids and o != env_id and o not in host_ids]
        mentioned = named_in_parenthesis(host, aliases)
        if mentioned in (str(env_id), *host_ids, *owner_ids):
            mentioned = ""
        if ambiguous:
            problems.append(_layer_problem(
                "environments", idx, "host_organisation", "gov_host_ambiguous",
                "exp_one_actor_name", "warning", str(env_id), host=repr(_text(host)),
                actors=", ".join(sorted(ambiguous))))
        if not unique and not ambiguous:
            itself = phrase("gov_host_is_actor") if env_id in actor_ids else ""
            beside = (phrase("gov_host_beside", name=names.get(mentioned, mentioned),
                             id=mentioned) if mentioned else "")
            problems.append(_layer_problem(
                "environments", idx, "host_organisation", "gov_host_unknown",
                "exp_actor_name_or_link", "info", str(env_id), host=repr(_text(host)),
                itself=itself, beside=beside))
        rows.append({
            "host_actor_id": unique[0][0] if unique else "",
            "host_actor_ids": lists.join(host_ids),
            "host_rule": unique[0][1].value if unique else "",
            "owner_ids": lists.join(owner_ids),
            "named_actor_ids": mentioned,
        })
    frame = pd.DataFrame(rows, index=environments.index,
                         columns=["host_actor_id", "host_actor_ids", "host_rule", "owner_ids",
                                  "named_actor_ids"])
    return frame.astype("str"), problems


# ---------------------------------------------------------------------------------------------
# nodes and links


def validate_links(links: pd.DataFrame, node_ids: Iterable[str]) -> tuple[pd.DataFrame, list[Problem]]:
    """The usable links (:data:`LINK_COLUMNS`) and a problem for each dropped one.

    Dropped: an end that is neither an actor nor an environment (error), a relation outside
    :class:`~smartmap.core.vocab.Relation` (error), a link from a node to itself (warning), the same
    (from, to, relation) again (info).
    """
    known = set(node_ids)
    relations = set(vocab.values(Relation))
    seen: set[tuple[str, str, str]] = set()
    rows, problems = [], []
    src_col = links["source_url"] if "source_url" in links.columns else pd.Series("", index=links.index)
    for idx, src, dst, rel, url in zip(links.index, links["from_actor_id"], links["to_actor_id"],
                                       links["relation"], src_col, strict=True):
        src, dst, rel = _text(src), _text(dst), _text(rel)
        record = f"{src}->{dst}"
        bad = False
        for column, value in (("from_actor_id", src), ("to_actor_id", dst)):
            if value not in known:
                problems.append(_layer_problem("links", idx, column, "gov_link_end_unknown",
                                         "exp_actor_or_env_id", "error", record,
                                         value=repr(value)))
                bad = True
        if rel not in relations:
            problems.append(_layer_problem("links", idx, "relation", "gov_link_relation_unknown",
                                     "exp_one_of", "error", record, rel=repr(rel),
                                     allowed=", ".join(sorted(relations))))
            bad = True
        if bad:
            continue
        if src == dst:
            problems.append(_layer_problem("links", idx, "to_actor_id", "gov_link_self", "exp_two_ids",
                                     "warning", record))
            continue
        if (src, dst, rel) in seen:
            problems.append(_layer_problem("links", idx, None, "gov_link_again", None, "info", record,
                                     rel=repr(rel)))
            continue
        seen.add((src, dst, rel))
        rows.append((src, dst, rel, _text(url), file_row(idx)))
    frame = pd.DataFrame(rows, columns=list(LINK_COLUMNS))
    return frame.astype({c: "str" for c in LINK_COLUMNS if c != "row"}), problems


def _first_per_id(frame: pd.DataFrame, column: str, layer: str) -> tuple[pd.DataFrame, list[Problem]]:
    dup = frame[column].duplicated(keep="first")
    problems = [_layer_problem(layer, idx, column, "gov_duplicate_first", "exp_unique_id", "warning",
                         str(frame.at[idx, column]), id=repr(frame.at[idx, column]))
                for idx in frame.index[dup]]
    return frame.loc[~dup], problems


def node_table(territory: Territory) -> tuple[pd.DataFrame, list[Problem]]:
    """Actors and environments as one node table (:data:`NODE_COLUMNS`, without the host columns
    filled), plus a warning per id whose level differs between the two tables."""
    env, p_env = _first_per_id(pd.DataFrame(territory.environments.drop(columns="geometry",
                                                                         errors="ignore")),
                               "id", "environments")
    act, p_act = _first_per_id(governance_actors(territory), "actor_id", "actors")
    problems = p_env + p_act
    a = pd.DataFrame({
        "node_id": act["actor_id"].astype("str"), "a_name": act["name"],
        "actor_level": act["level"], "actor_type": act["actor_type"],
        "territory": act["territory"],
        "country": act["country"] if "country" in act.columns else "",
        "a_row": act.index,
    })
    e = pd.DataFrame({
        "node_id": env["id"].astype("str"), "e_name": env["name"], "env_level": env["governance_level"],
        "env_type": env["env_type"], "kommun_kod": env["kommun_kod"], "status": env["status"],
        "priority_areas": env["priority_areas"], "services": env["services"],
        "host_organisation": env["host_organisation"],
    })
    nodes = a.merge(e, on="node_id", how="outer", sort=False)
    is_actor = nodes["a_name"].notna().to_numpy()
    is_env = nodes["e_name"].notna().to_numpy()
    kind = np.where(is_actor & is_env, NodeKind.BOTH.value,
                    np.where(is_actor, NodeKind.ACTOR.value, NodeKind.ENVIRONMENT.value))
    foreign = np.array([is_actor[i] and is_foreign(c) for i, c in enumerate(nodes["country"])])
    actor_level = nodes["actor_level"].fillna("").astype("str").to_numpy(dtype=object)
    env_level = nodes["env_level"].fillna("").astype("str").to_numpy(dtype=object)
    level = np.where(is_actor, np.where(foreign, Level.EU.value, actor_level), env_level)
    conflict = is_actor & is_env & (actor_level != env_level)
    for i in np.flatnonzero(conflict):
        problems.append(_layer_problem(
            "actors", int(nodes["a_row"].iloc[i]), "level", "gov_level_conflict",
            "exp_same_level", "warning", str(nodes["node_id"].iloc[i]),
            id=repr(nodes["node_id"].iloc[i]), actor=repr(actor_level[i]),
            env=repr(env_level[i])))
    out = pd.DataFrame({
        "node_id": nodes["node_id"],
        "name": nodes["a_name"].where(is_actor, nodes["e_name"]),
        "kind": kind,
        "level": level,
        "actor_level": actor_level,
        "env_level": env_level,
        "level_conflict": conflict,
        "foreign": foreign,
    })
    for column in ("country", "actor_type", "env_type", "territory", "kommun_kod", "status",
                   "priority_areas", "services", "host_organisation"):
        out[column] = nodes[column].fillna("").astype("str")
    for column in ("host_actor_id", "host_actor_ids", "host_rule", "owner_ids", "named_actor_ids"):
        out[column] = ""
    out = out.sort_values("node_id", kind="stable").reset_index(drop=True)
    return out[list(NODE_COLUMNS)].astype(
        {c: "str" for c in NODE_COLUMNS if c not in ("level_conflict", "foreign")}), problems


# ---------------------------------------------------------------------------------------------
# chains


def upward_edges(links: pd.DataFrame) -> dict[str, list[tuple[str, str]]]:
    """For each node, the (upper node, relation) pairs of its links, in link order.

    "Upper" is the funder, coordinator, owner, host, the organisation a member belongs to, the
    project a partner takes part in, the body an agency reports to.
    """
    up: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for src, dst, rel in zip(links["from_id"], links["to_id"], links["relation"], strict=True):
        lower, upper = (src, dst) if rel in _FROM_IS_BELOW else (dst, src)
        up[str(lower)].append((str(upper), str(rel)))
    return dict(up)


def _funders_up(start: str, up: dict[str, list[tuple[str, str]]],
                seen: frozenset[str]) -> list[list[tuple[str, str]]]:
    """Maximal paths from ``start`` following ``funds`` links upwards (the empty path when it has
    no funder), without cycles."""
    paths: list[list[tuple[str, str]]] = []
    stack: list[tuple[list[tuple[str, str]], frozenset[str]]] = [([], seen)]
    while stack:
        path, visited = stack.pop()
        node = path[-1][0] if path else start
        nxt = [(p, r) for p, r in up.get(node, ()) if r in CHAIN_RELATIONS and p not in visited]
        if not nxt or len(path) >= MAX_CHAIN_STEPS:
            paths.append(path)
            continue
        for p, r in reversed(nxt):
            stack.append((path + [(p, r)], visited | {p}))
    return paths


def entry_steps(env_id: str, links: pd.DataFrame, hosts: Sequence[str], host_rule: str,
                ) -> list[tuple[str, str, ChainStep, str]]:
    """The environment's own relations a chain may start with: (node above, link relation, step,
    evidence), in link order, then a host found from the ``host_organisation`` text.

    Only links with the environment itself at their lower end count (it is funded, hosted,
    owned or steered by the node, or takes part in it); a host's own partnerships elsewhere never
    start a chain of the environment. The evidence is the link's ``source_url`` (or, for a host
    read from the environment's own ``host_organisation`` field, :data:`HOST_TEXT_EVIDENCE`).
    """
    out: list[tuple[str, str, ChainStep, str]] = []
    seen: set[tuple[str, str]] = set()
    for src, dst, rel, url in zip(links["from_id"], links["to_id"], links["relation"],
                                  links["source_url"], strict=True):
        step = ENTRY_STEPS.get(str(rel))
        if step is None:
            continue
        lower, upper = (src, dst) if rel in _FROM_IS_BELOW else (dst, src)
        if lower != env_id or (upper, rel) in seen:
            continue
        seen.add((upper, rel))
        out.append((str(upper), str(rel), step, _text(url)))
    linked = {u for u, r in seen if r in HOST_RELATIONS}
    if host_rule in (HostRule.NAME.value, HostRule.LEAD_NAME.value):
        for host in hosts:
            if host not in linked:
                out.append((host, Relation.HOSTS.value, ChainStep.HOSTED_BY, HOST_TEXT_EVIDENCE))
                linked.add(host)
    return out


def _highest(levels: Iterable[str]) -> str:
    ranks = [LEVEL_IDS.index(lv) for lv in levels if lv in LEVEL_IDS]
    return LEVEL_IDS[min(ranks)] if ranks else ""


def programme_chains(nodes: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Every chain from an environment to the programmes above it (:data:`CHAIN_COLUMNS`).

    A chain follows a relation **of the environment itself** first (:func:`entry_steps`: it is
    funded by, hosted by, owned by or steered by the node above, or takes part in it), then only
    ``funds`` links upwards to the funders. Only paths with at least one programme node
    (:data:`PROGRAMME_TYPES`) are chains. ``kind`` is ``via_host`` when the first step is the
    environment's host or owner, else ``direct``; ``entry`` names that first step
    (:class:`~smartmap.core.vocab.ChainStep`). ``path`` and ``relations`` read from the
    environment upwards; ``evidence`` holds one source per step (:data:`EVIDENCE_SEPARATOR`);
    ``reach`` is the highest level of a programme on it; ``levels`` the levels of every node above
    the environment and of the actors that steer (coordinate) a node on it; ``areas`` the
    environment's priority areas that every environment on the chain shares; ``closed`` is true
    when a node on it is a closed environment (a finished project); ``counts`` = reach is EU,
    national or regional and not closed. Sorted by environment id, kind, path.
    """
    up = upward_edges(links)
    steer: dict[str, list[str]] = defaultdict(list)
    for child, parents in up.items():
        steer[child] = [p for p, r in parents if r == Relation.COORDINATES.value]
    evidence_of: dict[tuple[str, str], str] = {}
    for src, dst, rel, url in zip(links["from_id"], links["to_id"], links["relation"],
                                  links["source_url"], strict=True):
        if rel in CHAIN_RELATIONS:
            evidence_of.setdefault((str(dst), str(src)), _text(url))
    info = nodes.set_index("node_id")
    level = info["level"].to_dict()
    atype = info["actor_type"].to_dict()
    status = info["status"].to_dict()
    areas_of = {k: set(lists.split(v)) for k, v in info["priority_areas"].items()}
    is_env = info["kind"].isin([NodeKind.ENVIRONMENT.value, NodeKind.BOTH.value]).to_dict()
    rows_of: dict[str, list[int]] = defaultdict(list)
    for i, (src, dst) in enumerate(zip(links["from_id"], links["to_id"], strict=True)):
        rows_of[str(src)].append(i)
        rows_of[str(dst)].append(i)
    empty = links.iloc[0:0]

    rows = []
    envs = nodes[nodes["kind"].isin([NodeKind.ENVIRONMENT.value, NodeKind.BOTH.value])]
    for env_id, kommun, hosts, rule in zip(envs["node_id"], envs["kommun_kod"],
                                           envs["host_actor_ids"], envs["host_rule"],
                                           strict=True):
        mine = links.iloc[rows_of[env_id]] if env_id in rows_of else empty
        for upper, rel, step, evidence in entry_steps(env_id, mine, lists.split(hosts), rule):
            if upper == env_id:
                continue
            for tail in _funders_up(upper, up, frozenset({env_id, upper})):
                steps = [(env_id, ""), (upper, rel), *tail]
                above = [n for n, _ in steps[1:]]
                programmes = [n for n in above if atype.get(n, "") in PROGRAMME_TYPES]
                if not programmes:
                    continue
                steering = []
                for n, _ in steps:
                    for s in steer.get(n, []):
                        if s not in steering and s not in above:
                            steering.append(s)
                shared = set(areas_of.get(env_id, set()))
                for n in above:
                    if is_env.get(n) and areas_of.get(n):
                        shared &= areas_of[n]
                reach = _highest(level.get(n, "") for n in programmes)
                closed = any(is_env.get(n) and status.get(n) == Status.CLOSED.value
                             for n, _ in steps)
                proofs = [evidence] + [evidence_of.get((steps[i][0], steps[i + 1][0]), "")
                                       for i in range(1, len(steps) - 1)]
                via_host = step in HOST_STEPS
                rows.append({
                    "env_id": env_id, "kommun_kod": kommun,
                    "kind": (ChainKind.VIA_HOST if via_host else ChainKind.DIRECT).value,
                    "host_id": upper if via_host else "", "entry": step.value,
                    "path": lists.join(n for n, _ in steps),
                    "relations": lists.join(r for _, r in steps[1:]),
                    "evidence": EVIDENCE_SEPARATOR.join(proofs),
                    "programmes": lists.join(programmes),
                    "reach": reach,
                    "levels": join_levels([level.get(n, "") for n in above + steering]),
                    "steering": lists.join(steering),
                    "areas": lists.join(a for a in lists.split(info.at[env_id, "priority_areas"])
                                        if a in shared),
                    "closed": closed,
                    "counts": reach in CHAIN_LEVELS and not closed,
                })
    out = pd.DataFrame(rows, columns=list(CHAIN_COLUMNS))
    if out.empty:
        return out.astype({c: "str" for c in CHAIN_COLUMNS if c not in ("closed", "counts")}
                          ).astype({"closed": "bool", "counts": "bool"})
    out = out.drop_duplicates(["env_id", "kind", "path"])
    out = out.sort_values(["env_id", "kind", "path"], kind="stable").reset_index(drop=True)
    return out.astype({c: "str" for c in CHAIN_COLUMNS if c not in ("closed", "counts")})


# ---------------------------------------------------------------------------------------------
# the model


@dataclass(frozen=True)
class GovernanceModel:
    """Nodes, validated links, chains and every problem found, for one territory."""

    nodes: pd.DataFrame
    links: pd.DataFrame
    chains: pd.DataFrame
    problems: tuple[Problem, ...]

    def names(self) -> dict[str, str]:
        """node id -> display name."""
        return dict(zip(self.nodes["node_id"], self.nodes["name"], strict=True))

    def levels(self) -> dict[str, str]:
        """node id -> effective level (an actor's, eu for foreign partners, else the environment's)."""
        return dict(zip(self.nodes["node_id"], self.nodes["level"], strict=True))

    @property
    def actors(self) -> pd.DataFrame:
        """The nodes that are actors (kind actor or both)."""
        return self.nodes[self.nodes["kind"] != NodeKind.ENVIRONMENT.value]

    @property
    def environments(self) -> pd.DataFrame:
        """The nodes that are environments (kind environment or both)."""
        return self.nodes[self.nodes["kind"] != NodeKind.ACTOR.value]

    def problems_frame(self) -> pd.DataFrame:
        """The problems as a table (see :func:`smartmap.core.errors.problems_frame`)."""
        from smartmap.core.errors import problems_frame

        return problems_frame(self.problems)


MODEL_DEPENDS_ON: tuple[str, ...] = ("environments", "actors", "links", "municipalities",
                                     "collaborations", "priorities")


def _build(territory: Territory) -> GovernanceModel:
    nodes, problems = node_table(territory)
    links, link_problems = validate_links(territory.links, nodes["node_id"])
    env_frame = pd.DataFrame(territory.environments.drop(columns="geometry", errors="ignore"))
    env_frame = env_frame.loc[~env_frame["id"].duplicated(keep="first")]
    actors = governance_actors(territory).drop_duplicates("actor_id", keep="first")
    hosts, host_problems = match_hosts(env_frame, actors, links, territory.municipalities)
    by_id = pd.DataFrame({"node_id": env_frame["id"].astype("str").to_numpy(),
                          **{c: hosts[c].to_numpy() for c in hosts.columns}}).set_index("node_id")
    pos = nodes["node_id"].isin(by_id.index)
    for column in hosts.columns:
        nodes.loc[pos, column] = by_id.loc[nodes.loc[pos, "node_id"], column].to_numpy()
    chains = programme_chains(nodes, links)
    return GovernanceModel(nodes, links, chains, tuple(problems + link_problems + host_problems))


def governance_model(territory: Territory) -> GovernanceModel:
    """The governance model of a territory (cached on it; do not mutate what you get)."""
    return territory.cached(("governance_model",), MODEL_DEPENDS_ON, _build)


# ---------------------------------------------------------------------------------------------
# coverage, per municipality


def _actor_coverage(territory: Territory) -> pd.DataFrame:
    """The uncached :func:`actor_coverage`."""
    codes = sorted(territory.municipalities["kommun_kod"].astype("str"))
    actors = governance_actors(territory)
    rows = []
    for actor_id, territory_text, country in zip(
            actors["actor_id"], actors["territory"],
            actors["country"] if "country" in actors.columns else [""] * len(actors),
            strict=True):
        parts = lists.split(territory_text)
        explicit = [p for p in parts if p in codes]
        for code in explicit:
            rows.append((str(actor_id), code, "explicit"))
        if is_foreign(country):
            continue
        wide = [p for p in (Scope.COUNTY.value, Scope.NATIONAL.value, Scope.EU.value) if p in parts]
        if wide:
            rows.extend((str(actor_id), code, wide[0]) for code in codes if code not in explicit)
    out = pd.DataFrame(rows, columns=list(COVERAGE_COLUMNS)).drop_duplicates(
        ["actor_id", "kommun_kod"])
    return out.astype("str").reset_index(drop=True)


def covered_municipalities(territory: Territory, actor_id: str) -> list[str]:
    """Codes of the municipalities the actor's territory covers (code order)."""
    cov = actor_coverage(territory)
    return sorted(cov.loc[cov["actor_id"] == actor_id, "kommun_kod"])


def _counted(territory: Territory, params: MetricParams | None) -> pd.DataFrame:

    env = counted_environments(territory, params)
    return pd.DataFrame(env.drop(columns="geometry")).drop_duplicates("id")


def _counting_chains(territory: Territory, params: MetricParams | None = None) -> pd.DataFrame:
    """The uncached :func:`counting_chains`."""
    chains = governance_model(territory).chains
    ids = set(_counted(territory, params)["id"])
    return chains[chains["counts"] & chains["env_id"].isin(ids)].reset_index(drop=True)


def _municipality_governance(territory: Territory, params: MetricParams | None = None) -> pd.DataFrame:
    """The uncached :func:`municipality_governance`."""
    counted = _counted(territory, params)
    levels = municipality_levels(territory, counted[["kommun_kod", "governance_level"]])
    muni = territory.municipalities.sort_values("kommun_kod")
    cov = actor_coverage(territory)
    chains = counting_chains(territory, params)
    rows = []
    for code, name, loc, alll in zip(muni["kommun_kod"], muni["kommun"], levels["levels_local"],
                                     levels["levels_all"], strict=True):
        mine = cov[cov["kommun_kod"] == code]
        ch = chains[chains["kommun_kod"] == code]
        programmes = []
        for text in ch["programmes"]:
            programmes += [p for p in lists.split(text) if p not in programmes]
        n_local = len(lists.split(loc))
        rows.append({
            "kommun_kod": code, "kommun": name,
            "n_env": int((counted["kommun_kod"] == code).sum()),
            "levels_local": loc, "levels_all": alll, "n_levels_local": n_local,
            "actors_local": lists.join(mine.loc[mine["scope"] == "explicit",
                                                               "actor_id"]),
            "actors_wide": lists.join(mine.loc[mine["scope"] != "explicit",
                                                              "actor_id"]),
            "n_chains": len(ch),
            "n_chains_direct": int((ch["kind"] == ChainKind.DIRECT.value).sum()),
            "programmes": lists.join(programmes),
            "chain_levels": join_levels(lv for text in ch["levels"] for lv in lists.split(text)),
            "gap_single_level": n_local <= 1,
            "gap_no_chain": len(ch) == 0,
        })
    return pd.DataFrame(rows, columns=list(MUNICIPALITY_COLUMNS))


# ---------------------------------------------------------------------------------------------
# per priority area and per service


def _keys(dimension: str, region: Region | None) -> tuple[str, ...]:
    if dimension == "area":
        if region is None:
            raise ValueError("the area dimension needs the region (its priority areas)")
        return region.areas_and_any
    if dimension == "service":
        return vocab.values(Service)
    raise ValueError(f"dimension must be one of {DIMENSIONS}, got {dimension!r}")


def _involvement(territory: Territory, params: MetricParams | None = None,
                dimension: str = "area") -> pd.DataFrame:
    """The uncached :func:`involvement`."""
    keys = _keys(dimension, territory.region)
    model = governance_model(territory)
    counted = _counted(territory, params)
    level = model.levels()
    territory_of = dict(zip(model.nodes["node_id"], model.nodes["territory"], strict=True))
    hosts_of = dict(zip(model.nodes["node_id"], model.nodes["host_actor_ids"], strict=True))
    owners_of_env = dict(zip(model.nodes["node_id"], model.nodes["owner_ids"], strict=True))
    chains = counting_chains(territory, params)
    by_env: dict[str, list[tuple[set[str], list[str], list[str]]]] = defaultdict(list)
    for env_id, areas, programmes, steering, host in zip(
            chains["env_id"], chains["areas"], chains["programmes"], chains["steering"],
            chains["host_id"], strict=True):
        by_env[env_id].append((set(lists.split(areas)), lists.split(programmes),
                               [s for s in lists.split(steering) if s != host]))
    column = "priority_areas" if dimension == "area" else "services"
    rows: list[_InvolvementRow] = []
    for env_id, kommun, tags, env_level in zip(counted["id"], counted["kommun_kod"],
                                               counted[column], counted["governance_level"],
                                               strict=True):
        tagged = set(lists.split(tags))
        for key in keys:
            if key != vocab.ANY_AREA and key not in tagged:
                continue
            seen: set[tuple[str, str]] = set()

            def add(node: str, role: Role, lv: str, *, env_id: str = env_id, kommun: str = kommun,
                    key: str = key, seen: set[tuple[str, str]] = seen) -> None:
                if (node, role.value) in seen:
                    return
                seen.add((node, role.value))
                local = role is Role.ENVIRONMENT or kommun in lists.split(territory_of.get(node, ""))
                rows.append((dimension, key, kommun, env_id, node, role.value, lv, local))

            add(env_id, Role.ENVIRONMENT, env_level)
            for host in lists.split(hosts_of.get(env_id, "")):
                add(host, Role.HOST, level.get(host, ""))
            for owner in lists.split(owners_of_env.get(env_id, "")):
                add(owner, Role.OWNER, level.get(owner, ""))
            for areas, programmes, steering in by_env.get(env_id, []):
                if dimension == "area" and key != vocab.ANY_AREA and key not in areas:
                    continue
                for p in programmes:
                    add(p, Role.PROGRAMME, level.get(p, ""))
                for s in steering:
                    add(s, Role.STEERING, level.get(s, ""))
    if dimension == "area":
        rows += _priority_rows(territory, model, territory_of)
    out = pd.DataFrame(rows, columns=list(INVOLVEMENT_COLUMNS))
    return out.astype({c: "str" for c in INVOLVEMENT_COLUMNS if c != "local"}).astype(
        {"local": "bool"})


def stating_actor(territory: Territory, level: str, territory_id: str,
                  actor_ids: set[str]) -> str:
    """The governance actor that states a priority of a territory, or ``""``: the region's own
    organisation (manifest ``[region] actor``) for the regional level, the collaboration for the
    sub-regional level, the municipality's actor ``kommun-<code>`` for the municipal level. Urban
    cores are places, not actors: none."""
    if level == TerritorialLevel.REGIONAL.value:
        candidate = territory.region.actor or ""
    elif level == TerritorialLevel.SUB_REGIONAL.value:
        candidate = territory_id
    elif level == TerritorialLevel.MUNICIPAL.value:
        candidate = f"kommun-{territory_id}"
    else:
        candidate = ""
    return candidate if candidate in actor_ids else ""


def _priority_rows(territory: Territory, model: GovernanceModel,
                   territory_of: dict[str, str]) -> list[_InvolvementRow]:
    """Involvement rows (role ``priority``) of the actors that state a counted priority of an
    area, one per municipality the statement covers, for the area and for ``any``."""
    stated = territory.priorities
    if stated.empty:
        return []
    stated = stated[stated["standing"].map(rules.counts_as_stated) & stated["area"].notna()]
    level = model.levels()
    actor_ids = set(model.actors["node_id"])
    rows: list[_InvolvementRow] = []
    seen: set[tuple[str, str, str]] = set()
    for lv, tid, area, codes in zip(stated["level"], stated["territory_id"], stated["area"],
                                    stated["kommun_koder"], strict=True):
        if area not in territory.region.areas:
            continue
        node = stating_actor(territory, str(lv), str(tid), actor_ids)
        if not node:
            continue
        for code in lists.split(codes):
            for key in (str(area), vocab.ANY_AREA):
                if (node, code, key) in seen:
                    continue
                seen.add((node, code, key))
                rows.append(("area", key, code, "", node, Role.PRIORITY.value,
                             level.get(node, ""), code in lists.split(territory_of.get(node, ""))))
    return rows


def level_matrix(involved: pd.DataFrame, dimension: str = "area",
                 kommun_kod: str | None = None, region: Region | None = None) -> pd.DataFrame:
    """Key x level: how many distinct nodes (environments and actors) are involved.

    One row per key of the dimension (every key, zeros included), one column per level;
    ``kommun_kod`` keeps the environments located in that municipality (and who is involved in
    them).
    """
    sel = involved[involved["dimension"] == dimension]
    if kommun_kod is not None:
        sel = sel[sel["kommun_kod"] == kommun_kod]
    counts = sel.groupby(["key", "level"])["node_id"].nunique().unstack(fill_value=0)
    out = counts.reindex(index=list(_keys(dimension, region)), columns=list(LEVEL_IDS),
                         fill_value=0)
    out.index.name = dimension
    return out.astype("int64")


def cell_nodes(involved: pd.DataFrame, key: str, level: str, dimension: str = "area",
               kommun_kod: str | None = None) -> pd.DataFrame:
    """The nodes behind one matrix cell: node_id, role(s), environments they are involved through."""
    sel = involved[(involved["dimension"] == dimension) & (involved["key"] == key)
                   & (involved["level"] == level)]
    if kommun_kod is not None:
        sel = sel[sel["kommun_kod"] == kommun_kod]
    if sel.empty:
        return pd.DataFrame(columns=["node_id", "roles", "env_ids", "n_env"])
    roles = vocab.values(Role)
    grouped = sel.groupby("node_id", sort=True)
    out = pd.DataFrame({
        "roles": grouped["role"].agg(lambda r: lists.join(
            x for x in roles if x in set(r))),
        "env_ids": grouped["env_id"].agg(lambda e: lists.join(sorted(set(e) - {""}))),
        "n_env": grouped["env_id"].agg(lambda e: len(set(e) - {""})).astype("int64"),
    }).reset_index()
    return out


def _dimension_summary(territory: Territory, params: MetricParams | None = None,
                      dimension: str = "area") -> pd.DataFrame:
    """The uncached :func:`dimension_summary`."""
    involved = involvement(territory, params, dimension)
    chains = counting_chains(territory, params)
    rows = []
    for key in _keys(dimension, territory.region):
        sel = involved[involved["key"] == key]
        envs = sel[sel["role"] == Role.ENVIRONMENT.value]
        actors = sel[sel["role"] != Role.ENVIRONMENT.value]
        if dimension == "area" and key != vocab.ANY_AREA:
            ch = chains[chains["env_id"].isin(set(envs["env_id"]))
                        & lists.contains(chains["areas"], key)]
        else:
            ch = chains[chains["env_id"].isin(set(envs["env_id"]))]
        programmes = sorted(set(actors.loc[actors["role"] == Role.PROGRAMME.value, "node_id"]))
        actor_ids = sorted(set(actors["node_id"]))
        rows.append({
            "key": key, "n_env": envs["env_id"].nunique(),
            "levels_env": join_levels(envs["level"]), "levels": join_levels(sel["level"]),
            "n_actors": len(actor_ids), "actors": lists.join(actor_ids),
            "n_chains": len(ch), "programmes": lists.join(programmes),
        })
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


# ---------------------------------------------------------------------------------------------
# gaps


def _gaps(territory: Territory, params: MetricParams | None = None) -> pd.DataFrame:
    """The uncached :func:`gaps`."""
    muni = municipality_governance(territory, params)
    names = dict(zip(muni["kommun_kod"], muni["kommun"], strict=True))
    involved = involvement(territory, params, "area")
    involved = involved[involved["role"] != Role.PRIORITY.value]  # gaps are about support
    rows: list[_GapRow] = []
    for code, name, levels_local, n_env, single_level, no_chain in zip(
            muni["kommun_kod"], muni["kommun"], muni["levels_local"], muni["n_env"],
            muni["gap_single_level"], muni["gap_no_chain"], strict=True):
        if single_level:
            rows.append((GapScope.MUNICIPALITY.value, GapKind.SINGLE_LOCAL_LEVEL.value,
                         code, name, "", levels_local, n_env))
        if no_chain:
            rows.append((GapScope.MUNICIPALITY.value, GapKind.NO_PROGRAMME_CHAIN.value,
                         code, name, "", levels_local, n_env))
    local_roles = {Role.ENVIRONMENT.value, Role.HOST.value}
    areas = territory.region.area_ids
    for area in areas:
        sel = involved[involved["key"] == area]
        envs = sel[sel["role"] == Role.ENVIRONMENT.value]
        base = sel[sel["role"].isin(local_roles)]
        lv = join_levels(base["level"])
        chained = sel["role"].isin([Role.PROGRAMME.value]).any()
        if len(lists.split(lv)) <= 1:
            rows.append((GapScope.AREA.value, GapKind.SINGLE_LOCAL_LEVEL.value, "", "", area, lv,
                         envs["env_id"].nunique()))
        if not chained:
            rows.append((GapScope.AREA.value, GapKind.NO_PROGRAMME_CHAIN.value, "", "", area, lv,
                         envs["env_id"].nunique()))
    pair_rows: list[_GapRow] = []
    for (code_label, area_label), sel in involved[involved["key"] != vocab.ANY_AREA].groupby(
            ["kommun_kod", "key"], sort=False):
        code, area = str(code_label), str(area_label)
        envs = sel[sel["role"] == Role.ENVIRONMENT.value]
        local = sel[sel["role"].isin(local_roles) & sel["local"]]
        lv = join_levels(local["level"])
        n = envs["env_id"].nunique()
        if len(lists.split(lv)) <= 1:
            pair_rows.append((GapScope.MUNICIPALITY_AREA.value, GapKind.SINGLE_LOCAL_LEVEL.value,
                              code, names.get(code, ""), area, lv, n))
        if not (sel["role"] == Role.PROGRAMME.value).any():
            pair_rows.append((GapScope.MUNICIPALITY_AREA.value, GapKind.NO_PROGRAMME_CHAIN.value,
                              code, names.get(code, ""), area, lv, n))
    pair_rows.sort(key=lambda r: (r[2], areas.index(r[4]), vocab.values(GapKind).index(r[1])))
    out = pd.DataFrame(rows + pair_rows, columns=list(GAP_COLUMNS))
    return out.astype({c: "str" for c in GAP_COLUMNS if c != "n_env"}).astype({"n_env": "int64"})


# ---------------------------------------------------------------------------------------------
# cached entry points (the page reruns often; a Territory is immutable, so results are cached on
# it per parameters; callers get copies)


def _memo(territory: Territory, key: tuple[Hashable, ...],
          compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    return territory.cached(("governance",) + key, MODEL_DEPENDS_ON, lambda t: compute()).copy()


def _params(params: MetricParams | None) -> MetricParams:

    return params or MetricParams()


def actor_coverage(territory: Territory) -> pd.DataFrame:
    """Which municipalities each actor's territory covers (:data:`COVERAGE_COLUMNS`).

    ``scope`` is ``explicit`` when the territory lists the code, else the wide scope (``county``,
    ``national``, ``eu``) that reaches it. Foreign partners cover only codes they list explicitly
    (none in the shipped data). An actor listed with several scopes keeps the narrowest.
    """
    return _memo(territory, ("coverage",), lambda: _actor_coverage(territory))


def counting_chains(territory: Territory, params: MetricParams | None = None) -> pd.DataFrame:
    """The chains that count (``counts``) and start at a counted environment."""
    p = _params(params)
    return _memo(territory, ("counting_chains", p), lambda: _counting_chains(territory, p))


def municipality_governance(territory: Territory, params: MetricParams | None = None) -> pd.DataFrame:
    """One row per municipality (code order): levels, covering actors, chains and gap flags.

    ``levels_local``/``levels_all`` are exactly the metrics table's. ``actors_local`` lists the
    actors whose territory names the municipality; ``actors_wide`` the county-wide, national and
    EU actors (foreign partners excluded). ``n_chains`` counts the chains that count from its
    counted environments (``n_chains_direct`` the direct ones), ``programmes`` the programmes they
    reach and ``chain_levels`` their levels. ``gap_single_level``: at most one level in
    ``levels_local``; ``gap_no_chain``: no counting chain.
    """
    p = _params(params)
    return _memo(territory, ("municipalities", p), lambda: _municipality_governance(territory, p))


def involvement(territory: Territory, params: MetricParams | None = None,
                dimension: str = "area") -> pd.DataFrame:
    """Who is involved in each priority area (or service), long form (:data:`INVOLVEMENT_COLUMNS`).

    For every counted environment tagged with the key (``any``: every counted environment): the
    environment itself (role ``environment``, its own level), its host actors (``host``), and the
    programmes (``programme``) and steering actors (``steering``) of its counting chains (for an
    area: the chains whose ``areas`` include it). ``level`` is the node's effective level;
    ``local`` says whether the node sits in the environment's municipality (the environment
    itself, or an actor whose territory lists that code).
    """
    p = _params(params)
    _keys(dimension, territory.region)
    return _memo(territory, ("involvement", p, dimension),
                 lambda: _involvement(territory, p, dimension))


def dimension_summary(territory: Territory, params: MetricParams | None = None,
                      dimension: str = "area") -> pd.DataFrame:
    """Per priority area (or service): environments, their levels, every level and actor involved,
    the counting chains and the programmes reached (:data:`SUMMARY_COLUMNS`)."""
    p = _params(params)
    return _memo(territory, ("summary", p, dimension),
                 lambda: _dimension_summary(territory, p, dimension))


def gaps(territory: Territory, params: MetricParams | None = None) -> pd.DataFrame:
    """The gap list (:data:`GAP_COLUMNS`), municipalities first, then areas, then pairs.

    - municipality ``single_local_level``: at most one level in its ``levels_local``;
    - municipality ``no_programme_chain``: none of its counted environments has a counting chain
      (also when it has no counted environment: ``n_env`` = 0);
    - area (county-wide) ``single_local_level``: its environments and their hosts show at most
      one level; ``no_programme_chain``: no environment of the area has a counting chain for it;
    - municipality x area, for the pairs where the municipality has counted environments of the
      area: ``single_local_level`` when those environments and their local hosts (territory
      naming the municipality) show at most one level; ``no_programme_chain`` as above.
    """
    p = _params(params)
    return _memo(territory, ("gaps", p), lambda: _gaps(territory, p))


# ---------------------------------------------------------------------------------------------
# the network (what the page and the report draw)


def network(territory: Territory, params: MetricParams | None = None,
            kommun_kod: str | None = None, area: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes and edges to draw.

    Without a filter (the county overview): every actor with a link other than ``member_of``,
    every actor that owns a host or states a priority, and every counted environment that has a
    link or a host actor; membership links alone (every
    municipality is a member of Storsthlm) would fill the drawing with 26 identical rows, they
    stay in the tables. With a municipality and/or area: the counted environments there (tagged with the
    area), their hosts, the nodes and steering actors of their counting chains, and the actors
    whose territory names the municipality. Edges are the links between drawn nodes plus
    ``hosts`` edges from host actors to their environments (``derived`` = True).
    """
    model = governance_model(territory)
    counted = _counted(territory, params)
    nodes = model.nodes
    links = model.links
    env = counted
    if kommun_kod is not None:
        env = env[env["kommun_kod"] == kommun_kod]
    if area is not None and area != vocab.ANY_AREA:
        env = env.loc[lists.contains(env["priority_areas"], area)]
    env_ids = set(env["id"])
    hosts = nodes.set_index("node_id")["host_actor_ids"]
    if kommun_kod is None and area is None:
        other = links[links["relation"] != Relation.MEMBER_OF.value]
        keep = set(model.actors["node_id"]) & (set(other["from_id"]) | set(other["to_id"]))
        linked = set(links["from_id"]) | set(links["to_id"])
        keep |= {e for e in env_ids if e in linked or lists.split(hosts.get(e, ""))}
        keep |= {h for e in keep & env_ids for h in lists.split(hosts.get(e, ""))}
        involved = involvement(territory, params, "area")  # owners, and who states priorities
        keep |= set(involved.loc[involved["role"].isin([Role.OWNER.value, Role.PRIORITY.value]),
                                 "node_id"])
    else:
        keep = set(env_ids)
        for e in env_ids:
            keep |= set(lists.split(hosts.get(e, "")))
        chains = counting_chains(territory, params)
        chains = chains[chains["env_id"].isin(env_ids)]
        if area is not None and area != vocab.ANY_AREA:
            chains = chains.loc[lists.contains(chains["areas"], area)]
        for path, steering in zip(chains["path"], chains["steering"], strict=True):
            keep |= set(lists.split(path)) | set(lists.split(steering))
        if kommun_kod is not None:
            cov = actor_coverage(territory)
            keep |= set(cov.loc[(cov["kommun_kod"] == kommun_kod) & (cov["scope"] == "explicit"),
                                "actor_id"])
    drawn = nodes[nodes["node_id"].isin(keep)].reset_index(drop=True)
    edges = links[links["from_id"].isin(keep) & links["to_id"].isin(keep)][
        ["from_id", "to_id", "relation"]].assign(derived=False)
    derived = [(h, e, Relation.HOSTS.value, True) for e in sorted(keep)
               for h in lists.split(hosts.get(e, "")) if h in keep]
    extra = pd.DataFrame(derived, columns=["from_id", "to_id", "relation", "derived"])
    edges = pd.concat([edges, extra], ignore_index=True).drop_duplicates(
        ["from_id", "to_id", "relation"], keep="first")
    return drawn, edges.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# plain sentences: "who supports <area> in <municipality>, at which levels, through which
# programmes?"


def short_name(name: object) -> str:
    """A display name without a trailing parenthesis (``Vinnova (Sweden's innovation agency)``
    -> ``Vinnova``); the full name when nothing would be left.

    >>> short_name("European Regional Development Fund (ERDF)")
    'European Regional Development Fund'
    """
    text = _text(name)
    head = _TRAILING_PARENS.sub("", text).strip()
    return head or text


def _level_word(level: str, lang: vocab.Lang) -> str:
    """A level as a word inside a sentence: ``EU``, ``regional``, ``mixed`` (no parenthesis)."""
    text = short_name(vocab.label(level, lang))
    return text if level == Level.EU.value else text[:1].lower() + text[1:]


def _named(ids: Sequence[str], names: dict[str, str], level: dict[str, str],
           lang: vocab.Lang) -> str:
    return ", ".join(f"{short_name(names.get(i, i))} ({_level_word(level[i], lang)})"
                     if level.get(i) else short_name(names.get(i, i)) for i in ids)


def chain_text(path: str, names: dict[str, str], level: dict[str, str], lang: vocab.Lang = "sv",
               arrow: str = " → ") -> str:
    """A chain read from the top programme down to the environment, with the levels of the nodes
    above the environment.

    >>> chain_text("e;p;f", {"e": "Lab", "p": "Programme", "f": "Fund (F)"},
    ...            {"e": "private", "p": "regional", "f": "eu"}, "en")
    'Fund (EU) → Programme (regional) → Lab'
    """
    ids = lists.split(path)
    env, above = ids[:1], ids[1:]
    parts = [_named([i], names, level, lang) for i in reversed(above)]
    parts += [short_name(names.get(i, i)) for i in env]
    return arrow.join(parts)


def support_sentences(territory: Territory, kommun_kod: str, area: str | None = None,
                      lang: vocab.Lang = "sv", params: MetricParams | None = None) -> list[str]:
    """Plain sentences answering "who supports <area> in <municipality>, at which levels, through
    which programmes?" (``area`` None or ``any``: every counted environment)."""

    model = governance_model(territory)
    names, level = model.names(), model.levels()
    muni = territory.municipalities.set_index("kommun_kod")
    place = str(muni.at[kommun_kod, "kommun"]) if kommun_kod in muni.index else kommun_kod
    key = vocab.ANY_AREA if area is None else area
    any_area = key == vocab.ANY_AREA
    what = vocab.label(key, lang, territory.region)
    counted = _counted(territory, params)
    env = counted[counted["kommun_kod"] == kommun_kod]
    if not any_area:
        env = env.loc[lists.contains(env["priority_areas"], key)]
    t = vocab.text
    planned = (params or MetricParams()).include_planned
    statuses = t("gov_status_active_planned" if planned else "gov_status_active", lang, n=len(env))
    out: list[str] = []
    if env.empty:
        out.append(t("gov_s_no_env_any" if any_area else "gov_s_no_env", lang, place=place,
                     area=what, statuses=statuses))
    else:
        listed = ", ".join(f"{short_name(n)} ({_level_word(lv, lang)})" for n, lv in
                           zip(env["name"], env["governance_level"], strict=True))
        out.append(t("gov_s_env_any" if any_area else "gov_s_env", lang, place=place, n=len(env),
                     area=what, envs=listed, statuses=statuses))
        hosts_of = model.nodes.set_index("node_id")["host_actor_ids"]
        host_ids: list[str] = []
        for e in env["id"]:
            host_ids += [h for h in lists.split(hosts_of.get(e, "")) if h not in host_ids]
        if host_ids:
            out.append(t("gov_s_hosts", lang, hosts=_named(host_ids, names, level, lang)))
        info = model.nodes.set_index("node_id")
        owner_ids: list[str] = []
        for e in env["id"]:
            owner_ids += [o for o in lists.split(info.at[e, "owner_ids"]) if o not in owner_ids
                          and o not in host_ids]
        if owner_ids:
            out.append(t("gov_s_owners", lang, owners=_named(owner_ids, names, level, lang)))
        actor_ids = set(model.actors["node_id"])
        unknown = []
        for e, n, host in zip(env["id"], env["name"], env["host_organisation"], strict=True):
            if lists.split(hosts_of.get(e, "")) or e in actor_ids:
                continue
            mentioned = str(info.at[e, "named_actor_ids"])
            if mentioned:
                out.append(t("gov_s_named_host", lang, env=short_name(n),
                             host=short_name(host), actor=_named([mentioned], names, level,
                                                                 lang)))
            else:
                unknown.append(short_name(n))
        if unknown:
            out.append(t("gov_s_unknown_hosts", lang, envs=", ".join(unknown)))
    involved = involvement(territory, params, "area")
    sel = involved[(involved["key"] == key) & (involved["kommun_kod"] == kommun_kod)]
    stating = list(dict.fromkeys(sel.loc[sel["role"] == Role.PRIORITY.value, "node_id"]))
    if stating and not any_area:
        out.append(t("gov_s_priorities", lang, area=what, place=place,
                     who=_named(stating, names, level, lang)))
    levels_here = lists.split(join_levels(sel["level"]))
    if levels_here:
        out.append(t("gov_s_levels", lang,
                     levels=", ".join(_level_word(lv, lang) for lv in levels_here)))
    chains = counting_chains(territory, params)
    chains = chains[chains["env_id"].isin(set(env["id"]))]
    if not any_area:
        chains = chains.loc[lists.contains(chains["areas"], key)]
    if len(chains):
        texts, steering = [], []
        for row in chains.itertuples(index=False):
            txt = chain_text(str(row.path), names, level, lang)
            if row.kind == ChainKind.VIA_HOST.value:
                txt += " " + t("gov_s_via_host", lang)
            texts.append(txt)
            steering += [s for s in lists.split(row.steering) if s not in steering]
        out.append(t("gov_s_chains", lang, n=len(texts)) + " " + "; ".join(texts) + ".")
        if steering:
            out.append(t("gov_s_steered", lang, who=_named(steering, names, level, lang)))
    elif not env.empty:
        out.append(t("gov_s_no_chain", lang))
    cov = actor_coverage(territory)
    mine = cov[cov["kommun_kod"] == kommun_kod]
    local = list(mine.loc[mine["scope"] == "explicit", "actor_id"])
    if local:
        out.append(t("gov_s_local_actors", lang, place=place,
                     actors=_named(local, names, level, lang)))
    counts = {scope: int((mine["scope"] == scope.value).sum())
              for scope in (Scope.COUNTY, Scope.NATIONAL, Scope.EU)}
    if any(counts.values()):
        out.append(t("gov_s_wide_actors", lang, place=place, county=counts[Scope.COUNTY],
                     national=counts[Scope.NATIONAL], eu=counts[Scope.EU]))
    return out


CHAIN_STATUSES: tuple[str, ...] = ("counts", "closed", "below_regional")
"""Why a chain does or does not count, in display order (docs/governance.md "Chains")."""


def chain_status(chains: pd.DataFrame) -> pd.Series[str]:
    """``counts``, ``closed`` or ``below_regional`` for each chain row: the one rule.

    A chain counts when the model's ``counts`` flag says so; one that does not is ``closed`` when
    its environment is closed, else ``below_regional``.

    >>> frame = pd.DataFrame({"counts": [True, False, False], "closed": [False, True, False]})
    >>> chain_status(frame).tolist()
    ['counts', 'closed', 'below_regional']
    """
    counts = chains["counts"].astype(bool).to_numpy()
    closed = chains["closed"].astype(bool).to_numpy()
    status = np.where(counts, CHAIN_STATUSES[0], np.where(closed, CHAIN_STATUSES[1], CHAIN_STATUSES[2]))
    return pd.Series(status.astype(object), index=chains.index)
