"""An event's hash is no longer indexed: nothing looks an event up by it (`taizhang verify` recomputes the
chains), and the unique index on a random key — two on PostgreSQL, with the LIKE one — was written by every
event, was the largest index of the table and the slowest to keep up at scale (docs/scale.md).

SQLite rebuilds the table to drop a column's UNIQUE, which drops its triggers: the append-only trigger of
0003 is made again.
"""

import importlib

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

append_only = importlib.import_module("taizhang.ledger.migrations.0003_event_append_only")


def append_only_again(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(append_only.SQLITE_DOWN)
        schema_editor.execute(append_only.SQLITE_UP)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0009_waiting_work_index")]

    operations = [
        migrations.AlterField(model_name="event", name="hash", field=models.CharField(max_length=64)),
        migrations.RunPython(append_only_again, append_only_again),
    ]
