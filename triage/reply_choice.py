"""Which reply fits a request beyond its bucket: facts about the person's situation that
the bucket does not capture, read from what they wrote and why the rules decided.

Pure Python like rules.py: words and a rule's name come in, a situation goes out. The
bucket stays the rules' (someone turned down for a role is still pointed to the funnel);
only the reply within it changes. services.outbox.default_template maps a situation to a
template by name, and falls back to the bucket's default when no such template exists."""

from __future__ import annotations

import re
from enum import StrEnum


class Situation(StrEnum):
    APPLIED = "applied"  # they applied for a role already (and may have been turned down)
    INTRODUCED = "introduced"  # an employee introduced them


# The shipped template each situation starts from (recruiters may rename or switch it off:
# the bucket's default is used then).
TEMPLATE_NAMES = {
    Situation.APPLIED: "Funnel: applicant to a posted role",
    Situation.INTRODUCED: "Network: employee introduction",
}

# The deciding rules whose reason is itself a situation.
_RULE_SITUATIONS = {"employee_introduction": Situation.INTRODUCED}

# Applications that are not for a job: "my grant application", "my visa application".
_OTHER_APPLICATIONS = (
    r"(?:grant|visa|funding|loan|mortgage|scholarship|fellowship|phd|university|college|"
    r"school|course|patent|permit|passport|citizenship|residency|planning|insurance)"
)
_ROLE = (
    r"(?:the|your|a|an|this|that)\s+(?:[\w()/&,-]+\s+){0,5}?(?:role|position|job|opening|vacancy)\b"
)
_TURNED_DOWN = r"(?:turned\s+down|rejected|declined|unsuccessful)"

# Words only someone who already applied writes: "I applied for", "my application",
# "not moving forward", "I was turned down". Not "before I apply", "I haven't applied yet"
# (no match: "haven't" is not "have"), nor "pass along my application" (sending it now).
# Turned down, rejected, unsuccessful: only when they, or their application for a role,
# were turned down ("you rejected my application", "I was unsuccessful for the analyst
# role", "my application was unsuccessful"); not what they turned down themselves ("I
# rejected the offer from X", "I declined"), nor another kind of application ("my grant
# application was unsuccessful").
_APPLIED = re.compile(
    r"\b(?:I|I've|I have|I had|we)\s+(?:already\s+|recently\s+|just\s+)?applied\b"
    r"|(?:^|\b(?:on|about|regarding|re|of|with|for|after|since)\s+)my\s+"
    rf"(?:(?!{_OTHER_APPLICATIONS}\s)[\w()-]+\s+){{0,5}}application\b"
    r"|\b(?:submitted|sent in)\s+(?:my|an)\s+application\b"
    r"|\b(?:not|n't|wasn't|weren't)\s+(?:be\s+)?(?:moving|going|progressing)\s+forward\b"
    # Someone turned them down: "turned me down", "you rejected my application".
    r"|\b(?:turned|rejected|declined)\s+(?:me\b|my\s+application\b)"
    r"|\bturned\s+my\s+application\s+down\b"
    # They were, and it ends there or says for what: "I was rejected.", "I've been turned
    # down for the X role", "I was unsuccessful in my application", "rejected by you".
    r"|\b(?:I|I've|we)\s+(?:was|were|am|are|got|have\s+been|had\s+been|been)\s+"
    rf"{_TURNED_DOWN}(?:\s*[.!?,;:]|\s*$"
    rf"|\s+(?:for|from|in|with)\s+(?:{_ROLE}|my\s+application\b)"
    r"|\s+(?:by|at)\s+(?:you|your)\b)"
    # Their application, or their application for a role, was.
    rf"|\bmy\s+application(?:\s+(?:for|to)\s+{_ROLE})?\s+(?:was|has\s+been|had\s+been|is)\s+"
    rf"(?:not\s+successful|{_TURNED_DOWN})\b"
    r"|\b(?:was|wasn't|were|not)\s+(?:been\s+)?selected\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n")


def applied_sentences(*, subject: str, text: str) -> tuple[str, ...]:
    """The subject and sentences of `text` that say they already applied, tidied."""
    found = [subject] if _APPLIED.search(subject or "") else []
    found += [s for s in _SENTENCE_END.split(text or "") if _APPLIED.search(s)]
    return tuple(" ".join(s.split()) for s in found)


def situation(*, rule: str, subject: str, text: str) -> Situation | None:
    """The person's situation, if one calls for a reply of its own: the deciding rule's
    (an employee's introduction), else having applied already; None for most requests."""
    if rule in _RULE_SITUATIONS:
        return _RULE_SITUATIONS[rule]
    if applied_sentences(subject=subject, text=text):
        return Situation.APPLIED
    return None


def title_named(title: str, text: str) -> bool:
    """Whether `text` names the role `title`, whole words, with or without its bracketed
    remark ("Backend Engineer (Go)" is named by "the Backend Engineer role")."""
    short = re.sub(r"\s*\([^)]*\)", "", title).strip()
    return any(
        re.search(rf"(?<!\w){re.escape(' '.join(name.split()))}(?!\w)", text, re.IGNORECASE)
        for name in {title, short}
        if name.strip()
    )


def applied_titles(titles, *, subject: str, text: str) -> set[str]:
    """Which of the role `titles` they say they already applied for."""
    said = " \n".join(applied_sentences(subject=subject, text=text))
    return {title for title in titles if said and title_named(title, said)}
