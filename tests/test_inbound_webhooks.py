"""Email providers' inbound webhooks (django-anymail) into intake: each provider's real
payload format, its checks enforced, and nothing stored from a post that fails them."""

import base64
import hashlib
import hmac
import json
from pathlib import Path

import pytest

from triage.models import CandidateRequest, Message, QuarantinedMessage

DATA = Path(__file__).parent / "data"
SECRET = "mailhook:Kx7-long-random-secret"
SIGNING_KEY = "key-0123456789abcdef0123456789abcdef"
BASE = "/webhooks/anymail"

pytestmark = [
    pytest.mark.django_db,
    # Anymail still ships SendGrid's inbound view but no longer tests it against SendGrid;
    # these tests are what tells us it works here.
    pytest.mark.filterwarnings("ignore::anymail.exceptions.AnymailNotSupportedWarning"),
]


@pytest.fixture
def secured(settings, profile):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}


def basic_auth(credentials: str = SECRET) -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials.encode()).decode()}


def stored() -> tuple[int, int, int]:
    return (
        CandidateRequest.objects.count(),
        Message.objects.count(),
        QuarantinedMessage.objects.count(),
    )


def raw(name: str = "plain.eml") -> str:
    return (DATA / name).read_text(encoding="utf-8")


# --- Each provider's payload, as it posts it ----------------------------------------------


def mailgun_signature(timestamp: str, token: str, key: str = SIGNING_KEY) -> str:
    return hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()


def mailgun_mime(
    mime: str, *, token: str = "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0"
) -> dict:
    """Mailgun's route forward() to a URL containing "mime": the raw message in body-mime."""
    timestamp = "1741011300"
    return {
        "recipient": "rita@acme-orbital.example",
        "sender": "dana.plainfield@mail.example",
        "from": "Dana Plainfield <Dana.Plainfield@Mail.Example>",
        "subject": "Flight Software Engineer - any openings?",
        "body-mime": mime,
        "timestamp": timestamp,
        "token": token,
        "signature": mailgun_signature(timestamp, token),
    }


def mailgun_parsed() -> dict:
    """Mailgun's "fully parsed" forward(): headers as JSON, the text in body-plain."""
    timestamp, token = "1741011400", "5d9c4f1a7e0b3c2d1e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c"
    headers = [
        ["Message-Id", "<mg-parsed-1@lamarck.example>"],
        ["Date", "Tue, 04 Mar 2025 11:00:00 +0000"],
        ["From", "Zoë Lamarck <zoe.lamarck@lamarck.example>"],
        ["To", "Rita Recruiter <rita@acme-orbital.example>"],
        ["Subject", "Coffee about the Data Analyst role?"],
        ["Mime-Version", "1.0"],
        ["Content-Type", 'text/plain; charset="utf-8"'],
    ]
    text = "Hi Rita, I build SQL dashboards and would love a coffee chat.\n\nZoë\n"
    return {
        "recipient": "rita@acme-orbital.example",
        "sender": "zoe.lamarck@lamarck.example",
        "from": "Zoë Lamarck <zoe.lamarck@lamarck.example>",
        "subject": "Coffee about the Data Analyst role?",
        "message-headers": json.dumps(headers),
        "body-plain": text,
        "stripped-text": text,
        "timestamp": timestamp,
        "token": token,
        "signature": mailgun_signature(timestamp, token),
    }


def postmark_payload() -> dict:
    """Postmark's inbound JSON (without the optional RawEmail), as in its documentation."""
    return {
        "FromName": "Rene Dubois",
        "MessageStream": "inbound",
        "From": "rene@rene.example",
        "FromFull": {"Email": "rene@rene.example", "Name": "Rene Dubois", "MailboxHash": ""},
        "To": "rita@acme-orbital.example",
        "ToFull": [{"Email": "rita@acme-orbital.example", "Name": "Rita", "MailboxHash": ""}],
        "Cc": "",
        "CcFull": [],
        "Bcc": "",
        "BccFull": [],
        "OriginalRecipient": "rita@acme-orbital.example",
        "Subject": "Introducing myself before I move to Denver",
        "MessageID": "22c74902-a0c1-4511-804f-341342852c90",
        "ReplyTo": "",
        "MailboxHash": "",
        "Date": "Wed, 05 Mar 2025 09:30:00 +0100",
        "TextBody": "Bonjour Rita, I move to Denver in May and write embedded C for RTOS boards.",
        "HtmlBody": "",
        "StrippedTextReply": "",
        "Tag": "",
        "Headers": [
            {"Name": "Return-Path", "Value": "<rene@rene.example>"},
            {"Name": "X-Spam-Status", "Value": "No"},
            {"Name": "Message-ID", "Value": "<pm-2025-03-05@rene.example>"},
            {"Name": "MIME-Version", "Value": "1.0"},
        ],
        "Attachments": [],
    }


