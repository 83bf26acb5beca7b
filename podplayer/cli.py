"""Headless subcommands. Never imports Qt: works on a machine without a display."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from podplayer import __version__
from podplayer.core.library import Library, LibraryError
from podplayer.core.paths import AppPaths

Command = Callable[[argparse.Namespace, AppPaths], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="podplayer",
        description="A desktop podcast player. Without a command it opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"podplayer {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="keep the library, caches, downloads and settings in DIR (also: PODPLAYER_HOME=DIR)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    paths = commands.add_parser("paths", help="show where podplayer keeps its files")
    paths.set_defaults(handler=_cmd_paths)
    return parser


def _cmd_paths(args: argparse.Namespace, paths: AppPaths) -> int:
    print(f"library:     {paths.database}")
    print(f"downloads:   {paths.downloads_dir}")
    print(f"cache:       {paths.cache_dir}")
    print(f"settings:    {paths.config_dir}")
    return 0


def open_library(paths: AppPaths) -> Library:
    """Open the library, printing any notice (a damaged file moved aside) to stderr."""
    paths.create()
    library = Library.open(paths.database)
    for notice in library.notices:
        print(notice, file=sys.stderr)
    return library


def run(args: argparse.Namespace) -> int:
    """Run the subcommand in ``args``; errors become a sentence on stderr and exit status 1."""
    paths = AppPaths.resolve(args.data_dir)
    handler: Command = args.handler
    try:
        return handler(args, paths)
    except LibraryError as exc:
        print(f"podplayer: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
