"""Feeds: fetch (HTTP, conditional GET) -> parse (bytes in, models out) -> merge."""
