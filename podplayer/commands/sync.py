"""``podplayer sync ...`` and ``podplayer mark ...``: sync with a gpodder.net or Nextcloud server.

Only argparse is imported at the top: ``command_line`` registers these commands for every
command, and the sync machinery is loaded by the command that runs.
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from podplayer.core.http import HttpClient
    from podplayer.core.paths import AppPaths
    from podplayer.core.storage.library import Library
    from podplayer.core.sync.service import SyncService


def add_arguments(commands: Any) -> None:
    """The ``sync`` and ``mark`` subcommands, for ``command_line.build_parser``."""
    sync = commands.add_parser(
        "sync",
        help="sync subscriptions and play state with a gpodder.net or Nextcloud server",
        description="Without an action: sync now (what was sent and received). "
        "First log in with 'podplayer sync login URL USER'.",
    )
    sync.add_argument("--json", action="store_true", help="print JSON for scripts")
    sync.add_argument(
        "--full", action="store_true", help="fetch every episode action, not only the new ones"
    )
    actions = sync.add_subparsers(dest="sync_action", metavar="ACTION")
    login = actions.add_parser("login", help="check an account on a server and keep it")
    login.add_argument("url", help="the server's address, such as https://gpodder.net")
    login.add_argument("user")
    login.add_argument(
        "--nextcloud",
        action="store_true",
        help="the server is Nextcloud with the gPodder Sync app (use an app password)",
    )
    login.add_argument("--device", metavar="NAME", help="this computer's name on the server")
    login.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    status = actions.add_parser("status", help="the account, last sync, pending changes, error")
    status.add_argument("--json", action="store_true", help="print JSON for scripts")
    actions.add_parser("logout", help="forget the account and its password")

    mark = commands.add_parser(
        "mark", help="mark episodes played or unplayed, or set where they resume"
    )
    mark.add_argument("episode_ids", metavar="EPISODE_ID", type=int, nargs="+")
    what = mark.add_mutually_exclusive_group(required=True)
    what.add_argument("--played", action="store_true")
    what.add_argument("--unplayed", action="store_true")
    what.add_argument("--position", metavar="MM:SS", type=_position_ms)


def _position_ms(text: str) -> int:
    """``MM:SS`` or ``H:MM:SS`` (or seconds) as milliseconds."""
    if not re.fullmatch(r"\d+(:[0-5]?\d){0,2}", text.strip()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a time like 12:34 or 1:02:03")
    seconds = 0
    for part in text.strip().split(":"):
        seconds = seconds * 60 + int(part)
    return seconds * 1000


def cmd_sync(args: argparse.Namespace, paths: AppPaths) -> int:
    from podplayer.core.sync.client import SyncError

    action = getattr(args, "sync_action", None)
    with _sync_service(paths) as (service, library, http):
        try:
            if action == "login":
                return _login(args, service)
            if action == "logout":
                service.logout()
                print("Logged out: podplayer no longer syncs (the library is unchanged).")
                return 0
            if action == "status":
                return _status(args, service)
            return _sync_now(args, service, library, http)
        except SyncError as exc:
            print(f"podplayer: {exc}", file=sys.stderr)
            return 1


def _login(args: argparse.Namespace, service: SyncService) -> int:
    import getpass

    from podplayer.core.sync.client import ServerKind

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass(f"Password for {args.user}: ")
    else:
        print("podplayer: no password: use --password-stdin, or a terminal.", file=sys.stderr)
        return 1
    if not password:
        print("podplayer: the password is empty.", file=sys.stderr)
        return 1
    kind = ServerKind.NEXTCLOUD if args.nextcloud else ServerKind.GPODDER
    device = args.device or f"podplayer-{socket.gethostname()}"
    service.login(args.url, args.user, password, kind, device)
    status = service.status()
    print(
        f"Logged in to {status.server_url} as {status.username} (device {status.device_id}). "
        "'podplayer sync' syncs now."
    )
    return 0


def _status(args: argparse.Namespace, service: SyncService) -> int:
    from datetime import datetime

    status = service.status()
    if args.json:
        print(json.dumps(status.as_json(), indent=1))
        return 0
    if not status.configured:
        print("Sync is not set up: 'podplayer sync login URL USER' sets it up.")
        return 0
    kind = "Nextcloud gPodder Sync" if status.kind == "nextcloud" else "gpodder.net API"
    last = (
        datetime.fromtimestamp(status.last_sync_at).strftime("%Y-%m-%d %H:%M")
        if status.last_sync_at
        else "never"
    )
    print(f"Server:          {status.server_url} ({kind})")
    print(f"User:            {status.username}")
    print(f"Device:          {status.device_id}")
    print(f"Last sync:       {last}")
    print(f"Pending changes: {status.pending_changes}")
    if status.last_error:
        print(f"Last error:      {status.last_error}")
    return 0


def _sync_now(
    args: argparse.Namespace, service: SyncService, library: Library, http: HttpClient
) -> int:
    from podplayer.core.feeds.service import FeedService

    report = service.sync(full=args.full)
    refreshed = 0
    if report.subscribed:
        feeds = FeedService(library, http)
        try:
            wanted = [library.podcasts.find_by_url(url) for url in report.subscribed]
            results = feeds.refresh([p.id for p in wanted if p is not None and p.id is not None])
            refreshed = sum(1 for result in results if not result.failed)
        finally:
            feeds.close()
        report.actions_applied += service.rematch()
    if args.json:
        print(json.dumps({**report.as_json(), "podcasts_refreshed": refreshed}, indent=1))
    else:
        print(report.sentence())
        if report.junk_ignored:
            print(f"Ignored {report.junk_ignored} unreadable episode action(s) from the server.")
    return 0


def cmd_mark(args: argparse.Namespace, paths: AppPaths) -> int:
    from podplayer.cli import open_library

    library = open_library(paths)
    try:
        missing = [i for i in args.episode_ids if library.episodes.get(i) is None]
        if missing:
            print(
                f"podplayer: there is no episode {', '.join(map(str, missing))}. List episodes "
                "with 'podplayer episodes PODCAST'.",
                file=sys.stderr,
            )
            return 1
        with library.transaction():
            for episode_id in args.episode_ids:
                if args.position is not None:
                    library.episodes.set_played(episode_id, False)
                    library.episodes.save_position(episode_id, args.position)
                else:
                    library.episodes.set_played(episode_id, bool(args.played))
    finally:
        library.close()
    return 0


@contextmanager
def _sync_service(paths: AppPaths) -> Iterator[tuple[SyncService, Library, HttpClient]]:
    """The library, secret store, HTTP client and sync service of one command, closed after."""
    from podplayer.cli import open_library
    from podplayer.core.credentials import SecretStore
    from podplayer.core.http import HttpClient
    from podplayer.core.sync.service import SyncService

    library = open_library(paths)
    http = HttpClient()
    try:
        yield SyncService(library, SecretStore(paths.config_dir), http), library, http
    finally:
        http.close()
        library.close()
