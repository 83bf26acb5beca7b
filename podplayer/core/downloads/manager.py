"""Runs downloads on a few worker threads, persists every step, reports progress to listeners."""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from podplayer.core.downloads.naming import (
    MEDIA_EXTENSIONS,
    PART_SUFFIX,
    PODCAST_FOLDER_BYTES,
    UnsafePathError,
    episode_stem,
    inside_folder,
    media_extension,
    part_path,
    podcast_folder,
    reserve_unique_path,
    safe_name_part,
)
from podplayer.core.downloads.state import DownloadFailedError, FailureReason, move
from podplayer.core.http import Credentials, HttpClient
from podplayer.core.models import Download, DownloadState, Episode
from podplayer.core.settings import DOWNLOAD_FOLDER, PAST_DOWNLOAD_FOLDERS
from podplayer.core.storage.library import Library

if TYPE_CHECKING:
    from podplayer.core.downloads.transfer import OpenPart, ResponseInfo, Transfer
    from podplayer.core.feeds.service import RefreshResult

log = logging.getLogger(__name__)

FOLDER_SETTING = DOWNLOAD_FOLDER.key
PAST_FOLDERS_SETTING = PAST_DOWNLOAD_FOLDERS.key
DEFAULT_MAX_PARALLEL = 2
# Pauses before resuming on its own after a dropped connection; then the download fails (resumable).
RETRY_DELAYS_S = (1.0, 4.0)
PROGRESS_INTERVAL_S = 0.25
SAVE_INTERVAL_S = 1.0
RATE_WINDOW_S = 5.0


def local_file_for(library: Library, episode_id: int) -> Path | None:
    """The episode's complete downloaded file if it is still there (playback prefers it)."""
    file_path = library.downloads.completed_file(episode_id)
    if not file_path:
        return None
    path = Path(file_path)
    if path.suffix.lower() not in MEDIA_EXTENSIONS or path.is_symlink() or not path.is_file():
        return None
    return path


class DownloadError(Exception):
    """A download that cannot be started, with a sentence for the user."""


@dataclass(frozen=True, slots=True)
class DownloadProgress:
    """What a listener is told: one download's state, bytes, rate and time left (None = unknown)."""

    episode_id: int
    title: str
    state: DownloadState
    received_bytes: int
    total_bytes: int | None
    bytes_per_second: float | None
    seconds_left: float | None
    error: str
    file_path: str | None
    removed: bool = False

    @property
    def fraction(self) -> float | None:
        if not self.total_bytes:
            return None
        return min(1.0, self.received_bytes / self.total_bytes)


ProgressListener = Callable[[DownloadProgress], None]


class RateMeter:
    """Bytes per second over the last few seconds, from (time, total received) samples."""

    def __init__(self, window_s: float = RATE_WINDOW_S) -> None:
        self._window_s = window_s
        self._samples: deque[tuple[float, int]] = deque()

    def add(self, now: float, received: int) -> None:
        self._samples.append((now, received))
        while len(self._samples) > 2 and now - self._samples[0][0] > self._window_s:
            self._samples.popleft()

    def reset(self) -> None:
        self._samples.clear()

    def rate(self) -> float | None:
        if len(self._samples) < 2:
            return None
        (start, first), (end, last) = self._samples[0], self._samples[-1]
        if end - start < 0.2:
            return None
        return max(0.0, (last - first) / (end - start))


class _Stop(enum.Enum):
    PAUSE = "pause"
    CANCEL = "cancel"
    DELETE = "delete"
    SHUTDOWN = "shutdown"


@dataclass(eq=False)
class _Task:
    download: Download
    episode: Episode
    stop: _Stop | None = None
    meter: RateMeter = field(default_factory=RateMeter)
    last_emit: float = 0.0
    last_save: float = 0.0
    resume_after_stop: bool = False
    credentials: Credentials | None = None
    transfer: Transfer | None = None


