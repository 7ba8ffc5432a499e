"""Who may use each mail page and API route: role x route tables.

Read by tests/accounts/test_route_tables.py, which fails when a mailroom
route or method has no row here.
"""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from enquiries.models import Enquiry
from mailroom import services
from mailroom.models import Correspondent, InboundMessage
from tests.factories import CitizenFactory, UserFactory
from tests.mailroom.conftest import corpus, unthreaded_auto_reply
from tests.permissions import LOGIN, answer, cases_by_role

OK, DONE, BAD, DENIED, GONE = 200, 302, 400, 403, 404

# fmt: off
#   route                      method  body     agent   lead    secr    mgr     admin   anon
PAGES = [
    ("mailroom:quarantine",    "get",  None,    DENIED, OK,     OK,     DENIED, OK,     LOGIN),
    ("mailroom:quarantine-detail", "get", None, DENIED, OK,     OK,     DENIED, OK,     LOGIN),
    ("mailroom:refile",        "post", None,    DENIED, DONE,   DONE,   DENIED, DONE,   LOGIN),
    ("mailroom:file-as-enquiry", "post", "queue", DENIED, DONE, DONE,   DENIED, DONE,   LOGIN),
    ("mailroom:discard",       "post", "reason", DENIED, DONE,  DONE,   DENIED, DONE,   LOGIN),
    ("mailroom:mailboxes",     "get",  None,    DENIED, DENIED, OK,     OK,     OK,     LOGIN),
    ("mailroom:enquiry",       "get",  None,    OK,     OK,     OK,     OK,     OK,     LOGIN),
    ("mailroom:attachment",    "get",  None,    OK,     OK,     OK,     OK,     OK,     LOGIN),
    ("mailroom:link-citizen",  "post", "link",  DONE,   DONE,   DENIED, DENIED, DONE,   LOGIN),
]

#   method  path                                      body   agent lead secr mgr admin anon
API = [
    ("get",  "/api/v1/mailboxes/", None,                     403, 403, 200, 200, 200, 401),
    ("get",  "/api/v1/mailboxes/{mailbox}/", None,           403, 403, 200, 200, 200, 401),
    ("post", "/api/v1/mailboxes/{mailbox}/messages/", "raw", 403, 403, 403, 403, 201, 401),
    ("post", "/api/v1/inbound-messages/{id}/refile/", None,  403, 200, 200, 403, 200, 401),
    ("post", "/api/v1/inbound-messages/{id}/file/", "queue", 403, 200, 200, 403, 200, 401),
    ("post", "/api/v1/inbound-messages/{id}/discard/", "reason", 403, 200, 200, 403, 200, 401),
]
# fmt: on


@pytest.fixture
def filed(mailbox, personas):
    """An e-mail enquiry of the support queue with a file and a sender."""
    CitizenFactory(name="Anne-Mette Østergård", email="anne.mette@icloud.com")
    row = services.receive_message(mailbox, corpus("apple_mail.eml"), via="imap")
    assert row.attachments.count() == 1
    return row


def _url(route: str, row: InboundMessage) -> str:
    if route == "mailroom:enquiry":
        return reverse(route, args=[row.enquiry.reference])
    if route == "mailroom:attachment":
        return reverse(route, args=[row.attachments.get().pk])
    if route == "mailroom:link-citizen":
        return reverse(route, args=[Correspondent.objects.get(enquiry=row.enquiry).pk])
    return reverse(route)


SET_ASIDE_ROUTES = {"quarantine-detail", "refile", "file-as-enquiry", "discard"}


@pytest.mark.parametrize(("route", "method", "body", "role", "expected"), cases_by_role(PAGES))
def test_who_may_use_each_mail_page(client_as, filed, route, method, body, role, expected):
    # An out-of-office reply that threads nowhere: set aside, and read
    # again it is set aside again, so each decision route can succeed.
    automatic = services.receive_message(filed.mailbox, unthreaded_auto_reply(), via="imap")
    correspondent = Correspondent.objects.get(enquiry=filed.enquiry)
    data = {
        "link": {"citizen": correspondent.suggested_citizen_id},
        "queue": {"queue": filed.mailbox.queue_id},
        "reason": {"reason": "Spam"},
    }.get(body, {})
    name = route.split(":")[1]
    url = reverse(route, args=[automatic.pk]) if name in SET_ASIDE_ROUTES else _url(route, filed)

    response = getattr(client_as(role), method)(url, data)

    assert answer(response) == expected
    linked = Enquiry.objects.get(pk=filed.enquiry_id).citizen_id
    assert (linked is not None) == (expected == DONE and route == "mailroom:link-citizen")
    assert automatic.decisions.exists() == (expected == DONE and name in SET_ASIDE_ROUTES)


