"""Dated parameters with references: "the value of parameter P for region R at date D, and its source".

Parameters live in YAML files under ``tuntas/params/data`` (the baseline) and may be overridden by
further files (a scenario or a regency's own values). A file is a tree: a mapping with the key
``values`` is a *leaf*; any other mapping is a *node* whose keys are child names. The dotted path of a
leaf is the file name (without ``.yaml``) followed by the keys, e.g. ``poverty_lines.national_line``.

A leaf::

    description: Garis kemiskinan Kabupaten Klaten
    unit: rupiah_per_capita_per_month
    values:
      - date: 2024-03-01
        value: 505826
        region: "33.10"          # Kemendagri code prefix; omitted = all of Indonesia
        reference: "BPS …"
        status: published        # or: assumption

Lookup rule (as in OpenFisca, plus regions): among the values whose ``region`` is a prefix of the
asked region (or absent), take the most specific region, then the latest ``date`` on or before the
asked date. A value holds until a later date supersedes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

UNITS = frozenset(
    {
        "rupiah",
        "rupiah_per_capita_per_month",
        "rupiah_per_month",
        "rupiah_per_year",
        "percent_per_year",
        "percent",
        "count",
        "months",
        "years",
        "ratio",
        "boolean",
        "text",
        "km",
        "persons",
    }
)
STATUSES = frozenset({"published", "assumption"})


class ParameterError(LookupError):
    """A parameter is missing, malformed, or has no value for the asked region and date."""


@dataclass(frozen=True)
class ParameterValue:
    """One dated value of a parameter, with where it came from."""

    path: str
    value: Any
    unit: str
    date: dt.date
    region: str
    reference: str
    status: str
    note: str = ""
    source_file: str = ""

    @property
    def is_assumption(self) -> bool:
        """True when the value could not be sourced and is an assumption."""
        return self.status == "assumption"


@dataclass(frozen=True)
class Parameter:
    """A leaf parameter: its description, unit and dated values."""

    path: str
    description: str
    unit: str
    values: tuple[ParameterValue, ...]


def _as_date(raw: Any, where: str) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise ParameterError(f"{where}: date {raw!r} is not an ISO date (YYYY-MM-DD)") from None


def _leaf(path: str, node: Mapping[str, Any], source_file: str) -> Parameter:
    where = f"{source_file}: {path}"
    unit = node.get("unit")
    if unit not in UNITS:
        raise ParameterError(f"{where}: unit {unit!r} is not one of {sorted(UNITS)}")
    raw_values = node.get("values")
    if not isinstance(raw_values, list) or not raw_values:
        raise ParameterError(f"{where}: 'values' must be a non-empty list")
    values = []
    for i, item in enumerate(raw_values):
        item_where = f"{where} values[{i}]"
        if not isinstance(item, Mapping) or "value" not in item or "date" not in item:
            raise ParameterError(f"{item_where}: each value needs 'date' and 'value'")
        status = item.get("status", "published")
        if status not in STATUSES:
            raise ParameterError(
                f"{item_where}: status {status!r} is not one of {sorted(STATUSES)}"
            )
        reference = str(item.get("reference") or "").strip()
        if status == "published" and not reference:
            raise ParameterError(f"{item_where}: a published value needs a reference")
        values.append(
            ParameterValue(
                path=path,
                value=item["value"],
                unit=unit,
                date=_as_date(item["date"], item_where),
                region=str(item.get("region") or ""),
                reference=reference,
                status=status,
                note=str(item.get("note") or ""),
                source_file=source_file,
            )
        )
    return Parameter(
        path=path, description=str(node.get("description", "")), unit=unit, values=tuple(values)
    )


def _walk(prefix: str, node: Any, source_file: str) -> Iterator[Parameter]:
    if not isinstance(node, Mapping):
        raise ParameterError(f"{source_file}: {prefix or '<root>'} must be a mapping")
    if "values" in node:
        yield _leaf(prefix, node, source_file)
        return
    for key, child in node.items():
        if key in {"description", "reference", "metadata"} and not isinstance(child, Mapping):
            continue
        yield from _walk(f"{prefix}.{key}" if prefix else str(key), child, source_file)


def parse_parameter_text(text: str, *, root: str, source_file: str) -> list[Parameter]:
    """Parse one YAML document into its leaf parameters, named under ``root``."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ParameterError(f"{source_file}: not valid YAML: {exc}") from None
    return list(_walk(root, document or {}, source_file))


