"""Per file shape, by ear: start latency, seek latency, landing error, playback-duration error.

Measures podplayer's VlcEngine and, in the same run on the same files, libvlc with its default
options (the peer): what a player that hands libvlc the file and nothing else would get.
Every figure comes from the presentation times of the audio libvlc hands the output
(tests/engine/audio_tap.py), never from get_time().

Run: xvfb-run -a .venv/bin/python -m bench.engine_latency   (prints figures, asserts nothing)
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import vlc
from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

from podplayer.engine.base import PlaybackState
from podplayer.engine.vlc import VlcEngine
from tests.engine.audio_tap import AudioTap, find_beeps, longest_gap_ms
from tests.engine.shapes import SHAPE_DURATION_MS, SHAPES, Shape, build_shapes
from tests.http_server import TestHttpServer

SEEK_TARGET_MS = 6_300
RESUME_MS = 4_300
PLAY_RATE = 2.0
VTT = (Path(__file__).resolve().parents[1] / "resources" / "demo" / "welcome.vtt").read_text(
    encoding="utf-8"
)


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_until(predicate: Callable[[], bool], timeout_ms: int) -> bool:
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        if predicate():
            return True
        wait(5)
    return False


class Subject:
    """What is measured: podplayer's engine or bare libvlc, behind the same few calls."""

    name = ""
    player: Any

    def load(self, source: str, start_ms: int, mime_type: str) -> None:
        raise NotImplementedError

    def play(self) -> None:
        raise NotImplementedError

    def seek(self, position_ms: int) -> None:
        raise NotImplementedError

    def set_rate(self, rate: float) -> None:
        raise NotImplementedError

    def ended(self) -> bool:
        raise NotImplementedError

    def duration_ms(self) -> int | None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class PodplayerSubject(Subject):
    name = "podplayer"

    def __init__(self) -> None:
        self.engine = VlcEngine(["--aout=adummy"])
        self.player = self.engine.media_player

    def load(self, source: str, start_ms: int, mime_type: str) -> None:
        self.engine.load(source, start_ms, mime_type)

    def play(self) -> None:
        self.engine.play()

    def seek(self, position_ms: int) -> None:
        self.engine.seek(position_ms)

    def set_rate(self, rate: float) -> None:
        self.engine.set_rate(rate)

    def ended(self) -> bool:
        return self.engine.state() in (PlaybackState.ENDED, PlaybackState.ERROR)

    def duration_ms(self) -> int | None:
        return self.engine.duration_ms()

    def close(self) -> None:
        self.engine.close()


class LibvlcDefaultSubject(Subject):
    """libvlc as it comes: the media as given, a start-time option, set_time to seek."""

    name = "libvlc defaults"

    def __init__(self) -> None:
        self.instance = vlc.Instance(["--aout=adummy", "--no-video", "--quiet"])
        self.player = self.instance.media_player_new()

    def load(self, source: str, start_ms: int, mime_type: str) -> None:
        if source.startswith("http"):
            media = self.instance.media_new(source)
        else:
            media = self.instance.media_new_path(source)
        if start_ms:
            media.add_option(f":start-time={start_ms / 1000:.3f}")
        self.player.set_media(media)
        media.release()

    def play(self) -> None:
        self.player.play()

    def seek(self, position_ms: int) -> None:
        self.player.set_time(position_ms)

    def set_rate(self, rate: float) -> None:
        self.player.set_rate(rate)

    def ended(self) -> bool:
        return self.player.get_state() in (vlc.State.Ended, vlc.State.Error)

    def duration_ms(self) -> int | None:
        length = self.player.get_length()
        return length if length > 0 else None

    def close(self) -> None:
        self.player.stop()
        self.player.release()
        self.instance.release()


class LibvlcAvformatSubject(LibvlcDefaultSubject):
    """libvlc told to demux through avformat, as podplayer did before issue 13 (MP3, Ogg)."""

    name = "libvlc avformat"

    def load(self, source: str, start_ms: int, mime_type: str) -> None:
        super().load(source, start_ms, mime_type)
        self.player.get_media().add_option(":demux=avformat")


@dataclass
class Figures:
    start_ms: float | None = None  # play() to the first sample heard
    first_beep_ms: float | None = None  # where in the heard audio beep 0 starts: 0 = all heard
    resume_ms: float | None = None  # play() at a saved position to the first sample
    resume_error_ms: float | None = None
    seek_ms: float | None = None  # seek while playing to the first sample after it
    seek_error_ms: float | None = None
    play_error_pct: float | None = None  # whole file at 2.0x, heard time against duration / 2
    longest_gap_ms: float | None = None
    duration_error_pct: float | None = None


def measure_start_and_seek(subject: Subject, source: str, shape: Shape, figures: Figures) -> None:
    tap = AudioTap(subject.player)
    subject.set_rate(1.0)
    subject.load(source, 0, shape.mime_type)
    mark = vlc.libvlc_clock()
    subject.play()
    if wait_until(lambda: tap.captured_ms() > 1_200, 5_000):
        first = tap.first_pts_us()
        figures.start_ms = None if first is None else (first - mark) / 1000
        beeps = tap.beeps()
        if beeps and beeps[0].second == 0:
            figures.first_beep_ms = beeps[0].offset_ms
    wait(500)
    flushes = tap.flushes
    tap.clear()
    mark = vlc.libvlc_clock()
    subject.seek(SEEK_TARGET_MS)
    heard = wait_until(lambda: tap.flushes > flushes and tap.captured_ms() > 1_000, 5_000)
    first = tap.first_pts_us()
    if heard and first is not None:
        figures.seek_ms = (first - mark) / 1000
        landed = tap.landed_ms()
        figures.seek_error_ms = None if landed is None else landed - SEEK_TARGET_MS
    duration = subject.duration_ms()
    if duration is not None:
        figures.duration_error_pct = (duration - SHAPE_DURATION_MS) / SHAPE_DURATION_MS * 100


