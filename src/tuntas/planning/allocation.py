r"""Budget allocation: which enterprises get which instrument, and how many self-employment awards.

A mixed-integer programme solved with HiGHS (``highspy``). It stays small and exact at regency scale
by **aggregation**: within one channel an enterprise takes at most one instrument and channels do
not interact (jobs and costs add up), so enterprises of the same desa, lifting band and channel with
the same coefficients for that channel's eligible instruments form a *class* k of nₖ members with an
integer count per instrument instead of nₖ binaries; target households with the same desa, required
band, reach band and self-employment status form a *group* g of H_g households. Every integer
solution of the aggregated model is one of the enterprise-level model and back.

**Model.** Classes k (desa bₖ, band jₖ, channel), instruments i ∈ I(k), groups g (home desa a_g,
required band r_g, reach ρ_g), cost items q (instrument, item) payable from budget lines L(q),
budget lines ℓ, funding sources s.

Variables:

* xₖᵢ ∈ {0, …, nₖ}: enterprises of class k given instrument i;
* t_bj ≥ 0: openings of band ≥ j passed down to households needing band j − 1 (a better-paid job
  lifts anyone a worse-paid one lifts);
* u_g ≥ 0: households of group g to be lifted by jobs; c ≥ 0: the reach chain (below);
* y_{a r b} ≥ 0: households of home desa a needing band r lifted by jobs in desa b, only for
  d(a, b) within the reach of the group (**commuting limit**);
* z_g ∈ {0, …, SE_g}: self-employment awards to group g (only groups the gain G lifts);
* f_qℓ ≥ 0: money for cost item q from line ℓ ∈ L(q).

.. math:: \max \sum y + \sum_g z_g + \varepsilon \sum_{k,i} J_{ki} x_{ki},
          \qquad \varepsilon = 10^{-3} / (1 + \textstyle\sum_{k,i} n_k J_{ki})

(expected households lifted; the jobs term only breaks ties and never outweighs 0.001 lifts),
subject to

1. channel: Σ_{i ∈ I(k)} xₖᵢ ≤ nₖ (at most one instrument per channel per enterprise);
2. wage ladder at (desa b, band j): Σ_a y_{a j b} + t_bj ≤ h · Σ_{k: (bₖ, jₖ) = (b, j)} Σᵢ Jₖᵢ xₖᵢ
   + t_b,j+1, with Jₖᵢ the expected jobs per enterprise and h the share of new jobs hired from the
   target list (*expected* openings, fractional);
3. reach chain per (a, r): the groups' reach bands R₁ < … < R_m are levels; level k receives u_g of
   its groups and the flow passed down from level k + 1, and sends y to the job desa in the ring
   (R_{k−1}, R_k] and the rest to level k − 1;
4. households: u_g + z_g ≤ H_g (one intervention counted per household);
5. funding: Σₖ aₖᵢq xₖᵢ + c_q Σ_g z_g = Σ_{ℓ∈L(q)} f_qℓ (every cost is paid);
6. budgets: Σ_q f_qℓ ≤ B_ℓ per line, Σ_{ℓ ∈ s} Σ_q f_qℓ ≤ B_s per funding source given; a non-quota
   line with no budget (neither its own nor its source's) has B_ℓ = 0; quota lines (bank KUR, PIP,
   PNM, SEHATI) are unlimited unless given, LPDB has a default regency ceiling;
7. priority desa: (lifted households of priority desa) ≥ φ · (all lifted households), and
   optionally at least min(m, its households) in each priority desa.

**Lifting rule.** A job in wage band j counts as paying the band's lower edge; a household needs
band r_g (its required wage Rₕ, :mod:`tuntas.planning.pathways`, rounded up to a band edge), so every
counted lift is real at the job's actual wage. A group's reach is its members' largest reach rounded
*down* to a reach band. Both roundings are conservative. Bands that make no difference in a desa are
merged before the classes are formed (``lift_band``, exact).

**Solution method.** (1) The LP relaxation is solved by interior point with crossover, with the
reach arcs y generated as columns: arcs up to 2 km first, then every arc whose reduced cost
1 − π_chain − π_ladder (…) is positive, until none is — so its value is the optimum of the full
relaxation. (2) The MIP is then solved over the integer columns the relaxation uses (the others
fixed at 0). The reported gap is (LP bound − integer value) / LP bound: a certificate that no
integer plan lifts more than (1 + gap) × the plan's households. ``restrict_to_support=False``
solves the full MIP (small instances).

**Monotonicity.** Raising a budget only relaxes constraint 6, so the LP bound never falls when a
budget grows, and neither does the optimum of the MIP; the integer plan found is within the reported
gap of both (the tests check that doubling a budget never lowers the households lifted).

**Marginal values.** The dual value of each budget row of the LP relaxation is the number of
additional households lifted per additional rupiah, reported per Rp 1 miliar ("Rp 1 miliar more KUR
subsidy lifts about N more families"). It is the relaxation's marginal value, valid for small
changes; the integer plan moves in steps.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
import polars as pl
import scipy.sparse as sp
from numpy.typing import NDArray

from tuntas.planning.effects import WAGE_BAND_EDGES
from tuntas.planning.geography import DesaDistances
from tuntas.planning.instruments import BudgetLine

MONEY_SCALE = 1e6
"""Money enters the model in Rp juta (better conditioned); duals are converted back."""

MIARD = 1e9
"""Rp 1 miliar, the unit of reported marginal values."""

SELF_EMPLOYMENT = "self_employment"

EPSILON_TOTAL = 1e-3
"""Upper bound of the tie-break term (jobs) in the objective: it never outweighs 0.001 lifts."""
"""Instrument name used for the cost items of self-employment awards."""


@dataclass(frozen=True)
class AllocationInput:
    """Aggregated inputs of the allocation model (see the module docstring for the notation).

    ``options``: class_id, instrument, channel, jobs (expected jobs per enterprise).
    ``classes``: class_id, desa, wage_band, count.
    ``option_costs``: class_id, instrument, item, amount (Rp per enterprise).
    ``items``: (instrument, item) → budget lines that may pay it.
    ``groups``: group_id, desa, r_band, radius_km, households, se_awardable, priority.
    ``se_costs``: item → Rp per award (paid from ``items[("self_employment", item)]``).
    """

    classes: pl.DataFrame
    options: pl.DataFrame
    option_costs: pl.DataFrame
    items: Mapping[tuple[str, str], tuple[str, ...]]
    groups: pl.DataFrame
    distances: DesaDistances
    lines: Mapping[str, BudgetLine]
    budgets: Mapping[str, float]
    hire_share: float
    se_costs: Mapping[str, float] = field(default_factory=dict)
    priority_min_share: float = 0.0
    min_lifted_per_priority_desa: int = 0


@dataclass(frozen=True)
class AllocationResult:
    """Solution of the allocation model."""

    counts: pl.DataFrame
    """class_id, instrument, count (enterprises of the class given the instrument)."""
    openings: pl.DataFrame
    """desa, wage_band, jobs_expected, openings_for_targets (h·J, not rounded), slots (S_bj)."""
    lifts: pl.DataFrame
    """home_desa, r_band, job_desa, households (y > 0): expected lifts by home and job desa."""
    awards: pl.DataFrame
    """group_id, awards (z_g)."""
    funding: pl.DataFrame
    """instrument, item, line, amount (Rp)."""
    budgets: pl.DataFrame
    """key, kind (line/source), source, limit (Rp, null = unlimited), used (Rp), marginal_per_miliar."""
    objective: float
    bound: float
    """Optimal value of the LP relaxation: no integer plan lifts more (the gap is measured to it)."""
    households_lifted: float
    jobs_expected: float
    status: str
    mip_gap: float
    """(LP bound − integer value) / LP bound: certified distance to the best possible plan."""
    highs_gap: float
    """HiGHS's own relative gap of the (restricted) MIP it solved."""
    sizes: dict[str, int]
    seconds: dict[str, float]


