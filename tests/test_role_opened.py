"""Openings that find their people: location in matching, the ranked fits, and the bulk
"a role opened that fits you" reply."""

import email
import email.policy
import uuid

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.factories import CandidateFactory, CandidateRequestFactory, ReplyTemplateFactory
from triage import replies
from triage.models import BulkSend, CandidateRequest, Opening, Reply, ReplyTemplate
from triage.selectors import talent as talent_reads
from triage.services import bulk, candidates, outbox, pool

pytestmark = pytest.mark.django_db

ROLE_URL = "https://careers.acme-orbital.example/jobs/12-avionics"


@pytest.fixture
def opening(profile):
    return Opening.objects.create(
        title="Avionics Engineer", url=ROLE_URL, skills=["Rust", "RTOS"], location="Denver, CO"
    )


@pytest.fixture
def role_template(db):
    """The shipped template, as the migration installs it (flushes may have removed it)."""
    replies.install_shipped_templates(ReplyTemplate)
    return ReplyTemplate.objects.get(name="Network: a role opened that fits you")


def pool_person(name, *, skills, location="", body="Hello", read=False, **fields):
    """`read`: intake's reading of their message (the skills and place it names)."""
    person = CandidateFactory(
        name=name,
        email=f"{name.split()[0].lower()}@mail.example",
        skills=skills,
        location=location,
        **fields,
    )
    request = CandidateRequestFactory(
        candidate=person,
        final_bucket="network",
        status="replied",
        subject=f"Hi from {name}",
        body=body,
    )
    if read:
        pool.read_from_requests([request])
    return person


def read_outbox(folder):
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(folder.glob("*.eml"))
    ]


# --- Ranking ----------------------------------------------------------------------------------


def test_fits_rank_by_shared_skills_then_location_with_why(opening):
    pool_person("Bo Lisbon", skills=["Rust", "RTOS"], location="Lisbon")
    pool_person("Al Denver", skills=["rust", "RTOS"], location="Denver")
    # Where they said they are was read as their message came in: "Mentions", not "Lives in".
    pool_person("Cy Wrote", skills=["Rust"], body="I'm based in Denver these days.", read=True)
    pool_person(
        "Di Boulder", skills=["Rust"], location="Boulder, CO", body="Denver was nice", read=True
    )
    pool_person("Ed Python", skills=["Python"], location="Denver")  # a place alone: no fit

    fits = talent_reads.fitting_candidates(opening)

    assert [(f.candidate.name, f.score) for f in fits] == [
        ("Al Denver", 5),
        ("Bo Lisbon", 4),
        ("Cy Wrote", 3),
        ("Di Boulder", 2),
    ]
    assert fits[0].why == ("Has Rust", "Has RTOS", "Lives in Denver, CO")
    assert fits[2].why == ("Has Rust", "Mentions Denver, CO")


def test_a_remote_role_gives_everyone_the_location_point(opening):
    opening.location = "Remote"
    opening.save()
    pool_person("Bo Lisbon", skills=["Rust"], location="Lisbon")
    pool_person("Al Anywhere", skills=["Rust", "RTOS"])

    fits = talent_reads.fitting_candidates(opening)

    assert [(f.candidate.name, f.score, f.why[-1]) for f in fits] == [
        ("Al Anywhere", 5, "Remote role"),
        ("Bo Lisbon", 3, "Remote role"),
    ]


# --- Funnel replies list roles by skills and location -------------------------------------


@pytest.mark.parametrize(
    ("location", "body", "roles"),
    [
        ("", "I know Rust and SQL.", ["Data Analyst", "Flight Software Engineer"]),
        ("", "I know Rust and SQL. I'm based in Lisbon.", ["Data Analyst"]),
        (
            "Denver",
            "I know Rust and SQL. I'm based in Lisbon.",
            ["Data Analyst", "Flight Software Engineer"],
        ),
        ("Lisbon", "I know Rust.", []),
    ],
)
def test_a_funnel_reply_lists_roles_that_match_skills_and_location(profile, location, body, roles):
    person = CandidateFactory(name="Fay Funnel", location=location)
    request = CandidateRequestFactory(candidate=person, subject="Any openings?", body=body)

    listed = outbox.reply_context(request, profile)["openings"]

    assert [line.split(" (")[0].removeprefix("- ") for line in listed.splitlines()] == roles
    if roles:
        assert "(Remote): https://careers.acme-orbital.example/jobs/9-data-analyst" in listed


