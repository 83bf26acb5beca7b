"""The declared settings: every key declared once, values checked, secrets kept apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from podplayer.core.credentials import SecretStore
from podplayer.core.settings import (
    ENABLED_DIRECTORIES,
    PLAYBACK_RATE,
    PODCASTINDEX_SECRET,
    SETTINGS,
    SKIP_BACK_MS,
    SettingError,
    SettingKind,
    UserSettings,
    setting_for,
)
from podplayer.core.storage.library import Library

PACKAGE = Path(__file__).resolve().parents[2] / "podplayer"


def test_the_directory_keys_are_exactly_the_documented_ones() -> None:
    declared = {s.key: s for s in SETTINGS if s.key.startswith("directories.")}
    assert {key: s.default for key, s in declared.items()} == {
        "directories.itunes.url": "https://itunes.apple.com",
        "directories.fyyd.url": "https://api.fyyd.de",
        "directories.podcastindex.url": "https://api.podcastindex.org",
        "directories.podcastindex.key": "",
        "directories.podcastindex.secret": "",
        "directories.enabled": ["itunes", "fyyd", "podcastindex"],
    }
    assert [key for key, s in declared.items() if s.secret] == ["directories.podcastindex.secret"]


def test_no_setting_key_is_spelled_outside_the_declared_list() -> None:
    """A quoted "section.name" key passed to settings.get/set lives only in core/settings.py."""
    keys = {setting.key for setting in SETTINGS}
    for path in PACKAGE.rglob("*.py"):
        if path.name == "settings.py" and path.parent.name == "core":
            continue
        for key in keys:
            assert f'"{key}"' not in path.read_text(), f"{key} spelled out in {path}"
    uses = re.compile(r"settings\.(?:get|set)\(\s*\"")
    for path in PACKAGE.rglob("*.py"):
        assert not uses.search(path.read_text()), f"a literal settings key in {path}"


def test_values_typed_in_are_checked_with_sentences() -> None:
    assert SKIP_BACK_MS.parse("5000") == 5000
    assert PLAYBACK_RATE.parse("1.5") == 1.5
    assert ENABLED_DIRECTORIES.parse("fyyd, ITUNES") == ["fyyd", "itunes"]
    assert setting_for("desktop.notify_new_episodes").parse("off") is False
    bad = [
        (SKIP_BACK_MS, "soon", "takes a whole number"),
        (SKIP_BACK_MS, "10", "must be between 1000 and 300000"),
        (PLAYBACK_RATE, "nan", "finite"),
        (PLAYBACK_RATE, "9", "between 0.5 and 3"),
        (ENABLED_DIRECTORIES, "itunes,gpodder", "gpodder is not one of them"),
        (setting_for("desktop.notify_new_episodes"), "maybe", "give true or false"),
        (setting_for("demo.offered"), "true", "kept by podplayer itself"),
        (setting_for("downloads.folder"), "relative/dir", "must be a full path"),
    ]
    for setting, text, sentence in bad:
        with pytest.raises(SettingError, match=sentence):
            setting.parse(text)


def test_an_unknown_key_names_the_near_ones() -> None:
    with pytest.raises(SettingError, match=r"Did you mean directories\.fyyd\.url\?"):
        setting_for("directories.fyd.url")
    with pytest.raises(SettingError, match="config list"):
        setting_for("nothing.like.this")


def test_stored_values_read_back_and_broken_ones_give_the_default(tmp_path: Path) -> None:
    library = Library.open(tmp_path / "library.db")
    try:
        settings = UserSettings(library.settings, SecretStore(tmp_path / "config"))
        assert settings.get(SKIP_BACK_MS) == 10_000
        settings.set(SKIP_BACK_MS, 15_000)
        assert settings.get(SKIP_BACK_MS) == 15_000
        library.settings.set(SKIP_BACK_MS.key, "not a number")
        assert settings.get(SKIP_BACK_MS) == 10_000
        settings.unset(SKIP_BACK_MS)
        assert settings.stored(SKIP_BACK_MS) is None
        with pytest.raises(SettingError):
            settings.set(SKIP_BACK_MS, True)
    finally:
        library.close()


def test_secrets_go_to_the_secret_store_never_the_library(tmp_path: Path) -> None:
    database = tmp_path / "library.db"
    library = Library.open(database)
    secrets = SecretStore(tmp_path / "config")
    try:
        settings = UserSettings(library.settings, secrets)
        settings.set(PODCASTINDEX_SECRET, "s3cr3t-value")
        assert settings.get(PODCASTINDEX_SECRET) == "s3cr3t-value"
        assert secrets.get(PODCASTINDEX_SECRET.key) == "s3cr3t-value"
        assert library.settings.get(PODCASTINDEX_SECRET.key) is None
    finally:
        library.close()
    assert b"s3cr3t-value" not in database.read_bytes()
    settings.unset(PODCASTINDEX_SECRET)
    assert secrets.get(PODCASTINDEX_SECRET.key) is None


def test_every_setting_has_a_description_and_a_default_that_fits() -> None:
    for setting in SETTINGS:
        assert setting.description.endswith(".")
        if setting.kind is not SettingKind.STATE:
            assert setting.check(setting.default) == setting.default
        if setting.page:
            assert setting.label


def test_directory_addresses_must_be_web_addresses() -> None:
    from podplayer.core.settings import ITUNES_URL

    assert ITUNES_URL.parse("http://127.0.0.1:8000/itunes") == "http://127.0.0.1:8000/itunes"
    for bad in ("ftp://example.org", "itunes.apple.com", "https://", "javascript:alert(1)"):
        with pytest.raises(SettingError, match="takes an http or https address"):
            ITUNES_URL.parse(bad)
