"""Numerical calibration tools: integer allocation, raking (IPF), FGT and the consumption transform.

Everything here is a pure function of NumPy arrays.

Examples
--------
>>> largest_remainder([1.0, 1.0, 1.0], 10).tolist()
[4, 3, 3]
>>> m = ipf(np.ones((2, 2)), rows=[30.0, 70.0], cols=[60.0, 40.0])
>>> np.round(m, 6).tolist()
[[18.0, 12.0], [42.0, 28.0]]
>>> round(fgt(np.array([50.0, 100.0, 200.0]), np.ones(3), 100.0, 1), 4)
0.1667
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def largest_remainder(weights: ArrayLike, total: int) -> IntArray:
    """Split the integer ``total`` in proportion to ``weights`` (Hamilton's largest-remainder method).

    Each part is ⌊total·wᵢ/Σw⌋, and the units left over go to the largest fractional parts (ties to
    the lower index, so the result is deterministic). Zero weights get zero.
    """
    w = np.asarray(weights, dtype=np.float64)
    if total < 0:
        raise ValueError("total must be non-negative")
    if total == 0 or w.sum() <= 0:
        return np.zeros(w.shape, dtype=np.int64)
    exact = total * w / w.sum()
    base = np.floor(exact).astype(np.int64)
    left = int(total - base.sum())
    if left:
        order = np.lexsort((np.arange(w.size), -(exact - base)))
        base[order[:left]] += 1
    return base


def ipf(
    seed: ArrayLike,
    *,
    rows: Sequence[float] | FloatArray,
    cols: Sequence[float] | FloatArray,
    iterations: int = 500,
    tol: float = 1e-10,
) -> FloatArray:
    """Iterative proportional fitting (raking) of a positive seed matrix to row and column totals.

    Alternately scales rows and columns, m ← m·(r/Σⱼm) then m ← m·(c/Σᵢm), until both margins hold
    (Deming & Stephan 1940). Row and column totals must have the same sum.
    """
    m = np.asarray(seed, dtype=np.float64).copy()
    r = np.asarray(rows, dtype=np.float64)
    c = np.asarray(cols, dtype=np.float64)
    for _ in range(iterations):
        m *= (r / np.maximum(m.sum(axis=1), 1e-300))[:, None]
        m *= (c / np.maximum(m.sum(axis=0), 1e-300))[None, :]
        if np.abs(m.sum(axis=1) - r).max() < tol * max(r.max(), 1.0):
            break
    return m


def integerize(matrix: ArrayLike, rows: Sequence[int], cols: Sequence[int]) -> IntArray:
    """Round a non-negative real matrix to integers whose row and column sums are exactly given.

    Rows are first rounded by :func:`largest_remainder`; then single units move within a row, from a
    column in surplus to a column in deficit, choosing each time the row where the move costs least
    (the largest gain in fractional part). Each move cuts the total column error by two.
    """
    real = np.asarray(matrix, dtype=np.float64)
    out = np.vstack([largest_remainder(real[i], int(rows[i])) for i in range(real.shape[0])])
    target = np.asarray(cols, dtype=np.int64)
    for _ in range(int(np.abs(out.sum(axis=0) - target).sum()) + 1):
        diff = out.sum(axis=0) - target
        if not diff.any():
            break
        a = int(np.argmax(diff))  # surplus column
        b = int(np.argmin(diff))  # deficit column
        cost = (out[:, a] - real[:, a]) - (out[:, b] - real[:, b])
        cost[out[:, a] <= 0] = -np.inf
        i = int(np.argmax(cost))
        out[i, a] -= 1
        out[i, b] += 1
    return out


def weighted_quantile(values: ArrayLike, weights: ArrayLike, q: float) -> float:
    """The ``q``-quantile of ``values`` under ``weights`` (midpoint of the step at the crossing)."""
    v = np.asarray(values, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    order = np.argsort(v, kind="stable")
    v, w = v[order], w[order]
    cum = np.cumsum(w) / w.sum()
    i = int(np.searchsorted(cum, q, side="left"))
    i = min(i, v.size - 1)
    if i + 1 < v.size:
        return float((v[i] + v[i + 1]) / 2.0)
    return float(v[i])


def fgt(consumption: ArrayLike, weights: ArrayLike, line: float, alpha: int) -> float:
    """Foster–Greer–Thorbecke index Pα = Σ wᵢ·1[yᵢ<z]·((z−yᵢ)/z)^α / Σ wᵢ (a share, not ×100).

    ``weights`` are person weights (household weight × household size) for BPS-style figures.
    """
    y = np.asarray(consumption, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    gap = np.where(y < line, (line - y) / line, 0.0)
    poor = (y < line).astype(np.float64)
    return float((w * poor * gap**alpha).sum() / w.sum())


@dataclass(frozen=True)
class WelfareTransform:
    """Monotone map from the latent welfare index z to log consumption (Rp/capita/month).

    log c = α + σ_lo·z for z ≤ knot, and α + σ_lo·knot + σ_hi·(z − knot) above the knot. The lower
    slope fixes the depth of poverty (P1, P2); the upper slope only spreads the richer households.
    """

    alpha: float
    sigma_low: float
    knot: float
    sigma_high: float

    def log_consumption(self, z: ArrayLike) -> FloatArray:
        """log c for latent welfare ``z``."""
        zz = np.asarray(z, dtype=np.float64)
        low = self.alpha + self.sigma_low * np.minimum(zz, self.knot)
        return low + self.sigma_high * np.maximum(zz - self.knot, 0.0)

    def consumption(self, z: ArrayLike) -> FloatArray:
        """c = exp(log c), Rp/capita/month, rounded to whole rupiah."""
        return np.round(np.exp(self.log_consumption(z))).astype(np.float64)


def _threshold_range(
    z: FloatArray, w: FloatArray, low: float, high: float, target: float
) -> tuple[float, float]:
    """Thresholds t (midpoints between sorted values) whose weighted share below t is in [low, high].

    If no step of the weighted distribution lands in the band, the step nearest ``target``.
    """
    order = np.argsort(z, kind="stable")
    v, cum = z[order], np.cumsum(w[order]) / w.sum()
    mids = np.append((v[:-1] + v[1:]) / 2.0, v[-1] + 1.0)  # t = mids[i] leaves i+1 values below
    ok = np.flatnonzero((cum >= low) & (cum <= high))
    if ok.size == 0:
        i = int(np.argmin(np.abs(cum - target)))
        return float(mids[i]), float(mids[i])
    return float(mids[ok[0]]), float(mids[ok[-1]])


def _p1_at(z: FloatArray, w: FloatArray, t: float, sigma: float) -> float:
    below = z < t
    return float((w[below] * (1.0 - np.exp(sigma * (z[below] - t)))).sum() / w.sum())


def _sigma_for(z: FloatArray, w: FloatArray, t: float, p1: float) -> float:
    """The lower slope σ giving P1 = ``p1`` at threshold ``t`` (P1 rises monotonically with σ)."""
    lo, hi = 1e-4, 5.0
    if _p1_at(z, w, t, lo) > p1 or _p1_at(z, w, t, hi) < p1:
        raise ValueError("cannot reach the target P1 with a positive slope")
    return float(brentq(lambda s: _p1_at(z, w, t, s) - p1, lo, hi, xtol=1e-12))


def solve_transform(
    z: ArrayLike,
    person_weights: ArrayLike,
    *,
    line: float,
    p0: float,
    p1: float,
    knot: float,
    upper_ratio: float,
    population_z: ArrayLike | None = None,
    population_weights: ArrayLike | None = None,
    margin_p0: float = 0.0,
    margin_p1: float = 0.0,
) -> WelfareTransform:
    """Solve α and σ_lo so the weighted sample has poverty P0 ≈ ``p0`` and P1 ≈ ``p1`` (shares).

    With c = exp(α + σ_lo·z) below the knot, a household is poor iff z < t where
    t = (ln z_line − α)/σ_lo, so t is a weighted quantile of z, and
    P1(σ) = Σ w·(1 − e^{σ(z−t)})·1[z<t] / Σ w rises monotonically with σ (one root, Brent's method).
    Then α = ln z_line − σ_lo·t and σ_hi = ``upper_ratio``·σ_lo.

    Without a population the sample targets are met exactly. With ``population_z`` (and weights),
    t is the value that meets P0 *in the population* and σ the value that gives the population BPS's
    ratio P1/P0 at that t, each clipped to the range that keeps the sample within ``margin_p0`` and
    ``margin_p1`` of the targets: the survey still reproduces the published figures (inside their
    tolerance) while the population truth stays as close to them as the sample allows.
    """
    zz = np.asarray(z, dtype=np.float64)
    w = np.asarray(person_weights, dtype=np.float64)
    if population_z is None:
        t = weighted_quantile(zz, w, p0)
        sigma = _sigma_for(zz, w, t, p1)
    else:
        zp = np.asarray(population_z, dtype=np.float64)
        wp = (
            np.ones_like(zp)
            if population_weights is None
            else np.asarray(population_weights, dtype=np.float64)
        )
        t_lo, t_hi = _threshold_range(zz, w, p0 - margin_p0, p0 + margin_p0, p0)
        t = min(max(weighted_quantile(zp, wp, p0), t_lo), t_hi)
        s_lo = _sigma_for(zz, w, t, max(p1 - margin_p1, 1e-6))
        s_hi = _sigma_for(zz, w, t, p1 + margin_p1)
        # in the population, keep BPS's depth-to-incidence ratio P1/P0 at the chosen threshold
        p0_population = float(wp[zp < t].sum() / wp.sum())
        sigma = min(max(_sigma_for(zp, wp, t, p1 * p0_population / p0), s_lo), s_hi)
    if t >= knot:
        raise ValueError("the poverty threshold falls above the transform's knot; raise the knot")
    alpha = float(np.log(line) - sigma * t)
    return WelfareTransform(alpha=alpha, sigma_low=sigma, knot=knot, sigma_high=upper_ratio * sigma)
