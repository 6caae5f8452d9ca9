"""Issue 13: words that look like a record, a later availability or an ask, but are not, and
an employee's introduction in other words. Pure: no database.

Written in a third setting (a lens maker none of the labeled corpora is about), before the
rules changed, from the kinds of miss the tuning halves showed that were not "a distinguished
person not recognised": a rank before a trade read as leading a project, "refer me" read as
"a reference", a use for one past exercise read as the field's, "thanks for introducing me"
read as a job ask, "I can start immediately" and "could I book 15 minutes" not read as asks,
and an employee who promises to mention a friend not read as introducing them."""

import pytest

from triage import concepts, rules
from triage.rules import Address, Bucket, Opening, Profile, RequestFacts

PROFILE = Profile(
    company="Orchard Optics",
    careers_url="https://jobs.orchard.test",
    recruiter_name="Nadia Brandt",
    recruiter_email="nadia.brandt@orchard-optics.example",
    employee_domains=("orchard-optics.example",),
    openings=(
        Opening(
            "Optical Test Engineer",
            "https://jobs.orchard.test/21",
            ("interferometry", "lens metrology"),
        ),
        Opening("Coating Process Engineer", "https://jobs.orchard.test/22", ("thin-film coating",)),
    ),
    hard_to_fill_skills=("freeform lens design", "adaptive optics calibration"),
)

STRANGER = Address("Alex Moreau", "alex@elsewhere.example")
EMPLOYEE = Address("Ines Falk", "ines.falk@orchard-optics.example")


def facts(body: str, *, sender: Address = STRANGER, subject: str = "Hello") -> RequestFacts:
    return RequestFacts(sender=sender, subject=subject, body=body)


def verdict(body: str, **kwargs) -> rules.Verdict:
    return rules.classify(facts(body, **kwargs), PROFILE)


# --- A rank before a trade is a job title, not leading or designing a thing ------------------


@pytest.mark.parametrize(
    "body",
    [
        "Hi Nadia, I'm lead optics engineer at a 9-person design consultancy in Lyon (freeform "
        "lens design, mostly prototypes). Could you refer me to the hiring manager?",
        "I'm principal test engineer at a 20-person design services firm, mostly freeform lens "
        "design. Interested in the Optical Test Engineer role, could you refer me?",
        "Currently lead Optical Engineer at a 15-person build agency doing freeform lens design "
        "for drones. I'd like to apply for the Optical Test Engineer role.",
    ],
)
def test_a_lead_title_at_a_small_firm_is_no_record(body):
    result = verdict(body)

    assert result.bucket == Bucket.FUNNEL
    assert concepts.job_asks(facts(body))


@pytest.mark.parametrize(
    "body",
    [
        "I lead the open freeform lens design library that most lens shops rely on.",
        "I designed the freeform lens design toolkit most camera makers use.",
        "I'm the lead developer of Prism, the freeform lens design package most optics "
        "vendors ship with their hardware.",
        # Making a firm's thing is making it.
        "I built the company's adaptive optics calibration engine, which most observatories "
        "now use.",
        "I built a firm's adaptive optics calibration pipeline that most observatories now run.",
    ],
)
def test_leading_or_designing_what_the_field_uses_stays_a_record(body):
    assert verdict(body).bucket == Bucket.EXCEPTIONAL


# --- "Refer me" asks for a referral; it is not "a reference" ------------------------------


def test_asking_to_be_referred_is_not_a_reference():
    body = (
        "I wrote a freeform lens design script at my last job. Could you refer me to your "
        "optics lead? I also refer to it in my CV."
    )
    result = verdict(body)

    assert result.bucket == Bucket.FUNNEL
    assert "refer me" in concepts.job_asks(facts(body))


def test_a_reference_method_the_field_uses_stays_a_record():
    body = (
        "I wrote the freeform lens design code. It is now the reference method across the industry."
    )
    assert verdict(body).bucket == Bucket.EXCEPTIONAL


