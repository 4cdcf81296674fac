"""Households of the whole regency: the registry (P3KE desil 1–4) and everyone else.

Steps (all vectorised):

1. **Targets.** Families and persons by desil (P3KE July 2023, exact), families per kecamatan where
   published (exact), the rest of the families shared by kecamatan population.
2. **Kecamatan × desil** by raking (IPF) a seed matrix to both margins: the seed gives desil 1 more
   weight in kecamatan with 2022 loci and with many 2023 loci (and the published July-2023 desil
   split where one exists), then :func:`~tuntas.synth.calibrate.integerize` keeps both margins exact.
3. **Desa** within kecamatan: multinomial draws with weight = desa population proxy × a locus
   multiplier for desil 1 (and its square root for desil 2). The 2022-loci multiplier is solved so the
   expected number of desil-1 families in the 2022 loci equals the ~4,000 that Klaten verified.
4. **Sizes** by desil: 1 + Poisson(μ−1), then single members are added or removed at random until
   each desil's persons total is exact.
5. **Non-registry households** fill each desa up to its population (the regency total is the Dukcapil
   figure), with a smaller mean size.
6. **Heads**: sex, age, schooling, activity and sector by desil (class 0 = not in the registry).

Examples
--------
>>> from tuntas.synth.regions import geography
>>> t = registry_targets(geography("33.10"), scale=1.0)
>>> sum(t.families_by_desil), sum(t.persons_by_desil)
(198696, 716009)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy.optimize import brentq

from tuntas.synth.calibrate import FloatArray, IntArray, integerize, ipf, largest_remainder
from tuntas.synth.facts import KLATEN, klaten_facts
from tuntas.synth.regions import Geography

DESIRED_MEAN_SIZE_NONREGISTRY = 3.0
"""Mean size of households outside the registry (assumption; gives ≈3.3 overall, as Susenas Jateng)."""
NONREGISTRY_MIN_SHARE = 0.15
"""Each desa keeps at least 15% of its population outside the registry (assumption)."""
DESA_WEIGHT_AREA_EXPONENT = 0.5
"""Desa population proxy ∝ area^0.5 (damped area; no published desa population)."""
DESA_WEIGHT_URBAN = 1.8
"""Urban desa are denser: population proxy × 1.8 (assumption)."""
DESA_WEIGHT_NOISE_SD = 0.20
"""Log-normal noise on the desa population proxy (assumption)."""
LOCI_2023_DESIL1_MULTIPLIER = 1.35
"""Desil-1 allocation weight × 1.35 in 2023 loci (assumption)."""
URBAN_DESIL1_MULTIPLIER = 0.65
DEFAULT_LOCI_2022_MULTIPLIER = 1.3
"""Desil-1 weight in 2022 (pseudo-)loci outside Klaten (≈ the value solved for Klaten)."""
"""Desil-1 allocation weight × 0.65 in urban desa (assumption)."""
MAX_SIZE = 14
"""Largest household generated."""

HEAD_FEMALE = {1: 0.27, 2: 0.22, 3: 0.18, 4: 0.16, 0: 0.13}
"""Share of female heads by desil (0 = not in registry); single-person households: 0.55."""
HEAD_AGE_MEAN = {1: 53.0, 2: 50.0, 3: 48.0, 4: 46.0, 0: 45.0}
"""Mean head age by desil, SD 13, +6 for women, +8 for single-person households."""
EDUCATION_MEAN = {1: -0.55, 2: -0.30, 3: -0.10, 4: 0.10, 0: 0.75}
"""Ordered-probit mean of schooling by desil, shifted −0.035 per year of age above 45."""
EDUCATION_CUTS = (-1.6, 0.1, 0.8, 1.9)
"""Cut points tidak_sekolah | sd | smp | sma | perguruan_tinggi."""
EDUCATION_LEVELS = ("tidak_sekolah", "sd", "smp", "sma", "perguruan_tinggi")

SECTORS = ("A", "C", "F", "G", "H", "I", "O", "P", "Q", "S", "T")
"""KBLI categories drawn for workers."""
_SECTOR_MIX = {
    # (desil class, sex) → shares over SECTORS; assumption shaped on Sakernas Jawa Tengah patterns:
    # the poorest work mostly in agriculture and casual construction, richer households in trade,
    # manufacturing and public services.
    (1, "L"): (0.50, 0.12, 0.16, 0.09, 0.04, 0.03, 0.01, 0.01, 0.00, 0.02, 0.02),
    (1, "P"): (0.42, 0.16, 0.01, 0.20, 0.00, 0.09, 0.00, 0.02, 0.01, 0.03, 0.06),
    (2, "L"): (0.42, 0.15, 0.15, 0.12, 0.05, 0.04, 0.02, 0.02, 0.005, 0.02, 0.015),
    (2, "P"): (0.35, 0.18, 0.01, 0.23, 0.00, 0.10, 0.01, 0.03, 0.01, 0.03, 0.05),
    (3, "L"): (0.34, 0.17, 0.14, 0.15, 0.05, 0.04, 0.03, 0.03, 0.01, 0.025, 0.015),
    (3, "P"): (0.28, 0.19, 0.01, 0.26, 0.00, 0.10, 0.02, 0.05, 0.02, 0.03, 0.04),
    (4, "L"): (0.28, 0.18, 0.13, 0.17, 0.05, 0.05, 0.04, 0.04, 0.01, 0.03, 0.02),
    (4, "P"): (0.22, 0.20, 0.01, 0.28, 0.00, 0.11, 0.03, 0.07, 0.03, 0.03, 0.02),
    (0, "L"): (0.15, 0.20, 0.09, 0.22, 0.05, 0.05, 0.08, 0.07, 0.03, 0.04, 0.02),
    (0, "P"): (0.10, 0.20, 0.01, 0.30, 0.00, 0.10, 0.07, 0.12, 0.06, 0.03, 0.01),
}
CLUSTER_MANUFACTURING_SHIFT = 0.15
"""In cluster desa, 15% of workers outside manufacturing move to it (assumption)."""

ASSUMPTIONS = (
    f"Desa population proxy ∝ polygon area^{DESA_WEIGHT_AREA_EXPONENT} × {DESA_WEIGHT_URBAN} if "
    f"urban × log-normal noise (SD {DESA_WEIGHT_NOISE_SD}), scaled to the kecamatan proxy.",
    f"Registry desil 1 weight × {LOCI_2023_DESIL1_MULTIPLIER} in 2023 loci and × "
    f"{URBAN_DESIL1_MULTIPLIER} in urban desa; the 2022-loci multiplier is solved so ≈4,000 desil-1 "
    "families live in the 2022 loci (Harian Jogja 31/7/2022); desil 2 uses the square roots.",
    f"Non-registry households: mean size {DESIRED_MEAN_SIZE_NONREGISTRY} (1 + Poisson), at least "
    f"{NONREGISTRY_MIN_SHARE:.0%} of each desa's population.",
    "Household heads: female share 27/22/18/16% in desil 1–4 and 13% outside the registry; ages "
    "N(53/50/48/46/45, 13); schooling by an ordered probit on desil and age; sector mix by desil and "
    "sex (agriculture 50% of desil-1 male heads, 15% outside the registry).",
)


@dataclass(frozen=True)
class RegistryTargets:
    """Counts the registry must reproduce (already scaled)."""

    families_by_desil: tuple[int, int, int, int]
    persons_by_desil: tuple[int, int, int, int]
    kecamatan_fixed: dict[str, int]
    population: int
    loci_2022_desil1: int | None
    """Desil-1 families expected in the 2022 loci (Klaten only; None elsewhere)."""
    verified_extreme: int | None
    scaled_from_klaten: bool


def registry_targets(geo: Geography, *, scale: float) -> RegistryTargets:
    """Scaled targets for ``geo``: Klaten's published figures, or Klaten's profile × population ratio."""
    facts = klaten_facts()
    klaten_population = 1302648
    ratio = 1.0 if geo.regency == KLATEN else geo.population / klaten_population
    factor = ratio * scale
    fam_total = round(sum(facts.families_by_desil) * factor)
    per_total = round(sum(facts.persons_by_desil) * factor)
    families = largest_remainder(facts.families_by_desil, fam_total)
    persons = largest_remainder(facts.persons_by_desil, per_total)
    fixed = (
        {k: round(v * scale) for k, v in facts.kecamatan_families.items()}
        if geo.regency == KLATEN
        else {}
    )
    return RegistryTargets(
        families_by_desil=(int(families[0]), int(families[1]), int(families[2]), int(families[3])),
        persons_by_desil=(int(persons[0]), int(persons[1]), int(persons[2]), int(persons[3])),
        kecamatan_fixed=fixed,
        population=round(geo.population * scale),
        loci_2022_desil1=round(facts.verification_initial * scale)
        if geo.regency == KLATEN
        else None,
        verified_extreme=round(facts.verification_verified * scale)
        if geo.regency == KLATEN
        else None,
        scaled_from_klaten=geo.regency != KLATEN,
    )


def desa_population_weights(geo: Geography, rng: np.random.Generator) -> FloatArray:
    """Population proxy per desa (persons), summing to each kecamatan's population proxy."""
    desa = geo.desa
    area = desa["area_km2"].to_numpy().astype(np.float64)
    base = np.where(
        np.isnan(area), 1.0, np.power(np.nan_to_num(area, nan=1.0), DESA_WEIGHT_AREA_EXPONENT)
    )
    base = base * np.where(desa["urban"].to_numpy(), DESA_WEIGHT_URBAN, 1.0)
    base = base * np.exp(rng.normal(0.0, DESA_WEIGHT_NOISE_SD, desa.height))
    kec_codes = desa["kecamatan_code"].to_numpy()
    kec_pop = dict(
        zip(
            geo.kecamatan["code"].to_list(),
            geo.kecamatan["population_proxy"].to_list(),
            strict=True,
        )
    )
    out = np.empty(desa.height)
    for k in np.unique(kec_codes):
        mask = kec_codes == k
        out[mask] = base[mask] / base[mask].sum() * kec_pop[str(k)]
    return out


