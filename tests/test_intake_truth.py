"""Real-world mail taken in truthfully: robots are never answered, no file is skipped in
silence, no text is garbled, big mail is bounded. The corpus in tests/data/truth is written
from the RFCs and the MTAs' documented formats; each file's outcome is asserted here."""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CandidateRequestFactory, UserFactory
from tests.test_threading import raw, take_in
from triage import mail
from triage.models import CandidateRequest, Message, QuarantinedMessage, Reply
from triage.services import intake

pytestmark = pytest.mark.django_db

TRUTH = Path(__file__).parent / "data" / "truth"


def ingest(path: Path) -> intake.IngestSummary:
    return intake.ingest_paths([path], jobs=1)


# --- Machine mail: set aside, never a request -------------------------------------------------

MACHINE = {
    # file: (the reason intake gives, the addresses a bounce says failed)
    "bounces/dsn-nested-in-forward.eml": (
        "delivery report (delivery-status)",
        ("ada.gone@example.net",),
    ),
    "bounces/qmail.eml": ("bounce or notice (null Return-Path)", ("lin.nobody@example.org",)),
    "bounces/exim.eml": ("auto-submitted (auto-replied)", ("omar.old@exim.example.com",)),
    "bounces/postfix.eml": ("delivery report (delivery-status)", ("kim.left@postfix.example",)),
    "bounces/exchange.eml": (
        "delivery report (delivery-status)",
        ("noor.moved@corp.exchange.example",),
    ),
    "bounces/gmail-plain.eml": (
        "mail system sender (Mail Delivery Subsystem <mailer-daemon@googlemail.com>)",
        ("priya.nothere@gmail.com",),
    ),
    "bounces/yahoo-plain.eml": (
        "mail system sender (MAILER-DAEMON@yahoo.com)",
        ("ravi.gone@yahoo.com",),
    ),
    "bounces/x-failed-recipients-only.eml": (
        "bounce (X-Failed-Recipients)",
        ("sam.gone@plain.example",),
    ),
    "bounces/null-return-path.eml": ("bounce or notice (null Return-Path)", ("jo@null.example",)),
    "bounces/mailer-daemon-without-domain.eml": (
        "mail system sender (<MAILER-DAEMON>)",
        ("zoe.away@example.com",),
    ),
    "bounces/postmaster-without-domain.eml": ("mail system sender (postmaster)", ()),
    "bounces/from-null.eml": ("mail system sender (<>)", ("anna.gone@example.org",)),
    "machine/arf-feedback-report.eml": ("delivery report (feedback-report)", ()),
    "machine/rfc3834-auto-submitted.eml": ("auto-submitted (auto-replied)", ()),
    "machine/auto-reply-subject.eml": ("auto-reply (subject 'Auto reply')", ()),
    "machine/mdn-read-receipt.eml": ("delivery report (disposition-notification)", ()),
    "machine/read-receipt-plain.eml": ("read receipt (subject 'Read:')", ()),
    "machine/sns-notification.eml": (
        "notification service (AWS Notifications <no-reply@sns.amazonaws.com>)",
        (),
    ),
}


@pytest.mark.parametrize(("name", "expected"), MACHINE.items(), ids=list(MACHINE))
def test_machine_mail_is_recognised_with_the_failed_addresses(name, expected):
    reason, failed = expected

    parsed = mail.parse_email((TRUTH / name).read_bytes())

    assert (parsed.machine_reason, parsed.bounced) == (reason, failed)


@pytest.mark.parametrize("name", MACHINE, ids=list(MACHINE))
def test_machine_mail_is_set_aside_and_never_becomes_a_request(profile, name):
    summary = ingest(TRUTH / name)

    assert (summary.new, summary.quarantined) == (0, [])
    assert summary.set_aside == [(str(TRUTH / name), f"machine mail: {MACHINE[name][0]}")]
    row = QuarantinedMessage.objects.get()
    assert (row.kind, row.raw) == (QuarantinedMessage.Kind.MACHINE, (TRUTH / name).read_bytes())
    assert not CandidateRequest.objects.exists()


def test_a_person_writing_about_a_bounce_is_not_machine_mail():
    text = raw(subject="Question", body="My mail to hr@old.example bounced; is this address ok?")

    assert mail.parse_email(text).machine_reason == ""


# --- A bounce for one of our replies marks it -------------------------------------------------


