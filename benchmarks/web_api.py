"""How fast does the web API answer? Times ``GET /api/events`` (and the summaries the page asks
for with it) on a DuckDB store of 10,000 events, through FastAPI's TestClient (in process) and
through a real ``eventwire serve`` (uvicorn, 127.0.0.1, one kept-alive HTTP connection).

The store is filled the way ``benchmarks/store_query.py`` fills it (its ``fill``: synthetic
analyses, no spaCy). Each request runs once untimed, then ``--repeat`` times; the median is
reported. The target is under 300 ms per request.

    python benchmarks/web_api.py [--events 10000] [--repeat 20] [--json]
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_query import fill, machine  # noqa: E402  (the sibling benchmark's store builder)

from eventwire.store import open_store  # noqa: E402

TARGET_MS = 300.0
REQUESTS: dict[str, str] = {
    "events: first page (100)": "/api/events",
    "events: type + country pair + dates": "/api/events?type=ASSAULT,COERCE&actor_country=RUS"
    "&recipient_country=UKR&from=2016-01-01&to=2022-12-31",
    "events: either country + status + year": "/api/events?country=PRK&status=reported"
    "&from=2020-01-01&to=2020-12-31",
    "events: near Kyiv 300 km + type": "/api/events?near=50.45,30.52,300&type=CONSULT,AID",
    "events: text in evidence": "/api/events?text=pipeline",
    "events: source + source type": "/api/events?source=tass&source_type=state_media",
    "events: page of 1000": "/api/events?limit=1000",
    "events: deep page (offset 9000)": "/api/events?offset=9000",
    "stats: whole store": "/api/stats",
    "stats: country + dates": "/api/stats?country=RUS&from=2018-01-01&to=2019-12-31",
    "actors: whole store": "/api/actors",
    "filters": "/api/filters",
}


def _median_ms(call: Callable[[], tuple[int, bytes]], repeat: int) -> tuple[float, bytes]:
    status, body = call()  # untimed: warms caches and plans
    if status != 200:
        raise RuntimeError(f"HTTP {status}: {body[:200]!r}")
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - started)
    return round(statistics.median(seconds) * 1000, 2), body


def _count(path: str, body: bytes) -> str:
    data = json.loads(body)
    if path.startswith("/api/events"):
        return f"{len(data['events'])} of {data['total']}"
    if path.startswith("/api/stats"):
        return f"{data['events']} events"
    if path.startswith("/api/actors"):
        return f"{len(data['actors'])} nodes"
    return f"{len(data['countries'])} countries"


def time_test_client(url: str, repeat: int) -> dict[str, dict[str, Any]]:
    from fastapi.testclient import TestClient

    from eventwire.web import create_app

    out: dict[str, dict[str, Any]] = {}
    with TestClient(create_app(url)) as client:
        for name, path in REQUESTS.items():

            def call(path: str = path) -> tuple[int, bytes]:
                response = client.get(path)
                return response.status_code, response.content

            ms, body = _median_ms(call, repeat)
            out[name] = {"median_ms": ms, "rows": _count(path, body)}
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def time_server(url: str, repeat: int) -> dict[str, dict[str, Any]]:
    """Start ``eventwire serve`` in a process of its own and time requests to it."""
    port = _free_port()
    command = [sys.executable, "-m", "eventwire.cli", "serve", "--db", url, "--port", str(port)]
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError as err:
                if server.poll() is not None or time.monotonic() > deadline:
                    reason = server.stderr.read() if server.poll() is not None else "timeout"
                    raise RuntimeError(f"eventwire serve did not start: {reason}") from err
                time.sleep(0.1)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        out: dict[str, dict[str, Any]] = {}
        for name, path in REQUESTS.items():

            def call(path: str = path) -> tuple[int, bytes]:
                conn.request("GET", path)
                response = conn.getresponse()
                return response.status, response.read()

            ms, body = _median_ms(call, repeat)
            out[name] = {"median_ms": ms, "rows": _count(path, body)}
        conn.close()
        return out
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def run(events: int, repeat: int) -> dict[str, Any]:
    result: dict[str, Any] = {"events_target": events, "repeat": repeat, "machine": machine()}
    with tempfile.TemporaryDirectory(prefix="eventwire-bench-web-") as tmp:
        url = str(Path(tmp) / "bench.duckdb")
        with open_store(url) as store:
            result["store"] = fill(store, events)
        result["testclient"] = time_test_client(url, repeat)
        result["uvicorn"] = time_server(url, repeat)
    slowest = max(t["median_ms"] for way in ("testclient", "uvicorn") for t in result[way].values())
    result["slowest_ms"] = slowest
    result["target_met"] = slowest < TARGET_MS
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000, help="events in the store")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs of each request")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    result = run(max(args.events, 1), max(args.repeat, 1))
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    m, s = result["machine"], result["store"]
    print(f"eventwire web API speed (median of {result['repeat']} requests after one untimed)")
    print(f"machine: {m['cpus']} CPUs, {m['processor']}, {m['platform']}, "
          f"Python {m['python']}, DuckDB {m['duckdb']}")
    print(f"store: DuckDB, {s['events']} events, {s['mentions']} mentions, {s['articles']} "
          f"articles (filled in {s['fill_s']} s)")
    width = max(len(name) for name in REQUESTS)
    print(f"{'request':<{width}}  {'TestClient ms':>13}  {'uvicorn ms':>10}  rows")
    for name in REQUESTS:
        tc, uv = result["testclient"][name], result["uvicorn"][name]
        print(f"{name:<{width}}  {tc['median_ms']:>13.1f}  {uv['median_ms']:>10.1f}  {uv['rows']}")
    verdict = "met" if result["target_met"] else "NOT met"
    print(f"slowest median {result['slowest_ms']:.1f} ms: target < {TARGET_MS:.0f} ms {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
