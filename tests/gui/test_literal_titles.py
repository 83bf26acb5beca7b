"""Markup in feed titles is shown as typed everywhere Qt would otherwise render it as HTML."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtText
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from podplayer.core.downloads import DownloadProgress
from podplayer.core.models import DownloadState, Episode, Podcast
from podplayer.core.paths import AppPaths
from podplayer.engine.fake import FakeEngine
from podplayer.gui.models.downloads_model import DownloadsModel
from podplayer.gui.models.episode_table_model import TITLE_COLUMN
from tests.gui.conftest import EPISODE_MS, open_window

PODCAST_TITLE = '<b>Loud</b> & <img src="file:///etc/hostname"> <a href="x">Show</a>'
EPISODE_TITLE = "<h1>Big</h1> <i>news</i> &amp; <script>alert(1)</script>"


def as_shown(text: str) -> str:
    """What a tooltip, label or message box with automatic format shows for this text."""
    if not QtText.mightBeRichText(text):
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText().replace("\u2029", "\n")


def test_markup_in_titles_is_shown_literally(
    app_paths: AppPaths, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    services, window = open_window(app_paths, qtbot, FakeEngine(default_duration_ms=EPISODE_MS))
    try:
        library = services.library
        podcast = library.podcasts.add(Podcast(url="http://127.0.0.1/x.xml", title=PODCAST_TITLE))
        assert podcast.id is not None
        episode = library.episodes.add(
            Episode(podcast_id=podcast.id, guid="g", title=EPISODE_TITLE, enclosure_url="")
        )
        assert episode.id is not None
        window.podcast_model.reload()
        window.podcasts.select_podcast(podcast.id)
        window.episodes.select_episode(episode.id)

        podcast_row = window.podcast_model.index(1, 0)
        assert podcast_row.data() == PODCAST_TITLE
        tooltip = as_shown(podcast_row.data(Qt.ItemDataRole.ToolTipRole))
        assert tooltip.splitlines()[0] == PODCAST_TITLE
        episode_cell = window.episode_model.index(0, TITLE_COLUMN)
        assert episode_cell.data() == EPISODE_TITLE
        tooltip = as_shown(episode_cell.data(Qt.ItemDataRole.ToolTipRole))
        assert tooltip.splitlines() == [EPISODE_TITLE, PODCAST_TITLE]

        assert window.notes.heading.text() == EPISODE_TITLE
        assert window.notes.heading.textFormat() is Qt.TextFormat.PlainText
        window.player_bar.show_episode(EPISODE_TITLE, PODCAST_TITLE, None)
        assert window.player_bar.title.text() == EPISODE_TITLE
        assert as_shown(window.player_bar.title.toolTip()) == EPISODE_TITLE
        assert as_shown(window.player_bar.podcast.toolTip()) == PODCAST_TITLE
        services.controller.enqueue(episode.id)
        item = window.queue.list.item(0)
        assert as_shown(item.toolTip()) == f"{EPISODE_TITLE} ({PODCAST_TITLE})"

        asked: list[tuple[str, Qt.TextFormat]] = []

        def answer_cancel(box: QMessageBox) -> int:
            asked.append((box.text(), box.textFormat()))
            return 0

        monkeypatch.setattr(QMessageBox, "exec", answer_cancel)
        window.unsubscribe(podcast.id)
        [(question, text_format)] = asked
        assert PODCAST_TITLE in question and text_format is Qt.TextFormat.PlainText
        assert library.podcasts.get(podcast.id) is not None
    finally:
        window.close()
        services.close()


def test_download_rows_show_markup_literally(qtbot: QtBot) -> None:
    model = DownloadsModel()
    model.reset_to(
        [
            DownloadProgress(
                episode_id=1,
                title=EPISODE_TITLE,
                state=DownloadState.FAILED,
                received_bytes=0,
                total_bytes=None,
                bytes_per_second=None,
                seconds_left=None,
                error="<b>HTTP status 404</b>",
                file_path=None,
            )
        ]
    )
    row = model.index(0, 0)
    assert row.data() == EPISODE_TITLE
    tooltip = as_shown(row.data(Qt.ItemDataRole.ToolTipRole))
    assert tooltip == row.data(Qt.ItemDataRole.AccessibleTextRole)
    assert tooltip.startswith(f"{EPISODE_TITLE}\n") and "<b>HTTP status 404</b>" in tooltip
