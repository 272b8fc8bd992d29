"""The map's country outlines: read from the Natural Earth file that a dependency ships,
simplified, in lon/lat, with ISO codes."""

from __future__ import annotations

import json

from eventwire.web.outlines import world_geojson


def test_outlines_are_a_small_geojson_of_the_world() -> None:
    world = world_geojson()
    assert world["type"] == "FeatureCollection"
    features = world["features"]
    assert len(features) > 200
    codes = {f["properties"]["iso3"] for f in features}
    # France and Norway have no ISO_A3 in Natural Earth; the outline still gets its code.
    assert {"FRA", "NOR", "RUS", "PRK", "SDN", "USA", "BRA", "AUS"} <= codes
    assert len(json.dumps(world, separators=(",", ":"))) < 600_000
    assert world_geojson() is world  # read once per process


def test_outline_coordinates_are_closed_lon_lat_rings() -> None:
    for feature in world_geojson()["features"]:
        geometry = feature["geometry"]
        assert geometry["type"] == "MultiPolygon"
        for polygon in geometry["coordinates"]:
            for ring in polygon:
                assert len(ring) >= 4 and ring[0] == ring[-1]
                for lon, lat in ring:
                    assert -180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0


def test_a_country_outline_contains_its_capital() -> None:
    from shapely.geometry import Point, shape

    features = world_geojson()["features"]
    # Kosovo has no ISO code: its outline carries eventwire's XKX, as its events do.
    capitals = (("NOR", 10.75, 59.91), ("KEN", 36.82, -1.29), ("FRA", 2.35, 48.86),
                ("XKX", 21.17, 42.66))  # fmt: skip
    for code, lon, lat in capitals:
        # A code may have several features (France and Clipperton Island).
        outlines = [shape(f["geometry"]) for f in features if f["properties"]["iso3"] == code]
        assert any(o.contains(Point(lon, lat)) for o in outlines), code
