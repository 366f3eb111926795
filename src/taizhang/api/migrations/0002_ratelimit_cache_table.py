"""The database cache table the rate limiter counts in (settings.CACHES["ratelimit"]), made by migrate so
no deployment step is forgotten. Nothing happens when the rate limiter uses Redis."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
