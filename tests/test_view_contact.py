"""The public contact page: a candidate writes to us without an account."""

import email
import email.policy
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.documents import make_docx, make_pdf
from tests.factories import CandidateFactory
from triage.models import (
    Attachment,
    BlockedSender,
    Candidate,
    CandidateRequest,
    Message,
    ReplyTemplate,
)
from triage.services import outbox

pytestmark = pytest.mark.django_db

CONTACT = reverse("contact")
THANKS = reverse("contact-thanks")

VALID = {
    "name": "Ada Lovelace",
    "email": "Ada@Mail.example",
    "profile_url": "https://github.com/ada",
    "message": "I am relocating to Denver next year and not applying yet.",
    "website": "",
}


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """Submit the form (VALID, changed by `data`), running what is queued for after commit:
    the acknowledgement is sent then, as in production."""

    def submit(data=None, resume=None, **extra):
        files = {"resume": resume} if resume else {}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(CONTACT, {**VALID, **(data or {}), **files}, **extra)

    return submit


def sent_mail(outbox_dir):
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(outbox_dir.glob("*.eml"))
    ]


def test_anyone_can_open_it_and_it_works_without_javascript(client, profile):
    response = client.get(CONTACT)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Write to our recruiting team" in html
    assert 'enctype="multipart/form-data"' in html and 'method="post"' in html
    assert "csrfmiddlewaretoken" in html
    assert "PDF, Word (.docx) or plain text (.txt), up to 10 MB." in html
    assert "<script" not in html.split("</head>")[1]  # no inline script in the body


def test_it_refuses_other_methods(client, profile):
    assert client.put(CONTACT).status_code == 405


def test_it_needs_the_csrf_token(profile):
    client = Client(enforce_csrf_checks=True)
    response = client.post(CONTACT, VALID)
    assert response.status_code == 403
    assert not CandidateRequest.objects.exists()


def test_a_submission_becomes_a_triaged_request_like_an_email(post, client, profile, outbox_dir):
    resume = SimpleUploadedFile(
        "Ada CV.pdf", make_pdf("Ada Lovelace", "Orbit determination, 8 years"), "application/pdf"
    )
    response = post(resume=resume)

    assert response.status_code == 302 and response["Location"] == THANKS
    request = CandidateRequest.objects.get()
    assert request.channel == "form"
    assert (request.candidate.email, request.candidate.name) == (
        "ada@mail.example",
        "Ada Lovelace",
    )
    assert request.subject == "Contact form: Ada Lovelace"
    assert request.body == f"{VALID['message']}\n\nProfile: https://github.com/ada"
    # The résumé was read: its hard-to-fill skill and the message's "not applying yet".
    assert request.final_bucket == "network"
    assert any("from the attached résumé (Ada CV.pdf)" in r["text"] for r in request.reasons)
    attachment = Attachment.objects.get()
    assert attachment.message.request == request
    assert (attachment.filename, attachment.content_type) == ("Ada CV.pdf", "application/pdf")
    assert attachment.text == "Ada Lovelace\nOrbit determination, 8 years"


def test_a_reply_to_a_submission_is_about_their_message_to_us_not_the_contact_form(
    post, profile, recruiter
):
    post({"name": "Zoë Øster"})
    request = CandidateRequest.objects.get()
    template = ReplyTemplate.objects.get(name="Funnel: kind decline with open roles")

    draft = outbox.draft_reply(request, template, profile, recruiter)
    free_form = outbox.draft_text(request, "Re: {{ original_subject }}", "Hi", profile)

    assert request.subject == "Contact form: Zoë Øster"  # what the recruiters see
    assert draft.subject == free_form.subject == "Your message to Acme Orbital"


