"""Exceptional candidates routed to hiring managers, and what a hiring manager may see."""

import email
import email.policy
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.factories import (
    CandidateFactory,
    CandidateRequestFactory,
    ReplyTemplateFactory,
    UserFactory,
    hiring_manager,
)
from triage.models import (
    AtsExport,
    Attachment,
    BulkSend,
    HiringOutcome,
    Message,
    Opening,
    QuarantinedMessage,
    Reply,
    SavedView,
    TriageRule,
    WebhookEndpoint,
)
from triage.services import assignment, consent

pytestmark = pytest.mark.django_db

REASONS = [{"text": "A distinguished record in a hard-to-fill skill", "evidence": ["IOI gold"]}]


@pytest.fixture
def hank(db):
    return hiring_manager("hank", first_name="Hank", last_name="Hiring", email="hank@acme.example")


@pytest.fixture
def ada_request(profile):
    ada = CandidateFactory(name="Ada Lovelace", email="ada@mail.example")
    return CandidateRequestFactory(
        candidate=ada,
        subject="Flight software in Rust",
        body="I won IOI gold and write Rust for satellites.",
        suggested_bucket="exceptional",
        reasons=REASONS,
    )


@pytest.fixture
def hank_client(client, hank):
    client.force_login(hank)
    return client


def read_outbox(folder):
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(folder.glob("*.eml"))
    ]


def assign(request, to, by):
    return assignment.assign_request(request=request, to=to, by=by)


def test_the_request_page_suggests_the_hiring_manager_of_the_best_matching_role(
    recruiter_client, ada_request, hank
):
    Opening.objects.filter(title="Flight Software Engineer").update(hiring_manager=hank)

    response = recruiter_client.get(reverse("triage:request", args=[ada_request.pk]))

    assert response.context["suggested_assignee"] == hank
    html = response.content.decode()
    assert "Suggested: Hank Hiring, hiring manager of a role this request matches." in html
    assert f'<option value="{hank.pk}" selected>Hank Hiring</option>' in html


def test_no_suggestion_when_no_matching_role_has_a_hiring_manager(
    recruiter_client, ada_request, hank
):
    response = recruiter_client.get(reverse("triage:request", args=[ada_request.pk]))

    assert response.context["suggested_assignee"] is None
    assert f'<option value="{hank.pk}">Hank Hiring</option>' in response.content.decode()


