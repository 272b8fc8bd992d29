"""End-to-end test of the web workbench in a real browser.

Starts the real application (uvicorn, in a thread, on a free 127.0.0.1 port) over a DuckDB store
made from the demo sample articles plus one short report of our own that repeats one of their
events, and drives Debian's headless ``chromium`` with Playwright (never a browser Playwright
downloads). Every console error, failed request, HTTP error and request to another host than
127.0.0.1 is recorded and fails the test. Screenshots of each view go to
``build/screenshots/``.

``/usr/bin/chromium`` missing fails the test (``make test`` installs it);
``EVENTWIRE_BROWSER_TEST=off`` skips it instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit
from urllib.request import urlopen

import pytest

CHROMIUM = os.environ.get("EVENTWIRE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
SCREENSHOTS = Path(__file__).resolve().parents[1] / "build" / "screenshots"
VIEWPORT = {"width": 1440, "height": 1000}
TIMEOUT_MS = 20_000
# A report written for this test; it tells the live blog's tear-gas event again, so that one
# event has two articles and the article view lists the other one.
EXTRA_REPORT = (
    "Tear gas in Paris as strikes go on\n\n"
    "PARIS - Riot police fired tear gas at protesters in Paris on Thursday as the pension "
    "strikes went into a ninth day, witnesses said.\n"
)
EXTRA_PUBLISHED = "2023-03-23"

if os.environ.get("EVENTWIRE_BROWSER_TEST", "").strip().lower() in ("off", "0", "no", "false"):
    pytest.skip("browser test is off (EVENTWIRE_BROWSER_TEST=off)", allow_module_level=True)


def _need_browser() -> None:
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        found = shutil.which("chromium")
        hint = f" (a chromium was found at {found}; set EVENTWIRE_CHROMIUM)" if found else ""
        pytest.fail(
            f"Debian's chromium is missing at {CHROMIUM}{hint}. Run `make test`, which installs "
            "it (apt-get install chromium), or set EVENTWIRE_BROWSER_TEST=off to skip this test.",
            pytrace=False,
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.fail(
            "the Python package playwright is missing: run `make test` (it installs the dev "
            "dependencies), or set EVENTWIRE_BROWSER_TEST=off to skip this test.",
            pytrace=False,
        )


# --- the server --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from eventwire.ingest.samples import sample_articles
    from eventwire.pipeline import analyze, to_article
    from eventwire.store import open_store

    _need_browser()
    path = tmp_path_factory.mktemp("web") / "demo.duckdb"
    articles = sample_articles()
    articles.append(to_article(EXTRA_REPORT, EXTRA_PUBLISHED, title="Tear gas in Paris"))
    with open_store(str(path)) as store:
        for article in articles:
            store.ingest(analyze(article), article.text)
    return path


@pytest.fixture(scope="module")
def base_url(store_path: Path) -> Iterator[str]:
    import uvicorn

    from eventwire.web import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(str(store_path)), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the web server did not start", pytrace=False)
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def get(base: str, path: str, **params: object) -> dict:
    url = f"{base}{path}" + (f"?{urlencode(params)}" if params else "")
    with urlopen(url, timeout=30) as response:
        return json.loads(response.read())


# --- the browser -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(base_url: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


class Problems:
    """What went wrong while a page was open: console errors, uncaught exceptions, failed
    requests, HTTP errors, and requests to any host but the test server."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def watch(self, context, page) -> None:
        def route(route_) -> None:
            url = route_.request.url
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about") or parts.hostname == "127.0.0.1":
                route_.continue_()
            else:
                self.items.append(f"request to another host: {url}")
                route_.abort()

        context.route("**/*", route)
        page.on(
            "console",
            lambda m: (
                self.items.append(f"console {m.type}: {m.text}") if m.type == "error" else None
            ),
        )
        page.on("pageerror", lambda err: self.items.append(f"page error: {err}"))
        page.on(
            "requestfailed", lambda r: self.items.append(f"request failed: {r.url} ({r.failure})")
        )
        page.on(
            "response",
            lambda r: self.items.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
        )


@pytest.fixture
def page(browser, base_url: str) -> Iterator[tuple[object, Problems]]:
    problems = Problems()
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    problems.watch(context, opened)
    try:
        opened.goto(base_url + "/")
        opened.wait_for_selector("body[data-ready=true]")
        opened.wait_for_selector("#map svg path.country")
        yield opened, problems
        opened.wait_for_load_state("networkidle")
        assert problems.items == [], "\n".join(problems.items)
    finally:
        context.close()


def shoot(target, name: str, **options: object) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target.screenshot(path=str(SCREENSHOTS / f"{name}.png"), **options)


def count_of(page) -> int:
    match = re.search(r"\d[\d,]*", page.inner_text("#event-count"))
    assert match, page.inner_text("#event-count")
    return int(match.group().replace(",", ""))


# --- the tests ---------------------------------------------------------------------------------


def test_every_view_is_drawn(page, base_url: str) -> None:
    page, _ = page
    listing = get(base_url, "/api/events", limit=1000)
    total = listing["total"]
    located = [e for e in listing["events"] if e["lat"] is not None and e["lon"] is not None]
    assert total >= 10 and located
    assert count_of(page) == total
    assert page.locator("#event-table tr.event-row").count() == min(total, 100)
    assert page.locator("#map svg path.country").count() > 150
    # One dot per event, or one pie for many events at one place.
    drawn = page.locator("#map svg circle.event-dot").count() + page.evaluate(
        "[...document.querySelectorAll('#map .event-cluster')]"
        ".reduce((n, g) => n + Number(g.dataset.count), 0)"
    )
    assert drawn == len(located)
    assert page.locator("#timeline svg rect.bar").count() > 0
    assert page.locator("#network svg .node").count() > 1
    assert page.locator("#network svg .edge").count() > 0
    shoot(page, "workbench", full_page=True)
    for view in ("map", "timeline", "network", "table"):
        shoot(page.locator(f"#{view}-panel"), view)


