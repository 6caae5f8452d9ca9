"""The triage policy, rule by rule, against a small fictional company (no database)."""

import pytest

from triage.rules import (
    RULES,
    Address,
    Bucket,
    Opening,
    Person,
    Profile,
    RequestFacts,
    Verdict,
    classify,
    describe_rules,
    distinguished_record,
    employee_introduction,
    funnel_default,
    known_contact,
    notable_person,
    relevant_skills_no_job_ask,
)

RECRUITER = "priscilla.vance@harborline.example"

PROFILE = Profile(
    company="Harborline Foods",
    careers_url="https://jobs.harborline.example",
    recruiter_name="Priscilla Vance",
    recruiter_email=RECRUITER,
    employee_domains=("harborline.example", "harborline-foods.example"),
    openings=(
        Opening(
            "Backend Engineer, Payments",
            "https://jobs.harborline.example/7-backend-engineer",
            ("Go", "PostgreSQL", "C++"),
        ),
        Opening(
            "Data Scientist",
            "https://jobs.harborline.example/9-data-scientist",
            ("causal inference", "demand forecasting"),
        ),
    ),
    hard_to_fill_skills=("cold-chain optimization", "HACCP auditing"),
    notable_people=(Person("Odile Ferraro", "odile@ferraro.example"),),
    contacts=(
        Person("Bram Kessler", "bram@kessler.example", "Former payments engineer, left in 2023."),
    ),
)


STRANGER = Address("Casey Lin", "casey.lin@mail.example")
TO_RECRUITER = (Address("Priscilla Vance", RECRUITER),)


def facts(
    body: str,
    *,
    subject: str = "Hello",
    sender: Address = STRANGER,
    to: tuple[Address, ...] = TO_RECRUITER,
    cc: tuple[Address, ...] = (),
) -> RequestFacts:
    return RequestFacts(sender=sender, subject=subject, body=body, to=to, cc=cc)


def evidence_of(verdict: Verdict) -> list[str]:
    return [e for r in verdict.reasons for e in r.evidence]


# --- notable_person ------------------------------------------------------------------------


def test_it_sends_a_notable_person_found_by_email_to_exceptional():
    f = facts("free to talk thursday?", sender=Address("O.F.", "odile@ferraro.example"))
    v = classify(f, PROFILE)
    assert (v.bucket, v.rule) == (Bucket.EXCEPTIONAL, "notable_person")
    assert v.reasons[0].text == "Sender is on the notable-people list: Odile Ferraro"
    assert v.reasons[0].evidence == ("odile@ferraro.example",)


@pytest.mark.parametrize("name", ["Odile Ferraro", "odile  ferraro", "フェラーロ (Odile Ferraro)"])
def test_it_finds_a_notable_person_by_exact_full_name_from_another_address(name):
    f = facts("Hello there.", sender=Address(name, "o.ferraro@newjob.example"))
    assert notable_person(f, PROFILE) is not None


def test_it_does_not_treat_a_partial_name_as_a_notable_person():
    f = facts("Hello there.", sender=Address("Odile Ferraro-Marsh", "om@else.example"))
    assert notable_person(f, PROFILE) is None


# --- distinguished_record ------------------------------------------------------------------

WON_AWARD = (
    "My cold-chain optimization planner won the Best Paper Award at the Logistics Systems "
    "conference, and I am the creator of the open-source library most carriers use."
)


