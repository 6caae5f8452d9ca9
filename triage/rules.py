"""The triage policy: which bucket a candidate's request belongs in, and why.

Rules run in priority order; the first one that matches decides the bucket:

1. notable_person             -> exceptional  (on the notable-people list)
2. distinguished_record       -> exceptional  (real distinction in a hard-to-fill skill)
3. employee_introduction      -> network      (an employee is cc'd on the request)
4. known_contact              -> network      (sender is on the recruiter's contacts list)
5. relevant_skills_no_job_ask -> network      (relevant skills, explicitly not job-hunting now)
6. funnel_default             -> funnel       (everyone else: apply on the careers site)

Everything company-specific (names, domains, skills, openings) comes from the Profile; the
only vocabulary here is generic English. `classify(facts, profile)` is a pure function: no
ORM, no settings, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property, lru_cache
from typing import NamedTuple

from triage.phrases import PhraseIndex, Phrases, Text


class Bucket(StrEnum):
    FUNNEL = "funnel"
    NETWORK = "network"
    EXCEPTIONAL = "exceptional"

    @property
    def label(self) -> str:
        return {
            Bucket.FUNNEL: "Apply through funnel",
            Bucket.NETWORK: "Network later",
            Bucket.EXCEPTIONAL: "Exceptional skill",
        }[self]


@dataclass(frozen=True)
class Address:
    name: str
    email: str  # lower-cased


@dataclass(frozen=True)
class Person:
    name: str
    email: str  # lower-cased
    note: str = ""


@dataclass(frozen=True)
class Opening:
    title: str
    url: str
    skills: tuple[str, ...]
    location: str = ""


@dataclass(frozen=True)
class Profile:
    company: str
    careers_url: str
    recruiter_name: str
    recruiter_email: str
    employee_domains: tuple[str, ...] = ()
    openings: tuple[Opening, ...] = ()
    hard_to_fill_skills: tuple[str, ...] = ()
    notable_people: tuple[Person, ...] = ()
    contacts: tuple[Person, ...] = ()

    @cached_property
    def patterns(self) -> ProfilePatterns:
        """The profile's phrases, compiled once per Profile (see `compile_profile`)."""
        return compile_profile(self)


@dataclass(frozen=True)
class RequestFacts:
    """What the rules may read about one request, already parsed and decoded."""

    sender: Address
    subject: str
    body: str  # the candidate's own words: plain text, quoted history removed where known
    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    # Files that came with it (a résumé, say) and the text read out of them.
    attachment_names: tuple[str, ...] = ()
    attachment_text: str = ""

    # Prepared once per request for the matching helpers below, however many rules ask.
    @cached_property
    def texts(self) -> tuple[Text, Text]:
        return (Text.of(self.subject), Text.of(self.body))

    @cached_property
    def links(self) -> tuple[tuple[tuple[int, int], ...], ...]:
        return tuple(tuple(URL.spans(text)) for text in self.texts)

    @cached_property
    def memo(self) -> dict:
        """What the helpers below worked out: several rules ask the same questions."""
        return {}


@dataclass(frozen=True)
class Reason:
    """One plain-English reason, with the exact text it rests on.

    Each item of `evidence` is a substring of the subject or body (or an address), or of
    an attachment's text when the reason says it came from there, as it appears there, so
    the UI can highlight it."""

    text: str
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Verdict:
    bucket: Bucket
    rule: str  # the deciding rule's name, e.g. "notable_person"
    reasons: tuple[Reason, ...]
    also_matched: tuple[str, ...] = field(default=())  # other rules that matched, in order


# --- Generic vocabulary ------------------------------------------------------------------
# Regex fragments, matched case-insensitively on word boundaries. They describe how people
# write, not any particular company, so they apply to every profile.

