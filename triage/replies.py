"""Reply templates: the placeholders recruiters may use, and a sandbox to render them.

Templates are written by recruiters and rendered with candidate data, so the engine may
reach nothing but the documented placeholders: Django's template parser on an engine
with no loaders and no libraries, and a check that allows only `{{ name }}` and
`{{ name|default:"fallback" }}`. Every value handed in is a plain string, so there are
no model methods or settings to reach even if the check were bypassed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import nh3
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import FilterExpression, Node, TextNode, VariableNode
from django.template.defaulttags import IfNode, TemplateLiteral
from django.utils.html import escape, linebreaks, urlize

PLACEHOLDERS: dict[str, str] = {
    "first_name": "The candidate's first name (may be empty: give a fallback)",
    "last_name": "The candidate's last name (may be empty: give a fallback)",
    "company": "Your company's name",
    "careers_url": "The careers site",
    "openings": "The open roles that match the request, one per line with its link (may be empty)",
    "recruiter_name": "The recruiter sending the reply",
    "recruiter_signature": "The recruiter's signature block",
    "original_subject": "The subject of the candidate's message",
    "original_date": "The date the candidate wrote",
    "role_title": 'The role a "role opened" reply is about (empty in other replies)',
    "role_url": "That role's page on the careers site (empty in other replies)",
    "wrote_before": (
        "Not empty when we already wrote to this person: use it in {% if wrote_before %}…"
        "{% else %}…{% endif %}"
    ),
    "consent_url": (
        "A one-click link where the candidate agrees to stay in the talent pool (or asks not "
        "to be contacted); it works for {consent_days} days, as long as we wait for an answer "
        "before taking someone out of the pool"
    ),
}


def placeholder_help(*, consent_days: int) -> dict[str, str]:
    """PLACEHOLDERS as the template editor shows them: in a recruiter's words, with the
    deployment's figures filled in (no setting names)."""
    return {
        name: text.replace("{consent_days}", str(consent_days))
        for name, text in PLACEHOLDERS.items()
    }


ALLOWED_FILTERS = {"default"}

_engine = Engine(dirs=[], app_dirs=False, loaders=[], libraries={}, autoescape=False, debug=True)


@lru_cache(maxsize=256)
def _compiled(text: str):
    """A template checked and compiled once: a bulk renders the same one for every request
    (a compiled template renders any number of times, as Django's cached loader does)."""
    return _engine.from_string(text)


def _variable_name(expression: FilterExpression) -> str:
    return str(expression.var)


def check(text: str) -> list[str]:
    """Problems that stop the template from being saved, each saying where.

    Allowed: `{{ name }}`, `{{ name|default:"…" }}`, and `{% if name %}…{% else %}…{% endif %}`
    (also `if not name`, `elif`) so a sentence can depend on whether, say, any role fits."""
    try:
        template = _engine.from_string(text)
    except TemplateSyntaxError as error:
        line = getattr(error, "template_debug", {}).get("line")
        message = _sandbox_words(str(error))
        return [f"Line {line}: {message}" if line else message]
    return _check_nodes(template.nodelist)


def _sandbox_words(message: str) -> str:
    """Django's syntax error, less its advice for a project with tag libraries: this engine
    has none, so "load" or "register" one is no way out, and its list of them is empty."""
    if "is not a registered tag library" in message:
        return "{% load %} is not allowed: only the placeholders listed and {% if %} are."
    return message.replace(" Did you forget to register or load this tag?", "").strip()


def _check_nodes(nodes) -> list[str]:
    problems = []
    for node in nodes:
        line = node.token.lineno if getattr(node, "token", None) else "?"
        if isinstance(node, TextNode):
            continue
        if isinstance(node, IfNode):
            for condition, branch in node.conditions_nodelists:
                if condition is not None and _condition_name(condition) is None:
                    problems.append(
                        f"Line {line}: {{% if %}} may only test one placeholder, "
                        "as in {% if openings %} or {% if not openings %}."
                    )
                problems += _check_nodes(branch)
            continue
        if not isinstance(node, VariableNode):
            problems.append(f"Line {line}: tags like {node.token.contents!r} are not allowed.")
            continue
        problems += _check_variable(node.filter_expression, line)
    return problems


def _check_variable(expression: FilterExpression, line) -> list[str]:
    problems = []
    name = _variable_name(expression)
    if name not in PLACEHOLDERS:
        problems.append(
            f"Line {line}: unknown placeholder {{{{ {name} }}}}. "
            f"Use one of: {', '.join(PLACEHOLDERS)}."
        )
    for func, _args in expression.filters:
        if func.__name__ not in ALLOWED_FILTERS:
            problems.append(
                f'Line {line}: the filter |{func.__name__} is not allowed (only |default:"…").'
            )
    return problems


def _condition_name(condition) -> str | None:
    """The placeholder an {% if %} tests (plainly or with `not`), None for anything else."""
    if getattr(condition, "id", None) == "not":
        condition = condition.first
    if not isinstance(condition, TemplateLiteral):
        return None
    expression = condition.value
    if not isinstance(expression, FilterExpression) or expression.filters:
        return None
    name = _variable_name(expression)
    return name if name in PLACEHOLDERS else None


def _rendered_nodes(nodes, context: dict[str, str]) -> list[Node]:
    """The variable nodes that render with these values: an {% if %} contributes only the
    branch it takes."""
    found = []
    values = Context({name: str(context.get(name, "")) for name in PLACEHOLDERS})
    for node in nodes:
        if isinstance(node, VariableNode):
            found.append(node)
        elif isinstance(node, IfNode):
            for condition, branch in node.conditions_nodelists:
                if condition is None or condition.eval(values):
                    found += _rendered_nodes(branch, context)
                    break
    return found


