"""Small-area estimates: direct estimates and their variances, the GVF, covariates, Fay–Herriot
against the synthetic truth."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from tests.poverty.conftest import WithTruth
from tuntas.poverty.small_area import (
    auxiliary,
    direct_estimates,
    mse_against_truth,
    pooled_variance,
    select_covariates,
    small_area_estimates,
)
from tuntas.poverty.targeting import fit_pmt, registry_frame, score

NATIONAL = 505826.0
EXTREME = 391000.0


def tiny_survey() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "region_code": ["33.10.01.2001"] * 3 + ["33.10.01.2002"] * 3 + ["33.10.02.2001"] * 3,
            "household_id": [f"h{i}" for i in range(9)],
            "consumption_pc": [300.0, 700.0, 900.0, 350.0, 380.0, 800.0, 600.0, 450.0, 700.0],
            "size": [4, 3, 2, 5, 4, 3, 3, 3, 3],
            "weight": [100.0] * 9,
            "stratum": ["s1"] * 6 + ["s2"] * 3,
            "psu": ["a"] * 3 + ["b"] * 3 + ["c"] * 3,
        }
    )


def test_direct_estimates_hand_worked() -> None:
    # line 500. Kecamatan 33.10.01: desa 2001 (sizes 4, 3, 2; poor: the first) and 2002 (5, 4, 3;
    # poor: the first two): 4 + 5 + 4 = 13 poor of 21 persons → P0 = 61.905. Two PSUs → design SE.
    # Kecamatan 33.10.02: 3 of 9 persons poor → 33.333, one PSU → within-area SE.
    d = direct_estimates(tiny_survey(), level="kecamatan", line=500.0, alphas=(0,))
    rows = {r["area"]: r for r in d.to_dicts()}
    assert rows["33.10.01"]["p0"] == pytest.approx(100 * 13 / 21)
    assert (rows["33.10.01"]["n_psus"], rows["33.10.01"]["se_method"]) == (2, "design")
    assert rows["33.10.02"]["p0"] == pytest.approx(100 / 3)
    assert rows["33.10.02"]["se_method"] == "within-area"
    # within-area SE by hand: households as an SRS of the area, ratio R = 3/9 with equal weights,
    # z_i = s_i(g_i − R)/Σs = 3·(1 − 1/3)/9, 3·(0 − 1/3)/9, 3·(0 − 1/3)/9 = 2/9, −1/9, −1/9
    # v = n/(n − 1)·Σ z_i² = 3/2·(4 + 1 + 1)/81 = 1/9 → SE = 1/3 → ×100 = 33.333
    assert rows["33.10.02"]["se_p0"] == pytest.approx(100 / 3)
    # design SE of 33.10.01 by hand: stratum s1 has PSUs a, b (stratum s2 has c only, z = 0 there).
    # X̂ = 100·21; z_PSU = 100·Σ s(g − R)/X̂: a = (4 − 9R)/21, b = (9 − 12R)/21 with R = 13/21
    r = 13 / 21
    za, zb = (4 - 9 * r) / 21, (9 - 12 * r) / 21
    mean = (za + zb) / 2
    se = np.sqrt(2 * ((za - mean) ** 2 + (zb - mean) ** 2))
    assert rows["33.10.01"]["se_p0"] == pytest.approx(100 * se)


def test_desa_that_is_its_own_psu_gets_the_within_area_variance() -> None:
    d = direct_estimates(tiny_survey(), level="desa", line=500.0, alphas=(0, 1))
    assert d["se_method"].to_list() == ["within-area"] * 3
    assert (d["se_p0"] > 0).all()
    # a desa whose sample has nobody poor has a zero variance (kept; the GVF smooths it)
    rich = tiny_survey().with_columns(pl.col("consumption_pc") * 10)
    assert direct_estimates(rich, level="desa", line=500.0)["se_p0"].to_list() == [0.0] * 3


def test_pooled_variance_hand_example() -> None:
    # κ = (0.002 + 0 + 0.001)/(1/10 + 1/10 + 1/20) = 0.003/0.25 = 0.012; n = 1 is left out
    assert pooled_variance([0.002, 0.0, 0.001, 0.5], [10, 10, 20, 1]) == pytest.approx(0.012)
    assert pooled_variance([0.1], [1]) == 0.0


def test_select_covariates_skips_constant_and_collinear_and_caps_the_number() -> None:
    rng = np.random.default_rng(1)
    frame = pl.DataFrame(
        {
            "a": rng.normal(size=30),
            "const": np.ones(30),
            "b": rng.normal(size=30),
            "twice_a": np.zeros(30),
            "c": rng.normal(size=30),
            "d": rng.normal(size=30),
            "e": rng.normal(size=30),
            "f": rng.normal(size=30),
        }
    ).with_columns((2 * pl.col("a")).alias("twice_a"))
    chosen = select_covariates(frame, ["a", "const", "twice_a", "b", "c", "d", "e", "f"])
    assert chosen == ["a", "b", "c", "d", "e"]  # 30 areas → at most 30 // 5 − 1 = 5


def _areas(klaten: WithTruth, level: str, kind: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    tables = klaten.result.tables
    model = fit_pmt(tables["survey"])
    registry = registry_frame(
        tables["households"], persons=tables["persons"], villages=tables["villages"],
        at=dt.date(2024, 3, 1),
    )  # fmt: skip
    scored = score(model, registry, lines={"national": NATIONAL, "extreme": EXTREME})
    return auxiliary(
        tables["villages"], level=level, registry=scored, probability=f"p_{kind}"
    ), scored


def test_auxiliary_covariates_add_up(klaten: WithTruth) -> None:
    areas, scored = _areas(klaten, "kecamatan", "national")
    villages = klaten.result.tables["villages"]
    assert areas.height == 26
    assert areas["population"].sum() == villages["population"].sum()
    desil1 = scored.filter(pl.col("welfare_decile") == 1)["size"].sum()
    assert (areas["desil1_share"] * areas["population"]).sum() == pytest.approx(desil1)
    expected = (scored["p_national"] * scored["size"]).sum()
    assert (areas["pmt_rate"] * areas["population"]).sum() == pytest.approx(expected)
    for column in ("urban", "loci", "no_toilet_share", "desil1_share", "pmt_rate"):
        assert areas[column].is_between(0.0, 1.0).all(), column


@pytest.mark.parametrize(("level", "kind"), [("desa", "national"), ("kecamatan", "national"),
                                             ("desa", "extreme")])  # fmt: skip
def test_eblup_beats_the_direct_estimate_against_the_truth(
    klaten: WithTruth, level: str, kind: str
) -> None:
    line = NATIONAL if kind == "national" else EXTREME
    areas, _ = _areas(klaten, level, kind)
    result = small_area_estimates(klaten.result.tables["survey"], areas, level=level, line=line)
    estimates = result.estimates
    assert estimates.height == areas.height  # every area gets an estimate
    sampled = estimates.filter(pl.col("sampled"))
    truth = klaten.truth_rates(level, line)
    direct_mse = mse_against_truth(sampled, truth, column="direct")
    eblup_mse = mse_against_truth(sampled, truth, column="eblup")
    assert eblup_mse < direct_mse, (eblup_mse, direct_mse)
    # areas without sample get the synthetic estimate, and the model says how uncertain it is
    unsampled = estimates.filter(~pl.col("sampled"))
    assert (unsampled["estimator"] == "synthetic").all()
    assert (unsampled["eblup"] == unsampled["synthetic"]).all()
    assert unsampled["rmse"].null_count() == 0 and (unsampled["rmse"] > 0).all()


def test_estimates_are_clipped_counted_and_use_the_gvf(klaten: WithTruth) -> None:
    areas, _ = _areas(klaten, "desa", "extreme")
    result = small_area_estimates(klaten.result.tables["survey"], areas, level="desa", line=EXTREME)
    e = result.estimates
    assert e["eblup"].is_between(0.0, 100.0).all()
    assert e["poor"].to_numpy() == pytest.approx(
        e["eblup"].to_numpy() / 100 * e["population"].to_numpy()
    )
    sampled = e.filter(pl.col("sampled"))
    # ψ_d = κ / n_d for every sampled area (×100 on the SE scale)
    kappa_back = (sampled["psi_se"] / 100) ** 2 * sampled["n_households"]
    assert kappa_back.to_numpy() == pytest.approx(result.kappa)
    assert result.kappa > 0
    assert 1 <= len(result.covariates) <= 6
    assert result.fit is not None and result.fit.converged
    cv = e.filter(pl.col("eblup") > 0)
    assert cv["cv_pct"].to_numpy() == pytest.approx(
        100 * cv["rmse"].to_numpy() / cv["eblup"].to_numpy()
    )


def test_direct_variance_option_and_errors(klaten: WithTruth) -> None:
    survey = klaten.result.tables["survey"]
    areas, _ = _areas(klaten, "kecamatan", "national")
    direct = small_area_estimates(
        survey, areas, level="kecamatan", line=NATIONAL, variance="direct"
    )
    assert direct.estimates.height == 26
    with pytest.raises(ValueError, match="gvf"):
        small_area_estimates(survey, areas, level="kecamatan", line=NATIONAL, variance="raw")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no sampling variation"):
        small_area_estimates(survey, areas, level="kecamatan", line=1.0)