def sendgrid_raw(mime: str) -> dict:
    """SendGrid's Inbound Parse with "POST the raw, full MIME message": the message in email."""
    return {
        "email": mime,
        "to": "Rita Recruiter <rita@acme-orbital.example>",
        "from": "Dana Plainfield <Dana.Plainfield@Mail.Example>",
        "subject": "Flight Software Engineer - any openings?",
        "envelope": json.dumps(
            {"to": ["rita@acme-orbital.example"], "from": "dana.plainfield@mail.example"}
        ),
        "charsets": json.dumps({"to": "UTF-8", "from": "UTF-8", "subject": "UTF-8"}),
        "SPF": "pass",
        "dkim": "{@mail.example : pass}",
        "sender_ip": "192.0.2.10",
        "spam_score": "0.1",
    }


def post_mailgun(client, data: dict, *, mime: bool = True, **extra):
    path = f"{BASE}/mailgun/inbound_mime/" if mime else f"{BASE}/mailgun/inbound/"
    return client.post(path, data, **extra)


def post_postmark(client, payload: dict, **extra):
    return client.post(
        f"{BASE}/postmark/inbound/", json.dumps(payload), content_type="application/json", **extra
    )


def post_sendgrid(client, data: dict, **extra):
    return client.post(f"{BASE}/sendgrid/inbound/", data, **extra)


# --- Mailgun ------------------------------------------------------------------------------


def test_mailgun_raw_mime_creates_one_request(client, secured):
    response = post_mailgun(client, mailgun_mime(raw()), **basic_auth())

    assert response.status_code == 200
    request = CandidateRequest.objects.get()
    assert request.candidate.email == "dana.plainfield@mail.example"
    assert request.candidate.name == "Dana Plainfield"
    assert request.subject == "Flight Software Engineer - any openings?"
    assert "I write Rust for small satellites" in request.body
    assert request.messages.get().message_id == "<plain-2025-03-03@mail.example>"


def test_mailgun_parsed_fields_create_one_request(client, secured):
    response = post_mailgun(client, mailgun_parsed(), mime=False, **basic_auth())

    assert response.status_code == 200
    request = CandidateRequest.objects.get()
    assert (request.candidate.email, request.candidate.name) == (
        "zoe.lamarck@lamarck.example",
        "Zoë Lamarck",
    )
    assert request.subject == "Coffee about the Data Analyst role?"
    assert "I build SQL dashboards" in request.body
    assert request.messages.get().message_id == "<mg-parsed-1@lamarck.example>"


def test_mailgun_posting_twice_adds_nothing(client, secured):
    post_mailgun(client, mailgun_mime(raw()), **basic_auth())
    # Mailgun retries with a new token and signature: the message is the same.
    again = post_mailgun(client, mailgun_mime(raw(), token="f" * 50), **basic_auth())

    assert again.status_code == 200
    assert stored() == (1, 1, 0)


def test_mailgun_forged_signature_is_refused(client, secured):
    data = mailgun_mime(raw())
    data["signature"] = mailgun_signature(data["timestamp"], data["token"], key="key-forged")

    response = post_mailgun(client, data, **basic_auth())

    assert response.status_code == 400
    assert stored() == (0, 0, 0)


def test_mailgun_missing_signature_is_refused(client, secured):
    data = mailgun_mime(raw())
    del data["signature"]

    response = post_mailgun(client, data, **basic_auth())

    assert response.status_code == 400
    assert stored() == (0, 0, 0)


