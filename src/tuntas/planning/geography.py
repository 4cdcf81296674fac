"""Distances between desa: the commuting limits of the plan.

Persons and enterprises are placed at their desa's centroid (``tuntas.reference.centroids``), so the
distance between a worker and a job is the great-circle distance between the two desa centroids
(0 within the same desa). This understates trips within large desa and ignores roads; it is the
same rule for the allocation and the matching, which is what keeps them consistent.

Examples
--------
>>> d = DesaDistances.for_codes(["33.10.01.2001", "33.10.01.2002"])
>>> d.km("33.10.01.2001", "33.10.01.2001"), round(d.km("33.10.01.2001", "33.10.01.2002"), 2)
(0.0, 1.19)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl
from numpy.typing import NDArray

from tuntas.reference import centroids, haversine_km


@dataclass(frozen=True)
class DesaDistances:
    """Pairwise distances (km) between a set of desa, with an index by code."""

    codes: tuple[str, ...]
    matrix: NDArray[np.float64]

    @classmethod
    def from_points(
        cls, codes: Sequence[str], lat: Sequence[float], lon: Sequence[float]
    ) -> DesaDistances:
        """Distances from explicit centroids (tests, or desa not in the reference data)."""
        la = np.asarray(lat, dtype=np.float64)
        lo = np.asarray(lon, dtype=np.float64)
        matrix = haversine_km(la[:, None], lo[:, None], la[None, :], lo[None, :])
        np.fill_diagonal(matrix, 0.0)
        return cls(tuple(codes), np.asarray(matrix, dtype=np.float64))

    @classmethod
    def for_codes(
        cls, codes: Iterable[str], *, data_points: pl.DataFrame | None = None
    ) -> DesaDistances:
        """Distances between the given desa codes (see :meth:`locate` for where points come from)."""
        return cls.locate(codes, data_points=data_points)[0]

    @classmethod
    def locate(
        cls, codes: Iterable[str], *, data_points: pl.DataFrame | None = None
    ) -> tuple[DesaDistances, dict[str, int]]:
        """Distances between desa, and how many desa were placed by each source.

        A desa is placed at, in order: its reference centroid (desa polygons; Klaten), the mean of
        ``data_points`` in it (region_code, lat, lon: e.g. the enterprises' coordinates), its
        kecamatan's reference centroid, its regency's centroid. Desa placed at a shared point are
        0 km apart, which over-states reach; the count per source is returned for the plan's notes.
        """
        wanted = sorted(set(codes))
        if not wanted:
            return cls((), np.zeros((0, 0))), {}
        regencies = sorted({".".join(c.split(".")[:2]) for c in wanted})
        found: dict[str, tuple[float, float]] = {}
        source: dict[str, str] = {}
        for regency in regencies:
            for code, lat, lon in (
                centroids("desa_kelurahan", within=regency).select("code", "lat", "lon").iter_rows()
            ):
                found[code] = (lat, lon)
                source[code] = "desa centroid"
        if data_points is not None and not data_points.is_empty():
            means = (
                data_points.drop_nulls(["lat", "lon"])
                .group_by("region_code")
                .agg(pl.col("lat").mean(), pl.col("lon").mean())
            )
            for code, lat, lon in means.iter_rows():
                if code not in found:
                    found[code] = (lat, lon)
                    source[code] = "mean of data coordinates"
        missing = [c for c in wanted if c not in found]
        if missing:
            for regency in regencies:
                kec = centroids("kecamatan", within=regency)
                kec_points = {c: (a, b) for c, a, b in kec.select("code", "lat", "lon").iter_rows()}
                reg = centroids("kabupaten_kota").filter(pl.col("code") == regency)
                reg_point = (float(reg["lat"][0]), float(reg["lon"][0])) if reg.height else None
                for code in [c for c in missing if c.startswith(regency + ".")]:
                    kc = ".".join(code.split(".")[:3])
                    if kc in kec_points:
                        found[code], source[code] = kec_points[kc], "kecamatan centroid"
                    elif reg_point is not None:
                        found[code], source[code] = reg_point, "regency centroid"
        still = [c for c in wanted if c not in found]
        if still:
            raise ValueError(f"no location for desa {still[:5]} (… {len(still)} in all)")
        counts: dict[str, int] = {}
        for c in wanted:
            counts[source[c]] = counts.get(source[c], 0) + 1
        lat_lon = [found[c] for c in wanted]
        return (
            cls.from_points(wanted, [p[0] for p in lat_lon], [p[1] for p in lat_lon]),
            counts,
        )

    def index(self, codes: Iterable[str]) -> NDArray[np.int64]:
        """Row index of each code (``KeyError`` for an unknown code)."""
        position = {c: i for i, c in enumerate(self.codes)}
        return np.array([position[c] for c in codes], dtype=np.int64)

    def km(self, a: str, b: str) -> float:
        """Distance between desa ``a`` and ``b``."""
        i, j = self.index([a, b])
        return float(self.matrix[i, j])
