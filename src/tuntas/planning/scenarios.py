"""Scenarios: reforms over the baseline that change budgets and parameters (YAML).

A scenario file::

    name: KUR subsidi ganda
    description: Dua kali subsidi bunga KUR, pelatihan tetap
    budgets:                      # added to / replacing the plan's budgets (Rp)
      kur_subsidy: 10000000000
    parameters:                   # dotted parameter path → new value, or a full dated leaf
      pathways.wage_job.target_hire_share: {low: 0.5, central: 0.8, high: 0.9}
      instruments.kur_mikro.effect.jobs_per_unit:
        description: Lapangan kerja baru per debitur (skenario optimis)
        unit: count
        values:
          - {date: 2023-01-27, value: {low: 0.5, central: 1.0, high: 3}, reference: "...", status: assumption}

A shorthand value replaces every dated value of the parameter (same dates and regions) and is
marked ``assumption`` with the reference "scenario <name>"; a full leaf is layered with
:meth:`~tuntas.params.loader.ParameterSet.with_overrides` (same date and region replace, others
add). Parsing is pure (:func:`parse_scenario`); :func:`read_scenario` reads a file for the CLI.

Examples
--------
>>> s = parse_scenario('''
... name: hire more
... budgets: {training: 2000000000}
... parameters:
...   pathways.wage_job.target_hire_share: {low: 0.5, central: 0.8, high: 0.9}
... ''')
>>> s.budgets
{'training': 2000000000.0}
>>> params = s.apply()
>>> params.value("pathways.wage_job.target_hire_share", date="2026-01-01")["central"]
0.8
>>> params.get("pathways.wage_job.target_hire_share", date="2026-01-01").reference
'scenario hire more'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from tuntas.params.loader import (
    Parameter,
    ParameterError,
    ParameterSet,
    ParameterValue,
    baseline,
    parse_parameter_text,
)


@dataclass(frozen=True)
class Scenario:
    """A named reform: budget changes and parameter overrides."""

    name: str
    description: str = ""
    budgets: dict[str, float] = field(default_factory=dict)
    parameters: dict[str, Any] = field(default_factory=dict)

    def overrides(self, base: ParameterSet) -> list[Parameter]:
        """The override leaves, checked against ``base`` (unknown paths are an error)."""
        found: list[Parameter] = []
        for path, spec in self.parameters.items():
            if isinstance(spec, Mapping) and "values" in spec:
                text = yaml.safe_dump({path: dict(spec)}, allow_unicode=True)
                leaves = parse_parameter_text(text, root="", source_file=f"scenario {self.name}")
                if path not in base:
                    raise ParameterError(f"scenario {self.name}: unknown parameter {path!r}")
                found.extend(leaves)
                continue
            original = base.parameter(path)
            values = tuple(
                ParameterValue(
                    path=path,
                    value=spec,
                    unit=v.unit,
                    date=v.date,
                    region=v.region,
                    reference=f"scenario {self.name}",
                    status="assumption",
                    note=f"scenario value (baseline: {v.value!r})",
                    source_file=f"scenario {self.name}",
                )
                for v in original.values
            )
            found.append(replace(original, values=values))
        return found

    def apply(self, base: ParameterSet | None = None) -> ParameterSet:
        """The reformed parameter set: ``base`` (default the baseline) with the overrides on top."""
        base = baseline() if base is None else base
        return base.with_overrides(self.overrides(base))

    def merge_budgets(self, budgets: Mapping[str, float]) -> dict[str, float]:
        """The plan's budgets with the scenario's on top."""
        merged = {k: float(v) for k, v in budgets.items()}
        merged.update(self.budgets)
        return merged


def parse_scenario(text: str, *, name: str = "scenario") -> Scenario:
    """A :class:`Scenario` from YAML text (see the module docstring)."""
    try:
        doc = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        raise ValueError(f"scenario is not valid YAML: {error}") from None
    if not isinstance(doc, Mapping):
        raise ValueError("a scenario must be a mapping with name, budgets and parameters")
    unknown = sorted(set(doc) - {"name", "description", "budgets", "parameters"})
    if unknown:
        raise ValueError(f"unknown scenario keys {unknown}")
    budgets = doc.get("budgets") or {}
    params = doc.get("parameters") or {}
    if not isinstance(budgets, Mapping) or not isinstance(params, Mapping):
        raise ValueError("budgets and parameters must be mappings")
    try:
        money = {str(k): float(v) for k, v in budgets.items()}
    except (TypeError, ValueError) as error:
        raise ValueError(f"budgets must be numbers (Rp): {error}") from None
    return Scenario(
        name=str(doc.get("name") or name),
        description=str(doc.get("description") or ""),
        budgets=money,
        parameters={str(k): v for k, v in params.items()},
    )


def read_scenario(path: str | Path) -> Scenario:
    """Read a scenario YAML file (for the command line; the planning functions never read files)."""
    file = Path(path)
    return parse_scenario(file.read_text(encoding="utf-8"), name=file.stem)
