"""Charts and maps as Vega-Lite (Altair), rendered offline with vl-convert.

The same specification serves the web page (as JSON), the PNG/SVG in a workbook and the PDF brief.
Boundaries come from :mod:`tuntas.reference.geo` (cahyadsn/wilayah_boundaries, MIT).

Examples
--------
>>> import polars as pl
>>> values = pl.DataFrame({"region_code": ["33.10.03.2006"], "value": [12.0]})
>>> spec = desa_map(values, within="33.10", title="Keluarga terangkat", legend="keluarga").to_dict()
>>> [layer["mark"]["type"] for layer in spec["layer"]]
['geoshape', 'geoshape']
"""

from __future__ import annotations

from typing import Any, cast

import altair as alt
import polars as pl

from tuntas.reference.geo import boundaries


def _features(level: str, within: str, values: pl.DataFrame) -> list[dict[str, Any]]:
    by_code = dict(values.select("region_code", "value").iter_rows())
    features = []
    for feature in boundaries(level, within=within)["features"]:
        props = feature["properties"]
        features.append(
            {
                "type": "Feature",
                "geometry": feature["geometry"],
                "properties": {
                    "kode": props["kode"],
                    "nama": props["nama"],
                    "value": by_code.get(props["kode"]),
                },
            }
        )
    return features


def desa_map(
    values: pl.DataFrame,
    *,
    within: str,
    title: str,
    legend: str,
    level: str = "desa_kelurahan",
    scheme: str = "greens",
    width: int = 520,
    height: int = 420,
) -> alt.LayerChart:
    """A choropleth of ``values`` (``region_code, value``) over the polygons of ``level``.

    Areas without a value are drawn grey underneath. Coordinates are WGS84 (Mercator projection).
    """
    features = _features(level, within, values)
    outline = (
        alt.Chart(alt.Data(values=features))
        .mark_geoshape(fill="#e4e4e4", stroke="white", strokeWidth=0.3)
        .encode(tooltip=[alt.Tooltip("properties.nama:N", title="wilayah")])
    )
    filled = (
        alt.Chart(alt.Data(values=[f for f in features if f["properties"]["value"] is not None]))
        .mark_geoshape(stroke="white", strokeWidth=0.3)
        .encode(
            color=alt.Color(
                "properties.value:Q",
                title=legend,
                scale=alt.Scale(scheme=scheme),  # type: ignore[arg-type]
            ),
            tooltip=[
                alt.Tooltip("properties.nama:N", title="wilayah"),
                alt.Tooltip("properties.kode:N", title="kode"),
                alt.Tooltip("properties.value:Q", title=legend, format=",.0f"),
            ],
        )
    )
    layered = alt.layer(outline, filled).project(type="mercator")
    return cast(alt.LayerChart, layered.properties(title=title, width=width, height=height))


def bar_chart(
    frame: pl.DataFrame, *, category: str, value: str, title: str, legend: str
) -> alt.Chart:
    """Horizontal bars of ``value`` by ``category``, largest first."""
    return (
        alt.Chart(alt.Data(values=frame.select(category, value).to_dicts()))
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", sort="-x", title=None),
            x=alt.X(f"{value}:Q", title=legend),
            tooltip=[alt.Tooltip(f"{category}:N"), alt.Tooltip(f"{value}:Q", format=",.0f")],
        )
        .properties(title=title, width=420)
    )


def to_svg(chart: alt.Chart | alt.LayerChart) -> str:
    """Render a chart to SVG text offline."""
    import vl_convert as vlc

    return str(vlc.vegalite_to_svg(chart.to_dict()))


def to_png(chart: alt.Chart | alt.LayerChart, *, scale: float = 2.0) -> bytes:
    """Render a chart to PNG bytes offline."""
    import vl_convert as vlc

    return bytes(vlc.vegalite_to_png(chart.to_dict(), scale=scale))
