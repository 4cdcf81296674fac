"""A Susenas-like stratified two-stage sample with design weights.

Design (as BPS samples a regency in the March Susenas, simplified):

* **strata** = groups of about four neighbouring kecamatan (consecutive codes) × urban/rural;
* **first stage**: desa (PSUs) drawn with probability proportional to their number of households
  (systematic PPS on a random order; desa larger than the sampling interval are taken with
  certainty); PSUs are allocated to strata in proportion to households, at least two per stratum;
* **second stage**: :data:`HOUSEHOLDS_PER_PSU` households by systematic sampling with a random
  start from *all* households of the desa (registry or not), listed by registry desil;
* **implicit stratification**: desa are ordered by their share of desil-1 families before the PPS
  draw, as BPS orders its frame by a welfare proxy, which lowers the sampling error.

Design weight of household i in PSU d of stratum h: wᵢ = (1/π_d)·(M_d/m_d) with π_d = n_h·M_d/M_h,
so the weights of a stratum sum exactly to its number of households M_h.

Examples
--------
>>> import numpy as np
>>> pick, prob = pps_systematic(np.array([10.0, 20.0, 30.0, 140.0]), 2, np.random.default_rng(1))
>>> 3 in pick.tolist(), prob[pick.tolist().index(3)]  # larger than the interval: certain
(True, np.float64(1.0))
"""

from __future__ import annotations

import numpy as np
import polars as pl

from tuntas.synth.calibrate import FloatArray, IntArray, largest_remainder

PSU_COUNT = 120
"""PSUs (desa) in the full-scale sample: 120 × 10 ≈ 1,200 households, like a Susenas regency sample."""
HOUSEHOLDS_PER_PSU = 10
KECAMATAN_PER_GROUP = 4
MIN_PSU_COUNT = 40
"""At small scales the sample keeps at least 40 PSUs (400 households) so poverty can be calibrated."""

ASSUMPTIONS = (
    f"Survey: {PSU_COUNT} desa (at least {MIN_PSU_COUNT} at small scales) drawn PPS by households "
    f"within strata of {KECAMATAN_PER_GROUP} consecutive kecamatan × urban/rural, "
    f"{HOUSEHOLDS_PER_PSU} households each by systematic sampling from the whole desa population; "
    "implicit stratification by the desa's share of desil-1 families and by registry desil, as "
    "Susenas sorts its frame.",
)


def pps_systematic(
    sizes: FloatArray, n: int, rng: np.random.Generator, *, sort_key: FloatArray | None = None
) -> tuple[IntArray, FloatArray]:
    """Systematic PPS without replacement: indices drawn and their inclusion probabilities.

    Units with size ≥ the interval are taken with certainty (π = 1) and removed, repeatedly; the
    others are drawn at r + k·I on the cumulated sizes, π = n'·M_d/M'. Units are ordered by
    ``sort_key`` (implicit stratification, as BPS sorts its frame by a welfare proxy) with ties in
    random order, or in random order when no key is given.
    """
    sizes = np.asarray(sizes, dtype=np.float64)
    n = min(n, int((sizes > 0).sum()))
    certain: list[int] = []
    rest = np.flatnonzero(sizes > 0)
    while n - len(certain) > 0 and rest.size:
        k = n - len(certain)
        interval = sizes[rest].sum() / k
        big = rest[sizes[rest] >= interval]
        if big.size == 0:
            break
        certain.extend(big.tolist())
        rest = rest[sizes[rest] < interval]
    k = n - len(certain)
    prob = np.zeros(sizes.size)
    prob[certain] = 1.0
    chosen = list(certain)
    if k > 0 and rest.size:
        shuffled = rest[rng.permutation(rest.size)]
        order = (
            shuffled[np.argsort(sort_key[shuffled], kind="stable")]
            if sort_key is not None
            else shuffled
        )
        cum = np.cumsum(sizes[order])
        interval = cum[-1] / k
        points = rng.random() * interval + interval * np.arange(k)
        picks = order[np.searchsorted(cum, points, side="right")]
        chosen.extend(picks.tolist())
        prob[rest] = k * sizes[rest] / cum[-1]
    idx = np.array(sorted(chosen), dtype=np.int64)
    return idx, prob[idx]


def draw_sample(
    population: pl.DataFrame, desa: pl.DataFrame, *, n_psu: int, rng: np.random.Generator
) -> pl.DataFrame:
    """Sample households from ``population`` (needs ``desa_index, cls``) of the ``desa`` frame.

    Implicit stratification, as in Susenas: within a stratum desa are ordered by their share of
    desil-1 registry families before the systematic PPS draw, and within a desa households are
    ordered by registry desil (non-registry last) before a systematic draw of m households with a
    random start. Returns the sampled rows (in PSU order) with ``weight, stratum, psu`` added.
    """
    desa_index = population["desa_index"].to_numpy()
    counts = np.bincount(desa_index, minlength=desa.height).astype(np.float64)
    kec_codes = desa["kecamatan_code"].to_list()
    kec_sorted = sorted(set(kec_codes))
    group_of = {k: i // KECAMATAN_PER_GROUP + 1 for i, k in enumerate(kec_sorted)}
    urban = desa["urban"].to_numpy()
    strata = np.array(
        [
            f"{group_of[k]:02d}-{'perkotaan' if u else 'perdesaan'}"
            for k, u in zip(kec_codes, urban, strict=True)
        ]
    )
    labels = sorted(set(strata.tolist()))
    totals = np.array([counts[strata == s].sum() for s in labels])
    n_desa = np.array([int(((strata == s) & (counts > 0)).sum()) for s in labels])
    alloc = largest_remainder(totals, min(n_psu, int(n_desa.sum())))
    alloc = np.minimum(np.maximum(alloc, np.minimum(2, n_desa)), n_desa)

    cls = population["cls"].to_numpy()
    desil1 = np.bincount(desa_index, weights=(cls == 1).astype(np.float64), minlength=desa.height)
    share1 = desil1 / np.maximum(counts, 1.0)
    listing = np.where(cls == 0, 5, cls)
    by_desa = np.lexsort((rng.random(cls.size), listing, desa_index))
    starts = np.concatenate([[0], np.cumsum(counts.astype(np.int64))])
    rows: list[IntArray] = []
    weights: list[FloatArray] = []
    stratum_out: list[str] = []
    psu_out: list[str] = []
    codes = desa["code"].to_list()
    for s, k in zip(labels, alloc, strict=True):
        members = np.flatnonzero(strata == s)
        picked, prob = pps_systematic(counts[members], int(k), rng, sort_key=share1[members])
        for d, p in zip(members[picked], prob, strict=True):
            pool = by_desa[starts[d] : starts[d + 1]]
            m = min(HOUSEHOLDS_PER_PSU, pool.size)
            step = pool.size / m
            chosen = np.sort(
                pool[np.floor(rng.random() * step + step * np.arange(m)).astype(np.int64)]
            )
            rows.append(chosen)
            weights.append(np.full(m, (1.0 / p) * (pool.size / m)))
            stratum_out.extend([s] * m)
            psu_out.extend([codes[d].replace(".", "")] * m)
    index = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    sample = population[index.tolist()]
    return sample.with_columns(
        pl.Series("weight", np.concatenate(weights) if weights else np.zeros(0), dtype=pl.Float64),
        pl.Series("stratum", stratum_out, dtype=pl.Utf8),
        pl.Series("psu", psu_out, dtype=pl.Utf8),
    )
