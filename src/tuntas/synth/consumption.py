"""True consumption per capita for every household in the regency (a latent welfare model).

A latent welfare index z is built from what makes a Klaten household poor:

    z = b[desil] + u_desa + λ22·loci2022 + λ23·loci2023 + λu·urban + β_edu[head schooling]
        + β_sec[head sector] + β_size·ln(size/3.5) + β_f·female head + ε,   ε ~ N(0, σ_ε²)

and mapped to consumption by the monotone :class:`~tuntas.synth.calibrate.WelfareTransform`
(log c linear in z below a knot, steeper above). The transform's level and lower slope are solved
*on the drawn survey sample* so that the survey-weighted P0 and P1 at the BPS line equal the published
March 2024 figures (BPS's own figures are survey estimates, so the synthetic survey reproduces them
and the population truth carries sampling error, as in reality). Effect sizes are assumptions.

Examples
--------
>>> import numpy as np
>>> z = latent_welfare(
...     cls=np.array([1, 0]), size=np.array([4, 2]), desa_effect=np.zeros(2),
...     loci_2022=np.array([True, False]), loci_2023=np.zeros(2, bool), urban=np.zeros(2, bool),
...     head_education=np.array(["sd", "sma"], dtype=object),
...     head_sector=np.array(["A", "G"], dtype=object), head_female=np.zeros(2, bool),
...     rng=np.random.default_rng(0), noise_sd=0.0)
>>> bool(z[0] < z[1])
True
"""

from __future__ import annotations

import numpy as np

from tuntas.synth.calibrate import FloatArray, IntArray

WELFARE_BASE = {1: -1.00, 2: -0.45, 3: -0.10, 4: 0.20, 0: 0.70}
"""Base welfare by P3KE desil (0 = not in the registry) — the registry ranks households imperfectly."""
DESA_EFFECT_SD = 0.15
"""SD of the desa random effect u_desa."""
LOCI_2022_EFFECT = -0.35
"""Welfare shift of households in 2022 loci."""
LOCI_2023_EFFECT = -0.20
"""Welfare shift of households in 2023 loci."""
URBAN_EFFECT = 0.15
"""Welfare shift of urban households."""
EDUCATION_EFFECT = {
    "tidak_sekolah": -0.20,
    "sd": -0.08,
    "smp": 0.0,
    "sma": 0.12,
    "perguruan_tinggi": 0.35,
}
"""Welfare shift by the head's schooling."""
SECTOR_EFFECT = {"A": -0.30, "F": -0.05, "T": -0.10, "O": 0.25, "P": 0.25, "Q": 0.25}
"""Welfare shift by the head's sector (others 0); a head without work: −0.15."""
NO_WORK_EFFECT = -0.15
SIZE_EFFECT = -0.25
"""Welfare shift per unit of ln(size/3.5): larger households have less per capita."""
FEMALE_HEAD_EFFECT = -0.05
NOISE_SD = 0.60
"""SD of the idiosyncratic term ε."""
KNOT_QUANTILE = 0.45
"""The transform's knot: the person-weighted 45th percentile of z in the population."""
UPPER_SLOPE_RATIO = 2.5
"""Above the knot, log consumption rises 2× as fast per unit of z (spreads the richer half)."""
SURVEY_MARGIN_P0 = 0.0020
"""The survey's P0 may sit up to 0.20 points from the published value (tolerance ±0.30) …"""
SURVEY_MARGIN_P1 = 0.0010
"""… and its P1 up to 0.10 (tolerance ±0.15), to bring the population truth closer to BPS."""


def _signed(x: float) -> str:
    return f"{x:+.2f}".replace("-", "−")


ASSUMPTIONS = (
    "Latent welfare z = base by desil ("
    + "/".join(_signed(WELFARE_BASE[d]) for d in (1, 2, 3, 4))
    + f" for desil 1–4, {_signed(WELFARE_BASE[0])} outside the registry) + desa effect "
    f"N(0, {DESA_EFFECT_SD}²) {_signed(LOCI_2022_EFFECT)} in 2022 loci "
    f"{_signed(LOCI_2023_EFFECT)} in 2023 loci {_signed(URBAN_EFFECT)} urban + head schooling "
    f"({_signed(EDUCATION_EFFECT['tidak_sekolah'])} none … "
    f"{_signed(EDUCATION_EFFECT['perguruan_tinggi'])} tertiary) + head sector (agriculture "
    f"{_signed(SECTOR_EFFECT['A'])}, public services {_signed(SECTOR_EFFECT['O'])}, no work "
    f"{_signed(NO_WORK_EFFECT)}) {_signed(SIZE_EFFECT)}·ln(size/3.5) "
    f"{_signed(FEMALE_HEAD_EFFECT)} female head + N(0, {NOISE_SD}²).",
    f"Consumption = exp(α + σ·z) below the person-weighted {KNOT_QUANTILE:.0%} quantile of z and "
    f"{UPPER_SLOPE_RATIO}× steeper above; α and σ solved on the survey sample so its weighted "
    f"P0 and P1 are within {100 * SURVEY_MARGIN_P0:.2f} and {100 * SURVEY_MARGIN_P1:.2f} points of "
    "BPS March 2024; within that band the population gets BPS's P0 and BPS's ratio P1/P0.",
)


def latent_welfare(
    *,
    cls: IntArray,
    size: IntArray,
    desa_effect: FloatArray,
    loci_2022: np.ndarray,
    loci_2023: np.ndarray,
    urban: np.ndarray,
    head_education: np.ndarray,
    head_sector: np.ndarray,
    head_female: np.ndarray,
    rng: np.random.Generator,
    noise_sd: float = NOISE_SD,
) -> FloatArray:
    """The latent welfare index z of each household (see the module formula)."""
    n = cls.size
    base = np.array([WELFARE_BASE[int(c)] for c in range(5)])[cls]
    edu = np.zeros(n)
    for level, effect in EDUCATION_EFFECT.items():
        edu[head_education == level] = effect
    sector = np.where(head_sector == None, NO_WORK_EFFECT, 0.0)  # noqa: E711 - object array
    for letter, effect in SECTOR_EFFECT.items():
        sector[head_sector == letter] = effect
    return (
        base
        + desa_effect
        + LOCI_2022_EFFECT * loci_2022
        + LOCI_2023_EFFECT * loci_2023
        + URBAN_EFFECT * urban
        + edu
        + sector
        + SIZE_EFFECT * np.log(size / 3.5)
        + FEMALE_HEAD_EFFECT * head_female
        + rng.normal(0.0, noise_sd, n)
    )
