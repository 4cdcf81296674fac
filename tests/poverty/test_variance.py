"""Standard errors: hand computations on tiny designs, samplics as an independent implementation,
and the bootstrap against linearisation on a simulated design."""

from __future__ import annotations

import warnings

import numpy as np
import polars as pl
import pytest

from tests.oracles import oracle
from tuntas.poverty import bootstrap_ratio_se, fgt_table, linearised_ratio_se, linearised_total_se
from tuntas.poverty.variance import survey_design


def _domain_design() -> pl.DataFrame:
    # stratum A has PSUs a1, a2, a3; stratum B has b1, b2. Consumption 50 is poor (z = 100).
    return pl.DataFrame(
        {
            "stratum": ["A", "A", "A", "A", "B", "B"],
            "psu": ["a1", "a1", "a2", "a3", "b1", "b2"],
            "weight": [2.0, 2.0, 1.0, 1.0, 3.0, 3.0],
            "size": [2, 3, 4, 1, 2, 2],
            "consumption_pc": [50.0, 150.0, 150.0, 50.0, 150.0, 50.0],
            "urban": [True, False, True, False, True, True],
        }
    )


def test_domain_se_by_hand() -> None:
    # Urban domain = households 1, 3, 5, 6.
    #   X = Σ w·size = 2·2 + 1·4 + 3·2 + 3·2 = 20;  Y = Σ w·size·poor = 4 + 6 = 10;  R = P0 = 0.5
    #   z = w (y − R x)/X: hh1 2(2 − 1)/20 = 0.1, hh3 1(0 − 2)/20 = −0.1,
    #                      hh5 3(0 − 1)/20 = −0.15, hh6 3(2 − 1)/20 = 0.15; rural households 0.
    #   PSU totals: a1 0.1, a2 −0.1, a3 0 (no urban household but still a PSU of A), b1 −0.15, b2 0.15
    #   A: 3/2 · (0.1² + 0.1² + 0²) = 0.03;  B: 2/1 · (0.15² + 0.15²) = 0.09;  v = 0.12
    #   SE(P0) = √0.12 = 0.346410 → 34.6410 on the ×100 scale.
    # (Subsetting the design to urban households would drop a3 and give √0.13 = 0.3606: wrong.)
    table = fgt_table(_domain_design(), line=100.0, by="urban", strata="stratum", psu="psu")
    urban = table.filter(pl.col("urban") & ~pl.col("is_total")).row(0, named=True)
    assert urban["p0"] == pytest.approx(50.0)
    assert urban["se_p0"] == pytest.approx(100 * np.sqrt(0.12))
    assert urban["se_method"] == "linearisation"


def test_lonely_psu_rules_by_hand() -> None:
    # Stratum A: PSUs a1 (poor, w 1), a2 (not poor, w 1); stratum B: one PSU b1 (not poor, w 2).
    #   X = 4, Y = 1, R = 0.25; z = (0.75/4, −0.25/4, 2·(−0.25)/4) = (0.1875, −0.0625, −0.125)
    #   A: 2 · (0.125² + 0.125²) = 0.0625
    #   B "certainty": 0                    → SE = √0.0625 = 0.25
    #   B "adjust": (−0.125 − z̄)², z̄ = Σz/3 = 0 → 0.015625, v = 0.078125 → SE = 0.279508
    y, x, w = [1, 0, 0], [1, 1, 1], [1.0, 1.0, 2.0]
    strata, psu = ["A", "A", "B"], ["a1", "a2", "b1"]
    assert linearised_ratio_se(y, x, w, strata, psu, lonely_psu="certainty") == pytest.approx(0.25)
    assert linearised_ratio_se(y, x, w, strata, psu) == pytest.approx(np.sqrt(0.078125))
    with pytest.raises(ValueError, match="1 strata have a single PSU"):
        linearised_ratio_se(y, x, w, strata, psu, lonely_psu="fail")
    # Total Σ w·y = 1: scores (1, 0, 0), grand mean 1/3.
    #   A: 2 · (0.5² + 0.5²) = 1;  B "adjust": (0 − 1/3)² = 1/9  → SE = √(10/9)
    assert linearised_total_se(y, w, strata, psu) == pytest.approx(np.sqrt(10 / 9))
    assert linearised_total_se(y, w, strata, psu, lonely_psu="certainty") == pytest.approx(1.0)


def test_srs_proportion() -> None:
    # Without strata or PSUs each household is a PSU: SE(p̂) = √(p̂(1 − p̂)/(n − 1)).
    y = np.array([1, 0, 0, 1, 0, 0, 0, 1, 0, 0], dtype=float)
    assert linearised_ratio_se(y, np.ones(10), np.ones(10)) == pytest.approx(np.sqrt(0.3 * 0.7 / 9))


def test_design_encoding() -> None:
    design = survey_design([1.0] * 5, strata=["x", "x", "y", "y", "y"], psu=[1, 2, 1, 1, 2])
    assert design.psus_in_stratum.tolist() == [2, 2]  # PSU labels are nested in strata
    assert design.n_psus == 4
    with pytest.raises(ValueError, match="psu has 1 missing"):
        survey_design([1.0, 1.0], psu=pl.Series([1, None]))
    with pytest.raises(ValueError, match="weights must be non-negative"):
        survey_design([1.0, -1.0])
    with pytest.raises(ValueError, match="strata has 3 values"):
        survey_design([1.0, 1.0], strata=[1, 2, 3])


