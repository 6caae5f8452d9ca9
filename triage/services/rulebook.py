"""The rules recruiters edit: the ordered list, its versions and history, the rule set that
triage runs, and the dry run that shows what a change would move before it is saved.

Every change (edit, add, reorder, switch) saves a RuleSetVersion: who, when, the rule's
before and after, and a snapshot of the whole list. Triage compiles the newest snapshot once
and keeps it until the version number changes, so a batch costs one small query to check."""

from __future__ import annotations

import bisect
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.text import slugify

from triage import rules
from triage.models import (
    CandidateRequest,
    ReplyTemplate,
    RuleFigures,
    RuleSetVersion,
    TriageRule,
)
from triage.rule_conditions import Condition, CustomRule, Entry, compile_rule_set
from triage.services import audit, config_cache

FALLBACK = next(r for r in rules.RULES if r.fallback)

# --- The rule set in force -------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """What a rule does besides choosing the bucket."""

    template_id: int | None = None
    assignee_id: int | None = None


@dataclass(frozen=True)
class Rulebook:
    """A compiled rule set and each rule's action, for one version."""

    rule_set: rules.RuleSet
    actions: dict[str, Action] = field(default_factory=dict)

    @property
    def version(self) -> int | None:
        return self.rule_set.version


DEFAULT_RULEBOOK = Rulebook(rules.DEFAULT_RULE_SET)
# Keyed by version number and time: a number can come back after a rolled-back save.
_compiled: dict[tuple, Rulebook] = {}


def compile_snapshot(snapshot: list[dict], *, version: int | None = None) -> Rulebook:
    entries = [
        Entry(
            enabled=item["enabled"],
            builtin=item["key"] if item["builtin"] else "",
            custom=None if item["builtin"] else _custom_rule(item),
        )
        for item in snapshot
    ]
    actions = {
        item["key"]: Action(item.get("template"), item.get("assignee"))
        for item in snapshot
        if item.get("template") or item.get("assignee")
    }
    return Rulebook(compile_rule_set(entries, version=version), actions)


def _custom_rule(item: dict) -> CustomRule:
    return CustomRule(
        name=item["key"],
        title=item["title"],
        bucket=rules.Bucket(item["bucket"]),
        conditions=tuple(Condition.from_dict(c) for c in item["conditions"]),
        match=item["match"],
    )


def current_rulebook() -> Rulebook:
    """The newest saved rule set, compiled once per version (one query when it is cached).

    With no saved version (a database emptied by a test), the built-in rules in code order."""
    newest = RuleSetVersion.objects.order_by("-pk").values_list("pk", "created_at").first()
    if newest is None:
        return DEFAULT_RULEBOOK
    if newest not in _compiled:
        snapshot = RuleSetVersion.objects.values_list("snapshot", flat=True).get(pk=newest[0])
        _compiled.clear()  # only the newest version is ever run
        _compiled[newest] = compile_snapshot(snapshot, version=newest[0])
    return _compiled[newest]


def apply_action(request: CandidateRequest, verdict: rules.Verdict, book: Rulebook) -> None:
    """Record which version decided, and do the deciding rule's action (the caller saves).

    A rule suggests a template, and assigns only a request nobody is assigned to yet."""
    request.rule_set_version_id = book.version
    action = book.actions.get(verdict.rule, Action())
    request.suggested_template_id = action.template_id
    if action.assignee_id and request.assigned_to_id is None:
        request.assigned_to_id = action.assignee_id
        request.assigned_at = timezone.now()


# --- The list, and changing it ---------------------------------------------------------------


def entry(row: TriageRule) -> dict:
    """A rule as the snapshot keeps it (and as history shows before and after)."""
    return {
        "key": row.key,
        "builtin": row.builtin,
        "title": row.title,
        "enabled": row.enabled,
        "match": row.match,
        "bucket": row.bucket,
        "conditions": row.conditions,
        "template": row.template_id,
        "assignee": row.assignee_id,
    }


def fingerprint(row: TriageRule) -> str:
    """Tells whether the rule being saved is the one whose dry run the recruiter saw."""
    data = entry(row) | {"key": ""}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:20]


