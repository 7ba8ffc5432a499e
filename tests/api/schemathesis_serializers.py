"""A schemathesis hook: bodies of type message/rfc822 are sent as the raw bytes.

The mailroom's push route (`POST /api/v1/mailboxes/{id}/messages/`) takes
a raw e-mail; schemathesis has no serializer of its own for that media type
and would skip the operation. Loaded through SCHEMATHESIS_HOOKS by
tests/api/test_schemathesis.py, and imported by the known-bad hooks.
"""

import schemathesis

# A raw e-mail is bytes, as an application/octet-stream body is.
schemathesis.serializer.alias("message/rfc822", "application/octet-stream")
