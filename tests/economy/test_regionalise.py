"""Flegg's location quotient (Flegg, Webber & Elliott 1995; Flegg & Webber 1997): hand-worked."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tuntas.economy import (
    balance_check,
    flq,
    output_multipliers,
    read_bps_2020_17,
    regional_coefficients,
    regionalise,
    table_from_arrays,
    technical_coefficients,
)
from tuntas.economy.regionalise import (
    cross_industry_quotients,
    flq_lambda,
    simple_location_quotients,
)

# Three sectors. Nation: 200, 500, 300 workers (TNE = 1000); region: 30, 20, 50 (TRE = 100).
NATIONAL = np.array([200.0, 500.0, 300.0])
REGIONAL = np.array([30.0, 20.0, 50.0])
# SLQ = (30/100)/(200/1000) = 1.5; (20/100)/(500/1000) = 0.4; (50/100)/(300/1000) = 5/3
SLQ = np.array([1.5, 0.4, 5 / 3])
# CILQ_ij = SLQ_i/SLQ_j, SLQ_i on the diagonal:
CILQ = np.array(
    [
        [1.5, 1.5 / 0.4, 1.5 / (5 / 3)],  # 1.5, 3.75, 0.9
        [0.4 / 1.5, 0.4, 0.4 / (5 / 3)],  # 0.26667, 0.4, 0.24
        [(5 / 3) / 1.5, (5 / 3) / 0.4, 5 / 3],  # 1.11111, 4.16667, 1.66667
    ]
)
# λ* = [log2(1 + 100/1000)]^0.3 = 0.1375035^0.3 = 0.5514348
LAMBDA = 0.5514348
# FLQ = CILQ × λ* = [[0.82715, 2.06788, 0.49629], [0.14705, 0.22057, 0.13234],
#                    [0.61271, 2.29764, 0.91906]]; capped at 1 in column 2 of rows 1 and 3.
FLQ_CAPPED = np.array(
    [[0.82715, 1.0, 0.49629], [0.14705, 0.22057, 0.13234], [0.61271, 1.0, 0.91906]]
)


def test_hand_worked_three_sectors() -> None:
    np.testing.assert_allclose(simple_location_quotients(REGIONAL, NATIONAL), SLQ)
    np.testing.assert_allclose(cross_industry_quotients(REGIONAL, NATIONAL), CILQ)
    assert flq_lambda(100, 1000, delta=0.3) == pytest.approx(LAMBDA, abs=1e-7)
    np.testing.assert_allclose(flq(REGIONAL, NATIONAL, delta=0.3, cap=False), CILQ * LAMBDA)
    np.testing.assert_allclose(flq(REGIONAL, NATIONAL, delta=0.3), FLQ_CAPPED, atol=5e-6)
    A = np.array([[0.10, 0.20, 0.05], [0.30, 0.10, 0.20], [0.05, 0.15, 0.25]])
    # a_21^r = 0.30 × 0.14705 = 0.044115; a_12^r = 0.20 × 1 = 0.20
    regional = regional_coefficients(A, REGIONAL, NATIONAL, delta=0.3)
    assert regional[1, 0] == pytest.approx(0.30 * 0.147049, abs=1e-6)
    assert regional[0, 1] == pytest.approx(0.20)


def test_delta_zero_is_cilq_capped() -> None:
    assert flq_lambda(100, 1000, delta=0) == 1.0
    np.testing.assert_allclose(flq(REGIONAL, NATIONAL, delta=0), np.minimum(CILQ, 1))


def test_larger_delta_means_smaller_coefficients() -> None:
    low = flq(REGIONAL, NATIONAL, delta=0.1)
    high = flq(REGIONAL, NATIONAL, delta=0.5)
    assert (high <= low + 1e-15).all()


@settings(max_examples=60, deadline=None)
@given(
    arrays(np.float64, 5, elements=st.floats(1, 1e6)),
    arrays(np.float64, 5, elements=st.floats(0, 1)),
    st.floats(0, 0.9),
)
def test_regional_coefficients_never_exceed_national(
    national: np.ndarray, fraction: np.ndarray, delta: float
) -> None:
    regional = national * fraction
    assume(regional.sum() > 0)
    A = np.full((5, 5), 0.1)
    adjusted = regional_coefficients(A, regional, national, delta=delta)
    assert (adjusted <= A + 1e-15).all()
    assert (adjusted >= 0).all()
    assert (flq(regional, national, delta=delta) <= 1).all()


def test_bad_employment_is_named() -> None:
    with pytest.raises(ValueError, match="zero"):
        flq([1, 2], [0, 5])
    with pytest.raises(ValueError, match="exceeds"):
        flq([10, 2], [5, 5])
    with pytest.raises(ValueError, match="delta"):
        flq([1, 2], [5, 5], delta=1.5)
    with pytest.raises(ValueError, match="negative"):
        flq([-1, 2], [5, 5])


def test_regionalise_balances_and_documents() -> None:
    nation = table_from_arrays(
        [[150, 500], [200, 100]],
        [1000, 2000],
        labour_income=[300, 500],
        household_consumption=[50, 400],
        employment=[100, 300],
        name="nation",
    )
    local = regionalise(nation, [30, 10], region="Kab. Contoh", employment_source="test")
    assert balance_check(local, tolerance=1e-12).balanced
    np.testing.assert_allclose(local.x, [300.0, 2000 * 10 / 300])
    A = technical_coefficients(nation.Z, nation.x)
    Ar = technical_coefficients(local.Z, local.x)
    np.testing.assert_allclose(Ar, A * flq([30, 10], [100, 300]))
    assert (Ar <= A + 1e-15).all()
    # labour income keeps the national coefficient per unit of output
    assert local.labour_income is not None
    np.testing.assert_allclose(local.labour_income / local.x, [0.3, 0.25])
    assert local.import_rows[-1] == "Impor antarwilayah (FLQ)"
    assert any("δ = 0.3" in note for note in local.notes)
    assert any("output per worker" in note for note in local.notes)
    assert local.employment is not None and local.employment.tolist() == [30.0, 10.0]
    with pytest.raises(ValueError, match="no employment"):
        regionalise(table_from_arrays([[1, 2], [3, 4]], [10, 10]), [1, 1])


def test_regionalise_bps_table_to_a_small_region() -> None:
    # National workers by the 17 industries: a round synthetic vector (≈128 million), only to
    # exercise the method; the region is 0.5 % of it, over-represented in agriculture,
    # manufacturing and trade.
    national = (
        np.array([38, 1.3, 17.5, 0.3, 0.5, 8, 25, 5.5, 8.5, 1, 1.5, 0.4, 2, 4.5, 6.5, 2, 5.5]) * 1e6
    )
    regional = national * 0.005
    regional[[0, 2, 6]] *= [1.4, 1.6, 1.2]
    table = read_bps_2020_17()
    local = regionalise(
        table, regional, national_employment=national, region="Kabupaten Contoh", delta=0.3
    )
    assert balance_check(local, tolerance=1e-9).balanced
    A = technical_coefficients(table.Z, table.x)
    Ar = technical_coefficients(local.Z, local.x)
    assert (Ar <= A + 1e-15).all()
    assert (output_multipliers(local.Z, local.x) < output_multipliers(table.Z, table.x)).all()
    assert "Sumber: Badan Pusat Statistik" in " ".join(local.notes)
