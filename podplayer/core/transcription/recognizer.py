"""Speech to timed text with faster-whisper: int8 on the CPU, word times, voice-activity filter."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from podplayer.core.models import Cue, Word
from podplayer.core.transcription.audio import SAMPLE_RATE
from podplayer.core.transcription.speech_models import ModelError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


def load_model(folder: Path, threads: int) -> object:
    """The faster-whisper model in ``folder``; ModelError with a sentence when it is damaged."""
    from faster_whisper import WhisperModel

    try:
        return WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=threads)
    except (RuntimeError, ValueError, OSError) as exc:
        raise ModelError(
            f"The speech model in {folder} could not be loaded: it is damaged or not a "
            "faster-whisper model. Choose another model, or delete the folder so podplayer "
            "fetches it again."
        ) from exc


def whisper_language(code: str | None) -> str | None:
    """Whisper's code for a feed language ("en-US" -> "en"); None (detect) when it has none."""
    from faster_whisper.tokenizer import _LANGUAGE_CODES

    if not code:
        return None
    primary = code.strip().lower().replace("_", "-").split("-")[0]
    return primary if primary in _LANGUAGE_CODES else None


def recognize(
    model: object,
    audio: npt.NDArray[np.float32],
    language: str | None,
    on_language: Callable[[str], None] | None = None,
) -> Iterator[Cue]:
    """Cues with word times as faster-whisper makes them, in order; starts never go back."""
    segments, info = model.transcribe(  # type: ignore[attr-defined]
        audio,
        language=whisper_language(language),
        beam_size=1,
        word_timestamps=True,
        vad_filter=True,
        condition_on_previous_text=False,
    )
    if on_language is not None:
        on_language(str(info.language))
    last_ms = 0
    for segment in segments:
        words: list[Word] = []
        for word in segment.words or ():
            text = str(word.word).strip()
            if not text:
                continue
            start = max(last_ms, round(float(word.start) * 1000))
            end = max(start, round(float(word.end) * 1000))
            words.append(Word(start, end, text))
            last_ms = start
        text = " ".join(word.text for word in words) if words else str(segment.text).strip()
        if not text:
            continue
        start_ms = words[0].start_ms if words else max(last_ms, round(segment.start * 1000))
        end_ms = max(start_ms, words[-1].end_ms if words else round(segment.end * 1000))
        last_ms = start_ms
        yield Cue(start_ms, end_ms, text, None, tuple(words))


def audio_ms(audio: npt.NDArray[np.float32]) -> int:
    return int(audio.size * 1000 // SAMPLE_RATE)
