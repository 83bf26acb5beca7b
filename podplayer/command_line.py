"""The command line's options and subcommands, apart from the code that runs them.

``python -m podplayer`` parses with this module alone, so opening the window does not import the
headless commands (feeds, downloads, transcripts and their HTTP stack); without a command it
only reads the options that go before one (``parse_window_options``).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from podplayer import __version__


def parse_window_options(options: Sequence[str]) -> argparse.Namespace | None:
    """The options when they name no command and no --help (the window opens), else None.

    Opening the window then skips building every command's parser (~25 ms); anything else,
    errors included, is left to ``build_parser``.
    """
    parser = argparse.ArgumentParser(prog="podplayer", add_help=False, exit_on_error=False)
    _add_options(parser)
    try:
        args, rest = parser.parse_known_args(options)
    except argparse.ArgumentError:
        return None
    return None if rest else args


def build_parser() -> argparse.ArgumentParser:
    """Every option and subcommand; ``podplayer.cli.COMMANDS`` runs the subcommand chosen."""
    from podplayer.commands import sync as sync_arguments

    parser = argparse.ArgumentParser(
        prog="podplayer",
        description="A desktop podcast player. Without a command it opens the window.",
    )
    _add_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("paths", help="show where podplayer keeps its files")
    _add_feed_commands(commands)

    transcript = commands.add_parser(
        "transcript",
        help="print an episode's transcript, or a transcript file's, one cue a line",
        description="Print the cues of an episode's transcript (fetched and cached like the "
        "window does) or of a transcript file (VTT, SRT, JSON, HTML or text): start, end, "
        "speaker and text, separated by tabs. A number is an episode id; write ./123 for a "
        "file named 123.",
    )
    transcript.add_argument("source", metavar="EPISODE_ID|FILE")
    transcript.add_argument("--json", action="store_true", help="print JSON for scripts")
    _add_search_command(commands)
    from podplayer.commands import chapters  # light: argparse and the chapter types

    chapters.add_parser(commands)
    download = commands.add_parser(
        "download", help="download episodes (resuming partial downloads) into the download folder"
    )
    download.add_argument("episode_ids", metavar="EPISODE_ID", type=int, nargs="+")
    _add_settings_commands(commands)
    sync_arguments.add_arguments(commands)
    _add_feature_commands(commands)
    return parser


def _add_options(parser: argparse.ArgumentParser) -> None:
    """The options that go before any command."""
    parser.add_argument("--version", action="version", version=f"podplayer {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="keep the library, caches, downloads and settings in DIR (also: PODPLAYER_HOME=DIR)",
    )
    # For `make bundle-check`: plays FILE headless through libvlc and exits (not for users).
    parser.add_argument("--selftest-play", metavar="FILE", help=argparse.SUPPRESS)
    # How a bundled app (no `python -m`) starts its transcription worker (not for users).
    parser.add_argument("--transcription-worker", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(command=None)


def _add_feature_commands(commands: Any) -> None:
    """Subcommands whose code lives in podplayer.commands (each module adds its own options)."""
    from podplayer.commands import transcription

    transcription.add_parser(commands)


def _add_settings_commands(commands: Any) -> None:
    discover = commands.add_parser(
        "discover",
        help="search the podcast directories (iTunes, fyyd, Podcast Index) for podcasts",
        description="Search the directories enabled in settings (directories.enabled) and print "
        "each podcast found once: title, author, feed URL and the directories that list it. "
        "Subscribe to one with `podplayer subscribe FEED_URL`.",
    )
    discover.add_argument("words", metavar="WORDS", nargs="+")
    discover.add_argument("--json", action="store_true", help="print JSON for scripts")

    config = commands.add_parser(
        "config",
        help="show or change settings (`config list` shows every setting)",
        description="Read and change podplayer's settings, like git config. Secrets (the "
        "Podcast Index secret) are kept in the desktop keyring and never printed; give - as "
        "VALUE to read a value from standard input.",
    )
    actions = config.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="every setting with its value")
    listing.add_argument("--json", action="store_true", help="print JSON for scripts")
    actions.add_parser("get", help="print one setting's value").add_argument("key", metavar="KEY")
    setting = actions.add_parser("set", help="change a setting")
    setting.add_argument("key", metavar="KEY")
    setting.add_argument("value", metavar="VALUE")
    actions.add_parser("unset", help="put a setting back to its default").add_argument(
        "key", metavar="KEY"
    )


def _add_feed_commands(commands: Any) -> None:
    subscribe = commands.add_parser(
        "subscribe",
        help="subscribe to a feed URL, a web page that links one, an Apple Podcasts link, "
        "or a feed file",
    )
    subscribe.add_argument(
        "address", help="feed URL, web page URL, Apple Podcasts link, or path to a feed file"
    )

    unsubscribe = commands.add_parser("unsubscribe", help="remove a podcast and its episodes")
    unsubscribe.add_argument("podcast", help="the podcast's number (see `list`) or title")
    unsubscribe.add_argument(
        "--delete-files", action="store_true", help="also delete its downloaded episodes"
    )

    refresh = commands.add_parser("refresh", help="check feeds for new episodes")
    refresh.add_argument("podcasts", nargs="*", help="numbers or titles (default: all)")
    refresh.add_argument(
        "--no-transcripts",
        action="store_true",
        help="do not fetch the new episodes' transcripts for search",
    )

    listing = commands.add_parser("list", help="list podcasts with unplayed counts")
    listing.add_argument("--json", action="store_true", help="every stored field, as JSON")

    episodes = commands.add_parser("episodes", help="list a podcast's episodes, newest first")
    episodes.add_argument("podcast", help="the podcast's number (see `list`) or title")
    episodes.add_argument("--json", action="store_true", help="every stored field, as JSON")

    importing = commands.add_parser("import", help="subscribe to the feeds of an OPML file")
    importing.add_argument("file", help="the OPML file")
    importing.add_argument(
        "--no-refresh", action="store_true", help="add the podcasts without fetching them"
    )

    exporting = commands.add_parser("export", help="write every subscription to an OPML file")
    exporting.add_argument("file", help="the OPML file to write ('-' for standard output)")


def _add_search_command(commands: Any) -> None:
    search = commands.add_parser(
        "search",
        help="search every transcript, show note and title of the library",
        description="Search the words said in episodes (transcripts), their show notes and "
        'titles. "a phrase" in quotes, prefix* for words that begin so, -word to leave out, '
        "OR between two words; case and accents do not matter. Prints each episode with its "
        "hits: when the words are said, where they were found, and a snippet.",
    )
    search.add_argument("query", nargs="*", metavar="WORDS")
    search.add_argument("--podcast", metavar="ID", help="only this podcast (number or title)")
    search.add_argument("--limit", type=int, default=20, help="at most this many episodes (20)")
    search.add_argument(
        "--order", choices=("best", "newest"), default="best", help="best match or newest first"
    )
    search.add_argument("--json", action="store_true", help="one object per hit, for scripts")
    search.add_argument(
        "--rebuild", action="store_true", help="rebuild the search index from what is stored"
    )
