"""Unsubscribing from the window while an episode downloads: the window asks about the files,
the downloads stop first, and nothing is left behind. Real downloads from 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from podplayer.core.models import Episode, Podcast
from tests.core.downloads.conftest import audio_bytes, wait_for_bytes
from tests.gui.conftest import WindowRig
from tests.http_server import TestHttpServer

SIZE = 200_000


@pytest.fixture
def held_back(http_server: TestHttpServer) -> Iterator[threading.Event]:
    release = threading.Event()
    body = audio_bytes(SIZE)

    def half_then_wait(request) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "audio/mpeg")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body[:50_000])
        request.wfile.flush()
        release.wait(20)
        request.wfile.write(body[50_000:])

    http_server.route("/slow.mp3", handler=half_then_wait)
    http_server.route("/done.mp3", body=audio_bytes(SIZE, seed=2), content_type="audio/mpeg")
    yield release
    release.set()


def answer_with(button_text: str, seen: list[str]) -> None:
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    seen.append(box.text())
    [button] = [b for b in box.buttons() if b.text() == button_text]
    button.click()


@pytest.mark.parametrize("delete", [True, False])
def test_unsubscribe_during_a_download_asks_about_the_files(
    window_rig: WindowRig,
    http_server: TestHttpServer,
    held_back: threading.Event,
    qtbot: QtBot,
    delete: bool,
) -> None:
    services, window = window_rig.services, window_rig.window
    library, manager = services.library, services.downloads
    podcast = library.podcasts.add(Podcast(url="https://feeds.example/leaving", title="Leaving"))
    assert podcast.id is not None
    done, running = (
        library.episodes.add(
            Episode(
                podcast_id=podcast.id, guid=name, title=name, enclosure_url=http_server.url(path)
            )
        )
        for name, path in (("Done", "/done.mp3"), ("Running", "/slow.mp3"))
    )
    window.download([done.id])  # type: ignore[list-item]
    assert manager.wait_until_idle(10)
    finished = manager.local_file_for(done.id)  # type: ignore[arg-type]
    assert finished is not None
    window.download([running.id])  # type: ignore[list-item]
    wait_for_bytes(manager, running.id, 50_000)

    seen: list[str] = []
    choice = "Unsubscribe and delete files" if delete else "Unsubscribe, keep files"
    QTimer.singleShot(0, lambda: answer_with(choice, seen))
    window.unsubscribe(podcast.id)
    qtbot.waitUntil(lambda: library.podcasts.get(podcast.id) is None, timeout=5_000)  # type: ignore[arg-type]
    assert seen and "1 downloaded file of this podcast is on disk" in seen[0]
    assert manager.wait_until_idle(5)
    assert finished.exists() is not delete
    leftovers = [p for p in manager.download_folder().rglob("*") if p.is_file()]
    assert leftovers == ([] if delete else [finished])
    status = window.statusBar().currentMessage()
    assert ("1 downloaded file deleted" in status) is delete
    qtbot.waitUntil(lambda: window.downloads.current() == [], timeout=5_000)
