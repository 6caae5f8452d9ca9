"""The team's configuration as one file: the triage profile and the rules, in JSON or YAML,
so it can live under version control, be reviewed, and be loaded into another install.

The file is a small registry of sections (SECTIONS): each is a pair of functions, one that
exports its part as plain data, one that checks a file's part and returns how to apply it.
Import checks every section first and writes only if all are valid, in one transaction:
all or nothing. Export is stable (keys sorted, lists in a fixed order), so exporting,
importing into an empty database and exporting again gives the same bytes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from triage import rule_conditions, rules
from triage.models import (
    KnownContact,
    NotablePerson,
    Opening,
    ReplyTemplate,
    TriageProfile,
    TriageRule,
)
from triage.rule_conditions import Condition
from triage.services import audit, config_cache, fits, rulebook

FORMAT = 1

# Applies a checked section (or, in a dry run, only works out what it would change) and
# says what changed, e.g. "2 added, order changed". Takes who imports (None: a command).
Apply = Callable[[Any, bool], str]


class ConfigError(Exception):
    """What is wrong with a file, one "where: what" line per problem."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Section:
    export: Callable[[], Any]
    # Check the file's part (collecting problems as "path: message") and return the apply.
    load: Callable[[Any, Problems], Apply]


class Problems(list):
    def add(self, path: str, message: str) -> None:
        self.append(f"{path}: {message}")


# --- Reading plain data with clear errors ----------------------------------------------------


def _object(value: Any, path: str, problems: Problems, required=(), optional=()) -> dict:
    """`value` as a dict with exactly these keys (missing optional ones are absent)."""
    if not isinstance(value, dict):
        problems.add(path, f"expected an object, got {_kind(value)}")
        return {}
    for key in required:
        if key not in value:
            problems.add(f"{path}.{key}", "missing")
    for key in sorted(set(value) - set(required) - set(optional)):
        problems.add(
            f"{path}.{key}",
            f"unknown key (expected one of: {', '.join(sorted({*required, *optional}))})",
        )
    return value


def _string(value: Any, path: str, problems: Problems) -> str:
    if not isinstance(value, str):
        problems.add(path, f"expected a string, got {_kind(value)}")
        return ""
    return value


def _strings(value: Any, path: str, problems: Problems) -> list[str]:
    if not isinstance(value, list):
        problems.add(path, f"expected a list of strings, got {_kind(value)}")
        return []
    return [_string(item, f"{path}[{i}]", problems) for i, item in enumerate(value)]


def _list(value: Any, path: str, problems: Problems) -> list:
    if not isinstance(value, list):
        problems.add(path, f"expected a list, got {_kind(value)}")
        return []
    return value


def _kind(value: Any) -> str:
    kinds = {dict: "an object", list: "a list", str: "a string", bool: "true/false"}
    kinds |= {int: "a number", float: "a number", type(None): "null"}
    return kinds.get(type(value), type(value).__name__)


