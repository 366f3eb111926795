"""An index for counting urges and reopenings per period (reports.measures) without reading every event.

Created here rather than on ledger.Event, because the ledger knows nothing of reports (DESIGN.md); the SQL is
the same on SQLite and PostgreSQL. See docs/adr/0070-measures-counted-by-unit.md.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_expenses"),
        ("ledger", "0004_working_days_external_ref"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS reports_event_kind_at ON ledger_event (kind, at)",
            reverse_sql="DROP INDEX IF EXISTS reports_event_kind_at",
        ),
    ]
