"""Convergence: which programmes reached each candidate and verified household (hand example)."""

from __future__ import annotations

import polars as pl

from tests.poverty.conftest import WithTruth
from tuntas.poverty.convergence import PROGRAMMES, convergence

DESA_A, DESA_B = "33.10.01.2001", "33.10.01.2002"


def registry() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "household_id": ["h1", "h2", "h3", "h4", "h5", "h6", "h7"],
            "region_code": [DESA_A, DESA_A, DESA_A, DESA_B, DESA_B, DESA_B, DESA_B],
            "welfare_decile": [1, 1, 1, 1, 2, 1, 1],
            "verification_status": [
                "verified_extreme", "candidate", "not_extreme", None, None, "candidate",
                "verified_extreme",
            ],
            "pkh": [True, False, True, False, True, False, False],
            "bpnt": [True, False, False, None, False, False, False],
            "pbi_jkn": [False, False, True, False, True, True, False],
            "bpum": [False] * 7,
            "bst": [False, False, False, False, False, False, False],
        }
    )  # fmt: skip


def test_hand_example_per_household_and_per_desa() -> None:
    # In scope: h1 (verified), h2 (candidate), h4 (desil 1, no status → candidate), h6 (candidate),
    # h7 (verified). Out: h3 (not_extreme), h5 (desil 2 without status).
    # Reached: h1 pkh+bpnt (2), h2 none, h4 none (bpnt unknown), h6 pbi_jkn (1), h7 none.
    result = convergence(registry())
    h = {r["household_id"]: r for r in result.households.to_dicts()}
    assert set(h) == {"h1", "h2", "h4", "h6", "h7"}
    assert h["h1"]["programmes"] == ["pkh", "bpnt"] and h["h1"]["n_programmes"] == 2
    assert h["h6"]["programmes"] == ["pbi_jkn"]
    assert [k for k, r in h.items() if r["reached_none"]] == ["h2", "h4", "h7"]
    assert h["h4"]["decision"] == "candidate" and h["h4"]["unknown_flags"] == 1
    desa = {r["region_code"]: r for r in result.by_desa.to_dicts()}
    # desa A: h1, h2 → 2 households, 1 verified, 1 reached by none (h2), PKH 1, BPNT 1
    assert (desa[DESA_A]["households"], desa[DESA_A]["verified_extreme"]) == (2, 1)
    assert (desa[DESA_A]["reached_none"], desa[DESA_A]["reached_none_verified"]) == (1, 0)
    assert (desa[DESA_A]["pkh"], desa[DESA_A]["bpnt"], desa[DESA_A]["pbi_jkn"]) == (1, 1, 0)
    # desa B: h4, h6, h7 → 3 households, 1 verified (h7), none: h4 and h7
    assert (desa[DESA_B]["households"], desa[DESA_B]["candidates"]) == (3, 2)
    assert (desa[DESA_B]["reached_none"], desa[DESA_B]["reached_none_verified"]) == (2, 1)
    assert desa[DESA_B]["share_none"] == 2 / 3
    assert result.unreached["household_id"].to_list() == ["h2", "h4", "h7"]
    assert result.summary() == {
        "households": 5,
        "verified_extreme": 2,
        "reached_none": 3,
        "reached_none_verified": 1,
        "pkh": 1,
        "bpnt": 1,
        "pbi_jkn": 1,
        "bpum": 0,
        "bst": 0,
    }


def test_recorded_interventions_count_as_programmes() -> None:
    done = pl.DataFrame(
        {
            "household_id": ["h2", "h2", "h7", "h3"],
            "instrument": ["kur_super_mikro", "pelatihan_plut", "kur_super_mikro", "umi"],
        }
    )
    result = convergence(registry(), interventions=done)
    h = {r["household_id"]: r for r in result.households.to_dicts()}
    assert h["h2"]["programmes"] == ["kur_super_mikro", "pelatihan_plut"]
    assert h["h2"]["interventions"] == ["kur_super_mikro", "pelatihan_plut"]
    assert h["h7"]["reached_none"] is False
    assert result.unreached["household_id"].to_list() == ["h4"]
    assert "h3" not in h  # not_extreme stays out even with an intervention
    desa = {r["region_code"]: r for r in result.by_desa.to_dicts()}
    assert desa[DESA_B]["intervention"] == 1


def test_a_candidate_list_defines_the_scope() -> None:
    listed = pl.DataFrame(
        {
            "household_id": ["h3", "h5", "h1"],
            "decision": ["not_extreme", "candidate", "verified_extreme"],
        }
    )
    result = convergence(registry(), candidates=listed)
    assert result.households["household_id"].to_list() == ["h1", "h5"]
    assert result.households["reached_none"].to_list() == [False, False]


def test_synthetic_registry_every_verified_family_has_pkh(klaten: WithTruth) -> None:
    # the generator gives PKH to every verified family (Harian Jogja 31/7/2022: all receive PKH)
    result = convergence(klaten.result.tables["households"])
    summary = result.summary()
    assert summary["reached_none_verified"] == 0
    verified = result.households.filter(pl.col("decision") == "verified_extreme")
    assert verified.height == summary["verified_extreme"] > 0
    assert verified["pkh"].all()
    assert result.by_desa["households"].sum() == summary["households"]
    assert set(PROGRAMMES) <= set(result.by_desa.columns)
