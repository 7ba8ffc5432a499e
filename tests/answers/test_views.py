import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from answers import delivery, services
from answers.models import AnswerTemplate, Reply
from enquiries.models import Enquiry, EnquiryEvent

VERSION = {
    "subject_da": "Emne",
    "body_da": "Kære {citizen_name}",
    "subject_en": "Subject",
    "body_en": "Dear {citizen_name}",
}


def test_use_template_fills_the_reply_in_the_chosen_language(client_as, enquiry, welcome):
    url = reverse("answers:reply", kwargs={"reference": enquiry.reference})

    page = client_as("agent").post(
        url,
        {
            "action": "fill",
            "template_version": welcome["v2"].pk,
            "language": "en",
            "channel": "email",
        },
    )

    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["subject"] == f"Welcome to NemID ({enquiry.reference})"
    assert form.initial["body"].startswith("Dear Karen Jensen")
    assert not Reply.objects.exists()


def test_sending_from_the_page_records_the_version_and_waits(client_as, enquiry, welcome):
    url = reverse("answers:reply", kwargs={"reference": enquiry.reference})

    response = client_as("agent").post(
        url,
        {
            "template_version": welcome["v1"].pk,
            "language": "da",
            "channel": "letter",
            "subject": "Velkommen",
            "body": "Kære Karen, velkommen.",
            "wait_for_citizen": "on",
            "idempotency_key": "form-1",
        },
    )

    assert response.status_code == 302
    reply = Reply.objects.get()
    assert reply.template_version == welcome["v1"]
    assert reply.body == "Kære Karen, velkommen."
    assert Enquiry.objects.get(pk=enquiry.pk).status == Enquiry.Status.WAITING
    assert "welcome-letter version 1" in reply.event.text


def test_no_email_address_is_shown_on_the_form_in_danish(client_as, enquiry):
    enquiry.citizen.email = ""
    enquiry.citizen.save()
    url = reverse("answers:reply", kwargs={"reference": enquiry.reference})

    page = client_as("agent", language="da").post(
        url, {"language": "da", "channel": "email", "subject": "a", "body": "b"}
    )

    assert page.status_code == 200
    assert page.context["form"].errors["channel"] == [
        "Karen Jensen har ingen e-mailadresse. Tilføj en på borgeren, eller svar med brev."
    ]
    assert not EnquiryEvent.objects.filter(kind="reply").exists()


def test_unknown_placeholder_is_a_form_error_naming_it(client_as, welcome):
    url = reverse("answers:version-create", kwargs={"key": "welcome-letter"})

    page = client_as("secretariat", language="da").post(
        url, {**VERSION, "body_en": "Dear {name}", "valid_on": "2011-01-03"}
    )

    assert page.status_code == 200
    assert "Ukendt pladsholder {name}." in page.context["form"].errors["body_en"][0]
    assert AnswerTemplate.objects.get(key="welcome-letter").versions.count() == 2


def test_template_page_shows_the_text_in_force_on_a_day(client_as, welcome):
    url = reverse("answers:template-detail", kwargs={"key": "welcome-letter"})

    before = client_as("agent").get(url, {"on": "2010-12-05"})
    after = client_as("agent").get(url, {"on": "2010-12-06"})

    assert before.context["in_force"] == welcome["v1"]
    assert after.context["in_force"] == welcome["v2"]
    assert "Hjælp til at komme i gang" in after.content.decode()


@pytest.mark.django_db(transaction=True)
def test_enquiry_page_shows_replies_with_the_delivery_log(
    client_as, enquiry, personas, smtp_server
):
    smtp_server.handler_state.fail_first = 1
    reply = services.send_reply(
        enquiry, by=personas["agent"], channel="email", language="da", subject="Svar", body="b"
    )
    with pytest.raises(delivery.TransientMailError):
        delivery.deliver_mail(reply.mail.pk)
    delivery.deliver_mail(reply.mail.pk)

    page = client_as("agent").get(reverse("enquiries:detail", args=[enquiry.reference]))

    content = page.content.decode()
    assert "Delivery log" in content
    assert "451" in content
    assert "delivered to the mail server" in content
    assert "To karen@example.org: Sent" in content


@pytest.mark.parametrize("rows", [1, 25])
def test_template_list_queries_do_not_grow_with_rows(
    client_as, personas, rows, django_assert_num_queries
):
    for n in range(rows):
        services.create_template(f"t{n}", by=personas["secretariat"], **VERSION)
    client = client_as("agent")
    client.get(reverse("answers:template-list"))

    # Session, user, the template ids in force, the versions (the
    # permissions are kept since the first request, accounts.access).
    with django_assert_num_queries(4):
        response = client.get(reverse("answers:template-list"))

    assert len(response.context["versions"]) == rows


def test_enquiry_page_queries_do_not_grow_with_replies(client_as, enquiry, personas):
    client = client_as("agent")
    url = reverse("enquiries:detail", args=[enquiry.reference])

    def send():
        services.send_reply(
            enquiry, by=personas["agent"], channel="email", language="da", subject="a", body="b"
        )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    send()
    client.get(url)
    one = queries()
    for _ in range(24):
        send()

    assert queries() == one
