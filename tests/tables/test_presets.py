"""Presets: every label reads back to one code; the P3KE headings map to canonical columns."""

from __future__ import annotations

import pytest

from tuntas.tables.mapping import label_map, map_headings
from tuntas.tables.presets import (
    _P3KE_LABELS,
    OCCUPATIONS,
    P3KE_FAMILY_HEADINGS,
    P3KE_PERSON_HEADINGS,
    PRESETS,
    normalize_heading,
    normalize_label,
    p3ke_labels,
)
from tuntas.tables.schemas import TABLES


@pytest.mark.parametrize("column", sorted(_P3KE_LABELS))
def test_labels_are_unambiguous_after_normalisation(column: str) -> None:
    seen: dict[str, str] = {}
    for code, labels in _P3KE_LABELS[column].items():
        for label in labels:
            key = normalize_label(label)
            assert seen.setdefault(key, code) == code, (
                f"{label!r} reads as {seen[key]!r} and {code!r}"
            )


@pytest.mark.parametrize("column", sorted(c for c in _P3KE_LABELS if c not in {"owns_house"}))
def test_written_label_reads_back(column: str) -> None:
    reading = label_map(column)
    for code, label in p3ke_labels(column).items():
        assert reading[normalize_label(label)] == code


def test_occupation_labels_are_unambiguous() -> None:
    keys = [normalize_label(label) for label, _a, _s in OCCUPATIONS]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    ("kind", "headings"), [("households", P3KE_FAMILY_HEADINGS), ("persons", P3KE_PERSON_HEADINGS)]
)
def test_p3ke_headings_cover_required_columns(kind: str, headings: tuple[str, ...]) -> None:
    mapping = map_headings(list(headings), kind, preset=PRESETS["p3ke"][kind])
    assert mapping.missing_required == []
    for target in mapping.recognised.values():
        assert TABLES[kind].has(target)


def test_heading_variants_are_one_heading() -> None:
    variants = [
        "Hubungan Dengan Kpl. Keluarga",
        "HUBUNGAN_DENGAN_KPL_KELUARGA",
        "hubungan dengan kpl keluarga ",
    ]
    assert len({normalize_heading(v) for v in variants}) == 1
