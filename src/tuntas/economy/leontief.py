"""Leontief and Ghosh algebra on NumPy arrays: coefficients, inverses, multipliers, linkages.

Notation (Miller & Blair 2009, *Input-Output Analysis: Foundations and Extensions*, 2nd ed.,
Cambridge University Press, ch. 2 and 6): **Z** (n×n) intermediate transactions, sales of row
sector i to column sector j, in money (e.g. juta rupiah); **x** (n) total output of each sector in
the same unit; **A** = Z·diag(x)⁻¹ the technical (input) coefficients, unitless (Rp of input i per
Rp of output j); **L** = (I − A)⁻¹ the Leontief inverse: lᵢⱼ is the output of sector i needed, directly
and indirectly, per unit of final demand for sector j. **B** = diag(x)⁻¹·Z the allocation (output)
coefficients and **G** = (I − B)⁻¹ the Ghosh inverse (Miller & Blair ch. 12).

Examples
--------
Miller & Blair (2009), §2.3, the two-sector example (Z = [[150, 500], [200, 100]],
x = [1000, 2000]):

>>> Z = np.array([[150.0, 500.0], [200.0, 100.0]])
>>> x = np.array([1000.0, 2000.0])
>>> technical_coefficients(Z, x).tolist()
[[0.15, 0.25], [0.2, 0.05]]
>>> np.round(leontief_inverse(Z, x), 4).tolist()
[[1.2541, 0.33], [0.264, 1.1221]]
>>> np.round(output_multipliers(Z, x), 4).tolist()
[1.5182, 1.4521]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
ForwardMethod = Literal["ghosh", "leontief"]

PRODUCTIVE_TOLERANCE = 1e-9
"""Entries of a Leontief inverse below −tolerance mean the system is not productive."""


def as_matrix(values: ArrayLike, name: str) -> FloatArray:
    """A finite square float matrix; ``ValueError`` names what is wrong.

    Examples
    --------
    >>> as_matrix([[1, 2], [3, 4]], "Z").shape
    (2, 2)
    >>> as_matrix([[1, 2, 3]], "Z")
    Traceback (most recent call last):
    ...
    ValueError: Z must be a square matrix, not of shape (1, 3)
    """
    try:
        matrix = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric") from error
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"{name} must be a square matrix, not of shape {matrix.shape}")
    if matrix.shape[0] == 0:
        raise ValueError(f"{name} is empty")
    if not np.isfinite(matrix).all():
        raise ValueError(
            f"{name} has {int((~np.isfinite(matrix)).sum())} missing or infinite values"
        )
    return matrix


def as_vector(values: ArrayLike, name: str, size: int | None = None) -> FloatArray:
    """A finite one-dimensional float array, of ``size`` values when given.

    Examples
    --------
    >>> as_vector([1, 2], "x").tolist()
    [1.0, 2.0]
    >>> as_vector([1, 2], "x", 3)
    Traceback (most recent call last):
    ...
    ValueError: x has 2 values but the table has 3 sectors
    """
    try:
        vector = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric") from error
    vector = vector.reshape(-1) if vector.ndim == 2 and 1 in vector.shape else vector
    if vector.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, not of shape {vector.shape}")
    if size is not None and vector.size != size:
        raise ValueError(f"{name} has {vector.size} values but the table has {size} sectors")
    if not np.isfinite(vector).all():
        raise ValueError(
            f"{name} has {int((~np.isfinite(vector)).sum())} missing or infinite values"
        )
    return vector


def _output_vector(Z: FloatArray, x: ArrayLike) -> FloatArray:
    output = as_vector(x, "x", Z.shape[0])
    if (output < 0).any():
        bad = np.flatnonzero(output < 0).tolist()
        raise ValueError(f"x (total output) is negative for sector index(es) {bad}")
    return output


def reciprocal(values: FloatArray) -> FloatArray:
    """1/v, with 0 where v = 0 (a sector without output gets zero coefficients).

    Examples
    --------
    >>> reciprocal(np.array([2.0, 0.0])).tolist()
    [0.5, 0.0]
    """
    out: FloatArray = np.divide(1.0, values, out=np.zeros_like(values), where=values != 0)
    return out


def technical_coefficients(Z: ArrayLike, x: ArrayLike) -> FloatArray:
    """Technical (input) coefficients A = Z·diag(x)⁻¹, aᵢⱼ = zᵢⱼ / xⱼ.

    Parameters
    ----------
    Z : array (n, n)
        Intermediate transactions, money per year (e.g. juta rupiah).
    x : array (n,)
        Total output by sector, same unit. A sector with zero output gets a zero column
        (it buys nothing); zero output with non-zero purchases is an error.

    Returns
    -------
    ndarray (n, n)
        Unitless: rupiah of input from sector i per rupiah of output of sector j.

    Source: Miller & Blair (2009), §2.2.

    Examples
    --------
    >>> technical_coefficients([[150, 500], [200, 100]], [1000, 2000]).tolist()
    [[0.15, 0.25], [0.2, 0.05]]
    >>> technical_coefficients([[0, 0], [0, 1]], [1, 0])
    Traceback (most recent call last):
    ...
    ValueError: sector index(es) [1] have zero output but non-zero intermediate inputs
    """
    transactions = as_matrix(Z, "Z")
    output = _output_vector(transactions, x)
    zero = output == 0
    if zero.any() and np.abs(transactions[:, zero]).sum() > 0:
        bad = [int(j) for j in np.flatnonzero(zero) if np.abs(transactions[:, j]).sum() > 0]
        raise ValueError(
            f"sector index(es) {bad} have zero output but non-zero intermediate inputs"
        )
    return transactions * reciprocal(output)[np.newaxis, :]


def inverse_of_identity_minus(coefficients: ArrayLike, *, name: str = "A") -> FloatArray:
    """(I − M)⁻¹ for a square coefficient matrix M, checking the system is productive.

    ``ValueError`` when I − M is singular or the inverse has negative entries (the
    Hawkins–Simon conditions fail: the table cannot meet any final demand).

    Examples
    --------
    >>> inverse_of_identity_minus([[0.5]]).tolist()
    [[2.0]]
    >>> inverse_of_identity_minus([[1.5]])
    Traceback (most recent call last):
    ...
    ValueError: I − A is not productive: its inverse has negative entries (spectral radius 1.5 ≥ 1)
    """
    matrix = as_matrix(coefficients, name)
    n = matrix.shape[0]
    try:
        inverse = np.asarray(np.linalg.solve(np.eye(n) - matrix, np.eye(n)), dtype=np.float64)
    except np.linalg.LinAlgError as error:
        raise ValueError(f"I − {name} is singular: the table has no Leontief inverse") from error
    if (inverse < -PRODUCTIVE_TOLERANCE).any():
        radius = float(np.max(np.abs(np.linalg.eigvals(matrix))))
        raise ValueError(
            f"I − {name} is not productive: its inverse has negative entries "
            f"(spectral radius {radius:.4g} ≥ 1)"
        )
    return inverse


def leontief_from_coefficients(A: ArrayLike) -> FloatArray:
    """Leontief inverse L = (I − A)⁻¹ from technical coefficients.

    Examples
    --------
    >>> np.round(leontief_from_coefficients([[0.15, 0.25], [0.2, 0.05]]), 4).tolist()
    [[1.2541, 0.33], [0.264, 1.1221]]
    """
    return inverse_of_identity_minus(A, name="A")


def leontief_inverse(Z: ArrayLike, x: ArrayLike) -> FloatArray:
    """Leontief inverse L = (I − A)⁻¹ with A = Z·diag(x)⁻¹.

    lᵢⱼ is the output of sector i (money) needed, directly and indirectly, to deliver one unit of
    final demand for sector j: x = L·f. Unitless.

    Source: Miller & Blair (2009), §2.2; numerical example §2.3.

    Examples
    --------
    >>> np.round(leontief_inverse([[150, 500], [200, 100]], [1000, 2000]), 4).tolist()
    [[1.2541, 0.33], [0.264, 1.1221]]
    """
    return leontief_from_coefficients(technical_coefficients(Z, x))


def output_multipliers(Z: ArrayLike, x: ArrayLike) -> FloatArray:
    """Simple (Type I) output multipliers, the column sums of L: mⱼ = Σᵢ lᵢⱼ.

    Total output of all sectors (money) per unit of final demand for sector j, households
    exogenous. Source: Miller & Blair (2009), ch. 6.

    Examples
    --------
    >>> np.round(output_multipliers([[150, 500], [200, 100]], [1000, 2000]), 4).tolist()
    [1.5182, 1.4521]
    """
    return leontief_inverse(Z, x).sum(axis=0)


def allocation_coefficients(Z: ArrayLike, x: ArrayLike) -> FloatArray:
    """Allocation (output) coefficients B = diag(x)⁻¹·Z, bᵢⱼ = zᵢⱼ / xᵢ (Ghosh 1958).

    Examples
    --------
    >>> allocation_coefficients([[150, 500], [200, 100]], [1000, 2000]).tolist()
    [[0.15, 0.5], [0.1, 0.05]]
    """
    transactions = as_matrix(Z, "Z")
    output = _output_vector(transactions, x)
    zero = output == 0
    if zero.any() and np.abs(transactions[zero, :]).sum() > 0:
        bad = [int(i) for i in np.flatnonzero(zero) if np.abs(transactions[i, :]).sum() > 0]
        raise ValueError(f"sector index(es) {bad} have zero output but non-zero intermediate sales")
    return transactions * reciprocal(output)[:, np.newaxis]


def ghosh_inverse(Z: ArrayLike, x: ArrayLike) -> FloatArray:
    """Ghosh inverse G = (I − B)⁻¹ with B = diag(x)⁻¹·Z; G = diag(x)⁻¹·L·diag(x).

    gᵢⱼ: output of sector j per unit of primary input into sector i (supply-side view, used
    here only for forward linkages). Source: Miller & Blair (2009), ch. 12.

    Examples
    --------
    >>> np.round(ghosh_inverse([[150, 500], [200, 100]], [1000, 2000]), 4).tolist()
    [[1.2541, 0.6601], [0.132, 1.1221]]
    """
    return inverse_of_identity_minus(allocation_coefficients(Z, x), name="B")


def closed_coefficients(
    A: ArrayLike,
    household_input: ArrayLike,
    household_consumption: ArrayLike,
    *,
    household_own: float = 0.0,
) -> FloatArray:
    """Coefficients Ā of the model closed with respect to households, (n+1)×(n+1).

    Ā = [[A, c], [h, h₀]]: the extra row h holds labour-income coefficients hⱼ = Wⱼ/xⱼ
    (households' "sales" of labour per unit of output j), the extra column c household
    consumption coefficients cᵢ = Cᵢ/X_h (purchases from sector i per unit of household income
    X_h), and h₀ household purchases of household services per unit of income (often 0).

    Source: Miller & Blair (2009), §2.5.

    Examples
    --------
    Miller & Blair (2009), §2.5: h = [0.3, 0.25], c = [0.05, 0.40], h₀ = 0.05:

    >>> closed_coefficients([[0.15, 0.25], [0.2, 0.05]], [0.3, 0.25], [0.05, 0.4],
    ...                     household_own=0.05).tolist()
    [[0.15, 0.25, 0.05], [0.2, 0.05, 0.4], [0.3, 0.25, 0.05]]
    """
    coefficients = as_matrix(A, "A")
    n = coefficients.shape[0]
    row = as_vector(household_input, "household_input", n)
    column = as_vector(household_consumption, "household_consumption", n)
    closed = np.zeros((n + 1, n + 1))
    closed[:n, :n] = coefficients
    closed[n, :n] = row
    closed[:n, n] = column
    closed[n, n] = float(household_own)
    return closed


def closed_leontief_inverse(
    A: ArrayLike,
    household_input: ArrayLike,
    household_consumption: ArrayLike,
    *,
    household_own: float = 0.0,
) -> FloatArray:
    """L̄ = (I − Ā)⁻¹ for the model closed with respect to households, (n+1)×(n+1).

    The top-left n×n block holds direct + indirect + induced output requirements; the last row
    holds total household income per unit of final demand. ``ValueError`` when the closed model
    is not productive (households re-spend one or more rupiah per rupiah of income).

    Source: Miller & Blair (2009), §2.5 and ch. 6.

    Examples
    --------
    >>> Lbar = closed_leontief_inverse([[0.15, 0.25], [0.2, 0.05]], [0.3, 0.25], [0.05, 0.4],
    ...                                household_own=0.05)
    >>> np.round(Lbar, 4).tolist()
    [[1.3651, 0.4253, 0.2509], [0.5273, 1.3481, 0.5954], [0.5698, 0.489, 1.2885]]
    """
    closed = closed_coefficients(
        A, household_input, household_consumption, household_own=household_own
    )
    return inverse_of_identity_minus(closed, name="Ā")


def simple_multipliers(L: ArrayLike, coefficients: ArrayLike) -> FloatArray:
    """Simple multipliers m(c)ⱼ = Σᵢ cᵢ·lᵢⱼ for direct coefficients c (income or jobs per unit).

    With c = labour income per unit of output this is the simple household-income multiplier
    (rupiah of income per rupiah of final demand); with c = workers per unit of output, the simple
    employment multiplier (workers per unit of final demand). Miller & Blair (2009), ch. 6.

    Examples
    --------
    >>> L = leontief_from_coefficients([[0.15, 0.25], [0.2, 0.05]])
    >>> np.round(simple_multipliers(L, [0.3, 0.25]), 4).tolist()
    [0.4422, 0.3795]
    """
    inverse = as_matrix(L, "L")
    direct = as_vector(coefficients, "coefficients", inverse.shape[0])
    return direct @ inverse


def ratio_to_direct(values: FloatArray, direct: FloatArray) -> FloatArray:
    """values / direct, NaN where the direct coefficient is zero (the ratio is undefined).

    Examples
    --------
    >>> ratio_to_direct(np.array([1.0, 2.0]), np.array([0.5, 0.0])).tolist()
    [2.0, nan]
    """
    return np.divide(values, direct, out=np.full_like(values, np.nan), where=direct != 0)


def type_i_multipliers(L: ArrayLike, coefficients: ArrayLike) -> FloatArray:
    """Type I multipliers: simple multiplier / direct coefficient, Σᵢ cᵢlᵢⱼ / cⱼ.

    Direct + indirect effect per unit of direct effect (unitless); NaN where cⱼ = 0.
    Miller & Blair (2009), ch. 6.

    Examples
    --------
    >>> L = leontief_from_coefficients([[0.15, 0.25], [0.2, 0.05]])
    >>> np.round(type_i_multipliers(L, [0.3, 0.25]), 4).tolist()
    [1.4741, 1.5182]
    """
    direct = as_vector(coefficients, "coefficients")
    return ratio_to_direct(simple_multipliers(L, direct), direct)


def type_ii_multipliers(L_closed: ArrayLike, coefficients: ArrayLike) -> FloatArray:
    """Type II multipliers: Σᵢ cᵢ·l̄ᵢⱼ / cⱼ over the n producing sectors of the closed inverse.

    Direct + indirect + induced effect per unit of direct effect. For household income use
    :func:`type_ii_income_multipliers` (the household row of L̄). Miller & Blair (2009), ch. 6.

    Examples
    --------
    >>> Lbar = closed_leontief_inverse([[0.15, 0.25], [0.2, 0.05]], [0.3, 0.25], [0.05, 0.4])
    >>> np.round(type_ii_multipliers(Lbar, [0.3, 0.25]), 4).tolist()
    [1.7845, 1.8378]
    """
    inverse = as_matrix(L_closed, "L_closed")
    n = inverse.shape[0] - 1
    direct = as_vector(coefficients, "coefficients", n)
    return ratio_to_direct(direct @ inverse[:n, :n], direct)


def type_ii_income_multipliers(L_closed: ArrayLike, household_input: ArrayLike) -> FloatArray:
    """Type II income multipliers l̄ₙ₊₁,ⱼ / hⱼ from the household row of the closed inverse.

    Miller & Blair (2009), ch. 6: total (direct + indirect + induced) household income per unit
    of direct income. Type II / Type I equals l̄ₙ₊₁,ₙ₊₁ for every sector.

    Examples
    --------
    >>> Lbar = closed_leontief_inverse([[0.15, 0.25], [0.2, 0.05]], [0.3, 0.25], [0.05, 0.4],
    ...                                household_own=0.05)
    >>> np.round(type_ii_income_multipliers(Lbar, [0.3, 0.25]), 4).tolist()
    [1.8995, 1.9562]
    """
    inverse = as_matrix(L_closed, "L_closed")
    n = inverse.shape[0] - 1
    direct = as_vector(household_input, "household_input", n)
    return ratio_to_direct(inverse[n, :n].copy(), direct)


def power_of_dispersion(L: ArrayLike) -> FloatArray:
    """Rasmussen's normalised backward linkage (power of dispersion), n·Σᵢlᵢⱼ / Σᵢⱼlᵢⱼ.

    Above 1: sector j pulls more than the average sector on its suppliers. Rasmussen, P. N.
    (1956), *Studies in Inter-Sectoral Relations*, North-Holland; Miller & Blair (2009), ch. 12.

    Examples
    --------
    >>> np.round(power_of_dispersion([[1.2, 0.3], [0.4, 1.1]]), 4).tolist()
    [1.0667, 0.9333]
    """
    inverse = as_matrix(L, "L")
    n = inverse.shape[0]
    return n * inverse.sum(axis=0) / inverse.sum()


def sensitivity_of_dispersion(inverse: ArrayLike) -> FloatArray:
    """Normalised forward linkage (sensitivity of dispersion), n·Σⱼmᵢⱼ / Σᵢⱼmᵢⱼ, rows of M.

    Pass the Ghosh inverse G (Miller & Blair 2009, ch. 12, recommended) or the Leontief
    inverse L (Rasmussen's original index).

    Examples
    --------
    >>> np.round(sensitivity_of_dispersion([[1.2, 0.3], [0.2, 1.1]]), 4).tolist()
    [1.0714, 0.9286]
    """
    matrix = as_matrix(inverse, "inverse")
    n = matrix.shape[0]
    return n * matrix.sum(axis=1) / matrix.sum()


def backward_linkages(Z: ArrayLike, x: ArrayLike) -> FloatArray:
    """Normalised total backward linkages from the Leontief inverse (Rasmussen's power of dispersion).

    Examples
    --------
    >>> np.round(backward_linkages([[150, 500], [200, 100]], [1000, 2000]), 4).tolist()
    [1.0222, 0.9778]
    """
    return power_of_dispersion(leontief_inverse(Z, x))


def forward_linkages(Z: ArrayLike, x: ArrayLike, *, method: ForwardMethod = "ghosh") -> FloatArray:
    """Normalised total forward linkages: row sums of the Ghosh inverse (default) or of L.

    ``method="ghosh"`` follows Miller & Blair (2009, ch. 12) (the supply-side measure);
    ``method="leontief"`` is Rasmussen's (1956) sensitivity of dispersion on L.

    Examples
    --------
    >>> np.round(forward_linkages([[150, 500], [200, 100]], [1000, 2000]), 4).tolist()
    [1.2083, 0.7917]
    >>> np.round(forward_linkages([[150, 500], [200, 100]], [1000, 2000], method="leontief"), 4)
    array([1.0667, 0.9333])
    """
    if method == "ghosh":
        return sensitivity_of_dispersion(ghosh_inverse(Z, x))
    if method == "leontief":
        return sensitivity_of_dispersion(leontief_inverse(Z, x))
    raise ValueError(f"method must be 'ghosh' or 'leontief', not {method!r}")


def sector_index(sectors: Sequence[str], names: Sequence[str]) -> list[int]:
    """Positions of ``names`` in ``sectors``; ``ValueError`` lists the unknown ones.

    Examples
    --------
    >>> sector_index(["a", "b"], ["b"])
    [1]
    """
    position = {name: i for i, name in enumerate(sectors)}
    unknown = [name for name in names if name not in position]
    if unknown:
        raise ValueError(f"unknown sector(s) {unknown}; the table has {list(sectors)}")
    return [position[name] for name in names]