def test_assigning_emails_the_hiring_manager_with_why_and_a_link(
    recruiter_client,
    recruiter,
    ada_request,
    hank,
    outbox_dir,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.SITE_URL = "https://triage.example"
    url = reverse("triage:assign", args=[ada_request.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = recruiter_client.post(url, {"assignee": hank.pk}, follow=True)

    assert "Assigned to Hank Hiring, who is emailed about it." in response.content.decode()
    ada_request.refresh_from_db()
    assert ada_request.assigned_to == hank and ada_request.assigned_by == recruiter
    assert ada_request.assigned_at is not None
    [sent] = read_outbox(outbox_dir)
    assert sent["To"] == "hank@acme.example"
    assert sent["Subject"] == "Rita Recruiter asked you to talk with Ada Lovelace"
    body = sent.get_content()
    assert body.startswith("Hi Hank,")
    assert "Rita Recruiter assigned you a request from Ada Lovelace (Exceptional skill): " in body
    assert '"Flight software in Rust"' in body
    assert "- A distinguished record in a hard-to-fill skill" in body
    assert f"https://triage.example/requests/{ada_request.pk}/" in body
    assert "https://triage.example/assigned/" in body

    # Assigning again to the same person sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_client.post(url, {"assignee": hank.pk})
    assert len(read_outbox(outbox_dir)) == 1


def test_it_refuses_to_assign_to_someone_without_the_role(
    recruiter_client, ada_request, outbox_dir
):
    other = UserFactory(username="rob")  # a recruiter, not a hiring manager

    response = recruiter_client.post(
        reverse("triage:assign", args=[ada_request.pk]), {"assignee": other.pk}, follow=True
    )

    assert "Choose a hiring manager from the list." in response.content.decode()
    ada_request.refresh_from_db()
    assert ada_request.assigned_to is None
    assert read_outbox(outbox_dir) == []
    with pytest.raises(assignment.NotAHiringManager):
        assign(ada_request, other, other)


def test_unassigning_before_the_worker_runs_sends_no_email(
    recruiter, ada_request, hank, outbox_dir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assign(ada_request, hank, recruiter)
    assignment.unassign_request(request=ada_request)
    for callback in callbacks:
        callback()

    assert read_outbox(outbox_dir) == []


def test_the_hiring_manager_records_an_outcome_that_shows_on_the_timeline(
    hank_client, client, recruiter, ada_request, hank
):
    assign(ada_request, hank, recruiter)
    url = reverse("triage:outcome", args=[ada_request.pk])

    response = hank_client.post(url, {"kind": "hiring", "note": "Great call; onsite next."})

    assert response.status_code == 302
    outcome = HiringOutcome.objects.get(request=ada_request)
    assert (outcome.kind, outcome.note, outcome.recorded_by) == (
        "hiring",
        "Great call; onsite next.",
        hank,
    )
    client.force_login(recruiter)
    timeline = client.get(reverse("triage:candidate", args=[ada_request.candidate.pk]))
    kinds = [(entry.kind, entry.title) for entry in timeline.context["timeline"].entries]
    assert kinds[0] == ("outcome", "Outcome: Moved into the hiring process")
    assert ("assigned", "Assigned to Hank Hiring, hiring manager") in kinds
    html = timeline.content.decode()
    assert "Great call; onsite next." in html and "by Hank Hiring" in html


def test_an_outcome_needs_a_known_kind(hank_client, recruiter, ada_request, hank):
    assign(ada_request, hank, recruiter)

    response = hank_client.post(
        reverse("triage:outcome", args=[ada_request.pk]), {"kind": "hired!", "note": "x"}
    )

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert not HiringOutcome.objects.exists()


def test_assigned_to_me_lists_only_my_requests_with_the_latest_outcome(
    hank_client, recruiter, ada_request, hank
):
    other_manager = hiring_manager("hilda")
    mine = ada_request
    theirs = CandidateRequestFactory(subject="Not for Hank")
    assign(mine, hank, recruiter)
    assign(theirs, other_manager, recruiter)
    assignment.record_outcome(request=mine, kind="talked", note="", by=hank)

    response = hank_client.get(reverse("triage:assigned"))

    assert list(response.context["rows"]) == [mine]
    html = response.content.decode()
    assert "Flight software in Rust" in html and "Talked with them" in html
    assert "Not for Hank" not in html


def test_a_hiring_manager_reaches_only_what_is_assigned_to_them(
    hank_client, recruiter, ada_request, hank
):
    assign(ada_request, hank, recruiter)
    other = CandidateRequestFactory(subject="Someone else's request")
    ReplyTemplateFactory()
    candidate = ada_request.candidate

    # Their own request: readable, with the outcome form, without recruiters' tools.
    own = hank_client.get(reverse("triage:request", args=[ada_request.pk]))
    html = own.content.decode()
    assert own.status_code == 200 and "write Rust for satellites" in html
    assert 'id="outcome-form"' in html
    assert 'id="reply-form"' not in html and 'id="assign-form"' not in html
    assert 'id="candidate-link"' not in html and "Move to" not in html
    assert reverse("triage:pool") not in html  # the navigation shows only their list

    # Someone else's request does not exist for them.
    assert hank_client.get(reverse("triage:request", args=[other.pk])).status_code == 404
    outcome = reverse("triage:outcome", args=[other.pk])
    assert hank_client.post(outcome, {"kind": "passed"}).status_code == 404

    # The inbox sends them to their own list.
    inbox = hank_client.get(reverse("triage:inbox"))
    assert inbox.status_code == 302 and inbox.url == reverse("triage:assigned")

    # Everything else is refused (every page: see the walk below), and nothing was done.
    for url, data in [
        (reverse("triage:reply", args=[ada_request.pk]), {"subject": "Hi", "body": "Hi"}),
        (reverse("triage:candidate-erase", args=[candidate.pk]), {"confirm": "erase"}),
    ]:
        assert hank_client.post(url, data).status_code == 403, url
    assert not ada_request.replies.exists()
    candidate.refresh_from_db()  # not erased


# The pages a hiring manager may open (each view marked @access.open_to_assignees), and the
# public ones. Every other page in the app is closed to them without anyone listing it.
# My settings: their own sender settings and API tokens (which see only their requests).
OPEN_TO_HIRING_MANAGERS = {
    "request",
    "presence",
    "outcome",
    "assigned",
    "settings",
    "token-new",
    "token-revoke",
    # Their own notifications only (none are made for them today; the bell is on every page).
    "notifications",
    "notification-badge",
    "notification-read",
    "notifications-read-all",
}
PUBLIC = {"consent"}


def triage_patterns(patterns=None, prefix=""):
    """(name, route, callback) of every URL pattern in the triage namespace."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in (None, "triage"):
                yield from triage_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif prefix or patterns is not None:
            yield pattern.name, prefix + str(pattern.pattern), pattern.callback


def real_kwargs(route: str, objects: dict) -> dict:
    """Fill a route's arguments with ids of rows of the kind its first part names."""
    kinds = {
        "requests": "request",
        "attachments": "attachment",
        "openings": "opening",
        "candidates": "candidate",
        "pool": "candidate",
        "templates": "template",
        "bulk": "bulk",
        "rules": "rule",
        "quarantine": "quarantined",
        "integrations": "webhook",
        "ats": "ats_export",
        "views": "saved_view",
    }
    kwargs = {}
    for name in re.findall(r"<(?:\w+:)?(\w+)>", route):
        if name == "pk":
            kwargs[name] = objects[kinds[route.split("/")[0]]].pk
        elif name == "reply_pk":
            kwargs[name] = objects["reply"].pk
        elif name == "direction":
            kwargs[name] = "up"
        elif name == "chart":
            kwargs[name] = "buckets"
        elif name == "token":
            kwargs[name] = consent.consent_token(objects["candidate"].pk)
    return kwargs


def test_every_page_is_closed_to_hiring_managers_unless_marked_open(
    hank_client, hank, recruiter, ada_request
):
    """Walks every URL pattern of the app, so a new page is covered without being listed."""
    other = CandidateRequestFactory(subject="Not theirs")
    objects = {
        "request": other,
        "candidate": other.candidate,
        "attachment": Attachment.objects.create(
            message=Message.objects.create(
                request=other, sender="a@mail.example", received_at=timezone.now(), message_id="<m>"
            ),
            filename="cv.pdf",
            content_type="application/pdf",
            size=1,
            refused_reason="too big",
        ),
        "reply": Reply.objects.create(
            request=other,
            to_email="a@mail.example",
            subject="Hi",
            body="Hi",
            message_id="<r>",
            status=Reply.Status.FAILED,
        ),
        "opening": Opening.objects.first(),
        "template": ReplyTemplateFactory(),
        "bulk": BulkSend.objects.create(created_by=recruiter),
        "rule": TriageRule.objects.first(),
        "quarantined": QuarantinedMessage.objects.create(raw=b"x", raw_sha256="0" * 64, error="e"),
        "webhook": WebhookEndpoint.objects.create(
            name="Bus", url="https://hooks.example/", events=["reply.sent"], secret="s"
        ),
        "ats_export": AtsExport.objects.create(
            candidate=other.candidate, provider="greenhouse", status="failed", error="e"
        ),
        "saved_view": SavedView.objects.create(owner=recruiter, name="Mine", shared=True),
    }
    walked = list(triage_patterns())
    assert len(walked) > 40  # the walk found the app's pages

    marked = {name for name, _, view in walked if getattr(view, "open_to_assignees", False)}
    public = {name for name, _, view in walked if not getattr(view, "login_required", True)}
    assert (marked, public) == (OPEN_TO_HIRING_MANAGERS, PUBLIC)
    for name, route, _ in walked:
        if name in OPEN_TO_HIRING_MANAGERS | PUBLIC:
            continue
        url = reverse(f"triage:{name}", kwargs=real_kwargs(route, objects))
        for method in (hank_client.get, hank_client.post):
            response = method(url)
            if name == "inbox":
                assert response.url == reverse("triage:assigned")  # their landing page
                continue
            assert response.status_code == 403, (method.__name__, url)
            assert "It is for recruiters." in response.content.decode()
    assert not other.replies.exclude(pk=objects["reply"].pk).exists()
    assert BulkSend.objects.count() == 1
    assert SavedView.objects.count() == 1


def test_a_user_with_no_role_sees_nothing_but_an_empty_list(client, ada_request):
    client.force_login(UserFactory(username="nobody", role=""))

    assert client.get(reverse("triage:request", args=[ada_request.pk])).status_code == 404
    assert client.get(reverse("triage:pool")).status_code == 403
    response = client.get(reverse("triage:assigned"))
    assert "Nothing is assigned to you." in response.content.decode()


def test_a_recruiter_who_is_also_a_hiring_manager_sees_everything(client, ada_request):
    both = UserFactory(username="bea")
    hiring_manager("bea")  # the same user, given the second role
    client.force_login(both)

    assert client.get(reverse("triage:pool")).status_code == 200
    assert client.get(reverse("triage:request", args=[ada_request.pk])).status_code == 200


def test_a_rule_that_assigns_emails_the_hiring_manager_too(
    profile, recruiter, hank, outbox_dir, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from triage import rules
    from triage.models import TriageRule
    from triage.services import intake, rulebook

    rule = TriageRule(
        title="Orbit people",
        conditions=[{"on": "body", "test": "any", "words": ["orbit determination"]}],
        bucket="exceptional",
        assignee=hank,
    )
    rulebook.save_rule(row=rule, by=recruiter)

    with django_capture_on_commit_callbacks(execute=True):
        request = intake.create_request(
            sender=rules.Address(name="Ola", email="ola@mail.example"),
            subject="Hello",
            body="Twenty years of orbit determination.",
            received_at=timezone.now(),
            profile=profile,
        )

    assert request.assigned_to == hank and request.assigned_by is None
    [sent] = read_outbox(outbox_dir)
    assert sent["To"] == "hank@acme.example"
    assert "Ola" in sent.get_content()


def test_a_hiring_manager_sees_no_button_that_would_be_refused(
    hank_client, client, recruiter, ada_request, hank, settings
):
    """No Download (the file is for recruiters) and no Undo (sending is theirs too)."""
    from django.core.files.base import ContentFile

    from triage.services import outbox

    settings.REPLY_UNDO_SECONDS = 300
    assign(ada_request, hank, recruiter)
    message = Message.objects.create(
        request=ada_request, sender="ada@mail.example", received_at=timezone.now(), message_id="<a>"
    )
    attachment = Attachment(message=message, filename="cv.txt", content_type="text/plain", size=4)
    attachment.file.save("cv.txt", ContentFile(b"Rust"), save=True)
    reply = outbox.queue_reply(
        request=ada_request, template=None, subject="Re: Hi", body="Hi Ada.", by=recruiter
    )
    page = reverse("triage:request", args=[ada_request.pk])
    download = reverse("triage:attachment", args=[attachment.pk])
    undo = reverse("triage:undo-reply", args=[ada_request.pk, reply.pk])

    html = hank_client.get(page).content.decode()
    assert "cv.txt" in html and "Hi Ada." in html  # they see both ...
    assert download not in html and undo not in html  # ... but no button to use them
    assert hank_client.get(download).status_code == 403
    assert hank_client.post(undo).status_code == 403

    client.force_login(recruiter)
    html = client.get(page).content.decode()
    assert download in html and undo in html


def test_the_timeline_reads_only_what_it_shows_in_the_same_queries_however_many_entries(
    client, recruiter, ada_request, hank
):
    # The timeline reads only the columns it shows (candidates.timeline): a column left out
    # and read anyway would cost a query per entry.
    def add_entries(request):
        assign(request, hank, recruiter)
        assignment.record_outcome(request=request, kind="hiring", note="Onsite next.", by=hank)
        Reply.objects.create(
            request=request,
            candidate=request.candidate,
            subject="Thanks",
            body="We will be in touch.",
            message_id=f"<thanks-{request.pk}@acme.example>",
            status=Reply.Status.SENT,
            sent_at=timezone.now(),
            sent_by=recruiter,
        )

    def timeline_page():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("triage:candidate", args=[ada_request.candidate.pk]))
        return response, len(queries)

    client.force_login(recruiter)
    add_entries(ada_request)
    timeline_page()  # a new process reads the configuration once
    _, few = timeline_page()
    for n in range(3):
        add_entries(CandidateRequestFactory(candidate=ada_request.candidate, subject=f"More {n}"))
    more, many = timeline_page()

    assert many == few
    kinds = [entry.kind for entry in more.context["timeline"].entries]
    assert [kinds.count(kind) for kind in ("assigned", "outcome", "reply")] == [4, 4, 4]
    html = more.content.decode()
    assert "Assigned to Hank Hiring, hiring manager" in html and "by Rita Recruiter" in html
    assert "Reply sent: Thanks" in html and "We will be in touch." in html
    assert "Onsite next." in html and "by Hank Hiring" in html
