"""Issue 13: the rules' concepts hold on other wordings, and their near misses stay out.
Pure: no database."""

import dataclasses
import json
import re
from pathlib import Path

import pytest

from triage import matching, rules
from triage.phrases import Text
from triage.rules import Address, Bucket, Opening, Profile, RequestFacts

ROOT = Path(__file__).resolve().parents[1]
SHARED_PROFILE = ROOT.parent / "shared" / "triage-cases" / "dev" / "profile.json"

PROFILE = Profile(
    company="Example Works",
    careers_url="https://careers.example.test",
    recruiter_name="Rita Recruiter",
    recruiter_email="rita@works.example",
    employee_domains=("works.example",),
    openings=(
        Opening("Fraud Data Scientist", "https://careers.example.test/1", ("graph analytics",)),
    ),
    hard_to_fill_skills=("customs tariff classification (HS codes)", "kernel-level anti-cheat"),
)


def verdict(body: str, *, sender="Sam <sam@elsewhere.example>", subject="Hello", **facts):
    name, email = re.match(r"(.*) <(.*)>", sender).groups()
    return rules.classify(
        RequestFacts(sender=Address(name, email), subject=subject, body=body, **facts), PROFILE
    )


@pytest.mark.parametrize(
    "body",
    [
        "For four years I chaired the classification working group that wrote the HS guidance.",
        "I'm chairing the customs working group on tariff classification.",
        "I led the committee that wrote the customs classification standard.",
        "I designed the kernel driver of the anti-cheat system most shooters rely on.",
        "I wrote Bastion, a kernel anti-cheat. It is now used by most competitive studios.",
        "I'm one of the core developers of the open-source kernel anti-cheat everyone forks.",
    ],
)
def test_a_role_or_creation_near_a_hard_skill_is_exceptional(body):
    result = verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
    assert all(e in body for r in result.reasons for e in r.evidence)


@pytest.mark.parametrize(
    "body",
    [
        # Passion, years, tutorials: not distinction.
        "I have 12 years of passion for kernel anti-cheat and followed every tutorial.",
        "I built my own kernel anti-cheat in a course; it is used by most of my classmates.",
        # A creation nobody is said to use.
        "I wrote a small kernel anti-cheat driver last year.",
        # A role, but in a skill the company does not list.
        "I chaired the IETF working group on QUIC congestion control.",
        # Internal to an employer.
        "I chaired our internal working group on tariff classification.",
        # A skill, a role, but far apart.
        "I chaired a standards committee.\n\nHobbies aside, I read a lot.\n\nI know HS codes.",
    ],
)
def test_near_misses_of_distinction_are_not_exceptional(body):
    assert verdict(body).bucket != Bucket.EXCEPTIONAL


def test_thanks_after_a_conversation_is_an_existing_relationship():
    body = "Thank you for taking the time to speak with me this afternoon about fraud work."
    result = verdict(body)

    assert (result.bucket, result.rule) == (Bucket.NETWORK, "known_contact")
    assert "conversation that already happened" in result.reasons[0].text


@pytest.mark.parametrize(
    "body",
    [
        "Thanks for connecting! I'd love to hear about fraud data science roles.",
        "Thank you for reading. I'd appreciate a call next week about fraud analytics.",
        "Thank you for your time and consideration.",
    ],
)
def test_thanks_without_a_past_conversation_is_not_a_relationship(body):
    assert verdict(body).rule != "known_contact"


def test_a_reply_quoting_the_recruiter_or_answering_our_mail_is_an_existing_relationship():
    quoted = ("On Mon, 1 Jun 2026 at 16:02, Rita Recruiter <rita@works.example> wrote:",)
    stranger = ("On Mon, 1 Jun 2026, Sam Else <sam@else.example> wrote:",)

    assert verdict("Sounds good.", quoted_authors=quoted).rule == "known_contact"
    assert verdict("Sounds good.", we_wrote_before=True).rule == "known_contact"
    assert verdict("Sounds good.", quoted_authors=stranger).bucket == Bucket.FUNNEL


def test_an_employee_writing_to_introduce_someone_is_network():
    body = "Forwarding below from Roel. I'd vouch for him for the fraud team."
    result = verdict(body, sender="Femke <femke@works.example>", subject="Fwd: Roel")

    assert (result.bucket, result.rule) == (Bucket.NETWORK, "employee_introduction")
    # An employee writing about themselves, introducing nobody, is not an introduction.
    assert verdict("I'd like to move teams.", sender="Femke <femke@works.example>").rule != (
        "employee_introduction"
    )


@pytest.mark.parametrize(
    "body",
    [
        "I'm a data scientist on a fraud team. I'm moving to Rotterdam in spring 2027.",
        "I do graph analytics for fraud. I'll be available after my contract ends in March.",
        "I do graph analytics. I'm not looking to move, but happy to give a talk.",
    ],
)
def test_a_later_availability_with_the_openings_skills_is_network(body):
    result = verdict(body)

    assert (result.bucket, result.rule) == (Bucket.NETWORK, "relevant_skills_no_job_ask")


@pytest.mark.parametrize(
    ("body", "ask"),
    [
        ("I do graph analytics; could you refer me? I'm moving next year.", "refer me"),
        ("Graph analytics here. Could you put in a good word? Moving in 2027.", "put in a good"),
        ("Graph analytics. I applied for the fraud role; moving next year.", "applied"),
        ("Graph analytics. Could you pass my CV along? I move in 2027.", "pass my CV along"),
    ],
)
def test_referral_asks_and_applications_are_job_asks_in_the_reasons(body, ask):
    result = verdict(body)

    assert result.bucket == Bucket.FUNNEL
    assert "asking for a job now" in result.reasons[0].text
    assert any(ask in e for r in result.reasons for e in r.evidence)


def test_the_bare_word_interview_is_not_a_job_ask():
    body = "I do graph analytics. A podcast interviewed me about it; moving to Oslo in 2027."
    assert verdict(body).rule == "relevant_skills_no_job_ask"
    assert verdict("I do graph analytics. When can I interview?").bucket == Bucket.FUNNEL


def _company_words() -> set[str]:
    """Names, skills, people and domains of every labeled company the project knows."""
    paths = [*ROOT.glob("tests/corpora/*/profile.json"), ROOT / "triage/demo/profile.json"]
    paths += [SHARED_PROFILE] if SHARED_PROFILE.is_file() else []
    words = set()
    for path in paths:
        profile = json.loads(path.read_text(encoding="utf-8"))
        phrases = [profile["company"], profile["recruiter"]["name"]]
        phrases += profile.get("hard_to_fill_skills", [])
        phrases += [s for o in profile.get("openings", []) for s in [o["title"], *o["skills"]]]
        phrases += [p["name"] for p in profile.get("notable_people", [])]
        phrases += [p["name"] for p in profile.get("contacts", [])]
        phrases += [d.split(".")[0] for d in profile.get("employee_domains", [])]
        for phrase in phrases:
            # Each distinctive word: long enough not to be plain English by chance.
            words |= {w.lower() for w in re.findall(r"[A-Za-z][\w-]{4,}", phrase)}
    return words


