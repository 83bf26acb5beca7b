"""Safe download file names: allowlisted characters and media extensions, always inside a folder."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

MAX_NAME_BYTES = 255
PART_SUFFIX = ".part"
# The final name leaves room for ".part" so the partial file obeys the same 255-byte limit.
MAX_FINAL_NAME_BYTES = MAX_NAME_BYTES - len(PART_SUFFIX)
UNIQUE_SUFFIX_RESERVE_BYTES = 8
PODCAST_FOLDER_BYTES = 120

# Characters never allowed even though their Unicode category is otherwise fine.
_FORBIDDEN_CHARACTERS = frozenset('/\\:*?"<>|')
# Categories kept: letters, marks, numbers, punctuation, symbols (emoji are "So").
_ALLOWED_CATEGORY_PREFIXES = ("L", "M", "N", "P", "S")
_RESERVED_DEVICE_NAMES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{device}{digit}" for device in ("COM", "LPT") for digit in "0123456789¹²³"]
)
_TRIMMED_AT_ENDS = " ._-"

MEDIA_TYPE_EXTENSIONS: dict[str, str] = {
    "audio/mpeg": ".mp3",
    "audio/mp3": ".mp3",
    "audio/mpeg3": ".mp3",
    "audio/x-mpeg": ".mp3",
    "audio/x-mp3": ".mp3",
    "audio/mp4": ".m4a",
    "audio/x-m4a": ".m4a",
    "audio/m4a": ".m4a",
    "audio/x-m4b": ".m4b",
    "audio/aac": ".aac",
    "audio/aacp": ".aac",
    "audio/x-aac": ".aac",
    "audio/ogg": ".ogg",
    "audio/x-ogg": ".ogg",
    "audio/vorbis": ".ogg",
    "audio/opus": ".opus",
    "audio/flac": ".flac",
    "audio/x-flac": ".flac",
    "audio/wav": ".wav",
    "audio/wave": ".wav",
    "audio/x-wav": ".wav",
    "audio/webm": ".webm",
    "video/mp4": ".mp4",
    "video/x-m4v": ".m4v",
    "video/quicktime": ".mov",
    "video/webm": ".webm",
    "video/ogg": ".ogv",
    "video/x-matroska": ".mkv",
}
MEDIA_EXTENSIONS = frozenset(MEDIA_TYPE_EXTENSIONS.values())
FALLBACK_EXTENSION = ".mp3"

# Leading bytes of the media formats podcasts use, for servers that say application/octet-stream.
_MAGIC_EXTENSIONS: tuple[tuple[int, bytes, str], ...] = (
    (0, b"ID3", ".mp3"),
    (0, b"OggS", ".ogg"),
    (0, b"fLaC", ".flac"),
    (8, b"WAVE", ".wav"),
    (4, b"ftypM4A", ".m4a"),
    (4, b"ftypM4B", ".m4b"),
    (4, b"ftyp", ".mp4"),
    (0, b"\x1a\x45\xdf\xa3", ".webm"),
)


class UnsafePathError(Exception):
    """A path would end up outside the download folder."""


def safe_name_part(text: str, max_bytes: int = MAX_FINAL_NAME_BYTES) -> str:
    """Turn any text into one file-name component by allowlist; '' if nothing usable is left."""
    text = unicodedata.normalize("NFKC", text)
    kept: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if char in _FORBIDDEN_CHARACTERS:
            kept.append("_")
        elif category == "Zs" or char in "\t\n\r":
            kept.append(" ")
        elif category.startswith(_ALLOWED_CATEGORY_PREFIXES):
            kept.append(char)
    name = "".join(kept)
    name = re.sub(r"\.{2,}", ".", name)
    name = re.sub(r"\s+", " ", name)
    name = re.sub(r"_{2,}", "_", name)
    name = _truncate_utf8(name.strip(_TRIMMED_AT_ENDS), max_bytes).strip(_TRIMMED_AT_ENDS)
    device, dot, rest = _truncate_utf8(name, max_bytes - 1).partition(".")
    if device.strip().upper() in _RESERVED_DEVICE_NAMES:
        name = f"{device.strip()}_{dot}{rest}"
    return name


def _truncate_utf8(text: str, max_bytes: int) -> str:
    """Cut to ``max_bytes`` of UTF-8 without splitting a character or leaving a lone mark."""
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    cut = encoded[:max_bytes].decode("utf-8", errors="ignore")
    while cut and unicodedata.category(cut[-1]).startswith("M"):
        cut = cut[:-1]
    return cut


def filename_from_content_disposition(value: str | None) -> str | None:
    """The bare file name a Content-Disposition header suggests (no folders), if any."""
    if not value:
        return None
    from email.message import Message  # the email package costs ~1.3 MB at start

    message = Message()
    message["content-disposition"] = value
    raw = message.get_filename()
    if not raw:
        return None
    return _last_path_component(raw)


def _last_path_component(raw: str) -> str:
    return re.split(r"[/\\]", unicodedata.normalize("NFKC", raw))[-1]


def media_extension(
    content_type: str | None,
    url: str,
    disposition_name: str | None = None,
    enclosure_type: str | None = None,
    first_bytes: bytes = b"",
) -> str:
    """An allowlisted media extension: by Content-Type, URL, header name, feed type or sniffing."""
    for mime in (content_type, enclosure_type):
        extension = MEDIA_TYPE_EXTENSIONS.get(_bare_mime(mime))
        if extension:
            return extension
    for name in (unquote(urlsplit(url).path), disposition_name or ""):
        suffix = PurePosixPath(_last_path_component(name)).suffix.lower()
        if suffix in MEDIA_EXTENSIONS:
            return suffix
    for offset, magic, extension in _MAGIC_EXTENSIONS:
        if first_bytes[offset : offset + len(magic)] == magic:
            return extension
    return FALLBACK_EXTENSION


def _bare_mime(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower()


def looks_like_html(content_type: str | None, first_bytes: bytes) -> bool:
    """True when a response is a web page (by type or by its first bytes), not media."""
    mime = _bare_mime(content_type)
    if mime in ("text/html", "application/xhtml+xml"):
        return True
    head = first_bytes[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml"))


def episode_stem(title: str, disposition_name: str | None, url: str, episode_id: int) -> str:
    """The name without extension: the title, else the server's name, the URL's, or the id."""
    budget = MAX_FINAL_NAME_BYTES - UNIQUE_SUFFIX_RESERVE_BYTES - len(".opus")
    candidates = [title]
    for raw in (disposition_name, _last_path_component(unquote(urlsplit(url).path))):
        if raw:
            candidates.append(raw.rsplit(".", 1)[0])
    for candidate in candidates:
        stem = safe_name_part(candidate, budget)
        if stem:
            return stem
    return f"episode-{episode_id}"


def inside_folder(folder: Path, path: Path) -> bool:
    """True when ``path`` (symlinks resolved) lies strictly inside ``folder``."""
    real_folder = Path(os.path.realpath(folder))
    real_path = Path(os.path.realpath(path))
    return real_path != real_folder and real_path.is_relative_to(real_folder)


def podcast_folder(root: Path, podcast_title: str, podcast_id: int) -> Path:
    """The podcast's subfolder under ``root``, created if needed and checked to be inside it."""
    name = safe_name_part(podcast_title, PODCAST_FOLDER_BYTES) or f"podcast-{podcast_id}"
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    if not inside_folder(root, folder) or not folder.is_dir():
        raise UnsafePathError(f"The folder {folder} is not inside the download folder {root}.")
    return folder


def reserve_unique_path(folder: Path, stem: str, extension: str) -> Path:
    """Claim a free final name in ``folder`` by creating its ``.part`` file exclusively."""
    counter = 1
    while True:
        suffix = "" if counter == 1 else f" ({counter})"
        name = f"{stem}{suffix}{extension}"
        if len(name.encode("utf-8")) > MAX_FINAL_NAME_BYTES:
            raise UnsafePathError(f"The file name {name!r} is too long.")
        final = folder / name
        part = part_path(final)
        if not final.exists() and not final.is_symlink():
            try:
                descriptor = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                pass
            else:
                os.close(descriptor)
                if not inside_folder(folder, part):
                    part.unlink()
                    raise UnsafePathError(f"The file {part} is not inside {folder}.")
                return final
        counter += 1


def part_path(final: Path) -> Path:
    """Where the bytes of ``final`` are written until the download is complete."""
    return final.with_name(final.name + PART_SUFFIX)
