"""Where podplayer keeps its files: platformdirs by default, or one folder for everything."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "podplayer"
HOME_VARIABLE = "PODPLAYER_HOME"


@dataclass(frozen=True, slots=True)
class AppPaths:
    """Every folder and file the app writes. Nothing is written anywhere else."""

    data_dir: Path
    cache_dir: Path
    config_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / "library.sqlite3"

    @property
    def downloads_dir(self) -> Path:
        return self.data_dir / "downloads"

    @property
    def transcripts_cache_dir(self) -> Path:
        return self.cache_dir / "transcripts"

    @property
    def chapters_cache_dir(self) -> Path:
        return self.cache_dir / "chapters"

    @property
    def artwork_cache_dir(self) -> Path:
        return self.cache_dir / "artwork"

    @property
    def ui_state_file(self) -> Path:
        return self.config_dir / "ui-state.ini"

    @classmethod
    def in_folder(cls, root: Path) -> AppPaths:
        """All files under one folder (``--data-dir`` / PODPLAYER_HOME, tests, portable use)."""
        root = root.expanduser().absolute()
        return cls(data_dir=root, cache_dir=root / "cache", config_dir=root / "config")

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
        """The folder given (--data-dir), else PODPLAYER_HOME, else the platform folders."""
        chosen = data_dir if data_dir is not None else os.environ.get(HOME_VARIABLE) or None
        if chosen is not None:
            return cls.in_folder(Path(chosen))
        import platformdirs  # only here: a --data-dir or PODPLAYER_HOME start never needs it

        return cls(
            data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            cache_dir=Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
            config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        )

    def create(self) -> None:
        """Make the folders (user-only permissions for new ones)."""
        for folder in (self.data_dir, self.cache_dir, self.config_dir):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
