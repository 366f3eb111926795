"""The receipt code and the idempotency key stay unique, through constraints instead of `unique=True`: on
PostgreSQL the field option also made a LIKE-able (varchar_pattern_ops) index of each, which no query uses and
every submission wrote. Building the unique indexes again takes a while on a large table."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("intake", "0005_upload_paths_by_clock")]

    operations = [
        migrations.AlterField(
            model_name="opinion",
            name="idempotency_key",
            field=models.CharField(blank=True, editable=False, max_length=100, null=True),
        ),
        migrations.AlterField(
            model_name="opinion",
            name="receipt_code",
            field=models.CharField(editable=False, max_length=10, verbose_name="receipt code"),
        ),
        migrations.AddConstraint(
            model_name="opinion",
            constraint=models.UniqueConstraint(fields=("receipt_code",), name="opinion_receipt_code_unique"),
        ),
        migrations.AddConstraint(
            model_name="opinion",
            constraint=models.UniqueConstraint(
                fields=("idempotency_key",), name="opinion_idempotency_key_unique"
            ),
        ),
    ]
