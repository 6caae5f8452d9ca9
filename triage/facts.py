"""The types the triage policy reads and returns: a request's facts, the company's Profile,
the buckets, and a verdict with its reasons.

triage/rules.py imports them (and callers may keep saying `rules.Profile`); like the rules,
they are pure: no ORM, no settings, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from triage import matching
from triage.phrases import cached_attribute


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


def as_other_names(mapping: Mapping[str, Iterable[str]]) -> matching.OtherNames:
    """A profile's other names ({skill: [name, ...]}, as stored) as Profile holds them:
    hashable, in order, blank names left out."""
    return tuple(
        (skill, tuple(n.strip() for n in names if n.strip())) for skill, names in mapping.items()
    )


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
    # Other names of the skills (hard-to-fill ones and openings'), each skill as the profile
    # writes it with what practitioners also call it: (("glass blowing", ("lampworking",
    # "flameworking")), ...). See matching.SkillConcept.
    other_names: matching.OtherNames = ()

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
    def contacts_by_email(self) -> dict[str, Person]:
        """Each contact by email address (lower-cased), the first on the list for an address:
        known_contact asks of every request, so the list is not read each time."""
        by_email: dict[str, Person] = {}
        for person in self.contacts:
            if person.email:
                by_email.setdefault(person.email.lower(), person)
        return by_email

    @cached_property
    def catalogue(self) -> matching.Catalogue:
        """The skills and openings, compiled once per Profile."""
        openings = tuple((o, o.phrases) for o in self.openings)
        return matching.catalogue(self.hard_to_fill_skills, openings, self.other_names)

    @cached_property
    def hard_skill_concepts(self) -> tuple[matching.SkillConcept, ...]:
        """The hard-to-fill skills as concepts (with their other names), once per Profile."""
        return matching.skill_concepts(self.hard_to_fill_skills, self.other_names)

    @cached_property
    def opening_skill_concepts(self) -> tuple[matching.SkillConcept, ...]:
        """The openings' skills (not their titles) that are not hard-to-fill ones, as
        concepts, once per Profile."""
        hard = set(self.hard_to_fill_skills)
        opening_skills = {s for o in self.openings for s in o.skills}
        return tuple(
            c for c in self.skill_concepts if c.skill not in hard and c.skill in opening_skills
        )

    @cached_property
    def skill_concepts(self) -> tuple[matching.SkillConcept, ...]:
        """The hard-to-fill skills, then the openings' skills and titles (the title before a
        comma), as concepts, once per Profile."""
        skills = (
            *self.hard_to_fill_skills,
            *(s for o in self.openings for s in (*o.skills, o.title.split(",")[0])),
        )
        return matching.skill_concepts(tuple(dict.fromkeys(skills)), self.other_names)


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
    # The note a forwarded message holds (mail.forwarded_note), when the sender forwards one:
    # the words of the person an introduction is about ("I wrote the coupler most groups run").
    forwarded: str = ""

    # Written out rather than generated: a frozen dataclass's own __init__ sets each field
    # through object.__setattr__, a call per field, and facts are made for every request.
    # This one fills the instance's __dict__ at once. The same parameters, in the same
    # order, with the same defaults (tests/test_rules.py checks them against the fields).
    def __init__(
        self,
        sender: Address,
        subject: str,
        body: str,
        to: tuple[Address, ...] = (),
        cc: tuple[Address, ...] = (),
        attachment_names: tuple[str, ...] = (),
        attachment_text: str = "",
        quoted_authors: tuple[str, ...] = (),
        we_wrote_before: bool = False,
        forwarded: str = "",
    ) -> None:
        self.__dict__.update(
            sender=sender,
            subject=subject,
            body=body,
            to=to,
            cc=cc,
            attachment_names=attachment_names,
            attachment_text=attachment_text,
            quoted_authors=quoted_authors,
            we_wrote_before=we_wrote_before,
            forwarded=forwarded,
        )

    @cached_attribute
    def sentences(self) -> tuple[matching.Sentence, ...]:
        """The body's sentences with their words' stems, for the rules' concepts."""
        return matching.sentences(self._without_links)

    def sentences_for_skills(self, company: str) -> tuple[matching.Sentence, ...]:
        """The sentences, the company's own name left out: "Acme Widgets' vacancies" say
        nothing of the sender's skills in widgets."""
        if not self.names_the_company(company):  # most messages do not
            return self.sentences
        name = " ".join(company.split()).lower()
        if (found := self._sentences_for_skills.get(name)) is None:
            blank = re.compile(re.escape(name).replace(r"\ ", r"\s+"), re.IGNORECASE)
            text = blank.sub(lambda m: " " * len(m.group()), self._without_links)
            found = self._sentences_for_skills[name] = matching.sentences(text)
        return found

    def names_the_company(self, company: str) -> bool:
        """Whether the body has the company's name (sentences_for_skills leaves it out)."""
        name = " ".join(company.split()).lower()
        lower = self.scan.texts[1].lower or self.body.lower()
        return len(name) >= 3 and name in lower

    @cached_attribute
    def _without_links(self) -> str:
        """The body with its links blanked out (matching.without_links), from the links the
        scan found: the same spans (a wrapped line's break and the space it becomes both end
        a link), not looked for again."""
        return matching.blanked(self.body, self.scan.links[1])

    @cached_attribute
    def _sentences_for_skills(self) -> dict[str, tuple[matching.Sentence, ...]]:
        return {}

    @cached_attribute
    def vocabulary(self) -> matching.Vocabulary:
        """All the body's words and stems: whether a concept may be in it at all."""
        return matching.Vocabulary.of(self.scan.texts[1])

    @cached_attribute
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
