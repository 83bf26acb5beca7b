"""Secrets (feed passwords, sync passwords, API secrets) kept out of the library file.

They go to the desktop's keyring (Secret Service, through the ``keyring`` package). Where no
keyring service answers (a headless machine, CI), podplayer keeps them in ``secrets.json`` in
its config folder, readable only by the user (mode 0600), and says so once: when it starts that
file (a warning in the log; on stderr for the command line). Never in SQLite.

Keys are short names chosen by the caller, such as ``feed-password:<uuid>`` (credentials.new_key).
"""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

SECRETS_FILE_NAME = "secrets.json"

log = logging.getLogger(__name__)


def new_key(kind: str) -> str:
    """A key no other secret has, such as ``feed-password:<uuid>``: never reused, even by a
    library started anew, so a password can never reach another feed."""
    import uuid  # only when a secret is first stored: uuid loads platform (~3 ms at start)

    return f"{kind}:{uuid.uuid4()}"


class NoSecretStoreError(Exception):
    """A password was to be kept, but the library was opened without a secret store."""


class SecretStore:
    """get/set/delete secrets by key: the desktop keyring, else a user-only file."""

    def __init__(self, config_dir: Path, backend: KeyringBackend | None = None) -> None:
        """``backend``: the keyring to use (tests); by default the one ``keyring`` finds."""
        self.file = config_dir / SECRETS_FILE_NAME
        # One keyring entry per config folder: two podplayer folders never share a password.
        self.service = f"podplayer {config_dir}"
        self._backend = backend
        self._keyring_checked = backend is not None
        self._lock = threading.Lock()
        self.notice = ""

    def get(self, key: str) -> str | None:
        with self._lock:
            backend = self._keyring()
            if backend is not None:
                try:
                    value = backend.get_password(self.service, key)
                except Exception as exc:  # any keyring failure means: use the file
                    self._give_up_keyring(exc)
                else:
                    if value is not None:
                        return value
            return self._read_file().get(key)

    def set(self, key: str, value: str) -> None:
        with self._lock:
            backend = self._keyring()
            if backend is not None:
                try:
                    backend.set_password(self.service, key, value)
                except Exception as exc:
                    self._give_up_keyring(exc)
                else:
                    self._remove_from_file(key)
                    return
            if not self.file.exists():
                log.warning("%s", self.notice)  # said once: when the file is started
            stored = self._read_file()
            stored[key] = value
            self._write_file(stored)

    def delete(self, key: str) -> None:
        """Forget ``key`` wherever it is kept; a key that is not there is fine."""
        with self._lock:
            backend = self._keyring()
            if backend is not None:
                from keyring.errors import PasswordDeleteError

                try:
                    backend.delete_password(self.service, key)
                except PasswordDeleteError:
                    pass  # not stored there
                except Exception as exc:
                    self._give_up_keyring(exc)
            self._remove_from_file(key)

    @property
    def uses_keyring(self) -> bool:
        with self._lock:
            return self._keyring() is not None

    def _keyring(self) -> KeyringBackend | None:
        if not self._keyring_checked:
            self._keyring_checked = True
            import keyring  # only here: it looks for backends when first imported (~20 ms)
            from keyring.backends.chainer import ChainerBackend

            found = keyring.get_keyring()
            chained = found.backends if isinstance(found, ChainerBackend) else [found]
            # keyring's own rule: below priority 1 a backend is not recommended (the fail and
            # null ones, and plain-text files such as keyrings.alt's, outside our folders).
            secure = [backend for backend in chained if backend.priority >= 1]
            if secure:
                self._backend = max(secure, key=lambda backend: backend.priority)
            else:
                self._note_no_keyring("no keyring service is available")
        return self._backend

    def _give_up_keyring(self, exc: Exception) -> None:
        self._backend = None
        self._note_no_keyring(f"the keyring did not answer: {exc}")

    def _note_no_keyring(self, why: str) -> None:
        self.notice = (
            f"Passwords are kept in {self.file}, readable only by you, because {why}. Start a "
            "keyring service (such as GNOME Keyring or KWallet) to keep them there instead."
        )

    def _read_file(self) -> dict[str, str]:
        try:
            text = self.file.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        if self.file.stat().st_mode & 0o077:
            self.file.chmod(0o600)
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError:
            log.warning("%s is not readable JSON; its secrets are ignored", self.file)
            return {}
        if not isinstance(loaded, dict):
            return {}
        return {str(k): v for k, v in loaded.items() if isinstance(v, str)}

    def _write_file(self, stored: dict[str, str]) -> None:
        """Replace the file at once: a crash leaves the old file or the new one, never half."""
        self.file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = self.file.with_name(f".{self.file.name}.{os.getpid()}.tmp")
        temporary.unlink(missing_ok=True)  # a leftover keeps its mode: always create anew
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(stored, handle, indent=1, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.file)

    def _remove_from_file(self, key: str) -> None:
        stored = self._read_file()
        if key in stored:
            del stored[key]
            self._write_file(stored)
