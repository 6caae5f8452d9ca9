"""Intake from an IMAP folder: read what arrived since the last poll, hand the raw bytes to
the one intake path (services/intake/), and remember in the database how far we got.

Why the standard library's imaplib and not imap-tools: intake needs each message's exact
bytes (quarantine keeps them, the content hash of a message without a Message-ID reads
them), while imap-tools hands back a re-parsed email object; and the few commands used here
(SELECT, UID SEARCH, UID FETCH BODY.PEEK[], UID MOVE or COPY/STORE/EXPUNGE) are plain calls
in imaplib. One dependency fewer, nothing hand-rolled at the protocol level."""

from __future__ import annotations

import contextlib
import imaplib
import logging
import os
import re
import ssl
from dataclasses import dataclass, field
from itertools import batched
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from triage.models import MailboxState
from triage.services import intake, profiles

log = logging.getLogger(__name__)

# Messages fetched and committed together: a crash loses at most one batch of work, and the
# next poll fetches that batch again (the stored UID only moves once it is committed).
FETCH_BATCH = 100


class MailboxError(Exception):
    """The mailbox cannot be read; the text says why in words an operator can act on."""


class MailboxNotConfigured(MailboxError):
    pass


@dataclass(frozen=True)
class MailboxConfig:
    host: str
    port: int
    tls: str  # "tls" (implicit), "starttls" or "none"
    user: str
    password: str
    folder: str = "INBOX"
    move_to: str = ""
    timeout: int = 30
    ca_file: str = ""  # a CA bundle to trust instead of the system's (a company's own CA)

    @classmethod
    def from_settings(cls) -> MailboxConfig:
        if not settings.IMAP_HOST:
            raise MailboxNotConfigured("Mailbox polling is off: IMAP_HOST is not set.")
        return cls(
            host=settings.IMAP_HOST,
            port=settings.IMAP_PORT,
            tls=settings.IMAP_TLS,
            user=settings.IMAP_USER,
            password=settings.IMAP_PASSWORD,
            folder=settings.IMAP_FOLDER,
            move_to=settings.IMAP_MOVE_TO,
            timeout=settings.IMAP_TIMEOUT,
            ca_file=settings.IMAP_CA_FILE,
        )

    @property
    def label(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.folder}"


@dataclass
class PollResult:
    mailbox: str
    read: int = 0
    moved: int = 0
    uidvalidity_changed: bool = False
    last_uid: int = 0
    summary: intake.IngestSummary = field(default_factory=intake.IngestSummary)

    def as_dict(self) -> dict:
        return {
            "mailbox": self.mailbox,
            "read": self.read,
            "moved": self.moved,
            "uidvalidity_changed": self.uidvalidity_changed,
            "last_uid": self.last_uid,
            **self.summary.as_dict(),
        }


def is_configured() -> bool:
    return bool(settings.IMAP_HOST)


def poll_mailbox(*, config: MailboxConfig | None = None) -> PollResult:
    """Read every message that arrived in the folder since the last poll, store and triage
    it through intake, and move it to IMAP_MOVE_TO when that is set. MailboxError when the
    server cannot be reached or refuses us; what was committed before that stays."""
    config = config or MailboxConfig.from_settings()
    profiles.load_profile()  # ProfileMissing before anything is read, not in the middle
    conn = _connect(config)
    try:
        return _poll(conn, config)
    except (OSError, imaplib.IMAP4.error) as error:
        raise MailboxError(
            f"The IMAP session with {config.label} failed: {_text(error)}"
        ) from error
    finally:
        _logout(conn)


