"""Deciding about mail set aside: read it again after a fix, file it as an
enquiry in a chosen queue, or discard it; each logged, on the real database,
storage and (where the mail came over IMAP) the real Dovecot."""

from email.message import EmailMessage

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from enquiries.models import Channel, Enquiry
from mailroom import services
from mailroom.models import InboundMessage, MessageDecision, encrypt_text
from tests.factories import TeamFactory, UserFactory
from tests.mailroom.conftest import corpus, deliver

pytestmark = pytest.mark.django_db
Status = InboundMessage.Status
Kind = MessageDecision.Kind


def receive(mailbox, raw: bytes) -> InboundMessage:
    return services.receive_message(mailbox, raw, via="push")


def long_mail() -> bytes:
    message = EmailMessage()
    message["From"] = "Karen Jensen <karen@example.org>"
    message["Subject"] = "Mit nøglekort, CPR 110682-1449"
    message.set_content("Jeg har ikke modtaget mit nøglekort.\n" + "x" * 5000)
    return message.as_bytes()


def test_a_message_quarantined_by_a_limit_is_filed_when_read_again_after_the_fix(
    mailbox, personas, settings
):
    settings.MAIL_MAX_MESSAGE_BYTES = 2000
    row = receive(mailbox, long_mail())
    assert row.status == Status.QUARANTINED
    settings.MAIL_MAX_MESSAGE_BYTES = 40 * 1024 * 1024

    filed = services.refile_message(row, by=personas["secretariat"])

    assert filed.pk == row.pk and filed.status == Status.FILED and filed.is_new_enquiry
    enquiry = filed.enquiry
    assert enquiry.queue == mailbox.queue and enquiry.channel == Channel.EMAIL
    assert enquiry.received_at == row.received_at  # the citizen's wait counts
    assert enquiry.created_by == personas["secretariat"]
    assert "110682-xxxx" in filed.subject and filed.cpr_numbers() == ["110682-1449"]
    (decision,) = filed.decisions.all()
    assert (decision.kind, decision.decided_by) == (Kind.REFILED, personas["secretariat"])
    assert (decision.old_status, decision.new_status) == (Status.QUARANTINED, Status.FILED)
    assert "larger than" in decision.old_reason and decision.enquiry == enquiry


def test_a_message_still_unreadable_stays_in_quarantine_with_the_reason(mailbox, personas):
    row = receive(mailbox, corpus("malformed.eml"))

    with pytest.raises(ValidationError, match=r"still cannot be read.*no readable sender"):
        services.refile_message(row, by=personas["secretariat"])

    row.refresh_from_db()
    assert row.status == Status.QUARANTINED and not row.decisions.exists()
    assert Enquiry.objects.count() == 0


def test_a_broken_message_is_filed_as_an_enquiry_in_the_chosen_queue(mailbox, personas, taxonomy):
    row = receive(mailbox, corpus("broken_mime.eml"))
    assert row.status == Status.QUARANTINED

    filed = services.file_as_enquiry(
        row, queue=taxonomy["ministry"], by=personas["secretariat"], note="Brev fra borger"
    )

    assert filed.status == Status.FILED and filed.enquiry.queue == taxonomy["ministry"]
    assert filed.enquiry.subject == "Vedr. nøglekort"
    assert filed.enquiry.correspondents.get().address == "peter@example.dk"
    (decision,) = filed.decisions.all()
    assert decision.kind == Kind.FILED_AS_ENQUIRY and decision.queue == taxonomy["ministry"]
    assert decision.note == "Brev fra borger"


def test_an_out_of_office_false_positive_is_filed_as_a_new_enquiry(mailbox, personas):
    row = receive(mailbox, corpus("out_of_office.eml"))
    assert row.status == Status.AUTO_REPLY and row.enquiry is None and row.is_set_aside
    assert row.raw  # kept, so the false positive can be filed whole

    filed = services.file_as_enquiry(row, queue=mailbox.queue, by=personas["team_lead"])

    assert filed.status == Status.FILED and filed.is_new_enquiry
    assert "ferie" in filed.enquiry.description
    assert filed.decisions.get().old_status == Status.AUTO_REPLY


