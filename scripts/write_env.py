"""Write a local .env with fresh random secrets (run once by `make`).

Keep the file: the CPR keys in it are needed to read the CPR numbers already
stored in var/db.sqlite3. Debug stays off (the default): set DJANGO_DEBUG=true
here only to see Django's technical error pages while developing.
"""

import secrets
import sys
from pathlib import Path

from cryptography.fernet import Fernet

path = Path(sys.argv[1] if len(sys.argv) > 1 else ".env")
if path.exists():
    sys.exit(0)
path.write_text(
    "# Local settings written by `make`; never commit this file.\n"
    f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}\n"
    f"CPR_ENCRYPTION_KEYS={Fernet.generate_key().decode()}\n"
    f"CPR_HASH_KEY={secrets.token_urlsafe(32)}\n"
)
print(f"Wrote {path} with new local secrets.")
