"""Bulk readers: folders, JSONL, RSS/Atom feeds and WARC files as streams of articles.

Every fixture is written here, in tmp_path: short texts of our own, WARC files built with
warcio's writer.
"""

from __future__ import annotations

import gzip
import io
import json
import tracemalloc
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from eventwire.ingest import article_from_html, article_id
from eventwire.ingest.sources import (
    BAD_DATE,
    BLANK_LINE,
    REASONS,
    SKIPPED_FILE,
    FieldMap,
    Rejected,
    detect_format,
    iter_source,
    iter_sources,
    parse_when,
    skipped_record,
    source_files,
)
from eventwire.model import Article

TEXT_A = (
    "Border talks resume\n\nNegotiators from the two neighbouring states met in a lakeside town "
    "on Tuesday to discuss the disputed river crossing."
)
TEXT_B = (
    "The port authority said on Friday that three cargo ships had been held at anchor overnight."
)
PAGE = (
    "<html><head><title>Grain convoy reaches city</title></head><body><nav>Home | World</nav>"
    "<article><h1>Grain convoy reaches city</h1><p>A convoy of forty lorries carrying grain "
    "reached the besieged city on {day}, aid workers said.</p><p>The regional governor thanked "
    "the drivers and promised that a second convoy would follow within a week.</p></article>"
    "<footer>Leave a Reply</footer></body></html>"
)


ANY = mock.ANY


def _items(iterable) -> tuple[list[Article], list[Rejected]]:
    articles: list[Article] = []
    rejects: list[Rejected] = []
    for item in iterable:
        (articles if isinstance(item, Article) else rejects).append(item)
    return articles, rejects


# -- dates and formats -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05", date(2024, 3, 5)),
        ("2024-03-05T23:10:00Z", date(2024, 3, 5)),
        ("2024-03-05T23:10:00+05:00", date(2024, 3, 5)),
        ("Tue, 05 Mar 2024 10:00:00 GMT", date(2024, 3, 5)),
        ("20240305", date(2024, 3, 5)),
        ("20240305101500", date(2024, 3, 5)),
        (20240305, date(2024, 3, 5)),
        (1709632800, date(2024, 3, 5)),
        (1709632800000, date(2024, 3, 5)),
        ("last week", None),
        ("", None),
        (None, None),
        (True, None),
    ],
)
def test_parse_when(value: object, expected: date | None) -> None:
    assert parse_when(value) == expected


def test_detect_format(tmp_path: Path) -> None:
    names = {
        "a.jsonl": b"{}\n",
        "b.ndjson": b"{}\n",
        "c.jsonl.gz": gzip.compress(b"{}\n"),
        "d.warc": b"WARC/1.0\r\n",
        "e.warc.gz": gzip.compress(b"WARC/1.0\r\n"),
        "f.rss": b"<rss/>",
        "g.atom": b"<feed/>",
        "h.xml": b'<?xml version="1.0"?>\n<!-- feed -->\n<rdf:RDF xmlns:rdf="x"/>',
        "i.xml": b"<urlset/>",
        "j.txt": b"text",
        "k.html": b"<p>x</p>",
        "l.htm": b"<p>x</p>",
        "sniff-warc": b"WARC/1.1\r\n",
        "sniff-warcgz": gzip.compress(b"WARC/1.1\r\n"),
        "sniff-json": b'{"text": "x"}\n',
        "sniff-feed": b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'/>",
        "sniff-text": b"Just words.",
    }
    for name, data in names.items():
        (tmp_path / name).write_bytes(data)
    found = {name: detect_format(tmp_path / name) for name in names}
    assert found == {
        "a.jsonl": "jsonl",
        "b.ndjson": "jsonl",
        "c.jsonl.gz": "jsonl",
        "d.warc": "warc",
        "e.warc.gz": "warc",
        "f.rss": "feed",
        "g.atom": "feed",
        "h.xml": "feed",
        "i.xml": "feed",  # named explicitly: reading it says "not a feed"
        "j.txt": "text",
        "k.html": "html",
        "l.htm": "html",
        "sniff-warc": "warc",
        "sniff-warcgz": "warc",
        "sniff-json": "jsonl",
        "sniff-feed": "feed",
        "sniff-text": "text",
    }
    assert detect_format(tmp_path) == "folder"
    assert list(iter_source(tmp_path / "i.xml")) == [
        Rejected(str(tmp_path / "i.xml"), "not a feed", ANY)
    ]