def measure_resume(subject: Subject, source: str, shape: Shape, figures: Figures) -> None:
    tap = AudioTap(subject.player)
    subject.set_rate(1.0)
    subject.load(source, RESUME_MS, shape.mime_type)
    mark = vlc.libvlc_clock()
    subject.play()
    if wait_until(lambda: tap.captured_ms() > 1_000, 5_000):
        first = tap.first_pts_us()
        figures.resume_ms = None if first is None else (first - mark) / 1000
        landed = tap.landed_ms()
        figures.resume_error_ms = None if landed is None else landed - RESUME_MS


def measure_play_through(subject: Subject, source: str, shape: Shape, figures: Figures) -> None:
    tap = AudioTap(subject.player)
    subject.set_rate(PLAY_RATE)
    subject.load(source, 0, shape.mime_type)
    subject.play()
    wait_until(lambda: tap.first_pts_us() is not None, 5_000)
    wait_until(subject.ended, int(SHAPE_DURATION_MS / PLAY_RATE) + 8_000)
    blocks = tap.heard_before_flushes + tap.blocks()
    if blocks and len(find_beeps(blocks)) > 1:
        heard_ms = (blocks[-1].end_us - blocks[0].pts_us) / 1000
        expected_ms = SHAPE_DURATION_MS / PLAY_RATE
        figures.play_error_pct = (heard_ms - expected_ms) / expected_ms * 100
        figures.longest_gap_ms = longest_gap_ms(blocks)


def measure_shape(kind: type[Subject], source: str, shape: Shape, streamed: bool) -> Figures:
    """Each measurement on a fresh subject, so none inherits another's state."""
    figures = Figures()
    steps = [measure_start_and_seek, measure_resume]
    if not streamed:
        steps.append(measure_play_through)
    for step in steps:
        subject = kind()
        try:
            step(subject, source, shape, figures)
        finally:
            subject.close()
    return figures


def row(shape: Shape, kind: type[Subject], figures: Figures) -> str:
    cells = (
        cell(figures.start_ms),
        cell(figures.first_beep_ms),
        cell(figures.resume_ms),
        cell(figures.resume_error_ms, signed=True),
        cell(figures.seek_ms),
        cell(figures.seek_error_ms, signed=True),
        cell(figures.play_error_pct, signed=True, digits=1),
        cell(figures.longest_gap_ms),
        cell(figures.duration_error_pct, signed=True, digits=1),
    )
    return f"| {shape.name} | {kind.name} | " + " | ".join(cells) + " |"


def sources(
    variant: str, files: dict[str, Path], server: TestHttpServer, folder: Path
) -> dict[str, str]:
    found: dict[str, str] = {}
    for shape in SHAPES:
        path = files[shape.name]
        if variant == "file":
            found[shape.name] = str(path)
        elif variant == "file + .vtt":
            copy = folder / path.name
            shutil.copyfile(path, copy)
            (folder / f"{copy.stem}.vtt").write_text(VTT, encoding="utf-8")
            found[shape.name] = str(copy)
        else:
            ranges = variant == "stream (Range)"
            url_path = f"/{'range' if ranges else 'whole'}/{path.name}"
            server.route(
                url_path, body=path.read_bytes(), ranges=ranges, content_type=shape.mime_type
            )
            found[shape.name] = server.url(url_path)
    return found


def cell(value: float | None, signed: bool = False, digits: int = 0) -> str:
    if value is None:
        return "-"
    return f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", default="file,file + .vtt,stream (Range),stream (no Range)")
    args = parser.parse_args()
    app = QCoreApplication.instance() or QCoreApplication([])
    server = TestHttpServer().start()
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"libvlc {vlc.libvlc_get_version().decode()}; load average {load}")
    print("ms: start = play() to the first sample heard; beep 0 at = where the file's first beep")
    print("is heard (0: nothing dropped; 25: an encoder's delay heard as silence, - : not heard);")
    print("resume/seek = to the first sample heard, err = where it landed minus the target;")
    print("play = whole file at 2.0x, heard time against duration/2 (%); gap = longest silence")
    print("libvlc left (ms); dur = reported duration against the true one (%).")
    with tempfile.TemporaryDirectory() as folder:
        files = build_shapes(Path(folder) / "shapes")
        summary: dict[str, list[float]] = {}
        for variant in args.variants.split(","):
            variant_folder = Path(folder) / variant.replace(" ", "_")
            variant_folder.mkdir()
            urls = sources(variant, files, server, variant_folder)
            print(f"\n## {variant}")
            print(
                "| shape | engine | start | beep 0 at | resume | err | seek | err | play % | gap |"
                " dur % |\n|---|---|---|---|---|---|---|---|---|---|---|"
            )
            for shape in SHAPES:
                for kind in (PodplayerSubject, LibvlcDefaultSubject, LibvlcAvformatSubject):
                    streamed = variant.startswith("stream")
                    figures = measure_shape(kind, urls[shape.name], shape, streamed)
                    for key, value in (
                        ("start", figures.start_ms),
                        ("seek", figures.seek_ms),
                        ("resume", figures.resume_ms),
                    ):
                        if value is not None:
                            summary.setdefault(f"{kind.name} {key}", []).append(value)
                    print(row(shape, kind, figures), flush=True)
        print("\nmedians (ms):")
        for key, values in sorted(summary.items()):
            print(f"  {key}: median {statistics.median(values):.0f}, worst {max(values):.0f}")
    server.stop()
    del app


if __name__ == "__main__":
    main()