def test_it_sends_a_distinguished_record_in_a_hard_to_fill_skill_to_exceptional():
    v = classify(facts(WON_AWARD + " Could we set up a call?"), PROFILE)
    assert (v.bucket, v.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
    assert "won the Best Paper Award" in evidence_of(v)
    assert "cold-chain optimization" in evidence_of(v)


@pytest.mark.parametrize(
    "body",
    [
        "I was named Employee of the Month for my cold-chain optimization dashboards.",
        "I received a spot award for HACCP auditing at my current company.",
        "I took first place in our internal hackathon with a cold-chain optimization demo.",
    ],
)
def test_it_does_not_count_internal_company_awards_as_distinguished(body):
    assert distinguished_record(facts(body), PROFILE) is None


def test_it_does_not_count_experience_in_a_hard_to_fill_skill_without_distinction():
    body = "I have three years of HACCP auditing experience at a dairy plant."
    assert distinguished_record(facts(body), PROFILE) is None


def test_it_does_not_count_a_real_award_outside_the_hard_to_fill_skills():
    body = "Our checkout page won Gold at the National Web Design Awards."
    assert distinguished_record(facts(body), PROFILE) is None


# --- employee_introduction -----------------------------------------------------------------

INTRO = "Marta Reyes (cc'd) suggested I write to you. I'm not looking to move right now."
MARTA = Address("Marta Reyes", "marta.reyes@harborline.example")


def test_it_sends_an_introduction_by_a_cc_d_employee_to_network():
    v = classify(facts(INTRO, cc=(MARTA,)), PROFILE)
    assert (v.bucket, v.rule) == (Bucket.NETWORK, "employee_introduction")
    assert "named in the message" in v.reasons[0].text
    assert evidence_of(v) == ["marta.reyes@harborline.example", "Marta Reyes"]


def test_it_counts_an_employee_on_a_second_company_domain_in_the_to_line():
    colleague = Address("Lee Ho", "lee.ho@harborline-foods.example")
    to = (Address("Priscilla Vance", RECRUITER), colleague)
    assert employee_introduction(facts("Lee asked me to say hi.", to=to), PROFILE) is not None


def test_it_does_not_treat_a_name_dropped_employee_without_cc_as_an_introduction():
    body = "I follow Marta Reyes online and I'm sure she would vouch for me."
    assert employee_introduction(facts(body), PROFILE) is None
    assert classify(facts(body), PROFILE).bucket == Bucket.FUNNEL


@pytest.mark.parametrize(
    "inbox", ["jobs@harborline.example", "careers@harborline.example", "hr@harborline.example"]
)
def test_it_does_not_treat_a_cc_d_generic_company_inbox_as_an_introduction(inbox):
    f = facts("Please consider me for any openings.", cc=(Address("Jobs", inbox),))
    assert employee_introduction(f, PROFILE) is None
    assert classify(f, PROFILE).bucket == Bucket.FUNNEL


def test_it_does_not_treat_the_recruiter_s_own_address_as_an_introduction():
    assert employee_introduction(facts("Hi!"), PROFILE) is None


# --- known_contact -------------------------------------------------------------------------


def test_it_sends_a_known_contact_to_network_even_with_an_informational_ask():
    sender = Address("Bram Kessler", "bram@kessler.example")
    v = classify(facts("Could we do an informational interview?", sender=sender), PROFILE)
    assert (v.bucket, v.rule) == (Bucket.NETWORK, "known_contact")
    assert v.reasons[0].text.startswith("Sender is a known contact: Bram Kessler (Former")
    assert v.reasons[0].evidence == ("bram@kessler.example",)


def test_it_ignores_we_may_have_met_from_someone_not_on_the_contacts_list():
    f = facts("I think we may have met at a career fair last year? Would love to reconnect.")
    assert known_contact(f, PROFILE) is None
    assert classify(f, PROFILE).bucket == Bucket.FUNNEL


# --- relevant_skills_no_job_ask ------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "I write C++ and Go for a payments startup. I'm not applying for anything yet.",
        "Three years of HACCP auditing. We're relocating to your city next year; keep in touch!",
        # A job-ask phrase after a negation says the opposite.
        "I'm not looking for a job right now, but my Go work may interest you. Keep in touch!",
        "I write Go. I'm not actively looking for a new role, so let's stay in touch.",
        "I write Go. I don\u2019t want referrals; I'm not applying yet.",
        "I write Go and I'm no longer looking for a job: we're relocating next year.",
        "I write Go and have never applied here. Not ready to move; keep in touch.",
    ],
)
def test_it_sends_relevant_skills_from_someone_not_job_hunting_now_to_network(body):
    v = classify(facts(body), PROFILE)
    assert (v.bucket, v.rule) == (Bucket.NETWORK, "relevant_skills_no_job_ask")


@pytest.mark.parametrize(
    "body",
    [
        "Some HACCP auditing background. Could you fast-track me to an interview?",
        "I know Go and PostgreSQL well. Would you refer me for the Backend Engineer role?",
        "Data Scientist here, not on the market until spring, but could we do a coffee chat?",
        # The negation belongs to another phrase: the ask stands.
        "I'm not in a rush, keep in touch, but I'm looking for a job in Go soon.",
        # Only one word may sit between the negation and the ask.
        "I write Go, not really actively looking for a job, but keep in touch.",
        # "not" inside another word is no negation.
        "I write Go. Keep in touch: knot referrals are my hobby.",
    ],
)
def test_it_keeps_an_applicant_asking_for_a_job_in_the_funnel_even_with_matching_skills(body):
    assert relevant_skills_no_job_ask(facts(body), PROFILE) is None
    v = classify(facts(body), PROFILE)
    assert (v.bucket, v.rule) == (Bucket.FUNNEL, "funnel_default")


def test_it_matches_skills_with_symbols_and_hyphens_as_whole_words():
    assert relevant_skills_no_job_ask(facts("I use C and Rust. Not applying yet."), PROFILE) is None
    v = classify(facts("Mostly C++, and cold chain optimization. Not applying yet."), PROFILE)
    assert {"C++", "cold chain optimization"} <= set(evidence_of(v))


