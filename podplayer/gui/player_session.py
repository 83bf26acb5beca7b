"""Connects the player bar to the playback controller, and remembers the last episode."""

from __future__ import annotations

from PySide6.QtCore import QObject

from podplayer.core.models import Episode
from podplayer.core.sleep_timer import SleepChoice, SleepTimerStatus
from podplayer.core.storage.library import Library
from podplayer.engine.base import PlaybackState
from podplayer.gui.accessibility import announce
from podplayer.gui.models.artwork import ArtworkProvider
from podplayer.gui.text import format_rate
from podplayer.gui.ui_state import UiState
from podplayer.gui.views.player_bar import PlayerBar
from podplayer.playback.controller import PlaybackController
from podplayer.playback.speed import step_rate

SLEEP_WARNING_MS = 60_000
"""A screen reader hears that the sleep timer is about to pause this long before it does."""


class PlayerSession(QObject):
    """The bar shows what the controller says; the bar's requests become controller calls.

    On start the last episode is shown paused where it was left, without loading audio until
    the user presses Play (or seeks, or clicks a transcript line).
    """

    def __init__(
        self,
        controller: PlaybackController,
        bar: PlayerBar,
        *,
        library: Library,
        artwork: ArtworkProvider,
        ui_state: UiState,
    ) -> None:
        super().__init__()
        self._controller = controller
        self._library = library
        self._bar = bar
        self._artwork = artwork
        self._ui_state = ui_state
        self._cued: Episode | None = None
        self._shown_rate = controller.rate()
        self._sleep_status = controller.sleep_timer_status()

        controller.episode_changed.connect(self._episode_changed)
        artwork.artwork_changed.connect(self._artwork_changed)
        controller.state_changed.connect(self._state_changed)
        controller.position_changed.connect(bar.seek_bar.set_position)
        controller.duration_changed.connect(bar.seek_bar.set_duration)
        controller.rate_changed.connect(self._rate_changed)
        controller.volume_changed.connect(bar.volume.set_volume)
        controller.muted_changed.connect(bar.volume.set_muted)
        controller.sleep_timer_changed.connect(self._sleep_status_changed)

        bar.play_pause_requested.connect(self.toggle_play_pause)
        bar.skip_back_requested.connect(self.skip_back)
        bar.skip_forward_requested.connect(self.skip_forward)
        bar.seek_bar.seek_requested.connect(self.seek)
        bar.speed_control.rate_requested.connect(controller.set_rate)
        bar.sleep_button.choice_requested.connect(self._sleep_choice)
        bar.sleep_button.extend_requested.connect(self._extend_sleep_timer)
        bar.volume.volume_requested.connect(controller.set_volume)
        bar.volume.mute_requested.connect(controller.set_muted)

        self._rate_changed(controller.rate())
        bar.volume.set_volume(controller.volume())
        bar.volume.set_muted(controller.is_muted())
        bar.sleep_button.set_status(controller.sleep_timer_status())

    def restore_last_episode(self) -> None:
        """Show the episode that was playing when the app closed, paused at its position."""
        episode_id = self._ui_state.last_episode_id()
        episode = self._library.episodes.get(episode_id) if episode_id is not None else None
        if episode is None or episode.id is None:
            return
        self._cued = episode
        self._show(episode)
        if episode.duration_s:
            self._bar.seek_bar.set_duration(episode.duration_s * 1000)
        self._bar.seek_bar.set_position(episode.position_ms)

    def cued_episode(self) -> Episode | None:
        return self._cued

    def stop_if_from_podcast(self, podcast_id: int) -> None:
        """The podcast was removed: stop its episode if it is the one playing or shown."""
        current = self._controller.current_episode()
        if current is not None and current.podcast_id == podcast_id:
            self._controller.stop()
        if self._cued is not None and self._cued.podcast_id == podcast_id:
            self._cued = None

    def play_episode(self, episode_id: int, start_ms: int | None = None) -> None:
        self._cued = None
        self._controller.play_episode(episode_id, start_ms)

    def toggle_play_pause(self) -> None:
        if self._cued is not None and self._cued.id is not None:
            self.play_episode(self._cued.id)
        else:
            self._controller.toggle_play_pause()

    def seek(self, position_ms: int) -> None:
        if self._cued is not None and self._cued.id is not None:
            self.play_episode(self._cued.id, position_ms)
        else:
            self._controller.seek(position_ms)

    def skip_back(self) -> None:
        if self._cued is None:
            self._controller.skip_back()

    def skip_forward(self) -> None:
        if self._cued is None:
            self._controller.skip_forward()

    def step_speed(self, direction: int) -> None:
        self._controller.set_rate(step_rate(self._controller.rate(), direction))

    def _sleep_choice(self, choice: SleepChoice) -> None:
        self._controller.set_sleep_timer(choice)
        self._announce_sleep_timer()

    def _extend_sleep_timer(self) -> None:
        self._controller.extend_sleep_timer()
        self._announce_sleep_timer()

    def _announce_sleep_timer(self) -> None:
        button = self._bar.sleep_button
        announce(button, button.accessibleDescription())

    def _rate_changed(self, rate: float) -> None:
        self._bar.speed_control.set_rate(rate)
        self._bar.seek_bar.set_rate(rate)
        if abs(rate - self._shown_rate) > 1e-6:
            announce(self._bar.speed_control, f"Speed {format_rate(rate)}")
        self._shown_rate = rate

    def _sleep_status_changed(self, status: SleepTimerStatus) -> None:
        """Show the timer, and say so a minute before it pauses playback."""
        self._bar.sleep_button.set_status(status)
        before, self._sleep_status = self._sleep_status, status
        if (
            status.remaining_ms is not None
            and before.remaining_ms is not None
            and status.remaining_ms <= SLEEP_WARNING_MS < before.remaining_ms
        ):
            announce(self._bar.sleep_button, "Sleep timer: one minute left, then playback pauses")

    def _state_changed(self, state: PlaybackState) -> None:
        self._bar.set_playing(state is PlaybackState.PLAYING)

    def _episode_changed(self, episode: Episode | None) -> None:
        if episode is None:
            self._bar.show_episode("Nothing playing", "", None)
            self._bar.set_enabled_controls(False)
            return
        self._ui_state.set_last_episode_id(episode.id)
        self._show(episode)

    def _artwork_changed(self, podcast_id: int) -> None:
        shown = self._controller.current_episode() or self._cued
        if shown is not None and shown.podcast_id == podcast_id:
            self._show(shown)

    def _show(self, episode: Episode) -> None:
        podcast = self._library.podcasts.get(episode.podcast_id)
        artwork = self._artwork.pixmap(podcast, 112) if podcast is not None else None
        self._bar.show_episode(episode.title, podcast.title if podcast else "", artwork)
