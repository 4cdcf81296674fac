"""Any regency works: scaled by its population, with generic kecamatan shares and pseudo-loci."""

from __future__ import annotations

import polars as pl

from tuntas.reference import descendants, region
from tuntas.synth import SynthResult
from tuntas.tables.schemas import TABLES


def test_sukoharjo(sukoharjo_small: SynthResult) -> None:
    r = sukoharjo_small
    for name, frame in r.tables.items():
        assert frame.columns == TABLES[name].names
    desa = set(descendants("33.11", level="desa_kelurahan")["code"].to_list())
    assert set(r.tables["households"]["region_code"].to_list()) <= desa
    assert set(r.tables["villages"]["region_code"].to_list()) == desa
    ratio = region("33.11").population / region("33.10").population
    assert abs(r.tables["households"].height - 198696 * ratio * 0.02) <= 2
    assert abs(r.tables["persons"].height - 716009 * ratio * 0.02) <= 2
    assert r.tables["persons"]["nik"].str.starts_with("3311").mean() > 0.95
    assert r.tables["villages"]["loci_2022"].sum() > 0
    assert r.tables["enterprises"]["cluster"].drop_nulls().len() == 0  # no published clusters
    # the Jawa Tengah line applies where the regency has none of its own
    assert r.manifest["lines"]["national"]["region"] == "33"
    assert r.calibration.filter(pl.col("target").str.starts_with("families desil"))["ok"].all()
