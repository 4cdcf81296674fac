"""Job matching: optimal for its objective (against independent solvers) and its rules always hold."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment, linprog

from tuntas.planning.effects import required_band, wage_band
from tuntas.planning.geography import DesaDistances
from tuntas.planning.matching import (
    Constants,
    MatchResult,
    MatchWeights,
    fits,
    lifting_assignment,
    match_jobs,
    skill_class,
)

SKILLS = {"10": ("memasak", "mengolah_makanan"), "47": ("berdagang",), "01": ("bertani",)}
WEIGHTS = MatchWeights(gap=1000, no_earner=500, per_km=20, misfit=300, skills_by_kbli=SKILLS)
TAGS = ["memasak", "berdagang", "bertani", "menjahit"]
KBLI = ["10710", "47111", "01111", "31001"]


@dataclass
class Instance:
    persons: pl.DataFrame
    households: pl.DataFrame
    slots: pl.DataFrame
    distances: DesaDistances


@st.composite
def instances(draw: st.DrawFn, *, max_households: int = 6, max_slots: int = 4) -> Instance:
    n_desa = draw(st.integers(1, 4))
    codes = [f"D{i}" for i in range(n_desa)]
    lat = [-7.70 + draw(st.floats(-0.05, 0.05)) for _ in codes]
    lon = [110.60 + draw(st.floats(-0.05, 0.05)) for _ in codes]
    distances = DesaDistances.from_points(codes, lat, lon)
    n_h = draw(st.integers(1, max_households))
    hh_rows, person_rows = [], []
    for h in range(n_h):
        hid = f"H{h}"
        hh_rows.append(
            {
                "household_id": hid,
                "gap_ratio": draw(st.sampled_from([0.0, 0.05, 0.2, 0.4])),
                "no_earner": draw(st.booleans()),
                "tier1": draw(st.booleans()) or draw(st.booleans()),
            }
        )
        home = draw(st.sampled_from(codes))
        for p in range(draw(st.integers(1, 3))):
            person_rows.append(
                {
                    "person_id": f"{hid}-{p}",
                    "household_id": hid,
                    "region_code": home,
                    "radius_km": draw(st.sampled_from([0.5, 2.0, 5.0, 8.0, 15.0])),
                    "skills": draw(st.lists(st.sampled_from(TAGS), max_size=2, unique=True)),
                    "sector": draw(st.sampled_from([None, "C", "G", "A"])),
                    "working": draw(st.booleans()),
                    "required_wage": draw(
                        st.sampled_from(
                            [float("inf"), 300_000.0, 800_000.0, 1_400_000.0, 2_600_000.0]
                        )
                    ),
                }
            )
    slot_rows = [
        {
            "slot_id": f"S{s}",
            "source": "planned",
            "region_code": draw(st.sampled_from(codes)),
            "kbli": draw(st.sampled_from(KBLI)),
            "wage": draw(st.sampled_from([600_000.0, 900_000.0, 1_300_000.0, 1_800_000.0])),
            "capacity": draw(st.integers(1, 3)),
        }
        for s in range(draw(st.integers(1, max_slots)))
    ]
    persons = pl.DataFrame(
        person_rows,
        schema={
            "person_id": pl.Utf8,
            "household_id": pl.Utf8,
            "region_code": pl.Utf8,
            "radius_km": pl.Float64,
            "skills": pl.List(pl.Utf8),
            "sector": pl.Utf8,
            "working": pl.Boolean,
            "required_wage": pl.Float64,
        },
    )
    return Instance(persons, pl.DataFrame(hh_rows), pl.DataFrame(slot_rows), distances)


def pair_cost(inst: Instance, k: Constants, p: dict, s: dict) -> int | None:
    """Arc cost of person p on slot s, or None when s is beyond p's reach (independent of the flow)."""
    km = inst.distances.km(p["region_code"], s["region_code"])
    if km > p["radius_km"] + 1e-9:
        return None
    cls = skill_class(s["kbli"], SKILLS)
    misfit = 0 if fits(p["skills"], p["sector"], cls, SKILLS) else WEIGHTS.misfit
    r = float(p["required_wage"])
    person_band = int(required_band([r])[0]) if np.isfinite(r) else 99
    lift = k.lift if person_band <= int(wage_band([s["wage"]])[0]) else 0
    return round(WEIGHTS.per_km * km) + misfit - lift


