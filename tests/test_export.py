"""The store's export writers on hand-made rows: JSONL, CSV, Parquet, GeoJSON, GDELT TSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from eventwire.model import EVENT_TYPES
from eventwire.render import render_store_events
from eventwire.store.base import EVENT_COLUMNS
from eventwire.store.export import (
    FORMATS,
    GDELT_COLUMNS,
    QUAD_CLASS,
    ExportResult,
    export_rows,
    gdelt_row,
    plover_score,
    write_csv,
    write_gdelt,
    write_geojson,
    write_jsonl,
    write_parquet,
)


def event_row(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": "0123456789abcdef",
        "event_type": "CONSULT",
        "mode": "visit",
        "cameo": "04",
        "reciprocal": True,
        "status": "asserted",
        "actor_name": "Olaf Scholz",
        "actor_country": "DEU",
        "actor_sector": "GOV",
        "recipient_name": "Recep Tayyip Erdogan",
        "recipient_country": "TUR",
        "recipient_sector": "GOV",
        "date_value": date(2023, 11, 17),
        "date_precision": "day",
        "place_name": "Berlin",
        "place_country": "DEU",
        "lat": 52.52437,
        "lon": 13.41053,
        "geonameid": 2950159,
        "num_mentions": 3,
        "num_articles": 2,
        "num_sources": 2,
        "state_media_only": False,
        "state_media_country": None,
        "confidence": 0.75,
        "first_article_id": "aaaaaaaaaaaaaaaa",
        "source_url": "https://news.example.org/berlin-talks",
        "first_seen": datetime(2023, 11, 18, 6, 30, 5),
    }
    assert set(row) == set(EVENT_COLUMNS)
    row.update(changes)
    return row


@pytest.fixture
def rows() -> list[dict[str, object]]:
    return [
        event_row(),
        event_row(
            id="fedcba9876543210", event_type="ACCUSE", mode=None, cameo="11", reciprocal=False,
            status="reported", actor_name="Chile", actor_country="CHL", recipient_name="Peru",
            recipient_country="PER", date_value=None, date_precision=None, place_name=None,
            place_country="PER", lat=None, lon=None, geonameid=None, num_mentions=1,
            num_articles=1, num_sources=1, state_media_only=True, state_media_country="PER",
            source_url=None,
        ),
    ]  # fmt: skip


# --- JSONL -----------------------------------------------------------------------------------


def test_jsonl_one_object_per_line_with_iso_dates(rows: list[dict]) -> None:
    out = io.StringIO()
    assert write_jsonl(rows, out) == ExportResult(2)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert list(first) == list(EVENT_COLUMNS)
    assert first["date_value"] == "2023-11-17"
    assert first["first_seen"] == "2023-11-18T06:30:05"
    assert first["reciprocal"] is True
    assert json.loads(lines[1])["lat"] is None


def test_jsonl_to_binary_stream_leaves_it_open(rows: list[dict]) -> None:
    out = io.BytesIO()
    write_jsonl(rows, out)
    assert not out.closed
    assert out.getvalue().decode("utf-8").count("\n") == 2


# --- CSV -------------------------------------------------------------------------------------


def test_csv_round_trip(rows: list[dict], tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    assert write_csv(rows, path).written == 2
    with open(path, encoding="utf-8", newline="") as handle:
        back = list(csv.DictReader(handle))
    assert list(back[0]) == list(EVENT_COLUMNS)
    assert back[0]["id"] == "0123456789abcdef"
    assert back[0]["date_value"] == "2023-11-17"
    assert back[0]["reciprocal"] == "true"
    assert float(back[0]["lat"]) == pytest.approx(52.52437)
    assert back[1]["lat"] == "" and back[1]["mode"] == ""
    assert back[1]["state_media_only"] == "true"
    # DuckDB reads the same file back with the right types.
    typed = duckdb.sql(f"SELECT * FROM read_csv('{path}')").fetchall()
    assert typed[0][EVENT_COLUMNS.index("date_value")] == date(2023, 11, 17)
    assert typed[0][EVENT_COLUMNS.index("reciprocal")] is True
    assert typed[1][EVENT_COLUMNS.index("lat")] is None


def test_csv_quotes_commas_and_newlines() -> None:
    out = io.StringIO()
    write_csv([{"id": "x", "evidence_text": 'He said "no",\nthen left.'}], out)
    back = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert back == [{"id": "x", "evidence_text": 'He said "no",\nthen left.'}]


def test_csv_without_rows_writes_the_given_header() -> None:
    out = io.StringIO()
    assert write_csv([], out, columns=EVENT_COLUMNS).written == 0
    assert out.getvalue().strip() == ",".join(EVENT_COLUMNS)
    empty = io.StringIO()
    write_csv([], empty)
    assert empty.getvalue() == ""


# --- Parquet ---------------------------------------------------------------------------------


def test_parquet_readable_with_duckdb_and_typed(rows: list[dict], tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    assert write_parquet(rows, path).written == 2
    con = duckdb.connect()
    described = con.execute(f"SELECT column_name, column_type FROM (DESCRIBE '{path}')")
    types = dict(described.fetchall())
    assert types["date_value"] == "DATE"
    assert types["first_seen"] == "TIMESTAMP"
    assert types["reciprocal"] == "BOOLEAN"
    assert types["lat"] == "DOUBLE"
    assert types["num_mentions"] == "BIGINT"
    back = con.execute(f"SELECT * FROM '{path}' ORDER BY id").fetchall()
    assert [list(r) for r in back] == [[row[c] for c in EVENT_COLUMNS] for row in rows]


def test_parquet_mentions_rows_and_binary_stream(tmp_path: Path) -> None:
    record = json.dumps({"id": "m1", "evidence": {"start": 0, "end": 5, "text": "Hello"}})
    mentions = [
        {"id": "m1", "article_id": "a1", "evidence_start": 0, "confidence": 1, "record": record},
        {"id": "m2", "article_id": "a1", "evidence_start": 7, "confidence": 0.5, "record": None},
    ]
    out = io.BytesIO()
    assert write_parquet(mentions, out).written == 2
    path = tmp_path / "mentions.parquet"
    path.write_bytes(out.getvalue())
    back = duckdb.sql(f"SELECT id, confidence, record FROM '{path}' ORDER BY id").fetchall()
    assert back == [("m1", 1.0, record), ("m2", 0.5, None)]  # ints and floats: DOUBLE


def test_parquet_without_rows_keeps_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "none.parquet"
    assert write_parquet([], path, columns=EVENT_COLUMNS).written == 0
    described = duckdb.sql(f"DESCRIBE '{path}'").fetchall()
    assert [d[0] for d in described] == list(EVENT_COLUMNS)
    assert dict((d[0], d[1]) for d in described)["date_value"] == "DATE"
    assert duckdb.sql(f"SELECT count(*) FROM '{path}'").fetchall() == [(0,)]


def test_parquet_refuses_a_text_stream(rows: list[dict]) -> None:
    with pytest.raises(ValueError, match="binary"):
        write_parquet(rows, io.StringIO())


# --- GeoJSON ---------------------------------------------------------------------------------


def test_geojson_points_and_counted_rows_without_coordinates(rows: list[dict]) -> None:
    out = io.StringIO()
    bad = event_row(id="out-of-range", lat=123.0, lon=10.0)
    result = write_geojson([*rows, bad], out)
    assert result == ExportResult(written=1, skipped=2)
    data = json.loads(out.getvalue())
    assert data["type"] == "FeatureCollection"
    (feature,) = data["features"]
    assert feature["type"] == "Feature"
    assert feature["id"] == "0123456789abcdef"
    assert feature["geometry"] == {"type": "Point", "coordinates": [13.41053, 52.52437]}
    props = feature["properties"]
    assert "lat" not in props and "lon" not in props
    assert props["date_value"] == "2023-11-17" and props["num_articles"] == 2


def test_geojson_without_rows_is_an_empty_collection() -> None:
    out = io.StringIO()
    assert write_geojson([], out) == ExportResult(0, 0)
    assert json.loads(out.getvalue()) == {"type": "FeatureCollection", "features": []}


# --- GDELT -----------------------------------------------------------------------------------


def read_gdelt(text: str) -> list[dict[str, str]]:
    lines = text.rstrip("\n").split("\n")
    header = lines[0].split("\t")
    assert header == list(GDELT_COLUMNS)
    out = []
    for line in lines[1:]:
        cells = line.split("\t")
        assert len(cells) == 61
        out.append(dict(zip(header, cells, strict=True)))
    return out


def test_gdelt_columns_and_values(rows: list[dict]) -> None:
    out = io.StringIO()
    assert write_gdelt(rows, out).written == 2
    first, second = read_gdelt(out.getvalue())
    assert len(GDELT_COLUMNS) == 61
    assert first["GLOBALEVENTID"] == str(int("0123456789abcde", 16))
    assert format(int(first["GLOBALEVENTID"]), "015x") == "0123456789abcdef"[:15]
    assert (first["SQLDATE"], first["MonthYear"], first["Year"]) == ("20231117", "202311", "2023")
    assert first["FractionDate"] == f"{2023 + 320 / 365:.4f}"
    assert first["Actor1Code"] == "DEUGOV" and first["Actor1Name"] == "Olaf Scholz"
    assert first["Actor1CountryCode"] == "DEU" and first["Actor1Type1Code"] == "GOV"
    assert first["Actor2Code"] == "TURGOV" and first["Actor2CountryCode"] == "TUR"
    assert (first["EventCode"], first["EventBaseCode"], first["EventRootCode"]) == (
        "040", "040", "04",
    )  # fmt: skip
    assert first["QuadClass"] == "1"
    assert first["GoldsteinScale"] == "4"  # CONSULT: visit
    assert (first["NumMentions"], first["NumSources"], first["NumArticles"]) == ("3", "2", "2")
    assert first["ActionGeo_Type"] == "4"  # a city outside the US
    assert first["ActionGeo_FullName"] == "Berlin"
    assert first["ActionGeo_CountryCode"] == "GM"  # FIPS 10-4, as GDELT's geo fields
    assert first["ActionGeo_Lat"] == "52.52437" and first["ActionGeo_Long"] == "13.41053"
    assert first["ActionGeo_FeatureID"] == "2950159"
    assert first["DATEADDED"] == "20231118063005"
    assert first["SOURCEURL"] == "https://news.example.org/berlin-talks"
    for empty in ("IsRootEvent", "AvgTone", "Actor1Geo_Type", "Actor2Geo_Lat", "Actor1Type2Code"):
        assert first[empty] == ""
    # No date, no point: those fields stay empty; the country alone is a country-level place.
    assert second["SQLDATE"] == second["Year"] == second["FractionDate"] == ""
    assert second["QuadClass"] == "3" and second["GoldsteinScale"] == "-3"
    assert second["ActionGeo_Type"] == "1" and second["ActionGeo_CountryCode"] == "PE"
    assert second["ActionGeo_FullName"] == "Peru" and second["ActionGeo_Lat"] == ""
    assert second["SOURCEURL"] == ""


def test_gdelt_quad_class_for_every_plover_type() -> None:
    assert set(QUAD_CLASS) == set(EVENT_TYPES)
    expected = {
        1: {"AGREE", "CONSULT", "SUPPORT", "CONCEDE"},
        2: {"COOPERATE", "AID", "RETREAT"},
        3: {"REQUEST", "ACCUSE", "REJECT", "THREATEN"},
        4: {"PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"},
    }
    for quad, types in expected.items():
        for event_type in types:
            assert gdelt_row(event_row(event_type=event_type, mode=None))["QuadClass"] == str(quad)


def test_plover_scores() -> None:
    assert all(plover_score(t) is not None for t in EVENT_TYPES)
    assert plover_score("ASSAULT", "heavy-weapons") == -9.5
    assert plover_score("ASSAULT", "no-such-mode") == -9.0
    assert plover_score("AID") == 10.0
    assert plover_score(None) is None


def test_gdelt_cells_never_break_the_line() -> None:
    out = io.StringIO()
    write_gdelt([event_row(actor_name="Olaf\tScholz\nand aides", place_name="Ber\tlin")], out)
    (row,) = read_gdelt(out.getvalue())
    assert row["Actor1Name"] == "Olaf Scholz and aides" and row["ActionGeo_FullName"] == "Ber lin"


def test_gdelt_us_places_and_missing_actor() -> None:
    row = gdelt_row(
        event_row(place_name="Chicago", place_country="USA", lat=41.85, lon=-87.65,
                  geonameid=4887398, actor_name=None, actor_country=None, actor_sector=None)
    )  # fmt: skip
    assert row["ActionGeo_Type"] == "3" and row["ActionGeo_CountryCode"] == "US"
    assert row["Actor1Code"] == row["Actor1Name"] == row["Actor1CountryCode"] == ""


# --- by name ---------------------------------------------------------------------------------


def test_export_rows_by_name(rows: list[dict], tmp_path: Path) -> None:
    assert set(FORMATS) == {"jsonl", "csv", "parquet", "geojson", "gdelt"}
    for fmt in FORMATS:
        target = tmp_path / f"out.{fmt}"
        assert export_rows(rows, fmt, target).written >= 1
        assert target.stat().st_size > 0
    with pytest.raises(ValueError, match="unknown export format"):
        export_rows(rows, "xml", tmp_path / "out.xml")


def test_writers_consume_a_generator_once(rows: list[dict]) -> None:
    assert write_jsonl((row for row in rows), io.StringIO()).written == 2


# --- the table for people --------------------------------------------------------------------


def test_render_store_events(rows: list[dict]) -> None:
    text = render_store_events(rows, width=120, ascii_only=True)
    lines = text.splitlines()
    assert lines[0].split()[:3] == ["#", "EVENT/STATUS", "ACTOR"]
    assert "asserted" in text and "reported" in text
    assert "Olaf Scholz (DEU GOV) <->" in " ".join(text.split())
    assert "2023-11-17" in text and "Berlin, DEU" in text
    assert "2 articles, 2" in text and "state media only" in text
    assert all(len(line) <= 120 for line in lines)
    assert lines[-1] == "(2 events)"
    assert render_store_events([]) == "(no events match)\n"