# Plain English words that company phrases also use; the policy may need them.
GENERIC = {
    "engineer", "design", "designer", "systems", "research", "standard", "working", "group",
    "security", "programming", "modeling", "modelling", "management", "analytics", "learning",
    "integration", "compliance", "specialist", "scientist", "manager", "developer", "platform",
    "controls", "control", "theory", "market", "forecasting", "network", "infrastructure",
    "backend", "database", "embedded", "field", "matching", "planning", "point", "schedule",
    "spring", "support", "payments", "engine", "system", "order", "method", "model", "common",
    "application", "company", "content", "place", "records", "requests", "standards", "timing",
    "trial", "clinical", "customer", "senior", "union", "supervisor",
    "claims", "lines", "pricing", "property", "development", "placement", "programme", "radar",
    "engineering", "authority",
    "commercial",  # "implemented in two commercial packages": the field's vendors ship it
}  # fmt: skip


# The policy (the rules, their types, vocabulary and questions) and its matching.
POLICY_MODULES = (
    "triage/rules.py",
    "triage/facts.py",
    "triage/vocabulary.py",
    "triage/concepts.py",
    "triage/matching.py",
)


def test_nothing_company_specific_is_in_the_policy_or_its_matching():
    words = _company_words() - GENERIC
    assert len(words) > 100  # the profiles were read
    for module in POLICY_MODULES:
        text = (ROOT / module).read_text(encoding="utf-8").lower()
        found = sorted(w for w in words if re.search(rf"\b{re.escape(w)}\b", text))
        assert found == [], f"{module} names company words: {found}"


def test_the_facts_builder_reads_who_wrote_the_quoted_history():
    from triage.services.verdicts import quoted_authors

    gmail = (
        "Sounds good.\n\nOn Mon, 1 Jun 2026 at 16:02, Rita Recruiter <rita@works.example>\n"
        "wrote:\n> Hi"
    )
    outlook = (
        "Fine.\n\n-----Original Message-----\nFrom: Rita Recruiter <rita@works.example>\nSent: ..."
    )
    french = "Merci.\n\nLe lun. 1 juin 2026, Rita <rita@works.example> a écrit :\n> Bonjour"

    assert quoted_authors([gmail]) == (
        "On Mon, 1 Jun 2026 at 16:02, Rita Recruiter <rita@works.example> wrote:",
    )
    assert quoted_authors([outlook]) == ("From: Rita Recruiter <rita@works.example>",)
    assert quoted_authors([french]) == ("Le lun. 1 juin 2026, Rita <rita@works.example> a écrit :",)
    # Words in the message itself are not an attribution.
    assert quoted_authors(["I wrote: a parser. On Monday I will call."]) == ()


@pytest.mark.parametrize(
    "body",
    [
        "I co-designed the kernel anti-cheat driver that is installed on 100M PCs.",
        "I invented the kernel anti-cheat technique that became the industry standard.",
        "I'm the principal architect of a kernel-level anti-cheat.",
    ],
)
def test_more_ways_of_saying_a_creation_or_a_role(body):
    assert verdict(body).rule == "distinguished_record"


def test_a_number_alone_does_not_make_a_creation():
    assert verdict("I built a kernel anti-cheat in 2019 for a game jam.").rule != (
        "distinguished_record"
    )


def test_a_thread_a_colleague_wrote_in_is_ours_but_not_a_shared_inbox():
    colleague = ("On 2 Jun 2026, Pat Lead <pat.lead@works.example> wrote:",)
    inbox = ("On 2 Jun 2026, Careers <careers@works.example> wrote:",)

    assert verdict("Thanks, sounds good.", quoted_authors=colleague).rule == "known_contact"
    assert verdict("Thanks, sounds good.", quoted_authors=inbox).rule != "known_contact"


def test_an_employee_referring_a_friend_is_an_introduction():
    result = verdict(
        "I'd like to refer a friend for the fraud team.", sender="Femke <femke@works.example>"
    )
    assert result.rule == "employee_introduction"


# Issue 13, second round: wordings from the two newer corpora's kinds of writers (a utility, a
# hospital network), with this file's company.


@pytest.mark.parametrize(
    "body",
    [
        "I was the rapporteur of the expert group that drafted the guidance on HS codes.",
        "From 2019 to 2023 I served as chairman of the subcommittee on tariff classification.",
        "I headed the task group that wrote the national protocol for HS code rulings.",
        "I pioneered kernel anti-cheat drivers; the approach is now standard practice in esports.",
        "My kernel anti-cheat is deployed in over 60 studios.",
        "I developed the kernel anti-cheat that nearly every competitive studio uses.",
        "I architected the tariff classification engine that became the reference for brokers.",
    ],
)
def test_more_wordings_of_a_role_or_creation_are_exceptional(body):
    result = verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
    assert result.reasons[0].text.startswith("Distinguished record, a ")
    assert all(e in body for r in result.reasons for e in r.evidence)


@pytest.mark.parametrize(
    "body",
    [
        "I was awarded the Stockholm Prize in 2022 for my work on customs tariffs and their "
        "classification.",
        "Our team's kernel anti-cheat won the 2024 Global Security Award.",
        "My 2019 paper on kernel anti-cheat is the most cited in the field.",
    ],
)
def test_a_prize_for_work_in_a_hard_skill_named_in_other_words_is_exceptional(body):
    result = verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


@pytest.mark.parametrize(
    "body",
    [
        # "My" about something else than their work.
        "I wrote a kernel anti-cheat for fun; it is used by most of my friends.",
        # An award, but the skill's words only apart ("kernel" here, "cheat" there).
        "I won the national chess award. My kernel hacking hobby helps me cheat at nothing.",
        # Leading a team that works on something is not leading a working group.
        "I led a team working on tariff classification for five years.",
    ],
)
def test_near_misses_of_the_newer_wordings_are_not_exceptional(body):
    assert verdict(body).bucket != Bucket.EXCEPTIONAL


@pytest.mark.parametrize(
    "body",
    [
        "Many thanks for your time on the phone today, it was very helpful.",
        "I really enjoyed our conversation last week about the fraud team.",
        "Thank you for the lovely chat at the booth! As promised, my CV is attached.",
        "Great meeting you at the career fair last Thursday. I do graph analytics.",
        "As we discussed on the phone, here are my notes on graph analytics.",
        "Your colleague Maria suggested I write to you after the meetup.",
    ],
)
def test_a_conversation_that_already_happened_is_an_existing_relationship(body):
    result = verdict(body)

    assert (result.bucket, result.rule) == (Bucket.NETWORK, "known_contact")


