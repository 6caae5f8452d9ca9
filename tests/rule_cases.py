"""What the rules make of a request written in a test: the one way the concept tests build
a request's facts from a body, a sender ("Name <address>" or an Address) and a subject; and
the probes' shape (a request to an invented company, labeled before the rules ran)."""

from __future__ import annotations

import re

import pytest

from triage import rules
from triage.rules import Address, Bucket, Profile, RequestFacts


def address(said: str | Address) -> Address:
    """ "Ines Roca <ines@elsewhere.example>" as an Address (an Address as it is)."""
    if isinstance(said, Address):
        return said
    name, email = re.fullmatch(r"(.*) <(.*)>", said).groups()
    return Address(name, email)


def classify(
    profile: Profile,
    body: str,
    *,
    sender: str | Address = "Sam <sam@elsewhere.example>",
    subject: str = "Hello",
    **facts,
) -> rules.Verdict:
    """The rules' verdict on `body` from `sender`; `facts`: any other RequestFacts field."""
    request = RequestFacts(sender=address(sender), subject=subject, body=body, **facts)
    return rules.classify(request, profile)


PROBE_SENDER = "Sam Doe <sam.doe@mailbox.example>"
PROBE_FIELDS = ("profile", "body", "sender", "subject", "cc", "label")


def probe(
    label: Bucket,
    profile: Profile,
    body: str,
    *,
    sender: str = PROBE_SENDER,
    subject: str = "Hello",
    cc: tuple[str, ...] = (),
    id: str,
    xfail: str = "",
):
    """One probe as a pytest parameter (PROBE_FIELDS); `xfail`: why the rules still miss it
    (a strict expected failure, so a fix shows)."""
    marks = [pytest.mark.xfail(reason=xfail, strict=True)] if xfail else []
    return pytest.param(profile, body, sender, subject, cc, label, id=id, marks=marks)


def probe_verdict(profile: Profile, body: str, sender: str, subject: str, cc) -> rules.Verdict:
    """The rules' verdict on a probe, written to the company's recruiter with `cc` copied."""
    return classify(
        profile,
        body,
        sender=sender,
        subject=subject,
        to=(Address(profile.recruiter_name, profile.recruiter_email),),
        cc=tuple(map(address, cc)),
    )
