"""Webhooks to subscribers, in the manner of the Standard Webhooks
specification (https://www.standardwebhooks.com/):

- headers `webhook-id` (the delivery's message id, the same on every retry),
  `webhook-timestamp` (Unix seconds) and `webhook-signature`
  (`v1,<base64 HMAC-SHA256>` over `id.timestamp.body`, keyed by the base64
  part of the subscriber's `whsec_` secret);
- a 2xx answer is delivered; anything else is retried by Celery with
  exponential backoff (notices.tasks.deliver_webhook).

Addresses are checked against SSRF when a subscription is saved and again
before every delivery (a name may resolve elsewhere later): only http(s),
and no loopback, private, link-local or reserved address unless
settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES is set (the local test server).
Redirects are not followed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import socket
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

TIMEOUT_SECONDS = 5


class DeliveryFailed(Exception):
    """The subscriber did not answer 2xx; worth another try later."""


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def check_url(url: str) -> None:
    """Refuse a URL that is not http(s) or that points at a private address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError({"url": _("Give an http or https address.")})
    if getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", False):
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError) as error:
        raise ValidationError({"url": _("The address cannot be resolved.")}) from error
    for *_rest, sockaddr in found:
        address = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if not address.is_global or address.is_multicast:
            raise ValidationError(
                {"url": _("The address points at this server or a private network.")}
            )


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(url: str, *, secret: str, message_id: str, payload: dict) -> int:
    """POST the signed payload; the status code, or DeliveryFailed."""
    check_url(url)
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = int(time.time())
    # check_url() above allows only http and https.
    request = urllib.request.Request(  # noqa: S310
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "nemid-cases-webhooks/1",
            "webhook-id": message_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(secret, message_id, timestamp, body),
        },
    )
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as error:
        raise DeliveryFailed(f"HTTP {error.code}", error.code) from error
    except (urllib.error.URLError, OSError) as error:
        raise DeliveryFailed(str(error)[:400], None) from error
