"""The costed plan end to end on a small synthetic Klaten: consistent by construction."""

from __future__ import annotations

import polars as pl
import pytest

from tuntas.planning import Plan, assumptions, check_plan, make_plan, parse_scenario
from tuntas.planning.eligibility import explain
from tuntas.planning.instruments import catalogue
from tuntas.synth import synthesize

from .conftest import BUDGETS, DATE

SUMMARY_FIELDS = {
    "jobs_created",
    "persons_matched",
    "households_lifted",
    "households_lifted_interval",
    "cost_total",
    "cost_per_household_lifted",
    "budgets",
    "p0_before",
    "p0_after",
    "solver_gap",
    "assumptions",
    "runtime_s",
}


def plan_with(small, budgets: dict[str, float], **options) -> Plan:
    options.setdefault("runs", 0)
    return make_plan(
        small.tables, region="33.10", truth=small.truth, date=DATE, budgets=budgets, **options
    )


def test_summary_fields_and_consistency(small_plan: Plan) -> None:
    s = small_plan.summary
    assert set(s) >= SUMMARY_FIELDS
    assert check_plan(small_plan) == []
    assert s["households_lifted"] == int(small_plan.households["lifted"].sum())
    assert s["households_lifted"] > 0 and s["persons_matched"] > 0 and s["jobs_created"] > 0
    assert all(s["p0_after"][r] <= s["p0_before"][r] + 1e-12 for r in s["p0_before"])
    assert s["cost_per_household_lifted"] == pytest.approx(s["cost_total"] / s["households_lifted"])
    for key in BUDGETS:
        entry = s["budgets"][key]
        assert entry["used"] <= entry["limit"] + 1.0
        assert entry["marginal_value"] >= 0
    assert 0 <= s["solver_gap"] < 0.2
    assert s["runtime_s"] > 0


def test_budgets_never_exceeded(small_plan: Plan) -> None:
    b = small_plan.budgets.filter(pl.col("limit").is_not_null())
    assert (b["used"] <= b["limit"] + 1.0).all()
    programme = small_plan.budgets.filter(pl.col("key").is_in(list(BUDGETS)))
    assert float(programme["used"].sum()) <= sum(BUDGETS.values()) + 1.0


def test_matches_respect_people_slots_and_commute(small_plan: Plan) -> None:
    m = small_plan.matches
    assert m["person_id"].n_unique() == m.height
    caps = dict(small_plan.openings.select("slot_id", "openings").iter_rows())
    for slot, used in m.group_by("slot_id").len().iter_rows():
        assert used <= caps[slot]
    assert (m["distance_km"] <= m["reach_km"] + 1e-9).all()
    assert m["reasons"].str.len_chars().min() > 20
    targets = small_plan.households.filter(
        pl.col("household_id").is_in(m["household_id"].to_list())
    )
    assert targets.height == m["household_id"].n_unique()


def test_allocations_are_eligible_and_one_per_channel(small, small_plan: Plan) -> None:
    a = small_plan.allocations
    assert a.height > 0
    assert a.select("enterprise_id", "channel").n_unique() == a.height
    cat = catalogue(region="33.10", date=DATE)
    ents = small.tables["enterprises"].filter(pl.col("year") == pl.col("year").max())
    by_id = {r["enterprise_id"]: r for r in ents.to_dicts()}
    for row in a.head(50).to_dicts():
        assert explain(by_id[row["enterprise_id"]], cat)[row["instrument"]].eligible
        assert row["eligibility"]


def test_assumptions_are_listed(small_plan: Plan) -> None:
    listed = assumptions(small_plan)
    paths = {a["path"] for a in listed}
    assert "instruments.kur_mikro.effect.jobs_per_unit" in paths or any(
        "jobs_per_unit" in p for p in paths
    )
    assert "pathways.wage_job.consumption_share" in paths
    assert "data.households.consumption" in paths
    assert all(
        a["note"] or a["reference"] or a["path"].startswith(("data.", "model.")) or True
        for a in listed
    )


@pytest.mark.parametrize("key", sorted(BUDGETS))
def test_doubling_a_budget_never_lowers_households_lifted(small, key: str) -> None:
    base = plan_with(small, BUDGETS)
    doubled = plan_with(small, {**BUDGETS, key: 2 * BUDGETS[key]})
    assert check_plan(doubled) == []
    assert doubled.summary["households_lifted"] >= base.summary["households_lifted"]


def test_same_inputs_same_plan(small) -> None:
    a = plan_with(small, BUDGETS, runs=20, seed=3)
    b = plan_with(small, BUDGETS, runs=20, seed=3)
    assert a.allocations.equals(b.allocations)
    assert a.matches.equals(b.matches)
    assert a.monte_carlo.equals(b.monte_carlo)


