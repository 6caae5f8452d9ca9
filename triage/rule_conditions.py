"""Rules recruiters write without code: conditions on a request, combined with all or any.

A rule is plain data (stored as JSON on the Rules page) and is compiled once per rule-set
version into a check as quick as the built-in ones: each word list becomes one precompiled
pattern, and regular expressions run on RE2, whose time is linear in the length of the text,
so no pattern a recruiter types can hang triage ("(a+)+$" on a long "aaaa…!" included).

Pure like rules.py: no ORM, no settings, no clock. The database side is services/rulebook.py.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import re2

from triage import concepts, matching, rules
from triage.phrases import Text
from triage.rules import Bucket, Profile, Reason, RequestFacts, Verdict

# What a condition looks at. Text targets are tested with words or a pattern; flags are
# facts the built-in rules already know how to find.
TEXT_TARGETS = {
    "sender": "Sender address",
    "name": "Sender name",
    "subject": "Subject",
    "body": "Message",
    "attachment_text": "Attachment text",
}
FLAG_TARGETS = {
    "has_attachments": "Has attachments",
    "known_contact": "An existing relationship (a contact, our thread, a past call)",
    "notable_person": "Sender is a notable person",
    "employee_domain": "Sender is at an employee domain",
    "hard_skill": "Mentions a hard-to-fill skill",
    "open_role": "Mentions an open role",
}
TESTS = {
    "any": "contains any of",
    "all": "contains all of",
    "regex": "matches the regular expression",
}
MATCH_MODES = {"all": "All conditions", "any": "Any condition"}
MAX_PATTERN_LENGTH = 500
MAX_EVIDENCE = 5
log = logging.getLogger(__name__)


class ConditionError(ValueError):
    """A condition that cannot run: the message says what to fix, in a recruiter's words."""


@dataclass(frozen=True)
class Condition:
    """One test: `on` a text target with `test` any/all (`words`) or regex (`pattern`), or a
    flag target, which needs neither."""

    on: str
    test: str = "any"
    words: tuple[str, ...] = ()
    pattern: str = ""

    def as_dict(self) -> dict:
        if self.on in FLAG_TARGETS:
            return {"on": self.on}
        if self.test == "regex":
            return {"on": self.on, "test": "regex", "pattern": self.pattern}
        return {"on": self.on, "test": self.test, "words": list(self.words)}

    @classmethod
    def from_dict(cls, data: dict) -> Condition:
        return cls(
            on=data.get("on", ""),
            test=data.get("test", "any"),
            words=tuple(data.get("words", ())),
            pattern=data.get("pattern", ""),
        )

    @property
    def description(self) -> str:
        if self.on in FLAG_TARGETS:
            return FLAG_TARGETS[self.on]
        target = TEXT_TARGETS.get(self.on, self.on)
        if self.test == "regex":
            return f"{target} matches /{self.pattern}/"
        return f"{target} {TESTS.get(self.test, self.test)} {concepts.quoted(self.words)}"


@dataclass(frozen=True)
class CustomRule:
    """A rule as a recruiter wrote it. `name` is its stable key: what a request records as
    the rule that decided it, kept when the title changes."""

    name: str
    title: str
    bucket: Bucket
    conditions: tuple[Condition, ...]
    match: str = "all"  # "all" or "any"

    @property
    def description(self) -> str:
        joiner = " and " if self.match == "all" else " or "
        return joiner.join(c.description for c in self.conditions) or "(no conditions)"


# --- Checking one condition ------------------------------------------------------------------

ConditionCheck = Callable[[RequestFacts, Profile], Reason | None]


def _normalized(phrase: str) -> str:
    """How a phrase and a match of it compare: case, spaces and hyphens do not matter."""
    return " ".join(re.split(r"[\s\-\u2013]+", phrase.strip())).casefold()


def _text(facts: RequestFacts, on: str) -> str:
    return {
        "sender": facts.sender.email,
        "name": facts.sender.name,
        "subject": facts.subject,
        "body": facts.body,
        "attachment_text": facts.attachment_text,
    }[on]


def _words_check(condition: Condition) -> ConditionCheck:
    words = tuple(w for w in condition.words if re.search(r"\w", w))
    wanted = {_normalized(w) for w in words}
    # One pattern for the whole list: whole words, any case, spaces and hyphens alike.
    pattern = matching.any_phrase(words)
    need_all = condition.test == "all"

    def check(facts: RequestFacts, profile: Profile) -> Reason | None:
        text = _text(facts, condition.on)
        found = dict.fromkeys(text[start:end] for start, end in pattern.spans(Text.of(text)))
        seen = {_normalized(f) for f in found}
        if not found or (need_all and not wanted <= seen):
            return None
        return Reason(f"{condition.description}: found {concepts.quoted(found)}", tuple(found))

    return check


def compile_pattern(pattern: str) -> re2._Regexp:
    """An RE2 pattern, case-insensitive; ConditionError says why one cannot be used."""
    if not pattern.strip():
        raise ConditionError("Enter a regular expression.")
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ConditionError(f"Keep the pattern under {MAX_PATTERN_LENGTH} characters.")
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    try:
        return re2.compile(pattern, options)
    except re2.error as error:
        detail = error.args[0] if error.args else error
        if isinstance(detail, bytes):
            detail = detail.decode(errors="replace")
        raise ConditionError(
            f"Not a pattern this app can run: {detail}. Back-references and look-arounds are "
            "not supported, so that every pattern runs in linear time."
        ) from None


