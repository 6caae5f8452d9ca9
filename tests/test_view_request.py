import pytest
from django.urls import reverse

from tests.factories import CandidateFactory, CandidateRequestFactory, UserFactory
from triage.models import CandidateRequest, Reply, ReplyTemplate

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate_request(profile):
    return CandidateRequestFactory(
        subject="Informational interview about flight software?",
        body="Hi Rita, could we do an informational interview? I write Rust for small satellites.",
        candidate=CandidateFactory(name="Ada Lovelace", email="ada@mail.example"),
        message_id="<first@mail.example>",
        reasons=[{"text": "Asks for a job now", "evidence": ["informational interview"]}],
    )


def url(name, candidate_request):
    return reverse(name, args=[candidate_request.pk])


def test_every_page_requires_login(client, candidate_request):
    for name, method in [
        ("triage:request", client.get),
        ("triage:override", client.post),
        ("triage:reply", client.post),
    ]:
        response = method(url(name, candidate_request))
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("login")), name


def test_the_login_page_is_open_and_signs_in(client, recruiter):
    assert "Sign in" in client.get(reverse("login")).content.decode()
    response = client.post(
        reverse("login"), {"username": "rita", "password": "correct horse battery"}
    )
    assert response.status_code == 302 and response.url == reverse("triage:inbox")


def test_it_shows_the_message_the_verdict_and_the_highlighted_evidence(
    recruiter_client, candidate_request
):
    html = recruiter_client.get(url("triage:request", candidate_request)).content.decode()

    assert "Ada Lovelace" in html
    assert "I write Rust for small satellites" in html
    assert "Asks for a job now" in html
    assert "<mark>informational interview</mark>" in html


def test_it_previews_the_default_template_with_placeholders_filled(
    recruiter_client, candidate_request
):
    response = recruiter_client.get(url("triage:request", candidate_request))

    form = response.context["form"]
    body = form.initial["body"]
    assert form.initial["template"].is_default and form.initial["template"].bucket == "funnel"
    assert body.startswith("Hi Ada,")
    assert "Acme Orbital" in body
    assert "https://careers.acme-orbital.example" in body
    # The matching open role is listed: the candidate mentions Rust.
    assert "Flight Software Engineer (Denver, CO)" in body
    assert "Rita Recruiter" in body
    assert "{{" not in body


