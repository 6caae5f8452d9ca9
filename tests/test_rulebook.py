"""The saved rule set: versions and history, triage with the rule set in force (and its
actions), the dry run, the figures, and a catastrophic pattern on every intake path."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import (
    CandidateFactory,
    CandidateRequestFactory,
    ReplyTemplateFactory,
    UserFactory,
)
from triage import rules
from triage.models import CandidateRequest, RuleSetVersion, TriageRule
from triage.selectors import rulebook as rulebook_reads
from triage.services import bulk, intake, outbox, review, rulebook, verdicts

pytestmark = pytest.mark.django_db

BUILTIN_KEYS = [r.name for r in rules.RULES if not r.fallback]


def custom_rule(*, title="Academics", conditions=None, bucket="network", **fields) -> TriageRule:
    conditions = conditions or [{"on": "body", "test": "any", "words": ["phd"]}]
    return TriageRule(title=title, conditions=conditions, bucket=bucket, **fields)


def new_request(profile, body, *, email="ana@mail.example", subject="Hello"):
    return intake.create_request(
        sender=rules.Address(name="Ana", email=email),
        subject=subject,
        body=body,
        received_at=timezone.now(),
        profile=profile,
    )


def test_the_migration_lists_the_built_in_rules_as_version_one():
    assert list(TriageRule.objects.values_list("key", flat=True)) == BUILTIN_KEYS
    assert TriageRule.objects.filter(builtin=True, enabled=True).count() == len(BUILTIN_KEYS)
    version = RuleSetVersion.objects.get()
    assert [item["key"] for item in version.snapshot] == BUILTIN_KEYS


def test_saving_a_rule_records_a_version_with_who_and_the_before_and_after(recruiter):
    row = custom_rule()
    added = rulebook.save_rule(row=row, by=recruiter)
    assert row.key == "academics" and row.position == len(BUILTIN_KEYS)
    assert added.created_by == recruiter and added.before is None
    assert added.after["conditions"] == [{"on": "body", "test": "any", "words": ["phd"]}]
    assert added.snapshot[-1]["key"] == "academics"

    row.conditions = [{"on": "body", "test": "any", "words": ["phd", "postdoc"]}]
    row.title = "Researchers"
    edited = rulebook.save_rule(row=row, by=recruiter)
    assert row.key == "academics"  # the key stays: requests recorded it
    assert edited.pk > added.pk
    changed = {name: (before, after) for name, before, after in rulebook.changes(edited)}
    assert changed["Title"] == ("Academics", "Researchers")
    assert changed["Conditions"] == (
        'Message contains any of "phd"',
        'Message contains any of "phd", "postdoc"',
    )
    assert [v.change for v in rulebook.rule_history(row)] == [
        "Edited “Researchers”",
        "Added “Academics”",
    ]


def test_a_second_rule_with_the_same_title_gets_its_own_key(recruiter):
    first, second = custom_rule(), custom_rule()
    rulebook.save_rule(row=first, by=recruiter)
    rulebook.save_rule(row=second, by=recruiter)
    assert (first.key, second.key) == ("academics", "academics_2")


def test_moving_and_switching_are_versions_too(recruiter):
    known = TriageRule.objects.get(key="known_contact")
    moved = rulebook.move_rule(row=known, up=True, by=recruiter)
    assert moved.change == "Moved “Known contact” up to #3"
    assert (moved.before["position"], moved.after["position"]) == (4, 3)
    assert [i["key"] for i in moved.snapshot][2:4] == ["known_contact", "employee_introduction"]
    top = TriageRule.objects.get(key="notable_person")
    assert rulebook.move_rule(row=top, up=True, by=recruiter) is None

    switched = rulebook.set_enabled(row=known, enabled=False, by=recruiter)
    assert switched.change == "Switched off “Known contact”"
    assert rulebook.changes(switched) == [("On", "on", "off")]


def test_triage_runs_the_rule_set_in_force_and_records_its_version(profile, recruiter):
    before = new_request(profile, "I finished my PhD.")
    assert before.suggested_rule == "funnel_default"
    assert before.rule_set_version_id == RuleSetVersion.objects.get().pk

    version = rulebook.save_rule(row=custom_rule(), by=recruiter)
    after = new_request(profile, "I finished my PhD.", email="bo@mail.example")
    assert after.suggested_rule == "academics" and after.final_bucket == "network"
    assert after.rule_set_version_id == version.pk
    assert after.reasons == [
        {"text": 'Message contains any of "phd": found "PhD"', "evidence": ["PhD"]}
    ]

    rulebook.set_enabled(row=TriageRule.objects.get(key="academics"), enabled=False, by=None)
    assert new_request(profile, "PhD.", email="cy@mail.example").suggested_rule == (
        "funnel_default"
    )


def test_a_rule_s_action_suggests_its_template_and_assigns(profile, recruiter):
    template = ReplyTemplateFactory(name="Research chat", bucket="network")
    manager = UserFactory(username="hm")
    rulebook.save_rule(row=custom_rule(template=template, assignee=manager), by=recruiter)

    request = new_request(profile, "I finished my PhD.")
    request.refresh_from_db()
    assert request.suggested_template == template
    assert request.assigned_to == manager and request.assigned_at is not None
    assert outbox.default_template("network", request=request) == template

    # Once a recruiter moves it, the rule's template no longer fits: the bucket's default.
    review.override_bucket(request=request, bucket="exceptional", by=recruiter)
    fallback = outbox.default_template("exceptional", request=request)
    assert fallback == outbox.default_template("exceptional") and fallback != template


def test_a_rule_does_not_take_a_request_from_someone_it_is_assigned_to(profile, recruiter):
    manager, other = UserFactory(username="hm"), UserFactory(username="other")
    rulebook.save_rule(row=custom_rule(assignee=manager), by=recruiter)
    book = rulebook.current_rulebook()
    request = CandidateRequestFactory(body="PhD", assigned_to=other)
    verdicts.triage(request, profile=profile, book=book)
    assert request.assigned_to == other and request.suggested_rule == "academics"


def test_the_compiled_rule_set_is_rebuilt_when_the_version_changes(recruiter):
    first = rulebook.current_rulebook()
    assert rulebook.current_rulebook() is first  # cached
    rulebook.save_rule(row=custom_rule(), by=recruiter)
    second = rulebook.current_rulebook()
    assert second is not first
    assert "academics" in [r.name for r in second.rule_set.rules]


def test_one_query_checks_the_version_when_it_is_cached(django_assert_num_queries):
    rulebook.current_rulebook()
    with django_assert_num_queries(1):
        rulebook.current_rulebook()


def test_an_emptied_table_falls_back_to_the_code_and_is_listed_again():
    RuleSetVersion.objects.all().delete()
    TriageRule.objects.all().delete()
    assert rulebook.current_rulebook().version is None
    rulebook.sync_builtin_rules()
    assert list(TriageRule.objects.values_list("key", flat=True)) == BUILTIN_KEYS
    assert RuleSetVersion.objects.count() == 1


# --- Overrides -------------------------------------------------------------------------------


def test_an_override_records_an_optional_reason(recruiter):
    request = CandidateRequestFactory()
    review.override_bucket(
        request=request, bucket="network", by=recruiter, reason="  Referred by our CTO "
    )
    request.refresh_from_db()
    assert request.override_reason == "Referred by our CTO"
    assert request.final_bucket_set_by == recruiter


# --- The dry run -----------------------------------------------------------------------------


def test_the_dry_run_counts_what_a_change_would_move_without_saving(profile, recruiter):
    moved_1 = new_request(profile, "I finished my PhD.", email="a@mail.example")
    new_request(profile, "I write Rust.", email="b@mail.example")
    moved_2 = new_request(profile, "Two PhDs? no, one PHD.", email="c@mail.example")
    # A known contact stays in network either way: no move.
    new_request(profile, "My PhD is done.", email="omar@known.example")
    versions = RuleSetVersion.objects.count()

    result = rulebook_reads.dry_run(
        snapshot=rulebook.proposed_snapshot(custom_rule()), profile=profile
    )
    assert (result.checked, result.moved) == (4, 2)
    assert {m.request.pk for m in result.moves} == {moved_1.pk, moved_2.pk}
    move = result.moves[0]
    assert (move.old_bucket, move.new_bucket) == ("funnel", "network")
    assert (move.old_rule, move.new_rule) == ("Everyone else", "Academics")
    assert move.reasons[0].evidence in (("PhD",), ("PHD",))
    assert RuleSetVersion.objects.count() == versions  # nothing saved
    assert not TriageRule.objects.filter(builtin=False).exists()


def test_the_dry_run_looks_at_the_last_n_requests_only(profile):
    for n in range(5):
        new_request(profile, "PhD", email=f"p{n}@mail.example")
    result = rulebook_reads.dry_run(
        snapshot=rulebook.proposed_snapshot(custom_rule()), profile=profile, limit=3
    )
    assert (result.checked, result.moved) == (3, 3)


def test_the_dry_run_of_switching_off_a_built_in(profile):
    new_request(profile, "hello", email="omar@known.example")
    known = TriageRule.objects.get(key="known_contact")
    known.enabled = False
    result = rulebook_reads.dry_run(snapshot=rulebook.proposed_snapshot(known), profile=profile)
    assert result.moved == 1 and result.moves[0].new_bucket == "funnel"


# --- Figures ---------------------------------------------------------------------------------


def test_fire_counts_and_precision_per_rule():
    now = timezone.now()
    for days, final in [(1, "network"), (10, "network"), (40, "funnel"), (100, "network")]:
        CandidateRequestFactory(
            suggested_rule="known_contact",
            suggested_bucket="network",
            final_bucket=final,
            received_at=now - timedelta(days=days),
        )
    CandidateRequestFactory(suggested_rule="funnel_default", received_at=now)
    stats = rulebook.rule_stats(now=now)
    known = stats["known_contact"]
    assert (known.last_30, known.last_90, known.overridden) == (2, 3, 1)
    assert known.precision == pytest.approx(2 / 3)
    assert stats["funnel_default"].precision == 1
    assert "notable_person" not in stats


def test_the_kept_figures_are_the_computed_ones_as_of_when_they_were_kept():
    now = timezone.now()
    rules_and_buckets = [
        ("known_contact", "network"),
        ("notable_person", "exceptional"),
        ("funnel_default", "funnel"),
    ]
    for n, days in enumerate([0, 1, 29, 30, 31, 60, 89, 90, 91, 120]):
        for rule, bucket in rules_and_buckets[: 1 + n % 3]:
            CandidateRequestFactory(
                suggested_rule=rule,
                suggested_bucket=bucket,
                final_bucket=bucket if n % 4 else "network" if bucket != "network" else "funnel",
                received_at=now - timedelta(days=days, seconds=n),
            )
    assert rulebook.stored_rule_stats() == (rulebook.rule_stats(), None)  # none kept: live

    computed = rulebook.rule_stats(now=now)
    rulebook.store_rule_stats(now=now)
    CandidateRequestFactory(suggested_rule="known_contact", received_at=now)  # after: not in

    stats, as_of = rulebook.stored_rule_stats()
    assert as_of == now
    assert stats == computed and len(stats) == 3
    assert stats["known_contact"] != rulebook.rule_stats()["known_contact"]
    rulebook.store_rule_stats()
    assert rulebook.stored_rule_stats()[0] == rulebook.rule_stats()


# --- A catastrophic pattern hangs nothing ----------------------------------------------------

CATASTROPHIC = [{"on": "body", "test": "regex", "pattern": "(a+)+$"}]
LONG_BODY = "a" * 50_000 + "!"


def test_a_catastrophic_pattern_does_not_hang_a_request(profile, recruiter):
    rulebook.save_rule(row=custom_rule(conditions=CATASTROPHIC), by=recruiter)
    request = new_request(profile, LONG_BODY)
    assert request.suggested_rule == "funnel_default"
    matching = new_request(profile, "a" * 50_000, email="z@mail.example")
    assert matching.suggested_rule == "academics"


def test_a_catastrophic_pattern_does_not_hang_bulk_ingest(profile, recruiter):
    rulebook.save_rule(row=custom_rule(conditions=CATASTROPHIC), by=recruiter)
    version = RuleSetVersion.objects.order_by("-pk").first()
    raws = [
        (
            f"m{n}.eml",
            (
                f"From: Sender {n} <s{n}@mail.example>\r\nTo: rita@acme-orbital.example\r\n"
                f"Subject: Hello {n}\r\nMessage-ID: <bulk-{n}@mail.example>\r\n"
                "Date: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\n"
                + ("a" * 20_000 + ("!" if n % 2 else ""))
                + "\r\n"
            ).encode(),
        )
        for n in range(6)
    ]
    summary = intake.ingest_sources(raws, jobs=1)
    assert summary.new == 6
    decided = CandidateRequest.objects.filter(message_id__startswith="<bulk-")
    assert (
        sorted(decided.values_list("suggested_rule", flat=True))
        == ["academics"] * 3 + ["funnel_default"] * 3
    )
    assert set(decided.values_list("rule_set_version", flat=True)) == {version.pk}


def test_an_answered_thread_is_triaged_again_with_the_version(profile, recruiter):
    request = new_request(profile, "Hello there.")
    version = rulebook.save_rule(row=custom_rule(), by=recruiter)
    candidate = CandidateFactory(email="someone@mail.example")
    assert candidate.pk  # unrelated candidates do not disturb threading
    raw = (
        "From: Ana <ana@mail.example>\r\nSubject: Re: Hello\r\nMessage-ID: <f1@mail.example>\r\n"
        f"Date: {timezone.now():%a, %d %b %Y %H:%M:%S +0000}\r\n\r\nForgot: I have a PhD.\r\n"
    ).encode()
    intake.ingest_sources([("f.eml", raw)], jobs=1)
    request.refresh_from_db()
    assert request.suggested_rule == "academics"
    assert request.rule_set_version_id == version.pk


def test_a_catastrophic_pattern_does_not_hang_the_dry_run(profile):
    new_request(profile, LONG_BODY)
    new_request(profile, "a" * 50_000, email="z@mail.example")
    proposed = custom_rule(conditions=CATASTROPHIC)
    result = rulebook_reads.dry_run(snapshot=rulebook.proposed_snapshot(proposed), profile=profile)
    assert (result.checked, result.moved) == (2, 1)


def test_bulk_replies_start_from_the_rule_s_template(profile, recruiter):
    template = ReplyTemplateFactory(name="Research chat", bucket="network")
    rulebook.save_rule(row=custom_rule(template=template), by=recruiter)
    by_rule = new_request(profile, "I finished my PhD.")
    by_contact = new_request(profile, "Hello again.", email="omar@known.example")
    plan = bulk.plan_bulk(
        CandidateRequest.objects.filter(pk__in=[by_rule.pk, by_contact.pk]),
        template=None,
        by=recruiter,
    )
    chosen = {p.request.pk: p.template for p in plan.ready}
    assert chosen[by_rule.pk] == template
    assert chosen[by_contact.pk] == outbox.default_template("network")


def test_history_names_the_template_and_assignee(recruiter):
    template = ReplyTemplateFactory(name="Research chat", bucket="network")
    row = TriageRule.objects.get(key="known_contact")
    row.template, row.assignee = template, recruiter
    version = rulebook.save_rule(row=row, by=recruiter)
    assert rulebook.changes(version) == [
        ("Template", None, "Research chat"),
        ("Assignee", None, "Rita Recruiter"),
    ]


def follow_up(profile, request, text):
    """The candidate writes again in the thread of `request`."""
    raw = (
        f"From: {request.candidate.name} <{request.candidate.email}>\r\n"
        f"Subject: Re: {request.subject}\r\nMessage-ID: <f-{request.pk}@mail.example>\r\n"
        f"In-Reply-To: {request.message_id}\r\n"
        f"Date: {timezone.now():%a, %d %b %Y %H:%M:%S +0000}\r\n\r\n{text}\r\n"
    ).encode()
    assert intake.ingest_sources([(f"f{request.pk}.eml", raw)], jobs=1).threaded == 1


def test_the_dry_run_reads_the_whole_thread_as_triage_does(profile):
    request = new_request(profile, "Hello there.")
    follow_up(profile, request, "Forgot to say: I have a PhD.")

    result = rulebook_reads.dry_run(
        snapshot=rulebook.proposed_snapshot(custom_rule()), profile=profile
    )

    assert [move.request.pk for move in result.moves] == [request.pk]
    assert result.moves[0].reasons[0].evidence == ("PhD",)


def test_the_dry_run_of_a_request_stored_before_its_words_were_kept(profile):
    request = new_request(profile, "Hello there.")
    follow_up(profile, request, "Forgot to say: I have a PhD.")
    CandidateRequest.objects.filter(pk=request.pk).update(rules_text=None)

    result = rulebook_reads.dry_run(
        snapshot=rulebook.proposed_snapshot(custom_rule()), profile=profile
    )

    assert [move.request.pk for move in result.moves] == [request.pk]


@pytest.mark.parametrize("count", [10, 50])
def test_the_dry_run_costs_the_same_queries_for_10_requests_as_for_50(
    profile, count, django_assert_max_num_queries
):
    for n in range(count):
        request = new_request(profile, "Hello.", email=f"p{n}@mail.example")
        if n % 3 == 0:
            follow_up(profile, request, "I have a PhD, by the way.")
    CandidateRequest.objects.filter(pk__in=[request.pk]).update(rules_text=None)
    snapshot = rulebook.proposed_snapshot(custom_rule())

    # The rule set in force (version, snapshot) and the titles; the requests with their
    # candidates; their attachments; whether we wrote in their threads; the thread texts
    # of the one without kept words.
    with django_assert_max_num_queries(8):
        result = rulebook_reads.dry_run(snapshot=snapshot, profile=profile)

    assert (result.checked, result.moved) == (count, len(range(0, count, 3)))
