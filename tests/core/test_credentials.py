"""Secrets go to the keyring, or to a user-only file where no keyring answers; never to SQLite."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from keyrings.alt.file import PlaintextKeyring

from podplayer.core.credentials import SecretStore


def test_without_a_keyring_secrets_go_to_a_user_only_file_and_it_is_said_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = tmp_path / "config"
    store = SecretStore(config)  # tests/conftest.py: keyring finds no backend
    caplog.set_level(logging.WARNING, "podplayer.core.credentials")
    store.set("feed-password:https://a/feed", "hunter2")
    store.set("sync-password", "s3cret")
    assert store.get("feed-password:https://a/feed") == "hunter2"
    assert store.uses_keyring is False
    assert stat.S_IMODE(store.file.stat().st_mode) == 0o600
    assert store.file.parent == config
    assert [r.message for r in caplog.records] == [store.notice]
    assert "readable only by you" in store.notice and str(store.file) in store.notice
    reopened = SecretStore(config)
    assert reopened.get("sync-password") == "s3cret"
    reopened.delete("sync-password")
    reopened.delete("never-stored")
    assert SecretStore(config).get("sync-password") is None
    SecretStore(config).set("another", "x")
    assert sorted(p.name for p in config.iterdir()) == ["secrets.json"]
    assert len(caplog.records) == 1  # said when the file was started, not on every use


def test_a_keyring_that_fails_when_asked_falls_back_to_the_file(tmp_path: Path) -> None:
    store = SecretStore(tmp_path, backend=fail.Keyring())
    store.set("k", "v")
    assert store.get("k") == "v"
    assert "did not answer" in store.notice
    assert store.file.exists()


def test_a_loosened_secrets_file_is_made_user_only_again(tmp_path: Path) -> None:
    store = SecretStore(tmp_path)
    store.set("k", "v")
    store.file.chmod(0o644)
    assert SecretStore(tmp_path).get("k") == "v"
    assert stat.S_IMODE(store.file.stat().st_mode) == 0o600


def test_with_a_keyring_secrets_live_there_and_not_in_the_file(tmp_path: Path) -> None:
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring.cfg")
    store = SecretStore(tmp_path / "config", backend=backend)
    store.set("feed-password:https://a/feed", "hunter2")
    assert store.uses_keyring is True
    assert backend.get_password(store.service, "feed-password:https://a/feed") == "hunter2"
    assert not store.file.exists()
    assert store.get("feed-password:https://a/feed") == "hunter2"
    assert store.notice == ""
    store.delete("feed-password:https://a/feed")
    assert backend.get_password(store.service, "feed-password:https://a/feed") is None
    assert store.get("feed-password:https://a/feed") is None


def test_two_config_folders_never_share_a_keyring_entry(tmp_path: Path) -> None:
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring.cfg")
    one = SecretStore(tmp_path / "one", backend=backend)
    two = SecretStore(tmp_path / "two", backend=backend)
    one.set("k", "first")
    assert two.get("k") is None


def test_a_secret_put_in_the_file_is_still_found_once_a_keyring_answers(tmp_path: Path) -> None:
    SecretStore(tmp_path).set("k", "from the headless days")
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring.cfg")
    assert SecretStore(tmp_path, backend=backend).get("k") == "from the headless days"


def test_a_keyring_that_keyring_does_not_recommend_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plain-text keyring file (keyrings.alt, priority 0.5) would keep the password in the clear
    outside podplayer's folders: the user-only file in the config folder is used instead."""
    plaintext = PlaintextKeyring()
    plaintext.file_path = str(tmp_path / "keyring.cfg")
    monkeypatch.setattr(keyring, "get_keyring", lambda: plaintext)
    store = SecretStore(tmp_path / "config")
    store.set("k", "v")
    assert store.uses_keyring is False
    assert store.get("k") == "v" and store.file.exists()
    assert not (tmp_path / "keyring.cfg").exists()


def test_the_best_recommended_keyring_is_chosen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recommended = PlaintextKeyring()
    recommended.file_path = str(tmp_path / "keyring.cfg")
    monkeypatch.setattr(PlaintextKeyring, "priority", 2.0)
    monkeypatch.setattr(keyring, "get_keyring", lambda: recommended)
    store = SecretStore(tmp_path / "config")
    store.set("k", "v")
    assert store.uses_keyring is True and not store.file.exists()
