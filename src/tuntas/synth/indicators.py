"""Housing and asset indicators and social-assistance flags, correlated with welfare.

Each ordered indicator (floor, wall, roof, toilet, water, lighting, cooking fuel, owning the house,
having savings) is an ordered probit on the standardised welfare index v:

    y = ρ·v + δ·urban + √(1−ρ²)·e,   e ~ N(0, 1),

cut at the population quantiles that give the category shares below (worst category first). The same
function serves registry and survey households, so a proxy-means test fitted on the survey transfers
to the registry. Loadings ρ were set so that log consumption regressed on the indicators has an R² of
about 0.4–0.5 on the survey (the brief asks 0.3–0.6, as PMTs in Indonesia achieve).

Assistance flags (registry only) go, within each desil, to the households with the lowest
``−ρ·v + noise`` until the desil's share is reached.

Examples
--------
>>> import numpy as np
>>> ind = draw_indicators(np.linspace(-2, 2, 1000), np.zeros(1000, bool), np.full(1000, 45),
...                       np.random.default_rng(0))
>>> sorted(ind)[:3]
['cooking_fuel', 'floor', 'has_savings']
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tuntas.synth.calibrate import FloatArray, IntArray


@dataclass(frozen=True)
class Indicator:
    """An ordered indicator: categories worst → best, their population shares, loading, urban shift."""

    name: str
    categories: tuple[str, ...]
    shares: tuple[float, ...]
    loading: float
    urban_shift: float = 0.0


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "floor",
        ("tanah", "bambu", "kayu", "semen", "keramik"),
        (0.03, 0.003, 0.007, 0.33, 0.63),
        0.50,
    ),
    Indicator(
        "wall", ("bambu", "kayu", "tembok_tanpa_plester", "tembok"), (0.03, 0.02, 0.12, 0.83), 0.45
    ),
    Indicator(
        "roof",
        ("jerami", "seng", "asbes", "genteng", "beton"),
        (0.001, 0.012, 0.04, 0.92, 0.027),
        0.25,
    ),
    Indicator("toilet", ("tidak_ada", "bersama", "sendiri"), (0.03, 0.07, 0.90), 0.35),
    Indicator(
        "water",
        ("sumur_tak_terlindung", "mata_air", "sumur_terlindung", "ledeng", "air_kemasan"),
        (0.05, 0.06, 0.40, 0.12, 0.37),
        0.35,
        0.5,
    ),
    Indicator(
        "lighting",
        ("bukan_listrik", "listrik_non_pln", "pln_450", "pln_900", "pln_1300_lebih"),
        (0.001, 0.004, 0.30, 0.45, 0.245),
        0.50,
    ),
    Indicator(
        "cooking_fuel",
        ("kayu_bakar", "minyak_tanah", "gas_3kg", "gas_besar", "listrik"),
        (0.12, 0.005, 0.80, 0.05, 0.025),
        0.40,
        0.4,
    ),
    Indicator("owns_house", ("false", "true"), (0.10, 0.90), 0.10),
    Indicator("has_savings", ("false", "true"), (0.60, 0.40), 0.45),
)
"""The indicators, shares in the regency population (assumption shaped on Susenas Jawa Tengah)."""

ASSISTANCE_RATES = {
    "pkh": ((0.45, 0.25, 0.10, 0.04), 0.5),
    "bpnt": ((0.60, 0.42, 0.20, 0.08), 0.5),
    "pbi_jkn": ((0.80, 0.66, 0.48, 0.32), 0.4),
    "bst": ((0.30, 0.26, 0.20, 0.14), 0.2),
}
"""Share of families receiving each programme in desil 1–4, and the welfare loading (assumption)."""
BPUM_BUSINESS_SHARE = 0.20
"""BPUM (micro-business cash aid 2020–21) went to 20% of families whose head trades or makes goods."""
STUNTING_RISK = (0.55, 0.45, 0.35, 0.25)
"""Share of families with a child under five flagged at risk of stunting, by desil (assumption)."""
INDICATOR_MISSING_SHARE = 0.01
"""Share of registry families with each indicator left empty (realistic gaps)."""

ASSUMPTIONS = (
    "Indicators: ordered probits on standardised welfare with loadings 0.10 (owns house) to 0.50 "
    "(floor, lighting); population shares e.g. earth floor 3%, no toilet 3%, firewood 12%, "
    f"PLN 450 VA 30%, savings 40%; {INDICATOR_MISSING_SHARE:.0%} of registry values empty.",
    "Assistance in desil 1–4: PKH 45/25/10/4%, BPNT 60/42/20/8%, PBI-JKN 80/66/48/32%, BST "
    f"30/26/20/14%; BPUM {BPUM_BUSINESS_SHARE:.0%} of families with a head in trade/manufacturing/food; "
    "stunting risk 55/45/35/25% of families with a child under five; every verified extreme-poor "
    "family receives PKH (Harian Jogja 31/7/2022).",
)


def standardise(z: FloatArray, weights: FloatArray | None = None) -> FloatArray:
    """(z − mean)/sd, optionally weighted."""
    w = np.ones_like(z) if weights is None else weights
    mean = float((w * z).sum() / w.sum())
    sd = float(np.sqrt((w * (z - mean) ** 2).sum() / w.sum()))
    return (z - mean) / max(sd, 1e-12)


def draw_indicators(
    v: FloatArray, urban: np.ndarray, head_age: IntArray, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Every indicator for households with standardised welfare ``v``; booleans for the two flags."""
    n = v.size
    out: dict[str, np.ndarray] = {}
    for ind in INDICATORS:
        y = (
            ind.loading * v
            + ind.urban_shift * urban
            + np.sqrt(1 - ind.loading**2) * rng.normal(0, 1, n)
        )
        if ind.name == "owns_house":
            y = y - 0.8 * (head_age < 30)
        cuts = np.quantile(y, np.cumsum(ind.shares)[:-1]) if n else np.zeros(len(ind.shares) - 1)
        idx = np.searchsorted(cuts, y)
        if ind.categories == ("false", "true"):
            out[ind.name] = idx.astype(bool)
        else:
            out[ind.name] = np.array(ind.categories, dtype=object)[idx]
    return out


def rank_flags(
    v: FloatArray,
    desil: IntArray,
    rates: tuple[float, ...],
    loading: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Within each desil, flag the share ``rates[d−1]`` with the lowest ρ·v + √(1−ρ²)·e."""
    score = loading * v + np.sqrt(1 - loading**2) * rng.normal(0, 1, v.size)
    out = np.zeros(v.size, dtype=bool)
    for d, rate in enumerate(rates, start=1):
        idx = np.flatnonzero(desil == d)
        k = round(rate * idx.size)
        if k:
            order = idx[np.argsort(score[idx], kind="stable")]
            out[order[:k]] = True
    return out


def draw_assistance(
    v: FloatArray,
    desil: IntArray,
    head_sector: np.ndarray,
    has_under5: np.ndarray,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """``pkh, bpnt, pbi_jkn, bpum, bst, stunting_risk`` for registry households."""
    out = {
        name: rank_flags(v, desil, rates, rho, rng)
        for name, (rates, rho) in ASSISTANCE_RATES.items()
    }
    business = np.isin(head_sector.astype(str), ["G", "C", "I"])
    out["bpum"] = business & (rng.random(v.size) < BPUM_BUSINESS_SHARE)
    p_stunt = np.array((0.0, *STUNTING_RISK))[desil]
    out["stunting_risk"] = has_under5 & (rng.random(v.size) < p_stunt)
    return out
