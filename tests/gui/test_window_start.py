"""Starting the window loads no SVG renderer (its icon is PNGs), runs the demo, turns the
garbage collector back on, and closes clean."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_started_window_has_its_icon_without_loading_qt_svg(tmp_path: Path) -> None:
    probe = textwrap.dedent(
        f"""
        import gc
        from pathlib import Path
        from PySide6.QtCore import QTimer
        from podplayer.app import build_services
        from podplayer.core.paths import AppPaths
        from podplayer.engine.fake import FakeEngine
        from podplayer.gui.launch import application, run_window
        gc.disable()  # as __main__ does before the imports
        app = application()
        services = build_services(AppPaths.in_folder(Path({str(tmp_path)!r})), FakeEngine())
        podcasts = []

        def quit_once_subscribed():
            podcasts[:] = services.library.podcasts.list()
            if podcasts:
                app.quit()

        poll = QTimer(interval=50, timeout=quit_once_subscribed)
        poll.start()
        QTimer.singleShot(20_000, app.quit)
        run_window(services)  # closes the services on the way out
        print(sorted(size.width() for size in app.windowIcon().availableSizes()))
        print([podcast.title for podcast in podcasts])
        print("libQt6Svg" in Path("/proc/self/maps").read_text())
        print(gc.isenabled())
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    icon_sizes, podcasts, svg_loaded, collecting = result.stdout.splitlines()
    assert icon_sizes == "[16, 32, 64, 128]"
    assert "podplayer" in podcasts.lower()  # the demo was subscribed after the first paint
    assert svg_loaded == "False", result.stderr
    assert collecting == "True"  # the garbage collector is back on once the window is shown
