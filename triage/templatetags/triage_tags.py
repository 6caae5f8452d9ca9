import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def highlight(text: str, evidence: list[str]) -> SafeString:
    """Escape `text` and wrap each piece of evidence in <mark>, so reasons point at words."""
    needles = sorted(
        {item for item in evidence or [] if item and item.strip()}, key=len, reverse=True
    )
    if not needles:
        return escape(text)
    pattern = re.compile("|".join(re.escape(needle) for needle in needles), re.IGNORECASE)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[last : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # every piece above is escaped


@register.filter
def web_url(url: str) -> str:
    """`url` if it is an http(s) link, else "": anything else (javascript:, data:) is shown
    as text, never as a link, even if it was stored before openings were checked."""
    return url if re.match(r"https?://", url or "", re.IGNORECASE) else ""


BUCKET_STYLES = {"funnel": "secondary", "network": "info", "exceptional": "warning"}


@register.filter
def bucket_style(bucket: str) -> str:
    return BUCKET_STYLES.get(bucket, "light")


@register.filter
def duration_words(value) -> str:
    """A timedelta in words a person reads at a glance: "15 minutes", "2 hours"."""
    minutes = round(value.total_seconds() / 60)
    if minutes >= 120 and minutes % 60 == 0:
        return f"{minutes // 60} hours"
    return "1 minute" if minutes == 1 else f"{minutes} minutes"
