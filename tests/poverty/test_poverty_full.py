"""Full-scale synthetic Klaten (seed 1): the regency row reproduces BPS's March 2024 figures, every
kecamatan has estimates, and the small-area model beats the direct estimates against the truth.

Generated once for this module (≈10 s). The published figures are those of
tests/synth/test_calibration_full.py: BPS Kabupaten Klaten, March 2024 — P0 12.04 %, P1 1.46,
P2 0.27 at Rp 505,826 per capita per month (Kompas TV 20/9/2024; detikJateng 19/9/2024). The
tolerances are that test's (the synthetic survey is calibrated to them).
"""

from __future__ import annotations

import polars as pl
import pytest

from tests.poverty.conftest import WithTruth, synthesize_with_truth
from tuntas.poverty.analysis import PovertyReport, poverty_analysis
from tuntas.poverty.small_area import mse_against_truth

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def full() -> WithTruth:
    return synthesize_with_truth(1.0)


@pytest.fixture(scope="module")
def report(full: WithTruth) -> PovertyReport:
    return poverty_analysis(
        full.result.tables,
        region="33.10",
        level="kecamatan",
        year=2024,
        synthetic=True,
        truth=full.result.truth,
    )


def test_regency_row_reproduces_bps_march_2024(report: PovertyReport) -> None:
    row = report.regency
    assert report.line.rupiah == 505826.0
    assert abs(row["p0"] - 12.04) <= 0.3
    assert abs(row["p1"] - 1.46) <= 0.15
    assert abs(row["p2"] - 0.27) <= 0.1
    # BPS publishes a regency P0 with an SE of about 0.8 points; a 1,200-household design gives ~1
    assert 0.5 <= row["se_p0"] <= 1.5
    assert row["n_households"] == 1200


def test_every_kecamatan_has_estimates(report: PovertyReport) -> None:
    rows = report.levels
    assert rows.height == 26
    for column in ("p0", "se_p0", "p1", "se_p1", "p2", "se_p2", "poor"):
        assert rows[column].null_count() == 0, column
    # the kecamatan poor add up to roughly the regency's (EBLUPs are not benchmarked)
    assert rows["poor"].sum() == pytest.approx(report.regency["poor"], rel=0.15)


@pytest.mark.parametrize("level", ["kecamatan", "desa"])
@pytest.mark.parametrize("kind", ["national", "extreme"])
def test_eblup_beats_direct_against_the_population_truth(
    full: WithTruth, report: PovertyReport, level: str, kind: str
) -> None:
    line = report.lines[kind].rupiah
    estimates = report.small_area.filter(
        (pl.col("level") == level) & (pl.col("line_kind") == kind)
    ).rename({"region_code": "area"})
    truth = full.truth_rates(level, line)
    sampled = estimates.filter(pl.col("sampled"))
    assert mse_against_truth(sampled, truth, column="eblup") < mse_against_truth(
        sampled, truth, column="direct"
    )
    # the total of poor people is within 15% of the population truth
    joined = estimates.join(truth, on="area")
    true_poor = (joined["truth"] / 100 * joined["persons"]).sum()
    assert estimates["poor"].sum() == pytest.approx(true_poor, rel=0.15)


def test_targeting_accuracy_is_reported(report: PovertyReport) -> None:
    assert report.accuracy is not None
    rows = {r["rule"]: r for r in report.accuracy.to_dicts()}
    # desil 1 covers most truly extreme-poor registry families, with large inclusion error
    assert rows["desil 1"]["coverage"] > 0.7
    assert rows["candidate list"]["coverage"] >= rows["desil 1"]["coverage"]
    assert report.targeting["r2"] > 0.4
