"""Measures VlcEngine by ear: where seeks land, how fast audio starts, how exact rates are.

Run: xvfb-run -a .venv/bin/python -m bench.engine_accuracy   (prints figures, asserts nothing)
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

from podplayer.engine.base import PlaybackState
from podplayer.engine.vlc import VlcEngine
from tests.engine.audio_tap import AudioTap
from tests.engine.drivers import AUDIO_DIR, FORMATS

SEEK_TARGETS_MS = (1_500, 4_250, 7_300, 10_800, 12_700, 16_050)
RATES = (0.5, 0.8, 1.25, 2.0, 3.0)


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_until(predicate: Callable[[], bool], timeout_ms: int = 5_000) -> bool:
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        if predicate():
            return True
        wait(10)
    return False


def start_once(audio_format: str, target: int) -> tuple[float | None, float]:
    """Load at ``target`` and play: heard minus asked, and the ms until the first sample."""
    engine = VlcEngine(["--aout=adummy"])
    tap = AudioTap(engine.media_player)
    began = time.monotonic()
    engine.load(str(AUDIO_DIR / f"beeps.{audio_format}"), target)
    engine.play()
    wait_until(lambda: tap.total_samples > 0)
    first_audio = (time.monotonic() - began) * 1000
    wait_until(lambda: tap.landed_ms() is not None)
    heard = tap.landed_ms()
    engine.close()
    return (None if heard is None else heard - target), first_audio


def seek_once(engine: VlcEngine, tap: AudioTap, target: int) -> float | None:
    """Seek while playing: heard minus asked."""
    flushes = tap.flushes
    tap.clear()
    engine.seek(target)
    wait_until(lambda: tap.flushes > flushes)
    wait_until(lambda: tap.landed_ms() is not None)
    heard = tap.landed_ms()
    return None if heard is None else heard - target


def seek_errors(audio_format: str) -> list[float]:
    engine = VlcEngine(["--aout=adummy"])
    tap = AudioTap(engine.media_player)
    engine.load(str(AUDIO_DIR / f"beeps.{audio_format}"))
    engine.play()
    wait_until(lambda: engine.state() is PlaybackState.PLAYING)
    errors = [seek_once(engine, tap, target) for target in SEEK_TARGETS_MS]
    engine.close()
    return [e for e in errors if e is not None]


def native_mp3_start_error(target: int) -> float | None:
    """libvlc's own MP3 demuxer given a start-time (what VlcEngine avoids): heard minus asked."""
    import vlc

    instance = vlc.Instance(["--no-video", "--quiet", "--aout=adummy"])
    player = instance.media_player_new()
    tap = AudioTap(player)
    media = instance.media_new_path(str(AUDIO_DIR / "beeps.mp3"))
    media.add_option(f":start-time={target / 1000:.3f}")
    player.set_media(media)
    player.play()
    wait_until(lambda: tap.landed_ms() is not None, timeout_ms=3_000)
    heard = tap.landed_ms()
    player.stop()
    player.release()
    instance.release()
    return None if heard is None else heard - target


def rate_ratio(rate: float) -> float:
    """Media time per wall time over 2 s, from the engine's reports."""
    engine = VlcEngine(["--aout=adummy"])
    AudioTap(engine.media_player)
    reports: list[tuple[float, int]] = []
    engine.time_changed.connect(lambda ms: reports.append((time.monotonic(), ms)))
    engine.set_rate(rate)
    engine.load(str(AUDIO_DIR / "beeps.mp3"))
    engine.play()
    wait(500)
    first = len(reports)
    wait(2_000)
    (wall0, media0), (wall1, media1) = reports[first], reports[-1]
    engine.close()
    return (media1 - media0) / ((wall1 - wall0) * 1000)


def describe(values: list[float]) -> str:
    if not values:
        return "no beep heard"
    worst = max(values, key=abs)
    return f"mean {statistics.mean(values):+6.1f} ms, worst {worst:+6.1f} ms, n={len(values)}"


def main() -> None:
    QCoreApplication.instance() or QCoreApplication([])
    print("Start position (resume), heard - asked; time to first audio:")
    for audio_format in FORMATS:
        results = [start_once(audio_format, target) for target in SEEK_TARGETS_MS]
        errors = [error for error, _ in results if error is not None]
        first_audio = [ms for _, ms in results]
        print(
            f"  {audio_format:5} {describe(errors)}; first audio "
            f"median {statistics.median(first_audio):.0f} ms"
        )
    print("Seek while playing, heard - asked:")
    for audio_format in FORMATS:
        print(f"  {audio_format:5} {describe(seek_errors(audio_format))}")
    native = [native_mp3_start_error(target) for target in SEEK_TARGETS_MS[:4]]
    print("For comparison, libvlc's own MP3 demuxer with start-time (Xing/Info header):")
    print("  " + ", ".join("none heard" if e is None else f"{e:+.0f} ms" for e in native))
    print("Rate, media time per wall time (mp3):")
    for rate in RATES:
        ratio = rate_ratio(rate)
        print(f"  {rate:4}x -> {ratio:.3f} ({(ratio / rate - 1) * 100:+.1f} %)")


if __name__ == "__main__":
    main()
