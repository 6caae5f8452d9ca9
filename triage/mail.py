"""Raw email in, plain data out. Nothing here touches the database.

Real mail is messy: missing or wrong charsets, HTML-only bodies, RFC 2047 names,
broken MIME. Parsing never guesses silently wrong where it can avoid it, and anything
it cannot make sense of raises `MailParseError` with a reason a person can act on.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import functools
import hashlib
import logging
import mimetypes
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path, PurePosixPath, PureWindowsPath

import charset_normalizer
import flufl.bounce as flufl_bounce
import nh3
from inscriptis import get_text as inscriptis_text
from inscriptis.model.config import ParserConfig
from mailparser_reply import EmailReplyParser

from triage.rules import Address

# flufl.bounce logs each detector that trips over odd mail with a traceback; intake copes
# (bounce_details), so those are not errors of ours.
logging.getLogger("flufl.bounce").setLevel(logging.CRITICAL)


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
    # A bounce: the addresses that could not be reached, and the Message-IDs it quotes.
    bounced: tuple[str, ...] = ()
    reported_ids: tuple[str, ...] = ()
    from_header: str = ""  # the From header as written, when the sender had to be recovered


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


# A label often names a subset of what the sender's software wrote: gb2312-labelled mail holds
# GBK characters, big5 holds HKSCS, ks_c_5601 holds the cp949 extensions. Decoding with the
# superset reads them; the superset decodes the subset identically.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-cn": "gb18030",
    "cp936": "gb18030",
    "big5": "big5hkscs",
    "big-5": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "cp950": "big5hkscs",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "euc-kr": "cp949",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "iso-2022-jp": "iso2022_jp_ext",
    "iso-8859-8-i": "iso-8859-8",
    "tis-620": "cp874",
    "iso-8859-11": "cp874",
    "iso-8859-9": "cp1254",
}
# Statistical detection needs some text to go on: on a subject line's few bytes it guesses
# wildly (Latin text as UTF-16), on a paragraph it is right.
_DETECTION_MIN_BYTES = 120


def _decodes(payload: bytes, charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        return payload.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return None


def _mostly_utf8(payload: bytes, *, trusted: bool) -> bool:
    """UTF-8 with a few broken bytes (a cut multibyte sequence, one stray byte): reading it
    as UTF-8 with those few replaced keeps every other character right, where another codec
    would garble them all. `trusted`: the sender said UTF-8, so no valid sequence is needed."""
    text = payload.decode("utf-8", "replace")
    errors = text.count("\ufffd")
    valid = sum(1 for char in text if ord(char) > 0x7F) - errors
    if trusted:
        return errors <= max(8, len(text) // 100)
    return valid > 0 and errors <= valid


def _detected(payload: bytes) -> str | None:
    if len(payload) < _DETECTION_MIN_BYTES:
        return None
    try:
        best = charset_normalizer.from_bytes(payload).best()
    except Exception:  # a help, not a gate
        return None
    if best is None or best.encoding.startswith(("utf_16", "utf_32")):
        return None  # mail is never UTF-16 without saying so: a wrong guess
    return str(best)


def decode_bytes(payload: bytes, declared: str | None) -> str:
    """Decode body bytes: the declared charset strictly (UTF-8 first when the label is a weak
    one), then its superset, then UTF-8 with only its few bad bytes replaced, then detection
    (charset-normalizer), and last the label with replacement characters: never the whole
    part in the wrong codec when a better reading exists."""
    label = (declared or "").strip().strip("\"'").lower()
    if label in _LATIN1_LABELS:
        label = "cp1252"
    weak = label in _WEAK_CHARSETS
    order = ["utf-8", label] if weak else [label, _SUPERSETS.get(label), "utf-8"]
    for charset in order:
        if (text := _decodes(payload, charset)) is not None:
            return text
    if _mostly_utf8(payload, trusted=label in {"utf-8", "utf8"}):
        return payload.decode("utf-8", "replace")
    if (label == "" or not weak) and (text := _detected(payload)) is not None:
        return text
    for charset in (_SUPERSETS.get(label), label, "cp1252"):
        with contextlib.suppress(LookupError):
            if charset:
                return payload.decode(charset, "replace")
    return payload.decode("latin-1")  # unreachable: cp1252 with "replace" never fails


# Only the start of a body can be the candidate's own words; reading a 30 MB HTML part or
# splitting the quoted history of a 30 MB text costs seconds and finds nothing more.
HTML_TEXT_LIMIT = 1_000_000  # characters of HTML converted to text
REPLY_SPLIT_LIMIT = 64_000  # characters searched for the quoted history
_HTML_CONFIG = ParserConfig(display_images=False, display_links=False)


def html_to_text(html: str) -> str:
    """The text a person reads in an HTML body (inscriptis keeps the layout of lists and
    tables). A body past HTML_TEXT_LIMIT is cut there first, and says so."""
    cut = len(html) > HTML_TEXT_LIMIT
    text = inscriptis_text(html[:HTML_TEXT_LIMIT], _HTML_CONFIG)
    text = "\n".join(line.rstrip() for line in text.splitlines()).strip()
    text = re.sub(r"\n{3,}", "\n\n", text)
    return f"{text}\n\n[... the rest of a long HTML body is not shown]" if cut else text


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
        # parser. Mailers that write them use the charset of their body, so that is tried
        # after UTF-8: a cp1251 subject beside a windows-1251 body reads as Cyrillic.
        raw = decode_header_bytes(raw.encode("ascii", "surrogateescape"), _body_charset(message))
    try:
        text = str(make_header(decode_header(raw)))
    except Exception:
        text = raw  # a broken encoded word: the raw text beats losing the header
    return text.strip()


def decode_header_bytes(raw: bytes, hint: str | None) -> str:
    """Raw 8-bit header bytes: UTF-8, else the body's charset (and its superset), else the
    body chain (decode_bytes) with no label."""
    label = (hint or "").strip().lower()
    for charset in ("utf-8", label, _SUPERSETS.get(label)):
        if (text := _decodes(raw, charset)) is not None:
            return text
    return decode_bytes(raw, None)


def _body_charset(message: EmailMessage) -> str | None:
    for part in message.walk():
        if (charset := part.get_content_charset()) and charset not in _WEAK_CHARSETS:
            return charset
    return None


# local@domain with nothing else in it: a broken header must not yield '"x <a@b>' as an address.
_ADDRESS = re.compile(r"[^@\s<>\"(),;:]+@[^@\s<>\"(),;:]+")


def _addresses(message: EmailMessage, name: str) -> tuple[Address, ...]:
    values = [value] if (value := _header(message, name)) else []
    return tuple(
        Address(name=display.strip(), email=addr.strip().lower())
        for display, addr in getaddresses(values)
        if _ADDRESS.fullmatch(addr.strip())
    )


def _sender(message: EmailMessage) -> tuple[Address | None, bool]:
    """The From address; for a header a person would still read (`Big Bug bb@bug.com`,
    `tim@example.com concierge@example.com`), the first valid address in it, with the rest
    of the text as the name. None when there is no address at all. The flag says whether
    the address had to be recovered so."""
    if senders := _addresses(message, "From"):
        return senders[0], False
    header = _header(message, "From")
    if (found := _ADDRESS.search(header)) is None:
        return None, False
    name = header[: found.start()].strip(" \t\"'<>,;:")
    return Address(name=name, email=found.group().strip(".").lower()), True


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


# Report parts, at any depth: a bounce (RFC 3464), a read receipt (RFC 8098), a spam
# complaint from a feedback loop (RFC 5965, ARF).
_REPORT_PARTS = {
    "message/delivery-status": "delivery-status",
    "message/global-delivery-status": "delivery-status",
    "message/disposition-notification": "disposition-notification",
    "message/feedback-report": "feedback-report",
}
# Senders that are mail systems, not people (RFC 5321 postmaster, the MTAs' MAILER-DAEMON).
_DAEMONS = {"mailer-daemon", "mailer_daemon", "mailerdaemon", "mail-daemon", "postmaster"}
_DAEMON_NAMES = re.compile(r"mail delivery (subsystem|system)|mailer.daemon", re.IGNORECASE)
_NO_REPLY = re.compile(r"^(no|do[-_.]?not)[-_.]?reply\b", re.IGNORECASE)
# Subjects robots write. Anchored at the start, and only phrases a person would not open a
# note to a recruiter with: a person's mail that matches is set aside, never lost, and
# "Take in as a request" on the quarantine page brings it in.
_MACHINE_SUBJECT = re.compile(
    r"^\s*(?:"
    r"(?P<auto>auto(?:matic)?[ -]?(?:reply|response|answer)\b|auto:|autoreply|"
    r"out of (?:the )?office\b|abwesenheit|r[ée]ponse automatique|respuesta autom[áa]tica)"
    r"|(?P<bounce>undeliver(?:able|ed)\b|delivery status notification|returned mail\b|"
    r"mail delivery (?:failed|failure|system)|failure notice|delivery failure|"
    r"message not delivered|non[- ]?delivery|mail system error)"
    r"|(?P<receipt>read:|read receipt|return receipt|disposition notification)"
    r")",
    re.IGNORECASE,
)
# Notification services: their mail has these headers, or comes from these domains.
_NOTIFIER_HEADERS = ("X-AMZ-SNS-Message-ID", "X-AMZ-SNS-Topic-ARN", "X-SNS-Message-Type")
_NOTIFIER_DOMAINS = ("sns.amazonaws.com", "amazonses.com", "notifications.google.com")


def _report_type(message: EmailMessage) -> str:
    """The report type of a multipart/report anywhere in the message, or ""."""
    for part in message.walk():
        content_type = part.get_content_type()
        if content_type == "multipart/report":
            return (part.get_param("report-type") or "multipart/report").lower()
        if content_type in _REPORT_PARTS:
            return _REPORT_PARTS[content_type]
    return ""


def machine_reason(message: EmailMessage) -> str:
    """Why this message was sent by a machine (RFC 3834, RFC 3464, RFC 8098, RFC 5965 and
    what real mail systems do), or "".

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
    if report := _report_type(message):
        return f"delivery report ({report})"
    if _header(message, "X-Failed-Recipients"):
        return "bounce (X-Failed-Recipients)"
    if _header(message, "Return-Path").strip() == "<>":
        return "bounce or notice (null Return-Path)"
    sender = _header(message, "From")
    local = re.sub(r"^.*<|>.*$", "", sender).partition("@")[0].strip().lower()
    if local in _DAEMONS or _DAEMON_NAMES.search(sender) or sender.strip() == "<>":
        return f"mail system sender ({sender.strip() or 'empty'})"
    if _header(message, "X-Autoreply") or _header(message, "X-Autorespond"):
        return "auto-reply (X-Autoreply)"
    if (match := _MACHINE_SUBJECT.match(_header(message, "Subject"))) is not None:
        kind = {"auto": "auto-reply", "bounce": "bounce", "receipt": "read receipt"}
        return f"{kind[match.lastgroup]} (subject {match.group().strip()!r})"
    if any(_header(message, name) for name in _NOTIFIER_HEADERS) or any(
        sender.lower().rstrip(">").endswith(domain) for domain in _NOTIFIER_DOMAINS
    ):
        return f"notification service ({sender.strip()})"
    if _NO_REPLY.match(local):
        return f"notification (sender {local})"
    return ""


