"""The daily follow-up digest: the pool's due follow-ups by email (who is due:
selectors/talent.py)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.template.loader import render_to_string

from triage import access
from triage.selectors.talent import due_follow_ups


def recipients():
    """Each recruiter with an email address (hiring managers see only their own requests,
    so the pool's names are not theirs to receive)."""
    return access.recruiters().exclude(email="").order_by("pk")


def send_digests(*, today: date) -> int:
    """Email each recruiter today's digest; nothing when nothing is due. Returns emails sent."""
    entries = due_follow_ups(today)
    if not entries:
        return 0
    context = {"entries": entries, "today": today, "site_url": settings.SITE_URL.rstrip("/")}
    body = render_to_string("triage/digest_email.txt", context)
    subject = f"{len(entries)} follow-up{'s' if len(entries) != 1 else ''} due today"
    messages = [EmailMessage(subject=subject, body=body, to=[user.email]) for user in recipients()]
    return mailers.default.send_messages(messages) or 0