def _regex_check(condition: Condition) -> ConditionCheck:
    pattern = compile_pattern(condition.pattern)

    def check(facts: RequestFacts, profile: Profile) -> Reason | None:
        text = _text(facts, condition.on)
        if pattern.search(text) is None:
            return None
        found = dict.fromkeys(m.group(0) for m in pattern.finditer(text) if m.group(0).strip())
        evidence = tuple(found)[:MAX_EVIDENCE]
        said = f": found {concepts.quoted(evidence)}" if evidence else ""
        return Reason(f"{condition.description}{said}", evidence)

    return check


def _from_builtin(check: rules.RuleCheck, label: str) -> ConditionCheck:
    """A flag the built-in rules already find, with their reasons' evidence."""

    def flag(facts: RequestFacts, profile: Profile) -> Reason | None:
        reasons = check(facts, profile)
        if not reasons:
            return None
        evidence = tuple(e for r in reasons for e in r.evidence)
        return Reason(f"{label}: {'; '.join(r.text for r in reasons)}", evidence)

    return flag


def _has_attachments(facts: RequestFacts, profile: Profile) -> Reason | None:
    if not facts.attachment_names:
        return None
    names = facts.attachment_names
    return Reason(f"{FLAG_TARGETS['has_attachments']}: {concepts.quoted(names)}", names)


def _employee_domain(facts: RequestFacts, profile: Profile) -> Reason | None:
    if not concepts.is_employee_domain(facts.sender.email, profile):
        return None
    return Reason(f"{FLAG_TARGETS['employee_domain']}: {facts.sender.email}", (facts.sender.email,))


def _hard_skill(facts: RequestFacts, profile: Profile) -> Reason | None:
    skills = concepts.hard_skills(facts, profile)
    if not skills:
        return None
    evidence = tuple(e for _, ev, _ in skills for e in ev)
    named = ", ".join(s + concepts.from_where(where) for s, _, where in skills)
    return Reason(f"{FLAG_TARGETS['hard_skill']}: {named}", evidence)


def _open_role(facts: RequestFacts, profile: Profile) -> Reason | None:
    openings = concepts.openings(facts, profile)
    if not openings:
        return None
    evidence = tuple(e for _, ev, _ in openings for e in ev)
    titles = ", ".join(o.title + concepts.from_where(where) for o, _, where in openings)
    return Reason(f"{FLAG_TARGETS['open_role']}: {titles}", evidence)


FLAG_CHECKS: dict[str, ConditionCheck] = {
    "has_attachments": _has_attachments,
    "known_contact": _from_builtin(rules.known_contact, FLAG_TARGETS["known_contact"]),
    "notable_person": _from_builtin(rules.notable_person, FLAG_TARGETS["notable_person"]),
    "employee_domain": _employee_domain,
    "hard_skill": _hard_skill,
    "open_role": _open_role,
}


def compile_condition(condition: Condition) -> ConditionCheck:
    """The condition as a check; ConditionError if it cannot run as written."""
    if condition.on in FLAG_CHECKS:
        return FLAG_CHECKS[condition.on]
    if condition.on not in TEXT_TARGETS:
        raise ConditionError(f"Unknown thing to check: {condition.on!r}.")
    if condition.test == "regex":
        return _regex_check(condition)
    if condition.test not in ("any", "all"):
        raise ConditionError(f"Unknown test: {condition.test!r}.")
    if not any(re.search(r"\w", w) for w in condition.words):
        raise ConditionError("Enter at least one word or phrase.")
    return _words_check(condition)


# --- Rules and rule sets ---------------------------------------------------------------------


@dataclass(frozen=True)
class CompiledRule:
    """A custom rule ready to run: the same interface as rules.Rule."""

    rule: CustomRule
    checks: tuple[ConditionCheck, ...]
    fallback: bool = field(default=False, init=False)

    @property
    def name(self) -> str:
        return self.rule.name

    def __call__(self, facts: RequestFacts, profile: Profile) -> Verdict | None:
        if self.rule.match == "all":
            reasons = []
            for check in self.checks:  # stops at the first miss
                if (reason := check(facts, profile)) is None:
                    return None
                reasons.append(reason)
        else:
            reasons = [r for check in self.checks if (r := check(facts, profile))]
        if not reasons:
            return None
        return Verdict(self.rule.bucket, self.rule.name, tuple(reasons))


def compile_rule(rule: CustomRule) -> CompiledRule:
    if not rule.conditions:
        raise ConditionError("Add at least one condition.")
    if rule.match not in MATCH_MODES:
        raise ConditionError(f"Unknown way to combine conditions: {rule.match!r}.")
    return CompiledRule(rule, tuple(compile_condition(c) for c in rule.conditions))


@dataclass(frozen=True)
class Entry:
    """One line of the ordered rule list: a built-in rule by name, or a custom rule."""

    enabled: bool
    builtin: str = ""
    custom: CustomRule | None = None


BUILTINS = {rule.name: rule for rule in rules.RULES}


def compile_rule_set(entries: Iterable[Entry], *, version: int | None = None) -> rules.RuleSet:
    """The rules to run, in order: enabled entries, then any built-in rule the list does not
    mention yet (new in the code: on until someone switches it off), then the fallback.

    A custom rule that no longer compiles (it was saved by an older version of this code) is
    skipped rather than stopping triage; saving validates, so this is the exception."""
    entries = list(entries)
    listed = {e.builtin for e in entries if e.builtin}
    ordered: list = []
    for entry in entries:
        if not entry.enabled:
            continue
        if entry.custom is not None:
            try:
                ordered.append(compile_rule(entry.custom))
            except ConditionError as error:
                log.warning("Custom rule %s skipped: %s", entry.custom.name, error)
        elif (rule := BUILTINS.get(entry.builtin)) and not rule.fallback:
            ordered.append(rule)
    ordered += [r for r in rules.RULES if r.name not in listed and not r.fallback]
    ordered += [r for r in rules.RULES if r.fallback]
    return rules.RuleSet(tuple(ordered), version)