# --- A use for one past exercise is one project's, not the field's ---------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Hi Nadia, you don't know me - I run adaptive optics calibration for a state observatory "
        "program - built the verification workflow 30 small observatories used for their 2024 "
        "audits. Not looking to move: my contract runs through Dec 2027.",
        "I do adaptive optics calibration. I wrote the checklist that 25 partner labs used for "
        "last year's survey. I'm tied to my grant until the autumn; let's stay in touch.",
        "Adaptive optics calibration is my field: I designed the intake form 40 member sites "
        "used for the 2023 review. Happy to keep in touch until my PhD ends next summer.",
    ],
)
def test_a_creation_used_for_one_past_exercise_is_not_the_fields(body):
    result = verdict(body)

    assert result.bucket == Bucket.NETWORK
    assert result.rule == "relevant_skills_no_job_ask"


@pytest.mark.parametrize(
    "body",
    [
        "I built the adaptive optics calibration workflow that 40 observatories use every night.",
        "My adaptive optics calibration library is deployed in 60 observatories.",
        "I wrote the adaptive optics calibration pipeline 30 observatories have used since 2019.",
        "I wrote the adaptive optics calibration code that 40 observatories used for this "
        "purpose until the vendors shipped it.",
        "I built the adaptive optics calibration tool 50 observatories used for 1000 nights.",
    ],
)
def test_a_creation_the_field_goes_on_using_stays_a_record(body):
    assert verdict(body).bucket == Bucket.EXCEPTIONAL


# --- Thanks for an introduction that happened is not asking for one -------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Thank you for showing me round the lab on Tuesday and for introducing me to Omar on the "
        "coating team. As I mentioned, my contract runs until March, so I can't move before "
        "then; I'd love to stay in touch.",
        "Thanks for taking the time to show me the test floor, and for introducing me to your "
        "metrology lead. My PhD in interferometry ends next summer; until then I'd like to "
        "stay in touch.",
        "Many thanks for referring me to Dr. Lee last month, the talk about lens metrology was "
        "great. I'm on a contract until the autumn, so let's keep in touch.",
    ],
)
def test_thanks_for_an_introduction_that_happened_is_no_job_ask(body):
    result = verdict(body)

    assert result.bucket == Bucket.NETWORK
    assert not concepts.job_asks(facts(body))


@pytest.mark.parametrize(
    "body",
    [
        "Could you introduce me to the hiring manager for interferometry?",
        "Thanks in advance for introducing me to your coating team, I do thin-film coating.",
        "Thank you! Would you mind referring me to the interferometry team?",
    ],
)
def test_asking_to_be_introduced_or_referred_is_still_a_job_ask(body):
    assert concepts.job_asks(facts(body))
    assert verdict(body).bucket == Bucket.FUNNEL


# --- Ready now is a job ask now ------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "ask"),
    [
        (
            "I do interferometry at a lab whose funding ends in December. I can start "
            "immediately. Could you let me know if I can interview soon?",
            "interview soon",
        ),
        (
            "My contract in lens metrology ends in March, but I'm able to start right away.",
            "able to start right away",
        ),
        (
            "I do lens metrology. My visa expires in January, so I need a new employer to "
            "sponsor me before then.",
            "need a new employer",
        ),
        (
            "Interferometry is my field; my project ends in June and I could start at once.",
            "could start at once",
        ),
    ],
)
def test_ready_to_start_or_interview_now_is_a_job_ask(body, ask):
    result = verdict(body)

    assert result.bucket == Bucket.FUNNEL
    assert ask in concepts.job_asks(facts(body))


@pytest.mark.parametrize(
    "body",
    [
        "I do interferometry. My PhD ends next autumn and I could start immediately after.",
        "I do lens metrology. Once my contract ends in March I can start right after that; "
        "let's keep in touch.",
    ],
)
def test_starting_right_after_a_time_ahead_is_still_later(body):
    result = verdict(body)

    assert result.bucket == Bucket.NETWORK
    assert not concepts.job_asks(facts(body))


# --- Asking for minutes of our time is a meeting now --------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Our agency has 40 vetted optical engineers (interferometry, lens metrology) available "
        "from January. Could I book 15 minutes to walk you through our rates?",
        "I do thin-film coating and I'm free after the summer. May I borrow ten minutes of your "
        "time next week?",
        "Lens metrology is my trade; my contract ends in May. Could I steal 20 minutes on "
        "Thursday to hear about the team?",
    ],
)
def test_asking_for_minutes_now_is_a_meeting_ask(body):
    result = verdict(body)

    assert result.bucket == Bucket.FUNNEL
    assert concepts.meeting_asks(facts(body))


