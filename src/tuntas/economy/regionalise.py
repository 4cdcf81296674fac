"""Flegg's location quotient (FLQ): a regional input-output table from a national or provincial one.

With regional employment REᵢ (total TRE) and national (or provincial) employment NEᵢ (total TNE):

* simple location quotient SLQᵢ = (REᵢ/TRE) / (NEᵢ/TNE);
* cross-industry location quotient CILQᵢⱼ = SLQᵢ / SLQⱼ, with CILQᵢᵢ = SLQᵢ on the diagonal;
* λ* = [log₂(1 + TRE/TNE)]^δ, 0 ≤ δ ≤ 1 (the smaller the region, the smaller λ*);
* FLQᵢⱼ = CILQᵢⱼ × λ*;
* regional coefficient aʳᵢⱼ = aⁿᵢⱼ × min(FLQᵢⱼ, 1): a region buys from its own sector i no more
  than the national coefficient, and less when i is under-represented in the region or the region
  is small; the rest is imported from other regions or abroad.

Sources: Flegg, A. T., Webber, C. D. & Elliott, M. V. (1995), "On the appropriate use of location
quotients in generating regional input-output tables", *Regional Studies* 29(6): 547–561;
Flegg, A. T. & Webber, C. D. (1997), "On the appropriate use of location quotients in generating
regional input-output tables: reply", *Regional Studies* 31(8): 795–805; Miller & Blair (2009),
ch. 8. δ = 0.3 is the value commonly used after Flegg & Webber (1997) when no survey-based regional
table is available to calibrate it; δ = 0 gives λ* = 1, i.e. the CILQ (SLQ on the diagonal)
capped at 1. δ is a parameter: report it with every result.

Examples
--------
>>> np.round(flq([30, 10], [100, 300], delta=0.3, cap=False), 4).tolist()
[[1.6543, 4.9629], [0.0613, 0.1838]]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike

from tuntas.economy.iotable import IOTable, sector_vector
from tuntas.economy.leontief import FloatArray, as_vector, reciprocal, technical_coefficients

DEFAULT_DELTA = 0.3
"""δ ≈ 0.3, the value commonly used after Flegg & Webber (1997) absent a survey-based regional table."""


def _employment_pair(
    regional_employment: ArrayLike, national_employment: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    national = as_vector(national_employment, "national_employment")
    regional = as_vector(regional_employment, "regional_employment", national.size)
    if (regional < 0).any() or (national < 0).any():
        raise ValueError("employment must not be negative")
    if (national == 0).any():
        raise ValueError(
            f"national employment is zero for sector index(es) {np.flatnonzero(national == 0).tolist()}: "
            "the location quotient is undefined"
        )
    if regional.sum() <= 0:
        raise ValueError("regional employment sums to zero")
    if (regional > national).any():
        raise ValueError(
            f"regional employment exceeds the reference for sector index(es) "
            f"{np.flatnonzero(regional > national).tolist()}: the region must be part of the reference"
        )
    return regional, national


def simple_location_quotients(
    regional_employment: ArrayLike, national_employment: ArrayLike
) -> FloatArray:
    """SLQᵢ = (REᵢ/TRE) / (NEᵢ/TNE), unitless.

    Examples
    --------
    >>> simple_location_quotients([30, 10], [100, 300]).tolist()
    [3.0, 0.3333333333333333]
    """
    regional, national = _employment_pair(regional_employment, national_employment)
    return (regional / regional.sum()) / (national / national.sum())


def cross_industry_quotients(
    regional_employment: ArrayLike, national_employment: ArrayLike
) -> FloatArray:
    """CILQᵢⱼ = SLQᵢ / SLQⱼ off the diagonal and SLQᵢ on it (Flegg et al. 1995).

    A column j with SLQⱼ = 0 (sector absent from the region) gets +inf off the diagonal: its
    coefficients are then capped at the national ones, which does not matter since xʳⱼ = 0.

    Examples
    --------
    >>> np.round(cross_industry_quotients([30, 10], [100, 300]), 4).tolist()
    [[3.0, 9.0], [0.1111, 0.3333]]
    """
    slq = simple_location_quotients(regional_employment, national_employment)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        cilq = slq[:, np.newaxis] / slq[np.newaxis, :]
    cilq = np.where(np.isnan(cilq), 0.0, cilq)
    np.fill_diagonal(cilq, slq)
    return cilq


def flq_lambda(
    regional_total: float, national_total: float, *, delta: float = DEFAULT_DELTA
) -> float:
    """λ* = [log₂(1 + TRE/TNE)]^δ (Flegg & Webber 1997), unitless in (0, 1].

    Examples
    --------
    >>> round(flq_lambda(40, 400, delta=0.3), 4)
    0.5514
    >>> flq_lambda(40, 400, delta=0)
    1.0
    """
    if not 0 <= delta <= 1:
        raise ValueError(f"delta must be between 0 and 1, not {delta!r}")
    if not 0 < regional_total <= national_total:
        raise ValueError(
            "regional total employment must be positive and at most the reference total"
        )
    # log1p keeps λ* positive when the region is a vanishing fraction of the reference economy.
    return float((np.log1p(regional_total / national_total) / np.log(2)) ** delta)


def flq(
    regional_employment: ArrayLike,
    national_employment: ArrayLike,
    *,
    delta: float = DEFAULT_DELTA,
    cap: bool = True,
) -> FloatArray:
    """Flegg's location quotients, the regional adjustment matrix min(FLQᵢⱼ, 1) by default.

    FLQᵢⱼ = CILQᵢⱼ × λ*, with CILQᵢⱼ = SLQᵢ/SLQⱼ (SLQᵢ on the diagonal) and
    λ* = [log₂(1 + TRE/TNE)]^δ. The regional coefficient is aʳᵢⱼ = aⁿᵢⱼ × min(FLQᵢⱼ, 1).

    Parameters
    ----------
    regional_employment, national_employment : array (n,)
        Workers by sector (persons) in the region and in the reference economy (the country or
        the province the table describes), same sectors as the table.
    delta : float, keyword-only
        δ in [0, 1]; 0.3 by default (Flegg & Webber 1997). δ = 0 gives the CILQ capped at 1.
    cap : bool, keyword-only
        Return min(FLQ, 1) (default) or the raw FLQ.

    Examples
    --------
    Two sectors; region 30 and 10 workers, nation 100 and 300 (TRE/TNE = 0.1):
    SLQ = (0.75/0.25, 0.25/0.75) = (3, 1/3); λ* = log₂(1.1)^0.3 = 0.137504^0.3 = 0.551435;
    FLQ = [[3, 9], [1/9, 1/3]] × 0.551435 = [[1.6543, 4.9629], [0.0613, 0.1838]]
    → capped [[1, 1], [0.0613, 0.1838]].

    >>> np.round(flq([30, 10], [100, 300], delta=0.3), 4).tolist()
    [[1.0, 1.0], [0.0613, 0.1838]]
    """
    regional, national = _employment_pair(regional_employment, national_employment)
    with np.errstate(invalid="ignore", over="ignore"):
        quotients = cross_industry_quotients(regional, national) * flq_lambda(
            float(regional.sum()), float(national.sum()), delta=delta
        )
    # ∞ × (an underflowed λ*) for a sector absent from the region: treat as ∞ (capped at national).
    quotients = np.where(np.isnan(quotients), np.inf, quotients)
    return np.minimum(quotients, 1.0) if cap else quotients


def regional_coefficients(
    A: ArrayLike,
    regional_employment: ArrayLike,
    national_employment: ArrayLike,
    *,
    delta: float = DEFAULT_DELTA,
) -> FloatArray:
    """aʳᵢⱼ = aⁿᵢⱼ × min(FLQᵢⱼ, 1).

    Examples
    --------
    >>> np.round(regional_coefficients([[0.15, 0.25], [0.2, 0.05]], [30, 10], [100, 300]), 4).tolist()
    [[0.15, 0.25], [0.0123, 0.0092]]
    """
    national_A = np.asarray(A, dtype=np.float64)
    return national_A * flq(regional_employment, national_employment, delta=delta)


def regionalise(
    table: IOTable,
    regional_employment: ArrayLike | Mapping[str, float],
    *,
    delta: float = DEFAULT_DELTA,
    national_employment: ArrayLike | Mapping[str, float] | None = None,
    region: str = "region",
    employment_source: str | None = None,
) -> IOTable:
    """A regional table from a national (or provincial) one by Flegg's location quotient.

    Assumptions (listed in the result's ``notes``):

    1. Regional coefficients aʳᵢⱼ = aⁿᵢⱼ·min(FLQᵢⱼ, 1) (:func:`flq`); the reduction
       (aⁿᵢⱼ − aʳᵢⱼ)·xʳⱼ is bought from outside the region and added to a new primary-input row
       "Impor antarwilayah (FLQ)".
    2. Regional output xʳⱼ = xⁿⱼ·REⱼ/NEⱼ: the region's share of the sector's workers times the
       national output per worker (the same labour productivity as the reference economy).
    3. Other primary inputs (labour income, surplus, taxes, foreign imports) keep the national
       coefficients per unit of output.
    4. Final demand is the balancing item fʳᵢ = xʳᵢ − Σⱼ zʳᵢⱼ (it includes net exports to other
       regions), split across the national final-demand categories in each sector's national
       proportions. The table is balanced by construction.

    Use a national table of *domestic* transactions (as BPS's), so that foreign imports are not in
    the coefficients that FLQ scales (Flegg & Webber 1997).

    Parameters
    ----------
    table : IOTable
        The reference (national or provincial) table.
    regional_employment : array (n,) or mapping {sector: workers}
        Workers by the table's sectors in the region.
    delta : float, keyword-only
        FLQ δ (default 0.3).
    national_employment : array or mapping, optional
        Reference employment; default ``table.employment``.
    region : str
        Name of the region, for the title and notes.
    employment_source : str, optional
        Citation of the regional employment.

    Examples
    --------
    >>> from tuntas.economy.iotable import table_from_arrays
    >>> nation = table_from_arrays([[150, 500], [200, 100]], [1000, 2000], employment=[100, 300])
    >>> local = regionalise(nation, [30, 10], region="Kab. Contoh")
    >>> np.round(local.x, 4).tolist()
    [300.0, 66.6667]
    >>> np.round(technical_coefficients(local.Z, local.x), 4).tolist()
    [[0.15, 0.25], [0.0123, 0.0092]]
    """
    regional = sector_vector(table, regional_employment, "regional_employment")
    if national_employment is None:
        if table.employment is None:
            raise ValueError(f"{table.name} has no employment by sector: pass national_employment")
        national = table.employment
    else:
        national = sector_vector(table, national_employment, "national_employment")
    adjustment = flq(regional, national, delta=delta)
    slq = simple_location_quotients(regional, national)
    lam = flq_lambda(float(regional.sum()), float(national.sum()), delta=delta)
    national_A = technical_coefficients(table.Z, table.x)
    regional_A = national_A * adjustment
    share = regional / national
    x = table.x * share
    Z = regional_A * x[np.newaxis, :]
    interregional_imports = ((national_A - regional_A) * x[np.newaxis, :]).sum(axis=0)
    primary_coefficients = table.primary_inputs * reciprocal(table.x)[np.newaxis, :]
    primary = np.vstack([primary_coefficients * x[np.newaxis, :], interregional_imports])
    import_row = "Impor antarwilayah (FLQ)"
    final_total = x - Z.sum(axis=1)
    national_final = table.final_demand
    row_sum = national_final.sum(axis=1)
    k = national_final.shape[1]
    proportions = np.where(
        (row_sum != 0)[:, np.newaxis],
        national_final / np.where(row_sum != 0, row_sum, 1.0)[:, np.newaxis],
        1.0 / k,
    )
    final_demand = proportions * final_total[:, np.newaxis]
    notes = [
        f"Regionalised to {region} from '{table.name}' by Flegg's location quotient "
        f"(Flegg, Webber & Elliott 1995; Flegg & Webber 1997), δ = {delta}, "
        f"λ* = {lam:.4f}, regional/reference employment = {regional.sum() / national.sum():.4%}.",
        "aʳᵢⱼ = aⁿᵢⱼ·min(FLQᵢⱼ, 1); the difference is bought outside the region "
        f"(primary-input row '{import_row}').",
        "xʳⱼ = xⁿⱼ·REⱼ/NEⱼ: regional output assumes the reference economy's output per worker.",
        "Other primary inputs keep the reference coefficients per unit of output.",
        "Final demand = xʳ − Zʳ·1 (includes net exports to other regions), split in the reference "
        "table's proportions by category.",
        f"Reference table: {table.attribution}",
    ]
    if (final_total < 0).any():
        negative = [table.sectors[i] for i in np.flatnonzero(final_total < 0)]
        notes.append(f"Final demand is negative (net inflows) for {negative}.")
    if employment_source:
        notes.append(f"Regional employment: {employment_source}.")
    notes.append(
        "SLQ by sector: "
        + ", ".join(f"{s} {q:.2f}" for s, q in zip(table.sectors, slq, strict=True))
    )
    return dataclasses.replace(
        table,
        name=f"{region} (FLQ δ={delta}) from {table.name}",
        Z=Z,
        final_demand=final_demand,
        primary_inputs=primary,
        primary_input_names=(*table.primary_input_names, import_row),
        x=x,
        import_rows=(*table.import_rows, import_row),
        employment=regional,
        employment_source=employment_source or table.employment_source,
        output_basis="national output per worker × regional workers",
        notes=tuple(notes),
    )