def sent_reply(*, to: str, message_id: str) -> Reply:
    request = CandidateRequestFactory()
    return Reply.objects.create(
        request=request,
        to_email=to,
        subject="Re: Coffee chat?",
        body="Thank you for writing.",
        status=Reply.Status.SENT,
        sent_at=timezone.now(),
        message_id=message_id,
        sent_by=UserFactory(),
    )


def test_a_bounce_quoting_our_reply_marks_that_reply_bounced(profile, recruiter_client):
    reply = sent_reply(to="ada.gone@example.net", message_id="<reply-ada-1@acme-orbital.example>")
    other = sent_reply(to="ada.gone@example.net", message_id="<reply-ada-0@acme-orbital.example>")

    summary = ingest(TRUTH / "bounces/dsn-nested-in-forward.eml")

    reply.refresh_from_db()
    other.refresh_from_db()
    assert (reply.status, reply.bounced_address) == ("bounced", "ada.gone@example.net")
    assert other.status == "sent"  # the report quotes the first one's Message-ID
    assert summary.bounced_replies == [
        (str(TRUTH / "bounces/dsn-nested-in-forward.eml"), "ada.gone@example.net")
    ]
    assert CandidateRequest.objects.count() == 2  # no new request
    page = recruiter_client.get(reverse("triage:request", args=[reply.request_id]))
    html = page.content.decode()
    assert "Bounced: ada.gone@example.net could not be reached" in html
    assert 'data-status="bounced"' in html
    kept = QuarantinedMessage.objects.get()
    assert f"our reply to ada.gone@example.net (request {reply.request_id}) bounced" in kept.error
    outbox = recruiter_client.get(reverse("triage:outbox") + "?kind=bounced").content.decode()
    assert "ada.gone@example.net could not be reached." in outbox


def test_a_plain_bounce_marks_the_last_reply_sent_to_the_failed_address(profile):
    reply = sent_reply(to="Priya.NotHere@gmail.com", message_id="<reply-priya@acme.example>")

    ingest(TRUTH / "bounces/gmail-plain.eml")

    reply.refresh_from_db()
    assert (reply.status, reply.bounced_address) == ("bounced", "priya.nothere@gmail.com")


def test_an_out_of_office_quoting_our_reply_does_not_mark_it_bounced(profile):
    reply = sent_reply(to="lin@vacation.example", message_id="<reply-lin-9@acme-orbital.example>")

    ingest(TRUTH / "machine/rfc3834-auto-submitted.eml")

    reply.refresh_from_db()
    assert reply.status == "sent"


def test_a_bounced_reply_no_longer_counts_as_the_answer(profile):
    reply = sent_reply(
        to="kim.left@postfix.example", message_id="<reply-kim-1@acme-orbital.example>"
    )

    ingest(TRUTH / "bounces/postfix.eml")

    reply.refresh_from_db()
    assert reply.status not in Reply.LIVE_STATUSES


# --- Process again is never a dead end --------------------------------------------------------


def test_machine_mail_a_person_wrote_can_be_taken_in_as_a_request(profile, recruiter_client):
    ingest(TRUTH / "machine/auto-reply-subject.eml")
    row = QuarantinedMessage.objects.get()
    page = recruiter_client.get(reverse("triage:quarantine") + "?kind=machine").content.decode()
    assert "Take in as a request" in page and "Dismiss" in page

    response = recruiter_client.post(
        reverse("triage:retry-quarantined", args=[row.pk]), {"action": "take_in"}, follow=True
    )

    assert "Processed again: the message is in the inbox." in response.content.decode()
    request = CandidateRequest.objects.get()
    assert request.candidate.email == "jurgen@away.example"
    row.refresh_from_db()
    assert row.resolved_at is not None


def test_a_bounce_without_a_sender_address_says_so_and_can_be_dismissed(profile, recruiter_client):
    ingest(TRUTH / "bounces/mailer-daemon-without-domain.eml")
    row = QuarantinedMessage.objects.get()
    assert row.kind == QuarantinedMessage.Kind.MACHINE  # not "unreadable"
    url = reverse("triage:retry-quarantined", args=[row.pk])

    taken = recruiter_client.post(url, {"action": "take_in"}, follow=True).content.decode()
    assert "Still kept aside: no sender address: there is no one to answer" in taken
    again = recruiter_client.post(url, {"action": "retry"}, follow=True).content.decode()
    assert "Still kept aside: machine mail: mail system sender" in again

    dismissed = recruiter_client.post(url, {"action": "dismiss"}, follow=True).content.decode()

    assert "Dismissed: it leaves this list." in dismissed
    row.refresh_from_db()
    assert row.resolved_at is not None
    assert not CandidateRequest.objects.exists()