class _Model:
    """Columns and rows collected in triplets, then passed to HiGHS in one go."""

    def __init__(self) -> None:
        self.cost: list[NDArray[np.float64]] = []
        self.lower: list[NDArray[np.float64]] = []
        self.upper: list[NDArray[np.float64]] = []
        self.integer: list[NDArray[np.bool_]] = []
        self.n_cols = 0
        self.rows_i: list[NDArray[np.int64]] = []
        self.rows_j: list[NDArray[np.int64]] = []
        self.rows_v: list[NDArray[np.float64]] = []
        self.row_lower: list[float] = []
        self.row_upper: list[float] = []

    def cols(
        self,
        n: int,
        *,
        lower: Any = 0.0,
        upper: Any = np.inf,
        cost: Any = 0.0,
        integer: bool = False,
    ) -> NDArray[np.int64]:
        idx = np.arange(self.n_cols, self.n_cols + n, dtype=np.int64)
        self.n_cols += n
        self.cost.append(np.broadcast_to(np.asarray(cost, dtype=np.float64), (n,)).copy())
        self.lower.append(np.broadcast_to(np.asarray(lower, dtype=np.float64), (n,)).copy())
        self.upper.append(np.broadcast_to(np.asarray(upper, dtype=np.float64), (n,)).copy())
        self.integer.append(np.full(n, integer))
        return idx

    def rows(self, n: int, *, lower: Any = -np.inf, upper: Any = np.inf) -> NDArray[np.int64]:
        start = len(self.row_lower)
        self.row_lower.extend(np.broadcast_to(np.asarray(lower, dtype=np.float64), (n,)).tolist())
        self.row_upper.extend(np.broadcast_to(np.asarray(upper, dtype=np.float64), (n,)).tolist())
        return np.arange(start, start + n, dtype=np.int64)

    def entries(self, rows: Any, cols: Any, values: Any) -> None:
        r = np.asarray(rows, dtype=np.int64).ravel()
        c = np.asarray(cols, dtype=np.int64).ravel()
        v = np.broadcast_to(np.asarray(values, dtype=np.float64), r.shape).ravel()
        self.rows_i.append(r)
        self.rows_j.append(c)
        self.rows_v.append(v.copy())

    def lp(self, *, integral: bool) -> highspy.HighsLp:
        lp = highspy.HighsLp()
        n_rows = len(self.row_lower)
        lp.num_col_ = self.n_cols
        lp.num_row_ = n_rows
        lp.col_cost_ = np.concatenate(self.cost) if self.cost else np.zeros(0)
        lp.col_lower_ = np.concatenate(self.lower) if self.lower else np.zeros(0)
        lp.col_upper_ = np.concatenate(self.upper) if self.upper else np.zeros(0)
        lp.row_lower_ = np.array(self.row_lower, dtype=np.float64)
        lp.row_upper_ = np.array(self.row_upper, dtype=np.float64)
        i = np.concatenate(self.rows_i) if self.rows_i else np.zeros(0, dtype=np.int64)
        j = np.concatenate(self.rows_j) if self.rows_j else np.zeros(0, dtype=np.int64)
        v = np.concatenate(self.rows_v) if self.rows_v else np.zeros(0)
        matrix = sp.csc_matrix((v, (i, j)), shape=(n_rows, self.n_cols))
        matrix.sum_duplicates()
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
        lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
        lp.a_matrix_.value_ = matrix.data
        lp.a_matrix_.num_col_ = self.n_cols
        lp.a_matrix_.num_row_ = n_rows
        lp.sense_ = highspy.ObjSense.kMaximize
        if integral:
            flags = np.concatenate(self.integer) if self.integer else np.zeros(0, dtype=bool)
            lp.integrality_ = [
                highspy.HighsVarType.kInteger if f else highspy.HighsVarType.kContinuous
                for f in flags
            ]
        return lp

    @property
    def nnz(self) -> int:
        return int(sum(len(v) for v in self.rows_v))