def test_an_automatic_mail_without_its_bytes_is_filed_from_what_was_recorded(mailbox, personas):
    row = receive(mailbox, corpus("out_of_office.eml"))
    row.raw.delete(save=True)  # as recorded before the bytes were kept

    filed = services.file_as_enquiry(row, queue=mailbox.queue, by=personas["secretariat"])

    assert filed.status == Status.FILED
    assert filed.enquiry.subject == "Automatisk svar: Svar på din henvendelse"


def test_reading_an_automatic_mail_again_records_it_as_automatic_again(mailbox, personas):
    row = receive(mailbox, corpus("out_of_office.eml"))

    again = services.refile_message(row, by=personas["secretariat"])

    assert again.status == Status.AUTO_REPLY and again.enquiry is None
    assert again.decisions.get().new_status == Status.AUTO_REPLY


def test_discarding_deletes_the_kept_bytes_and_numbers_and_logs_the_reason(
    mailbox, personas, settings, django_capture_on_commit_callbacks
):
    settings.MAIL_MAX_MESSAGE_BYTES = 2000
    row = receive(mailbox, long_mail())
    storage, name = row.raw.storage, row.raw.name
    # Numbers found in what could be read of a quarantined mail are kept.
    InboundMessage.objects.filter(pk=row.pk).update(cpr_ciphertext=encrypt_text('["1106821449"]'))
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        services.discard_message(row, reason="  Spam,   sendt to gange ", by=personas["team_lead"])

    row.refresh_from_db()
    assert row.status == Status.DISCARDED and not row.raw and not row.cpr_ciphertext
    assert not storage.exists(name)
    decision = row.decisions.get()
    assert (decision.kind, decision.note) == (Kind.DISCARDED, "Spam, sendt to gange")
    assert decision.decided_by == personas["team_lead"]


@pytest.mark.parametrize(
    ("reason", "field_error"),
    [("  ", "Say why"), ("Borgerens CPR er 1106821449", "looks like a CPR number")],
)
def test_a_discard_without_a_reason_or_with_a_cpr_number_is_refused(
    mailbox, personas, reason, field_error
):
    row = receive(mailbox, corpus("malformed.eml"))

    with pytest.raises(ValidationError) as refused:
        services.discard_message(row, reason=reason, by=personas["secretariat"])

    assert field_error in str(refused.value.message_dict["reason"])
    row.refresh_from_db()
    assert row.status == Status.QUARANTINED and row.raw and not row.decisions.exists()


def test_a_second_decision_on_the_same_message_is_refused(mailbox, personas):
    row = receive(mailbox, corpus("malformed.eml"))
    services.discard_message(row, reason="Spam", by=personas["secretariat"])

    with pytest.raises(ValidationError, match="no longer set aside"):
        services.file_as_enquiry(row, queue=mailbox.queue, by=personas["admin"])

    assert row.decisions.count() == 1 and Enquiry.objects.count() == 0


@pytest.mark.parametrize("persona", ["agent", "manager"])
def test_who_may_not_decide_is_refused_by_the_service_too(mailbox, personas, persona):
    row = receive(mailbox, corpus("malformed.eml"))

    with pytest.raises(PermissionDenied):
        services.discard_message(row, reason="Spam", by=personas[persona])

    assert not row.decisions.exists()


def test_a_team_lead_decides_only_about_the_mail_of_the_teams_queues(mailbox, personas, taxonomy):
    other_lead = UserFactory(username="lead2", role="team_lead", team=TeamFactory())
    row = receive(mailbox, corpus("malformed.eml"))

    with pytest.raises(PermissionDenied):
        services.discard_message(row, reason="Spam", by=other_lead)
    with pytest.raises(ValidationError) as refused:
        services.file_as_enquiry(row, queue=taxonomy["ministry"], by=personas["team_lead"])

    assert "queue" in refused.value.message_dict
    assert not row.decisions.exists()


