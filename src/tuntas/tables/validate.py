"""Validate canonical text columns into typed tables, with row-level errors and flags (DESIGN §7).

*Errors* reject the whole file (nothing is stored); *flags* are stored with the records they concern
(people move, records have errors) and counted by ``tuntas info``. Each finding names the row (as the
user sees it in the file), the column, the value (NIK and names masked), the rule and a message in
Indonesian and English.

Rules
-----
Errors: ``required``, ``type``, ``range``, ``choice``, ``region_format``, ``region_unknown``,
``nik_format``, ``nib_format``, ``kbli_unknown``, ``date_future``, ``control_characters``, ``duplicate_key``,
``duplicate_nik_in_file``, ``duplicate_nik_in_database``, ``duplicate_nib``, ``household_unknown``.
Flags: ``nik_region_mismatch``, ``nik_birthdate_mismatch``, ``nik_sex_mismatch``,
``nik_region_unknown``, ``missing_value``, ``household_size_mismatch``, ``head_count``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from tuntas.protect import Protector, mask_name, mask_nik
from tuntas.reference.kbli import kbli_table
from tuntas.reference.regions import all_regions, normalize_codes
from tuntas.tables.nik import nik_checks
from tuntas.tables.schemas import TABLES, Column

ROW = "_row"
"""Name of the column holding each record's row number in the file."""

MESSAGES: dict[str, tuple[str, str]] = {
    "required": ("Kolom wajib kosong", "Required value is missing"),
    "type": ("Nilai tidak dapat dibaca sebagai {detail}", "Value cannot be read as {detail}"),
    "range": ("Nilai di luar batas {detail}", "Value outside the allowed range {detail}"),
    "choice": ("Nilai tidak dikenal; pilihan: {detail}", "Unknown value; allowed: {detail}"),
    "region_format": (
        "Kode wilayah tidak berformat Kemendagri",
        "Region code is not a Kemendagri code",
    ),
    "region_unknown": (
        "Kode desa/kelurahan tidak ada dalam Kepmendagri 2025",
        "Desa/kelurahan code does not exist in Kepmendagri 2025",
    ),
    "nik_format": ("NIK tidak valid: {detail}", "Malformed NIK: {detail}"),
    "nib_format": ("NIB harus 13 digit angka", "A NIB must be 13 digits"),
    "kbli_unknown": (
        "Kode KBLI 2020 tidak dikenal (5 digit atau huruf kategori)",
        "Unknown KBLI 2020 code (5 digits or a category letter)",
    ),
    "date_future": ("Tanggal di masa depan", "Date lies in the future"),
    "control_characters": (
        "Teks berisi karakter kontrol yang tidak terlihat",
        "Text contains invisible control characters",
    ),
    "duplicate_key": (
        "ID ganda dalam berkas (juga di baris {detail})",
        "Duplicate id in the file (also row {detail})",
    ),
    "duplicate_nik_in_file": (
        "NIK yang sama dipakai orang lain dalam berkas (baris {detail})",
        "The same NIK is used by another person in the file (row {detail})",
    ),
    "duplicate_nik_in_database": (
        "NIK sudah tercatat untuk orang lain di basis data ({detail})",
        "The NIK is already stored for another person ({detail})",
    ),
    "duplicate_nib": (
        "NIB sudah dipakai usaha lain ({detail})",
        "The NIB is already used by another enterprise ({detail})",
    ),
    "household_unknown": (
        "ID keluarga tidak ada; impor keluarga terlebih dahulu",
        "Household id not found; import the households first",
    ),
    "nik_region_mismatch": (
        "NIK diterbitkan di kecamatan {detail}, berbeda dengan domisili (pindah?)",
        "NIK was issued in kecamatan {detail}, not where the household lives (moved?)",
    ),
    "nik_region_unknown": (
        "Kode kecamatan pada NIK ({detail}) tidak ada dalam Kepmendagri 2025",
        "The NIK's kecamatan code ({detail}) is not in Kepmendagri 2025",
    ),
    "nik_birthdate_mismatch": (
        "Tanggal lahir pada NIK ({detail}) berbeda dengan tanggal lahir",
        "The NIK's birth date ({detail}) differs from the birth date",
    ),
    "nik_sex_mismatch": (
        "Jenis kelamin pada NIK ({detail}) berbeda dengan jenis kelamin",
        "The NIK's sex ({detail}) differs from the recorded sex",
    ),
    "missing_value": ("Data kosong: {detail}", "Missing data: {detail}"),
    "household_size_mismatch": (
        "Jumlah anggota keluarga {detail}",
        "Household size {detail}",
    ),
    "head_count": (
        "Keluarga harus punya tepat satu kepala keluarga ({detail})",
        "A household needs exactly one head ({detail})",
    ),
}

