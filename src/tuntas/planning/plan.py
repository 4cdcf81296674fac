"""The costed plan: from a regency's tables and budgets to who gets which support and who is lifted.

:func:`make_plan` runs, for one region:

1. the **instrument catalogue** and the pathway parameters at the plan date (with a scenario's
   overrides, :mod:`tuntas.planning.scenarios`);
2. **eligibility** of every enterprise for every instrument and the **effect model** (jobs, wages,
   costs; :mod:`tuntas.planning.effects`);
3. the **allocation** MIP (:mod:`tuntas.planning.allocation`) over enterprise classes and
   household groups, with the LP duals of the budgets;
4. **self-employment awards** to the households the allocation chose, largest gap first;
5. the **job matching** of every eligible person to the planned openings and the recorded ones
   (:mod:`tuntas.planning.matching`);
6. the **microsimulation** of consumption, FGT before/after by region, households lifted, the Monte
   Carlo interval and the month-by-month trajectory (:mod:`tuntas.planning.microsim`).

The result is a :class:`Plan` of frames and a ``summary`` whose numbers are consistent by
construction: budgets are never exceeded, nobody gets two jobs, no slot is over capacity, P0 after ≤
P0 before, and ``households_lifted`` is the number of rows of ``households`` with ``lifted`` true.
:func:`check_plan` verifies these; the tests run it on every plan they make.

Pure: no Django, no files, no printing.

Examples
--------
>>> from tuntas.synth import synthesize
>>> data = synthesize("33.10", seed=1, scale=0.02)
>>> plan = make_plan(data.tables, region="33.10", truth=data.truth, date="2026-01-01",
...                  budgets={"kur_subsidy": 200_000_000, "training": 50_000_000}, runs=20)
>>> check_plan(plan)
[]
>>> plan.summary["households_lifted"] == plan.households["lifted"].sum()
True
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from tuntas.params.loader import ParameterSet, baseline
from tuntas.planning.allocation import (
    SELF_EMPLOYMENT,
    AllocationInput,
    AllocationResult,
    solve_allocation,
)
from tuntas.planning.effects import WAGE_BAND_EDGES, enterprise_options, required_band
from tuntas.planning.eligibility import decide, enterprise_attributes
from tuntas.planning.geography import DesaDistances
from tuntas.planning.instruments import Catalogue, catalogue
from tuntas.planning.matching import MatchWeights, match_jobs
from tuntas.planning.microsim import (
    Uncertain,
    add_months,
    apply_interventions,
    monte_carlo,
    region_table,
    trajectory,
)
from tuntas.planning.parameters import ParameterLookup
from tuntas.planning.pathways import (
    PathwayParameters,
    eligible_persons,
    household_consumption,
    household_profile,
)
from tuntas.planning.scenarios import Scenario

RADIUS_BANDS = (
    0.0,
    0.5,
    1.0,
    1.5,
    2.0,
    3.0,
    4.0,
    5.0,
    6.0,
    7.0,
    8.0,
    10.0,
    12.0,
    15.0,
    20.0,
    25.0,
    30.0,
    40.0,
)
"""Reach bands (km) of the allocation's household groups; a reach is rounded down to a band."""

DEFAULT_HORIZON_MONTHS = 24
"""Trajectory horizon when no target date is given."""

MultiplierInput = pl.DataFrame | Callable[[Mapping[str, float]], Mapping[str, float]]


@dataclass(frozen=True)
class Plan:
    """A costed plan: frames for each table of the plan and a summary."""

    allocations: pl.DataFrame
    """One row per enterprise and instrument: jobs, costs, months to effect, eligibility reasons."""
    openings: pl.DataFrame
    """Planned openings per supported enterprise and the recorded openings used."""
    awards: pl.DataFrame
    """Self-employment awards: household, person, financing instrument, costs, expected gain."""
    matches: pl.DataFrame
    """Person → slot, with distance, skill fit, priority, tier and a reasons sentence."""
    households: pl.DataFrame
    """Every household with known consumption: before and after, gains, lifted."""
    regions: pl.DataFrame
    """FGT before/after per desa, kecamatan and regency."""
    trajectory: pl.DataFrame
    """Month by month: expected households lifted and extreme P0."""
    budgets: pl.DataFrame
    """Budget lines and sources: limit, used, marginal value per Rp 1 miliar."""
    monte_carlo: pl.DataFrame
    """One row per Monte Carlo run: households lifted."""
    summary: dict[str, Any]


def assumptions(plan: Plan) -> list[dict[str, Any]]:
    """Every assumption the plan used: parameter values marked ``assumption`` and data choices."""
    return list(plan.summary["assumptions"])


def _in_region(frame: pl.DataFrame, region: str, column: str = "region_code") -> pl.DataFrame:
    return frame.filter((pl.col(column) == region) | pl.col(column).str.starts_with(region + "."))


def _band_down(values: np.ndarray, edges: Sequence[float]) -> np.ndarray:
    idx = np.searchsorted(np.array(edges), values + 1e-9, side="right") - 1
    return np.array(edges)[np.clip(idx, 0, len(edges) - 1)]


def _latest_snapshot(enterprises: pl.DataFrame) -> pl.DataFrame:
    if "year" not in enterprises.columns or enterprises.is_empty():
        return enterprises
    return enterprises.filter(pl.col("year") == pl.col("year").max())


