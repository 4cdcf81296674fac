"""The allocation MIP: budgets, channels, commuting, priority desa, duals, monotonicity."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from tuntas.planning.allocation import AllocationInput, AllocationResult, solve_allocation
from tuntas.planning.geography import DesaDistances
from tuntas.planning.instruments import BudgetLine

LINES = {
    "kur_subsidy": BudgetLine("kur_subsidy", "APBN", False),
    "training": BudgetLine("training", "APBD", False),
    "csr": BudgetLine("csr", "CSR", False),
    "kur_quota": BudgetLine("kur_quota", "KUR_BANK", True),
}
ITEMS = {
    ("kur", "subsidy"): ("kur_subsidy",),
    ("kur", "principal"): ("kur_quota",),
    ("kur", "facilitation"): ("training", "csr"),
    ("course", "training"): ("training", "csr"),
    ("nib", "facilitation"): ("training",),
    ("self_employment", "training"): ("training", "csr"),
}
DESA = DesaDistances.from_points(["A", "B", "C"], [-7.70, -7.70, -7.745], [110.60, 110.645, 110.60])


def instance(
    *,
    budgets: dict[str, float],
    classes: list[tuple[int, str, int, int]],
    options: list[tuple[int, str, str, float, dict[str, float]]],
    groups: list[tuple[int, str, int, float, int, int, bool]],
    se_cost: float = 3e6,
    hire: float = 0.5,
    priority_share: float = 0.0,
) -> AllocationInput:
    return AllocationInput(
        classes=pl.DataFrame(
            classes, schema=["class_id", "desa", "wage_band", "count"], orient="row"
        ),
        options=pl.DataFrame(
            [(c, i, ch, j) for c, i, ch, j, _ in options],
            schema=["class_id", "instrument", "channel", "jobs"],
            orient="row",
        ),
        option_costs=pl.DataFrame(
            [
                (c, i, item, amount)
                for c, i, _, _, costs in options
                for item, amount in costs.items()
            ],
            schema={
                "class_id": pl.Int64,
                "instrument": pl.Utf8,
                "item": pl.Utf8,
                "amount": pl.Float64,
            },
            orient="row",
        ),
        items=ITEMS,
        groups=pl.DataFrame(
            groups,
            schema=[
                "group_id",
                "desa",
                "r_band",
                "radius_km",
                "households",
                "se_awardable",
                "priority",
            ],
            orient="row",
        ),
        distances=DESA,
        lines=LINES,
        budgets=budgets,
        hire_share=hire,
        se_costs={"training": se_cost},
        priority_min_share=priority_share,
    )


KUR = {"subsidy": 10e6, "principal": 50e6, "facilitation": 0.1e6}


def test_hand_example_budget_limits_the_loans() -> None:
    # 10 enterprises in A (band 4); a loan costs Rp 10 juta subsidy and creates 1 job, half for the
    # target list; 3 households in A need band 2. Rp 40 juta → 4 loans → 2 openings → 2 lifted.
    data = instance(
        budgets={"kur_subsidy": 40e6, "training": 1e6},
        classes=[(0, "A", 4, 10)],
        options=[(0, "kur", "financing", 1.0, KUR)],
        groups=[(0, "A", 2, 5.0, 3, 0, False)],
    )
    r = solve_allocation(data, restrict_to_support=False)
    assert r.counts.rows() == [(0, "kur", 4)]
    assert r.households_lifted == pytest.approx(2.0)
    used = dict(r.budgets.select("key", "used").iter_rows())
    assert used["kur_subsidy"] == pytest.approx(40e6)
    assert used["kur_quota"] == pytest.approx(200e6)
    assert used["training"] == pytest.approx(0.4e6)
    assert r.mip_gap == pytest.approx(0.0, abs=1e-9)


def test_one_instrument_per_channel_per_enterprise() -> None:
    # two financing instruments for the same 3 enterprises: at most 3 in total
    cheap = {"subsidy": 1e6, "principal": 5e6, "facilitation": 0.1e6}
    data = instance(
        budgets={"kur_subsidy": 1e9, "training": 1e9},
        classes=[(0, "A", 4, 3)],
        options=[(0, "kur", "financing", 1.0, KUR), (0, "kur2", "financing", 1.0, cheap)],
        groups=[(0, "A", 1, 5.0, 50, 0, False)],
    )
    items = {
        **ITEMS,
        ("kur2", "subsidy"): ("kur_subsidy",),
        ("kur2", "principal"): ("kur_quota",),
        ("kur2", "facilitation"): ("training",),
    }
    data = AllocationInput(**{**data.__dict__, "items": items})
    r = solve_allocation(data, restrict_to_support=False)
    assert int(r.counts["count"].sum()) == 3


def test_commuting_limit_and_wage_band() -> None:
    # jobs only in B (5 km from A); households in A reach 2 km → nobody lifted; households in B
    # need band 5 but the jobs pay band 3 → nobody lifted either
    data = instance(
        budgets={"kur_subsidy": 1e9, "training": 1e9},
        classes=[(0, "B", 3, 10)],
        options=[(0, "kur", "financing", 1.0, KUR)],
        groups=[(0, "A", 1, 2.0, 5, 0, False), (1, "B", 5, 2.0, 5, 0, False)],
    )
    r = solve_allocation(data, restrict_to_support=False)
    assert r.households_lifted == pytest.approx(0.0)
    # with a wider reach the households of A are lifted by the jobs in B
    wide = instance(
        budgets={"kur_subsidy": 1e9, "training": 1e9},
        classes=[(0, "B", 3, 10)],
        options=[(0, "kur", "financing", 1.0, KUR)],
        groups=[(0, "A", 1, 6.0, 5, 0, False)],
    )
    r = solve_allocation(wide, restrict_to_support=False)
    assert r.households_lifted == pytest.approx(5.0)
    assert set(r.lifts["job_desa"].to_list()) == {"B"}


def test_self_employment_awards_use_their_budget() -> None:
    data = instance(
        budgets={"training": 7e6},
        classes=[(0, "A", 4, 10)],
        options=[(0, "kur", "financing", 1.0, KUR)],
        groups=[(0, "A", 2, 5.0, 4, 4, False)],
        se_cost=3e6,
    )
    r = solve_allocation(data, restrict_to_support=False)
    assert int(r.awards["awards"].sum()) == 2
    assert r.households_lifted == pytest.approx(2.0)


def test_priority_desa_share() -> None:
    # jobs in A and C; priority households in C are lifted first up to the share
    data = instance(
        budgets={"kur_subsidy": 60e6, "training": 1e9},
        classes=[(0, "A", 4, 10), (1, "C", 4, 10)],
        options=[
            (0, "kur", "financing", 1.0, KUR),
            (1, "kur", "financing", 1.0, {**KUR, "subsidy": 20e6}),
        ],
        groups=[(0, "A", 1, 1.0, 10, 0, False), (1, "C", 1, 1.0, 10, 0, True)],
        priority_share=0.5,
    )
    r = solve_allocation(data, restrict_to_support=False)
    by_home = dict(r.lifts.group_by("home_desa").agg(pl.col("households").sum()).iter_rows())
    total = sum(by_home.values())
    assert by_home.get("C", 0.0) >= 0.5 * total - 1e-6
    free = solve_allocation(
        AllocationInput(**{**data.__dict__, "priority_min_share": 0.0}), restrict_to_support=False
    )
    assert free.households_lifted >= r.households_lifted - 1e-9


def test_unknown_budget_key() -> None:
    data = instance(
        budgets={"kur_subsidi": 1.0},
        classes=[(0, "A", 4, 1)],
        options=[(0, "kur", "financing", 1.0, KUR)],
        groups=[(0, "A", 1, 1.0, 1, 0, False)],
    )
    with pytest.raises(ValueError, match="unknown budget keys"):
        solve_allocation(data)


def random_instance(rng: np.random.Generator, budgets: dict[str, float]) -> AllocationInput:
    classes, options, groups = [], [], []
    for k in range(int(rng.integers(2, 6))):
        desa = str(rng.choice(["A", "B", "C"]))
        classes.append((k, desa, int(rng.integers(1, 6)), int(rng.integers(1, 8))))
        options.append(
            (
                k,
                "kur",
                "financing",
                float(rng.choice([0.3, 0.5, 1.0])),
                {
                    "subsidy": float(rng.integers(3, 12)) * 1e6,
                    "principal": 40e6,
                    "facilitation": 1e5,
                },
            )
        )
        if rng.random() < 0.6:
            options.append(
                (
                    k,
                    "course",
                    "capability",
                    float(rng.choice([0.1, 0.2])),
                    {"training": float(rng.integers(1, 4)) * 1e6},
                )
            )
    for g in range(int(rng.integers(1, 5))):
        n = int(rng.integers(1, 6))
        groups.append(
            (
                g,
                str(rng.choice(["A", "B", "C"])),
                int(rng.integers(0, 6)),
                float(rng.choice([1.0, 6.0])),
                n,
                int(rng.integers(0, n + 1)),
                bool(rng.random() < 0.3),
            )
        )
    return instance(budgets=budgets, classes=classes, options=options, groups=groups, se_cost=4e6)


@pytest.mark.parametrize("seed", range(25))
def test_doubling_a_budget_never_lowers_households_lifted(seed: int) -> None:
    rng = np.random.default_rng(seed)
    base = {
        "kur_subsidy": float(rng.integers(5, 60)) * 1e6,
        "training": float(rng.integers(1, 20)) * 1e6,
    }
    data = random_instance(rng, base)
    results: dict[str, AllocationResult] = {
        "base": solve_allocation(data, restrict_to_support=False)
    }
    for key, amount in base.items():
        doubled = AllocationInput(**{**data.__dict__, "budgets": {**base, key: 2 * amount}})
        results[key] = solve_allocation(doubled, restrict_to_support=False)
    for key in base:
        assert results[key].status == "Optimal"
        assert results[key].households_lifted >= results["base"].households_lifted - 1e-6
        assert results[key].bound >= results["base"].bound - 1e-6
    for r in results.values():
        over = r.budgets.filter(
            pl.col("limit").is_not_null() & (pl.col("used") > pl.col("limit") + 1.0)
        )
        assert over.is_empty()
        assert r.households_lifted <= r.bound + 1e-6


@pytest.mark.parametrize("seed", range(10))
def test_budget_duals_bound_the_change_of_the_relaxation(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    base = {
        "kur_subsidy": float(rng.integers(5, 60)) * 1e6,
        "training": float(rng.integers(1, 20)) * 1e6,
    }
    data = random_instance(rng, base)
    r = solve_allocation(data)
    for key, amount in base.items():
        dual = float(r.budgets.filter(pl.col("key") == key)["marginal_per_miliar"][0]) / 1e9
        delta = 0.01 * amount
        up = solve_allocation(
            AllocationInput(**{**data.__dict__, "budgets": {**base, key: amount + delta}})
        )
        down = solve_allocation(
            AllocationInput(**{**data.__dict__, "budgets": {**base, key: amount - delta}})
        )
        # concavity of the LP value in the budget: the dual is a supergradient
        assert up.bound - r.bound <= dual * delta + 1e-6
        assert r.bound - down.bound >= dual * delta - 1e-6


@pytest.mark.parametrize("seed", range(10))
def test_restricted_mip_is_close_to_the_full_mip(seed: int) -> None:
    rng = np.random.default_rng(200 + seed)
    data = random_instance(rng, {"kur_subsidy": 30e6, "training": 8e6})
    full = solve_allocation(data, restrict_to_support=False)
    fast = solve_allocation(data)
    assert fast.households_lifted <= full.households_lifted + 1e-6
    assert fast.objective >= (1 - fast.mip_gap) * fast.bound - 1e-6
    assert fast.households_lifted >= fast.bound - fast.mip_gap * fast.bound - 1e-3
    assert full.households_lifted <= fast.bound + 1e-6
