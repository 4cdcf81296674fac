"""Full-scale Klaten: ``tuntas synth --seed 1`` imported whole, and the stored counts are the published ones.

P3KE (Kemenko PMK, July 2023, reported by Solopos 29/7/2023): families by desil 45,302 / 60,098 /
47,698 / 45,598 and 716,009 individuals; families per kecamatan for the ten published kecamatan.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from tuntas.synth import synthesize, write_result
from tuntas.web.imports.info import database_info
from tuntas.web.imports.services import import_file

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PUBLISHED_FAMILIES = {
    "Trucuk": 12_574,
    "Bayat": 11_324,
    "Jatinom": 9_988,
    "Wonosari": 9_865,
    "Ceper": 9_709,
}


def test_full_klaten_import(tmp_path: Path) -> None:
    write_result(synthesize("33.10", seed=1, scale=1.0), tmp_path, xlsx=False)
    for kind in ("households", "persons", "enterprises", "survey", "villages"):
        outcome = import_file(kind, tmp_path / f"{kind}.parquet")
        assert outcome.ok, outcome.summary_lines()
    info = database_info()
    assert info["tables"]["households"] == 198_696
    assert info["tables"]["persons"] == 716_009
    assert info["tables"]["villages"] == 401
    deciles = {
        row["welfare_decile"]: (row["households"], row["persons_stated"])
        for row in info["households_by_decile"]
    }
    assert deciles == {
        1: (45_302, 189_774),
        2: (60_098, 224_477),
        3: (47_698, 161_497),
        4: (45_598, 140_261),
    }
    per_kecamatan = {row["name"]: row for row in info["per_kecamatan"]}
    assert len(per_kecamatan) == 26
    for name, families in PUBLISHED_FAMILIES.items():
        assert per_kecamatan[name]["households"] == families
    assert sum(row["persons"] for row in info["per_kecamatan"]) == 716_009
    enterprises = pl.read_parquet(tmp_path / "enterprises.parquet")
    assert info["tables"]["enterprises"] == enterprises.height
