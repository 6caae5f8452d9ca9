import json
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from triage import access, rules
from triage.models import Opening, TriageProfile
from triage.services import config_cache, demo, intake, profiles

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-recruiter"  # a local demo login, printed for the user
# A hiring manager who sees only what is assigned to them, to try the other side.
MANAGER_USERNAME = "hank"
MANAGER_PASSWORD = "demo-hiring-manager"


class Command(BaseCommand):
    help = "Load a demo company and about 50 requests, and create a demo recruiter. Idempotent."

    @transaction.atomic
    def handle(self, *args, **options):
        if TriageProfile.load() is None:
            profiles.import_profile(json.loads((DEMO_DIR / "profile.json").read_text("utf-8")))
        profile = profiles.load_profile()

        user, _ = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME,
            defaults={
                "first_name": profile.recruiter_name.split()[0],
                "email": profile.recruiter_email,
            },
        )
        user.last_name = " ".join(profile.recruiter_name.split()[1:])
        user.is_staff = user.is_superuser = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        recruiters, _ = Group.objects.get_or_create(name=access.RECRUITERS)
        user.groups.add(recruiters)

        now = timezone.localtime()
        created = 0
        for number, item in enumerate(json.loads((DEMO_DIR / "requests.json").read_text("utf-8"))):
            day = now - timedelta(days=item["days_ago"])
            # Today's messages cannot have arrived later than now.
            received_at = min(day.replace(hour=item["hour"], minute=7 * number % 60), now)
            request = intake.create_request(
                sender=rules.Address(name=item["from_name"], email=item["from_email"].lower()),
                subject=item["subject"],
                body=item["body"],
                received_at=received_at,
                # A fixed Message-ID per demo message is what makes a second run add nothing.
                message_id=f"<demo-{number}@seed.invalid>",
                to=[rules.Address(name=n, email=e.lower()) for n, e in item.get("to", [])],
                cc=[rules.Address(name=n, email=e.lower()) for n, e in item.get("cc", [])],
                profile=profile,
            )
            created += request is not None

        manager = self.make_hiring_manager()
        history = json.loads((DEMO_DIR / "history.json").read_text("utf-8"))
        answered = demo.record_history(history=history, by=user, profile=profile, now=now)
        assigned = demo.assign_to_manager(manager=manager, by=user, profile=profile)

        self.stdout.write(
            f"Demo inbox for {profile.company}: {created} new requests, {answered} past replies."
        )
        self.stdout.write(self.style.SUCCESS(f"Demo login: {DEMO_USERNAME} / {DEMO_PASSWORD}"))
        self.stdout.write(
            f"Demo hiring manager (sees only what is assigned to them): "
            f"{MANAGER_USERNAME} / {MANAGER_PASSWORD}"
        )
        if assigned:
            self.stdout.write(f"{assigned} exceptional requests assigned to {MANAGER_USERNAME}.")

    def make_hiring_manager(self):
        """Hank manages every demo opening that has no hiring manager yet."""
        manager, _ = get_user_model().objects.get_or_create(
            username=MANAGER_USERNAME,
            defaults={"first_name": "Hank", "last_name": "Hiring", "email": "hank@localhost"},
        )
        manager.set_password(MANAGER_PASSWORD)
        manager.save()
        managers, _ = Group.objects.get_or_create(name=access.HIRING_MANAGERS)
        manager.groups.add(managers)
        Opening.objects.filter(hiring_manager=None).update(hiring_manager=manager)
        config_cache.changed()
        return manager
