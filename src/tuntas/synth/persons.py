"""Members of registry households: relationship, sex, age, schooling, work, skills, NIK.

Built without Python loops over persons: each household of size n is expanded into positions
0…n−1 (``np.repeat``). Position 0 is the head (attributes from the household), position 1 the spouse
when there is one, and the other positions draw a relationship from a mix that depends on the head's
age (young heads live with parents, old heads with grandchildren and children-in-law). Ages follow
from the relationship and the mother's generation, schooling from the birth cohort and the head's
schooling, activity from age and sex, and skills from the sector and the desa's cluster.

Reference date: the P3KE snapshot, 1 July 2023 (ages and age-band flags are computed at this date).

Examples
--------
>>> REFERENCE_DATE.isoformat()
'2023-07-01'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from tuntas.synth.arrays import keep
from tuntas.synth.calibrate import FloatArray, IntArray
from tuntas.synth.households import EDUCATION_CUTS, EDUCATION_LEVELS, EDUCATION_MEAN, draw_sectors
from tuntas.synth.names import person_names
from tuntas.synth.nik import (
    DATE_MISMATCH_SHARE,
    MOVED_HOUSEHOLD_SHARE,
    MOVED_WITHIN_REGENCY,
    NOT_MATCHED_SHARE,
    build_nik,
    shifted_dates,
)

REFERENCE_DATE = dt.date(2023, 7, 1)
"""P3KE snapshot date (July 2023)."""

MISSING_NAME_SHARE = 0.01
MISSING_EDUCATION_SHARE = 0.03
MISSING_MARITAL_SHARE = 0.01
"""Shares of persons with the field left empty (realistic gaps; assumption)."""

SECTOR_SKILL = {
    "A": "bertani",
    "C": "pengolahan",
    "F": "bangunan",
    "G": "berdagang",
    "H": "mengemudi",
    "I": "memasak",
    "S": "jasa_perorangan",
    "T": "pekerjaan_rumah_tangga",
    "O": "administrasi",
    "P": "mengajar",
    "Q": "perawatan_kesehatan",
}
"""Main skill tag of a worker's sector."""

CLUSTER_SKILL = {
    "23932": "gerabah",
    "23922": "genteng",
    "24310": "pengecoran_logam",
    "13121": "tenun",
    "13134": "batik",
    "32909": "payung_lukis",
    "31001": "mebel",
    "14111": "menjahit",
    "93221": "pariwisata",
}
"""Skill tag of a cluster's KBLI code (the local craft)."""

_RELATIONS = ("anak", "cucu", "menantu", "orang_tua", "mertua", "famili_lain", "lainnya")
_RELATION_MIX = {
    "young": (0.80, 0.0, 0.0, 0.08, 0.05, 0.05, 0.02),
    "middle": (0.85, 0.05, 0.02, 0.04, 0.02, 0.015, 0.005),
    "old": (0.55, 0.25, 0.12, 0.0, 0.0, 0.06, 0.02),
}

ASSUMPTIONS = (
    "Persons: male heads have a spouse with probability 0.90 (0.65 from age 70), female heads 0.08; "
    "other members are children, grandchildren, in-laws, parents or other relatives with a mix that "
    "depends on the head's age (<35, 35–59, 60+).",
    f"Missing fields: {MISSING_NAME_SHARE:.0%} of names, {MISSING_EDUCATION_SHARE:.0%} of schooling "
    f"and {MISSING_MARITAL_SHARE:.0%} of marital status are empty.",
    "Skills: each worker gets the tag of the sector (bertani, bangunan, berdagang, …); in cluster desa "
    "manufacturing workers and a quarter of other adults carry the local craft (gerabah, tenun, "
    "batik, pengecoran_logam, mebel, menjahit, payung_lukis); many women have memasak or menjahit.",
    "Disability 1% under 18, 2.5% aged 18–59, 8% aged 60+ (×1.3 in desil 1); max commute log-normal "
    "with median 7 km (men) / 4.5 km (women), lower for the old and disabled, 0.5–40 km.",
)


@dataclass(frozen=True)
class PersonsResult:
    """The persons frame and per-household facts derived from the members."""

    persons: pl.DataFrame
    """Canonical persons columns plus ``age``, ``padan`` (NIK matched at Dukcapil), ``desil``."""
    has_under5: np.ndarray
    head_name: np.ndarray
    head_nik: np.ndarray
    head_padan: np.ndarray
    moved: np.ndarray


