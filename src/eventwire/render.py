"""Tables for people: the events of an analysis as aligned, wrapped plain-text columns.

Machines read JSON (``--format jsonl`` / ``json``); this is what ``--format table`` and
``eventwire demo`` print. Long cells wrap inside their column; the evidence is trimmed.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from eventwire.model import Actor, Analysis, Attribution, DateRef, Event, Place

MIN_WIDTH = 80
MAX_WIDTH = 180
EVIDENCE_LINES = 4
GAP = "  "


@dataclass(frozen=True)
class _Column:
    title: str
    width: int  # 0: takes what the other columns leave
    max_lines: int | None = None  # a longer cell is cut with "..."


_COLUMNS = (
    _Column("#", 2),
    _Column("EVENT", 13),
    _Column("ACTOR -> RECIPIENT", 28),
    _Column("STATUS/SOURCE", 16),
    _Column("DATE/PLACE", 14),
    _Column("EVIDENCE", 0, EVIDENCE_LINES),
)


def terminal_width() -> int:
    """The width to render for: the terminal's, kept between 80 and 180 columns."""
    columns = shutil.get_terminal_size((120, 24)).columns
    return max(MIN_WIDTH, min(MAX_WIDTH, columns))


def format_actor(actor: Actor | None) -> str:
    """"Kim Jong Un (PRK GOV)": the canonical name (or the words) with country and sector."""
    if actor is None:
        return "-"
    codes = " ".join(code for code in (actor.country, actor.sector) if code)
    label = actor.name or actor.text
    return f"{label} ({codes})" if codes else label


def _arrow(reciprocal: bool, ascii_only: bool) -> str:
    if ascii_only:
        return " <-> " if reciprocal else " -> "
    return " \u2194 " if reciprocal else " \u2192 "


def format_dyad(event: Event, *, ascii_only: bool = False) -> str:
    if event.recipient is None:
        return format_actor(event.actor)
    arrow = _arrow(event.reciprocal, ascii_only)
    return f"{format_actor(event.actor)}{arrow}{format_actor(event.recipient)}"


def _day_text(value: str, precision: str | None) -> str:
    """An ISO date shown to its precision: "2023-09", "2023", "week of 2023-09-11"."""
    if precision == "week":
        return f"week of {value[:10]}"
    return value[: {"year": 4, "month": 7}.get(precision or "day", 10)]


def format_date(ref: DateRef | None) -> str:
    if ref is None:
        return "-"
    if not ref.value:
        return f'"{ref.text}"'
    return _day_text(ref.value, ref.precision)


def format_place(place: Place | None) -> str:
    if place is None:
        return "-"
    label = place.name or place.text
    return f"{label}, {place.country}" if place.country and place.country != label else label


def format_source(attribution: Attribution | None) -> str:
    if attribution is None:
        return "-"
    kind = attribution.source_type.replace("_", " ")
    return f"{attribution.source} ({kind})"


def _wrap(segments: Sequence[str], width: int, max_lines: int | None = None) -> list[str]:
    """Each segment wrapped to the width on lines of its own; trimmed to ``max_lines``."""
    lines: list[str] = []
    for segment in segments:
        lines += textwrap.wrap(
            " ".join(segment.split()), width=max(width, 1), break_on_hyphens=False
        )
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(width - 3, 0)].rstrip() + "..."
    return lines or [""]


def _row_cells(index: int, event: Event, ascii_only: bool) -> list[list[str]]:
    status = [event.status]
    if event.attribution is not None:
        status.append(f"by {format_source(event.attribution)}")
    return [
        [str(index)],
        [event.event_type] + ([f"({event.mode})"] if event.mode else []),
        [format_dyad(event, ascii_only=ascii_only)],
        status,
        [format_date(event.date), format_place(event.location)],
        [event.evidence.text],
    ]


def render_events(
    events: Sequence[Event], *, width: int | None = None, ascii_only: bool = False
) -> str:
    """The events as a table, one (possibly wrapped) row per event."""
    if not events:
        return "(no events found)\n"
    rows = [_row_cells(n, event, ascii_only) for n, event in enumerate(events, 1)]
    lines = _layout(_COLUMNS, rows, width or terminal_width(), ascii_only, blank_between=True)
    return "\n".join(lines)


