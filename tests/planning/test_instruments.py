"""The instrument catalogue: complete, sourced or marked as assumption, and the KUR subsidy formula."""

from __future__ import annotations

import pytest

from tuntas.params import baseline
from tuntas.planning.instruments import CHANNELS, Range, catalogue, kur_interest_subsidy

ISSUE_INSTRUMENTS = {
    "kur_super_mikro",
    "kur_mikro",
    "kur_kecil",
    "umi",
    "mekaar",
    "lpdb",
    "padi_umkm",
    "promotion",
    "plut_training",
    "lamikro",
    "nib",
    "halal_sehati",
    "pirt",
    "cooperative_formation",
    "cooperative_strengthening",
}


@pytest.fixture(scope="module")
def cat():
    return catalogue(region="33.10", date="2026-01-01")


def test_catalogue_has_every_instrument_of_the_issue(cat) -> None:
    assert set(cat.instruments) == ISSUE_INSTRUMENTS
    assert {i.channel for i in cat.instruments.values()} == set(CHANNELS)


def test_every_instrument_is_complete(cat) -> None:
    for inst in cat.instruments.values():
        assert inst.name and inst.funding_sources, inst.key
        assert inst.costs, f"{inst.key} has no cost to the programme"
        for cost in inst.costs:
            assert cost.lines and all(line in cat.lines for line in cost.lines)
            assert inst.unit_cost(cost.name) >= 0
        for effect in (inst.jobs, inst.turnover_change, inst.months_to_effect, inst.persistence):
            assert effect.low <= effect.central <= effect.high
        assert inst.persistence.low >= 0 and inst.persistence.high <= 1
        # every instrument paid by the programme itself has at least one non-quota line
        assert any(not cat.lines[line].quota for c in inst.costs for line in c.lines), inst.key


def test_values_without_reference_are_assumptions() -> None:
    params = baseline()
    for path in params.paths():
        if not path.startswith(("instruments.", "pathways.")):
            continue
        for value in params.parameter(path).values:
            assert value.reference or value.status == "assumption", path


def test_effect_sizes_are_listed_as_assumptions() -> None:
    assumed = {v.path for v in baseline().assumptions()}
    assert "instruments.kur_mikro.effect.jobs_per_unit" in assumed
    assert "pathways.self_employment.consumption_gain" in assumed


def test_kur_uses_the_kur_parameters(cat) -> None:
    mikro = cat.instruments["kur_mikro"]
    assert mikro.rules["min_business_age_months"] == 6
    assert mikro.rules["max_kur_accesses_other"] == 2
    assert mikro.loan is not None and mikro.loan.subsidy_rate == (10, 9, 8, 7)
    assert cat.instruments["kur_super_mikro"].loan.subsidy_rate == (15,)
    assert cat.instruments["halal_sehati"].unit_cost("fee") == 300_000


def amortised_subsidy(principal: float, rate_percent: float, months: int) -> float:
    """Month-by-month schedule: equal principal repayments, subsidy on the opening balance."""
    balance = principal
    total = 0.0
    repayment = principal / months
    for _ in range(months):
        total += balance * rate_percent / 100 / 12
        balance -= repayment
    return total


@pytest.mark.parametrize(
    ("principal", "rate", "months"), [(44_300_000, 10, 36), (4_000_000, 15, 24), (246e6, 5.5, 48)]
)
def test_kur_subsidy_equals_the_repayment_schedule(
    principal: float, rate: float, months: int
) -> None:
    assert kur_interest_subsidy(principal, rate, months) == pytest.approx(
        amortised_subsidy(principal, rate, months)
    )


def test_kur_subsidy_by_access(cat) -> None:
    mikro = cat.instruments["kur_mikro"]
    first = mikro.unit_cost("interest_subsidy", access=0)
    fourth = mikro.unit_cost("interest_subsidy", access=3)
    assert first == pytest.approx(44_300_000 * 0.10 * 37 / 24)
    assert fourth == pytest.approx(first * 7 / 10)
    assert mikro.unit_cost("interest_subsidy", access=9) == fourth  # capped at the 4th access


def test_range_validation() -> None:
    with pytest.raises(ValueError, match="low ≤ central ≤ high"):
        Range(1.0, 0.5, 2.0)
    assert Range.of(3).central == 3.0
    with pytest.raises(ValueError, match="low, central and high"):
        Range.of({"low": 1}, where="x")


def test_catalogue_frame_is_readable(cat) -> None:
    frame = cat.frame()
    assert frame.height >= len(ISSUE_INSTRUMENTS)
    assert {"instrument", "channel", "cost_rp", "jobs_central", "rules"} <= set(frame.columns)
