"""Parameter look-ups for a plan: one region and date, ``@`` references, and a record of what was used.

Every value a plan reads goes through a :class:`ParameterLookup`, which

* fixes the region and date of the plan (the lookup rule of :mod:`tuntas.params.loader`);
* follows ``"@path"`` values to the parameter they name (the instrument catalogue reads the KUR
  rules from ``kur.yaml`` this way), keeping the referenced value's own reference and status;
* records every :class:`~tuntas.params.loader.ParameterValue` it returned, so that
  :meth:`ParameterLookup.assumptions` lists exactly the assumptions the plan used.

Examples
--------
>>> lookup = ParameterLookup(region="33.10", date="2025-06-30")
>>> lookup.value("instruments.kur_mikro.eligibility.min_business_age_months")
6
>>> lookup.get("instruments.kur_mikro.eligibility.min_business_age_months").path
'kur.mikro.min_business_age_months'
>>> [a["path"] for a in lookup.assumptions()]
[]
>>> lookup.value("pathways.wage_job.consumption_share")["central"]
0.7
>>> [a["path"] for a in lookup.assumptions()]
['pathways.wage_job.consumption_share']
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tuntas.params.loader import ParameterError, ParameterSet, ParameterValue, baseline

REFERENCE_PREFIX = "@"
"""A parameter value written ``"@path"`` stands for the value of parameter ``path``."""

_MISSING = object()


def as_date(value: dt.date | str | None) -> dt.date:
    """A date from a ``date``, an ISO string or ``None`` (today).

    >>> as_date("2025-01-31")
    datetime.date(2025, 1, 31)
    """
    if value is None:
        return dt.date.today()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


class ParameterLookup:
    """Parameter values for one region and date, following ``@`` references, recording each use.

    Parameters
    ----------
    params : ParameterSet, optional
        The baseline (default) or a reform (:meth:`ParameterSet.with_overrides`).
    region : str, keyword-only
        Kemendagri code of the plan's region (``"33.10"``).
    date : date or ISO string, keyword-only
        The date at which values are read (today when omitted).
    """

    def __init__(
        self,
        params: ParameterSet | None = None,
        *,
        region: str,
        date: dt.date | str | None = None,
    ) -> None:
        self.params = baseline() if params is None else params
        self.region = region
        self.date = as_date(date)
        self._used: dict[tuple[str, dt.date, str], ParameterValue] = {}

    def has(self, path: str) -> bool:
        """Whether ``path`` is a parameter with a value for this region and date."""
        if path not in self.params:
            return False
        try:
            self.params.get(path, region=self.region, date=self.date)
        except ParameterError:
            return False
        return True

    def get(self, path: str) -> ParameterValue:
        """The value of ``path`` (after following ``@`` references), recorded as used."""
        seen: list[str] = []
        current = path
        while True:
            if current in seen:
                raise ParameterError(
                    f"circular parameter reference: {' -> '.join([*seen, current])}"
                )
            seen.append(current)
            found = self.params.get(current, region=self.region, date=self.date)
            raw = found.value
            if isinstance(raw, str) and raw.startswith(REFERENCE_PREFIX):
                current = raw[len(REFERENCE_PREFIX) :].strip()
                continue
            self._used[(found.path, found.date, found.region)] = found
            return found

    def value(self, path: str, default: Any = _MISSING) -> Any:
        """Shorthand for ``get(path).value``; ``default`` when given and ``path`` has no value."""
        if default is not _MISSING and not self.has(path):
            return default
        return self.get(path).value

    def first(self, *paths: str, default: Any = _MISSING) -> Any:
        """The value of the first of ``paths`` that exists (fallback chains such as defaults)."""
        for path in paths:
            if self.has(path):
                return self.get(path).value
        if default is not _MISSING:
            return default
        raise ParameterError(f"none of {list(paths)} has a value for {self.region} on {self.date}")

    def used(self) -> list[ParameterValue]:
        """Every value returned so far, sorted by path."""
        return sorted(self._used.values(), key=lambda v: (v.path, v.date, v.region))

    def assumptions(self) -> list[dict[str, Any]]:
        """The used values marked ``assumption``: path, value, unit, date, region, note, reference."""
        return [
            {
                "path": v.path,
                "value": v.value,
                "unit": v.unit,
                "date": v.date.isoformat(),
                "region": v.region,
                "note": v.note,
                "reference": v.reference,
                "source_file": v.source_file,
            }
            for v in self.used()
            if v.is_assumption
        ]
