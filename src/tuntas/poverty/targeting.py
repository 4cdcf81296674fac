"""Proxy-means test (PMT), targeting errors, threshold calibration and the candidate list.

**Model** (Grosh & Baker 1995; Brown, Ravallion & van de Walle 2018): one weighted least-squares
regression per regency, fitted on the survey (Susenas-like, with consumption),

    ln yᵢ = xᵢᵀβ + εᵢ,   weights wᵢ = household design weight,

where yᵢ is consumption per capita (Rp/capita/month) and xᵢ holds what the registry also records:
dummies for floor, wall, roof, toilet, water, lighting and cooking fuel; owning the house; savings;
household size and its square; urban; and, when the registry's members are given, the head's sex,
age and age², schooling and sector. β̂ = (XᵀWX)⁻¹XᵀWy is computed with ``numpy.linalg.lstsq`` on
√w-scaled rows (no statsmodels dependency; the tests check β̂ and V̂(β̂) against statsmodels
``WLS(...).fit(cov_type="cluster")``). Categories are ordered worst → best (the code lists of
:mod:`tuntas.tables.schemas`); a category with fewer than ``min_category`` survey households is
merged with its neighbour, so every dummy is estimable; the largest group is the reference. The
head's sector is grouped into agriculture (A), manufacturing (C), construction (F), trade (G),
other and not working (no sector).

**Predictive distribution.** For a household with x₀, ln y₀ ~ N(x₀ᵀβ̂, s₀²) with
s₀² = σ̂² + x₀ᵀV̂(β̂)x₀, where σ̂² = Σwᵢeᵢ²/Σwᵢ · n/(n − p) is the weighted residual variance and
V̂(β̂) = (XᵀWX)⁻¹ [Σ_c u_c u_cᵀ] (XᵀWX)⁻¹ · G/(G − 1) · (n − 1)/(n − p), u_c = Σ_{i∈c} wᵢeᵢxᵢ, the
cluster-robust (PSU) sandwich over G PSUs (CR1; Cameron & Miller 2015). Residuals of a PMT
are heteroscedastic (on the synthetic Klaten survey their SD rises from 0.25 in the poorest
predicted quintile to 0.41 in the richest), so by default σ̂² is replaced by a variance model in
the predicted value μ = xᵀβ̂, the "alpha model" of Elbers, Lanjouw & Lanjouw (2003) reduced to
one regressor (Harvey 1976): ln eᵢ² = a + bμᵢ + vᵢ by WLS, σ²(μ) = c·exp(a + bμ) with c such
that Σwᵢσ²(μᵢ)/Σwᵢ = σ̂². Then s₀² = σ²(μ₀) + x₀ᵀV̂(β̂)x₀ and the probability of being below a
line z is

    pᵢ = Φ((ln z − x₀ᵀβ̂) / s₀).

A normal predictive distribution still overstates the mass far in the lower tail when the true
distribution is compressed there (on the synthetic data Σpᵢ at the extreme line is about twice
the true count), which is one reason the list threshold is calibrated to a total (below).

Missing indicators of a registry household take the reference (modal) group, missing booleans the
survey's most common value, a missing head age the survey's weighted mean; such rows are flagged
``imputed``.

**Targeting errors** (Cornia & Stewart 1993; Coady, Grosh & Hoddinott 2004): with poor =
truly below the line and targeted = selected by the rule, weighted by household weights,

    inclusion error (leakage) = N(targeted ∧ ¬poor) / N(targeted),
    exclusion error (under-coverage) = N(poor ∧ ¬targeted) / N(poor),
    coverage = N(poor ∧ targeted) / N(poor) = 1 − exclusion error.

They are measured **out of sample** by k-fold cross-validation over PSUs (default 5 folds,
seeded): each survey household is predicted by the model fitted on the other folds' PSUs.

**Calibration.** :func:`calibrate_threshold` picks the threshold t such that the households with
p ≥ t add up (in households, or persons with ``weights=size``) to a given total — e.g. the
extreme-poor persons implied by the small-area estimates, or a published figure — the smallest
count reaching it (ties at t are all kept). :func:`calibrate_probabilities` instead shifts the
predicted log consumption by δ so that the *expected* count Σ wᵢpᵢ equals the total.

**Candidate list.** Desil 1 is a *candidate source*, never a label. The list is

    desil 1  ∪  {p ≥ t}  ∪  {households with a recorded verification decision},

ranked within each desa by p (descending; ties by household id). Each household keeps its
recorded ``verification_status``: ``verified_extreme`` and ``not_extreme`` decisions (taken in a
village consultation and recorded in minutes) stand whatever the model says; every other listed
household is a ``candidate`` to verify.

Examples
--------
>>> survey = demo_survey(400, seed=3)
>>> model = fit_pmt(survey, head=False)
>>> 0.3 < model.r2 < 0.9, model.n
(True, 400)
>>> scored = score(model, survey, lines={"extreme": 391000.0})
>>> bool(scored["p_extreme"].is_between(0, 1).all())
True
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
from numpy.typing import NDArray
from scipy.optimize import brentq
from scipy.special import ndtr

from tuntas.tables.schemas import (
    COOKING_FUEL,
    EDUCATION,
    FLOOR,
    LIGHTING,
    ROOF,
    TOILET,
    WALL,
    WATER,
)

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

ORDERED_INDICATORS: dict[str, tuple[str, ...]] = {
    "floor": FLOOR,
    "wall": WALL,
    "roof": ROOF,
    "toilet": TOILET,
    "water": WATER,
    "lighting": LIGHTING,
    "cooking_fuel": COOKING_FUEL,
}
"""Housing indicators and their categories, worst → best (as in the canonical schema)."""
BINARY_INDICATORS: tuple[str, ...] = ("owns_house", "has_savings")
SECTOR_GROUPS: dict[str, str] = {"A": "A", "C": "C", "F": "F", "G": "G"}
"""Head's KBLI category → sector group; any other category is ``other``, none ``not_working``."""
HEAD_COLUMNS: tuple[str, ...] = ("head_sex", "head_age", "head_education", "head_sector")
MIN_CATEGORY = 10
DEFAULT_FOLDS = 5
DEFAULT_SEED = 20250301


