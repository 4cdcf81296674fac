"""Poverty commands (issue 3): ``poverty`` and ``targets``.

``tuntas poverty`` runs :func:`tuntas.poverty.poverty_analysis` on the database (or a folder with
``--from``) and prints Rich tables with Indonesian headings, or writes JSON, CSV or xlsx.
:func:`render_poverty_summary` prints the short regency summary the demo shows.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tuntas.cli.common import FromDir, app, console, out, progress_bar

if TYPE_CHECKING:
    import polars as pl

    from tuntas.poverty.analysis import PovertyReport

LEVEL_NAMES = {"kabupaten": "kabupaten", "kecamatan": "kecamatan", "desa": "desa/kelurahan"}
LINE_NAMES = {
    "national": "garis kemiskinan",
    "extreme": "garis kemiskinan ekstrem",
    "custom": "garis",
}
KIND_ALIASES = {
    "national": "national",
    "nasional": "national",
    "extreme": "extreme",
    "ekstrem": "extreme",
}
MONTHS = ("", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")  # fmt: skip
DESA_SHOWN = 20


def parse_line(raw: str) -> str | float:
    """``extreme``/``national`` (or ekstrem/nasional), or a rupiah amount (``450000``, ``450.000``).

    Examples
    --------
    >>> parse_line("ekstrem"), parse_line("505.826"), parse_line("Rp 450,000")
    ('extreme', 505826.0, 450000.0)
    """
    key = raw.strip().lower()
    if key in KIND_ALIASES:
        return KIND_ALIASES[key]
    digits = re.sub(r"[^\d.]", "", key.replace(",", ""))
    if digits.count(".") > 1 or re.search(r"\.\d{3}$", digits):
        digits = digits.replace(".", "")
    try:
        value = float(digits)
    except ValueError:
        raise typer.BadParameter(
            f"{raw!r}: use extreme, national or an amount in rupiah per capita per month"
        ) from None
    if value <= 0:
        raise typer.BadParameter("the line must be positive")
    return value


def _number(value: Any, digits: int = 2) -> str:
    if value is None:
        return "–"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return "–"
    return f"{number:,.{digits}f}"


def _line_title(report: PovertyReport) -> str:
    line = report.line
    when = f"{MONTHS[line.date.month]} {line.date.year}"
    status = "asumsi" if line.is_assumption else "terbit/published"
    name = LINE_NAMES.get(line.kind, "garis")
    return f"{name} Rp {line.rupiah:,.0f}/kapita/bulan ({when}, {line.basis}, {status})"


def _fgt_table(title: str, rows: list[dict[str, Any]], *, area_heading: str) -> Table:
    table = Table(title=title)
    table.add_column("kode")
    table.add_column(area_heading)
    for heading in ("P0 (%)", "se", "P1", "se", "P2", "se", "penduduk miskin", "jumlah penduduk",
                    "ruta sampel", "penduga"):  # fmt: skip
        table.add_column(heading, justify="right")
    for row in rows:
        table.add_row(
            str(row["region_code"]),
            str(row.get("name") or ""),
            _number(row["p0"]),
            _number(row["se_p0"]),
            _number(row["p1"], 3),
            _number(row["se_p1"], 3),
            _number(row["p2"], 3),
            _number(row["se_p2"], 3),
            _number(row["poor"], 0),
            _number(row["population"], 0),
            _number(row["n_households"], 0),
            str(row.get("estimator") or ""),
        )
    return table


def _header(report: PovertyReport, console: Console) -> None:
    if report.synthetic:
        console.print("[bold yellow]DATA SINTETIS[/] — synthetic data, not real people.")
    console.print(
        f"[bold]Kemiskinan {report.region_name} ({report.region})[/] — {_line_title(report)}"
    )
    console.print(
        _fgt_table("Ringkasan kabupaten (survei)", [report.regency], area_heading="wilayah")
    )


def _targeting_lines(report: PovertyReport, console: Console) -> None:
    targeting = report.targeting
    if "threshold" in targeting:
        console.print(
            f"Sasaran PMT (R² {targeting['r2']:.2f}): {targeting['listed_households']:,} keluarga "
            f"dalam daftar calon — {targeting['verified_extreme']:,} terverifikasi ekstrem, "
            f"{targeting['candidates_to_verify']:,} perlu diverifikasi; ambang p ≥ "
            f"{targeting['threshold']:.3f} dikalibrasi ke {targeting['target_persons']:,.0f} jiwa "
            f"miskin ekstrem ({targeting['target_source']})."
        )
    if report.convergence is not None:
        summary = report.convergence.summary()
        console.print(
            f"Konvergensi: {summary['reached_none']:,} dari {summary['households']:,} keluarga "
            f"calon/terverifikasi belum menerima program apa pun "
            f"({summary['reached_none_verified']:,} di antaranya terverifikasi ekstrem)."
        )


def _assumption_lines(report: PovertyReport, console: Console) -> None:
    for note in report.assumptions():
        console.print(f"[yellow]asumsi[/]: {note}")


def render_poverty_summary(report: PovertyReport, console: Console) -> None:
    """The regency's poverty summary (for ``make demo``): the line, P0/P1/P2 with standard
    errors and poor people, the candidate list, convergence gaps and the assumptions."""
    _header(report, console)
    _targeting_lines(report, console)
    _assumption_lines(report, console)


def render_report(report: PovertyReport, console: Console) -> None:
    """Everything of the report as Rich tables (Indonesian headings)."""
    _header(report, console)
    if report.level != "kabupaten" and report.levels.height:
        console.print(
            _fgt_table(
                f"Per {LEVEL_NAMES[report.level]} (Fay–Herriot; penduga langsung di --json)",
                report.levels.to_dicts(),
                area_heading=report.level,
            )
        )
    if report.small_area.height and report.level != "desa":
        import polars as pl

        kind = report.line.kind
        desa = report.small_area.filter(
            (pl.col("level") == "desa") & (pl.col("line_kind") == kind)
        ).sort("poor", descending=True, nulls_last=True)
        table = Table(
            title=(
                f"Estimasi area kecil per desa, P0 {LINE_NAMES.get(kind, kind)} — "
                f"{min(DESA_SHOWN, desa.height)} dari {desa.height} desa dengan penduduk miskin "
                "terbanyak (semua di --json/--out)"
            )
        )
        for heading in ("kode", "desa"):
            table.add_column(heading)
        for heading in ("P0 langsung", "P0 EBLUP", "RMSE", "CV (%)", "penduduk miskin",
                        "penduduk", "ruta sampel", "penduga"):  # fmt: skip
            table.add_column(heading, justify="right")
        for row in desa.head(DESA_SHOWN).to_dicts():
            table.add_row(
                row["region_code"],
                str(row.get("name") or ""),
                _number(row["direct"]),
                _number(row["eblup"]),
                _number(row["rmse"]),
                _number(row["cv_pct"], 1),
                _number(row["poor"], 0),
                _number(row["population"], 0),
                _number(row["n_households"], 0),
                row["estimator"],
            )
        console.print(table)
    holdout = report.targeting.get("holdout") or []
    if holdout:
        table = Table(title="Galat sasaran PMT pada data uji (validasi silang per PSU)")
        for heading in ("garis", "ambang", "galat inklusi", "galat eksklusi", "cakupan"):
            table.add_column(heading, justify="right")
        for row in holdout:
            table.add_row(
                row["line_kind"],
                _number(row["threshold"], 3),
                _number(row["inclusion_error"], 3),
                _number(row["exclusion_error"], 3),
                _number(row["coverage"], 3),
            )
        console.print(table)
    _targeting_lines(report, console)
    for note in report.notes:
        console.print(f"[dim]catatan: {note}[/]")
    _assumption_lines(report, console)


def _sheet_rows(mapping: dict[str, Any]) -> pl.DataFrame:
    import polars as pl

    return pl.DataFrame(
        {
            "keterangan": list(mapping),
            "nilai": [
                json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else str(v)
                for v in mapping.values()
            ],
        }
    )


def write_report(report: PovertyReport, path: Path) -> list[Path]:
    """Write the report by the suffix of ``path``: ``.json``, ``.csv`` (level rows, plus
    ``<stem>_area_kecil.csv`` with the small-area rows) or ``.xlsx`` (one sheet per part)."""
    import polars as pl

    from tuntas.poverty.analysis import clean
    from tuntas.spreadsheets import neutralise_frame, open_workbook, write_csv

    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = report.levels if report.level != "kabupaten" else pl.DataFrame([report.regency])
    if suffix == ".json":
        path.write_text(
            json.dumps(report.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8"
        )
        return [path]
    if suffix == ".csv":
        regency = pl.DataFrame([report.regency]).select(
            [c for c in rows.columns if c in report.regency]
        )
        combined = (
            pl.concat([regency, rows], how="diagonal_relaxed")
            if report.level != "kabupaten"
            else rows
        )
        stamp = [
            pl.lit(report.synthetic).alias("synthetic"),
            pl.lit(report.line.kind).alias("line_kind"),
            pl.lit(report.line.rupiah).alias("line_rupiah"),
            pl.lit(report.line.status).alias("line_status"),
        ]
        write_csv(combined.with_columns(stamp), path)
        written = [path]
        if report.small_area.height:
            small = path.with_name(f"{path.stem}_area_kecil.csv")
            write_csv(report.small_area.with_columns(stamp[0]), small)
            written.append(small)
        return written
    if suffix == ".xlsx":
        about: dict[str, Any] = {
            "wilayah": f"{report.region_name} ({report.region})",
            "tingkat": report.level,
            "tahun": report.year,
            "data sintetis": "YA — DATA SINTETIS" if report.synthetic else "tidak",
            **{f"garis {k}": v for k, v in clean(report.line.to_dict()).items()},
            "asumsi": "; ".join(report.assumptions()) or "-",
            "catatan": "; ".join(report.notes) or "-",
        }
        targeting = {k: v for k, v in report.targeting.items() if k != "holdout"}
        sheets: list[tuple[str, pl.DataFrame]] = [
            ("Keterangan", _sheet_rows(about)),
            ("Kabupaten", pl.DataFrame([report.regency])),
        ]
        if report.level != "kabupaten":
            sheets.append((f"Per {report.level}", rows))
        if report.small_area.height:
            sheets.append(("Area kecil", report.small_area))
        if targeting:
            sheets.append(("Sasaran PMT", _sheet_rows(clean(targeting))))
        holdout = report.targeting.get("holdout")
        if holdout:
            sheets.append(("Galat sasaran", pl.DataFrame(holdout)))
        if report.convergence is not None:
            sheets.append(("Konvergensi desa", report.convergence.by_desa))
        with open_workbook(path) as workbook:
            for name, frame in sheets:
                neutralise_frame(frame).write_excel(workbook=workbook, worksheet=name)
        return [path]
    raise typer.BadParameter(f"--out must end in .json, .csv or .xlsx, not {path.name!r}")


@app.command()
def poverty(
    region: Annotated[
        str, typer.Option("--region", help="Kemendagri code of the kabupaten/kota, e.g. 33.10.")
    ],
    level: Annotated[
        str, typer.Option(help="Rows of the report: kabupaten, kecamatan or desa.")
    ] = "kabupaten",
    line: Annotated[
        str,
        typer.Option("--line", help="extreme, national, or a line in rupiah per capita per month."),
    ] = "national",
    year: Annotated[
        int | None,
        typer.Option(help="Year of the lines (1 March); default the year of the village data."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write the report to FILE (.json, .csv, .xlsx).")
    ] = None,
    from_dir: FromDir = None,
    lines_file: Annotated[
        Path | None,
        typer.Option(
            "--lines",
            help="Override lines from a CSV (region_code,year,kind,rupiah,basis,source) or YAML file.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Poverty of a regency: P0, P1, P2 with standard errors, small areas, targeting, convergence.

    P0, P1 and P2 (×100, as BPS reports them) with standard errors and poor people; small-area
    estimates per kecamatan and desa; the PMT candidate list summary and programme convergence.

    Reads the database (or --from DIR, e.g. a folder written by ``tuntas synth``). The regency row
    is the survey's direct estimate; kecamatan and desa rows are Fay–Herriot estimates with their
    RMSE (direct estimates alongside in the JSON). Every output says whether the data are
    synthetic and which lines are assumptions.
    """
    from tuntas.cli.data import data_is_synthetic, load_tables
    from tuntas.params.loader import ParameterError
    from tuntas.poverty.analysis import poverty_analysis
    from tuntas.poverty.lines import with_line_overrides
    from tuntas.reference import normalize_code

    if as_json and out_file is not None:
        raise typer.BadParameter("give --json or --out, not both")
    if level not in ("kabupaten", "kecamatan", "desa"):
        raise typer.BadParameter(f"--level must be kabupaten, kecamatan or desa, not {level!r}")
    try:
        code = normalize_code(region)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
    line_kind = parse_line(line)
    try:
        params = with_line_overrides(lines_file) if lines_file is not None else None
    except (ParameterError, OSError) as error:
        console.print(f"[red]garis tidak terbaca / lines not read[/]: {error}")
        raise typer.Exit(code=1) from None

    with progress_bar() as bar:
        task = bar.add_task("memuat data", total=1.0)
        kinds = ["survey", "households", "persons", "villages"]
        tables = load_tables(kinds, region=code, from_dir=from_dir)
        synthetic = data_is_synthetic(from_dir)
        truth = None
        if from_dir is not None and synthetic and (from_dir / "truth_households.parquet").exists():
            import polars as pl

            truth = pl.read_parquet(from_dir / "truth_households.parquet")
        bar.update(task, description="analisis kemiskinan", completed=0.4)
        if tables["survey"].height == 0:
            console.print(
                f"[red]tidak ada data survei untuk {code}[/] / no survey households for {code}: "
                "import a survey (tuntas import survey FILE) or use --from DIR"
            )
            raise typer.Exit(code=1)
        try:
            report = poverty_analysis(
                tables,
                region=code,
                level=level,
                line_kind=line_kind,
                year=year,
                params=params,
                synthetic=synthetic,
                truth=truth,
            )
        except (ParameterError, ValueError) as error:
            console.print(f"[red]analisis gagal / analysis failed[/]: {error}")
            raise typer.Exit(code=1) from None
        bar.update(task, description="selesai", completed=1.0)

    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    elif out_file is not None:
        written = write_report(report, out_file)
        console.print(
            ("[yellow]DATA SINTETIS[/] " if synthetic else "")
            + "ditulis / written: "
            + ", ".join(str(p) for p in written)
        )
    else:
        render_report(report, out)
