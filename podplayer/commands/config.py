"""`podplayer config list|get|set|unset`: every declared setting from the shell, like git config."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from podplayer.core.paths import AppPaths
from podplayer.core.settings import (
    DOWNLOAD_FOLDER,
    SETTINGS,
    Setting,
    SettingError,
    UserSettings,
    open_user_settings,
    setting_for,
)
from podplayer.core.storage.library import Library


def run_config(args: argparse.Namespace, paths: AppPaths, library: Library) -> int:
    """The ``config`` subcommand; unknown keys and bad values are a sentence and exit 1."""

    settings = open_user_settings(library, paths)
    try:
        if args.action == "list":
            return _list(settings, args.json)
        setting = setting_for(args.key)
        if args.action == "get":
            return _get(settings, setting)
        if args.action == "set":
            value = sys.stdin.readline().rstrip("\n") if args.value == "-" else args.value
            _set(settings, setting, setting.parse(value), paths, library)
        else:
            _set(settings, setting, None, paths, library)
    except SettingError as exc:
        print(f"podplayer: {exc}", file=sys.stderr)
        return 1
    return 0


def _list(settings: UserSettings, as_json: bool) -> int:
    rows = [_row(settings, setting) for setting in SETTINGS]
    if as_json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    width = max(len(setting.key) for setting in SETTINGS)
    for setting, row in zip(SETTINGS, rows, strict=True):
        if setting.secret:
            shown = "(set, hidden)" if row["set"] else "(not set)"
        else:
            shown = setting.format(row["value"])
            shown = f"{shown}  (default)" if not row["set"] else shown
        print(f"{setting.key:<{width}}  {shown}")
    return 0


def _row(settings: UserSettings, setting: Setting) -> dict[str, Any]:
    stored = settings.stored(setting) is not None
    return {
        "key": setting.key,
        "type": setting.kind.value,
        "value": None if setting.secret else settings.get(setting),
        "default": setting.default,
        "set": stored,
        "secret": setting.secret,
        "description": setting.description,
    }


def _get(settings: UserSettings, setting: Setting) -> int:
    if setting.secret:
        stored = settings.stored(setting) is not None
        state = "is set" if stored else "is not set"
        message = f"{setting.key} is a secret and is not shown; it {state}."
        print(f"podplayer: {message}", file=sys.stderr)
        return 0 if stored else 1
    print(setting.format(settings.get(setting)))
    return 0


def _set(
    settings: UserSettings, setting: Setting, value: Any, paths: AppPaths, library: Library
) -> None:
    """Store (None: unset); the download folder goes through the download manager, which
    remembers the old folder so its files stay podplayer's to delete."""
    if setting is DOWNLOAD_FOLDER:
        from podplayer.core.downloads import DownloadError, DownloadManager
        from podplayer.core.http import HttpClient

        folder = Path(value).expanduser() if value else None
        try:
            DownloadManager(library, HttpClient(), paths.downloads_dir).set_download_folder(folder)
        except DownloadError as exc:
            raise SettingError(str(exc)) from exc
        return
    if value is None:
        settings.unset(setting)
    else:
        settings.set(setting, value)
