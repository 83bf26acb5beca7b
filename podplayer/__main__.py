"""Entry point: no command opens the window, a command runs headless.

``podplayer LINK...`` (a feed URL, feed:// or podcast:// link, as a desktop passes them) opens the
window and subscribes, or hands the links to the podplayer already running.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence
from pathlib import Path

from podplayer.command_line import build_parser, parse_window_options
from podplayer.core.subscribe_links import split_subscribe_links


def main(argv: Sequence[str] | None = None) -> int:
    options, links = split_subscribe_links(list(sys.argv[1:] if argv is None else argv))
    args = parse_window_options(options) or build_parser().parse_args(options)
    if args.transcription_worker:
        from podplayer.core.transcription.worker import main as worker_main

        return worker_main()
    if args.selftest_play:
        from podplayer.engine.selftest import play_file_headless

        ok, message = play_file_headless(Path(args.selftest_play))
        print(f"podplayer: {message}", file=sys.stdout if ok else sys.stderr)
        return 0 if ok else 1
    if args.command is None:
        # The imports and the window make ~200,000 objects that live as long as the app; the
        # collector would scan them ~70 times on the way (~10 ms). run_window turns it back on
        # once the window is on screen.
        gc.disable()
        from podplayer.app import run_gui

        return run_gui(args.data_dir, links)
    from podplayer.cli import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