def _solver(*, time_limit: float | None = None, gap: float | None = None) -> highspy.Highs:
    h = highspy._Highs()  # type: ignore[attr-defined]  # core class: no banner (stays silent)
    h.setOptionValue("output_flag", False)
    h.setOptionValue("random_seed", 1)
    if time_limit is not None:
        h.setOptionValue("time_limit", float(time_limit))
    if gap is not None:
        h.setOptionValue("mip_rel_gap", float(gap))
        h.setOptionValue("mip_abs_gap", EPSILON_TOTAL)
    return h


def _budget_limits(
    lines: Mapping[str, BudgetLine], budgets: Mapping[str, float]
) -> tuple[dict[str, float], dict[str, float]]:
    """Line limits (Rp; inf = none) and source limits for the keys given."""
    sources = {line.source for line in lines.values()}
    unknown = sorted(set(budgets) - set(lines) - sources)
    if unknown:
        raise ValueError(
            f"unknown budget keys {unknown}; budget lines: {sorted(lines)}, sources: {sorted(sources)}"
        )
    for key, amount in budgets.items():
        if not np.isfinite(amount) or amount < 0:
            raise ValueError(f"budget {key} must be a finite amount ≥ 0, not {amount!r}")
    line_limit: dict[str, float] = {}
    for name, line in lines.items():
        if name in budgets:
            line_limit[name] = float(budgets[name])
        elif line.quota and line.default_limit is not None:
            line_limit[name] = float(line.default_limit)
        elif line.quota or line.source in budgets:
            line_limit[name] = np.inf
        else:
            line_limit[name] = 0.0
    source_limit = {s: float(budgets[s]) for s in sources if s in budgets and s not in lines}
    return line_limit, source_limit


INITIAL_REACH_KM = 2.0
"""Reach arcs up to this distance start the column generation; the rest join when they pay."""

