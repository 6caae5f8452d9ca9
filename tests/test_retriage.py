"""Re-triage: the rules run again over requests nobody touched; nothing a person did changes."""

import gc
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import CandidateFactory, CandidateRequestFactory, UserFactory
from triage import bench
from triage.management.commands.bench_retriage import DEMO_PROFILE
from triage.models import Candidate, CandidateRequest, Message, Reply, RetriageRun, TriageRule
from triage.selectors import rulebook as rulebook_reads
from triage.services import intake, profiles, retriage, review, rulebook, verdicts

# Stored as funnel, but today's rules (the conftest profile) say exceptional: a distinction
# in a hard-to-fill skill.
AWARD = "I won the best paper award for my work on orbit determination."
PLAIN = "Hello, could I ask about your careers page?"


def stale(body=AWARD, **fields):
    """A request stored with a verdict the rules no longer give (funnel_default, no reasons)."""
    return CandidateRequestFactory(subject="Hello", body=body, **fields)


def test_it_moves_an_untouched_request_to_what_the_rules_say_now(profile):
    request = stale()

    summary = retriage.retriage()

    request.refresh_from_db()
    assert (request.suggested_bucket, request.final_bucket) == ("exceptional", "exceptional")
    assert request.suggested_rule == "distinguished_record"
    # The distinction, and its sentence (which the reason quotes).
    assert request.reasons[0]["evidence"] == [
        "won the best paper award",
        "I won the best paper award for my work on orbit determination",
    ]
    assert request.final_bucket_set_by is None
    assert (summary.examined, summary.changed, summary.moved) == (1, 1, 1)
    assert summary.moves == {("funnel", "exceptional"): 1}


def test_it_updates_the_reasons_even_when_the_bucket_stays(profile):
    request = stale(body=PLAIN)

    summary = retriage.retriage()

    request.refresh_from_db()
    assert request.final_bucket == "funnel"
    assert request.reasons[0]["text"].startswith("No relationship, introduction or rare skill")
    assert (summary.changed, summary.moved, summary.moves) == (1, 0, {})


def test_it_never_changes_what_a_person_acted_on(profile, recruiter):
    overridden = review.override_bucket(request=stale(), bucket="network", by=recruiter)
    # Overridden back to the suggested bucket: still a person's decision.
    confirmed = review.override_bucket(request=stale(), bucket="funnel", by=recruiter)
    answered = stale(status=CandidateRequest.Status.REPLIED)
    closed = stale(
        status=CandidateRequest.Status.CLOSED,
        put_away_by=recruiter,
        put_away_at=timezone.now(),
        put_away_reason="Answered by phone",
    )
    assigned = stale(assigned_to=recruiter, assigned_at=timezone.now())
    failed_reply = stale()
    Reply.objects.create(
        request=failed_reply,
        to_email="x@mail.example",
        subject="Re",
        body="Hi",
        status=Reply.Status.FAILED,
        message_id="<r1@test>",
    )
    touched = [overridden, confirmed, answered, closed, assigned, failed_reply]
    before = {r.pk: r.reasons for r in CandidateRequest.objects.all()}
    untouched = stale()

    summary = retriage.retriage()

    assert summary.examined == 1
    for request in CandidateRequest.objects.filter(pk__in=[r.pk for r in touched]):
        assert request.suggested_bucket == "funnel", request
        assert request.suggested_rule == "funnel_default"
        assert request.reasons == before[request.pk]
    assert CandidateRequest.objects.get(pk=overridden.pk).final_bucket == "network"
    assert CandidateRequest.objects.get(pk=untouched.pk).final_bucket == "exceptional"


def test_it_leaves_a_request_a_recruiter_overrides_while_it_runs(profile, recruiter, monkeypatch):
    first, second = stale(), stale()
    real_verdict_for = verdicts.verdict_for

    def recruiter_acts_meanwhile(facts, profile, book):
        # Between the read and the write of this chunk, a recruiter overrides the first one.
        if not CandidateRequest.objects.get(pk=first.pk).final_bucket_set_by_id:
            review.override_bucket(
                request=CandidateRequest.objects.get(pk=first.pk), bucket="network", by=recruiter
            )
        return real_verdict_for(facts, profile, book)

    monkeypatch.setattr(verdicts, "verdict_for", recruiter_acts_meanwhile)

    summary = retriage.retriage()

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.final_bucket, first.suggested_bucket) == ("network", "funnel")
    assert second.final_bucket == "exceptional"
    assert (summary.examined, summary.changed, summary.skipped) == (2, 1, 1)


