"""The real Whisper base model (from the PyPI packages, never the network), made ready once."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from podplayer.core.transcription.speech_models import install_model
from tests.speech import TruthCue


@pytest.fixture(scope="session")
def base_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_model("base", tmp_path_factory.mktemp("speech-cache"))


@pytest.fixture(scope="session")
def speech_wav(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[TruthCue]]:
    """espeak-ng sentences with known pauses (about 36 s) and their truth."""
    from tests.speech import espeak_available, make_speech

    if not espeak_available():
        pytest.fail("espeak-ng is missing: run `make test`, which installs it")
    path = tmp_path_factory.mktemp("speech") / "sentences.wav"
    return path, make_speech(path)


@pytest.fixture(scope="session")
def short_speech(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two espeak-ng sentences (about 8 s): for tests of the queue rather than of accuracy."""
    from tests.speech import SENTENCES, make_speech

    path = tmp_path_factory.mktemp("speech") / "short.wav"
    make_speech(path, SENTENCES[:2], (500, 800))
    return path


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A folder on a 1 MB file system of its own (a tmpfs; mounting needs root, as in CI)."""
    folder = tmp_path / "small-disk"
    folder.mkdir()
    mounted = os.geteuid() == 0 and (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True
        ).returncode
        == 0
    )
    if not mounted:
        pytest.skip("a full disk is made with a small tmpfs, which only root can mount")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
