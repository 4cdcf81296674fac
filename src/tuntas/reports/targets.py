"""The candidate workbook for village facilitators (``tuntas targets``).

One sheet lists every candidate household of every desa, ranked by the probability of being below
the extreme line, with its desil and source, its verification status and the programmes it
receives; the head's name and NIK are masked unless an audited reveal was asked for. The decision
columns (``Hasil Verifikasi``, ``Tanggal Musdes``, ``Diverifikasi Oleh``, ``Alasan``, ``Nomor
Berita Acara``) are left for the village consultation to fill in; the filled sheet can be imported
back with ``tuntas import verifications FILE.xlsx --sheet "Daftar Calon"`` (rows without a decision
are skipped).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from tuntas.spreadsheets import open_workbook, write_cell

LIST_SHEET = "Daftar Calon"
DECISION_LABELS = ("Miskin Ekstrem", "Bukan Miskin Ekstrem")
STATUS_LABELS = {
    "verified_extreme": "Miskin Ekstrem",
    "not_extreme": "Bukan Miskin Ekstrem",
    "candidate": "Belum diverifikasi",
}
PROGRAMME_LABELS = {
    "pkh": "PKH",
    "bpnt": "BPNT/Sembako",
    "pbi_jkn": "PBI-JKN",
    "bpum": "BPUM",
    "bst": "BST",
}
SOURCE_LABELS = {
    "desil": "Desil 1",
    "pmt": "Model (PMT)",
    "desil+pmt": "Desil 1 + model",
    "verification": "Hasil verifikasi",
}

COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("Kecamatan", "kecamatan", 14),
    ("Desa", "desa", 16),
    ("Peringkat di desa", "rank", 9),
    ("ID Keluarga", "household_id", 22),
    ("Kepala Keluarga", "head_name", 22),
    ("NIK Kepala Keluarga", "head_nik", 19),
    ("Jumlah Anggota", "size", 9),
    ("Desil", "welfare_decile", 6),
    ("Sumber Desil", "decile_source", 11),
    ("Masuk Daftar Karena", "source_label", 15),
    ("Peluang Miskin Ekstrem (%)", "p_percent", 11),
    ("Perkiraan Pengeluaran per Kapita (Rp/bulan)", "predicted_pc", 14),
    ("Status Saat Ini", "status_label", 16),
    ("Program Diterima", "programmes_label", 22),
    ("Tanpa Program", "none_label", 9),
    ("Hasil Verifikasi", "decision_blank", 18),
    ("Tanggal Musdes", "date_blank", 12),
    ("Diverifikasi Oleh", "by_blank", 16),
    ("Alasan", "reason_blank", 28),
    ("Nomor Berita Acara", "minutes_blank", 18),
)


@dataclass(frozen=True)
class WorkbookContext:
    """What the first sheet tells the reader."""

    region: str
    region_name: str
    line_rupiah: float
    line_basis: str
    line_reference: str
    line_is_assumption: bool
    synthetic: bool
    revealed: bool
    generated_on: str
    rule: str
    assumptions: Sequence[str] = ()


def candidate_rows(
    candidates: pl.DataFrame,
    *,
    programmes: pl.DataFrame | None,
    identities: pl.DataFrame | None,
    names: pl.DataFrame,
) -> pl.DataFrame:
    """Join the ranked list with programmes, identities and region names, in workbook order.

    ``names`` has ``code, name`` for kecamatan and desa; ``programmes`` one row per household with a
    boolean per programme; ``identities`` ``household_id, head_name, head_nik`` (masked or not).
    """
    frame = candidates
    if programmes is not None and programmes.height:
        flags = [p for p in PROGRAMME_LABELS if p in programmes.columns]
        frame = frame.join(programmes.select("household_id", *flags), on="household_id", how="left")
        frame = frame.with_columns(
            pl.concat_str(
                [pl.when(pl.col(p)).then(pl.lit(PROGRAMME_LABELS[p])) for p in flags],
                separator=", ",
                ignore_nulls=True,
            ).alias("programmes_label"),
            pl.any_horizontal([pl.col(p).fill_null(False) for p in flags]).not_().alias("none"),
        )
    else:
        frame = frame.with_columns(
            pl.lit("").alias("programmes_label"), pl.lit(None, dtype=pl.Boolean).alias("none")
        )
    if identities is not None:
        frame = frame.join(identities, on="household_id", how="left")
    else:
        frame = frame.with_columns(
            pl.lit(None, dtype=pl.Utf8).alias("head_name"),
            pl.lit(None, dtype=pl.Utf8).alias("head_nik"),
        )
    kecamatan = names.select(pl.col("code").alias("__kec"), pl.col("name").alias("kecamatan"))
    desa = names.select(pl.col("code").alias("region_code"), pl.col("name").alias("desa"))
    probability = "p_extreme" if "p_extreme" in frame.columns else "probability"
    return (
        frame.with_columns(pl.col("region_code").str.slice(0, 8).alias("__kec"))
        .join(kecamatan, on="__kec", how="left")
        .join(desa, on="region_code", how="left")
        .with_columns(
            (pl.col(probability) * 100).round(1).alias("p_percent"),
            (pl.col("predicted_pc") / 1000).round(0) * 1000,
            pl.col("source")
            .replace_strict(SOURCE_LABELS, default=pl.col("source"))
            .alias("source_label"),
            pl.col("decision")
            .replace_strict(STATUS_LABELS, default=pl.col("decision"))
            .alias("status_label"),
            pl.when(pl.col("none"))
            .then(pl.lit("Ya"))
            .when(pl.col("none").not_())
            .then(pl.lit("Tidak"))
            .alias("none_label"),
            *[
                pl.lit(None, dtype=pl.Utf8).alias(c)
                for c in ("decision_blank", "date_blank", "by_blank")
            ],
            *[pl.lit(None, dtype=pl.Utf8).alias(c) for c in ("reason_blank", "minutes_blank")],
        )
        .sort("region_code", "rank")
    )


def desa_summary(rows: pl.DataFrame) -> pl.DataFrame:
    """Per desa: listed households, verified, still to verify, reached by no programme."""
    return (
        rows.group_by("kecamatan", "desa", "region_code")
        .agg(
            pl.len().alias("Keluarga dalam daftar"),
            (pl.col("decision") == "verified_extreme").sum().alias("Terverifikasi miskin ekstrem"),
            (pl.col("decision") == "candidate").sum().alias("Belum diverifikasi"),
            pl.col("none").fill_null(False).sum().alias("Tanpa program apa pun"),
        )
        .sort("region_code")
        .rename({"kecamatan": "Kecamatan", "desa": "Desa", "region_code": "Kode Desa"})
    )


CONFIDENTIAL = (
    "RAHASIA — memuat nama dan NIK tanpa samaran (UU 27/2022 Pelindungan Data Pribadi); jangan "
    "disebarkan / CONFIDENTIAL — names and NIK in clear"
)
"""The banner every sheet of a revealed workbook carries (header, footer and a visible cell)."""


def _mark_confidential(sheet: Any, row: int, col: int, fmt: Any) -> None:
    """Say on the sheet, on screen and in print, that it holds personal data in clear."""
    sheet.set_header(f'&C&"Calibri,Bold"{CONFIDENTIAL}')
    sheet.set_footer(f"&C{CONFIDENTIAL}")
    sheet.set_tab_color("#C00000")
    write_cell(sheet, row, col, CONFIDENTIAL, fmt)


def write_targets_workbook(path: Path, rows: pl.DataFrame, context: WorkbookContext) -> Path:
    """Write the facilitator workbook: *Petunjuk*, *Daftar Calon*, *Ringkasan Desa*."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = open_workbook(path, private=context.revealed)
    title = book.add_format({"bold": True, "font_size": 14})
    bold = book.add_format({"bold": True})
    warn = book.add_format({"bold": True, "font_color": "#9C0006", "bg_color": "#FFC7CE"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    head = book.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1}
    )
    fill = book.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#FFF2CC", "border": 1}
    )
    money = book.add_format({"num_format": "#,##0"})

    notes = book.add_worksheet("Petunjuk")
    notes.set_column(0, 0, 110)
    lines = [
        (f"Daftar calon keluarga miskin ekstrem — {context.region_name} ({context.region})", title),
        (f"Dibuat {context.generated_on} dengan TUNTAS.", None),
    ]
    if context.synthetic:
        lines.append(
            ("DATA SINTETIS — bukan orang sungguhan (synthetic data, not real people).", warn)
        )
    lines += [
        ("", None),
        ("Cara memakai", bold),
        (
            "1. Daftar ini memuat calon per desa, diurutkan menurut peluang berada di bawah garis "
            "kemiskinan ekstrem. Desil 1 adalah sumber calon, bukan label: desa memverifikasinya dalam "
            "musyawarah desa yang dicatat dalam berita acara.",
            wrap,
        ),
        (
            "2. Isi kolom kuning (Hasil Verifikasi, Tanggal Musdes, Diverifikasi Oleh, Alasan, Nomor "
            "Berita Acara) untuk setiap keluarga yang diputuskan. Keluarga yang belum diputuskan "
            "dibiarkan kosong.",
            wrap,
        ),
        (
            "3. Kirim berkas kembali ke TKPK kabupaten; berkas diimpor dengan: tuntas import "
            f'verifications BERKAS.xlsx --sheet "{LIST_SHEET}". Baris tanpa hasil dilewati.',
            wrap,
        ),
        (
            "4. Keluarga yang tidak ada dalam daftar tetapi memenuhi kriteria dicatat di formulir terpisah.",
            wrap,
        ),
        ("", None),
        ("Garis dan aturan", bold),
        (
            f"Garis kemiskinan ekstrem: Rp {context.line_rupiah:,.0f} per kapita per bulan "
            f"({context.line_basis}); sumber: {context.line_reference}"
            + (" — ASUMSI (nilai belum bersumber resmi)." if context.line_is_assumption else "."),
            wrap,
        ),
        (f"Aturan daftar: {context.rule}", wrap),
        (
            "Nama dan NIK ditampilkan tersamar."
            if not context.revealed
            else "Nama dan NIK ditampilkan lengkap atas permintaan yang tercatat di jejak audit. Jaga "
            "kerahasiaannya (UU 27/2022 Pelindungan Data Pribadi).",
            wrap,
        ),
    ]
    for assumption in context.assumptions:
        lines.append((f"Asumsi: {assumption}", wrap))
    if context.revealed:
        lines.insert(0, (CONFIDENTIAL, warn))
    for row, (text, fmt) in enumerate(lines):
        write_cell(notes, row, 0, text, fmt)

    sheet = book.add_worksheet(LIST_SHEET)
    blanks = {"decision_blank", "date_blank", "by_blank", "reason_blank", "minutes_blank"}
    for col, (heading, key, width) in enumerate(COLUMNS):
        write_cell(sheet, 0, col, heading, fill if key in blanks else head)
        sheet.set_column(col, col, width, money if key == "predicted_pc" else None)
    keys = [key for _h, key, _w in COLUMNS]
    for r, record in enumerate(rows.select(keys).iter_rows(), start=1):
        for c, value in enumerate(record):
            write_cell(sheet, r, c, value)
    last = max(rows.height, 1)
    decision_col = keys.index("decision_blank")
    sheet.data_validation(
        1, decision_col, last, decision_col, {"validate": "list", "source": list(DECISION_LABELS)}
    )
    date_col = keys.index("date_blank")
    sheet.data_validation(
        1,
        date_col,
        last,
        date_col,
        {"validate": "any", "input_title": "Tanggal", "input_message": "DD-MM-YYYY"},
    )
    if context.revealed:
        # Row 1 holds the headings the import reads back; the banner sits beside them.
        _mark_confidential(sheet, 0, len(COLUMNS), warn)
    sheet.freeze_panes(1, 4)
    sheet.autofilter(0, 0, last, len(COLUMNS) - 1)
    sheet.set_row(0, 45)

    summary = desa_summary(rows)
    sum_sheet = book.add_worksheet("Ringkasan Desa")
    for c, heading in enumerate(summary.columns):
        write_cell(sum_sheet, 0, c, heading, head)
        sum_sheet.set_column(c, c, 16)
    for r, record in enumerate(summary.iter_rows(), start=1):
        for c, value in enumerate(record):
            write_cell(sum_sheet, r, c, value)
    if context.revealed:
        _mark_confidential(sum_sheet, 0, len(summary.columns), warn)
        _mark_confidential(notes, len(lines) + 1, 0, warn)
    sum_sheet.freeze_panes(1, 0)
    book.close()
    return path
