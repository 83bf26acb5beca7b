"""Migrations: whole scripts (triggers, FTS5) or Python, each all or nothing, in number order."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from podplayer.core.models import Episode, Podcast
from podplayer.core.storage.database import Database
from podplayer.core.storage.library import Library
from podplayer.core.storage.migrate import (
    MIGRATIONS,
    SCHEMA_VERSION,
    Migration,
    MigrationContext,
    MigrationError,
    discover,
    migrate,
    schema_version,
    statements,
)

NO_SECRETS = MigrationContext(secrets=None)

FTS_WITH_TRIGGER = """
-- Full-text search over titles, kept current by a trigger.
CREATE VIRTUAL TABLE episode_text USING fts5(title);
CREATE TRIGGER episode_text_insert AFTER INSERT ON episodes BEGIN
    INSERT INTO episode_text (rowid, title) VALUES (new.id, new.title);
END;
"""


def current_library(tmp_path: Path) -> Database:
    db = Database(tmp_path / "lib.sqlite3")
    migrate(db, NO_SECRETS)
    return db


def test_the_library_migrations_keep_their_numbers() -> None:
    assert [m.number for m in MIGRATIONS][:2] == [1, 2]
    assert MIGRATIONS[-1].number == SCHEMA_VERSION


def test_a_script_can_create_a_trigger_and_an_fts5_table(tmp_path: Path) -> None:
    db = current_library(tmp_path)
    number = SCHEMA_VERSION + 1
    migrate(db, NO_SECRETS, [*MIGRATIONS, Migration(number, "fts", script=FTS_WITH_TRIGGER)])
    assert schema_version(db) == number
    db.execute("INSERT INTO podcasts (url) VALUES ('https://a/feed')")
    db.execute("INSERT INTO episodes (podcast_id, guid, title) VALUES (1, 'g', 'Whales sing')")
    found = db.execute("SELECT rowid FROM episode_text WHERE episode_text MATCH 'whales'")
    assert [tuple(row) for row in found] == [(1,)]
    db.close()


def test_a_failing_script_leaves_the_library_at_its_old_version(tmp_path: Path) -> None:
    db = current_library(tmp_path)
    broken = Migration(
        SCHEMA_VERSION + 1,
        "broken",
        script=(
            "CREATE TABLE half_done (a);\n"
            "ALTER TABLE podcasts ADD COLUMN x;\n"
            "INSERT INTO nowhere VALUES (1);\n"
        ),
    )
    with pytest.raises(MigrationError, match=f"left at version {SCHEMA_VERSION}"):
        migrate(db, NO_SECRETS, [*MIGRATIONS, broken])
    assert schema_version(db) == SCHEMA_VERSION
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert "half_done" not in tables
    columns = {row[1] for row in db.execute("PRAGMA table_info(podcasts)")}
    assert "x" not in columns
    db.close()
    # The file opens as before, and the next start tries the migration again.
    library = Library.open(tmp_path / "lib.sqlite3")
    assert library.podcasts.list() == []
    library.close()


def test_a_failing_python_migration_changes_nothing(tmp_path: Path) -> None:
    db = current_library(tmp_path)
    db.execute("INSERT INTO podcasts (url, title) VALUES ('https://a/feed', 'Kept')")

    def rename_then_fail(conn: sqlite3.Connection, context: MigrationContext) -> None:
        conn.execute("UPDATE podcasts SET title = 'Changed'")
        raise sqlite3.OperationalError("disk I/O error")

    failing = Migration(SCHEMA_VERSION + 1, "python", function=rename_then_fail)
    with pytest.raises(MigrationError):
        migrate(db, NO_SECRETS, [*MIGRATIONS, failing])
    assert db.execute("SELECT title FROM podcasts").fetchone()[0] == "Kept"
    assert schema_version(db) == SCHEMA_VERSION
    db.close()


def test_a_python_migration_moves_data_sql_cannot(tmp_path: Path) -> None:
    library = Library.open(tmp_path / "lib.sqlite3")
    podcast = library.podcasts.add(Podcast(url="https://a/feed", title="Show"))
    assert podcast.id is not None
    library.episodes.add(Episode(podcast_id=podcast.id, guid="g", title="  padded  "))
    library.close()
    seen: list[MigrationContext] = []

    def strip_titles(conn: sqlite3.Connection, context: MigrationContext) -> None:
        seen.append(context)
        rows = conn.execute("SELECT id, title FROM episodes").fetchall()
        stripped = [(title.strip(), episode_id) for episode_id, title in rows]
        conn.executemany("UPDATE episodes SET title = ? WHERE id = ?", stripped)

    db = Database(tmp_path / "lib.sqlite3")
    step = Migration(SCHEMA_VERSION + 5, "strip", function=strip_titles)
    migrate(db, NO_SECRETS, [*MIGRATIONS, step])
    migrate(db, NO_SECRETS, [*MIGRATIONS, step])  # applied once only
    assert seen == [NO_SECRETS]
    assert db.execute("SELECT title FROM episodes").fetchone()[0] == "padded"
    assert schema_version(db) == SCHEMA_VERSION + 5
    db.close()


def test_migration_files_apply_in_number_order_with_gaps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "some_migrations"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "m0001_first.sql").write_text("CREATE TABLE log (step TEXT);\n")
    (package / "m0040_later.sql").write_text("INSERT INTO log VALUES ('forty');\n")
    (package / "m0003_python.py").write_text(
        "def migrate(conn, context):\n    conn.execute(\"INSERT INTO log VALUES ('three')\")\n"
    )
    (package / "notes.txt").write_text("not a migration")
    monkeypatch.syspath_prepend(str(tmp_path))
    found = discover("some_migrations")
    assert [(m.number, m.name) for m in found] == [
        (1, "m0001_first"),
        (3, "m0003_python"),
        (40, "m0040_later"),
    ]
    db = Database(tmp_path / "lib.sqlite3")
    migrate(db, NO_SECRETS, found)
    assert [row[0] for row in db.execute("SELECT step FROM log")] == ["three", "forty"]
    assert schema_version(db) == 40
    db.close()
    (package / "m0040_twin.sql").write_text("SELECT 1;\n")
    with pytest.raises(MigrationError, match="Two migrations have the number 40"):
        discover("some_migrations")


def test_statements_are_split_whole() -> None:
    script = "INSERT INTO t VALUES ('a;b');\n" + FTS_WITH_TRIGGER + "-- the end\n"
    assert [s.split()[0:2] for s in statements(script)] == [
        ["INSERT", "INTO"],
        ["--", "Full-text"],
        ["CREATE", "TRIGGER"],
    ]
    with pytest.raises(MigrationError, match="incomplete statement"):
        list(statements("CREATE TABLE t (a); CREATE TABLE u (b)"))