class ParameterSet:
    """A set of parameters: the baseline, possibly with overrides layered on top (a *reform*).

    >>> params = baseline()
    >>> params.get("poverty_lines.national_line", region="33.10", date="2024-06-30").value
    505826
    """

    def __init__(self, parameters: Iterable[Parameter]) -> None:
        self._parameters: dict[str, Parameter] = {}
        for parameter in parameters:
            self._parameters[parameter.path] = parameter

    def __contains__(self, path: object) -> bool:
        return path in self._parameters

    def paths(self) -> list[str]:
        """All leaf paths, sorted."""
        return sorted(self._parameters)

    def parameter(self, path: str) -> Parameter:
        """The leaf at ``path``; ``ParameterError`` lists near names when it is unknown."""
        try:
            return self._parameters[path]
        except KeyError:
            head = path.split(".", maxsplit=1)[0]
            near = [p for p in self._parameters if p.startswith(head)][:8]
            raise ParameterError(
                f"unknown parameter {path!r}; known under {head!r}: {near}"
            ) from None

    def get(
        self, path: str, *, region: str = "", date: dt.date | str | None = None
    ) -> ParameterValue:
        """The value of ``path`` for ``region`` at ``date`` (today when omitted), with its source."""
        when = dt.date.today() if date is None else _as_date(date, path)
        candidates = [
            v
            for v in self.parameter(path).values
            if v.date <= when
            and (not v.region or region == v.region or region.startswith(v.region + "."))
        ]
        if not candidates:
            raise ParameterError(
                f"parameter {path!r} has no value for region {region or '(national)'!r} on {when}"
            )
        best_region = max(len(v.region) for v in candidates)
        return max((v for v in candidates if len(v.region) == best_region), key=lambda v: v.date)

    def value(self, path: str, *, region: str = "", date: dt.date | str | None = None) -> Any:
        """Shorthand for ``get(...).value``."""
        return self.get(path, region=region, date=date).value

    def history(self, path: str, *, region: str = "") -> list[ParameterValue]:
        """Every dated value that applies to ``region`` (most specific region first), oldest first."""
        applicable = [
            v
            for v in self.parameter(path).values
            if not v.region or region == v.region or region.startswith(v.region + ".")
        ]
        return sorted(applicable, key=lambda v: (v.date, len(v.region)))

    def assumptions(self) -> list[ParameterValue]:
        """Every value marked ``assumption`` (listed in every report that may use them)."""
        return [v for p in self._parameters.values() for v in p.values if v.is_assumption]

    def with_overrides(self, overrides: Iterable[Parameter]) -> ParameterSet:
        """A new set where each override's values come before (take precedence over) the baseline's.

        An override value with the same region and date replaces the baseline value; others are added.
        """
        merged = dict(self._parameters)
        for override in overrides:
            base = merged.get(override.path)
            if base is None:
                merged[override.path] = override
                continue
            replaced = {(v.region, v.date) for v in override.values}
            kept = tuple(v for v in base.values if (v.region, v.date) not in replaced)
            merged[override.path] = replace(base, values=kept + override.values)
        return ParameterSet(merged.values())


def load_directory(directory: Path | resources.abc.Traversable) -> list[Parameter]:
    """Every leaf in every ``*.yaml`` file of ``directory`` (recursively; sub-folders add to the path)."""
    found: list[Parameter] = []

    def visit(folder: Any, prefix: str) -> None:
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.is_dir():
                visit(entry, f"{prefix}{entry.name}.")
            elif entry.name.endswith(".yaml"):
                root = prefix + entry.name[: -len(".yaml")]
                found.extend(
                    parse_parameter_text(
                        entry.read_text(encoding="utf-8"), root=root, source_file=entry.name
                    )
                )

    visit(directory, "")
    return found


def load_override_file(path: Path) -> list[Parameter]:
    """Parameters from a user's override file, whose top-level keys are full dotted paths or nodes."""
    return parse_parameter_text(path.read_text(encoding="utf-8"), root="", source_file=str(path))


@cache
def baseline() -> ParameterSet:
    """The parameters shipped with TUNTAS."""
    return ParameterSet(load_directory(resources.files("tuntas.params").joinpath("data")))
