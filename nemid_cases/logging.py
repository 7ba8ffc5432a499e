"""Logging filters: no CPR number reaches a log line."""

import logging

from enquiries.cpr import redact_cpr


class RedactCprFilter(logging.Filter):
    """Mask anything shaped like a CPR number in a record's final message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_cpr(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
