"""A person's replies newest first, as an index: the request page's newest answer on their
other requests. It starts with the candidate, so the foreign key's own index goes (created
first, dropped after: the lookups always have one)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("triage", "0030_first_reply_time"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="reply",
            index=models.Index(
                fields=["candidate", "-created_at", "-id"], name="reply_person_newest"
            ),
        ),
        migrations.AlterField(
            model_name="reply",
            name="candidate",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="replies",
                to="triage.candidate",
            ),
        ),
    ]
