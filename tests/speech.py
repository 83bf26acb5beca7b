"""Speech with a known truth for the transcription tests and bench: espeak-ng sentences placed at
known times between silences, and the word error rate of a transcript against its truth."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from podplayer.core.models import Cue

RATE = 22_050
SENTENCES = (
    "The quick brown fox jumps over the lazy dog.",
    "Podcasts are easier to follow when every word is written down.",
    "This sentence comes after a long pause of three seconds.",
    "Please remember to water the plants on Sunday morning.",
    "A transcript made on your own computer never leaves it.",
    "The weather will be cold and windy for the rest of the week.",
    "She sold seven apples and two oranges at the market.",
    "Thank you for listening, and see you next time.",
)
PAUSES_MS = (700, 1500, 3000, 900, 2000, 1200, 600, 1000)
"""The silence before each sentence."""
_NUMBERS = {
    str(n): word
    for n, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ]
    )
}


@dataclass(frozen=True)
class TruthCue:
    start_ms: int
    end_ms: int
    text: str


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def _speak(text: str) -> np.ndarray:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "165", "-w", str(path), text], check=True)
        with wave.open(str(path)) as wav:
            assert wav.getframerate() == RATE and wav.getsampwidth() == 2
            samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
    loud = np.flatnonzero(np.abs(samples) > 300)
    return samples[loud[0] : loud[-1] + 1] if loud.size else samples


def make_speech(
    path: Path,
    sentences: tuple[str, ...] = SENTENCES,
    pauses_ms: tuple[int, ...] = PAUSES_MS,
    repeat: int = 1,
) -> list[TruthCue]:
    """Write a WAV of the sentences (``repeat`` times over) with the pauses; returns the truth."""
    pieces: list[np.ndarray] = []
    truth: list[TruthCue] = []
    spoken = {text: _speak(text) for text in sentences}
    position = 0
    for _ in range(repeat):
        for text, pause in zip(sentences, pauses_ms, strict=True):
            pieces.append(np.zeros(pause * RATE // 1000, dtype=np.int16))
            position += pause * RATE // 1000
            samples = spoken[text]
            truth.append(
                TruthCue(position * 1000 // RATE, (position + samples.size) * 1000 // RATE, text)
            )
            pieces.append(samples)
            position += samples.size
    pieces.append(np.zeros(RATE, dtype=np.int16))
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(np.concatenate(pieces).tobytes())
    return truth


def vtt_truth(path: Path) -> list[TruthCue]:
    """Cues of a simple WebVTT file (the demo episode's)."""
    from podplayer.core.transcripts.vtt import parse_vtt

    transcript = parse_vtt(path.read_text(encoding="utf-8"))
    return [TruthCue(c.start_ms or 0, c.end_ms or 0, c.text) for c in transcript.cues]


def normalized_words(text: str) -> list[str]:
    words = re.findall(r"[a-z0-9']+", text.lower().replace("-", " "))
    return [_NUMBERS.get(word, word) for word in words]


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / reference words, by edit distance on words."""
    ref, hyp = normalized_words(reference), normalized_words(hypothesis)
    previous = list(range(len(hyp) + 1))
    for i, ref_word in enumerate(ref, 1):
        current = [i]
        for j, hyp_word in enumerate(hyp, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref_word != hyp_word))
            )
        previous = current
    return previous[-1] / max(1, len(ref))


def start_errors_ms(truth: list[TruthCue], cues: list[Cue]) -> list[int]:
    """For each generated cue, how far its start is from the nearest truth cue start."""
    starts = [cue.start_ms or 0 for cue in cues]
    return [min(abs(start - t.start_ms) for t in truth) for start in starts]