# A request for a job, an interview or a meeting *now*. Any of these sends an otherwise
# "network" request to the funnel: the careers site is the path for people who want in now.
JOB_ASK_PHRASES = (
    r"informational (?:interview|chat|call|meeting)",
    r"coffee chat|virtual coffee|pick your brain",
    r"(?:are|is) (?:you|you guys|your team|\w+) hiring|hiring right now",
    r"any (?:openings?|open (?:roles?|positions?)|positions?|roles?|opportunities|jobs?)",
    r"(?:job|career|employment) opportunit(?:y|ies)",
    r"(?:seeking|explore|exploring) [\w\s,]{0,40}?opportunit(?:y|ies)",
    r"what(?:'s|\u2019s| is) open",
    r"foot in the door",
    r"fast[- ]?track(?:ed)?",
    r"skip (?:the|your) (?:online )?application",
    r"(?:rather than|instead of|bypass) (?:go(?:ing)? through )?(?:the|your) (?:online )?"
    r"application",
    r"(?:online|job|my) applications?",
    r"do job applications",
    r"refer (?:me|him|her)|referrals?",
    r"pass (?:it|this|my (?:resume|cv)) (?:along|on)",
    r"(?:to|with) (?:the|your) hiring manager",
    r"interviews?",
    r"(?:schedule|set up|hop on|jump on) (?:a|an) (?:short |quick |brief )?"
    r"(?:call|interview|time|chat|meeting)",
    r"\d+(?:\s*-\s*\d+)?[- ]minutes? (?:of your time|with (?:you|your))",
    r"(?:have|spare|give me|get me|schedule) (?:\d+(?:\s*-\s*\d+)?|a few) minutes",
    r"(?:looking for|need) (?:a|an|my next|the next) (?:new )?(?:job|role|position|opportunity)",
    r"(?:before|planning to|plan to|about to) apply",
    r"(?:i|i've|i have) (?:already )?applied",
    r"(?:looking for|seeking|any|have) (?:a |an |any )?(?:[\w-]+ ){0,2}internships?",
    r"internship (?:opportunit(?:y|ies)|positions?|roles?)",
    r"pay range|salary|sign[- ]on bonus|relocation (?:package|assistance|support)",
)

# Saying plainly that they are not job-hunting now, or are reaching out for later. Together
# with relevant skills, this is someone worth keeping in touch with.
NOT_LOOKING_NOW_PHRASES = (
    r"not (?:actively )?(?:applying|looking|job[- ]hunting|on the (?:job )?market)",
    r"not ready to (?:apply|move|leave)",
    r"(?:don't|don\u2019t|do not) (?:plan|intend|want) to (?:apply|move) (?:yet|now)",
    r"(?:stay|keep) in touch|(?:stay|keep me) on your radar",
    r"relocat(?:e|ing|ion)",
    r"in a year or so|next year",
    r"introduce myself (?:early|before)",
)

# Distinctions recognised outside one's own employer: awards, best papers, competition wins
# and records, authorship of widely used work, standards / programme committee roles.
DISTINCTION_PHRASES = (
    r"best (?:[\w-]+ ){0,3}paper(?: award)?",
    r"(?:won|winners? of)\b[^.!?]{0,80}?"
    r"\b(?:awards?|prizes?|medals?|competitions?|challenges?|championships?|gold|first place)",
    r"(?:received|awarded|recipient of|earned)\b[^.!?]{0,60}?\b(?:awards?|prizes?|medals?)",
    r"(?:set|broke|holds?) (?:the |a )?(?!track )(?:[\w-]+ )?record",
    r"(?:competition|world|benchmark) record",
    r"(?:first|1st) place|gold medal",
    r"(?:co-?)?(?:creator|inventor|original author) (?:and [\w ]{1,30}? )?of",
    r"(?:lead|core|principal) maintainer|maintainer of",
    r"(?:created|wrote|built|author of|maintain(?:s|ed)?|maintainer of)\b[^.!?]{0,60}?"
    r"\bwidely[- ]used",
    r"\d[\d,.]*k? github stars|\d{1,3}(?:,\d{3})+ stars|\d+(?:\.\d)?k stars",
    r"convenor|convener",
    r"(?:chair|co-chair|chairperson|editor) of (?:the )?[\w\s-]{0,40}?"
    r"(?:committee|working group|standard|conference|symposium)",
    r"(?:committee|working group) (?:chair|convenor|convener|lead)",
    r"(?:ieee|acm|aaai|aaas) fellow",
    r"keynote (?:speaker|talk|address)",
)

# A distinction is discounted when its sentence says it was internal to an employer:
# "employee of the month", "spot award", "first place in our internal hackathon".
INTERNAL_AWARD_MARKERS = (
    r"internal",
    r"in-house",
    r"company-wide",
    r"of the (?:month|quarter)",
    r"spot award",
    r"employee of the",
    r"president['\u2019]s club",
    r"peer award",
)