class DownloadManager:
    """Queues downloads, runs at most ``max_parallel`` at once, and survives restarts.

    Listeners are called on worker threads; a GUI hops to its own thread (a queued Qt signal).
    ``open_part`` opens a ``.part`` file for writing (tests fake a full disk; None: the real one).
    """

    def __init__(
        self,
        library: Library,
        http: HttpClient,
        default_folder: Path,
        *,
        max_parallel: int = DEFAULT_MAX_PARALLEL,
        retry_delays_s: tuple[float, ...] = RETRY_DELAYS_S,
        open_part: OpenPart | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._library = library
        self._http = http
        self._default_folder = default_folder
        self._max_parallel = max(1, max_parallel)
        self._retry_delays_s = retry_delays_s
        self._open_part = open_part
        self._clock = clock
        self._lock = threading.Condition()
        # Held while a snapshot is taken and delivered, so listeners never see older news last.
        self._emit_lock = threading.RLock()
        self._live: dict[int, _Task] = {}
        self._pending: deque[int] = deque()
        self._workers: list[threading.Thread] = []
        self._listeners: list[ProgressListener] = []
        self._shutting_down = False
        self._finishing = 0
        self._restored = False

    # Settings -----------------------------------------------------------------------------

    def download_folder(self) -> Path:
        """The folder chosen in settings, else the default (user data) one."""
        chosen = self._library.settings.get(FOLDER_SETTING)
        if isinstance(chosen, str) and chosen and Path(chosen).expanduser().is_absolute():
            return Path(chosen).expanduser()
        return self._default_folder

    def set_download_folder(self, folder: Path | None) -> None:
        """Use ``folder`` for new downloads (None: the default). Files already there stay."""
        if folder is not None and not folder.expanduser().is_absolute():
            raise DownloadError(f"The download folder must be a full path, not {folder}.")
        past = [str(path) for path in self._past_folders()]
        current = str(self.download_folder())
        if current not in past:
            past.append(current)
        with self._library.transaction():
            self._library.settings.set(PAST_FOLDERS_SETTING, past)
            self._library.settings.set(FOLDER_SETTING, str(folder.expanduser()) if folder else None)

    def _past_folders(self) -> list[Path]:
        """Folders used before a change of setting: files there are still ours to delete."""
        stored = self._library.settings.get(PAST_FOLDERS_SETTING, [])
        if not isinstance(stored, list):
            return []
        return [Path(item) for item in stored if isinstance(item, str) and Path(item).is_absolute()]

    # Listeners ----------------------------------------------------------------------------

    def add_listener(self, listener: ProgressListener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: ProgressListener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    # Queries --------------------------------------------------------------------------------

    def local_file_for(self, episode_id: int) -> Path | None:
        """The downloaded file of an episode if it is complete and still there, else None."""
        return local_file_for(self._library, episode_id)

    def progress(self, episode_id: int) -> DownloadProgress | None:
        with self._lock:
            task = self._live.get(episode_id)
            if task is not None:
                return self._progress_of(task.download, task.episode.title, task)
        record = self._library.downloads.get(episode_id)
        if record is None:
            return None
        episode = self._library.episodes.get(episode_id)
        return self._progress_of(record, episode.title if episode else "", None)

    def downloads(self) -> list[DownloadProgress]:
        """Every download the library knows, most recently changed first, live ones up to date.

        One query for the records and their titles, whatever their number."""
        stored = self._library.downloads.list_with_titles()
        with self._lock:
            live = {
                episode_id: self._progress_of(task.download, task.episode.title, task)
                for episode_id, task in self._live.items()
            }
        return [
            live.get(record.episode_id) or self._progress_of(record, title, None)
            for record, title in stored
        ]

    def is_idle(self) -> bool:
        with self._lock:
            return not self._live

    def wait_until_idle(self, timeout_s: float | None = None) -> bool:
        """Block until no download is queued or running; False if ``timeout_s`` passed first."""
        with self._lock:
            return self._lock.wait_for(lambda: not self._live and not self._finishing, timeout_s)

    # Commands ---------------------------------------------------------------------------------

    def start(self, episode_id: int) -> None:
        """Queue the episode's download (also resumes a paused or retries a failed one)."""
        episode = self._library.episodes.get(episode_id)
        if episode is None:
            raise DownloadError(f"There is no episode with number {episode_id} in the library.")
        url = episode.enclosure_url.strip()
        if not url:
            raise DownloadError(f"“{episode.title}” has no audio file to download.")
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            raise DownloadError(
                f"“{episode.title}” links to its audio with an address podplayer does not"
                " download (only http and https are)."
            )
        with self._lock:
            if self._shutting_down:
                raise DownloadError("podplayer is closing; the download was not started.")
            if episode_id in self._live:
                self._resume_while_stopping(self._live[episode_id])
            else:
                self._queue_locked(episode, url)
        self._emit(episode_id)

    def _resume_while_stopping(self, task: _Task) -> None:
        """Asked to start a download that is still stopping: the worker requeues it when done."""
        if task.stop in (_Stop.PAUSE, _Stop.CANCEL) and not task.resume_after_stop:
            task.resume_after_stop = True
            move(task.download, DownloadState.QUEUED)
            self._library.downloads.save(task.download)

    def _queue_locked(self, episode: Episode, url: str) -> None:
        """Create or requeue the episode's record and hand it to the workers."""
        episode_id = episode.id or 0
        record = self._library.downloads.get(episode_id)
        if record is not None and record.state == DownloadState.COMPLETED:
            if self.local_file_for(episode_id) is not None:
                return
            record = None
        if record is None:
            record = Download(episode_id=episode_id, url=url)
        else:
            move(record, DownloadState.QUEUED)
            record.url = url
        self._library.downloads.save(record)
        podcast = self._library.podcasts.get(episode.podcast_id)
        credentials = None
        # The feed's password goes only to the feed's own host, never to a CDN or tracker.
        if (
            podcast is not None
            and podcast.username is not None
            and urlsplit(podcast.url).hostname == urlsplit(url).hostname
        ):
            password = self._library.podcasts.password(podcast)
            credentials = Credentials(podcast.username, password or "")
        self._live[episode_id] = _Task(record, episode, credentials=credentials)
        self._pending.append(episode_id)
        self._ensure_workers()
        self._lock.notify_all()

    def resume(self, episode_id: int) -> None:
        """Continue a paused download from where it stopped."""
        self.start(episode_id)

    def retry(self, episode_id: int) -> None:
        """Try a failed or cancelled download again (resuming any partial file)."""
        self.start(episode_id)

    def pause(self, episode_id: int) -> None:
        """Stop a queued or running download, keeping its partial file for resume."""
        with self._lock:
            task = self._live.get(episode_id)
            if task is None or (task.stop is not None and not task.resume_after_stop):
                return
            move(task.download, DownloadState.PAUSED)
            if task.stop is None:
                self._stop_locked(task, _Stop.PAUSE)
            task.resume_after_stop = False
            self._library.downloads.save(task.download)
        self._emit(episode_id)

    def cancel(self, episode_id: int) -> None:
        """Stop a download and throw its partial file away (the record stays, as cancelled)."""
        with self._lock:
            task = self._live.get(episode_id)
            if task is not None:
                if task.stop in (_Stop.CANCEL, _Stop.DELETE) and not task.resume_after_stop:
                    return
                move(task.download, DownloadState.CANCELLED)
                if task.stop in (None, _Stop.PAUSE):
                    self._stop_locked(task, _Stop.CANCEL)
                task.resume_after_stop = False
                self._library.downloads.save(task.download)
            else:
                record = self._library.downloads.get(episode_id)
                if record is None or record.state in (
                    DownloadState.COMPLETED,
                    DownloadState.CANCELLED,
                ):
                    return
                move(record, DownloadState.CANCELLED)
                self._discard_partial(record)
                self._library.downloads.save(record)
        self._emit(episode_id)

    def delete(self, episode_id: int) -> None:
        """Remove the downloaded (or partial) file and forget the download."""
        with self._lock:
            task = self._live.get(episode_id)
            if task is not None:
                self._stop_locked(task, _Stop.DELETE)
            record = self._library.downloads.get(episode_id)
            if record is not None and task is None:
                self._discard_partial(record)
                if record.state == DownloadState.COMPLETED and record.file_path:
                    self._remove_inside_folder(Path(record.file_path))
            self._library.downloads.delete(episode_id)
        self._notify(_removed(episode_id))

    def podcast_files(self, podcast_id: int) -> list[Path]:
        """The podcast's finished downloads that are on disk (to ask before unsubscribing)."""
        return [
            path
            for record in self._library.downloads.list_for_podcast(podcast_id)
            if record.state == DownloadState.COMPLETED
            and record.file_path
            and (path := Path(record.file_path)).is_file()
        ]

    def forget_podcast(self, podcast_id: int, delete_files: bool, timeout_s: float = 10.0) -> int:
        """Before a podcast is removed: stop its downloads and wait until no worker writes for
        it any more. Partial files go; finished files too when ``delete_files``. Returns how many
        finished files were deleted."""
        with self._lock:
            for task in [t for t in self._live.values() if t.episode.podcast_id == podcast_id]:
                task.resume_after_stop = False
                self._stop_locked(task, _Stop.DELETE)
            self._lock.wait_for(
                lambda: all(t.episode.podcast_id != podcast_id for t in self._live.values()),
                timeout_s,
            )
            records = self._library.downloads.list_for_podcast(podcast_id)
            deleted = 0
            for record in records:
                self._discard_partial(record)
                if delete_files and record.state == DownloadState.COMPLETED and record.file_path:
                    deleted += self._remove_inside_folder(Path(record.file_path))
        for record in records:
            self._notify(_removed(record.episode_id))
        return deleted

    def auto_download(self, episodes: Iterable[Episode]) -> list[int]:
        """Queue new episodes of podcasts with auto-download on; the ids queued come back."""
        queued: list[int] = []
        auto: dict[int, bool] = {}
        for episode in episodes:
            if episode.id is None or not episode.enclosure_url:
                continue
            if episode.podcast_id not in auto:
                podcast = self._library.podcasts.get(episode.podcast_id)
                auto[episode.podcast_id] = bool(podcast and podcast.auto_download)
            if not auto[episode.podcast_id] or self._library.downloads.get(episode.id):
                continue
            try:
                self.start(episode.id)
            except DownloadError as exc:
                log.info("Auto-download skipped: %s", exc)
                continue
            queued.append(episode.id)
        return queued

    def auto_download_new(self, podcast_id: int, added: int) -> list[int]:
        """After a refresh added ``added`` episodes: queue them if the podcast wants that."""
        if added <= 0:
            return []
        episodes = sorted(
            self._library.episodes.list_for_podcast(podcast_id),
            key=lambda episode: episode.id or 0,
            reverse=True,
        )
        return self.auto_download(episode for episode in episodes[:added] if not episode.played)

    def auto_download_after_refresh(self, results: Iterable[RefreshResult]) -> list[int]:
        """Queue what a refresh added to podcasts with auto-download on (a refresh's slot)."""
        queued: list[int] = []
        for result in results:
            if result.counts is not None and result.counts.added > 0:
                queued += self.auto_download_new(result.podcast_id, result.counts.added)
        return queued

    def restore(self) -> list[str]:
        """After a restart: requeue unfinished downloads, check partial files; notices come back.

        Only the first call does anything, so the composition root and the window may both ask.
        """
        with self._lock:
            if self._restored:
                return []
            self._restored = True
        notices: list[str] = []
        for record in self._library.downloads.list(
            [
                DownloadState.QUEUED,
                DownloadState.DOWNLOADING,
                DownloadState.PAUSED,
                DownloadState.FAILED,
            ]
        ):
            on_disk = self._part_size(record)
            if record.received_bytes > 0 and on_disk == 0:
                episode = self._library.episodes.get(record.episode_id)
                notices.append(
                    f"The partial download of “{episode.title if episode else record.url}” was"
                    " missing; it will start again from the beginning."
                )
                record.file_path = None
            record.received_bytes = on_disk
            if record.state == DownloadState.DOWNLOADING:
                move(record, DownloadState.QUEUED)
            self._library.downloads.save(record)
        for record in self._library.downloads.list([DownloadState.QUEUED]):
            try:
                self.start(record.episode_id)
            except DownloadError as exc:
                notices.append(str(exc))
        stale = self.stale_partials()
        if stale:
            notices.append(
                f"{len(stale)} partial download file(s) in {self.download_folder()} belong to"
                " no download any more; they can be removed from the downloads view."
            )
        return notices

    def stale_partials(self) -> list[Path]:
        """Our ``.part`` files that no download owns: in a podcast's folder, named like ours.

        Only podcast subfolders are looked at, so a browser's ``.part`` files in a shared
        folder such as ~/Downloads are never taken for ours.
        """
        root = self.download_folder()
        if not root.is_dir():
            return []
        owned = {path + PART_SUFFIX for path in self._library.downloads.file_paths()}
        folders = {
            safe_name_part(podcast.title, PODCAST_FOLDER_BYTES) or f"podcast-{podcast.id}"
            for podcast in self._library.podcasts.list()
        }
        stale: list[Path] = []
        for name in sorted(folders):
            folder = root / name
            if not folder.is_dir() or folder.is_symlink():
                continue
            for part in folder.glob(f"*{PART_SUFFIX}"):
                extension = Path(part.name.removesuffix(PART_SUFFIX)).suffix.lower()
                if (
                    extension in MEDIA_EXTENSIONS
                    and str(part) not in owned
                    and part.is_file()
                    and not part.is_symlink()
                ):
                    stale.append(part)
        return sorted(stale)

    def remove_stale_partials(self) -> int:
        """Delete the stale ``.part`` files; how many were removed comes back."""
        removed = 0
        for part in self.stale_partials():
            if self._remove_inside_folder(part):
                removed += 1
        return removed

    def shutdown(self, timeout_s: float = 10.0) -> None:
        """Stop the workers; running downloads stay queued and resume on the next start."""
        with self._lock:
            self._shutting_down = True
            for episode_id in list(self._pending):  # stays queued in the library
                self._pending.remove(episode_id)
                del self._live[episode_id]
            for task in self._live.values():
                if task.stop is None:
                    self._stop_locked(task, _Stop.SHUTDOWN)
            self._lock.notify_all()
            workers = list(self._workers)
        deadline = time.monotonic() + timeout_s
        for worker in workers:
            worker.join(max(0.0, deadline - time.monotonic()))

    # Workers ----------------------------------------------------------------------------------

    def _ensure_workers(self) -> None:
        while len(self._workers) < self._max_parallel:
            worker = threading.Thread(
                target=self._work, name=f"podplayer-download-{len(self._workers) + 1}", daemon=True
            )
            self._workers.append(worker)
            worker.start()

    def _work(self) -> None:
        while True:
            with self._lock:
                self._lock.wait_for(lambda: self._pending or self._shutting_down)
                if self._shutting_down:
                    return
                episode_id = self._pending.popleft()
                task = self._live[episode_id]
                move(task.download, DownloadState.DOWNLOADING)
                task.meter.reset()
                if not self._library.downloads.save(task.download):  # its podcast was removed
                    del self._live[episode_id]
                    self._lock.notify_all()
                    continue
            self._emit(episode_id)
            try:
                self._run(task)
            except Exception:  # a worker never dies: the others' downloads depend on it
                log.exception("Download of episode %s stopped", episode_id)
                with self._lock:
                    if self._live.get(episode_id) is task:
                        del self._live[episode_id]
                    self._lock.notify_all()

    def _run(self, task: _Task) -> None:
        # The transfer machinery is imported with the first download, not when the window opens.
        from podplayer.core.downloads.transfer import Transfer, TransferEnd, open_part_for_writing

        failure: DownloadFailedError | None = None
        end: TransferEnd | None = None
        root = self.download_folder()
        if task.download.file_path and not inside_folder(root, Path(task.download.file_path)):
            self._discard_partial(task.download)
        for attempt in range(len(self._retry_delays_s) + 1):
            failure = None
            transfer = Transfer(
                self._http,
                download=task.download,
                folder=root,
                choose_path=lambda info: self._choose_path(task, root, info),
                on_progress=lambda received: self._on_progress(task, received),
                should_stop=lambda: task.stop is not None,
                open_part=open_part_for_writing if self._open_part is None else self._open_part,
                credentials=task.credentials,
            )
            with self._lock:
                task.transfer = transfer
            try:
                end = transfer.run()
            except DownloadFailedError as exc:
                failure = exc
            except Exception as exc:
                log.exception("Download of episode %s failed", task.download.episode_id)
                failure = DownloadFailedError(
                    FailureReason.DISK_ERROR, str(exc) or type(exc).__name__
                )
            if failure is None or failure.reason not in (
                FailureReason.CONNECTION_LOST,
                FailureReason.UNREACHABLE,
                FailureReason.SERVER_TROUBLE,
            ):
                break
            if attempt < len(self._retry_delays_s) and self._sleep_unless_stopped(
                task, self._retry_delays_s[attempt]
            ):
                break
        self._finish(task, end == TransferEnd.COMPLETED, failure)

    def _sleep_unless_stopped(self, task: _Task, seconds: float) -> bool:
        """Wait before an automatic retry; True when the task was stopped meanwhile."""
        with self._lock:
            return self._lock.wait_for(lambda: task.stop is not None, seconds)

    def _choose_path(self, task: _Task, root: Path, info: ResponseInfo) -> Path:
        episode = task.episode
        podcast = self._library.podcasts.get(episode.podcast_id)
        if root != self._default_folder and not root.is_dir():
            raise DownloadFailedError(
                FailureReason.DISK_ERROR,
                f"the download folder {root} is missing; is its drive connected?",
            )
        try:
            root.mkdir(parents=True, exist_ok=True, mode=0o700)
            folder = podcast_folder(root, podcast.title if podcast else "", episode.podcast_id)
            extension = media_extension(
                info.content_type,
                info.url,
                info.disposition_name,
                episode.enclosure_type,
                info.first_bytes,
            )
            stem = episode_stem(episode.title, info.disposition_name, info.url, episode.id or 0)
            final = reserve_unique_path(folder, stem, extension)
        except UnsafePathError as exc:
            raise DownloadFailedError(FailureReason.DISK_ERROR, str(exc)) from exc
        except OSError as exc:
            raise DownloadFailedError(FailureReason.DISK_ERROR, exc.strerror or str(exc)) from exc
        with self._lock:
            task.download.file_path = str(final)
            if task.stop != _Stop.DELETE:
                self._library.downloads.save(task.download)  # every process knows the name now
        return final

    def _on_progress(self, task: _Task, received: int) -> None:
        now = self._clock()
        task.meter.add(now, received)
        if now - task.last_save >= SAVE_INTERVAL_S:
            task.last_save = now
            self._library.downloads.save_progress(task.download.episode_id, received)
        if now - task.last_emit >= PROGRESS_INTERVAL_S:
            task.last_emit = now
            self._emit(task.download.episode_id)

    def _finish(self, task: _Task, completed: bool, failure: DownloadFailedError | None) -> None:
        episode_id = task.download.episode_id
        with self._lock:
            self._finishing += 1
        try:
            with self._lock:  # one step: a retry meanwhile never finds the task half finished
                del self._live[episode_id]
                try:
                    removed = self._store_outcome(task, completed, failure)
                    requeue = task.resume_after_stop and task.download.state == (
                        DownloadState.QUEUED
                    )
                    if requeue and not removed:
                        task.stop = None  # resumed or retried while it was still stopping
                        task.resume_after_stop = False
                        self._live[episode_id] = task
                        self._pending.append(episode_id)
                finally:
                    self._lock.notify_all()
            if removed:
                self._notify(_removed(episode_id))
            else:
                self._emit(episode_id)
        finally:
            with self._lock:
                self._finishing -= 1
                self._lock.notify_all()

    def _store_outcome(
        self, task: _Task, completed: bool, failure: DownloadFailedError | None
    ) -> bool:
        """Save how the transfer ended; True when the download is gone (deleted, or its episode
        left the library meanwhile: then its files go too, nothing is left behind)."""
        record = task.download
        if task.stop == _Stop.DELETE:
            stored = False
        elif task.stop == _Stop.CANCEL:
            self._drop_files(record, completed)
            stored = self._library.downloads.save(record)
        else:
            if completed:
                move(record, DownloadState.COMPLETED)
            elif task.stop == _Stop.SHUTDOWN:
                move(record, DownloadState.QUEUED)
            elif task.stop != _Stop.PAUSE:
                sentence = str(failure) if failure else "The download stopped for no known reason."
                move(record, DownloadState.FAILED, sentence)
                if failure is not None and not failure.reason.resumable:
                    self._discard_partial(record)  # nothing worth resuming: retry starts clean
            stored = self._library.downloads.save(record)
        if not stored:
            self._drop_files(record, completed)
        return not stored

    def _drop_files(self, record: Download, completed: bool) -> None:
        """Delete the partial file, and the finished one when the transfer completed just as it
        was stopped (its name is taken before _discard_partial forgets it)."""
        finished = record.file_path if completed else None
        self._discard_partial(record)
        if finished:
            self._remove_inside_folder(Path(finished))
            record.file_path = None

    # Helpers ----------------------------------------------------------------------------------

    def _stop_locked(self, task: _Task, stop: _Stop) -> None:
        if task.download.episode_id in self._pending:
            self._pending.remove(task.download.episode_id)
            del self._live[task.download.episode_id]
            task.stop = stop
            if stop in (_Stop.CANCEL, _Stop.DELETE):
                self._discard_partial(task.download)
            self._lock.notify_all()
            return
        task.stop = stop
        if task.transfer is not None:
            task.transfer.abort()
        self._lock.notify_all()

    def _part_size(self, record: Download) -> int:
        if not record.file_path:
            return 0
        try:
            return part_path(Path(record.file_path)).stat().st_size
        except OSError:
            return 0

    def _discard_partial(self, record: Download) -> None:
        """Delete the record's ``.part`` file (if any) and forget its bytes and name."""
        if record.file_path:
            self._remove_inside_folder(part_path(Path(record.file_path)))
            if record.state != DownloadState.COMPLETED:
                record.file_path = None
        record.received_bytes = 0
        record.total_bytes = None
        record.validator = None

    def _remove_inside_folder(self, path: Path) -> bool:
        """Delete a file of ours: only inside a download folder (now or before), only files."""
        roots = {self.download_folder(), self._default_folder, *self._past_folders()}
        if not any(inside_folder(root, path) for root in roots):
            log.warning("Refused to delete %s: it is outside the download folder", path)
            return False
        if path.is_symlink() or not path.is_file():
            return False
        path.unlink(missing_ok=True)
        return True

    def _progress_of(self, record: Download, title: str, task: _Task | None) -> DownloadProgress:
        rate = task.meter.rate() if task and record.state == DownloadState.DOWNLOADING else None
        left: float | None = None
        if rate and record.total_bytes:
            left = max(0.0, (record.total_bytes - record.received_bytes) / rate)
        return DownloadProgress(
            episode_id=record.episode_id,
            title=title,
            state=record.state,
            received_bytes=record.received_bytes,
            total_bytes=record.total_bytes,
            bytes_per_second=rate,
            seconds_left=left,
            error=record.error,
            file_path=record.file_path,
        )

    def _emit(self, episode_id: int) -> None:
        with self._emit_lock:
            progress = self.progress(episode_id)
            if progress is not None:
                self._notify(progress)

    def _notify(self, progress: DownloadProgress) -> None:
        with self._lock:
            listeners = list(self._listeners)
        with self._emit_lock:
            for listener in listeners:
                try:
                    listener(progress)
                except Exception:
                    log.exception("A download listener failed")


def _removed(episode_id: int) -> DownloadProgress:
    """The news that a download and its file are gone."""
    return DownloadProgress(
        episode_id=episode_id,
        title="",
        state=DownloadState.CANCELLED,
        received_bytes=0,
        total_bytes=None,
        bytes_per_second=None,
        seconds_left=None,
        error="",
        file_path=None,
        removed=True,
    )
