"""``tuntas targets``: the ranked candidate workbook a facilitator can use."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import polars as pl
import typer
from rich.markup import escape

from tuntas.cli.common import FromDir, app, console, progress_bar

if TYPE_CHECKING:
    from tuntas.web.audit.services import Actor


def _identities(
    household_ids: list[str],
    *,
    from_dir: Path | None,
    reveal: bool,
    purpose: str | None,
    actor: Actor | None,
) -> pl.DataFrame:
    """Masked (or, audited, clear) head names and NIK, from the database or a synthetic folder."""
    from tuntas.cli.keys import optional_protector
    from tuntas.protect import mask_name, mask_nik_series

    if from_dir is None:
        from tuntas.web.audit.services import command_line_actor
        from tuntas.web.registry.identity import household_identities

        return household_identities(
            household_ids,
            reveal=reveal,
            actor=actor.name if actor else "",
            purpose=purpose or "",
            audit_detail={"actor_kind": actor.kind, "os_user": command_line_actor()}
            if actor
            else None,
        )
    path = from_dir / "households.parquet"
    frame = pl.read_parquet(path, columns=["household_id", "head_name", "head_nik"])
    frame = frame.join(pl.DataFrame({"household_id": household_ids}), on="household_id", how="semi")
    return frame.select(
        "household_id",
        pl.col("head_name").map_elements(mask_name, return_dtype=pl.Utf8),
        mask_nik_series(frame["head_nik"], optional_protector()),
    )


def _reveal_actor(actor: str | None, purpose: str | None) -> Actor:
    """The named actor of a reveal, after checking the purpose is real text; exit 2 otherwise."""
    from tuntas.web.bootstrap import ensure_schema

    ensure_schema()
    from tuntas.web.audit.services import AuditRefused, resolve_actor, validate_purpose

    try:
        validate_purpose(purpose)
        return resolve_actor(actor)
    except AuditRefused as refused:
        console.print(f"[red]Ditolak / refused[/]: {escape(str(refused))}")
        raise typer.Exit(code=2) from None


@app.command()
def targets(
    region: Annotated[
        str, typer.Option(help="Kemendagri code of the kabupaten/kota or a kecamatan.")
    ],
    out_file: Annotated[Path, typer.Option("--out", help="The workbook to write (.xlsx).")],
    year: Annotated[int | None, typer.Option(help="Year of the extreme line (1 March).")] = None,
    from_dir: FromDir = None,
    reveal: Annotated[
        bool,
        typer.Option(
            help="Show names and NIK in clear (database only; recorded in the audit log)."
        ),
    ] = False,
    purpose: Annotated[
        str | None, typer.Option(help="Why names are revealed (required with --reveal).")
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option(
            help="Who reveals (a TUNTAS user, or a name recorded as given); default $TUNTAS_USER."
        ),
    ] = None,
) -> None:
    """Write the ranked candidate list per desa as a workbook a facilitator can use.

    Every candidate household (desil 1, the proxy-means test above its calibrated threshold, or a
    recorded decision) with its rank in the desa, probability of being extreme-poor, desil and its
    source, verification status and the programmes it receives; names and NIK masked. The yellow
    columns are for the village consultation's decisions; the filled workbook imports back with
    ``tuntas import verifications FILE.xlsx --sheet "Daftar Calon"``.
    """
    from tuntas.cli.data import data_is_synthetic, load_tables
    from tuntas.poverty.analysis import poverty_analysis
    from tuntas.reference import all_regions, normalize_code
    from tuntas.reports.targets import WorkbookContext, candidate_rows, write_targets_workbook

    if out_file.suffix.lower() != ".xlsx":
        raise typer.BadParameter("--out must be an .xlsx file")
    if reveal and not purpose:
        raise typer.BadParameter("--reveal needs --purpose (it is written to the audit log)")
    if reveal and from_dir is not None:
        raise typer.BadParameter("--reveal works on the database only (it is audited there)")
    who = _reveal_actor(actor, purpose) if reveal else None
    code = normalize_code(region)
    regency = code[:5]
    names = all_regions().filter(pl.col("code").str.starts_with(regency)).select("code", "name")
    if names.filter(pl.col("code") == code).is_empty():
        raise typer.BadParameter(f"unknown region {region!r} (a Kemendagri code such as 33.10)")
    with progress_bar() as bar:
        task = bar.add_task("memuat data", total=1.0)
        tables = load_tables(
            ["survey", "households", "persons", "villages"], region=regency, from_dir=from_dir
        )
        synthetic = data_is_synthetic(from_dir)
        if tables["survey"].is_empty() or tables["households"].is_empty():
            missing = "survey" if tables["survey"].is_empty() else "households"
            console.print(
                f"[red]Belum ada data {missing}[/]: impor dulu dengan 'tuntas import {missing} "
                f"BERKAS' (model PMT memerlukan survei dan registri). / No {missing} data yet: "
                f"import it first with 'tuntas import {missing} FILE'."
            )
            raise typer.Exit(code=1)
        bar.update(task, description="model dan daftar", completed=0.3)
        report = poverty_analysis(
            tables, region=regency, line_kind="extreme", year=year, synthetic=synthetic
        )
        candidates = report.candidates.filter(
            (pl.col("region_code") == code) | pl.col("region_code").str.starts_with(code + ".")
        )
        bar.update(task, description="identitas (tersamar)", completed=0.7)
        identities = _identities(
            candidates["household_id"].to_list(),
            from_dir=from_dir,
            reveal=reveal,
            purpose=purpose,
            actor=who,
        )
        programmes = report.convergence.households if report.convergence is not None else None
        rows = candidate_rows(candidates, programmes=programmes, identities=identities, names=names)
        context = WorkbookContext(
            region=code,
            region_name=names.filter(pl.col("code") == code)["name"].item(),
            line_rupiah=report.line.rupiah,
            line_basis=report.line.basis,
            line_reference=report.line.reference,
            line_is_assumption=report.line.status == "assumption",
            synthetic=synthetic,
            revealed=reveal,
            generated_on=dt.date.today().isoformat(),
            rule=str(report.targeting.get("rule", "")),
            assumptions=report.assumptions(),
        )
        write_targets_workbook(out_file, rows, context)
        bar.update(task, description="selesai", completed=1.0)
    console.print(
        f"[green]{rows.height:,} keluarga calon[/] di {rows['region_code'].n_unique()} desa → {out_file}"
        + (" [yellow]DATA SINTETIS[/]" if synthetic else "")
        + (" [red]nama dan NIK terbuka (tercatat di audit)[/]" if reveal else "")
    )
