"""Small-area poverty estimates for kecamatan and desa: direct estimates, smoothed variances,
registry and village covariates, and the Fay–Herriot EBLUP (:func:`tuntas.poverty.fay_herriot`).

**Direct estimates.** For area d (a kecamatan or desa, the first 8 or 13 characters of the survey's
``region_code``), θ̂_d = P_α of the survey households in d (:func:`tuntas.poverty.fgt_table`,
person weights). Its design variance v_d is the linearised variance over the whole design (strata,
PSUs, the area as a domain) when the area's sample lies in at least two PSUs. When it lies in one
PSU — every desa of a Susenas-like sample, where the desa *is* the PSU — the ultimate-cluster
variance of the area is identically 0 (the linearised scores of a domain sum to 0 within its only
PSU), so v_d is the within-area variance instead, treating the area's households as a simple
random sample (the second-stage variance, the area as its own stratum, households as PSUs).

**Smoothed sampling variances (generalised variance function).** Direct variances of small samples
are themselves very noisy, and are 0 whenever no sampled household is poor, which would give the
area full weight (γ_d = 1) in the EBLUP. As is usual for area-level models (Wolter 2007, ch. 7;
You & Chapman 2006; Corral et al. 2022), the FH model is given smoothed variances

    ψ_d = κ / n_d,   κ = Σ_d v_d / Σ_d n_d⁻¹   over areas with n_d ≥ 2 households,

n_d the area's sampled households: the pooled variance per household, so ψ_d has the design
effect of the level (for P0, κ = deff·P̄(1 − P̄) with P̄ the pooled rate). Areas with a zero v_d
count in the pooling (they are part of the sampling distribution), so no area is dropped.
``variance="direct"`` uses v_d instead where it is positive and n_d ≥ ``min_households``, and ψ_d
elsewhere.

**Covariates** (:func:`auxiliary`), known for every area from the registry (census of the poorest
~40%) and the village profiles (Podes-like), per person or household of the area's population:

* ``pmt_rate`` = Σᵢ pᵢsᵢ / N_d: the registry's expected poor persons by the PMT at the line
  (:mod:`tuntas.poverty.targeting`) over the population;
* ``desil1_share`` = desil-1 registry persons / N_d;
* ``no_toilet_share`` = registry households without a toilet / households of the area;
* ``urban``, ``loci`` (priority locus 2022 or 2023) — population-weighted shares of desa;
* ``distance_km`` — population-weighted distance to the regency capital.

At most ⌊m/5⌋ − 1 covariates (in that order; at least one) are used for m sampled areas, and a
covariate that adds no rank to the sampled areas' design is skipped.

**Outputs** (×100 like BPS, clipped to [0, 100] for reporting): ``direct``, ``direct_se``,
``eblup`` (sampled areas) or the synthetic estimate xᵀβ̂ (areas without sample), ``rmse`` = √mse
(Prasad–Rao/Datta–Lahiri for EBLUPs; σ̂²_u + xᵀV(β̂)x for synthetic estimates), ``cv_pct`` =
100·rmse/estimate, and for P0 the number of poor = estimate × population of the village profiles.

Examples
--------
>>> survey = pl.DataFrame({
...     "region_code": ["33.10.01.2001"] * 3 + ["33.10.01.2002"] * 3 + ["33.10.02.2001"] * 3,
...     "consumption_pc": [300.0, 700.0, 900.0, 350.0, 380.0, 800.0, 600.0, 650.0, 700.0],
...     "size": [4, 3, 2, 5, 4, 3, 3, 3, 3], "weight": [100.0] * 9,
...     "stratum": ["s1"] * 6 + ["s2"] * 3, "psu": ["a"] * 3 + ["b"] * 3 + ["c"] * 3,
...     "household_id": [f"h{i}" for i in range(9)]})
>>> d = direct_estimates(survey, level="kecamatan", line=500.0)
>>> d.select("area", "n_households", "n_psus", "p0").rows()
[('33.10.01', 6, 2, 61.904761904761905), ('33.10.02', 3, 1, 0.0)]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import polars as pl
import polars.selectors as cs

from tuntas.poverty.fgt import fgt_table
from tuntas.poverty.sae import FayHerriotResult, fay_herriot

Level = Literal["kecamatan", "desa"]
VarianceRule = Literal["gvf", "direct"]
LEVEL_LENGTH: dict[str, int] = {"kabupaten": 5, "kecamatan": 8, "desa": 13}
"""Length of a dotted Kemendagri code at each level."""
COVARIATES: tuple[str, ...] = (
    "pmt_rate",
    "desil1_share",
    "no_toilet_share",
    "urban",
    "loci",
    "distance_km",
)
"""Default FH covariates, in priority order (see the module docstring)."""
AREAS_PER_COVARIATE = 5
SCALE = 100.0


def area_expr(level: str, column: str = "region_code") -> pl.Expr:
    """The area code of ``column`` at ``level`` (``kecamatan``: 8 characters, ``desa``: 13).

    Examples
    --------
    >>> pl.DataFrame({"c": ["33.10.03.2006"]}).select(area_expr("kecamatan", "c"))["c"][0]
    '33.10.03'
    """
    if level not in LEVEL_LENGTH:
        raise ValueError(f"level must be one of {sorted(LEVEL_LENGTH)}, not {level!r}")
    return pl.col(column).str.slice(0, LEVEL_LENGTH[level])


def _alpha_label(alpha: float) -> str:
    return f"p{alpha:g}"


def direct_estimates(
    survey: pl.DataFrame,
    *,
    level: str,
    line: float,
    alphas: Sequence[float] = (0, 1, 2),
    consumption: str = "consumption_pc",
    weight: str = "weight",
    size: str = "size",
    strata: str | None = "stratum",
    psu: str | None = "psu",
    household: str = "household_id",
) -> pl.DataFrame:
    """Direct FGT estimates (×100) and their design variances for each sampled area.

    Returns one row per area with a sample: area, n_households, n_psus, population (survey
    weighted persons), poor (weighted), ``p{α}`` and ``se_p{α}`` (×100; design-based over the whole
    design when the area has ≥ 2 PSUs, within-area otherwise, see the module), ``se_method``.

    Examples
    --------
    See the module docstring.
    """
    frame = survey.with_columns(area_expr(level).alias("_area"))
    labels = [_alpha_label(a) for a in alphas]
    full = fgt_table(
        frame,
        consumption=consumption,
        line=line,
        weight=weight,
        size=size,
        by="_area",
        strata=strata,
        psu=psu,
        alphas=alphas,
        se="linearisation",
    ).filter(~pl.col("is_total"))
    within = fgt_table(
        frame,
        consumption=consumption,
        line=line,
        weight=weight,
        size=size,
        by="_area",
        strata="_area",
        psu=household if household in frame.columns else None,
        alphas=alphas,
        se="linearisation",
        lonely_psu="certainty",
    ).filter(~pl.col("is_total"))
    psus = frame.group_by("_area").agg(
        (pl.col(psu).n_unique() if psu else pl.len()).cast(pl.Int64).alias("n_psus")
    )
    joined = (
        full.join(
            within.select("_area", *(pl.col(f"se_{x}").alias(f"_w_{x}") for x in labels)),
            on="_area",
        )
        .join(psus, on="_area")
        .with_columns(
            *(
                pl.when(pl.col("n_psus") >= 2)
                .then(pl.col(f"se_{x}"))
                .otherwise(pl.col(f"_w_{x}"))
                .fill_null(0.0)
                .alias(f"se_{x}")
                for x in labels
            ),
            pl.when(pl.col("n_psus") >= 2)
            .then(pl.lit("design"))
            .otherwise(pl.lit("within-area"))
            .alias("se_method"),
        )
    )
    return joined.select(
        pl.col("_area").alias("area"),
        pl.col("households").cast(pl.Int64).alias("n_households"),
        "n_psus",
        "population",
        "poor",
        *(c for x in labels for c in (x, f"se_{x}")),
        "se_method",
    ).sort("area")


def pooled_variance(
    variance: Sequence[float] | np.ndarray, households: Sequence[int] | np.ndarray
) -> float:
    """κ = Σ v_d / Σ 1/n_d over areas with n_d ≥ 2 (the GVF ψ_d = κ/n_d; squared units of θ).

    Examples
    --------
    Three areas with 10, 10 and 20 households and variances 0.002, 0.0, 0.001:
    κ = 0.003 / (0.1 + 0.1 + 0.05) = 0.012.

    >>> round(pooled_variance([0.002, 0.0, 0.001], [10, 10, 20]), 6)
    0.012
    """
    v = np.asarray(variance, dtype=np.float64)
    n = np.asarray(households, dtype=np.float64)
    usable = (n >= 2) & np.isfinite(v)
    if not usable.any():
        return 0.0
    return float(v[usable].sum() / (1.0 / n[usable]).sum())


def auxiliary(
    villages: pl.DataFrame,
    *,
    level: str,
    registry: pl.DataFrame | None = None,
    probability: str | None = None,
) -> pl.DataFrame:
    """Covariates per area from the village profiles and the (scored) registry.

    Parameters
    ----------
    villages : the village profiles (one row per desa: population, households, urban, loci,
        distance_to_regency_km).
    level : ``kecamatan`` or ``desa``.
    registry : registry households (size, welfare_decile, toilet, and ``probability`` if given).
    probability : column of the registry's PMT probability at the line (gives ``pmt_rate``).

    Returns
    -------
    pl.DataFrame
        area, population, households and the covariates of :data:`COVARIATES` that the inputs
        allow (shares are fractions; distance in km).

    Examples
    --------
    >>> villages = pl.DataFrame({"region_code": ["33.10.01.2001", "33.10.01.2002"],
    ...     "population": [300, 100], "households": [100, 30], "urban": [True, False],
    ...     "loci_2022": [False, False], "loci_2023": [True, False],
    ...     "distance_to_regency_km": [5.0, 9.0]})
    >>> auxiliary(villages, level="kecamatan").select("area", "population", "urban", "distance_km").row(0)
    ('33.10.01', 400.0, 0.75, 6.0)
    """
    loci = pl.lit(False)
    for column in ("loci_2022", "loci_2023"):
        if column in villages.columns:
            loci = loci | pl.col(column).fill_null(False)
    population = pl.col("population").cast(pl.Float64)
    base = villages.with_columns(
        area_expr(level).alias("area"),
        pl.col("urban").fill_null(False).cast(pl.Float64).alias("_urban")
        if "urban" in villages.columns
        else pl.lit(None, dtype=pl.Float64).alias("_urban"),
        loci.cast(pl.Float64).alias("_loci"),
        pl.col("distance_to_regency_km").cast(pl.Float64).alias("_distance")
        if "distance_to_regency_km" in villages.columns
        else pl.lit(None, dtype=pl.Float64).alias("_distance"),
    )
    areas = base.group_by("area").agg(
        population.sum().alias("population"),
        pl.col("households").cast(pl.Float64).sum().alias("households"),
        ((pl.col("_urban") * population).sum() / population.sum()).alias("urban"),
        ((pl.col("_loci") * population).sum() / population.sum()).alias("loci"),
        ((pl.col("_distance") * population).sum() / population.sum()).alias("distance_km"),
    )
    if registry is not None:
        size = pl.col("size").cast(pl.Float64)
        sums = [
            (size * (pl.col("welfare_decile") == 1).fill_null(False)).sum().alias("_desil1"),
        ]
        if "toilet" in registry.columns:
            sums.append(
                (pl.col("toilet") == "tidak_ada").fill_null(False).sum().alias("_no_toilet")
            )
        if probability is not None:
            sums.append((pl.col(probability) * size).sum().alias("_pmt"))
        by_area = registry.group_by(area_expr(level).alias("area")).agg(sums)
        areas = areas.join(by_area, on="area", how="left").with_columns(
            (pl.col("_desil1").fill_null(0.0) / pl.col("population")).alias("desil1_share"),
            *(
                [
                    (pl.col("_no_toilet").fill_null(0.0) / pl.col("households")).alias(
                        "no_toilet_share"
                    )
                ]
                if "toilet" in registry.columns
                else []
            ),
            *(
                [(pl.col("_pmt").fill_null(0.0) / pl.col("population")).alias("pmt_rate")]
                if probability is not None
                else []
            ),
        )
        areas = areas.drop([c for c in areas.columns if c.startswith("_")])
    return areas.with_columns(cs.float().fill_nan(None)).sort("area")


def select_covariates(
    frame: pl.DataFrame, candidates: Sequence[str], *, per_covariate: int = AREAS_PER_COVARIATE
) -> list[str]:
    """The covariates used: in order, those that add rank on the rows given (sampled areas), at
    most ⌊m/per_covariate⌋ − 1 of them (at least 1) for m rows.

    Examples
    --------
    >>> f = pl.DataFrame({"a": [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10], "b": [2.0] * 10,
    ...                   "c": [0.0, 1] * 5})
    >>> select_covariates(f, ["a", "b", "c"])
    ['a']
    """
    limit = max(1, frame.height // per_covariate - 1)
    chosen: list[str] = []
    matrix = np.ones((frame.height, 1))
    for name in candidates:
        if len(chosen) >= limit or name not in frame.columns:
            continue
        column = frame[name].cast(pl.Float64).to_numpy()
        if not np.isfinite(column).all():
            continue
        trial = np.column_stack([matrix, column])
        if np.linalg.matrix_rank(trial) > matrix.shape[1]:
            chosen.append(name)
            matrix = trial
    return chosen


@dataclass(frozen=True)
class SmallAreaEstimates:
    """Fay–Herriot estimates for one level, index and line.

    Attributes
    ----------
    estimates : one row per area (see :func:`small_area_estimates`).
    fit : the Fay–Herriot fit (None when it could not be fitted).
    kappa : the pooled variance per household κ of the GVF (fraction²).
    covariates : the covariates used.
    notes : what was done about difficulties.
    """

    estimates: pl.DataFrame
    fit: FayHerriotResult | None
    kappa: float
    covariates: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())


def small_area_estimates(
    survey: pl.DataFrame,
    areas: pl.DataFrame,
    *,
    level: str,
    line: float,
    alpha: float = 0,
    covariates: Sequence[str] = COVARIATES,
    variance: VarianceRule = "gvf",
    min_households: int = 20,
    per_covariate: int = AREAS_PER_COVARIATE,
    direct: pl.DataFrame | None = None,
    strata: str | None = "stratum",
    psu: str | None = "psu",
) -> SmallAreaEstimates:
    """Fay–Herriot EBLUP (REML) of P_α for every area of ``areas``, with MSE (see module).

    Parameters
    ----------
    survey : the survey sample (region_code, consumption_pc, size, weight, stratum, psu, …).
    areas : one row per area of the level (``area``, ``population`` and the covariates), e.g.
        from :func:`auxiliary`. Every area gets an estimate; areas without sample the synthetic one.
    level : ``kecamatan`` or ``desa``.
    line : poverty line, Rp/capita/month.
    alpha : FGT α (0 for the headcount).
    covariates : candidate covariates in priority order (see :func:`select_covariates`).
    variance : ``"gvf"`` (smoothed ψ_d = κ/n_d, default) or ``"direct"``.
    min_households : with ``variance="direct"``, areas with fewer households get the GVF.
    direct : precomputed :func:`direct_estimates` (computed when omitted).
    strata, psu : survey design columns.

    Returns
    -------
    SmallAreaEstimates
        ``estimates`` columns: area, sampled, n_households, n_psus, direct, direct_se, psi_se,
        eblup (the estimate: EBLUP or synthetic, clipped), rmse, cv_pct, synthetic, gamma,
        estimator, population, poor (α = 0 only) — rates ×100.

    Raises
    ------
    ValueError
        Fewer than 3 sampled areas, or no variation at all (κ = 0: e.g. nobody poor in the sample).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> n = 400
    >>> desa = [f"33.10.{1 + i % 20:02d}.2001" for i in range(n)]
    >>> survey = pl.DataFrame({"region_code": desa, "household_id": [f"h{i}" for i in range(n)],
    ...     "consumption_pc": rng.lognormal(13.5, 0.5, n), "size": rng.integers(1, 6, n),
    ...     "weight": np.full(n, 50.0), "stratum": ["s"] * n, "psu": desa})
    >>> areas = pl.DataFrame({"area": [f"33.10.{k:02d}" for k in range(1, 23)],
    ...     "population": np.full(22, 1000.0), "x": rng.uniform(0, 1, 22)})
    >>> sae = small_area_estimates(survey, areas, level="kecamatan", line=600000.0,
    ...                            covariates=["x"])
    >>> sae.estimates["estimator"].value_counts().sort("estimator").rows()
    [('eblup', 20), ('synthetic', 2)]
    """
    label = _alpha_label(alpha)
    notes: list[str] = []
    if direct is None or label not in direct.columns:
        direct = direct_estimates(
            survey, level=level, line=line, alphas=(alpha,), strata=strata, psu=psu
        )
    d = direct.select(
        "area",
        "n_households",
        "n_psus",
        (pl.col(label) / SCALE).alias("_theta"),
        ((pl.col(f"se_{label}") / SCALE) ** 2).alias("_v"),
    )
    frame = areas.join(d, on="area", how="left").with_columns(
        pl.col("n_households").fill_null(0), pl.col("n_psus").fill_null(0)
    )
    unknown = d.join(areas.select("area"), on="area", how="anti")
    if unknown.height:
        notes.append(f"{unknown.height} sampled areas are not in the area list and were left out")
    sampled = frame.filter(pl.col("_theta").is_not_null())
    if sampled.height < 3:
        raise ValueError(f"only {sampled.height} sampled areas: too few for a Fay–Herriot model")
    kappa = pooled_variance(sampled["_v"].to_numpy(), sampled["n_households"].to_numpy())
    if not kappa > 0:
        raise ValueError(
            f"no sampling variation in {label} at line {line:,.0f} (κ = 0, e.g. nobody below the "
            "line in the sample): no Fay–Herriot model"
        )
    n = pl.col("n_households").cast(pl.Float64)
    gvf = pl.lit(kappa) / n
    if variance == "gvf":
        psi = gvf
    elif variance == "direct":
        psi = pl.when((pl.col("_v") > 0) & (n >= min_households)).then(pl.col("_v")).otherwise(gvf)
    else:
        raise ValueError(f"variance must be 'gvf' or 'direct', not {variance!r}")
    frame = frame.with_columns(
        pl.when(pl.col("_theta").is_not_null()).then(psi).otherwise(None).alias("_psi")
    )
    sampled = frame.filter(pl.col("_theta").is_not_null())
    usable = [c for c in covariates if c in frame.columns and frame[c].null_count() == 0]
    incomplete = [c for c in covariates if c in frame.columns and c not in usable]
    if incomplete:
        notes.append(f"covariates with missing values, not used: {incomplete}")
    chosen = select_covariates(sampled, usable, per_covariate=per_covariate)
    fit = fay_herriot(
        frame.select("area", "_theta", "_psi", *chosen),
        direct="_theta",
        variance="_psi",
        covariates=chosen,
        zero_variance="synthetic",
    )
    out = fit.estimates.select(
        "area",
        "sampled",
        pl.col("direct") * SCALE,
        pl.col("eblup"),
        (pl.col("rmse") * SCALE).alias("rmse"),
        pl.col("synthetic") * SCALE,
        "gamma",
    ).with_columns(
        pl.when(pl.col("sampled"))
        .then(pl.lit("eblup"))
        .otherwise(pl.lit("synthetic"))
        .alias("estimator"),
        (pl.col("eblup").clip(0.0, 1.0) * SCALE).alias("eblup"),
        pl.col("direct").clip(0.0, SCALE),
        pl.col("synthetic").clip(0.0, SCALE),
    )
    extra = frame.select(
        "area",
        "n_households",
        "n_psus",
        (pl.col("_v").sqrt() * SCALE).alias("direct_se"),
        (pl.col("_psi").sqrt() * SCALE).alias("psi_se"),
        pl.col("population").cast(pl.Float64),
    )
    out = out.join(extra, on="area", how="left").with_columns(
        pl.when(pl.col("eblup") > 0)
        .then(100.0 * pl.col("rmse") / pl.col("eblup"))
        .otherwise(None)
        .alias("cv_pct"),
        (pl.col("eblup") / SCALE * pl.col("population") if alpha == 0 else pl.lit(None))
        .cast(pl.Float64)
        .alias("poor"),
    )
    columns = [
        "area",
        "sampled",
        "n_households",
        "n_psus",
        "direct",
        "direct_se",
        "psi_se",
        "eblup",
        "rmse",
        "cv_pct",
        "synthetic",
        "gamma",
        "estimator",
        "population",
        "poor",
    ]
    if not fit.converged:
        notes.append("REML did not converge; the bounded search result is used")
    if fit.sigma2_u == 0:
        notes.append("σ̂²_u = 0: every area gets its synthetic estimate")
    return SmallAreaEstimates(
        estimates=out.select(columns).sort("area"),
        fit=fit,
        kappa=kappa,
        covariates=tuple(chosen),
        notes=tuple(notes),
    )


def mse_against_truth(
    estimates: pl.DataFrame, truth: pl.DataFrame, *, column: str, truth_column: str = "truth"
) -> float:
    """Mean over areas of (estimate − truth)², both ×100, for areas in both frames (synthetic
    data: to compare direct and EBLUP estimates with the known truth).

    Examples
    --------
    >>> est = pl.DataFrame({"area": ["a", "b"], "eblup": [10.0, 20.0]})
    >>> mse_against_truth(est, pl.DataFrame({"area": ["a", "b"], "truth": [12.0, 20.0]}),
    ...                   column="eblup")
    2.0
    """
    joined = estimates.join(truth, on="area").filter(pl.col(column).is_not_null())
    if joined.height == 0:
        return math.nan
    diff = joined[column].cast(pl.Float64) - joined[truth_column].cast(pl.Float64)
    return float(np.mean(diff.to_numpy() ** 2))


__all__: Sequence[str] = (
    "COVARIATES",
    "LEVEL_LENGTH",
    "SmallAreaEstimates",
    "area_expr",
    "auxiliary",
    "direct_estimates",
    "mse_against_truth",
    "pooled_variance",
    "select_covariates",
    "small_area_estimates",
)