def test_since_limits_it_to_recent_requests(profile):
    old = stale(received_at=timezone.now() - timedelta(days=10))
    recent = stale(received_at=timezone.now() - timedelta(days=1))

    summary = retriage.retriage(since=timezone.now() - timedelta(days=3))

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.final_bucket, recent.final_bucket) == ("funnel", "exceptional")
    assert summary.examined == 1


def test_a_dry_run_counts_and_writes_nothing(profile):
    requests = [stale(), stale(), stale(body=PLAIN)]
    before = list(CandidateRequest.objects.order_by("pk").values())

    summary = retriage.retriage(dry_run=True)

    assert list(CandidateRequest.objects.order_by("pk").values()) == before
    assert (summary.examined, summary.changed, summary.moved) == (len(requests), 3, 2)
    assert summary.moves == {("funnel", "exceptional"): 2}


def test_a_second_run_changes_nothing(profile):
    stale(), stale(body=PLAIN)
    retriage.retriage()
    after_first = list(CandidateRequest.objects.order_by("pk").values())

    summary = retriage.retriage()

    assert (summary.examined, summary.changed, summary.moved) == (2, 0, 0)
    assert list(CandidateRequest.objects.order_by("pk").values()) == after_first


def test_a_follow_up_is_judged_on_everything_the_candidate_wrote(profile):
    request = stale(body=PLAIN)
    for number, text in enumerate([PLAIN, AWARD]):
        Message.objects.create(
            request=request,
            sender=request.candidate.email,
            text=text,
            received_at=timezone.now() + timedelta(minutes=number),
            message_id=f"<m{number}@test>",
        )

    retriage.retriage()

    request.refresh_from_db()
    assert request.final_bucket == "exceptional"


def test_it_reads_in_chunks_with_a_fixed_number_of_queries(profile, django_assert_num_queries):
    for _ in range(30):
        stale()
    rulebook.current_rulebook()  # compiled once per version, as in a running worker
    # The profile (4) and the rule set's version (1), then per chunk of 10: read, thread
    # texts, attachments, and a savepoint around one batch of conditional UPDATEs (3 x 6),
    # then the read that finds no more. Same for 3,000.
    with django_assert_num_queries(4 + 1 + 3 * 6 + 1):
        summary = retriage.retriage(chunk_size=10)
    assert summary.changed == 30


def test_the_command_prints_the_moves_and_a_dry_run_writes_nothing(profile, capsys):
    stale(), stale(), stale(body=PLAIN)

    call_command("retriage", "--dry-run")

    out = capsys.readouterr().out
    assert "Examined 3 untouched requests; 3 would get a new verdict, 2 would move" in out
    assert "funnel -> exceptional: 2" in out
    assert "Dry run: nothing was written." in out
    assert not CandidateRequest.objects.filter(final_bucket="exceptional").exists()

    call_command("retriage", "--json")

    result = json.loads(capsys.readouterr().out)
    assert result["moves"] == [{"from": "funnel", "to": "exceptional", "count": 2}]
    assert result["dry_run"] is False
    assert CandidateRequest.objects.filter(final_bucket="exceptional").count() == 2


def test_the_command_takes_since_as_a_date(profile, capsys):
    stale(received_at=timezone.now() - timedelta(days=400))

    call_command("retriage", "--since", str(timezone.localdate()), "--json")

    assert json.loads(capsys.readouterr().out)["examined"] == 0
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("retriage", "--since", "yesterday")


def test_a_run_from_the_page_is_done_by_the_worker(profile, django_capture_on_commit_callbacks):
    stale()
    CandidateFactory()  # a candidate with no request changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        run = retriage.start_run(since=None, by=UserFactory())

    run.refresh_from_db()  # the tests' task backend ran it as it was enqueued
    assert run.status == "done"
    assert run.result["moved"] == 1
    assert run.finished_at is not None


