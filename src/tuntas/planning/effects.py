"""The effect model: jobs, wages and costs of each instrument for each enterprise, and effects over time.

For enterprise e and eligible instrument i (central values unless a Monte Carlo draw is asked for):

* **jobs** Jₑᵢ = jobs_per_unitᵢ × wₛ, with wₛ ≥ 0 the sector priority weight of e's KBLI category and
  desa (1 when no priorities are given; weight 0 removes the sector from the plan);
* **wage** of a new job = e's ``wage_month``; where it is missing (own-account firms) the median wage
  of firms of the same KBLI category and size class in the data, else of all firms
  (``wage_imputed`` is then true);
* **cost** of each cost item (Rp): the item's amount, the loan principal, or the KUR interest subsidy
  at e's next access (:func:`~tuntas.planning.instruments.kur_interest_subsidy`).

Over time an effect starts ``months_to_effect`` months after the plan starts and then keeps a share
``persistence`` of its size every 12 months: s(t) = 0 for t < m₀, s(t) = ρ^((t − m₀)/12) for t ≥ m₀
(:func:`effect_share`).

Examples
--------
>>> effect_share([0, 5, 6, 18], months_to_effect=6, persistence=0.8).round(3).tolist()
[0.0, 0.0, 1.0, 0.8]
>>> wage_band([400_000, 500_000, 1_499_999, 5_000_000]).tolist()
[0, 1, 4, 9]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl
from numpy.typing import ArrayLike, NDArray

from tuntas.planning.eligibility import eligibility_matrix, enterprise_attributes
from tuntas.planning.instruments import Catalogue
from tuntas.planning.parameters import ParameterLookup

WAGE_BAND_EDGES = (
    0.0,
    500_000.0,
    750_000.0,
    1_000_000.0,
    1_250_000.0,
    1_500_000.0,
    1_750_000.0,
    2_000_000.0,
    2_500_000.0,
    3_000_000.0,
)
"""Lower edges (Rp/month) of the wage bands of the allocation model; band j is [edgeⱼ, edgeⱼ₊₁).

A job in band j is counted as paying edgeⱼ (its lower edge), so the allocation never promises a
lift that the job's actual wage would not give (the microsimulation uses the actual wage)."""


def wage_band(wages: ArrayLike) -> NDArray[np.int64]:
    """Band index of each monthly wage (:data:`WAGE_BAND_EDGES`); negative wages are an error."""
    w = np.asarray(wages, dtype=np.float64)
    if (w < 0).any():
        raise ValueError("wages must be ≥ 0")
    return (np.searchsorted(np.array(WAGE_BAND_EDGES), w, side="right") - 1).astype(np.int64)


def required_band(required_wage: ArrayLike) -> NDArray[np.int64]:
    """Lowest band whose lower edge is at least each required wage; len(edges) when none is.

    >>> required_band([0, 500_000, 500_001, 9e9]).tolist()
    [0, 1, 2, 10]
    """
    r = np.asarray(required_wage, dtype=np.float64)
    return np.searchsorted(np.array(WAGE_BAND_EDGES), r, side="left").astype(np.int64)


def effect_share(
    months: ArrayLike, *, months_to_effect: float, persistence: float
) -> NDArray[np.float64]:
    """Share of an effect present ``months`` after the start: 0 before m₀, then ρ^((t − m₀)/12)."""
    t = np.asarray(months, dtype=np.float64)
    if not 0 <= persistence <= 1:
        raise ValueError("persistence must be in [0, 1]")
    after = t >= months_to_effect
    return np.where(after, np.power(persistence, np.maximum(t - months_to_effect, 0) / 12.0), 0.0)


