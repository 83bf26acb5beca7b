-- Up Next, downloads, per-podcast options (credentials, speed, auto download, images).
ALTER TABLE podcasts ADD COLUMN podcast_guid TEXT NOT NULL DEFAULT '';
ALTER TABLE podcasts ADD COLUMN username TEXT;
ALTER TABLE podcasts ADD COLUMN password TEXT;
ALTER TABLE podcasts ADD COLUMN speed REAL;
ALTER TABLE podcasts ADD COLUMN auto_download INTEGER NOT NULL DEFAULT 0;
ALTER TABLE podcasts ADD COLUMN allow_remote_images INTEGER NOT NULL DEFAULT 0;
CREATE TABLE queue (
    position INTEGER NOT NULL,
    episode_id INTEGER NOT NULL UNIQUE REFERENCES episodes(id) ON DELETE CASCADE
);
CREATE TABLE downloads (
    episode_id INTEGER PRIMARY KEY REFERENCES episodes(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    url TEXT NOT NULL,
    file_path TEXT,
    total_bytes INTEGER,
    received_bytes INTEGER NOT NULL DEFAULT 0,
    validator TEXT,
    error TEXT NOT NULL DEFAULT '',
    updated_at REAL
);
CREATE INDEX episodes_by_published ON episodes (published);
CREATE INDEX episodes_by_state ON episodes (played, position_ms);
