"""scale: running the pipeline over many articles.

``work.analyze_batch`` is the per-batch function every engine runs; ``local`` runs it in a pool
of worker processes on this machine; ``runner.run_ingest`` streams articles from files into a
store with it, resumably; ``bench`` measures its throughput against bare spaCy.

Names are imported on first use, so that importing the package does not load spaCy.
"""

from __future__ import annotations

from typing import Any

_EXPORTS = {
    "analyze_batch": "eventwire.scale.work",
    "LocalEngine": "eventwire.scale.local",
    "run_local": "eventwire.scale.local",
    "LoadReport": "eventwire.scale.runner",
    "run_ingest": "eventwire.scale.runner",
    "BenchReport": "eventwire.scale.bench",
    "run_bench": "eventwire.scale.bench",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'eventwire.scale' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
