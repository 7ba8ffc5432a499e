"""A private Dovecot IMAP server for the mailroom tests.

Debian's dovecot-imapd (`make mailserver`), run in the foreground on a free
loopback port with its own configuration, passwd-file and maildirs in a
temporary directory; nothing of the machine's own Dovecot is used.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
ACCOUNTS = 200

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_login_user = {login_user}
default_internal_user = {internal_user}
first_valid_uid = {uid}
first_valid_gid = {gid}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class ImapServer:
    """A running Dovecot with ACCOUNTS accounts, each with an empty INBOX.

    Dovecot notices a rewritten passwd-file only by its modification time
    (seconds), so the accounts are written once, before it starts; each
    test takes a fresh one with `new_account()`.
    """

    root: Path
    port: int
    process: subprocess.Popen | None = None
    users: dict[str, str] = field(default_factory=dict)
    host: str = "127.0.0.1"

    taken: int = 0

    def write_accounts(self) -> None:
        self.users = {f"desk{n}@sager.nemid.example": f"hemmelig-{n}" for n in range(ACCOUNTS)}
        lines = [f"{user}:{{PLAIN}}{secret}::::::\n" for user, secret in self.users.items()]
        (self.root / "passwd").write_text("".join(lines))

    def new_account(self) -> tuple[str, str]:
        """(user, password) of an account no test has used."""
        if self.taken >= ACCOUNTS:
            raise RuntimeError("All test IMAP accounts are used: raise ACCOUNTS.")
        user = f"desk{self.taken}@sager.nemid.example"
        self.taken += 1
        return user, self.users[user]

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""


def start(port: int | None = None) -> ImapServer:
    """Start Dovecot and wait until it accepts connections (at most 10 s)."""
    root = Path(tempfile.mkdtemp(prefix="nemid-dovecot-"))
    root.chmod(0o755)
    if os.getuid() == 0:
        # Dovecot never serves mail as root: the mail processes run as
        # nobody, which must own the maildirs.
        account = pwd.getpwnam("nobody")
        login_user = internal_user = "dovenull" if _exists("dovenull") else "nobody"
        internal_user = "dovecot" if _exists("dovecot") else internal_user
    else:
        account = pwd.getpwuid(os.getuid())
        login_user = internal_user = account.pw_name
    (root / "mail").mkdir()
    os.chown(root / "mail", account.pw_uid, account.pw_gid)
    server = ImapServer(root=root, port=port or free_port())
    server.write_accounts()
    (root / "dovecot.conf").write_text(
        CONFIG.format(
            root=root,
            port=server.port,
            uid=account.pw_uid,
            gid=account.pw_gid,
            login_user=login_user,
            internal_user=internal_user,
        )
    )
    server.process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            error = server.process.stderr.read().decode(errors="replace")
            raise RuntimeError(f"Dovecot stopped: {error}\n{server.log()}")
        try:
            with socket.create_connection((server.host, server.port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.05)
    stop(server)
    raise RuntimeError(f"Dovecot did not listen on port {server.port}:\n{server.log()}")


def stop(server: ImapServer) -> None:
    """Stop this server's own process (by its id) and remove its directory."""
    if server.process is not None and server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
    shutil.rmtree(server.root, ignore_errors=True)


def _exists(user: str) -> bool:
    try:
        pwd.getpwnam(user)
    except KeyError:
        return False
    return True
