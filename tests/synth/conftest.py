"""Shared small-scale synthetic regencies (generated once per test session and worker)."""

from __future__ import annotations

import pytest

from tuntas.synth import SynthResult, synthesize

SMALL = 0.02
"""Scale of the quick fixtures: ≈4,000 registry families, ≈14,000 persons, 401 desa."""


@pytest.fixture(scope="session")
def klaten_small() -> SynthResult:
    return synthesize("33.10", seed=1, scale=SMALL)


@pytest.fixture(scope="session")
def klaten_small_again() -> SynthResult:
    return synthesize("33.10", seed=1, scale=SMALL)


@pytest.fixture(scope="session")
def klaten_small_seed2() -> SynthResult:
    return synthesize("33.10", seed=2, scale=SMALL)


@pytest.fixture(scope="session")
def sukoharjo_small() -> SynthResult:
    return synthesize("33.11", seed=1, scale=SMALL)
