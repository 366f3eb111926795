"""The full-text index beside search_searchentry, by database vendor (Django's models cannot express either).

SQLite: an FTS5 table over (head, body) with the entry table as its content, fed by triggers, ranked by
bm25 with the head weighing four times the body.
PostgreSQL: a generated tsvector column (head weight A, body weight B, the `simple` configuration: the text is
already segmented) with a GIN index, and a second, partial one over the open entries for similar-lookups; and a
view named like the FTS5 table, so the FullTextRow model can be counted on either database.

Note for later migrations: on SQLite, Django rebuilds a table to alter it, which drops its triggers; a migration
that alters SearchEntry must call `create_sqlite_triggers` again (and then `taizhang reindex`).
"""

from django.db import migrations

SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS search_fts_ai AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, head, body) VALUES (new.id, new.head, new.body);
    END""",
    """CREATE TRIGGER IF NOT EXISTS search_fts_ad AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, head, body) VALUES ('delete', old.id, old.head, old.body);
    END""",
    """CREATE TRIGGER IF NOT EXISTS search_fts_au AFTER UPDATE OF head, body ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, head, body) VALUES ('delete', old.id, old.head, old.body);
        INSERT INTO search_fts(rowid, head, body) VALUES (new.id, new.head, new.body);
    END""",
]


def create_sqlite_triggers(cursor):
    for statement in SQLITE_TRIGGERS:
        cursor.execute(statement)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
                "head, body, content='search_searchentry', content_rowid='id', "
                "tokenize='unicode61 remove_diacritics 0')"
            )
            create_sqlite_triggers(cursor)
            # The `rank` column orders by bm25 with the head counting four times the body.
            cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('rank', 'bm25(4.0, 1.0)')")
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
        elif vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE search_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS ("
                "setweight(to_tsvector('simple'::regconfig, head), 'A') || "
                "setweight(to_tsvector('simple'::regconfig, body), 'B')) STORED"
            )
            cursor.execute("CREATE INDEX search_entry_document ON search_searchentry USING gin (document)")
            cursor.execute(
                "CREATE INDEX search_entry_document_open ON search_searchentry USING gin (document) WHERE is_open"
            )
            # FullTextRow (SQLite's FTS5 table) is a model: code that counts or lists every model's rows
            # finds a relation of that name here too, one row per entry.
            cursor.execute("CREATE VIEW search_fts AS SELECT id AS rowid, 0.0::float AS rank FROM search_searchentry")
        else:
            raise NotImplementedError(f"no full-text index for {vendor}; taizhang runs on SQLite or PostgreSQL")


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "sqlite":
            for name in ("search_fts_ai", "search_fts_ad", "search_fts_au"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute("DROP TABLE IF EXISTS search_fts")
        elif vendor == "postgresql":
            cursor.execute("DROP VIEW IF EXISTS search_fts")
            cursor.execute("ALTER TABLE search_searchentry DROP COLUMN IF EXISTS document")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_index")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