# Shared company inboxes. Cc'ing jobs@ or careers@ is not an employee vouching for anyone.
GENERIC_INBOX_LOCAL_PARTS = (
    "jobs", "job", "careers", "career", "info", "hr", "recruiting", "recruitment",
    "recruiter", "recruiters", "talent", "hello", "contact", "hiring", "apply",
    "applications", "people", "team", "office", "admin", "support", "noreply",
)  # fmt: skip


# --- Matching helpers --------------------------------------------------------------------


def _phrase_regex(phrase: str) -> str:
    """A literal phrase as a regex: spaces/hyphens interchangeable, word-ish boundaries.

    Boundaries are look-arounds rather than \\b so skills ending in symbols ("C++", "C#")
    match, and "C" does not match inside "C++". The look-behind comes after the first
    character (it checks the one before it), so the regex engine can jump from one place
    that character appears to the next instead of trying every position."""
    words = [w for w in re.split(r"[\s\-\u2013]+", phrase.strip()) if w]
    regex = r"[\s\-\u2013]+".join(map(re.escape, words))
    first = re.escape(words[0][0])  # re.escape works character by character
    return first + r"(?<![\w+#].)" + regex.removeprefix(first) + r"(?![\w+#])"


def _any_phrase(phrases: Iterable[str]) -> Phrases:
    """One pattern for several literal phrases; never matches if none has a word in it."""
    return _phrases(tuple(phrases))


@lru_cache(maxsize=1024)
def _phrases(phrases: tuple[str, ...]) -> Phrases:
    # Case does not matter in a match; lower-cased (when that keeps its meaning: ASCII), the
    # phrase also matches fast on lower-cased text (see triage.phrases).
    phrases = tuple(p.lower() if p.isascii() else p for p in phrases if re.search(r"\w", p))
    return Phrases(map(_phrase_regex, phrases), tokens=map(_first_token, phrases))


def _first_token(phrase: str) -> str | None:
    """The token a match of the phrase must contain whole: its first run of word characters,
    "+" and "#", when the phrase starts with one and it is ASCII (see triage.phrases.Text).
    The boundaries in _phrase_regex make that run a whole token wherever the phrase matches."""
    token = re.match(r"[\w+#]+", phrase.strip())
    return token.group(0) if token and token.group(0).isascii() else None


def _compile_any(patterns: Iterable[str]) -> Phrases:
    return Phrases(patterns, before=r"\b", after=r"\b")


JOB_ASK = _compile_any(JOB_ASK_PHRASES)
# Right before a job-ask phrase, these turn it around: "I'm not looking for a job", "I'm no
# longer after an interview". Up to one word may sit between ("not actively looking for").
NEGATION = re.compile(r"(?:\bnot|n't|n\u2019t|\bno longer|\bnever)\s+(?:\w+\s+)?$", re.IGNORECASE)
NOT_LOOKING_NOW = _compile_any(NOT_LOOKING_NOW_PHRASES)
DISTINCTION = _compile_any(DISTINCTION_PHRASES)
INTERNAL_AWARD = _compile_any(INTERNAL_AWARD_MARKERS)


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: it is a cache key
class ProfilePatterns:
    """A profile's phrases, compiled. An opening matches on its skills, its full title, or
    the title before a comma ("Backend Engineer, Payments")."""

    skills: tuple[tuple[str, Phrases], ...]
    openings: tuple[tuple[Opening, Phrases], ...]
    index: PhraseIndex  # which of them a message may mention, at a glance


# Profile is frozen, so equal profiles share one compiled form, and an edited profile (a new
# Profile from the database) gets its own: nothing to invalidate.
@lru_cache(maxsize=32)
def compile_profile(profile: Profile) -> ProfilePatterns:
    skills = tuple((s, _any_phrase([s])) for s in profile.hard_to_fill_skills if s.strip())
    openings = tuple(
        (o, _any_phrase([*o.skills, o.title, o.title.split(",")[0]])) for o in profile.openings
    )
    index = PhraseIndex([p for _, p in skills] + [p for _, p in openings])
    return ProfilePatterns(skills, openings, index)


def _mentioned(facts: RequestFacts, patterns: ProfilePatterns) -> frozenset[Phrases]:
    """The profile's patterns the message may mention (the others surely do not match)."""
    if (found := facts.memo.get(patterns)) is None:
        found = facts.memo[patterns] = patterns.index.candidates(facts.texts)
    return found


# Links are not the candidate's words: ".../jobs/42-data-engineer" or ".../awards/gold/..."
# must not count as a skill or an award.
URL = Phrases([r"https?://", r"www\."], after=r"\S+")