def test_it_switches_the_template_for_htmx_with_just_the_composer(
    recruiter_client, candidate_request
):
    network = ReplyTemplate.objects.get(bucket="network", is_default=True)

    response = recruiter_client.get(
        url("triage:request", candidate_request),
        {"template": network.pk},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert "<html" not in html
    assert response.context["form"].initial["template"] == network
    assert "Hi Ada," in html


def test_it_moves_the_request_to_another_bucket(recruiter_client, recruiter, candidate_request):
    response = recruiter_client.post(
        url("triage:override", candidate_request), {"bucket": "exceptional"}
    )

    candidate_request.refresh_from_db()
    assert response.status_code == 302
    assert candidate_request.final_bucket == "exceptional"
    assert candidate_request.suggested_bucket == "funnel"
    assert candidate_request.final_bucket_set_by == recruiter
    page = recruiter_client.get(response.url).content.decode()
    assert "Moved to “Exceptional skill”" in page
    assert "Moved by Rita Recruiter" in page


def test_it_refuses_an_unknown_bucket(recruiter_client, candidate_request):
    recruiter_client.post(url("triage:override", candidate_request), {"bucket": "vip"})

    candidate_request.refresh_from_db()
    assert candidate_request.final_bucket == "funnel"


def test_override_refuses_get(recruiter_client, candidate_request):
    assert recruiter_client.get(url("triage:override", candidate_request)).status_code == 405


def test_it_sends_the_edited_reply_and_marks_the_request_replied(
    recruiter_client, recruiter, candidate_request, outbox_dir, django_capture_on_commit_callbacks
):
    template = ReplyTemplate.objects.get(bucket="funnel", is_default=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = recruiter_client.post(
            url("triage:reply", candidate_request),
            {"template": template.pk, "subject": "Re: your note", "body": "Hi Ada,\nThank you!"},
        )
    response = recruiter_client.get(response.url)

    reply = Reply.objects.get()
    candidate_request.refresh_from_db()
    assert candidate_request.status == CandidateRequest.Status.REPLIED
    assert (reply.status, reply.to_email, reply.sent_by) == ("sent", "ada@mail.example", recruiter)
    assert reply.body == "Hi Ada,\nThank you!\n"
    html = response.content.decode()
    assert "is on its way" in html
    assert "Thank you!" in html and "This request has been answered" in html
    [eml] = outbox_dir.glob("*.eml")
    assert "Hi Ada," in eml.read_text()


def test_it_refuses_a_second_send(
    recruiter_client, candidate_request, outbox_dir, django_capture_on_commit_callbacks
):
    data = {"subject": "Re: your note", "body": "Hi Ada"}

    with django_capture_on_commit_callbacks(execute=True):
        recruiter_client.post(url("triage:reply", candidate_request), data)
    second = recruiter_client.post(url("triage:reply", candidate_request), data, follow=True)

    assert Reply.objects.count() == 1
    assert len(list(outbox_dir.glob("*.eml"))) == 1
    assert "already has a reply" in second.content.decode()


def test_the_database_refuses_a_second_live_reply(candidate_request):
    from django.db import IntegrityError, transaction

    def reply(message_id):
        return Reply.objects.create(
            request=candidate_request,
            to_email="ada@mail.example",
            subject="s",
            body="b",
            message_id=message_id,
        )

    reply("<one@x>")
    with pytest.raises(IntegrityError), transaction.atomic():
        reply("<two@x>")


def test_a_reply_from_a_second_recruiter_is_refused_too(client, candidate_request):
    data = {"subject": "Re: your note", "body": "Hi Ada"}
    for username in ("first", "second"):
        client.force_login(UserFactory(username=username))
        client.post(url("triage:reply", candidate_request), data)

    assert Reply.objects.get().sent_by.username == "first"


def test_it_shows_an_invalid_reply_form_with_the_error_beside_the_field(
    recruiter_client, candidate_request
):
    response = recruiter_client.post(
        url("triage:reply", candidate_request), {"subject": "Re: hi", "body": ""}
    )

    assert response.status_code == 400
    assert Reply.objects.count() == 0
    html = response.content.decode()
    assert 'id="error_1_id_body"' in html and "This field is required." in html


def test_it_keeps_a_subject_on_one_line(recruiter_client, candidate_request):
    recruiter_client.post(
        url("triage:reply", candidate_request),
        {"subject": "Re: hi\r\nBcc: everyone@x.example", "body": "Hello"},
    )

    assert Reply.objects.get().subject == "Re: hi Bcc: everyone@x.example"


def test_it_escapes_what_candidates_wrote(recruiter_client, profile):
    request = CandidateRequestFactory(
        subject="<b>Urgent</b>",
        body='<script>alert("x")</script> informational interview',
        candidate=CandidateFactory(name="<i>Eve</i>"),
        reasons=[{"text": "<svg onload=alert(1)>", "evidence": ["<script>"]}],
    )

    html = recruiter_client.get(url("triage:request", request)).content.decode()

    assert "<script>alert" not in html and "<b>Urgent</b>" not in html
    assert "<svg onload" not in html and "<i>Eve</i>" not in html
    assert "<mark>&lt;script&gt;</mark>" in html


def test_it_shows_each_flag_its_evidence_and_the_suggested_action(
    recruiter_client, candidate_request
):
    candidate_request.flags = {
        "not-candidate": {
            "text": "Not a candidate's request: a security report",
            "evidence": ["security contact", "exposes"],
            "action": "Forward it to your security team today.",
            "topic": "security",
        },
        "urgent": {
            "text": "Urgent: a security problem reported",
            "evidence": ["urgently"],
            "action": "Forward it today.",
        },
    }
    candidate_request.save()

    html = recruiter_client.get(url("triage:request", candidate_request)).content.decode()

    assert html.index('data-flag="urgent"') < html.index('data-flag="not-candidate"')
    assert "Not a candidate&#x27;s request: a security report" in html
    assert "Because of: <mark>security contact</mark>, <mark>exposes</mark>" in html
    assert "Suggested: Forward it to your security team today." in html
    assert "Urgent: a security problem reported" in html


def test_a_request_without_flags_shows_none(recruiter_client, candidate_request):
    html = recruiter_client.get(url("triage:request", candidate_request)).content.decode()

    assert "data-flag=" not in html and "Suggested:" not in html


def test_the_other_rules_that_matched_are_named_by_their_titles(recruiter_client, profile):
    # A recruiter reads "Also matched: Known contact", not the code's name for the rule; a
    # key no rule has any longer (deleted) is still shown as it was recorded.
    from triage.services import rulebook

    rulebook.sync_builtin_rules()
    request = CandidateRequestFactory(
        candidate=CandidateFactory(name="Ada Lovelace", email="ada@mail.example"),
        also_matched=["known_contact", "a_rule_since_deleted"],
    )

    html = recruiter_client.get(url("triage:request", request)).content.decode()

    assert "Also matched: Known contact, a_rule_since_deleted" in html
    assert "known_contact" not in html


def test_each_reason_highlights_its_evidence_once_where_it_quotes_it(recruiter_client, profile):
    # The policy's text quotes its evidence ('Asks for a meeting now: "pick your brain"'), so
    # the page marks the quote in place instead of repeating the words after it; a long
    # sentence shortened in the text ("…") is marked whole; evidence the text does not quote
    # is listed after it, as before; and all of it is escaped.
    sentence = "I chair the national committee for IEC 61850 " + "and more " * 30 + "in the end"
    shortened = " ".join(sentence[:199].split()[:-1]) + "…"
    request = CandidateRequestFactory(
        candidate=CandidateFactory(name="Ada Lovelace", email="ada@mail.example"),
        body=f"Could I pick your brain? {sentence}.",
        reasons=[
            {"text": 'Asks for a meeting now: "pick your brain"', "evidence": ["pick your brain"]},
            {"text": f'Distinguished record: "{shortened}"', "evidence": [sentence]},
            {"text": "In a hard-to-fill skill: IEC 61850", "evidence": ["IEC"]},
            {"text": 'Quotes "<b>bold</b>"', "evidence": ["<b>bold</b>"]},
        ],
    )

    html = recruiter_client.get(url("triage:request", request)).content.decode()
    reasons = html[html.index('<ul class="small mb-2 reasons">') :]
    reasons = reasons[: reasons.index("</ul>")]

    assert "Asks for a meeting now: <mark>pick your brain</mark></li>" in reasons
    assert f"Distinguished record: <mark>{sentence}</mark></li>" in reasons
    assert "…" not in reasons
    assert "In a hard-to-fill skill: IEC 61850: <mark>IEC</mark></li>" in reasons
    assert "Quotes <mark>&lt;b&gt;bold&lt;/b&gt;</mark></li>" in reasons
    assert "<b>" not in reasons


def test_the_hiring_manager_card_does_not_call_every_candidate_exceptional(
    recruiter_client, profile
):
    from tests.factories import hiring_manager

    hiring_manager("hank", first_name="Hank")
    request = CandidateRequestFactory(
        candidate=CandidateFactory(name="Ada Lovelace", email="ada@mail.example"),
        final_bucket="network",
    )

    html = recruiter_client.get(url("triage:request", request)).content.decode()
    card = html[html.index('id="assignment"') :]
    card = card[: card.index("</section>")]

    assert 'id="assign-form"' in card
    assert "exceptional" not in card.lower()
    assert "Hand this person to the hiring manager who should talk with them" in card


def test_a_bucket_kept_as_the_rules_suggested_says_confirmed_not_moved(
    recruiter_client, candidate_request
):
    # "3" on a row already in Exceptional (static/js/keys.js) keeps the bucket and records
    # the recruiter's say-so: the page must not claim it was moved from where it is.
    candidate_request.suggested_bucket = candidate_request.final_bucket = "exceptional"
    candidate_request.save()

    page = recruiter_client.post(
        url("triage:override", candidate_request), {"bucket": "exceptional"}, follow=True
    ).content.decode()

    assert "Confirmed by Rita Recruiter" in page
    assert "Moved by" not in page and "rules suggested" not in page
