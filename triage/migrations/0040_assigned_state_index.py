"""The assigned requests by status and bucket, with their ids, for the inbox's views
"unassigned" and "waiting on a hiring manager" (models.CandidateRequest)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("triage", "0039_search_keeps_the_tab"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="candidaterequest",
            index=models.Index(
                condition=models.Q(("assigned_to__isnull", False)),
                fields=["status", "final_bucket", "id"],
                name="request_assigned_state",
            ),
        ),
    ]
