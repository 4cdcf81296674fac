"""The demo's regional IO table (BPS 2020 + FLQ) and the multiplier effect of new jobs."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from tuntas.economy.effects import effect_summary, sector_effect, table_sector
from tuntas.economy.iotable import balance_check, read_bps_2020_17, table_from_arrays
from tuntas.economy.multipliers import multiplier_effect, multiplier_table
from tuntas.economy.regional_table import (
    closure_income,
    national_employment,
    regency_employment,
    regional_io_table,
)
from tuntas.params import baseline


def test_national_employment_matches_the_bps_release() -> None:
    """BPS, 5 Nov 2020: 128.45 million employed; agriculture 29.76 %, trade 19.23 %, manufacturing
    13.61 % (Antara). The stored 17 values must reproduce these headline figures."""
    workers, citation = national_employment()
    assert workers.sum() == 128_454_184
    assert round(workers.sum() / 1e6, 2) == 128.45
    shares = workers / workers.sum() * 100
    assert round(shares[0], 2) == 29.76
    assert round(shares[6], 2) == 19.23
    assert round(shares[2], 2) == 13.61
    assert "Sakernas Agustus 2020" in citation
    value = baseline().get("economy.regional_table.national_employment", date="2020-08-01")
    assert value.status == "published" and "secondary copy" in value.note.lower()


def enterprises() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "year": [2023, 2024, 2024, 2024],
            "kbli": ["47112", "10792", "47112", "M"],
            "workers": [999, 300, 100, 50],
        }
    )


def registry() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "activity": ["working"] * 8 + ["seeking"] * 2 + [None] * 10,
            "sector": ["A"] * 6 + ["C"] * 2 + [None] * 12,
        }
    )


def test_regency_employment_enterprises_only_uses_latest_snapshot() -> None:
    estimate = regency_employment(enterprises=enterprises(), basis="enterprises")
    assert estimate.workers[[2, 6, 12]].tolist() == [300.0, 100.0, 50.0]
    assert estimate.workers.sum() == 450
    assert "under-represent large firms, agriculture and government" in estimate.source


def test_regency_employment_registry_is_scaled_to_population() -> None:
    estimate = regency_employment(persons=registry(), population=200, basis="registry")
    # 20 registry persons, population 200: × 10
    assert estimate.workers[[0, 2]].tolist() == [60.0, 20.0]
    assert "×10.000" in estimate.source


def test_regency_employment_combined_by_hand() -> None:
    """Enterprise shares: C 300/450, G 100/450, M(13) 50/450; registry shares A 0.75, C 0.25.
    Combined (w = 0.5) × registry total 80."""
    estimate = regency_employment(enterprises=enterprises(), persons=registry(), population=200)
    expected = np.zeros(17)
    expected[0] = 0.5 * 0.75
    expected[2] = 0.5 * 300 / 450 + 0.5 * 0.25
    expected[6] = 0.5 * 100 / 450
    expected[12] = 0.5 * 50 / 450
    assert estimate.workers == pytest.approx(expected * 80)
    assert estimate.basis == "combined"
    assert estimate.by_industry.columns == [
        "bps17_code",
        "industry",
        "enterprises",
        "registry",
        "workers",
    ]
    heavier = regency_employment(
        enterprises=enterprises(), persons=registry(), population=200, enterprise_weight=1.0
    )
    assert heavier.workers[0] == 0


def test_combined_falls_back_when_a_source_is_missing() -> None:
    estimate = regency_employment(persons=registry(), population=200)
    assert estimate.basis == "registry"
    assert any("instead of combined" in note for note in estimate.notes)
    with pytest.raises(ValueError, match="needs enterprise data"):
        regency_employment(persons=registry(), basis="enterprises")


def test_regional_table_is_balanced_and_names_everything() -> None:
    estimate = regency_employment(enterprises=enterprises(), persons=registry(), population=200)
    table = regional_io_table(estimate, region="Kab. Contoh", delta=0.3)
    assert balance_check(table).balanced
    assert table.name.startswith("Kab. Contoh (FLQ δ=0.3) from Tabel Input-Output Indonesia 2020")
    notes = " ".join(table.notes)
    assert "Sumber: Badan Pusat Statistik (BPS)" in notes
    assert "Sakernas Agustus 2020" in notes
    assert "combined" in notes
    assert "δ = 0.3" in notes
    # employment coefficients are the national ones where the region has workers
    national = read_bps_2020_17()
    workers, _ = national_employment()
    present = table.employment > 0
    regional = table.employment[present] / table.x[present]
    assert regional == pytest.approx((workers / national.x)[present])


def test_regional_table_needs_seventeen_sectors() -> None:
    estimate = regency_employment(enterprises=enterprises(), basis="enterprises")
    two = table_from_arrays([[1, 2], [3, 4]], [10, 20], employment=[5, 5])
    with pytest.raises(ValueError, match="17 BPS industries"):
        regional_io_table(estimate, region="X", table=two)


def test_value_added_closure_is_conservative() -> None:
    table = read_bps_2020_17()
    income, note = closure_income(table)
    assert income == pytest.approx(5_810_802_524 + 9_140_294_724, rel=1e-6)
    assert "value added" in note
    assert closure_income(table, "labour_income")[0] is None
    open_ii = multiplier_table(table)["output_multiplier_type_ii"]
    conservative = multiplier_table(table, household_income=income)["output_multiplier_type_ii"]
    assert (conservative < open_ii).all()


def test_table_sector_maps_kbli_codes() -> None:
    bps = read_bps_2020_17(language="en")
    assert table_sector(bps, "24310") == "Manufacturing"
    assert table_sector(bps, "N") == "Business services"
    assert table_sector(bps, "93221") == "Other services"
    with pytest.raises(ValueError, match="neither a sector"):
        table_sector(bps, "99999")


def test_sector_effect_equals_multiplier_effect_on_mapped_sectors() -> None:
    workers, citation = national_employment()
    bps = read_bps_2020_17(employment=workers, employment_source=citation)
    effect = sector_effect(bps, {"23932": 100, "24310": 50, "47112": 30}, kind="jobs")
    direct = multiplier_effect(
        bps, {bps.sectors[2]: 150, bps.sectors[6]: 30}, kind="jobs", closed=True
    )
    assert effect.totals.rows() == direct.totals.rows()
    jobs = effect.totals.filter(pl.col("measure") == "jobs").row(0, named=True)
    assert jobs["direct"] == pytest.approx(180)
    assert jobs["indirect"] > 0 and jobs["induced"] > 0
    assert jobs["total"] == pytest.approx(jobs["direct"] + jobs["indirect"] + jobs["induced"])
    assert any("23932 → Industri Pengolahan" in note for note in effect.notes)
    summary = effect_summary(effect)
    assert summary["totals"]["jobs"]["direct"] == pytest.approx(180)
    assert {row["sector"] for row in summary["by_sector"]} >= {bps.sectors[2], bps.sectors[6]}


def test_sector_effect_on_the_regional_table_by_hand() -> None:
    """One new manufacturing job is Δf = x₃/E₃ of output; its direct income is w₃·Δf."""
    estimate = regency_employment(enterprises=enterprises(), persons=registry(), population=200)
    table = regional_io_table(estimate, region="Kab. Contoh")
    effect = sector_effect(table, {"C": 1}, kind="jobs", closed=False)
    row = effect.by_sector.filter(pl.col("sector") == table.sectors[2]).row(0, named=True)
    output_per_worker = table.x[2] / table.employment[2]
    assert row["final_demand"] == pytest.approx(output_per_worker)
    assert row["income_direct"] == pytest.approx(
        table.labour_income[2] / table.x[2] * output_per_worker
    )
    assert effect.totals.filter(pl.col("measure") == "jobs")["induced"][0] == 0
