"""Poverty lines by region and year, from the dated parameters, overridable from a file.

Every analysis that needs a line asks :func:`line_for`: it reads ``poverty_lines.national_line`` or
``poverty_lines.extreme_line`` (Rp/capita/month) from a :class:`~tuntas.params.ParameterSet`
(the shipped baseline unless another set is passed), with the value's reference, its status
(``published`` or ``assumption``) and, for the extreme line, its PPP basis
(``poverty_lines.extreme_line_basis``, e.g. ``USD2.15-PPP2017``).

**Region fallback** (the parameters' lookup rule): among the values whose region is a prefix of the
asked code (or that have no region), the most specific region wins, then the latest date on or
before the asked date. So a desa or kecamatan of Klaten (``33.10.03.2006``) gets Klaten's line, a
regency without its own line gets its province's (``33``), and the extreme line, which BPS
publishes nationally, applies everywhere. When no value applies, :class:`LineNotFoundError` names
the region, the kind and the date.

**Year.** ``year=Y`` means the line in force on 1 March Y: BPS measures regency lines in the March
Susenas round, and the parameters date them 1 March. Pass ``date=`` for another day.

**Overrides.** A regency's own values, or a scenario, come from a file: a YAML parameter file (the
format of ``tuntas/params/data``, read by :func:`tuntas.params.load_override_file`) or a CSV with
the columns ``region_code,year,kind,rupiah,basis,source`` (``kind`` = ``national`` or ``extreme``;
optional ``status``). :func:`load_line_overrides` turns either into parameters and
:func:`with_line_overrides` layers them over a parameter set; an override with the same region and
date replaces the shipped value.

Examples
--------
>>> line = line_for("33.10", year=2024, kind="national")
>>> line.rupiah, line.status, line.region
(505826.0, 'published', '33.10')
>>> extreme = line_for("33.10.03.2006", year=2024)
>>> extreme.rupiah, extreme.basis, extreme.status
(391000.0, 'USD2.15-PPP2017', 'assumption')
>>> line_for("33.11", year=2024, kind="national").region  # Sukoharjo: Jawa Tengah's line
'33'
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import polars as pl

from tuntas.params.loader import (
    Parameter,
    ParameterError,
    ParameterSet,
    ParameterValue,
    baseline,
    load_override_file,
)

LineKind = Literal["national", "extreme"]
LINE_KINDS: tuple[str, ...] = ("national", "extreme")
LINE_PATHS: dict[str, str] = {
    "national": "poverty_lines.national_line",
    "extreme": "poverty_lines.extreme_line",
}
"""Parameter path of each kind of line."""
BASIS_PATHS: dict[str, str] = {
    "national": "poverty_lines.national_line_basis",
    "extreme": "poverty_lines.extreme_line_basis",
}
"""Parameter path of each kind's basis (the national one exists only when an override sets it)."""
NATIONAL_BASIS = "BPS-CBN"
"""Basis of BPS lines: cost of basic needs (food line of 2,100 kcal + non-food line)."""
LINE_MONTH = 3
"""Lines are measured in the March Susenas round; ``year=Y`` means 1 March Y."""
CSV_COLUMNS: tuple[str, ...] = ("region_code", "year", "kind", "rupiah", "basis", "source")


class LineNotFoundError(ParameterError):
    """No poverty line of the asked kind applies to the region at the date."""


