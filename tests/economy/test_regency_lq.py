"""The regency's location quotient against the reference economy (issue 4 item 1)."""

from __future__ import annotations

import polars as pl
import pytest

from tuntas.economy.opportunity import analyse_sectors
from tuntas.synth import synthesize


def test_regency_lq_identity_and_source() -> None:
    tables = synthesize("33.10", seed=1, scale=0.02).tables
    result = analyse_sectors(tables, region="33.10", level="kecamatan")
    lq = result.regency_lq()
    assert lq is not None and lq.height == 17
    # Σᵢ (Eᵢ/E)·LQᵢ = Σᵢ eᵢ/e = 1 for any region (the reference-share-weighted mean LQ is one).
    weighted = (lq["reference_workers"] / lq["reference_workers"].sum() * lq["lq"]).sum()
    assert weighted == pytest.approx(1.0)
    # LQᵢ = (eᵢ/e)/(Eᵢ/E) by hand for manufacturing (BPS industry 3).
    row = lq.filter(pl.col("bps17_code") == "3").row(0, named=True)
    expected = (row["region_workers"] / lq["region_workers"].sum()) / (
        row["reference_workers"] / lq["reference_workers"].sum()
    )
    assert row["lq"] == pytest.approx(expected)
    assert lq["reference_source"][0].startswith("BPS, Sakernas Agustus 2020")
    assert result.to_dict()["regency_vs_reference"][2]["bps17_code"] == "3"
