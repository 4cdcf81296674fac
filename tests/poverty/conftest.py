"""Shared synthetic regencies for the poverty tests, with the desa-level truth of the whole
population (the synthetic generator's ``truth`` table covers registry families only).

The population truth is captured by wrapping ``tuntas.synth.core.targets_mod.calibration_table``,
which the generator calls once with every household of the regency (consumption, size, desa), and
restoring it afterwards; nothing in the generator changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

import tuntas.synth.core as synth_core
from tuntas.poverty.small_area import area_expr
from tuntas.synth import SynthResult, synthesize, write_result

SMALL = 0.02
"""≈4,000 registry families, 470 survey households in 47 desa, all 401 desa."""


@dataclass(frozen=True)
class WithTruth:
    """A synthetic regency and the consumption, size and desa of every one of its households."""

    result: SynthResult
    population: pl.DataFrame

    def truth_rates(self, level: str, line: float) -> pl.DataFrame:
        """True P0 ×100 (``truth``) and persons per area at ``level`` below ``line``."""
        return self.population.group_by(area_expr(level).alias("area")).agg(
            (
                100.0
                * (pl.col("size") * (pl.col("consumption") < line)).sum()
                / pl.col("size").sum()
            ).alias("truth"),
            pl.col("size").sum().alias("persons"),
        )


def synthesize_with_truth(scale: float, seed: int = 1) -> WithTruth:
    captured: dict[str, Any] = {}
    original = synth_core.targets_mod.calibration_table

    def spy(tables: Any, geo: Any, targets: Any, pop: Any, **kwargs: Any) -> Any:
        captured["population"] = pop
        captured["codes"] = geo.desa["code"].to_list()
        return original(tables, geo, targets, pop, **kwargs)

    synth_core.targets_mod.calibration_table = spy  # type: ignore[attr-defined]
    try:
        result = synthesize("33.10", seed=seed, scale=scale)
    finally:
        synth_core.targets_mod.calibration_table = original  # type: ignore[attr-defined]
    pop = captured["population"]
    codes = np.array(captured["codes"], dtype=object)
    population = pl.DataFrame(
        {
            "region_code": codes[pop.desa_index].tolist(),
            "size": np.asarray(pop.size, dtype=np.int64),
            "consumption": np.asarray(pop.consumption, dtype=np.float64),
        }
    )
    # the capture is the same population the village profiles count
    by_desa = population.group_by("region_code").agg(pl.col("size").sum().alias("persons"))
    check = result.tables["villages"].join(by_desa, on="region_code", how="left")
    assert (check["population"] == check["persons"].fill_null(0)).all()
    return WithTruth(result, population)


@pytest.fixture(scope="session")
def klaten() -> WithTruth:
    return synthesize_with_truth(SMALL)


@pytest.fixture(scope="session")
def klaten_folder(tmp_path_factory: pytest.TempPathFactory, klaten: WithTruth) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("klaten-small")
    write_result(klaten.result, folder, xlsx=False)
    yield folder
