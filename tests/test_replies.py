import pytest

from triage import replies

CONTEXT = {
    "first_name": "Ada",
    "last_name": "",
    "company": "Acme Orbital",
    "careers_url": "https://careers.acme-orbital.example",
    "openings": "",
    "recruiter_name": "Rita",
    "recruiter_signature": "Rita\nRecruiting",
    "original_subject": "Hi",
    "original_date": "1 Jan 2026",
    "consent_url": "https://triage.example/consent/token/",
    "role_title": "Flight Software Engineer",
    "role_url": "https://careers.acme-orbital.example/jobs/7",
}


def test_it_fills_placeholders_and_fallbacks():
    text = 'Hi {{ first_name }}, {{ last_name|default:"friend" }} at {{ company }}'

    assert replies.render(text, CONTEXT) == "Hi Ada, friend at Acme Orbital"


def test_it_renders_candidate_text_as_plain_unmarked_text():
    rendered = replies.render("{{ first_name }}", {"first_name": "<b>Eve</b>"})

    assert rendered == "<b>Eve</b>"
    assert type(rendered) is str  # not SafeString: pages must still escape it


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Hi {{ first_nme }}", "Line 1: unknown placeholder {{ first_nme }}"),
        ("Hi\n{{ settings.SECRET_KEY }}", "Line 2: unknown placeholder {{ settings.SECRET_KEY }}"),
        ("{{ first_name.upper }}", "unknown placeholder {{ first_name.upper }}"),
        ("{% for x in openings %}{% endfor %}", "tags like 'for x in openings' are not allowed"),
        ("{{ company|upper }}", "the filter |upper is not allowed"),
        ("{% load static %}", "{% load %} is not allowed"),
        ("{{ company|default }}", "Line 1: default requires 2 arguments"),
    ],
)
def test_it_refuses_what_the_sandbox_does_not_allow(text, problem):
    problems = replies.check(text)

    assert any(problem in p for p in problems), problems


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Hi\n{% load static %}", "Line 2: {% load %} is not allowed"),
        ('{% static "logo.png" %}', "Line 1: Invalid block tag on line 1: 'static'."),
        ("{% if openings %}x{% endfor %}", "expected 'elif', 'else' or 'endif'."),
    ],
)
def test_a_syntax_error_says_what_is_wrong_without_django_s_advice(text, problem):
    # Django's own words point the other way in a sandbox with no libraries: "Must be one
    # of:" followed by nothing, "Did you forget to register or load this tag?".
    problems = replies.check(text)

    assert any(problem in p for p in problems), problems
    assert not any("Must be one of" in p or "register or load" in p for p in problems), problems


def test_it_names_placeholders_that_would_render_empty_without_a_fallback():
    text = 'Hi {{ first_name }} {{ last_name }} {{ openings|default:"none" }} {{ company }}'

    assert replies.empty_placeholders(text, CONTEXT) == ["last_name"]


def test_every_shipped_template_is_valid_and_each_bucket_has_one_default():
    shipped = replies.shipped_templates()

    for template in shipped:
        assert replies.check(template.subject) == [], template.name
        assert replies.check(template.body) == [], template.name
        # Nothing that may be empty is used without a fallback.
        empty = {name: "" for name in ("first_name", "last_name", "openings", "original_subject")}
        assert replies.empty_placeholders(template.body, {**CONTEXT, **empty}) == []
    defaults = sorted(t.bucket for t in shipped if t.is_default)
    assert defaults == ["exceptional", "funnel", "network"]
    assert {t.bucket for t in shipped if not t.is_default} >= {"funnel", "network", "exceptional"}


@pytest.mark.django_db
def test_a_template_with_an_unknown_placeholder_cannot_be_saved_through_forms_or_admin():
    from django.core.exceptions import ValidationError

    from triage.models import ReplyTemplate

    template = ReplyTemplate(name="Broken", bucket="funnel", subject="Hi", body="Dear {{ nme }}")

    with pytest.raises(ValidationError) as caught:
        template.full_clean()

    assert "unknown placeholder {{ nme }}" in caught.value.message_dict["body"][0]
