"""Poverty measurement (DESIGN §5 "Poverty"): FGT indices with standard errors, inequality, small areas.

Pure functions over NumPy arrays and Polars tables; each docstring gives the formula, units and
source, and docs/methodology.md collects them.

* :func:`fgt`, :func:`fgt_table`, :func:`decomposition` — Foster–Greer–Thorbecke indices, BPS ×100
  tables by region or subgroup with design-based standard errors (:mod:`tuntas.poverty.variance`).
* :func:`gini`, :func:`watts` — inequality and the Watts index.
* :func:`fay_herriot`, :func:`clip_rates` — Fay–Herriot area-level EBLUP (REML) with MSE.

Examples
--------
>>> round(fgt([100, 110, 150, 160], 125, alpha=1), 4)
0.08
"""

from tuntas.poverty.fgt import decomposition, fgt, fgt_table
from tuntas.poverty.inequality import gini, watts
from tuntas.poverty.sae import FayHerriotResult, clip_rates, fay_herriot
from tuntas.poverty.variance import bootstrap_ratio_se, linearised_ratio_se, linearised_total_se

__all__ = [
    "FayHerriotResult",
    "bootstrap_ratio_se",
    "clip_rates",
    "decomposition",
    "fay_herriot",
    "fgt",
    "fgt_table",
    "gini",
    "linearised_ratio_se",
    "linearised_total_se",
    "watts",
]