def test_a_claimed_conversation_with_a_job_ask_is_not_a_relationship():
    """Words anyone can write ("as we discussed") count only from someone asking for nothing:
    with an interview asked for, they are a claim; thanks for a call still counts."""
    claim = "Great to meet you at the fair last week! As we discussed, can we set up an interview?"
    thanks = "Thank you for the call yesterday. Could we set up an interview?"

    assert verdict(claim).bucket == Bucket.FUNNEL
    assert verdict(thanks).rule == "known_contact"


@pytest.mark.parametrize(
    "body",
    [
        "I do graph analytics. I'm finishing my PhD this year and will be on the market from "
        "September.",
        "Graph analytics person here. My contract finishes at the end of March; after that "
        "I'm free.",
        "I do graph analytics. I'm committed to my employer until Q3, but after that I'd love "
        "to talk.",
        "I do graph analytics. Nothing to ask today; I'd like to be on your radar.",
        "I do graph analytics. I'm not ready to make a move yet, but would love to keep the "
        "conversation going.",
    ],
)
def test_more_wordings_of_not_now_are_network(body):
    result = verdict(body)

    assert (result.bucket, result.rule) == (Bucket.NETWORK, "relevant_skills_no_job_ask")


def test_a_move_in_the_past_is_not_a_later_availability():
    assert verdict("I do graph analytics. I moved to Oslo in 2019.").bucket == Bucket.FUNNEL


def test_a_meeting_asked_for_now_reads_as_a_meeting_not_a_job():
    result = verdict("I do graph analytics. Could I have 15 minutes of your time this week?")

    assert result.bucket == Bucket.FUNNEL
    assert "asking for a meeting now" in result.reasons[0].text
    assert any(r.text.startswith("Asks for a meeting now") for r in result.reasons)
    assert not any("referral" in r.text for r in result.reasons)


# Issue 13, third round: kinds of wording the three newest corpora's writers used (a chip
# designer, a newsroom, a food cooperative), written here in other fields' words, before the
# rules changed. A second company, so the concepts are not tuned to one profile.

OTHER = Profile(
    company="Sample Signal Co",
    careers_url="https://careers.sample.test",
    recruiter_name="Oona Recruiter",
    recruiter_email="oona@signal.example",
    employee_domains=("signal.example",),
    openings=(Opening("Grid Analyst", "https://careers.sample.test/7", ("power flow analysis",)),),
    hard_to_fill_skills=(
        "acoustic echo cancellation",
        "cryo-electron microscopy of membrane proteins",
        "marine engine emissions control (SCR / EGR)",
        "Salmonella risk modelling in poultry processing",
        "real-time pricing engines for energy markets",
    ),
)


def other_verdict(body: str, **facts):
    sender = Address("Kim", "kim@elsewhere.example")
    return rules.classify(RequestFacts(sender=sender, subject="Hi", body=body, **facts), OTHER)


@pytest.mark.parametrize(
    "body",
    [
        # A skill named by the acronym of its words ("AEC"), beside a creation.
        "I'm the original author of the AEC library most conferencing apps use.",
        # A named fellowship, a named prize (no "award" or "prize" in the words).
        "From 2021 to 2023 I held a Wellcome Research Fellowship for my cryo-EM work on "
        "membrane proteins.",
        "I was a Marie Curie Fellow working on Salmonella risk modelling for poultry plants.",
        "The echo cancellation study I led won the Lindqvist last year.",
        # The skill's words in the role's sentence and the next one.
        "I convene the ISO working group revising the Salmonella sampling standard. Happy to "
        "help with your poultry plants.",
        # Users counted in words, not digits.
        "I wrote the open-source SCR dosing model that eleven engine makers now use.",
        # "The X I started ... is what most ... run."
        "The pricing engine I started in 2016 is what most European grid operators run today.",
    ],
)
def test_third_round_wordings_of_distinction_are_exceptional(body):
    result = other_verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
    assert all(e in body for r in result.reasons for e in r.evidence)


@pytest.mark.parametrize(
    "body",
    [
        # A job title, not a named fellowship; a clinical fellowship is training.
        "I worked as a Research Fellow in a cryo-EM lab on membrane proteins.",
        "I completed my clinical fellowship in poultry processing hygiene and Salmonella risk.",
        # Winning business is not a prize.
        "Our sales team won the Northfield contract for marine engine emissions control.",
        # A job title with "Design" in it is not a creation.
        "I'm looking for my first industry role, ideally as an Echo Cancellation Design "
        "Engineer, used to the standard tools.",
        # Their own team's use is not the field's.
        "Over five years I built our pricing engine for energy markets; we now run 40 "
        "experiments a quarter on it.",
        # Publishers are not what someone published.
        "My study (ref 2025-17) compares how six publishers report on energy market pricing "
        "engines.",
    ],
)
def test_near_misses_of_the_third_round_are_not_exceptional(body):
    assert other_verdict(body).bucket != Bucket.EXCEPTIONAL


def test_an_automatic_acknowledgement_is_not_our_recruiter_writing():
    for author in ("no-reply@jobs.signal.example", "do-not-reply@signal.example"):
        quoted = (f"On 3 Jun 2026 09:02, {author} wrote:",)
        assert other_verdict("Any news on my application?", quoted_authors=quoted).rule != (
            "known_contact"
        )
    colleague = ("On 3 Jun 2026 09:02, Oona Recruiter <oona@signal.example> wrote:",)
    assert other_verdict("Sounds good.", quoted_authors=colleague).rule == "known_contact"


@pytest.mark.parametrize(
    "body",
    [
        # A meeting for later is not a meeting now.
        "I do graph analytics on a contract until December. I'm not applying for anything "
        "now, but I'd value an informational interview later in the year.",
        "Graph analytics is my field; I'm not looking to move yet. A virtual coffee next "
        "spring would be lovely.",
        # Offering their work, and asking that it be passed on, is not a job ask.
        "I'm not applying for the fraud role; I'd like to offer my graph analytics study to "
        "your data team. Could you pass this on? Keep me in mind for collaborations.",
    ],
)
def test_later_meetings_and_offers_of_work_stay_network(body):
    result = verdict(body)

    assert (result.bucket, result.rule) == (Bucket.NETWORK, "relevant_skills_no_job_ask")


@pytest.mark.parametrize(
    "body",
    [
        "I hereby apply for the position. I do graph analytics and can start in March.",
        "I am applying for the Fraud Data Scientist role; I'm moving to Utrecht next year.",
        "Could you pass this on to the hiring manager? I do graph analytics; moving in 2027.",
        "I do graph analytics. Could we schedule a call this week? I move in 2027.",
        # A link's path is not the sender's skills; "nothing urgent" is about the report.
        "Your pages at /jobs/12-graph-analytics-fraud return 404 since Monday. Nothing urgent.",
    ],
)
def test_applications_asks_now_and_reports_stay_in_the_funnel(body):
    assert verdict(body).bucket == Bucket.FUNNEL