def _matches(pattern: Phrases, facts: RequestFacts) -> Iterator[tuple[str, int, int]]:
    """(text, start, end) of each match in the subject, then the body, outside links."""
    for text, links in zip(facts.texts, facts.links, strict=True):
        for start, end in pattern.spans(text):
            if not links or not any(a <= start < b for a, b in links):
                yield text.raw, start, end


def _find(pattern: Phrases, facts: RequestFacts) -> tuple[str, ...]:
    """Every distinct match, exactly as written, in reading order."""
    if (found := facts.memo.get(pattern)) is None:
        matches = _matches(pattern, facts)
        found = facts.memo[pattern] = tuple(dict.fromkeys(t[a:b] for t, a, b in matches))
    return found


SENTENCE_ENDS = (".", "!", "?", "\n\n")


def _job_asks(facts: RequestFacts) -> tuple[str, ...]:
    """Job-ask phrases the candidate wrote, leaving out negated ones ("not looking for a job")."""
    if (found := facts.memo.get(NEGATION)) is None:
        asks = (
            text[start:end]
            for text, start, end in _matches(JOB_ASK, facts)
            if not NEGATION.search(text, max(0, start - 40), start)
        )
        found = facts.memo[NEGATION] = tuple(dict.fromkeys(asks))
    return found


def _distinctions(facts: RequestFacts) -> tuple[str, ...]:
    """Distinction phrases whose sentence does not mark them as an internal award."""
    kept = []
    for text, m_start, m_end in _matches(DISTINCTION, facts):
        start = max(text.rfind(c, 0, m_start) for c in SENTENCE_ENDS) + 1
        ends = [i for c in SENTENCE_ENDS if (i := text.find(c, m_end)) != -1]
        if not INTERNAL_AWARD.search(Text.of(text[start : min(ends, default=len(text))])):
            kept.append(text[m_start:m_end])
    return tuple(dict.fromkeys(kept))


def _skill_evidence(
    pattern: Phrases, facts: RequestFacts, mentioned: frozenset[Phrases]
) -> tuple[tuple[str, ...], str]:
    """(evidence, where) for a skill: the message's own words first; else the text read out
    of the attached files (a résumé), with `where` naming them so the reason can say so."""
    if pattern in mentioned and (evidence := _find(pattern, facts)):
        return evidence, ""
    if facts.attachment_text:
        text = Text.of(facts.attachment_text)
        links = tuple(URL.spans(text))
        spans = pattern.spans(text)
        found = (text.raw[a:b] for a, b in spans if not any(x <= a < y for x, y in links))
        if found := tuple(dict.fromkeys(found)):
            names = ", ".join(facts.attachment_names)
            return found, f"from the attached résumé ({names})" if names else "from the résumé"
    return (), ""


# (what matched, the evidence, where: "" for the message, else which attachment it came from)
SkillHit = tuple[str, tuple[str, ...], str]
OpeningHit = tuple[Opening, tuple[str, ...], str]


def _hard_skills(facts: RequestFacts, profile: Profile) -> tuple[SkillHit, ...]:
    """Each hard-to-fill skill the message (or else the attached résumé) mentions."""
    return _hits(facts, profile.patterns, "skills")


def _openings(facts: RequestFacts, profile: Profile) -> tuple[OpeningHit, ...]:
    """Each opening whose title or skills the message (or else the attached résumé) mentions."""
    return _hits(facts, profile.patterns, "openings")


def _hits(facts: RequestFacts, patterns: ProfilePatterns, kind: str) -> tuple:
    """(skill or opening, evidence, where) for each of the profile's `kind` found, worked out
    once per request: three rules ask. Without an attachment, only the patterns the message
    may mention (see _mentioned) are looked at."""
    if (found := facts.memo.get((patterns, kind))) is None:
        mentioned = _mentioned(facts, patterns)
        everything = getattr(patterns, kind)
        looked_at = (
            everything if facts.attachment_text else [x for x in everything if x[1] in mentioned]
        )
        hits = ((x, *_skill_evidence(p, facts, mentioned)) for x, p in looked_at)
        found = facts.memo[(patterns, kind)] = tuple(hit for hit in hits if hit[1])
    return found


def _from(where: str) -> str:
    return f", {where}" if where else ""


