"""Boundary polygons (GeoJSON, WGS84) for maps and distances.

Source: github.com/cahyadsn/wilayah_boundaries (MIT), simplified polygons keyed by Kemendagri 2025
codes; see ``reference/data/SOURCES.md``. Coverage: all 38 provinces, all 514 kabupaten/kota, the 576
kecamatan of Jawa Tengah, and the 401 desa/kelurahan of Kabupaten Klaten.

Examples
--------
>>> len(boundaries("desa_kelurahan", within="33.10.03")["features"])
19
>>> centroids("kecamatan", within="33.10").height
26
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from importlib import resources
from typing import Any

import polars as pl

_LAYERS = {
    "provinsi": ["provinsi_indonesia.geojson.gz"],
    "kabupaten_kota": ["kabkota_indonesia.geojson.gz"],
    "kecamatan": ["kecamatan_33_jawa_tengah.geojson.gz"],
    "desa_kelurahan": ["desa_33.10_klaten.geojson.gz"],
}


@cache
def _layer(level: str) -> dict[str, Any]:
    if level not in _LAYERS:
        raise ValueError(f"no boundary layer for level {level!r}; known: {sorted(_LAYERS)}")
    features: list[dict[str, Any]] = []
    for name in _LAYERS[level]:
        path = resources.files("tuntas.reference").joinpath("data", "geo", name)
        features.extend(json.loads(gzip.decompress(path.read_bytes()))["features"])
    return {"type": "FeatureCollection", "features": features}


def boundaries(level: str, *, within: str | None = None) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the polygons at ``level``, optionally only below ``within``.

    Feature properties: ``kode, nama, tingkat, lat, lng`` (the upstream centroid).
    """
    layer = _layer(level)
    if within is None:
        return layer
    prefix = within + "."
    features = [f for f in layer["features"] if f["properties"]["kode"].startswith(prefix)]
    return {"type": "FeatureCollection", "features": features}


def covered(code: str, level: str) -> bool:
    """Whether a polygon for ``code`` at ``level`` is shipped."""
    return any(f["properties"]["kode"] == code for f in _layer(level)["features"])


def centroids(level: str, *, within: str | None = None) -> pl.DataFrame:
    """``code, name, lat, lon`` of each polygon's centroid (degrees, WGS84)."""
    rows = [
        (p["kode"], p["nama"], float(p["lat"]), float(p["lng"]))
        for p in (f["properties"] for f in boundaries(level, within=within)["features"])
    ]
    return pl.DataFrame(rows, schema=["code", "name", "lat", "lon"], orient="row")


def haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    """Great-circle distance in km between points (degrees); works on floats and NumPy arrays.

    d = 2R·asin(√(sin²(Δφ/2) + cos φ1·cos φ2·sin²(Δλ/2))), R = 6371.0088 km (IUGG mean radius).

    >>> round(float(haversine_km(-7.70, 110.60, -7.70, 110.70)), 2)
    11.02
    """
    import numpy as np

    radius_km = 6371.0088
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dphi = phi2 - phi1
    dlam = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlam / 2) ** 2
    return 2 * radius_km * np.arcsin(np.sqrt(a))
