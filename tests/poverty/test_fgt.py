"""FGT indices: hand-worked cases, a published worked example, the table form and input checks."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from tuntas.poverty import decomposition, fgt, fgt_table


def test_published_example_haughton_khandker_2009() -> None:
    # Haughton, J. & Khandker, S. R. (2009), Handbook on Poverty and Inequality, World Bank,
    # chapter 4 "Measures of Poverty": "Calculating the Poverty Gap Index, Assuming Poverty Line
    # of 125" (p. 70) and the squared poverty gap table (p. 72). Country C has expenditures
    # 100, 110, 150, 160 and z = 125. Published: gaps 25, 15, 0, 0; Gi/z = 0.20, 0.12, 0, 0;
    # P1 = 0.08 [= 0.32/4]; (Gi/z)² = 0.04, 0.0144, 0, 0; P2 = 0.0136 [= 0.0544/4].
    # The headcount is 2 of 4 below 125: P0 = 0.5.
    expenditure = [100, 110, 150, 160]
    assert fgt(expenditure, 125, alpha=0) == pytest.approx(0.5)
    assert fgt(expenditure, 125, alpha=1) == pytest.approx(0.08)
    assert fgt(expenditure, 125, alpha=2) == pytest.approx(0.0136)


def test_hand_worked_unweighted() -> None:
    # y = 20, 50, 100, 150 and z = 100: 100 is ON the line, so not poor (y < z strictly).
    # gaps (z − y)/z = 0.8, 0.5, 0, 0
    # P0 = 2/4 = 0.5;  P1 = (0.8 + 0.5)/4 = 0.325;  P2 = (0.64 + 0.25)/4 = 0.2225
    y = [20, 50, 100, 150]
    assert fgt(y, 100) == pytest.approx(0.5)
    assert fgt(y, 100, alpha=1) == pytest.approx(0.325)
    assert fgt(y, 100, alpha=2) == pytest.approx(0.2225)
    # α = 3: (0.512 + 0.125)/4 = 0.15925
    assert fgt(y, 100, alpha=3) == pytest.approx(0.15925)


def test_hand_worked_person_weights() -> None:
    # Households: consumption per capita 60, 90, 200; household weight 100, 50, 10; size 5, 2, 4.
    # Person weights w = 500, 100, 40; Σw = 640.
    # P0 = (500 + 100)/640 = 0.9375
    # P1 = (500·0.4 + 100·0.1)/640 = 210/640 = 0.328125
    # P2 = (500·0.16 + 100·0.01)/640 = 81/640 = 0.1265625
    y = np.array([60.0, 90.0, 200.0])
    person_weights = np.array([100.0, 50.0, 10.0]) * np.array([5, 2, 4])
    assert fgt(y, 100, weights=person_weights) == pytest.approx(0.9375)
    assert fgt(y, 100, alpha=1, weights=person_weights) == pytest.approx(0.328125)
    assert fgt(y, 100, alpha=2, weights=person_weights) == pytest.approx(0.1265625)


def test_line_per_observation() -> None:
    # Regional lines: urban z = 120, rural z = 80. y = 100 (urban): poor, gap 20/120;
    # y = 100 (rural): not poor; y = 40 (rural): poor, gap 40/80 = 0.5.
    # P0 = 2/3; P1 = (1/6 + 1/2)/3 = 2/9
    y = [100, 100, 40]
    lines = np.array([120.0, 80.0, 80.0])
    assert fgt(y, lines) == pytest.approx(2 / 3)
    assert fgt(y, lines, alpha=1) == pytest.approx(2 / 9)


def test_input_types_agree() -> None:
    y, w = [60.0, 90.0, 200.0], [1.0, 2.0, 3.0]
    expected = fgt(np.array(y), 100, alpha=1, weights=np.array(w))
    assert fgt(pl.Series(y), 100, alpha=1, weights=pl.Series(w)) == expected
    assert fgt(y, 100, alpha=1, weights=w) == expected
    assert fgt(pl.Series([60, 90, 200]), 100.0, alpha=1, weights=w) == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"consumption": [1.0, float("nan")], "line": 2.0}, "consumption has 1 missing"),
        ({"consumption": pl.Series([1.0, None]), "line": 2.0}, "consumption has 1 missing"),
        ({"consumption": [1.0, -2.0], "line": 2.0}, "consumption has 1 negative"),
        ({"consumption": [], "line": 2.0}, "consumption is empty"),
        ({"consumption": [1.0, 2.0], "line": 0.0}, "line must be positive"),
        ({"consumption": [1.0, 2.0], "line": [1.0, 2.0, 3.0]}, "line has 3 values"),
        ({"consumption": [1.0, 2.0], "line": 2.0, "weights": [1.0]}, "weights has 1 values"),
        (
            {"consumption": [1.0, 2.0], "line": 2.0, "weights": [1.0, -1.0]},
            "weights has 1 negative",
        ),
        ({"consumption": [1.0, 2.0], "line": 2.0, "weights": [0.0, 0.0]}, "weights sum to zero"),
        ({"consumption": [1.0, 2.0], "line": 2.0, "alpha": -1}, "alpha must be"),
        ({"consumption": [[1.0], [2.0]], "line": 2.0}, "one-dimensional"),
    ],
)
def test_invalid_inputs_are_named(kwargs: dict[str, object], message: str) -> None:
    consumption = kwargs.pop("consumption")
    line = kwargs.pop("line")
    with pytest.raises(ValueError, match=message):
        fgt(consumption, line, **kwargs)


def _households() -> pl.DataFrame:
    # consumption per capita, size, household weight, region, sex of head
    return pl.DataFrame(
        {
            "consumption_pc": [60.0, 90.0, 200.0, 80.0, 150.0, 95.0],
            "size": [5, 2, 4, 3, 1, 6],
            "weight": [100.0, 50.0, 10.0, 20.0, 40.0, 30.0],
            "kecamatan": ["A", "A", "A", "B", "B", "B"],
            "head_sex": ["F", "M", "M", "F", "M", "M"],
        }
    )


def test_table_matches_fgt_and_reports_times_100() -> None:
    frame = _households()
    table = fgt_table(frame, line=100.0, by="kecamatan", se="none")
    assert table["kecamatan"].to_list() == [None, "A", "B"]
    assert table["is_total"].to_list() == [True, False, False]
    person_weights = frame["weight"] * frame["size"]
    for row in table.iter_rows(named=True):
        part = frame if row["is_total"] else frame.filter(pl.col("kecamatan") == row["kecamatan"])
        w = part["weight"] * part["size"]
        for alpha in (0, 1, 2):
            expected = 100 * fgt(part["consumption_pc"], 100.0, alpha=alpha, weights=w)
            assert row[f"p{alpha}"] == pytest.approx(expected)
        assert row["population"] == pytest.approx(w.sum())
        assert row["households"] == part.height
    # poor people in total: 500 + 100 + 60 + 180 = 840 (all but the 200 and 150 households)
    assert table["poor"][0] == pytest.approx(840.0)
    assert table["population"][0] == pytest.approx(person_weights.sum())
    assert table["se_p0"].null_count() == 3
    assert table["se_method"].unique().to_list() == ["none"]


def test_decomposition_shares_add_to_one() -> None:
    frame = _households()
    for by in ("kecamatan", ["kecamatan", "head_sex"], "head_sex"):
        table = fgt_table(frame, line=100.0, by=by, se="none")
        groups = table.filter(~pl.col("is_total"))
        for alpha in (0, 1, 2):
            assert decomposition(table, alpha=alpha).sum() == pytest.approx(1.0)
            # contribution_g = (N_g/N)·P_α,g / P_α
            total = table.row(0, named=True)
            by_formula = (
                groups["population"]
                / total["population"]
                * groups[f"p{alpha}"]
                / total[f"p{alpha}"]
            )
            assert groups[f"share_p{alpha}"].to_list() == pytest.approx(by_formula.to_list())
            # and the weighted group indices add up to the total index
            assert (groups["population"] * groups[f"p{alpha}"]).sum() / total[
                "population"
            ] == pytest.approx(total[f"p{alpha}"])
        assert groups["poor"].sum() == pytest.approx(table["poor"][0])


def test_decomposition_by_hand() -> None:
    # Group a: y = 50, 150 (one person each), group b: y = 80 with two persons; z = 100.
    # Poverty gaps: a: 0.5 (1 person); b: 0.2 × 2 persons. Σ gaps = 0.5 + 0.4 = 0.9, N = 4.
    # P1 = 0.9/4 = 0.225; shares a = 0.5/0.9 = 0.5556, b = 0.4/0.9 = 0.4444.
    frame = pl.DataFrame(
        {
            "consumption_pc": [50.0, 150.0, 80.0],
            "size": [1, 1, 2],
            "weight": [1.0] * 3,
            "g": ["a", "a", "b"],
        }
    )
    table = fgt_table(frame, line=100.0, by="g", se="none")
    assert table["p1"][0] == pytest.approx(22.5)
    assert decomposition(table, alpha=1).to_list() == pytest.approx([5 / 9, 4 / 9])


def test_line_column_and_person_weight_option() -> None:
    frame = _households().with_columns(
        line=pl.when(pl.col("kecamatan") == "A").then(100.0).otherwise(85.0),
        person_weight=pl.col("weight") * pl.col("size"),
    )
    by_column = fgt_table(frame, line="line", se="none")
    expected = fgt(frame["consumption_pc"], frame["line"], alpha=1, weights=frame["person_weight"])
    assert by_column["p1"][0] == pytest.approx(100 * expected)
    persons = fgt_table(frame, line="line", weight="person_weight", size=None, se="none")
    assert persons["p1"][0] == pytest.approx(by_column["p1"][0])


def test_table_input_errors() -> None:
    frame = _households()
    with pytest.raises(ValueError, match="by column 'desa'"):
        fgt_table(frame, line=100.0, by="desa")
    with pytest.raises(ValueError, match="consumption column 'spending'"):
        fgt_table(frame, line=100.0, consumption="spending")
    with pytest.raises(ValueError, match="line column 'z'"):
        fgt_table(frame, line="z")
    with pytest.raises(ValueError, match="strata column 'stratum'"):
        fgt_table(frame, line=100.0, strata="stratum")
    with pytest.raises(ValueError, match="se must be"):
        fgt_table(frame, line=100.0, se="jackknife")
    with pytest.raises(ValueError, match="size has 1 values"):
        fgt_table(frame.with_columns(size=pl.Series([0, 1, 1, 1, 1, 1])), line=100.0)
    with pytest.raises(ValueError, match="weight has 1 missing"):
        fgt_table(frame.with_columns(weight=pl.Series([None, 1.0, 1, 1, 1, 1])), line=100.0)


def test_se_method_choice() -> None:
    frame = _households().with_columns(stratum=pl.lit(1), psu=pl.Series([1, 1, 2, 2, 3, 3]))
    assert fgt_table(frame, line=100.0)["se_method"][0] == "household bootstrap"
    assert (
        fgt_table(frame, line=100.0, strata="stratum", psu="psu")["se_method"][0] == "linearisation"
    )
    boot = fgt_table(frame, line=100.0, psu="psu", se="bootstrap", replicates=50)
    assert boot["se_method"][0] == "rao-wu bootstrap"
    assert boot["se_p0"][0] > 0
