"""The quick looks that spare the rules reading a message's sentences keep every outcome: what
a gate turns away, the full reading would not have found either. Pure: no database."""

import dataclasses

import pytest

from triage import concepts, matching, rules
from triage.rules import Address, Opening, Profile, RequestFacts
from triage.vocabulary import FIELDS_STANDARD_WORDS, NAMED_HONOUR_NEEDS

PROFILE = Profile(
    company="Tarn Tiles",
    careers_url="https://jobs.tarn.test",
    recruiter_name="Mo Reyes",
    recruiter_email="mo.reyes@tarn-tiles.example",
    openings=(Opening("Glaze Chemist", "https://jobs.tarn.test/1", ("glaze chemistry",)),),
    hard_to_fill_skills=("kiln firing curves",),
)
STRANGER = Address("Sam Lind", "sam@elsewhere.example")


def facts(body: str) -> RequestFacts:
    return RequestFacts(sender=STRANGER, subject="Hello", body=body)


# One sentence for each way _the_fields_standard accepts a record in an opening's own skill.
THE_FIELDS_STANDARD = [
    "I chair the working group that revises the glaze chemistry guideline.",
    "I hold the pen on the code of practice for glaze chemistry.",
    "I have edited the recommended practice on glaze chemistry.",
    "I was the rapporteur for glaze chemistry at the council.",
    "My glaze chemistry model is the default in most packages.",
    "The glaze chemistry checker ships with the standard distribution.",
    "My glaze chemistry method became the industry standard.",
    "My glaze chemistry method is now the accepted method.",
    "The glaze chemistry table is recommended by the association.",
    "The glaze chemistry table the manufacturer put into its handbook is mine.",
    "I wrote the glaze chemistry routine that most tile makers use.",
]


@pytest.mark.parametrize("body", THE_FIELDS_STANDARD)
def test_what_the_whole_field_works_to_passes_the_quick_look(body):
    found = facts(body).sentences_for_skills(PROFILE.company)
    # The full reading accepts it (else the example would test nothing) ...
    assert any(concepts._the_fields_standard(found, i) for i in range(len(found)))
    # ... so the quick look at the message's words must let it through.
    assert FIELDS_STANDARD_WORDS.in_text(facts(body).vocabulary)


def test_a_message_with_nothing_the_field_works_to_is_turned_away_unread():
    body = "I have worked with glaze chemistry for 6 years. I led a small team."
    told = facts(body)
    assert not FIELDS_STANDARD_WORDS.in_text(told.vocabulary)
    assert concepts.distinction_near_skill(told, PROFILE) is None
    assert "sentences" not in told.__dict__  # no sentence was read for a record
    assert rules.classify(told, PROFILE).rule == "funnel_default"


def test_a_record_in_a_hard_to_fill_skill_is_still_found():
    body = "I wrote the kiln firing curves tool that most tile makers use."
    assert rules.classify(facts(body), PROFILE).rule == "distinguished_record"


# A record near the hard-to-fill skill, named each way _record_near takes (subject, body),
# and a few texts that keep the first look from telling (a link, "_", an apostrophe).
NAMED_NEAR_A_RECORD = [
    ("Hello", "I wrote the kiln firing curves tool that most tile makers use."),
    ("Hello", "I wrote the tool that most tile makers use. It plots firing curves in a kiln."),
    ("Hello", "I chair the standards committee for kilns. Firing is my subject."),
    ("Kiln firing", "I designed the kiln controller that most tile makers run."),
    ("Hello", "I wrote the kiln_firing tool most tile makers use for curves."),
    ("Hello", "I wrote the kiln's firing curves tool that most tile makers use."),
    ("Hello", "See https://x.example/kiln - I wrote the firing curves tool most makers use."),
    ("Hello", "I wrote the Tarn Tiles firing curves tool that most tile makers use."),
    ("Hello", "I wrote the kiln tool that most tile makers use, Ms Curves."),
]


