"""Generated mail for the ingest benchmark: a plausible mix, the same on every run."""

from __future__ import annotations

import mailbox
from email.message import EmailMessage
from pathlib import Path

FIRST_NAMES = ("Ada", "Lin", "Zoé", "Omar", "Priya", "Jürgen", "Kim", "Sam", "Noor", "Ravi")
TOPICS = ("flight software", "embedded C", "orbit determination", "data dashboards", "Rust")


def generated_message(number: int) -> bytes:
    """Message `number` of the mix: mostly plain requests, every 5th with an HTML part, every
    20th a follow-up to an earlier one, every 50th an auto-reply, every 100th unreadable."""
    if number % 100 == 99:
        return b"Subject: no sender here\n\nThis message has no From header.\n"
    name = FIRST_NAMES[number % len(FIRST_NAMES)]
    topic = TOPICS[number % len(TOPICS)]
    msg = EmailMessage()
    msg["From"] = f"{name} Example{number} <{name.lower()}.{number}@mail{number % 97}.example>"
    msg["To"] = "Recruiting <rita@acme-orbital.example>"
    msg["Date"] = f"Mon, {1 + number % 28:02d} Sep 2025 {number % 24:02d}:15:00 +0000"
    msg["Message-ID"] = f"<bench-{number}@mail.example>"
    body = (
        f"Hi,\n\nI am {name}, I have worked on {topic} for {3 + number % 9} years. "
        "Could we have a short informational interview about your open roles?\n\n"
        f"Thank you,\n{name}\n"
    )
    if number % 20 == 19:
        msg["Subject"] = f"Re: About {topic}"
        msg["In-Reply-To"] = f"<bench-{number - 1}@mail.example>"
        body = f"Following up on my note.\n\nOn Monday, {name} wrote:\n> {body}"
    else:
        msg["Subject"] = f"About {topic}"
    if number % 50 == 49:
        msg["Auto-Submitted"] = "auto-replied"
        msg.replace_header("Subject", "Out of office")
    msg.set_content(body)
    if number % 5 == 0:
        msg.add_alternative(f"<p>{body.replace(chr(10), '<br>')}</p>", subtype="html")
    return msg.as_bytes()


def write_mbox(path: Path, count: int) -> Path:
    box = mailbox.mbox(path, create=True)
    box.lock()
    try:
        for number in range(count):
            box.add(generated_message(number))
        box.flush()
    finally:
        box.unlock()
        box.close()
    return path
