"""One email per person per round when everything happens at once, on PostgreSQL: two
threads, two recruiters' sessions clicking, two bulks over the same people, two workers
draining (one killed mid-drain) into an SMTP server that drops connections before and after
DATA. Counted at the real SMTP sink."""

import email
import email.policy
import itertools
import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import DROP_AFTER_DATA, DROP_BEFORE_DATA
from tests.factories import ReplyTemplateFactory, UserFactory
from triage import rules
from triage.models import CandidateRequest, Reply
from triage.services import bulk, intake, outbox

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every write, so there is no race to test: run on PostgreSQL.",
    ),
]

_numbers = itertools.count()


@pytest.fixture(autouse=True)
def tasks_wait_for_the_workers(settings):
    """Enqueued sends are recorded, not run: the test's own two workers drain the outbox."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def ask(profile, person: int, subject: str) -> CandidateRequest:
    return intake.create_request(
        sender=rules.Address(name=f"Person{person} Example", email=f"p{person}@mail.example"),
        subject=subject,
        body="Could we have a coffee chat?",
        received_at=timezone.now(),
        message_id=f"<race-{next(_numbers)}@mail.example>",
        profile=profile,
    )


def at_once(*jobs):
    """Run the jobs in threads released together; each thread's outcome, in job order."""
    start = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def run(index, job):
        try:
            start.wait()
            outcomes[index] = job()
        except Exception as error:  # the outcome under test, e.g. PersonAnswered
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def answer(candidate_request, user):
    return lambda: outbox.queue_reply(
        request=candidate_request, template=None, subject="Re", body="Hi", by=user
    )


def test_two_requests_of_one_person_answered_at_once_queue_one_reply(profile):
    first, second = ask(profile, 1, "Coffee?"), ask(profile, 1, "Following up")

    outcomes = at_once(answer(first, UserFactory()), answer(second, UserFactory()))

    kinds = sorted(type(outcome).__name__ for outcome in outcomes)
    assert kinds == ["PersonAnswered", "Reply"]
    assert Reply.objects.count() == 1


def test_two_bulks_over_the_same_people_at_once_queue_one_reply_each(profile):
    requests = [ask(profile, person, f"Ask {n}") for person in range(4) for n in range(2)]
    template = ReplyTemplateFactory(body="Hi {{ first_name }}")
    chosen = CandidateRequest.objects.filter(pk__in=[r.pk for r in requests])

    def start(user):
        return lambda: bulk.start_bulk_send(chosen.all(), template=template, by=user)

    outcomes = at_once(start(UserFactory()), start(UserFactory()))

    assert all(not isinstance(outcome, Exception) for outcome in outcomes), outcomes
    per_person = Counter(Reply.objects.values_list("to_email", flat=True))
    assert per_person == {f"p{person}@mail.example": 1 for person in range(4)}


def test_two_sessions_clicking_send_for_one_person_send_one(profile):
    first, second = ask(profile, 1, "Coffee?"), ask(profile, 1, "Following up")
    sessions = []
    for name in ("rita", "omar"):
        client = Client()
        client.force_login(UserFactory(username=name))
        sessions.append(client)
    loaded_at = timezone.now().isoformat()

    def click(client, candidate_request):
        url = reverse("triage:reply", args=[candidate_request.pk])
        data = {"subject": "Re: Coffee?", "body": "Hello", "loaded_at": loaded_at}
        return lambda: client.post(url, data).status_code

    statuses = at_once(click(sessions[0], first), click(sessions[1], second))

    # One redirect (queued), one page saying who answered (409 or a redirect with the error).
    assert Reply.objects.count() == 1
    assert sorted(statuses) in ([302, 409], [302, 302])


