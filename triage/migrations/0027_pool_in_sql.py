"""The talent pool in SQL: skills as rows, the pool fields the pool page orders by."""

from datetime import timedelta

import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models
from django.db.models import Exists, Max, OuterRef, Subquery


FOLLOW_UP_AFTER = timedelta(days=90)  # talent.FOLLOW_UP_AFTER when this was written
CHUNK = 2000


def move_into_rows(apps, schema_editor):
    """Skills from each person's JSON list into rows (a lower-cased key each, no repeats),
    and the pool fields worked out from their requests and replies."""
    Candidate = apps.get_model("triage", "Candidate")
    CandidateSkill = apps.get_model("triage", "CandidateSkill")
    CandidateRequest = apps.get_model("triage", "CandidateRequest")
    Reply = apps.get_model("triage", "Reply")
    rows = []
    for pk, skills in Candidate.objects.exclude(skills=[]).values_list("pk", "skills").iterator():
        seen = set()
        for item in skills or []:
            name = " ".join(str(item).split())[:100]
            key = name.lower()
            if key and key not in seen:
                seen.add(key)
                rows.append(CandidateSkill(candidate_id=pk, name=name, key=key, position=len(seen)))
        if len(rows) >= CHUNK:
            CandidateSkill.objects.bulk_create(rows)
            rows = []
    CandidateSkill.objects.bulk_create(rows)

    ids = list(Candidate.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        requests = CandidateRequest.objects.filter(candidate=OuterRef("pk"))
        last_request = requests.order_by().values("candidate").annotate(at=Max("received_at"))
        sent = Reply.objects.filter(candidate=OuterRef("pk"), sent_at__isnull=False)
        last_reply = sent.order_by().values("candidate").annotate(at=Max("sent_at"))
        people = Candidate.objects.filter(pk__in=chunk).annotate(
            network=Exists(requests.filter(final_bucket="network")),
            last_request=Subquery(last_request.values("at")),
            last_reply=Subquery(last_reply.values("at")),
        )
        changed = []
        for person in people:
            moments = [at for at in (person.last_request, person.last_reply) if at]
            person.last_contact_on = max(moments).date() if moments else None
            person.in_pool = bool(person.network)
            if person.next_follow_up:
                person.follow_up_due = person.next_follow_up
            elif person.last_contact_on:
                person.follow_up_due = person.last_contact_on + FOLLOW_UP_AFTER
            changed.append(person)
        Candidate.objects.bulk_update(
            changed, ["in_pool", "last_contact_on", "follow_up_due"], batch_size=200
        )
    # The planner's statistics, so it reads the new indexes as the pool's pages mean it to.
    schema_editor.execute("ANALYZE")


class Migration(migrations.Migration):

    dependencies = [
        ('triage', '0026_notifications_and_dashboard'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CandidateSkill',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100)),
                ('key', models.CharField(editable=False, max_length=100)),
                ('source', models.CharField(choices=[('recruiter', 'A recruiter'), ('message', 'Their message or résumé')], default='recruiter', max_length=10)),
                ('evidence', models.CharField(blank=True, max_length=300)),
                ('position', models.PositiveSmallIntegerField(default=0)),
            ],
            options={
                'ordering': ['position', 'pk'],
            },
        ),
        migrations.AddField(
            model_name='candidate',
            name='follow_up_due',
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='candidate',
            name='in_pool',
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name='candidate',
            name='last_contact_on',
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='candidate',
            name='location_evidence',
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddIndex(
            model_name='candidate',
            index=models.Index(fields=['in_pool', 'follow_up_due', 'email'], name='candidate_pool_follow_up'),
        ),
        migrations.AddIndex(
            model_name='candidate',
            index=models.Index(fields=['in_pool', 'location'], name='candidate_pool_location'),
        ),
        migrations.AddIndex(
            model_name='candidate',
            index=models.Index(fields=['in_pool', 'email', 'name'], name='candidate_pool_names'),
        ),
        migrations.AddField(
            model_name='candidateskill',
            name='candidate',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='skill_rows', to='triage.candidate'),
        ),
        migrations.AddIndex(
            model_name='candidateskill',
            index=models.Index(fields=['key', 'candidate'], name='candidate_skill_by_key'),
        ),
        migrations.AddConstraint(
            model_name='candidateskill',
            constraint=models.UniqueConstraint(fields=('candidate', 'key'), name='unique_candidate_skill'),
        ),
        migrations.AddConstraint(
            model_name='candidateskill',
            constraint=models.CheckConstraint(condition=models.Q(('key', django.db.models.functions.text.Lower('key')), models.Q(('key', ''), _negated=True)), name='candidate_skill_key_lower'),
        ),
        migrations.RunPython(move_into_rows, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='candidate',
            name='skills',
        ),
    ]