def test_mailgun_needs_basic_auth_as_well_as_the_signature(client, secured):
    assert post_mailgun(client, mailgun_mime(raw())).status_code == 400
    wrong = post_mailgun(client, mailgun_mime(raw()), **basic_auth("mailhook:guess"))

    assert wrong.status_code == 400
    assert stored() == (0, 0, 0)


def test_mailgun_is_refused_without_a_signing_key(client, settings, profile):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}

    response = post_mailgun(client, mailgun_mime(raw()), **basic_auth())

    assert response.status_code == 403
    assert "MAILGUN_WEBHOOK_SIGNING_KEY" in response.text
    assert stored() == (0, 0, 0)


# --- Postmark -----------------------------------------------------------------------------


def test_postmark_creates_one_request(client, secured):
    response = post_postmark(client, postmark_payload(), **basic_auth())

    assert response.status_code == 200
    request = CandidateRequest.objects.get()
    assert (request.candidate.email, request.candidate.name) == (
        "rene@rene.example",
        "Rene Dubois",
    )
    assert request.subject == "Introducing myself before I move to Denver"
    assert "write embedded C for RTOS boards" in request.body
    message = request.messages.get()
    assert message.message_id == "<pm-2025-03-05@rene.example>"
    assert message.received_at.isoformat() == "2025-03-05T08:30:00+00:00"


def test_postmark_with_the_raw_email_option_takes_the_raw_message(client, secured):
    payload = postmark_payload() | {"RawEmail": raw("rfc2047-no-message-id.eml")}

    assert post_postmark(client, payload, **basic_auth()).status_code == 200

    request = CandidateRequest.objects.get()
    assert (request.candidate.email, request.candidate.name) == (
        "zoe.lamarck@lamarck.example",
        "Zoë Lamarck",
    )
    assert request.subject == "Question about the Data Analyst role – Zoë"


def test_postmark_posting_twice_adds_nothing(client, secured):
    post_postmark(client, postmark_payload(), **basic_auth())
    again = post_postmark(client, postmark_payload(), **basic_auth())

    assert again.status_code == 200
    assert stored() == (1, 1, 0)


@pytest.mark.parametrize("auth", [{}, basic_auth("mailhook:guess"), basic_auth("x")])
def test_postmark_without_the_right_basic_auth_is_refused(client, secured, auth):
    response = post_postmark(client, postmark_payload(), **auth)

    assert response.status_code == 400
    assert stored() == (0, 0, 0)


# --- SendGrid -----------------------------------------------------------------------------


def test_sendgrid_raw_mime_creates_one_request(client, secured):
    response = post_sendgrid(client, sendgrid_raw(raw()), **basic_auth())

    assert response.status_code == 200
    request = CandidateRequest.objects.get()
    assert (request.candidate.email, request.candidate.name) == (
        "dana.plainfield@mail.example",
        "Dana Plainfield",
    )
    assert request.subject == "Flight Software Engineer - any openings?"
    assert "Are there any openings on your team?" in request.body


def test_sendgrid_a_message_without_message_id_is_still_stored_once(client, secured):
    mime = raw("rfc2047-no-message-id.eml")
    post_sendgrid(client, sendgrid_raw(mime), **basic_auth())
    again = post_sendgrid(client, sendgrid_raw(mime), **basic_auth())

    assert again.status_code == 200
    request = CandidateRequest.objects.get()
    assert request.subject == "Question about the Data Analyst role – Zoë"
    assert stored() == (1, 1, 0)


@pytest.mark.parametrize("auth", [{}, basic_auth("mailhook:guess")])
def test_sendgrid_without_the_right_basic_auth_is_refused(client, secured, auth):
    response = post_sendgrid(client, sendgrid_raw(raw()), **auth)

    assert response.status_code == 400
    assert stored() == (0, 0, 0)


# --- What every provider shares -----------------------------------------------------------


@pytest.mark.parametrize(
    "post",
    [
        lambda client: post_mailgun(client, mailgun_mime(raw()), **basic_auth()),
        lambda client: post_postmark(client, postmark_payload(), **basic_auth()),
        lambda client: post_sendgrid(client, sendgrid_raw(raw()), **basic_auth()),
        lambda client: post_postmark(client, postmark_payload()),
    ],
    ids=["mailgun", "postmark", "sendgrid", "no-auth"],
)
def test_every_endpoint_refuses_while_no_secret_is_set(client, settings, profile, post):
    settings.ANYMAIL = {}

    response = post(client)

    assert response.status_code == 403
    assert "set ANYMAIL_WEBHOOK_SECRET" in response.text
    assert stored() == (0, 0, 0)