def kecamatan_family_totals(geo: Geography, targets: RegistryTargets) -> IntArray:
    """Families per kecamatan: published figures where known, the rest ∝ population proxy."""
    codes = geo.kecamatan["code"].to_list()
    pop = geo.kecamatan["population_proxy"].to_numpy()
    total = sum(targets.families_by_desil)
    fixed = np.array([targets.kecamatan_fixed.get(c, -1) for c in codes])
    free = fixed < 0
    rest = total - int(fixed[~free].sum())
    out = fixed.copy()
    out[free] = largest_remainder(pop[free], max(rest, 0))
    return out.astype(np.int64)


def _kecamatan_seed(geo: Geography) -> FloatArray:
    """Seed matrix (kecamatan × desil 1–4) for the raking."""
    facts = klaten_facts()
    desa = geo.desa
    stats = (
        desa.group_by("kecamatan_code")
        .agg(
            pl.col("loci_2022").any().alias("l22"),
            pl.col("loci_2023").mean().alias("l23"),
            pl.col("urban").mean().alias("urb"),
        )
        .sort("kecamatan_code")
    )
    lookup = {r[0]: r[1:] for r in stats.iter_rows()}
    rows = []
    for code in geo.kecamatan["code"].to_list():
        l22, l23, urb = lookup[code]
        poverty = np.exp(0.35 * float(l22) + 1.2 * float(l23) - 0.9 * float(urb))
        seed = np.array([poverty, poverty**0.4, 1.0, poverty**-0.3])
        published = facts.kecamatan_desil_seed.get(code) if geo.regency == KLATEN else None
        if published is not None:
            known = [v for v in published if v is not None]
            missing = sum(1 for v in published if v is None)
            fill = (1.0 - sum(known)) / missing if missing else 0.0
            shares = np.array([fill if v is None else v for v in published])
            regency = np.array(facts.families_by_desil, dtype=np.float64)
            seed = shares / (regency / regency.sum())
        rows.append(seed)
    return np.vstack(rows)


