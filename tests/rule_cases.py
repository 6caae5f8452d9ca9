"""What the rules make of a request written in a test: the one way the concept tests build
a request's facts from a body, a sender ("Name <address>" or an Address) and a subject."""

from __future__ import annotations

import re

from triage import rules
from triage.rules import Address, Profile, RequestFacts


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
