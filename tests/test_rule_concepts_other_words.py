"""Issue 13, sixth round: a hard-to-fill skill told in other words beside a record: its
acronym written out ("synthetic aperture radar" of "SAR"), part of its name abbreviated
("PCB" of "printed circuit board assembly"), one distinctive word of it in the creation's
sentence that the writer's subject line names too. Written in a setting of its own, before
the rules changed. Pure: no database."""

import re

import pytest

from triage import rules
from triage.rules import Address, Bucket, Opening, Profile, RequestFacts

MARLOW = Profile(
    company="Marlow Survey Works",
    careers_url="https://careers.marlow.test",
    recruiter_name="Una Recruiter",
    recruiter_email="una@marlow.example",
    employee_domains=("marlow.example",),
    openings=(Opening("Field Geologist", "https://careers.marlow.test/7", ("core logging",)),),
    hard_to_fill_skills=(
        "SAR interferometry for ground deformation",
        "NMR structure elucidation",
        "cryo-ET subtomogram averaging",
        "printed circuit board assembly inspection",
        "speleothem paleoclimate reconstruction",
        "tide gauge data pipelines",
    ),
)
COLLEAGUE = "Bo Lund <bo@marlow.example>"


def marlow_verdict(body: str, *, sender="Ines <ines@elsewhere.example>", subject="Hello"):
    name, email = re.match(r"(.*) <(.*)>", sender).groups()
    facts = RequestFacts(sender=Address(name, email), subject=subject, body=body)
    return rules.classify(facts, MARLOW)


@pytest.mark.parametrize(
    ("body", "sender", "spelled"),
    [
        (
            "I wrote the open synthetic aperture radar processor that most national geological "
            "surveys run.",
            "Ines <ines@elsewhere.example>",
            "synthetic aperture radar",
        ),
        (
            "Meet Ola. She built the Nuclear Magnetic Resonance assignment program nearly every "
            "structural biology lab uses.",
            COLLEAGUE,
            "Nuclear Magnetic Resonance",
        ),
        (
            "The electron tomography package I designed is now the reference method. I'd be "
            "glad to stay in touch.",
            "Ines <ines@elsewhere.example>",
            "electron tomography",
        ),
    ],
)
def test_a_skills_acronym_written_out_beside_a_record_names_the_skill(body, sender, spelled):
    result = marlow_verdict(body, sender=sender)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
    evidence = " ".join(e for r in result.reasons for e in r.evidence)
    assert all(word in evidence for word in spelled.split())


@pytest.mark.parametrize(
    "body",
    [
        # The letters, but not one run of words: "sales and reporting" is not "SAR".
        "I wrote the sales and reporting tool most retailers use.",
        "I built the network monitoring and reporting stack that most telecoms run.",
        "I maintain the stock tracker most labs run for new materials, reagents and kits.",
        # Two short words are any two words ("expense tracker" is not "ET").
        "I built the expense tracker that most small firms use.",
    ],
)
def test_words_that_only_share_an_acronyms_letters_do_not_name_the_skill(body):
    assert marlow_verdict(body).bucket != Bucket.EXCEPTIONAL


@pytest.mark.parametrize(
    "body",
    [
        "I maintain the PCB defect classifier that most contract manufacturers run.",
        "My PCB rework method received a national manufacturing award last year.",
    ],
)
def test_an_acronym_of_part_of_a_skills_name_names_the_skill(body):
    result = marlow_verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
    assert any("PCB" in e for r in result.reasons for e in r.evidence)


def test_an_acronym_of_part_of_a_name_is_written_in_capitals():
    body = "I maintain the pcb defect classifier that most contract manufacturers run."
    assert marlow_verdict(body).bucket != Bucket.EXCEPTIONAL


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("Speleothem dating", "I designed the age-modelling program most speleothem labs now run."),
        (
            "Cave records and speleothems",
            "Hello. For ten years I have maintained the speleothem isotope database, which most "
            "climate groups cite.",
        ),
    ],
)
def test_a_distinctive_word_of_the_skill_beside_a_creation_and_in_the_subject(subject, body):
    result = marlow_verdict(body, subject=subject)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
    assert any("speleothem" in e.lower() for r in result.reasons for e in r.evidence)


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        # The word in the subject, a creation in another field.
        ("Speleothem dating", "I wrote the payroll library most accounting firms use."),
        # The word beside the creation, once: a word alone is too loose a sign.
        ("Hello", "I designed the age-modelling program most speleothem labs now run."),
        # The subject's word, a creation nobody is said to use.
        ("Speleothem dating", "I wrote a small speleothem age-modelling script last winter."),
        # Asking to be referred is no reference method.
        (
            "Speleothem dating role",
            "I wrote a speleothem age script. Could you refer me for the role?",
        ),
    ],
)
def test_near_misses_of_a_distinctive_word_in_the_subject_are_not_exceptional(subject, body):
    assert marlow_verdict(body, subject=subject).bucket != Bucket.EXCEPTIONAL


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("Gauge data pipeline", "I wrote the tide checker that most port authorities now run."),
        (
            "Hello from the tide gauge side",
            "For six years I have reviewed and merged every change to the open toolkit that a "
            "lot of harbour offices run to clean gauge records.",
        ),
    ],
)
def test_a_creation_beside_a_word_of_a_skill_the_subject_names_by_two_words(subject, body):
    result = marlow_verdict(body, subject=subject)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
    assert all(e in body or e in subject for r in result.reasons for e in r.evidence)


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        # The skill in the subject, a creation with none of its words.
        ("Tide gauge pipelines", "I wrote the payroll library most accounting firms use."),
        # A word of it near a creation nobody is said to use.
        ("Tide gauge pipelines", "I wrote a tide table script for my sailing club."),
        # One word of it in the subject is not the skill named.
        ("Tides", "I wrote the tide checker that most port authorities now run."),
    ],
)
def test_near_misses_of_a_skill_the_subject_names_are_not_exceptional(subject, body):
    assert marlow_verdict(body, subject=subject).bucket != Bucket.EXCEPTIONAL


