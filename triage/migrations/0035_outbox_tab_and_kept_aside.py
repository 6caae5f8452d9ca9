"""Each reply's outbox tab, kept by the database (a stored generated column), and an index
of the outbox's rows alone; and an index of the messages still kept aside. The outbox and
Kept aside pages read and count their tabs from these, whatever the number of replies ever
sent or messages ever resolved (selectors.outbox)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("triage", "0034_rule_figures"),
    ]

    operations = [
        migrations.AddField(
            model_name="reply",
            name="outbox_tab",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(status__in=("unknown",), then=models.Value("unknown")),
                    models.When(status__in=("failed",), then=models.Value("failed")),
                    models.When(status__in=("bounced",), then=models.Value("bounced")),
                    models.When(status__in=("queued", "sending"), then=models.Value("pending")),
                    default=None,
                ),
                output_field=models.CharField(max_length=10, null=True),
            ),
        ),
        migrations.AddIndex(
            model_name="quarantinedmessage",
            index=models.Index(
                condition=models.Q(("resolved_at__isnull", True)),
                fields=["kind", "-created_at", "-id"],
                name="quarantine_open_newest",
            ),
        ),
        migrations.AddIndex(
            model_name="reply",
            index=models.Index(
                condition=models.Q(("outbox_tab__isnull", False)),
                fields=["outbox_tab", "-created_at", "-id"],
                name="reply_outbox_tab_newest",
            ),
        ),
    ]
