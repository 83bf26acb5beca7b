"""Entry point: no command opens the window, a command runs headless."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from podplayer.cli import build_parser, run


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        from podplayer.app import run_gui

        return run_gui(args.data_dir)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
