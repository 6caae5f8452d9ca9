"""Each request's first reply time (when our first answer was sent), kept on the request so
the dashboard's time to first reply reads one indexed column; filled here for the requests
stored before it, as outbox.fill_first_replied_at does (migrations keep their own copy)."""

from itertools import batched

from django.db import migrations, models
from django.db.models import Min


def fill_first_replied_at(apps, schema_editor):
    CandidateRequest = apps.get_model("triage", "CandidateRequest")
    Reply = apps.get_model("triage", "Reply")
    firsts = (
        Reply.objects.filter(kind="answer", sent_at__isnull=False)
        .values("request_id")
        .annotate(first=Min("sent_at"))
        .order_by("request_id")
    )
    for rows in batched(firsts.iterator(chunk_size=500), 500):
        CandidateRequest.objects.bulk_update(
            [CandidateRequest(pk=row["request_id"], first_replied_at=row["first"]) for row in rows],
            ["first_replied_at"],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("triage", "0029_config_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="candidaterequest",
            name="first_replied_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill_first_replied_at, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="candidaterequest",
            index=models.Index(
                condition=models.Q(("first_replied_at__isnull", False)),
                fields=["received_at", "first_replied_at"],
                name="request_first_reply",
            ),
        ),
        # The network path's steps, each found by an index (selectors/dashboard.network_path).
        migrations.AddIndex(
            model_name="candidaterequest",
            index=models.Index(
                fields=["final_bucket", "received_at", "candidate", "first_replied_at"],
                name="request_bucket_people",
            ),
        ),
        migrations.AddIndex(
            model_name="candidate",
            index=models.Index(
                condition=models.Q(("consent_given_at__isnull", False)),
                fields=["consent_given_at"],
                name="candidate_consented",
            ),
        ),
        migrations.AddIndex(
            model_name="reply",
            index=models.Index(fields=["kind", "status", "candidate"], name="reply_kind_people"),
        ),
        migrations.AddIndex(
            model_name="reply",
            index=models.Index(fields=["created_at", "status"], name="reply_created_status"),
        ),
        migrations.AddIndex(
            model_name="hiringoutcome",
            index=models.Index(fields=["kind", "request"], name="outcome_kind_request"),
        ),
    ]