@dataclass(frozen=True)
class LineValue:
    """A poverty line with where it came from.

    Attributes
    ----------
    rupiah : the line, Rp/capita/month.
    kind : ``national``, ``extreme`` or ``custom`` (a number given by the user).
    basis : ``BPS-CBN`` for BPS lines, the PPP basis for the extreme line, ``custom`` otherwise.
    reference : the source (regulation, release or address).
    status : ``published`` or ``assumption``.
    date : the effective date of the value used.
    region : the region the value is defined for (``""`` = all of Indonesia).
    asked_region : the region the line was asked for.
    source_file : the parameter or override file the value came from.
    """

    rupiah: float
    kind: str
    basis: str
    reference: str
    status: str
    date: dt.date
    region: str = ""
    asked_region: str = ""
    source_file: str = ""

    @property
    def is_assumption(self) -> bool:
        """True when the value is an assumption (shown as such in every report)."""
        return self.status == "assumption"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (``region`` ``national`` when the value has no region).

        Examples
        --------
        >>> custom_line(400000).to_dict()["status"]
        'assumption'
        """
        return {
            "value": self.rupiah,
            "rupiah": self.rupiah,
            "kind": self.kind,
            "basis": self.basis,
            "reference": self.reference,
            "status": self.status,
            "assumption": self.is_assumption,
            "date": self.date.isoformat(),
            "region": self.region or "national",
            "asked_region": self.asked_region,
            "source_file": self.source_file,
        }


def line_date(*, year: int | None = None, date: dt.date | str | None = None) -> dt.date:
    """The date a line is looked up at: ``date``, or 1 March of ``year``, or today.

    Examples
    --------
    >>> line_date(year=2024)
    datetime.date(2024, 3, 1)
    >>> line_date(date="2024-09-30")
    datetime.date(2024, 9, 30)
    """
    if year is not None and date is not None:
        raise ValueError("give year or date, not both")
    if date is not None:
        return date if isinstance(date, dt.date) else dt.date.fromisoformat(str(date))
    if year is not None:
        if not 1900 <= int(year) <= 2100:
            raise ValueError(f"year {year!r} is out of range")
        return dt.date(int(year), LINE_MONTH, 1)
    return dt.date.today()


def _check_kind(kind: str) -> str:
    if kind not in LINE_KINDS:
        raise ValueError(f"kind must be one of {LINE_KINDS}, not {kind!r}")
    return kind


def _basis(params: ParameterSet, kind: str, region: str, when: dt.date) -> str:
    path = BASIS_PATHS[kind]
    if path in params:
        try:
            return str(params.get(path, region=region, date=when).value)
        except ParameterError:
            pass
    return NATIONAL_BASIS if kind == "national" else "unknown"


def line_for(
    region: str,
    *,
    year: int | None = None,
    date: dt.date | str | None = None,
    kind: str = "extreme",
    params: ParameterSet | None = None,
) -> LineValue:
    """The poverty line of ``kind`` for ``region`` at a date, with its basis, reference and status.

    Parameters
    ----------
    region : dotted Kemendagri code at any level (``33.10``, ``33.10.03.2006``).
    year : the March round of this year (1 March); exclusive with ``date``.
    date : the day to look up (ISO string or date); today when neither is given.
    kind : ``"extreme"`` (default) or ``"national"``.
    params : the parameter set (the shipped baseline when omitted; pass
        :func:`with_line_overrides` for a regency's own values).

    Returns
    -------
    LineValue
        Rupiah per capita per month and its provenance.

    Raises
    ------
    LineNotFoundError
        No value of that kind applies to the region (nor its province, nor nationally) at the date.

    Examples
    --------
    >>> line_for("33.10", year=2023, kind="national").rupiah
    488102.0
    >>> line_for("35.01", year=2024, kind="national")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tuntas.poverty.lines.LineNotFoundError: no national poverty line for region 35.01 (nor its ...
    """
    _check_kind(kind)
    when = line_date(year=year, date=date)
    chosen = params if params is not None else baseline()
    try:
        value = chosen.get(LINE_PATHS[kind], region=region, date=when)
    except ParameterError:
        province = region.split(".", maxsplit=1)[0]
        also = f" (nor its province {province})" if province != region else ""
        raise LineNotFoundError(
            f"no {kind} poverty line for region {region}{also} on {when.isoformat()}; add one "
            f"with an override file (CSV columns {','.join(CSV_COLUMNS)})"
        ) from None
    return LineValue(
        rupiah=float(value.value),
        kind=kind,
        basis=_basis(chosen, kind, region, when),
        reference=value.reference,
        status=value.status,
        date=value.date,
        region=value.region,
        asked_region=region,
        source_file=value.source_file,
    )


def custom_line(rupiah: float, *, region: str = "", date: dt.date | None = None) -> LineValue:
    """A line given as a number by the user (``--line 450000``): an assumption, basis ``custom``.

    Examples
    --------
    >>> custom_line(450000, region="33.10").rupiah
    450000.0
    """
    if not rupiah > 0:
        raise ValueError(f"a poverty line must be positive, not {rupiah!r}")
    return LineValue(
        rupiah=float(rupiah),
        kind="custom",
        basis="custom",
        reference="given by the user",
        status="assumption",
        date=date or dt.date.today(),
        region=region,
        asked_region=region,
    )


def line_table(
    regions: Sequence[str],
    years: Sequence[int],
    *,
    kinds: Sequence[str] = LINE_KINDS,
    params: ParameterSet | None = None,
) -> pl.DataFrame:
    """The lines that apply to each region, year and kind (1 March of each year), one row each.

    Columns: region_code, year, kind, rupiah, basis, reference, status, date (of the value),
    defined_for (the region of the value, ``national`` when it has none). A combination without a
    line has null rupiah and status ``missing``.

    Examples
    --------
    >>> t = line_table(["33.10"], [2023, 2024], kinds=["national"])
    >>> t.select("year", "rupiah").rows()
    [(2023, 488102.0), (2024, 505826.0)]
    """
    rows: list[dict[str, Any]] = []
    for code in regions:
        for year in years:
            for kind in kinds:
                try:
                    line = line_for(code, year=year, kind=kind, params=params)
                except LineNotFoundError:
                    rows.append(
                        {"region_code": code, "year": year, "kind": kind, "status": "missing"}
                    )
                    continue
                rows.append(
                    {
                        "region_code": code,
                        "year": year,
                        "kind": kind,
                        "rupiah": line.rupiah,
                        "basis": line.basis,
                        "reference": line.reference,
                        "status": line.status,
                        "date": line.date,
                        "defined_for": line.region or "national",
                    }
                )
    schema = {
        "region_code": pl.Utf8,
        "year": pl.Int64,
        "kind": pl.Utf8,
        "rupiah": pl.Float64,
        "basis": pl.Utf8,
        "reference": pl.Utf8,
        "status": pl.Utf8,
        "date": pl.Date,
        "defined_for": pl.Utf8,
    }
    return pl.DataFrame(rows, schema=schema)


def defined_lines(params: ParameterSet | None = None) -> pl.DataFrame:
    """Every line value defined in the parameters, as the canonical *lines* table (DESIGN §4).

    Columns: region_code (``""`` = national), year, date, kind, basis, rupiah, source, status.

    Examples
    --------
    >>> t = defined_lines()
    >>> t.filter((pl.col("kind") == "national") & (pl.col("region_code") == "33.10")).height >= 6
    True
    """
    chosen = params if params is not None else baseline()
    rows: list[dict[str, Any]] = []
    for kind in LINE_KINDS:
        for value in chosen.parameter(LINE_PATHS[kind]).values:
            rows.append(
                {
                    "region_code": value.region,
                    "year": value.date.year,
                    "date": value.date,
                    "kind": kind,
                    "basis": _basis(chosen, kind, value.region, value.date),
                    "rupiah": float(value.value),
                    "source": value.reference,
                    "status": value.status,
                }
            )
    return pl.DataFrame(rows).sort("kind", "region_code", "date")


def _csv_parameters(text: str, source_file: str) -> list[Parameter]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in ("region_code", "year", "kind", "rupiah") if c not in header]
    if missing:
        raise ParameterError(f"{source_file}: missing columns {missing}; expected {CSV_COLUMNS}")
    values: dict[str, list[ParameterValue]] = {path: [] for path in LINE_PATHS.values()}
    bases: dict[str, list[ParameterValue]] = {path: [] for path in BASIS_PATHS.values()}
    seen: set[tuple[str, str, int]] = set()
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        where = f"{source_file} row {number}"
        kind = row["kind"].lower()
        if kind not in LINE_KINDS:
            raise ParameterError(f"{where}: kind {row['kind']!r} is not one of {LINE_KINDS}")
        try:
            year = int(row["year"])
            rupiah = float(row["rupiah"].replace(",", "").replace("_", ""))
        except ValueError:
            raise ParameterError(
                f"{where}: year {row['year']!r} or rupiah {row['rupiah']!r} is not a number"
            ) from None
        if not rupiah > 0:
            raise ParameterError(f"{where}: rupiah must be positive, not {rupiah}")
        source = row.get("source", "")
        status = row.get("status", "") or ("published" if source else "assumption")
        if status not in ("published", "assumption"):
            raise ParameterError(f"{where}: status {status!r} is not published or assumption")
        if status == "published" and not source:
            raise ParameterError(f"{where}: a published line needs a source")
        key = (kind, row["region_code"], year)
        if key in seen:
            raise ParameterError(f"{where}: a second {kind} line for {key[1]} in {year}")
        seen.add(key)
        when = line_date(year=year)
        note = f"override from {source_file}"
        values[LINE_PATHS[kind]].append(
            ParameterValue(
                path=LINE_PATHS[kind],
                value=rupiah,
                unit="rupiah_per_capita_per_month",
                date=when,
                region=row["region_code"],
                reference=source,
                status=status,
                note=note,
                source_file=source_file,
            )
        )
        if row.get("basis"):
            bases[BASIS_PATHS[kind]].append(
                ParameterValue(
                    path=BASIS_PATHS[kind],
                    value=row["basis"],
                    unit="text",
                    date=when,
                    region=row["region_code"],
                    reference=source,
                    status=status,
                    note=note,
                    source_file=source_file,
                )
            )
    return [
        Parameter(
            path=path, description=f"override from {source_file}", unit=v[0].unit, values=tuple(v)
        )
        for path, v in {**values, **bases}.items()
        if v
    ]


def load_line_overrides(path: Path | str) -> list[Parameter]:
    """Line parameters from a CSV (``region_code,year,kind,rupiah,basis,source``) or YAML file.

    In the CSV, ``year`` is dated 1 March; ``status`` (optional) defaults to ``published`` when a
    source is given and ``assumption`` otherwise; ``basis`` (optional) is stored as the kind's
    basis for the same region and date. A YAML file is a parameter override file whose top-level
    keys are full dotted paths (e.g. ``poverty_lines.national_line``).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "lines.csv").write_text(
    ...     "region_code,year,kind,rupiah,basis,source\\n33.10,2024,national,510000,BPS-CBN,Perbup\\n")
    >>> params = with_line_overrides(folder / "lines.csv")
    >>> line_for("33.10", year=2024, kind="national", params=params).rupiah
    510000.0
    """
    file = Path(path)
    if file.suffix.lower() == ".csv":
        return _csv_parameters(file.read_text(encoding="utf-8-sig"), str(file))
    if file.suffix.lower() in (".yaml", ".yml"):
        return load_override_file(file)
    raise ParameterError(f"{file}: line overrides must be a .csv or .yaml file")


def with_line_overrides(*paths: Path | str, params: ParameterSet | None = None) -> ParameterSet:
    """``params`` (the baseline when omitted) with the lines of each file layered on top, in order."""
    chosen = params if params is not None else baseline()
    overrides: list[Parameter] = []
    for path in paths:
        overrides.extend(load_line_overrides(path))
    return chosen.with_overrides(_merge(overrides))


def _merge(parameters: Iterable[Parameter]) -> list[Parameter]:
    """One parameter per path (later files' values after earlier ones')."""
    merged: dict[str, Parameter] = {}
    for parameter in parameters:
        if parameter.path in merged:
            base = merged[parameter.path]
            merged[parameter.path] = Parameter(
                path=base.path,
                description=base.description,
                unit=base.unit,
                values=base.values + parameter.values,
            )
        else:
            merged[parameter.path] = parameter
    return list(merged.values())


__all__: Sequence[str] = (
    "CSV_COLUMNS",
    "LINE_KINDS",
    "LineNotFoundError",
    "LineValue",
    "custom_line",
    "defined_lines",
    "line_date",
    "line_for",
    "line_table",
    "load_line_overrides",
    "with_line_overrides",
)