def test_a_message_only_partly_fetched_over_imap_is_not_read_again(
    imap_mailbox, personas, settings
):
    settings.MAIL_MAX_MESSAGE_BYTES = 2000
    deliver(imap_mailbox, long_mail())
    services.poll_mailboxes(now=timezone.now())
    row = InboundMessage.objects.get()
    settings.MAIL_MAX_MESSAGE_BYTES = 40 * 1024 * 1024

    with pytest.raises(ValidationError, match="Only the headers"):
        services.refile_message(row, by=personas["secretariat"])

    row.refresh_from_db()
    assert row.status == Status.QUARANTINED


def test_mail_polled_from_dovecot_and_quarantined_is_filed_from_the_page(
    imap_mailbox, client_as, personas
):
    deliver(imap_mailbox, corpus("broken_mime.eml"))
    services.poll_mailboxes(now=timezone.now())
    row = InboundMessage.objects.get(status=Status.QUARANTINED)
    client = client_as("secretariat")
    page = client.get(reverse("mailroom:quarantine-detail", args=[row.pk]))
    assert "MIME structure is broken" in page.content.decode()

    response = client.post(
        reverse("mailroom:file-as-enquiry", args=[row.pk]), {"queue": imap_mailbox.queue_id}
    )

    row.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("enquiries:detail", args=[row.enquiry.reference])
    assert row.status == Status.FILED and row.via == "imap"


def test_the_page_puts_a_refusal_under_its_form(mailbox, client_as):
    row = receive(mailbox, corpus("malformed.eml"))
    client = client_as("secretariat")

    refile = client.post(reverse("mailroom:refile", args=[row.pk]))
    discard = client.post(reverse("mailroom:discard", args=[row.pk]), {"reason": ""})

    assert refile.status_code == 400
    assert "It still cannot be read" in refile.content.decode()
    assert discard.status_code == 400
    assert 'id="id_reason_error"' in discard.content.decode()
    assert not row.decisions.exists()


def test_the_automatic_tab_lists_auto_replies_that_filed_nothing(mailbox, client_as):
    receive(mailbox, corpus("out_of_office.eml"))
    receive(mailbox, corpus("malformed.eml"))
    client = client_as("secretariat")

    automatic = client.get(reverse("mailroom:quarantine") + "?show=automatic").content.decode()
    quarantined = client.get(reverse("mailroom:quarantine")).content.decode()

    assert "Automatisk svar" in automatic and "1 automatic e-mail" in automatic
    assert "Automatisk svar" not in quarantined and "1 quarantined e-mail" in quarantined


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("da", ["Læs igen og registrér", "Registrér som henvendelse", "Kassér e-mailen"]),
        ("en", ["Read again and file", "File as an enquiry", "Discard the e-mail"]),
    ],
)
def test_the_decision_page_speaks_danish_and_english(mailbox, client_as, language, texts):
    row = receive(mailbox, corpus("malformed.eml"))

    html = (
        client_as("secretariat", language=language)
        .get(reverse("mailroom:quarantine-detail", args=[row.pk]))
        .content.decode()
    )

    for text in texts:
        assert text in html


def test_the_api_calls_the_same_services_and_answers_refusals_with_400(mailbox, client_as):
    row = receive(mailbox, corpus("out_of_office.eml"))
    client = client_as("secretariat")
    base = f"/api/v1/inbound-messages/{row.pk}"

    refused = client.post(f"{base}/discard/", {"reason": "CPR 1106821449"}, "application/json")
    filed = client.post(f"{base}/file/", {"queue": "support"}, "application/json")
    again = client.post(f"{base}/discard/", {"reason": "Spam"}, "application/json")

    assert refused.status_code == 400 and "reason" in refused.json()
    assert filed.status_code == 200 and filed.json()["status"] == "filed"
    assert filed.json()["enquiry"] == InboundMessage.objects.get(pk=row.pk).enquiry.reference
    assert again.status_code == 400 and "no longer set aside" in str(again.json())
    assert row.decisions.count() == 1
