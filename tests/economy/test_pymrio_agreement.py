"""Same results as pymrio (test-only dependency) on BPS's 17-sector table 2020 and on Bungo 2010.

pymrio (github.com/IndEcol/pymrio, ``pymrio.tools.iomath``): ``calc_A(Z, x)``, ``calc_L(A)``,
``calc_B(Z, x)``, ``calc_G(B)`` (Ghosh), ``calc_S(F, x)`` (extension coefficients) and
``calc_M(S, L)`` (multipliers S·L). Checked with pymrio 0.7.0, pandas 3.1, NumPy 2.4.
Sumber: Badan Pusat Statistik (BPS), Tabel Input-Output Indonesia 2020.
"""

from __future__ import annotations

import numpy as np
import pytest

from tuntas.economy import (
    ghosh_inverse,
    leontief_inverse,
    multiplier_table,
    output_multipliers,
    read_bps_2020_17,
    read_bungo_2010,
    technical_coefficients,
)
from tuntas.economy.iotable import IOTable

iomath = pytest.importorskip("pymrio.tools.iomath")


@pytest.fixture(scope="module", params=["bps_2020_17", "bungo_2010"])
def table(request: pytest.FixtureRequest) -> IOTable:
    if request.param == "bps_2020_17":
        return read_bps_2020_17()
    return read_bungo_2010(labour_income_proxy=True)


def test_technical_coefficients_agree(table: IOTable) -> None:
    np.testing.assert_allclose(
        technical_coefficients(table.Z, table.x),
        iomath.calc_A(table.Z, table.x),
        rtol=1e-12,
        atol=0,
    )


def test_leontief_inverse_agrees(table: IOTable) -> None:
    theirs = iomath.calc_L(iomath.calc_A(table.Z, table.x))
    np.testing.assert_allclose(leontief_inverse(table.Z, table.x), theirs, rtol=1e-10, atol=1e-12)


def test_output_multipliers_agree(table: IOTable) -> None:
    theirs = iomath.calc_L(iomath.calc_A(table.Z, table.x)).sum(axis=0)
    np.testing.assert_allclose(output_multipliers(table.Z, table.x), theirs, rtol=1e-10)


def test_ghosh_inverse_agrees(table: IOTable) -> None:
    theirs = iomath.calc_G(iomath.calc_B(table.Z, table.x))
    np.testing.assert_allclose(ghosh_inverse(table.Z, table.x), theirs, rtol=1e-10, atol=1e-12)


def test_income_and_employment_multipliers_agree(table: IOTable) -> None:
    # pymrio's extension multipliers M = S·L with S = F·diag(x)⁻¹ are our simple multipliers.
    L = iomath.calc_L(iomath.calc_A(table.Z, table.x))
    ours = multiplier_table(table)
    assert table.labour_income is not None
    income = iomath.calc_M(iomath.calc_S(table.labour_income[np.newaxis, :], table.x), L)[0]
    np.testing.assert_allclose(ours["income_multiplier"].to_numpy(), income, rtol=1e-10)
    if table.employment is not None:
        jobs = iomath.calc_M(iomath.calc_S(table.employment[np.newaxis, :], table.x), L)[0]
        np.testing.assert_allclose(ours["employment_multiplier"].to_numpy(), jobs, rtol=1e-10)