def _solve_loci_multiplier(
    weights: FloatArray,
    loci22: np.ndarray,
    base: FloatArray,
    kec_idx: IntArray,
    n_k1: IntArray,
    target: int,
) -> float:
    """Multiplier m for desil-1 weights in 2022 loci so that E[desil-1 families in loci] = target."""

    def expected(m: float) -> float:
        w = weights * base * np.where(loci22, m, 1.0)
        tot = np.bincount(kec_idx, weights=w, minlength=n_k1.size)
        inside = np.bincount(kec_idx, weights=np.where(loci22, w, 0.0), minlength=n_k1.size)
        return float((n_k1 * inside / np.maximum(tot, 1e-12)).sum()) - target

    if target <= 0 or not loci22.any():
        return 1.0
    lo, hi = 0.2, 20.0
    if expected(lo) > 0:
        return lo
    if expected(hi) < 0:
        return hi
    return float(brentq(expected, lo, hi, xtol=1e-6))


def allocate_registry(
    geo: Geography, targets: RegistryTargets, pop_weights: FloatArray, rng: np.random.Generator
) -> tuple[pl.DataFrame, float]:
    """One row per registry family: ``desa_index, desil``; also the solved 2022-loci multiplier."""
    kec_codes = geo.kecamatan["code"].to_list()
    kec_totals = kecamatan_family_totals(geo, targets)
    seed = _kecamatan_seed(geo)
    cols = np.array(targets.families_by_desil, dtype=np.float64)
    real = ipf(seed, rows=kec_totals.astype(np.float64), cols=cols)
    counts = integerize(real, kec_totals.tolist(), list(targets.families_by_desil))

    desa = geo.desa
    kec_index = {c: i for i, c in enumerate(kec_codes)}
    kec_idx = np.array([kec_index[c] for c in desa["kecamatan_code"].to_list()], dtype=np.int64)
    loci22 = desa["loci_2022"].to_numpy()
    loci23 = desa["loci_2023"].to_numpy()
    urban = desa["urban"].to_numpy()
    base1 = np.where(loci23, LOCI_2023_DESIL1_MULTIPLIER, 1.0) * np.where(
        urban, URBAN_DESIL1_MULTIPLIER, 1.0
    )
    m22 = (
        _solve_loci_multiplier(
            pop_weights, loci22, base1, kec_idx, counts[:, 0], targets.loci_2022_desil1
        )
        if targets.loci_2022_desil1 is not None
        else DEFAULT_LOCI_2022_MULTIPLIER
    )
    mult1 = base1 * np.where(loci22, m22, 1.0)
    multipliers = [mult1, np.sqrt(mult1), np.ones(desa.height), np.ones(desa.height)]

    desa_parts: list[IntArray] = []
    desil_parts: list[IntArray] = []
    for k in range(len(kec_codes)):
        members = np.flatnonzero(kec_idx == k)
        for j in range(4):
            n = int(counts[k, j])
            if n == 0:
                continue
            w = pop_weights[members] * multipliers[j][members]
            drawn = rng.multinomial(n, w / w.sum())
            desa_parts.append(np.repeat(members, drawn))
            desil_parts.append(np.full(n, j + 1, dtype=np.int64))
    frame = pl.DataFrame(
        {
            "desa_index": np.concatenate(desa_parts).astype(np.int64),
            "desil": np.concatenate(desil_parts).astype(np.int64),
        }
    )
    return frame, m22


