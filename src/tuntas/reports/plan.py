"""A plan's outputs: tables as CSV and Parquet, the summary as JSON, a formatted workbook with
Indonesian headings, and a short PDF brief for the Bupati with a map of families lifted by desa.

Nothing here computes the plan (:func:`tuntas.planning.plan.make_plan` does); this module only
writes what it produced, with the synthetic and assumption labels the rules require.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl

from tuntas.reports.charts import desa_map, to_svg
from tuntas.spreadsheets import open_workbook, write_cell, write_csv

TABLES = (
    "allocations",
    "openings",
    "awards",
    "matches",
    "households",
    "regions",
    "trajectory",
    "budgets",
    "monte_carlo",
)
"""The plan's tables, written as ``NAME.csv`` and ``NAME.parquet``."""

SHEETS: dict[str, tuple[str, dict[str, str]]] = {
    "allocations": (
        "Alokasi",
        {
            "enterprise_id": "ID Usaha",
            "region_code": "Kode Desa",
            "kbli": "KBLI",
            "size_class": "Skala",
            "instrument": "Instrumen",
            "channel": "Jalur",
            "jobs_expected": "Perkiraan Lapangan Kerja",
            "wage": "Upah (Rp/bulan)",
            "cost_programme": "Biaya Program (Rp)",
            "financing": "Pembiayaan (Rp)",
            "months_to_effect": "Bulan Sampai Berdampak",
            "eligibility": "Alasan Kelayakan",
        },
    ),
    "matches": (
        "Penempatan",
        {
            "person_id": "ID Individu",
            "name": "Nama",
            "nik": "NIK",
            "household_id": "ID Keluarga",
            "slot_id": "Lowongan/Usaha",
            "home_desa": "Desa Asal",
            "job_desa": "Desa Kerja",
            "distance_km": "Jarak (km)",
            "wage": "Upah (Rp/bulan)",
            "skill_match": "Keterampilan Cocok",
            "priority": "Prioritas",
            "reasons": "Alasan",
        },
    ),
    "awards": (
        "Usaha Mandiri",
        {
            "household_id": "ID Keluarga",
            "person_id": "ID Individu",
            "region_code": "Kode Desa",
            "financing": "Pembiayaan",
            "principal": "Pinjaman (Rp)",
            "cost_training": "Biaya Pelatihan (Rp)",
            "cost_coaching": "Biaya Pendampingan (Rp)",
            "gain_month": "Tambahan Pendapatan (Rp/bulan)",
        },
    ),
    "regions": (
        "Wilayah",
        {
            "region_code": "Kode Wilayah",
            "name": "Nama Wilayah",
            "level": "Tingkat",
            "households": "Keluarga",
            "population": "Jiwa",
            "p0_before": "P0 Ekstrem Sebelum (%)",
            "p0_after": "P0 Ekstrem Sesudah (%)",
            "households_lifted": "Keluarga Terangkat",
        },
    ),
    "budgets": (
        "Anggaran",
        {
            "key": "Pos Anggaran",
            "kind": "Jenis",
            "source": "Sumber Dana",
            "limit": "Pagu (Rp)",
            "used": "Terpakai (Rp)",
            "marginal_per_miliar": "Tambahan Keluarga Terangkat per Rp 1 Miliar",
        },
    ),
    "trajectory": (
        "Lintasan",
        {
            "month": "Bulan ke-",
            "date": "Tanggal",
            "households_lifted": "Keluarga Terangkat (kumulatif)",
            "p0_extreme": "P0 Ekstrem (%)",
        },
    ),
}
"""Workbook sheets: table → (sheet name, column → Indonesian heading), in sheet order."""


@dataclass(frozen=True)
class PlanContext:
    """What the outputs say about the plan beyond its numbers."""

    region: str
    region_name: str
    synthetic: bool
    generated_on: str
    budgets_asked: dict[str, float]
    scenario: str | None = None


def _rupiah(value: float | None) -> str:
    if value is None:
        return "–"
    if abs(value) >= 1e9:
        return f"Rp {value / 1e9:,.2f} miliar"
    if abs(value) >= 1e6:
        return f"Rp {value / 1e6:,.1f} juta"
    return f"Rp {value:,.0f}"


