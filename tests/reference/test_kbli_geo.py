"""KBLI 2020 levels (Peraturan BPS 2/2020) and shipped boundaries."""

import pytest

from tuntas.reference import (
    boundaries,
    category_of,
    centroids,
    descendants,
    haversine_km,
    is_kbli,
    kbli_ancestors,
    kbli_children,
    kbli_item,
    kbli_level,
)


def test_kbli_has_all_five_levels() -> None:
    # Peraturan BPS No. 2 Tahun 2020: 21 kategori, 88 golongan pokok, 245 golongan, 567 subgolongan;
    # the shipped transcription has 1,791 kelompok (the regulation lists 1,790; see SOURCES.md).
    counts = {level: kbli_level(level).height for level in range(1, 6)}
    assert counts == {1: 21, 2: 88, 3: 245, 4: 567, 5: 1791}


def test_kbli_lookups_keep_leading_zeros() -> None:
    assert kbli_item("01121").title == "Pertanian Padi Hibrida"
    assert category_of("01121") == "A"
    assert [i.code for i in kbli_ancestors("24310")] == ["C", "24", "243", "2431"]
    assert set(kbli_children("243")["code"]) == {"2431", "2432"}
    assert kbli_children("A").height == 3  # 01, 02, 03
    assert is_kbli("63122") and not is_kbli("99999")


def test_unknown_kbli_names_code() -> None:
    with pytest.raises(KeyError, match="99999"):
        kbli_item("99999")


def test_boundaries_cover_what_is_shipped() -> None:
    assert len(boundaries("provinsi")["features"]) == 38
    assert len(boundaries("kabupaten_kota")["features"]) == 514
    klaten_desa = {
        f["properties"]["kode"] for f in boundaries("desa_kelurahan", within="33.10")["features"]
    }
    assert klaten_desa == set(descendants("33.10", level="desa_kelurahan")["code"])
    assert centroids("kecamatan", within="33").height == 576


def test_klaten_centroids_lie_in_klaten_extent() -> None:
    # Extent from shared/data/SOURCES.md: lng 110.445-110.800, lat -7.809 to -7.539.
    frame = centroids("desa_kelurahan", within="33.10")
    assert frame["lon"].min() >= 110.445 and frame["lon"].max() <= 110.800
    assert frame["lat"].min() >= -7.809 and frame["lat"].max() <= -7.539


def test_haversine_matches_hand_computation() -> None:
    # One degree of latitude on a sphere of radius 6371.0088 km is 2πR/360 = 111.195 km.
    assert haversine_km(0.0, 110.0, 1.0, 110.0) == pytest.approx(111.195, abs=1e-3)
