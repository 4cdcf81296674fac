"""Multiplier effect of new jobs or new output by sector, keyed by KBLI codes (for the plan).

:func:`sector_effect` turns a plan's new jobs (or new final demand) by sector — keyed by the
table's sector names, by BPS 17-industry codes ("1"–"17") or by any KBLI 2020 code (category
letter, 2-digit division, 5-digit code, mapped through the KBLI category to its BPS industry,
:mod:`~tuntas.economy.sectors`) — into direct, indirect and induced jobs and labour income by
sector on an input-output table (:func:`~tuntas.economy.multipliers.multiplier_effect`):

* ``kind="jobs"``: Δfⱼ = Δnⱼ·xⱼ/Eⱼ (new workers at the sector's average output per worker);
  ``kind="output"``: Δf given (table unit, e.g. juta rupiah of new final demand);
* direct Δf, indirect (L − I)Δf, induced (L̄ₙ − L)Δf (households endogenous, ``closed=True``);
* jobs = eᵢ × each output part, labour income = wᵢ × each output part.

Linear, fixed coefficients and prices, no capacity limits (Miller & Blair 2009, §2.3 and ch. 6).

Examples
--------
Miller & Blair's two-sector table with 100 and 50 workers: 10 new craft jobs are
Δf = 10·2000/50 = 400 of craft output; L·Δf = (0.33, 1.1221)·400 = (132.0, 448.8), so the
indirect output is (132.0, 48.8) and the indirect jobs 0.1·132.0 + 0.025·48.8 = 14.42.

>>> from tuntas.economy.iotable import table_from_arrays
>>> t = table_from_arrays([[150, 500], [200, 100]], [1000, 2000], sectors=["farm", "craft"],
...                       labour_income=[300, 500], household_consumption=[50, 400],
...                       employment=[100, 50])
>>> effect = sector_effect(t, {"craft": 10}, kind="jobs", closed=False)
>>> effect.totals.filter(pl.col("measure") == "jobs").select(
...     pl.col("direct", "indirect").round(3)).row(0)
(10.0, 14.422)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from tuntas.economy.iotable import BPS_SECTOR_CODES, IOTable
from tuntas.economy.multipliers import MultiplierEffect, ShockKind, multiplier_effect
from tuntas.economy.sectors import bps17_of
from tuntas.reference.kbli import category_of


def table_sector(table: IOTable, key: str) -> str:
    """The table sector a key refers to: a sector name, a table code, or a KBLI code.

    KBLI codes need a table whose sectors are the 17 BPS industries (codes 1–17, e.g. BPS 2020 or
    its regionalisation).

    Examples
    --------
    >>> from tuntas.economy.iotable import read_bps_2020_17
    >>> bps = read_bps_2020_17(language="en")
    >>> table_sector(bps, "23932"), table_sector(bps, "F")
    ('Manufacturing', 'Construction')
    >>> table_sector(bps, "7")
    'Wholesale and retail trade; repair of motor vehicles and motorcycles'
    """
    text = str(key).strip()
    if text in table.sectors:
        return text
    codes = table.sector_codes
    if codes is not None and text in codes:
        return table.sectors[codes.index(text)]
    if codes is None or tuple(codes) != BPS_SECTOR_CODES:
        raise ValueError(
            f"{key!r} is not a sector of {table.name}; its sectors are {list(table.sectors)}"
        )
    try:
        category = text.upper() if len(text) == 1 else category_of(text)
        return table.sectors[BPS_SECTOR_CODES.index(bps17_of(category))]
    except (KeyError, ValueError):
        raise ValueError(
            f"{key!r} is neither a sector of {table.name} nor a KBLI 2020 code"
        ) from None


def sector_effect(
    table: IOTable,
    shocks: Mapping[str, float],
    *,
    kind: ShockKind = "jobs",
    closed: bool = True,
    household_income: float | None = None,
) -> MultiplierEffect:
    """Direct, indirect and induced jobs, labour income and output of new jobs or output by sector.

    Parameters
    ----------
    table : IOTable
        E.g. the regency table of :func:`~tuntas.economy.regional_table.regional_io_table`.
    shocks : mapping {key: value}
        New jobs (workers, ``kind="jobs"``) or new final demand (table unit, ``kind="output"``),
        keyed as in :func:`table_sector`; keys of the same table sector are added.
    kind : {"jobs", "output"}, keyword-only
    closed : bool, keyword-only
        Include induced (household-spending) effects.
    household_income : float, optional
        X_h of the Type II closure (:func:`~tuntas.economy.regional_table.closure_income`).

    Returns
    -------
    MultiplierEffect
        ``by_sector`` and ``totals`` as in :func:`~tuntas.economy.multipliers.multiplier_effect`;
        ``notes`` add how the keys were mapped.

    Examples
    --------
    See the module docstring.
    """
    by_sector: dict[str, float] = {}
    mapped: list[str] = []
    for key, value in shocks.items():
        sector = table_sector(table, key)
        by_sector[sector] = by_sector.get(sector, 0.0) + float(value)
        if sector != key:
            mapped.append(f"{key} → {sector}")
    effect = multiplier_effect(
        table, by_sector, kind=kind, closed=closed, household_income=household_income
    )
    if not mapped:
        return effect
    return MultiplierEffect(
        table=effect.table,
        kind=effect.kind,
        closed=effect.closed,
        unit=effect.unit,
        by_sector=effect.by_sector,
        totals=effect.totals,
        notes=(*effect.notes, "Keys mapped to table sectors: " + "; ".join(mapped) + "."),
    )


def effect_summary(effect: MultiplierEffect) -> dict[str, Any]:
    """A JSON-friendly summary: totals by measure and the sectors with any effect.

    Examples
    --------
    >>> from tuntas.economy.iotable import table_from_arrays
    >>> t = table_from_arrays([[150, 500], [200, 100]], [1000, 2000], labour_income=[300, 500],
    ...                       household_consumption=[50, 400], employment=[100, 50])
    >>> summary = effect_summary(sector_effect(t, {"sector 1": 100}, kind="output"))
    >>> sorted(summary)
    ['by_sector', 'closed', 'kind', 'notes', 'table', 'totals', 'unit']
    >>> sorted(summary["totals"]["jobs"])
    ['direct', 'indirect', 'induced', 'total']
    """
    totals = {
        row["measure"]: {part: row[part] for part in ("direct", "indirect", "induced", "total")}
        for row in effect.totals.iter_rows(named=True)
    }
    rows = effect.by_sector.filter(pl.col("output_total").abs() > 0).to_dicts()
    return {
        "table": effect.table,
        "kind": effect.kind,
        "closed": effect.closed,
        "unit": effect.unit,
        "totals": totals,
        "by_sector": rows,
        "notes": list(effect.notes),
    }