ERROR_RULES = frozenset(
    {
        "required",
        "type",
        "range",
        "choice",
        "region_format",
        "region_unknown",
        "nik_format",
        "nib_format",
        "kbli_unknown",
        "date_future",
        "control_characters",
        "duplicate_key",
        "duplicate_nik_in_file",
        "duplicate_nik_in_database",
        "duplicate_nib",
        "household_unknown",
    }
)

FLAGGED_WHEN_MISSING: dict[str, tuple[str, ...]] = {
    "persons": ("name", "education", "activity"),  # education from age 10, activity from age 15
    "households": ("floor", "wall", "roof", "lighting", "water"),
    "enterprises": ("turnover_year", "assets"),
}
"""Optional columns whose empty values are flagged (not rejected) when the file has the column."""

FINDING_SCHEMA = {
    "row": pl.Int64,
    "record_key": pl.Utf8,
    "column": pl.Utf8,
    "value": pl.Utf8,
    "rule": pl.Utf8,
    "detail": pl.Utf8,
}


@dataclass
class Context:
    """What validation needs to know beyond the file (read from the database by the caller)."""

    protector: Protector
    today: dt.date = field(default_factory=dt.date.today)
    household_regions: pl.DataFrame | None = None
    """``household_id, region_code`` of households already stored (persons import)."""
    existing_nik: pl.DataFrame | None = None
    """``nik_hash, person_id`` already stored (persons import)."""
    existing_nib: pl.DataFrame | None = None
    """``nib, enterprise_id`` already stored (enterprises import)."""


@dataclass
class Validation:
    """The typed table (with ``_row`` and any hashes computed on the way) and the findings."""

    kind: str
    frame: pl.DataFrame
    errors: pl.DataFrame
    flags: pl.DataFrame

    @property
    def ok(self) -> bool:
        """True when nothing blocks the import."""
        return self.errors.height == 0


# ------------------------------------------------------------------------------------ parsing