def test_intake_keeps_the_words_the_rules_read(profile):
    from triage import rules
    from triage.services import intake

    request = intake.create_request(
        sender=rules.Address("Ada", "ada@mail.example"),
        subject="Hello",
        body=f"{AWARD}\n\nOn Monday, Rita wrote:\n> Thanks for writing",
        received_at=timezone.now(),
        profile=profile,
    )

    request.refresh_from_db()
    assert request.rules_text == AWARD
    assert request.final_bucket == "exceptional"


def test_it_reads_the_kept_words_and_keeps_them_where_missing(profile, django_assert_num_queries):
    kept = stale(body=PLAIN, rules_text=AWARD)  # what intake read is what counts
    missing = stale(body=AWARD)

    retriage.retriage()

    kept.refresh_from_db()
    missing.refresh_from_db()
    assert kept.final_bucket == "exceptional"
    assert missing.rules_text == AWARD
    # Now every row has its words: a run reads no thread texts and writes nothing (the
    # profile, the rule set's version, one chunk with its attachments, and the read that
    # finds no more).
    with django_assert_num_queries(4 + 1 + 2 + 1):
        assert retriage.retriage().changed == 0


def test_it_reads_the_attached_resume_too(profile, media_root):
    from triage.mail import ParsedAttachment
    from triage.models import Message
    from triage.services import attachments

    request = stale(body="Hello, I would like to stay in touch.", rules_text=None)
    message = Message.objects.create(
        request=request,
        sender=request.candidate.email,
        received_at=request.received_at,
        message_id="<cv@x>",
        text=request.body,
    )
    resume = b"Ten years of orbit determination for weather satellites."
    attachments.store(
        message=message,
        prepared=attachments.prepare([ParsedAttachment("Ada CV.txt", "text/plain", resume)]),
    )

    retriage.retriage()

    request.refresh_from_db()
    assert request.suggested_bucket == "network"
    assert any(
        "orbit determination, from the attached résumé (Ada CV.txt)" in reason["text"]
        for reason in request.reasons
    ), request.reasons


def test_rules_run_in_worker_processes_give_the_same_verdicts(profile, recruiter):
    from tests.test_rulebook import custom_rule

    version = rulebook.save_rule(row=custom_rule(), by=recruiter)  # runs in the workers too
    bodies = [AWARD, PLAIN, "I finished my PhD.", "Hello, any openings for Rust engineers?"]
    requests = [stale(body=body) for body in bodies * 3]

    # Chunks of 5 in two processes: 3 chunks, so the workers start.
    summary = retriage.retriage(chunk_size=5, jobs=2)

    assert (summary.examined, summary.changed) == (12, 12)
    verdicts = {}
    for request in requests:
        request.refresh_from_db()
        assert request.rule_set_version_id == version.pk
        verdicts.setdefault(request.body, set()).add(
            (request.suggested_rule, json.dumps(request.reasons))
        )
    assert {body: len(found) for body, found in verdicts.items()} == dict.fromkeys(bodies, 1)
    assert {body: next(iter(found))[0] for body, found in verdicts.items()} == {
        AWARD: "distinguished_record",
        PLAIN: "funnel_default",
        "I finished my PhD.": "academics",
        "Hello, any openings for Rust engineers?": "funnel_default",
    }
    # The same rules in this process find nothing to change: the verdicts are identical.
    assert retriage.retriage(chunk_size=5, jobs=1).changed == 0


def stored_rows(count: int) -> list[dict]:
    """`count` of the benchmark's varied requests, stored, as re-triage reads them."""
    for number in range(count):
        generated = bench.generated_request(number)
        CandidateRequestFactory(
            body=generated["body"],
            subject=generated["subject"],
            recipients_cc=generated["cc"],
            candidate=Candidate.objects.get_or_create(
                email=generated["email"], defaults={"name": generated["name"]}
            )[0],
        )
    return [row for chunk in retriage._chunks(retriage.untouched_requests(), 100) for row in chunk]


def test_the_rules_leave_no_reference_cycles_behind(db):
    """reviewed_rows pauses the cyclic garbage collector while the rules run: safe only while
    reference counting alone frees everything they make, which this holds."""
    profiles.import_profile(json.loads(DEMO_PROFILE.read_text("utf-8")))  # the mix's company
    profile, rows = profiles.load_profile(), stored_rows(120)
    book = rulebook.current_rulebook()
    verdicts.reviewed_rows(rows[:20], profile, book)  # compiles what the rules make once

    reviewed, unreachable = reviewed_with_the_collector_off(rows[20:], profile, book)

    assert unreachable == 0
    assert reviewed == [verdicts.reviewed_row(row, profile, book) for row in rows[20:]]
    assert {fields["suggested_rule"] for fields in reviewed} > {"funnel_default"}