def test_a_filter_changes_the_table_and_the_count(page, base_url: str) -> None:
    page, _ = page
    by_type = get(base_url, "/api/stats")["by_type"]
    total = sum(by_type.values())
    wanted = min(by_type, key=lambda t: (by_type[t], t))
    expected = get(base_url, "/api/events", type=wanted, limit=1)["total"]
    assert 0 < expected < total
    page.select_option("#filter-type", [wanted])
    page.click("#apply-filters")
    page.wait_for_function(
        "n => document.body.dataset.loading === 'false'"
        " && document.querySelectorAll('#event-table tr.event-row').length === n",
        arg=expected,
    )
    assert count_of(page) == expected
    chips = page.locator("#event-table tr.event-row .type-chip").all_inner_texts()
    assert chips == [wanted] * expected
    assert page.locator("#timeline svg rect.bar").count() > 0
    assert f"type={wanted}" in page.url
    shoot(page, "filtered", full_page=True)


def test_an_event_opens_its_article_with_the_evidence_highlighted(page, base_url: str) -> None:
    page, _ = page
    events = get(base_url, "/api/events", limit=1000)["events"]
    chosen = max(events, key=lambda e: (e["num_articles"], e["id"]))
    detail = get(base_url, f"/api/events/{chosen['id']}")
    first = next(m for m in detail["mentions"] if m["article_id"] == chosen["first_article_id"])
    page.click(f"#event-table tr.event-row[data-event-id='{chosen['id']}']")
    active = page.locator("#article-view mark.hl-evidence.active")
    active.wait_for()
    assert active.count() == 1
    assert active.inner_text().strip() == first["evidence_text"].strip()
    assert active.get_attribute("data-event-id") == chosen["id"]
    assert page.locator("#event-detail").is_visible()
    assert first["evidence_text"].strip() in page.inner_text("#event-detail .evidence-text")

    article = get(base_url, f"/api/articles/{first['article_id']}")
    kinds = {
        "hl-event": article["mentions"],
        "hl-actor": article["analysis"]["actors"],
        "hl-place": [p for p in article["analysis"]["places"] if p.get("span")],
        "hl-date": [d for d in article["analysis"]["dates"] if d.get("span")],
        "hl-attribution": article["analysis"]["attributions"],
        "hl-quantity": [q for q in article["analysis"]["quantities"] if q.get("span")],
    }
    for cls, found in kinds.items():
        if found:
            assert page.locator(f"#article-view .article-text mark.{cls}").count() > 0, cls
    # Nested or cut at crossings, the marks never change the text.
    assert page.inner_text("#article-view .article-text").strip() == article["text"].strip()

    others = [a for a in detail["articles"] if a["id"] != first["article_id"]]
    assert page.locator("#other-articles li").count() == len(others)
    shoot(page.locator("#article-panel"), "article")
    shoot(page, "workbench-article", full_page=True)
    if others:
        other = others[0]
        page.click(f"#other-articles a[data-article-id='{other['id']}']")
        page.wait_for_function(
            "id => document.querySelector('#article-view').dataset.articleId === id",
            arg=other["id"],
        )
        mention = next(m for m in detail["mentions"] if m["article_id"] == other["id"])
        active = page.locator("#article-view mark.hl-evidence.active")
        assert active.inner_text().strip() == mention["evidence_text"].strip()
        assert page.locator("#other-articles li").count() == len(detail["articles"]) - 1
        shoot(page.locator("#article-panel"), "article-other")


NESTING_CHECK = """() => {
  // Random overlapping spans; the first has rank 0 (the chosen event's evidence).
  let seed = 11;
  const rnd = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  for (let trial = 0; trial < 500; trial++) {
    const spans = [];
    const count = 1 + rnd(12);
    for (let i = 0; i < count; i++) {
      const start = rnd(99);
      const end = Math.min(100, start + 1 + rnd(40));
      spans.push({ start, end, rank: i === 0 ? 0 : 1 + rnd(5), id: i });
    }
    const root = { start: 0, end: 100, children: [] };
    const order = [...spans].sort((a, b) => a.rank - b.rank || a.start - b.start || b.end - a.end);
    for (const span of order) insertSpan(root, span);
    const pieces = new Map();
    const walk = (node) => {
      let at = node.start;
      for (const child of node.children) {
        if (child.start < at || child.end > node.end || child.start >= child.end) return false;
        at = child.end;
        if (!pieces.has(child.id)) pieces.set(child.id, []);
        pieces.get(child.id).push([child.start, child.end]);
        if (!walk(child)) return false;
      }
      return true;
    };
    if (!walk(root)) return `trial ${trial}: marks do not nest`;
    for (const span of spans) {
      const parts = (pieces.get(span.id) || []).sort((a, b) => a[0] - b[0]);
      let at = span.start;
      for (const [a, b] of parts) {
        if (a !== at) return `trial ${trial}: span ${span.id} has a gap`;
        at = b;
      }
      if (at !== span.end) return `trial ${trial}: span ${span.id} is not covered`;
      if (span.rank === 0 && parts.length !== 1) return `trial ${trial}: the evidence was cut`;
    }
  }
  return "ok";
}"""


def test_overlapping_highlights_nest_and_the_evidence_is_never_cut(page) -> None:
    page, _ = page
    assert page.evaluate(NESTING_CHECK) == "ok"