# ---------------------------------------------------------------- features


@dataclass(frozen=True)
class FeatureSpec:
    """How a frame becomes the PMT design matrix (decided on the survey the model is fitted on).

    Attributes
    ----------
    groups : for each categorical variable, category → group label.
    reference : each categorical variable's reference group (no dummy).
    dummies : (variable, group) of each dummy column, in order.
    binary_mode : the most common value of each boolean indicator (imputation).
    age_mean : the weighted mean head age (imputation).
    head, urban : whether the head's characteristics and the urban flag are regressors.
    """

    groups: dict[str, dict[str, str]]
    reference: dict[str, str]
    dummies: tuple[tuple[str, str], ...]
    binary_mode: dict[str, bool]
    age_mean: float
    head: bool
    urban: bool

    @property
    def columns(self) -> tuple[str, ...]:
        """Names of the design-matrix columns (``intercept`` first)."""
        names = ["intercept", *(f"{v}={g}" for v, g in self.dummies), *BINARY_INDICATORS]
        names += ["size", "size2"]
        if self.urban:
            names.append("urban")
        if self.head:
            names += ["head_female", "head_age", "head_age2"]
        return tuple(names)

    @property
    def variables(self) -> tuple[str, ...]:
        """The input columns the spec reads."""
        names = [*ORDERED_INDICATORS, *BINARY_INDICATORS, "size"]
        if self.urban:
            names.append("urban")
        if self.head:
            names += list(HEAD_COLUMNS)
        return tuple(names)


def _sector_group() -> pl.Expr:
    sector = pl.col("head_sector").cast(pl.Utf8).str.slice(0, 1).str.to_uppercase()
    return (
        pl.when(sector.is_null())
        .then(pl.lit("not_working"))
        .otherwise(sector.replace_strict(SECTOR_GROUPS, default="other"))
    )


def ordered_groups(
    counts: Mapping[str, int], order: Sequence[str], *, minimum: int
) -> dict[str, str]:
    """Merge ordered categories into groups of at least ``minimum`` observations.

    Walking worst → best, categories join the current group until it reaches ``minimum``; a short
    last group joins the one before. A group is labelled by its categories joined with ``+``.

    Examples
    --------
    >>> ordered_groups({"tanah": 30, "bambu": 4, "kayu": 8, "semen": 300},
    ...                ("tanah", "bambu", "kayu", "semen"), minimum=10)
    {'tanah': 'tanah', 'bambu': 'bambu+kayu', 'kayu': 'bambu+kayu', 'semen': 'semen'}
    """
    groups: list[list[str]] = []
    current: list[str] = []
    size = 0
    for category in order:
        current.append(category)
        size += int(counts.get(category, 0))
        if size >= minimum:
            groups.append(current)
            current, size = [], 0
    if current:
        if groups:
            groups[-1].extend(current)
        else:
            groups.append(current)
    return {c: "+".join(g) for g in groups for c in g}


def _counts(frame: pl.DataFrame, expr: pl.Expr) -> dict[str, int]:
    values = frame.select(expr.alias("v")).drop_nulls()
    return {str(k): int(n) for k, n in values.group_by("v").len().iter_rows()}


def _largest(groups: Mapping[str, str], counts: Mapping[str, int]) -> str:
    totals: dict[str, int] = {}
    for category, group in groups.items():
        totals[group] = totals.get(group, 0) + int(counts.get(category, 0))
    return max(sorted(totals), key=lambda g: totals[g])


