"""Foster–Greer–Thorbecke poverty indices, their standard errors and subgroup decomposition.

P_α = Σᵢ wᵢ·1[yᵢ < z]·((z − yᵢ)/z)^α / Σᵢ wᵢ   (Foster, Greer & Thorbecke 1984, Econometrica
52(3):761–766), with yᵢ consumption per capita (Rp/capita/month), z the poverty line in the same
unit, and wᵢ the *person* weight (household weight × household size), so the index counts people,
not households. α = 0 is the headcount ratio, α = 1 the poverty gap index, α = 2 the poverty
severity index. :func:`fgt` returns a fraction; :func:`fgt_table` reports P0, P1, P2 ×100, as BPS
publishes them ("persentase penduduk miskin", "indeks kedalaman" and "indeks keparahan
kemiskinan"). A person exactly on the line is not poor (yᵢ < z, strictly).

**Decomposition** (FGT 1984, §3): for a partition of the population into groups g,
P_α = Σ_g (N_g/N)·P_α,g, so the contribution of group g is (N_g/N)·P_α,g / P_α, and the
contributions add up to 1.

Examples
--------
Haughton & Khandker (2009), *Handbook on Poverty and Inequality*, World Bank, ch. 4: country C
with expenditures 100, 110, 150, 160 and a line of 125:

>>> [round(fgt([100, 110, 150, 160], 125, alpha=a), 4) for a in (0, 1, 2)]
[0.5, 0.08, 0.0136]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import polars as pl
import polars.selectors as cs
from numpy.typing import NDArray

from tuntas.poverty.variance import (
    BootstrapMethod,
    LonelyPsuRule,
    SurveyDesign,
    bootstrap_replicate_totals,
    domain_ratios,
    replicate_se,
    stratified_variance,
    sum_by,
    survey_design,
)

FloatArray = NDArray[np.float64]
Values = NDArray[np.generic] | pl.Series | Sequence[float]
SeMethod = Literal["auto", "linearisation", "bootstrap", "none"]
REPORT_SCALE = 100.0
"""BPS publishes P0, P1 and P2 as percentages / index points: the fraction × 100."""


def as_float_vector(values: Values, name: str) -> FloatArray:
    """A one-dimensional float array from a NumPy array, Polars Series or list; nulls/NaN rejected.

    Examples
    --------
    >>> as_float_vector(pl.Series([1, 2]), "consumption").tolist()
    [1.0, 2.0]
    >>> as_float_vector([1.0, float("nan")], "consumption")
    Traceback (most recent call last):
    ...
    ValueError: consumption has 1 missing (null or NaN) values
    """
    if isinstance(values, pl.Series):
        if values.null_count():
            raise ValueError(f"{name} has {values.null_count()} missing (null or NaN) values")
        array = values.cast(pl.Float64).to_numpy()
    else:
        try:
            array = np.asarray(values, dtype=np.float64)
        except (TypeError, ValueError) as error:
            raise ValueError(f"{name} must be numeric") from error
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, not of shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} is empty")
    missing = int(np.isnan(array).sum())
    if missing:
        raise ValueError(f"{name} has {missing} missing (null or NaN) values")
    if np.isinf(array).any():
        raise ValueError(f"{name} has infinite values")
    return array


def consumption_vector(consumption: Values) -> FloatArray:
    """Consumption per capita as floats; must be non-negative and not missing."""
    y = as_float_vector(consumption, "consumption")
    if (y < 0).any():
        raise ValueError(f"consumption has {int((y < 0).sum())} negative values")
    return y


def line_vector(line: float | Values, n: int) -> FloatArray:
    """The poverty line per observation: a positive scalar broadcast, or one line per observation."""
    if isinstance(line, int | float | np.number):
        z = np.full(n, float(line))
        if not np.isfinite(z[0]):
            raise ValueError("line must be a finite number")
    else:
        z = as_float_vector(line, "line")
        if z.size != n:
            raise ValueError(f"line has {z.size} values but consumption has {n}")
    if (z <= 0).any():
        raise ValueError("line must be positive")
    return z


def weight_vector(weights: Values | None, n: int) -> FloatArray:
    """Person weights: ones when absent; non-negative, one per observation, positive total."""
    if weights is None:
        return np.ones(n)
    w = as_float_vector(weights, "weights")
    if w.size != n:
        raise ValueError(f"weights has {w.size} values but consumption has {n}")
    if (w < 0).any():
        raise ValueError(f"weights has {int((w < 0).sum())} negative values")
    if w.sum() <= 0:
        raise ValueError("weights sum to zero")
    return w


def _check_alpha(alpha: float) -> float:
    if not np.isfinite(alpha) or alpha < 0:
        raise ValueError(f"alpha must be a finite number ≥ 0, not {alpha!r}")
    return float(alpha)


def fgt_terms(consumption: FloatArray, line: FloatArray, alpha: float) -> FloatArray:
    """Per-person FGT term gᵢ = 1[yᵢ < z]·((z − yᵢ)/z)^α (unitless, in [0, 1]).

    Examples
    --------
    >>> fgt_terms(np.array([50.0, 100.0, 200.0]), np.full(3, 100.0), 1).tolist()
    [0.5, 0.0, 0.0]
    """
    poor = consumption < line
    gap = np.where(poor, (line - consumption) / line, 0.0)
    if alpha == 0:
        return poor.astype(np.float64)
    return np.where(poor, gap**alpha, 0.0)


def fgt(
    consumption: Values,
    line: float | Values,
    *,
    alpha: float = 0,
    weights: Values | None = None,
) -> float:
    """Foster–Greer–Thorbecke index P_α as a fraction.

    P_α = Σᵢ wᵢ·1[yᵢ < z]·((z − yᵢ)/z)^α / Σᵢ wᵢ (Foster, Greer & Thorbecke 1984).

    Parameters
    ----------
    consumption : consumption (or income) per capita, Rp/capita/month, one per person or household.
    line : the poverty line in the same unit: a number, or one line per observation (regional lines).
    alpha : poverty aversion, α ≥ 0 (0 headcount, 1 poverty gap, 2 severity).
    weights : person weights (household weight × household size), supplied by the caller;
        equal weights when omitted.

    Returns
    -------
    float
        P_α in [0, 1] (multiply by 100 for the BPS presentation).

    Raises
    ------
    ValueError
        Missing or negative consumption, non-positive line, negative weights, weights summing to
        zero, lengths that differ, negative α.

    Examples
    --------
    Two households of sizes 4 and 2 with consumption 80 and 150, line 100, household weight 10:
    the person weights are 40 and 20, so P0 = 40/60 and P1 = 40·0.2/60.

    >>> person_weights = [40, 20]
    >>> round(fgt([80, 150], 100, weights=person_weights), 4)
    0.6667
    >>> round(fgt([80, 150], 100, alpha=1, weights=person_weights), 4)
    0.1333
    >>> fgt([80, 150], [90, 160])  # a line per observation: both below their lines
    1.0
    """
    y = consumption_vector(consumption)
    z = line_vector(line, y.size)
    w = weight_vector(weights, y.size)
    terms = fgt_terms(y, z, _check_alpha(alpha))
    return float(np.dot(w, terms) / w.sum())


def _alpha_label(alpha: float) -> str:
    return f"p{alpha:g}"


def _domain_codes(frame: pl.DataFrame, by: list[str]) -> tuple[NDArray[np.int64], pl.DataFrame]:
    """Integer codes of the groups of ``by`` (null is a group) and the key table, sorted."""
    keys = frame.select(by).unique(maintain_order=False).sort(by, nulls_last=True)
    keyed = keys.with_row_index("_domain")
    codes = frame.select(by).join(
        keyed, on=by, how="left", nulls_equal=True, maintain_order="left"
    )["_domain"]
    return codes.cast(pl.Int64).to_numpy(), keys


def _resolve_se(se: SeMethod, has_design: bool) -> str:
    if se not in ("auto", "linearisation", "bootstrap", "none"):
        raise ValueError(f"se must be 'auto', 'linearisation', 'bootstrap' or 'none', not {se!r}")
    if se == "auto":
        return "linearisation" if has_design else "household bootstrap"
    if se == "bootstrap":
        return "rao-wu bootstrap" if has_design else "household bootstrap"
    return se


@dataclass(frozen=True)
class _SeOptions:
    """How standard errors are computed: method name, lonely-PSU rule, bootstrap settings."""

    method: str
    lonely_psu: LonelyPsuRule
    replicates: int
    seed: int


def _design_column(frame: pl.DataFrame, column: str, role: str) -> pl.Series:
    if column not in frame.columns:
        raise ValueError(f"{role} column {column!r} is not in the frame")
    return frame[column]


def _column_vector(frame: pl.DataFrame, column: str, role: str) -> FloatArray:
    if column not in frame.columns:
        raise ValueError(f"{role} column {column!r} is not in the frame")
    return as_float_vector(frame[column], column)


@dataclass(frozen=True)
class _Estimates:
    """Point estimates and standard errors for a set of domains (rows) and α values (columns)."""

    households: FloatArray
    population: FloatArray
    poor: FloatArray
    poverty_totals: FloatArray
    ratios: FloatArray
    ratio_se: FloatArray
    poor_se: FloatArray


def _linearised_se(
    headcount: FloatArray,
    terms: FloatArray,
    sizes: FloatArray,
    design: SurveyDesign,
    domain: NDArray[np.int64],
    n_domains: int,
    lonely_psu: LonelyPsuRule,
) -> tuple[FloatArray, FloatArray]:
    ratios = domain_ratios(terms, sizes, design.weights, domain, n_domains)
    ratio_var = stratified_variance(ratios.scores, design, domain, n_domains, lonely_psu=lonely_psu)
    poor_var = stratified_variance(
        design.weights * headcount, design, domain, n_domains, lonely_psu=lonely_psu
    )
    return np.sqrt(ratio_var), np.sqrt(poor_var[:, 0])


def _bootstrap_se(
    headcount: FloatArray,
    terms: FloatArray,
    sizes: FloatArray,
    design: SurveyDesign,
    domain: NDArray[np.int64],
    n_domains: int,
    method: BootstrapMethod,
    replicates: int,
    seed: int,
) -> tuple[FloatArray, FloatArray]:
    values = np.column_stack([sizes, headcount, terms])
    totals = bootstrap_replicate_totals(
        values, design, domain, n_domains, replicates=replicates, seed=seed, method=method
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = totals[:, :, 2:] / totals[:, :, :1]
    return replicate_se(ratios), replicate_se(totals[:, :, 1])


def _estimate(
    headcount: FloatArray,
    terms: FloatArray,
    sizes: FloatArray,
    design: SurveyDesign,
    domain: NDArray[np.int64],
    n_domains: int,
    options: _SeOptions,
) -> _Estimates:
    """Households, population, poor, P_α and their SEs for each domain code 0..n_domains−1."""
    w = design.weights
    population = sum_by(domain, w * sizes, n_domains)
    poor = sum_by(domain, w * headcount, n_domains)
    totals = np.column_stack(
        [sum_by(domain, w * terms[:, j], n_domains) for j in range(terms.shape[1])]
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = totals / population[:, None]
    if options.method == "linearisation":
        ratio_se, poor_se = _linearised_se(
            headcount, terms, sizes, design, domain, n_domains, options.lonely_psu
        )
    elif options.method == "none":
        ratio_se, poor_se = np.full_like(ratios, np.nan), np.full_like(poor, np.nan)
    else:
        boot: BootstrapMethod = "rao-wu" if options.method == "rao-wu bootstrap" else "households"
        ratio_se, poor_se = _bootstrap_se(
            headcount,
            terms,
            sizes,
            design,
            domain,
            n_domains,
            boot,
            options.replicates,
            options.seed,
        )
    households = np.bincount(domain, minlength=n_domains).astype(np.float64)
    return _Estimates(households, population, poor, totals, ratios, ratio_se, poor_se)


def _rows(
    estimates: _Estimates, shares: FloatArray, alphas: Sequence[float], method: str, *, total: bool
) -> pl.DataFrame:
    """The value columns of the table for some domains (no key columns)."""
    n = estimates.population.size
    columns: dict[str, pl.Series] = {
        "is_total": pl.Series([total] * n, dtype=pl.Boolean),
        "households": pl.Series(estimates.households.astype(np.int64)),
        "population": pl.Series(estimates.population),
        "poor": pl.Series(estimates.poor),
        "se_poor": pl.Series(estimates.poor_se),
    }
    for j, alpha in enumerate(alphas):
        label = _alpha_label(alpha)
        columns[label] = pl.Series(estimates.ratios[:, j] * REPORT_SCALE)
        columns[f"se_{label}"] = pl.Series(estimates.ratio_se[:, j] * REPORT_SCALE)
        columns[f"share_{label}"] = pl.Series(shares[:, j])
    columns["se_method"] = pl.Series([method] * n, dtype=pl.String)
    return pl.DataFrame(columns).with_columns(cs.float().fill_nan(None))


def fgt_table(
    frame: pl.DataFrame,
    *,
    consumption: str = "consumption_pc",
    line: float | str,
    weight: str = "weight",
    size: str | None = "size",
    by: str | Sequence[str] | None = None,
    strata: str | None = None,
    psu: str | None = None,
    alphas: Sequence[float] = (0, 1, 2),
    se: SeMethod = "auto",
    replicates: int = 200,
    seed: int = 20250301,
    lonely_psu: LonelyPsuRule = "adjust",
) -> pl.DataFrame:
    """FGT indices ×100 with standard errors, poor counts and decomposition, per group and in total.

    One row per household (or person) in ``frame``. Person weight = ``weight`` × ``size`` (pass
    ``size=None`` when ``weight`` already is a person weight). For the groups of ``by`` (one column
    or several, crossed; each group is a *domain* of the design) and for the whole frame:

    * ``p{α}`` = 100·P_α, with P_α = Σ wᵢsᵢgᵢ / Σ wᵢsᵢ and gᵢ = 1[yᵢ<z]((z−yᵢ)/z)^α;
    * ``poor`` = Σ wᵢsᵢ·1[yᵢ<z] (people), ``population`` = Σ wᵢsᵢ, ``households`` = sample rows;
    * ``se_p{α}``, ``se_poor``: standard errors (same ×100 scale for the indices);
    * ``share_p{α}`` = (N_g/N)·P_α,g / P_α, the group's contribution to the total (sums to 1 over
      the groups; 1 on the total row; null when P_α = 0).

    Standard errors (``se``): ``"linearisation"`` — Taylor linearisation of the ratio with the
    domain indicator over the whole design, strata and PSUs with replacement, single-PSU strata by
    ``lonely_psu`` (:mod:`tuntas.poverty.variance`); ``"bootstrap"`` — Rao–Wu rescaling bootstrap
    when strata or PSUs are given, else the weighted bootstrap of households; ``"auto"`` —
    linearisation when the frame has strata or PSUs, bootstrap otherwise; ``"none"`` — nulls.

    Parameters
    ----------
    frame : the sample (e.g. the survey table: consumption_pc, size, weight, stratum, psu, …).
    consumption : column of consumption per capita (Rp/capita/month).
    line : poverty line (Rp/capita/month) as a number, or the name of a column with a line per row.
    weight, size : household design weight and household size columns.
    by : grouping column(s): a region level or a subgroup (sex or sector of head, urban/rural).
    strata, psu : design columns (None when absent).
    alphas : the FGT α values (default 0, 1, 2 → columns p0, p1, p2).
    se : "auto", "linearisation", "bootstrap" or "none".
    replicates, seed : bootstrap replicates and random seed.
    lonely_psu : "adjust" (default), "certainty" or "fail" for strata with a single PSU.

    Returns
    -------
    pl.DataFrame
        The total row first (``is_total`` true, group keys null), then the groups sorted by key.

    Examples
    --------
    >>> sample = pl.DataFrame({
    ...     "consumption_pc": [80.0, 150.0, 90.0, 300.0],
    ...     "size": [4, 2, 3, 2], "weight": [10.0, 10.0, 20.0, 20.0],
    ...     "urban": [False, False, True, True],
    ... })
    >>> t = fgt_table(sample, line=100.0, by="urban", se="none")
    >>> t.select("urban", "p0", "poor", "population", "share_p0").to_dicts()[0]
    {'urban': None, 'p0': 62.5, 'poor': 100.0, 'population': 160.0, 'share_p0': 1.0}
    >>> t["share_p0"][1:].to_list()  # rural 40 of the 100 poor, urban 60
    [0.4, 0.6]
    """
    group_by = [by] if isinstance(by, str) else list(by or [])
    for column in group_by:
        if column not in frame.columns:
            raise ValueError(f"by column {column!r} is not in the frame")
    alpha_values = [_check_alpha(a) for a in alphas]
    if not alpha_values:
        raise ValueError("alphas is empty")
    y = consumption_vector(_column_vector(frame, consumption, "consumption"))
    z = line_vector(_column_vector(frame, line, "line") if isinstance(line, str) else line, y.size)
    sizes = np.ones(y.size) if size is None else _column_vector(frame, size, "size")
    if (sizes <= 0).any():
        raise ValueError(f"size has {int((sizes <= 0).sum())} values ≤ 0")
    design = survey_design(
        _column_vector(frame, weight, "weight"),
        strata=None if strata is None else _design_column(frame, strata, "strata"),
        psu=None if psu is None else _design_column(frame, psu, "psu"),
    )
    if design.weights.sum() <= 0:
        raise ValueError("weights sum to zero")
    method = _resolve_se(se, strata is not None or psu is not None)
    headcount = sizes * (y < z)
    terms = np.column_stack([sizes * fgt_terms(y, z, a) for a in alpha_values])
    options = _SeOptions(method, lonely_psu, replicates, seed)

    whole = _estimate(headcount, terms, sizes, design, np.zeros(y.size, np.int64), 1, options)
    total_shares = np.where(whole.poverty_totals > 0, 1.0, np.nan)
    total_row = _rows(whole, total_shares, alpha_values, method, total=True)
    if not group_by:
        return total_row
    codes, keys = _domain_codes(frame, group_by)
    groups = _estimate(headcount, terms, sizes, design, codes, keys.height, options)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = groups.poverty_totals / whole.poverty_totals
    group_rows = _rows(groups, shares, alpha_values, method, total=False)
    total_keys = pl.DataFrame([pl.Series(c, [None], dtype=keys.schema[c]) for c in group_by])
    return pl.concat(
        [
            pl.concat([total_keys, total_row], how="horizontal"),
            pl.concat([keys, group_rows], how="horizontal"),
        ]
    )


def decomposition(table: pl.DataFrame, *, alpha: float = 0) -> pl.Series:
    """The subgroup contributions (N_g/N)·P_α,g / P_α of an :func:`fgt_table` (group rows only).

    Examples
    --------
    >>> frame = pl.DataFrame({"consumption_pc": [50.0, 150.0, 80.0], "size": [1, 1, 2],
    ...                       "weight": [1.0, 1.0, 1.0], "g": ["a", "a", "b"]})
    >>> decomposition(fgt_table(frame, line=100.0, by="g", se="none"), alpha=1).round(4).to_list()
    [0.5556, 0.4444]
    """
    return table.filter(~pl.col("is_total"))[f"share_{_alpha_label(alpha)}"]


__all__: Sequence[str] = (
    "REPORT_SCALE",
    "as_float_vector",
    "decomposition",
    "fgt",
    "fgt_table",
    "fgt_terms",
)
