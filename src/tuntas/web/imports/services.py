"""``tuntas import``: read, validate, protect and store a file, all or nothing (DESIGN §7).

The pipeline is: read (:mod:`tuntas.tables.readers`) → recognise headings and labels
(:mod:`tuntas.tables.mapping`) → validate against the file and the database
(:mod:`tuntas.tables.validate`) → replace NIK and names by hashes and ciphertexts
(:mod:`tuntas.tables.stored`) → compare fingerprints with what is stored → insert new rows, update
changed rows, leave unchanged rows alone, and synchronise flags, in one transaction.

A file with any error changes nothing: the report (CSV, UTF-8 with BOM so Excel shows it right)
names file, sheet, row, column, value (masked when personal), rule and the message in Indonesian and
English.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from rich.markup import escape

from tuntas.protect import MasterKey, MasterKeyError, Protector, load_master_key
from tuntas.spreadsheets import write_csv
from tuntas.tables.mapping import ColumnMapping, map_headings, resolve_preset, to_canonical_text
from tuntas.tables.readers import RawFile, ReadError, read_table_file
from tuntas.tables.schemas import TABLES
from tuntas.tables.stored import stored_columns, to_stored
from tuntas.tables.validate import (
    FINDING_SCHEMA,
    ROW,
    Context,
    Validation,
    validate_table,
    with_messages,
)
from tuntas.web.bootstrap import describe_database_error, ensure_schema, setup_django
from tuntas.web.keys.services import check_key, import_lock, record_key
from tuntas.web.registry.loaders import TABLE_NAMES, typed_like

Progress = Callable[[str, float], None]

HOUSEHOLD_RULES = ("household_size_mismatch", "head_count")


@dataclass
class ImportOutcome:
    """What an import did (or why it did nothing)."""

    kind: str
    file: str
    ok: bool
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    flagged: int = 0
    errors: int = 0
    error_summary: list[dict[str, Any]] = field(default_factory=list)
    flag_summary: list[dict[str, Any]] = field(default_factory=list)
    report_path: str | None = None
    mapping: dict[str, Any] = field(default_factory=dict)
    synthetic: bool = False
    seconds: float = 0.0
    message: str = ""
    key_source: str = ""

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form (``tuntas import --json``)."""
        return dict(self.__dict__)

    def summary_lines(self) -> list[str]:
        """A short human summary, Indonesian first."""
        lines: list[str] = []
        if self.key_source:
            lines.append(f"Kunci / key: {self.key_source}")
        if self.mapping:
            lines.append(
                f"Kolom dikenali / recognised: {len(self.mapping.get('recognised', {}))}; "
                f"diabaikan / ignored: {', '.join(self.mapping.get('ignored', [])) or '-'}"
            )
        if self.ok:
            lines.append(
                f"[green]Berhasil / imported[/] {self.kind} dari {escape(self.file)}: {self.rows:,} baris; "
                f"baru {self.inserted:,}, berubah {self.updated:,}, sama {self.unchanged:,}; "
                f"ditandai / flagged {self.flagged:,} ({self.seconds:.1f} s)"
                + (" [yellow]DATA SINTETIS[/]" if self.synthetic else "")
            )
            if self.message:
                lines.append(f"  {escape(self.message)}")
            for item in self.flag_summary[:10]:
                lines.append(f"  tanda {item['rule']} ({item['column']}): {item['count']:,}")
        else:
            counted = f"{self.errors:,} kesalahan / errors; " if self.errors else ""
            lines.append(
                f"[red]Ditolak / rejected[/] {escape(self.file)}: {counted}"
                "basis data tidak berubah / database unchanged."
            )
            if self.message:
                lines.append(f"  {escape(self.message)}")
            for item in self.error_summary[:12]:
                lines.append(
                    f"  {item['rule']} ({item['column']}): {item['count']:,} baris, "
                    f"pertama baris {item['first_row']}"
                )
            if self.report_path:
                lines.append(f"  Laporan / report: {escape(self.report_path)}")
        return lines


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _context(kind: str, *, protector: Protector, using: str) -> Context:
    from tuntas.web.imports.bulk import fetch_frame

    context = Context(protector=protector)
    if kind in {"persons", "verifications"}:
        context.household_regions = fetch_frame(
            "SELECT household_id, region_code FROM registry_household",
            using=using,
            schema={"household_id": pl.Utf8, "region_code": pl.Utf8},
        )
        context.existing_nik = fetch_frame(
            "SELECT nik_hash, person_id FROM registry_person",
            using=using,
            schema={"nik_hash": pl.Utf8, "person_id": pl.Utf8},
        )
    elif kind == "enterprises":
        context.existing_nib = fetch_frame(
            "SELECT DISTINCT nib, enterprise_id FROM enterprises_enterprise WHERE nib IS NOT NULL",
            using=using,
            schema={"nib": pl.Utf8, "enterprise_id": pl.Utf8},
        )
    return context