def exact_sizes(
    means: FloatArray, groups: IntArray, totals: dict[int, int], rng: np.random.Generator
) -> IntArray:
    """Household sizes 1 + Poisson(μ−1), adjusted by single members so each group's sum is exact."""
    sizes = 1 + rng.poisson(np.maximum(means - 1.0, 0.0))
    sizes = np.minimum(sizes, MAX_SIZE).astype(np.int64)
    for group, total in sorted(totals.items()):
        idx = np.flatnonzero(groups == group)
        if idx.size == 0:
            continue
        for _ in range(50):
            diff = int(total - sizes[idx].sum())
            if diff == 0:
                break
            if diff > 0:
                pool = idx[sizes[idx] < MAX_SIZE]
                pick = rng.choice(pool, size=min(diff, pool.size), replace=False)
                sizes[pick] += 1
            else:
                pool = idx[sizes[idx] > 1]
                pick = rng.choice(pool, size=min(-diff, pool.size), replace=False)
                sizes[pick] -= 1
    return sizes


def nonregistry_households(
    geo: Geography,
    targets: RegistryTargets,
    pop_weights: FloatArray,
    registry_persons_by_desa: IntArray,
    rng: np.random.Generator,
) -> tuple[IntArray, IntArray]:
    """``(desa_index, size)`` of every household outside the registry.

    Persons outside the registry in desa d: max(pop_d − registry_d, 15%·pop_d), rescaled so the
    regency total equals the Dukcapil population; households per desa ∝ those persons.
    """
    registry_total = int(registry_persons_by_desa.sum())
    others = max(targets.population - registry_total, 0)
    pop = pop_weights / pop_weights.sum() * targets.population
    wanted = np.maximum(pop - registry_persons_by_desa, NONREGISTRY_MIN_SHARE * pop)
    n_households = max(round(others / DESIRED_MEAN_SIZE_NONREGISTRY), 1 if others else 0)
    n_households = min(n_households, others)
    per_desa = largest_remainder(wanted, n_households)
    desa_index = np.repeat(np.arange(pop.size), per_desa).astype(np.int64)
    means = np.full(desa_index.size, DESIRED_MEAN_SIZE_NONREGISTRY)
    sizes = exact_sizes(means, np.zeros(desa_index.size, dtype=np.int64), {0: others}, rng)
    return desa_index, sizes


