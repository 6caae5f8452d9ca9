"""What the message says: the rules' questions, answered through matching.

The rules (triage/rules.py) ask these: does it ask for a job or a meeting, does it tell a
later availability, which hard-to-fill skills and openings does it name, is there a role, a
creation or a distinction near one, does it thank us for a conversation, is it our thread.
Each answers with what it found, as evidence. The public functions are the rules'
questions; the private ones (a leading underscore) are their parts. The words they look for
are triage/vocabulary.py; how words, sentences and negations are found is
triage/matching.py. Pure like the rules: no ORM, no settings, no clock.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import NamedTuple

from triage import matching
from triage.facts import Opening, Profile, Reason, RequestFacts
from triage.vocabulary import (
    ACCEPTED,
    ACROSS,
    ADOPTED,
    ADOPTED_ACTS,
    AFTER_MADE,
    AFTER_STRANDED,
    AGAINST,
    AGENT_ENDINGS,
    ARTICLES,
    ASSEMBLED,
    AT_FIELD_SCALE,
    ATTRIBUTES,
    AUDIENCE_EVENTS,
    AUTHORITIES,
    AUTOMATED_LOCAL_PARTS,
    AUXILIARIES,
    BASIS,
    BE_FORMS,
    BEARS,
    BECAME,
    BEHIND_IT,
    BODIES,
    BOOKS_OF_BUSINESS,
    BOUND_TO,
    BUILT,
    CALIBRATED,
    CHANGES,
    CITE,
    CLAIMED,
    CLAIMED_WORK,
    CODE_OF_PRACTICE,
    COMMERCIAL,
    COMMITMENT_ENDS,
    COMMITMENTS,
    COMMITTEES,
    CONFERRED,
    CONVERSATION,
    COPY,
    COUNTS,
    COURSE_WORK,
    COURSES,
    DATING_WORDS,
    DETERMINERS,
    DISTINCTION,
    EDITED_DOCUMENTS,
    EDITS,
    ENDED,
    ENDED_STEMS,
    EVERYBODY,
    FEED,
    FELLOW,
    FIELD_DOCUMENTS,
    FIELD_ITSELF,
    FIELD_USE_WORDS,
    FIELDS_STANDARD_WORDS,
    FIRM_COMPOUNDS,
    FIRMS,
    FIRST,
    FIRST_ACTS,
    FIRSTS_AT_WORK,
    FOLLOWING_UP,
    FOR,
    FORWARD,
    FORWARDED_AUTHOR,
    FORWARDED_BODY,
    FORWARDED_SUBJECT,
    FROM,
    FUTURE_CONNECTIVES,
    GENERIC_INBOX_LOCAL_PARTS,
    GIVES_OUT,
    GROUP_KINDS,
    GROUPS,
    GUIDANCE_CITES,
    HEADED,
    HOBBY,
    HOLDING,
    HOLDS_IT,
    HONOURS,
    HORSE,
    IN_TIME,
    IN_USE,
    INCLUDE,
    INSIDE,
    INTERNAL_AWARD,
    INTO,
    INTRODUCING,
    INTRODUCING_SUBJECT,
    IT,
    JOB_ASK,
    JOB_NOUNS,
    JOB_RANKS,
    JOB_TITLES,
    KEPT_GOING,
    KNOW,
    LATER_AVAILABILITY,
    LATER_CONNECTIVES,
    LATER_WHEN,
    LEADING,
    LEADING_FIRMS,
    LOOK,
    MADE,
    MAKING,
    MAKING_VERBS,
    MANY_IN_THE_FIELD,
    MAY_DATED,
    MEASURED,
    MEETING_ASK,
    MINE,
    MONTHS_AND_SEASONS,
    MOST_OF_THE_FIELD,
    MOVING,
    MUST,
    NAMED_AFTER,
    NAMED_HONOUR_HINT,
    NEGATING_ENDINGS,
    NEGATION,
    NOT_A_CONVERSATION_YET,
    NOT_A_FIRST,
    NOT_A_PRIZE,
    NOT_A_TIME,
    NOT_A_USE,
    NOT_BEFORE,
    NOT_COUNTED,
    NOT_NAMES,
    NOT_THE_FIELD,
    NOT_YET_HAD,
    NOW,
    NOW_AWAY,
    OFFICIAL,
    ON,
    ONE_EXERCISE,
    ONE_SIDE,
    ORIGINATORS,
    OTHER_MAKING,
    OTHERS,
    OUR,
    OURSELVES,
    OUT_OF_OFFICE,
    OWN_CLAIMS,
    PART,
    PART_OF_A_SKILL,
    PASSING_ALONG,
    PAST_MARKERS,
    PAST_SEASON,
    PAST_YEAR,
    PEN,
    PEOPLE,
    PEOPLE_LED,
    PLEASED,
    PLEASURE,
    PLEASURE_AND_CONVERSATION,
    PRESENT,
    PRODUCTS,
    PROJECT,
    PRONOUNS,
    PUT,
    RANK_BEFORE,
    RANKS,
    RECOMMENDED_PRACTICE,
    RECORD_STEMS,
    RECORD_WORDS,
    REFERENCE,
    REFERRING,
    RELEASED_WITH,
    RELEASES,
    ROLE_DISTINCTION,
    ROLE_PEOPLE,
    ROLE_TITLES,
    SAYS_LATER,
    SELF_DESCRIBED,
    SENIORITY,
    SIDE,
    SOON_MONTH,
    SOURCING,
    SPANS,
    SPECIFIED,
    STANDARD,
    STANDARD_DESIGNATION,
    STANDARD_MAKERS,
    STANDARD_THINGS,
    STANDING_ROLES,
    STARTED,
    STILL_BOUND,
    STRANDED,
    SUBJECTS,
    TAKING,
    TALKS_GIVEN,
    TAUGHT,
    TEAM_OWNERS,
    TEAMS,
    THANKED,
    THANKED_FOR_A_VISIT,
    THANKS,
    THANKS_AND_CONVERSATION,
    THANKS_FORMS,
    THAT,
    THE_BIG,
    THE_DEFAULT,
    THE_WORLD,
    THE_WRITER,
    THEIR_CLAIMS,
    THEIRS,
    THEN_CONNECTIVES,
    UNTIL,
    USED,
    USED_FOR_WORK,
    USED_IT,
    USUAL,
    VERB_ENDINGS,
    VISIT,
    WAS,
    WHOLE,
    WINNING,
    WITH,
    WON,
    WORK,
    WRITING,
    YEAR_AHEAD,
    YEAR_OR_QUARTER,
    YEARS,
    YOUR,
)

# (what matched, the evidence, where: "" for the message, else which attachment it came from);
# matching.Hit is such a tuple.
SkillHit = tuple[str, tuple[str, ...], str]
OpeningHit = tuple[Opening, tuple[str, ...], str]


def _once_per_request(question: Callable[[RequestFacts], tuple[str, ...]]) -> Callable:
    """`question(facts)` answered once per request: several rules ask it (the asks, by
    known_contact, relevant_skills_no_job_ask and funnel_default). The answer is kept in the
    facts' own attributes, as their cached properties are (a copy made with
    dataclasses.replace starts without it)."""
    name = f"_answer_of_{question.__name__}"

    @functools.wraps(question)
    def answer(facts: RequestFacts) -> tuple[str, ...]:
        try:  # asked again, mostly: the quickest look-up
            return facts.__dict__[name]
        except KeyError:
            found = facts.__dict__[name] = question(facts)
            return found

    return answer


@_once_per_request
def job_asks(facts: RequestFacts) -> tuple[str, ...]:
    """Job-ask phrases the candidate wrote, leaving out negated ones ("not looking for a job")."""
    return facts.scan.find_unnegated(JOB_ASK, NEGATION)


@_once_per_request
def meeting_asks(facts: RequestFacts) -> tuple[str, ...]:
    """Asks for a call, a coffee or an informational interview now, leaving out negated ones
    and those for later ("an informational interview later in the year", "a virtual coffee
    next spring": every sentence that asks says when, and it is not soon)."""
    asks = facts.scan.find_unnegated(MEETING_ASK, NEGATION)
    if not asks or not (LATER_WHEN.in_text(facts.vocabulary) or _later_in(facts.subject)):
        return asks
    said = [facts.body[s.start : s.end] for s in facts.sentences]
    said += [facts.subject[s.start : s.end] for s in matching.sentences(facts.subject)]

    def when(sentence: str, at: int) -> bool:
        # The time that goes with the ask: after it, or before it in the same clause ("not
        # free until spring, but could we have a coffee now?" asks for now).
        clause = re.split(r",|;|\bbut\b", sentence[:at])[-1] + sentence[at:]
        return not LATER_WHEN.stems.isdisjoint(map(matching.stem, matching.WORD.findall(clause)))

    def for_later(ask: str) -> bool:
        asking = [(s, s.find(ask)) for s in said if ask in s]
        return bool(asking) and all(when(s, at) for s, at in asking)

    return tuple(ask for ask in asks if not for_later(ask))


@lru_cache(maxsize=4096)  # subjects repeat ("Quick question")
def _later_in(subject: str) -> bool:
    return not LATER_WHEN.stems.isdisjoint(map(matching.stem, matching.WORD.findall(subject)))


def distinctions(facts: RequestFacts) -> tuple[str, ...]:
    """Distinction phrases whose sentence does not mark them as an internal award, in the
    body: a subject line's "award-winning expert" is a headline the body must bear out."""
    if not (found := facts.scan.find_unless_sentence_has(DISTINCTION, INTERNAL_AWARD)):
        return ()  # most messages: no distinction phrase at all
    found = tuple(d for d in found if d in facts.body)
    return tuple(d for d in found if not _won_by_their_team(facts, d))


def _won_by_their_team(facts: RequestFacts, said: str) -> bool:
    """Whether the award `said` is told of went to their team, not to them (_a_teams_award),
    and neither its sentence nor the next claims the winning work as theirs ("my team won the
    competition ... The policy was mine end to end" is theirs; "I coordinated one chapter"
    is a part of the team's)."""
    if not _a_teams_award(sentence_with(facts, said)):
        return False
    at = facts.body.find(said)
    i = next((k for k, s in enumerate(facts.sentences) if s.start <= at < s.end), None)
    if i is None:
        return True
    introduced = _introduced(facts)
    return not any(_claimed_as_theirs(s, introduced) for s in facts.sentences[i : i + 2])


@lru_cache(maxsize=4096)  # a sentence is asked again for each distinction and honour in it
def _a_teams_award(said: str) -> bool:
    """Whether the sentence's award went to a team, a department or a lab they are in, not to
    them: "my team won the X Award", "our lab was awarded the prize", "the project team I
    was part of won"; the team named (with "my", "our" or "the") in the few words before the
    first winning word. Not a team they led ("I led the team that won", "the group I head
    won"), nor the team and the writer ("my team and I won", "in our team I won"), nor what
    their work won for the team ("that work earned our team the award", "my team's paper
    won": the work is the winner), nor a paper's prize."""
    words = [w.lower() for w in matching.WORD.findall(said)]
    at = next((k for k, w in enumerate(words) if w in WON), None)
    if at is None or "paper" in words[at + 1 : at + 5]:
        return False  # "my team won the best paper award": a paper's prize is its authors'
    before = words[max(0, at - 8) : at]
    stems = [matching.stem(w) for w in before]
    # "My team's paper won": their team's work, the writer's too, is the winner.
    teams = [
        j
        for j, stem in enumerate(stems)
        if stem in TEAMS.stems and not before[j].endswith(("'s", "\u2019s"))
    ]
    if not teams or not HEADED.stems.isdisjoint(stems):
        return False
    j = teams[-1]
    with_them = any(a == "and" and b == "i" for a, b in itertools.pairwise(before[j:]))
    # "Where our team works, I won the prize": the writer is the winner.
    winner = [w for w in before[j + 1 :] if w not in AUXILIARIES][-1:]
    if with_them or winner in (["i"], ["he"], ["she"]):
        return False
    return not TEAM_OWNERS.isdisjoint(before[max(0, j - 3) : j])


def distinction_kind(distinctions: tuple[str, ...]) -> str:
    """What the distinctions found are, for the reason: roles ("core maintainer", "chair of
    the working group", "creator of") are a recognised role; anything else among them (a
    prize, a best paper, a keynote) a distinction recognised outside an employer."""
    if all(ROLE_DISTINCTION.search(d) for d in distinctions):
        return "a recognised role"
    return "a distinction recognised outside an employer"


def sentence_with(facts: RequestFacts, said: str) -> str:
    """The body's sentence that has `said` in it, as written, or "" (it is in the subject)."""
    at = facts.body.find(said)
    found = (s for s in facts.sentences if s.start <= at < s.end)
    return next((facts.body[s.start : s.end] for s in found), "") if at >= 0 else ""


def may_name_honours(facts: RequestFacts) -> bool:
    """Whether the body may name an honour (most do not): the words it needs, and a
    capitalised word before or after them (a link's ".../awards/" has none)."""
    if HONOUR_STEMS.isdisjoint(facts.vocabulary.stems):
        return False
    # A first look for what the hint needs, on the lower-cased body (when that matches as the
    # case-insensitive parts do: see phrases.Text); the hint's regex is slow to search.
    lower = facts.scan.texts[1].lower
    if lower is not None and not _honour_needs(lower):
        return False
    return bool(NAMED_HONOUR_HINT.search(facts.body))


# The words an honour's name needs (HONOURS, WINNING), in one look.
HONOUR_STEMS = HONOURS.stems | WINNING.stems


def _honour_needs(lower: str) -> bool:
    """Whether NAMED_HONOUR_NEEDS is in the lower-cased text, by looking for its words as
    substrings (in C, each several times quicker than the regex, which has no letter to
    start from and so tries every place): "won", "-winning", or an honour's word after a
    space or a hyphen (the regex's \\s is str.isspace)."""
    if "won" in lower or "-winning" in lower:
        return True
    for word in HONOUR_NEEDS_WORDS:
        at = lower.find(word, 1)
        while at != -1:
            if lower[at - 1] == "-" or lower[at - 1].isspace():
                return True
            at = lower.find(word, at + 1)
    return False


# NAMED_HONOUR_NEEDS's honour words (a test checks _honour_needs answers as it does).
HONOUR_NEEDS_WORDS = ("fellow", "prize", "award", "medal", "laureate")


def named_honours(facts: RequestFacts) -> tuple[str, ...]:
    """A fellowship or a prize known by its name, a capitalised word that does not start
    the sentence: "a Humboldt Research Fellowship", "a Marie Curie Fellow", "won the
    Merlin in 2024", "a Pulitzer-winning series". Not a rank ("a Senior Research Fellow"
    is a job title), business won ("won the Acme contract"), or an internal award."""
    if not may_name_honours(facts):
        return ()
    found = []
    for sentence in facts.sentences:
        said = facts.body[sentence.start : sentence.end]
        for i in range(len(sentence.words)):
            named = _honour_named_at(sentence, i)
            if not named or INTERNAL_AWARD.search(matching.short_text(said)):
                continue
            if _won_by_their_team(facts, said):
                continue
            # The words as written, with what joins them ("Pulitzer-winning").
            if match := re.search(r"\W+".join(map(re.escape, named)), said):
                found.append(match.group())
    return tuple(dict.fromkeys(found))


def _honour_named_at(sentence: matching.Sentence, i: int) -> tuple[str, ...]:
    """The words of a named honour at word `i` of the sentence, or ()."""
    words, stems, word = sentence.words, sentence.stems, sentence.words[i].lower()
    if stems[i] in HONOURS.stems:  # "a Humboldt Research Fellowship": the name before
        j = i - 1
        while j > 0 and stems[j] in RANKS.stems:
            j -= 1
        return words[j : i + 1] if 0 < j < i and _a_name(words[j]) else ()
    if word == "won" and not NOT_A_PRIZE.in_(sentence):  # "won the 2024 Merlin": after
        k = i + 1
        while k < len(words) and (words[k].lower() in ARTICLES or words[k][0].isdigit()):
            k += 1
        return words[i : k + 1] if k < len(words) and _a_name(words[k]) else ()
    if word == "winning" and i > 1 and _a_name(words[i - 1]):  # "Pulitzer-winning"
        return words[i - 1 : i + 1]
    return ()


def _a_name(word: str) -> bool:
    return word[0].isupper() and word != "I"


def distinction_near_skill(facts: RequestFacts, profile: Profile) -> tuple[Reason, ...] | None:
    """A role or a creation (see distinguished_record) with a hard-to-fill skill near it, in
    the message or in the note it forwards (the introduced person's own words)."""
    return _distinction_near_skill(facts, profile) or _in_the_forwarded_note(facts, profile)


def _in_the_forwarded_note(facts: RequestFacts, profile: Profile) -> tuple[Reason, ...] | None:
    """The record told in the note a message forwards ("Marco, please pass it on: I wrote
    the coupler most groups run"): the note's writer is the person introduced, in the first
    person."""
    if not facts.forwarded:
        return None  # most messages forward nothing
    note = dataclasses.replace(facts, body=facts.forwarded, forwarded="", quoted_authors=())
    if not (found := _distinction_near_skill(note, profile)):
        return None
    record, *rest = found
    return (Reason(f"In the note it forwards: {record.text}", record.evidence), *rest)


def _distinction_near_skill(facts: RequestFacts, profile: Profile) -> tuple[Reason, ...] | None:
    # A hard-to-fill skill first; else an opening's own skill, when what they did is what
    # the whole field works to (see _the_fields_standard). The skills the message may name
    # are a quick look at its words (_may_be_named), so they come first: most messages name
    # no hard-to-fill skill and say nothing the whole field works to, and then neither the
    # words a record needs are looked for nor any sentence read (reading them all for a
    # record is most of this rule's cost).
    vocabulary = facts.vocabulary
    hard = _may_be_named(profile.hard_skill_concepts, facts)
    own = []
    if FIELDS_STANDARD_WORDS.in_text(vocabulary):
        own = _may_be_named(profile.opening_skill_concepts, facts)
    if not (hard or own):
        return None
    if not (
        RECORD_WORDS.in_text(vocabulary)
        or (FIELD_USE_WORDS.in_text(vocabulary) and _introduced(facts))
        or (ROLE_TITLES.in_text(vocabulary) and STANDARD_DESIGNATION.search(facts.body))
    ):
        return None
    # Most messages that get this far have a word or two of a skill ("widget", "design") and
    # not enough of one to name it in any sentence: then no sentence is read for a record.
    if not _may_be_named_in_a_sentence(facts, profile, (*hard, *own)):
        return None
    # The sentences that tell a record are found once, for both kinds of skill.
    found = facts.sentences_for_skills(profile.company)
    if not (records := tuple(_records(facts, found))):
        return None
    return _record_near(facts, profile, hard, found, records) or (
        _record_near(facts, profile, own, found, records, the_fields_standard=True)
    )


def _may_be_named(
    concepts: tuple[matching.SkillConcept, ...], facts: RequestFacts
) -> list[matching.SkillConcept]:
    """The `concepts` the body may name (SkillConcept.may_be_in), in order. Most texts have
    none of any concept's keys or acronyms: the profile's concepts all together say so in one
    look (_SkillScreen), and then only those with acronyms to spell out are looked at.

    The same answers as may_be_in, without its first look (the forms of all the body's
    stems, matching.skill_forms): the screen's keys the body has are found piece by piece
    (_SkillScreen.keys_in), and a concept's keys are among the screen's, so those are all
    of its keys the body has."""
    screen = _SkillScreen.of(concepts)
    vocabulary = facts.vocabulary
    keys = screen.keys_in(facts.scan.texts[1], vocabulary)
    words = vocabulary.words
    if not keys and screen.acronyms.isdisjoint(words):
        return [c for c in screen.spelled if c.may_be_spelled_out_in(vocabulary)]
    return [
        c
        for c in concepts
        if not c.keys.isdisjoint(keys)
        or not c._lower.isdisjoint(words)
        or (c.spelled and c.may_be_spelled_out_in(vocabulary))  # most have no acronym
    ]


def _may_be_named_in_a_sentence(
    facts: RequestFacts, profile: Profile, concepts: tuple[matching.SkillConcept, ...]
) -> bool:
    """Whether one of the `concepts` (those _may_be_named) may be named as _record_near looks
    for one, told from the body's words before any sentence is read.

    _record_near takes a skill near a record only with evidence of it, which is one of
    (SkillConcept.evidence, words_near, _named_in_part, _named_in_the_headline): its acronym
    (as written, in the plural or with a digit: its letters are in the body); its acronym
    written out; one of its names, all of its words in one sentence; enough of its words
    (`needed`, in one sentence or across a few); or one of its words beside the subject
    naming it or having a word of it (a creation told by what it does). The body's
    sentences have no word the body's tokens have not (their forms are among the
    vocabulary's), unless a link or the company's name is blanked out of them (see
    RequestFacts.sentences_for_skills), a token is two words ("x_ray", "c++": a WORD has
    no "_", "+" or "#"), or a word is lower-cased otherwise alone than in the body (a text
    phrases.Text has no lower-cased copy of; a capital sigma, whose small form depends on
    what follows it): then this cannot tell, and says True. A word with an apostrophe
    ("o'brien") is one word and two tokens: its forms are added."""
    if not concepts:
        return False
    lower = facts.scan.texts[1].lower
    if (
        lower is None
        or facts.scan.links[1]
        or facts.names_the_company(profile.company)
        or "_" in lower
        or "+" in lower
        or "#" in lower
        or "\u03a3" in facts.body
    ):
        return True
    forms = matching.skill_forms(facts.vocabulary.stems)
    if "'" in lower or "\u2019" in lower:
        joined = matching.WORD_WITH_APOSTROPHE.findall(lower)
        forms |= matching.skill_forms(frozenset(map(matching.stem, joined)))
    headline = None
    for c in concepts:
        if (words := c.words & forms) and c.needed and len(words) >= c.needed:
            return True
        # The loops in C (map), not a generator's frame for each item: the acronyms'
        # letters (`_lower` has each lower-cased, and its plural, which has it too).
        if (
            c.spelled
            or any(map(forms.issuperset, c.names))
            or any(map(lower.__contains__, c._lower))
        ):
            return True
        if words:
            if headline is None:
                headline = _headline(facts.subject, profile.company)
            if any(not c.words.isdisjoint(s.form_set) or c.evidence(s) for s in headline):
                return True
    return False


class _SkillScreen(NamedTuple):
    """What a profile's skill concepts look for at a glance (SkillConcept.may_be_in), all
    together: every concept's keys and lower-cased acronyms, those that may be spelled out
    (which need their own look), and the keys found in each piece of text seen (keys_in)."""

    keys: frozenset[str]
    acronyms: frozenset[str]
    spelled: tuple[matching.SkillConcept, ...]
    pieces: dict[str, frozenset[str]]

    @classmethod
    def of(cls, concepts: tuple[matching.SkillConcept, ...]) -> _SkillScreen:
        # Kept by the tuple's identity (a Profile's concepts are made once per Profile, and
        # hashing concepts by value would cost more than the screen saves); the tuple is kept
        # too, so its id stays its own. Bounded, as a profile's data may change.
        kept = _SKILL_SCREENS.get(id(concepts))
        if kept is None or kept[0] is not concepts:
            if len(_SKILL_SCREENS) >= SKILL_SCREENS_KEPT:
                _SKILL_SCREENS.clear()
            screen = cls(
                frozenset().union(*(c.keys for c in concepts)),
                frozenset().union(*(c._lower for c in concepts)),
                tuple(c for c in concepts if c.spelled),
                {},
            )
            kept = _SKILL_SCREENS[id(concepts)] = (concepts, screen)
        return kept[1]

    def keys_in(self, text: matching.Text, vocabulary: matching.Vocabulary) -> frozenset[str]:
        """The keys among the skill forms of the text's stems (matching.skill_forms). A
        text's stems are its pieces' (matching.Vocabulary.of, phrases.PIECE), and pieces recur
        across messages, so each piece's keys are found once and kept: a message is then a
        few look-ups, where the forms of all its stems were a look-up each and a new set."""
        if text.lower is None:  # its stems are not its pieces' (see Vocabulary.of)
            return self.keys.intersection(matching.skill_forms(vocabulary.stems))
        if len(self.pieces) >= SCREEN_PIECES_KEPT:
            self.pieces.clear()  # bounded: start again (memory, not correctness)
        return text.by_piece(self._keys_of_piece, self.pieces)

    def _keys_of_piece(self, lower: str) -> frozenset[str]:
        """The keys among the forms of a lower-cased piece's stems (as Vocabulary.of finds
        its stems: each token's). A piece new here was nearly always just read for the
        message's vocabulary, whose stems of it are kept: looked up, not stemmed again (a
        call per word), and their forms looked up in C (matching.skill_forms)."""
        stems = matching.stems_of_piece(lower)
        return self.keys.intersection(matching.skill_forms(stems)) or _NO_KEYS


_SKILL_SCREENS: dict[int, tuple[tuple[matching.SkillConcept, ...], _SkillScreen]] = {}
SKILL_SCREENS_KEPT = 64
SCREEN_PIECES_KEPT = 4096  # pieces of text whose keys a screen keeps, about (see keys_in)
_NO_KEYS: frozenset[str] = frozenset()  # one empty answer for the many pieces with none


class _Record(NamedTuple):
    """A sentence (the `i`th found) that tells a role, a creation or a first."""

    i: int
    sentence: matching.Sentence
    said: str
    role: tuple[str, ...]
    creation: tuple[str, ...]
    first: tuple[str, ...]


def _records(facts: RequestFacts, found: tuple[matching.Sentence, ...]) -> Iterator[_Record]:
    """Each sentence of `found` that tells a role, a creation or a first, in order."""
    theirs = _introduced(facts)
    # Most sentences have no word a role or a creation begins with: passed over here, in
    # one look each, not in a call each.
    told = (
        i
        for i, sentence in enumerate(found)
        if not RECORD_STEMS.isdisjoint(sentence.stem_set)
        or (theirs and _own_work(sentence, theirs))
    )
    return filter(None, (_record(facts, found, i, theirs) for i in told))


def _record(
    facts: RequestFacts, found: tuple[matching.Sentence, ...], i: int, theirs: bool
) -> _Record | None:
    """The record sentence `i` of `found` tells, if any: one _records did not pass over."""
    sentence = found[i]
    said = facts.body[sentence.start : sentence.end]
    if _self_described(sentence) or INTERNAL_AWARD.search(matching.short_text(said)):
        return None
    role = _role(sentence)
    creation = () if role else _creation(sentence, matching.window(found, i, 0, 3), theirs)
    creation = creation or (() if role else _first_beside_the_fields_past(found, i, theirs))
    first = () if role or creation else _a_first(sentence, theirs)
    first = first or (() if role or creation else _a_first_the_field_took_up(found, i, theirs))
    return _Record(i, sentence, said, role, creation, first) if role or creation or first else None


def _record_near(
    facts: RequestFacts,
    profile: Profile,
    concepts: list[matching.SkillConcept],
    found: tuple[matching.Sentence, ...],
    records: tuple[_Record, ...],
    *,
    the_fields_standard: bool = False,
) -> tuple[Reason, ...] | None:
    """A role, a creation or a first (`records`, of the sentences `found`) near one of the
    skills `concepts` (those the message may name: SkillConcept.may_be_in); with
    `the_fields_standard`, only one the whole field works to (_the_fields_standard)."""
    if not concepts:
        return None
    where = "In an opening's skill" if the_fields_standard else "In a hard-to-fill skill"
    by_name = everywhere = None  # each skill's evidence by name in the message, found once
    for i, sentence, said, role, creation, first in records:
        near = matching.window(found, i, 1, 1)
        if the_fields_standard and (first or not _the_fields_standard(found, i)):
            continue
        if creation and not _used_by_the_field(sentence):  # its use in the next sentence
            near = matching.window(found, i, 1, 2)
        # The skill the sentences name most plainly (most words), not the first one listed.
        named = [(c, c.evidence_near(near, sentence)) for c in concepts]
        if role and not any(evidence for _, evidence in named):
            # Its words split over the role's sentence and the two after it ("I'm one of
            # the editors of the content spec ... I'd like to move from standards work").
            after = matching.window(found, i, 1, 2)
            named = [(c, c.words_near(after, sentence)) for c in concepts]
        if creation and not any(evidence for _, evidence in named):
            if by_name is None:  # the message and its subject, read for skills once
                headline = _headline(facts.subject, profile.company)
                everywhere, by_name = (*found, *headline), _evidence_by_name((*found, *headline))
            named = [(c, _named_in_part(c, near, everywhere, by_name, headline)) for c in concepts]
        record = {w.lower() for w in (role or creation or first)}
        named = [(c, e) for c, e in named if not _the_record_word_alone(c, e, record)]
        plainest = functools.partial(_plainest_first, sentence)
        for concept, evidence in sorted(named, key=plainest)[:1]:
            if evidence:
                kind = "a recognised role" if role else "a creation the field uses"
                kind = "a first in the field" if first else kind
                told = (said, *(_use_told_after(facts, found, i) if creation else ()))
                text = (
                    f"Distinguished record, {kind} ({quoted(role or creation or first)}) in "
                    f"{concept.skill}: " + " ... ".join(f'"{shortened(t)}"' for t in told)
                )
                return (
                    Reason(text, told),
                    Reason(f"{where}: {concept.skill}", evidence),
                )
    return None


def _plainest_first(
    sentence: matching.Sentence, named: tuple[matching.SkillConcept, tuple[str, ...]]
) -> tuple[int, int, bool]:
    """A skill and its evidence near a record told in `sentence`, as they sort: the most
    evidence first; of as much, the skill named by its own acronyms ("SIP", "RTP") before one
    told by two loose words ("call", "scoring"), then one the record's own sentence names
    before one only a neighbour names (the title of an opening they apply for)."""
    concept, evidence = named
    acronyms = sum(e in concept.acronyms for e in evidence)
    return -len(evidence), -acronyms, not concept.evidence(sentence)


def _use_told_after(
    facts: RequestFacts, found: tuple[matching.Sentence, ...], i: int
) -> tuple[str, ...]:
    """The sentence after a creation's (at `i`) that tells the field uses it, when its own
    does not ("I designed the first deck ... The detail has since been reused on eight other
    bridges"): the reason quotes what shows the record, not only the making. As _creation
    reads it: the next sentence, or one of the two after that which speaks of "it"."""
    if _used_by_the_field(found[i]):
        return ()
    after = matching.window(found, i, 0, 3)[1:]
    told = (s for k, s in enumerate(after) if (k == 0 or IT.in_(s)) and _used_by_the_field(s))
    return tuple(facts.body[s.start : s.end] for s in itertools.islice(told, 1))


def _the_record_word_alone(
    concept: matching.SkillConcept, evidence: tuple[str, ...], record: set[str]
) -> bool:
    """Whether the skill's evidence needs the record's own word ("the lead for the training"
    is no word of a "lead cable survey" skill): without it, too few words are left."""
    rest = [e for e in evidence if e.lower() not in record]
    return len(rest) < len(evidence) and len(rest) < max(1, concept.needed)


def _evidence_by_name(
    sentences: tuple[matching.Sentence, ...],
) -> Callable[[matching.SkillConcept], tuple[str, ...]]:
    """Each skill's evidence by name in the sentences, looked for once per skill."""

    @functools.cache
    def named(concept: matching.SkillConcept) -> tuple[str, ...]:
        return next(filter(None, (concept.evidence(s, by_name=True) for s in sentences)), ())

    return named


def _named_in_part(
    concept: matching.SkillConcept,
    near: tuple[matching.Sentence, ...],
    found: tuple[matching.Sentence, ...],
    named: Callable[[matching.SkillConcept], tuple[str, ...]],
    headline: tuple[matching.Sentence, ...] = (),
) -> tuple[str, ...]:
    """A creation told by what it does, in the skill's field: a distinctive word of the skill
    (a stem of PART_OF_A_SKILL letters or more: "glacier", not "model") in the sentences
    `near` it, and the skill named elsewhere in the message or its subject, or most of its
    words there and near it ("My field is glacier mass balance modelling. ... I designed the
    melt engine most glacier labs run"; "Subject: mass balance" beside it), or the same
    distinctive word in the subject, the writer's headline of what they do ("Subject:
    Glacier melt", "I designed the melt engine most glacier labs run"); or else any word of
    it, when the subject names the skill (_named_in_the_headline). `named`: the
    skill's evidence by name in `found`, asked once per message; `headline`: the subject's
    sentences."""
    part = {
        form: word
        for s in near
        for word, form in zip(s.words, s.forms, strict=True)
        if form in concept.words and _distinctive(word, form)
    }
    if not part:
        return _named_in_the_headline(concept, near, headline)
    if elsewhere := named(concept):
        return (*part.values(), *elsewhere)
    if headed := [w for s in headline for w, f in zip(s.words, s.forms, strict=True) if f in part]:
        return (*part.values(), *dict.fromkeys(headed))
    for s in found:
        if concept.words.isdisjoint(s.form_set):
            continue
        rest = {f: w for w, f in zip(s.words, s.forms, strict=True) if f in concept.words}
        shared = part.keys() | rest.keys()
        most = len(shared) >= concept.needed and 2 * len(shared) > len(concept.words)
        if rest.keys() - part.keys() and most:
            return (*part.values(), *rest.values())
    return ()


def _distinctive(word: str, form: str) -> bool:
    """Whether a skill's word names it in part: a stem of PART_OF_A_SKILL letters or more
    ("glacier", not "model"), or a Greek or Latin singular in "-is" of that many letters, whose
    final "s" the stemmer takes for a plural's ("crisis" -> "crisi", "thesis"); a plural's
    stem is the word's length less its "s" ("chairs" -> "chair")."""
    if len(form) >= PART_OF_A_SKILL:
        return True
    singular = word.lower().endswith("is") and form.endswith("i")
    return singular and len(word) >= PART_OF_A_SKILL


def _named_in_the_headline(
    concept: matching.SkillConcept,
    near: tuple[matching.Sentence, ...],
    headline: tuple[matching.Sentence, ...],
) -> tuple[str, ...]:
    """A word of the skill, however short, in the sentences `near` a creation, when the
    subject names the skill as a sentence would (two of its words: "Subject: Gauge data
    pipeline", "I wrote the tide checker most port authorities run")."""
    if not (said := next(filter(None, map(concept.evidence, headline)), ())):
        return ()
    near_words = [
        w for s in near for w, f in zip(s.words, s.forms, strict=True) if f in concept.words
    ]
    return (*dict.fromkeys(near_words), *said) if near_words else ()


def theirs_not_the_role(
    facts: RequestFacts, profile: Profile, skills: tuple[SkillHit, ...]
) -> tuple[SkillHit, ...]:
    """The skills, less those whose words the message has only inside the title of an
    opening it names ("I'd like to apply for the Widget Engineer role" names our skill, not
    theirs)."""
    if not skills or not profile.openings:
        return skills
    titles = facts.scan.find(_opening_titles(profile.openings))
    if not titles:  # most messages: no opening named by its title
        return skills
    outside = facts.body
    for title in titles:
        outside = outside.replace(title, " ")
    outside = outside.lower()
    return tuple(
        s for s in skills if any(re.search(rf"\b{re.escape(e.lower())}\b", outside) for e in s[1])
    )


def _opening_titles(openings: tuple[Opening, ...]) -> matching.Phrases:
    """The openings' titles as one pattern. Kept for the last tuple asked about, by its
    identity (a Profile's, asked of request after request): looking it up in a cache by
    value hashes every Opening, a dataclass, each time."""
    kept = _LAST_TITLES[0]  # read once: another thread may replace it
    if kept[0] is openings:
        return kept[1]
    titles = _titles_of(openings)
    _LAST_TITLES[0] = (openings, titles)
    return titles


@lru_cache(maxsize=64)
def _titles_of(openings: tuple[Opening, ...]) -> matching.Phrases:
    return matching.any_phrase(t for o in openings for t in (o.title, o.title.split(",")[0]))


# [(openings, their titles' pattern)], the last asked about (see _opening_titles).
_LAST_TITLES: list[tuple] = [(None, None)]


@matching.per_sentence
def _self_described(sentence: matching.Sentence) -> bool:
    """SELF_DESCRIBED words, other than the hobby of "a hobby horse" (a pet subject), the
    courses their work is taught in ("taught as a case study in most courses", "the textbook
    most courses teach from": the field teaching it, not a course they took), a course they
    made (_courses_made), and portfolios in the plural (a firm's books of business: "copied
    by lenders for their loan portfolios"); or a side project."""
    if not (found := SELF_DESCRIBED.in_(sentence)):
        return bool(matching.pairs(SIDE, PROJECT, sentence))
    # "loan portfolios", "fund portfolios": books of business, not a portfolio piece.
    found = tuple(w for w in found if w.lower() not in BOOKS_OF_BUSINESS)
    stems = sentence.stems
    # "taught in most courses", "most courses teach from it": a teaching word before the
    # course, or a few words after it.
    teaching = [i for i, stem in enumerate(stems) if stem in TAUGHT.stems]
    taught_in = [
        i
        for i, stem in enumerate(stems)
        if stem in COURSES.stems and teaching and teaching[0] <= i + 3
    ]
    made = _courses_made(sentence)
    return len(found) > len(matching.pairs(HOBBY, HORSE, sentence)) + len(taught_in) + made


def _courses_made(sentence: matching.Sentence) -> int:
    """How many of the sentence's courses are what they made: an act of making before it
    ("I wrote the practical element of the type course"), not a course they took (TAKING in
    the three words before it: "during a course", "in a short course") nor work done for one
    ("a course project")."""
    words, stems = [w.lower() for w in sentence.words], sentence.stems
    return sum(
        1
        for i, stem in enumerate(stems)
        if stem in COURSES.stems
        and not MAKING.stems.isdisjoint(stems[:i])
        and TAKING.isdisjoint(words[max(0, i - 3) : i])
        and words[i + 1 : i + 2] not in ([w] for w in COURSE_WORK)
    )


@matching.per_sentence
def _role(sentence: matching.Sentence) -> tuple[str, ...]:
    titles = _role_titles(sentence) or _holding_the_pen(sentence)
    if titles and (
        BODIES.in_(sentence)
        or sentence.has_sequence(CODE_OF_PRACTICE)
        or sentence.has_sequence(RECOMMENDED_PRACTICE)
        or STANDARD_DESIGNATION.search(sentence.said)
    ):
        return titles
    if edited := _editing_a_standard(sentence):
        return edited
    if led := _leading_a_body(sentence):
        return led
    return _senior_people(sentence) or ORIGINATORS.in_(sentence) or STANDING_ROLES.in_(sentence)


def _role_titles(sentence: matching.Sentence) -> tuple[str, ...]:
    """ROLE_TITLES, a fellow only of a body that conferred it ("elected a Fellow of the
    Society"): "I am a Fellow of the Institute" is a grade reached by examination."""
    titles = ROLE_TITLES.in_(sentence)
    if not titles or CONFERRED.in_(sentence):
        return titles
    return tuple(t for t in titles if matching.stem(t) not in FELLOW.stems)


@matching.per_sentence
def _editing_a_standard(sentence: matching.Sentence) -> tuple[str, ...]:
    """EDITS what the field works to, a few words on (EDITED_DOCUMENTS or a designation):
    "has edited the recommended practice on well cementing", "edits the national
    guideline", "edited ISO 14224". Not a thing that is no standard ("edited the
    newsletter"), nor one someone else edited ("edited by"), nor their own side's ("edited
    our guideline")."""
    if EDITS.stems.isdisjoint(sentence.stem_set):
        return ()
    words, stems = sentence.words, sentence.stems
    for i, stem in enumerate(stems):
        after = [w.lower() for w in words[i + 1 : i + 6]]
        if stem not in EDITS.stems or after[:1] == ["by"] or not OURSELVES.isdisjoint(after):
            continue
        documents = not EDITED_DOCUMENTS.stems.isdisjoint(stems[i + 1 : i + 6])
        if documents or STANDARD_DESIGNATION.search(" ".join(words[i + 1 : i + 4])):
            return (words[i],)
    return ()


def _holding_the_pen(sentence: matching.Sentence) -> tuple[str, ...]:
    """ "holding the pen on the rewrite": drafting it, an editor's role (not "holding a pen")."""
    if PEN.stems.isdisjoint(sentence.stem_set):
        return ()
    words, stems = sentence.words, sentence.stems
    return tuple(
        " ".join(words[i : i + 3])
        for i in range(len(words) - 2)
        if stems[i] in HOLDING.stems and words[i + 1].lower() == "the" and stems[i + 2] in PEN.stems
    )


def _senior_people(sentence: matching.Sentence) -> tuple[str, ...]:
    """ "core maintainers", "lead architect of the platform": the person, not the work ("lead
    development") nor a team named for it ("the core design team"), which share the person's
    stem. A job title (see _a_job_title) is not one."""
    words = sentence.words
    return tuple(
        f"{words[i]} {words[i + 1]}"
        for i, stem in enumerate(sentence.stems[:-1])
        if stem in SENIORITY.stems
        and words[i + 1].lower().removesuffix("s") in ROLE_PEOPLE
        and not _a_job_title(sentence, i)
    )


def _a_job_title(sentence: matching.Sentence, i: int) -> bool:
    """A rank and a trade (JOB_RANKS, JOB_TITLES: "lead developer", "principal architect")
    are a job title, unless they are of a thing ("lead architect of the shared platform"),
    not at an employer ("at a small co-op") nor of its own things ("of our app") nor of a
    firm ("of AkkerApp, a small start-up")."""
    words = [w.lower() for w in sentence.words[i + 2 : i + 4]]
    if sentence.stems[i] not in JOB_RANKS.stems or (
        sentence.words[i + 1].lower().removesuffix("s") not in JOB_TITLES
    ):
        return False
    if words[:1] not in (["of"], ["on"]) or words[1:2] in (["our"], ["my"]):
        return True
    return _a_firm(sentence, i + 2)


def _a_firm(sentence: matching.Sentence, start: int) -> bool:
    """Whether the sentence from word `start` on calls the thing a firm, which employs them
    ("of AkkerApp, a small agritech start-up"), not the firms that use it ("most firms")."""
    stems = sentence.stems
    for j in range(start, len(stems)):
        firm = stems[j] in FIRMS.stems or tuple(stems[j - 1 : j + 1]) in FIRM_COMPOUNDS
        if firm and not ARTICLES.isdisjoint(w.lower() for w in sentence.words[j - 4 : j]):
            return True
    return False


def _leading_a_body(sentence: matching.Sentence) -> tuple[str, ...]:
    """LEADING words with the body they lead a few words on ("led the committee that wrote",
    "headed the EU task group"). Not "lead" the metal or an adjective far from a committee
    ("managing lead pipe projects ... a member of the committee"), nor a capitalised "Lead"
    inside a sentence, a name's ("the Lead and Copper committee")."""
    words, stems = sentence.words, sentence.stems
    found = []
    for i, (word, stem) in enumerate(zip(words, stems, strict=True)):
        if stem not in LEADING.stems or (i and word[0].isupper()):
            continue
        after = stems[i + 1 : i + 11]  # a body with a long name: "the XYZ (X Y Z) shared task"
        kinds = itertools.pairwise(after)
        if not COMMITTEES.stems.isdisjoint(after) or any(
            a in GROUP_KINDS.stems and b in GROUPS.stems for a, b in kinds
        ):
            found.append(word)
    return tuple(found)


def _creation(
    sentence: matching.Sentence, near: tuple[matching.Sentence, ...], introduced: bool = False
) -> tuple[str, ...]:
    """Making words, when this sentence or the next says the field uses what was made:
    adopted, a standard, or used by many; or one of the two after those, of "it" ("We
    first ran it in 2020; it now runs at forty sites"). `near`: the sentence and the three
    after it. Or "my" (their own work), when the same sentence
    begins by saying many use it ("My library is deployed in 60 banks"). In an introduction
    (`introduced`), the person introduced is "he" or "she" who made it, and "his" or "her"
    or their name's work ("Her model is now the reference method")."""
    # Made, or claimed as theirs after it is told ("... every team uses was mine").
    if made := _acts_of_making(sentence, introduced) or _claimed_as_theirs(sentence, introduced):
        later = (s for s in near[2:] if IT.in_(s))
        return made if any(map(_used_by_the_field, (*near[:2], *later))) else ()
    if cited := _their_work_cited(sentence, introduced):
        return cited
    if not (mine := _own_work(sentence, introduced)):
        return ()
    if _became_a_standard(sentence):  # "My model is now the reference method"
        return mine
    if IN_USE.in_(sentence) and _at_field_scale(sentence):
        return mine
    if _own_work_in_use(sentence):  # "My algorithm is licensed to four of the big six ..."
        return mine
    if _why_the_field_does(sentence):  # "My work is the reason every centre now issues ..."
        return mine
    if IN_USE.in_(sentence):
        return ()
    return mine if _relied_on_by_many(sentence) else ()  # "what most suppliers certify against"


@matching.per_sentence
def _a_first(sentence: matching.Sentence, introduced: bool = False) -> tuple[str, ...]:
    """A first in the field, theirs: an act (FIRST_ACTS) up to six words before "the first"
    and, after it, a first of its kind: "to" and a verb a few words on ("led the design
    of the first bridge bond to cover tidal risk"), "ever" ("the first-ever"), or a body
    accepting it ("did the first glued retrofit ... that the regulator accepted"). Not a first
    in time or at work ("the first phase", "the first draft to send", FIRSTS_AT_WORK), nor one
    without their act ("I was the first engineer to join the team"), nor, in a message that
    introduces nobody, someone else's ("she led the first ...")."""
    words, stems = [w.lower() for w in sentence.words], sentence.stems
    for i, stem in enumerate(stems):
        if stem not in FIRST.stems or i < 2 or words[i - 1] != "the":
            continue
        if stems[i + 1 : i + 2] and stems[i + 1] in FIRSTS_AT_WORK.stems:
            continue
        acts = [
            j
            for j in range(max(0, i - 7), i - 1)
            if stems[j] in FIRST_ACTS.stems
            and (introduced or not _made_by_someone_else(sentence, j))
        ]
        if not acts:
            continue
        after = sentence.words[i + 1 : i + 9]
        to_a_verb = any(
            w == "to"
            and k + 1 < len(after)
            and after[k + 1].islower()
            and after[k + 1] not in DETERMINERS | OURSELVES
            for k, w in enumerate(after)
        )
        accepted = not ACCEPTED.stems.isdisjoint(stems[i + 1 :])
        if to_a_verb or accepted or "ever" in words[i + 1 : i + 7]:
            return (sentence.words[acts[0]], f"the {sentence.words[i]}")
    return ()


# "first" in any case is its own stem: a sentence without it has no "the first".
FIRST_WORD = matching.stem("first")


def _a_first_the_field_took_up(
    found: tuple[matching.Sentence, ...], i: int, introduced: bool
) -> tuple[str, ...]:
    """A first of theirs (an act of FIRST_ACTS a few words before "the first", not a first
    at work: see _a_first) that this sentence or the next says the field uses: "I ran the
    first full-scale survey of a main cable ...; the whole field has built on it
    since". Not "the first time", nor someone else's ("she ran the first ...")."""
    sentence = found[i]
    if FIRST_WORD not in sentence.stem_set:  # most sentences: "first" is its own stem
        return ()
    words, stems = [w.lower() for w in sentence.words], sentence.stems
    firsts = [
        j
        for j in range(2, len(stems) - 1)
        if words[j - 1 : j + 1] == ["the", "first"]
        and stems[j + 1] not in FIRSTS_AT_WORK.stems
        and words[j + 1] not in NOT_A_FIRST
    ]
    acts = [
        k
        for j in firsts
        for k in range(max(0, j - 7), j - 1)
        if stems[k] in FIRST_ACTS.stems and (introduced or not _made_by_someone_else(sentence, k))
    ]
    if not acts or not any(map(_used_by_the_field, matching.window(found, i, 0, 1))):
        return ()
    return (sentence.words[acts[0]], "the first")


def _first_beside_the_fields_past(
    found: tuple[matching.Sentence, ...], i: int, introduced: bool
) -> tuple[str, ...]:
    """A first of theirs, or a thing they made ("my team did the first survey the office
    accepted", "I designed the one we used"), beside a sentence that says what the whole
    field did before it ("Before, everybody used towed sonar", "Before that dive nobody had
    a housing that survived"): a landmark. Not their own side's past ("Before, nobody
    in our team knew it", "Before I joined, everybody used paper logs")."""
    sentence = found[i]
    if not (first := _the_first(sentence) or _acts_of_making(sentence, introduced)):
        return ()
    around = (s for s in matching.window(found, i, 1, 1) if s is not sentence)
    return first if any(map(_the_fields_past, around)) else ()


def _the_first(sentence: matching.Sentence) -> tuple[str, ...]:
    """ "the first survey under ice", not "the first time", "the first step"."""
    if FIRST_WORD not in sentence.stem_set:  # most sentences
        return ()
    words = [w.lower() for w in sentence.words]
    return tuple(
        f"{sentence.words[j]} {sentence.words[j + 1]}"
        for j in range(len(words) - 2)
        if words[j : j + 2] == ["the", "first"] and words[j + 2] not in NOT_A_FIRST
    )


def _the_fields_past(sentence: matching.Sentence) -> bool:
    """A sentence that begins "Before" and says what nobody or everybody did, of no one on
    the writer's side."""
    words = [w.lower() for w in sentence.words]
    if words[:1] != ["before"] or not OURSELVES.isdisjoint(words):
        return False
    no_one = any(a == "no" and b == "one" for a, b in itertools.pairwise(words))
    return no_one or not EVERYBODY.isdisjoint(words)


def _at_field_scale(sentence: matching.Sentence) -> bool:
    """AT_FIELD_SCALE words or a number ("in 60 banks", "half the labs"), not of time or of
    people at large ("half an hour", "most people")."""
    stems = sentence.stems
    return any(
        (stem in AT_FIELD_SCALE.stems or _a_number_of_things(sentence, i))
        and NOT_THE_FIELD.stems.isdisjoint(stems[i + 1 : i + 3])
        for i, stem in enumerate(stems)
    )


def _their_work_cited(sentence: matching.Sentence, introduced: bool) -> tuple[str, ...]:
    """Their work as the object of what the field's guidance does with it (GUIDANCE_CITES, then
    "my", or in an introduction "his" or "her", right after it; FIELD_DOCUMENTS in the
    sentence): "Ofcom's guidance quotes my latency study word for word", "the Library
    recommends my method in its guidance". Not when the one citing is the writer's own side
    or someone they know ("our team guideline cites my report", "my supervisor's handbook
    quotes my study")."""
    if FIELD_DOCUMENTS.stems.isdisjoint(sentence.stem_set):
        return ()
    words = [w.lower() for w in sentence.words]
    owners = ("my", "his", "her") if introduced else ("my",)
    for i, stem in enumerate(sentence.stems[:-1]):
        if stem not in GUIDANCE_CITES.stems or words[i + 1] not in owners:
            continue
        before = words[:i]
        if OURSELVES.isdisjoint(before) and OTHERS.stems.isdisjoint(sentence.stems[:i]):
            return (sentence.words[i], sentence.words[i + 1])
    return ()


def _why_the_field_does(sentence: matching.Sentence) -> bool:
    """Their own work as the reason for what the field now does: "My work is the reason every
    forecast centre now issues two bulletins a day", "... is why most labs now ...": a form of
    be, "the reason" or "why", then the many a few words on (not their own side: "is the
    reason our team now ...", "is why I now ...")."""
    words = [w.lower() for w in sentence.words]
    for i, word in enumerate(words):
        reason = word == "why" or (word == "reason" and words[i - 1 : i] == ["the"])
        be = words[i - 2 if word == "reason" else i - 1] if i >= 2 else ""
        if not (reason and be in BE_FORMS):
            continue
        after = range(i + 1, min(i + 4, len(words)))
        if not OURSELVES.isdisjoint(words[i + 1 : i + 4]):
            continue
        if any(
            (sentence.stems[j] in MANY_IN_THE_FIELD.stems or words[j][0].isdigit())
            and NOT_THE_FIELD.stems.isdisjoint(sentence.stems[j + 1 : j + 3])
            for j in after
        ):
            return True
    return False


def _own_work_in_use(sentence: matching.Sentence) -> bool:
    """Their own work ("My algorithm ...") in the passive of the field's use, then its many:
    "is licensed to four of the big six manufacturers", "was adopted by most operators";
    not their own act ("My study compares six publishers"), nor a use by their own side or
    people at large ("were used by twelve of my colleagues")."""
    words = [w.lower() for w in sentence.words]
    used = ADOPTED_ACTS.stems | USED.stems | IN_USE.stems
    return (
        any(
            words[i - 1] in BE_FORMS
            and stem in used
            and words[i].endswith("ed")
            and OURSELVES.isdisjoint(words[i + 1 : i + 7])  # "used by twelve of my colleagues"
            and NOT_THE_FIELD.stems.isdisjoint(sentence.stems[i + 1 : i + 7])
            for i, stem in enumerate(sentence.stems[1:], 1)
        )
        and _many_in_the_field(sentence)
    )


YEAR = re.compile(r"(?:19|20)\d\d")


def _a_number_of_things(s: matching.Sentence, i: int) -> bool:
    """A number at word `i` that may count ("in 60 banks", "on 2000 bridges"); not a year
    ("until the contract ends in 2027", "my paper of 2017"): a number the shape of a year counts
    only with things in the plural right after it."""
    word = s.words[i]
    if not word[0].isdigit():
        return False
    if not YEAR.fullmatch(word):
        return True
    after = s.words[i + 1 : i + 2]
    return bool(after) and after[0].islower() and after[0].endswith("s") and len(after[0]) > 3


@matching.per_sentence
def _claimed_as_theirs(sentence: matching.Sentence, introduced: bool) -> tuple[str, ...]:
    """The thing claimed as theirs after it is told: "the routine every team uses was
    mine", "... is my design", "was my idea", "is named after me", in an introduction "...
    is hers", "was his idea", "is named after her". What the sentence says of the thing
    before the claim is then of their work."""
    words = [w.lower() for w in sentence.words]
    owners = OWN_CLAIMS | THEIR_CLAIMS if introduced else OWN_CLAIMS
    makers = ("my", "his", "her", "their") if introduced else ("my",)
    named = ("me", "him", "her", "them") if introduced else ("me",)
    for i, word in enumerate(words[1:], 1):
        after = words[i + 1 : i + 3]
        if word in NAMED_AFTER and after[:1] == ["after"] and after[1:] and after[1] in named:
            return tuple(sentence.words[i : i + 3])  # "named after me"
        if word in makers and after[:1] == ["name"] and _known_by_name(sentence, i):
            return tuple(sentence.words[i : i + 2])  # "bears my name"
        if words[i - 1] not in CLAIMED:
            continue
        if word in owners:  # "is mine"
            return (sentence.words[i],)
        work = sentence.stems[i + 1 : i + 2]
        if word in makers and work and work[0] in CLAIMED_WORK.stems:  # "was my idea"
            return tuple(sentence.words[i : i + 2])
    return ()


def _known_by_name(sentence: matching.Sentence, i: int) -> bool:
    """ "bears my name", "carries her name", "you may know my name from the X criteria":
    the name at word `i` ("my", "her") is a thing's (not "my name is Giulia")."""
    words = [w.lower() for w in sentence.words]
    if i and words[i - 1] in BEARS:
        return True
    known = not KNOW.stems.isdisjoint(sentence.stems[max(0, i - 3) : i])
    return known and words[i + 2 : i + 3] == ["from"]


@matching.per_sentence
def _own_work(sentence: matching.Sentence, introduced: bool) -> tuple[str, ...]:
    """The owner a sentence begins with: "My library ...", or in an introduction "Her
    model ...", "His proofs ...", "Marta's checker ...", or ends with: "... is hers"."""
    first = sentence.words[0]
    if sentence.stems[0] in MINE.stems:  # not "My supervisor ...": someone else's
        return (first,) if sentence.stems[1:2] and sentence.stems[1] not in OTHERS.stems else ()
    if not introduced:
        return ()
    if sentence.stems[0] in THEIRS.stems:
        return (first,)
    last = [w.lower() for w in sentence.words[-2:]]
    if last[:1] in (["is"], ["was"]) and last[1:] in (["hers"], ["his"], ["theirs"]):
        return (sentence.words[-1],)
    name = first[0].isupper() and first.endswith(("'s", "\u2019s"))
    return (first,) if name and first.lower()[:-2] not in NOT_NAMES else ()


def _introduced(facts: RequestFacts) -> bool:
    """Whether the message introduces or forwards someone (INTRODUCING, not "a reference"):
    the third person in it is then the person the request is about."""
    if INTRODUCING_SUBJECT.match(facts.subject):
        return True
    if not (found := INTRODUCING.stems.intersection(facts.vocabulary.stems)):
        return False
    if found != {"refer"}:
        return True
    return any(map(_referring, facts.vocabulary.words))


@matching.per_sentence
def _acts_of_making(sentence: matching.Sentence, introduced: bool = False) -> tuple[str, ...]:
    """MAKING's words as acts: not an agent noun ("publishers", "designer"), nor a noun of
    making that names a field or a firm ("in development", "a start-up"), nor an authority
    (the stem of "authored"), nor a start from something (a starting point, not a founding),
    nor paper itself ("used paper logs"), nor a capitalised word inside the sentence
    (a title's or a name's: "Design Engineer"). Being the one behind it is making it ("the
    person behind the library"). In a message that introduces nobody, not what someone else
    made ("my supervisor wrote")."""
    words = sentence.words
    return tuple(
        word
        for i, (word, stem) in enumerate(zip(words, sentence.stems, strict=True))
        if (
            (
                stem in MAKING.stems
                and word.lower() not in (stem + "er", stem + "ers")
                and not word.lower().endswith(("ment", "ments"))
                and not word.lower().startswith("authorit")  # a body, not "authored"
                and not _a_start_up_or_from(sentence, i)
                and not _starting_to_do(sentence, i)
                and not _paper_as_material(sentence, i)
                and not _someone_elses_paper(sentence, i)
                and not _a_firms_trade(sentence, i)
                and not _writing_to_someone(sentence, i)
                and not (i and word[0].isupper())
            )
            or (stem in OTHER_MAKING.stems and _made_in_other_words(sentence, i))
            or (stem in MADE.stems and _made_told_before(sentence, i))
            or (stem in ASSEMBLED.stems and _put_together(sentence, i))
        )
        and (introduced or not _made_by_someone_else(sentence, i))
        and not _made_by_whose(sentence, i)
    )


def _made_by_whose(sentence: matching.Sentence, i: int) -> bool:
    """ "a famous clinic whose researchers developed the formula", "the firm whose lab built
    it": the maker of word `i` belongs to someone named before them, in an introduction too.
    Not when the writer is named between ("the firm whose tool I built")."""
    words = [w.lower() for w in sentence.words[max(0, i - 4) : i]]
    if "whose" not in words:
        return False
    return SUBJECTS.isdisjoint(words[len(words) - words[::-1].index("whose") :])


def _put_together(sentence: matching.Sentence, i: int) -> bool:
    """ "Assembled the panel", "compiles the tables", "curating the records": word `i` as a
    verb, not a noun that shares its stem ("the assembly line", "a compiler", "the
    curator"), nor a capitalised word inside the sentence (a title's or a name's)."""
    word = sentence.words[i]
    return word.lower().endswith(VERB_ENDINGS) and not (i and word[0].isupper())


def _made_told_before(sentence: matching.Sentence, i: int) -> bool:
    """ "The wave set I made from buoy records", "the model we made for the lines": "made"
    (word `i`) right after its maker, what was made told before them, and where or how after
    it (AFTER_MADE); not "I made the move", "made a mistake", nor "made by my supervisor"."""
    words = [w.lower() for w in sentence.words[max(0, i - 1) : i + 2]]
    maker = i > 1 and words[0] in SUBJECTS | {"he", "she", "they"}
    return maker and (len(words) < 3 or words[2] in AFTER_MADE)


def _a_start_up_or_from(sentence: matching.Sentence, i: int) -> bool:
    """ "a start-up" (a firm), "started from it" (the field's use of a thing: see
    _built_on_by_others): not acts of making."""
    if _a_start_up(sentence, i):
        return True
    return sentence.stems[i] in STARTED.stems and sentence.words[i + 1 : i + 2] == ("from",)


def _starting_to_do(sentence: matching.Sentence, i: int) -> bool:
    """ "has started taking calls", "started to sign its photos": beginning to do a
    thing (a verb in "-ing", or "to" and a verb, after START at word `i`), not a thing begun
    ("I started the library"); unless what they began was making ("started writing it")."""
    if sentence.stems[i] not in STARTED.stems:
        return False
    after = [w.lower() for w in sentence.words[i + 1 : i + 3]]
    # "started to sign": the verb after "to"; "started signing", not "started rankwise".
    to_do = after[:1] == ["to"]
    doing = after[1:] if to_do else [w for w in after[:1] if w.endswith("ing")]
    return bool(doing) and matching.stem(doing[0]) not in MAKING_VERBS.stems


def _a_start_up(sentence: matching.Sentence, i: int) -> bool:
    """ "a start-up", "start-ups": a firm, not starting anything."""
    after = [w.lower() for w in sentence.words[i + 1 : i + 2]]
    return sentence.words[i].lower() == "start" and after in (["up"], ["ups"])


def _paper_as_material(sentence: matching.Sentence, i: int) -> bool:
    """ "everybody used paper logs", "on paper", "a sheet of paper": paper itself, not a paper
    they wrote."""
    if sentence.stems[i] != "paper" or not i:
        return False
    return sentence.stems[i - 1] in USED.stems or sentence.words[i - 1].lower() in ("on", "of")


def _someone_elses_paper(sentence: matching.Sentence, i: int) -> bool:
    """ "the Hansen paper", "Mack's paper": a paper known by someone's name, not theirs ("my
    ASTIN paper" is). One paper: "DSP papers" are the field's, not a paper with a name."""
    if sentence.words[i].lower() != "paper" or i < 2:
        return False
    before = sentence.words[i - 1]
    named = (before[0].isupper() and before != "I") or before.endswith(("'s", "\u2019s"))
    return named and sentence.words[i - 2].lower() not in OURSELVES


def _a_firms_trade(sentence: matching.Sentence, i: int) -> bool:
    """ "a 12-person design services company": the trade of a firm, a noun, not an act of
    making (which names its thing first: "built the company's engine")."""
    after = sentence.words[i + 1 : i + 2]
    if not after or after[0].lower() in DETERMINERS or after[0].lower().endswith(("'s", "\u2019s")):
        return False
    return not FIRMS.stems.isdisjoint(sentence.stems[i + 1 : i + 3])


def _writing_to_someone(sentence: matching.Sentence, i: int) -> bool:
    """ "Oskar wrote to me", "I wrote to the association": a letter, not a creation."""
    return sentence.stems[i] in WRITING.stems and sentence.words[i + 1 : i + 2] == ("to",)


def _made_in_other_words(sentence: matching.Sentence, i: int) -> bool:
    """Word `i` says they made, lead or keep a thing: "the person behind the library", "she
    is behind the toolkit", "responsible for the code", "came up with the method", "leads the
    project", "the author of the textbook", "merges every change", "still looks after it",
    "keeps it going", "the rules we worked out", "put it together", "the project lead for
    the handbook". Not "behind on the work", "behind schedule", "lead developer" (see
    _role), nor leading people ("leads the team")."""
    words = [w.lower() for w in sentence.words]
    word, before, after = words[i], words[i - 1] if i else "", words[i + 1 : i + 3]
    if word in ("came", "come"):
        return after == ["up", "with"]
    if word in ("merges", "merged"):  # a maintainer's act: "reviews and merges every change"
        return True
    if word == "author":  # "the author of the textbook", "of Cosmetic Emulsions"
        return after[:1] == ["of"] and _a_thing(sentence, i + 2)
    if sentence.stems[i] == "work":  # "the rules we worked out", "worked out the method";
        # not "worked out of the office", "I worked out there", "working on it"
        relative = i >= 2 and before in SUBJECTS
        out = word == "worked" and after[:1] == ["out"]
        return out and (relative or _a_thing(sentence, i + 2))
    if word == "looks":  # "looks after the code", not "looks after the team"
        people = not PEOPLE_LED.stems.isdisjoint(sentence.stems[i + 3 : i + 5])
        thing = after[:1] == ["after"] and _a_thing(sentence, i + 2) and not people
        return after == ["after", "it"] or thing
    if word == "keeps":
        return after == ["it", "going"] or _kept_running(sentence, i)
    if word == "put":  # "put it together", "put together the kit", "put the kit together"
        if after[:1] == ["together"]:
            return _a_thing(sentence, i + 2)
        thing = after[:1] in (["it"], ["them"]) or _a_thing(sentence, i + 1)
        return thing and "together" in words[i + 2 : i + 6]
    if word == "lead" and after[:1] in (["for"], ["of"], ["on"]):
        # "the project lead for the national handbook": the one leading a thing, not a
        # team ("the lead of a team of five"), nor no thing at all ("lead for many years").
        people = not PEOPLE_LED.stems.isdisjoint(sentence.stems[i + 2 : i + 5])
        return _a_thing(sentence, i + 2) and not people
    if word == "responsible":
        return after[:1] == ["for"] and _a_thing(sentence, i + 2)
    if word == "behind":
        return (before in BEHIND_IT or before.endswith(("'s", "\u2019s"))) and _a_thing(
            sentence, i + 1
        )
    # "the lead for the dyeing chapter of the method", "lead on the module": the noun, of a
    # thing, whatever comes before it; not of people ("the lead for the team").
    if word == "lead" and after[:1] in (["for"], ["of"], ["on"]) and _a_thing(sentence, i + 2):
        return not sentence.words[i][0].isupper() and PEOPLE_LED.stems.isdisjoint(
            sentence.stems[i + 3 : i + 5]
        )
    # "leads the project", not a capitalised "Lead" (a title's) nor "leads the team", nor
    # "lead" as a rank ("I'm lead DFT engineer", "as lead engineer": a job title).
    if word == "lead" and before in RANK_BEFORE:
        return False
    led = not (i and sentence.words[i][0].isupper()) and _a_thing(sentence, i + 1)
    return led and not PEOPLE_LED.stems.intersection(sentence.stems[i + 2 : i + 4])


def _kept_running(sentence: matching.Sentence, i: int) -> bool:
    """ "He keeps the stack running that half the libraries deliver through", "keeps the
    registry alive": keeping a thing (word `i` on) going is maintaining it; not keeping
    people going ("keeps the team running")."""
    words = [w.lower() for w in sentence.words[i + 2 : i + 7]]
    going = next((k for k, w in enumerate(words) if w in KEPT_GOING), None)
    people = not PEOPLE_LED.stems.isdisjoint(sentence.stems[i + 1 : i + 2 + (going or 0)])
    return going is not None and _a_thing(sentence, i + 1) and not people


def _a_thing(sentence: matching.Sentence, j: int) -> bool:
    """Whether word `j` starts a thing: a determiner ("the", "a") or a name."""
    if j >= len(sentence.words):
        return False
    word = sentence.words[j]
    return word.lower() in DETERMINERS or word[0].isupper()


def _made_by_someone_else(sentence: matching.Sentence, i: int) -> bool:
    """Whether the nearest maker named before word `i` (up to four words back) is someone
    else (OTHERS: "my supervisor wrote", "she built"), not the writer ("I", "we"); or a team
    or a firm they are in (TEAMS: "a year in the team that built", "a big group, the one
    that developed"), not their own ("my team") nor one they led ("I led the team that")."""
    words = [w.lower() for w in sentence.words]
    for j in range(i - 1, max(-1, i - 5), -1):
        if words[j] in SUBJECTS:
            return False
        if sentence.stems[j] in OTHERS.stems:
            return True
        if sentence.stems[j] in TEAMS.stems:
            before = sentence.stems[max(0, j - 4) : j]
            return OURSELVES.isdisjoint(words[max(0, j - 2) : j]) and HEADED.stems.isdisjoint(
                before
            )
    return False


@matching.per_sentence
def _used_by_the_field(s: matching.Sentence) -> bool:
    if _self_described(s):  # "used by most of my classmates" is not the field
        return False
    return bool(
        _adopted(s)
        or _became_a_standard(s)
        or _used_by_many(s)
        or _given_out_by_a_body(s)
        or _the_default(s)
        or _in_the_standard_distribution(s)
        or _inside_commercial_products(s)
    )


def _the_fields_standard(found: tuple[matching.Sentence, ...], i: int) -> bool:
    """Whether the role or creation in sentence `i` is what the whole field works to, the
    bar for an opening's own skill (a hard-to-fill one needs less): a standards role (a
    title with a body or a standard, one who edits one, a rapporteur); or, in the sentence or
    the two after it, most or all of the field using it ("most contractors run it", "all
    the big mills design to it"), its default ("is the default in most packages"), part of
    the standard distribution of the field's tool, the industry standard, or a body giving it
    out. Not many or several of the field ("several firms use it", "fairly widely used"),
    nor a prize. A new way to tell it needs its words in FIELDS_STANDARD_WORDS too: a
    message without any is not read for it (see _distinction_near_skill)."""
    sentence = found[i]
    titles = _role_titles(sentence) or _holding_the_pen(sentence)
    if titles and (
        BODIES.in_(sentence)
        or sentence.has_sequence(CODE_OF_PRACTICE)
        or sentence.has_sequence(RECOMMENDED_PRACTICE)
        or STANDARD_DESIGNATION.search(sentence.said)
    ):
        return True
    if _editing_a_standard(sentence) or STANDING_ROLES.in_(sentence):
        return True
    return any(
        (_most_of_the_field(s) and _used_by_the_field(s))
        or _the_default(s)
        or _in_the_standard_distribution(s)
        or _became_a_standard(s)
        or _given_out_by_a_body(s)
        for s in matching.window(found, i, 0, 2)
    )


def _most_of_the_field(s: matching.Sentence) -> bool:
    """MOST_OF_THE_FIELD words, not of time or people at large ("every day", "most people")
    nor the whole of one side ("the whole team")."""
    words = [w.lower() for w in s.words]
    if MOST_OF_THE_FIELD.isdisjoint(words):
        return False
    stems = s.stems
    return any(
        word in MOST_OF_THE_FIELD
        and NOT_THE_FIELD.stems.isdisjoint(stems[i + 1 : i + 3])
        and ONE_SIDE.stems.isdisjoint(stems[i + 1 : i + 3])
        and OURSELVES.isdisjoint(words[i + 1 : i + 3])
        for i, word in enumerate(words)
    )


@matching.per_sentence
def _the_default(s: matching.Sentence) -> tuple[str, ...]:
    """ "is the default in most packages", "became the benchmark": THE_DEFAULT right after
    "the" and a word of becoming (BECAME); not "a default setting", "the default landing
    page of my tool"."""
    return tuple(
        " ".join(s.words[i - 2 : i + 1])
        for i, stem in enumerate(s.stems)
        if stem in THE_DEFAULT.stems
        and i >= 2
        and s.words[i - 1].lower() == "the"
        and s.words[i - 2].lower() in BECAME
        and not _referring(s.words[i])
    )


@matching.per_sentence
def _in_the_standard_distribution(s: matching.Sentence) -> tuple[str, ...]:
    """Part of the standard distribution of the field's tool: "ships with the standard
    distribution", "is included in the official releases", "part of the standard library",
    "comes bundled with the stock install": RELEASED_WITH, then OFFICIAL and RELEASES a few
    words on. Not their own side's ("ships with our coater's standard distribution")."""
    if RELEASED_WITH.stems.isdisjoint(s.stem_set) or OFFICIAL.stems.isdisjoint(s.stem_set):
        return ()
    words, stems = s.words, s.stems
    for i, stem in enumerate(stems):
        if stem not in RELEASED_WITH.stems:
            continue
        for j in range(i + 1, min(i + 6, len(stems))):
            if stems[j] not in OFFICIAL.stems:
                continue
            if RELEASES.stems.isdisjoint(stems[j + 1 : j + 4]):
                continue
            if OURSELVES.isdisjoint(w.lower() for w in words[i : j + 4]):
                return (words[i], words[j])
    return ()


def _inside_commercial_products(s: matching.Sentence) -> bool:
    """Inside the field's vendors' products: "it is now implemented in two commercial
    packages", "built into a commercial design suite", "the method is now inside two
    commercial programs". Not a trade ("I built commercial software"), a tool they worked in
    ("designed it in a commercial tool"), nor their own side's ("built it into our
    commercial products")."""
    words = [w.lower() for w in s.words]
    for k, stem in enumerate(s.stems[:-1]):
        # "two commercial design suites": what is sold a word or two on
        if stem not in COMMERCIAL.stems or PRODUCTS.stems.isdisjoint(s.stems[k + 1 : k + 4]):
            continue
        for j in range(max(1, k - 4), k):
            between = words[j + 1 : k]
            if words[j] in INSIDE and words[j - 1] in HOLDS_IT and OURSELVES.isdisjoint(between):
                return True
    return False


def _given_out_by_a_body(s: matching.Sentence) -> bool:
    """A body of the field gives it out or makes it its own, a few words after its name:
    "the trade association gives to its members", "the manufacturer later put into its
    handbook", "the regulator mandates"; or by it, a few words on: "recommended by the
    Personal Care Products Council"."""
    stems = s.stems
    for i, stem in enumerate(stems):
        by = stem in GIVES_OUT.stems and s.words[i + 1 : i + 2] == ("by",)
        if by and not AUTHORITIES.stems.isdisjoint(stems[i + 2 : i + 8]):
            return True
        if stem not in AUTHORITIES.stems:
            continue
        after = stems[i + 1 : i + 4]
        if not GIVES_OUT.stems.isdisjoint(after) or any(
            a in PUT.stems and b in INTO.stems for a, b in itertools.pairwise(stems[i + 1 : i + 5])
        ):
            return True
    return False


def _adopted(s: matching.Sentence) -> tuple[str, ...]:
    """ "widely", "the baseline", a reference (not the verb: "could you refer me"), or a
    participle of adoption ("bundled", not "a bundle"). Not "widely" right after an act of
    making ("I have published widely"): how much they made, not the field's use."""
    acts = (w for w in ADOPTED_ACTS.in_(s) if w.lower().endswith("ed"))
    adopted = (w for w in ADOPTED.in_(s) if not _referring(w))
    if adopted := tuple(adopted):
        made = {s.words[i] for i in range(1, len(s.stems)) if s.stems[i - 1] in MAKING.stems}
        adopted = tuple(w for w in adopted if w not in made)
    return (*adopted, *acts)


def _referring(word: str) -> bool:
    """ "refer", "referred", "referring" share "reference"'s stem but ask or point, they do
    not say a thing is the reference."""
    word = word.lower()
    return word.startswith("refer") and not word.startswith("referen")


def _became_a_standard(s: matching.Sentence) -> tuple[str, ...]:
    """ "industry standard", "de facto standard", "standard practice", "the reference method",
    "has been the standard in national inventories", "became the norm", "took it over as
    their standard syllabus" (not "I follow the standard"); or the usual practice it became:
    "became the normal practice", "is now the accepted method" (not "weekly checks are the
    normal practice", "my usual method")."""
    return (
        matching.pairs(STANDARD_MAKERS, STANDARD, s)
        or matching.pairs(STANDARD, STANDARD_THINGS, s)
        or matching.pairs(REFERENCE, STANDARD_THINGS, s)
        or tuple(
            " ".join(s.words[i - 2 : i + 1 + (stem in USUAL.stems)])
            for i, stem in enumerate(s.stems)
            if (
                stem in STANDARD.stems
                or (stem in USUAL.stems and s.stems[i + 1 : i + 2] in _ONE_STANDARD_THING)
            )
            and i >= 2
            and (
                (s.words[i - 1].lower() == "the" and s.words[i - 2].lower() in BECAME)
                # "took it over as their standard syllabus"
                or (s.words[i - 1].lower() in ("its", "their") and s.words[i - 2].lower() == "as")
            )
        )
    )


_ONE_STANDARD_THING = frozenset((thing,) for thing in STANDARD_THINGS.stems)  # as a slice of stems


def _used_by_many(s: matching.Sentence) -> bool:
    return bool(_the_many(s) and (_used_by_others(s) or _adopted(s))) or (_relied_on_by_many(s))


def _relied_on_by_many(s: matching.Sentence) -> bool:
    """What many in the field measure against, source from, include, start from or go on
    building on (not a plain USED word: "my study compares six publishers" is their own act)."""
    return bool(
        _the_many(s)
        and (
            matching.pairs(INCLUDE, IT, s)
            or _part_of(s)
            or matching.pairs(MEASURED, AGAINST, s)
            or matching.pairs(SOURCING, FROM, s)
            or (matching.pairs(STARTED, FROM, s) and "scratch" not in s.stems)  # not anew
            or _built_on_by_others(s)
            or _checked_against_by_many(s)
        )
    ) or bool(_used_with_by_many(s) or _specified_by_many(s))


def _the_many(s: matching.Sentence) -> bool:
    """Many in the field (_many_in_the_field), the field itself ("the field has
    built on it"), or the many told by where they are ("bridge owners across Scandinavia")."""
    return _many_in_the_field(s) or _the_field_itself(s) or _across_a_region(s)


def _the_field_itself(s: matching.Sentence) -> bool:
    """FIELD_ITSELF as the subject of a use: "the whole field has built on it
    since", "the profession adopted it"; "the" a few words before it, a verb right after it.
    Not the field as a place ("leaders in the field use it", "I work in the field")."""
    words = [w.lower() for w in s.words]
    for i, stem in enumerate(s.stems):
        if stem not in FIELD_ITSELF.stems or i + 1 >= len(words) or "the" not in words[i - 6 : i]:
            continue
        the = max(j for j in range(max(0, i - 6), i) if words[j] == "the")
        if the and words[the - 1] in ("in", "into", "of", "across", "outside"):
            continue
        after = s.stems[i + 1]
        verb = words[i + 1] in BE_FORMS | {"has", "have", "had", "now", "still"}
        if verb or after in USED.stems or after in BUILT.stems or after in ADOPTED_ACTS.stems:
            return True
    return False


def _across_a_region(s: matching.Sentence) -> bool:
    return _across_a_region_at(s) is not None


def _across_a_region_at(s: matching.Sentence) -> int | None:
    """ "bridge owners across Scandinavia", "operators throughout the Nordics", "archives
    around the world": people or firms in the plural, then ACROSS and a place's name (or
    THE_WORLD); where the plural is. Not the writer's own side ("we worked across Europe"),
    nor people at large ("people across Europe")."""
    words = s.words
    for i in range(1, len(words) - 1):
        if words[i].lower() not in ACROSS:
            continue
        place = words[i + 1] if words[i + 1].lower() != "the" else words[i + 2 : i + 3] or ("",)
        place = place if isinstance(place, str) else place[0]
        plural = words[i - 1].lower()
        named = place[:1].isupper() or place.lower() in THE_WORLD
        if not (named and plural.endswith("s") and not plural.endswith("ss")):
            continue
        before = [w.lower() for w in words[max(0, i - 4) : i]]
        if OURSELVES.isdisjoint(before) and s.stems[i - 1] not in NOT_THE_FIELD.stems:
            return i - 1
    return None


def _used_with_by_many(s: matching.Sentence) -> bool:
    """ "the tool most tunnel designers check their rings with", "the test box every lab
    calibrates against was my design", "nearly every metro project has been designed with
    since 2005": a preposition left at the end of its clause (STRANDED, then the sentence's
    end or AFTER_STRANDED), the many a few words before it, and between them neither the
    writer's own side ("everyone in my team works with") nor people at large ("millions of
    people sign in with")."""
    words, stems = [w.lower() for w in s.words], s.stems
    for i, stem in enumerate(stems):
        if stem not in STRANDED.stems or i < 3:
            continue
        rest = words[i + 1 : i + 3]
        if rest[:1] in (["it"], ["them"]):  # "... now identify files with them"
            rest = rest[1:]
        if rest and rest[0] not in AFTER_STRANDED:
            continue
        many = [
            j
            for j in range(max(0, i - 12), i - 1)
            if stems[j] in MANY_IN_THE_FIELD.stems or words[j][0].isdigit()
        ]
        if not many and (where := _across_a_region_at(s)) is not None and where < i:
            many = [where]
        if not many:
            continue
        between = range(many[0], i)
        subject = words[max(0, many[0] - 3) : i]  # "we now run 40 tests on it"
        if OURSELVES.isdisjoint(subject) and NOT_THE_FIELD.stems.isdisjoint(
            stems[j] for j in between
        ):
            return True
    return False


def _specified_by_many(s: matching.Sentence) -> bool:
    """ "what bridge owners across Scandinavia now specify in their contracts", "the limits
    most operators prescribe": SPECIFIED by the many (see _the_many), not by the writer's own
    side ("we specified it for our client")."""
    return any(
        stem in SPECIFIED.stems
        and OURSELVES.isdisjoint(w.lower() for w in s.words[max(0, i - 3) : i])
        for i, stem in enumerate(s.stems)
    ) and _the_many(s)


def _checked_against_by_many(s: matching.Sentence) -> bool:
    """ "Most labs calibrate their gauges against it", "dozens of labs validate new assays
    against it", "every certified site is audited against": a word of measuring (MEASURED,
    CALIBRATED), AGAINST a few words after it, and the many who do it a few words before it,
    with nobody of the writer's own side in between ("I calibrated every gauge in our lab
    against it", "we check every bell against it" are their own use)."""
    stems, words = s.stems, [w.lower() for w in s.words]
    measuring = MEASURED.stems | CALIBRATED.stems
    for i, stem in enumerate(stems):
        if stem not in measuring or AGAINST.stems.isdisjoint(stems[i + 1 : i + 6]):
            continue
        for j in range(i - 1, max(-1, i - 7), -1):
            if words[j] in OURSELVES:
                break
            if stems[j] in MANY_IN_THE_FIELD.stems or words[j][0].isdigit():
                return True
    return False


def _part_of(s: matching.Sentence) -> bool:
    """ "It is part of most test plans": PART OF, its subject not the writer ("I was
    part of many projects")."""
    return any(
        stem in PART.stems
        and s.words[i + 1 : i + 2] == ("of",)
        and OURSELVES.isdisjoint(w.lower() for w in s.words[max(0, i - 2) : i])
        for i, stem in enumerate(s.stems)
    )


def _many_in_the_field(s: matching.Sentence) -> bool:
    """MANY_IN_THE_FIELD words or a number, not of people at large ("hundreds of people have
    downloaded it", "many users"; but see _people_at_work) nor of time ("ten years"), nor the
    whole of one side ("the whole team"): the field is its firms and practitioners ("the
    whole community")."""
    stems = s.stems
    if (
        MANY_IN_THE_FIELD.stems.isdisjoint(s.stem_set)
        and THE_BIG.stems.isdisjoint(s.stem_set)
        and not any(w[0].isdigit() for w in s.words)
    ):
        return False  # most sentences: no count at all
    return any(
        (
            (stem in MANY_IN_THE_FIELD.stems and not _leading_an_act(s, i))
            or _a_number_of_things(s, i)
            or (stem in THE_BIG.stems and _the_big_names(s, i))
        )
        and (NOT_THE_FIELD.stems.isdisjoint(stems[i + 1 : i + 3]) or _people_at_work(s, i))
        and not (stem in WHOLE.stems and not ONE_SIDE.stems.isdisjoint(stems[i + 1 : i + 3]))
        and not _a_share_of_it(s, i)
        for i, stem in enumerate(stems)
    )


def _a_share_of_it(s: matching.Sentence, i: int) -> bool:
    """ "I wrote most of it", "we built half of them": the writer's share of the thing (word
    `i`, then OF IT, the writer a few words before), not the field's many ("Utah borrowed
    most of it")."""
    after = [w.lower() for w in s.words[i + 1 : i + 3]]
    if after[:1] != ["of"] or after[1:] not in (["it"], ["them"], ["this"], ["that"]):
        return False
    return not SUBJECTS.isdisjoint(w.lower() for w in s.words[max(0, i - 3) : i])


def _leading_an_act(s: matching.Sentence, i: int) -> bool:
    """ "leading the survey work" (word `i`, then a determiner): an act, not the leading firms."""
    after = [w.lower() for w in s.words[i + 1 : i + 2]]
    return s.stems[i] in LEADING_FIRMS.stems and bool(after) and after[0] in DETERMINERS


def _the_big_names(s: matching.Sentence, i: int) -> bool:
    """ "two of the big vendors", "the top lenders": THE_BIG (word `i`) after "the", and
    firms in the plural right after it; not "a big model" nor "the big offshore leak"."""
    after = [w.lower() for w in s.words[i + 1 : i + 3]]
    plural = any(w.endswith("s") and not w.endswith("ss") and len(w) > 3 for w in after)
    return s.words[i - 1 : i] == ("the",) and plural


def _people_at_work(s: matching.Sentence, i: int) -> bool:
    """People counted at word `i` who use it for a piece of work ("a lot of people use to set
    up X runs", "most folks run it to plan missions"): the field's practitioners, not people
    at large ("many people use it"), nor what people once did ("used to plan")."""
    words = [w.lower() for w in s.words[i + 1 : i + 8]]
    stems = s.stems[i + 1 : i + 8]
    if PEOPLE.stems.isdisjoint(stems[:2]):
        return False
    if not CITE.stems.isdisjoint(stems[1:5]):  # "many people cite it": only the field cites
        return True
    return any(
        stem in USED_FOR_WORK.stems and word != "used" and "to" in words[j + 1 : j + 3]
        for j, (word, stem) in enumerate(zip(words, stems, strict=True))
    )


def _built_on_by_others(s: matching.Sentence) -> bool:
    """ "What most later work builds on", "each vendor builds its kits on it", "built into
    most toolkits", "vendors bundle it", "most start-ups I know started from it": BUILT ON
    or INTO, or a use of it (USED_IT), or STARTED FROM IT, its subject not the writer's own
    side ("we built on most of the papers" is their own use; "the start-ups I know" are
    not the writer)."""
    stems = s.stems
    return any(
        (
            (stem in BUILT.stems and (stems[i + 1] in ON_OR_INTO or _on_it(s, i)))
            or (stem in USED_IT.stems and stems[i + 1] in IT.stems)
            or (
                stem in STARTED.stems
                and stems[i + 1] in FROM.stems
                and not IT.stems.isdisjoint(stems[i + 2 : i + 3])
            )
        )
        and not _their_own_side_before(s, i)
        for i, stem in enumerate(stems[:-1])
    )


def _their_own_side_before(s: matching.Sentence, i: int) -> bool:
    """The writer's own side (OURSELVES) in the two words before word `i`, its subject ("we
    built on"), not in an aside about whom they know ("the firms I know started from it")."""
    before = [w.lower() for w in s.words[max(0, i - 2) : i]]
    return not OURSELVES.isdisjoint(before) and before[-1:] != ["know"]


ON_OR_INTO = ON.stems | INTO.stems


def _on_it(s: matching.Sentence, i: int) -> bool:
    """ "builds their projects on it": ON IT a few words after word `i`."""
    after = s.stems[i + 2 : i + 6]
    return any(a in ON.stems and b in IT.stems for a, b in itertools.pairwise(after))


def _used_by_others(s: matching.Sentence) -> bool:
    """A USED word whose subject is not the writer's own side ("we now run 30 tests") nor
    its object ("the rules behind our pricing"); or FEED ... INTO; or many WORK WITH it, or
    must pass or meet it. Not "useful", which says what it could do, not that anyone uses
    it, nor the noun "a copy", nor a basis that is not the basis of or for something ("I
    set the pricing basis on 20bn of deals")."""
    words, stems = s.words, s.stems
    return any(
        (
            (
                stem in USED.stems
                and not words[i].lower().startswith(("useful", *NOT_A_USE))
                and not (stem in COPY.stems and words[i - 1].lower() in DETERMINERS)
                and not (stem in BASIS.stems and words[i + 1 : i + 2] not in (("of",), ("for",)))
                and not _for_one_exercise(s, i)
            )
            or (stem in FEED.stems and not INTO.stems.isdisjoint(stems[i + 1 : i + 6]))
            or (stem in WORK.stems and _worked_with_by_many(s, i))
            or (stem in BOUND_TO.stems and _bound_to_it(s, i))
        )
        and OURSELVES.isdisjoint(w.lower() for w in words[max(0, i - 2) : i + 2] if w != words[i])
        for i, stem in enumerate(stems)
    )


def _worked_with_by_many(s: matching.Sentence, i: int) -> bool:
    """ "the calculator most consultants in Europe work with": WORK WITH, the many who do a
    few words before it (not "the work with", a noun, nor "and now work with many
    retailers", where the writer does)."""
    if s.stems[i] not in WORK.stems or not WITH.stems.issuperset(s.stems[i + 1 : i + 2] or ("",)):
        return False
    if i and s.words[i - 1].lower() in DETERMINERS:
        return False
    return not MANY_IN_THE_FIELD.stems.isdisjoint(s.stems[max(0, i - 7) : i])


def _bound_to_it(s: matching.Sentence, i: int) -> bool:
    """ "every vendor has to pass", "most labs must meet", "need to comply with": BOUND_TO
    after "must" or "has to", not the writer's own duty ("I have to pass the exam")."""
    if s.stems[i] not in BOUND_TO.stems or not i:
        return False
    words = [w.lower() for w in s.words[max(0, i - 4) : i]]
    bound = words[-1] == "must" or (words[-1] == "to" and len(words) > 1 and words[-2] in MUST)
    return bound and OURSELVES.isdisjoint(words)


def _for_one_exercise(s: matching.Sentence, i: int) -> bool:
    """ "the form 60 small sites used for their 2024 returns", "used for last year's survey":
    a use for one dated exercise, one project's, not the field going on using it."""
    words = [w.lower() for w in s.words[i : i + 5]]
    return words[:2] == ["used", "for"] and any(
        (w.isdigit() and len(w) == 4 and w[:2] in ("19", "20")) or w in ONE_EXERCISE
        for w in words[2:]
    )


def forwarded_from_notable(facts: RequestFacts, profile: Profile) -> tuple[Reason, ...] | None:
    """The message forwards a note that someone on the notable-people list wrote (an
    employee or an agency passing it on): the forwarded header names them by address, or
    by full name ("From: Jo Roe <jo@…>"). A forward says so in its subject ("Fwd:", "WG:")
    or its body ("Forwarded message", "forwarding her note"). Not a reply that quotes them
    ("On …, Jo Roe <jo@…> wrote:" under "Re:"): the writer answers them, it is not theirs."""
    if not facts.quoted_authors or not (
        FORWARDED_SUBJECT.match(facts.subject) or FORWARDED_BODY.search(facts.body)
    ):
        return None  # most messages forward nothing
    by_email, by_name = profile.notable
    for line in facts.quoted_authors:
        emails = [e for e in re.findall(r"[\w.+-]+@[\w.-]+\w", line.lower()) if e in by_email]
        found = [by_email[e] for e in emails]
        if header := FORWARDED_AUTHOR.match(line):
            names = matching.display_names(header.group(1).strip())
            found += [by_name[n] for n in names if n in by_name]
        if found:
            person = profile.notable_people[min(found)]
            note = f" ({person.note})" if person.note else ""
            text = f"Forwards a note from someone on the notable-people list: {person.name}{note}"
            return (Reason(text, tuple(emails)),)
    return None


def our_thread(facts: RequestFacts, profile: Profile) -> tuple[Reason, ...] | None:
    """It answers a message we sent, or the history it quotes names the recruiter (address,
    or full name in any order: "Lindgren, Petra") or a colleague's employee address."""
    if facts.we_wrote_before:
        return (Reason("Answers a message we sent them (an existing relationship)"),)
    if not facts.quoted_authors:  # most messages quote no history
        return None
    recruiter = {profile.recruiter_email.lower(), " ".join(profile.recruiter_name.split()).lower()}
    recruiter.discard("")
    names = frozenset(profile.recruiter_name.casefold().split())
    for line in facts.quoted_authors:
        said = " ".join(line.split()).lower()
        named = len(names) > 1 and names <= set(re.findall(r"\w+", line.casefold()))
        if named or any(who in said for who in recruiter):
            return (Reason(f"Replies in a thread the recruiter wrote in: {line}", ()),)
        # A colleague of the recruiter's (an employee address, not a shared inbox) is us too.
        for email in re.findall(r"[\w.+-]+@[\w.-]+\w", line):
            if is_employee_domain(email, profile) and not is_generic_inbox(email):
                return (Reason(f"Replies in a thread one of us wrote in: {line}", ()),)
    return None


def thanks_for_a_conversation(facts: RequestFacts) -> tuple[Reason, ...] | None:
    """Thanks for a conversation that already happened; or, from someone who asks for no job
    or meeting now, words only someone we spoke with writes ("as we discussed", "great
    meeting you at the fair"). With an ask, those are a claim that costs nothing to make."""
    # Every way but a FOLLOWING_UP phrase needs a word of thanks or of pleasure in the text
    # (every set of THANKED, PLEASED and THANKED_FOR_A_VISIT has one, and so do the looks
    # that stand for them), and a word of what it is for (_THANKED_FOR): most messages lack
    # one or the other ("good", "enjoy" are common; a call or a visit beside them is not),
    # so two looks leave only the phrase.
    stems = facts.vocabulary.stems
    if _THANKS_OR_PLEASURE.isdisjoint(stems) or _THANKED_FOR.isdisjoint(stems):
        if not facts.scan.may_match(FOLLOWING_UP) or job_asks(facts) or meeting_asks(facts):
            return None
        return _following_up(facts)
    thanked = _conversation_sentence(
        facts, THANKED, (_may_thank_for_the_conversation, _thanks_for_the_conversation)
    )
    # Thanks for a visit or a tour (a group shown round, an open day) is a weaker sign: like
    # pleasure at a fair, it counts from someone who asks for nothing now.
    if thanked and not _at_a_visit(thanked):
        return (
            Reason(f'Thanks us for a conversation that already happened: "{thanked}"', (thanked,)),
        )
    if job_asks(facts) or meeting_asks(facts):
        return None
    if thanked:
        return (
            Reason(f'Thanks us for a conversation that already happened: "{thanked}"', (thanked,)),
        )
    if said := _conversation_sentence(facts, THANKED_FOR_A_VISIT):
        return (Reason(f'Thanks us for a visit that already happened: "{said}"', (said,)),)
    if said := _conversation_sentence(
        facts, PLEASED, (_may_be_pleased_to_have_talked, _pleased_to_have_talked)
    ):
        return (Reason(f'Writes after a conversation that already happened: "{said}"', (said,)),)
    return _following_up(facts)


_THANKS_OR_PLEASURE = THANKS.stems | PLEASURE.stems
# What thanks or pleasure is for: the second concept of each of their sets (a conversation,
# a time, a visit, being shown round). A set is in a text only with a word of each of its
# concepts, so a text with none of these has none of the sets, and no sentence of it either.
_THANKED_FOR = frozenset().union(
    *(
        concepts[1]
        for together in (
            THANKED,
            PLEASED,
            THANKED_FOR_A_VISIT,
            THANKS_AND_CONVERSATION,
            PLEASURE_AND_CONVERSATION,
        )
        for concepts in together.sets
    )
)


def _following_up(facts: RequestFacts) -> tuple[Reason, ...] | None:
    """ "As we discussed", "you asked me to write" (FOLLOWING_UP), from someone who asks for
    nothing now (the caller has asked)."""
    if said := facts.scan.find(FOLLOWING_UP):
        return (Reason(f"Follows up on a conversation with us: {quoted(said)}", said),)
    return None


@matching.per_sentence
def _pleased_to_have_talked(sentence: matching.Sentence) -> bool:
    """ "It was lovely talking with you", "it was a pleasure speaking to you": WAS, then
    PLEASURE, then a CONVERSATION word with "you" right after it (not "your talk")."""
    if PLEASURE.stems.isdisjoint(sentence.stem_set):
        return False
    words = [w.lower() for w in sentence.words]
    stems = sentence.stems
    for i, word in enumerate(words):
        if word not in WAS:
            continue
        pleased = next(
            (j for j in range(i + 1, min(i + 5, len(words))) if stems[j] in PLEASURE.stems), None
        )
        if pleased is None:
            continue
        for k in range(pleased + 1, min(pleased + 5, len(words))):
            if stems[k] in CONVERSATION.stems and "you" in words[k + 1 : k + 3]:
                return True
    return False


def _at_a_visit(said: str) -> bool:
    """ "the tour of the lab", "showing us round the clinic", "the open day": a visit."""
    return bool(VISIT.search(said))


SentenceCheck = Callable[[matching.Sentence], bool]


def _conversation_sentence(
    facts: RequestFacts,
    feeling: matching.Together,
    also: tuple[Callable[[RequestFacts], bool], SentenceCheck] | None = None,
) -> str:
    """A sentence with `feeling` (THANKED, PLEASED) about a conversation that already
    happened, or "". `also`: whether the message may say so another way, and the way a
    sentence says it."""
    may_say, says = also or (None, None)
    if not feeling.in_text(facts.vocabulary):
        # Only the other way may be there: the look at the text spares reading its sentences.
        if may_say is None or not may_say(facts):
            return ""
        may_say = None  # asked: it may
    for sentence in facts.sentences:
        if feeling.in_(sentence):
            pass
        elif says is None or not says(sentence):
            continue
        elif may_say is not None:
            # The sentences are read for the feeling anyway: whether the message may say it
            # the other way (the look at the whole text) is asked only when a sentence does,
            # which few do (a sentence's answer is kept: see matching.per_sentence).
            if not may_say(facts):
                says = None
                continue
            may_say = None
        if (
            not NOT_A_CONVERSATION_YET.in_(sentence)
            and not matching.pairs(LOOK, FORWARD, sentence)
            and not AUDIENCE_EVENTS.in_(sentence)
            and not matching.pairs(YOUR, TALKS_GIVEN, sentence)
        ):
            return facts.body[sentence.start : sentence.end]
    return ""


@matching.per_sentence
def _thanks_for_the_conversation(sentence: matching.Sentence) -> bool:
    """THANKS, FOR (or OUR) right after it ("thank you so much for"), then a CONVERSATION word
    a few words on ("for taking the time to speak with me", "pour notre échange"), with no
    chance or offer of one in the way ("thanks for the chance to talk", "for the call
    invite")."""
    if THANKS.stems.isdisjoint(sentence.stem_set):  # most sentences thank for nothing
        return False
    return _thanked_for_talk([w.lower() for w in sentence.words], sentence.stems)


def _thanked_for_talk(words: list[str], stems: tuple[str, ...] | list[str]) -> bool:
    for i, stem in enumerate(stems):
        if stem not in THANKS.stems:
            continue
        at = next(
            (j for j in range(i + 1, min(i + 5, len(words))) if words[j] in FOR or words[j] in OUR),
            None,
        )
        if at is None and i + 1 < len(stems) and stems[i + 1] in CONVERSATION.stems:
            at = i  # the conversation right after the thanks: "kiitos keskustelusta"
        if at is None:
            continue
        after = stems[at + 1 : at + 7]
        talk = next((k for k, s in enumerate(after) if s in CONVERSATION.stems), None)
        if talk is None or not NOT_YET_HAD.stems.isdisjoint(after[: talk + 2]):
            continue
        if after[talk] == "call" and tuple(after[talk + 1 : talk + 2]) == ("for",):
            continue  # "the call for applications"
        return True
    return False


def _may_thank_for_the_conversation(facts: RequestFacts) -> bool:
    """Whether the words after some thanks word thank for a conversation: a look at the few
    places a thanks word is, so most messages' sentences need not be read for it."""
    vocabulary = facts.vocabulary
    if not THANKS_AND_CONVERSATION.in_text(vocabulary):
        return False
    lower = facts.scan.texts[1].lower or facts.body.lower()
    for word in THANKS_FORMS.intersection(vocabulary.words):
        at = lower.find(word)
        while at != -1:
            following = matching.WORD.findall(lower, at, at + 160)[:12]
            if _thanked_for_talk(following, [matching.stem(w) for w in following]):
                return True
            at = lower.find(word, at + 1)
    return False


def _may_be_pleased_to_have_talked(facts: RequestFacts) -> bool:
    vocabulary = facts.vocabulary
    return not WAS.isdisjoint(vocabulary.words) and PLEASURE_AND_CONVERSATION.in_text(vocabulary)


def employee_introducing(facts: RequestFacts, profile: Profile) -> tuple[Reason, ...] | None:
    email = facts.sender.email.lower()
    if (  # most senders are on no employee domain: that look first
        not is_employee_domain(email, profile)
        or email == profile.recruiter_email.lower()
        or is_generic_inbox(email)
    ):
        return None
    words = [w for s in facts.sentences for w in INTRODUCING.in_(s)]
    words += facts.scan.find(PASSING_ALONG)
    if not words and not INTRODUCING_SUBJECT.match(facts.subject):
        return None
    who = f"{facts.sender.name} <{email}>" if facts.sender.name else email
    return (
        Reason(
            f"Introduced by an employee, who wrote it: {who}",
            (facts.sender.email, *dict.fromkeys(words)),
        ),
    )


def later_availability(facts: RequestFacts) -> tuple[str, ...]:
    """Sentences saying they will be free, or will move, at a time ahead (see
    relevant_skills_no_job_ask): a word of availability not in the past tense with a
    connective ("free after", "switch before", "a change after", "be done by"), or a move,
    in a sentence with a time ahead (_time_ahead), or right after one ("The season runs
    through October; I'm free after that"); or a commitment bound to one (_bound). Not a
    sentence that says now ("relocate immediately")."""
    if not may_tell_later_availability(facts):  # most messages
        return ()
    vocabulary = facts.vocabulary
    available = LATER_AVAILABILITY.in_text(vocabulary) and (
        LATER_CONNECTIVES.in_text(vocabulary) or "starting" in vocabulary.words
    )
    if not (
        available
        or MOVING.in_text(vocabulary)
        or COMMITMENTS.in_text(vocabulary)
        or UNTIL.in_text(vocabulary)
        or not CHANGES.isdisjoint(vocabulary.words)
    ):
        return ()
    if not (
        MONTHS_AND_SEASONS.in_text(vocabulary)
        or COMMITMENTS.in_text(vocabulary)
        or "future" in vocabulary.words
        or YEARS.in_text(vocabulary)
        or "may" in vocabulary.words
        or YEAR_OR_QUARTER.search(facts.body)
    ):
        return ()
    body, found = facts.body, []
    years = YEAR_OR_QUARTER.search(body) is not None  # else no sentence need look for one
    sentences = facts.sentences
    for i, sentence in enumerate(sentences):
        # Most sentences have none of the words the concept needs: one set look each.
        if SAYS_LATER.isdisjoint(sentence.stem_set) and CHANGES.isdisjoint(sentence.word_set):
            continue
        said = body[sentence.start : sentence.end]
        # ... or "... through October; I'm free after that": the time of the sentence before.
        if not (
            _time_ahead(sentence, body, years)
            or (
                i
                and matching.pairs(THEN_CONNECTIVES, THAT, sentence)
                and _time_ahead(sentences[i - 1], body, years)
            )
        ):
            continue
        if _now(sentence) or _others_available(sentence) or OUT_OF_OFFICE.search(said):
            continue
        available = _available(sentence)
        moving = [w for w in MOVING.in_(sentence) if _not_past(w)]
        if (available and _connective(sentence, available)) or moving or _bound(sentence):
            found.append(said)
    return tuple(found)


def may_tell_later_availability(facts: RequestFacts) -> bool:
    """Whether later_availability may find anything: every way needs a word of one of four
    concepts, or a change. Most messages have none: one look at the stems (and one at the
    words) says so."""
    vocabulary = facts.vocabulary
    return not (
        _SAYS_LATER_OR_BOUND.isdisjoint(vocabulary.stems) and CHANGES.isdisjoint(vocabulary.words)
    )


_SAYS_LATER_OR_BOUND = LATER_AVAILABILITY.stems | MOVING.stems | COMMITMENTS.stems | UNTIL.stems


def _others_available(sentence: matching.Sentence) -> bool:
    """A count of other people ("12 vetted engineers", "six of our specialists", "two of the
    contractors") in a sentence that does not name the writer: a supply offered, not their
    own later availability ("I'm one of 12 engineers", "two of us" are the writer's)."""
    words = [w.lower() for w in sentence.words]
    if not THE_WRITER.isdisjoint(words):
        return False
    # The people counted come before their availability ("12 engineers available from
    # March"); a count after it is of something else ("available once 3 projects wrap up").
    free = [i for i, s in enumerate(sentence.stems) if s in SAYS_LATER]
    for i, word in enumerate(words[: free[0]] if free else ()):
        if not (word in COUNTS or (word[0].isdigit() and len(word) < 4)):
            continue
        after = words[i + 1 : i + 6]
        if after[:1] == ["of"] and after[1:2] in (["our"], ["the"], ["their"]):
            return True
        for w in after:
            if w in NOT_COUNTED or matching.stem(w) in MONTHS_AND_SEASONS.stems:
                break  # "3 March", "2 months": a date or a duration, not people
            if w.endswith("s") and len(w) > 3:
                return True
    return False


def _connective(sentence: matching.Sentence, available: list[str]) -> bool:
    """LATER_CONNECTIVES, or "starting" before a time ("available starting 2027"), not the
    availability itself ("I'm starting to think about it")."""
    if LATER_CONNECTIVES.in_(sentence):
        return True
    return "starting" in sentence.word_set and any(matching.stem(a) != "start" for a in available)


def _available(sentence: matching.Sentence) -> list[str]:
    """LATER_AVAILABILITY's words, not in the past ("started in January 2020", "moved in
    2019"), nor "end" ("the end of March" is a time), nor "a graduate" (a person), nor "a
    start-up" (a firm), nor an adjective of a thing ("a free tool": ATTRIBUTES), nor a
    defence of anything but a thesis (_defending_a_thesis); and "a change" or "a switch" (of
    job), "be done", "be finished" (with a commitment)."""
    words = [w.lower() for w in sentence.words]
    found = []
    for i, (word, stem) in enumerate(zip(words, sentence.stems, strict=True)):
        before = words[i - 1] if i else ""
        if stem in LATER_AVAILABILITY.stems:
            if not _not_past(word) or word == "end" or _a_start_up(sentence, i):
                continue
            if stem == "graduat" and (word.endswith("s") or before in ARTICLES):
                continue
            if word in ATTRIBUTES and DETERMINERS.intersection(words[max(0, i - 2) : i]):
                continue  # "a free tool", "the first complete proof": a thing's
            if stem == "defend" and not _defending_a_thesis(sentence, i):
                continue
            found.append(sentence.words[i])
        elif (word in CHANGES and before in ARTICLES) or (word in ENDED and before == "be"):
            found.append(sentence.words[i])
    return found


def _defending_a_thesis(sentence: matching.Sentence, i: int) -> bool:
    """ "I will defend in May", "defend my thesis next spring": the end of a PhD; not
    defending something else ("defend the budget in October")."""
    after = sentence.stems[i + 1 : i + 4]
    return bool(after) and (
        after[0] in LATER_CONNECTIVES.stems or not COMMITMENTS.stems.isdisjoint(after)
    )


def _bound(sentence: matching.Sentence) -> bool:
    """A commitment, or the writer now ("I'm on secondment", "I'm locked into my role"), bound
    until a time ahead, the time right after "until" ("on a contract until summer 2028", "my
    notice through February"; not "a project that runs data through a pipeline"); or a
    commitment whose end is still to come, a connective before it and its end after ("once
    my permit is sorted", "before my visa comes through"). Not in a sentence in the past ("I
    had a contract until March 2024")."""
    words, stems = [w.lower() for w in sentence.words], sentence.stems
    if not PAST_MARKERS.isdisjoint(words):
        return False
    committed = _commitments(sentence)
    if committed or not PRESENT.isdisjoint(words):
        for j, stem in enumerate(stems):
            if stem in UNTIL.stems and _a_time_at(sentence, j + 1):
                return True
    if not committed:
        return False
    for i, stem in enumerate(stems):
        if (
            stem in COMMITMENTS.stems
            and not FUTURE_CONNECTIVES.isdisjoint(words[max(0, i - 4) : i])
            and not COMMITMENT_ENDS.isdisjoint(words[i + 1 : i + 5])
        ):
            return True
    return False


def _its_end(sentence: matching.Sentence) -> bool:
    """ "once it's through", "when that is done": the end, still to come, of a commitment the
    sentence before named ("My work visa is being processed; ...")."""
    if ENDED_STEMS.isdisjoint(sentence.stem_set):  # most sentences: no end at all
        return False
    words = [w.lower().replace("\u2019", "'") for w in sentence.words]
    return any(
        word in FUTURE_CONNECTIVES
        and words[i + 1 : i + 2]
        and words[i + 1].split("'")[0] in REFERRING
        and not ENDED.isdisjoint(words[i + 1 : i + 4])
        for i, word in enumerate(words)
    )


def _a_time_at(sentence: matching.Sentence, at: int) -> bool:
    """A time in the few words from `at`: a month, a season, a year or a quarter, a
    commitment ("until the launch"), or the words that date one ("the end", "next", "mid")."""
    for word, stem in zip(sentence.words[at : at + 6], sentence.stems[at : at + 6], strict=True):
        if stem in MONTHS_AND_SEASONS.stems or stem in COMMITMENTS.stems:
            return True
        if word.lower() in DATING_WORDS or YEAR_OR_QUARTER.fullmatch(word):
            return True
    return False


def _time_ahead(sentence: matching.Sentence, text: str, years: bool = True) -> bool:
    """A time ahead in the sentence (of `text`): a month or a season, a year or a quarter
    by number (`years`: the text may have one), a commitment that ends (a contract, a notice
    period, a leave, a visa, a PhD), or a year ahead in words (_year_ahead)."""
    stems = sentence.stem_set
    if _commitments(sentence) or _months_or_seasons(sentence) or _the_future(sentence):
        return True
    year = years and YEAR_OR_QUARTER.search(text, sentence.start, sentence.end)
    if year and _a_year_not_since(sentence):
        return True
    if _its_end(sentence):
        return True
    if not stems.isdisjoint(YEARS.stems) and _year_ahead(sentence):
        return True
    return "May" in sentence.word_set and _may_dated(sentence)


def _the_future(sentence: matching.Sentence) -> bool:
    """ "(in) the (near) future", not "a future path"."""
    if "futur" not in sentence.stem_set:
        return False
    words = [w.lower() for w in sentence.words]
    return any(w == "future" and i and words[i - 1] in {"the", "near"} for i, w in enumerate(words))


def _commitments(sentence: matching.Sentence) -> bool:
    """COMMITMENTS, not the verb "notice" ("I notice that ...")."""
    if COMMITMENTS.stems.isdisjoint(sentence.stem_set):
        return False
    words = [w.lower() for w in sentence.words]
    return any(
        stem in COMMITMENTS.stems and not (stem == "notic" and i and words[i - 1] in PRONOUNS)
        for i, stem in enumerate(sentence.stems)
    )


def _months_or_seasons(sentence: matching.Sentence) -> bool:
    """A month or a season, not one past ("last autumn") nor a name that starts with one
    ("Spring Boot")."""
    if MONTHS_AND_SEASONS.stems.isdisjoint(sentence.stem_set):
        return False
    words = sentence.words
    return any(
        stem in MONTHS_AND_SEASONS.stems
        and not (i and words[i - 1].lower() in PAST_SEASON)
        and not (
            i
            and words[i][0].isupper()
            and words[i + 1 : i + 2]
            and words[i + 1][0].isupper()
            and words[i + 1] != "I"
        )
        for i, stem in enumerate(sentence.stems)
    )


def _a_year_not_since(sentence: matching.Sentence) -> bool:
    """A year or a quarter by number, not the start of a span up to now ("since 2019")."""
    words = sentence.words
    return any(
        YEAR_OR_QUARTER.fullmatch(word) and not (i and words[i - 1].lower() == "since")
        for i, word in enumerate(words)
    )


def _year_ahead(sentence: matching.Sentence) -> bool:
    """ "next (academic) year", "the coming year", "in about a year", "within two years", "a
    year from now", "a year out", "in six months": not a duration ("for several years", "six
    years of consulting", "two years ago") or a year past ("in the last two years", "in my
    first year")."""
    words, stems = sentence.words, sentence.stems
    for i, stem in enumerate(stems):
        if stem not in YEARS.stems:
            continue
        after = stems[i + 1 : i + 2]
        if after and after[0] in NOT_A_TIME.stems:  # "years of", "years ago"
            continue
        before = stems[max(0, i - 4) : i]
        if any(
            b in SPANS.stems and before[j + 1 : j + 2] == ("the",) for j, b in enumerate(before)
        ):
            continue  # "over the next few years": a span, not a time
        if stem == "month" and before[-1:] and before[-1] in SOON_MONTH:
            continue  # "next month", "in a month": soon, not later
        if not YEAR_AHEAD.stems.isdisjoint(before[-3:]):
            return True
        at = [j for j, s in enumerate(before) if s in IN_TIME.stems]
        if at and PAST_YEAR.stems.isdisjoint(before[at[-1] :]):
            return True
        if before[-1:] == ("a",) and words[i + 1 : i + 2] in (("out",), ("from",)):
            return True
    return False


def _may_dated(sentence: matching.Sentence) -> bool:
    """ "in May", "until May": the month, not the verb ("May I ask ...")."""
    words = sentence.words
    return any(
        word == "May" and i and words[i - 1].lower() in MAY_DATED.stems
        for i, word in enumerate(words)
    )


def _now(sentence: matching.Sentence) -> bool:
    """ "ready to relocate immediately", "can start straight away": now, not later (unless
    turned around: "not immediately")."""
    if NOW.stems.isdisjoint(sentence.stem_set) and "away" not in sentence.word_set:
        return False
    words = [w.lower() for w in sentence.words]
    at = [(i, i + 1) for i, s in enumerate(sentence.stems) if s in NOW.stems]
    at += [(i, i + 2) for i, w in enumerate(words[:-1]) if w in NOW_AWAY and words[i + 1] == "away"]
    # "I could start immediately after my PhD": right after a time ahead, not now.
    return any(
        not _negated(words[max(0, i - 2) : i]) and words[end : end + 1] != ["after"]
        for i, end in at
    )


def _not_past(word: str) -> bool:
    return not word.lower().endswith("ed") or word.lower() in STILL_BOUND


def _negated(words: list[str]) -> bool:
    return any(w in NOT_BEFORE or w.endswith(NEGATING_ENDINGS) for w in words)


def hard_skills_in_other_words(facts: RequestFacts, profile: Profile) -> tuple[SkillHit, ...]:
    """Hard-to-fill skills written in other words or forms ("bread baking" of "bread baking
    (sourdough / rye)"), by one of their names or most of their words: two words of a
    four-word skill are too loose a sign beside a prize."""
    return _concepts_in_message(facts, profile, profile.hard_skill_concepts, by_name=True)


def hard_skills_around(
    facts: RequestFacts, profile: Profile, distinctions: tuple[str, ...]
) -> tuple[SkillHit, ...]:
    """Hard-to-fill skills of which most words (more than half) are in the sentences around a
    distinction (two either side), however they are spread among them; or a distinctive word
    of one in the distinction's sentence or one beside it, that the subject, the writer's
    headline, has too ("Subject: Mildew and bale stores"; "my way of finding where mildew
    starts ... The association gave me its award for it"), when it names no job ("Sound
    Designer": _names_a_job)."""
    found = facts.sentences_for_skills(profile.company)
    at = {facts.body.find(d) for d in distinctions} - {-1}
    around = [i for i, s in enumerate(found) if any(s.start <= a < s.end for a in at)]
    near = [matching.window(found, i, 2, 2) for i in around]
    hits, headline = [], None
    for concept in profile.hard_skill_concepts:
        if not concept.needed or not concept.may_be_in(facts.vocabulary):
            continue
        for sentences in near:
            shared = frozenset().union(*(s.form_set & concept.words for s in sentences))
            if len(shared) >= concept.needed and 2 * len(shared) > len(concept.words):
                said = (
                    w
                    for s in sentences
                    for w, st in zip(s.words, s.forms, strict=True)
                    if st in shared
                )
                hits.append((concept.skill, tuple(dict.fromkeys(said)), ""))
                break
        else:
            if headline is None:
                headline = _headline(facts.subject, profile.company)
                # A subject that names a job ("Sound Designer", "Design Engineer") is no
                # headline of their field beside a prize: its words are the job's.
                headline = () if _names_a_job(headline) else headline
            beside = (matching.window(found, i, 1, 1) for i in around)
            if said := next(filter(None, (_part_in(concept, s, headline) for s in beside)), ()):
                hits.append((concept.skill, said, ""))
    return tuple(hits)


def _names_a_job(headline: tuple[matching.Sentence, ...]) -> bool:
    """Whether a subject names a job: a word for one (JOB_NOUNS) or an agent noun of more than
    four letters ("Sound Designer", "Design Engineer (Austin)")."""
    words = {w.lower() for s in headline for w in s.words}
    return not JOB_NOUNS.isdisjoint(words) or any(
        len(w) > 4 and w.endswith(AGENT_ENDINGS) for w in words
    )


def _part_in(
    concept: matching.SkillConcept,
    near: tuple[matching.Sentence, ...],
    headline: tuple[matching.Sentence, ...],
) -> tuple[str, ...]:
    """A distinctive word of the skill (a stem of PART_OF_A_SKILL letters or more) in the
    sentences `near`, that the subject, the writer's headline, has too: the words, or ()."""
    part = {
        form: word
        for s in near
        for word, form in zip(s.words, s.forms, strict=True)
        if form in concept.words and _distinctive(word, form)
    }
    headed = [w for s in headline for w, f in zip(s.words, s.forms, strict=True) if f in part]
    return (*part.values(), *dict.fromkeys(headed)) if headed else ()


def skills_in_other_words(facts: RequestFacts, profile: Profile) -> tuple[SkillHit, ...]:
    """Hard-to-fill skills and openings' skills and titles written in other words or forms."""
    return _concepts_in_message(facts, profile, profile.skill_concepts)


def _concepts_in_message(
    facts: RequestFacts,
    profile: Profile,
    concepts: tuple[matching.SkillConcept, ...],
    *,
    by_name: bool = False,
) -> tuple[SkillHit, ...]:
    """`by_name`: a hard-to-fill skill by name or most of its words, in the body or in the
    subject, the writer's headline of what they write about ("Widget welding engineer")."""
    hits, sentences = [], facts.sentences_for_skills(profile.company)
    headline = _headline(facts.subject, profile.company) if by_name else ()
    for concept in concepts:
        where = (*sentences, *headline) if concept.may_be_in(facts.vocabulary) else headline
        found = (concept.evidence(s, by_name=by_name) for s in where)
        if evidence := next(filter(None, found), ()):
            hits.append((concept.skill, evidence, ""))
    return tuple(hits)


@lru_cache(maxsize=4096)  # subjects repeat ("Quick question")
def _headline(subject: str, company: str) -> tuple[matching.Sentence, ...]:
    """The subject's sentences, the company's name left out (see sentences_for_skills)."""
    name = " ".join(company.split())
    if len(name) >= 3 and name.lower() in subject.lower():
        blank = re.compile(re.escape(name).replace(r"\ ", r"\s+"), re.IGNORECASE)
        subject = blank.sub(lambda m: " " * len(m.group()), subject)
    return matching.sentences(subject)


def hard_skills(facts: RequestFacts, profile: Profile) -> tuple[SkillHit, ...]:
    """Each hard-to-fill skill the message (or else the attached résumé) mentions."""
    return facts.scan.hits(profile.catalogue, "skills")


def openings(facts: RequestFacts, profile: Profile) -> tuple[OpeningHit, ...]:
    """Each opening whose title or skills the message (or else the attached résumé) mentions."""
    return facts.scan.hits(profile.catalogue, "openings")


def is_employee_domain(email: str, profile: Profile) -> bool:
    """On an employee domain or a subdomain of one: the domain, or what follows one of its
    dots, is one of them (a set look each, not a comparison with each domain)."""
    domains = _domain_set(profile.employee_domains)
    if not domains:
        return False
    domain = email.rpartition("@")[2].lower()
    if domain in domains:
        return True
    at = domain.find(".")
    while at != -1:
        if domain[at + 1 :] in domains:
            return True
        at = domain.find(".", at + 1)
    return False


@lru_cache(maxsize=64)  # a profile's domains: asked of every request's addresses
def _domain_set(domains: tuple[str, ...]) -> frozenset[str]:
    return frozenset(domains)


def is_generic_inbox(email: str) -> bool:
    """jobs@, careers+pgh@, talent.acquisition@ ..."""
    local = email.partition("@")[0].split("+")[0].lower()
    if local.translate(_WITHOUT_SEPARATORS).startswith(AUTOMATED_LOCAL_PARTS):
        return True
    return _SEPARATOR.split(local, 1)[0] in _GENERIC_INBOXES


# Asked of every copied address: the separators dropped by a table, not a regex.
_WITHOUT_SEPARATORS = str.maketrans("", "", "._-")
_SEPARATOR = re.compile(r"[._-]")
_GENERIC_INBOXES = frozenset(GENERIC_INBOX_LOCAL_PARTS)


def skill_reasons(openings: tuple[OpeningHit, ...], skills: tuple[SkillHit, ...]) -> list[Reason]:
    reasons = [
        Reason(f"Matches open role {o.title} ({o.url}): {quoted(ev)}{from_where(where)}", ev)
        for o, ev, where in openings
    ]
    reasons += [
        Reason(f"Mentions hard-to-fill skill: {s}{from_where(where)}", ev)
        for s, ev, where in skills
    ]
    return reasons


def shortened(said: str, most: int = 200) -> str:
    said = " ".join(said.split())
    return said if len(said) <= most else said[: most - 1].rsplit(" ", 1)[0] + "…"


def from_where(where: str) -> str:
    return f", {where}" if where else ""


def quoted(items: Iterable[str]) -> str:
    # A list, not a generator: join makes one anyway, and a comprehension runs inline.
    return ", ".join([f'"{" ".join(i.split())}"' for i in items])


def matching_openings(facts: RequestFacts, profile: Profile) -> list[Opening]:
    """The open roles the message mentions (title or skills), most mentions first."""
    found = openings(facts, profile)
    return [o for o, _, _ in sorted(found, key=lambda hit: len(hit[1]), reverse=True)]
