"""Design-based standard errors: Taylor linearisation and bootstrap replicates for ratio estimators.

Every poverty index is a ratio of two weighted totals, R̂ = Σ wᵢyᵢ / Σ wᵢxᵢ (for the FGT index of a
household sample, yᵢ = sizeᵢ·gᵢ and xᵢ = sizeᵢ, with gᵢ the household's FGT term and wᵢ its design
weight). This module gives its standard error in two ways.

**Linearisation** (Woodruff 1971; Wolter 2007, *Introduction to Variance Estimation*, 2nd ed.,
ch. 6; Lumley 2010, *Complex Surveys*, §2.3 and §3.1). The linearised variable of household i is

    zᵢ = wᵢ (yᵢ − R̂ xᵢ) / X̂,   X̂ = Σ wᵢxᵢ,

its PSU totals are z_hj = Σ_{i∈(h,j)} zᵢ, and, treating PSUs as drawn with replacement within strata
(the "ultimate cluster" approximation, no finite-population correction: the default of R
``survey::svydesign(ids=~psu, strata=~stratum, weights=~w)``, Stata ``svy`` and samplics),

    v(R̂) = Σ_h n_h/(n_h − 1) · Σ_j (z_hj − z̄_h)²,   z̄_h = Σ_j z_hj / n_h,

where n_h is the number of PSUs of stratum h *in the whole sample*. A **domain** (a region or a
subgroup) is estimated with the domain indicator δᵢ over the whole design: yᵢ → δᵢyᵢ, xᵢ → δᵢxᵢ, so
PSUs of the stratum without any domain member still count in n_h with z_hj = 0 (Lumley 2010,
§2.3.1; samplics ``TaylorEstimator(domain=...)`` does the same). Subsetting the design instead
would understate the variance.

**Strata with a single PSU** ("lonely PSUs") have no within-stratum variance estimate. Rules:

* ``"adjust"`` (default): centre the lonely PSU at the grand mean of all PSU totals,
  contribution (z_h1 − z̄)², z̄ = Σ_hj z_hj / Σ_h n_h — R survey's ``survey.lonely.psu = "adjust"``
  (conservative). For a ratio, Σ zᵢ = 0, so the contribution is z_h1².
* ``"certainty"``: the stratum contributes zero (its PSU is treated as taken with certainty; R's
  ``"certainty"``/``"remove"``, samplics ``SinglePSUEst.skip``).
* ``"fail"``: raise ``ValueError``.

**Bootstrap.** With strata and PSUs, the Rao–Wu rescaling bootstrap (Rao & Wu 1988, JASA 83:231;
Rao, Wu & Yue 1992, Survey Methodology 18:209) with m_h = n_h − 1 draws per stratum: each replicate
draws n_h − 1 PSUs with replacement in each stratum and multiplies the weights of PSU j by
n_h/(n_h − 1)·m*_hj, where m*_hj is the number of times it was drawn; a stratum with one PSU keeps its
weights (zero contribution, as ``"certainty"``). Without design information, the plain weighted
bootstrap of households: n households drawn with replacement, weight × number of draws (Efron &
Tibshirani 1993). The standard error is the standard deviation of the replicate estimates
(divisor B − 1); a replicate in which a domain has no weight is left out for that domain.

Examples
--------
Two strata with two PSUs each (one household per PSU), R̂ = 3/4, X̂ = 4, so
z = (y − 0.75)/4 = (0.0625, −0.1875, 0.0625, 0.0625); stratum 1 gives 2·(0.125² + 0.125²) = 0.0625,
stratum 2 gives 0, and the SE is √0.0625 = 0.25:

>>> linearised_ratio_se([1, 0, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], strata=[1, 1, 2, 2], psu=[1, 2, 3, 4])
0.25
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import polars as pl
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
LonelyPsuRule = Literal["adjust", "certainty", "fail"]
LONELY_PSU_RULES: tuple[str, ...] = ("adjust", "certainty", "fail")
BootstrapMethod = Literal["rao-wu", "households"]
NUMERICAL_ZERO = 1e-24
"""A variance below this × Σzᵢ² of its domain is rounding noise and is reported as 0."""
_CHUNK_CELLS = 4_000_000
"""Replicate weights are generated in chunks of about this many (replicate × household) cells."""


def sum_by(codes: ArrayLike, values: ArrayLike, n_groups: int) -> FloatArray:
    """Σ of ``values`` per integer code 0..n_groups−1 (a weighted ``np.bincount``).

    Examples
    --------
    >>> sum_by([0, 1, 0], [1.0, 2.0, 3.0], 3).tolist()
    [4.0, 2.0, 0.0]
    """
    return np.bincount(np.asarray(codes), weights=np.asarray(values), minlength=n_groups).astype(
        np.float64, copy=False
    )


@dataclass(frozen=True)
class SurveyDesign:
    """A stratified cluster design reduced to integer codes (PSUs drawn with replacement).

    Attributes
    ----------
    weights : design weights, one per observation (household).
    psu_index : code 0..P−1 of each observation's PSU (a PSU is a (stratum, psu) pair).
    psu_stratum : code 0..H−1 of each PSU's stratum.
    psus_in_stratum : n_h, the number of PSUs of each stratum.
    """

    weights: FloatArray
    psu_index: IntArray
    psu_stratum: IntArray
    psus_in_stratum: IntArray

    @property
    def n_observations(self) -> int:
        """Number of observations (households)."""
        return int(self.weights.size)

    @property
    def n_psus(self) -> int:
        """Number of PSUs over all strata."""
        return int(self.psu_stratum.size)

    @property
    def n_strata(self) -> int:
        """Number of strata."""
        return int(self.psus_in_stratum.size)

    @property
    def lonely_strata(self) -> int:
        """Number of strata with a single PSU."""
        return int((self.psus_in_stratum == 1).sum())


@dataclass(frozen=True)
class DomainRatios:
    """Ratio estimates R̂_dk = Σ_{i∈d} wᵢy_ik / Σ_{i∈d} wᵢxᵢ per domain d and numerator k."""

    ratio: FloatArray
    """(domains × numerators) estimates; NaN where the domain has no weight."""
    denominator: FloatArray
    """X̂_d = Σ_{i∈d} wᵢxᵢ per domain."""
    scores: FloatArray
    """(observations × numerators) linearised variables zᵢ for each observation's own domain."""