def test_the_candidate_gets_an_acknowledgement_from_the_template(post, client, profile, outbox_dir):
    resume = SimpleUploadedFile("cv.docx", make_docx("Ada"), "application/octet-stream")
    post(resume=resume)

    (ack,) = sent_mail(outbox_dir)
    assert ack["To"] == "Ada Lovelace <ada@mail.example>"
    assert ack["Subject"] == "We have your message – Acme Orbital"
    assert ack["Reply-To"] == "rita@acme-orbital.example"
    assert ack["Auto-Submitted"] == "auto-replied"
    body = ack.get_content()
    assert body.startswith("Hello Ada,\n\nThank you for writing to Acme Orbital.")
    assert "your message has arrived, with cv.docx." in body
    assert "answer you personally, usually within a few working days" in body
    assert "https://careers.acme-orbital.example" in body
    assert body.rstrip().endswith("(This confirmation was sent automatically.)")
    assert "Rita Recruiter" in body


def test_the_thank_you_page_says_what_happens_next(client, profile):
    html = client.get(THANKS).content.decode()
    assert "Thank you, your message is with us" in html
    assert "You will get an email in a few minutes" in html
    assert 'href="https://careers.acme-orbital.example"' in html


def test_a_double_submit_stores_one_request_and_sends_one_email(post, client, profile, outbox_dir):
    post()
    post()

    assert CandidateRequest.objects.count() == 1
    assert len(sent_mail(outbox_dir)) == 1


def test_no_acknowledgement_for_someone_who_asked_not_to_be_contacted(
    post, client, profile, outbox_dir
):
    CandidateFactory(email="ada@mail.example", do_not_contact=True)
    post()

    assert CandidateRequest.objects.count() == 1  # their message is still read
    assert sent_mail(outbox_dir) == []


def test_a_blocked_sender_is_set_aside_and_not_acknowledged(post, client, profile, outbox_dir):
    BlockedSender.objects.create(pattern="*@mail.example")
    response = post()

    assert response["Location"] == THANKS
    assert not CandidateRequest.objects.exists()
    assert sent_mail(outbox_dir) == []


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"email": "not an address"}, "email", "Enter a valid email address."),
        ({"profile_url": "not a link at all"}, "profile_url", "Enter a valid URL."),
        ({"message": ""}, "message", "This field is required."),
    ],
)
def test_errors_are_shown_beside_their_field_and_nothing_is_stored(
    post, client, profile, outbox_dir, data, field, error
):
    response = post(data)

    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="error_1_id_{field}"' in html and error in html
    assert 'value="Ada Lovelace"' in html or field == "name"  # what was typed is kept
    assert not CandidateRequest.objects.exists()
    assert sent_mail(outbox_dir) == []


@pytest.mark.parametrize(
    ("filename", "content", "error"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00", "Upload a PDF, Word (.docx) or plain-text"),
        ("cv.pdf", b"\x89PNG\r\n\x1a\n\x00\x00", "named like a PDF file, but its content is not"),
        ("cv.docx", make_pdf("Ada"), "named like a Word (.docx) file, but its content is not"),
        ("cv.txt", b"MZ\x90\x00\x03\x00\x00\x00", "named like a plain text file, but its content"),
        ("cv.pdf.exe", b"MZ\x90\x00", "Upload a PDF, Word (.docx) or plain-text"),
        # A program with a PDF header at byte 104, which lenient PDF readers accept.
        ("cv.pdf", b"MZ\x90\x00" + b"\x00" * 100 + make_pdf("Ada"), "its content is not one"),
        ("cv.pdf", b"%PDF-1.7\n garbage \x00\x01", "This PDF file cannot be read"),
        ("cv.docx", b"PK\x03\x04 broken zip", "named like a Word (.docx) file, but its content"),
    ],
)
def test_the_resume_is_checked_by_its_content_not_its_name(
    post, client, profile, filename, content, error
):
    response = post(resume=SimpleUploadedFile(filename, content, "application/pdf"))

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error_1_id_resume"' in html and error in html
    assert not CandidateRequest.objects.exists() and not Attachment.objects.exists()


def test_after_another_error_it_asks_to_choose_the_resume_again(post, profile):
    resume = SimpleUploadedFile("cv.txt", b"Rust", "text/plain")
    response = post({"email": "nope"}, resume=resume)

    assert response.status_code == 400
    assert "please choose your résumé again" in response.content.decode()
    assert not CandidateRequest.objects.exists()