def _choice(shares: tuple[float, ...], n: int, rng: np.random.Generator) -> IntArray:
    cum = np.cumsum(np.array(shares) / sum(shares))
    return np.minimum(np.searchsorted(cum, rng.random(n)), len(shares) - 1).astype(np.int64)


def _birth_dates(age: IntArray, rng: np.random.Generator) -> np.ndarray:
    """A birth date giving exactly ``age`` completed years on :data:`REFERENCE_DATE`.

    birth = (reference date − age years) − k days, k uniform on 0…364.
    """
    ref = REFERENCE_DATE
    months = (ref.year - age - 1970) * 12 + (ref.month - 1)
    anniversary = months.astype("datetime64[M]").astype("datetime64[D]") + np.timedelta64(
        ref.day - 1, "D"
    )
    return anniversary - rng.integers(0, 365, age.size).astype("timedelta64[D]")


def build_persons(
    households: pl.DataFrame,
    *,
    kecamatan_codes: list[str],
    other_kecamatan_codes: list[str],
    rng: np.random.Generator,
) -> PersonsResult:
    """Expand registry households into persons.

    ``households`` needs ``household_id, kecamatan_code, size, desil, cluster_kbli`` (nullable) and the
    head columns from :func:`~tuntas.synth.households.draw_heads`. ``kecamatan_codes`` are the
    regency's kecamatan (for moved households), ``other_kecamatan_codes`` those elsewhere in the
    province.
    """
    size = households["size"].to_numpy().astype(np.int64)
    n_hh = size.size
    hh = np.repeat(np.arange(n_hh), size)
    starts = np.concatenate([[0], np.cumsum(size)[:-1]]).astype(np.int64)
    pos = np.arange(hh.size) - starts[hh]
    n = hh.size
    desil = households["desil"].to_numpy().astype(np.int64)
    head_sex = households["head_sex"].to_numpy()
    head_age = households["head_age"].to_numpy().astype(np.int64)
    head_female = head_sex == "P"

    # --- spouse and relationships
    p_spouse = np.where(head_female, 0.08, np.where(head_age >= 70, 0.65, 0.90))
    has_spouse = (rng.random(n_hh) < p_spouse) & (size >= 2)
    is_head = pos == 0
    is_spouse = (pos == 1) & has_spouse[hh]
    other = ~is_head & ~is_spouse
    group = np.where(head_age[hh] < 35, 0, np.where(head_age[hh] < 60, 1, 2))
    rel_idx = np.full(n, -1, dtype=np.int64)
    for g, key in enumerate(("young", "middle", "old")):
        mask = other & (group == g)
        rel_idx[mask] = _choice(_RELATION_MIX[key], int(mask.sum()), rng)
    relationship = np.empty(n, dtype=object)
    relationship[is_head] = "kepala_keluarga"
    relationship[is_spouse] = "istri_suami"
    relationship[other] = np.array(_RELATIONS, dtype=object)[rel_idx[other]]

    # --- sex
    u = rng.random(n)
    female = np.zeros(n, dtype=bool)
    female[is_head] = head_female[hh[is_head]]
    female[is_spouse] = ~head_female[hh[is_spouse]]
    p_female_rel = {"anak": 0.49, "cucu": 0.49, "menantu": 0.75, "orang_tua": 0.70, "mertua": 0.70}
    for relation, p in p_female_rel.items():
        mask = relationship == relation
        female[mask] = u[mask] < p
    mask = np.isin(relationship, ["famili_lain", "lainnya"])
    female[mask] = u[mask] < 0.5

    # --- ages
    age = np.zeros(n, dtype=np.int64)
    age[is_head] = head_age[hh[is_head]]
    spouse_age = np.clip(
        head_age[hh] + np.where(head_female[hh], 4, -4) + np.round(rng.normal(0, 4, n)), 17, 95
    ).astype(np.int64)
    age[is_spouse] = spouse_age[is_spouse]
    # the mother's generation: spouse's age when the spouse is a woman, else the head's age − 4
    mother_age = np.where(
        head_female[hh], head_age[hh], np.where(has_spouse[hh], spouse_age, head_age[hh] - 4)
    )
    gap = 19.0 + rng.random(n) * np.maximum(np.minimum(45.0, mother_age) - 19.0, 0.0)
    child = np.maximum(mother_age - gap, 0).astype(np.int64)
    rel = relationship
    age[rel == "anak"] = child[rel == "anak"]
    grand = np.maximum(mother_age - 40 - rng.integers(0, 21, n), 0)
    grand = np.where(grand == 0, rng.integers(0, 6, n), grand)
    age[rel == "cucu"] = grand[rel == "cucu"]
    in_law = np.maximum(mother_age - 22 - rng.integers(0, 14, n), 18)
    age[rel == "menantu"] = in_law[rel == "menantu"]
    parents = np.minimum(head_age[hh] + 22 + rng.integers(0, 14, n), 98)
    mask = np.isin(rel, ["orang_tua", "mertua"])
    age[mask] = parents[mask]
    mask = np.isin(rel, ["famili_lain", "lainnya"])
    age[mask] = rng.integers(3, 75, n)[mask]
    birth = _birth_dates(age, rng)
    birth_year = birth.astype("datetime64[Y]").astype(np.int64) + 1970

    # --- marital status
    u = rng.random(n)
    marital = np.full(n, "belum_kawin", dtype=object)
    marital[is_head & has_spouse[hh]] = "kawin"
    lone_head = is_head & ~has_spouse[hh]
    marital[lone_head & female & (age >= 25)] = np.where(
        u[lone_head & female & (age >= 25)] < 0.7, "cerai_mati", "cerai_hidup"
    )
    m = lone_head & ~female & (age >= 25)
    marital[m] = np.where(
        u[m] < 0.5, "cerai_mati", np.where(u[m] < 0.8, "cerai_hidup", "belum_kawin")
    )
    m = lone_head & (age < 25)
    marital[m] = np.where(
        u[m] < 0.6, "belum_kawin", np.where(u[m] < 0.8, "cerai_hidup", "cerai_mati")
    )
    marital[is_spouse] = "kawin"
    marital[rel == "menantu"] = "kawin"
    m = np.isin(rel, ["anak", "cucu", "famili_lain", "lainnya"]) & (age >= 18)
    marital[m] = np.where(u[m] < np.where(age[m] >= 25, 0.45, 0.12), "kawin", "belum_kawin")
    m = np.isin(rel, ["anak", "famili_lain"]) & (age >= 25) & (u > 0.92)
    marital[m] = "cerai_hidup"
    m = np.isin(rel, ["orang_tua", "mertua"])
    marital[m] = np.where(u[m] < 0.75, "cerai_mati", "kawin")

    # --- schooling (highest completed)
    head_latent = households["head_edu_latent"].to_numpy()
    mean = np.array([EDUCATION_MEAN[c] for c in range(5)])[desil]
    latent = (
        mean[hh]
        + 0.035 * (45 - age)
        + 0.35 * (head_latent[hh] - mean[hh])
        - 0.15 * female
        + rng.normal(0.0, 0.9, n)
    )
    edu_idx = np.searchsorted(np.array(EDUCATION_CUTS), latent)
    edu_idx = np.where(age < 13, 0, edu_idx)
    edu_idx = np.where((age >= 13) & (age < 16), np.minimum(edu_idx, 1), edu_idx)
    edu_idx = np.where((age >= 16) & (age < 19), np.minimum(edu_idx, 2), edu_idx)
    edu_idx = np.where((age >= 19) & (age < 22), np.minimum(edu_idx, 3), edu_idx)
    edu_idx = np.where(
        (age >= 13) & (age < 19) & (edu_idx == 0) & (rng.random(n) < 0.9), 1, edu_idx
    )
    education = np.array(EDUCATION_LEVELS, dtype=object)[edu_idx]
    head_edu = households["head_education"].to_numpy()
    education[is_head] = head_edu[hh[is_head]]

    # --- disability
    p_dis = np.where(age < 18, 0.01, np.where(age < 60, 0.025, 0.08)) * np.where(
        desil[hh] == 1, 1.3, 1.0
    )
    disability = rng.random(n) < p_dis

    # --- activity
    u = rng.random(n)
    activity = np.full(n, None, dtype=object)
    m = (age >= 5) & (age < 7)
    activity[m] = keep(u[m] < 0.7, "school")
    m = (age >= 7) & (age < 16)
    activity[m] = np.where(u[m] < 0.97, "school", "seeking")
    m = (age >= 16) & (age < 19)
    activity[m] = np.where(
        u[m] < 0.62,
        "school",
        np.where(u[m] < 0.85, "working", np.where(female[m], "housekeeping", "seeking")),
    )
    m = (age >= 19) & (age < 25)
    activity[m] = np.where(
        u[m] < 0.12,
        "school",
        np.where(
            u[m] < 0.62,
            "working",
            np.where(u[m] < 0.80, "seeking", np.where(female[m], "housekeeping", "seeking")),
        ),
    )
    m = (age >= 25) & (age < 60) & ~female
    activity[m] = np.where(
        u[m] < 0.87,
        "working",
        np.where(u[m] < 0.95, "seeking", np.where(u[m] < 0.98, "housekeeping", "unable")),
    )
    m = (age >= 25) & (age < 60) & female
    activity[m] = np.where(
        u[m] < 0.50,
        "working",
        np.where(u[m] < 0.55, "seeking", np.where(u[m] < 0.97, "housekeeping", "unable")),
    )
    m = age >= 60
    activity[m] = np.where(
        u[m] < np.where(female[m], 0.30, 0.50),
        "working",
        np.where(female[m] & (u[m] < 0.65), "housekeeping", "unable"),
    )
    m = disability & (age >= 16) & (rng.random(n) < 0.4)
    activity[m] = "unable"
    activity[is_head] = households["head_activity"].to_numpy()[hh[is_head]]

    # --- sector
    cluster_kbli = households["cluster_kbli"].to_numpy()
    in_cluster = np.array([c is not None for c in cluster_kbli])
    sector = draw_sectors(desil[hh], np.where(female, "P", "L"), in_cluster[hh], rng)
    sector[activity != "working"] = None
    sector[is_head] = households["head_sector"].to_numpy()[hh[is_head]]

    # --- skills
    skills = _skills(sector, activity, female, age, cluster_kbli[hh], rng)

    # --- commuting
    median = (
        np.where(female, 4.5, 7.0) * np.where(age >= 60, 0.6, 1.0) * np.where(disability, 0.5, 1.0)
    )
    commute = np.clip(median * np.exp(rng.normal(0.0, 0.6, n)), 0.5, 40.0)
    commute = np.round(commute * 2.0) / 2.0
    commute_out: FloatArray = np.where(age >= 15, commute, np.nan)

    # --- NIK (with moved households and date mismatches)
    kec_own = np.array(
        [c.replace(".", "") for c in households["kecamatan_code"].to_list()], dtype=object
    )
    moved = rng.random(n_hh) < MOVED_HOUSEHOLD_SHARE
    within = rng.random(n_hh) < MOVED_WITHIN_REGENCY
    kec_issue = kec_own.copy()
    own_codes = np.array([c.replace(".", "") for c in kecamatan_codes], dtype=object)
    other_codes = np.array([c.replace(".", "") for c in other_kecamatan_codes], dtype=object)
    pick_own = own_codes[rng.integers(0, own_codes.size, n_hh)]
    same = pick_own == kec_own
    pick_own[same] = own_codes[(np.searchsorted(own_codes, kec_own[same]) + 1) % own_codes.size]
    pick_other = (
        other_codes[rng.integers(0, max(other_codes.size, 1), n_hh)]
        if other_codes.size
        else pick_own
    )
    kec_issue[moved] = np.where(within[moved], pick_own[moved], pick_other[moved])
    date_flaw = rng.random(n) < DATE_MISMATCH_SHARE
    nik_birth = np.where(date_flaw, shifted_dates(birth, rng), birth)
    nik = build_nik(kec_issue[hh].astype(str), nik_birth, female, rng)
    padan = ~date_flaw & (rng.random(n) >= NOT_MATCHED_SHARE)

    names = person_names(np.where(female, "P", "L"), birth_year, rng)
    # --- realistic gaps
    name_out = keep(rng.random(n) >= MISSING_NAME_SHARE, names)
    education_out = keep(rng.random(n) >= MISSING_EDUCATION_SHARE, education)
    marital_out = keep(rng.random(n) >= MISSING_MARITAL_SHARE, marital)

    household_ids = households["household_id"].to_numpy()
    person_ids = (
        pl.Series(household_ids[hh].astype(str))
        + "-"
        + pl.Series((pos + 1).astype(str)).str.zfill(2)
    )
    persons = pl.DataFrame(
        {
            "person_id": person_ids,
            "household_id": pl.Series(household_ids[hh].astype(str)),
            "nik": pl.Series(nik.astype(str)),
            "name": pl.Series(name_out.tolist(), dtype=pl.Utf8),
            "relationship": pl.Series(relationship.astype(str)),
            "sex": pl.Series(np.where(female, "P", "L")),
            "birth_date": pl.Series(birth.astype("datetime64[D]")).cast(pl.Date),
            "marital_status": pl.Series(marital_out.tolist(), dtype=pl.Utf8),
            "education": pl.Series(education_out.tolist(), dtype=pl.Utf8),
            "activity": pl.Series(activity.tolist(), dtype=pl.Utf8),
            "sector": pl.Series(sector.tolist(), dtype=pl.Utf8),
            "skills": pl.Series(skills.tolist(), dtype=pl.Utf8),
            "disability": pl.Series(disability),
            "max_commute_km": pl.Series(commute_out).fill_nan(None),
            "age": pl.Series(age),
            "padan": pl.Series(padan),
            "desil": pl.Series(desil[hh]),
        }
    )
    has_under5 = np.bincount(hh, weights=(age < 5).astype(np.float64), minlength=n_hh) > 0
    head_rows = starts
    return PersonsResult(
        persons=persons,
        has_under5=has_under5,
        head_name=name_out[head_rows],
        head_nik=nik[head_rows],
        head_padan=padan[head_rows],
        moved=moved,
    )


