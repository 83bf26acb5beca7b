"""Transcripts made on this computer: speech-to-text jobs run by faster-whisper in a worker."""
