"""Talent pool follow-ups: hiring managers, consent, locations, role outreach.

The data steps: the two roles as groups (every user who exists already was a recruiter
before roles existed, so they stay one; anyone named an opening's hiring manager gets that
role)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    Opening = apps.get_model("triage", "Opening")
    recruiters, _ = Group.objects.get_or_create(name="Recruiters")
    managers, _ = Group.objects.get_or_create(name="Hiring managers")
    for user in User.objects.all():
        user.groups.add(recruiters)
    named = Opening.objects.exclude(hiring_manager=None).values_list("hiring_manager", flat=True)
    for user in User.objects.filter(pk__in=list(named)):
        user.groups.add(managers)


DATA_OPERATIONS = [
    migrations.RunPython(create_roles, migrations.RunPython.noop),
]


class Migration(migrations.Migration):

    dependencies = [
        ('triage', '0008_request_assignee'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.AddField(
            model_name='candidaterequest',
            name='assigned_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.CreateModel(
            name='HiringOutcome',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('talked', 'Talked with them'), ('passed', 'Passed'), ('hiring', 'Moved into the hiring process')], max_length=10)),
                ('note', models.TextField(blank=True)),
                ('recorded_at', models.DateTimeField(auto_now_add=True)),
                ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='outcomes', to='triage.candidaterequest')),
            ],
            options={
                'ordering': ['-recorded_at', '-pk'],
            },
        ),
    ] + DATA_OPERATIONS