def sync_builtin_rules() -> None:
    """List any built-in rule the table does not have yet (new in the code, or a database
    that was emptied), after the others and switched on, saving a version if one was added."""
    known = set(TriageRule.objects.filter(builtin=True).values_list("key", flat=True))
    missing = [r for r in rules.describe_rules() if r.name not in known and r.name != FALLBACK.name]
    if not missing and RuleSetVersion.objects.exists():
        return
    with transaction.atomic():
        last = TriageRule.objects.order_by("-position").values_list("position", flat=True).first()
        start = (last or 0) + 1 if last is not None else 0
        for offset, info in enumerate(missing):
            TriageRule.objects.create(
                key=info.name,
                builtin=True,
                title=info.name.replace("_", " ").capitalize(),
                position=start + offset,
                bucket=info.bucket.value,
            )
        names = ", ".join(info.name for info in missing) or "none"
        _record(rule=None, change=f"Built-in rules listed: {names}", before=None, by=None)


def rule_rows() -> list[TriageRule]:
    return list(TriageRule.objects.select_related("template", "assignee"))


def description(row: TriageRule) -> str:
    """What the rule checks, in words: the docstring for a built-in, the conditions else."""
    if row.builtin:
        found = {r.name: r.description for r in rules.describe_rules()}
        return found.get(row.key, "A built-in rule no longer in the code: it does nothing.")
    return _custom_rule(entry(row)).description


def _record(*, rule: TriageRule | None, change: str, before: dict | None, by) -> RuleSetVersion:
    snapshot = [entry(row) for row in TriageRule.objects.order_by("position", "pk")]
    # The rule by id: a title or a condition may name someone (an address a rule matches).
    verb = change.split("“")[0].strip()
    audit.record(
        action=audit.Action.CHANGED_RULES,
        by=by,
        target=rule,
        description=f"{verb} rule #{rule.pk}" if rule else verb,
    )
    return RuleSetVersion.objects.create(
        rule=rule,
        change=change,
        before=before,
        after=entry(rule) if rule else None,
        snapshot=snapshot,
        created_by=by if by and by.pk else None,
    )


def _unique_key(title: str) -> str:
    base = (slugify(title).replace("-", "_") or "rule")[:80]
    key, n = base, 1
    builtin_names = {r.name for r in rules.RULES}
    while key in builtin_names or TriageRule.objects.filter(key=key).exists():
        n += 1
        key = f"{base}_{n}"
    return key


@transaction.atomic
def save_rule(*, row: TriageRule, by) -> RuleSetVersion:
    """Save a new or edited rule (already validated by its form) as a new version."""
    is_new = row.pk is None
    before = None if is_new else entry(TriageRule.objects.get(pk=row.pk))
    if is_new:
        row.key = _unique_key(row.title)
        last = TriageRule.objects.order_by("-position").values_list("position", flat=True)
        row.position = (last.first() or 0) + 1
    row.save()
    change = f"Added “{row.title}”" if is_new else f"Edited “{row.title}”"
    return _record(rule=row, change=change, before=before, by=by)


@transaction.atomic
def set_enabled(*, row: TriageRule, enabled: bool, by) -> RuleSetVersion:
    before = entry(row)
    row.enabled = enabled
    row.save(update_fields=["enabled", "updated_at"])
    change = f"{'Switched on' if enabled else 'Switched off'} “{row.title}”"
    return _record(rule=row, change=change, before=before, by=by)


@transaction.atomic
def move_rule(*, row: TriageRule, up: bool, by) -> RuleSetVersion | None:
    """Swap the rule with its neighbour above (or below). None at the top (or bottom)."""
    ordered = list(TriageRule.objects.select_for_update().order_by("position", "pk"))
    index = next(i for i, r in enumerate(ordered) if r.pk == row.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered):
        return None
    before = entry(ordered[index]) | {"position": index + 1}
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, rule in enumerate(ordered):
        rule.position = position
    TriageRule.objects.bulk_update(ordered, ["position"])
    config_cache.changed()  # a bulk write sends no signal
    row.refresh_from_db()
    change = f"Moved “{row.title}” {'up' if up else 'down'} to #{other + 1}"
    version = _record(rule=row, change=change, before=before, by=by)
    version.after = entry(row) | {"position": other + 1}
    version.save(update_fields=["after"])
    return version


IMPORTED = "Imported from file"
# Fields a file sets on a built-in rule: its checks, bucket and title are code.
BUILTIN_FIELDS = ("enabled", "template", "assignee")
CUSTOM_FIELDS = ("title", "enabled", "match", "bucket", "conditions", "template", "assignee")


