-- Full-text search over titles, show notes and transcripts (podplayer.core.storage.search).
-- search_text holds passages (a few cues each) with where each cue starts; search_fts is an
-- external-content FTS5 index over it, kept in step by the triggers below. Deleting an episode
-- (an unsubscribe deletes its podcast's) deletes its passages, and so their index entries.
CREATE TABLE search_text (
    id INTEGER PRIMARY KEY,
    episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
    kind INTEGER NOT NULL,
    marks BLOB,
    body TEXT NOT NULL
);
CREATE INDEX search_text_by_episode ON search_text (episode_id, kind);

CREATE VIRTUAL TABLE search_fts USING fts5(
    body,
    content = 'search_text',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER search_text_added AFTER INSERT ON search_text BEGIN
    INSERT INTO search_fts (rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER search_text_removed AFTER DELETE ON search_text BEGIN
    INSERT INTO search_fts (search_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
CREATE TRIGGER search_text_changed AFTER UPDATE OF body ON search_text BEGIN
    INSERT INTO search_fts (search_fts, rowid, body) VALUES ('delete', old.id, old.body);
    INSERT INTO search_fts (rowid, body) VALUES (new.id, new.body);
END;

-- Episodes whose title or notes are new or changed: the indexer turns their notes into plain
-- text (in Python) and empties this list.
CREATE TABLE search_pending (
    episode_id INTEGER PRIMARY KEY REFERENCES episodes(id) ON DELETE CASCADE
);
CREATE TRIGGER search_episode_added AFTER INSERT ON episodes BEGIN
    INSERT OR IGNORE INTO search_pending (episode_id) VALUES (new.id);
END;
CREATE TRIGGER search_episode_changed AFTER UPDATE OF title, notes_html ON episodes
WHEN old.title IS NOT new.title OR old.notes_html IS NOT new.notes_html BEGIN
    INSERT OR IGNORE INTO search_pending (episode_id) VALUES (new.id);
END;
INSERT INTO search_pending (episode_id) SELECT id FROM episodes;

-- Which transcript an episode's index rows came from: a published URL (with its validators for
-- a conditional GET) or a generated one; an episode here is not fetched for the index again.
CREATE TABLE search_transcripts (
    episode_id INTEGER PRIMARY KEY REFERENCES episodes(id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    etag TEXT,
    last_modified TEXT,
    indexed_at REAL NOT NULL
);