def test_an_unreadable_message_is_quarantined_not_refused(client, secured):
    """The provider gets its 200 (a retry would not help); the message waits in quarantine."""
    response = post_sendgrid(client, sendgrid_raw(raw("no-from.eml")), **basic_auth())

    assert response.status_code == 200
    kept = QuarantinedMessage.objects.get()
    assert (kept.source, kept.error) == (
        "SendGrid inbound webhook",
        "no sender address in the From header",
    )
    assert b"Nobody signed this one." in bytes(kept.raw)
    assert CandidateRequest.objects.count() == 0


def test_a_follow_up_joins_its_thread(client, secured):
    post_mailgun(client, mailgun_mime(raw()), **basic_auth())
    follow_up = (
        "Message-ID: <reply-1@mail.example>\n"
        "In-Reply-To: <plain-2025-03-03@mail.example>\n"
        "From: Dana Plainfield <dana.plainfield@mail.example>\n"
        "Subject: Re: Flight Software Engineer - any openings?\n"
        "Date: Tue, 04 Mar 2025 10:00:00 +0000\n\n"
        "Any news on the role?\n"
    )

    post_postmark(client, postmark_payload() | {"RawEmail": follow_up}, **basic_auth())

    request = CandidateRequest.objects.get()
    assert [m.text.strip() for m in request.messages.all()][1] == "Any news on the role?"


def test_machine_mail_is_set_aside(client, secured):
    auto_reply = raw().replace("Subject:", "Auto-Submitted: auto-replied\nSubject:", 1)

    assert post_sendgrid(client, sendgrid_raw(auto_reply), **basic_auth()).status_code == 200

    assert CandidateRequest.objects.count() == 0
    assert QuarantinedMessage.objects.get().kind == QuarantinedMessage.Kind.MACHINE


def test_a_get_is_not_allowed(client, secured):
    assert client.get(f"{BASE}/postmark/inbound/", **basic_auth()).status_code == 405


def test_an_8bit_utf8_message_keeps_its_accents(client, secured):
    mime = (
        "Message-ID: <utf8-1@lamarck.example>\n"
        "From: Zoë Lamarck <zoe.lamarck@lamarck.example>\n"
        "Subject: Café chat ☕\n"
        "Date: Tue, 04 Mar 2025 11:00:00 +0000\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: 8bit\n\n"
        "Héllo Rita, I would löve a chat.\n"
    )

    assert post_mailgun(client, mailgun_mime(mime), **basic_auth()).status_code == 200

    request = CandidateRequest.objects.get()
    assert (request.candidate.name, request.subject) == ("Zoë Lamarck", "Café chat ☕")
    assert request.body.strip() == "Héllo Rita, I would löve a chat."


# --- Malformed posts from a sender with the right credentials -----------------------------


@pytest.mark.parametrize(
    ("provider", "body", "content_type"),
    [
        ("postmark", "{not json", "application/json"),
        ("postmark", "[1, 2]", "application/json"),
        ("postmark", '"a string"', "application/json"),
        ("postmark", '{"FromFull": 3, "Headers": 5}', "application/json"),
        ("postmark", '{"RawEmail": 5}', "application/json"),
        ("sendgrid", "", "application/x-www-form-urlencoded"),
    ],
)
def test_a_malformed_post_is_a_400_and_stores_nothing(
    client, secured, provider, body, content_type
):
    response = client.post(
        f"{BASE}/{provider}/inbound/", body, content_type=content_type, **basic_auth()
    )

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "inbound post this endpoint can read; nothing was stored." in response.content.decode()
    assert stored() == (0, 0, 0)


def test_a_malformed_post_with_wrong_credentials_is_still_refused_as_unauthorised(client, secured):
    response = client.post(
        f"{BASE}/postmark/inbound/",
        "{not json",
        content_type="application/json",
        **basic_auth("x:y"),
    )

    assert response.status_code == 400
    assert "can read" not in response.content.decode()
    assert stored() == (0, 0, 0)
