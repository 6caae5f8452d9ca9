"""Seed the canned reply templates that ship with the app (templates/triage/replies/*.txt).

They live as text files so they are reviewed like code; recruiters change their copies in
the database afterwards, and this migration never overwrites a template that exists."""

from django.db import migrations


def load_default_templates(apps, schema_editor):
    from triage.replies import install_shipped_templates

    install_shipped_templates(apps.get_model("triage", "ReplyTemplate"))


class Migration(migrations.Migration):
    dependencies = [("triage", "0001_initial")]

    operations = [
        migrations.RunPython(load_default_templates, migrations.RunPython.noop),
    ]
