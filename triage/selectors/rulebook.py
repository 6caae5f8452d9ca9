"""Reads for the Rules page: the list with its figures, a rule's history, and what a
proposed rule set would change (the dry run).

A dry run reads a request as triage does: the words of the whole thread that intake kept
(rules_text), and the files of all its messages, for every request in a fixed number of
queries."""

from __future__ import annotations

from dataclasses import dataclass

from triage import rules
from triage.models import CandidateRequest, TriageRule
from triage.services import rulebook, verdicts

DRY_RUN_SIZE = 1000


def rule_list_page() -> dict:
    """The ordered rules, each with its description and figures (as of `stats_as_of`: kept
    every few minutes), then the fallback."""
    stats, as_of = rulebook.stored_rule_stats()
    rows = [(row, rulebook.description(row), stats.get(row.key)) for row in rulebook.rule_rows()]
    # A plain record: the Rule itself is callable, and templates would call it.
    fallback = rulebook.FALLBACK
    info = {"name": fallback.name, "description": fallback.description, "bucket": fallback.bucket}
    return {
        "rows": rows,
        "fallback": info,
        "fallback_stats": stats.get(fallback.name),
        "stats_as_of": as_of,
    }


def rule_history_page(row: TriageRule) -> dict:
    """A rule's versions, newest first, each with what changed in it."""
    versions = [(v, rulebook.changes(v, row)) for v in rulebook.rule_history(row)]
    return {"rule": row, "description": rulebook.description(row), "versions": versions}


@dataclass(frozen=True)
class Move:
    request: CandidateRequest
    old_bucket: str
    old_rule: str
    new_bucket: str
    new_rule: str
    reasons: tuple[rules.Reason, ...]


@dataclass(frozen=True)
class Match:
    """A request the rule under test matches, and what becomes of it with the change: the
    rule decides it, or a rule above it (named) decides first."""

    request: CandidateRequest
    decided_by: str  # the deciding rule's title, with the change
    bucket: str  # the bucket it would be in, with the change
    decides: bool


@dataclass(frozen=True)
class DryRun:
    checked: int
    moves: list[Move]
    matches: list[Match] = ()  # the rule under test's own matches (with rule_key)

    @property
    def moved(self) -> int:
        return len(self.moves)

    @property
    def decided(self) -> int:
        return sum(1 for match in self.matches if match.decides)


def dry_run(
    *,
    snapshot: list[dict],
    profile: rules.Profile,
    limit: int = DRY_RUN_SIZE,
    rule_key: str | None = None,
) -> DryRun:
    """What the rules in `snapshot` would decide for the last `limit` requests, against what
    the rules in force decide now: every request whose bucket would change, and, with
    `rule_key`, every request that rule matches (whether or not it moves: a rule that
    matches what is already in its bucket, or that a rule above it pre-empts, moves none).

    Only the deciding rule matters here, so each side stops at its first match, and a rule
    runs at most once per request for both sides (they share the built-in rules, which are
    most of the cost). The fallback runs only to explain a move to it."""
    now_rules = rulebook.current_rulebook().rule_set.rules
    new_rules = rulebook.compile_snapshot(snapshot).rule_set.rules
    tested = _rule_under_test(snapshot, rule_key)
    names = rulebook.titles() | {item["key"]: item["title"] for item in snapshot}
    recent = CandidateRequest.objects.select_related("candidate").order_by("-received_at", "-pk")
    requests = list(recent[:limit])
    facts_of = verdicts.thread_facts(requests)
    moves, matches = [], []
    with verdicts.collector_paused():  # as re-triage: the rules alone, over many requests
        for request in requests:
            facts = facts_of[request.pk]
            ran: dict = {}
            old = _decide(now_rules, facts, profile, ran)
            new = _decide(new_rules, facts, profile, ran)
            new_name = names.get(new.rule, new.rule)
            if tested is not None:
                if tested not in ran:
                    ran[tested] = tested(facts, profile)
                if ran[tested] is not None:
                    decides = new.rule == tested.name
                    matches.append(Match(request, new_name, new.bucket, decides))
            if old.bucket != new.bucket:
                reasons = new.reasons or _explain(new_rules[-1], facts, profile)
                old_name = names.get(old.rule, old.rule)
                moves.append(Move(request, old.bucket, old_name, new.bucket, new_name, reasons))
    return DryRun(len(requests), moves, matches)


def _rule_under_test(snapshot: list[dict], key: str | None):
    """The rule `key` of the snapshot, compiled on its own and switched on (a rule being
    switched off still shows what it would match)."""
    item = next((item for item in snapshot if item["key"] == key), None)
    if item is None:
        return None
    alone = rulebook.compile_snapshot([item | {"enabled": True}]).rule_set.rules
    return next((rule for rule in alone if rule.name == key), None)


def _decide(ordered, facts: rules.RequestFacts, profile: rules.Profile, ran: dict) -> rules.Verdict:
    """The first rule that matches, each rule run once per request (`ran` remembers). The
    fallback's verdict comes without reasons: it decides the bucket, and is costly to explain."""
    for rule in ordered:
        if rule.fallback:
            return rules.Verdict(rule.bucket, rule.name, ())
        if rule not in ran:
            ran[rule] = rule(facts, profile)
        if ran[rule] is not None:
            return ran[rule]
    raise AssertionError("a rule set always ends with its fallback")


def _explain(fallback, facts: rules.RequestFacts, profile: rules.Profile):
    verdict = fallback(facts, profile)
    return verdict.reasons if verdict else ()