def recipients_at_the_sink(smtp) -> Counter:
    """Emails per person the SMTP server got: delivered, and those it had when it dropped."""
    dropped = [
        email.message_from_bytes(raw, policy=email.policy.default)
        for raw in smtp.dropped_after_data
    ]
    got = [message for _rcpts, message in smtp.messages] + dropped
    return Counter(message["To"].addresses[0].addr_spec for message in got)


def drain_with_two_workers():
    """Two workers send whatever is due, each claiming before it sends."""

    def worker():
        for reply_id in outbox.due_replies().order_by("pk").values_list("pk", flat=True):
            outbox.send_reply(reply_id)

    outcomes = at_once(worker, worker)
    assert all(not isinstance(outcome, Exception) for outcome in outcomes), outcomes


def test_every_person_gets_exactly_one_email_per_round_whatever_happens_at_once(
    profile, smtp, settings
):
    people = range(8)
    requests = {p: [ask(profile, p, f"Ask {n} from {p}") for n in range(1 + p % 3)] for p in people}
    template = ReplyTemplateFactory(body="Hi {{ first_name }}")
    everyone = CandidateRequest.objects.all()
    sessions = []
    for name in ("rita", "omar"):
        client = Client()
        client.force_login(UserFactory(username=name))
        sessions.append(client)
    loaded_at = timezone.now().isoformat()

    def click(client, candidate_request):
        url = reverse("triage:reply", args=[candidate_request.pk])
        data = {"subject": "Re: hello", "body": "Hello", "loaded_at": loaded_at}
        return lambda: client.post(url, data).status_code

    at_once(
        lambda: bulk.start_bulk_send(everyone.all(), template=template, by=UserFactory()),
        lambda: bulk.start_bulk_send(everyone.all(), template=template, by=UserFactory()),
        click(sessions[0], requests[2][0]),
        click(sessions[1], requests[2][-1]),
        click(sessions[0], requests[5][1]),
        answer(requests[7][0], UserFactory()),
    )
    queued = Counter(Reply.objects.values_list("to_email", flat=True))
    assert queued == {f"p{p}@mail.example": 1 for p in people}

    # A worker took one reply and was killed before it finished: it stays "sending".
    killed = Reply.objects.order_by("pk").first()
    minutes = settings.REPLY_SENDING_TIMEOUT_MINUTES + 1
    Reply.objects.filter(pk=killed.pk).update(
        status=Reply.Status.SENDING,
        sending_started_at=timezone.now() - timedelta(minutes=minutes),
        attempts=1,
    )
    # The server drops one connection after DATA, one before, and refuses one address.
    smtp.script = [DROP_AFTER_DATA, DROP_BEFORE_DATA, "550 5.1.1 No such user"]
    drain_with_two_workers()
    for _ in range(3):  # the retry comes due; the workers drain again
        Reply.objects.filter(status=Reply.Status.QUEUED).update(next_attempt_at=timezone.now())
        drain_with_two_workers()

    statuses = Counter(Reply.objects.values_list("status", flat=True))
    at_sink = recipients_at_the_sink(smtp)
    print(
        f"\nreplies by status: {dict(statuses)}; "
        f"emails at the SMTP sink per person: {dict(at_sink)}"
    )
    assert set(statuses) <= {Reply.Status.SENT, Reply.Status.FAILED, Reply.Status.UNKNOWN}
    assert statuses == {Reply.Status.SENT: 5, Reply.Status.UNKNOWN: 2, Reply.Status.FAILED: 1}
    assert max(at_sink.values()) == 1  # nobody got two
    for reply in Reply.objects.all():
        got = at_sink[reply.to_email]
        if reply.status == Reply.Status.SENT:
            assert got == 1
        elif reply.status == Reply.Status.FAILED:
            assert got == 0 and "No such user" in reply.error
        else:  # unknown: the dropped-after-DATA one (the server had it) or the killed worker's
            assert "check" in reply.error
            assert got == (0 if reply.pk == killed.pk else 1)
    assert len(smtp.messages) == 5 and len(smtp.dropped_after_data) == 1
