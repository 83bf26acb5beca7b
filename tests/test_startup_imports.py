"""Opening the window imports only what the first window needs (docs/benchmarks.md, Startup)."""

from __future__ import annotations

import argparse
import subprocess
import sys
import textwrap
from pathlib import Path

from podplayer.command_line import parse_window_options

ROOT = Path(__file__).resolve().parents[1]
LATER = (
    "podplayer.cli",  # the headless commands
    "podplayer.commands",  # their parsers too: the window reads only the options before a command
    "keyring",  # secrets are read by the first sync, feed login or settings page that needs one
    "feedparser",  # only for feeds expat cannot read, and odd dates
    "podplayer.core.feeds.lenient",
    "PySide6.QtDBus",  # MPRIS and notifications start after the window shows
    "podplayer.desktop.mpris",
    "podplayer.desktop.notifications",
    "urllib3",  # the HTTP clients make their connection pools on the first request
    "mutagen",  # chapters inside audio files are read on a worker when an episode plays
    "ssl",
    "hashlib",  # libcrypto: feed hashes and transcript names hash when used, Qt hashes the rest
    "email",  # dates and Content-Disposition are parsed during refreshes and downloads
    "calendar",  # odd feed dates
    "uuid",  # new secret keys
    "http.cookies",  # the sync client keeps the server's session cookie
    "nh3",  # show notes are sanitized when an episode is shown
    "podplayer.core.feeds.parse",  # feeds are parsed and merged by a refresh or a subscribe
    "podplayer.core.feeds.merge",
    "podplayer.core.feeds.discover",  # a web page is searched for feeds when subscribing to it
    "podplayer.core.opml",  # OPML import and export
    "podplayer.core.transcripts.parsing",  # transcripts are parsed on a worker when one loads
    "podplayer.core.downloads.transfer",  # the first download brings in the transfer machinery
    "podplayer.gui.views.add_podcast_dialog",  # the Add podcast dialog, on its first opening
    "podplayer.gui.views.settings_dialog",  # the Settings dialog, when opened
    "podplayer.core.directories.itunes",  # directory clients, on the first search
    "podplayer.core.directories.results",
    "podplayer.core.directories.podcastindex",
    "platformdirs",  # only to find the platform folders when no data folder is given
    "mimetypes",  # bundled and opened files are typed when read
    "html",  # tooltips escape feed text when first shown
    "vlc",  # python-vlc is imported with the first media; the start only loads libvlc.so
    "PySide6.QtNetwork",  # never: the single-instance socket is a plain Unix socket
    "podplayer.gui.views.shortcuts_dialog",  # the dialogs, on their first opening
    "podplayer.gui.views.settings_pages",
    "podplayer.core.chapters.id3",  # chapter parsers, when a playing episode's chapters load
    "podplayer.core.chapters.mp4",
    "podplayer.core.chapters.quicktime",
    "podplayer.core.chapters.podlove",
    "podplayer.core.chapters.json_chapters",
    "podplayer.core.transcription.worker",  # the worker process's side of transcription
    "podplayer.core.transcription.recognizer",
    "podplayer.core.transcription.audio",
    "podplayer.core.transcription.runner",  # the first job starts a worker (subprocess)
    "podplayer.core.transcription.speech_models",
    "numpy",  # transcribing happens in a worker process: the app never loads the recognizer
    "av",
    "faster_whisper",
    "ctranslate2",
)


def test_the_window_path_leaves_headless_and_desktop_modules_for_later() -> None:
    probe = (
        "import sys, podplayer.__main__, podplayer.app, podplayer.gui.launch\n"
        "assert podplayer.command_line.parse_window_options(['--data-dir', 'x']) is not None\n"
        "podplayer.engine.vlc.VlcEngine()\n"
        f"print('\\n'.join(name for name in {LATER!r} if name in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert loaded == []


def test_the_app_and_its_desktop_services_never_load_qtnetwork(tmp_path: Path) -> None:
    probe = textwrap.dedent(
        f"""
        import pkgutil, sys
        from pathlib import Path
        import podplayer.app, podplayer.desktop, podplayer.gui.launch
        from PySide6.QtCore import QCoreApplication
        from podplayer.desktop.single_instance import SingleInstance, hand_over, socket_name
        for module in pkgutil.iter_modules(podplayer.desktop.__path__, "podplayer.desktop."):
            __import__(module.name)
        app = QCoreApplication([])
        running = SingleInstance(socket_name(Path({str(tmp_path / "running")!r})))
        assert running.listen() == ""
        print(hand_over(socket_name(Path({str(tmp_path / "idle")!r})), []).name)
        running.close()
        print("PySide6.QtNetwork" in sys.modules)
        print("libQt6Network" in Path("/proc/self/maps").read_text())
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["NOT_RUNNING", "False", "False"], result.stderr


def test_only_the_window_skips_the_command_parsers() -> None:
    assert parse_window_options([]) == argparse.Namespace(
        data_dir=None, selftest_play=None, transcription_worker=False, command=None
    )
    assert parse_window_options(["--data-dir", "sync"]).data_dir == "sync"  # type: ignore[union-attr]
    for options in (["sync"], ["-h"], ["--data-dir"], ["--no-such-option"], ["list", "--json"]):
        assert parse_window_options(options) is None, options
