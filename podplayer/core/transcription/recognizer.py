"""Speech to timed text with faster-whisper: int8 on the CPU, word times, voice-activity filter."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

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


CHUNK_MS = 120_000
"""Audio goes to the recognizer two minutes at a time, cut at the quietest moment near each
boundary: its features and voice-activity filter work on a whole input at once, which for an
hour-long episode would take gigabytes."""
CUT_SEARCH_MS = 10_000


def recognize(
    model: object,
    audio: npt.NDArray[np.int16],
    language: str | None,
    on_language: Callable[[str], None] | None = None,
) -> Iterator[Cue]:
    """Cues with word times as faster-whisper makes them, in order; starts never go back.

    The language is the one given, else the one detected in the first piece of audio.
    """
    loudness = Loudness(audio)
    chosen = whisper_language(language)
    last_ms = 0
    for first, end in loudness.pieces(audio.size):
        piece = audio[first:end].astype("float32") / 32768.0
        offset_ms = first * 1000 // SAMPLE_RATE
        segments, info = model.transcribe(  # type: ignore[attr-defined]
            piece,
            language=chosen,
            beam_size=1,
            word_timestamps=True,
            vad_filter=True,
            condition_on_previous_text=False,
        )
        if chosen is None:
            chosen = str(info.language)
            if on_language is not None:
                on_language(chosen)
        elif first == 0 and on_language is not None:
            on_language(chosen)
        for segment in segments:
            cue = _cue(segment, offset_ms, last_ms, loudness)
            if cue is not None:
                last_ms = cue.start_ms or last_ms
                yield cue


def _cue(segment: Any, offset_ms: int, last_ms: int, loudness: Loudness) -> Cue | None:
    words: list[Word] = []
    for word in segment.words or ():
        text = str(word.word).strip()
        if not text:
            continue
        start = max(last_ms, offset_ms + round(float(word.start) * 1000))
        end = max(start, offset_ms + round(float(word.end) * 1000))
        if not words:
            start = loudness.onset_ms(start, end)
        words.append(Word(start, end, text))
        last_ms = start
    text = " ".join(word.text for word in words) if words else str(segment.text).strip()
    if not text:
        return None
    start_ms = words[0].start_ms if words else max(last_ms, offset_ms + round(segment.start * 1000))
    end_ms = max(start_ms, words[-1].end_ms if words else offset_ms + round(segment.end * 1000))
    return Cue(start_ms, end_ms, text, None, tuple(words))


class Loudness:
    """Where sound starts: Whisper often starts a segment's first word in the pause before it
    (by a second or more, with the previous sentence's last sound), so that start is moved to
    the first loud 10 ms after the first pause within the word. Also where to cut the audio."""

    FRAME_MS = 10
    PAUSE_FRAMES = 12
    BLOCK_FRAMES = 6_000  # levels are computed a minute at a time, to keep memory flat

    def __init__(self, audio: npt.NDArray[np.int16]) -> None:
        import numpy as np

        frame = SAMPLE_RATE * self.FRAME_MS // 1000
        count = audio.size // frame
        levels = []
        for block in range(0, count, self.BLOCK_FRAMES):
            frames = audio[block * frame : min(count, block + self.BLOCK_FRAMES) * frame]
            power = np.mean(np.square(frames.reshape(-1, frame).astype(np.float32)), axis=1)
            levels.append(10 * np.log10(power + 1e-3))
        self._level = np.concatenate(levels) if levels else np.zeros(0, dtype=np.float32)
        if self._level.size:
            floor, loud = np.percentile(self._level, 10), np.percentile(self._level, 95)
            self._loud = self._level > floor + 0.3 * (loud - floor)
        else:
            self._loud = np.zeros(0, dtype=bool)

    def pieces(self, samples: int) -> Iterator[tuple[int, int]]:
        """(first, end) sample ranges of about CHUNK_MS, cut at the quietest nearby moment."""
        import numpy as np

        per_ms = SAMPLE_RATE // 1000
        first = 0
        while samples - first > (CHUNK_MS + CUT_SEARCH_MS) * per_ms:
            around = (first // per_ms + CHUNK_MS) // self.FRAME_MS
            low, high = (
                around - CUT_SEARCH_MS // self.FRAME_MS,
                around + CUT_SEARCH_MS // self.FRAME_MS,
            )
            quietest = low + int(np.argmin(self._level[low:high]))
            cut = quietest * self.FRAME_MS * per_ms
            yield first, cut
            first = cut
        yield first, samples

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


def audio_ms(audio: npt.NDArray[np.int16]) -> int:
    return int(audio.size * 1000 // SAMPLE_RATE)