def lp_optimum(inst: Instance, k: Constants) -> float:
    """Minimum of the matching objective over the full person × slot LP (HiGHS via scipy)."""
    persons = inst.persons.to_dicts()
    slots = inst.slots.to_dicts()
    hh = {h["household_id"]: h for h in inst.households.to_dicts()}
    prio = {
        h: round(WEIGHTS.gap * r["gap_ratio"] + WEIGHTS.no_earner * r["no_earner"])
        for h, r in hh.items()
    }
    pairs = [
        (i, j, c)
        for i, p in enumerate(persons)
        for j, s in enumerate(slots)
        if (c := pair_cost(inst, k, p, s)) is not None
    ]
    hids = sorted(hh)
    n_pairs, n_h = len(pairs), len(hids)
    n = n_pairs + 2 * n_h
    cost = np.zeros(n)
    bounds = []
    for idx, (_, _, c) in enumerate(pairs):
        cost[idx] = c
        bounds.append((0, 1))
    members = {h: sum(p["household_id"] == h for p in persons) for h in hids}
    for t, h in enumerate(hids):
        first_cap = 1 if hh[h]["tier1"] else 0
        cost[n_pairs + t] = -k.first - prio[h]
        cost[n_pairs + n_h + t] = -k.further - prio[h]
        bounds.append(None)
    for t, h in enumerate(hids):
        first_cap = 1 if hh[h]["tier1"] else 0
        bounds[n_pairs + t] = (0, first_cap)
        bounds.append((0, members[h] - first_cap))
    a_ub, b_ub, a_eq, b_eq = [], [], [], []
    for i in range(len(persons)):
        row = np.zeros(n)
        row[[idx for idx, (pi, _, _) in enumerate(pairs) if pi == i]] = 1
        a_ub.append(row)
        b_ub.append(1)
    for j, s in enumerate(slots):
        row = np.zeros(n)
        row[[idx for idx, (_, sj, _) in enumerate(pairs) if sj == j]] = 1
        a_ub.append(row)
        b_ub.append(s["capacity"])
    for t, h in enumerate(hids):
        row = np.zeros(n)
        row[[idx for idx, (pi, _, _) in enumerate(pairs) if persons[pi]["household_id"] == h]] = 1
        row[n_pairs + t] = -1
        row[n_pairs + n_h + t] = -1
        a_eq.append(row)
        b_eq.append(0)
    result = linprog(
        cost,
        A_ub=np.array(a_ub),
        b_ub=b_ub,
        A_eq=np.array(a_eq),
        b_eq=b_eq,
        bounds=bounds,
        method="highs",
    )
    assert result.status == 0
    return float(result.fun)


