"""Bytes to text for transcripts: BOMs, declared charsets, and a guess when both are wrong."""

from __future__ import annotations

import codecs
import contextlib
import re

from podplayer.core.control_characters import CONTROL_CHARACTERS

MAX_TRANSCRIPT_BYTES = 8 * 1024 * 1024
"""A three-hour episode's word-timed JSON is about 3 MB; more than this is not a transcript."""

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}\ufeff]")


def charset_of(content_type: str) -> str | None:
    """The ``charset=`` parameter of a Content-Type, if any."""
    for part in content_type.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def decode_text(data: bytes, declared_charset: str | None = None) -> str:
    """Decode with the BOM, else UTF-8, else the declared charset, else cp1252; never raises.

    UTF-8 wins over a declared charset because servers often declare latin-1 for UTF-8 files;
    text that is valid UTF-8 is almost never meant as anything else.
    """
    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding, errors="replace")
            break
    if text is None and _looks_like_utf16(data):
        text = data.decode("utf-16-le" if data[1:2] == b"\x00" else "utf-16-be", errors="replace")
    if text is None:
        text = _decode_first_fitting(data, declared_charset)
    return clean_control_characters(text.replace("\r\n", "\n").replace("\r", "\n"))


def clean_control_characters(text: str) -> str:
    """Remove control characters (CONTROL_CHARACTERS) and stray BOMs; keep tabs and newlines."""
    return _CONTROL.sub("", text)


def _looks_like_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: every other byte of ASCII-range text is zero."""
    sample = data[:200]
    if len(sample) < 4:
        return False
    zeros_even = sample[0::2].count(0)
    zeros_odd = sample[1::2].count(0)
    half = len(sample) // 2
    return max(zeros_even, zeros_odd) > half * 0.8 and min(zeros_even, zeros_odd) < half * 0.1


def _decode_first_fitting(data: bytes, declared_charset: str | None) -> str:
    candidates = ["utf-8"]
    if declared_charset:
        with contextlib.suppress(LookupError):
            candidates.append(codecs.lookup(declared_charset).name)
    candidates.append("cp1252")
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")
