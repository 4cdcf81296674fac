"""Microsimulation: apply jobs and self-employment awards to household consumption, then measure.

For household h of size nₕ with consumption per capita yₕ (Rp/capita/month) before the plan:

    yₕ′ = yₕ + Σ_{matches m of h} wₘ·σ·aₘ / nₕ + Σ_{awards of h} G / nₕ

with wₘ the job's monthly wage, σ the consumption share of wages, aₘ = 1 for a member who was not
working and ``net_gain_share_if_working`` for one who was, G the self-employment consumption gain.
A household is **lifted** when yₕ < z ≤ yₕ′ (z the extreme line). FGT indices before and after are
computed with :func:`tuntas.poverty.fgt_table` per desa, kecamatan and regency, person-weighted
(household weight × size). Because every gain is ≥ 0, P0 after ≤ P0 before in every region.

**Monte Carlo.** Each run draws, from triangular(low, central, high), the jobs per unit of every
instrument, the hire share, σ, a and G. An enterprise's openings become round(oₑ·qₑ) with qₑ the
ratio of drawn to central target jobs; openings below the plan drop the lowest-priority matches of
that enterprise, openings above it go to the enterprise's waiting list (a second matching of the
people left unmatched). The interval is the 5th–95th percentile of households lifted.

**Trajectory.** Intervention m starts mₘ months after the plan starts and survives to month t with
probability s(t) = ρₘ^((t − mₘ)/12) (:func:`tuntas.planning.effects.effect_share`), independently;
the expected number of households lifted at month t sums, over households, the probability that the
interventions alive at t lift it (exact enumeration for up to 8 interventions per household).

Examples
--------
Two households of 4 at Rp 300,000 per capita, line Rp 391,000; one job at Rp 1.2 juta with σ = 0.7
for a member who was not working adds 1,200,000 × 0.7 / 4 = 210,000 per capita:

>>> hh = pl.DataFrame({"household_id": ["a", "b"], "region_code": ["33.10.01.2001"] * 2,
...                    "size": [4, 4], "consumption_pc": [300_000.0, 300_000.0]})
>>> jobs = pl.DataFrame({"household_id": ["a"], "wage": [1_200_000.0], "working": [False]})
>>> out = apply_interventions(hh, jobs, None, line=391_000, share=0.7, net_share=0.4, se_gain=0)
>>> out.select("household_id", "consumption_after", "lifted").rows()
[('a', 510000.0, True), ('b', 300000.0, False)]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl
from numpy.typing import NDArray

from tuntas.planning.effects import effect_share
from tuntas.planning.instruments import Range
from tuntas.poverty.fgt import fgt_table

LEVELS = {"kabupaten_kota": 2, "kecamatan": 3, "desa_kelurahan": 4}
"""Region level → number of code parts (``33.10`` / ``33.10.01`` / ``33.10.01.2001``)."""


def apply_interventions(
    households: pl.DataFrame,
    matches: pl.DataFrame | None,
    awards: pl.DataFrame | None,
    *,
    line: float,
    share: float,
    net_share: float,
    se_gain: float,
) -> pl.DataFrame:
    """Consumption before and after for every household (formula in the module docstring).

    ``matches``: household_id, wage, working; ``awards``: household_id (one row per award).
    Adds consumption_before, wage_gain_pc, self_employment_gain_pc, consumption_after,
    extreme_before, extreme_after, lifted, jobs, awards.
    """
    base = households.with_columns(consumption_before=pl.col("consumption_pc").cast(pl.Float64))
    if matches is not None and matches.height:
        wage = matches.group_by("household_id").agg(
            wage_total=(
                pl.col("wage") * share * pl.when(pl.col("working")).then(net_share).otherwise(1.0)
            ).sum(),
            jobs=pl.len(),
        )
        base = base.join(wage, on="household_id", how="left")
    else:
        base = base.with_columns(wage_total=pl.lit(None, pl.Float64), jobs=pl.lit(None, pl.UInt32))
    if awards is not None and awards.height:
        se = awards.group_by("household_id").agg(awards=pl.len())
        base = base.join(se, on="household_id", how="left")
    else:
        base = base.with_columns(awards=pl.lit(None, pl.UInt32))
    return (
        base.with_columns(
            wage_gain_pc=pl.col("wage_total").fill_null(0.0) / pl.col("size"),
            self_employment_gain_pc=pl.col("awards").fill_null(0).cast(pl.Float64)
            * se_gain
            / pl.col("size"),
            jobs=pl.col("jobs").fill_null(0).cast(pl.Int64),
            awards=pl.col("awards").fill_null(0).cast(pl.Int64),
        )
        .with_columns(
            consumption_after=pl.col("consumption_before")
            + pl.col("wage_gain_pc")
            + pl.col("self_employment_gain_pc"),
        )
        .with_columns(
            extreme_before=pl.col("consumption_before") < line,
            extreme_after=pl.col("consumption_after") < line,
        )
        .with_columns(lifted=pl.col("extreme_before") & ~pl.col("extreme_after"))
        .drop("wage_total")
        .sort("household_id")
    )


def region_table(
    simulated: pl.DataFrame, *, line: float, national_line: float | None = None
) -> pl.DataFrame:
    """FGT before/after (×100) per desa, kecamatan and regency, with households lifted.

    Columns: region_code, level, households, population, poor_before, poor_after, p0_before,
    p0_after, p1_before, p1_after, p2_before, p2_after, households_lifted, and when a national
    line is given p0_national_before/after.
    """
    frame = simulated.with_columns(
        weight=pl.col("weight").cast(pl.Float64) if "weight" in simulated.columns else pl.lit(1.0)
    )
    parts = []
    for level, n in LEVELS.items():
        keyed = frame.with_columns(
            region=pl.col("region_code").str.split(".").list.head(n).list.join(".")
        )
        tables = {}
        for when in ("before", "after"):
            t = fgt_table(
                keyed,
                consumption=f"consumption_{when}",
                line=line,
                weight="weight",
                size="size",
                by="region",
                se="none",
            ).filter(~pl.col("is_total"))
            tables[when] = t.select(
                "region",
                "households",
                "population",
                pl.col("poor").alias(f"poor_{when}"),
                pl.col("p0").alias(f"p0_{when}"),
                pl.col("p1").alias(f"p1_{when}"),
                pl.col("p2").alias(f"p2_{when}"),
            )
            if national_line is not None:
                tn = fgt_table(
                    keyed,
                    consumption=f"consumption_{when}",
                    line=national_line,
                    weight="weight",
                    size="size",
                    by="region",
                    alphas=(0,),
                    se="none",
                ).filter(~pl.col("is_total"))
                tables[when] = tables[when].join(
                    tn.select("region", pl.col("p0").alias(f"p0_national_{when}")), on="region"
                )
        lifted = keyed.group_by("region").agg(households_lifted=pl.col("lifted").sum())
        parts.append(
            tables["before"]
            .join(tables["after"].drop("households", "population"), on="region")
            .join(lifted, on="region", how="left")
            .with_columns(level=pl.lit(level))
        )
    out = pl.concat(parts, how="diagonal").rename({"region": "region_code"})
    first = ["region_code", "level", "households", "population"]
    return out.select(first + [c for c in out.columns if c not in first]).sort(
        "level", "region_code"
    )


@dataclass(frozen=True)
class Uncertain:
    """What a Monte Carlo run varies: per-match and per-award arrays plus the effect ranges."""

    match_household: NDArray[np.int64]
    match_wage: NDArray[np.float64]
    match_working: NDArray[np.bool_]
    match_owner: NDArray[np.int64]
    match_rank: NDArray[np.int64]
    wait_household: NDArray[np.int64]
    wait_wage: NDArray[np.float64]
    wait_working: NDArray[np.bool_]
    wait_owner: NDArray[np.int64]
    wait_rank: NDArray[np.int64]
    owner_openings: NDArray[np.float64]
    owner_units: NDArray[np.float64]
    """Owner × instrument matrix: units of each instrument given to the owner (× sector weight)."""
    instrument_ranges: list[Range]
    award_household: NDArray[np.int64]
    size: NDArray[np.float64]
    before: NDArray[np.float64]


def monte_carlo(
    u: Uncertain,
    *,
    line: float,
    share: Range,
    net_share: Range,
    hire_share: Range,
    se_gain: Range,
    runs: int,
    seed: int,
) -> NDArray[np.float64]:
    """Households lifted in each of ``runs`` draws (see the module docstring)."""
    rng = np.random.default_rng(seed)
    n_h = u.size.size
    out = np.zeros(runs)
    poor = u.before < line
    centrals = np.array([rg.central for rg in u.instrument_ranges], dtype=np.float64)
    central_target = (
        (u.owner_units @ centrals) * hire_share.central
        if centrals.size
        else np.zeros(u.owner_openings.size)
    )
    for r in range(runs):
        jobs_draw = np.array([rng_draw(rng, rg) for rg in u.instrument_ranges], dtype=np.float64)
        h_r = float(hire_share.draw(rng))
        s_r = float(share.draw(rng))
        a_r = float(net_share.draw(rng))
        g_r = float(se_gain.draw(rng))
        drawn_target = (u.owner_units @ jobs_draw) * h_r if centrals.size else central_target
        with np.errstate(divide="ignore", invalid="ignore"):
            q = np.where(central_target > 0, drawn_target / central_target, 1.0)
        realised = np.round(u.owner_openings * q)
        keep = u.match_rank < realised[u.match_owner]
        extra = np.maximum(realised - u.owner_openings, 0)
        keep_wait = u.wait_rank < extra[u.wait_owner]
        gain = np.zeros(n_h)
        np.add.at(
            gain,
            u.match_household[keep],
            u.match_wage[keep] * s_r * np.where(u.match_working[keep], a_r, 1.0),
        )
        np.add.at(
            gain,
            u.wait_household[keep_wait],
            u.wait_wage[keep_wait] * s_r * np.where(u.wait_working[keep_wait], a_r, 1.0),
        )
        np.add.at(gain, u.award_household, g_r)
        after = u.before + gain / u.size
        out[r] = float((poor & (after >= line)).sum())
    return out


def rng_draw(rng: np.random.Generator, rg: Range) -> float:
    """One triangular draw of a :class:`~tuntas.planning.instruments.Range`."""
    return float(rg.draw(rng))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (≥ 0).

    >>> months_between(dt.date(2026, 1, 15), dt.date(2027, 12, 31))
    23
    """
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def add_months(start: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (clipped to the month's last day).

    >>> add_months(dt.date(2026, 1, 31), 1)
    datetime.date(2026, 2, 28)
    """
    year = start.year + (start.month - 1 + months) // 12
    month = (start.month - 1 + months) % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise ValueError("unreachable")


def trajectory(
    interventions: pl.DataFrame,
    households: pl.DataFrame,
    *,
    line: float,
    start: dt.date,
    target: dt.date,
) -> pl.DataFrame:
    """Expected households lifted and extreme P0 (×100) month by month from ``start`` to ``target``.

    ``interventions``: household_id, gain_pc (Rp/capita/month), months_to_effect, persistence.
    ``households``: household_id, size, consumption_before, weight (optional).
    """
    horizon = months_between(start, target)
    months = np.arange(horizon + 1)
    hh = households.with_columns(
        weight=pl.col("weight").cast(pl.Float64) if "weight" in households.columns else pl.lit(1.0)
    )
    person_w = (hh["weight"] * hh["size"]).to_numpy().astype(np.float64)
    before = hh["consumption_before"].to_numpy().astype(np.float64)
    population = float(person_w.sum())
    poor_before = float(person_w[before < line].sum())
    expected = np.zeros(months.size)
    expected_persons = np.zeros(months.size)
    if interventions.height:
        index = {h: i for i, h in enumerate(hh["household_id"].to_list())}
        iv = interventions.filter(pl.col("household_id").is_in(list(index)))
        by_h = iv.group_by("household_id", maintain_order=True).agg(
            pl.col("gain_pc"), pl.col("months_to_effect"), pl.col("persistence")
        )
        for hid, gains, m0s, rhos in by_h.iter_rows():
            i = index[hid]
            if before[i] >= line:
                continue
            need = line - before[i]
            g = np.array(gains, dtype=np.float64)
            shares = np.vstack(
                [
                    effect_share(months, months_to_effect=m0, persistence=rho)
                    for m0, rho in zip(m0s, rhos, strict=True)
                ]
            )
            prob = _lift_probability(g, shares, need)
            expected += prob
            expected_persons += prob * person_w[i]
    dates = [add_months(start, int(m)) for m in months]
    return pl.DataFrame(
        {
            "month": months,
            "date": dates,
            "households_lifted": expected,
            "p0_extreme": 100.0 * (poor_before - expected_persons) / population
            if population
            else np.zeros(months.size),
        }
    )


def _lift_probability(
    gains: NDArray[np.float64], alive: NDArray[np.float64], need: float
) -> NDArray[np.float64]:
    """P(Σ of the surviving gains ≥ need) per month, gains surviving independently.

    >>> _lift_probability(np.array([10.0, 10.0]), np.array([[0.5], [0.5]]), 15.0).tolist()
    [0.25]
    """
    k = gains.size
    if k > 8:  # expected-income fallback for unusual households
        return ((gains[:, None] * alive).sum(axis=0) >= need).astype(np.float64)
    total = np.zeros(alive.shape[1])
    for mask in range(1, 2**k):
        chosen = np.array([(mask >> b) & 1 for b in range(k)], dtype=bool)
        if gains[chosen].sum() < need:
            continue
        p = np.prod(np.where(chosen[:, None], alive, 1.0 - alive), axis=0)
        total += p
    return total