def feature_spec(
    survey: pl.DataFrame,
    *,
    weight: str = "weight",
    head: bool = True,
    urban: bool = True,
    min_category: int = MIN_CATEGORY,
) -> FeatureSpec:
    """Decide the PMT's dummies and imputation values from the survey.

    Examples
    --------
    >>> spec = feature_spec(demo_survey(300, seed=1), head=False)
    >>> spec.columns[:3]
    ('intercept', 'floor=tanah+bambu', 'floor=semen')
    """
    categorical: dict[str, tuple[Sequence[str], pl.Expr]] = {
        v: (order, pl.col(v)) for v, order in ORDERED_INDICATORS.items()
    }
    if head:
        categorical["head_education"] = (EDUCATION, pl.col("head_education"))
    groups: dict[str, dict[str, str]] = {}
    reference: dict[str, str] = {}
    dummies: list[tuple[str, str]] = []
    for variable, (order, expr) in categorical.items():
        counts = _counts(survey, expr)
        mapping = ordered_groups(counts, order, minimum=min_category)
        groups[variable] = mapping
        reference[variable] = _largest(mapping, counts)
        labels = list(dict.fromkeys(mapping.values()))
        dummies += [(variable, g) for g in labels if g != reference[variable]]
    if head:
        counts = _counts(survey, _sector_group())
        labels = ["A", "C", "F", "G", "other", "not_working"]
        mapping = {g: g for g in labels}
        for g in labels:  # rare groups join "other"
            if counts.get(g, 0) < min_category and g != "other":
                mapping[g] = "other"
        totals = {g: sum(counts.get(k, 0) for k, v in mapping.items() if v == g) for g in labels}
        largest = max(sorted(totals), key=lambda g: totals[g])
        if totals["other"] < min_category:  # still rare: with the largest group
            mapping = {k: (largest if v == "other" else v) for k, v in mapping.items()}
        groups["head_sector"] = mapping
        reference["head_sector"] = largest
        dummies += [
            ("head_sector", g)
            for g in dict.fromkeys(mapping.values())
            if g != reference["head_sector"]
        ]
    binary_mode = {
        b: bool(np.nan_to_num(survey[b].cast(pl.Float64).drop_nulls().to_numpy().mean()) >= 0.5)
        if survey[b].drop_nulls().len()
        else False
        for b in BINARY_INDICATORS
    }
    age_mean = 0.0
    if head:
        ages = survey.select("head_age", weight).drop_nulls()
        age_mean = (
            float(np.average(ages["head_age"], weights=ages[weight])) if ages.height else 45.0
        )
    return FeatureSpec(groups, reference, tuple(dummies), binary_mode, age_mean, head, urban)


def design_matrix(frame: pl.DataFrame, spec: FeatureSpec) -> tuple[FloatArray, BoolArray]:
    """The PMT design matrix of ``frame`` (one row per household) and the rows that were imputed.

    Examples
    --------
    >>> survey = demo_survey(50, seed=2)
    >>> x, imputed = design_matrix(survey, feature_spec(survey, head=False, min_category=3))
    >>> x.shape[0], bool(imputed.any())
    (50, False)
    """
    missing = [v for v in spec.variables if v not in frame.columns]
    if missing:
        raise ValueError(f"the frame lacks the PMT variables {missing}")
    columns: list[pl.Expr] = [pl.lit(1.0).alias("intercept")]
    for variable, group in spec.dummies:
        source = _sector_group() if variable == "head_sector" else pl.col(variable)
        mapped = source.cast(pl.Utf8).replace_strict(spec.groups[variable], default=None)
        columns.append(
            (mapped == group).fill_null(False).cast(pl.Float64).alias(f"{variable}={group}")
        )
    for b in BINARY_INDICATORS:
        columns.append(pl.col(b).fill_null(spec.binary_mode[b]).cast(pl.Float64).alias(b))
    size = pl.col("size").cast(pl.Float64)
    columns += [size.alias("size"), (size**2).alias("size2")]
    if spec.urban:
        columns.append(pl.col("urban").fill_null(False).cast(pl.Float64).alias("urban"))
    if spec.head:
        age = pl.col("head_age").cast(pl.Float64).fill_null(spec.age_mean)
        columns += [
            (pl.col("head_sex") == "P").fill_null(False).cast(pl.Float64).alias("head_female"),
            age.alias("head_age"),
            (age**2 / 100.0).alias("head_age2"),
        ]
    x = frame.select(columns).to_numpy().astype(np.float64)
    known = [
        pl.col(v).is_null()
        | (
            pl.col(v).cast(pl.Utf8).replace_strict(spec.groups[v], default=None).is_null()
            if v in spec.groups
            else pl.lit(False)
        )
        for v in spec.variables
        if v not in ("head_sector", "size")
    ]
    imputed = frame.select(pl.any_horizontal(known).alias("imputed"))["imputed"].to_numpy()
    return x, imputed.astype(bool)


# ---------------------------------------------------------------- model


@dataclass(frozen=True)
class PmtModel:
    """A fitted proxy-means test.

    Attributes
    ----------
    spec : the features (:class:`FeatureSpec`).
    beta : coefficients on ln(consumption per capita), in the order of ``spec.columns``.
    beta_cov : cluster-robust (PSU) covariance of ``beta``.
    sigma2 : residual variance σ̂² of ln consumption (log points²).
    r2 : weighted R² of ln consumption.
    n : survey households used; ``clusters`` the PSUs.
    """

    spec: FeatureSpec
    beta: FloatArray
    beta_cov: FloatArray
    sigma2: float
    r2: float
    n: int
    clusters: int
    variance_model: tuple[float, float, float] | None = None
    """(a, b, c) of the heteroscedastic residual variance σ²(μ) = c·exp(a + b·μ), or None."""

    def residual_variance(self, mean: FloatArray) -> FloatArray:
        """σ²(μ): the residual variance at predicted log consumption μ (σ̂² when homoscedastic)."""
        if self.variance_model is None:
            return np.full(mean.shape, self.sigma2)
        a, b, c = self.variance_model
        return np.asarray(c * np.exp(a + b * mean), dtype=np.float64)

    def coefficients(self) -> pl.DataFrame:
        """Name, estimate and standard error of each coefficient."""
        return pl.DataFrame(
            {
                "name": list(self.spec.columns),
                "beta": self.beta,
                "se": np.sqrt(np.clip(np.diag(self.beta_cov), 0.0, None)),
            }
        )


