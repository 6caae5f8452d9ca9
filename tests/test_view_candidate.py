from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    CandidateFactory,
    CandidateRequestFactory,
    ReplyTemplateFactory,
    UserFactory,
)
from triage.models import Candidate, CandidateNote, Reply
from triage.services import candidates, outbox, review

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(db):
    return CandidateFactory(name="Ada Lovelace", email="ada@mail.example")


@pytest.fixture
def ada_request(ada, profile):
    return CandidateRequestFactory(
        candidate=ada,
        subject="Coffee chat?",
        body="I write Rust for small satellites.",
        received_at=timezone.now() - timedelta(days=3),
    )


def page(client, candidate):
    return client.get(reverse("triage:candidate", args=[candidate.pk]))


def test_every_candidate_page_requires_login(client, ada):
    for name, method in [
        ("triage:candidate", client.get),
        ("triage:candidate-export", client.get),
        ("triage:candidate-skills", client.post),
        ("triage:candidate-note", client.post),
        ("triage:candidate-dnc", client.post),
        ("triage:candidate-erase", client.post),
    ]:
        response = method(reverse(name, args=[ada.pk]))
        assert response.status_code == 302 and response.url.startswith(reverse("login")), name
    assert Candidate.objects.filter(pk=ada.pk, do_not_contact=False).exists()


def test_the_request_page_links_to_the_candidate(recruiter_client, ada_request, ada):
    html = recruiter_client.get(reverse("triage:request", args=[ada_request.pk])).content.decode()
    assert f'href="{reverse("triage:candidate", args=[ada.pk])}"' in html


def test_the_timeline_shows_requests_replies_bucket_changes_and_notes_newest_first(
    recruiter_client, recruiter, ada, ada_request, django_capture_on_commit_callbacks
):
    review.override_bucket(request=ada_request, bucket="network", by=recruiter)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.queue_reply(
            request=ada_request, template=None, subject="Keep in touch", body="Hi", by=recruiter
        )
    candidates.add_note(candidate=ada, body="Met at RustConf", by=recruiter)

    response = page(recruiter_client, ada)

    kinds = [entry.kind for entry in response.context["timeline"].entries]
    assert kinds[-1] == "request"
    assert sorted(kinds) == ["bucket", "note", "reply", "request"]
    html = response.content.decode()
    assert "Wrote: Coffee chat?" in html
    assert "Moved to Network later" in html and "The rules suggested Apply through funnel" in html
    assert "Reply sent: Keep in touch" in html
    assert "Met at RustConf" in html and "by Rita Recruiter" in html


@pytest.mark.parametrize("requests", [10, 130])
def test_the_timeline_takes_a_fixed_number_of_queries(
    recruiter_client, recruiter, ada, django_assert_max_num_queries, requests
):
    CandidateRequestFactory.create_batch(requests, candidate=ada)
    for n in range(10):
        candidates.add_note(candidate=ada, body=f"Note {n}", by=recruiter)
    page(recruiter_client, ada)  # a new process: it reads the configuration once
    # Session, the user (with their role and the configuration's version), the person, their
    # skill rows, the audit entry, the timeline (six), the suggestions' text (once for both),
    # the ATS hand-off and the bell's unread count: the same for 130 requests as for 10. The
    # suggestions' vocabulary (roles' skills and places, the profile's hard-to-fill skills)
    # is configuration, kept in memory (services.config_cache). (It was 19.)
    with django_assert_max_num_queries(14):
        page(recruiter_client, ada)


