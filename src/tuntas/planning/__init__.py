"""The costed plan (DESIGN §5 "Planning"): instruments, allocation, job matching, microsimulation.

Pure functions over Polars tables; no Django, no files, no printing.

* :mod:`~tuntas.planning.instruments` — the instrument catalogue (:func:`catalogue`), KUR interest
  subsidy (:func:`kur_interest_subsidy`).
* :mod:`~tuntas.planning.eligibility` — rules per instrument (:func:`explain`,
  :func:`eligibility_matrix`).
* :mod:`~tuntas.planning.effects` — jobs, wages and costs per enterprise and instrument; effects
  over time.
* :mod:`~tuntas.planning.pathways` — wage jobs and self-employment: who is targeted, required wage.
* :mod:`~tuntas.planning.allocation` — the allocation MIP (HiGHS) with budget duals.
* :mod:`~tuntas.planning.matching` — job matching by min-cost flow (OR-Tools).
* :mod:`~tuntas.planning.microsim` — consumption after the plan, FGT by region, Monte Carlo,
  trajectory.
* :mod:`~tuntas.planning.scenarios` — reforms over the baseline (YAML).
* :mod:`~tuntas.planning.plan` — :func:`make_plan`, :class:`Plan`, :func:`assumptions`,
  :func:`check_plan`.

Examples
--------
>>> round(kur_interest_subsidy(44_300_000, 10, 36))
6829583
"""

from tuntas.planning.allocation import AllocationInput, AllocationResult, solve_allocation
from tuntas.planning.eligibility import Decision, eligibility_matrix, explain, size_class
from tuntas.planning.instruments import (
    BudgetLine,
    Catalogue,
    Instrument,
    Range,
    catalogue,
    kur_interest_subsidy,
)
from tuntas.planning.matching import MatchResult, MatchWeights, match_jobs
from tuntas.planning.microsim import apply_interventions, region_table, trajectory
from tuntas.planning.parameters import ParameterLookup
from tuntas.planning.plan import Plan, assumptions, check_plan, make_plan
from tuntas.planning.scenarios import Scenario, parse_scenario, read_scenario

__all__ = [
    "AllocationInput",
    "AllocationResult",
    "BudgetLine",
    "Catalogue",
    "Decision",
    "Instrument",
    "MatchResult",
    "MatchWeights",
    "ParameterLookup",
    "Plan",
    "Range",
    "Scenario",
    "apply_interventions",
    "assumptions",
    "catalogue",
    "check_plan",
    "eligibility_matrix",
    "explain",
    "kur_interest_subsidy",
    "make_plan",
    "match_jobs",
    "parse_scenario",
    "read_scenario",
    "region_table",
    "size_class",
    "solve_allocation",
    "trajectory",
]