def fit_pmt(
    survey: pl.DataFrame,
    *,
    consumption: str = "consumption_pc",
    weight: str = "weight",
    psu: str | None = "psu",
    head: bool = True,
    urban: bool = True,
    heteroscedastic: bool = True,
    min_category: int = MIN_CATEGORY,
) -> PmtModel:
    """Fit the PMT: WLS of ln consumption per capita on the registry's indicators (see module).

    Parameters
    ----------
    survey : one row per household: consumption, weight, size, the indicators, ``urban`` and the
        ``head_*`` columns (when used), ``psu`` (for the covariance).
    consumption, weight, psu : column names (``psu=None``: each household its own cluster).
    head : use the head's sex, age, schooling and sector (the registry needs them too).
    urban : use the urban flag.
    heteroscedastic : model the residual variance as σ²(μ) = c·exp(a + b·μ) (see module).
    min_category : smallest number of survey households per category group.

    Returns
    -------
    PmtModel

    Examples
    --------
    >>> model = fit_pmt(demo_survey(400, seed=1), head=False)
    >>> round(model.sigma2, 2) > 0, model.clusters
    (True, 40)
    """
    needed = [consumption, weight, "size", *BINARY_INDICATORS, *ORDERED_INDICATORS]
    missing = [c for c in needed if c not in survey.columns]
    if missing:
        raise ValueError(f"the survey lacks {missing}")
    data = survey.filter(pl.col(consumption).is_not_null() & (pl.col(consumption) > 0))
    spec = feature_spec(data, weight=weight, head=head, urban=urban, min_category=min_category)
    x, _ = design_matrix(data, spec)
    y = np.log(data[consumption].cast(pl.Float64).to_numpy())
    w = data[weight].cast(pl.Float64).to_numpy()
    n, p = x.shape
    if n <= p:
        raise ValueError(f"{n} survey households are too few for {p} PMT coefficients")
    root = np.sqrt(w)
    beta = np.linalg.lstsq(x * root[:, None], y * root, rcond=None)[0]
    residual = y - x @ beta
    sigma2 = float((w * residual**2).sum() / w.sum() * n / (n - p))
    mean = float(np.average(y, weights=w))
    r2 = 1.0 - float((w * residual**2).sum() / (w * (y - mean) ** 2).sum())
    clusters = (
        np.unique(data[psu].cast(pl.Utf8).to_numpy(), return_inverse=True)[1]
        if psu is not None and psu in data.columns
        else np.arange(n)
    )
    g = int(clusters.max()) + 1
    scores = np.zeros((g, p))
    np.add.at(scores, clusters, (w * residual)[:, None] * x)
    bread = np.linalg.pinv(x.T @ (w[:, None] * x))
    factor = g / max(g - 1, 1) * (n - 1) / (n - p)
    cov = bread @ (scores.T @ scores) @ bread * factor
    variance_model = _variance_model(x @ beta, residual, w, sigma2) if heteroscedastic else None
    return PmtModel(spec, beta, cov, sigma2, r2, n, g, variance_model)


def _variance_model(
    mean: FloatArray, residual: FloatArray, w: FloatArray, sigma2: float
) -> tuple[float, float, float]:
    """(a, b, c): WLS of ln eᵢ² on (1, μᵢ), scaled so that Σwσ²(μ)/Σw = σ̂²."""
    squared = np.maximum(residual**2, 1e-6 * sigma2)
    z = np.column_stack([np.ones_like(mean), mean])
    root = np.sqrt(w)
    a, b = np.linalg.lstsq(z * root[:, None], np.log(squared) * root, rcond=None)[0]
    c = sigma2 * w.sum() / float((w * np.exp(a + b * mean)).sum())
    return float(a), float(b), float(c)


