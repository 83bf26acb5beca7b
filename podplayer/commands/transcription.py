"""`podplayer transcribe`: make an episode's (or a file's) transcript on this computer."""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path
from typing import Any

from podplayer.core.paths import RESOURCES_DIR, AppPaths
from podplayer.core.transcription.episode_audio import EpisodeAudio
from podplayer.core.transcription.jobs import DEFAULT_MODEL
from podplayer.core.transcription.protocol import JobRequest
from podplayer.core.transcription.runner import RunResult, WorkerRun

_STAGES = {
    "model": "Loading the speech model …",
    "decoding": "Reading the audio …",
    "recognizing": "Transcribing …",
}


def add_parser(commands: Any) -> None:
    """The `transcribe` subcommand's options (command_line.py calls this)."""
    transcribe = commands.add_parser(
        "transcribe",
        help="make a timed transcript on this computer (speech recognition, nothing sent away)",
        description="Transcribe an episode (its download, else its audio streamed from the "
        "feed) or an audio file with Whisper, on this computer. An episode's transcript is "
        "stored and shown in the window; it is printed like `podplayer transcript`. A number "
        "is an episode id; write ./123 for a file named 123.",
    )
    transcribe.add_argument("source", metavar="EPISODE_ID|FILE")
    transcribe.add_argument(
        "--model",
        metavar="NAME|DIR",
        default=None,
        help=f"tiny, base, small, medium, or a model folder (default: {DEFAULT_MODEL})",
    )
    transcribe.add_argument(
        "--language", metavar="CODE", help="the language spoken, e.g. en (default: detected)"
    )
    transcribe.add_argument("--json", action="store_true", help="print JSON with word times")


def cmd_transcribe(args: argparse.Namespace, paths: AppPaths) -> int:
    from podplayer.cli import print_transcript
    from podplayer.core.transcription.generated import generated_transcript

    source: str = args.source
    model: str = args.model or DEFAULT_MODEL
    episode_id = int(source) if source.isdigit() else None
    if episode_id is None:
        path = Path(source).expanduser()
        if not path.is_file():
            print(f"podplayer: {path} is not a file.", file=sys.stderr)
            return 1
        audio, language, expected_ms = str(path.resolve()), args.language, None
    else:
        found = _episode_audio(paths, episode_id)
        if found is None:
            return 1
        episode_audio, feed_language = found
        audio, expected_ms = episode_audio.location, episode_audio.expected_ms
        language = args.language or feed_language
    paths.create()
    request = JobRequest(audio, model, str(paths.cache_dir), language, expected_ms=expected_ms)
    result = _run_with_progress(request)
    if result.cancelled:
        print("podplayer: transcribing was cancelled; nothing was saved.", file=sys.stderr)
        return 130
    if not result.succeeded:
        print(f"podplayer: {result.error}", file=sys.stderr)
        return 1
    if episode_id is None:
        transcript = generated_transcript(result.cues)
    else:
        transcript = _save(paths, episode_id, result, model)
    print_transcript(transcript, as_json=args.json)
    return 0


def _episode_audio(paths: AppPaths, episode_id: int) -> tuple[EpisodeAudio, str] | None:
    """The episode's audio source and its podcast's language, or None (said on stderr)."""
    from podplayer.cli import open_library, stored_episode
    from podplayer.core.downloads.manager import local_file_for
    from podplayer.core.http import HttpClient
    from podplayer.core.resource_fetch import ResourceFetcher
    from podplayer.core.transcription.episode_audio import audio_source

    library = open_library(paths)
    try:
        episode = stored_episode(library, episode_id)
        if episode is None:
            return None
        podcast = library.podcasts.get(episode.podcast_id)
        shipped = ResourceFetcher(HttpClient(), [RESOURCES_DIR])

        def local_file(wanted: int) -> Path | None:
            return local_file_for(library, wanted) or shipped.trusted_path(episode.enclosure_url)

        source = audio_source(episode, local_file)
    finally:
        library.close()
    if source is None:
        print(
            f"podplayer: episode {episode_id} has no audio to transcribe (no download and no "
            "http address).",
            file=sys.stderr,
        )
        return None
    return source, podcast.language if podcast else ""


def _save(paths: AppPaths, episode_id: int, result: RunResult, model: str) -> Any:
    from podplayer.cli import open_library
    from podplayer.core.search.index import SearchIndex
    from podplayer.core.storage.search import SearchRepository
    from podplayer.core.storage.transcription import TranscriptionRepository
    from podplayer.core.transcription.generated import GeneratedTranscripts, follow_in_search

    library = open_library(paths)
    try:
        generated = GeneratedTranscripts(TranscriptionRepository(library.db))
        follow_in_search(generated, SearchIndex(SearchRepository(library.db)))
        return generated.save(episode_id, result.cues, model, result.language)
    finally:
        library.close()


def _run_with_progress(request: JobRequest) -> RunResult:
    """Run the worker; a progress line on a terminal; Ctrl+C cancels it at once."""
    terminal = sys.stderr.isatty()
    duration_ms: list[int] = []

    def show(event: dict[str, Any]) -> None:
        if not terminal:
            return
        kind = event.get("event")
        if kind == "stage":
            line = _STAGES.get(str(event.get("stage")), "")
        elif kind == "model_progress" and event.get("total"):
            line = f"Fetching the speech model: {100 * int(event['done']) // int(event['total'])}%"
        elif kind == "audio":
            duration_ms.append(int(event["duration_ms"]))
            return
        elif kind == "cue" and duration_ms:
            percent = min(100, 100 * int(event["end_ms"]) // max(1, duration_ms[0]))
            line = f"Transcribing: {percent}%"
        else:
            return
        sys.stderr.write(f"\r\x1b[K{line}")
        sys.stderr.flush()

    run = WorkerRun(request, show)
    results: list[RunResult] = []
    thread = threading.Thread(target=lambda: results.append(run.run()), daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.2)
    except KeyboardInterrupt:
        run.cancel()
        thread.join()
    if terminal:
        sys.stderr.write("\r\x1b[K")
    return results[0]