# matching.Together: the first look the role, creation and conversation checks take.
CHAIR, COMMITTEE, MEETING = (matching.Words(w) for w in ("chair", "committee", "meeting"))
CHAIR_OF_A_BODY = matching.Together((CHAIR, COMMITTEE), (MEETING,))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I chaired the standards committee.", True),  # every word of one set, any form
        ("We met at the meeting.", True),  # the other set
        ("I chaired the working group.", False),  # one word of a set is not the set
        ("Nothing here.", False),
    ],
)
def test_together_is_in_a_text_when_every_concept_of_a_set_is(text, expected):
    vocabulary = matching.Vocabulary.of(Text.of(text))
    assert CHAIR_OF_A_BODY.in_text(vocabulary) is expected


def test_together_is_in_a_sentence_only_when_one_sentence_holds_a_whole_set():
    chair, committee = matching.sentences("I chair a group. The committee is new.")
    (both,) = matching.sentences("She chairs the committee")
    assert not CHAIR_OF_A_BODY.in_(chair) and not CHAIR_OF_A_BODY.in_(committee)
    assert CHAIR_OF_A_BODY.in_(both)


# Issue 13, fourth round: wordings the newest tuning mail used (a newsroom, a food
# cooperative), written here first in other fields' words and another company's setting.

SIGNED = Profile(
    company="Keystone Devices",
    careers_url="https://careers.keystone.test",
    recruiter_name="Pia Recruiter",
    recruiter_email="pia@keystone.example",
    employee_domains=("keystone.example",),
    hard_to_fill_skills=("secure boot attestation (TPM2)",),
)


@pytest.mark.parametrize(
    "body",
    [
        # An editor of a guideline, the guideline being a standard by another name.
        "I was co-editor of the 2022 revision of the WHO guidelines on Salmonella risk "
        "modelling for poultry processing.",
        # Chairing an evaluation campaign (a shared task) is chairing a body of the field.
        "For three years I chaired the shared task on acoustic echo cancellation that the "
        "speech community holds every spring.",
        # "A hobby horse" is a pet subject, not a hobby.
        "I'm the editor of ITU-T P.340 (the acoustic echo cancellation test standard), which "
        "has become a bit of a hobby horse of mine.",
        # Tools that include it are tools that use it.
        "I designed the Salmonella risk model for broiler plants. Most poultry processors' "
        "planning tools include it today.",
        # A prize, the skill's words in the sentences around it rather than in one.
        "For years I've tuned the pricing engines that clear a power market. That work earned "
        "our team the Lindqvist Energy Award last year. Could we have a coffee chat about "
        "real-time markets?",
        # A rapporteur is a standards body's role, whatever the body is called.
        "I served as rapporteur for the Codex text on Salmonella risk modelling in poultry "
        "processing.",
        # Chairing a challenge (an evaluation campaign) is chairing a body of the field.
        "I co-chaired the DCASE challenge on acoustic echo cancellation in 2023 and 2024.",
        # Their own work, become the field's reference method.
        "My Salmonella risk model for poultry processing is now the reference method in EU "
        "guidance.",
    ],
)
def test_fourth_round_wordings_of_distinction_are_exceptional(body):
    result = other_verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
    assert all(e in body for r in result.reasons for e in r.evidence)


def test_an_acronym_with_a_digit_names_the_skill_in_any_case():
    body = "tpm2-verify is mine: I wrote it and still maintain it. Most laptop makers run it."
    facts = RequestFacts(sender=Address("Lu", "lu@else.example"), subject="Hi", body=body)
    result = rules.classify(facts, SIGNED)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
    assert any("tpm2" in r.evidence for r in result.reasons)


@pytest.mark.parametrize(
    "body",
    [
        # Taking part in a shared task is not chairing it.
        "Last year I took part in the shared task on acoustic echo cancellation.",
        # Rising to a challenge is not chairing one; references are not a reference method.
        "I led the challenge of moving our acoustic echo cancellation to the cloud.",
        "My references are attached; they speak to my Salmonella risk modelling for poultry "
        "processing.",
        # Following a guideline is not editing it.
        "I follow the WHO guidelines on Salmonella risk modelling for poultry closely.",
        # A prize with a word or two of a skill about is not a prize in the skill.
        "I won the Lindqvist Chess Award in 2019 and follow energy prices as a hobby.",
        # Nouns of making name a field or a firm, not something they made.
        "I have eight years in process development for Salmonella risk modelling in poultry "
        "processing, working with twelve plants that use our models.",
        "I worked at a start-up in acoustic echo cancellation; twelve phone makers use its chips.",
        # "Including" before a list says nothing of use.
        "I developed Salmonella risk models for poultry processing at three firms, including "
        "one that most retailers audit.",
    ],
)
def test_near_misses_of_the_fourth_round_are_not_exceptional(body):
    assert other_verdict(body).bucket != Bucket.EXCEPTIONAL


def test_thanks_again_for_your_time_dates_no_conversation():
    # Thanks for a talk they only watched, and "again for your time": no conversation.
    body = (
        "Thank you for last night's livestream on power markets; I watched with 300 others. "
        "Could we set up a 20-minute call about a grid role? Thank you again for your time."
    )
    assert other_verdict(body).rule != "known_contact"
    # Thanks again for a call, or for time on a day that has passed, still are.
    assert other_verdict("Thanks again for the call. Grid work suits me.").rule == "known_contact"
    assert other_verdict("Thank you again for your time on Tuesday.").rule == "known_contact"


@pytest.mark.parametrize(
    "body",
    [
        # Thanks in the writer's own language, for a call that happened.
        "Merci beaucoup for the call yesterday, it helped a lot. Grid work is my field.",
        "Danke again for the chat at the summit. I do power flow analysis.",
        # Pleasure in seeing us again at an event, from someone who asks for nothing.
        "Good seeing you again at the meetup. I do power flow analysis.",
    ],
)
def test_more_wordings_of_a_conversation_that_happened_are_network(body):
    assert other_verdict(body).rule == "known_contact"


def test_seeing_our_post_is_not_seeing_us():
    body = "Great to see your post about the grid team last week; I do power flow analysis."
    assert other_verdict(body).rule != "known_contact"


@pytest.mark.parametrize(
    "body",
    [
        # A talk given to an audience they were part of is not a conversation with them.
        "Thank you for yesterday's webinar talk on grid planning. I do power flow analysis.",
        "Thanks for the keynote talk at the summit last week. I do power flow analysis.",
        "I enjoyed your lecture and the talk afterwards last week. I do power flow analysis.",
    ],
)
def test_an_audience_at_a_talk_is_not_in_a_conversation(body):
    assert other_verdict(body).rule != "known_contact"


# Issue 13, fifth round: wordings of the second round of blind tuning mail (a games studio,
# a hospital, a chip designer, a water utility, a bank), written here in other fields' words
# before the rules changed.