@pytest.mark.parametrize(
    "body",
    [
        "The speleothem age model I developed is now built into most paleoclimate toolkits.",
        "Meet Ola. Her NMR peak picker is built into three of the four largest spectrometer "
        "suites.",
    ],
)
def test_a_creation_built_into_the_fields_products_is_a_record(body):
    sender = COLLEAGUE if body.startswith("Meet") else "Ines <ines@elsewhere.example>"
    result = marlow_verdict(body, sender=sender)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


@pytest.mark.parametrize(
    "body",
    [
        # Built into their own things, or into few.
        "I built the NMR peak picker into our lab's own pipeline.",
        "The speleothem age model I developed is built into my own toolkit.",
    ],
)
def test_near_misses_of_built_into_are_not_a_record(body):
    assert marlow_verdict(body).bucket != Bucket.EXCEPTIONAL


# The sixth round's new tuning mail, described, not copied: thanks for being introduced to
# someone, the field licensing a creation, its use told a few sentences on, an employee
# mentioning a neighbour, a role whose skill is named over the sentences after it.


@pytest.mark.parametrize(
    "body",
    [
        "Thank you for the tour of the lab on Tuesday and for introducing me to Kofi. My "
        "contract runs until March, so I'll stay in touch.",
        "Thanks for taking the time on Friday, and for introducing me to your data team. "
        "I'll stay in touch.",
    ],
)
def test_thanks_for_introducing_them_to_someone_is_no_ask(body):
    result = marlow_verdict(body)

    assert (result.bucket, result.rule) == (Bucket.NETWORK, "known_contact")


@pytest.mark.parametrize(
    "body",
    [
        "Thank you for the tour on Tuesday. Could you introduce me to the hiring manager?",
        "Thanks for Tuesday's visit. I'd be grateful for an introduction to your team lead.",
    ],
)
def test_asking_to_be_introduced_after_a_visit_is_still_an_ask(body):
    assert marlow_verdict(body).bucket == Bucket.FUNNEL


@pytest.mark.parametrize(
    "body",
    [
        "I built the NMR spectral library that most instrument makers license.",
        "For eight years I led the tide gauge pipelines team; I wrote the cleaning engine, "
        "which most port authorities license.",
    ],
)
def test_a_creation_the_field_licenses_is_a_record(body):
    assert marlow_verdict(body).rule == "distinguished_record"


def test_a_creation_licensed_to_a_few_is_not():
    body = "I built a small NMR plotting tool and I license it to two friends."
    assert marlow_verdict(body).bucket != Bucket.EXCEPTIONAL


@pytest.mark.parametrize(
    "body",
    [
        "The main thing I have built: a scheme that keeps speleothem drip water free of "
        "contamination for paleoclimate sampling. We first ran it in our cave in 2020; it now "
        "runs at forty monitoring sites across Europe.",
        "I developed a drift correction for tide gauge pipelines. Harbour offices liked it. "
        "Today it is used by most port authorities in the Baltic.",
    ],
)
def test_a_creations_use_told_a_few_sentences_on_is_a_record(body):
    result = marlow_verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


@pytest.mark.parametrize(
    "body",
    [
        # Use told of something else, not of "it".
        "I developed a drift correction for tide gauge pipelines. Harbour offices liked the "
        "idea. Radar gauges are used by most port authorities in the Baltic.",
        # Too far on.
        "I developed a drift correction for tide gauge pipelines. Harbour offices liked it. "
        "I moved to Oslo. I sailed a lot. Today it is used by most port authorities.",
    ],
)
def test_use_of_something_else_or_far_on_is_not_a_record(body):
    assert marlow_verdict(body).bucket != Bucket.EXCEPTIONAL


@pytest.mark.parametrize(
    "body",
    [
        "My neighbour Piet is a lab technician. He'd like a change after the summer and asked "
        "whether you have NMR work. I said I'd mention him to you.",
        "A friend's daughter, Sanne, does tide gauge work and is free from the autumn. I "
        "promised to mention her name to you.",
    ],
)
def test_an_employee_mentioning_someone_to_us_introduces_them(body):
    result = marlow_verdict(body, sender=COLLEAGUE)

    assert (result.bucket, result.rule) == (Bucket.NETWORK, "employee_introduction")


