"""Transcripts: one parser per format -> list[Cue]; timeline and follower."""
