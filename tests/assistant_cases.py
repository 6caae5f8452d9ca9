"""A small, made-up set of requests with the bucket a recruiter gave each: enough for the
assistant to learn three buckets apart, few enough to train in a moment."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.factories import CandidateFactory, CandidateRequestFactory
from triage.models import Message

# (subject, body, sender, cc, bucket)
CASES = [
    (
        "Any openings?",
        "Hi, are there any openings? I am looking for a job and attach my resume.",
        "a1@mail.example",
        [],
        "funnel",
    ),
    (
        "Job application",
        "I would like to apply for a job. Please consider my resume for any role.",
        "a2@mail.example",
        [],
        "funnel",
    ),
    (
        "Coffee chat?",
        "Could we have a coffee chat about open positions? I am looking for work.",
        "a3@mail.example",
        [],
        "funnel",
    ),
    (
        "Internship",
        "I am a student looking for an internship or any entry level job. Resume attached.",
        "a4@mail.example",
        [],
        "funnel",
    ),
    (
        "Referral",
        "Can you refer me for a job? My resume is attached, any position works.",
        "a5@mail.example",
        [],
        "funnel",
    ),
    (
        "Quick question",
        "Hello, is your company hiring? I am applying for jobs and looking for work.",
        "a6@mail.example",
        [],
        "funnel",
    ),
    (
        "Introduction",
        "Introducing my friend Sam, a great engineer. Sam, meet the team.",
        "b1@mail.example",
        ["pat@acme-orbital.example"],
        "network",
    ),
    (
        "Meet Lee",
        "Let me introduce Lee, a former colleague. Not looking right now, keep in touch.",
        "b2@mail.example",
        ["kim@acme-orbital.example"],
        "network",
    ),
    (
        "Staying in touch",
        "Not looking right now, happy where I am, but let us keep in touch.",
        "b3@mail.example",
        ["pat@acme-orbital.example"],
        "network",
    ),
    (
        "Catching up",
        "Great to see you at the meetup. Not looking for now; let us stay in touch.",
        "b4@mail.example",
        [],
        "network",
    ),
    (
        "Hello again",
        "Introducing myself again as a former colleague: keep in touch for later.",
        "b5@mail.example",
        ["kim@acme-orbital.example"],
        "network",
    ),
    (
        "Friend of Pat",
        "Pat suggested I introduce myself. Not job hunting now; stay in touch.",
        "b6@mail.example",
        ["pat@acme-orbital.example"],
        "network",
    ),
    (
        "Orbit determination",
        "I led orbit determination for three missions and hold two patents.",
        "c1@lab.example",
        [],
        "exceptional",
    ),
    (
        "Award",
        "I received the national award for radiation-hardened design and hold patents.",
        "c2@lab.example",
        [],
        "exceptional",
    ),
    (
        "Research lead",
        "I am a fellow of the society, led the mission team and hold patents.",
        "c3@lab.example",
        [],
        "exceptional",
    ),
    (
        "Published work",
        "Author of the standard textbook on orbit determination; award winner.",
        "c4@lab.example",
        [],
        "exceptional",
    ),
    (
        "Mission lead",
        "Principal investigator on two missions, fellow, with patents in guidance.",
        "c5@lab.example",
        [],
        "exceptional",
    ),
    (
        "Keynote",
        "I gave the keynote on radiation-hardened design; award and patents in it.",
        "c6@lab.example",
        [],
        "exceptional",
    ),
]


def make_request(subject, body, sender, cc, *, suggested, final=None, decided=True):
    """A request as intake stores it (with its first message), moved by a recruiter to
    `final` when decided; left as the rules had it otherwise."""
    decider = get_user_model().objects.get_or_create(username="decider")[0] if decided else None
    request = CandidateRequestFactory(
        candidate=CandidateFactory(email=sender),
        subject=subject,
        body=body,
        recipients_cc=[["", email] for email in cc],
        suggested_bucket=suggested,
        final_bucket=final or suggested,
        final_bucket_set_by=decider,
        final_bucket_set_at=timezone.now() if decided else None,
    )
    Message.objects.create(
        request=request,
        sender=sender,
        subject=subject,
        text=body,
        received_at=request.received_at,
        message_id=f"<{request.pk}@test.example>",
    )
    return request
