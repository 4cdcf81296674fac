"""Microsimulation: a hand-worked example, regions, trajectory and the Monte Carlo interval."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from tuntas.planning.microsim import (
    _lift_probability,
    add_months,
    apply_interventions,
    months_between,
    region_table,
    trajectory,
)

LINE = 391_000.0


@pytest.fixture
def two_households() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "household_id": ["A", "B"],
            "region_code": ["33.10.01.2001", "33.10.02.2001"],
            "size": [4, 3],
            "consumption_pc": [300_000.0, 360_000.0],
        }
    )


def test_hand_example_two_households_one_job(two_households: pl.DataFrame) -> None:
    # A gets a job at Rp 1.2 juta; its member was not working; 70% of the wage is consumed:
    # A: 300,000 + 1,200,000 × 0.7 / 4 = 510,000 ≥ 391,000 → lifted; B unchanged.
    jobs = pl.DataFrame({"household_id": ["A"], "wage": [1_200_000.0], "working": [False]})
    out = apply_interventions(
        two_households, jobs, None, line=LINE, share=0.7, net_share=0.4, se_gain=0
    )
    a, b = out.sort("household_id").to_dicts()
    assert a["consumption_after"] == pytest.approx(510_000.0)
    assert a["lifted"] and not b["lifted"]
    assert b["consumption_after"] == b["consumption_before"] == 360_000.0
    regions = region_table(out, line=LINE)
    regency = regions.filter(pl.col("level") == "kabupaten_kota").to_dicts()[0]
    assert regency["region_code"] == "33.10"
    assert regency["population"] == 7
    assert regency["p0_before"] == pytest.approx(100.0)
    assert regency["p0_after"] == pytest.approx(100 * 3 / 7)
    p1_before = (4 * (LINE - 300_000) / LINE + 3 * (LINE - 360_000) / LINE) / 7
    assert regency["p1_before"] == pytest.approx(100 * p1_before)
    assert regency["p1_after"] == pytest.approx(100 * 3 * (LINE - 360_000) / LINE / 7)
    assert regency["households_lifted"] == 1
    kecamatan = regions.filter(pl.col("level") == "kecamatan").sort("region_code")
    assert kecamatan["region_code"].to_list() == ["33.10.01", "33.10.02"]
    assert kecamatan["p0_after"].to_list() == pytest.approx([0.0, 100.0])


def test_working_member_and_self_employment(two_households: pl.DataFrame) -> None:
    jobs = pl.DataFrame({"household_id": ["A"], "wage": [1_000_000.0], "working": [True]})
    awards = pl.DataFrame({"household_id": ["B"]})
    out = apply_interventions(
        two_households, jobs, awards, line=LINE, share=0.7, net_share=0.4, se_gain=120_000
    )
    a, b = out.sort("household_id").to_dicts()
    assert a["wage_gain_pc"] == pytest.approx(1_000_000 * 0.7 * 0.4 / 4)  # 70,000: not enough
    assert not a["lifted"]
    assert b["self_employment_gain_pc"] == pytest.approx(40_000.0)
    assert b["lifted"]  # 360,000 + 40,000 ≥ 391,000


def test_p0_never_rises(two_households: pl.DataFrame) -> None:
    rng = np.random.default_rng(0)
    hh = pl.DataFrame(
        {
            "household_id": [f"H{i}" for i in range(200)],
            "region_code": [f"33.10.0{i % 3 + 1}.200{i % 4 + 1}" for i in range(200)],
            "size": rng.integers(1, 7, 200),
            "consumption_pc": rng.uniform(150_000, 900_000, 200),
        }
    )
    jobs = pl.DataFrame(
        {
            "household_id": [f"H{i}" for i in rng.choice(200, 40)],
            "wage": rng.uniform(5e5, 2e6, 40),
            "working": rng.random(40) < 0.3,
        }
    )
    regions = region_table(
        apply_interventions(hh, jobs, None, line=LINE, share=0.7, net_share=0.4, se_gain=0),
        line=LINE,
    )
    assert (regions["p0_after"] <= regions["p0_before"] + 1e-12).all()
    assert (regions["p2_after"] <= regions["p2_before"] + 1e-12).all()


def test_trajectory_of_one_job() -> None:
    households = pl.DataFrame(
        {"household_id": ["A", "B"], "size": [4, 4], "consumption_before": [300_000.0, 500_000.0]}
    )
    interventions = pl.DataFrame(
        {
            "household_id": ["A"],
            "gain_pc": [210_000.0],
            "months_to_effect": [6.0],
            "persistence": [0.8],
        }
    )
    path = trajectory(
        interventions, households, line=LINE, start=dt.date(2026, 1, 1), target=dt.date(2027, 7, 1)
    )
    lifted = dict(zip(path["month"].to_list(), path["households_lifted"].to_list(), strict=True))
    assert lifted[5] == 0.0 and lifted[6] == pytest.approx(1.0) and lifted[18] == pytest.approx(0.8)
    p0 = dict(zip(path["month"].to_list(), path["p0_extreme"].to_list(), strict=True))
    assert p0[0] == pytest.approx(50.0) and p0[18] == pytest.approx(50.0 * 0.2)
    assert path["date"][18] == dt.date(2027, 7, 1)


def test_lift_probability_of_two_jobs() -> None:
    # either job alone lifts: P = 1 − (1 − a)(1 − b); both needed: P = a·b
    alive = np.array([[0.5, 0.9], [0.5, 0.6]])
    either = _lift_probability(np.array([10.0, 10.0]), alive, 5.0)
    both = _lift_probability(np.array([10.0, 10.0]), alive, 15.0)
    assert either.tolist() == pytest.approx([0.75, 1 - 0.1 * 0.4])
    assert both.tolist() == pytest.approx([0.25, 0.54])


def test_calendar_helpers() -> None:
    assert months_between(dt.date(2026, 1, 1), dt.date(2026, 1, 31)) == 0
    assert months_between(dt.date(2026, 1, 1), dt.date(2028, 1, 1)) == 24
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)


def test_monte_carlo_interval_contains_the_central_estimate(small_plan) -> None:
    s = small_plan.summary
    interval = s["households_lifted_interval"]
    assert interval["runs"] == 100
    assert interval["low"] <= s["households_lifted"] <= interval["high"]
    assert interval["low"] < interval["high"]
    assert small_plan.monte_carlo.height == 100
