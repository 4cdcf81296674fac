"""Fay–Herriot: agreement with samplics (independent implementation) and published R results."""

from __future__ import annotations

import warnings
from types import ModuleType

import numpy as np
import polars as pl
import pytest

from tests.oracles import oracle
from tuntas.poverty import clip_rates, fay_herriot
from tuntas.poverty.sae import reml_terms


def _samplics() -> ModuleType:
    return oracle("samplics")


def _simulated_areas(seed: int, *, m: int = 40, area_sd: float = 0.07) -> pl.DataFrame:
    """Kecamatan-like poverty rates with two covariates and known sampling variances."""
    rng = np.random.default_rng(seed)
    x1 = rng.uniform(0.05, 0.4, m)  # e.g. the registry's desil-1 share
    x2 = rng.normal(0.0, 1.0, m)  # e.g. a standardised village-profile index
    psi = rng.uniform(0.0005, 0.004, m)
    theta = 0.02 + 0.8 * x1 + 0.01 * x2 + rng.normal(0.0, area_sd, m)
    return pl.DataFrame(
        {
            "area": [f"33.10.{i:02d}" for i in range(m)],
            "direct": theta + rng.normal(0.0, np.sqrt(psi)),
            "direct_var": psi,
            "x1": x1,
            "x2": x2,
        }
    )


def _samplics_fit(
    frame: pl.DataFrame, covariates: list[str], direct: str = "direct"
) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    samplics = _samplics()
    area = frame["area"].to_numpy()
    x = frame.select(covariates).to_numpy()
    model = samplics.EblupAreaModel(method=samplics.FitMethod.reml)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(
            yhat=frame[direct].to_numpy(),
            X=x,
            area=area,
            error_std=np.sqrt(frame["direct_var"].to_numpy()),
            tol=1e-12,
            maxiter=500,
        )
        model.predict(X=x, area=area)
    eblup = np.array([model.area_est[a] for a in area])
    mse = np.array([model.area_mse[a] for a in area])
    return float(model.re_std**2), np.asarray(model.fixed_effects), eblup, mse


@pytest.mark.parametrize("seed", [5, 11, 23])
def test_agrees_with_samplics_eblup_area_model(seed: int) -> None:
    frame = _simulated_areas(seed)
    fit = fay_herriot(frame, covariates=["x1", "x2"])
    sigma2, beta, eblup, mse = _samplics_fit(frame, ["x1", "x2"])
    assert fit.converged
    assert fit.sigma2_u == pytest.approx(sigma2, rel=1e-7, abs=1e-12)
    assert list(fit.beta.values()) == pytest.approx(beta.tolist(), rel=1e-7)
    assert fit.estimates["eblup"].to_numpy() == pytest.approx(eblup, rel=1e-9)
    assert fit.estimates["mse"].to_numpy() == pytest.approx(mse, rel=1e-7)


def test_agrees_with_samplics_when_sigma2_is_zero() -> None:
    frame = _simulated_areas(11, area_sd=0.0)  # no area effect: REML truncates at 0
    fit = fay_herriot(frame, covariates=["x1", "x2"])
    sigma2, _, eblup, mse = _samplics_fit(frame, ["x1", "x2"])
    assert fit.sigma2_u == 0.0 == sigma2
    estimates = fit.estimates
    assert estimates["gamma"].to_list() == [0.0] * frame.height
    assert estimates["eblup"].to_list() == pytest.approx(estimates["synthetic"].to_list())
    assert estimates["eblup"].to_numpy() == pytest.approx(eblup, rel=1e-9)
    assert estimates["mse"].to_numpy() == pytest.approx(mse, rel=1e-9)


def _milk() -> pl.DataFrame:
    """Fresh-milk expenditure, 43 small areas in 4 major areas (Arora & Lahiri 1997), as shipped."""
    _samplics()
    from samplics.datasets import load_expenditure_milk

    data = pl.from_pandas(load_expenditure_milk()["data"])
    return data.with_columns(
        *[(pl.col("major_area") == k).cast(pl.Float64).alias(f"major_{k}") for k in (2, 3, 4)],
        direct_var=pl.col("std_error") ** 2,
        area=pl.col("small_area"),
    )


def test_milk_data_against_samplics_and_published_r_results() -> None:
    milk = _milk()
    covariates = ["major_2", "major_3", "major_4"]
    fit = fay_herriot(milk, direct="direct_est", covariates=covariates)
    # Published REML fit of yi ~ as.factor(MajorArea), vardir = SD², on the same data: the CRAN
    # package saens 0.1.0 README (R, Fisher scoring; cran.r-project.org/web/packages/saens):
    # beta 0.968189, 0.132780, 0.226946, −0.241301; Std.Error 0.069362, 0.103001, 0.092330, 0.081617.
    published_beta = [0.968189, 0.132780, 0.226946, -0.241301]
    published_se = [0.069362, 0.103001, 0.092330, 0.081617]
    assert list(fit.beta.values()) == pytest.approx(published_beta, abs=1e-6)
    assert list(fit.beta_se.values()) == pytest.approx(published_se, abs=1e-6)
    sigma2, beta, eblup, mse = _samplics_fit(milk, covariates, direct="direct_est")
    assert fit.sigma2_u == pytest.approx(sigma2, rel=1e-8)
    assert fit.sigma2_u == pytest.approx(0.018550, abs=1e-6)
    assert list(fit.beta.values()) == pytest.approx(beta.tolist(), rel=1e-8)
    assert fit.estimates["eblup"].to_numpy() == pytest.approx(eblup, rel=1e-9)
    assert fit.estimates["mse"].to_numpy() == pytest.approx(mse, rel=1e-8)


