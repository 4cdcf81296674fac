r"""Job matching: extreme-poor working-age people to job slots by minimum-cost flow (OR-Tools).

**Feasible assignments.** Each person takes at most one job; no slot is filled above its capacity;
a person takes a job only in a desa within the person's reach (desa-to-desa distance ≤ radius).

**Objective** (minimised; each match m of person p in household h to a slot s costs):

.. math:: c_m = -B_1\,[m \text{ is } h\text{'s first match}] - B_2\,[m \text{ is a further match}]
               - \Lambda\,[w_s \text{ lifts } h] + \sigma_m, \qquad
          \sigma_m = -\pi_h + w_{km} d_{ps} + w_{mis}\,[p\text{'s skills do not fit } s]

with πₕ = w_gap·(z − yₕ)/z + w_no_earner·[nobody in h works] the **priority** (largest gap and no
earner first), "w lifts h" tested on the slot's wage band (lower edge ≥ the person's required wage
Rₚ, :mod:`tuntas.planning.pathways`), and integer weights

    Λ = σ_range + 1,  B₂ = σ_max + 1,  B₁ = B₂ + Λ + σ_range + 1,  σ_range = σ_max − σ_min.

The flow optimum is the exact minimum of Σ c_m (tests compare it with an LP over every person and
slot solved by HiGHS, and with ``scipy.optimize.linear_sum_assignment``). The weights guarantee, for
any exchange of one match for another (which an optimum never admits when it lowers the cost):

1. **a household's second member only after every household within reach has one**: replacing a
   second member's match on slot s by a match of a member of a household with no job, within reach
   of s, changes the cost by −(B₁ − B₂) + (≤ Λ) + (≤ σ_range) < 0, so an optimal matching never
   leaves such a household out while a second member holds a slot it could take;
2. **a job that lifts a household goes to a household it lifts**: among first (or among further)
   matches, trading a non-lifting match for a lifting one changes the cost by ≤ −Λ + σ_range < 0;
3. then priority, distance and skill fit decide.

Self-employment awardees already have their first intervention: their members enter as further
matches only.

**Network.** Slots are pooled by job desa b, sector class c and wage band j into P(b, c, j)
(slots of one pool are interchangeable for the objective). source → household h (a first arc of
capacity 1 and cost −B₁ − πₕ, a further arc of capacity nₕ − 1 and cost −B₂ − πₕ) → person p
(capacity 1) → pool P (capacity 1, cost w_km·d + w_mis·[misfit] − Λ·[lift], only when
d(home, b) ≤ p's reach) → sink (capacity = the pool's slots); a bypass arc source → sink carries the
slots nobody takes. OR-Tools costs are integers, so distances are rounded to w_km-units.

**Exact pruning.** For each pool only the persons of its S best households are kept (S = all slots
of the problem; a household's score for a pool is its best first-match cost there). This loses
nothing: if an optimal matching gave a slot of pool P to a person outside them, at most S − 1 of the
S best households hold other slots, so one of them has no job; giving the slot to that household's
best member instead changes the cost by ≤ 0 (its cost is no higher, and removing the old match can
only turn a further match of its household into a first one). Hence some optimal matching uses
kept pairs only, and the pruned problem has the same optimum (the tests compare with an LP on the
unpruned person × slot problem).

Within P(b, c, j) the slots are then given to its persons so as to maximise the number of persons
whose actual wage lifts their household (w ≥ Rₚ; greedy by ascending wage taking the person with the
largest Rₚ ≤ w, which is optimal for that count); this leaves the flow objective unchanged.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow

from tuntas.planning.effects import WAGE_BAND_EDGES, required_band, wage_band
from tuntas.planning.eligibility import kbli_category
from tuntas.planning.geography import DesaDistances

OTHER = "other"
NO_LIFT = len(WAGE_BAND_EDGES)
"""Required band of a person whose household no single job lifts (or that is not below the line)."""


@dataclass(frozen=True)
class MatchWeights:
    """Integer weights of the matching objective (``pathways.matching``)."""

    gap: int = 1000
    no_earner: int = 500
    per_km: int = 20
    misfit: int = 300
    skills_by_kbli: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Constants:
    """The integer weights B₁, B₂, Λ and the σ range of one matching problem."""

    sigma_min: int
    sigma_max: int
    lift: int
    further: int
    first: int

    @classmethod
    def of(cls, weights: MatchWeights, max_radius_km: float) -> Constants:
        """Weights from the priority, misfit and distance bounds (see the module docstring).

        >>> Constants.of(MatchWeights(), 15.0)
        Constants(sigma_min=-1500, sigma_max=601, lift=2102, further=602, first=4806)
        """
        sigma_min = -int(weights.gap + weights.no_earner)
        sigma_max = int(weights.misfit) + int(np.ceil(weights.per_km * max_radius_km)) + 1
        spread = sigma_max - sigma_min
        lift = spread + 1
        further = sigma_max + 1
        return cls(sigma_min, sigma_max, lift, further, further + lift + spread + 1)


@dataclass(frozen=True)
class MatchResult:
    """Matches with their reasons, and the size and cost of the flow problem."""

    matches: pl.DataFrame
    stats: dict[str, Any]


def skill_class(kbli: str | None, skills_by_kbli: Mapping[str, tuple[str, ...]]) -> str:
    """Sector class of a slot: the longest prefix of its KBLI code in the skill map, else its category.

    >>> skill_class("10794", {"10": ("memasak",), "107": ("roti",)})
    '107'
    >>> skill_class("47111", {"10": ("memasak",)})
    'G'
    """
    if not kbli:
        return OTHER
    for width in range(len(kbli), 0, -1):
        if kbli[:width] in skills_by_kbli:
            return kbli[:width]
    category = kbli_category([kbli])[0]
    return str(category) if category else OTHER


def _class_category(cls: str) -> str | None:
    if cls == OTHER:
        return None
    if cls.isalpha():
        return cls
    found = kbli_category([cls])[0]
    return None if found is None else str(found)


def fits(
    skills: list[str] | None,
    sector: str | None,
    cls: str,
    skills_by_kbli: Mapping[str, tuple[str, ...]],
) -> bool:
    """Whether a person fits a sector class: a shared skill tag, or current work in its category.

    >>> fits(["memasak"], None, "56", {"56": ("memasak",)}), fits([], "G", "47", {"47": ()})
    (True, True)
    """
    wanted = skills_by_kbli.get(cls, ())
    if skills and any(s in wanted for s in skills):
        return True
    return bool(sector) and sector == _class_category(cls)


def lifting_assignment(
    people: list[tuple[float, int]], slots: list[tuple[float, int]]
) -> list[tuple[int, int]]:
    """Pair people (required wage, id) with slot units (wage, id) maximising #(wage ≥ required).

    Greedy: slots by ascending wage, each to the waiting person with the largest required wage it
    covers; leftover people take leftover slots. Optimal for the count (an exchange argument).

    >>> lifting_assignment([(5.0, 0), (1.0, 1)], [(2.0, 10), (6.0, 11)])
    [(1, 10), (0, 11)]
    """
    people_sorted = sorted(people)
    heap: list[tuple[float, int]] = []
    pairs: list[tuple[int, int]] = []
    free_slots: list[int] = []
    i = 0
    for wage, slot in sorted(slots):
        while i < len(people_sorted) and people_sorted[i][0] <= wage:
            heapq.heappush(heap, (-people_sorted[i][0], people_sorted[i][1]))
            i += 1
        if heap:
            _, person = heapq.heappop(heap)
            pairs.append((person, slot))
        else:
            free_slots.append(slot)
    rest = sorted([p for _, p in heap] + [p for _, p in people_sorted[i:]])
    pairs.extend(zip(rest, free_slots, strict=False))
    return pairs


class _Arcs:
    """Arcs collected in blocks, then handed to OR-Tools in one call."""

    def __init__(self) -> None:
        self.tails: list[NDArray[np.int64]] = []
        self.heads: list[NDArray[np.int64]] = []
        self.caps: list[NDArray[np.int64]] = []
        self.costs: list[NDArray[np.int64]] = []

    def add(self, tail: Any, head: Any, cap: Any, cost: Any) -> None:
        t = np.asarray(tail, dtype=np.int64).ravel()
        self.tails.append(t)
        self.heads.append(np.asarray(head, dtype=np.int64).ravel())
        self.caps.append(np.broadcast_to(np.asarray(cap, dtype=np.int64), t.shape).copy())
        self.costs.append(np.broadcast_to(np.asarray(cost, dtype=np.int64), t.shape).copy())

    def arrays(self) -> tuple[NDArray[np.int64], ...]:
        return tuple(
            np.concatenate(x) if x else np.zeros(0, dtype=np.int64)
            for x in (self.tails, self.heads, self.caps, self.costs)
        )


EMPTY_MATCHES = {
    "person_id": pl.Utf8,
    "household_id": pl.Utf8,
    "slot_id": pl.Utf8,
    "source": pl.Utf8,
    "home_desa": pl.Utf8,
    "job_desa": pl.Utf8,
    "distance_km": pl.Float64,
    "reach_km": pl.Float64,
    "skill_match": pl.Boolean,
    "skills_matched": pl.Utf8,
    "wage": pl.Float64,
    "tier": pl.Int64,
    "priority": pl.Int64,
    "gap_ratio": pl.Float64,
    "no_earner": pl.Boolean,
    "lifts_alone": pl.Boolean,
    "reasons": pl.Utf8,
}


def match_jobs(
    persons: pl.DataFrame,
    households: pl.DataFrame,
    slots: pl.DataFrame,
    *,
    distances: DesaDistances,
    weights: MatchWeights,
) -> MatchResult:
    """Match persons to job slots (objective, guarantees and network in the module docstring).

    Parameters
    ----------
    persons : DataFrame
        person_id, household_id, region_code (home desa), radius_km, skills (list of tags),
        sector (KBLI letter of current work, may be null), working (bool), required_wage (Rp/month
        that lifts the household when this person takes a job; inf if none).
    households : DataFrame
        household_id, gap_ratio ((z − y)/z ≥ 0), no_earner (bool), tier1 (bool: may still receive
        its first intervention; false for self-employment awardees).
    slots : DataFrame
        slot_id, source ("planned"/"recorded"), region_code (job desa), kbli, wage, capacity.
    distances : DesaDistances
        Desa-to-desa distances covering every desa in ``persons`` and ``slots``.
    weights : MatchWeights

    Returns
    -------
    MatchResult
        ``matches``: one row per matched person: slot_id, source, home and job desa, distance_km,
        reach_km, skill_match, skills_matched, wage, tier (1 = the household's first), priority,
        gap_ratio, no_earner, lifts_alone (the wage alone lifts the household) and ``reasons``;
        ``stats``: nodes, arcs, optimal cost, persons and households matched, seconds.

    Examples
    --------
    Two households and one employer with two openings in the same desa: each household gets one
    (a second member only after every household within reach has one):

    >>> d = DesaDistances.from_points(["A"], [-7.7], [110.6])
    >>> persons = pl.DataFrame({"person_id": ["p1", "p2", "q1"], "household_id": ["h", "h", "k"],
    ...     "region_code": ["A"] * 3, "radius_km": [5.0] * 3, "skills": [["memasak"]] * 3,
    ...     "sector": [None] * 3, "working": [False] * 3, "required_wage": [1e5] * 3})
    >>> households = pl.DataFrame({"household_id": ["h", "k"], "gap_ratio": [0.3, 0.1],
    ...     "no_earner": [True, True], "tier1": [True, True]})
    >>> slots = pl.DataFrame({"slot_id": ["E1"], "source": ["planned"], "region_code": ["A"],
    ...     "kbli": ["56101"], "wage": [1.2e6], "capacity": [2]})
    >>> result = match_jobs(persons, households, slots, distances=d, weights=MatchWeights(
    ...     skills_by_kbli={"56": ("memasak",)}))
    >>> result.matches.select("household_id", "tier", "lifts_alone").rows()
    [('h', 1, True), ('k', 1, True)]
    """
    started = time.perf_counter()
    tags = {k: tuple(v) for k, v in weights.skills_by_kbli.items()}
    slots = slots.filter(pl.col("capacity") > 0)
    hh = households.sort("household_id")
    persons = persons.join(hh.select("household_id"), on="household_id", how="semi").sort(
        "household_id", "person_id"
    )
    empty = pl.DataFrame(schema=EMPTY_MATCHES)
    total = int(slots["capacity"].sum() or 0)
    stats: dict[str, Any]
    if slots.is_empty() or persons.is_empty():
        stats = {
            "nodes": 0,
            "arcs": 0,
            "persons": persons.height,
            "households": hh.height,
            "slots": total,
            "pools": 0,
            "optimal_cost": 0,
            "persons_matched": 0,
            "households_matched": 0,
            "seconds": time.perf_counter() - started,
        }
        return MatchResult(empty, stats)

    # ---- pools P(b, c, j): job desa, sector class, wage band
    slot_rows = slots.with_columns(
        cls=pl.col("kbli").map_elements(lambda k: skill_class(k, tags), return_dtype=pl.Utf8),
        band=pl.Series(wage_band(slots["wage"].to_numpy())),
    )
    pools = (
        slot_rows.group_by("region_code", "cls", "band")
        .agg(pl.col("capacity").sum())
        .sort("region_code", "cls", "band")
    )
    classes = sorted(set(pools["cls"].to_list()))
    cls_index = {c: i for i, c in enumerate(classes)}
    pool_desa = pools["region_code"].to_list()
    pool_cls = [cls_index[c] for c in pools["cls"].to_list()]
    pool_band = pools["band"].to_numpy().astype(np.int64)
    pool_cap = pools["capacity"].to_numpy().astype(np.int64)
    pool_didx = distances.index(pool_desa)

    # ---- persons and households
    pid = persons["person_id"].to_list()
    phh = persons["household_id"].to_list()
    pdesa = persons["region_code"].to_list()
    pradius = persons["radius_km"].to_numpy().astype(np.float64)
    pskills = persons["skills"].to_list()
    psector = persons["sector"].to_list()
    required = persons["required_wage"].to_numpy().astype(np.float64)
    pband = np.where(
        np.isfinite(required), required_band(np.nan_to_num(required, posinf=0.0)), NO_LIFT
    )
    profiles: dict[tuple[tuple[str, ...], str | None], int] = {}
    profile_fit: list[list[bool]] = []
    pprofile = np.zeros(len(pid), dtype=np.int64)
    for i, (skills, sector) in enumerate(zip(pskills, psector, strict=True)):
        key = (tuple(skills or ()), sector)
        if key not in profiles:
            profiles[key] = len(profile_fit)
            profile_fit.append([fits(skills, sector, c, tags) for c in classes])
        pprofile[i] = profiles[key]
    fit = np.array(profile_fit, dtype=bool).reshape(len(profile_fit), len(classes))
    hh_ids = hh["household_id"].to_list()
    hh_index = {h: i for i, h in enumerate(hh_ids)}
    p_h = np.array([hh_index[h] for h in phh], dtype=np.int64)
    gap_ratio = hh["gap_ratio"].to_numpy().astype(np.float64)
    no_earner = hh["no_earner"].to_numpy().astype(bool)
    prio = np.round(weights.gap * gap_ratio + weights.no_earner * no_earner).astype(np.int64)
    tier1 = hh["tier1"].to_numpy().astype(bool)
    home_didx = distances.index(pdesa) if pdesa else np.zeros(0, dtype=np.int64)
    homes, home_of = np.unique(home_didx, return_inverse=True)
    widest = np.zeros(homes.size)
    np.maximum.at(widest, home_of, pradius)
    d_home = distances.matrix[np.ix_(homes, pool_didx)]
    in_reach = d_home <= widest[:, None] + 1e-9
    reach_max = float(d_home[in_reach].max()) if in_reach.any() else 0.0
    k_const = Constants.of(weights, reach_max)
    n_p, n_h = len(pid), hh.height

    # ---- candidates: for each pool, the persons of its best ``total`` households (exact pruning)
    best_first = np.where(tier1, -k_const.first, -k_const.further) - prio  # household's best tier
    seg = (
        np.flatnonzero(np.r_[True, p_h[1:] != p_h[:-1]])
        if len(pid)
        else np.zeros(0, dtype=np.int64)
    )
    seg_h = p_h[seg] if len(pid) else np.zeros(0, dtype=np.int64)
    pair_p: list[NDArray[np.int64]] = []
    pair_q: list[NDArray[np.int64]] = []
    pair_c: list[NDArray[np.int64]] = []
    for q in range(pools.height):
        if not in_reach[:, q].any():
            continue
        km = d_home[home_of, q]
        ok = km <= pradius + 1e-9
        if not ok.any():
            continue
        arc = (
            np.round(weights.per_km * km).astype(np.int64)
            + np.where(fit[pprofile, pool_cls[q]], 0, int(weights.misfit))
            - np.where(pband <= pool_band[q], k_const.lift, 0)
        )
        big = np.iinfo(np.int64).max // 4
        arc_ok = np.where(ok, arc, big)
        best = np.minimum.reduceat(arc_ok, seg)
        reach_h = best < big
        score = np.where(reach_h, best + best_first[seg_h], big)
        keep_n = min(total, int(reach_h.sum()))
        if 0 < keep_n < reach_h.sum():
            top = np.argpartition(score, keep_n - 1)[:keep_n]
            kept = np.zeros(hh.height, dtype=bool)
            kept[seg_h[top]] = True
        else:
            kept = np.zeros(hh.height, dtype=bool)
            kept[seg_h[reach_h]] = True
        persons_q = np.flatnonzero(ok & kept[p_h])
        pair_p.append(persons_q)
        pair_q.append(np.full(persons_q.size, q, dtype=np.int64))
        pair_c.append(arc[persons_q])
    pp = np.concatenate(pair_p) if pair_p else np.zeros(0, dtype=np.int64)
    pq = np.concatenate(pair_q) if pair_q else np.zeros(0, dtype=np.int64)
    pc = np.concatenate(pair_c) if pair_c else np.zeros(0, dtype=np.int64)

    # ---- network: source → household (first / further) → person → pool → sink, and a bypass
    used_p = np.unique(pp)
    used_h = np.unique(p_h[used_p])
    SRC, SNK = 0, 1
    h_node = np.full(hh.height, -1, dtype=np.int64)
    h_node[used_h] = 2 + np.arange(used_h.size)
    p_node = np.full(len(pid), -1, dtype=np.int64)
    p_node[used_p] = 2 + used_h.size + np.arange(used_p.size)
    q_node0 = 2 + used_h.size + used_p.size
    n_nodes = q_node0 + pools.height
    used_members = np.bincount(p_h[used_p], minlength=hh.height)
    arcs = _Arcs()
    first = used_h[tier1[used_h]]
    arcs.add(np.full(first.size, SRC), h_node[first], 1, -k_const.first - prio[first])
    further_cap = np.where(tier1, used_members - 1, used_members)
    further = used_h[further_cap[used_h] > 0]
    arcs.add(
        np.full(further.size, SRC),
        h_node[further],
        further_cap[further],
        -k_const.further - prio[further],
    )
    arcs.add(h_node[p_h[used_p]], p_node[used_p], 1, 0)
    pair_arc0 = int(sum(len(t) for t in arcs.tails))
    arcs.add(p_node[pp], q_node0 + pq, 1, pc)
    arcs.add(q_node0 + np.arange(pools.height), np.full(pools.height, SNK), pool_cap, 0)
    arcs.add([SRC], [SNK], total, 0)
    tail, head, cap, cost = arcs.arrays()
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tail, head, cap, cost)
    supplies = np.zeros(n_nodes, dtype=np.int64)
    supplies[SRC] = total
    supplies[SNK] = -total
    flow.set_nodes_supplies(np.arange(n_nodes), supplies)
    t_build = time.perf_counter() - started
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    t_solve = time.perf_counter() - started - t_build
    f = np.asarray(flow.flows(np.arange(pair_arc0, pair_arc0 + pp.size)))
    chosen = np.flatnonzero(f > 0)
    pool_people: dict[int, list[int]] = {}
    for i, q in zip(pp[chosen].tolist(), pq[chosen].tolist(), strict=True):
        pool_people.setdefault(q, []).append(i)
    lifting = {
        int(i) for i, q in zip(pp[chosen], pq[chosen], strict=True) if pband[i] <= pool_band[q]
    }
    next_node = n_nodes

    # ---- slots within each pool (same desa, class, wage band): maximise actual lifts
    units_of: dict[tuple[str, int, int], list[tuple[float, str, str]]] = {}
    for sid, src, desa, cls, band, wage, capacity in slot_rows.select(
        "slot_id", "source", "region_code", "cls", "band", "wage", "capacity"
    ).iter_rows():
        units_of.setdefault((desa, cls_index[cls], int(band)), []).extend(
            [(float(wage), str(sid), str(src))] * int(capacity)
        )
    assigned: list[tuple[int, int, float, str, str]] = []
    for pool, people in sorted(pool_people.items()):
        units = units_of[(pool_desa[pool], pool_cls[pool], int(pool_band[pool]))]
        pairs = lifting_assignment(
            [(float(required[i]), i) for i in people], [(u[0], n) for n, u in enumerate(units)]
        )
        for i, n in pairs:
            assigned.append((i, pool, units[n][0], units[n][1], units[n][2]))
    assigned.sort(key=lambda r: (phh[r[0]], pid[r[0]]))
    rows: list[dict[str, Any]] = []
    seen: dict[int, int] = {}
    for i, pool, wage, sid, src in assigned:
        h = int(p_h[i])
        tier = 1 if seen.get(h, 0) == 0 and tier1[h] else 2
        seen[h] = seen.get(h, 0) + 1
        cls = classes[pool_cls[pool]]
        km = float(distances.matrix[home_didx[i], pool_didx[pool]])
        fits_slot = bool(fit[pprofile[i], pool_cls[pool]])
        matched_tags = [s for s in (pskills[i] or []) if s in tags.get(cls, ())]
        lifts = bool(wage >= required[i])
        rows.append(
            {
                "person_id": pid[i],
                "household_id": phh[i],
                "slot_id": sid,
                "source": src,
                "home_desa": pdesa[i],
                "job_desa": pool_desa[pool],
                "distance_km": km,
                "reach_km": float(pradius[i]),
                "skill_match": fits_slot,
                "skills_matched": ";".join(matched_tags),
                "wage": wage,
                "tier": tier,
                "priority": int(prio[h]),
                "gap_ratio": float(gap_ratio[h]),
                "no_earner": bool(no_earner[h]),
                "lifts_alone": lifts,
                "reasons": _reason(
                    tier=tier,
                    gap=float(gap_ratio[h]),
                    no_earner=bool(no_earner[h]),
                    km=km,
                    reach=float(pradius[i]),
                    fit=fits_slot,
                    tags=matched_tags,
                    wage=wage,
                    lifts=lifts,
                ),
            }
        )
    matches = pl.DataFrame(rows, schema=EMPTY_MATCHES) if rows else empty
    stats = {
        "nodes": int(next_node),
        "arcs": len(tail),
        "persons": n_p,
        "households": n_h,
        "slots": total,
        "pools": pools.height,
        "optimal_cost": int(flow.optimal_cost()),
        "persons_matched": matches.height,
        "households_matched": matches["household_id"].n_unique() if matches.height else 0,
        "lifting_matches": len(lifting),
        "candidate_pairs": int(pp.size),
        "constants": k_const,
        "seconds": time.perf_counter() - started,
        "seconds_solve": t_solve,
    }
    return MatchResult(matches.sort("household_id", "person_id"), stats)


def _reason(
    *,
    tier: int,
    gap: float,
    no_earner: bool,
    km: float,
    reach: float,
    fit: bool,
    tags: list[str],
    wage: float,
    lifts: bool,
) -> str:
    who = "first member of the household" if tier == 1 else "additional member"
    skill = (
        f"skills fit ({', '.join(tags) or 'same sector'})"
        if fit
        else "skills do not fit the sector"
    )
    earner = ", no earner in the household" if no_earner else ""
    lift = " lifts the household above the extreme line" if lifts else ""
    return (
        f"{who}; poverty gap {100 * gap:.0f}% of the line{earner}; "
        f"{km:.1f} km from home (reach {reach:g} km); {skill}; wage Rp{wage:,.0f}{lift}"
    )