def solve(inst: Instance) -> MatchResult:
    return match_jobs(
        inst.persons, inst.households, inst.slots, distances=inst.distances, weights=WEIGHTS
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_flow_is_optimal_against_an_lp_over_every_person_and_slot(inst: Instance) -> None:
    result = solve(inst)
    if not result.stats.get("constants"):
        assert result.matches.is_empty()
        return
    assert result.stats["optimal_cost"] == pytest.approx(
        lp_optimum(inst, result.stats["constants"]), abs=1e-6
    )


@settings(max_examples=40, deadline=None)
@given(instances(max_households=8, max_slots=2))
def test_pruning_keeps_the_optimum_when_slots_are_scarce(inst: Instance) -> None:
    result = solve(inst)
    if result.stats.get("constants"):
        assert result.stats["optimal_cost"] == pytest.approx(
            lp_optimum(inst, result.stats["constants"]), abs=1e-6
        )


@settings(max_examples=40, deadline=None)
@given(instances())
def test_single_member_households_agree_with_linear_sum_assignment(inst: Instance) -> None:
    persons = inst.persons.unique("household_id", keep="first", maintain_order=True)
    households = inst.households.with_columns(tier1=pl.lit(True))
    one = Instance(persons, households, inst.slots, inst.distances)
    result = solve(one)
    if not result.stats.get("constants"):
        return
    k = result.stats["constants"]
    prio = {
        r["household_id"]: round(WEIGHTS.gap * r["gap_ratio"] + WEIGHTS.no_earner * r["no_earner"])
        for r in households.to_dicts()
    }
    units = [s for s in one.slots.to_dicts() for _ in range(s["capacity"])]
    people = persons.to_dicts()
    big = 10**9
    matrix = np.zeros((len(people), len(units) + len(people)))
    for i, p in enumerate(people):
        for j, s in enumerate(units):
            c = pair_cost(one, k, p, s)
            matrix[i, j] = big if c is None else c - k.first - prio[p["household_id"]]
    rows, cols = linear_sum_assignment(matrix)
    best = matrix[rows, cols]
    assert (best < big).all()
    assert result.stats["optimal_cost"] == pytest.approx(float(best.sum()))


def band_lifts(p: dict, wage: float) -> bool:
    r = float(p["required_wage"])
    return bool(np.isfinite(r) and int(required_band([r])[0]) <= int(wage_band([wage])[0]))


@settings(max_examples=80, deadline=None)
@given(instances())
def test_rules_always_hold(inst: Instance) -> None:
    m = solve(inst).matches
    persons = {p["person_id"]: p for p in inst.persons.to_dicts()}
    slots = {s["slot_id"]: s for s in inst.slots.to_dicts()}
    tier1 = dict(inst.households.select("household_id", "tier1").iter_rows())
    # one job per person, capacities, commute
    assert m["person_id"].n_unique() == m.height
    for sid, used in m.group_by("slot_id").len().iter_rows():
        assert used <= slots[sid]["capacity"]
    for row in m.to_dicts():
        p = persons[row["person_id"]]
        assert (
            inst.distances.km(p["region_code"], slots[row["slot_id"]]["region_code"])
            <= p["radius_km"] + 1e-9
        )
    # a household's second member only after every household within reach has one
    matched = set(m["household_id"].to_list())
    waiting = [
        p for p in persons.values() if p["household_id"] not in matched and tier1[p["household_id"]]
    ]
    for row in m.to_dicts():
        slot = slots[row["slot_id"]]
        reachable = [
            p
            for p in waiting
            if inst.distances.km(p["region_code"], slot["region_code"]) <= p["radius_km"] + 1e-9
        ]
        if row["tier"] == 2:
            assert not reachable, (row, reachable)
        # a first match that does not lift is never taken from a waiting household it would lift
        if row["tier"] == 1 and not band_lifts(persons[row["person_id"]], slot["wage"]):
            assert not [p for p in reachable if band_lifts(p, slot["wage"])]


def test_every_match_has_reasons() -> None:
    d = DesaDistances.from_points(["A", "B"], [-7.70, -7.70], [110.60, 110.65])
    persons = pl.DataFrame(
        {
            "person_id": ["p1", "q1"],
            "household_id": ["h", "k"],
            "region_code": ["A", "B"],
            "radius_km": [10.0, 1.0],
            "skills": [["memasak"], []],
            "sector": [None, "G"],
            "working": [False, True],
            "required_wage": [500_000.0, float("inf")],
        }
    )
    households = pl.DataFrame(
        {
            "household_id": ["h", "k"],
            "gap_ratio": [0.2, 0.0],
            "no_earner": [True, False],
            "tier1": [True, True],
        }
    )
    slots = pl.DataFrame(
        {
            "slot_id": ["E1"],
            "source": ["planned"],
            "region_code": ["B"],
            "kbli": ["10710"],
            "wage": [1e6],
            "capacity": [1],
        }
    )
    m = match_jobs(persons, households, slots, distances=d, weights=WEIGHTS).matches
    assert m["person_id"].to_list() == ["p1"]  # it lifts h; k is not below the line
    row = m.to_dicts()[0]
    assert row["skill_match"] and row["lifts_alone"] and row["tier"] == 1
    assert row["distance_km"] == pytest.approx(d.km("A", "B"))
    assert (
        "no earner" in row["reasons"]
        and "km from home" in row["reasons"]
        and "lifts" in row["reasons"]
    )


def test_lifting_assignment_is_optimal_for_the_count() -> None:
    rng = np.random.default_rng(3)
    for _ in range(200):
        people = [(float(v), i) for i, v in enumerate(rng.integers(1, 10, rng.integers(1, 6)))]
        slots = [(float(v), 100 + j) for j, v in enumerate(rng.integers(1, 10, len(people)))]
        pairs = lifting_assignment(people, slots)
        wage_of = {sid: w for w, sid in slots}
        need_of = {pid: r for r, pid in people}
        got = sum(wage_of[s] >= need_of[p] for p, s in pairs)
        req = np.array([r for r, _ in people])
        wage = np.array([w for w, _ in slots])
        gain = (wage[None, :] >= req[:, None]).astype(float)
        rows, cols = linear_sum_assignment(-gain)
        assert got == gain[rows, cols].sum()
        assert len(pairs) == min(len(people), len(slots))
