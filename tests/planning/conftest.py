"""Shared fixtures of the planning tests: a small synthetic Klaten and a plan made on it."""

from __future__ import annotations

import pytest

from tuntas.planning import Plan, make_plan
from tuntas.synth import SynthResult, synthesize

SMALL = 0.02
"""Scale of the quick fixtures: ≈4,000 registry families, ≈1,000 enterprises, 401 desa."""

DATE = "2026-01-01"
BUDGETS = {"kur_subsidy": 100_000_000.0, "training": 20_000_000.0}
"""Example budgets scaled with the data (the issue's Rp 5 miliar and Rp 1 miliar × 0.02)."""


@pytest.fixture(scope="session")
def small() -> SynthResult:
    return synthesize("33.10", seed=1, scale=SMALL)


@pytest.fixture(scope="session")
def small_plan(small: SynthResult) -> Plan:
    return make_plan(
        small.tables,
        region="33.10",
        truth=small.truth,
        date=DATE,
        budgets=BUDGETS,
        runs=100,
        seed=7,
    )