LP_TIME_LIMIT_S = 120.0
"""The LP relaxation always gets at least this long (its bound and duals are needed)."""


@dataclass(frozen=True)
class _ReachColumns:
    """Coefficients of every candidate reach arc y (column generation adds them as they pay)."""

    chain: NDArray[np.int64]
    ladder: NDArray[np.int64]
    extra_rows: list[NDArray[np.int64]]
    extra_vals: list[NDArray[np.float64]]
    min_row: NDArray[np.int64]

    def reduced_costs(self, row_dual: NDArray[np.float64]) -> NDArray[np.float64]:
        """c − aᵀπ for every candidate (cost 1 each); positive = improves the maximum."""
        rc = 1.0 - row_dual[self.chain] - row_dual[self.ladder]
        for rows, vals in zip(self.extra_rows, self.extra_vals, strict=True):
            rc -= vals * row_dual[rows]
        has_min = self.min_row >= 0
        rc[has_min] -= row_dual[self.min_row[has_min]]
        return rc

    def add(self, m: _Model, chosen: NDArray[np.int64], cols: NDArray[np.int64]) -> tuple[Any, ...]:
        """Add ``chosen`` candidates to the model; returns the CSC pieces for HiGHS ``addCols``."""
        new = m.cols(chosen.size, cost=1.0)
        cols[chosen] = new
        rows = [self.chain[chosen], self.ladder[chosen]]
        vals = [np.ones(chosen.size), np.ones(chosen.size)]
        for r, v in zip(self.extra_rows, self.extra_vals, strict=True):
            rows.append(r[chosen])
            vals.append(v[chosen])
        has_min = self.min_row[chosen] >= 0
        cidx = [np.arange(chosen.size)] * len(rows)
        if has_min.any():
            rows.append(self.min_row[chosen][has_min])
            vals.append(np.ones(int(has_min.sum())))
            cidx.append(np.flatnonzero(has_min))
        r_all = np.concatenate(rows)
        v_all = np.concatenate(vals)
        c_all = np.concatenate(cidx)
        m.entries(r_all, new[c_all], v_all)
        mat = sp.csc_matrix((v_all, (r_all, c_all)), shape=(len(m.row_lower), chosen.size))
        mat.sum_duplicates()
        return (
            chosen.size,
            np.ones(chosen.size),
            np.zeros(chosen.size),
            np.full(chosen.size, np.inf),
            int(mat.nnz),
            mat.indptr[:-1].astype(np.int32),
            mat.indices.astype(np.int32),
            mat.data,
        )


def _column_generation(
    m: _Model,
    reach: _ReachColumns,
    initial: NDArray[np.int64],
    cols: NDArray[np.int64],
    *,
    time_limit_s: float,
    batch: int = 50_000,
) -> tuple[float, NDArray[np.float64], NDArray[np.float64], int]:
    """LP relaxation with the reach arcs added while any has a positive reduced cost.

    Returns the optimal value, the column values and row duals (of the final model, whose columns
    are ``m``'s), and the number of pricing rounds. At the end no candidate has a positive reduced
    cost, so the value is the optimum of the full relaxation.
    """
    reach.add(m, initial, cols)
    started = time.perf_counter()
    h = _solver(time_limit=time_limit_s)
    h.setOptionValue("solver", "ipm")
    h.passModel(m.lp(integral=False))
    h.run()
    rounds = 0
    while True:
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return float("inf"), np.zeros(0), np.zeros(0), rounds
        sol = h.getSolution()
        row_dual = np.array(sol.row_dual)
        rc = reach.reduced_costs(row_dual)
        rc[cols >= 0] = -np.inf
        attractive = np.flatnonzero(rc > 1e-7)
        if attractive.size == 0:
            return (
                float(h.getInfo().objective_function_value),
                np.array(sol.col_value),
                row_dual,
                rounds,
            )
        if attractive.size > batch:
            attractive = attractive[np.argsort(-rc[attractive])[:batch]]
        rounds += 1
        h.addCols(*reach.add(m, np.sort(attractive), cols))
        h.setOptionValue("solver", "simplex")
        h.setOptionValue("time_limit", max(1.0, time_limit_s - (time.perf_counter() - started)))
        h.run()


def _solve_lp(
    m: _Model, time_limit_s: float
) -> tuple[float, NDArray[np.float64], NDArray[np.float64]]:
    """The LP relaxation by interior point with crossover (simplex if that fails)."""
    for solver in ("ipm", "simplex"):
        h = _solver(time_limit=time_limit_s)
        h.setOptionValue("solver", solver)
        h.passModel(m.lp(integral=False))
        h.run()
        if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
            sol = h.getSolution()
            return (
                float(h.getInfo().objective_function_value),
                np.array(sol.col_value),
                np.array(sol.row_dual),
            )
    return float("inf"), np.zeros(0), np.zeros(0)


