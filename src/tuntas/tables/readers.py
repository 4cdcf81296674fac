"""Read the files people have (CSV, xlsx, Parquet) into text columns, ready for validation.

Every cell is read as text so that validation, not the reader, decides what a value means and can
name the row, column and value it rejects. Row numbers follow what the user sees: in CSV and xlsx
files the heading is row 1 and the first record is row 2; in Parquet files records count from 1.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "k.csv"
>>> _ = path.write_text("ID Keluarga;Desil\\nK1;1\\n", encoding="utf-8")
>>> raw = read_table_file(path)
>>> raw.frame.columns, raw.first_row
(['ID Keluarga', 'Desil'], 2)
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

SUPPORTED_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".parquet", ".pq")


class ReadError(ValueError):
    """The file cannot be read at all (wrong format, missing sheet, no header)."""


@dataclass
class RawFile:
    """A file read as text: one Utf8 column per heading, in file order."""

    frame: pl.DataFrame
    path: Path
    file_format: str
    sheet: str | None = None
    first_row: int = 2
    synthetic: bool = False
    notes: list[str] = field(default_factory=list)


def _sniff_delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _read_csv(path: Path) -> pl.DataFrame:
    head = path.read_bytes()[:65536]
    try:
        text = head.decode("utf-8-sig")
        encoding = "utf8"
    except UnicodeDecodeError:
        text = head.decode("latin-1")
        encoding = "utf8-lossy"
    first_line = text.splitlines()[0] if text.strip() else ""
    if not first_line:
        raise ReadError(f"{path.name}: the file is empty")
    delimiter = _sniff_delimiter("\n".join(text.splitlines()[:20]))
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return pl.read_csv(
            io.BytesIO(data),
            separator=delimiter,
            infer_schema=False,
            encoding=encoding,
            truncate_ragged_lines=False,
        )
    except pl.exceptions.ComputeError as exc:
        raise ReadError(f"{path.name}: cannot be read as CSV ({exc})") from None


def _read_xlsx(path: Path, sheet: str | None) -> tuple[pl.DataFrame, str]:
    import fastexcel

    try:
        reader = fastexcel.read_excel(str(path))
    except Exception as exc:  # fastexcel raises its own error types
        raise ReadError(f"{path.name}: cannot be read as an Excel workbook ({exc})") from None
    names = reader.sheet_names
    chosen = sheet
    if chosen is None:
        chosen = next(
            (n for n in names if n.lower() not in {"keterangan", "readme", "catatan"}), names[0]
        )
    elif chosen not in names:
        lowered = {n.lower(): n for n in names}
        if chosen.lower() not in lowered:
            raise ReadError(f"{path.name}: no sheet {chosen!r}; sheets are {names}")
        chosen = lowered[chosen.lower()]
    loaded = reader.load_sheet(chosen, dtypes="string", whitespace_as_null=True)
    frame = pl.DataFrame(loaded.to_polars())
    return frame, chosen


def _read_parquet(path: Path) -> tuple[pl.DataFrame, bool]:
    try:
        metadata = pq.read_schema(path).metadata or {}
    except Exception as exc:
        raise ReadError(f"{path.name}: cannot be read as Parquet ({exc})") from None
    synthetic = metadata.get(b"tuntas.synthetic", b"").lower() == b"true"
    frame = pl.read_parquet(path)
    text = frame.select(
        [
            pl.col(name).dt.strftime("%Y-%m-%d").alias(name)
            if dtype == pl.Date
            else pl.col(name).cast(pl.Utf8)
            for name, dtype in frame.schema.items()
        ]
    )
    return text, synthetic


def _manifest_says_synthetic(path: Path) -> bool:
    manifest = path.parent / "manifest.json"
    if not manifest.exists():
        return False
    try:
        return bool(json.loads(manifest.read_text(encoding="utf-8")).get("synthetic"))
    except (OSError, ValueError):
        return False


def read_table_file(path: Path, *, sheet: str | None = None) -> RawFile:
    """Read a CSV, xlsx or Parquet file as text columns.

    CSV: UTF-8 (with or without BOM, else Latin-1), delimiter sniffed among ``, ; tab |``.
    xlsx: the named sheet, else the first sheet that is not a note (``Keterangan``).
    Parquet: typed columns are turned into text (dates as ISO ``YYYY-MM-DD``).
    A file is *synthetic* when its Parquet metadata or a ``manifest.json`` beside it says so.
    """
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReadError(f"{path.name}: unsupported file type {suffix!r}; use CSV, xlsx or Parquet")
    if suffix in {".csv", ".txt"}:
        frame = _read_csv(path)
        raw = RawFile(frame=frame, path=path, file_format="csv")
    elif suffix in {".xlsx", ".xlsm"}:
        frame, chosen = _read_xlsx(path, sheet)
        raw = RawFile(frame=frame, path=path, file_format="xlsx", sheet=chosen)
    else:
        frame, synthetic = _read_parquet(path)
        raw = RawFile(
            frame=frame, path=path, file_format="parquet", first_row=1, synthetic=synthetic
        )
    if raw.frame.width == 0:
        raise ReadError(f"{path.name}: no columns found")
    raw.synthetic = raw.synthetic or _manifest_says_synthetic(path)
    if raw.frame.columns and any(c.startswith("__UNNAMED__") for c in raw.frame.columns):
        raw.notes.append("some columns have no heading and were ignored")
    return raw