_REPORTED_ID = re.compile(rb"(?im)^[ \t>]*Message-ID:[ \t]*(<[^<>\s]+>)")


# Where a plain-text bounce stops explaining and starts quoting the message that bounced.
_QUOTED_ORIGINAL = re.compile(
    r"^.*(below this line|copy of the message|original message|undelivered message).*$",
    re.IGNORECASE | re.MULTILINE,
)
_BOUNCE_REASONS = ("delivery report (delivery-status", "bounce", "mail system sender")


def bounce_details(
    message: EmailMessage, raw: bytes, reason: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """For a bounce: the addresses that could not be reached (GNU Mailman's flufl.bounce
    reads DSNs and the plain-text formats of many MTAs; X-Failed-Recipients adds Exim's; for
    a plain bounce no detector knows, the addresses its explanation names), and the
    Message-IDs the report quotes (the message that bounced)."""
    failed: set[str] = set()
    with contextlib.suppress(Exception):  # a detector's bug must not lose the message
        failed.update(a.decode("utf-8", "replace") for a in flufl_bounce.scan_message(message))
    failed.update(addr for _, addr in getaddresses([_header(message, "X-Failed-Recipients")]))
    if not failed and reason.startswith(_BOUNCE_REASONS):
        failed.update(_named_in_explanation(message))
    failed = {a.strip().strip("<>").lower() for a in failed}
    own = _header(message, "Message-ID")
    quoted = [i.decode("ascii", "replace") for i in _REPORTED_ID.findall(raw)]
    ids = [i for i in quoted if i != own]
    ids += _MESSAGE_IDS.findall(_header(message, "In-Reply-To") + _header(message, "References"))
    return (
        tuple(sorted(a for a in failed if _ADDRESS.fullmatch(a))),
        tuple(dict.fromkeys(ids)),
    )


def _named_in_explanation(message: EmailMessage) -> set[str]:
    """Addresses in a plain bounce's own words (before the quoted original), but ours (its
    To and Cc) and mail systems'."""
    try:
        part = _body_part(message)
        payload = part.get_payload(decode=True) if part is not None else None
    except Exception:
        return set()
    if not payload:
        return set()
    text = decode_bytes(payload[:20_000], part.get_content_charset())
    if cut := _QUOTED_ORIGINAL.search(text):
        text = text[: cut.start()]
    ours = {a.email for a in (*_addresses(message, "To"), *_addresses(message, "Cc"))}
    found = {m.group().strip(".,;:()[]'\"").lower() for m in _ADDRESS.finditer(text)}
    return {a for a in found if a not in ours and a.partition("@")[0] not in _DAEMONS}


_HEADER_END = re.compile(rb"\r?\n\r?\n")
_MESSAGE_ID_HEADER = re.compile(rb"(?im)^message-id:[ \t]*((?:.*)(?:\r?\n[ \t].*)*)")


def message_id_of(raw: bytes) -> str | None:
    """The Message-ID, read from the header block alone: a duplicate check before the full
    parse costs a regex, not a MIME parse. parse_email reads it the same way."""
    end = _HEADER_END.search(raw)
    head = raw[: end.start()] if end else raw
    if (found := _MESSAGE_ID_HEADER.search(head)) is None:
        return None
    text = re.sub(r"\r?\n[ \t]+", " ", found.group(1).decode("utf-8", "replace")).strip()
    return text or None


def raw_sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _is_lone_file(message: EmailMessage) -> bool:
    """A single-part message that is a file, not text: a PDF sent with no words."""
    return not message.is_multipart() and (
        message.get_content_maintype() not in {"text", "message", "multipart"}
        or message.get_content_disposition() == "attachment"
    )


def parse_email(raw: bytes) -> ParsedEmail:
    if not raw.strip():
        raise MailParseError("the file is empty")
    try:
        message = email.message_from_bytes(raw, _class=EmailMessage, policy=email.policy.compat32)
    except Exception as error:  # the parser is lenient; this is truly unreadable input
        raise MailParseError(f"unreadable message: {error}") from error

    reason = machine_reason(message)
    sender, recovered = _sender(message)
    if sender is None:
        if not reason:
            raise MailParseError("no sender address in the From header")
        # A bounce from "<MAILER-DAEMON>" or "<>": machine mail all the same, set aside.
        sender = Address(name=_header(message, "From")[:200], email="")
    failed, reported = bounce_details(message, raw, reason) if reason else ((), ())
    try:
        if _is_lone_file(message):
            attachments = _lone_file(message)
            text = ""
        else:
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
        message_id=message_id_of(raw),
        sender=sender,
        to=_addresses(message, "To"),
        cc=_addresses(message, "Cc"),
        subject=re.sub(r"\s+", " ", _header(message, "Subject")),
        date=date,
        text=text,
        new_text=new_text(text),
        in_reply_to=(_MESSAGE_IDS.findall(_header(message, "In-Reply-To")) or [""])[0],
        references=tuple(_MESSAGE_IDS.findall(_header(message, "References"))),
        html=_html_part(message),
        machine_reason=reason,
        attachments=attachments,
        bounced=failed,
        reported_ids=reported,
        from_header=_header(message, "From").replace("\x00", "")[:998] if recovered else "",
    )


