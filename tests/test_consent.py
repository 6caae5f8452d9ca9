"""Consent to stay in the talent pool: the signed link, the public page, and the retention
sweep that erases people whose consent lapsed or never came."""

import importlib
import time
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import CandidateFactory, CandidateRequestFactory
from tests.test_privacy import rows_mentioning
from triage import replies
from triage.models import Candidate, ErasureRecord, Reply, ReplyTemplate
from triage.services import candidates, consent, outbox

pytestmark = pytest.mark.django_db

DAY = 24 * 60 * 60


class SignedDaysAgo(signing.TimestampSigner):
    """Signs as `signing.dumps` does, with the clock of `days` ago: a link sent back then."""

    def __init__(self, days, **kwargs):
        self.days = days
        super().__init__(**kwargs)

    def timestamp(self):
        return signing.b62_encode(int(time.time()) - int(self.days * DAY))


def link_from(days_ago, candidate_id):
    token = SignedDaysAgo(days_ago, salt=consent.SALT).sign_object(candidate_id)
    return reverse("triage:consent", args=[token])


@pytest.fixture
def ada(db):
    person = CandidateFactory(name="Ada Lovelace", email="ada@mail.example")
    CandidateRequestFactory(candidate=person, final_bucket="network", status="replied")
    return person


def test_the_keep_in_touch_reply_carries_a_signed_link_to_the_consent_page(
    client, profile, ada, settings
):
    settings.SITE_URL = "https://triage.example"
    shipped = next(t for t in replies.shipped_templates() if "keep in touch" in t.name)
    assert "{{ consent_url }}" in shipped.body and not replies.check(shipped.body)

    draft = outbox.draft_text(ada.requests.get(), shipped.subject, shipped.body, profile)

    [link] = [line for line in draft.body.splitlines() if "/consent/" in line]
    assert link.startswith("https://triage.example/consent/")
    page = client.get(link.removeprefix("https://triage.example"))
    html = page.content.decode()
    assert page.status_code == 200  # public: the candidate has no login
    assert "Stay in touch with Acme Orbital?" in html and "Hi Ada" in html
    assert "Yes, keep me in touch" in html and "No thanks, please don't contact me" in html
    ada.refresh_from_db()
    assert ada.consent_given_at is None  # opening the link is not an answer


def test_yes_records_consent_for_the_configured_time_and_thanks_them(
    client, recruiter_client, ada, settings
):
    settings.CONSENT_VALID_DAYS = 365
    before = timezone.now()

    response = client.post(link_from(29, ada.pk), {"answer": "yes"})

    ada.refresh_from_db()
    assert response.status_code == 200
    assert before <= ada.consent_given_at <= timezone.now()
    assert ada.consent_expires_at - ada.consent_given_at == timedelta(days=365)
    assert f"until {ada.consent_expires_at:%-d %B %Y}" in response.content.decode()
    assert "Thank you, Ada!" in response.content.decode()
    timeline = recruiter_client.get(reverse("triage:candidate", args=[ada.pk]))
    [entry] = [e for e in timeline.context["timeline"] if e.kind == "consent"]
    assert (
        entry.title == f"Agreed to stay in the talent pool until {ada.consent_expires_at:%-d %b %Y}"
    )
    assert entry.text == "Through the link in our email."


def test_no_thanks_sets_do_not_contact_with_the_reason(client, recruiter_client, ada):
    response = client.post(link_from(1, ada.pk), {"answer": "no"})

    ada.refresh_from_db()
    assert "We won't contact you again" in response.content.decode()
    assert ada.do_not_contact and ada.do_not_contact_set_by is None
    assert ada.do_not_contact_reason == "Asked not to be contacted, through the link in our email."
    with pytest.raises(candidates.DoNotContact):
        candidates.ensure_contactable(ada.pk)
    html = recruiter_client.get(reverse("triage:candidate", args=[ada.pk])).content.decode()
    assert "set at their request" in html and "through the link in our email" in html


def test_an_answer_must_be_one_of_the_two_buttons(client, ada):
    response = client.post(link_from(1, ada.pk), {"answer": "maybe"})

    assert response.status_code == 400
    assert "Choose one of the two buttons." in response.content.decode()
    ada.refresh_from_db()
    assert ada.consent_given_at is None and not ada.do_not_contact


