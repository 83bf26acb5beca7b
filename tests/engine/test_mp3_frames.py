"""The frame count gives every MP3 shape's duration within 1%, where libvlc guesses."""

from __future__ import annotations

from pathlib import Path

import pytest

from podplayer.engine.mp3_frames import mp3_duration_ms
from tests.engine.shapes import SHAPE_DURATION_MS, SHAPES, build_shapes

MP3_SHAPES = [shape.name for shape in SHAPES if shape.file_name.endswith(".mp3")]


@pytest.fixture(scope="module")
def shape_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_shapes(tmp_path_factory.mktemp("shapes"))


@pytest.mark.parametrize("name", MP3_SHAPES)
def test_counts_every_mp3_shape(shape_files: dict[str, Path], name: str) -> None:
    assert mp3_duration_ms(shape_files[name]) == pytest.approx(SHAPE_DURATION_MS, rel=0.01)


def test_demo_episode_is_counted_whole() -> None:
    demo = Path(__file__).resolve().parents[2] / "resources" / "demo" / "welcome.mp3"
    assert mp3_duration_ms(demo) == pytest.approx(50_416, abs=30)


@pytest.mark.parametrize(
    "body",
    [b"", b"ID3\x04\x00\x00\x00\x00\x00\x10" + b"\x00" * 16, b"<html>not audio</html>" * 100],
)
def test_not_mp3_gives_none(tmp_path: Path, body: bytes) -> None:
    path = tmp_path / "x.mp3"
    path.write_bytes(body)
    assert mp3_duration_ms(path) is None


def test_other_formats_and_missing_files_give_none(shape_files: dict[str, Path]) -> None:
    assert mp3_duration_ms(shape_files["opus"]) is None
    assert mp3_duration_ms(shape_files["opus"].with_name("missing.mp3")) is None


def test_truncated_file_counts_what_is_there(shape_files: dict[str, Path], tmp_path: Path) -> None:
    body = shape_files["cbr-128k-info"].read_bytes()
    half = tmp_path / "half.mp3"
    half.write_bytes(body[: len(body) // 2])
    assert mp3_duration_ms(half) == pytest.approx(SHAPE_DURATION_MS / 2, rel=0.02)
