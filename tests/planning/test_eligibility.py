"""Eligibility rules, checked on readable YAML cases (tests/planning/cases/eligibility.yaml)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
import yaml

from tuntas.planning.eligibility import (
    RULES,
    eligibility_matrix,
    enterprise_attributes,
    explain,
    size_class,
)
from tuntas.planning.instruments import catalogue
from tuntas.planning.parameters import ParameterLookup

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "eligibility.yaml").read_text("utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["name"][:60] for c in CASES])
def test_eligibility_case(case: dict[str, Any]) -> None:
    cat = catalogue(region="33.10", date=str(case["date"]))
    decisions = explain(case["enterprise"], cat)
    eligible = sorted(k for k, d in decisions.items() if d.eligible)
    assert eligible == sorted(case["eligible"]), {
        k: d.failed for k, d in decisions.items() if d.eligible != (k in case["eligible"])
    }
    for instrument, words in (case.get("not_eligible") or {}).items():
        decision = decisions[instrument]
        assert not decision.eligible
        assert any(words in reason for reason in decision.failed), decision.failed
    for decision in decisions.values():  # every rule gives a sentence, pass or fail
        assert len(decision.reasons) == len(cat.instruments[decision.instrument].rules)


def test_vectorised_matrix_agrees_with_one_by_one(small) -> None:
    cat = catalogue(region="33.10", date="2026-01-01")
    ents = small.tables["enterprises"].filter(pl.col("year") == 2024).head(300)
    attrs = enterprise_attributes(ents, lookup=cat.lookup)
    matrix = eligibility_matrix(attrs, cat)
    for row in ents.head(60).iter_rows(named=True):
        one = explain(row, cat)
        i = int(np.flatnonzero(attrs["enterprise_id"] == row["enterprise_id"])[0])
        for key, decision in one.items():
            assert bool(matrix[key][i]) == decision.eligible, (row["enterprise_id"], key)


def test_size_class_boundaries_are_inclusive() -> None:
    lookup = ParameterLookup(region="33.10", date="2025-01-01")
    sales = np.array([2e9, 2e9 + 1, 15e9, 50e9 + 1])
    capital = np.zeros(4)
    assert size_class(sales, capital, lookup=lookup).tolist() == [
        "mikro",
        "kecil",
        "kecil",
        "besar",
    ]
    assert size_class(np.zeros(1), np.array([1e9 + 1]), lookup=lookup).tolist() == ["kecil"]


def test_unknown_rule_is_reported() -> None:
    cat = catalogue(region="33.10", date="2026-01-01")
    inst = cat.instruments["nib"]
    broken = type(inst)(**{**inst.__dict__, "rules": {**inst.rules, "no_such_rule": 1}})
    frame = pl.DataFrame({"enterprise_id": ["E"], "kbli": ["47111"]})
    attrs = enterprise_attributes(frame, lookup=cat.lookup, date=dt.date(2026, 1, 1))
    cat2 = type(cat)(
        instruments={"nib": broken},
        lines=cat.lines,
        region="33.10",
        date=cat.date,
        lookup=cat.lookup,
    )
    with pytest.raises(ValueError, match="unknown eligibility rules"):
        eligibility_matrix(attrs, cat2)


def test_every_rule_in_the_catalogue_is_known() -> None:
    cat = catalogue(region="33.10", date="2026-01-01")
    used = {rule for inst in cat.instruments.values() for rule in inst.rules}
    assert used <= set(RULES)
