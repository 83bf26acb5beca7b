"""Playback: controller (queue, resume, speed, sleep timer) and the position ticker. QtCore only."""
