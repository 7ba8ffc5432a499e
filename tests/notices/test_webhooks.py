"""Webhooks: signed per Standard Webhooks, retried until a real HTTP server
on loopback accepts them; SSRF addresses refused."""

import base64
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError

from notices import tasks, webhooks
from notices.models import WebhookDelivery, WebhookSubscription

pytestmark = pytest.mark.django_db


class Receiver:
    """A subscriber's server: verifies each signature, fails the first
    `failures` requests with a 503, then answers 204."""

    def __init__(self, secret: str, failures: int = 1):
        self.secret, self.failures = secret, failures
        self.received: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                message_id = self.headers["webhook-id"]
                timestamp = self.headers["webhook-timestamp"]
                key = base64.b64decode(receiver.secret.removeprefix("whsec_"))
                expected = base64.b64encode(
                    hmac.new(
                        key, f"{message_id}.{timestamp}.".encode() + body, hashlib.sha256
                    ).digest()
                ).decode()
                given = [s.split(",", 1)[1] for s in self.headers["webhook-signature"].split()]
                valid = any(hmac.compare_digest(expected, sig) for sig in given)
                receiver.received.append(
                    {"id": message_id, "valid": valid, "body": json.loads(body)}
                )
                if not valid:
                    status = 401
                elif receiver.failures > 0:
                    receiver.failures -= 1
                    status = 503
                else:
                    status = 204
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/nemid"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    made = []

    def make(secret, failures=1):
        made.append(Receiver(secret, failures))
        return made[-1]

    yield make
    for server in made:
        server.close()


def test_a_delivery_is_signed_fails_once_and_is_retried_until_accepted(
    receiver, publish, django_capture_on_commit_callbacks
):
    subscription = WebhookSubscription(name="Danske Bank", services=["netbank_login"], url="x")
    server = receiver(subscription.secret, failures=1)
    subscription.url = server.url
    subscription.full_clean()
    subscription.save()

    with django_capture_on_commit_callbacks() as queued:
        publish()
    delivery = WebhookDelivery.objects.get()
    # The worker's run: .apply() runs the task here, its retry included.
    tasks.deliver_webhook.apply(args=[delivery.pk])

    delivery.refresh_from_db()
    assert len(queued) >= 1
    assert [r["valid"] for r in server.received] == [True, True]
    assert server.received[0]["id"] == server.received[1]["id"] == delivery.message_id
    assert server.received[1]["body"]["type"] == "incident.published"
    assert server.received[1]["body"]["data"]["services"] == ["login", "netbank_login"]
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 2, 204)


def test_a_wrong_secret_never_verifies(receiver, publish):
    subscription = WebhookSubscription.objects.create(name="Bank", url="http://placeholder/")
    server = receiver("whsec_" + base64.b64encode(b"another key of 32 bytes........").decode())
    WebhookSubscription.objects.filter(pk=subscription.pk).update(url=server.url)
    publish()
    delivery = WebhookDelivery.objects.get()

    with pytest.raises(webhooks.DeliveryFailed):
        from notices import services

        services.deliver_webhook(delivery)

    assert server.received[0]["valid"] is False
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_status_code) == ("pending", 401)


def test_only_subscribers_of_an_affected_service_get_a_delivery(publish):
    WebhookSubscription.objects.create(
        name="Signing only", url="https://a.example/", services=["signing"]
    )
    wants = WebhookSubscription.objects.create(name="All", url="https://b.example/")
    WebhookSubscription.objects.create(name="Paused", url="https://c.example/", is_active=False)

    publish()

    assert [d.subscription for d in WebhookDelivery.objects.all()] == [wants]


def test_the_signature_matches_the_standard_webhooks_example():
    # The example of the Standard Webhooks reference implementations.
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'

    signature = webhooks.sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body)

    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


@pytest.mark.parametrize(
    "url",
    [
        "ftp://bank.example/hooks",
        "file:///etc/passwd",
        "http://127.0.0.1:8000/admin/",
        "http://localhost/",
        "http://10.0.0.5/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
    ],
)
def test_addresses_that_are_not_http_or_are_private_are_refused(url):
    with pytest.raises(ValidationError) as error:
        webhooks.check_url(url)

    assert "url" in error.value.message_dict


def test_the_setting_allows_loopback_for_a_local_test_server(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True

    webhooks.check_url("http://127.0.0.1:8000/hooks")


def test_a_delivery_to_a_now_private_address_fails_without_retrying(publish):
    subscription = WebhookSubscription.objects.create(name="Bank", url="https://a.example/")
    publish()
    WebhookSubscription.objects.filter(pk=subscription.pk).update(url="http://127.0.0.1/")
    delivery = WebhookDelivery.objects.get()

    tasks.deliver_webhook.apply(args=[delivery.pk])

    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.attempts == 1
