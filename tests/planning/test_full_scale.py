"""The full Klaten plan (≈200,000 families, ≈50,000 enterprises): consistent and monotone (slow)."""

from __future__ import annotations

import pytest

from tuntas.planning import check_plan, make_plan
from tuntas.synth import synthesize

pytestmark = pytest.mark.slow

BUDGETS = {"kur_subsidy": 5_000_000_000.0, "training": 1_000_000_000.0}


def test_full_klaten_plan() -> None:
    data = synthesize("33.10", seed=1)
    plan = make_plan(
        data.tables, region="33.10", truth=data.truth, date="2026-01-01", budgets=BUDGETS, runs=200
    )
    assert check_plan(plan) == []
    s = plan.summary
    assert s["households_lifted"] > 100
    assert s["solver_gap"] < 0.01
    assert (
        s["households_lifted_interval"]["low"]
        <= s["households_lifted"]
        <= s["households_lifted_interval"]["high"]
    )
    doubled = make_plan(
        data.tables,
        region="33.10",
        truth=data.truth,
        date="2026-01-01",
        budgets={**BUDGETS, "kur_subsidy": 2 * BUDGETS["kur_subsidy"]},
        runs=0,
    )
    assert check_plan(doubled) == []
    assert doubled.summary["households_lifted"] >= s["households_lifted"]