def _check(instance, path: str, problems: Problems, exclude=(), keys=None) -> None:
    """Django's own field checks (a valid URL, an email address, lengths), reported under
    the file's key for the field (`keys` maps the few that differ), once per key."""
    try:
        instance.full_clean(
            exclude=list(exclude), validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            where = f"{path}.{(keys or {}).get(field, field)}"
            if not any(problem.startswith(f"{where}:") for problem in problems):
                for message in messages:
                    problems.add(where, message)


# --- The profile section -------------------------------------------------------------------


def export_profile() -> dict | None:
    row = TriageProfile.load()
    if row is None:
        return None
    openings = Opening.objects.select_related("hiring_manager")
    return _profile_data(row, openings, NotablePerson.objects.all(), KnownContact.objects.all())


def _profile_data(row: TriageProfile, openings, notable_people, contacts) -> dict:
    """The profile as the file holds it (saved rows, or the unsaved ones a file would write)."""
    return {
        "company": row.company,
        "careers_url": row.careers_url,
        "recruiter": {"name": row.recruiter_name, "email": row.recruiter_email},
        "employee_domains": list(row.employee_domains),
        "hard_to_fill_skills": list(row.hard_to_fill_skills),
        "other_names": {skill: list(names) for skill, names in row.other_names.items()},
        "openings": sorted(
            (
                # An explicit key is written out; the usual one (the URL) goes without saying.
                ({"key": o.key} if o.key and o.key != o.url else {})
                | {
                    "title": o.title,
                    "url": o.url,
                    "team": o.team,
                    "location": o.location,
                    "skills": list(o.skills),
                    "hiring_manager": o.hiring_manager.username if o.hiring_manager else None,
                    "is_open": o.is_open,
                }
                for o in openings
            ),
            key=lambda o: (o["title"], o["url"], o["team"], o["location"]),
        ),
        "notable_people": sorted(
            ({"name": p.name, "email": p.email} for p in notable_people),
            key=lambda p: (p["name"], p["email"]),
        ),
        "contacts": sorted(
            ({"name": c.name, "email": c.email, "note": c.note} for c in contacts),
            key=lambda c: (c["email"], c["name"]),
        ),
    }


PROFILE_KEYS = ("company", "careers_url", "recruiter")
PROFILE_LISTS = (
    "employee_domains",
    "hard_to_fill_skills",
    "other_names",
    "openings",
    "notable_people",
    "contacts",
)


def import_profile_section(data: Any, problems: Problems) -> Apply:
    """The profile as exported (a profile.json of `import_profile` is one too: its openings
    need no team, hiring manager or is_open). It replaces the profile, notable people and
    contacts. Openings are matched by key (the opening's `key`, else its URL) and updated in
    place, so a role keeps its page, its hiring manager when the file names none, and who
    was told about it; a role the file no longer lists is closed, never deleted."""
    if data is None:
        problems.add("profile", "empty: the file was exported before there was a profile")
        return lambda by, dry_run: ""
    data = _object(data, "profile", problems, PROFILE_KEYS, PROFILE_LISTS)
    recruiter = _object(data.get("recruiter", {}), "profile.recruiter", problems, ("name", "email"))
    profile = TriageProfile(
        company=_string(data.get("company", ""), "profile.company", problems),
        careers_url=_string(data.get("careers_url", ""), "profile.careers_url", problems),
        recruiter_name=_string(recruiter.get("name", ""), "profile.recruiter.name", problems),
        recruiter_email=_string(recruiter.get("email", ""), "profile.recruiter.email", problems),
        employee_domains=_strings(
            data.get("employee_domains", []), "profile.employee_domains", problems
        ),
        hard_to_fill_skills=_strings(
            data.get("hard_to_fill_skills", []), "profile.hard_to_fill_skills", problems
        ),
        # Its shape is checked with the other fields (models.validate_other_names).
        other_names=data.get("other_names", {}),
    )
    _check(
        profile,
        "profile",
        problems,
        keys={"recruiter_name": "recruiter.name", "recruiter_email": "recruiter.email"},
    )
    openings = [
        _opening(item, f"profile.openings[{i}]", problems)
        for i, item in enumerate(_list(data.get("openings", []), "profile.openings", problems))
    ]
    notable = [
        _notable(item, f"profile.notable_people[{i}]", problems)
        for i, item in enumerate(
            _list(data.get("notable_people", []), "profile.notable_people", problems)
        )
    ]
    contacts = [
        _contact(item, f"profile.contacts[{i}]", problems)
        for i, item in enumerate(_list(data.get("contacts", []), "profile.contacts", problems))
    ]
    first_with: dict[str, int] = {}
    for i, opening in enumerate(openings):
        if opening.key in first_with:
            problems.add(
                f"profile.openings[{i}]",
                f"the same key as openings[{first_with[opening.key]}] ({opening.key}): "
                'give one of them a "key" of its own',
            )
        first_with.setdefault(opening.key, i)
    seen: dict[str, int] = {}
    for i, contact in enumerate(contacts):
        if contact.email in seen:
            problems.add(
                f"profile.contacts[{i}].email",
                f"the same address as contacts[{seen[contact.email]}]",
            )
        seen.setdefault(contact.email, i)

    def apply(by, dry_run: bool) -> str:
        closing = _match_openings(openings)
        after = [*openings, *closing]
        if export_profile() == _profile_data(profile, after, notable, contacts):
            return "unchanged"
        if not dry_run:
            write(closing)
        return "replaced"

    def write(closing: list[Opening]) -> None:
        profile.save()
        for opening in openings:
            opening.save()
        Opening.objects.filter(pk__in=[o.pk for o in closing]).update(is_open=False)
        for opening in [*openings, *Opening.objects.filter(pk__in=[o.pk for o in closing])]:
            fits.opening_changed(opening)
        NotablePerson.objects.all().delete()
        NotablePerson.objects.bulk_create(notable)
        KnownContact.objects.all().delete()
        KnownContact.objects.bulk_create(contacts)
        config_cache.changed()  # bulk writes send no signals

    return apply


def _match_openings(openings: list[Opening]) -> list[Opening]:
    """Point each opening of the file at the row it updates (same key; a row saved before
    openings had keys, by its URL), filling in the team and hiring manager a file without
    them leaves as they are. Returns the other rows, closed: the file no longer lists them."""
    rows = list(Opening.objects.select_related("hiring_manager").order_by("pk"))
    by_key = {row.key: row for row in rows if row.key}
    by_url: dict[str, Opening] = {}
    for row in rows:
        if not row.key:
            by_url.setdefault(row.url, row)
    matched = set()
    for opening in openings:
        same = by_key.get(opening.key) or by_url.get(opening.url)
        if same is None or same.pk in matched:
            opening.pk = None
            continue
        matched.add(same.pk)
        opening.pk = same.pk
        for field in ("team", "hiring_manager"):
            if field not in opening.given_keys:
                setattr(opening, field, getattr(same, field))
    closing = [row for row in rows if row.pk not in matched]
    for row in closing:
        row.is_open = False
    return closing


def _opening(item: Any, path: str, problems: Problems) -> Opening:
    item = _object(
        item,
        path,
        problems,
        ("title", "url"),
        ("key", "team", "location", "skills", "hiring_manager", "is_open"),
    )
    is_open = item.get("is_open", True)
    if not isinstance(is_open, bool):
        problems.add(f"{path}.is_open", f"expected true or false, got {_kind(is_open)}")
    opening = Opening(
        title=_string(item.get("title", ""), f"{path}.title", problems),
        url=_string(item.get("url", ""), f"{path}.url", problems),
        team=_string(item.get("team", ""), f"{path}.team", problems),
        location=_string(item.get("location", ""), f"{path}.location", problems),
        skills=_strings(item.get("skills", []), f"{path}.skills", problems),
        is_open=is_open is True,
        hiring_manager=_user(item.get("hiring_manager"), f"{path}.hiring_manager", problems),
    )
    opening.key = _string(item.get("key", ""), f"{path}.key", problems).strip() or opening.url
    opening.given_keys = set(item)
    _check(opening, path, problems, exclude=["hiring_manager", "key"])
    return opening


def _user(value: Any, path: str, problems: Problems):
    """A hiring manager by username or email address. Accounts are not part of the file."""
    if value is None or value == "":
        return None
    name = _string(value, path, problems)
    users = list(get_user_model().objects.filter(Q(username=name) | Q(email__iexact=name))[:2])
    if len(users) != 1:
        problems.add(
            path,
            f"no single user with username or email {name!r}"
            if not users
            else f"{name!r} matches more than one user",
        )
        return None
    return users[0]


def _notable(item: Any, path: str, problems: Problems) -> NotablePerson:
    item = _object(item, path, problems, ("name",), ("email",))
    person = NotablePerson(
        name=_string(item.get("name", ""), f"{path}.name", problems),
        email=_string(item.get("email", ""), f"{path}.email", problems).lower(),
    )
    _check(person, path, problems)
    return person


def _contact(item: Any, path: str, problems: Problems) -> KnownContact:
    item = _object(item, path, problems, ("name", "email"), ("note",))
    contact = KnownContact(
        name=_string(item.get("name", ""), f"{path}.name", problems),
        email=_string(item.get("email", ""), f"{path}.email", problems).lower(),
        note=_string(item.get("note", ""), f"{path}.note", problems),
    )
    _check(contact, path, problems)
    return contact


# --- The rules section -----------------------------------------------------------------------


def export_rules() -> list[dict]:
    """The rule list in priority order. A built-in rule is named by its key (its checks,
    bucket and title are code); a custom rule is written out whole. Templates are named by
    name, assignees by username, so the file reads the same on another install."""
    rows = TriageRule.objects.select_related("template", "assignee").order_by("position", "pk")
    return [_rule_data(row) for row in rows]


def _rule_data(row: TriageRule) -> dict:
    action = {
        "enabled": row.enabled,
        "template": row.template.name if row.template else None,
        "assignee": row.assignee.get_username() if row.assignee else None,
    }
    if row.builtin:
        return {"key": row.key, "builtin": True, **action}
    return {
        "key": row.key,
        "builtin": False,
        "title": row.title,
        "match": row.match,
        "bucket": row.bucket,
        "conditions": [Condition.from_dict(c).as_dict() for c in row.conditions],
        **action,
    }


BUILTIN_RULE_KEYS = ("key", "builtin")
BUILTIN_RULE_OPTIONAL = ("enabled", "template", "assignee")
CUSTOM_RULE_KEYS = ("key", "title", "bucket", "conditions")
CUSTOM_RULE_OPTIONAL = ("builtin", "match", "enabled", "template", "assignee")


def import_rules_section(data: Any, problems: Problems) -> Apply:
    """The whole ordered list: every rule it names is checked (a built-in key the code has,
    a template and an assignee that exist, conditions that compile), then the list replaces
    the saved one as a single rule-set version (rulebook.replace_rules)."""
    wanted = []
    first_at: dict[str, int] = {}
    # A built-in rule the code no longer has stays listed (doing nothing) until removed from
    # the code's list by hand, so a file exported beside it names it and may name it back.
    builtins = {r.name for r in rules.RULES if not r.fallback}
    builtins |= set(TriageRule.objects.filter(builtin=True).values_list("key", flat=True))
    for i, item in enumerate(_list(data, "rules", problems)):
        path = f"rules[{i}]"
        row = _rule(item, path, problems, builtins)
        if row is None:
            continue
        if row.key in first_at:
            problems.add(f"{path}.key", f"the same key as rules[{first_at[row.key]}]")
        first_at.setdefault(row.key, i)
        wanted.append(row)

    def apply(by, dry_run: bool) -> str:
        return rulebook.replace_rules(wanted=wanted, by=by, dry_run=dry_run).summary

    return apply


def _rule(item: Any, path: str, problems: Problems, builtins: set[str]) -> TriageRule | None:
    builtin = isinstance(item, dict) and item.get("builtin") is True
    if builtin:
        item = _object(item, path, problems, BUILTIN_RULE_KEYS, BUILTIN_RULE_OPTIONAL)
    else:
        item = _object(item, path, problems, CUSTOM_RULE_KEYS, CUSTOM_RULE_OPTIONAL)
    if not item:
        return None
    if item.get("builtin", False) not in (True, False):
        problems.add(f"{path}.builtin", f"expected true or false, got {_kind(item['builtin'])}")
    key = _string(item.get("key", ""), f"{path}.key", problems)
    enabled = item.get("enabled", True)
    if not isinstance(enabled, bool):
        problems.add(f"{path}.enabled", f"expected true or false, got {_kind(enabled)}")
    row = TriageRule(
        key=key,
        builtin=builtin,
        enabled=enabled is True,
        template=_template(item.get("template"), f"{path}.template", problems),
        assignee=_user(item.get("assignee"), f"{path}.assignee", problems),
    )
    if builtin:
        if key not in builtins:
            listable = ", ".join(sorted(builtins))
            problems.add(f"{path}.key", f"no built-in rule {key!r} (expected one of: {listable})")
        return row
    if key in builtins | {rulebook.FALLBACK.name}:
        problems.add(f"{path}.key", f'{key!r} is a built-in rule\'s key: add "builtin": true')
    elif key and not re.fullmatch(r"[a-z0-9_]+", key):
        problems.add(f"{path}.key", "use lowercase letters, digits and underscores only")
    row.title = _string(item.get("title", ""), f"{path}.title", problems)
    row.match = _string(item.get("match", "all"), f"{path}.match", problems)
    row.bucket = _string(item.get("bucket", ""), f"{path}.bucket", problems)
    conditions = [
        _condition(c, f"{path}.conditions[{n}]", problems)
        for n, c in enumerate(_list(item.get("conditions", []), f"{path}.conditions", problems))
    ]
    if "conditions" in item and not conditions:
        problems.add(f"{path}.conditions", "Add at least one condition.")
    row.conditions = [c.as_dict() for c in conditions if c is not None]
    _check(row, path, problems, exclude=["template", "assignee", "conditions"])
    return row


def _condition(item: Any, path: str, problems: Problems) -> Condition | None:
    """One condition, compiled as triage would compile it; a problem names the field."""
    known = len(problems)
    item = _object(item, path, problems, ("on",), ("test", "words", "pattern"))
    if not item:
        return None
    condition = Condition(
        on=_string(item.get("on", ""), f"{path}.on", problems),
        test=_string(item.get("test", "any"), f"{path}.test", problems),
        words=tuple(_strings(item.get("words", []), f"{path}.words", problems)),
        pattern=_string(item.get("pattern", ""), f"{path}.pattern", problems),
    )
    if len(problems) > known:  # a condition not shaped right is not compiled as well
        return None
    try:
        rule_conditions.compile_condition(condition)
    except rule_conditions.ConditionError as error:
        problems.add(f"{path}.{_condition_field(condition)}", str(error))
        return None
    return condition


def _condition_field(condition: Condition) -> str:
    """Which key of a condition an error from compile_condition is about."""
    if condition.on not in rule_conditions.TEXT_TARGETS | rule_conditions.FLAG_TARGETS:
        return "on"
    if condition.test == "regex":
        return "pattern"
    return "test" if condition.test not in rule_conditions.TESTS else "words"


def _template(value: Any, path: str, problems: Problems) -> ReplyTemplate | None:
    """A reply template by its name (names are unique). Templates are not part of the file."""
    if value is None or value == "":
        return None
    name = _string(value, path, problems)
    template = ReplyTemplate.objects.filter(name=name).first()
    if template is None and name:
        problems.add(path, f"no reply template named {name!r}")
    return template


# --- The file ----------------------------------------------------------------------------------

SECTIONS: dict[str, Section] = {
    "profile": Section(export_profile, import_profile_section),
    "rules": Section(export_rules, import_rules_section),
}


def format_for(file_name: str) -> str:
    """The file's format by its name: YAML for .yaml/.yml, JSON otherwise."""
    return "yaml" if file_name.lower().endswith((".yaml", ".yml")) else "json"


def export_config(*, fmt: str = "json") -> str:
    """The configuration as JSON (or YAML) text, the same bytes for the same configuration."""
    data = {"format": FORMAT, **{name: section.export() for name, section in SECTIONS.items()}}
    if fmt == "yaml":
        # Block style, one value per line however long (a pattern is not folded), so a
        # change is a one-line diff; strings YAML would read as something else are quoted.
        # Keys in the order the sections write them (a rule's key first): as stable as
        # sorting, and it reads better.
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1_000_000)
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# Limits checked before a file is parsed into data. Parsers recurse (json, PyYAML's composer)
# or slow down with depth (PyYAML's scanner is quadratic in [ and { nesting: 39 KB of "["
# held a request 52 s), so a hostile file is refused by a linear scan first. An export is
# about six levels deep; a few megabytes hold thousands of rules.
MAX_CONFIG_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 32


