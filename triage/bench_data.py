"""A stored inbox of any size with a realistic shape, for the page benchmark
(`manage.py bench_pages`) and anyone else who needs one: written with bulk_create, the
same on every run.

For COUNT requests: 80% as many people (most write once, some several times, one person
200 times), about 1.6 messages and 0.5 replies per request, a talent pool of about a fifth
of the people (network bucket, skills, a location), a few openings, attachments' metadata
(a résumé's name and text; no file is written), machine mail kept aside, and one request
with a long thread. One request in a hundred names a rare word (`RARE_WORD`), none names
`ABSENT_WORD`: the two searches the benchmark times. Every exceptional request is assigned
to a hiring manager (half of them with an outcome), the recruiter moved one request in
fifty, and the recruiter sees a few saved views (a search, a scope, buckets and flags), so
the inbox's views have something to count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from triage import access, talent
from triage.bench import ASKS, BACKGROUND, FIRST_NAMES, HARD_SKILLS, SKILLS
from triage.models import (
    Attachment,
    Candidate,
    CandidateRequest,
    CandidateSkill,
    HiringOutcome,
    Message,
    Opening,
    QuarantinedMessage,
    Reply,
    SavedView,
)
from triage.selectors import outbox as outbox_reads
from triage.services import config_cache, fits, pool

BATCH = 2000
RARE_WORD = "quasar"  # in 1% of the requests
ABSENT_WORD = "zyzzyva"  # in none
LONG_THREAD = 60  # messages in the one long thread
PROLIFIC = 200  # requests from the one person who writes the most
LOCATIONS = ("Denver, CO", "Copenhagen", "Remote", "Berlin", "Austin, TX", "Lisbon")
STATUS_CYCLE = (  # of 20 requests: 8 new, 9 replied, 1 closed, 1 archived, 1 spam
    ("new",) * 8 + ("replied",) * 9 + ("closed", "archived", "spam")
)
REPLY_CYCLE = (  # of 200 replies: mostly sent, a few for each outbox tab
    ("sent",) * 190 + ("failed",) * 4 + ("unknown",) * 2 + ("queued",) * 2 + ("bounced",) * 2
)


@dataclass(frozen=True)
class Loaded:
    """What the benchmark opens: ids of typical and extreme rows."""

    requests: int
    candidates: int
    recruiter_id: int
    prolific_candidate_id: int
    prolific_request_id: int
    long_thread_request_id: int
    typical_request_id: int
    opening_id: int


def _bucket(n: int) -> str:
    # About a fifth of the people are in the pool (network); exceptional is rare.
    if n % 5 == 1:
        return "network"
    if n % 40 == 3:
        return "exceptional"
    return "funnel"


def load(count: int, *, now=None) -> Loaded:
    """Store COUNT requests and all that goes with them; return the ids worth opening."""
    now = now or timezone.now()
    user_model = get_user_model()
    recruiter = user_model.objects.create_superuser("bench-recruiter", password="bench")
    openings = Opening.objects.bulk_create(
        Opening(
            title=f"{skill} engineer {i}",
            url=f"https://careers.example/{i}",
            skills=[skill, SKILLS[(i + 1) % len(SKILLS)]],
            location=LOCATIONS[i % len(LOCATIONS)],
            is_open=i % 4 != 3,
        )
        for i, skill in enumerate(SKILLS * 3)
    )
    config_cache.changed()  # a bulk write sends no signal
    people = max(1, int(count * 0.8))
    # Request n is from person `_author(n)`: the first `people - 1` requests one each, the
    # next PROLIFIC from person 0, the rest from repeat writers spread over everyone.

    def author(n: int) -> int:
        if n < people - 1:
            return n + 1
        if n < people - 1 + min(PROLIFIC, count - people + 1):
            return 0
        return 1 + (n * 7919) % max(1, people - 1)

    candidate_ids: list[int] = []
    for start in range(0, people, BATCH):
        rows = []
        for p in range(start, min(people, start + BATCH)):
            first = FIRST_NAMES[p % len(FIRST_NAMES)]
            in_pool = p % 5 == 1 or p == 0
            rows.append(
                Candidate(
                    email=f"{first.lower()}.{p}@mail{p % 97}.example",
                    # Numbers of one width, so that a name searched for is no prefix of
                    # others' ("Example104" of "Example1040"...), whose count grows with N.
                    name=f"{first} Example{p:06d}",
                    location=LOCATIONS[p % len(LOCATIONS)] if in_pool else "",
                    next_follow_up=(now + timedelta(days=p % 120 - 30)).date() if in_pool else None,
                )
            )
        created_people = Candidate.objects.bulk_create(rows)
        candidate_ids += [c.pk for c in created_people]
        # The pool's skills are rows (CandidateSkill), as intake or a recruiter writes them.
        CandidateSkill.objects.bulk_create(
            CandidateSkill(candidate=person, name=name, key=talent.skill_key(name), position=i)
            for p, person in enumerate(created_people, start=start)
            if p % 5 == 1 or p == 0
            for i, name in enumerate((SKILLS[p % len(SKILLS)], HARD_SKILLS[p % len(HARD_SKILLS)]))
        )

    long_thread_n = min(count - 1, 5)
    request_ids: list[int] = []
    for start in range(0, count, BATCH):
        numbers = range(start, min(count, start + BATCH))
        rows = [
            _request(n, candidate_ids[author(n) if author(n) < people else 0], now) for n in numbers
        ]
        for row, n in zip(rows, numbers, strict=True):
            person = author(n)
            # Everyone in the pool has a network request; a few people are in it anyway.
            if person % 5 == 1 or (person == 0 and n % 3 == 0):
                row.final_bucket = row.suggested_bucket = "network"
            if n % 50 == 25:  # the recruiter moved it (to where the rules had it: no matter)
                row.final_bucket_set_by_id, row.final_bucket_set_at = recruiter.pk, now
        created = CandidateRequest.objects.bulk_create(rows)
        request_ids += [r.pk for r in created]
        _messages_replies_attachments(created, numbers, recruiter, now, long_thread_n)

    # The pool's own fields (in the pool, last contact, due), as the services keep them.
    pool.refresh_all()
    _assignments_and_views(recruiter, now)
    fits.rebuild_all()  # who fits each role, as the services keep it
    QuarantinedMessage.objects.bulk_create(
        QuarantinedMessage(
            kind=("failed", "machine", "blocked")[i % 3],
            raw=b"Subject: out of office\n\nAway.\n",
            raw_sha256=f"{i:064x}",
            source=f"bench/{i}.eml",
            error="Machine mail: an auto-reply.",
        )
        # At least a full page of each kind (PAGE_SIZE), so the page is timed full at both
        # sizes: at 10,000 it once showed 10 rows and at 100,000 25, a ratio of 1.66 that
        # was the page's rows, not the data's size.
        for i in range(max(3 * (outbox_reads.PAGE_SIZE + 1), count // 500))
    )
    return Loaded(
        requests=count,
        candidates=people,
        recruiter_id=recruiter.pk,
        prolific_candidate_id=candidate_ids[0],
        prolific_request_id=CandidateRequest.objects.filter(candidate_id=candidate_ids[0])
        .order_by("-received_at")
        .values_list("pk", flat=True)
        .first(),
        long_thread_request_id=request_ids[long_thread_n],
        typical_request_id=request_ids[min(count - 1, 11)],
        opening_id=openings[0].pk,
    )


def _assignments_and_views(recruiter, now) -> None:
    """What recruiters and hiring managers did, for the inbox's views to count: every
    exceptional request with a hiring manager (half of them answered with an outcome), one
    request in fifty moved by the recruiter, and five saved views, one of them another
    recruiter's, shared."""
    manager = get_user_model().objects.create_user("bench-manager", password="bench")
    manager.groups.add(Group.objects.get_or_create(name=access.HIRING_MANAGERS)[0])
    exceptional = CandidateRequest.objects.filter(final_bucket="exceptional")
    exceptional.update(assigned_to=manager, assigned_by=recruiter, assigned_at=now)
    ids = list(exceptional.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        HiringOutcome.objects.bulk_create(
            HiringOutcome(request_id=pk, kind="talked", recorded_by=manager)
            for pk in ids[start : start + BATCH : 2]
        )
    colleague = get_user_model().objects.create_user("bench-colleague", password="bench")
    SavedView.objects.bulk_create(
        [
            SavedView(owner=recruiter, name=f"The {RARE_WORD} people", query=RARE_WORD, status=""),
            SavedView(owner=recruiter, name="Urgent network", bucket="network", flag="urgent"),
            SavedView(
                owner=recruiter,
                name="Exceptional, waiting",
                bucket="exceptional",
                scope="waiting",
                status="",
            ),
            SavedView(owner=recruiter, name="Not candidates", flag="not-candidate", status=""),
            SavedView(owner=colleague, name="Mine, new", scope="mine", shared=True),
        ]
    )


def _request(n: int, candidate_id: int, now) -> CandidateRequest:
    first = FIRST_NAMES[n % len(FIRST_NAMES)]
    skill = SKILLS[n % len(SKILLS)]
    body = (
        f"Hi,\n\nI am {first}, I have worked with {skill} for {3 + n % 9} years. "
        f"{BACKGROUND * (n % 3)}{ASKS[n % len(ASKS)]}"
    )
    if n % 100 == 42:
        body += f" I also built a {RARE_WORD} tracker for a radio telescope."
    status = STATUS_CYCLE[n % len(STATUS_CYCLE)]
    bucket = _bucket(n)
    flags = {}
    if n % 33 == 7:
        flags["urgent"] = {
            "text": "A competing offer",
            "evidence": ["another offer"],
            "action": "",
            "topic": "offer",
        }
    put_away = status in ("closed", "archived", "spam")
    return CandidateRequest(
        candidate_id=candidate_id,
        subject=("Quick question", f"About {skill}", "Hello from a fellow engineer")[n % 3],
        body=f"{body}\n\n{first}",
        rules_text=body,
        received_at=now - timedelta(minutes=7 * n),
        status=status,
        suggested_bucket=bucket,
        suggested_rule="funnel_default" if bucket == "funnel" else f"bench_{bucket}",
        reasons=[{"text": "The generated mix", "evidence": [skill]}],
        final_bucket=bucket,
        flags=flags,
        put_away_at=now if put_away else None,
        put_away_reason="Generated" if put_away else "",
    )


def _messages_replies_attachments(created, numbers, recruiter, now, long_thread_n) -> None:
    """Per request: its first message; in 60%, a second one (our reply's copy, or their
    follow-up); a reply for the answered ones (half of all); a résumé on one in ten."""
    messages, replies = [], []
    for req, n in zip(created, numbers, strict=True):
        sender = f"person{n}@mail.example"
        messages.append(
            Message(
                request_id=req.pk,
                sender=sender,
                sender_name="",
                subject=req.subject,
                text=req.body,
                received_at=req.received_at,
                message_id=f"<bench-page-{n}@mail.example>",
            )
        )
        extra = LONG_THREAD - 1 if n == long_thread_n else (1 if n % 5 in (0, 1, 2) else 0)
        for k in range(extra):
            ours = k % 2 == 0
            messages.append(
                Message(
                    request_id=req.pk,
                    direction="out" if ours else "in",
                    sender="rita@acme.example" if ours else sender,
                    subject=f"Re: {req.subject}",
                    text="Thank you for writing." if ours else f"Following up ({k}).",
                    received_at=req.received_at + timedelta(minutes=k + 1),
                    message_id=f"<bench-page-{n}-{k}@mail.example>",
                )
            )
        if req.status == "replied" or n % 20 == 19:
            status = REPLY_CYCLE[n % len(REPLY_CYCLE)]
            replies.append(
                Reply(
                    request_id=req.pk,
                    candidate_id=req.candidate_id,
                    to_email=sender,
                    subject=f"Re: {req.subject}",
                    body="Thank you for writing. " * 8,
                    sent_by=recruiter,
                    status=status,
                    message_id=f"<bench-reply-{n}@acme.example>",
                    sent_at=req.received_at + timedelta(hours=3) if status == "sent" else None,
                    error="Connection refused" if status == "failed" else "",
                )
            )
    stored = Message.objects.bulk_create(messages, batch_size=BATCH)
    Reply.objects.bulk_create(replies, batch_size=BATCH)
    Attachment.objects.bulk_create(
        [
            Attachment(
                message_id=message.pk,
                filename=f"resume-{i}.pdf",
                content_type="application/pdf",
                size=120_000,
                file=f"attachments/bench/resume-{i}.pdf",
                text="Résumé. Experience: flight software, Kubernetes, data pipelines. " * 20,
            )
            for i, message in enumerate(stored)
            if message.direction == "in" and message.message_id.count("-") == 2 and i % 10 == 3
        ],
        batch_size=BATCH,
    )