# -- text and HTML files, folders ----------------------------------------------------------------


def test_folder_is_read_recursively_in_sorted_order_by_type(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text(TEXT_B)
    (tmp_path / "a.txt").write_text(TEXT_A)
    (tmp_path / "c.jsonl").write_text(json.dumps({"text": TEXT_B, "url": "http://x.test/c"}))
    (tmp_path / "notes.md").write_text("not an article")
    (tmp_path / "sitemap.xml").write_text("<urlset></urlset>")
    (tmp_path / ".hidden.txt").write_text(TEXT_A)
    (tmp_path / "empty.txt").write_text("")
    stats: dict[str, int] = {}
    items = list(iter_source(tmp_path, stats=stats))
    assert [item.source for item in items] == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "b" / "two.txt"),
        f"{tmp_path / 'c.jsonl'}:1",
        str(tmp_path / "empty.txt"),
    ]
    assert items[0].title == "Border talks resume"
    assert items[0].id == article_id(TEXT_A)
    assert items[3] == Rejected(str(tmp_path / "empty.txt"), "empty", ANY)
    assert stats == {SKIPPED_FILE: 2}


def test_published_only_fills_articles_without_a_date(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT_A)
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"text": TEXT_B, "published": "2023-01-02"})
        + "\n"
        + json.dumps({"text": TEXT_A})
    )
    default = date(2020, 5, 6)
    got = [a.published for a in iter_source(tmp_path, published=default)]
    assert got == [default, date(2023, 1, 2), default]


def test_iter_sources_keeps_order_and_reads_a_file_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT_A)
    (tmp_path / "b.txt").write_text(TEXT_B)
    missing = tmp_path / "missing.txt"
    items = list(iter_sources([tmp_path / "b.txt", tmp_path, str(missing)]))
    assert [i.source for i in items] == [
        str(tmp_path / "b.txt"),
        str(tmp_path / "a.txt"),
        str(missing),
    ]
    assert items[-1] == Rejected(str(missing), "not found", ANY)


