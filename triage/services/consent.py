"""Consent to stay in the talent pool: the signed link in the keep-in-touch reply, and
what the candidate's answer records.

The link carries only the candidate's id, signed (django.core.signing, with a salt of its
own) and timestamped: it cannot be forged or pointed at someone else, and it stops
working after CONSENT_WAIT_DAYS, when the retention sweep would erase a person who has
not answered anyway."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from triage.models import Candidate
from triage.services import candidates

SALT = "triage.consent"


class LinkInvalid(Exception):
    """This link is not one of ours, or it was changed, or the person is no longer on file."""


class LinkExpired(Exception):
    """This link is too old to use."""


def consent_token(candidate_id: int) -> str:
    return signing.dumps(candidate_id, salt=SALT)


def consent_url(candidate_id: int) -> str:
    path = reverse("triage:consent", args=[consent_token(candidate_id)])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def candidate_for(token: str) -> Candidate:
    """The candidate a link was made for; LinkExpired or LinkInvalid otherwise."""
    max_age = timedelta(days=settings.CONSENT_WAIT_DAYS)
    try:
        candidate_id = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkExpired(LinkExpired.__doc__) from error
    except signing.BadSignature as error:
        raise LinkInvalid(LinkInvalid.__doc__) from error
    candidate = Candidate.objects.filter(pk=candidate_id).first() if candidate_id else None
    if candidate is None:
        raise LinkInvalid(LinkInvalid.__doc__)
    return candidate


def expiry(now: datetime) -> datetime:
    """When consent given at `now` lapses."""
    return now + timedelta(days=settings.CONSENT_VALID_DAYS)


# --- One current answer ------------------------------------------------------------------
#
# A person is in exactly one of these states, read from the row (a database constraint
# keeps consent and do-not-contact from standing together):
#
#   NO_ANSWER --yes--> GIVEN --(CONSENT_VALID_DAYS)--> LAPSED --yes--> GIVEN
#       |                |  \--yes (renewed)--> GIVEN       |
#       no               no                                 no
#       v                v                                  v
#   DECLINED (do-not-contact) <-- a recruiter's do-not-contact, or "stop emailing me",
#                                 from any state
#   DECLINED --yes--> GIVEN  when the person declined themselves (the link, or their own
#                            words): their latest answer wins, do-not-contact is lifted;
#                            refused (ConsentBlocked) when a recruiter set do-not-contact.
#   DECLINED --a recruiter clears do-not-contact--> NO_ANSWER


class State(StrEnum):
    NO_ANSWER = "no answer"
    GIVEN = "given"
    LAPSED = "lapsed"
    DECLINED = "declined"


def state(candidate: Candidate, now: datetime | None = None) -> State:
    if candidate.do_not_contact:
        return State.DECLINED
    if candidate.consent_given_at is None:
        return State.NO_ANSWER
    if candidate.consent_expires_at and candidate.consent_expires_at <= (now or timezone.now()):
        return State.LAPSED
    return State.GIVEN


class ConsentBlocked(Exception):
    """A recruiter set do-not-contact for this person: a "yes" does not lift it. A recruiter
    clears do-not-contact on the candidate page first if that is right."""


@transaction.atomic
def record_consent(*, candidate: Candidate, by=None, now: datetime | None = None) -> Candidate:
    """ "Yes, keep me in touch": consent from now for CONSENT_VALID_DAYS. `by` is the recruiter
    who recorded an answer given by email; None when the candidate clicked the link.

    After the person's own "no" (the link, or their words asking to be left alone) this
    "yes" is their current answer: do-not-contact is lifted. After a recruiter's
    do-not-contact, ConsentBlocked, and nothing changes."""
    # Locked, and read again: a "no" clicked a moment ago is the answer this one replaces.
    list(Candidate.objects.select_for_update().filter(pk=candidate.pk).values_list("pk"))
    candidate.refresh_from_db(
        fields=["do_not_contact", "do_not_contact_set_by", "do_not_contact_set_at"]
    )
    if candidate.do_not_contact:
        if candidate.do_not_contact_set_by_id is not None:
            raise ConsentBlocked(ConsentBlocked.__doc__)
        candidates.set_do_not_contact(candidate=candidate, value=False, by=by)
    now = now or timezone.now()
    candidate.consent_given_at = now
    candidate.consent_expires_at = expiry(now)
    candidate.consent_recorded_by = by
    candidate.save(update_fields=["consent_given_at", "consent_expires_at", "consent_recorded_by"])
    return candidate


@transaction.atomic
def decline(*, candidate: Candidate) -> Candidate:
    """ "No thanks, please don't contact me": no more email, and no consent to keep them
    (set_do_not_contact withdraws it)."""
    return candidates.set_do_not_contact(
        candidate=candidate,
        value=True,
        by=None,
        reason="Asked not to be contacted, through the link in our email.",
    )