def _skills(
    sector: np.ndarray,
    activity: np.ndarray,
    female: np.ndarray,
    age: IntArray,
    cluster_kbli: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Skill tags ``a;b;c`` (or None) from sector, cluster, sex and age."""
    n = sector.size
    adult = age >= 15
    working = activity == "working"
    tags: list[np.ndarray] = []

    main = np.full(n, None, dtype=object)
    for letter, tag in SECTOR_SKILL.items():
        main[working & (sector == letter)] = tag
    craft = np.array(
        [CLUSTER_SKILL.get(c) if c is not None else None for c in cluster_kbli], dtype=object
    )
    has_craft = craft != None  # noqa: E711 - object array
    generic_c = working & (sector == "C") & ~has_craft
    u = rng.random(n)
    main[generic_c & female] = np.where(u[generic_c & female] < 0.5, "menjahit", "mengolah_makanan")
    main[generic_c & ~female] = np.where(
        u[generic_c & ~female] < 0.5, "pertukangan_kayu", "pengolahan"
    )
    local = working & (sector == "C") & has_craft
    main[local] = craft[local]
    tags.append(main)

    extra = np.full(n, None, dtype=object)
    u2 = rng.random(n)
    m = adult & has_craft & ~local & (u2 < 0.25)
    extra[m] = craft[m]
    m = adult & (sector == "A") & (u2 >= 0.25) & (u2 < 0.55)
    extra[m] = "beternak"
    tags.append(extra)

    home = np.full(n, None, dtype=object)
    u3 = rng.random(n)
    m = adult & female & (u3 < 0.45)
    home[m] = "memasak"
    m = adult & female & (u3 >= 0.45) & (u3 < 0.57)
    home[m] = "menjahit"
    m = adult & (u3 >= 0.57) & (u3 < 0.61)
    home[m] = "anyaman"
    m = adult & ~female & (u3 >= 0.61) & (u3 < 0.76)
    home[m] = "mengemudi"
    m = adult & ~female & (u3 >= 0.76) & (u3 < 0.88) & (sector != "F")
    home[m] = "bangunan"
    tags.append(home)

    frame = pl.DataFrame(
        {f"t{i}": pl.Series(t.tolist(), dtype=pl.Utf8) for i, t in enumerate(tags)}
    )
    joined = frame.select(
        pl.concat_list(pl.all()).list.drop_nulls().list.unique(maintain_order=True).list.join(";")
    ).to_series()
    return keep(joined.str.len_chars().to_numpy() > 0, joined.to_numpy())