def _names(display_name: str) -> set[str]:
    """Ways a display name may carry a full name: "山田 花子 (Hanako Yamada)", "Jane Roe, PhD"."""
    raw = [display_name, display_name.split(",")[0]]
    if "(" in display_name:  # most names have no bracketed part: spare the regexes
        raw += re.findall(r"\(([^)]*)\)", display_name)
        raw.append(re.sub(r"\([^)]*\)", "", display_name))
    return {" ".join(n.split()).casefold() for n in raw if n.strip()}


def _is_employee_domain(email: str, profile: Profile) -> bool:
    domain = email.rpartition("@")[2].lower()
    return any(domain == d or domain.endswith("." + d) for d in profile.employee_domains)


def _is_generic_inbox(email: str) -> bool:
    """jobs@, careers+pgh@, talent.acquisition@ ..."""
    local = email.partition("@")[0].split("+")[0].lower()
    return re.split(r"[._-]", local)[0] in GENERIC_INBOX_LOCAL_PARTS


def _quoted(items: Iterable[str]) -> str:
    return ", ".join(f'"{" ".join(i.split())}"' for i in items)


# --- The rules, in priority order --------------------------------------------------------
# Each rule returns its reasons when it matches, or None. `Rule` below pairs it with a bucket.

RuleCheck = Callable[[RequestFacts, Profile], tuple[Reason, ...] | None]


def notable_person(facts: RequestFacts, profile: Profile) -> tuple[Reason, ...] | None:
    """Sender is on the notable-people list (by email address or exact full name)."""
    sender, names = facts.sender, _names(facts.sender.name)
    email = sender.email.lower()
    for person in profile.notable_people:
        by_email = bool(person.email) and person.email.lower() == email
        if by_email or " ".join(person.name.split()).casefold() in names:
            how = sender.email if by_email else sender.name
            note = f" ({person.note})" if person.note else ""
            text = f"Sender is on the notable-people list: {person.name}{note}"
            return (Reason(text, (how,)),)
    return None


def distinguished_record(facts: RequestFacts, profile: Profile) -> tuple[Reason, ...] | None:
    """A distinguished record in a hard-to-fill skill.

    Awards, best papers, competition wins or records, creating a widely used project, chairing
    a standards committee. Internal company awards do not count, nor does mere experience."""
    # Skills first: the later rules need them anyway, and most messages name none, which
    # spares looking for distinctions.
    if not (skills := _hard_skills(facts, profile)) or not (distinctions := _distinctions(facts)):
        return None
    return (
        Reason(f"Distinguished record: {_quoted(distinctions)}", distinctions),
        Reason(
            f"In a hard-to-fill skill: {', '.join(s + _from(where) for s, _, where in skills)}",
            tuple(e for _, ev, _ in skills for e in ev),
        ),
    )


def employee_introduction(facts: RequestFacts, profile: Profile) -> tuple[Reason, ...] | None:
    """An employee is copied on the request (an employee-domain address in To or Cc).

    The recruiter and shared inboxes (jobs@, careers@) do not count. Only a copied employee
    counts: naming an employee in the text ("I follow your CTO's talks") is unverifiable."""
    skip = {profile.recruiter_email.lower(), facts.sender.email.lower()}
    introducers = [
        a
        for a in (*facts.to, *facts.cc)
        if a.email.lower() not in skip
        and _is_employee_domain(a.email, profile)
        and not _is_generic_inbox(a.email)
    ]
    reasons = []
    for a in dict.fromkeys(introducers):
        named = _find(_any_phrase([a.name]), facts)
        said = " and named in the message" if named else ""
        who = f"{a.name} <{a.email}>" if a.name else a.email
        text = f"Introduced by an employee, copied on the email{said}: {who}"
        reasons.append(Reason(text, (a.email, *named)))
    return tuple(reasons) or None


def known_contact(facts: RequestFacts, profile: Profile) -> tuple[Reason, ...] | None:
    """Sender's address is on the recruiter's contacts list (an existing relationship)."""
    email = facts.sender.email.lower()
    for person in profile.contacts:
        if person.email and person.email.lower() == email:
            note = f" ({person.note})" if person.note else ""
            return (
                Reason(f"Sender is a known contact: {person.name}{note}", (facts.sender.email,)),
            )
    return None


def relevant_skills_no_job_ask(facts: RequestFacts, profile: Profile) -> tuple[Reason, ...] | None:
    """Relevant skills from someone who is not asking for a job now.

    The message mentions an opening (title or skills) or a hard-to-fill skill, says they are
    not job-hunting yet (relocating later, not applying yet), and asks for no job, referral,
    interview or meeting."""
    openings, skills = _openings(facts, profile), _hard_skills(facts, profile)
    not_now = _find(NOT_LOOKING_NOW, facts)
    if not (openings or skills) or not not_now or _job_asks(facts):
        return None
    return (
        *_skill_reasons(openings, skills),
        Reason(f"Not asking for a job now: {_quoted(not_now)}", not_now),
    )


