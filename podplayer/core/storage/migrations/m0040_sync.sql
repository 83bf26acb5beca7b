-- Sync with a gpodder.net or Nextcloud gPodder Sync server (podplayer.core.sync).
-- The account: one at most. Its password is in the secret store, never here.
CREATE TABLE sync_account (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    server_url TEXT NOT NULL,
    username TEXT NOT NULL,
    kind TEXT NOT NULL,
    device_id TEXT NOT NULL,
    device_registered INTEGER NOT NULL DEFAULT 0,
    subscriptions_since INTEGER NOT NULL DEFAULT 0,
    actions_since INTEGER NOT NULL DEFAULT 0,
    last_full_pull_at REAL,
    last_sync_at REAL,
    last_attempt_at REAL,
    last_error TEXT NOT NULL DEFAULT '',
    auth_failed INTEGER NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0
);
-- Subscriptions added or removed here and not yet on the server: the latest change per URL.
CREATE TABLE sync_subscription_changes (
    url TEXT PRIMARY KEY,
    subscribed INTEGER NOT NULL,
    changed_at REAL NOT NULL
);
-- Each episode's play state as last changed, here or on another device (latest wins), and
-- whether that change still has to be uploaded (pending).
CREATE TABLE sync_episode_state (
    episode_id INTEGER PRIMARY KEY,
    changed_at REAL NOT NULL,
    pending INTEGER NOT NULL,
    podcast_url TEXT NOT NULL,
    episode_url TEXT NOT NULL,
    guid TEXT NOT NULL,
    action TEXT NOT NULL,
    position_s INTEGER NOT NULL,
    total_s INTEGER
);
CREATE INDEX sync_episode_state_pending ON sync_episode_state (pending) WHERE pending = 1;
-- Downloads finished ("download") or files deleted ("delete") here, not yet on the server: the
-- latest per episode.
CREATE TABLE sync_file_actions (
    episode_id INTEGER PRIMARY KEY,
    action TEXT NOT NULL,
    changed_at REAL NOT NULL,
    podcast_url TEXT NOT NULL,
    episode_url TEXT NOT NULL,
    guid TEXT NOT NULL
);
-- Actions from the server for episodes not in the library yet (a podcast added on the phone
-- whose feed is not fetched yet): matched again at every sync, the latest per episode.
CREATE TABLE sync_unmatched_actions (
    episode_url TEXT PRIMARY KEY,
    podcast_url TEXT NOT NULL,
    guid TEXT,
    action TEXT NOT NULL,
    position_s INTEGER,
    total_s INTEGER,
    changed_at REAL NOT NULL
);
-- A row here, inside the sync's own transaction, keeps the triggers below from queueing the
-- changes the sync itself applies.
CREATE TABLE sync_applying (marker INTEGER PRIMARY KEY);

CREATE TRIGGER sync_podcast_added AFTER INSERT ON podcasts
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_applying)
BEGIN
    INSERT OR REPLACE INTO sync_subscription_changes (url, subscribed, changed_at)
    VALUES (NEW.url, 1, (julianday('now') - 2440587.5) * 86400.0);
END;

CREATE TRIGGER sync_podcast_removed AFTER DELETE ON podcasts
WHEN EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_applying)
BEGIN
    INSERT OR REPLACE INTO sync_subscription_changes (url, subscribed, changed_at)
    VALUES (OLD.url, 0, (julianday('now') - 2440587.5) * 86400.0);
END;

CREATE TRIGGER sync_podcast_moved AFTER UPDATE OF url ON podcasts
WHEN NEW.url IS NOT OLD.url
    AND EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_applying)
BEGIN
    INSERT OR REPLACE INTO sync_subscription_changes (url, subscribed, changed_at)
    VALUES (OLD.url, 0, (julianday('now') - 2440587.5) * 86400.0);
    INSERT OR REPLACE INTO sync_subscription_changes (url, subscribed, changed_at)
    VALUES (NEW.url, 1, (julianday('now') - 2440587.5) * 86400.0);
END;

-- Played: a play to the end (position = total = the duration, at least 1 s). Back at the start
-- and not played: "new". Otherwise a play to the position.
CREATE TRIGGER sync_episode_played AFTER UPDATE OF played, position_ms ON episodes
WHEN (NEW.played IS NOT OLD.played OR NEW.position_ms / 1000 IS NOT OLD.position_ms / 1000)
    AND EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_applying)
BEGIN
    INSERT OR REPLACE INTO sync_episode_state (
        episode_id, changed_at, pending, podcast_url, episode_url, guid, action, position_s,
        total_s
    )
    SELECT
        NEW.id,
        (julianday('now') - 2440587.5) * 86400.0,
        1,
        podcasts.url,
        NEW.enclosure_url,
        NEW.guid,
        CASE WHEN NEW.played = 0 AND NEW.position_ms < 1000 THEN 'new' ELSE 'play' END,
        CASE WHEN NEW.played
            THEN max(coalesce(NEW.duration_s, 0), NEW.position_ms / 1000, 1)
            ELSE NEW.position_ms / 1000 END,
        CASE WHEN NEW.played
            THEN max(coalesce(NEW.duration_s, 0), NEW.position_ms / 1000, 1)
            ELSE NEW.duration_s END
    FROM podcasts WHERE podcasts.id = NEW.podcast_id AND NEW.enclosure_url != '';
END;

CREATE TRIGGER sync_download_added AFTER INSERT ON downloads
WHEN NEW.state = 'completed'
    AND EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_applying)
BEGIN
    INSERT OR REPLACE INTO sync_file_actions
        (episode_id, action, changed_at, podcast_url, episode_url, guid)
    SELECT e.id, 'download', (julianday('now') - 2440587.5) * 86400.0, p.url, e.enclosure_url,
        e.guid
    FROM episodes e JOIN podcasts p ON p.id = e.podcast_id WHERE e.id = NEW.episode_id;
END;

CREATE TRIGGER sync_download_completed AFTER UPDATE OF state ON downloads
WHEN NEW.state = 'completed' AND OLD.state IS NOT 'completed'
    AND EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_applying)
BEGIN
    INSERT OR REPLACE INTO sync_file_actions
        (episode_id, action, changed_at, podcast_url, episode_url, guid)
    SELECT e.id, 'download', (julianday('now') - 2440587.5) * 86400.0, p.url, e.enclosure_url,
        e.guid
    FROM episodes e JOIN podcasts p ON p.id = e.podcast_id WHERE e.id = NEW.episode_id;
END;

CREATE TRIGGER sync_download_deleted AFTER DELETE ON downloads
WHEN OLD.state = 'completed'
    AND EXISTS (SELECT 1 FROM sync_account) AND NOT EXISTS (SELECT 1 FROM sync_applying)
BEGIN
    INSERT OR REPLACE INTO sync_file_actions
        (episode_id, action, changed_at, podcast_url, episode_url, guid)
    SELECT e.id, 'delete', (julianday('now') - 2440587.5) * 86400.0, p.url, e.enclosure_url,
        e.guid
    FROM episodes e JOIN podcasts p ON p.id = e.podcast_id WHERE e.id = OLD.episode_id;
END;