@pytest.mark.parametrize(("subject", "body"), NAMED_NEAR_A_RECORD)
def test_the_look_before_reading_for_a_record_keeps_every_outcome(subject, body, monkeypatch):
    told = dataclasses.replace(facts(body), subject=subject)
    found = concepts.distinction_near_skill(told, PROFILE)
    with monkeypatch.context() as unlooked:
        unlooked.setattr(concepts, "_may_be_named_in_a_sentence", lambda *_: True)
        read = concepts.distinction_near_skill(dataclasses.replace(told), PROFILE)
    assert found == read


def test_a_record_near_too_few_words_of_a_skill_is_turned_away_unread():
    # One word of "kiln firing curves" is not enough to name it: no sentence is read.
    told = facts("I led the team that built the kiln most tile makers use.")
    assert concepts.distinction_near_skill(told, PROFILE) is None
    assert "sentences" not in told.__dict__


def test_the_asks_are_answered_once_per_request():
    told = facts("Could you refer me to the hiring manager? Could we have a coffee chat?")
    asks, meetings = concepts.job_asks(told), concepts.meeting_asks(told)
    assert asks and meetings
    assert concepts.job_asks(told) is asks and concepts.meeting_asks(told) is meetings
    # A copy with other words has its own answers, not the first one's.
    other = dataclasses.replace(told, body="I am not looking for a job now.")
    assert concepts.job_asks(other) == () and concepts.meeting_asks(other) == ()


# Each way thanks_for_a_conversation finds: thanks or pleasure, with what it is for.
THANKS_FOR_A_CONVERSATION = [
    "Thanks for the call yesterday.",
    "Thank you for taking the time to speak with me this afternoon.",
    "I enjoyed our conversation last week.",
    "Thanks for the chat.",
    "Danke für das Gespräch.",
    "Thank you for showing me round the kiln room on Tuesday.",
    "Thanks for organising Wednesday's visit.",
    "It was lovely talking with you.",
    "Great meeting you at the fair last week.",
]


@pytest.mark.parametrize("body", THANKS_FOR_A_CONVERSATION)
def test_thanks_for_a_conversation_passes_the_quick_look(body):
    told = facts(body)
    # The full reading finds it (else the example would test nothing) ...
    assert concepts.thanks_for_a_conversation(told)
    # ... so the quick look at the message's words must let it through.
    stems = told.vocabulary.stems
    assert not concepts._THANKS_OR_PLEASURE.isdisjoint(stems)
    assert not concepts._THANKED_FOR.isdisjoint(stems)


def test_pleasure_in_nothing_said_is_turned_away_unread():
    told = facts("I enjoy good glaze chemistry and great kilns. Nice to be writing.")
    assert concepts.thanks_for_a_conversation(told) is None
    assert "sentences" not in told.__dict__  # no sentence was read for thanks


def test_a_phrase_only_someone_we_spoke_with_writes_still_counts_beside_pleasure():
    told = facts("As we discussed, I enjoy good glaze chemistry.")
    assert concepts.thanks_for_a_conversation(told)


# Each way later_availability finds: available, moving, bound, a change ahead.
LATER = [
    "I'm moving to Rotterdam in spring 2027.",
    "I'll be available after my contract ends in March.",
    "I'm on secondment until the autumn.",
    "I'm open to a switch after the summer.",
    "I will defend my thesis in October and am free after that.",
]


@pytest.mark.parametrize("body", LATER)
def test_a_later_availability_passes_the_quick_look(body):
    told = facts(body)
    assert concepts.later_availability(told)
    assert concepts.may_tell_later_availability(told)


def test_a_message_with_no_not_now_is_turned_away_before_its_asks():
    told = facts("I have worked with glaze chemistry for 6 years. Could you refer me?")
    assert not concepts.may_tell_later_availability(told)
    assert rules.relevant_skills_no_job_ask(told, PROFILE) is None
    assert "_answer_of_job_asks" not in told.__dict__  # the asks were not looked for


