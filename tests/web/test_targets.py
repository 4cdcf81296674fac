"""``tuntas targets``: a facilitator's workbook, masked, that imports back as verification decisions."""

from __future__ import annotations

from pathlib import Path

import fastexcel
import openpyxl
import polars as pl
import pytest
from django.db import connections
from typer.testing import CliRunner

from tuntas.cli import app
from tuntas.synth import synthesize, write_result
from tuntas.web.audit.models import AuditEvent
from tuntas.web.imports.services import import_file

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def synth_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("targets")
    write_result(synthesize("33.10", seed=4, scale=0.01), folder, xlsx=False)
    return folder


def load(folder: Path) -> None:
    for kind in ("households", "persons", "survey", "villages"):
        assert import_file(kind, folder / f"{kind}.parquet").ok


def test_workbook_is_masked_and_imports_back(synth_dir: Path, tmp_path: Path) -> None:
    load(synth_dir)
    book = tmp_path / "daftar.xlsx"
    result = CliRunner().invoke(app, ["targets", "--region", "33.10", "--out", str(book)])
    assert result.exit_code == 0, result.output
    reader = fastexcel.read_excel(str(book))
    assert reader.sheet_names == ["Petunjuk", "Daftar Calon", "Ringkasan Desa"]
    listed = reader.load_sheet("Daftar Calon", dtypes="string").to_polars()
    households = pl.read_parquet(synth_dir / "households.parquet")
    assert (
        listed.height >= households.filter(pl.col("welfare_decile") == 1).height
    )  # desil 1 all listed
    assert listed["NIK Kepala Keluarga"].drop_nulls().str.contains(r"^\*{4}(-[0-9A-Z]{8})?$").all()
    clear = set(pl.read_parquet(synth_dir / "persons.parquet")["nik"].to_list())
    cells = {c for column in listed.columns for c in listed[column].drop_nulls().to_list()}
    assert not clear & cells
    ranks = listed.group_by("Desa").agg(
        pl.col("Peringkat di desa").cast(pl.Int64).min().alias("first")
    )
    assert ranks["first"].unique().to_list() == [1]
    notes = reader.load_sheet("Petunjuk", header_row=None, dtypes="string").to_polars()
    assert any("DATA SINTETIS" in (v or "") for v in notes.to_series(0).to_list())

    # The village consultation fills in three decisions; the rest stays empty.
    workbook = openpyxl.load_workbook(book)
    sheet = workbook["Daftar Calon"]
    headings = [cell.value for cell in sheet[1]]
    col = {name: headings.index(name) + 1 for name in headings}
    decided = []
    for row in (2, 3, 4):
        decided.append(sheet.cell(row, col["ID Keluarga"]).value)
        sheet.cell(row, col["Hasil Verifikasi"]).value = (
            "Miskin Ekstrem" if row != 3 else "Bukan Miskin Ekstrem"
        )
        sheet.cell(row, col["Tanggal Musdes"]).value = "15-09-2025"
        sheet.cell(row, col["Diverifikasi Oleh"]).value = "Pemdes dan pendamping"
        sheet.cell(row, col["Alasan"]).value = "Hasil musyawarah desa"
        sheet.cell(row, col["Nomor Berita Acara"]).value = "BA/07/IX/2025"
    workbook.save(book)
    outcome = import_file("verifications", book, sheet="Daftar Calon")
    assert outcome.ok, outcome.summary_lines()
    assert outcome.inserted == 3 and "dilewati" in outcome.message
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT household_id, verification_status FROM registry_household "
            "WHERE verification_minutes_ref = %s",
            ["BA/07/IX/2025"],
        )
        stored = dict(cursor.fetchall())
    assert stored == {
        decided[0]: "verified_extreme",
        decided[1]: "not_extreme",
        decided[2]: "verified_extreme",
    }


def test_reveal_needs_actor_and_real_purpose_and_is_audited(
    synth_dir: Path, tmp_path: Path
) -> None:
    load(synth_dir)
    book = tmp_path / "terbuka.xlsx"
    base = ["targets", "--region", "33.10.03", "--out", str(book), "--reveal"]
    purpose = ["--purpose", "musyawarah desa Wedi, verifikasi calon"]
    for extra in ([], ["--purpose", "test", "--actor", "Bu Sri"], purpose):
        # no purpose; a placeholder purpose; no named actor ($USER alone is never an actor)
        refused = CliRunner().invoke(app, [*base, *extra], env={"TUNTAS_USER": ""})
        assert refused.exit_code != 0 and not book.exists(), extra
    allowed = CliRunner().invoke(app, [*base, *purpose, "--actor", "Bu Sri (TKPK)"])
    assert allowed.exit_code == 0, allowed.output
    event = AuditEvent.objects.get(action="reveal")
    assert event.purpose == "musyawarah desa Wedi, verifikasi calon"
    assert event.actor == "Bu Sri (TKPK)" and event.detail["actor_kind"] == "explicit"
    assert event.detail["os_user"]  # the operating-system user is context, not the actor
    listed = fastexcel.read_excel(str(book)).load_sheet("Daftar Calon", dtypes="string").to_polars()
    assert event.record_count == listed.height
    assert listed["NIK Kepala Keluarga"].drop_nulls().str.contains(r"^\d{16}$").all()
    assert listed["Kecamatan"].unique().to_list() == ["Wedi"]
    # A revealed workbook is readable by its owner only and says it is confidential on every sheet.
    assert oct(book.stat().st_mode & 0o777) == "0o600"
    workbook = openpyxl.load_workbook(book)
    for sheet in workbook.worksheets:
        cells = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        assert any(v.startswith("RAHASIA") for v in cells), sheet.title
        assert "RAHASIA" in sheet.oddHeader.center.text, sheet.title


def test_masked_workbook_says_nothing_confidential_and_is_not_private(
    synth_dir: Path, tmp_path: Path
) -> None:
    load(synth_dir)
    book = tmp_path / "tersamar.xlsx"
    result = CliRunner().invoke(app, ["targets", "--region", "33.10.03", "--out", str(book)])
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(book)
    cells = [c.value for s in workbook.worksheets for row in s.iter_rows() for c in row if c.value]
    assert not any(str(v).startswith("RAHASIA") for v in cells)
    assert not AuditEvent.objects.filter(action="reveal").exists()