def test_an_employee_mentioning_a_thing_introduces_no_one():
    body = "As I mentioned to you last week, I'd like to move to the NMR team in the spring."
    assert marlow_verdict(body, sender=COLLEAGUE).rule != "employee_introduction"


@pytest.mark.parametrize(
    "body",
    [
        "I'm one of the editors of the tide data specification port offices exchange readings "
        "in. I wrote most of its chapters. I'd like to move from standards work into gauge "
        "pipelines.",
        "I chair the committee on tide records for the harbour masters' association. We meet "
        "twice a year. Gauge quality is most of what we discuss.",
    ],
)
def test_a_role_whose_skill_is_named_over_the_sentences_after_it_is_a_record(body):
    assert marlow_verdict(body).rule == "distinguished_record"


@pytest.mark.parametrize(
    "body",
    [
        # The role's sentence has none of the skill's words.
        "I chair the committee of the harbour masters' association. We meet twice a year. "
        "Tide gauges are most of what we discuss.",
        # The rest of it three sentences on.
        "I chair the committee on tide records for the harbour masters' association. We meet "
        "twice a year. I sail. Gauge quality is most of what we discuss.",
    ],
)
def test_near_misses_of_a_role_whose_skill_is_named_after_it(body):
    assert marlow_verdict(body).bucket != Bucket.EXCEPTIONAL


@pytest.mark.parametrize(
    "body",
    [
        "Meet Lucy. The drift correction that most tide gauge offices run is hers.",
        "Forwarding Jan's note. The NMR peak-picking routine nearly every structural lab uses "
        "is his.",
    ],
)
def test_an_introduced_persons_work_told_as_theirs_at_the_end_is_a_record(body):
    result = marlow_verdict(body, sender=COLLEAGUE, subject="Fwd: intro")

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


@pytest.mark.parametrize(
    ("body", "sender"),
    [
        # In a candidate's own mail, hers is someone else's.
        (
            "The drift correction that most tide gauge offices run is hers; I use it daily.",
            "Ines <ines@elsewhere.example>",
        ),
        # The choice is hers, not the work.
        ("Meet Lucy. She runs tide gauge pipelines; the choice is hers.", COLLEAGUE),
    ],
)
def test_near_misses_of_work_told_as_theirs(body, sender):
    assert marlow_verdict(body, sender=sender).bucket != Bucket.EXCEPTIONAL


@pytest.mark.parametrize(
    "body",
    [
        "For three years I have been the editor of the code of practice for tide gauge data "
        "pipelines.",
        "I chair the revision of the national codes of practice on NMR structure elucidation.",
    ],
)
def test_editing_a_code_of_practice_is_a_role(body):
    assert marlow_verdict(body).rule == "distinguished_record"


def test_a_code_or_a_practice_alone_is_no_body():
    body = "I was an editor at a small dental practice and I write code for tide gauge pipelines."
    assert marlow_verdict(body).bucket != Bucket.EXCEPTIONAL


@pytest.mark.parametrize(
    "body",
    [
        "She designed the tide gauge cleaning method; it's the result everyone in the field "
        "quotes now.",
        "Meet Ola. She wrote the NMR assignment paper everybody in structural biology quotes.",
    ],
)
def test_a_creation_everyone_in_the_field_quotes_is_a_record(body):
    sender = COLLEAGUE
    assert marlow_verdict(body, sender=sender, subject="Fwd: intro").rule == (
        "distinguished_record"
    )


@pytest.mark.parametrize(
    "body",
    [
        "Everyone quotes the NMR textbook I read.",
        "I wrote a blog post about tide gauge pipelines that everyone in my family quotes.",
    ],
)
def test_near_misses_of_everyone_quoting_it(body):
    assert marlow_verdict(body).bucket != Bucket.EXCEPTIONAL


def test_an_authority_is_no_authoring():
    # "authority" shares "authored"'s stem: a body, not a making.
    body = "The harbour authority checks tide gauge pipelines, which most port offices run."
    assert marlow_verdict(body).bucket != Bucket.EXCEPTIONAL


@pytest.mark.parametrize(
    ("body", "sender"),
    [
        (
            "Meet Lucy. The drift correction that half the tide gauge offices in Norway use is "
            "hers.",
            COLLEAGUE,
        ),
        (
            "My NMR peak picker is used in half the structural labs in Europe.",
            "Ines <ines@elsewhere.example>",
        ),
    ],
)
def test_their_work_in_use_by_half_the_field_is_a_record(body, sender):
    assert marlow_verdict(body, sender=sender, subject="Fwd: intro").rule == (
        "distinguished_record"
    )


def test_their_work_used_for_half_an_hour_is_not():
    body = "My NMR peak picker is used for half an hour each morning."
    assert marlow_verdict(body).bucket != Bucket.EXCEPTIONAL