def test_an_expired_link_changes_nothing_and_says_so(client, ada, settings):
    settings.CONSENT_WAIT_DAYS = 30

    response = client.post(link_from(31, ada.pk), {"answer": "yes"})

    assert response.status_code == 410
    assert "This link is too old to use." in response.content.decode()
    ada.refresh_from_db()
    assert ada.consent_given_at is None


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # a changed signature
        lambda token: signing.dumps(1, salt="another.purpose"),  # signed for something else
        lambda token: "not-a-token",
    ],
)
def test_a_tampered_link_changes_nothing(client, ada, mangle):
    token = mangle(consent.consent_token(ada.pk))

    response = client.post(reverse("triage:consent", args=[token]), {"answer": "yes"})

    assert response.status_code == 404
    assert "This link is not one of ours" in response.content.decode()
    ada.refresh_from_db()
    assert ada.consent_given_at is None


def test_a_link_for_someone_erased_is_invalid(client, ada):
    url = reverse("triage:consent", args=[consent.consent_token(ada.pk)])
    ada.delete()

    assert client.get(url).status_code == 404


def test_a_recruiter_records_consent_given_by_email(recruiter_client, recruiter, ada):
    response = recruiter_client.post(reverse("triage:candidate-consent", args=[ada.pk]))

    ada.refresh_from_db()
    assert response.status_code == 302
    assert ada.consent_recorded_by == recruiter and ada.consent_expires_at > timezone.now()


# --- The shipped template's migration --------------------------------------------------------

migration = importlib.import_module("triage.migrations.0013_talent")


def test_the_migration_adds_the_link_only_to_an_unedited_keep_in_touch_template(db):
    ReplyTemplate.objects.filter(name=migration.OLD_KEEP_IN_TOUCH_NAME).update(
        body=migration.OLD_KEEP_IN_TOUCH_BODY
    )

    migration.add_consent_link(apps, None)

    row = ReplyTemplate.objects.get(name=migration.OLD_KEEP_IN_TOUCH_NAME)
    assert "{{ consent_url }}" in row.body

    row.body = migration.OLD_KEEP_IN_TOUCH_BODY + "\nP.S. my own words"
    row.save()
    migration.add_consent_link(apps, None)
    row.refresh_from_db()
    assert row.body.endswith("P.S. my own words") and "{{ consent_url }}" not in row.body


# --- Retention --------------------------------------------------------------------------------


def pool_person(email, *, asked_days_ago=None, consent_expires_in=None, **request_fields):
    """A network-later person; `asked_days_ago`: when our keep-in-touch reply was sent."""
    now = timezone.now()
    person = CandidateFactory(email=email, name=email.split("@")[0].title())
    if consent_expires_in is not None:
        person.consent_given_at = now - timedelta(days=300)
        person.consent_expires_at = now + timedelta(days=consent_expires_in)
        person.save()
    fields = {"final_bucket": "network", "status": "replied", "subject": f"Hello from {email}"}
    request = CandidateRequestFactory(candidate=person, **(fields | request_fields))
    if asked_days_ago is not None:
        Reply.objects.create(
            request=request,
            to_email=email,
            subject="Keep in touch",
            body="Our keep-in-touch reply",
            status=Reply.Status.SENT,
            sent_at=now - timedelta(days=asked_days_ago),
            message_id=f"<{email}>",
        )
    return person


def test_retention_erases_lapsed_and_never_given_consent_and_keeps_the_rest(db, settings, capsys):
    settings.CONSENT_WAIT_DAYS = 30
    pool_person("lapsed@mail.example", asked_days_ago=400, consent_expires_in=-1)
    pool_person("valid@mail.example", asked_days_ago=400, consent_expires_in=1)
    pool_person("silent@mail.example", asked_days_ago=31)
    pool_person("waiting@mail.example", asked_days_ago=29)
    pool_person("never-asked@mail.example")
    pool_person("wrote-again@mail.example", asked_days_ago=90, status="new")
    hired = pool_person("in-talks@mail.example", asked_days_ago=90)
    CandidateRequestFactory(candidate=hired, final_bucket="exceptional", status="replied")

    call_command("purge_expired")

    assert set(Candidate.objects.values_list("email", flat=True)) == {
        "valid@mail.example",
        "waiting@mail.example",
        "never-asked@mail.example",
        "wrote-again@mail.example",
        "in-talks@mail.example",
    }
    assert rows_mentioning("lapsed@mail.example", "silent@mail.example", "Lapsed", "Silent") == []
    record = ErasureRecord.objects.get(reason="consent")
    assert (record.candidates, record.requests, record.replies) == (2, 2, 2)
    assert record.requests_by_bucket["network"] == 2
    assert "Erased 2 people from the talent pool" in capsys.readouterr().out


