"""The database itself refuses to UPDATE an event: the history is append-only below the application too.

Deletions are caught by `taizhang verify` (the chain and each problem's anchor), so test databases can
still be flushed.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

SQLITE_UP = """
CREATE TRIGGER ledger_event_append_only BEFORE UPDATE ON ledger_event
BEGIN SELECT RAISE(ABORT, 'ledger events are append-only'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS ledger_event_append_only;"

POSTGRES_UP = (
    """CREATE OR REPLACE FUNCTION ledger_event_refuse_update() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'ledger events are append-only'; END;
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER ledger_event_append_only BEFORE UPDATE ON ledger_event
    FOR EACH ROW EXECUTE FUNCTION ledger_event_refuse_update()""",
)
POSTGRES_DOWN = (
    "DROP TRIGGER IF EXISTS ledger_event_append_only ON ledger_event",
    "DROP FUNCTION IF EXISTS ledger_event_refuse_update()",
)


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)
    elif vendor == "postgresql":
        for statement in POSTGRES_UP:
            schema_editor.execute(statement)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)
    elif vendor == "postgresql":
        for statement in POSTGRES_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
