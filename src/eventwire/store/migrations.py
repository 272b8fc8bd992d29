"""The store's schema as an ordered list of migrations, in SQL that DuckDB and PostgreSQL both
accept. A migration is applied once, inside a transaction, and recorded in
``schema_migrations``; never edit a released migration, append a new one.
"""

from __future__ import annotations

from dataclasses import dataclass

MIGRATIONS_TABLE = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at TIMESTAMP NOT NULL
)"""


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


_V1 = (
    """CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        url TEXT,
        title TEXT,
        outlet TEXT,
        published DATE,
        language TEXT,
        source TEXT,
        text TEXT,
        extractor_version TEXT NOT NULL,
        ingested_at TIMESTAMP NOT NULL
    )""",
    """CREATE TABLE mentions (
        id TEXT PRIMARY KEY,
        article_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        event_type TEXT NOT NULL,
        mode TEXT,
        cameo TEXT,
        reciprocal BOOLEAN NOT NULL,
        status TEXT NOT NULL,
        actor_text TEXT,
        actor_name TEXT,
        actor_country TEXT,
        actor_sector TEXT,
        actor_start INTEGER,
        actor_end INTEGER,
        recipient_text TEXT,
        recipient_name TEXT,
        recipient_country TEXT,
        recipient_sector TEXT,
        recipient_start INTEGER,
        recipient_end INTEGER,
        date_value DATE,
        date_precision TEXT,
        date_text TEXT,
        date_inferred BOOLEAN,
        place_text TEXT,
        place_name TEXT,
        place_country TEXT,
        lat DOUBLE PRECISION,
        lon DOUBLE PRECISION,
        geonameid BIGINT,
        source TEXT,
        source_type TEXT,
        source_country TEXT,
        evidence_start INTEGER NOT NULL,
        evidence_end INTEGER NOT NULL,
        evidence_text TEXT NOT NULL,
        confidence DOUBLE PRECISION NOT NULL,
        record TEXT NOT NULL
    )""",
    """CREATE TABLE events (
        id TEXT PRIMARY KEY,
        event_type TEXT NOT NULL,
        mode TEXT,
        cameo TEXT,
        reciprocal BOOLEAN NOT NULL,
        status TEXT NOT NULL,
        actor_name TEXT,
        actor_country TEXT,
        actor_sector TEXT,
        recipient_name TEXT,
        recipient_country TEXT,
        recipient_sector TEXT,
        date_value DATE,
        date_precision TEXT,
        place_name TEXT,
        place_country TEXT,
        lat DOUBLE PRECISION,
        lon DOUBLE PRECISION,
        geonameid BIGINT,
        num_mentions INTEGER NOT NULL,
        num_articles INTEGER NOT NULL,
        num_sources INTEGER NOT NULL,
        state_media_only BOOLEAN NOT NULL,
        state_media_country TEXT,
        confidence DOUBLE PRECISION NOT NULL,
        first_article_id TEXT NOT NULL,
        source_url TEXT,
        first_seen TIMESTAMP
    )""",
    "CREATE INDEX mentions_article_idx ON mentions (article_id)",
    "CREATE INDEX mentions_event_idx ON mentions (event_id)",
    "CREATE INDEX mentions_source_type_idx ON mentions (source_type)",
    "CREATE INDEX events_type_status_idx ON events (event_type, status)",
    "CREATE INDEX events_date_idx ON events (date_value)",
    "CREATE INDEX events_actor_country_idx ON events (actor_country)",
    "CREATE INDEX events_recipient_country_idx ON events (recipient_country)",
    "CREATE INDEX events_place_country_idx ON events (place_country)",
    "CREATE INDEX events_lat_idx ON events (lat)",
)

# The article view shows everything extracted, not only the events: keep the whole analysis.
_V2 = ("ALTER TABLE articles ADD COLUMN analysis TEXT",)

# Whether a mention's place is a point (a city, a site) or an area (a region, a country): two
# points far apart are two events, an area fits the points inside it.
_V3 = ("ALTER TABLE mentions ADD COLUMN place_feature TEXT",)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "articles, mentions and events, with indexes for the query filters", _V1),
    Migration(2, "articles.analysis: the article's whole analysis as JSON", _V2),
    Migration(3, "mentions.place_feature: city, site, region, country", _V3),
)
LATEST_VERSION = MIGRATIONS[-1].version


def pending(current: int) -> list[Migration]:
    """The migrations a database at schema version ``current`` still needs, in order."""
    return [m for m in MIGRATIONS if m.version > current]