def _lift_bands(base: pl.DataFrame, groups: pl.DataFrame, distances: DesaDistances) -> pl.DataFrame:
    """Merge wage bands that make no difference to lifting in each job desa (exact).

    In desa b, let r_min and r_max be the smallest and largest required bands of the liftable groups
    that reach b. A job of band j ≥ r_max lifts the same groups as one of band r_max, and one of band
    j < r_min lifts none of them, so bands are clipped to [r_min − 1, r_max] (all to 0 where no group
    reaches b). Adds ``lift_band``.
    """
    codes = sorted(set(base["region_code"].to_list()))
    if not codes:
        return base.with_columns(lift_band=pl.lit(0, pl.Int64))
    jobs_idx = distances.index(codes)
    r_min = np.full(len(codes), len(WAGE_BAND_EDGES), dtype=np.int64)
    r_max = np.full(len(codes), -1, dtype=np.int64)
    liftable = groups.filter(pl.col("r_band") < len(WAGE_BAND_EDGES))
    for a, r, rho in liftable.select("desa", "r_band", "radius_km").unique().iter_rows():
        reach = distances.matrix[distances.index([a])[0], jobs_idx] <= rho + 1e-9
        r_min[reach] = np.minimum(r_min[reach], r)
        r_max[reach] = np.maximum(r_max[reach], r)
    bounds = pl.DataFrame({"region_code": codes, "r_min": r_min, "r_max": r_max})
    return (
        base.join(bounds, on="region_code", how="left")
        .with_columns(
            lift_band=pl.when(pl.col("r_max") < 0)
            .then(0)
            .when(pl.col("wage_band") >= pl.col("r_max"))
            .then(pl.col("r_max"))
            .when(pl.col("wage_band") < pl.col("r_min"))
            .then(pl.col("r_min") - 1)
            .otherwise(pl.col("wage_band"))
            .cast(pl.Int64)
        )
        .drop("r_min", "r_max")
    )