def empty_placeholders(text: str, context: dict[str, str]) -> list[str]:
    """Placeholders that would render empty because they have no fallback."""
    template = _compiled(text)
    return [
        _variable_name(node.filter_expression)
        for node in _rendered_nodes(template.nodelist, context)
        if not node.filter_expression.filters
        and not str(context.get(_variable_name(node.filter_expression), "")).strip()
    ]


# "Re:", "RE:", "AW:" (German), "SV:" (Nordic), "Antw:", "Fwd:", "FW:", "WG:", "TR:", with or
# without a counter ("Re[2]:"), however many times a thread has stacked them.
_REPLY_PREFIX = r"(?:re|aw|sv|antw|vs)"
_FORWARD_PREFIX = r"(?:fwd?|wg|tr)"
_PREFIXES = re.compile(
    rf"^(?:\s*(?P<word>{_REPLY_PREFIX}|{_FORWARD_PREFIX})\s*(?:\[\d+\])?\s*:\s*)+",
    re.IGNORECASE,
)


def strip_subject_prefixes(subject: str) -> str:
    """The subject without its leading "Re:", "Fwd:" and kin."""
    return _PREFIXES.sub("", subject).strip()


def tidy_subject(subject: str) -> str:
    """One "Re: " at most, never "Re: RE: Fwd: …": a subject that began with any reply
    prefix becomes "Re: " and the rest; one with only forward prefixes "Fwd: " and the
    rest; any other is left as it is."""
    subject = " ".join(subject.split())
    match = _PREFIXES.match(subject)
    if match is None:
        return subject
    words = re.findall(rf"{_REPLY_PREFIX}|{_FORWARD_PREFIX}", match.group(0), re.IGNORECASE)
    is_reply = any(re.fullmatch(_REPLY_PREFIX, word, re.IGNORECASE) for word in words)
    rest = subject[match.end() :].strip()
    return f"{'Re' if is_reply else 'Fwd'}: {rest}" if rest else subject


def render(text: str, context: dict[str, str]) -> str:
    """Render a template that passed `check`. Only documented placeholders are passed in."""
    values = {name: str(context.get(name, "")) for name in PLACEHOLDERS}
    rendered = _compiled(text).render(Context(values, autoescape=False))
    # render() marks its output safe for HTML, but this is plain text made from what a
    # candidate wrote: hand back a plain str, so every page that shows it escapes it.
    return str.__str__(rendered)


# A reply written from scratch in the thread (no saved template): a greeting and the
# signature to write between.
FREE_FORM_SUBJECT = 'Re: {{ original_subject|default:"your note" }}'
FREE_FORM_BODY = 'Hi {{ first_name|default:"there" }},\n\n\n\n{{ recruiter_signature }}\n'


@dataclass(frozen=True)
class DefaultTemplate:
    name: str
    bucket: str
    is_default: bool
    subject: str
    body: str
    for_follow_ups: bool = False


SHIPPED_TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates" / "triage" / "replies"


def shipped_templates() -> list[DefaultTemplate]:
    """The canned replies that ship with the app, in file-name order."""
    return [read_default_template(path) for path in sorted(SHIPPED_TEMPLATES_DIR.glob("*.txt"))]


def install_shipped_templates(template_model) -> None:
    """Create each shipped template that has no row of its name yet; never overwrite one.

    Takes the model class, so the data migration can pass its historical model (an older
    one may not know `for_follow_ups` yet)."""
    fields = {field.name for field in template_model._meta.get_fields()}
    for template in shipped_templates():
        defaults = {
            "bucket": template.bucket,
            "subject": template.subject,
            "body": template.body,
            "is_default": template.is_default,
            "for_follow_ups": template.for_follow_ups,
        }
        template_model.objects.get_or_create(
            name=template.name, defaults={k: v for k, v in defaults.items() if k in fields}
        )


def read_default_template(path: Path) -> DefaultTemplate:
    """Read one of the shipped templates (templates/triage/replies/*.txt).

    The format is a few `key: value` header lines, a line `---`, then the body."""
    header, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
    fields = dict(line.split(":", 1) for line in header.splitlines() if ":" in line)
    fields = {key.strip(): value.strip() for key, value in fields.items()}
    return DefaultTemplate(
        name=fields["name"],
        bucket=fields["bucket"],
        is_default=fields.get("default", "false").lower() == "true",
        for_follow_ups=fields.get("follow_up", "false").lower() == "true",
        subject=fields["subject"],
        body=body.strip() + "\n",
    )


# What the HTML alternative may contain: paragraphs, line breaks and links, nothing else.
HTML_TAGS = {"p", "br", "a"}
HTML_URL_SCHEMES = {"http", "https", "mailto"}


def as_html(text: str, *, title: str) -> str:
    """The HTML alternative of a plain-text reply: the same words, escaped, with paragraphs,
    line breaks and clickable links, and nothing a candidate's name, a subject or a template
    could smuggle in. urlize escapes everything that is not a link; nh3 then keeps only
    p/br/a with http(s)/mailto hrefs, so a mistake in either step still cannot add markup."""
    linked = urlize(text.strip(), nofollow=False, autoescape=True)
    body = nh3.clean(
        linebreaks(linked, autoescape=False),
        tags=HTML_TAGS,
        attributes={"a": {"href"}},
        url_schemes=HTML_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head>\n<body>\n{body}\n</body></html>\n"
    )
