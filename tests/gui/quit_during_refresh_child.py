"""The real window (podplayer.app.run_gui) told to refresh all, then closed, for a timed test.

Usage: python -m tests.gui.quit_during_refresh_child DATA_DIR
Prints "REFRESHING" once the refresh started, "CLOSING" as it closes the window 1 s later,
and "SOCKET <yes|no>" as the services start closing: whether the single-instance socket still
listens then (it must, so that a launch meanwhile hands over instead of opening the library).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer

from podplayer.app import run_gui
from podplayer.desktop.single_instance import socket_name
from podplayer.gui.launch import application
from podplayer.gui.views.main_window import MainWindow
from podplayer.services import Services


def main(data_dir: Path) -> int:
    qt_app = application()
    socket_file = Path(socket_name(data_dir))
    real_close = Services.close

    def close_and_tell(services: Services) -> None:
        print(f"SOCKET {'yes' if socket_file.exists() else 'no'}", flush=True)
        real_close(services)

    Services.close = close_and_tell  # type: ignore[method-assign,assignment]

    def refresh_then_close() -> None:
        windows = [w for w in qt_app.topLevelWidgets() if isinstance(w, MainWindow)]
        if not windows or not socket_file.exists():
            QTimer.singleShot(100, refresh_then_close)  # not shown, or not listening, yet
            return
        window = windows[0]
        window.subscriptions.refresh_all()
        print("REFRESHING", flush=True)

        def close() -> None:
            print("CLOSING", flush=True)
            window.close()

        QTimer.singleShot(1000, close)

    QTimer.singleShot(200, refresh_then_close)
    return run_gui(data_dir)


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
