"""``tuntas plan``: the costed plan (issue 5), and ``tuntas plan compare A B``."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Annotated, Any

import polars as pl
import typer
import yaml
from rich.table import Table

from tuntas.cli.common import FromDir, app, console, out, progress_bar

plan_app = typer.Typer(no_args_is_help=False, invoke_without_command=True)
app.add_typer(plan_app, name="plan")

_UNITS = {"rb": 1e3, "ribu": 1e3, "jt": 1e6, "juta": 1e6, "m": 1e9, "miliar": 1e9, "milyar": 1e9}


def parse_rupiah(text: str) -> float:
    """``5000000000``, ``5.000.000.000``, ``5e9``, ``5 miliar``, ``750 juta`` → rupiah.

    >>> parse_rupiah("5 miliar"), parse_rupiah("750juta"), parse_rupiah("1.000.000.000")
    (5000000000.0, 750000000.0, 1000000000.0)
    """
    raw = text.strip().lower().replace("rp", "").replace("_", "").strip()
    match = re.fullmatch(r"([0-9][0-9.,]*(?:e[0-9]+)?)\s*([a-z]*)", raw)
    if not match or (match.group(2) and match.group(2) not in _UNITS):
        raise typer.BadParameter(
            f"not an amount in rupiah: {text!r} (e.g. 5000000000 or '5 miliar')"
        )
    number, unit = match.groups()
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", number):
        number = number.replace(".", "")
    number = number.replace(",", ".")
    return float(number) * _UNITS.get(unit, 1.0)


def parse_budgets(items: list[str]) -> dict[str, float]:
    """``NAME=RUPIAH`` pairs (``kur_subsidy=5000000000``)."""
    budgets: dict[str, float] = {}
    for item in items:
        if "=" not in item:
            raise typer.BadParameter(f"--budget needs NAME=RUPIAH, got {item!r}")
        name, amount = item.split("=", 1)
        budgets[name.strip()] = parse_rupiah(amount)
    return budgets


def _consumption(
    tables: dict[str, pl.DataFrame], *, region: str, from_dir: Path | None, synthetic: bool
) -> tuple[pl.DataFrame | None, pl.DataFrame | None]:
    """(truth, consumption): the synthetic ground truth when the folder has it, else the PMT."""
    if from_dir is not None and synthetic and (from_dir / "truth_households.parquet").exists():
        return pl.read_parquet(from_dir / "truth_households.parquet"), None
    from tuntas.poverty.analysis import pmt_consumption

    return None, pmt_consumption(tables, region=region)


def masked_matches(matches: pl.DataFrame, *, from_dir: Path | None) -> pl.DataFrame:
    """The matches with the person's name and NIK masked (never in clear in a plan's files)."""
    if matches.is_empty():
        return matches.with_columns(
            pl.lit(None, dtype=pl.Utf8).alias("name"), pl.lit(None, dtype=pl.Utf8).alias("nik")
        )
    ids = matches["person_id"].to_list()
    if from_dir is None:
        from tuntas.web.registry.identity import person_identities

        identities = person_identities(ids)
    else:
        from tuntas.cli.keys import optional_protector
        from tuntas.protect import mask_name, mask_nik_series

        persons = pl.read_parquet(
            from_dir / "persons.parquet", columns=["person_id", "name", "nik"]
        ).join(pl.DataFrame({"person_id": ids}), on="person_id", how="semi")
        identities = persons.select(
            "person_id",
            pl.col("name").map_elements(mask_name, return_dtype=pl.Utf8),
            mask_nik_series(persons["nik"], optional_protector()),
        )
    return matches.join(identities, on="person_id", how="left")


def print_plan_summary(document: dict[str, Any]) -> None:
    """The plan's headline numbers (Indonesian), for the command and the demo."""
    interval = document.get("households_lifted_interval") or {}
    table = Table(
        title=f"Rencana — {document.get('region_name', document['region'])}"
        + (" — DATA SINTETIS" if document.get("synthetic") else "")
    )
    table.add_column("ukuran")
    table.add_column("nilai", justify="right")
    cost_per = document.get("cost_per_household_lifted")
    low, high = interval.get("low", 0), interval.get("high", 0)
    indirect, induced = document.get("jobs_indirect") or 0, document.get("jobs_induced") or 0
    region = document["region"]
    p0_before, p0_after = document["p0_before"].get(region, 0), document["p0_after"].get(region, 0)
    rows = [
        (
            "keluarga terangkat (rentang 5–95%)",
            f"{document['households_lifted']:,} ({low:,.0f}–{high:,.0f})",
        ),
        (
            "lapangan kerja langsung / tidak langsung / induksi",
            f"{document['jobs_created']:,.0f} / {indirect:,.0f} / {induced:,.0f}",
        ),
        (
            "orang ditempatkan / usaha mandiri",
            f"{document['persons_matched']:,} / {document['self_employment_awards']:,}",
        ),
        (
            "usaha didukung / instrumen",
            f"{document['enterprises_supported']:,} / {document['instruments_allocated']:,}",
        ),
        ("biaya program (Rp)", f"{document['cost_total']:,.0f}"),
        ("biaya per keluarga terangkat (Rp)", f"{cost_per:,.0f}" if cost_per else "–"),
        ("P0 ekstrem sebelum → sesudah (%)", f"{p0_before:.2f} → {p0_after:.2f}"),
        ("celah optimalitas", f"{document.get('solver_gap') or 0:.2e}"),
        ("waktu (detik)", f"{document.get('runtime_s', 0):.1f}"),
    ]
    for label, value in rows:
        table.add_row(label, value)
    out.print(table)
    budgets = Table(title="Anggaran: terpakai dan nilai tambah (keluarga per Rp 1 miliar tambahan)")
    for heading in ("pos", "pagu", "terpakai", "nilai tambah"):
        budgets.add_column(heading, justify="left" if heading == "pos" else "right")
    for name, item in document.get("budgets", {}).items():
        if item.get("limit") is None:
            continue
        budgets.add_row(
            name,
            f"{item['limit']:,.0f}",
            f"{item['used']:,.0f}",
            f"{item.get('marginal_value') or 0:,.1f}",
        )
    out.print(budgets)
    out.print(
        f"{len(document.get('assumptions', []))} nilai asumsi dipakai (lihat summary.json / rencana.xlsx)."
    )


