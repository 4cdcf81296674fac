"""The proxy-means test: estimation, prediction, errors, calibration and the candidate list."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import polars as pl
import pytest

from tests.oracles import oracle
from tests.poverty.conftest import WithTruth
from tuntas.poverty.targeting import (
    BINARY_INDICATORS,
    calibrate_probabilities,
    calibrate_threshold,
    candidate_list,
    cross_validate,
    demo_survey,
    design_matrix,
    fit_pmt,
    holdout_errors,
    ordered_groups,
    probability_below,
    registry_frame,
    registry_heads,
    score,
    targeting_accuracy,
    targeting_errors,
)

EXTREME = 391000.0
NATIONAL = 505826.0


# ---------------------------------------------------------------- hand-worked


def test_targeting_errors_hand_example_weighted() -> None:
    # poor 1-3, targeted 1, 3, 4; weights 1..5
    # targeted = 1 + 3 + 4 = 8; poor = 1 + 2 + 3 = 6; poor and targeted = 1 + 3 = 4
    # inclusion = (8 - 4)/8 = 0.5; exclusion = (6 - 4)/6 = 1/3; coverage = 4/6
    e = targeting_errors(
        [True, True, True, False, False],
        [True, False, True, True, False],
        weights=[1, 2, 3, 4, 5],
    )
    assert (e.targeted, e.poor, e.poor_targeted) == (8.0, 6.0, 4.0)
    assert e.inclusion_error == pytest.approx(0.5)
    assert e.exclusion_error == pytest.approx(1 / 3)
    assert e.coverage == pytest.approx(2 / 3)
    assert e.coverage + e.exclusion_error == pytest.approx(1.0)


def test_targeting_errors_empty_denominators_are_nan() -> None:
    e = targeting_errors([False, False], [False, False])
    assert math.isnan(e.inclusion_error) and math.isnan(e.coverage)
    assert e.to_dict()["coverage"] is None
    with pytest.raises(ValueError, match="length"):
        targeting_errors([True], [True, False])


def test_calibrate_threshold_hits_the_total() -> None:
    p = np.array([0.9, 0.8, 0.8, 0.4, 0.3, 0.1])
    assert calibrate_threshold(p, 1) == 0.9
    # ties at 0.8 are both selected: 3 households for a total of 2
    t = calibrate_threshold(p, 2)
    assert t == 0.8 and int((p >= t).sum()) == 3
    # persons: sizes 4, 2, 3, 1, 5, 2 → 4, 6, 9, 10, 15, 17 cumulated; 10 persons needs 0.4
    sizes = np.array([4, 2, 3, 1, 5, 2])
    t = calibrate_threshold(p, 10, weights=sizes)
    assert t == 0.4 and sizes[p >= t].sum() == 10
    assert calibrate_threshold(p, 0) > 1.0  # nobody
    assert calibrate_threshold(p, 1000) == 0.1  # everybody


def test_calibrate_probabilities_matches_the_expected_count() -> None:
    rng = np.random.default_rng(4)
    mean = rng.normal(13.5, 0.4, 500)
    sd = np.full(500, 0.35)
    sizes = rng.integers(1, 7, 500).astype(float)
    shift, p = calibrate_probabilities(mean, sd, line=600000.0, total=400.0, weights=sizes)
    assert (sizes * p).sum() == pytest.approx(400.0, abs=1e-6)
    before = probability_below(mean, sd, 600000.0)
    assert ((sizes * before).sum() > 400.0) == (shift > 0)
    with pytest.raises(ValueError, match="between"):
        calibrate_probabilities(mean, sd, line=600000.0, total=1e9)


def test_probability_below_is_the_normal_cdf() -> None:
    # ln y ~ N(ln 100, 0.5²): P(y < 100) = 0.5; P(y < 100·e^0.5) = Φ(1) = 0.8413
    p = probability_below(np.log([100.0, 100.0]), np.array([0.5, 0.5]), 100.0)
    assert p.tolist() == [0.5, 0.5]
    assert probability_below(np.log([100.0]), np.array([0.5]), 100.0 * math.exp(0.5))[
        0
    ] == pytest.approx(0.841345, abs=1e-6)


def test_ordered_groups_merge_rare_categories_with_their_neighbours() -> None:
    order = ("tidak_ada", "bersama", "sendiri")
    assert ordered_groups({"tidak_ada": 3, "bersama": 20, "sendiri": 500}, order, minimum=10) == {
        "tidak_ada": "tidak_ada+bersama",
        "bersama": "tidak_ada+bersama",
        "sendiri": "sendiri",
    }
    # a short last group joins the previous one
    assert ordered_groups({"tidak_ada": 30, "bersama": 20, "sendiri": 2}, order, minimum=10)[
        "sendiri"
    ] == ("bersama+sendiri")


def test_registry_heads_from_persons() -> None:
    persons = pl.DataFrame(
        {
            "person_id": ["b1", "a2", "a1", "c1"],
            "household_id": ["b", "a", "a", "c"],
            "relationship": ["kepala_keluarga", "kepala_keluarga", "anak", "istri_suami"],
            "sex": ["L", "P", "L", "P"],
            "birth_date": [dt.date(1990, 3, 2), dt.date(1960, 3, 1), dt.date(2000, 1, 1), None],
            "education": ["sma", None, "sd", "sd"],
            "sector": [None, "A", None, "G"],
        }
    )
    heads = registry_heads(persons, at=dt.date(2024, 3, 1)).sort("household_id")
    assert heads.rows() == [("a", "P", 64, None, "A"), ("b", "L", 33, "sma", None)]
    households = pl.DataFrame({"household_id": ["a", "b", "c"], "region_code": ["x", "y", "x"]})
    villages = pl.DataFrame({"region_code": ["x", "y"], "urban": [True, False]})
    frame = registry_frame(households, persons=persons, villages=villages, at=dt.date(2024, 3, 1))
    assert frame.sort("household_id")["urban"].to_list() == [True, False, True]
    assert frame.filter(pl.col("household_id") == "c")["head_sex"].to_list() == [None]


# ---------------------------------------------------------------- estimation


def test_wls_and_cluster_robust_covariance_agree_with_statsmodels() -> None:
    sm = oracle("statsmodels.api")
    survey = demo_survey(600, seed=7)
    model = fit_pmt(survey, heteroscedastic=False)
    x, _ = design_matrix(survey, model.spec)
    y = np.log(survey["consumption_pc"].to_numpy())
    w = survey["weight"].to_numpy()
    groups = np.unique(survey["psu"].to_numpy(), return_inverse=True)[1]
    fit = sm.WLS(y, x, weights=w).fit(cov_type="cluster", cov_kwds={"groups": groups})
    np.testing.assert_allclose(model.beta, fit.params, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(model.beta_cov, fit.cov_params(), rtol=1e-7, atol=1e-12)


def test_heteroscedastic_variance_keeps_the_mean_residual_variance() -> None:
    survey = demo_survey(800, seed=2)
    model = fit_pmt(survey, head=False)
    assert model.variance_model is not None
    x, _ = design_matrix(survey, model.spec)
    w = survey["weight"].to_numpy()
    v = model.residual_variance(x @ model.beta)
    assert float((w * v).sum() / w.sum()) == pytest.approx(model.sigma2)
    flat = fit_pmt(survey, head=False, heteroscedastic=False)
    assert flat.residual_variance(np.zeros(3)).tolist() == [flat.sigma2] * 3


def test_pmt_on_synthetic_klaten(klaten: WithTruth) -> None:
    tables = klaten.result.tables
    model = fit_pmt(tables["survey"])
    # PMTs on Susenas explain 30–60% of log consumption; the synthetic survey is built to ≈0.5
    assert 0.3 <= model.r2 <= 0.75
    assert model.n == tables["survey"].height
    assert {"head_female", "head_age", "urban"} <= set(model.spec.columns)
    coefficients = dict(model.coefficients().select("name", "beta").iter_rows())
    assert coefficients["has_savings"] > 0  # assets go with consumption
    registry = registry_frame(
        tables["households"],
        persons=tables["persons"],
        villages=tables["villages"],
        at=dt.date(2024, 3, 1),
    )
    scored = score(model, registry, lines={"extreme": EXTREME, "national": NATIONAL})
    assert scored.height == tables["households"].height
    for column in ("p_extreme", "p_national"):
        assert scored[column].is_between(0.0, 1.0).all()
        assert scored[column].null_count() == 0
    assert (scored["p_national"] >= scored["p_extreme"]).all()
    # 1% of each registry indicator is missing in the synthetic data: those rows are imputed
    assert 0.0 < scored["imputed"].mean() < 0.3  # type: ignore[operator]
    # desil 1 looks poorer than desil 4 to the model
    by_desil = (
        scored.group_by("welfare_decile").agg(pl.col("p_national").mean()).sort("welfare_decile")
    )
    means = by_desil["p_national"].to_list()
    assert means[0] > means[-1]


def test_calibrated_threshold_selects_the_total_on_synthetic_data(klaten: WithTruth) -> None:
    tables = klaten.result.tables
    model = fit_pmt(tables["survey"])
    registry = registry_frame(
        tables["households"], persons=tables["persons"], villages=tables["villages"],
        at=dt.date(2024, 3, 1),
    )  # fmt: skip
    scored = score(model, registry, lines={"extreme": EXTREME})
    total = 500.0  # persons
    t = calibrate_threshold(scored["p_extreme"], total, weights=scored["size"])
    selected = scored.filter(pl.col("p_extreme") >= t)
    persons = selected["size"].sum()
    assert persons >= total
    assert persons - selected["size"].max() < total  # type: ignore[operator]


def test_cross_validation_folds_are_whole_psus(klaten: WithTruth) -> None:
    survey = klaten.result.tables["survey"]
    cv = cross_validate(survey, folds=5, seed=11)
    assert cv.height == survey.height
    assert cv["household_id"].n_unique() == survey.height
    folds = cv.join(survey.select("household_id", "psu"), on="household_id")
    assert (folds.group_by("psu").agg(pl.col("fold").n_unique())["fold"] == 1).all()
    assert sorted(cv["fold"].unique().to_list()) == [0, 1, 2, 3, 4]
    again = cross_validate(survey, folds=5, seed=11)
    assert cv.equals(again)  # seeded
    errors = holdout_errors(cv, line=NATIONAL, threshold=0.5)
    assert 0.0 <= errors.inclusion_error <= 1.0 and 0.0 <= errors.coverage <= 1.0
    # the weighted poor households of the held-out predictions are the survey's
    poor = survey.filter(pl.col("consumption_pc") < NATIONAL)["weight"].sum()
    assert errors.poor == pytest.approx(poor)


# ---------------------------------------------------------------- the list


def test_candidate_list_rule_and_recorded_decisions() -> None:
    scored = pl.DataFrame(
        {
            "household_id": ["a", "b", "c", "d", "e", "f", "g"],
            "region_code": ["x", "x", "x", "x", "y", "y", "y"],
            "welfare_decile": [1, 2, 3, 2, 1, 4, 1],
            "decile_source": ["P3KE-2023"] * 7,
            "p_extreme": [0.10, 0.70, 0.05, 0.01, 0.20, 0.95, 0.20],
            "predicted_pc": [400e3, 350e3, 700e3, 900e3, 420e3, 300e3, 420e3],
            "size": [4, 3, 2, 5, 3, 6, 2],
            "verification_status": [None, None, None, "verified_extreme", "candidate", "not_extreme", None],
        }
    )  # fmt: skip
    listed = candidate_list(scored, threshold=0.5)
    rows = {r["household_id"]: r for r in listed.to_dicts()}
    # c (desil 3, p 0.05, no decision) is not listed; everything else is
    assert set(rows) == {"a", "b", "d", "e", "f", "g"}
    assert rows["b"]["source"] == "pmt" and rows["b"]["decision"] == "candidate"
    assert rows["a"]["source"] == "desil"
    # a verified household stays verified whatever the model says (p = 0.01, desil 2)
    assert (rows["d"]["source"], rows["d"]["decision"], rows["d"]["to_verify"]) == (
        "verification",
        "verified_extreme",
        False,
    )
    # a not_extreme decision stands even with p = 0.95
    assert (rows["f"]["decision"], rows["f"]["verification_status"], rows["f"]["to_verify"]) == (
        "not_extreme",
        "not_extreme",
        False,
    )
    assert rows["e"]["verification_status"] == "candidate"
    assert rows["g"]["verification_status"] is None and rows["g"]["decision"] == "candidate"
    # ranks within each desa by p, descending; ties by household id
    assert listed.filter(pl.col("region_code") == "x")["household_id"].to_list() == ["b", "a", "d"]
    assert listed.filter(pl.col("region_code") == "y")["household_id"].to_list() == ["f", "e", "g"]
    assert listed["rank"].to_list() == [1, 2, 3, 1, 2, 3]


def test_targeting_accuracy_against_the_synthetic_truth(klaten: WithTruth) -> None:
    tables = klaten.result.tables
    model = fit_pmt(tables["survey"])
    registry = registry_frame(
        tables["households"], persons=tables["persons"], villages=tables["villages"],
        at=dt.date(2024, 3, 1),
    )  # fmt: skip
    scored = score(model, registry, lines={"extreme": EXTREME})
    accuracy = targeting_accuracy(scored, klaten.result.truth, threshold=0.5)
    rows = {r["rule"]: r for r in accuracy.to_dicts()}
    assert set(rows) == {
        "desil 1",
        "PMT p ≥ t",
        "candidate list",
        "list without not_extreme",
        "verified_extreme",
    }
    truly = klaten.result.truth["poor_extreme"].sum()
    assert all(r["poor"] == truly for r in rows.values())
    desil1 = tables["households"].filter(pl.col("welfare_decile") == 1).height
    assert rows["desil 1"]["selected"] == desil1
    # the union covers at least as many of the truly extreme poor as desil 1 alone
    assert rows["candidate list"]["coverage"] >= rows["desil 1"]["coverage"]
    # hand check of one rule: PMT p ≥ 0.5
    joined = scored.join(klaten.result.truth, on="household_id")
    hits = joined.filter((pl.col("p_extreme") >= 0.5) & pl.col("poor_extreme")).height
    assert rows["PMT p ≥ t"]["poor_selected"] == hits


def test_binary_indicators_are_regressors() -> None:
    spec = fit_pmt(demo_survey(300, seed=1), head=False).spec
    assert set(BINARY_INDICATORS) <= set(spec.columns)
    assert "head_age" not in spec.columns