def _layout(
    columns: Sequence[_Column], rows: Sequence[list[list[str]]], width: int, ascii_only: bool,
    *, blank_between: bool = False,
) -> list[str]:
    """Header, rule and the rows' cells wrapped in their columns (a blank line after each row
    with ``blank_between``). The column of width 0 takes what the others leave."""
    fixed = sum(c.width for c in columns) + len(GAP) * (len(columns) - 1)
    widths = [c.width or max(width - fixed, 24) for c in columns]
    titles = [c.title if ascii_only else c.title.replace("->", "\u2192") for c in columns]
    rule = "-" if ascii_only else "\u2500"
    out = [GAP.join(t.ljust(w) for t, w in zip(titles, widths, strict=True)).rstrip()]
    out.append(GAP.join(rule * w for w in widths))
    for cells in rows:
        wrapped = [
            _wrap(cell, w, col.max_lines)
            for cell, w, col in zip(cells, widths, columns, strict=True)
        ]
        for line_no in range(max(len(lines) for lines in wrapped)):
            parts = [
                (lines[line_no] if line_no < len(lines) else "").ljust(w)
                for lines, w in zip(wrapped, widths, strict=True)
            ]
            out.append(GAP.join(parts).rstrip())
        if blank_between:
            out.append("")
    return out


def render_header(analysis: Analysis) -> str:
    """One line naming the article: title, outlet, date, id and how many events."""
    meta = analysis.article
    parts = [meta.title or meta.source or "(untitled)"]
    parts += [p for p in (meta.outlet, meta.published and meta.published.isoformat()) if p]
    count = len(analysis.events)
    parts.append(f"id {meta.id}, {count} event{'s' if count != 1 else ''}")
    return " | ".join(parts)


def render_table(
    analysis: Analysis, *, width: int | None = None, ascii_only: bool = False
) -> str:
    """The whole analysis for a person: a header line, then the events table."""
    header = render_header(analysis)
    rule = ("=" if ascii_only else "\u2550") * min(len(header), width or terminal_width())
    return f"{header}\n{rule}\n{render_events(analysis.events, width=width, ascii_only=ascii_only)}"


# --- stored events (``eventwire query``) ----------------------------------------------------

_STORE_COLUMNS = (
    _Column("#", 3),
    _Column("EVENT/STATUS", 13),
    _Column("ACTOR -> RECIPIENT", 0),
    _Column("DATE/PLACE", 18),
    _Column("REPORTED BY", 21),
    _Column("ID", 16),
)


def _store_party(name: object, country: object, sector: object) -> str | None:
    codes = " ".join(str(code) for code in (country, sector) if code)
    label = str(name) if name else (str(country) if country else None)
    if label is None:
        return None
    return f"{label} ({codes})" if codes and codes != label else label


def _store_date(value: object, precision: object) -> str:
    if value is None:
        return "-"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return _day_text(text, str(precision) if precision else None)


def _store_cells(index: int, row: dict, ascii_only: bool) -> list[list[str]]:
    actor = _store_party(row.get("actor_name"), row.get("actor_country"), row.get("actor_sector"))
    recipient = _store_party(
        row.get("recipient_name"), row.get("recipient_country"), row.get("recipient_sector")
    )
    dyad = actor or "-"
    if recipient:
        dyad += _arrow(bool(row.get("reciprocal")), ascii_only) + recipient
    place = row.get("place_name") or row.get("place_country")
    if place and row.get("place_country") and row.get("place_country") != place:
        place = f"{place}, {row['place_country']}"
    articles, sources = row.get("num_articles") or 0, row.get("num_sources") or 0
    reports = [
        f"{articles} article{'s' if articles != 1 else ''}, "
        f"{sources} outlet{'s' if sources != 1 else ''}"
    ]
    if row.get("state_media_only"):
        country = row.get("state_media_country")
        reports.append(f"state media only{f' ({country})' if country else ''}")
    event = [str(row.get("event_type") or "-")] + ([f"({row['mode']})"] if row.get("mode") else [])
    event.append(str(row.get("status") or "-"))
    when = [_store_date(row.get("date_value"), row.get("date_precision"))]
    return [
        [str(index)],
        event,
        [dyad],
        when + ([place] if place else []),
        reports,
        [str(row.get("id") or "")],
    ]


def render_store_events(
    rows: Sequence[dict], *, width: int | None = None, ascii_only: bool = False
) -> str:
    """Rows of the store's ``events`` table as a table for people, one row per event."""
    if not rows:
        return "(no events match)\n"
    cells = [_store_cells(n, row, ascii_only) for n, row in enumerate(rows, 1)]
    out = _layout(_STORE_COLUMNS, cells, width or terminal_width(), ascii_only)
    count = len(rows)
    out.append(f"({count} event{'s' if count != 1 else ''})")
    return "\n".join(out) + "\n"
