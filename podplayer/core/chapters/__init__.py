"""Chapters from every source (feed JSON, audio tags, Podlove, show notes), cleaned and merged."""