def test_the_rules_leave_no_reference_cycles_behind_on_mail_as_people_write_it(db):
    """The same on a corpus's emails (its own wording, quoted history, signatures, files)
    through intake, then read against another company's profile, whose skills, people and
    openings the rules have not read yet in this process."""
    ingest_corpus("cargoline")
    rows = [row for chunk in retriage._chunks(retriage.untouched_requests(), 100) for row in chunk]
    profiles.import_profile(json.loads((CORPORA / "harbor-bank" / "profile.json").read_text()))

    reviewed, unreachable = reviewed_with_the_collector_off(
        rows, profiles.load_profile(), rulebook.current_rulebook()
    )

    assert unreachable == 0
    assert len(reviewed) == len(rows) > 80
    assert {fields["suggested_bucket"] for fields in reviewed} >= {"funnel", "network"}


CORPORA = Path(__file__).parent / "corpora"


def ingest_corpus(name: str) -> None:
    """A corpus's emails through intake, with its own company's profile."""
    profiles.import_profile(json.loads((CORPORA / name / "profile.json").read_text()))
    for path in sorted((CORPORA / name / "emails").glob("*.eml")):
        intake.ingest_email(path.read_bytes(), profile=profiles.load_profile())


def reviewed_with_the_collector_off(rows, profile, book) -> tuple[list[dict], int]:
    """reviewed_rows, and how many unreachable objects (cycles) they left for the collector."""
    gc.collect()
    gc.disable()  # so that no collection runs between the rules and the count below
    try:
        reviewed = verdicts.reviewed_rows(rows, profile, book)
        return reviewed, gc.collect()
    finally:
        gc.enable()


def test_reviewing_rows_leaves_the_collector_as_it_found_it(profile):
    rows, book = stored_rows(2), rulebook.current_rulebook()

    verdicts.reviewed_rows(rows, profile, book)
    assert gc.isenabled()

    gc.disable()
    try:
        verdicts.reviewed_rows(rows, profile, book)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_rule_dry_run_leaves_no_reference_cycles_behind(db):
    """The rule dry run pauses the collector over its requests too: both rule sets, a
    recruiter's own rule among them (as the Rules page tests one), and that rule alone."""
    profiles.import_profile(json.loads(DEMO_PROFILE.read_text("utf-8")))
    stored_rows(60)

    result, unreachable = dry_run_with_the_collector_off(words=["coffee"])

    assert unreachable == 0
    assert result.checked == 60
    assert 0 < len(result.matches) < 60 and 0 < result.moved < 60
    assert all(move.new_bucket == "network" for move in result.moves)


def test_the_rule_dry_run_leaves_no_reference_cycles_behind_on_mail_as_people_write_it(db):
    """The same on a corpus's emails through intake (quoted history, signatures, files)."""
    ingest_corpus("cargoline")

    result, unreachable = dry_run_with_the_collector_off(words=["phd", "coffee", "master"])

    assert unreachable == 0
    assert result.checked > 80
    assert 0 < len(result.matches) < result.checked


def dry_run_with_the_collector_off(*, words: list[str]):
    """The dry run of a recruiter's rule (the body has any of `words`: network), and how many
    unreachable objects (cycles) it left for the collector."""
    proposed = TriageRule(
        title="Worth knowing",
        conditions=[{"on": "body", "test": "any", "words": words}],
        bucket="network",
    )
    snapshot, profile = rulebook.proposed_snapshot(proposed), profiles.load_profile()
    rulebook_reads.dry_run(snapshot=snapshot, profile=profile, limit=10)  # compiles once
    gc.collect()
    gc.disable()  # so that no collection runs between the dry run and the count below
    try:
        result = rulebook_reads.dry_run(
            snapshot=snapshot, profile=profile, rule_key=snapshot[-1]["key"]
        )
        return result, gc.collect()
    finally:
        gc.enable()


