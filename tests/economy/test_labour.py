"""Extreme-poor labour supply within reach: who counts, how far, whose skills fit (hand examples)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from tuntas.economy.labour import (
    SectorProfile,
    eligible_labour,
    labour_within_reach,
    reach_pairs,
    sector_profile,
)
from tuntas.reference import haversine_km

ON = dt.date(2024, 6, 30)

# Three desa on a line of latitude -7.7: A at 110.60, B 0.03° east (3.31 km), C 0.10° east (11.0 km).
PLACES = pl.DataFrame(
    {"code": ["A", "B", "C"], "lat": [-7.7, -7.7, -7.7], "lon": [110.60, 110.63, 110.70]}
)


def households() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "household_id": ["h1", "h2", "h3", "h4", "h5", "h6"],
            "region_code": ["A", "A", "B", "B", "C", "A"],
            "welfare_decile": [1, 1, 1, 2, 1, 2],
            "verification_status": [
                "verified_extreme",
                "candidate",
                None,
                None,
                "not_extreme",
                "verified_extreme",
            ],
        }
    )


def person(
    household: str,
    *,
    born: dt.date = dt.date(1990, 1, 1),
    activity: str | None = "seeking",
    sector: str | None = None,
    skills: str | None = None,
    education: str | None = "sd",
    commute: float | None = None,
) -> dict[str, object]:
    return {
        "household_id": household,
        "birth_date": born,
        "activity": activity,
        "sector": sector,
        "skills": skills,
        "education": education,
        "max_commute_km": commute,
    }


def persons() -> pl.DataFrame:
    rows = [
        person("h1", skills="gerabah;memasak"),  # A, verified, seeking, potter: counts
        person("h1", activity="housekeeping", skills="memasak", commute=2.0),  # A: counts
        person("h1", activity="working", sector="A", skills="bertani", commute=4.0),  # farm: counts
        person("h1", activity="working", sector="G", skills="berdagang"),  # trader: no
        person("h1", activity="school", born=dt.date(2008, 1, 1)),  # pupil: no
        person("h2", born=dt.date(2009, 7, 1)),  # 14 on ON (birthday after 30 June): no
        person("h2", born=dt.date(2009, 6, 30), education="sma", skills="mengajar"),  # 15: counts
        person("h2", born=dt.date(1959, 6, 30)),  # 65: no
        person("h3", skills="gerabah", commute=10.0),  # B, decile 1, no status: candidate
        person("h4", skills="gerabah"),  # B, decile 2 unverified: no
        person("h5", skills="gerabah"),  # C, verified not extreme: no
        person("h6", activity="housekeeping", skills="batik"),  # A, decile 2 but verified: counts
    ]
    schema = {
        "household_id": pl.Utf8,
        "birth_date": pl.Date,
        "activity": pl.Utf8,
        "sector": pl.Utf8,
        "skills": pl.Utf8,
        "education": pl.Utf8,
        "max_commute_km": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema)


def test_eligibility_rules() -> None:
    eligible = eligible_labour(persons(), households(), on=ON)
    assert eligible.height == 6
    assert eligible.group_by("region_code").len().sort("region_code").rows() == [("A", 5), ("B", 1)]
    assert sorted(eligible["reason"].to_list()) == [
        "agriculture",
        "housekeeping",
        "housekeeping",
        "seeking",
        "seeking",
        "seeking",
    ]
    statuses = eligible.group_by("status").len().sort("status").rows()
    assert statuses == [("candidate", 2), ("verified_extreme", 4)]
    assert eligible["age"].min() == 15 and eligible["age"].max() == 34


def test_farm_workers_and_activities_are_parameters() -> None:
    no_farm = eligible_labour(persons(), households(), on=ON, agricultural_workers=False)
    assert "agriculture" not in no_farm["reason"].to_list()
    seeking_only = eligible_labour(persons(), households(), on=ON, activities=["seeking"])
    assert set(seeking_only["reason"].to_list()) == {"seeking", "agriculture"}
    older = eligible_labour(persons(), households(), on=ON, max_age=70)
    assert older.height == 7


def test_reach_pairs_hand_distances() -> None:
    pairs = reach_pairs(PLACES, PLACES, reach_km=5).sort("target", "source")
    assert pairs.select("target", "source").rows() == [
        ("A", "A"),
        ("A", "B"),
        ("B", "A"),
        ("B", "B"),
        ("C", "C"),
    ]
    expected = float(haversine_km(-7.7, 110.60, -7.7, 110.63))
    assert pairs.filter(pl.col("target") == "A", pl.col("source") == "B")["distance_km"][
        0
    ] == pytest.approx(expected)
    assert expected == pytest.approx(3.306, abs=1e-3)
    wider = reach_pairs(PLACES, PLACES, reach_km=12)
    assert wider.height == 9


def test_members_count_at_distance_zero() -> None:
    kecamatan = pl.DataFrame({"code": ["K"], "lat": [-7.7], "lon": [110.80]})
    members = pl.DataFrame({"target": ["K"], "source": ["C"]})
    pairs = reach_pairs(kecamatan, PLACES, reach_km=5, members=members)
    assert pairs.rows() == [("K", "C", 0.0)]


def test_labour_within_reach_counts_by_hand() -> None:
    """A (5 eligible), B (1); reach 5 km; skills and commute limits decide.

    Eligible in A: p1 potter (no commute limit), p2 housekeeper (limit 2 km), p3 farm worker
    (4 km), p7 15-year-old teacher-to-be (sma), p12 batik housekeeper. In B: p9 potter (10 km).

    * pottery (23932, tag gerabah) for A: p1 and p9 (3.31 km ≤ 5 and ≤ 10) = 2; for B: p1 (no
      limit: 5 km) and p9 = 2; C is out of reach of both.
    * retail (47, no profile): A = 5 + p9 = 6; B = p9 (home) + p1, p7, p12 (no limit) + p3
      (4 km ≥ 3.31) = 5; p2 (2 km) does not reach B.
    * education (85, tag mengajar, at least SMA): A = p7 only; B = p7 (no limit) = 1.
    * agriculture (01, bertani/beternak): A = p3; B = p3 (4 km ≥ 3.31) = 1.
    """
    eligible = eligible_labour(persons(), households(), on=ON)
    pairs = reach_pairs(PLACES, PLACES, reach_km=5)
    supply = labour_within_reach(eligible, pairs, ["23932", "47", "85", "01"], reach_km=5)
    got = {(t, s): n for t, s, n in supply.rows()}
    assert got == {
        ("A", "01"): 1,
        ("A", "23932"): 2,
        ("A", "47"): 6,
        ("A", "85"): 1,
        ("B", "01"): 1,
        ("B", "23932"): 2,
        ("B", "47"): 5,
        ("B", "85"): 1,
        ("C", "01"): 0,
        ("C", "23932"): 0,
        ("C", "47"): 0,
        ("C", "85"): 0,
    }
    ignoring_commute = labour_within_reach(
        eligible, pairs, ["47"], reach_km=5, respect_max_commute=False
    )
    assert ignoring_commute.filter(pl.col("target") == "B")["labour_supply"][0] == 6


def test_reach_limits_the_count() -> None:
    eligible = eligible_labour(persons(), households(), on=ON)
    pairs = reach_pairs(PLACES, PLACES, reach_km=3)
    supply = labour_within_reach(eligible, pairs, ["23932"], reach_km=3)
    assert supply.sort("target")["labour_supply"].to_list() == [1, 1, 0]


def test_profiles_resolve_code_then_division_then_category() -> None:
    assert sector_profile("24310") is not None and sector_profile("24310").label == (
        "Pengecoran logam"
    )
    assert sector_profile("10792").key == "10"
    assert sector_profile("22191").key == "C"
    assert sector_profile("62") is None  # ICT: no profile, everyone fits
    own = [SectorProfile("62", "TI", ("komputer",), "sma")]
    assert sector_profile("62010", profiles=own).skills == ("komputer",)
