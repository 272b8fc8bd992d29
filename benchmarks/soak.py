"""Soak: every real text under ../shared through ``eventwire ingest``, to find the articles that
hang, crash or are slow before a month of news does (``make soak``).

The texts are read from ``../shared`` (never copied into the repository) and written, in a
fixed order, to one JSONL corpus in a scratch folder: the seed article, dev-news, the CASE 2021
snippets, the IndiaPoliceEvents articles, the news-sentences excerpts (one per article), the
PLOVER gold-standard sentences, the PolNeAR articles, the GeoWebNews/LGL/TR-News articles and
the TimeBank/AQUAINT documents. Then one ``eventwire ingest`` with two workers (by default)
stores them, listing rejects (``--rejects``) and the seconds and worker memory of each article
(``--timings``), and this script reports:

* hangs (the ingest ran past ``--timeout``, or an article was rejected as "timeout") and
  crashes (an article rejected because a stage failed, or the ingest exiting non-zero):
  both must be zero;
* rejects by reason, each of which must name a defect of the input (empty, not English, ...);
* p50 / p99 / max seconds per article, and the slowest articles against the median for their
  length (an article ten times slower than the median of its length band is a bug until shown
  otherwise);
* each worker's peak memory after its first thousand articles and at the end (flat when the
  two agree).

    python benchmarks/soak.py --shared ../shared [--workers 2] [--out /tmp/eventwire-soak]

Exit code 0 when there is no hang and no crash, 1 otherwise.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

# Reasons that say what is wrong with the input itself; anything else is a defect of ours.
INPUT_DEFECTS = {"empty", "not English", "too long", "binary", "undecodable", "no text",
                 "invalid JSON", "no words"}  # fmt: skip
CRASHES = {"analysis failed", "parse failed", "not stored"}
SLOW_FACTOR = 10.0


def _texts(shared: Path) -> list[tuple[str, str, str | None]]:
    """(origin, text, published) for every real text under ``shared``, in a fixed order."""
    from eventwire.eval.geo import load_geo_file
    from eventwire.eval.time import load_tml

    out: list[tuple[str, str, str | None]] = []
    for path in sorted((shared / "seed").glob("*.txt")):
        out.append((f"seed/{path.name}", path.read_text(encoding="utf-8"), None))
    for path in sorted((shared / "eval" / "dev-news").glob("*.txt")):
        out.append((f"dev-news/{path.name}", path.read_text(encoding="utf-8"), None))
    with open(shared / "eval" / "case2021-dev" / "snippets.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            out.append((f"case2021-dev/{row['id']}", row["EventSnippet"], None))
    with open(shared / "eval" / "ipe-dev" / "metadata.jsonl", encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            out.append((f"ipe-dev/{doc['doc_id']}", doc["full_text"], doc.get("date")))
    excerpts: dict[str, list[str]] = defaultdict(list)
    for path in sorted((shared / "eval" / "news-sentences").glob("*.jsonl")):
        with open(path, encoding="utf-8") as handle:
            rows = sorted((json.loads(line) for line in handle), key=lambda r: (r["doc"], r["i"]))
        for row in rows:
            excerpts[row["doc"]].append(row["text"])
    for doc, sentences in excerpts.items():
        out.append((f"news-sentences/{doc}", " ".join(sentences), None))
    for path in sorted((shared / "eval" / "plover-gsr").glob("*.txt")):
        out.append((f"plover-gsr/{path.name}", path.read_text(encoding="utf-8"), None))
    for path in sorted((shared / "eval" / "attribution").rglob("text/*.txt")):
        out.append((f"polnear/{path.name}", path.read_text(encoding="utf-8"), None))
    for path in sorted((shared / "eval" / "geo").glob("*.xml")):
        for article in load_geo_file(path):
            out.append((f"geo/{path.stem}/{article.ident}", article.text, None))
    for path in sorted((shared / "eval" / "time").rglob("*.tml")):
        doc = load_tml(path)
        when = doc.dct.isoformat() if doc.dct else None
        out.append((f"time/{doc.corpus}/{path.name}", doc.text, when))
    return out


def build_corpus(shared: Path, folder: Path) -> tuple[Path, list[str]]:
    """The JSONL corpus and the origin of each of its lines (line k is origins[k - 1])."""
    folder.mkdir(parents=True, exist_ok=True)
    corpus = folder / "corpus.jsonl"
    origins = []
    with open(corpus, "w", encoding="utf-8") as handle:
        for origin, text, published in _texts(shared):
            record = {"text": text, "title": origin}
            if published:
                record["published"] = published
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            origins.append(origin)
    return corpus, origins


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _band(chars: int) -> int:
    """Length bands of a factor of two: 0-1k, 1-2k, 2-4k, ... characters."""
    band = 0
    while chars >= 1000 * 2**band:
        band += 1
    return band


def report(timings: list[dict], rejects: list[dict], origins: list[str], seconds: float,
           returncode: int | None) -> tuple[str, bool]:
    """The soak report and whether it passed (no hang, no crash)."""
    def origin(source: str) -> str:
        line = source.rsplit(":", 1)[-1]
        return origins[int(line) - 1] if line.isdigit() and int(line) <= len(origins) else source

    lines = []
    reasons = Counter(r["reason"] for r in rejects)
    hangs = reasons.get("timeout", 0) + (1 if returncode is None else 0)
    crashes = sum(n for reason, n in reasons.items() if reason in CRASHES)
    crashes += 1 if returncode not in (0, None) else 0
    unexplained = {r: n for r, n in reasons.items() if r not in INPUT_DEFECTS | CRASHES
                   and r != "timeout"}  # fmt: skip
    analysed = [t for t in timings if t["seconds"] is not None]
    took = [t["seconds"] for t in analysed]
    lines.append(f"documents: {len(origins):,}; analysed: {len(analysed):,}; "
                 f"rejected: {sum(reasons.values())} ({dict(reasons) or 'none'}); "
                 f"wall time {seconds:,.0f} s")  # fmt: skip
    lines.append(f"hangs: {hangs}; crashes: {crashes}; rejects of no input defect: "
                 f"{unexplained or 'none'}")  # fmt: skip
    if took:
        lines.append(
            f"seconds per article: p50 {_percentile(took, 0.5):.3f}, p99 "
            f"{_percentile(took, 0.99):.3f}, max {max(took):.3f} (mean "
            f"{statistics.fmean(took):.3f}; {statistics.fmean(t['chars'] for t in analysed):,.0f}"
            " characters on average)"
        )
        lines.append("slowest:")
        for t in sorted(analysed, key=lambda t: -t["seconds"])[:5]:
            lines.append(f"  {t['seconds']:.3f} s  {t['chars']:>7,} chars  {origin(t['source'])}")
        by_band: dict[int, list[float]] = defaultdict(list)
        for t in analysed:
            by_band[_band(t["chars"])].append(t["seconds"] / max(t["chars"], 1))
        medians = {band: statistics.median(v) for band, v in by_band.items()}
        ranked = sorted(
            analysed,
            key=lambda t: t["seconds"] / max(t["chars"], 1) / medians[_band(t["chars"])],
            reverse=True,
        )
        lines.append("slowest for their length (seconds per character / the median of their "
                     "length band):")  # fmt: skip
        for t in ranked[:10]:
            factor = t["seconds"] / max(t["chars"], 1) / medians[_band(t["chars"])]
            flag = "  <- over 10x" if factor >= SLOW_FACTOR else ""
            lines.append(f"  {factor:5.1f}x  {t['seconds']:.3f} s  {t['chars']:>7,} chars  "
                         f"{origin(t['source'])}{flag}")  # fmt: skip
    memory: dict[str, list[float]] = defaultdict(list)
    for t in timings:
        memory[t["worker"]].append(t["peak_rss_mib"])
    for worker, values in sorted(memory.items()):
        early = values[min(999, len(values) - 1)]
        lines.append(f"{worker}: {len(values):,} articles; peak memory {early:,.0f} MiB after "
                     f"{min(1000, len(values)):,}, {values[-1]:,.0f} MiB at the end")  # fmt: skip
    passed = hangs == 0 and crashes == 0
    lines.append("PASS: no hang, no crash" if passed else "FAIL")
    return "\n".join(lines) + "\n", passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--out", type=Path, default=Path("/tmp/eventwire-soak"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--timeout", type=float, default=4 * 3600,
                        help="seconds after which the whole ingest counts as hung")
    args = parser.parse_args()
    corpus, origins = build_corpus(args.shared, args.out)
    print(f"corpus: {len(origins):,} documents -> {corpus}", flush=True)
    db, rejects, timings = (args.out / name for name in
                            ("soak.duckdb", "rejects.jsonl", "timings.jsonl"))  # fmt: skip
    db.unlink(missing_ok=True)
    command = [sys.executable, "-m", "eventwire.cli", "ingest", str(corpus), "--db", str(db),
               "--workers", str(args.workers), "--batch-size", str(args.batch_size),
               "--rejects", str(rejects), "--timings", str(timings), "--progress"]  # fmt: skip
    started = time.perf_counter()
    env = {**os.environ, "EVENTWIRE_PROGRESS_INTERVAL": "30"}
    try:
        returncode: int | None = subprocess.run(command, timeout=args.timeout, env=env).returncode
    except subprocess.TimeoutExpired:
        returncode = None
    seconds = time.perf_counter() - started

    def read(path: Path) -> list[dict]:
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

    text, passed = report(read(timings), read(rejects), origins, seconds, returncode)
    sys.stdout.write(text)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
