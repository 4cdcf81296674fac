"""``tuntas info``: what is in the database, per table and per kecamatan, and what was flagged."""

from __future__ import annotations

from typing import Any

import polars as pl
from rich.console import Console
from rich.table import Table

from tuntas.reference.regions import all_regions
from tuntas.web.bootstrap import ensure_schema, setup_django


def _scalar(sql: str, *, using: str) -> int:
    from django.db import connections

    with connections[using].cursor() as cursor:
        cursor.execute(sql)
        value = cursor.fetchone()[0]
    return int(value or 0)


def database_info(*, using: str = "default") -> dict[str, Any]:
    """Counts per table, per kecamatan, flags by rule and import batches (JSON-friendly)."""
    setup_django()
    ensure_schema(using=using)
    from tuntas.web.imports.bulk import fetch_frame

    tables = {
        "households": _scalar("SELECT COUNT(*) FROM registry_household", using=using),
        "persons": _scalar("SELECT COUNT(*) FROM registry_person", using=using),
        "enterprises": _scalar("SELECT COUNT(*) FROM enterprises_enterprise", using=using),
        "survey": _scalar("SELECT COUNT(*) FROM registry_surveyhousehold", using=using),
        "villages": _scalar("SELECT COUNT(*) FROM registry_villageprofile", using=using),
        "verifications": _scalar("SELECT COUNT(*) FROM registry_verificationdecision", using=using),
        "openings": _scalar("SELECT COUNT(*) FROM enterprises_jobopening", using=using),
        "flags": _scalar("SELECT COUNT(*) FROM imports_dataflag", using=using),
    }
    by_decile = fetch_frame(
        "SELECT welfare_decile, COUNT(*), SUM(size) FROM registry_household GROUP BY welfare_decile "
        "ORDER BY welfare_decile",
        using=using,
        schema={"welfare_decile": pl.Int64, "households": pl.Int64, "persons_stated": pl.Int64},
    )
    households = fetch_frame(
        "SELECT SUBSTR(region_code, 1, 8), COUNT(*), "
        "SUM(CASE WHEN welfare_decile = 1 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN verification_status = 'verified_extreme' THEN 1 ELSE 0 END) "
        "FROM registry_household GROUP BY SUBSTR(region_code, 1, 8)",
        using=using,
        schema={
            "kecamatan": pl.Utf8,
            "households": pl.Int64,
            "desil_1": pl.Int64,
            "verified_extreme": pl.Int64,
        },
    )
    persons = fetch_frame(
        "SELECT SUBSTR(h.region_code, 1, 8), COUNT(*) FROM registry_person p "
        "JOIN registry_household h ON h.household_id = p.household_id GROUP BY SUBSTR(h.region_code, 1, 8)",
        using=using,
        schema={"kecamatan": pl.Utf8, "persons": pl.Int64},
    )
    enterprises = fetch_frame(
        "SELECT SUBSTR(region_code, 1, 8), year, COUNT(*), "
        "SUM(CASE WHEN is_cooperative THEN 1 ELSE 0 END) "
        "FROM enterprises_enterprise GROUP BY SUBSTR(region_code, 1, 8), year",
        using=using,
        schema={
            "kecamatan": pl.Utf8,
            "year": pl.Int64,
            "enterprises": pl.Int64,
            "cooperatives": pl.Int64,
        },
    )
    flags_region = fetch_frame(
        "SELECT SUBSTR(region_code, 1, 8), COUNT(*) FROM imports_dataflag GROUP BY SUBSTR(region_code, 1, 8)",
        using=using,
        schema={"kecamatan": pl.Utf8, "flags": pl.Int64},
    )
    latest_year = enterprises["year"].max() if enterprises.height else None
    enterprise_latest = (
        enterprises.filter(pl.col("year") == latest_year).drop("year")
        if latest_year is not None
        else pl.DataFrame(
            schema={"kecamatan": pl.Utf8, "enterprises": pl.Int64, "cooperatives": pl.Int64}
        )
    )
    names = all_regions().select(pl.col("code").alias("kecamatan"), pl.col("name"))
    per_kecamatan = (
        households.join(persons, on="kecamatan", how="full", coalesce=True)
        .join(enterprise_latest, on="kecamatan", how="full", coalesce=True)
        .join(flags_region, on="kecamatan", how="full", coalesce=True)
        .filter(pl.col("kecamatan").is_not_null())
        .join(names, on="kecamatan", how="left")
        .fill_null(0)
        .sort("kecamatan")
        .select(
            "kecamatan",
            "name",
            "households",
            "desil_1",
            "verified_extreme",
            "persons",
            "enterprises",
            "cooperatives",
            "flags",
        )
    )
    flags = fetch_frame(
        'SELECT "table", rule, COUNT(*) FROM imports_dataflag GROUP BY "table", rule ORDER BY COUNT(*) DESC',
        using=using,
        schema={"table": pl.Utf8, "rule": pl.Utf8, "count": pl.Int64},
    )
    enterprises_by_year = enterprises.group_by("year").agg(pl.col("enterprises").sum()).sort("year")
    from tuntas.web.imports.models import ImportBatch

    batches = [
        {**row, "finished_at": row["finished_at"].isoformat()}
        for row in ImportBatch.objects.using(using)
        .order_by("id")
        .values(
            "kind",
            "file_name",
            "synthetic",
            "rows",
            "inserted",
            "updated",
            "unchanged",
            "flagged",
            "finished_at",
        )
    ]
    return {
        "tables": tables,
        "synthetic": any(b["synthetic"] for b in batches),
        "households_by_decile": by_decile.to_dicts(),
        "enterprises_by_year": enterprises_by_year.to_dicts(),
        "per_kecamatan": per_kecamatan.to_dicts(),
        "flags": flags.to_dicts(),
        "imports": batches,
    }


