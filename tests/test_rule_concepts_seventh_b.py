"""Issue 13, seventh round: the kinds of miss a new company's tuning mail showed, in a
setting of its own (a railway signalling firm none of the corpora is about), written before
the rules changed: a thing told as made before the verb ("the fault tree I made"), the
field's big names using it ("two of the big operators license it"), its work copied by
many, a first in the field ("led the first retrofit to be certified"), a notable person
forwarded by an employee, and a fellowship that is a grade of membership, not an honour.
Each with a near miss. Pure: no database."""

import pytest

from tests import rule_cases
from triage import rules
from triage.rules import Address, Bucket, Opening, Person, Profile, RequestFacts

PROFILE = Profile(
    company="Tarn Signal Works",
    careers_url="https://careers.tarn.test",
    recruiter_name="Oona Recruiter",
    recruiter_email="oona@tarn-signal.example",
    employee_domains=("tarn-signal.example",),
    openings=(
        Opening("Signalling Engineer", "https://careers.tarn.test/4", ("interlocking", "Python")),
    ),
    hard_to_fill_skills=(
        "axle counter fault diagnosis",
        "interlocking safety validation (ETCS / CBTC)",
        "timetable robustness modelling",
    ),
    notable_people=(Person("Ilse Marchetti", "ilse@marchetti-rail.example"),),
)
STRANGER = Address("Rui Costa", "rui@elsewhere.example")
EMPLOYEE = Address("Bo Lund", "bo.lund@tarn-signal.example")


def verdict(body: str, *, sender: Address = STRANGER, subject: str = "Hello", quoted=()):
    return rule_cases.classify(PROFILE, body, sender=sender, subject=subject, quoted_authors=quoted)


# --- Made, what was made told before the verb ---------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "The axle counter fault tree I made from ten years of depot logs is licensed by most "
        "operators in Europe.",
        "The timetable robustness model we made for the northern lines is now the reference "
        "method.",
    ],
)
def test_a_thing_made_told_before_the_verb_is_a_creation(body):
    result = verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


@pytest.mark.parametrize(
    "body",
    [
        # Made with its object after it: a decision, a move, not a thing.
        "I made the move into axle counter fault diagnosis after a decade at the firm most "
        "operators license their relays from.",
        # Made by someone else.
        "The axle counter fault tree made by my supervisor is licensed by most operators.",
    ],
)
def test_made_of_a_move_or_by_someone_else_is_no_creation(body):
    assert verdict(body).bucket != Bucket.EXCEPTIONAL


# --- The field's big names, and its work copied by many -----------------------------------


def test_the_big_names_of_the_field_using_it_are_the_field():
    body = (
        "For nine years I have worked on timetable robustness modelling. The delay model I "
        "wrote is used by two of the big train operators."
    )
    assert verdict(body).bucket == Bucket.EXCEPTIONAL


@pytest.mark.parametrize(
    "body",
    [
        # "a big" thing is its size, not the field's leaders.
        "For nine years I have worked on timetable robustness modelling. I wrote a big delay "
        "model that two teams used.",
        "The delay model I wrote for timetable robustness modelling was used by two of my "
        "colleagues.",
    ],
)
def test_a_big_thing_or_a_few_colleagues_are_not_the_field(body):
    assert verdict(body).bucket != Bucket.EXCEPTIONAL


def test_work_copied_by_many_in_the_field_is_used_by_them():
    body = (
        "I wrote the chapter on axle counter fault diagnosis in the operators' handbook, and I "
        "see its fault tables copied in the manuals of many European operators."
    )
    assert verdict(body).bucket == Bucket.EXCEPTIONAL


def test_copying_the_fields_work_oneself_is_not_a_creation():
    body = (
        "I designed the axle counter fault diagnosis checklist for our depot, and we copied it "
        "to many depots."
    )
    assert verdict(body).bucket != Bucket.EXCEPTIONAL


# --- A first in the field ------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "I led the design of the first interlocking upgrade to run CBTC on a live main line.",
        "In 2023 my team did the first axle counter retrofit on a tunnel section that the "
        "regulator accepted as permanent. Before that everyone used track circuits there.",
        "We delivered the first-ever timetable robustness model for a cross-border network.",
    ],
)
def test_a_first_in_the_field_near_a_skill_is_a_record(body):
    result = verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
    assert any("first" in e for r in result.reasons for e in r.evidence)


