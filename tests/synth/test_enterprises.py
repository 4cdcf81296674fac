"""Enterprises: valid codes, two consistent snapshots, clusters where they really are, PP 7/2021."""

from __future__ import annotations

import datetime as dt

import polars as pl

from tuntas.reference import descendants, kbli_table
from tuntas.synth import SynthResult
from tuntas.synth.enterprises import size_class


def test_kbli_codes_exist_at_five_digits(klaten_small: SynthResult) -> None:
    codes = set(kbli_table().filter(pl.col("level") == 5)["code"].to_list())
    assert set(klaten_small.tables["enterprises"]["kbli"].to_list()) <= codes


def test_nib_is_13_digits_and_belongs_to_one_enterprise(klaten_small: SynthResult) -> None:
    e = klaten_small.tables["enterprises"]
    nib = e["nib"].drop_nulls()
    assert nib.str.contains(r"^[19]\d{12}$").all()
    owners = (
        e.filter(pl.col("nib").is_not_null())
        .group_by("nib")
        .agg(pl.col("enterprise_id").n_unique())
    )
    assert (owners["enterprise_id"] == 1).all()
    # many micro enterprises have none
    assert 0.2 < e.filter(pl.col("year") == 2023)["nib"].is_not_null().mean() < 0.7


def test_two_snapshots_with_stable_ids(klaten_small: SynthResult) -> None:
    e = klaten_small.tables["enterprises"]
    assert sorted(e["year"].unique().to_list()) == [2023, 2024]
    y23 = set(e.filter(pl.col("year") == 2023)["enterprise_id"].to_list())
    y24 = set(e.filter(pl.col("year") == 2024)["enterprise_id"].to_list())
    survivors, deaths, births = y23 & y24, y23 - y24, y24 - y23
    assert len(survivors) > 0.85 * len(y23)
    assert deaths and births
    fixed = ["name", "legal_form", "kbli", "region_code", "established", "lat", "lon"]
    both = e.filter(pl.col("enterprise_id").is_in(sorted(survivors)))
    changed = both.group_by("enterprise_id").agg([pl.col(c).n_unique() for c in fixed])
    for column in fixed:
        assert (changed[column] == 1).all(), column
    assert (e["established"] <= dt.date(2024, 6, 30)).all()
    born = e.filter(pl.col("enterprise_id").is_in(sorted(births)))
    assert (born["established"] > dt.date(2023, 6, 30)).all()


def test_cooperative_and_bumdes_in_every_desa(klaten_small: SynthResult) -> None:
    desa = descendants("33.10", level="desa_kelurahan")
    for year in (2023, 2024):
        e = klaten_small.tables["enterprises"].filter(pl.col("year") == year)
        coops = e.filter(pl.col("is_cooperative"))
        assert (coops["legal_form"] == "koperasi").all()
        assert coops["members"].min() > 0
        assert set(coops["region_code"].to_list()) == set(desa["code"].to_list())
        bumdes = e.filter(pl.col("legal_form") == "bumdes")
        rural = desa.filter(pl.col("kind") != "kelurahan")["code"].to_list()
        assert sorted(bumdes["region_code"].to_list()) == sorted(rural)
    ponggok = e.filter(pl.col("region_code") == "33.10.17.2011")
    assert "BUMDes Tirta Mandiri" in ponggok["name"].to_list()


def test_clusters_are_where_the_sources_put_them(klaten_small: SynthResult) -> None:
    e = klaten_small.tables["enterprises"].filter(pl.col("year") == 2023)
    expected = {
        "33.10.03.2006": "23932",  # gerabah Melikan, Wedi
        "33.10.11.2015": "24310",  # pengecoran logam Batur, Tegalrejo, Ceper
        "33.10.05.2016": "13121",  # lurik Tlingsing, Cawas
        "33.10.04.2004": "13134",  # batik Jarum, Bayat
        "33.10.17.2011": "93221",  # Umbul Ponggok, Polanharjo
    }
    for code, kbli in expected.items():
        local = e.filter((pl.col("region_code") == code) & (pl.col("kbli") == kbli))
        assert local.height >= 1, code
        assert local["cluster"].is_not_null().any(), code
    genteng = e.filter(pl.col("kbli") == "23922")
    assert genteng.height and genteng["region_code"].str.starts_with("33.10.05.").all()


def test_sizes_and_wages_follow_pp_7_2021_and_umk(klaten_small: SynthResult) -> None:
    e = klaten_small.tables["enterprises"].filter(pl.col("year") == 2024)
    classes = size_class(e["turnover_year"].to_numpy(), e["assets"].to_numpy())
    umkm = ~e["legal_form"].is_in(["koperasi", "bumdes"]).to_numpy()
    assert (classes[umkm] == "mikro").mean() > 0.95
    micro = e.filter(pl.Series(classes == "mikro") & pl.col("wage_month").is_not_null())
    assert (micro["wage_month"] < 2_244_012).mean() > 0.7  # UMK Klaten 2024
    # an owner working alone pays no wage
    assert (
        e.filter(pl.col("workers") == 1)["wage_month"].null_count()
        == e.filter(pl.col("workers") == 1).height
    )


def test_owners_link_to_registry_and_points_lie_in_klaten(klaten_small: SynthResult) -> None:
    e = klaten_small.tables["enterprises"]
    owners = e["owner_household_id"].drop_nulls()
    assert owners.len() > 0
    assert owners.is_in(klaten_small.tables["households"]["household_id"].implode()).all()
    linked = e.filter(pl.col("owner_household_id").is_not_null()).join(
        klaten_small.tables["households"].select(
            "household_id", pl.col("region_code").alias("home")
        ),
        left_on="owner_household_id",
        right_on="household_id",
    )
    assert (linked["home"] == linked["region_code"]).all()
    assert e["lat"].is_between(-7.9, -7.5).all() and e["lon"].is_between(110.4, 110.8).all()
    farming = e["kbli"].str.slice(0, 2).is_in(["01", "02", "03"])
    assert (e.filter(farming)["kur_accesses"] <= 4).all()
    assert (e.filter(~farming)["kur_accesses"] <= 2).all()  # KUR mikro limit, Permenko 1/2023
