"""The playback controller: queue, resume positions, per-podcast speed and the sleep timer.

It owns what the engine must not know (library, queue, settings) and talks to the engine only
through the AudioEngine protocol. Everything runs on the main thread.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Collection
from pathlib import Path
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Signal

from podplayer.core.chapters.chapter_list import ChapterList
from podplayer.core.models import Episode
from podplayer.core.opened_media import OPENED_FILES_URL
from podplayer.core.settings import (
    MUTED,
    PLAYBACK_RATE,
    PLAYED_THRESHOLD_MS,
    SKIP_BACK_MS,
    SKIP_FORWARD_MS,
    SPEED_PER_PODCAST,
    VOLUME,
)
from podplayer.core.sleep_timer import (
    Clock,
    SleepAction,
    SleepChoice,
    SleepTimer,
    SleepTimerStatus,
    monotonic_ms,
)
from podplayer.core.storage.library import Library
from podplayer.engine.base import AudioEngine, PlaybackState
from podplayer.playback.speed import DEFAULT_RATE, clamp_rate, real_time_ms
from podplayer.playback.ticker import PositionTicker

SKIP_BACK_KEY = SKIP_BACK_MS.key
SKIP_FORWARD_KEY = SKIP_FORWARD_MS.key
PLAYED_THRESHOLD_KEY = PLAYED_THRESHOLD_MS.key
SPEED_PER_PODCAST_KEY = SPEED_PER_PODCAST.key
RATE_KEY = PLAYBACK_RATE.key
VOLUME_KEY = VOLUME.key
MUTED_KEY = MUTED.key

DEFAULT_SKIP_BACK_MS: int = SKIP_BACK_MS.default
DEFAULT_SKIP_FORWARD_MS: int = SKIP_FORWARD_MS.default
DEFAULT_PLAYED_THRESHOLD_MS: int = PLAYED_THRESHOLD_MS.default
CHAPTER_RESTART_MS = 3_000
"""Previous chapter within this much of a chapter's start goes to the one before."""
SKIP_MARGIN_MS = 1_000
"""A skipped chapter with less than this left plays out: a seek would cost more than it saves."""
BOUNDARY_LEAD_MS = 150
"""Skips and End of Chapter act this long before a chapter starts (ticks come every 50 ms and a
seek or pause takes a moment), so not even its first syllable is heard."""
SAVE_INTERVAL_MS = 5_000

LocalFileLookup = Callable[[int], Path | None]


