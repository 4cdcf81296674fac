"""The survey is a proper two-stage sample; village totals add up to the regency."""

from __future__ import annotations

import polars as pl

from tuntas.synth import SynthResult


def test_survey_design(klaten_small: SynthResult) -> None:
    s = klaten_small.tables["survey"]
    households = int(klaten_small.tables["villages"]["households"].sum())
    assert abs(s["weight"].sum() - households) < 1e-6 * households
    per_psu = s.group_by("psu").agg(pl.len(), pl.col("stratum").n_unique())
    assert (per_psu["len"] <= 10).all() and (per_psu["stratum"] == 1).all()
    assert s["psu"].n_unique() >= 40
    assert (s["psu"] == s["region_code"].str.replace_all(".", "", literal=True)).all()
    assert (s["consumption_pc"] > 0).all()
    assert set(s["stratum"].str.slice(3).unique().to_list()) == {"perkotaan", "perdesaan"}


def test_villages_add_up(klaten_small: SynthResult) -> None:
    v = klaten_small.tables["villages"]
    assert v.height == 401
    assert int(v["population"].sum()) == round(1302648 * 0.02)
    registry = (
        klaten_small.tables["households"]
        .group_by("region_code")
        .agg(pl.len().alias("reg_hh"), pl.col("size").sum().alias("reg_persons"))
    )
    joined = v.join(registry, on="region_code", how="left").fill_null(0)
    assert (joined["households"] >= joined["reg_hh"]).all()
    assert (joined["population"] >= joined["reg_persons"]).all()
    assert v.filter(pl.col("loci_2022")).height == 25 and v.filter(pl.col("loci_2023")).height == 80
    kelurahan = v.filter(pl.col("region_code").str.slice(9, 1) == "1")
    assert kelurahan["village_fund"].null_count() == kelurahan.height
    assert kelurahan["urban"].all()
    assert (v["cooperatives"] >= 1).all()
    assert v["area_km2"].min() > 0 and v["distance_to_regency_km"].max() < 40
