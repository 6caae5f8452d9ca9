"""The triage policy: which bucket a candidate's request belongs in, and why.

The built-in rules, in the order this file gives them; the first one that matches decides:

1. notable_person             -> exceptional  (on the notable-people list)
2. distinguished_record       -> exceptional  (a recognised role or creation near a hard skill)
3. employee_introduction      -> network      (an employee is cc'd, or writes to introduce)
4. known_contact              -> network      (an existing relationship: a contact, our own
                                               thread, thanks for a conversation we had)
5. relevant_skills_no_job_ask -> network      (relevant skills, not now: a later availability)
6. funnel_default             -> funnel       (everyone else: apply on the careers site)

The order in force comes from the database, not from this file. Recruiters reorder, switch
off and add rules on the Rules page (or with import_config); each change saves the
TriageRule rows as a RuleSetVersion snapshot. Triage runs the newest snapshot
(services/rulebook.current_rulebook, compiled by rule_conditions.compile_rule_set): its
enabled rules, built-in and custom, in their saved order, then any built-in rule the snapshot
does not list yet, then funnel_default, always last. The list starts as this file's order
(migration 0011 saved it as version 1), and a rule new in this file is added as a TriageRule
row after the others, switched on (services/rulebook.sync_builtin_rules). Only a database
with no saved version at all runs RULES as written below.

Everything company-specific (names, domains, skills, openings) comes from the Profile; the
only vocabulary here is generic English (tests/test_rule_concepts.py checks it for every
labeled company's words). `classify(facts, profile, rule_set)` is a pure function: no ORM, no
settings, no clock. How phrases and concepts are found (whole words, links left out,
negations, sentences, word forms by the Snowball stemmer, skills named in other words,
résumés) is triage/matching.py.

Sections: the types; the rules; the vocabulary they look for; what the message says (the
rules' questions, answered through matching); the order and `classify`.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property, lru_cache
from typing import NamedTuple

from triage import matching
from triage.matching import Words

# --- The types ---------------------------------------------------------------------------


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

    @property
    def phrases(self) -> tuple[str, ...]:
        """A message mentions an opening by one of its skills, its full title, or the title
        before a comma ("Backend Engineer" of "Backend Engineer, Payments")."""
        return (*self.skills, self.title, self.title.split(",")[0])


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
    def notable(self) -> tuple[dict[str, int], dict[str, int]]:
        """Where each notable person is on the list, by email address and by full name
        (spaces tidied, case folded), worked out once per Profile."""
        by_email: dict[str, int] = {}
        by_name: dict[str, int] = {}
        for i, person in enumerate(self.notable_people):
            if person.email:
                by_email.setdefault(person.email.lower(), i)
            by_name.setdefault(" ".join(person.name.split()).casefold(), i)
        return by_email, by_name

    @cached_property
    def catalogue(self) -> matching.Catalogue:
        """The skills and openings, compiled once per Profile."""
        openings = tuple((o, o.phrases) for o in self.openings)
        return matching.catalogue(self.hard_to_fill_skills, openings)


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
    # Our side of the thread, as the facts builder found it: the attribution lines of the
    # history the message quotes ("On 2 Mar, Jo Recruiter <jo@…> wrote:"), and whether it
    # answers a message we sent (its In-Reply-To or References name one of our replies).
    quoted_authors: tuple[str, ...] = ()
    we_wrote_before: bool = False

    @cached_property
    def sentences(self) -> tuple[matching.Sentence, ...]:
        """The body's sentences with their words' stems, for the rules' concepts."""
        return matching.sentences(matching.without_links(self.body))

    def sentences_for_skills(self, company: str) -> tuple[matching.Sentence, ...]:
        """The sentences, the company's own name left out: "Acme Widgets' vacancies" say
        nothing of the sender's skills in widgets."""
        name = " ".join(company.split()).lower()
        lower = self.scan.texts[1].lower or self.body.lower()
        if len(name) < 3 or name not in lower:  # most messages do not name the company
            return self.sentences
        if (found := self._sentences_for_skills.get(name)) is None:
            blank = re.compile(re.escape(name).replace(r"\ ", r"\s+"), re.IGNORECASE)
            text = blank.sub(lambda m: " " * len(m.group()), matching.without_links(self.body))
            found = self._sentences_for_skills[name] = matching.sentences(text)
        return found

    @cached_property
    def _sentences_for_skills(self) -> dict[str, tuple[matching.Sentence, ...]]:
        return {}

    @cached_property
    def vocabulary(self) -> matching.Vocabulary:
        """All the body's words and stems: whether a concept may be in it at all."""
        return matching.Vocabulary.of(self.scan.texts[1])

    @cached_property
    def scan(self) -> matching.Scan:
        """The texts prepared once for matching, however many rules ask."""
        return matching.Scan(self.subject, self.body, self.attachment_names, self.attachment_text)


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


# --- The rules, in priority order --------------------------------------------------------
# Each rule returns its reasons when it matches, or None. `Rule` below pairs it with a bucket.
# The first line of a docstring is the rule's description on the Rules page.

RuleCheck = Callable[[RequestFacts, Profile], tuple[Reason, ...] | None]


def notable_person(facts: RequestFacts, profile: Profile) -> tuple[Reason, ...] | None:
    """Sender is on the notable-people list (by email address or exact full name).

    The full name counts from any address, in any case and spacing, also as the part before
    a comma ("Jane Roe, PhD") or inside or outside brackets ("山田 花子 (Hanako Yamada)").
    A first name alone, or a name in the text, does not."""
    by_email, by_name = profile.notable
    email = facts.sender.email.lower()
    names = matching.display_names(facts.sender.name)
    found = [by_name[n] for n in names if n in by_name]
    found += [by_email[email]] if email in by_email else []
    if not found:
        return None
    person = profile.notable_people[min(found)]  # the first on the list, as it is ordered
    how = facts.sender.email if person.email.lower() == email else facts.sender.name
    note = f" ({person.note})" if person.note else ""
    text = f"Sender is on the notable-people list: {person.name}{note}"
    return (Reason(text, (how,)),)


def distinguished_record(facts: RequestFacts, profile: Profile) -> tuple[Reason, ...] | None:
    """A distinguished record in a hard-to-fill skill.

    Either a recognised role or creation near one of the company's hard-to-fill skills (in
    the same sentence, or the one just before or after), in any word form and order:
    - a role: chair, convenor, rapporteur or editor of a committee, working group, standard
      or guideline ("chaired the working group", "led the committee that wrote the
      standard", "headed the task group", "chaired the shared task", "co-chaired the
      challenge"); a rapporteur or convenor of any body; core developer, lead maintainer,
      committer, creator, inventor, principal designer or architect (a lead or principal
      developer, architect or designer of a thing; at an employer it is a job title: "lead
      developer at a small co-op");
    - a creation the field uses: created, invented, pioneered, devised, wrote, designed,
      built or maintains something that many, half or most in the field use, deploy, rely
      on, follow, include ("most packages include it", "vendors bundle it"), feed their data
      into, have it sit behind their systems ("sits behind the screens of most brokers"; not
      "behind our ..."), or go on building on ("what most later work builds on", "each
      vendor builds its kits on it"), that a body of the field gives out or makes its own
      ("the trade association gives to its members", "the manufacturer put into its
      handbook"), or that became a standard ("has been the standard in
      national inventories"), a standard practice, a reference or a baseline; or their own
      work, in a sentence that begins with it and says it is in use at the field's scale
      ("My library is deployed in 60 banks"), became its standard ("My model is now the
      reference method") or is what many measure against. Being the one behind it,
      responsible for it, coming up with it or leading it is making it, and so is keeping
      it ("the person behind the library most operators rely on", "leads the project most
      archives run", "keeps it going and merges every change"; not "leads the team").
      In a message that introduces or forwards someone, the record is told in the third
      person: "she wrote", "he's the person behind", "Her model is now the reference
      method"; in a candidate's own message, what someone else made ("my supervisor
      wrote", "her model") is not theirs; nor is writing to someone ("wrote to me") making.
    The skill is near when the sentence or a neighbour names it (its words in any spelling
    or form: "colour" of "color", "geologist" of "geology"; for a creation whose use the
    next sentence tells, the one after that too), or when the role's sentence has one of its
    words and a neighbour the rest ("I chair the group revising the X standard. ... your Y
    lines."), or, for a creation told by what it does, when its sentences have a
    distinctive word of the skill and the message or its subject names the skill elsewhere
    (or the rest of it: "Subject: Hello - sign language"). Their own
    creation is not the field's when an agent noun ("publishers"), a job title ("Design
    Engineer"), their own side's or employer's use ("we now run 30 tests", "most
    departments at the university"), people at large or amateurs ("hundreds of people
    downloaded it"), or a portfolio piece or side project is all there is.
    Or a distinction recognised outside one's employer (DISTINCTION_PHRASES: an award, a
    prize, a best or most-cited paper, a record, a fellowship, a keynote; an honour received
    without a name: "was given a national prize", "recognised with an international award",
    "honoured by the society", "the society gave me its highest honour", "got an award",
    "awarded a two-year fellowship to work on", not one applied for or nominated for, nor a
    fellowship that is a job or training; or an honour known by its name: "a Humboldt
    Research Fellowship", "won the Kestrel"; its sentence quoted) with a hard-to-fill
    skill in the message or its subject, by name, acronym ("WPD" of "widget paint drying";
    one with a digit in any case, "x509-lint" of "X509") or most of its words (in one
    sentence, or spread over the sentences around the distinction), or else the attached
    résumé; not a skill whose words are only in the title of an opening they name ("apply
    for the Widget Engineer role").
    Not distinction: passion, years of experience, courses, tutorials or things made for fun
    or friends (SELF_DESCRIBED; "a hobby horse" is a pet subject, not a hobby), anything
    internal to an employer (INTERNAL_AWARD_MARKERS: "named my employer's Colleague of the
    Year"), a distinction only the subject line claims, and a distinction in a skill the
    company does not list."""
    # Skills first: the later rules need them anyway, and most messages name none, which
    # spares looking for distinctions.
    distinctions = _distinctions(facts)
    if not distinctions and not _may_name_honours(facts):
        return _distinction_near_skill(facts, profile)
    skills = _hard_skills(facts, profile) or _hard_skills_in_other_words(facts, profile)
    if not (skills := _theirs_not_the_role(facts, profile, skills)):
        # Or most of a skill's words in the sentences around the distinction ("I tune the
        # engines that clear the market. That work won us the X Award. Pricing is ...").
        distinctions = distinctions or _named_honours(facts)
        skills = _hard_skills_around(facts, profile, distinctions)
        if not (skills := _theirs_not_the_role(facts, profile, skills)):
            return _distinction_near_skill(facts, profile)
    # A named honour only when a hard skill is named (most messages name none).
    if not (distinctions := distinctions or _named_honours(facts)):
        return _distinction_near_skill(facts, profile)
    kind = f"a distinction recognised outside an employer ({_quoted(distinctions)})"
    said = _sentence_with(facts, distinctions[0])
    return (
        Reason(
            f"Distinguished record, {kind}" + (f': "{_shortened(said)}"' if said else ""),
            (*distinctions, said) if said else distinctions,
        ),
        Reason(
            f"In a hard-to-fill skill: {', '.join(s + _from(where) for s, _, where in skills)}",
            tuple(e for _, ev, _ in skills for e in ev),
        ),
    )


