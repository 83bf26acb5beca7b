"""Headless subcommands. Never imports Qt: works on a machine without a display."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from podplayer import __version__
from podplayer.core.downloads import DownloadError, DownloadManager, DownloadProgress
from podplayer.core.downloads.progress_text import summary_line
from podplayer.core.http import HttpClient
from podplayer.core.library import Library, LibraryError
from podplayer.core.models import DownloadState
from podplayer.core.paths import AppPaths
from podplayer.core.transcripts.timeline import Transcript
from podplayer.core.transcripts.timestamps import format_precise

Command = Callable[[argparse.Namespace, AppPaths], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="podplayer",
        description="A desktop podcast player. Without a command it opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"podplayer {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="keep the library, caches, downloads and settings in DIR (also: PODPLAYER_HOME=DIR)",
    )
    # For `make bundle-check`: plays FILE headless through libvlc and exits (not for users).
    parser.add_argument("--selftest-play", metavar="FILE", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    paths = commands.add_parser("paths", help="show where podplayer keeps its files")
    paths.set_defaults(handler=_cmd_paths)

    transcript = commands.add_parser(
        "transcript",
        help="print an episode's transcript, or a transcript file's, one cue a line",
        description="Print the cues of an episode's transcript (fetched and cached like the "
        "window does) or of a transcript file (VTT, SRT, JSON, HTML or text): start, end, "
        "speaker and text, separated by tabs. A number is an episode id; write ./123 for a "
        "file named 123.",
    )
    transcript.add_argument("source", metavar="EPISODE_ID|FILE")
    transcript.add_argument("--json", action="store_true", help="print JSON for scripts")
    transcript.set_defaults(handler=_cmd_transcript)
    download = commands.add_parser(
        "download", help="download episodes (resuming partial downloads) into the download folder"
    )
    download.add_argument("episode_ids", metavar="EPISODE_ID", type=int, nargs="+")
    download.set_defaults(handler=_cmd_download)
    return parser


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
    if args.json:
        print(json.dumps(_transcript_as_json(transcript), ensure_ascii=False, indent=1))
    else:
        for cue in transcript.cues:
            start = format_precise(cue.start_ms) if cue.start_ms is not None else ""
            end = format_precise(cue.end_ms) if cue.end_ms is not None else ""
            print(f"{start}\t{end}\t{cue.speaker or ''}\t{cue.text}")
    for note in transcript.notes:
        print(f"podplayer: note: {note}", file=sys.stderr)
    return 0


def _file_transcript(path: Path) -> Transcript | None:
    from podplayer.core.transcripts.parsing import MAX_TRANSCRIPT_BYTES, parse_transcript

    try:
        if path.stat().st_size > MAX_TRANSCRIPT_BYTES:
            print(f"podplayer: {path} is too large for a transcript.", file=sys.stderr)
            return None
        data = path.read_bytes()
    except OSError as exc:
        print(f"podplayer: {path} could not be opened: {exc.strerror or exc}.", file=sys.stderr)
        return None
    return parse_transcript(data, name=path.name)


def _episode_transcript(episode_id: int, paths: AppPaths) -> Transcript | None:
    from podplayer.core.http import HttpClient
    from podplayer.core.transcripts.store import TranscriptStore

    library = open_library(paths)
    try:
        episode = library.episodes.get(episode_id)
        if episode is None:
            print(
                f"podplayer: there is no episode {episode_id}. List episodes with "
                "'podplayer episodes'.",
                file=sys.stderr,
            )
            return None
        podcast = library.podcasts.get(episode.podcast_id)
    finally:
        library.close()
    http = HttpClient()
    try:
        store = TranscriptStore(paths.transcripts_cache_dir, http)
        return store.transcript_for(episode, podcast.language if podcast else "")
    finally:
        http.close()


def _transcript_as_json(transcript: Transcript) -> dict[str, object]:
    return {
        "format": transcript.format_name,
        "timed": transcript.timed,
        "notes": list(transcript.notes),
        "cues": [
            {"start_ms": c.start_ms, "end_ms": c.end_ms, "speaker": c.speaker, "text": c.text}
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
    library = Library.open(paths.database)
    for notice in library.notices:
        print(notice, file=sys.stderr)
    return library


def run(args: argparse.Namespace) -> int:
    """Run the subcommand in ``args``; errors become a sentence on stderr and exit status 1."""
    paths = AppPaths.resolve(args.data_dir)
    handler: Command = args.handler
    try:
        return handler(args, paths)
    except LibraryError as exc:
        print(f"podplayer: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