def _codes(values: ArrayLike | pl.Series, name: str, n: int) -> IntArray:
    """Dense integer codes 0..K−1 of a label column (any type); nulls are an error."""
    series = values if isinstance(values, pl.Series) else pl.Series(name, np.asarray(values))
    if series.len() != n:
        raise ValueError(f"{name} has {series.len()} values but the weights have {n}")
    if series.null_count():
        raise ValueError(f"{name} has {series.null_count()} missing values")
    return (series.rank("dense").cast(pl.Int64) - 1).to_numpy().astype(np.int64, copy=False)


def survey_design(
    weights: ArrayLike | pl.Series,
    *,
    strata: ArrayLike | pl.Series | None = None,
    psu: ArrayLike | pl.Series | None = None,
) -> SurveyDesign:
    """Encode a with-replacement stratified cluster design.

    Without ``psu`` every observation is its own PSU; without ``strata`` there is one stratum. PSU
    labels are nested in strata: the same label in two strata is two PSUs.

    Parameters
    ----------
    weights : design weights (non-negative, finite).
    strata, psu : stratum and PSU labels per observation, any type, no missing values.

    Returns
    -------
    SurveyDesign

    Examples
    --------
    >>> d = survey_design([1.0, 1.0, 2.0], strata=["a", "a", "b"], psu=[1, 2, 1])
    >>> d.n_psus, d.n_strata, d.psus_in_stratum.tolist(), d.lonely_strata
    (3, 2, [2, 1], 1)
    """
    w = np.asarray(
        weights.to_numpy() if isinstance(weights, pl.Series) else weights, dtype=np.float64
    )
    if w.ndim != 1:
        raise ValueError("weights must be one-dimensional")
    if not np.all(np.isfinite(w)):
        raise ValueError("weights contain NaN or infinite values")
    if np.any(w < 0):
        raise ValueError("weights must be non-negative")
    n = w.size
    stratum = np.zeros(n, np.int64) if strata is None else _codes(strata, "strata", n)
    cluster = np.arange(n, dtype=np.int64) if psu is None else _codes(psu, "psu", n)
    n_clusters = int(cluster.max()) + 1 if n else 0
    pair = stratum * max(n_clusters, 1) + cluster
    unique_pairs, psu_index = np.unique(pair, return_inverse=True)
    psu_stratum = (unique_pairs // max(n_clusters, 1)).astype(np.int64)
    n_strata = int(stratum.max()) + 1 if n else 0
    psus_in_stratum = np.bincount(psu_stratum, minlength=n_strata).astype(np.int64)
    return SurveyDesign(w, psu_index.astype(np.int64), psu_stratum, psus_in_stratum)


def _as_matrix(values: ArrayLike, n: int, name: str) -> FloatArray:
    matrix = np.asarray(values, dtype=np.float64)
    if matrix.ndim == 1:
        matrix = matrix[:, None]
    if matrix.ndim != 2 or matrix.shape[0] != n:
        raise ValueError(f"{name} must have one row per observation ({n})")
    if not np.all(np.isfinite(matrix)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return matrix


def _domain_codes(domain: ArrayLike | None, n: int) -> tuple[IntArray, int]:
    if domain is None:
        return np.zeros(n, np.int64), 1
    codes = np.asarray(domain, dtype=np.int64)
    if codes.shape != (n,) or (n and codes.min() < 0):
        raise ValueError("domain must be one non-negative integer code per observation")
    return codes, (int(codes.max()) + 1 if n else 0)


def domain_ratios(
    numerators: ArrayLike,
    denominator: ArrayLike,
    weights: ArrayLike,
    domain: ArrayLike | None = None,
    n_domains: int | None = None,
) -> DomainRatios:
    """Ratios Σ_{d} wy / Σ_{d} wx per domain and their linearised variables.

    zᵢ = wᵢ (yᵢ − R̂_d xᵢ) / X̂_d for observation i of domain d (Woodruff 1971).

    Examples
    --------
    >>> r = domain_ratios([2.0, 0.0, 1.0], [2.0, 1.0, 1.0], [1.0, 1.0, 1.0], [0, 0, 1])
    >>> r.ratio.ravel().round(4).tolist(), r.denominator.tolist()
    ([0.6667, 1.0], [3.0, 1.0])
    """
    w = np.asarray(weights, dtype=np.float64)
    n = w.size
    y = _as_matrix(numerators, n, "numerators")
    x = _as_matrix(denominator, n, "denominator")[:, 0]
    codes, found = _domain_codes(domain, n)
    k = n_domains if n_domains is not None else found
    totals_x = sum_by(codes, w * x, k)
    totals_y = np.column_stack([sum_by(codes, w * y[:, j], k) for j in range(y.shape[1])])
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = totals_y / totals_x[:, None]
        own_ratio = ratio[codes]
        scores = w[:, None] * (y - own_ratio * x[:, None]) / totals_x[codes][:, None]
    scores = np.where(np.isfinite(scores), scores, 0.0)
    return DomainRatios(ratio, totals_x, scores)


def _psu_totals(
    scores: FloatArray, design: SurveyDesign, domain: IntArray
) -> tuple[IntArray, IntArray, FloatArray]:
    """PSU totals of the scores per (domain, PSU) cell that has observations."""
    cell = domain * design.n_psus + design.psu_index
    cells, inverse = np.unique(cell, return_inverse=True)
    totals = np.column_stack(
        [sum_by(inverse, scores[:, j], cells.size) for j in range(scores.shape[1])]
    )
    return (
        (cells // design.n_psus).astype(np.int64),
        (cells % design.n_psus).astype(np.int64),
        totals,
    )


def stratified_variance(
    scores: ArrayLike,
    design: SurveyDesign,
    domain: ArrayLike | None = None,
    n_domains: int | None = None,
    *,
    lonely_psu: LonelyPsuRule = "adjust",
) -> FloatArray:
    """With-replacement variance Σ_h n_h/(n_h−1) Σ_j (z_hj − z̄_h)² of PSU totals, per domain.

    ``scores`` (observations × k) hold each observation's linearised value for its own domain
    (zero for every other domain, implicitly); ``domain`` gives that domain's code. PSUs with no
    member of a domain count with a zero total. Single-PSU strata follow ``lonely_psu`` (see the
    module notes). Returns a (domains × k) array of variances.

    Examples
    --------
    Two strata of two PSUs: n_h/(n_h−1)·Σ(z − z̄)² = 2·(0.5² + 0.5²) + 0 = 1:

    >>> design = survey_design([1.0] * 4, strata=[1, 1, 2, 2], psu=[1, 2, 3, 4])
    >>> stratified_variance([1.0, 0.0, 2.0, 2.0], design).tolist()
    [[1.0]]
    """
    z = _as_matrix(scores, design.n_observations, "scores")
    codes, found = _domain_codes(domain, design.n_observations)
    k_domains = n_domains if n_domains is not None else found
    if lonely_psu not in LONELY_PSU_RULES:
        raise ValueError(f"lonely_psu must be one of {LONELY_PSU_RULES}, not {lonely_psu!r}")
    if lonely_psu == "fail" and design.lonely_strata:
        raise ValueError(f"{design.lonely_strata} strata have a single PSU (lonely_psu='fail')")
    cell_domain, cell_psu, totals = _psu_totals(z, design, codes)
    cell_stratum = design.psu_stratum[cell_psu]
    pair = cell_domain * design.n_strata + cell_stratum
    pairs, inverse = np.unique(pair, return_inverse=True)
    pair_domain = pairs // design.n_strata
    n_h = design.psus_in_stratum[pairs % design.n_strata].astype(np.float64)
    lonely = n_h == 1
    grand_mean = np.zeros((k_domains, z.shape[1]))
    if lonely_psu == "adjust" and design.lonely_strata:
        for j in range(z.shape[1]):
            grand_mean[:, j] = sum_by(cell_domain, totals[:, j], k_domains)
        grand_mean /= design.n_psus
    observed = sum_by(inverse, np.ones(inverse.size), pairs.size)
    safe_n = np.where(lonely, 2.0, n_h)
    variance = np.zeros((k_domains, z.shape[1]))
    for j in range(z.shape[1]):
        s1 = sum_by(inverse, totals[:, j], pairs.size)
        # centred form Σ_j (z_hj − z̄_h)², with the stratum's PSUs without the domain at z = 0
        mean = s1 / safe_n
        squares = sum_by(inverse, (totals[:, j] - mean[inverse]) ** 2, pairs.size)
        regular = safe_n / (safe_n - 1.0) * (squares + (safe_n - observed) * mean**2)
        centre = grand_mean[pair_domain, j]
        # a lonely stratum without the domain has z = 0 and contributes centre²: added below for
        # all lonely strata, so here only the difference for the strata the domain does reach
        lonely_term = (
            (s1 - centre) ** 2 - centre**2 if lonely_psu == "adjust" else np.zeros_like(s1)
        )
        contribution = np.where(lonely, lonely_term, regular)
        variance[:, j] = sum_by(pair_domain, contribution, k_domains)
        variance[:, j] += design.lonely_strata * grand_mean[:, j] ** 2
        # rounding noise (e.g. a domain inside one PSU, whose scores sum to 0 only up to
        # rounding) is reported as an exact zero
        noise_floor = NUMERICAL_ZERO * sum_by(codes, z[:, j] ** 2, k_domains)
        variance[variance[:, j] <= noise_floor, j] = 0.0
    return np.maximum(variance, 0.0)


def linearised_ratio_se(
    y: ArrayLike,
    x: ArrayLike,
    weights: ArrayLike,
    strata: ArrayLike | None = None,
    psu: ArrayLike | None = None,
    *,
    lonely_psu: LonelyPsuRule = "adjust",
) -> float:
    """Standard error of R̂ = Σwy/Σwx by Taylor linearisation over a stratified cluster design.

    v(R̂) = Σ_h n_h/(n_h−1) Σ_j (z_hj − z̄_h)² with zᵢ = wᵢ(yᵢ − R̂xᵢ)/Σwx (Wolter 2007, ch. 6); PSUs
    with replacement, no finite-population correction. Units are those of y/x.

    Examples
    --------
    Simple random sample of n = 4 (each household its own PSU): the SE of a proportion
    p̂ = 3/4 is √(p̂(1−p̂)/(n−1)) = √(0.1875/3) = 0.25.

    >>> linearised_ratio_se([1, 0, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1])
    0.25
    """
    design = survey_design(weights, strata=strata, psu=psu)
    ratios = domain_ratios(y, x, design.weights)
    variance = stratified_variance(ratios.scores, design, lonely_psu=lonely_psu)
    return float(np.sqrt(variance[0, 0]))


def linearised_total_se(
    y: ArrayLike,
    weights: ArrayLike,
    strata: ArrayLike | None = None,
    psu: ArrayLike | None = None,
    *,
    lonely_psu: LonelyPsuRule = "adjust",
) -> float:
    """Standard error of the total Ŷ = Σ wᵢyᵢ (scores zᵢ = wᵢyᵢ; same design formula).

    Examples
    --------
    >>> linearised_total_se([1.0, 3.0], [1.0, 1.0])
    2.0
    """
    design = survey_design(weights, strata=strata, psu=psu)
    scores = design.weights * np.asarray(y, dtype=np.float64)
    return float(np.sqrt(stratified_variance(scores, design, lonely_psu=lonely_psu)[0, 0]))


def rao_wu_multipliers(
    design: SurveyDesign, replicates: int, rng: np.random.Generator
) -> FloatArray:
    """Rao–Wu rescaling bootstrap weight multipliers, (replicates × observations).

    In each stratum with n_h ≥ 2 PSUs, n_h − 1 PSUs are drawn with replacement and PSU j gets the
    factor n_h/(n_h − 1)·m*_hj (m*_hj = times drawn); single-PSU strata keep factor 1.

    Examples
    --------
    >>> design = survey_design([1.0] * 4, strata=[1, 1, 2, 2], psu=[1, 2, 3, 4])
    >>> m = rao_wu_multipliers(design, 3, np.random.default_rng(0))
    >>> m.shape, m.sum(axis=1).tolist()
    ((3, 4), [4.0, 4.0, 4.0])
    """
    n_h = design.psus_in_stratum
    first_psu = np.zeros(design.n_strata, np.int64)
    order = np.argsort(design.psu_stratum, kind="stable")
    first_psu[1:] = np.cumsum(n_h)[:-1]
    sampled = np.flatnonzero(n_h >= 2)
    draws_stratum = np.repeat(sampled, n_h[sampled] - 1)
    scale = np.ones(design.n_strata)
    scale[sampled] = n_h[sampled] / (n_h[sampled] - 1.0)
    factors = np.ones((replicates, design.n_psus))
    if draws_stratum.size:
        offset = np.floor(rng.random((replicates, draws_stratum.size)) * n_h[draws_stratum]).astype(
            np.int64
        )
        drawn = order[first_psu[draws_stratum] + offset]
        rows = np.repeat(np.arange(replicates), draws_stratum.size)
        counts = np.bincount(
            rows * design.n_psus + drawn.ravel(), minlength=replicates * design.n_psus
        )
        counts = counts.reshape(replicates, design.n_psus).astype(np.float64)
        in_sampled = np.isin(design.psu_stratum, sampled)
        factors[:, in_sampled] = counts[:, in_sampled] * scale[design.psu_stratum[in_sampled]]
    return factors[:, design.psu_index]


def household_bootstrap_multipliers(
    n: int, replicates: int, rng: np.random.Generator
) -> FloatArray:
    """Plain bootstrap of observations: (replicates × n) counts of n draws with replacement.

    Examples
    --------
    >>> household_bootstrap_multipliers(5, 2, np.random.default_rng(1)).sum(axis=1).tolist()
    [5.0, 5.0]
    """
    draws = rng.integers(0, n, size=(replicates, n))
    rows = np.repeat(np.arange(replicates), n)
    counts = np.bincount(rows * n + draws.ravel(), minlength=replicates * n)
    return counts.reshape(replicates, n).astype(np.float64)


def _multiplier_chunks(
    design: SurveyDesign, replicates: int, seed: int, method: BootstrapMethod
) -> Iterator[FloatArray]:
    rng = np.random.default_rng(seed)
    chunk = max(1, _CHUNK_CELLS // max(design.n_observations, 1))
    done = 0
    while done < replicates:
        size = min(chunk, replicates - done)
        if method == "rao-wu":
            yield rao_wu_multipliers(design, size, rng)
        else:
            yield household_bootstrap_multipliers(design.n_observations, size, rng)
        done += size


def bootstrap_replicate_totals(
    values: ArrayLike,
    design: SurveyDesign,
    domain: ArrayLike | None = None,
    n_domains: int | None = None,
    *,
    replicates: int = 200,
    seed: int = 0,
    method: BootstrapMethod = "rao-wu",
) -> FloatArray:
    """Replicate weighted totals Σ_{i∈d} w*ᵢ v_ik, shape (replicates × domains × k).

    Each replicate multiplies the design weights by bootstrap multipliers (``"rao-wu"`` or
    ``"households"``) and totals every column for every domain at once (one sparse product per
    chunk of replicates, so memory stays bounded).

    Examples
    --------
    >>> design = survey_design([1.0, 1.0], strata=[1, 1], psu=[1, 2])
    >>> t = bootstrap_replicate_totals([1.0, 3.0], design, replicates=4, seed=0)
    >>> t.shape, sorted(set(t.ravel().tolist())) <= [2.0, 6.0]  # 2·(PSU drawn once)
    ((4, 1, 1), True)
    """
    if replicates < 2:
        raise ValueError("replicates must be at least 2")
    if method not in ("rao-wu", "households"):
        raise ValueError(f"method must be 'rao-wu' or 'households', not {method!r}")
    n = design.n_observations
    v = _as_matrix(values, n, "values")
    codes, found = _domain_codes(domain, n)
    k_domains = n_domains if n_domains is not None else found
    k = v.shape[1]
    weighted = design.weights[:, None] * v
    columns = codes[:, None] * k + np.arange(k)[None, :]
    rows = np.repeat(np.arange(n), k)
    by_domain = sp.csr_matrix(
        (weighted.ravel(), (rows, columns.ravel())), shape=(n, k_domains * k)
    ).T.tocsr()
    results = [
        np.asarray(by_domain @ multipliers.T).T.reshape(-1, k_domains, k)
        for multipliers in _multiplier_chunks(design, replicates, seed, method)
    ]
    return np.concatenate(results, axis=0)


def bootstrap_replicate_ratios(
    numerators: ArrayLike,
    denominator: ArrayLike,
    design: SurveyDesign,
    domain: ArrayLike | None = None,
    n_domains: int | None = None,
    *,
    replicates: int = 200,
    seed: int = 0,
    method: BootstrapMethod = "rao-wu",
) -> FloatArray:
    """Replicate ratios Σ_d w*y / Σ_d w*x, shape (replicates × domains × k); NaN where Σ_d w*x = 0."""
    n = design.n_observations
    stacked = np.hstack(
        [_as_matrix(denominator, n, "denominator"), _as_matrix(numerators, n, "numerators")]
    )
    totals = bootstrap_replicate_totals(
        stacked, design, domain, n_domains, replicates=replicates, seed=seed, method=method
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        return totals[:, :, 1:] / totals[:, :, :1]


def replicate_se(estimates: FloatArray) -> FloatArray:
    """Standard deviation (divisor B − 1) over the first axis, ignoring NaN replicates.

    Examples
    --------
    >>> replicate_se(np.array([[1.0], [2.0], [3.0], [np.nan]])).tolist()
    [1.0]
    """
    finite = np.isfinite(estimates)
    count = finite.sum(axis=0)
    filled = np.where(finite, estimates, 0.0)
    mean = filled.sum(axis=0) / np.maximum(count, 1)
    squares = np.where(finite, (estimates - mean) ** 2, 0.0).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(squares / (count - 1))
    se = np.where(se <= 1e-12 * np.abs(mean), 0.0, se)  # identical replicates up to rounding
    return np.where(count >= 2, se, np.nan)


def bootstrap_ratio_se(
    y: ArrayLike,
    x: ArrayLike,
    weights: ArrayLike,
    strata: ArrayLike | None = None,
    psu: ArrayLike | None = None,
    *,
    replicates: int = 200,
    seed: int = 0,
) -> float:
    """Bootstrap standard error of Σwy/Σwx: Rao–Wu with strata or PSUs, else households.

    Examples
    --------
    >>> se = bootstrap_ratio_se([1, 0, 1, 1] * 25, [1] * 100, [1] * 100, replicates=500, seed=3)
    >>> abs(se - 0.0435) < 0.006  # √(0.75·0.25/99) = 0.0435
    True
    """
    design = survey_design(weights, strata=strata, psu=psu)
    method: BootstrapMethod = "households" if strata is None and psu is None else "rao-wu"
    estimates = bootstrap_replicate_ratios(
        y, x, design, replicates=replicates, seed=seed, method=method
    )
    return float(replicate_se(estimates)[0, 0])


__all__: Sequence[str] = (
    "LONELY_PSU_RULES",
    "DomainRatios",
    "SurveyDesign",
    "bootstrap_ratio_se",
    "bootstrap_replicate_ratios",
    "bootstrap_replicate_totals",
    "domain_ratios",
    "household_bootstrap_multipliers",
    "linearised_ratio_se",
    "linearised_total_se",
    "rao_wu_multipliers",
    "replicate_se",
    "stratified_variance",
    "sum_by",
    "survey_design",
)
