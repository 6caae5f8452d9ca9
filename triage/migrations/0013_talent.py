"""Talent pool follow-ups: hiring managers, consent, locations, role outreach.

The data steps: the two roles as groups (every user who exists already was a recruiter
before roles existed, so they stay one; anyone named an opening's hiring manager gets that
role); the consent link in the shipped keep-in-touch reply, where no one edited it; and
the new shipped "a role opened that fits you" template."""

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


# The keep-in-touch reply as it shipped before it carried the consent link. A row still
# reading exactly this was never edited by a recruiter, so it may take the new text; an
# edited one is left alone (the placeholder is listed beside the editor for them to add).
OLD_KEEP_IN_TOUCH_NAME = "Network: keep in touch (talent pool)"
OLD_KEEP_IN_TOUCH_BODY = 'Hi {{ first_name|default:"there" }},\n\nThank you for writing; it\'s good to hear from you.\n\nI\'ll be straightforward: I don\'t have a role I can put in front of you right now that I\'d call the right fit, and I\'d rather say so plainly than set up a conversation that doesn\'t lead anywhere yet. But your background is exactly the kind we want to stay close to at {{ company }}, and I\'ll keep you in mind. When a role opens that fits, I\'ll reach out to you personally.\n\nTo do that, I\'d like to add you to our talent pool. Is it OK with you if we keep your name, contact details and what you\'ve shared with us for that purpose? A simple "yes" is enough, and you can ask me to remove your details at any time.\n\nIn the meantime, everything we have open is at {{ careers_url }}.\n\nAll the best,\n\n{{ recruiter_signature }}\n'


def add_consent_link(apps, schema_editor):
    from triage.replies import SHIPPED_TEMPLATES_DIR, read_default_template

    ReplyTemplate = apps.get_model("triage", "ReplyTemplate")
    shipped = read_default_template(SHIPPED_TEMPLATES_DIR / "network-keep-in-touch.txt")
    ReplyTemplate.objects.filter(
        name=OLD_KEEP_IN_TOUCH_NAME, body=OLD_KEEP_IN_TOUCH_BODY
    ).update(body=shipped.body, subject=shipped.subject)


def remove_consent_link(apps, schema_editor):
    from triage.replies import SHIPPED_TEMPLATES_DIR, read_default_template

    ReplyTemplate = apps.get_model("triage", "ReplyTemplate")
    shipped = read_default_template(SHIPPED_TEMPLATES_DIR / "network-keep-in-touch.txt")
    ReplyTemplate.objects.filter(name=OLD_KEEP_IN_TOUCH_NAME, body=shipped.body).update(
        body=OLD_KEEP_IN_TOUCH_BODY
    )



def install_new_templates(apps, schema_editor):
    """"A role opened that fits you" (and any other shipped template without a row yet)."""
    from triage.replies import install_shipped_templates

    install_shipped_templates(apps.get_model("triage", "ReplyTemplate"))


DATA_OPERATIONS = [
    migrations.RunPython(create_roles, migrations.RunPython.noop),
    migrations.RunPython(add_consent_link, remove_consent_link),
    migrations.RunPython(install_new_templates, migrations.RunPython.noop),
]


class Migration(migrations.Migration):

    dependencies = [
        ("triage", "0012_assistant"),
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
        migrations.AddField(
            model_name='candidate',
            name='consent_expires_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='candidate',
            name='consent_given_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='candidate',
            name='consent_recorded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='candidate',
            name='do_not_contact_reason',
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AlterField(
            model_name='erasurerecord',
            name='reason',
            field=models.CharField(choices=[('request', 'Erased on request'), ('retention', 'Retention period ended'), ('consent', 'Talent pool consent lapsed or never given')], max_length=10),
        ),
        migrations.RemoveConstraint(
            model_name='reply',
            name='one_live_reply_per_round',
        ),
        migrations.AddField(
            model_name='candidate',
            name='location',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name='reply',
            name='kind',
            field=models.CharField(choices=[('answer', 'Answer'), ('role_opened', 'A role opened')], default='answer', max_length=12),
        ),
        migrations.AddField(
            model_name='reply',
            name='opening',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='role_replies', to='triage.opening'),
        ),
        migrations.AddConstraint(
            model_name='reply',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'answer'), ('status__in', ['queued', 'sending', 'sent', 'unknown'])), fields=('request', 'round'), name='one_live_reply_per_round'),
        ),
        migrations.AddConstraint(
            model_name='reply',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'role_opened'), ('status__in', ['queued', 'sending', 'sent', 'unknown'])), fields=('request', 'opening'), name='one_role_opened_reply_per_opening'),
        ),
    ] + DATA_OPERATIONS
