"""The main window: composes the views and wires them; holds no feed, storage or playback logic."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from podplayer.core.settings import SKIP_BACK_MS, SKIP_FORWARD_MS
from podplayer.engine.base import PlaybackState
from podplayer.gui.accessibility import announce
from podplayer.gui.chapter_session import ChapterSession
from podplayer.gui.downloads_session import DownloadsSession
from podplayer.gui.focus_areas import FocusAreas
from podplayer.gui.library_session import LibraryActions
from podplayer.gui.models.artwork import ArtworkProvider
from podplayer.gui.models.episode_table_model import EpisodeTableModel
from podplayer.gui.models.podcast_list_model import PodcastListModel
from podplayer.gui.player_session import PlayerSession
from podplayer.gui.search_session import SearchSession
from podplayer.gui.subscriptions import SubscriptionActions
from podplayer.gui.sync_session import SyncSession
from podplayer.gui.transcript_session import TranscriptSession
from podplayer.gui.transcription_session import TranscriptionSession
from podplayer.gui.ui_state import UiState
from podplayer.gui.views.chapters_pane import ChaptersPane
from podplayer.gui.views.downloads_view import DownloadsView
from podplayer.gui.views.episode_list_view import EpisodeListView
from podplayer.gui.views.library_search_view import LibrarySearchView
from podplayer.gui.views.message_banner import MessageBanner
from podplayer.gui.views.player_bar import PlayerBar
from podplayer.gui.views.podcast_list_view import PodcastListView
from podplayer.gui.views.queue_view import QueueView
from podplayer.gui.views.refresh_status import RefreshStatusWidget
from podplayer.gui.views.show_notes_view import ShowNotesView
from podplayer.gui.views.transcript_pane import TranscriptPane
from podplayer.gui.views.transcription_jobs_view import TranscriptionJobsView
from podplayer.playback.speed import SPEED_PRESETS
from podplayer.services import Services

if TYPE_CHECKING:
    from podplayer.gui.views.settings_dialog import SettingsDialog

STATUS_SECONDS = 8


class MainWindow(QMainWindow):
    """Podcasts | episodes over show notes | transcript, with the player bar below."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        library = services.library
        self.setWindowTitle("podplayer")
        self.resize(1280, 800)
        self.ui_state = UiState(services.paths.ui_state_file)
        self.artwork = ArtworkProvider(
            services.fetcher, services.background, services.paths.artwork_cache_dir
        )

        self.subscriptions = SubscriptionActions(
            services.feeds,
            library,
            services.downloads,
            services.background,
            fetcher=services.fetcher,
            demo_feed=services.demo_feed,
            directories=services.directories,
            artwork=self.artwork,
        )
        self.library_actions = LibraryActions(library, services.downloads, services.background)
        self.sync = SyncSession(services.sync, services.background, library, self)
        self.refresh_status = RefreshStatusWidget()
        self.statusBar().addPermanentWidget(self.refresh_status)
        self.banner = MessageBanner()
        self.podcast_model = PodcastListModel(library, self.artwork, services.background)
        self.podcasts = PodcastListView(self.podcast_model)
        self.episode_model = EpisodeTableModel(library, services.background)
        self.episodes = EpisodeListView(self.episode_model)
        self.notes = ShowNotesView(services.background, services.fetcher.get_bytes)
        self.queue = QueueView()
        self.download_session = DownloadsSession(services.downloads, services.background)
        self.downloads = DownloadsView(self.download_session)
        self.transcript = TranscriptPane()
        self.transcription_jobs = TranscriptionJobsView()
        self.search_view = LibrarySearchView()
        self.chapters = ChaptersPane()
        self.player_bar = PlayerBar(SPEED_PRESETS)
        self.player = PlayerSession(
            services.controller,
            self.player_bar,
            library=library,
            artwork=self.artwork,
            ui_state=self.ui_state,
        )
        self.transcript_session = TranscriptSession(
            self.transcript,
            services.controller,
            self.player,
            services.transcripts,
            services.background,
            podcasts=library.podcasts,
            search=services.search,
        )
        self.transcription = TranscriptionSession(
            services.transcription,
            services.generated_transcripts,
            library,
            services.settings,
            transcripts=self.transcript_session,
            pane=self.transcript,
            jobs_view=self.transcription_jobs,
            background=services.background,
        )
        self.chapter_session = ChapterSession(
            self.chapters,
            self.player_bar,
            services.controller,
            self.player,
            loader=services.chapters,
            preferences=library.chapter_preferences,
            podcasts=library.podcasts,
            background=services.background,
            fetcher=services.fetcher,
        )

        self.search = SearchSession(
            self.search_view,
            index=services.search,
            prefetcher=services.transcript_prefetcher,
            background=services.background,
            player=self.player,
            controller=services.controller,
            artwork=self.artwork,
        )

        self.side_tabs = side = QTabWidget()
        side.addTab(self.podcasts, "Podcasts")
        side.addTab(self.queue, "Up Next")
        side.setTabToolTip(1, "Episodes that play next")
        downloads_area = QScrollArea()
        downloads_area.setWidget(self.downloads)
        downloads_area.setWidgetResizable(True)
        downloads_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.downloads_splitter = QSplitter(Qt.Orientation.Vertical)
        self.downloads_splitter.addWidget(downloads_area)
        self.downloads_splitter.addWidget(self.transcription_jobs)
        self.downloads_splitter.setSizes([450, 200])
        side.addTab(self.downloads_splitter, "Downloads")
        side.setTabToolTip(2, "Episodes being downloaded, and transcripts being made")
        self.middle_splitter = QSplitter(Qt.Orientation.Vertical)
        self.middle_tabs = QTabWidget()
        self.middle_tabs.addTab(self.episodes, "Episodes")
        self.middle_tabs.addTab(self.search_view, "Search")
        self.middle_tabs.setTabToolTip(1, "Search every transcript, show note and title")
        self.middle_splitter.addWidget(self.middle_tabs)
        self.middle_splitter.addWidget(self.notes)
        self.middle_splitter.setSizes([430, 270])
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.addWidget(side)
        self.main_splitter.addWidget(self.middle_splitter)
        self.right_tabs = QTabWidget()
        self.right_tabs.addTab(self.transcript, "Transcript")
        self.right_tabs.addTab(self.chapters, "Chapters")
        self.right_tabs.setTabToolTip(
            1, "Chapters of the episode that plays; untick one to skip it"
        )
        self.main_splitter.addWidget(self.right_tabs)
        self.main_splitter.setStretchFactor(1, 1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.banner)
        layout.addWidget(self.main_splitter, 1)
        layout.addWidget(self.player_bar)
        self.setCentralWidget(central)

        self._option_states: list[tuple[QAction, Callable[[], bool]]] = []
        self.focus_areas = FocusAreas(
            [
                self.side_tabs,
                self.episodes,
                self.search_view,  # the tab not shown is passed over
                self.notes,
                self.transcript,
                self.chapters,  # the tab not shown is passed over
                self.player_bar,
            ]
        )
        # Before the wiring: the restored episode changes nothing in the lists to reload.
        self.player.restore_last_episode()
        self._wire()
        self._build_menus()
        self.add_option(
            "&Transcribe new episodes automatically",
            "Make a transcript on this computer for each new episode without one "
            "(downloaded episodes first)",
            self.transcription.automatic_everywhere,
            self.transcription.set_automatic_everywhere,
        )
        self.transcription.fill_model_menu(self._settings_menu.addMenu("Speech &model"))
        self._laid_out = self.ui_state.restore_window(self, self._splitters())
        remembered = self.ui_state.episode_query()
        if self.podcast_model.row_of(remembered.podcast_id) == 0:
            remembered = dataclasses.replace(remembered, podcast_id=None)
        self.episodes.show_query(remembered)
        self.podcasts.select_podcast(remembered.podcast_id)
        self._show_queue()
        self.search.set_podcasts(self.podcast_model.podcasts())
        self.search.fetch_transcripts()  # waits for the window's first paint (BackgroundWork)
        if not self.podcast_model.podcasts():
            self.subscriptions.offer_demo()
        for notice in library.notices:
            self.show_error(notice)
        if services.playback_unavailable:
            self.show_error(services.playback_unavailable)
        self.sync.start()

    def _splitters(self) -> dict[str, QSplitter]:
        return {
            "main": self.main_splitter,
            "middle": self.middle_splitter,
            "downloads": self.downloads_splitter,
        }

    def _wire(self) -> None:
        controller = self.services.controller
        self.podcasts.podcast_selected.connect(self.episodes.set_podcast)
        self.podcasts.unsubscribe_requested.connect(self.unsubscribe)
        self.podcasts.refresh_requested.connect(self.subscriptions.refresh_one)
        subscriptions = self.subscriptions
        subscriptions.library_changed.connect(self._library_changed)
        subscriptions.message.connect(self.show_status)
        subscriptions.error.connect(self.show_error)
        subscriptions.refresh_started.connect(self.refresh_status.started)
        subscriptions.refresh_progress.connect(self.refresh_status.advanced)
        subscriptions.refresh_finished.connect(self.refresh_status.finished)
        subscriptions.refresh_finished.connect(self.library_actions.auto_download_after_refresh)
        subscriptions.unsubscribed.connect(self._unsubscribed)
        subscriptions.unsubscribed.connect(lambda _id: self.transcription.forget_removed_jobs())
        self.search.episode_requested.connect(self._reveal_episode)
        self.search.message.connect(self.show_status)
        actions = self.library_actions
        actions.changed.connect(self._refresh_lists)
        actions.remote_images_changed.connect(self._remote_images_changed)
        actions.message.connect(self.show_status)
        actions.error.connect(self.show_error)
        self.podcasts.remote_images_toggled.connect(actions.set_allow_remote_images)
        self.podcasts.auto_download_toggled.connect(actions.set_auto_download)
        self.podcasts.transcribes_automatically = self.transcription.automatic_for
        self.podcasts.auto_transcribe_toggled.connect(self.transcription.set_automatic_for)
        subscriptions.refresh_finished.connect(self.transcription.after_refresh)
        self.transcription.message.connect(self.show_status)
        self.downloads.files_changed.connect(self._refresh_lists)
        self.downloads.progress_changed.connect(self.episode_model.show_download)
        self.downloads.listed.connect(self._show_downloads_on_episodes)
        self.download_session.notices.connect(self._show_notices)
        self._show_downloads_on_episodes()
        self.episodes.episode_selected.connect(self._show_notes_for)
        self.episodes.play_requested.connect(self.player.play_episode)
        self.episodes.played_requested.connect(self.mark_played)
        self.episodes.enqueue_requested.connect(controller.enqueue)
        self.episodes.play_next_requested.connect(controller.enqueue_next)
        self.episodes.download_requested.connect(self.download)
        self.episodes.transcribe_requested.connect(self.transcription.transcribe_episodes)
        self.notes.seek_requested.connect(self._seek_from_notes)
        self.notes.remote_images_allowed.connect(
            lambda pid: actions.set_allow_remote_images(pid, True)
        )
        self.notes.message.connect(self.show_status)
        self.queue.play_requested.connect(self.player.play_episode)
        self.queue.remove_requested.connect(controller.remove_from_queue)
        self.queue.move_requested.connect(controller.move_in_queue)
        controller.queue_changed.connect(self._show_queue)
        controller.error.connect(self.show_error)
        controller.notice.connect(self.show_status)
        controller.episode_changed.connect(lambda _episode: self._refresh_lists())
        self.sync.message.connect(self.show_status)
        self.sync.error.connect(self.show_error)
        self.sync.library_changed.connect(self._library_changed)
        self.sync.library_changed.connect(self.transcription.forget_removed_jobs)
        self.sync.unsubscribed.connect(self._unsubscribed)  # as the window's own Unsubscribe
        self.sync.subscribed.connect(subscriptions.refresh)
        subscriptions.refresh_finished.connect(self.sync.after_refresh)
        controller.state_changed.connect(self._sync_after_pause)

    def _build_menus(self) -> None:
        self._menu_actions(
            "&File",
            [
                ("&Add podcast…", "Ctrl+L", lambda: self.subscriptions.open_add_dialog(self)),
                ("&Refresh all", "Ctrl+R", self.subscriptions.refresh_all),
                ("&Import subscriptions (OPML)…", "", lambda: self.subscriptions.import_opml(self)),
                ("&Export subscriptions (OPML)…", "", lambda: self.subscriptions.export_opml(self)),
                ("&Quit", QKeySequence.StandardKey.Quit, self.close),
            ],
        )
        find, *_ = self._menu_actions(
            "&Episode",
            [
                ("&Find episodes", QKeySequence.StandardKey.Find, self._focus_episode_filter),
                ("&Search the library", "Ctrl+Shift+F", self._focus_search),
                ("Mark as &played", "Ctrl+M", lambda: self._mark_selected(True)),
                ("Mark as &unplayed", "Ctrl+Shift+M", lambda: self._mark_selected(False)),
            ],
        )
        # Ctrl+F filters episodes except inside the transcript pane, which has its own find.
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        for area in (self.side_tabs, self.middle_splitter, self.player_bar, self.banner):
            area.addAction(find)
        player = self.player
        _, self._back_action, self._forward_action, *_ = self._menu_actions(
            "&Playback",
            [
                ("&Play or pause", "Space", self._space_pressed),
                ("&Back 10 seconds", "Left", player.skip_back),
                ("&Forward 30 seconds", "Right", player.skip_forward),
                ("Pre&vious chapter", "Ctrl+Left", self.services.controller.previous_chapter),
                ("&Next chapter", "Ctrl+Right", self.services.controller.next_chapter),
                ("&Slower", "[", lambda: player.step_speed(-1)),
                ("F&aster", "]", lambda: player.step_speed(+1)),
                ("&Read current transcript line", "Ctrl+T", self.read_current_line),
            ],
        )
        self._menu_actions(
            "&View",
            [
                ("&Next area", "F6", lambda: self.focus_areas.move(+1)),
                ("&Previous area", "Shift+F6", lambda: self.focus_areas.move(-1)),
            ],
        )
        self._settings_menu = self.menuBar().addMenu("&Settings")
        preferences = self._settings_menu.addAction("&Preferences…")
        preferences.setShortcut(QKeySequence(QKeySequence.StandardKey.Preferences))
        if preferences.shortcut().isEmpty():
            preferences.setShortcut(QKeySequence("Ctrl+,"))
        preferences.setMenuRole(QAction.MenuRole.PreferencesRole)
        preferences.triggered.connect(self.open_settings)
        self._settings_menu.addAction("S&ync…").triggered.connect(self.open_sync_settings)
        self._settings_menu.addSeparator()
        self._settings_menu.aboutToShow.connect(self._show_option_states)
        self._show_skip_lengths()
        (shortcuts,) = self._menu_actions(
            "&Help", [("&Keyboard shortcuts", "Ctrl+?", self.show_shortcuts)]
        )
        shortcuts.setShortcuts([QKeySequence("Ctrl+?"), QKeySequence("F1")])

    def add_option(
        self,
        text: str,
        tooltip: str,
        checked: Callable[[], bool],
        on_toggled: Callable[[bool], None],
    ) -> QAction:
        """A check item in the Settings menu, for a setting a service outside the window keeps;
        ``checked`` is asked again each time the menu opens (the Settings dialog may change it)."""
        action = self._settings_menu.addAction(text)
        action.setCheckable(True)
        action.setChecked(checked())
        action.setToolTip(tooltip)
        action.setStatusTip(tooltip)
        action.toggled.connect(on_toggled)
        self._option_states.append((action, checked))
        return action

    def open_settings(self) -> SettingsDialog:
        """The Settings dialog, modal to the window."""
        from podplayer.gui.views.settings_dialog import SettingsDialog, default_pages
        from podplayer.gui.views.settings_pages.sync import SyncPage
        from podplayer.gui.views.settings_pages.transcription import TranscriptionPage

        settings = self.services.settings
        pages = [
            *default_pages(settings),
            TranscriptionPage(settings, self.transcription),
            SyncPage(self.sync),
        ]
        dialog = SettingsDialog(pages, self)
        dialog.applied.connect(self._show_skip_lengths)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def open_sync_settings(self) -> SettingsDialog:
        """Settings > Sync…: the account, Sync now, and how the last sync went."""
        dialog = self.open_settings()
        dialog.show_page("Sync")
        return dialog

    def _sync_after_pause(self, state: PlaybackState) -> None:
        if state in (PlaybackState.PAUSED, PlaybackState.STOPPED, PlaybackState.ENDED):
            self.sync.request_soon()

    def _show_skip_lengths(self) -> None:
        settings = self.services.settings
        back_s = settings.get(SKIP_BACK_MS) // 1000
        forward_s = settings.get(SKIP_FORWARD_MS) // 1000
        self._back_action.setText(f"&Back {back_s} seconds")
        self._forward_action.setText(f"&Forward {forward_s} seconds")
        self.player_bar.show_skip_lengths(back_s, forward_s)

    def _show_option_states(self) -> None:
        for action, checked in self._option_states:
            blocked = action.blockSignals(True)
            action.setChecked(checked())
            action.blockSignals(blocked)

    def _menu_actions(
        self, title: str, entries: list[tuple[str, QKeySequence.StandardKey | str, object]]
    ) -> list[QAction]:
        menu = self.menuBar().addMenu(title)
        actions = []
        for text, keys, handler in entries:
            action = menu.addAction(text)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(handler)
            actions.append(action)
        return actions

    def read_current_line(self) -> None:
        """Speak the transcript line playing now (a screen reader's "where am I" for the audio)."""
        line = self.transcript.current_line_text()
        announce(self.transcript, line or "No transcript line is playing.")

    def show_shortcuts(self) -> None:
        from podplayer.gui.views.shortcuts_dialog import ShortcutsDialog

        ShortcutsDialog(self.menuBar(), self).exec()

    def _space_pressed(self) -> None:
        """Space plays or pauses, except that a focused button, list box or row with a tick
        (a chapter) keeps its Space."""
        focus = QApplication.focusWidget()
        if isinstance(focus, QAbstractButton):
            focus.animateClick()
        elif isinstance(focus, QComboBox):
            focus.showPopup()
        elif isinstance(focus, QAbstractItemView) and toggle_tick(focus):
            return
        else:
            self.player.toggle_play_pause()

    def show_error(self, sentence: str) -> None:
        """Problems go to the banner: non-modal, and it stays until read and closed."""
        self.banner.show_message(sentence)

    def show_status(self, sentence: str) -> None:
        self.statusBar().showMessage(sentence, STATUS_SECONDS * 1000)
        announce(self.statusBar(), sentence)

    def mark_played(self, episode_ids: list[int], played: bool) -> None:
        self.library_actions.mark_played(episode_ids, played)

    def unsubscribe(self, podcast_id: int) -> None:
        self.subscriptions.unsubscribe(podcast_id, self)

    def _unsubscribed(self, podcast_id: int) -> None:
        self.artwork.forget(podcast_id)
        self.player.stop_if_from_podcast(podcast_id)

    def download(self, episode_ids: list[int]) -> None:
        self.library_actions.download(episode_ids)

    def restore_downloads(self) -> None:
        """Requeue what a previous run left unfinished and say what went missing; it reads the
        download folders (~10 ms with 500 podcasts): on a worker, once the window is on screen."""
        self.download_session.restore()

    def _show_notices(self, notices: list[str]) -> None:
        for notice in notices:
            self.show_error(notice)

    def _show_downloads_on_episodes(self) -> None:
        for progress in self.downloads.current():
            self.episode_model.show_download(progress)

    def _mark_selected(self, played: bool) -> None:
        ids = self.episodes.selected_episode_ids()
        if ids:
            self.mark_played(ids, played)

    def _remote_images_changed(self, podcast_id: int) -> None:
        self.podcast_model.reload()
        selected = self.episodes.selected_episode_ids()
        self._show_notes_for(selected[0] if selected else None)

    def _show_notes_for(self, episode_id: int | None) -> None:
        library = self.services.library
        episode = library.episodes.get(episode_id) if episode_id is not None else None
        podcast = library.podcasts.get(episode.podcast_id) if episode is not None else None
        self.notes.show_episode(episode, podcast)
        if episode is not None:
            self.chapter_session.prefetch(episode)

    def _seek_from_notes(self, position_ms: int) -> None:
        selected = self.episodes.selected_episode_ids()
        current = self.services.controller.current_episode()
        if selected and (current is None or current.id != selected[0]):
            self.player.play_episode(selected[0], position_ms)
        else:
            self.player.seek(position_ms)

    def _focus_search(self) -> None:
        self.middle_tabs.setCurrentWidget(self.search_view)
        self.search_view.focus_field()

    def _focus_episode_filter(self) -> None:
        self.middle_tabs.setCurrentWidget(self.episodes)
        self.episodes.focus_filter()

    def _reveal_episode(self, episode_id: int) -> None:
        """Show a search hit's episode in the episode list, with its notes."""
        episode = self.services.library.episodes.get(episode_id)
        if episode is None:
            return
        self.middle_tabs.setCurrentWidget(self.episodes)
        if self.episode_model.row_of(episode_id) is None:
            self.podcasts.select_podcast(episode.podcast_id)
        self.episodes.reveal(episode_id)
        self._show_notes_for(episode_id)

    def _show_queue(self) -> None:
        ids = self.services.controller.queue()
        self.queue.show_queue(self.services.library.episodes.summaries(ids))

    def _library_changed(self) -> None:
        self.podcast_model.reload()
        self.search.set_podcasts(self.podcast_model.podcasts())
        self.search.fetch_transcripts()  # a new subscription's, or a refresh's new episodes
        self.search.search_again()
        self.episode_model.reload()
        self._show_queue()

    def _refresh_lists(self) -> None:
        self.podcast_model.reload()
        self.episode_model.forget_rows()

    def showEvent(self, event: QShowEvent) -> None:
        """On a first run, share the width out once the window has one."""
        super().showEvent(event)
        if not self._laid_out:
            self._laid_out = True
            width = self.main_splitter.width()
            side, transcript = max(250, round(width * 0.2)), round(width * 0.3)
            self.main_splitter.setSizes([side, width - side - transcript, transcript])

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ui_state.save_window(self, self._splitters())
        self.ui_state.set_episode_query(self.episode_model.query())
        self.ui_state.sync()
        super().closeEvent(event)


def toggle_tick(view: QAbstractItemView) -> bool:
    """Tick or untick the current row's check box, wherever it is in the row; False if none."""
    row = view.currentIndex()
    for column in range(view.model().columnCount(row.parent()) if row.isValid() else 0):
        cell = row.siblingAtColumn(column)
        tick = cell.data(Qt.ItemDataRole.CheckStateRole)
        if tick is not None and cell.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            ticked = tick in (Qt.CheckState.Checked, Qt.CheckState.Checked.value)
            state = Qt.CheckState.Unchecked if ticked else Qt.CheckState.Checked
            return view.model().setData(cell, state.value, Qt.ItemDataRole.CheckStateRole)
    return False