def test_re_importing_keeps_a_resolved_quarantine_row_resolved(profile):
    ingest(TRUTH / "machine/sns-notification.eml")
    row = QuarantinedMessage.objects.get()
    intake.dismiss_quarantined([row.pk])

    summary = ingest(TRUTH / "machine/sns-notification.eml")
    intake.ingest_message(
        (TRUTH / "machine/sns-notification.eml").read_bytes(), source="webhook", channel="email"
    )

    assert (summary.duplicates, summary.already_kept_aside, summary.set_aside) == (1, 1, [])
    row.refresh_from_db()
    assert row.resolved_at is not None


# --- Every file is accounted for ------------------------------------------------------------


def test_a_folder_is_read_by_content_and_every_file_is_accounted_for(profile):
    folder = TRUTH / "sources" / "folder"

    summary = ingest(folder)

    subjects = sorted(Message.objects.values_list("subject", flat=True))
    assert subjects == [
        "maildir cur",
        "maildir new",
        "mbox one",
        "mbox two",
        "no extension",
        "saved as msg",
        "saved as txt",
    ]
    # One person wrote all seven: the first is a request, the other six join its conversation.
    assert (summary.new, summary.threaded) == (1, 6)
    assert summary.not_mail == [
        (str(folder / "notes.md"), "not mail: no mail headers at its start"),
        (
            str(folder / "outlook-binary.msg"),
            "not mail: an Outlook .msg file (binary); save it from Outlook as .eml",
        ),
    ]
    assert summary.as_dict()["not_mail"][0]["source"] == str(folder / "notes.md")


def test_a_maildir_without_tmp_is_read_as_a_maildir():
    sources = list(mail.iter_sources(TRUTH / "sources/folder/maildir-without-tmp"))

    assert [label.rsplit(":", 1)[1] for label, _ in sources] == [
        "1741338060.M2P1.host",  # new/ first, as a mail client would deliver it
        "1741338000.M1P1.host,S=300",
    ]


# --- Text is decoded, never garbled -----------------------------------------------------------

CHARSETS = {
    "utf8-stray-byte.eml": (
        "Coffee chat",
        "Hello, I am Zoë. I worked on café soft\ufffdware for years and would like a coffee chat.",
    ),
    "gb2312-label-gbk-chars.eml": ("简历", "您好，我叫朱镕，我的同事王喆推荐我申请贵公司的职位。"),
    "big5-hkscs.eml": ("Application", "你好，我係陳先生，想問吓有冇職位㗎。"),
    "ks_c_5601.eml": ("Application", "안녕하세요, 저는 똠방각하입니다. 채용에 관심이 있습니다."),
    "cp1251-raw-subject.eml": (
        "Резюме на вакансию инженера",
        "Здравствуйте! Я хотел бы узнать о вакансии инженера.",
    ),
}


@pytest.mark.parametrize(("name", "expected"), CHARSETS.items(), ids=list(CHARSETS))
def test_each_charset_case_reads_as_written(name, expected):
    parsed = mail.parse_email((TRUTH / "charsets" / name).read_bytes())

    assert (parsed.subject, parsed.text) == expected


def test_one_stray_byte_replaces_only_itself():
    parsed = mail.parse_email((TRUTH / "charsets/utf8-stray-byte.eml").read_bytes())

    assert parsed.text.count("\ufffd") == 1
    assert parsed.sender.name == "Zoë Writer"


# --- People whose mail is odd but readable ----------------------------------------------------


def test_an_attachment_only_message_becomes_a_request_with_the_file(profile, media_root):
    summary = ingest(TRUTH / "people/attachment-only.eml")

    assert summary.new == 1
    message = Message.objects.get()
    [attachment] = message.attachments.all()
    assert (message.text, attachment.filename) == ("", "skills.csv")
    with attachment.file.open("rb") as handle:
        assert b"embedded C,7" in handle.read()


