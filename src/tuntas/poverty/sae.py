"""Fay–Herriot area-level small-area estimation: REML, EBLUP and its second-order MSE.

Model (Fay & Herriot 1979, JASA 74:269–277; Rao & Molina 2015, *Small Area Estimation*, 2nd ed.,
Wiley, ch. 6): for area d = 1..m with a direct survey estimate θ̂_d (e.g. a kecamatan or desa poverty
rate, as a fraction) and known sampling variance ψ_d,

    θ̂_d = x_dᵀβ + u_d + e_d,   u_d ~ N(0, σ²_u),   e_d ~ N(0, ψ_d),

so V = diag(σ²_u + ψ_d). With V⁻¹ = diag(1/(σ²_u + ψ_d)):

* **β** by generalised least squares, β̂ = (XᵀV⁻¹X)⁻¹XᵀV⁻¹θ̂, V(β̂) = (XᵀV⁻¹X)⁻¹.
* **σ²_u** by REML: maximise l_R(σ²) = −½[log|V| + log|XᵀV⁻¹X| + θ̂ᵀPθ̂] with
  P = V⁻¹ − V⁻¹X(XᵀV⁻¹X)⁻¹XᵀV⁻¹, by Fisher scoring σ²ₖ₊₁ = σ²ₖ + s(σ²ₖ)/I(σ²ₖ), with score
  s = −½ tr(P) + ½ θ̂ᵀP²θ̂ and information I = ½ tr(P²) (Rao & Molina 2015, §6.2.1), truncated at 0
  (if the step goes below 0 and the score at 0 is ≤ 0, σ̂²_u = 0). A bounded scalar optimiser on
  l_R is the fallback when scoring does not converge.
* **EBLUP** θ̃_d = γ_d θ̂_d + (1 − γ_d) x_dᵀβ̂ with shrinkage γ_d = σ̂²_u / (σ̂²_u + ψ_d).
* **MSE** (Prasad & Rao 1990, JASA 85:163; Datta & Lahiri 2000, Statistica Sinica 10:613; Rao &
  Molina 2015, §6.2): for REML, mse(θ̃_d) ≈ g1_d + g2_d + 2 g3_d, with
  g1_d = γ_d ψ_d, g2_d = (1 − γ_d)² x_dᵀ(XᵀV⁻¹X)⁻¹x_d,
  g3_d = ψ_d² (σ̂²_u + ψ_d)⁻³ V̄(σ̂²_u), V̄(σ̂²_u) = 2 / Σ_d (σ̂²_u + ψ_d)⁻².
* **Areas without a direct estimate** get the synthetic estimate x_dᵀβ̂ with
  mse = σ̂²_u + x_dᵀ V(β̂) x_d.

Examples
--------
>>> areas = pl.DataFrame({
...     "area": ["a", "b", "c", "d", "e", "f"],
...     "direct": [0.10, 0.22, 0.15, 0.30, 0.05, None],
...     "direct_var": [0.002, 0.003, 0.001, 0.004, 0.001, None],
...     "x": [0.12, 0.18, 0.16, 0.25, 0.08, 0.20],
... })
>>> fit = fay_herriot(areas, covariates=["x"])
>>> fit.converged, fit.estimates["sampled"].to_list()
(True, [True, True, True, True, True, False])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import polars as pl
from numpy.typing import NDArray
from scipy.optimize import minimize_scalar

FloatArray = NDArray[np.float64]
ZeroVariance = Literal["error", "synthetic"]
INTERCEPT = "intercept"


@dataclass(frozen=True)
class FayHerriotResult:
    """A fitted Fay–Herriot model.

    Attributes
    ----------
    estimates : one row per input area: area, direct, direct_var, eblup, mse, rmse, gamma,
        synthetic, sampled (the area was in the model).
    sigma2_u : REML estimate of the area-effect variance σ²_u (squared units of θ).
    beta : GLS coefficients by name (``intercept`` first when added).
    beta_se : their standard errors √diag (XᵀV⁻¹X)⁻¹.
    beta_cov : (XᵀV⁻¹X)⁻¹ in the order of ``beta``.
    converged, iterations : the REML fit's status and Fisher-scoring iterations.
    log_likelihood : the restricted log-likelihood at σ̂²_u (without the constant −½(m−p)log 2π).
    """

    estimates: pl.DataFrame
    sigma2_u: float
    beta: dict[str, float]
    beta_se: dict[str, float]
    beta_cov: FloatArray
    converged: bool
    iterations: int
    log_likelihood: float


@dataclass(frozen=True)
class RemlTerms:
    """REML log-likelihood, score, Fisher information and GLS fit at one value of σ²_u."""

    log_likelihood: float
    score: float
    information: float
    beta: FloatArray
    beta_cov: FloatArray


def reml_terms(sigma2: float, direct: FloatArray, design: FloatArray, psi: FloatArray) -> RemlTerms:
    """REML quantities of the Fay–Herriot model at σ²_u = ``sigma2`` without m×m matrices.

    With W = V⁻¹ (diagonal), A = XᵀWX, C = XᵀW²X and r = θ̂ − Xβ̂: θ̂ᵀPθ̂ = rᵀWr, Pθ̂ = Wr,
    tr P = Σw − tr(A⁻¹C), tr P² = Σw² − 2 tr(A⁻¹XᵀW³X) + tr((A⁻¹C)²).

    Examples
    --------
    >>> t = reml_terms(0.0, np.array([1.0, 3.0]), np.ones((2, 1)), np.array([1.0, 1.0]))
    >>> float(t.beta[0]), float(t.beta_cov[0, 0]), t.score, t.information
    (2.0, 0.5, 0.5, 0.5)
    """
    w = 1.0 / (sigma2 + psi)
    a_matrix = design.T @ (w[:, None] * design)
    a_inverse: FloatArray = np.linalg.inv(a_matrix).astype(np.float64)
    beta = a_inverse @ (design.T @ (w * direct))
    residual = direct - design @ beta
    projected = w * residual
    c_matrix = design.T @ ((w**2)[:, None] * design)
    a_inv_c = a_inverse @ c_matrix
    trace_p = w.sum() - np.trace(a_inv_c)
    trace_p2 = (
        (w**2).sum()
        - 2.0 * np.trace(a_inverse @ (design.T @ ((w**3)[:, None] * design)))
        + np.trace(a_inv_c @ a_inv_c)
    )
    _, log_det_a = np.linalg.slogdet(a_matrix)
    log_likelihood = -0.5 * (-np.log(w).sum() + log_det_a + float(residual @ projected))
    score = -0.5 * trace_p + 0.5 * float(projected @ projected)
    return RemlTerms(float(log_likelihood), float(score), float(0.5 * trace_p2), beta, a_inverse)


def _moment_start(direct: FloatArray, design: FloatArray, psi: FloatArray) -> float:
    """Prasad–Rao moment estimator [Σr² − Σψ(1 − h)]/(m − p) from OLS, truncated at 0."""
    hat_core = np.linalg.pinv(design.T @ design)
    residual = direct - design @ (hat_core @ design.T @ direct)
    leverage = np.einsum("ij,jk,ik->i", design, hat_core, design)
    m, p = design.shape
    return max(float((residual @ residual - (psi * (1.0 - leverage)).sum()) / (m - p)), 0.0)


def fit_sigma2_reml(
    direct: FloatArray,
    design: FloatArray,
    psi: FloatArray,
    *,
    tol: float = 1e-10,
    max_iter: int = 100,
) -> tuple[float, bool, int]:
    """REML estimate of σ²_u by Fisher scoring with truncation at 0; (σ̂²_u, converged, iterations).

    Converged when a step changes σ²_u by at most ``tol`` × (σ²_u + mean ψ). If scoring has not
    converged after ``max_iter`` steps, l_R is maximised on [0, upper] by a bounded Brent search.
    """
    scale = float(psi.mean())
    sigma2 = _moment_start(direct, design, psi)
    for iteration in range(1, max_iter + 1):
        terms = reml_terms(sigma2, direct, design, psi)
        proposal = sigma2 + terms.score / terms.information
        if proposal <= 0.0:
            if sigma2 == 0.0 and terms.score <= 0.0:
                return 0.0, True, iteration
            proposal = 0.0
        if abs(proposal - sigma2) <= tol * (proposal + scale):
            return proposal, True, iteration
        sigma2 = proposal
    upper = max(10.0 * float(np.var(direct)), 10.0 * sigma2, scale)
    found = minimize_scalar(
        lambda s: -reml_terms(float(s), direct, design, psi).log_likelihood,
        bounds=(0.0, upper),
        method="bounded",
        options={"xatol": tol * scale},
    )
    return float(found.x), bool(found.success), max_iter


def _float_column(frame: pl.DataFrame, column: str) -> FloatArray:
    if column not in frame.columns:
        raise ValueError(f"column {column!r} is not in the frame")
    return frame[column].cast(pl.Float64).fill_null(np.nan).to_numpy().astype(np.float64)


def _covariate_matrix(
    frame: pl.DataFrame, covariates: Sequence[str], intercept: bool
) -> FloatArray:
    columns = [_float_column(frame, c) for c in covariates]
    if intercept:
        columns.insert(0, np.ones(frame.height))
    if not columns:
        raise ValueError("the model needs an intercept or at least one covariate")
    matrix = np.column_stack(columns)
    bad = ~np.isfinite(matrix).all(axis=1)
    if bad.any():
        raise ValueError(f"covariates are missing or not finite for {int(bad.sum())} areas")
    return matrix


def _sampled_mask(
    direct: FloatArray, psi: FloatArray, zero_variance: ZeroVariance
) -> NDArray[np.bool_]:
    has_direct = np.isfinite(direct)
    unusable = has_direct & ~(np.isfinite(psi) & (psi > 0))
    if unusable.any() and zero_variance == "error":
        raise ValueError(
            f"{int(unusable.sum())} areas have a direct estimate but no positive sampling variance; "
            "pass zero_variance='synthetic' to treat them as unsampled"
        )
    return has_direct & ~unusable


def _check_areas(frame: pl.DataFrame, area: str) -> None:
    if area not in frame.columns:
        raise ValueError(f"area column {area!r} is not in the frame")
    if frame[area].null_count():
        raise ValueError("area has missing values")
    if frame[area].n_unique() != frame.height:
        raise ValueError("area values must be unique (one row per area)")


def fay_herriot(
    frame: pl.DataFrame,
    *,
    direct: str = "direct",
    variance: str = "direct_var",
    covariates: Sequence[str],
    area: str = "area",
    intercept: bool = True,
    zero_variance: ZeroVariance = "error",
    tol: float = 1e-10,
    max_iter: int = 100,
) -> FayHerriotResult:
    """Fit the Fay–Herriot model by REML and predict every area (EBLUP or synthetic) with its MSE.

    Parameters
    ----------
    frame : one row per area, sampled or not.
    direct : column of direct estimates θ̂_d (null for areas without sample).
    variance : column of their sampling variances ψ_d (squared units of θ).
    covariates : auxiliary variables x_d (registry and village data), known for every area.
    area : area identifier column (unique).
    intercept : add a constant to the covariates (named ``intercept``).
    zero_variance : areas with a direct estimate but ψ_d null or ≤ 0 (e.g. a desa whose sample
        has no poor household) are an error (``"error"``) or left out of the fit and given the
        synthetic estimate (``"synthetic"``).
    tol, max_iter : Fisher-scoring convergence tolerance and iteration limit.

    Returns
    -------
    FayHerriotResult

    Examples
    --------
    >>> frame = pl.DataFrame({
    ...     "area": ["a", "b", "c", "d", "e"],
    ...     "direct": [0.10, 0.22, 0.15, 0.30, None],
    ...     "direct_var": [0.002, 0.003, 0.001, 0.004, None],
    ...     "x": [0.12, 0.18, 0.16, 0.25, 0.20],
    ... })
    >>> fit = fay_herriot(frame, covariates=["x"])
    >>> row = fit.estimates.row(4, named=True)
    >>> row["sampled"], row["eblup"] == row["synthetic"], row["gamma"]
    (False, True, None)
    """
    _check_areas(frame, area)
    theta = _float_column(frame, direct)
    psi = _float_column(frame, variance)
    design = _covariate_matrix(frame, covariates, intercept)
    sampled = _sampled_mask(theta, psi, zero_variance)
    m, p = int(sampled.sum()), design.shape[1]
    if m <= p:
        raise ValueError(f"{m} sampled areas are too few for {p} coefficients")
    if np.linalg.matrix_rank(design[sampled]) < p:
        raise ValueError("the covariates of the sampled areas are collinear")
    y, x, v = theta[sampled], design[sampled], psi[sampled]
    sigma2, converged, iterations = fit_sigma2_reml(y, x, v, tol=tol, max_iter=max_iter)
    terms = reml_terms(sigma2, y, x, v)
    estimates = _predictions(frame[area], theta, psi, design, sampled, sigma2, terms)
    names = ([INTERCEPT] if intercept else []) + list(covariates)
    return FayHerriotResult(
        estimates=estimates,
        sigma2_u=sigma2,
        beta=dict(zip(names, terms.beta.tolist(), strict=True)),
        beta_se=dict(zip(names, np.sqrt(np.diag(terms.beta_cov)).tolist(), strict=True)),
        beta_cov=terms.beta_cov,
        converged=converged,
        iterations=iterations,
        log_likelihood=terms.log_likelihood,
    )


def _predictions(
    areas: pl.Series,
    theta: FloatArray,
    psi: FloatArray,
    design: FloatArray,
    sampled: NDArray[np.bool_],
    sigma2: float,
    terms: RemlTerms,
) -> pl.DataFrame:
    """EBLUP and MSE (g1 + g2 + 2g3) for sampled areas; synthetic and σ² + xᵀV(β̂)x for the rest."""
    synthetic = design @ terms.beta
    leverage = np.einsum("ij,jk,ik->i", design, terms.beta_cov, design)
    total_var = np.where(sampled, sigma2 + psi, np.nan)
    gamma = np.where(sampled, sigma2 / total_var, np.nan)
    sigma2_var = 2.0 / np.nansum(total_var[sampled] ** -2.0)
    g1 = gamma * psi
    g2 = (1.0 - gamma) ** 2 * leverage
    g3 = psi**2 * total_var**-3.0 * sigma2_var
    eblup = np.where(sampled, gamma * theta + (1.0 - gamma) * synthetic, synthetic)
    mse = np.where(sampled, g1 + g2 + 2.0 * g3, sigma2 + leverage)
    return pl.DataFrame(
        {
            "area": areas,
            "direct": theta,
            "direct_var": psi,
            "eblup": eblup,
            "mse": mse,
            "rmse": np.sqrt(mse),
            "gamma": gamma,
            "synthetic": synthetic,
            "sampled": sampled,
        }
    ).with_columns(pl.col("direct", "direct_var", "gamma").fill_nan(None))


def clip_rates(
    frame: pl.DataFrame,
    columns: Sequence[str] = ("direct", "eblup", "synthetic"),
    *,
    lower: float = 0.0,
    upper: float = 1.0,
) -> pl.DataFrame:
    """Clip rate columns to [lower, upper] for reporting (the model itself is unconstrained).

    A linear EBLUP of a poverty rate can fall below 0 in an area with few poor; report it as 0.
    Columns that are absent are ignored; MSEs are left as they are.

    Examples
    --------
    >>> clip_rates(pl.DataFrame({"eblup": [-0.01, 0.4, 1.2]}))["eblup"].to_list()
    [0.0, 0.4, 1.0]
    """
    present = [c for c in columns if c in frame.columns]
    return frame.with_columns(pl.col(c).clip(lower, upper) for c in present)


__all__: Sequence[str] = (
    "INTERCEPT",
    "FayHerriotResult",
    "RemlTerms",
    "clip_rates",
    "fay_herriot",
    "fit_sigma2_reml",
    "reml_terms",
)