def parse_config(text: str | bytes, *, fmt: str = "json") -> dict:
    text = _checked_text(text, fmt)
    if fmt == "yaml":
        data = _parse_yaml(text)
    else:
        try:
            data = json.loads(text)
        except ValueError as error:  # includes an integer of more digits than Python reads
            raise ConfigError([f"not valid JSON: {error}"]) from error
    if not isinstance(data, dict):
        where = "a YAML mapping" if fmt == "yaml" else "a JSON object"
        raise ConfigError([f"expected {where} at the top, got {_kind(data)}"])
    return data


def _checked_text(text: str | bytes, fmt: str) -> str:
    """The file as text within the size limit, and JSON within the depth limit (YAML's is
    checked on its event stream, which stops at the first level too deep)."""
    if len(text) > MAX_CONFIG_BYTES:
        raise ConfigError([f"the file is larger than {MAX_CONFIG_BYTES // (1024 * 1024)} MB"])
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ConfigError([f"not UTF-8 text: {error}"]) from error
    if fmt == "json" and json_depth(text) > MAX_DEPTH:
        raise ConfigError([f"nested more than {MAX_DEPTH} levels deep"])
    return text


_JSON_STRING_OR_BRACKET = re.compile(r'"(?:[^"\\]|\\.)*"|[][{}]')


