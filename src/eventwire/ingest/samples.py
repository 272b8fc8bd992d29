"""The sample articles shipped with eventwire (``eventwire demo``, the speed benchmark).

``samples/samples.yaml`` lists each file with its title and publication date; the files are
package data, so this works from an installed wheel as well as from a checkout.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib import resources

import yaml

from eventwire.ingest.errors import IngestError
from eventwire.ingest.read import HTML_SUFFIXES, article_from_bytes
from eventwire.ingest.text import parse_date
from eventwire.model import Article

MANIFEST = "samples.yaml"


@dataclass(frozen=True)
class Sample:
    file: str
    title: str | None = None
    published: date | None = None
    style: str | None = None


def _folder() -> resources.abc.Traversable:
    return resources.files("eventwire") / "samples"


def list_samples() -> list[Sample]:
    """The samples named in the manifest, in its order."""
    manifest = _folder() / MANIFEST
    try:
        entries = yaml.safe_load(manifest.read_text(encoding="utf-8"))["samples"]
    except (OSError, KeyError, TypeError, yaml.YAMLError) as err:
        raise IngestError(f"cannot read the sample manifest: {err}", MANIFEST) from None
    return [
        Sample(
            file=str(entry["file"]),
            title=entry.get("title"),
            published=parse_date(entry.get("published")),
            style=entry.get("style"),
        )
        for entry in entries
    ]


def read_sample(sample: Sample) -> Article:
    """The Article of one sample, with the manifest's publication date."""
    source = f"samples/{sample.file}"
    try:
        data = (_folder() / sample.file).read_bytes()
    except OSError:
        raise IngestError("sample file missing from the installed package", source) from None
    article = article_from_bytes(
        data,
        source=source,
        published=sample.published,
        html_hint=sample.file.lower().endswith(HTML_SUFFIXES),
    )
    if article.title is None and sample.title:
        article = article.model_copy(update={"title": sample.title})
    return article


def sample_articles() -> list[Article]:
    """Every sample as an Article."""
    return [read_sample(sample) for sample in list_samples()]
