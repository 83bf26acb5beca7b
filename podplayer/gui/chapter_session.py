"""Keeps the Chapters tab, the seek bar's ticks and the player bar on the episode's chapters.

Chapters are gathered on a worker (a late answer for an episode no longer playing is dropped);
pictures are decoded and shrunk on a worker too. Skip choices and rules go to the preferences
and from there to the controller, which does the skipping.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPixmap
from PySide6.QtWidgets import QInputDialog, QWidget

from podplayer.background import BackgroundWork
from podplayer.core.chapters.chapter_list import ChapterList
from podplayer.core.chapters.loading import ChapterLoader
from podplayer.core.chapters.skipping import SkipPreferences, parse_rules, skipped_indexes
from podplayer.core.models import Chapter, Episode
from podplayer.core.resource_fetch import ResourceFetcher
from podplayer.core.storage.podcasts import PodcastRepository
from podplayer.gui.image_decoding import decoded_image
from podplayer.gui.player_session import PlayerSession
from podplayer.gui.views.chapters_pane import THUMBNAIL, ChaptersPane
from podplayer.gui.views.player_bar import PlayerBar
from podplayer.playback.controller import PlaybackController

LOOKING_TEXT = "Looking for chapters …"
IMAGE_BYTES = 5 * 1024 * 1024


class ChapterSession(QObject):
    """Wires the controller's chapter signals to the views and the views' requests back."""

    def __init__(
        self,
        pane: ChaptersPane,
        bar: PlayerBar,
        controller: PlaybackController,
        player: PlayerSession,
        *,
        loader: ChapterLoader,
        preferences: SkipPreferences,
        podcasts: PodcastRepository,
        background: BackgroundWork,
        fetcher: ResourceFetcher,
    ) -> None:
        super().__init__()
        self._pane = pane
        self._bar = bar
        self._controller = controller
        self._loader = loader
        self._preferences = preferences
        self._podcasts = podcasts
        self._background = background
        self._fetcher = fetcher
        self._pictures: dict[int, QPixmap] = {}  # by index in ChapterList.chapters
        self._marker: int | None = None
        controller.episode_changed.connect(self._episode_changed)
        controller.chapters_changed.connect(self._chapters_changed)
        controller.chapter_changed.connect(self._chapter_changed)
        controller.duration_changed.connect(self._duration_changed)
        controller.position_changed.connect(self._follow_marker)
        controller.chapter_skipped.connect(bar.show_skip_notice)
        bar.previous_chapter_requested.connect(controller.previous_chapter)
        bar.next_chapter_requested.connect(controller.next_chapter)
        bar.undo_skip_requested.connect(controller.undo_chapter_skip)
        pane.seek_requested.connect(player.seek)
        pane.skip_toggled.connect(self.set_skip)
        pane.link_requested.connect(lambda url: QDesktopServices.openUrl(QUrl(url)))
        pane.rules_requested.connect(self.edit_rules)

    def prefetch(self, episode: Episode) -> None:
        """An episode was selected: its chapters file is fetched before it plays."""
        if episode.chapters:
            self._background.submit(self._loader.prefetch, episode, on_error=lambda _exc: None)

    def set_skip(self, index: int, skip: bool) -> None:
        """The user's tick for one chapter of this episode; kept for next time."""
        episode = self._controller.current_episode()
        listed = self._controller.chapters().listed
        if episode is None or episode.id is None or not 0 <= index < len(listed):
            return
        self._preferences.set_choice(episode.id, listed[index].start_ms, skip)
        self._apply_preferences(episode)

    def edit_rules(self, parent: QWidget | None = None) -> None:
        episode = self._controller.current_episode()
        if episode is None:
            return
        # The label names no feed text: QInputDialog's label would render markup in a title.
        text, accepted = QInputDialog.getText(
            parent or self._pane,
            "Skip chapters",
            "In every episode of this podcast, skip chapters whose title contains\n"
            "(separate words with commas, e.g. Sponsor, Ad break):",
            text=", ".join(self._preferences.rules(episode.podcast_id)),
        )
        if accepted:
            self.set_rules(episode.podcast_id, text)

    def set_rules(self, podcast_id: int, text: str) -> None:
        self._preferences.set_rules(podcast_id, parse_rules(text))
        episode = self._controller.current_episode()
        if episode is not None and episode.podcast_id == podcast_id:
            self._apply_preferences(episode)

    def _episode_changed(self, episode: Episode | None) -> None:
        self._bar.hide_skip_notice()
        if episode is None or episode.id is None:
            self._pane.clear()
            return
        self._pane.clear(LOOKING_TEXT)
        self._background.submit(
            self._loader.load,
            episode,
            on_done=lambda chapters: self._loaded(episode, chapters),
            on_error=lambda exc: self._loaded(
                episode, ChapterList(problems=(f"The chapters could not be read ({exc}).",))
            ),
        )

    def _loaded(self, episode: Episode, chapters: ChapterList) -> None:
        current = self._controller.current_episode()
        if current is None or current.id != episode.id:
            return
        self._controller.set_chapters(chapters, self._skipped(episode, chapters))

    def _skipped(self, episode: Episode, chapters: ChapterList) -> set[int]:
        assert episode.id is not None
        choices = self._preferences.choices(episode.id)
        rules = self._preferences.rules(episode.podcast_id)
        return skipped_indexes(chapters.listed, choices, rules)

    def _apply_preferences(self, episode: Episode) -> None:
        skipped = self._skipped(episode, self._controller.chapters())
        self._controller.set_skipped_chapters(skipped)
        self._pane.set_skipped(skipped)
        self._pane.show_rules(self._preferences.rules(episode.podcast_id))

    def _duration_changed(self, duration_ms: int) -> None:
        """Playback measured the episode: chapters starting after its end are left out."""
        chapters = self._controller.chapters()
        trimmed = chapters.within(duration_ms)
        episode = self._controller.current_episode()
        if trimmed is not chapters and episode is not None:
            self._controller.set_chapters(trimmed, self._skipped(episode, trimmed))

    def _chapters_changed(self, chapters: ChapterList) -> None:
        self._pictures = {}
        self._marker = None
        self._bar.show_chapter_picture(None)
        has_chapters = bool(chapters.listed)
        self._bar.seek_bar.set_chapter_marks(chapters.starts())
        self._bar.set_chapters_available(has_chapters)
        self._bar.sleep_button.set_chapters_available(has_chapters)
        episode = self._controller.current_episode()
        if episode is None:
            return  # a new episode's chapters are being looked for (see _episode_changed)
        with_pictures = self._with_pictures(episode, chapters)
        self._pane.show_chapters(
            chapters,
            self._controller.duration_ms(),
            self._controller.skipped_chapters(),
            pictures=any(chapters.chapters[index].toc for index in with_pictures),
        )
        for index in with_pictures:
            self._background.submit(
                self._thumbnail,
                chapters.chapters[index],
                on_done=partial(self._image_ready, chapters, index),
                on_error=lambda _exc: None,
            )
        self._pane.show_rules(self._preferences.rules(episode.podcast_id))
        self._follow_marker(self._controller.position_ms())

    def _chapter_changed(self, index: int) -> None:
        self._pane.set_current(index)
        listed = self._controller.chapters().listed
        self._bar.show_chapter(listed[index].title if 0 <= index < len(listed) else "")

    def _follow_marker(self, position_ms: int) -> None:
        """The picture of the chapter or silent marker playing takes the artwork's place."""
        marker = self._controller.chapters().marker_index_at(position_ms)
        if marker != self._marker:
            self._marker = marker
            self._bar.show_chapter_picture(None if marker is None else self._pictures.get(marker))

    def _with_pictures(self, episode: Episode, chapters: ChapterList) -> list[int]:
        """The chapters and silent markers (indexes in ``chapters.chapters``) with a picture.

        Pictures on the web count only where the podcast's remote images are allowed (as in
        the show notes): a picture URL can track who listens.
        """
        podcast = self._podcasts.get(episode.podcast_id)
        remote_allowed = podcast is not None and podcast.allow_remote_images
        return [
            index
            for index, chapter in enumerate(chapters.chapters)
            if chapter.image_data is not None or (chapter.image_url and remote_allowed)
        ]

    def _thumbnail(self, chapter: Chapter) -> QImage | None:
        """On a worker: the picture's bytes (embedded, or fetched), decoded small and capped."""
        data = chapter.image_data
        if data is None and chapter.image_url:
            data = self._fetcher.get_bytes(chapter.image_url, max_bytes=IMAGE_BYTES)
        return decoded_image(data, THUMBNAIL * 2) if data else None

    def _image_ready(self, chapters: ChapterList, index: int, image: QImage | None) -> None:
        if image is None or self._controller.chapters() is not chapters:
            return
        picture = QPixmap.fromImage(image)
        self._pictures[index] = picture
        chapter = chapters.chapters[index]
        if chapter.toc:
            self._pane.set_image(chapters.listed.index(chapter), picture)
        if index == self._marker:
            self._bar.show_chapter_picture(picture)
