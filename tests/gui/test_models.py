"""The Qt models over the library: paging at 100,000 episodes, sorting, views, podcast rows."""

from __future__ import annotations

import gc
import time
import tracemalloc
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from podplayer.background import BackgroundWork
from podplayer.core.http import HttpClient
from podplayer.core.models import EpisodeView, Podcast, RefreshStatus
from podplayer.core.paths import AppPaths
from podplayer.core.resource_fetch import ResourceFetcher
from podplayer.core.storage.library import Library
from podplayer.gui.models.artwork import ArtworkProvider
from podplayer.gui.models.episode_table_model import (
    DURATION_COLUMN,
    PAGES_KEPT,
    TITLE_COLUMN,
    EpisodeTableModel,
)
from podplayer.gui.models.podcast_list_model import (
    PODCAST_ID_ROLE,
    PROBLEM_ROLE,
    UNPLAYED_ROLE,
    PodcastListModel,
)
from podplayer.gui.views.episode_list_view import EpisodeListView
from tests.http_server import TestHttpServer
from tests.library_factory import fill_library


def test_episode_table_pages_100000_rows(qtbot: QtBot, app_paths: AppPaths) -> None:
    library = Library.open(app_paths.database)
    fill_library(library, 100, 1000)
    model = EpisodeTableModel(library, BackgroundWork(synchronous=True))
    view = EpisodeListView(model)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    view.set_podcast(None)
    assert model.rowCount() == 100_000
    assert view.count_label.text() == "100,000 episodes"
    started = time.perf_counter()
    for row in range(0, 100_000, 997):
        view.table.scrollTo(model.index(row, TITLE_COLUMN))
        qtbot.wait(0)
    scrolled = time.perf_counter() - started
    last = model.index(99_999, TITLE_COLUMN).data()
    assert last.startswith("Episode 00000 of podcast")
    assert len(model._pages) <= PAGES_KEPT
    print(f"scrolled through 100,000 episodes in {scrolled:.2f} s")
    library.close()


def test_episode_ids_are_kept_compactly(qtbot: QtBot, app_paths: AppPaths) -> None:
    library = Library.open(app_paths.database)
    fill_library(library, 100, 1000)
    model = EpisodeTableModel(library, BackgroundWork(synchronous=True))
    gc.collect()
    tracemalloc.start()
    try:
        model.reload()
        gc.collect()
        kept, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert model.rowCount() == 100_000
    assert model.episode_id(99_999) is not None
    print(f"memory kept by the episode list for 100,000 ids: {kept / 1e6:.2f} MB")
    assert kept < 1_500_000  # a list of Python ints kept ~3.6 MB
    library.close()


def test_sort_filter_and_view_selector(qtbot: QtBot, app_paths: AppPaths) -> None:
    library = Library.open(app_paths.database)
    [first, _second] = fill_library(library, 2, 20)
    model = EpisodeTableModel(library, BackgroundWork(synchronous=True))
    view = EpisodeListView(model)
    qtbot.addWidget(view)
    view.set_podcast(first)
    assert model.rowCount() == 20
    view.table.sortByColumn(DURATION_COLUMN, Qt.SortOrder.AscendingOrder)
    durations = [model.summary(row).duration_s for row in range(20)]  # type: ignore[union-attr]
    assert durations == sorted(durations)  # type: ignore[type-var]
    view.view_selector.setCurrentIndex(view.view_selector.findData(EpisodeView.PLAYED))
    assert model.rowCount() == 4
    qtbot.keyClicks(view.filter_box, "00015")
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert model.index(0, TITLE_COLUMN).data() == "Episode 00015 of podcast 0"
    library.close()


