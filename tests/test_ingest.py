"""The `ingest` command end to end: files on disk in, triaged requests in the database."""

import json
import mailbox
import shutil
from email.message import EmailMessage
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from triage.models import Candidate, CandidateRequest

DATA = Path(__file__).parent / "data"
# The sample files at the top of tests/data (tests/data/truth is the intake corpus, whose
# outcomes test_intake_truth asserts).
SAMPLES = sorted(DATA.glob("*.eml"))

pytestmark = pytest.mark.django_db


def ingest(*paths, as_json: bool = False) -> tuple[str, str]:
    """Run the command; (stdout, stderr)."""
    out, err = StringIO(), StringIO()
    args = [str(p) for p in paths] + (["--json"] if as_json else [])
    call_command("ingest", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def message(
    *,
    sender: str = "Sam Sender <sam@mail.example>",
    subject: str = "Hello",
    body: str = "I would like a job.",
    message_id: str | None = None,
    **headers: str,
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "Rita Recruiter <rita@acme-orbital.example>"
    msg["Subject"] = subject
    msg["Date"] = "Mon, 03 Mar 2025 09:15:00 +0000"
    if message_id:
        msg["Message-ID"] = message_id
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return msg


def write_eml(path: Path, msg: EmailMessage) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(msg.as_bytes())
    return path


@pytest.fixture
def data_copy(tmp_path):
    """The sample files in a folder of their own, so a test may add to them."""
    return Path(shutil.copytree(DATA, tmp_path / "data", ignore=shutil.ignore_patterns("truth")))


# --- The sample folder -------------------------------------------------------------------


def test_it_stores_and_triages_the_good_sample_files(profile):
    out, _ = ingest(*SAMPLES)

    assert (
        out.strip()
        == "3 new (1 funnel, 2 network), 0 duplicates, 0 threaded, 0 set aside, 1 quarantined"
    )
    requests = {r.candidate.email: r for r in CandidateRequest.objects.select_related("candidate")}
    assert set(requests) == {
        "dana.plainfield@mail.example",
        "rene@rene.example",
        "zoe.lamarck@lamarck.example",
    }

    dana = requests["dana.plainfield@mail.example"]
    assert dana.candidate.name == "Dana Plainfield"
    assert dana.message_id == "<plain-2025-03-03@mail.example>"
    assert dana.subject == "Flight Software Engineer - any openings?"
    assert dana.received_at.isoformat() == "2025-03-03T14:15:00+00:00"
    assert dana.recipients_to == [["Rita Recruiter", "rita@acme-orbital.example"]]
    # Dana answers a message the recruiter wrote ("On ..., Rita Recruiter <...> wrote:"):
    # an existing relationship (issue 13), whatever she asks for.
    assert dana.suggested_bucket == dana.final_bucket == "network"
    assert dana.suggested_rule == "known_contact"
    assert dana.reasons[0]["text"].startswith("Replies in a thread the recruiter wrote in: On ")
    assert "Rita Recruiter <rita@acme-orbital.example> wrote:" in dana.reasons[0]["text"]
    # The quoted history below "On ... wrote:" is kept in the body but not triaged.
    assert "radiation-hardened design" in dana.body
    assert not any("radiation-hardened" in r["text"] for r in dana.reasons)

    rene = requests["rene@rene.example"]
    assert rene.candidate.name == "Rene Dubois"
    assert rene.suggested_bucket == "network"
    assert rene.suggested_rule == "relevant_skills_no_job_ask"
    assert "I\u2019m Ren\u00e9, a flight software engineer" in rene.body
    assert "<p>" not in rene.body
    assert any(r["text"].startswith("Not asking for a job now") for r in rene.reasons)

    zoe = requests["zoe.lamarck@lamarck.example"]
    assert zoe.candidate.name == "Zoë Lamarck"
    assert zoe.subject == "Question about the Data Analyst role \u2013 Zoë"
    assert zoe.suggested_bucket == "funnel"
    assert "skip the online application" in zoe.evidence


def test_it_reports_the_malformed_file_by_name_and_reason_and_goes_on(profile):
    _, err = ingest(*SAMPLES)

    failures = [line.strip() for line in err.splitlines() if line.strip()]
    assert failures == [
        f"quarantined: {DATA / 'no-from.eml'}: no sender address in the From header"
    ]
    assert not CandidateRequest.objects.filter(subject="Please look at my resume").exists()
    assert CandidateRequest.objects.count() == 3


def test_it_reports_duplicates_and_adds_nothing_when_run_twice(profile):
    ingest(DATA / "plain.eml", DATA / "html-cp1252.eml")
    before = list(CandidateRequest.objects.values_list("pk", "message_id", "final_bucket"))

    out, _ = ingest(DATA / "plain.eml", DATA / "html-cp1252.eml")

    assert out.strip() == "0 new (none), 2 duplicates, 0 threaded, 0 set aside, 0 quarantined"
    assert list(CandidateRequest.objects.values_list("pk", "message_id", "final_bucket")) == before
    assert Candidate.objects.count() == 2


def test_it_adds_nothing_when_the_sample_folder_is_ingested_twice(profile):
    ingest(*SAMPLES)

    out, _ = ingest(*SAMPLES)

    # The unreadable file is in quarantine already: left there as it is, not parsed again.
    assert out.strip() == (
        "0 new (none), 4 duplicates (1 already kept aside), 0 threaded, 0 set aside, 0 quarantined"
    )
    assert CandidateRequest.objects.count() == 3


def test_it_counts_a_repeated_message_id_in_one_run_as_a_duplicate(profile, data_copy):
    shutil.copy(data_copy / "plain.eml", data_copy / "plain-again.eml")

    out, _ = ingest(data_copy)

    assert (
        out.strip()
        == "3 new (1 funnel, 2 network), 1 duplicates, 0 threaded, 0 set aside, 1 quarantined"
    )
    assert (
        CandidateRequest.objects.filter(message_id="<plain-2025-03-03@mail.example>").count() == 1
    )


def test_it_prints_a_json_summary(profile):
    out, err = ingest(*SAMPLES, as_json=True)

    summary = json.loads(out)
    assert summary["new"] == 3
    assert summary["duplicates"] == 0
    assert summary["quarantined"] == [
        {"source": str(DATA / "no-from.eml"), "reason": "no sender address in the From header"}
    ]
    assert summary["buckets"] == {"funnel": 1, "network": 2}
    assert err == ""


def test_it_prints_duplicates_in_the_json_summary_of_a_second_run(profile):
    ingest(DATA / "plain.eml")

    summary = json.loads(ingest(DATA / "plain.eml", as_json=True)[0])

    assert summary == {
        "new": 0,
        "duplicates": 1,
        "threaded": 0,
        "set_aside": [],
        "quarantined": [],
        "buckets": {},
        "not_mail": [],
        "shared_ids": [],
        "already_kept_aside": 0,
        "bounced_replies": [],
    }


# --- Other sources -----------------------------------------------------------------------


def test_it_ingests_every_message_of_an_mbox_file(profile, tmp_path):
    path = tmp_path / "inbox.mbox"
    box = mailbox.mbox(path)
    for n in (1, 2, 3):
        box.add(
            message(
                sender=f"Mbox Person{n} <Person{n}@Mbox.Example>",
                subject=f"Mbox message {n}",
                message_id=f"<mbox-{n}@mbox.example>",
            )
        )
    box.close()

    out, _ = ingest(path)

    assert out.strip() == "3 new (3 funnel), 0 duplicates, 0 threaded, 0 set aside, 0 quarantined"
    assert sorted(CandidateRequest.objects.values_list("subject", "candidate__email")) == [
        ("Mbox message 1", "person1@mbox.example"),
        ("Mbox message 2", "person2@mbox.example"),
        ("Mbox message 3", "person3@mbox.example"),
    ]


def test_it_labels_a_bad_mbox_message_by_file_and_position(profile, tmp_path):
    path = tmp_path / "inbox.mbox"
    box = mailbox.mbox(path)
    box.add(message(message_id="<good@mbox.example>"))
    box.add(b"Subject: no sender in here\n\nbody\n")
    box.close()

    out, err = ingest(path)

    assert out.strip() == "1 new (1 funnel), 0 duplicates, 0 threaded, 0 set aside, 1 quarantined"
    assert f"quarantined: {path}#2: no sender address in the From header" in err


def test_it_ingests_a_maildir(profile, tmp_path):
    box = mailbox.Maildir(tmp_path / "Maildir", create=True)
    box.add(message(sender="Md One <One@Maildir.Example>", message_id="<md-1@maildir.example>"))
    box.add(message(sender="Md Two <two@maildir.example>", message_id="<md-2@maildir.example>"))
    box.close()

    out, _ = ingest(tmp_path / "Maildir")

    assert out.strip() == "2 new (2 funnel), 0 duplicates, 0 threaded, 0 set aside, 0 quarantined"
    assert set(Candidate.objects.values_list("email", "name")) == {
        ("one@maildir.example", "Md One"),
        ("two@maildir.example", "Md Two"),
    }


def test_it_reports_a_missing_path_as_failed_and_still_ingests_the_rest(profile, tmp_path):
    missing = tmp_path / "nowhere.eml"

    out, err = ingest(missing, DATA / "plain.eml")

    assert out.strip() == "1 new (1 network), 0 duplicates, 0 threaded, 0 set aside, 1 quarantined"
    assert f"quarantined: {missing}" in err
    assert "no such file or folder" in err
    assert CandidateRequest.objects.get().candidate.email == "dana.plainfield@mail.example"


def test_it_reports_an_empty_file_as_not_mail(profile, tmp_path):
    (tmp_path / "empty.eml").write_bytes(b"")

    out, err = ingest(tmp_path)

    assert out.strip() == (
        "0 new (none), 0 duplicates, 0 threaded, 0 set aside, 0 quarantined, 1 not mail"
    )
    assert f"not mail: the file is empty: {tmp_path / 'empty.eml'}" in err


# --- Triage on intake --------------------------------------------------------------------


def test_it_puts_a_message_with_an_employee_in_cc_in_network(profile, tmp_path):
    write_eml(
        tmp_path / "intro.eml",
        message(
            sender="Ines Intro <ines@mail.example>",
            subject="Introduction",
            body="Priya suggested I write to you about your Data Analyst opening.",
            message_id="<intro@mail.example>",
            Cc="Priya Insider <Priya@Acme-Orbital.EXAMPLE>",
        ),
    )

    out, _ = ingest(tmp_path / "intro.eml")

    assert out.strip() == "1 new (1 network), 0 duplicates, 0 threaded, 0 set aside, 0 quarantined"
    request = CandidateRequest.objects.get()
    assert request.suggested_bucket == request.final_bucket == "network"
    assert request.suggested_rule == "employee_introduction"
    assert request.recipients_cc == [["Priya Insider", "priya@acme-orbital.example"]]
    assert "priya@acme-orbital.example" in request.evidence
    assert "Priya Insider <priya@acme-orbital.example>" in request.reasons[0]["text"]


def test_it_does_not_count_a_shared_company_inbox_in_cc_as_an_introduction(profile, tmp_path):
    write_eml(
        tmp_path / "jobs.eml",
        message(message_id="<cc-jobs@mail.example>", Cc="jobs@acme-orbital.example"),
    )

    ingest(tmp_path / "jobs.eml")

    assert CandidateRequest.objects.get().suggested_bucket == "funnel"


def test_it_puts_a_message_from_the_notable_person_in_exceptional(profile, tmp_path):
    write_eml(
        tmp_path / "vera.eml",
        message(
            sender="V. Stellar <Vera@Stellar.Example>",
            subject="Could we talk?",
            body="Any openings for me? Happy to set up a quick call.",
            message_id="<vera@stellar.example>",
        ),
    )

    out, _ = ingest(tmp_path / "vera.eml")

    assert (
        out.strip() == "1 new (1 exceptional), 0 duplicates, 0 threaded, 0 set aside, 0 quarantined"
    )
    request = CandidateRequest.objects.get()
    assert request.suggested_bucket == request.final_bucket == "exceptional"
    assert request.suggested_rule == "notable_person"
    assert request.candidate.email == "vera@stellar.example"
    assert request.reasons[0]["text"] == "Sender is on the notable-people list: Vera Stellar"
    assert request.evidence == ["vera@stellar.example"]


def test_it_reuses_the_candidate_for_a_second_message_from_the_same_address(profile, tmp_path):
    write_eml(tmp_path / "1.eml", message(sender="Sam <SAM@mail.example>", message_id="<s1@x>"))
    write_eml(tmp_path / "2.eml", message(sender="sam@Mail.Example", message_id="<s2@x>"))

    ingest(tmp_path)

    candidate = Candidate.objects.get()
    assert candidate.email == "sam@mail.example"
    assert candidate.name == "Sam"
    # The second note from the same person joins their open conversation (test_follow_ups).
    assert candidate.requests.get().messages.count() == 2


# --- Without a profile -------------------------------------------------------------------


def test_it_refuses_to_run_without_a_profile_and_says_to_import_one():
    with pytest.raises(CommandError, match="import_profile"):
        ingest(*SAMPLES)

    assert not CandidateRequest.objects.exists()


def test_it_stores_a_message_whose_date_has_no_zone_as_utc(profile, tmp_path):
    msg = message(message_id="<zoneless@mail.example>")
    msg.replace_header("Date", "Mon, 03 Mar 2025 09:15:00 -0000")
    write_eml(tmp_path / "zoneless.eml", msg)

    out, _ = ingest(tmp_path)

    assert out.strip() == "1 new (1 funnel), 0 duplicates, 0 threaded, 0 set aside, 0 quarantined"
    assert CandidateRequest.objects.get().received_at.isoformat() == "2025-03-03T09:15:00+00:00"


def test_intake_flags_what_is_not_a_candidates_request(profile, tmp_path):
    path = write_eml(
        tmp_path / "press.eml",
        message(
            subject="Press inquiry: hiring in orbit",
            body="I'm a reporter at Space Weekly. Could I interview you for 15 minutes?",
        ),
    )

    ingest(path)

    request = CandidateRequest.objects.get()
    assert request.flags == {
        "not-candidate": {
            "text": "Not a candidate's request: a press request",
            "evidence": ["Press inquiry", "I'm a reporter", "interview you"],
            "action": "Forward it to your press or communications contact.",
            "topic": "press",
        }
    }
