-- Podcasts, episodes with their transcript and chapter references, settings.
CREATE TABLE podcasts (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    image_url TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT '',
    etag TEXT,
    last_modified TEXT,
    body_hash TEXT,
    last_refresh_at REAL,
    refresh_status TEXT NOT NULL DEFAULT 'never',
    refresh_error TEXT NOT NULL DEFAULT '',
    added_at REAL
);
CREATE TABLE episodes (
    id INTEGER PRIMARY KEY,
    podcast_id INTEGER NOT NULL REFERENCES podcasts(id) ON DELETE CASCADE,
    guid TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    published REAL,
    duration_s INTEGER,
    enclosure_url TEXT NOT NULL DEFAULT '',
    enclosure_type TEXT NOT NULL DEFAULT '',
    enclosure_length INTEGER,
    notes_html TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    image_url TEXT NOT NULL DEFAULT '',
    episode_number INTEGER,
    season INTEGER,
    in_feed INTEGER NOT NULL DEFAULT 1,
    played INTEGER NOT NULL DEFAULT 0,
    position_ms INTEGER NOT NULL DEFAULT 0,
    last_played_at REAL,
    UNIQUE (podcast_id, guid)
);
CREATE TABLE transcripts (
    id INTEGER PRIMARY KEY,
    episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    mime_type TEXT NOT NULL DEFAULT '',
    language TEXT,
    rel TEXT
);
CREATE TABLE chapters (
    id INTEGER PRIMARY KEY,
    episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    mime_type TEXT NOT NULL DEFAULT ''
);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE INDEX episodes_by_podcast ON episodes (podcast_id, published);
CREATE INDEX transcripts_by_episode ON transcripts (episode_id);
CREATE INDEX chapters_by_episode ON chapters (episode_id);
