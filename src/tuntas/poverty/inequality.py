"""Inequality and distribution-sensitive poverty: the weighted Gini coefficient and the Watts index.

**Gini** (population definition, mean absolute difference over twice the mean; Gini 1912; Cowell
2011, *Measuring Inequality*, 3rd ed., §2.2 and Technical Appendix A.5):

    G = Σᵢ Σⱼ wᵢ wⱼ |yᵢ − yⱼ| / (2 W² μ),   W = Σ wᵢ,  μ = Σ wᵢyᵢ / W.

With equal weights this is Σᵢ Σⱼ |yᵢ − yⱼ| / (2 n² μ): for (1, 2, 3, 4, 5) it gives 40/150 = 0.2667
(the "sample" variant with n(n − 1) in place of n² would give 0.3333; we do not use it, so a
household with weight 2 counts exactly like two identical households). Computed in O(n log n)
from the sorted values: Σⱼ wⱼ|yᵢ − yⱼ| = yᵢ(W_<ᵢ − W_>ᵢ) − (S_<ᵢ − S_>ᵢ), where W and S are the
weight and weighted-value sums below and above yᵢ.

**Watts index** (Watts 1968; Haughton & Khandker 2009, *Handbook on Poverty and Inequality*, ch. 4):

    W = Σ_{yᵢ<z} wᵢ ln(z / yᵢ) / Σ wᵢ,

the person-weighted mean log shortfall from the line (a pure number; 0 when nobody is poor). It is
distribution sensitive and additively decomposable; it needs yᵢ > 0 for the poor.

Examples
--------
>>> round(gini([1, 2, 3, 4, 5]), 4)
0.2667
>>> round(watts([50, 100, 200], 100), 5)  # ln(2)/3
0.23105
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tuntas.poverty.fgt import (
    Values,
    as_float_vector,
    consumption_vector,
    line_vector,
    weight_vector,
)


def gini(values: Values, *, weights: Values | None = None) -> float:
    """Weighted Gini coefficient G = ΣᵢΣⱼ wᵢwⱼ|yᵢ − yⱼ| / (2 W² μ) (population definition).

    Parameters
    ----------
    values : non-negative incomes or consumption (any unit; G is unitless).
    weights : person weights (household weight × size for per-capita values); equal when omitted.

    Returns
    -------
    float
        G in [0, 1 − min share): 0 when all values are equal.

    Raises
    ------
    ValueError
        Missing or negative values, negative weights, length mismatch, or a zero total.

    Examples
    --------
    >>> round(gini([1, 2, 3, 4, 5]), 4)
    0.2667
    >>> gini([0, 0, 0, 1])  # one person has everything: (n − 1)/n
    0.75
    >>> round(gini([1, 2], weights=[2, 1]), 12) == round(gini([1, 1, 2]), 12)  # weight = copies
    True
    """
    y = as_float_vector(values, "values")
    if (y < 0).any():
        raise ValueError(f"values has {int((y < 0).sum())} negative values")
    w = weight_vector(weights, y.size)
    order = np.argsort(y, kind="stable")
    y, w = y[order], w[order]
    total_weight = w.sum()
    weighted = w * y
    total = weighted.sum()
    if total <= 0:
        raise ValueError("the weighted total of values is zero: the Gini coefficient is undefined")
    weight_below = np.cumsum(w) - w
    sum_below = np.cumsum(weighted) - weighted
    weight_above = total_weight - weight_below - w
    sum_above = total - sum_below - weighted
    mean_differences = y * (weight_below - weight_above) - sum_below + sum_above
    return float(np.dot(w, mean_differences) / (2.0 * total_weight * total))


def watts(consumption: Values, line: float | Values, *, weights: Values | None = None) -> float:
    """Watts poverty index W = Σ_{yᵢ<z} wᵢ ln(z/yᵢ) / Σ wᵢ.

    Parameters
    ----------
    consumption : consumption per capita (Rp/capita/month); must be positive for the poor.
    line : poverty line in the same unit, a number or one per observation.
    weights : person weights (household weight × size); equal when omitted.

    Raises
    ------
    ValueError
        Zero consumption below the line (ln z/0 is infinite), and the input errors of :func:`fgt`.

    Examples
    --------
    Consumption 50, 100, 200 with line 100: only the first is poor (100 is not below the line),
    W = ln(100/50)/3 = 0.693147/3:

    >>> round(watts([50, 100, 200], 100), 6)
    0.231049
    >>> round(watts([50, 100, 200], 100, weights=[2, 1, 1]), 6)  # 2·ln 2 / 4
    0.346574
    """
    y = consumption_vector(consumption)
    z = line_vector(line, y.size)
    w = weight_vector(weights, y.size)
    poor = y < z
    if (poor & (y <= 0)).any():
        raise ValueError("the Watts index needs positive consumption for everyone below the line")
    shortfall = np.zeros(y.size)
    shortfall[poor] = np.log(z[poor] / y[poor])
    return float(np.dot(w, shortfall) / w.sum())


__all__: Sequence[str] = ("gini", "watts")
