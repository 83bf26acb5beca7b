"""The transcription worker process: ``python -m podplayer.core.transcription.worker``.

It runs one job at a low CPU priority: fetch the model if needed, decode the audio (a file, or a
URL streamed through podplayer's HTTP client), recognize, and report events (see protocol.py).
A crash, an out-of-memory kill or a cancel ends this process only.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import traceback
from pathlib import Path
from typing import IO, Any

from podplayer.core.transcription.protocol import JobRequest, cue_event, encode_event

LOW_PRIORITY_NICENESS = 19
PR_SET_PDEATHSIG = 1
STREAM_DEADLINE_S = 3600.0


class _Reporter:
    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream

    def __call__(self, event: str, **fields: Any) -> None:
        self._stream.write(encode_event({"event": event, **fields}))
        self._stream.flush()


def run_job(request: JobRequest, report: _Reporter) -> None:
    """Do the job, reporting as it goes; raises ModelError/AudioError/HttpError with a sentence."""
    from podplayer.core.transcription.audio import decode_audio
    from podplayer.core.transcription.recognizer import audio_ms, load_model, recognize
    from podplayer.core.transcription.speech_models import install_model, resolve_model

    cache_dir = Path(request.cache_dir)
    report("stage", stage="decoding")
    if request.source.startswith(("http://", "https://")):
        audio = _decode_url(request.source, cache_dir, request.expected_ms)
    else:
        audio = decode_audio(Path(request.source), request.expected_ms)
    report("audio", duration_ms=audio_ms(audio))
    report("stage", stage="model")
    folder = resolve_model(request.model, cache_dir)
    if folder is None:
        folder = install_model(
            request.model,
            cache_dir,
            lambda done, total: report("model_progress", done=done, total=total),
        )
    model = load_model(folder, request.threads)
    report("stage", stage="recognizing")
    count = 0
    for cue in recognize(
        model, audio, request.language, lambda code: report("language", code=code)
    ):
        report(**cue_event(cue))
        count += 1
    if count == 0:
        from podplayer.core.transcription.audio import AudioError

        raise AudioError("No speech was found in this audio, so there is nothing to transcribe.")
    report("done")


def _decode_url(url: str, cache_dir: Path, expected_ms: int | None) -> Any:
    from podplayer.core.http import HttpClient, HttpError
    from podplayer.core.transcription.audio import SpooledStream, decode_audio

    client = HttpClient(deadline=STREAM_DEADLINE_S)
    try:
        with client.stream(url) as response:
            if response.status != 200:
                raise HttpError(
                    f"The episode's audio could not be fetched: the server answered "
                    f"{response.status}. Try again later.",
                    status=response.status,
                )
            cache_dir.mkdir(parents=True, exist_ok=True)
            with SpooledStream(response.chunks(), cache_dir) as spooled:
                return decode_audio(spooled, expected_ms)  # type: ignore[arg-type]
    finally:
        client.close()


def _lower_priority_and_follow_the_app() -> None:
    """Nice 19; and on Linux, end when the app that started this process dies (even killed)."""
    with contextlib.suppress(OSError):
        os.nice(LOW_PRIORITY_NICENESS)
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def main() -> int:
    """Read the request, answer with events; exit 0 when done, 1 when the job failed."""
    from podplayer.core.http import HttpError
    from podplayer.core.transcription.audio import AudioError
    from podplayer.core.transcription.speech_models import ModelError

    # Events go to the real standard output; anything printed by libraries goes to stderr.
    events = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    report = _Reporter(events)
    _lower_priority_and_follow_the_app()
    try:
        request = JobRequest.decode(sys.stdin.buffer.readline())
    except (ValueError, KeyError, TypeError):
        report("failed", message="The transcription worker got a request it did not understand.")
        return 1
    try:
        run_job(request, report)
    except (AudioError, ModelError, HttpError) as exc:
        report("failed", message=str(exc))
        return 1
    except MemoryError:
        report("failed", message="The computer ran out of memory while transcribing.")
        return 1
    except OSError as exc:
        report("failed", message=f"Transcribing failed: {exc.strerror or exc}.")
        return 1
    except Exception as exc:  # the last line of a process of its own: a sentence, not silence
        traceback.print_exc()
        report("failed", message=f"Transcribing failed unexpectedly ({exc.__class__.__name__}).")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
