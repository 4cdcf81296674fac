"""NIKs follow DESIGN §7, are unique, and disagree with the record only at the documented rates."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from tuntas.reference import exists
from tuntas.synth import SynthResult
from tuntas.synth.nik import (
    DATE_MISMATCH_SHARE,
    MOVED_HOUSEHOLD_SHARE,
    build_nik,
    nik_parts,
    parse_nik,
)


def _parts(klaten_small: SynthResult) -> pl.DataFrame:
    persons = klaten_small.tables["persons"]
    households = klaten_small.tables["households"].select("household_id", "region_code")
    return persons.join(households, on="household_id").with_columns(nik_parts(pl.col("nik")))


def test_structure(klaten_small: SynthResult) -> None:
    nik = klaten_small.tables["persons"]["nik"]
    assert nik.str.contains(r"^\d{16}$").all()
    assert (nik.str.slice(12, 4) != "0000").all()
    day = nik.str.slice(6, 2).cast(pl.Int64)
    assert (day.is_between(1, 31) | day.is_between(41, 71)).all()
    assert nik.str.slice(8, 2).cast(pl.Int64).is_between(1, 12).all()
    for value in nik.sample(200, seed=0).to_list():
        code, born, _ = parse_nik(value)  # raises on an impossible date
        assert exists(code, level="kecamatan")
        assert born <= dt.date(2023, 7, 1)


def test_unique(klaten_small: SynthResult) -> None:
    nik = klaten_small.tables["persons"]["nik"]
    assert nik.n_unique() == nik.len()
    heads = klaten_small.tables["households"]["head_nik"]
    assert heads.n_unique() == heads.len()


def test_sex_always_matches(klaten_small: SynthResult) -> None:
    parts = _parts(klaten_small)
    assert (parts["nik_sex"] == parts["sex"]).all()


def test_region_mismatch_only_for_moved_households(klaten_small: SynthResult) -> None:
    parts = _parts(klaten_small)
    moved = parts.group_by("household_id").agg(
        (pl.col("nik_kecamatan") != pl.col("region_code").str.slice(0, 8)).all().alias("all"),
        (pl.col("nik_kecamatan") != pl.col("region_code").str.slice(0, 8)).any().alias("any"),
    )
    # a household moves as a whole: all members or none
    assert (moved["all"] == moved["any"]).all()
    share = moved["all"].mean()
    assert 0.25 * MOVED_HOUSEHOLD_SHARE <= share <= 2.5 * MOVED_HOUSEHOLD_SHARE


def test_birth_date_mismatch_rate(klaten_small: SynthResult) -> None:
    parts = _parts(klaten_small)
    born = parts["birth_date"]
    agree = (
        (parts["nik_day"] == born.dt.day())
        & (parts["nik_month"] == born.dt.month())
        & (parts["nik_yy"] == born.dt.year() % 100)
    )
    share = 1.0 - agree.mean()
    assert 0 < share <= 3 * DATE_MISMATCH_SHARE


def test_build_nik_women_add_40_and_serials_never_zero() -> None:
    rng = np.random.default_rng(5)
    births = np.array(["2001-02-03"] * 50, dtype="datetime64[D]")
    nik = build_nik(np.array(["331003"] * 50), births, np.ones(50, dtype=bool), rng)
    assert {n[:12] for n in nik} == {"331003430201"}
    assert len(set(nik)) == 50
    assert all(n[12:] != "0000" for n in nik)


@pytest.mark.parametrize("bad", ["331003070580000", "3310030705800000", "33100313058012345"])
def test_parse_rejects_malformed(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_nik(bad)
