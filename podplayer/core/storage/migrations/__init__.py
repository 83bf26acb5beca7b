"""The migration files, applied by podplayer.core.storage.migrate."""
