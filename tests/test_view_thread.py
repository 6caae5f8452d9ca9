"""The request page shows the whole conversation, in order, and sanitized HTML only."""

import pytest
from django.urls import reverse

from tests.test_threading import raw, take_in
from triage.models import CandidateRequest

pytestmark = pytest.mark.django_db


def html_mail(*, message_id: str, html: str, **headers) -> bytes:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = "Sam Sender <sam@mail.example>"
    msg["To"] = "rita@acme-orbital.example"
    msg["Subject"] = headers.pop("subject", "Hello")
    msg["Date"] = "Mon, 03 Mar 2025 09:15:00 +0000"
    msg["Message-ID"] = message_id
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content("plain version")
    msg.add_alternative(html, subtype="html")
    return msg.as_bytes()


def test_it_shows_the_follow_ups_in_order_under_the_first_message(recruiter_client, profile):
    take_in(
        raw(message_id="<1@mail.example>", body="First message."),
        raw(
            message_id="<3@mail.example>",
            body="Third message.",
            In_Reply_To="<1@mail.example>",
            date="Wed, 05 Mar 2025 09:15:00 +0000",
        ),
        raw(
            message_id="<2@mail.example>",
            body="Second message.",
            In_Reply_To="<1@mail.example>",
            date="Tue, 04 Mar 2025 09:15:00 +0000",
        ),
    )
    request = CandidateRequest.objects.get()

    html = recruiter_client.get(reverse("triage:request", args=[request.pk])).content.decode()

    assert "Conversation (3 messages)" in html
    assert html.index("First message.") < html.index("Second message.")
    assert html.index("Second message.") < html.index("Third message.")


def test_a_single_message_shows_no_conversation_block(recruiter_client, profile):
    take_in(raw(message_id="<1@mail.example>", body="Only message."))
    request = CandidateRequest.objects.get()

    html = recruiter_client.get(reverse("triage:request", args=[request.pk])).content.decode()

    assert "Only message." in html
    assert 'id="thread"' not in html


def test_it_offers_the_sanitized_html_and_nothing_dangerous(recruiter_client, profile):
    take_in(
        html_mail(
            message_id="<h@mail.example>",
            html='<p onclick="steal()">Hi <b>Rita</b></p><script>window.pwned=1</script>'
            '<img src="https://tracker.example/pixel.gif"><form action="https://evil.example">'
            '<input name="password"></form><a href="javascript:alert(1)">x</a>'
            '<a href="https://me.example">my site</a>',
        )
    )
    request = CandidateRequest.objects.get()

    html = recruiter_client.get(reverse("triage:request", args=[request.pk])).content.decode()

    assert "Show the formatted message (sanitized HTML)" in html
    assert "<p>Hi <b>Rita</b></p>" in html
    assert 'href="https://me.example" rel="noopener noreferrer nofollow"' in html
    for dangerous in (
        "pwned",
        "onclick",
        "tracker.example",
        "evil.example",
        "password",
        "javascript:",
    ):
        assert dangerous not in html, dangerous


def test_a_follow_up_shows_what_is_new_and_folds_the_quote_and_signature(recruiter_client, profile):
    take_in(
        raw(message_id="<1@mail.example>", body="First message."),
        raw(
            message_id="<2@mail.example>",
            body="Any news on this?\n\nBest,\nSam\n--\nSam Sender | Rust engineer\n\n"
            "On Mon, 3 Mar 2025 at 09:15, Rita <rita@acme-orbital.example> wrote:\n"
            "> Thanks, we will get back to you.\n",
            In_Reply_To="<1@mail.example>",
        ),
    )
    request = CandidateRequest.objects.get()

    response = recruiter_client.get(reverse("triage:request", args=[request.pk]))

    follow_up = response.context["thread"][1]
    assert follow_up.reply_parts.written == "Any news on this?"
    assert "Sam Sender | Rust engineer" in follow_up.reply_parts.rest
    assert "&gt; Thanks, we will get back to you." in follow_up.reply_parts.rest.replace(
        ">", "&gt;"
    )
    html = response.content.decode()
    assert "Show the quoted text and signature" in html
    assert html.index("Any news on this?") < html.index("Show the quoted text and signature")
    assert html.index("Show the quoted text and signature") < html.index("we will get back")
