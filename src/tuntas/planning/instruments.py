"""The instrument catalogue: KUR, UMi, Mekaar, LPDB, PaDi UMKM, PLUT training, halal, PIRT, cooperatives…

The catalogue is data (``params/data/instruments.yaml``): each instrument has a channel, funding
sources, eligibility rules (:mod:`tuntas.planning.eligibility`), cost items paid from budget lines,
loan terms for financing instruments, and an effect model whose every effect has a low, central and
high value (:class:`Range`). :func:`catalogue` reads it for one region and date.

**Cost to the programme.** A cost item is either a fixed ``amount`` (Rp per enterprise supported) or
a formula:

* ``principal``: the loan itself, paid from a quota line (bank KUR quota, PIP, PNM, LPDB), which is
  financing mobilised, not programme spending;
* ``kur_interest_subsidy``: the interest subsidy the government pays the bank over the tenor,
  :func:`kur_interest_subsidy`.

Examples
--------
>>> cat = catalogue(region="33.10", date="2025-06-30")
>>> cat.instruments["kur_mikro"].channel, cat.instruments["kur_mikro"].jobs.central
('financing', 0.5)
>>> round(cat.instruments["kur_mikro"].unit_cost("interest_subsidy", access=0))
6829583
>>> sorted({i.channel for i in cat.instruments.values()})
['capability', 'cooperative', 'financing', 'legality', 'market']
>>> cat.lines["kur_quota"].quota, cat.lines["training"].source
(True, 'APBD')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl
from numpy.typing import NDArray

from tuntas.params.loader import ParameterSet
from tuntas.planning.parameters import ParameterLookup

CHANNELS = ("financing", "market", "capability", "legality", "cooperative")
"""Channels of support (DESIGN §5); an enterprise gets at most one instrument per channel."""

FORMULAS = ("principal", "kur_interest_subsidy")
"""Cost formulas an instrument's cost item may name instead of a fixed amount."""

ROOT = "instruments"
STRUCTURAL_KEYS = frozenset({"budget_lines", "defaults"})


@dataclass(frozen=True)
class Range:
    """An uncertain effect: low, central and high values (triangular for Monte Carlo draws).

    >>> r = Range(0.1, 0.5, 3.0)
    >>> r.central, r.pick("high")
    (0.5, 3.0)
    >>> draws = r.draw(np.random.default_rng(1), 1000)
    >>> bool((draws >= 0.1).all() and (draws <= 3.0).all())
    True
    """

    low: float
    central: float
    high: float

    def __post_init__(self) -> None:
        if not self.low <= self.central <= self.high:
            raise ValueError(f"need low ≤ central ≤ high, got {self}")

    @classmethod
    def of(cls, raw: Any, *, where: str = "") -> Range:
        """A range from ``{low, central, high}`` or a single number (all three equal)."""
        if isinstance(raw, Mapping):
            try:
                return cls(float(raw["low"]), float(raw["central"]), float(raw["high"]))
            except KeyError as error:
                raise ValueError(f"{where}: a range needs low, central and high") from error
        value = float(raw)
        return cls(value, value, value)

    def pick(self, which: str) -> float:
        """``"low"``, ``"central"`` or ``"high"``."""
        return float(getattr(self, which))

    def draw(self, rng: np.random.Generator, size: int | None = None) -> Any:
        """Triangular draws (mode = central); the central value itself when the range is a point."""
        if self.low == self.high:
            return self.central if size is None else np.full(size, self.central)
        return rng.triangular(self.low, self.central, self.high, size)


@dataclass(frozen=True)
class CostItem:
    """One cost of an instrument: a fixed amount per unit or a formula, and the lines that may pay it."""

    name: str
    lines: tuple[str, ...]
    amount: float | None = None
    formula: str | None = None


@dataclass(frozen=True)
class Loan:
    """Loan terms of a financing instrument (Rp, months, percentage points a year)."""

    principal: float
    tenor_months: int
    subsidy_rate: tuple[float, ...] = ()
    rate: float | None = None

    def subsidy_for_access(self, access: int) -> float:
        """Subsidy rate (points a year) for a borrower with ``access`` earlier KUR loans."""
        if not self.subsidy_rate:
            return 0.0
        return self.subsidy_rate[min(max(access, 0), len(self.subsidy_rate) - 1)]


