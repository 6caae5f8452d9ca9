"""The company as the rules see it: loading and importing the triage profile."""

from __future__ import annotations

from django.db import transaction

from triage import rules
from triage.models import (
    KnownContact,
    NotablePerson,
    Opening,
    TriageProfile,
)

# --- The profile -------------------------------------------------------------------------


class ProfileMissing(Exception):
    """No triage profile yet: run `manage.py import_profile FILE` or add one in the admin."""


def load_profile() -> rules.Profile:
    """The company as the rules see it, read from the database in four queries."""
    row = TriageProfile.load()
    if row is None:
        raise ProfileMissing(ProfileMissing.__doc__)
    return rules.Profile(
        company=row.company,
        careers_url=row.careers_url,
        recruiter_name=row.recruiter_name,
        recruiter_email=row.recruiter_email.lower(),
        employee_domains=tuple(domain.lower() for domain in row.employee_domains),
        openings=tuple(
            rules.Opening(title=o.title, url=o.url, skills=tuple(o.skills), location=o.location)
            for o in Opening.objects.filter(is_open=True)
        ),
        hard_to_fill_skills=tuple(row.hard_to_fill_skills),
        notable_people=tuple(
            rules.Person(name=p.name, email=p.email.lower()) for p in NotablePerson.objects.all()
        ),
        contacts=tuple(
            rules.Person(name=c.name, email=c.email.lower(), note=c.note)
            for c in KnownContact.objects.all()
        ),
    )


@transaction.atomic
def import_profile(data: dict) -> TriageProfile:
    """Replace the profile, its openings, notable people and contacts with `data`.

    `data` has the shape of a profile.json: company, careers_url, recruiter {name, email},
    employee_domains, openings [{title, url, skills, location}], hard_to_fill_skills,
    notable_people [{name, email}], contacts [{name, email, note}]."""
    try:
        profile = TriageProfile(
            company=data["company"],
            careers_url=data["careers_url"],
            recruiter_name=data["recruiter"]["name"],
            recruiter_email=data["recruiter"]["email"],
            employee_domains=list(data.get("employee_domains", [])),
            hard_to_fill_skills=list(data.get("hard_to_fill_skills", [])),
        )
        openings = [
            Opening(
                title=o["title"],
                url=o["url"],
                skills=list(o.get("skills", [])),
                location=o.get("location", ""),
            )
            for o in data.get("openings", [])
        ]
        notable = [
            NotablePerson(name=p["name"], email=p.get("email", "").lower())
            for p in data.get("notable_people", [])
        ]
        contacts = [
            KnownContact(name=c["name"], email=c["email"].lower(), note=c.get("note", ""))
            for c in data.get("contacts", [])
        ]
    except (KeyError, TypeError) as error:
        raise ValueError(f"profile is missing a field or has a wrong type: {error}") from error
    profile.full_clean()
    profile.save()
    Opening.objects.all().delete()
    Opening.objects.bulk_create(openings)
    NotablePerson.objects.all().delete()
    NotablePerson.objects.bulk_create(notable)
    KnownContact.objects.all().delete()
    KnownContact.objects.bulk_create(contacts)
    return profile
