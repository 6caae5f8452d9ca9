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
only vocabulary the policy has is generic English (tests/test_rule_concepts.py checks these
modules for every labeled company's words). `classify(facts, profile, rule_set)` is a pure
function: no ORM, no settings, no clock. How phrases and concepts are found (whole words,
links left out, negations, sentences, word forms by the Snowball stemmer, skills named in
other words, résumés) is triage/matching.py.

Sections: the rules, in priority order; the order and `classify`. The rest of the policy is
in three modules beside this one:
- triage/facts.py: the types (Bucket, Profile, RequestFacts, Reason, Verdict, ...), imported
  here too, so `rules.Profile` works;
- triage/vocabulary.py: the vocabulary the rules look for (generic English phrase lists and
  word sets);
- triage/concepts.py: what the message says, the rules' questions answered through matching
  (`concepts.job_asks(facts)`, `concepts.later_availability(facts)`, ...).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from triage import concepts, matching

# The types live in triage/facts.py. All of them are imported here too (not all are used
# here, hence the noqa), so `rules.Profile` and `from triage.rules import Address` keep working.
from triage.facts import (  # noqa: F401
    Address,
    Bucket,
    Opening,
    Person,
    Profile,
    Reason,
    RequestFacts,
    Verdict,
    as_other_names,
)
from triage.vocabulary import NOT_LOOKING_NOW

# --- The rules, in priority order --------------------------------------------------------
# Each rule returns its reasons when it matches, or None. `Rule` below pairs it with a bucket.
# The first line of a docstring is the rule's description on the Rules page.

RuleCheck = Callable[[RequestFacts, Profile], tuple[Reason, ...] | None]


def notable_person(facts: RequestFacts, profile: Profile) -> tuple[Reason, ...] | None:
    """Sender is on the notable-people list (by email address or exact full name).

    The full name counts from any address, in any case and spacing, also as the part before
    a comma ("Jane Roe, PhD") or inside or outside brackets ("山田 花子 (Hanako Yamada)").
    A first name alone, or a name in the text, does not. A note the notable person wrote,
    forwarded by someone else (an employee, an agency), is theirs: the forwarded header
    names them (see concepts.forwarded_from_notable)."""
    by_email, by_name = profile.notable
    email = facts.sender.email.lower()
    names = matching.display_names(facts.sender.name)
    if email not in by_email and by_name.keys().isdisjoint(names):  # most senders
        return concepts.forwarded_from_notable(facts, profile)
    found = [by_name[n] for n in names if n in by_name]
    found += [by_email[email]] if email in by_email else []
    person = profile.notable_people[min(found)]  # the first on the list, as it is ordered
    how = facts.sender.email if person.email.lower() == email else facts.sender.name
    note = f" ({person.note})" if person.note else ""
    text = f"Sender is on the notable-people list: {person.name}{note}"
    return (Reason(text, (how,)),)


def distinguished_record(facts: RequestFacts, profile: Profile) -> tuple[Reason, ...] | None:
    """A distinguished record in a hard-to-fill skill.

    Either a recognised role or creation near one of the company's hard-to-fill skills (in
    the same sentence, or the one just before or after), in any word form and order:
    - a role: chair, convenor, rapporteur or editor of a committee, working group, standard,
      guideline or recommended practice, or of a standard named by its designation
      ("chaired the working group", "editor of EN 50129", "led the committee that wrote the
      standard", "headed the task group", "led the expert panel", "chaired the shared task",
      "co-chaired the challenge", "the one holding the pen on the guideline"); a rapporteur
      or convenor of any body; core developer, lead maintainer, committer, creator,
      inventor, principal designer or architect (a lead or principal developer, architect or
      designer of a thing; at an employer it is a job title: "lead developer at a small
      co-op");
    - a creation the field uses: created, invented, pioneered, devised, proposed, wrote,
      designed, built or maintains something that many, half, most or the whole of the field
      use, deploy, rely on, follow, work with, teach from, include ("most packages include
      it", "vendors bundle it", "it is part of most test plans"), must pass or meet ("the
      checker every vendor has to pass"), feed their data into, have it sit behind their
      systems ("sits behind the screens of most brokers"; not "behind our ..."), or go on
      building on ("what most later work builds on", "each vendor builds its kits on it",
      "what every operator now starts from"; people counted by the work they use it for: "a
      lot of people use to set up X runs", not "many people use it"), that a body of the
      field gives out or makes its own ("the trade association gives to its members", "the
      manufacturer put into its handbook", "the regulator cites", "made mandatory",
      "recommended by the council"), or that became a standard ("has been the standard in
      national inventories", "became the normal practice", "the norm"), a standard
      practice, a reference or a baseline; or a first beside what the whole field did before
      it ("my team did the first ... Before, everybody used ..."); or their own work, in a
      sentence that begins with it and says it is in use at the field's scale ("My library
      is deployed in 60 banks"), became its standard ("My model is now the reference
      method") or is what many measure against. Being the one behind it, the author of it,
      responsible for it, coming up with it or leading it is making it, and so is keeping it
      ("the person behind the library most operators rely on", "leads the project most
      archives run", "the lead for the dyeing chapter of the method most mills use", "keeps
      it going and merges every change"; not "leads the team"); so is claiming it after it
      is told ("the routine every team uses was mine", "is my design", "is named after me",
      "you may know my name from the X criteria"). What a team or a firm they are in made is
      not theirs ("I spent a year in the team that built"; "I led the team that built" is).
      In a message that introduces or forwards someone, the record is told in the third
      person: "she wrote", "he's the person behind", "Her model is now the reference
      method"; in a candidate's own message, what someone else made ("my supervisor
      wrote", "her model", "if anyone on your team has built") is not theirs; nor is
      writing to someone ("wrote to me") making. Putting it together is making it, and
      what most of the field started from is in use ("I put it together ...; most of the
      start-ups I know started from it").
    The skill is near when the sentence or a neighbour names it (its words in any spelling
    or form: "colour" of "color", "geologist" of "geology"; for a creation whose use the
    next sentence tells, the one after that too), or when the role's sentence has one of its
    words and a neighbour the rest ("I chair the group revising the X standard. ... your Y
    lines."), or, for a creation told by what it does, when its sentences have a
    distinctive word of the skill and the message or its subject names the skill elsewhere
    (or the rest of it: "Subject: Hello - sign language"). In an opening's own skill (not a
    hard-to-fill one) only what the whole field works to counts: a standards role ("has
    edited the recommended practice"), or a role or creation most or all of the field uses,
    its default ("is the default in most packages"), or part of the standard distribution
    of the field's tool ("ships with the standard distribution"); not a prize, "several
    firms" or "fairly widely used". The note a message forwards (an introduction passing on
    the person's own words) is read for the record too. Their own
    creation is not the field's when an agent noun ("publishers"), a job title ("Design
    Engineer"), their own side's or employer's use ("we now run 30 tests", "most
    departments at the university"), people at large or amateurs ("hundreds of people
    downloaded it"), or a portfolio piece or side project is all there is.
    Or a distinction recognised outside one's employer (DISTINCTION_PHRASES: an award, a
    prize, a best ("best-paper prize") or most-cited paper, a record, a fellowship, a
    keynote; an honour received without a name: "was given a national prize", "recognised
    with an international award", "honoured by the society", "honoured me with its award",
    "the society gave me its highest honour", "got an award", a keynote or plenary given,
    not heard ("gave the opening keynote", "invited to give the plenary lecture"; not "I
    attended the keynote"),
    "awarded a two-year fellowship to work on", not one applied for or nominated for, nor a
    fellowship that is a job or training; or an honour known by its name: "a Humboldt
    Research Fellowship", "won the Merlin"; its sentence quoted) with a hard-to-fill
    skill in the message or its subject, by name, acronym ("WPD" of "widget paint drying";
    one with a digit in any case, "x509-lint" of "X509") or most of its words (in one
    sentence, or spread over the sentences around the distinction), or a distinctive word
    of it beside the distinction that the subject has too ("Subject: Mildew"; "my way of
    finding where mildew starts ... gave me its award for it"), or else the attached
    résumé; not a skill whose words are only in the title of an opening they name ("apply
    for the Widget Engineer role").
    Not distinction: passion, years of experience, courses, tutorials or things made for fun
    or friends (SELF_DESCRIBED; "a hobby horse" is a pet subject, not a hobby), anything
    internal to an employer (INTERNAL_AWARD_MARKERS: "named my employer's Colleague of the
    Year"), a distinction only the subject line claims, and a distinction in a skill the
    company does not list."""
    # Skills first: the later rules need them anyway, and most messages name none, which
    # spares looking for distinctions.
    distinctions = concepts.distinctions(facts)
    if not distinctions and not concepts.may_name_honours(facts):
        return concepts.distinction_near_skill(facts, profile)
    skills = concepts.hard_skills(facts, profile)
    skills = skills or concepts.hard_skills_in_other_words(facts, profile)
    if not (skills := concepts.theirs_not_the_role(facts, profile, skills)):
        # Or most of a skill's words in the sentences around the distinction ("I tune the
        # engines that clear the market. That work won us the X Award. Pricing is ...").
        distinctions = distinctions or concepts.named_honours(facts)
        skills = concepts.hard_skills_around(facts, profile, distinctions)
        if not (skills := concepts.theirs_not_the_role(facts, profile, skills)):
            return concepts.distinction_near_skill(facts, profile)
    # A named honour only when a hard skill is named (most messages name none).
    if not (distinctions := distinctions or concepts.named_honours(facts)):
        return concepts.distinction_near_skill(facts, profile)
    kind = f"{concepts.distinction_kind(distinctions)} ({concepts.quoted(distinctions)})"
    said = concepts.sentence_with(facts, distinctions[0])
    named = ", ".join(s + concepts.from_where(where) for s, _, where in skills)
    return (
        Reason(
            f"Distinguished record, {kind}" + (f': "{concepts.shortened(said)}"' if said else ""),
            (*distinctions, said) if said else distinctions,
        ),
        Reason(
            f"In a hard-to-fill skill: {named}",
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
    if sender := concepts.employee_introducing(facts, profile):
        return sender
    if not (facts.to or facts.cc):  # most requests: no one else to look at
        return None
    skip = {profile.recruiter_email.lower(), facts.sender.email.lower()}
    introducers = [
        a
        for a in (*facts.to, *facts.cc)
        if a.email.lower() not in skip
        and concepts.is_employee_domain(a.email, profile)
        and not concepts.is_generic_inbox(a.email)
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
    relationship = concepts.our_thread(facts, profile) or concepts.thanks_for_a_conversation(facts)
    if relationship:
        return relationship
    if (person := profile.contacts_by_email.get(facts.sender.email.lower())) is not None:
        note = f" ({person.note})" if person.note else ""
        return (Reason(f"Sender is a known contact: {person.name}{note}", (facts.sender.email,)),)
    return None


def relevant_skills_no_job_ask(facts: RequestFacts, profile: Profile) -> tuple[Reason, ...] | None:
    """Relevant skills from someone who is not asking for a job now.

    All three: the message (or else the attached résumé) mentions an opening (a skill or its
    title) or a hard-to-fill skill; it says plainly they are not job-hunting now
    (NOT_LOOKING_NOW_PHRASES: not looking yet, keep in touch, "I'll get back in touch then",
    "not before the spring", "not asking anything", "too early to apply"; or a later
    availability, in one sentence or right after the one that names the time ("... through
    October; I'm free after that"): free, moving, able to talk or switch at a time ahead, that
    is a month or a season, a year or months ahead in words ("next academic year", "in about a
    year", "in six months"; not "for several years", "next month"), or the end of a commitment
    still running (a contract, a notice period, a leave, a PhD, a visa or a permit still to
    come: "once it's through", "I will defend in October"); or a commitment, or the writer now,
    bound until such a time ("on a contract until summer 2028", "I'm on secondment until the
    autumn"); not a sentence that says now, "ready to relocate immediately", nor one in the
    past, "moved in 2019", "last autumn"); and it asks for no job, referral or interview
    (JOB_ASK_PHRASES: announcing or meaning to apply, asking to be referred, recommended or
    introduced, a competing offer waiting for their answer) and no meeting (MEETING_ASK_PHRASES)
    now (an ask turned around by a negation just before it, "I'm not looking for a job", is not
    one; nor is a meeting for later, "an informational interview later in the year", nor
    applying for a visa)."""
    # The cheap questions first: most requests stop at one of them. A message with none of
    # the words a "not now" needs is turned away before its asks are looked for (the asks
    # read the whole text; the other rules need them only when they read that far).
    if not (facts.scan.may_match(NOT_LOOKING_NOW) or concepts.may_tell_later_availability(facts)):
        return None
    if concepts.job_asks(facts) or concepts.meeting_asks(facts):
        return None
    if not (not_now := facts.scan.find(NOT_LOOKING_NOW) or concepts.later_availability(facts)):
        return None
    openings, skills = concepts.openings(facts, profile), concepts.hard_skills(facts, profile)
    if not (openings or skills):
        skills = concepts.skills_in_other_words(facts, profile)
    if not (openings or skills):
        return None
    return (
        *concepts.skill_reasons(openings, skills),
        Reason(f"Not asking for a job now: {concepts.quoted(not_now)}", not_now),
    )


def funnel_default(facts: RequestFacts, profile: Profile) -> tuple[Reason, ...] | None:
    """Everyone else: kindly decline and point them to the careers site.

    Always matches. Its reasons say which case it is (nothing relevant; relevant skills with
    a job ask; relevant skills and nothing saying they are not looking now), with the asks
    and skills found. (Not "no sign of waiting": beside an urgent deadline it read as a
    contradiction.)"""
    openings, skills = concepts.openings(facts, profile), concepts.hard_skills(facts, profile)
    asks, meetings = concepts.job_asks(facts), concepts.meeting_asks(facts)
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
        reasons.append(
            Reason(f"Asks for a job, a referral or an interview: {concepts.quoted(asks)}", asks)
        )
    if meetings:
        reasons.append(Reason(f"Asks for a meeting now: {concepts.quoted(meetings)}", meetings))
    reasons.extend(concepts.skill_reasons(openings, skills))
    return tuple(reasons)


# --- The order, and classify -------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """A rule check and the bucket it sends a request to."""

    check: RuleCheck
    bucket: Bucket
    fallback: bool = False  # matches everything; not reported in `also_matched`
    # The check's name, kept as a plain attribute: read for every verdict of every request.
    name: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", self.check.__name__)  # frozen: set once, here

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


RuleCall = Callable[[RequestFacts, Profile], Verdict | None]


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

    @cached_property
    def in_turn(self) -> tuple[tuple[RuleCall, ...], tuple[RuleCall, ...]]:
        """(the rules but the fallback, the fallback), each in order, as their calls: classify
        runs the first on every request and the second only when none of them matched, so
        it sorts them once per rule set, not once per request. The calls are the rules'
        __call__ bound once: the interpreter runs a bound method in its own loop, where
        calling the Rule itself goes through its type's call slot (a C detour per rule)."""
        return (
            tuple(rule.__call__ for rule in self.rules if not rule.fallback),
            tuple(rule.__call__ for rule in self.rules if rule.fallback),
        )


DEFAULT_RULE_SET = RuleSet(RULES)


def classify(facts: RequestFacts, profile: Profile, rule_set: RuleSet | None = None) -> Verdict:
    """Evaluate every rule; the first match decides, the others are listed in also_matched.

    The fallback (funnel_default) matches everything, so it is only listed when it decides.
    Without a rule set, the built-in rules run in the order above (triage passes the
    database's: see the module docstring)."""
    ordinary, fallback = (rule_set or DEFAULT_RULE_SET).in_turn
    if matched := [v for call in ordinary if (v := call(facts, profile))]:
        winner, *others = matched
        also = tuple(v.rule for v in others)
    else:
        # The fallback is not listed in also_matched, so it need only run when nothing else
        # matched.
        winner, *_ = [v for call in fallback if (v := call(facts, profile))]
        also = ()
    if not also and not winner.also_matched:  # most requests: one rule matched
        return winner  # the verdict it would be made again as
    return Verdict(winner.bucket, winner.rule, winner.reasons, also)
