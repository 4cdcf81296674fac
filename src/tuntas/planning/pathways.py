"""The two pathways out of extreme poverty and the people they are for.

**Wage job.** A member of a target household takes a job at monthly wage w. Household consumption
per capita rises by w·σ·a/n, with σ the consumption share of the wage, n the household size and a = 1
for a member who was not working, a = ``net_gain_share_if_working`` for one who was (the old
earnings are lost). The household is lifted when yₕ + w·σ·a/n ≥ z, i.e. when w ≥ Rₕ with the
**required wage** Rₕ = (z − yₕ)·n / (σ·a).

**Self-employment** (the graduation approach: ultra-micro credit from UMi or PNM Mekaar, training
and coaching; Banerjee et al. 2015, *Science* 348:1260799). It adds G rupiah a month to household
consumption; the household is lifted when G ≥ Γₕ = (z − yₕ)·n, its **household gap**.

**Who.** Target households are registry households whose verification status is one of
``pathways.targeting.statuses`` (verified extreme poor and desil-1 candidates). Eligible persons are
their members aged ``working_age_min``–``working_age_max`` whose activity is one of
``pathways.targeting.activities``. A person's reach is min(own ``max_commute_km`` or the default,
``plan_max_commute_km``). A self-employment candidate also has one of ``business_skills``.

Examples
--------
>>> required_wage(gap_household=300_000, consumption_share=0.7, net_share=1.0)
428571.4285714286
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl

from tuntas.planning.instruments import Range
from tuntas.planning.parameters import ParameterLookup

P = "pathways"


@dataclass(frozen=True)
class PathwayParameters:
    """The pathway, targeting, allocation and matching parameters of a plan (read once)."""

    statuses: tuple[str, ...]
    age_min: int
    age_max: int
    activities: tuple[str, ...]
    default_commute_km: float
    max_commute_km: float
    consumption_share: Range
    hire_share: Range
    net_gain_share: Range
    opening_months: Range
    opening_persistence: Range
    se_gain: Range
    se_months: Range
    se_persistence: Range
    se_training_cost: float
    se_coaching_cost: float
    se_cost_lines: tuple[str, ...]
    se_skills: tuple[str, ...]
    se_financing_female: str
    se_financing_male: str
    priority_min_share: float
    min_lifted_per_priority_desa: int
    mip_gap: float
    time_limit_s: float
    w_gap: int
    w_no_earner: int
    w_km: int
    w_misfit: int
    skills_by_kbli: dict[str, tuple[str, ...]]

    @property
    def se_cost(self) -> float:
        """Programme cost of one self-employment award (training + coaching), Rp."""
        return self.se_training_cost + self.se_coaching_cost

    @classmethod
    def read(cls, lookup: ParameterLookup) -> PathwayParameters:
        """Read every pathway parameter through ``lookup`` (so each use is recorded)."""

        def v(path: str) -> Any:
            return lookup.value(f"{P}.{path}")

        skills = {
            str(k): tuple(str(t) for t in tags) for k, tags in v("matching.skills_by_kbli").items()
        }
        return cls(
            statuses=tuple(v("targeting.statuses")),
            age_min=int(v("targeting.working_age_min")),
            age_max=int(v("targeting.working_age_max")),
            activities=tuple(v("targeting.activities")),
            default_commute_km=float(v("targeting.default_max_commute_km")),
            max_commute_km=float(v("targeting.plan_max_commute_km")),
            consumption_share=Range.of(v("wage_job.consumption_share")),
            hire_share=Range.of(v("wage_job.target_hire_share")),
            net_gain_share=Range.of(v("wage_job.net_gain_share_if_working")),
            opening_months=Range.of(v("wage_job.recorded_opening_months_to_effect")),
            opening_persistence=Range.of(v("wage_job.recorded_opening_persistence")),
            se_gain=Range.of(v("self_employment.consumption_gain")),
            se_months=Range.of(v("self_employment.months_to_effect")),
            se_persistence=Range.of(v("self_employment.persistence")),
            se_training_cost=float(v("self_employment.training_cost")),
            se_coaching_cost=float(v("self_employment.coaching_cost_per_month"))
            * float(v("self_employment.coaching_months")),
            se_cost_lines=tuple(v("self_employment.cost_lines")),
            se_skills=tuple(v("self_employment.business_skills")),
            se_financing_female=str(v("self_employment.financing_female")),
            se_financing_male=str(v("self_employment.financing_male")),
            priority_min_share=float(v("allocation.priority_min_share")),
            min_lifted_per_priority_desa=int(v("allocation.min_lifted_per_priority_desa")),
            mip_gap=float(v("allocation.mip_relative_gap")),
            time_limit_s=float(v("allocation.time_limit_s")),
            w_gap=int(v("matching.priority_gap_weight")),
            w_no_earner=int(v("matching.priority_no_earner")),
            w_km=int(v("matching.cost_per_km")),
            w_misfit=int(v("matching.skill_misfit_cost")),
            skills_by_kbli=skills,
        )


def required_wage(*, gap_household: Any, consumption_share: float, net_share: Any) -> Any:
    """Rₕ = Γₕ / (σ·a): the monthly wage that lifts a household with household gap Γₕ (Rp/month)."""
    return gap_household / (consumption_share * net_share)


def household_consumption(
    households: pl.DataFrame,
    *,
    truth: pl.DataFrame | None = None,
    consumption: pl.DataFrame | None = None,
) -> tuple[pl.DataFrame, str]:
    """household_id, region_code, size, verification_status, consumption_pc and where it came from.

    Priority: ``truth.consumption_pc_true`` (synthetic data), else ``consumption`` (household_id,
    consumption_pc: e.g. a proxy-means-test prediction), else the registry's own ``consumption_pc``.
    Households without a value are dropped; the second return value names the source.
    """
    base = households.select(
        "household_id",
        "region_code",
        "size",
        (
            pl.col("verification_status")
            if "verification_status" in households.columns
            else pl.lit(None, dtype=pl.Utf8).alias("verification_status")
        ),
        (
            pl.col("consumption_pc").cast(pl.Float64)
            if "consumption_pc" in households.columns
            else pl.lit(None, dtype=pl.Float64).alias("consumption_pc")
        ),
    )
    if truth is not None:
        source = "truth (synthetic ground truth: consumption_pc_true)"
        base = base.drop("consumption_pc").join(
            truth.select("household_id", pl.col("consumption_pc_true").alias("consumption_pc")),
            on="household_id",
            how="left",
        )
    elif consumption is not None:
        source = "caller's consumption frame (e.g. PMT prediction)"
        base = base.drop("consumption_pc").join(
            consumption.select("household_id", pl.col("consumption_pc").cast(pl.Float64)),
            on="household_id",
            how="left",
        )
    else:
        source = "registry consumption_pc"
    return base.filter(pl.col("consumption_pc").is_not_null()), source


def eligible_persons(
    persons: pl.DataFrame,
    targets: pl.DataFrame,
    *,
    pp: PathwayParameters,
    date: dt.date,
) -> pl.DataFrame:
    """Working-age members of target households who may take a job or start a business.

    Returns person_id, household_id, region_code, sex, age, activity, working, sector (KBLI letter),
    skills (list), radius_km, se_candidate.
    """
    if persons.is_empty() or targets.is_empty():
        return pl.DataFrame(
            schema={
                "person_id": pl.Utf8,
                "household_id": pl.Utf8,
                "region_code": pl.Utf8,
                "sex": pl.Utf8,
                "age": pl.Float64,
                "activity": pl.Utf8,
                "working": pl.Boolean,
                "sector": pl.Utf8,
                "skills": pl.List(pl.Utf8),
                "radius_km": pl.Float64,
                "se_candidate": pl.Boolean,
            }
        )
    cols = persons.columns
    frame = persons.join(
        targets.select("household_id", "region_code"), on="household_id", how="inner"
    ).with_columns(
        age=(pl.lit(date) - pl.col("birth_date")).dt.total_days() / 365.25,
        activity=pl.col("activity") if "activity" in cols else pl.lit(None, dtype=pl.Utf8),
        sector=pl.col("sector") if "sector" in cols else pl.lit(None, dtype=pl.Utf8),
        skills=(
            pl.col("skills").str.split(";") if "skills" in cols else pl.lit(None, pl.List(pl.Utf8))
        ),
        commute=(
            pl.col("max_commute_km").cast(pl.Float64)
            if "max_commute_km" in cols
            else pl.lit(None, dtype=pl.Float64)
        ),
        sex=pl.col("sex") if "sex" in cols else pl.lit(None, dtype=pl.Utf8),
    )
    frame = frame.filter(
        pl.col("age").is_between(pp.age_min, pp.age_max + 1, closed="left")
        & pl.col("activity").is_in(list(pp.activities))
    )
    return frame.select(
        "person_id",
        "household_id",
        "region_code",
        "sex",
        "age",
        "activity",
        (pl.col("activity") == "working").alias("working"),
        "sector",
        pl.col("skills").fill_null(pl.lit([], dtype=pl.List(pl.Utf8))),
        pl.min_horizontal(
            pl.col("commute").fill_null(pp.default_commute_km), pl.lit(pp.max_commute_km)
        )
        .clip(lower_bound=0.0)
        .alias("radius_km"),
        pl.col("skills")
        .fill_null(pl.lit([], dtype=pl.List(pl.Utf8)))
        .list.eval(pl.element().is_in(list(pp.se_skills)))
        .list.any()
        .alias("se_candidate"),
    ).sort("person_id")


def household_profile(
    targets: pl.DataFrame,
    persons_all: pl.DataFrame,
    eligible: pl.DataFrame,
    *,
    line: float,
    pp: PathwayParameters,
    share: float | None = None,
    net_share: float | None = None,
    se_gain: float | None = None,
) -> pl.DataFrame:
    """One row per target household with what the allocation and the matching need.

    Columns: household_id, region_code, size, consumption_pc, gap_pc (= max(z − y, 0)), gap_ratio
    ((z − y)/z, ≥ 0), gap_household Γ (Rp/month), below_line, no_earner (no member working),
    n_eligible, any_nonworking, radius_km (largest reach of an eligible member), se_eligible,
    required_wage R (wage that lifts it; ∞ if not below the line), se_liftable (G ≥ Γ).
    """
    share = pp.consumption_share.central if share is None else share
    net_share = pp.net_gain_share.central if net_share is None else net_share
    se_gain = pp.se_gain.central if se_gain is None else se_gain
    working = (
        persons_all.filter(pl.col("activity") == "working")
        .select("household_id")
        .unique()
        .with_columns(has_earner=pl.lit(True))
        if "activity" in persons_all.columns
        else pl.DataFrame(schema={"household_id": pl.Utf8, "has_earner": pl.Boolean})
    )
    per_household = eligible.group_by("household_id").agg(
        n_eligible=pl.len(),
        any_nonworking=(~pl.col("working")).any(),
        radius_km=pl.col("radius_km").max(),
        se_eligible=pl.col("se_candidate").any(),
    )
    out = (
        targets.join(working, on="household_id", how="left")
        .join(per_household, on="household_id", how="left")
        .with_columns(
            gap_pc=(pl.lit(line) - pl.col("consumption_pc")).clip(lower_bound=0.0),
            below_line=pl.col("consumption_pc") < line,
            no_earner=pl.col("has_earner").is_null(),
            n_eligible=pl.col("n_eligible").fill_null(0).cast(pl.Int64),
            any_nonworking=pl.col("any_nonworking").fill_null(False),
            radius_km=pl.col("radius_km").fill_null(0.0),
            se_eligible=pl.col("se_eligible").fill_null(False),
        )
        .with_columns(
            gap_ratio=pl.col("gap_pc") / line,
            gap_household=pl.col("gap_pc") * pl.col("size"),
        )
        .with_columns(
            required_wage=pl.when(pl.col("below_line"))
            .then(
                pl.col("gap_household")
                / (share * pl.when(pl.col("any_nonworking")).then(1.0).otherwise(net_share))
            )
            .otherwise(float("inf")),
            se_liftable=pl.col("below_line") & (pl.col("gap_household") <= se_gain),
        )
        .drop("has_earner")
        .sort("household_id")
    )
    return out
