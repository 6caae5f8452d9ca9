"""Each reply names its candidate, so "a role opened that fits you" is promised once per person
(candidate + opening) by the database, not once per request: a person with two requests in
the pool could otherwise be told twice."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, Q

LIVE = ["queued", "sending", "sent", "unknown"]


def copy_candidates(apps, schema_editor):
    Reply = apps.get_model("triage", "Reply")
    if schema_editor.connection.vendor == "postgresql":
        # Check the foreign keys as each row is updated: PostgreSQL refuses the ALTER TABLEs
        # below while deferred checks on the table are still pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for reply in Reply.objects.filter(candidate=None).select_related("request").iterator():
        Reply.objects.filter(pk=reply.pk).update(candidate_id=reply.request.candidate_id)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")
    told_twice = (
        Reply.objects.filter(kind="role_opened", status__in=LIVE, opening__isnull=False)
        .values("candidate_id", "opening_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    if told_twice:
        pairs = ", ".join(f"candidate {t['candidate_id']}/opening {t['opening_id']}" for t in told_twice)
        raise RuntimeError(
            "These people already have two live 'a role opened' replies for one role, so the "
            f"once-per-person constraint cannot be added: {pairs}. Mark the extra ones failed "
            "(after checking what was sent), then migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("triage", "0016_bounces_and_raw_hash"),
    ]

    operations = [
        migrations.AddField(
            model_name="reply",
            name="candidate",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="replies",
                to="triage.candidate",
            ),
        ),
        migrations.RunPython(copy_candidates, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="reply",
            name="candidate",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="replies",
                to="triage.candidate",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="reply",
            name="one_role_opened_reply_per_opening",
        ),
        migrations.AddConstraint(
            model_name="reply",
            constraint=models.UniqueConstraint(
                condition=Q(kind="role_opened", status__in=LIVE),
                fields=("candidate", "opening"),
                name="one_role_opened_reply_per_person",
            ),
        ),
    ]