def test_mse_formula_and_reml_score_by_hand() -> None:
    frame = _simulated_areas(5)
    fit = fay_herriot(frame, covariates=["x1", "x2"])
    psi = frame["direct_var"].to_numpy()
    x = np.column_stack([np.ones(frame.height), frame["x1"], frame["x2"]])
    s2 = fit.sigma2_u
    assert s2 > 0
    # the REML score vanishes at an interior maximum
    terms = reml_terms(s2, frame["direct"].to_numpy(), x, psi)
    assert abs(terms.score) < 1e-6 * terms.information * s2
    # mse_d = g1 + g2 + 2 g3 (Rao & Molina 2015, §6.2), recomputed for area 0
    gamma = s2 / (s2 + psi[0])
    g1 = gamma * psi[0]
    g2 = (1 - gamma) ** 2 * x[0] @ fit.beta_cov @ x[0]
    g3 = psi[0] ** 2 / (s2 + psi[0]) ** 3 * 2 / np.sum((s2 + psi) ** -2.0)
    row = fit.estimates.row(0, named=True)
    assert row["gamma"] == pytest.approx(gamma)
    assert row["mse"] == pytest.approx(g1 + g2 + 2 * g3)
    synthetic = x[0] @ np.array(list(fit.beta.values()))
    assert row["eblup"] == pytest.approx(gamma * row["direct"] + (1 - gamma) * synthetic)


def test_unsampled_areas_get_synthetic_estimate() -> None:
    sampled = _simulated_areas(23)
    unsampled = pl.DataFrame(
        {
            "area": ["33.10.90", "33.10.91"],
            "direct": [None, None],
            "direct_var": [None, None],
            "x1": [0.1, 0.3],
            "x2": [0.5, -1.0],
        },
        schema=sampled.schema,
    )
    alone = fay_herriot(sampled, covariates=["x1", "x2"])
    fit = fay_herriot(pl.concat([sampled, unsampled]), covariates=["x1", "x2"])
    assert fit.sigma2_u == pytest.approx(alone.sigma2_u)  # only sampled areas enter the fit
    new = fit.estimates.filter(~pl.col("sampled"))
    assert new["area"].to_list() == ["33.10.90", "33.10.91"]
    beta = np.array(list(fit.beta.values()))
    for row, x1, x2 in zip(new.iter_rows(named=True), [0.1, 0.3], [0.5, -1.0], strict=True):
        x = np.array([1.0, x1, x2])
        assert row["eblup"] == pytest.approx(x @ beta)
        assert row["synthetic"] == row["eblup"]
        assert row["mse"] == pytest.approx(fit.sigma2_u + x @ fit.beta_cov @ x)  # σ²_u + xᵀV(β̂)x
        assert row["gamma"] is None and row["direct"] is None


def test_zero_variance_policy() -> None:
    frame = _simulated_areas(5).with_columns(
        direct_var=pl.when(pl.col("area") == "33.10.03").then(0.0).otherwise(pl.col("direct_var"))
    )
    with pytest.raises(ValueError, match="1 areas have a direct estimate but no positive sampling"):
        fay_herriot(frame, covariates=["x1"])
    fit = fay_herriot(frame, covariates=["x1"], zero_variance="synthetic")
    row = fit.estimates.filter(pl.col("area") == "33.10.03").row(0, named=True)
    assert not row["sampled"] and row["eblup"] == row["synthetic"] and row["direct"] is not None


def test_input_errors() -> None:
    frame = _simulated_areas(5, m=6)
    with pytest.raises(ValueError, match="unique"):
        fay_herriot(pl.concat([frame, frame.head(1)]), covariates=["x1"])
    with pytest.raises(ValueError, match="covariates are missing"):
        fay_herriot(frame.with_columns(x1=pl.lit(None, dtype=pl.Float64)), covariates=["x1"])
    with pytest.raises(ValueError, match="column 'x9'"):
        fay_herriot(frame, covariates=["x9"])
    with pytest.raises(ValueError, match="too few"):
        fay_herriot(frame.head(2), covariates=["x1", "x2"])
    with pytest.raises(ValueError, match="collinear"):
        fay_herriot(frame.with_columns(x3=pl.col("x1") * 2), covariates=["x1", "x3"])


def test_clip_rates_for_reporting() -> None:
    table = pl.DataFrame({"eblup": [-0.02, 0.3, 1.1], "mse": [0.01, 0.02, 0.03]})
    clipped = clip_rates(table)
    assert clipped["eblup"].to_list() == [0.0, 0.3, 1.0]
    assert clipped["mse"].to_list() == table["mse"].to_list()
