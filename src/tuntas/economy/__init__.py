"""The village economy (DESIGN §5 "Economy"): specialisation, growth and input-output analysis.

Pure functions over NumPy arrays and Polars tables; each docstring gives the formula, units and
source, and docs/methodology.md collects them.

* :mod:`~tuntas.economy.specialisation` — :func:`location_quotient`, :func:`shift_share`,
  :func:`detect_clusters`.
* :mod:`~tuntas.economy.iotable` — :class:`IOTable`, :func:`read_bps_2020_17` ("Sumber: BPS"),
  :func:`read_bungo_2010`, :func:`read_io_table`, :func:`balance_check`.
* :mod:`~tuntas.economy.leontief` — :func:`technical_coefficients`, :func:`leontief_inverse`,
  :func:`output_multipliers`, the Ghosh inverse, the household-closed inverse, linkages.
* :mod:`~tuntas.economy.multipliers` — :func:`multiplier_table` (output, income, employment;
  Type I and II), :func:`linkage_table`, :func:`multiplier_effect`.
* :mod:`~tuntas.economy.regionalise` — Flegg's location quotient :func:`flq` and
  :func:`regionalise`.
* :mod:`~tuntas.economy.sectors` — KBLI 2020 categories ↔ BPS 17 industries.
* :mod:`~tuntas.economy.regional_table` — the demo's regional table: BPS 2020 regionalised by FLQ
  with :func:`regency_employment` and :func:`national_employment` (Sakernas Aug 2020).
* :mod:`~tuntas.economy.labour` — extreme-poor labour supply within commuting reach whose skills
  fit: :func:`eligible_labour`, :func:`reach_pairs`, :func:`labour_within_reach`.
* :mod:`~tuntas.economy.opportunity` — sector keys, :func:`specialisation` (LQ, shift-share,
  clusters by desa/kecamatan) and the sector opportunity score :func:`analyse_sectors`.
* :mod:`~tuntas.economy.effects` — :func:`sector_effect`: direct, indirect and induced jobs and
  income of new jobs by KBLI sector (for the plan).

Examples
--------
>>> import numpy as np
>>> np.round(leontief_inverse([[150, 500], [200, 100]], [1000, 2000]), 4).tolist()
[[1.2541, 0.33], [0.264, 1.1221]]
"""

from tuntas.economy.effects import effect_summary, sector_effect, table_sector
from tuntas.economy.iotable import (
    BPS_ATTRIBUTION,
    BalanceReport,
    IOTable,
    balance_check,
    read_bps_2020_17,
    read_bungo_2010,
    read_io_table,
    table_from_arrays,
)
from tuntas.economy.labour import (
    SECTOR_PROFILES,
    SectorProfile,
    eligible_labour,
    labour_within_reach,
    reach_pairs,
    sector_profile,
)
from tuntas.economy.leontief import (
    backward_linkages,
    closed_leontief_inverse,
    forward_linkages,
    ghosh_inverse,
    leontief_inverse,
    output_multipliers,
    simple_multipliers,
    technical_coefficients,
    type_i_multipliers,
    type_ii_income_multipliers,
    type_ii_multipliers,
)
from tuntas.economy.multipliers import (
    HouseholdClosure,
    MultiplierEffect,
    household_closure,
    linkage_table,
    multiplier_effect,
    multiplier_table,
)
from tuntas.economy.opportunity import (
    SectorAnalysis,
    Settings,
    Specialisation,
    analyse_sectors,
    cluster_kblis,
    normalise,
    specialisation,
    with_sector_keys,
)
from tuntas.economy.regional_table import (
    EmploymentEstimate,
    closure_income,
    national_employment,
    regency_employment,
    regional_io_table,
)
from tuntas.economy.regionalise import flq, regional_coefficients, regionalise
from tuntas.economy.sectors import bps17_of, bps17_vector, kbli_bps17_map, with_kbli_category
from tuntas.economy.specialisation import detect_clusters, location_quotient, shift_share

__all__ = [
    "BPS_ATTRIBUTION",
    "SECTOR_PROFILES",
    "BalanceReport",
    "EmploymentEstimate",
    "HouseholdClosure",
    "IOTable",
    "MultiplierEffect",
    "SectorAnalysis",
    "SectorProfile",
    "Settings",
    "Specialisation",
    "analyse_sectors",
    "backward_linkages",
    "balance_check",
    "bps17_of",
    "bps17_vector",
    "closed_leontief_inverse",
    "closure_income",
    "cluster_kblis",
    "detect_clusters",
    "effect_summary",
    "eligible_labour",
    "flq",
    "forward_linkages",
    "ghosh_inverse",
    "household_closure",
    "kbli_bps17_map",
    "labour_within_reach",
    "leontief_inverse",
    "linkage_table",
    "location_quotient",
    "multiplier_effect",
    "multiplier_table",
    "national_employment",
    "normalise",
    "output_multipliers",
    "reach_pairs",
    "read_bps_2020_17",
    "read_bungo_2010",
    "read_io_table",
    "regency_employment",
    "regional_coefficients",
    "regional_io_table",
    "regionalise",
    "sector_effect",
    "sector_profile",
    "shift_share",
    "simple_multipliers",
    "specialisation",
    "table_from_arrays",
    "table_sector",
    "technical_coefficients",
    "type_i_multipliers",
    "type_ii_income_multipliers",
    "type_ii_multipliers",
    "with_kbli_category",
    "with_sector_keys",
]