def test_a_long_timeline_is_paged_older_without_losing_an_entry(recruiter_client, recruiter, ada):
    now = timezone.now()
    for n in range(120):  # three at each moment: the pages never cut between them
        CandidateRequestFactory(
            candidate=ada, subject=f"Request {n:03d}", received_at=now - timedelta(hours=n // 3)
        )

    seen, url, pages = [], reverse("triage:candidate", args=[ada.pk]), 0
    while url:
        response = recruiter_client.get(url)
        timeline = response.context["timeline"]
        assert len(timeline.entries) <= candidates.TIMELINE_PAGE + 2
        seen += [entry.title for entry in timeline.entries]
        pages += 1
        older = timeline.older
        url = f"{reverse('triage:candidate', args=[ada.pk])}?{urlencode({'before': older})}"
        url = url if older else ""
        if older:
            assert 'rel="next"' in response.content.decode()

    assert pages == 3
    assert sorted(seen) == sorted(f"Wrote: Request {n:03d}" for n in range(120))


def test_the_skills_and_location_cards_name_their_field_once(recruiter_client, ada):
    html = recruiter_client.get(reverse("triage:candidate", args=[ada.pk])).content.decode()

    for field, heading in (("skills", "Skills"), ("location", "Location")):
        assert f'<h2 class="h6">{heading}</h2>' in html
        label = html.split(f'for="id_{field}"')[1].split(">")[0]
        assert "visually-hidden" in label  # kept for screen readers, not shown twice


def test_it_saves_skills_as_tags(recruiter_client, ada):
    response = recruiter_client.post(
        reverse("triage:candidate-skills", args=[ada.pk]), {"skills": "Rust, RTOS ,rust"}
    )
    assert response.status_code == 302
    ada.refresh_from_db()
    assert ada.skills == ["Rust", "RTOS"]
    assert 'value="Rust, RTOS"' in page(recruiter_client, ada).content.decode()


def test_it_adds_a_note_and_refuses_an_empty_one(recruiter_client, recruiter, ada):
    url = reverse("triage:candidate-note", args=[ada.pk])
    response = recruiter_client.post(url, {"body": "  "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not CandidateNote.objects.exists()

    recruiter_client.post(url, {"body": "Strong embedded background"})
    note = CandidateNote.objects.get()
    assert note.body == "Strong embedded background" and note.author == recruiter


# --- Do not contact --------------------------------------------------------------------------


def test_a_recruiter_sets_and_clears_do_not_contact(recruiter_client, recruiter, ada):
    url = reverse("triage:candidate-dnc", args=[ada.pk])

    response = recruiter_client.post(url, {"do_not_contact": "1"}, follow=True)

    ada.refresh_from_db()
    assert ada.do_not_contact and ada.do_not_contact_set_by == recruiter
    assert ada.do_not_contact_set_at is not None
    assert "ada@mail.example will not be contacted." in response.content.decode()
    assert "Do not contact: set by Rita Recruiter" in response.content.decode()

    recruiter_client.post(url, {"do_not_contact": "0"})
    ada.refresh_from_db()
    assert not ada.do_not_contact and ada.do_not_contact_set_by is None


def test_queue_reply_refuses_a_do_not_contact_candidate(recruiter, ada, ada_request):
    candidates.set_do_not_contact(candidate=ada, value=True, by=recruiter)

    with pytest.raises(candidates.DoNotContact):
        outbox.queue_reply(
            request=ada_request, template=None, subject="Hi", body="Hello", by=recruiter
        )
    assert not Reply.objects.exists()


def test_queue_reply_reads_the_flag_from_the_database_not_a_stale_instance(
    recruiter, ada, ada_request
):
    Candidate.objects.filter(pk=ada.pk).update(do_not_contact=True)  # ada_request's copy is stale

    with pytest.raises(candidates.DoNotContact):
        outbox.queue_reply(
            request=ada_request, template=None, subject="Hi", body="Hello", by=recruiter
        )


def test_the_reply_view_sends_nothing_to_a_do_not_contact_candidate_and_says_so(
    recruiter_client, recruiter, ada, ada_request, outbox_dir
):
    template = ReplyTemplateFactory(bucket="funnel")
    candidates.set_do_not_contact(candidate=ada, value=True, by=UserFactory(username="other"))

    response = recruiter_client.post(
        reverse("triage:reply", args=[ada_request.pk]),
        {"template": template.pk, "subject": "Hi", "body": "Hello Ada"},
        follow=True,
    )

    assert "This person asked not to be contacted: nothing was sent." in response.content.decode()
    assert not Reply.objects.exists()
    assert not outbox_dir.exists() or not list(outbox_dir.iterdir())
    ada_request.refresh_from_db()
    assert ada_request.status == "new"


def test_it_suggests_skills_from_their_messages_and_adds_one_in_a_click(
    recruiter_client, ada, ada_request
):
    # The profile's openings list Rust; the message says "I write Rust for small satellites."
    candidates.update_skills(candidate=ada, skills=["Kotlin"])

    response = page(recruiter_client, ada)

    assert response.context["suggestions"] == [("Rust", "Kotlin, Rust")]
    assert "+ Rust" in response.content.decode()
    recruiter_client.post(
        reverse("triage:candidate-skills", args=[ada.pk]), {"skills": "Kotlin, Rust"}
    )
    ada.refresh_from_db()
    assert ada.skills == ["Kotlin", "Rust"]
    assert page(recruiter_client, ada).context["suggestions"] == []


def test_the_next_follow_up_is_a_date_as_on_the_pool_page(recruiter_client, ada, profile):
    # Nobody set a date: the page says the day the pool counts (a quarter after the last
    # contact), and that it is overdue, not only how it is worked out.
    CandidateRequestFactory(
        candidate=ada, final_bucket="network", received_at=timezone.now() - timedelta(days=120)
    )
    ada.refresh_from_db()
    assert ada.in_pool and ada.next_follow_up is None

    html = page(recruiter_client, ada).content.decode()

    due = ada.follow_up_due
    assert due < timezone.localdate()
    assert f"Next follow-up: {due:%-d %b %Y} (a quarter after the last contact), <span" in html
    assert "overdue</span>" in html