def impute_wages(
    wages: NDArray[np.float64], categories: NDArray[Any], sizes: NDArray[Any]
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Fill missing wages with the median of the same KBLI category and size class, else overall.

    >>> w, imputed = impute_wages(np.array([1e6, np.nan, 2e6, np.nan]),
    ...                           np.array(["C", "C", "G", "A"], dtype=object),
    ...                           np.array(["mikro"] * 4))
    >>> w.tolist(), imputed.tolist()
    ([1000000.0, 1000000.0, 2000000.0, 1500000.0], [False, True, False, True])
    """
    frame = pl.DataFrame(
        {
            "wage": wages,
            "category": [str(c) if c is not None else "" for c in categories],
            "size": [str(s) for s in sizes],
        },
        nan_to_null=True,
    )
    overall = frame["wage"].median()
    if overall is None:
        raise ValueError("no enterprise has a wage: cannot value new jobs")
    filled = frame.with_columns(
        pl.col("wage").fill_null(pl.col("wage").median().over("category", "size"))
    ).with_columns(pl.col("wage").fill_null(overall))
    imputed = np.isnan(wages)
    return filled["wage"].to_numpy().astype(np.float64), imputed


def sector_weights(
    categories: NDArray[Any],
    regions: NDArray[Any],
    sector_priorities: pl.DataFrame | None,
) -> NDArray[np.float64]:
    """Weight of each enterprise's sector from an optional priorities frame (default 1).

    ``sector_priorities`` has ``kbli_category`` (letter), ``weight`` (≥ 0) and optionally
    ``region_code`` (a desa code or a prefix such as a kecamatan); the most specific matching row
    wins, a row without region applies everywhere.

    >>> pri = pl.DataFrame({"kbli_category": ["C", "C"], "region_code": [None, "33.10.01"],
    ...                     "weight": [1.5, 2.0]})
    >>> sector_weights(np.array(["C", "C", "G"], dtype=object),
    ...                np.array(["33.10.01.2001", "33.10.02.2001", "33.10.01.2001"]), pri).tolist()
    [2.0, 1.5, 1.0]
    """
    n = len(categories)
    out = np.ones(n, dtype=np.float64)
    if sector_priorities is None or sector_priorities.is_empty():
        return out
    missing = {"kbli_category", "weight"} - set(sector_priorities.columns)
    if missing:
        raise ValueError(f"sector_priorities needs columns {sorted(missing)}")
    if (sector_priorities["weight"] < 0).any():
        raise ValueError("sector_priorities weights must be ≥ 0")
    has_region = "region_code" in sector_priorities.columns
    rules = sorted(
        (
            (
                str(row["kbli_category"]),
                str(row["region_code"]) if has_region and row["region_code"] else "",
                float(row["weight"]),
            )
            for row in sector_priorities.iter_rows(named=True)
        ),
        key=lambda r: len(r[1]),
    )
    for category, prefix, weight in rules:  # least specific first; later rows overwrite
        match = categories == category
        if prefix:
            match &= np.array(
                [r == prefix or str(r).startswith(prefix + ".") for r in regions], dtype=bool
            )
        out[match] = weight
    return out


def enterprise_options(
    enterprises: pl.DataFrame,
    cat: Catalogue,
    *,
    lookup: ParameterLookup,
    sector_priorities: pl.DataFrame | None = None,
    effect: str = "central",
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Every (enterprise, eligible instrument) with its jobs, wage and costs.

    Returns
    -------
    enterprises : DataFrame
        One row per enterprise: enterprise_id, region_code, kbli, category, size_class, wage,
        wage_imputed, wage_band, access (earlier KUR loans, capped at 3), weight.
    options : DataFrame
        One row per eligible (enterprise, instrument): enterprise_id, instrument, channel, jobs,
        and ``cost__<instrument>__<item>`` amounts in a long form (columns item, amount).
    """
    attributes = enterprise_attributes(enterprises, lookup=lookup, date=cat.date)
    matrix = eligibility_matrix(attributes, cat)
    wages_raw = (
        enterprises["wage_month"].cast(pl.Float64).fill_null(np.nan).to_numpy()
        if "wage_month" in enterprises.columns
        else np.full(enterprises.height, np.nan)
    )
    wages, imputed = impute_wages(wages_raw, attributes["category"], attributes["size_class"])
    regions = enterprises["region_code"].cast(pl.Utf8).to_numpy()
    weights = sector_weights(attributes["category"], regions, sector_priorities)
    access = np.minimum(attributes["kur_accesses"], 3)
    base = pl.DataFrame(
        {
            "enterprise_id": attributes["enterprise_id"],
            "region_code": regions,
            "kbli": [str(k) if k is not None else None for k in attributes["kbli"]],
            "category": [str(c) if c is not None else None for c in attributes["category"]],
            "size_class": attributes["size_class"],
            "wage": wages,
            "wage_imputed": imputed,
            "wage_band": wage_band(wages),
            "access": access,
            "weight": weights,
        }
    )
    option_frames: list[pl.DataFrame] = []
    cost_frames: list[pl.DataFrame] = []
    for key, inst in cat.instruments.items():
        rows = np.flatnonzero(matrix[key] & (weights > 0))
        if rows.size == 0:
            continue
        jobs = inst.jobs.pick(effect) * weights[rows]
        option_frames.append(
            pl.DataFrame(
                {
                    "enterprise_id": attributes["enterprise_id"][rows],
                    "instrument": key,
                    "channel": inst.channel,
                    "jobs": jobs,
                }
            )
        )
        for cost in inst.costs:
            if cost.formula == "kur_interest_subsidy":
                by_access = {a: inst.unit_cost(cost.name, access=a) for a in range(4)}
                amounts = np.array([by_access[int(a)] for a in access[rows]])
            else:
                amounts = np.full(rows.size, inst.unit_cost(cost.name))
            cost_frames.append(
                pl.DataFrame(
                    {
                        "enterprise_id": attributes["enterprise_id"][rows],
                        "instrument": key,
                        "item": cost.name,
                        "amount": amounts,
                    }
                )
            )
    empty_options = pl.DataFrame(
        schema={
            "enterprise_id": pl.Utf8,
            "instrument": pl.Utf8,
            "channel": pl.Utf8,
            "jobs": pl.Float64,
        }
    )
    empty_costs = pl.DataFrame(
        schema={
            "enterprise_id": pl.Utf8,
            "instrument": pl.Utf8,
            "item": pl.Utf8,
            "amount": pl.Float64,
        }
    )
    options = pl.concat(option_frames) if option_frames else empty_options
    costs = pl.concat(cost_frames) if cost_frames else empty_costs
    return base, options.join(
        costs.pivot(on="item", index=["enterprise_id", "instrument"], values="amount")
        if costs.height
        else costs.select("enterprise_id", "instrument"),
        on=["enterprise_id", "instrument"],
        how="left",
    )


def cost_items(cat: Catalogue) -> list[tuple[str, str, tuple[str, ...]]]:
    """(instrument, item, lines) for every cost item of the catalogue, in catalogue order."""
    return [(key, c.name, c.lines) for key, inst in cat.instruments.items() for c in inst.costs]


def total_cost(amounts: Sequence[float]) -> float:
    """Sum of amounts ignoring missing (NaN) ones."""
    return float(np.nansum(np.asarray(amounts, dtype=np.float64)))