def summary_document(summary: dict[str, Any], context: PlanContext) -> dict[str, Any]:
    """The summary JSON: the plan's summary plus its context and labels."""
    return {
        "synthetic": context.synthetic,
        "region_name": context.region_name,
        "generated_on": context.generated_on,
        "scenario": context.scenario,
        "budgets_asked": context.budgets_asked,
        **summary,
    }


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def write_tables(plan: Any, out_dir: Path) -> list[Path]:
    """Every plan table as CSV and Parquet (nested columns as JSON text in the CSV)."""
    written: list[Path] = []
    for name in TABLES:
        frame: pl.DataFrame = getattr(plan, name)
        frame.write_parquet(out_dir / f"{name}.parquet")
        flat = frame.with_columns(
            [
                pl.col(c).map_elements(
                    lambda v: json.dumps(v, default=_json_default), return_dtype=pl.Utf8
                )
                if isinstance(dtype, pl.List | pl.Struct | pl.Array)
                else pl.col(c)
                for c, dtype in frame.schema.items()
            ]
        )
        flat = flat.select([c for c, d in flat.schema.items() if not isinstance(d, pl.Object)])
        write_csv(flat, out_dir / f"{name}.csv")
        written += [out_dir / f"{name}.csv", out_dir / f"{name}.parquet"]
    return written


def write_workbook(path: Path, plan: Any, summary: dict[str, Any], context: PlanContext) -> Path:
    """The plan workbook: *Ringkasan* first, then one sheet per table with Indonesian headings."""
    book = open_workbook(path)
    head = book.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1}
    )
    title = book.add_format({"bold": True, "font_size": 14})
    warn = book.add_format({"bold": True, "font_color": "#9C0006", "bg_color": "#FFC7CE"})
    bold = book.add_format({"bold": True})
    number = book.add_format({"num_format": "#,##0"})
    decimal = book.add_format({"num_format": "#,##0.00"})

    sheet = book.add_worksheet("Ringkasan")
    sheet.set_column(0, 0, 48)
    sheet.set_column(1, 1, 28)
    row = 0
    write_cell(sheet, row, 0, f"Rencana TUNTAS — {context.region_name} ({context.region})", title)
    row += 1
    if context.synthetic:
        write_cell(sheet, row, 0, "DATA SINTETIS — bukan orang sungguhan (synthetic data).", warn)
        row += 1
    interval = summary.get("households_lifted_interval") or {}
    lines = [
        ("Dibuat", context.generated_on),
        ("Skenario", context.scenario or "dasar (baseline)"),
        ("Keluarga terangkat dari kemiskinan ekstrem", summary["households_lifted"]),
        (
            "  rentang (Monte Carlo 5%–95%)",
            f"{interval.get('low', 0):,.0f} – {interval.get('high', 0):,.0f}",
        ),
        ("Lapangan kerja langsung", round(summary["jobs_created"], 1)),
        (
            "Lapangan kerja tidak langsung / induksi",
            f"{summary.get('jobs_indirect') or 0:,.0f} / {summary.get('jobs_induced') or 0:,.0f}",
        ),
        ("Orang ditempatkan", summary["persons_matched"]),
        ("Usaha mandiri (ultra mikro + pelatihan)", summary["self_employment_awards"]),
        ("Biaya program", summary["cost_total"]),
        ("Biaya per keluarga terangkat", summary.get("cost_per_household_lifted")),
        ("Pembiayaan yang digerakkan (KUR, LPDB…)", summary.get("financing_mobilised")),
        ("Garis kemiskinan ekstrem (Rp/kapita/bulan)", summary["extreme_line"]),
        ("Celah optimalitas solver", summary.get("solver_gap")),
        ("Sumber konsumsi", summary.get("consumption_source")),
    ]
    for label, value in lines:
        write_cell(sheet, row, 0, label, bold)
        if isinstance(value, float):
            write_cell(sheet, row, 1, value, decimal if abs(value) < 100 else number)
        elif isinstance(value, int):
            write_cell(sheet, row, 1, value, number)
        else:
            write_cell(sheet, row, 1, "" if value is None else str(value))
        row += 1
    row += 1
    write_cell(sheet, row, 0, "Asumsi yang dipakai (nilai tanpa sumber resmi)", bold)
    row += 1
    for item in summary.get("assumptions", []):
        if isinstance(item, str):
            text = item
        else:
            source = item.get("note") or item.get("reference") or ""
            text = f"{item.get('path', '')} = {item.get('value', '')} — {source}"
        write_cell(sheet, row, 0, text)
        row += 1

    names = plan.regions.select("region_code").unique()
    for table, (sheet_name, headings) in SHEETS.items():
        frame: pl.DataFrame = getattr(plan, table)
        if table == "regions" and "name" not in frame.columns:
            from tuntas.reference.regions import all_regions

            frame = frame.join(
                all_regions()
                .select(pl.col("code").alias("region_code"), "name")
                .join(names, on="region_code"),
                on="region_code",
                how="left",
            )
        columns = [c for c in headings if c in frame.columns]
        ws = book.add_worksheet(sheet_name)
        for c, column in enumerate(columns):
            write_cell(ws, 0, c, headings[column], head)
            ws.set_column(c, c, 30 if column in {"reasons", "eligibility"} else 16)
        for r, record in enumerate(frame.select(columns).iter_rows(), start=1):
            for c, value in enumerate(record):
                if value is None:
                    continue
                if isinstance(value, bool):
                    write_cell(ws, r, c, "Ya" if value else "Tidak")
                elif isinstance(value, int | float):
                    write_cell(ws, r, c, value, number if abs(value) >= 100 else decimal)
                elif isinstance(value, dt.date):
                    write_cell(ws, r, c, value.isoformat())
                elif isinstance(value, list | dict):
                    write_cell(ws, r, c, json.dumps(value, default=_json_default))
                else:
                    write_cell(ws, r, c, str(value))
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(frame.height, 1), max(len(columns) - 1, 0))
    book.close()
    return path