@pytest.mark.parametrize(("method", "path", "body", "role", "expected"), cases_by_role(API))
def test_who_may_call_each_mailbox_api_route(
    client_as, mailbox, method, path, body, role, expected
):
    automatic = None
    if "{id}" in path:
        automatic = services.receive_message(mailbox, unthreaded_auto_reply(), via="imap")
    url = path.format(mailbox=mailbox.pk, id=automatic.pk if automatic else 0)
    kwargs = {
        "raw": {"data": corpus("outlook.eml"), "content_type": "message/rfc822"},
        "queue": {"data": {"queue": mailbox.queue.code}, "content_type": "application/json"},
        "reason": {"data": {"reason": "Spam"}, "content_type": "application/json"},
        None: {"content_type": "application/json"} if automatic else {},
    }[body]

    response = getattr(client_as(role), method)(url, **kwargs)

    assert answer(response) == expected
    if automatic is None:
        assert InboundMessage.objects.count() == (1 if expected == 201 else 0)
    else:
        assert automatic.decisions.exists() == (expected == 200)


def test_an_agent_of_another_team_sees_neither_the_mails_nor_the_files(client_as, filed, taxonomy):
    Enquiry.objects.filter(pk=filed.enquiry_id).update(queue=taxonomy["ministry"], team=None)
    client = client_as("agent")

    assert client.get(_url("mailroom:enquiry", filed)).status_code == GONE
    assert client.get(_url("mailroom:attachment", filed)).status_code == GONE
    assert client.post(_url("mailroom:link-citizen", filed), {"lookup": "x"}).status_code == GONE


def test_an_attachment_is_served_as_a_download_never_inline(client_as, filed):
    response = client_as("agent").get(_url("mailroom:attachment", filed))

    assert response["Content-Disposition"].startswith("attachment;")
    assert "sk%C3%A6rmbillede.pdf" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.fixture
def pusher(db):
    """A mail provider's account: only the push permission, and a token."""
    user = UserFactory(username="mail-provider")
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="push_message"))
    token = Token.objects.create(user=user)
    return Client(headers={"Authorization": f"Token {token.key}"})


def test_a_provider_pushes_raw_mail_with_a_token(pusher, mailbox):
    url = f"/api/v1/mailboxes/{mailbox.pk}/messages/"

    first = pusher.post(url, corpus("bank_notification.eml"), content_type="message/rfc822")
    again = pusher.post(url, corpus("bank_notification.eml"), content_type="message/rfc822")

    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["status"] == "filed" and first.json()["is_new_enquiry"] is True
    assert first.json()["enquiry"].startswith("NID-")
    assert again.json()["id"] == first.json()["id"]
    assert pusher.get("/api/v1/mailboxes/").status_code == 403


def test_a_pushed_malformed_mail_is_answered_with_its_quarantine(pusher, mailbox):
    response = pusher.post(
        f"/api/v1/mailboxes/{mailbox.pk}/messages/",
        corpus("malformed.eml"),
        content_type="message/rfc822",
    )

    assert response.status_code == 201
    assert response.json()["status"] == "quarantined"
    assert "sender" in response.json()["reason"]


@pytest.mark.parametrize(
    ("content_type", "body", "status"),
    [
        ("application/json", b'{"raw": "x"}', 415),
        ("message/rfc822", b"\r\n", 400),
        ("message/rfc822", b"From: a@b.dk\r\n\r\n" + b"x" * 3000, 413),
    ],
)
def test_a_push_that_is_no_raw_mail_is_refused_clearly(
    pusher, mailbox, settings, content_type, body, status
):
    settings.MAIL_MAX_MESSAGE_BYTES = 2000

    response = pusher.post(
        f"/api/v1/mailboxes/{mailbox.pk}/messages/", body, content_type=content_type
    )

    assert response.status_code == status
    assert response.json()["detail"]
    assert InboundMessage.objects.count() == 0


def test_a_push_to_an_unknown_mailbox_is_404(pusher, db):
    response = pusher.post("/api/v1/mailboxes/999/messages/", b"x", content_type="message/rfc822")

    assert response.status_code == 404