def employee_introduction(facts: RequestFacts, profile: Profile) -> tuple[Reason, ...] | None:
    """An employee is copied on the request (an employee-domain address in To or Cc).

    An employee address is one on an employee domain or a subdomain of one. The recruiter,
    the sender and shared inboxes (GENERIC_INBOX_LOCAL_PARTS: jobs@, careers@) do not count.
    Only a copied employee counts: naming an employee in the text ("I follow your CTO's
    talks") is unverifiable. An employee who writes themselves to introduce or forward
    someone (INTRODUCING: "meet Roel", "forwarding below", "I'd vouch for her"; or "I said I'd
    pass his name along") counts too."""
    if sender := _employee_introducing(facts, profile):
        return sender
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
        named = facts.scan.find(matching.any_phrase([a.name]))
        said = " and named in the message" if named else ""
        who = f"{a.name} <{a.email}>" if a.name else a.email
        text = f"Introduced by an employee, copied on the email{said}: {who}"
        reasons.append(Reason(text, (a.email, *named)))
    return tuple(reasons) or None


def known_contact(facts: RequestFacts, profile: Profile) -> tuple[Reason, ...] | None:
    """An existing relationship: a known contact, a conversation we had, or our own thread.

    Any of: the sender's address is on the recruiter's contacts list; the message thanks us
    for a conversation that already happened ("thanks for the call yesterday", "for taking
    the time to speak with me this afternoon", "I enjoyed our conversation last week"), or
    for the conversation itself, no day named ("thanks for the call", "for speaking with me",
    "danke für das Gespräch"); not "thanks for connecting" or "for reading", nor a call still
    to come or a chance of one ("thanks for the chance to talk"), nor a talk they watched
    among many ("thanks for yesterday's webinar"), nor "thank you again for your time", a
    courtesy that names no conversation and no day; thanks may be in the writer's own
    language ("merci for the call", "dziękuję za rozmowę"); from someone who asks for no job
    or meeting now, thanks for a visit or a tour (an open day, being shown round) and words
    only someone we spoke with writes ("as we discussed", "great meeting you at the fair",
    "good to see you again", "you asked me to write"); it answers a message we sent; or the
    history it quotes was written by the recruiter ("On …, <recruiter> wrote:", "Am …
    schrieb <recruiter>:", "Von: <recruiter>"), not by a machine (an automatic
    acknowledgement from no-reply@ is not our recruiter writing). A claim alone ("we may have
    met at a conference"), or such words beside a job ask, is not one."""
    if relationship := _our_thread(facts, profile) or _thanks_for_a_conversation(facts):
        return relationship
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

    All three: the message (or else the attached résumé) mentions an opening (a skill or its
    title) or a hard-to-fill skill; it says plainly they are not job-hunting now
    (NOT_LOOKING_NOW_PHRASES: not looking yet, keep in touch, "I'll get back in touch then",
    "not before the spring"; or a later availability, in one sentence or right after the one
    that names the time ("... through October; I'm free after that"): free, moving, able to
    talk or switch at a time ahead, that is a month or a season, a year or months ahead in
    words ("next academic year", "in about a year", "in six months"; not "for several
    years", "next month"), or the end of a commitment still running (a contract, a notice
    period, a leave, a PhD, a visa or a permit still to come: "once it's through"); or a
    commitment, or the writer now, bound until such a time ("on a contract until summer
    2028", "I'm on secondment until the autumn"); not a sentence that says now, "ready to
    relocate immediately", nor one in the past, "moved in 2019", "last autumn"); and it
    asks for no job, referral or interview (JOB_ASK_PHRASES: announcing or meaning to
    apply, asking to be referred, recommended or introduced, a competing offer waiting for
    their answer) and no meeting (MEETING_ASK_PHRASES) now (an ask turned around by a
    negation just before it, "I'm not looking for a job", is not one; nor is a meeting for
    later, "an informational interview later in the year", nor applying for a visa)."""
    # The cheap questions first: most requests stop at one of them.
    if _job_asks(facts) or _meeting_asks(facts):
        return None
    if not (not_now := facts.scan.find(NOT_LOOKING_NOW) or _later_availability(facts)):
        return None
    openings, skills = _openings(facts, profile), _hard_skills(facts, profile)
    if not (openings or skills):
        skills = _skills_in_other_words(facts, profile)
    if not (openings or skills):
        return None
    return (
        *_skill_reasons(openings, skills),
        Reason(f"Not asking for a job now: {_quoted(not_now)}", not_now),
    )


def funnel_default(facts: RequestFacts, profile: Profile) -> tuple[Reason, ...] | None:
    """Everyone else: kindly decline and point them to the careers site.

    Always matches. Its reasons say which case it is (nothing relevant; relevant skills with
    a job ask; relevant skills and nothing saying they are not looking now), with the asks
    and skills found. (Not "no sign of waiting": beside an urgent deadline it read as a
    contradiction.)"""
    openings, skills = _openings(facts, profile), _hard_skills(facts, profile)
    asks, meetings = _job_asks(facts), _meeting_asks(facts)
    if not (openings or skills):
        summary = "No relationship, introduction or rare skill found"
    elif asks:
        summary = "Relevant skills but no relationship or distinction, and asking for a job now"
    elif meetings:
        summary = "Relevant skills but no relationship or distinction, and asking for a meeting now"
    else:
        summary = (
            "Relevant skills but no relationship or distinction, and nothing saying they are "
            "not looking now"
        )
    reasons = [Reason(f"{summary}; point them to the careers site ({profile.careers_url}).")]
    if asks:
        reasons.append(Reason(f"Asks for a job, a referral or an interview: {_quoted(asks)}", asks))
    if meetings:
        reasons.append(Reason(f"Asks for a meeting now: {_quoted(meetings)}", meetings))
    reasons.extend(_skill_reasons(openings, skills))
    return tuple(reasons)


# --- The vocabulary the rules look for ---------------------------------------------------
# Regex fragments, matched case-insensitively on word boundaries. They describe how people
# write, not any particular company, so they apply to every profile.

# What is applied for when it is not a job: "applied for permanent residence".
NOT_FOR_A_JOB = (
    r"(?!(?: (?:for|to))?(?: [\w-]+){0,3} (?:residen\w*|visas?|permits?|citizenship|passports?"
    r"|asylum|grants?|funding|fellowships?|scholarships?|mortgages?|leave|universit\w*|schools?"
    r"|phds?|masters?|programmes?|programs?)\b)"
)

# A request for a job, an interview or a meeting *now*. Any of these sends an otherwise
# "network" request to the funnel: the careers site is the path for people who want in now.
JOB_ASK_PHRASES = (
    r"(?:are|is) (?:you|you guys|your team|\w+) hiring|hiring right now",
    r"any (?:[\w-]+ )?"
    r"(?:openings?|open (?:roles?|positions?)|positions?|roles?|opportunities|jobs?"
    r"|vacanc(?:y|ies))",
    r"consider me for",
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
    r"refer (?:me|him|her|them)|referring me|referrals?",
    # Passing on their CV is a job ask; "could you pass this on" (an offer of their work, a
    # study) is one only when it goes to whoever hires.
    r"pass (?:along |on )?my (?:resume|cv|profile|details|application)(?: along| on)?",
    r"pass (?:it|this|them) (?:along|on) to (?:the |your |a )?(?:hiring|recruit\w*|talent)",
    r"put in a (?:good )?word",
    # Asking to be recommended or introduced to whoever hires.
    r"recommend me|vouch for me|(?:introduce|introducing) me to|connect me (?:with|to)"
    r"|put me in touch with",
    r"(?:forward|forwarding|share|sharing|flag|flagging|pass|passing) my "
    r"(?:cv|resume|profile|details|name)",
    r"submitted (?:my|an) application",
    r"(?:uploaded|submitted|sent|sent in|sent off) my (?:cv|resume|details)",
    r"(?:put in|sent in|made|filed) an application",
    r"(?:like|love|want|wish|hope|hoping) to be considered",
    # Applied for a job, not for a visa, a residence or a grant.
    r"applied (?:for|to) (?:the|your|a|an)" + NOT_FOR_A_JOB,
    # Each alternative starts with its own words, so the regex engine can jump to them.
    *(
        rf"{start} (?:a|an|the|your) (?:[\w-]+ ){{0,4}}(?:role|position|job|opening|vacancy)"
        for start in ("apply for", "applying for", "interested in", "interest in", "considered for")
    ),
    # Their CV sent for a job ("for your files" is no job).
    r"my (?:cv|resume) for (?:a|an|the|your) (?:[\w-]+ ){0,4}(?:role|position|job|opening|vacancy"
    r"|post)",
    r"(?:to|with|let|front of) (?:the|your) hiring (?:manager|team)",
    r"my (?:candidature|candidacy)",
    r"send my (?:cv|resume) to|(?:who|whom|where) (?:[\w']+ ){0,3}send (?:my|a|the) (?:cv|resume)",
    r"(?:appreciate|like|love|grateful for|ask for|request) an? introduction to",
    # An interview for a job, not the word alone ("an informational interview" is above).
    "interview(?:"
    + "|".join(rf"(?<=\b{w} interview)" for w in ("job", "an", "first", "final", "next"))
    + ")s?",
    r"interview(?:s|ed|ing)? (?:for|with (?:you|your|the))",
    "interview"
    + "(?:"
    + "|".join(rf"(?<=\b{w} interview)" for w in ("can i", "could i", "can we", "may i"))
    + ")",
    r"available (?:immediately|right away|right now)",
    r"(?:looking for|need) (?:a|an|my next|the next) (?:new )?(?:job|role|position|opportunity)",
    r"(?:before|planning to|plan to|about to) apply",
    r"(?:i|i've|i have|and) (?:already |just |recently |now |also )?applied" + NOT_FOR_A_JOB,
    r"(?:hope|hoping) (?:of|for) (?:a|an) (?:[\w-]+ ){0,3}(?:position|role|job|opening|place)",
    r"(?:chance|possibility|opportunity|way) (?:to|of) (?:join|joining) (?:your|the|you)",
    r"help me (?:to )?(?:find|get|land|secure) (?:a |an )?(?:[\w-]+ ){0,2}(?:job|role|position"
    r"|interview)|help me (?:to )?get (?:into|in at)",
    # Help with an application about to go in: "before applying", "feedback on my CV".
    r"before (?:i )?applying|before i apply",
    r"(?:feedback|opinion|advice|comments?|thoughts) on my (?:cv|resume|application|cover letter)",
    r"(?:review|check|look at|look over) my (?:cv|resume|application)",
    # Meaning to apply, announced: "I'd like to apply", "I'm keen to apply", "I'd like to put
    # myself forward" (turned around by a negation: "I'm not going to apply now").
    r"(?:like|love|want|wish|intend|writing|keen|eager|hoping|hope|decided|going|ready) to "
    r"apply",
    r"put (?:myself|my name|me) forward|be put forward|(?:throw|throwing|threw) my hat",
    r"(?:hereby|herewith) apply",
    # "applying" first, so only texts with the word are searched ("i am" is in most).
    "applying"
    + "(?:"
    + "|".join(rf"(?<=\b{w} applying)" for w in ("i am", "i'm", "i\u2019m", "hereby"))
    + ")",
    r"(?:looking for|seeking|any|have) (?:a |an |any )?(?:[\w-]+ ){0,2}internships?",
    r"(?:looking for|seeking|any) (?:a |an |any )?(?:[\w-]+ ){0,2}(?:placements?|traineeships?"
    r"|apprenticeships?)",
    r"internship (?:opportunit(?:y|ies)|positions?|roles?)",
    # Asking to be taken on as one: "do you take interns", "would you accept an intern".
    r"(?:take|taking|accept|accepting|hire|hiring|need|want) (?:on )?(?:any |an |a |more )?"
    r"(?:[\w-]+ )?interns?",
    r"pay range|salary|sign[- ]on bonus|relocation (?:package|assistance|support)",
    # A competing offer waiting for their answer: they want one from us now.
    r"(?:competing|another|other|second|rival) (?:job )?offers?",
    r"(?:made|given|extended) me an? (?:job |firm )?offer",
    r"(?:got|received|holding) an? (?:job |firm )?offer(?! to (?:stay|extend|remain|renew))",
    r"offer (?:from|with) (?:a|an|another|the)",
    r"offer (?:that |which )?expires",
)

# A meeting asked for now: a call, a coffee, an informational interview. Not a job ask (the
# "interview" in "informational interview" is not a job interview), but someone who wants our
# time now is not waiting for later either, so it too keeps a request out of "network later".
MEETING_ASK_PHRASES = (
    r"informational (?:interview|chat|call|meeting)",
    r"coffee chat|virtual coffee|pick your brain",
    r"(?:schedule|set up|hop on|jump on) (?:a|an) (?:short |quick |brief )?"
    r"(?:call|interview|time|chat|meeting)",
    r"\d+(?:\s*-\s*\d+)?[- ]minutes? (?:of your time|with (?:you|your))",
    r"(?:have|spare|give me|get me|schedule) (?:\d+(?:\s*-\s*\d+)?|a few) minutes",
    r"(?:time|free|available) for a (?:short |quick |brief )?(?:call|chat|coffee|meeting)",
    r"(?:grab|get) (?:a )?coffee|meet (?:up )?for (?:a )?coffee",
    r"(?:can|could) we (?:meet|talk|speak|chat)",
)

# Right before a job ask, these turn it around: "I'm not looking for a job", "I'm no longer
# after an interview", "I don't need a referral". Up to one word may sit between ("not
# actively looking for").
NEGATING_WORDS = ("not", "no longer", "never")
NEGATING_ENDINGS = ("n't", "n\u2019t")  # don't, isn’t

# Saying plainly that they are not job-hunting now, or are reaching out for later. Together
# with relevant skills, this is someone worth keeping in touch with.
NOT_LOOKING_NOW_PHRASES = (
    r"not (?:actively |currently )?"
    r"(?:applying|looking|seeking|job[- ]hunting|on the (?:job )?market)",
    r"not (?:yet )?ready to (?:apply|move|leave|make (?:a|the) (?:move|change|switch|jump))",
    r"not (?:planning|looking|able) to (?:move|leave|switch|apply)",
    r"not in a position to (?:move|leave|switch|apply)",
    r"(?:happy|content|settled) (?:where i am|in my current (?:role|job|position))",
    # "In the future" alone closes many an application: it counts as a time ahead only with
    # a word of availability (see _later_availability: "happy to talk in the future").
    r"down the (?:road|line)",
    r"timing (?:isn't|isn\u2019t|is not) right",
    r"can(?:'t|\u2019t|not) consider a move",
    r"(?:don't|don\u2019t|do not) (?:plan|intend|want) to (?:apply|move) (?:yet|now)",
    r"(?:stay|keep) in touch|on your radar|keep (?:me|my (?:name|details)) in mind",
    # Offering to write again later: "I'll get back in touch then", "check back in spring".
    r"(?:get|be) back in touch|get in touch again|reach out again|check back|staying put",
    r"write (?:to you )?again",
    r"(?:touch base|circle back|reconnect) (?:again|later|then|once|when|after|in|next)",
    r"keep the door open|(?:keep|stay) in contact",
    # The writer offering it, not asking us to: not "please be in touch if there is a role".
    r"(?:i'll|i\u2019ll|i will|like to|love to|happy to|glad to) be in touch",
    # A time named as the earliest: "not before the spring", "not until next year".
    r"not (?:before|until|till) (?:the |next |early |late |mid-?)?(?:january|february|march"
    r"|april|may|june|july|august|september|october|november|december|spring|summer|autumn"
    r"|fall|winter|new year|next year|then|20\d\d|q[1-4])",
    r"keep the conversation going",
    r"in a year or so|next year",
    r"introduc(?:e|ing) myself (?:early|before|ahead|in advance)|ahead of time",
    r"nothing (?:to ask|urgent)|no (?:rush|action needed|need to (?:reply|respond|answer))",
    r"not asking (?:you )?for anything",
)

# Distinctions recognised outside one's own employer: awards, best papers, competition wins
# and records, authorship of widely used work, standards / programme committee roles.
DISTINCTION_PHRASES = (
    r"best (?:[\w-]+ ){0,3}paper(?: award)?",
    r"(?:won|winners? of)\b[^.!?]{0,80}?"
    r"\b(?:awards?|prizes?|medals?|competitions?|challenges?|championships?|gold|first place)",
    # Received, in any tense, not hoped for ("to receive"); or got.
    r"(?:(?<!to )receive[sd]?|awarded|recipient of|earned|got)\b[^.!?]{0,60}?"
    r"\b(?:awards?|prizes?|medals?)",
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
    r"(?:keynote|plenary) (?:speaker|talk|address)",
    r"(?:most|highly|widely)[- ]cited|landmark (?:paper|study|trial)",
    r"(?:award|prize|medal)[- ]winning|laureate",
    r"(?:honou?red (?:with|by)|presented with|elected (?:a )?fellow)",
    # An honour without a name, received: "was given a national prize", "recognised with an
    # international award", "took first prize".
    r"(?:was|were|been) given\b[^.!?]{0,40}?\b(?:awards?|prizes?|medals?)",
    r"recogni[sz]ed with\b[^.!?]{0,40}?\b(?:awards?|prizes?|medals?)",
    r"(?:first|1st|top|grand) prize",
    # Given by a body: "the association gave me its lifetime award", "their highest honour".
    r"(?:gave|give|gives) (?:me|him|her|us|them) (?:its|their|the|a|an)\b[^.!?]{0,40}?"
    r"\b(?:awards?|prizes?|medals?|honou?rs?)",
    r"highest honou?r",
    # A fellowship received or held ("awarded a two-year fellowship to work on", "on a
    # fellowship"): not one that is a job or training ("a teaching fellowship"), nor one
    # applied for.
    r"(?:(?:awarded|granted|won|received|earned|given|held|holds?)\b[^.!?]{0,50}?|on (?:a|an) "
    r"(?:[\w-]+ ){0,3}?)(?<!clinical )(?<!teaching )(?<!training )(?<!graduate )fellowships?",
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
    # Named by their own employer: "named my employer's Colleague of the Year".
    r"(?:my|our) (?:[\w-]+ ){0,3}?[\w-]+['\u2019]s (?:[\w-]+ ){0,4}?of the year",
)

# Shared company inboxes. Cc'ing jobs@ or careers@ is not an employee vouching for anyone.
GENERIC_INBOX_LOCAL_PARTS = (
    "jobs", "job", "careers", "career", "info", "hr", "recruiting", "recruitment",
    "recruiter", "recruiters", "talent", "hello", "contact", "hiring", "apply",
    "applications", "people", "team", "office", "admin", "support", "noreply",
)  # fmt: skip
# Machine senders, however the parts are joined ("no-reply", "do_not_reply"): an automatic
# acknowledgement they sent is not our recruiter writing.
AUTOMATED_LOCAL_PARTS = ("noreply", "donotreply", "notifications", "mailerdaemon", "autoreply")

# Concepts: words in any form (matching.Words), looked for together in one sentence.
# Distinction, a role: a title with a body it serves ("chaired the working group").
ROLE_TITLES = Words(
    "chair co-chair vice-chair chairman chairwoman chairperson convenor convener rapporteur "
    "editor fellow"
)
BODIES = Words(
    "committee subcommittee group workgroup standard specification profile council board panel "
    "consortium taskforce commission federation association conference symposium foundation "
    "journal spec society academy institute guideline challenge"
)
# Heading a committee: "led the committee that wrote the standard", "headed the task group",
# "chaired the shared task" (an evaluation campaign the field holds).
LEADING = Words("led lead headed head chaired convened steered")
COMMITTEES = Words("committee subcommittee consortium taskforce workgroup commission")
GROUP_KINDS, GROUPS = Words("working work task shared"), Words("group force task")
SENIORITY = Words("core lead principal original")  # followed by one of ROLE_NOUNS
ROLE_PEOPLE = frozenset(
    "developer maintainer contributor committer architect designer author".split()  # noqa: SIM905
)  # as written: the person, not the work ("development") that shares the stem
ROLE_NOUNS = Words(" ".join(sorted(ROLE_PEOPLE)))
# A rank and a trade that make a job title too ("lead developer at a small co-op").
JOB_RANKS, JOB_TITLES = Words("lead principal"), frozenset({"developer", "architect", "designer"})
FIRMS = Words("startup company firm agency consultancy employer")
FIRM_COMPOUNDS = frozenset({("start", "up"), ("co", "op")})  # "a start-up", "a co-op"
ORIGINATORS = Words("creator co-creator inventor co-inventor patent committer")
# Titles only a standards body gives, whatever the body is called ("rapporteur for the text").
STANDING_ROLES = Words("rapporteur convenor convener")
# Distinction, a creation: something made that the field uses.
MAKING = Words(
    "created invented wrote written authored designed built developed published maintain paper "
    "pioneered devised architected co-founded founded originated started rewrote rewritten drafted"
)
# "My library is deployed in 60 banks": their own work, in use across the field.
MINE = Words("my")
IN_USE = Words("used deployed adopted installed run runs relied taught ship ships shipped")
# In an introduction the record is told in the third person: "her model is now the reference
# method", "he's the person behind the library most operators rely on" (see _introduced).
THEIRS = Words("his her")
OWNERS = Words("my his her")  # whoever's, for a first look at the message (RECORD_WORDS)
# Making in other words: "the person behind the library", "responsible for the code",
# "came up with the method", "leads the project", and keeping it: "reviews and merges every
# change", "still looks after it", "keeps it going" (see _made_in_other_words).
OTHER_MAKING = Words("behind responsible came come lead leads led merges merged looks keeps")
BEHIND_IT = frozenset(
    "person one mind minds brain brains force man woman guy engineer is was".split()  # noqa: SIM905
)
WRITING = Words("wrote written write writes")
PEOPLE_LED = Words("team group department unit squad staff people crew office")
DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "their"})
# Someone else, as the one who made it in a candidate's own words: "my supervisor wrote".
OTHERS = Words(
    "he she they supervisor advisor adviser professor mentor colleague boss manager father "
    "mother friend"
)
SUBJECTS = frozenset({"i", "we", "i've", "we've", "i'd", "we'd", "i'm", "we're"})
AT_FIELD_SCALE = Words("most every nearly almost millions thousands hundreds dozens worldwide")
ADOPTED = Words("widely baseline facto reference benchmark default")
# ... or what others did to it, as a participle: "bundled with", not "a care bundle".
ADOPTED_ACTS = Words(
    "relied adopted mandated bundled embedded shipped deployed cited licensed commercialised "
    "commercialized incorporated endorsed"
)
MANY_IN_THE_FIELD = Words(
    "most many lot share number major millions thousands hundreds dozens industry every half "
    "nearly almost worldwide nationwide everywhere largest leading "
    "three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty "
    "sixty seventy eighty ninety hundred thousand million"
)
# Counts that are not of the field's firms or practitioners: people at large ("hundreds of
# people downloaded it"), their employer's own ("most departments at the university") and
# time ("after ten years as a chef").
NOT_THE_FIELD = Words(
    "people folks users visitors followers fans hobbyists amateur amateurs friends "
    "colleagues coworkers staff employees departments "  # ... or inside their employer
    "years months weeks days hours decades"
)
# The writer's own side: "we now run 30 tests a quarter" is not the field using it.
OURSELVES = frozenset({"i", "we", "us", "our", "my", "i've", "we've", "i'm", "we're", "i'd"})
# "industry standard", "de facto standard", "standard practice", "the standard tool".
STANDARD_MAKERS, STANDARD = Words("industry facto"), Words("standard")
STANDARD_THINGS = Words("practice tool method approach reference benchmark")
BECAME = frozenset({"is", "was", "been", "became", "become", "becomes", "remains", "now"})
REFERENCE = Words("reference")  # "the reference method", "the reference tool"
USED = Words(
    "used uses run runs compare cite install download depend ship sold sell rely basis underpin "
    # "sits behind the screens of most forwarders", "the procedure every operator had to
    # follow" (see _used_by_others)
    "behind underneath follow"
)
# A body of the field that gives it out or makes it its own (see _given_out_by_a_body).
AUTHORITIES = Words("association society regulator agency manufacturer ministry federation council")
GIVES_OUT = Words("gives distributes issues recommends mandates requires adopted endorsed")
PUT = Words("put")  # "put into its handbook"
# "Most cooperatives feed their data into it": FEED, then INTO a few words on.
FEED, INTO = Words("feed feeds"), Words("into")
# "The spec every studio is certified against": what the field is measured by.
MEASURED, AGAINST = Words("measured certified tested judged audited assessed"), Words("against")
# "The mill most firms now source from": what the field buys from.
SOURCING, FROM = Words("source sourced buy bought"), Words("from")
# "What most later work builds on": what the field builds on.
BUILT, ON = Words("builds built"), Words("on upon")  # any form: "building on"
# "Most packages in the field include it": what was made, included by others. Not "including"
# before a list ("three candidates, including one ..."), which says nothing of use.
INCLUDE, IT = Words("include includes included"), Words("it them")
# What others do with it, as verbs with it: "vendors bundle it", "most studios embed it".
USED_IT = Words("bundle bundles embed embeds license licenses integrate integrates")
# Not distinction, however it is worded.
SELF_DESCRIBED = Words(
    "tutorial course bootcamp hobby blog homework passion passionate student internship fun "
    "friends classmates portfolio capstone"
)
# A skill's word that names it in part, beside a creation (see _named_in_part): a stem this
# long is distinctive ("glacier", "interlock"), a shorter one often plain ("model", "data").
PART_OF_A_SKILL = 6
SIDE, PROJECT = Words("side personal pet"), Words("project projects")  # "a side project"
# "A hobby horse" is a pet subject, not a hobby.
HOBBY, HORSE = Words("hobby"), Words("horse")
# "Taught in most courses": courses that teach their work, not ones they took.
TAUGHT, COURSES = Words("taught teach teaches teaching"), Words("course courses")
# A fellowship or prize known by its name (see _named_honours), and ranks, which make a
# fellow's job title ("Senior Research Fellow"), not a name.
HONOURS = Words("fellow fellowship prize award medal laureate")
WINNING = Words("won winning")
RANKS = Words(
    "research postdoctoral senior junior teaching clinical visiting graduate doctoral "
    "honorary associate assistant"
)
# A capitalised word a few words before an honour, or right after "won" (see _may_name_honours).
NAMED_HONOUR_HINT = re.compile(
    r"\b[A-Z][\w'\u2019]*[\s-]+(?:[\w'\u2019]+[\s-]+){0,3}"
    r"(?i:fellow|fellowship|prize|award|medal|laureate)s?\b"
    r"|\b(?i:won)\s+(?:(?i:the|a|an|this)\s+)?(?:\d+\s+)?[A-Z]|\b[A-Z]\w*-(?i:winning)\b"
)
ARTICLES = frozenset({"the", "a", "an", "this"})
# A capitalised word with "'s" that is no one's name: "It's", "Here's".
NOT_NAMES = frozenset({"it", "that", "here", "there", "he", "she", "let", "what", "who", "this"})
NOT_A_PRIZE = Words("contract tender bid deal account client customer business pitch election")
# An existing relationship: thanks for (or pleasure in) a conversation that already happened.
# Thanks also in the words non-native writers keep from their own language ("Merci for ...").
THANKS_WORDS = (
    "thank thanks grateful appreciate enjoyed merci danke dank dankjewel bedankt gracias grazie "
    "obrigado obrigada kiitos dziękuję dziekuje dzięki tack tak takk děkuji díky"
)
THANKS = Words(THANKS_WORDS)
# Its words as written, for a first look at a text's words (see _may_thank_for_the_conversation).
THANKS_FORMS = frozenset(THANKS_WORDS.split()) | {
    "thanked", "thanking", "appreciated", "appreciating", "enjoy", "enjoying",
}  # fmt: skip
# "Great meeting you at the fair": pleasure in a conversation, a weaker sign than thanks.
PLEASURE = Words("pleasure great nice lovely good wonderful")
CONVERSATION = Words(
    "call chat chatting conversation talk talking speak speaking spoke meeting met coffee lunch "
    "phone discussion catching "
    # ... and in the writer's own language (a French elision is one word: "l'appel").
    "appel l'appel entretien l'entretien échange l'échange gespräch telefonat llamada charla "
    "conversación chiamata telefonata chiacchierata colloquio conversa rozmowa rozmowę gesprek "
    "telefoongesprek samtal samtalet samtalen praten keskustelusta puhelusta rozhovor hovor papo "
    "interview"
)
# "Your time" is a courtesy as much as a conversation: it needs a time that has passed.
TIME = Words("time tiempo zeit temps tempo tijd czas")  # and in the writer's own language
ALREADY = Words(
    "today yesterday earlier last ago morning afternoon evening week spoke met had "
    "monday tuesday wednesday thursday friday enjoyed fair conference meetup booth stand panel "
    "event summit workshop session visit tour "
    # yesterday, today, last (week), in the writer's own language
    "ayer gestern ieri ontem wczoraj gisteren igår heute hoy oggi hoje vandaag dzisiaj idag "
    "letzte dernière pasada scorsa passada vorige"
)
# "Thanks again" repeats a thanks: it dates a conversation it names ("again for the call"),
# not "your time".
AGAIN = Words("again encore nochmals")
# Thanks, or pleasure, in one sentence with a conversation that already happened.
THANKED = matching.Together(
    (THANKS, CONVERSATION, ALREADY), (THANKS, CONVERSATION, AGAIN), (THANKS, TIME, ALREADY)
)
PLEASED = matching.Together(
    (PLEASURE, CONVERSATION, ALREADY), (PLEASURE, CONVERSATION, AGAIN), (PLEASURE, TIME, ALREADY)
)
NOT_A_CONVERSATION_YET = Words(
    "advance reading read considering consideration connecting next would could soon i'd "
    "hope hoping tomorrow upcoming possible voraus d'avance antemano"
)
# Thanks for the conversation itself ("thanks for the call", "for speaking with me", "danke
# für das Gespräch", "merci pour notre échange"): it happened, no day need be named. Not
# thanks for a chance or an offer of one ("thanks for offering a call").
FOR = frozenset(
    {"for", "für", "fürs", "pour", "de", "por", "per", "della", "del", "voor", "za", "för", "pela"}
    | {"pelo"}
)
# ... or "our" conversation: "I appreciated our conversation", "j'ai apprécié notre échange".
OUR = frozenset({"our", "notre", "unser", "unsere", "unseren", "unseres", "nuestra", "nuestro"})
THANKS_AND_CONVERSATION = matching.Together((THANKS, CONVERSATION))
PLEASURE_AND_CONVERSATION = matching.Together((PLEASURE, CONVERSATION))
WAS = frozenset({"was", "were", "been"})
NOT_YET_HAD = Words(
    "chance opportunity offer offering invitation invite inviting agreeing willing considering "
    "future potential"
)
# A visit or a tour, a group shown round: thanks for it beside a job ask is no relationship.
VISIT = re.compile(
    r"\b(?:visit|tour|open (?:day|house|evening)|"
    r"show(?:ing|ed|n)? (?:us|me|them) (?:a)?round)\b",
    re.IGNORECASE,
)
# Thanks for a visit on a day that has passed ("for organising Wednesday's visit").
VISITS = Words("visit tour")
DAYS = Words(
    "today yesterday earlier last ago morning afternoon evening week weekend monday tuesday "
    "wednesday thursday friday saturday sunday"
)
THANKED_FOR_A_VISIT = matching.Together((THANKS, VISITS, DAYS))
# "Looking forward to our call" is a call to come; "in case you forward this" passes mail on.
LOOK, FORWARD = Words("look looking"), Words("forward")
# "Your talk at the conference": one the recruiter gave, to a room of listeners.
YOUR, TALKS_GIVEN = Words("your"), Words("talk talks presentation")
# A talk they watched among many (a webinar, a keynote) is not a conversation with them.
AUDIENCE_EVENTS = Words("webinar webcast livestream keynote lecture attendees")
# An existing relationship: what only someone we spoke with writes ("as we discussed", "you
# asked me to write").
FOLLOWING_UP_PHRASES = (
    # Not "as promised": their own promise, often in their own earlier email.
    r"as (?:we )?(?:discussed|agreed)|as you (?:suggested|asked|requested|recommended)",
    r"like you (?:suggested|proposed|asked|said)",
    # What they said in a conversation, not in a post: "as you mentioned on the phone".
    r"(?:as|like) you (?:said|mentioned|proposed|explained|advised) (?:on|during|in|at|over|when)"
    r" (?:the |our |that |your )?(?:call|phone|chat|meeting|coffee|lunch|conversation|interview"
    r"|fair|booth|event|meetup|visit)",
    r"(?:per|following|following up on|further to|after) our (?:[\w-]+ ){0,2}"
    r"(?:conversation|call|chat|discussion|meeting|talk)",
    r"(?:when|after) we (?:spoke|met|talked|chatted)",
    # Seeing us, not our post ("great to see your post" is no meeting).
    r"(?:good|great|nice|lovely) (?:to see|seeing) you (?:again|at|on|last|yesterday)",
    r"you (?:asked|told|invited|encouraged) me to (?:write|send|email|reach out|get in touch"
    r"|follow up|stay in touch|keep in touch|contact)",
    r"(?:you|your (?:colleague|team|manager|co-?worker)|from your team)\b[^.!?]{0,60}?"
    r"(?:suggested|recommended|asked|encouraged) (?:that )?i (?:write|reach out|contact|email"
    r"|get in touch)",
)
# An employee who writes to introduce someone.
INTRODUCING = Words(
    "introduce introduction intro forward forwarding meet vouch recommend looping refer referral "
    "connect connecting cc cc'd cc'ing copied copying"
)
# "I said I'd pass his name along", "passing on her CV".
PASSING_ALONG = matching.vocabulary([r"pass(?:ing|ed)? (?:[\w'\u2019]+ ){1,3}(?:along|on)"])
INTRODUCING_SUBJECT = re.compile(r"^\s*(?:fwd?|intro(?:duction)?)\b", re.IGNORECASE)
# Not now: a later availability, a move, the end of a commitment, in one sentence with a time
# ahead (see _later_availability).
LATER_AVAILABILITY = Words(
    "available availability free move moving relocate start join leave consider pick reach talk "
    "ready market finish end wrap complete expire return graduate switch reconnect hear write "
    "speak resume revisit committed tied booked"
)
LATER_CONNECTIVES = Words(
    "after until till once from next before when in then later end by through soon closer"
)
MOVING = Words("move moving relocate relocating")
CHANGES = frozenset({"change", "switch"})  # "a change", "a switch": of job
# Past tenses that still speak of a commitment running now ("committed until June").
STILL_BOUND = frozenset({"committed", "tied", "booked"})
# "after that", "until then": the time the sentence before named. Not "before then", a
# deadline ("Could we speak before then?").
THEN_CONNECTIVES, THAT = Words("after until till by from"), Words("that then")

# The time ahead. A month or a season, a quarter ("Q3"), a year by its number ("2027",
# "mid-2027"); not one past ("last autumn").
MONTHS_AND_SEASONS = Words(
    "january february march april june july august september october november december "
    "spring summer autumn fall winter season quarter semester holidays graduation"
)
YEAR_OR_QUARTER = re.compile(r"(?:19|20)\d\d|[Qq][1-4]")
PAST_SEASON = frozenset({"last", "past", "previous"})
# "May" the month, not the verb: after a word that dates it ("in May", "until May").
MAY_DATED = Words("in by until till from of mid early late end before after since")
# A year or months ahead, not a duration: "next (academic) year", "in about a year", "in a
# couple of years", "a year from now", "in six months"; not "for several years", "six years
# of", "two years ago", "in the last two years", nor "next month", which is soon (see
# _year_ahead).
YEARS = Words("year years month months")
YEAR_AHEAD = Words("next coming following new end")  # "end": "by the end of the year"
IN_TIME = Words("in within")
PAST_YEAR = Words("last past previous first my our his her their")  # between "in" and "year"
NOT_A_TIME = Words("of ago experience old")  # right after "years"
SOON_MONTH = frozenset({"next", "this", "a", "the", "one"})  # right before "month"
SPANS = Words("over during throughout")  # "over the next few years", right before "the"
# A commitment still running, whose end is a time ahead: "after my contract", "once my visa
# comes through", "when my notice period is over", "until the launch". Not the verb "I
# notice" (PRONOUNS before it).
COMMITMENTS = Words(
    "contract notice leave visa permit thesis defence defense dissertation sabbatical phd "
    "postdoc residency fellowship degree msc mba mandate placement apprenticeship project launch "
    "milestone harvest audit pilot graduate season"
)
PRONOUNS = frozenset({"i", "we", "you", "they", "he", "she"})
# ... bound until a time (see _bound): "on a contract until summer 2028", "serving my notice
# through February"; or the writer now, "I'm on secondment until the autumn". The time comes
# right after "until" (DATING_WORDS: "until the end", "until then"). Not in the past ("I had a
# contract until March 2024").
UNTIL = Words("until till through")
DATING_WORDS = frozenset({"end", "next", "then", "mid", "early", "late", "later"})
PRESENT = frozenset(
    {"i'm", "i\u2019m", "am", "is", "we're", "are", "will", "i'll", "still", "currently"}
)
PAST_MARKERS = frozenset({"had", "was", "were", "did", "since", "ago", "ended", "finished"})
# ... or whose end is still to come: "once my permit is sorted", "before my visa comes
# through", or "once it's through" of one the sentence before named (REFERRING).
FUTURE_CONNECTIVES = frozenset({"once", "when", "after", "before", "until", "till", "soon"})
COMMITMENT_ENDS = frozenset(
    {"over", "done", "sorted", "approved", "granted", "renewed", "through", "ends", "finishes"}
)
ENDED = COMMITMENT_ENDS | {"finished", "completed"}
ENDED_STEMS = frozenset(map(matching.stem, ENDED))
REFERRING = frozenset({"it", "that", "this", "they"})
# Now, not later: "ready to relocate immediately", "can start straight away" (unless turned
# around: "not immediately").
NOW = Words("immediately asap instantly")
NOW_AWAY = frozenset({"right", "straight"})  # "right away", "straight away"
NOT_BEFORE = frozenset({"not", "no"})
# A sentence with none of these stems says no later availability (see _later_availability).
SAYS_LATER = LATER_AVAILABILITY.stems | MOVING.stems | COMMITMENTS.stems | UNTIL.stems
SAYS_LATER |= ENDED_STEMS
# A meeting asked for at a time that is not soon (see _meeting_asks).
LATER_WHEN = Words(
    "later months january february march april june july august september october november "
    "december spring summer autumn winter"
)

# The words a role (see _role) or a creation (see _creation) needs together: without any
# such set in the message, no sentence need be read.
ROLE_WORDS = (
    (ROLE_TITLES, BODIES),
    (LEADING, COMMITTEES),
    (LEADING, GROUP_KINDS, GROUPS),
    (SENIORITY, ROLE_NOUNS),
    (ORIGINATORS,),
    (STANDING_ROLES,),
)
FIELD_USE = (
    ADOPTED,
    ADOPTED_ACTS,
    STANDARD,
    USED,
    IN_USE,
    INCLUDE,
    MEASURED,
    SOURCING,
    BUILT,
    FEED,
    USED_IT,
    AUTHORITIES,
)
RECORD_WORDS = matching.Together(
    *ROLE_WORDS,
    *((MAKING, used) for used in FIELD_USE),
    *((OWNERS, used) for used in (IN_USE, STANDARD, REFERENCE, INCLUDE, MEASURED, SOURCING, BUILT)),
    *((OTHER_MAKING, used) for used in FIELD_USE),
)
# A sentence with a role or a creation has one of these (a name's work aside: see _own_work).
RECORD_STEMS = frozenset().union(
    *(w.stems for w in (ROLE_TITLES, LEADING, SENIORITY, ORIGINATORS, STANDING_ROLES)),
    *(w.stems for w in (MAKING, OTHER_MAKING, MINE, THEIRS)),
)
# In an introduction, the person's name may own the work ("Karin's software is used by
# most ..."): a word of the field's use is then enough for a first look.
FIELD_USE_WORDS = matching.Together(*((used,) for used in FIELD_USE))

JOB_ASK = matching.vocabulary(JOB_ASK_PHRASES)
MEETING_ASK = matching.vocabulary(MEETING_ASK_PHRASES)
FOLLOWING_UP = matching.vocabulary(FOLLOWING_UP_PHRASES)
NEGATION = matching.negation(words=NEGATING_WORDS, endings=NEGATING_ENDINGS, between=1)
NOT_LOOKING_NOW = matching.vocabulary(NOT_LOOKING_NOW_PHRASES)
DISTINCTION = matching.vocabulary(DISTINCTION_PHRASES)
INTERNAL_AWARD = matching.vocabulary(INTERNAL_AWARD_MARKERS)


# --- What the message says: the rules' questions -----------------------------------------

# (what matched, the evidence, where: "" for the message, else which attachment it came from);
# matching.Hit is such a tuple.
SkillHit = tuple[str, tuple[str, ...], str]
OpeningHit = tuple[Opening, tuple[str, ...], str]


def _job_asks(facts: RequestFacts) -> tuple[str, ...]:
    """Job-ask phrases the candidate wrote, leaving out negated ones ("not looking for a job")."""
    return facts.scan.find_unnegated(JOB_ASK, NEGATION)


def _meeting_asks(facts: RequestFacts) -> tuple[str, ...]:
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


def _distinctions(facts: RequestFacts) -> tuple[str, ...]:
    """Distinction phrases whose sentence does not mark them as an internal award, in the
    body: a subject line's "award-winning expert" is a headline the body must bear out."""
    found = facts.scan.find_unless_sentence_has(DISTINCTION, INTERNAL_AWARD)
    return tuple(d for d in found if d in facts.body) if found else ()


def _sentence_with(facts: RequestFacts, said: str) -> str:
    """The body's sentence that has `said` in it, as written, or "" (it is in the subject)."""
    at = facts.body.find(said)
    found = (s for s in facts.sentences if s.start <= at < s.end)
    return next((facts.body[s.start : s.end] for s in found), "") if at >= 0 else ""


def _may_name_honours(facts: RequestFacts) -> bool:
    """Whether the body may name an honour (most do not): the words it needs, and a
    capitalised word before or after them (a link's ".../awards/" has none)."""
    if not (HONOURS.in_text(facts.vocabulary) or WINNING.in_text(facts.vocabulary)):
        return False
    return bool(NAMED_HONOUR_HINT.search(facts.body))


def _named_honours(facts: RequestFacts) -> tuple[str, ...]:
    """A fellowship or a prize known by its name, a capitalised word that does not start
    the sentence: "a Humboldt Research Fellowship", "a Marie Curie Fellow", "won the
    Kestrel in 2024", "a Pulitzer-winning series". Not a rank ("a Senior Research Fellow"
    is a job title), business won ("won the Acme contract"), or an internal award."""
    if not _may_name_honours(facts):
        return ()
    found = []
    for sentence in facts.sentences:
        said = facts.body[sentence.start : sentence.end]
        for i in range(len(sentence.words)):
            named = _honour_named_at(sentence, i)
            if not named or INTERNAL_AWARD.search(matching.short_text(said)):
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
    if word == "won" and not NOT_A_PRIZE.in_(sentence):  # "won the 2024 Kestrel": after
        k = i + 1
        while k < len(words) and (words[k].lower() in ARTICLES or words[k][0].isdigit()):
            k += 1
        return words[i : k + 1] if k < len(words) and _a_name(words[k]) else ()
    if word == "winning" and i > 1 and _a_name(words[i - 1]):  # "Pulitzer-winning"
        return words[i - 1 : i + 1]
    return ()


def _a_name(word: str) -> bool:
    return word[0].isupper() and word != "I"


def _distinction_near_skill(facts: RequestFacts, profile: Profile) -> tuple[Reason, ...] | None:
    """A role or a creation (see distinguished_record) with a hard-to-fill skill near it."""
    if not RECORD_WORDS.in_text(facts.vocabulary) and not (
        FIELD_USE_WORDS.in_text(facts.vocabulary) and _introduced(facts)
    ):
        return None
    concepts = matching.skill_concepts(profile.hard_to_fill_skills)
    if not (concepts := [c for c in concepts if c.may_be_in(facts.vocabulary)]):
        return None
    found = facts.sentences_for_skills(profile.company)
    theirs = _introduced(facts)
    by_name = everywhere = None  # each skill's evidence by name in the message, found once
    for i, sentence in enumerate(found):
        if RECORD_STEMS.isdisjoint(sentence.stem_set) and not (
            theirs and _own_work(sentence, theirs)
        ):
            continue  # most sentences: no word a role or a creation begins with
        said = facts.body[sentence.start : sentence.end]
        if _self_described(sentence) or INTERNAL_AWARD.search(matching.short_text(said)):
            continue
        near = matching.window(found, i, 1, 1)
        role = _role(sentence)
        creation = () if role else _creation(sentence, matching.window(found, i, 0, 1), theirs)
        if not (role or creation):
            continue
        if creation and not _used_by_the_field(sentence):  # its use in the next sentence
            near = matching.window(found, i, 1, 2)
        # The skill the sentences name most plainly (most words), not the first one listed.
        named = [(c, c.evidence_near(near, sentence)) for c in concepts]
        if creation and not any(evidence for _, evidence in named):
            if by_name is None:  # the message and its subject, read for skills once
                everywhere = (*found, *_headline(facts.subject, profile.company))
                by_name = _evidence_by_name(everywhere)
            named = [(c, _named_in_part(c, near, everywhere, by_name)) for c in concepts]
        for concept, evidence in sorted(named, key=lambda pair: -len(pair[1]))[:1]:
            if evidence:
                kind = "a recognised role" if role else "a creation the field uses"
                text = (
                    f"Distinguished record, {kind} ({_quoted(role or creation)}) in "
                    f'{concept.skill}: "{_shortened(said)}"'
                )
                return (
                    Reason(text, (said,)),
                    Reason(f"In a hard-to-fill skill: {concept.skill}", evidence),
                )
    return None


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
) -> tuple[str, ...]:
    """A creation told by what it does, in the skill's field: a distinctive word of the skill
    (a stem of PART_OF_A_SKILL letters or more: "glacier", not "model") in the sentences
    `near` it, and the skill named elsewhere in the message or its subject, or most of its
    words there and near it ("My field is glacier mass balance modelling. ... I designed the
    melt engine most glacier labs run"; "Subject: mass balance" beside it). `named`: the
    skill's evidence by name in `found`, asked once per message."""
    part = {
        form: word
        for s in near
        for word, form in zip(s.words, s.forms, strict=True)
        if form in concept.words and len(form) >= PART_OF_A_SKILL
    }
    if not part:
        return ()
    if elsewhere := named(concept):
        return (*part.values(), *elsewhere)
    for s in found:
        if concept.words.isdisjoint(s.form_set):
            continue
        rest = {f: w for w, f in zip(s.words, s.forms, strict=True) if f in concept.words}
        shared = part.keys() | rest.keys()
        most = len(shared) >= concept.needed and 2 * len(shared) > len(concept.words)
        if rest.keys() - part.keys() and most:
            return (*part.values(), *rest.values())
    return ()


def _theirs_not_the_role(
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


@lru_cache(maxsize=64)
def _opening_titles(openings: tuple[Opening, ...]) -> matching.Phrases:
    return matching.any_phrase(t for o in openings for t in (o.title, o.title.split(",")[0]))


def _self_described(sentence: matching.Sentence) -> bool:
    """SELF_DESCRIBED words, other than the hobby of "a hobby horse" (a pet subject) and the
    courses their work is taught in ("taught as a case study in most courses": the field
    teaching it, not a course they took); or a side project."""
    if not (found := SELF_DESCRIBED.in_(sentence)):
        return bool(matching.pairs(SIDE, PROJECT, sentence))
    stems = sentence.stems
    taught_in = [
        i
        for i, stem in enumerate(stems)
        if stem in COURSES.stems and not TAUGHT.stems.isdisjoint(stems[:i])
    ]
    return len(found) > len(matching.pairs(HOBBY, HORSE, sentence)) + len(taught_in)


def _role(sentence: matching.Sentence) -> tuple[str, ...]:
    if (titles := ROLE_TITLES.in_(sentence)) and BODIES.in_(sentence):
        return titles
    if led := _leading_a_body(sentence):
        return led
    return _senior_people(sentence) or ORIGINATORS.in_(sentence) or STANDING_ROLES.in_(sentence)


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
    adopted, a standard, or used by many. Or "my" (their own work), when the same sentence
    begins by saying many use it ("My library is deployed in 60 banks"). In an introduction
    (`introduced`), the person introduced is "he" or "she" who made it, and "his" or "her"
    or their name's work ("Her model is now the reference method")."""
    if made := _acts_of_making(sentence, introduced):
        return made if any(_used_by_the_field(s) for s in near) else ()
    if not (mine := _own_work(sentence, introduced)):
        return ()
    if _became_a_standard(sentence):  # "My model is now the reference method"
        return mine
    if IN_USE.in_(sentence):
        at_scale = AT_FIELD_SCALE.in_(sentence) or any(w[0].isdigit() for w in sentence.words)
        return mine if at_scale else ()
    return mine if _relied_on_by_many(sentence) else ()  # "what most suppliers certify against"


def _own_work(sentence: matching.Sentence, introduced: bool) -> tuple[str, ...]:
    """The owner a sentence begins with: "My library ...", or in an introduction "Her
    model ...", "His proofs ...", "Marta's checker ..."."""
    first = sentence.words[0]
    if sentence.stems[0] in MINE.stems:  # not "My supervisor ...": someone else's
        return (first,) if sentence.stems[1:2] and sentence.stems[1] not in OTHERS.stems else ()
    if not introduced:
        return ()
    if sentence.stems[0] in THEIRS.stems:
        return (first,)
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
    return any(
        w.startswith("refer") and not w.startswith("referen") for w in facts.vocabulary.words
    )


def _acts_of_making(sentence: matching.Sentence, introduced: bool = False) -> tuple[str, ...]:
    """MAKING's words as acts: not an agent noun ("publishers", "designer"), nor a noun of
    making that names a field or a firm ("in development", "a start-up"), nor a
    capitalised word inside the sentence (a title's or a name's: "Design Engineer"). Being
    the one behind it is making it ("the person behind the library"). In a message that
    introduces nobody, not what someone else made ("my supervisor wrote")."""
    words = sentence.words
    return tuple(
        word
        for i, (word, stem) in enumerate(zip(words, sentence.stems, strict=True))
        if (
            (
                stem in MAKING.stems
                and word.lower() not in (stem + "er", stem + "ers")
                and not word.lower().endswith(("ment", "ments"))
                and not (word.lower() == "start" and words[i + 1 : i + 2] == ("up",))
                and not _writing_to_someone(sentence, i)
                and not (i and word[0].isupper())
            )
            or (stem in OTHER_MAKING.stems and _made_in_other_words(sentence, i))
        )
        and (introduced or not _made_by_someone_else(sentence, i))
    )


def _writing_to_someone(sentence: matching.Sentence, i: int) -> bool:
    """ "Oskar wrote to me", "I wrote to the association": a letter, not a creation."""
    return sentence.stems[i] in WRITING.stems and sentence.words[i + 1 : i + 2] == ("to",)


def _made_in_other_words(sentence: matching.Sentence, i: int) -> bool:
    """Word `i` says they made, lead or keep a thing: "the person behind the library", "she
    is behind the toolkit", "responsible for the code", "came up with the method", "leads the
    project", "merges every change", "still looks after it", "keeps it going". Not "behind
    on the work", "behind schedule", "lead developer" (see _role), nor leading people
    ("leads the team")."""
    words = [w.lower() for w in sentence.words]
    word, before, after = words[i], words[i - 1] if i else "", words[i + 1 : i + 3]
    if word in ("came", "come"):
        return after == ["up", "with"]
    if word in ("merges", "merged"):  # a maintainer's act: "reviews and merges every change"
        return True
    if word == "looks":  # "looks after the code", not "looks after the team"
        people = not PEOPLE_LED.stems.isdisjoint(sentence.stems[i + 3 : i + 5])
        thing = after[:1] == ["after"] and _a_thing(sentence, i + 2) and not people
        return after == ["after", "it"] or thing
    if word == "keeps":
        return after == ["it", "going"]
    if word == "responsible":
        return after[:1] == ["for"] and _a_thing(sentence, i + 2)
    if word == "behind":
        return (before in BEHIND_IT or before.endswith(("'s", "\u2019s"))) and _a_thing(
            sentence, i + 1
        )
    # "leads the project", not a capitalised "Lead" (a title's) nor "leads the team".
    led = not (i and sentence.words[i][0].isupper()) and _a_thing(sentence, i + 1)
    return led and not PEOPLE_LED.stems.intersection(sentence.stems[i + 2 : i + 4])


def _a_thing(sentence: matching.Sentence, j: int) -> bool:
    """Whether word `j` starts a thing: a determiner ("the", "a") or a name."""
    if j >= len(sentence.words):
        return False
    word = sentence.words[j]
    return word.lower() in DETERMINERS or word[0].isupper()


def _made_by_someone_else(sentence: matching.Sentence, i: int) -> bool:
    """Whether the nearest maker named before word `i` (up to four words back) is someone
    else (OTHERS: "my supervisor wrote", "she built"), not the writer ("I", "we")."""
    for j in range(i - 1, max(-1, i - 5), -1):
        if sentence.words[j].lower() in SUBJECTS:
            return False
        if sentence.stems[j] in OTHERS.stems:
            return True
    return False


def _used_by_the_field(s: matching.Sentence) -> bool:
    if _self_described(s):  # "used by most of my classmates" is not the field
        return False
    return bool(_adopted(s) or _became_a_standard(s) or _used_by_many(s) or _given_out_by_a_body(s))


def _given_out_by_a_body(s: matching.Sentence) -> bool:
    """A body of the field gives it out or makes it its own, a few words after its name:
    "the trade association gives to its members", "the manufacturer later put into its
    handbook", "the regulator mandates"."""
    stems = s.stems
    for i, stem in enumerate(stems):
        if stem not in AUTHORITIES.stems:
            continue
        after = stems[i + 1 : i + 4]
        if not GIVES_OUT.stems.isdisjoint(after) or any(
            a in PUT.stems and b in INTO.stems for a, b in itertools.pairwise(stems[i + 1 : i + 5])
        ):
            return True
    return False


def _adopted(s: matching.Sentence) -> tuple[str, ...]:
    """ "widely", "the baseline", or a participle of adoption ("bundled", not "a bundle")."""
    acts = (w for w in ADOPTED_ACTS.in_(s) if w.lower().endswith("ed"))
    return (*ADOPTED.in_(s), *acts)


def _became_a_standard(s: matching.Sentence) -> tuple[str, ...]:
    """ "industry standard", "de facto standard", "standard practice", "the reference method",
    "has been the standard in national inventories" (not "I follow the standard")."""
    return (
        matching.pairs(STANDARD_MAKERS, STANDARD, s)
        or matching.pairs(STANDARD, STANDARD_THINGS, s)
        or matching.pairs(REFERENCE, STANDARD_THINGS, s)
        or tuple(
            " ".join(s.words[i - 2 : i + 1])
            for i, stem in enumerate(s.stems)
            if stem in STANDARD.stems
            and i >= 2
            and s.words[i - 1].lower() == "the"
            and s.words[i - 2].lower() in BECAME
        )
    )


def _used_by_many(s: matching.Sentence) -> bool:
    return bool(_many_in_the_field(s) and (_used_by_others(s) or _adopted(s))) or (
        _relied_on_by_many(s)
    )


def _relied_on_by_many(s: matching.Sentence) -> bool:
    """What many in the field measure against, source from, include or go on building on
    (not a plain USED word: "my study compares six publishers" is their own act)."""
    return bool(
        _many_in_the_field(s)
        and (
            matching.pairs(INCLUDE, IT, s)
            or matching.pairs(MEASURED, AGAINST, s)
            or matching.pairs(SOURCING, FROM, s)
            or _built_on_by_others(s)
        )
    )


def _many_in_the_field(s: matching.Sentence) -> bool:
    """MANY_IN_THE_FIELD words or a number, not of people at large ("hundreds of people have
    downloaded it", "many users") nor of time ("ten years"): the field is its firms and
    practitioners."""
    stems = s.stems
    if MANY_IN_THE_FIELD.stems.isdisjoint(s.stem_set) and not any(w[0].isdigit() for w in s.words):
        return False  # most sentences: no count at all
    return any(
        (stem in MANY_IN_THE_FIELD.stems or s.words[i][0].isdigit())
        and NOT_THE_FIELD.stems.isdisjoint(stems[i + 1 : i + 3])
        for i, stem in enumerate(stems)
    )


def _built_on_by_others(s: matching.Sentence) -> bool:
    """ "What most later work builds on", "each vendor builds its kits on it",
    "vendors bundle it": BUILT ON or a use of it (USED_IT), its subject not the writer's own
    side ("we built on most of the papers" is their own use)."""
    stems = s.stems
    return any(
        (
            (stem in BUILT.stems and (stems[i + 1] in ON.stems or _on_it(s, i)))
            or (stem in USED_IT.stems and stems[i + 1] in IT.stems)
        )
        and OURSELVES.isdisjoint(w.lower() for w in s.words[max(0, i - 2) : i])
        for i, stem in enumerate(stems[:-1])
    )


def _on_it(s: matching.Sentence, i: int) -> bool:
    """ "builds their projects on it": ON IT a few words after word `i`."""
    after = s.stems[i + 2 : i + 6]
    return any(a in ON.stems and b in IT.stems for a, b in itertools.pairwise(after))


def _used_by_others(s: matching.Sentence) -> bool:
    """A USED word whose subject is not the writer's own side ("we now run 30 tests") nor
    its object ("the rules behind our pricing"); or FEED ... INTO. Not "useful", which says
    what it could do, not that anyone uses it."""
    words, stems = s.words, s.stems
    return any(
        (
            (stem in USED.stems and not words[i].lower().startswith("useful"))
            or (stem in FEED.stems and not INTO.stems.isdisjoint(stems[i + 1 : i + 6]))
        )
        and OURSELVES.isdisjoint(w.lower() for w in words[max(0, i - 2) : i + 2] if w != words[i])
        for i, stem in enumerate(stems)
    )


def _our_thread(facts: RequestFacts, profile: Profile) -> tuple[Reason, ...] | None:
    """It answers a message we sent, or the history it quotes names the recruiter (address,
    or full name in any order: "Lindgren, Petra") or a colleague's employee address."""
    if facts.we_wrote_before:
        return (Reason("Answers a message we sent them (an existing relationship)"),)
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
            if _is_employee_domain(email, profile) and not _is_generic_inbox(email):
                return (Reason(f"Replies in a thread one of us wrote in: {line}", ()),)
    return None


def _thanks_for_a_conversation(facts: RequestFacts) -> tuple[Reason, ...] | None:
    """Thanks for a conversation that already happened; or, from someone who asks for no job
    or meeting now, words only someone we spoke with writes ("as we discussed", "great
    meeting you at the fair"). With an ask, those are a claim that costs nothing to make."""
    thanked = _conversation_sentence(
        facts, THANKED, (_may_thank_for_the_conversation, _thanks_for_the_conversation)
    )
    # Thanks for a visit or a tour (a group shown round, an open day) is a weaker sign: like
    # pleasure at a fair, it counts from someone who asks for nothing now.
    if thanked and not _at_a_visit(thanked):
        return (
            Reason(f'Thanks us for a conversation that already happened: "{thanked}"', (thanked,)),
        )
    if _job_asks(facts) or _meeting_asks(facts):
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
    if said := facts.scan.find(FOLLOWING_UP):
        return (Reason(f"Follows up on a conversation with us: {_quoted(said)}", said),)
    return None


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
    other = also[1] if also and also[0](facts) else None
    if other is None and not feeling.in_text(facts.vocabulary):
        return ""
    for sentence in facts.sentences:
        if (
            (feeling.in_(sentence) or (other is not None and other(sentence)))
            and not NOT_A_CONVERSATION_YET.in_(sentence)
            and not matching.pairs(LOOK, FORWARD, sentence)
            and not AUDIENCE_EVENTS.in_(sentence)
            and not matching.pairs(YOUR, TALKS_GIVEN, sentence)
        ):
            return facts.body[sentence.start : sentence.end]
    return ""


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


def _employee_introducing(facts: RequestFacts, profile: Profile) -> tuple[Reason, ...] | None:
    email = facts.sender.email.lower()
    if (
        email == profile.recruiter_email.lower()
        or not _is_employee_domain(email, profile)
        or _is_generic_inbox(email)
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


def _later_availability(facts: RequestFacts) -> tuple[str, ...]:
    """Sentences saying they will be free, or will move, at a time ahead (see
    relevant_skills_no_job_ask): a word of availability not in the past tense with a
    connective ("free after", "switch before", "a change after", "be done by"), or a move,
    in a sentence with a time ahead (_time_ahead), or right after one ("The season runs
    through October; I'm free after that"); or a commitment bound to one (_bound). Not a
    sentence that says now ("relocate immediately")."""
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
        if _now(sentence):
            continue
        available = _available(sentence)
        moving = [w for w in MOVING.in_(sentence) if _not_past(w)]
        if (available and _connective(sentence, available)) or moving or _bound(sentence):
            found.append(said)
    return tuple(found)


def _connective(sentence: matching.Sentence, available: list[str]) -> bool:
    """LATER_CONNECTIVES, or "starting" before a time ("available starting 2027"), not the
    availability itself ("I'm starting to think about it")."""
    if LATER_CONNECTIVES.in_(sentence):
        return True
    return "starting" in sentence.word_set and any(matching.stem(a) != "start" for a in available)


def _available(sentence: matching.Sentence) -> list[str]:
    """LATER_AVAILABILITY's words, not in the past ("started in January 2020", "moved in
    2019"), nor "end" ("the end of March" is a time), nor "a graduate" (a person); and "a
    change" or "a switch" (of job), "be done", "be finished" (with a commitment)."""
    words = [w.lower() for w in sentence.words]
    found = []
    for i, (word, stem) in enumerate(zip(words, sentence.stems, strict=True)):
        before = words[i - 1] if i else ""
        if stem in LATER_AVAILABILITY.stems:
            if not _not_past(word) or word == "end":
                continue
            if stem == "graduat" and (word.endswith("s") or before in ARTICLES):
                continue
            found.append(sentence.words[i])
        elif (word in CHANGES and before in ARTICLES) or (word in ENDED and before == "be"):
            found.append(sentence.words[i])
    return found


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
    at = [i for i, s in enumerate(sentence.stems) if s in NOW.stems]
    at += [i for i, w in enumerate(words[:-1]) if w in NOW_AWAY and words[i + 1] == "away"]
    return any(not _negated(words[max(0, i - 2) : i]) for i in at)


def _not_past(word: str) -> bool:
    return not word.lower().endswith("ed") or word.lower() in STILL_BOUND


def _negated(words: list[str]) -> bool:
    return any(w in NOT_BEFORE or w.endswith(NEGATING_ENDINGS) for w in words)


def _hard_skills_in_other_words(facts: RequestFacts, profile: Profile) -> tuple[SkillHit, ...]:
    """Hard-to-fill skills written in other words or forms ("bread baking" of "bread baking
    (sourdough / rye)"), by one of their names or most of their words: two words of a
    four-word skill are too loose a sign beside a prize."""
    return _concepts_in_message(facts, profile, profile.hard_to_fill_skills, by_name=True)


def _hard_skills_around(
    facts: RequestFacts, profile: Profile, distinctions: tuple[str, ...]
) -> tuple[SkillHit, ...]:
    """Hard-to-fill skills of which most words (more than half) are in the sentences around a
    distinction (two either side), however they are spread among them."""
    found = facts.sentences_for_skills(profile.company)
    at = {facts.body.find(d) for d in distinctions} - {-1}
    near = [
        matching.window(found, i, 2, 2)
        for i, s in enumerate(found)
        if any(s.start <= a < s.end for a in at)
    ]
    hits = []
    for concept in matching.skill_concepts(profile.hard_to_fill_skills):
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
    return tuple(hits)


def _skills_in_other_words(facts: RequestFacts, profile: Profile) -> tuple[SkillHit, ...]:
    """Hard-to-fill skills and openings' skills and titles written in other words or forms."""
    skills = (
        *profile.hard_to_fill_skills,
        *(s for o in profile.openings for s in (*o.skills, o.title.split(",")[0])),
    )
    return _concepts_in_message(facts, profile, skills)


def _concepts_in_message(
    facts: RequestFacts, profile: Profile, skills: Iterable[str], *, by_name: bool = False
) -> tuple[SkillHit, ...]:
    """`by_name`: a hard-to-fill skill by name or most of its words, in the body or in the
    subject, the writer's headline of what they write about ("Widget welding engineer")."""
    hits, sentences = [], facts.sentences_for_skills(profile.company)
    headline = _headline(facts.subject, profile.company) if by_name else ()
    for concept in matching.skill_concepts(tuple(dict.fromkeys(skills))):
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


def _hard_skills(facts: RequestFacts, profile: Profile) -> tuple[SkillHit, ...]:
    """Each hard-to-fill skill the message (or else the attached résumé) mentions."""
    return facts.scan.hits(profile.catalogue, "skills")


def _openings(facts: RequestFacts, profile: Profile) -> tuple[OpeningHit, ...]:
    """Each opening whose title or skills the message (or else the attached résumé) mentions."""
    return facts.scan.hits(profile.catalogue, "openings")


def _is_employee_domain(email: str, profile: Profile) -> bool:
    domain = email.rpartition("@")[2].lower()
    return any(domain == d or domain.endswith("." + d) for d in profile.employee_domains)


def _is_generic_inbox(email: str) -> bool:
    """jobs@, careers+pgh@, talent.acquisition@ ..."""
    local = email.partition("@")[0].split("+")[0].lower()
    if re.sub(r"[._-]", "", local).startswith(AUTOMATED_LOCAL_PARTS):
        return True
    return re.split(r"[._-]", local)[0] in GENERIC_INBOX_LOCAL_PARTS


def _skill_reasons(openings: tuple[OpeningHit, ...], skills: tuple[SkillHit, ...]) -> list[Reason]:
    reasons = [
        Reason(f"Matches open role {o.title} ({o.url}): {_quoted(ev)}{_from(where)}", ev)
        for o, ev, where in openings
    ]
    reasons += [
        Reason(f"Mentions hard-to-fill skill: {s}{_from(where)}", ev) for s, ev, where in skills
    ]
    return reasons


def _shortened(said: str, most: int = 200) -> str:
    said = " ".join(said.split())
    return said if len(said) <= most else said[: most - 1].rsplit(" ", 1)[0] + "…"


def _from(where: str) -> str:
    return f", {where}" if where else ""


def _quoted(items: Iterable[str]) -> str:
    return ", ".join(f'"{" ".join(i.split())}"' for i in items)


def matching_openings(facts: RequestFacts, profile: Profile) -> list[Opening]:
    """The open roles the message mentions (title or skills), most mentions first."""
    found = _openings(facts, profile)
    return [o for o, _, _ in sorted(found, key=lambda hit: len(hit[1]), reverse=True)]


# --- The order, and classify -------------------------------------------------------------


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
    Without a rule set, the built-in rules run in the order above (triage passes the
    database's: see the module docstring)."""
    ordered = (rule_set or DEFAULT_RULE_SET).rules
    # The fallback is not listed in also_matched, so it need only run when nothing else matched.
    matches = [(rule, v) for rule in ordered if not rule.fallback and (v := rule(facts, profile))]
    if not matches:
        matches = [(rule, v) for rule in ordered if rule.fallback and (v := rule(facts, profile))]
    (_, winner), *others = matches
    also = tuple(v.rule for rule, v in others if not rule.fallback)
    return Verdict(winner.bucket, winner.rule, winner.reasons, also)