@pytest.mark.parametrize(
    "body",
    [
        # A first at work or in time, not in the field.
        "I led the first phase of an interlocking upgrade to run on a regional line.",
        "In my first year I did axle counter fault diagnosis for a regional operator.",
        "I was the first engineer to join the interlocking team at my company.",
        "I wrote the first draft to send to the axle counter fault diagnosis group.",
    ],
)
def test_a_first_at_work_or_in_time_is_no_record(body):
    assert verdict(body).bucket != Bucket.EXCEPTIONAL


# --- A notable person forwarded by an employee ----------------------------------------------


def test_a_notable_person_forwarded_by_an_employee_is_notable():
    body = "Oona, see below. Could you talk to her soon?\n\nBo"
    quoted = ("From: Ilse Marchetti <ilse@marchetti-rail.example>",)
    result = verdict(body, sender=EMPLOYEE, subject="Fwd: signalling role", quoted=quoted)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "notable_person")
    assert "ilse@marchetti-rail.example" in result.reasons[0].evidence[0]


@pytest.mark.parametrize(
    ("subject", "quoted"),
    [
        # Someone else forwarded, the notable person only named in the text.
        ("Fwd: signalling role", ("From: Ana Reis <ana@elsewhere.example>",)),
        # A reply quoting her, forwarding no one.
        ("Re: signalling role", ("On Mon, 2 Nov 2026, Ilse Marchetti <ilse@x.example> wrote:",)),
    ],
)
def test_a_notable_name_in_the_text_or_a_quoted_reply_is_not_forwarding_them(subject, quoted):
    body = "Ilse Marchetti suggested I write to you about the signalling role."
    result = verdict(body, subject=subject, quoted=quoted)

    assert result.rule != "notable_person"


# --- A fellowship: an honour when conferred, a grade of membership otherwise ----------------


def test_a_fellow_of_a_professional_body_by_grade_is_no_role():
    body = (
        "I am a Fellow of the Institution of Railway Signal Engineers with twelve years in "
        "interlocking safety validation. I would welcome an interview."
    )
    assert verdict(body).bucket == Bucket.FUNNEL


@pytest.mark.parametrize(
    "body",
    [
        "In 2022 I was made a Fellow of the Institution of Railway Signal Engineers for my work "
        "on interlocking safety validation.",
        "The society named me an honorary fellow for my interlocking safety validation work.",
    ],
)
def test_a_fellowship_conferred_by_a_body_is_a_role(body):
    assert verdict(body).bucket == Bucket.EXCEPTIONAL


# --- Words of use that say nothing of the field's use ---------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        # How much they published, not the field using it.
        "Over fifteen years I have published widely on axle counter fault diagnosis for many "
        "operators.",
        # A basis that is no one's basis for anything.
        "I set the maintenance basis on more than 900 axle counters for three operators and "
        "wrote their fault diagnosis notes.",
    ],
)
def test_publishing_widely_or_setting_a_basis_is_not_the_fields_use(body):
    assert verdict(body).bucket != Bucket.EXCEPTIONAL


def test_portfolios_in_the_plural_are_books_of_business_not_a_portfolio_piece():
    used = (
        "I wrote the axle counter fault diagnosis guide that many operators use across their "
        "asset portfolios."
    )
    piece = (
        "I wrote an axle counter fault diagnosis tool as a portfolio piece, and many operators "
        "downloaded it."
    )
    assert verdict(used).bucket == Bucket.EXCEPTIONAL
    assert verdict(piece).bucket != Bucket.EXCEPTIONAL


def test_the_big_thing_is_its_size_not_the_fields_leaders():
    body = (
        "I wrote the timetable robustness model the national operator used for the big "
        "winter timetable change."
    )
    assert verdict(body).bucket != Bucket.EXCEPTIONAL


# --- A prize beside a distinctive word of a skill the subject names -----------------------