@plan_app.callback(invoke_without_command=True)
def plan(
    ctx: typer.Context,
    region: Annotated[
        str | None, typer.Option(help="Kemendagri code of the regency (or a kecamatan).")
    ] = None,
    budget: Annotated[
        list[str] | None,
        typer.Option(
            "--budget",
            help="NAME=RUPIAH, repeatable (e.g. kur_subsidy=5000000000, training='1 miliar').",
        ),
    ] = None,
    scenario: Annotated[
        Path | None,
        typer.Option(
            help="A scenario YAML (a reform over the baseline).", exists=True, dir_okay=False
        ),
    ] = None,
    runs: Annotated[int, typer.Option(help="Monte Carlo runs for the intervals.", min=0)] = 200,
    seed: Annotated[int, typer.Option(help="Seed of the Monte Carlo runs.")] = 1,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Folder for the plan's files.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    from_dir: FromDir = None,
) -> None:
    """The costed plan: instruments for enterprises, jobs, who takes them, families lifted, cost.

    Writes allocations, placements (NIK masked), the summary, a workbook and a brief into --out.

    Chooses instruments for enterprises and self-employment awards under the budgets (HiGHS), matches
    extreme-poor workers to the jobs (OR-Tools min-cost flow), simulates consumption before and
    after, and writes DIR/summary.json, the tables as CSV/Parquet, rencana.xlsx and
    ringkasan_bupati.pdf. Budgets not given are zero, except quota lines such as the banks' KUR.
    """
    if ctx.invoked_subcommand is not None:
        return
    if region is None or out_dir is None:
        raise typer.BadParameter("give --region and --out (or use: tuntas plan compare A B)")
    from tuntas.cli.data import data_is_synthetic, load_tables
    from tuntas.economy.opportunity import plan_multipliers, regency_io_table
    from tuntas.params.loader import ParameterError
    from tuntas.planning.plan import check_plan, make_plan
    from tuntas.planning.scenarios import read_scenario
    from tuntas.reference import exists, name_of, normalize_code
    from tuntas.reports.plan import PlanContext, write_plan

    try:
        code = normalize_code(region)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
    if not exists(code):
        raise typer.BadParameter(f"unknown region {code!r} (Kepmendagri 2025)")
    regency = code[:5]
    budgets = parse_budgets(budget or [])
    try:
        reform = read_scenario(scenario) if scenario else None
    except (ValueError, ParameterError, yaml.YAMLError, OSError) as error:
        console.print(f"[red]skenario tidak terbaca / scenario not read[/] {scenario}: {error}")
        raise typer.Exit(code=1) from None
    with progress_bar() as bar:
        task = bar.add_task("memuat data", total=1.0)
        kinds = ["households", "persons", "enterprises", "survey", "villages"]
        tables = load_tables(kinds, region=regency, from_dir=from_dir)
        empty = [
            kind
            for kind in ("households", "persons", "enterprises", "survey")
            if tables[kind].is_empty()
        ]
        if empty:
            console.print(
                f"[red]tidak ada data untuk {code}[/] / no data for {code}: {', '.join(empty)} "
                "(import them first, or use --from DIR)"
            )
            raise typer.Exit(code=1)
        synthetic = data_is_synthetic(from_dir)
        openings = None
        if from_dir is None:
            openings = load_tables(["openings"], region=regency)["openings"]
        bar.update(task, description="konsumsi dan pengganda", completed=0.2)
        truth, consumption = _consumption(
            tables, region=regency, from_dir=from_dir, synthetic=synthetic
        )
        io_table, _employment = regency_io_table(
            tables["enterprises"],
            persons=tables["persons"],
            villages=tables["villages"],
            region=regency,
        )
        bar.update(task, description="alokasi, penempatan, simulasi", completed=0.35)
        result = make_plan(
            tables,
            region=code,
            budgets=budgets,
            scenario=reform,
            runs=runs,
            seed=seed,
            truth=truth,
            consumption=consumption,
            openings=openings if openings is not None and openings.height else None,
            multipliers=plan_multipliers(io_table, region=regency),
        )
        problems = check_plan(result)
        bar.update(task, description="menulis berkas", completed=0.85)
        context = PlanContext(
            region=code,
            region_name=name_of(code),
            synthetic=synthetic,
            generated_on=dt.date.today().isoformat(),
            budgets_asked=budgets,
            scenario=scenario.stem if scenario else None,
        )
        document = write_plan(
            result, out_dir, context, matches=masked_matches(result.matches, from_dir=from_dir)
        )
        bar.update(task, description="selesai", completed=1.0)
    if problems:
        console.print(
            "[red]pemeriksaan rencana gagal / plan checks failed:[/] " + "; ".join(problems)
        )
        raise typer.Exit(code=2)
    if as_json:
        typer.echo(json.dumps(document, indent=2, ensure_ascii=False, default=str))
    else:
        print_plan_summary(document)
        console.print(f"berkas / files → {out_dir}")


