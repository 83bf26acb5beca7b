"""Starts Qt: the application object, the main window, the event loop."""

from __future__ import annotations

import gc
import linecache
import signal
import socket
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType

from PySide6.QtCore import QEvent, QObject, QSize, QSocketNotifier, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from podplayer import __version__
from podplayer.gui.views.main_window import MainWindow
from podplayer.services import RESOURCES_DIR, DesktopServices, Services

# The bundle keeps resources/ next to the package too (packaging/podplayer.spec).
APP_ICON = RESOURCES_DIR / "icons" / "io.github.podplayer.Podplayer.svg"
# The window shows PNGs rendered from APP_ICON (packaging/render_window_icons.py): an SVG icon
# would load Qt's SVG renderer (~1 MB) and draw every size when the window is shown.
WINDOW_ICON_SIZES = (16, 32, 64, 128)


def application() -> QApplication:
    """The one QApplication, created on first use."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setApplicationName("podplayer")
    app.setApplicationDisplayName("podplayer")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("io.github.podplayer.Podplayer")
    app.setWindowIcon(window_icon())
    return app


def window_icon_file(size: int) -> Path:
    return APP_ICON.with_name(f"{APP_ICON.stem}-{size}.png")


def window_icon() -> QIcon:
    icon = QIcon()
    for size in WINDOW_ICON_SIZES:
        icon.addFile(str(window_icon_file(size)), QSize(size, size))
    return icon


class QuitOnSignals(QObject):
    """SIGTERM (a session logout) and SIGINT end the app through the Qt event loop, like a close.

    A Python signal handler only runs between bytecodes, never while Qt waits for events, so the
    signal wakes a socket the event loop watches (signal.set_wakeup_fd) and the quit runs there.
    """

    def __init__(
        self,
        on_signal: Callable[[], None],
        signals: Sequence[int] = (signal.SIGTERM, signal.SIGINT),
    ) -> None:
        super().__init__()
        self._on_signal = on_signal
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        self._previous = {number: signal.signal(number, self._note) for number in signals}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._woken)

    @staticmethod
    def _note(_number: int, _frame: FrameType | None) -> None:
        """The wakeup socket already carries the signal; the work happens in ``_woken``."""

    def _woken(self) -> None:
        try:
            while self._reader.recv(64):
                pass
        except BlockingIOError:
            pass
        self._on_signal()

    def close(self) -> None:
        """Give the signals and the wakeup descriptor back as they were."""
        self._notifier.setEnabled(False)
        signal.set_wakeup_fd(self._previous_fd)
        for number, handler in self._previous.items():
            if handler is not None:  # None: installed outside Python, nothing to give back
                signal.signal(number, handler)
        self._reader.close()
        self._writer.close()


class AfterFirstExpose(QObject):
    """Runs ``callback`` once, after the window is first exposed (mapped and painted), or after
    ``latest_ms`` if no expose comes: work started before would hold back the map request."""

    def __init__(
        self, window: QWidget, callback: Callable[[], None], latest_ms: int = 1000
    ) -> None:
        super().__init__(window)
        self._callback: Callable[[], None] | None = callback
        self._handle = window.windowHandle()
        self._handle.installEventFilter(self)
        QTimer.singleShot(latest_ms, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Expose and self._handle.isExposed():
            QTimer.singleShot(0, self, self._run)  # after the expose has been painted
        return False

    def _run(self) -> None:
        if self._callback is not None:
            callback, self._callback = self._callback, None
            self._handle.removeEventFilter(self)
            callback()


def run_window(
    services: Services,
    start_desktop: Callable[[], DesktopServices] | None = None,
    links: Sequence[str] = (),
) -> int:
    """Show the window; once it is on screen, start the background reads it asked for, resume
    unfinished downloads, start the desktop's ways in (MPRIS, the single-instance socket) and
    hand them ``links``. On the way out the services close first and the single-instance
    socket last: until the library is closed, a new launch hands over instead of opening it."""
    started: list[DesktopServices] = []
    try:
        return _show_window(services, start_desktop, links, started)
    finally:
        services.close()
        for desktop in started:
            desktop.close()


def _show_window(
    services: Services,
    start_desktop: Callable[[], DesktopServices] | None,
    links: Sequence[str],
    started: list[DesktopServices],
) -> int:
    app = application()
    services.background.hold()
    window = MainWindow(services)
    window.show()

    def start_after_paint() -> None:
        gc.enable()  # __main__ turns the collector off while the window is being built
        # PySide6 reads the source of each module imported after it (inspect.getsource, to find
        # `from __feature__` imports) and linecache keeps those lines: ~6 MB nothing reads again.
        linecache.clearcache()
        services.background.release()
        window.restore_downloads()
        window.transcription.start()
        if start_desktop is None:
            return
        desktop = start_desktop()
        started.append(desktop)
        connect_desktop(window, desktop)
        if links:
            desktop.single_instance.receive(links)

    AfterFirstExpose(window, start_after_paint)

    def end_session() -> None:
        window.close()  # saves geometry, splitters and the episode view, as Quit does
        app.quit()

    quit_on_signals = QuitOnSignals(end_session)
    try:
        return app.exec()
    finally:
        quit_on_signals.close()


def connect_desktop(window: MainWindow, desktop: DesktopServices) -> None:
    """What a second launch, media keys and the sound menu ask of the window."""
    desktop.single_instance.raise_requested.connect(lambda: bring_to_front(window))
    desktop.mpris.raise_requested.connect(lambda: bring_to_front(window))
    desktop.mpris.quit_requested.connect(window.close)
    desktop.opener.error.connect(window.show_error)
    desktop.single_instance.url_received.connect(
        lambda url: window.subscriptions.open_add_dialog(window, url)
    )
    window.subscriptions.refresh_finished.connect(desktop.notifier.announce)
    window.add_option(
        "&Notify about new episodes",
        "After a refresh, a desktop notification names the podcasts with new episodes",
        lambda: desktop.notifier.enabled,
        desktop.notifier.set_enabled,
    )


def bring_to_front(window: QWidget) -> None:
    """Un-minimize, show and activate (the window manager may only flash it)."""
    window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()


def show_fatal_error(message: str) -> None:
    """A message box for problems that stop the app before its window exists."""
    application()
    QMessageBox.critical(None, "podplayer cannot start", message)