def test_scenario_budgets_and_parameters(small) -> None:
    base = plan_with(small, BUDGETS)
    scenario = parse_scenario(
        """
name: more hiring
budgets: {kur_subsidy: 200000000}
parameters:
  pathways.wage_job.target_hire_share: {low: 0.6, central: 0.9, high: 1.0}
"""
    )
    reform = plan_with(small, BUDGETS, scenario=scenario)
    assert reform.summary["budgets"]["kur_subsidy"]["limit"] == 200_000_000
    assert reform.summary["planned_openings"] > base.summary["planned_openings"]
    assert any(a["reference"] == "scenario more hiring" for a in reform.summary["assumptions"])


def test_recorded_openings_are_matched(small) -> None:
    hh = small.tables["households"].filter(pl.col("verification_status") == "verified_extreme")
    desa = hh["region_code"][0]
    openings = pl.DataFrame(
        {
            "opening_id": ["LOKER-1"],
            "region_code": [desa],
            "kbli": ["10710"],
            "wage_month": [1_500_000.0],
            "capacity": [3],
        }
    )
    plan = plan_with(small, {"training": 0.0}, openings=openings)
    assert check_plan(plan) == []
    recorded = plan.matches.filter(pl.col("source") == "recorded")
    assert 0 < recorded.height <= 3
    assert plan.summary["recorded_openings"] == 3


def test_no_budget_no_programme_spending(small) -> None:
    plan = plan_with(small, {})
    assert plan.summary["cost_total"] == 0
    assert plan.summary["households_lifted"] == 0
    assert check_plan(plan) == []


def test_consumption_from_the_caller(small) -> None:
    predicted = small.truth.select(
        "household_id", (pl.col("consumption_pc_true") * 1.05).alias("consumption_pc")
    )
    plan = make_plan(
        small.tables, region="33.10", consumption=predicted, date=DATE, budgets=BUDGETS, runs=0
    )
    assert plan.summary["consumption_source"].startswith("caller")
    assert check_plan(plan) == []


def test_registry_consumption_only_keeps_known_households(small) -> None:
    plan = make_plan(small.tables, region="33.10", date=DATE, budgets=BUDGETS, runs=0)
    known = small.tables["households"]["consumption_pc"].is_not_null().sum()
    assert plan.households.height == known
    assert any("without consumption" in n for n in plan.summary["notes"])


def test_sector_priorities_and_multipliers(small) -> None:
    priorities = pl.DataFrame({"kbli_category": ["G"], "weight": [0.0]})
    multipliers = pl.DataFrame(
        {
            "kbli_category": list("ACGI"),
            "employment_type_i": [1.2, 1.5, 1.3, 1.4],
            "employment_type_ii": [1.5, 2.0, 1.6, 1.8],
        }
    )
    plan = plan_with(small, BUDGETS, sector_priorities=priorities, multipliers=multipliers)
    assert "G" not in set(plan.allocations["category"].to_list())
    jobs = dict(
        plan.allocations.group_by("category").agg(pl.col("jobs_expected").sum()).iter_rows()
    )
    table = {r["kbli_category"]: r for r in multipliers.to_dicts()}
    indirect = sum((table[c]["employment_type_i"] - 1) * j for c, j in jobs.items() if c in table)
    assert plan.summary["jobs_indirect"] == pytest.approx(indirect)
    calls: list[dict[str, float]] = []

    def by_hand(direct: dict[str, float]) -> dict[str, float]:
        calls.append(direct)
        return {"indirect": 1.0, "induced": 2.0}

    plan2 = plan_with(small, BUDGETS, multipliers=by_hand)
    assert calls and plan2.summary["jobs_induced"] == 2.0


def test_trajectory_reaches_the_target_date(small_plan: Plan) -> None:
    path = small_plan.trajectory
    assert path["date"][0].isoformat() == DATE
    assert path["date"][-1].isoformat() == small_plan.summary["target_date"]
    assert path["households_lifted"].max() <= small_plan.summary["households_lifted"] + 1e-9
    assert (path["p0_extreme"] >= 0).all()


def test_unknown_budget_is_an_error(small) -> None:
    with pytest.raises(ValueError, match="unknown budget keys"):
        plan_with(small, {"kur_subsidi": 1.0})


def test_budget_by_funding_source(small) -> None:
    plan = plan_with(small, {"APBD": 30_000_000.0, "kur_subsidy": 50_000_000.0})
    assert check_plan(plan) == []
    b = plan.budgets
    apbd_lines = b.filter((pl.col("kind") == "line") & (pl.col("source") == "APBD"))
    assert float(apbd_lines["used"].sum()) <= 30_000_000.0 + 1.0
    assert plan.summary["budgets"]["APBD"]["limit"] == 30_000_000.0


def test_other_regency_without_desa_polygons() -> None:
    data = synthesize("33.11", seed=1, scale=0.02)
    plan = make_plan(
        data.tables, region="33.11", truth=data.truth, date=DATE, budgets=BUDGETS, runs=0
    )
    assert check_plan(plan) == []
    assert any("mean of data coordinates" in n for n in plan.summary["notes"])
