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
from triage.services import config, config_cache

# --- The profile -------------------------------------------------------------------------


class ProfileMissing(Exception):
    """No triage profile yet: run `manage.py import_profile FILE` or add one in the admin."""


def load_profile(*, user=None) -> rules.Profile:
    """The company as the rules see it, read from the database in four queries; on a page
    (`user`, the signed-in user), kept in memory while the configuration is unchanged
    (services.config_cache)."""
    _row, profile = config_cache.cached("profile", _read_profile, user=user)
    if profile is None:
        raise ProfileMissing(ProfileMissing.__doc__)
    return profile


def team_row(*, user=None) -> TriageProfile | None:
    """The triage profile's row (None before there is one): on a page (`user`), the one
    load_profile() keeps in memory; else read now."""
    if getattr(user, "config_version", None) is None:
        return TriageProfile.load()
    return config_cache.cached("profile", _read_profile, user=user)[0]


def _read_profile() -> tuple[TriageProfile | None, rules.Profile | None]:
    """The profile's row and the profile as the rules see it (four queries)."""
    row = TriageProfile.load()
    if row is None:
        return None, None
    return row, rules.Profile(
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
        other_names=rules.as_other_names(row.other_names),
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
    """Replace the profile, its openings, notable people and contacts with `data`, a
    profile.json: company, careers_url, recruiter {name, email}, employee_domains, openings
    [{title, url, skills, location}], hard_to_fill_skills, other_names {skill: [name, ...]},
    notable_people [{name, email}], contacts [{name, email, note}].

    The one profile importer: it is the profile section of a configuration import
    (services.config), so `manage.py import_profile`, the demo, `evaluate` and the
    configuration page check and write a profile the same way (openings with the same title
    and URL are kept, with their pages and hiring managers). ValueError lists every problem
    found, and nothing is written then."""
    problems = config.Problems()
    apply = config.import_profile_section(data, problems)
    if problems:
        raise ValueError("; ".join(problems))
    apply(None, dry_run=False)
    return TriageProfile.load()
