"""Raw email in, plain data out. Nothing here touches the database.

Real mail is messy: missing or wrong charsets, HTML-only bodies, RFC 2047 names,
broken MIME. Parsing never guesses silently wrong where it can avoid it, and anything
it cannot make sense of raises `MailParseError` with a reason a person can act on.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import mailbox
import mimetypes
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path, PurePosixPath, PureWindowsPath

import html2text
import nh3
from mailparser_reply import EmailReplyParser

from triage.rules import Address


class MailParseError(Exception):
    """The message cannot be turned into a request; the text says why."""


@dataclass(frozen=True)
class ParsedAttachment:
    filename: str  # decoded (RFC 2231 / 2047), without any folder part; never empty
    content_type: str  # as declared by the sender, lower-cased
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass(frozen=True)
class ParsedEmail:
    message_id: str | None
    sender: Address
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    subject: str
    date: datetime | None
    text: str  # the readable body: the plain part, or the HTML part converted to text
    in_reply_to: str = ""
    references: tuple[str, ...] = ()
    html: str = ""  # the HTML part, already sanitized (sanitize_html); "" when there is none
    machine_reason: str = ""  # why this is machine mail (auto-reply, bounce, list); "" if not
    attachments: tuple[ParsedAttachment, ...] = ()
    # `text` without the quoted history (new_text): what the rules read. Worked out here, in
    # the parallel parse, because it is the slowest part of reading a message.
    new_text: str = ""


# Charsets that mislabel mail most often: senders declare them while writing UTF-8.
# For these we try UTF-8 first; a strict UTF-8 decode of non-UTF-8 text almost never succeeds.
_WEAK_CHARSETS = {
    "",
    "us-ascii",
    "ascii",
    "iso-8859-1",
    "latin-1",
    "latin1",
    "windows-1252",
    "cp1252",
}
# Mail labelled Latin-1 or ASCII is very often Windows-1252 (smart quotes in 0x80-0x9F, where
# Latin-1 has invisible control codes). Browsers read these labels as cp1252; so do we.
_LATIN1_LABELS = {"us-ascii", "ascii", "iso-8859-1", "iso8859-1", "latin-1", "latin1"}


def decode_bytes(payload: bytes, declared: str | None) -> str:
    """Decode body bytes, trusting the declared charset only when it is a specific one."""
    declared = (declared or "").strip().lower()
    if declared in _LATIN1_LABELS:
        declared = "cp1252"
    candidates = ["utf-8", declared] if declared in _WEAK_CHARSETS else [declared, "utf-8"]
    for charset in [*candidates, "cp1252"]:
        if not charset:
            continue
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("latin-1")  # never fails: every byte is a character


def html_to_text(html: str) -> str:
    converter = html2text.HTML2Text()
    converter.body_width = 0  # keep the sender's own line breaks
    converter.ignore_images = True
    converter.ignore_emphasis = True
    return converter.handle(html).strip()


# Tags a recruiter may see. No img (remote images track the reader), no form or input.
_SAFE_TAGS = {
    "a", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "hr", "i",
    "li", "ol", "p", "pre", "span", "strong", "table", "tbody", "td", "th", "thead", "tr", "u",
    "ul",
}  # fmt: skip


def sanitize_html(html: str) -> str:
    """HTML safe to show: scripts, event handlers, styles, forms and images are removed."""
    return nh3.clean(
        html,
        tags=_SAFE_TAGS,
        clean_content_tags={"script", "style"},
        attributes={"a": {"href", "title"}, "td": {"colspan"}, "th": {"colspan"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


def _header(message: EmailMessage, name: str) -> str:
    """A header's text, RFC 2047 decoded, unfolded.

    The message is parsed with the compat32 policy, which keeps headers as raw text: the
    modern policy builds a parsed object for every header read, which made it the slowest
    part of intake; decoding the few headers we read ourselves costs a fraction of that."""
    name = name.lower()
    raw = next((str(v) for k, v in message.raw_items() if k.lower() == name), "")
    if not raw:
        return ""
    raw = re.sub(r"\r?\n(?=[ \t])", "", raw)
    try:
        raw.encode("ascii")
    except UnicodeEncodeError:
        # Raw 8-bit bytes in a header (no RFC 2047 encoding), kept as surrogates by the
        # parser. Decode them the way we decode bodies, so "Zoé" stays "Zoé".
        raw = decode_bytes(raw.encode("ascii", "surrogateescape"), None)
    try:
        text = str(make_header(decode_header(raw)))
    except Exception:
        text = raw  # a broken encoded word: the raw text beats losing the header
    return text.strip()


# local@domain with nothing else in it: a broken header must not yield '"x <a@b>' as an address.
_ADDRESS = re.compile(r"[^@\s<>\"(),;:]+@[^@\s<>\"(),;:]+")


def _addresses(message: EmailMessage, name: str) -> tuple[Address, ...]:
    values = [value] if (value := _header(message, name)) else []
    return tuple(
        Address(name=display.strip(), email=addr.strip().lower())
        for display, addr in getaddresses(values)
        if _ADDRESS.fullmatch(addr.strip())
    )


def _body_part(message: EmailMessage) -> EmailMessage | None:
    """The part to read: plain text first, else HTML; None when there is neither."""
    try:
        return message.get_body(preferencelist=("plain", "html"))
    except AttributeError:
        # Raw 8-bit bytes in a Content-Disposition (a file name) make compat32 hand
        # get_body() a Header object it cannot read: look for the part ourselves.
        parts = [
            part
            for part in message.walk()
            if not part.is_multipart()
            and part.get_content_disposition() != "attachment"
            and part.get_filename() is None
        ]
        for wanted in ("text/plain", "text/html"):
            if found := next((p for p in parts if p.get_content_type() == wanted), None):
                return found
        return None


def _body_text(message: EmailMessage, *, has_attachments: bool = False) -> str:
    part = _body_part(message)
    if part is None:
        if has_attachments:
            return ""  # a résumé sent with no words: the file is the message
        if message.is_multipart():
            raise MailParseError("no text or HTML part found in the message")
        part = message
    payload = part.get_payload(decode=True)
    if payload is None:
        raise MailParseError("the message body cannot be decoded")
    text = decode_bytes(payload, part.get_content_charset())
    if part.get_content_subtype() == "html":
        text = html_to_text(text)
    # NUL never belongs in text, and PostgreSQL refuses to store it.
    return text.replace("\r\n", "\n").replace("\x00", "").strip()


def _html_part(message: EmailMessage) -> str:
    try:
        part = message.get_body(preferencelist=("html",))
        payload = part.get_payload(decode=True) if part is not None else None
    except Exception:
        return ""
    if not payload:
        return ""
    return sanitize_html(decode_bytes(payload, part.get_content_charset()))


_MESSAGE_IDS = re.compile(r"<[^<>\s]+>")


_SURROGATES = re.compile("[\udc80-\udcff]")


_RAW_FILENAME = re.compile(r'filename\s*=\s*"?([^";\r\n]*)', re.IGNORECASE)


def _filename(part: EmailMessage) -> str | None:
    """A part's file name as a person wrote it, or None if it has none.

    get_filename() undoes RFC 2231. Raw 8-bit bytes (no encoding at all) come back from it
    as replacement characters, so those are read from the raw header the way we read
    bodies; and some mailers (Outlook, Gmail) put RFC 2047 encoded words in the name."""
    raw_disposition = next(
        (str(v) for k, v in part.raw_items() if k.lower() == "content-disposition"), ""
    )
    if _SURROGATES.search(raw_disposition):
        decoded = decode_bytes(raw_disposition.encode("utf-8", "surrogateescape"), None)
        raw = match.group(1) if (match := _RAW_FILENAME.search(decoded)) else None
    else:
        raw = part.get_filename()
    if raw is None:
        return None
    if "=?" in raw:
        with contextlib.suppress(Exception):  # a broken encoded word: keep the raw text
            raw = str(make_header(decode_header(raw)))
    return raw


def _safe_filename(name: str, content_type: str, number: int) -> str:
    """The last path component, without control characters; a made-up name if none is left."""
    name = re.sub(r"[\x00-\x1f\x7f]", "", name)
    name = PureWindowsPath(PurePosixPath(name).name).name.strip().strip(".")
    if not name:
        extension = mimetypes.guess_extension(content_type) or ".bin"
        name = f"attachment-{number}{extension}"
    return name[:255]


def _attachments(message: EmailMessage) -> tuple[ParsedAttachment, ...]:
    """Every file that came with the message: parts with a file name or marked attachment.

    A single-part message has none, and returns at once: most mail, and the ingest path's
    speed depends on it."""
    if not message.is_multipart():
        return ()
    body = _body_part(message)
    found = []
    for part in message.walk():
        if part.is_multipart() or part is body:
            continue
        filename = _filename(part)
        if filename is None and part.get_content_disposition() != "attachment":
            continue
        content_type = part.get_content_type()
        content = part.get_payload(decode=True)
        if content is None:  # a message/rfc822 part: keep its text as the file
            content = part.as_bytes() if content_type.startswith("message/") else b""
        name = _safe_filename(filename or "", content_type, len(found) + 1)
        found.append(ParsedAttachment(filename=name, content_type=content_type, content=content))
    return tuple(found)


def machine_reason(message: EmailMessage) -> str:
    """Why this message was sent by a machine (RFC 3834 and common practice), or "".

    Machine mail is never a request and is never answered, so we can never loop with a
    robot that answers our answers."""
    auto_submitted = _header(message, "Auto-Submitted").lower()
    if auto_submitted and auto_submitted.split(";")[0].strip() != "no":
        return f"auto-submitted ({auto_submitted})"
    if _header(message, "X-Auto-Response-Suppress"):
        return "auto-reply (X-Auto-Response-Suppress)"
    if list_id := _header(message, "List-Id"):
        return f"list mail ({list_id})"
    precedence = _header(message, "Precedence").lower()
    if precedence in {"bulk", "list", "junk", "auto_reply"}:
        return f"precedence {precedence}"
    if message.get_content_type() == "multipart/report":
        report = (message.get_param("report-type") or "").lower()
        return f"delivery report ({report or 'multipart/report'})"
    return ""


def parse_email(raw: bytes) -> ParsedEmail:
    if not raw.strip():
        raise MailParseError("the file is empty")
    try:
        message = email.message_from_bytes(raw, _class=EmailMessage, policy=email.policy.compat32)
    except Exception as error:  # the parser is lenient; this is truly unreadable input
        raise MailParseError(f"unreadable message: {error}") from error

    senders = _addresses(message, "From")
    if not senders:
        raise MailParseError("no sender address in the From header")
    try:
        attachments = _attachments(message)
        text = _body_text(message, has_attachments=bool(attachments))
    except MailParseError:
        raise
    except Exception as error:
        raise MailParseError(f"broken MIME structure: {error}") from error

    date = None
    if raw_date := _header(message, "Date"):
        try:
            date = parsedate_to_datetime(raw_date)
        except (TypeError, ValueError):
            date = None
        if date is not None and date.tzinfo is None:
            date = date.replace(tzinfo=UTC)  # "-0000" or no zone: RFC 5322 says UTC
    return ParsedEmail(
        message_id=_header(message, "Message-ID") or None,
        sender=senders[0],
        to=_addresses(message, "To"),
        cc=_addresses(message, "Cc"),
        subject=re.sub(r"\s+", " ", _header(message, "Subject")),
        date=date,
        text=text,
        new_text=new_text(text),
        in_reply_to=(_MESSAGE_IDS.findall(_header(message, "In-Reply-To")) or [""])[0],
        references=tuple(_MESSAGE_IDS.findall(_header(message, "References"))),
        html=_html_part(message),
        machine_reason=machine_reason(message),
        attachments=attachments,
    )


def parse_or_error(raw: bytes) -> ParsedEmail | MailParseError:
    """parse_email for batch work (and worker processes): the error is returned, not raised,
    and an unexpected one is a MailParseError too, so one message never stops a batch."""
    try:
        return parse_email(raw)
    except MailParseError as error:
        return error
    except Exception as error:
        return MailParseError(f"the parser failed: {type(error).__name__}: {error}")


_QUOTE_HEADER = re.compile(r"^(On .+ wrote:|-{2,} ?Original Message ?-{2,})\s*$", re.MULTILINE)


# mail-parser-reply knows the "On ... wrote:" lines of many mail clients in these languages.
_REPLY_PARSER = EmailReplyParser(languages=["en", "de", "fr", "es", "it", "nl"])


@dataclass(frozen=True)
class ReplyParts:
    new: str  # what the sender wrote this time, signature included (rules may read titles)
    written: str  # the same without the signature: what a recruiter reads first
    rest: str  # the signature and the quoted history, for a recruiter to expand


def split_reply(text: str) -> ReplyParts:
    """Separate what the sender wrote this time from their signature and the quoted history."""
    try:
        replies = _REPLY_PARSER.read(text=text).replies
    except Exception:  # the library is a help, not a gate: fall back to our own cut
        replies = []
    if not replies:
        new = _cut_quotes(text)
        return ReplyParts(new=new, written=new, rest="")
    first = replies[0]
    rest = [first.signatures] + [reply.content for reply in replies[1:]]
    new = _cut_quotes(first.content)
    return ReplyParts(
        new=new,
        written=_cut_quotes(first.body) or new,
        rest="\n\n".join(part.strip() for part in rest if part and part.strip()),
    )


def _cut_quotes(text: str) -> str:
    if match := _QUOTE_HEADER.search(text):
        text = text[: match.start()]
    kept = [line for line in text.splitlines() if not line.startswith(">")]
    return "\n".join(kept).strip()


def new_text(text: str) -> str:
    """What the sender wrote this time: the body without the quoted history below it."""
    return split_reply(text).new


def iter_sources(path: Path) -> Iterator[tuple[str, bytes]]:
    """Every raw message under `path`: an .eml file, a folder of them, an mbox or a maildir.

    Yields (a label naming where the message came from, its bytes)."""
    if path.is_dir():
        if all((path / sub).is_dir() for sub in ("cur", "new", "tmp")):
            box = mailbox.Maildir(path, factory=None, create=False)
            for key in sorted(box.keys()):
                yield f"{path}:{key}", box.get_bytes(key)
            return
        for child in sorted(path.iterdir()):
            if child.is_dir() or child.suffix.lower() in {".eml", ".mbox"}:
                yield from iter_sources(child)
        return
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file or folder")
    with path.open("rb") as handle:
        is_mbox = handle.read(5) == b"From "
    if is_mbox:
        box = mailbox.mbox(path, factory=None, create=False)
        for index, key in enumerate(box.keys(), start=1):
            # Mbox writers escape body lines starting "From " as ">From "; undo it (mboxrd).
            yield f"{path}#{index}", re.sub(rb"(?m)^>(>*From )", rb"\1", box.get_bytes(key))
    else:
        yield str(path), path.read_bytes()