def test_a_resume_over_the_cap_is_refused_beside_the_field(post, client, profile, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("cv.txt", b"x" * (1024 * 1024 + 1), "text/plain")
    response = post(resume=big)

    assert response.status_code == 400
    assert "This file is 1.0 MB; the limit is 1 MB." in response.content.decode()
    assert not CandidateRequest.objects.exists()


def test_a_bot_that_fills_the_honeypot_sees_thanks_and_nothing_is_kept(
    post, client, profile, outbox_dir, caplog
):
    with caplog.at_level(logging.WARNING, logger="triage.views.contact"):
        response = post({"website": "https://cheap-pills.example"}, follow=True)

    assert response.redirect_chain == [(THANKS, 302)]
    assert "Thank you, your message is with us" in response.content.decode()
    assert not CandidateRequest.objects.exists() and not Candidate.objects.exists()
    assert not Message.objects.exists()
    assert sent_mail(outbox_dir) == []
    assert "honeypot filled from 127.0.0.1; nothing stored" in caplog.text


def test_the_honeypot_is_hidden_from_people_not_from_bots(client, profile):
    html = client.get(CONTACT).content.decode()
    assert '<div class="contact-extra" aria-hidden="true">' in html
    assert 'name="website"' in html and 'tabindex="-1"' in html


def test_too_many_submissions_from_one_address_get_a_clear_429(
    post, client, profile, settings, outbox_dir
):
    settings.CONTACT_RATE_LIMIT = "2/d"
    for number in range(2):
        assert post({"message": f"Message {number}"}).status_code == 302

    response = post({"message": "Message 3"})

    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many messages from your connection" in html
    assert "Nothing more was sent." in html
    assert "please try again in 1\xa0day." in html
    assert response["Retry-After"] == "86400"
    # Both arrived (the second joined the first: one person, one conversation), not the third.
    assert Message.objects.filter(request__candidate__email="ada@mail.example").count() == 2
    assert CandidateRequest.objects.count() == 1
    # Another address is not held back, and reading the page is never limited.
    assert client.get(CONTACT).status_code == 200
    other = post({"message": "Message 4"}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302


def test_without_a_profile_the_page_says_it_is_not_ready(post, client, outbox_dir):
    response = post()
    assert response.status_code == 503
    assert "The contact page is not ready yet" in response.content.decode()


def test_a_message_too_large_to_read_gets_the_form_back_with_the_reason(
    client, profile, settings, outbox_dir
):
    settings.CONTACT_RATE_LIMIT = "1/h"
    checked = Client(enforce_csrf_checks=True)
    token = checked.get(CONTACT).context["csrf_token"]
    five_mb = "x" * (5 * 1024 * 1024)

    response = checked.post(
        CONTACT, {**VALID, "message": five_mb, "csrfmiddlewaretoken": str(token)}
    )

    assert response.status_code == 413
    html = response.content.decode()
    assert 'id="error_1_id_message"' in html
    assert "too large to read, so nothing was sent: a message can be up to 10,000" in html
    assert '<form method="post"' in html and 'name="csrfmiddlewaretoken"' in html
    assert "Bad Request" not in html
    assert not CandidateRequest.objects.exists() and not Candidate.objects.exists()
    assert sent_mail(outbox_dir) == []
    # It did not count toward the limit: the shortened message still goes through.
    retry = checked.post(CONTACT, {**VALID, "csrfmiddlewaretoken": str(token)})
    assert retry.status_code == 302


def test_other_bad_requests_keep_django_s_plain_page(client, profile):
    response = client.post(CONTACT, "x", content_type="multipart/form-data; boundary=")

    assert response.status_code == 400
    assert "Bad Request (400)" in response.content.decode()


def test_failed_posts_do_not_count_toward_the_rate_limit(post, client, profile, settings):
    settings.CONTACT_RATE_LIMIT = "2/d"
    for typo in ("ada@", "ada@mail", "ada mail.example", "", "@mail.example"):
        assert post({"email": typo}).status_code == 400

    assert post({"message": "Message 1"}).status_code == 302
    assert post({"message": "Message 2"}).status_code == 302
    assert post({"message": "Message 3"}).status_code == 429
    assert Message.objects.count() == 2
