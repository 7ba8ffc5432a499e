"""Outgoing e-mail: no CPR number leaves in a subject or a body.

EMAIL_BACKEND is RedactingEmailBackend, which masks every message and hands
it to EMAIL_DELIVERY_BACKEND (SMTP, console, file...). The outbox
(enquiries.Notification) is masked as it is written as well, so the table
holds no number either.
"""

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend

from enquiries.cpr import redact_cpr


def redact_message(message):
    """Mask CPR numbers in an EmailMessage's subject, body and alternatives."""
    message.subject = redact_cpr(str(message.subject))
    message.body = redact_cpr(str(message.body))
    alternatives = getattr(message, "alternatives", None)
    if alternatives:
        message.alternatives = [
            alternative._replace(content=redact_cpr(alternative.content))
            if isinstance(alternative.content, str)
            else alternative
            for alternative in alternatives
        ]
    return message


class RedactingEmailBackend(BaseEmailBackend):
    """Masks each message, then sends it with EMAIL_DELIVERY_BACKEND."""

    def __init__(self, fail_silently: bool = False, **kwargs) -> None:
        super().__init__(fail_silently=fail_silently)
        self.delivery = get_connection(
            settings.EMAIL_DELIVERY_BACKEND, fail_silently=fail_silently, **kwargs
        )

    def open(self):
        return self.delivery.open()

    def close(self):
        return self.delivery.close()

    def send_messages(self, email_messages):
        return self.delivery.send_messages([redact_message(m) for m in email_messages])
