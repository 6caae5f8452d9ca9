"""The inbox's views counted from indexes that hold only the requests someone handled
(assigned, moved, put away): partial, so they stay small and their statistics useful
(selectors.inbox_views)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("triage", "0031_reply_person_newest"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="candidaterequest",
            index=models.Index(
                condition=models.Q(("assigned_to__isnull", False)),
                fields=["assigned_to", "status"],
                name="request_assigned",
            ),
        ),
        migrations.AddIndex(
            model_name="candidaterequest",
            index=models.Index(
                condition=models.Q(("assigned_by__isnull", False)),
                fields=["assigned_by", "status"],
                name="request_assigned_by",
            ),
        ),
        migrations.AddIndex(
            model_name="candidaterequest",
            index=models.Index(
                condition=models.Q(("final_bucket_set_by__isnull", False)),
                fields=["final_bucket_set_by", "status"],
                name="request_moved_by",
            ),
        ),
        migrations.AddIndex(
            model_name="candidaterequest",
            index=models.Index(
                condition=models.Q(("put_away_by__isnull", False)),
                fields=["put_away_by", "status"],
                name="request_put_away_by",
            ),
        ),
    ]
