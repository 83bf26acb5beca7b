"""Transcripts: one parser per format -> cues; the Transcript timeline, its follower, the store.

Import from the modules themselves: importing the package loads none of them, so the window can
use the timeline and the store without loading every parser (they load with the first transcript).
"""
