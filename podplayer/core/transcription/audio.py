"""Audio for the recognizer: any podcast file or stream decoded by PyAV to 16 kHz mono floats."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

SAMPLE_RATE = 16_000
MIN_COMPLETE_FRACTION = 0.8
"""A file whose audio stops before this share of the length it declares is called truncated."""
MIN_FEED_FRACTION = 0.5
"""The same against the feed's duration, which is often rounded or wrong, so far looser."""

DecodeProgress = Callable[[int], None]
"""Milliseconds of audio decoded so far."""


class AudioError(Exception):
    """The audio cannot be used; the message is a sentence for the user."""


class SpooledStream(io.RawIOBase):
    """A seekable file over a one-way stream of chunks: what was read is kept in a temporary file.

    PyAV seeks (an M4A whose index is at the end, an MP3's tag at the end); a seek forward reads
    the stream up to there. The temporary file is deleted on close.
    """

    def __init__(self, chunks: Iterator[bytes], folder: Path | None = None) -> None:
        super().__init__()
        self._chunks = chunks
        self._spool = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 (closed by close())
        self._size = 0
        self._position = 0
        self._ended = False

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def _fill_to(self, wanted: int) -> None:
        while self._size < wanted and not self._ended:
            chunk = next(self._chunks, b"")
            if not chunk:
                self._ended = True
                break
            self._spool.seek(self._size)
            self._spool.write(chunk)
            self._size += len(chunk)

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        self._fill_to(self._position + len(buffer))
        self._spool.seek(self._position)
        count = self._spool.readinto(buffer)
        self._position += count
        return count

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_END:
            self._fill_to(1 << 62)
            self._position = self._size + offset
        elif whence == io.SEEK_CUR:
            self._position += offset
        else:
            self._position = offset
        return self._position

    def tell(self) -> int:
        return self._position

    def close(self) -> None:
        self._spool.close()
        super().close()


def decode_audio(
    source: Path | IO[bytes],
    expected_ms: int | None = None,
    progress: DecodeProgress | None = None,
) -> npt.NDArray[np.int16]:
    """All of the audio as 16 kHz mono 16-bit samples (115 MB an hour; the recognizer takes it
    a few minutes at a time as floats); AudioError with a sentence if unusable.

    Audio that stops well before the length its file (or ``expected_ms``, the feed's duration)
    declares is called incomplete: a transcript of half an episode is not kept.
    """
    import av
    import numpy as np

    name = source.name if isinstance(source, Path) else "The stream"
    if isinstance(source, Path):
        try:
            if source.stat().st_size == 0:
                raise AudioError(
                    f"{source.name} is empty (0 bytes): there is no audio to transcribe."
                )
        except FileNotFoundError as exc:
            raise AudioError(f"{source} is missing: download the episode again.") from exc
    try:
        container = av.open(str(source) if isinstance(source, Path) else source, mode="r")
    except (av.error.FFmpegError, OSError, UnicodeDecodeError) as exc:
        raise AudioError(f"{name} is not an audio file podplayer can read.") from exc
    pieces: list[npt.NDArray[np.int16]] = []
    decoded_samples = 0
    with container:
        if not container.streams.audio:
            raise AudioError(f"{name} holds no audio.")
        stream = container.streams.audio[0]
        declared_ms = _declared_ms(container, stream)
        resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        try:
            for frame in container.decode(stream):
                for resampled in resampler.resample(frame):
                    samples = resampled.to_ndarray().reshape(-1).astype(np.int16, copy=False)
                    pieces.append(samples)
                    decoded_samples += samples.size
                if progress is not None:
                    progress(decoded_samples * 1000 // SAMPLE_RATE)
            for resampled in resampler.resample(None):
                pieces.append(resampled.to_ndarray().reshape(-1).astype(np.int16, copy=False))
        except av.error.FFmpegError as exc:
            if not pieces:
                raise AudioError(f"{name} is not an audio file podplayer can read.") from exc
            # A damaged tail: what decoded so far is judged below like a truncated file.
    audio = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int16)
    pieces.clear()
    decoded_ms = audio.size * 1000 // SAMPLE_RATE
    if decoded_ms == 0:
        raise AudioError(f"{name} holds no audio that could be decoded.")
    if (declared_ms and decoded_ms < declared_ms * MIN_COMPLETE_FRACTION) or (
        expected_ms and decoded_ms < expected_ms * MIN_FEED_FRACTION
    ):
        declared_ms = max(declared_ms or 0, expected_ms or 0)
        raise AudioError(
            f"{name} ends after {decoded_ms // 1000} s of its {declared_ms // 1000} s: the file "
            "is incomplete. Download the episode again."
        )
    return audio


def _declared_ms(container: object, stream: object) -> int | None:
    """The length the file claims (the container's, else the stream's), in milliseconds."""
    duration = getattr(container, "duration", None)
    if duration:
        return int(duration // 1000)  # microseconds (AV_TIME_BASE)
    stream_duration = getattr(stream, "duration", None)
    time_base = getattr(stream, "time_base", None)
    if stream_duration and time_base:
        return int(stream_duration * time_base * 1000)
    return None