def _poll(conn: imaplib.IMAP4, config: MailboxConfig) -> PollResult:
    if config.move_to:
        _require_folder(conn, config.move_to, config)
    uidvalidity = _select(conn, config)
    state, changed = _load_state(config, uidvalidity)
    result = PollResult(mailbox=config.label, uidvalidity_changed=changed, last_uid=state.last_uid)
    if changed:
        log.warning(
            "UIDVALIDITY of %s changed to %s: reading the folder again from the start "
            "(messages already stored count as duplicates)",
            config.label,
            uidvalidity,
        )
    for uids in batched(_uids_after(conn, state.last_uid), FETCH_BATCH):
        sources = _fetch(conn, uids, config)
        with transaction.atomic():
            intake.ingest_sources(sources, summary=result.summary)
            # Stored and the position advanced in one commit: never read twice, never skipped.
            # (A poll running beside this one may be further on: never move the mark back.)
            MailboxState.objects.filter(
                pk=state.pk, uidvalidity=uidvalidity, last_uid__lt=max(uids)
            ).update(last_uid=max(uids), last_polled_at=timezone.now())
        result.read += len(sources)
        result.last_uid = max(uids)
        if config.move_to and _move(conn, uids, config.move_to):
            result.moved += len(uids)
    if not result.read:
        MailboxState.objects.filter(pk=state.pk).update(last_polled_at=timezone.now())
    log.info("Read %d messages from %s", result.read, config.label)
    return result


def _connect(config: MailboxConfig) -> imaplib.IMAP4:
    where = f"{config.host}:{config.port}"
    if config.ca_file and not os.path.isfile(config.ca_file):
        raise MailboxError(f"IMAP_CA_FILE {config.ca_file!r} is not a file.")
    try:
        # Certificates are always checked: a password sent to the wrong server is lost.
        context = ssl.create_default_context(cafile=config.ca_file or None)
        if config.tls == "tls":
            conn = imaplib.IMAP4_SSL(
                config.host, config.port, ssl_context=context, timeout=config.timeout
            )
        else:
            conn = imaplib.IMAP4(config.host, config.port, timeout=config.timeout)
            if config.tls == "starttls":
                conn.starttls(context)
    except (OSError, imaplib.IMAP4.error) as error:
        raise MailboxError(
            f"Cannot connect to the IMAP server {where} ({config.tls}): {_text(error)}"
        ) from error
    try:
        conn.login(config.user, config.password)
        conn.capability()  # servers announce more (MOVE, UIDPLUS) once logged in
    except (OSError, imaplib.IMAP4.error) as error:
        _logout(conn)
        raise MailboxError(
            f"The IMAP server {where} refused the login for {config.user!r}: "
            f"{_text(error).rstrip('.')}. "
            "Check IMAP_USER and IMAP_PASSWORD."
        ) from error
    return conn


def _select(conn: imaplib.IMAP4, config: MailboxConfig) -> int:
    """Open the folder (read-write when we move mail out of it) and return its UIDVALIDITY."""
    status, data = conn.select(_quote(config.folder), readonly=not config.move_to)
    if status != "OK":
        raise MailboxError(
            f"Cannot open the folder {config.folder!r} on {config.host}: {_text(data)}. "
            "Check IMAP_FOLDER."
        )
    _, values = conn.response("UIDVALIDITY")
    if not values or values[0] is None:
        raise MailboxError(f"The server did not say the UIDVALIDITY of {config.folder!r}.")
    return int(values[0])


def _load_state(config: MailboxConfig, uidvalidity: int) -> tuple[MailboxState, bool]:
    """This folder's position; reset to the start when the server's UIDVALIDITY changed."""
    with transaction.atomic():
        state, created = MailboxState.objects.select_for_update().get_or_create(
            host=config.host,
            user=config.user,
            folder=config.folder,
            defaults={"uidvalidity": uidvalidity},
        )
        changed = not created and state.uidvalidity != uidvalidity
        if changed:
            state.uidvalidity = uidvalidity
            state.last_uid = 0
            state.save(update_fields=["uidvalidity", "last_uid", "updated_at"])
    return state, changed


def _uids_after(conn: imaplib.IMAP4, last_uid: int) -> list[int]:
    status, data = conn.uid("SEARCH", "UID", f"{last_uid + 1}:*")
    if status != "OK":
        raise MailboxError(f"UID SEARCH failed: {_text(data)}")
    # "N:*" always matches the newest message, even when its UID is below N.
    return sorted(
        uid for uid in map(int, b" ".join(d for d in data if d).split()) if uid > last_uid
    )