def _lone_file(message: EmailMessage) -> tuple[ParsedAttachment, ...]:
    content_type = message.get_content_type()
    name = _safe_filename(_filename(message) or "", content_type, 1)
    content = message.get_payload(decode=True) or b""
    return (ParsedAttachment(filename=name, content_type=content_type, content=content),)


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
    """Separate what the sender wrote this time from their signature and the quoted history.

    Only the first REPLY_SPLIT_LIMIT characters are searched: what lies beyond is history
    (or a pasted log) however long the body, and splitting 30 MB takes seconds."""
    text, beyond = text[:REPLY_SPLIT_LIMIT], text[REPLY_SPLIT_LIMIT:]
    try:
        replies = _REPLY_PARSER.read(text=text).replies
    except Exception:  # the library is a help, not a gate: fall back to our own cut
        replies = []
    if not replies:
        new = _cut_quotes(text)
        return ReplyParts(new=new, written=new, rest=beyond.strip())
    first = replies[0]
    rest = [first.signatures] + [reply.content for reply in replies[1:]] + [beyond]
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


# The request page splits every message of its thread on each view (the thread shows the
# parts, the assistant reads the new text): mail-parser-reply's many expressions cost about
# half a millisecond a message, 30 ms on a long thread. The split of a text never changes,
# so the process keeps the last REMEMBERED_SPLITS, by the text itself (a changed text is
# another key). Texts longer than REMEMBERED_SPLIT_LENGTH are split each time, not kept: a
# process holds at most about 2,048 x 8,000 characters, twice (the text and its parts).
REMEMBERED_SPLITS = 2048
REMEMBERED_SPLIT_LENGTH = 8000


