"""The shipped replies read correctly whatever the facts: roles or none, written before or
not, a subject with "Re:" or "AW: SV: Fwd:" already on it; a reopened thread starts from
the follow-up template."""

import pytest

from tests.factories import CandidateFactory, CandidateRequestFactory, UserFactory
from triage import replies
from triage.models import Message, Reply, ReplyTemplate
from triage.services import outbox

CONTEXT = {
    "first_name": "Ada",
    "company": "Acme Orbital",
    "careers_url": "https://acme.example/careers",
    "recruiter_signature": "Rita\nRecruiting, Acme Orbital",
    "original_subject": "Coffee chat",
    "consent_url": "https://triage.example/consent/x",
    "role_title": "Flight Software Engineer",
    "role_url": "https://acme.example/careers/fsw",
}
ROLES = "- Flight Software Engineer: https://acme.example/careers/fsw"
SHIPPED = replies.shipped_templates()

# Words that only make sense with a list of roles after them, and words that say there is none.
INTRODUCES_A_LIST = (
    "roles we have in mind:",
    "could fit, though",
    "match your background:",
    "closest to what you described:",
    "closest to your experience:",
    "closest to your background are still:",
)
SAYS_NONE = ("None of our", "None right now", "Please check the careers site below")


def test_every_shipped_template_passes_the_sandbox_check():
    assert len(SHIPPED) == 9
    for template in SHIPPED:
        assert replies.check(template.subject) == [], template.name
        assert replies.check(template.body) == [], template.name


@pytest.mark.parametrize("template", SHIPPED, ids=[t.name for t in SHIPPED])
def test_with_roles_it_lists_them_and_never_says_there_are_none(template):
    body = replies.render(template.body, CONTEXT | {"openings": ROLES})

    if "{{ openings" in template.body:
        assert ROLES in body
    assert not any(words in body for words in SAYS_NONE)
    assert "{%" not in body and "{{" not in body


@pytest.mark.parametrize("template", SHIPPED, ids=[t.name for t in SHIPPED])
def test_without_roles_it_never_announces_a_list(template):
    body = replies.render(template.body, CONTEXT | {"openings": ""})

    assert not any(words in body for words in INTRODUCES_A_LIST), body
    assert "\n\n\n" not in body
    assert replies.empty_placeholders(template.body, CONTEXT | {"openings": ""}) == []


def test_the_exceptional_invitation_reads_one_way_or_the_other():
    template = next(t for t in SHIPPED if t.name.startswith("Exceptional: invite"))

    with_roles = replies.render(template.body, CONTEXT | {"openings": ROLES})
    without = replies.render(template.body, CONTEXT | {"openings": ""})

    assert f"these are the roles we have in mind:\n\n{ROLES}" in with_roles
    assert "None of our posted roles is an exact match" not in with_roles
    assert "None of our posted roles is an exact match" in without
    assert "roles we have in mind" not in without


def test_role_opened_promises_only_when_we_wrote_before():
    template = next(t for t in SHIPPED if t.name.startswith("Network: a role opened"))

    before = replies.render(template.body, CONTEXT | {"wrote_before": "yes"})
    first_time = replies.render(template.body, CONTEXT | {"wrote_before": ""})

    assert "I promised to write" in before
    assert "promised" not in first_time
    assert "Flight Software Engineer" in first_time


@pytest.mark.parametrize(
    ("subject", "tidy"),
    [
        ("Re: re: RE: Fwd: Coffee chat", "Re: Coffee chat"),
        ("AW: SV: Hallo", "Re: Hallo"),
        ("Re[2]: Coffee", "Re: Coffee"),
        ("Fwd: FW: a CV", "Fwd: a CV"),
        ("A role that fits you: Flight Software", "A role that fits you: Flight Software"),
        ("Regarding: pay", "Regarding: pay"),
        ("Re:", "Re:"),
    ],
)
def test_subjects_never_stack_re(subject, tidy):
    assert replies.tidy_subject(subject) == tidy


@pytest.mark.django_db
def test_a_reply_to_a_re_subject_goes_out_with_one_re(profile, recruiter):
    request = CandidateRequestFactory(subject="RE: Re: Coffee chat?")
    template = ReplyTemplate.objects.get(name="Funnel: kind decline with open roles")
    draft = outbox.draft_reply(request, template, profile, recruiter)

    reply = outbox.queue_reply(
        request=request, template=template, subject=draft.subject, body=draft.body, by=recruiter
    )

    assert draft.subject == "Re: Coffee chat?"
    assert Reply.objects.get(pk=reply.pk).subject == "Re: Coffee chat?"


@pytest.mark.django_db
def test_wrote_before_is_set_only_after_a_sent_reply(profile, recruiter):
    request = CandidateRequestFactory(candidate=CandidateFactory(email="lin@mail.example"))
    assert outbox.reply_context(request, profile, recruiter)["wrote_before"] == ""

    reply = outbox.queue_reply(
        request=request, template=None, subject="Hi", body="Hi", by=recruiter
    )
    Reply.objects.filter(pk=reply.pk).update(status=Reply.Status.SENT)

    later = CandidateRequestFactory(candidate=request.candidate)
    assert later.candidate.requests.filter(status="replied").exists()
    assert outbox.reply_context(later, profile, recruiter)["wrote_before"] == "yes"


@pytest.mark.django_db
def test_a_reopened_thread_starts_from_the_follow_up_template(profile):
    request = CandidateRequestFactory(final_bucket="network", suggested_bucket="network")
    Message.objects.create(
        request=request,
        sender=request.candidate.email,
        received_at=request.received_at,
        message_id="<one@x>",
    )
    first = outbox.default_template(request.final_bucket, request=request)
    assert not first.for_follow_ups
    outbox.queue_reply(
        request=request, template=first, subject="Re: x", body="Hi", by=UserFactory()
    )
    Message.objects.create(
        request=request,
        sender=request.candidate.email,
        received_at=request.received_at,
        message_id="<two@x>",
    )

    follow_up = outbox.default_template(request.final_bucket, request=request)

    assert follow_up.for_follow_ups
    assert follow_up.name == "Follow-up: answering a new message in the conversation"
