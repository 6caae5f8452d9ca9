"""Flags beside the bucket: what a recruiter should know about a request before the bucket.

Two flags, each with the exact text it rests on:

- urgent: a competing offer, an answer wanted by a near day ("by Friday"), a security
  problem reported; a request that loses its worth if it waits in the queue.
- not-candidate: not someone asking about work here at all (a security report, a bug report
  from a customer, a vendor's pitch, a research survey, a journalist), with where it should
  go instead of a candidate template.

A flag never moves a request between buckets: it is shown beside the bucket and filtered on
in the inbox. Like rules.py this is pure Python: facts in, flags out; the vocabulary is
generic English and nothing here names a company.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from triage import matching
from triage.facts import RequestFacts
from triage.phrases import Phrases, short_text
from triage.vocabulary import NEGATING_ENDINGS, NEGATING_WORDS


class FlagName(StrEnum):
    URGENT = "urgent"
    NOT_CANDIDATE = "not-candidate"

    @property
    def label(self) -> str:
        return {FlagName.URGENT: "Urgent", FlagName.NOT_CANDIDATE: "Not a candidate"}[self]


@dataclass(frozen=True)
class Flag:
    name: FlagName
    text: str  # plain English, for the recruiter
    evidence: tuple[str, ...]  # substrings of the subject or body, as written
    action: str = ""  # what to do with it instead of (or before) the usual reply
    topic: str = ""  # which kind of not-candidate message ("security", "press", ...)

    def as_dict(self) -> dict:
        """As a request stores it (CandidateRequest.flags[name])."""
        return {
            "text": self.text,
            "evidence": list(self.evidence),
            "action": self.action,
            "topic": self.topic,
        }


# What turns a phrase around just before it: the rules' negations, and "nothing urgent",
# "no deadline". ("No rush" never matches at all.)
NEGATION = matching.negation(
    words=(*NEGATING_WORDS, "no", "nothing"), endings=NEGATING_ENDINGS, between=1
)

# --- Not a candidate's request --------------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    """A kind of message that is not a candidate's request. `plain` phrases say so on their
    own (no candidate writes "please forward this to your security team"); `hints` only
    when two different ones (`hints_needed`) come together. Either way, not when the writer
    also asks about work for themselves (OWN_CANDIDACY)."""

    name: str
    what: str
    action: str
    plain: Phrases
    hints: Phrases
    # A sentence where the writer tells of their own work: its words are not hints (a
    # support engineer who fixed a crash; for a vendor, one who worked at an agency).
    guard: Phrases | None = None
    hints_needed: int = 2


# A sentence where the writer says they fixed something: a candidate's achievement, not a
# report ("I fixed a crash that ...").
_FIXED = r"(?:i|we)\b[^.!?\n]{0,30}\b(?:fixed|resolved|debugged|diagnosed|tracked down)"
FIXED_IT = matching.vocabulary([_FIXED])
# Or one about their own past work ("I spent three years at a staffing agency").
OWN_WORK = matching.vocabulary(
    [_FIXED, r"(?:i|i've|i have)\b[^.!?\n]{0,30}\b(?:worked|spent|was|ran|led|managed|built)"]
)

TOPICS = (
    Topic(
        "auto-reply",
        "an automatic reply",
        "Nothing to answer: it is an automatic reply (out of office); wait for their return.",
        matching.vocabulary([r"automatic reply|auto-?reply|autoreply"]),
        matching.vocabulary(
            [
                r"out of (?:the )?office|away from (?:the|my) (?:office|desk)",
                r"on (?:annual |parental |sick )?leave",
                r"(?:limited|no) access to (?:my )?e-?mail",
                r"(?:for|if (?:it is|it's|this is)) urgent|in urgent cases",
            ]
        ),
        OWN_WORK,
        # A person on leave writes two of these too ("on leave, with limited access to
        # email, but I'd love to talk"); a machine adds whom to ask meanwhile.
        hints_needed=3,
    ),
    Topic(
        "security",
        "a security report",
        "Forward it to your security team today; a candidate template does not answer it.",
        matching.vocabulary(
            [
                r"(?:forward|pass|send) (?:this|it) (?:on )?to (?:your|the) "
                r"(?:security|it|infosec)",
                r"security contact|security\.txt",
                r"vulnerability in your",
            ]
        ),
        matching.vocabulary(
            [
                r"vulnerabilit(?:y|ies)",
                r"security (?:issue|flaw|hole|problem|vulnerability)",
                r"exposed to the internet|exposes?|leak(?:s|ing)?",
                r"without authentication|hard-?coded (?:api )?(?:key|password|credentials?)",
                r"disclos(?:e|ing) (?:this |it )?publicly",
                r"(?:responsible|coordinated) disclosure|bug bounty",
            ]
        ),
    ),
    Topic(
        "bug",
        "a bug report from a user",
        "Forward it to customer support; they wrote to the wrong inbox.",
        matching.vocabulary(
            [
                r"(?:couldn't|could not|can't|cannot) find (?:a |the |your )?support",
                r"support (?:hasn't|has not|haven't|have not|didn't|never) (?:answered|replied)",
                r"my (?:support )?ticket",
                r"ticket (?:number|no\.?|#)",
                r"(?:i'm|i am|i\u2019m) not applying (?:for anything )?myself",
            ]
        ),
        matching.vocabulary(
            [
                r"crash(?:es|ed|ing)?",
                r"(?:keeps|kept) (?:crashing|freezing|logging me out)",
                r"(?:since|after) (?:the )?(?:latest |last |new )?(?:update|patch|upgrade)",
                r"error (?:says|message|code)|bug report",
                r"no longer works|stopped working|(?:doesn't|does not) work",
                r"(?:pass|forward) (?:this|it) (?:on )?to (?:whoever|someone|the right)",
                # Something on the careers site that fails, and how it shows.
                r"(?:form|button|upload|step|links?|pages?|feed|site) (?:\S+ ){0,3}?"
                r"(?:refuses|refused|rejects|rejected|fails|failed|does nothing|returns?)",
                r"(?:a|an|error|returns?|http) (?:404|500)|stack trace|error page|"
                r"invalid format|typeerror",
                r"(?:your|the) careers? (?:site|page|form) has (?:a|an) (?:problem|issue|bug)",
                r"just (?:flagging it|letting you know|thought (?:someone|you) (?:should|would"
                r" want to) know)|fyi",
            ]
        ),
    ),
    Topic(
        "vendor",
        "a vendor's pitch",
        "Forward it to purchasing, or decline; it is a sales pitch, not a candidate.",
        matching.vocabulary(
            [
                r"(?:book|schedule|see) a (?:quick |short )?demo|show you a (?:quick )?demo",
                r"customers like yours|companies like yours|clients like you",
                r"first-time clients|\d+% (?:placement )?fee",
            ]
        ),
        matching.vocabulary(
            [
                r"(?:quick |short )?demo",
                r"account executive|business development|sales (?:manager|director|executive)",
                r"(?:integrates?|plugs?) (?:straight )?into your|integrate with your",
                r"(?:pay|priced?) per (?:hire|seat|user)|pricing|free trial",
                r"outsourcing|fully managed|pre-?(?:vetted|screened)",
                r"(?:search|staffing|recruiting|recruitment|sourcing|training) "
                r"(?:firm|agency|partnership|partner|provider|organi[sz]ation)",
                r"(?:set up|arrange) a (?:short |quick )?call (?:to discuss|with your)",
                r"fee (?:is|of) \d+%|\d+% of (?:the )?(?:first-year|first year|annual)",
                r"group rates?|unsubscribe",
                r"(?:grab|book) (?:\d+|a few) minutes",
                r"your (?:roadmap|hiring plan|q\d hiring)",
            ]
        ),
        OWN_WORK,
    ),
    Topic(
        "research",
        "a research survey",
        "Forward it to whoever answers research requests, or decline politely.",
        matching.vocabulary(
            [
                r"survey link",
                r"(?:complete|fill (?:in|out)|take part in) (?:a|an|our|the) [\w\s-]{0,30}?"
                r"(?:survey|questionnaire|study)",
            ]
        ),
        matching.vocabulary(
            [
                r"surveys?|surveying|questionnaire",
                r"(?:research|doctoral|phd|academic) (?:project|study|researcher)",
                r"participants?|findings|anonymous",
            ]
        ),
    ),
    Topic(
        "press",
        "a press request",
        "Forward it to your press or communications contact.",
        matching.vocabulary(
            [
                r"press (?:inquiry|enquiry|request)|media (?:inquiry|enquiry|request)",
                r"(?:i am|i'm|i\u2019m) a (?:journalist|reporter)",
            ]
        ),
        matching.vocabulary(
            [
                r"journalist|reporter|staff writer",
                r"(?:putting together|preparing|writing|working on) (?:a|an) "
                r"(?:piece|story|feature|article|episode)",
                r"interview you|ask you (?:a few|some|a couple of) questions",
                r"(?:could|would|can) [\w ]{0,20}?comment|for comment",
                r"podcast|have (?:someone|you) (?:from [\w-]+ )?(?:talk|speak|join)",
                r"(?:features?|careers|news) editor|student (?:press|paper|newspaper)",
                r"quotes?|on background|on the record",
            ]
        ),
    ),
)
TOPIC_PHRASES = matching.PhraseGroup(p for t in TOPICS for p in (t.plain, t.hints))

# The writer asks about work for themselves: then the message is a candidate's, whatever
# else it says (a support engineer who fixed crashes, a sales rep who ran demos, a security
# engineer who ran a bug bounty).
OWN_CANDIDACY = matching.vocabulary(
    [
        r"my (?:cv|r.sum.|portfolio)",  # any resume, résumé: "é" would need the slow regex
        r"(?:i|i've|i have) (?:already |just )?applied",
        r"consider(?:ed)? me|hire me|(?:be|being) considered for|recommend me|refer me",
        r"(?:looking for|seeking) (?:a|my next|the next|new) (?:job|role|position)",
        r"(?:interested in|apply(?:ing)? for) (?:the|your) [\w\s/()+#,-]{0,50}?"
        r"(?:role|position|opening)",
    ]
)


def _distinct(found: tuple[str, ...]) -> tuple[str, ...]:
    """Each piece of evidence once, in order, whatever its case or spacing, and none that a
    longer one already shows ("reporter" beside "I'm a reporter")."""
    if not found:
        return found
    seen: dict[str, str] = {}
    for item in found:
        seen.setdefault(" ".join(item.split()).casefold(), item)
    return tuple(
        item
        for key, item in seen.items()
        if not any(key != other and key in other for other in seen)
    )


def not_candidate(facts: RequestFacts) -> Flag | None:
    """The first topic the message plainly is, or has two hints of (see Topic)."""
    scan = facts.scan
    if not scan.may_match_any(TOPIC_PHRASES):
        return None  # most messages have no word of any topic
    for topic in TOPICS:
        if not (scan.may_match(topic.plain) or scan.may_match(topic.hints)):
            continue  # most messages have no word of most topics
        guard = topic.guard or FIXED_IT
        plain = _distinct(scan.find_unless_sentence_has(topic.plain, guard))
        hints = _distinct(scan.find_unless_sentence_has(topic.hints, guard))
        if plain or len(hints) >= topic.hints_needed:
            # Someone asking for a job themselves is a candidate, whatever the topic: looked
            # at last, as most messages are of no topic (the same answer as first).
            if scan.find_unnegated(OWN_CANDIDACY, NEGATION):
                return None
            evidence = _distinct(plain + hints)
            return Flag(
                FlagName.NOT_CANDIDATE,
                f"Not a candidate's request: {topic.what}",
                evidence,
                topic.action,
                topic.name,
            )
    return None


# --- Urgent ------------------------------------------------------------------------------

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|"
    r"end of (?:the )?(?:day|week)|"
    rf"\d{{1,2}}(?:st|nd|rd|th)? {_MONTH}|{_MONTH} \d{{1,2}}\b(?:st|nd|rd|th)?)"
)

# A competing offer: a deadline someone else set.
COMPETING_OFFER = matching.vocabulary(
    [
        r"exploding offer|competing offer|another offer|other offer",
        r"(?:received|got|have|made me) an? (?:[\w-]+ )?offer",
        r"(?:been|was|were) offered (?:a|an|the) (?:job|role|position)|offered me",
    ]
)
OFFER = matching.vocabulary([r"offer(?:s|ed)?"])
# When the offer ends; counted only in a sentence about an offer ("the deadline for the
# conference paper" is not one).
OFFER_ENDS = matching.vocabulary(
    [r"(?:deadline|expires?|expiring)(?: (?:on |this |next )?" + _DAY + ")?"]
)
# An answer wanted by a near day; counted only with a decision in the same sentence: "I
# must decide by Friday" is urgent, "the paper is due by Friday" is not.
NEAR_DAY = matching.vocabulary([r"(?:by|before|until) (?:this |next |the end of )?" + _DAY])
DECISION = matching.vocabulary(
    [r"decide|decision|answer|respond|reply|offers?|accept|let (?:them|you|him|her) know"]
)
# Plainly pressing, unless turned around.
PRESSING = matching.vocabulary([r"urgent(?:ly)?|time[- ]sensitive|time[- ]critical|asap"])
# "Urgent" offered as a way round ("for urgent matters please contact ..."; "if it is urgent,
# call"): how an automatic reply or a signature says whom to ask, not that this is pressing.
URGENT_ASIDE = re.compile(
    r"\b(?:for|if|in)\s+(?:(?:it|this|that)\s+is\s+|it['\u2019]s\s+)?(?:an?\s+|any\s+)?$",
    re.IGNORECASE,
)
# A visa or permit that ends by a near date: the right to stay or work runs out; counted
# only with a date in the same sentence ("my visa doesn't expire until 2031" is not one).
PERMIT_ENDS = matching.vocabulary(
    [
        r"(?:visa|permit|(?:employment|work|residence) pass|opt) (?:will )?(?:ends?|expires?|"
        r"expiring|runs? out|lapses?|(?:be |is |gets )?cancell?ed)"
    ]
)
NEAR_DATE = matching.vocabulary([_DAY, r"end of (?:the )?(?:month|" + _MONTH + ")"])
URGENT_PHRASES = matching.PhraseGroup(
    (COMPETING_OFFER, OFFER_ENDS, NEAR_DAY, PRESSING, PERMIT_ENDS)
)
# A security problem in our own site, reported in passing by someone who is still a
# candidate (so not a not-candidate security report): an attack that worked or its name,
# beside our site or page. Not in a sentence where they fixed one (their achievement).
SECURITY_PROBLEM = matching.vocabulary(
    [
        r"xss|cross[- ]site scripting|sql injection|script>alert",
        r"security (?:issue|flaw|hole|problem|bug)|vulnerabilit(?:y|ies)",
    ]
)
OUR_SITE = matching.vocabulary(
    [r"(?:your|the) (?:careers? |jobs? |login |search |contact )?(?:site|website|page|portal)"]
)


def _in_sentences_with(facts: RequestFacts, pattern: Phrases, marker: Phrases) -> tuple[str, ...]:
    """Matches of `pattern`, not negated, whose sentence also has a `marker`."""
    if not (matches := facts.scan.matches(pattern)) or not facts.scan.may_match(marker):
        return ()
    kept = []
    for text, start, end in matches:
        first = max(text.rfind(c, 0, start) for c in matching.SENTENCE_ENDS) + 1
        ends = [i for c in matching.SENTENCE_ENDS if (i := text.find(c, end)) != -1]
        sentence = text[first : min(ends, default=len(text))]
        if marker.search(short_text(sentence)) and not _negated(text, start):
            kept.append(text[start:end])
    return tuple(dict.fromkeys(kept))


def _negated(text: str, start: int) -> bool:
    return bool(NEGATION.search(text, max(0, start - matching.NEGATION_WINDOW), start))


def urgent(facts: RequestFacts, reported: Flag | None) -> Flag | None:
    """A competing offer (and its deadline), an answer wanted by a near day, something
    plainly pressing, or a security report (`reported`: the not-candidate flag, if any)."""
    if reported is not None and reported.topic == "auto-reply":
        return None  # its "for urgent matters, contact ..." is not about this request
    offer = deadline = pressing = permit = ()
    if facts.scan.may_match_any(URGENT_PHRASES):  # most messages have none of their words
        offer = _in_sentences_with(facts, COMPETING_OFFER, OFFER)
        deadline = _in_sentences_with(facts, OFFER_ENDS, OFFER) + _in_sentences_with(
            facts, NEAR_DAY, DECISION
        )
        pressing = _pressing(facts)
        permit = _in_sentences_with(facts, PERMIT_ENDS, NEAR_DATE)
    if offer or deadline:
        what = "an answer wanted by a date"
        if offer:
            what = "a competing offer" + (" with a deadline" if deadline else "")
        evidence = _distinct(offer + deadline + pressing)
        return Flag(FlagName.URGENT, f"Urgent: {what}", evidence, "Answer before their deadline.")
    if reported is None or reported.topic != "security":
        reported = _security_problem(facts)
    if reported is not None:
        evidence = _distinct(pressing + reported.evidence)
        return Flag(
            FlagName.URGENT, "Urgent: a security problem reported", evidence, "Forward it today."
        )
    if permit:
        evidence = _distinct(permit + pressing)
        return Flag(
            FlagName.URGENT,
            "Urgent: their visa or permit ends by a date",
            evidence,
            "Answer before their visa or permit ends.",
        )
    if pressing:
        return Flag(FlagName.URGENT, "Urgent: they say it is", pressing, "Answer soon.")
    return None


def _pressing(facts: RequestFacts) -> tuple[str, ...]:
    """ "Urgent", "ASAP" ..., neither turned around ("nothing urgent") nor offered as a way
    round ("for urgent matters please contact ...")."""
    kept = []
    for text, start, end in facts.scan.matches(PRESSING):
        before = text[max(0, start - 30) : start]
        if not _negated(text, start) and not URGENT_ASIDE.search(before):
            kept.append(text[start:end])
    return tuple(dict.fromkeys(kept))


def _security_problem(facts: RequestFacts) -> Flag | None:
    """A security problem in our site that a candidate reports beside their own request."""
    if not facts.scan.may_match(SECURITY_PROBLEM):
        return None
    found = _distinct(facts.scan.find_unless_sentence_has(SECURITY_PROBLEM, FIXED_IT))
    where = facts.scan.find(OUR_SITE) if found else ()
    if not where:
        return None
    return Flag(FlagName.URGENT, "", _distinct(found + where[:1]), topic="security")


# Every phrase a flag rests on (the markers and guards only narrow them down), as one
# vocabulary: it matches somewhere in a text exactly when one of them does (an alternation
# matches where any of its branches does). A look at it rules out an alternative when any
# literal the alternative needs is missing, not just the first one a family's words show
# (TOPIC_PHRASES): "have (?:someone|you) ... (?:talk|speak|join)" needs more than "have ",
# a day "by Friday" more than "jun" (of "junior"). Most messages then have none, and no
# regex runs for them (Phrases.search).
FLAG_PHRASES = matching.vocabulary(
    alternative
    for pattern in (
        *(p for t in TOPICS for p in (t.plain, t.hints)),
        COMPETING_OFFER,
        OFFER_ENDS,
        NEAR_DAY,
        PRESSING,
        PERMIT_ENDS,
        SECURITY_PROBLEM,
    )
    for alternative in pattern.alternatives
)


def flags_for(facts: RequestFacts) -> tuple[Flag, ...]:
    """Every flag the request carries, urgent first."""
    # A first look, from what the rules already found in the subject and body: most
    # messages have none of the literals any flag's phrase needs (one `&`, no search).
    if not facts.scan.may_match(FLAG_PHRASES):
        return ()
    # Then the subject and body as Scan.matches reads them, links and all.
    subject, body = facts.scan.texts
    if not (FLAG_PHRASES.search(body) or FLAG_PHRASES.search(subject)):
        return ()  # most messages: no phrase any flag rests on
    reported = not_candidate(facts)
    return tuple(f for f in (urgent(facts, reported), reported) if f is not None)
