"""The bundle's program: the same entry point as `python -m podplayer`."""

import sys

from podplayer.__main__ import main

sys.exit(main())
