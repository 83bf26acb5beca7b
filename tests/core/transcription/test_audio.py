"""PyAV decodes every shape a podcast comes in, and says what is wrong with bad files."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import numpy as np
import pytest

from podplayer.core.transcription.audio import (
    SAMPLE_RATE,
    AudioError,
    SpooledStream,
    decode_audio,
)

AUDIO = Path(__file__).resolve().parents[2] / "data" / "audio"
DEMO = Path(__file__).resolve().parents[3] / "resources" / "demo" / "welcome.mp3"


@pytest.mark.parametrize("name", ["beeps.mp3", "beeps.m4a", "beeps.ogg", "beeps.opus", "beeps.wav"])
def test_each_shape_decodes_to_16_khz_mono_16_bit_of_the_right_length(name: str) -> None:
    audio = decode_audio(AUDIO / name)
    assert audio.dtype == np.int16 and audio.ndim == 1
    # The beep files are 20 s long; each format pads a little differently.
    assert 19.9 < audio.size / SAMPLE_RATE < 20.2
    assert int(np.abs(audio).max()) > 3000


def test_the_22_khz_mono_demo_decodes_whole() -> None:
    assert 50.0 < decode_audio(DEMO).size / SAMPLE_RATE < 50.8


def test_a_stream_is_read_through_a_seekable_spool(tmp_path: Path) -> None:
    data = (AUDIO / "beeps.m4a").read_bytes()  # an index the decoder seeks for
    chunks = iter(data[i : i + 4096] for i in range(0, len(data), 4096))
    with SpooledStream(chunks, tmp_path) as stream:
        audio = decode_audio(stream)  # type: ignore[arg-type]
    assert 19.9 < audio.size / SAMPLE_RATE < 20.2
    assert list(tmp_path.iterdir()) == []  # the spool is gone


def _wav(path: Path, seconds: float, *, tone: bool) -> Path:
    t = np.arange(int(seconds * 8000)) / 8000
    samples = (np.sin(2 * np.pi * 440 * t) * 8000 if tone else np.zeros_like(t)).astype(np.int16)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        wav.writeframes(samples.tobytes())
    return path


def test_bad_files_are_sentences(tmp_path: Path) -> None:
    empty = tmp_path / "empty.mp3"
    empty.write_bytes(b"")
    with pytest.raises(AudioError, match=r"empty \(0 bytes\)"):
        decode_audio(empty)
    html = tmp_path / "episode.mp3"
    html.write_bytes(b"<html><body>Not found</body></html>" * 50)
    with pytest.raises(AudioError, match="not an audio file"):
        decode_audio(html)
    with pytest.raises(AudioError, match="missing"):
        decode_audio(tmp_path / "gone.mp3")


@pytest.mark.parametrize("name", ["beeps.mp3", "beeps.m4a"])
def test_a_truncated_file_is_called_incomplete(tmp_path: Path, name: str) -> None:
    whole = (AUDIO / name).read_bytes()
    cut = tmp_path / name
    cut.write_bytes(whole[: len(whole) // 3])  # its header (or index) still says 20 s
    with pytest.raises(AudioError, match=r"ends after \d s of its 20 s: the file is incomplete"):
        decode_audio(cut)


def test_a_download_cut_where_no_header_tells_is_judged_by_the_feed(tmp_path: Path) -> None:
    short = _wav(tmp_path / "short.wav", 5, tone=True)
    with pytest.raises(AudioError, match="ends after 5 s of its 60 s"):
        decode_audio(short, expected_ms=60_000)
    assert decode_audio(short, expected_ms=6_000).size == 5 * SAMPLE_RATE


def test_garbage_in_a_memory_stream_is_a_sentence() -> None:
    with pytest.raises(AudioError):
        decode_audio(io.BytesIO(b"\x00" * 10_000))
