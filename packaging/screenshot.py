"""Takes docs/screenshot.png: the main window playing the demo episode, transcript following.

Run under a virtual display: ``make screenshot`` (xvfb-run; audio goes to libvlc's dummy output).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from podplayer.app import build_services
from podplayer.core.paths import AppPaths
from podplayer.core.sleep_timer import SleepChoice
from podplayer.engine.base import PlaybackState
from podplayer.engine.vlc import VlcEngine
from podplayer.gui.launch import application
from podplayer.gui.views.main_window import MainWindow

OUTPUT = Path(__file__).resolve().parent.parent / "docs" / "screenshot.png"
START_MS = 14_000
RATE = 1.25


def _wait(seconds: float, until: object = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        if callable(until) and until():
            return
        time.sleep(0.01)


def main() -> int:
    application()
    with tempfile.TemporaryDirectory(prefix="podplayer-shot-") as folder:
        services = build_services(
            AppPaths.in_folder(Path(folder)), VlcEngine(instance_args=["--aout=adummy"])
        )
        window = MainWindow(services)
        window.resize(1360, 820)
        window.show()
        _wait(2.0, lambda: window.episode_model.rowCount() > 0)
        episode_id = window.episode_model.episode_id(0)
        if episode_id is None:
            print("The demo podcast did not appear.", file=sys.stderr)
            return 1
        controller = services.controller
        controller.error.connect(lambda message: print(message, file=sys.stderr))
        window.episodes.select_episode(episode_id)
        window.player.play_episode(episode_id, START_MS)
        _wait(5.0, lambda: controller.state() is PlaybackState.PLAYING)
        controller.set_rate(RATE)
        controller.set_sleep_timer(SleepChoice.MINUTES_30)
        _wait(2.5)
        window.grab().save(str(OUTPUT))
        print(f"{OUTPUT} at {controller.position_ms() / 1000:.1f} s, state {controller.state()}")
        window.close()
        services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