def test_source_files_read_one_by_one_give_what_iter_sources_gives(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text(TEXT_A)
    (tmp_path / "d" / "b.jsonl").write_text(json.dumps({"text": TEXT_B}) + "\n{bad\n")
    (tmp_path / "d" / "c.rss").write_text(RSS)
    (tmp_path / "d" / "skip.csv").write_text("a,b")
    paths = [tmp_path / "d" / "c.rss", tmp_path / "d", tmp_path / "missing.warc"]
    stats: dict[str, int] = {}
    files = list(source_files(paths, stats=stats))
    assert files == [
        (tmp_path / "d" / "c.rss", "feed"),
        (tmp_path / "d" / "a.txt", "text"),
        (tmp_path / "d" / "b.jsonl", "jsonl"),
        Rejected(str(tmp_path / "missing.warc"), "not found", ANY),
    ]
    assert stats == {SKIPPED_FILE: 1}
    one_by_one = []
    for entry in files:
        if isinstance(entry, Rejected):
            one_by_one.append(entry)
        else:
            one_by_one.extend(iter_source(*entry))
    assert one_by_one == list(iter_sources(paths))


def test_unknown_format_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        list(iter_source(tmp_path, "pdf"))


# -- JSONL ---------------------------------------------------------------------------------------


def test_jsonl_lines_become_articles_or_rejections(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    lines = [
        json.dumps(
            {
                "text": TEXT_A,
                "title": "Talks",
                "url": "http://x.test/a",
                "published": "Tue, 05 Mar 2024 10:00:00 GMT",
                "outlet": "Lakeside Post",
            }
        ),
        "",
        "{not json",
        "[1, 2]",
        json.dumps({"title": "no body"}),
        json.dumps({"text": "   ", "html": PAGE.format(day="Sunday")}),
        json.dumps({"text": TEXT_B, "published": "someday"}),
        json.dumps({"html": "<html><body><nav>Home</nav></body></html>"}),
    ]
    path.write_text("\n".join(lines) + "\n")
    stats: dict[str, int] = {}
    items = list(iter_source(path, stats=stats))
    sources = [item.source for item in items]
    assert sources == [f"{path}:{n}" for n in (1, 3, 4, 5, 6, 7, 8)]
    first = items[0]
    assert isinstance(first, Article)
    assert (first.title, first.url, first.outlet, first.published) == (
        "Talks",
        "http://x.test/a",
        "Lakeside Post",
        date(2024, 3, 5),
    )
    assert first.text == TEXT_A
    assert first.id == article_id(TEXT_A, "http://x.test/a")
    assert [(i.reason if isinstance(i, Rejected) else "article") for i in items] == [
        "article",
        "invalid JSON",
        "not a JSON object",
        "no text",
        "article",
        "article",
        "no article text",
    ]
    from_html = items[4]
    assert "forty lorries" in from_html.text and "Leave a Reply" not in from_html.text
    assert items[5].published is None
    assert stats == {BLANK_LINE: 1, BAD_DATE: 1}
    assert all(i.reason in REASONS for i in items if isinstance(i, Rejected))
    # The same file read again gives the same ids.
    assert [i.id for i in iter_source(path) if isinstance(i, Article)] == [
        i.id for i in items if isinstance(i, Article)
    ]


def test_jsonl_field_names_are_configurable(tmp_path: Path) -> None:
    path = tmp_path / "dump.ndjson"
    path.write_text(
        json.dumps(
            {
                "body": TEXT_B,
                "meta": {"link": "http://x.test/b", "date": 20240102, "site": "Harbour News"},
                "headline": "Ships held",
                "guid": "doc-17",
            }
        )
        + "\n"
    )
    fields = FieldMap(
        text="body",
        title="headline",
        url="meta.link",
        published="meta.date",
        outlet="meta.site",
        id="guid",
    )
    (article,) = iter_source(path, fields=fields)
    assert isinstance(article, Article)
    assert (article.id, article.title, article.url, article.published, article.outlet) == (
        "doc-17",
        "Ships held",
        "http://x.test/b",
        date(2024, 1, 2),
        "Harbour News",
    )


def test_jsonl_gz_and_truncated_gz(tmp_path: Path) -> None:
    body = "".join(json.dumps({"text": f"{TEXT_B} Item {n}."}) + "\n" for n in range(200))
    whole = gzip.compress(body.encode())
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(whole)
    articles, rejects = _items(iter_source(path))
    assert len(articles) == 200 and not rejects
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    articles, rejects = _items(iter_source(cut))
    assert 0 < len(articles) < 200
    assert [r.reason for r in rejects] == ["truncated"]


def test_jsonl_overlong_line_is_skipped_without_holding_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVENTWIRE_MAX_CHARS", "1000")
    path = tmp_path / "long.jsonl"
    huge = json.dumps({"text": "word " * 1_000_000})  # 5 MB, over 4 * 1000 + 1 MiB
    path.write_text(
        json.dumps({"text": TEXT_A}) + "\n" + huge + "\n" + json.dumps({"text": TEXT_B})
    )
    reasons = [getattr(i, "reason", "article") for i in iter_source(path)]
    assert reasons == ["article", "too long", "article"]


# -- feeds ---------------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Valley Gazette</title>
  <link>http://gazette.test/</link>
  <item>
    <title>Ferry service halted</title>
    <link>http://gazette.test/ferry</link>
    <pubDate>Wed, 06 Mar 2024 08:30:00 +0100</pubDate>
    <media:title>Photo caption, not the title</media:title>
    <description>Short summary.</description>
    <content:encoded><![CDATA[<p>The island ferry service was halted on Wednesday after a
    storm damaged the main pier, the harbour master said.</p><p>Repairs are expected to take
    at least ten days.</p>]]></content:encoded>
  </item>
  <item>
    <title>Mayor resigns</title>
    <guid isPermaLink="true">http://gazette.test/mayor</guid>
    <dc:date>2024-03-07</dc:date>
    <description>The mayor of the river town resigned on Thursday &amp; called for new
    elections.</description>
  </item>
  <item><title>Only a title</title><link>http://gazette.test/empty</link></item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">Northern Wire</title>
  <entry>
    <title>Strike ends</title>
    <link rel="self" href="http://wire.test/self/1"/>
    <link rel="alternate" href="http://wire.test/strike"/>
    <updated>2024-04-02T09:00:00Z</updated>
    <published>2024-04-01T22:00:00-04:00</published>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Dock workers in the
    northern port ended their strike on Monday after the company agreed to raise wages.</p></div>
    </content>
  </entry>
  <entry>
    <title>Bridge reopens</title>
    <link href="http://wire.test/bridge"/>
    <summary>The old bridge over the canal reopened to traffic on Tuesday.</summary>
  </entry>
  <entry>
    <title>Court ruling</title>
    <content type="html">&lt;p&gt;The supreme court ruled on Wednesday that the election
    results stand, ending a month of disputes.&lt;/p&gt;</content>
  </entry>
</feed>
"""

RDF = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="http://old.test/"><title>Old Feed</title></channel>
  <item rdf:about="http://old.test/1"><title>Dam opened</title><link>http://old.test/1</link>
    <dc:date>2019-07-01T10:00:00+02:00</dc:date>
    <description>Engineers opened the new dam on the upper river on Monday.</description></item>
</rdf:RDF>
"""


def test_rss_items(tmp_path: Path) -> None:
    path = tmp_path / "gazette.rss"
    path.write_text(RSS)
    items = list(iter_source(path))
    assert [i.source for i in items] == [f"{path}#1", f"{path}#2", f"{path}#3"]
    ferry, mayor, empty = items
    assert isinstance(ferry, Article) and isinstance(mayor, Article)
    assert ferry.title == "Ferry service halted"
    assert ferry.url == "http://gazette.test/ferry"
    assert ferry.published == date(2024, 3, 6)
    assert ferry.outlet == "Valley Gazette"
    assert "storm damaged the main pier" in ferry.text and "Short summary" not in ferry.text
    assert ferry.text.startswith("Ferry service halted")
    assert mayor.url == "http://gazette.test/mayor"
    assert mayor.published == date(2024, 3, 7)
    assert mayor.text.startswith("Mayor resigns\n\nThe mayor of the river town resigned")
    assert "&" in mayor.text and "&amp;" not in mayor.text
    assert mayor.id == article_id(mayor.text, mayor.url)
    assert empty == Rejected(f"{path}#3", "no text", ANY)


def test_atom_and_rss1_entries(tmp_path: Path) -> None:
    atom = tmp_path / "wire.atom"
    atom.write_text(ATOM)
    strike, bridge, court = iter_source(atom, published=date(2000, 1, 1))
    assert strike.url == "http://wire.test/strike"
    assert strike.published == date(2024, 4, 1)  # published wins over updated, local date
    assert "raise wages" in strike.text and strike.outlet == "Northern Wire"
    assert bridge.url == "http://wire.test/bridge"
    assert (
        bridge.text
        == "Bridge reopens\n\nThe old bridge over the canal reopened to traffic on Tuesday."
    )
    assert bridge.published == date(2000, 1, 1)
    assert "election" in court.text and "<p>" not in court.text
    rdf = tmp_path / "old.xml"
    rdf.write_text(RDF)
    assert detect_format(rdf) == "feed"
    (dam,) = iter_source(rdf)
    assert (dam.title, dam.url, dam.published, dam.outlet) == (
        "Dam opened",
        "http://old.test/1",
        date(2019, 7, 1),
        "Old Feed",
    )


def test_invalid_feed_keeps_items_before_the_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.rss"
    path.write_text(RSS[: RSS.index("<item><title>Only")] + "<item><title>cut")
    articles, rejects = _items(iter_source(path))
    assert len(articles) == 2
    assert rejects == [Rejected(str(path), "invalid XML", ANY)]
    assert "line" in rejects[0].detail
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        "<rss><channel><item><description>&b;</description></item></channel></rss>"
    )
    assert [r.reason for r in iter_source(bomb)] == ["invalid XML"]
    empty = tmp_path / "empty.rss"
    empty.write_text("")
    assert [r.reason for r in iter_source(empty)] == ["empty"]


# -- WARC ----------------------------------------------------------------------------------------


def _response(
    writer: WARCWriter,
    url: str,
    body: bytes,
    ctype: str = "text/html; charset=utf-8",
    status: str = "200 OK",
    when: str = "2024-05-10T12:00:00Z",
):
    http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
    return writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        http_headers=http,
        warc_headers_dict={"WARC-Date": when},
    )


