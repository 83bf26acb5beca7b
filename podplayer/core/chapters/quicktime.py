"""QuickTime chapter tracks in MP4/M4A files (what Apple's tools write): a text track that an
audio track names in its ``tref/chap`` box, one sample per chapter title.

Only the ``moov`` box and the title samples are read, never the audio.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from podplayer.core.chapters.reading import Reading
from podplayer.core.models import Chapter

MAX_MOOV_BYTES = 32 * 1024 * 1024
MAX_SAMPLES = 2000
MAX_SAMPLE_BYTES = 64 * 1024
_CONTAINERS = frozenset({b"trak", b"mdia", b"minf", b"stbl", b"tref"})


class _BrokenFileError(Exception):
    """The boxes do not add up."""


@dataclass
class _Track:
    track_id: int = 0
    timescale: int = 0
    chapter_refs: list[int] = field(default_factory=list)
    durations: list[int] = field(default_factory=list)  # per sample, in timescale units
    sizes: list[int] = field(default_factory=list)
    chunk_offsets: list[int] = field(default_factory=list)
    chunk_runs: list[tuple[int, int]] = field(default_factory=list)  # first chunk, samples each


def quicktime_chapters(path: Path) -> Reading:
    """Chapters from the file's chapter track; none when it has no such track."""
    try:
        with path.open("rb") as file:
            moov = _read_moov(file)
            if moov is None:
                return Reading()
            tracks = [_track(body) for kind, body in _boxes(moov) if kind == b"trak"]
            wanted = {ref for track in tracks for ref in track.chapter_refs}
            chapter_track = next((t for t in tracks if t.track_id in wanted), None)
            if chapter_track is None or not chapter_track.timescale:
                return Reading()
            return Reading(_titles(file, chapter_track))
    except (_BrokenFileError, struct.error, OSError, ValueError, IndexError):
        return Reading(problems=["The audio file's chapter track could not be read."])


def _read_moov(file: BinaryIO) -> bytes | None:
    """The ``moov`` box's body, found by hopping over the top-level boxes (mdat is skipped)."""
    offset = 0
    while True:
        file.seek(offset)
        header = file.read(16)
        if len(header) < 8:
            return None
        size, kind = struct.unpack(">I4s", header[:8])
        body_at = 8
        if size == 1:
            size = struct.unpack(">Q", header[8:16])[0]
            body_at = 16
        elif size == 0:
            file.seek(0, 2)
            size = file.tell() - offset
        if size < body_at:
            raise _BrokenFileError
        if kind == b"moov":
            if size > MAX_MOOV_BYTES:
                return None
            file.seek(offset + body_at)
            return file.read(size - body_at)
        offset += size


def _boxes(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    offset = 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack_from(">I4s", data, offset)
        body_at = 8
        if size == 1:
            size = struct.unpack_from(">Q", data, offset + 8)[0]
            body_at = 16
        elif size == 0:
            size = len(data) - offset
        if size < body_at or offset + size > len(data):
            raise _BrokenFileError
        yield kind, data[offset + body_at : offset + size]
        offset += size


def _track(trak: bytes) -> _Track:
    track = _Track()
    _fill(track, trak)
    return track


def _fill(track: _Track, data: bytes) -> None:
    for kind, body in _boxes(data):
        if kind in _CONTAINERS:
            _fill(track, body)
        elif kind == b"tkhd":
            track.track_id = struct.unpack_from(">I", body, 20 if body[0] == 1 else 12)[0]
        elif kind == b"mdhd":
            track.timescale = struct.unpack_from(">I", body, 20 if body[0] == 1 else 12)[0]
        elif kind == b"chap":
            track.chapter_refs = list(struct.unpack_from(f">{len(body) // 4}I", body))
        elif kind == b"stts":
            for count, delta in _table(body, 2):
                track.durations += [delta] * min(count, MAX_SAMPLES)
        elif kind == b"stsz":
            size, count = struct.unpack_from(">II", body, 4)
            count = min(count, MAX_SAMPLES)
            track.sizes = (
                [size] * count if size else list(struct.unpack_from(f">{count}I", body, 12))
            )
        elif kind == b"stsc":
            track.chunk_runs = [(first, each) for first, each, _ in _table(body, 3)]
        elif kind in (b"stco", b"co64"):
            wide = kind == b"co64"
            count = min(struct.unpack_from(">I", body, 4)[0], MAX_SAMPLES)
            track.chunk_offsets = list(
                struct.unpack_from(f">{count}{'Q' if wide else 'I'}", body, 8)
            )


def _table(body: bytes, width: int) -> list[tuple[int, ...]]:
    count = min(struct.unpack_from(">I", body, 4)[0], MAX_SAMPLES)
    values = struct.unpack_from(f">{count * width}I", body, 8)
    return [tuple(values[i : i + width]) for i in range(0, len(values), width)]


def _sample_offsets(track: _Track) -> list[int]:
    """Where each sample starts: chunks hold runs of samples (stsc), back to back (stsz)."""
    offsets: list[int] = []
    sample = 0
    for chunk_number, chunk_offset in enumerate(track.chunk_offsets, start=1):
        per_chunk = 0
        for first, each in track.chunk_runs:
            if first <= chunk_number:
                per_chunk = each
        position = chunk_offset
        for _ in range(per_chunk):
            if sample >= len(track.sizes):
                return offsets
            offsets.append(position)
            position += track.sizes[sample]
            sample += 1
    return offsets


def _titles(file: BinaryIO, track: _Track) -> list[Chapter]:
    chapters: list[Chapter] = []
    start = 0
    for index, offset in enumerate(_sample_offsets(track)):
        size = min(track.sizes[index], MAX_SAMPLE_BYTES)
        file.seek(offset)
        sample = file.read(size)
        length = struct.unpack_from(">H", sample)[0] if len(sample) >= 2 else 0
        text = sample[2 : 2 + length]
        if text.startswith((b"\xfe\xff", b"\xff\xfe")):
            title = text.decode("utf-16", errors="replace")
        else:
            title = text.decode("utf-8", errors="replace")
        chapters.append(Chapter(start_ms=start * 1000 // track.timescale, title=title))
        if index < len(track.durations):
            start += track.durations[index]
    return chapters
