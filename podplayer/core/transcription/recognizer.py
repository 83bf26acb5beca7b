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
    loudness = Loudness(audio)
    last_ms = 0
    for segment in segments:
        words: list[Word] = []
        for word in segment.words or ():
            text = str(word.word).strip()
            if not text:
                continue
            start = max(last_ms, round(float(word.start) * 1000))
            end = max(start, round(float(word.end) * 1000))
            if not words:
                start = loudness.onset_ms(start, end)
            words.append(Word(start, end, text))
            last_ms = start
        text = " ".join(word.text for word in words) if words else str(segment.text).strip()
        if not text:
            continue
        start_ms = words[0].start_ms if words else max(last_ms, round(segment.start * 1000))
        end_ms = max(start_ms, words[-1].end_ms if words else round(segment.end * 1000))
        last_ms = start_ms
        yield Cue(start_ms, end_ms, text, None, tuple(words))


class Loudness:
    """Where sound starts: Whisper often starts a segment's first word in the pause before it
    (by a second or more, with the previous sentence's last sound), so that start is moved to
    the first loud 10 ms after the first pause within the word."""

    FRAME_MS = 10
    PAUSE_FRAMES = 12

    def __init__(self, audio: npt.NDArray[np.float32]) -> None:
        import numpy as np

        frame = SAMPLE_RATE * self.FRAME_MS // 1000
        count = audio.size // frame
        frames = audio[: count * frame].reshape(count, frame) if count else audio.reshape(0, 1)
        level = 20 * np.log10(np.sqrt(np.mean(np.square(frames), axis=1)) + 1e-9)
        if level.size:
            floor, loud = np.percentile(level, 10), np.percentile(level, 95)
            self._loud = level > floor + 0.3 * (loud - floor)
        else:
            self._loud = np.zeros(0, dtype=bool)

    def onset_ms(self, start_ms: int, end_ms: int) -> int:
        """Where sound starts after silence in [start_ms, end_ms); ``start_ms`` when unclear."""
        first, last = start_ms // self.FRAME_MS, max(start_ms, end_ms) // self.FRAME_MS
        quiet_run = self.PAUSE_FRAMES if first == 0 else 0
        for frame, loud in enumerate(self._loud[first:last].tolist()):
            if not loud:
                quiet_run += 1
            elif quiet_run >= self.PAUSE_FRAMES or (frame == quiet_run and quiet_run > 0):
                return (first + frame) * self.FRAME_MS
            else:
                quiet_run = 0
        return start_ms


def audio_ms(audio: npt.NDArray[np.float32]) -> int:
    return int(audio.size * 1000 // SAMPLE_RATE)
