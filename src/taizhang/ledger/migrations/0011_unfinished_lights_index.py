"""A partial covering index of the unfinished problems, so that the dashboard's traffic-light chart
(reports.selectors.light_counts) reads the index alone (docs/scale.md)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("ledger", "0010_event_hash_not_indexed")]

    operations = [
        migrations.AddIndex(
            model_name="problem",
            index=models.Index(
                condition=models.Q(state__in=["in_progress", "notice", "open", "returned", "review"]),
                fields=["state", "deadline"],
                include=(
                    "lead_unit",
                    "created_at",
                    "started_at",
                    "target_quantity",
                    "done_quantity",
                    "working_days",
                ),
                name="problem_unfinished_lights",
            ),
        ),
    ]
