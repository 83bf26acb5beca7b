"""An MP3 file's exact duration, from walking its frame headers (no audio is decoded).

libvlc and avformat estimate the length of a VBR MP3 without a Xing/VBRI table from the first
frames' bitrate: 8.5% short on a real podcast. Counting the frames is exact and, through mmap,
takes ~0.3 s for an hour at 128 kbit/s: it runs on a worker thread.
"""

from __future__ import annotations

import mmap
from pathlib import Path

# Bitrates in kbit/s, indexed [MPEG-1?][layer 1, 2, 3][index].
_BITRATES = {
    True: {
        1: (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
        2: (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
        3: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    },
    False: {
        1: (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
        2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
        3: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    },
}
_SAMPLE_RATES = {
    3: (44_100, 48_000, 32_000),
    2: (22_050, 24_000, 16_000),
    0: (11_025, 12_000, 8_000),
}
_HEADER_TAGS = (b"Xing", b"Info", b"VBRI")
MIN_FRAMES = 4  # fewer and the file is not MP3 (or the header walk lost sync)


def _id3v2_size(data: mmap.mmap | bytes) -> int:
    """Bytes taken by an ID3v2 tag at the start (0 if none)."""
    if len(data) < 10 or data[:3] != b"ID3":
        return 0
    size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
    footer = 10 if data[5] & 0x10 else 0
    return 10 + size + footer


def _frame(data: mmap.mmap | bytes, offset: int) -> tuple[int, int, int] | None:
    """(frame length in bytes, samples in it, sample rate) of the frame at ``offset``, or None."""
    if offset + 4 > len(data) or data[offset] != 0xFF or data[offset + 1] & 0xE0 != 0xE0:
        return None
    version = (data[offset + 1] >> 3) & 0x3  # 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
    layer = 4 - ((data[offset + 1] >> 1) & 0x3)
    bitrate_index = data[offset + 2] >> 4
    rate_index = (data[offset + 2] >> 2) & 0x3
    if version == 1 or layer == 4 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    mpeg1 = version == 3
    bitrate = _BITRATES[mpeg1][layer][bitrate_index] * 1000
    sample_rate = _SAMPLE_RATES[version][rate_index]
    padding = (data[offset + 2] >> 1) & 0x1
    if layer == 1:
        return (12 * bitrate // sample_rate + padding) * 4, 384, sample_rate
    samples = 1152 if layer == 2 or mpeg1 else 576
    return samples // 8 * bitrate // sample_rate + padding, samples, sample_rate


def _is_header_frame(data: mmap.mmap | bytes, offset: int, length: int) -> bool:
    """A Xing/Info/VBRI frame carries no audio of its own (decoders output nothing for it)."""
    window = data[offset + 4 : offset + min(length, 64)]
    return any(tag in window for tag in _HEADER_TAGS)


def mp3_duration_ms(path: Path) -> int | None:
    """The duration of the MP3 at ``path`` counted frame by frame, or None if it is not MP3."""
    try:
        with (
            path.open("rb") as handle,
            mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data,
        ):
            return _count(data)
    except (OSError, ValueError):  # unreadable, or empty (mmap refuses a 0-byte file)
        return None


def _count(data: mmap.mmap | bytes) -> int | None:
    offset = _id3v2_size(data)
    # Find the first frame: skip padding or junk, but no further than 64 KB.
    limit = min(len(data), offset + 65_536)
    while offset < limit and _frame(data, offset) is None:
        offset += 1
    first = _frame(data, offset)
    if first is None:
        return None
    if _is_header_frame(data, offset, first[0]):
        offset += first[0]
    frames = 0
    seconds = 0.0
    end = len(data)
    while (frame := _frame(data, offset)) is not None:
        length, samples, sample_rate = frame
        if length <= 0 or offset + length > end:
            break
        frames += 1
        seconds += samples / sample_rate
        offset += length
    return round(seconds * 1000) if frames >= MIN_FRAMES else None