def _write_warc(path: Path, gz: bool) -> dict[str, int]:
    """A WARC with pages, non-HTML responses and other record types; offsets by label."""
    offsets: dict[str, int] = {}
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gz)

        def put(label: str, record) -> None:
            offsets[label] = fh.tell()
            writer.write_record(record)

        put("info", writer.create_warcinfo_record(path.name, {"software": "tests"}))
        request = StatusAndHeaders(
            "GET /p1 HTTP/1.1", [("Host", "news.test")], is_http_request=True
        )
        put(
            "request",
            writer.create_warc_record(
                "http://news.test/p1", "request", payload=io.BytesIO(b""), http_headers=request
            ),
        )
        put("p1", _response(writer, "http://news.test/p1", PAGE.format(day="Monday").encode()))
        put(
            "meta",
            writer.create_warc_record(
                "http://news.test/p1",
                "metadata",
                payload=io.BytesIO(b"fetchTimeMs: 120\r\n"),
                warc_content_type="application/warc-fields",
            ),
        )
        put("pdf", _response(writer, "http://news.test/r.pdf", b"%PDF-1.4\n...", "application/pdf"))
        put(
            "png", _response(writer, "http://news.test/i.png", b"\x89PNG\r\n\x1a\n...", "image/png")
        )
        put("liar", _response(writer, "http://news.test/x", b"%PDF-1.7\n\x00\x01", "text/html"))
        put("moved", _response(writer, "http://news.test/old", b"", status="301 Moved Permanently"))
        put(
            "gone",
            _response(writer, "http://news.test/gone", b"<html></html>", status="404 Not Found"),
        )
        dated = PAGE.format(day="Saturday").replace(
            "<head>", '<head><meta property="article:published_time" content="2024-05-01">'
        )
        put("p2", _response(writer, "http://news.test/p2", dated.encode()))
        put("p3", _response(writer, "http://news.test/p3", PAGE.format(day="Friday").encode()))
        offsets["end"] = fh.tell()
    return offsets


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
def test_warc_records(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    offsets = _write_warc(path, gz)
    stats: dict[str, int] = {}
    items = list(iter_source(path, stats=stats, published=date(1999, 1, 1)))
    at = {label: f"{path}@{offset}" for label, offset in offsets.items()}
    got = [(i.source, getattr(i, "reason", "article")) for i in items]
    assert got == [
        (at["p1"], "article"),
        (at["pdf"], "not HTML"),
        (at["png"], "not HTML"),
        (at["liar"], "not HTML"),
        (at["moved"], "redirect"),
        (at["gone"], "HTTP error"),
        (at["p2"], "article"),
        (at["p3"], "article"),
    ]
    assert stats == {
        skipped_record("warcinfo"): 1,
        skipped_record("request"): 1,
        skipped_record("metadata"): 1,
    }
    p1, p2 = items[0], items[6]
    assert p1.url == "http://news.test/p1"
    assert p1.published == date(2024, 5, 10)  # from WARC-Date: the page has none
    assert p2.published == date(2024, 5, 1)  # the page's own date wins
    assert "forty lorries" in p1.text and "Home | World" not in p1.text
    assert p1.id == article_id(p1.text, p1.url)
    # An offset is where warcio finds the record again.
    with open(path, "rb") as fh:
        fh.seek(offsets["p2"])
        record = next(iter(ArchiveIterator(fh)))
        assert record.rec_headers.get_header("WARC-Target-URI") == "http://news.test/p2"


@pytest.mark.parametrize(("gz", "damage"), [(False, 0), (False, 3), (True, 0), (True, 12)], ids=str)
def test_broken_record_loses_only_itself(tmp_path: Path, gz: bool, damage: int) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    offsets = _write_warc(path, gz)
    data = bytearray(path.read_bytes())
    # Damage the start of the "gone" record (its WARC version line, or its gzip header).
    start = offsets["gone"] + damage
    data[start : start + 30] = b"#" * 30
    path.write_bytes(bytes(data))
    items = list(iter_source(path))
    got = [(i.source, getattr(i, "reason", "article")) for i in items]
    assert (f"{path}@{offsets['gone']}", "broken record") in got
    assert got[-2:] == [
        (f"{path}@{offsets['p2']}", "article"),
        (f"{path}@{offsets['p3']}", "article"),
    ]
    assert sum(1 for _, reason in got if reason == "article") == 3


def test_record_cut_short_in_the_middle_of_a_plain_warc(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    offsets = _write_warc(path, gz=False)
    data = path.read_bytes()
    # Drop 100 bytes from inside p1's payload: its Content-Length now runs into the next record.
    cut = offsets["p1"] + 500
    path.write_bytes(data[:cut] + data[cut + 100 :])
    items = list(iter_source(path))
    assert items[0] == Rejected(f"{path}@{offsets['p1']}", "broken record", ANY)
    got = [getattr(i, "reason", "article") for i in items]
    assert got[-2:] == ["article", "article"]  # p2 and p3 are found again


def test_truncated_warc_gz(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    offsets = _write_warc(path, gz=True)
    data = path.read_bytes()
    path.write_bytes(data[: offsets["p3"] + (offsets["end"] - offsets["p3"]) // 2])
    items = list(iter_source(path))
    assert items[-1].source == f"{path}@{offsets['p3']}"
    assert items[-1].reason in ("truncated", "broken record")
    assert [getattr(i, "reason", "article") for i in items].count("article") == 2


def test_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "junk.warc"
    path.write_bytes(b"this is not an archive\n" * 10)
    assert [(r.source, r.reason) for r in iter_source(path)] == [(f"{path}@0", "broken record")]
    empty = tmp_path / "empty.warc.gz"
    empty.write_bytes(b"")
    assert [r.reason for r in iter_source(empty)] == ["empty"]


# -- memory --------------------------------------------------------------------------------------


def _peak_while_reading(path: Path) -> tuple[int, int]:
    """Items read and the peak of memory allocated while reading them (after a warm-up, so
    that what the HTML extractor loads on first use does not count)."""
    article_from_html(PAGE.format(day="Monday"))
    tracemalloc.start()
    try:
        n = sum(1 for _ in iter_source(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return n, peak


def test_large_jsonl_streams_in_flat_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    line = (json.dumps({"text": TEXT_B + " " + "More words follow here. " * 1000}) + "\n").encode()
    with open(path, "wb") as fh:
        for _ in range(8 * 1024 * 1024 // len(line)):  # 8 MB
            fh.write(line)
    size = path.stat().st_size
    n, peak = _peak_while_reading(path)
    assert n == size // len(line)
    assert peak < 2 * 1024 * 1024, f"peak {peak:,} bytes for a {size:,}-byte file"


def test_large_warc_streams_in_flat_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.warc"
    blob = bytes(range(256)) * 4096  # 1 MiB per image
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        for n in range(24):
            writer.write_record(_response(writer, f"http://img.test/{n}.jpg", blob, "image/jpeg"))
        writer.write_record(
            _response(writer, "http://news.test/p", PAGE.format(day="Monday").encode())
        )
    size = path.stat().st_size
    n, peak = _peak_while_reading(path)
    assert n == 25
    assert peak < 2 * 1024 * 1024, f"peak {peak:,} bytes for a {size:,}-byte file"


def test_warc_payload_variants(tmp_path: Path) -> None:
    path = tmp_path / "mixed.warc"
    latin = PAGE.format(day="Sunday").replace("besieged", "blockaded").replace("aid", "café")
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        # Latin-1 bytes whose charset only the HTTP header names.
        writer.write_record(
            _response(
                writer,
                "http://a.test/latin",
                latin.encode("latin-1"),
                "text/html; charset=iso-8859-1",
            )
        )
        http = StatusAndHeaders(
            "200 OK",
            [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
            protocol="HTTP/1.1",
        )
        body = gzip.compress(PAGE.format(day="Monday").encode())
        writer.write_record(
            writer.create_warc_record(
                "http://a.test/gz", "response", payload=io.BytesIO(body), http_headers=http
            )
        )
        page = PAGE.format(day="Tuesday").encode()
        writer.write_record(
            writer.create_warc_record(
                "http://a.test/res",
                "resource",
                payload=io.BytesIO(page),
                warc_content_type="text/html",
            )
        )
        words = b"Plain words of a converted page, which a WET file keeps for each capture."
        writer.write_record(
            writer.create_warc_record(
                "http://a.test/wet",
                "conversion",
                payload=io.BytesIO(words),
                warc_content_type="text/plain",
            )
        )
        writer.write_record(
            writer.create_warc_record(
                "dns:a.test",
                "response",
                payload=io.BytesIO(b"a.test 300 IN A 10.0.0.1"),
                warc_content_type="text/dns",
            )
        )
        untyped = StatusAndHeaders("200 OK", [], protocol="HTTP/1.1")
        for url, payload in (
            ("http://a.test/untyped", page),
            ("http://a.test/bin", b"\x00\x01\x02" * 50),
        ):
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(payload), http_headers=untyped
                )
            )
    items = list(iter_source(path))
    got = [(i.url, "article") if isinstance(i, Article) else (None, i.reason) for i in items]
    assert got == [
        ("http://a.test/latin", "article"),
        ("http://a.test/gz", "article"),
        ("http://a.test/res", "article"),
        ("http://a.test/wet", "article"),
        (None, "not HTML"),
        ("http://a.test/untyped", "article"),
        (None, "not HTML"),
    ]
    assert "café workers" in items[0].text
    assert "Monday" in items[1].text
    assert items[3].text == words.decode()


def test_warc_gz_as_one_gzip_stream(tmp_path: Path) -> None:
    plain = tmp_path / "crawl.warc"
    offsets = _write_warc(plain, gz=False)
    whole = tmp_path / "whole.warc.gz"
    data = gzip.compress(plain.read_bytes())
    whole.write_bytes(data)
    items = list(iter_source(whole))
    # Read as a stream: the offsets are those of the uncompressed file.
    assert [i.source for i in items] == [
        i.source.replace("crawl.warc", "whole.warc.gz") for i in iter_source(plain)
    ]
    assert items[0].source == f"{whole}@{offsets['p1']}"
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) * 3 // 4])
    reasons = [getattr(i, "reason", "article") for i in iter_source(cut)]
    assert reasons[0] == "article" and reasons[-1] == "truncated"
    assert reasons.count("truncated") == 1


def test_large_feed_streams_in_flat_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.rss"
    item = (
        "<item><title>Item</title><link>http://x.test/i</link>"
        f"<description>{TEXT_B} {'More words follow here. ' * 1000}</description></item>\n"
    )
    count = 8 * 1024 * 1024 // len(item)  # 8 MB
    with open(path, "w") as fh:
        fh.write("<rss><channel><title>Big</title>\n")
        for _ in range(count):
            fh.write(item)
        fh.write("</channel></rss>\n")
    n, peak = _peak_while_reading(path)
    assert n == count
    assert peak < 2 * 1024 * 1024, f"peak {peak:,} bytes for a {path.stat().st_size:,}-byte file"


def test_an_empty_jsonl_file_is_one_reject(tmp_path: Path) -> None:
    empty, blank = tmp_path / "empty.jsonl", tmp_path / "blank.jsonl"
    empty.write_bytes(b"")
    blank.write_bytes(b"\n  \n\n")
    assert [(r.source, r.reason, r.detail) for r in iter_source(empty)] == [
        (str(empty), "empty", "empty file")
    ]
    assert [(r.reason, r.detail) for r in iter_source(blank)] == [("empty", "only blank lines")]


def test_a_reject_does_not_repeat_its_reason_in_the_detail(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    text = "Le gouvernement a annoncé mardi un nouveau plan pour réduire le prix de l'énergie, " \
        "selon un communiqué publié par le ministère de l'économie dans la soirée."
    path.write_text(json.dumps({"text": text}) + "\n", encoding="utf-8")
    (item,) = iter_source(path)
    assert item.reason == "not English" and item.detail.startswith("looks like French")