def _classes(
    base: pl.DataFrame, options: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Aggregate enterprises into classes per channel (exact aggregation).

    Within a channel an enterprise takes at most one instrument and channels do not interact (jobs
    and costs add up), so enterprises with the same desa, lifting band, channel and coefficients of
    that channel's eligible instruments are interchangeable for that channel.
    """
    cost_cols = [
        c for c in options.columns if c not in ("enterprise_id", "instrument", "channel", "jobs")
    ]
    sig_parts = [pl.col("instrument"), pl.col("jobs").round(9).cast(pl.Utf8)] + [
        pl.col(c).round(2).cast(pl.Utf8).fill_null("-") for c in cost_cols
    ]
    signed = options.with_columns(sig=pl.concat_str(sig_parts, separator=":"))
    ent_sig = signed.group_by("enterprise_id", "channel").agg(pl.col("sig").sort().str.join("|"))
    members = (
        base.select(
            "enterprise_id",
            pl.col("region_code").alias("desa"),
            pl.col("lift_band").alias("wage_band"),
        )
        .join(ent_sig, on="enterprise_id", how="inner")
        .sort("enterprise_id", "channel")
    )
    keys = (
        members.select("desa", "wage_band", "channel", "sig")
        .unique()
        .sort("desa", "wage_band", "channel", "sig")
    )
    keys = keys.with_row_index("class_id").with_columns(pl.col("class_id").cast(pl.Int64))
    members = members.join(keys, on=["desa", "wage_band", "channel", "sig"], how="left")
    counts = members.group_by("class_id").agg(
        pl.len().alias("count"), pl.col("enterprise_id").min().alias("rep")
    )
    classes = keys.join(counts, on="class_id").select(
        "class_id", "desa", "wage_band", "channel", pl.col("count").cast(pl.Int64), "rep"
    )
    rep = classes.select("class_id", "channel", pl.col("rep").alias("enterprise_id"))
    rep_options = options.join(rep, on=["enterprise_id", "channel"], how="inner")
    class_options = rep_options.select("class_id", "instrument", "channel", "jobs")
    class_costs = (
        rep_options.unpivot(
            index=["class_id", "instrument"],
            on=cost_cols,
            variable_name="item",
            value_name="amount",
        ).filter(pl.col("amount").is_not_null())
        if cost_cols
        else pl.DataFrame(
            schema={
                "class_id": pl.Int64,
                "instrument": pl.Utf8,
                "item": pl.Utf8,
                "amount": pl.Float64,
            }
        )
    )
    return (
        classes.drop("rep", "channel"),
        class_options,
        class_costs,
        members.select("enterprise_id", "class_id"),
    )


def _expand(
    result: AllocationResult,
    members: pl.DataFrame,
    cat: Catalogue,
) -> pl.DataFrame:
    """Turn class counts into (enterprise, instrument) rows; within a channel, distinct enterprises."""
    by_class: dict[int, list[str]] = {}
    for eid, cid in members.sort("class_id", "enterprise_id").iter_rows():
        by_class.setdefault(int(cid), []).append(str(eid))
    rows: list[dict[str, str]] = []
    counts = result.counts.with_columns(
        channel=pl.col("instrument").replace_strict(
            {k: i.channel for k, i in cat.instruments.items()}
        )
    ).sort("class_id", "channel", "instrument")
    pointer: dict[tuple[int, str], int] = {}
    for cid, instrument, count, channel in counts.select(
        "class_id", "instrument", "count", "channel"
    ).iter_rows():
        start = pointer.get((cid, channel), 0)
        chosen = by_class[int(cid)][start : start + int(count)]
        pointer[(cid, channel)] = start + int(count)
        rows.extend({"enterprise_id": e, "instrument": instrument} for e in chosen)
    return pl.DataFrame(rows, schema={"enterprise_id": pl.Utf8, "instrument": pl.Utf8})


def largest_remainder(quotas: np.ndarray, total: int, keys: Sequence[str]) -> np.ndarray:
    """Integers summing to ``total`` (≤ Σ⌈q⌉): floors, then +1 to the largest remainders.

    Hamilton's method; ties go to the smaller key.

    >>> largest_remainder(np.array([0.6, 0.3, 1.4]), 2, ["a", "b", "c"]).tolist()
    [1, 0, 1]
    """
    base = np.floor(quotas + 1e-9).astype(np.int64)
    need = int(total - base.sum())
    if need > 0:
        order = np.lexsort((np.asarray(keys, dtype=object).astype(str), -(quotas - base)))
        base[order[:need]] += 1
    return base


def _apportion(frame: pl.DataFrame, hire: float) -> pl.DataFrame:
    """Planned openings: round(Σ h·J) whole openings over the regency, to (desa, band) pools and then
    to enterprises by largest remainder (so that tiny expected jobs in many places still add up)."""
    quota = frame.with_columns(q=pl.col("jobs_expected") * hire).sort("enterprise_id")
    if quota.is_empty():
        return frame.with_columns(openings=pl.lit(0, pl.Int64))
    pools = (
        quota.group_by("region_code", "lift_band")
        .agg(pl.col("q").sum())
        .sort("region_code", "lift_band")
    )
    total = math.floor(float(pools["q"].sum()) + 0.5)
    keys = [f"{d}|{b}" for d, b in pools.select("region_code", "lift_band").iter_rows()]
    pool_total = largest_remainder(pools["q"].to_numpy(), total, keys)
    targets = dict(zip(keys, pool_total.tolist(), strict=True))
    out = []
    for (desa, band), part in quota.group_by("region_code", "lift_band", maintain_order=True):
        part = part.sort("enterprise_id")
        n = targets[f"{desa}|{band}"]  # ⌊Σq⌋ or ⌈Σq⌉ of the pool: within Hamilton's range
        got = largest_remainder(part["q"].to_numpy(), n, part["enterprise_id"].to_list())
        out.append(part.with_columns(openings=pl.Series(got)))
    return pl.concat(out).drop("q")


def _multiplier_jobs(
    direct_by_sector: Mapping[str, float], multipliers: MultiplierInput | None
) -> tuple[float | None, float | None, str]:
    if multipliers is None:
        return None, None, "no multipliers given"
    if callable(multipliers) and not isinstance(multipliers, pl.DataFrame):
        got = multipliers(dict(direct_by_sector))
        return float(got["indirect"]), float(got["induced"]), "caller's multiplier function"
    table = multipliers
    need = {"kbli_category", "employment_type_i", "employment_type_ii"}
    if not need <= set(table.columns):
        raise ValueError(f"multiplier table needs columns {sorted(need)}")
    lookup = {
        row["kbli_category"]: (float(row["employment_type_i"]), float(row["employment_type_ii"]))
        for row in table.iter_rows(named=True)
    }
    indirect = induced = 0.0
    for sector, jobs in direct_by_sector.items():
        m1, m2 = lookup.get(sector, (1.0, 1.0))
        indirect += (m1 - 1.0) * jobs
        induced += (m2 - m1) * jobs
    return indirect, induced, "employment multipliers (Type I and II) by KBLI category"


def make_plan(
    tables: Mapping[str, pl.DataFrame],
    *,
    region: str,
    budgets: Mapping[str, float],
    params: ParameterSet | None = None,
    scenario: Scenario | None = None,
    runs: int = 200,
    seed: int = 1,
    truth: pl.DataFrame | None = None,
    consumption: pl.DataFrame | None = None,
    sector_priorities: pl.DataFrame | None = None,
    openings: pl.DataFrame | None = None,
    multipliers: MultiplierInput | None = None,
    priority_desa: Sequence[str] | None = None,
    date: dt.date | str | None = None,
    target_date: dt.date | str | None = None,
) -> Plan:
    """Make the costed plan for ``region`` under ``budgets`` (see the module docstring).

    Parameters
    ----------
    tables : mapping
        Canonical tables: ``households``, ``persons``, ``enterprises`` (the latest ``year`` is used),
        optionally ``villages`` (its ``loci_2022``/``loci_2023`` flags mark the priority desa).
    region : str, keyword-only
        Kemendagri code of the regency (or a kecamatan) to plan.
    budgets : mapping, keyword-only
        Rp by budget line (``kur_subsidy``, ``training``, ``promotion``, ``certification``,
        ``cooperative``, ``csr``, quota lines ``kur_quota`` …) or by funding source (``APBN``,
        ``APBD``, ``CSR`` …). Lines not given are 0, except quota lines (unlimited).
    params : ParameterSet, optional
        Parameters (baseline by default).
    scenario : Scenario, optional
        A reform: its parameter overrides and budgets are applied on top.
    runs, seed : int, keyword-only
        Monte Carlo runs (0 = none) and seed.
    truth : DataFrame, optional
        Synthetic ground truth (household_id, consumption_pc_true): used as consumption.
    consumption : DataFrame, optional
        household_id, consumption_pc (e.g. a PMT prediction) when there is no truth.
    sector_priorities : DataFrame, optional
        kbli_category, weight [, region_code] (:func:`tuntas.planning.effects.sector_weights`).
    openings : DataFrame, optional
        Recorded job openings: opening_id, region_code, kbli, wage_month, capacity.
    multipliers : DataFrame or callable, optional
        kbli_category, employment_type_i, employment_type_ii — or a function from direct jobs by
        KBLI category to ``{"indirect": …, "induced": …}``.
    priority_desa : sequence of str, optional
        Priority desa codes (default: the loci flags of ``villages``).
    date, target_date : date or ISO string, optional
        Plan start (default today) and end of the trajectory (default 24 months later).

    Returns
    -------
    Plan
    """
    started = time.perf_counter()
    seconds: dict[str, float] = {}
    notes: list[str] = []
    budgets = {str(k): float(v) for k, v in budgets.items()}
    if scenario is not None:
        params = scenario.apply(params if params is not None else baseline())
        budgets = scenario.merge_budgets(budgets)
    lookup = ParameterLookup(params, region=region, date=date)
    cat = catalogue(lookup=lookup, region=region)
    pp = PathwayParameters.read(lookup)
    line = float(lookup.value("poverty_lines.extreme_line"))
    national = (
        float(lookup.value("poverty_lines.national_line"))
        if lookup.has("poverty_lines.national_line")
        else None
    )

    # ---------------------------------------------------------------- data
    t = time.perf_counter()
    households = _in_region(tables["households"], region)
    persons = tables["persons"].join(
        households.select("household_id"), on="household_id", how="semi"
    )
    enterprises = _in_region(_latest_snapshot(tables["enterprises"]), region)
    hh_all, consumption_source = household_consumption(
        households, truth=truth, consumption=consumption
    )
    if "weight" in households.columns:
        hh_all = hh_all.join(
            households.select("household_id", "weight"), on="household_id", how="left"
        )
    dropped = households.height - hh_all.height
    if dropped:
        notes.append(
            f"{dropped} households without consumption are left out of the microsimulation"
        )
    targets = hh_all.filter(pl.col("verification_status").is_in(list(pp.statuses)))
    eligible = eligible_persons(persons, targets, pp=pp, date=lookup.date)
    profile = household_profile(targets, persons, eligible, line=line, pp=pp)
    villages = tables.get("villages")
    if priority_desa is None:
        if villages is not None and {"loci_2022", "loci_2023"} & set(villages.columns):
            flags = [c for c in ("loci_2022", "loci_2023") if c in villages.columns]
            priority_set = set(
                _in_region(villages, region)
                .filter(pl.any_horizontal(flags))["region_code"]
                .to_list()
            )
        else:
            priority_set = set()
            notes.append("no villages table with loci flags: no priority desa constraint")
    else:
        priority_set = set(priority_desa)
    recorded = _recorded_openings(openings, region)
    clash = set(recorded["opening_id"].to_list()) & set(enterprises["enterprise_id"].to_list())
    if clash:
        raise ValueError(f"opening_id equal to an enterprise_id: {sorted(clash)[:5]}")
    codes = (
        set(hh_all["region_code"].to_list())
        | set(enterprises["region_code"].to_list())
        | set(recorded["region_code"].to_list())
    )
    points = (
        enterprises.select("region_code", "lat", "lon")
        if {"lat", "lon"} <= set(enterprises.columns)
        else None
    )
    distances, placed = DesaDistances.locate(codes, data_points=points)
    if set(placed) - {"desa centroid"}:
        notes.append(
            "desa without a reference centroid placed by "
            + ", ".join(f"{k}: {v}" for k, v in sorted(placed.items()))
        )
    seconds["prepare"] = time.perf_counter() - t

    # ---------------------------------------------------------------- allocation
    t = time.perf_counter()
    base, options = enterprise_options(
        enterprises, cat, lookup=lookup, sector_priorities=sector_priorities
    )
    groups = _groups(profile, priority_set)
    base = _lift_bands(base, groups, distances)
    classes, class_options, class_costs, members = _classes(base, options)
    items = {(k, c.name): c.lines for k, inst in cat.instruments.items() for c in inst.costs}
    se_costs = {"training": pp.se_training_cost, "coaching": pp.se_coaching_cost}
    for item in se_costs:
        items[(SELF_EMPLOYMENT, item)] = pp.se_cost_lines
    data = AllocationInput(
        classes=classes,
        options=class_options,
        option_costs=class_costs,
        items=items,
        groups=groups,
        distances=distances,
        lines=cat.lines,
        budgets=budgets,
        hire_share=pp.hire_share.central,
        se_costs=se_costs,
        priority_min_share=pp.priority_min_share,
        min_lifted_per_priority_desa=pp.min_lifted_per_priority_desa,
    )
    seconds["allocation_prepare"] = time.perf_counter() - t
    result = solve_allocation(data, mip_gap=pp.mip_gap, time_limit_s=pp.time_limit_s)
    seconds.update({f"allocation_{k}": v for k, v in result.seconds.items()})
    if result.status != "Optimal":
        notes.append(
            f"allocation MIP stopped with status {result.status} (gap {result.mip_gap:.2e})"
        )

    # ---------------------------------------------------------------- expand to enterprises
    t = time.perf_counter()
    chosen = _expand(result, members, cat)
    allocations = _allocation_rows(chosen, base, options, enterprises, cat, lookup)
    planned = _planned_openings(allocations, base, cat, pp)
    awards = _awards(result, groups, profile, eligible, cat, pp)
    seconds["expand"] = time.perf_counter() - t

    # ---------------------------------------------------------------- matching
    t = time.perf_counter()
    awardee_persons = set(awards["person_id"].to_list())
    awardee_households = set(awards["household_id"].to_list())
    match_persons = _match_persons(eligible, profile, pp).filter(
        ~pl.col("person_id").is_in(list(awardee_persons))
    )
    match_households = profile.filter(pl.col("n_eligible") > 0).select(
        "household_id",
        "gap_ratio",
        "no_earner",
        tier1=~pl.col("household_id").is_in(list(awardee_households)),
    )
    slots = pl.concat(
        [
            planned.select(
                pl.col("enterprise_id").alias("slot_id"),
                pl.lit("planned").alias("source"),
                "region_code",
                "kbli",
                pl.col("wage").cast(pl.Float64),
                pl.col("openings").cast(pl.Int64).alias("capacity"),
            ),
            recorded.select(
                pl.col("opening_id").alias("slot_id"),
                pl.lit("recorded").alias("source"),
                "region_code",
                "kbli",
                pl.col("wage").cast(pl.Float64),
                pl.col("capacity").cast(pl.Int64),
            ),
        ]
    )
    weights = MatchWeights(
        gap=pp.w_gap,
        no_earner=pp.w_no_earner,
        per_km=pp.w_km,
        misfit=pp.w_misfit,
        skills_by_kbli=pp.skills_by_kbli,
    )
    matched = match_jobs(
        match_persons, match_households, slots, distances=distances, weights=weights
    )
    matches = matched.matches.join(
        match_persons.select("person_id", "working"), on="person_id", how="left"
    )
    seconds["matching"] = time.perf_counter() - t

    # ---------------------------------------------------------------- microsimulation
    t = time.perf_counter()
    share = pp.consumption_share.central
    net = pp.net_gain_share.central
    gain = pp.se_gain.central
    sim = apply_interventions(
        hh_all,
        matches.select("household_id", "wage", "working"),
        awards.select("household_id"),
        line=line,
        share=share,
        net_share=net,
        se_gain=gain,
    )
    regions = region_table(sim, line=line, national_line=national)
    lifted = int(sim["lifted"].sum())
    seconds["microsimulation"] = time.perf_counter() - t

    # ---------------------------------------------------------------- Monte Carlo and trajectory
    t = time.perf_counter()
    mc = np.zeros(0)
    if runs > 0:
        mc = _monte_carlo(
            sim,
            matches,
            awards,
            allocations,
            planned,
            recorded,
            base,
            cat,
            pp,
            match_persons,
            match_households,
            distances,
            weights,
            line=line,
            runs=runs,
            seed=seed,
        )
    seconds["monte_carlo"] = time.perf_counter() - t
    t = time.perf_counter()
    start = lookup.date
    target = (
        dt.date.fromisoformat(str(target_date))
        if isinstance(target_date, str)
        else target_date or add_months(start, DEFAULT_HORIZON_MONTHS)
    )
    path = trajectory(
        _interventions(matches, awards, planned, sim, pp, share=share, net=net, gain=gain),
        sim,
        line=line,
        start=start,
        target=target,
    )
    seconds["trajectory"] = time.perf_counter() - t

    # ---------------------------------------------------------------- summary
    direct_by_sector = (
        allocations.group_by("category").agg(pl.col("jobs_expected").sum()).drop_nulls("category")
    )
    indirect, induced, multiplier_note = _multiplier_jobs(
        dict(direct_by_sector.iter_rows()), multipliers
    )
    programme_lines = {n for n, ln in cat.lines.items() if not ln.quota}
    funding = result.funding
    se_funding = funding.filter(pl.col("instrument") == SELF_EMPLOYMENT)
    cost_total = float(funding.filter(pl.col("line").is_in(list(programme_lines)))["amount"].sum())
    financing = float(
        funding.filter(~pl.col("line").is_in(list(programme_lines)))["amount"].sum()
    ) + float(awards["principal"].sum())
    budget_table = result.budgets
    given = set(budgets)
    budget_summary = {
        row["key"]: {
            "kind": row["kind"],
            "source": row["source"],
            "limit": row["limit"],
            "used": row["used"],
            "marginal_value": row["marginal_per_miliar"],
            "marginal_value_unit": "households lifted per additional Rp 1 miliar (LP relaxation dual)",
        }
        for row in budget_table.iter_rows(named=True)
        if row["key"] in given or row["used"] > 0
    }
    p0 = regions.select("region_code", "p0_before", "p0_after")
    interval = (
        {
            "low": float(np.percentile(mc, 5)),
            "high": float(np.percentile(mc, 95)),
            "mean": float(mc.mean()),
            "runs": int(mc.size),
            "method": "5th-95th percentile of Monte Carlo runs over effect ranges (triangular)",
        }
        if mc.size
        else None
    )
    assumption_list = lookup.assumptions() + _data_assumptions(
        base, consumption_source, truth is not None
    )
    runtime = time.perf_counter() - started
    summary: dict[str, Any] = {
        "region": region,
        "date": lookup.date.isoformat(),
        "target_date": target.isoformat(),
        "extreme_line": line,
        "national_line": national,
        "consumption_source": consumption_source,
        "jobs_created": float(allocations["jobs_expected"].sum()),
        "planned_openings": int(planned["openings"].sum()),
        "recorded_openings": int(recorded["capacity"].sum()),
        "jobs_indirect": indirect,
        "jobs_induced": induced,
        "multiplier_method": multiplier_note,
        "enterprises_supported": int(allocations["enterprise_id"].n_unique()),
        "instruments_allocated": int(allocations.height),
        "self_employment_awards": int(awards.height),
        "persons_matched": int(matches.height),
        "households_matched": int(matches["household_id"].n_unique()) if matches.height else 0,
        "eligible_persons": int(match_persons.height + len(awardee_persons)),
        "target_households": int(targets.height),
        "households_lifted": lifted,
        "households_lifted_interval": interval,
        "households_lifted_planned": result.households_lifted,
        "cost_total": cost_total,
        "cost_self_employment": float(se_funding["amount"].sum()),
        "financing_mobilised": financing,
        "cost_per_household_lifted": cost_total / lifted if lifted else None,
        "budgets": budget_summary,
        "p0_before": dict(p0.select("region_code", "p0_before").iter_rows()),
        "p0_after": dict(p0.select("region_code", "p0_after").iter_rows()),
        "solver_gap": result.mip_gap,
        "solver_gap_highs": result.highs_gap,
        "solver_bound": result.bound,
        "solver_status": result.status,
        "allocation_size": result.sizes,
        "matching_size": {
            k: matched.stats[k]
            for k in ("nodes", "arcs", "persons", "households", "slots", "pools")
        }
        if matched.stats.get("nodes")
        else matched.stats,
        "seconds": {k: round(v, 3) for k, v in seconds.items()},
        "assumptions": assumption_list,
        "notes": notes,
        "runtime_s": runtime,
    }
    return Plan(
        allocations=allocations,
        openings=pl.concat(
            [
                planned.select(
                    pl.col("enterprise_id").alias("slot_id"),
                    pl.lit("planned").alias("source"),
                    "region_code",
                    "kbli",
                    "wage",
                    "wage_imputed",
                    "jobs_expected",
                    pl.col("openings").cast(pl.Int64),
                    "instrument",
                    "months_to_effect",
                ),
                recorded.select(
                    pl.col("opening_id").alias("slot_id"),
                    pl.lit("recorded").alias("source"),
                    "region_code",
                    "kbli",
                    "wage",
                    pl.lit(False).alias("wage_imputed"),
                    pl.lit(None, pl.Float64).alias("jobs_expected"),
                    pl.col("capacity").cast(pl.Int64).alias("openings"),
                    pl.lit(None, pl.Utf8).alias("instrument"),
                    pl.lit(pp.opening_months.central).alias("months_to_effect"),
                ),
            ],
            how="vertical_relaxed",
        ),
        awards=awards,
        matches=matches,
        households=sim,
        regions=regions,
        trajectory=path,
        budgets=budget_table,
        monte_carlo=pl.DataFrame({"run": np.arange(mc.size), "households_lifted": mc}),
        summary=summary,
    )


def _recorded_openings(openings: pl.DataFrame | None, region: str) -> pl.DataFrame:
    schema = {
        "opening_id": pl.Utf8,
        "region_code": pl.Utf8,
        "kbli": pl.Utf8,
        "wage": pl.Float64,
        "capacity": pl.Int64,
    }
    if openings is None or openings.is_empty():
        return pl.DataFrame(schema=schema)
    need = {"opening_id", "region_code", "kbli"}
    missing = need - set(openings.columns)
    if missing:
        raise ValueError(f"openings needs columns {sorted(missing)}")
    wage_col = "wage_month" if "wage_month" in openings.columns else "wage"
    if wage_col not in openings.columns:
        raise ValueError("openings needs a wage_month column")
    frame = openings.select(
        pl.col("opening_id").cast(pl.Utf8),
        pl.col("region_code").cast(pl.Utf8),
        pl.col("kbli").cast(pl.Utf8),
        pl.col(wage_col).cast(pl.Float64).alias("wage"),
        (pl.col("capacity") if "capacity" in openings.columns else pl.lit(1))
        .cast(pl.Int64)
        .alias("capacity"),
    )
    if frame["wage"].null_count() or (frame["wage"] < 0).any():
        raise ValueError("every recorded opening needs a wage ≥ 0")
    if frame["opening_id"].n_unique() != frame.height:
        raise ValueError("opening_id must be unique")
    return _in_region(frame, region)


def _groups(profile: pl.DataFrame, priority: set[str]) -> pl.DataFrame:
    """Household groups of the allocation: below the line, with an eligible member, liftable."""
    cand = profile.filter(pl.col("below_line") & (pl.col("n_eligible") > 0))
    if cand.is_empty():
        return pl.DataFrame(
            schema={
                "group_id": pl.Int64,
                "desa": pl.Utf8,
                "r_band": pl.Int64,
                "radius_km": pl.Float64,
                "households": pl.Int64,
                "se_awardable": pl.Int64,
                "priority": pl.Boolean,
                "se_flag": pl.Boolean,
            }
        )
    r = required_band(cand["required_wage"].to_numpy())
    radius = _band_down(cand["radius_km"].to_numpy(), RADIUS_BANDS)
    se_flag = (cand["se_liftable"] & cand["se_eligible"]).to_numpy()
    keyed = (
        cand.select("household_id", pl.col("region_code").alias("desa"))
        .with_columns(
            r_band=pl.Series(r.astype(np.int64)),
            radius_km=pl.Series(radius),
            se_flag=pl.Series(se_flag),
        )
        .filter((pl.col("r_band") < len(WAGE_BAND_EDGES)) | pl.col("se_flag"))
    )
    groups = (
        keyed.group_by("desa", "r_band", "radius_km", "se_flag")
        .agg(households=pl.len().cast(pl.Int64), members=pl.col("household_id"))
        .sort("desa", "r_band", "radius_km", "se_flag")
        .with_row_index("group_id")
        .with_columns(
            pl.col("group_id").cast(pl.Int64),
            se_awardable=pl.when(pl.col("se_flag"))
            .then(pl.col("households"))
            .otherwise(0)
            .cast(pl.Int64),
            priority=pl.col("desa").is_in(list(priority)),
        )
    )
    return groups


def _allocation_rows(
    chosen: pl.DataFrame,
    base: pl.DataFrame,
    options: pl.DataFrame,
    enterprises: pl.DataFrame,
    cat: Catalogue,
    lookup: ParameterLookup,
) -> pl.DataFrame:
    """The allocations table: jobs, costs by item and line, months to effect, reasons."""
    cost_cols = [
        c for c in options.columns if c not in ("enterprise_id", "instrument", "channel", "jobs")
    ]
    rows = chosen.join(options, on=["enterprise_id", "instrument"], how="left").join(
        base.select(
            "enterprise_id",
            "region_code",
            "kbli",
            "category",
            "size_class",
            "wage",
            "wage_imputed",
            "wage_band",
        ),
        on="enterprise_id",
        how="left",
    )
    programme: list[float] = []
    finance: list[float] = []
    detail: list[str] = []
    months: list[float] = []
    reasons: list[str] = []
    subset = enterprises.join(
        rows.select("enterprise_id").unique(), on="enterprise_id", how="semi"
    ).sort("enterprise_id")
    attrs = enterprise_attributes(subset, lookup=lookup, date=cat.date)
    index = {e: i for i, e in enumerate(attrs["enterprise_id"].tolist())}
    for row in rows.iter_rows(named=True):
        inst = cat.instruments[row["instrument"]]
        p = f = 0.0
        parts = []
        for cost in inst.costs:
            amount = row.get(cost.name)
            if amount is None:
                continue
            quota_only = all(cat.lines[line].quota for line in cost.lines)
            if quota_only:
                f += amount
            else:
                p += amount
            parts.append(f"{cost.name} Rp{amount:,.0f} ({'/'.join(cost.lines)})")
        programme.append(p)
        finance.append(f)
        detail.append("; ".join(parts))
        months.append(inst.months_to_effect.central)
        d = decide(attrs, index[row["enterprise_id"]], inst)
        reasons.append("; ".join(d.reasons))
    out = rows.with_columns(
        jobs_expected=pl.col("jobs"),
        cost_programme=pl.Series(programme, dtype=pl.Float64),
        financing=pl.Series(finance, dtype=pl.Float64),
        costs=pl.Series(detail, dtype=pl.Utf8),
        months_to_effect=pl.Series(months, dtype=pl.Float64),
        eligibility=pl.Series(reasons, dtype=pl.Utf8),
    ).drop("jobs", *cost_cols)
    return out.select(
        "enterprise_id",
        "region_code",
        "kbli",
        "category",
        "size_class",
        "instrument",
        "channel",
        "jobs_expected",
        "wage",
        "wage_imputed",
        "wage_band",
        "cost_programme",
        "financing",
        "costs",
        "months_to_effect",
        "eligibility",
    ).sort("enterprise_id", "instrument")


def _planned_openings(
    allocations: pl.DataFrame, base: pl.DataFrame, cat: Catalogue, pp: PathwayParameters
) -> pl.DataFrame:
    """Openings for target households per supported enterprise (largest-remainder apportionment)."""
    if allocations.is_empty():
        return pl.DataFrame(
            schema={
                "enterprise_id": pl.Utf8,
                "region_code": pl.Utf8,
                "kbli": pl.Utf8,
                "wage": pl.Float64,
                "wage_imputed": pl.Boolean,
                "wage_band": pl.Int64,
                "jobs_expected": pl.Float64,
                "openings": pl.Int64,
                "instrument": pl.Utf8,
                "months_to_effect": pl.Float64,
                "persistence": pl.Float64,
            }
        )
    main = (
        allocations.sort("jobs_expected", "instrument", descending=[True, False])
        .group_by("enterprise_id", maintain_order=True)
        .agg(pl.col("instrument").first(), pl.col("jobs_expected").sum())
    )
    frame = main.join(
        base.select(
            "enterprise_id", "region_code", "kbli", "wage", "wage_imputed", "wage_band", "lift_band"
        ),
        on="enterprise_id",
    )
    frame = _apportion(frame, pp.hire_share.central)
    months = {k: i.months_to_effect.central for k, i in cat.instruments.items()}
    rho = {k: i.persistence.central for k, i in cat.instruments.items()}
    return frame.with_columns(
        months_to_effect=pl.col("instrument").replace_strict(months, return_dtype=pl.Float64),
        persistence=pl.col("instrument").replace_strict(rho, return_dtype=pl.Float64),
    ).sort("enterprise_id")


def _awards(
    result: AllocationResult,
    groups: pl.DataFrame,
    profile: pl.DataFrame,
    eligible: pl.DataFrame,
    cat: Catalogue,
    pp: PathwayParameters,
) -> pl.DataFrame:
    """Self-employment awards: in each group the households with the largest gap, then a member."""
    schema = {
        "household_id": pl.Utf8,
        "person_id": pl.Utf8,
        "region_code": pl.Utf8,
        "sex": pl.Utf8,
        "financing": pl.Utf8,
        "principal": pl.Float64,
        "cost_training": pl.Float64,
        "cost_coaching": pl.Float64,
        "gain_month": pl.Float64,
        "gap_household": pl.Float64,
    }
    if result.awards.is_empty():
        return pl.DataFrame(schema=schema)
    need = dict(result.awards.iter_rows())
    gap = dict(profile.select("household_id", "gap_household").iter_rows())
    candidates = eligible.filter(pl.col("se_candidate")).sort(
        pl.col("working"), pl.col("sex") != "P", "person_id"
    )
    first_person = candidates.group_by("household_id", maintain_order=True).first()
    person_of = {r["household_id"]: r for r in first_person.iter_rows(named=True)}
    rows = []
    for gid, hh_ids in groups.select("group_id", "members").iter_rows():
        k = need.get(gid, 0)
        if k <= 0:
            continue
        ordered = sorted(hh_ids, key=lambda h: (-gap[h], h))
        for hid in ordered[:k]:
            person = person_of[hid]
            female = person["sex"] == "P"
            instrument = pp.se_financing_female if female else pp.se_financing_male
            loan = cat.instruments[instrument].loan
            rows.append(
                {
                    "household_id": hid,
                    "person_id": person["person_id"],
                    "region_code": person["region_code"],
                    "sex": person["sex"],
                    "financing": instrument,
                    "principal": loan.principal if loan else 0.0,
                    "cost_training": pp.se_training_cost,
                    "cost_coaching": pp.se_coaching_cost,
                    "gain_month": pp.se_gain.central,
                    "gap_household": gap[hid],
                }
            )
    return pl.DataFrame(rows, schema=schema).sort("household_id")


def _match_persons(
    eligible: pl.DataFrame, profile: pl.DataFrame, pp: PathwayParameters
) -> pl.DataFrame:
    """Eligible persons with the wage that would lift their household if they took the job."""
    share = pp.consumption_share.central
    net = pp.net_gain_share.central
    return (
        eligible.join(
            profile.select("household_id", "gap_household", "below_line"),
            on="household_id",
            how="left",
        )
        .with_columns(
            required_wage=pl.when(pl.col("below_line"))
            .then(
                pl.col("gap_household")
                / (share * pl.when(pl.col("working")).then(net).otherwise(1.0))
            )
            .otherwise(float("inf"))
        )
        .drop("gap_household", "below_line")
    )


def _interventions(
    matches: pl.DataFrame,
    awards: pl.DataFrame,
    planned: pl.DataFrame,
    sim: pl.DataFrame,
    pp: PathwayParameters,
    *,
    share: float,
    net: float,
    gain: float,
) -> pl.DataFrame:
    """Each intervention's gain per capita, months to effect and persistence (for the trajectory)."""
    size = sim.select("household_id", "size")
    timing = planned.select(
        pl.col("enterprise_id").alias("slot_id"), "months_to_effect", "persistence"
    )
    jobs = (
        matches.join(timing, on="slot_id", how="left")
        .join(size, on="household_id", how="left")
        .select(
            "household_id",
            (
                pl.col("wage")
                * share
                * pl.when(pl.col("working")).then(net).otherwise(1.0)
                / pl.col("size")
            ).alias("gain_pc"),
            pl.col("months_to_effect").fill_null(pp.opening_months.central),
            pl.col("persistence").fill_null(pp.opening_persistence.central),
        )
    )
    se = awards.join(size, on="household_id", how="left").select(
        "household_id",
        (pl.lit(gain) / pl.col("size")).alias("gain_pc"),
        pl.lit(pp.se_months.central).alias("months_to_effect"),
        pl.lit(pp.se_persistence.central).alias("persistence"),
    )
    return pl.concat([jobs, se], how="vertical_relaxed")


def _monte_carlo(
    sim: pl.DataFrame,
    matches: pl.DataFrame,
    awards: pl.DataFrame,
    allocations: pl.DataFrame,
    planned: pl.DataFrame,
    recorded: pl.DataFrame,
    base: pl.DataFrame,
    cat: Catalogue,
    pp: PathwayParameters,
    persons: pl.DataFrame,
    households: pl.DataFrame,
    distances: DesaDistances,
    weights: MatchWeights,
    *,
    line: float,
    runs: int,
    seed: int,
) -> np.ndarray:
    """Monte Carlo over effect ranges, with a waiting list for openings above the plan."""
    instruments = list(cat.instruments)
    inst_index = {k: i for i, k in enumerate(instruments)}
    owners = planned["enterprise_id"].to_list() + recorded["opening_id"].to_list()
    owner_index = {o: i for i, o in enumerate(owners)}
    units = np.zeros((len(owners), len(instruments)))
    weight = dict(base.select("enterprise_id", "weight").iter_rows())
    for eid, inst in allocations.select("enterprise_id", "instrument").iter_rows():
        if eid in owner_index:
            units[owner_index[eid], inst_index[inst]] += weight.get(eid, 1.0)
    owner_openings = np.array(
        planned["openings"].to_list() + recorded["capacity"].to_list(), dtype=np.float64
    )
    # waiting list: extra openings at the high effect values, matched among those left
    ratio_high = np.ones(len(owners))
    highs = np.array([cat.instruments[k].jobs.high for k in instruments])
    centrals = np.array([cat.instruments[k].jobs.central for k in instruments])
    with np.errstate(divide="ignore", invalid="ignore"):
        central_units = units @ centrals
        ratio_high = np.where(central_units > 0, (units @ highs) / central_units, 1.0)
    ratio_high *= pp.hire_share.high / pp.hire_share.central if pp.hire_share.central else 1.0
    extra = np.maximum(np.ceil(owner_openings * ratio_high) - owner_openings, 0).astype(np.int64)
    hh_index = {h: i for i, h in enumerate(sim["household_id"].to_list())}
    wait = pl.DataFrame(
        schema={
            "household_id": pl.Utf8,
            "slot_id": pl.Utf8,
            "wage": pl.Float64,
            "priority": pl.Int64,
            "distance_km": pl.Float64,
            "working": pl.Boolean,
        }
    )
    n_planned = planned.height
    if extra[:n_planned].sum() > 0:
        extra_slots = planned.select(
            pl.col("enterprise_id").alias("slot_id"),
            pl.lit("planned").alias("source"),
            "region_code",
            "kbli",
            pl.col("wage").cast(pl.Float64),
        ).with_columns(capacity=pl.Series(extra[:n_planned]))
        taken = set(matches["person_id"].to_list())
        matched_households = set(matches["household_id"].to_list())
        left = persons.filter(~pl.col("person_id").is_in(list(taken)))
        hh_wait = households.with_columns(
            tier1=pl.col("tier1") & ~pl.col("household_id").is_in(list(matched_households))
        )
        waitlist = match_jobs(
            left, hh_wait, extra_slots, distances=distances, weights=weights
        ).matches
        wait = waitlist.join(
            persons.select("person_id", "working"), on="person_id", how="left"
        ).select("household_id", "slot_id", "wage", "priority", "distance_km", "working")

    def ranked(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.sort(
            ["slot_id", "priority", "distance_km"], descending=[False, True, False]
        ).with_columns(rank=pl.int_range(pl.len()).over("slot_id"))

    m = ranked(
        matches.select("household_id", "slot_id", "wage", "priority", "distance_km", "working")
    )
    w = ranked(wait)
    u = Uncertain(
        match_household=np.array(
            [hh_index[h] for h in m["household_id"].to_list()], dtype=np.int64
        ),
        match_wage=m["wage"].to_numpy().astype(np.float64),
        match_working=m["working"].fill_null(False).to_numpy().astype(bool),
        match_owner=np.array([owner_index[s] for s in m["slot_id"].to_list()], dtype=np.int64),
        match_rank=m["rank"].to_numpy().astype(np.int64),
        wait_household=np.array([hh_index[h] for h in w["household_id"].to_list()], dtype=np.int64),
        wait_wage=w["wage"].to_numpy().astype(np.float64),
        wait_working=w["working"].fill_null(False).to_numpy().astype(bool),
        wait_owner=np.array([owner_index[s] for s in w["slot_id"].to_list()], dtype=np.int64),
        wait_rank=w["rank"].to_numpy().astype(np.int64),
        owner_openings=owner_openings,
        owner_units=units,
        instrument_ranges=[cat.instruments[k].jobs for k in instruments],
        award_household=np.array(
            [hh_index[h] for h in awards["household_id"].to_list()], dtype=np.int64
        ),
        size=sim["size"].to_numpy().astype(np.float64),
        before=sim["consumption_before"].to_numpy().astype(np.float64),
    )
    return monte_carlo(
        u,
        line=line,
        share=pp.consumption_share,
        net_share=pp.net_gain_share,
        hire_share=pp.hire_share,
        se_gain=pp.se_gain,
        runs=runs,
        seed=seed,
    )


def _data_assumptions(
    base: pl.DataFrame, consumption_source: str, synthetic: bool
) -> list[dict[str, Any]]:
    out = []
    imputed = int(base["wage_imputed"].sum()) if base.height else 0
    if imputed:
        out.append(
            {
                "path": "data.enterprises.wage_month",
                "value": imputed,
                "unit": "count",
                "date": None,
                "region": "",
                "note": f"{imputed} enterprises have no wage_month; new jobs there are valued at the median "
                "wage of firms of the same KBLI category and size class",
                "reference": "",
                "source_file": "",
            }
        )
    out.append(
        {
            "path": "data.households.consumption",
            "value": consumption_source,
            "unit": "text",
            "date": None,
            "region": "",
            "note": "synthetic ground truth (DATA SINTETIS)"
            if synthetic
            else "consumption used for gaps and lifting",
            "reference": "",
            "source_file": "",
        }
    )
    out.append(
        {
            "path": "model.geography",
            "value": "desa centroids",
            "unit": "text",
            "date": None,
            "region": "",
            "note": "workers and jobs are placed at desa centroids; distance = great-circle km between them",
            "reference": "",
            "source_file": "",
        }
    )
    return out


def check_plan(plan: Plan, *, tolerance: float = 1.0) -> list[str]:
    """Consistency checks of a plan; an empty list when it holds together.

    Budgets never exceeded (within ``tolerance`` Rp), nobody matched twice, no slot over capacity,
    no commute beyond reach, P0 after ≤ P0 before in every region, ``households_lifted`` equal to
    the households whose simulated consumption crosses the line, costs and counts non-negative.
    """
    problems: list[str] = []
    s = plan.summary
    for row in plan.budgets.iter_rows(named=True):
        if row["limit"] is not None and row["used"] > row["limit"] + tolerance:
            problems.append(
                f"budget {row['key']} used {row['used']:.0f} > limit {row['limit']:.0f}"
            )
    m = plan.matches
    if m.height and m["person_id"].n_unique() != m.height:
        problems.append("a person is matched twice")
    if m.height:
        used = m.group_by("slot_id").len()
        cap = plan.openings.select("slot_id", "openings")
        over = used.join(cap, on="slot_id", how="left").filter(
            pl.col("openings").is_null() | (pl.col("len") > pl.col("openings"))
        )
        if over.height:
            problems.append(f"{over.height} slots over capacity")
    if m.height and (m["distance_km"] > m["reach_km"] + 1e-6).any():
        problems.append("a match is beyond the person's reach")
    r = plan.regions
    if (r["p0_after"] > r["p0_before"] + 1e-9).any():
        problems.append("P0 after exceeds P0 before in some region")
    crossing = plan.households.filter(
        (pl.col("consumption_before") < s["extreme_line"])
        & (pl.col("consumption_after") >= s["extreme_line"])
    ).height
    if (
        crossing != s["households_lifted"]
        or int(plan.households["lifted"].sum()) != s["households_lifted"]
    ):
        problems.append("households_lifted disagrees with the households table")
    if s["cost_total"] < 0 or s["jobs_created"] < 0:
        problems.append("negative cost or jobs")
    return problems
