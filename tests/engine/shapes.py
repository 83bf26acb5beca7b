"""The shapes podcast files come in, each 10 s of beeps (tests/data/audio/make_audio.sh).

Eight are committed files; the 2 MB ID3v2 tag with artwork and the ID3v1 tag are written here,
in front of and behind the CBR file, so the repository keeps no 2 MB file.
"""

from __future__ import annotations

import random
import struct
from dataclasses import dataclass
from pathlib import Path

from tests.engine.drivers import AUDIO_DIR

SHAPES_DIR = AUDIO_DIR / "shapes"
SHAPE_DURATION_MS = 10_000
ARTWORK_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Shape:
    name: str
    file_name: str
    mime_type: str


SHAPES = (
    Shape("cbr-128k-info", "cbr-128k-info.mp3", "audio/mpeg"),
    Shape("vbr-xing", "vbr-xing.mp3", "audio/mpeg"),
    Shape("vbr-no-xing", "vbr-no-xing.mp3", "audio/mpeg"),
    Shape("mono-22k", "mono-22k.mp3", "audio/mpeg"),
    Shape("stereo-48k", "stereo-48k.mp3", "audio/mpeg"),
    Shape("id3v2-2mb-artwork", "id3v2-2mb-artwork.mp3", "audio/mpeg"),
    Shape("id3v1", "id3v1.mp3", "audio/mpeg"),
    Shape("m4a-moov-at-end", "moov-at-end.m4a", "audio/mp4"),
    Shape("opus", "speech.opus", "audio/ogg"),
    Shape("vorbis", "speech.ogg", "audio/ogg"),
)


def syncsafe(size: int) -> bytes:
    return bytes((size >> shift) & 0x7F for shift in (21, 14, 7, 0))


def without_id3v2(data: bytes) -> bytes:
    if data[:3] != b"ID3":
        return data
    size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
    return data[10 + size :]


def id3v2_with_artwork(title: str, artwork_bytes: int) -> bytes:
    """An ID3v2.3 tag: a title and a front-cover PNG-typed picture of ``artwork_bytes``."""
    picture = b"\x89PNG\r\n\x1a\n" + random.Random(1).randbytes(artwork_bytes - 8)
    frames = b""
    for frame_id, body in (
        (b"TIT2", b"\x00" + title.encode("latin-1")),
        (b"APIC", b"\x00image/png\x00\x03cover\x00" + picture),
    ):
        frames += frame_id + struct.pack(">I", len(body)) + b"\x00\x00" + body
    return b"ID3\x03\x00\x00" + syncsafe(len(frames)) + frames


def id3v1(title: str) -> bytes:
    """The 128-byte tag at the end of a file: title, artist, album, year, comment, genre."""
    fields = (title, 30), ("podplayer tests", 30), ("shapes", 30), ("2026", 4), ("", 30)
    return (
        b"TAG"
        + b"".join(text.encode("latin-1").ljust(size, b"\x00") for text, size in fields)
        + b"\x65"
    )


def build_shapes(folder: Path) -> dict[str, Path]:
    """Every shape as a file in ``folder``; returns name -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    cbr = (SHAPES_DIR / "cbr-128k-info.mp3").read_bytes()
    written = {
        "id3v2-2mb-artwork.mp3": id3v2_with_artwork("Artwork", ARTWORK_BYTES) + without_id3v2(cbr),
        "id3v1.mp3": cbr + id3v1("Tagged at the end"),
    }
    paths: dict[str, Path] = {}
    for shape in SHAPES:
        path = folder / shape.file_name
        body = written.get(shape.file_name) or (SHAPES_DIR / shape.file_name).read_bytes()
        path.write_bytes(body)
        paths[shape.name] = path
    return paths