def test_podcast_rows_show_counts_and_problems(
    qtbot: QtBot, app_paths: AppPaths, tmp_path: Path
) -> None:
    library = Library.open(app_paths.database)
    [first, second] = fill_library(library, 2, 10)
    broken = library.podcasts.get(second)
    assert broken is not None
    broken.refresh_status = RefreshStatus.GONE
    broken.refresh_error = "The server answered 410 Gone."
    broken.title = "<b>Markup</b> & Co"
    library.podcasts.update(broken)
    model = PodcastListModel(
        library,
        ArtworkProvider(
            ResourceFetcher(HttpClient(), [tmp_path]),
            BackgroundWork(synchronous=True),
            app_paths.artwork_cache_dir,
        ),
        BackgroundWork(synchronous=True),
    )
    assert model.rowCount() == 3
    assert model.index(0, 0).data() == "All podcasts"
    assert model.index(0, 0).data(UNPLAYED_ROLE) == 16
    rows = {model.index(row, 0).data(PODCAST_ID_ROLE): row for row in (1, 2)}
    good, gone = model.index(rows[first], 0), model.index(rows[second], 0)
    assert good.data(PROBLEM_ROLE) == ""
    assert "410 Gone" in gone.data(PROBLEM_ROLE)
    assert "410 Gone" in gone.data(Qt.ItemDataRole.ToolTipRole)
    assert gone.data() == "<b>Markup</b> & Co"
    assert "&lt;b&gt;Markup&lt;/b&gt; &amp; Co" in gone.data(Qt.ItemDataRole.ToolTipRole)
    assert not gone.data(Qt.ItemDataRole.DecorationRole).isNull()
    library.close()


def test_artwork_is_fetched_once_and_bad_artwork_leaves_a_tile(
    qtbot: QtBot, app_paths: AppPaths, http_server: TestHttpServer, tmp_path: Path
) -> None:
    image = QImage(300, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]
    http_server.route("/good.png", body=bytes(buffer.data().data()), content_type="image/png")
    http_server.route("/bad.png", body=b"<html>not an image</html>", content_type="image/png")
    secret = tmp_path / "secret.png"
    secret.write_bytes(bytes(buffer.data().data()))
    artwork = ArtworkProvider(
        ResourceFetcher(HttpClient(), [tmp_path / "bundled"]),
        BackgroundWork(synchronous=True),
        app_paths.artwork_cache_dir,
    )
    changed: list[int] = []
    artwork.artwork_changed.connect(changed.append)
    good = Podcast(url="x", id=1, title="Good", image_url=http_server.url("/good.png"))
    bad = Podcast(url="y", id=2, title="Bad", image_url=http_server.url("/bad.png"))
    local = Podcast(url="z", id=3, title="Local", image_url=secret.as_uri())
    for podcast in (good, bad, local):
        artwork.icon(podcast)
    assert changed == [1]
    stored = QImage(str(artwork.cached_file(1, good.image_url)))
    assert (stored.width(), stored.height()) == (256, 170)  # shrunk, re-encoded
    assert stored.pixelColor(10, 10) == QColor("red")
    assert not artwork.cached_file(2, bad.image_url).exists()
    assert not artwork.cached_file(3, local.image_url).exists()
    for podcast in (good, bad, local):
        artwork.icon(podcast)
    assert len(http_server.requests_for("/good.png")) == 1
    assert len(http_server.requests_for("/bad.png")) == 1


def test_stored_artwork_is_decoded_on_a_worker_and_the_row_is_blank_until_then(
    qtbot: QtBot, app_paths: AppPaths, tmp_path: Path
) -> None:
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    picture = QImage(600, 600, QImage.Format.Format_RGB32)
    picture.fill(QColor("blue"))
    assert picture.save(str(bundled / "art.png"))
    (bundled / "broken.png").write_bytes(b"not a picture")
    background = BackgroundWork()
    artwork = ArtworkProvider(
        ResourceFetcher(HttpClient(), [bundled]), background, app_paths.artwork_cache_dir
    )
    stored = Podcast(url="x", id=1, title="Stored", image_url=(bundled / "art.png").as_uri())
    broken = Podcast(url="y", id=2, title="Broken", image_url=(bundled / "broken.png").as_uri())
    try:
        with qtbot.waitSignals([artwork.artwork_changed] * 2, timeout=10_000):
            waiting = artwork.icon(stored).pixmap(64, 64).toImage()
            artwork.icon(broken)
        assert waiting.pixelColor(32, 32).alpha() == 0  # blank while the worker decodes
        shown = artwork.icon(stored).pixmap(64, 64).toImage()
        assert (shown.width(), shown.height()) == (64, 64)
        assert shown.pixelColor(32, 32) == QColor("blue")
        tile = artwork.icon(broken).pixmap(64, 64).toImage()
        assert tile.pixelColor(2, 2).alpha() == 255  # the lettered tile
    finally:
        background.shutdown()
