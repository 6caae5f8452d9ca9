"""Mailbox polling against a real IMAP server (Dovecot on loopback, see tests/dovecot.py)."""

import json
import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.dovecot import DOVECOT, OPENSSL, DovecotServer, free_port
from triage import tasks
from triage.models import CandidateRequest, MailboxState, Message, QuarantinedMessage
from triage.services import intake, mailbox

DATA = Path(__file__).parent / "data"
GOOD = ["plain.eml", "html-cp1252.eml", "rfc2047-no-message-id.eml"]

pytestmark = [pytest.mark.imap, pytest.mark.django_db]


@pytest.fixture(scope="session")
def dovecot():
    if not os.access(DOVECOT, os.X_OK):
        pytest.skip(
            f"IMAP TESTS SKIPPED: no Dovecot at {DOVECOT}. Install Debian's dovecot-imapd "
            "(.ci/run does) or set DOVECOT_PATH."
        )
    server = DovecotServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def dovecot_tls():
    if not os.access(DOVECOT, os.X_OK) or not OPENSSL:
        pytest.skip(f"IMAP TLS TESTS SKIPPED: need Dovecot at {DOVECOT} and openssl.")
    server = DovecotServer(tls=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def account(dovecot, settings, profile):
    """An empty mailbox of this test's own, and the app's IMAP settings pointing at it."""
    account = dovecot.add_account()
    settings.IMAP_HOST = "127.0.0.1"
    settings.IMAP_PORT = dovecot.port
    settings.IMAP_TLS = "none"
    settings.IMAP_USER = account.user
    settings.IMAP_PASSWORD = account.password
    settings.IMAP_FOLDER = "INBOX"
    settings.IMAP_MOVE_TO = ""
    return account


def seed(account, *names: str) -> None:
    for name in names:
        account.append((DATA / name).read_bytes())


def follow_up(number: int) -> bytes:
    return (
        f"Message-ID: <follow-{number}@mail.example>\r\n"
        "From: Dana Plainfield <dana.plainfield@mail.example>\r\n"
        "To: rita@acme-orbital.example\r\n"
        f"Subject: Rust and orbit determination, note {number}\r\n"
        "Date: Tue, 04 Mar 2025 10:00:00 +0000\r\n"
        "\r\n"
        f"Note {number}: I also built an orbit determination pipeline.\r\n"
    ).encode()


def test_the_first_poll_reads_every_message_and_the_second_reads_none(account):
    seed(account, *GOOD)

    first = mailbox.poll_mailbox()

    assert (first.read, first.summary.new, first.uidvalidity_changed) == (3, 3, False)
    assert set(CandidateRequest.objects.values_list("subject", flat=True)) == {
        "Flight Software Engineer - any openings?",
        "Introducing myself before I move to Denver",
        "Question about the Data Analyst role – Zoë",
    }
    dana = CandidateRequest.objects.get(candidate__email="dana.plainfield@mail.example")
    assert "I write Rust for small satellites" in dana.body
    state = MailboxState.objects.get(user=account.user)
    assert (state.folder, state.last_uid) == ("INBOX", 3)

    second = mailbox.poll_mailbox()

    assert (second.read, second.summary.new, second.summary.duplicates) == (0, 0, 0)
    assert CandidateRequest.objects.count() == 3


def test_it_reads_a_message_appended_after_the_last_poll(account):
    seed(account, "plain.eml")
    mailbox.poll_mailbox()
    account.append(follow_up(1))

    result = mailbox.poll_mailbox()

    # Dana's second note joins her open request (intake: follow-ups without "Re:").
    assert (result.read, result.summary.threaded, result.last_uid) == (1, 1, 2)
    assert Message.objects.filter(message_id="<follow-1@mail.example>").exists()


def test_reading_leaves_the_messages_unread_in_the_mail_client(account):
    seed(account, *GOOD)

    mailbox.poll_mailbox()

    assert [r"\Seen" in flags for flags, _ in account.messages()] == [False, False, False]


def test_a_malformed_message_is_quarantined_and_the_others_still_land(account):
    account.append((DATA / "plain.eml").read_bytes())
    account.append((DATA / "no-from.eml").read_bytes())
    account.append(follow_up(1))

    result = mailbox.poll_mailbox()

    summary = result.summary
    assert (result.read, summary.new, summary.threaded, len(summary.quarantined)) == (3, 1, 1, 1)
    kept = QuarantinedMessage.objects.get()
    assert kept.error == "no sender address in the From header"
    assert kept.source == f"imap://{account.user.replace('@', '%40')}@127.0.0.1/INBOX;UID=2"
    assert bytes(kept.raw) == account.messages()[1][1]
    # Read is read: the next poll does not take the broken message again.
    again = mailbox.poll_mailbox()
    assert (again.read, QuarantinedMessage.objects.count()) == (0, 1)


def test_a_follow_up_arriving_by_imap_joins_its_thread(account):
    seed(account, "plain.eml")
    mailbox.poll_mailbox()
    account.append(
        b"Message-ID: <reply-1@mail.example>\r\n"
        b"In-Reply-To: <plain-2025-03-03@mail.example>\r\n"
        b"From: Dana Plainfield <dana.plainfield@mail.example>\r\n"
        b"Subject: Re: Flight Software Engineer - any openings?\r\n"
        b"Date: Tue, 04 Mar 2025 10:00:00 +0000\r\n\r\n"
        b"Any news?\r\n"
    )

    result = mailbox.poll_mailbox()

    assert (result.summary.threaded, result.summary.new) == (1, 0)
    assert CandidateRequest.objects.get().messages.count() == 2


def test_a_changed_uidvalidity_reads_the_folder_again_without_duplicates(account):
    seed(account, *GOOD)
    mailbox.poll_mailbox()
    old = MailboxState.objects.get(user=account.user).uidvalidity
    account.set_uidvalidity(old + 1000)

    result = mailbox.poll_mailbox()

    assert result.uidvalidity_changed
    assert (result.read, result.summary.new, result.summary.duplicates) == (3, 0, 3)
    assert CandidateRequest.objects.count() == 3
    state = MailboxState.objects.get(user=account.user)
    assert (state.uidvalidity, state.last_uid) == (old + 1000, 3)
    out = StringIO()
    err = StringIO()
    account.set_uidvalidity(old + 2000)
    call_command("poll_mailbox", stdout=out, stderr=err)
    assert "UIDVALIDITY" in err.getvalue() and "again from the start" in err.getvalue()


def test_it_moves_processed_mail_to_the_given_folder(account, settings):
    seed(account, *GOOD)
    account.create_folder("Processed")
    settings.IMAP_MOVE_TO = "Processed"

    result = mailbox.poll_mailbox()

    assert (result.read, result.moved) == (3, 3)
    assert account.messages("INBOX") == []
    moved = account.messages("Processed")
    assert [r"\Seen" in flags for flags, _ in moved] == [False, False, False]
    assert moved[0][1] == (DATA / "plain.eml").read_bytes().replace(b"\n", b"\r\n")
    assert CandidateRequest.objects.count() == 3


def test_without_move_it_copies_flags_and_expunges(account, settings, monkeypatch):
    """A server without MOVE (RFC 6851): COPY, STORE \\Deleted, then UID EXPUNGE."""
    real = mailbox._supports
    monkeypatch.setattr(mailbox, "_supports", lambda conn, cap: cap != "MOVE" and real(conn, cap))
    seed(account, *GOOD)
    account.create_folder("Processed")
    settings.IMAP_MOVE_TO = "Processed"

    result = mailbox.poll_mailbox()

    assert result.moved == 3
    assert account.messages("INBOX") == []
    assert len(account.messages("Processed")) == 3


def test_a_missing_move_to_folder_is_a_clear_error_before_anything_is_read(account, settings):
    seed(account, "plain.eml")
    settings.IMAP_MOVE_TO = "No Such Folder"

    with pytest.raises(mailbox.MailboxError, match="'No Such Folder' \\(IMAP_MOVE_TO\\) does not"):
        mailbox.poll_mailbox()

    assert CandidateRequest.objects.count() == 0
    assert len(account.messages()) == 1


def test_a_crash_mid_poll_keeps_what_was_committed_and_skips_nothing(account, monkeypatch):
    for number in range(5):
        account.append(follow_up(number))
    monkeypatch.setattr(mailbox, "FETCH_BATCH", 2)
    real_ingest = intake.ingest_sources
    calls = []

    def crash_on_the_second_batch(sources, **kwargs):
        calls.append(len(sources))
        if len(calls) == 2:
            raise RuntimeError("the worker died")
        return real_ingest(sources, **kwargs)

    monkeypatch.setattr(intake, "ingest_sources", crash_on_the_second_batch)
    with pytest.raises(RuntimeError):
        mailbox.poll_mailbox()
    assert MailboxState.objects.get(user=account.user).last_uid == 2
    assert Message.objects.count() == 2  # one request, the second note joined it

    monkeypatch.setattr(intake, "ingest_sources", real_ingest)
    result = mailbox.poll_mailbox()

    assert (result.read, result.summary.threaded, result.summary.duplicates) == (3, 3, 0)
    assert (CandidateRequest.objects.count(), Message.objects.count()) == (1, 5)


def test_a_wrong_password_is_a_clear_error(account, settings):
    settings.IMAP_PASSWORD = "wrong"

    with pytest.raises(CommandError) as raised:
        call_command("poll_mailbox", stdout=StringIO())

    message = str(raised.value)
    assert f"refused the login for '{account.user}'" in message
    assert "AUTHENTICATIONFAILED" in message and "IMAP_PASSWORD" in message
    assert not MailboxState.objects.exists()


def test_an_unreachable_server_is_a_clear_error(account, settings):
    settings.IMAP_PORT = free_port()  # nothing listens there

    with pytest.raises(
        mailbox.MailboxError, match=r"Cannot connect to the IMAP server 127\.0\.0\.1"
    ):
        mailbox.poll_mailbox()


def test_a_missing_folder_is_a_clear_error(account, settings):
    settings.IMAP_FOLDER = "Jobs"

    with pytest.raises(mailbox.MailboxError, match=r"Cannot open the folder 'Jobs'.*IMAP_FOLDER"):
        mailbox.poll_mailbox()


def test_the_command_prints_the_counts(account):
    seed(account, "plain.eml", "no-from.eml")
    out, err = StringIO(), StringIO()

    call_command("poll_mailbox", stdout=out, stderr=err)

    assert out.getvalue().startswith(f"{account.user}@127.0.0.1:")
    assert "read 2, moved 0. 1 new (1 " in out.getvalue()
    assert "0 duplicates, 0 threaded, 0 set aside, 1 quarantined" in out.getvalue()
    assert "quarantined: imap://" in err.getvalue()


def test_the_command_prints_json(account):
    seed(account, *GOOD)
    out = StringIO()

    call_command("poll_mailbox", "--json", stdout=out)

    counts = json.loads(out.getvalue())
    assert (counts["read"], counts["new"], counts["duplicates"], counts["quarantined"]) == (
        3,
        3,
        0,
        [],
    )
    assert counts["uidvalidity_changed"] is False


def test_the_task_polls_the_same_way(account):
    seed(account, *GOOD)

    result = tasks.poll_mailbox.enqueue()

    assert result.return_value["new"] == 3
    assert CandidateRequest.objects.count() == 3


def test_polling_is_off_without_a_host(settings, profile):
    settings.IMAP_HOST = ""

    assert tasks.poll_mailbox.enqueue().return_value == {}
    with pytest.raises(CommandError, match="Mailbox polling is off: IMAP_HOST is not set"):
        call_command("poll_mailbox", stdout=StringIO())


# --- TLS ----------------------------------------------------------------------------------


@pytest.fixture
def tls_account(dovecot_tls, settings, profile):
    account = dovecot_tls.add_account()
    settings.IMAP_HOST = "127.0.0.1"
    settings.IMAP_USER = account.user
    settings.IMAP_PASSWORD = account.password
    settings.IMAP_FOLDER = "INBOX"
    settings.IMAP_MOVE_TO = ""
    settings.IMAP_CA_FILE = str(dovecot_tls.ca_file)
    return account


@pytest.mark.parametrize("mode", ["tls", "starttls"])
def test_it_reads_over_tls(tls_account, dovecot_tls, settings, mode):
    settings.IMAP_TLS = mode
    settings.IMAP_PORT = dovecot_tls.tls_port if mode == "tls" else dovecot_tls.port
    seed(tls_account, "plain.eml")

    result = mailbox.poll_mailbox()

    assert (result.read, result.summary.new) == (1, 1)


def test_an_untrusted_certificate_is_refused(tls_account, dovecot_tls, settings):
    settings.IMAP_TLS = "tls"
    settings.IMAP_PORT = dovecot_tls.tls_port
    settings.IMAP_CA_FILE = ""  # the system's CAs do not know our self-signed certificate
    seed(tls_account, "plain.eml")

    with pytest.raises(mailbox.MailboxError, match="CERTIFICATE_VERIFY_FAILED"):
        mailbox.poll_mailbox()

    assert CandidateRequest.objects.count() == 0


def test_starttls_on_a_server_without_it_is_a_clear_error(account, settings):
    settings.IMAP_TLS = "starttls"

    with pytest.raises(mailbox.MailboxError, match=r"\(starttls\): TLS not supported by server"):
        mailbox.poll_mailbox()
