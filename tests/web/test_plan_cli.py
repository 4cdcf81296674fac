"""``tuntas plan`` end to end on a synthetic folder: files, summary fields and their consistency.

The issue's done-when for the plan: never exceeds a budget, never gives a person two jobs or a slot
more workers than its capacity, p0_after ≤ p0_before, households_lifted equals the households in
the output whose simulated consumption crosses the line, doubling a budget never lowers it.
"""

from __future__ import annotations

import json
from pathlib import Path

import fastexcel
import polars as pl
import pytest
from typer.testing import CliRunner

from tuntas.cli import app
from tuntas.synth import synthesize, write_result

FIELDS = (
    "jobs_created",
    "persons_matched",
    "households_lifted",
    "households_lifted_interval",
    "cost_total",
    "cost_per_household_lifted",
    "budgets",
    "p0_before",
    "p0_after",
    "solver_gap",
    "assumptions",
    "runtime_s",
)


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("plan")
    data = root / "d"
    write_result(synthesize("33.10", seed=2, scale=0.03), data, xlsx=False)
    runner = CliRunner()
    for name, kur, training in (("a", "300 juta", "60 juta"), ("b", "600 juta", "120 juta")):
        result = runner.invoke(
            app,
            [
                "plan",
                "--region",
                "33.10",
                "--from",
                str(data),
                "--out",
                str(root / name),
                "--budget",
                f"kur_subsidy={kur}",
                "--budget",
                f"training={training}",
                "--runs",
                "40",
                "--json",
            ],
        )
        assert result.exit_code == 0, result.output
    return data, root / "a", root / "b"


def summary(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


def test_summary_fields_and_consistency(plans: tuple[Path, Path, Path]) -> None:
    _data, a, _b = plans
    doc = summary(a)
    for field in FIELDS:
        assert field in doc, field
    assert doc["synthetic"] is True
    assert doc["households_lifted"] > 0
    for region, before in doc["p0_before"].items():
        assert doc["p0_after"][region] <= before + 1e-9
    line = doc["extreme_line"]
    households = pl.read_parquet(a / "households.parquet")
    crossing = households.filter(
        (pl.col("consumption_before") < line) & (pl.col("consumption_after") >= line)
    ).height
    assert crossing == doc["households_lifted"]
    for name, item in doc["budgets"].items():
        if item["limit"] is not None:
            assert item["used"] <= item["limit"] * (1 + 1e-9), name
    low, high = doc["households_lifted_interval"]["low"], doc["households_lifted_interval"]["high"]
    assert low <= high and doc["cost_total"] > 0
    assert doc["cost_per_household_lifted"] == pytest.approx(
        doc["cost_total"] / doc["households_lifted"]
    )


def test_matches_respect_people_and_slots(plans: tuple[Path, Path, Path]) -> None:
    data, a, _b = plans
    matches = pl.read_parquet(a / "matches.parquet")
    assert matches.height == summary(a)["persons_matched"]
    assert matches["person_id"].n_unique() == matches.height
    openings = pl.read_parquet(a / "openings.parquet")
    filled = (
        matches.group_by("slot_id")
        .len()
        .join(openings.select("slot_id", "openings"), on="slot_id", how="left")
    )
    assert (filled["len"] <= filled["openings"]).all()
    assert (matches["distance_km"] <= matches["reach_km"] + 1e-9).all()
    # Names and NIK only masked in the plan's files.
    assert matches["nik"].drop_nulls().str.contains(r"^\*{4}(-[0-9A-Z]{8})?$").all()
    clear = set(pl.read_parquet(data / "persons.parquet")["nik"].to_list())
    assert not clear & set(
        pl.read_csv(a / "matches.csv", infer_schema=False)["nik"].drop_nulls().to_list()
    )


def test_doubling_budgets_never_lowers_households_lifted(plans: tuple[Path, Path, Path]) -> None:
    _data, a, b = plans
    assert summary(b)["households_lifted"] >= summary(a)["households_lifted"]
    result = CliRunner().invoke(app, ["plan", "compare", str(a), str(b), "--json"])
    assert result.exit_code == 0, result.output
    rows = {row["measure"]: row for row in json.loads(result.output)["rows"]}
    assert rows["households_lifted"]["difference"] >= 0
    assert rows["households_lifted"]["a"] == summary(a)["households_lifted"]


def test_workbook_and_brief(plans: tuple[Path, Path, Path]) -> None:
    _data, a, _b = plans
    sheets = fastexcel.read_excel(str(a / "rencana.xlsx")).sheet_names
    assert sheets[:3] == ["Ringkasan", "Alokasi", "Penempatan"]
    allocations = fastexcel.read_excel(str(a / "rencana.xlsx")).load_sheet("Alokasi").to_polars()
    assert (
        "Instrumen" in allocations.columns
        and allocations.height == pl.read_parquet(a / "allocations.parquet").height
    )
    pdf = (a / "ringkasan_bupati.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and len(pdf) > 20_000


def test_bad_input_is_named(plans: tuple[Path, Path, Path], tmp_path: Path) -> None:
    data, _a, _b = plans
    runner = CliRunner()
    bad = tmp_path / "skenario.yaml"
    bad.write_text("budgets: [oops\n", encoding="utf-8")
    scenario = runner.invoke(
        app,
        [
            "plan",
            "--region",
            "33.10",
            "--from",
            str(data),
            "--out",
            str(tmp_path / "x"),
            "--scenario",
            str(bad),
        ],
    )
    assert scenario.exit_code == 1 and "skenario.yaml" in scenario.output
    unknown = runner.invoke(
        app, ["plan", "--region", "33.99", "--from", str(data), "--out", str(tmp_path / "y")]
    )
    assert unknown.exit_code != 0 and "33.99" in unknown.output
    empty = runner.invoke(
        app, ["plan", "--region", "33.11", "--from", str(data), "--out", str(tmp_path / "z")]
    )
    assert empty.exit_code == 1 and "no data for 33.11" in empty.output
    money = runner.invoke(
        app,
        [
            "plan",
            "--region",
            "33.10",
            "--from",
            str(data),
            "--out",
            str(tmp_path / "w"),
            "--budget",
            "kur=abc",
        ],
    )
    assert money.exit_code != 0 and "abc" in money.output
    assert not any((tmp_path / name).exists() for name in ("x", "y", "z", "w"))
