"""A real IMAP server for the tests: Debian's Dovecot, configured entirely under a temporary
folder and listening on a free loopback port. One server per test session; each test gets
an account of its own, so each starts with an empty mailbox."""

from __future__ import annotations

import imaplib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

DOVECOT = os.environ.get("DOVECOT_PATH") or shutil.which("dovecot") or "/usr/sbin/dovecot"
DOVEADM = shutil.which("doveadm") or "/usr/bin/doveadm"

PASSWORD = "s3cret-pass"

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = {ssl}
# Plain-text login is fine on loopback; the app itself defaults to TLS.
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
first_valid_uid = {mail_uid}
mail_location = maildir:{root}/mail/%u
mail_fsync = never
# Every user name logs in with the one password, so each test can take a fresh account
# (a passwd file is reread at most once a second).
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
  }}
}}
"""

TLS_CONFIG = """\
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
"""
OPENSSL = shutil.which("openssl")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _users() -> dict:
    """Dovecot refuses to run its login process, or to touch mail, as root. As root, mail
    belongs to `nobody` and logins run as Debian's `dovenull`; as anyone else, all is ours."""
    if os.getuid() != 0:
        me = pwd.getpwuid(os.getuid())
        return {
            "internal_user": me.pw_name,
            "internal_group": me.pw_name,
            "login_user": me.pw_name,
            "mail_uid": me.pw_uid,
            "mail_gid": me.pw_gid,
        }
    mail = pwd.getpwnam("nobody")
    login = "dovenull" if _exists("dovenull") else "nobody"
    return {
        "internal_user": "root",
        "internal_group": "root",
        "login_user": login,
        "mail_uid": mail.pw_uid,
        "mail_gid": mail.pw_gid,
    }


def _exists(user: str) -> bool:
    try:
        pwd.getpwnam(user)
    except KeyError:
        return False
    return True


@dataclass
class Account:
    server: DovecotServer
    user: str
    password: str

    def connect(self) -> imaplib.IMAP4:
        conn = imaplib.IMAP4("127.0.0.1", self.server.port, timeout=10)
        conn.login(self.user, self.password)
        return conn

    def append(self, raw: bytes, folder: str = "INBOX") -> None:
        conn = self.connect()
        try:
            status, data = conn.append(f'"{folder}"', None, None, raw)
            assert status == "OK", data
        finally:
            conn.logout()

    def create_folder(self, folder: str) -> None:
        conn = self.connect()
        try:
            status, data = conn.create(f'"{folder}"')
            assert status == "OK", data
        finally:
            conn.logout()

    def messages(self, folder: str = "INBOX") -> list[tuple[set[str], bytes]]:
        """(flags, raw bytes) of each message in the folder, without marking anything read."""
        conn = self.connect()
        try:
            conn.select(f'"{folder}"', readonly=True)
            _, data = conn.uid("FETCH", "1:*", "(FLAGS BODY.PEEK[])")
            found = []
            for item in data:
                if isinstance(item, tuple):
                    flags = imaplib.ParseFlags(item[0])
                    found.append(({f.decode() for f in flags}, item[1]))
            return found
        finally:
            conn.logout()

    def set_uidvalidity(self, value: int, folder: str = "INBOX") -> None:
        """What a server does when a folder is rebuilt: a new UIDVALIDITY, old UIDs void."""
        self.server.doveadm(
            "mailbox", "update", "-u", self.user, "--uid-validity", str(value), folder
        )


class DovecotServer:
    """With tls=True it also listens with implicit TLS on `tls_port` and offers STARTTLS,
    with a self-signed certificate for 127.0.0.1 in `ca_file`."""

    def __init__(self, *, tls: bool = False):
        # Not under pytest's tmp_path: its folders are private to us, and the mail user
        # (`nobody` when running as root) must be able to reach the maildirs.
        self.root = Path(tempfile.mkdtemp(prefix="dovecot-"))
        self.root.chmod(0o755)
        self.port = free_port()
        self.tls = tls
        self.tls_port = free_port() if tls else 0
        self.ca_file = self.root / "cert.pem"
        self.config = self.root / "dovecot.conf"
        self.log = self.root / "dovecot.log"
        self._serial = itertools.count(1)
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        users = _users()
        for name in ("run", "state", "mail"):
            (self.root / name).mkdir()
        if os.getuid() == 0:
            os.chown(self.root / "mail", users["mail_uid"], users["mail_gid"])
        if self.tls:
            self._make_certificate()
        config = CONFIG + (TLS_CONFIG if self.tls else "")
        self.config.write_text(
            config.format(
                root=self.root,
                port=self.port,
                tls_port=self.tls_port,
                ssl="yes" if self.tls else "no",
                password=PASSWORD,
                **users,
            )
        )
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot exited: {self.process.stderr.read().decode()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as probe:
                    if probe.recv(100).startswith(b"* OK"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"dovecot did not answer on port {self.port}: {self.read_log()}")

    def _make_certificate(self) -> None:
        subprocess.run(
            [
                OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", str(self.root / "key.pem"), "-out", str(self.ca_file),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )  # fmt: skip
        (self.root / "key.pem").chmod(0o644)  # read by dovecot's processes, whoever they are

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)

    def add_account(self) -> Account:
        """A new account with an empty mailbox."""
        return Account(self, f"jobs{next(self._serial)}@example.test", PASSWORD)

    def doveadm(self, *args: str) -> None:
        subprocess.run(
            [DOVEADM, "-c", str(self.config), *args], check=True, capture_output=True, timeout=30
        )

    def read_log(self) -> str:
        return self.log.read_text() if self.log.exists() else "(no log)"