COMPARED = (
    ("households_lifted", "keluarga terangkat"),
    ("jobs_created", "lapangan kerja langsung"),
    ("persons_matched", "orang ditempatkan"),
    ("self_employment_awards", "usaha mandiri"),
    ("cost_total", "biaya program (Rp)"),
    ("cost_per_household_lifted", "biaya per keluarga (Rp)"),
)


def compare_documents(a: dict[str, Any], b: dict[str, Any]) -> list[dict[str, Any]]:
    """Side-by-side values of two plan summaries with B − A, plus per-budget use."""
    rows = []
    for key, label in COMPARED:
        va, vb = a.get(key), b.get(key)
        diff = vb - va if isinstance(va, int | float) and isinstance(vb, int | float) else None
        rows.append({"measure": key, "label": label, "a": va, "b": vb, "difference": diff})
    region = a["region"]
    pa, pb = a["p0_after"].get(region), b["p0_after"].get(region)
    rows.append(
        {
            "measure": "p0_after",
            "label": "P0 ekstrem sesudah (%)",
            "a": pa,
            "b": pb,
            "difference": (pb - pa) if pa is not None and pb is not None else None,
        }
    )
    for name in sorted(set(a.get("budgets", {})) | set(b.get("budgets", {}))):
        ua = (a.get("budgets", {}).get(name) or {}).get("used")
        ub = (b.get("budgets", {}).get(name) or {}).get("used")
        if ua or ub:
            rows.append(
                {
                    "measure": f"budget.{name}.used",
                    "label": f"anggaran {name} terpakai (Rp)",
                    "a": ua,
                    "b": ub,
                    "difference": (ub or 0) - (ua or 0),
                }
            )
    return rows


@plan_app.command("compare")
def compare(
    plan_a: Annotated[
        Path,
        typer.Argument(help="Folder of plan A (with summary.json).", exists=True, file_okay=False),
    ],
    plan_b: Annotated[Path, typer.Argument(help="Folder of plan B.", exists=True, file_okay=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Compare two plans (e.g. two budget scenarios) side by side."""
    a = json.loads((plan_a / "summary.json").read_text(encoding="utf-8"))
    b = json.loads((plan_b / "summary.json").read_text(encoding="utf-8"))
    if a["region"] != b["region"]:
        console.print(
            f"[yellow]wilayah berbeda / different regions: {a['region']} vs {b['region']}[/]"
        )
    rows = compare_documents(a, b)
    if as_json:
        typer.echo(
            json.dumps({"a": str(plan_a), "b": str(plan_b), "rows": rows}, indent=2, default=str)
        )
        return
    table = Table(title=f"Perbandingan rencana: A = {plan_a.name}, B = {plan_b.name}")
    for heading in ("ukuran", "A", "B", "B − A"):
        table.add_column(heading, justify="left" if heading == "ukuran" else "right")

    def fmt(value: Any) -> str:
        return (
            "–"
            if value is None
            else f"{value:,.2f}"
            if isinstance(value, float) and abs(value) < 100
            else f"{value:,.0f}"
        )

    for row in rows:
        table.add_row(row["label"], fmt(row["a"]), fmt(row["b"]), fmt(row["difference"]))
    out.print(table)
