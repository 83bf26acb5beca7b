-- Full-text search over titles, show notes and transcripts (podplayer.core.storage.search).
-- search_docs keeps each episode's title, notes and transcript as compressed text with the
-- start time of each cue; search_fts is a contentless FTS5 index of their passages. Deleting a
-- document (an unsubscribe deletes its episodes, and so their documents) moves it to
-- search_removed, whose words the app then takes out of the index.
CREATE TABLE search_docs (
    id INTEGER PRIMARY KEY,
    episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
    kind INTEGER NOT NULL,
    text BLOB NOT NULL,
    marks BLOB,
    UNIQUE (episode_id, kind)
);

CREATE VIRTUAL TABLE search_fts USING fts5(
    body,
    content = '',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE search_removed (
    id INTEGER PRIMARY KEY,
    episode_id INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    text BLOB NOT NULL
);
CREATE TRIGGER search_doc_removed AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_removed (episode_id, kind, text) VALUES (old.episode_id, old.kind, old.text);
END;

-- Episodes whose title or notes are new or changed: the app turns their notes into plain text
-- and empties this list.
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

-- Where an episode's indexed transcript came from: a published URL (with the validators for a
-- conditional GET) or speech-to-text. An episode listed here is not fetched for the index again.
CREATE TABLE search_transcripts (
    episode_id INTEGER PRIMARY KEY REFERENCES episodes(id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    etag TEXT,
    last_modified TEXT,
    indexed_at REAL NOT NULL
);