def funnel_default(facts: RequestFacts, profile: Profile) -> tuple[Reason, ...] | None:
    """Everyone else: kindly decline and point them to the careers site."""
    openings, skills = _openings(facts, profile), _hard_skills(facts, profile)
    asks = _job_asks(facts)
    if not (openings or skills):
        summary = "No relationship, introduction or rare skill found"
    elif asks:
        summary = "Relevant skills but no relationship or distinction, and asking for a job now"
    else:
        summary = "Relevant skills but no relationship or distinction, and no sign of waiting"
    reasons = [Reason(f"{summary}; point them to the careers site ({profile.careers_url}).")]
    if asks:
        reasons.append(Reason(f"Asks for a job, interview or meeting now: {_quoted(asks)}", asks))
    reasons.extend(_skill_reasons(openings, skills))
    return tuple(reasons)


def _skill_reasons(openings: tuple[OpeningHit, ...], skills: tuple[SkillHit, ...]) -> list[Reason]:
    reasons = [
        Reason(f"Matches open role {o.title} ({o.url}): {_quoted(ev)}{_from(where)}", ev)
        for o, ev, where in openings
    ]
    reasons += [
        Reason(f"Mentions hard-to-fill skill: {s}{_from(where)}", ev) for s, ev, where in skills
    ]
    return reasons


# --- Putting it together -----------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """A rule check and the bucket it sends a request to."""

    check: RuleCheck
    bucket: Bucket
    fallback: bool = False  # matches everything; not reported in `also_matched`

    @property
    def name(self) -> str:
        return self.check.__name__

    @property
    def description(self) -> str:
        """The first line of the check's docstring."""
        return (self.check.__doc__ or "").strip().splitlines()[0]

    def __call__(self, facts: RequestFacts, profile: Profile) -> Verdict | None:
        reasons = self.check(facts, profile)
        return Verdict(self.bucket, self.name, reasons) if reasons else None


RULES: tuple[Rule, ...] = (
    Rule(notable_person, Bucket.EXCEPTIONAL),
    Rule(distinguished_record, Bucket.EXCEPTIONAL),
    Rule(employee_introduction, Bucket.NETWORK),
    Rule(known_contact, Bucket.NETWORK),
    Rule(relevant_skills_no_job_ask, Bucket.NETWORK),
    Rule(funnel_default, Bucket.FUNNEL, fallback=True),
)


class RuleInfo(NamedTuple):
    name: str
    description: str
    bucket: Bucket


def describe_rules() -> tuple[RuleInfo, ...]:
    """For the UI: each rule's name, one-line description and bucket, in priority order."""
    return tuple(RuleInfo(r.name, r.description, r.bucket) for r in RULES)


def matching_openings(facts: RequestFacts, profile: Profile) -> list[Opening]:
    """The open roles the message mentions (title or skills), most mentions first."""
    found = _openings(facts, profile)
    return [o for o, _, _ in sorted(found, key=lambda hit: len(hit[1]), reverse=True)]


@dataclass(frozen=True)
class RuleSet:
    """The rules a team runs, in order, as edited on the Rules page (see rule_conditions).

    `rules` are callables like `Rule`: a name, a `fallback` flag, and (facts, profile) ->
    Verdict | None; the last one is the fallback. `version` is the saved version that made it
    (None for the code's own order)."""

    rules: tuple[Rule, ...]
    version: int | None = None


DEFAULT_RULE_SET = RuleSet(RULES)


def classify(facts: RequestFacts, profile: Profile, rule_set: RuleSet | None = None) -> Verdict:
    """Evaluate every rule; the first match decides, the others are listed in also_matched.

    The fallback (funnel_default) matches everything, so it is only listed when it decides.
    Without a rule set, the built-in rules run in the order above."""
    ordered = (rule_set or DEFAULT_RULE_SET).rules
    matches = [(rule, v) for rule in ordered if (v := rule(facts, profile))]
    (_, winner), *others = matches
    also = tuple(v.rule for rule, v in others if not rule.fallback)
    return Verdict(winner.bucket, winner.rule, winner.reasons, also)