def draw_heads(
    cls: IntArray, size: IntArray, cluster_desa: np.ndarray, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Head of household: ``head_sex, head_age, head_education, head_edu_latent, head_activity, head_sector``.

    ``cls`` is the desil (1–4) or 0 outside the registry; ``cluster_desa`` marks households living in a
    desa with a real industry cluster.
    """
    n = cls.size
    p_female = np.vectorize(HEAD_FEMALE.__getitem__, otypes=[float])(cls) if n else np.zeros(0)
    p_female = np.where(size == 1, 0.55, p_female)
    female = rng.random(n) < p_female
    age_mean = np.vectorize(HEAD_AGE_MEAN.__getitem__, otypes=[float])(cls) if n else np.zeros(0)
    age = age_mean + 6.0 * female + 8.0 * (size == 1) + rng.normal(0.0, 13.0, n)
    age = np.clip(np.round(age), 19, 95).astype(np.int64)

    edu_mean = np.vectorize(EDUCATION_MEAN.__getitem__, otypes=[float])(cls) if n else np.zeros(0)
    latent = edu_mean - 0.035 * (age - 45) - 0.15 * female + rng.normal(0.0, 1.0, n)
    edu_idx = np.searchsorted(np.array(EDUCATION_CUTS), latent)
    education = np.array(EDUCATION_LEVELS, dtype=object)[edu_idx]

    u = rng.random(n)
    old = age >= 65
    activity = np.full(n, "working", dtype=object)
    p_unable_old = np.where(cls == 1, 0.40, 0.32)
    activity[old & (u < p_unable_old)] = "unable"
    young = ~old
    activity[young & female & (u < 0.12)] = "housekeeping"
    activity[young & female & (u >= 0.12) & (u < 0.15)] = "seeking"
    activity[young & ~female & (u < 0.04)] = "seeking"
    activity[young & ~female & (u >= 0.04) & (u < 0.06)] = "unable"

    sector = draw_sectors(cls, np.where(female, "P", "L"), cluster_desa, rng)
    sector[activity != "working"] = None
    return {
        "head_sex": np.where(female, "P", "L").astype(object),
        "head_age": age,
        "head_education": education,
        "head_edu_latent": latent,
        "head_activity": activity,
        "head_sector": sector,
    }


def draw_sectors(
    cls: IntArray, sex: np.ndarray, cluster_desa: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """KBLI category per worker from the desil × sex mix, with the cluster shift to manufacturing."""
    n = cls.size
    out = np.empty(n, dtype=object)
    u = rng.random(n)
    for (c, s), shares in sorted(_SECTOR_MIX.items()):
        mask = (cls == c) & (sex == s)
        if not mask.any():
            continue
        cum = np.cumsum(np.array(shares) / sum(shares))
        out[mask] = np.array(SECTORS, dtype=object)[
            np.minimum(np.searchsorted(cum, u[mask]), len(SECTORS) - 1)
        ]
    shift = cluster_desa & (out != "C") & (rng.random(n) < CLUSTER_MANUFACTURING_SHIFT)
    out[shift] = "C"
    return out
