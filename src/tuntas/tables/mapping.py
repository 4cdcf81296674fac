"""Recognise a file's headings and labels and turn them into canonical text columns.

Headings are matched, in order, against the preset (if any), the canonical column names and the
generic Indonesian aliases (:data:`tuntas.tables.presets.GENERIC_ALIASES`), all after
:func:`~tuntas.tables.presets.normalize_heading`. The outcome says which headings were recognised,
which were ignored and which required columns are missing, so the user sees it before anything is
stored.

Examples
--------
>>> import polars as pl
>>> frame = pl.DataFrame({"ID Keluarga": ["K1"], "KODE_KEMENDAGRI": ["3310032006"], "Catatan": ["x"]})
>>> mapping = map_headings(frame.columns, "households", preset=None)
>>> mapping.recognised
{'ID Keluarga': 'household_id', 'KODE_KEMENDAGRI': 'region_code'}
>>> mapping.ignored
['Catatan']
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from tuntas.tables.presets import (
    _P3KE_LABELS,
    BOOLEAN_LABELS,
    GENERIC_ALIASES,
    OCCUPATION_READING,
    PRESETS,
    Preset,
    normalize_heading,
)
from tuntas.tables.schemas import TABLES


@dataclass
class ColumnMapping:
    """Which file headings feed which canonical columns."""

    kind: str
    recognised: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    missing_required: list[str] = field(default_factory=list)
    missing_optional: list[str] = field(default_factory=list)
    derived: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, object] = field(default_factory=dict)
    duplicate_headings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """A JSON-friendly view."""
        return {
            "recognised": self.recognised,
            "ignored": self.ignored,
            "missing_required": self.missing_required,
            "missing_optional": self.missing_optional,
            "derived": self.derived,
            "defaults": {k: str(v) for k, v in self.defaults.items()},
        }


def resolve_preset(name: str | None, kind: str) -> Preset | None:
    """The preset called ``name`` for table ``kind``; ``ValueError`` lists what exists."""
    if name is None:
        return None
    by_kind = PRESETS.get(name.lower())
    if by_kind is None:
        raise ValueError(f"unknown preset {name!r}; known presets: {sorted(PRESETS)}")
    if kind not in by_kind:
        raise ValueError(f"preset {name!r} has no layout for {kind!r}; it has {sorted(by_kind)}")
    return by_kind[kind]


def map_headings(headings: list[str], kind: str, *, preset: Preset | None) -> ColumnMapping:
    """Match ``headings`` to the canonical columns of table ``kind``."""
    table = TABLES[kind]
    mapping = ColumnMapping(kind=kind)
    taken: set[str] = set()
    for heading in headings:
        key = normalize_heading(heading)
        target: str | None = None
        if preset is not None and key in preset.headings:
            target = preset.headings[key]
        elif table.has(key):
            target = key
        elif key in GENERIC_ALIASES and table.has(GENERIC_ALIASES[key]):
            target = GENERIC_ALIASES[key]
        if preset is not None and preset.occupation_heading == key:
            mapping.derived[heading] = "activity, sector"
            continue
        if target is None:
            mapping.ignored.append(heading)
        elif target in taken:
            mapping.duplicate_headings.append(heading)
            mapping.ignored.append(heading)
        else:
            mapping.recognised[heading] = target
            taken.add(target)
    if mapping.derived:
        taken.update({"activity", "sector"})
    if preset is not None:
        for name, value in preset.defaults.items():
            if name not in taken:
                mapping.defaults[name] = value
                taken.add(name)
    for column in table.columns:
        if column.name not in taken:
            (mapping.missing_required if column.required else mapping.missing_optional).append(
                column.name
            )
    return mapping


def label_map(column: str) -> dict[str, str]:
    """Normalised label → canonical code for a coded column: the codes themselves and P3KE labels."""
    known: dict[str, str] = {}
    table_column = next((t.column(column) for t in TABLES.values() if t.has(column)), None)
    if table_column is not None and table_column.choices:
        known.update({normalize_heading(code): code for code in table_column.choices})
    for code, labels in _P3KE_LABELS.get(column, {}).items():
        known.update({normalize_heading(label): code for label in labels})
    return known


def to_canonical_text(
    frame: pl.DataFrame, mapping: ColumnMapping, *, preset: Preset | None
) -> pl.DataFrame:
    """Rename recognised columns to canonical names, translate labels, add defaults and derived.

    The result has text columns only (plus nothing else); typing is validation's job. Labels that
    are not recognised are kept as written, so that validation can report them.
    """
    table = TABLES[mapping.kind]
    columns: list[pl.Expr] = []
    for heading, target in mapping.recognised.items():
        column = table.column(target)
        expr = pl.col(heading).cast(pl.Utf8).str.strip_chars()
        expr = pl.when(expr == "").then(None).otherwise(expr)
        if column.kind == "bool" or column.choices or (preset and target in preset.values):
            labels = label_map(target) if column.choices else {}
            if preset is not None and target in preset.values:
                labels = labels | preset.values[target]
            if column.kind == "bool":
                labels = BOOLEAN_LABELS | labels
            normalized = (
                expr.str.to_lowercase().str.replace_all(r"[^0-9a-z]+", "_").str.strip_chars("_")
            )
            expr = normalized.replace_strict(labels, default=expr, return_dtype=pl.Utf8)
        columns.append(expr.alias(target))
    for heading in mapping.derived:
        normalized = (
            pl.col(heading).cast(pl.Utf8).str.to_lowercase().str.replace_all(r"[^0-9a-z]+", "_")
        ).str.strip_chars("_")
        activity = {label: pair[0] for label, pair in OCCUPATION_READING.items()}
        sector = {label: pair[1] for label, pair in OCCUPATION_READING.items() if pair[1]}
        columns.append(
            normalized.replace_strict(activity, default=None, return_dtype=pl.Utf8).alias(
                "activity"
            )
        )
        columns.append(
            normalized.replace_strict(sector, default=None, return_dtype=pl.Utf8).alias("sector")
        )
    for column_name, value in mapping.defaults.items():
        columns.append(pl.lit(str(value), dtype=pl.Utf8).alias(column_name))
    return frame.select(columns)
