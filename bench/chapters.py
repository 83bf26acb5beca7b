"""Chapters benchmark: reading a 3-hour MP3's chapters reads its tag, not its audio.

Builds a 3-hour MP3 (the test beeps' frames repeated, ~40 MB) whose ID3 tag holds 40 chapters
(CHAP under a CTOC, titles, links, five pictures), then times, and counts the bytes read
(``rchar`` of /proc/self/io, so libvlc's threads count too), for:

- podplayer: ``read_file_chapters`` (the tag's bytes, parsed by mutagen);
- mutagen opening the file as an MP3 (``mutagen.File``: tag plus audio properties);
- libvlc parsing the file (``Media.parse_with_options``, local), as a player would before playing;
- reading the whole file (what a reader that downloads or scans the audio would pay at least).

Prints figures and ratios; asserts nothing. Targets: < 20 ms and < 1 MB for podplayer.

    .venv/bin/python -m bench.chapters [--runs 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from mutagen.id3 import APIC, CHAP, CTOC, ID3, TIT2, WXXX, CTOCFlags

from podplayer.core.chapters.loading import read_file_chapters

AUDIO = Path(__file__).resolve().parent.parent / "tests" / "data" / "audio" / "beeps.mp3"
HOURS = 3
CHAPTERS = 40
NO_OFFSET = 0xFFFFFFFF


def _read_bytes() -> int:
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    return 0


def _frames(data: bytes) -> bytes:
    """The MPEG frames of ``data`` after its first one (the Xing header frame)."""
    start = data.index(b"\xff\xf3") if b"\xff\xf3" in data[:4096] else data.index(b"\xff")
    second = data.index(data[start : start + 2], start + 4)
    return data[second:]


def make_long_mp3(folder: Path) -> Path:
    """A 3-hour MP3 with chapters in its tag (20 s of test beeps per repeat)."""
    frames = _frames(AUDIO.read_bytes())
    repeats = HOURS * 3600 // 20
    path = folder / "three-hours.mp3"
    with path.open("wb") as file:
        for _ in range(repeats):
            file.write(frames)
    picture = (Path(__file__).resolve().parent.parent / "resources/demo/artwork.png").read_bytes()
    tags = ID3()
    step = HOURS * 3600 * 1000 // CHAPTERS
    ids = [f"ch{n}" for n in range(CHAPTERS)]
    tags.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                  child_element_ids=ids, sub_frames=[TIT2(text=["Contents"])]))  # fmt: skip
    for n, element_id in enumerate(ids):
        sub: list[object] = [
            TIT2(text=[f"Chapter {n + 1}: a topic with a reasonably long title"]),
            WXXX(desc="", url=f"https://example.com/show/notes#{n}"),
        ]
        if n % 8 == 0:
            sub.append(APIC(mime="image/png", type=3, desc="", data=picture))
        tags.add(CHAP(element_id=element_id, start_time=n * step, end_time=(n + 1) * step,
                      start_offset=NO_OFFSET, end_offset=NO_OFFSET, sub_frames=sub))  # fmt: skip
    tags.save(path)
    return path


def measure(name: str, work: Callable[[], object], runs: int) -> tuple[float, int]:
    """Median milliseconds and the bytes one run reads."""
    work()  # imports and the page cache are warm for every contestant
    times = []
    read = 0
    for _ in range(runs):
        before = _read_bytes()
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
        read = _read_bytes() - before
    median = statistics.median(times)
    print(f"{name:<34} {median:9.2f} ms {read / 1_000_000:10.3f} MB read")
    return median, read


def libvlc_parse(path: Path) -> Callable[[], object]:
    import vlc

    instance = vlc.Instance(["--quiet", "--aout=adummy", "--no-video"])

    def parse() -> object:
        media = instance.media_new_path(str(path))
        media.parse_with_options(vlc.MediaParseFlag.local, 10_000)
        deadline = time.monotonic() + 10
        while media.get_parsed_status() == 0 and time.monotonic() < deadline:
            time.sleep(0.001)
        duration = media.get_duration()
        media.release()
        return duration

    return parse


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    print(f"load: {os.getloadavg()[0]:.2f} (2 CPU cores shared; rerun when it is low)")
    with tempfile.TemporaryDirectory(prefix="bench-chapters-") as folder:
        path = make_long_mp3(Path(folder))
        reading = read_file_chapters(path)
        size = path.stat().st_size
        tag = size - len(_frames(AUDIO.read_bytes())) * (HOURS * 3600 // 20)
        print(f"file: {size / 1_000_000:.1f} MB, {HOURS} h, tag {tag / 1000:.0f} kB, "
              f"{len(reading.chapters)} chapters read")  # fmt: skip
        ours = measure("podplayer read_file_chapters", lambda: read_file_chapters(path), args.runs)
        import mutagen

        peers = {
            "mutagen.File (tag + MP3 info)": lambda: mutagen.File(path),
            "libvlc parse (local)": libvlc_parse(path),
            "reading the whole file": path.read_bytes,
        }
        for name, work in peers.items():
            peer = measure(name, work, max(3, args.runs // 4))
            print(
                f"{'':<34} podplayer: {peer[0] / ours[0]:7.1f}x faster, "
                f"{peer[1] / max(1, ours[1]):7.1f}x fewer bytes"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
