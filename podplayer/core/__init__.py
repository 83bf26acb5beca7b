"""Pure-Python core: models, storage, feeds, transcripts, downloads. Never imports PySide6."""