def predict(model: PmtModel, frame: pl.DataFrame) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Predicted ln consumption x₀ᵀβ̂, its predictive SD √(σ²(μ₀) + x₀ᵀV̂x₀), and the imputed rows.

    Examples
    --------
    >>> survey = demo_survey(300, seed=1)
    >>> mean, sd, _ = predict(fit_pmt(survey, head=False), survey)
    >>> bool((sd > 0).all()), mean.shape
    (True, (300,))
    """
    x, imputed = design_matrix(frame, model.spec)
    mean = x @ model.beta
    leverage = ((x @ model.beta_cov) * x).sum(axis=1)
    sd = np.sqrt(model.residual_variance(mean) + np.clip(leverage, 0.0, None))
    return mean, sd, imputed


def probability_below(
    predicted_log: FloatArray, prediction_sd: FloatArray, line: float
) -> FloatArray:
    """P(y < z) = Φ((ln z − μ)/s) for ln y ~ N(μ, s²) (unitless, in [0, 1]).

    Examples
    --------
    >>> probability_below(np.log([100.0, 200.0]), np.array([0.5, 0.5]), 100.0).round(3).tolist()
    [0.5, 0.083]
    """
    if not line > 0:
        raise ValueError("line must be positive")
    return np.asarray(ndtr((math.log(line) - predicted_log) / prediction_sd), dtype=np.float64)


def score(model: PmtModel, frame: pl.DataFrame, *, lines: Mapping[str, float]) -> pl.DataFrame:
    """``frame`` with the PMT's prediction and a probability column ``p_<name>`` per line.

    Adds ``predicted_log_pc``, ``prediction_sd``, ``predicted_pc`` (= exp of the predicted log,
    Rp/capita/month, the median of the predictive distribution), ``imputed`` and ``p_<name>``.

    Examples
    --------
    >>> survey = demo_survey(300, seed=1)
    >>> scored = score(fit_pmt(survey, head=False), survey, lines={"national": 505826.0})
    >>> "p_national" in scored.columns
    True
    """
    mean, sd, imputed = predict(model, frame)
    probabilities = {
        f"p_{name}": probability_below(mean, sd, float(line)) for name, line in lines.items()
    }
    return frame.with_columns(
        pl.Series("predicted_log_pc", mean),
        pl.Series("prediction_sd", sd),
        pl.Series("predicted_pc", np.exp(mean)),
        pl.Series("imputed", imputed),
        *(pl.Series(name, values) for name, values in probabilities.items()),
    )


# ---------------------------------------------------------------- registry inputs


def age_at(birth: pl.Expr, at: dt.date) -> pl.Expr:
    """Age in whole years at ``at`` of a date column (a birthday on ``at`` counts).

    Examples
    --------
    >>> f = pl.DataFrame({"b": [dt.date(1980, 3, 2), dt.date(1980, 3, 1)]})
    >>> f.select(age_at(pl.col("b"), dt.date(2024, 3, 1)).alias("age"))["age"].to_list()
    [43, 44]
    """
    month_day = birth.dt.month().cast(pl.Int32) * 100 + birth.dt.day().cast(pl.Int32)
    before = month_day > (at.month * 100 + at.day)
    return (pl.lit(at.year) - birth.dt.year().cast(pl.Int64) - before.cast(pl.Int64)).cast(pl.Int64)


def registry_heads(persons: pl.DataFrame, *, at: dt.date) -> pl.DataFrame:
    """Head characteristics of registry households, from their members.

    The head is the member with ``relationship == "kepala_keluarga"`` (the first by person_id if
    a file lists several). Returns household_id, head_sex, head_age (at ``at``), head_education,
    head_sector — the survey's ``head_*`` columns.

    Examples
    --------
    >>> persons = pl.DataFrame({"person_id": ["a1", "a2"], "household_id": ["a", "a"],
    ...     "relationship": ["kepala_keluarga", "anak"], "sex": ["P", "L"],
    ...     "birth_date": [dt.date(1970, 1, 1), dt.date(2000, 1, 1)],
    ...     "education": ["sd", "sma"], "sector": ["A", None]})
    >>> registry_heads(persons, at=dt.date(2024, 3, 1)).row(0)
    ('a', 'P', 54, 'sd', 'A')
    """
    return (
        persons.filter(pl.col("relationship") == "kepala_keluarga")
        .sort("person_id")
        .unique("household_id", keep="first", maintain_order=True)
        .select(
            "household_id",
            pl.col("sex").alias("head_sex"),
            age_at(pl.col("birth_date"), at).alias("head_age"),
            pl.col("education").alias("head_education"),
            pl.col("sector").alias("head_sector"),
        )
    )


def registry_frame(
    households: pl.DataFrame,
    *,
    persons: pl.DataFrame | None = None,
    villages: pl.DataFrame | None = None,
    at: dt.date,
) -> pl.DataFrame:
    """Registry households with the PMT inputs they lack: the head's characteristics (from
    ``persons``) and ``urban`` (from the village profiles of their desa)."""
    frame = households
    if persons is not None:
        heads = registry_heads(persons, at=at)
        frame = frame.drop([c for c in HEAD_COLUMNS if c in frame.columns]).join(
            heads, on="household_id", how="left"
        )
    if villages is not None and "urban" not in frame.columns:
        frame = frame.join(
            villages.select("region_code", "urban").unique("region_code"),
            on="region_code",
            how="left",
        )
    return frame


# ---------------------------------------------------------------- errors and calibration


@dataclass(frozen=True)
class TargetingErrors:
    """Counts (weighted) and rates of a targeting rule against the truth.

    ``inclusion_error`` = N(targeted ∧ ¬poor)/N(targeted) (leakage), ``exclusion_error`` =
    N(poor ∧ ¬targeted)/N(poor) (under-coverage), ``coverage`` = 1 − exclusion_error; NaN when
    the denominator is 0.
    """

    targeted: float
    poor: float
    poor_targeted: float
    inclusion_error: float
    exclusion_error: float
    coverage: float

    def to_dict(self) -> dict[str, float | None]:
        """JSON-ready (NaN → None)."""
        return {k: (None if math.isnan(v) else v) for k, v in self.__dict__.items()}


def targeting_errors(
    poor: Sequence[bool] | BoolArray | pl.Series,
    targeted: Sequence[bool] | BoolArray | pl.Series,
    *,
    weights: Sequence[float] | FloatArray | pl.Series | None = None,
) -> TargetingErrors:
    """Inclusion error, exclusion error and coverage of ``targeted`` against ``poor``.

    Examples
    --------
    Ten households, four poor (1–4); the rule selects 1, 2, 5: one of three selected is not poor
    (inclusion error 1/3), two of four poor are missed (exclusion error 1/2, coverage 1/2).

    >>> poor = [True] * 4 + [False] * 6
    >>> targeted = [True, True, False, False, True] + [False] * 5
    >>> e = targeting_errors(poor, targeted)
    >>> round(e.inclusion_error, 4), e.exclusion_error, e.coverage
    (0.3333, 0.5, 0.5)
    """
    p = np.asarray(poor, dtype=bool)
    t = np.asarray(targeted, dtype=bool)
    if p.shape != t.shape:
        raise ValueError("poor and targeted differ in length")
    w = np.ones(p.size) if weights is None else np.asarray(weights, dtype=np.float64)
    if w.shape != p.shape:
        raise ValueError("weights differ in length")
    n_t, n_p, n_pt = float(w[t].sum()), float(w[p].sum()), float(w[p & t].sum())
    inclusion = (n_t - n_pt) / n_t if n_t > 0 else math.nan
    exclusion = (n_p - n_pt) / n_p if n_p > 0 else math.nan
    coverage = n_pt / n_p if n_p > 0 else math.nan
    return TargetingErrors(n_t, n_p, n_pt, inclusion, exclusion, coverage)


def calibrate_threshold(
    probability: Sequence[float] | FloatArray | pl.Series,
    total: float,
    *,
    weights: Sequence[float] | FloatArray | pl.Series | None = None,
) -> float:
    """The threshold t whose selection {p ≥ t} is the smallest reaching ``total``.

    Households are taken by descending p until their weights (1 per household, or the size for
    persons) reach ``total``; t is the p of the last one taken. Ties at t are all selected, so the
    selected count can exceed ``total`` by the tied weights. A total ≤ 0 gives a threshold above
    1 (nobody); a total above the sum gives the smallest p (everybody).

    Examples
    --------
    >>> p = [0.9, 0.8, 0.4, 0.3, 0.1]
    >>> calibrate_threshold(p, 2)
    0.8
    >>> calibrate_threshold(p, 7, weights=[4, 2, 3, 1, 5])  # 4 + 2 = 6 < 7 ≤ 9
    0.4
    """
    p = np.asarray(probability, dtype=np.float64)
    w = np.ones(p.size) if weights is None else np.asarray(weights, dtype=np.float64)
    if p.size == 0:
        raise ValueError("no probabilities")
    if total <= 0:
        return math.nextafter(1.0, 2.0)
    order = np.argsort(-p, kind="stable")
    cumulative = np.cumsum(w[order])
    k = int(np.searchsorted(cumulative, total, side="left"))
    return float(p[order[min(k, p.size - 1)]])


def calibrate_probabilities(
    predicted_log: FloatArray,
    prediction_sd: FloatArray,
    *,
    line: float,
    total: float,
    weights: FloatArray | None = None,
) -> tuple[float, FloatArray]:
    """Shift δ (log points) and probabilities pᵢ(δ) = Φ((ln z − μᵢ − δ)/sᵢ) with Σ wᵢpᵢ(δ) = total.

    Examples
    --------
    >>> mu, sd = np.log([90.0, 100.0, 120.0, 200.0]), np.full(4, 0.3)
    >>> shift, p = calibrate_probabilities(mu, sd, line=100.0, total=1.0)
    >>> round(float(p.sum()), 6)
    1.0
    """
    w = np.ones(predicted_log.size) if weights is None else np.asarray(weights, dtype=np.float64)
    if not 0 < total < w.sum():
        raise ValueError(f"total {total} must be between 0 and {w.sum()}")
    log_line = math.log(line)

    def excess(delta: float) -> float:
        return float((w * ndtr((log_line - predicted_log - delta) / prediction_sd)).sum() - total)

    low, high = -1.0, 1.0
    while excess(low) < 0:
        low *= 2
    while excess(high) > 0:
        high *= 2
    delta = float(brentq(excess, low, high, xtol=1e-12))
    return delta, np.asarray(ndtr((log_line - predicted_log - delta) / prediction_sd))


# ---------------------------------------------------------------- cross-validation


def psu_folds(
    psus: pl.Series, *, folds: int = DEFAULT_FOLDS, seed: int = DEFAULT_SEED
) -> pl.Series:
    """Fold 0..k−1 of each row: PSUs shuffled with ``seed`` and dealt round-robin.

    Examples
    --------
    >>> psu_folds(pl.Series(["a", "a", "b", "c", "d"]), folds=2, seed=1).to_list()
    [0, 0, 1, 0, 1]
    """
    if folds < 2:
        raise ValueError("folds must be at least 2")
    labels = psus.cast(pl.Utf8)
    unique = np.array(sorted(labels.unique().to_list()), dtype=object)
    if unique.size < folds:
        raise ValueError(f"{unique.size} PSUs are too few for {folds} folds")
    order = np.random.default_rng(seed).permutation(unique.size)
    fold_of = {str(unique[i]): int(k % folds) for k, i in enumerate(order)}
    return labels.replace_strict(fold_of, return_dtype=pl.Int64).alias("fold")


def cross_validate(
    survey: pl.DataFrame,
    *,
    consumption: str = "consumption_pc",
    weight: str = "weight",
    psu: str = "psu",
    head: bool = True,
    urban: bool = True,
    heteroscedastic: bool = True,
    folds: int = DEFAULT_FOLDS,
    seed: int = DEFAULT_SEED,
    min_category: int = MIN_CATEGORY,
) -> pl.DataFrame:
    """Out-of-sample PMT predictions for every survey household by k-fold CV over PSUs.

    Returns the survey's household_id, fold, weight, size, consumption and the held-out
    ``predicted_log_pc`` and ``prediction_sd`` (from the model fitted without its fold).

    Examples
    --------
    >>> cv = cross_validate(demo_survey(400, seed=1), head=False)
    >>> cv.height, sorted(cv["fold"].unique().to_list())
    (400, [0, 1, 2, 3, 4])
    """
    data = survey.filter(pl.col(consumption).is_not_null() & (pl.col(consumption) > 0))
    data = data.with_columns(psu_folds(data[psu], folds=folds, seed=seed))
    parts: list[pl.DataFrame] = []
    for k in range(folds):
        train, test = data.filter(pl.col("fold") != k), data.filter(pl.col("fold") == k)
        model = fit_pmt(
            train,
            consumption=consumption,
            weight=weight,
            psu=psu,
            head=head,
            urban=urban,
            heteroscedastic=heteroscedastic,
            min_category=min_category,
        )
        mean, sd, _ = predict(model, test)
        parts.append(
            test.select("household_id", "fold", weight, "size", consumption).with_columns(
                pl.Series("predicted_log_pc", mean), pl.Series("prediction_sd", sd)
            )
        )
    return pl.concat(parts).sort("household_id")


def holdout_errors(
    cv: pl.DataFrame,
    *,
    line: float,
    threshold: float,
    consumption: str = "consumption_pc",
    weight: str = "weight",
) -> TargetingErrors:
    """Targeting errors of the rule p ≥ ``threshold`` on cross-validated predictions (household
    weights), poor meaning consumption below ``line``.

    Examples
    --------
    >>> cv = cross_validate(demo_survey(400, seed=1), head=False)
    >>> e = holdout_errors(cv, line=300000.0, threshold=0.5)
    >>> 0 <= e.coverage <= 1
    True
    """
    p = probability_below(cv["predicted_log_pc"].to_numpy(), cv["prediction_sd"].to_numpy(), line)
    poor = cv[consumption].to_numpy() < line
    return targeting_errors(poor, p >= threshold, weights=cv[weight].to_numpy())


# ---------------------------------------------------------------- the list


def candidate_list(
    scored: pl.DataFrame,
    *,
    threshold: float,
    probability: str = "p_extreme",
    deciles: Sequence[int] = (1,),
) -> pl.DataFrame:
    """The ranked candidate list per desa: desil 1 ∪ {p ≥ threshold} ∪ recorded decisions.

    Parameters
    ----------
    scored : registry households scored by :func:`score` (with ``probability``).
    threshold : the PMT rule p ≥ threshold (e.g. from :func:`calibrate_threshold`).
    probability : the probability column.
    deciles : the welfare deciles that make a household a candidate (desil 1 by default).

    Returns
    -------
    pl.DataFrame
        One row per listed household, sorted by region_code and ``rank`` (1 = highest p in the
        desa): household_id, region_code, rank, the probability, predicted_pc, size,
        welfare_decile, decile_source, ``source`` (``desil``, ``pmt``, ``desil+pmt`` or
        ``verification``), ``verification_status`` as recorded (null when none),
        ``decision`` (the recorded status, else ``candidate``), ``to_verify``, and the
        recorded verification date, verifier, reason and minutes reference.

    Examples
    --------
    >>> scored = pl.DataFrame({"household_id": ["a", "b", "c", "d"], "region_code": ["x"] * 4,
    ...     "welfare_decile": [1, 2, 3, 1], "p_extreme": [0.2, 0.7, 0.1, 0.05],
    ...     "verification_status": [None, None, None, "verified_extreme"]})
    >>> listed = candidate_list(scored, threshold=0.5)
    >>> listed.select("household_id", "rank", "source", "decision").rows()
    [('b', 1, 'pmt', 'candidate'), ('a', 2, 'desil', 'candidate'), ('d', 3, 'desil', 'verified_extreme')]
    """
    if probability not in scored.columns:
        raise ValueError(f"{probability!r} is not in the frame; score the registry first")
    status = (
        pl.col("verification_status")
        if "verification_status" in scored.columns
        else pl.lit(None, dtype=pl.Utf8)
    )
    in_desil = pl.col("welfare_decile").is_in(list(deciles)).fill_null(False)
    above = (pl.col(probability) >= threshold).fill_null(False)
    source = (
        pl.when(in_desil & above)
        .then(pl.lit("desil+pmt"))
        .when(in_desil)
        .then(pl.lit("desil"))
        .when(above)
        .then(pl.lit("pmt"))
        .otherwise(pl.lit("verification"))
    )
    listed = scored.with_columns(
        source.alias("source"),
        status.alias("verification_status"),
        status.fill_null("candidate").alias("decision"),
    ).filter(in_desil | above | status.is_not_null())
    listed = listed.with_columns((pl.col("decision") == "candidate").alias("to_verify"))
    listed = listed.sort(
        ["region_code", probability, "household_id"], descending=[False, True, False]
    ).with_columns(pl.int_range(1, pl.len() + 1).over("region_code").cast(pl.Int64).alias("rank"))
    wanted = [
        "household_id",
        "region_code",
        "rank",
        probability,
        *(c for c in scored.columns if c.startswith("p_") and c != probability),
        "predicted_pc",
        "size",
        "welfare_decile",
        "decile_source",
        "source",
        "verification_status",
        "decision",
        "to_verify",
        "verification_date",
        "verified_by",
        "verification_reason",
        "verification_minutes_ref",
        "imputed",
    ]
    return listed.select([c for c in wanted if c in listed.columns])


def targeting_accuracy(
    scored: pl.DataFrame,
    truth: pl.DataFrame,
    *,
    threshold: float,
    probability: str = "p_extreme",
    poor: str = "poor_extreme",
) -> pl.DataFrame:
    """Accuracy of each targeting rule against a known truth (synthetic data only).

    Rules over the registry: ``desil 1``; ``PMT p ≥ t``; ``candidate list`` (desil 1 ∪ PMT);
    ``list without not_extreme`` (recorded not_extreme decisions removed); ``verified_extreme``.
    For each: households selected, truly poor among them, inclusion and exclusion errors and
    coverage (households, unweighted; the registry is a census).

    Examples
    --------
    >>> scored = pl.DataFrame({"household_id": ["a", "b", "c"], "welfare_decile": [1, 2, 3],
    ...     "p_extreme": [0.6, 0.7, 0.1], "verification_status": [None, None, None]})
    >>> truth = pl.DataFrame({"household_id": ["a", "b", "c"], "poor_extreme": [True, False, True]})
    >>> t = targeting_accuracy(scored, truth, threshold=0.5)
    >>> t.filter(pl.col("rule") == "candidate list").select("selected", "poor_selected").row(0)
    (2.0, 1.0)
    """
    joined = scored.join(truth.select("household_id", poor), on="household_id", how="inner")
    status = (
        joined["verification_status"].cast(pl.Utf8)
        if "verification_status" in joined.columns
        else pl.Series([None] * joined.height, dtype=pl.Utf8)
    )
    desil = (joined["welfare_decile"] == 1).fill_null(False).to_numpy()
    pmt = (joined[probability] >= threshold).fill_null(False).to_numpy()
    not_extreme = (status == "not_extreme").fill_null(False).to_numpy()
    verified = (status == "verified_extreme").fill_null(False).to_numpy()
    truly = joined[poor].fill_null(False).to_numpy()
    rules = {
        "desil 1": desil,
        "PMT p ≥ t": pmt,
        "candidate list": desil | pmt | verified | not_extreme,
        "list without not_extreme": (desil | pmt | verified) & ~not_extreme,
        "verified_extreme": verified,
    }
    rows: list[dict[str, Any]] = []
    for rule, selected in rules.items():
        errors = targeting_errors(truly, selected)
        rows.append(
            {
                "rule": rule,
                "selected": errors.targeted,
                "poor_selected": errors.poor_targeted,
                **{
                    k: v
                    for k, v in errors.to_dict().items()
                    if k not in ("targeted", "poor_targeted")
                },
            }
        )
    return pl.DataFrame(rows)


# ---------------------------------------------------------------- an example survey


def demo_survey(n: int = 400, *, seed: int = 1, households_per_psu: int = 10) -> pl.DataFrame:
    """A small made-up survey for examples: indicators drawn from a latent welfare index.

    Not calibrated to anything; use :func:`tuntas.synth.synthesize` for realistic data.

    Examples
    --------
    >>> demo_survey(20, seed=1).height
    20
    """
    rng = np.random.default_rng(seed)
    welfare = rng.normal(0.0, 1.0, n)

    def ordinal(order: Sequence[str], shift: float) -> list[str]:
        score = welfare * 0.8 + rng.normal(0.0, 0.6, n) + shift
        cuts = np.linspace(-1.8, 1.2, len(order) - 1)
        return [order[int(i)] for i in np.searchsorted(cuts, score)]

    frame: dict[str, Any] = {
        "household_id": [f"S{i:05d}" for i in range(n)],
        "psu": [f"P{i // households_per_psu:04d}" for i in range(n)],
        "weight": rng.uniform(200.0, 400.0, n),
        "size": rng.integers(1, 8, n),
        "urban": rng.random(n) < 0.3,
        "owns_house": rng.random(n) < 0.85,
        "has_savings": (welfare + rng.normal(0.0, 1.0, n)) > 0.3,
    }
    for variable, order in ORDERED_INDICATORS.items():
        frame[variable] = ordinal(order, 0.3)
    frame["head_sex"] = np.where(rng.random(n) < 0.2, "P", "L").tolist()
    frame["head_age"] = rng.integers(22, 80, n)
    frame["head_education"] = ordinal(EDUCATION, 0.0)
    frame["head_sector"] = [
        None if r < 0.1 else ("A" if r < 0.45 else "G" if r < 0.7 else "C") for r in rng.random(n)
    ]
    frame["consumption_pc"] = np.exp(13.6 + 0.45 * welfare + rng.normal(0.0, 0.3, n))
    return pl.DataFrame(frame)


__all__: Sequence[str] = (
    "FeatureSpec",
    "PmtModel",
    "TargetingErrors",
    "calibrate_probabilities",
    "calibrate_threshold",
    "candidate_list",
    "cross_validate",
    "demo_survey",
    "design_matrix",
    "feature_spec",
    "fit_pmt",
    "holdout_errors",
    "predict",
    "probability_below",
    "registry_frame",
    "registry_heads",
    "score",
    "targeting_accuracy",
    "targeting_errors",
)
