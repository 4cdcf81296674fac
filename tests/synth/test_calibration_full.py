"""Full-scale Klaten (seed 1): every published figure the generator is calibrated to, within tolerance.

Generated once for this module (≈10 s). Each test names the published source of its figure. FGT is
computed here by hand (Pα = Σ w·1[y<z]·((z−y)/z)^α / Σ w, person weights = household weight × size),
independently of the generator's own code.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from tuntas.params.loader import baseline
from tuntas.synth import SynthResult, synthesize
from tuntas.synth.enterprises import size_class
from tuntas.synth.regions import geography

pytestmark = pytest.mark.slow

LINE = 505826.0  # BPS Kabupaten Klaten, garis kemiskinan Maret 2024 (detikJateng 19/9/2024)


@pytest.fixture(scope="module")
def full() -> SynthResult:
    return synthesize("33.10", seed=1, scale=1.0)


def hand_fgt(y: np.ndarray, w: np.ndarray, z: float, alpha: int) -> float:
    total = 0.0
    for yi, wi in zip(y, w, strict=True):
        if yi < z:
            total += wi * ((z - yi) / z) ** alpha
    return 100.0 * total / float(w.sum())


def test_line_comes_from_the_parameters() -> None:
    assert (
        baseline().value("poverty_lines.national_line", region="33.10", date="2024-03-01") == LINE
    )


def test_p3ke_families_and_persons_by_desil(full: SynthResult) -> None:
    """P3KE Kemenko PMK, July 2023, via Solopos 29/7/2023 (exact)."""
    by = full.tables["households"].group_by("welfare_decile").agg(pl.len(), pl.col("size").sum())
    by = by.sort("welfare_decile")
    assert by["len"].to_list() == [45302, 60098, 47698, 45598]
    assert by["size"].to_list() == [189774, 224477, 161497, 140261]
    assert full.tables["households"].height == 198696
    assert full.tables["persons"].height == 716009


def test_p3ke_families_per_kecamatan(full: SynthResult) -> None:
    """P3KE Kemenko PMK early-2023 snapshot, via Solopos ('Trucuk nomor 1 …', exact)."""
    published = {
        "Trucuk": 12574,
        "Bayat": 11324,
        "Jatinom": 9988,
        "Wonosari": 9865,
        "Ceper": 9709,
        "Jogonalan": 9597,
        "Juwiring": 9260,
        "Tulung": 8120,
        "Manisrenggo": 7949,
        "Wedi": 7830,
    }
    names = dict(geography("33.10").kecamatan.select("name", "code").iter_rows())
    counts = dict(
        full.tables["households"]
        .group_by(pl.col("region_code").str.slice(0, 8))
        .agg(pl.len())
        .iter_rows()
    )
    for name, families in published.items():
        assert counts[names[name]] == families, name
    # the other 16 share the rest: no kecamatan is empty
    assert len(counts) == 26 and min(counts.values()) > 1000


def test_population_is_dukcapil(full: SynthResult) -> None:
    """Dukcapil Semester II 2024 (reference data): 1,302,648 people in Kabupaten Klaten."""
    assert int(full.tables["villages"]["population"].sum()) == 1302648
    assert full.manifest["population_truth"]["persons"] == 1302648


def test_survey_weighted_poverty(full: SynthResult) -> None:
    """BPS Kabupaten Klaten March 2024: P0 12.04%, P1 1.46, P2 0.27 (Kompas TV 20/9/2024)."""
    s = full.tables["survey"]
    y = s["consumption_pc"].to_numpy()
    w = (s["weight"] * s["size"]).to_numpy()
    assert abs(hand_fgt(y, w, LINE, 0) - 12.04) <= 0.3
    assert abs(hand_fgt(y, w, LINE, 1) - 1.46) <= 0.15
    assert abs(hand_fgt(y, w, LINE, 2) - 0.27) <= 0.1
    assert 1100 <= s.height <= 1300
    households = int(full.tables["villages"]["households"].sum())
    assert abs(s["weight"].sum() - households) <= 0.01 * households


def test_population_truth_is_reported_and_close(full: SynthResult) -> None:
    """The population truth differs from BPS only by the survey's sampling error (≈2 SE)."""
    truth = full.manifest["population_truth"]
    assert abs(truth["p0_percent"] - 12.04) <= 1.6
    row = full.calibration.filter(pl.col("target") == "P0 population truth (%)")
    assert row.height == 1 and row["ok"].item()


