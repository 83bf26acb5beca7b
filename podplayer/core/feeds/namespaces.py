"""The XML namespaces feeds use for Podcasting 2.0 tags; both parsers map them to ``podcast``."""

PODCAST_NAMESPACES = (
    "https://podcastindex.org/namespace/1.0",
    "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
)