def test_the_rule_dry_run_runs_the_rules_with_the_collector_paused(profile, monkeypatch):
    stored_rows(3)
    seen, decide = [], rulebook_reads._decide

    def watched(*args):
        seen.append(gc.isenabled())
        return decide(*args)

    monkeypatch.setattr(rulebook_reads, "_decide", watched)
    snapshot = rulebook.proposed_snapshot(TriageRule.objects.get(key="known_contact"))
    rulebook_reads.dry_run(snapshot=snapshot, profile=profile)

    assert seen == [False] * 6  # both rule sets, three requests
    assert gc.isenabled()


def test_a_run_delivered_twice_runs_once(profile):
    """The worker claims a run with one conditional UPDATE (queued → running): a second
    delivery of the task, or one racing the first, matches nothing and does nothing."""
    stale()
    run = RetriageRun.objects.create(since=None, started_by=UserFactory())

    with CaptureQueriesContext(connection) as first:
        retriage.run_retriage(run.pk)
    done = RetriageRun.objects.get(pk=run.pk)
    stale()  # work a second run would find and move
    with CaptureQueriesContext(connection) as second:
        again = retriage.run_retriage(run.pk)

    claim = first.captured_queries[0]["sql"]
    assert claim.startswith("UPDATE") and "WHERE" in claim and "queued" in claim
    assert (done.status, done.result["moved"]) == ("done", 1)
    assert (again.status, again.result, again.finished_at) == (
        "done",
        done.result,
        done.finished_at,
    )
    assert [q["sql"].split()[0] for q in second.captured_queries] == ["UPDATE", "SELECT"]
    assert CandidateRequest.objects.filter(final_bucket="exceptional").count() == 1


def test_a_running_run_is_not_started_again(profile):
    stale()
    run = RetriageRun.objects.create(since=None, status=RetriageRun.Status.RUNNING)

    again = retriage.run_retriage(run.pk)

    assert (again.status, again.result) == ("running", {})
    assert CandidateRequest.objects.filter(final_bucket="exceptional").count() == 0


def test_it_brings_the_flags_up_to_date_and_clears_stale_ones(profile):
    offer = stale(body="I got an offer from another firm and must decide by Friday.")
    cleared = stale(
        body=PLAIN, flags={"urgent": {"text": "Urgent", "evidence": ["by Friday"], "action": ""}}
    )

    summary = retriage.retriage()

    offer.refresh_from_db()
    cleared.refresh_from_db()
    assert offer.flags["urgent"]["evidence"] == ["got an offer", "by Friday"]
    assert offer.flags["urgent"]["text"] == "Urgent: a competing offer with a deadline"
    assert cleared.flags == {}
    assert summary.changed == 2


def test_a_request_answering_our_reply_is_an_existing_relationship(profile):
    """Issue 13: a message in a thread where we already wrote to them (its In-Reply-To is
    one of our replies) is an existing relationship, for triage and the rules' dry run.
    (Re-triage leaves requests we replied to alone.)"""
    answered, other = stale(body=PLAIN), stale(body=PLAIN)
    for request in (answered, other):
        Reply.objects.create(
            request=request,
            to_email=request.candidate.email,
            subject="Re: Hello",
            body="Happy to talk.",
            message_id=f"<reply-{request.pk}@acme-orbital.example>",
        )
    Message.objects.create(
        request=answered,
        sender=answered.candidate.email,
        text=PLAIN,
        received_at=timezone.now(),
        message_id="<answer@mail.example>",
        in_reply_to=f"<reply-{answered.pk}@acme-orbital.example>",
    )

    book = rulebook.current_rulebook()
    verdict = verdicts.triage(answered, profile=profile, book=book)

    assert (verdict.bucket, verdict.rule) == ("network", "known_contact")
    assert verdict.reasons[0].text.startswith("Answers a message we sent them")
    assert verdicts.triage(other, profile=profile, book=book).bucket == "funnel"
    facts = verdicts.thread_facts([answered, other])
    assert (facts[answered.pk].we_wrote_before, facts[other.pk].we_wrote_before) == (True, False)


def test_a_request_re_triaged_out_of_network_later_takes_its_person_out_of_the_pool(profile):
    request = stale(suggested_bucket="network")  # the award now makes it exceptional
    person = request.candidate
    assert person.in_pool

    retriage.retriage()

    request.refresh_from_db()
    person.refresh_from_db()
    assert request.final_bucket != "network" and not person.in_pool