def render_info(summary: dict[str, Any], console: Console) -> None:
    """Print :func:`database_info` as tables (Indonesian headings)."""
    if summary["synthetic"]:
        console.print("[bold yellow]DATA SINTETIS[/] — synthetic data, not real people.")
    counts = Table(title="Isi basis data / database contents")
    counts.add_column("tabel")
    counts.add_column("baris", justify="right")
    for name, value in summary["tables"].items():
        counts.add_row(name, f"{value:,}")
    console.print(counts)
    if summary["households_by_decile"]:
        deciles = Table(title="Keluarga per desil / households by decile")
        for heading in ("desil", "keluarga", "jiwa (jumlah ART)"):
            deciles.add_column(heading, justify="right")
        for row in summary["households_by_decile"]:
            deciles.add_row(
                str(row["welfare_decile"]), f"{row['households']:,}", f"{row['persons_stated']:,}"
            )
        console.print(deciles)
    if summary["per_kecamatan"]:
        kec = Table(title="Per kecamatan")
        for heading in (
            "kode",
            "kecamatan",
            "keluarga",
            "desil 1",
            "terverifikasi ekstrem",
            "jiwa",
            "usaha",
            "koperasi",
            "tanda",
        ):
            kec.add_column(
                heading, justify="right" if heading not in {"kode", "kecamatan"} else "left"
            )
        for row in summary["per_kecamatan"]:
            kec.add_row(
                row["kecamatan"],
                str(row["name"] or ""),
                *(
                    f"{row[c]:,}"
                    for c in (
                        "households",
                        "desil_1",
                        "verified_extreme",
                        "persons",
                        "enterprises",
                        "cooperatives",
                        "flags",
                    )
                ),
            )
        console.print(kec)
    if summary["flags"]:
        flags = Table(title="Ditandai saat impor / flagged on import")
        for heading in ("tabel", "aturan / rule", "jumlah"):
            flags.add_column(heading)
        for row in summary["flags"]:
            flags.add_row(row["table"], row["rule"], f"{row['count']:,}")
        console.print(flags)
