"""Starting the window loads no SVG renderer (its icon is PNGs), runs the demo, turns the
garbage collector back on, and closes clean."""

from __future__ import annotations

import socket
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


def test_a_synced_library_reads_no_secret_and_opens_no_connection_before_the_first_paint(
    tmp_path: Path,
) -> None:
    """The sync at start waits for the paint: the keyring is not loaded and the server not
    called while the window is built; both happen once it is on screen."""
    setup = textwrap.dedent(
        f"""
        from pathlib import Path
        from podplayer.core.credentials import SecretStore
        from podplayer.core.paths import AppPaths
        from podplayer.core.storage.library import Library
        from podplayer.core.sync.client import ServerKind, SyncAccount
        from podplayer.core.sync.service import PASSWORD_KEY
        paths = AppPaths.in_folder(Path({str(tmp_path)!r}))
        paths.create()
        SecretStore(paths.config_dir).set(PASSWORD_KEY, "secret")
        library = Library.open(paths.database)
        library.sync.start(SyncAccount("http://127.0.0.1:{{port}}", "me", ServerKind.GPODDER, "pc"))
        library.close()
        """
    )
    probe = textwrap.dedent(
        f"""
        import socket, sys, threading
        from pathlib import Path
        from PySide6.QtCore import QEvent, QObject, QTimer
        from podplayer.app import build_services
        from podplayer.core.paths import AppPaths
        from podplayer.engine.fake import FakeEngine
        from podplayer.gui.launch import application, run_window
        server = socket.create_server(("127.0.0.1", int(sys.argv[1])))
        connections = []

        def answer_by_hanging_up():
            connection, _address = server.accept()
            connections.append(connection)
            connection.close()  # the sync fails at once: the app need not wait to quit

        threading.Thread(target=answer_by_hanging_up, daemon=True).start()
        at_paint = []

        class FirstExpose(QObject):
            def eventFilter(self, watched, event):
                if event.type() == QEvent.Type.Expose and not at_paint:
                    at_paint.append(("keyring" in sys.modules, len(connections)))
                return False

        app = application()
        watcher = FirstExpose()
        app.installEventFilter(watcher)
        services = build_services(AppPaths.in_folder(Path({str(tmp_path)!r})), FakeEngine())
        poll = QTimer(interval=50, timeout=lambda: connections and app.quit())
        poll.start()
        QTimer.singleShot(20_000, app.quit)
        run_window(services)
        print(at_paint[0][0], at_paint[0][1], "keyring" in sys.modules, len(connections))
        """
    )
    with socket.socket() as finder:  # a free port for the sync server
        finder.bind(("127.0.0.1", 0))
        port = finder.getsockname()[1]
    subprocess.run([sys.executable, "-c", setup.replace("{port}", str(port))], cwd=ROOT, check=True)
    result = subprocess.run(
        [sys.executable, "-c", probe, str(port)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    keyring_at_paint, connections_at_paint, keyring_later, connections_later = result.stdout.split()
    assert (keyring_at_paint, connections_at_paint) == ("False", "0"), result.stderr
    assert (keyring_later, connections_later) == ("True", "1"), result.stderr