def json_depth(text: str) -> int:
    """The deepest nesting of [ and { outside JSON strings, in one pass without recursion."""
    depth = deepest = 0
    for match in _JSON_STRING_OR_BRACKET.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth -= 1
    return deepest


def _parse_yaml(text: str) -> Any:
    """Plain data only (safe_load builds no objects). Anchors and aliases are refused: the
    file is meant to be read as written, and an alias can repeat a large part many times.
    Block nesting (indentation) is measured on the event stream, which is built without
    recursion, before the composer recurses into it."""
    try:
        depth = 0
        for event in yaml.parse(text, yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise ConfigError(["not accepted: YAML aliases (*name); write each value out"])
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise ConfigError([f"nested more than {MAX_DEPTH} levels deep"])
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ConfigError([f"not valid YAML: {error}".replace("\n", " ")]) from error
    except ValueError as error:  # an integer of more digits than Python reads
        raise ConfigError([f"not valid YAML: {error}"]) from error


def import_config(
    text: str | bytes, *, fmt: str = "json", dry_run: bool = False, by=None
) -> dict[str, str]:
    """Check the whole file, then (unless dry_run) replace the configuration with it, all
    in one transaction; `by` is who imports (None from a command). Returns what each
    section changed (or would change), e.g. {"profile": "unchanged", "rules": "1 added"};
    raises ConfigError listing every problem, having written nothing."""
    data = parse_config(text, fmt=fmt)
    problems = Problems()
    if data.get("format") != FORMAT:
        problems.add("format", f"expected {FORMAT}, got {data.get('format')!r}")
    for key in sorted(set(data) - set(SECTIONS) - {"format"}):
        problems.add(key, f"unknown section (expected: {', '.join(SECTIONS)})")
    applies = {
        name: section.load(data[name], problems)
        for name, section in SECTIONS.items()
        if name in data
    }
    if "profile" not in data:
        problems.add("profile", "missing")
    if problems:
        raise ConfigError(problems)
    with transaction.atomic():
        changed = {name: apply(by, dry_run) for name, apply in applies.items()}
        if not dry_run:
            audit.record(
                action=audit.Action.CHANGED_RULES,
                by=by,
                description="Imported the configuration: "
                + ", ".join(f"{name} {what}" for name, what in changed.items()),
            )
        return changed