@pytest.mark.parametrize(
    "body",
    [
        # Thanks in the writer's own language, the conversation named in it too.
        "Danke nochmals für das Telefonat, sehr hilfreich. Ich mache power flow analysis.",
        "Gracias por la llamada de ayer. Trabajo en power flow analysis.",
        # "Forward" that passes the mail on is no future meeting.
        "In case you forward this on: many thanks for our chat this morning about grid work.",
        # What only someone we agreed something with writes.
        "As we agreed, here are my power flow analysis samples.",
    ],
)
def test_fifth_round_wordings_of_a_conversation_that_happened_are_network(body):
    assert other_verdict(body).rule == "known_contact"


def test_looking_forward_to_a_chat_is_no_conversation_yet():
    body = "Thanks, I'm looking forward to our chat next week about grid work."
    assert other_verdict(body).rule != "known_contact"


def test_an_attribution_line_with_the_accent_typed_on_the_verb_still_names_its_author():
    from triage.services.verdicts import quoted_authors

    french = "Oui.\n\nLe mar. 2 juin 2026 à 09:10, Rita <rita@works.example> à écrit :\n> Bonjour"
    assert quoted_authors([french]) == (
        "Le mar. 2 juin 2026 à 09:10, Rita <rita@works.example> à écrit :",
    )


@pytest.mark.parametrize(
    "body",
    [
        # A rulebook the field is tested against, rewritten by them.
        "I rewrote the tariff classification rulebook every customs broker is audited against.",
        # Leading a body with a long name written out.
        "I chaired the TCE (Tariff Classification Evaluation Benchmark) shared task for HS codes.",
        # What most of the field buys from.
        "I designed the HS classification database most customs brokers now buy from.",
        # A paper that became the basis of the field's methods.
        "The kernel anti-cheat paper I published in 2020 is the basis of many detection designs.",
    ],
)
def test_fifth_round_wordings_of_distinction_are_exceptional(body):
    result = verdict(body)
    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


@pytest.mark.parametrize(
    "body",
    [
        # "Useful" is not use, and a version number is no count of users.
        "Happy to share the design notes from our v2.004 kernel anti-cheat, if useful.",
        # A bundle of care (a noun) is not software bundled by others.
        "I co-wrote three papers on customs compliance bundle audits and HS codes.",
        # A metal or a name, capitalised, is not leading: a member of a committee.
        "I'm a member of the Lead Tariff Classification committee and know HS codes well.",
        # Leading something else, and a seat on a committee further on.
        "I have led HS code audits for years and sat on a customs tariff classification committee.",
    ],
)
def test_near_misses_of_the_fifth_round_are_not_exceptional(body):
    assert verdict(body).bucket != Bucket.EXCEPTIONAL


# Issue 13, sixth round: wordings of the third round's tuning misses (a hospital, a newsroom,
# a water utility, a chip designer), written here in other fields' words before the rules
# changed. A third company, so the concepts are not tuned to one profile.

FORMS = Profile(
    company="Lumen Forge",
    careers_url="https://careers.lumen.test",
    recruiter_name="Ada Recruiter",
    recruiter_email="ada@lumen.example",
    employee_domains=("lumen.example",),
    hard_to_fill_skills=(
        "color science for display calibration",
        "anesthesia workstation software",
        "reactor physics",
        "prescription drug monitoring",
        "fiber optic sensing",
        "grid battery dispatch optimization",
    ),
)


def forms_verdict(body: str):
    sender = Address("Jo", "jo@elsewhere.example")
    return rules.classify(RequestFacts(sender=sender, subject="Hi", body=body), FORMS)


@pytest.mark.parametrize(
    "body",
    [
        # British and American spellings of one word (ae/e, our/or, -tre/-ter, ise/ize).
        "I wrote the colour calibration library most television makers ship.",
        "I'm the original author of the open-source anaesthesia workstation toolkit.",
        "I designed the fibre sensing firmware that most pipeline operators rely on.",
        "I chair the working group on dispatch optimisation for storage sites.",
        # A practitioner of a science ("-ist") is of the science.
        "As a physicist I wrote the reactor simulation code most national labs run.",
        # The Latin alternation of one root: prescriber / prescription.
        "I chair the national working group on prescriber alerts for opioid drugs.",
    ],
)
def test_sixth_round_forms_of_a_skills_words_are_exceptional(body):
    result = forms_verdict(body)
    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
    assert all(e in body for r in result.reasons for e in r.evidence)


@pytest.mark.parametrize(
    "body",
    [
        # A physician is no physicist; a script is no prescription.
        "As a physician I wrote the reactor simulation code most national labs run.",
        "I chair the national working group on film scripts about drugs.",
    ],
)
def test_near_misses_of_a_skills_word_forms_are_not_exceptional(body):
    assert forms_verdict(body).bucket != Bucket.EXCEPTIONAL


def test_spelling_variants_share_a_skill_form_and_false_friends_do_not():
    same = [
        ("paediatric", "pediatric"), ("colour", "color"), ("centre", "center"),
        ("organise", "organize"), ("optimisation", "optimize"), ("analyse", "analyze"),
        ("skilful", "skillful"), ("oesophageal", "esophageal"), ("physicist", "physics"),
        ("subscriber", "subscription"),
    ]  # fmt: skip
    different = [
        ("four", "for"), ("poet", "pet"), ("physician", "physics"), ("calling", "caling"),
        ("community", "communication"), ("script", "scribe"),
    ]  # fmt: skip

    def form(word):
        return matching.skill_form(matching.stem(word))

    assert [(a, b) for a, b in same if form(a) != form(b)] == []
    assert [(a, b) for a, b in different if form(a) == form(b)] == []


@pytest.mark.parametrize(
    "body",
    [
        # A named prize whose name has initials in it ("J.R."): the dots end no sentence.
        "For our fibre sensing method we received in 2024 the IEEE J.R. Whitfield Award.",
        # A signature's entry, its own line: the line starts a statement.
        "Could we talk?\n\nThanks,\nJo\n\n--\nJo Weaver\nAuthor of lumo, the fiber optic "
        "sensing stack adopted as the\nreference stack by most pipeline operators",
        # What most later work in the field builds on.
        "My paper on reactor physics gave the first full burn-up model, and most of the "
        "later reactor work builds on it.",
    ],
)
def test_sixth_round_wordings_of_distinction_are_exceptional(body):
    result = forms_verdict(body)
    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


@pytest.mark.parametrize(
    "body",
    [
        # A capitalised title word in one sentence with a name is still a title.
        "Jo Weaver, Author Relations at a fiber optic sensing firm adopted as a reference.",
        # Building on their own earlier work is not the field building on it.
        "I wrote a paper on reactor physics and I built on it for my thesis.",
        "We built on most of the open reactor physics papers in our lab.",
        # Initials in a name do not make a prize out of a sentence that has none.
        "I studied fibre sensing under J.R. Whitfield. Award season is busy for us.",
    ],
)
def test_near_misses_of_the_sixth_round_are_not_exceptional(body):
    assert forms_verdict(body).bucket != Bucket.EXCEPTIONAL


