"""Quarantine, machine mail and the block list: nothing is dropped, robots are never answered."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import CandidateRequestFactory
from tests.test_ingest import ingest
from tests.test_threading import raw, take_in
from triage import mail
from triage.models import BlockedSender, CandidateRequest, QuarantinedMessage

pytestmark = pytest.mark.django_db

BROKEN = b"Subject: who sent this?\n\nNo From header at all."


# --- Machine mail (pure parsing) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"Auto_Submitted": "auto-replied"}, "auto-submitted (auto-replied)"),
        ({"X_Auto_Response_Suppress": "All"}, "auto-reply (X-Auto-Response-Suppress)"),
        ({"List_Id": "Space jobs <jobs.lists.example>"}, "list mail (Space jobs"),
        ({"Precedence": "bulk"}, "precedence bulk"),
        ({"Precedence": "junk"}, "precedence junk"),
    ],
)
def test_it_recognises_machine_mail_by_its_headers(headers, reason):
    parsed = mail.parse_email(raw(**headers))

    assert parsed.machine_reason.startswith(reason)


def test_it_recognises_a_delivery_status_report():
    bounce = (
        b"From: MAILER-DAEMON@mx.example\nTo: rita@acme-orbital.example\n"
        b"Subject: Undelivered Mail\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n'
        b"--b\nContent-Type: text/plain\n\nYour message could not be delivered.\n"
        b"--b\nContent-Type: message/delivery-status\n\nStatus: 5.1.1\n--b--\n"
    )

    assert mail.parse_email(bounce).machine_reason == "delivery report (delivery-status)"


@pytest.mark.parametrize(
    "headers", [{"Auto_Submitted": "no"}, {"Precedence": "normal"}, {}], ids=["no", "normal", "-"]
)
def test_a_person_writing_is_not_machine_mail(headers):
    assert mail.parse_email(raw(**headers)).machine_reason == ""


# --- Set aside, never answered --------------------------------------------------------------


def test_it_sets_an_out_of_office_aside_with_its_reason_instead_of_a_request(profile):
    summary = take_in(raw(message_id="<ooo@mail.example>", Auto_Submitted="auto-replied"))

    assert summary.new == 0
    assert summary.set_aside == [("test#0", "machine mail: auto-submitted (auto-replied)")]
    assert not CandidateRequest.objects.exists()
    row = QuarantinedMessage.objects.get()
    assert row.kind == "machine"
    assert b"<ooo@mail.example>" in bytes(row.raw)


def test_an_auto_reply_to_our_reply_does_not_reopen_the_request(profile):
    take_in(raw(message_id="<one@mail.example>"))
    CandidateRequest.objects.update(status="replied")

    take_in(
        raw(
            message_id="<ooo@mail.example>",
            In_Reply_To="<one@mail.example>",
            X_Auto_Response_Suppress="All",
        )
    )

    request = CandidateRequest.objects.get()
    assert request.status == "replied"
    assert request.messages.count() == 1


@pytest.mark.parametrize("pattern", ["sam@mail.example", "*@mail.example"])
def test_it_sets_a_blocked_sender_aside(profile, pattern):
    BlockedSender.objects.create(pattern=pattern)

    summary = take_in(raw(message_id="<one@mail.example>"))

    assert summary.set_aside == [("test#0", f"blocked sender ({pattern})")]
    assert QuarantinedMessage.objects.get().kind == "blocked"
    assert not CandidateRequest.objects.exists()


def test_the_block_list_does_not_catch_a_neighbouring_domain(profile):
    BlockedSender.objects.create(pattern="*@mail.example")

    summary = take_in(raw(sender="kim@gmail.example", message_id="<one@mail.example>"))

    assert summary.new == 1


@pytest.mark.parametrize("pattern", ["mail.example", "a*@mail.example", "a@b@c"])
def test_the_block_list_refuses_a_pattern_it_cannot_use(pattern):
    with pytest.raises(ValidationError):
        BlockedSender(pattern=pattern).full_clean()


def test_the_block_list_stores_patterns_in_lower_case():
    sender = BlockedSender(pattern=" *@Spam.Example ")
    sender.full_clean()
    assert sender.pattern == "*@spam.example"


# --- Quarantine -----------------------------------------------------------------------------


def test_it_keeps_an_unreadable_message_with_its_error(profile):
    summary = take_in(BROKEN, raw(message_id="<good@mail.example>"))

    assert summary.new == 1
    assert summary.quarantined == [("test#0", "no sender address in the From header")]
    row = QuarantinedMessage.objects.get()
    assert (row.kind, row.source, bytes(row.raw)) == ("failed", "test#0", BROKEN)
    assert row.resolved_at is None


def test_it_keeps_a_message_that_fails_to_store_and_goes_on(profile):
    # A request stored without its message (as by an older version): the insert breaks a
    # unique constraint, and the message waits in quarantine instead of stopping the import.
    CandidateRequestFactory(message_id="<clash@mail.example>")

    summary = take_in(raw(message_id="<clash@mail.example>"), raw(message_id="<good@x.example>"))

    assert summary.new == 1
    assert summary.quarantined[0][1].startswith("could not store the message")
    assert QuarantinedMessage.objects.get().kind == "failed"


def test_the_json_summary_counts_every_outcome(profile, tmp_path):
    (tmp_path / "a.eml").write_bytes(raw(message_id="<one@mail.example>"))
    (tmp_path / "b.eml").write_bytes(
        raw(message_id="<two@mail.example>", In_Reply_To="<one@mail.example>")
    )
    (tmp_path / "c.eml").write_bytes(BROKEN)
    (tmp_path / "d.eml").write_bytes(raw(message_id="<3@mail.example>", Precedence="list"))

    out, _ = ingest(tmp_path, as_json=True)

    summary = json.loads(out)
    assert (summary["new"], summary["duplicates"], summary["threaded"]) == (1, 0, 1)
    assert summary["quarantined"] == [
        {"source": str(tmp_path / "c.eml"), "reason": "no sender address in the From header"}
    ]
    assert summary["set_aside"] == [
        {"source": str(tmp_path / "d.eml"), "reason": "machine mail: precedence list"}
    ]


def test_retry_quarantine_takes_in_what_now_goes_through(profile):
    BlockedSender.objects.create(pattern="sam@mail.example")
    take_in(raw(message_id="<one@mail.example>"), BROKEN)
    BlockedSender.objects.all().delete()  # the team changed its mind

    out = __import__("io").StringIO()
    call_command("ingest", "--retry-quarantine", stdout=out, stderr=out)

    assert out.getvalue().splitlines()[0] == (
        "1 new (1 funnel), 0 duplicates, 0 threaded, 0 set aside, 1 quarantined"
    )
    assert CandidateRequest.objects.get().message_id == "<one@mail.example>"
    assert list(
        QuarantinedMessage.objects.filter(resolved_at=None).values_list("kind", flat=True)
    ) == ["failed"]
    assert QuarantinedMessage.objects.exclude(resolved_at=None).count() == 1


# --- The page -------------------------------------------------------------------------------


def test_the_quarantine_page_requires_login(client):
    response = client.get(reverse("triage:quarantine"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_quarantine_page_lists_failed_messages_with_their_error(recruiter_client, profile):
    take_in(BROKEN, raw(message_id="<ooo@mail.example>", Auto_Submitted="auto-replied"))

    html = recruiter_client.get(reverse("triage:quarantine")).content.decode()
    machine = recruiter_client.get(reverse("triage:quarantine") + "?kind=machine")

    assert "no sender address in the From header" in html
    assert "auto-submitted" not in html
    assert "machine mail: auto-submitted (auto-replied)" in machine.content.decode()


@pytest.mark.parametrize("rows", [30, 70])
def test_the_quarantine_page_counts_and_pages_what_is_still_kept_in_flat_queries(
    recruiter_client, django_assert_max_num_queries, rows
):
    QuarantinedMessage.objects.bulk_create(
        QuarantinedMessage(
            kind=("machine", "blocked")[n % 2],
            raw=b"x",
            raw_sha256=f"{n:064x}",
            source=f"kept/{n:02d}.eml",
            error="Machine mail",
        )
        for n in range(rows)
    )
    QuarantinedMessage.objects.filter(source="kept/00.eml").update(resolved_at=timezone.now())
    url = reverse("triage:quarantine") + "?kind=machine"

    seen = []
    while url:
        # The session, the user, the counts, the rows, the bell.
        with django_assert_max_num_queries(5):
            response = recruiter_client.get(url)
        page = response.context["page"]
        seen += [row.source for row in page]
        url = (
            reverse("triage:quarantine") + f"?kind=machine&page={page.next_page_number()}"
            if page.has_next()
            else ""
        )

    machine = [f"kept/{n:02d}.eml" for n in range(2, rows, 2)]  # 00 is resolved
    assert seen == machine[::-1]  # newest first, resolved ones left out
    html = response.content.decode()
    assert f'data-count="machine">{len(machine)}<' in html
    assert f'data-count="blocked">{rows // 2}<' in html
    assert 'data-count="failed">0<' in html
    assert (f"of {len(machine)}</span>" in html) == (len(machine) > 25)  # more than a page


def test_process_again_takes_the_message_in_after_a_fix(recruiter_client, profile):
    BlockedSender.objects.create(pattern="*@mail.example")
    take_in(raw(message_id="<one@mail.example>"))
    row = QuarantinedMessage.objects.get()
    BlockedSender.objects.all().delete()

    response = recruiter_client.post(
        reverse("triage:retry-quarantined", args=[row.pk]), follow=True
    )

    assert "Processed again: the message is in the inbox." in response.content.decode()
    assert CandidateRequest.objects.count() == 1
    row.refresh_from_db()
    assert row.resolved_at is not None
    page = recruiter_client.get(reverse("triage:quarantine") + "?kind=blocked").content.decode()
    assert "Nothing kept aside here." in page


def test_process_again_says_why_a_message_is_still_kept(recruiter_client, profile):
    take_in(BROKEN)
    row = QuarantinedMessage.objects.get()

    response = recruiter_client.post(
        reverse("triage:retry-quarantined", args=[row.pk]), follow=True
    )

    assert "Still kept aside: no sender address in the From header" in response.content.decode()
    assert QuarantinedMessage.objects.get().resolved_at is None


def test_process_again_refuses_get(recruiter_client, profile):
    take_in(BROKEN)
    row = QuarantinedMessage.objects.get()

    assert (
        recruiter_client.get(reverse("triage:retry-quarantined", args=[row.pk])).status_code == 405
    )
