"""The numerical tools behind the calibration, on hand-worked examples."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuntas.synth.calibrate import (
    fgt,
    integerize,
    ipf,
    largest_remainder,
    solve_transform,
    weighted_quantile,
)


def test_largest_remainder_hand_example() -> None:
    # 10 seats for 45/35/20 votes: quotas 4.5/3.5/2.0 → 4+3+2 = 9, the spare seat to the first .5
    assert largest_remainder([45, 35, 20], 10).tolist() == [5, 3, 2]


@given(st.lists(st.floats(0.01, 1000), min_size=1, max_size=30), st.integers(0, 10_000))
def test_largest_remainder_sums_exactly(weights: list[float], total: int) -> None:
    parts = largest_remainder(weights, total)
    assert int(parts.sum()) == total and (parts >= 0).all()


def test_ipf_and_integerize_keep_both_margins() -> None:
    rng = np.random.default_rng(3)
    seed = rng.random((26, 4)) + 0.1
    rows = rng.integers(3000, 13000, 26)
    cols = largest_remainder([0.23, 0.30, 0.24, 0.23], int(rows.sum()))
    real = ipf(seed, rows=rows.astype(float), cols=cols.astype(float))
    assert np.allclose(real.sum(axis=1), rows) and np.allclose(real.sum(axis=0), cols)
    whole = integerize(real, rows.tolist(), cols.tolist())
    assert (whole.sum(axis=1) == rows).all() and (whole.sum(axis=0) == cols).all()
    assert np.abs(whole - real).max() < 2


def test_fgt_hand_example() -> None:
    # line 100; incomes 50, 80, 120, 200 with person weights 1, 2, 1, 1 (total 5)
    y, w = np.array([50.0, 80.0, 120.0, 200.0]), np.array([1.0, 2.0, 1.0, 1.0])
    assert fgt(y, w, 100.0, 0) == pytest.approx(3 / 5)
    assert fgt(y, w, 100.0, 1) == pytest.approx((0.5 + 2 * 0.2) / 5)
    assert fgt(y, w, 100.0, 2) == pytest.approx((0.25 + 2 * 0.04) / 5)


def test_solve_transform_hits_p0_and_p1() -> None:
    rng = np.random.default_rng(7)
    z = rng.normal(size=20_000)
    w = rng.integers(1, 8, z.size).astype(float)
    t = solve_transform(z, w, line=505826.0, p0=0.1204, p1=0.0146, knot=0.5, upper_ratio=2.0)
    c = t.consumption(z)
    assert fgt(c, w, 505826.0, 0) == pytest.approx(0.1204, abs=5e-4)
    assert fgt(c, w, 505826.0, 1) == pytest.approx(0.0146, abs=2e-5)
    # the transform is monotone
    grid = np.linspace(-4, 4, 100)
    assert (np.diff(t.log_consumption(grid)) > 0).all()


def test_weighted_quantile() -> None:
    assert weighted_quantile([1, 2, 3, 4], [1, 1, 1, 1], 0.5) == pytest.approx(2.5)