# --- funnel_default ------------------------------------------------------------------------


def test_it_sends_everyone_else_to_the_funnel_with_a_reason_and_the_job_ask():
    f = facts(
        "I'd love an informational interview about the Data Scientist role.",
        subject="Informational interview?",
    )
    v = classify(f, PROFILE)
    assert (v.bucket, v.rule, v.also_matched) == (Bucket.FUNNEL, "funnel_default", ())
    assert "careers site (https://jobs.harborline.example)" in v.reasons[0].text
    assert "Informational interview" in evidence_of(v)
    assert "informational interview" in evidence_of(v)
    assert any("Data Scientist" in r.text and r.evidence for r in v.reasons[2:])


def test_it_gives_a_plain_reason_when_nothing_at_all_matches():
    reasons = funnel_default(facts("Hi, can we chat?"), PROFILE)
    assert reasons is not None
    assert reasons[0].text.startswith("No relationship, introduction or rare skill found")


# --- classify ------------------------------------------------------------------------------


def test_it_lets_the_first_decisive_rule_win_and_lists_the_others_in_also_matched():
    sender = Address("Odile Ferraro", "bram@kessler.example")  # notable by name, a contact
    v = classify(facts(INTRO + " " + WON_AWARD, sender=sender, cc=(MARTA,)), PROFILE)
    assert v.rule == "notable_person"
    assert v.also_matched == (
        "distinguished_record",
        "employee_introduction",
        "known_contact",
        "relevant_skills_no_job_ask",
    )


CASES = [
    facts(INTRO, subject="Intro via Marta Reyes", cc=(MARTA,)),
    facts(WON_AWARD, subject="Best paper, cold-chain optimization"),
    facts("We're RELOCATING next year. I write c++ daily.", subject="Go engineer"),
    facts("Can we set up an Informational Interview for the Backend Engineer role?"),
]


@pytest.mark.parametrize("case", CASES)
def test_it_only_cites_evidence_that_appears_verbatim_in_the_message(case):
    addresses = {a.email for a in (case.sender, *case.to, *case.cc)}
    verdict = classify(case, PROFILE)
    assert evidence_of(verdict)
    for e in evidence_of(verdict):
        assert e in case.subject or e in case.body or e in addresses


def test_it_describes_every_rule_for_the_ui_in_priority_order():
    info = describe_rules()
    assert [i.name for i in info] == [r.name for r in RULES]
    assert [(i.name, i.bucket) for i in info] == [
        ("notable_person", Bucket.EXCEPTIONAL),
        ("distinguished_record", Bucket.EXCEPTIONAL),
        ("employee_introduction", Bucket.NETWORK),
        ("known_contact", Bucket.NETWORK),
        ("relevant_skills_no_job_ask", Bucket.NETWORK),
        ("funnel_default", Bucket.FUNNEL),
    ]
    assert all(i.description and "\n" not in i.description for i in info)
    assert tuple(info[0]) == (
        "notable_person",
        "Sender is on the notable-people list (by email address or exact full name).",
        Bucket.EXCEPTIONAL,
    )


def test_a_reason_never_says_no_sign_of_waiting_beside_an_urgent_deadline():
    from triage import flags

    f = facts(
        "I have an offer from another company that expires on Friday, but you are my first "
        "choice. Could we have a short call before then about the Backend Engineer role? I "
        "have 4 years of Go and PostgreSQL.",
        subject="Urgent question about the Backend Engineer role",
    )

    verdict = classify(f, PROFILE)
    found = {flag.name.value: flag for flag in flags.flags_for(f)}

    assert verdict.rule == "funnel_default" and "urgent" in found
    summary = verdict.reasons[0].text
    assert "waiting" not in summary
    assert summary.startswith("Relevant skills but no relationship or distinction")


def test_request_facts_take_their_fields_as_the_dataclass_would():
    import dataclasses
    import inspect

    # RequestFacts writes its __init__ out (see there): the same parameters, in the same
    # order, with the same defaults as the fields, and the instance holds what it was given.
    params = list(inspect.signature(RequestFacts).parameters.values())
    fields = dataclasses.fields(RequestFacts)
    assert [p.name for p in params] == [f.name for f in fields]
    assert [p.default for p in params] == [
        inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default for f in fields
    ]
    f = facts("Hi", subject="Hello")
    assert dataclasses.replace(f, body="Hey") == facts("Hey", subject="Hello")
    assert f == facts("Hi", subject="Hello") and hash(f) == hash(facts("Hi", subject="Hello"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.body = "Hey"  # type: ignore[misc]
