"""The composition root wires downloads: playback prefers the downloaded file, restarts resume."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from podplayer.app import build_services
from podplayer.core.models import Download, DownloadState
from podplayer.core.paths import AppPaths
from podplayer.core.storage.library import Library
from podplayer.engine.fake import FakeEngine
from podplayer.gui.views.main_window import MainWindow
from tests.core.downloads.conftest import add_episode, audio_bytes
from tests.http_server import TestHttpServer


def test_downloaded_episode_plays_from_its_file_and_others_stream(
    app_paths: AppPaths, http_server: TestHttpServer, qapp: QApplication
) -> None:
    http_server.route("/one.mp3", body=audio_bytes(20_000), content_type="audio/mpeg")
    engine = FakeEngine()
    services = build_services(app_paths, engine, synchronous_work=True)
    try:
        downloaded = add_episode(services.library, http_server.url("/one.mp3"), title="Offline")
        streamed = add_episode(services.library, "https://cdn.example/two.mp3", title="Online")
        assert downloaded.id is not None and streamed.id is not None
        services.downloads.start(downloaded.id)
        assert services.downloads.wait_until_idle(15)
        local = services.downloads.local_file_for(downloaded.id)
        assert local is not None and local.is_relative_to(app_paths.downloads_dir)
        services.controller.play_episode(downloaded.id)
        assert engine.source == str(local)
        services.controller.play_episode(streamed.id)
        assert engine.source == "https://cdn.example/two.mp3"
        local.unlink()  # the file went away: stream again instead of failing
        services.controller.play_episode(downloaded.id)
        assert engine.source == http_server.url("/one.mp3")
    finally:
        services.close()


def test_unfinished_downloads_resume_when_the_app_starts(
    app_paths: AppPaths, http_server: TestHttpServer, qapp: QApplication
) -> None:
    body = audio_bytes(50_000)
    http_server.route("/r.mp3", body=body, content_type="audio/mpeg", etag='"r"')
    library = Library.open(app_paths.database)
    episode = add_episode(library, http_server.url("/r.mp3"), title="Half")
    assert episode.id is not None
    final = app_paths.downloads_dir / "Show" / "Half.mp3"
    final.parent.mkdir(parents=True)
    Path(str(final) + ".part").write_bytes(body[:20_000])
    library.downloads.save(
        Download(
            episode.id,
            episode.enclosure_url,
            DownloadState.DOWNLOADING,
            str(final),
            50_000,
            12_000,
            '"r"',
        )
    )
    gone = add_episode(library, http_server.url("/gone.mp3"), title="Gone")
    assert gone.id is not None
    library.downloads.save(
        Download(
            gone.id,
            gone.enclosure_url,
            DownloadState.PAUSED,
            str(final.with_name("Gone.mp3")),
            50_000,
            9_000,
        )
    )
    library.close()
    services = build_services(app_paths, FakeEngine(), synchronous_work=True)
    window = MainWindow(services)
    try:
        assert http_server.requests_for("/r.mp3") == []  # the window comes first
        window.restore_downloads()  # run_window does this once the window is on screen
        assert services.downloads.wait_until_idle(15)
        assert final.read_bytes() == body
        assert http_server.requests_for("/r.mp3")[0].headers["Range"] == "bytes=20000-"
        assert "partial download of “Gone” was missing" in window.banner.label.text()
        listed = {p.episode_id: p.received_bytes for p in window.downloads.current()}
        assert listed[gone.id] == 0
    finally:
        window.close()
        window.deleteLater()
        services.close()
