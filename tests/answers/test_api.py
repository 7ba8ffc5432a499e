import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from answers import services
from answers.models import AnswerTemplate, Reply
from enquiries.models import Enquiry

VERSION = {
    "subject_da": "Faktaark til bankrådgivere",
    "body_da": "Kære {citizen_name}, se faktaarket. Ref. {reference}",
    "subject_en": "Fact sheet for bank staff",
    "body_en": "Dear {citizen_name}, see the fact sheet. Ref. {reference}",
}


def test_unknown_placeholder_is_a_400_naming_it_in_danish(client_as, welcome):
    body = {**VERSION, "body_da": "Kære {borger_navn}"}

    response = client_as("secretariat", language="da").post(
        "/api/v1/answer-templates/welcome-letter/versions/", body, content_type="application/json"
    )

    assert response.status_code == 400
    message = response.json()["body_da"][0]
    assert message.startswith("Ukendt pladsholder {borger_navn}. Tilladte: {citizen_name}")
    assert AnswerTemplate.objects.get(key="welcome-letter").versions.count() == 2


def test_text_in_force_on_a_day_through_the_api(client_as, welcome):
    client = client_as("agent")

    before = client.get("/api/v1/answer-templates/welcome-letter/?on=2010-12-05").json()
    on_the_day = client.get("/api/v1/answer-templates/welcome-letter/?on=2010-12-06").json()
    versions = client.get("/api/v1/answer-templates/welcome-letter/versions/").json()

    assert before["in_force"]["version"] == 1
    assert on_the_day["in_force"]["version"] == 2
    assert [v["version"] for v in versions] == [2, 1]


def test_publishing_a_version_through_the_api_numbers_it(client_as, welcome):
    response = client_as("secretariat").post(
        "/api/v1/answer-templates/welcome-letter/versions/",
        {**VERSION, "valid_from": "2011-01-03T00:00:00+01:00"},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert response.json()["version"] == 3
    assert response.json()["key"] == "welcome-letter"


def test_reply_through_the_api_with_a_template_and_the_wait_step(client_as, enquiry, welcome):
    response = client_as("agent").post(
        f"/api/v1/enquiries/{enquiry.reference}/replies/",
        {
            "channel": "email",
            "language": "da",
            "template_version": welcome["v2"].pk,
            "wait_for_citizen": True,
        },
        content_type="application/json",
    )

    assert response.status_code == 201
    reply = response.json()
    assert (reply["template_key"], reply["template_version_number"]) == ("welcome-letter", 2)
    assert reply["mail_status"] == "queued"
    assert reply["message_id"].startswith(f"<{enquiry.reference}.")
    assert Enquiry.objects.get(pk=enquiry.pk).status == Enquiry.Status.WAITING


def test_reply_to_a_citizen_without_an_address_is_a_400_on_channel(client_as, enquiry):
    enquiry.citizen.email = ""
    enquiry.citizen.save()

    response = client_as("agent", language="da").post(
        f"/api/v1/enquiries/{enquiry.reference}/replies/",
        {"channel": "email", "language": "da", "subject": "a", "body": "b"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["channel"] == [
        "Karen Jensen har ingen e-mailadresse. Tilføj en på borgeren, eller svar med brev."
    ]
    assert not Reply.objects.exists()


def test_a_cpr_number_in_a_reply_is_refused(client_as, enquiry):
    response = client_as("agent").post(
        f"/api/v1/enquiries/{enquiry.reference}/replies/",
        {"channel": "email", "language": "da", "subject": "a", "body": "Dit CPR 010180-1234"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "body" in response.json()
    assert not Reply.objects.exists()


def test_a_repeated_idempotency_key_sends_one_reply(client_as, enquiry):
    client = client_as("agent")
    body = {"channel": "letter", "language": "da", "subject": "a", "body": "b"}
    url = f"/api/v1/enquiries/{enquiry.reference}/replies/"

    first = client.post(
        url, body, content_type="application/json", headers={"Idempotency-Key": "k1"}
    )
    again = client.post(
        url, body, content_type="application/json", headers={"Idempotency-Key": "k1"}
    )

    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert Reply.objects.count() == 1


def test_replies_of_an_enquiry_out_of_scope_are_not_found(client_as, taxonomy, personas, citizen):
    from enquiries import services as enquiry_services

    elsewhere = enquiry_services.register_enquiry(
        taxonomy["ministry"],
        by=personas["secretariat"],
        subject="Andet team",
        citizen=citizen,
        channel="email",
    )

    response = client_as("agent").get(f"/api/v1/enquiries/{elsewhere.reference}/replies/")

    assert response.status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_template_list_takes_the_same_queries_for_1_and_25(client_as, personas):
    client = client_as("agent")
    services.create_template("t0", by=personas["secretariat"], **VERSION)
    client.get("/api/v1/answer-templates/")  # keeps the permissions (accounts.access)
    one = _queries(client, "/api/v1/answer-templates/")
    for n in range(1, 25):
        services.create_template(f"t{n}", by=personas["secretariat"], **VERSION)

    assert _queries(client, "/api/v1/answer-templates/") == one
    assert len(client.get("/api/v1/answer-templates/").json()) == 25


@pytest.mark.parametrize("channel", ["email", "letter"])
def test_reply_list_takes_the_same_queries_for_1_and_25(client_as, enquiry, personas, channel):
    client = client_as("agent")
    url = f"/api/v1/enquiries/{enquiry.reference}/replies/"

    def send():
        services.send_reply(
            enquiry, by=personas["agent"], channel=channel, language="da", subject="a", body="b"
        )

    send()
    one = _queries(client, url)
    for _ in range(24):
        send()

    assert _queries(client, url) == one
    assert len(client.get(url).json()["results"]) == 25
