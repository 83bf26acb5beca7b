-- Chapters (issue 18): Podlove chapters from feeds, and which chapters the listener skips.
CREATE TABLE podlove_chapters (
    episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    start_ms INTEGER NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    url TEXT,
    image_url TEXT,
    PRIMARY KEY (episode_id, position)
);
CREATE TABLE chapter_skip_choices (
    episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
    start_ms INTEGER NOT NULL,
    skip INTEGER NOT NULL,
    PRIMARY KEY (episode_id, start_ms)
);
CREATE TABLE chapter_skip_rules (
    podcast_id INTEGER PRIMARY KEY REFERENCES podcasts(id) ON DELETE CASCADE,
    rules TEXT NOT NULL
);
