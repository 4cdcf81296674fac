"""Multiplier tables, linkages and multiplier effects (Miller & Blair 2009, ch. 2, 6 and 12)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from tuntas.economy import (
    household_closure,
    leontief_inverse,
    linkage_table,
    multiplier_effect,
    multiplier_table,
    read_bps_2020_17,
    read_bungo_2010,
    table_from_arrays,
)
from tuntas.economy.iotable import IOTable
from tuntas.economy.multipliers import closed_inverse


@pytest.fixture
def textbook() -> IOTable:
    # Miller & Blair (2009) §2.3 with households: labour income 300 and 500, household
    # consumption 50 and 400 out of household income 1000 (c = 0.05, 0.40), workers 100 and 50.
    return table_from_arrays(
        [[150, 500], [200, 100]],
        [1000, 2000],
        labour_income=[300, 500],
        household_consumption=[50, 400],
        employment=[100, 50],
        name="Miller & Blair 2009 §2.3",
    )


def test_multiplier_table_on_textbook(textbook: IOTable) -> None:
    m = multiplier_table(textbook, household_income=1000)
    np.testing.assert_allclose(m["output_multiplier"], [1.518152, 1.452145], atol=1e-6)
    np.testing.assert_allclose(m["income_coefficient"], [0.3, 0.25])
    np.testing.assert_allclose(m["income_multiplier"], [0.442244, 0.379538], atol=1e-6)
    np.testing.assert_allclose(m["income_type_i"], [1.474147, 1.518152], atol=1e-6)
    # e = (0.1, 0.025) workers per unit; simple = e·L = (0.1·1.254125 + 0.025·0.264026, ...)
    np.testing.assert_allclose(m["employment_coefficient"], [0.1, 0.025])
    np.testing.assert_allclose(
        m["employment_multiplier"],
        [0.1 * 1.254125 + 0.025 * 0.264026, 0.1 * 0.330033 + 0.025 * 1.122112],
        atol=1e-6,
    )
    np.testing.assert_allclose(
        m["employment_type_i"], m["employment_multiplier"].to_numpy() / np.array([0.1, 0.025])
    )
    # Type II with our closure (no household-to-household purchases): ratio constant = l̄ₕₕ
    Lbar, _ = closed_inverse(textbook, household_income=1000)
    ratio = m["income_type_ii"] / m["income_type_i"]
    np.testing.assert_allclose(ratio, Lbar[2, 2], rtol=1e-12)
    assert (m["output_multiplier_type_ii"] > m["output_multiplier"]).all()
    assert (m["employment_type_ii"] > m["employment_type_i"]).all()


def test_closure_defaults_to_total_labour_income(textbook: IOTable) -> None:
    closure = household_closure(textbook)
    assert closure.household_income == 800
    np.testing.assert_allclose(closure.household_consumption, [50 / 800, 400 / 800])
    assert "total labour income" in closure.notes[0]
    given = household_closure(textbook, household_income=1000)
    np.testing.assert_allclose(given.household_consumption, [0.05, 0.4])
    with pytest.raises(ValueError, match="positive"):
        household_closure(textbook, household_income=0)


def test_closure_needs_labour_income_and_household_column() -> None:
    bungo = read_bungo_2010()
    with pytest.raises(ValueError, match="no labour-income row"):
        household_closure(bungo)
    no_households = table_from_arrays([[1, 2], [3, 4]], [10, 10], labour_income=[1, 1])
    with pytest.raises(ValueError, match="no household-consumption column"):
        household_closure(no_households)


def test_bps_type_ii_closure_is_stated_and_consistent() -> None:
    table = read_bps_2020_17()
    closure = household_closure(table)
    # households spend 8,290,490,427 on domestic products; compensation is 5,810,802,524
    assert closure.household_consumption.sum() == pytest.approx(8_290_490_427 / 5_810_802_524)
    assert any("overstated" in note for note in closure.notes)
    m = multiplier_table(table)
    Lbar, _ = closed_inverse(table)
    np.testing.assert_allclose(m["income_type_ii"] / m["income_type_i"], Lbar[17, 17], rtol=1e-10)
    # Miyazawa: L̄ₙₙ = L + L c h L / (1 − h L c)
    L = leontief_inverse(table.Z, table.x)
    h, c = closure.household_input, closure.household_consumption
    np.testing.assert_allclose(
        Lbar[:17, :17], L + np.outer(L @ c, h @ L) / (1 - h @ L @ c), rtol=1e-10
    )
    # a closure on a larger household income shrinks the induced effects
    wider = multiplier_table(table, household_income=table.primary_inputs[2:].sum())
    assert (wider["output_multiplier_type_ii"] < m["output_multiplier_type_ii"]).all()
    assert (wider["output_multiplier_type_ii"] > m["output_multiplier"]).all()


def test_bps_income_multipliers_are_plausible() -> None:
    # Published Jawa Tengah 2013 simple income multipliers (9 sectors) run 0.164–0.598
    # (reference/data/io/jateng_2013_literature); the national 17-sector values should be of
    # the same order (a different table and year, so only a plausibility band).
    m = multiplier_table(read_bps_2020_17())
    assert m["income_multiplier"].min() > 0.1
    assert m["income_multiplier"].max() < 0.7
    assert m["employment_multiplier"].null_count() == 17


def test_linkage_classes_on_bps() -> None:
    links = linkage_table(read_bps_2020_17(language="en"))
    assert links["backward_linkage"].mean() == pytest.approx(1.0)
    assert links["forward_linkage"].mean() == pytest.approx(1.0)
    electricity = links.filter(pl.col("sector") == "Electricity and gas supply")
    assert electricity["class"][0] == "key"
    leontief = linkage_table(read_bps_2020_17(language="en"), forward="leontief")
    assert not np.allclose(leontief["forward_linkage"], links["forward_linkage"])


def test_effect_parts_add_up(textbook: IOTable) -> None:
    shock = np.array([100.0, 40.0])
    effect = multiplier_effect(textbook, shock, household_income=1000)
    rows = effect.by_sector
    L = leontief_inverse(textbook.Z, textbook.x)
    Lbar, _ = closed_inverse(textbook, household_income=1000)
    np.testing.assert_allclose(rows["output_direct"], shock)
    np.testing.assert_allclose(rows["output_direct"] + rows["output_indirect"], L @ shock)
    np.testing.assert_allclose(rows["output_total"], Lbar[:2, :2] @ shock, rtol=1e-12)
    np.testing.assert_allclose(rows["income_total"], [0.3, 0.25] * (Lbar[:2, :2] @ shock))
    # total household income equals the household row of L̄ times the shock
    income = effect.totals.filter(pl.col("measure") == "income")["total"][0]
    assert income == pytest.approx(Lbar[2, :2] @ shock)
    jobs = effect.totals.filter(pl.col("measure") == "jobs")
    assert jobs["direct"][0] == pytest.approx(0.1 * 100 + 0.025 * 40)
    assert effect.closed and any("Type II closure" in note for note in effect.notes)
    assert effect.notes[0].startswith("Table: Miller & Blair 2009")


def test_effect_of_new_jobs(textbook: IOTable) -> None:
    # 10 new workers in sector 2 (e = 0.025 per unit) = 400 of new final demand
    effect = multiplier_effect(textbook, {"sector 2": 10}, kind="jobs", closed=False)
    rows = effect.by_sector
    np.testing.assert_allclose(rows["final_demand"], [0.0, 400.0])
    assert rows["jobs_direct"].to_list() == pytest.approx([0.0, 10.0])
    assert rows["output_induced"].to_list() == [0.0, 0.0]
    total_jobs = effect.totals.filter(pl.col("measure") == "jobs")["total"][0]
    # jobs per unit of final demand in sector 2 (employment multiplier) × 400
    assert total_jobs == pytest.approx((0.1 * 0.330033 + 0.025 * 1.122112) * 400, rel=1e-6)
    assert any("labour productivity" in note for note in effect.notes)


def test_effect_errors(textbook: IOTable) -> None:
    with pytest.raises(ValueError, match="unknown sector"):
        multiplier_effect(textbook, {"Gerabah": 5})
    with pytest.raises(ValueError, match="kind"):
        multiplier_effect(textbook, [1, 1], kind="jobz")
    bps = read_bps_2020_17()
    with pytest.raises(ValueError, match="no employment"):
        multiplier_effect(bps, np.ones(17), kind="jobs")
    with pytest.raises(ValueError, match="no labour-income row"):
        multiplier_effect(read_bungo_2010(), np.ones(46))


def test_effect_on_bungo_open_model() -> None:
    bungo = read_bungo_2010()
    shock = np.zeros(46)
    shock[bungo.sectors.index("Rubber")] = 1000.0
    effect = multiplier_effect(bungo, shock, closed=False)
    totals = effect.totals
    assert totals.filter(pl.col("measure") == "income")["total"][0] is None
    jobs = totals.filter(pl.col("measure") == "jobs")["total"][0]
    assert jobs is not None and jobs > 0
    assert any("not balanced" in note for note in effect.notes)