def brief_html(plan: Any, summary: dict[str, Any], context: PlanContext) -> str:
    """The brief as HTML (rendered to PDF by WeasyPrint): key numbers, map, budgets, assumptions."""
    desa = plan.regions.filter(pl.col("level") == "desa_kelurahan").select(
        "region_code", pl.col("households_lifted").cast(pl.Float64).alias("value")
    )
    regency = context.region[:5]
    map_svg = to_svg(
        desa_map(
            desa,
            within=regency,
            title="Keluarga terangkat per desa",
            legend="keluarga",
            width=430,
            height=330,
        )
    )
    interval = summary.get("households_lifted_interval") or {}
    p0_before = summary["p0_before"].get(context.region)
    p0_after = summary["p0_after"].get(context.region)
    budgets = plan.budgets.filter(
        pl.col("limit").is_not_null() & ((pl.col("limit") > 0) | (pl.col("used") > 0))
    )
    budget_rows = "".join(
        f"<tr><td>{html.escape(str(r['key']))}</td><td>{html.escape(str(r['source']))}</td>"
        f"<td class='n'>{_rupiah(r['limit'])}</td><td class='n'>{_rupiah(r['used'])}</td>"
        f"<td class='n'>{(r['marginal_per_miliar'] or 0):,.0f}</td></tr>"
        for r in budgets.iter_rows(named=True)
    )
    banner = (
        "<p class='warn'>DATA SINTETIS — bukan orang sungguhan. "
        "Angka ini menguji alat, bukan kondisi nyata.</p>"
        if context.synthetic
        else ""
    )
    template = (
        resources.files("tuntas.reports").joinpath("templates", "brief.html").read_text("utf-8")
    )
    return template.format(
        region_name=html.escape(context.region_name),
        generated_on=html.escape(context.generated_on),
        scenario=html.escape(context.scenario or "dasar"),
        banner=banner,
        lifted=f"{summary['households_lifted']:,}",
        low=f"{interval.get('low', 0):,.0f}",
        high=f"{interval.get('high', 0):,.0f}",
        jobs=f"{summary['jobs_created']:,.0f}",
        indirect=f"{summary.get('jobs_indirect') or 0:,.0f}",
        induced=f"{summary.get('jobs_induced') or 0:,.0f}",
        cost=_rupiah(summary["cost_total"]),
        cost_per=_rupiah(summary.get("cost_per_household_lifted")),
        p0_before=f"{p0_before or 0:.2f}",
        p0_after=f"{p0_after or 0:.2f}",
        map_svg=map_svg,
        budget_rows=budget_rows,
        gap=f"{summary.get('solver_gap') or 0:.2e}",
        assumptions=len(summary.get("assumptions", [])),
        line=f"{summary['extreme_line']:,.0f}",
        consumption_source=html.escape(str(summary.get("consumption_source"))),
    )


def write_brief(path: Path, plan: Any, summary: dict[str, Any], context: PlanContext) -> Path:
    """The PDF brief (WeasyPrint)."""
    import weasyprint

    weasyprint.HTML(string=brief_html(plan, summary, context)).write_pdf(str(path))
    return path


def write_plan(
    plan: Any, out_dir: Path, context: PlanContext, *, matches: pl.DataFrame | None = None
) -> dict[str, Any]:
    """Write every output of a plan into ``out_dir``; returns the summary document.

    ``matches`` replaces ``plan.matches`` in the files (e.g. with masked names and NIK joined).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    if matches is not None:
        plan = _with_matches(plan, matches)
    write_tables(plan, out_dir)
    document = summary_document(plan.summary, context)
    (out_dir / "summary.json").write_text(
        json.dumps(document, indent=2, ensure_ascii=False, default=_json_default), encoding="utf-8"
    )
    write_workbook(out_dir / "rencana.xlsx", plan, plan.summary, context)
    write_brief(out_dir / "ringkasan_bupati.pdf", plan, plan.summary, context)
    return document


def _with_matches(plan: Any, matches: pl.DataFrame) -> Any:
    from dataclasses import replace

    return replace(plan, matches=matches)
