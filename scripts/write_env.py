"""Write a local .env with fresh random secrets (run once by `make`).

Keep the file: the CPR keys in it are needed to read the CPR numbers already
stored in var/db.sqlite3. Debug stays off (the default): set DJANGO_DEBUG=true
here only to see Django's technical error pages while developing.
"""

import secrets
import sys
from pathlib import Path

from cryptography.fernet import Fernet

HEADER = "# Local settings written by `make`; never commit this file.\n"
# Until December 2026 this script turned debug on, which showed every user
# Django's technical pages; an .env it wrote then loses that line.
OLD_DEBUG_LINE = "DJANGO_DEBUG=true\n"

path = Path(sys.argv[1] if len(sys.argv) > 1 else ".env")
if path.exists():
    text = path.read_text()
    if text.startswith(HEADER + OLD_DEBUG_LINE):
        path.write_text(HEADER + text.removeprefix(HEADER + OLD_DEBUG_LINE))
        print(f"Removed DJANGO_DEBUG=true from {path}: debug is off by default.")
    sys.exit(0)
secrets_lines = (
    f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}\n"
    f"CPR_ENCRYPTION_KEYS={Fernet.generate_key().decode()}\n"
    f"CPR_HASH_KEY={secrets.token_urlsafe(32)}\n"
)
path.write_text(HEADER + secrets_lines)
print(f"Wrote {path} with new local secrets.")