def _simulated_survey(
    seed: int, *, strata: int = 20, psus: int = 6, households: int = 10
) -> pl.DataFrame:
    """A stratified two-stage sample with PSU effects, unequal weights and a lonely stratum."""
    rng = np.random.default_rng(seed)
    rows: list[dict[str, object]] = []
    for h in range(strata):
        n_psu = 1 if h == strata - 1 else psus
        for j in range(n_psu):
            effect = rng.normal(0, 0.35)
            for _ in range(households):
                rows.append(
                    {
                        "stratum": f"s{h:02d}",
                        "psu": f"p{j}",  # labels repeat across strata: nested
                        "weight": float(rng.uniform(50, 150)),
                        "size": int(rng.integers(1, 8)),
                        "consumption_pc": float(np.exp(rng.normal(13.2 + effect, 0.45))),
                        "kecamatan": f"k{h // 4}",
                        "urban": bool(rng.random() < 0.3),
                    }
                )
    return pl.DataFrame(rows)


LINE = 505_826.0


def test_linearisation_matches_samplics_taylor_estimator() -> None:
    samplics = oracle("samplics")
    frame = _simulated_survey(7)
    table = fgt_table(
        frame, line=LINE, by="kecamatan", strata="stratum", psu="psu", lonely_psu="certainty"
    )
    size = frame["size"].to_numpy().astype(float)
    y = frame["consumption_pc"].to_numpy()
    gaps = np.where(y < LINE, (LINE - y) / LINE, 0.0)
    design = {
        "samp_weight": frame["weight"].to_numpy(),
        "stratum": frame["stratum"].to_numpy(),
        "psu": (frame["stratum"] + "/" + frame["psu"]).to_numpy(),
        "domain": frame["kecamatan"].to_numpy(),
        # samplics "skip" gives single-PSU strata a zero contribution, our "certainty" rule
        "single_psu": samplics.SinglePSUEst.skip,
    }
    groups = table.filter(~pl.col("is_total"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for alpha in (0, 1, 2):
            ratio = samplics.TaylorEstimator(samplics.PopParam.ratio)
            ratio.estimate(y=size * (y < LINE) * gaps**alpha, x=size, **design)
            for row in groups.iter_rows(named=True):
                key = row["kecamatan"]
                assert row[f"p{alpha}"] == pytest.approx(100 * ratio.point_est[key], rel=1e-10)
                assert row[f"se_p{alpha}"] == pytest.approx(100 * ratio.stderror[key], rel=1e-9)
        total = samplics.TaylorEstimator(samplics.PopParam.total)
        total.estimate(y=size * (y < LINE), **design)
    for row in groups.iter_rows(named=True):
        assert row["poor"] == pytest.approx(total.point_est[row["kecamatan"]], rel=1e-10)
        assert row["se_poor"] == pytest.approx(total.stderror[row["kecamatan"]], rel=1e-9)


def test_whole_sample_matches_samplics_without_domains() -> None:
    samplics = oracle("samplics")
    frame = _simulated_survey(3, strata=8)
    frame = frame.filter(pl.col("stratum") != "s07")  # drop the lonely stratum: no rule needed
    table = fgt_table(frame, line=LINE, strata="stratum", psu="psu")
    size = frame["size"].to_numpy().astype(float)
    poor = (frame["consumption_pc"].to_numpy() < LINE).astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ratio = samplics.TaylorEstimator(samplics.PopParam.ratio)
        ratio.estimate(
            y=size * poor,
            x=size,
            samp_weight=frame["weight"].to_numpy(),
            stratum=frame["stratum"].to_numpy(),
            psu=(frame["stratum"] + "/" + frame["psu"]).to_numpy(),
        )
    assert table["se_p0"][0] == pytest.approx(100 * ratio.stderror, rel=1e-9)


def test_rao_wu_bootstrap_close_to_linearisation() -> None:
    frame = _simulated_survey(11, strata=30)
    common = {
        "line": LINE,
        "by": "kecamatan",
        "strata": "stratum",
        "psu": "psu",
        "lonely_psu": "certainty",
    }
    linear = fgt_table(frame, se="linearisation", **common)
    boot = fgt_table(frame, se="bootstrap", replicates=600, seed=5, **common)
    assert boot["se_method"][0] == "rao-wu bootstrap"
    for alpha in (0, 1, 2):
        column = f"se_p{alpha}"
        # whole sample: within 12 % (Monte Carlo error of 600 replicates ≈ 3 %)
        assert boot[column][0] == pytest.approx(linear[column][0], rel=0.12)
        # kecamatan domains: the average ratio is close to 1
        ratio = (boot[column][1:] / linear[column][1:]).mean()
        assert ratio == pytest.approx(1.0, abs=0.12)
    assert boot["se_poor"][0] == pytest.approx(linear["se_poor"][0], rel=0.12)


def test_household_bootstrap_close_to_linearisation() -> None:
    rng = np.random.default_rng(2)
    n = 2000
    y = (rng.random(n) < 0.2).astype(float)
    x = rng.integers(1, 7, n).astype(float)
    w = rng.uniform(1, 3, n)
    linear = linearised_ratio_se(y * x, x, w)
    boot = bootstrap_ratio_se(y * x, x, w, replicates=800, seed=1)
    assert boot == pytest.approx(linear, rel=0.1)


def test_bootstrap_is_reproducible() -> None:
    frame = _simulated_survey(1, strata=4)
    first = fgt_table(frame, line=LINE, se="bootstrap", replicates=30, seed=9)
    second = fgt_table(frame, line=LINE, se="bootstrap", replicates=30, seed=9)
    assert first.equals(second)
