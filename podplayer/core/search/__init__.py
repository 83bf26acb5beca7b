"""Library-wide full-text search: query parsing, passages, the index service, the fetcher."""