def split_reply_remembered(text: str) -> ReplyParts:
    """split_reply(text), remembered for texts read again (see REMEMBERED_SPLITS)."""
    if len(text) > REMEMBERED_SPLIT_LENGTH:
        return split_reply(text)
    return _remembered_split(text)


@functools.lru_cache(maxsize=REMEMBERED_SPLITS)
def _remembered_split(text: str) -> ReplyParts:
    return split_reply(text)


# The line a forwarded message starts with, as the common mail clients write it.
_FORWARDED_LINE = re.compile(
    r"^[ \t>]*(?:-{2,} ?(?:Forwarded message|Weitergeleitete Nachricht|Message transf[ée]r[ée]"
    r"|Mensaje reenviado|Messaggio inoltrato|Doorgestuurd bericht) ?-{2,}"
    r"|Begin forwarded message:)[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)
# A field of the forwarded message's header ("From: ...", "Date: ..."), or its continuation.
_FORWARDED_FIELD = re.compile(r"^[ \t>]*[\w-]{2,20} ?[:\uff1a]|^[ \t]+\S")


def forwarded_note(text: str) -> str:
    """The note a forwarded message holds: what its author wrote, below the forwarded-message
    line and its header (From:, Date:, Subject:), without the history it quotes in turn;
    "" when the text forwards nothing. An introduction that forwards someone's note carries
    their own words."""
    text = text[:REPLY_SPLIT_LIMIT]
    # Every forwarded-message line has "--" or a colon ("Begin forwarded message:"); most
    # texts have neither, and the regex (any case, every line start) is not run on them.
    if "--" not in text and ":" not in text:
        return ""
    if not (match := _FORWARDED_LINE.search(text)):
        return ""
    lines = text[match.end() :].strip("\n").splitlines()
    start = 0
    while start < len(lines) and _FORWARDED_FIELD.match(lines[start]):
        start += 1
    return new_text("\n".join(lines[start:]))


# The start of a file is enough to tell what it is.
_SNIFF_BYTES = 64 * 1024
_HEADER_LINE = re.compile(rb"^[\x21-\x39\x3b-\x7e]+:")
_KNOWN_HEADER = re.compile(
    rb"(?im)^(from|to|subject|date|message-id|received|return-path|mime-version|"
    rb"delivered-to|reply-to|sender|content-type):"
)
# Files a mail server keeps in a maildir beside the mail: not messages, and not news.
_MAILDIR_OWN_FILES = re.compile(r"^(dovecot|courier|maildirfolder$|subscriptions$|\.)")


def what_file(head: bytes) -> str:
    """ "mbox", "message", or why the file is not mail, from its first bytes."""
    if not head.strip():
        return "not mail: the file is empty"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "not mail: an Outlook .msg file (binary); save it from Outlook as .eml"
    if head.startswith(b"From "):
        return "mbox"
    body = head.removeprefix(b"\xef\xbb\xbf").lstrip(b"\r\n")
    end = _HEADER_END.search(body)
    block = body[: end.start()] if end else body
    if _HEADER_LINE.match(body) and _KNOWN_HEADER.search(block):
        return "message"
    return "not mail: no mail headers at its start"


def is_maildir(path: Path) -> bool:
    """cur/ or new/ make a maildir; tmp/ is often missing (git and zip drop empty folders)."""
    return (path / "cur").is_dir() or (path / "new").is_dir()


def iter_sources(
    path: Path, not_mail: list[tuple[str, str]] | None = None
) -> Iterator[tuple[str, bytes]]:
    """Every raw message under `path`, told apart by content, not name: a single RFC 5322
    message (.eml, .txt, .msg or no extension), an mbox (it starts with a "From " line), a
    maildir (cur/ and new/, with or without tmp/), and folders of these.

    Yields (a label naming where the message came from, its bytes). A file that is none of
    these is added to `not_mail` as (path, why): never skipped in silence."""
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file or folder")
    if path.is_dir():
        if is_maildir(path):
            yield from _maildir(path, not_mail)
            return
        for child in sorted(path.iterdir()):
            yield from iter_sources(child, not_mail)
        return
    with path.open("rb") as handle:
        kind = what_file(handle.read(_SNIFF_BYTES))
    if kind == "mbox":
        for index, raw in enumerate(mbox_messages(path), start=1):
            # Mbox writers escape body lines starting "From " as ">From "; undo it (mboxrd).
            yield f"{path}#{index}", re.sub(rb"(?m)^>(>*From )", rb"\1", raw)
    elif kind == "message":
        yield str(path), path.read_bytes()
    elif not_mail is not None:
        not_mail.append((str(path), kind))


def count_sources(path: Path) -> int:
    """How many messages iter_sources(path) yields, for a progress bar's total: a scan of
    the lines of an mbox, a count of files elsewhere; never the messages held in memory.
    0 for what iter_sources reports instead (no such path, not mail)."""
    if not path.exists():
        return 0
    if path.is_dir():
        if is_maildir(path):
            files = sum(
                1
                for sub in ("new", "cur")
                if (path / sub).is_dir()
                for child in (path / sub).iterdir()
                if child.is_file() and not child.name.startswith(".")
            )
            others = (
                child
                for child in path.iterdir()
                if not (
                    child.name in {"cur", "new", "tmp"}
                    or (child.is_file() and _MAILDIR_OWN_FILES.match(child.name))
                )
            )
            return files + sum(count_sources(child) for child in others)
        return sum(count_sources(child) for child in path.iterdir())
    with path.open("rb") as handle:
        kind = what_file(handle.read(_SNIFF_BYTES))
        if kind == "mbox":
            handle.seek(0)
            return sum(1 for line in handle if line.startswith(b"From "))
    return 1 if kind == "message" else 0


def mbox_messages(path: Path) -> Iterator[bytes]:
    """Each message of an mbox file, read one at a time: an import of any size holds one
    message, never the file or a table of it. The bytes are those mailbox.mbox's get_bytes
    gives: after the "From " line, up to the next one, less the blank line between."""
    lines: list[bytes] = []
    started = False
    with path.open("rb") as handle:
        for line in handle:
            if line.startswith(b"From "):
                if started:
                    yield _mbox_message(lines)
                lines, started = [], True
            elif started:
                lines.append(line)
    if started:
        yield _mbox_message(lines)


def _mbox_message(lines: list[bytes]) -> bytes:
    if lines and lines[-1] == b"\n":  # the blank line that separates it from the next
        lines[-1] = b""
    return b"".join(lines)


def _maildir(path: Path, not_mail: list[tuple[str, str]] | None) -> Iterator[tuple[str, bytes]]:
    for sub in ("new", "cur"):
        folder = path / sub
        if not folder.is_dir():
            continue
        for child in sorted(folder.iterdir()):
            if child.is_file() and not child.name.startswith("."):
                yield f"{path}:{child.name.split(':')[0]}", child.read_bytes()
    for child in sorted(path.iterdir()):
        if child.name in {"cur", "new", "tmp"} or (
            child.is_file() and _MAILDIR_OWN_FILES.match(child.name)
        ):
            continue
        yield from iter_sources(child, not_mail)  # Maildir++ subfolders (.Sent), other files
