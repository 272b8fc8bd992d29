"""Bytes to text: refuse binary data, then UTF-8, UTF-8 with a BOM, UTF-16 with a BOM, and last
the charset an HTML or XML document declares for itself.

No guessing beyond that: a wrong guess would silently garble names, and every span downstream
indexes into the decoded text.
"""

from __future__ import annotations

import codecs
import re

from eventwire.ingest.errors import IngestError

_SNIFF_BYTES = 8192
# Control bytes that never occur in text (tab, newline, form feed, carriage return and escape do).
_CONTROL = frozenset(range(0x00, 0x09)) | {0x0B} | frozenset(range(0x0E, 0x1B)) | frozenset(
    range(0x1C, 0x20)
)
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx/.epub)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file"),
)
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)"""
    rb"""|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)


def binary_kind(data: bytes) -> str | None:
    """What binary data looks like ("a PDF file", "binary data"), or None when it may be text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    head = data[:_SNIFF_BYTES]
    if b"\x00" in head:
        return "binary data"
    controls = sum(1 for b in head if b in _CONTROL)
    if head and controls / len(head) > 0.05:
        return "binary data"
    return None


def declared_charset(data: bytes) -> str | None:
    """The charset named by a <meta> tag or an XML declaration near the start, if valid."""
    match = _DECLARED.search(data[:_SNIFF_BYTES])
    if not match:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii", "replace")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes, source: str | None = None) -> str:
    """Decode the bytes of a text or HTML file; raise IngestError for binary or unreadable data."""
    kind = binary_kind(data)
    if kind:
        raise IngestError(f"{kind}, not text or HTML", source)
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as err:
                raise IngestError(f"cannot decode as {codec} despite its byte-order mark: "
                                  f"{err.reason} at byte {err.start}", source) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        first_error = err
    charset = declared_charset(data)
    if charset is None:
        unknown = _DECLARED.search(data[:_SNIFF_BYTES])
        if unknown:
            name = (unknown.group(1) or unknown.group(2)).decode("ascii", "replace")
            raise IngestError(
                f"not valid UTF-8 (byte 0x{data[first_error.start]:02x} at offset "
                f"{first_error.start}) and its declared charset {name!r} is unknown",
                source,
            )
    if charset and charset != "utf-8":
        try:
            return data.decode(charset)
        except UnicodeDecodeError:
            raise IngestError(
                f"cannot decode as its declared charset {charset}", source
            ) from None
    raise IngestError(
        f"not valid UTF-8 (byte 0x{data[first_error.start]:02x} at offset {first_error.start}) "
        "and no other charset declared; convert the file to UTF-8",
        source,
    )
