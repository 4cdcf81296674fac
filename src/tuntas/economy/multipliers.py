"""Multipliers, linkages and multiplier effects of an :class:`~tuntas.economy.iotable.IOTable`.

* **Output multipliers** (Type I, households exogenous): mⱼ = Σᵢ lᵢⱼ, with L = (I − A)⁻¹.
* **Income multipliers**: wⱼ = Wⱼ/xⱼ labour income per unit of output (direct effect); simple
  Σᵢ wᵢlᵢⱼ; Type I = simple / wⱼ; Type II = l̄ₙ₊₁,ⱼ / wⱼ from the closed model.
* **Employment multipliers**: eⱼ = Eⱼ/xⱼ workers per unit of output; simple Σᵢ eᵢlᵢⱼ (workers per
  unit of final demand); Type I = simple / eⱼ; Type II = Σᵢ eᵢl̄ᵢⱼ / eⱼ.
* **Type II closure** (households endogenous, Miller & Blair 2009, §2.5): the household row is
  hⱼ = Wⱼ/xⱼ (labour income coefficients) and the household column cᵢ = Cᵢ/X_h, household
  consumption of domestic products from sector i per rupiah of household income X_h. By default
  X_h = Σⱼ Wⱼ, total labour income (Miller & Blair's convention: households' "output" is the
  labour they sell); pass ``household_income`` (e.g. labour plus mixed income from the national
  accounts) to use shares of total household income instead. Household purchases of household
  services are 0. Type II output multipliers are the column sums of the n×n producing block of
  L̄ = (I − Ā)⁻¹ (the household row is not counted as output).
* **Linkages**: backward = Rasmussen's power of dispersion on L; forward = sensitivity of
  dispersion on the Ghosh inverse G (default, Miller & Blair ch. 12) or on L.

Source for all: Miller, R. E. & Blair, P. D. (2009), *Input-Output Analysis: Foundations and
Extensions*, 2nd ed., Cambridge University Press, ch. 2, 6 and 12.

Examples
--------
Miller & Blair (2009) §2.3 with labour income 300 and 500 (h = 0.3, 0.25) and household
consumption 50 and 400 out of X_h = 1000 (c = 0.05, 0.40):

>>> from tuntas.economy.iotable import table_from_arrays
>>> table = table_from_arrays([[150, 500], [200, 100]], [1000, 2000], labour_income=[300, 500],
...                           household_consumption=[50, 400])
>>> m = multiplier_table(table, household_income=1000)
>>> m.select(pl.col("output_multiplier", "income_type_i").round(4)).rows()
[(1.5182, 1.4741), (1.4521, 1.5182)]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import polars as pl
from numpy.typing import ArrayLike

from tuntas.economy.iotable import IOTable, sector_vector
from tuntas.economy.leontief import (
    FloatArray,
    ForwardMethod,
    closed_leontief_inverse,
    forward_linkages,
    leontief_from_coefficients,
    power_of_dispersion,
    ratio_to_direct,
    reciprocal,
    simple_multipliers,
    technical_coefficients,
    type_i_multipliers,
    type_ii_income_multipliers,
    type_ii_multipliers,
)

ShockKind = Literal["output", "jobs"]
MEASURES = ("output", "income", "jobs")
PARTS = ("direct", "indirect", "induced", "total")


@dataclass(frozen=True)
class HouseholdClosure:
    """The household row and column that close the model (:func:`household_closure`).

    ``household_input`` hⱼ = Wⱼ/xⱼ (labour income per unit of output); ``household_consumption``
    cᵢ = Cᵢ/X_h (purchases from sector i per unit of household income); ``household_income``
    X_h in the table's unit; ``notes`` state the closure.
    """

    household_input: FloatArray
    household_consumption: FloatArray
    household_income: float
    notes: tuple[str, ...]


def household_closure(table: IOTable, *, household_income: float | None = None) -> HouseholdClosure:
    """The household row hⱼ = Wⱼ/xⱼ and column cᵢ = Cᵢ/X_h used for Type II multipliers.

    X_h = ``household_income`` when given, else total labour income Σⱼ Wⱼ (Miller & Blair 2009,
    §2.5). ``ValueError`` when the table has no labour-income row or household column.

    Examples
    --------
    >>> from tuntas.economy.iotable import table_from_arrays
    >>> t = table_from_arrays([[150, 500], [200, 100]], [1000, 2000], labour_income=[300, 500],
    ...                       household_consumption=[50, 400])
    >>> closure = household_closure(t)
    >>> closure.household_input.tolist(), closure.household_consumption.tolist()
    ([0.3, 0.25], [0.0625, 0.5])
    """
    wages = table.labour_income
    spending = table.household_consumption
    if wages is None:
        raise ValueError(
            f"{table.name} has no labour-income row: Type II (household) multipliers need one "
            "(labour_income_row=...)"
        )
    if spending is None:
        raise ValueError(
            f"{table.name} has no household-consumption column: Type II multipliers need one "
            "(household_consumption_column=...)"
        )
    total_wages = float(wages.sum())
    income = total_wages if household_income is None else float(household_income)
    if not np.isfinite(income) or income <= 0:
        raise ValueError(f"household income must be a positive number, not {income!r}")
    row = wages * reciprocal(table.x)
    column = spending / income
    basis = (
        f"total labour income Σ {table.labour_income_row} = {total_wages:,.0f} {table.unit}"
        if household_income is None
        else f"household income given as {income:,.0f} {table.unit}"
    )
    notes = [
        f"Type II closure (Miller & Blair 2009, §2.5): household row = {table.labour_income_row} "
        f"/ output; household column = {table.household_consumption_column} / X_h with X_h = "
        f"{basis}; household purchases of household services = 0.",
    ]
    propensity = float(column.sum())
    if propensity > 1:
        notes.append(
            f"Households spend {propensity:.2f} rupiah on domestic products per rupiah of X_h: "
            "induced effects are likely overstated (income other than labour income also pays "
            "for consumption); pass household_income for a closure on total household income."
        )
    return HouseholdClosure(
        household_input=row,
        household_consumption=column,
        household_income=income,
        notes=tuple(notes),
    )


def closed_inverse(
    table: IOTable, *, household_income: float | None = None
) -> tuple[FloatArray, HouseholdClosure]:
    """L̄ = (I − Ā)⁻¹ of the table closed with respect to households, with the closure used.

    Examples
    --------
    >>> from tuntas.economy.iotable import table_from_arrays
    >>> t = table_from_arrays([[150, 500], [200, 100]], [1000, 2000], labour_income=[300, 500],
    ...                       household_consumption=[50, 400])
    >>> Lbar, _ = closed_inverse(t, household_income=1000)
    >>> np.round(Lbar[:2, :2].sum(axis=0), 4).tolist()
    [1.8698, 1.7539]
    """
    closure = household_closure(table, household_income=household_income)
    Lbar = closed_leontief_inverse(
        technical_coefficients(table.Z, table.x),
        closure.household_input,
        closure.household_consumption,
    )
    return Lbar, closure


def _nullable(values: FloatArray | None, n: int) -> pl.Series:
    data = np.full(n, np.nan) if values is None else values
    return pl.Series(data, dtype=pl.Float64).fill_nan(None)


def multiplier_table(table: IOTable, *, household_income: float | None = None) -> pl.DataFrame:
    """Output, income and employment multipliers, Type I and Type II, by sector.

    Columns (null when the table lacks the data, e.g. no labour-income row or no employment):

    * ``output_multiplier`` Σᵢlᵢⱼ and ``output_multiplier_type_ii`` Σᵢ₌₁..ₙ l̄ᵢⱼ (output per unit
      of final demand, unitless);
    * ``income_coefficient`` wⱼ = Wⱼ/xⱼ, ``income_multiplier`` Σᵢwᵢlᵢⱼ (labour income per unit of
      final demand), ``income_type_i`` = simple / wⱼ, ``income_type_ii`` = l̄ₙ₊₁,ⱼ / wⱼ;
    * ``employment_coefficient`` eⱼ = Eⱼ/xⱼ (workers per unit of output, e.g. per juta rupiah),
      ``employment_multiplier`` Σᵢeᵢlᵢⱼ (workers per unit of final demand), ``employment_type_i``
      = simple / eⱼ, ``employment_type_ii`` = Σᵢeᵢl̄ᵢⱼ / eⱼ.

    Closure for Type II: :func:`household_closure`. Source: Miller & Blair (2009), ch. 6.

    Examples
    --------
    >>> from tuntas.economy.iotable import read_bps_2020_17
    >>> m = multiplier_table(read_bps_2020_17(language="en"))
    >>> m.filter(pl.col("sector") == "Manufacturing").select(
    ...     pl.col("output_multiplier", "output_multiplier_type_ii").round(3)).row(0)
    (1.783, 3.005)
    """
    n = table.n_sectors
    L = leontief_from_coefficients(technical_coefficients(table.Z, table.x))
    inverse_x = reciprocal(table.x)
    wages = table.labour_income
    jobs = table.employment
    w = None if wages is None else wages * inverse_x
    e = None if jobs is None else jobs * inverse_x
    can_close = wages is not None and table.household_consumption is not None
    Lbar = closed_inverse(table, household_income=household_income)[0] if can_close else None
    return pl.DataFrame(
        {
            "sector": list(table.sectors),
            "output_multiplier": L.sum(axis=0),
            "output_multiplier_type_ii": _nullable(
                None if Lbar is None else Lbar[:n, :n].sum(axis=0), n
            ),
            "income_coefficient": _nullable(w, n),
            "income_multiplier": _nullable(None if w is None else simple_multipliers(L, w), n),
            "income_type_i": _nullable(None if w is None else type_i_multipliers(L, w), n),
            "income_type_ii": _nullable(
                None if w is None or Lbar is None else type_ii_income_multipliers(Lbar, w), n
            ),
            "employment_coefficient": _nullable(e, n),
            "employment_multiplier": _nullable(None if e is None else simple_multipliers(L, e), n),
            "employment_type_i": _nullable(None if e is None else type_i_multipliers(L, e), n),
            "employment_type_ii": _nullable(
                None if e is None or Lbar is None else type_ii_multipliers(Lbar, e), n
            ),
        }
    )


def linkage_table(table: IOTable, *, forward: ForwardMethod = "ghosh") -> pl.DataFrame:
    """Normalised backward and forward linkages and the key-sector classification.

    ``backward_linkage`` = n·Σᵢlᵢⱼ/Σᵢⱼlᵢⱼ (Rasmussen's power of dispersion); ``forward_linkage`` =
    n·Σⱼgᵢⱼ/Σᵢⱼgᵢⱼ on the Ghosh inverse (``forward="ghosh"``, Miller & Blair 2009, ch. 12) or
    on L (``"leontief"``, Rasmussen 1956). ``class``: "key" when both exceed 1 (Hirschman 1958,
    *The Strategy of Economic Development*), "backward" or "forward" when only one does, "weak"
    otherwise.

    Examples
    --------
    >>> from tuntas.economy.iotable import table_from_arrays
    >>> t = table_from_arrays([[150, 500], [200, 100]], [1000, 2000])
    >>> linkage_table(t).select(pl.col("backward_linkage", "forward_linkage").round(4), "class").rows()
    [(1.0222, 1.2083, 'key'), (0.9778, 0.7917, 'weak')]
    """
    L = leontief_from_coefficients(technical_coefficients(table.Z, table.x))
    backward = power_of_dispersion(L)
    forward_values = forward_linkages(table.Z, table.x, method=forward)
    return pl.DataFrame(
        {
            "sector": list(table.sectors),
            "backward_linkage": backward,
            "forward_linkage": forward_values,
        }
    ).with_columns(
        pl.when((pl.col("backward_linkage") > 1) & (pl.col("forward_linkage") > 1))
        .then(pl.lit("key"))
        .when(pl.col("backward_linkage") > 1)
        .then(pl.lit("backward"))
        .when(pl.col("forward_linkage") > 1)
        .then(pl.lit("forward"))
        .otherwise(pl.lit("weak"))
        .alias("class")
    )


@dataclass(frozen=True)
class MultiplierEffect:
    """Direct, indirect and induced effects of a shock (:func:`multiplier_effect`).

    ``by_sector``: ``sector``, ``final_demand`` (the shock as new final demand, table unit), then
    ``{output,income,jobs}_{direct,indirect,induced,total}`` (output and income in the table's
    unit, jobs in workers; null when the table lacks labour income or employment). ``totals``: one
    row per measure with ``direct, indirect, induced, total``. ``notes`` name the table and every
    assumption.
    """

    table: str
    kind: ShockKind
    closed: bool
    unit: str
    by_sector: pl.DataFrame
    totals: pl.DataFrame
    notes: tuple[str, ...]


def _effect_parts(
    direct: FloatArray, indirect: FloatArray, induced: FloatArray, coefficient: FloatArray | None
) -> dict[str, FloatArray | None]:
    if coefficient is None:
        return dict.fromkeys(PARTS)
    parts: dict[str, FloatArray | None] = {
        "direct": coefficient * direct,
        "indirect": coefficient * indirect,
        "induced": coefficient * induced,
    }
    parts["total"] = coefficient * (direct + indirect + induced)
    return parts


def multiplier_effect(
    table: IOTable,
    shock_by_sector: ArrayLike | Mapping[str, float],
    *,
    kind: ShockKind = "output",
    closed: bool = True,
    household_income: float | None = None,
) -> MultiplierEffect:
    """Direct, indirect and induced output, labour income and jobs of new final demand or jobs.

    With Δf the new final demand by sector (table unit):

    * ``kind="output"``: Δf = ``shock_by_sector``;
      ``kind="jobs"``: new workers Δnⱼ become Δfⱼ = Δnⱼ / eⱼ with eⱼ = Eⱼ/xⱼ (the output that
      employs them at the sector's average labour productivity).
    * Output: direct Δf, indirect (L − I)Δf, induced (L̄ₙ − L)Δf where L̄ₙ is the producing
      block of the closed inverse (zero when ``closed=False``).
    * Income = wᵢ × each output part (wᵢ = Wᵢ/xᵢ); jobs = eᵢ × each output part.

    Effects are attributed to the sector where they occur (not the sector shocked). Linear,
    fixed coefficients and prices, no capacity limits (Miller & Blair 2009, §2.3, ch. 6).

    Parameters
    ----------
    table : IOTable
    shock_by_sector : array (n,) or mapping {sector: value}
        New final demand (table unit) or new jobs (workers), by sector.
    kind : {"output", "jobs"}, keyword-only
    closed : bool, keyword-only
        Include induced effects (households endogenous, :func:`household_closure`).
    household_income : float, optional
        X_h for the closure (default total labour income).

    Examples
    --------
    >>> from tuntas.economy.iotable import table_from_arrays
    >>> t = table_from_arrays([[150, 500], [200, 100]], [1000, 2000], labour_income=[300, 500],
    ...                       household_consumption=[50, 400], employment=[100, 50])

    New final demand 100 for sector 1: output L·Δf = (125.41, 26.40), so indirect = (25.41, 26.40);
    jobs e = (100/1000, 50/2000) = (0.1, 0.025) per unit: 0.1·125.41 + 0.025·26.40 = 13.201.

    >>> effect = multiplier_effect(t, [100, 0], closed=False)
    >>> effect.by_sector.select(pl.col("output_direct", "output_indirect").round(2)).rows()
    [(100.0, 25.41), (0.0, 26.4)]
    >>> round(effect.totals.filter(pl.col("measure") == "jobs")["total"][0], 3)
    13.201
    """
    if kind not in ("output", "jobs"):
        raise ValueError(f"kind must be 'output' or 'jobs', not {kind!r}")
    shock = sector_vector(table, shock_by_sector, "shock_by_sector")
    inverse_x = reciprocal(table.x)
    e = None if table.employment is None else table.employment * inverse_x
    w = None if table.labour_income is None else table.labour_income * inverse_x
    notes = [f"Table: {table.attribution}", *table.notes]
    if kind == "jobs":
        if e is None:
            raise ValueError(
                f"{table.name} has no employment by sector: cannot convert jobs to output"
            )
        impossible = (shock != 0) & (e == 0)
        if impossible.any():
            names = [table.sectors[i] for i in np.flatnonzero(impossible)]
            raise ValueError(f"no employment (eⱼ = 0) in {names}: cannot convert jobs to output")
        final_demand = ratio_to_direct(shock, e)
        final_demand = np.nan_to_num(final_demand, nan=0.0)
        notes.append(
            "Jobs converted to output at each sector's average labour productivity: Δfⱼ = Δnⱼ·xⱼ/Eⱼ."
        )
    else:
        final_demand = shock
    L = leontief_from_coefficients(technical_coefficients(table.Z, table.x))
    total_open = L @ final_demand
    induced = np.zeros_like(final_demand)
    if closed:
        Lbar, closure = closed_inverse(table, household_income=household_income)
        n = table.n_sectors
        induced = Lbar[:n, :n] @ final_demand - total_open
        notes.extend(closure.notes)
    else:
        notes.append("Open model: no induced (household-spending) effects.")
    if table.employment is not None and table.employment_source:
        notes.append(f"Employment: {table.employment_source}.")
    direct = final_demand
    indirect = total_open - final_demand
    measures = {
        "output": _effect_parts(direct, indirect, induced, np.ones_like(direct)),
        "income": _effect_parts(direct, indirect, induced, w),
        "jobs": _effect_parts(direct, indirect, induced, e),
    }
    n = table.n_sectors
    columns: dict[str, object] = {"sector": list(table.sectors), "final_demand": final_demand}
    for measure, parts in measures.items():
        for part in PARTS:
            columns[f"{measure}_{part}"] = _nullable(parts[part], n)
    by_sector = pl.DataFrame(columns)
    totals = pl.DataFrame(
        {
            "measure": list(MEASURES),
            **{
                part: [
                    None if measures[m][part] is None else float(np.sum(measures[m][part]))  # type: ignore[arg-type]
                    for m in MEASURES
                ]
                for part in PARTS
            },
        },
        schema_overrides=dict.fromkeys(PARTS, pl.Float64),
    )
    return MultiplierEffect(
        table=table.name,
        kind=kind,
        closed=closed,
        unit=table.unit,
        by_sector=by_sector,
        totals=totals,
        notes=tuple(notes),
    )


def multipliers_frame(table: IOTable, *, household_income: float | None = None) -> pl.DataFrame:
    """:func:`~tuntas.economy.multipliers.multiplier_table` with the table's sector codes.

    Examples
    --------
    >>> from tuntas.economy.iotable import read_bps_2020_17
    >>> multipliers_frame(read_bps_2020_17()).columns[:3]
    ['code', 'sector', 'output_multiplier']
    """
    frame = multiplier_table(table, household_income=household_income)
    codes = table.sector_codes or tuple(str(i + 1) for i in range(table.n_sectors))
    return frame.insert_column(0, pl.Series("code", list(codes)))