def solve_allocation(
    data: AllocationInput,
    *,
    mip_gap: float = 1e-4,
    time_limit_s: float = 30.0,
    restrict_to_support: bool = True,
) -> AllocationResult:
    """Build and solve the allocation MIP and its LP relaxation (for the budget duals).

    Parameters
    ----------
    data : AllocationInput
        Aggregated classes, options, groups, distances, budget lines and budgets.
    mip_gap : float, keyword-only
        Relative MIP gap at which HiGHS may stop.
    time_limit_s : float, keyword-only
        Wall-clock limit of the MIP; the LP relaxation has the same limit.
    restrict_to_support : bool, keyword-only
        Solve the MIP only over the integer columns the LP relaxation uses (default; fast at
        regency scale). False solves the full MIP (small instances, tests).

    Returns
    -------
    AllocationResult
    """
    t0 = time.perf_counter()
    m = _Model()
    classes = data.classes.sort("class_id")
    options = data.options.join(classes, on="class_id", how="inner").sort("class_id", "instrument")
    n_options = options.height
    count = options["count"].to_numpy().astype(np.float64)
    jobs = options["jobs"].to_numpy().astype(np.float64)
    eps = EPSILON_TOTAL / (1.0 + float((count * np.maximum(jobs, 0)).sum()))
    x = m.cols(n_options, upper=count, cost=eps * jobs, integer=True)

    # 1. channel rows (only where a class has two or more instruments of the same channel)
    ch = (
        options.with_row_index("col")
        .group_by("class_id", "channel")
        .agg(pl.col("col").sort(), pl.col("count").first())
        .sort("class_id", "channel")
        .filter(pl.col("col").list.len() > 1)
    )
    if ch.height:
        r = m.rows(ch.height, upper=ch["count"].to_numpy().astype(np.float64))
        lens = ch["col"].list.len().to_numpy()
        m.entries(np.repeat(r, lens), x[ch["col"].explode().to_numpy()], 1.0)

    # 2.-3. wage ladder per desa: target openings of band j (h Σ J x) and those passed down
    pools = options.select("desa", "wage_band").unique().sort("desa", "wage_band")
    pool_key = {(d, int(j)): p for p, (d, j) in enumerate(pools.iter_rows())}
    pool_of_option = np.array(
        [pool_key[(d, int(j))] for d, j in options.select("desa", "wage_band").iter_rows()],
        dtype=np.int64,
    )
    max_band = pools.group_by("desa").agg(pl.col("wage_band").max()).sort("desa")
    ladder: dict[tuple[str, int], int] = {}
    t_col: dict[tuple[str, int], int] = {}
    desa_names = max_band["desa"].to_list()
    top = dict(zip(desa_names, max_band["wage_band"].to_list(), strict=True))
    n_ladder = int(sum(b + 1 for b in top.values()))
    r_ladder = m.rows(n_ladder, upper=0.0)
    n_t = int(sum(top.values()))
    t = m.cols(n_t)
    ri = ti = 0
    for d in desa_names:
        for j in range(top[d] + 1):
            ladder[(d, j)] = int(r_ladder[ri])
            ri += 1
        for j in range(1, top[d] + 1):
            t_col[(d, j)] = int(t[ti])
            ti += 1
    pool_row = np.array([ladder[(d, int(j))] for d, j in pools.iter_rows()], dtype=np.int64)
    m.entries(pool_row[pool_of_option], x, -data.hire_share * jobs)
    lad_rows, lad_cols, lad_vals = [], [], []
    for (d, j), lrow in ladder.items():
        if j >= 1:
            lad_rows.append(lrow)
            lad_cols.append(t_col[(d, j)])
            lad_vals.append(1.0)
        if j + 1 <= top[d]:
            lad_rows.append(lrow)
            lad_cols.append(t_col[(d, j + 1)])
            lad_vals.append(-1.0)
    m.entries(lad_rows, lad_cols, lad_vals)

    # 4. households: groups g feed a reach chain per (home desa a, required band r); the chain's
    #    level k sends y to the job desa in the ring (R_{k-1}, R_k] around a (commuting limit)
    groups = data.groups.sort("group_id")
    n_g = groups.height
    g_rows = m.rows(n_g, upper=groups["households"].to_numpy().astype(np.float64))
    u = m.cols(n_g)
    m.entries(g_rows, u, 1.0)
    dist = data.distances
    job_desa = np.array(desa_names, dtype=object)
    job_idx = dist.index(desa_names) if desa_names else np.zeros(0, dtype=np.int64)
    job_top = np.array([top[d] for d in desa_names], dtype=np.int64)
    g_desa = groups["desa"].to_numpy()
    r_band = groups["r_band"].to_numpy().astype(np.int64)
    radius = groups["radius_km"].to_numpy().astype(np.float64)
    home_parts: list[NDArray[np.object_]] = []
    band_parts: list[NDArray[np.int64]] = []
    job_parts: list[NDArray[np.int64]] = []
    chain_parts: list[NDArray[np.int64]] = []
    dist_parts: list[NDArray[np.float64]] = []
    liftable = r_band < len(WAGE_BAND_EDGES)
    chain_keys = sorted({(str(g_desa[i]), int(r_band[i])) for i in np.flatnonzero(liftable)})
    homes = sorted({a for a, _ in chain_keys})
    home_row = dict(zip(homes, dist.index(homes).tolist(), strict=True)) if homes else {}
    for a, rb in chain_keys:
        members_g = np.flatnonzero((g_desa == a) & (r_band == rb))
        radii = np.unique(radius[members_g])
        rows_k = m.rows(radii.size, upper=0.0)
        level = np.searchsorted(radii, radius[members_g])
        m.entries(rows_k[level], u[members_g], -1.0)
        if radii.size > 1:
            c = m.cols(radii.size - 1)  # level k -> level k-1
            m.entries(rows_k[1:], c, 1.0)
            m.entries(rows_k[:-1], c, -1.0)
        if not job_idx.size:
            continue
        d_ab = dist.matrix[home_row[a], job_idx]
        ring = np.searchsorted(radii, d_ab - 1e-9, side="left")
        hits = np.flatnonzero((ring < radii.size) & (job_top >= rb))
        home_parts.append(np.full(hits.size, a, dtype=object))
        band_parts.append(np.full(hits.size, rb, dtype=np.int64))
        job_parts.append(hits.astype(np.int64))
        chain_parts.append(rows_k[ring[hits]])
        dist_parts.append(d_ab[hits])
    y_home_arr = np.concatenate(home_parts) if home_parts else np.zeros(0, dtype=object)
    y_band_arr = np.concatenate(band_parts) if band_parts else np.zeros(0, dtype=np.int64)
    y_job_arr = np.concatenate(job_parts) if job_parts else np.zeros(0, dtype=np.int64)
    y_chain = np.concatenate(chain_parts) if chain_parts else np.zeros(0, dtype=np.int64)
    y_dist = np.concatenate(dist_parts) if dist_parts else np.zeros(0)
    y_ladder = np.array(
        [ladder[(job_desa[b], int(r))] for b, r in zip(y_job_arr, y_band_arr, strict=True)],
        dtype=np.int64,
    )
    y_home = y_home_arr.tolist()
    se_cap = groups["se_awardable"].to_numpy().astype(np.float64)
    z_groups = np.flatnonzero(se_cap > 0)
    z = m.cols(z_groups.size, upper=se_cap[z_groups], cost=1.0, integer=True)
    m.entries(g_rows[z_groups], z, 1.0)

    # 5. funding rows per cost item, 6. budget rows
    line_limit, source_limit = _budget_limits(data.lines, data.budgets)
    costs = data.option_costs.join(
        options.with_row_index("col").select("class_id", "instrument", "col"),
        on=["class_id", "instrument"],
        how="inner",
    ).filter(pl.col("amount").is_not_null() & (pl.col("amount") != 0))
    item_keys = sorted(
        {(i, q) for i, q in costs.select("instrument", "item").unique().iter_rows()}
        | ({(SELF_EMPLOYMENT, q) for q in data.se_costs} if z_groups.size else set())
    )
    f_cols: list[tuple[str, str, str, int]] = []
    line_cols: dict[str, list[int]] = {name: [] for name in data.lines}
    if item_keys:
        r_items = m.rows(len(item_keys), lower=0.0, upper=0.0)
        item_row = dict(zip(item_keys, r_items.tolist(), strict=True))
        crow = np.array(
            [item_row[(i, q)] for i, q in costs.select("instrument", "item").iter_rows()],
            dtype=np.int64,
        )
        m.entries(crow, x[costs["col"].to_numpy()], costs["amount"].to_numpy() / MONEY_SCALE)
        for q, amount in data.se_costs.items():
            if z_groups.size:
                m.entries(np.full(z.size, item_row[(SELF_EMPLOYMENT, q)]), z, amount / MONEY_SCALE)
        for key in item_keys:
            payers = data.items.get(key)
            if not payers:
                raise ValueError(f"cost item {key} has no budget line")
            cols = m.cols(len(payers))
            m.entries(np.full(len(payers), item_row[key]), cols, -1.0)
            for payer, col in zip(payers, cols.tolist(), strict=True):
                f_cols.append((key[0], key[1], payer, col))
                line_cols[payer].append(col)
    budget_rows: list[tuple[str, str, str, float, int | None, list[int]]] = []
    for name, line in data.lines.items():
        cols_l = line_cols[name]
        limit = line_limit[name]
        row: int | None = None
        if cols_l and (np.isfinite(limit) or not line.quota):
            row = int(m.rows(1, upper=limit / MONEY_SCALE)[0])
            m.entries(np.full(len(cols_l), row), cols_l, 1.0)
        budget_rows.append((name, "line", line.source, limit, row, cols_l))
    for source, limit in source_limit.items():
        members = [
            c
            for n, ln in data.lines.items()
            if ln.source == source and not ln.quota
            for c in line_cols[n]
        ]
        source_row = int(m.rows(1, upper=limit / MONEY_SCALE)[0]) if members else None
        if source_row is not None:
            m.entries(np.full(len(members), source_row), members, 1.0)
        budget_rows.append((source, "source", source, limit, source_row, members))

    # 7. priority desa (lifted households counted by home desa); y columns join by column generation
    priority_desa = set(groups.filter(pl.col("priority"))["desa"].to_list())
    y_pri = np.array([h in priority_desa for h in y_home], dtype=bool)
    z_pri = np.array([g_desa[g] in priority_desa for g in z_groups], dtype=bool)
    extra_rows: list[NDArray[np.int64]] = []
    extra_vals: list[NDArray[np.float64]] = []
    if data.priority_min_share > 0 and priority_desa:
        r_pri = int(m.rows(1, lower=0.0)[0])
        phi = data.priority_min_share
        m.entries(np.full(z.size, r_pri), z, np.where(z_pri, 1.0 - phi, -phi))
        extra_rows.append(np.full(len(y_home), r_pri, dtype=np.int64))
        extra_vals.append(np.where(y_pri, 1.0 - phi, -phi))
    y_min_row = np.full(len(y_home), -1, dtype=np.int64)
    if data.min_lifted_per_priority_desa > 0 and priority_desa:
        pri = sorted(priority_desa)
        cap = dict(
            groups.filter(pl.col("priority"))
            .group_by("desa")
            .agg(pl.col("households").sum())
            .iter_rows()
        )
        r_min = m.rows(
            len(pri),
            lower=np.array(
                [min(float(data.min_lifted_per_priority_desa), float(cap[d])) for d in pri]
            ),
        )
        row_of = dict(zip(pri, r_min.tolist(), strict=True))
        m.entries([row_of[g_desa[g]] for g in z_groups[z_pri]], z[z_pri], 1.0)
        y_min_row = np.array([row_of.get(h, -1) for h in y_home], dtype=np.int64)
    reach = _ReachColumns(
        chain=y_chain,
        ladder=y_ladder,
        extra_rows=extra_rows,
        extra_vals=extra_vals,
        min_row=y_min_row,
    )
    t_build = time.perf_counter() - t0

    # 1) LP relaxation by column generation over the reach arcs y (interior point, then warm
    #    simplex): the bound, the budget duals and the support of the integer columns
    t1 = time.perf_counter()
    initial = np.flatnonzero(y_dist <= INITIAL_REACH_KM + 1e-9)
    y_cols = np.full(len(y_home), -1, dtype=np.int64)
    lp_obj, lp_sol, row_dual, rounds = _column_generation(
        m, reach, initial, y_cols, time_limit_s=max(time_limit_s, LP_TIME_LIMIT_S)
    )
    lp_x = lp_sol[x] if lp_sol.size else np.zeros(0)
    t_lp = time.perf_counter() - t1

    # 2) MIP over the LP's support: integer columns the relaxation leaves at 0 are fixed at 0
    t2 = time.perf_counter()
    integral = m.lp(integral=True)
    upper = np.array(integral.col_upper_, dtype=np.float64)
    if restrict_to_support and lp_x.size:
        unused = lp_x <= 1e-9
        upper[x[unused]] = 0.0
        integral.col_upper_ = upper
    h = _solver(time_limit=time_limit_s, gap=mip_gap)
    h.passModel(integral)
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    sol = np.array(h.getSolution().col_value)
    if sol.size != m.n_cols or info.primal_solution_status == 0:
        raise RuntimeError(f"allocation MIP has no solution: {status}")
    mip_obj = float(info.objective_function_value)
    restricted_gap = float(info.mip_gap) if np.isfinite(info.mip_gap) else 0.0
    gap = (
        max(0.0, (lp_obj - mip_obj) / max(abs(lp_obj), 1e-9))
        if np.isfinite(lp_obj)
        else restricted_gap
    )
    t_mip = time.perf_counter() - t2
    added = np.flatnonzero(y_cols >= 0)
    y = y_cols[added]
    y_job = y_job_arr[added]
    y_band = y_band_arr[added]
    y_home_arr = y_home_arr[added]

    xs = np.round(sol[x]).astype(np.int64)
    counts = (
        options.select("class_id", "instrument")
        .with_columns(count=pl.Series(xs))
        .filter(pl.col("count") > 0)
    )
    jobs_pool = np.zeros(pools.height)
    np.add.at(jobs_pool, pool_of_option, jobs * xs)
    openings = pools.with_columns(
        jobs_expected=pl.Series(jobs_pool),
        openings_for_targets=pl.Series(data.hire_share * jobs_pool),
    )
    yv = sol[y]
    keep = yv > 1e-6
    lifts = pl.DataFrame(
        {
            "home_desa": y_home_arr[keep].astype(str),
            "r_band": y_band[keep],
            "job_desa": job_desa[y_job[keep]].astype(str) if keep.any() else [],
            "households": yv[keep],
        },
        schema={
            "home_desa": pl.Utf8,
            "r_band": pl.Int64,
            "job_desa": pl.Utf8,
            "households": pl.Float64,
        },
    )
    awards = pl.DataFrame(
        {
            "group_id": groups["group_id"].to_numpy()[z_groups],
            "awards": np.round(sol[z]).astype(np.int64),
        }
    ).filter(pl.col("awards") > 0)
    funding = pl.DataFrame(
        {
            "instrument": [a for a, _, _, _ in f_cols],
            "item": [b for _, b, _, _ in f_cols],
            "line": [c for _, _, c, _ in f_cols],
            "amount": [float(sol[col]) * MONEY_SCALE for *_, col in f_cols],
        },
        schema={"instrument": pl.Utf8, "item": pl.Utf8, "line": pl.Utf8, "amount": pl.Float64},
    ).filter(pl.col("amount") > 0.5)
    budget_table = pl.DataFrame(
        {
            "key": [b[0] for b in budget_rows],
            "kind": [b[1] for b in budget_rows],
            "source": [b[2] for b in budget_rows],
            "limit": [b[3] if np.isfinite(b[3]) else None for b in budget_rows],
            "used": [float(sol[b[5]].sum()) * MONEY_SCALE if b[5] else 0.0 for b in budget_rows],
            "marginal_per_miliar": [
                abs(float(row_dual[b[4]])) * MIARD / MONEY_SCALE
                if b[4] is not None and row_dual.size
                else 0.0
                for b in budget_rows
            ],
        },
        schema={
            "key": pl.Utf8,
            "kind": pl.Utf8,
            "source": pl.Utf8,
            "limit": pl.Float64,
            "used": pl.Float64,
            "marginal_per_miliar": pl.Float64,
        },
    )
    lifted = float(yv.sum() + sol[z].sum())
    n_int = int(n_options + z.size)
    return AllocationResult(
        counts=counts,
        openings=openings,
        lifts=lifts,
        awards=awards,
        funding=funding,
        budgets=budget_table,
        objective=mip_obj,
        bound=lp_obj,
        households_lifted=lifted,
        jobs_expected=float(jobs_pool.sum()),
        status=status,
        mip_gap=gap,
        highs_gap=restricted_gap,
        sizes={
            "variables": m.n_cols,
            "integer_variables": n_int,
            "constraints": len(m.row_lower),
            "nonzeros": m.nnz,
            "classes": classes.height,
            "options": n_options,
            "groups": groups.height,
            "reach_arcs": len(y_home),
            "reach_arcs_generated": int(y.size),
            "column_generation_rounds": rounds,
        },
        seconds={"build": t_build, "mip": t_mip, "lp": t_lp},
    )


def budget_keys(lines: Mapping[str, BudgetLine]) -> list[str]:
    """Every key a budget may be given for: line names and funding sources of non-quota lines."""
    return sorted(set(lines) | {ln.source for ln in lines.values()})


def describe_budget(amount: float) -> str:
    """``Rp 5.0 miliar`` style text for reports.

    >>> describe_budget(5e9), describe_budget(2.5e8)
    ('Rp 5.0 miliar', 'Rp 250.0 juta')
    """
    if amount >= MIARD:
        return f"Rp {amount / MIARD:.1f} miliar"
    return f"Rp {amount / 1e6:.1f} juta"