@dataclass(frozen=True)
class Instrument:
    """One instrument of the catalogue."""

    key: str
    name: str
    channel: str
    funding_sources: tuple[str, ...]
    rules: Mapping[str, Any]
    costs: tuple[CostItem, ...]
    jobs: Range
    turnover_change: Range
    months_to_effect: Range
    persistence: Range
    loan: Loan | None = None
    members_per_cooperative: int | None = None

    def unit_cost(self, item: str, *, access: int = 0) -> float:
        """Cost (Rp) of cost item ``item`` for one enterprise with ``access`` earlier KUR loans."""
        for cost in self.costs:
            if cost.name == item:
                return _item_cost(cost, self.loan, access)
        raise KeyError(f"{self.key} has no cost item {item!r}")

    def cost_by_access(self, item: str, accesses: NDArray[np.int64]) -> NDArray[np.float64]:
        """:meth:`unit_cost` for an array of KUR access counts."""
        return np.array([self.unit_cost(item, access=int(a)) for a in accesses], dtype=np.float64)


@dataclass(frozen=True)
class BudgetLine:
    """A budget line: its funding source and whether it is external money (a quota)."""

    name: str
    source: str
    quota: bool
    default_limit: float | None = None
    """Limit (Rp) used when no budget is given for a quota line (None = unlimited)."""


@dataclass(frozen=True)
class Catalogue:
    """Instruments and budget lines in force for a region at a date."""

    instruments: Mapping[str, Instrument]
    lines: Mapping[str, BudgetLine]
    region: str
    date: dt.date
    lookup: ParameterLookup = field(repr=False, compare=False)

    def channel_of(self, key: str) -> str:
        """The channel of instrument ``key``."""
        return self.instruments[key].channel

    def sources(self) -> dict[str, tuple[str, ...]]:
        """Funding source → budget lines of that source (quota lines excluded)."""
        found: dict[str, list[str]] = {}
        for line in self.lines.values():
            if not line.quota:
                found.setdefault(line.source, []).append(line.name)
        return {source: tuple(names) for source, names in sorted(found.items())}

    def frame(self) -> pl.DataFrame:
        """One row per instrument and cost item: a readable table of the catalogue.

        >>> catalogue(region="33.10", date="2025-06-30").frame().columns[:4]
        ['instrument', 'name', 'channel', 'funding_sources']
        """
        rows = []
        for inst in self.instruments.values():
            for cost in inst.costs:
                rows.append(
                    {
                        "instrument": inst.key,
                        "name": inst.name,
                        "channel": inst.channel,
                        "funding_sources": ", ".join(inst.funding_sources),
                        "cost_item": cost.name,
                        "cost_rp": inst.unit_cost(cost.name),
                        "lines": ", ".join(cost.lines),
                        "jobs_low": inst.jobs.low,
                        "jobs_central": inst.jobs.central,
                        "jobs_high": inst.jobs.high,
                        "months_to_effect": inst.months_to_effect.central,
                        "persistence": inst.persistence.central,
                        "rules": "; ".join(f"{k}={v}" for k, v in inst.rules.items()),
                    }
                )
        return pl.DataFrame(rows)


def kur_interest_subsidy(principal: float, rate_percent: float, tenor_months: int) -> float:
    """Interest subsidy the government pays over a KUR loan's life (Rp).

    S = P · (s/100) · (n + 1) / 24

    with P the principal (Rp), s the subsidy rate (percentage points a year, KMK 317/2023) and n the
    tenor in months. It assumes equal monthly principal repayments: the outstanding balance in month
    m is P·(n − m + 1)/n, the subsidy is paid monthly on it at s/12, and Σₘ P(n − m + 1)/n = P(n + 1)/2
    (the tenor-weighted average outstanding is P(n + 1)/(2n), over n/12 years). An annuity would
    repay principal more slowly and cost somewhat more.

    Examples
    --------
    Average KUR mikro loan 2023 (Rp44.3 juta), first access (10 points), 36 months:

    >>> round(kur_interest_subsidy(44_300_000, 10, 36))
    6829583
    >>> kur_interest_subsidy(1_200, 10, 1)  # one month: 1,200 × 10% / 12
    10.0
    """
    if principal < 0 or rate_percent < 0 or tenor_months < 1:
        raise ValueError("principal and rate must be ≥ 0 and the tenor at least one month")
    return principal * rate_percent / 100.0 * (tenor_months + 1) / 24.0


def _item_cost(cost: CostItem, loan: Loan | None, access: int) -> float:
    if cost.amount is not None:
        return float(cost.amount)
    if loan is None:
        raise ValueError(f"cost item {cost.name} uses formula {cost.formula} but there is no loan")
    if cost.formula == "principal":
        return float(loan.principal)
    if cost.formula == "kur_interest_subsidy":
        return kur_interest_subsidy(
            loan.principal, loan.subsidy_for_access(access), loan.tenor_months
        )
    raise ValueError(f"unknown cost formula {cost.formula!r}; known: {FORMULAS}")