@pytest.mark.parametrize(
    ("email", "generic"),
    [
        ("jobs@tarn-tiles.example", True),
        ("Careers+pgh@tarn-tiles.example", True),
        ("talent.acquisition@tarn-tiles.example", True),
        ("hr-team@tarn-tiles.example", True),
        ("no-reply@tarn-tiles.example", True),
        ("do_not_reply@tarn-tiles.example", True),
        ("mailer-daemon@tarn-tiles.example", True),
        ("mo.reyes@tarn-tiles.example", False),
        ("jobsworth@tarn-tiles.example", False),
        ("hrafn@tarn-tiles.example", False),
    ],
)
def test_a_shared_inbox_is_known_by_its_local_part(email, generic):
    assert concepts.is_generic_inbox(email) is generic


@pytest.mark.parametrize(
    ("display_name", "names"),
    [
        ("Jane  Roe", {"jane roe"}),
        ("   ", set()),
        ("", set()),
        ("Jane Roe, PhD", {"jane roe, phd", "jane roe"}),
        ("山田 花子 (Hanako Yamada)", {"山田 花子 (hanako yamada)", "hanako yamada", "山田 花子"}),
    ],
)
def test_a_display_name_is_read_the_same_ways(display_name, names):
    assert matching.display_names(display_name) == names


# Bodies that name the skills in their many ways (other names, acronyms, spelled out, word
# forms and spellings, a name broken over a line) and that name none, as pieces recur.
SKILL_BODIES = [
    "I tune kiln firing curves.\nMost of my work is glaze chemistry.",
    "Kilns fired on a curve I drew; the glazes were chemically stable.",
    "I wrote the KFC schedule. Before, nobody logged the firing.\nRegards,\nSam",
    "My thesis was on kiln\nfiring curves. I am a glaze chemist.",
    "Colour of the glaze, optimisation of firing. Ελληνικά κείμενα, İstanbul, ﬁring.",
    "Thanks for your time.\n\nBest,\nSam Lind",
    "",
    "K",
    "See https://example.test/kiln-firing-curves for my glaze chemistry notes.",
]
SKILL_PROFILES = [
    PROFILE,
    dataclasses.replace(
        PROFILE,
        hard_to_fill_skills=("IEC 61850", "optimal power flow (OPF)", "colour science"),
        other_names=(("optimal power flow", ("AC-OPF", "grid dispatch optimisation")),),
    ),
]


@pytest.mark.parametrize("profile", SKILL_PROFILES)
@pytest.mark.parametrize(
    "body",
    [
        *SKILL_BODIES,
        "I led the International Electrotechnical Commission group on substations.",
        "Grid dispatch optimisations and AC-OPF; colour science.\nOptimal power flows.",
        " ".join(SKILL_BODIES),
    ],
)
def test_the_skills_a_body_may_name_are_those_each_concept_may_be_in(profile, body):
    for skills in (profile.hard_skill_concepts, profile.skill_concepts):
        told = facts(body)
        expected = [c for c in skills if c.may_be_in(told.vocabulary)]
        assert concepts._may_be_named(skills, told) == expected
        assert concepts._may_be_named(skills, told) == expected  # its pieces kept


@pytest.mark.parametrize(
    "text",
    [
        "i won",
        "wonderful",
        "a best-paper award",
        "the award",
        "award-winning",
        "pulitzer-winning",
        "the\u00a0prize",
        "the\u2003medal",
        "the\x1cfellow",
        "\nlaureate",
        "awards/prize/medal",
        "fellowship",
        "https://x.test/awards/",
        "prize",
        "a prizefighter",
        "",
    ],
)
def test_the_honour_words_first_look_answers_as_its_regex(text):
    assert concepts._honour_needs(text) == bool(NAMED_HONOUR_NEEDS.search(text))