AWARDED = (
    "Our way of testing interlocking tables against the track plan is now used in two "
    "regions. The national signalling institute gave me its engineering award for it in 2023."
)


def test_a_prize_beside_a_distinctive_skill_word_the_subject_names_is_a_record():
    result = verdict(AWARDED, subject="Interlocking work - Leeds")

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
    assert any("interlocking" in e.lower() for r in result.reasons[1:] for e in r.evidence)


def test_a_prize_beside_one_skill_word_the_subject_does_not_name_is_no_record():
    assert verdict(AWARDED, subject="Leeds").bucket != Bucket.EXCEPTIONAL


# --- The lead for a thing the field uses ----------------------------------------------------


def test_the_lead_for_a_thing_the_field_uses_made_it():
    body = (
        "For six years I was the technical lead for the axle counter chapter of the national "
        "fault diagnosis handbook, which most operators now use."
    )
    assert verdict(body).bucket == Bucket.EXCEPTIONAL


def test_the_lead_for_a_skill_at_an_employer_made_nothing():
    body = (
        "I am the technical lead for axle counter fault diagnosis at a regional operator, where "
        "most depots use our tools."
    )
    assert verdict(body).bucket != Bucket.EXCEPTIONAL


# --- Put together, and what most started from ---------------------------------------------


def test_put_together_and_started_from_by_most_is_a_creation():
    body = (
        "If your depots diagnose axle counter faults, they probably used my fault diagnosis "
        "toolkit. I put it together during my doctorate; most of the regional operators I know "
        "started from it."
    )
    assert verdict(body).bucket == Bucket.EXCEPTIONAL


def test_putting_a_team_together_or_starting_from_scratch_is_no_creation():
    body = (
        "I put together a team of five for axle counter fault diagnosis; most operators I know "
        "started from scratch."
    )
    assert verdict(body).bucket != Bucket.EXCEPTIONAL


# --- A body that gave its prize for the work -------------------------------------------------


def test_a_body_that_gave_its_prize_for_the_work_is_a_distinction():
    body = (
        "My axle counter fault diagnosis method is what the national signalling society gave "
        "its annual engineering prize for in 2024."
    )
    result = verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


def test_a_body_that_gives_a_prize_one_hopes_to_win_is_no_distinction():
    body = (
        "The signalling society gives its annual prize for axle counter fault diagnosis work, "
        "and I would love to win it one day."
    )
    assert verdict(body).bucket != Bucket.EXCEPTIONAL


def test_a_subject_that_names_a_job_is_no_headline_beside_a_prize():
    assert verdict(AWARDED, subject="Interlocking Engineer application").bucket != (
        Bucket.EXCEPTIONAL
    )


# --- A course they wrote, taken over as a standard -------------------------------------------


def test_a_course_they_wrote_that_a_body_took_as_its_standard_is_a_creation():
    body = (
        "I wrote the practical element of the axle counter fault diagnosis course, and the "
        "national rail academy took it over as their standard syllabus."
    )
    assert verdict(body).bucket == Bucket.EXCEPTIONAL


@pytest.mark.parametrize(
    "body",
    [
        # A course they took, not one they made.
        "During a course on axle counter fault diagnosis I wrote a checker, and the academy "
        "took it over as their standard example.",
        "I wrote a course project on axle counter fault diagnosis that the academy took over "
        "as their standard example.",
    ],
)
def test_what_they_made_in_a_course_they_took_is_no_creation(body):
    assert verdict(body).bucket != Bucket.EXCEPTIONAL


def test_the_records_own_word_is_no_word_of_the_skill():
    # "lead" leads the training; it is not the metal of a "lead cable survey" skill.
    profile = Profile(
        company="Tarn Cables",
        careers_url="https://careers.tarn.test",
        recruiter_name="Oona Recruiter",
        recruiter_email="oona@tarn-signal.example",
        hard_to_fill_skills=("lead cable survey",),
    )
    body = (
        "For six years I was the lead for the practical training, which most operators now use "
        "in their cable depots. I did a survey once."
    )
    facts = RequestFacts(sender=STRANGER, subject="Hello", body=body)
    assert rules.classify(facts, profile).bucket != Bucket.EXCEPTIONAL