def test_the_daily_task_also_erases_people_without_consent(db, settings):
    from triage.tasks import purge_expired

    settings.CONSENT_WAIT_DAYS = 10
    pool_person("silent@mail.example", asked_days_ago=11)
    pool_person("waiting@mail.example", asked_days_ago=9)

    purge_expired.enqueue()

    assert list(Candidate.objects.values_list("email", flat=True)) == ["waiting@mail.example"]


# --- One current answer: the transitions ------------------------------------------------


def answer(client, candidate, word):
    response = client.post(link_from(1, candidate.pk), {"answer": word})
    candidate.refresh_from_db()
    return response.content.decode()


def test_yes_after_no_is_the_answer_and_lifts_their_do_not_contact(client, ada):
    answer(client, ada, "no")
    assert consent.state(ada) == consent.State.DECLINED

    page = answer(client, ada, "yes")

    assert consent.state(ada) == consent.State.GIVEN
    assert not ada.do_not_contact and ada.do_not_contact_reason == ""
    assert ada.consent_given_at is not None
    assert "get in touch when a role opens" in page
    candidates.ensure_contactable(ada.pk)  # no DoNotContact: we may write again


def test_no_after_yes_withdraws_the_consent(client, ada):
    answer(client, ada, "yes")

    page = answer(client, ada, "no")

    assert consent.state(ada) == consent.State.DECLINED
    assert ada.consent_given_at is None and ada.consent_expires_at is None
    assert "We won't contact you again" in page


def test_yes_after_a_recruiter_s_do_not_contact_changes_nothing_and_says_so(client, recruiter, ada):
    candidates.set_do_not_contact(candidate=ada, value=True, by=recruiter, reason="Abusive")

    page = answer(client, ada, "yes")

    assert consent.state(ada) == consent.State.DECLINED
    assert ada.do_not_contact_reason == "Abusive" and ada.consent_given_at is None
    assert "We have a note not to contact you" in page
    assert "get in touch when a role opens" not in page


def test_a_recruiter_s_do_not_contact_withdraws_consent(recruiter, ada):
    consent.record_consent(candidate=ada)

    candidates.set_do_not_contact(candidate=ada, value=True, by=recruiter, reason="Asked by phone")

    ada.refresh_from_db()
    assert consent.state(ada) == consent.State.DECLINED and ada.consent_given_at is None


def test_their_own_words_asking_to_be_left_alone_withdraw_consent(ada):
    consent.record_consent(candidate=ada)

    assert candidates.honour_opt_out(
        candidate=ada, subject="Re: hi", text="Please stop emailing me."
    )

    ada.refresh_from_db()
    assert consent.state(ada) == consent.State.DECLINED and ada.consent_given_at is None


def test_clearing_do_not_contact_leaves_no_answer(recruiter, ada):
    consent.decline(candidate=ada)

    candidates.set_do_not_contact(candidate=ada, value=False, by=recruiter)

    ada.refresh_from_db()
    assert consent.state(ada) == consent.State.NO_ANSWER


def test_lapsed_consent_given_again_is_current(ada, settings):
    settings.CONSENT_VALID_DAYS = 10
    consent.record_consent(candidate=ada, now=timezone.now() - timedelta(days=11))
    assert consent.state(ada) == consent.State.LAPSED

    consent.record_consent(candidate=ada)

    assert consent.state(ada) == consent.State.GIVEN


def test_a_recruiter_cannot_record_consent_over_their_own_do_not_contact(
    recruiter_client, recruiter, ada
):
    candidates.set_do_not_contact(candidate=ada, value=True, by=recruiter, reason="Abusive")

    response = recruiter_client.post(
        reverse("triage:candidate-consent", args=[ada.pk]), follow=True
    )

    assert "Do-not-contact is set for this person: clear it first" in response.content.decode()
    ada.refresh_from_db()
    assert ada.do_not_contact and ada.consent_given_at is None


def test_a_recruiter_records_a_yes_by_email_after_the_person_s_own_no(recruiter_client, ada):
    consent.decline(candidate=ada)

    recruiter_client.post(reverse("triage:candidate-consent", args=[ada.pk]))

    ada.refresh_from_db()
    assert consent.state(ada) == consent.State.GIVEN and not ada.do_not_contact


def test_the_database_refuses_consent_and_do_not_contact_together(ada):
    from django.db import IntegrityError, transaction

    consent.record_consent(candidate=ada)

    with pytest.raises(IntegrityError), transaction.atomic():
        Candidate.objects.filter(pk=ada.pk).update(do_not_contact=True)