@pytest.mark.parametrize(
    "body",
    [
        # Asking to be taken on as an intern is a job ask, however short.
        "I'm a student in Lyon until July next year. Do you accept interns on the grid "
        "team? I know power flow analysis.",
        "Hi! Would your team take an intern for power flow analysis? Thanks!!",
    ],
)
def test_asking_to_be_taken_on_as_an_intern_is_a_job_ask(body):
    assert other_verdict(body).bucket == Bucket.FUNNEL


def test_having_had_interns_is_no_ask():
    body = "I supervised four interns on power flow analysis. Keep me in mind for next year."
    assert other_verdict(body).rule == "relevant_skills_no_job_ask"


@pytest.mark.parametrize(
    "body",
    [
        # Their own work, after a colon, taught across the field: the field uses it.
        "The result people cite is the burn-up benchmark: my model, checked against plant "
        "data, was accepted by the regulator and is now taught in most reactor physics courses.",
        "What I'm known for: my fibre sensing method is taught in most pipeline monitoring "
        "courses today.",
        # A heading before a colon stays with what it heads: the skill is one sentence away.
        "I'd like to hear about your reactor physics team.\n\nBackground: for years I have "
        "maintained the open simulation code that most national labs run.",
    ],
)
def test_own_work_taught_across_the_field_is_exceptional(body):
    result = forms_verdict(body)
    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


@pytest.mark.parametrize(
    "body",
    [
        # Taking courses, or teaching one, is no work of theirs the field uses.
        "Background: my reactor physics comes from the courses I took at most good schools.",
        "I teach reactor physics courses at a college: my students like them.",
        "Courses taken: my reactor physics course was taught by most of the faculty.",
    ],
)
def test_courses_taken_or_taught_are_not_a_creation_in_use(body):
    assert forms_verdict(body).bucket != Bucket.EXCEPTIONAL


@pytest.mark.parametrize(
    "body",
    [
        # Leading the work, or a team named for it, is no title of a person.
        "I lead development of fiber optic sensing products at a startup.",
        "I work on the core design team for fiber optic sensing at a startup.",
    ],
)
def test_the_work_a_role_does_is_not_the_role(body):
    assert forms_verdict(body).bucket != Bucket.EXCEPTIONAL


def test_a_senior_role_as_a_person_still_is():
    body = "I'm one of the core designers of the fiber optic sensing stack."
    assert forms_verdict(body).rule == "distinguished_record"


# Issue 13, seventh round: the kinds of exceptional record the held-out halves missed
# (described, not copied): a record told in an introducer's third-person words, a creation
# described by what it does, an honour without a name, and false distinctions (a job title,
# a career changer's project). Written in a fifth setting, before the rules changed.

ATLAS = Profile(
    company="Saltmarsh Instruments",
    careers_url="https://careers.saltmarsh.test",
    recruiter_name="Vera Recruiter",
    recruiter_email="vera@saltmarsh.example",
    employee_domains=("saltmarsh.example",),
    openings=(Opening("Flight Dynamics Engineer", "https://careers.saltmarsh.test/3", ("GMAT",)),),
    hard_to_fill_skills=(
        "satellite orbit determination",
        "railway interlocking verification",
        "glacier mass balance modelling",
        "sign language machine translation",
        "handwritten text recognition for archives (HTR)",
    ),
)
COLLEAGUE = "Anna Lind <anna@saltmarsh.example>"


def atlas_verdict(body: str, *, sender="Ines <ines@elsewhere.example>", subject="Hello"):
    name, email = re.match(r"(.*) <(.*)>", sender).groups()
    facts = RequestFacts(sender=Address(name, email), subject=subject, body=body)
    return rules.classify(facts, ATLAS)


@pytest.mark.parametrize(
    "body",
    [
        # Their work, in the introducer's words: "her model", "his proofs".
        "I'd like to introduce Ines. Her glacier mass balance model is now the reference "
        "method in the national inventory.",
        "Intro: Piet, a friend from university. His railway interlocking proofs are what most "
        "signalling suppliers certify against.",
        # The person behind a creation the field uses.
        "Meet Tomas. He's the person behind the orbit determination library nearly every "
        "cubesat operator relies on.",
        "Looping in Lena, an old colleague. She is behind the handwritten text recognition "
        "toolkit that most national archives run.",
    ],
)
def test_a_record_told_by_an_introducing_employee_is_exceptional(body):
    result = atlas_verdict(body, sender=COLLEAGUE, subject="Fwd: intro")

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
    assert "employee_introduction" in result.also_matched
    # The reason quotes the sentence that shows it.
    assert any(s.strip(" .") in result.reasons[0].text for s in body.split(". ")[1:])


@pytest.mark.parametrize(
    "body",
    [
        # In the candidate's own mail, "her" model and "my supervisor" are someone else's.
        "Hi, I studied under Dr Lund; her glacier mass balance model is now the reference "
        "method in the field.",
        "I'd like to join. My supervisor wrote the orbit determination library most cubesat "
        "operators use.",
        # Behind on something is not behind a creation.
        "I'm a bit behind on satellite orbit determination, which most operators run in-house.",
    ],
)
def test_someone_elses_record_is_not_the_writers(body):
    assert atlas_verdict(body).bucket != Bucket.EXCEPTIONAL


def test_an_introduced_persons_small_project_is_no_record():
    body = "Meet Jo, who worked on our interlocking verification team; she built a small checker."
    assert atlas_verdict(body, sender=COLLEAGUE).rule == "employee_introduction"


@pytest.mark.parametrize(
    "body",
    [
        # The creation in one sentence, its use in the next, the skill in the one after.
        "I wrote Kepler-Fit. Most cubesat operators run it today. It does satellite orbit "
        "determination from ranging data.",
        # Described by what it does, one word of the skill near it, the skill named elsewhere.
        "My field is satellite orbit determination. I have done it for twelve years.\n\n"
        "On the side of my day job I designed the fitting engine that most small satellite "
        "fleets use to track where they are.",
        "Railway interlocking verification is what I want to do next. I know the rules well. "
        "For eight years I have maintained the open interlocking checker that most signalling "
        "suppliers run.",
    ],
)
def test_a_creation_described_by_what_it_does_is_exceptional(body):
    result = atlas_verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
    assert all(e in body for r in result.reasons for e in r.evidence)


@pytest.mark.parametrize(
    "body",
    [
        # A creation the field uses, in another field, the skill named elsewhere.
        "I wrote the payroll library most accounting firms use. I run marathons. I'd like to "
        "learn satellite orbit determination.",
        # One of the skill's words, with no skill named in the message.
        "I built the weather satellite image viewer that most forecasters use.",
    ],
)
def test_a_creation_in_another_field_is_not_one_in_the_skill(body):
    assert atlas_verdict(body).bucket != Bucket.EXCEPTIONAL


@pytest.mark.parametrize(
    "body",
    [
        "In 2022 he was given a national prize for his work on railway interlocking verification.",
        "She was awarded a two-year fellowship to work on sign language machine translation.",
        "I spent two years on a fellowship to work on sign language machine translation at a "
        "Nordic university.",
        "My orbit determination method for small satellites took first prize at the "
        "international astrodynamics competition.",
        "Her satellite orbit determination work was recognised with an international award "
        "last year.",
    ],
)
def test_an_honour_without_a_name_is_exceptional(body):
    result = atlas_verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
    assert body.rstrip(".") in result.reasons[0].text  # the sentence, quoted


