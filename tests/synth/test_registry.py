"""Registry households and their members are internally consistent and realistic."""

from __future__ import annotations

import datetime as dt

import polars as pl

from tuntas.synth import SynthResult
from tuntas.synth.persons import REFERENCE_DATE
from tuntas.synth.regions import geography


def test_household_size_equals_member_count(klaten_small: SynthResult) -> None:
    members = klaten_small.tables["persons"].group_by("household_id").agg(pl.len().alias("n"))
    joined = klaten_small.tables["households"].join(members, on="household_id", how="left")
    assert (joined["size"] == joined["n"]).all()


def test_one_head_per_household_carrying_the_head_nik(klaten_small: SynthResult) -> None:
    persons = klaten_small.tables["persons"]
    heads = persons.filter(pl.col("relationship") == "kepala_keluarga")
    hh = klaten_small.tables["households"]
    assert heads.height == hh.height
    joined = hh.join(heads.select("household_id", "nik"), on="household_id")
    assert (joined["head_nik"] == joined["nik"]).all()


def test_ages_and_relationships_are_plausible(klaten_small: SynthResult) -> None:
    p = klaten_small.tables["persons"].with_columns(
        ((pl.lit(REFERENCE_DATE) - pl.col("birth_date")).dt.total_days() // 365.25).alias("age")
    )
    assert p["age"].min() >= 0 and p["age"].max() <= 100
    heads = p.filter(pl.col("relationship") == "kepala_keluarga").select(
        "household_id", pl.col("age").alias("head_age"), pl.col("sex").alias("head_sex")
    )
    q = p.join(heads, on="household_id")
    assert (q.filter(pl.col("relationship") == "kepala_keluarga")["age"] >= 18).all()
    kids = q.filter(pl.col("relationship") == "anak")
    assert (kids["age"] < kids["head_age"]).mean() > 0.99
    spouses = q.filter(pl.col("relationship") == "istri_suami")
    assert (spouses["sex"] != spouses["head_sex"]).all()
    assert (spouses["age"] >= 17).all()
    # schooling follows age: no one under 13 has finished primary school
    assert p.filter((pl.col("age") < 13) & (pl.col("education") != "tidak_sekolah")).height == 0
    # workers have a sector, others none
    assert p.filter((pl.col("activity") == "working") & pl.col("sector").is_null()).height == 0
    assert p.filter((pl.col("activity") != "working") & pl.col("sector").is_not_null()).height == 0
    assert (
        p.filter(pl.col("age") < 15)["max_commute_km"].null_count()
        == p.filter(pl.col("age") < 15).height
    )


def test_names_are_javanese_and_mostly_present(klaten_small: SynthResult) -> None:
    names = klaten_small.tables["persons"]["name"]
    assert 0.97 < 1 - names.null_count() / names.len() < 1.0
    assert names.drop_nulls().str.contains(r"^[A-Z][a-z]+( [A-Z][a-z]+)*$").all()


def test_skills_are_local(klaten_small: SynthResult) -> None:
    p = klaten_small.tables["persons"].join(
        klaten_small.tables["households"].select("household_id", "region_code"), on="household_id"
    )
    melikan = p.filter(pl.col("region_code") == "33.10.03.2006")
    assert melikan["skills"].str.contains("gerabah").any()
    farmers = p.filter(pl.col("sector") == "A")
    assert farmers["skills"].str.contains("bertani").all()


def test_verification_only_in_2022_loci_desil1(klaten_small: SynthResult) -> None:
    hh = klaten_small.tables["households"]
    loci = geography("33.10").desa.filter(pl.col("loci_2022"))["code"].to_list()
    decided = hh.filter(pl.col("verification_status").is_in(["verified_extreme", "not_extreme"]))
    assert decided.height > 0
    assert decided["region_code"].is_in(loci).all()
    assert (decided["welfare_decile"] == 1).all()
    assert decided["verification_date"].is_between(dt.date(2022, 1, 1), dt.date(2022, 12, 31)).all()
    assert decided["verification_minutes_ref"].str.contains(r"^BA/\d{3}/\d{10}/[IVX]+/2022$").all()
    assert decided["verified_by"].null_count() == 0
    assert decided["verification_reason"].null_count() == 0
    # every verified extreme-poor family receives PKH (Harian Jogja 31/7/2022)
    assert decided.filter(pl.col("verification_status") == "verified_extreme")["pkh"].all()
    others = hh.filter(~pl.col("household_id").is_in(decided["household_id"].implode()))
    assert set(others["verification_status"].drop_nulls().to_list()) == {"candidate"}
    assert (
        others.filter(pl.col("verification_status") == "candidate")["welfare_decile"] == 1
    ).all()


def test_consumption_mostly_unknown_like_p3ke(klaten_small: SynthResult) -> None:
    hh = klaten_small.tables["households"]
    assert hh["consumption_pc"].null_count() / hh.height > 0.9
    assert (hh["weight"] == 1.0).all() and (hh["decile_source"] == "P3KE-2023").all()


def test_indicators_follow_welfare(klaten_small: SynthResult) -> None:
    joined = klaten_small.tables["households"].join(klaten_small.truth, on="household_id")
    earth = joined.filter(pl.col("floor") == "tanah")["consumption_pc_true"].median()
    tiles = joined.filter(pl.col("floor") == "keramik")["consumption_pc_true"].median()
    assert earth < tiles
    pkh = joined.group_by("pkh").agg(pl.col("consumption_pc_true").median()).sort("pkh")
    assert pkh["consumption_pc_true"][1] < pkh["consumption_pc_true"][0]