def test_the_candidate_page_suggests_a_stated_location_and_saves_it(recruiter_client, profile):
    person = CandidateFactory(name="Lu Lisbon")
    CandidateRequestFactory(candidate=person, body="Hello! I'm based in Lisbon, Portugal.")
    url = reverse("triage:candidate", args=[person.pk])

    html = recruiter_client.get(url).content.decode()
    assert "use “Lisbon, Portugal”" in html

    response = recruiter_client.post(
        reverse("triage:candidate-location", args=[person.pk]), {"location": "  Lisbon,   PT "}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.location == "Lisbon, PT"
    assert candidates.suggested_location(person) == ""  # we know now: nothing to suggest


def test_a_too_long_location_is_refused_beside_the_field(recruiter_client, profile):
    person = CandidateFactory()

    response = recruiter_client.post(
        reverse("triage:candidate-location", args=[person.pk]), {"location": "x" * 201}
    )

    assert response.status_code == 400
    assert "Ensure this value has at most 200 characters" in response.content.decode()


# --- Created or reopened: who fits, and the bulk reply ------------------------------------


def test_reopening_a_role_says_how_many_in_the_pool_fit(recruiter_client, opening):
    opening.is_open = False
    opening.save()
    pool_person("Al Denver", skills=["Rust"], location="Denver")

    response = recruiter_client.post(
        reverse("triage:opening-toggle", args=[opening.pk]), {"is_open": "1"}, follow=True
    )

    html = response.content.decode()
    assert (
        "“Avionics Engineer” is open. 1 person in the talent pool fit it: tell them below." in html
    )
    assert 'id="role-opened-form"' in html and "Al Denver" in html


def test_creating_a_role_with_nobody_fitting_says_so(recruiter_client):
    response = recruiter_client.post(
        reverse("triage:opening-new"),
        {
            "title": "Chef",
            "url": "https://careers.acme-orbital.example/jobs/1",
            "skills": "Soup",
            "is_open": "on",
        },
        follow=True,
    )
    assert "Saved “Chef”. Nobody in the talent pool fits it yet." in response.content.decode()


def test_the_role_opened_reply_skips_do_not_contact_and_the_already_told(
    recruiter_client,
    recruiter,
    opening,
    role_template,
    outbox_dir,
    settings,
    django_capture_on_commit_callbacks,
):
    al = pool_person("Al Denver", skills=["Rust", "RTOS"], location="Denver")
    bo = pool_person("Bo Lisbon", skills=["Rust"], location="Lisbon")
    dee = pool_person("Dee Blocked", skills=["Rust", "RTOS"], do_not_contact=True)
    url = reverse("triage:opening-role-opened", args=[opening.pk])
    chosen = {"ids": [al.pk, bo.pk, dee.pk], "template": role_template.pk}

    page = recruiter_client.get(reverse("triage:opening", args=[opening.pk])).content.decode()
    assert (
        f'name="ids" value="{al.pk}" id="fit-{al.pk}" aria-label="Tell Al Denver" checked' in page
    )
    assert (
        f'name="ids" value="{dee.pk}" id="fit-{dee.pk}" aria-label="Tell Dee Blocked" disabled'
        in page
    )

    confirm = recruiter_client.get(url, chosen)
    plan = confirm.context["plan"]
    assert [item.request.candidate.name for item in plan.ready] == ["Al Denver", "Bo Lisbon"]
    assert [(r.candidate.name, why) for r, why in plan.skipped] == [
        ("Dee Blocked", "Do not contact.")
    ]
    html = confirm.content.decode()
    assert "Tell 2 people that “Avionics Engineer” opened" in html
    assert "A role that fits you: Avionics Engineer" in html and ROLE_URL in html
    assert "Dee Blocked" in html and "Do not contact." in html
    assert not Reply.objects.exists()  # the confirm page sends nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = recruiter_client.post(url, chosen)

    sent = BulkSend.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("triage:bulk-progress", args=[sent.pk])
    replies_sent = Reply.objects.order_by("to_email")
    assert [(r.to_email, r.kind, r.opening, r.status) for r in replies_sent] == [
        ("al@mail.example", "role_opened", opening, "sent"),
        ("bo@mail.example", "role_opened", opening, "sent"),
    ]
    mails = read_outbox(outbox_dir)
    assert sorted(str(m["To"]) for m in mails) == [
        "Al Denver <al@mail.example>",
        "Bo Lisbon <bo@mail.example>",
    ]
    body = mails[0].get_content()
    assert "One just has: Avionics Engineer." in body and ROLE_URL in body
    # An outreach is not an answer: the requests keep their status, the constraint allows it.
    assert set(CandidateRequest.objects.values_list("status", flat=True)) == {"replied"}

    # Clicking again tells nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_client.post(url, chosen)
    assert Reply.objects.count() == 2
    again = BulkSend.objects.latest("created_at")
    assert sorted(item["reason"] for item in again.skipped) == [
        "Already told about this role.",
        "Already told about this role.",
        "Do not contact.",
    ]


def test_the_role_opened_reply_needs_someone_ticked(recruiter_client, opening, role_template):
    response = recruiter_client.get(
        reverse("triage:opening-role-opened", args=[opening.pk]),
        {"template": role_template.pk},
        follow=True,
    )
    assert "Tick at least one person." in response.content.decode()


def test_the_shipped_role_opened_template_is_the_default_choice(opening, role_template):
    ReplyTemplateFactory(name="Unrelated", bucket="network")
    assert bulk.role_opened_template() == role_template


def test_the_inbox_bulk_reply_skips_do_not_contact_instead_of_failing(
    recruiter_client, profile, django_capture_on_commit_callbacks
):
    ok = CandidateRequestFactory(candidate=CandidateFactory(name="Ok Person"), subject="Hi")
    blocked = CandidateRequestFactory(
        candidate=CandidateFactory(name="No Mail", do_not_contact=True), subject="Hi"
    )
    template = ReplyTemplateFactory()
    chosen = {"ids": [ok.pk, blocked.pk], "template": template.pk}

    plan = recruiter_client.get(reverse("triage:bulk"), chosen).context["plan"]
    assert [(r.pk, why) for r, why in plan.skipped] == [(blocked.pk, "Do not contact.")]

    with django_capture_on_commit_callbacks(execute=True):
        recruiter_client.post(reverse("triage:bulk"), chosen)
    assert list(Reply.objects.values_list("request_id", flat=True)) == [ok.pk]


# --- Once per person, promised by the database -----------------------------------------------


def role_reply(request, opening, **fields):
    """A "role opened" row written straight to the table, as a script or a race would."""
    return Reply(
        request=request,
        candidate=request.candidate,
        kind=Reply.Kind.ROLE_OPENED,
        opening=opening,
        to_email=request.candidate.email,
        subject="A role that fits you",
        body="It opened.",
        message_id=f"<direct-{uuid.uuid4().hex}@triage.localhost>",
        **fields,
    )


def test_the_database_refuses_a_second_announcement_to_a_person_through_another_request(opening):
    al = pool_person("Al Denver", skills=["Rust"])
    older = al.requests.get()
    newer = CandidateRequestFactory(candidate=al, final_bucket="network", subject="Again")
    Reply.objects.bulk_create([role_reply(older, opening)])

    with pytest.raises(IntegrityError), transaction.atomic():
        Reply.objects.bulk_create([role_reply(newer, opening)])
    # A failed send is not an announcement: the role may be offered again, to the same person.
    Reply.objects.filter(request=older).update(status=Reply.Status.FAILED)
    Reply.objects.bulk_create([role_reply(newer, opening)])

    assert list(Reply.objects.order_by("pk").values_list("request", "status")) == [
        (older.pk, "failed"),
        (newer.pk, "queued"),
    ]


def test_another_person_and_another_role_are_not_refused(opening):
    al = pool_person("Al Denver", skills=["Rust"])
    bo = pool_person("Bo Lisbon", skills=["Rust"])
    other_role = Opening.objects.create(title="Data Analyst II", url=ROLE_URL + "-2")

    Reply.objects.bulk_create(
        [
            role_reply(al.requests.get(), opening),
            role_reply(bo.requests.get(), opening),
            role_reply(al.requests.get(), other_role),
        ]
    )

    assert Reply.objects.filter(kind="role_opened").count() == 3


def test_a_reply_saved_without_its_candidate_takes_the_requests(opening):
    al = pool_person("Al Denver", skills=["Rust"])

    reply = Reply.objects.create(
        request=al.requests.get(), to_email=al.email, subject="Re: Hi", body="Thanks"
    )

    assert Reply.objects.get(pk=reply.pk).candidate == al


def test_the_service_announces_each_person_once_whichever_request_it_picks(
    opening, role_template, recruiter
):
    al = pool_person("Al Denver", skills=["Rust", "RTOS"])
    first = bulk.start_role_opened(opening, [al.pk], template=role_template, by=recruiter)
    # A newer request of theirs arrives: the next click would answer that one instead.
    newer = CandidateRequestFactory(candidate=al, final_bucket="network", subject="Me again")

    again = bulk.start_role_opened(opening, [al.pk], template=role_template, by=recruiter)

    assert first.replies.count() == 1 and again.replies.count() == 0
    assert [item["reason"] for item in again.skipped] == ["Already told about this role."]
    # And if two clicks race past the plan's check, the insert itself is refused.
    with pytest.raises(outbox.AlreadyAnswered):
        outbox.queue_reply(
            request=newer,
            template=role_template,
            subject="A role that fits you",
            body="It opened.",
            by=recruiter,
            opening=opening,
        )
    assert Reply.objects.filter(candidate=al, opening=opening).count() == 1


def test_an_opening_marks_who_was_told_and_when_and_leaves_them_unticked(
    recruiter_client, recruiter, opening, role_template, django_capture_on_commit_callbacks
):
    al = pool_person("Al Denver", skills=["Rust", "RTOS"], location="Denver")
    pool_person("Bo Lisbon", skills=["Rust"], location="Lisbon")
    with django_capture_on_commit_callbacks(execute=True):
        bulk.start_role_opened(opening, [al.pk], template=role_template, by=recruiter)

    response = recruiter_client.get(reverse("triage:opening", args=[opening.pk]))

    fits = {fit.candidate.name: fit for fit in response.context["fits"]}
    today = Reply.objects.get().sent_at.date()
    assert fits["Al Denver"].told_on == today and fits["Bo Lisbon"].told_on is None
    html = response.content.decode()
    assert f"Told {today:%-d %b %Y}" in html
    assert 'aria-label="Tell Al Denver" >' in html  # not ticked again
    assert 'aria-label="Tell Bo Lisbon" checked' in html