def test_extreme_poverty_level_and_concentration(full: SynthResult) -> None:
    """About 1–2% extreme poor (Jawa Tengah 1.97% in 2022, Kompas); line Rp 391,000 (BPS 2024)."""
    extreme_line = baseline().value("poverty_lines.extreme_line", date="2024-03-01")
    assert extreme_line == 391000
    rate = full.manifest["population_truth"]["extreme_percent"]
    assert 1.0 <= rate <= 2.0
    # concentration in the 2022 and 2023 loci (Solopos 2022, 2023): at least twice the rest,
    # measured on the registry's ground truth
    hh = full.tables["households"].join(full.truth, on="household_id")
    desa = geography("33.10").desa
    loci = desa.filter(pl.col("loci_2022") | pl.col("loci_2023"))["code"].implode()
    rates = hh.group_by(pl.col("region_code").is_in(loci).alias("loci")).agg(
        ((pl.col("poor_extreme") * pl.col("size")).sum() / pl.col("size").sum()).alias("rate")
    )
    r = dict(rates.iter_rows())
    assert r[True] >= 2 * r[False]


def test_extreme_poor_heads_farm_with_little_schooling(full: SynthResult) -> None:
    """BPS (Rakornas 9/11/2023, Bisnis.com): extreme-poor households are mostly farmers."""
    heads = full.tables["persons"].filter(pl.col("relationship") == "kepala_keluarga")
    poor = full.truth.filter(pl.col("poor_extreme")).join(heads, on="household_id")
    assert poor.height > 1000
    assert (poor["sector"] == "A").mean() >= 0.5
    known = poor.filter(pl.col("education").is_not_null())
    assert known["education"].is_in(["tidak_sekolah", "sd"]).mean() >= 0.7


def test_2022_verification(full: SynthResult) -> None:
    """Harian Jogja 31/7/2022: ~4,000 desil-1 families in the 25 loci verified down to 2,312."""
    hh = full.tables["households"]
    loci = geography("33.10").desa.filter(pl.col("loci_2022"))["code"].implode()
    d1 = hh.filter(pl.col("region_code").is_in(loci) & (pl.col("welfare_decile") == 1))
    assert abs(d1.height - 4000) <= 400
    verified = hh.filter(pl.col("verification_status") == "verified_extreme")
    assert abs(verified.height - 2312) <= 231
    assert verified["verification_date"].is_between(dt.date(2022, 1, 1), dt.date(2022, 7, 31)).all()
    # correlated with true extreme poverty, not identical
    t = d1.join(full.truth, on="household_id")
    share_v = t.filter(pl.col("verification_status") == "verified_extreme")["poor_extreme"].mean()
    share_n = t.filter(pl.col("verification_status") == "not_extreme")["poor_extreme"].mean()
    assert share_v > 2 * share_n
    assert share_v < 1.0


def test_enterprises(full: SynthResult) -> None:
    """About 50,000 per snapshot (issue 2); micro dominate (PP 7/2021); UMK 2024 Rp 2,244,012."""
    e = full.tables["enterprises"]
    for year in (2023, 2024):
        n = e.filter(pl.col("year") == year).height
        assert 45000 <= n <= 55000, year
    e24 = e.filter(pl.col("year") == 2024)
    umkm = e24.filter(~pl.col("legal_form").is_in(["koperasi", "bumdes"]))
    classes = size_class(umkm["turnover_year"].to_numpy(), umkm["assets"].to_numpy())
    assert (classes == "mikro").mean() >= 0.95
    umk = baseline().value("wages.umk", region="33.10", date="2024-06-30")
    micro_wages = umkm.filter(pl.Series(classes == "mikro"))["wage_month"].drop_nulls()
    assert (micro_wages < umk).mean() >= 0.7
    assert e24.filter(pl.col("is_cooperative"))["region_code"].n_unique() == 401
    assert e24.filter(pl.col("legal_form") == "bumdes")["region_code"].n_unique() == 391
    melikan = e24.filter((pl.col("region_code") == "33.10.03.2006") & (pl.col("kbli") == "23932"))
    assert melikan.height >= 150  # ~225 crafters, over 200 households (TribunSolo 10/5/2025)
    sajen = e24.filter((pl.col("region_code") == "33.10.06.2008") & (pl.col("kbli") == "31001"))
    assert sajen.height >= 450  # 572 woodworking units (Kompasiana 2024)


def test_pmt_r2_in_range(full: SynthResult) -> None:
    """A proxy-means test on the survey explains 30–60% of log consumption (brief)."""
    row = full.calibration.filter(pl.col("target").str.starts_with("PMT"))
    assert 0.3 <= row["achieved"].item() <= 0.6


def test_every_calibration_row_holds(full: SynthResult) -> None:
    failed = full.calibration.filter(~pl.col("ok"))
    assert failed.height == 0, failed.select("target", "target_value", "achieved").to_dicts()
    assert full.calibration["source"].str.len_chars().min() > 5
