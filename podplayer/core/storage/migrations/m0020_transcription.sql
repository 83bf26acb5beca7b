-- Transcripts made on this computer: the persisted job queue, and the transcripts themselves
-- (segments with their words), which the transcript store and the full-text search read.
CREATE TABLE transcription_jobs (
    id INTEGER PRIMARY KEY,
    episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    progress_ms INTEGER NOT NULL DEFAULT 0,
    duration_ms INTEGER,
    error TEXT NOT NULL DEFAULT '',
    work_seconds REAL NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX transcription_jobs_by_episode ON transcription_jobs (episode_id);
CREATE INDEX transcription_jobs_by_state ON transcription_jobs (state, created_at);
CREATE TABLE generated_transcripts (
    episode_id INTEGER PRIMARY KEY REFERENCES episodes(id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL
);
-- words: JSON [[start_ms, end_ms, text], ...], each word found in text in that order.
CREATE TABLE generated_segments (
    episode_id INTEGER NOT NULL REFERENCES generated_transcripts(episode_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    text TEXT NOT NULL,
    words TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (episode_id, position)
) WITHOUT ROWID;
-- Podcasts whose episodes published since ``since`` (seconds) are transcribed by themselves.
CREATE TABLE transcription_auto_podcasts (
    podcast_id INTEGER PRIMARY KEY REFERENCES podcasts(id) ON DELETE CASCADE,
    since REAL NOT NULL
);