@dataclass(frozen=True)
class ListChange:
    """What replacing the list would do: rule keys added, changed (their fields), removed,
    and moved (the fewest kept rules whose moving explains the new order)."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    moved: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.moved)

    @property
    def summary(self) -> str:
        counts = [(self.added, "added"), (self.changed, "changed"), (self.removed, "removed")]
        said = [f"{len(keys)} {word}" for keys, word in counts if keys]
        said += ["order changed"] if self.moved else []
        return ", ".join(said) or "unchanged"


def replace_rules(
    *, wanted: list[TriageRule], by, change: str = IMPORTED, dry_run: bool = False
) -> ListChange:
    """Make the list `wanted` (unsaved rows, in order, keys given), as one version.

    A listed rule is updated in place (so its key, history and the requests that name it
    stay), a new key is added, and a custom rule the list leaves out is deleted. A built-in
    rule it leaves out (new in the code since the list was written) stays, after the listed
    ones, as sync_builtin_rules would list it. The version's before and after hold each
    rule it touched, by key, so every one of them shows the change in its history. Nothing
    is written, and no version saved, when nothing changes."""
    current = list(TriageRule.objects.select_for_update().order_by("position", "pk"))
    existing = {row.key: row for row in current}
    listed = {row.key for row in wanted}
    before = {row.key: entry(row) for row in current}
    rows = [_merged(existing.get(row.key), row) for row in wanted]
    rows += [row for row in current if row.builtin and row.key not in listed]
    after = {row.key: entry(row) for row in rows}
    removed = [row for row in current if not row.builtin and row.key not in listed]
    kept_before = [row.key for row in current if row.key in after]
    kept_after = [row.key for row in rows if row.key in before]
    result = ListChange(
        added=tuple(k for k in after if k not in before),
        changed=tuple(k for k in after if k in before and after[k] != before[k]),
        removed=tuple(row.key for row in removed),
        moved=_moved(kept_before, kept_after),
    )
    if dry_run or not result:
        return result
    TriageRule.objects.filter(pk__in=[row.pk for row in removed]).delete()
    for position, row in enumerate(rows):
        if row.pk is None or row.position != position or row.key in result.changed:
            row.position = position
            row.save()

    def side(items: dict, order: list[str]) -> dict:
        touched = dict.fromkeys((*result.added, *result.changed, *result.moved, *result.removed))
        sides = {key: items.get(key) for key in touched}
        for key in result.moved:
            sides[key] = sides[key] | {"position": order.index(key) + 1}
        return {"rules": sides}

    version = _record(rule=None, change=change, before=None, by=by)
    version.before = side(before, [row.key for row in current])
    version.after = side(after, [row.key for row in rows])
    version.save(update_fields=["before", "after"])
    return result


def _moved(old: list[str], new: list[str]) -> tuple[str, ...]:
    """The keys to move to turn order `old` into `new` (same keys): all but a longest run
    that keeps its order, so moving one rule to the top names that rule, not all others."""
    where = {key: i for i, key in enumerate(old)}
    tails: list[int] = []  # tails[n]: index in `new` ending the best run of length n + 1
    previous: list[int | None] = []
    for i, key in enumerate(new):
        n = bisect.bisect_left([where[new[t]] for t in tails], where[key])
        previous.append(tails[n - 1] if n else None)
        tails[n : n + 1] = [i]
    kept, at = set(), tails[-1] if tails else None
    while at is not None:
        kept.add(new[at])
        at = previous[at]
    return tuple(key for key in new if key not in kept)


def _merged(row: TriageRule | None, wanted: TriageRule) -> TriageRule:
    """The saved row with the wanted fields, or the wanted row itself if it is new (a
    built-in one, missing from a database that was emptied, named as sync lists it)."""
    if row is None:
        if wanted.builtin:
            info = next(r for r in rules.describe_rules() if r.name == wanted.key)
            wanted.title = info.name.replace("_", " ").capitalize()
            wanted.bucket = info.bucket.value
        return wanted
    for name in BUILTIN_FIELDS if row.builtin else CUSTOM_FIELDS:
        setattr(row, name, getattr(wanted, name))
    return row


def proposed_snapshot(row: TriageRule) -> list[dict]:
    """The list as it would be with this (unsaved) rule: in its place, or last if new."""
    current = [entry(r) for r in TriageRule.objects.order_by("position", "pk")]
    if row.pk is None:
        return [*current, entry(row) | {"key": "__proposed__"}]
    return [entry(row) if item["key"] == row.key else item for item in current]


# --- Figures for the Rules page --------------------------------------------------------------


@dataclass(frozen=True)
class RuleStats:
    last_30: int = 0
    last_90: int = 0
    decided: int = 0  # in the last 90 days
    overridden: int = 0

    @property
    def precision(self) -> float | None:
        """Share of its decisions recruiters left as they were (None if it decided none)."""
        return (self.decided - self.overridden) / self.decided if self.decided else None


def rule_stats(*, now=None) -> dict[str, RuleStats]:
    """How often each rule decided in the last 30 and 90 days, and how often recruiters
    moved those requests to another bucket: one grouped query for every rule."""
    now = now or timezone.now()
    since_30, since_90 = now - timedelta(days=30), now - timedelta(days=90)
    rows = (
        CandidateRequest.objects.filter(received_at__gte=since_90, received_at__lte=now)
        .values("suggested_rule")
        .annotate(
            last_30=Count("pk", filter=Q(received_at__gte=since_30)),
            last_90=Count("pk"),
            overridden=Count("pk", filter=~Q(final_bucket=F("suggested_bucket"))),
        )
        .order_by()
    )
    return {
        r["suggested_rule"]: RuleStats(r["last_30"], r["last_90"], r["last_90"], r["overridden"])
        for r in rows
    }


@transaction.atomic
def store_rule_stats(*, now=None) -> int:
    """Work out rule_stats now and keep them (RuleFigures) for the Rules page: every few
    minutes, by a task. How many rules decided something."""
    now = now or timezone.now()
    stats = rule_stats(now=now)
    RuleFigures.objects.all().delete()
    RuleFigures.objects.bulk_create(
        RuleFigures(
            rule=key,
            last_30=figures.last_30,
            last_90=figures.last_90,
            overridden=figures.overridden,
            computed_at=now,
        )
        for key, figures in stats.items()
    )
    return len(stats)


def stored_rule_stats() -> tuple[dict[str, RuleStats], datetime | None]:
    """The figures as last kept, and when they were worked out. None kept (a new install
    before its scheduler ran, or nothing decided in 90 days: few rows to read either way):
    worked out now, and None for when."""
    rows = list(RuleFigures.objects.all())
    if not rows:
        return rule_stats(), None
    stats = {r.rule: RuleStats(r.last_30, r.last_90, r.last_90, r.overridden) for r in rows}
    return stats, max(r.computed_at for r in rows)


def rule_history(row: TriageRule):
    """The versions that changed this rule: its own edits, and imports that touched it."""
    touched = Q(rule=row) | Q(rule__isnull=True, after__rules__has_key=row.key)
    versions = RuleSetVersion.objects.filter(touched)
    return versions.select_related("created_by").order_by("-pk")


def changes(
    version: RuleSetVersion, row: TriageRule | None = None
) -> list[tuple[str, object, object]]:
    """(field, before, after) for each field a version changed on its rule (on `row`, for
    a version that changed several rules: an import)."""
    before, after = version.before or {}, version.after or {}
    if "rules" in after and row is not None:
        before, after = before["rules"].get(row.key) or {}, after["rules"].get(row.key) or {}
    # A rule's key and whether it is built in never change: they are not news in history.
    keys = [k for k in dict.fromkeys([*before, *after]) if k not in ("key", "builtin")]
    return [
        (FIELD_LABELS.get(k, k), _shown(k, before.get(k)), _shown(k, after.get(k)))
        for k in keys
        if before.get(k) != after.get(k)
    ]


FIELD_LABELS = {
    "title": "Title",
    "enabled": "On",
    "match": "Combine",
    "bucket": "Bucket",
    "conditions": "Conditions",
    "template": "Template",
    "assignee": "Assignee",
    "position": "Position",
}


def _shown(name: str, value):
    """A field's label and its value in words (history is short: a lookup per id is fine)."""
    if value is None:
        shown = None
    elif name == "conditions":
        shown = "; ".join(Condition.from_dict(c).description for c in value)
    elif name == "enabled":
        shown = "on" if value else "off"
    elif name == "template":
        shown = ReplyTemplate.objects.filter(pk=value).values_list("name", flat=True).first()
    elif name == "assignee":
        user = get_user_model().objects.filter(pk=value).first()
        shown = (user.get_full_name() or user.username) if user else None
    else:
        shown = value
    return shown


# --- Dry run ---------------------------------------------------------------------------------


def rule_by_key(key: str, *, user=None) -> TriageRule | None:
    """The listed rule a request names as its deciding rule (None for the fallback). On a
    page (`user`, the signed-in user), from the rules kept in memory (services.config_cache)."""
    if getattr(user, "config_version", None) is None:
        return TriageRule.objects.filter(key=key).first()
    listed = config_cache.cached(
        "rules", lambda: {r.key: r for r in TriageRule.objects.all()}, user=user
    )
    return listed.get(key)


def titles() -> dict[str, str]:
    """Rule key → title, for pages that show a request's deciding rule."""
    return {FALLBACK.name: "Everyone else"} | dict(TriageRule.objects.values_list("key", "title"))
