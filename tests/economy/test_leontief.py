"""Leontief algebra against the textbook: Miller & Blair (2009), *Input-Output Analysis:
Foundations and Extensions*, 2nd ed., Cambridge University Press.

§2.3 "An illustration of input-output calculations" (Table 2.3): two sectors with
Z = [[150, 500], [200, 100]], final demand f = (350, 1700), x = (1000, 2000), payments to
households (labour) 300 and 500. Published: A = [[.15, .25], [.2, .05]] and
L = [[1.2541, 0.3300], [0.2640, 1.1221]] (the pymrio test-suite carries the same numbers, to 8
digits, "from chapter 2 of Miller & Blair 2009": L = [[1.25412541, 0.330033],
[0.2640264, 1.12211221]], labour coefficients (0.3, 0.25)).

Hand check of L: I − A = [[0.85, −0.25], [−0.2, 0.95]], det = 0.85·0.95 − 0.25·0.2 = 0.7575, so
L = [[0.95, 0.25], [0.2, 0.85]] / 0.7575 = [[1.254125, 0.330033], [0.264026, 1.122112]]. Output
multipliers are its column sums: 1.518152 and 1.452145 (1.5181/1.4521 when the rounded entries are
added, 1.5182/1.4521 when the sum is rounded).

§2.5 "Open models and closed models" (closing the model with respect to households) extends the
example with the household row h = (0.3, 0.25), household column c = (0.05, 0.40) and household
own-purchase 0.05, giving L̄ = [[1.3651, 0.4253, 0.2509], [0.5273, 1.3481, 0.5954],
[0.5698, 0.4890, 1.2885]]. The income multipliers (ch. 6) follow from it, recomputed here: simple
0.4422 and 0.3795 (h·L), Type I 1.4741 and 1.5182 (÷ h), Type II 1.8995 and 1.9562 (l̄₃ⱼ ÷ hⱼ),
Type II / Type I = l̄₃₃ = 1.2885 for both sectors.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tuntas.economy.leontief import (
    allocation_coefficients,
    backward_linkages,
    closed_coefficients,
    closed_leontief_inverse,
    forward_linkages,
    ghosh_inverse,
    inverse_of_identity_minus,
    leontief_from_coefficients,
    leontief_inverse,
    output_multipliers,
    power_of_dispersion,
    simple_multipliers,
    technical_coefficients,
    type_i_multipliers,
    type_ii_income_multipliers,
    type_ii_multipliers,
)

Z = np.array([[150.0, 500.0], [200.0, 100.0]])
X = np.array([1000.0, 2000.0])
F = np.array([350.0, 1700.0])
H = np.array([0.3, 0.25])
C = np.array([0.05, 0.40])
LBAR_PUBLISHED = np.array(
    [[1.3651, 0.4253, 0.2509], [0.5273, 1.3481, 0.5954], [0.5698, 0.4890, 1.2885]]
)


def test_miller_blair_technical_coefficients() -> None:
    np.testing.assert_allclose(technical_coefficients(Z, X), [[0.15, 0.25], [0.2, 0.05]])


def test_miller_blair_leontief_inverse() -> None:
    L = leontief_inverse(Z, X)
    np.testing.assert_allclose(L, [[1.2541, 0.3300], [0.2640, 1.1221]], atol=5e-5)
    np.testing.assert_allclose(L, np.array([[0.95, 0.25], [0.2, 0.85]]) / 0.7575, rtol=1e-12)
    # x = L f reproduces the table's output
    np.testing.assert_allclose(L @ F, X)


def test_miller_blair_output_multipliers() -> None:
    m = output_multipliers(Z, X)
    np.testing.assert_allclose(m, [1.5181518, 1.4521452], atol=1e-7)
    assert m == pytest.approx([1.5181, 1.4521], abs=1e-4)


def test_miller_blair_closed_model_and_income_multipliers() -> None:
    A = technical_coefficients(Z, X)
    closed = closed_coefficients(A, H, C, household_own=0.05)
    np.testing.assert_allclose(closed, [[0.15, 0.25, 0.05], [0.2, 0.05, 0.4], [0.3, 0.25, 0.05]])
    Lbar = closed_leontief_inverse(A, H, C, household_own=0.05)
    np.testing.assert_allclose(Lbar, LBAR_PUBLISHED, atol=5e-5)
    L = leontief_from_coefficients(A)
    np.testing.assert_allclose(simple_multipliers(L, H), [0.4422, 0.3795], atol=5e-5)
    type_i = type_i_multipliers(L, H)
    np.testing.assert_allclose(type_i, [1.4741, 1.5182], atol=5e-5)
    type_ii = type_ii_income_multipliers(Lbar, H)
    np.testing.assert_allclose(type_ii, [1.8995, 1.9562], atol=5e-5)
    # Type II / Type I is the same for every sector: l̄ of households on households
    np.testing.assert_allclose(type_ii / type_i, Lbar[2, 2], rtol=1e-12)
    # Type II output multipliers: column sums of the producing block
    np.testing.assert_allclose(Lbar[:2, :2].sum(axis=0), [1.8924091, 1.7733362], atol=1e-6)


def test_type_ii_equals_miyazawa_partitioned_inverse() -> None:
    # Miyazawa (1976): L̄ₙₙ = L + L·c·(1 − h·L·c)⁻¹·h·L when households buy no household output.
    A = technical_coefficients(Z, X)
    L = leontief_from_coefficients(A)
    Lbar = closed_leontief_inverse(A, H, C)
    keynes = 1.0 / (1.0 - H @ L @ C)
    np.testing.assert_allclose(Lbar[:2, :2], L + keynes * np.outer(L @ C, H @ L), rtol=1e-12)
    np.testing.assert_allclose(Lbar[2, 2], keynes, rtol=1e-12)
    np.testing.assert_allclose(type_ii_multipliers(Lbar, H), type_ii_income_multipliers(Lbar, H))


def test_ghosh_inverse_and_linkages() -> None:
    # B = diag(x)⁻¹Z = [[0.15, 0.5], [0.1, 0.05]]; G = diag(x)⁻¹·L·diag(x)
    np.testing.assert_allclose(allocation_coefficients(Z, X), [[0.15, 0.5], [0.1, 0.05]])
    L = leontief_inverse(Z, X)
    np.testing.assert_allclose(ghosh_inverse(Z, X), np.diag(1 / X) @ L @ np.diag(X), rtol=1e-12)
    # backward: column sums of L (1.5182, 1.4521), total 2.9703 → ×2/2.9703
    np.testing.assert_allclose(backward_linkages(Z, X), [1.022222, 0.977778], atol=1e-6)
    # forward (Ghosh): row sums of G (1.9142, 1.2541), total 3.1683 → ×2/3.1683
    np.testing.assert_allclose(forward_linkages(Z, X), [1.208333, 0.791667], atol=1e-6)
    # forward (Leontief): row sums of L (1.5842, 1.3861)
    np.testing.assert_allclose(
        forward_linkages(Z, X, method="leontief"), [1.066667, 0.933333], atol=1e-6
    )
    with pytest.raises(ValueError, match="ghosh"):
        forward_linkages(Z, X, method="other")


def test_zero_output_sector_gets_zero_coefficients() -> None:
    Zz = np.array([[10.0, 0.0], [5.0, 0.0]])
    A = technical_coefficients(Zz, [100.0, 0.0])
    np.testing.assert_allclose(A, [[0.1, 0.0], [0.05, 0.0]])
    np.testing.assert_allclose(leontief_inverse(Zz, [100.0, 0.0])[:, 1], [0.0, 1.0])


@pytest.mark.parametrize(
    ("Zbad", "xbad", "message"),
    [
        ([[1, 2, 3]], [1], "square"),
        ([[1, 2], [3, 4]], [1, 2, 3], "3 values but the table has 2"),
        ([[1, 2], [3, 4]], [10, -1], "negative"),
        ([[1, 2], [3, np.nan]], [10, 10], "missing"),
        ([[0, 5], [0, 5]], [10, 0], "zero output but non-zero"),
        ([[8, 0], [0, 1]], [5, 10], "not productive"),
    ],
)
def test_bad_input_is_named(Zbad: list[list[float]], xbad: list[float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        leontief_inverse(Zbad, xbad)


def test_singular_system() -> None:
    with pytest.raises(ValueError, match="singular"):
        inverse_of_identity_minus([[1.0]])


def test_power_of_dispersion_averages_to_one() -> None:
    L = leontief_inverse(Z, X)
    assert power_of_dispersion(L).mean() == pytest.approx(1.0)


@settings(max_examples=50, deadline=None)
@given(
    arrays(np.float64, (4, 4), elements=st.floats(0, 10)),
    arrays(np.float64, 4, elements=st.floats(1, 50)),
)
def test_leontief_identities_on_random_productive_tables(
    raw: np.ndarray, final: np.ndarray
) -> None:
    # Build a productive table: output = intermediate sales + positive final demand,
    # with column sums of A below 1 by construction (value added > 0).
    Zr = raw
    x = Zr.sum(axis=1) + final
    value_added = x - Zr.sum(axis=0)
    assume((value_added > 0).all())
    L = leontief_inverse(Zr, x)
    A = technical_coefficients(Zr, x)
    np.testing.assert_allclose(L @ (np.eye(4) - A), np.eye(4), atol=1e-9)
    np.testing.assert_allclose(L @ final, x, rtol=1e-9)
    assert (L >= -1e-12).all()
    assert (np.diag(L) >= 1 - 1e-12).all()
    assert (output_multipliers(Zr, x) >= 1 - 1e-12).all()
