"""Gini and Watts: hand examples, the brute-force definition and input checks."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from tuntas.poverty import gini, watts


def test_gini_of_one_to_five() -> None:
    # Population definition G = ΣᵢΣⱼ|yᵢ − yⱼ| / (2n²μ):
    # unordered pairs differ by 1 (4 pairs), 2 (3), 3 (2), 4 (1): Σ = 4 + 6 + 6 + 4 = 20,
    # ordered Σ = 40; 2n²μ = 2·25·3 = 150; G = 40/150 = 0.2667 (the n(n−1) variant gives 0.3333).
    assert gini([1, 2, 3, 4, 5]) == pytest.approx(4 / 15)


def test_gini_extremes() -> None:
    assert gini([7.0, 7.0, 7.0]) == pytest.approx(0.0)
    # One of n = 4 has everything: G = (n − 1)/n = 0.75
    assert gini([0, 0, 0, 10]) == pytest.approx(0.75)


def test_gini_weights_are_replications_and_scale_free() -> None:
    assert gini([1, 2, 5], weights=[3, 1, 2]) == pytest.approx(gini([1, 1, 1, 2, 5, 5]))
    values = np.array([3.0, 8.0, 1.0, 4.0])
    assert gini(values * 1000) == pytest.approx(gini(values))
    assert gini(values, weights=[2.0] * 4) == pytest.approx(gini(values))


def test_gini_matches_brute_force_definition() -> None:
    rng = np.random.default_rng(4)
    y = rng.lognormal(12, 0.6, 300)
    w = rng.uniform(0.5, 4.0, 300)
    brute = (w[:, None] * w[None, :] * np.abs(y[:, None] - y[None, :])).sum() / (
        2 * w.sum() ** 2 * (np.dot(w, y) / w.sum())
    )
    assert gini(y, weights=w) == pytest.approx(brute, rel=1e-12)
    assert gini(pl.Series(y), weights=pl.Series(w)) == pytest.approx(brute, rel=1e-12)


def test_gini_errors() -> None:
    with pytest.raises(ValueError, match="values has 1 negative"):
        gini([1.0, -1.0])
    with pytest.raises(ValueError, match="undefined"):
        gini([0.0, 0.0])
    with pytest.raises(ValueError, match="weights has 1 values"):
        gini([1.0, 2.0], weights=[1.0])


def test_watts_by_hand() -> None:
    # y = 25, 50, 100, 400 and z = 100: poor are 25 and 50 (100 is on the line, not poor).
    # W = [ln(100/25) + ln(100/50)]/4 = (1.386294 + 0.693147)/4 = 0.519860
    assert watts([25, 50, 100, 400], 100) == pytest.approx((np.log(4) + np.log(2)) / 4)
    # weights 1, 3, 1, 5: W = (ln 4 + 3 ln 2)/10 = 5 ln 2 / 10 = 0.346574
    assert watts([25, 50, 100, 400], 100, weights=[1, 3, 1, 5]) == pytest.approx(np.log(2) / 2)
    assert watts([150, 200], 100) == 0.0


def test_watts_regional_lines_and_errors() -> None:
    # z = 200 for the first, 50 for the second: W = ln(2)/2
    assert watts([100, 100], [200.0, 50.0]) == pytest.approx(np.log(2) / 2)
    with pytest.raises(ValueError, match="positive consumption"):
        watts([0.0, 200.0], 100)
    with pytest.raises(ValueError, match="line must be positive"):
        watts([10.0], -5.0)
