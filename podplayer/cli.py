"""Headless subcommands. Never imports Qt: works on a machine without a display."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from podplayer.commands import sync as sync_commands
from podplayer.commands import transcription
from podplayer.core.cancellation import Cancellation
from podplayer.core.control_characters import strip_control_characters
from podplayer.core.credentials import SecretStore
from podplayer.core.downloads import DownloadError, DownloadManager, DownloadProgress
from podplayer.core.downloads.progress_text import summary_line
from podplayer.core.feeds.service import FeedService, RefreshResult, SubscribeError
from podplayer.core.http import HttpClient
from podplayer.core.models import DownloadState, Episode, Podcast
from podplayer.core.opml import OpmlError
from podplayer.core.paths import AppPaths, DataFolderError
from podplayer.core.storage.database import LibraryError
from podplayer.core.storage.library import Library
from podplayer.core.transcripts.timeline import Transcript
from podplayer.core.transcripts.timestamps import format_precise

Command = Callable[[argparse.Namespace, AppPaths], int]


def _cmd_paths(args: argparse.Namespace, paths: AppPaths) -> int:
    print(f"library:     {paths.database}")
    print(f"downloads:   {paths.downloads_dir}")
    print(f"cache:       {paths.cache_dir}")
    print(f"settings:    {paths.config_dir}")
    return 0


def _cmd_transcript(args: argparse.Namespace, paths: AppPaths) -> int:
    source: str = args.source
    transcript = (
        _episode_transcript(int(source), paths)
        if source.isdigit()
        else _file_transcript(Path(source))
    )
    if transcript is None:
        return 1
    if not transcript.readable:
        print(f"podplayer: {transcript.problem}", file=sys.stderr)
        return 1
    print_transcript(transcript, as_json=args.json)
    return 0


def print_transcript(transcript: Transcript, *, as_json: bool) -> None:
    """Cues one a line (start, end, speaker, text by tabs) or JSON; notes on stderr."""
    if as_json:
        print(json.dumps(_transcript_as_json(transcript), ensure_ascii=False, indent=1))
    else:
        for cue in transcript.cues:
            start = format_precise(cue.start_ms) if cue.start_ms is not None else ""
            end = format_precise(cue.end_ms) if cue.end_ms is not None else ""
            print(f"{start}\t{end}\t{cue.speaker or ''}\t{cue.text}")
    for note in transcript.notes:
        print(f"podplayer: note: {note}", file=sys.stderr)


def _file_transcript(path: Path) -> Transcript | None:
    from podplayer.core.transcripts.decoding import MAX_TRANSCRIPT_BYTES
    from podplayer.core.transcripts.parsing import parse_transcript

    try:
        with path.open("rb") as file:  # a device or a pipe reports no size: count what is read
            data = file.read(MAX_TRANSCRIPT_BYTES + 1)
        if len(data) > MAX_TRANSCRIPT_BYTES:
            print(f"podplayer: {path} is too large for a transcript.", file=sys.stderr)
            return None
    except OSError as exc:
        print(f"podplayer: {path} could not be opened: {exc.strerror or exc}.", file=sys.stderr)
        return None
    return parse_transcript(data, name=path.name)


def _episode_transcript(episode_id: int, paths: AppPaths) -> Transcript | None:
    from podplayer.core.http import HttpClient
    from podplayer.core.resource_fetch import app_resource_fetcher
    from podplayer.core.storage.transcription import TranscriptionRepository
    from podplayer.core.transcription.generated import GeneratedTranscripts
    from podplayer.core.transcripts.store import TranscriptStore

    library = open_library(paths)
    try:
        episode = stored_episode(library, episode_id)
        if episode is None:
            return None
        podcast = library.podcasts.get(episode.podcast_id)
        http = HttpClient()
        try:
            store = TranscriptStore(paths.transcripts_cache_dir, app_resource_fetcher(http))
            store.generated = GeneratedTranscripts(TranscriptionRepository(library.db))
            return store.transcript_for(episode, podcast.language if podcast else "")
        finally:
            http.close()
    finally:
        library.close()


def _transcript_as_json(transcript: Transcript) -> dict[str, object]:
    return {
        "format": transcript.format_name,
        "timed": transcript.timed,
        "notes": list(transcript.notes),
        "cues": [
            {
                "start_ms": c.start_ms,
                "end_ms": c.end_ms,
                "speaker": c.speaker,
                "text": c.text,
                **({"words": [[w.start_ms, w.end_ms, w.text] for w in c.words]} if c.words else {}),
            }
            for c in transcript.cues
        ],
    }


def _cmd_download(args: argparse.Namespace, paths: AppPaths) -> int:
    """Download the episodes two at a time; a progress line on a terminal, failures on stderr."""
    library = open_library(paths)
    http = HttpClient()
    manager = DownloadManager(library, http, paths.downloads_dir)
    failures: list[str] = []
    requested: list[int] = []
    terminal = sys.stderr.isatty()
    printing = threading.Lock()

    def show(_: DownloadProgress) -> None:
        line = summary_line(p for i in requested if (p := manager.progress(i)) is not None)
        with printing:
            sys.stderr.write(f"\r\x1b[K{line}")
            sys.stderr.flush()

    try:
        if terminal:
            manager.add_listener(show)
        for episode_id in dict.fromkeys(args.episode_ids):
            try:
                manager.start(episode_id)
            except DownloadError as exc:
                failures.append(str(exc))
            else:
                requested.append(episode_id)
        while not manager.wait_until_idle(0.5):
            pass
        if terminal and requested:
            sys.stderr.write("\n")
        for episode_id in requested:
            progress = manager.progress(episode_id)
            if progress is not None and progress.state == DownloadState.COMPLETED:
                print(progress.file_path)
            else:
                error = progress.error if progress else "The download record disappeared."
                title = progress.title if progress else str(episode_id)
                failures.append(f"“{title}” (episode {episode_id}) was not downloaded. {error}")
    except KeyboardInterrupt:
        manager.shutdown()
        print("\nStopped. Run the same command again to resume the downloads.", file=sys.stderr)
        return 130
    finally:
        manager.remove_listener(show)
        manager.shutdown()
        http.close()
        library.close()
    for failure in failures:
        print(f"podplayer: {failure}", file=sys.stderr)
    return 1 if failures else 0


def open_library(paths: AppPaths) -> Library:
    """Open the library, printing any notice (a damaged file moved aside) to stderr."""
    paths.create()
    library = Library.open(paths.database, SecretStore(paths.config_dir))
    for notice in library.notices:
        print(notice, file=sys.stderr)
    return library


def stored_episode(library: Library, episode_id: int) -> Episode | None:
    """The episode with this id, or None after saying on stderr that there is none."""
    episode = library.episodes.get(episode_id)
    if episode is None:
        print(
            f"podplayer: there is no episode {episode_id}. List episodes with "
            "'podplayer episodes'.",
            file=sys.stderr,
        )
    return episode


def run(args: argparse.Namespace) -> int:
    """Run the subcommand in ``args``; errors become a sentence on stderr and exit status 1."""
    paths = AppPaths.resolve(args.data_dir)
    handler = COMMANDS[args.command]
    try:
        return handler(args, paths)
    except (LibraryError, SubscribeError, OpmlError, DataFolderError) as exc:
        print(f"podplayer: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader left early (`podplayer transcript 12 | head`): stop quietly like other tools.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + signal.SIGPIPE


# Feed subscriptions -------------------------------------------------------------------------


@contextmanager
def _feed_service(paths: AppPaths) -> Iterator[tuple[FeedService, Library]]:
    library = open_library(paths)
    client = HttpClient()
    feeds = FeedService(library, client)
    try:
        yield feeds, library
    finally:
        feeds.close()
        client.close()
        library.close()


def _cmd_subscribe(args: argparse.Namespace, paths: AppPaths) -> int:
    with _feed_service(paths) as (feeds, library):
        try:
            address = _feed_address(args.address, paths, library)
            result = feeds.subscribe(address)
        except SubscribeError as exc:
            print(f"podplayer: {exc}", file=sys.stderr)
            for choice in exc.choices:
                label = f"  ({choice.title})" if choice.title else ""
                print(f"  {choice.url}{label}", file=sys.stderr)
            return 1
        print(result.message)
    return 0


def _feed_address(address: str, paths: AppPaths, library: Library) -> str:
    """The feed URL of an Apple Podcasts link (through the iTunes lookup API), else ``address``."""
    from podplayer.core.directories.apple_links import apple_podcast_id

    apple_id = apple_podcast_id(address)
    if apple_id is None:
        return address
    from podplayer.core.directories.json_fetch import DirectoryError
    from podplayer.core.directories.search import DirectorySearch
    from podplayer.core.settings import open_user_settings

    client = HttpClient()
    try:
        search = DirectorySearch(client, open_user_settings(library, paths))
        return search.resolve_apple_link(apple_id)
    except DirectoryError as exc:
        raise SubscribeError(f"{exc} Subscribe with the show's feed address instead.") from exc
    finally:
        client.close()


def _cmd_unsubscribe(args: argparse.Namespace, paths: AppPaths) -> int:
    with _feed_service(paths) as (feeds, library):
        podcast = feeds.find(args.podcast)
        assert podcast.id is not None
        http = HttpClient()
        downloads = DownloadManager(library, http, paths.downloads_dir)
        try:
            files = len(downloads.podcast_files(podcast.id))
            deleted = downloads.forget_podcast(podcast.id, delete_files=args.delete_files)
            feeds.unsubscribe(podcast.id)
        finally:
            downloads.shutdown()
            http.close()
        print(f"Unsubscribed from {podcast.title}; its episodes were removed from the library.")
        if deleted:
            print(f"Deleted {deleted} downloaded file{'s' if deleted != 1 else ''}.")
        elif files:
            print(
                f"Kept {files} downloaded file{'s' if files != 1 else ''} in"
                f" {downloads.download_folder()} (--delete-files removes them)."
            )
    return 0


def _cmd_refresh(args: argparse.Namespace, paths: AppPaths) -> int:
    with _feed_service(paths) as (feeds, library):
        ids = [_podcast_id(feeds.find(name)) for name in args.podcasts] if args.podcasts else None
        if ids is None and not library.podcasts.list():
            print("No subscriptions yet: `podplayer subscribe URL` adds one.")
            return 0
        cancellation = Cancellation()
        with _cancel_on_signals(cancellation) as received:
            results = feeds.refresh(ids, _progress_printer(), cancellation)
        stopped = [result for result in results if result.stopped]
        results = [result for result in results if not result.stopped]
        failed = [result for result in results if result.failed]
        changed = sum(result.counts.added for result in results if result.counts is not None)
        print(
            f"Refreshed {len(results)} podcast{'s' if len(results) != 1 else ''}: "
            f"{changed} new episode{'s' if changed != 1 else ''}, {len(failed)} failed."
        )
        if not args.no_transcripts and not stopped:
            from podplayer.commands.search import index_transcripts

            sentence = index_transcripts(library, paths, ids)
            if sentence:
                print(sentence)
    left = ", ".join(result.title for result in stopped[:10])
    more = f" and {len(stopped) - 10} more" if len(stopped) > 10 else ""
    undone = f" {len(stopped)} not refreshed: {left}{more}." if stopped else ""
    if received:
        print(
            f"podplayer: stopped ({signal.Signals(received[0]).name}).{undone} "
            "Run `podplayer refresh` again to finish.",
            file=sys.stderr,
        )
        return 128 + received[0]
    if stopped:
        print(f"podplayer:{undone}", file=sys.stderr)
    return 1 if failed or stopped else 0


@contextmanager
def _cancel_on_signals(cancellation: Cancellation) -> Iterator[list[int]]:
    """While the block runs, Ctrl+C (SIGINT) and SIGTERM cancel instead of raising; the list
    holds the signal received, if any."""
    received: list[int] = []

    def cancel(number: int, _frame: object) -> None:
        received.append(number)
        cancellation.cancel()

    previous = {number: signal.signal(number, cancel) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield received
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _progress_printer() -> Callable[[RefreshResult, int, int], None]:
    lock = threading.Lock()

    def show(result: RefreshResult, done: int, total: int) -> None:
        width = len(str(total))
        line = f"[{done:>{width}}/{total}] {result.message}"
        with lock:
            print(line, file=sys.stderr if result.failed else sys.stdout, flush=True)
            for warning in result.warnings:
                print(f"{' ' * (width * 2 + 3)} note: {warning}", flush=True)

    return show


def _cmd_list(args: argparse.Namespace, paths: AppPaths) -> int:
    with _feed_service(paths) as (_, library):
        podcasts = library.podcasts.list()
        counts = library.podcasts.episode_counts()
        if args.json:
            rows = []
            for podcast in podcasts:
                total, unplayed = counts.get(podcast.id or 0, (0, 0))
                rows.append({**_podcast_fields(podcast), "episodes": total, "unplayed": unplayed})
            print(json.dumps(rows, indent=2, ensure_ascii=False))
            return 0
        if not podcasts:
            print("No subscriptions yet: `podplayer subscribe URL` adds one.")
            return 0
        print(f"{'#':>4}  {'UNPLAYED':>8}  {'LAST REFRESH':<16}  {'STATUS':<12}  TITLE")
        for podcast in podcasts:
            total, unplayed = counts.get(podcast.id or 0, (0, 0))
            print(
                f"{podcast.id:>4}  {f'{unplayed}/{total}':>8}  "
                f"{_when(podcast.last_refresh_at):<16}  {podcast.refresh_status.value:<12}  "
                f"{_one_line(podcast.title)}"
            )
    return 0


def _cmd_episodes(args: argparse.Namespace, paths: AppPaths) -> int:
    with _feed_service(paths) as (feeds, library):
        podcast = feeds.find(args.podcast)
        episodes = library.episodes.list_for_podcast(_podcast_id(podcast))
        if args.json:
            print(
                json.dumps([dataclasses.asdict(e) for e in episodes], indent=2, ensure_ascii=False)
            )
            return 0
        print(f"{'#':>6}  {'DATE':<10}  {'LENGTH':>8}  {'STATE':<11}  TITLE")
        for episode in episodes:
            print(
                f"{episode.id:>6}  {_when(episode.published)[:10]:<10}  "
                f"{_length(episode.duration_s):>8}  {_state(episode):<11}  "
                f"{_one_line(episode.title)}"
            )
    return 0


def _cmd_import(args: argparse.Namespace, paths: AppPaths) -> int:
    try:
        data = Path(args.file).expanduser().read_bytes()
    except OSError as exc:
        print(f"podplayer: could not read {args.file}: {exc.strerror}.", file=sys.stderr)
        return 1
    with _feed_service(paths) as (feeds, _):
        report = feeds.import_opml(data)
        for problem in report.problems:
            print(f"podplayer: {args.file}: {problem}", file=sys.stderr)
        print(report.sentence())
        if report.added and not args.no_refresh:
            results = feeds.refresh([_podcast_id(p) for p in report.added], _progress_printer())
            if any(result.failed for result in results):
                return 1
    return 1 if report.problems else 0


def _cmd_export(args: argparse.Namespace, paths: AppPaths) -> int:
    with _feed_service(paths) as (feeds, library):
        data = feeds.export_opml()
        count = len(library.podcasts.list())
    if args.file == "-":
        sys.stdout.write(data.decode("utf-8"))
        return 0
    target = Path(args.file).expanduser()
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        print(f"podplayer: could not write {target}: {exc.strerror}.", file=sys.stderr)
        return 1
    print(f"Wrote {count} subscription{'s' if count != 1 else ''} to {target}.")
    return 0


def _cmd_search(args: argparse.Namespace, paths: AppPaths) -> int:
    from podplayer.commands.search import run_search

    return run_search(args, paths)


def _cmd_discover(args: argparse.Namespace, paths: AppPaths) -> int:
    from podplayer.commands.discover import run_discover

    library = open_library(paths)
    try:
        return run_discover(args, paths, library)
    finally:
        library.close()


def _cmd_config(args: argparse.Namespace, paths: AppPaths) -> int:
    from podplayer.commands.config import run_config

    library = open_library(paths)
    try:
        return run_config(args, paths, library)
    finally:
        library.close()


def _podcast_id(podcast: Podcast) -> int:
    assert podcast.id is not None
    return podcast.id


def _podcast_fields(podcast: Podcast) -> dict[str, Any]:
    """Every stored field; the password itself is in the secret store and never shown."""
    fields = dataclasses.asdict(podcast)
    fields["password"] = None if fields.pop("password_key") is None else "(stored)"
    return fields


def _when(stamp: float | None) -> str:
    if stamp is None:
        return "-"
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d %H:%M")


def _length(seconds: int | None) -> str:
    if seconds is None:
        return "?"
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _state(episode: Episode) -> str:
    if episode.played:
        state = "played"
    elif episode.position_ms:
        state = f"at {_length(episode.position_ms // 1000)}"
    else:
        state = "new"
    return state if episode.in_feed else f"{state}, gone"


def _one_line(text: str) -> str:
    """Feed text for a terminal: one line, no control characters (older libraries kept some)."""
    return " ".join(strip_control_characters(text).split())


def _cmd_chapters(args: argparse.Namespace, paths: AppPaths) -> int:
    from podplayer.commands import chapters

    if not args.source.isdigit():
        return chapters.run(args, paths, None)
    library = open_library(paths)
    try:
        return chapters.run(args, paths, library)
    finally:
        library.close()


COMMANDS: dict[str, Command] = {
    "paths": _cmd_paths,
    "transcript": _cmd_transcript,
    "chapters": _cmd_chapters,
    "download": _cmd_download,
    "subscribe": _cmd_subscribe,
    "unsubscribe": _cmd_unsubscribe,
    "refresh": _cmd_refresh,
    "list": _cmd_list,
    "episodes": _cmd_episodes,
    "import": _cmd_import,
    "export": _cmd_export,
    "search": _cmd_search,
    "discover": _cmd_discover,
    "config": _cmd_config,
    "sync": sync_commands.cmd_sync,
    "mark": sync_commands.cmd_mark,
    "transcribe": transcription.cmd_transcribe,
}
"""What each subcommand of ``podplayer.command_line.build_parser`` runs."""