def _report(raw: RawFile, findings: pl.DataFrame, report_path: Path) -> Path | None:
    """Write the error report (UTF-8 CSV with BOM, owner-only); ``None`` when it cannot be written.

    The report goes to ``report_path``, else, when that folder is not writable (a file in a
    read-only folder), to the working directory.
    """
    report = with_messages(findings).select(
        pl.lit(raw.path.name).alias("file"),
        pl.lit(raw.sheet or "").alias("sheet"),
        "row",
        "column",
        "value",
        "rule",
        "message_id",
        "message_en",
    )
    for target in (report_path, Path.cwd() / report_path.name):
        if _same_file(target, raw.path):
            continue
        try:
            return write_csv(report, target, bom=True, private=True)
        except OSError:
            continue
    return None


def _same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name the same file (a report must never overwrite its input)."""
    try:
        return a.resolve() == b.resolve() or (a.exists() and a.samefile(b))
    except OSError:
        return False


def _summaries(findings: pl.DataFrame) -> list[dict[str, Any]]:
    if findings.height == 0:
        return []
    grouped = (
        findings.group_by("rule", "column")
        .agg(pl.len().alias("count"), pl.col("row").min().alias("first_row"))
        .sort("count", descending=True)
    )
    return grouped.to_dicts()


def _missing_column_findings(mapping: ColumnMapping) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "row": [1] * len(mapping.missing_required),
            "record_key": [None] * len(mapping.missing_required),
            "column": mapping.missing_required,
            "value": [None] * len(mapping.missing_required),
            "rule": ["required"] * len(mapping.missing_required),
            "detail": [""] * len(mapping.missing_required),
        },
        schema=FINDING_SCHEMA,
    )


def _carry_stored(kind: str, frame: pl.DataFrame, absent: list[str], *, using: str) -> pl.DataFrame:
    """Fill the columns a file lacks with what is stored for the same keys (null for new records).

    A partial file (e.g. a P3KE export without the verification columns) must not wipe stored
    values it does not mention. Personal columns carry their stored hash and ciphertext.
    """
    table = TABLES[kind]
    keys = list(table.key)
    carried: list[str] = []
    for name in absent:
        carried.extend([f"{name}_hash", f"{name}_enc"] if table.column(name).personal else [name])
    from tuntas.web.imports.bulk import fetch_rows

    existing = typed_like(
        kind,
        fetch_rows(
            f"SELECT {', '.join(keys + carried)} FROM {TABLE_NAMES[kind]}",
            using=using,
            columns=keys + carried,
        ),
    )
    replaced = [c for c in carried if c in frame.columns]
    return frame.drop(replaced).join(existing, on=keys, how="left")


def _diff(kind: str, stored: pl.DataFrame, *, using: str) -> tuple[pl.DataFrame, pl.DataFrame, int]:
    """Split stored rows into (new, changed, number unchanged) by key and fingerprint."""
    from tuntas.web.imports.bulk import fetch_frame

    keys = list(TABLES[kind].key)
    key_schema = {k: stored.schema[k] for k in keys}
    columns = ", ".join(keys)
    existing = fetch_frame(
        f"SELECT {columns}, row_hash FROM {TABLE_NAMES[kind]}",
        using=using,
        schema={**key_schema, "__stored_hash": pl.Utf8},
    )
    joined = stored.join(existing, on=keys, how="left")
    new = joined.filter(pl.col("__stored_hash").is_null()).drop("__stored_hash")
    changed = joined.filter(
        pl.col("__stored_hash").is_not_null() & (pl.col("__stored_hash") != pl.col("row_hash"))
    ).drop("__stored_hash")
    unchanged = stored.height - new.height - changed.height
    return new, changed, unchanged


def _record_regions(kind: str, validation: Validation, context: Context) -> pl.DataFrame:
    frame = validation.frame
    key = pl.concat_str(
        [pl.col(k).cast(pl.Utf8).fill_null("") for k in TABLES[kind].key], separator="/"
    )
    if "region_code" in frame.columns:
        return frame.select(key.alias("record_key"), pl.col("region_code"))
    if kind in {"persons", "verifications"} and context.household_regions is not None:
        return frame.join(context.household_regions, on="household_id", how="left").select(
            key.alias("record_key"), "region_code"
        )
    return frame.select(key.alias("record_key"), pl.lit(None, dtype=pl.Utf8).alias("region_code"))


def _sync_flags(
    table: str,
    current: pl.DataFrame,
    *,
    scope_keys: pl.Series | None,
    rules: tuple[str, ...] | None,
    batch_id: int,
    using: str,
) -> None:
    """Make the stored flags of ``table`` equal ``current`` within the scope.

    The scope is the records in ``scope_keys`` (all rules) or, when ``rules`` is given, those rules
    for every record. Flags that stay the same are left untouched.
    """
    from tuntas.web.imports.bulk import delete_ids, fetch_frame, insert_frame

    where, params = 'WHERE "table" = %s', [table]
    if rules:
        where += " AND rule IN (" + ", ".join(["%s"] * len(rules)) + ")"
        params.extend(rules)
    stored = fetch_frame(
        f'SELECT id, record_key, rule, "column" FROM imports_dataflag {where}',
        params,
        using=using,
        schema={"id": pl.Int64, "record_key": pl.Utf8, "rule": pl.Utf8, "column": pl.Utf8},
    )
    if scope_keys is not None:
        stored = stored.filter(pl.col("record_key").is_in(scope_keys.implode()))
    if rules is None:
        current = current.filter(~pl.col("rule").is_in(list(HOUSEHOLD_RULES)))
        stored = stored.filter(~pl.col("rule").is_in(list(HOUSEHOLD_RULES)))
    identity = ["record_key", "rule", "column"]
    current = current.unique(identity, keep="first")
    to_delete = stored.join(current.select(identity), on=identity, how="anti")["id"].to_list()
    to_insert = current.join(stored.select(identity), on=identity, how="anti")
    delete_ids("imports_dataflag", to_delete, using=using)
    insert_frame(
        "imports_dataflag",
        to_insert.select(
            pl.lit(table).alias("table"),
            "record_key",
            "rule",
            "column",
            "value",
            "detail",
            "region_code",
            pl.lit(batch_id, dtype=pl.Int64).alias("batch_id"),
        ),
        using=using,
    )


def apply_latest_decisions(
    household_ids: pl.Series, *, protector: Protector, batch_id: int, using: str
) -> None:
    """Copy each household's latest verification decision into its ``verification_*`` columns.

    The household's fingerprint is recomputed from its stored values, so that re-importing an
    unchanged households file afterwards is still recognised as unchanged where it agrees.
    """
    from tuntas.web.imports.bulk import fetch_by_keys, update_frame

    ids = household_ids.to_list()
    decisions = typed_like(
        "verifications",
        fetch_by_keys(
            TABLE_NAMES["verifications"],
            ["household_id", "status", "decided_on", "decided_by", "reason", "minutes_ref", "id"],
            key="household_id",
            ids=ids,
            using=using,
        ),
    ).with_columns(pl.col("id").cast(pl.Int64))
    latest = (
        decisions.sort(["household_id", "decided_on", "id"])
        .group_by("household_id", maintain_order=True)
        .last()
        .select(
            "household_id",
            pl.col("status").alias("verification_status"),
            pl.col("decided_on").alias("verification_date"),
            pl.col("decided_by").alias("verified_by"),
            pl.col("reason").alias("verification_reason"),
            pl.col("minutes_ref").alias("verification_minutes_ref"),
        )
    )
    stored = fetch_by_keys(
        TABLE_NAMES["households"],
        stored_columns("households"),
        key="household_id",
        ids=ids,
        using=using,
    )
    updated = stored.drop(latest.columns[1:]).join(latest, on="household_id")
    typed = typed_like("households", updated)
    for column in TABLES["households"].columns:
        if column.personal:
            typed = typed.with_columns(pl.lit(None, dtype=pl.Utf8).alias(column.name))
    refreshed = to_stored("households", typed, protector=protector)
    update_frame(
        TABLE_NAMES["households"],
        refreshed.with_columns(pl.lit(batch_id, dtype=pl.Int64).alias("batch_id")),
        keys=["household_id"],
        using=using,
    )


def household_consistency(using: str) -> pl.DataFrame:
    """Flags for households whose stated size differs from their members, or without one head.

    Only households with at least one member stored are checked (persons may come later).
    """
    from tuntas.web.imports.bulk import fetch_frame

    sizes = fetch_frame(
        "SELECT household_id, size, region_code FROM registry_household",
        using=using,
        schema={"household_id": pl.Utf8, "size": pl.Int64, "region_code": pl.Utf8},
    )
    members = fetch_frame(
        "SELECT household_id, COUNT(*), SUM(CASE WHEN relationship = 'kepala_keluarga' THEN 1 ELSE 0 END) "
        "FROM registry_person GROUP BY household_id",
        using=using,
        schema={"household_id": pl.Utf8, "members": pl.Int64, "heads": pl.Int64},
    )
    joined = sizes.join(members, on="household_id", how="inner")
    size_flags = joined.filter(pl.col("size") != pl.col("members")).select(
        pl.col("household_id").alias("record_key"),
        pl.lit("household_size_mismatch").alias("rule"),
        pl.lit("size").alias("column"),
        pl.col("size").cast(pl.Utf8).alias("value"),
        pl.concat_str(
            [
                pl.col("size").cast(pl.Utf8),
                pl.lit(" ≠ "),
                pl.col("members").cast(pl.Utf8),
                pl.lit(" anggota/members"),
            ]
        ).alias("detail"),
        "region_code",
    )
    head_flags = joined.filter(pl.col("heads") != 1).select(
        pl.col("household_id").alias("record_key"),
        pl.lit("head_count").alias("rule"),
        pl.lit("relationship").alias("column"),
        pl.col("heads").cast(pl.Utf8).alias("value"),
        pl.concat_str([pl.col("heads").cast(pl.Utf8), pl.lit(" kepala/heads")]).alias("detail"),
        "region_code",
    )
    return pl.concat([size_flags, head_flags])


def import_file(
    kind: str,
    path: Path,
    *,
    preset: str | None = None,
    sheet: str | None = None,
    report_path: Path | None = None,
    progress: Progress | None = None,
    using: str = "default",
    key: MasterKey | None = None,
) -> ImportOutcome:
    """Import ``path`` as table ``kind``; all or nothing, idempotent. See the module docstring.

    ``key`` is the master key (default: :func:`tuntas.protect.load_master_key`); it must be the
    database's key (its fingerprint is recorded at the first import). Validation against stored
    records and the writes happen in one transaction that holds the import lock, so two imports
    at once are serialised: the second sees the first's records (and rejects a clash with the
    normal report) or waits at most the lock timeout and says so.
    """
    started = time.perf_counter()
    step = progress or (lambda _s, _f: None)
    outcome = ImportOutcome(kind=kind, file=str(path), ok=False)
    if kind not in TABLES:
        outcome.message = (
            f"jenis tidak dikenal / unknown kind {kind!r}; pilih / choose: {', '.join(TABLES)}"
        )
        return outcome
    report_path = report_path or path.with_name(f"{path.stem}.{kind}.errors.csv")
    if _same_file(report_path, path):
        outcome.message = (
            "--report tidak boleh sama dengan berkas yang diimpor / --report must not be the "
            "file being imported"
        )
        return outcome
    try:
        preset_obj = resolve_preset(preset, kind)
        master = key or load_master_key()
    except (ValueError, MasterKeyError) as exc:
        outcome.message = str(exc)
        return outcome
    outcome.key_source = master.source
    protector = master.protector()
    setup_django()
    ensure_schema(using=using, key_check=False)  # the key is checked in the write transaction

    step("membaca / reading", 0.02)
    try:
        raw = read_table_file(path, sheet=sheet or (preset_obj.sheet if preset_obj else None))
    except ReadError as exc:
        outcome.message = str(exc)
        return outcome
    outcome.synthetic = raw.synthetic
    mapping = map_headings(raw.frame.columns, kind, preset=preset_obj)
    outcome.mapping = mapping.as_dict()
    outcome.rows = raw.frame.height
    if mapping.missing_required:
        findings = _missing_column_findings(mapping)
        outcome.message = "kolom wajib tidak ada / required columns missing: " + ", ".join(
            mapping.missing_required
        )
        return _rejected(outcome, raw, findings, report_path, started)

    step("memeriksa / validating", 0.15)
    text = to_canonical_text(raw.frame, mapping, preset=preset_obj).with_columns(
        (pl.int_range(pl.len(), dtype=pl.Int64) + raw.first_row).alias(ROW)
    )
    if kind == "verifications" and "status" in text.columns:
        # A facilitator's workbook lists every candidate; rows without a decision are not decisions.
        undecided = text.filter(pl.col("status").is_null()).height
        text = text.filter(pl.col("status").is_not_null())
        if undecided:
            outcome.message = (
                f"{undecided:,} baris tanpa hasil verifikasi dilewati / "
                "rows without a decision skipped"
            )
    from django.db import DatabaseError, IntegrityError, transaction

    try:
        with transaction.atomic(using=using):
            import_lock(using)
            new_key = check_key(master, using=using)
            context = _context(kind, protector=protector, using=using)
            validation = validate_table(kind, text, context=context)
            if validation.ok:
                _validated_store(
                    kind,
                    raw,
                    mapping,
                    preset,
                    validation,
                    context,
                    text,
                    outcome,
                    using=using,
                    step=step,
                    protector=protector,
                )
                if new_key:
                    record_key(master, using=using)
    except MasterKeyError as exc:
        outcome.message = str(exc)
        return outcome
    except IntegrityError:
        # Cannot happen while every writer holds the import lock; said clearly if it ever does.
        outcome.message = (
            "Berkas bentrok dengan data yang baru disimpan; tidak ada yang diubah, impor ulang. / "
            "The file clashes with data stored meanwhile; nothing was changed, import it again."
        )
        return outcome
    except DatabaseError as exc:
        outcome.message = describe_database_error(exc, using=using) or type(exc).__name__
        return outcome
    if not validation.ok:
        return _rejected(outcome, raw, validation.errors, report_path, started)
    outcome.ok = True
    outcome.seconds = time.perf_counter() - started
    step("selesai / done", 1.0)
    return outcome


def _rejected(
    outcome: ImportOutcome,
    raw: RawFile,
    findings: pl.DataFrame,
    report_path: Path,
    started: float,
) -> ImportOutcome:
    """Fill in a rejection: the error counts and summary, and the report file."""
    outcome.errors = findings.height
    outcome.error_summary = _summaries(findings)
    written = _report(raw, findings, report_path)
    if written is None:
        extra = (
            "laporan tidak dapat ditulis (folder hanya-baca?); pakai --report BERKAS / the report "
            "could not be written (read-only folder?); use --report FILE"
        )
        outcome.message = f"{outcome.message}; {extra}" if outcome.message else extra
    else:
        outcome.report_path = str(written)
    outcome.seconds = time.perf_counter() - started
    return outcome


def _validated_store(
    kind: str,
    raw: RawFile,
    mapping: ColumnMapping,
    preset: str | None,
    validation: Validation,
    context: Context,
    text: pl.DataFrame,
    outcome: ImportOutcome,
    *,
    using: str,
    step: Progress,
    protector: Protector,
) -> None:
    """Protect, compare and store a validated file (inside the import transaction)."""
    step("melindungi NIK / protecting", 0.35)
    present = set(text.columns) - {ROW}
    absent = [name for name in TABLES[kind].names if name not in present]
    frame = (
        _carry_stored(kind, validation.frame, absent, using=using) if absent else validation.frame
    )
    stored = to_stored(kind, frame, protector=protector)
    step("membandingkan / comparing", 0.55)
    new, changed, unchanged = _diff(kind, stored, using=using)
    flags = _stored_flags(
        validation.flags.join(
            _record_regions(kind, validation, context), on="record_key", how="left"
        ).unique(["record_key", "rule", "column"], keep="first")
    )
    step("menyimpan / storing", 0.65)
    _store(
        kind,
        raw,
        mapping,
        preset,
        new,
        changed,
        unchanged,
        flags,
        stored,
        outcome,
        using=using,
        step=step,
        protector=protector,
    )
    outcome.flagged = flags.height
    outcome.flag_summary = _summaries(flags)


PERSONAL_COLUMN_NAMES = frozenset(
    column.name for table in TABLES.values() for column in table.columns if column.personal
)


def _stored_flags(flags: pl.DataFrame) -> pl.DataFrame:
    """Flags as stored: a flag on a personal column keeps no value (not even a masked one)."""
    return flags.with_columns(
        pl.when(pl.col("column").is_in(list(PERSONAL_COLUMN_NAMES)))
        .then(pl.lit(None, dtype=pl.Utf8))
        .otherwise(pl.col("value"))
        .alias("value")
    )


def _store(
    kind: str,
    raw: RawFile,
    mapping: ColumnMapping,
    preset: str | None,
    new: pl.DataFrame,
    changed: pl.DataFrame,
    unchanged: int,
    flags: pl.DataFrame,
    stored: pl.DataFrame,
    outcome: ImportOutcome,
    *,
    using: str,
    step: Progress,
    protector: Protector,
) -> None:
    from django.db import transaction
    from django.utils import timezone

    from tuntas.web.audit.services import command_line_actor, record
    from tuntas.web.imports.bulk import insert_frame, update_frame
    from tuntas.web.imports.models import ImportBatch

    table = TABLE_NAMES[kind]
    keys = list(TABLES[kind].key)
    now = timezone.now()
    with transaction.atomic(using=using):  # a savepoint inside the import transaction
        batch = ImportBatch.objects.using(using).create(
            kind=kind,
            file_name=raw.path.name,
            file_sha256=_sha256(raw.path),
            file_format=raw.file_format,
            sheet=raw.sheet,
            preset=preset,
            synthetic=raw.synthetic,
            started_at=now,
            finished_at=now,
            rows=raw.frame.height,
            inserted=new.height,
            updated=changed.height,
            unchanged=unchanged,
            flagged=flags.height,
            columns=mapping.as_dict(),
        )
        with_batch = lambda f: f.with_columns(pl.lit(batch.pk, dtype=pl.Int64).alias("batch_id"))  # noqa: E731
        insert_frame(table, with_batch(new.select(stored_columns(kind))), using=using)
        step("menyimpan / storing", 0.8)
        update_frame(
            table, with_batch(changed.select(stored_columns(kind))), keys=keys, using=using
        )
        scope = stored.select(
            pl.concat_str([pl.col(k).cast(pl.Utf8) for k in keys], separator="/").alias("k")
        )["k"]
        _sync_flags(kind, flags, scope_keys=scope, rules=None, batch_id=batch.pk, using=using)
        if kind == "verifications" and (new.height or changed.height):
            apply_latest_decisions(
                pl.concat([new, changed])["household_id"].unique(),
                protector=protector,
                batch_id=batch.pk,
                using=using,
            )
        if kind in {"households", "persons"}:
            _sync_flags(
                "households",
                household_consistency(using),
                scope_keys=None,
                rules=HOUSEHOLD_RULES,
                batch_id=batch.pk,
                using=using,
            )
        ImportBatch.objects.using(using).filter(pk=batch.pk).update(finished_at=timezone.now())
        record(
            actor=command_line_actor(),
            action="import",
            table=table,
            count=new.height + changed.height,
            protector=protector,
            using=using,
            batch=batch.pk,
            file_sha256=batch.file_sha256,
            inserted=new.height,
            updated=changed.height,
        )
    outcome.inserted, outcome.updated, outcome.unchanged = new.height, changed.height, unchanged
