"""Issue 4 done-when on synthetic Klaten: ``tuntas sectors`` and ``tuntas multipliers``.

The synthetic registries are generated once per session at scale 0.2 (about 2.5 s): clusters are
placed in their real desa at every scale, and at 0.2 they already stand out (checked down to 0.1).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tuntas.cli import app
from tuntas.economy.opportunity import COMPONENTS

MELIKAN = "33.10.03.2006"  # pottery (gerabah, KBLI 23932), Wedi
TEGALREJO = "33.10.11.2015"  # Batur is a dukuh of Tegalrejo, Ceper: metal casting (24310)
REASON = re.compile(
    r"^.+?( \(sentra\))?: LQ \d+\.\d, \d+ usaha, \d+ pencari kerja miskin ekstrem dalam 5 km$"
)

runner = CliRunner()


def invoke(*args: str) -> Result:
    """Run ``tuntas ARGS`` and check it succeeded."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="session")
def klaten(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tuntas.synth import synthesize, write_result

    folder = tmp_path_factory.mktemp("klaten")
    write_result(synthesize("33.10", seed=1, scale=0.2), folder, xlsx=False)
    return folder


@pytest.fixture(scope="session")
def desa_json(klaten: Path) -> dict[str, object]:
    result = invoke(
        "sectors",
        "--region",
        "33.10",
        "--level",
        "desa",
        "--top",
        "3",
        "--json",
        "--from",
        str(klaten),
    )
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_sectors_ranks_all_401_desa(desa_json: dict[str, object]) -> None:
    areas = desa_json["areas"]
    assert isinstance(areas, list)
    assert len(areas) == 401
    assert len({a["code"] for a in areas}) == 401
    assert all(1 <= len(a["sectors"]) <= 3 for a in areas)
    assert desa_json["synthetic"] is True
    assert desa_json["level"] == "desa" and desa_json["top"] == 3


def test_pottery_first_in_melikan_and_metal_casting_first_in_batur(
    desa_json: dict[str, object],
) -> None:
    areas = {a["code"]: a for a in desa_json["areas"]}  # type: ignore[attr-defined]
    melikan = areas[MELIKAN]
    assert melikan["name"] == "Melikan" and melikan["kecamatan_name"] == "Wedi"
    assert melikan["sectors"][0]["sector"] == "23932"
    assert melikan["sectors"][0]["reason"].startswith("Gerabah (sentra): LQ ")
    tegalrejo = areas[TEGALREJO]
    assert tegalrejo["name"] == "Tegalrejo" and tegalrejo["kecamatan_name"] == "Ceper"
    assert tegalrejo["sectors"][0]["sector"] == "24310"
    assert tegalrejo["sectors"][0]["reason"].startswith("Pengecoran logam (sentra): LQ ")


def test_every_result_has_parts_and_an_indonesian_reason(desa_json: dict[str, object]) -> None:
    for area in desa_json["areas"]:  # type: ignore[attr-defined]
        for rank, sector in enumerate(area["sectors"], start=1):
            assert sector["rank"] == rank
            assert REASON.match(sector["reason"]), sector["reason"]
            assert list(sector["parts"]) == list(COMPONENTS)
            total = sum(part["contribution"] for part in sector["parts"].values())
            assert total == pytest.approx(sector["score"], abs=1e-3)
            assert all(0 <= p["normalised"] <= 1 for p in sector["parts"].values())


def test_output_names_the_table_and_the_assumptions(desa_json: dict[str, object]) -> None:
    table = desa_json["io_table"]
    assert isinstance(table, dict)
    assert "Tabel Input-Output Indonesia 2020" in table["name"]
    assert table["source"].startswith("Sumber: Badan Pusat Statistik (BPS)")
    assert any("Flegg" in note for note in table["notes"])
    assert "Sakernas Agustus 2020" in " ".join(table["notes"])
    employment = desa_json["employment"]
    assert employment["basis"] == "combined"  # type: ignore[index]
    assumptions = {a["parameter"] for a in desa_json["assumptions"]}  # type: ignore[attr-defined]
    assert {
        "economy.opportunity.weights.specialisation",
        "economy.labour.reach_km",
        "economy.regional_table.flq_delta",
        "economy.regional_table.employment_basis",
    } <= assumptions


def test_sectors_by_kecamatan_and_out_file(klaten: Path, tmp_path: Path) -> None:
    target = tmp_path / "kecamatan.json"
    invoke(
        "sectors",
        "--region",
        "33.10",
        "--level",
        "kecamatan",
        "--top",
        "2",
        "--from",
        str(klaten),
        "--out",
        str(target),
    )
    payload = json.loads(target.read_text(encoding="utf-8"))
    areas = {a["code"]: a for a in payload["areas"]}
    assert len(areas) == 26
    # Wedi has two sentra, pottery (Melikan) and garments (Kalitengah, Pandes)
    assert {s["sector"] for s in areas["33.10.03"]["sectors"]} == {"23932", "14111"}
    assert areas["33.10.11"]["sectors"][0]["sector"] == "24310"  # Ceper: metal casting


def test_sectors_prints_a_table(klaten: Path) -> None:
    result = invoke(
        "sectors", "--region", "33.10.03", "--level", "desa", "--top", "1", "--from", str(klaten)
    )
    assert "Gerabah (sentra)" in result.stdout
    assert "DATA SINTETIS" in result.stdout


def test_multipliers_bps2020_json() -> None:
    result = invoke("multipliers", "--table", "bps2020", "--json")
    payload = json.loads(result.stdout)
    assert payload["balance"]["balanced"] is True
    assert "balanced" in payload["balance"]["message"]
    assert payload["source"].startswith("Sumber: Badan Pusat Statistik (BPS)")
    rows = payload["multipliers"]
    assert len(rows) == 17
    manufacturing = rows[2]
    assert manufacturing["code"] == "3"
    for column in (
        "output_multiplier",
        "output_multiplier_type_ii",
        "income_type_i",
        "income_type_ii",
        "employment_type_i",
        "employment_type_ii",
    ):
        assert manufacturing[column] > 1
    assert manufacturing["output_multiplier"] == pytest.approx(1.783, abs=1e-3)
    assert manufacturing["output_multiplier_type_ii"] > manufacturing["output_multiplier"]
    assert "value added" in payload["closure"]
    assert "Sakernas Agustus 2020" in payload["employment_source"]


def test_multipliers_regionalised_to_klaten(klaten: Path) -> None:
    result = invoke(
        "multipliers",
        "--table",
        "bps2020",
        "--regionalise-to",
        "33.10",
        "--json",
        "--from",
        str(klaten),
    )
    payload = json.loads(result.stdout)
    assert payload["table"].startswith("Kabupaten Klaten (FLQ δ=0.3)")
    assert payload["balance"]["balanced"] is True
    assert payload["synthetic"] is True
    national = json.loads(invoke("multipliers", "--json").stdout)
    # a small region buys more outside: regional output multipliers are below the national ones
    for regional_row, national_row in zip(
        payload["multipliers"], national["multipliers"], strict=True
    ):
        assert regional_row["output_multiplier"] <= national_row["output_multiplier"] + 1e-9
    assert {a["parameter"] for a in payload["assumptions"]} >= {"economy.regional_table.flq_delta"}


def test_multipliers_user_table_text(tmp_path: Path) -> None:
    table = tmp_path / "io.csv"
    table.write_text(
        "label,Agri,Manuf,Households,Exports\n"
        "Agri,10,40,30,20\n"
        "Manuf,20,60,70,50\n"
        "Wages,40,60,,\n"
        "Surplus,30,40,,\n"
        "Workers,50,20,,\n",
        encoding="utf-8",
    )
    result = invoke(
        "multipliers",
        "--table",
        str(table),
        "--labour-income-row",
        "Wages",
        "--household-column",
        "Households",
        "--employment-row",
        "Workers",
    )
    assert "balanced" in result.stdout
    assert "Employment I" in result.stdout