@pytest.mark.parametrize(
    "body",
    [
        # Asked for, hoped for, nominated: not received.
        "I have applied for a fellowship to work on sign language machine translation.",
        "I was nominated for an award for my railway interlocking verification work.",
        # A fellowship that is a job or training.
        "I'm a postdoctoral fellow working on glacier mass balance modelling.",
        "I was given a teaching fellowship on glacier mass balance modelling.",
        # Given something else.
        "Given my interest in prizes, I studied satellite orbit determination.",
    ],
)
def test_near_misses_of_an_honour_without_a_name_are_not_exceptional(body):
    assert atlas_verdict(body).bucket != Bucket.EXCEPTIONAL


@pytest.mark.parametrize(
    "body",
    [
        # A job title at an employer is no recognised role.
        "I'm the lead developer at a small housing co-op and I do satellite orbit "
        "determination in my spare time.",
        "As lead developer for a small co-op I wrote the tenant app; now I want to move into "
        "railway interlocking verification.",
        "I'm the principal architect at a regional bank and want to learn satellite orbit "
        "determination.",
        # A career changer's project, used by people at large, is no creation the field uses.
        "After ten years as a chef I retrained, and built a glacier mass balance model that "
        "hundreds of people have downloaded.",
        "I changed careers last year. I built an orbit determination tool for my portfolio; "
        "many people use it.",
    ],
)
def test_false_distinctions_are_not_exceptional(body):
    assert atlas_verdict(body).bucket != Bucket.EXCEPTIONAL


@pytest.mark.parametrize(
    "body",
    [
        # A lead role of a thing, not at an employer, still is one.
        "I'm the lead developer of Kepler-Fit, the satellite orbit determination library.",
        "I'm the principal architect of the interlocking checker most railway verification "
        "teams run.",
        # Users who are the field, counted in words.
        "I built the glacier mass balance model that hundreds of national surveys run.",
    ],
)
def test_the_true_distinctions_beside_those_stay_exceptional(body):
    assert atlas_verdict(body).rule == "distinguished_record"


@pytest.mark.parametrize(
    "body",
    [
        # More of an introducer's words for making it, and for owning it.
        "Fwd below. Quick context: Mei came up with the glacier mass balance method most "
        "national glacier inventories now use.",
        "Forwarding Ana's email. She's responsible for the orbit determination code that "
        "nearly all cubesat operators use.",
        "Intro to Karin. Karin's orbit determination software is used by most small "
        "satellite operators.",
        "I'd vouch for Sam: his sign language machine translation models ship in most "
        "deaf-access apps.",
        "Meet Ada. She leads the handwritten text recognition project that most national "
        "archives run.",
    ],
)
def test_more_of_an_introducers_words_for_a_record_are_exceptional(body):
    result = atlas_verdict(body, sender=COLLEAGUE, subject="Fwd: intro")
    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


@pytest.mark.parametrize(
    "body",
    [
        # Leading people, not a thing; a name's work in a candidate's own mail.
        "I lead the team of four that uses the orbit determination tools most operators run.",
        "I admire Karin's orbit determination software; it is used by most small satellite "
        "operators.",
        # Responsible for their own side's use.
        "At the bank I was responsible for the reports most of our clients use on satellite "
        "orbit determination risk.",
    ],
)
def test_near_misses_of_an_introducers_words_are_not_exceptional(body):
    assert atlas_verdict(body).bucket != Bucket.EXCEPTIONAL


@pytest.mark.parametrize(
    "body",
    [
        "He was honoured by the European astronomy society for his satellite orbit "
        "determination work.",
        "I was awarded a research grant and a two-year fellowship for sign language machine "
        "translation.",
    ],
)
def test_more_honours_without_a_name_are_exceptional(body):
    assert atlas_verdict(body).rule == "distinguished_record"


# Issue 13, eighth round: wordings of the new tuning mail's misses (the introducer's "the man
# behind", a use told as "sits behind", "follow", "bundle it", "feed ... into"; an honour a
# body "gave me"), in the fifth setting's words, and their near misses.


@pytest.mark.parametrize(
    "body",
    [
        "Meet Jon. He's the engineer behind the interlocking checker that half the railway "
        "signalling suppliers in Europe run.",
        "Forwarding Lena's note. The recognition engine she wrote sits behind the handwritten "
        "text search of most national archives.",
        "Looping in Rui. She is the woman behind the glacier mass balance model that most "
        "national surveys feed their field data into.",
    ],
)
def test_the_new_mails_introducers_words_for_a_record_are_exceptional(body):
    result = atlas_verdict(body, sender=COLLEAGUE, subject="Fwd: intro")
    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


@pytest.mark.parametrize(
    "body",
    [
        # What the field does with it: follows it, builds on it, bundles it.
        "For the rail regulator I wrote the interlocking verification procedure that every "
        "signalling supplier has to follow.",
        "I wrote KeplerFit, an open orbit determination library. Most satellite operators "
        "build their tools on it and two ground-station vendors bundle it with their software.",
        # An honour a body gave, received in a non-native tense, or got.
        "Last year the national rail society gave me its highest honour for my railway "
        "interlocking verification work.",
        "Our group receive the big prize of the astrodynamics federation for our satellite "
        "orbit determination software.",
        "I got an early-career award from the glaciology society for my glacier mass balance "
        "modelling.",
    ],
)
def test_the_new_mails_wordings_of_a_record_are_exceptional(body):
    result = atlas_verdict(body)
    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


@pytest.mark.parametrize(
    "body",
    [
        # A lead developer of their own small firm.
        "I'm the lead developer of TrackMate, a small start-up (two of us) doing railway "
        "interlocking verification.",
        # Behind their own side's things; a feed that is a noun.
        "At my consultancy I built the dashboards behind our orbit determination service for "
        "three clients.",
        "I've written up how three railways split the data feed between their interlocking "
        "verification teams.",
        # An honour hoped for.
        "I hope to receive an award for my glacier mass balance modelling one day.",
    ],
)
def test_near_misses_of_the_new_mails_wordings_are_not_exceptional(body):
    assert atlas_verdict(body).bucket != Bucket.EXCEPTIONAL


def test_keeping_a_creation_the_field_uses_going_is_a_record():
    body = (
        "Meet Ivo. Since the space agency handed its satellite orbit determination code to the "
        "open-source community, he's been the one who keeps it going and merges every change. "
        "It's the solver underneath most satellite operators' flight dynamics software."
    )
    result = atlas_verdict(body, sender=COLLEAGUE, subject="Fwd: Ivo")
    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