def _children(lookup: ParameterLookup, prefix: str) -> list[str]:
    """Names directly below ``prefix`` in the parameter tree (in file order of first appearance)."""
    names: list[str] = []
    start = prefix + "."
    for path in lookup.params.paths():
        if path.startswith(start):
            head = path[len(start) :].split(".", 1)[0]
            if head not in names:
                names.append(head)
    return names


def _tuple(raw: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        return (raw,)
    return tuple(str(v) for v in raw)


def _instrument(lookup: ParameterLookup, key: str) -> Instrument:
    base = f"{ROOT}.{key}"
    defaults = f"{ROOT}.defaults"

    def effect(name: str) -> Range:
        raw = lookup.first(f"{base}.effect.{name}", f"{defaults}.effect.{name}")
        return Range.of(raw, where=f"{base}.effect.{name}")

    rules = {
        rule: lookup.value(f"{base}.eligibility.{rule}")
        for rule in _children(lookup, f"{base}.eligibility")
        if lookup.has(f"{base}.eligibility.{rule}")
    }
    costs = []
    for item in _children(lookup, f"{base}.cost"):
        where = f"{base}.cost.{item}"
        amount = lookup.value(f"{where}.amount", None)
        formula = lookup.value(f"{where}.formula", None)
        if (amount is None) == (formula is None):
            raise ValueError(f"{where}: give exactly one of amount or formula")
        costs.append(
            CostItem(
                name=item,
                lines=_tuple(lookup.value(f"{where}.lines")),
                amount=None if amount is None else float(amount),
                formula=None if formula is None else str(formula),
            )
        )
    loan = None
    if lookup.has(f"{base}.loan.principal"):
        subsidy = lookup.value(f"{base}.loan.subsidy_rate", ())
        subsidy_rates = (
            tuple(float(v) for v in subsidy)
            if isinstance(subsidy, Sequence) and not isinstance(subsidy, str)
            else (float(subsidy),)
        )
        loan = Loan(
            principal=float(lookup.value(f"{base}.loan.principal")),
            tenor_months=int(lookup.value(f"{base}.loan.tenor_months")),
            subsidy_rate=subsidy_rates,
            rate=lookup.value(f"{base}.loan.rate", None),
        )
    channel = str(lookup.value(f"{base}.channel"))
    if channel not in CHANNELS:
        raise ValueError(f"{base}.channel {channel!r} is not one of {CHANNELS}")
    members = lookup.value(f"{base}.members_per_cooperative", None)
    return Instrument(
        key=key,
        name=str(lookup.value(f"{base}.name")),
        channel=channel,
        funding_sources=_tuple(lookup.value(f"{base}.funding_sources")),
        rules=rules,
        costs=tuple(costs),
        jobs=effect("jobs_per_unit"),
        turnover_change=effect("turnover_change"),
        months_to_effect=effect("months_to_effect"),
        persistence=effect("persistence"),
        loan=loan,
        members_per_cooperative=None if members is None else int(members),
    )


def catalogue(
    params: ParameterSet | None = None,
    *,
    region: str,
    date: dt.date | str | None = None,
    lookup: ParameterLookup | None = None,
) -> Catalogue:
    """The instrument catalogue in force for ``region`` at ``date``.

    Parameters
    ----------
    params : ParameterSet, optional
        Baseline parameters (default) or a reform.
    region, date : keyword-only
        Where and when (today when ``date`` is omitted).
    lookup : ParameterLookup, optional
        Reuse a plan's lookup so that the values read are recorded with the plan's others.

    Returns
    -------
    Catalogue
        Instruments by key and budget lines by name; cost items name only known lines.
    """
    lookup = lookup or ParameterLookup(params, region=region, date=date)
    lines = {}
    for name in _children(lookup, f"{ROOT}.budget_lines"):
        default = lookup.value(f"{ROOT}.budget_lines.{name}.default_limit", None)
        lines[name] = BudgetLine(
            name=name,
            source=str(lookup.value(f"{ROOT}.budget_lines.{name}.source")),
            quota=bool(lookup.value(f"{ROOT}.budget_lines.{name}.quota")),
            default_limit=None if default is None else float(default),
        )
    keys = [k for k in _children(lookup, ROOT) if k not in STRUCTURAL_KEYS]
    instruments = {key: _instrument(lookup, key) for key in keys}
    for inst in instruments.values():
        for cost in inst.costs:
            unknown = [line for line in cost.lines if line not in lines]
            if unknown:
                raise ValueError(f"{inst.key}.cost.{cost.name}: unknown budget lines {unknown}")
    return Catalogue(
        instruments=instruments, lines=lines, region=region, date=lookup.date, lookup=lookup
    )
