"""Sector opportunity score: normalisation, smoothed LQ, sector keys, composition and reasons."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import numpy as np
import polars as pl
import pytest

from tuntas.economy.opportunity import (
    COMPONENTS,
    Settings,
    analyse_sectors,
    cluster_kblis,
    normalise,
    normalised,
    specialisation,
    with_sector_keys,
)
from tuntas.economy.specialisation import location_quotient
from tuntas.params import baseline

MELIKAN = "33.10.03.2006"
BRANGKAL = "33.10.03.2008"
REASON = re.compile(
    r"^.+?( \(sentra\))?: LQ \d+\.\d, \d+ usaha, \d+ pencari kerja miskin ekstrem dalam \d+(\.\d+)? km$"
)


# ---------------------------------------------------------------------------------------------
# Normalisation by hand


def test_rank_percentile_over_distinct_values() -> None:
    # distinct 0 < 2 < 5 < 9: dense ranks 1 1 2 3 3 4 → (r − 1)/3
    assert normalise([0, 0, 2, 5, 5, 9]).tolist() == pytest.approx([0, 0, 1 / 3, 2 / 3, 2 / 3, 1])
    # order does not matter, missing gets 0
    assert normalise([9, None, 2, np.nan, 0]).tolist() == pytest.approx([1, 0, 0.5, 0, 0])
    # negative values are ranked like any other
    assert normalise([-2.0, 0.0, 2.0]).tolist() == pytest.approx([0, 0.5, 1])


def test_min_max() -> None:
    assert normalise([0, 2, 10], method="min_max").tolist() == pytest.approx([0, 0.2, 1])
    assert normalise([5, None, 15], method="min_max").tolist() == pytest.approx([0, 0, 1])


def test_no_variation_gives_points_only_to_positive_values() -> None:
    assert normalise([4, 4]).tolist() == [1.0, 1.0]
    assert normalise([0, 0]).tolist() == [0.0, 0.0]
    assert normalise([0, 0], method="min_max").tolist() == [0.0, 0.0]


def test_normalised_within_groups() -> None:
    frame = pl.DataFrame({"sector": ["a", "a", "a", "b", "b"], "v": [10, 20, 30, 1000, 0]})
    grouped = frame.select(normalised("v", over="sector")).to_series().to_list()
    assert grouped == pytest.approx([0, 0.5, 1, 1, 0])
    pooled = frame.select(normalised("v")).to_series().to_list()
    assert pooled == pytest.approx([0.25, 0.5, 0.75, 1, 0])


def test_unknown_method_is_an_error() -> None:
    with pytest.raises(ValueError, match="method"):
        normalise([1, 2], method="zscore")


# ---------------------------------------------------------------------------------------------
# Sector keys and specialisation wiring


def test_sector_key_separates_pottery_from_other_manufacturing() -> None:
    frame = pl.DataFrame({"kbli": ["23932", "23121", "23932", "24310", "C", "47112"]})
    keyed = with_sector_keys(frame, clusters=["23932"])
    assert keyed["sector"].to_list() == ["23932", "23", "23932", "24", "C", "47"]


def test_cluster_kblis_declared_and_detected() -> None:
    rows = [("D1", "23932", 3, None)] * 12 + [("D2", "47112", 2, None)] * 50
    rows += [("D3", "13134", 1, "Batik Bayat")]
    frame = pl.DataFrame(
        rows, schema=["region_code", "kbli", "workers", "cluster"], orient="row"
    ).with_columns(pl.lit(2024).alias("year"))
    assert cluster_kblis(frame) == ("13134", "23932")
    assert cluster_kblis(frame, lq_min=100) == ("13134",)


def snapshots() -> pl.DataFrame:
    """Wedi: Melikan 12 potters (2 workers, declared sentra) + 1 warung; Brangkal 3 warung (2 workers).

    2024 adds a fourth warung in Brangkal.
    """
    rows = [(MELIKAN, "23932", 2, "Gerabah Melikan")] * 12 + [(MELIKAN, "47112", 1, None)]
    rows += [(BRANGKAL, "47112", 2, None)] * 3
    records = []
    for year, extra in ((2023, []), (2024, [(BRANGKAL, "47112", 2, None)])):
        for i, (code, kbli, workers, cluster) in enumerate(rows + extra):
            records.append((f"E{i}", year, code, kbli, workers, 5e7, False, "perorangan", cluster))
    return pl.DataFrame(
        records,
        schema=[
            "enterprise_id",
            "year",
            "region_code",
            "kbli",
            "workers",
            "turnover_year",
            "is_cooperative",
            "legal_form",
            "cluster",
        ],
        orient="row",
    )


def test_specialisation_by_category_and_division_matches_location_quotient() -> None:
    frame = snapshots()
    by_category = specialisation(frame, level="desa", by="category")
    assert by_category.base_year == 2023 and by_category.final_year == 2024
    final = frame.filter(pl.col("year") == 2024).with_columns(
        pl.col("kbli").str.slice(0, 2).alias("division")
    )
    direct = location_quotient(final, region="region_code", sector="division", value="workers")
    by_division = specialisation(frame, level="desa", by="division")
    assert by_division.location_quotients["lq"].to_list() == pytest.approx(direct["lq"].to_list())
    # turnover: each enterprise Rp 50 juta; Melikan 13 of 17 enterprises
    turnover = specialisation(frame, level="kecamatan", by="division", measure="turnover_year")
    assert turnover.location_quotients["area"].unique().to_list() == ["33.10.03"]
    # shift-share 2023 → 2024: Brangkal retail 6 → 8 workers, region 31 → 33
    shifts = by_division.shift_share
    assert shifts is not None
    pandes = shifts.filter(pl.col("area") == BRANGKAL).row(0, named=True)
    assert (pandes["base"], pandes["final"], pandes["change"]) == (6.0, 8.0, 2.0)
    # g_s (retail) = 9/7 − 1; RS = 2 − 6·(2/7)
    assert pandes["regional_shift"] == pytest.approx(2 - 6 * 2 / 7)


def test_clusters_detected_by_kecamatan_with_thresholds() -> None:
    result = specialisation(snapshots(), level="desa", by="sector", min_enterprises=12, lq_min=1)
    flagged = result.clusters.filter(pl.col("cluster")).select("area", "sector").rows()
    assert flagged == [(MELIKAN, "23932")]


# ---------------------------------------------------------------------------------------------
# The score on a small region


@pytest.fixture(scope="module")
def small() -> object:
    households = pl.DataFrame(
        {
            "household_id": ["h1", "h2"],
            "region_code": [MELIKAN, BRANGKAL],
            "welfare_decile": [1, 1],
            "verification_status": ["verified_extreme", "candidate"],
        }
    )
    persons = pl.DataFrame(
        {
            "household_id": ["h1", "h1", "h2"],
            "birth_date": [dt.date(1985, 1, 1)] * 3,
            "education": ["sd", "smp", "sd"],
            "activity": ["housekeeping", "seeking", "seeking"],
            "sector": [None, None, None],
            "skills": ["gerabah", None, "gerabah;memasak"],
            "max_commute_km": [3.0, 8.0, 1.0],
        }
    )
    return analyse_sectors(
        {"enterprises": snapshots(), "persons": persons, "households": households},
        region="33.10.03",
        settings=Settings.from_params(region="33.10", date="2024-06-30"),
    )


def test_every_desa_of_the_region_is_listed(small: object) -> None:
    from tuntas.reference import centroids

    wedi = centroids("desa_kelurahan", within="33.10.03")
    assert small.areas["code"].to_list() == sorted(wedi["code"].to_list())  # type: ignore[attr-defined]


def test_smoothed_lq_by_hand(small: object) -> None:
    """Final snapshot: Melikan 24 pottery + 1 retail workers, Brangkal 8 retail; E = 33.

    LQ(Melikan, pottery) = (24/25)/(24/33) = 1.32; expected workers ê = 25·24/33 = 18.18;
    smoothed LQ* = (24 + 10)/(18.18 + 10) = 1.2065.
    """
    row = small.scores.filter(  # type: ignore[attr-defined]
        pl.col("area") == MELIKAN, pl.col("sector") == "23932"
    ).row(0, named=True)
    assert row["lq"] == pytest.approx(1.32)
    assert row["expected_workers"] == pytest.approx(25 * 24 / 33)
    assert row["lq_smoothed"] == pytest.approx(34 / (25 * 24 / 33 + 10))
    assert row["cluster"] and row["cluster_source"] == "tercatat"
    assert row["cluster_name"] == "Gerabah Melikan"
    assert row["enterprises"] == 12 and row["workers"] == 24


def test_labour_supply_and_reach_counts(small: object) -> None:
    """Melikan–Brangkal centroids are ~2.2 km apart (≤ 5 km).

    Pottery for Melikan: h1's potter (home) + h2's potter only if her 1 km limit covers the
    distance (it does not) = 1. Retail for Melikan: h1's two adults = 2 (h2's adult cannot
    travel). Retail for Brangkal: h2 (home) + h1's seeker (8 km) + h1's housekeeper (3 km) = 3.
    """
    scores = small.scores  # type: ignore[attr-defined]

    def cell(area: str, sector: str) -> dict[str, object]:
        return scores.filter(pl.col("area") == area, pl.col("sector") == sector).row(0, named=True)

    assert cell(MELIKAN, "23932")["labour_supply"] == 1
    assert cell(MELIKAN, "47")["labour_supply"] == 2
    assert cell(BRANGKAL, "47")["labour_supply"] == 3
    assert cell(BRANGKAL, "23932")["labour_supply"] == 2
    assert cell(MELIKAN, "47")["reach_enterprises"] == 5  # 1 in Melikan + 4 in Brangkal
    assert cell(BRANGKAL, "23932")["enterprises"] == 0 and cell(BRANGKAL, "23932")["lq"] == 0


def test_score_is_the_weighted_sum_of_normalised_parts(small: object) -> None:
    settings = small.settings  # type: ignore[attr-defined]
    weights = settings.normalised_weights
    assert sum(weights.values()) == pytest.approx(1)
    scores = small.scores  # type: ignore[attr-defined]
    recomputed = sum(weights[c] * scores[f"p_{c}"].to_numpy() for c in COMPONENTS)
    assert scores["score"].to_numpy() == pytest.approx(recomputed)
    assert scores["score"].min() >= 0 and scores["score"].max() <= 1
    # regency-wide components: e.g. specialisation is the rank percentile of lq_smoothed
    assert scores["p_specialisation"].to_numpy() == pytest.approx(
        normalise(scores["lq_smoothed"].to_numpy())
    )


def test_pottery_first_in_melikan_with_parts_and_reason(small: object) -> None:
    top = small.top(3)  # type: ignore[attr-defined]
    melikan = top.filter(pl.col("area") == MELIKAN)
    assert melikan["sector"][0] == "23932"
    assert melikan["reason"][0] == (
        "Gerabah (sentra): LQ 1.3, 12 usaha, 1 pencari kerja miskin ekstrem dalam 5 km"
    )
    parts = small.parts(melikan.row(0, named=True))  # type: ignore[attr-defined]
    assert list(parts) == list(COMPONENTS)
    assert parts["cluster"]["normalised"] == 1.0
    assert sum(p["contribution"] for p in parts.values()) == pytest.approx(
        melikan["score"][0], abs=1e-3
    )
    assert all(REASON.match(reason) for reason in small.scores["reason"])  # type: ignore[attr-defined]


def test_established_sectors_rank_first(small: object) -> None:
    """Melikan has 12 potters and 1 warung: pottery (≥ 3 local enterprises) ranks before retail."""
    scores = small.scores  # type: ignore[attr-defined]
    for area in scores["area"].unique():
        ranked = scores.filter(pl.col("area") == area).sort("rank")
        established = ranked["established"].to_list()
        assert established == sorted(established, reverse=True)
        assert ranked["rank"].to_list() == list(range(1, ranked.height + 1))


def test_weights_are_parameters(small: object) -> None:
    settings = Settings.from_params(region="33.10", date="2024-06-30")
    assert settings.weights == {
        "specialisation": 0.25,
        "cluster": 0.10,
        "growth": 0.10,
        "labour_intensity": 0.10,
        "employment_multiplier": 0.10,
        "labour_supply": 0.20,
        "absorptive_capacity": 0.15,
    }
    assert {v.path for v in settings.assumptions} >= {
        "economy.opportunity.weights.specialisation",
        "economy.labour.reach_km",
        "economy.regional_table.flq_delta",
    }
    assert all(v.is_assumption for v in settings.assumptions)
    only_supply = dataclasses.replace(settings, weights={"labour_supply": 1.0})
    assert only_supply.normalised_weights["labour_supply"] == 1.0
    with pytest.raises(ValueError, match="unknown score components"):
        dataclasses.replace(settings, weights={"luck": 1.0})


def test_json_names_table_and_assumptions(small: object) -> None:
    payload = small.to_dict(top=2, synthetic=False)  # type: ignore[attr-defined]
    assert payload["io_table"]["source"].startswith("Sumber: Badan Pusat Statistik (BPS)")
    assert "FLQ" in payload["io_table"]["name"]
    assert any("Sakernas Agustus 2020" in note for note in payload["io_table"]["notes"])
    assert payload["employment"]["basis"] in ("combined", "enterprises", "registry")
    assert {a["parameter"] for a in payload["assumptions"]} >= {"economy.labour.reach_km"}
    melikan = next(a for a in payload["areas"] if a["code"] == MELIKAN)
    assert melikan["kecamatan_name"] == "Wedi" and melikan["name"] == "Melikan"
    first = melikan["sectors"][0]
    assert set(first) >= {"rank", "sector", "label", "score", "parts", "reason", "facts"}
    assert first["facts"]["cluster"] == "Gerabah Melikan"


def test_no_registry_means_no_labour_supply() -> None:
    result = analyse_sectors({"enterprises": snapshots()}, region="33.10.03")
    assert result.scores["labour_supply"].sum() == 0
    assert any("labour supply set to 0" in note for note in result.notes)
    assert result.employment is not None and result.employment.basis == "enterprises"


def test_settings_follow_a_parameter_override() -> None:
    from tuntas.params import parse_parameter_text

    override = parse_parameter_text(
        "economy.labour.reach_km: {unit: km, values: [{date: 2020-01-01, value: 1.0, "
        "region: '33.10', status: assumption}]}",
        root="",
        source_file="scenario.yaml",
    )
    params = baseline().with_overrides(override)
    assert Settings.from_params(params, region="33.10").reach_km == 1.0
    assert Settings.from_params(params, region="33.11").reach_km == 5.0
