"""Scenarios: YAML reforms over the baseline."""

from __future__ import annotations

import pytest

from tuntas.params import ParameterError, baseline
from tuntas.planning import parse_scenario, read_scenario


def test_full_leaf_override_layers_on_the_baseline() -> None:
    s = parse_scenario(
        """
name: optimistic KUR
parameters:
  instruments.kur_mikro.effect.jobs_per_unit:
    description: optimistic
    unit: count
    values:
      - date: 2025-01-01
        value: {low: 0.5, central: 1.0, high: 3}
        reference: "scenario"
        status: assumption
"""
    )
    params = s.apply()
    assert (
        params.value("instruments.kur_mikro.effect.jobs_per_unit", date="2026-01-01")["central"]
        == 1.0
    )
    assert (
        params.value("instruments.kur_mikro.effect.jobs_per_unit", date="2024-01-01")["central"]
        == 0.5
    )
    assert (
        baseline().value("instruments.kur_mikro.effect.jobs_per_unit", date="2026-01-01")["central"]
        == 0.5
    )


def test_errors_are_clear(tmp_path) -> None:
    with pytest.raises(ValueError, match="unknown scenario keys"):
        parse_scenario("name: x\nbudget: {}")
    with pytest.raises(ValueError, match="numbers"):
        parse_scenario("budgets: {training: lots}")
    with pytest.raises(ParameterError, match="unknown parameter"):
        parse_scenario("parameters: {pathways.no_such: 1}").apply()
    file = tmp_path / "double_kur.yaml"
    file.write_text("budgets:\n  kur_subsidy: 10000000000\n", encoding="utf-8")
    s = read_scenario(file)
    assert s.name == "double_kur" and s.merge_budgets({"kur_subsidy": 1.0, "training": 2.0}) == {
        "kur_subsidy": 1e10,
        "training": 2.0,
    }
