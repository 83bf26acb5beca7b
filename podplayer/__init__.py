"""podplayer: a desktop podcast player with speed control, sleep timer and following transcripts."""

__version__ = "0.1.0"