def _clean_number(text: pl.Expr, *, integer: bool) -> pl.Expr:
    """Strip ``Rp``, spaces and thousands separators; a lone comma is a decimal comma.

    ``1.500.000`` (two or more dot groups) is Indonesian thousands; a single group such as
    ``110.556`` is a decimal point in a decimal column and thousands (``1.500`` = 1500) in a whole-
    number column. ``1,500,000.50`` is English thousands; ``2,5`` a decimal comma.
    """
    t = text.str.replace_all(r"(?i)rp\.?|\s", "")
    groups = r"^-?\d{1,3}(\.\d{3})+(,\d+)?$" if integer else r"^-?\d{1,3}(\.\d{3}){2,}(,\d+)?$"
    thousands_dot = t.str.contains(groups)
    thousands_comma = t.str.contains(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
    return (
        pl.when(thousands_dot)
        .then(t.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
        .when(thousands_comma)
        .then(t.str.replace_all(",", "", literal=True))
        .when(t.str.contains(r"^-?\d+,\d+$"))
        .then(t.str.replace(",", ".", literal=True))
        .otherwise(t)
    )


def _parse_float(text: pl.Expr) -> pl.Expr:
    return _clean_number(text, integer=False).cast(pl.Float64, strict=False)


def _parse_int(text: pl.Expr) -> pl.Expr:
    number = _clean_number(text, integer=True).cast(pl.Float64, strict=False)
    return (
        pl.when(number == number.floor()).then(number).otherwise(None).cast(pl.Int64, strict=False)
    )


def _parse_bool(text: pl.Expr) -> pl.Expr:
    return text.replace_strict(
        {"true": True, "false": False}, default=None, return_dtype=pl.Boolean
    )


_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y", "%Y%m%d")


def _parse_date(text: pl.Expr) -> pl.Expr:
    """ISO, DD-MM-YYYY, DD/MM/YYYY, YYYY/MM/DD, DD.MM.YYYY, YYYYMMDD, datetimes, Excel serials."""
    head = text.str.strip_chars().str.slice(0, 10)
    candidates = [head.str.to_date(fmt, strict=False) for fmt in _DATE_FORMATS]
    serial = text.cast(pl.Float64, strict=False)
    excel = (
        pl.when((serial >= 1) & (serial < 80000) & ~text.str.contains(r"^\d{8}$"))
        .then(pl.lit(dt.date(1899, 12, 30)) + pl.duration(days=serial.floor().cast(pl.Int64)))
        .otherwise(None)
        .cast(pl.Date)
    )
    return pl.coalesce([*candidates, excel])


def _parse(column: Column, text: pl.Expr) -> pl.Expr:
    kind = column.kind
    if kind == "int":
        return _parse_int(text)
    if kind == "float":
        return _parse_float(text)
    if kind == "bool":
        return _parse_bool(text)
    if kind == "date":
        return _parse_date(text)
    if kind == "region":
        return normalize_codes(text)
    if kind in {"nik", "nib"}:
        return text.str.replace_all(r"[\s'`]", "")
    if kind == "kbli":
        return text.str.replace_all(r"[\s.]", "").str.to_uppercase()
    return text


_TYPE_NAMES = {
    "int": "bilangan bulat / integer",
    "float": "angka / number",
    "bool": "YA/TIDAK",
    "date": "tanggal / date",
}


# ------------------------------------------------------------------------------------ findings


def _empty_findings() -> pl.DataFrame:
    return pl.DataFrame(schema=FINDING_SCHEMA)


def _mask_value(column: str, values: pl.Expr) -> pl.Expr:
    table_column = next((t.column(column) for t in TABLES.values() if t.has(column)), None)
    if table_column is not None and table_column.personal:
        masker = mask_nik if table_column.kind == "nik" else mask_name
        return values.map_elements(masker, return_dtype=pl.Utf8)
    return values


class _Findings:
    def __init__(self, key_expr: pl.Expr) -> None:
        self.parts: list[pl.DataFrame] = []
        self.key_expr = key_expr

    def add(
        self,
        frame: pl.DataFrame,
        mask: pl.Expr,
        *,
        column: str,
        rule: str,
        value: pl.Expr | None = None,
        detail: pl.Expr | str = "",
    ) -> None:
        value_expr = pl.col(column).cast(pl.Utf8) if value is None else value
        found = frame.filter(mask.fill_null(False)).select(
            pl.col(ROW).cast(pl.Int64).alias("row"),
            self.key_expr.cast(pl.Utf8).alias("record_key"),
            pl.lit(column).alias("column"),
            _mask_value(column, value_expr.cast(pl.Utf8)).alias("value"),
            pl.lit(rule).alias("rule"),
            (pl.lit(detail) if isinstance(detail, str) else detail.cast(pl.Utf8)).alias("detail"),
        )
        if found.height:
            self.parts.append(found)

    def frame(self) -> pl.DataFrame:
        if not self.parts:
            return _empty_findings()
        return pl.concat(self.parts, how="vertical").sort(["row", "column", "rule"])


def _key_expr(kind: str, present: set[str]) -> pl.Expr:
    keys = [k for k in TABLES[kind].key if k in present]
    if not keys:
        return pl.lit(None, dtype=pl.Utf8)
    return pl.concat_str([pl.col(k).cast(pl.Utf8).fill_null("") for k in keys], separator="/")


@dataclass
class _Work:
    kind: str
    text: pl.DataFrame
    typed: pl.DataFrame
    present: set[str]
    errors: _Findings
    flags: _Findings


# ------------------------------------------------------------------------------------ rules


def _column_rules(work: _Work, today: dt.date) -> None:
    table = TABLES[work.kind]
    combined = work.typed.join(
        work.text.select(ROW, *[pl.col(c).alias(f"{c}__text") for c in work.present]), on=ROW
    )
    for column in table.columns:
        name = column.name
        if name not in work.present:
            continue
        typed, text = pl.col(name), pl.col(f"{name}__text")
        if column.required:
            work.errors.add(combined, text.is_null(), column=name, rule="required", value=text)
        work.errors.add(
            combined,
            text.str.contains(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"),
            column=name,
            rule="control_characters",
            value=text.str.replace_all(r"[\x00-\x1f\x7f]", "?"),
        )
        if column.kind in _TYPE_NAMES:
            work.errors.add(
                combined,
                text.is_not_null() & typed.is_null(),
                column=name,
                rule="type",
                value=text,
                detail=_TYPE_NAMES[column.kind],
            )
        if column.minimum is not None or column.maximum is not None:
            low = column.minimum if column.minimum is not None else float("-inf")
            high = column.maximum if column.maximum is not None else float("inf")
            work.errors.add(
                combined,
                (typed < low) | (typed > high),
                column=name,
                rule="range",
                value=text,
                detail=f"[{low:g}, {high:g}]",
            )
        if column.choices:
            work.errors.add(
                combined,
                typed.is_not_null() & ~typed.is_in(list(column.choices)),
                column=name,
                rule="choice",
                value=text,
                detail=", ".join(column.choices),
            )
        if column.kind == "date":
            work.errors.add(combined, typed > today, column=name, rule="date_future", value=text)
        if column.kind == "region":
            desa = all_regions().filter(pl.col("level") == "desa_kelurahan")["code"]
            work.errors.add(
                combined,
                text.is_not_null() & typed.is_null(),
                column=name,
                rule="region_format",
                value=text,
            )
            work.errors.add(
                combined,
                typed.is_not_null() & ~typed.is_in(desa.implode()),
                column=name,
                rule="region_unknown",
                value=text,
            )
        if column.kind == "nib":
            work.errors.add(
                combined,
                typed.is_not_null() & (~typed.str.contains(r"^\d{13}$") | (typed == "0" * 13)),
                column=name,
                rule="nib_format",
                value=text,
            )
        if column.kind == "kbli":
            known = kbli_table().filter(pl.col("level").is_in([1, 5]))["code"]
            work.errors.add(
                combined,
                typed.is_not_null() & ~typed.is_in(known.implode()),
                column=name,
                rule="kbli_unknown",
                value=text,
            )
        if column.kind == "nik":
            _nik_format(work, combined, name)
    # Only where it matters later (job matching), with slack for registries a few years old.
    minimum_age = {"education": 10, "activity": 15}
    for name in FLAGGED_WHEN_MISSING.get(work.kind, ()):
        if name in work.present:
            missing = pl.col(name).is_null()
            if name in minimum_age and "birth_date" in work.present:
                born_before = pl.lit(
                    today.replace(year=today.year - minimum_age[name], day=min(today.day, 28))
                )
                missing = missing & (pl.col("birth_date") <= born_before)
            work.flags.add(work.typed, missing, column=name, rule="missing_value", detail=name)


def _nik_format(work: _Work, combined: pl.DataFrame, name: str) -> None:
    checks = nik_checks(pl.col(name))
    reasons = {
        "length": "harus 16 digit angka / must be 16 digits",
        "province": "kode provinsi tidak ada / unknown province code",
        "date": "bagian tanggal DDMMYY tidak valid (perempuan +40) / invalid DDMMYY date part",
        "serial": "nomor urut 0000 / serial number 0000",
    }
    scientific = pl.col(f"{name}__text").str.contains(r"^\d(\.\d+)?[eE]\+?\d+$")
    for check, reason in reasons.items():
        detail = reason
        if check == "length":
            detail_expr = (
                pl.when(scientific)
                .then(pl.lit("tersimpan sebagai angka di Excel / stored as a number in Excel"))
                .otherwise(pl.lit(reason))
            )
            work.errors.add(
                combined, checks["length"], column=name, rule="nik_format", detail=detail_expr
            )
        else:
            work.errors.add(combined, checks[check], column=name, rule="nik_format", detail=detail)


def _duplicate_keys(work: _Work) -> None:
    keys = [k for k in TABLES[work.kind].key if k in work.present]
    if not keys:
        return
    counted = work.typed.with_columns(
        pl.col(ROW).min().over(keys).alias("__first"), pl.len().over(keys).alias("__n")
    )
    work.errors.add(
        counted,
        (pl.col("__n") > 1) & (pl.col(ROW) != pl.col("__first")),
        column=keys[0],
        rule="duplicate_key",
        detail=pl.col("__first"),
    )


def _nik_consistency(
    work: _Work,
    frame: pl.DataFrame,
    *,
    nik: str,
    region: str | None,
    birth: str | None,
    sex: str | None,
) -> None:
    """Flags for a well-formed NIK that disagrees with the record."""
    checks = nik_checks(pl.col(nik))
    well_formed = ~checks["length"] & ~checks["province"] & ~checks["date"] & ~checks["serial"]
    kecamatan = all_regions().filter(pl.col("level") == "kecamatan")["code"]
    enriched = frame.with_columns(
        checks["kecamatan"].alias("__nik_kec"),
        checks["sex"].alias("__nik_sex"),
        checks["birth_ddmmyy"].alias("__nik_date"),
        well_formed.fill_null(False).alias("__ok"),
    )
    work.flags.add(
        enriched,
        pl.col("__ok") & ~pl.col("__nik_kec").is_in(kecamatan.implode()),
        column=nik,
        rule="nik_region_unknown",
        detail=pl.col("__nik_kec"),
    )
    if region is not None:
        work.flags.add(
            enriched,
            pl.col("__ok")
            & pl.col(region).is_not_null()
            & pl.col("__nik_kec").is_in(kecamatan.implode())
            & (pl.col(region).str.slice(0, 8) != pl.col("__nik_kec")),
            column=nik,
            rule="nik_region_mismatch",
            detail=pl.col("__nik_kec"),
        )
    if birth is not None:
        work.flags.add(
            enriched,
            pl.col("__ok")
            & pl.col(birth).is_not_null()
            & (pl.col(birth).dt.strftime("%d%m%y") != pl.col("__nik_date")),
            column=nik,
            rule="nik_birthdate_mismatch",
            detail=pl.col("__nik_date"),
        )
    if sex is not None:
        work.flags.add(
            enriched,
            pl.col("__ok") & pl.col(sex).is_not_null() & (pl.col(sex) != pl.col("__nik_sex")),
            column=nik,
            rule="nik_sex_mismatch",
            detail=pl.col("__nik_sex"),
        )


def _persons_rules(work: _Work, context: Context) -> None:
    frame = work.typed
    if "nik" in work.present:
        hashes = context.protector.hash_series(frame["nik"].alias("nik_hash"))
        frame = frame.with_columns(hashes)
        counted = frame.with_columns(
            pl.col(ROW).min().over("nik_hash").alias("__first"),
            pl.col("person_id").n_unique().over("nik_hash").alias("__people"),
        )
        work.errors.add(
            counted,
            pl.col("nik_hash").is_not_null()
            & (pl.col("__people") > 1)
            & (pl.col(ROW) != pl.col("__first")),
            column="nik",
            rule="duplicate_nik_in_file",
            detail=pl.col("__first"),
        )
        if context.existing_nik is not None and context.existing_nik.height:
            owners = context.existing_nik.select(
                pl.col("nik_hash"), pl.col("person_id").alias("__owner")
            )
            joined = frame.join(owners, on="nik_hash", how="left")
            work.errors.add(
                joined,
                pl.col("__owner").is_not_null() & (pl.col("__owner") != pl.col("person_id")),
                column="nik",
                rule="duplicate_nik_in_database",
                detail=pl.concat_str([pl.lit("person_id "), pl.col("__owner")]),
            )
    regions = context.household_regions
    if "household_id" in work.present:
        known = (
            regions
            if regions is not None
            else pl.DataFrame(schema={"household_id": pl.Utf8, "region_code": pl.Utf8})
        )
        joined = frame.join(
            known.select(
                "household_id",
                pl.col("region_code").alias("__hh_region"),
                pl.lit(True).alias("__known"),
            ),
            on="household_id",
            how="left",
        )
        work.errors.add(
            joined,
            pl.col("household_id").is_not_null() & pl.col("__known").is_null(),
            column="household_id",
            rule="household_unknown",
        )
        if "nik" in work.present:
            _nik_consistency(
                work,
                joined,
                nik="nik",
                region="__hh_region",
                birth="birth_date" if "birth_date" in work.present else None,
                sex="sex" if "sex" in work.present else None,
            )
    work.typed = frame


def _verifications_rules(work: _Work, context: Context) -> None:
    known = (
        context.household_regions
        if context.household_regions is not None
        else pl.DataFrame(schema={"household_id": pl.Utf8, "region_code": pl.Utf8})
    )
    joined = work.typed.join(
        known.select("household_id", pl.lit(True).alias("__known")), on="household_id", how="left"
    )
    work.errors.add(
        joined,
        pl.col("household_id").is_not_null() & pl.col("__known").is_null(),
        column="household_id",
        rule="household_unknown",
    )


def _households_rules(work: _Work, context: Context) -> None:
    frame = work.typed
    if "head_nik" in work.present:
        frame = frame.with_columns(
            context.protector.hash_series(frame["head_nik"].alias("head_nik_hash"))
        )
        _nik_consistency(
            work,
            frame,
            nik="head_nik",
            region="region_code" if "region_code" in work.present else None,
            birth=None,
            sex=None,
        )
    work.typed = frame


def _enterprises_rules(work: _Work, context: Context) -> None:
    frame = work.typed
    if "nib" not in work.present or "enterprise_id" not in work.present:
        return
    owners = frame.filter(pl.col("nib").is_not_null()).select("nib", "enterprise_id", ROW)
    first = owners.sort(ROW).group_by("nib", maintain_order=True).first()
    clash = owners.join(
        first.select("nib", pl.col("enterprise_id").alias("__owner"), pl.col(ROW).alias("__first")),
        on="nib",
    ).filter(pl.col("enterprise_id") != pl.col("__owner"))
    if clash.height:
        marked = frame.join(clash.select(ROW, "__first"), on=ROW, how="left")
        work.errors.add(
            marked,
            pl.col("__first").is_not_null(),
            column="nib",
            rule="duplicate_nib",
            detail=pl.concat_str([pl.lit("row "), pl.col("__first").cast(pl.Utf8)]),
        )
    if context.existing_nib is not None and context.existing_nib.height:
        joined = frame.join(
            context.existing_nib.select("nib", pl.col("enterprise_id").alias("__owner")).unique(
                "nib"
            ),
            on="nib",
            how="left",
        )
        work.errors.add(
            joined,
            pl.col("__owner").is_not_null() & (pl.col("__owner") != pl.col("enterprise_id")),
            column="nib",
            rule="duplicate_nib",
            detail=pl.concat_str([pl.lit("enterprise_id "), pl.col("__owner")]),
        )


# ------------------------------------------------------------------------------------ entry point


def validate_table(kind: str, text: pl.DataFrame, *, context: Context) -> Validation:
    """Type, check and cross-check one table given as canonical text columns plus ``_row``.

    ``text`` comes from :func:`tuntas.tables.mapping.to_canonical_text` with a ``_row`` column added.
    The returned frame has every canonical column of the table (absent ones null), typed, plus
    ``_row`` and the keyed hashes computed on the way (``nik_hash``, ``head_nik_hash``).
    """
    table = TABLES[kind]
    present = {c for c in text.columns if table.has(c)}
    typed = text.select(
        pl.col(ROW),
        *[
            (_parse(column, pl.col(column.name)) if column.name in present else pl.lit(None))
            .cast(column.dtype)
            .alias(column.name)
            for column in table.columns
        ],
    )
    key = _key_expr(kind, present)
    work = _Work(kind, text, typed, present, _Findings(key), _Findings(key))
    _column_rules(work, context.today)
    _duplicate_keys(work)
    if kind == "persons":
        _persons_rules(work, context)
    elif kind == "households":
        _households_rules(work, context)
    elif kind == "enterprises":
        _enterprises_rules(work, context)
    elif kind == "verifications":
        _verifications_rules(work, context)
    return Validation(
        kind=kind, frame=work.typed, errors=work.errors.frame(), flags=work.flags.frame()
    )


def with_messages(findings: pl.DataFrame) -> pl.DataFrame:
    """Add ``message_id`` and ``message_en`` (Indonesian and English) to findings."""
    if findings.height == 0:
        return findings.with_columns(
            pl.lit(None, dtype=pl.Utf8).alias("message_id"),
            pl.lit(None, dtype=pl.Utf8).alias("message_en"),
        )
    rows = []
    for rule, detail in findings.select("rule", "detail").iter_rows():
        template_id, template_en = MESSAGES[rule]
        rows.append(
            (template_id.format(detail=detail or ""), template_en.format(detail=detail or ""))
        )
    return findings.with_columns(
        pl.Series("message_id", [r[0] for r in rows], dtype=pl.Utf8),
        pl.Series("message_en", [r[1] for r in rows], dtype=pl.Utf8),
    )