class PlaybackController(QObject):
    """What the GUI, MPRIS and the CLI drive; signals carry what a player bar shows."""

    episode_changed = Signal(object)  # Episode | None
    state_changed = Signal(object)  # PlaybackState
    position_changed = Signal(int)
    duration_changed = Signal(int)
    rate_changed = Signal(float)
    volume_changed = Signal(int)
    muted_changed = Signal(bool)
    queue_changed = Signal()
    sleep_timer_changed = Signal(object)  # SleepTimerStatus
    chapters_changed = Signal(object)  # ChapterList
    chapter_changed = Signal(int)  # index into ChapterList.listed, -1 before the first
    chapter_skipped = Signal(str)  # the titles of the chapters skipped
    error = Signal(str)
    notice = Signal(str)  # the engine's sentences that do not stop playback (no sound device)

    def __init__(
        self,
        engine: AudioEngine,
        library: Library,
        *,
        clock: Clock = monotonic_ms,
        local_file_for: LocalFileLookup | None = None,
    ) -> None:
        super().__init__()
        self._engine = engine
        self._library = library
        self._clock = clock
        self._local_file_for = local_file_for
        self.ticker = PositionTicker(clock)
        self._sleep = SleepTimer(clock)
        self._episode: Episode | None = None
        self._duration_ms: int | None = None
        self._state = PlaybackState.IDLE
        self._rate = clamp_rate(float(library.settings.get(RATE_KEY, DEFAULT_RATE)))
        self._volume = _int_setting(library, VOLUME_KEY, VOLUME.default)
        self._muted = bool(library.settings.get(MUTED_KEY, False))
        self._last_save_ms = clock()
        self._chapters = ChapterList()
        self._chapter_starts: list[int] = []
        self._chapter_index = -1
        self._skipped: frozenset[int] = frozenset()
        self._skip_allowed_once: int | None = None
        self._last_skip: tuple[int, int] | None = None  # (where playback was, chapter skipped)
        self._armed_chapter: int | None = None
        self._last_sleep_second: int | None = None
        self._fading = False

        engine.set_rate(self._rate)
        engine.set_volume(self._volume)
        engine.set_muted(self._muted)
        engine.state_changed.connect(self._on_engine_state)
        engine.time_changed.connect(self._on_engine_time)
        engine.duration_changed.connect(self._on_engine_duration)
        engine.ended.connect(self._on_engine_ended)
        engine.error.connect(self._on_engine_error)
        engine.notice.connect(self.notice)
        self.ticker.position_changed.connect(self.position_changed)
        self.ticker.ticked.connect(self._on_tick)

    # Episodes

    def play_episode(self, episode_id: int, start_ms: int | None = None) -> None:
        """Play from ``start_ms``; None resumes where it was left (a played one restarts)."""
        episode = self._library.episodes.get(episode_id)
        if episode is None:
            self.error.emit("That episode is no longer in the library. Refresh the podcast.")
            return
        source = self._source_for(episode)
        if not source:
            title = episode.title or "This episode"
            if episode.enclosure_url:
                self.error.emit(
                    f'"{title}" names its audio with an address podplayer does not open '
                    f"({episode.enclosure_url[:80]}); only http(s) addresses and downloaded "
                    "files are played. Ask the podcast's publisher to fix the feed."
                )
            else:
                self.error.emit(
                    f'"{title}" has no audio file to play. '
                    "The feed may have removed it; try refreshing the podcast."
                )
            return
        self._leave_current()
        if start_ms is None:
            start_ms = 0 if episode.played else episode.position_ms
        if episode.played:
            self._library.episodes.set_played(episode_id, False)
            episode.played = False
        start_ms = max(0, start_ms)
        self._remove_queued(episode_id)
        self._open(episode, source, start_ms)
        self._engine.play()
        self._save_position(start_ms)

    def cue_episode(self, episode_id: int) -> None:
        """Make an episode the current one, paused at its resume position, without loading its
        audio (a relaunch shows where the user was; Play, a media key or MPRIS loads it).
        For the start, when nothing is loaded."""
        episode = self._library.episodes.get(episode_id)
        if episode is None or episode.id is None or self._episode is not None:
            return
        self._make_current(episode, 0 if episode.played else episode.position_ms)
        self._set_state(PlaybackState.PAUSED)

    def current_episode(self) -> Episode | None:
        return self._episode

    def set_chapters(self, chapters: ChapterList, skipped: Collection[int] = ()) -> None:
        """The current episode's chapters; ``skipped`` are indexes of listed chapters to skip.

        Silent markers are not chapters here: End of Chapter and skipping use listed ones.
        """
        self._chapters = chapters
        self._chapter_starts = list(chapters.starts())
        self._armed_chapter = None
        self._chapter_index = -2  # makes the next check report the current chapter
        self._skipped = frozenset(skipped)
        self._skip_allowed_once = None
        self.chapters_changed.emit(chapters)
        self._follow_chapter(self.position_ms())

    def chapters(self) -> ChapterList:
        return self._chapters

    def set_skipped_chapters(self, skipped: Collection[int]) -> None:
        """Which listed chapters playback skips (the user's choices and the podcast's rules)."""
        self._skipped = frozenset(skipped)
        self._skip_allowed_once = None

    def skipped_chapters(self) -> frozenset[int]:
        return self._skipped

    def current_chapter(self) -> int:
        """The listed chapter playing now, or -1 (none, or before the first)."""
        return max(self._chapter_index, -1)

    def next_chapter(self) -> None:
        """Jump to the start of the next chapter (nothing after the last one)."""
        index = self._chapters.index_at(self.position_ms())
        following = 0 if index is None else index + 1
        if following < len(self._chapter_starts):
            self._seek_into_chapter(following)

    def previous_chapter(self) -> None:
        """Back to this chapter's start; near its start, to the chapter before."""
        position = self.position_ms()
        index = self._chapters.index_at(position)
        if index is None:
            return
        if position - self._chapter_starts[index] < CHAPTER_RESTART_MS and index > 0:
            index -= 1
        self._seek_into_chapter(index)

    def undo_chapter_skip(self) -> None:
        """Go back to where the last skip left from, and play the skipped chapter this time."""
        if self._last_skip is None:
            return
        position_ms, index = self._last_skip
        self._last_skip = None
        self._skip_allowed_once = index
        self.seek(position_ms)

    # Transport

    def toggle_play_pause(self) -> None:
        if self._state in (PlaybackState.PLAYING, PlaybackState.LOADING):
            self.pause()
        else:
            self.play()

    def play(self) -> None:
        """Resume (rewinding 10 s if the sleep timer paused playback in the last 5 minutes)."""
        if self._episode is None:
            self.play_next_in_queue()
            return
        engine_done = self._engine.state() in (PlaybackState.IDLE, PlaybackState.ENDED)
        if engine_done or self._episode.played or self._state is PlaybackState.ERROR:
            assert self._episode.id is not None
            self.play_episode(self._episode.id)  # from the start when played, else resume
            return
        rewind = self._sleep.take_rewind_on_resume()
        if rewind:
            self.seek(self.position_ms() - rewind)
        self._engine.play()

    def pause(self) -> None:
        self._engine.pause()
        self._save_position(self.position_ms())

    def stop(self) -> None:
        """Stop; an episode stopped within the played threshold of its end counts as played."""
        if self._episode is None:
            return
        self._leave_current()
        if self._engine.state() is PlaybackState.IDLE:  # cued at start, never loaded
            self._set_state(PlaybackState.STOPPED)
        self._engine.stop()

    def seek(self, position_ms: int) -> None:
        if self._episode is None:
            return
        position_ms = max(0, position_ms)
        if self._engine.state() is PlaybackState.IDLE and self._state is PlaybackState.PAUSED:
            self._seek_cued(position_ms)  # nothing loaded yet: Play starts from here
            return
        if self._state is PlaybackState.ENDED and self._episode.id is not None:
            self.play_episode(self._episode.id, position_ms)
            return
        self._engine.seek(position_ms)
        if self._state is PlaybackState.ENDED:  # the seek went past the end
            return
        if self._duration_ms is not None:
            position_ms = min(position_ms, self._duration_ms)
        self.ticker.jump(position_ms)
        self._rearm_chapter(position_ms)
        self._follow_chapter(position_ms)
        self._save_position(position_ms)

    def skip_back(self) -> None:
        back = _int_setting(self._library, SKIP_BACK_KEY, DEFAULT_SKIP_BACK_MS)
        self.seek(self.position_ms() - back)

    def skip_forward(self) -> None:
        forward = _int_setting(self._library, SKIP_FORWARD_KEY, DEFAULT_SKIP_FORWARD_MS)
        self.seek(self.position_ms() + forward)

    def position_ms(self) -> int:
        return self.ticker.position_ms()

    def duration_ms(self) -> int | None:
        return self._duration_ms

    def remaining_ms(self) -> tuple[int, int] | None:
        """Time left as (media ms, real ms at the current rate), or None with no known duration."""
        if self._duration_ms is None:
            return None
        media = max(0, self._duration_ms - self.position_ms())
        return media, real_time_ms(media, self._rate)

    def state(self) -> PlaybackState:
        return self._state

    # Rate, volume

    def set_rate(self, rate: float) -> None:
        """Set the rate now and for what follows (per podcast when that setting is on)."""
        self._apply_rate(clamp_rate(rate), persist=True)

    def rate(self) -> float:
        return self._rate

    def set_volume(self, volume: int) -> None:
        self._volume = max(0, min(100, volume))
        self._library.settings.set(VOLUME_KEY, self._volume)
        self._engine.set_volume(self._faded_volume())
        self.volume_changed.emit(self._volume)

    def volume(self) -> int:
        return self._volume

    def set_muted(self, muted: bool) -> None:
        self._muted = muted
        self._library.settings.set(MUTED_KEY, muted)
        self._engine.set_muted(muted)
        self.muted_changed.emit(muted)

    def is_muted(self) -> bool:
        return self._muted

    # Queue

    def queue(self) -> list[int]:
        return self._library.queue.episode_ids()

    def enqueue(self, episode_id: int) -> None:
        """Add at the end (an episode already queued keeps its place)."""
        ids = self.queue()
        if episode_id not in ids:
            self._write_queue([*ids, episode_id])

    def enqueue_next(self, episode_id: int) -> None:
        ids = [i for i in self.queue() if i != episode_id]
        self._write_queue([episode_id, *ids])

    def remove_from_queue(self, episode_id: int) -> None:
        ids = self.queue()
        if episode_id in ids:
            self._write_queue([i for i in ids if i != episode_id])

    def move_in_queue(self, episode_id: int, index: int) -> None:
        ids = [i for i in self.queue() if i != episode_id]
        if len(ids) == len(self.queue()):
            return
        ids.insert(max(0, min(index, len(ids))), episode_id)
        self._write_queue(ids)

    def play_next_in_queue(self) -> bool:
        """Play the first queued episode that still exists; False when the queue is empty."""
        for episode_id in self.queue():
            if self._library.episodes.get(episode_id) is not None:
                self.play_episode(episode_id)
                return True
            self._remove_queued(episode_id)
        return False

    # Sleep timer

    def set_sleep_timer(self, choice: SleepChoice) -> None:
        """Replace the sleep timer with ``choice`` (OFF cancels)."""
        self._sleep.set(choice)
        self._armed_chapter = None
        self._end_fade()
        self._emit_sleep_status()

    def extend_sleep_timer(self, minutes: int = 5) -> None:
        self._sleep.extend(minutes)
        self._end_fade()
        self._emit_sleep_status()

    def sleep_timer_status(self) -> SleepTimerStatus:
        return self._sleep.status()

    def shutdown(self) -> None:
        """Save where the user was before the app quits."""
        if self._episode is not None:
            self._save_position(self.position_ms())
        self._engine.stop()

    # Engine events

    def _on_engine_state(self, state: PlaybackState) -> None:
        playing = state is PlaybackState.PLAYING
        self.ticker.set_running(playing)
        self._sleep.set_playing(playing)
        if state in (PlaybackState.PAUSED, PlaybackState.STOPPED) and self._episode is not None:
            self._save_position(self.position_ms())
        if state is PlaybackState.ENDED:
            return  # reported by _on_engine_ended once the episode's bookkeeping is done
        self._set_state(state)

    def _on_engine_time(self, position_ms: int) -> None:
        self.ticker.report(position_ms)

    def _on_engine_duration(self, duration_ms: int) -> None:
        if duration_ms > 0 and duration_ms != self._duration_ms:
            self._duration_ms = duration_ms
            self.ticker.set_duration(duration_ms)
            self.duration_changed.emit(duration_ms)

    def _on_engine_ended(self) -> None:
        """The episode reached its end: mark it played, then stop here or go on with the queue."""
        episode = self._episode
        if episode is None or episode.id is None:
            return
        self._library.episodes.set_played(episode.id, True)
        episode.played = True
        episode.position_ms = 0
        if self._duration_ms is not None:
            self.ticker.jump(self._duration_ms)
        if self._sleep.choice in (SleepChoice.END_OF_EPISODE, SleepChoice.END_OF_CHAPTER):
            self._sleep.fired()
            self._emit_sleep_status()
            self._set_state(PlaybackState.ENDED)
            return
        if not self.play_next_in_queue():
            self._set_state(PlaybackState.ENDED)

    def _on_engine_error(self, message: str) -> None:
        self.ticker.set_running(False)
        self._set_state(PlaybackState.ERROR)
        title = self._episode.title if self._episode is not None else ""
        self.error.emit(f'Cannot play "{title}". {message}' if title else message)

    def _on_tick(self) -> None:
        if self._state is not PlaybackState.PLAYING:
            return
        position_ms = self.position_ms()
        if self._clock() - self._last_save_ms >= SAVE_INTERVAL_MS:
            self._save_position(position_ms)
        if not self._check_chapter_boundary(position_ms):
            self._skip_chapter_if_chosen(position_ms)
        self._follow_chapter(self.position_ms())
        self._poll_sleep_timer()

    # Internals

    def _open(self, episode: Episode, source: str, start_ms: int) -> None:
        """Make ``episode`` the current one and load it at ``start_ms`` at its rate."""
        self._make_current(episode, start_ms)
        self._engine.load(source, start_ms, episode.enclosure_type)

    def _make_current(self, episode: Episode, start_ms: int) -> None:
        """The episode's state (duration, no chapters yet, its rate) and signals, at start_ms."""
        self._episode = episode
        self._duration_ms = episode.duration_s * 1000 if episode.duration_s else None
        self._chapters = ChapterList()
        self._chapter_starts = []
        self._chapter_index = -1
        self._skipped = frozenset()
        self._skip_allowed_once = None
        self._armed_chapter = None
        self.chapters_changed.emit(self._chapters)
        self.chapter_changed.emit(-1)
        self.ticker.set_duration(self._duration_ms)
        self._apply_rate(self._rate_for(episode), persist=False)
        self.episode_changed.emit(episode)
        if self._duration_ms is not None:
            self.duration_changed.emit(self._duration_ms)
        self.ticker.jump(start_ms)

    def _seek_cued(self, position_ms: int) -> None:
        if self._duration_ms is not None:
            position_ms = min(position_ms, self._duration_ms)
        self.ticker.jump(position_ms)
        self._save_position(position_ms)

    def _poll_sleep_timer(self) -> None:
        action = self._sleep.poll()
        if action is SleepAction.FADE:
            self._fading = True
            self._engine.set_volume(self._faded_volume())
        elif action is SleepAction.PAUSE:
            self._engine.pause()
            self._end_fade()
            self._save_position(self.position_ms())
        status = self._sleep.status()
        second = None if status.remaining_ms is None else status.remaining_ms // 1000
        if second != self._last_sleep_second or action is SleepAction.PAUSE:
            self._emit_sleep_status()

    def _check_chapter_boundary(self, position_ms: int) -> bool:
        """End of Chapter: pause where the armed chapter ends; True when it paused."""
        if self._sleep.choice is not SleepChoice.END_OF_CHAPTER or not self._chapter_starts:
            return False
        if self._armed_chapter is None:
            self._armed_chapter = bisect.bisect_right(self._chapter_starts, position_ms)
        elif bisect.bisect_right(self._chapter_starts, position_ms + self._lead_ms()) > (
            self._armed_chapter
        ):
            self._engine.pause()
            self._sleep.fired()
            self._armed_chapter = None
            self._save_position(position_ms)
            self._emit_sleep_status()
            return True
        return False

    def _lead_ms(self) -> int:
        """BOUNDARY_LEAD_MS of real time, in media time at the current rate."""
        return round(BOUNDARY_LEAD_MS * self._rate)

    def _seek_into_chapter(self, index: int) -> None:
        """A jump the user asked for into chapter ``index``: play it even if it is skipped."""
        self._skip_allowed_once = index
        self.seek(self._chapter_starts[index])

    def _skip_chapter_if_chosen(self, position_ms: int) -> None:
        """At (or just before) a chapter marked to skip, jump past it and the skipped ones after.

        End of Chapter goes first: a chapter that ends the listening pauses, it is not skipped.
        """
        first = self._chapters.index_at(position_ms + self._lead_ms())
        if first is None or not self._skips(first):
            return
        if self._armed_chapter is not None and first >= self._armed_chapter:
            return
        index, end = first, position_ms
        while index < len(self._chapter_starts) and self._skips(index):
            chapter_end = self._chapters.end_ms(index, self._duration_ms)
            if chapter_end is None:
                return  # the last chapter of an episode of unknown length: nowhere to go
            end = chapter_end
            index += 1
        if end - position_ms < SKIP_MARGIN_MS:
            return
        titles = [self._chapters.listed[i].title or "Untitled chapter" for i in range(first, index)]
        self._last_skip = (position_ms, first)
        self.seek(end)
        self.chapter_skipped.emit(", ".join(titles))

    def _skips(self, index: int) -> bool:
        return index in self._skipped and index != self._skip_allowed_once

    def _follow_chapter(self, position_ms: int) -> None:
        index = self._chapters.index_at(position_ms)
        index = -1 if index is None else index
        if index != self._chapter_index:
            if self._skip_allowed_once is not None and index > self._skip_allowed_once:
                self._skip_allowed_once = None  # the chapter played once is over
            self._chapter_index = index
            self.chapter_changed.emit(index)

    def _rearm_chapter(self, position_ms: int) -> None:
        """A seek back into an earlier chapter makes that chapter the one to finish."""
        if self._armed_chapter is not None:
            index = bisect.bisect_right(self._chapter_starts, position_ms)
            self._armed_chapter = min(self._armed_chapter, index)

    def _emit_sleep_status(self) -> None:
        status = self._sleep.status()
        self._last_sleep_second = (
            None if status.remaining_ms is None else status.remaining_ms // 1000
        )
        self.sleep_timer_changed.emit(status)

    def _end_fade(self) -> None:
        if self._fading:
            self._fading = False
            self._engine.set_volume(self._volume)

    def _faded_volume(self) -> int:
        if not self._fading:
            return self._volume
        return round(self._volume * self._sleep.fade_factor())

    def _apply_rate(self, rate: float, persist: bool) -> None:
        self._engine.set_rate(rate)
        self.ticker.set_rate(rate)
        changed = rate != self._rate
        self._rate = rate
        if persist:
            podcast_id = self._episode.podcast_id if self._episode is not None else None
            if podcast_id is not None and self._library.settings.get(SPEED_PER_PODCAST_KEY, False):
                self._library.podcasts.set_speed(podcast_id, rate)
            else:
                self._library.settings.set(RATE_KEY, rate)
        if changed:
            self.rate_changed.emit(rate)

    def _rate_for(self, episode: Episode) -> float:
        global_rate = clamp_rate(float(self._library.settings.get(RATE_KEY, DEFAULT_RATE)))
        if not self._library.settings.get(SPEED_PER_PODCAST_KEY, False):
            return global_rate
        podcast = self._library.podcasts.get(episode.podcast_id)
        if podcast is None or podcast.speed is None:
            return global_rate
        return clamp_rate(podcast.speed)

    def _source_for(self, episode: Episode) -> str:
        """A downloaded (or bundled) file, else an http(s) URL; a feed never names a local file.

        Only episodes of "Opened files" (the user opened them from another program) may be
        local paths. Anything else (file:, smb:, dshow://, a bare path) gives "".
        """
        if self._local_file_for is not None and episode.id is not None:
            local = self._local_file_for(episode.id)
            if local is not None and local.is_file():
                return str(local)
        url = episode.enclosure_url.strip()
        parts = urlsplit(url)
        if parts.scheme.lower() in ("http", "https") and parts.netloc:
            return url
        podcast = self._library.podcasts.get(episode.podcast_id)
        if podcast is not None and podcast.url == OPENED_FILES_URL and Path(url).is_absolute():
            return url
        return ""

    def _leave_current(self) -> None:
        """Save the current place; within the played threshold of the end, mark it played."""
        episode = self._episode
        if episode is None or episode.id is None:
            return
        position = self.position_ms()
        threshold = _int_setting(self._library, PLAYED_THRESHOLD_KEY, DEFAULT_PLAYED_THRESHOLD_MS)
        if (
            self._duration_ms is not None
            and self._state is not PlaybackState.ENDED
            and position > 0
            and self._duration_ms - position <= threshold
        ):
            self._library.episodes.set_played(episode.id, True)
            episode.played = True
            episode.position_ms = 0
        elif not episode.played:
            self._save_position(position)

    def _save_position(self, position_ms: int) -> None:
        episode = self._episode
        self._last_save_ms = self._clock()
        if episode is None or episode.id is None or episode.played:
            return
        episode.position_ms = position_ms
        self._library.episodes.save_position(episode.id, position_ms)

    def _remove_queued(self, episode_id: int) -> None:
        ids = self.queue()
        if episode_id in ids:
            self._write_queue([i for i in ids if i != episode_id])

    def _write_queue(self, episode_ids: list[int]) -> None:
        self._library.queue.replace(episode_ids)
        self.queue_changed.emit()

    def _set_state(self, state: PlaybackState) -> None:
        if state is not self._state:
            self._state = state
            self.state_changed.emit(state)


def _int_setting(library: Library, key: str, default: int) -> int:
    value = library.settings.get(key, default)
    return value if isinstance(value, int) and not isinstance(value, bool) else default
