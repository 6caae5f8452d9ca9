"""REPLY_HTML: plain text first, with an HTML alternative made safely from the same text,
checked on what a real SMTP server on loopback received."""

from html.parser import HTMLParser

import pytest

from tests.factories import CandidateFactory, CandidateRequestFactory, UserFactory
from triage import replies
from triage.services import outbox

pytestmark = pytest.mark.django_db

BODY = (
    "Hallo Zoë,\n"
    "danke für Ihre Nachricht.\n\n"
    "Unsere offenen Stellen: https://careers.acme-orbital.example/jobs?team=7&city=Köln.\n"
    "Oder schreiben Sie an jobs@acme-orbital.example.\n\n"
    "Rita"
)


@pytest.fixture
def html_on(settings):
    settings.REPLY_HTML = True


def send(smtp, *, name="Zoë Ünal", subject="Re: Kaffee? – Grüße", body=BODY):
    candidate_request = CandidateRequestFactory(
        subject="Kaffee?",
        candidate=CandidateFactory(name=name, email="zoe@mail.example"),
        message_id="<orig-9@mail.example>",
    )
    reply = outbox.queue_reply(
        request=candidate_request,
        template=None,
        subject=subject,
        body=body,
        by=UserFactory(first_name="Jürgen", last_name="Größe"),
    )
    outbox.send_reply(reply.pk)
    [(_recipients, message)] = smtp.messages
    return message, smtp.raw[0]


def parts(message):
    plain, html = message.iter_parts()
    return plain, html


def test_it_sends_plain_text_first_and_an_html_alternative(profile, smtp, html_on):
    message, _raw = send(smtp)

    assert message.get_content_type() == "multipart/alternative"
    plain, html = parts(message)
    assert plain.get_content_type() == "text/plain"
    assert html.get_content_type() == "text/html"
    assert plain.get_content().replace("\r\n", "\n") == BODY + "\n"
    markup = html.get_content()
    assert "<p>Hallo Zoë,<br>danke für Ihre Nachricht.</p>" in markup.replace("\r\n", "\n")
    assert (
        '<a href="https://careers.acme-orbital.example/jobs?team=7&amp;city=K%C3%B6ln" '
        'rel="noopener noreferrer">https://careers.acme-orbital.example/jobs?team=7&amp;city=Köln</a>.'
    ) in markup
    assert '<a href="mailto:jobs@acme-orbital.example" rel="noopener noreferrer">' in markup
    assert "<title>Re: Kaffee? – Grüße</title>" in markup
    assert message["In-Reply-To"] == "<orig-9@mail.example>"


def test_non_ascii_names_and_subjects_are_encoded_in_the_headers(profile, smtp, html_on):
    message, raw = send(smtp)

    head = raw.split(b"\r\n\r\n", 1)[0]
    assert head.isascii()  # encoded words, not raw UTF-8, in every header
    assert b"=?utf-8?" in head
    assert message["To"].addresses[0].display_name == "Zoë Ünal"
    assert message["From"].addresses[0].display_name == "Jürgen Größe"
    assert str(message["Subject"]) == "Re: Kaffee? – Grüße"


class Tags(HTMLParser):
    """Every element and attribute a browser would see in the markup."""

    def __init__(self, markup):
        super().__init__()
        self.tags, self.attributes = [], []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(tag, name, value) for name, value in attrs]


def test_names_subjects_and_bodies_cannot_inject_html(profile, smtp, html_on):
    evil = '<img src=x onerror="alert(1)"> <script>alert(2)</script>'
    message, _raw = send(
        smtp,
        name='Eve "><script>alert(3)</script>',
        subject="Re: </title><script>alert(4)</script>",
        body=f"Hallo {evil},\n\nclick javascript:alert(5) or <a href='javascript:x'>here</a>",
    )

    _plain, html = parts(message)
    parsed = Tags(html.get_content())
    assert set(parsed.tags) <= {"html", "head", "meta", "title", "body", "p", "br"}
    assert parsed.attributes == [("meta", "charset", "utf-8")]
    # What was markup arrives as text the candidate can read.
    assert '&lt;img src=x onerror="alert(1)"&gt; &lt;script&gt;' in html.get_content()
    assert "<title>Re: &lt;/title&gt;&lt;script&gt;alert(4)&lt;/script&gt;</title>" in (
        html.get_content()
    )


def test_only_web_and_mail_links_become_links():
    markup = replies.as_html(
        "see https://ok.example, www.ok.example, me@ok.example, javascript:alert(1), "
        "data:text/html,x and <a href='https://bad.example'>x</a>",
        title="t",
    )

    hrefs = [value for tag, name, value in Tags(markup).attributes if name == "href"]
    assert hrefs == [
        "https://ok.example",
        "https://www.ok.example",
        "mailto:me@ok.example",
        "https://bad.example",  # the URL in the text is linked; the tag around it is text
    ]
    assert "&lt;a href=" in markup


def test_without_the_setting_the_reply_stays_plain_text(profile, smtp):
    message, _raw = send(smtp)

    assert message.get_content_type() == "text/plain"


def test_a_provider_gets_both_bodies(profile, provider_api, html_on):
    candidate_request = CandidateRequestFactory(candidate=CandidateFactory(name="Zoë"))
    reply = outbox.queue_reply(
        request=candidate_request, template=None, subject="Re", body=BODY, by=UserFactory()
    )

    outbox.send_reply(reply.pk)

    [arrived] = provider_api.requests
    assert arrived["json"]["TextBody"] == BODY + "\n"
    assert "<p>Hallo Zoë,<br>danke für Ihre Nachricht.</p>" in arrived["json"]["HtmlBody"]


def test_blank_lines_make_paragraphs_and_single_ones_breaks():
    html = replies.as_html("one\ntwo\n\n\nthree", title="t")

    assert "<p>one<br>two</p>\n\n<p>three</p>" in html
