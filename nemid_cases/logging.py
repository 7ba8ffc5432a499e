"""Logging: no CPR number reaches a log line.

RedactCprFilter sits on every handler in settings.LOGGING and masks the
message and its arguments; RedactingFormatter masks the whole formatted
line, tracebacks included. install_record_factory() masks each record as it
is made, so handlers added outside LOGGING (test capture, error trackers)
never see the number either.
"""

import logging

from enquiries.cpr import contains_cpr, redact_cpr


class RedactCprFilter(logging.Filter):
    """Mask anything shaped like a CPR number in a record's final message."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


class RedactingFormatter(logging.Formatter):
    """A Formatter whose lines (and tracebacks) have CPR numbers masked."""

    def format(self, record: logging.LogRecord) -> str:
        return redact_cpr(super().format(record))


def redact_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except (TypeError, ValueError):
        # A malformed call: logging reports it when the record is emitted.
        return
    if contains_cpr(message):
        record.msg, record.args = redact_cpr(message), None


def install_record_factory() -> None:
    """Mask every LogRecord as it is created; idempotent."""
    current = logging.getLogRecordFactory()
    if getattr(current, "redacts_cpr", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = current(*args, **kwargs)
        redact_record(record)
        return record

    # A mark on the function, read back above; not a LogRecord factory's.
    factory.redacts_cpr = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