@pytest.mark.parametrize(
    ("name", "email", "name_shown"),
    [
        ("from-two-addresses.eml", "tim@example.com", ""),
        ("from-name-without-brackets.eml", "bb@bug.com", "Big Bug"),
    ],
)
def test_a_recoverable_from_header_is_recovered_and_kept_as_written(
    profile, name, email, name_shown
):
    summary = ingest(TRUTH / "people" / name)

    assert summary.new == 1
    message = Message.objects.get()
    assert (message.sender, message.sender_name) == (email, name_shown)
    raw_from = (TRUTH / "people" / name).read_text().split("\n")[0].removeprefix("From: ")
    assert message.from_header == raw_from


# --- Size and speed -------------------------------------------------------------------------


def test_a_message_over_the_size_cap_is_quarantined_unparsed_and_can_come_in_later(
    profile, settings
):
    settings.MAX_RAW_MESSAGE_BYTES = 1_000
    big = raw(body="I build flight software. " * 100, message_id="<big@mail.example>")

    summary = take_in(big)

    [(_, reason)] = summary.quarantined
    assert reason.startswith("the message is 0.0 MB, over the 0.0 MB limit")
    assert "MAX_RAW_MESSAGE_BYTES" in reason
    row = QuarantinedMessage.objects.get()
    assert bytes(row.raw) == big
    settings.MAX_RAW_MESSAGE_BYTES = 1_000_000
    assert intake.retry_quarantined().new == 1


def test_a_re_import_finds_duplicates_before_parsing(profile, monkeypatch):
    messages = [raw(message_id=f"<m{n}@mail.example>", subject=f"Hello {n}") for n in range(5)]
    take_in(*messages)
    parsed_counts = []
    real_parse_all = intake.parse_all
    monkeypatch.setattr(
        intake.batch,
        "parse_all",
        lambda raws, **kw: parsed_counts.append(len(raws)) or real_parse_all(raws, **kw),
    )

    summary = take_in(*messages, raw(message_id="<new@mail.example>", sender="new@other.example"))

    assert (summary.new, summary.duplicates) == (1, 5)
    assert parsed_counts == [1]  # only the new one was parsed


def test_a_long_body_is_split_within_its_first_part_only():
    own = "I would like to talk about the flight software role."
    body = own + "\n\nOn Monday, Rita wrote:\n> " + "old history line\n> " * 200_000

    parts = mail.split_reply(body)

    assert parts.new == own
    assert len(parts.rest) > 1_000_000  # the history is kept, not lost


def test_html_to_text_reads_lists_and_caps_a_huge_body():
    assert mail.html_to_text("<p>Skills:</p><ul><li>Rust</li><li>C</li></ul>") == (
        "Skills:\n\n  * Rust\n  * C"
    )
    huge = "<p>" + "word " * 400_000 + "</p>"

    text = mail.html_to_text(huge)

    assert text.endswith("[... the rest of a long HTML body is not shown]")
    assert len(text) < len(huge)


@pytest.mark.parametrize(
    ("text", "charset"),
    [
        (
            "Bonjour, je m'appelle Zoé. J'ai travaillé cinq ans sur des systèmes embarqués à "
            "Toulouse et j'aimerais échanger avec vous sur le poste d'ingénieur logiciel.",
            "cp1252",
        ),
        (
            "Guten Tag, ich heiße Jürgen Müller und arbeite seit fünf Jahren an Flugsoftware. "
            "Ich würde mich über ein kurzes Gespräch über die offene Stelle sehr freuen.",
            "cp1252",
        ),
        (
            "Здравствуйте! Я хотел бы узнать о вакансии инженера. У меня пять лет опыта в "
            "разработке встроенного ПО для спутников. С уважением, Иван",
            "cp1251",
        ),
        (
            "Здравствуйте! Я хотел бы узнать о вакансии инженера. У меня пять лет опыта в "
            "разработке встроенного ПО для спутников. С уважением, Иван",
            "koi8-r",
        ),
    ],
    ids=["french-cp1252", "german-cp1252", "russian-cp1251", "russian-koi8-r"],
)
def test_an_unlabelled_paragraph_is_decoded_by_detection(text, charset):
    assert mail.decode_bytes(text.encode(charset), None) == text


def test_a_short_unlabelled_latin_text_is_never_taken_for_utf_16():
    assert mail.decode_bytes("Zoé Müller".encode("cp1252"), None) == "Zoé Müller"
