"""Poverty measurement (DESIGN §5 "Poverty"): lines, FGT with standard errors, inequality,
targeting (PMT), small areas, convergence, and the whole regency analysis.

Pure functions over NumPy arrays and Polars tables; each docstring gives the formula, units and
source, and docs/methodology.md collects them.

* :func:`line_for`, :func:`line_table`, :func:`with_line_overrides` — poverty lines by region and
  year from the dated parameters, overridable from a CSV or YAML file (:mod:`.lines`).
* :func:`fgt`, :func:`fgt_table`, :func:`decomposition` — Foster–Greer–Thorbecke indices, BPS ×100
  tables by region or subgroup with design-based standard errors (:mod:`tuntas.poverty.variance`).
* :func:`gini`, :func:`watts` — inequality and the Watts index.
* :func:`fay_herriot`, :func:`clip_rates` — Fay–Herriot area-level EBLUP (REML) with MSE;
  :func:`small_area_estimates` applies it to kecamatan and desa (:mod:`.small_area`).
* :func:`fit_pmt`, :func:`score`, :func:`candidate_list`, :func:`calibrate_threshold`,
  :func:`targeting_errors` — the proxy-means test and the candidate list (:mod:`.targeting`).
* :func:`convergence` — which programmes reached each candidate household (:mod:`.convergence`).
* :func:`poverty_analysis` — all of it for one regency (:mod:`.analysis`).

Examples
--------
>>> round(fgt([100, 110, 150, 160], 125, alpha=1), 4)
0.08
"""

from tuntas.poverty.analysis import PovertyReport, poverty_analysis
from tuntas.poverty.convergence import Convergence, convergence
from tuntas.poverty.fgt import decomposition, fgt, fgt_table
from tuntas.poverty.inequality import gini, watts
from tuntas.poverty.lines import (
    LineNotFoundError,
    LineValue,
    custom_line,
    defined_lines,
    line_for,
    line_table,
    load_line_overrides,
    with_line_overrides,
)
from tuntas.poverty.sae import FayHerriotResult, clip_rates, fay_herriot
from tuntas.poverty.small_area import (
    SmallAreaEstimates,
    auxiliary,
    direct_estimates,
    small_area_estimates,
)
from tuntas.poverty.targeting import (
    PmtModel,
    TargetingErrors,
    calibrate_probabilities,
    calibrate_threshold,
    candidate_list,
    cross_validate,
    fit_pmt,
    holdout_errors,
    registry_frame,
    score,
    targeting_accuracy,
    targeting_errors,
)
from tuntas.poverty.variance import bootstrap_ratio_se, linearised_ratio_se, linearised_total_se

__all__ = [
    "Convergence",
    "FayHerriotResult",
    "LineNotFoundError",
    "LineValue",
    "PmtModel",
    "PovertyReport",
    "SmallAreaEstimates",
    "TargetingErrors",
    "auxiliary",
    "bootstrap_ratio_se",
    "calibrate_probabilities",
    "calibrate_threshold",
    "candidate_list",
    "clip_rates",
    "convergence",
    "cross_validate",
    "custom_line",
    "decomposition",
    "defined_lines",
    "direct_estimates",
    "fay_herriot",
    "fgt",
    "fgt_table",
    "fit_pmt",
    "gini",
    "holdout_errors",
    "line_for",
    "line_table",
    "linearised_ratio_se",
    "linearised_total_se",
    "load_line_overrides",
    "poverty_analysis",
    "registry_frame",
    "score",
    "small_area_estimates",
    "targeting_accuracy",
    "targeting_errors",
    "watts",
    "with_line_overrides",
]