@pytest.mark.parametrize(
    "body",
    [
        # Their own team's scripts; looking after people.
        "I review and merge every change to our lab's glacier mass balance scripts; our lab "
        "runs them daily.",
        "She looks after the orbit determination team at a small firm whose tools most "
        "satellite operators never see.",
    ],
)
def test_near_misses_of_keeping_it_going_are_not_exceptional(body):
    assert atlas_verdict(body).bucket != Bucket.EXCEPTIONAL


def test_an_employers_of_the_year_title_or_a_headline_is_no_distinction():
    internal = "I was named my railway's Signal Engineer of the Year for interlocking verification."
    assert atlas_verdict(internal).bucket != Bucket.EXCEPTIONAL
    headline = "I do glacier mass balance modelling and would like to apply for your open role."
    assert atlas_verdict(headline, subject="Award-winning glacier modeller").bucket != (
        Bucket.EXCEPTIONAL
    )
    # A prize the body tells, with their team, is still one.
    told = "My team's paper on glacier mass balance modelling won the best paper award in 2024."
    assert atlas_verdict(told).rule == "distinguished_record"


def test_a_prize_outside_the_skills_with_the_skill_only_in_the_roles_title_is_no_record():
    body = (
        "I'd like to apply for the Flight Dynamics Engineer role. Last year my city transit "
        "map won the state cartography association's annual award."
    )
    titled = dataclasses.replace(ATLAS, hard_to_fill_skills=("flight dynamics engineering",))
    facts = RequestFacts(sender=Address("Kit", "kit@else.example"), subject="Hi", body=body)
    assert rules.classify(facts, titled).bucket != Bucket.EXCEPTIONAL
    # The skill in their own words beside it still counts.
    own = body + " The map came out of my flight dynamics engineering work on drones."
    facts = RequestFacts(sender=Address("Kit", "kit@else.example"), subject="Hi", body=own)
    assert rules.classify(facts, titled).rule == "distinguished_record"


@pytest.mark.parametrize(
    "body",
    [
        "Forwarding a CV from Marta, who built the interlocking verification toolkit that most "
        "European signalling suppliers run.",
        "Meet Jo. Her work underpins the railway interlocking checks most signalling suppliers "
        "run.",
        "Sharing Tom's note below. Tom is the author of the glacier mass balance model that "
        "national surveys everywhere use.",
        "Passing on Ana's CV: she designed the orbit determination pipeline behind most "
        "commercial cubesat missions.",
        "Vera, you should meet Lars. Most national archives run their handwritten text "
        "recognition on the engine he wrote.",
        "Intro below. Ruth invented the glacier mass balance method that has been the standard "
        "in national inventories since 2015.",
    ],
)
def test_an_introducers_other_wordings_of_a_record_are_exceptional(body):
    result = atlas_verdict(body, sender=COLLEAGUE, subject="Fwd: intro")
    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


@pytest.mark.parametrize(
    "body",
    [
        "I'm the lead architect at a regional railway; I designed its interlocking "
        "verification process.",
        "As a career changer I built an orbit determination tracker during my bootcamp that "
        "many hobbyists use.",
        "I recently completed a fellowship application for sign language machine translation.",
        "I invented a glacier mass balance checklist for my team; I follow the standard in "
        "national inventories.",
    ],
)
def test_more_near_misses_of_a_record_are_not_exceptional(body):
    assert atlas_verdict(body).bucket != Bucket.EXCEPTIONAL


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        # A prize, the skill in the subject, the writer's headline.
        (
            "Interlocking verification engineer",
            "Last year the European rail safety association gave me its highest award for the "
            "checker I wrote.",
        ),
        # A creation told by what it does, the rest of the skill in the subject.
        (
            "Hello - sign language",
            "I wrote the open translation engine that most deaf broadcasters in Europe now run.",
        ),
    ],
)
def test_the_subject_names_the_skill_of_a_record_told_in_the_body(subject, body):
    result = atlas_verdict(body, subject=subject)
    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
    assert all(e in body or e in subject for r in result.reasons for e in r.evidence)


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        (
            "Interlocking verification role",
            "I wrote the payroll library most accounting firms use.",
        ),
        ("Application", "I wrote the open translation engine that most tourist apps run."),
    ],
)
def test_a_subject_does_not_make_a_record_in_another_field_one_in_the_skill(subject, body):
    assert atlas_verdict(body, subject=subject).bucket != Bucket.EXCEPTIONAL


def test_a_creation_beside_a_word_of_the_skill_the_subject_names_is_a_record():
    body = (
        "A former colleague says your archive team does handwriting work. In my postdoc I "
        "developed a way to read faded ink on parchment page by page. Today it is used in "
        "most national libraries of Europe."
    )
    subject = "Handwritten text recognition"
    assert atlas_verdict(body, subject=subject).rule == "distinguished_record"
    assert atlas_verdict(body, subject="Hello").bucket != Bucket.EXCEPTIONAL


@pytest.mark.parametrize(
    ("body", "sender"),
    [
        (
            "I wrote the interlocking verification handbook that the European railway "
            "association gives to its members.",
            "Ines <ines@elsewhere.example>",
        ),
        (
            "Meet Pia. She came up with the glacier mass balance method that the national "
            "survey agency later put into its field manual.",
            COLLEAGUE,
        ),
    ],
)
def test_a_creation_a_body_of_the_field_gives_out_or_adopts_is_a_record(body, sender):
    assert atlas_verdict(body, sender=sender).rule == "distinguished_record"


@pytest.mark.parametrize(
    "body",
    [
        # Writing to someone is a letter, not a creation.
        "I wrote to the railway association about interlocking verification; it mandates "
        "yearly audits.",
        "Oskar wrote to me about glacier mass balance modelling, which most national surveys run.",
    ],
)
def test_writing_to_someone_is_no_creation(body):
    assert atlas_verdict(body).bucket != Bucket.EXCEPTIONAL


@pytest.mark.parametrize(
    "body",
    [
        # Their employer's own departments, and amateurs after a side project, are not the field.
        "I designed our team's handwritten text recognition pipeline, which most departments "
        "at the university now use.",
        "I built an orbit determination app as a side project; thousands of amateur "
        "astronomers use it.",
    ],
)
def test_an_employers_own_use_or_a_side_project_is_not_the_fields(body):
    assert atlas_verdict(body).bucket != Bucket.EXCEPTIONAL


def test_together_keeps_each_combinations_answer_and_no_more_than_it_may(monkeypatch):
    monkeypatch.setattr(matching, "TOGETHER_KEPT", 2)
    together = matching.Together((CHAIR, COMMITTEE), (MEETING,))
    cases = [
        ("I chaired the standards committee.", True),
        ("I chaired the working group.", False),
        ("We met at the meeting.", True),
        ("The committee chair met us.", True),
        ("A committee of one.", False),
    ]
    for _ in range(2):  # asked again, from the answers kept (and after they were cleared)
        for text, expected in cases:
            assert together.in_text(matching.Vocabulary.of(Text.of(text))) is expected, text
            assert len(together._answers) <= 2
