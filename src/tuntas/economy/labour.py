"""Extreme-poor labour supply within commuting reach, and the skills each sector needs.

**Who counts** (:func:`eligible_labour`): members of registry households that are *verified
extreme-poor* (``verification_status == "verified_extreme"``) or *candidates* (``welfare_decile ==
1`` and not verified ``"not_extreme"``; DESIGN §5: desil 1 is a candidate list, never a label),
aged ``min_age``–``max_age`` on the reference date (15–64 by default), whose main activity is
looking for work (``seeking``) or housekeeping (``housekeeping``), plus those working in
agriculture (sector A: farm work and farm labour at very low earnings) when
``agricultural_workers`` is true. Everyone else (in school, unable, working outside farming) is
not counted. Persons are never named: only counts leave this module.

**Within reach** (:func:`reach_pairs`, :func:`labour_within_reach`): a person living in desa h
counts for area t when the straight-line distance d(h, t) between the desa centroid of h and the
centroid of t (Kemendagri boundaries, :func:`tuntas.reference.centroids`, haversine) is at most
``reach_km``; with ``respect_max_commute`` the person's own ``max_commute_km`` must also cover d
(persons without one are limited by ``reach_km`` only). For a kecamatan, every desa inside it
counts at distance 0, and other desa by their distance to the kecamatan centroid.

**Skill fit** (:data:`SECTOR_PROFILES`): a sector key (5-digit KBLI of a cluster, 2-digit division
or KBLI category letter) takes the profile of its own code, else of its division, else of its
category. A profile lists skill tags (the registry's ``skills``, e.g. ``gerabah``,
``pengecoran_logam``, ``bertani``) and optionally a minimum schooling. A person fits when they
carry at least one of the tags (when the profile has tags) and have at least the schooling (when
it has one). Sectors without a profile (retail trade, most services) need no specific skill:
every eligible person within reach fits.

Examples
--------
Two desa 3.3 km apart; Ani (candidate, seeking, potter) in A; Budi (verified, farm worker) in B.

>>> import datetime as dt
>>> households = pl.DataFrame({"household_id": ["h1", "h2"], "region_code": ["A", "B"],
...     "welfare_decile": [1, 1], "verification_status": ["candidate", "verified_extreme"]})
>>> persons = pl.DataFrame({"household_id": ["h1", "h2"], "sex": ["P", "L"],
...     "birth_date": [dt.date(1990, 1, 1), dt.date(1980, 1, 1)], "education": ["sd", "smp"],
...     "activity": ["seeking", "working"], "sector": [None, "A"],
...     "skills": ["gerabah;memasak", "bertani"], "max_commute_km": [2.0, 10.0]})
>>> eligible = eligible_labour(persons, households, on=dt.date(2024, 6, 30))
>>> eligible.select("region_code", "status", "reason").rows()
[('A', 'candidate', 'seeking'), ('B', 'verified_extreme', 'agriculture')]
>>> places = pl.DataFrame({"code": ["A", "B"], "lat": [-7.70, -7.70], "lon": [110.60, 110.63]})
>>> pairs = reach_pairs(places, places, reach_km=5)
>>> supply = labour_within_reach(eligible, pairs, ["23932", "47"], reach_km=5)
>>> supply.sort("target", "sector").rows()
[('A', '23932', 1), ('A', '47', 2), ('B', '23932', 0), ('B', '47', 1)]

In A: Ani fits pottery (tag ``gerabah``) and retail; Budi (3.3 km away, commutes up to 10 km) fits
retail only, which needs no specific skill. In B: Ani's 2 km maximum commute does not cover the
3.3 km, so only Budi counts, and not for pottery.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import polars as pl

from tuntas.reference.geo import haversine_km
from tuntas.reference.kbli import category_of
from tuntas.tables.schemas import EDUCATION

EDUCATION_RANK = {level: rank for rank, level in enumerate(EDUCATION)}
"""Schooling levels in order: tidak_sekolah 0, sd 1, smp 2, sma 3, perguruan_tinggi 4."""

DEFAULT_ACTIVITIES = ("seeking", "housekeeping")
ALL = "*"
"""Rule id of sectors without a profile: every eligible person fits."""


@dataclass(frozen=True)
class SectorProfile:
    """The short label, skill tags and minimum schooling of a sector key (see module docstring)."""

    key: str
    label: str
    skills: tuple[str, ...] = ()
    min_education: str | None = None


SECTOR_PROFILES: tuple[SectorProfile, ...] = (
    # Clusters (sentra) of Klaten and their crafts: the registry's cluster skill tags.
    SectorProfile("23932", "Gerabah", ("gerabah",)),
    SectorProfile("23922", "Genteng", ("genteng",)),
    SectorProfile("24310", "Pengecoran logam", ("pengecoran_logam",)),
    SectorProfile("13121", "Tenun lurik", ("tenun",)),
    SectorProfile("13134", "Batik", ("batik",)),
    SectorProfile("32909", "Payung lukis dan kerajinan lain", ("payung_lukis",)),
    SectorProfile("31001", "Mebel kayu", ("mebel", "pertukangan_kayu")),
    SectorProfile("14111", "Konveksi", ("menjahit",)),
    SectorProfile("93221", "Wisata pemandian alam", ("pariwisata",)),
    # Divisions (golongan pokok).
    SectorProfile("01", "Pertanian dan peternakan", ("bertani", "beternak")),
    SectorProfile("10", "Industri makanan", ("mengolah_makanan", "memasak")),
    SectorProfile("11", "Industri minuman", ("mengolah_makanan", "memasak")),
    SectorProfile("13", "Industri tekstil", ("tenun", "batik", "menjahit")),
    SectorProfile("14", "Industri pakaian jadi", ("menjahit",)),
    SectorProfile("16", "Industri kayu dan anyaman", ("pertukangan_kayu", "anyaman", "mebel")),
    SectorProfile("31", "Industri furnitur", ("mebel", "pertukangan_kayu")),
    SectorProfile("15", "Industri kulit dan alas kaki"),
    SectorProfile("23", "Industri barang galian bukan logam", ("pengolahan",)),
    SectorProfile("25", "Industri barang logam", ("pengolahan", "pengecoran_logam")),
    SectorProfile("41", "Konstruksi gedung", ("bangunan",)),
    SectorProfile("42", "Konstruksi bangunan sipil", ("bangunan",)),
    SectorProfile("43", "Konstruksi khusus", ("bangunan",)),
    SectorProfile("45", "Perdagangan dan reparasi motor/mobil"),
    SectorProfile("46", "Perdagangan besar"),
    SectorProfile("47", "Perdagangan eceran"),
    SectorProfile("49", "Angkutan darat", ("mengemudi",)),
    SectorProfile("55", "Penginapan"),
    SectorProfile("56", "Warung makan dan minum", ("memasak",)),
    SectorProfile("64", "Jasa keuangan (KSP, koperasi simpan pinjam)", (), "sma"),
    SectorProfile("77", "Persewaan"),
    SectorProfile("82", "Jasa penunjang usaha (fotokopi, kantor)", (), "smp"),
    SectorProfile("84", "Administrasi pemerintahan", ("administrasi",), "sma"),
    SectorProfile("85", "Pendidikan", ("mengajar",), "sma"),
    SectorProfile("86", "Kesehatan", ("perawatan_kesehatan",), "sma"),
    SectorProfile("95", "Reparasi barang rumah tangga"),
    SectorProfile("96", "Jasa perorangan", ("jasa_perorangan",)),
    SectorProfile("97", "Pekerja rumah tangga", ("pekerjaan_rumah_tangga", "memasak")),
    # Categories (fallbacks).
    SectorProfile("A", "Pertanian", ("bertani", "beternak")),
    SectorProfile(
        "C",
        "Industri pengolahan",
        ("pengolahan", "mengolah_makanan", "menjahit", "pertukangan_kayu"),
    ),
    SectorProfile("F", "Konstruksi", ("bangunan",)),
    SectorProfile("G", "Perdagangan"),
    SectorProfile("H", "Transportasi", ("mengemudi",)),
    SectorProfile("I", "Akomodasi dan makan minum", ("memasak",)),
    SectorProfile("O", "Administrasi pemerintahan", ("administrasi",), "sma"),
    SectorProfile("P", "Pendidikan", ("mengajar",), "sma"),
    SectorProfile("Q", "Kesehatan dan kegiatan sosial", ("perawatan_kesehatan",), "sma"),
    SectorProfile("S", "Jasa lainnya", ("jasa_perorangan",)),
    SectorProfile("T", "Rumah tangga sebagai pemberi kerja", ("pekerjaan_rumah_tangga",)),
)
"""Skill profiles by sector key (assumption, written for TUNTAS from the registry's skill tags).

Tags are those of the P3KE-like registry (``persons.skills``); a region whose registry uses other
tags passes its own profiles. Profiles without tags ("47", "G") record a label only: no specific
skill is needed.
"""


@cache
def _profiles_by_key() -> dict[str, SectorProfile]:
    return {profile.key: profile for profile in SECTOR_PROFILES}


def sector_profile(
    key: str, *, profiles: Sequence[SectorProfile] | None = None
) -> SectorProfile | None:
    """The profile of a sector key: its own, else its division's, else its category's, else None.

    Examples
    --------
    >>> sector_profile("23932").skills, sector_profile("22191").key, sector_profile("47").skills
    (('gerabah',), 'C', ())
    >>> sector_profile("J") is None
    True
    """
    table = _profiles_by_key() if profiles is None else {p.key: p for p in profiles}
    candidates = [key]
    if key[:1].isdigit():
        if len(key) > 2:
            candidates.append(key[:2])
        with contextlib.suppress(KeyError, ValueError):
            candidates.append(category_of(key))
    for candidate in candidates:
        if candidate in table:
            return table[candidate]
    return None


def _rule_of(profile: SectorProfile | None) -> str:
    if profile is None or (not profile.skills and profile.min_education is None):
        return ALL
    return f"{';'.join(sorted(profile.skills))}|{profile.min_education or ''}"


def eligible_labour(
    persons: pl.DataFrame,
    households: pl.DataFrame,
    *,
    on: dt.date,
    min_age: int = 15,
    max_age: int = 64,
    activities: Iterable[str] = DEFAULT_ACTIVITIES,
    agricultural_workers: bool = True,
) -> pl.DataFrame:
    """Working-age members of extreme-poor households available for (better) work.

    Households: ``verification_status == "verified_extreme"``, or ``welfare_decile == 1`` with a
    status other than ``"not_extreme"`` (null counts as a candidate). Persons: age in whole years
    on ``on`` between ``min_age`` and ``max_age`` inclusive; ``activity`` in ``activities``, or
    ``activity == "working"`` and ``sector == "A"`` when ``agricultural_workers``.

    Parameters
    ----------
    persons : pl.DataFrame
        Canonical persons: ``household_id, birth_date, activity, sector, education, skills,
        max_commute_km``.
    households : pl.DataFrame
        Canonical households: ``household_id, region_code, welfare_decile,
        verification_status``.
    on : datetime.date, keyword-only
        Reference date for ages.
    min_age, max_age : int, keyword-only
    activities : iterable of str, keyword-only
    agricultural_workers : bool, keyword-only

    Returns
    -------
    pl.DataFrame
        One row per eligible person: ``household_id, region_code, status`` (verified_extreme or
        candidate), ``reason`` (the activity, or "agriculture"), ``age, education, skills`` (list
        of tags), ``max_commute_km``.

    Examples
    --------
    See the module docstring.
    """
    wanted = list(activities)
    status = pl.col("verification_status")
    poor = households.filter(
        (status == "verified_extreme")
        | ((pl.col("welfare_decile") == 1) & (status.is_null() | (status != "not_extreme")))
    ).select(
        "household_id",
        "region_code",
        pl.when(status == "verified_extreme")
        .then(pl.lit("verified_extreme"))
        .otherwise(pl.lit("candidate"))
        .alias("status"),
    )
    columns = ["household_id", "birth_date", "activity", "sector", "education", "skills"]
    frame = persons.select(
        *columns,
        pl.col("max_commute_km") if "max_commute_km" in persons.columns else pl.lit(None),
    ).join(poor, on="household_id", how="inner")
    age = (
        pl.lit(on.year)
        - pl.col("birth_date").dt.year()
        - (
            (pl.col("birth_date").dt.month() > on.month)
            | (
                (pl.col("birth_date").dt.month() == on.month)
                & (pl.col("birth_date").dt.day() > on.day)
            )
        ).cast(pl.Int32)
    )
    farm = (pl.col("activity") == "working") & (pl.col("sector") == "A")
    available = pl.col("activity").is_in(wanted)
    if agricultural_workers:
        available = available | farm
    return (
        frame.with_columns(age.alias("age"))
        .filter(pl.col("age").is_between(min_age, max_age) & available.fill_null(False))
        .select(
            "household_id",
            "region_code",
            "status",
            pl.when(pl.col("activity").is_in(wanted))
            .then(pl.col("activity"))
            .otherwise(pl.lit("agriculture"))
            .alias("reason"),
            "age",
            "education",
            pl.col("skills").str.split(";").list.eval(pl.element().str.strip_chars()),
            pl.col("max_commute_km").cast(pl.Float64),
        )
    )


def reach_pairs(
    targets: pl.DataFrame,
    sources: pl.DataFrame,
    *,
    reach_km: float,
    members: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Pairs (target area, source desa) whose centroids are at most ``reach_km`` apart.

    d = haversine distance between centroids (km). ``members`` (columns ``target, source``)
    adds pairs at distance 0 whatever the distance, e.g. the desa of a kecamatan.

    Parameters
    ----------
    targets, sources : pl.DataFrame
        Columns ``code, lat, lon`` (degrees).
    reach_km : float, keyword-only
    members : pl.DataFrame, optional

    Returns
    -------
    pl.DataFrame
        ``target, source, distance_km``, one row per pair, a target paired with itself at 0.

    Examples
    --------
    >>> places = pl.DataFrame({"code": ["A", "B", "C"], "lat": [-7.7, -7.7, -7.7],
    ...                        "lon": [110.60, 110.63, 110.70]})
    >>> reach_pairs(places, places, reach_km=5).sort("target", "source").select(
    ...     "target", "source", pl.col("distance_km").round(2)).rows()
    [('A', 'A', 0.0), ('A', 'B', 3.31), ('B', 'A', 3.31), ('B', 'B', 0.0), ('C', 'C', 0.0)]
    """
    if reach_km < 0:
        raise ValueError("reach_km must be ≥ 0")
    t_lat = targets["lat"].to_numpy()[:, np.newaxis]
    t_lon = targets["lon"].to_numpy()[:, np.newaxis]
    distance = haversine_km(
        t_lat, t_lon, sources["lat"].to_numpy()[np.newaxis, :], sources["lon"].to_numpy()
    )
    distance = np.where(np.isnan(distance), np.inf, distance)
    t_index, s_index = np.nonzero(distance <= reach_km)
    pairs = pl.DataFrame(
        {
            "target": targets["code"].gather(t_index),
            "source": sources["code"].gather(s_index),
            "distance_km": distance[t_index, s_index],
        },
        schema={"target": pl.Utf8, "source": pl.Utf8, "distance_km": pl.Float64},
    )
    if members is not None:
        inside = members.select(
            pl.col("target").cast(pl.Utf8),
            pl.col("source").cast(pl.Utf8),
            pl.lit(0.0).alias("distance_km"),
        )
        pairs = pl.concat([inside, pairs]).unique(["target", "source"], keep="first")
    return pairs.with_columns(
        pl.when(pl.col("target") == pl.col("source"))
        .then(0.0)
        .otherwise(pl.col("distance_km"))
        .alias("distance_km")
    )


def labour_within_reach(
    eligible: pl.DataFrame,
    pairs: pl.DataFrame,
    sectors: Sequence[str],
    *,
    reach_km: float,
    respect_max_commute: bool = True,
    profiles: Sequence[SectorProfile] | None = None,
) -> pl.DataFrame:
    """Eligible persons within reach of each target area whose skills and schooling fit each sector.

    A person living in desa h counts for target t and sector s when (h, t) is in ``pairs`` (see
    :func:`reach_pairs`), d(h, t) ≤ min(``reach_km``, the person's ``max_commute_km``) (the
    second only when ``respect_max_commute`` and known), and the person fits the profile of s
    (:func:`sector_profile`; any eligible person when s has no profile or an empty one).

    Parameters
    ----------
    eligible : pl.DataFrame
        From :func:`eligible_labour` (``region_code, education, skills, max_commute_km``).
    pairs : pl.DataFrame
        ``target, source, distance_km``.
    sectors : sequence of str
        Sector keys to count for (5-digit KBLI, division or category letter).
    reach_km : float, keyword-only
    respect_max_commute : bool, keyword-only
    profiles : sequence of SectorProfile, optional
        Default :data:`SECTOR_PROFILES`.

    Returns
    -------
    pl.DataFrame
        ``target, sector, labour_supply`` (persons) for every target in ``pairs`` and every
        sector; 0 when nobody fits.

    Examples
    --------
    See the module docstring.
    """
    keys = sorted(set(sectors))
    rules = {key: _rule_of(sector_profile(key, profiles=profiles)) for key in keys}
    limit = pl.lit(float(reach_km))
    if respect_max_commute:
        limit = pl.min_horizontal(limit, pl.col("max_commute_km").fill_null(float(reach_km)))
    people = eligible.select(
        pl.col("region_code").alias("source"),
        limit.alias("limit"),
        pl.col("education").replace_strict(EDUCATION_RANK, default=-1).alias("schooling"),
        pl.col("skills"),
    )
    fits: list[pl.DataFrame] = []
    for rule in sorted(set(rules.values())):
        fitting = people
        if rule != ALL:
            tags, minimum = rule.split("|")
            if tags:
                wanted = pl.Series(tags.split(";")).implode()
                fitting = fitting.filter(
                    pl.col("skills")
                    .list.eval(pl.element().is_in(wanted))
                    .list.any()
                    .fill_null(False)
                )
            if minimum:
                fitting = fitting.filter(pl.col("schooling") >= EDUCATION_RANK[minimum])
        fits.append(
            fitting.group_by("source", "limit")
            .agg(pl.len().alias("persons"))
            .with_columns(pl.lit(rule).alias("rule"))
        )
    counted = (
        pl.concat(fits)
        .join(pairs, on="source", how="inner")
        .filter(pl.col("distance_km") <= pl.col("limit"))
        .group_by("target", "rule")
        .agg(pl.col("persons").sum().alias("labour_supply"))
    )
    key_rules = pl.DataFrame({"sector": keys, "rule": [rules[k] for k in keys]})
    grid = pairs.select("target").unique().join(key_rules, how="cross")
    return (
        grid.join(counted, on=["target", "rule"], how="left")
        .select(
            "target",
            "sector",
            pl.col("labour_supply").fill_null(0).cast(pl.Int64),
        )
        .sort("target", "sector")
    )