_UID = re.compile(rb"\bUID (\d+)")


def _fetch(
    conn: imaplib.IMAP4, uids: tuple[int, ...], config: MailboxConfig
) -> list[tuple[str, bytes]]:
    """(source, raw bytes) for each UID. BODY.PEEK[] leaves the \\Seen flag alone, so reading
    here does not change what people see in their mail client."""
    status, data = conn.uid("FETCH", ",".join(map(str, uids)), "(UID BODY.PEEK[])")
    if status != "OK":
        raise MailboxError(f"UID FETCH failed: {_text(data)}")
    sources = []
    for index, item in enumerate(data):
        if not isinstance(item, tuple):
            continue
        head, raw = item
        # The UID comes before the literal or, from some servers, in the bytes after it.
        after = data[index + 1] if index + 1 < len(data) else b""
        found = _UID.search(head) or _UID.search(after if isinstance(after, bytes) else b"")
        if found is None:
            raise MailboxError(f"The server's FETCH answer has no UID: {head[:200]!r}")
        uid = int(found.group(1))
        if uid not in uids:
            continue  # not one we asked for (a server may add other messages' updates)
        sources.append((f"{_url(config)};UID={uid}", raw))
    return sources


def _url(config: MailboxConfig) -> str:
    """The folder as an IMAP URL (RFC 5092), the source shown beside a quarantined message."""
    return f"imap://{quote(config.user, safe='')}@{config.host}/{quote(config.folder)}"


def _move(conn: imaplib.IMAP4, uids: tuple[int, ...], folder: str) -> bool:
    """Move processed mail out of the way: MOVE (RFC 6851) where the server has it, else
    COPY, flag \\Deleted and EXPUNGE. With UIDPLUS only our messages are expunged."""
    uid_set = ",".join(map(str, uids))
    if _supports(conn, "MOVE"):
        status, data = conn.uid("MOVE", uid_set, _quote(folder))
    else:
        status, data = conn.uid("COPY", uid_set, _quote(folder))
        if status == "OK":
            status, data = conn.uid("STORE", uid_set, "+FLAGS.SILENT", r"(\Deleted)")
        if status == "OK":
            if _supports(conn, "UIDPLUS"):
                status, data = conn.uid("EXPUNGE", uid_set)
            else:
                status, data = conn.expunge()
    if status != "OK":
        # The messages are stored and the position saved: they will not be read again, they
        # just stay in the folder. Say so rather than fail the poll.
        log.warning("Moving UIDs %s to %r failed: %s", uid_set, folder, _text(data))
    return status == "OK"


def _supports(conn: imaplib.IMAP4, capability: str) -> bool:
    return capability in conn.capabilities


def _require_folder(conn: imaplib.IMAP4, folder: str, config: MailboxConfig) -> None:
    if folder == config.folder:
        raise MailboxError("IMAP_MOVE_TO must be another folder than IMAP_FOLDER.")
    status, data = conn.status(_quote(folder), "(MESSAGES)")
    if status != "OK":
        raise MailboxError(
            f"The folder {folder!r} (IMAP_MOVE_TO) does not exist on {config.host}: "
            f"{_text(data)}. Create it in your mail client, or unset IMAP_MOVE_TO."
        )


def _quote(folder: str) -> str:
    """A folder name as an IMAP quoted string (imaplib sends arguments as they are)."""
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _text(value) -> str:
    """imaplib reports errors and answers as bytes, lists of bytes or exceptions."""
    if isinstance(value, imaplib.IMAP4.error) and value.args:
        value = value.args[0]
    elif isinstance(value, Exception):
        return str(value) or type(value).__name__
    if isinstance(value, list):
        value = b" ".join(v for v in value if isinstance(v, bytes))
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return str(value)


def _logout(conn: imaplib.IMAP4) -> None:
    with contextlib.suppress(OSError, imaplib.IMAP4.error):  # it is going away either way
        conn.logout()
