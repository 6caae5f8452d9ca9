"""Generated mail for the ingest benchmark: a plausible mix, the same on every run."""

from __future__ import annotations

import asyncio
import mailbox
import smtplib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from multiprocessing import get_context
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


def big_message(size: int) -> bytes:
    """A message of about `size` bytes the slow way: a short note on top of a long quoted
    history (a pasted log, a thread of years), as plain text and as HTML."""
    line = "> On day {}, someone wrote: the build failed again on the flight computer.\n"
    lines, length = [], 0
    while length < size // 2:  # the history is in both parts
        lines.append(line.format(len(lines)))
        length += len(lines[-1])
    history = "".join(lines)
    msg = EmailMessage()
    msg["From"] = "Ada Longthread <ada@mail.example>"
    msg["To"] = "Recruiting <rita@acme-orbital.example>"
    msg["Subject"] = "Re: The whole thread"
    msg["Date"] = "Mon, 01 Sep 2025 09:15:00 +0000"
    msg["Message-ID"] = "<bench-big@mail.example>"
    note = "Hi, I am Ada. Could we talk about the flight software role?\n\n"
    msg.set_content(note + history, cte="8bit")
    msg.add_alternative(f"<p>{note}</p><pre>{history}</pre>", subtype="html", cte="8bit")
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


# --- An SMTP server for the replies benchmark -----------------------------------------------


class _CountingSink(asyncio.Protocol):
    """Just enough SMTP to take mail from smtplib (EHLO, MAIL, RCPT, DATA, RSET, QUIT) and
    count it. Not aiosmtpd: its per-command machinery made the sink itself the limit (about
    200 to 500 messages/s on the shared machine, where this takes 650 to 1,300), and a real
    mail server (Postfix, a provider's SMTP) is not the slow end either."""

    def __init__(self, count):
        self.count = count
        self.buffer = b""
        self.in_data = False

    def connection_made(self, transport):
        self.transport = transport
        transport.write(b"220 bench sink ESMTP\r\n")

    def data_received(self, data):
        self.buffer += data
        while self._answer_one():
            pass

    def _answer_one(self) -> bool:
        """Answer the next command (or the end of a message) in the buffer, if complete."""
        if self.in_data:
            _message, end, rest = (b"\r\n" + self.buffer).partition(b"\r\n.\r\n")
            if not end:
                return False
            self.buffer, self.in_data = rest, False
            with self.count.get_lock():
                self.count.value += 1
            self.transport.write(b"250 OK\r\n")
            return True
        line, end, rest = self.buffer.partition(b"\r\n")
        if not end:
            return False
        self.buffer = rest
        verb = line[:4].upper()
        if verb == b"EHLO":
            self.transport.write(b"250-bench sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
        elif verb == b"DATA":
            self.in_data = True
            self.transport.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
        elif verb == b"QUIT":
            self.transport.write(b"221 Bye\r\n")
            self.transport.close()
            return False
        else:
            self.transport.write(b"250 OK\r\n")
        return True


def _serve_smtp(port: int, count, ready, stop) -> None:
    async def serve():
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: _CountingSink(count), "127.0.0.1", port)
        ready.set()
        await loop.run_in_executor(None, stop.wait)
        server.close()

    asyncio.run(serve())


def sink_capacity(port: int, messages: int = 500) -> float:
    """Messages per second the sink takes from a bare smtplib loop over one connection: what
    the benchmark's sending could reach at best, to tell the sink's limit from ours."""
    body = b"From: a@bench.example\r\nTo: b@bench.example\r\nSubject: x\r\n\r\n" + b"x\r\n" * 40
    with smtplib.SMTP("127.0.0.1", port) as client:
        started = time.perf_counter()
        for _ in range(messages):
            client.sendmail("a@bench.example", ["b@bench.example"], body)
        return messages / (time.perf_counter() - started)


@contextmanager
def smtp_sink(port: int) -> Iterator:
    """An SMTP server on 127.0.0.1:`port` that accepts every message, in a process of
    its own as a real server is (in the sender's process it would take turns with the
    sender for the interpreter). Yields the shared count of messages it took."""
    context = get_context("spawn")
    count, ready, stop = context.Value("i", 0), context.Event(), context.Event()
    server = context.Process(target=_serve_smtp, args=(port, count, ready, stop), daemon=True)
    server.start()
    try:
        if not ready.wait(60):
            raise RuntimeError("The benchmark's SMTP server did not start.")
        yield count
    finally:
        stop.set()
        server.join(10)


# --- Stored requests for the re-triage benchmark (the demo profile's company) ---------------

SKILLS = ("Python", "Apache Spark", "Kubernetes", "Terraform", "React", "battery storage")
HARD_SKILLS = ("probabilistic forecasting", "optimal power flow", "IEC 61850")
ASKS = (
    "Could we set up a quick informational interview about your open roles?",
    "Are you hiring right now? I would love a referral.",
    "Do you have 15 minutes of your time for a coffee chat this week?",
    "I have already applied online; could you pass my resume along to the hiring manager?",
)
BACKGROUND = (
    "Over the last few years I led a small team, shipped a dashboard used across the company "
    "and mentored two juniors. I enjoy clean data pipelines and careful code review. "
)


def generated_request(number: int) -> dict:
    """Request `number` of a varied mix for the demo profile: mostly funnel asks of various
    lengths, with people not looking yet, distinctions in hard-to-fill skills, employee
    introductions, known contacts, notable people and links among them. Plain text with no
    quoted history, as intake would keep it."""
    name = f"{FIRST_NAMES[number % len(FIRST_NAMES)]} Example{number}"
    email = f"{name.split()[0].lower()}.{number}@mail{number % 97}.example"
    skill, hard = SKILLS[number % len(SKILLS)], HARD_SKILLS[number % len(HARD_SKILLS)]
    intro = f"Hi,\n\nI am {name.split()[0]}, I have worked with {skill} for {3 + number % 9} years."
    cc = []
    match number % 10:
        case 0 | 1 | 2 | 3:
            body = f"{intro} {BACKGROUND * (number % 3)}{ASKS[number % len(ASKS)]}"
        case 4:
            body = (
                f"{intro} I am not actively looking right now, but I am relocating to "
                "Copenhagen next year and would like to stay in touch."
            )
        case 5:
            body = f"{intro} My work on {hard} won the best paper award at PSCC last year."
        case 6:
            body = f"{intro} Lars suggested I write to you about the team."
            cc = [["Lars Nygaard", f"lars.{number % 50}@brightwellgrid.example"]]
        case 7:
            name, email = "Tomás Herrera", "tomas.herrera@mailbox.example"
            body = f"Hello again! {BACKGROUND}Is the forecasting role open again?"
        case 8:
            name, email = "Ingrid Halvorsen", "ingrid@halvorsen-energy.example"
            body = "Hello, I would be glad to talk about your grid work sometime."
        case _:
            body = (
                f"{intro} My portfolio is at https://portfolio.example/{number}/awards/gold. "
                f"{BACKGROUND}Any openings for {skill} engineers?"
            )
    subject = ("Quick question", f"About {skill}", "Hello from a fellow engineer")[number % 3]
    return {"name": name, "email": email, "subject": subject, "body": f"{body}\n\n{name}", "cc": cc}
