"""The mail pages as people use them: safe HTML, Danish and English,
linking a citizen, and lists in a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enquiries.models import CprReveal, Enquiry
from mailroom import services
from mailroom.models import Correspondent, InboundMessage, Mailbox
from tests.factories import CitizenFactory
from tests.mailroom.conftest import corpus

pytestmark = pytest.mark.django_db


def page(reference: str) -> str:
    return reverse("mailroom:enquiry", args=[reference])


def test_html_mail_is_shown_sanitised_never_raw(client_as, mailbox):
    row = services.receive_message(mailbox, corpus("bank_notification.eml"), via="push")

    html = client_as("agent").get(page(row.enquiry.reference)).content.decode()

    assert "Vores kunde, Jørgen Hansen (CPR-nr. 010190-xxxx)" in html
    assert 'href="https://www.nordbanken.example/kundeservice"' in html
    for unsafe in ("evil.example", "onload=", "onclick", "javascript:", "track.bank.example"):
        assert unsafe not in html


def test_sanitising_on_the_way_out_catches_html_stored_unsafe(client_as, mailbox):
    row = services.receive_message(mailbox, corpus("outlook.eml"), via="push")
    InboundMessage.objects.filter(pk=row.pk).update(
        body_html='<p onclick="x()">Hej</p><script>alert(1)</script>'
    )

    html = client_as("agent").get(page(row.enquiry.reference)).content.decode()

    assert "<p>Hej</p>" in html
    assert "alert(1)" not in html and "onclick" not in html


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("da", ["E-mails på", "Afsendere", "Knyt denne borger", "Bilag"]),
        ("en", ["E-mails on", "Senders", "Link this citizen", "Attachments"]),
    ],
)
def test_the_mail_page_speaks_danish_and_english(client_as, mailbox, language, texts):
    CitizenFactory(name="Anne-Mette Østergård", email="anne.mette@icloud.com")
    row = services.receive_message(mailbox, corpus("apple_mail.eml"), via="push")

    html = client_as("agent", language=language).get(page(row.enquiry.reference)).content.decode()

    for text in texts:
        assert text in html


def test_the_enquiry_page_links_to_its_emails(client_as, mailbox):
    row = services.receive_message(mailbox, corpus("outlook.eml"), via="push")

    html = client_as("agent").get(reverse("enquiries:detail", args=[row.enquiry.reference]))

    assert page(row.enquiry.reference) in html.content.decode()


def test_an_agent_links_a_citizen_found_by_phone_number(client_as, mailbox, personas):
    citizen = CitizenFactory(name="Åse Bøgh", phone="+45 40 11 22 33")
    row = services.receive_message(mailbox, corpus("iso_8859_1.eml"), via="push")
    correspondent = Correspondent.objects.get(enquiry=row.enquiry)

    response = client_as("agent").post(
        reverse("mailroom:link-citizen", args=[correspondent.pk]), {"lookup": "40112233"}
    )

    assert response.status_code == 302
    assert Enquiry.objects.get(pk=row.enquiry_id).citizen == citizen
    # Found outside the agent's team's enquiries: logged as a look-up.
    assert CprReveal.objects.filter(citizen=citizen, kind="lookup").exists()


def test_a_number_no_citizen_has_is_a_clear_error(client_as, mailbox):
    row = services.receive_message(mailbox, corpus("iso_8859_1.eml"), via="push")
    correspondent = Correspondent.objects.get(enquiry=row.enquiry)

    response = client_as("agent").post(
        reverse("mailroom:link-citizen", args=[correspondent.pk]), {"lookup": "99999999"}
    )

    assert response.status_code == 400
    assert "No single citizen you can see" in response.content.decode()
    assert Enquiry.objects.get(pk=row.enquiry_id).citizen is None


def test_posting_another_citizens_id_links_nobody(client_as, mailbox):
    stranger = CitizenFactory(name="Fremmed")
    row = services.receive_message(mailbox, corpus("iso_8859_1.eml"), via="push")
    correspondent = Correspondent.objects.get(enquiry=row.enquiry)

    response = client_as("agent").post(
        reverse("mailroom:link-citizen", args=[correspondent.pk]), {"citizen": stranger.pk}
    )

    assert response.status_code == 400
    assert Enquiry.objects.get(pk=row.enquiry_id).citizen is None


def _quarantine(mailbox, count: int) -> None:
    for n in range(count):
        services.receive_message(mailbox, corpus("malformed.eml") + b"\r\n" * (n + 1), via="push")


def _queries(client, url: str) -> int:
    """The page's queries once the user's permissions are kept (accounts.access)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_quarantine_costs_the_same_queries_for_1_and_25_rows(client_as, mailbox):
    client = client_as("secretariat")
    _quarantine(mailbox, 1)
    one = _queries(client, reverse("mailroom:quarantine"))
    _quarantine(mailbox, 30)

    html = client.get(reverse("mailroom:quarantine")).content.decode()

    assert _queries(client, reverse("mailroom:quarantine")) == one
    assert "The message has no readable sender address" in html
    assert "30 quarantined e-mails" in html  # one of the 30 repeats the first


def test_the_mailbox_list_costs_the_same_queries_for_1_and_25_and_shows_errors(
    client_as, mailbox, taxonomy
):
    client = client_as("manager")
    one = _queries(client, reverse("mailroom:mailboxes"))
    for n in range(24):
        Mailbox.objects.create(
            address=f"box{n}@sager.nemid.example",
            queue=taxonomy["ministry"],
            last_error="The IMAP server refused the login",
        )

    assert _queries(client, reverse("mailroom:mailboxes")) == one
    assert (
        "The IMAP server refused the login"
        in client.get(reverse("mailroom:mailboxes")).content.decode()
    )


def test_the_mail_page_costs_the_same_queries_for_1_and_10_mails(client_as, mailbox):
    first = services.receive_message(mailbox, corpus("outlook.eml"), via="push")
    reference = first.enquiry.reference
    client = client_as("agent")
    services.receive_message(
        mailbox,
        corpus("windows_1252.eml").replace(
            b"Subject: ", b"Subject: " + reference.encode() + b" ", 1
        ),
        via="push",
    )
    two = _queries(client, page(reference))
    for n in range(8):
        raw = corpus("apple_mail.eml").replace(b"NID-2026-000041", reference.encode())
        services.receive_message(mailbox, raw + b"\r\n" * (n + 1), via="push")

    assert InboundMessage.objects.filter(enquiry=first.enquiry).count() == 10
    assert _queries(client, page(reference)) == two
