"""Reply templates edited in the app, and a recruiter's own sender settings."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import (
    CandidateFactory,
    CandidateRequestFactory,
    ReplyTemplateFactory,
    UserFactory,
)
from triage.models import RecruiterProfile, ReplyTemplate
from triage.services import outbox

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Kind decline",
    "bucket": "funnel",
    "subject": "Re: {{ original_subject }}",
    "body": 'Hi {{ first_name|default:"there" }},\n\n{{ recruiter_signature }}',
    "is_active": "on",
    "action": "save",
}


@pytest.fixture(autouse=True)
def no_shipped_templates():
    """The data migration loads the shipped templates; these tests start from none."""
    ReplyTemplate.objects.all().delete()


@pytest.fixture
def candidate_request(profile):
    return CandidateRequestFactory(
        subject="Coffee chat?", candidate=CandidateFactory(name="Ada Lovelace")
    )


def test_every_template_page_requires_login(client):
    for url in [
        reverse("triage:templates"),
        reverse("triage:template-new"),
        reverse("triage:settings"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
    assert client.post(reverse("triage:template-preview")).status_code == 302


class TemplateRows(HTMLParser):
    """The list page's rows: each template's link, name, badges and subject, as shown."""

    def __init__(self):
        super().__init__()
        self.rows = []
        self.field = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "a" and "template-row" in classes:
            self.rows.append({"href": attrs["href"], "name": "", "badges": [], "subject": ""})
        elif self.rows and tag == "span" and "fw-semibold" in classes:
            self.field = "name"
        elif self.rows and tag == "span" and "badge" in classes:
            self.rows[-1]["badges"].append("")
            self.field = "badges"
        elif self.rows and tag == "div" and "text-truncate" in classes:
            self.field = "subject"

    def handle_endtag(self, tag):
        self.field = None

    def handle_data(self, data):
        if self.field == "badges":
            self.rows[-1]["badges"][-1] += data.strip()
        elif self.field:
            self.rows[-1][self.field] += data.strip()


def test_it_lists_templates(recruiter_client):
    ReplyTemplate.objects.all().delete()  # the shipped ones, when a flush has not removed them
    keep = ReplyTemplateFactory(
        name="Keep in touch", bucket="network", is_default=True, subject="Let's stay in touch"
    )
    decline = ReplyTemplateFactory(name="Kind decline", bucket="funnel", is_active=False)
    apply = ReplyTemplateFactory(name="Apply online", bucket="funnel", subject="Our roles")

    parser = TemplateRows()
    parser.feed(recruiter_client.get(reverse("triage:templates")).content.decode())

    # By bucket, then the default first, then by name; each row links to its template.
    assert parser.rows == [
        {
            "href": reverse("triage:template", args=[apply.pk]),
            "name": "Apply online",
            "badges": ["Apply through funnel"],
            "subject": "Our roles",
        },
        {
            "href": reverse("triage:template", args=[decline.pk]),
            "name": "Kind decline",
            "badges": ["Apply through funnel", "inactive"],
            "subject": "Re: {{ original_subject }}",
        },
        {
            "href": reverse("triage:template", args=[keep.pk]),
            "name": "Keep in touch",
            "badges": ["Network later", "default"],
            "subject": "Let's stay in touch",
        },
    ]


def test_it_creates_a_template(recruiter_client):
    response = recruiter_client.post(reverse("triage:template-new"), FORM)

    template = ReplyTemplate.objects.get(name="Kind decline")
    assert response.status_code == 302
    assert response.url == reverse("triage:template", args=[template.pk])
    assert template.body == FORM["body"] and template.is_active and not template.is_default


def test_it_shows_a_template_error_beside_the_field_and_saves_nothing(recruiter_client):
    response = recruiter_client.post(
        reverse("triage:template-new"), {**FORM, "body": "Hi {{ first_name }}\n{{ settings }}"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["body"] == [
        "Line 2: unknown placeholder {{ settings }}. Use one of: first_name, last_name, "
        "company, careers_url, openings, recruiter_name, recruiter_signature, "
        "original_subject, original_date, role_title, role_url, wrote_before, consent_url."
    ]
    html = response.content.decode()
    assert 'id="error_1_id_body"' in html and "unknown placeholder" in html
    assert not ReplyTemplate.objects.exists()


def test_it_refuses_tags_in_the_subject(recruiter_client):
    response = recruiter_client.post(
        reverse("triage:template-new"), {**FORM, "subject": "{% now 'Y' %} Hi"}
    )

    assert response.status_code == 400
    [error] = response.context["form"].errors["subject"]
    assert error == "Line 1: tags like \"now 'Y'\" are not allowed."


def test_a_new_default_takes_the_old_defaults_place(recruiter_client):
    old = ReplyTemplateFactory(name="Old", bucket="funnel", is_default=True)

    recruiter_client.post(reverse("triage:template-new"), {**FORM, "is_default": "on"})

    old.refresh_from_db()
    assert not old.is_default
    assert ReplyTemplate.objects.get(name="Kind decline").is_default


def test_it_edits_a_template(recruiter_client):
    template = ReplyTemplateFactory(name="Old name")

    recruiter_client.post(reverse("triage:template", args=[template.pk]), FORM)

    template.refresh_from_db()
    assert template.name == "Kind decline" and template.subject == FORM["subject"]


def test_the_edit_page_lists_the_placeholders_with_descriptions(recruiter_client):
    html = recruiter_client.get(reverse("triage:template-new")).content.decode()

    assert "{{ recruiter_signature }}" in html
    assert "The recruiter&#x27;s signature block" in html


def test_it_previews_against_a_chosen_request_for_htmx(recruiter_client, candidate_request):
    CandidateRequestFactory(subject="Another one")
    response = recruiter_client.post(
        reverse("triage:template-preview"),
        {**FORM, "preview_request": candidate_request.pk},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert "<html" not in html
    assert "Re: Coffee chat?" in html
    assert "Hi Ada," in html and "Rita Recruiter" in html


def test_the_preview_says_what_would_block_a_send(recruiter_client, profile):
    nameless = CandidateRequestFactory(subject="Hi", candidate=CandidateFactory(name=""))
    response = recruiter_client.post(
        reverse("triage:template-preview"),
        {**FORM, "body": "Dear {{ first_name }},", "preview_request": nameless.pk},
    )

    assert "with no fallback: first_name. A send would be blocked." in response.content.decode()


def test_the_preview_shows_template_errors(recruiter_client, candidate_request):
    response = recruiter_client.post(
        reverse("triage:template-preview"), {**FORM, "body": "{{ first_name|upper }}"}
    )

    assert "the filter |upper is not allowed" in response.content.decode()


def test_the_preview_button_works_without_javascript(recruiter_client, candidate_request):
    response = recruiter_client.post(
        reverse("triage:template-new"),
        {**FORM, "action": "preview", "preview_request": candidate_request.pk},
    )

    html = response.content.decode()
    assert "<html" in html and "Hi Ada," in html
    assert not ReplyTemplate.objects.exists()


def test_my_settings_saves_a_signature_used_in_replies(recruiter_client, recruiter, profile):
    response = recruiter_client.post(
        reverse("triage:settings"),
        {
            "display_name": "Rita\nBcc: evil@example.com",
            "signature": "Rita R.\nTalent, Acme Orbital",
            "from_email": "rita@acme-orbital.example",
            "reply_to": "",
        },
    )

    assert response.status_code == 302
    saved = RecruiterProfile.objects.get(user=recruiter)
    assert saved.display_name == "Rita Bcc: evil@example.com"  # one line: no header injection
    sender = outbox.sender_identity(recruiter)
    assert sender["signature"] == "Rita R.\nTalent, Acme Orbital"
    assert sender["reply_to"] == "rita@acme-orbital.example"  # the team's, as a fallback
    page = recruiter_client.get(reverse("triage:settings")).content.decode()
    assert "Talent, Acme Orbital" in page


def test_my_settings_shows_what_each_blank_field_gives(recruiter_client, recruiter, profile):
    """The name replies use when a recruiter set none (their account's), the signature, the
    From and the Reply-To they fall back to, each in its field's help."""
    page = recruiter_client.get(reverse("triage:settings")).content.decode()

    helps = help_texts(page)
    assert helps["display_name"] == (
        "Your name in replies and in the From line. Left blank: Rita Recruiter "
        "(your account's name)."
    )
    assert helps["signature"].endswith(
        "Left blank, two lines: Rita Recruiter and Recruiting, Acme Orbital."
    )
    assert helps["from_email"] == (
        "The From address. Left blank: recruiting@localhost, the app's default sender."
    )
    assert "Left blank: rita@acme-orbital.example, the team address" in helps["reply_to"]
    assert "<strong>Rita Recruiter</strong>" in page
    sender = outbox.sender_identity(recruiter)  # what replies really use
    assert (sender["name"], sender["reply_to"]) == ("Rita Recruiter", "rita@acme-orbital.example")


def test_the_fallback_name_is_the_team_recruiters_without_an_account_name(client, profile):
    user = UserFactory(username="nameless", first_name="", last_name="")
    client.force_login(user)
    RecruiterProfile.objects.create(user=user, display_name="")

    page = client.get(reverse("triage:settings")).content.decode()

    assert help_texts(page)["display_name"].endswith(
        "Left blank: Rita Recruiter (the triage profile's recruiter)."
    )
    assert outbox.sender_identity(user)["name"] == "Rita Recruiter"


def test_a_name_of_their_own_signs_the_fallback_signature(recruiter_client, recruiter, profile):
    RecruiterProfile.objects.create(user=recruiter, display_name="Rita R.")

    page = recruiter_client.get(reverse("triage:settings")).content.decode()

    assert "Left blank, two lines: Rita R. and Recruiting" in help_texts(page)["signature"]
    assert outbox.sender_identity(recruiter)["signature"] == "Rita R.\nRecruiting, Acme Orbital"


def help_texts(html: str) -> dict[str, str]:
    """Each field's help (`id_<name>_helptext`), as text."""
    parser = HelpTexts()
    parser.feed(html)
    return {name: " ".join("".join(parts).split()) for name, parts in parser.found.items()}


class HelpTexts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found, self.current, self.depth = {}, None, 0

    def handle_starttag(self, tag, attrs):
        if self.current:
            self.depth += 1
        elif (hint := dict(attrs).get("id", "")).endswith("_helptext"):
            self.current, self.depth = hint.removeprefix("id_").removesuffix("_helptext"), 1
            self.found[self.current] = []

    def handle_endtag(self, tag):
        if self.current:
            self.depth -= 1
            if self.depth == 0:
                self.current = None

    def handle_data(self, data):
        if self.current:
            self.found[self.current].append(data)


def test_my_settings_shows_an_invalid_address_beside_the_field(recruiter_client):
    response = recruiter_client.post(reverse("triage:settings"), {"from_email": "not-an-address"})

    assert response.status_code == 400
    assert "Enter a valid email address." in response.context["form"].errors["from_email"]
    assert not RecruiterProfile.objects.exists()


def test_the_placeholder_help_speaks_in_days_not_setting_names(recruiter_client, settings):
    settings.CONSENT_WAIT_DAYS = 45

    html = recruiter_client.get(reverse("triage:template-new")).content.decode()

    help_text = html.split('id="placeholders"')[1]
    assert "it works for 45 days" in help_text
    assert "CONSENT_WAIT_DAYS" not in html
