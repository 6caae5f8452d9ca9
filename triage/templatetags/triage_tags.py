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
def reason_line(reason: dict) -> SafeString:
    """A reason's text with its evidence marked where the text quotes it ('asks for a
    meeting: "pick your brain"' marks the words in place, a quote the policy shortened with
    "…" is marked whole), and only the evidence it does not quote listed after it: the
    words are said once. Everything is escaped."""
    text, evidence = reason.get("text", ""), reason.get("evidence") or []
    spans, rest = [], []  # (start, end, evidence) in `text`; evidence the text does not quote
    for item in evidence:
        said = " ".join(str(item).split())
        if not said:
            continue
        found = _quote_of(text, said, taken=spans)
        if found:
            spans.append((*found, said))
        else:
            rest.append(str(item))
    pieces, last = [], 0
    for start, end, said in sorted(spans):
        pieces += [escape(text[last:start]), f"<mark>{escape(said)}</mark>"]
        last = end
    pieces.append(escape(text[last:]))
    if rest:
        pieces.append(": " + ", ".join(f"<mark>{escape(item)}</mark>" for item in rest))
    return mark_safe("".join(pieces))  # every piece above is escaped


def _quote_of(text: str, said: str, *, taken: list) -> tuple[int, int] | None:
    """Where `text` quotes `said` ("said", or its beginning cut with "…"), in no span taken."""
    for quote in re.finditer(r'"([^"]*)"', text):
        inside = quote.group(1)
        whole = inside == said
        cut = inside.endswith("…") and len(inside) > 1 and said.startswith(inside[:-1])
        free = all(quote.end() <= start or quote.start() >= end for start, end, _ in taken)
        if (whole or cut) and free:
            return quote.start(), quote.end()
    return None


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
