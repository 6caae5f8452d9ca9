"""The reply a request starts from follows the person's situation, not only the bucket: an
employee's introduction gets the introduction reply, someone turned down for a role they
applied for gets the applicant's reply, and is never pointed to that role again."""

import pytest

from tests.factories import CandidateFactory, CandidateRequestFactory
from triage import reply_choice
from triage.models import ReplyTemplate
from triage.services import bulk, outbox

TURNED_DOWN = (
    "Hi Rita,\n\nI got an email on Tuesday saying I wasn't moving forward for the Flight "
    "Software Engineer role. I thought my Rust and embedded C background matched well.\n\n"
    "Would you have 20 minutes for a call to walk me through why?\n\nThanks,\nRyan\n"
)


@pytest.mark.parametrize(
    "subject, text",
    [
        ("Feedback on my Flight Software Engineer application?", "Could we talk?"),
        ("Hello", "I applied for the Data Analyst role last month and heard nothing."),
        ("Hello", "I was turned down for the analyst job."),
        ("Hello", TURNED_DOWN),
        ("Hello", "You rejected my application in May. Could I try again?"),
        ("Hello", "I heard my application was unsuccessful. What could I improve?"),
        ("Hello", "I was unsuccessful for the Data Analyst role, sadly."),
        ("Hello", "I was rejected. Can we talk about why?"),
        ("My application for the Data Analyst role was rejected", "Any feedback?"),
        ("Hello", "Your team turned me down in spring."),
    ],
)
def test_someone_who_already_applied_is_in_the_applicant_situation(subject, text):
    found = reply_choice.situation(rule="funnel_default", subject=subject, text=text)
    assert found == reply_choice.Situation.APPLIED


@pytest.mark.parametrize(
    "text",
    [
        "Before I apply for the Product Designer role, could someone look at my portfolio?",
        "I haven't applied yet: is the Data Analyst role still open?",
        "Could I pick your brain over coffee?",
    ],
)
def test_someone_about_to_apply_is_not(text):
    assert reply_choice.situation(rule="funnel_default", subject="Hi", text=text) is None


@pytest.mark.parametrize(
    "text",
    [
        "My grant application was unsuccessful, so I'm looking for work in industry.",
        "Sadly my visa application was rejected, so I can only work remotely.",
        "I rejected the offer from Initech last week: the work was not for me.",
        "I turned down an offer from a bank to keep talking with you.",
        "They offered me a lead role at a startup, but I declined.",
        "I was unsuccessful in convincing my manager to adopt Rust.",
        "Our paper was rejected at the conference, then accepted at the next one.",
    ],
)
def test_what_they_turned_down_or_another_application_is_not_having_applied(text):
    """Near misses: rejected, declined, unsuccessful or turned down, but not by us, nor an
    application to us."""
    assert reply_choice.situation(rule="funnel_default", subject="Hi", text=text) is None


def test_the_roles_they_applied_for_are_those_named_where_they_say_so():
    titles = ["Flight Software Engineer", "Data Analyst", "Backend Engineer (Go)"]
    assert reply_choice.applied_titles(titles, subject="Hi", text=TURNED_DOWN) == {
        "Flight Software Engineer"
    }
    assert reply_choice.applied_titles(
        titles, subject="My Backend Engineer application", text="Any news?"
    ) == {"Backend Engineer (Go)"}


@pytest.mark.django_db
def test_a_turned_down_applicant_gets_the_applicants_reply_without_that_role(profile, recruiter):
    request = CandidateRequestFactory(
        candidate=CandidateFactory(name="Ryan O'Connell"),
        subject="Feedback on my Flight Software Engineer application?",
        body=TURNED_DOWN,
    )

    template = outbox.default_template(request.final_bucket, request=request)
    draft = outbox.draft_reply(request, template, profile, recruiter)

    assert template.name == "Funnel: applicant to a posted role"
    assert request.final_bucket == "funnel"  # the bucket stays the rules'
    assert "Flight Software Engineer" not in draft.body
    assert "apply" not in outbox.reply_context(request, profile)["openings"]


@pytest.mark.django_db
def test_an_employee_introduction_gets_the_introduction_reply_on_the_page_and_in_bulk(
    profile, recruiter
):
    introduced = CandidateRequestFactory(
        suggested_bucket="network", suggested_rule="employee_introduction", body="Meet Lena."
    )
    in_touch = CandidateRequestFactory(
        suggested_bucket="network", suggested_rule="relevant_skills_no_job_ask", body="Later."
    )

    assert outbox.default_template("network", request=introduced).name == (
        "Network: employee introduction"
    )
    assert outbox.default_template("network", request=in_touch).is_default
    plan = bulk.plan_bulk(
        type(introduced).objects.filter(pk__in=[introduced.pk, in_touch.pk]),
        template=None,
        by=recruiter,
    )
    chosen = {item.request.pk: item.template.name for item in plan.ready}
    assert chosen[introduced.pk] == "Network: employee introduction"
    assert chosen[in_touch.pk] == "Network: keep in touch (talent pool)"


@pytest.mark.django_db
def test_a_bucket_a_recruiter_chose_or_a_switched_off_template_falls_back(profile):
    introduced = CandidateRequestFactory(
        suggested_bucket="network", suggested_rule="employee_introduction", body="Meet Lena."
    )
    ReplyTemplate.objects.filter(name="Network: employee introduction").update(is_active=False)
    assert outbox.default_template("network", request=introduced).is_default


@pytest.mark.django_db
def test_a_role_they_name_is_kept_though_it_is_based_elsewhere(profile, recruiter):
    """Flight Software Engineer is in Denver; someone in Lisbon who asks about it by name
    hears about it (with its place), not "none of our roles matches"."""
    asks = CandidateRequestFactory(
        subject="Portfolio review? (Flight Software Engineer)",
        body="I'm an engineer based in Lisbon. Before I apply for the Flight Software Engineer "
        "role, would someone look at my embedded C work?",
    )
    skills_only = CandidateRequestFactory(
        subject="Coffee?", body="I'm an engineer based in Lisbon, writing embedded C and RTOS."
    )
    template = ReplyTemplate.objects.get(name="Funnel: kind decline with open roles")

    openings = outbox.reply_context(asks, profile)["openings"]
    draft = outbox.draft_reply(asks, template, profile, recruiter)

    assert "Flight Software Engineer (Denver, CO)" in openings
    assert "None of our open roles" not in draft.body
    assert "Flight Software Engineer" not in outbox.reply_context(skills_only, profile)["openings"]