def test_minutes_that_are_no_meeting_are_no_ask():
    body = (
        "I do lens metrology; I booked 15 minutes of practice a day on the new rig. My contract "
        "ends in May, let's keep in touch."
    )
    assert not concepts.meeting_asks(facts(body))
    assert verdict(body).bucket == Bucket.NETWORK


# --- An employee who says they'll mention someone introduces them ----------------------------


@pytest.mark.parametrize(
    "body",
    [
        "My neighbour Tomas grinds lenses for a living. He'd like a change after the summer and "
        "asked whether you have anything in metrology. I said I'd mention him to you; his email "
        "is tomas@mail.example.",
        "A friend from my climbing club does thin-film coating at a glass plant. I promised her "
        "I'd put her name forward.",
        "My cousin is an optician who wants to move into lens metrology. I told him I'd send you "
        "his details.",
        "An old classmate of mine works in interferometry and wants to change jobs. Thought I'd "
        "flag her to you.",
    ],
)
def test_an_employee_saying_they_will_mention_someone_introduces_them(body):
    result = verdict(body, sender=EMPLOYEE, subject="A friend")

    assert (result.bucket, result.rule) == (Bucket.NETWORK, "employee_introduction")


@pytest.mark.parametrize(
    "body",
    [
        "As I mentioned last week, I'd like to move to the coating team myself.",
        "The interferometry rig's logs are attached; I wanted to mention them to you before "
        "Friday.",
    ],
)
def test_an_employee_writing_about_themselves_or_things_introduces_nobody(body):
    assert verdict(body, sender=EMPLOYEE, subject="A question").rule != "employee_introduction"


# --- Other people's availability is a supply offered, not the writer's not-now ----------------


@pytest.mark.parametrize(
    "body",
    [
        "Our agency has 12 vetted optical engineers (interferometry, lens metrology) available "
        "from March. Reply with your rates.",
        "Six of our interferometry specialists come free in September, if your team needs cover.",
        "Two of the lens metrology contractors on our books will be available after the summer.",
    ],
)
def test_a_count_of_others_free_later_is_no_later_availability(body):
    result = verdict(body)

    assert result.bucket == Bucket.FUNNEL
    assert not concepts.later_availability(facts(body))


@pytest.mark.parametrize(
    "body",
    [
        "I do interferometry. My contract ends in 2 months; available after that.",
        "5 years in lens metrology, available from March.",
        "Two of us on the interferometry team are moving to Lyon in spring and I'd like to stay "
        "in touch.",
        "I'm one of 12 interferometry engineers at a lab that closes in September; I'll be free "
        "after that.",
        # A count after the availability is not of the people free.
        "Lens metrology engineer, available from March once 3 projects wrap up.",
        "Interferometry engineer. Free after the summer, when the 2 audits at the plant are done.",
    ],
)
def test_the_writers_own_later_availability_beside_a_count_stays(body):
    assert concepts.later_availability(facts(body))
    assert verdict(body).bucket == Bucket.NETWORK


# --- Away from the office is no later availability ----------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Thank you for your email. I am out of the office on annual leave until 2 November with "
        "limited access to email. For lens metrology questions please contact the lab desk.",
        "I'm currently away from my desk until Monday 12 June. Interferometry queries: "
        "please write to the team inbox.",
        "Out of office: back on 4 May, no access to e-mail until then. Re: Optical Test Engineer",
    ],
)
def test_an_out_of_office_note_is_no_later_availability(body):
    result = verdict(body, subject="Automatic reply: Optical Test Engineer")

    assert result.bucket == Bucket.FUNNEL
    assert not concepts.later_availability(facts(body))


@pytest.mark.parametrize(
    "body",
    [
        "I fit lenses and do lens metrology. I'm on parental leave and back in the new year, "
        "happy to reconnect then.",
        "I do interferometry. I'm out of the country on a contract until March; after that I'm "
        "free to move.",
    ],
)
def test_a_leave_or_a_contract_away_stays_a_later_availability(body):
    assert verdict(body).bucket == Bucket.NETWORK
